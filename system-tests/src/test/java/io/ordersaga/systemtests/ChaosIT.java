package io.ordersaga.systemtests;

import io.ordersaga.embeddedpostgres.EmbeddedPostgresServer.Durability;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.systemtests.support.ChaosChecks;
import io.ordersaga.systemtests.support.ChaosChecks.Check;
import io.ordersaga.systemtests.support.ChaosMonkey;
import io.ordersaga.systemtests.support.ChaosMonkey.Seconds;
import io.ordersaga.systemtests.support.ChaosOrders;
import io.ordersaga.systemtests.support.ChaosOrders.Kind;
import io.ordersaga.systemtests.support.Deployment;
import io.ordersaga.systemtests.support.EventStoreView;
import io.ordersaga.systemtests.support.EventStoreView.End;
import io.ordersaga.systemtests.support.OrderClients;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static io.ordersaga.systemtests.support.Deployment.INVENTORY;
import static io.ordersaga.systemtests.support.Deployment.ORDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos test: the five services (and a second payment-service) as processes of their own on one PostgreSQL,
 * orders of every outcome sent at a steady rate by several clients, a random instance killed with SIGKILL every few
 * seconds and started again a few seconds later, PostgreSQL itself stopped as a crash would and started again — and
 * then what must hold: every accepted order ended, no effect twice, nothing kept for a cancelled order, every
 * aggregate's events numbered without gap, stock consistent, every order's history recording each step once.
 *
 * <p>{@code mvn verify} runs a short version (300 orders, kills until they are all accepted, one restart of
 * PostgreSQL); {@code bin/chaos} runs it at full size through the {@code chaos.*} system properties below. Each run
 * prints its seed; {@code -Dchaos.seed=…} plans the same orders, kills and restarts again (when they happen still
 * depends on how fast the machine is).
 */
class ChaosIT {

    private final long seed = Long.getLong("chaos.seed", new Random().nextLong());
    private final int orders = Integer.getInteger("chaos.orders", 300);
    private final int clients = Integer.getInteger("chaos.clients", 4);
    private final double rate = Double.parseDouble(System.getProperty("chaos.rate", "5"));
    private final Seconds killEvery = Seconds.parse(System.getProperty("chaos.kill-every", "5-15"));
    /** At most this many kills (0: no limit, kills go on until every order is accepted, and then some). */
    private final int maxKills = Integer.getInteger("chaos.kills", 6);
    /** At most this many instances down at once (0: no limit); a kill due while so many are down is skipped. */
    private final int maxDown = Integer.getInteger("chaos.max-down", 0);
    private final Seconds restartAfter = Seconds.parse(System.getProperty("chaos.restart-after", "2-10"));
    private final Duration killsAfterSent = Duration.ofSeconds(Integer.getInteger("chaos.kills-after-sent", 0));
    private final int databaseRestarts = Integer.getInteger("chaos.postgres-restarts", 1);
    private final Seconds databaseDownFor = Seconds.parse(System.getProperty("chaos.postgres-down", "2-10"));
    /** How long after the last restart every accepted order must have ended. */
    private final Duration endWithin = Duration.ofSeconds(Integer.getInteger("chaos.end-within", 180));
    /** How long a client keeps sending an order again before it gives up. */
    private static final Duration GIVE_UP = Duration.ofMinutes(10);
    /** How long the read models (order list, stock) may take to catch up once the event store says all ended. */
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    @Test
    void underKillsAndDatabaseCrashesEveryOrderEndsAndNothingHappensTwice() {
        Random random = new Random(seed);
        System.out.printf("[chaos] seed %d (-Dchaos.seed=%d plans this run again)%n", seed, seed);
        // a commit PostgreSQL acknowledged must survive its crash, as in production: not flushed, but not lost
        try (Deployment deployment = new Deployment(Durability.SERVER_CRASH)) {
            Instant started = Instant.now();
            deployment.start();
            Api orderService = deployment.api(ORDER);
            Api inventory = deployment.api(INVENTORY);
            JdbcTemplate database = deployment.database();
            Map<String, Integer> stock = new LinkedHashMap<>();
            ChaosOrders.STOCKED.forEach(sku -> stock.put(sku, ChaosOrders.STOCK));
            stock.put(ChaosOrders.SOLD_OUT, 0);
            stock.forEach(inventory::setStock);
            // the first order proves the routing between the processes is established
            orderService.awaitStatus(orderService.placeAcceptedOrder(Api.order(null, ChaosOrders.STOCKED.get(0), 1,
                    "10.00")), "COMPLETED", Duration.ofSeconds(240));
            Duration startUp = Duration.between(started, Instant.now());

            List<ChaosOrders.Planned> planned = ChaosOrders.plan(orders, seed, random);
            List<Duration> databaseRestartsAt = databaseRestartsAt(random);
            Instant chaosBegan = Instant.now();
            Instant lastRestart;
            Duration lastRestartToAllEnded;
            Map<String, Kind> accepted;
            Run run;
            try (OrderClients shop = new OrderClients(orderService, clients, GIVE_UP);
                 ChaosMonkey monkey = new ChaosMonkey(deployment, Deployment.ALL, random, killEvery, maxKills,
                         maxDown, restartAfter, databaseDownFor)) {
                monkey.start(databaseRestartsAt);
                shop.send(planned, rate);
                lastRestart = monkey.stopWhen(() -> shop.done()
                                && !Instant.now().isBefore(shop.lastResolved().plus(killsAfterSent)),
                        Duration.ofSeconds((long) (orders / rate)).plus(GIVE_UP).plus(killsAfterSent)
                                .plusMinutes(5));
                System.out.printf("[chaos] %.1f s  chaos over; the last restart was done %.1f s ago%n",
                        seconds(Duration.between(chaosBegan, Instant.now())),
                        seconds(Duration.between(lastRestart, Instant.now())));
                lastRestartToAllEnded = awaitAllEnded(database, lastRestart);
                accepted = shop.accepted().stream().collect(Collectors.toMap(OrderClients.Accepted::orderId,
                        order -> order.order().kind(), (first, again) -> first, LinkedHashMap::new));
                run = new Run(shop, monkey);
            }

            EventStoreView events = EventStoreView.read(database);
            ChaosChecks checks = new ChaosChecks(database, events);
            List<Check> results = List.of(
                    checks.everyAcceptedOrderEnded(accepted, CATCH_UP),
                    checks.noEffectTwice(),
                    checks.compensatedOrCompletedInFull(accepted),
                    checks.sequencesContiguous(),
                    checks.stockConsistent(inventory, stock, CATCH_UP),
                    checks.historiesRecordEachStepOnce());
            long parked = database.queryForObject("SELECT count(*) FROM parked_order", Long.class);
            String summary = summary(run, accepted, events, results, startUp, lastRestartToAllEnded, parked,
                    deployment);
            System.out.println(summary);
            write(deployment.work().getParent().resolve("chaos-summary.txt"), summary);

            assertThat(run.refused).as("requests refused although valid").isEmpty();
            assertThat(run.abandoned).as("orders never accepted within " + GIVE_UP).isZero();
            assertThat(run.kills).as("kills").isPositive();
            assertThat(run.databaseRestarts).as("PostgreSQL restarts").isEqualTo(databaseRestarts);
            assertThat(lastRestartToAllEnded).as("from the last restart to every order ended").isNotNull();
            assertThat(results).allSatisfy(check -> assertThat(check.violations())
                    .as("%s: %s", check.name(), check.examples()).isZero());
        }
    }

    /** When PostgreSQL is stopped: one moment in each equal part of the time the orders take to send. */
    private List<Duration> databaseRestartsAt(Random random) {
        double sending = orders / rate;
        List<Duration> at = new ArrayList<>();
        for (int i = 0; i < databaseRestarts; i++) {
            double seconds = sending * (i + 0.25 + 0.5 * random.nextDouble()) / databaseRestarts;
            at.add(Duration.ofMillis((long) (seconds * 1000)));
        }
        return at;
    }

    /** Waits until every order placed has ended in the event store; how long after the last restart, or null. */
    private Duration awaitAllEnded(JdbcTemplate database, Instant lastRestart) {
        Duration left = endWithin.minus(Duration.between(lastRestart, Instant.now()));
        try {
            await().atMost(left.isNegative() ? Duration.ofSeconds(1) : left).pollInterval(Duration.ofSeconds(1))
                    .until(() -> openOrders(database) == 0);
            Duration took = Duration.between(lastRestart, Instant.now());
            System.out.printf("[chaos] every order ended %.1f s after the last restart%n", seconds(took));
            return took;
        } catch (ConditionTimeoutException notAll) {
            System.out.printf("[chaos] %d orders had not ended %s after the last restart%n", openOrders(database),
                    endWithin);
            return null;
        }
    }

    private static long openOrders(JdbcTemplate database) {
        Long open = database.queryForObject("""
                SELECT count(*) FROM domain_event_entry placed
                 WHERE placed.payload_type LIKE '%.OrderPlacedEvent'
                   AND NOT EXISTS (SELECT 1 FROM domain_event_entry ended
                                    WHERE ended.aggregate_identifier = placed.aggregate_identifier
                                      AND (ended.payload_type LIKE '%.OrderCompletedEvent'
                                           OR ended.payload_type LIKE '%.OrderCancelledEvent'))""", Long.class);
        return open == null ? 0 : open;
    }

    /** What the clients and the monkey did, kept once they are closed. */
    private record Run(int sent, int acceptedCount, List<OrderClients.Refused> refused, int abandoned,
                       long requests, long retries, long retriesAfterConnectionFailure, long retriesAfterServerError,
                       long retriesAfterBusy, int kills, Map<String, Integer> killsPerInstance, int skippedKills,
                       int failedStarts, int databaseRestarts) {

        Run(OrderClients shop, ChaosMonkey monkey) {
            this(shop.accepted().size() + shop.refused().size() + shop.abandoned().size(), shop.accepted().size(),
                    shop.refused(), shop.abandoned().size(), shop.requests(), shop.retries(),
                    shop.retriesAfterConnectionFailure(), shop.retriesAfterServerError(), shop.retriesAfterBusy(),
                    monkey.killCount(), monkey.kills(), monkey.skippedKills(), monkey.failedStarts(),
                    monkey.databaseRestarts());
        }
    }

    private String summary(Run run, Map<String, Kind> accepted, EventStoreView events, List<Check> results,
                           Duration startUp, Duration lastRestartToAllEnded, long parked, Deployment deployment) {
        Map<Kind, int[]> byKind = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            byKind.put(kind, new int[3]);
        }
        accepted.forEach((orderId, kind) -> {
            End end = events.end(orderId);
            byKind.get(kind)[end == End.COMPLETED ? 0 : end == End.CANCELLED ? 1 : 2]++;
        });
        int completed = byKind.values().stream().mapToInt(counts -> counts[0]).sum();
        int cancelled = byKind.values().stream().mapToInt(counts -> counts[1]).sum();
        StringBuilder text = new StringBuilder();
        String line = "-".repeat(100);
        text.append(String.format("%n%s%nChaos test summary (seed %d)%n%s%n", line, seed, line));
        row(text, "settings", String.format("%d orders at %s/s by %d clients; a kill every %s (%s%s), restart after "
                        + "%s; PostgreSQL stopped %d time(s), down %s", orders, fmt(rate), clients, killEvery,
                maxKills > 0 ? "at most " + maxKills : "until " + killsAfterSent.toSeconds() + " s after all sent",
                maxDown > 0 ? ", at most " + maxDown + " down at once" : "", restartAfter, databaseRestarts,
                databaseDownFor));
        row(text, "start-up (six processes, first order)", String.format("%.0f s", seconds(startUp)));
        row(text, "orders sent / accepted", run.sent + " / " + run.acceptedCount
                + (run.abandoned > 0 ? " (" + run.abandoned + " never accepted)" : "")
                + (run.refused.isEmpty() ? "" : " (" + run.refused.size() + " refused)"));
        row(text, "  completed / cancelled / open", completed + " / " + cancelled + " / "
                + (accepted.size() - completed - cancelled));
        for (Kind kind : Kind.values()) {
            int[] counts = byKind.get(kind);
            row(text, "  " + kind.name().toLowerCase().replace('_', ' '), counts[0] + " completed, " + counts[1]
                    + " cancelled" + (counts[2] > 0 ? ", " + counts[2] + " open" : ""));
        }
        row(text, "requests / client retries", String.format("%d / %d (no answer %d, 5xx %d, 503 %d)", run.requests,
                run.retries, run.retriesAfterConnectionFailure, run.retriesAfterServerError, run.retriesAfterBusy));
        row(text, "kills (SIGKILL)", run.kills + ": " + run.killsPerInstance.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining(", ")));
        row(text, "kills skipped (max-down instances down)", String.valueOf(run.skippedKills));
        row(text, "starts that failed (started again)", String.valueOf(run.failedStarts));
        row(text, "PostgreSQL restarts (immediate stop)", String.valueOf(run.databaseRestarts));
        row(text, "last restart → every order ended", lastRestartToAllEnded == null
                ? "NOT within " + endWithin.toSeconds() + " s" : String.format("%.1f s", seconds(lastRestartToAllEnded)));
        row(text, "failed attempts / retries / given up", events.count("StepAttemptFailedEvent") + " / "
                + events.count("StepRetryScheduledEvent") + " / " + events.count("StepFailedEvent"));
        row(text, "saga alarm events", String.valueOf(events.count("SagaAlarmEvent")));
        row(text, "orders parked (GET /admin/dead-letters)", String.valueOf(parked));
        List<String> log = Deployment.ALL.stream().flatMap(instance -> deployment.log(instance).stream()).toList();
        row(text, "log lines: ERROR / \"Starting retry mode\"", log.stream().filter(l -> l.contains(" ERROR "))
                .count() + " / " + log.stream().filter(l -> l.contains("Starting retry mode")).count());
        row(text, "logs", deployment.work().resolve("logs").toString());
        text.append(String.format("%s%n%-3s %-88s %s%n", line, "#", "check", "violations"));
        for (int i = 0; i < results.size(); i++) {
            text.append(String.format("%-3d %-88s %d%n", i + 1, results.get(i).name(), results.get(i).violations()));
        }
        text.append(line).append(System.lineSeparator());
        for (OrderClients.Refused refused : run.refused.stream().limit(10).toList()) {
            text.append(String.format("refused: %s %s → %d %s%n", refused.order().kind(),
                    refused.order().idempotencyKey(), refused.status(), refused.body()));
        }
        for (int i = 0; i < results.size(); i++) {
            for (String example : results.get(i).examples()) {
                text.append(String.format("check %d: %s%n", i + 1, example));
            }
        }
        return text.toString();
    }

    private static void row(StringBuilder text, String name, String value) {
        text.append(String.format("%-40s %s%n", name, value));
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
