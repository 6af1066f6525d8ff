package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.ordersaga.standalone.support.Api.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed and hostile requests: each gets a 4xx {@code application/problem+json} that names what was wrong and
 * carries no stack trace, and leaves no trace. Every event an order request can cause starts with an
 * {@code OrderPlacedEvent}, so "no trace" is measured as no new {@code OrderPlacedEvent} in the event store and no new
 * row in the order projection (test classes run one after the other, so nothing else places orders meanwhile).
 */
@StandaloneIT
class RequestValidationIT {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CommandGateway commands;
    Api api;

    static ObjectNode valid() {
        return order("+31612345678", "LAPTOP-15", 2, "999.90");
    }

    static ObjectNode with(Consumer<ObjectNode> change) {
        ObjectNode order = valid();
        change.accept(order);
        return order;
    }

    static ObjectNode item(ObjectNode order) {
        return (ObjectNode) order.get("items").get(0);
    }

    static ObjectNode address(ObjectNode order) {
        return (ObjectNode) order.get("shippingAddress");
    }

    /** name, body, expected status, a word the problem's detail must contain */
    static Stream<Arguments> malformedOrders() {
        return Stream.of(
                Arguments.of("truncated JSON", "{\"customerId\": \"c-42\", \"items\": [", 400, "JSON"),
                Arguments.of("not JSON at all", "hello there", 400, "JSON"),
                Arguments.of("empty body", "", 400, "body"),
                Arguments.of("an array instead of an object", "[" + valid() + "]", 400, ""),
                Arguments.of("trailing garbage", valid() + " {}", 400, ""),
                Arguments.of("duplicate key", valid().toString().replaceFirst("\\{",
                        "{\"customerId\":\"c-1\","), 400, "customerId"),
                Arguments.of("missing customerId", with(o -> o.remove("customerId")).toString(), 400, "customerId"),
                Arguments.of("missing items", with(o -> o.remove("items")).toString(), 400, "items"),
                Arguments.of("no items", with(o -> o.putArray("items")).toString(), 400, "items"),
                Arguments.of("101 items", with(o -> {
                    ArrayNode items = o.putArray("items");
                    for (int i = 0; i < 101; i++) {
                        items.addObject().put("sku", "SKU-" + (100 + i)).put("quantity", 1).put("unitPrice", 1);
                    }
                }).toString(), 400, "items"),
                Arguments.of("null item", with(o -> ((ArrayNode) o.get("items")).addNull()).toString(), 400, "items[1]"),
                Arguments.of("zero quantity", with(o -> item(o).put("quantity", 0)).toString(), 400, "quantity"),
                Arguments.of("negative quantity", with(o -> item(o).put("quantity", -3)).toString(), 400, "quantity"),
                Arguments.of("quantity above 1000", with(o -> item(o).put("quantity", 1001)).toString(), 400,
                        "quantity"),
                Arguments.of("quantity beyond int", with(o -> item(o).put("quantity", 99999999999L)).toString(), 400,
                        "quantity"),
                Arguments.of("fractional quantity", with(o -> item(o).put("quantity", 2.5)).toString(), 400,
                        "quantity"),
                Arguments.of("lower-case sku", with(o -> item(o).put("sku", "laptop-15")).toString(), 400, "sku"),
                Arguments.of("too short sku", with(o -> item(o).put("sku", "AB")).toString(), 400, "sku"),
                Arguments.of("sku with a script", with(o -> item(o).put("sku", "<script>")).toString(), 400, "sku"),
                Arguments.of("zero price", with(o -> item(o).put("unitPrice", 0)).toString(), 400, "unitPrice"),
                Arguments.of("negative price", with(o -> item(o).put("unitPrice", -5)).toString(), 400, "unitPrice"),
                Arguments.of("price with 3 decimals", with(o -> item(o).put("unitPrice", "1.999")).toString(), 400,
                        "unitPrice"),
                Arguments.of("price that is not a number", with(o -> item(o).put("unitPrice", "abc")).toString(),
                        400, "unitPrice"),
                Arguments.of("malformed e-mail", with(o -> o.put("email", "ada-at-example")).toString(), 400,
                        "email"),
                Arguments.of("malformed phone", with(o -> o.put("phone", "call me")).toString(), 400, "phone"),
                Arguments.of("unknown country", with(o -> address(o).put("country", "XX")).toString(), 400,
                        "country"),
                Arguments.of("missing address", with(o -> o.remove("shippingAddress")).toString(), 400,
                        "shippingAddress"),
                Arguments.of("unknown field", with(o -> o.put("discount", 50)).toString(), 400, "discount"),
                Arguments.of("unknown nested field", with(o -> item(o).put("free", true)).toString(), 400,
                        "items[0].free"),
                Arguments.of("the same sku on two lines", with(o -> ((ArrayNode) o.get("items")).addObject()
                        .put("sku", "LAPTOP-15").put("quantity", 1).put("unitPrice", 1)).toString(), 400, "sku"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedOrders")
    void refusesAMalformedOrderAndStoresNothing(String name, String body, int status, String named) {
        assertRefusedWithoutTrace(() -> api.post("/orders", "application/json", body), status, named);
    }

    @Test
    void refusesAnotherContentType() {
        assertRefusedWithoutTrace(() -> api.post("/orders", "text/plain", valid().toString()), 415, "");
    }

    @Test
    void refusesAnOversizedBody() {
        String huge = with(o -> o.put("customerId", "x".repeat(70_000))).toString();
        assertRefusedWithoutTrace(() -> api.post("/orders", "application/json", huge), 413, "larger than");
    }

    @Test
    void refusesAnOversizedBodySentInChunks() {
        // no Content-Length: the body is streamed in chunks, 160 KiB in all
        HttpRequest.BodyPublisher unknownLength =
                HttpRequest.BodyPublishers.ofByteArrays(Collections.nCopies(20, " ".repeat(8192).getBytes()));
        assertThat(unknownLength.contentLength()).isEqualTo(-1);
        assertRefusedWithoutTrace(() -> api.send(api.request("/orders").header("Content-Type", "application/json")
                .POST(unknownLength)), 413, "larger than");
    }

    @Test
    void refusesAMalformedIdempotencyKey() {
        assertRefusedWithoutTrace(() -> api.placeOrder(valid(), "Idempotency-Key", "no spaces allowed here"), 400,
                "Idempotency-Key");
    }

    @Test
    void namesAMalformedIdempotencyKeyAndTheBodysWrongFieldsAtOnce() {
        ObjectNode twice = with(o -> ((ArrayNode) o.get("items")).addObject()
                .put("sku", "LAPTOP-15").put("quantity", 0).put("unitPrice", 1));
        assertRefusedWithoutTrace(() -> api.placeOrder(twice, "Idempotency-Key", "no spaces allowed here"), 400,
                "Idempotency-Key: must be 1 to 128 characters of letters, digits and . _ : -;"
                        + " items[1].quantity: must be greater than or equal to 1;"
                        + " items[1].sku: LAPTOP-15 appears in more than one line; put its whole quantity in one line");
    }

    @Test
    void refusesAnIdempotencyKeyReusedForAnotherOrder() {
        String key = "reuse-" + System.nanoTime();
        Api.Response first = api.placeOrder(valid(), "Idempotency-Key", key);
        assertThat(first.status()).isEqualTo(202);
        String orderId = first.json().get("orderId").asText();
        api.awaitStatus(orderId, "CANCELLED", java.time.Duration.ofSeconds(10)); // LAPTOP-15 is not stocked here
        long eventsOfTheOrder = countEventsOf(orderId);

        ObjectNode other = with(o -> item(o).put("quantity", 3));
        assertRefusedWithoutTrace(() -> api.placeOrder(other, "Idempotency-Key", key), 422, "Idempotency-Key");
        assertThat(countEventsOf(orderId)).isEqualTo(eventsOfTheOrder);
    }

    @Test
    void answersNotFoundForAnOrderThatDoesNotExist() {
        assertProblem(api.get("/orders/00000000-0000-4000-8000-000000000000"), 404, "order");
        assertProblem(api.get("/orders/not-an-order-id"), 404, "order");
        assertProblem(api.get("/orders/00000000-0000-4000-8000-000000000000/history"), 404, "order");
    }

    @Test
    void refusesBadStockRequestsAndChangesNoStock() {
        long stockEvents = countEventsOfType("StockLevelSetEvent");
        assertProblem(api.get("/inventory/not%20a%20sku"), 400, "sku");
        assertProblem(api.put("/inventory/not%20a%20sku", "{\"onHand\":1}"), 400, "sku");
        assertProblem(api.put("/inventory/LAPTOP-15", "{\"onHand\":-1}"), 400, "onHand");
        assertProblem(api.put("/inventory/LAPTOP-15", "{\"onHand\":1,\"price\":3}"), 400, "price");
        assertProblem(api.put("/inventory/LAPTOP-15", "{\"onHand\":\"lots\"}"), 400, "onHand");
        assertProblem(api.get("/inventory/NO-SUCH-SKU"), 404, "NO-SUCH-SKU");
        assertThat(countEventsOfType("StockLevelSetEvent")).isEqualTo(stockEvents);
    }

    @Test
    void refusesToSetStockBelowWhatOpenOrdersHoldAndChangesNothing() {
        String sku = Api.uniqueSku("HELD");
        api.setStock(sku, 5);
        commands.sendAndWait(new ReserveStockCommand(sku, "an-open-order", 4));
        long stockEvents = countEventsOfType("StockLevelSetEvent");

        assertProblem(api.put("/inventory/" + sku, "{\"onHand\":3}"), 409, "4 are reserved");

        assertThat(countEventsOfType("StockLevelSetEvent")).isEqualTo(stockEvents);
        assertThat(api.stock(sku).get("onHand").asInt()).isEqualTo(5);
        assertThat(api.stock(sku).get("reserved").asInt()).isEqualTo(4);
    }

    private void assertRefusedWithoutTrace(java.util.function.Supplier<Api.Response> request, int status,
                                           String named) {
        long placedBefore = countEventsOfType("OrderPlacedEvent");
        long ordersBefore = countOrders();

        Api.Response response = request.get();

        assertProblem(response, status, named);
        assertThat(countEventsOfType("OrderPlacedEvent")).as("orders placed").isEqualTo(placedBefore);
        assertThat(countOrders()).as("orders projected").isEqualTo(ordersBefore);
    }

    private static void assertProblem(Api.Response response, int status, String named) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).as("detail").isNotBlank().contains(named);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("java.");
    }

    private long countEventsOfType(String simpleName) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE payload_type LIKE ?", Long.class,
                "%." + simpleName);
    }

    private long countEventsOf(String orderId) {
        return jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE ordersaga_event_order_id(payload) = ?",
                Long.class, orderId);
    }

    private long countOrders() {
        return jdbc.queryForObject("SELECT count(*) FROM order_summary", Long.class);
    }
}
