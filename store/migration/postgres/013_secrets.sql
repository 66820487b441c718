-- Secrets of the deployment, made at the bot's first start and shared by
-- every instance on this database: chat_ref keys the references that name
-- chats in logs and idempotency keys (supportbot.ChatRefs). Kept here, not
-- in the environment, so that a restart or another instance names a chat
-- the same way; a backup carries them with the data they belong to.
CREATE TABLE secrets (
	name       TEXT PRIMARY KEY,
	value      BYTEA NOT NULL,
	created_at BIGINT NOT NULL
);
