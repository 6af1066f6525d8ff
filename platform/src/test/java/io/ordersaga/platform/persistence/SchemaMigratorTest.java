package io.ordersaga.platform.persistence;

import io.ordersaga.embeddedpostgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Five processes' worth of migrators started at the same instant on an empty database, on a real PostgreSQL. */
class SchemaMigratorTest {

    private static final int PROCESSES = 5;

    @TempDir
    static Path folder;
    static EmbeddedPostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = EmbeddedPostgresServer.start(folder.resolve("postgres"), 0, EmbeddedPostgresServer.Durability.NONE);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @Test
    void servicesStartingTogetherOnAnEmptyDatabaseEachMigrateAndNoneFails() throws Exception {
        List<SchemaMigration> migrations = List.of(new SchemaMigration("axon", 0, "classpath:db/migration/axon"),
                new SchemaMigration("service", 1, "classpath:db/test-migration"));
        for (int round = 0; round < 3; round++) {
            String database = "migrate_together_" + round;
            new JdbcTemplate(dataSource("postgres")).execute("CREATE DATABASE " + database);
            CyclicBarrier together = new CyclicBarrier(PROCESSES);
            ExecutorService processes = Executors.newFixedThreadPool(PROCESSES);
            try {
                List<Future<?>> started = new ArrayList<>();
                for (int i = 0; i < PROCESSES; i++) {
                    SchemaMigrator migrator = new SchemaMigrator(dataSource(database), migrations);
                    started.add(processes.submit(() -> {
                        together.await();
                        migrator.afterPropertiesSet();
                        return null;
                    }));
                }
                for (Future<?> process : started) {
                    process.get(60, TimeUnit.SECONDS); // rethrows a migrator's failure
                }
            } finally {
                processes.shutdownNow();
            }
            JdbcTemplate migrated = new JdbcTemplate(dataSource(database));
            assertThat(migrated.queryForObject("SELECT count(*) FROM flyway_history_service WHERE success AND version = '1'", Long.class))
                    .as("the service's migration applied once").isEqualTo(1);
            assertThat(migrated.queryForObject("SELECT count(*) FROM flyway_history_axon WHERE success"
                    + " AND version IS NOT NULL AND version <> '0'", Long.class))
                    .as("each of Axon's migrations applied once")
                    .isEqualTo(migrated.queryForObject("SELECT count(DISTINCT version) FROM flyway_history_axon"
                            + " WHERE version IS NOT NULL AND version <> '0'", Long.class))
                    .isPositive();
        }
    }

    private static PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
        dataSource.setUser(postgres.username());
        return dataSource;
    }
}
