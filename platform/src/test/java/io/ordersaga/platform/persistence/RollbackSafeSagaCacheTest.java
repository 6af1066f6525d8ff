package io.ordersaga.platform.persistence;

import io.ordersaga.platform.axon.CaffeineCache;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.repository.inmemory.InMemorySagaStore;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The saga cache never hides a saga, and never keeps what a rolled-back unit of work did to one. */
class RollbackSafeSagaCacheTest {

    /** A saga's state: whatever its handlers change in place. */
    static final class Counter {
        int events;
    }

    private static final AssociationValue ORDER = new AssociationValue("orderId", "order-1");

    private final Database database = new Database();
    private final RollbackSafeSagaCache<Object> store =
            new RollbackSafeSagaCache<>(database, new CaffeineCache(100), new CaffeineCache(100));

    /** Sagas as a database has them: each load reads a fresh copy of what was stored. */
    static final class Database extends InMemorySagaStore {

        @Override
        public <S> Entry<S> loadSaga(Class<S> sagaType, String sagaIdentifier) {
            Entry<S> stored = super.loadSaga(sagaType, sagaIdentifier);
            if (stored == null) {
                return null;
            }
            Counter copy = new Counter();
            copy.events = ((Counter) stored.saga()).events;
            @SuppressWarnings("unchecked")
            S saga = (S) copy;
            return new Entry<>() {
                @Override
                public Set<AssociationValue> associationValues() {
                    return stored.associationValues();
                }

                @Override
                public S saga() {
                    return saga;
                }
            };
        }
    }

    @Test
    void findsASagaCreatedAfterAnotherThreadLookedForItAndFoundNone() {
        assertThat(store.findSagas(Counter.class, ORDER)).isEmpty(); // another segment looks while it is created

        database.insertSaga(Counter.class, "saga-1", new Counter(), Set.of(ORDER)); // ... and then it is committed

        assertThat(store.findSagas(Counter.class, ORDER)).containsExactly("saga-1");
    }

    @Test
    void readsASagaAgainFromTheDatabaseAfterAUnitOfWorkThatChangedItIsRolledBack() {
        database.insertSaga(Counter.class, "saga-1", new Counter(), Set.of(ORDER));
        UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
        Counter inCache = store.loadSaga(Counter.class, "saga-1").saga();
        inCache.events++; // a handler changes the saga, then the batch fails

        unitOfWork.rollback();

        Counter afterRollback = store.loadSaga(Counter.class, "saga-1").saga();
        assertThat(afterRollback).isNotSameAs(inCache);
        assertThat(afterRollback.events).isZero();
    }

    @Test
    void keepsASagaInMemoryBetweenUnitsOfWorkThatCommit() {
        database.insertSaga(Counter.class, "saga-1", new Counter(), Set.of(ORDER));
        DefaultUnitOfWork.startAndGet(null).execute(() -> store.loadSaga(Counter.class, "saga-1"));

        database.deleteSaga(Counter.class, "saga-1", Set.of(ORDER)); // not read again: it is in memory

        assertThat(store.loadSaga(Counter.class, "saga-1")).isNotNull();
        store.clear();
        assertThat(store.loadSaga(Counter.class, "saga-1")).isNull();
    }
}
