package io.ordersaga.contracts;

/**
 * Which service owns a message: the one whose package of the contracts holds it ({@code io.ordersaga.contracts.payment}
 * → {@code payment}). The one place that says so, for the saga's dispatcher, the history and the traces alike.
 */
public final class Services {

    private static final String CONTRACTS = "io.ordersaga.contracts.";

    private Services() {
    }

    /**
     * The service that owns the message type named {@code typeName} ({@code io.ordersaga.contracts.payment.ChargePaymentCommand}
     * → {@code payment}), or {@code null} for a type that is not in a service's package of the contracts.
     */
    public static String owning(String typeName) {
        if (!typeName.startsWith(CONTRACTS)) {
            return null;
        }
        int end = typeName.indexOf('.', CONTRACTS.length());
        return end < 0 ? null : typeName.substring(CONTRACTS.length(), end);
    }
}
