package io.ordersaga.payment;

import io.ordersaga.payment.gateway.PaymentGateway;
import io.ordersaga.payment.gateway.http.HttpPaymentGateway;
import io.ordersaga.payment.gateway.http.HttpPaymentGatewayProperties;
import io.ordersaga.payment.gateway.simulator.SimulatedPaymentGateway;
import io.ordersaga.platform.provider.ProviderSimulatorDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** {@code ordersaga.payment.gateway} chooses the adapter; the simulator stays the default. */
class PaymentGatewaySelectionTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Adapters.class);

    @Test
    void withoutConfigurationTheSimulatorIsThePaymentGateway() {
        context.run(app -> assertThat(app).hasSingleBean(PaymentGateway.class)
                .getBean(PaymentGateway.class).isInstanceOf(SimulatedPaymentGateway.class));
    }

    @Test
    void httpChoosesTheHttpGatewayWithItsSettingsAndDefaultTimeouts() {
        context.withPropertyValues("ordersaga.payment.gateway=http",
                        "ordersaga.payment.http.base-url=https://psp.example.com",
                        "ordersaga.payment.http.api-key=sk_live_123")
                .run(app -> {
                    assertThat(app).hasSingleBean(PaymentGateway.class)
                            .getBean(PaymentGateway.class).isInstanceOf(HttpPaymentGateway.class);
                    assertThat(app.getBean(HttpPaymentGatewayProperties.class)).isEqualTo(
                            new HttpPaymentGatewayProperties(URI.create("https://psp.example.com"), "sk_live_123",
                                    Duration.ofSeconds(1), Duration.ofSeconds(3)));
                });
    }

    @Test
    void theTimeoutsCanBeConfigured() {
        context.withPropertyValues("ordersaga.payment.gateway=http",
                        "ordersaga.payment.http.base-url=https://psp.example.com",
                        "ordersaga.payment.http.api-key=sk_live_123",
                        "ordersaga.payment.http.connect-timeout=250ms",
                        "ordersaga.payment.http.read-timeout=2s")
                .run(app -> assertThat(app.getBean(HttpPaymentGatewayProperties.class))
                        .extracting(HttpPaymentGatewayProperties::connectTimeout,
                                HttpPaymentGatewayProperties::readTimeout)
                        .containsExactly(Duration.ofMillis(250), Duration.ofSeconds(2)));
    }

    @Test
    void httpWithoutAnApiKeyDoesNotStart() {
        context.withPropertyValues("ordersaga.payment.gateway=http",
                        "ordersaga.payment.http.base-url=https://psp.example.com")
                .run(app -> assertThat(app).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("ordersaga.payment.http.api-key is required"));
    }

    @Configuration
    @ComponentScan("io.ordersaga.payment.gateway")
    static class Adapters {

        @Bean
        JdbcTemplate jdbcTemplate() {
            return new JdbcTemplate(mock(DataSource.class));
        }

        @Bean
        ProviderSimulatorDatabase providerSimulatorDatabase() {
            return mock(ProviderSimulatorDatabase.class);
        }

        @Bean
        PlatformTransactionManager transactionManager() {
            return mock(PlatformTransactionManager.class);
        }
    }
}
