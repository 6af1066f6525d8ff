package io.ordersaga.order.web;

import io.ordersaga.order.command.OrderErrors;
import io.ordersaga.order.query.OrderHistory;
import io.ordersaga.order.query.OrderQueries;
import io.ordersaga.order.query.OrderStatus;
import io.ordersaga.order.query.OrderView;
import io.ordersaga.platform.web.ApiException;
import jakarta.validation.Valid;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Orders over HTTP: submission (validated, idempotent under an {@code Idempotency-Key}), status and history.
 * A request that is refused persists nothing: validation happens before any command is sent.
 */
@RestController
@RequestMapping("/orders")
public class OrderController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

    private final CommandGateway commands;
    private final OrderQueries queries;
    private final OrderHistory history;
    private final OrderIds ids;
    private final String currency;
    private final Duration placementTimeout;

    public OrderController(CommandGateway commands, OrderQueries queries, OrderHistory history, OrderIds ids,
                           @Value("${ordersaga.order.currency:EUR}") String currency,
                           @Value("${ordersaga.order.placement-timeout:10s}") Duration placementTimeout) {
        this.commands = commands;
        this.queries = queries;
        this.history = history;
        this.ids = ids;
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
        placeOrder(request, orderId);
        OrderStatus status = queries.find(orderId).map(OrderView::status).orElse(OrderStatus.PLACED);
        return ResponseEntity.accepted()
                .location(URI.create("/orders/" + orderId))
                .body(new OrderAccepted(orderId, status));
    }

    @GetMapping(path = "/{orderId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public OrderView get(@PathVariable String orderId) {
        return queries.find(requireOrderId(orderId))
                .orElseThrow(() -> ApiException.notFound("order", orderId));
    }

    @GetMapping(path = "/{orderId}/history", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<OrderHistory.Entry> history(@PathVariable String orderId) {
        List<OrderHistory.Entry> entries = history.of(requireOrderId(orderId));
        if (entries.isEmpty()) {
            throw ApiException.notFound("order", orderId);
        }
        return entries;
    }

    private void placeOrder(PlaceOrderRequest request, String orderId) {
        try {
            commands.send(request.toCommand(orderId, currency, RequestFingerprint.of(request)))
                    .get(placementTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommandExecutionException refused
                    && refused.getDetails().filter(OrderErrors.IDEMPOTENCY_KEY_REUSED::equals).isPresent()) {
                throw ApiException.unprocessable(
                        "Idempotency-Key was already used for a different request; use a new key for a new order");
            }
            throw new IllegalStateException("Placing order " + orderId + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Not placed in time",
                    "The order could not be confirmed in time; retry with the same Idempotency-Key to be safe");
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
