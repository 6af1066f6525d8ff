package io.ordersaga.standalone.support;

import org.springframework.test.context.TestPropertySource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The all-in-one app as {@link StandaloneIT} starts it, with a charge and an SMS that wait 10 minutes before their
 * next attempt once one has failed: an order held by an outage of either stays held for as long as a test needs, for
 * an operator to act on. Test classes with this annotation share one app.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@StandaloneIT
@TestPropertySource(properties = {
        "ordersaga.saga.steps.CHARGE_PAYMENT.initial-interval=10m",
        "ordersaga.saga.steps.CHARGE_PAYMENT.max-interval=10m",
        "ordersaga.saga.steps.SEND_SMS.initial-interval=10m",
        "ordersaga.saga.steps.SEND_SMS.max-interval=10m"
})
public @interface HeldOrdersIT {
}
