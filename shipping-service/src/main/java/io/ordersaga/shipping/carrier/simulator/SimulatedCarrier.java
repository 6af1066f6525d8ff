package io.ordersaga.shipping.carrier.simulator;

import io.ordersaga.shipping.carrier.Carrier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * An in-process stand-in for a carrier, the default adapter: one booking per idempotency key, recorded in its own
 * ledger ({@code shipping_simulator_ledger}) in a transaction of its own, as a real carrier's would be.
 *
 * A cancellation marks the booking cancelled, once.
 *
 * <p>Sandbox rule: addresses in {@code ordersaga.simulator.carrier.undeliverable-countries} (default: AQ,
 * Antarctica) are refused as undeliverable.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.shipping.carrier", havingValue = "simulator", matchIfMissing = true)
public class SimulatedCarrier implements Carrier {

    static final String NAME = "SimCarrier";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final Set<String> undeliverableCountries;

    public SimulatedCarrier(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
                            @Value("${ordersaga.simulator.carrier.undeliverable-countries:AQ}")
                            Set<String> undeliverableCountries) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.undeliverableCountries = undeliverableCountries;
    }

    @Override
    public Booking book(BookingRequest request) {
        return ownTransaction.execute(tx -> {
            List<Booking> earlier = jdbc.query(
                    "SELECT carrier, tracking_number, refusal_reason FROM shipping_simulator_ledger"
                            + " WHERE idempotency_key = ?",
                    (row, n) -> new Booking(row.getString("carrier"), row.getString("tracking_number"),
                            row.getString("refusal_reason")),
                    request.idempotencyKey());
            if (!earlier.isEmpty()) {
                return earlier.get(0);
            }
            String country = request.address().country();
            Booking booking = undeliverableCountries.contains(country)
                    ? Booking.refused("undeliverable address: no delivery to " + country)
                    : Booking.booked(NAME, "SIM" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                            .toUpperCase());
            jdbc.update("""
                    INSERT INTO shipping_simulator_ledger
                        (idempotency_key, order_id, carrier, tracking_number, refusal_reason)
                    VALUES (?, ?, ?, ?, ?)""",
                    request.idempotencyKey(), request.orderId(), booking.carrier(), booking.trackingNumber(),
                    booking.refusalReason());
            return booking;
        });
    }

    @Override
    public boolean cancel(CancellationRequest request) {
        return ownTransaction.execute(tx -> jdbc.update("""
                UPDATE shipping_simulator_ledger SET cancelled = true
                 WHERE idempotency_key = ? AND tracking_number IS NOT NULL AND NOT cancelled""",
                request.bookingKey()) > 0);
    }
}
