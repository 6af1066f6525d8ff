package io.ordersaga.platform.web;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.Errors;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every error a client can cause becomes {@code application/problem+json} naming what was wrong: field errors
 * list each field with its message, unreadable JSON says where and why. No class names and no stack traces
 * reach the client. A database that cannot be reached ({@link DatabaseUnavailable}) is answered {@code 503} with
 * {@code Retry-After}: the request was fine and may be sent again shortly. Other unexpected failures are logged here
 * with their cause and answered with a generic 500.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    /** How long a client is asked to wait before it retries a request the database was not there for. */
    public static final Duration DEFAULT_DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final List<Class<? extends Annotation>> REQUEST_BINDINGS =
            List.of(RequestHeader.class, RequestParam.class, PathVariable.class, CookieValue.class);

    private final Duration databaseRetryAfter;

    public ApiExceptionHandler() {
        this(DEFAULT_DATABASE_RETRY_AFTER);
    }

    public ApiExceptionHandler(Duration databaseRetryAfter) {
        this.databaseRetryAfter = databaseRetryAfter;
    }

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ProblemDetail> handleApiException(ApiException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(exception.status(), exception.getMessage());
        problem.setTitle(exception.title());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(exception.status());
        exception.retryAfter().ifPresent(after -> response.header(HttpHeaders.RETRY_AFTER,
                String.valueOf(retryAfterSeconds(after))));
        return response.body(problem);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> handleUnexpected(Exception exception) {
        Optional<Throwable> databaseDown = DatabaseUnavailable.evidenceIn(exception);
        if (databaseDown.isPresent()) {
            return databaseUnavailable(exception, databaseDown.get());
        }
        log.error("Unexpected failure while serving a request", exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The request could not be completed; it is safe to retry it.");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }

    /**
     * {@code 503}, {@code Retry-After} and a problem that says what happened and what to do, nothing internal. One line
     * in the log per request (the trace at debug): while the database is down every request fails alike.
     */
    private ResponseEntity<ProblemDetail> databaseUnavailable(Exception exception, Throwable evidence) {
        long seconds = retryAfterSeconds(databaseRetryAfter);
        log.warn("Database unavailable while serving a request, answered 503: {}: {}",
                evidence.getClass().getSimpleName(), evidence.getMessage());
        log.debug("Database unavailable while serving a request", exception);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The request was not carried out: the database is unavailable. Retry after " + seconds
                        + " s; an order sent again with the same Idempotency-Key is placed once.");
        problem.setTitle("Database unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(seconds))
                .body(problem);
    }

    /** Whole seconds, rounded up, at least 1. */
    private static long retryAfterSeconds(Duration after) {
        return Math.max(1, (after.toMillis() + 999) / 1000);
    }

    /** A {@code @Valid} argument validated on its own (its method has no constraints of its own): its fields. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        return invalid(fieldErrors(exception.getBindingResult()));
    }

    /**
     * A method whose parameters carry constraints ({@code @Pattern} on a header, say) is validated as a whole, its
     * {@code @Valid} body included: the body's fields are named as above, any other parameter by the name the request
     * gives it ({@code Idempotency-Key}, not the Java parameter's name).
     */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException exception,
                                                                            HttpHeaders headers,
                                                                            HttpStatusCode status,
                                                                            WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        for (ParameterValidationResult result : exception.getParameterValidationResults()) {
            if (result instanceof ParameterErrors fields) {
                errors.addAll(fieldErrors(fields));
            } else {
                String name = requestNameOf(result.getMethodParameter());
                result.getResolvableErrors().forEach(error -> errors.add(Map.of("field", name,
                        "message", messageOf(error))));
            }
        }
        return invalid(errors);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, describeUnreadable(exception));
        problem.setTitle("Unreadable request body");
        return ResponseEntity.badRequest().body(problem);
    }

    private static List<Map<String, String>> fieldErrors(Errors errors) {
        errors.getGlobalErrors().forEach(error -> log.debug("Global error {}", error));
        return errors.getFieldErrors().stream()
                .map(error -> Map.of("field", error.getField(), "message", messageOf(error)))
                .toList();
    }

    /** The header's, query parameter's or path variable's name as the request spells it. */
    private static String requestNameOf(MethodParameter parameter) {
        MergedAnnotations annotations = MergedAnnotations.from(parameter.getParameterAnnotations());
        for (Class<? extends Annotation> binding : REQUEST_BINDINGS) {
            MergedAnnotation<? extends Annotation> bound = annotations.get(binding);
            if (bound.isPresent() && !bound.getString("name").isEmpty()) {
                return bound.getString("name");
            }
        }
        return String.valueOf(parameter.getParameterName());
    }

    /** Field by field, in the order of their names. */
    private ResponseEntity<Object> invalid(List<Map<String, String>> unsorted) {
        List<Map<String, String>> errors = unsorted.stream()
                .sorted(Comparator.comparing(error -> error.get("field")))
                .toList();
        String detail = errors.stream()
                .map(error -> error.get("field") + ": " + error.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().body(problem);
    }

    private static String messageOf(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }

    /**
     * Says what was wrong with the body in terms of the request's own fields, never echoing Java types. Jackson
     * wraps the failure of a value (say an {@code int} overflow) in an exception that carries the field's path, so
     * the whole chain of causes is searched for the path.
     */
    static String describeUnreadable(Throwable exception) {
        JsonMappingException withPath = null;
        JsonParseException parse = null;
        for (Throwable cause = exception; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof UnrecognizedPropertyException unknown) {
                return "Unknown field '" + path(unknown) + "'";
            }
            if (withPath == null && cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
                withPath = mapping;
            }
            if (parse == null && cause instanceof JsonParseException parseException) {
                parse = parseException;
            }
        }
        if (parse != null) { // broken syntax: where it broke says more than which field was being read
            String what = firstLine(parse.getOriginalMessage());
            return parse.getLocation() == null ? "Malformed JSON: " + what
                    : "Malformed JSON at line " + parse.getLocation().getLineNr() + ", column "
                    + parse.getLocation().getColumnNr() + ": " + what;
        }
        if (withPath != null) {
            return "Field '" + path(withPath) + "' has a value of the wrong type, format or size";
        }
        for (Throwable cause = exception; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException) {
                return "Malformed JSON: the body is not a JSON object of the expected shape";
            }
        }
        return "The request body is missing or is not valid JSON";
    }

    private static String firstLine(String message) {
        String line = message == null ? "" : message.lines().findFirst().orElse("");
        return line.length() <= 200 ? line : line.substring(0, 200) + "…";
    }

    private static String path(JsonMappingException exception) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : exception.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
        }
        return path.toString();
    }
}
