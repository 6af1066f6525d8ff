package io.ordersaga.order.query;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersaga.order.events.PersonalData;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * Everything that happened to an order, read from the event store itself: the events of every aggregate that took
 * part (the order, each SKU's stock item, the payment, the shipment, the notifications) in the order they were
 * stored.
 *
 * <p>Every such event carries the order's id in its payload; {@code ordersaga_event_order_id(payload)} extracts it
 * and an index on that expression makes this a lookup (migration {@code V2__order_history_index.sql}). Contact
 * details and the address are masked ({@link PersonalData}): the history tells what happened, not who to.
 */
@Component
public class OrderHistory {

    private static final String QUERY = """
            SELECT time_stamp, type, aggregate_identifier, sequence_number, payload_type, payload
              FROM domain_event_entry
             WHERE ordersaga_event_order_id(payload) = ?
             ORDER BY global_index""";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public OrderHistory(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One event; {@code payloadType} (the event's class name, as stored) is for the timeline, not shown. */
    public record Entry(Instant timestamp, String aggregateType, String aggregateId, long sequenceNumber,
                        String type,
                        @Schema(type = "object", implementation = Object.class,
                                description = "The event as stored, contact details and address masked")
                        JsonNode payload,
                        @JsonIgnore String payloadType) {
    }

    public List<Entry> of(String orderId) {
        return jdbc.query(QUERY, (row, n) -> new Entry(
                Instant.parse(row.getString("time_stamp")),
                row.getString("type"),
                row.getString("aggregate_identifier"),
                row.getLong("sequence_number"),
                simpleName(row.getString("payload_type")),
                PersonalData.mask(read(row.getBytes("payload"))),
                row.getString("payload_type")), orderId);
    }

    private JsonNode read(byte[] payload) {
        try {
            return json.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException("Event payload is not JSON", e);
        }
    }

    private static String simpleName(String payloadType) {
        return payloadType.substring(payloadType.lastIndexOf('.') + 1);
    }
}
