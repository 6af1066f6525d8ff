package io.ordersaga.contracts.shipping;

/** One shipment per order: its id is derived from the order id, so a retried command reaches the same shipment. */
public final class ShipmentIds {

    private ShipmentIds() {
    }

    public static String forOrder(String orderId) {
        return "shipment-" + orderId;
    }
}
