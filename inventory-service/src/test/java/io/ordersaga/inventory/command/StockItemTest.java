package io.ordersaga.inventory.command;

import io.ordersaga.contracts.inventory.ReleaseStockCommand;
import io.ordersaga.contracts.inventory.ReserveStockCommand;
import io.ordersaga.contracts.inventory.StockCommittedEvent;
import io.ordersaga.contracts.inventory.StockReleasedEvent;
import io.ordersaga.contracts.inventory.StockReservationRejectedEvent;
import io.ordersaga.contracts.inventory.StockReservedEvent;
import io.ordersaga.platform.axon.AxonPlatformAutoConfiguration;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.axonframework.messaging.Message;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.axonframework.test.matchers.Matchers.exactSequenceOf;
import static org.axonframework.test.matchers.Matchers.messageWithPayload;
import static org.axonframework.test.matchers.Matchers.predicate;

class StockItemTest {

    private static final String SKU = "LAPTOP-1";

    private FixtureConfiguration<StockItem> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(StockItem.class);
    }

    private static StockLevelSetEvent stocked(int onHand) {
        return new StockLevelSetEvent(SKU, onHand);
    }

    private static ReserveStockCommand reserve(String orderId, int quantity) {
        return new ReserveStockCommand(SKU, orderId, quantity);
    }

    private static StockReservedEvent reserved(String orderId, int quantity) {
        return new StockReservedEvent(SKU, orderId, quantity);
    }

    /** exactly one StockReservationRejectedEvent for this order, requested and available as given */
    private static Matcher<List<Message<?>>> rejection(
            String orderId, int requested, int available, String reasonFragment) {
        return exactSequenceOf(messageWithPayload(predicate(payload ->
                payload instanceof StockReservationRejectedEvent rejected
                        && rejected.sku().equals(SKU)
                        && rejected.orderId().equals(orderId)
                        && rejected.requested() == requested
                        && rejected.available() == available
                        && rejected.reason() != null
                        && rejected.reason().contains(reasonFragment))));
    }

    private static Matcher<Throwable> belowReserved() {
        return predicate(e -> e instanceof CommandExecutionException cee
                && cee.getDetails().equals(Optional.of(InventoryErrors.BELOW_RESERVED)));
    }

    /** Settles one completed order: its reservation becomes a deduction. */
    private static SettleStockCommand commit(String orderId) {
        return new SettleStockCommand(SKU, List.of(
                new SettleStockCommand.Settlement(orderId, SettleStockCommand.Kind.COMMIT)));
    }

    @Nested
    class Reserving {

        @Test
        void reservesAQuantityWithinTheAvailableStock() {
            fixture.given(stocked(10))
                    .when(reserve("order-1", 4))
                    .expectEvents(reserved("order-1", 4));
        }

        @Test
        void reservesExactlyTheAvailableStock() {
            fixture.given(stocked(10), reserved("order-1", 4))
                    .when(reserve("order-2", 6))
                    .expectEvents(reserved("order-2", 6));
        }

        @Test
        void rejectsAReservationLargerThanTheAvailableStockWithoutTakingAny() {
            fixture.given(stocked(10), reserved("order-1", 7))
                    .when(reserve("order-2", 4))
                    .expectEventsMatching(rejection("order-2", 4, 3, "Insufficient stock"));
        }

        @Test
        void aRejectedReservationLeavesTheAvailableStockForTheNextOrder() {
            fixture.givenCommands(new SetStockLevelCommand(SKU, 10), reserve("order-1", 7), reserve("order-2", 4))
                    .when(reserve("order-3", 3))
                    .expectEvents(reserved("order-3", 3));
        }

        @Test
        void aSecondReservationForTheSameOrderChangesNothing() {
            fixture.given(stocked(10), reserved("order-1", 3))
                    .when(reserve("order-1", 3))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aSecondReservationForTheSameOrderDoesNotTakeMoreStock() {
            // order-1 holds 3 of 10; had its retry taken 3 more, only 4 would be left for order-2
            fixture.givenCommands(new SetStockLevelCommand(SKU, 10), reserve("order-1", 3), reserve("order-1", 3))
                    .when(reserve("order-2", 7))
                    .expectEvents(reserved("order-2", 7));
        }

        @Test
        void aRejectedOrderKeepsItsAnswerEvenAfterARestock() {
            fixture.given(stocked(2), new StockReservationRejectedEvent(SKU, "order-1", 5, 2, "Insufficient stock"),
                            stocked(50))
                    .when(reserve("order-1", 5))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void rejectsAReservationForASkuNeverStockedWithNothingAvailable() {
            fixture.givenNoPriorActivity()
                    .when(reserve("order-1", 1))
                    .expectEventsMatching(rejection("order-1", 1, 0, "Unknown SKU"));
        }

        @Test
        void aSkuFirstSeenThroughARejectionCanStillBeStocked() {
            fixture.given(new StockReservationRejectedEvent(SKU, "order-1", 1, 0, "Unknown SKU " + SKU))
                    .when(new SetStockLevelCommand(SKU, 0))
                    .expectEvents(stocked(0));
        }

        @Test
        void refusesANonPositiveQuantity() {
            fixture.given(stocked(10))
                    .when(reserve("order-1", 0))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }
    }

    @Nested
    class Releasing {

        @Test
        void releasingAReservedOrderGivesBackItsQuantity() {
            fixture.given(stocked(10), reserved("order-1", 4))
                    .when(new ReleaseStockCommand(SKU, "order-1"))
                    .expectEvents(new StockReleasedEvent(SKU, "order-1", 4));
        }

        @Test
        void releasedStockIsAvailableAgain() {
            fixture.given(stocked(10), reserved("order-1", 4), new StockReleasedEvent(SKU, "order-1", 4))
                    .when(reserve("order-2", 10))
                    .expectEvents(reserved("order-2", 10));
        }

        @Test
        void releasedStockIsAvailableAgainThroughCommands() {
            fixture.givenCommands(new SetStockLevelCommand(SKU, 10), reserve("order-1", 4),
                            new ReleaseStockCommand(SKU, "order-1"))
                    .when(reserve("order-2", 10))
                    .expectEvents(reserved("order-2", 10));
        }

        @Test
        void releasingAnOrderNeverSeenRecordsAReleaseOfNothing() {
            fixture.given(stocked(10))
                    .when(new ReleaseStockCommand(SKU, "order-1"))
                    .expectEvents(new StockReleasedEvent(SKU, "order-1", 0));
        }

        @Test
        void releasingOnASkuNeverStockedRecordsAReleaseOfNothing() {
            fixture.givenNoPriorActivity()
                    .when(new ReleaseStockCommand(SKU, "order-1"))
                    .expectEvents(new StockReleasedEvent(SKU, "order-1", 0));
        }

        @Test
        void aReservationArrivingAfterItsOrderWasReleasedIsIgnored() {
            fixture.given(stocked(10), new StockReleasedEvent(SKU, "order-1", 0))
                    .when(reserve("order-1", 2))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aReservationArrivingAfterItsReservationWasReleasedIsIgnored() {
            fixture.given(stocked(10), reserved("order-1", 2), new StockReleasedEvent(SKU, "order-1", 2))
                    .when(reserve("order-1", 2))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void releasingTwiceEmitsNothingTheSecondTime() {
            fixture.given(stocked(10), reserved("order-1", 4), new StockReleasedEvent(SKU, "order-1", 4))
                    .when(new ReleaseStockCommand(SKU, "order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void releasingTwiceDoesNotGiveBackTheQuantityTwice() {
            // 10 on hand, order-2 holds 6: a double release of order-1's 4 would let order-3 take 8
            fixture.givenCommands(new SetStockLevelCommand(SKU, 10), reserve("order-1", 4), reserve("order-2", 6),
                            new ReleaseStockCommand(SKU, "order-1"), new ReleaseStockCommand(SKU, "order-1"))
                    .when(reserve("order-3", 5))
                    .expectEventsMatching(rejection("order-3", 5, 4, "Insufficient stock"));
        }

        @Test
        void releasingARejectedOrderGivesBackNothing() {
            fixture.given(stocked(2), new StockReservationRejectedEvent(SKU, "order-1", 5, 2, "Insufficient stock"))
                    .when(new ReleaseStockCommand(SKU, "order-1"))
                    .expectEvents(new StockReleasedEvent(SKU, "order-1", 0));
        }

        @Test
        void releasingACommittedOrderGivesBackNothing() {
            fixture.given(stocked(10), reserved("order-1", 4), new StockCommittedEvent(SKU, "order-1", 4))
                    .when(new ReleaseStockCommand(SKU, "order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Nested
    class Committing {

        @Test
        void committingAReservedOrderDeductsItsQuantity() {
            fixture.given(stocked(10), reserved("order-1", 4))
                    .when(commit("order-1"))
                    .expectEvents(new StockCommittedEvent(SKU, "order-1", 4));
        }

        @Test
        void afterACommitTheStockOnHandIsLowerByTheCommittedQuantity() {
            // on hand is now 6: setting it to 6 is no change
            fixture.given(stocked(10), reserved("order-1", 4), new StockCommittedEvent(SKU, "order-1", 4))
                    .when(new SetStockLevelCommand(SKU, 6))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void afterACommitTheOldStockOnHandCanNoLongerBeReserved() {
            fixture.givenCommands(new SetStockLevelCommand(SKU, 10), reserve("order-1", 4),
                            commit("order-1"))
                    .when(reserve("order-2", 10))
                    .expectEventsMatching(rejection("order-2", 10, 6, "Insufficient stock"));
        }

        @Test
        void afterACommitTheQuantityIsNoLongerReserved() {
            // with order-1's 4 still counted as reserved, going down to 3 would be refused
            fixture.given(stocked(10), reserved("order-1", 4), reserved("order-2", 3),
                            new StockCommittedEvent(SKU, "order-1", 4))
                    .when(new SetStockLevelCommand(SKU, 3))
                    .expectEvents(stocked(3));
        }

        @Test
        void afterACommitOnHandCannotGoBelowWhatOtherOrdersStillHold() {
            fixture.given(stocked(10), reserved("order-1", 4), reserved("order-2", 3),
                            new StockCommittedEvent(SKU, "order-1", 4))
                    .when(new SetStockLevelCommand(SKU, 2))
                    .expectException(belowReserved())
                    .expectNoEvents();
        }

        @Test
        void settlesSeveralOrdersInOneCommandInTheOrderListed() {
            fixture.given(stocked(10), reserved("order-1", 4), reserved("order-2", 3))
                    .when(new SettleStockCommand(SKU, List.of(
                            new SettleStockCommand.Settlement("order-1", SettleStockCommand.Kind.COMMIT),
                            new SettleStockCommand.Settlement("order-3", SettleStockCommand.Kind.COMMIT),
                            new SettleStockCommand.Settlement("order-2", SettleStockCommand.Kind.GIVE_BACK))))
                    .expectEvents(new StockCommittedEvent(SKU, "order-1", 4),
                            new StockReleasedEvent(SKU, "order-2", 3));
        }

        @Test
        void committingAnUnknownOrderEmitsNothing() {
            fixture.given(stocked(10), reserved("order-1", 4))
                    .when(commit("order-2"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void committingTwiceEmitsNothingTheSecondTime() {
            fixture.given(stocked(10), reserved("order-1", 4), new StockCommittedEvent(SKU, "order-1", 4))
                    .when(commit("order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void committingAReleasedOrderEmitsNothing() {
            fixture.given(stocked(10), reserved("order-1", 4), new StockReleasedEvent(SKU, "order-1", 4))
                    .when(commit("order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void committingARejectedOrderEmitsNothing() {
            fixture.given(stocked(2), new StockReservationRejectedEvent(SKU, "order-1", 5, 2, "Insufficient stock"))
                    .when(commit("order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    @Nested
    class SettingTheStockLevel {

        @Test
        void settingTheLevelOfANewSkuRecordsIt() {
            fixture.givenNoPriorActivity()
                    .when(new SetStockLevelCommand(SKU, 10))
                    .expectEvents(stocked(10));
        }

        @Test
        void settingTheLevelOfANewSkuToZeroStillRecordsIt() {
            fixture.givenNoPriorActivity()
                    .when(new SetStockLevelCommand(SKU, 0))
                    .expectEvents(stocked(0));
        }

        @Test
        void settingTheSameLevelTwiceEmitsOnlyOnce() {
            fixture.givenCommands(new SetStockLevelCommand(SKU, 10))
                    .when(new SetStockLevelCommand(SKU, 10))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void settingAnotherLevelRecordsIt() {
            fixture.given(stocked(10))
                    .when(new SetStockLevelCommand(SKU, 12))
                    .expectEvents(stocked(12));
        }

        @Test
        void settingTheLevelBelowTheReservedAmountIsRefused() {
            fixture.given(stocked(10), reserved("order-1", 4), reserved("order-2", 3))
                    .when(new SetStockLevelCommand(SKU, 6))
                    .expectException(CommandExecutionException.class)
                    .expectException(belowReserved())
                    .expectExceptionDetails(InventoryErrors.BELOW_RESERVED)
                    .expectNoEvents();
        }

        @Test
        void settingTheLevelToExactlyTheReservedAmountIsAllowed() {
            fixture.given(stocked(10), reserved("order-1", 4), reserved("order-2", 3))
                    .when(new SetStockLevelCommand(SKU, 7))
                    .expectEvents(stocked(7));
        }

        @Test
        void aNegativeLevelIsRefused() {
            fixture.given(stocked(10))
                    .when(new SetStockLevelCommand(SKU, -1))
                    .expectException(IllegalArgumentException.class)
                    .expectNoEvents();
        }

        @Test
        void aLowerLevelLeavesLessToReserve() {
            fixture.given(stocked(10), stocked(3))
                    .when(reserve("order-1", 4))
                    .expectEventsMatching(rejection("order-1", 4, 3, "Insufficient stock"));
        }
    }

    @Nested
    class ReleasingAnOrderThatHasEnded {

        private SettleStockCommand releaseEnded(String orderId) {
            return new SettleStockCommand(SKU, List.of(
                    new SettleStockCommand.Settlement(orderId, SettleStockCommand.Kind.GIVE_BACK)));
        }

        @Test
        void givesBackWhatTheOrderStillHolds() {
            fixture.given(stocked(10), reserved("order-1", 4))
                    .when(releaseEnded("order-1"))
                    .expectEvents(new StockReleasedEvent(SKU, "order-1", 4));
        }

        @Test
        void recordsNothingForAnOrderAlreadyReleased() {
            fixture.given(stocked(10), reserved("order-1", 4), new StockReleasedEvent(SKU, "order-1", 4))
                    .when(releaseEnded("order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void recordsNothingForAnOrderCommitted() {
            fixture.given(stocked(10), reserved("order-1", 4), new StockCommittedEvent(SKU, "order-1", 4))
                    .when(releaseEnded("order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void recordsNothingForARejectedOrder() {
            fixture.given(stocked(2), new StockReservationRejectedEvent(SKU, "order-1", 5, 2, "Insufficient stock"))
                    .when(releaseEnded("order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void recordsNothingForAnOrderNeverSeen() {
            fixture.given(stocked(10))
                    .when(releaseEnded("order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void recordsNothingOnASkuNeverSeen() {
            fixture.givenNoPriorActivity()
                    .when(releaseEnded("order-1"))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }

    /**
     * A SKU keeps its open reservations and its last {@value StockItem#RECENTLY_CLOSED} closed orders, however many
     * orders it has seen.
     */
    @Nested
    class BoundedState {

        private static final int LIMIT = StockItem.RECENTLY_CLOSED;
        private static final Serializer SNAPSHOTS = JacksonSerializer.builder()
                .objectMapper(new AxonPlatformAutoConfiguration().defaultAxonObjectMapper())
                .build();

        /** order ids as the system makes them: UUIDs, 36 characters */
        private static String order(int n) {
            return new UUID(0, n).toString();
        }

        /** stocked with enough for all, then {@code orders} orders of one unit each reserved and committed */
        private static List<Object> history(int orders) {
            List<Object> events = new ArrayList<>();
            events.add(stocked(1_000_000));
            for (int n = 1; n <= orders; n++) {
                events.add(reserved(order(n), 1));
                events.add(new StockCommittedEvent(SKU, order(n), 1));
            }
            return events;
        }

        /** Closes {@code count} other orders (released without ever holding anything here). */
        private static List<Object> closeOthers(int count) {
            return IntStream.rangeClosed(1, count)
                    .mapToObj(n -> (Object) new StockReleasedEvent(SKU, "other-" + n, 0))
                    .toList();
        }

        private static List<Object> concat(List<Object> first, Object... more) {
            List<Object> all = new ArrayList<>(first);
            all.addAll(List.of(more));
            return all;
        }

        private static List<Object> concat(List<Object> first, List<Object> second) {
            List<Object> all = new ArrayList<>(first);
            all.addAll(second);
            return all;
        }

        /** The item as its history leaves it (a command that changes nothing lets the fixture hand it over). */
        private StockItem stateAfter(List<Object> events) {
            AtomicReference<StockItem> state = new AtomicReference<>();
            fixture.given(events)
                    .when(commit("no-such-order"))
                    .expectNoEvents()
                    .expectState(state::set);
            return state.get();
        }

        private static byte[] snapshot(StockItem item) {
            return SNAPSHOTS.serialize(item, byte[].class).getData();
        }

        @Test
        void afterTenThousandOrdersNothingIsOpenAndOnlyTheLastClosedOrdersAreRemembered() {
            StockItem item = stateAfter(history(10_000));

            assertThat(item.openReservations()).isEmpty();
            assertThat(item.reserved()).isZero();
            assertThat(item.onHand()).isEqualTo(1_000_000 - 10_000);
            assertThat(item.recentlyClosed()).hasSize(LIMIT);
            assertThat(item.recentlyClosed().keySet()).containsExactlyElementsOf(
                    IntStream.rangeClosed(10_000 - LIMIT + 1, 10_000).mapToObj(BoundedState::order).toList());
            assertThat(item.recentlyClosed().values()).containsOnly(StockItem.Closed.COMMITTED);
        }

        @Test
        void openReservationsStayWhileOtherOrdersComeAndGo() {
            List<Object> events = concat(List.of(stocked(10), reserved("open-1", 2), reserved("open-2", 3)),
                    closeOthers(LIMIT * 3));

            StockItem item = stateAfter(events);

            assertThat(item.openReservations()).containsExactly(
                    java.util.Map.entry("open-1", 2), java.util.Map.entry("open-2", 3));
            assertThat(item.reserved()).isEqualTo(5);
            assertThat(item.recentlyClosed()).hasSize(LIMIT);
        }

        @Test
        void theSnapshotOfASkuWithTenThousandPastOrdersIsBoundedAndNoLargerThanAfterTheFirstFewHundred() {
            byte[] fresh = snapshot(stateAfter(List.of(stocked(1_000_000))));
            byte[] afterLimit = snapshot(stateAfter(history(LIMIT)));
            byte[] afterTenThousand = snapshot(stateAfter(history(10_000)));

            System.out.printf("StockItem snapshot (JSON): fresh %d bytes, after %d orders %d bytes, "
                    + "after 10,000 orders %d bytes%n", fresh.length, LIMIT, afterLimit.length, afterTenThousand.length);
            // every closed order costs its id and how it closed: ≈ 50 bytes; the item itself ≈ 100
            assertThat(afterTenThousand.length).isEqualTo(afterLimit.length).isLessThan(12 * 1024);
            assertThat(fresh.length).isLessThan(200);
        }

        @Test
        void aSnapshotReadsBackToTheSameStateInTheSameOrder() {
            StockItem item = stateAfter(concat(history(LIMIT + 50), reserved("open-1", 2)));
            SerializedObject<byte[]> snapshot = SNAPSHOTS.serialize(item, byte[].class);

            StockItem read = SNAPSHOTS.deserialize(snapshot);

            assertThat(read).usingRecursiveComparison().isEqualTo(item);
            assertThat(read.recentlyClosed().keySet()).containsExactlyElementsOf(item.recentlyClosed().keySet());
            assertThat(snapshot.getType().getRevision()).isEqualTo("2");
        }

        @Test
        void aRepeatedReservationWithinTheWindowChangesNothing() {
            // order 1 closed, then LIMIT - 1 others: it is the oldest the SKU still remembers
            fixture.given(concat(history(1), closeOthers(LIMIT - 1)))
                    .when(reserve(order(1), 1))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aLateReleaseWithinTheWindowChangesNothing() {
            fixture.given(concat(history(1), closeOthers(LIMIT - 1)))
                    .when(new ReleaseStockCommand(SKU, order(1)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aRepeatedCommitWithinTheWindowChangesNothing() {
            fixture.given(concat(history(1), closeOthers(LIMIT - 1)))
                    .when(commit(order(1)))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aLateReservationForAReleasedOrderWithinTheWindowTakesNothing() {
            fixture.given(concat(List.of(stocked(10), reserved("order-1", 2),
                            new StockReleasedEvent(SKU, "order-1", 2)), closeOthers(LIMIT - 1)))
                    .when(reserve("order-1", 2))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }

        @Test
        void aLateReservationBeyondTheWindowIsTakenForTheAggregateAloneCannotKnowTheOrderEnded() {
            // order-1 was released, then LIMIT other orders closed: the SKU has forgotten it.
            // EndedOrderStockSettler gives such a reservation back (EndedOrderStockSettlerTest).
            fixture.given(concat(List.of(stocked(10), reserved("order-1", 2),
                            new StockReleasedEvent(SKU, "order-1", 2)), closeOthers(LIMIT)))
                    .when(reserve("order-1", 2))
                    .expectEvents(reserved("order-1", 2));
        }

        @Test
        void releasingAnOrderCommittedBeyondTheWindowGivesBackNothing() {
            fixture.given(concat(history(1), closeOthers(LIMIT)))
                    .when(new ReleaseStockCommand(SKU, order(1)))
                    .expectEvents(new StockReleasedEvent(SKU, order(1), 0));
        }

        @Test
        void anOrderClosedAgainBecomesTheNewestRemembered() {
            // order-1 rejected, released (of nothing) after LIMIT - 1 others: it must outlive the others
            List<Object> events = concat(
                    concat(List.of(stocked(0), new StockReservationRejectedEvent(SKU, "order-1", 1, 0, "none")),
                            closeOthers(LIMIT - 1)),
                    new StockReleasedEvent(SKU, "order-1", 0), new StockReleasedEvent(SKU, "more-1", 0));
            fixture.given(events)
                    .when(reserve("order-1", 1))
                    .expectSuccessfulHandlerExecution()
                    .expectNoEvents();
        }
    }
}
