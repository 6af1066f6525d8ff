package io.ordersaga.platform.persistence;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.jdbc.UnitOfWorkAwareConnectionProviderWrapper;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcSQLErrorCodesResolver;
import org.axonframework.modelling.saga.repository.SagaStore;
import org.axonframework.modelling.saga.repository.jdbc.GenericSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.JdbcSagaStore;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.springboot.TokenStoreProperties;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.axonframework.springboot.autoconfig.JpaAutoConfiguration;
import org.axonframework.springboot.autoconfig.JpaEventStoreAutoConfiguration;
import io.ordersaga.platform.axon.CaffeineCache;
import io.ordersaga.platform.axon.TailReadingJdbcEventStorageEngine;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * Axon's event store, processor tokens and sagas on plain JDBC, in the tables of {@code db/migration/axon}: the
 * hottest paths of the system (every event appended and read, every batch's token, every saga step) without an ORM
 * in between. The rows are the ones Axon's JPA components wrote before (same columns, same JSON), so a database
 * written by an earlier version is read as it is. The read models keep JPA.
 */
@AutoConfiguration(before = {JpaAutoConfiguration.class, JpaEventStoreAutoConfiguration.class,
        JdbcAutoConfiguration.class})
@EnableConfigurationProperties(TokenStoreProperties.class)
public class AxonJdbcStorageAutoConfiguration {

    /** Joins the transaction of the current unit of work (Spring's), like every other access to the database. */
    @Bean
    public ConnectionProvider axonConnectionProvider(DataSource dataSource) {
        return new UnitOfWorkAwareConnectionProviderWrapper(new SpringDataSourceConnectionProvider(dataSource));
    }

    @Bean
    public PersistenceExceptionResolver persistenceExceptionResolver() {
        return new JdbcSQLErrorCodesResolver();
    }

    /**
     * The event store's tables on JDBC; its reader of the tail asks the database only when there may be something new
     * ({@link TailReadingJdbcEventStorageEngine}), and at least every half of {@code ordersaga.event-store.fetch-delay}
     * while it is woken.
     */
    @Bean
    public EventStorageEngine eventStorageEngine(ConnectionProvider connections, TransactionManager transactions,
                                                 PersistenceExceptionResolver exceptions, Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 org.axonframework.config.Configuration axon,
                                                 @Value("${ordersaga.event-store.fetch-delay:1s}") Duration fetchDelay) {
        return TailReadingJdbcEventStorageEngine.of(JdbcEventStorageEngine.builder()
                .connectionProvider(connections)
                .transactionManager(transactions)
                .persistenceExceptionResolver(exceptions)
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(axon.upcasterChain())
                .snapshotFilter(axon.snapshotFilter())
                .schema(EventSchema.builder()
                        .eventTable("domain_event_entry")
                        .snapshotTable("snapshot_event_entry")
                        .globalIndexColumn("global_index")
                        .timestampColumn("time_stamp")
                        .eventIdentifierColumn("event_identifier")
                        .aggregateIdentifierColumn("aggregate_identifier")
                        .sequenceNumberColumn("sequence_number")
                        .typeColumn("type")
                        .payloadTypeColumn("payload_type")
                        .payloadRevisionColumn("payload_revision")
                        .payloadColumn("payload")
                        .metaDataColumn("meta_data")
                        .build()), fetchDelay.dividedBy(2));
    }

    @Bean
    public TokenStore tokenStore(ConnectionProvider connections, Serializer serializer,
                                 TokenStoreProperties settings) {
        return JdbcTokenStore.builder()
                .connectionProvider(connections)
                .serializer(serializer)
                .claimTimeout(settings.getClaimTimeout())
                .schema(TokenSchema.builder()
                        .setTokenTable("token_entry")
                        .setProcessorNameColumn("processor_name")
                        .setSegmentColumn("segment")
                        .setTokenColumn("token")
                        .setTokenTypeColumn("token_type")
                        .setTimestampColumn("timestamp")
                        .setOwnerColumn("owner")
                        .build())
                .build();
    }

    /**
     * The sagas on JDBC, cached in memory ({@code ordersaga.saga-cache.size} sagas, with their associations) and safe
     * against rollbacks ({@link RollbackSafeSagaCache}).
     */
    @Bean
    public RollbackSafeSagaCache<Object> sagaStore(ConnectionProvider connections, Serializer serializer,
                                                   @Value("${ordersaga.saga-cache.size:20000}") long size) {
        return new RollbackSafeSagaCache<>(jdbcSagaStore(connections, serializer), new CaffeineCache(size),
                new CaffeineCache(size));
    }

    private static SagaStore<Object> jdbcSagaStore(ConnectionProvider connections, Serializer serializer) {
        return JdbcSagaStore.builder()
                .connectionProvider(connections)
                .serializer(serializer)
                .sqlSchema(new GenericSagaSqlSchema(SagaSchema.builder()
                        .sagaEntryTable("saga_entry")
                        .sagaIdColumn("saga_id")
                        .sagaTypeColumn("saga_type")
                        .revisionColumn("revision")
                        .serializedSagaColumn("serialized_saga")
                        .associationValueEntryTable("association_value_entry")
                        .associationKeyColumn("association_key")
                        .associationValueColumn("association_value")
                        .build()))
                .build();
    }
}
