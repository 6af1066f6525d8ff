package io.ordersaga.order.query;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Waiting for an order to end: woken by the projection, at once when it has ended, its state after the wait. */
class OrderEndingsTest {

    private static final String ORDER = "7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6a";
    private static final Duration LONG = Duration.ofSeconds(30);

    private final OrderQueries queries = mock(OrderQueries.class);
    private final OrderEndings endings = new OrderEndings(queries);

    @AfterEach
    void stop() {
        endings.destroy();
    }

    private static OrderView order(OrderStatus status) {
        Instant now = Instant.parse("2026-11-24T10:00:00Z");
        return new OrderView(ORDER, status, List.of(), BigDecimal.TEN, "EUR", null, now, now, null, null, null, null, null,
                null, null);
    }

    @Test
    void wakesTheWaitersWithTheEndedOrderWhenTheProjectionReportsIt() throws Exception {
        when(queries.find(ORDER)).thenReturn(Optional.of(order(OrderStatus.PAID)));
        CompletableFuture<Optional<OrderView>> first = endings.whenEnded(ORDER, LONG);
        CompletableFuture<Optional<OrderView>> second = endings.whenEnded(ORDER, LONG);
        assertThat(first).isNotDone();

        endings.ended(order(OrderStatus.COMPLETED));

        assertThat(first.get(0, TimeUnit.SECONDS)).contains(order(OrderStatus.COMPLETED));
        assertThat(second.get(0, TimeUnit.SECONDS)).contains(order(OrderStatus.COMPLETED));
        assertThat(endings.ordersWaitedFor()).isZero();
    }

    @Test
    void answersAtOnceWhenTheOrderHasAlreadyEndedOrDoesNotExist() throws Exception {
        when(queries.find(ORDER)).thenReturn(Optional.of(order(OrderStatus.CANCELLED)));
        assertThat(endings.whenEnded(ORDER, LONG).get(0, TimeUnit.SECONDS)).contains(order(OrderStatus.CANCELLED));

        when(queries.find(ORDER)).thenReturn(Optional.empty());
        assertThat(endings.whenEnded(ORDER, LONG).get(0, TimeUnit.SECONDS)).isEmpty();
        assertThat(endings.ordersWaitedFor()).isZero();
    }

    @Test
    void anOrderThatEndsWhileItIsFirstReadStillWakesTheWaiter() throws Exception {
        // the end is committed and reported after the waiter registered, but the read saw the order before it
        when(queries.find(ORDER)).thenAnswer(invocation -> {
            endings.ended(order(OrderStatus.COMPLETED));
            return Optional.of(order(OrderStatus.SHIPPED));
        });

        assertThat(endings.whenEnded(ORDER, LONG).get(0, TimeUnit.SECONDS)).contains(order(OrderStatus.COMPLETED));
    }

    @Test
    void answersWithTheOrderAsItIsAfterTheWait() {
        when(queries.find(ORDER))
                .thenReturn(Optional.of(order(OrderStatus.PLACED)), Optional.of(order(OrderStatus.PAID)));
        long start = System.nanoTime();
        CompletableFuture<Optional<OrderView>> answer = endings.whenEnded(ORDER, Duration.ofMillis(300));

        await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(answer.join()).contains(order(OrderStatus.PAID));
        assertThat(endings.ordersWaitedFor()).isZero();
    }

    @Test
    void aWakeUpMissedIsMadeUpByTheRecheck() {
        when(queries.find(ORDER)).thenReturn(Optional.of(order(OrderStatus.PLACED)));
        when(queries.ended(anyCollection())).thenReturn(List.of(order(OrderStatus.COMPLETED)));
        CompletableFuture<Optional<OrderView>> answer = endings.whenEnded(ORDER, LONG);

        await().atMost(Duration.ofSeconds(5)).until(answer::isDone);
        assertThat(answer.join()).contains(order(OrderStatus.COMPLETED));
    }

    @Test
    void aWaiterWithdrawnIsForgotten() {
        when(queries.find(ORDER)).thenReturn(Optional.of(order(OrderStatus.PLACED)));
        CompletableFuture<Optional<OrderView>> answer = endings.whenEnded(ORDER, LONG);
        assertThat(endings.ordersWaitedFor()).isOne();

        answer.cancel(false);

        assertThat(endings.ordersWaitedFor()).isZero();
    }
}
