package io.ordersaga.order.query;

import io.ordersaga.contracts.order.OrderLine;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** One row per order: what {@code GET /orders/{id}} answers. Written only by {@link OrderProjection}. */
@Entity
@Table(name = "order_summary")
public class OrderSummary {

    @Id
    private String orderId;
    private String customerId;
    @Enumerated(EnumType.STRING)
    private OrderStatus status;
    private BigDecimal total;
    private String currency;
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    private List<OrderLine> items;
    private String reason;
    private Instant placedAt;
    private Instant updatedAt;

    protected OrderSummary() {
        // for JPA
    }

    OrderSummary(String orderId, String customerId, List<OrderLine> items, BigDecimal total, String currency,
                 Instant placedAt) {
        this.orderId = orderId;
        this.customerId = customerId;
        this.items = items;
        this.total = total;
        this.currency = currency;
        this.status = OrderStatus.PLACED;
        this.placedAt = placedAt;
        this.updatedAt = placedAt;
    }

    /** Moves to {@code next} unless the order already ended: a terminal status never changes. */
    void moveTo(OrderStatus next, Instant at) {
        if (!status.isTerminal()) {
            status = next;
            updatedAt = at;
        }
    }

    void cancel(String reason, Instant at) {
        if (!status.isTerminal()) {
            this.reason = reason;
            moveTo(OrderStatus.CANCELLED, at);
        }
    }

    public String getOrderId() {
        return orderId;
    }

    public String getCustomerId() {
        return customerId;
    }

    public OrderStatus getStatus() {
        return status;
    }

    public BigDecimal getTotal() {
        return total;
    }

    public String getCurrency() {
        return currency;
    }

    public List<OrderLine> getItems() {
        return items;
    }

    public String getReason() {
        return reason;
    }

    public Instant getPlacedAt() {
        return placedAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
