-- The audit log: one row per stored event about an order (any service's), written by AuditProjection on a processor
-- of its own ("order-audit"), which an operator can reset and rebuild from the first event. Keyed by the event's
-- position in the event store, so a rebuild writes exactly the same rows and a redelivered event changes nothing.
CREATE TABLE audit_event (
    global_index    bigint        NOT NULL,
    event_id        varchar(255)  NOT NULL,
    occurred_at     timestamp(6) with time zone NOT NULL,
    order_id        varchar(64)   NOT NULL,
    service         varchar(32)   NOT NULL,
    aggregate_type  varchar(255),
    aggregate_id    varchar(255),
    sequence_number bigint,
    event_type      varchar(255)  NOT NULL,
    step            varchar(32),
    target          varchar(64),
    attempt         integer,
    outcome         varchar(32)   NOT NULL,
    detail          varchar(1000),
    CONSTRAINT audit_event_pkey PRIMARY KEY (global_index)
);
CREATE UNIQUE INDEX audit_event_event_id_idx ON audit_event (event_id);
CREATE INDEX audit_event_order_idx ON audit_event (order_id, global_index);
CREATE INDEX audit_event_time_idx ON audit_event (occurred_at, global_index);
