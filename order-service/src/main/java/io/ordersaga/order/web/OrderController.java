package io.ordersaga.order.web;

import io.ordersaga.order.command.OrderErrors;
import io.ordersaga.order.command.Placement;
import io.ordersaga.order.query.OrderEndings;
import io.ordersaga.order.query.OrderHistory;
import io.ordersaga.order.query.OrderListItem;
import io.ordersaga.order.query.OrderQueries;
import io.ordersaga.order.query.OrderStatus;
import io.ordersaga.order.query.OrderView;
import io.ordersaga.order.timeline.OrderTimeline;
import io.ordersaga.platform.observability.OrderLogContext;
import io.ordersaga.platform.web.ApiException;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Orders over HTTP: submission (validated, idempotent under an {@code Idempotency-Key}), status (at once, or once the
 * order has ended), lists (recent, stuck), history and timeline. A request that is refused persists nothing: validation happens before any command is sent.
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
    private static final int DEFAULT_LIST = 50;
    private static final int MAX_LIST = 500;
    private static final Duration WAIT_GRACE = Duration.ofSeconds(30);

    private final CommandGateway commands;
    private final OrderQueries queries;
    private final OrderHistory history;
    private final OrderTimeline timeline;
    private final OrderIds ids;
    private final Admission admission;
    private final OrderEndings endings;
    private final String currency;
    private final Duration placementTimeout;

    public OrderController(CommandGateway commands, OrderQueries queries, OrderHistory history,
                           OrderTimeline timeline, OrderIds ids, Admission admission, OrderEndings endings,
                           @Value("${ordersaga.order.currency:EUR}") String currency,
                           @Value("${ordersaga.order.placement-timeout:10s}") Duration placementTimeout) {
        this.commands = commands;
        this.queries = queries;
        this.history = history;
        this.timeline = timeline;
        this.ids = ids;
        this.admission = admission;
        this.endings = endings;
        this.currency = currency;
        this.placementTimeout = placementTimeout;
    }

    public record OrderAccepted(String orderId, OrderStatus status) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<OrderAccepted> place(
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody PlaceOrderRequest request) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest(
                    "Idempotency-Key: must be 1 to 128 characters of letters, digits and . _ : -");
        }
        requireEachSkuOnce(request);
        String orderId = idempotencyKey == null ? ids.newOrderId() : ids.forIdempotencyKey(idempotencyKey);
        try (var logContext = OrderLogContext.of(orderId)) {
            admit(idempotencyKey == null ? null : orderId);
            Placement placement = placeOrder(request, orderId);
            OrderStatus status = !placement.placedBefore() ? OrderStatus.PLACED
                    : queries.find(orderId).map(OrderView::status).orElse(OrderStatus.PLACED);
            return ResponseEntity.accepted()
                    .location(URI.create("/orders/" + orderId))
                    .body(new OrderAccepted(orderId, status));
        }
    }

    /**
     * Orders, the most recent first; or, with {@code stuckForSeconds}, those not ended although placed more than that
     * long ago, the oldest first, each with the step it is in and its latest failure. {@code status} (one or more,
     * comma-separated) narrows either list.
     */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public List<OrderListItem> list(@RequestParam(name = "status", required = false) List<String> status,
                                    @RequestParam(name = "stuckForSeconds", required = false) String stuckForSeconds,
                                    @RequestParam(name = "limit", required = false) String limit) {
        Set<OrderStatus> statuses = statuses(status);
        int max = boundedInt("limit", limit, 1, MAX_LIST, DEFAULT_LIST);
        if (stuckForSeconds == null) {
            return queries.recent(statuses, max);
        }
        statuses.stream().filter(OrderStatus::isTerminal).findFirst().ifPresent(ended -> {
            throw ApiException.badRequest("status: " + ended + " has ended; stuckForSeconds lists orders that have not");
        });
        int seconds = boundedInt("stuckForSeconds", stuckForSeconds, 0, Integer.MAX_VALUE, 0);
        return queries.stuck(statuses, Duration.ofSeconds(seconds), max);
    }

    @GetMapping(path = "/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderView get(@PathVariable String orderId) {
        return queries.find(requireOrderId(orderId))
                .orElseThrow(() -> ApiException.notFound("order", orderId));
    }

    /**
     * The order once it has ended, or as it is after the wait the client prefers ({@code Prefer: wait=N}, RFC 7240; at
     * most 60 s), answered with {@code Preference-Applied}; without a usable {@code wait} preference, at once. No
     * thread waits meanwhile: the answer is sent when the order projection has stored the end ({@link OrderEndings}).
     */
    @GetMapping(path = "/{orderId}", headers = "Prefer", produces = MediaType.APPLICATION_JSON_VALUE)
    public DeferredResult<ResponseEntity<OrderView>> getWhenEnded(@PathVariable String orderId,
                                                                 @RequestHeader HttpHeaders headers) {
        requireOrderId(orderId);
        Optional<WaitPreference> preference = WaitPreference.in(headers.getOrEmpty("Prefer"));
        if (preference.isEmpty()) {
            DeferredResult<ResponseEntity<OrderView>> now = new DeferredResult<>();
            now.setResult(ResponseEntity.ok(get(orderId)));
            return now;
        }
        WaitPreference wait = preference.get();
        // the answer is due from OrderEndings after the wait; the request's own time limit only catches a lost one
        DeferredResult<ResponseEntity<OrderView>> result =
                new DeferredResult<>(wait.duration().plus(WAIT_GRACE).toMillis());
        CompletableFuture<Optional<OrderView>> answer = endings.whenEnded(orderId, wait.duration());
        result.onCompletion(() -> answer.cancel(false)); // a client gone, a request timed out: stop waiting
        answer.whenComplete((order, error) -> {
            if (error != null) {
                result.setErrorResult(error);
            } else if (order.isEmpty()) {
                result.setErrorResult(ApiException.notFound("order", orderId));
            } else {
                result.setResult(ResponseEntity.ok().header("Preference-Applied", wait.applied()).body(order.get()));
            }
        });
        return result;
    }

    @GetMapping(path = "/{orderId}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<OrderHistory.Entry> history(@PathVariable String orderId) {
        List<OrderHistory.Entry> entries = history.of(requireOrderId(orderId));
        if (entries.isEmpty()) {
            throw ApiException.notFound("order", orderId);
        }
        return entries;
    }

    /** The order as a Mermaid sequence diagram, drawn from its events (the page {@code /ui/orders/{id}} renders it). */
    @GetMapping(path = "/{orderId}/timeline", produces = MediaType.TEXT_PLAIN_VALUE)
    public String timeline(@PathVariable String orderId) {
        return timeline.of(requireOrderId(orderId)).orElseThrow(() -> ApiException.notFound("order", orderId));
    }

    private static Set<OrderStatus> statuses(List<String> values) {
        Set<OrderStatus> statuses = EnumSet.noneOf(OrderStatus.class);
        if (values != null) {
            for (String value : values) {
                try {
                    statuses.add(OrderStatus.valueOf(value.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest("status: " + value + " is not one of "
                            + Arrays.toString(OrderStatus.values()));
                }
            }
        }
        return statuses;
    }

    private static int boundedInt(String name, String value, int min, int max, int otherwise) {
        if (value == null) {
            return otherwise;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest(name + ": must be a whole number from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max));
    }

    /**
     * Refuses a new order while the system is further behind than its bounds. A client that repeats an order it
     * already placed (same {@code Idempotency-Key}) is answered as usual: that order was accepted.
     */
    private void admit(String repeatedOrderId) {
        admission.refusal().ifPresent(why -> {
            if (repeatedOrderId != null && queries.find(repeatedOrderId).isPresent()) {
                return;
            }
            throw ApiException.unavailable("Busy", "Not accepted now: " + why + ". Nothing was stored; retry after "
                    + admission.retryAfter().toSeconds() + " s, with the same Idempotency-Key to be safe",
                    admission.retryAfter());
        });
    }

    private Placement placeOrder(PlaceOrderRequest request, String orderId) {
        try {
            return commands.<Placement>send(request.toCommand(orderId, currency, RequestFingerprint.of(request)))
                    .get(placementTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommandExecutionException refused
                    && refused.getDetails().filter(OrderErrors.IDEMPOTENCY_KEY_REUSED::equals).isPresent()) {
                throw ApiException.unprocessable(
                        "Idempotency-Key was already used for a different request; use a new key for a new order");
            }
            throw new IllegalStateException("Placing order " + orderId + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw ApiException.unavailable("Not placed in time",
                    "The order could not be confirmed in time; retry with the same Idempotency-Key to be safe",
                    admission.retryAfter());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while placing order " + orderId, e);
        }
    }

    private static void requireEachSkuOnce(PlaceOrderRequest request) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < request.items().size(); i++) {
            String sku = request.items().get(i).sku();
            if (!seen.add(sku)) {
                throw ApiException.badRequest("items[" + i + "].sku: " + sku
                        + " appears in more than one line; put its whole quantity in one line");
            }
        }
    }

    /** Order ids are UUIDs; anything else cannot be an order, and is not looked up. */
    private static String requireOrderId(String orderId) {
        try {
            return UUID.fromString(orderId).toString().equals(orderId) ? orderId : notFound(orderId);
        } catch (IllegalArgumentException e) {
            return notFound(orderId);
        }
    }

    private static String notFound(String orderId) {
        throw ApiException.notFound("order", orderId);
    }
}
