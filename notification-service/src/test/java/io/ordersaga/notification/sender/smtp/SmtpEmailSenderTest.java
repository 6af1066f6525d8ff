package io.ordersaga.notification.sender.smtp;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.EmailSender.EmailMessage;
import io.ordersaga.platform.provider.ProviderRejectedException;
import io.ordersaga.platform.provider.ProviderUnavailableException;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SmtpEmailSenderTest {

    private static final EmailMessage MESSAGE = new EmailMessage("order-1:email", "ada@example.com",
            "Your order order-1 is on its way", "Thank you for your order.\n\nOrder:    order-1\n");

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("orders", "right-password"));

    private static JavaMailSenderImpl mailServer(int port, Map<String, String> properties) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        Properties javaMail = new Properties();
        javaMail.putAll(properties);
        sender.setJavaMailProperties(javaMail);
        return sender;
    }

    private static SmtpEmailSender sender(int port) {
        return new SmtpEmailSender(mailServer(port, Map.of("mail.smtp.connectiontimeout", "1000",
                "mail.smtp.timeout", "1000")), "orders@order-saga.local");
    }

    private static SmtpEmailSender greenMailSender() {
        return sender(greenMail.getSmtp().getPort());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theMessageArrivesWithRecipientSubjectBodyAndTheMessageIdOfItsIdempotencyKey() throws Exception {
        Delivery delivery = greenMailSender().send(MESSAGE);

        assertThat(delivery).isEqualTo(Delivery.accepted("<order-1.email@order-saga>"));
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage mail = received[0];
        assertThat(mail.getMessageID()).isEqualTo("<order-1.email@order-saga>");
        assertThat(mail.getRecipients(Message.RecipientType.TO))
                .containsExactly(new InternetAddress("ada@example.com"));
        assertThat(mail.getFrom()).containsExactly(new InternetAddress("orders@order-saga.local"));
        assertThat(mail.getSubject()).isEqualTo("Your order order-1 is on its way");
        // the line break before SMTP's final "." belongs to the protocol, not to the body
        assertThat(((String) mail.getContent()).replace("\r\n", "\n").stripTrailing())
                .isEqualTo(MESSAGE.body().stripTrailing());
    }

    @Test
    void aSecondSendOfTheSameMessageCarriesTheSameMessageId() throws Exception {
        SmtpEmailSender sender = greenMailSender();

        sender.send(MESSAGE);
        sender.send(MESSAGE);

        assertThat(greenMail.getReceivedMessages()).hasSize(2)
                .extracting(MimeMessage::getMessageID)
                .containsExactly("<order-1.email@order-saga>", "<order-1.email@order-saga>");
    }

    @Test
    void messageIdsAreValidAndDistinctForDistinctKeys() throws Exception {
        List<String> keys = List.of("order-1:email", "order-1:sms", "order.1:email", "order:1.email", "a::b",
                ":x", "ünï cödé:email", "a=3A:email", "a:=3Aemail", "");
        Set<String> ids = new HashSet<>();
        for (String key : keys) {
            String id = SmtpEmailSender.messageIdFor(key);
            assertThat(id).as(key).matches("<[A-Za-z0-9_=-]+(\\.[A-Za-z0-9_=-]+)*@order-saga>");
            MimeMessage carrier = new MimeMessage((jakarta.mail.Session) null);
            carrier.setHeader("Message-ID", id);
            assertThat(carrier.getMessageID()).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSameSizeAs(keys);
        assertThat(SmtpEmailSender.messageIdFor("order-1:email")).isEqualTo("<order-1.email@order-saga>");
    }

    @Test
    void sendingWhenNoServerListensIsUnavailable() throws IOException {
        Throwable thrown = catchThrowable(() -> sender(closedPort()).send(MESSAGE));

        assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                .hasMessageContaining("not reachable").hasMessageContaining("order-1:email")
                .hasNoCause();
    }

    @Test
    void aServerThatDoesNotAnswerWithinTheReadTimeoutIsUnavailable() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            // the connection is accepted by the kernel, the greeting never comes
            SmtpEmailSender sender = new SmtpEmailSender(mailServer(silent.getLocalPort(),
                    Map.of("mail.smtp.timeout", "300")), "orders@order-saga.local");

            assertThatThrownBy(() -> sender.send(MESSAGE))
                    .isInstanceOf(ProviderUnavailableException.class)
                    .hasMessageContaining("did not answer in time");
        }
    }

    @Test
    void withoutConfiguredTimeoutsASilentServerFailsAfterTheDefaultTimeoutInsteadOfHanging() throws IOException {
        JavaMailSenderImpl unconfigured = mailServer(0, Map.of());
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            unconfigured.setPort(silent.getLocalPort());
            SmtpEmailSender sender = new SmtpEmailSender(unconfigured, "orders@order-saga.local");

            Throwable thrown = assertTimeoutPreemptively(Duration.ofSeconds(15),
                    () -> catchThrowable(() -> sender.send(MESSAGE)));

            assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                    .hasMessageContaining("did not answer in time");
        }
        assertThat(unconfigured.getSession().getProperties())
                .containsEntry("mail.smtp.connectiontimeout", "2000")
                .containsEntry("mail.smtp.timeout", "3000")
                .containsEntry("mail.smtp.writetimeout", "3000");
    }

    @Test
    void configuredTimeoutsAreKept() {
        JavaMailSenderImpl configured = mailServer(25, Map.of("mail.smtp.timeout", "7000",
                "mail.smtp.connectiontimeout", "4000"));

        new SmtpEmailSender(configured, "orders@order-saga.local");

        assertThat(configured.getSession().getProperties())
                .containsEntry("mail.smtp.connectiontimeout", "4000")
                .containsEntry("mail.smtp.timeout", "7000")
                .containsEntry("mail.smtp.writetimeout", "3000");
    }

    @Test
    void wrongCredentialsAreRejected() {
        JavaMailSenderImpl server = mailServer(greenMail.getSmtp().getPort(), Map.of("mail.smtp.auth", "true",
                "mail.smtp.timeout", "1000"));
        server.setUsername("orders");
        server.setPassword("wrong-password");

        Throwable thrown = catchThrowable(() -> new SmtpEmailSender(server, "orders@order-saga.local").send(MESSAGE));

        assertThat(thrown).isInstanceOf(ProviderRejectedException.class)
                .hasMessageContaining("credentials").hasMessageContaining("535")
                .hasNoCause();
        assertThat(thrown.getMessage()).doesNotContain("wrong-password");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void theRightCredentialsSend() {
        JavaMailSenderImpl server = mailServer(greenMail.getSmtp().getPort(), Map.of("mail.smtp.auth", "true",
                "mail.smtp.timeout", "1000"));
        server.setUsername("orders");
        server.setPassword("right-password");

        assertThat(new SmtpEmailSender(server, "orders@order-saga.local").send(MESSAGE).isAccepted()).isTrue();
        assertThat(greenMail.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aRecipientTheServerRefusesForGoodIsARejectedDeliveryWithTheAddressMasked() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(Map.of(
                "RCPT", "550 5.1.1 <ada@example.com>: Recipient address rejected: User unknown"))) {

            Delivery delivery = sender(server.port()).send(MESSAGE);

            assertThat(delivery.isAccepted()).isFalse();
            assertThat(delivery.rejectionReason())
                    .isEqualTo("550 5.1.1 <a***@example.com>: Recipient address rejected: User unknown");
            assertThat(server.verbs()).doesNotContain("DATA");
        }
    }

    @Test
    void aRecipientTheServerDefersIsUnavailable() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(Map.of(
                "RCPT", "451 4.7.1 <ada@example.com>: greylisted, try again later"))) {

            Throwable thrown = catchThrowable(() -> sender(server.port()).send(MESSAGE));

            assertThat(thrown).isInstanceOf(ProviderUnavailableException.class)
                    .hasMessageContaining("451 4.7.1").hasMessageContaining("a***@example.com")
                    .hasMessageNotContaining("ada@example.com");
            assertThat(server.verbs()).doesNotContain("DATA");
        }
    }

    @ParameterizedTest(name = "MAIL FROM answered {0}")
    @ValueSource(strings = {"530 5.7.0 Authentication required", "550 5.7.1 sender not allowed"})
    void aServerThatRefusesTheSenderForGoodIsAConfigurationProblem(String reply) throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(Map.of("MAIL", reply))) {

            assertThatThrownBy(() -> sender(server.port()).send(MESSAGE))
                    .isInstanceOf(ProviderRejectedException.class)
                    .hasMessageContaining(reply)
                    .hasMessageContaining("orders@order-saga.local");
        }
    }

    @Test
    void aServerThatDefersTheSenderIsUnavailable() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(Map.of("MAIL", "452 4.3.1 insufficient storage"))) {

            assertThatThrownBy(() -> sender(server.port()).send(MESSAGE))
                    .isInstanceOf(ProviderUnavailableException.class)
                    .hasMessageContaining("452 4.3.1");
        }
    }

    @Test
    void aMessageTheServerRefusesForGoodIsARejectedDelivery() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(Map.of(
                "DATA", "554 5.7.1 message refused by policy"))) {

            assertThat(sender(server.port()).send(MESSAGE))
                    .isEqualTo(Delivery.rejected("554 5.7.1 message refused by policy"));
        }
    }

    @Test
    void aServerThatIsBusyAtTheGreetingIsUnavailable() throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(Map.of("EHLO", "421 4.3.2 too busy",
                "HELO", "421 4.3.2 too busy"))) {

            assertThatThrownBy(() -> sender(server.port()).send(MESSAGE))
                    .isInstanceOf(ProviderUnavailableException.class);
        }
    }

    @Test
    void anAddressThatIsNotOneIsRejectedWithoutContactingTheServer() throws IOException {
        EmailMessage bad = new EmailMessage("order-1:email", "ada at example", "subject", "body");

        Delivery delivery = sender(closedPort()).send(bad);

        assertThat(delivery.isAccepted()).isFalse();
        assertThat(delivery.rejectionReason()).startsWith("not an e-mail address");
    }

    @Test
    void anInvalidFromAddressDoesNotStart() {
        assertThatThrownBy(() -> new SmtpEmailSender(new JavaMailSenderImpl(), "not an address"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ordersaga.notification.smtp.from");
    }
}
