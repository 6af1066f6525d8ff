package io.ordersaga.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The all-in-one app: the order, inventory, payment, shipping and notification services in one JVM, sharing a
 * local command bus and one PostgreSQL event store. The shared platform comes in by auto-configuration.
 */
@SpringBootApplication(scanBasePackages = {
        "io.ordersaga.standalone",
        "io.ordersaga.order",
        "io.ordersaga.inventory",
        "io.ordersaga.payment",
        "io.ordersaga.shipping",
        "io.ordersaga.notification"})
public class OrderSagaApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderSagaApplication.class, args);
    }
}
