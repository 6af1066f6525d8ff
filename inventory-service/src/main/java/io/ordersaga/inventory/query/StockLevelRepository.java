package io.ordersaga.inventory.query;

import org.springframework.data.jpa.repository.JpaRepository;

public interface StockLevelRepository extends JpaRepository<StockLevel, String> {
}
