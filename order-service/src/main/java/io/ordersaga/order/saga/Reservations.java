package io.ordersaga.order.saga;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.ordersaga.contracts.order.OrderLine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the saga knows of the reservation of each line of the order: every SKU is reserved (and released) by a
 * StockItem of its own, in parallel, so the step "reserve the stock" is over once every line has its answer. Part of
 * the saga's state, stored as the map it is ({@code {"LAPTOP-15": "RESERVED", ...}}).
 */
final class Reservations {

    enum State {
        RESERVING, RESERVED, REJECTED,
        /** the reservation was given up without an answer: it may hold stock, so it is released too */
        UNKNOWN,
        RELEASING, RELEASED
    }

    private final Map<String, State> lines;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    private Reservations(Map<String, State> lines) {
        this.lines = new LinkedHashMap<>(lines);
    }

    /** Every line of the order, each being reserved. */
    static Reservations reserving(List<OrderLine> items) {
        Reservations reservations = new Reservations(Map.of());
        items.forEach(line -> reservations.lines.put(line.sku(), State.RESERVING));
        return reservations;
    }

    @JsonValue
    private Map<String, State> lines() {
        return lines;
    }

    /** A line's reservation answered (or given up, {@code UNKNOWN}); {@code true} once every line has its answer. */
    boolean answered(String sku, State state) {
        lines.put(sku, state);
        return !lines.containsValue(State.RESERVING);
    }

    /** Whether a line still waits for its reservation's answer. */
    boolean anyReserving() {
        return lines.containsValue(State.RESERVING);
    }

    /** No longer waits for a reservation's answer (an operator cancelled): such a line may hold stock. */
    void abandonReserving() {
        lines.replaceAll((sku, state) -> state == State.RESERVING ? State.UNKNOWN : state);
    }

    /** The lines that hold stock, or might, are to be released: their SKUs. */
    List<String> release() {
        lines.replaceAll((sku, state) -> state == State.RESERVED || state == State.UNKNOWN ? State.RELEASING : state);
        return lines.entrySet().stream().filter(line -> line.getValue() == State.RELEASING).map(Map.Entry::getKey)
                .toList();
    }

    /** A line's stock released (or its release given up); {@code true} once no line is being released. */
    boolean released(String sku) {
        lines.put(sku, State.RELEASED);
        return !lines.containsValue(State.RELEASING);
    }
}
