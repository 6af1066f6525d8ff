package io.ordersaga.standalone;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.HeldOrdersIT;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API's description and the API cannot drift apart: {@code /v3/api-docs} is a valid OpenAPI 3 document (checked by
 * swagger-parser), it describes every endpoint of README's HTTP table, and real requests to the running app and its
 * answers — successes and refusals — are held against it by Atlassian's swagger-request-validator.
 */
@HeldOrdersIT
class ApiContractIT {

    private static final Path README = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    /** A path in the first column of README's HTTP table: {@code /orders/{orderId}}, without its query. */
    private static final Pattern README_PATH = Pattern.compile("(/(?:orders|ui|admin|inventory|actuator)[^`?\\s,]*)");

    Api api;
    OpenApiInteractionValidator validator;
    /** The operations exercised, as the description names them: {@code GET /orders/{orderId}}. */
    final Set<String> exercised = new LinkedHashSet<>();
    final List<String> violations = new ArrayList<>();
    String description;

    @BeforeEach
    void setUp() {
        Api.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.contentType()).startsWith("application/json");
        description = docs.body();
        validator = OpenApiInteractionValidator.createForInlineApiSpecification(description).build();
    }

    @Test
    void theDescriptionIsValidOpenApi3WithTheOperatorSchemeAndProblems() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(description, null, options);

        assertThat(parsed.getMessages()).as("swagger-parser's findings").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.");
        JsonNode docs = api.get("/v3/api-docs").json();
        assertThat(docs.at("/components/securitySchemes/operator/scheme").asText()).isEqualTo("bearer");
        assertThat(docs.at("/paths/~1admin~1orders~1{orderId}~1cancel/post/security/0/operator").isArray()).isTrue();
        assertThat(docs.at("/paths/~1orders/post/responses/400/content/application~1problem+json").isObject())
                .isTrue();
        assertThat(docs.at("/paths/~1orders/post/parameters/0/name").asText()).isEqualTo("Idempotency-Key");
        assertThat(docs.at("/paths/~1orders/post/parameters/0/schema/pattern").asText())
                .isEqualTo("^[A-Za-z0-9._:-]{1,128}$");
        JsonNode order = docs.at("/components/schemas/PlaceOrderRequest");
        assertThat(order.at("/required").toString()).contains("customerId", "items", "email", "shippingAddress");
        assertThat(docs.at("/components/schemas/OrderLineRequest/properties/quantity/maximum").asInt())
                .isEqualTo(1000);
        assertThat(api.get("/swagger-ui/index.html").status()).as("the explorer").isEqualTo(200);
    }

    @Test
    void theValidatorCatchesARequestOrAnAnswerThatDrifted() {
        ValidationReport outOfBounds = validator.validateRequest(new SimpleRequest.Builder(Request.Method.GET, "/orders")
                .withQueryParam("limit", "0").build());
        assertThat(outOfBounds.hasErrors()).as("limit=0 is below the described minimum").isTrue();
        ValidationReport wrongShape = validator.validateResponse("/orders/" + UUID.randomUUID(), Request.Method.GET,
                SimpleResponse.Builder.ok().withContentType("application/json")
                        .withBody("{\"orderId\": 5, \"status\": \"LOST\"}").build());
        assertThat(wrongShape.hasErrors()).as("an order whose status is not one of the described").isTrue();
        ValidationReport undescribed = validator.validateResponse("/orders", Request.Method.GET,
                SimpleResponse.Builder.status(418).build());
        assertThat(undescribed.hasErrors()).as("a status the description does not name").isTrue();
    }

    @Test
    void everyEndpointOfTheReadmeIsDescribedAndHoldsToItsDescription() throws Exception {
        String sku = uniqueSku("CONTRACT");
        String key = "contract-" + UUID.randomUUID();
        exchange("PUT", "/inventory/" + sku, Map.of(), "{\"onHand\": 10}", true);
        exchange("GET", "/inventory/" + sku, Map.of(), null, true);
        exchange("GET", "/inventory/" + uniqueSku("NONE"), Map.of(), null, true);
        exchange("PUT", "/inventory/" + sku, Map.of(), "{\"onHand\": -1}", false);

        String body = order("+31612345678", sku, 1, "19.99").put("customerId", "contract-c").toString();
        Api.Response placed = exchange("POST", "/orders", Map.of("Idempotency-Key", key), body, true);
        assertThat(placed.status()).isEqualTo(202);
        String id = placed.json().get("orderId").asText();
        exchange("POST", "/orders", Map.of("Idempotency-Key", key),
                order(null, sku, 2, "19.99").toString(), true);
        exchange("POST", "/orders", Map.of(), "{\"customerId\": \"\", \"items\": []}", false);
        exchange("GET", "/orders/" + id, Map.of("Prefer", "wait=20"), null, true);
        api.awaitStatus(id, "COMPLETED", Duration.ofSeconds(30));
        exchange("GET", "/orders/" + id, Map.of(), null, true);
        exchange("GET", "/orders/" + UUID.randomUUID(), Map.of(), null, true);
        exchange("GET", "/orders/" + id + "/history", Map.of(), null, true);
        exchange("GET", "/orders/" + id + "/timeline", Map.of(), null, true);
        exchange("GET", "/orders?status=COMPLETED,CANCELLED&limit=5", Map.of(), null, true);
        exchange("GET", "/orders?stuckForSeconds=0", Map.of(), null, true);
        exchange("GET", "/orders?customerId=contract-c&limit=1", Map.of(), null, true);
        exchange("GET", "/orders?limit=0", Map.of(), null, false);
        exchange("GET", "/orders/counts?customerId=contract-c", Map.of(), null, true);
        exchange("GET", "/ui/orders", Map.of("Accept", "text/html"), null, true);
        exchange("GET", "/ui/orders/" + id, Map.of("Accept", "text/html"), null, true);

        exchange("POST", "/admin/orders/" + id + "/retry", Map.of(), null, true);
        exchange("POST", "/admin/orders/" + id + "/skip", Map.of(), "{\"operator\": \"alice\"}", true);
        exchange("POST", "/admin/orders/" + id + "/cancel", Map.of(), "{\"reason\": \"contract\"}", true);
        exchange("POST", "/admin/orders/" + id + "/cancel", Map.of(), "{\"operator\": \"alice\"}", false);
        exchange("GET", "/admin/dead-letters", Map.of(), null, true);
        exchange("POST", "/admin/dead-letters/" + UUID.randomUUID() + "/retry", Map.of(), null, true);

        exchange("POST", "/admin/faults", Map.of(),
                "{\"target\": \"notification.sms\", \"outcomes\": [\"OK\"], \"repeat\": false}", true);
        exchange("GET", "/admin/faults", Map.of(), null, true);
        exchange("DELETE", "/admin/faults", Map.of(), null, true);

        exchange("GET", "/admin/audit", Map.of(), null, true);
        long position = api.awaitAuditCaughtUp(Duration.ofSeconds(30));
        exchange("GET", "/admin/audit/digest?upTo=" + position, Map.of(), null, true);
        exchange("GET", "/admin/audit/events?orderId=" + id, Map.of(), null, true);
        exchange("POST", "/admin/audit/rebuild", Map.of(), null, true);
        await().atMost(Duration.ofSeconds(60)).until(() -> api.auditStatus().path("state").asText().equals("LIVE"));

        for (String actuator : List.of("health", "info", "metrics", "prometheus")) {
            exchange("GET", "/actuator/" + actuator, Map.of(), null, true);
        }
        Api.Response anonymous = api.withoutCredential().get("/admin/dead-letters");
        validate("GET", "/admin/dead-letters", Map.of(), Map.of(), null, anonymous, false);

        assertThat(violations).as("requests and answers that do not hold to /v3/api-docs").isEmpty();
        Set<String> described = describedOperations();
        for (String path : readmePaths()) {
            assertThat(described).as("README's " + path + " in the description")
                    .anyMatch(operation -> operation.endsWith(" " + path));
            assertThat(exercised).as("README's " + path + " exercised here")
                    .anyMatch(operation -> operation.endsWith(" " + path));
        }
    }

    /**
     * Sends a request and holds it ({@code conforming}: it is one the description allows) and its answer against the
     * description; a request meant to be refused has only its answer checked.
     */
    private Api.Response exchange(String method, String pathAndQuery, Map<String, String> headers, String body,
                                  boolean conforming) {
        HttpRequest.Builder request = api.request(pathAndQuery);
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        Api.Response response = api.send(request);
        String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
        Map<String, String> query = new LinkedHashMap<>();
        if (pathAndQuery.contains("?")) {
            for (String pair : pathAndQuery.substring(pathAndQuery.indexOf('?') + 1).split("&")) {
                query.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        Map<String, String> sent = new LinkedHashMap<>(headers);
        sent.put("Authorization", "Bearer " + Api.OPERATOR_TOKEN);
        if (body != null) {
            sent.put("Content-Type", "application/json");
        }
        validate(method, path, query, sent, body, response, conforming);
        return response;
    }

    private void validate(String method, String path, Map<String, String> query, Map<String, String> headers,
                          String body, Api.Response response, boolean conforming) {
        SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.status()).withBody(response.body());
        response.headers().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                answer.withHeader(name, values.toArray(new String[0]));
            }
        });
        Request.Method verb = Request.Method.valueOf(method);
        ValidationReport report;
        if (conforming) {
            SimpleRequest.Builder request = new SimpleRequest.Builder(verb, path);
            query.forEach((name, value) -> request.withQueryParam(name,
                    java.net.URLDecoder.decode(value, StandardCharsets.UTF_8)));
            headers.forEach(request::withHeader);
            if (body != null) {
                request.withBody(body);
            }
            report = validator.validate(request.build(), answer.build());
        } else {
            report = validator.validateResponse(path, verb, answer.build());
        }
        exercised.add(method + " " + template(path));
        if (report.hasErrors()) {
            violations.add(method + " " + path + " -> " + response.status() + ": " + report.getMessages().stream()
                    .map(message -> message.getKey() + " " + message.getMessage()).collect(Collectors.joining("; ")));
        }
    }

    /** The path as the description names it: ids become {orderId}, SKUs {sku}. */
    private static String template(String path) {
        return path.replaceAll("/orders/[0-9a-f-]{36}", "/orders/{orderId}")
                .replaceAll("/dead-letters/[0-9a-f-]{36}", "/dead-letters/{orderId}")
                .replaceAll("/inventory/[A-Z0-9-]+", "/inventory/{sku}");
    }

    private Set<String> describedOperations() {
        Set<String> operations = new LinkedHashSet<>();
        JsonNode paths = api.get("/v3/api-docs").json().get("paths");
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(method ->
                operations.add(method.toUpperCase() + " " + path)));
        return operations;
    }

    /** The paths in the first column of README's HTTP table. */
    private static Set<String> readmePaths() throws Exception {
        String readme = Files.readString(README);
        String table = readme.substring(readme.indexOf("## HTTP interface"));
        table = table.substring(0, table.indexOf("\n## ", 5));
        Set<String> paths = new LinkedHashSet<>();
        for (String line : table.lines().filter(line -> line.startsWith("| `")).toList()) {
            Matcher path = README_PATH.matcher(line.substring(0, line.indexOf(" | ")));
            while (path.find()) {
                paths.add(path.group(1));
            }
        }
        assertThat(paths).as("README's HTTP table").hasSizeGreaterThan(15);
        return paths;
    }
}
