-- The track of a message a tracked reply made, by the message: a reply in
-- Telegram to it (an agent's to the customer's post, a customer's to their
-- copy of an agent's message) carries its context to the other side.
CREATE INDEX tracked_messages_message ON tracked_messages (chat_id, message_id);
