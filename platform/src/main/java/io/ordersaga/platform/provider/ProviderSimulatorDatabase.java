package io.ordersaga.platform.provider;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.sql.SQLException;

/**
 * The in-process provider simulators' own connections to the database: a small pool beside the application's, with
 * auto-commit. A real provider's records do not live in the caller's transaction, and neither do the simulators'.
 * (They once used a nested {@code REQUIRES_NEW} transaction on the application's pool: each command held one
 * connection while it waited for a second, and under load the pool ran dry.)
 */
public final class ProviderSimulatorDatabase implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;

    public ProviderSimulatorDatabase(DataSource application, int connections) {
        HikariDataSource hikari = unwrap(application);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(hikari.getJdbcUrl());
        config.setUsername(hikari.getUsername());
        config.setPassword(hikari.getPassword());
        config.setMaximumPoolSize(connections);
        config.setAutoCommit(true);
        config.setPoolName("provider-simulators");
        this.dataSource = new HikariDataSource(config);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static HikariDataSource unwrap(DataSource application) {
        try {
            return application.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            throw new IllegalStateException("The provider simulators need the application's data source to be "
                    + "Hikari's (Spring Boot's default), to open connections of their own", e);
        }
    }
}
