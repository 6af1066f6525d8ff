package io.ordersaga.standalone.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

/** An order's history ({@code GET /orders/{id}/history}) with the questions the tests ask of it. */
public record History(List<JsonNode> events) {

    public static History of(ArrayNode history) {
        return new History(history.valueStream().toList());
    }

    public List<String> types() {
        return events.stream().map(History::type).toList();
    }

    /** The events of this type about this step (for the order's own step events), in order. */
    public List<JsonNode> ofStep(String type, String step) {
        return events.stream().filter(is(type).and(event -> step.equals(event.get("payload").path("step").asText())))
                .toList();
    }

    public List<JsonNode> ofType(String type) {
        return events.stream().filter(is(type)).toList();
    }

    public JsonNode first(String type) {
        return ofType(type).stream().findFirst().orElseThrow(() -> new AssertionError("no " + type + " in " + types()));
    }

    /** A short line per event, for assertion messages. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        Instant start = timestamp(events.get(0));
        for (JsonNode event : events) {
            JsonNode payload = event.get("payload");
            text.append(String.format("%n%7.3fs %-13s %-28s %s %s %s", Duration.between(start, timestamp(event))
                            .toMillis() / 1000.0, event.get("aggregateType").asText(), type(event),
                    payload.path("step").asText(""), payload.path("attempt").asText(""),
                    payload.path("error").asText("")));
        }
        return text.toString();
    }

    public static Instant timestamp(JsonNode event) {
        return Instant.parse(event.get("timestamp").asText());
    }

    public static Duration between(JsonNode earlier, JsonNode later) {
        return Duration.between(timestamp(earlier), timestamp(later));
    }

    private static String type(JsonNode event) {
        return event.get("type").asText();
    }

    private static Predicate<JsonNode> is(String type) {
        return event -> type(event).equals(type);
    }
}
