package io.ordersaga.platform.faults;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

import java.util.function.BiFunction;

/**
 * Wraps every bean of a port type (a payment gateway, a carrier, a message sender) in a fault-injecting decorator,
 * so that faults hit the adapter in use — simulator or real protocol — and the domain never knows. Declare the
 * returned post-processor from a {@code static @Bean} method, in a configuration active only when fault injection
 * is enabled.
 */
public final class FaultDecorators {

    private FaultDecorators() {
    }

    public static <T> BeanPostProcessor decorating(Class<T> port, ObjectProvider<FaultInjector> faults,
                                                   BiFunction<T, FaultInjector, T> decorator) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return port.isInstance(bean) ? decorator.apply(port.cast(bean), faults.getObject()) : bean;
            }
        };
    }
}
