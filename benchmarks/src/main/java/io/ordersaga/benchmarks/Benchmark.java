package io.ordersaga.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * {@code bin/benchmark}: the system measured the way a user would see it. It starts the packaged app (or the five
 * services) on a durable PostgreSQL and warms it up once; then, per client count, it runs a closed loop — each client
 * places an order and waits for its end ({@code Prefer: wait=60}) before placing the next — and prints orders/s,
 * latency from placing to the end as the client saw it, errors, PostgreSQL commits per order and CPU. Then the latency
 * of a SKU with a long history against a fresh one, and last the heap an order in flight costs. Everything it
 * started it stops at the end, also on failure or Ctrl-C.
 */
public final class Benchmark {

    private static final Path WORK = Path.of("target", "benchmark");
    private static final List<String> SKUS = IntStream.rangeClosed(1, 16)
            .mapToObj(i -> String.format(Locale.ROOT, "BENCH-%02d", i)).toList();
    private static final String BACKOFF_SKU = "BACKOFF-01";
    private static final String HISTORY_SKU = "HISTORY-01";
    private static final String FRESH_SKU = "FRESH-01";
    private static final int STOCK = 10_000_000;
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final int PLACING_CLIENTS = 32;
    /**
     * Once after the start, long enough for the JIT compilers to compile the hot paths (on 2 cores they take about two
     * minutes at this load, and use half the CPU meanwhile): the runs measure the system as it runs for hours.
     */
    private static final int WARMUP_CLIENTS = 16;
    private static final int HISTORY_SAMPLES = 200;

    private final Options options;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final String runId = "b" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
    private Database database;
    private SystemUnderTest app;
    private OrderClient client;

    private Benchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(Options.USAGE);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        Benchmark benchmark = new Benchmark(options);
        Thread stopper = new Thread(benchmark::stopEverything, "benchmark-stopper");
        Runtime.getRuntime().addShutdownHook(stopper);
        int exit = 0;
        try {
            benchmark.run();
        } catch (Exception e) {
            System.err.println("The benchmark failed: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            benchmark.stopEverything();
        }
        System.exit(exit);
    }

    private void run() throws Exception {
        long begin = System.nanoTime();
        Files.createDirectories(WORK);
        say("Benchmark of the " + (options.services() ? "five services (bin/run-services)" : "all-in-one app")
                + ": clients " + options.clients() + ", " + options.warmup().toSeconds() + " s warm-up, "
                + options.ramp().toSeconds() + " s ramp and " + options.window().toSeconds() + " s measured each");
        database = started(Database.start(options, WORK.resolve("postgres")));
        say("PostgreSQL " + database.setting("server_version") + " (fsync " + database.setting("fsync")
                + "), fresh database " + database.name());
        long appStart = System.nanoTime();
        app = started(SystemUnderTest.start(options, database, WORK));
        client = new OrderClient(app);
        say("App up after " + seconds(System.nanoTime() - appStart) + " s on " + app.orders() + " (JVM pids "
                + app.jvmPids() + "), logs in " + WORK);
        for (String sku : SKUS) {
            client.setStock(sku, STOCK);
        }

        say("Warming up: " + WARMUP_CLIENTS + " clients for " + options.warmup().toSeconds() + " s, not counted");
        ClosedLoop warmup = new ClosedLoop(client, runId + "-w", WARMUP_CLIENTS, i -> SKUS.get(i % SKUS.size()),
                Long.MAX_VALUE).start();
        long warmupStart = System.nanoTime();
        SystemUnderTest.pause(options.warmup());
        long warmupEnd = System.nanoTime();
        warmup.stop(Duration.ofMinutes(2));
        String warmupThroughput = warmupThroughput(warmup, warmupStart, warmupEnd);
        say("Warm-up: " + warmupThroughput);

        List<Report.Row> rows = new ArrayList<>();
        say("");
        say(Report.HEADER);
        for (int clients : options.clients()) {
            Report.Row row = closedLoop(clients);
            rows.add(row);
            say(Report.row(row));
        }
        String history = options.skipHistory() ? "skipped (--skip-history)" : longHistory();
        // last: the orders it leaves in the backoff would weigh on anything measured after it
        String heap = options.skipHeap() ? "skipped (--skip-heap)" : heapPerOrderInFlight();

        StringBuilder summary = new StringBuilder().append("\n== Summary (")
                .append(options.services() ? "five services" : "all-in-one app")
                .append(", ").append(options.warmup().toSeconds()).append(" s warm-up, then per client count ")
                .append(options.ramp().toSeconds()).append(" s ramp and ")
                .append(options.window().toSeconds()).append(" s measured)\n")
                .append(Report.table(rows))
                .append("\nwarm-up: ").append(warmupThroughput)
                .append("\nheap per order in flight: ").append(heap)
                .append("\nlong history: ").append(history)
                .append("\nerrors seen by the clients (whole run, by status or failure): ")
                .append(client.errors().isEmpty() ? "none" : client.errors())
                .append("\n\n").append(Machine.describe(database))
                .append("\nrun took:    ").append(seconds(System.nanoTime() - begin)).append(" s\n");
        System.out.print(summary);
        Files.writeString(WORK.resolve("summary.txt"), summary.toString());
    }

    /**
     * One closed-loop run. Orders count when their end is seen inside the measured window; commits are the app
     * database's during the window, less what it commits when idle (measured just before) over as long, and less the
     * provider simulators' (shown apart); writes are the transactions among them that wrote (each a flush to disk at
     * commit), counted the same way.
     */
    private Report.Row closedLoop(int clients) {
        long idleStart = System.nanoTime();
        long idleCommits = database.commits();
        long idleWrites = database.writes();
        SystemUnderTest.pause(IDLE);
        long idleNanos = System.nanoTime() - idleStart;
        double idleCommitsPerNano = (double) (database.commits() - idleCommits) / idleNanos;
        double idleWritesPerNano = (double) (database.writes() - idleWrites) / idleNanos;

        ClosedLoop loop = new ClosedLoop(client, runId + "-c" + clients, clients,
                i -> SKUS.get(i % SKUS.size()), Long.MAX_VALUE).start();
        SystemUnderTest.pause(options.ramp());
        List<Long> backends = database.backendPids();
        long start = System.nanoTime();
        long simulatorCalls = database.simulatorCalls();
        long commits = database.commits();
        long writes = database.writes();
        Duration appCpu = CpuTime.of(app.jvmPids());
        Duration databaseCpu = CpuTime.of(backends);
        SystemUnderTest.pause(options.window());
        long end = System.nanoTime();
        long windowCommits = database.commits() - commits;
        long windowWrites = database.writes() - writes;
        long windowSimulatorCalls = database.simulatorCalls() - simulatorCalls;
        appCpu = CpuTime.of(app.jvmPids()).minus(appCpu);
        databaseCpu = CpuTime.of(backends).minus(databaseCpu);
        loop.stop(Duration.ofMinutes(2));

        List<OrderClient.Sample> measured = loop.samples().stream()
                .filter(sample -> sample.endedNanos() >= start && sample.endedNanos() < end).toList();
        long completed = measured.stream().filter(sample -> sample.outcome() == OrderClient.Outcome.COMPLETED).count();
        long errors = measured.stream().mapToLong(sample -> sample.errors()
                + (sample.outcome() == OrderClient.Outcome.COMPLETED ? 0 : 1)).sum();
        Percentiles latency = Percentiles.of(measured.stream()
                .filter(sample -> sample.outcome() != OrderClient.Outcome.FAILED)
                .map(OrderClient.Sample::latency).toList());
        long window = end - start;
        // the system's own: less the idle rate, and less the provider simulators' (one commit, one write each)
        double appCommits = windowCommits - idleCommitsPerNano * window - windowSimulatorCalls;
        double appWrites = windowWrites - idleWritesPerNano * window - windowSimulatorCalls;
        return new Report.Row(clients, completed / (window / 1e9), latency.at(50), latency.at(90), latency.at(99),
                errors, completed == 0 ? OptionalDouble.empty() : OptionalDouble.of(appCommits / completed),
                completed == 0 ? OptionalDouble.empty() : OptionalDouble.of(appWrites / completed),
                completed == 0 ? OptionalDouble.empty()
                        : OptionalDouble.of((double) windowSimulatorCalls / completed),
                OptionalDouble.of((double) appCpu.toNanos() / window),
                backends.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of((double) databaseCpu.toNanos() / window));
    }

    /** The warm-up's orders/s, in its first and its last 30 s: how much slower a JVM is before it is compiled. */
    private static String warmupThroughput(ClosedLoop warmup, long start, long end) {
        long part = Math.min(Duration.ofSeconds(30).toNanos(), (end - start) / 2);
        if (part <= 0) {
            return "none";
        }
        return String.format(Locale.ROOT, "%d clients, %.1f orders/s in the first %d s, %.1f in the last %d s",
                WARMUP_CLIENTS, completedPerSecond(warmup, start, start + part), part / 1_000_000_000L,
                completedPerSecond(warmup, end - part, end), part / 1_000_000_000L);
    }

    private static double completedPerSecond(ClosedLoop loop, long from, long to) {
        long completed = loop.samples().stream().filter(sample -> sample.outcome() == OrderClient.Outcome.COMPLETED
                && sample.endedNanos() >= from && sample.endedNanos() < to).count();
        return completed / ((to - from) / 1e9);
    }

    /**
     * With every payment attempt failing, places orders that then wait in the saga's backoff (the app runs with a
     * charge policy whose first retry comes after 30 minutes, {@link SystemUnderTest#PATIENT_CHARGE}), waits until the
     * saga has taken them all in, and compares the heap after a full GC before and after, per order waiting.
     */
    private String heapPerOrderInFlight() throws IOException {
        if (options.services()) {
            return "skipped (five processes: measured on the all-in-one app)";
        }
        int orders = options.backoffOrders();
        say("");
        say("Heap: placing " + orders + " orders into a payment outage ...");
        client.setStock(BACKOFF_SKU, STOCK);
        client.paymentOutage();
        List<String> placed;
        long before;
        long after;
        long placing;
        long waiting;
        Database.Progress progress;
        try {
            before = app.heapAfterGc();
            long start = System.nanoTime();
            placed = placeWithoutWaiting(orders, BACKOFF_SKU);
            placing = System.nanoTime() - start;
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            progress = database.progress(placed);
            while (progress.inBackoff() + progress.ended() < placed.size() && System.nanoTime() < deadline) {
                SystemUnderTest.pause(Duration.ofSeconds(2));
                progress = database.progress(placed);
            }
            waiting = System.nanoTime() - start;
            after = app.heapAfterGc();
        } finally {
            client.clearFaults();
        }
        String result = String.format(Locale.ROOT, "%s per order (%s used after GC before, %s after; %d orders "
                        + "placed in %s s, %d of them waiting for a retry %s s after the first was placed, %d "
                        + "ended, %d not yet taken in by the saga)",
                progress.inBackoff() == 0 ? "–" : Report.bytes((double) (after - before) / progress.inBackoff()),
                Report.bytes(before), Report.bytes(after), placed.size(), seconds(placing), progress.inBackoff(),
                seconds(waiting), progress.ended(), placed.size() - progress.inBackoff() - progress.ended());
        say("heap per order in flight: " + result);
        return result;
    }

    /** Places orders from many clients at once, without waiting for them to end; returns the ids of those placed. */
    private List<String> placeWithoutWaiting(int orders, String sku) {
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> placed = new ConcurrentLinkedQueue<>();
        List<Thread> threads = IntStream.range(0, PLACING_CLIENTS).mapToObj(i -> new Thread(() -> {
            for (int n = next.getAndIncrement(); n < orders; n = next.getAndIncrement()) {
                client.place(runId + "-heap-" + n, sku, new AtomicInteger()).ifPresent(placed::add);
            }
        }, "placing-" + i)).toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return List.copyOf(placed);
    }

    /**
     * Places many orders for one SKU (not measured), then, one client, orders alternately for that SKU and a fresh
     * one: the median of each, and the size of the long-lived SKU's latest snapshot.
     */
    private String longHistory() {
        int orders = options.historyOrders();
        say("");
        say("History: placing " + orders + " orders for " + HISTORY_SKU + " with " + PLACING_CLIENTS + " clients ...");
        client.setStock(HISTORY_SKU, STOCK);
        client.setStock(FRESH_SKU, STOCK);
        long start = System.nanoTime();
        ClosedLoop loop = new ClosedLoop(client, runId + "-h", PLACING_CLIENTS, i -> HISTORY_SKU, orders).start();
        loop.join(Duration.ofHours(3));
        long failed = loop.samples().stream().filter(s -> s.outcome() != OrderClient.Outcome.COMPLETED).count();
        say("(" + loop.samples().size() + " orders in " + seconds(System.nanoTime() - start) + " s, " + failed
                + " not completed)");

        List<Duration> history = new ArrayList<>();
        List<Duration> fresh = new ArrayList<>();
        for (int i = -5; i < HISTORY_SAMPLES; i++) { // the first five pairs warm up
            boolean historyFirst = i % 2 == 0;
            OrderClient.Sample first = client.placeAndAwaitEnd(runId + "-p" + i + "a",
                    historyFirst ? HISTORY_SKU : FRESH_SKU);
            OrderClient.Sample second = client.placeAndAwaitEnd(runId + "-p" + i + "b",
                    historyFirst ? FRESH_SKU : HISTORY_SKU);
            if (i >= 0) {
                (historyFirst ? history : fresh).add(first.latency());
                (historyFirst ? fresh : history).add(second.latency());
            }
        }
        Duration historyP50 = Percentiles.of(history).at(50);
        Duration freshP50 = Percentiles.of(fresh).at(50);
        Database.AggregateSize size = database.aggregate(HISTORY_SKU);
        String result = String.format(Locale.ROOT, "p50 at 1 client %s for %s (%d past orders) against %s for %s, "
                        + "ratio %.2f; its latest snapshot %s (%d events)", Report.duration(historyP50), HISTORY_SKU,
                orders, Report.duration(freshP50), FRESH_SKU, (double) historyP50.toNanos() / freshP50.toNanos(),
                Report.bytes(size.snapshotBytes()), size.events());
        say("long history: " + result);
        return result;
    }

    private <T extends AutoCloseable> T started(T resource) {
        synchronized (started) {
            started.push(resource);
        }
        return resource;
    }

    /** Stops what was started, the last first (the app before its database); once, whoever calls first. */
    private void stopEverything() {
        synchronized (started) {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception e) {
                    System.err.println("Could not stop: " + e);
                }
            }
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static void say(String line) {
        System.out.println(line);
    }
}
