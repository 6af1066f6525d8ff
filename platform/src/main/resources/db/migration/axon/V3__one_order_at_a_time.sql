-- One order's events are stored one at a time, in the order their transactions decided them, whichever service
-- stores them. A transaction that appends an event about an order (its JSON payload has an "orderId") first takes a
-- transaction-scoped advisory lock on that order, held until it commits or rolls back; the event's global index is
-- drawn only then. So for any two transactions that store events about one order, the one that locked first has
-- the lower indexes and has committed before the other draws its own: the event store's order of an order's events
-- is the order in which they were decided, across processes too. A transaction that decides from what is stored
-- about its order (the Order aggregate refusing to record a failed attempt of a step that has answered) takes the
-- lock before it reads. Events of different orders never wait for each other.
CREATE FUNCTION ordersaga_event_in_order() RETURNS trigger
    LANGUAGE plpgsql
AS $$
DECLARE
    order_id text := convert_from(NEW.payload, 'UTF8')::jsonb ->> 'orderId';
BEGIN
    IF order_id IS NOT NULL THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(order_id, 0));
    END IF;
    NEW.global_index := nextval('domain_event_entry_seq');
    RETURN NEW;
END
$$;

-- the index is drawn by the trigger, after the lock (a default would draw one more and leave a gap for each event)
ALTER TABLE domain_event_entry ALTER COLUMN global_index DROP DEFAULT;

CREATE TRIGGER domain_event_entry_in_order
    BEFORE INSERT ON domain_event_entry
    FOR EACH ROW EXECUTE FUNCTION ordersaga_event_in_order();
