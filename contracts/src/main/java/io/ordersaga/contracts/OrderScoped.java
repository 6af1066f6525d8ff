package io.ordersaga.contracts;

/**
 * A message that belongs to one order. Every command and event the saga sends or reacts to implements it, which
 * lets infrastructure treat "everything about order X" uniformly: processing it in order, reading its history,
 * tagging log lines.
 */
public interface OrderScoped {

    String orderId();
}
