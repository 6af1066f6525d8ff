package io.ordersaga.platform.distributed;

import org.axonframework.common.AxonThreadFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.cloud.client.discovery.event.InstanceRegisteredEvent;
import org.springframework.cloud.client.serviceregistry.Registration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Axon's Spring Cloud command router learns who handles which commands only on discovery events, and static
 * discovery publishes none: this announces the local instance once the app is ready, then publishes a heartbeat at
 * a fixed interval, on which the router asks every instance again for the commands it handles — so a service that
 * went down drops out of the routing within one interval, and one that came back is routed to again.
 */
class MembershipAnnouncer implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {

    private final ApplicationEventPublisher events;
    private final Registration self;
    private final Duration interval;
    private final AtomicLong beats = new AtomicLong();
    private final ScheduledExecutorService heartbeat =
            Executors.newSingleThreadScheduledExecutor(new AxonThreadFactory("membership-heartbeat"));

    MembershipAnnouncer(ApplicationEventPublisher events, Registration self, Duration interval) {
        this.events = events;
        this.self = self;
        this.interval = interval;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        events.publishEvent(new InstanceRegisteredEvent<>(this, self));
        heartbeat.scheduleWithFixedDelay(() -> events.publishEvent(new HeartbeatEvent(this, beats.incrementAndGet())),
                interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        heartbeat.shutdownNow();
    }
}
