package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.contracts.inventory.ReleaseStockCommand;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.inventory.command.SettleStockCommand;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.inventory.command.EndedOrders;
import io.ordersaga.inventory.command.StockItem;
import io.ordersaga.inventory.command.StockLevelSetEvent;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.History;
import io.ordersaga.standalone.support.StandaloneIT;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A StockItem keeps bounded state: its open reservations and the last {@value StockItem#RECENTLY_CLOSED} orders it
 * closed. What arrives later than that for an order that has ended is given back by the inventory's processor
 * that follows how orders end; snapshots stay small; snapshots of the old, unbounded shape are passed over.
 */
@StandaloneIT
class StockSettlementIT {

    private static final Duration SETTLED = Duration.ofSeconds(20);

    @Autowired
    CommandGateway commands;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    EventStore eventStore;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    EndedOrders endedOrders;
    Api api;
    String sku;

    @BeforeEach
    void setUp() {
        sku = uniqueSku("LATE");
        api.setStock(sku, 10);
    }

    @Test
    void aReservationArrivingForACancelledOrderAfterTheSkuForgotItIsGivenBack() {
        // more than 10,000.00: the payment simulator declines, the saga releases the stock and cancels
        String orderId = api.placeAcceptedOrder(order(null, sku, 2, "6000.00"));
        api.awaitStatus(orderId, "CANCELLED", SETTLED);
        awaitStock(10, 0);
        makeTheSkuForget();

        sendAndWait(new ReserveStockCommand(sku, orderId, 2)); // a late retry: taken, for the SKU has forgotten

        awaitStock(10, 0);
        History history = History.of(api.history(orderId));
        assertThat(history.types()).as(history.describe())
                .containsSubsequence("OrderCancelledEvent", "StockReservedEvent", "StockReleasedEvent");
        assertThat(lastOfType(history, "StockReleasedEvent").get("payload").get("quantity").asInt()).isEqualTo(2);
        assertThat(endedAs(orderId)).isEqualTo("CANCELLED");
    }

    @Test
    void aDuplicateReservationAfterTheOrderCompletedIsGivenBackSoTheStockLeavesOnce() {
        String orderId = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        api.awaitStatus(orderId, "COMPLETED", SETTLED);
        awaitStock(9, 0); // committed by the inventory once the order completed
        makeTheSkuForget();

        sendAndWait(new ReserveStockCommand(sku, orderId, 1));

        awaitStock(9, 0);
        History history = History.of(api.history(orderId));
        assertThat(history.types()).as(history.describe())
                .containsSubsequence("OrderCompletedEvent", "StockCommittedEvent", "StockReservedEvent",
                        "StockReleasedEvent");
        assertThat(endedAs(orderId)).isEqualTo("COMPLETED");
    }

    @Test
    void aLateReservationWithinTheWindowTakesNothingAndRecordsNothing() {
        String orderId = api.placeAcceptedOrder(order(null, sku, 2, "6000.00"));
        api.awaitStatus(orderId, "CANCELLED", SETTLED);
        awaitStock(10, 0);
        long eventsBefore = eventsOf(sku);

        sendAndWait(new ReserveStockCommand(sku, orderId, 2));

        assertThat(eventsOf(sku)).isEqualTo(eventsBefore);
        assertThat(api.stock(sku).get("reserved").asInt()).isZero();
    }

    @Test
    void aPopularSkuKeepsASmallSnapshot() throws Exception {
        api.setStock(sku, 1_000_000);
        List<String> orders = IntStream.range(0, 400).mapToObj(n -> UUID.randomUUID().toString()).toList();
        for (String orderId : orders) {
            sendAndWait(new ReserveStockCommand(sku, orderId, 1));
            sendAndWait(new SettleStockCommand(sku, List.of(
                    new SettleStockCommand.Settlement(orderId, SettleStockCommand.Kind.COMMIT))));
        }

        await().atMost(SETTLED).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT max(sequence_number) FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                Long.class, sku)).isGreaterThan(600L));
        var snapshot = jdbc.queryForMap("""
                SELECT payload_revision, octet_length(payload) AS bytes, convert_from(payload, 'UTF8') AS json
                  FROM snapshot_event_entry WHERE aggregate_identifier = ?
                 ORDER BY sequence_number DESC LIMIT 1""", sku);
        System.out.printf("Snapshot of a StockItem after 400 orders: %s bytes%n", snapshot.get("bytes"));
        assertThat(snapshot.get("payload_revision")).isEqualTo("2");
        assertThat((Integer) snapshot.get("bytes")).isLessThan(12 * 1024);
        JsonNode state = Api.JSON.readTree((String) snapshot.get("json"));
        assertThat(state.get("recentlyClosed").size()).isEqualTo(StockItem.RECENTLY_CLOSED);
        // taken after a reservation or after its commit: one order open at most
        assertThat(state.get("openReservations").size()).isLessThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = ?",
                Integer.class, sku)).as("older snapshots are replaced").isOne();
    }

    /**
     * Upgrading: a snapshot written before the state was bounded (no revision, every order in {@code reservations})
     * is passed over and the item rebuilt from its events. Were it read, its open reservation would be lost: the new
     * shape has no {@code reservations}, and unknown properties are ignored.
     */
    @Test
    void aSnapshotOfTheOldUnboundedShapeIsPassedOverAndTheItemRebuiltFromItsEvents() {
        String oldSku = uniqueSku("OLD");
        appendStockItemEvents(oldSku, new StockLevelSetEvent(oldSku, 10), new StockReservedEvent(oldSku, "order-1", 4));
        storeSnapshot(oldSku, 1, null, """
                {"sku":"%s","stocked":true,"onHand":10,"reserved":4,
                 "reservations":{"order-1":{"quantity":4,"state":"RESERVED"},"order-0":{"quantity":0,"state":"RELEASED"}}}
                """.formatted(oldSku));

        sendAndWait(new ReleaseStockCommand(oldSku, "order-1"));

        assertThat(releasedQuantities(oldSku)).containsExactly(4);
    }

    /** The control for the test above: a snapshot of the current revision is read (its state differs from the events). */
    @Test
    void aSnapshotOfTheCurrentRevisionIsRead() {
        String newSku = uniqueSku("NEW");
        appendStockItemEvents(newSku, new StockLevelSetEvent(newSku, 10), new StockReservedEvent(newSku, "order-1", 4));
        storeSnapshot(newSku, 1, "2", """
                {"sku":"%s","stocked":true,"onHand":10,"reserved":3,
                 "openReservations":{"order-1":3},"recentlyClosed":{}}
                """.formatted(newSku));

        sendAndWait(new ReleaseStockCommand(newSku, "order-1"));

        assertThat(releasedQuantities(newSku)).containsExactly(3);
    }

    @Test
    void endedOrdersAreRecordedOnceAndForgottenAfterTheirRetention() {
        String old = "ended-" + UUID.randomUUID();
        String recent = "ended-" + UUID.randomUUID();
        endedOrders.record(old, EndedOrders.Outcome.CANCELLED, Instant.parse("2000-01-01T00:00:00Z"));
        endedOrders.record(old, EndedOrders.Outcome.COMPLETED, Instant.parse("2000-01-02T00:00:00Z"));
        endedOrders.record(recent, EndedOrders.Outcome.COMPLETED, Instant.now());
        assertThat(endedAs(old)).isEqualTo("CANCELLED");

        assertThat(endedOrders.forgetEndedBefore(Instant.parse("2001-01-01T00:00:00Z"))).isOne();

        assertThat(endedOrders.hasEnded(old)).isFalse();
        assertThat(endedOrders.hasEnded(recent)).isTrue();
    }

    // -- helpers ---------------------------------------------------------------------------------------------------

    /** Closes {@value StockItem#RECENTLY_CLOSED} other orders on the SKU, so it no longer remembers the earlier ones. */
    private void makeTheSkuForget() {
        CompletableFuture.allOf(IntStream.range(0, StockItem.RECENTLY_CLOSED)
                        .mapToObj(n -> commands.send(new ReleaseStockCommand(sku, "other-" + UUID.randomUUID())))
                        .toArray(CompletableFuture[]::new))
                .orTimeout(60, TimeUnit.SECONDS).join();
    }

    private void sendAndWait(Object command) {
        commands.sendAndWait(command, 10, TimeUnit.SECONDS);
    }

    private void awaitStock(int onHand, int reserved) {
        await().atMost(SETTLED).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode stock = api.stock(sku);
            assertThat(stock.get("onHand").asInt()).as("on hand").isEqualTo(onHand);
            assertThat(stock.get("reserved").asInt()).as("reserved").isEqualTo(reserved);
        });
    }

    private String endedAs(String orderId) {
        return jdbc.queryForObject("SELECT outcome FROM inventory_ended_order WHERE order_id = ?", String.class,
                orderId);
    }

    private long eventsOf(String aggregateId) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, aggregateId);
    }

    private static JsonNode lastOfType(History history, String type) {
        List<JsonNode> ofType = history.ofType(type);
        return ofType.get(ofType.size() - 1);
    }

    private List<Integer> releasedQuantities(String aggregateId) {
        return jdbc.queryForList("""
                SELECT (convert_from(payload, 'UTF8')::jsonb ->> 'quantity')::int FROM domain_event_entry
                 WHERE aggregate_identifier = ? AND payload_type = ? ORDER BY sequence_number""",
                Integer.class, aggregateId, "io.ordersaga.contracts.inventory.StockReleasedEvent");
    }

    /** Appends events to a StockItem straight into the event store, without loading (or caching) the aggregate. */
    private void appendStockItemEvents(String aggregateId, Object... payloads) {
        String type = stockItemType();
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            for (int sequence = 0; sequence < payloads.length; sequence++) {
                eventStore.publish(new GenericDomainEventMessage<>(
                        type, aggregateId, sequence, payloads[sequence]));
            }
        });
    }

    private void storeSnapshot(String aggregateId, long sequence, String revision, String json) {
        jdbc.update("""
                INSERT INTO snapshot_event_entry (aggregate_identifier, sequence_number, type, event_identifier,
                                                  meta_data, payload, payload_revision, payload_type, time_stamp)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                aggregateId, sequence, stockItemType(), UUID.randomUUID().toString(),
                "{}".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), revision,
                StockItem.class.getName(), Instant.now().toString());
    }

    /** the aggregate type Axon records for StockItem events */
    private String stockItemType() {
        return jdbc.queryForObject("SELECT type FROM domain_event_entry WHERE aggregate_identifier = ? LIMIT 1",
                String.class, sku);
    }
}
