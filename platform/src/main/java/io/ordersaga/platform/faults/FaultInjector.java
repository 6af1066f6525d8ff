package io.ordersaga.platform.faults;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Injected faults, per target: a list of outcomes, one per attempt at the target, then normal behaviour (or the
 * list again, when it repeats). Only present when {@code ordersaga.faults.enabled=true} — in the all-in-one demo,
 * never in a deployment unless switched on — and applied only at a service's edge (a command interceptor, a
 * provider adapter), never inside an aggregate.
 *
 * <p>Plans live in memory: a restart clears them.
 */
public class FaultInjector {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final Duration hang;
    private final Map<String, FaultTarget> targets = new TreeMap<>();
    private final Map<String, Plan> plans = new LinkedHashMap<>();

    /** A target's outcomes, and how many attempts have consumed them so far. */
    public record Plan(String target, List<Fault> outcomes, boolean repeat, int used) {

        Plan next() {
            return new Plan(target, outcomes, repeat, used + 1);
        }

        boolean exhausted() {
            return !repeat && used >= outcomes.size();
        }

        Fault current() {
            return outcomes.get(used % outcomes.size());
        }
    }

    /**
     * @param hang how long a {@link Fault#TIMEOUT} hangs before it fails: longer than the saga's step timeout
     */
    public FaultInjector(Duration hang, List<FaultTarget> targets) {
        this.hang = hang;
        targets.forEach(target -> this.targets.put(target.name(), target));
    }

    public Map<String, FaultTarget> targets() {
        return Map.copyOf(targets);
    }

    /** Replaces the target's plan. */
    public synchronized Plan plan(String target, List<Fault> outcomes, boolean repeat) {
        FaultTarget known = targets.get(target);
        if (known == null) {
            throw new IllegalArgumentException("Unknown fault target '" + target + "'; known: " + targets.keySet());
        }
        if (outcomes.isEmpty()) {
            throw new IllegalArgumentException("A fault plan needs at least one outcome");
        }
        List<Fault> unsupported = outcomes.stream().filter(fault -> !known.supported().contains(fault)).toList();
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(target + " cannot be made " + Set.copyOf(unsupported)
                    + "; it supports " + known.supported());
        }
        Plan plan = new Plan(target, List.copyOf(outcomes), repeat, 0);
        plans.put(target, plan);
        log.warn("Fault injection: {} will answer {}{}", target, outcomes, repeat ? ", repeating" : "");
        return plan;
    }

    public synchronized void clear() {
        plans.clear();
        log.warn("Fault injection: all faults cleared");
    }

    public synchronized List<Plan> plans() {
        return new ArrayList<>(plans.values());
    }

    /**
     * The next attempt at {@code target}. {@code TIMEOUT} and {@code UNAVAILABLE} are acted out here: the call hangs
     * and then fails, or fails at once. Returns {@code true} when the attempt is to be {@code DECLINED} (the caller
     * answers with its own kind of refusal), {@code false} when it goes through as normal.
     */
    public boolean declines(String target) {
        Fault fault = consume(target);
        switch (fault) {
            case TIMEOUT -> {
                log.warn("Fault injection: {} hangs for {} ms, then fails", target, hang.toMillis());
                try {
                    Thread.sleep(hang.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new ServiceTimeoutException(target + " did not answer within " + hang.toMillis() + " ms");
            }
            case UNAVAILABLE -> {
                log.warn("Fault injection: {} is unavailable", target);
                throw new ServiceUnavailableException(target + " is unavailable");
            }
            case DECLINED -> {
                log.warn("Fault injection: {} declines", target);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private synchronized Fault consume(String target) {
        Plan plan = plans.get(target);
        if (plan == null || plan.exhausted()) {
            return Fault.OK;
        }
        Fault fault = plan.current();
        plans.put(target, plan.next());
        return fault;
    }
}
