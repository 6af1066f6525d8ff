package io.ordersaga.notification.sender;

/** What a message provider said: accepted (with its message id) or rejected for good (with the reason). */
public record Delivery(String messageId, String rejectionReason) {

    public static Delivery accepted(String messageId) {
        return new Delivery(messageId, null);
    }

    public static Delivery rejected(String reason) {
        return new Delivery(null, reason);
    }

    public boolean isAccepted() {
        return messageId != null;
    }
}
