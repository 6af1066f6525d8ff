package io.ordersaga.contracts;

/** Masks personal data for {@code toString()} of messages, so that logging a message never logs the person. */
public final class Redact {

    private Redact() {
    }

    /** {@code ada@example.com} becomes {@code a***@example.com}. */
    public static String email(String email) {
        if (email == null) {
            return null;
        }
        int at = email.indexOf('@');
        return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
    }

    /** {@code +31612345678} becomes {@code +31******78}. */
    public static String phone(String phone) {
        if (phone == null) {
            return null;
        }
        return phone.length() <= 5 ? "***" : phone.substring(0, 3) + "*".repeat(phone.length() - 5)
                + phone.substring(phone.length() - 2);
    }
}
