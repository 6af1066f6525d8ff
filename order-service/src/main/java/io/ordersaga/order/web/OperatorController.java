package io.ordersaga.order.web;

import io.ordersaga.order.command.OperatorDecision;
import io.ordersaga.order.operator.OrderOperations;
import io.ordersaga.order.parking.ParkedOrder;
import io.ordersaga.order.parking.SagaParking;
import io.ordersaga.platform.web.ApiException;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * The operator's endpoints (behind the operator credential, like every {@code /admin/*} endpoint), over
 * {@link OrderOperations}:
 * <ul>
 *   <li>actions on a stuck order: retry the waiting step now, skip a waiting e-mail or SMS, cancel. Each is recorded
 *       on the order before the saga acts on it, and answered {@code 202} with what was recorded; {@code 409} where it
 *       makes no sense, {@code 404} for an unknown order;</li>
 *   <li>the parked orders — the saga's dead letters — and their release once the cause is fixed, recorded on the order
 *       ({@code ParkedOrderRetriedEvent}: who, how many events, released or not).</li>
 * </ul>
 */
@RestController
@RequestMapping("/admin")
public class OperatorController {

    /** One of the actions on an order: {@link OrderOperations#retry}, {@code skip} or {@code cancel}. */
    @FunctionalInterface
    private interface Operation {
        OperatorDecision on(String orderId, String operator, String reason);
    }

    private final OrderOperations operations;

    public OperatorController(OrderOperations operations) {
        this.operations = operations;
    }

    @PostMapping(path = "/orders/{orderId}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "202", description = "Recorded on the order: the waiting steps are attempted now,"
            + " with fresh attempts (a parked order: its events were handed to its saga again)")
    @ApiResponse(responseCode = "409", description = "The order has ended, or no step waits")
    public ResponseEntity<OperatorDecision> retry(
            @Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId,
            @Valid @RequestBody(required = false) OperatorRequest.Action body) {
        return act(operations::retry, orderId, body);
    }

    @PostMapping(path = "/orders/{orderId}/skip", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "202", description = "Recorded on the order: the waiting e-mail or SMS is skipped")
    @ApiResponse(responseCode = "409", description = "The order has ended, or what waits is not an e-mail or SMS")
    public ResponseEntity<OperatorDecision> skip(
            @Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId,
            @Valid @RequestBody(required = false) OperatorRequest.Action body) {
        return act(operations::skip, orderId, body);
    }

    @PostMapping(path = "/orders/{orderId}/cancel", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "202", description = "Recorded on the order: it is compensated, then cancelled")
    @ApiResponse(responseCode = "409", description = "The order has ended, or is already being compensated")
    public ResponseEntity<OperatorDecision> cancel(
            @Parameter(schema = @Schema(format = "uuid")) @PathVariable String orderId,
            @Valid @RequestBody OperatorRequest.Cancel request) {
        return act(operations::cancel, orderId, request.who(), request.reason().strip());
    }

    @GetMapping(path = "/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<ParkedOrder> deadLetters() {
        return operations.parked();
    }

    /**
     * Hands the order's parked events to its saga, in order. {@code 200} once it is released; {@code 409} when the saga
     * failed again (the order stays parked, with the new error); {@code 404} when the order is not parked.
     */
    @PostMapping(path = "/dead-letters/{orderId}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "Released: the saga handled the order's parked events")
    @ApiResponse(responseCode = "409", description = "The saga failed again: the order stays parked, with the new error")
    public SagaParking.Release releaseParked(@PathVariable String orderId,
                                             @Valid @RequestBody(required = false) OperatorRequest.Action body) {
        SagaParking.Release release = operations.releaseParked(orderId, OperatorRequest.Action.orNone(body).who())
                .orElseThrow(() -> ApiException.notFound("parked order", orderId));
        if (!release.released()) {
            throw new ApiException(HttpStatus.CONFLICT, "Still parked", release.whyStillParked());
        }
        return release;
    }

    /** Retry, skip: the body, and each of its fields, optional. */
    private ResponseEntity<OperatorDecision> act(Operation operation, String orderId, OperatorRequest.Action body) {
        OperatorRequest.Action request = OperatorRequest.Action.orNone(body);
        return act(operation, orderId, request.who(), request.reason());
    }

    private ResponseEntity<OperatorDecision> act(Operation operation, String orderId, String operator, String reason) {
        try {
            return ResponseEntity.accepted().body(operation.on(orderId, operator, reason));
        } catch (OrderOperations.UnknownOrder unknown) {
            throw ApiException.notFound("order", orderId);
        } catch (OrderOperations.Refused refused) {
            throw ApiException.conflict(refused.getMessage());
        }
    }
}
