package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.AppProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.ordersaga.standalone.support.Api.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged app as a real process: whatever happened before it was killed outright (SIGKILL) or stopped is there
 * after it starts again on the same data folder, and the orders that were under way finish, each charged once.
 */
class RestartIT {

    private AppProcess app;

    @BeforeEach
    void setUp() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        app = new AppProcess(Path.of("target", "it-restart", run, "data").toAbsolutePath(),
                Path.of("target", "it-restart", run, "logs").toAbsolutePath());
    }

    @AfterEach
    void tearDown() {
        app.close();
    }

    @Test
    void keepsEveryOrderAndItsHistoryAcrossAKillAndFinishesWhatWasUnderWay() {
        Api api = app.start().api();
        String done = api.placeAcceptedOrder(order("+31612345678", "LAPTOP-15", 1, "999.90"));
        api.awaitStatus(done, "COMPLETED", Duration.ofSeconds(10));
        // the last event of a completed order's story: its reserved stock is committed, after it completed
        api.awaitEvent(done, "StockCommittedEvent", Duration.ofSeconds(10));
        JsonNode doneOrder = api.order(done);
        JsonNode doneHistory = api.history(done);
        List<String> underWay = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            underWay.add(api.placeAcceptedOrder(order(null, "MOUSE-01", 1, "19.99")));
        }
        Map<String, JsonNode> historiesAtTheKill = new HashMap<>();
        underWay.forEach(orderId -> historiesAtTheKill.put(orderId, api.history(orderId)));

        app.kill();

        assertThat(app.postgres()).as("PostgreSQL outlives a killed app").isPresent();
        Api restarted = app.start().api();
        assertThat(restarted.order(done)).isEqualTo(doneOrder);
        assertThat(restarted.history(done)).isEqualTo(doneHistory);
        for (String orderId : underWay) {
            List<JsonNode> before = historiesAtTheKill.get(orderId).valueStream().toList();
            restarted.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(60));
            assertThat(restarted.history(orderId).valueStream().toList())
                    .as("history of %s starts with everything stored before the kill", orderId)
                    .startsWith(before.toArray(JsonNode[]::new));
            assertThat(restarted.historyTypes(orderId)).containsOnlyOnce("PaymentChargedEvent",
                    "ShipmentScheduledEvent", "OrderCompletedEvent");
            assertThat(app.database().queryForObject(
                    "SELECT count(*) FROM payment_simulator_ledger WHERE idempotency_key = ?", Integer.class,
                    orderId + ":charge")).as("charges of %s", orderId).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode mice = restarted.stock("MOUSE-01");
            assertThat(mice.get("onHand").asInt()).as("each order took its mouse exactly once").isEqualTo(490);
            assertThat(mice.get("reserved").asInt()).isZero();
        });
    }

    @Test
    void stopsCleanlyOnSigtermAndStartsAgainWithTheSameData() {
        Api api = app.start().api();
        String orderId = api.placeAcceptedOrder(order(null, "DESK-LAMP", 2, "35.00"));
        api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(10));

        assertThat(app.stop()).as("exit code").isIn(0, 143);

        assertThat(app.postgres()).as("PostgreSQL stops with the app").isEmpty();
        Api restarted = app.start().api();
        assertThat(restarted.order(orderId).get("status").asText()).isEqualTo("COMPLETED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                restarted.stock("DESK-LAMP").get("onHand").asInt()).as("demo stock is not reset").isEqualTo(78));
    }
}
