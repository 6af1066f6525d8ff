package io.ordersaga.benchmarks;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** What the benchmark reads from the system (/proc, jcmd, JDBC URLs) and how it prints it. */
class MeasurementsTest {

    @Test
    void readsUserAndSystemTicksFromProcStatEvenWhenTheCommandHasSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 5000 0 3 0 1234 567 0 0 20 0 42 0 100 "
                + "4096000000 50000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        assertThat(CpuTime.ticks(stat)).isEqualTo(1234 + 567);
    }

    @Test
    void readsThisProcesssOwnCpuTime() {
        assertThat(CpuTime.of(List.of(ProcessHandle.current().pid()))).isPositive();
        assertThat(CpuTime.of(List.of(Long.MAX_VALUE))).as("a process that is gone").isZero();
    }

    @Test
    void readsTheUsedHeapFromJcmdHeapInfo() {
        String g1 = """
                4242:
                 garbage-first heap   total 262144K, used 123456K [0x0000000681000000, 0x0000000800000000)
                  region size 2048K, 12 young (24576K), 2 survivors (4096K)
                 Metaspace       used 98765K, committed 99328K, reserved 1179648K
                """;

        assertThat(SystemUnderTest.heapUsed(g1)).hasValue(123456L * 1024);
        assertThat(SystemUnderTest.heapUsed("4242:\nno such thing")).isEmpty();
    }

    @Test
    void pointsAJdbcUrlAtAnotherDatabaseKeepingServerAndParameters() {
        assertThat(Database.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "bench_1"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/bench_1");
        assertThat(Database.withDatabase("jdbc:postgresql://db:5432/orders?sslmode=require", "bench_1"))
                .isEqualTo("jdbc:postgresql://db:5432/bench_1?sslmode=require");
        assertThat(Database.withDatabase("jdbc:postgresql://localhost", "bench_1"))
                .isEqualTo("jdbc:postgresql://localhost/bench_1");
    }

    @Test
    void printsOneAlignedRowPerRun() {
        Report.Row row = new Report.Row(16, 14.26, Duration.ofMillis(660), Duration.ofMillis(1240),
                Duration.ofMillis(3150), 2, OptionalDouble.of(70.04), OptionalDouble.of(14.96), OptionalDouble.of(4),
                OptionalDouble.of(1.62), OptionalDouble.empty());

        assertThat(Report.row(row)).hasSameSizeAs(Report.HEADER).isEqualTo(
                "     16      14.3    660 ms    1.24 s    3.15 s       2           70.0          15.0           4.0"
                        + "    162 %        –");
    }

    @Test
    void writesBytesInTheUnitThatReadsBest() {
        assertThat(Report.bytes(2048)).isEqualTo("2.0 KiB");
        assertThat(Report.bytes(3.5 * 1024 * 1024)).isEqualTo("3.5 MiB");
    }
}
