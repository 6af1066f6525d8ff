package io.ordersaga.standalone;

import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.Browser;
import io.ordersaga.standalone.support.StandaloneIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order's picture: {@code GET /orders/{id}/timeline} for the reference scenario draws the reference diagram of the
 * README, and the order page renders it in a real browser (headless Chromium) with Mermaid served by the app.
 */
@StandaloneIT
class TimelineIT {

    private static final Path README = Path.of(System.getProperty("user.dir")).getParent().resolve("README.md");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final List<String> PARTICIPANTS =
            List.of("Customer", "Order Saga", "Inventory", "Payment", "Shipping", "Notification");

    Api api;

    @Test
    void theReferenceScenarioDrawsTheReferenceDiagram() throws IOException {
        String laptop = uniqueSku("LAPTOP");
        String order = referenceScenario(laptop);

        Api.Response timeline = api.get("/orders/" + order + "/timeline");

        assertThat(timeline.status()).isEqualTo(200);
        assertThat(timeline.contentType()).startsWith("text/plain");
        assertThat(normalized(timeline.body().replace(laptop, "LAPTOP-15")))
                .as("the timeline of the reference scenario, against the README's reference diagram")
                .isEqualTo(normalized(referenceDiagram()));
    }

    @Test
    void theOrderPageRendersTheTimelineInABrowser(@TempDir Path profile) {
        String order = referenceScenario(uniqueSku("LAPTOP"));
        String arrowsAndNotes = api.get("/orders/" + order + "/timeline").body();

        for (String accept : List.of("application/json", "*/*")) {
            Api.Response asData = api.send(api.request("/orders/" + order).header("Accept", accept).GET());
            assertThat(asData.contentType()).as(accept).startsWith("application/json");
            assertThat(asData.json().path("orderId").asText()).isEqualTo(order);
        }

        try (Browser browser = Browser.start(profile)) {
            browser.driver().get(api.baseUrl() + "/orders/" + order); // the order's address, as a page
            assertThat(browser.driver().getCurrentUrl()).endsWith("/ui/orders/" + order);
            WebElement diagram = new WebDriverWait(browser.driver(), Duration.ofSeconds(30)).until(driver -> {
                WebElement element = driver.findElement(By.id("diagram"));
                return "rendered".equals(element.getDomAttribute("data-state")) ? element : null;
            });
            Path shot = browser.screenshot(SCREENSHOTS.resolve("order-timeline.png"));
            System.out.println("Screenshot of the order page: " + shot.toAbsolutePath());

            WebElement svg = diagram.findElement(By.tagName("svg"));
            List<String> actors = svg.findElements(By.cssSelector("text.actor")).stream()
                    .map(WebElement::getText).map(String::strip).distinct().toList();
            assertThat(actors).containsExactlyInAnyOrderElementsOf(PARTICIPANTS);
            assertThat(svg.findElements(By.cssSelector(".messageLine0, .messageLine1"))).as("one line per arrow")
                    .hasSize((int) arrowsAndNotes.lines().filter(line -> line.matches("\\s+\\w+-[-)x>]*\\w+: .*"))
                            .count());
            assertThat(svg.getText()).contains("StockReserved", "PaymentCharged", "EmailSent", "StepFailed",
                    "OrderCompleted").doesNotContain("Syntax error");
            assertThat(browser.driver().findElement(By.id("status")).getText()).isEqualTo("COMPLETED");
            assertThat(browser.driver().findElement(By.id("message")).getText()).isEmpty();

            browser.driver().get(api.baseUrl() + "/ui/orders");
            WebElement row = new WebDriverWait(browser.driver(), Duration.ofSeconds(15)).until(driver ->
                    driver.findElements(By.cssSelector("#orders tbody tr")).stream()
                            .filter(tr -> tr.getText().contains(order)).findFirst().orElse(null));
            assertThat(row.getText()).contains("COMPLETED", "OrderCompletedEvent");
            browser.screenshot(SCREENSHOTS.resolve("orders.png"));
        }
    }

    @Test
    void anUnknownOrderHasNoTimeline() {
        Api.Response unknown = api.get("/orders/7d3c1a52-3f5e-4b8a-9c21-1f2e3d4c5b6a/timeline");

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
    }

    /** The README's reference scenario, on a SKU of the test's own; returns once the order has completely ended. */
    private String referenceScenario(String laptop) {
        api.setStock(laptop, 10);
        api.fault("inventory.reserve", false, "TIMEOUT", "UNAVAILABLE");
        api.fault("notification.sms", true, "UNAVAILABLE");
        String order = api.placeAcceptedOrder(order("+31612345678", laptop, 1, "999.90"));
        api.awaitStatus(order, "COMPLETED", Duration.ofSeconds(40));
        api.awaitEvent(order, "StockCommittedEvent", Duration.ofSeconds(10));
        return order;
    }

    /** The diagram in the README, under {@code <!-- reference-timeline -->}. */
    private static String referenceDiagram() throws IOException {
        Matcher block = Pattern.compile("<!-- reference-timeline -->\\s*```mermaid\\n(.*?)```", Pattern.DOTALL)
                .matcher(Files.readString(README));
        assertThat(block.find()).as("README.md has a reference timeline").isTrue();
        return block.group(1);
    }

    /** Times, backoffs and tracking numbers differ from run to run; the story does not. */
    private static String normalized(String diagram) {
        return diagram.strip()
                .replaceAll("\\d+\\.\\d+ s", "N s")
                .replaceAll("tracking \\S+", "tracking T");
    }
}
