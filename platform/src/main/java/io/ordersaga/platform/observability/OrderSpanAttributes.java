package io.ordersaga.platform.observability;

import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.contracts.Services;
import org.axonframework.messaging.Message;
import org.axonframework.tracing.SpanAttributesProvider;

import java.util.HashMap;
import java.util.Map;

/**
 * The attributes this project adds to Axon's spans: {@code order.id}, the order a message is about (every
 * {@link OrderScoped} message), and {@code ordersaga.service}, the service whose contract the message belongs to
 * ({@code io.ordersaga.contracts.inventory.ReserveStockCommand} → {@code inventory-service}): the service that
 * handles that command or published that event. Nothing else of a payload is copied: no amounts, no contact details.
 */
public class OrderSpanAttributes implements SpanAttributesProvider {

    /** The order a span is about. */
    public static final String ORDER_ID = "order.id";
    /** The service that owns the message's contract. */
    public static final String SERVICE = "ordersaga.service";

    private final ClassValue<String> services = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String service = Services.owning(type.getName());
            return service == null ? null : service + "-service";
        }
    };

    @Override
    public Map<String, String> provideForMessage(Message<?> message) {
        Object payload = message.getPayload();
        if (payload == null) {
            return Map.of();
        }
        Map<String, String> attributes = new HashMap<>(2);
        String service = services.get(payload.getClass());
        if (service != null) {
            attributes.put(SERVICE, service);
        }
        if (payload instanceof OrderScoped scoped && scoped.orderId() != null) {
            attributes.put(ORDER_ID, scoped.orderId());
        }
        return attributes;
    }
}
