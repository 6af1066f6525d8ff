package io.ordersaga.standalone;

import io.ordersaga.inventory.command.SetStockLevelCommand;
import io.ordersaga.inventory.query.StockQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.List;

/**
 * Stocks the demo SKUs of {@code ordersaga.demo.stock} once, so a fresh install can take an order right away.
 * A SKU that already has stock is left alone: a restart never resets what orders have used. As a health indicator
 * ({@code demoStock}, in the readiness group) it is {@code UP} once every demo SKU can be read back, so that the app
 * is ready only when README's order can be placed.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoStock.Settings.class)
class DemoStock implements ApplicationRunner, HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DemoStock.class);

    @ConfigurationProperties("ordersaga.demo")
    record Settings(List<Item> stock) {

        record Item(String sku, int onHand) {
        }

        Settings {
            stock = stock == null ? List.of() : stock;
        }
    }

    private final Settings settings;
    private final StockQueries stock;
    private final CommandGateway commands;
    private final Environment environment;

    DemoStock(Settings settings, StockQueries stock, CommandGateway commands, Environment environment) {
        this.settings = settings;
        this.stock = stock;
        this.commands = commands;
        this.environment = environment;
    }

    @Override
    public Health health() {
        List<String> missing = settings.stock().stream().map(Settings.Item::sku)
                .filter(sku -> stock.find(sku).isEmpty())
                .toList();
        return (missing.isEmpty() ? Health.up() : Health.outOfService().withDetail("missing", missing))
                .withDetail("skus", settings.stock().size())
                .build();
    }

    @Override
    public void run(ApplicationArguments args) {
        for (Settings.Item item : settings.stock()) {
            if (stock.find(item.sku()).isEmpty()) {
                commands.sendAndWait(new SetStockLevelCommand(item.sku(), item.onHand()));
                log.info("Demo stock: {} units of {}", item.onHand(), item.sku());
            }
        }
        log.info("Order saga ready on http://localhost:{} (POST /orders, GET /orders/{id}, GET /inventory/{sku})",
                environment.getProperty("local.server.port", "8080"));
    }
}
