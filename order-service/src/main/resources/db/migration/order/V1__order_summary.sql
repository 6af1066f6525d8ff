-- The order projection: one row per order, written by OrderProjection.
CREATE TABLE order_summary (
    order_id    varchar(64)  NOT NULL,
    customer_id varchar(64)  NOT NULL,
    status      varchar(32)  NOT NULL,
    total       numeric(14, 2) NOT NULL,
    currency    varchar(3)   NOT NULL,
    items       jsonb        NOT NULL,
    reason      varchar(1000),
    placed_at   timestamp(6) with time zone NOT NULL,
    updated_at  timestamp(6) with time zone NOT NULL,
    CONSTRAINT order_summary_pkey PRIMARY KEY (order_id)
);
CREATE INDEX order_summary_status_idx ON order_summary (status, placed_at);
