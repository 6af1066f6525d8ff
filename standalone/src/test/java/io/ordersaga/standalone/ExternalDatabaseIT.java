package io.ordersaga.standalone;

import io.ordersaga.embeddedpostgres.EmbeddedPostgresServer;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.AppProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static io.ordersaga.standalone.support.Api.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged app on a PostgreSQL given by Spring's SPRING_DATASOURCE_URL instead of its embedded default. */
class ExternalDatabaseIT {

    private final Path work = Path.of("target", "it-external", UUID.randomUUID().toString().substring(0, 8))
            .toAbsolutePath();
    private EmbeddedPostgresServer database;
    private AppProcess app;

    @AfterEach
    void tearDown() {
        if (app != null) {
            app.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void storesEverythingInTheDatabaseGivenInTheEnvironment() {
        database = EmbeddedPostgresServer.start(work.resolve("external-postgres"), 0, false);
        app = new AppProcess(work.resolve("app-data"), work.resolve("logs"))
                .withEnvironment("SPRING_DATASOURCE_URL", database.jdbcUrl())
                .withEnvironment("SPRING_DATASOURCE_USERNAME", database.username());

        Api api = app.start().api();
        String orderId = api.placeAcceptedOrder(order(null, "KEYBOARD-US", 1, "49.00"));
        api.awaitStatus(orderId, "COMPLETED", Duration.ofSeconds(10));

        JdbcTemplate external = new JdbcTemplate(
                new SingleConnectionDataSource(database.jdbcUrl(), database.username(), "", true));
        // placed, reserved, charged, shipped, e-mailed, completed, and the stock committed just after
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(external.queryForObject(
                "SELECT count(*) FROM domain_event_entry WHERE ordersaga_event_order_id(payload) = ?",
                Integer.class, orderId)).isGreaterThanOrEqualTo(7));
        assertThat(Files.exists(work.resolve("app-data").resolve("postgres")))
                .as("no embedded database was created").isFalse();
    }
}
