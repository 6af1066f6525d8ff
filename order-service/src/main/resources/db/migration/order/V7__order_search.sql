-- Paging the order lists by (placed_at, order_id), the most recent first or the oldest first (GET /orders?cursor=),
-- and an order's customer (GET /orders?customerId=). For the order page: the contact details (masked), the tracking
-- number, and where the attempts of the step being retried are. Orders projected before stay without.
CREATE INDEX order_summary_page_idx ON order_summary (placed_at, order_id);
CREATE INDEX order_summary_customer_idx ON order_summary (customer_id, placed_at, order_id);
ALTER TABLE order_summary
    ADD COLUMN contact_email          varchar(320),
    ADD COLUMN contact_phone          varchar(32),
    ADD COLUMN tracking_number        varchar(200),
    ADD COLUMN retry_step             varchar(32),
    ADD COLUMN retry_target           varchar(64),
    ADD COLUMN retry_attempt          integer,
    ADD COLUMN retry_attempts_before  integer NOT NULL DEFAULT 0,
    ADD COLUMN next_attempt_at        timestamp(6) with time zone;
