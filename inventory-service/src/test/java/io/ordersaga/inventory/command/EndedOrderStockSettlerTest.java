package io.ordersaga.inventory.command;

import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.contracts.order.OrderCancelledEvent;
import io.ordersaga.contracts.order.OrderCompletedEvent;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.inventory.command.EndedOrders.Outcome;
import io.ordersaga.inventory.command.SettleStockCommand.Kind;
import io.ordersaga.inventory.command.SettleStockCommand.Settlement;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndedOrderStockSettlerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final List<OrderLine> LINES = List.of(
            new OrderLine("LAPTOP-1", 2, new BigDecimal("999.90")),
            new OrderLine("MOUSE-1", 1, new BigDecimal("19.99")));

    private final RecordingGateway commands = new RecordingGateway();
    private final InMemoryEndedOrders endedOrders = new InMemoryEndedOrders();
    private final EndedOrderStockSettler settler =
            new EndedOrderStockSettler(commands, endedOrders, RETENTION, Duration.ofMillis(200));

    @Nested
    class WhenAnOrderEnds {

        @Test
        void aCompletedOrderCommitsEveryLineAndIsRememberedAsEnded() {
            settler.on(new OrderCompletedEvent("order-1", LINES), T0);

            assertThat(commands.sent).containsExactly(
                    settle("LAPTOP-1", "order-1", Kind.COMMIT), settle("MOUSE-1", "order-1", Kind.COMMIT));
            assertThat(endedOrders.outcomes).containsEntry("order-1", Outcome.COMPLETED);
        }

        @Test
        void aCancelledOrderGivesBackWhatEveryLineStillHoldsAndIsRememberedAsEnded() {
            settler.on(new OrderCancelledEvent("order-1", "Payment declined", LINES), T0);

            assertThat(commands.sent).containsExactly(
                    settle("LAPTOP-1", "order-1", Kind.GIVE_BACK), settle("MOUSE-1", "order-1", Kind.GIVE_BACK));
            assertThat(endedOrders.outcomes).containsEntry("order-1", Outcome.CANCELLED);
        }

        @Test
        void aCancellationStoredBeforeItCarriedItsLinesIsOnlyRemembered() {
            settler.on(new OrderCancelledEvent("order-1", "Payment declined", null), T0);

            assertThat(commands.sent).isEmpty();
            assertThat(endedOrders.outcomes).containsEntry("order-1", Outcome.CANCELLED);
        }
    }

    @Nested
    class WhenAReservationIsStored {

        @Test
        void aReservationForAnOrderInProgressIsLeftAlone() {
            settler.on(new StockReservedEvent("LAPTOP-1", "order-1", 2));

            assertThat(commands.sent).isEmpty();
        }

        @Test
        void aReservationForACancelledOrderIsGivenBack() {
            settler.on(new OrderCancelledEvent("order-1", "Payment declined", LINES), T0);
            commands.sent.clear();

            settler.on(new StockReservedEvent("LAPTOP-1", "order-1", 2));

            assertThat(commands.sent).containsExactly(settle("LAPTOP-1", "order-1", Kind.GIVE_BACK));
        }

        @Test
        void aReservationForACancellationStoredWithoutItsLinesIsGivenBack() {
            settler.on(new OrderCancelledEvent("order-1", "Payment declined", null), T0);

            settler.on(new StockReservedEvent("LAPTOP-1", "order-1", 2));

            assertThat(commands.sent).containsExactly(settle("LAPTOP-1", "order-1", Kind.GIVE_BACK));
        }

        @Test
        void aDuplicateReservationAfterTheOrderCompletedIsGivenBackSoTheStockIsNotTakenTwice() {
            settler.on(new OrderCompletedEvent("order-1", LINES), T0);
            commands.sent.clear();

            settler.on(new StockReservedEvent("MOUSE-1", "order-1", 1));

            assertThat(commands.sent).containsExactly(settle("MOUSE-1", "order-1", Kind.GIVE_BACK));
        }
    }

    @Nested
    class Retention {

        @Test
        void anEndedOrderIsForgottenOnceOrdersEndedLaterThanTheRetention() {
            settler.on(new OrderCancelledEvent("order-1", "declined", LINES), T0);
            settler.on(new OrderCancelledEvent("order-2", "declined", LINES),
                    T0.plus(RETENTION).plus(EndedOrderStockSettler.FORGET_EVERY).plusSeconds(1));

            assertThat(endedOrders.outcomes).containsOnlyKeys("order-2");
        }

        @Test
        void anEndedOrderIsRememberedWithinTheRetention() {
            settler.on(new OrderCancelledEvent("order-1", "declined", LINES), T0);
            settler.on(new OrderCancelledEvent("order-2", "declined", LINES), T0.plus(RETENTION).minusSeconds(1));
            commands.sent.clear();

            settler.on(new StockReservedEvent("LAPTOP-1", "order-1", 2));

            assertThat(endedOrders.outcomes).containsOnlyKeys("order-1", "order-2");
            assertThat(commands.sent).containsExactly(settle("LAPTOP-1", "order-1", Kind.GIVE_BACK));
        }
    }

    /** In a processor, the handlers run in the batch's unit of work, and the answers are awaited when it commits. */
    @Nested
    class InABatch {

        private final UnitOfWork<?> batch =
                DefaultUnitOfWork.startAndGet(GenericEventMessage.asEventMessage("a batch of events"));

        @Test
        void settlesEachSkuOnceForTheWholeBatchWhenItCommitsOrderByOrderEachInTheOrderOfItsEvents() {
            settler.on(new OrderCancelledEvent("order-2", "declined", LINES), T0);
            settler.on(new OrderCompletedEvent("order-1", LINES), T0);
            settler.on(new StockReservedEvent("LAPTOP-1", "order-1", 2)); // a duplicate, after its order ended

            assertThat(commands.sent).isEmpty();
            batch.commit();

            assertThat(batch.isRolledBack()).isFalse();
            // by order id: every SKU's command takes the orders' locks in the same order
            assertThat(commands.sent).containsExactly(
                    new SettleStockCommand("LAPTOP-1", List.of(new Settlement("order-1", Kind.COMMIT),
                            new Settlement("order-1", Kind.GIVE_BACK), new Settlement("order-2", Kind.GIVE_BACK))),
                    new SettleStockCommand("MOUSE-1", List.of(new Settlement("order-1", Kind.COMMIT),
                            new Settlement("order-2", Kind.GIVE_BACK))));
        }

        @Test
        void sendsEverySkusCommandBeforeWaitingForAnyAnswer() {
            // answered only once both are out: a settler waiting for the first before sending the second times out
            commands.answer = (command, future) -> {
                if (commands.pending.size() == 2) {
                    commands.pending.forEach(answer -> answer.complete(null));
                }
                return future;
            };
            settler.on(new OrderCompletedEvent("order-1", LINES), T0);

            batch.commit();

            assertThat(batch.isRolledBack()).isFalse();
            assertThat(commands.sent).hasSize(2);
        }

        @Test
        void aCommandThatFailsRollsTheBatchBackSoTheProcessorHandlesItAgain() {
            commands.answer = (command, future) -> command instanceof SettleStockCommand settle
                    && settle.sku().equals("MOUSE-1")
                    ? CompletableFuture.failedFuture(new IllegalStateException("the database went away"))
                    : CompletableFuture.completedFuture(null);

            settler.on(new OrderCompletedEvent("order-1", LINES), T0);

            assertThatThrownBy(batch::commit).hasMessageContaining("the database went away");
            assertThat(batch.isRolledBack()).isTrue();
        }

        @Test
        void aCommandWithoutAnswerRollsTheBatchBackAfterTheTimeout() {
            commands.answer = (command, future) -> future; // never answered

            settler.on(new StockReservedEvent("LAPTOP-1", "order-1", 2)); // nothing to send
            settler.on(new OrderCompletedEvent("order-1", LINES), T0);

            assertThatThrownBy(batch::commit).hasMessageContaining("no answer within");
            assertThat(batch.isRolledBack()).isTrue();
        }
    }

    private static SettleStockCommand settle(String sku, String orderId, Kind kind) {
        return new SettleStockCommand(sku, List.of(new Settlement(orderId, kind)));
    }

    /** Records every command; answers each at once unless told otherwise. */
    static final class RecordingGateway implements CommandGateway {

        final List<Object> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<CompletableFuture<Object>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
        BiFunction<Object, CompletableFuture<Object>, CompletableFuture<Object>> answer =
                (command, future) -> CompletableFuture.completedFuture(null);

        @Override
        @SuppressWarnings("unchecked")
        public <R> CompletableFuture<R> send(Object command) {
            sent.add(command);
            CompletableFuture<Object> future = new CompletableFuture<>();
            pending.add(future);
            return (CompletableFuture<R>) answer.apply(command, future);
        }

        @Override
        public <C, R> void send(C command, CommandCallback<? super C, ? super R> callback) {
            throw new UnsupportedOperationException("the settler does not use callbacks");
        }

        @Override
        public <R> R sendAndWait(Object command) {
            throw new UnsupportedOperationException("the settler does not block per command");
        }

        @Override
        public <R> R sendAndWait(Object command, long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("the settler does not block per command");
        }

        @Override
        public Registration registerDispatchInterceptor(
                MessageDispatchInterceptor<? super CommandMessage<?>> dispatchInterceptor) {
            return () -> true;
        }
    }

    static final class InMemoryEndedOrders implements EndedOrders {

        final Map<String, Outcome> outcomes = new LinkedHashMap<>();
        final Map<String, Instant> endedAt = new LinkedHashMap<>();

        @Override
        public void record(String orderId, Outcome outcome, Instant at) {
            outcomes.putIfAbsent(orderId, outcome);
            endedAt.putIfAbsent(orderId, at);
        }

        @Override
        public boolean hasEnded(String orderId) {
            return outcomes.containsKey(orderId);
        }

        @Override
        public int forgetEndedBefore(Instant instant) {
            List<String> old = endedAt.entrySet().stream()
                    .filter(entry -> entry.getValue().isBefore(instant)).map(Map.Entry::getKey).toList();
            old.forEach(orderId -> {
                outcomes.remove(orderId);
                endedAt.remove(orderId);
            });
            return old.size();
        }
    }
}
