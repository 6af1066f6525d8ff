package io.ordersaga.order.saga;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ordersaga.contracts.order.OrderStep;
import io.ordersaga.contracts.order.RecordStepFailedCommand;
import io.ordersaga.contracts.order.RecordStepFailureCommand;
import io.ordersaga.contracts.order.RecordStepRetryCommand;
import io.ordersaga.contracts.order.StepAttemptFailedEvent;
import io.ordersaga.contracts.order.StepFailedEvent;
import io.ordersaga.contracts.order.StepRetryScheduledEvent;
import io.ordersaga.order.flow.OrderFlow;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The saga's bookkeeping of its steps: which attempt of each step is out, what the saga waits for, and the one alarm
 * that wakes it when something is due. Part of the saga's state (stored with it), driven by {@link RetryingSaga}; which
 * step comes next and what undoes what is {@link io.ordersaga.order.flow.OrderFlow}, applied by {@link OrderSaga}.
 *
 * <p>A step moves through these phases:
 * <pre>
 *   AWAITING_ANSWER ──answer──────────────────────────────▶ done (the saga goes on)
 *        │ failed without an answer (timeout, outage)
 *        ├─policy: retry──▶ RETRY_DECIDED ──recorded──▶ BACKING_OFF ──alarm──▶ AWAITING_ANSWER (next attempt)
 *        └─policy: give up──▶ GIVING_UP ──recorded──▶ given up (the saga compensates, or goes on)
 * </pre>
 * Every decision is recorded on the order before the saga acts on it, so the history says what happened, once.
 * Every phase has a time by which it must have moved on; the alarm goes off at the earliest of them. An answer that is
 * overdue is first asked for again (the command may have been lost with a process — services answer a repeated
 * command without doing the work twice), then recorded as a failed attempt; a record that is overdue is sent again.
 * Duplicate events, late answers and alarms for things no longer awaited change nothing.
 *
 * <p>An operator may have a waiting step attempted now ({@link #retryNow}): the attempt after the last one starts at
 * once, as the first of a fresh set — the step's policy counts attempts from there ({@code before}). A bookkeeping
 * step given up (complete, start compensation, cancel) stays here, {@code GIVEN_UP}, until an operator retries it.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
        getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE,
        setterVisibility = JsonAutoDetect.Visibility.NONE)
final class Attempts {

    /** How often an overdue answer is asked for again before the attempt is recorded as failed. */
    static final int ASKS_BEFORE_FAILING = 2;
    /** The longest the alarm waits before it looks again at a command that is still queued or out. */
    static final Duration LONGEST_WAIT_ON_A_QUEUED_COMMAND = Duration.ofMinutes(1);
    /** The number of an alarm that is not one the saga set: it was woken up because a command failed. */
    static final int WAKE_UP = 0;

    enum Phase {
        /** the attempt's command is out; its answer (or a reported failure) is due by {@code dueAt} */
        AWAITING_ANSWER,
        /** the attempt failed; the retry is being recorded on the order */
        RETRY_DECIDED,
        /** the retry is recorded; the next attempt starts at {@code dueAt} */
        BACKING_OFF,
        /** the step is given up; the decision is being recorded on the order */
        GIVING_UP,
        /** a bookkeeping step given up and recorded: it waits for an operator's retry (no alarm) */
        GIVEN_UP
    }

    /**
     * One step's current attempt. {@code asked}: how often an overdue answer was asked for again; {@code backoff}: the
     * delay decided for the coming retry; {@code reason}: why the step is being given up; {@code waits}: how often the
     * alarm found the attempt's command still queued or out from this process (a saga stored before it was counted
     * reads 0); {@code before}: the attempts made before an operator's retry started a fresh set (0 without one), which
     * the step's policy does not count.
     */
    record Attempt(OrderStep step, String target, int attempt, Phase phase, Instant dueAt, int asked,
                   Duration backoff, String reason, int waits, int before) {

        Attempt in(Phase next, Instant due) {
            return new Attempt(step, target, attempt, next, due, 0, backoff, reason, 0, before);
        }

        Attempt dueAt(Instant due) {
            return new Attempt(step, target, attempt, phase, due, asked, backoff, reason, waits, before);
        }

        Attempt waitedOnUntil(Instant due) {
            return new Attempt(step, target, attempt, phase, due, asked, backoff, reason, waits + 1, before);
        }

        /** This attempt's number as the step's policy counts it: from the fresh set an operator started, if any. */
        int counted() {
            return attempt - before;
        }
    }

    /** The alarm that is set: its number (to tell it from one replaced), when it goes off, and its schedule id. */
    record Alarm(int number, Instant at, String id) {
    }

    /** Builds the command of a step for a target (the SKU of a line, or {@code null}); the saga knows how. */
    interface Commands {
        Object of(OrderStep step, String target);
    }

    private String orderId;
    /** When the order was placed: the older an order, the sooner its commands are sent. */
    private Instant placedAt;
    private Map<String, Attempt> steps = new LinkedHashMap<>();
    private Alarm alarm;
    private int alarmsSet;

    private Attempts() {
        // for Jackson
    }

    Attempts(String orderId, Instant placedAt) {
        this.orderId = orderId;
        this.placedAt = placedAt;
    }

    /**
     * The bookkeeping of a saga stored by version 0.1, which kept its steps in a map of its own and watched them with
     * Axon deadlines. Those deadlines still go off once ({@link #dueNow}); from then on the alarm takes over.
     */
    static Attempts resumed(String orderId, Map<String, Attempt> steps) {
        Attempts attempts = new Attempts(orderId, Instant.EPOCH);
        if (steps != null) {
            attempts.steps.putAll(steps);
        }
        return attempts;
    }

    /** Makes the first attempt of a step. */
    void start(OrderStep step, String target, Object command, StepRunner runner) {
        attempt(step, target, 1, 0, command, runner);
    }

    /**
     * An operator had the step attempted now: attempt {@code first} starts at once, the first of a fresh set. Nothing
     * happens when the step no longer waits (it answered meanwhile) or this retry was seen before.
     */
    boolean retryNow(OrderStep step, String target, int first, Commands commands, StepRunner runner) {
        Attempt current = steps.get(key(step, target));
        if (current == null || current.attempt() >= first) {
            return false;
        }
        attempt(step, target, first, first - 1, commands.of(step, target), runner);
        return true;
    }

    /** The saga stops waiting for the step (an operator skipped it); {@code false} when it did not wait for it. */
    boolean abandon(OrderStep step, String target) {
        return steps.remove(key(step, target)) != null;
    }

    /** The saga stops waiting for every step (an operator cancelled the order); returns the steps it waited for. */
    Set<OrderStep> abandonAll() {
        Set<OrderStep> abandoned = EnumSet.noneOf(OrderStep.class);
        steps.values().forEach(attempt -> abandoned.add(attempt.step()));
        steps.clear();
        return abandoned;
    }

    /**
     * Takes an answer of a step (its service's event), if the saga waits for one: then the step is over and this
     * returns {@code true}. An answer may come while a retry is being decided or waited for: the attempt that seemed
     * lost did succeed. Once a step is being given up its answers no longer count: the decision stands, and
     * compensation covers a late effect. A repeated or late answer returns {@code false} and changes nothing.
     */
    boolean takeAnswer(OrderStep step, String target) {
        Attempt current = steps.get(key(step, target));
        if (current == null || current.phase() == Phase.GIVING_UP) {
            return false;
        }
        steps.remove(key(step, target));
        return true;
    }

    /** An attempt failed without an answer: the step's policy decides between a retry and giving up. */
    void failed(StepAttemptFailedEvent event, StepRunner runner) {
        Attempt current = steps.get(key(event.step(), event.target()));
        if (current == null || current.phase() != Phase.AWAITING_ANSWER || current.attempt() != event.attempt()) {
            return; // already answered, already decided, or an attempt superseded
        }
        Optional<Duration> backoff = runner.policies().backoffAfter(event.step(), current.counted(), event.error());
        if (backoff.isPresent()) {
            Attempt deciding = new Attempt(current.step(), current.target(), current.attempt(), Phase.RETRY_DECIDED,
                    overdueAfter(runner), 0, backoff.get(), null, 0, current.before());
            put(deciding, runner);
            runner.record(placedAt, retryRecord(deciding));
        } else {
            String reason = "Step " + event.step() + (event.target() == null ? "" : " (" + event.target() + ")")
                    + " failed after " + current.counted() + (current.counted() == 1 ? " attempt" : " attempts")
                    + (current.before() == 0 ? ": " : " since an operator's retry: ")
                    + event.error() + (event.message() == null ? "" : ": " + event.message());
            giveUp(current, reason, runner);
        }
    }

    private void giveUp(Attempt current, String reason, StepRunner runner) {
        Attempt givingUp = new Attempt(current.step(), current.target(), current.attempt(), Phase.GIVING_UP,
                overdueAfter(runner), 0, null, truncated(reason), 0, current.before());
        put(givingUp, runner);
        runner.record(placedAt, failedRecord(givingUp));
    }

    /** The retry is recorded: the backoff starts now. */
    void retryRecorded(StepRetryScheduledEvent event, StepRunner runner) {
        Attempt current = steps.get(key(event.step(), event.target()));
        if (current != null && current.phase() == Phase.RETRY_DECIDED && current.attempt() + 1 == event.attempt()) {
            put(current.in(Phase.BACKING_OFF, runner.now().plusMillis(event.delayMillis())), runner);
        }
    }

    /**
     * Takes the record that a step was given up, if it is the one being recorded: then the step is over (a bookkeeping
     * step waits for an operator, {@link Phase#GIVEN_UP}) and this returns {@code true}; otherwise {@code false}.
     */
    boolean takeGivingUp(StepFailedEvent event) {
        Attempt current = steps.get(key(event.step(), event.target()));
        if (current != null && current.phase() == Phase.GIVING_UP) {
            if (OrderFlow.whenGivenUp(event.step()) == OrderFlow.WhenGivenUp.WAIT_FOR_AN_OPERATOR) {
                steps.put(key(event.step(), event.target()), current.in(Phase.GIVEN_UP, null));
            } else {
                steps.remove(key(event.step(), event.target()));
            }
            return true;
        }
        return false;
    }

    /**
     * The alarm went off, or the saga was woken up: the failures reported for attempts it still waits for are recorded
     * on the order (a failure reported after the answer came does not count), whatever is due now is done, and the
     * alarm is set for what is due next.
     */
    void alarm(SagaAlarmEvent event, Commands commands, StepRunner runner) {
        if (alarm != null && alarm.number() == event.number()) {
            alarm = null; // this one has gone off
        }
        for (Attempt awaited : List.copyOf(steps.values())) {
            if (awaited.phase() == Phase.AWAITING_ANSWER) {
                runner.takeFailure(orderId, awaited.step(), awaited.target(), awaited.attempt())
                        .ifPresent(failure -> runner.record(placedAt, new RecordStepFailureCommand(orderId,
                                awaited.step(), awaited.target(), awaited.attempt(), failure.error(),
                                failure.message())));
            }
        }
        Instant now = runner.now();
        for (Attempt due : List.copyOf(steps.values())) {
            if (due.dueAt() != null && !due.dueAt().isAfter(now)) {
                act(due, commands, runner);
            }
        }
        wakeForNext(runner);
    }

    /**
     * A deadline of version 0.1 went off for a step: it is due now. (A stale one finds the step watched by the alarm
     * already, with a time of its own, and changes nothing.)
     */
    void dueNow(OrderStep step, String target, Commands commands, StepRunner runner) {
        Attempt legacy = steps.get(key(step, target));
        if (legacy != null && legacy.dueAt() == null) {
            act(legacy, commands, runner);
            wakeForNext(runner);
        }
    }

    /** The saga ends: its alarm is no longer needed. */
    void end(StepRunner runner) {
        if (alarm != null) {
            runner.cancelAlarm(alarm.id());
            alarm = null;
        }
    }

    private void act(Attempt due, Commands commands, StepRunner runner) {
        switch (due.phase()) {
            case AWAITING_ANSWER -> overdue(due, commands, runner);
            case RETRY_DECIDED -> {
                put(due.dueAt(overdueAfter(runner)), runner);
                runner.record(placedAt, retryRecord(due));
            }
            case GIVING_UP -> {
                put(due.dueAt(overdueAfter(runner)), runner);
                runner.record(placedAt, failedRecord(due));
            }
            case BACKING_OFF -> attempt(due.step(), due.target(), due.attempt() + 1, due.before(),
                    commands.of(due.step(), due.target()), runner);
            case GIVEN_UP -> {
                // never due: it waits for an operator
            }
        }
    }

    /**
     * No answer and no failure report in time. Still queued or out from this process (behind a backlog, or waiting for
     * a service that is down): wait on, looking again after the step's answer deadline, then twice as long each time, up to a minute — the look is only
     * for the case that this process dies with the command. Otherwise its command or its report was lost (a process
     * died): ask again, and after that record the attempt as failed.
     */
    private void overdue(Attempt due, Commands commands, StepRunner runner) {
        Duration deadline = runner.policies().answerDeadline(due.step());
        Instant next = runner.now().plus(deadline);
        if (runner.inFlight(orderId, due.step(), due.target(), due.attempt())) {
            Duration longest = deadline.compareTo(LONGEST_WAIT_ON_A_QUEUED_COMMAND) > 0 ? deadline
                    : LONGEST_WAIT_ON_A_QUEUED_COMMAND;
            Duration wait = deadline.multipliedBy(1L << Math.min(due.waits(), 10));
            put(due.waitedOnUntil(runner.now().plus(wait.compareTo(longest) > 0 ? longest : wait)), runner);
        } else if (due.asked() < ASKS_BEFORE_FAILING) {
            put(new Attempt(due.step(), due.target(), due.attempt(), due.phase(), next, due.asked() + 1,
                    due.backoff(), due.reason(), 0, due.before()), runner);
            runner.attempt(orderId, placedAt, due.step(), due.target(), due.attempt(),
                    commands.of(due.step(), due.target()));
        } else {
            put(due.dueAt(next), runner);
            runner.record(placedAt, new RecordStepFailureCommand(orderId, due.step(), due.target(), due.attempt(),
                    "NoAnswer", "no answer within "
                            + runner.policies().answerDeadline(due.step()).toSeconds() + " s, asked "
                            + (due.asked() + 1) + " times"));
        }
    }

    private void attempt(OrderStep step, String target, int attempt, int before, Object command, StepRunner runner) {
        put(new Attempt(step, target, attempt, Phase.AWAITING_ANSWER,
                runner.now().plus(runner.policies().answerDeadline(step)), 0, null, null, 0, before), runner);
        runner.attempt(orderId, placedAt, step, target, attempt, command);
    }

    /** Keeps the attempt and makes sure the alarm goes off no later than it is due. */
    private void put(Attempt attempt, StepRunner runner) {
        steps.put(key(attempt.step(), attempt.target()), attempt);
        if (attempt.dueAt() != null) {
            wakeBy(attempt.dueAt(), runner);
        }
    }

    private void wakeForNext(StepRunner runner) {
        steps.values().stream().map(Attempt::dueAt).filter(Objects::nonNull).min(Instant::compareTo)
                .ifPresent(next -> wakeBy(next, runner));
    }

    /**
     * Sets the alarm for {@code due} unless it already goes off by then. One alarm per saga: a normal order sets it
     * once when placed (its first answer's deadline comes before every later one) and cancels it when it ends.
     */
    private void wakeBy(Instant due, StepRunner runner) {
        if (alarm != null && !alarm.at().isAfter(due)) {
            return;
        }
        if (alarm != null) {
            runner.cancelAlarm(alarm.id());
        }
        int number = ++alarmsSet;
        alarm = new Alarm(number, due, runner.setAlarm(due, new SagaAlarmEvent(orderId, number)));
    }

    private Instant overdueAfter(StepRunner runner) {
        return runner.now().plus(runner.policies().recordDeadline());
    }

    private RecordStepRetryCommand retryRecord(Attempt deciding) {
        return new RecordStepRetryCommand(orderId, deciding.step(), deciding.target(), deciding.attempt() + 1,
                deciding.backoff().toMillis());
    }

    private RecordStepFailedCommand failedRecord(Attempt givingUp) {
        return new RecordStepFailedCommand(orderId, givingUp.step(), givingUp.target(), givingUp.attempt(),
                givingUp.reason());
    }

    private static String key(OrderStep step, String target) {
        return OrderFlow.key(step, target);
    }

    static String truncated(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
