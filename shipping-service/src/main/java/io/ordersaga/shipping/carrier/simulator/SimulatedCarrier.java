package io.ordersaga.shipping.carrier.simulator;

import io.ordersaga.platform.provider.ProviderSimulatorDatabase;
import io.ordersaga.shipping.carrier.Carrier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Set;
import java.util.UUID;

/**
 * An in-process stand-in for a carrier, the default adapter: one booking per idempotency key (the first stored wins),
 * recorded in its own ledger ({@code shipping_simulator_ledger}) on connections of its own
 * ({@link ProviderSimulatorDatabase}), as a real carrier's records would be.
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

    private final JdbcTemplate ledger;
    private final Set<String> undeliverableCountries;

    public SimulatedCarrier(ProviderSimulatorDatabase provider,
                            @Value("${ordersaga.simulator.carrier.undeliverable-countries:AQ}")
                            Set<String> undeliverableCountries) {
        this.ledger = provider.jdbc();
        this.undeliverableCountries = undeliverableCountries;
    }

    @Override
    public Booking book(BookingRequest request) {
        String country = request.address().country();
        Booking booking = undeliverableCountries.contains(country)
                ? Booking.refused("undeliverable address: no delivery to " + country)
                : Booking.booked(NAME, "SIM" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                        .toUpperCase());
        // one statement, so one commit: the new row, or the one an earlier request with this key left
        return ledger.queryForObject("""
                INSERT INTO shipping_simulator_ledger
                    (idempotency_key, order_id, carrier, tracking_number, refusal_reason)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
                RETURNING carrier, tracking_number, refusal_reason""",
                (row, n) -> new Booking(row.getString("carrier"), row.getString("tracking_number"),
                        row.getString("refusal_reason")),
                request.idempotencyKey(), request.orderId(), booking.carrier(), booking.trackingNumber(),
                booking.refusalReason());
    }

    @Override
    public boolean cancel(CancellationRequest request) {
        return ledger.update("""
                UPDATE shipping_simulator_ledger SET cancelled = true
                 WHERE idempotency_key = ? AND tracking_number IS NOT NULL AND NOT cancelled""",
                request.bookingKey()) > 0;
    }
}
