-- An event set aside until next_at (a core event whose step the core did not
-- answer) holds back only the chat's later events of its kind: a customer's
-- messages are not kept waiting behind it for hours.
ALTER TABLE inbox ADD COLUMN aside BOOLEAN NOT NULL DEFAULT FALSE;
