package io.ordersaga.platform.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.MetricsConfigurerModule;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.monitoring.NoOpMessageMonitor;

/**
 * Axon's metrics, the ones an operator reads: counters of the messages each component ingested, succeeded, failed and
 * ignored ({@code commandBus_*} by command type, {@code eventStore_*}, {@code eventProcessor_*} by processor), and each
 * processor's latency ({@code eventProcessor_latency}). Axon's own module also keeps a timer and a capacity gauge per
 * message type per component: a tenth of the CPU of every thread that handles a message, a scrape that grows with
 * every message type, and read by nobody here.
 */
public class LeanAxonMetrics extends MetricsConfigurerModule {

    private static final String PROCESSOR_TAG = "eventProcessor";
    private static final String TYPE_TAG = "payloadType";

    private final MeterRegistry registry;

    public LeanAxonMetrics(GlobalMetricRegistry metrics) {
        super(metrics);
        this.registry = metrics.getRegistry();
    }

    @Override
    public void configureModule(Configurer configurer) {
        configurer.configureMessageMonitor(axon -> (componentType, componentName) -> monitor(componentType,
                componentName));
    }

    @SuppressWarnings("unchecked")
    private MessageMonitor<Message<?>> monitor(Class<?> componentType, String componentName) {
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            return (MessageMonitor<Message<?>>) (MessageMonitor<?>) processor(componentName);
        }
        if (CommandBus.class.isAssignableFrom(componentType)) {
            return MessageCountingMonitor.buildMonitor(componentName, registry,
                    message -> Tags.of(TYPE_TAG, message.getPayloadType().getSimpleName()));
        }
        if (EventBus.class.isAssignableFrom(componentType)) {
            return MessageCountingMonitor.buildMonitor(componentName, registry, message -> Tags.empty());
        }
        return NoOpMessageMonitor.instance();
    }

    private MessageMonitor<EventMessage<?>> processor(String name) {
        Tags tags = Tags.of(PROCESSOR_TAG, name);
        return new MultiMessageMonitor<>(
                MessageCountingMonitor.buildMonitor(PROCESSOR_TAG, registry, message -> tags),
                EventProcessorLatencyMonitor.builder().meterNamePrefix(PROCESSOR_TAG).meterRegistry(registry)
                        .tagsBuilder(message -> tags).build());
    }
}
