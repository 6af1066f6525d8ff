package io.ordersaga.notification;

import io.ordersaga.platform.ServiceApplications;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The notification service as a process of its own ({@code java -jar notification-service/target/notification-service-exec.jar}), port 8084,
 * configured by {@code ordersaga-services.yml} and {@code notification-service.yml}.
 */
@SpringBootApplication
public class NotificationServiceApplication {

    public static void main(String[] args) {
        ServiceApplications.run(NotificationServiceApplication.class, "notification-service", args);
    }
}
