package io.ordersaga.order.command;

import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.inventory.StockReservationRejectedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.NotificationFailedEvent;
import io.ordersaga.contracts.notification.SmsSentEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentDeclinedEvent;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.shipping.ShipmentCancelledEvent;
import io.ordersaga.contracts.shipping.ShipmentFailedEvent;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The answers of the other services' steps, looked up in the event store by the order's id (the index of the order
 * history). A line's stock step is answered by that SKU's stock item; a notification's failure by its channel. The
 * Order aggregate's own steps (complete, cancel, start compensation) are known to the aggregate itself.
 */
@Component
public class JdbcStepAnswers implements StepAnswers {

    private final JdbcTemplate jdbc;

    public JdbcStepAnswers(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean answered(String orderId, OrderStep step, String target) {
        jdbc.query("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", resultSet -> null, orderId);
        return switch (step) {
            case RESERVE_STOCK -> stored(orderId, target, null, StockReservedEvent.class,
                    StockReservationRejectedEvent.class);
            case RELEASE_STOCK -> stored(orderId, target, null, StockReleasedEvent.class);
            case CHARGE_PAYMENT -> stored(orderId, null, null, PaymentChargedEvent.class, PaymentDeclinedEvent.class);
            case REFUND_PAYMENT -> stored(orderId, null, null, PaymentRefundedEvent.class);
            case SCHEDULE_SHIPMENT -> stored(orderId, null, null, ShipmentScheduledEvent.class,
                    ShipmentFailedEvent.class);
            case CANCEL_SHIPMENT -> stored(orderId, null, null, ShipmentCancelledEvent.class);
            case SEND_EMAIL -> stored(orderId, null, null, EmailSentEvent.class)
                    || stored(orderId, null, Channel.EMAIL, NotificationFailedEvent.class);
            case SEND_SMS -> stored(orderId, null, null, SmsSentEvent.class)
                    || stored(orderId, null, Channel.SMS, NotificationFailedEvent.class);
            case COMPLETE_ORDER, CANCEL_ORDER, START_COMPENSATION -> false;
        };
    }

    private boolean stored(String orderId, String aggregateId, Channel channel, Class<?>... answers) {
        StringBuilder sql = new StringBuilder("SELECT EXISTS (SELECT 1 FROM domain_event_entry"
                + " WHERE ordersaga_event_order_id(payload) = ? AND payload_type IN (");
        List<Object> arguments = new ArrayList<>(List.of(orderId));
        for (int i = 0; i < answers.length; i++) {
            sql.append(i == 0 ? "?" : ", ?");
            arguments.add(answers[i].getName());
        }
        sql.append(')');
        if (aggregateId != null) {
            sql.append(" AND aggregate_identifier = ?");
            arguments.add(aggregateId);
        }
        if (channel != null) {
            sql.append(" AND convert_from(payload, 'UTF8')::jsonb ->> 'channel' = ?");
            arguments.add(channel.name());
        }
        sql.append(')');
        return Boolean.TRUE.equals(jdbc.queryForObject(sql.toString(), Boolean.class,
                Stream.of(arguments.toArray()).toArray()));
    }
}
