package io.ordersaga.order.parking;

import io.ordersaga.order.saga.OrderSaga;
import io.ordersaga.platform.observability.OrderLogContext;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.SagaConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AbstractSagaManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Parked orders for an operator: the list, and the release that hands a parked order's events to its saga — through
 * the saga processor's interceptors, as the processor would — in the order they were stored, each in a transaction
 * of its own. While it runs the saga's processor keeps setting the
 * order's new events aside; the release hands those over too and unparks the order when none is left. Should an event
 * fail again, the order stays parked with the new error.
 */
public class SagaParking {

    private static final Logger log = LoggerFactory.getLogger(SagaParking.class);
    /** Where Axon's processors live; the interceptors they register themselves keep their tokens. */
    private static final String PROCESSOR_INTERNALS = "org.axonframework.eventhandling.";

    /** What a release did: how many events the saga handled, and whether the order is unparked. */
    public record Release(String orderId, int eventsHandled, boolean released, String error) {

        /** For an operator, when the order was not released. */
        public String whyStillParked() {
            return "Order " + orderId + " stays parked: its saga failed again after " + eventsHandled + " events: "
                    + error;
        }
    }

    private final ParkedOrders parked;
    private final EventProcessingConfiguration processing;
    private final EventStorageEngine storage;
    private final TransactionManager transactions;

    public SagaParking(ParkedOrders parked, EventProcessingConfiguration processing, EventStorageEngine storage,
                       TransactionManager transactions) {
        this.parked = parked;
        this.processing = processing;
        this.storage = storage;
        this.transactions = transactions;
    }

    public List<ParkedOrder> parked() {
        return parked.all();
    }

    public int count() {
        return parked.count();
    }

    /** Hands the order's parked events to its saga; empty when the order is not parked. */
    public Optional<Release> release(String orderId) {
        if (parked.all().stream().noneMatch(order -> order.orderId().equals(orderId))) {
            return Optional.empty();
        }
        int handled = 0;
        try (var logContext = OrderLogContext.of(orderId)) {
            while (true) {
                Optional<ParkedOrders.Waiting> waiting = parked.next(orderId);
                if (waiting.isEmpty()) {
                    if (parked.unparkIfNothingWaits(orderId)) {
                        log.info("Order {} released: its saga handled {} parked events", orderId, handled);
                        return Optional.of(new Release(orderId, handled, true, null));
                    }
                } else if (handOver(orderId, waiting.get())) {
                    handled++;
                }
            }
        } catch (RuntimeException failure) {
            parked.releaseFailed(orderId, failure);
            log.error("Order {} stays parked: its saga failed again ({})", orderId, ParkedOrders.describe(failure));
            return Optional.of(new Release(orderId, handled, false, ParkedOrders.describe(failure)));
        }
    }

    /**
     * Hands one waiting event to the saga, in a unit of work of its own (the saga's state, the event's removal from
     * the waiting ones, and the commands the saga sends after commit). {@code false} when another release took it.
     */
    private boolean handOver(String orderId, ParkedOrders.Waiting waiting) {
        EventMessage<?> event = load(waiting);
        UnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        unitOfWork.attachTransaction(transactions);
        ResultMessage<Boolean> result = unitOfWork.executeWithResult(() -> {
            if (!parked.lockForRelease(orderId) || !parked.next(orderId).equals(Optional.of(waiting))) {
                return false;
            }
            new DefaultInterceptorChain<>(unitOfWork, interceptorsButParking(), message -> {
                sagaManager().handle(message, Segment.ROOT_SEGMENT);
                return null;
            }).proceed();
            parked.handed(orderId, waiting.globalIndex());
            return true;
        });
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
        return Boolean.TRUE.equals(result.getPayload());
    }

    private EventMessage<?> load(ParkedOrders.Waiting waiting) {
        GapAwareTrackingToken before = GapAwareTrackingToken.newInstance(waiting.globalIndex() - 1,
                Collections.emptySet());
        try (Stream<? extends TrackedEventMessage<?>> events = storage.readEvents(before, false)) {
            return events.filter(event -> event.getIdentifier().equals(waiting.eventId())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Parked event " + waiting.eventId()
                            + " is not in the event store at position " + waiting.globalIndex()));
        }
    }

    /**
     * The interceptors the saga's processor runs its events through (the logging context, ...), but for parking and
     * the processor's own bookkeeping of its position, which belongs to the processor's unit of work, not to this one.
     */
    private List<MessageHandlerInterceptor<? super EventMessage<?>>> interceptorsButParking() {
        return processing.interceptorsFor(OrderSaga.PROCESSING_GROUP).stream()
                .filter(interceptor -> !(interceptor instanceof ParkingInterceptor))
                .filter(interceptor -> !interceptor.getClass().getName().startsWith(PROCESSOR_INTERNALS))
                .toList();
    }

    private AbstractSagaManager<OrderSaga> sagaManager() {
        SagaConfiguration<OrderSaga> saga = processing.sagaConfiguration(OrderSaga.class);
        if (saga == null) {
            throw new IllegalStateException("The order saga is not configured here");
        }
        return saga.manager();
    }

}
