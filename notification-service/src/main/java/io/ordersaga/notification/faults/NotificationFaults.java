package io.ordersaga.notification.faults;

import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.EmailSender;
import io.ordersaga.notification.sender.SmsSender;
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

/**
 * {@code notification.email} and {@code notification.sms}: faults of the mail server and the SMS gateway, injected
 * around whichever sender adapters are in use.
 */
@Configuration
public class NotificationFaults {

    public static final String EMAIL = "notification.email";
    public static final String SMS = "notification.sms";

    @Bean
    public FaultTarget notificationEmailFaultTarget() {
        return new FaultTarget(EMAIL, EnumSet.allOf(Fault.class));
    }

    @Bean
    public FaultTarget notificationSmsFaultTarget() {
        return new FaultTarget(SMS, EnumSet.allOf(Fault.class));
    }

    @Bean
    @ConditionalOnProperty(name = "ordersaga.faults.enabled", havingValue = "true")
    public static BeanPostProcessor emailSenderFaults(ObjectProvider<FaultInjector> faults) {
        return FaultDecorators.decorating(EmailSender.class, faults, (sender, injector) -> message ->
                injector.declines(EMAIL) ? Delivery.rejected("rejected by the mail server (injected fault)")
                        : sender.send(message));
    }

    @Bean
    @ConditionalOnProperty(name = "ordersaga.faults.enabled", havingValue = "true")
    public static BeanPostProcessor smsSenderFaults(ObjectProvider<FaultInjector> faults) {
        return FaultDecorators.decorating(SmsSender.class, faults, (sender, injector) -> message ->
                injector.declines(SMS) ? Delivery.rejected("rejected by the SMS gateway (injected fault)")
                        : sender.send(message));
    }
}
