package io.ordersaga.order.saga;

import org.axonframework.eventhandling.scheduling.EventScheduler;
import org.axonframework.eventhandling.scheduling.ScheduleToken;
import org.axonframework.test.saga.SagaTestFixture;

import java.lang.reflect.Field;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** The saga's alarms on a test fixture's event scheduler, so that {@code whenTimeElapses} sets them off. */
final class FixtureAlarms implements SagaAlarms {

    /**
     * The fixture's own event scheduler: the one {@code whenTimeElapses} moves on and {@code expectScheduledEvent}
     * reads. The fixture offers it to handlers as a resource but has no getter for it.
     */
    static FixtureAlarms of(SagaTestFixture<?> fixture) {
        try {
            Field field = SagaTestFixture.class.getDeclaredField("eventScheduler");
            field.setAccessible(true);
            return new FixtureAlarms((EventScheduler) field.get(fixture));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("This version of Axon's SagaTestFixture keeps its scheduler elsewhere", e);
        }
    }

    private final EventScheduler scheduler;
    private final Map<String, ScheduleToken> tokens = new HashMap<>();

    FixtureAlarms(EventScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public String schedule(Instant at, SagaAlarmEvent event) {
        String id = UUID.randomUUID().toString();
        tokens.put(id, scheduler.schedule(at, event));
        return id;
    }

    /** At the fixture's current time: a test sees it go off with {@code whenTimeElapses(Duration.ZERO)}. */
    @Override
    public void wakeNow(SagaAlarmEvent event) {
        scheduler.schedule(java.time.Duration.ZERO, event);
    }

    @Override
    public void cancel(String id) {
        ScheduleToken token = tokens.remove(id);
        if (token != null) {
            scheduler.cancelSchedule(token);
        }
    }
}
