package io.ordersaga.notification.sender.smtp;

import io.ordersaga.contracts.Redact;
import io.ordersaga.notification.sender.Delivery;
import io.ordersaga.notification.sender.EmailSender;
import io.ordersaga.platform.provider.ProviderRejectedException;
import io.ordersaga.platform.provider.ProviderUnavailableException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * Sends e-mail over SMTP with Spring's {@link JavaMailSender}; active when {@code ordersaga.notification.email=smtp}.
 * The server is Spring Boot's {@code spring.mail.*} ({@code host} is required, then {@code port}, {@code username},
 * {@code password}, {@code protocol}, {@code properties.*}); the sender is {@code ordersaga.notification.smtp.from}
 * (default {@code orders@order-saga.local}).
 *
 * <h2>Exactly once</h2>
 * SMTP has no idempotency key. Each message gets a {@code Message-ID} derived from its idempotency key
 * ({@code order-1:email} becomes {@code <order-1.email@order-saga>}, see {@link #messageIdFor(String)}), which
 * {@link JavaMailSenderImpl} keeps instead of generating its own. A message sent again after a crash between the
 * server's acceptance and storing the outcome therefore carries the same {@code Message-ID}, by which mail clients
 * and archives recognise the duplicate. The {@link Delivery}'s message id is that {@code Message-ID}.
 *
 * <h2>Timeouts</h2>
 * Jakarta Mail waits forever by default. Unless configured, this sender sets
 * {@code mail.<protocol>.connectiontimeout} ({@value #DEFAULT_CONNECTION_TIMEOUT_MS} ms),
 * {@code mail.<protocol>.timeout} (read, {@value #DEFAULT_TIMEOUT_MS} ms) and {@code mail.<protocol>.writetimeout}
 * ({@value #DEFAULT_TIMEOUT_MS} ms) on the {@link JavaMailSenderImpl}'s session. To choose other values, set them as
 * Spring Boot mail properties, e.g. {@code spring.mail.properties.mail.smtp.timeout=5000}; a value that is set is
 * never overridden.
 *
 * <h2>Failures</h2>
 * <ul>
 *   <li>The recipient refused for good (5xx to {@code RCPT TO}, e.g. {@code 550 5.1.1 mailbox unavailable}), the
 *       message refused for good (5xx to {@code DATA}), or an address that is not one: a rejected {@link Delivery}
 *       with the server's reply, the address masked.</li>
 *   <li>Authentication failed, or the server refuses the sender ({@code MAIL FROM} answered 5xx, e.g. {@code 530
 *       authentication required}): {@link ProviderRejectedException}, a configuration problem.</li>
 *   <li>Connection refused, timeouts, a broken connection, any 4xx (greylisting, mailbox busy, server busy), and
 *       whatever else fails: {@link ProviderUnavailableException}.</li>
 * </ul>
 * Both exceptions are thrown without a cause, so that the saga, which records and classifies a failure by its root
 * cause, sees the provider exception itself; the message names what failed underneath (the recipient's address
 * masked), and the full stack trace is logged at DEBUG.
 */
@Component
@ConditionalOnProperty(name = "ordersaga.notification.email", havingValue = "smtp")
public class SmtpEmailSender implements EmailSender {

    static final int DEFAULT_CONNECTION_TIMEOUT_MS = 2_000;
    static final int DEFAULT_TIMEOUT_MS = 3_000;
    static final String MESSAGE_ID_DOMAIN = "order-saga";

    private static final Logger log = LoggerFactory.getLogger(SmtpEmailSender.class);
    private static final int MAX_DETAIL = 300;

    private final JavaMailSender mail;
    private final InternetAddress from;

    public SmtpEmailSender(JavaMailSender mail,
                           @Value("${ordersaga.notification.smtp.from:orders@order-saga.local}") String from) {
        this.mail = mail;
        try {
            this.from = new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("ordersaga.notification.smtp.from is not an e-mail address: " + from, e);
        }
        if (mail instanceof JavaMailSenderImpl sender) {
            applyDefaultTimeouts(sender);
            log.info("E-mail sender: SMTP server {}:{} as {}, timeouts {}", sender.getHost(),
                    sender.getPort() > 0 ? sender.getPort() : "default", from, timeouts(sender));
        }
    }

    /**
     * The {@code Message-ID} of the message with this idempotency key: {@code <local@order-saga>}, where
     * {@code local} keeps letters, digits, {@code -} and {@code _}, turns each {@code :} into a {@code .} and writes any
     * other character as {@code =XX} per UTF-8 byte. Distinct keys get distinct ids, and the id is always valid (if
     * the dots would not be, e.g. for {@code a::b}, the {@code :} are written as {@code =3A} as well).
     */
    static String messageIdFor(String idempotencyKey) {
        String local = encode(idempotencyKey, true);
        if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            local = encode(idempotencyKey, false);
        }
        return "<" + (local.isEmpty() ? "=" : local) + "@" + MESSAGE_ID_DOMAIN + ">";
    }

    private static String encode(String key, boolean colonAsDot) {
        StringBuilder local = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                local.append(c);
            } else if (c == ':' && colonAsDot) {
                local.append('.');
            } else {
                local.append('=').append(String.format(Locale.ROOT, "%02X", b & 0xff));
            }
        }
        return local.toString();
    }

    @Override
    public Delivery send(EmailMessage message) {
        String messageId = messageIdFor(message.idempotencyKey());
        InternetAddress to;
        try {
            to = new InternetAddress(message.to(), true);
        } catch (AddressException e) {
            return Delivery.rejected("not an e-mail address: " + Redact.email(message.to()));
        }
        MimeMessage mime = mail.createMimeMessage();
        try {
            MimeMessageHelper helper = new MimeMessageHelper(mime, false, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(to);
            helper.setSubject(message.subject());
            helper.setText(message.body(), false);
            mime.setHeader("Message-ID", messageId);
        } catch (MessagingException e) {
            throw new IllegalStateException("Cannot compose e-mail " + message.idempotencyKey(), e);
        }
        try {
            mail.send(mime);
            return Delivery.accepted(messageId);
        } catch (MailAuthenticationException e) {
            log.debug("SMTP authentication failed on e-mail {}", message.idempotencyKey(), e);
            throw new ProviderRejectedException("mail server refused the credentials (spring.mail.username/password)"
                    + " on e-mail " + message.idempotencyKey() + " (" + chain(e, message) + ")");
        } catch (MailException e) {
            log.debug("SMTP failure on e-mail {}", message.idempotencyKey(), e);
            return failed(e, message);
        }
    }

    /** A rejected delivery for a permanent refusal of this message; otherwise throws. */
    private Delivery failed(MailException e, EmailMessage message) {
        Throwable failure = e;
        if (e instanceof MailSendException send && !send.getFailedMessages().isEmpty()) {
            failure = send.getFailedMessages().values().iterator().next();
        }
        String what = "e-mail " + message.idempotencyKey();
        SMTPAddressFailedException recipientRefused = find(failure, SMTPAddressFailedException.class);
        if (recipientRefused != null) {
            String reply = masked(message, firstLine(recipientRefused.getMessage()));
            if (isPermanent(recipientRefused.getReturnCode())) {
                return Delivery.rejected(reply);
            }
            throw new ProviderUnavailableException("mail server deferred the recipient of " + what + ": " + reply);
        }
        SMTPSendFailedException commandRefused = find(failure, SMTPSendFailedException.class);
        if (commandRefused != null) {
            String reply = masked(message, firstLine(commandRefused.getMessage()));
            boolean sender = find(failure, SMTPSenderFailedException.class) != null
                    || (commandRefused.getCommand() != null
                    && commandRefused.getCommand().toUpperCase(Locale.ROOT).startsWith("MAIL"));
            if (!isPermanent(commandRefused.getReturnCode())) {
                throw new ProviderUnavailableException("mail server deferred " + what + ": " + reply);
            }
            if (sender) {
                throw new ProviderRejectedException("mail server refused the sender " + from.getAddress() + " of "
                        + what + ": " + reply);
            }
            return Delivery.rejected(reply);
        }
        if (failure instanceof SendFailedException refused && refused.getInvalidAddresses() != null
                && refused.getInvalidAddresses().length > 0) {
            return Delivery.rejected("recipient refused: " + Redact.email(message.to()));
        }
        throw new ProviderUnavailableException(ioFailure(failure) + " " + what + " (" + chain(e, message) + ")");
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static boolean isPermanent(int smtpReplyCode) {
        return smtpReplyCode >= 500 && smtpReplyCode <= 599;
    }

    private static String ioFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return "mail server did not answer in time on";
            }
            if (t instanceof ConnectException) {
                return "mail server not reachable for";
            }
        }
        return "mail server failed on";
    }

    /** Each cause's class and the first line of its message, the recipient's address masked. */
    private static String chain(Throwable e, EmailMessage message) {
        StringJoiner causes = new StringJoiner(" / ");
        for (Throwable t = e; t != null; t = t.getCause()) {
            causes.add(t.getClass().getSimpleName()
                    + (t.getMessage() != null ? ": " + masked(message, firstLine(t.getMessage())) : ""));
        }
        String text = causes.toString();
        return text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…" : text;
    }

    /** A server reply or a Jakarta Mail message without the nested exceptions Jakarta Mail appends to it. */
    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf(";\n");
        end = end < 0 ? text.indexOf('\n') : end;
        return (end < 0 ? text : text.substring(0, end)).trim();
    }

    /** A mail server's reply often names the recipient: it is personal data, and goes into events and logs masked. */
    private static String masked(EmailMessage message, String text) {
        String to = message.to();
        if (to == null || to.isEmpty()) {
            return text;
        }
        String masked = text.replace(to, Redact.email(to));
        String lower = to.toLowerCase(Locale.ROOT);
        return masked.replace(lower, Redact.email(lower));
    }

    private static void applyDefaultTimeouts(JavaMailSenderImpl sender) {
        // The session keeps this very Properties object and reads the timeouts when it connects.
        Properties properties = sender.getSession().getProperties();
        String prefix = "mail." + protocol(sender) + ".";
        properties.putIfAbsent(prefix + "connectiontimeout", String.valueOf(DEFAULT_CONNECTION_TIMEOUT_MS));
        properties.putIfAbsent(prefix + "timeout", String.valueOf(DEFAULT_TIMEOUT_MS));
        properties.putIfAbsent(prefix + "writetimeout", String.valueOf(DEFAULT_TIMEOUT_MS));
    }

    private static Map<String, String> timeouts(JavaMailSenderImpl sender) {
        Properties properties = sender.getSession().getProperties();
        String prefix = "mail." + protocol(sender) + ".";
        return Map.of("connect", properties.getProperty(prefix + "connectiontimeout") + " ms",
                "read", properties.getProperty(prefix + "timeout") + " ms",
                "write", properties.getProperty(prefix + "writetimeout") + " ms");
    }

    private static String protocol(JavaMailSenderImpl sender) {
        return sender.getProtocol() != null ? sender.getProtocol() : JavaMailSenderImpl.DEFAULT_PROTOCOL;
    }
}
