-- The message of each chat that shows the current step's buttons, so that
-- they can be taken off once the customer leaves the step (issue 18).
CREATE TABLE step_messages (
	chat_id    INTEGER PRIMARY KEY,
	nonce      TEXT NOT NULL,
	message_id INTEGER NOT NULL
);
