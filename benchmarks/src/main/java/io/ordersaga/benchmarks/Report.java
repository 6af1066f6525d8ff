package io.ordersaga.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The benchmark's figures as printed: one table row per client count, and how durations and shares are written. */
final class Report {

    private Report() {
    }

    /** One measured run of the closed loop. CPU is in cores (1.0 = one core busy all the time). */
    record Row(int clients, double ordersPerSecond, Duration p50, Duration p90, Duration p99, long errors,
               OptionalDouble commitsPerOrder, OptionalDouble writesPerOrder, OptionalDouble simulatorCommitsPerOrder,
               OptionalDouble appCores,
               OptionalDouble databaseCores) {
    }

    static final String HEADER = String.format(Locale.ROOT, "%7s %9s %9s %9s %9s %7s %14s %13s %13s %8s %8s",
            "clients", "orders/s", "p50", "p90", "p99", "errors", "commits/order", "writes/order", "+ simulators",
            "app CPU", "db CPU");

    static String row(Row row) {
        return String.format(Locale.ROOT, "%7d %9.1f %9s %9s %9s %7d %14s %13s %13s %8s %8s", row.clients(),
                row.ordersPerSecond(), duration(row.p50()), duration(row.p90()), duration(row.p99()), row.errors(),
                number(row.commitsPerOrder()), number(row.writesPerOrder()), number(row.simulatorCommitsPerOrder()),
                percent(row.appCores()),
                percent(row.databaseCores()));
    }

    static String table(List<Row> rows) {
        StringBuilder table = new StringBuilder(HEADER).append('\n');
        rows.forEach(row -> table.append(row(row)).append('\n'));
        return table.toString();
    }

    /** {@code 34 ms} below a second, {@code 1.25 s} above. */
    static String duration(Duration duration) {
        return duration.compareTo(Duration.ofSeconds(1)) < 0
                ? Math.round(duration.toNanos() / 1e6) + " ms"
                : String.format(Locale.ROOT, "%.2f s", duration.toNanos() / 1e9);
    }

    /** A share of one core as a percentage ({@code 1.5} cores is {@code 150 %}), as top shows it. */
    static String percent(OptionalDouble cores) {
        return cores.isPresent() ? Math.round(cores.getAsDouble() * 100) + " %" : "–";
    }

    static String number(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f", value.getAsDouble()) : "–";
    }

    /** Bytes as KiB or MiB, whichever reads better. */
    static String bytes(double bytes) {
        return Math.abs(bytes) < 1024 * 1024
                ? String.format(Locale.ROOT, "%.1f KiB", bytes / 1024)
                : String.format(Locale.ROOT, "%.1f MiB", bytes / 1024 / 1024);
    }
}
