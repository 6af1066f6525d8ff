package io.ordersaga.platform.faults;

/** An injected {@link Fault#TIMEOUT}: thrown after the target hung past the caller's time limit. */
public class ServiceTimeoutException extends RuntimeException {

    public ServiceTimeoutException(String message) {
        super(message);
    }
}
