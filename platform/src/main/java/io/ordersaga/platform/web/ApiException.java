package io.ordersaga.platform.web;

import org.springframework.http.HttpStatus;

import java.time.Duration;
import java.util.Optional;

/**
 * A request that cannot be served as asked, answered as {@code application/problem+json} with this status,
 * title and detail. The detail is shown to the client: it names what was wrong, never internals.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Duration retryAfter;

    public ApiException(HttpStatus status, String title, String detail) {
        this(status, title, detail, null);
    }

    private ApiException(HttpStatus status, String title, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    /** {@code 503} with {@code Retry-After}: the request is fine, the system cannot take it now. */
    public static ApiException unavailable(String title, String detail, Duration retryAfter) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, title, detail, retryAfter);
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", "No " + what + " with id '" + id + "'");
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail);
    }

    public static ApiException unprocessable(String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "Unprocessable request", detail);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Invalid request", detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** When the client may try again, for a {@code Retry-After} header; empty when it says nothing about that. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
