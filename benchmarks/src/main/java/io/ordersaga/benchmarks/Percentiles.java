package io.ordersaga.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;

/** Percentiles of a set of latencies, by the nearest-rank method (every value reported was observed). */
final class Percentiles {

    private final long[] sortedNanos;

    private Percentiles(long[] sortedNanos) {
        this.sortedNanos = sortedNanos;
    }

    static Percentiles of(Collection<Duration> latencies) {
        long[] nanos = latencies.stream().mapToLong(Duration::toNanos).toArray();
        Arrays.sort(nanos);
        return new Percentiles(nanos);
    }

    int count() {
        return sortedNanos.length;
    }

    /** The smallest latency that at least {@code percent} % of the values do not exceed; zero when there are none. */
    Duration at(double percent) {
        if (sortedNanos.length == 0) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(percent / 100 * sortedNanos.length);
        return Duration.ofNanos(sortedNanos[Math.max(0, Math.min(sortedNanos.length, rank) - 1)]);
    }
}
