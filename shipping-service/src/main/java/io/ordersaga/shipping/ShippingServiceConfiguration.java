package io.ordersaga.shipping;

import io.ordersaga.platform.persistence.SchemaMigration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
public class ShippingServiceConfiguration {

    @Bean
    public SchemaMigration shippingSchema() {
        return new SchemaMigration("shipping", 40, "classpath:db/migration/shipping");
    }
}
