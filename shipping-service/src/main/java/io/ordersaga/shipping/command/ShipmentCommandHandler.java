package io.ordersaga.shipping.command;

import io.ordersaga.contracts.shipping.CancelShipmentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.shipping.carrier.Carrier;
import io.ordersaga.shipping.carrier.Carrier.Booking;
import io.ordersaga.shipping.carrier.Carrier.BookingRequest;
import io.ordersaga.shipping.carrier.Carrier.CancellationRequest;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.springframework.stereotype.Component;

/**
 * Handles shipment commands: does nothing if the shipment already has its outcome, otherwise books with the carrier
 * (idempotency key per order) and has the Shipment record the outcome. See {@code PaymentCommandHandler} for why
 * this makes a retried step book exactly once.
 */
@Component
public class ShipmentCommandHandler {

    private final Repository<Shipment> shipments;
    private final Carrier carrier;

    public ShipmentCommandHandler(Repository<Shipment> shipments, Carrier carrier) {
        this.shipments = shipments;
        this.carrier = carrier;
    }

    @CommandHandler
    public void handle(ScheduleShipmentCommand command) throws Exception {
        Aggregate<Shipment> shipment = shipments.loadOrCreate(command.shipmentId(), Shipment::new);
        if (shipment.invoke(Shipment::isSettled)) {
            return;
        }
        Booking booking = carrier.book(new BookingRequest(Carrier.bookingKey(command.orderId()), command.orderId(),
                command.items(), command.address()));
        if (booking.isBooked()) {
            shipment.execute(s -> s.scheduled(command, booking.carrier(), booking.trackingNumber()));
        } else {
            shipment.execute(s -> s.failed(command, booking.refusalReason()));
        }
    }

    @CommandHandler
    public void handle(CancelShipmentCommand command) throws Exception {
        Aggregate<Shipment> shipment = shipments.loadOrCreate(command.shipmentId(), Shipment::new);
        if (shipment.invoke(Shipment::isCancelled)) {
            return;
        }
        boolean bookingCancelled = carrier.cancel(new CancellationRequest(Carrier.cancellationKey(command.orderId()),
                Carrier.bookingKey(command.orderId())));
        shipment.execute(s -> s.cancelled(command, bookingCancelled));
    }
}
