package io.ordersaga.benchmarks;

import io.ordersaga.embeddedpostgres.EmbeddedPostgresServer;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The durable PostgreSQL the app runs on, and what the benchmark reads from it. A fresh database {@code bench_*} is
 * created on the server for each run and dropped at the end: on the server of {@code --database-url}, or on the
 * project's embedded PostgreSQL (fsync on). Counters are read over a connection to the server's maintenance
 * database, so that the benchmark's own queries are not counted as the app's commits.
 */
final class Database implements AutoCloseable {

    private static final Pattern JDBC_URL = Pattern.compile("^(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?$");

    private final EmbeddedPostgresServer embedded;
    private final String serverUrl;
    private final String user;
    private final String password;
    private final String name;
    private final Connection admin;

    private Database(EmbeddedPostgresServer embedded, String serverUrl, String user, String password)
            throws SQLException {
        this.embedded = embedded;
        this.serverUrl = serverUrl;
        this.user = user;
        this.password = password;
        this.name = "bench_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        this.admin = DriverManager.getConnection(serverUrl, user, password);
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
    }

    /** A fresh database on the given server, or on an embedded one whose data lives in {@code embeddedData}. */
    static Database start(Options options, Path embeddedData) throws SQLException {
        if (options.databaseUrl().isPresent()) {
            return new Database(null, options.databaseUrl().get(), options.databaseUser(),
                    options.databasePassword().orElse(null));
        }
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(embeddedData, 0, true);
        try {
            return new Database(server, server.jdbcUrl(), server.username(), null);
        } catch (SQLException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The URL of database {@code name} on the server of {@code url}, with the same parameters. */
    static String withDatabase(String url, String name) {
        Matcher matcher = JDBC_URL.matcher(url);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + url);
        }
        return matcher.group(1) + "/" + name + Optional.ofNullable(matcher.group(3)).orElse("");
    }

    String appUrl() {
        return withDatabase(serverUrl, name);
    }

    String user() {
        return user;
    }

    Optional<String> password() {
        return Optional.ofNullable(password);
    }

    String name() {
        return name;
    }

    /** Transactions committed in the app's database so far ({@code pg_stat_database.xact_commit}). */
    long commits() {
        return queryLong("SELECT xact_commit FROM pg_stat_database WHERE datname = ?", name);
    }

    /**
     * Transactions that wrote something, in the whole server so far: the next transaction id (a read-only transaction
     * gets none). Unlike {@link #commits()} it leaves out reads, which need no flush to disk.
     */
    long writes() {
        try (PreparedStatement statement = admin.prepareStatement(
                "SELECT txid_snapshot_xmax(txid_current_snapshot())");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server processes serving the app's connections (their CPU is the database's share of the work). */
    List<Long> backendPids() {
        List<Long> pids = new ArrayList<>();
        try (PreparedStatement statement = admin.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE datname = ?")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    pids.add(rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return pids;
    }

    String setting(String setting) {
        try (Statement statement = admin.createStatement();
             ResultSet rows = statement.executeQuery("SHOW " + setting)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Calls the in-process provider simulators have answered so far (the payment gateway's, the carrier's, the e-mail
     * and SMS providers' stand-ins): one row each in their ledgers, written by one statement in a transaction of its
     * own. They stand for systems that are not this one's database, so the table shows their commits apart.
     */
    long simulatorCalls() {
        try (Connection app = appConnection();
             Statement statement = app.createStatement();
             ResultSet rows = statement.executeQuery("SELECT (SELECT count(*) FROM payment_simulator_ledger)"
                     + " + (SELECT count(*) FROM shipping_simulator_ledger)"
                     + " + (SELECT count(*) FROM notification_simulator_outbox)")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Of some orders, how many have ended, and how many wait for a retry of a failed step (the app's read model). */
    record Progress(long ended, long inBackoff) {
    }

    Progress progress(Collection<String> orderIds) {
        try (Connection app = appConnection();
             PreparedStatement statement = app.prepareStatement("SELECT"
                     + " count(*) FILTER (WHERE status IN ('COMPLETED', 'CANCELLED')),"
                     + " count(*) FILTER (WHERE status NOT IN ('COMPLETED', 'CANCELLED')"
                     + " AND last_event = 'StepRetryScheduledEvent')"
                     + " FROM order_summary WHERE order_id = ANY (?)")) {
            Array ids = app.createArrayOf("text", orderIds.toArray());
            statement.setArray(1, ids);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new Progress(rows.getLong(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The size of an aggregate's latest snapshot in bytes and its number of events. */
    record AggregateSize(long snapshotBytes, long events) {
    }

    AggregateSize aggregate(String aggregateId) {
        try (Connection app = appConnection();
             PreparedStatement snapshot = app.prepareStatement("SELECT length(payload) FROM snapshot_event_entry"
                     + " WHERE aggregate_identifier = ? ORDER BY sequence_number DESC LIMIT 1");
             PreparedStatement events = app.prepareStatement(
                     "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?")) {
            snapshot.setString(1, aggregateId);
            events.setString(1, aggregateId);
            long bytes;
            try (ResultSet rows = snapshot.executeQuery()) {
                bytes = rows.next() ? rows.getLong(1) : 0;
            }
            try (ResultSet rows = events.executeQuery()) {
                rows.next();
                return new AggregateSize(bytes, rows.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops the run's database and stops the embedded server, if there is one. */
    @Override
    public void close() {
        try (Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            admin.close();
        } catch (SQLException e) {
            System.err.println("Could not drop database " + name + ": " + e.getMessage());
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    private Connection appConnection() throws SQLException {
        return DriverManager.getConnection(appUrl(), user, password);
    }

    private long queryLong(String sql, String parameter) {
        try (PreparedStatement statement = admin.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
