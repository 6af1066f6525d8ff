package io.ordersaga.order.parking;

import io.ordersaga.contracts.OrderScoped;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * Keeps one order's trouble from stopping the others, on the saga's processor: Axon's dead-letter queue does not
 * serve sagas, so this does what it would. An event the saga cannot handle — a bug, a saga it cannot read — parks
 * its order: the order is recorded as parked (in a transaction of its own), the batch is rolled back, and when the
 * processor handles the batch again the order's events are set aside, in order, while every other order's are
 * handled. An operator releases the order once the cause is fixed ({@link SagaParking#release}).
 *
 * <p>A failure of the world (the database restarting) parks nothing: the batch is tried again as it would be anyway.
 */
public class ParkingInterceptor implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(ParkingInterceptor.class);
    private static final String PARKED_IN_THIS_BATCH = ParkingInterceptor.class.getName() + ".parked";

    private final ParkedOrders parked;

    public ParkingInterceptor(ParkedOrders parked) {
        this.parked = parked;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain interceptorChain)
            throws Exception {
        EventMessage<?> event = unitOfWork.getMessage();
        if (!(event.getPayload() instanceof OrderScoped scoped) || scoped.orderId() == null) {
            return interceptorChain.proceed();
        }
        Set<String> parkedOrders = unitOfWork.root().getOrComputeResource(PARKED_IN_THIS_BATCH,
                key -> parked.lockParked());
        if (parkedOrders.contains(scoped.orderId())) {
            parked.append(scoped.orderId(), event);
            return null;
        }
        try {
            return interceptorChain.proceed();
        } catch (Exception failure) {
            if (!Transience.isTransient(failure)) {
                parked.park(scoped.orderId(), event, failure);
                log.error("Order {} parked: its saga could not handle {} ({}). Every other order goes on; release it"
                                + " with POST /admin/dead-letters/{}/retry once the cause is fixed",
                        scoped.orderId(), event.getPayloadType().getSimpleName(), ParkedOrders.describe(failure),
                        scoped.orderId());
            }
            throw failure;
        }
    }
}
