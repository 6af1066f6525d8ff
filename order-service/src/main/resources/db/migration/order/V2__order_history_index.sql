-- GET /orders/{id}/history reads the event store itself. Every event that belongs to an order carries its id in
-- the payload (JSON, written by Axon's Jackson serializer); this function extracts it and the index makes the
-- lookup cheap, whichever aggregate stored the event.
-- IMMUTABLE holds: the payload bytes of a stored event never change and are always UTF-8 JSON.
CREATE FUNCTION ordersaga_event_order_id(payload bytea) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT convert_from(payload, 'UTF8')::jsonb ->> 'orderId' $$;

CREATE INDEX domain_event_entry_order_id_idx ON domain_event_entry (ordersaga_event_order_id(payload));
