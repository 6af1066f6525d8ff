package io.ordersaga.standalone.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The system's public HTTP interface as a client sees it: plain HTTP requests, JSON answers. A request under
 * {@code /admin} carries the operator credential ({@code Authorization: Bearer}) unless it names an
 * {@code Authorization} of its own or the client has none ({@link #withoutCredential()}).
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** The operator credential of the apps the in-process tests start ({@link StandaloneIT}, {@link HeldOrdersIT}). */
    public static final String OPERATOR_TOKEN = "it-operator-token";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    /** The operator credential sent with every request to /admin/*, when there is one. */
    private final Supplier<String> operatorToken;

    public Api(String baseUrl, Supplier<String> operatorToken) {
        this.baseUrl = baseUrl;
        this.operatorToken = operatorToken;
    }

    /** The app on this port, sending {@code Authorization: Bearer operatorToken} with every request to /admin/*. */
    public static Api onPort(int port, String operatorToken) {
        return new Api("http://localhost:" + port, () -> operatorToken);
    }

    /** The same app, for a client without the operator credential. */
    public Api withoutCredential() {
        return new Api(baseUrl, () -> null);
    }

    /** Where the app listens, for a browser or a command line: {@code http://localhost:port}. */
    public String baseUrl() {
        return baseUrl;
    }

    public record Response(int status, String contentType, String body, Map<String, List<String>> headers) {

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of()).stream().findFirst().orElse(null);
        }
    }

    // -- raw requests ------------------------------------------------------------------------------------------

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(withCredential(request.timeout(Duration.ofSeconds(30)).build()),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.headers().firstValue("content-type").orElse(""),
                    response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest withCredential(HttpRequest request) {
        String token = operatorToken.get();
        if (token == null || !request.uri().getPath().startsWith("/admin")
                || request.headers().firstValue("Authorization").isPresent()) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .header("Authorization", "Bearer " + token).build();
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path));
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    public Response post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder request = request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }

    public Response put(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    // -- orders ------------------------------------------------------------------------------------------------

    public Response placeOrder(ObjectNode order, String... headers) {
        return post("/orders", "application/json", order.toString(), headers);
    }

    /** Places the order and returns its id, asserting the 202 and its Location. */
    public String placeAcceptedOrder(ObjectNode order) {
        Response response = placeOrder(order);
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        String orderId = response.json().get("orderId").asText();
        assertThat(response.header("Location")).isEqualTo("/orders/" + orderId);
        return orderId;
    }

    public JsonNode order(String orderId) {
        Response response = get("/orders/" + orderId);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public JsonNode awaitStatus(String orderId, String status, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(order(orderId).get("status").asText()).isEqualTo(status));
        return order(orderId);
    }

    /** Waits until the order's history has an event of this type, e.g. its last: {@code StockCommittedEvent}. */
    public void awaitEvent(String orderId, String type, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> historyTypes(orderId).contains(type));
    }

    /** Waits until the order is held in a backoff at this step: a retry of it is scheduled. */
    public void awaitRetryScheduled(String orderId, String step, Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100))
                .until(() -> !History.of(history(orderId)).ofStep("StepRetryScheduledEvent", step).isEmpty());
    }

    public ArrayNode history(String orderId) {
        Response response = get("/orders/" + orderId + "/history");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return (ArrayNode) response.json();
    }

    public List<String> historyTypes(String orderId) {
        return history(orderId).valueStream().map(event -> event.get("type").asText()).toList();
    }

    /** Waits until no order is under way any more (every order has completed or been cancelled). */
    public void awaitNoOrderInFlight(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Response open = get("/orders?stuckForSeconds=0&limit=500");
            assertThat(open.status()).as(open.body()).isEqualTo(200);
            assertThat(open.json()).as("orders still under way").isEmpty();
        });
    }

    // -- audit -------------------------------------------------------------------------------------------------

    public JsonNode auditStatus() {
        Response response = get("/admin/audit");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** Waits until the audit log has taken in every event stored so far; returns its position. */
    public long awaitAuditCaughtUp(Duration within) {
        await().atMost(within).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonNode status = auditStatus();
            assertThat(status.path("state").asText()).isEqualTo("LIVE");
            assertThat(status.path("position").asLong(-1)).isEqualTo(status.path("head").asLong());
        });
        return auditStatus().path("position").asLong();
    }

    public JsonNode auditDigest(long upTo) {
        Response response = get("/admin/audit/digest?upTo=" + upTo);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    // -- inventory ---------------------------------------------------------------------------------------------

    public JsonNode setStock(String sku, int onHand) {
        Response response = put("/inventory/" + sku, "{\"onHand\":" + onHand + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    public JsonNode stock(String sku) {
        Response response = get("/inventory/" + sku);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    /** A SKU no other test uses, so stock assertions are not disturbed by concurrent tests. */
    public static String uniqueSku(String prefix) {
        return (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toUpperCase();
    }

    // -- fault injection ---------------------------------------------------------------------------------------

    /** Plans {@code outcomes} for the target's next attempts ({@code POST /admin/faults}). */
    public void fault(String target, boolean repeat, String... outcomes) {
        ObjectNode plan = JSON.createObjectNode().put("target", target).put("repeat", repeat);
        ArrayNode list = plan.putArray("outcomes");
        for (String outcome : outcomes) {
            list.add(outcome);
        }
        Response response = post("/admin/faults", "application/json", plan.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    public void clearFaults() {
        assertThat(send(request("/admin/faults").DELETE()).status()).isEqualTo(204);
    }

    // -- request bodies ----------------------------------------------------------------------------------------

    public static ObjectNode order(String phone, Object... skuQuantityPrice) {
        ObjectNode order = JSON.createObjectNode();
        order.put("customerId", "c-42");
        ArrayNode items = order.putArray("items");
        for (int i = 0; i < skuQuantityPrice.length; i += 3) {
            ObjectNode item = items.addObject();
            item.put("sku", (String) skuQuantityPrice[i]);
            item.put("quantity", (Integer) skuQuantityPrice[i + 1]);
            item.put("unitPrice", new java.math.BigDecimal(skuQuantityPrice[i + 2].toString()));
        }
        order.put("email", "ada@example.com");
        if (phone != null) {
            order.put("phone", phone);
        }
        ObjectNode address = order.putObject("shippingAddress");
        address.put("name", "Ada Lovelace");
        address.put("street", "1 Main St");
        address.put("city", "Amsterdam");
        address.put("postalCode", "1011AA");
        address.put("country", "NL");
        return order;
    }
}
