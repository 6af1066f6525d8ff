package io.ordersaga.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The app as a user runs it, started and stopped by the benchmark: the all-in-one jar ({@code java -jar
 * standalone/target/order-saga-standalone.jar}, default heap), or the five services ({@code bin/run-services}), on
 * the benchmark's database ({@code SPRING_DATASOURCE_URL}), logging to {@code target/benchmark/}. Everything it
 * started it stops by process id, also when the benchmark fails or is interrupted.
 */
final class SystemUnderTest implements AutoCloseable {

    static final Path ALL_IN_ONE_JAR = Path.of("standalone", "target", "order-saga-standalone.jar");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    /** The first retry of a failed charge after 30 minutes: a gateway known to be down for a while. */
    static final String PATIENT_CHARGE = "{\"ordersaga\":{\"saga\":{\"steps\":{\"CHARGE_PAYMENT\":"
            + "{\"initial-interval\":\"30m\",\"max-interval\":\"30m\",\"max-attempts\":3}}}}}";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern HEAP_USED = Pattern.compile("\\bused (\\d+)K");

    private final Process process;
    private final boolean services;
    private final int port;
    private final String operatorToken;

    private SystemUnderTest(Process process, boolean services, int port, String operatorToken) {
        this.process = process;
        this.services = services;
        this.port = port;
        this.operatorToken = operatorToken;
    }

    /** Starts the app and waits until every process answers its health check. */
    static SystemUnderTest start(Options options, Database database, Path logs) throws IOException {
        Files.createDirectories(logs);
        int port = options.port() > 0 ? options.port() : freePorts(options.services() ? 5 : 1);
        ProcessBuilder builder = options.services()
                ? new ProcessBuilder("bin/run-services")
                : new ProcessBuilder(javaCommand(), "-jar", ALL_IN_ONE_JAR.toString());
        Map<String, String> environment = builder.environment();
        // the operator credential on /admin/* (the payment outage is injected there): one for the run
        String operatorToken = UUID.randomUUID().toString();
        environment.put("ORDERSAGA_ADMIN_TOKEN", operatorToken);
        environment.put("SPRING_DATASOURCE_URL", database.appUrl());
        environment.put("SPRING_DATASOURCE_USERNAME", database.user());
        database.password().ifPresent(password -> environment.put("SPRING_DATASOURCE_PASSWORD", password));
        if (options.services()) {
            environment.put("ORDERSAGA_BASE_PORT", String.valueOf(port));
            environment.put("ORDERSAGA_LOG_DIR", logs.toAbsolutePath().toString());
        } else {
            environment.put("SERVER_PORT", String.valueOf(port));
            // the heap is measured with orders waiting in a payment outage: a patient policy for the charge keeps
            // them in their backoff (nothing else in the run fails a payment, so nothing else sees it)
            environment.put("SPRING_APPLICATION_JSON", PATIENT_CHARGE);
        }
        Path log = logs.resolve(options.services() ? "run-services.log" : "app.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        SystemUnderTest app = new SystemUnderTest(builder.start(), options.services(), port, operatorToken);
        try {
            app.awaitHealthy(log);
        } catch (IOException | RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /** The operator credential the app was started with ({@code Authorization: Bearer} on {@code /admin/*}). */
    String operatorToken() {
        return operatorToken;
    }

    /** Where orders go (the order service). */
    URI orders() {
        return URI.create("http://localhost:" + port);
    }

    /** Where stock is set (the inventory service). */
    URI inventory() {
        return URI.create("http://localhost:" + (services ? port + 1 : port));
    }

    /** Where payment faults are injected (the payment service). */
    URI payment() {
        return URI.create("http://localhost:" + (services ? port + 2 : port));
    }

    /** The JVMs of the app: one, or the five services. */
    List<Long> jvmPids() {
        if (!services) {
            return List.of(process.pid());
        }
        return process.descendants()
                .filter(child -> child.info().command().map(command -> command.endsWith("/java")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    /** Used heap of the all-in-one JVM right after full garbage collections, in bytes. */
    long heapAfterGc() throws IOException {
        String pid = String.valueOf(process.pid());
        jcmd(pid, "GC.run");
        jcmd(pid, "GC.run");
        return heapUsed(jcmd(pid, "GC.heap_info")).orElseThrow(
                () -> new IllegalStateException("jcmd GC.heap_info did not say how much heap is used"));
    }

    /** The used heap in {@code jcmd GC.heap_info}'s first line (the whole heap), in bytes. */
    static OptionalLong heapUsed(String heapInfo) {
        Matcher matcher = HEAP_USED.matcher(heapInfo);
        return matcher.find() ? OptionalLong.of(Long.parseLong(matcher.group(1)) * 1024) : OptionalLong.empty();
    }

    /** Stops the app (SIGTERM, as Ctrl-C would; run-services then stops its services), forcibly if it hangs. */
    @Override
    public void close() {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                System.err.println("The app did not stop within " + STOP_TIMEOUT.toSeconds() + " s; killing it");
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        started.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private void awaitHealthy(Path log) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Integer> ports = services ? IntStream.range(port, port + 5).boxed().toList() : List.of(port);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (int servicePort : ports) {
            while (!healthy(http, servicePort)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The app stopped while starting; see " + log);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The app did not start within " + START_TIMEOUT.toMinutes()
                            + " min; see " + log);
                }
                pause(Duration.ofMillis(500));
            }
        }
    }

    private static boolean healthy(HttpClient http, int port) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/actuator/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String jcmd(String pid, String command) throws IOException {
        Path jcmd = Path.of(javaCommand()).resolveSibling("jcmd");
        Process process = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", pid, command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (process.waitFor() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }

    /** The java that runs the benchmark runs the app too. */
    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The first of {@code count} consecutive free ports, from 9180 on (clear of the ports the app and tests use). */
    private static int freePorts(int count) {
        for (int first = 9180; first < 9980; first += count) {
            int candidate = first;
            if (IntStream.range(candidate, candidate + count).allMatch(SystemUnderTest::free)) {
                return candidate;
            }
        }
        throw new IllegalStateException("No " + count + " free consecutive ports between 9180 and 9980");
    }

    private static boolean free(int port) {
        try {
            new ServerSocket(port).close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
