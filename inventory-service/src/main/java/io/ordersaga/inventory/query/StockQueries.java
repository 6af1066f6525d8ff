package io.ordersaga.inventory.query;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.util.Optional;

@Component
public class StockQueries {

    private final StockLevelRepository levels;

    public StockQueries(StockLevelRepository levels) {
        this.levels = levels;
    }

    @Transactional(readOnly = true)
    public Optional<StockLevelView> find(String sku) {
        return levels.findById(sku).map(StockLevelView::of);
    }
}
