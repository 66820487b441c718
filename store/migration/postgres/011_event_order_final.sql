-- Whether the latest event taken about a subject told a state that ends it
-- (a booking debited): an event created at the same instant that does not
-- is not taken after it (the core's created_at is in seconds).
ALTER TABLE core_event_order ADD COLUMN final BOOLEAN NOT NULL DEFAULT FALSE;
