-- The stock projection: one row per SKU that was ever stocked, written by StockLevelProjection.
CREATE TABLE stock_level (
    sku        varchar(32) NOT NULL,
    on_hand    integer     NOT NULL,
    reserved   integer     NOT NULL,
    updated_at timestamp(6) with time zone,
    CONSTRAINT stock_level_pkey PRIMARY KEY (sku)
);
