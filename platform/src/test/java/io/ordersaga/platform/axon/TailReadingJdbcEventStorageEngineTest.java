package io.ordersaga.platform.axon;

import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The tail reader asks the database once per wake-up, and again only when there may be something new. */
class TailReadingJdbcEventStorageEngineTest {

    private static final int BATCH = 4;

    /** An engine whose queries are counted and answered with the batches the test queues. */
    private static final class Counted extends TailReadingJdbcEventStorageEngine {
        final List<List<TrackedEventData<?>>> answers = new ArrayList<>();
        int queries;

        Counted(Duration fallbackPoll) {
            super(JdbcEventStorageEngine.builder()
                    .connectionProvider(() -> {
                        throw new IllegalStateException("no database in this test");
                    })
                    .transactionManager(NoTransactionManager.INSTANCE)
                    .eventSerializer(JacksonSerializer.defaultSerializer())
                    .snapshotSerializer(JacksonSerializer.defaultSerializer())
                    .batchSize(BATCH), fallbackPoll);
        }

        @Override
        protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
            queries++;
            return answers.isEmpty() ? List.of() : answers.remove(0);
        }

        long tail() {
            return readEventData(null, true).count();
        }
    }

    @Test
    void readsOneBatchPerWakeUpAndAsksAgainOnlyOnceEventsWereStored() {
        Counted engine = new Counted(Duration.ofHours(1));
        engine.answers.add(events(2));

        assertThat(engine.tail()).isEqualTo(2);
        assertThat(engine.tail()).isZero(); // Axon's reader reads again before it waits: nothing new, no query
        assertThat(engine.queries).isEqualTo(1);

        engine.eventsStored();
        engine.answers.add(events(1));
        assertThat(engine.tail()).isEqualTo(1);
        assertThat(engine.queries).isEqualTo(2);
    }

    @Test
    void readsOnAfterAFullBatchWithoutBeingTold() {
        Counted engine = new Counted(Duration.ofHours(1));
        engine.answers.add(events(BATCH));
        engine.answers.add(events(1));

        assertThat(engine.tail()).isEqualTo(BATCH);
        assertThat(engine.tail()).isEqualTo(1);
        assertThat(engine.tail()).isZero();
        assertThat(engine.queries).isEqualTo(2);
    }

    @Test
    void asksAnywayOnceTheFallbackPollIsDue() {
        Counted engine = new Counted(Duration.ZERO);

        engine.tail();
        engine.tail();
        engine.tail();
        assertThat(engine.queries).isEqualTo(3);
    }

    @Test
    void leavesEveryOtherReadToAxon() {
        Counted engine = new Counted(Duration.ofHours(1));
        engine.answers.add(events(BATCH));
        engine.answers.add(events(2));

        // a stream of its own (a processor catching up) reads batch after batch until one comes back empty
        assertThat(engine.readEventData(null, false).count()).isEqualTo(BATCH + 2);
        assertThat(engine.queries).isEqualTo(3);
    }

    private static List<TrackedEventData<?>> events(int count) {
        return IntStream.range(0, count).<TrackedEventData<?>>mapToObj(i -> new TrackedDomainEventData<>(
                new GlobalSequenceTrackingToken(i), null)).toList();
    }
}
