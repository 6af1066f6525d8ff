package io.ordersaga.shipping.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordersaga.contracts.shipping.CancelShipmentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.contracts.shipping.ShipmentCancelledEvent;
import io.ordersaga.contracts.shipping.ShipmentFailedEvent;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The shipment of one order: scheduled or failed, once; cancelled at most once (a compensation, also when the booking's
 * outcome is unknown). Once cancelled, nothing is booked any more. The carrier is called by
 * {@link ShipmentCommandHandler}.
 */
@Aggregate(cache = "aggregateCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Shipment {

    enum Status { SCHEDULED, FAILED, CANCELLED }

    @AggregateIdentifier
    private String shipmentId;
    private Status status;

    public Shipment() {
        // for Axon, and for ShipmentCommandHandler's loadOrCreate
    }

    boolean isSettled() {
        return status != null;
    }

    boolean isCancelled() {
        return status == Status.CANCELLED;
    }

    void cancelled(CancelShipmentCommand command, boolean bookingCancelled) {
        if (!isCancelled()) {
            apply(new ShipmentCancelledEvent(command.shipmentId(), command.orderId(), bookingCancelled));
        }
    }

    void scheduled(ScheduleShipmentCommand command, String carrier, String trackingNumber) {
        if (!isSettled()) {
            apply(new ShipmentScheduledEvent(command.shipmentId(), command.orderId(), carrier, trackingNumber));
        }
    }

    void failed(ScheduleShipmentCommand command, String reason) {
        if (!isSettled()) {
            apply(new ShipmentFailedEvent(command.shipmentId(), command.orderId(), reason));
        }
    }

    @EventSourcingHandler
    void on(ShipmentScheduledEvent event) {
        shipmentId = event.shipmentId();
        status = Status.SCHEDULED;
    }

    @EventSourcingHandler
    void on(ShipmentCancelledEvent event) {
        shipmentId = event.shipmentId();
        status = Status.CANCELLED;
    }

    @EventSourcingHandler
    void on(ShipmentFailedEvent event) {
        shipmentId = event.shipmentId();
        status = Status.FAILED;
    }
}
