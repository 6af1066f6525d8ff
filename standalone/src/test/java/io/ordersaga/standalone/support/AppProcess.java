package io.ordersaga.standalone.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged all-in-one app ({@code java -jar}) as a real process of its own, as a user runs it: started on a data
 * folder, killed with SIGKILL or stopped with SIGTERM, started again on the same folder.
 */
public final class AppProcess implements AutoCloseable {

    private final Path jar;
    private final Path dataDir;
    private final Path logs;
    private final int port;
    private final java.util.Map<String, String> environment = new java.util.HashMap<>();
    private final List<String> arguments = new ArrayList<>();
    private Process process;
    private int starts;

    public AppProcess(Path dataDir, Path logs) {
        String jarPath = System.getProperty("ordersaga.it.app-jar");
        if (jarPath == null) {
            throw new IllegalStateException("Run through Maven (failsafe): the path of the packaged app is needed");
        }
        this.jar = Path.of(jarPath);
        this.dataDir = dataDir;
        this.logs = logs;
        this.port = freePort();
    }

    /** An environment variable for the next start, e.g. {@code SPRING_DATASOURCE_URL}. */
    public AppProcess withEnvironment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Command-line arguments for every start, e.g. {@code --ordersaga.saga.step-timeout=2s}. */
    public AppProcess withArguments(String... extra) {
        arguments.addAll(List.of(extra));
        return this;
    }

    /**
     * The app's embedded PostgreSQL, read directly (its port is in the data folder's {@code postmaster.pid}): for
     * what no HTTP endpoint shows, like the provider simulators' ledgers.
     */
    public org.springframework.jdbc.core.JdbcTemplate database() {
        try {
            List<String> pid = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
            String url = "jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres";
            return new org.springframework.jdbc.core.JdbcTemplate( // a connection per query: none left open
                    new org.springframework.jdbc.datasource.DriverManagerDataSource(url, "postgres", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The app's HTTP interface, with the operator credential the app made for its current run (read from
     * {@link #operatorCredentialFile()} at each request under {@code /admin}) unless one is given in the environment.
     */
    public Api api() {
        String configured = environment.get("ORDERSAGA_ADMIN_TOKEN");
        return new Api("http://localhost:" + port, () -> configured != null ? configured : operatorCredential());
    }

    /** Where the app keeps the operator credential it made for the run: {@code $ORDERSAGA_DATA_DIR/admin-token}. */
    public Path operatorCredentialFile() {
        return dataDir.resolve("admin-token");
    }

    private String operatorCredential() {
        try {
            Path file = operatorCredentialFile();
            return Files.exists(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** Starts the app and waits until it is ready ({@code /actuator/health/readiness} answers 200). */
    public AppProcess start() {
        Path log = launch();
        Api probe = api();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .failFast("the app exited; see " + log, () -> !process.isAlive())
                .until(() -> isReady(probe));
        return this;
    }

    /**
     * Starts the app and waits for it to exit by itself, as a copy that cannot start does; returns its exit code. A
     * process still alive after {@code within} is killed, and the start fails.
     */
    public int startExpectingExit(Duration within) {
        Path log = launch();
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                waitForExit();
                throw new AssertionError("The app did not exit within " + within + "; see " + log);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path launch() {
        try {
            Files.createDirectories(logs);
            Path log = log(++starts);
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-jar", jar.toString(),
                    "--server.port=" + port));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("ORDERSAGA_DATA_DIR", dataDir.toString());
            builder.environment().putAll(environment);
            process = builder.start();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    public void kill() {
        process.destroyForcibly();
        waitForExit();
    }

    /** SIGTERM: the app shuts down as it would on Ctrl-C. */
    public int stop() {
        process.destroy();
        return waitForExit();
    }

    /** The log of the {@code start}-th start of the app (from 1). */
    public Path log(int start) {
        return logs.resolve("app-" + start + ".log");
    }

    public long pid() {
        return process.pid();
    }

    public Optional<ProcessHandle> postgres() {
        try {
            Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isReady(Api probe) {
        try {
            return probe.get("/actuator/health/readiness").status() == 200;
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    private int waitForExit() {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The app did not exit within 60 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Leaves nothing running: the app, then a PostgreSQL it may have left behind on the data folder. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitForExit();
        }
        postgres().ifPresent(postgres -> {
            try {
                new ProcessBuilder("kill", "-INT", String.valueOf(postgres.pid())).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            postgres.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
