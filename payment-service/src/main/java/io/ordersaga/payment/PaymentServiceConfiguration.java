package io.ordersaga.payment;

import io.ordersaga.platform.persistence.SchemaMigration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class PaymentServiceConfiguration {

    @Bean
    public SchemaMigration paymentSchema() {
        return new SchemaMigration("payment", 30, "classpath:db/migration/payment");
    }
}
