package io.ordersaga.order.flow;

import io.ordersaga.contracts.order.OrderStep;

import java.util.EnumMap;
import java.util.Map;

import static io.ordersaga.contracts.order.OrderStep.CANCEL_ORDER;
import static io.ordersaga.contracts.order.OrderStep.CANCEL_SHIPMENT;
import static io.ordersaga.contracts.order.OrderStep.CHARGE_PAYMENT;
import static io.ordersaga.contracts.order.OrderStep.COMPLETE_ORDER;
import static io.ordersaga.contracts.order.OrderStep.REFUND_PAYMENT;
import static io.ordersaga.contracts.order.OrderStep.RELEASE_STOCK;
import static io.ordersaga.contracts.order.OrderStep.RESERVE_STOCK;
import static io.ordersaga.contracts.order.OrderStep.SCHEDULE_SHIPMENT;
import static io.ordersaga.contracts.order.OrderStep.SEND_EMAIL;
import static io.ordersaga.contracts.order.OrderStep.SEND_SMS;
import static io.ordersaga.contracts.order.OrderStep.START_COMPENSATION;

/**
 * The order's way through the services, as README's diagram draws it: for each step of the saga, the service that
 * does it, what giving it up means, the step that follows it and the step that undoes it. The saga follows this
 * description, the Order aggregate and the order summary tell from it what a step's end means, and the timeline draws
 * with it: one description, not one per reader.
 */
public final class OrderFlow {

    /** What giving a step up (its attempts ran out, or an operator skipped it) means for the order. */
    public enum WhenGivenUp {
        /** a critical step: what was done (or may have been) is undone, and the order cancelled */
        COMPENSATE("the order is compensated"),
        /** not critical: the order goes on as after the step was done */
        GO_ON("not critical: the order goes on"),
        /** an undo that could not be done: noted for an operator, and compensation goes on */
        NOTE_AND_GO_ON("left to an operator, compensation goes on"),
        /** the order's own bookkeeping: it waits until an operator retries the step */
        WAIT_FOR_AN_OPERATOR("the order needs an operator");

        private final String consequence;

        WhenGivenUp(String consequence) {
            this.consequence = consequence;
        }

        /** The consequence as people read it: {@code the order is compensated}. */
        public String consequence() {
            return consequence;
        }
    }

    /**
     * One step of the diagram.
     *
     * @param service  the service whose aggregate does it: order, inventory, payment, shipping or notification
     * @param then     the step that follows once it is over; {@code null} where the order ends, or where it depends on
     *                 what was done (after compensation starts)
     * @param undoneBy the step that undoes it, for a step with an effect to undo
     */
    public record Step(OrderStep step, String service, WhenGivenUp whenGivenUp, OrderStep then, OrderStep undoneBy) {
    }

    private static final Map<OrderStep, Step> STEPS = new EnumMap<>(OrderStep.class);

    static {
        //   step                service         when given up                      then               undone by
        step(RESERVE_STOCK,      "inventory",    WhenGivenUp.COMPENSATE,            CHARGE_PAYMENT,    RELEASE_STOCK);
        step(CHARGE_PAYMENT,     "payment",      WhenGivenUp.COMPENSATE,            SCHEDULE_SHIPMENT, REFUND_PAYMENT);
        step(SCHEDULE_SHIPMENT,  "shipping",     WhenGivenUp.COMPENSATE,            SEND_EMAIL,        CANCEL_SHIPMENT);
        step(SEND_EMAIL,         "notification", WhenGivenUp.GO_ON,                 SEND_SMS,          null);
        step(SEND_SMS,           "notification", WhenGivenUp.GO_ON,                 COMPLETE_ORDER,    null);
        step(COMPLETE_ORDER,     "order",        WhenGivenUp.WAIT_FOR_AN_OPERATOR,  null,              null);
        // compensation, in reverse order of what was done: it starts with the undo of the furthest step done
        step(START_COMPENSATION, "order",        WhenGivenUp.WAIT_FOR_AN_OPERATOR,  null,              null);
        step(CANCEL_SHIPMENT,    "shipping",     WhenGivenUp.NOTE_AND_GO_ON,        REFUND_PAYMENT,    null);
        step(REFUND_PAYMENT,     "payment",      WhenGivenUp.NOTE_AND_GO_ON,        RELEASE_STOCK,     null);
        step(RELEASE_STOCK,      "inventory",    WhenGivenUp.NOTE_AND_GO_ON,        CANCEL_ORDER,      null);
        step(CANCEL_ORDER,       "order",        WhenGivenUp.WAIT_FOR_AN_OPERATOR,  null,              null);
    }

    private OrderFlow() {
    }

    private static void step(OrderStep step, String service, WhenGivenUp whenGivenUp, OrderStep then,
                             OrderStep undoneBy) {
        STEPS.put(step, new Step(step, service, whenGivenUp, then, undoneBy));
    }

    public static Step of(OrderStep step) {
        return STEPS.get(step);
    }

    /** The service whose aggregate does the step. */
    public static String service(OrderStep step) {
        return of(step).service();
    }

    public static WhenGivenUp whenGivenUp(OrderStep step) {
        return of(step).whenGivenUp();
    }

    /**
     * The step that follows {@code over} — done, or given up where the order goes on — for an order that has a phone
     * number ({@code sms}) or not: without one there is no SMS to send. {@code null} where the order has ended.
     */
    public static OrderStep next(OrderStep over, boolean sms) {
        OrderStep next = of(over).then();
        return next == SEND_SMS && !sms ? next(SEND_SMS, false) : next;
    }

    /** The step that undoes {@code step}: compensation starts with it when {@code step} is the furthest one done. */
    public static OrderStep undoOf(OrderStep step) {
        return of(step).undoneBy();
    }

    /** The critical step done before {@code step}: what there is to undo when {@code step} itself is refused. */
    public static OrderStep before(OrderStep step) {
        return STEPS.values().stream().filter(each -> each.then() == step).map(Step::step).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No step comes before " + step));
    }

    /** The key of a step for one target (a SKU) or the whole order: {@code RESERVE_STOCK:LAPTOP-15}, {@code CHARGE_PAYMENT}. */
    public static String key(OrderStep step, String target) {
        return target == null ? step.name() : step.name() + ":" + target;
    }

    /** The key of one attempt of a step: {@code RESERVE_STOCK:LAPTOP-15#2}. */
    public static String attemptKey(OrderStep step, String target, int attempt) {
        return key(step, target) + "#" + attempt;
    }
}
