package io.ordersaga.payment.command;

import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import io.ordersaga.payment.gateway.PaymentGateway;
import io.ordersaga.payment.gateway.PaymentGateway.ChargeOutcome;
import io.ordersaga.payment.gateway.PaymentGateway.ChargeRequest;
import io.ordersaga.payment.gateway.PaymentGateway.RefundOutcome;
import io.ordersaga.payment.gateway.PaymentGateway.RefundRequest;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.Repository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Handles payment commands: asks the Payment whether the step already happened, calls the provider if not, and
 * has the Payment record the outcome.
 *
 * <p>Exactly once: a repeated command finds the outcome recorded and does nothing. If the process dies after the
 * provider answered but before the outcome was stored, the retry calls the provider again with the same
 * idempotency key, and the provider answers with the first outcome instead of charging twice.
 */
@Component
public class PaymentCommandHandler {

    private static final Logger log = LoggerFactory.getLogger(PaymentCommandHandler.class);

    private final Repository<Payment> payments;
    private final PaymentGateway gateway;

    public PaymentCommandHandler(Repository<Payment> payments, PaymentGateway gateway) {
        this.payments = payments;
        this.gateway = gateway;
    }

    @CommandHandler
    public void handle(ChargePaymentCommand command) throws Exception {
        Aggregate<Payment> payment = payments.loadOrCreate(command.paymentId(), Payment::new);
        if (payment.invoke(Payment::isChargeSettled)) {
            return;
        }
        log.info("Charging the payment of order {}", command.orderId());
        ChargeOutcome outcome = gateway.charge(new ChargeRequest(PaymentGateway.chargeKey(command.orderId()),
                command.orderId(), command.customerId(), command.amount(), command.currency()));
        if (outcome.isCharged()) {
            payment.execute(p -> p.charged(command, outcome.reference()));
        } else {
            payment.execute(p -> p.declined(command, outcome.declineReason()));
        }
    }

    @CommandHandler
    public void handle(RefundPaymentCommand command) throws Exception {
        Aggregate<Payment> payment = payments.loadOrCreate(command.paymentId(), Payment::new);
        if (payment.invoke(Payment::isRefunded)) {
            return;
        }
        log.info("Refunding the payment of order {}", command.orderId());
        RefundOutcome outcome = gateway.refund(new RefundRequest(PaymentGateway.refundKey(command.orderId()),
                command.orderId()));
        payment.execute(p -> p.refunded(command, outcome.amount(), outcome.currency(), outcome.reference()));
    }
}
