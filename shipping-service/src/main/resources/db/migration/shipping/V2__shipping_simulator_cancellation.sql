-- Bookings can be cancelled (the saga's compensation when a booking's outcome is unknown).
ALTER TABLE shipping_simulator_ledger ADD COLUMN cancelled boolean NOT NULL DEFAULT false;
