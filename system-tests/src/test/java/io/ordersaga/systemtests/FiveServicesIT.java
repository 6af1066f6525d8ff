package io.ordersaga.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.Cli;
import io.ordersaga.systemtests.support.Deployment;
import io.ordersaga.systemtests.support.OtlpReceiver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.systemtests.support.Deployment.INVENTORY;
import static io.ordersaga.systemtests.support.Deployment.ORDER;
import static io.ordersaga.systemtests.support.Deployment.PAYMENT;
import static io.ordersaga.systemtests.support.Deployment.SECOND_PAYMENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The five services as five JVMs (and a second payment-service) on one real PostgreSQL, commands crossing between
 * them over HTTP: orders of every outcome, a service killed and restarted under load, what must hold afterwards,
 * and one order's trace across the five (tracing switched on by {@code OTEL_EXPORTER_OTLP_ENDPOINT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FiveServicesIT {

    private static final String SKU = "SYS-WIDGET";
    private static final String EMPTY_SKU = "SYS-SOLD-OUT";
    private static final int INITIAL_STOCK = 10_000;
    private static final Duration SETTLE = Duration.ofSeconds(240);

    /** The trace collector the services send their spans to (tracing on, as an operator switches it on). */
    private final OtlpReceiver collector = new OtlpReceiver();
    private final Deployment deployment = new Deployment()
            .withEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint()));
    private Api orders;
    private Api inventory;
    private JdbcTemplate database;

    @BeforeAll
    void startTheDeployment() {
        deployment.start();
        orders = deployment.api(ORDER);
        inventory = deployment.api(INVENTORY);
        database = deployment.database();
        inventory.setStock(SKU, INITIAL_STOCK);
        inventory.setStock(EMPTY_SKU, 0);
        // the first order proves the routing between the processes is established; its stock leaves the warehouse
        // (StockCommitted) just after it completes, so the tests start from a level that no longer moves
        orders.awaitStatus(orders.placeAcceptedOrder(order(null, SKU, 1, "10.00")), "COMPLETED", SETTLE);
        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(inventory.stock(SKU).get("onHand").asInt()).isEqualTo(INITIAL_STOCK - 1);
            assertThat(inventory.stock(SKU).get("reserved").asInt()).isZero();
        });
    }

    @AfterAll
    void stopTheDeployment() {
        deployment.close();
        collector.close();
    }

    enum Outcome { COMPLETED, DECLINED, UNDELIVERABLE, OUT_OF_STOCK }

    record Placed(String orderId, Outcome expected, boolean phone) {
    }

    @Test
    @Order(1)
    void twoHundredOrdersEachReachTheirExpectedEndAndTheProvidersAgree() throws Exception {
        int stockBefore = inventory.stock(SKU).get("onHand").asInt();
        List<Placed> placed = placeConcurrently(200, i -> switch (i % 20) {
            case 7, 17 -> Outcome.DECLINED;
            case 8, 18 -> Outcome.UNDELIVERABLE;
            case 9 -> Outcome.OUT_OF_STOCK;
            default -> Outcome.COMPLETED;
        });

        awaitTerminal(placed);

        Map<Outcome, Long> byOutcome = placed.stream()
                .collect(Collectors.groupingBy(Placed::expected, Collectors.counting()));
        assertThat(byOutcome).containsEntry(Outcome.COMPLETED, 150L).containsEntry(Outcome.DECLINED, 20L)
                .containsEntry(Outcome.UNDELIVERABLE, 20L).containsEntry(Outcome.OUT_OF_STOCK, 10L);
        for (Placed order : placed) {
            var view = orders.order(order.orderId());
            switch (order.expected()) {
                case COMPLETED -> assertThat(view.get("status").asText()).isEqualTo("COMPLETED");
                case DECLINED -> assertThat(view.get("reason").asText()).startsWith("Payment declined");
                case UNDELIVERABLE -> assertThat(view.get("reason").asText()).startsWith("Shipment failed");
                case OUT_OF_STOCK -> assertThat(view.get("reason").asText()).startsWith("Insufficient stock");
            }
        }
        List<String> completed = idsOf(placed, Outcome.COMPLETED);
        List<String> undeliverable = idsOf(placed, Outcome.UNDELIVERABLE);
        List<String> declined = idsOf(placed, Outcome.DECLINED);
        List<String> outOfStock = idsOf(placed, Outcome.OUT_OF_STOCK);

        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(inventory.stock(SKU).get("onHand").asInt()).isEqualTo(stockBefore - completed.size());
            assertThat(inventory.stock(SKU).get("reserved").asInt()).isZero();
        });
        assertThat(ledgerCount("payment_simulator_ledger", "idempotency_key", ":charge", completed, "reference IS NOT NULL"))
                .as("one charge per completed order").isEqualTo(completed.size());
        assertThat(ledgerCount("payment_simulator_ledger", "idempotency_key", ":charge", declined, "reference IS NULL"))
                .as("one declined charge per declined order").isEqualTo(declined.size());
        assertThat(ledgerCount("payment_simulator_ledger", "idempotency_key", ":refund", undeliverable, "amount = 10.00"))
                .as("the undeliverable orders were refunded in full").isEqualTo(undeliverable.size());
        assertThat(ledgerCount("shipping_simulator_ledger", "idempotency_key", ":shipment", completed,
                "tracking_number IS NOT NULL")).as("one booking per completed order").isEqualTo(completed.size());
        assertThat(ledgerCount("notification_simulator_outbox", "idempotency_key", ":email", completed, "true"))
                .as("one e-mail per completed order").isEqualTo(completed.size());
        long withPhone = placed.stream().filter(p -> p.expected() == Outcome.COMPLETED && p.phone()).count();
        assertThat(ledgerCount("notification_simulator_outbox", "idempotency_key", ":sms", completed, "true"))
                .as("one SMS per completed order with a phone number").isEqualTo(withPhone);
        assertThat(ledgerCount("payment_simulator_ledger", "idempotency_key", ":charge", outOfStock, "true"))
                .as("an order without stock is never charged").isZero();
    }

    @Test
    @Order(2)
    void ordersInFlightWhileTheInventoryIsKilledAllCompleteOnceItIsBack() throws Exception {
        int stockBefore = inventory.stock(SKU).get("onHand").asInt();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            placed.add(orders.placeAcceptedOrder(order(null, SKU, 1, "10.00")));
        }
        deployment.kill(INVENTORY);
        Instant killed = Instant.now();
        for (int i = 0; i < 15; i++) {
            placed.add(orders.placeAcceptedOrder(order(null, SKU, 1, "10.00")));
        }
        // down for 10 s, long enough for the saga to have felt it: its reservations wait for an inventory service
        await().atMost(Duration.ofSeconds(60)).until(() -> Instant.now().isAfter(killed.plusSeconds(10))
                && orderServiceGauge("ordersaga_service_unreachable", "inventory") == 1
                && orderServiceGauge("ordersaga_commands_queued", "inventory") > 0);
        deployment.start(INVENTORY);

        for (String orderId : placed) {
            orders.awaitStatus(orderId, "COMPLETED", SETTLE);
        }
        for (String orderId : placed) {
            assertThat(orders.historyTypes(orderId)).containsOnlyOnce("StockReservedEvent", "PaymentChargedEvent")
                    .doesNotContain("CompensationStartedEvent");
        }
        // a reservation that never reached an inventory service was not an attempt; only one cut off by the kill is
        assertThat(failedAttempts(placed, "NoHandlerForCommandException")).as("attempts failed for no instance up")
                .isZero();
        assertThat(orderServiceGauge("ordersaga_service_unreachable", "inventory")).isZero();
        await().atMost(SETTLE).untilAsserted(() -> {
            assertThat(inventory.stock(SKU).get("onHand").asInt()).as("each order took its unit once")
                    .isEqualTo(stockBefore - placed.size());
            assertThat(inventory.stock(SKU).get("reserved").asInt()).isZero();
        });
    }

    @Test
    @Order(3)
    void sagasInterruptedByAKilledOrderServiceResumeAndChargeEachOrderOnce() {
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            placed.add(orders.placeAcceptedOrder(order("+31612345678", SKU, 1, "10.00")));
        }
        deployment.kill(ORDER);
        deployment.start(ORDER);

        for (String orderId : placed) {
            orders.awaitStatus(orderId, "COMPLETED", SETTLE);
            assertThat(orders.historyTypes(orderId)).containsOnlyOnce("PaymentChargedEvent", "ShipmentScheduledEvent",
                    "OrderCompletedEvent");
        }
        assertThat(ledgerCount("payment_simulator_ledger", "idempotency_key", ":charge", placed, "true"))
                .as("each order charged exactly once").isEqualTo(placed.size());
        assertThat(ledgerCount("shipping_simulator_ledger", "idempotency_key", ":shipment", placed, "true"))
                .as("each order shipped exactly once").isEqualTo(placed.size());
    }

    @Test
    @Order(4)
    void bothPaymentInstancesHandleCharges() {
        long first = charges(PAYMENT);
        long second = charges(SECOND_PAYMENT);
        System.out.printf("[system] charges handled: payment-service %d, payment-service-2 %d%n", first, second);
        assertThat(first).as("charges handled by the first payment-service").isPositive();
        assertThat(second).as("charges handled by the second payment-service").isPositive();
    }

    @Test
    @Order(5)
    void everyAggregatesEventsAreNumberedWithoutGapOrDuplicate() {
        List<Map<String, Object>> broken = database.queryForList("""
                SELECT aggregate_identifier, count(*) AS events, min(sequence_number) AS first,
                       max(sequence_number) AS last, count(DISTINCT sequence_number) AS distinct_numbers
                  FROM domain_event_entry
                 GROUP BY aggregate_identifier
                HAVING min(sequence_number) <> 0
                    OR max(sequence_number) <> count(*) - 1
                    OR count(DISTINCT sequence_number) <> count(*)""");
        Long aggregates = database.queryForObject(
                "SELECT count(DISTINCT aggregate_identifier) FROM domain_event_entry", Long.class);
        Long events = database.queryForObject("SELECT count(*) FROM domain_event_entry", Long.class);
        Long distinctIndexes = database.queryForObject(
                "SELECT count(DISTINCT global_index) FROM domain_event_entry", Long.class);
        System.out.printf("[system] %d events of %d aggregates checked%n", events, aggregates);
        assertThat(broken).isEmpty();
        assertThat(aggregates).isGreaterThan(500);
        assertThat(distinctIndexes).isEqualTo(events);
    }

    @Test
    @Order(6)
    void theCommandEndpointRefusesCallsWithoutTheServiceCredentialAndHandlesNothing() {
        String sku = "SYS-GUARDED";
        inventory.setStock(sku, 5);
        String command = RemoteCommand.reserveStock(sku, "intruder", 5);

        Api.Response anonymous = inventory.post("/spring-command-bus-connector/command", "application/json",
                command);
        Api.Response wrongSecret = inventory.post("/spring-command-bus-connector/command", "application/json",
                command, "Authorization", "Bearer not-the-secret");
        Api.Response capabilities = inventory.get("/member-capabilities");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(wrongSecret.status()).isEqualTo(401);
        assertThat(capabilities.status()).isEqualTo(401);
        assertThat(inventory.stock(sku).get("reserved").asInt()).as("nothing was reserved").isZero();
        assertThat(database.queryForObject("SELECT count(*) FROM domain_event_entry WHERE "
                + "ordersaga_event_order_id(payload) = 'intruder'", Integer.class)).isZero();

        // the same request with the credential is a command the service handles: the refusals above were not
        // because the request was malformed
        Api.Response authorized = inventory.post("/spring-command-bus-connector/command", "application/json",
                command, "Authorization", "Bearer " + deployment.secret());
        assertThat(authorized.status()).as(authorized.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(inventory.stock(sku).get("reserved").asInt()).isEqualTo(5));
    }

    @Test
    @Order(7)
    void theAuditLogRebuildsFromTheEventsOfAllFiveServicesBehindTheOperatorCredential() throws Exception {
        Api.Response anonymous = orders.withoutCredential().get("/admin/audit");
        Api.Response wrongToken = orders.send(orders.request("/admin/audit/rebuild")
                .header("Authorization", "Bearer not-the-token").POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.contentType()).startsWith("application/problem+json");
        assertThat(wrongToken.status()).isEqualTo(401);
        Cli refused = audit(null, "status");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("HTTP 401", "operator credential");

        await().atMost(SETTLE).untilAsserted(() -> {
            JsonNode status = Api.JSON.readTree(audit(deployment.adminToken(), "status").output());
            assertThat(status.path("state").asText()).isEqualTo("LIVE");
            assertThat(status.path("position").asLong(-1)).isEqualTo(status.path("head").asLong());
        });
        long position = Api.JSON.readTree(audit(deployment.adminToken(), "status").output()).path("position")
                .asLong();
        String before = audit(deployment.adminToken(), "digest", Long.toString(position)).output();
        List<Map<String, Object>> effects = database.queryForList("SELECT"
                + " (SELECT count(*) FROM payment_simulator_ledger) AS charges,"
                + " (SELECT count(*) FROM shipping_simulator_ledger) AS shipments,"
                + " (SELECT count(*) FROM notification_simulator_outbox) AS messages,"
                + " (SELECT count(*) FROM domain_event_entry) AS events");

        Cli rebuild = audit(deployment.adminToken(), "rebuild");

        assertThat(rebuild.exitCode()).as(rebuild.output()).isZero();
        assertThat(rebuild.output()).contains("rebuilt in");
        assertThat(audit(deployment.adminToken(), "digest", Long.toString(position)).output()).isEqualTo(before);
        assertThat(Api.JSON.readTree(before).path("orders").asLong()).isGreaterThan(200);
        assertThat(database.queryForList("SELECT DISTINCT service FROM audit_event", String.class))
                .containsExactlyInAnyOrder("order", "inventory", "payment", "shipping", "notification");
        assertThat(database.queryForList("SELECT"
                + " (SELECT count(*) FROM payment_simulator_ledger) AS charges,"
                + " (SELECT count(*) FROM shipping_simulator_ledger) AS shipments,"
                + " (SELECT count(*) FROM notification_simulator_outbox) AS messages,"
                + " (SELECT count(*) FROM domain_event_entry) AS events"))
                .as("no provider called, no event stored by the rebuild").isEqualTo(effects);
    }

    @Test
    @Order(8)
    void oneOrderIsOneTraceAcrossTheFiveProcesses() {
        String orderId = orders.placeAcceptedOrder(order("+31612345678", SKU, 1, "10.00"));
        orders.awaitStatus(orderId, "COMPLETED", SETTLE);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            // all but the settlement of its stock once it has ended: batched per SKU across orders, a trace of its own
            List<OtlpReceiver.ReceivedSpan> ofOrder = collector.spans().stream()
                    .filter(span -> orderId.equals(span.attributes().get("order.id")))
                    .filter(span -> !span.name().contains("(StockCommittedEvent)"))
                    .toList();
            String described = ofOrder.stream().map(span -> span.service() + ": " + span.name() + " " + span.traceId())
                    .sorted().collect(Collectors.joining("\n"));
            assertThat(ofOrder.stream().map(OtlpReceiver.ReceivedSpan::traceId).distinct())
                    .as("one trace:\n" + described).hasSize(1);
            assertThat(ofOrder.stream().filter(span -> span.name().startsWith("CommandBus.handleCommand"))
                    .map(OtlpReceiver.ReceivedSpan::service).distinct())
                    .as("commands handled in each process:\n" + described)
                    .contains("order-service", "inventory-service", "payment-service", "shipping-service",
                            "notification-service");
            assertThat(ofOrder).as("the saga's steps, in the order service:\n" + described)
                    .anyMatch(span -> span.service().equals("order-service")
                            && span.name().startsWith("SagaManager.invokeSaga(OrderSaga)"));
        });
    }

    /** {@code bin/audit} as an operator runs it against the order service, with or without the credential. */
    private Cli audit(String token, String... arguments) throws IOException, InterruptedException {
        Map<String, String> environment = new HashMap<>(Map.of("ORDERSAGA_URL", deployment.uri(ORDER),
                "AUDIT_POLL_SECONDS", "0.2"));
        environment.put("ORDERSAGA_ADMIN_TOKEN", token);
        return Cli.run(deployment.bin("audit"), environment, arguments);
    }

    private long failedAttempts(List<String> orderIds, String error) {
        return database.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE ? AND "
                        + "convert_from(payload, 'UTF8')::jsonb ->> 'error' = ? AND "
                        + "ordersaga_event_order_id(payload) IN (" + placeholders(orderIds) + ")", Long.class,
                java.util.stream.Stream.concat(java.util.stream.Stream.of("%.StepAttemptFailedEvent", error),
                        orderIds.stream()).toArray());
    }

    /** A gauge of the order service's scrape, for one service the saga sends commands to. */
    private double orderServiceGauge(String name, String service) {
        String scrape = orders.get("/actuator/prometheus").body();
        return scrape.lines()
                .filter(line -> line.startsWith(name + "{") && line.contains("service=\"" + service + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(name + " for " + service + " is not in the scrape"));
    }

    private List<Placed> placeConcurrently(int count, java.util.function.IntFunction<Outcome> outcomeOf)
            throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Placed>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Outcome outcome = outcomeOf.apply(i);
                boolean phone = i % 2 == 0;
                futures.add(clients.submit(() -> new Placed(orders.placeAcceptedOrder(body(outcome, phone)),
                        outcome, phone)));
            }
            List<Placed> placed = new ArrayList<>();
            for (Future<Placed> future : futures) {
                placed.add(future.get());
            }
            return placed;
        } finally {
            clients.shutdown();
        }
    }

    private static ObjectNode body(Outcome outcome, boolean phone) {
        String phoneNumber = phone ? "+31612345678" : null;
        return switch (outcome) {
            case COMPLETED -> order(phoneNumber, SKU, 1, "10.00");
            case DECLINED -> order(phoneNumber, SKU, 1, "20000.00");
            case UNDELIVERABLE -> {
                ObjectNode body = order(phoneNumber, SKU, 1, "10.00");
                ((ObjectNode) body.get("shippingAddress")).put("country", "AQ");
                yield body;
            }
            case OUT_OF_STOCK -> order(phoneNumber, EMPTY_SKU, 1, "10.00");
        };
    }

    private void awaitTerminal(List<Placed> placed) {
        List<String> ids = placed.stream().map(Placed::orderId).toList();
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1)).until(() -> database.queryForObject(
                "SELECT count(*) FROM order_summary WHERE status IN ('COMPLETED', 'CANCELLED') AND order_id IN ("
                        + placeholders(ids) + ")", Integer.class, ids.toArray()) == ids.size());
    }

    private long ledgerCount(String table, String keyColumn, String suffix, List<String> orderIds, String condition) {
        if (orderIds.isEmpty()) {
            return 0;
        }
        List<String> keys = orderIds.stream().map(id -> id + suffix).toList();
        return database.queryForObject("SELECT count(*) FROM " + table + " WHERE " + keyColumn + " IN ("
                + placeholders(keys) + ") AND " + condition, Long.class, keys.toArray());
    }

    private long charges(Deployment.Instance instance) {
        return deployment.log(instance).stream().filter(line -> line.contains("Charging the payment of order"))
                .count();
    }

    private static List<String> idsOf(List<Placed> placed, Outcome outcome) {
        return placed.stream().filter(p -> p.expected() == outcome).map(Placed::orderId).toList();
    }

    private static String placeholders(List<?> values) {
        return String.join(",", Collections.nCopies(values.size(), "?"));
    }
}
