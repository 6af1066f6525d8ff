package io.ordersaga.inventory.command;

import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.inventory.command.EndedOrders.Outcome;
import io.ordersaga.inventory.command.SettleStockCommand.Kind;
import io.ordersaga.inventory.command.SettleStockCommand.Settlement;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Follows how orders end, and settles the stock they hold.
 *
 * <ul>
 *   <li>An order completed: each line's reservation becomes a deduction.</li>
 *   <li>An order cancelled: each line gives back whatever it still holds. The saga released what it had reserved
 *       before cancelling, so this is usually nothing; it is what catches a reservation that landed after the saga's
 *       release, on a SKU that no longer remembered that release. Cancellations stored before they carried their
 *       lines ({@code items} null) are only recorded.</li>
 *   <li>A reservation stored for an order that has already ended — a late retry, taken because the SKU no longer
 *       remembered the order ({@link StockItem} keeps only its last closed orders) — is given back. For a cancelled
 *       order that is the point; for a completed one it cannot be a reservation the order needs (it completed with
 *       every line reserved and committed), so it is a duplicate, and giving it back keeps the stock from being taken
 *       twice.</li>
 * </ul>
 *
 * <p>The settlements of a batch of events are gathered per SKU and sent when the batch commits, one
 * {@link SettleStockCommand} per SKU, each in the order of the events (one transaction per SKU for the whole batch,
 * where a command per order line took one each), and awaited together; a command that fails or does not answer in time
 * fails the batch, and the processor handles its events again (the platform's error handler propagates). Settling is
 * idempotent, and recording an ended order twice changes nothing. Events about one order are handled in order: this
 * processor has one segment, or segments by order id.
 *
 * <p>It remembers the orders it has seen end in {@link EndedOrders}, for a retention period counted in the events'
 * own time ({@code ordersaga.inventory.ended-orders.retention}, one day by default: a reservation is late by as long
 * as a command can wait in a queue — seconds, minutes under a backlog — and no saga sends one after its order ended).
 */
@Component
@ProcessingGroup(EndedOrderStockSettler.PROCESSING_GROUP)
public class EndedOrderStockSettler {

    /** The name from when it only committed completed orders, kept so that its stored position carries on. */
    public static final String PROCESSING_GROUP = "inventory-order-completion";

    /** How often, in the events' time, orders older than the retention are forgotten. */
    static final Duration FORGET_EVERY = Duration.ofHours(1);

    private static final String PENDING = EndedOrderStockSettler.class.getName() + ".pending";

    private final CommandGateway commands;
    private final EndedOrders endedOrders;
    private final Duration retention;
    private final Duration answerTimeout;
    private volatile Instant lastForgotten = Instant.MIN;

    public EndedOrderStockSettler(
            CommandGateway commands, EndedOrders endedOrders,
            @Value("${ordersaga.inventory.ended-orders.retention:P1D}") Duration retention,
            @Value("${ordersaga.inventory.ended-orders.answer-timeout:30s}") Duration answerTimeout) {
        this.commands = commands;
        this.endedOrders = endedOrders;
        this.retention = retention;
        this.answerTimeout = answerTimeout;
    }

    @EventHandler
    void on(OrderCompletedEvent event, @Timestamp Instant at) {
        ended(event.orderId(), Outcome.COMPLETED, at);
        settle(event.items(), event.orderId(), Kind.COMMIT);
    }

    @EventHandler
    void on(OrderCancelledEvent event, @Timestamp Instant at) {
        ended(event.orderId(), Outcome.CANCELLED, at);
        if (event.items() != null) {
            settle(event.items(), event.orderId(), Kind.GIVE_BACK);
        }
    }

    @EventHandler
    void on(StockReservedEvent event) {
        if (endedOrders.hasEnded(event.orderId())) {
            settle(List.of(event.sku()), new Settlement(event.orderId(), Kind.GIVE_BACK));
        }
    }

    private void ended(String orderId, Outcome outcome, Instant at) {
        endedOrders.record(orderId, outcome, at);
        if (at.isAfter(lastForgotten.plus(FORGET_EVERY))) {
            endedOrders.forgetEndedBefore(at.minus(retention));
            lastForgotten = at;
        }
    }

    private void settle(List<OrderLine> lines, String orderId, Kind kind) {
        settle(lines.stream().map(OrderLine::sku).toList(), new Settlement(orderId, kind));
    }

    /**
     * Adds the settlement to the batch's, per SKU, sent and awaited when the batch commits (at once outside a unit of
     * work); a failure rolls the batch back.
     */
    private void settle(List<String> skus, Settlement settlement) {
        if (!CurrentUnitOfWork.isStarted()) {
            await(skus.stream().<CompletableFuture<?>>map(sku ->
                    commands.send(new SettleStockCommand(sku, List.of(settlement)))).toList());
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Map<String, List<Settlement>> pending = batch.getOrComputeResource(PENDING, key -> {
            Map<String, List<Settlement>> perSku = new LinkedHashMap<>();
            batch.onPrepareCommit(uow -> await(perSku.entrySet().stream().<CompletableFuture<?>>map(sku ->
                    commands.send(new SettleStockCommand(sku.getKey(), byOrder(sku.getValue())))).toList()));
            return perSku;
        });
        for (String sku : skus) {
            pending.computeIfAbsent(sku, key -> new ArrayList<>()).add(settlement);
        }
    }

    /**
     * The settlements ordered by order id, each order's in the order of its events. Storing an event about an order
     * takes that order's lock ({@code V3__one_order_at_a_time.sql}); the SKUs' commands of one batch, handled side by
     * side, then take the locks of the orders they share in the same order, and never wait for each other in a cycle.
     */
    private static List<Settlement> byOrder(List<Settlement> settlements) {
        return settlements.stream().sorted(Comparator.comparing(Settlement::orderId)).toList(); // a stable sort
    }

    private void await(List<CompletableFuture<?>> answers) {
        try {
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                    .get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("Settling stock failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Settling stock: no answer within " + answerTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while settling stock", e);
        }
    }
}
