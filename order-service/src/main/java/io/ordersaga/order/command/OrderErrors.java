package io.ordersaga.order.command;

/**
 * Codes the Order aggregate attaches to the {@code CommandExecutionException}s it throws, as their details: unlike
 * the exception's type, the details reach the sender across processes.
 */
public final class OrderErrors {

    public static final String IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";

    private OrderErrors() {
    }
}
