package io.ordersaga.platform.axon;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericTrackedEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.StreamableMessageSource;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LingeringEventSourceTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final Deque<TrackedEventMessage<?>> stored = new ArrayDeque<>();
    private final LingeringEventSource source =
            new LingeringEventSource(new InMemorySource(stored), Duration.ofSeconds(10), CLOCK);

    @Test
    void aFreshEventIsNotHandedOverBeforeItHasLingered() throws InterruptedException {
        stored.add(event(1, NOW.minusSeconds(2)));
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);

        assertThat(stream.hasNextAvailable(20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(stream.peek()).as("the event stays where it is").isPresent();
    }

    @Test
    void anEventOldEnoughIsHandedOverAtOnceAndTheYoungerOnesBehindItGoInTheSameBatch() throws InterruptedException {
        stored.add(event(1, NOW.minusSeconds(11)));
        stored.add(event(2, NOW.minusMillis(5)));
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);

        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(stream.nextAvailable().trackingToken()).isEqualTo(new GlobalSequenceTrackingToken(1));
        assertThat(stream.peek()).map(TrackedEventMessage::trackingToken)
                                 .contains(new GlobalSequenceTrackingToken(2));
    }

    @Test
    void anEventStampedInTheFutureWaitsNoLongerThanTheLingerFromWhenItWasFirstSeen() throws InterruptedException {
        MovableClock clock = new MovableClock(NOW);
        LingeringEventSource source = new LingeringEventSource(new InMemorySource(stored), Duration.ofSeconds(10),
                                                               clock);
        stored.add(event(1, NOW.plus(Duration.ofHours(1))));
        BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);

        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        clock.now = NOW.plusSeconds(9);
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
        clock.now = NOW.plusSeconds(10);
        assertThat(stream.hasNextAvailable(0, TimeUnit.MILLISECONDS)).as("ten seconds after it was first seen")
                                                                      .isTrue();
    }

    @Test
    void noStreamNoWait() throws InterruptedException {
        assertThat(source.openStream(null).hasNextAvailable(0, TimeUnit.MILLISECONDS)).isFalse();
    }

    private static TrackedEventMessage<?> event(long position, Instant at) {
        return new GenericTrackedEventMessage<>(new GlobalSequenceTrackingToken(position),
                                                new GenericMessage<>("event " + position), () -> at);
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private record InMemorySource(Deque<TrackedEventMessage<?>> events)
            implements StreamableMessageSource<TrackedEventMessage<?>> {

        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
            return new BlockingStream<>() {
                @Override
                public Optional<TrackedEventMessage<?>> peek() {
                    return Optional.ofNullable(events.peekFirst());
                }

                @Override
                public boolean hasNextAvailable(int timeout, TimeUnit unit) {
                    return !events.isEmpty();
                }

                @Override
                public TrackedEventMessage<?> nextAvailable() {
                    return events.removeFirst();
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public TrackingToken createTailToken() {
            return null;
        }

        @Override
        public TrackingToken createHeadToken() {
            return null;
        }

        @Override
        public TrackingToken createTokenAt(Instant dateTime) {
            return null;
        }
    }
}
