package io.ordersaga.systemtests;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.extensions.springcloud.commandhandling.SpringHttpDispatchMessage;
import org.axonframework.serialization.json.JacksonSerializer;

/** A command as one service sends it to another over HTTP: the body the command endpoint would deserialize. */
final class RemoteCommand {

    private RemoteCommand() {
    }

    static String reserveStock(String sku, String orderId, int quantity) {
        SpringHttpDispatchMessage<ReserveStockCommand> dispatch = new SpringHttpDispatchMessage<>(
                GenericCommandMessage.asCommandMessage(new ReserveStockCommand(sku, orderId, quantity)),
                JacksonSerializer.defaultSerializer(), true);
        try {
            return new ObjectMapper().writeValueAsString(dispatch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
