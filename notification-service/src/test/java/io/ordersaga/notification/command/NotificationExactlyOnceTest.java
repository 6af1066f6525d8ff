package io.ordersaga.notification.command;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.NotificationIds;
import io.ordersaga.contracts.notification.OrderConfirmation;
import io.ordersaga.contracts.notification.SendEmailCommand;
import io.ordersaga.contracts.notification.SendSmsCommand;
import io.ordersaga.contracts.notification.SmsSentEvent;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.EmailSender;
import io.ordersaga.notification.sender.SmsSender;
import io.ordersaga.notification.sender.http.HttpSmsSender;
import io.ordersaga.notification.sender.http.HttpSmsSenderProperties;
import io.ordersaga.notification.sender.smtp.SmtpEmailSender;
import jakarta.mail.internet.MimeMessage;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once through the real protocols: the Notification aggregate and its command handler with the SMTP sender
 * against a mail server (GreenMail) and the HTTP SMS sender against an SMS gateway (WireMock) that, like a real one,
 * sends an idempotency key's message once and replays its first answer.
 */
class NotificationExactlyOnceTest {

    private static final String ORDER_ID = "order-1";
    private static final String NOTIFICATION_ID = NotificationIds.forOrder(ORDER_ID);
    private static final OrderConfirmation CONFIRMATION =
            new OrderConfirmation(new BigDecimal("1999.80"), "EUR", "3SABCD1234567");
    private static final String MESSAGE_ID = "<order-1.email@order-saga>";

    @RegisterExtension
    static final GreenMailExtension mailServer = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    @RegisterExtension
    static final WireMockExtension smsGateway = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .build();

    private FixtureConfiguration<Notification> fixture;
    private SmtpEmailSender email;
    private HttpSmsSender sms;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Notification.class);
        JavaMailSenderImpl javaMail = new JavaMailSenderImpl();
        javaMail.setHost("127.0.0.1");
        javaMail.setPort(mailServer.getSmtp().getPort());
        Properties timeouts = new Properties();
        timeouts.setProperty("mail.smtp.connectiontimeout", "1000");
        timeouts.setProperty("mail.smtp.timeout", "1000");
        javaMail.setJavaMailProperties(timeouts);
        email = new SmtpEmailSender(javaMail, "orders@order-saga.local");
        sms = new HttpSmsSender(new HttpSmsSenderProperties(URI.create(smsGateway.baseUrl()), "sms_test_key",
                Duration.ofSeconds(1), Duration.ofSeconds(3)));

        String key = "order-1:sms";
        smsGateway.stubFor(post("/v1/messages").withHeader("Idempotency-Key", equalTo(key))
                .inScenario(key).whenScenarioStateIs(STARTED)
                .willReturn(okJson("""
                        {"id":"msg_1"}""").withStatus(202))
                .willSetStateTo("sent"));
        smsGateway.stubFor(post("/v1/messages").withHeader("Idempotency-Key", equalTo(key))
                .inScenario(key).whenScenarioStateIs("sent")
                .willReturn(okJson("""
                        {"id":"msg_1"}""").withHeader("Idempotent-Replayed", "true")));
    }

    private void register(EmailSender emailSender, SmsSender smsSender) {
        fixture.registerAnnotatedCommandHandler(
                new NotificationCommandHandler(fixture.getRepository(), emailSender, smsSender));
    }

    private static SendEmailCommand sendEmail() {
        return new SendEmailCommand(NOTIFICATION_ID, ORDER_ID, "ada@example.com", CONFIRMATION);
    }

    private static SendSmsCommand sendSms() {
        return new SendSmsCommand(NOTIFICATION_ID, ORDER_ID, "+31612345678", CONFIRMATION);
    }

    private static List<LoggedRequest> smsRequests() {
        return smsGateway.findAll(postRequestedFor(urlEqualTo("/v1/messages")));
    }

    @Test
    void aRedeliveredEmailReachesTheMailServerOnce() {
        register(email, sms);

        fixture.givenCommands(sendEmail())
                .when(sendEmail())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        MimeMessage[] received = mailServer.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0]).extracting(this::messageId).isEqualTo(MESSAGE_ID);
    }

    @Test
    void theFirstEmailIsRecordedWithItsMessageId() {
        register(email, sms);

        fixture.givenNoPriorActivity()
                .when(sendEmail())
                .expectEvents(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, MESSAGE_ID));

        assertThat(mailServer.getReceivedMessages()).hasSize(1);
    }

    @Test
    void anEmailSentAgainAfterTheProcessDiedCarriesTheSameMessageIdAndIsRecordedOnce() {
        register(new EmailDiesAfterTheServerAccepted(email), sms);

        fixture.givenNoPriorActivity().when(sendEmail()).expectException(ProcessDied.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(sendEmail())
                .expectEvents(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, MESSAGE_ID));

        // SMTP has no idempotency key: the server got the message twice, as the same message to the recipient's client
        assertThat(mailServer.getReceivedMessages()).hasSize(2)
                .extracting(this::messageId).containsOnly(MESSAGE_ID);
    }

    @Test
    void aRedeliveredSmsReachesTheGatewayOnce() {
        register(email, sms);

        fixture.givenCommands(sendSms())
                .when(sendSms())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(smsRequests()).hasSize(1);
        assertThat(mailServer.getReceivedMessages()).isEmpty();
    }

    @Test
    void anSmsSentAgainAfterTheProcessDiedReachesTheGatewayUnderTheSameKeyAndIsRecordedOnce() {
        register(email, new SmsDiesAfterTheGatewayAccepted(sms));

        fixture.givenNoPriorActivity().when(sendSms()).expectException(ProcessDied.class).expectNoEvents();
        fixture.givenNoPriorActivity()
                .when(sendSms())
                .expectEvents(new SmsSentEvent(NOTIFICATION_ID, ORDER_ID, "msg_1"));

        assertThat(smsRequests()).hasSize(2)
                .extracting(request -> request.getHeader("Idempotency-Key")).containsOnly("order-1:sms");
        assertThat(smsGateway.getAllServeEvents()).allSatisfy(served ->
                assertThat(served.getWasMatched()).as("every request was one the gateway knew").isTrue());
    }

    private String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The process died after the provider accepted the message and before the outcome was stored. */
    static final class ProcessDied extends RuntimeException {
        ProcessDied() {
            super("process died after the provider accepted the message");
        }
    }

    static final class EmailDiesAfterTheServerAccepted implements EmailSender {

        private final EmailSender sender;
        private boolean died;

        EmailDiesAfterTheServerAccepted(EmailSender sender) {
            this.sender = sender;
        }

        @Override
        public Delivery send(EmailMessage message) {
            Delivery delivery = sender.send(message);
            if (!died) {
                died = true;
                throw new ProcessDied();
            }
            return delivery;
        }
    }

    static final class SmsDiesAfterTheGatewayAccepted implements SmsSender {

        private final SmsSender sender;
        private boolean died;

        SmsDiesAfterTheGatewayAccepted(SmsSender sender) {
            this.sender = sender;
        }

        @Override
        public Delivery send(SmsMessage message) {
            Delivery delivery = sender.send(message);
            if (!died) {
                died = true;
                throw new ProcessDied();
            }
            return delivery;
        }
    }
}
