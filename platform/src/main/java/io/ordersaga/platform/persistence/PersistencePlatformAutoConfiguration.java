package io.ordersaga.platform.persistence;

import io.ordersaga.platform.provider.ProviderSimulatorDatabase;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.orm.jpa.EntityManagerFactoryDependsOnPostProcessor;
import org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

import java.util.List;
import javax.sql.DataSource;

/** Schema migrations of Axon's tables and of every service in this process, before JPA starts. */
@AutoConfiguration(after = DataSourceAutoConfiguration.class, before = HibernateJpaAutoConfiguration.class)
public class PersistencePlatformAutoConfiguration {

    /** Axon's event store, snapshots, sagas, tokens and dead letters: shared by every service. */
    @Bean
    public SchemaMigration axonSchema() {
        return new SchemaMigration("axon", 0, "classpath:db/migration/axon");
    }

    @Bean
    public SchemaMigrator schemaMigrator(DataSource dataSource, List<SchemaMigration> migrations) {
        return new SchemaMigrator(dataSource, migrations);
    }

    /** Created only where a simulated provider is in use (payment, shipping, notification). */
    @Bean(destroyMethod = "close")
    @Lazy
    public ProviderSimulatorDatabase providerSimulatorDatabase(
            DataSource dataSource, @Value("${ordersaga.simulator.connections:4}") int connections) {
        return new ProviderSimulatorDatabase(dataSource, connections);
    }

    @Bean
    public static EntityManagerFactoryDependsOnPostProcessor entityManagerFactoryAfterSchemaMigrator() {
        return new EntityManagerFactoryDependsOnPostProcessor("schemaMigrator");
    }
}
