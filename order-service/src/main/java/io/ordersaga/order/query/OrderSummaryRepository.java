package io.ordersaga.order.query;

import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

public interface OrderSummaryRepository extends JpaRepository<OrderSummary, String> {

    /** The most recent orders whose status is one of {@code statuses}. */
    @Query("select o from OrderSummary o where o.status in :statuses order by o.placedAt desc")
    List<OrderSummary> findRecent(@Param("statuses") Collection<OrderStatus> statuses, Pageable page);

    /** Orders of these (non-terminal) statuses placed before {@code placedBefore}, the oldest first. */
    @Query("select o from OrderSummary o where o.status in :statuses and o.placedAt < :placedBefore"
            + " order by o.placedAt")
    List<OrderSummary> findPlacedBefore(@Param("statuses") Collection<OrderStatus> statuses,
                                        @Param("placedBefore") Instant placedBefore, Pageable page);

    /** Orders not ended: counted on the partial index {@code order_summary_open_idx}. */
    @Query(value = "SELECT count(*) FROM order_summary WHERE status NOT IN ('COMPLETED', 'CANCELLED')",
            nativeQuery = true)
    long countOpen();

    /** Those of these orders whose status is one of {@code statuses}. */
    @Query("select o from OrderSummary o where o.orderId in :orderIds and o.status in :statuses")
    List<OrderSummary> findByIdsAndStatuses(@Param("orderIds") Collection<String> orderIds,
                                            @Param("statuses") Collection<OrderStatus> statuses);
}
