package io.ordersaga.platform.observability;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.MDC;

/**
 * Puts the order a message is about into the logging context ({@code orderId} in the MDC) while it is handled, so
 * that every log line written by a command handler, an event handler or the saga names its order — whichever thread
 * and whichever process handles it. The log pattern shows it as {@code order=<id>} (see {@code ordersaga-defaults}).
 *
 * <p>Registered by Axon's Spring Boot support on the command bus and on every event processor.
 */
public class OrderLogContext implements MessageHandlerInterceptor<Message<?>> {

    /** The MDC key. */
    public static final String ORDER_ID = "orderId";

    @Override
    public Object handle(UnitOfWork<? extends Message<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        if (!(unitOfWork.getMessage().getPayload() instanceof OrderScoped scoped) || scoped.orderId() == null) {
            return interceptorChain.proceed();
        }
        String outer = MDC.get(ORDER_ID);
        MDC.put(ORDER_ID, scoped.orderId());
        try {
            return interceptorChain.proceed();
        } finally {
            if (outer == null) {
                MDC.remove(ORDER_ID);
            } else {
                MDC.put(ORDER_ID, outer);
            }
        }
    }

    /** For code outside message handling (an HTTP request): {@code try (var ignored = OrderLogContext.of(id)) {..}}. */
    public static MDC.MDCCloseable of(String orderId) {
        return MDC.putCloseable(ORDER_ID, orderId);
    }
}
