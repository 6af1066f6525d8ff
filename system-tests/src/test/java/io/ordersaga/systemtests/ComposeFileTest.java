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
 * others, the credential between them, a health check, and the image built from the service's executable jar.
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
                "payment-service", "shipping-service", "notification-service");
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
        discoveryVariables.forEach((other, variable) -> assertThat(environment)
                .as("where %s finds %s", name, other)
                .containsEntry(variable, "http://" + other + ":" + ports.get(other)));
    }

    @Test
    void buildsEachImageFromItsServicesExecutableJar() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).contains("mvn -B -q package -DskipTests")
                .contains("COPY --from=build /src/${SERVICE}/target/${SERVICE}-exec.jar");
        for (String service : SERVICES) {
            String pom = Files.readString(ROOT.resolve(service + "/pom.xml"));
            assertThat(pom).as(service).contains("<finalName>${project.artifactId}</finalName>")
                    .contains("<classifier>exec</classifier>");
        }
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
