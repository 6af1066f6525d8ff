package io.ordersaga.standalone;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.ordersaga.platform.faults.FaultInjector;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A call that hangs is the saga's business — it times the attempt out, records it and retries — and costs the log a
 * few lines: one injected 20 s {@code TIMEOUT}, from the moment it is planned until the hung call has ended, writes
 * only a handful of warnings and no stack trace (Axon's watchdog used to write one per second).
 */
@StandaloneIT
class QuietLogIT {

    /** Lines at WARN or above that one hung call may cost: the fault planned, the hang, what the end of it says. */
    private static final int FEW = 6;

    Api api;

    @Test
    void oneHungCallWritesAFewWarningsAndNoStackTrace() {
        String sku = uniqueSku("HANG");
        api.setStock(sku, 5);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        List<ILoggingEvent> events;
        try {
            // a hang inside a command handler (the payment provider's adapter), where Axon's watchdog looks
            api.fault("payment.charge", false, "TIMEOUT");
            String orderId = api.placeAcceptedOrder(order(null, sku, 1, "9.99"));

            Thread hung = await().atMost(Duration.ofSeconds(10)).until(QuietLogIT::threadInTheHang,
                    Optional::isPresent).orElseThrow();
            api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(60));
            // the hung call, and whatever its end sets off on its thread, is over: the thread is back in its pool
            await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !hung.isAlive() || Arrays.stream(hung.getStackTrace())
                            .noneMatch(frame -> frame.getClassName().startsWith("org.axonframework.commandhandling")
                                    || frame.getClassName().startsWith("io.ordersaga")));
        } finally {
            root.detachAppender(log);
        }
        synchronized (log) {
            events = new ArrayList<>(log.list);
        }

        List<String> warnings = events.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .map(QuietLogIT::text).toList();
        List<String> withStackTraces = events.stream()
                .filter(event -> event.getThrowableProxy() != null || event.getFormattedMessage().contains("\n\tat ")
                        || event.getFormattedMessage().contains("\nStacktrace"))
                .map(QuietLogIT::text).toList();
        long lines = warnings.stream().mapToLong(text -> text.lines().count()).sum();

        assertThat(withStackTraces).as("log events with a stack trace").isEmpty();
        assertThat(lines).as("lines at WARN or above:\n%s", String.join("\n", warnings)).isLessThanOrEqualTo(FEW);
        assertThat(warnings).as("the hang itself is logged").anyMatch(text -> text.contains("hangs for 20000 ms"));
    }

    private static Optional<Thread> threadInTheHang() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(thread -> Arrays.stream(thread.getValue()).anyMatch(frame ->
                        frame.getClassName().equals(FaultInjector.class.getName())
                                && frame.getMethodName().equals("declines")))
                .map(java.util.Map.Entry::getKey)
                .findFirst();
    }

    private static String text(ILoggingEvent event) {
        String text = event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage();
        return event.getThrowableProxy() == null ? text
                : text + "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy());
    }
}
