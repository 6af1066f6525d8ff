package io.ordersaga.systemtests.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every event that carries an order's id, read from the event store itself ({@code domain_event_entry}, whichever
 * service stored it), grouped by order in the order the events were stored (their global index) — the same events
 * {@code GET /orders/{id}/history} shows.
 */
public final class EventStoreView {

    /** One stored event: its place in the store, its aggregate, its type (the class's simple name), its payload. */
    public record Stored(long globalIndex, String aggregateType, String aggregateId, long sequenceNumber, String type,
                         JsonNode payload) {

        public String text(String field) {
            JsonNode value = payload.path(field);
            return value.isMissingNode() || value.isNull() ? "" : value.asText();
        }

        @Override
        public String toString() {
            return String.format("#%d %s %s[%d] %s", globalIndex, type, aggregateType, sequenceNumber, payload);
        }
    }

    /** How an order ended in the event store, if it did. */
    public enum End { OPEN, COMPLETED, CANCELLED, BOTH }

    private final Map<String, List<Stored>> byOrder;

    private EventStoreView(Map<String, List<Stored>> byOrder) {
        this.byOrder = byOrder;
    }

    public static EventStoreView read(JdbcTemplate database) {
        Map<String, List<Stored>> byOrder = new LinkedHashMap<>();
        database.query("""
                SELECT global_index, type, aggregate_identifier, sequence_number, payload_type,
                       ordersaga_event_order_id(payload) AS order_id, convert_from(payload, 'UTF8') AS json
                  FROM domain_event_entry
                 WHERE ordersaga_event_order_id(payload) IS NOT NULL
                 ORDER BY global_index""", row -> {
            String payloadType = row.getString("payload_type");
            byOrder.computeIfAbsent(row.getString("order_id"), id -> new ArrayList<>()).add(new Stored(
                    row.getLong("global_index"), row.getString("type"), row.getString("aggregate_identifier"),
                    row.getLong("sequence_number"), payloadType.substring(payloadType.lastIndexOf('.') + 1),
                    json(row.getString("json"))));
        });
        return new EventStoreView(byOrder);
    }

    /** The ids of every order placed ({@code OrderPlacedEvent}). */
    public List<String> orders() {
        return byOrder.entrySet().stream()
                .filter(order -> order.getValue().stream().anyMatch(event -> event.type().equals("OrderPlacedEvent")))
                .map(Map.Entry::getKey).toList();
    }

    public List<Stored> events(String orderId) {
        return byOrder.getOrDefault(orderId, List.of());
    }

    public boolean placed(String orderId) {
        return events(orderId).stream().anyMatch(event -> event.type().equals("OrderPlacedEvent"));
    }

    public End end(String orderId) {
        boolean completed = count(orderId, "OrderCompletedEvent") > 0;
        boolean cancelled = count(orderId, "OrderCancelledEvent") > 0;
        return completed && cancelled ? End.BOTH : completed ? End.COMPLETED : cancelled ? End.CANCELLED : End.OPEN;
    }

    public long count(String orderId, String type) {
        return events(orderId).stream().filter(event -> event.type().equals(type)).count();
    }

    /** How many events of this type the store holds, for all orders. */
    public long count(String type) {
        return byOrder.values().stream().flatMap(List::stream).filter(event -> event.type().equals(type)).count();
    }

    /** The order's lines as placed: SKU and quantity. */
    public Map<String, Integer> lines(String orderId) {
        Map<String, Integer> lines = new LinkedHashMap<>();
        events(orderId).stream().filter(event -> event.type().equals("OrderPlacedEvent")).findFirst()
                .ifPresent(placed -> placed.payload().path("items").forEach(line ->
                        lines.merge(line.path("sku").asText(), line.path("quantity").asInt(), Integer::sum)));
        return lines;
    }

    /** A short account of the order's events, one line each, for a report. */
    public String describe(String orderId) {
        StringBuilder text = new StringBuilder();
        for (Stored event : events(orderId)) {
            text.append(String.format("%n    #%-7d %-13s %-32s %s %s %s", event.globalIndex(), event.aggregateType(),
                    event.type(), event.text("step"), event.text("target").isEmpty() ? event.text("sku")
                            : event.text("target"), event.text("attempt").isEmpty() ? event.text("reason")
                            : "attempt " + event.text("attempt") + " " + event.text("error")));
        }
        return text.toString();
    }

    private static JsonNode json(String text) {
        try {
            return Api.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("A payload that is not JSON: " + text, e);
        }
    }
}
