package io.ordersaga.order.saga;

import io.ordersaga.platform.provider.ProviderUnavailableException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/** What a failed attempt is recorded as: the kind of failure retry policies match, and its message. */
class FailuresTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aCommandThatDidNotAnswerInTimeIsATimeout() {
        Failures.Failure failure = Failures.describe(new CompletionException(new TimeoutException()), TIMEOUT);

        assertThat(failure).isEqualTo(new Failures.Failure("TimeoutException", "no answer within 5.0 s"));
    }

    @Test
    void isTheExceptionTheHandlerThrewNotTheLowLevelCauseItWraps() {
        ProviderUnavailableException thrown = new ProviderUnavailableException("payment provider unreachable",
                new ClosedChannelException());

        Failures.Failure failure = Failures.describe(new CompletionException(thrown), TIMEOUT);

        assertThat(failure).isEqualTo(
                new Failures.Failure("ProviderUnavailableException", "payment provider unreachable"));
    }

    @Test
    void takesTheKindOfAFailureFromAnotherProcessFromItsDetails() {
        CommandExecutionException remote = new CommandExecutionException("inventory is down", null,
                "ServiceUnavailableException");

        assertThat(Failures.describe(remote, TIMEOUT).error()).isEqualTo("ServiceUnavailableException");
    }

    @Test
    void keepsMessagesShort() {
        Failures.Failure failure = Failures.describe(new IllegalStateException("x".repeat(2000)), TIMEOUT);

        assertThat(failure.message()).hasSizeLessThanOrEqualTo(301);
    }
}
