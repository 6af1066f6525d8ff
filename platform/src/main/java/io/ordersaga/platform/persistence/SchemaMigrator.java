package io.ordersaga.platform.persistence;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;

/**
 * Applies every {@link SchemaMigration} of this process before JPA starts (Hibernate then only validates).
 *
 * <p>Processes that start together against an empty database take turns: each holds a PostgreSQL advisory lock
 * while it migrates. Flyway's own lock on a history table is not enough — a process that finds another's history
 * table created but still empty, in a schema that already has tables, refuses to baseline it ("Unable to baseline
 * schema history table ... as it already exists, and is empty"), and that process does not start (seen with the five
 * services started at once on a fresh database). Each history table starts at a baseline of 0 because the schema is
 * shared: the second set of migrations finds the first one's tables already there.
 */
public class SchemaMigrator implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);

    private final DataSource dataSource;
    private final List<SchemaMigration> migrations;

    public SchemaMigrator(DataSource dataSource, List<SchemaMigration> migrations) {
        this.dataSource = dataSource;
        this.migrations = migrations;
    }

    /** Any number the other users of the database do not take for an advisory lock of their own. */
    static final long LOCK = 0x6f72_6465_7273_6167L; // "ordersag"

    @Override
    public void afterPropertiesSet() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + LOCK + ")");
            try {
                migrations.stream()
                        .sorted(Comparator.comparingInt(SchemaMigration::order))
                        .forEach(this::migrate);
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + LOCK + ")");
            }
        }
    }

    private void migrate(SchemaMigration migration) {
        var result = Flyway.configure()
                .dataSource(dataSource)
                .locations(migration.location())
                .table(migration.historyTable())
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        log.info("Schema '{}' at version {} ({} migrations applied)",
                migration.name(), result.targetSchemaVersion, result.migrationsExecuted);
    }
}
