-- Axon Framework's tables on PostgreSQL, shared by every service.
-- Columns match Axon 4.13's JPA entities as mapped by ByteaPostgreSQLDialect (Hibernate validates them at start):
-- every serialized payload is bytea (never oid large objects).

-- Event store -------------------------------------------------------------------------------------------------
-- One id at a time (see META-INF/orm.xml): the global index orders events across all processes. Used by nothing else.
CREATE SEQUENCE domain_event_entry_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE domain_event_entry (
    global_index         bigint       NOT NULL,
    event_identifier     varchar(255) NOT NULL,
    aggregate_identifier varchar(255) NOT NULL,
    sequence_number      bigint       NOT NULL,
    type                 varchar(255),
    time_stamp           varchar(255) NOT NULL,
    payload_type         varchar(255) NOT NULL,
    payload_revision     varchar(255),
    payload              bytea        NOT NULL,
    meta_data            bytea,
    CONSTRAINT domain_event_entry_pkey PRIMARY KEY (global_index),
    CONSTRAINT domain_event_entry_aggregate_sequence_key UNIQUE (aggregate_identifier, sequence_number),
    CONSTRAINT domain_event_entry_event_identifier_key UNIQUE (event_identifier)
);

CREATE TABLE snapshot_event_entry (
    aggregate_identifier varchar(255) NOT NULL,
    sequence_number      bigint       NOT NULL,
    type                 varchar(255) NOT NULL,
    event_identifier     varchar(255) NOT NULL,
    time_stamp           varchar(255) NOT NULL,
    payload_type         varchar(255) NOT NULL,
    payload_revision     varchar(255),
    payload              bytea        NOT NULL,
    meta_data            bytea,
    -- aggregate first: snapshots are looked up by aggregate, newest sequence number first
    CONSTRAINT snapshot_event_entry_pkey PRIMARY KEY (aggregate_identifier, sequence_number, type),
    CONSTRAINT snapshot_event_entry_event_identifier_key UNIQUE (event_identifier)
);

-- Event processors' progress -----------------------------------------------------------------------------------
-- Each service's processors have names of their own, so each service's rows are its own.
CREATE TABLE token_entry (
    processor_name varchar(255) NOT NULL,
    segment        integer      NOT NULL,
    owner          varchar(255),
    "timestamp"    varchar(255) NOT NULL,
    token          bytea,
    token_type     varchar(255),
    CONSTRAINT token_entry_pkey PRIMARY KEY (processor_name, segment)
);

-- Sagas --------------------------------------------------------------------------------------------------------
CREATE TABLE saga_entry (
    saga_id         varchar(255) NOT NULL,
    saga_type       varchar(255),
    revision        varchar(255),
    serialized_saga bytea,
    CONSTRAINT saga_entry_pkey PRIMARY KEY (saga_id)
);

CREATE SEQUENCE association_value_entry_seq START WITH 1 INCREMENT BY 50;

CREATE TABLE association_value_entry (
    id                bigint       NOT NULL,
    association_key   varchar(255) NOT NULL,
    association_value varchar(255),
    saga_id           varchar(255) NOT NULL,
    saga_type         varchar(255),
    CONSTRAINT association_value_entry_pkey PRIMARY KEY (id)
);
-- Without these every event a saga processor reads scans the whole table to find its sagas.
CREATE INDEX association_value_entry_lookup_idx
    ON association_value_entry (saga_type, association_key, association_value);
CREATE INDEX association_value_entry_saga_idx
    ON association_value_entry (saga_id, saga_type);

-- Dead letters (Axon registers the entity; no processor here uses a dead-letter queue yet) -------------------
CREATE TABLE dead_letter_entry (
    dead_letter_id       varchar(255)  NOT NULL,
    processing_group     varchar(255)  NOT NULL,
    sequence_identifier  varchar(255)  NOT NULL,
    sequence_index       bigint        NOT NULL,
    message_type         varchar(255)  NOT NULL,
    event_identifier     varchar(255)  NOT NULL,
    time_stamp           varchar(255)  NOT NULL,
    payload_type         varchar(255)  NOT NULL,
    payload_revision     varchar(255),
    payload              bytea         NOT NULL,
    meta_data            bytea,
    type                 varchar(255),
    aggregate_identifier varchar(255),
    sequence_number      bigint,
    token_type           varchar(255),
    token                bytea,
    enqueued_at          timestamp(6) with time zone NOT NULL,
    last_touched         timestamp(6) with time zone,
    processing_started   timestamp(6) with time zone,
    cause_type           varchar(255),
    cause_message        varchar(1023),
    diagnostics          bytea,
    CONSTRAINT dead_letter_entry_pkey PRIMARY KEY (dead_letter_id),
    CONSTRAINT dead_letter_entry_sequence_key UNIQUE (processing_group, sequence_identifier, sequence_index)
);
CREATE INDEX dead_letter_entry_group_idx ON dead_letter_entry (processing_group);
CREATE INDEX dead_letter_entry_sequence_idx ON dead_letter_entry (processing_group, sequence_identifier);
