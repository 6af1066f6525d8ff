package io.ordersaga.order;

import io.ordersaga.platform.ServiceApplications;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service as a process of its own ({@code java -jar order-service/target/order-service-exec.jar}), port 8080,
 * configured by {@code ordersaga-services.yml} and {@code order-service.yml}.
 */
@SpringBootApplication
public class OrderServiceApplication {

    public static void main(String[] args) {
        ServiceApplications.run(OrderServiceApplication.class, "order-service", args);
    }
}
