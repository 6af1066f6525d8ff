-- Orders that have ended (completed or cancelled), recorded by EndedOrderStockSettler as it sees their last event:
-- a reservation that arrives for one of them afterwards is given back. ended_at is the time of that event; rows older
-- than the retention (ordersaga.inventory.ended-orders.retention) are deleted by the settler as it goes.
-- Orders that ended before this table existed are not in it: after an upgrade every StockItem still remembers the
-- last 200 orders it closed (it is rebuilt from its events), and no saga sends anything for an order that has ended.
CREATE TABLE inventory_ended_order (
    order_id varchar(255) NOT NULL,
    outcome  varchar(16)  NOT NULL,
    ended_at timestamp(6) with time zone NOT NULL,
    CONSTRAINT inventory_ended_order_pkey PRIMARY KEY (order_id)
);
CREATE INDEX inventory_ended_order_ended_at_idx ON inventory_ended_order (ended_at);
