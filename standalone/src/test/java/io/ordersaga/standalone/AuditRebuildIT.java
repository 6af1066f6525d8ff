package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.Cli;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit log is rebuilt from the first event of the event store — by {@code bin/audit rebuild}, as an operator
 * types it — into exactly the same content (the same digest), and the rebuild re-runs nothing: no saga handler, no
 * deadline, no provider call.
 */
@StandaloneIT
class AuditRebuildIT {

    private static final Path CLI = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/audit");
    private static final Duration ENDS = Duration.ofSeconds(60);

    @Autowired
    JdbcTemplate database;
    Api api;

    @Test
    void aRebuildWritesTheSameAuditLogAndRerunsNothing() throws Exception {
        placeOrdersOfEveryOutcome();
        api.awaitNoOrderInFlight(ENDS);
        // one saga in flight during the rebuild, waiting for its e-mail's answer (a 15 s timeout, a hanging server)
        String waiting = waitingForItsEmail();
        // the saga's own alarm goes off on its own time (the first step's answer deadline, then the e-mail's): the
        // comparison starts once it is not due for a while, so that what changes in between is the rebuild's doing
        await().atMost(Duration.ofSeconds(30)).until(() -> database.queryForObject(
                "SELECT min(execution_time) > now() + interval '8 seconds' FROM order_scheduled_tasks",
                Boolean.class));
        long position = api.awaitAuditCaughtUp(Duration.ofSeconds(30));
        JsonNode before = api.auditDigest(position);
        Map<String, List<Map<String, Object>>> untouched = sagasDeadlinesAndProviders();
        assertThat(untouched.get("sagas")).as("the waiting order's saga").hasSize(1);
        assertThat(untouched.get("deadlines")).as("its alarm").isNotEmpty();

        Cli rebuild = cli("rebuild");

        assertThat(rebuild.exitCode()).as(rebuild.output()).isZero();
        assertThat(rebuild.output()).contains("rebuilding the audit log from the first event", "% (position",
                "rebuilt in");
        assertThat(api.auditDigest(position)).as("the same rows, up to where the log was").isEqualTo(before);
        JsonNode printed = Api.JSON.readTree(rebuild.output().strip().lines().reduce((first, last) -> last)
                .orElseThrow());
        assertThat(printed.path("upTo").asLong()).as("the digest printed, up to where the rebuild went")
                .isGreaterThanOrEqualTo(position);
        assertThat(printed).isEqualTo(api.auditDigest(printed.path("upTo").asLong()));
        assertThat(sagasDeadlinesAndProviders()).as("sagas, deadlines and providers untouched by the rebuild")
                .isEqualTo(untouched);
        assertThat(database.queryForList("SELECT DISTINCT outcome FROM audit_event", String.class))
                .containsExactlyInAnyOrder("PLACED", "SUCCEEDED", "REJECTED", "ATTEMPT_FAILED", "RETRY_SCHEDULED",
                        "GIVEN_UP", "COMPENSATION_STARTED", "COMPLETED", "CANCELLED", "RECORDED", "ALARM");
        assertThat(before.path("events").asLong()).as("one row per stored event about an order")
                .isEqualTo(database.queryForObject("SELECT count(*) FROM domain_event_entry"
                        + " WHERE ordersaga_event_order_id(payload) IS NOT NULL AND global_index <= ?", Long.class,
                        position));

        api.clearFaults();
        api.awaitStatus(waiting, "COMPLETED", ENDS); // the saga goes on after the rebuild
    }

    @Test
    void theCommandLineSaysWhatIsWrong() throws Exception {
        Cli badPosition = cli("digest", "minus-one");
        assertThat(badPosition.exitCode()).isNotZero();
        assertThat(badPosition.output()).contains("HTTP 400", "upTo: must be a position");

        Cli usage = cli("nonsense");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.output()).contains("bin/audit rebuild");
    }

    private void placeOrdersOfEveryOutcome() {
        String laptop = uniqueSku("LAPTOP");
        String mouse = uniqueSku("MOUSE");
        api.setStock(laptop, 50);
        api.setStock(mouse, 1);
        // completed
        ended(api.placeAcceptedOrder(order("+31612345678", laptop, 1, "999.90")), "COMPLETED");
        // completed after a failed inventory attempt and its retry; its SMS given up
        api.fault("inventory.reserve", false, "UNAVAILABLE");
        api.fault("notification.sms", true, "UNAVAILABLE");
        ended(api.placeAcceptedOrder(order("+31612345678", laptop, 1, "999.90")), "COMPLETED");
        api.clearFaults();
        // cancelled: a line out of stock, the other released
        ended(api.placeAcceptedOrder(order(null, laptop, 1, "999.90", mouse, 5, "25.00")), "CANCELLED");
        // cancelled: payment declined
        api.fault("payment.charge", false, "DECLINED");
        ended(api.placeAcceptedOrder(order(null, laptop, 1, "999.90")), "CANCELLED");
        // cancelled: the carrier refused, the payment refunded
        api.fault("shipping.schedule", false, "DECLINED");
        ended(api.placeAcceptedOrder(order(null, laptop, 1, "999.90")), "CANCELLED");
        api.clearFaults();
    }

    private String waitingForItsEmail() {
        String lamp = uniqueSku("LAMP");
        api.setStock(lamp, 5);
        api.fault("notification.email", false, "TIMEOUT");
        String order = api.placeAcceptedOrder(order(null, lamp, 1, "19.90"));
        api.awaitEvent(order, "ShipmentScheduledEvent", Duration.ofSeconds(10));
        return order;
    }

    private void ended(String order, String status) {
        api.awaitStatus(order, status, ENDS);
    }

    /** What a replay must not change: the sagas' state, the scheduled deadlines, the providers' ledgers. */
    private Map<String, List<Map<String, Object>>> sagasDeadlinesAndProviders() {
        return Map.of(
                "sagas", database.queryForList("SELECT saga_id, revision, md5(serialized_saga) AS state"
                        + " FROM saga_entry ORDER BY saga_id"),
                "associations", database.queryForList("SELECT association_key, association_value, saga_id"
                        + " FROM association_value_entry ORDER BY saga_id, association_key, association_value"),
                "deadlines", database.queryForList("SELECT task_name, task_instance, execution_time, version"
                        + " FROM order_scheduled_tasks ORDER BY task_name, task_instance"),
                "charges", database.queryForList("SELECT count(*) FROM payment_simulator_ledger"),
                "shipments", database.queryForList("SELECT count(*) FROM shipping_simulator_ledger"),
                "messages", database.queryForList("SELECT count(*) FROM notification_simulator_outbox"));
    }

    private Cli cli(String... arguments) throws IOException, InterruptedException {
        return Cli.run(CLI, Map.of("ORDERSAGA_URL", api.baseUrl(), "AUDIT_POLL_SECONDS", "0.2",
                "ORDERSAGA_ADMIN_TOKEN", Api.OPERATOR_TOKEN), arguments);
    }
}
