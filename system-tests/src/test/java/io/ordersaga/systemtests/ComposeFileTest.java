package io.ordersaga.systemtests;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker-compose.yml, checked against the applications it runs (there is no Docker engine to start it here): every
 * service present with the port its own configuration gives, the database it is told to use, where it finds the
 * others, the credential between them, a health check, a memory limit and a JVM sized to fit it, the image built
 * from the service's executable jar in a build that resolves the dependencies in a layer of their own and builds
 * only the services; and the demo profile, with the demo's stock and fault injection.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of(System.getProperty("ordersaga.root", "..")).toAbsolutePath().normalize();
    private static final List<String> SERVICES =
            List.of("order-service", "inventory-service", "payment-service", "shipping-service", "notification-service");

    private static Map<String, Object> compose;
    private static Map<String, Integer> ports;
    private static Map<String, String> discoveryVariables;

    @BeforeAll
    static void read() throws IOException {
        compose = yaml(ROOT.resolve("docker-compose.yml"));
        ports = new LinkedHashMap<>();
        for (String service : SERVICES) {
            Map<String, Object> config = yaml(ROOT.resolve(service + "/src/main/resources/" + service + ".yml"));
            ports.put(service, (Integer) map(config, "server").get("port"));
        }
        // the environment variable through which ordersaga-services.yml is told where each service is
        String shared = Files.readString(ROOT.resolve("platform/src/main/resources/ordersaga-services.yml"));
        discoveryVariables = new LinkedHashMap<>();
        Matcher entry = Pattern.compile("(\\S+-service):\\s*\\n\\s*- uri: \\$\\{(\\w+):").matcher(shared);
        while (entry.find()) {
            discoveryVariables.put(entry.group(1), entry.group(2));
        }
    }

    @Test
    void runsPostgresAndTheFiveServices() {
        assertThat(map(compose, "services")).containsOnlyKeys("postgres", "order-service", "inventory-service",
                "payment-service", "shipping-service", "notification-service", "demo-stock");
        assertThat(map(compose, "services").entrySet().stream()
                .filter(entry -> !((Map<?, ?>) entry.getValue()).containsKey("profiles")).map(Map.Entry::getKey))
                .as("what runs without a profile").containsExactlyInAnyOrder("postgres", "order-service",
                        "inventory-service", "payment-service", "shipping-service", "notification-service");
        assertThat(discoveryVariables).containsOnlyKeys(SERVICES);
        assertThat(ports).containsEntry("order-service", 8080).containsEntry("inventory-service", 8081)
                .containsEntry("payment-service", 8082).containsEntry("shipping-service", 8083)
                .containsEntry("notification-service", 8084);
    }

    @Test
    void givesPostgresAHealthCheckAndRoomForFiveConnectionPools() {
        Map<String, Object> postgres = service("postgres");
        assertThat(map(postgres, "healthcheck").get("test").toString()).contains("pg_isready");
        assertThat(postgres.get("command").toString()).contains("max_connections=200");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"order-service", "inventory-service", "payment-service", "shipping-service",
            "notification-service"})
    void configuresEachServiceAsItsApplicationExpects(String name) {
        Map<String, Object> service = service(name);
        int port = ports.get(name);
        Map<String, Object> environment = map(service, "environment");
        Map<String, Object> database = map(service("postgres"), "environment");

        assertThat(map(map(service, "build"), "args")).containsEntry("SERVICE", name);
        assertThat(service.get("ports")).isEqualTo(List.of(port + ":" + port));
        assertThat(map(service, "healthcheck").get("test").toString()).contains("localhost:" + port + "/actuator/health");
        assertThat(map(map(service, "depends_on"), "postgres")).containsEntry("condition", "service_healthy");

        assertThat(environment)
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/" + database.get("POSTGRES_DB"))
                .containsEntry("SPRING_DATASOURCE_USERNAME", database.get("POSTGRES_USER"))
                .containsEntry("SPRING_DATASOURCE_PASSWORD", database.get("POSTGRES_PASSWORD"))
                .containsEntry("ORDERSAGA_SELF_URI", "http://" + name + ":" + port);
        assertThat(environment.get("ORDERSAGA_DISTRIBUTED_SECRET").toString())
                .as("the credential between the services, required").startsWith("${ORDERSAGA_DISTRIBUTED_SECRET:?");
        assertThat(environment.get("ORDERSAGA_ADMIN_TOKEN").toString())
                .as("the operator credential, required").startsWith("${ORDERSAGA_ADMIN_TOKEN:?");
        // the settings ApiSecurityIT runs the app with: an API key required, a rate limit per client
        assertThat(environment).containsEntry("ORDERSAGA_SECURITY_REQUIRED", "true")
                .containsEntry("ORDERSAGA_SECURITY_ORDERSPERPERIOD", "600");
        assertThat(environment.get("ORDERSAGA_SECURITY_APIKEYS_SHOP").toString())
                .as("the customers' API key, required").startsWith("${ORDERSAGA_API_KEY:?");
        discoveryVariables.forEach((other, variable) -> assertThat(environment)
                .as("where %s finds %s", name, other)
                .containsEntry(variable, "http://" + other + ":" + ports.get(other)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"order-service", "inventory-service", "payment-service", "shipping-service",
            "notification-service"})
    void limitsEachServicesMemoryAndSizesItsJvmToFit(String name) {
        long limit = bytes(service(name).get("mem_limit"));
        String options = map(service(name), "environment").get("JAVA_TOOL_OPTIONS").toString();
        Matcher percentage = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)").matcher(options);

        assertThat(percentage.find()).as("the heap as a share of the limit: %s", options).isTrue();
        assertThat(options).doesNotContain("-Xmx");
        long heap = (long) (limit * Double.parseDouble(percentage.group(1)) / 100);
        assertThat(heap).as("heap of %s", name).isGreaterThanOrEqualTo(256L << 20);
        assertThat(limit - heap).as("room beside the heap (metaspace, code, threads, buffers) in %s", name)
                .isGreaterThanOrEqualTo(256L << 20);
        assertThat(options).contains("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    }

    @Test
    void limitsPostgresMemoryAndSizesItsCacheToFit() {
        long limit = bytes(service("postgres").get("mem_limit"));
        Matcher buffers = Pattern.compile("shared_buffers=(\\d+)MB").matcher(service("postgres").get("command")
                .toString());

        assertThat(buffers.find()).isTrue();
        assertThat(Long.parseLong(buffers.group(1)) << 20).isLessThanOrEqualTo(limit / 2);
    }

    @Test
    void theDemoProfileStocksTheDemoSkusAndSwitchesFaultInjectionOn() throws IOException {
        Map<String, Object> demo = service("demo-stock");
        assertThat(demo.get("profiles")).isEqualTo(List.of("demo"));
        assertThat(map(map(demo, "depends_on"), "inventory-service")).containsEntry("condition", "service_healthy");
        String command = demo.get("command").toString();
        assertThat(command).contains("http://inventory-service:" + ports.get("inventory-service") + "/inventory/");
        // the all-in-one demo's stock, exactly
        Map<String, Object> standalone = yaml(ROOT.resolve("standalone/src/main/resources/application.yml"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> stock = (List<Map<String, Object>>) map(map(standalone, "ordersaga"), "demo")
                .get("stock");
        assertThat(stock).isNotEmpty();
        for (Map<String, Object> item : stock) {
            assertThat(command).containsPattern(" " + item.get("sku") + ":" + item.get("on-hand") + "[ ;]");
        }
        long listed = Pattern.compile("[A-Z0-9-]+:\\d+").matcher(command.substring(0, command.indexOf("; do")))
                .results().count();
        assertThat(listed).isEqualTo(stock.size());

        // the compose profile is the services' Spring profile, whose settings switch fault injection on
        for (String name : SERVICES) {
            assertThat(map(service(name), "environment"))
                    .containsEntry("SPRING_PROFILES_ACTIVE", "${COMPOSE_PROFILES:-}");
        }
        Map<String, Object> profile = yaml(ROOT.resolve("platform/src/main/resources/ordersaga-services-demo.yml"));
        assertThat(map(map(profile, "ordersaga"), "faults")).containsEntry("enabled", true);
        Path platform = ROOT.resolve("platform/src/main/java/io/ordersaga/platform");
        assertThat(Files.readString(platform.resolve("ServiceApplications.java")))
                .as("each service reads ordersaga-services(-<profile>).yml")
                .contains("spring.config.name=ordersaga-services,");
        assertThat(Files.readString(platform.resolve("faults/FaultsAutoConfiguration.java")))
                .contains("name = \"ordersaga.faults.enabled\", havingValue = \"true\"");
    }

    @Test
    void buildsOnlyTheServicesWithTheirDependenciesInALayerOfTheirOwn() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve("Dockerfile")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        String modules = lines.stream().filter(line -> line.startsWith("ARG MODULES=")).findFirst().orElseThrow()
                .substring("ARG MODULES=".length());
        assertThat(List.of(modules.split(","))).containsExactlyElementsOf(SERVICES);
        // the dependencies: a build of the poms alone, sources not yet copied
        int resolve = indexOf(lines, "RUN mvn -B -q -pl ${MODULES} -am package -DskipTests"
                + " -Dspring-boot.repackage.skip=true \\");
        int build = indexOf(lines, "RUN mvn -B -q -pl ${MODULES} -am package -DskipTests");
        int firstSource = lines.indexOf(lines.stream()
                .filter(line -> line.startsWith("COPY ") && line.contains("/src ")).findFirst().orElseThrow());

        assertThat(lines).noneMatch(line -> line.matches("COPY \\.\\s+\\..*"));
        assertThat(lines.subList(0, resolve)).filteredOn(line -> line.startsWith("COPY "))
                .as("before the dependencies are resolved: the poms only")
                .allMatch(line -> line.matches("COPY (\\S+/)?pom\\.xml \\S+"));
        // every module's pom (the reactor names them all), so that the reactor can be read
        String reactor = Files.readString(ROOT.resolve("pom.xml"));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(reactor);
        while (module.find()) {
            assertThat(lines).contains("COPY " + module.group(1) + "/pom.xml " + module.group(1) + "/");
        }
        assertThat(firstSource).isGreaterThan(resolve).isLessThan(build);
        assertThat(lines.subList(resolve, build)).filteredOn(line -> line.startsWith("COPY "))
                .extracting(line -> line.split(" ")[1].replace("/src", ""))
                .containsExactlyInAnyOrder("contracts", "platform", "order-service", "inventory-service",
                        "payment-service", "shipping-service", "notification-service");
        assertThat(String.join("\n", lines)).doesNotContain("standalone/src", "benchmarks/src", "system-tests/src")
                .contains("COPY --from=build /src/${SERVICE}/target/${SERVICE}-exec.jar");
        for (String service : SERVICES) {
            String pom = Files.readString(ROOT.resolve(service + "/pom.xml"));
            assertThat(pom).as(service).contains("<finalName>${project.artifactId}</finalName>")
                    .contains("<classifier>exec</classifier>");
        }
    }

    private static int indexOf(List<String> lines, String line) {
        int index = lines.indexOf(line);
        assertThat(index).as("the Dockerfile has: %s", line).isNotNegative();
        return index;
    }

    /** A compose memory size ("768m", "1g") in bytes. */
    private static long bytes(Object size) {
        assertThat(size).as("a memory limit").isNotNull();
        Matcher matcher = Pattern.compile("(\\d+)([kmg]?)b?").matcher(size.toString().toLowerCase());
        assertThat(matcher.matches()).as("a memory size: %s", size).isTrue();
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "k" -> value << 10;
            case "m" -> value << 20;
            case "g" -> value << 30;
            default -> value;
        };
    }

    private static Map<String, Object> service(String name) {
        return map(map(compose, "services"), name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        assertThat(value).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }
}
