package io.ordersaga.contracts.payment;

/** One payment per order: its id is derived from the order id, so a retried charge reaches the same payment. */
public final class PaymentIds {

    private PaymentIds() {
    }

    public static String forOrder(String orderId) {
        return "payment-" + orderId;
    }
}
