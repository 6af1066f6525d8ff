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
                .associationsCache(associations)
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
