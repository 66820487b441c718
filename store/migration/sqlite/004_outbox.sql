-- Replies and notifications waiting to be sent, written in the same
-- transaction as the state change that caused them: a crash after the commit
-- sends them on restart (delivery at least once).
CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	chat_id    INTEGER NOT NULL,
	thread_id  INTEGER NOT NULL DEFAULT 0,
	payload    TEXT NOT NULL,
	status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    TEXT NOT NULL,
	created_at TEXT NOT NULL,
	done_at    TEXT,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (status, chat_id, thread_id, id);

-- Telegram said the chat is gone (blocked the bot, deleted the chat).
ALTER TABLE conversations ADD COLUMN unreachable INTEGER NOT NULL DEFAULT 0;
