package io.ordersaga.order.command;

/** What placing an order answers: its id, and whether it had been placed before (the client sent it again). */
public record Placement(String orderId, boolean placedBefore) {
}
