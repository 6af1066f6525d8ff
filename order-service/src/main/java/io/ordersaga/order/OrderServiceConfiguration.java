package io.ordersaga.order;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ordersaga.contracts.OrderScoped;
import io.ordersaga.order.saga.DbSchedulerSagaAlarms;
import io.ordersaga.order.saga.OrderSaga;
import io.ordersaga.order.saga.RetryPolicies;
import io.ordersaga.order.saga.SagaAlarms;
import io.ordersaga.order.saga.SagaSettings;
import io.ordersaga.order.saga.StepDispatcher;
import io.ordersaga.order.saga.StepRunner;
import io.ordersaga.platform.observability.TraceContinuingEventBus;
import io.ordersaga.platform.persistence.RollbackSafeSagaCache;
import io.ordersaga.platform.persistence.SchemaMigration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.axonframework.eventhandling.scheduling.dbscheduler.DbSchedulerBinaryEventData;
import org.axonframework.eventhandling.scheduling.dbscheduler.DbSchedulerEventScheduler;
import org.axonframework.serialization.Serializer;
import org.axonframework.tracing.SpanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The order service's own tables, what the saga runs on (its retry policies, its command dispatcher, its alarms) and
 * the ordering of its projection.
 */
@Configuration
@EnableConfigurationProperties(SagaSettings.class)
public class OrderServiceConfiguration {

    /** Handed to the saga's handlers as a parameter; built from {@code ordersaga.saga.*}. */
    @Bean
    public RetryPolicies retryPolicies(SagaSettings settings) {
        return settings.toPolicies();
    }

    /**
     * Sends the saga's commands after its transaction commits, oldest order first, at most
     * {@code ordersaga.saga.max-in-flight-per-service} at a time per service; the commands of a service that cannot be
     * reached wait for it, up to {@code ordersaga.saga.unreachable-service.max-wait}.
     */
    @Bean(destroyMethod = "close")
    public StepDispatcher stepDispatcher(CommandGateway commands, SpanFactory spans,
                                         @Value("${ordersaga.saga.max-in-flight-per-service:16}") int maxInFlight,
                                         @Value("${ordersaga.saga.unreachable-service.max-wait:5m}") Duration maxWait) {
        return new StepDispatcher(commands, maxInFlight, StepDispatcher.Unreachable.waitingAtMost(maxWait), spans);
    }

    /**
     * Per service the saga sends commands to: how many wait in the saga's queue ({@code ordersaga_commands_queued}), and
     * whether it could not be reached ({@code ordersaga_service_unreachable}, 1 while its commands wait for it).
     */
    @Bean
    public MeterBinder stepDispatcherMetrics(StepDispatcher dispatcher) {
        return registry -> {
            for (String service : List.of("inventory", "payment", "shipping", "notification", "order")) {
                Gauge.builder("ordersaga.commands.queued", dispatcher, sent -> sent.queued(service))
                        .description("Commands of the saga waiting to be sent to the service").tag("service", service)
                        .register(registry);
                Gauge.builder("ordersaga.service.unreachable", dispatcher, sent -> sent.unreachable(service) ? 1 : 0)
                        .description("1 while no instance of the service can be reached and its commands wait")
                        .tag("service", service).register(registry);
            }
        };
    }

    /**
     * Axon's event scheduler on db-scheduler, built here (instead of by Axon's auto-configuration) so that the saga's
     * alarms can use it by type; its events are written by the event serializer (JSON). An alarm that goes off
     * continues the order's trace (when tracing is on).
     */
    @Bean
    public DbSchedulerEventScheduler eventScheduler(Scheduler scheduler,
                                                    @Qualifier("eventSerializer") Serializer serializer,
                                                    TransactionManager transactionManager, EventBus eventBus,
                                                    SpanFactory spans) {
        return DbSchedulerEventScheduler.builder()
                .scheduler(scheduler)
                .serializer(serializer)
                .transactionManager(transactionManager)
                .eventBus(new TraceContinuingEventBus(eventBus, spans))
                .startScheduler(false) // db-scheduler's Spring Boot starter starts and stops it
                .stopScheduler(false)
                .build();
    }

    /**
     * A scheduler name per process (host and process id): db-scheduler tells the executions of a live instance from
     * those of a dead one by this name, and its default — the host name — is the same for every process on a host.
     */
    @Bean
    public DbSchedulerCustomizer schedulerPerProcess() {
        SchedulerName name = new SchedulerName.Fixed(
                new SchedulerName.Hostname().getName() + "#" + ProcessHandle.current().pid());
        return new DbSchedulerCustomizer() {
            @Override
            public Optional<SchedulerName> schedulerName() {
                return Optional.of(name);
            }
        };
    }

    /**
     * The task that publishes the saga's alarms (Axon's), retried 1 s, 2 s, 4 s ... at most 30 s after it failed —
     * say, while the database restarts — instead of db-scheduler's default of five minutes later.
     */
    @Bean
    @Qualifier("eventDataTask")
    public Task<DbSchedulerBinaryEventData> sagaAlarmTask(ApplicationContext context) {
        return retriedSoon(DbSchedulerEventScheduler.binaryTask(
                () -> context.getBean(DbSchedulerEventScheduler.class)), DbSchedulerBinaryEventData.class);
    }

    /** The same for the Axon deadlines that sagas of version 0.1 still have. */
    @Bean
    @Qualifier("deadlineDetailsTask")
    public Task<DbSchedulerBinaryDeadlineDetails> legacyDeadlineTask(ApplicationContext context) {
        return retriedSoon(DbSchedulerDeadlineManager.binaryTask(
                () -> context.getBean(DbSchedulerDeadlineManager.class)), DbSchedulerBinaryDeadlineDetails.class);
    }

    private static <T> Task<T> retriedSoon(Task<T> task, Class<T> data) {
        IntervalFunction backoff = IntervalFunction.ofExponentialBackoff(Duration.ofSeconds(1), 2.0,
                Duration.ofSeconds(30));
        return Tasks.oneTime(task.getName(), data)
                .onFailure((failed, operations) -> operations.reschedule(failed, failed.getTimeDone().plusMillis(
                        backoff.apply(failed.getExecution().consecutiveFailures + 1))))
                .execute(task::execute);
    }

    @Bean
    public SagaAlarms sagaAlarms(DbSchedulerEventScheduler eventScheduler, EventBus eventBus,
                                 TransactionManager transactionManager, SpanFactory spans) {
        return new DbSchedulerSagaAlarms(eventScheduler, eventBus, transactionManager, spans);
    }

    /** Handed to the saga's handlers as a parameter. */
    @Bean
    public StepRunner stepRunner(StepDispatcher dispatcher, SagaAlarms alarms, RetryPolicies policies, Clock clock) {
        return new StepRunner(dispatcher, alarms, policies, clock);
    }

    @Bean
    public SchemaMigration orderSchema() {
        return new SchemaMigration("order", 10, "classpath:db/migration/order");
    }

    @Bean
    @ConditionalOnMissingBean
    public Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The saga's own tracking processor ({@code ordersaga.saga.processor.*}). When this process takes over a segment
     * from another instance, the cached sagas are dropped: the other one may have moved them on meanwhile.
     */
    @Bean
    public ConfigurerModule orderSagaProcessor(RollbackSafeSagaCache<?> sagaStore,
                                               @Value("${ordersaga.saga.processor.threads:1}") int threads,
                                               @Value("${ordersaga.saga.processor.batch-size:50}") int batchSize) {
        return configurer -> configurer.eventProcessing().registerTrackingEventProcessor(
                OrderSaga.PROCESSING_GROUP,
                org.axonframework.config.Configuration::eventStore,
                axon -> TrackingEventProcessorConfiguration.forParallelProcessing(threads)
                        .andInitialSegmentsCount(threads)
                        .andBatchSize(batchSize)
                        .andTokenClaimInterval(1, TimeUnit.SECONDS)
                        .andEventTrackerStatusChangeListener(changes -> {
                            if (changes.values().stream().anyMatch(EventTrackerStatus::trackerAdded)) {
                                sagaStore.clear();
                            }
                        }));
    }

    /** Every event about one order, whichever service emitted it, goes to the same segment, in order. */
    @Bean
    public SequencingPolicy<EventMessage<?>> orderIdSequencingPolicy() {
        return event -> event.getPayload() instanceof OrderScoped scoped
                ? scoped.orderId()
                : SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
    }
}
