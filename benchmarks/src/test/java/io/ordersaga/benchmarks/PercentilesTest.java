package io.ordersaga.benchmarks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Nearest-rank percentiles: every value reported is one that was measured. */
class PercentilesTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void takesTheNearestRankOfTheSortedValues() {
        Percentiles percentiles = Percentiles.of(IntStream.rangeClosed(1, 100).mapToObj(i -> ms(101 - i)).toList());

        assertThat(percentiles.count()).isEqualTo(100);
        assertThat(percentiles.at(50)).isEqualTo(ms(50));
        assertThat(percentiles.at(90)).isEqualTo(ms(90));
        assertThat(percentiles.at(99)).isEqualTo(ms(99));
        assertThat(percentiles.at(100)).isEqualTo(ms(100));
    }

    @Test
    void aFewValuesGiveTheLargestForTheHighPercentiles() {
        Percentiles percentiles = Percentiles.of(List.of(ms(30), ms(10), ms(20)));

        assertThat(percentiles.at(50)).isEqualTo(ms(20));
        assertThat(percentiles.at(90)).isEqualTo(ms(30));
        assertThat(percentiles.at(0)).isEqualTo(ms(10));
    }

    @Test
    void noValuesGiveZero() {
        assertThat(Percentiles.of(List.of()).at(50)).isZero();
    }
}
