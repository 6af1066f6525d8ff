package io.ordersaga.platform.axon;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The event store as seen by a processor that is in no hurry (the audit log, the settling of ended orders): an event is
 * handed to it once it is {@code linger} old, so that the events of many orders, arriving one by one, are handled
 * in one batch — one transaction and one token write for them all, where an eager processor would commit once for
 * nearly every event. An event that is older already (a processor catching up, a replay) is handed over at once.
 *
 * <p>Only the first event of a batch waits: Axon's tracking processor then takes whatever else is there
 * ({@link BlockingStream#peek()}), up to its batch size. The wait is at most {@code linger}, whatever the clocks of
 * the processes that stored the events say.
 */
public class LingeringEventSource implements StreamableMessageSource<TrackedEventMessage<?>> {

    private final StreamableMessageSource<TrackedEventMessage<?>> events;
    private final Duration linger;
    private final Clock clock;

    public LingeringEventSource(StreamableMessageSource<TrackedEventMessage<?>> events, Duration linger, Clock clock) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("linger must not be negative: " + linger);
        }
        this.events = events;
        this.linger = linger;
        this.clock = clock;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        BlockingStream<TrackedEventMessage<?>> stream = events.openStream(trackingToken);
        return linger.isZero() ? stream : new LingeringStream(stream);
    }

    @Override
    public TrackingToken createTailToken() {
        return events.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return events.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return events.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return events.createTokenSince(duration);
    }

    private final class LingeringStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        /** The first event not handed over yet, and when it was first seen here. */
        private String headId;
        private Instant headSeenAt;

        private LingeringStream(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        /** Whether an event is there and old enough; waits for that at most {@code timeout}. */
        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            Instant deadline = clock.instant().plusMillis(unit.toMillis(timeout));
            if (!stream.hasNextAvailable(timeout, unit)) {
                return false;
            }
            Optional<TrackedEventMessage<?>> next = stream.peek();
            if (next.isEmpty()) {
                return stream.hasNextAvailable();
            }
            Instant now = clock.instant();
            TrackedEventMessage<?> head = next.get();
            if (!head.getIdentifier().equals(headId)) {
                headId = head.getIdentifier();
                headSeenAt = now;
            }
            Instant due = earliest(head.getTimestamp().plus(linger), headSeenAt.plus(linger));
            Instant wakeUp = earliest(due, deadline);
            if (wakeUp.isAfter(now)) {
                TimeUnit.MILLISECONDS.sleep(Duration.between(now, wakeUp).toMillis());
            }
            return !clock.instant().isBefore(due);
        }

        private static Instant earliest(Instant a, Instant b) {
            return a.isBefore(b) ? a : b;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return stream.peek();
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void close() {
            stream.close();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return stream.setOnAvailableCallback(callback);
        }
    }

    @Override
    public String toString() {
        return "events lingering " + linger + " in " + events;
    }
}
