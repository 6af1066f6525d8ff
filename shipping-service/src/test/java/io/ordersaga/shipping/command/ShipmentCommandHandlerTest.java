package io.ordersaga.shipping.command;

import io.ordersaga.contracts.shipping.CancelShipmentCommand;
import io.ordersaga.contracts.shipping.ScheduleShipmentCommand;
import io.ordersaga.contracts.shipping.ShipmentCancelledEvent;
import io.ordersaga.contracts.shipping.ShipmentFailedEvent;
import io.ordersaga.contracts.shipping.ShipmentIds;
import io.ordersaga.contracts.shipping.ShipmentItem;
import io.ordersaga.contracts.shipping.ShipmentScheduledEvent;
import io.ordersaga.contracts.shipping.ShippingAddress;
import io.ordersaga.shipping.carrier.Carrier;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShipmentCommandHandlerTest {

    private static final String ORDER_ID = "order-1";
    private static final String SHIPMENT_ID = ShipmentIds.forOrder(ORDER_ID);
    private static final List<ShipmentItem> ITEMS = List.of(new ShipmentItem("LAPTOP-1", 2),
            new ShipmentItem("MOUSE-1", 1));
    private static final ShippingAddress ADDRESS =
            new ShippingAddress("Ada Lovelace", "Main Street 1", "Amsterdam", "1011AB", "NL");

    private FixtureConfiguration<Shipment> fixture;
    private FakeCarrier carrier;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Shipment.class);
        carrier = new FakeCarrier();
        fixture.registerAnnotatedCommandHandler(new ShipmentCommandHandler(fixture.getRepository(), carrier));
    }

    private static ScheduleShipmentCommand schedule() {
        return new ScheduleShipmentCommand(SHIPMENT_ID, ORDER_ID, ITEMS, ADDRESS);
    }

    @Test
    void aBookedShipmentIsRecordedWithCarrierAndTrackingNumber() {
        carrier.answer = () -> Carrier.Booking.booked("PostNL", "3SABCD1234567");

        fixture.givenNoPriorActivity()
                .when(schedule())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ShipmentScheduledEvent(SHIPMENT_ID, ORDER_ID, "PostNL", "3SABCD1234567"));
    }

    @Test
    void schedulingBooksWithTheCarrierOnceUnderTheOrdersShipmentKey() {
        carrier.answer = () -> Carrier.Booking.booked("PostNL", "3SABCD1234567");

        fixture.givenNoPriorActivity().when(schedule()).expectSuccessfulHandlerExecution();

        assertThat(carrier.bookings).containsExactly(
                new Carrier.BookingRequest("order-1:shipment", ORDER_ID, ITEMS, ADDRESS));
    }

    @Test
    void aRepeatedScheduleEmitsNothingAndDoesNotBookAgain() {
        carrier.answer = () -> Carrier.Booking.booked("PostNL", "3SABCD1234567");

        fixture.givenCommands(schedule())
                .when(schedule())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(carrier.bookings).hasSize(1);
    }

    @Test
    void schedulingAnAlreadyScheduledShipmentDoesNotCallTheCarrier() {
        fixture.given(new ShipmentScheduledEvent(SHIPMENT_ID, ORDER_ID, "PostNL", "3SABCD1234567"))
                .when(schedule())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(carrier.bookings).isEmpty();
    }

    @Test
    void aRefusedBookingIsRecordedAsAFailedShipmentWithTheCarriersReason() {
        carrier.answer = () -> Carrier.Booking.refused("address not deliverable");

        fixture.givenNoPriorActivity()
                .when(schedule())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new ShipmentFailedEvent(SHIPMENT_ID, ORDER_ID, "address not deliverable"));

        assertThat(carrier.bookings).hasSize(1);
    }

    @Test
    void schedulingAFailedShipmentAgainEmitsNothingAndDoesNotCallTheCarrier() {
        fixture.given(new ShipmentFailedEvent(SHIPMENT_ID, ORDER_ID, "address not deliverable"))
                .when(schedule())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(carrier.bookings).isEmpty();
    }

    @Test
    void aTransientCarrierFailureFailsTheCommandAndRecordsNothing() {
        carrier.answer = () -> {
            throw new CarrierUnavailable("carrier timed out");
        };

        fixture.givenNoPriorActivity()
                .when(schedule())
                .expectException(CarrierUnavailable.class)
                .expectExceptionMessage("carrier timed out")
                .expectNoEvents();

        assertThat(carrier.bookings).hasSize(1);
    }

    @Test
    void cancellingAShipmentWhoseBookingTimedOutCancelsWhatTheCarrierBookedUnderTheOrdersKey() {
        carrier.holdsBooking = true;

        fixture.givenNoPriorActivity()
                .when(new CancelShipmentCommand(SHIPMENT_ID, ORDER_ID, "booking gave no answer"))
                .expectEvents(new ShipmentCancelledEvent(SHIPMENT_ID, ORDER_ID, true));

        assertThat(carrier.cancellations).containsExactly(
                new Carrier.CancellationRequest("order-1:shipment-cancellation", "order-1:shipment"));
    }

    @Test
    void cancellingWhenTheCarrierBookedNothingRecordsThatNothingWasCancelled() {
        fixture.givenNoPriorActivity()
                .when(new CancelShipmentCommand(SHIPMENT_ID, ORDER_ID, "booking gave no answer"))
                .expectEvents(new ShipmentCancelledEvent(SHIPMENT_ID, ORDER_ID, false));
    }

    @Test
    void cancellingTwiceAsksTheCarrierOnce() {
        fixture.given(new ShipmentCancelledEvent(SHIPMENT_ID, ORDER_ID, true))
                .when(new CancelShipmentCommand(SHIPMENT_ID, ORDER_ID, "again"))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(carrier.cancellations).isEmpty();
    }

    @Test
    void aLateBookingAfterTheCancellationBooksNothing() {
        fixture.given(new ShipmentCancelledEvent(SHIPMENT_ID, ORDER_ID, false))
                .when(schedule())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(carrier.bookings).isEmpty();
    }

    /** A transient carrier failure: a timeout, an outage, a 5xx. */
    static final class CarrierUnavailable extends RuntimeException {
        CarrierUnavailable(String message) {
            super(message);
        }
    }

    /** Records every booking; answers as told, and fails loudly if called when the test did not expect it. */
    static final class FakeCarrier implements Carrier {

        interface Answer {
            Booking get();
        }

        final List<BookingRequest> bookings = new ArrayList<>();
        final List<CancellationRequest> cancellations = new ArrayList<>();
        Answer answer = () -> {
            throw new AssertionError("the test did not expect a booking");
        };
        /** whether the carrier holds a booking to cancel */
        boolean holdsBooking;

        @Override
        public Booking book(BookingRequest request) {
            bookings.add(request);
            return answer.get();
        }

        @Override
        public boolean cancel(CancellationRequest request) {
            cancellations.add(request);
            return holdsBooking;
        }
    }
}
