package io.ordersaga.order.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordersaga.contracts.inventory.ReleaseStockCommand;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.notification.NotificationIds;
import io.ordersaga.contracts.notification.OrderConfirmation;
import io.ordersaga.contracts.notification.SendEmailCommand;
import io.ordersaga.contracts.notification.SendSmsCommand;
import io.ordersaga.contracts.order.CancelOrderCommand;
import io.ordersaga.contracts.order.CompleteOrderCommand;
import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.OrderPlacedEvent;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.StartCompensationCommand;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentIds;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.contracts.shipping.CancelShipmentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.contracts.shipping.ShipmentIds;
import io.ordersaga.contracts.shipping.ShipmentItem;
import io.ordersaga.contracts.shipping.ShippingAddress;

import java.math.BigDecimal;
import java.util.List;

/**
 * The order as the saga keeps it: what was placed, and the tracking number once shipped — enough to build the command
 * of each step. Part of the saga's state, stored as fields of the saga's own JSON ({@code @JsonUnwrapped}).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
final class PlacedOrder {

    private String orderId;
    private String customerId;
    private List<OrderLine> items;
    private BigDecimal total;
    private String currency;
    private ContactDetails contact;
    private ShippingAddress shippingAddress;
    private String trackingNumber;

    private PlacedOrder() {
        // for Jackson
    }

    static PlacedOrder of(OrderPlacedEvent event) {
        PlacedOrder order = new PlacedOrder();
        order.orderId = event.orderId();
        order.customerId = event.customerId();
        order.items = event.items();
        order.total = event.total();
        order.currency = event.currency();
        order.contact = event.contact();
        order.shippingAddress = event.shippingAddress();
        return order;
    }

    String orderId() {
        return orderId;
    }

    List<OrderLine> items() {
        return items;
    }

    /** Whether the customer gave a phone number: without one there is no SMS to send. */
    boolean hasPhone() {
        return contact.hasPhone();
    }

    void shipped(String trackingNumber) {
        this.trackingNumber = trackingNumber;
    }

    /**
     * The command that attempts {@code step} for {@code target} (the SKU of a line, or {@code null}). {@code failure}
     * is why compensation starts; {@code reason} why the order is cancelled, which the undo commands carry along.
     */
    Object command(OrderStep step, String target, String failure, String reason) {
        return switch (step) {
            case RESERVE_STOCK -> new ReserveStockCommand(target, orderId, quantityOf(target));
            case CHARGE_PAYMENT ->
                    new ChargePaymentCommand(PaymentIds.forOrder(orderId), orderId, customerId, total, currency);
            case SCHEDULE_SHIPMENT -> new ScheduleShipmentCommand(ShipmentIds.forOrder(orderId), orderId,
                    items.stream().map(line -> new ShipmentItem(line.sku(), line.quantity())).toList(),
                    shippingAddress);
            case SEND_EMAIL -> new SendEmailCommand(NotificationIds.forOrder(orderId), orderId, contact.email(),
                    new OrderConfirmation(total, currency, trackingNumber));
            case SEND_SMS -> new SendSmsCommand(NotificationIds.forOrder(orderId), orderId, contact.phone(),
                    new OrderConfirmation(total, currency, trackingNumber));
            case COMPLETE_ORDER -> new CompleteOrderCommand(orderId);
            case START_COMPENSATION -> new StartCompensationCommand(orderId, failure);
            case CANCEL_SHIPMENT -> new CancelShipmentCommand(ShipmentIds.forOrder(orderId), orderId, reason);
            case REFUND_PAYMENT -> new RefundPaymentCommand(PaymentIds.forOrder(orderId), orderId, reason);
            case RELEASE_STOCK -> new ReleaseStockCommand(target, orderId);
            case CANCEL_ORDER -> new CancelOrderCommand(orderId, reason);
        };
    }

    private int quantityOf(String sku) {
        return items.stream().filter(line -> line.sku().equals(sku)).findFirst().orElseThrow().quantity();
    }
}
