-- Requests to close the installment account, and the identity-check lock of
-- closure. Dates are TEXT 'YYYY-MM-DD' in the support timezone; instants are
-- TEXT RFC 3339 in UTC.
--
-- The reference is CR-<day>-<seq>: day is the submission date, seq a per-day
-- sequence allocated from closure_sequences in the submitting transaction.
CREATE TABLE closure_requests (
	reference     TEXT PRIMARY KEY,
	customer_id   TEXT NOT NULL REFERENCES customers (id),
	day           TEXT NOT NULL,
	seq           INTEGER NOT NULL CHECK (seq > 0),
	status        TEXT NOT NULL CHECK (status IN ('submitted', 'completed', 'rejected')),
	reason        TEXT NOT NULL DEFAULT '',
	created_at    TEXT NOT NULL,
	expected_from TEXT NOT NULL,
	expected_to   TEXT NOT NULL,
	updated_at    TEXT NOT NULL,
	-- Set when an agent decided and the customer has not been told yet; the
	-- delivery (an outbox) clears it.
	notify        INTEGER NOT NULL DEFAULT 0,
	UNIQUE (day, seq)
);
CREATE INDEX closure_requests_customer ON closure_requests (customer_id, day, seq);
-- At most one open request per customer, whatever the callers do.
CREATE UNIQUE INDEX closure_requests_open ON closure_requests (customer_id) WHERE status = 'submitted';

-- The last sequence number handed out per day. An upsert on it is atomic in
-- SQLite and PostgreSQL alike, so concurrent submissions never share a number.
CREATE TABLE closure_sequences (
	day  TEXT PRIMARY KEY,
	last_seq INTEGER NOT NULL
);

-- Failed identity checks for closure, per customer (not per chat): the third
-- in a row locks closure until locked_until. A success removes the row.
CREATE TABLE closure_locks (
	customer_id  TEXT PRIMARY KEY REFERENCES customers (id),
	failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
	locked_until TEXT NOT NULL DEFAULT '',
	updated_at   TEXT NOT NULL
);
