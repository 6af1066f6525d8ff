package io.ordersaga.payment.faults;

import io.ordersaga.payment.gateway.PaymentGateway;
import io.ordersaga.platform.faults.Fault;
import io.ordersaga.platform.faults.FaultDecorators;
import io.ordersaga.platform.faults.FaultInjector;
import io.ordersaga.platform.faults.FaultTarget;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.EnumSet;

/** {@code payment.charge}: faults of the payment provider, injected around whichever gateway adapter is in use. */
@Configuration
public class PaymentFaults {

    public static final String CHARGE = "payment.charge";

    @Bean
    public FaultTarget paymentChargeFaultTarget() {
        return new FaultTarget(CHARGE, EnumSet.allOf(Fault.class));
    }

    @Bean
    @ConditionalOnProperty(name = "ordersaga.faults.enabled", havingValue = "true")
    public static BeanPostProcessor paymentGatewayFaults(ObjectProvider<FaultInjector> faults) {
        return FaultDecorators.decorating(PaymentGateway.class, faults, FaultInjectingPaymentGateway::new);
    }

    /** Charges meet the planned faults; refunds (a compensation) always reach the provider. */
    static final class FaultInjectingPaymentGateway implements PaymentGateway {

        private final PaymentGateway gateway;
        private final FaultInjector faults;

        FaultInjectingPaymentGateway(PaymentGateway gateway, FaultInjector faults) {
            this.gateway = gateway;
            this.faults = faults;
        }

        @Override
        public ChargeOutcome charge(ChargeRequest request) {
            return faults.declines(CHARGE) ? ChargeOutcome.declined("declined by the provider (injected fault)")
                    : gateway.charge(request);
        }

        @Override
        public RefundOutcome refund(RefundRequest request) {
            return gateway.refund(request);
        }
    }
}
