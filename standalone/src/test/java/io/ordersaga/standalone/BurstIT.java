package io.ordersaga.standalone;

import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.AppProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.ordersaga.standalone.support.Api.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged app under a burst of orders from many clients at once: every order completes, and a queue is not
 * mistaken for a failure — no attempt is recorded as failed and the saga's processor never falls back to retrying its
 * batches. Then the same with the app killed (SIGKILL) in the middle of a burst: once it is back, every order a client
 * got accepted ends, each charged at most once, and the stock adds up.
 *
 * <p>{@code -Dburst.orders=2000 -Dburst.clients=16} runs the burst of the issue that asked for it (the default is
 * smaller, to keep the build short).
 */
class BurstIT {

    private static final int ORDERS = Integer.getInteger("burst.orders", 400);
    private static final int CLIENTS = Integer.getInteger("burst.clients", 16);
    private static final int STOCK = 1_000_000;

    private AppProcess app;

    @BeforeEach
    void setUp() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        app = new AppProcess(Path.of("target", "it-burst", run, "data").toAbsolutePath(),
                Path.of("target", "it-burst", run, "logs").toAbsolutePath());
    }

    @AfterEach
    void tearDown() {
        app.close();
    }

    @Test
    void aBurstCompletesEveryOrderWithoutAFailedAttemptOrABatchRetried() throws Exception {
        Api api = app.start().api();
        api.setStock("BURST-1", STOCK);
        long start = System.nanoTime();

        List<String> accepted = burst(api, "burst", ORDERS, null);

        accepted.forEach(orderId -> api.awaitStatus(orderId, "COMPLETED", Duration.ofMinutes(5)));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Burst: %d orders from %d clients, all completed %.1f s after the first was sent%n",
                ORDERS, CLIENTS, seconds);
        JdbcTemplate database = app.database();
        assertThat(database.queryForObject("SELECT count(*) FROM domain_event_entry"
                + " WHERE payload_type = 'io.ordersaga.contracts.order.StepAttemptFailedEvent'", Integer.class))
                .as("failed attempts recorded in a burst with no fault").isZero();
        assertThat(AppProcess.lines(app.log(1))).as("the saga processor never retried a batch")
                .noneMatch(line -> line.contains("Starting retry mode"));
    }

    @Test
    void everyAcceptedOrderEndsAfterTheAppIsKilledInTheMiddleOfABurst() throws Exception {
        Api api = app.start().api();
        api.setStock("BURST-2", STOCK);
        AtomicReference<Runnable> onHalfway = new AtomicReference<>(() -> {
            app.kill();
            app.start();
        });

        List<String> accepted = burst(api, "kill", ORDERS / 2, onHalfway);

        assertThat(onHalfway.get()).as("the app was killed during the burst").isNull();
        accepted.forEach(orderId -> api.awaitStatus(orderId, "COMPLETED", Duration.ofMinutes(3)));
        JdbcTemplate database = app.database();
        assertThat(database.queryForList("SELECT idempotency_key FROM payment_simulator_ledger"
                + " GROUP BY idempotency_key HAVING count(*) > 1", String.class)).as("orders charged twice").isEmpty();
        assertThat(database.queryForObject("SELECT count(*) FROM payment_simulator_ledger"
                + " WHERE idempotency_key LIKE '%:charge'", Integer.class)).isEqualTo(accepted.size());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(api.stock("BURST-2").get("onHand").asInt()).isEqualTo(STOCK - accepted.size());
            assertThat(api.stock("BURST-2").get("reserved").asInt()).isZero();
        });
        assertThat(database.queryForList("SELECT aggregate_identifier FROM domain_event_entry"
                + " GROUP BY aggregate_identifier HAVING count(*) <> max(sequence_number) + 1", String.class))
                .as("aggregates whose events are not numbered 0, 1, 2, ...").isEmpty();
    }

    /**
     * {@code orders} orders for one SKU from {@link #CLIENTS} clients, each with an Idempotency-Key; a client whose
     * request fails (the app is down, or busy) sends the same request again until it is accepted. {@code halfway} runs
     * once, on the first client to get past half of the orders.
     */
    private List<String> burst(Api api, String name, int orders, AtomicReference<Runnable> halfway) throws Exception {
        String sku = name.equals("burst") ? "BURST-1" : "BURST-2";
        Map<String, String> accepted = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
                        String key = name + "-" + i;
                        accepted.put(key, placeUntilAccepted(api, key, sku));
                        if (halfway != null && i >= orders / 2) {
                            Runnable once = halfway.getAndSet(null);
                            if (once != null) {
                                once.run();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(Set.copyOf(accepted.values())).hasSize(orders);
        return List.copyOf(accepted.values());
    }

    private static String placeUntilAccepted(Api api, String key, String sku) {
        Api.Response answer = await().atMost(Duration.ofMinutes(3)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(UncheckedIOException.class)
                .until(() -> api.placeOrder(order(null, sku, 1, "1.00"), "Idempotency-Key", key),
                        response -> response.status() == 202 || response.status() / 100 == 4);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return answer.json().get("orderId").asText();
    }
}
