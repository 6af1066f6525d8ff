package io.ordersaga.order.query;

import io.ordersaga.contracts.order.OrderStep;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Lists and counts orders for people and tools: the most recent first, or those stuck (not ended although placed long
 * ago) the oldest first; narrowed by status and customer; one page at a time, each page ending with a cursor from
 * which the next one starts. Pages are keyed on (placed at, order id), so an order is on exactly one page however many
 * orders are placed meanwhile (a new order is newer than every page of the recent list).
 */
@Component
public class OrderSearch {

    private static final String COLUMNS = "order_id, customer_id, status, step, placed_at, updated_at, last_event,"
            + " last_failure, last_failure_at, reason";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public OrderSearch(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * What to list: of these statuses (all when empty), of this customer (any when {@code null}); with
     * {@code stuckFor}, only orders not ended although placed longer ago than that, the oldest first.
     */
    public record Filter(Set<OrderStatus> statuses, String customerId, Duration stuckFor) {

        boolean stuck() {
            return stuckFor != null;
        }
    }

    /** Where a page starts: after this order, in the list's order. Opaque to clients. */
    public record Cursor(boolean stuck, Instant placedAt, String orderId) {

        public String encode() {
            String text = (stuck ? "s" : "r") + ":" + placedAt.getEpochSecond() + ":" + placedAt.getNano() + ":"
                    + orderId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        /** The cursor a previous page ended with; empty when {@code text} is not one. */
        public static Optional<Cursor> decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8)
                        .split(":", 4);
                if (parts.length != 4 || !(parts[0].equals("s") || parts[0].equals("r")) || parts[3].isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new Cursor(parts[0].equals("s"),
                        Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])), parts[3]));
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                return Optional.empty();
            }
        }
    }

    /** One page, and the cursor of the next one (empty on the last page). */
    public record Page(List<OrderListItem> orders, Optional<Cursor> next) {
    }

    public Page page(Filter filter, Cursor after, int limit) {
        if (after != null && after.stuck() != filter.stuck()) {
            throw new IllegalArgumentException("The cursor is from another list");
        }
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM order_summary WHERE status IN (");
        List<Object> arguments = new ArrayList<>();
        Collection<OrderStatus> statuses = statuses(filter);
        sql.append(statuses.stream().map(status -> "?").collect(Collectors.joining(", "))).append(')');
        statuses.forEach(status -> arguments.add(status.name()));
        if (filter.customerId() != null) {
            sql.append(" AND customer_id = ?");
            arguments.add(filter.customerId());
        }
        if (filter.stuck()) {
            sql.append(" AND placed_at < ?");
            arguments.add(at(clock.instant().minus(filter.stuckFor())));
        }
        if (after != null) {
            sql.append(filter.stuck() ? " AND (placed_at, order_id) > (?, ?)" : " AND (placed_at, order_id) < (?, ?)");
            arguments.add(at(after.placedAt()));
            arguments.add(after.orderId());
        }
        sql.append(filter.stuck() ? " ORDER BY placed_at, order_id" : " ORDER BY placed_at DESC, order_id DESC");
        sql.append(" LIMIT ?");
        arguments.add(limit + 1);
        List<OrderListItem> rows = jdbc.query(sql.toString(), ROW, arguments.toArray());
        if (rows.size() <= limit) {
            return new Page(rows, Optional.empty());
        }
        List<OrderListItem> page = rows.subList(0, limit);
        OrderListItem last = page.get(limit - 1);
        return new Page(List.copyOf(page), Optional.of(new Cursor(filter.stuck(), last.placedAt(), last.orderId())));
    }

    /** How many orders there are of each status (every status, 0 included), of one customer or of all. */
    public Map<OrderStatus, Long> counts(String customerId) {
        Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
        Arrays.stream(OrderStatus.values()).forEach(status -> counts.put(status, 0L));
        String sql = "SELECT status, count(*) AS orders FROM order_summary"
                + (customerId == null ? "" : " WHERE customer_id = ?") + " GROUP BY status";
        RowMapper<Void> count = (row, i) -> {
            counts.put(OrderStatus.valueOf(row.getString("status")), row.getLong("orders"));
            return null;
        };
        if (customerId == null) {
            jdbc.query(sql, count);
        } else {
            jdbc.query(sql, count, customerId);
        }
        return counts;
    }

    private static Collection<OrderStatus> statuses(Filter filter) {
        Set<OrderStatus> wanted = filter.statuses().isEmpty() ? Set.of(OrderStatus.values()) : filter.statuses();
        return filter.stuck() ? wanted.stream().filter(status -> !status.isTerminal()).sorted().toList()
                : wanted.stream().sorted().toList();
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static final RowMapper<OrderListItem> ROW = (row, i) -> new OrderListItem(row.getString("order_id"),
            row.getString("customer_id"), OrderStatus.valueOf(row.getString("status")),
            row.getString("step") == null ? null : OrderStep.valueOf(row.getString("step")),
            instant(row, "placed_at"), instant(row, "updated_at"), row.getString("last_event"),
            row.getString("last_failure"), instant(row, "last_failure_at"), row.getString("reason"));
}
