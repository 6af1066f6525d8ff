package io.ordersaga.inventory.query;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The stock of one SKU as clients see it. Written only by {@link StockLevelProjection}. */
@Entity
@Table(name = "stock_level")
public class StockLevel {

    @Id
    private String sku;
    private int onHand;
    private int reserved;
    private Instant updatedAt;

    protected StockLevel() {
        // for JPA
    }

    StockLevel(String sku) {
        this.sku = sku;
    }

    void setOnHand(int onHand, Instant at) {
        this.onHand = onHand;
        this.updatedAt = at;
    }

    void reserve(int quantity, Instant at) {
        reserved += quantity;
        updatedAt = at;
    }

    void release(int quantity, Instant at) {
        reserved -= quantity;
        updatedAt = at;
    }

    void commit(int quantity, Instant at) {
        reserved -= quantity;
        onHand -= quantity;
        updatedAt = at;
    }

    public String getSku() {
        return sku;
    }

    public int getOnHand() {
        return onHand;
    }

    public int getReserved() {
        return reserved;
    }

    public int getAvailable() {
        return onHand - reserved;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
