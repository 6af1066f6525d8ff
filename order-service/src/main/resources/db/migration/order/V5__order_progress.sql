-- Where each order is, for the order list and the stuck-orders query: the step the saga works on, the latest event,
-- and the latest failure. Filled by OrderProjection from here on; orders projected before stay without.
ALTER TABLE order_summary
    ADD COLUMN step            varchar(32),
    ADD COLUMN last_event      varchar(255),
    ADD COLUMN last_failure    varchar(1000),
    ADD COLUMN last_failure_at timestamp(6) with time zone,
    ADD COLUMN lines_pending   integer NOT NULL DEFAULT 0,
    ADD COLUMN sms_planned     boolean NOT NULL DEFAULT false;
-- non-terminal orders by age: GET /orders?stuckForSeconds=N
CREATE INDEX order_summary_open_idx ON order_summary (placed_at) WHERE status NOT IN ('COMPLETED', 'CANCELLED');
-- the most recent orders: GET /orders
CREATE INDEX order_summary_recent_idx ON order_summary (placed_at DESC);
