package io.ordersaga.contracts.order;

import io.ordersaga.contracts.Redact;

/** How to reach the customer about this order; {@code phone} is optional (no SMS without it). */
public record ContactDetails(String email, String phone) {

    public boolean hasPhone() {
        return phone != null && !phone.isBlank();
    }

    @Override
    public String toString() {
        return "ContactDetails[email=" + Redact.email(email) + ", phone=" + Redact.phone(phone) + "]";
    }
}
