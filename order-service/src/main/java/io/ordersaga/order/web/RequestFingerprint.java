package io.ordersaga.order.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A SHA-256 of what a {@link PlaceOrderRequest} asks for, independent of how it was written: field order, white
 * space and the notation of prices ({@code 999.9}, {@code 999.90}, {@code "999.90"}) make no difference. Two requests
 * under one idempotency key are "the same request" exactly when their fingerprints are equal.
 */
final class RequestFingerprint {

    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private RequestFingerprint() {
    }

    static String of(PlaceOrderRequest request) {
        List<PlaceOrderRequest.Item> items = request.items().stream()
                .map(item -> new PlaceOrderRequest.Item(item.sku(), item.quantity(), normalized(item.unitPrice())))
                .toList();
        PlaceOrderRequest canonical = new PlaceOrderRequest(request.customerId(), items, request.email(),
                request.phone() == null || request.phone().isBlank() ? null : request.phone(),
                request.shippingAddress());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(CANONICAL.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint a request", e);
        }
    }

    private static BigDecimal normalized(BigDecimal price) {
        return new BigDecimal(price.stripTrailingZeros().toPlainString());
    }
}
