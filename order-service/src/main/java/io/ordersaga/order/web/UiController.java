package io.ordersaga.order.web;

import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The pages for people: the list of recent orders and one order's timeline, drawn in the browser with Mermaid (served
 * by the app itself, {@code /ui/vendor/mermaid}). The pages read the same JSON and diagram the API serves. Each
 * described operation here answers with its page (the class-level response).
 */
@Controller
@ApiResponse(responseCode = "200", description = "The page",
        content = @Content(mediaType = MediaType.TEXT_HTML_VALUE, schema = @Schema(type = "string")))
public class UiController {

    @Hidden
    @GetMapping("/")
    public String home() {
        return "redirect:/ui/orders";
    }

    @Operation(summary = "The list page: orders searched by id and customer, counts per status, paged")
    @GetMapping("/ui/orders")
    public String orders() {
        return "forward:/ui/orders.html";
    }

    @Operation(summary = "The order page: lines, progress, events and timeline; the operator's actions")
    @GetMapping("/ui/orders/{orderId}")
    public String order(@PathVariable String orderId) {
        return "forward:/ui/order.html";
    }

    /**
     * {@code /orders/{id}} opened in a browser (which asks for {@code text/html} first) leads to the order's page; an
     * API client asking for JSON, or for anything, gets the order as JSON from {@link OrderController}.
     */
    @Hidden // the page of GET /orders/{orderId} for a browser
    @GetMapping(path = "/orders/{orderId}", produces = MediaType.TEXT_HTML_VALUE)
    public String orderPage(@PathVariable String orderId) {
        return "redirect:/ui/orders/{orderId}";
    }
}
