package io.ordersaga.order.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetriedByOperatorEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.contracts.order.StepSkippedByOperatorEvent;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The machinery under {@link OrderSaga}'s story: the handlers through which a step's command is attempted again after
 * a failure without an answer, given up when its policy runs out, woken by the saga's alarm, and retried or skipped by
 * an operator. The bookkeeping itself is {@link Attempts} (part of the saga's state); the story says which command a
 * step sends ({@link #commandFor}) and what a step given up means for the order ({@link #gaveUp}).
 *
 * <p>It also takes over a saga stored by version 0.1, which kept its steps in a field of its own and watched them with
 * Axon deadlines: those deadlines still go off once, and from then on the alarm watches the steps.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
abstract class RetryingSaga {

    static final String ORDER_ID = "orderId";
    private static final Logger log = LoggerFactory.getLogger(RetryingSaga.class);

    protected Attempts attempts;
    /** The steps of a saga stored by version 0.1, until {@link #attempts()} takes them over. */
    @JsonIgnore
    private transient Map<String, Attempts.Attempt> stepsOfVersion01;

    abstract String orderId();

    /** The command that attempts {@code step} for {@code target} (a SKU, or {@code null} for the whole order). */
    abstract Object commandFor(OrderStep step, String target);

    /** The step is given up (its policy ran out, or an operator skipped it), and that is recorded on the order. */
    abstract void gaveUp(OrderStep step, String target, String reason, StepRunner runner);

    void start(OrderStep step, String target, StepRunner runner) {
        attempts().start(step, target, commandFor(step, target), runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepAttemptFailedEvent event, StepRunner runner) {
        attempts().failed(event, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepRetryScheduledEvent event, StepRunner runner) {
        attempts().retryRecorded(event, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(SagaAlarmEvent event, StepRunner runner) {
        attempts().alarm(event, this::commandFor, runner);
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepFailedEvent event, StepRunner runner) {
        if (attempts().takeGivingUp(event)) {
            gaveUp(event.step(), event.target(), event.reason(), runner);
        }
    }

    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepRetriedByOperatorEvent event, StepRunner runner) {
        if (attempts().retryNow(event.step(), event.target(), event.attempt(), this::commandFor, runner)) {
            log.info("Order {}: {} attempted again by {}", orderId(), event.step(), event.operator());
        }
    }

    /** A waiting e-mail or SMS skipped: the order goes on as after the step was given up. */
    @SagaEventHandler(associationProperty = ORDER_ID)
    public void on(StepSkippedByOperatorEvent event, StepRunner runner) {
        if (attempts().abandon(event.step(), event.target())) {
            gaveUp(event.step(), event.target(), "skipped by " + event.operator(), runner);
        }
    }

    // Sagas stored by version 0.1 ------------------------------------------------------------------------------

    Attempts attempts() {
        if (attempts == null) {
            attempts = Attempts.resumed(orderId(), stepsOfVersion01);
            stepsOfVersion01 = null;
        }
        return attempts;
    }

    /** Version 0.1 kept its steps in a field of their own; they are taken over as they are. */
    @JsonSetter("steps")
    private void stepsOfVersion01(Map<String, Attempts.Attempt> steps) {
        stepsOfVersion01 = steps;
    }

    /** A backoff of version 0.1 is over. */
    @DeadlineHandler(deadlineName = "step-retry-due")
    public void onRetryDueOfVersion01(OrderSaga.StepDeadline due, StepRunner runner) {
        attempts().dueNow(due.step(), due.target(), this::commandFor, runner);
    }

    /** An answer (or a record) a saga of version 0.1 waited for is overdue. */
    @DeadlineHandler(deadlineName = "step-answer-overdue")
    public void onAnswerOverdueOfVersion01(OrderSaga.StepDeadline overdue, StepRunner runner) {
        attempts().dueNow(overdue.step(), overdue.target(), this::commandFor, runner);
    }
}
