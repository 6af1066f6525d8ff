package io.ordersaga.order.saga;

import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceException;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.scheduling.ScheduleToken;
import org.axonframework.eventhandling.scheduling.dbscheduler.DbSchedulerEventScheduler;
import org.axonframework.eventhandling.scheduling.dbscheduler.DbSchedulerScheduleToken;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.tracing.SpanFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The saga's alarms on Axon's {@link DbSchedulerEventScheduler}: one row in the order service's db-scheduler table,
 * written through the saga's own transaction, published as an event when due.
 *
 * <p>db-scheduler refuses to cancel an execution that is being picked or run (and, racing with a pick, reports
 * "Expected one execution to be removed, but removed 0"); such an alarm goes off anyway and the saga ignores it, so
 * here a cancel that finds nothing to cancel is logged and forgotten — never thrown into the saga's batch.
 */
public class DbSchedulerSagaAlarms implements SagaAlarms {

    private static final Logger log = LoggerFactory.getLogger(DbSchedulerSagaAlarms.class);

    private final DbSchedulerEventScheduler scheduler;
    private final EventBus eventBus;
    private final TransactionManager transactions;
    private final SpanFactory spans;

    public DbSchedulerSagaAlarms(DbSchedulerEventScheduler scheduler, EventBus eventBus,
                                 TransactionManager transactions, SpanFactory spans) {
        this.scheduler = scheduler;
        this.eventBus = eventBus;
        this.transactions = transactions;
        this.spans = spans;
    }

    /** The alarm keeps the current trace context in its metadata: when it goes off, it continues the order's trace. */
    @Override
    public String schedule(Instant at, SagaAlarmEvent event) {
        ScheduleToken token = scheduler.schedule(at, spans.propagateContext(GenericEventMessage.asEventMessage(event)));
        return ((DbSchedulerScheduleToken) token).getId();
    }

    @Override
    public void wakeNow(SagaAlarmEvent event) {
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        unitOfWork.attachTransaction(transactions);
        unitOfWork.execute(() -> eventBus.publish(GenericEventMessage.asEventMessage(event)));
    }

    @Override
    public void cancel(String id) {
        try {
            scheduler.cancelSchedule(new DbSchedulerScheduleToken(id));
        } catch (TaskInstanceException goneOrGoingOff) {
            log.debug("Alarm {} not cancelled ({}); it is ignored when it goes off", id,
                    goneOrGoingOff.getClass().getSimpleName());
        }
    }
}
