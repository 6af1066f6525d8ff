package io.ordersaga.order.saga;

import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.payment.ChargePaymentCommand;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.NoHandlerForCommandException;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** How the saga's commands leave: after commit, oldest order first, one per aggregate, a timeout from the send. */
class StepDispatcherTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private final ControlledGateway gateway = new ControlledGateway();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private StepDispatcher dispatcher;

    @AfterEach
    void close() {
        if (dispatcher != null) {
            dispatcher.close();
        }
    }

    @Test
    void sendsNothingUntilTheUnitOfWorkThatDecidedItCommitsThenSendsInTheOrderDecided() {
        dispatcher = new StepDispatcher(gateway, 10);
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        dispatcher.sendAfterCommit(reserve("SKU-A", "order-1", T0));
        dispatcher.sendAfterCommit(reserve("SKU-B", "order-1", T0));

        assertThat(gateway.sent).isEmpty();
        unitOfWork.commit();

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.sent.size() == 2);
        assertThat(gateway.sent).extracting(sent -> ((ReserveStockCommand) sent.command()).sku())
                .containsExactly("SKU-A", "SKU-B");
    }

    @Test
    void sendsNothingWhenTheUnitOfWorkIsRolledBack() {
        dispatcher = new StepDispatcher(gateway, 10);
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        dispatcher.sendAfterCommit(reserve("SKU-A", "order-1", T0));
        unitOfWork.rollback();
        dispatcher.sendAfterCommit(reserve("SKU-B", "order-2", T0)); // no unit of work: sent at once

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.sent.size() == 1);
        assertThat(((ReserveStockCommand) gateway.sent.get(0).command()).sku()).isEqualTo("SKU-B");
    }

    @Test
    void sendsTheOldestOrdersCommandFirstWhenTheServiceIsBusy() {
        dispatcher = new StepDispatcher(gateway, 1);
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        dispatcher.sendAfterCommit(reserve("SKU-C", "order-3", T0.plusSeconds(3)));
        dispatcher.sendAfterCommit(reserve("SKU-A", "order-1", T0.plusSeconds(1)));
        dispatcher.sendAfterCommit(reserve("SKU-B", "order-2", T0.plusSeconds(2)));
        unitOfWork.commit();

        for (String expected : List.of("order-1", "order-2", "order-3")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> gateway.open().size() == 1);
            assertThat(((ReserveStockCommand) gateway.open().get(0).command()).orderId()).isEqualTo(expected);
            gateway.open().get(0).answer().complete(null);
        }
    }

    @Test
    void sendsOneCommandPerAggregateAtATimeAndOthersBesideIt() {
        dispatcher = new StepDispatcher(gateway, 10);
        dispatcher.sendAfterCommit(reserve("HOT-SKU", "order-1", T0));
        dispatcher.sendAfterCommit(reserve("HOT-SKU", "order-2", T0.plusSeconds(1)));
        dispatcher.sendAfterCommit(charge("order-3", T0.plusSeconds(2)));

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.sent.size() == 2);
        assertThat(gateway.sent).extracting(sent -> sent.command().getClass().getSimpleName())
                .containsExactly("ReserveStockCommand", "ChargePaymentCommand");
        gateway.sent.get(0).answer().complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.sent.size() == 3);
        assertThat(((ReserveStockCommand) gateway.sent.get(2).command()).orderId()).isEqualTo("order-2");
    }

    @Test
    void startsACommandsTimeoutWhenItIsSentNotWhileItWaitsItsTurn() {
        dispatcher = new StepDispatcher(gateway, 1);
        Duration timeout = Duration.ofMillis(300);
        dispatcher.sendAfterCommit(reserve("SKU-A", "order-1", T0, timeout)); // never answers
        dispatcher.sendAfterCommit(reserve("SKU-B", "order-2", T0.plusSeconds(1), timeout));

        await().atMost(Duration.ofSeconds(5)).until(() -> failures.size() == 1 && gateway.sent.size() == 2);
        assertThat(failures.get(0)).isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(dispatcher.isPending("order-2")).isTrue();
        gateway.sent.get(1).answer().complete(null); // answered in time once sent, though it waited its turn
        await().atMost(Duration.ofSeconds(5)).until(() -> !dispatcher.isPending("order-2"));
        assertThat(failures).hasSize(1);
    }

    @Test
    void reportsAFailureThatIsThereBeforeTheSendReturnsOutsideTheUnitOfWorkThatSentIt() {
        dispatcher = new StepDispatcher(gateway, 10);
        gateway.refuse = new IllegalStateException("no handler");
        List<Boolean> reportedInsideAUnitOfWork = new CopyOnWriteArrayList<>();
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        dispatcher.sendAfterCommit(new StepCommands.Outgoing("inventory", T0,
                new ReserveStockCommand("SKU-A", "order-1", 1), "order-1", null,
                failure -> reportedInsideAUnitOfWork.add(CurrentUnitOfWork.isStarted())));

        unitOfWork.commit(); // sent in its after-commit phase, and refused at once

        await().atMost(Duration.ofSeconds(5)).until(() -> reportedInsideAUnitOfWork.size() == 1);
        assertThat(reportedInsideAUnitOfWork).containsExactly(false);
        assertThat(dispatcher.isPending("order-1")).isFalse();
    }

    @Test
    void holdsTheCommandsOfAServiceWithNoInstanceUpAndSendsThemOnceOneTakesACommand() {
        dispatcher = new StepDispatcher(gateway, 10, fastRetries(Duration.ofMinutes(5)));
        gateway.refuse = new NoHandlerForCommandException("No node known to accept command");
        dispatcher.sendAfterCommit(reserve("SKU-A", "order-1", T0));
        dispatcher.sendAfterCommit(reserve("SKU-B", "order-2", T0.plusSeconds(1)));
        dispatcher.sendAfterCommit(charge("order-3", T0.plusSeconds(2)));

        // the inventory is tried with one command at a time, again and again; the payment is not held up by it
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.sentOf(ReserveStockCommand.class).size() >= 3
                && gateway.sentOf(ChargePaymentCommand.class).size() >= 1);
        assertThat(gateway.sentOf(ReserveStockCommand.class)).extracting(ReserveStockCommand::orderId)
                .containsOnly("order-1");
        assertThat(failures).isEmpty();
        assertThat(dispatcher.isPending("order-1")).isTrue();
        assertThat(dispatcher.isPending("order-2")).isTrue();
        assertThat(dispatcher.unreachable("inventory")).isTrue();
        assertThat(dispatcher.queued("inventory")).isEqualTo(2);

        gateway.refuse = null; // an instance is up again: whatever is sent now is answered
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            gateway.open().forEach(sent -> sent.answer().complete(null));
            return !dispatcher.isPending("order-1") && !dispatcher.isPending("order-2")
                    && !dispatcher.isPending("order-3");
        });
        assertThat(gateway.sentOf(ReserveStockCommand.class).stream().filter(sent -> sent.orderId().equals("order-2")))
                .hasSize(1);
        assertThat(failures).isEmpty();
        assertThat(dispatcher.unreachable("inventory")).isFalse();
        assertThat(dispatcher.queued("inventory")).isZero();
    }

    @Test
    void holdsACommandWhoseServiceRefusedTheConnection() {
        dispatcher = new StepDispatcher(gateway, 10, fastRetries(Duration.ofMinutes(5)));
        gateway.refuse = new IllegalStateException("I/O error on POST request",
                new java.net.ConnectException("Connection refused"));
        dispatcher.sendAfterCommit(reserve("SKU-A", "order-1", T0));

        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.sent.size() >= 2);
        assertThat(failures).isEmpty();
        assertThat(dispatcher.isPending("order-1")).isTrue();
    }

    @Test
    void reportsAFailureThatMayHaveReachedTheServiceAsAFailedAttempt() {
        dispatcher = new StepDispatcher(gateway, 10, fastRetries(Duration.ofMinutes(5)));
        gateway.refuse = new IllegalStateException("Read timed out");
        dispatcher.sendAfterCommit(reserve("SKU-A", "order-1", T0));

        await().atMost(Duration.ofSeconds(5)).until(() -> failures.size() == 1);
        assertThat(gateway.sent).hasSize(1);
        assertThat(dispatcher.isPending("order-1")).isFalse();
        assertThat(dispatcher.unreachable("inventory")).isFalse();
    }

    @Test
    void failsTheCommandsOfAServiceUnreachableForLongerThanTheyMayWait() {
        dispatcher = new StepDispatcher(gateway, 10, fastRetries(Duration.ofMillis(300)));
        gateway.refuse = new NoHandlerForCommandException("No node known to accept command");
        dispatcher.sendAfterCommit(reserve("SKU-A", "order-1", T0));
        dispatcher.sendAfterCommit(reserve("SKU-B", "order-2", T0.plusSeconds(1)));

        await().atMost(Duration.ofSeconds(5)).until(() -> failures.size() == 2);
        assertThat(failures).allSatisfy(failure -> assertThat(failure).isInstanceOf(NoHandlerForCommandException.class));
        assertThat(dispatcher.isPending("order-1")).isFalse();
        assertThat(dispatcher.isPending("order-2")).isFalse();
    }

    @Test
    void tellsACommandThatNeverReachedItsServiceFromOneThatMayHave() {
        assertThat(StepDispatcher.neverReachedItsService(new NoHandlerForCommandException("none"))).isTrue();
        assertThat(StepDispatcher.neverReachedItsService(new java.util.concurrent.CompletionException(
                new IllegalStateException("wrapped", new java.net.ConnectException("refused"))))).isTrue();
        assertThat(StepDispatcher.neverReachedItsService(new java.util.concurrent.TimeoutException())).isFalse();
        assertThat(StepDispatcher.neverReachedItsService(new java.net.SocketTimeoutException("read"))).isFalse();
    }

    private static StepDispatcher.Unreachable fastRetries(Duration maxWait) {
        return new StepDispatcher.Unreachable(maxWait, attempt -> 20L);
    }

    private StepCommands.Outgoing reserve(String sku, String orderId, Instant placedAt) {
        return reserve(sku, orderId, placedAt, null);
    }

    private StepCommands.Outgoing reserve(String sku, String orderId, Instant placedAt, Duration timeout) {
        return new StepCommands.Outgoing("inventory", placedAt, new ReserveStockCommand(sku, orderId, 1), orderId,
                timeout, failures::add);
    }

    private StepCommands.Outgoing charge(String orderId, Instant placedAt) {
        return new StepCommands.Outgoing("payment", placedAt, new ChargePaymentCommand("payment-" + orderId,
                orderId, "c-1", BigDecimal.TEN, "EUR"), orderId, null, failures::add);
    }

    /** A gateway whose commands are answered when the test says so. */
    static final class ControlledGateway implements CommandGateway {

        record Sent(Object command, CompletableFuture<Object> answer) {
        }

        final List<Sent> sent = new CopyOnWriteArrayList<>();
        /** When set, every command is refused with it before send returns. */
        volatile RuntimeException refuse;

        List<Sent> open() {
            return sent.stream().filter(command -> !command.answer().isDone()).toList();
        }

        <T> List<T> sentOf(Class<T> type) {
            return sent.stream().map(Sent::command).filter(type::isInstance).map(type::cast).toList();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> CompletableFuture<R> send(Object command) {
            CompletableFuture<Object> answer = new CompletableFuture<>();
            if (refuse != null) {
                answer.completeExceptionally(refuse);
            }
            sent.add(new Sent(command, answer));
            return (CompletableFuture<R>) answer;
        }

        @Override
        public <C, R> void send(C command, CommandCallback<? super C, ? super R> callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> R sendAndWait(Object command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> R sendAndWait(Object command, long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Registration registerDispatchInterceptor(
                MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
            return () -> true;
        }
    }
}
