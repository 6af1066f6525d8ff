package io.ordersaga.order.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersaga.contracts.Redact;

import java.util.List;
import java.util.Set;

/**
 * Masks the person in an event's payload before it leaves the service (history, export): the e-mail address, the
 * phone number and the street address. What happened stays readable; who it happened to does not.
 */
public final class PersonalData {

    private static final Set<String> ADDRESS_FIELDS = Set.of("shippingAddress", "address");
    private static final List<String> ADDRESS_PARTS = List.of("name", "street", "city", "postalCode");

    private PersonalData() {
    }

    /** Masks {@code node} in place and returns it. */
    public static JsonNode mask(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.properties().forEach(field -> {
                String name = field.getKey();
                JsonNode value = field.getValue();
                if (ADDRESS_FIELDS.contains(name) && value instanceof ObjectNode address) {
                    for (String part : ADDRESS_PARTS) {
                        if (address.hasNonNull(part)) {
                            address.put(part, "***");
                        }
                    }
                } else if (value.isTextual() && (name.equals("email") || name.equals("emailAddress"))) {
                    object.put(name, Redact.email(value.asText()));
                } else if (value.isTextual() && (name.equals("phone") || name.equals("phoneNumber"))) {
                    object.put(name, Redact.phone(value.asText()));
                } else {
                    mask(value);
                }
            });
        } else if (node != null && node.isArray()) {
            node.forEach(PersonalData::mask);
        }
        return node;
    }
}
