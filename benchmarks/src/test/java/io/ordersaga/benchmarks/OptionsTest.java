package io.ordersaga.benchmarks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bin/benchmark's options: the defaults issue 10 asks for, each option read, and mistakes named. */
class OptionsTest {

    @Test
    void defaultsToTheAllInOneAppAtOneSixteenAndSixtyFourClients() {
        Options options = Options.parse();

        assertThat(options.services()).isFalse();
        assertThat(options.clients()).containsExactly(1, 16, 64);
        assertThat(options.window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(120));
        assertThat(options.ramp()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.databaseUrl()).isEmpty();
        assertThat(options.historyOrders()).isEqualTo(10_000);
        assertThat(options.backoffOrders()).isEqualTo(10_000);
        assertThat(options.skipHistory()).isFalse();
        assertThat(options.skipHeap()).isFalse();
    }

    @Test
    void readsEveryOption() {
        Options options = Options.parse("--services", "--clients", "1, 16", "--seconds", "20", "--warmup", "0", "--ramp", "3",
                "--database-url", "jdbc:postgresql://127.0.0.1:5432/postgres", "--database-user", "bench",
                "--history-orders", "2000", "--backoff-orders", "500", "--skip-history", "--skip-heap",
                "--port", "9280");

        assertThat(options.services()).isTrue();
        assertThat(options.clients()).isEqualTo(List.of(1, 16));
        assertThat(options.window()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.warmup()).isZero();
        assertThat(options.ramp()).isEqualTo(Duration.ofSeconds(3));
        assertThat(options.databaseUrl()).contains("jdbc:postgresql://127.0.0.1:5432/postgres");
        assertThat(options.databaseUser()).isEqualTo("bench");
        assertThat(options.historyOrders()).isEqualTo(2000);
        assertThat(options.backoffOrders()).isEqualTo(500);
        assertThat(options.skipHistory()).isTrue();
        assertThat(options.skipHeap()).isTrue();
        assertThat(options.port()).isEqualTo(9280);
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> Options.parse("--clients", "1,x")).hasMessageContaining("--clients");
        assertThatThrownBy(() -> Options.parse("--seconds", "0")).hasMessageContaining("--seconds must be above 0");
        assertThatThrownBy(() -> Options.parse("--seconds")).hasMessageContaining("--seconds needs a value");
        assertThatThrownBy(() -> Options.parse("--seconds", "--services")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> Options.parse("--database-url", "postgres://x/y"))
                .hasMessageContaining("jdbc:postgresql://");
        assertThatThrownBy(() -> Options.parse("--fast")).hasMessageContaining("unknown option --fast");
    }
}
