package io.ordersaga.inventory.faults;

import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.platform.faults.Fault;
import io.ordersaga.platform.faults.FaultInjector;
import io.ordersaga.platform.faults.FaultTarget;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Set;

/**
 * {@code inventory.reserve}: faults in the handling of stock reservations, injected by a command handler interceptor
 * in front of the StockItem (which knows nothing of them). A reservation can time out or find the service down; a
 * refusal only comes from real stock levels.
 */
@Configuration
public class InventoryFaults {

    public static final String RESERVE = "inventory.reserve";

    @Bean
    public FaultTarget inventoryReserveFaultTarget() {
        return new FaultTarget(RESERVE, Set.of(Fault.TIMEOUT, Fault.UNAVAILABLE, Fault.OK));
    }

    @Bean
    @ConditionalOnProperty(name = "ordersaga.faults.enabled", havingValue = "true")
    public MessageHandlerInterceptor<CommandMessage<?>> reserveStockFaults(FaultInjector faults) {
        return new MessageHandlerInterceptor<>() {
            @Override
            public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain)
                    throws Exception {
                if (unitOfWork.getMessage().getPayload() instanceof ReserveStockCommand) {
                    faults.declines(RESERVE);
                }
                return chain.proceed();
            }
        };
    }
}
