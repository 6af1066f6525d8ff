package io.ordersaga.order.web;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The body's own rules, as Bean Validation reports them: here, that each SKU has one line. */
class PlaceOrderRequestTest {

    private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
    private static final Validator VALIDATOR = FACTORY.getValidator();

    @AfterAll
    static void close() {
        FACTORY.close();
    }

    private static PlaceOrderRequest.Item line(String sku) {
        return new PlaceOrderRequest.Item(sku, 1, BigDecimal.TEN);
    }

    private static PlaceOrderRequest orderOf(PlaceOrderRequest.Item... items) {
        return new PlaceOrderRequest("c-42", Arrays.asList(items), "ada@example.com", null,
                new PlaceOrderRequest.Address("Ada Lovelace", "1 Main St", "Amsterdam", "1011AA", "NL"));
    }

    /** Each violation as {@code field: message}, as the problem's detail reads. */
    private static List<String> violationsOf(PlaceOrderRequest request) {
        return VALIDATOR.validate(request).stream()
                .map(violation -> violation.getPropertyPath() + ": " + violation.getMessage())
                .toList();
    }

    private static final String REPEATED = " appears in more than one line; put its whole quantity in one line";

    @Test
    void acceptsEachSkuOnOneLine() {
        assertThat(violationsOf(orderOf(line("LAPTOP-15"), line("MOUSE-1")))).isEmpty();
    }

    @Test
    void refusesASkuOnASecondLineNamingTheLineAndTheSku() {
        assertThat(violationsOf(orderOf(line("LAPTOP-15"), line("MOUSE-1"), line("LAPTOP-15"))))
                .containsExactly("items[2].sku: LAPTOP-15" + REPEATED);
    }

    @Test
    void refusesEveryRepeatedLineEachWithItsOwnSku() {
        assertThat(violationsOf(orderOf(line("AAA"), line("BBB"), line("BBB"), line("AAA"))))
                .containsExactlyInAnyOrder("items[2].sku: BBB" + REPEATED, "items[3].sku: AAA" + REPEATED);
    }

    @Test
    void takesARepeatedSkuAsTextNeverAsAnExpression() {
        String hostile = "${1+1}{sku}";
        assertThat(violationsOf(orderOf(line(hostile), line(hostile)))).contains("items[1].sku: " + hostile + REPEATED);
    }

    @Test
    void leavesMissingLinesAndSkusToTheirOwnRules() {
        assertThat(violationsOf(orderOf(line(null), line(null), null, null))).containsExactlyInAnyOrder(
                "items[0].sku: must not be null", "items[1].sku: must not be null",
                "items[2].<list element>: must not be null", "items[3].<list element>: must not be null");
        assertThat(violationsOf(orderOf())).containsExactly("items: must not be empty");
    }
}
