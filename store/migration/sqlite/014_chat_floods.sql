-- A customer who floods the bot is told once to slow down (issue 15.7):
-- when, per chat, so that a flood of 2,000 messages gets one notice, not
-- one per reply the outbox has no room for.
CREATE TABLE chat_floods (
	chat_id INTEGER PRIMARY KEY,
	told_at INTEGER NOT NULL
);
