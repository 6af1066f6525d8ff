package io.ordersaga.order.operator;

import io.ordersaga.contracts.order.RecordParkedOrderRetryCommand;
import io.ordersaga.contracts.order.RequestCancellationCommand;
import io.ordersaga.contracts.order.RetryStepCommand;
import io.ordersaga.contracts.order.SkipStepCommand;
import io.ordersaga.order.command.OperatorDecision;
import io.ordersaga.order.command.OrderErrors;
import io.ordersaga.order.parking.ParkedOrder;
import io.ordersaga.order.parking.SagaParking;
import io.ordersaga.order.query.OrderQueries;
import io.ordersaga.platform.observability.OrderLogContext;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator's tools, in one place: actions on one order, as commands to the order — each is recorded there (who,
 * what, why) before the saga acts on it, and refused there where it makes no sense ({@link Refused}); an order that
 * does not exist is refused here ({@link UnknownOrder}) — and the parked orders, the saga's dead letters. A parked
 * order is retried by handing its events to its saga again ({@link SagaParking}), which is recorded on the order too.
 */
@Component
public class OrderOperations {

    private static final Logger log = LoggerFactory.getLogger(OrderOperations.class);

    /** The order refused the action: it has ended, nothing waits, or it is already being compensated. */
    public static class Refused extends RuntimeException {

        public Refused(String message) {
            super(message);
        }
    }

    /** No order has this id. */
    public static class UnknownOrder extends RuntimeException {

        public UnknownOrder(String orderId) {
            super("No order with id '" + orderId + "'");
        }
    }

    private final CommandGateway commands;
    private final SagaParking parking;
    private final OrderQueries orders;
    private final Duration timeout;

    public OrderOperations(CommandGateway commands, SagaParking parking, OrderQueries orders,
                           @Value("${ordersaga.order.placement-timeout:10s}") Duration timeout) {
        this.commands = commands;
        this.parking = parking;
        this.orders = orders;
        this.timeout = timeout;
    }

    /** The waiting steps attempted now with fresh attempts; a parked order's events handed to its saga again. */
    public OperatorDecision retry(String orderId, String operator, String reason) {
        try (var logContext = OrderLogContext.of(orderId)) {
            requireKnown(orderId);
            Optional<SagaParking.Release> release = releaseParked(orderId, operator);
            if (release.isPresent()) {
                if (!release.get().released()) {
                    throw new Refused(release.get().whyStillParked());
                }
                return new OperatorDecision(orderId, "release", List.of(), false);
            }
            OperatorDecision decision = send(new RetryStepCommand(orderId, operator, reason));
            log.info("Order {}: retry by {}: {}{}", orderId, operator, decision.steps(),
                    decision.repeated() ? " (repeated)" : "");
            return decision;
        }
    }

    public OperatorDecision skip(String orderId, String operator, String reason) {
        try (var logContext = OrderLogContext.of(orderId)) {
            requireKnown(orderId);
            OperatorDecision decision = send(new SkipStepCommand(orderId, operator, reason));
            log.info("Order {}: skipped by {}: {}", orderId, operator, decision.steps());
            return decision;
        }
    }

    public OperatorDecision cancel(String orderId, String operator, String reason) {
        try (var logContext = OrderLogContext.of(orderId)) {
            requireKnown(orderId);
            OperatorDecision decision = send(new RequestCancellationCommand(orderId, operator, reason));
            log.info("Order {}: cancelled by {}", orderId, operator);
            return decision;
        }
    }

    /** The parked orders: the saga's dead letters, each with why it is parked. */
    public List<ParkedOrder> parked() {
        return parking.parked();
    }

    /**
     * Hands a parked order's events to its saga again, and records on the order that it did and how it went; empty
     * when the order is not parked.
     */
    public Optional<SagaParking.Release> releaseParked(String orderId, String operator) {
        Optional<SagaParking.Release> release = parking.release(orderId);
        release.ifPresent(done -> send(new RecordParkedOrderRetryCommand(orderId, operator, done.eventsHandled(),
                done.released(), done.error())));
        return release;
    }

    /** The order is known once placed, whether or not the order projection has it yet. */
    private void requireKnown(String orderId) {
        if (orders.find(orderId).isEmpty()) {
            throw new UnknownOrder(orderId);
        }
    }

    private <R> R send(Object command) {
        try {
            return commands.<R>send(command).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommandExecutionException refused
                    && refused.getDetails().filter(OrderErrors::isOperatorRefusal).isPresent()) {
                throw new Refused(refused.getMessage());
            }
            throw new IllegalStateException(command.getClass().getSimpleName() + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(command.getClass().getSimpleName() + " was not handled within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
