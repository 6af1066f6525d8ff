package io.ordersaga.systemtests.support;

import io.ordersaga.systemtests.support.Deployment.Instance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.awaitility.Awaitility.await;

/**
 * Kills and restarts, on a plan drawn from a seeded {@link Random}: every {@code killEvery} (a range) one of the
 * instances that are up, chosen at random, is killed with SIGKILL and started again {@code restartAfter} (a range)
 * later, until it is told to stop or has killed {@code maxKills} times — unless {@code maxDown} instances are down
 * already, then that kill is skipped; and PostgreSQL is stopped as a crash would ({@code pg_ctl stop -m immediate}) at planned moments and started
 * again {@code databaseDownFor} (a range) later, on the same folder and port.
 *
 * <p>Every action runs on one scheduler thread at the moment planned for it; a restarted instance is watched on a
 * thread of its own until it is up. Like a process supervisor, the watcher starts an instance again when it exits
 * while starting (it cannot start while the database is down) — such a start is counted, not hidden.
 */
public final class ChaosMonkey implements AutoCloseable {

    /** A range of seconds, {@code from} to {@code to}, both included. */
    public record Seconds(double from, double to) {

        /** Parses {@code "5-15"} or {@code "7"}. */
        public static Seconds parse(String range) {
            String[] bounds = range.split("-");
            double from = Double.parseDouble(bounds[0].strip());
            double to = bounds.length > 1 ? Double.parseDouble(bounds[1].strip()) : from;
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("Not a range of seconds: " + range);
            }
            return new Seconds(from, to);
        }

        Duration draw(Random random) {
            return Duration.ofMillis((long) ((from + random.nextDouble() * (to - from)) * 1000));
        }

        @Override
        public String toString() {
            return from == to ? fmt(from) + " s" : fmt(from) + "–" + fmt(to) + " s";
        }

        private static String fmt(double seconds) {
            return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
        }
    }

    private static final int STARTS_PER_RESTART = 5;

    private final Deployment deployment;
    private final List<Instance> instances;
    private final Random random;
    private final Seconds killEvery;
    private final int maxKills;
    private final int maxDown;
    private final Seconds restartAfter;
    private final Seconds databaseDownFor;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "chaos-monkey"));
    private final ExecutorService watchers = Executors.newCachedThreadPool(
            runnable -> daemon(runnable, "chaos-watcher"));
    private final Set<Instance> up = ConcurrentHashMap.newKeySet();
    private final AtomicInteger restarting = new AtomicInteger();
    private final AtomicInteger databaseRestartsPending = new AtomicInteger();
    private final Map<String, Integer> kills = new ConcurrentHashMap<>();
    private final AtomicInteger databaseRestarts = new AtomicInteger();
    private final AtomicInteger failedStarts = new AtomicInteger();
    private final AtomicInteger skippedKills = new AtomicInteger();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Instant begin = Instant.now();
    private volatile boolean killing = true;
    private volatile Instant lastRestart;

    /**
     * @param maxKills how many kills at most; 0 for as many as there is time for
     * @param maxDown  how many instances may be down (killed, or not up again yet) at once; a kill due while that many
     *                 are down is skipped (and counted); 0 for no limit
     */
    public ChaosMonkey(Deployment deployment, List<Instance> instances, Random random, Seconds killEvery,
                       int maxKills, int maxDown, Seconds restartAfter, Seconds databaseDownFor) {
        this.deployment = deployment;
        this.instances = List.copyOf(instances);
        this.random = random;
        this.killEvery = killEvery;
        this.maxKills = maxKills;
        this.maxDown = maxDown;
        this.restartAfter = restartAfter;
        this.databaseDownFor = databaseDownFor;
        up.addAll(instances);
    }

    /** Starts killing, and plans a stop of PostgreSQL at each of the moments given (from now). */
    public ChaosMonkey start(List<Duration> databaseRestartsAt) {
        for (Duration at : databaseRestartsAt) {
            databaseRestartsPending.incrementAndGet();
            schedule(at, this::stopDatabase);
        }
        schedule(killEvery.draw(random), this::killOne);
        return this;
    }

    /**
     * Stops killing as soon as {@code enough} is true and every planned restart of PostgreSQL is done; waits until
     * every instance is up again, and returns the moment the last restart was done (the last instance or PostgreSQL
     * back up).
     */
    public Instant stopWhen(BooleanSupplier enough, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200))
                .until(() -> !failed() && enough.getAsBoolean() && databaseRestartsPending.get() == 0);
        killing = false;
        // the scheduler runs what is under way to its end, restarts included
        await().atMost(Deployment.START_WITHIN.multipliedBy(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> !failed() && restarting.get() == 0 && up.size() == instances.size());
        scheduler.shutdown();
        return lastRestart == null ? begin : lastRestart;
    }

    public Map<String, Integer> kills() {
        Map<String, Integer> byInstance = new TreeMap<>();
        instances.forEach(instance -> byInstance.put(instance.instance(), kills.getOrDefault(instance.instance(), 0)));
        return byInstance;
    }

    public int killCount() {
        return kills.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int databaseRestarts() {
        return databaseRestarts.get();
    }

    /** Kills that were due while {@code maxDown} instances were down already. */
    public int skippedKills() {
        return skippedKills.get();
    }

    /** Starts of a restarted instance that exited before it was up (and were started again). */
    public int failedStarts() {
        return failedStarts.get();
    }

    @Override
    public void close() {
        killing = false;
        scheduler.shutdownNow();
        watchers.shutdownNow();
        try {
            scheduler.awaitTermination(90, TimeUnit.SECONDS);
            watchers.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Throws what went wrong in an action of the monkey, if anything did. */
    private boolean failed() {
        if (!failures.isEmpty()) {
            throw new IllegalStateException("The chaos monkey failed", failures.get(0));
        }
        return false;
    }

    private void killOne() {
        if (!killing || (maxKills > 0 && killCount() >= maxKills)) {
            return;
        }
        List<Instance> candidates = instances.stream().filter(up::contains).toList();
        int down = instances.size() - candidates.size();
        if (maxDown > 0 && down >= maxDown) {
            skippedKills.incrementAndGet();
            log("no kill: %d instances are down already", down);
        } else if (!candidates.isEmpty()) {
            Instance victim = candidates.get(random.nextInt(candidates.size()));
            up.remove(victim);
            restarting.incrementAndGet();
            long pid = deployment.pid(victim);
            deployment.kill(victim);
            kills.merge(victim.instance(), 1, Integer::sum);
            Duration after = restartAfter.draw(random);
            log("killed %s (pid %d); restart in %.1f s", victim.instance(), pid, after.toMillis() / 1000.0);
            schedule(after, () -> restart(victim));
        }
        schedule(killEvery.draw(random), this::killOne);
    }

    private void restart(Instance instance) {
        deployment.launch(instance);
        log("started %s (pid %d)", instance.instance(), deployment.pid(instance));
        watchers.execute(() -> watch(instance));
    }

    /** Waits until the instance is up; starts it again when it exits first, at most a few times. */
    private void watch(Instance instance) {
        try {
            for (int start = 1; ; start++) {
                await().atMost(Deployment.START_WITHIN).pollInterval(Duration.ofSeconds(1))
                        .until(() -> deployment.isUp(instance) || !deployment.isRunning(instance));
                if (deployment.isRunning(instance)) {
                    break;
                }
                failedStarts.incrementAndGet();
                if (start == STARTS_PER_RESTART) {
                    throw new IllegalStateException(instance.instance() + " exited " + start
                            + " times while starting; see its logs in " + deployment.work().resolve("logs"));
                }
                log("%s exited while starting; starting it again once the database is up", instance.instance());
                await().atMost(Deployment.START_WITHIN).pollInterval(Duration.ofMillis(200))
                        .until(deployment::isDatabaseRunning);
                deployment.launch(instance);
            }
            restarted();
            up.add(instance);
            log("%s is up", instance.instance());
        } catch (RuntimeException e) {
            failures.add(e);
        } finally {
            restarting.decrementAndGet();
        }
    }

    private void stopDatabase() {
        deployment.stopDatabaseImmediately();
        databaseRestarts.incrementAndGet();
        Duration downFor = databaseDownFor.draw(random);
        log("stopped PostgreSQL immediately; start in %.1f s", downFor.toMillis() / 1000.0);
        schedule(downFor, () -> {
            deployment.startDatabaseAgain();
            restarted();
            databaseRestartsPending.decrementAndGet();
            log("started PostgreSQL again");
        });
    }

    private synchronized void restarted() {
        lastRestart = Instant.now();
    }

    private void schedule(Duration after, Runnable action) {
        scheduler.schedule(() -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                failures.add(e);
                log("failed: %s", e);
            }
        }, after.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void log(String format, Object... arguments) {
        System.out.printf("[chaos] %6.1f s  %s%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0,
                String.format(format, arguments));
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
