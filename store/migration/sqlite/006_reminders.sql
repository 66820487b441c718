-- Due-date reminders and operator announcements. Dates are TEXT 'YYYY-MM-DD'
-- in the support timezone; instants are TEXT RFC 3339 in UTC.

-- Customers who asked (/remind) to be reminded of due dates.
CREATE TABLE reminder_subscriptions (
	customer_id TEXT PRIMARY KEY REFERENCES customers (id),
	since       TEXT NOT NULL
);

-- Reminders queued, one per customer, plan, period and kind ('due_3', 'due_1',
-- 'overdue' …), written in the transaction that put the message in the outbox:
-- the UNIQUE key makes a repeat, a restart or a second bot instance queue
-- nothing twice. A reminder nobody could be sent (every chat unreachable) is
-- not recorded.
CREATE TABLE reminders (
	customer_id TEXT NOT NULL REFERENCES customers (id),
	plan_id     TEXT NOT NULL REFERENCES plans (id),
	period      INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	queued_at   TEXT NOT NULL,
	UNIQUE (customer_id, plan_id, period, kind)
);

-- The reminder job looks bills up by due date.
CREATE INDEX bills_due ON bills (due_date, status);

-- Operator notices ("the installment feature is down; repay in the finance
-- app"). At most one is active: setting one deactivates the previous one.
-- broadcast: 0 shown only, 1 to be sent to every linked chat, 2 sent.
CREATE TABLE announcements (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	text_zh    TEXT NOT NULL,
	text_en    TEXT NOT NULL,
	until      TEXT NOT NULL,
	broadcast  INTEGER NOT NULL DEFAULT 0 CHECK (broadcast IN (0, 1, 2)),
	active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
	created_at TEXT NOT NULL,
	cleared_at TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX announcements_one_active ON announcements (active) WHERE active = 1;

-- The chats a broadcast was queued to, in the transaction that queued it: a
-- restart midway resumes with the chats not yet listed.
CREATE TABLE announcement_deliveries (
	announcement_id INTEGER NOT NULL REFERENCES announcements (id),
	chat_id         INTEGER NOT NULL,
	queued_at       TEXT NOT NULL,
	PRIMARY KEY (announcement_id, chat_id)
);
