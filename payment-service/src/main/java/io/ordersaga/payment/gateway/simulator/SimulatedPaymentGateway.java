package io.ordersaga.payment.gateway.simulator;

import io.ordersaga.payment.gateway.PaymentGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * An in-process stand-in for a payment service provider, the default adapter. It behaves like a real PSP where
 * it matters: each idempotency key is performed once and answered the same way ever after, and its ledger
 * ({@code payment_simulator_ledger}) is the provider's own record, committed independently of the caller's
 * transaction — so a charge the caller failed to record still counts, exactly as it would at a real provider.
 *
 * <p>Sandbox rule: a charge above {@code ordersaga.simulator.payment.decline-above} is declined (insufficient funds).
 */
@Component
@ConditionalOnProperty(name = "ordersaga.payment.gateway", havingValue = "simulator", matchIfMissing = true)
public class SimulatedPaymentGateway implements PaymentGateway {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final BigDecimal declineAbove;

    public SimulatedPaymentGateway(JdbcTemplate jdbc, PlatformTransactionManager transactionManager,
                                   @Value("${ordersaga.simulator.payment.decline-above:10000.00}")
                                   BigDecimal declineAbove) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.declineAbove = declineAbove;
    }

    @Override
    public ChargeOutcome charge(ChargeRequest request) {
        return ownTransaction.execute(tx -> {
            List<ChargeOutcome> earlier = jdbc.query(
                    "SELECT reference, decline_reason FROM payment_simulator_ledger WHERE idempotency_key = ?",
                    (row, n) -> new ChargeOutcome(row.getString("reference"), row.getString("decline_reason")),
                    request.idempotencyKey());
            if (!earlier.isEmpty()) {
                return earlier.get(0);
            }
            ChargeOutcome outcome = request.amount().compareTo(declineAbove) > 0
                    ? ChargeOutcome.declined("insufficient funds")
                    : ChargeOutcome.charged("sim-ch-" + UUID.randomUUID());
            jdbc.update("""
                    INSERT INTO payment_simulator_ledger
                        (idempotency_key, operation, customer_id, amount, currency, reference, decline_reason)
                    VALUES (?, 'CHARGE', ?, ?, ?, ?, ?)""",
                    request.idempotencyKey(), request.customerId(),
                    outcome.isCharged() ? request.amount() : BigDecimal.ZERO, request.currency(),
                    outcome.reference(), outcome.declineReason());
            return outcome;
        });
    }

    @Override
    public RefundOutcome refund(RefundRequest request) {
        return ownTransaction.execute(tx -> {
            List<RefundOutcome> earlier = jdbc.query(
                    "SELECT amount, currency, reference FROM payment_simulator_ledger WHERE idempotency_key = ?",
                    (row, n) -> new RefundOutcome(row.getBigDecimal("amount"), row.getString("currency"),
                            row.getString("reference")),
                    request.idempotencyKey());
            if (!earlier.isEmpty()) {
                return earlier.get(0);
            }
            List<RefundOutcome> charged = jdbc.query("""
                    SELECT amount, currency FROM payment_simulator_ledger
                     WHERE idempotency_key = ? AND operation = 'CHARGE' AND reference IS NOT NULL""",
                    (row, n) -> new RefundOutcome(row.getBigDecimal("amount"), row.getString("currency"), null),
                    PaymentGateway.chargeKey(request.orderId()));
            BigDecimal amount = charged.isEmpty() ? BigDecimal.ZERO : charged.get(0).amount();
            String currency = charged.isEmpty() ? null : charged.get(0).currency();
            String reference = "sim-rf-" + UUID.randomUUID();
            jdbc.update("""
                    INSERT INTO payment_simulator_ledger
                        (idempotency_key, operation, amount, currency, reference, charge_key)
                    VALUES (?, 'REFUND', ?, ?, ?, ?)""",
                    request.idempotencyKey(), amount, currency, reference, PaymentGateway.chargeKey(request.orderId()));
            return new RefundOutcome(amount, currency, reference);
        });
    }
}
