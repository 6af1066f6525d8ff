package io.ordersaga.order.parking;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.order.saga.OrderSaga;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Clock;

/**
 * Parking on the saga's processor: the interceptor on the {@code order-saga} processor only, the operator's view and
 * release, and what makes parked orders visible — a health component and the gauge {@code ordersaga_parked_orders}.
 */
@Configuration
public class ParkingConfiguration {

    @Bean
    public ParkedOrders parkedOrders(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock) {
        return new ParkedOrders(jdbc, transactions, clock);
    }

    @Bean
    public SagaParking sagaParking(ParkedOrders parked, EventProcessingConfiguration processing,
                                   EventStorageEngine storage, TransactionManager transactions) {
        return new SagaParking(parked, processing, storage, transactions);
    }

    /** Outermost but for the logging context: it must see what every other interceptor and the saga throw. */
    @Bean
    public ConfigurerModule sagaParkingInterceptor(ParkedOrders parked) {
        return new ConfigurerModule() {
            @Override
            public void configureModule(org.axonframework.config.Configurer configurer) {
                configurer.eventProcessing().registerHandlerInterceptor(OrderSaga.PROCESSING_GROUP,
                        axon -> new ParkingInterceptor(parked));
            }

            @Override
            public int order() {
                return Integer.MIN_VALUE + 1;
            }
        };
    }

    /** Parked orders do not make the service unhealthy (every other order goes on), but health shows them. */
    @Bean
    public HealthIndicator parkedOrdersHealthIndicator(SagaParking parking) {
        return () -> {
            int parked = parking.count();
            Health.Builder health = Health.up().withDetail("parked", parked);
            if (parked > 0) {
                health.withDetail("action", "GET /admin/dead-letters; release with"
                        + " POST /admin/dead-letters/{orderId}/retry");
            }
            return health.build();
        };
    }

    @Bean
    public Gauge parkedOrdersGauge(MeterRegistry registry, SagaParking parking) {
        return Gauge.builder("ordersaga.parked.orders", parking, SagaParking::count)
                .description("Orders whose saga is parked because it could not handle one of their events")
                .register(registry);
    }
}
