package io.ordersaga.shipping.carrier;

import io.ordersaga.contracts.shipping.ShipmentItem;
import io.ordersaga.contracts.shipping.ShippingAddress;

import java.util.List;

/**
 * The carrier, as the shipping service needs it. A booking carries an idempotency key: the carrier books each key
 * at most once and answers a repeated key with the first outcome. A transient failure (timeout, carrier down,
 * 5xx) is thrown as an exception; a refusal (e.g. an address it cannot deliver to) is an outcome.
 */
public interface Carrier {

    Booking book(BookingRequest request);

    /**
     * Cancels the booking made under {@code bookingKey}, if there is one; {@code true} when a booking was cancelled.
     * Cancelling what was never booked, or twice, cancels nothing.
     */
    boolean cancel(CancellationRequest request);

    record BookingRequest(String idempotencyKey, String orderId, List<ShipmentItem> items, ShippingAddress address) {
    }

    record CancellationRequest(String idempotencyKey, String bookingKey) {
    }

    /** Either booked ({@code carrier} and {@code trackingNumber}) or refused ({@code refusalReason}). */
    record Booking(String carrier, String trackingNumber, String refusalReason) {

        public static Booking booked(String carrier, String trackingNumber) {
            return new Booking(carrier, trackingNumber, null);
        }

        public static Booking refused(String reason) {
            return new Booking(null, null, reason);
        }

        public boolean isBooked() {
            return trackingNumber != null;
        }
    }

    static String bookingKey(String orderId) {
        return orderId + ":shipment";
    }

    static String cancellationKey(String orderId) {
        return orderId + ":shipment-cancellation";
    }
}
