package io.ordersaga.embeddedpostgres;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One data folder, one owner: a second server on a folder whose owner is alive — in this JVM or in another process —
 * is refused and changes nothing; the server of an owner that is gone (killed outright) is stopped and replaced.
 */
class EmbeddedPostgresServerTest {

    private final List<AutoCloseable> started = new ArrayList<>();
    private Path folder;

    @BeforeEach
    void folder() {
        folder = Path.of("target", "postgres-test", UUID.randomUUID().toString().substring(0, 8), "postgres")
                .toAbsolutePath();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
        // a server a failed test left orphaned on the folder: stopped by its PID (SIGTERM, PostgreSQL's smart shutdown)
        if (Files.exists(folder.resolve("postmaster.pid"))) {
            ProcessHandle.of(postgresPid(folder)).filter(ProcessHandle::isAlive)
                    .filter(process -> process.info().command().map(command -> command.endsWith("/postgres"))
                            .orElse(false))
                    .ifPresent(process -> {
                        process.destroy();
                        process.onExit().orTimeout(60, TimeUnit.SECONDS).join();
                    });
        }
    }

    @Test
    void aSecondServerOnAFolderThisJvmHoldsIsRefusedAndTheFirstGoesOn() throws Exception {
        EmbeddedPostgresServer first = start(folder);
        String postmasterPid = Files.readString(folder.resolve("postmaster.pid"));

        assertThatThrownBy(() -> start(folder)).isInstanceOf(DataFolderInUseException.class)
                .hasMessageContaining("is in use by another running copy")
                .hasMessageContaining("(process " + ProcessHandle.current().pid() + ")");

        assertThat(Files.readString(folder.resolve("postmaster.pid"))).isEqualTo(postmasterPid);
        assertThat(selectOne(first.port())).isEqualTo(1);
    }

    @Test
    void aFolderHeldByAnotherLiveProcessIsLeftAloneAndAnOrphanedServerIsStopped() throws Exception {
        int port = freePort();
        Process owner = startInAnotherProcess(folder, port);
        long ownersServer = postgresPid(folder);

        DataFolderInUseException refused = catchRefusal(() -> start(folder));
        assertThat(refused.owner()).hasValue(owner.pid());
        assertThat(ProcessHandle.of(ownersServer).map(ProcessHandle::isAlive)).hasValue(true);
        assertThat(selectOne(port)).as("the owner's server still answers").isEqualTo(1);

        owner.destroyForcibly(); // SIGKILL: its server is left running, an orphan
        assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(ownersServer).map(ProcessHandle::isAlive)).hasValue(true);

        EmbeddedPostgresServer next = start(folder);

        assertThat(ProcessHandle.of(ownersServer).filter(ProcessHandle::isAlive)).as("the orphan is stopped").isEmpty();
        assertThat(postgresPid(folder)).isNotEqualTo(ownersServer);
        assertThat(selectOne(next.port())).isEqualTo(1);
    }

    private EmbeddedPostgresServer start(Path dataDirectory) {
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory, 0,
                EmbeddedPostgresServer.Durability.NONE);
        started.add(server);
        return server;
    }

    private static DataFolderInUseException catchRefusal(Runnable start) {
        try {
            start.run();
        } catch (DataFolderInUseException refused) {
            return refused;
        }
        throw new AssertionError("the start was not refused");
    }

    /** {@link Main} in a JVM of its own, as {@code bin/run-services} runs it; killed (by its PID) after the test. */
    private Process startInAnotherProcess(Path dataDirectory, int port) throws IOException {
        Path log = dataDirectory.resolveSibling("owner.log");
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), dataDirectory.toString(),
                String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(() -> {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        });
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .failFast("the owner exited; see " + log, () -> !process.isAlive())
                .until(() -> Files.readString(log).contains("PostgreSQL is ready"));
        return process;
    }

    private static long postgresPid(Path dataDirectory) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    }

    private static int selectOne(int port) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres",
                "postgres", "");
             ResultSet result = connection.createStatement().executeQuery("SELECT 1")) {
            result.next();
            return result.getInt(1);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
