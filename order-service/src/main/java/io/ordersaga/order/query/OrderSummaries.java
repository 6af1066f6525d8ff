package io.ordersaga.order.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderStep;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.io.UncheckedIOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The table {@code order_summary}, read and written with plain SQL: one statement per order read, inserted or updated,
 * nothing mapped, compared or validated besides. (On JPA, the projection spent 39 % of its CPU in Hibernate: loading a
 * row with its items' JSON, checking it for changes at every flush, validating it before every update.) The items are
 * parsed from their JSON only when a view asks for them: the projection never does.
 */
@Repository
public class OrderSummaries {

    private static final TypeReference<List<OrderLine>> LINES = new TypeReference<>() {
    };

    private static final String COLUMNS = """
            order_id, customer_id, status, total, currency, items::text AS items, reason, placed_at, updated_at, step,
            last_event, last_failure, last_failure_at, lines_pending, sms_planned, contact_email, contact_phone,
            tracking_number, retry_step, retry_target, retry_attempt, retry_attempts_before, next_attempt_at""";

    private static final String INSERT = """
            INSERT INTO order_summary (order_id, customer_id, status, total, currency, items, reason, placed_at,
                                       updated_at, step, last_event, last_failure, last_failure_at, lines_pending,
                                       sms_planned, contact_email, contact_phone, tracking_number, retry_step,
                                       retry_target, retry_attempt, retry_attempts_before, next_attempt_at)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (order_id) DO NOTHING""";

    /** What an event can change; the order's id, customer, amount, items, placing and contact never change. */
    private static final String UPDATE = """
            UPDATE order_summary SET status = ?, reason = ?, updated_at = ?, step = ?, last_event = ?,
                                     last_failure = ?, last_failure_at = ?, lines_pending = ?, tracking_number = ?,
                                     retry_step = ?, retry_target = ?, retry_attempt = ?, retry_attempts_before = ?,
                                     next_attempt_at = ?
            WHERE order_id = ?""";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final RowMapper<OrderSummary> row;

    public OrderSummaries(JdbcTemplate jdbc, @Qualifier("defaultAxonObjectMapper") ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        this.row = this::summary;
    }

    public Optional<OrderSummary> find(String orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM order_summary WHERE order_id = ?", row, orderId).stream()
                .findFirst();
    }

    /** When the order was placed, once the projection has it. */
    public Optional<Instant> placedAt(String orderId) {
        return jdbc.query("SELECT placed_at FROM order_summary WHERE order_id = ?",
                (rs, rowNumber) -> instant(rs, "placed_at"), orderId).stream().findFirst();
    }

    /** Those of these orders that have ended. */
    public List<OrderSummary> ended(Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM order_summary WHERE order_id = ANY (?)"
                + " AND status IN ('COMPLETED', 'CANCELLED')", row, (Object) orderIds.toArray(String[]::new));
    }

    /** Orders not ended: counted on the partial index {@code order_summary_open_idx}. */
    public long countOpen() {
        Long open = jdbc.queryForObject(
                "SELECT count(*) FROM order_summary WHERE status NOT IN ('COMPLETED', 'CANCELLED')", Long.class);
        return open == null ? 0 : open;
    }

    /** Stores a new order; {@code false} when its row is there already (its placing handled before). */
    boolean insert(OrderSummary order) {
        String items;
        try {
            items = json.writeValueAsString(order.getItems());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return jdbc.update(INSERT, statement -> {
            statement.setString(1, order.getOrderId());
            statement.setString(2, order.getCustomerId());
            statement.setString(3, order.getStatus().name());
            statement.setBigDecimal(4, order.getTotal());
            statement.setString(5, order.getCurrency());
            statement.setString(6, items);
            statement.setString(7, order.getReason());
            setInstant(statement, 8, order.getPlacedAt());
            setInstant(statement, 9, order.getUpdatedAt());
            statement.setString(10, name(order.getStep()));
            statement.setString(11, order.getLastEvent());
            statement.setString(12, order.getLastFailure());
            setInstant(statement, 13, order.getLastFailureAt());
            statement.setInt(14, order.getLinesPending());
            statement.setBoolean(15, order.isSmsPlanned());
            statement.setString(16, order.getContactEmail());
            statement.setString(17, order.getContactPhone());
            statement.setString(18, order.getTrackingNumber());
            statement.setString(19, name(order.getRetryStep()));
            statement.setString(20, order.getRetryTarget());
            statement.setObject(21, order.getRetryAttempt(), Types.INTEGER);
            statement.setInt(22, order.getRetryAttemptsBefore());
            setInstant(statement, 23, order.getNextAttemptAt());
        }) == 1;
    }

    /** Writes what events changed: one statement per order, however many of its events a batch held. */
    void update(Collection<OrderSummary> orders) {
        jdbc.batchUpdate(UPDATE, orders, orders.size(), (statement, order) -> {
            statement.setString(1, order.getStatus().name());
            statement.setString(2, order.getReason());
            setInstant(statement, 3, order.getUpdatedAt());
            statement.setString(4, name(order.getStep()));
            statement.setString(5, order.getLastEvent());
            statement.setString(6, order.getLastFailure());
            setInstant(statement, 7, order.getLastFailureAt());
            statement.setInt(8, order.getLinesPending());
            statement.setString(9, order.getTrackingNumber());
            statement.setString(10, name(order.getRetryStep()));
            statement.setString(11, order.getRetryTarget());
            statement.setObject(12, order.getRetryAttempt(), Types.INTEGER);
            statement.setInt(13, order.getRetryAttemptsBefore());
            setInstant(statement, 14, order.getNextAttemptAt());
            statement.setString(15, order.getOrderId());
        });
    }

    private OrderSummary summary(ResultSet rs, int rowNumber) throws SQLException {
        String items = rs.getString("items");
        return new OrderSummary(rs.getString("order_id"), rs.getString("customer_id"),
                OrderStatus.valueOf(rs.getString("status")), rs.getBigDecimal("total"), rs.getString("currency"),
                lines(items), rs.getString("reason"), instant(rs, "placed_at"), instant(rs, "updated_at"),
                step(rs, "step"), rs.getString("last_event"), rs.getString("last_failure"),
                instant(rs, "last_failure_at"), rs.getInt("lines_pending"), rs.getBoolean("sms_planned"),
                rs.getString("contact_email"), rs.getString("contact_phone"), rs.getString("tracking_number"),
                step(rs, "retry_step"), rs.getString("retry_target"), rs.getObject("retry_attempt", Integer.class),
                rs.getInt("retry_attempts_before"), instant(rs, "next_attempt_at"));
    }

    /** The items, parsed once, when first asked for. */
    private Supplier<List<OrderLine>> lines(String items) {
        return new Supplier<>() {
            private List<OrderLine> parsed;

            @Override
            public List<OrderLine> get() {
                if (parsed == null) {
                    try {
                        parsed = List.copyOf(json.readValue(items, LINES));
                    } catch (JsonProcessingException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return parsed;
            }
        };
    }

    private static String name(OrderStep step) {
        return step == null ? null : step.name();
    }

    private static OrderStep step(ResultSet rs, String column) throws SQLException {
        String step = rs.getString(column);
        return step == null ? null : OrderStep.valueOf(step);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    private static void setInstant(PreparedStatement statement, int index, Instant at) throws SQLException {
        statement.setObject(index, at == null ? null : at.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
    }
}
