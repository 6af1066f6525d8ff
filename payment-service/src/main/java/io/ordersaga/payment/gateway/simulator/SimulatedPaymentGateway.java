package io.ordersaga.payment.gateway.simulator;

import io.ordersaga.payment.gateway.PaymentGateway;
import io.ordersaga.platform.provider.ProviderSimulatorDatabase;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * An in-process stand-in for a payment service provider, the default adapter. It behaves like a real PSP where
 * it matters: each idempotency key is performed once and answered the same way ever after (the first outcome
 * stored under a key wins, also when two calls race), and its ledger ({@code payment_simulator_ledger}) is the
 * provider's own record, written on connections of its own ({@link ProviderSimulatorDatabase}) — so a charge the
 * caller failed to record still counts, exactly as it would at a real provider.
 *
 * <p>Sandbox rule: a charge above {@code ordersaga.simulator.payment.decline-above} is declined (insufficient funds).
 */
@Component
@ConditionalOnProperty(name = "ordersaga.payment.gateway", havingValue = "simulator", matchIfMissing = true)
public class SimulatedPaymentGateway implements PaymentGateway {

    private final JdbcTemplate ledger;
    private final BigDecimal declineAbove;

    public SimulatedPaymentGateway(ProviderSimulatorDatabase provider,
                                   @Value("${ordersaga.simulator.payment.decline-above:10000.00}")
                                   BigDecimal declineAbove) {
        this.ledger = provider.jdbc();
        this.declineAbove = declineAbove;
    }

    @Override
    public ChargeOutcome charge(ChargeRequest request) {
        ChargeOutcome outcome = request.amount().compareTo(declineAbove) > 0
                ? ChargeOutcome.declined("insufficient funds")
                : ChargeOutcome.charged("sim-ch-" + UUID.randomUUID());
        // one statement, so one commit: the new row, or the one an earlier request with this key left
        return ledger.queryForObject("""
                INSERT INTO payment_simulator_ledger
                    (idempotency_key, operation, customer_id, amount, currency, reference, decline_reason)
                VALUES (?, 'CHARGE', ?, ?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO UPDATE SET idempotency_key = EXCLUDED.idempotency_key
                RETURNING reference, decline_reason""",
                (row, n) -> new ChargeOutcome(row.getString("reference"), row.getString("decline_reason")),
                request.idempotencyKey(), request.customerId(),
                outcome.isCharged() ? request.amount() : BigDecimal.ZERO, request.currency(),
                outcome.reference(), outcome.declineReason());
    }

    @Override
    public RefundOutcome refund(RefundRequest request) {
        List<RefundOutcome> charged = ledger.query("""
                SELECT amount, currency FROM payment_simulator_ledger
                 WHERE idempotency_key = ? AND operation = 'CHARGE' AND reference IS NOT NULL""",
                (row, n) -> new RefundOutcome(row.getBigDecimal("amount"), row.getString("currency"), null),
                PaymentGateway.chargeKey(request.orderId()));
        BigDecimal amount = charged.isEmpty() ? BigDecimal.ZERO : charged.get(0).amount();
        String currency = charged.isEmpty() ? null : charged.get(0).currency();
        ledger.update("""
                INSERT INTO payment_simulator_ledger (idempotency_key, operation, amount, currency, reference, charge_key)
                VALUES (?, 'REFUND', ?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO NOTHING""",
                request.idempotencyKey(), amount, currency, "sim-rf-" + UUID.randomUUID(),
                PaymentGateway.chargeKey(request.orderId()));
        return ledger.queryForObject(
                "SELECT amount, currency, reference FROM payment_simulator_ledger WHERE idempotency_key = ?",
                (row, n) -> new RefundOutcome(row.getBigDecimal("amount"), row.getString("currency"),
                        row.getString("reference")),
                request.idempotencyKey());
    }
}
