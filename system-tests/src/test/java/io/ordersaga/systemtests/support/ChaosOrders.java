package io.ordersaga.systemtests.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ordersaga.standalone.support.Api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The orders of a chaos run, drawn from its seeded {@link Random}: most of them normal (one or two lines of the
 * stocked SKUs), the rest each way an order must fail — a line of a SKU with no stock beside a stocked one, a total
 * the payment simulator declines (above 10,000.00), an address the carrier simulator refuses (country AQ).
 */
public final class ChaosOrders {

    public enum Kind {
        NORMAL, OUT_OF_STOCK, DECLINED, UNDELIVERABLE;

        /** Whether an order of this kind can complete; the others must end cancelled. */
        public boolean canComplete() {
            return this == NORMAL;
        }
    }

    /** One order to place: what it tests, its key and its body. */
    public record Planned(int number, Kind kind, String idempotencyKey, ObjectNode body) {
    }

    /** The SKUs normal orders take from; each is stocked with {@link #STOCK}. */
    public static final List<String> STOCKED = List.of("CHAOS-A", "CHAOS-B", "CHAOS-C", "CHAOS-D");
    /** A SKU with nothing on hand: every order with a line of it is cancelled. */
    public static final String SOLD_OUT = "CHAOS-SOLD-OUT";
    /** Enough for any run: 2,000 orders take at most 6,000 of one SKU. */
    public static final int STOCK = 100_000;

    private ChaosOrders() {
    }

    /** {@code count} orders: 70 % normal, 10 % of each failing kind, half of them with a phone number. */
    public static List<Planned> plan(int count, long seed, Random random) {
        List<Planned> orders = new ArrayList<>();
        for (int number = 0; number < count; number++) {
            int draw = random.nextInt(10);
            Kind kind = draw < 7 ? Kind.NORMAL : Kind.values()[draw - 6];
            String phone = random.nextBoolean() ? "+31612345678" : null;
            ObjectNode body = switch (kind) {
                case NORMAL -> normal(random, phone);
                case OUT_OF_STOCK -> Api.order(phone, pick(random), 1 + random.nextInt(3), price(random),
                        SOLD_OUT, 1, price(random));
                case DECLINED -> Api.order(phone, pick(random), 1, "12000.00");
                case UNDELIVERABLE -> {
                    ObjectNode undeliverable = normal(random, phone);
                    ((ObjectNode) undeliverable.get("shippingAddress")).put("country", "AQ");
                    yield undeliverable;
                }
            };
            orders.add(new Planned(number, kind, "chaos-" + seed + "-" + number, body));
        }
        return orders;
    }

    private static ObjectNode normal(Random random, String phone) {
        String first = pick(random);
        if (random.nextBoolean()) {
            return Api.order(phone, first, 1 + random.nextInt(3), price(random));
        }
        String second = STOCKED.get((STOCKED.indexOf(first) + 1 + random.nextInt(STOCKED.size() - 1))
                % STOCKED.size());
        return Api.order(phone, first, 1 + random.nextInt(3), price(random),
                second, 1 + random.nextInt(3), price(random));
    }

    private static String pick(Random random) {
        return STOCKED.get(random.nextInt(STOCKED.size()));
    }

    private static String price(Random random) {
        return BigDecimal.valueOf(100 + random.nextInt(9_900), 2).toPlainString();
    }
}
