package io.ordersaga.inventory.command;

import io.ordersaga.contracts.inventory.CommitStockCommand;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * When an order completes, its reserved stock leaves the warehouse: each line's reservation becomes a deduction.
 * Waiting for each command is fine here (this processor does nothing else); a failure makes the processor retry
 * the event, and committing twice changes nothing.
 */
@Component
@ProcessingGroup(CompletedOrderStockCommitter.PROCESSING_GROUP)
public class CompletedOrderStockCommitter {

    public static final String PROCESSING_GROUP = "inventory-order-completion";

    private final CommandGateway commands;

    public CompletedOrderStockCommitter(CommandGateway commands) {
        this.commands = commands;
    }

    @EventHandler
    void on(OrderCompletedEvent event) {
        for (OrderLine line : event.items()) {
            commands.sendAndWait(new CommitStockCommand(line.sku(), event.orderId()));
        }
    }
}
