package io.ordersaga.order.web;

import io.ordersaga.order.operator.OrderOperations;
import io.ordersaga.order.parking.ParkedOrder;
import io.ordersaga.order.parking.SagaParking;
import io.ordersaga.platform.web.ApiException;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Parked orders — the saga's dead letters — for an operator (behind the operator credential, like every
 * {@code /admin/*} endpoint): which orders are parked and why, and their release once the cause is fixed — recorded on
 * the order ({@code ParkedOrderRetriedEvent}: who, how many events, released or not).
 */
@RestController
@RequestMapping("/admin/dead-letters")
public class DeadLettersController {

    private final SagaParking parking;
    private final OrderOperations operations;

    public DeadLettersController(SagaParking parking, OrderOperations operations) {
        this.parking = parking;
        this.operations = operations;
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    public List<ParkedOrder> list() {
        return parking.parked();
    }

    /**
     * Hands the order's parked events to its saga, in order. {@code 200} once it is released; {@code 409} when the saga
     * failed again (the order stays parked, with the new error); {@code 404} when the order is not parked.
     */
    @PostMapping(path = "/{orderId}/retry", produces = MediaType.APPLICATION_JSON_VALUE)
    @ApiResponse(responseCode = "200", description = "Released: the saga handled the order's parked events")
    @ApiResponse(responseCode = "409", description = "The saga failed again: the order stays parked, with the new error")
    public SagaParking.Release retry(@PathVariable String orderId,
                                     @Valid @RequestBody(required = false) OperatorRequest.Action body) {
        String operator = body == null ? new OperatorRequest.Action(null, null).who() : body.who();
        SagaParking.Release release = operations.releaseParked(orderId, operator)
                .orElseThrow(() -> ApiException.notFound("parked order", orderId));
        if (!release.released()) {
            throw new ApiException(HttpStatus.CONFLICT, "Still parked", "Order " + orderId
                    + " stays parked: its saga failed again after " + release.eventsHandled() + " events: "
                    + release.error());
        }
        return release;
    }
}
