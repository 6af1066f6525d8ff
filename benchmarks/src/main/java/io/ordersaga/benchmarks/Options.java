package io.ordersaga.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What {@code bin/benchmark} was asked to do; {@link #USAGE} says it. */
record Options(boolean services, List<Integer> clients, Duration window, Duration warmup, Duration ramp,
               Optional<String> databaseUrl,
               String databaseUser, Optional<String> databasePassword, int historyOrders, int backoffOrders,
               boolean skipHistory, boolean skipHeap, int port) {

    static final String USAGE = """
            usage: bin/benchmark [--services] [--clients 1,16,64] [--seconds 30] [--warmup 120] [--ramp 10]
                                 [--database-url jdbc:postgresql://host:port/db] [--database-user postgres]
                                 [--history-orders 10000] [--backoff-orders 10000] [--skip-history] [--skip-heap]
                                 [--port 9180]
              --services        the five services (bin/run-services) instead of the all-in-one app
              --clients         closed-loop clients, one measured run per count
              --seconds         measured window per run
              --warmup          seconds of load once after the start, not counted: the JIT compilers need about two
                                minutes at this load to compile the hot paths (throughput during it is printed too)
              --ramp            seconds each run's clients place orders before its window opens, not counted
              --database-url    a PostgreSQL server on which a fresh database bench_* is created (and dropped after);
                                without it, the project's embedded PostgreSQL in target/benchmark/postgres (fsync on).
                                The password comes from PGPASSWORD, if one is needed.
              --history-orders  orders placed for one SKU before its latency is compared with a fresh SKU's
              --backoff-orders  orders placed into a payment outage to measure the heap per order in flight
              --port            the app's port (five processes: this one and the four after it); default: a free one
            """;

    static Options parse(String... args) {
        boolean services = false;
        boolean skipHistory = false;
        boolean skipHeap = false;
        List<Integer> clients = List.of(1, 16, 64);
        int seconds = 30;
        int warmup = 120;
        int ramp = 10;
        String databaseUrl = null;
        String databaseUser = "postgres";
        int historyOrders = 10_000;
        int backoffOrders = 10_000;
        int port = 0;
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--services" -> services = true;
                case "--skip-history" -> skipHistory = true;
                case "--skip-heap" -> skipHeap = true;
                case "--clients" -> clients = counts(value(option, rest));
                case "--seconds" -> seconds = positive(option, value(option, rest));
                case "--warmup" -> warmup = atLeastZero(option, value(option, rest));
                case "--ramp" -> ramp = atLeastZero(option, value(option, rest));
                case "--database-url" -> databaseUrl = jdbcUrl(value(option, rest));
                case "--database-user" -> databaseUser = value(option, rest);
                case "--history-orders" -> historyOrders = positive(option, value(option, rest));
                case "--backoff-orders" -> backoffOrders = positive(option, value(option, rest));
                case "--port" -> port = positive(option, value(option, rest));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new Options(services, clients, Duration.ofSeconds(seconds), Duration.ofSeconds(warmup),
                Duration.ofSeconds(ramp), Optional.ofNullable(databaseUrl), databaseUser, Optional.ofNullable(System.getenv("PGPASSWORD")),
                historyOrders, backoffOrders, skipHistory, skipHeap, port);
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static List<Integer> counts(String value) {
        List<Integer> counts = Arrays.stream(value.split(",")).map(String::strip)
                .map(count -> positive("--clients", count)).toList();
        if (counts.isEmpty()) {
            throw new IllegalArgumentException("--clients needs at least one count");
        }
        return counts;
    }

    private static int positive(String option, String value) {
        int number = atLeastZero(option, value);
        if (number == 0) {
            throw new IllegalArgumentException(option + " must be above 0: " + value);
        }
        return number;
    }

    private static int atLeastZero(String option, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new IllegalArgumentException(option + " must be a whole number: " + value);
    }

    private static String jdbcUrl(String value) {
        if (!value.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("--database-url must be jdbc:postgresql://host[:port]/database: " + value);
        }
        return value;
    }
}
