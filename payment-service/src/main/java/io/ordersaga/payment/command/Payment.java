package io.ordersaga.payment.command;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import io.ordersaga.contracts.payment.PaymentChargedEvent;
import io.ordersaga.contracts.payment.PaymentDeclinedEvent;
import io.ordersaga.contracts.payment.PaymentRefundedEvent;
import io.ordersaga.contracts.payment.RefundPaymentCommand;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

import java.math.BigDecimal;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The payment of one order: charged or declined once, refunded at most once. It records what the provider did;
 * the provider is called by {@link PaymentCommandHandler}, never from here.
 */
@Aggregate(cache = "aggregateCache")
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class Payment {

    enum Status { CHARGED, DECLINED, REFUNDED }

    @AggregateIdentifier
    private String paymentId;
    private String currency;
    private Status status;

    public Payment() {
        // for Axon, and for PaymentCommandHandler's loadOrCreate
    }

    /** The charge has an outcome (charged, declined, or refunded since): charging again would change nothing. */
    boolean isChargeSettled() {
        return status != null;
    }

    boolean isRefunded() {
        return status == Status.REFUNDED;
    }

    void charged(ChargePaymentCommand command, String providerReference) {
        if (!isChargeSettled()) {
            apply(new PaymentChargedEvent(command.paymentId(), command.orderId(), command.amount(),
                    command.currency(), providerReference));
        }
    }

    void declined(ChargePaymentCommand command, String reason) {
        if (!isChargeSettled()) {
            apply(new PaymentDeclinedEvent(command.paymentId(), command.orderId(), command.amount(),
                    command.currency(), reason));
        }
    }

    void refunded(RefundPaymentCommand command, BigDecimal amount, String refundCurrency, String providerReference) {
        if (!isRefunded()) {
            apply(new PaymentRefundedEvent(command.paymentId(), command.orderId(), amount,
                    currency != null ? currency : refundCurrency, providerReference));
        }
    }

    @EventSourcingHandler
    void on(PaymentChargedEvent event) {
        paymentId = event.paymentId();
        currency = event.currency();
        status = Status.CHARGED;
    }

    @EventSourcingHandler
    void on(PaymentDeclinedEvent event) {
        paymentId = event.paymentId();
        currency = event.currency();
        status = Status.DECLINED;
    }

    @EventSourcingHandler
    void on(PaymentRefundedEvent event) {
        paymentId = event.paymentId();
        status = Status.REFUNDED;
    }
}
