-- The core boundary (issue 16) and one form for instants (issue 15.9).
--
-- Instants become INTEGER milliseconds since the Unix epoch, UTC (they were
-- RFC 3339 text with a variable number of fraction digits, compared as text);
-- NULL means "no time" (it was ''). The bot's own state no longer references
-- the embedded core's tables: with an HTTP core the customers live elsewhere.
-- Tables are rebuilt (SQLite cannot change a column's type); none of the
-- rebuilt ones is referenced by another table.

-- Conversations: the phone the chat was linked through (a link follows the
-- phone on file), no foreign key to customers.
CREATE TABLE conversations_v2 (
	chat_id      INTEGER PRIMARY KEY,
	user_id      INTEGER NOT NULL DEFAULT 0,
	lang         TEXT NOT NULL DEFAULT 'zh',
	lang_chosen  BOOLEAN NOT NULL DEFAULT FALSE,
	customer_id  TEXT,
	linked_phone TEXT NOT NULL DEFAULT '',
	flow         TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL DEFAULT '',
	slots        TEXT NOT NULL DEFAULT '{}',
	nonce        TEXT NOT NULL DEFAULT '',
	misses       INTEGER NOT NULL DEFAULT 0,
	transcript   TEXT NOT NULL DEFAULT '[]',
	unreachable  BOOLEAN NOT NULL DEFAULT FALSE,
	updated_at   INTEGER NOT NULL
);
INSERT INTO conversations_v2 (chat_id, user_id, lang, lang_chosen, customer_id, linked_phone, flow, state, slots, nonce,
	misses, transcript, unreachable, updated_at)
SELECT c.chat_id, c.user_id, c.lang, c.lang_chosen, c.customer_id, COALESCE((SELECT phone FROM customers WHERE id = c.customer_id), ''),
	-- A flow's slots changed shape: every chat starts afresh at the menu.
	'', '', '{}', '', c.misses, c.transcript, c.unreachable,
	COALESCE(CAST(ROUND(unixepoch(c.updated_at, 'subsec') * 1000) AS INTEGER), 0)
FROM conversations c;
DROP TABLE conversations;
ALTER TABLE conversations_v2 RENAME TO conversations;
CREATE INDEX conversations_customer ON conversations (customer_id);

-- The inbox: every event a chat must handle (Telegram updates, core events,
-- settled money actions, agents' replies), kept until its step committed.
-- source deduplicates: u:<update_id>, e:<event id>:<chat>, a:<action key>…
CREATE TABLE inbox (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	chat_id     INTEGER NOT NULL,
	source      TEXT UNIQUE,
	kind        TEXT NOT NULL,
	payload     TEXT NOT NULL DEFAULT '{}',
	state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done')),
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     INTEGER NOT NULL,
	received_at INTEGER NOT NULL,
	done_at     INTEGER
);
CREATE INDEX inbox_pending ON inbox (chat_id, id) WHERE state = 'pending';
CREATE INDEX inbox_done ON inbox (done_at) WHERE state = 'done';
INSERT INTO inbox (chat_id, source, kind, payload, state, next_at, received_at, done_at)
SELECT 0, 'u:' || update_id, 'update', '{}', 'done', 0,
	COALESCE(CAST(ROUND(unixepoch(processed_at, 'subsec') * 1000) AS INTEGER), 0),
	COALESCE(CAST(ROUND(unixepoch(processed_at, 'subsec') * 1000) AS INTEGER), 0)
FROM processed_updates;
DROP TABLE processed_updates;

-- Core events already taken (the core retries for 3 days and does not keep order).
CREATE TABLE seen_events (
	id      TEXT PRIMARY KEY,
	seen_at INTEGER NOT NULL
);

-- Which instance handles a chat's inbox, and periodic jobs, until when
-- (several instances on PostgreSQL; one SQLite process holds them alone).
CREATE TABLE chat_leases (
	chat_id INTEGER PRIMARY KEY,
	owner   TEXT NOT NULL,
	until   INTEGER NOT NULL
);
CREATE TABLE job_leases (
	name  TEXT PRIMARY KEY,
	owner TEXT NOT NULL,
	until INTEGER NOT NULL
);

-- Money actions: a confirmed repayment, cancellation or closure request,
-- committed with the step that confirmed it and executed against the core
-- after the commit, by its idempotency key.
CREATE TABLE actions (
	key         TEXT PRIMARY KEY,
	chat_id     INTEGER NOT NULL,
	customer_id TEXT NOT NULL,
	kind        TEXT NOT NULL,
	request     TEXT NOT NULL,
	state       TEXT NOT NULL,
	result      TEXT NOT NULL DEFAULT '',
	attempts    INTEGER NOT NULL DEFAULT 0,
	next_at     INTEGER NOT NULL,
	lease_owner TEXT NOT NULL DEFAULT '',
	lease_until INTEGER NOT NULL DEFAULT 0,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	settled_at  INTEGER
);
CREATE INDEX actions_due ON actions (state, next_at);
CREATE INDEX actions_chat ON actions (chat_id);

CREATE TABLE outbox_v2 (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	chat_id       INTEGER NOT NULL,
	thread_id     INTEGER NOT NULL DEFAULT 0,
	payload       TEXT NOT NULL,
	status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	attempts      INTEGER NOT NULL DEFAULT 0,
	next_at       INTEGER NOT NULL,
	created_at    INTEGER NOT NULL,
	done_at       INTEGER,
	last_error    TEXT NOT NULL DEFAULT '',
	claimed_by    TEXT NOT NULL DEFAULT '',
	claimed_until INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_v2 (id, chat_id, thread_id, payload, status, attempts, next_at, created_at, done_at, last_error)
SELECT id, chat_id, thread_id, payload, status, attempts,
	COALESCE(CAST(ROUND(unixepoch(next_at, 'subsec') * 1000) AS INTEGER), 0),
	COALESCE(CAST(ROUND(unixepoch(created_at, 'subsec') * 1000) AS INTEGER), 0),
	CAST(ROUND(unixepoch(done_at, 'subsec') * 1000) AS INTEGER), last_error
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (chat_id, thread_id, id) WHERE status = 'pending';
CREATE INDEX outbox_done ON outbox (done_at) WHERE status <> 'pending';

CREATE TABLE audit_log_v2 (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	time        INTEGER NOT NULL,
	action      TEXT NOT NULL,
	customer_id TEXT NOT NULL DEFAULT '',
	chat_id     INTEGER NOT NULL DEFAULT 0,
	details     TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO audit_log_v2 (id, time, action, customer_id, chat_id, details)
SELECT id, COALESCE(CAST(ROUND(unixepoch(time, 'subsec') * 1000) AS INTEGER), 0), action, customer_id, chat_id, details
FROM audit_log;
DROP TRIGGER audit_log_no_update;
DROP TRIGGER audit_log_no_delete;
DROP TABLE audit_log;
ALTER TABLE audit_log_v2 RENAME TO audit_log;
CREATE INDEX audit_customer ON audit_log (customer_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE notices_v2 (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	customer_id TEXT NOT NULL,
	time        INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	params      TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO notices_v2 (id, customer_id, time, kind, params)
SELECT id, customer_id, COALESCE(CAST(ROUND(unixepoch(time, 'subsec') * 1000) AS INTEGER), 0), kind, params FROM notices;
DROP TABLE notices;
ALTER TABLE notices_v2 RENAME TO notices;
CREATE INDEX notices_customer ON notices (customer_id, id);

CREATE TABLE tickets_v2 (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	chat_id        INTEGER NOT NULL,
	customer_id    TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL CHECK (status IN ('open', 'closed', 'referred')),
	topic_id       INTEGER NOT NULL DEFAULT 0,
	agent_id       INTEGER NOT NULL DEFAULT 0,
	agent_name     TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	previous_id    INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL,
	claimed_at     INTEGER,
	first_reply_at INTEGER,
	closed_at      INTEGER,
	rating         INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
	reminded       BOOLEAN NOT NULL DEFAULT FALSE
);
INSERT INTO tickets_v2 (id, chat_id, customer_id, status, topic_id, agent_id, agent_name, reason, previous_id, created_at,
	claimed_at, first_reply_at, closed_at, rating, reminded)
SELECT id, chat_id, customer_id, status, topic_id, agent_id, agent_name, reason, previous_id,
	COALESCE(CAST(ROUND(unixepoch(created_at, 'subsec') * 1000) AS INTEGER), 0),
	CAST(ROUND(unixepoch(NULLIF(claimed_at, ''), 'subsec') * 1000) AS INTEGER),
	CAST(ROUND(unixepoch(NULLIF(first_reply_at, ''), 'subsec') * 1000) AS INTEGER),
	CAST(ROUND(unixepoch(NULLIF(closed_at, ''), 'subsec') * 1000) AS INTEGER),
	rating, reminded
FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_v2 RENAME TO tickets;
CREATE UNIQUE INDEX tickets_open_chat ON tickets (chat_id) WHERE status = 'open';
CREATE INDEX tickets_topic ON tickets (topic_id);

CREATE TABLE closure_locks_v2 (
	customer_id  TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
	locked_until INTEGER,
	updated_at   INTEGER NOT NULL
);
INSERT INTO closure_locks_v2 (customer_id, failures, locked_until, updated_at)
SELECT customer_id, failures, CAST(ROUND(unixepoch(NULLIF(locked_until, ''), 'subsec') * 1000) AS INTEGER),
	COALESCE(CAST(ROUND(unixepoch(updated_at, 'subsec') * 1000) AS INTEGER), 0)
FROM closure_locks;
DROP TABLE closure_locks;
ALTER TABLE closure_locks_v2 RENAME TO closure_locks;

CREATE TABLE faq_misses_v2 (
	text       TEXT PRIMARY KEY,
	count      INTEGER NOT NULL DEFAULT 1,
	first_seen INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL
);
INSERT INTO faq_misses_v2 (text, count, first_seen, last_seen)
SELECT text, count, COALESCE(CAST(ROUND(unixepoch(first_seen, 'subsec') * 1000) AS INTEGER), 0),
	COALESCE(CAST(ROUND(unixepoch(last_seen, 'subsec') * 1000) AS INTEGER), 0)
FROM faq_misses;
DROP TABLE faq_misses;
ALTER TABLE faq_misses_v2 RENAME TO faq_misses;
CREATE INDEX faq_misses_count ON faq_misses (count DESC);

CREATE TABLE reminder_subscriptions_v2 (
	customer_id TEXT PRIMARY KEY,
	since       INTEGER NOT NULL
);
INSERT INTO reminder_subscriptions_v2 (customer_id, since)
SELECT customer_id, COALESCE(CAST(ROUND(unixepoch(since, 'subsec') * 1000) AS INTEGER), 0) FROM reminder_subscriptions;
DROP TABLE reminder_subscriptions;
ALTER TABLE reminder_subscriptions_v2 RENAME TO reminder_subscriptions;

CREATE TABLE reminders_v2 (
	customer_id TEXT NOT NULL,
	plan_id     TEXT NOT NULL,
	period      INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	queued_at   INTEGER NOT NULL,
	UNIQUE (customer_id, plan_id, period, kind)
);
INSERT INTO reminders_v2 (customer_id, plan_id, period, kind, queued_at)
SELECT customer_id, plan_id, period, kind, COALESCE(CAST(ROUND(unixepoch(queued_at, 'subsec') * 1000) AS INTEGER), 0) FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_v2 RENAME TO reminders;

-- A subscriber's plans are read once a day for reminders: the pass costs what
-- the subscribers do, not the whole customer base.
CREATE TABLE reminder_checks (
	customer_id TEXT NOT NULL,
	day         TEXT NOT NULL,
	checked_at  INTEGER NOT NULL,
	PRIMARY KEY (customer_id, day)
);

CREATE TABLE announcement_deliveries_v2 (
	announcement_id INTEGER NOT NULL,
	chat_id         INTEGER NOT NULL,
	queued_at       INTEGER NOT NULL,
	PRIMARY KEY (announcement_id, chat_id)
);
INSERT INTO announcement_deliveries_v2 (announcement_id, chat_id, queued_at)
SELECT announcement_id, chat_id, COALESCE(CAST(ROUND(unixepoch(queued_at, 'subsec') * 1000) AS INTEGER), 0) FROM announcement_deliveries;
DROP TABLE announcement_deliveries;
CREATE TABLE announcements_v2 (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	text_zh    TEXT NOT NULL,
	text_en    TEXT NOT NULL,
	until      INTEGER NOT NULL,
	broadcast  INTEGER NOT NULL DEFAULT 0 CHECK (broadcast IN (0, 1, 2)),
	active     BOOLEAN NOT NULL DEFAULT TRUE,
	created_at INTEGER NOT NULL,
	cleared_at INTEGER
);
INSERT INTO announcements_v2 (id, text_zh, text_en, until, broadcast, active, created_at, cleared_at)
SELECT id, text_zh, text_en, COALESCE(CAST(ROUND(unixepoch(until, 'subsec') * 1000) AS INTEGER), 0), broadcast, active,
	COALESCE(CAST(ROUND(unixepoch(created_at, 'subsec') * 1000) AS INTEGER), 0),
	CAST(ROUND(unixepoch(NULLIF(cleared_at, ''), 'subsec') * 1000) AS INTEGER)
FROM announcements;
DROP TABLE announcements;
ALTER TABLE announcements_v2 RENAME TO announcements;
ALTER TABLE announcement_deliveries_v2 RENAME TO announcement_deliveries;
CREATE UNIQUE INDEX announcements_one_active ON announcements (active) WHERE active = TRUE;

-- The embedded core: scheduled repayments with instants and the 'failed'
-- status of the contract; closure requests with their decision time.
CREATE TABLE scheduled_repayments_v2 (
	id          TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL REFERENCES customers (id),
	plan_id     TEXT NOT NULL REFERENCES plans (id),
	period      INTEGER NOT NULL,
	amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
	card_id     TEXT NOT NULL,
	run_at      INTEGER NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('scheduled', 'processing', 'done', 'cancelled', 'failed'))
);
INSERT INTO scheduled_repayments_v2 (id, customer_id, plan_id, period, amount_fen, card_id, run_at, status)
SELECT id, customer_id, plan_id, period, amount_fen, card_id,
	COALESCE(CAST(ROUND(unixepoch(run_at, 'subsec') * 1000) AS INTEGER), 0), status
FROM scheduled_repayments;
DROP TABLE scheduled_repayments;
ALTER TABLE scheduled_repayments_v2 RENAME TO scheduled_repayments;
CREATE INDEX scheduled_customer ON scheduled_repayments (customer_id);

CREATE TABLE closure_requests_v2 (
	reference     TEXT PRIMARY KEY,
	customer_id   TEXT NOT NULL REFERENCES customers (id),
	day           TEXT NOT NULL,
	seq           INTEGER NOT NULL CHECK (seq > 0),
	status        TEXT NOT NULL CHECK (status IN ('submitted', 'completed', 'rejected')),
	reason        TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,
	expected_from TEXT NOT NULL,
	expected_to   TEXT NOT NULL,
	decided_at    INTEGER,
	UNIQUE (day, seq)
);
INSERT INTO closure_requests_v2 (reference, customer_id, day, seq, status, reason, created_at, expected_from, expected_to, decided_at)
SELECT reference, customer_id, day, seq, status, reason,
	COALESCE(CAST(ROUND(unixepoch(created_at, 'subsec') * 1000) AS INTEGER), 0), expected_from, expected_to,
	CASE WHEN status = 'submitted' THEN NULL ELSE CAST(ROUND(unixepoch(updated_at, 'subsec') * 1000) AS INTEGER) END
FROM closure_requests;
DROP TABLE closure_requests;
ALTER TABLE closure_requests_v2 RENAME TO closure_requests;
CREATE INDEX closure_requests_customer ON closure_requests (customer_id, day, seq);
CREATE UNIQUE INDEX closure_requests_open ON closure_requests (customer_id) WHERE status = 'submitted';

-- The embedded core's quotes, repayments (one per idempotency key), the first
-- final answer of every other action per key, and the events it owes the bot.
CREATE TABLE core_quotes (
	id             TEXT PRIMARY KEY,
	customer_id    TEXT NOT NULL,
	plan_id        TEXT NOT NULL,
	kind           TEXT NOT NULL,
	periods        TEXT NOT NULL,
	excluded       TEXT NOT NULL,
	amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
	principal_fen  INTEGER NOT NULL,
	fees_fen       INTEGER NOT NULL,
	late_fees_fen  INTEGER NOT NULL,
	prepay_fee_fen INTEGER NOT NULL,
	fingerprint    TEXT NOT NULL,
	created_at     INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL
);
CREATE INDEX core_quotes_created ON core_quotes (created_at);
CREATE TABLE core_repayments (
	id              TEXT PRIMARY KEY,
	idempotency_key TEXT NOT NULL UNIQUE,
	quote_id        TEXT NOT NULL,
	customer_id     TEXT NOT NULL,
	plan_id         TEXT NOT NULL,
	card_id         TEXT NOT NULL,
	amount_fen      INTEGER NOT NULL CHECK (amount_fen > 0),
	periods         TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('succeeded', 'processing', 'declined', 'failed')),
	decline_reason  TEXT NOT NULL DEFAULT '',
	cancelled       TEXT NOT NULL DEFAULT '[]',
	created_at      INTEGER NOT NULL,
	settled_at      INTEGER
);
CREATE INDEX core_repayments_customer ON core_repayments (customer_id);
CREATE TABLE core_requests (
	idempotency_key TEXT PRIMARY KEY,
	op              TEXT NOT NULL,
	request         TEXT NOT NULL,
	response        TEXT NOT NULL,
	created_at      INTEGER NOT NULL
);
CREATE TABLE core_events (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	id           TEXT NOT NULL UNIQUE,
	type         TEXT NOT NULL,
	data         TEXT NOT NULL,
	created_at   INTEGER NOT NULL,
	delivered_at INTEGER
);
CREATE INDEX core_events_pending ON core_events (seq) WHERE delivered_at IS NULL;
