package io.ordersaga.platform.axon;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Processes that share one event store tell each other when they have stored events, with PostgreSQL's
 * {@code LISTEN}/{@code NOTIFY}: a service reads another's events as soon as they are committed instead of at its
 * next poll of the event store (the fetch delay, which stays as the fallback).
 *
 * <p>The notice is sent after the events are committed, on a connection of its own and outside the transaction that
 * stored them: a transaction that notifies holds a global lock while it commits, which would line up every commit of
 * the system behind one another. Notices coalesce: while one is being sent, any number of commits ask for one more.
 * Both connections are re-opened after the database restarts. Off in the all-in-one app, where there is no other
 * process to tell ({@code ordersaga.event-store.notifications}).
 */
public class EventStoreNotifications implements AutoCloseable {

    static final String CHANNEL = "ordersaga_events";
    private static final Logger log = LoggerFactory.getLogger(EventStoreNotifications.class);
    private static final long RECONNECT_MILLIS = 1000;

    private final DataSource dataSource;
    private final WakeableEventStore eventStore;
    private final Semaphore stored = new Semaphore(0);
    private final Thread listener;
    private final Thread notifier;
    private volatile boolean closed;

    public EventStoreNotifications(DataSource dataSource, WakeableEventStore eventStore) {
        this.dataSource = dataSource;
        this.eventStore = eventStore;
        this.listener = new Thread(this::listen, "event-store-listener");
        this.notifier = new Thread(this::notifyOthers, "event-store-notifier");
    }

    public void start() {
        eventStore.onEventsStored(() -> {
            if (stored.availablePermits() == 0) {
                stored.release();
            }
        });
        listener.setDaemon(true);
        notifier.setDaemon(true);
        listener.start();
        notifier.start();
    }

    private void listen() {
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                eventStore.wakeUp(); // whatever was stored while nobody listened
                while (!closed) {
                    PGNotification[] notices = postgres.getNotifications(1000);
                    if (notices != null && notices.length > 0) {
                        eventStore.wakeUp();
                    }
                }
                try (Statement statement = connection.createStatement()) {
                    statement.execute("UNLISTEN *");
                }
            } catch (SQLException e) {
                pauseAfter("listening", e);
            }
        }
    }

    private void notifyOthers() {
        while (!closed) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                while (!closed) {
                    if (stored.tryAcquire(1, TimeUnit.SECONDS)) {
                        try (Statement statement = connection.createStatement()) {
                            statement.execute("NOTIFY " + CHANNEL);
                        }
                    }
                }
            } catch (SQLException e) {
                pauseAfter("notifying", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void pauseAfter(String what, SQLException e) {
        if (closed) {
            return;
        }
        log.warn("Event store notifications: {} failed ({}); the fetch delay covers it, retrying in {} ms", what,
                e.getMessage(), RECONNECT_MILLIS);
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
        notifier.interrupt();
    }
}
