package io.ordersaga.order.web;

import io.ordersaga.contracts.order.ContactDetails;
import io.ordersaga.contracts.order.OrderLine;
import io.ordersaga.contracts.order.PlaceOrderCommand;
import io.ordersaga.contracts.shipping.ShippingAddress;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.math.BigDecimal;
import java.util.List;

/**
 * The body of {@code POST /orders}, exactly these fields (unknown ones are rejected). Bean Validation checks every
 * field, and that each SKU has one line ({@link EachSkuOnce}), and reports all that is wrong at once.
 */
public record PlaceOrderRequest(
        @NotBlank @Size(max = 64) @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._:@-]*$",
                message = "must be letters, digits and . _ : @ - only") String customerId,
        @NotEmpty @Size(max = 100) @EachSkuOnce List<@NotNull @Valid Item> items,
        @NotBlank @Size(max = 254) @Email(regexp = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$") String email,
        @Pattern(regexp = "^\\+[1-9][0-9]{6,14}$", message = "must be an E.164 number such as +31612345678")
        String phone,
        @NotNull @Valid Address shippingAddress) {

    public static final String SKU_PATTERN = "^[A-Z0-9][A-Z0-9-]{2,31}$";

    @Schema(name = "OrderLineRequest")
    public record Item(
            @NotNull @Pattern(regexp = SKU_PATTERN) String sku,
            @NotNull @Min(1) @Max(1000) Integer quantity,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 10, fraction = 2)
            BigDecimal unitPrice) {
    }

    @Schema(name = "ShippingAddressRequest")
    public record Address(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 200) String street,
            @NotBlank @Size(max = 100) String city,
            @NotBlank @Size(max = 20) String postalCode,
            @NotNull @IsoCountry String country) {
    }

    PlaceOrderCommand toCommand(String orderId, String currency, String fingerprint) {
        List<OrderLine> lines = items.stream()
                .map(item -> new OrderLine(item.sku(), item.quantity(), item.unitPrice()))
                .toList();
        String phoneNumber = phone == null || phone.isBlank() ? null : phone;
        return new PlaceOrderCommand(orderId, customerId, lines, currency, new ContactDetails(email, phoneNumber),
                new ShippingAddress(shippingAddress.name(), shippingAddress.street(), shippingAddress.city(),
                        shippingAddress.postalCode(), shippingAddress.country()),
                fingerprint);
    }

    @Override
    public String toString() {
        return "PlaceOrderRequest[customerId=" + customerId + ", items=" + items + ", personal data redacted]";
    }
}
