-- The agent desk (issue 21). Tickets keep what a shift needs: how Telegram
-- names the customer and the name on file, the flow they came from, who
-- answered first, the reminders sent, the queue position they were told,
-- since when the customer waits for an answer, what became of the rating
-- invitation, and the topic's latest post of customer messages (JSON).
-- Instants are INTEGER milliseconds since the Unix epoch, NULL for "no time".
ALTER TABLE tickets ADD COLUMN handle TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN customer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN came_from TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN replied_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN reminded_at INTEGER;
ALTER TABLE tickets ADD COLUMN told_position INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN told_at INTEGER;
ALTER TABLE tickets ADD COLUMN waiting_since INTEGER;
ALTER TABLE tickets ADD COLUMN invite TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN relay TEXT NOT NULL DEFAULT '{}';
UPDATE tickets SET reminders = 1 WHERE reminded;
UPDATE tickets SET waiting_since = created_at WHERE status = 'open' AND first_reply_at IS NULL;

-- Agents' internal notes, shown on later cards (masked before kept).
CREATE TABLE ticket_notes (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	ticket_id  INTEGER NOT NULL,
	agent_id   INTEGER NOT NULL,
	agent_name TEXT NOT NULL DEFAULT '',
	text       TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket_id, id);

-- The staff chat's members the bot has seen act: names for /transfer and
-- for mentioning them.
CREATE TABLE agents (
	user_id  INTEGER PRIMARY KEY,
	name     TEXT NOT NULL,
	username TEXT NOT NULL DEFAULT '',
	seen_at  INTEGER NOT NULL
);

-- The message a tracked reply made (Reply.Track), so that a later reply with
-- the same track edits it: a burst's post in a topic, the customer's copy
-- of an agent's message.
CREATE TABLE tracked_messages (
	chat_id    INTEGER NOT NULL,
	track      TEXT NOT NULL,
	message_id INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (chat_id, track)
);
CREATE INDEX tracked_messages_created ON tracked_messages (created_at);

-- A pending reply is replaced by a newer one with the same track.
ALTER TABLE outbox ADD COLUMN track TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_track ON outbox (chat_id, track) WHERE status = 'pending' AND track <> '';
