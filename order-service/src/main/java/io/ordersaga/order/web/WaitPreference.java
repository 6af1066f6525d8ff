package io.ordersaga.order.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code wait} preference of RFC 7240 ({@code Prefer: wait=N}): how long a client is willing to wait for an
 * order to end. Preferences are a hint, never an error: one that is malformed or unknown is ignored (the request is
 * answered as if it had not been sent), a wait longer than {@link #MAX} is cut to it, and of a preference given
 * twice only the first counts (RFC 7240, section 2).
 */
record WaitPreference(Duration duration) {

    static final Duration MAX = Duration.ofSeconds(60);

    /** The wait asked for in these {@code Prefer} header values, at most {@link #MAX}; empty when none is usable. */
    static Optional<WaitPreference> in(List<String> preferHeaders) {
        for (String header : preferHeaders) {
            for (String preference : split(header, ',')) {
                String token = split(preference, ';').get(0);
                int equals = token.indexOf('=');
                String name = (equals < 0 ? token : token.substring(0, equals)).strip();
                if (name.equalsIgnoreCase("wait")) {
                    return equals < 0 ? Optional.empty() : seconds(token.substring(equals + 1).strip());
                }
            }
        }
        return Optional.empty();
    }

    /** The answer's {@code Preference-Applied} value. */
    String applied() {
        return "wait=" + duration.toSeconds();
    }

    private static Optional<WaitPreference> seconds(String value) {
        String unquoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        if (unquoted.isEmpty() || !unquoted.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        String digits = unquoted.replaceFirst("^0+(?=.)", "");
        long seconds = digits.length() > 2 ? MAX.toSeconds() : Math.min(Long.parseLong(digits), MAX.toSeconds());
        return Optional.of(new WaitPreference(Duration.ofSeconds(seconds)));
    }

    /** Splits on {@code separator} outside quoted strings (a quoted value may hold a comma or a semicolon). */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '\\' && quoted && i + 1 < text.length()) {
                part.append(c);
                c = text.charAt(++i);
            } else if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        parts.add(part.toString());
        return parts;
    }
}
