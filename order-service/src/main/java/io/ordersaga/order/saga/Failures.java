package io.ordersaga.order.saga;

import org.axonframework.commandhandling.CommandExecutionException;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Turns the exception a step's command failed with into what the order's history records: the kind of failure
 * (which retry policies match against) and a short message. A failure that crossed a process boundary carries its
 * kind in the details of a {@link CommandExecutionException}; otherwise it is the type of the exception the handler
 * threw (say {@code ProviderUnavailableException}), not of whatever low-level cause it wraps.
 */
final class Failures {

    private static final int MAX_MESSAGE = 300;

    record Failure(String error, String message) {
    }

    private Failures() {
    }

    static Failure describe(Throwable thrown, Duration stepTimeout) {
        Throwable cause = thrown;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return new Failure("TimeoutException", "no answer within " + stepTimeout.toMillis() / 1000.0 + " s");
        }
        if (cause instanceof CommandExecutionException remote
                && remote.getDetails().filter(String.class::isInstance).isPresent()) {
            return new Failure((String) remote.getDetails().get(), truncated(remote.getMessage()));
        }
        return new Failure(cause.getClass().getSimpleName(), truncated(cause.getMessage()));
    }

    private static String truncated(String text) {
        return text == null || text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
