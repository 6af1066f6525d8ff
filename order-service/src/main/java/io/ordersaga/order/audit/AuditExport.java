package io.ordersaga.order.audit;

import io.ordersaga.order.events.PersonalData;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The audit log's events as JSON lines — one order's, or those of a time range — each with its audit fields and its
 * payload from the event store (personal data masked). Streamed: rows come from a database cursor a thousand at a
 * time and each line is written as soon as it is read, so an export of any size takes the same little memory.
 */
@Component
public class AuditExport {

    private static final int FETCH_SIZE = 500;
    private static final int FLUSH_EVERY = 1_000;
    private static final String SELECT = """
            SELECT a.global_index, a.occurred_at, a.order_id, a.service, a.aggregate_type, a.aggregate_id,
                   a.sequence_number, a.event_type, a.step, a.target, a.attempt, a.outcome, a.detail, e.payload
              FROM audit_event a
              JOIN domain_event_entry e ON e.global_index = a.global_index
            """;

    /** What to export: one order's events, or those that happened in [from, to). */
    public sealed interface Selection permits OfOrder, Between {
    }

    public record OfOrder(String orderId) implements Selection {
    }

    public record Between(Instant from, Instant to) implements Selection {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate readOnly;
    private final ObjectMapper json;

    public AuditExport(JdbcTemplate jdbc, PlatformTransactionManager transactions,
                       @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setFetchSize(FETCH_SIZE); // PostgreSQL streams with a cursor inside a transaction
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.json = json;
    }

    public boolean hasOrder(String orderId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM audit_event WHERE order_id = ?)", Boolean.class, orderId));
    }

    /** Writes the selected events to {@code out}, one JSON object per line; returns how many. */
    public long write(Selection selection, OutputStream out) {
        return readOnly.execute(tx -> {
            try (JsonGenerator lines = json.createGenerator(out, JsonEncoding.UTF8)) {
                lines.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                lines.setRootValueSeparator(null); // each line ends with its own newline
                long[] count = {0};
                if (selection instanceof OfOrder order) {
                    jdbc.query(SELECT + " WHERE a.order_id = ? ORDER BY a.global_index",
                            (ResultSet row) -> line(row, lines, ++count[0]), order.orderId());
                } else if (selection instanceof Between range) {
                    jdbc.query(SELECT + " WHERE a.occurred_at >= ? AND a.occurred_at < ? ORDER BY a.global_index",
                            (ResultSet row) -> line(row, lines, ++count[0]),
                            Timestamp.from(range.from()), Timestamp.from(range.to()));
                }
                lines.flush();
                return count[0];
            } catch (IOException e) {
                throw new UncheckedIOException("Writing the audit export failed", e);
            }
        });
    }

    private void line(ResultSet row, JsonGenerator out, long count) throws SQLException {
        try {
            out.writeStartObject();
            out.writeNumberField("globalIndex", row.getLong("global_index"));
            out.writeStringField("timestamp", row.getTimestamp("occurred_at").toInstant().toString());
            out.writeStringField("orderId", row.getString("order_id"));
            out.writeStringField("service", row.getString("service"));
            out.writeStringField("aggregateType", row.getString("aggregate_type"));
            out.writeStringField("aggregateId", row.getString("aggregate_id"));
            long sequenceNumber = row.getLong("sequence_number");
            if (!row.wasNull()) {
                out.writeNumberField("sequenceNumber", sequenceNumber);
            }
            out.writeStringField("type", row.getString("event_type"));
            optional(out, "step", row.getString("step"));
            optional(out, "target", row.getString("target"));
            int attempt = row.getInt("attempt");
            if (!row.wasNull()) {
                out.writeNumberField("attempt", attempt);
            }
            out.writeStringField("outcome", row.getString("outcome"));
            optional(out, "detail", row.getString("detail"));
            JsonNode payload = PersonalData.mask(json.readTree(row.getBytes("payload")));
            out.writeFieldName("payload");
            out.writeTree(payload);
            out.writeEndObject();
            out.writeRaw('\n');
            if (count % FLUSH_EVERY == 0) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Writing the audit export failed", e);
        }
    }

    private static void optional(JsonGenerator out, String field, String value) throws IOException {
        if (value != null) {
            out.writeStringField(field, value);
        }
    }
}
