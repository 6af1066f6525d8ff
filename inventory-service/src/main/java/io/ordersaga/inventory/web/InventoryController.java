package io.ordersaga.inventory.web;

import io.ordersaga.inventory.command.InventoryErrors;
import io.ordersaga.inventory.command.SetStockLevelCommand;
import io.ordersaga.inventory.query.StockLevelView;
import io.ordersaga.inventory.query.StockQueries;
import io.ordersaga.platform.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/** Stock over HTTP: set what is on hand, read on hand / reserved / available. */
@RestController
@RequestMapping("/inventory")
public class InventoryController {

    private static final Pattern SKU = Pattern.compile("^[A-Z0-9][A-Z0-9-]{2,31}$");
    /** How long a request waits for its stock to be stored (a database that cannot be reached must not hold it). */
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final CommandGateway commands;
    private final StockQueries queries;

    public InventoryController(CommandGateway commands, StockQueries queries) {
        this.commands = commands;
        this.queries = queries;
    }

    public record SetStockRequest(@NotNull @Min(0) @Max(10_000_000) Integer onHand) {
    }

    @PutMapping(path = "/{sku}", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "200", description = "The stock as set")
    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "409",
            description = "Less than what open orders hold")
    public StockLevelView put(@PathVariable String sku, @Valid @RequestBody SetStockRequest request) {
        requireSku(sku);
        try {
            commands.send(new SetStockLevelCommand(sku, request.onHand()))
                    .get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof CommandExecutionException refused
                    && refused.getDetails().filter(InventoryErrors.BELOW_RESERVED::equals).isPresent()) {
                throw ApiException.conflict(refused.getMessage());
            }
            throw new IllegalStateException("Setting the stock of " + sku + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw ApiException.unavailable("Not stored in time", "The stock level could not be confirmed in time;"
                    + " setting it is safe to repeat", RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while setting the stock of " + sku, e);
        }
        return queries.find(sku).orElseThrow(() -> new IllegalStateException("Stock level of " + sku + " not stored"));
    }

    @GetMapping(path = "/{sku}", produces = MediaType.APPLICATION_JSON_VALUE)
    public StockLevelView get(@PathVariable String sku) {
        requireSku(sku);
        return queries.find(sku).orElseThrow(() -> ApiException.notFound("stock item", sku));
    }

    private static void requireSku(String sku) {
        if (!SKU.matcher(sku).matches()) {
            throw ApiException.badRequest("sku: must match " + SKU.pattern());
        }
    }
}
