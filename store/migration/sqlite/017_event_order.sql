-- The core retries an event for days and does not keep order: the latest
-- event taken about each subject (a scheduled repayment, a customer, a
-- closure request), by the core's created_at, so that an older one arriving
-- later does not undo what a newer one told.
CREATE TABLE core_event_order (
	subject    TEXT PRIMARY KEY,
	created_at INTEGER NOT NULL,
	seen_at    INTEGER NOT NULL
);
CREATE INDEX core_event_order_seen ON core_event_order (seen_at);
