package io.ordersaga.platform.faults;

/** An injected {@link Fault#UNAVAILABLE}: the target behaves as a service that is down. */
public class ServiceUnavailableException extends RuntimeException {

    public ServiceUnavailableException(String message) {
        super(message);
    }
}
