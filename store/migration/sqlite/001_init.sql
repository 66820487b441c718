-- Customers and what the installment core system exports about them.
-- Money is INTEGER fen everywhere. Dates are TEXT 'YYYY-MM-DD' in the support
-- timezone; instants are TEXT RFC 3339 in UTC.
CREATE TABLE customers (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	phone           TEXT NOT NULL UNIQUE,
	id_card_last4   TEXT NOT NULL,
	language        TEXT NOT NULL DEFAULT 'zh',
	pending_refunds INTEGER NOT NULL DEFAULT 0 CHECK (pending_refunds >= 0)
);

CREATE TABLE cards (
	customer_id TEXT NOT NULL REFERENCES customers (id),
	id          TEXT NOT NULL,
	bank        TEXT NOT NULL,
	last4       TEXT NOT NULL,
	is_default  INTEGER NOT NULL DEFAULT 0,
	frozen      INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (customer_id, id)
);

CREATE TABLE plans (
	id                 TEXT PRIMARY KEY,
	customer_id        TEXT NOT NULL REFERENCES customers (id),
	order_no           TEXT NOT NULL,
	product            TEXT NOT NULL,
	partner            TEXT NOT NULL,
	principal_fen      INTEGER NOT NULL CHECK (principal_fen >= 0),
	periods            INTEGER NOT NULL CHECK (periods > 0),
	prepay_fee_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (prepay_fee_rate_bp >= 0),
	auto_repay         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plans_customer ON plans (customer_id);

CREATE TABLE bills (
	plan_id       TEXT NOT NULL REFERENCES plans (id),
	period        INTEGER NOT NULL,
	due_date      TEXT NOT NULL,
	principal_fen INTEGER NOT NULL CHECK (principal_fen >= 0),
	fee_fen       INTEGER NOT NULL DEFAULT 0 CHECK (fee_fen >= 0),
	late_fee_fen  INTEGER NOT NULL DEFAULT 0 CHECK (late_fee_fen >= 0),
	status        TEXT NOT NULL CHECK (status IN ('paid', 'unpaid')),
	PRIMARY KEY (plan_id, period)
);

CREATE TABLE scheduled_repayments (
	id          TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL REFERENCES customers (id),
	plan_id     TEXT NOT NULL REFERENCES plans (id),
	period      INTEGER NOT NULL,
	amount_fen  INTEGER NOT NULL CHECK (amount_fen >= 0),
	card_id     TEXT NOT NULL,
	run_at      TEXT NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('scheduled', 'processing', 'done', 'cancelled'))
);
CREATE INDEX scheduled_customer ON scheduled_repayments (customer_id);

-- One row per chat: the conversation state survives a restart.
CREATE TABLE conversations (
	chat_id     INTEGER PRIMARY KEY,
	user_id     INTEGER NOT NULL DEFAULT 0,
	lang        TEXT NOT NULL DEFAULT 'zh',
	lang_chosen INTEGER NOT NULL DEFAULT 0,
	customer_id TEXT REFERENCES customers (id),
	flow        TEXT NOT NULL DEFAULT '',
	state       TEXT NOT NULL DEFAULT '',
	slots       TEXT NOT NULL DEFAULT '{}',
	nonce       TEXT NOT NULL DEFAULT '',
	misses      INTEGER NOT NULL DEFAULT 0,
	updated_at  TEXT NOT NULL
);
CREATE INDEX conversations_customer ON conversations (customer_id);

-- Updates already handled, recorded in the transaction that handled them.
CREATE TABLE processed_updates (
	update_id    INTEGER PRIMARY KEY,
	processed_at TEXT NOT NULL
);

-- Append-only: the triggers refuse to change or remove an entry.
CREATE TABLE audit_log (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	time        TEXT NOT NULL,
	action      TEXT NOT NULL,
	customer_id TEXT NOT NULL DEFAULT '',
	chat_id     INTEGER NOT NULL DEFAULT 0,
	details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_customer ON audit_log (customer_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Money moved by the bot: one row per payment, keyed by the idempotency key of
-- the quote or request that caused it, so a repeat can never pay twice.
CREATE TABLE payments (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	idempotency_key TEXT NOT NULL UNIQUE,
	kind            TEXT NOT NULL,
	customer_id     TEXT NOT NULL REFERENCES customers (id),
	plan_id         TEXT NOT NULL REFERENCES plans (id),
	card_id         TEXT NOT NULL,
	amount_fen      INTEGER NOT NULL CHECK (amount_fen >= 0),
	created_at      TEXT NOT NULL
);

-- The message center: confirmations kept for the customer.
CREATE TABLE notices (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	customer_id TEXT NOT NULL REFERENCES customers (id),
	time        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	params      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX notices_customer ON notices (customer_id, id);
