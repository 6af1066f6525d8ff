package io.ordersaga.order.web;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The pages for people: the list of recent orders and one order's timeline, drawn in the browser with Mermaid (served
 * by the app itself, {@code /ui/vendor/mermaid}). The pages read the same JSON and diagram the API serves.
 */
@Controller
public class UiController {

    @GetMapping("/")
    public String home() {
        return "redirect:/ui/orders";
    }

    @GetMapping("/ui/orders")
    public String orders() {
        return "forward:/ui/orders.html";
    }

    @GetMapping("/ui/orders/{orderId}")
    public String order(@PathVariable String orderId) {
        return "forward:/ui/order.html";
    }

    /**
     * {@code /orders/{id}} opened in a browser (which asks for {@code text/html} first) leads to the order's page; an
     * API client asking for JSON, or for anything, gets the order as JSON from {@link OrderController}.
     */
    @GetMapping(path = "/orders/{orderId}", produces = MediaType.TEXT_HTML_VALUE)
    public String orderPage(@PathVariable String orderId) {
        return "redirect:/ui/orders/{orderId}";
    }
}
