-- A staff-chat message belongs to a hand-off ticket, and every ticket's
-- messages have thread 0 here (the sender finds the ticket's forum topic):
-- partitioned by chat and thread alone, one customer's backlog of relays
-- held back a new ticket's context card, and a relay waiting for a retry
-- held back every ticket (issue 15.6). The outbox is read, claimed and held
-- back per chat, thread and ticket.
ALTER TABLE outbox ADD COLUMN ticket_id BIGINT NOT NULL DEFAULT 0;
UPDATE outbox SET ticket_id = COALESCE((payload::jsonb ->> 'ticket_id')::BIGINT, 0) WHERE status = 'pending';
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (chat_id, thread_id, ticket_id, id) WHERE status = 'pending';
