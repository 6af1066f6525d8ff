package io.ordersaga.platform.provider;

/**
 * A provider (payment service provider, carrier, mail server, SMS gateway) could not be reached or did not answer
 * in time, or answered with a server error. Transient: the saga retries the step with backoff. Every adapter throws
 * this for timeouts, refused connections and 5xx answers.
 */
public class ProviderUnavailableException extends RuntimeException {

    public ProviderUnavailableException(String message) {
        super(message);
    }

    public ProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
