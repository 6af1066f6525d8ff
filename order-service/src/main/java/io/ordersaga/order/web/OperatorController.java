package io.ordersaga.order.web;

import io.ordersaga.order.command.OperatorDecision;
import io.ordersaga.order.operator.OrderOperations;
import io.ordersaga.order.query.OrderQueries;
import io.ordersaga.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * An operator's actions on a stuck order (behind the operator credential, like every {@code /admin/*} endpoint): retry
 * the waiting step now, skip a waiting e-mail or SMS, cancel. Each is recorded on the order before the saga acts on it,
 * and answered {@code 202} with what was recorded; {@code 409} where it makes no sense, {@code 404} for an unknown order.
 */
@RestController
@RequestMapping("/admin/orders")
public class OperatorController {

    private final OrderOperations operations;
    private final OrderQueries queries;

    public OperatorController(OrderOperations operations, OrderQueries queries) {
        this.operations = operations;
        this.queries = queries;
    }

    @PostMapping(path = "/{orderId}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "202", description = "Recorded on the order: the waiting steps are attempted now,"
            + " with fresh attempts (a parked order: its events were handed to its saga again)")
    @ApiResponse(responseCode = "409", description = "The order has ended, or no step waits")
    public ResponseEntity<OperatorDecision> retry(
            @Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId,
                                                  @Valid @RequestBody(required = false) OperatorRequest.Action body) {
        OperatorRequest.Action request = body == null ? new OperatorRequest.Action(null, null) : body;
        return act(orderId, () -> operations.retry(orderId, request.who(), request.reason()));
    }

    @PostMapping(path = "/{orderId}/skip", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "202", description = "Recorded on the order: the waiting e-mail or SMS is skipped")
    @ApiResponse(responseCode = "409", description = "The order has ended, or what waits is not an e-mail or SMS")
    public ResponseEntity<OperatorDecision> skip(
            @Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId,
                                                 @Valid @RequestBody(required = false) OperatorRequest.Action body) {
        OperatorRequest.Action request = body == null ? new OperatorRequest.Action(null, null) : body;
        return act(orderId, () -> operations.skip(orderId, request.who(), request.reason()));
    }

    @PostMapping(path = "/{orderId}/cancel", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "202", description = "Recorded on the order: it is compensated, then cancelled")
    @ApiResponse(responseCode = "409", description = "The order has ended, or is already being compensated")
    public ResponseEntity<OperatorDecision> cancel(
            @Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId,
                                                   @Valid @RequestBody OperatorRequest.Cancel request) {
        return act(orderId, () -> operations.cancel(orderId, request.who(), request.reason().strip()));
    }

    private ResponseEntity<OperatorDecision> act(String orderId, Supplier<OperatorDecision> action) {
        requireKnownOrder(orderId);
        try {
            return ResponseEntity.accepted().body(action.get());
        } catch (OrderOperations.Refused refused) {
            throw ApiException.conflict(refused.getMessage());
        }
    }

    private void requireKnownOrder(String orderId) {
        boolean uuid;
        try {
            uuid = UUID.fromString(orderId).toString().equals(orderId);
        } catch (IllegalArgumentException e) {
            uuid = false;
        }
        if (!uuid || queries.find(orderId).isEmpty()) {
            throw ApiException.notFound("order", orderId);
        }
    }
}
