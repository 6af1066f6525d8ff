package io.ordersaga.standalone;

import com.zaxxer.hikari.HikariDataSource;
import io.ordersaga.embeddedpostgres.EmbeddedPostgresServer;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.nio.file.Path;

/**
 * The embedded default: when no {@code spring.datasource.url} is given ({@code SPRING_DATASOURCE_URL} in the
 * environment), the app starts its own PostgreSQL on {@code ordersaga.embedded-postgres.data-dir} and connects to
 * it. The data source depends on the server, so on shutdown the pool closes before the server stops.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDataSourceUrl.class)
@EnableConfigurationProperties(EmbeddedPostgresConfiguration.Settings.class)
class EmbeddedPostgresConfiguration {

    @ConfigurationProperties("ordersaga.embedded-postgres")
    record Settings(Path dataDir, int port, boolean durable) {

        Settings {
            dataDir = dataDir == null ? Path.of("data", "postgres") : dataDir;
        }
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgresServer embeddedPostgres(Settings settings) {
        return EmbeddedPostgresServer.start(settings.dataDir(), settings.port(), settings.durable());
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgresServer postgres) {
        return DataSourceBuilder.create()
                .type(HikariDataSource.class)
                .url(postgres.jdbcUrl())
                .username(postgres.username())
                .build();
    }

    static class NoDataSourceUrl implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }
}
