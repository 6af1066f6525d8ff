package io.ordersaga.platform.persistence;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

import javax.sql.DataSource;
import java.util.Comparator;
import java.util.List;

/**
 * Applies every {@link SchemaMigration} of this process before JPA starts (Hibernate then only validates).
 *
 * <p>Flyway locks each history table while it migrates, so processes that start together against an empty
 * database take turns instead of racing. Each history table starts at a baseline of 0 because the schema is
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

    @Override
    public void afterPropertiesSet() {
        migrations.stream()
                .sorted(Comparator.comparingInt(SchemaMigration::order))
                .forEach(this::migrate);
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
