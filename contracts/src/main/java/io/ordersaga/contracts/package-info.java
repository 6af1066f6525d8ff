/**
 * The messages that cross service boundaries, one package per service that handles or emits them.
 *
 * <p>Everything here is a plain record. Money is {@link java.math.BigDecimal}. Aggregate identifiers of the
 * per-order aggregates (payment, shipment, notification) are derived from the order id by the {@code *Ids}
 * helpers, so a retried command always reaches the same aggregate. Records that carry personal data override
 * {@code toString()} so that it never reaches a log line.
 */
package io.ordersaga.contracts;
