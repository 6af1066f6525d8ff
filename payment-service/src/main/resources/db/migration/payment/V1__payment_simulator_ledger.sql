-- The in-process payment provider's own ledger (SimulatedPaymentGateway): one row per idempotency key.
-- It stands for the provider's side of the world, so it is written in a transaction of its own.
CREATE TABLE payment_simulator_ledger (
    idempotency_key varchar(128)  NOT NULL,
    operation       varchar(16)   NOT NULL,
    customer_id     varchar(64),
    amount          numeric(14, 2) NOT NULL,
    currency        varchar(3),
    reference       varchar(64),
    decline_reason  varchar(200),
    charge_key      varchar(128),
    created_at      timestamp(6) with time zone NOT NULL DEFAULT now(),
    CONSTRAINT payment_simulator_ledger_pkey PRIMARY KEY (idempotency_key)
);
