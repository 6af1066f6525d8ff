package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.order.audit.AuditProjection;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The audit export: the events of a time range, or of one order, as JSON lines, streamed.
 *
 * <p>How "bounded memory" is measured: the app runs in this JVM, so while the export of 1,000 orders is read, the test
 * stops after every megabyte it has read, runs a full garbage collection and notes the heap still in use. An export
 * built in memory before it is sent would hold all of it at the first stop already; a streamed one holds a fetch
 * batch. The figures are printed; the test requires the live heap to grow by less than a quarter of the export's size.
 */
@StandaloneIT
class AuditExportIT {

    private static final int ORDERS = Integer.getInteger("ordersaga.it.exportOrders", 1_000);
    private static final long MEGABYTE = 1 << 20;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    @Autowired
    JdbcTemplate database;
    Api api;

    @Test
    void exportsAThousandOrdersAsAStreamOfJsonLinesInBoundedMemory() throws Exception {
        List<String> skus = List.of(uniqueSku("EXPORT"), uniqueSku("EXPORT"), uniqueSku("EXPORT"));
        skus.forEach(sku -> api.setStock(sku, ORDERS * 2));
        Instant from = Instant.now().minusSeconds(1);
        List<String> orders = placeOrders(skus);
        // an order's last events: completed, then its stock committed (one per line)
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(database.queryForList("SELECT event_type, count(*) AS n FROM audit_event"
                        + " WHERE order_id = ANY (?) AND event_type IN ('OrderCompletedEvent', 'StockCommittedEvent')"
                        + " GROUP BY event_type ORDER BY event_type", (Object) orders.toArray(String[]::new)))
                        .as("the orders' last events in the audit log")
                        .containsExactly(Map.of("event_type", "OrderCompletedEvent", "n", (long) ORDERS),
                                Map.of("event_type", "StockCommittedEvent", "n", 3L * ORDERS)));
        Instant to = Instant.now();
        // the audit log takes events in batches once they are a little old (ordersaga.event-store.linger): wait
        // until it has taken everything stored so far, so that the count below is the one the export will see
        long head = database.queryForObject("SELECT coalesce(max(global_index), 0) FROM domain_event_entry",
                Long.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> auditLogHasTakenEverythingUpTo(head));
        long expected = database.queryForObject("SELECT count(*) FROM audit_event"
                + " WHERE occurred_at >= ? AND occurred_at < ?", Long.class,
                Timestamp.from(from), Timestamp.from(to));

        Export export = export("/admin/audit/events?from=" + from + "&to=" + to);

        System.out.printf(Locale.ROOT, "Audit export of %d orders: %d lines, %.1f MB in %.2f s;"
                        + " live heap after a full GC: %.1f MB before, at most %.1f MB while streaming (+%.1f MB)%n",
                ORDERS, export.lines(), export.bytes() / (double) MEGABYTE, export.seconds(),
                export.heapBefore() / (double) MEGABYTE, export.heapPeak() / (double) MEGABYTE,
                export.growth() / (double) MEGABYTE);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/x-ndjson");
        assertThat(export.lines()).isEqualTo(expected);
        assertThat(export.orders()).containsAll(orders);
        assertThat(export.bytes()).as("an export big enough to tell streaming from buffering")
                .isGreaterThan(4 * MEGABYTE);
        assertThat(export.growth()).as("live heap while streaming").isLessThan(export.bytes() / 4);
    }

    @Test
    void exportsOneOrderWithItsPayloadsMasked() throws Exception {
        String sku = uniqueSku("EXPORT");
        api.setStock(sku, 5);
        String order = api.placeAcceptedOrder(order("+31612345678", sku, 1, "10.00"));
        api.awaitStatus(order, "COMPLETED", Duration.ofSeconds(30));
        api.awaitAuditCaughtUp(Duration.ofSeconds(30));

        Api.Response export = api.get("/admin/audit/events?orderId=" + order);

        assertThat(export.status()).isEqualTo(200);
        List<JsonNode> lines = export.body().lines().map(AuditExportIT::read).toList();
        assertThat(lines).extracting(line -> line.path("orderId").asText()).containsOnly(order);
        assertThat(lines).extracting(line -> line.path("type").asText())
                .containsSubsequence("OrderPlacedEvent", "StockReservedEvent", "PaymentChargedEvent",
                        "ShipmentScheduledEvent", "EmailSentEvent", "SmsSentEvent", "OrderCompletedEvent");
        assertThat(lines).extracting(line -> line.path("globalIndex").asLong()).isSorted();
        JsonNode placed = lines.get(0);
        assertThat(placed.path("service").asText()).isEqualTo("order");
        assertThat(placed.path("outcome").asText()).isEqualTo("PLACED");
        assertThat(placed.path("payload").path("contact").path("email").asText()).isEqualTo("a***@example.com");
        assertThat(export.body()).doesNotContain("ada@example.com", "+31612345678", "Ada Lovelace", "1 Main St");
    }

    @Test
    void refusesAnExportItCannotMake() {
        String order = "7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6a";
        for (String query : List.of("", "?orderId=not-an-order", "?orderId=" + order + "&from=2026-01-01T00:00:00Z",
                "?from=2026-01-01T00:00:00Z", "?from=yesterday&to=2026-01-01T00:00:00Z",
                "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")) {
            Api.Response refused = api.get("/admin/audit/events" + query);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.contentType()).as(query).startsWith("application/problem+json");
            assertThat(refused.json().path("detail").asText()).as(query).isNotBlank();
        }
        Api.Response unknown = api.get("/admin/audit/events?orderId=" + order);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    /** Orders of three lines each, by four clients at once. */
    /** Whether the audit log's processor is past {@code index}, with no event at or below it still to come. */
    private boolean auditLogHasTakenEverythingUpTo(long index) {
        return Boolean.TRUE.equals(database.queryForObject("""
                SELECT bool_and((t ->> 'index')::bigint >= ?
                                AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(coalesce(t -> 'gaps', '[]'))
                                                AS gap WHERE gap::bigint <= ?))
                FROM (SELECT convert_from(token, 'UTF8')::jsonb AS t FROM token_entry
                      WHERE processor_name = ? AND token IS NOT NULL) AS tokens
                """, Boolean.class, index, index, AuditProjection.PROCESSING_GROUP));
    }

    private List<String> placeOrders(List<String> skus) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> placed = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                placed.add(clients.submit(() -> api.placeAcceptedOrder(order("+31612345678",
                        skus.get(0), 1, "10.00", skus.get(1), 2, "5.50", skus.get(2), 1, "99.99"))));
            }
            List<String> orders = new ArrayList<>();
            for (Future<String> order : placed) {
                orders.add(order.get());
            }
            return orders;
        } finally {
            clients.shutdownNow();
        }
    }

    private record Export(int status, String contentType, long lines, long bytes, Set<String> orders, double seconds,
                          long heapBefore, long heapPeak) {

        long growth() {
            return heapPeak - heapBefore;
        }
    }

    /** Reads the export line by line; after each megabyte, a full GC and a look at the heap still in use. */
    private Export export(String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long heapBefore = liveHeap();
        long heapPeak = heapBefore;
        long started = System.nanoTime();
        HttpResponse<InputStream> response = http.send(
                api.request(path).header("Authorization", "Bearer " + Api.OPERATOR_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long lines = 0;
        long bytes = 0;
        long nextLook = MEGABYTE;
        Set<String> orders = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                bytes += line.getBytes(StandardCharsets.UTF_8).length + 1;
                orders.add(read(line).path("orderId").asText());
                if (bytes >= nextLook) {
                    heapPeak = Math.max(heapPeak, liveHeap());
                    nextLook += MEGABYTE;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Export(response.statusCode(), response.headers().firstValue("content-type").orElse(""), lines,
                bytes, orders, seconds, heapBefore, heapPeak);
    }

    /** The heap in use after a full collection: what is still referenced. */
    private static long liveHeap() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static JsonNode read(String line) {
        try {
            return Api.JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("Not a JSON line: " + line, e);
        }
    }
}
