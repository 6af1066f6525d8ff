package io.ordersaga.notification.command;

import io.ordersaga.contracts.notification.Channel;
import io.ordersaga.contracts.notification.EmailSentEvent;
import io.ordersaga.contracts.notification.NotificationFailedEvent;
import io.ordersaga.contracts.notification.NotificationIds;
import io.ordersaga.contracts.notification.OrderConfirmation;
import io.ordersaga.contracts.notification.SendEmailCommand;
import io.ordersaga.contracts.notification.SendSmsCommand;
import io.ordersaga.contracts.notification.SmsSentEvent;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.EmailSender;
import io.ordersaga.notification.sender.SmsSender;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationCommandHandlerTest {

    private static final String ORDER_ID = "order-1";
    private static final String NOTIFICATION_ID = NotificationIds.forOrder(ORDER_ID);
    private static final OrderConfirmation CONFIRMATION =
            new OrderConfirmation(new BigDecimal("2019.79"), "EUR", "3SABCD1234567");

    private FixtureConfiguration<Notification> fixture;
    private FakeEmailSender emailSender;
    private FakeSmsSender smsSender;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Notification.class);
        emailSender = new FakeEmailSender();
        smsSender = new FakeSmsSender();
        fixture.registerAnnotatedCommandHandler(
                new NotificationCommandHandler(fixture.getRepository(), emailSender, smsSender));
    }

    private static SendEmailCommand sendEmail() {
        return new SendEmailCommand(NOTIFICATION_ID, ORDER_ID, "ada@example.com", CONFIRMATION);
    }

    private static SendSmsCommand sendSms() {
        return new SendSmsCommand(NOTIFICATION_ID, ORDER_ID, "+31612345678", CONFIRMATION);
    }

    // --- e-mail ---

    @Test
    void anAcceptedEmailIsRecordedAsSentWithTheProvidersMessageId() {
        emailSender.answer = () -> Delivery.accepted("mail-1");

        fixture.givenNoPriorActivity()
                .when(sendEmail())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, "mail-1"));

        assertThat(smsSender.messages).isEmpty();
    }

    @Test
    void anEmailIsSentOnceUnderTheOrdersEmailKeyToTheCustomersAddress() {
        emailSender.answer = () -> Delivery.accepted("mail-1");

        fixture.givenNoPriorActivity().when(sendEmail()).expectSuccessfulHandlerExecution();

        assertThat(emailSender.messages).singleElement().satisfies(message -> {
            assertThat(message.idempotencyKey()).isEqualTo("order-1:email");
            assertThat(message.to()).isEqualTo("ada@example.com");
            assertThat(message.body()).contains("order-1", "2019.79", "EUR", "3SABCD1234567");
        });
    }

    @Test
    void aRepeatedEmailEmitsNothingAndIsNotSentAgain() {
        emailSender.answer = () -> Delivery.accepted("mail-1");

        fixture.givenCommands(sendEmail())
                .when(sendEmail())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(emailSender.messages).hasSize(1);
    }

    @Test
    void anEmailAlreadySentIsNotSentAgain() {
        fixture.given(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, "mail-1"))
                .when(sendEmail())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(emailSender.messages).isEmpty();
    }

    @Test
    void aRejectedEmailIsRecordedAsAFailedEmailNotification() {
        emailSender.answer = () -> Delivery.rejected("mailbox does not exist");

        fixture.givenNoPriorActivity()
                .when(sendEmail())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new NotificationFailedEvent(NOTIFICATION_ID, ORDER_ID, Channel.EMAIL,
                        "mailbox does not exist"));
    }

    @Test
    void anEmailThatFailedForGoodIsNotSentAgain() {
        fixture.given(new NotificationFailedEvent(NOTIFICATION_ID, ORDER_ID, Channel.EMAIL, "mailbox does not exist"))
                .when(sendEmail())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(emailSender.messages).isEmpty();
    }

    @Test
    void aTransientEmailFailureFailsTheCommandAndRecordsNothing() {
        emailSender.answer = () -> {
            throw new ProviderUnavailable("mail server down");
        };

        fixture.givenNoPriorActivity()
                .when(sendEmail())
                .expectException(ProviderUnavailable.class)
                .expectExceptionMessage("mail server down")
                .expectNoEvents();

        assertThat(emailSender.messages).hasSize(1);
    }

    // --- SMS ---

    @Test
    void anSmsAfterTheEmailIsSentOnceUnderTheOrdersSmsKeyAndRecordedAsSent() {
        smsSender.answer = () -> Delivery.accepted("sms-1");

        fixture.given(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, "mail-1"))
                .when(sendSms())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new SmsSentEvent(NOTIFICATION_ID, ORDER_ID, "sms-1"));

        assertThat(smsSender.messages).singleElement().satisfies(message -> {
            assertThat(message.idempotencyKey()).isEqualTo("order-1:sms");
            assertThat(message.to()).isEqualTo("+31612345678");
            assertThat(message.text()).contains("order-1", "3SABCD1234567");
        });
        assertThat(emailSender.messages).isEmpty();
    }

    @Test
    void aRepeatedSmsEmitsNothingAndIsNotSentAgain() {
        emailSender.answer = () -> Delivery.accepted("mail-1");
        smsSender.answer = () -> Delivery.accepted("sms-1");

        fixture.givenCommands(sendEmail(), sendSms())
                .when(sendSms())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(smsSender.messages).hasSize(1);
        assertThat(emailSender.messages).hasSize(1);
    }

    @Test
    void anSmsAlreadySentIsNotSentAgain() {
        fixture.given(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, "mail-1"),
                        new SmsSentEvent(NOTIFICATION_ID, ORDER_ID, "sms-1"))
                .when(sendSms())
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();

        assertThat(smsSender.messages).isEmpty();
    }

    @Test
    void aRejectedSmsIsRecordedAsAFailedSmsNotification() {
        smsSender.answer = () -> Delivery.rejected("invalid number");

        fixture.given(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, "mail-1"))
                .when(sendSms())
                .expectSuccessfulHandlerExecution()
                .expectEvents(new NotificationFailedEvent(NOTIFICATION_ID, ORDER_ID, Channel.SMS, "invalid number"));
    }

    @Test
    void aTransientSmsFailureFailsTheCommandAndRecordsNothing() {
        smsSender.answer = () -> {
            throw new ProviderUnavailable("sms gateway returned 503");
        };

        fixture.given(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, "mail-1"))
                .when(sendSms())
                .expectException(ProviderUnavailable.class)
                .expectNoEvents();

        assertThat(smsSender.messages).hasSize(1);
    }

    // --- channels are independent ---

    @Test
    void anEmailThatFailedForGoodDoesNotBlockTheSms() {
        smsSender.answer = () -> Delivery.accepted("sms-1");

        fixture.given(new NotificationFailedEvent(NOTIFICATION_ID, ORDER_ID, Channel.EMAIL, "mailbox does not exist"))
                .when(sendSms())
                .expectEvents(new SmsSentEvent(NOTIFICATION_ID, ORDER_ID, "sms-1"));

        assertThat(smsSender.messages).hasSize(1);
    }

    @Test
    void aSentEmailDoesNotBlockTheSmsThroughCommands() {
        emailSender.answer = () -> Delivery.accepted("mail-1");
        smsSender.answer = () -> Delivery.accepted("sms-1");

        fixture.givenCommands(sendEmail())
                .when(sendSms())
                .expectEvents(new SmsSentEvent(NOTIFICATION_ID, ORDER_ID, "sms-1"));
    }

    @Test
    void aFailedSmsDoesNotBlockTheEmail() {
        emailSender.answer = () -> Delivery.accepted("mail-1");

        fixture.given(new NotificationFailedEvent(NOTIFICATION_ID, ORDER_ID, Channel.SMS, "invalid number"))
                .when(sendEmail())
                .expectEvents(new EmailSentEvent(NOTIFICATION_ID, ORDER_ID, "mail-1"));
    }

    /** A transient provider failure: a timeout, an outage, a 5xx. */
    static final class ProviderUnavailable extends RuntimeException {
        ProviderUnavailable(String message) {
            super(message);
        }
    }

    interface Answer {
        Delivery get();
    }

    private static Answer unexpected(String what) {
        return () -> {
            throw new AssertionError("the test did not expect " + what);
        };
    }

    /** Records every e-mail; answers as told, and fails loudly if called when the test did not expect it. */
    static final class FakeEmailSender implements EmailSender {

        final List<EmailMessage> messages = new ArrayList<>();
        Answer answer = unexpected("an e-mail");

        @Override
        public Delivery send(EmailMessage message) {
            messages.add(message);
            return answer.get();
        }
    }

    /** Records every SMS; answers as told, and fails loudly if called when the test did not expect it. */
    static final class FakeSmsSender implements SmsSender {

        final List<SmsMessage> messages = new ArrayList<>();
        Answer answer = unexpected("an SMS");

        @Override
        public Delivery send(SmsMessage message) {
            messages.add(message);
            return answer.get();
        }
    }
}
