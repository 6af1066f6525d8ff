package io.ordersaga.order.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersaga.contracts.Redact;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Everything that happened to an order, read from the event store itself: the events of every aggregate that took
 * part (the order, each SKU's stock item, the payment, the shipment, the notifications) in the order they were
 * stored.
 *
 * <p>Every such event carries the order's id in its payload; {@code ordersaga_event_order_id(payload)} extracts it
 * and an index on that expression makes this a lookup (migration {@code V2__order_history_index.sql}). Contact
 * details and the address are masked: the history tells what happened, not who to.
 */
@Component
public class OrderHistory {

    private static final String QUERY = """
            SELECT time_stamp, type, aggregate_identifier, sequence_number, payload_type, payload
              FROM domain_event_entry
             WHERE ordersaga_event_order_id(payload) = ?
             ORDER BY global_index""";
    private static final Set<String> ADDRESS_FIELDS = Set.of("shippingAddress", "address");

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public OrderHistory(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public record Entry(Instant timestamp, String aggregateType, String aggregateId, long sequenceNumber,
                       String type, JsonNode payload) {
    }

    public List<Entry> of(String orderId) {
        return jdbc.query(QUERY, (row, n) -> new Entry(
                Instant.parse(row.getString("time_stamp")),
                row.getString("type"),
                row.getString("aggregate_identifier"),
                row.getLong("sequence_number"),
                simpleName(row.getString("payload_type")),
                masked(read(row.getBytes("payload")))), orderId);
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

    private static JsonNode masked(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (ADDRESS_FIELDS.contains(name) && value instanceof ObjectNode address) {
                    for (String part : List.of("name", "street", "city", "postalCode")) {
                        if (address.hasNonNull(part)) {
                            address.put(part, "***");
                        }
                    }
                } else if (value.isTextual() && (name.equals("email") || name.equals("emailAddress"))) {
                    object.put(name, Redact.email(value.asText()));
                } else if (value.isTextual() && (name.equals("phone") || name.equals("phoneNumber"))) {
                    object.put(name, Redact.phone(value.asText()));
                } else {
                    masked(value);
                }
            });
        } else if (node != null && node.isArray()) {
            node.forEach(OrderHistory::masked);
        }
        return node;
    }
}
