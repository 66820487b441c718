-- An event set aside until next_at (a core event whose step the core did not
-- answer) holds back only the chat's later events of its kind: a customer's
-- messages are not kept waiting behind it for hours.
ALTER TABLE inbox ADD COLUMN aside BOOLEAN NOT NULL DEFAULT FALSE;
-- What a pending event looks for behind it (is an event of its kind set
-- aside before it?) reads this nearly empty index, not every pending event
-- of the chat: a flooded chat's thousands stay cheap.
CREATE INDEX inbox_aside ON inbox (chat_id, kind, id) WHERE state = 'pending' AND aside;
