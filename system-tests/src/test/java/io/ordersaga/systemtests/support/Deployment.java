package io.ordersaga.systemtests.support;

import io.ordersaga.embeddedpostgres.EmbeddedPostgresServer;
import io.ordersaga.embeddedpostgres.EmbeddedPostgresServer.Durability;
import io.ordersaga.standalone.support.Api;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;

/**
 * The per-service deployment on this machine: one PostgreSQL, and each service as a JVM of its own started with
 * {@code bin/run-service} — the launcher the README gives — on a block of ports of its own, so that nothing a
 * developer runs on 8080 is disturbed and two deployments at once (the tests of two checkouts on one machine) never
 * answer each other's requests. The block lies below the kernel's ephemeral ports: no outgoing connection takes the
 * port of a process or of PostgreSQL while it is down, so each starts again on its own.
 */
public final class Deployment implements AutoCloseable {

    /**
     * One process: a service, on the port {@code offset} places in the deployment's block. {@code instance} tells two
     * instances of one service apart.
     */
    public record Instance(String service, String instance, int offset) {
    }

    public static final Instance ORDER = new Instance("order-service", "order-service", 0);
    public static final Instance INVENTORY = new Instance("inventory-service", "inventory-service", 1);
    public static final Instance PAYMENT = new Instance("payment-service", "payment-service", 2);
    public static final Instance SHIPPING = new Instance("shipping-service", "shipping-service", 3);
    public static final Instance NOTIFICATION = new Instance("notification-service", "notification-service", 4);
    public static final Instance SECOND_PAYMENT = new Instance("payment-service", "payment-service-2", 12);
    public static final List<Instance> ALL = List.of(ORDER, INVENTORY, PAYMENT, SHIPPING, NOTIFICATION, SECOND_PAYMENT);
    /** A JVM starts in 15-40 s on 2 quiet cores; six at once on a machine busy with other builds took over 3 minutes. */
    public static final Duration START_WITHIN = Duration.ofMinutes(5);

    private static final int BLOCK = 20;
    private static final int POSTGRES_OFFSET = BLOCK - 1;

    private final int basePort = freeBlock();
    private final Path root = Path.of(System.getProperty("ordersaga.root", "..")).toAbsolutePath().normalize();
    private final Path work = root.resolve("system-tests/target/deployment-" + UUID.randomUUID().toString()
            .substring(0, 8));
    private final String secret = UUID.randomUUID().toString();
    private final String adminToken = UUID.randomUUID().toString();
    private final Durability durability;
    private final Map<Instance, Process> processes = new LinkedHashMap<>();
    private final Map<Instance, Integer> starts = new LinkedHashMap<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private EmbeddedPostgresServer postgres;
    private boolean closed;
    /** Stops what this deployment started should the test's JVM be stopped before the test closes it (Ctrl-C). */
    private final Thread stopOnExit = new Thread(this::close, "deployment-stop");

    /** On a database that keeps nothing when PostgreSQL itself crashes: for tests that never stop it. */
    public Deployment() {
        this(Durability.NONE);
    }

    public Deployment(Durability durability) {
        this.durability = durability;
    }

    /** Sets environment variables for every service process started from now on (say, where to send traces). */
    public Deployment withEnvironment(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    public Deployment start() {
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        postgres = EmbeddedPostgresServer.start(work.resolve("postgres"), basePort + POSTGRES_OFFSET, durability);
        ALL.forEach(this::launch);
        ALL.forEach(this::awaitUp);
        return this;
    }

    /** The credential the services share; without it their command endpoints refuse every call. */
    public String secret() {
        return secret;
    }

    /** The operator credential: without it the services' {@code /admin/*} endpoints refuse every call. */
    public String adminToken() {
        return adminToken;
    }

    /** The project's scripts ({@code bin/}). */
    public Path bin(String script) {
        return root.resolve("bin").resolve(script);
    }

    public int port(Instance instance) {
        return basePort + instance.offset();
    }

    public String uri(Instance instance) {
        return "http://localhost:" + port(instance);
    }

    /** The instance's HTTP interface, with the operator credential on {@code /admin/*}. */
    public Api api(Instance instance) {
        return Api.onPort(port(instance), adminToken);
    }

    public JdbcTemplate database() {
        return new JdbcTemplate(new DriverManagerDataSource(postgres.jdbcUrl(), postgres.username(), ""));
    }

    /** Where this deployment keeps its logs and its database. */
    public Path work() {
        return work;
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill(Instance instance) {
        Process process;
        synchronized (this) {
            process = processes.remove(instance);
        }
        if (process == null) {
            throw new IllegalStateException(instance.instance() + " is not running");
        }
        process.destroyForcibly();
        waitFor(process);
    }

    public void start(Instance instance) {
        launch(instance);
        awaitUp(instance);
    }

    /** Starts the instance's process and returns at once; {@link #isUp} tells when it serves requests. */
    public synchronized void launch(Instance instance) {
        if (closed) {
            throw new IllegalStateException("The deployment is closed: " + instance.instance() + " is not started");
        }
        processes.put(instance, startProcess(instance, starts.merge(instance, 1, Integer::sum)));
    }

    /** Whether the instance's process is alive (it may still be starting). */
    public synchronized boolean isRunning(Instance instance) {
        Process process = processes.get(instance);
        return process != null && process.isAlive();
    }

    /** Whether the instance answers its health check with 200 (up, database and event processors included). */
    public boolean isUp(Instance instance) {
        try {
            return api(instance).get("/actuator/health").status() == 200;
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    /** The process id of the instance's current process. */
    public synchronized long pid(Instance instance) {
        return processes.get(instance).pid();
    }

    /** PostgreSQL stopped as a crash would ({@code pg_ctl stop -m immediate}); the services stay up. */
    public void stopDatabaseImmediately() {
        postgres.stopImmediately();
    }

    /** PostgreSQL started again on the same data folder and port, after {@link #stopDatabaseImmediately()}. */
    public void startDatabaseAgain() {
        postgres.startAgain();
    }

    public boolean isDatabaseRunning() {
        return postgres.isRunning();
    }

    /** Every log line any start of this instance wrote. */
    public List<String> log(Instance instance) {
        List<String> lines = new ArrayList<>();
        int started;
        synchronized (this) {
            started = starts.getOrDefault(instance, 0);
        }
        for (int start = 1; start <= started; start++) {
            try {
                lines.addAll(Files.readAllLines(logFile(instance, start)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    private Process startProcess(Instance instance, int start) {
        try {
            Files.createDirectories(work.resolve("logs"));
            ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/run-service").toString(), instance.service(),
                    "--server.port=" + port(instance),
                    // a list is bound from one property source: both payment instances, here
                    "--spring.cloud.discovery.client.simple.instances.payment-service[0].uri=" + uri(PAYMENT),
                    "--spring.cloud.discovery.client.simple.instances.payment-service[1].uri=" + uri(SECOND_PAYMENT))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile(instance, start).toFile());
            Map<String, String> environment = builder.environment();
            environment.put("SPRING_DATASOURCE_URL", postgres.jdbcUrl());
            environment.put("SPRING_DATASOURCE_USERNAME", postgres.username());
            environment.put("ORDERSAGA_DISTRIBUTED_SECRET", secret);
            environment.put("ORDERSAGA_ADMIN_TOKEN", adminToken);
            environment.put("ORDERSAGA_SELF_URI", uri(instance));
            environment.put("ORDER_SERVICE_URI", uri(ORDER));
            environment.put("INVENTORY_SERVICE_URI", uri(INVENTORY));
            environment.put("PAYMENT_SERVICE_URI", uri(PAYMENT));
            environment.put("SHIPPING_SERVICE_URI", uri(SHIPPING));
            environment.put("NOTIFICATION_SERVICE_URI", uri(NOTIFICATION));
            environment.putAll(this.environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitUp(Instance instance) {
        Process process;
        int start;
        synchronized (this) {
            process = processes.get(instance);
            start = starts.get(instance);
        }
        await().atMost(START_WITHIN).pollInterval(Duration.ofSeconds(1))
                .failFast(instance.instance() + " exited; see " + logFile(instance, start), () -> !process.isAlive())
                .until(() -> isUp(instance));
    }

    private Path logFile(Instance instance, int start) {
        return work.resolve("logs").resolve(instance.instance() + "-" + start + ".log");
    }

    /** A block of ports from 20000 to 31999 (below the ephemeral ports, 32768 up) where every port is free now. */
    private static int freeBlock() {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + random.nextInt(600) * BLOCK;
            if (IntStream.range(base, base + BLOCK).allMatch(Deployment::isFree)) {
                return base;
            }
        }
        throw new IllegalStateException("No block of " + BLOCK + " free ports from 20000 to 31999");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    private static void waitFor(Process process) {
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("A service did not exit within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops every service (SIGTERM, as a deployment would), then the database. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != stopOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: this close comes first, the hook's finds it done
            }
        }
        processes.values().forEach(Process::destroy);
        processes.values().forEach(process -> {
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        processes.clear();
        if (postgres != null) {
            postgres.close();
        }
    }
}
