package io.ordersaga.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The system's public HTTP interface as the benchmark's clients use it: place an order ({@code POST /orders} with an
 * {@code Idempotency-Key}), then wait for its end ({@code GET /orders/{id}} with {@code Prefer: wait=60}, asked again
 * while it has not ended). Shared by all client threads.
 */
final class OrderClient {

    static final int WAIT_SECONDS = 60;
    /** The status of a request that got no answer (refused, reset, timed out). */
    private static final int NO_ANSWER = 0;
    private static final Duration GIVE_UP = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final SystemUnderTest app;
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    OrderClient(SystemUnderTest app) {
        this.app = app;
    }

    /** How one order went, as a client saw it: from sending its POST to receiving the answer that it had ended. */
    record Sample(long placedNanos, long endedNanos, Outcome outcome, int errors) {

        Duration latency() {
            return Duration.ofNanos(endedNanos - placedNanos);
        }
    }

    enum Outcome { COMPLETED, CANCELLED, FAILED }

    /** Places one order for one unit of {@code sku} and waits until it has ended (or failed, or 5 minutes passed). */
    Sample placeAndAwaitEnd(String idempotencyKey, String sku) {
        long start = System.nanoTime();
        AtomicInteger errors = new AtomicInteger();
        Optional<String> orderId = place(idempotencyKey, sku, errors);
        if (orderId.isEmpty()) {
            return new Sample(start, System.nanoTime(), Outcome.FAILED, errors.get());
        }
        while (System.nanoTime() - start < GIVE_UP.toNanos()) {
            Answer answer = send(HttpRequest.newBuilder(app.orders().resolve("/orders/" + orderId.get()))
                    .header("Prefer", "wait=" + WAIT_SECONDS).timeout(Duration.ofSeconds(WAIT_SECONDS + 30)).GET());
            if (!answer.ok()) {
                errors.incrementAndGet();
                SystemUnderTest.pause(Duration.ofMillis(100));
                continue;
            }
            String status = answer.json().path("status").asText();
            if (status.equals("COMPLETED") || status.equals("CANCELLED")) {
                return new Sample(start, System.nanoTime(), Outcome.valueOf(status), errors.get());
            }
        }
        return new Sample(start, System.nanoTime(), Outcome.FAILED, errors.get());
    }

    /**
     * Places one order and returns its id. A refusal under back-pressure ({@code 503}) or a request without an answer
     * is sent again with the same key (which makes that safe), after the {@code Retry-After} named (at most 5 s).
     * Every answer that is not a success, and every request without one, counts as an error.
     */
    Optional<String> place(String idempotencyKey, String sku, AtomicInteger errors) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Answer answer = send(HttpRequest.newBuilder(app.orders().resolve("/orders"))
                    .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(order(sku))));
            if (answer.ok()) {
                return Optional.of(answer.json().path("orderId").asText());
            }
            errors.incrementAndGet();
            if (answer.status() != 503 && answer.status() != NO_ANSWER) {
                return Optional.empty();
            }
            SystemUnderTest.pause(Duration.ofSeconds(Math.min(5, answer.retryAfterSeconds())));
        }
        return Optional.empty();
    }

    void setStock(String sku, int onHand) {
        require(send(HttpRequest.newBuilder(app.inventory().resolve("/inventory/" + sku))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"onHand\":" + onHand + "}"))), "setting stock of " + sku);
    }

    /** Every coming payment attempt fails as if the provider were down, until {@link #clearFaults()}. */
    void paymentOutage() {
        require(send(HttpRequest.newBuilder(app.payment().resolve("/admin/faults"))
                .header("Authorization", "Bearer " + app.operatorToken())
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"target\":\"payment.charge\",\"outcomes\":[\"UNAVAILABLE\"],\"repeat\":true}"))),
                "injecting a payment outage");
    }

    void clearFaults() {
        require(send(HttpRequest.newBuilder(app.payment().resolve("/admin/faults"))
                .header("Authorization", "Bearer " + app.operatorToken())
                .timeout(Duration.ofSeconds(30)).DELETE()), "clearing faults");
    }

    /** The order body of README's example: one line of one unit, with a phone (so the SMS step runs too). */
    static String order(String sku) {
        ObjectNode order = JSON.createObjectNode().put("customerId", "c-bench");
        order.putArray("items").addObject().put("sku", sku).put("quantity", 1)
                .put("unitPrice", new BigDecimal("9.99"));
        order.put("email", "ada@example.com").put("phone", "+31612345678");
        order.putObject("shippingAddress").put("name", "Ada Lovelace").put("street", "1 Main St")
                .put("city", "Amsterdam").put("postalCode", "1011AA").put("country", "NL");
        return order.toString();
    }

    private record Answer(int status, String body, long retryAfterSeconds) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Not JSON: " + body, e);
            }
        }
    }

    /** The errors seen so far, by kind: the status of each answer that was not a success, or the failure's type. */
    Map<String, Long> errors() {
        return new TreeMap<>(errors.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().sum())));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long retryAfter = response.headers().firstValue("Retry-After").map(OrderClient::seconds).orElse(1L);
            Answer answer = new Answer(response.statusCode(), response.body(), retryAfter);
            if (!answer.ok()) {
                errors.computeIfAbsent(String.valueOf(answer.status()), kind -> new LongAdder()).increment();
            }
            return answer;
        } catch (IOException e) {
            errors.computeIfAbsent(e.getClass().getSimpleName(), kind -> new LongAdder()).increment();
            return new Answer(NO_ANSWER, e.toString(), 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Long.parseLong(retryAfter.strip()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void require(Answer answer, String what) {
        if (!answer.ok()) {
            throw new IllegalStateException(what + " failed: " + answer.status() + " " + answer.body());
        }
    }
}
