package io.ordersaga.contracts.shipping;

/** Where an order goes; {@code country} is an ISO 3166 alpha-2 code. */
public record ShippingAddress(String name, String street, String city, String postalCode, String country) {

    @Override
    public String toString() {
        return "ShippingAddress[country=" + country + ", rest redacted]";
    }
}
