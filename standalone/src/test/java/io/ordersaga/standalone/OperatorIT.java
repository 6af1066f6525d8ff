package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.Cli;
import io.ordersaga.standalone.support.HeldOrdersIT;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An operator acts on orders held by an outage (the charge and the SMS wait 10 minutes between attempts here): retry
 * once the outage is over, cancel, skip the SMS. Each action is behind the operator credential, recorded in the order's
 * history and drawn in its timeline, and refused with 409 where it makes no sense.
 */
@HeldOrdersIT
class OperatorIT {

    Api api;

    /** Places an order that the repeating outage of {@code target} holds in its backoff at {@code step}. */
    private String heldOrder(String sku, String target, String step) {
        api.setStock(sku, 10);
        api.fault(target, true, "UNAVAILABLE");
        String order = api.placeAcceptedOrder(order("+31612345678", sku, 2, "49.95"));
        api.awaitRetryScheduled(order, step, Duration.ofSeconds(30));
        assertThat(api.order(order).get("status").asText()).isNotIn("COMPLETED", "CANCELLED");
        return order;
    }

    private Api.Response act(String order, String action, String body) {
        return api.post("/admin/orders/" + order + "/" + action, "application/json", body);
    }

    private static void assertConflict(Api.Response response, String detail) {
        assertThat(response.status()).as(response.body()).isEqualTo(409);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asText()).contains(detail);
    }

    private long eventsOfType(String order, String type) {
        return api.history(order).valueStream().filter(event -> event.get("type").asText().equals(type)).count();
    }

    @Test
    void aChargeHeldByAnOutageCompletesWhenRetriedAfterTheOutage() {
        String sku = uniqueSku("RETRY");
        String order = heldOrder(sku, "payment.charge", "CHARGE_PAYMENT");

        assertConflict(act(order, "skip", ""), "CHARGE_PAYMENT");
        api.clearFaults();
        Api.Response retried = act(order, "retry", "{\"operator\": \"alice\", \"reason\": \"the PSP is back\"}");

        assertThat(retried.status()).as(retried.body()).isEqualTo(202);
        assertThat(retried.json().get("action").asText()).isEqualTo("retry");
        assertThat(retried.json().get("steps").get(0).asText()).isEqualTo("CHARGE_PAYMENT");
        api.awaitStatus(order, "COMPLETED", Duration.ofSeconds(30));
        JsonNode recorded = api.history(order).valueStream()
                .filter(event -> event.get("type").asText().equals("StepRetriedByOperatorEvent")).findFirst()
                .orElseThrow();
        assertThat(recorded.at("/payload/operator").asText()).isEqualTo("alice");
        assertThat(recorded.at("/payload/reason").asText()).isEqualTo("the PSP is back");
        assertThat(recorded.at("/payload/step").asText()).isEqualTo("CHARGE_PAYMENT");
        assertThat(eventsOfType(order, "PaymentChargedEvent")).isEqualTo(1);
        assertThat(api.get("/orders/" + order + "/timeline").body())
                .contains("Operator: StepRetriedByOperator: attempted now by alice")
                .contains("charge 99.90 EUR (attempt " + recorded.at("/payload/attempt").asInt() + ")");

        assertConflict(act(order, "retry", ""), "has ended (COMPLETED)");
        assertConflict(act(order, "cancel", "{\"reason\": \"too late\"}"), "has ended (COMPLETED)");
        assertThat(eventsOfType(order, "StepRetriedByOperatorEvent")).isEqualTo(1);
    }

    @Test
    void retriesAskedTwiceAreRecordedOnce() {
        String order = heldOrder(uniqueSku("TWICE"), "payment.charge", "CHARGE_PAYMENT");
        api.clearFaults();

        List<Api.Response> answers = List.of(act(order, "retry", ""), act(order, "retry", ""));

        api.awaitStatus(order, "COMPLETED", Duration.ofSeconds(30));
        long recorded = answers.stream().filter(answer -> answer.status() == 202
                && !answer.json().get("repeated").asBoolean()).count();
        assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).isIn(202, 409));
        assertThat(answers.get(0).status()).isEqualTo(202);
        assertThat(eventsOfType(order, "StepRetriedByOperatorEvent")).isEqualTo(recorded).isEqualTo(1);
    }

    @Test
    void aCancelledOrderReleasesItsStockAndKeepsTheOperatorsReason() {
        String sku = uniqueSku("CANCEL");
        String order = heldOrder(sku, "payment.charge", "CHARGE_PAYMENT");
        int eventsBefore = api.history(order).size();

        Api.Response noReason = act(order, "cancel", "{\"operator\": \"alice\"}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.contentType()).startsWith("application/problem+json");
        assertThat(noReason.json().get("detail").asText()).contains("reason");
        Api.Response unknownField = act(order, "cancel", "{\"reason\": \"x\", \"force\": true}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("detail").asText()).contains("force");
        assertThat(api.history(order).size()).as("nothing stored").isEqualTo(eventsBefore);

        Api.Response cancelled = act(order, "cancel", "{\"operator\": \"alice\", \"reason\": \"the customer called\"}");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(202);
        Api.Response again = act(order, "cancel", "{\"operator\": \"alice\", \"reason\": \"the customer called\"}");
        assertThat(again.status()).isIn(202, 409);

        JsonNode ended = api.awaitStatus(order, "CANCELLED", Duration.ofSeconds(30));
        assertThat(ended.get("reason").asText()).isEqualTo("Cancelled by alice: the customer called");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode stock = api.stock(sku);
            assertThat(stock.get("reserved").asInt()).isZero();
            assertThat(stock.get("available").asInt()).isEqualTo(10);
        });
        assertThat(eventsOfType(order, "OrderCancellationRequestedEvent")).isEqualTo(1);
        assertThat(api.historyTypes(order)).contains("PaymentRefundedEvent", "StockReleasedEvent",
                "OrderCancelledEvent").doesNotContain("PaymentChargedEvent");
        assertThat(api.get("/orders/" + order + "/timeline").body())
                .contains("Operator: OrderCancellationRequested: cancelled by alice (the customer called)");
        assertConflict(act(order, "cancel", "{\"reason\": \"again\"}"), "has ended (CANCELLED)");
        assertConflict(act(order, "skip", ""), "has ended (CANCELLED)");
    }

    @Test
    void aStepBeingAttemptedIsNotWaitingForARetry() {
        String sku = uniqueSku("BUSY");
        api.setStock(sku, 10);
        api.fault("payment.charge", false, "TIMEOUT"); // the first charge hangs past its 5 s timeout
        String order = api.placeAcceptedOrder(order(null, sku, 1, "10.00"));
        api.awaitEvent(order, "StockReservedEvent", Duration.ofSeconds(10));

        assertConflict(act(order, "retry", ""), "no step waiting for a retry");
        assertConflict(act(order, "skip", ""), "no step waiting that could be skipped");
        assertThat(eventsOfType(order, "StepRetriedByOperatorEvent")).isZero();
    }

    @Test
    void anSmsHeldByAnOutageIsSkippedAndTheOrderCompletes() {
        String order = heldOrder(uniqueSku("SKIP"), "notification.sms", "SEND_SMS");

        Api.Response skipped = act(order, "skip", "{\"operator\": \"bob\", \"reason\": \"SMS gateway down\"}");

        assertThat(skipped.status()).as(skipped.body()).isEqualTo(202);
        assertThat(skipped.json().get("steps").get(0).asText()).isEqualTo("SEND_SMS");
        api.awaitStatus(order, "COMPLETED", Duration.ofSeconds(30));
        assertThat(eventsOfType(order, "StepSkippedByOperatorEvent")).isEqualTo(1);
        assertThat(api.historyTypes(order)).doesNotContain("SmsSentEvent");
        assertThat(api.get("/orders/" + order + "/timeline").body())
                .contains("Operator: StepSkippedByOperator: skipped by bob (SMS gateway down)");
        assertConflict(act(order, "skip", ""), "has ended (COMPLETED)");
    }

    @Test
    void binOperateActsAsTheOperatorWithTheCredentialFromTheEnvironment() throws Exception {
        Path operate = Path.of(System.getProperty("user.dir")).getParent().resolve("bin").resolve("operate");
        Map<String, String> environment = Map.of("ORDERSAGA_URL", api.baseUrl(),
                "ORDERSAGA_ADMIN_TOKEN", Api.OPERATOR_TOKEN, "ORDERSAGA_OPERATOR", "carol");
        String order = heldOrder(uniqueSku("CLI"), "notification.sms", "SEND_SMS");

        Cli skipped = Cli.run(operate, environment, "skip", order, "the \"SMS\" gateway is down");

        assertThat(skipped.exitCode()).as(skipped.output()).isZero();
        assertThat(skipped.output()).contains("\"action\":\"skip\"", "SEND_SMS");
        api.awaitStatus(order, "COMPLETED", Duration.ofSeconds(30));
        JsonNode recorded = api.history(order).valueStream()
                .filter(event -> event.get("type").asText().equals("StepSkippedByOperatorEvent")).findFirst()
                .orElseThrow();
        assertThat(recorded.at("/payload/operator").asText()).isEqualTo("carol");
        assertThat(recorded.at("/payload/reason").asText()).isEqualTo("the \"SMS\" gateway is down");

        Cli refused = Cli.run(operate, environment, "retry", order);
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("HTTP 409", "has ended (COMPLETED)");
        Map<String, String> anonymous = new HashMap<>(Map.of("ORDERSAGA_URL", api.baseUrl()));
        anonymous.put("ORDERSAGA_ADMIN_TOKEN", null);
        Cli withoutCredential = Cli.run(operate, anonymous, "dead-letters");
        assertThat(withoutCredential.exitCode()).isEqualTo(1);
        assertThat(withoutCredential.output()).contains("HTTP 401");
        Cli deadLetters = Cli.run(operate, environment, "dead-letters");
        assertThat(deadLetters.exitCode()).isZero();
        assertThat(deadLetters.output().strip()).startsWith("[");
    }

    @Test
    void theActionsNeedTheOperatorCredentialAndAKnownOrder() {
        Api anonymous = api.withoutCredential();
        String unknown = UUID.randomUUID().toString();
        for (String action : List.of("retry", "skip", "cancel")) {
            Api.Response refused = anonymous.post("/admin/orders/" + unknown + "/" + action, "application/json",
                    "{\"reason\": \"x\"}");
            assertThat(refused.status()).as(action).isEqualTo(401);
            Api.Response notFound = act(unknown, action, "{\"reason\": \"x\"}");
            assertThat(notFound.status()).as(action).isEqualTo(404);
            assertThat(notFound.contentType()).startsWith("application/problem+json");
        }
        assertThat(anonymous.get("/admin/dead-letters").status()).isEqualTo(401);
        Api.Response deadLetters = api.get("/admin/dead-letters");
        assertThat(deadLetters.status()).isEqualTo(200);
        assertThat(deadLetters.json().isArray()).isTrue();
        assertThat(api.post("/admin/dead-letters/" + unknown + "/retry", "application/json", "").status())
                .isEqualTo(404);
    }
}
