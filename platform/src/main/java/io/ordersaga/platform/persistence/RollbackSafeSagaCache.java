package io.ordersaga.platform.persistence;

import org.axonframework.common.caching.Cache;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.saga.AssociationValue;
import org.axonframework.modelling.saga.AssociationValues;
import org.axonframework.modelling.saga.repository.CachingSagaStore;
import org.axonframework.modelling.saga.repository.SagaStore;

import java.util.Set;

/**
 * Sagas and their associations kept in memory between events, so that a saga's event costs one write instead of
 * three reads and a write. Axon's {@link CachingSagaStore} hands out the cached saga itself, which its handlers then
 * change in place, and caches a saga's new state before the transaction that stores it commits; so here, whenever a
 * unit of work that touched a saga is rolled back, both caches are emptied and the sagas are read again from the
 * database, as they were committed. {@link #clear()} does the same when this process takes over saga segments from
 * another (which may have moved those sagas on meanwhile).
 *
 * <p>An association is cached only once a saga has it. Every segment of the saga's processor looks the associations
 * of every event up, and one may look while another is still creating the saga (not yet committed): the empty answer
 * it gets must not be kept, or the saga would never receive another event.
 */
public class RollbackSafeSagaCache<T> implements SagaStore<T> {

    private static final String EVICTION_REGISTERED = RollbackSafeSagaCache.class.getName() + ".eviction";

    private final SagaStore<T> cached;
    private final Cache sagas;
    private final Cache associations;

    public RollbackSafeSagaCache(SagaStore<T> delegate, Cache sagas, Cache associations) {
        this.cached = CachingSagaStore.<T>builder()
                .delegateSagaStore(delegate)
                .sagaCache(sagas)
                .associationsCache(new FoundOnly(associations))
                .build();
        this.sagas = sagas;
        this.associations = associations;
    }

    /** Forgets every cached saga and association. */
    public void clear() {
        sagas.removeAll();
        associations.removeAll();
    }

    @Override
    public Set<String> findSagas(Class<? extends T> sagaType, AssociationValue associationValue) {
        clearOnRollback();
        return cached.findSagas(sagaType, associationValue);
    }

    @Override
    public <S extends T> Entry<S> loadSaga(Class<S> sagaType, String sagaIdentifier) {
        clearOnRollback();
        return cached.loadSaga(sagaType, sagaIdentifier);
    }

    @Override
    public void deleteSaga(Class<? extends T> sagaType, String sagaIdentifier,
                           Set<AssociationValue> associationValues) {
        clearOnRollback();
        cached.deleteSaga(sagaType, sagaIdentifier, associationValues);
    }

    @Override
    public void insertSaga(Class<? extends T> sagaType, String sagaIdentifier, T saga,
                           Set<AssociationValue> associationValues) {
        clearOnRollback();
        cached.insertSaga(sagaType, sagaIdentifier, saga, associationValues);
    }

    @Override
    public void updateSaga(Class<? extends T> sagaType, String sagaIdentifier, T saga,
                           AssociationValues associationValues) {
        clearOnRollback();
        cached.updateSaga(sagaType, sagaIdentifier, saga, associationValues);
    }

    /** Keeps a looked-up set of sagas only when it has any. */
    private record FoundOnly(Cache cache) implements Cache {

        @Override
        public <T> T computeIfAbsent(Object key, java.util.function.Supplier<T> lookup) {
            T found = cache.get(key);
            if (found != null) {
                return found;
            }
            found = lookup.get();
            if (!(found instanceof java.util.Collection<?> sagas) || !sagas.isEmpty()) {
                cache.putIfAbsent(key, found);
            }
            return found;
        }

        @Override
        public <K, V> V get(K key) {
            return cache.get(key);
        }

        @Override
        public void put(Object key, Object value) {
            cache.put(key, value);
        }

        @Override
        public boolean putIfAbsent(Object key, Object value) {
            return cache.putIfAbsent(key, value);
        }

        @Override
        public boolean remove(Object key) {
            return cache.remove(key);
        }

        @Override
        public void removeAll() {
            cache.removeAll();
        }

        @Override
        public boolean containsKey(Object key) {
            return cache.containsKey(key);
        }

        @Override
        public <V> void computeIfPresent(Object key, java.util.function.UnaryOperator<V> update) {
            cache.computeIfPresent(key, update);
        }

        @Override
        public org.axonframework.common.Registration registerCacheEntryListener(EntryListener listener) {
            return cache.registerCacheEntryListener(listener);
        }
    }

    private void clearOnRollback() {
        if (CurrentUnitOfWork.isStarted()) {
            UnitOfWork<?> root = CurrentUnitOfWork.get().root();
            root.getOrComputeResource(EVICTION_REGISTERED, key -> {
                root.onRollback(unitOfWork -> clear());
                return Boolean.TRUE;
            });
        }
    }
}
