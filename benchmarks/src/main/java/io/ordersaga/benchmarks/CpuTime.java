package io.ordersaga.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;

/** CPU time that processes have used, from {@code /proc/<pid>/stat} (user + system). */
final class CpuTime {

    /** Linux's clock tick, in which {@code /proc} counts CPU time (USER_HZ: 100 on every common platform). */
    private static final long TICKS_PER_SECOND = 100;

    private CpuTime() {
    }

    /** The CPU time these processes have used so far; a process that is gone (or not on this machine) counts 0. */
    static Duration of(Collection<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                ticks += ticks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
            } catch (IOException e) {
                // gone: nothing to add
            }
        }
        return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
    }

    /**
     * User plus system ticks from one {@code /proc/<pid>/stat} line: fields 14 and 15, counted after the command
     * name, which is in parentheses and may itself hold spaces and parentheses.
     */
    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        // fields[0] is field 3 (state): utime is field 14, stime field 15
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
