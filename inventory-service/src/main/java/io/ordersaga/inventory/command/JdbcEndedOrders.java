package io.ordersaga.inventory.command;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * {@link EndedOrders} in {@code inventory_ended_order}. Written on the settler's processor thread, in the transaction
 * that stores the processor's token: an event handled again after a rollback records its order again.
 */
@Component
public class JdbcEndedOrders implements EndedOrders {

    private final JdbcTemplate jdbc;

    public JdbcEndedOrders(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void record(String orderId, Outcome outcome, Instant endedAt) {
        jdbc.update("""
                INSERT INTO inventory_ended_order (order_id, outcome, ended_at) VALUES (?, ?, ?)
                ON CONFLICT (order_id) DO NOTHING""", orderId, outcome.name(), utc(endedAt));
    }

    @Override
    public boolean hasEnded(String orderId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM inventory_ended_order WHERE order_id = ?)", Boolean.class, orderId));
    }

    @Override
    public int forgetEndedBefore(Instant instant) {
        return jdbc.update("DELETE FROM inventory_ended_order WHERE ended_at < ?", utc(instant));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
