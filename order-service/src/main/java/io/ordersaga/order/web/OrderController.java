package io.ordersaga.order.web;

import io.ordersaga.order.command.OrderErrors;
import io.ordersaga.order.command.Placement;
import io.ordersaga.order.query.OrderEndings;
import io.ordersaga.order.query.OrderHistory;
import io.ordersaga.order.query.OrderListItem;
import io.ordersaga.order.query.OrderQueries;
import io.ordersaga.order.query.OrderSearch;
import io.ordersaga.order.query.OrderStatus;
import io.ordersaga.order.query.OrderView;
import io.ordersaga.order.timeline.OrderTimeline;
import io.ordersaga.platform.observability.OrderLogContext;
import io.ordersaga.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.Explode;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import org.springframework.web.util.UriComponentsBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Orders over HTTP: submission (validated, idempotent under an {@code Idempotency-Key}), status (at once, or once the
 * order has ended), lists (recent, stuck), history and timeline. A request that is refused persists nothing: the
 * submission's rules are its parameters' constraints (the key's shape, {@link PlaceOrderRequest}'s fields), checked by
 * Spring MVC's method validation before the method runs and any command is sent.
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

    private static final String IDEMPOTENCY_KEY = "^[A-Za-z0-9._:-]{1,128}$";
    private static final Pattern CUSTOMER_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$");
    private static final int DEFAULT_LIST = 50;
    private static final int MAX_LIST = 500;
    private static final Duration WAIT_GRACE = Duration.ofSeconds(30);

    private final CommandGateway commands;
    private final OrderQueries queries;
    private final OrderSearch search;
    private final OrderHistory history;
    private final OrderTimeline timeline;
    private final OrderIds ids;
    private final Admission admission;
    private final OrderEndings endings;
    private final String currency;
    private final Duration placementTimeout;

    public OrderController(CommandGateway commands, OrderQueries queries, OrderSearch search, OrderHistory history,
                           OrderTimeline timeline, OrderIds ids, Admission admission, OrderEndings endings,
                           @Value("${ordersaga.order.currency:EUR}") String currency,
                           @Value("${ordersaga.order.placement-timeout:10s}") Duration placementTimeout) {
        this.commands = commands;
        this.queries = queries;
        this.search = search;
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
    @ApiResponse(responseCode = "202", description = "The order is stored; its saga has started",
            headers = @Header(name = "Location", description = "/orders/{orderId}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "422", description = "The Idempotency-Key was used for another request")
    @ApiResponse(responseCode = "503", description = "Busy, or the database is unavailable: the order was not taken;"
            + " retry after Retry-After seconds with the same Idempotency-Key",
            headers = @Header(name = "Retry-After", schema = @Schema(type = "integer")))
    public ResponseEntity<OrderAccepted> place(
            @Parameter(description = "The same key with the same body places the order once")
            @RequestHeader(name = "Idempotency-Key", required = false)
            @jakarta.validation.constraints.Pattern(regexp = IDEMPOTENCY_KEY,
                    message = "must be 1 to 128 characters of letters, digits and . _ : -") String idempotencyKey,
            @Valid @RequestBody PlaceOrderRequest request) {
        String orderId = idempotencyKey == null ? ids.newOrderId() : ids.forIdempotencyKey(idempotencyKey);
        try (var logContext = OrderLogContext.of(orderId)) {
            // a database that cannot be reached meanwhile is answered 503 + Retry-After by ApiExceptionHandler
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
     * comma-separated) and {@code customerId} narrow either list. One page of at most {@code limit} orders; when there
     * are more, the {@code Link} header ({@code rel="next"}) is the address of the next page, with its {@code cursor}.
     */
    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "One page of orders",
            headers = @Header(name = "Link", description = "<address of the next page>; rel=\"next\", when there is one",
                    schema = @Schema(type = "string")))
    public ResponseEntity<List<OrderListItem>> list(
            @Parameter(description = "Only orders of these statuses", explode = Explode.FALSE,
                    array = @ArraySchema(schema = @Schema(implementation = OrderStatus.class)))
            @RequestParam(name = "status", required = false) List<String> status,
            @Parameter(description = "Only orders not ended although placed more than this many seconds ago, the"
                    + " oldest first", schema = @Schema(type = "integer", minimum = "0"))
            @RequestParam(name = "stuckForSeconds", required = false) String stuckForSeconds,
            @Parameter(description = "At most this many orders on a page",
                    schema = @Schema(type = "integer", minimum = "1", maximum = "500", defaultValue = "50"))
            @RequestParam(name = "limit", required = false) String limit,
            @Parameter(description = "Only this customer's orders",
                    schema = @Schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$"))
            @RequestParam(name = "customerId", required = false) String customerId,
            @Parameter(description = "Where the page starts: the cursor of the previous page's Link header")
            @RequestParam(name = "cursor", required = false) String cursor) {
        Set<OrderStatus> statuses = statuses(status);
        int max = boundedInt("limit", limit, 1, MAX_LIST, DEFAULT_LIST);
        Duration stuckFor = null;
        if (stuckForSeconds != null) {
            statuses.stream().filter(OrderStatus::isTerminal).findFirst().ifPresent(ended -> {
                throw ApiException.badRequest("status: " + ended
                        + " has ended; stuckForSeconds lists orders that have not");
            });
            stuckFor = Duration.ofSeconds(boundedInt("stuckForSeconds", stuckForSeconds, 0, Integer.MAX_VALUE, 0));
        }
        boolean stuck = stuckFor != null;
        OrderSearch.Cursor after = cursor == null ? null : OrderSearch.Cursor.decode(cursor)
                .filter(decoded -> decoded.stuck() == stuck)
                .orElseThrow(() -> ApiException.badRequest("cursor: is not the cursor of a page of this list"
                        + " (take the next page's address from the Link header)"));
        OrderSearch.Page page = search.page(new OrderSearch.Filter(statuses, customer(customerId), stuckFor), after,
                max);
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        page.next().ifPresent(next -> answer.header(HttpHeaders.LINK, "<" + UriComponentsBuilder.fromPath("/orders")
                .queryParamIfPresent("status", Optional.ofNullable(status).map(values -> String.join(",", values)))
                .queryParamIfPresent("stuckForSeconds", Optional.ofNullable(stuckForSeconds))
                .queryParamIfPresent("customerId", Optional.ofNullable(customerId))
                .queryParam("limit", max)
                .queryParam("cursor", next.encode())
                .encode().build().toUriString() + ">; rel=\"next\""));
        return answer.body(page.orders());
    }

    /** How many orders there are of each status, of one customer ({@code customerId}) or of all. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record OrderCounts(String customerId, Map<OrderStatus, Long> byStatus, long total) {
    }

    @GetMapping(path = "/counts", produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderCounts counts(
            @Parameter(description = "Only this customer's orders",
                    schema = @Schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._:@-]{0,63}$"))
            @RequestParam(name = "customerId", required = false) String customerId) {
        Map<OrderStatus, Long> counts = search.counts(customer(customerId));
        return new OrderCounts(customerId, counts, counts.values().stream().mapToLong(Long::longValue).sum());
    }

    private static String customer(String customerId) {
        if (customerId != null && !CUSTOMER_ID.matcher(customerId).matches()) {
            throw ApiException.badRequest("customerId: must be 1 to 64 letters, digits and . _ : @ -,"
                    + " starting with a letter or digit");
        }
        return customerId;
    }

    @GetMapping(path = "/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Parameter(in = ParameterIn.HEADER, name = "Prefer", description = "wait=N (RFC 7240, N at most 60): answer as"
            + " soon as the order has ended, or after N seconds", schema = @Schema(pattern = "^wait=\\d+$"))
    public OrderView get(@Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId) {
        return queries.find(requireOrderId(orderId))
                .orElseThrow(() -> ApiException.notFound("order", orderId));
    }

    /**
     * The order once it has ended, or as it is after the wait the client prefers ({@code Prefer: wait=N}, RFC 7240; at
     * most 60 s), answered with {@code Preference-Applied}; without a usable {@code wait} preference, at once. No
     * thread waits meanwhile: the answer is sent when the order projection has stored the end ({@link OrderEndings}).
     */
    @Hidden // described with get: the same operation, with the Prefer header
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
    public List<OrderHistory.Entry> history(
            @Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId) {
        List<OrderHistory.Entry> entries = history.of(requireOrderId(orderId));
        if (entries.isEmpty()) {
            throw ApiException.notFound("order", orderId);
        }
        return entries;
    }

    /** The order as a Mermaid sequence diagram, drawn from its events (the page {@code /ui/orders/{id}} renders it). */
    @GetMapping(path = "/{orderId}/timeline", produces = MediaType.TEXT_PLAIN_VALUE)
    public String timeline(@Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId) {
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

    /** Anything but an order id cannot be an order, and is not looked up. */
    private static String requireOrderId(String orderId) {
        if (!OrderIds.isOrderId(orderId)) {
            throw ApiException.notFound("order", orderId);
        }
        return orderId;
    }
}
