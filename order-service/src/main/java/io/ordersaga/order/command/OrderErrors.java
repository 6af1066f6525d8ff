package io.ordersaga.order.command;

/**
 * Codes the Order aggregate attaches to the {@code CommandExecutionException}s it throws, as their details: unlike
 * the exception's type, the details reach the sender across processes.
 */
public final class OrderErrors {

    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
    /** An operator's action on an order that has ended (completed or cancelled). */
    public static final String ORDER_ENDED = "ORDER_ENDED";
    /** An operator's action that needs a waiting step, when none waits (or not one the action applies to). */
    public static final String NOT_WAITING = "NOT_WAITING";
    /** An operator's cancellation of an order that is already being compensated. */
    public static final String ALREADY_COMPENSATING = "ALREADY_COMPENSATING";

    private OrderErrors() {
    }

    /** Whether {@code code} is one of the refusals of an operator's action (answered {@code 409}). */
    public static boolean isOperatorRefusal(Object code) {
        return ORDER_ENDED.equals(code) || NOT_WAITING.equals(code) || ALREADY_COMPENSATING.equals(code);
    }
}
