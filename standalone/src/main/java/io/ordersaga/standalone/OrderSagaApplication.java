package io.ordersaga.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The all-in-one app: the order, inventory, payment, shipping and notification services in one JVM, sharing a
 * local command bus and one PostgreSQL event store. The shared platform comes in by auto-configuration. Each
 * service's own application class (for running it as a process of its own) is left out.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(
        basePackages = {
                "io.ordersaga.standalone",
                "io.ordersaga.order",
                "io.ordersaga.inventory",
                "io.ordersaga.payment",
                "io.ordersaga.shipping",
                "io.ordersaga.notification"},
        excludeFilters = {
                @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
                @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
                @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = SpringBootApplication.class)})
public class OrderSagaApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderSagaApplication.class, args);
    }
}
