-- The in-process carrier's own ledger (SimulatedCarrier): one row per idempotency key, written in its own transaction.
CREATE TABLE shipping_simulator_ledger (
    idempotency_key varchar(128) NOT NULL,
    order_id        varchar(64)  NOT NULL,
    carrier         varchar(64),
    tracking_number varchar(64),
    refusal_reason  varchar(200),
    created_at      timestamp(6) with time zone NOT NULL DEFAULT now(),
    CONSTRAINT shipping_simulator_ledger_pkey PRIMARY KEY (idempotency_key)
);
