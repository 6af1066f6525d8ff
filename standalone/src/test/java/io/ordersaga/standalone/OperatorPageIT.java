package io.ordersaga.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersaga.standalone.support.Api;
import io.ordersaga.standalone.support.Browser;
import io.ordersaga.standalone.support.HeldOrdersIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.ordersaga.standalone.support.Api.order;
import static io.ordersaga.standalone.support.Api.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pages an operator works from, in a real browser (headless Chromium): the order page of an order held by an
 * outage shows its lines, customer, masked contact, the attempt of the step in its backoff and when the next one is
 * due, and its events with their payloads; opened with the operator credential it has the actions, and "Retry"
 * (confirmed) completes the order once the outage is over. The list page searches by customer, counts per status and
 * pages. Screenshots land in {@code target/screenshots/}.
 */
@HeldOrdersIT
class OperatorPageIT {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    Api api;

    private String url(String path) {
        return api.baseUrl() + path;
    }

    private static WebElement waitFor(WebDriver driver, Duration within, java.util.function.Function<WebDriver,
            WebElement> element) {
        return new WebDriverWait(driver, within).until(element::apply);
    }

    @Test
    void theOrderPageShowsAHeldOrderAndRetryingItThereCompletesIt(@TempDir Path profile) {
        String sku = uniqueSku("PAGE");
        api.setStock(sku, 10);
        api.fault("payment.charge", true, "UNAVAILABLE");
        String customer = "page-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode body = order("+31612345678", sku, 3, "12.50");
        body.put("customerId", customer);
        String order = api.placeAcceptedOrder(body);
        JsonNode held = await().atMost(Duration.ofSeconds(30)).until(() -> api.order(order),
                view -> view.at("/retry/nextAttemptAt").isTextual());

        try (Browser browser = Browser.start(profile)) {
            WebDriver driver = browser.driver();
            driver.get(url("/ui/orders/" + order));
            WebElement next = waitFor(driver, Duration.ofSeconds(15), d -> {
                WebElement element = d.findElement(By.id("next-attempt"));
                return element.getDomAttribute("data-instant") != null
                        && !element.getDomAttribute("data-instant").isEmpty() ? element : null;
            });
            assertThat(Instant.parse(next.getDomAttribute("data-instant")))
                    .isEqualTo(Instant.parse(held.at("/retry/nextAttemptAt").asText()));
            assertThat(next.getText()).as("a time with its zone").containsPattern("\\d{1,2}:\\d{2}:\\d{2}.*[A-Z]{3}");
            assertThat(driver.findElement(By.id("retry")).getText()).contains("CHARGE_PAYMENT", "attempt 2 of 5");
            assertThat(driver.findElement(By.id("customer")).getText()).isEqualTo(customer);
            assertThat(driver.findElement(By.id("contact")).getText()).isEqualTo("a***@example.com, +31*******78")
                    .doesNotContain("ada@");
            assertThat(driver.findElement(By.id("total")).getText()).isEqualTo("37.50 EUR");
            assertThat(driver.findElement(By.cssSelector("#lines tbody")).getText()).contains(sku, "3", "12.50 EUR");
            assertThat(driver.findElement(By.id("actions")).isDisplayed()).as("no actions without the credential")
                    .isFalse();
            List<WebElement> rows = waitFor(driver, Duration.ofSeconds(10), d -> {
                List<WebElement> found = d.findElements(By.cssSelector("#events tbody tr"));
                return found.size() >= api.history(order).size() ? found.get(0) : null;
            }).findElements(By.xpath("../tr"));
            assertThat(rows.get(0).getText()).contains("OrderPlacedEvent");
            WebElement payload = rows.get(0).findElement(By.tagName("pre"));
            assertThat(payload.isDisplayed()).as("payloads folded").isFalse();
            rows.get(0).findElement(By.tagName("summary")).click();
            assertThat(payload.isDisplayed()).isTrue();
            assertThat(payload.getText()).contains("\"orderId\": \"" + order + "\"").doesNotContain("ada@example.com");
            browser.screenshot(SCREENSHOTS.resolve("order-held.png"));

            driver.get(url("/ui/orders"));
            driver.get(url("/ui/orders/" + order + "#token=" + Api.OPERATOR_TOKEN));
            WebElement retry = waitFor(driver, Duration.ofSeconds(15), d -> {
                WebElement button = d.findElement(By.id("retry-button"));
                return button.isDisplayed() ? button : null;
            });
            assertThat(driver.getCurrentUrl()).as("the credential leaves the address").doesNotContain("token");
            api.clearFaults();
            retry.click();
            WebElement dialog = driver.findElement(By.id("confirm"));
            assertThat(dialog.isDisplayed()).isTrue();
            assertThat(dialog.getText()).contains("Attempt the waiting step");
            driver.findElement(By.id("confirm-operator")).sendKeys("dana");
            driver.findElement(By.id("confirm-reason")).sendKeys("the PSP is back");
            browser.screenshot(SCREENSHOTS.resolve("order-retry-confirm.png"));
            driver.findElement(By.id("confirm-button")).click();

            waitFor(driver, Duration.ofSeconds(30), d -> {
                WebElement status = d.findElement(By.id("status"));
                return status.getText().equals("COMPLETED") ? status : null;
            });
            assertThat(driver.findElement(By.id("action-result")).getText()).contains("retry recorded",
                    "CHARGE_PAYMENT");
            waitFor(driver, Duration.ofSeconds(10), d -> d.findElements(By.cssSelector("#events tbody tr")).stream()
                    .filter(tr -> tr.getText().contains("StepRetriedByOperatorEvent")).findFirst().orElse(null));
            browser.screenshot(SCREENSHOTS.resolve("order-retried.png"));
        }
        JsonNode recorded = api.history(order).valueStream()
                .filter(event -> event.get("type").asText().equals("StepRetriedByOperatorEvent")).findFirst()
                .orElseThrow();
        assertThat(recorded.at("/payload/operator").asText()).isEqualTo("dana");
        assertThat(recorded.at("/payload/reason").asText()).isEqualTo("the PSP is back");
        assertThat(api.order(order).get("status").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void theListPageSearchesByCustomerCountsAndPages(@TempDir Path profile) {
        String sku = uniqueSku("LISTPAGE");
        api.setStock(sku, 100);
        String customer = "pages-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 55; i++) {
            ObjectNode body = order(null, sku, 1, "1.00");
            body.put("customerId", customer);
            api.placeAcceptedOrder(body);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/orders/counts?customerId=" + customer).json()
                .at("/byStatus/COMPLETED").asLong() == 55);

        try (Browser browser = Browser.start(profile)) {
            WebDriver driver = browser.driver();
            driver.get(url("/ui/orders"));
            driver.findElement(By.id("customer-filter")).sendKeys(customer);
            driver.findElement(By.id("search-button")).click();
            WebElement counts = waitFor(driver, Duration.ofSeconds(15), d -> {
                WebElement element = d.findElement(By.id("counts"));
                return element.getText().contains("COMPLETED 55") ? element : null;
            });
            assertThat(counts.getText()).contains("total 55", "PLACED 0");
            waitFor(driver, Duration.ofSeconds(15), d -> d.findElements(By.cssSelector("#orders tbody tr")).size() == 50
                    ? d.findElement(By.id("next-page")) : null);
            List<WebElement> rows = driver.findElements(By.cssSelector("#orders tbody tr"));
            assertThat(rows).allSatisfy(row -> assertThat(row.getText()).contains(customer));
            assertThat(rows.get(0).findElements(By.tagName("td")).get(4).getText()).as("a time with its zone")
                    .containsPattern("\\d{1,2}:\\d{2}:\\d{2}.*[A-Z]{3}");
            browser.screenshot(SCREENSHOTS.resolve("orders-search.png"));

            driver.findElement(By.id("next-page")).click();
            waitFor(driver, Duration.ofSeconds(15), d -> d.findElements(By.cssSelector("#orders tbody tr")).size() == 5
                    ? d.findElement(By.id("page-number")) : null);
            assertThat(driver.findElement(By.id("page-number")).getText()).isEqualTo("page 2");
            assertThat(driver.findElement(By.id("next-page")).isEnabled()).isFalse();
            browser.screenshot(SCREENSHOTS.resolve("orders-page-2.png"));
        }
    }
}
