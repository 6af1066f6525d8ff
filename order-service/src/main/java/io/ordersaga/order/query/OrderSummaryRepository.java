package io.ordersaga.order.query;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.util.Collection;
import java.util.List;

public interface OrderSummaryRepository extends JpaRepository<OrderSummary, String> {

    /** Orders not ended: counted on the partial index {@code order_summary_open_idx}. */
    @Query(value = "SELECT count(*) FROM order_summary WHERE status NOT IN ('COMPLETED', 'CANCELLED')",
            nativeQuery = true)
    long countOpen();

    /** Those of these orders whose status is one of {@code statuses}. */
    @Query("select o from OrderSummary o where o.orderId in :orderIds and o.status in :statuses")
    List<OrderSummary> findByIdsAndStatuses(@Param("orderIds") Collection<String> orderIds,
                                            @Param("statuses") Collection<OrderStatus> statuses);
}
