package io.ordersaga.platform.provider;

/**
 * A provider refused the request for a reason that asking again cannot fix (bad credentials, a request it calls
 * malformed). Not retryable: the saga gives the step up at once. A business refusal (payment declined, address
 * undeliverable, number invalid) is not an exception but an outcome of the port.
 */
public class ProviderRejectedException extends RuntimeException {

    public ProviderRejectedException(String message) {
        super(message);
    }

    public ProviderRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
