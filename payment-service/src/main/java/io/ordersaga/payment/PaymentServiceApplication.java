package io.ordersaga.payment;

import io.ordersaga.platform.ServiceApplications;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payment service as a process of its own ({@code java -jar payment-service/target/payment-service-exec.jar}), port 8082,
 * configured by {@code ordersaga-services.yml} and {@code payment-service.yml}.
 */
@SpringBootApplication
public class PaymentServiceApplication {

    public static void main(String[] args) {
        ServiceApplications.run(PaymentServiceApplication.class, "payment-service", args);
    }
}
