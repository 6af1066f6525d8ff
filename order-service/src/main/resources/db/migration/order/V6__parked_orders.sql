-- Orders whose saga could not handle one of their events (a bug, data it cannot read): parked, so that every other
-- order goes on. Each of the order's events from then on is kept in parked_event, in order, and handed to the saga
-- when an operator releases the order (POST /admin/dead-letters/{orderId}/retry).
CREATE TABLE parked_order (
    order_id         varchar(64)   NOT NULL,
    parked_at        timestamp(6) with time zone NOT NULL,
    event_type       varchar(255)  NOT NULL,
    error            varchar(1000) NOT NULL,
    release_attempts integer       NOT NULL DEFAULT 0,
    last_release_at  timestamp(6) with time zone,
    CONSTRAINT parked_order_pkey PRIMARY KEY (order_id)
);

CREATE TABLE parked_event (
    order_id     varchar(64)  NOT NULL,
    global_index bigint       NOT NULL,
    event_id     varchar(255) NOT NULL,
    event_type   varchar(255) NOT NULL,
    parked_at    timestamp(6) with time zone NOT NULL,
    CONSTRAINT parked_event_pkey PRIMARY KEY (order_id, global_index)
);
