package io.ordersaga.notification;

import io.ordersaga.platform.persistence.SchemaMigration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class NotificationServiceConfiguration {

    @Bean
    public SchemaMigration notificationSchema() {
        return new SchemaMigration("notification", 50, "classpath:db/migration/notification");
    }
}
