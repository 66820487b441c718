-- Hand-offs to a person: one open ticket per chat at most, with the forum
-- topic it lives in in the staff chat.
CREATE TABLE tickets (
	id             INTEGER PRIMARY KEY AUTOINCREMENT,
	chat_id        INTEGER NOT NULL,
	customer_id    TEXT NOT NULL DEFAULT '',
	status         TEXT NOT NULL CHECK (status IN ('open', 'closed', 'referred')),
	topic_id       INTEGER NOT NULL DEFAULT 0,
	agent_id       INTEGER NOT NULL DEFAULT 0,
	agent_name     TEXT NOT NULL DEFAULT '',
	reason         TEXT NOT NULL DEFAULT '',
	previous_id    INTEGER NOT NULL DEFAULT 0,
	created_at     TEXT NOT NULL,
	claimed_at     TEXT NOT NULL DEFAULT '',
	first_reply_at TEXT NOT NULL DEFAULT '',
	closed_at      TEXT NOT NULL DEFAULT '',
	rating         INTEGER NOT NULL DEFAULT 0 CHECK (rating BETWEEN 0 AND 5),
	reminded       INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX tickets_open_chat ON tickets (chat_id) WHERE status = 'open';
CREATE INDEX tickets_topic ON tickets (topic_id);

-- The last messages of each chat, for the agent's context card.
ALTER TABLE conversations ADD COLUMN transcript TEXT NOT NULL DEFAULT '[]';
