package io.ordersaga.order.command;

import java.util.List;

/**
 * What an operator's action on an order recorded: the action, the steps it is about ({@code "SEND_SMS"},
 * {@code "RESERVE_STOCK LAPTOP-15"}), and whether the same action had been recorded before and is still under way
 * ({@code repeated}: nothing new was recorded, the request was a repetition).
 */
public record OperatorDecision(String orderId, String action, List<String> steps, boolean repeated) {
}
