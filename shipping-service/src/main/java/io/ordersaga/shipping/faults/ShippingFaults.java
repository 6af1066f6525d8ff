package io.ordersaga.shipping.faults;

import io.ordersaga.platform.faults.Fault;
import io.ordersaga.platform.faults.FaultDecorators;
import io.ordersaga.platform.faults.FaultInjector;
import io.ordersaga.platform.faults.FaultTarget;
import io.ordersaga.shipping.carrier.Carrier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.EnumSet;

/** {@code shipping.schedule}: faults of the carrier, injected around whichever carrier adapter is in use. */
@Configuration
public class ShippingFaults {

    public static final String SCHEDULE = "shipping.schedule";

    @Bean
    public FaultTarget shippingScheduleFaultTarget() {
        return new FaultTarget(SCHEDULE, EnumSet.allOf(Fault.class));
    }

    @Bean
    @ConditionalOnProperty(name = "ordersaga.faults.enabled", havingValue = "true")
    public static BeanPostProcessor carrierFaults(ObjectProvider<FaultInjector> faults) {
        return FaultDecorators.decorating(Carrier.class, faults, FaultInjectingCarrier::new);
    }

    /** Bookings meet the planned faults; cancellations (a compensation) always reach the carrier. */
    static final class FaultInjectingCarrier implements Carrier {

        private final Carrier carrier;
        private final FaultInjector faults;

        FaultInjectingCarrier(Carrier carrier, FaultInjector faults) {
            this.carrier = carrier;
            this.faults = faults;
        }

        @Override
        public Booking book(BookingRequest request) {
            return faults.declines(SCHEDULE) ? Booking.refused("undeliverable (injected fault)") : carrier.book(request);
        }

        @Override
        public boolean cancel(CancellationRequest request) {
            return carrier.cancel(request);
        }
    }
}
