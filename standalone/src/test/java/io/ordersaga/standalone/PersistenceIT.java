package io.ordersaga.standalone;

import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the event store sits in PostgreSQL: JSON payloads in bytea, no large objects, the sequence, the indexes. */
@StandaloneIT
class PersistenceIT {

    Api api;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;
    @Autowired
    Serializer serializer;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;
    @Autowired
    @Qualifier("messageSerializer")
    Serializer messageSerializer;

    @Test
    void storesNoLargeObjectsAndNoOidColumns() {
        placeAndComplete();

        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM information_schema.columns
                 WHERE table_schema = 'public' AND data_type = 'oid'""", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM pg_largeobject_metadata", Integer.class)).isZero();
        assertThat(jdbc.queryForList("""
                SELECT table_name FROM information_schema.columns
                 WHERE table_schema = 'public' AND column_name IN ('payload', 'serialized_saga', 'token')
                   AND data_type <> 'bytea'""", String.class)).isEmpty();
    }

    @Test
    void serializesEveryMessageAndSagaAsJsonWithoutXStream() {
        assertThat(List.of(serializer, eventSerializer, messageSerializer))
                .allSatisfy(s -> assertThat(s).isInstanceOf(JacksonSerializer.class));
        assertThatThrownBy(() -> Class.forName("com.thoughtworks.xstream.XStream"))
                .isInstanceOf(ClassNotFoundException.class);
        placeAndComplete();

        List<String> payloads = jdbc.queryForList(
                "SELECT convert_from(payload, 'UTF8') FROM domain_event_entry ORDER BY global_index DESC LIMIT 20",
                String.class);
        assertThat(payloads).isNotEmpty().allSatisfy(payload -> assertThat(Api.JSON.readTree(payload).isObject()).isTrue());
    }

    @Test
    void neverConnectsToAxonServer() {
        assertThatThrownBy(() -> Class.forName("org.axonframework.axonserver.connector.AxonServerConnectionManager"))
                .isInstanceOf(ClassNotFoundException.class);
        assertThat(context.getEnvironment().getProperty("axon.axonserver.enabled")).isEqualTo("false");
    }

    @Test
    void numbersEventsFromASequenceThatStepsByOne() {
        assertThat(jdbc.queryForObject(
                "SELECT increment_by FROM pg_sequences WHERE sequencename = 'domain_event_entry_seq'", Long.class))
                .isEqualTo(1L);
        long before = jdbc.queryForObject("SELECT coalesce(max(global_index), 0) FROM domain_event_entry", Long.class);
        placeAndComplete();
        List<Long> indexes = jdbc.queryForList(
                "SELECT global_index FROM domain_event_entry WHERE global_index > ? ORDER BY global_index",
                Long.class, before);
        assertThat(indexes.get(indexes.size() - 1) - indexes.get(0)).isEqualTo(indexes.size() - 1);
    }

    @Test
    void indexesTheSagaAssociationsAndTheOrderHistory() {
        List<String> indexes = jdbc.queryForList("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'",
                String.class);
        assertThat(indexes).anySatisfy(index -> assertThat(index)
                .contains("association_value_entry USING btree (saga_type, association_key, association_value)"));
        assertThat(indexes).anySatisfy(index -> assertThat(index)
                .contains("association_value_entry USING btree (saga_id, saga_type)"));
        assertThat(indexes).anySatisfy(index -> assertThat(index)
                .contains("domain_event_entry USING btree (ordersaga_event_order_id(payload))"));
    }

    @Test
    void letsFlywayOwnTheSchemaAndHibernateOnlyValidateIt() {
        assertThat(context.getEnvironment().getProperty("spring.jpa.hibernate.ddl-auto")).isEqualTo("validate");
        List<String> histories = jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'flyway_history_%' "
                        + "ORDER BY table_name", String.class);
        assertThat(histories).containsExactly("flyway_history_axon", "flyway_history_inventory",
                "flyway_history_notification", "flyway_history_order", "flyway_history_payment",
                "flyway_history_shipping");
    }

    private void placeAndComplete() {
        String sku = uniqueSku("DESK");
        api.setStock(sku, 5);
        String orderId = api.placeAcceptedOrder(order("+31612345678", sku, 1, "120.00"));
        api.awaitStatus(orderId, "COMPLETED", java.time.Duration.ofSeconds(10));
    }
}
