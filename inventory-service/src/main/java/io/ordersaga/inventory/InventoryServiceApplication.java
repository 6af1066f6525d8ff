package io.ordersaga.inventory;

import io.ordersaga.platform.ServiceApplications;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The inventory service as a process of its own ({@code java -jar inventory-service/target/inventory-service-exec.jar}), port 8081,
 * configured by {@code ordersaga-services.yml} and {@code inventory-service.yml}.
 */
@SpringBootApplication
public class InventoryServiceApplication {

    public static void main(String[] args) {
        ServiceApplications.run(InventoryServiceApplication.class, "inventory-service", args);
    }
}
