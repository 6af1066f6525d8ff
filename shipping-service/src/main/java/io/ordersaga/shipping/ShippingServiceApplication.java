package io.ordersaga.shipping;

import io.ordersaga.platform.ServiceApplications;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The shipping service as a process of its own ({@code java -jar shipping-service/target/shipping-service-exec.jar}), port 8083,
 * configured by {@code ordersaga-services.yml} and {@code shipping-service.yml}.
 */
@SpringBootApplication
public class ShippingServiceApplication {

    public static void main(String[] args) {
        ServiceApplications.run(ShippingServiceApplication.class, "shipping-service", args);
    }
}
