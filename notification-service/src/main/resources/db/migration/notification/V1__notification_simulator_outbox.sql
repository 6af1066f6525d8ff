-- The outbox of the in-process e-mail and SMS simulators: one row per idempotency key, recipient masked.
CREATE TABLE notification_simulator_outbox (
    idempotency_key varchar(128) NOT NULL,
    channel         varchar(8)   NOT NULL,
    recipient       varchar(254) NOT NULL,
    subject         varchar(200),
    message_id      varchar(64)  NOT NULL,
    created_at      timestamp(6) with time zone NOT NULL DEFAULT now(),
    CONSTRAINT notification_simulator_outbox_pkey PRIMARY KEY (idempotency_key)
);
