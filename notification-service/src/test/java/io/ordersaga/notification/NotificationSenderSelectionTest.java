package io.ordersaga.notification;

import io.ordersaga.notification.sender.EmailSender;
import io.ordersaga.notification.sender.SmsSender;
import io.ordersaga.notification.sender.http.HttpSmsSender;
import io.ordersaga.notification.sender.http.HttpSmsSenderProperties;
import io.ordersaga.notification.sender.simulator.SimulatedEmailSender;
import io.ordersaga.notification.sender.simulator.SimulatedSmsSender;
import io.ordersaga.notification.sender.smtp.SmtpEmailSender;
import io.ordersaga.platform.provider.ProviderSimulatorDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.mail.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.PlatformTransactionManager;

import javax.sql.DataSource;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** {@code ordersaga.notification.email} and {@code .sms} choose the adapters; the simulators stay the default. */
class NotificationSenderSelectionTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MailSenderAutoConfiguration.class))
            .withUserConfiguration(Senders.class);

    @Test
    void withoutConfigurationTheSimulatorsSend() {
        context.run(app -> {
            assertThat(app).hasSingleBean(EmailSender.class).hasSingleBean(SmsSender.class);
            assertThat(app.getBean(EmailSender.class)).isInstanceOf(SimulatedEmailSender.class);
            assertThat(app.getBean(SmsSender.class)).isInstanceOf(SimulatedSmsSender.class);
        });
    }

    @Test
    void smtpSendsE_mailThroughSpringBootsMailSenderWithDefaultTimeouts() {
        context.withPropertyValues("ordersaga.notification.email=smtp", "spring.mail.host=smtp.example.com",
                        "spring.mail.properties.mail.smtp.timeout=5000")
                .run(app -> {
                    assertThat(app).hasSingleBean(EmailSender.class);
                    assertThat(app.getBean(EmailSender.class)).isInstanceOf(SmtpEmailSender.class);
                    assertThat(app.getBean(SmsSender.class)).isInstanceOf(SimulatedSmsSender.class);
                    assertThat(app.getBean(JavaMailSenderImpl.class).getSession().getProperties())
                            .containsEntry("mail.smtp.connectiontimeout", "2000")
                            .containsEntry("mail.smtp.timeout", "5000")
                            .containsEntry("mail.smtp.writetimeout", "3000");
                });
    }

    @Test
    void smtpWithoutAMailServerDoesNotStart() {
        context.withPropertyValues("ordersaga.notification.email=smtp")
                .run(app -> assertThat(app).hasFailed().getFailure()
                        .hasStackTraceContaining("JavaMailSender"));
    }

    @Test
    void httpSendsSmsThroughTheGatewayWithDefaultTimeouts() {
        context.withPropertyValues("ordersaga.notification.sms=http",
                        "ordersaga.notification.sms-http.base-url=https://sms.example.com",
                        "ordersaga.notification.sms-http.api-key=sms_live_123")
                .run(app -> {
                    assertThat(app).hasSingleBean(SmsSender.class);
                    assertThat(app.getBean(SmsSender.class)).isInstanceOf(HttpSmsSender.class);
                    assertThat(app.getBean(EmailSender.class)).isInstanceOf(SimulatedEmailSender.class);
                    assertThat(app.getBean(HttpSmsSenderProperties.class)).isEqualTo(new HttpSmsSenderProperties(
                            URI.create("https://sms.example.com"), "sms_live_123", Duration.ofSeconds(1),
                            Duration.ofSeconds(3)));
                });
    }

    @Test
    void httpWithoutABaseUrlDoesNotStart() {
        context.withPropertyValues("ordersaga.notification.sms=http",
                        "ordersaga.notification.sms-http.api-key=sms_live_123")
                .run(app -> assertThat(app).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("ordersaga.notification.sms-http.base-url"));
    }

    @Configuration
    @ComponentScan("io.ordersaga.notification.sender")
    static class Senders {

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
