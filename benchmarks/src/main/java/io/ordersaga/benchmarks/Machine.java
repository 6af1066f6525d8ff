package io.ordersaga.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** What the figures were measured on, so that a README can say it: CPUs, memory, Java, PostgreSQL and its fsync. */
final class Machine {

    private Machine() {
    }

    static String describe(Database database) {
        return String.join("\n",
                "cpus:        " + Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")",
                "memory:      " + memory(),
                "kernel:      " + read("/proc/sys/kernel/osrelease").map(String::strip).orElse("?"),
                "java:        " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                "postgresql:  " + database.setting("server_version") + ", fsync " + database.setting("fsync")
                        + ", synchronous_commit " + database.setting("synchronous_commit"));
    }

    private static String cpuModel() {
        return read("/proc/cpuinfo").flatMap(info -> info.lines().filter(line -> line.startsWith("model name"))
                .findFirst()).map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("?");
    }

    private static String memory() {
        return read("/proc/meminfo").flatMap(info -> info.lines().filter(line -> line.startsWith("MemTotal:"))
                        .findFirst())
                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .map(kib -> String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0)).orElse("?");
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
