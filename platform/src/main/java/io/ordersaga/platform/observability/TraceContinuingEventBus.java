package io.ordersaga.platform.observability;

import org.axonframework.common.Registration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.tracing.SpanFactory;

import java.util.List;
import java.util.function.Consumer;

/**
 * The event bus for events published later than they were decided — by Axon's event scheduler, when an alarm is
 * due: each is published in a span that continues the trace stored in its metadata when it was scheduled, so the
 * events it leads to stay in the same trace (Axon's event bus would otherwise start a new trace per publication).
 * With tracing off the span factory is Axon's no-op one and this merely passes the events on.
 */
public class TraceContinuingEventBus implements EventBus {

    private final EventBus delegate;
    private final SpanFactory spans;

    public TraceContinuingEventBus(EventBus delegate, SpanFactory spans) {
        this.delegate = delegate;
        this.spans = spans;
    }

    @Override
    public void publish(List<? extends EventMessage<?>> events) {
        if (events.size() != 1) {
            delegate.publish(events);
            return;
        }
        EventMessage<?> event = events.get(0);
        // Axon names the span "EventScheduler.publishDue(<PayloadType>)"
        spans.createHandlerSpan(() -> "EventScheduler.publishDue", event, true).run(() -> delegate.publish(events));
    }

    @Override
    public Registration subscribe(Consumer<List<? extends EventMessage<?>>> processor) {
        return delegate.subscribe(processor);
    }

    @Override
    public Registration registerDispatchInterceptor(
            MessageDispatchInterceptor<? super EventMessage<?>> dispatchInterceptor) {
        return delegate.registerDispatchInterceptor(dispatchInterceptor);
    }
}
