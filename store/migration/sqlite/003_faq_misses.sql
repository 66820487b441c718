-- Questions the bot could not answer, masked, counted: what to add to the FAQ.
CREATE TABLE faq_misses (
	text       TEXT PRIMARY KEY,
	count      INTEGER NOT NULL DEFAULT 1,
	first_seen TEXT NOT NULL,
	last_seen  TEXT NOT NULL
);
CREATE INDEX faq_misses_count ON faq_misses (count DESC);
