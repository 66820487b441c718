-- Token buckets shared by every instance of the bot (issue 19): Telegram's
-- limits (30 messages a second for the whole bot, 20 a minute to a group)
-- hold for the bot, not per process. tokens is what the bucket held at
-- updated_at (milliseconds since the Unix epoch); it refills from there.
CREATE TABLE rate_buckets (
	name       TEXT PRIMARY KEY,
	tokens     DOUBLE PRECISION NOT NULL,
	updated_at BIGINT NOT NULL
);
