package store

import "context"

// What the external tests need to see of the package's insides.

// PruneChunk bounds one pruning transaction.
const PruneChunk = pruneChunk

// Committers is how many transactions db writes at once: a test that wants
// Updates committed as one batch keeps them all busy first.
func Committers(db *DB) int { return db.d.committers }

// Setting is a PostgreSQL run-time setting of db's connections.
func Setting(db *DB, name string) (string, error) {
	var v string
	err := db.read().queryRow(context.Background(), `SELECT current_setting(?)`, name).Scan(&v)
	return v, err
}

// SentTexts is what the outbox records sent to a chat, oldest first.
func SentTexts(db *DB, chatID int64) ([]string, error) {
	rows, err := db.read().query(context.Background(), `SELECT id, payload, attempts FROM outbox WHERE chat_id = ? AND status = 'sent' ORDER BY id`, chatID)
	if err != nil {
		return nil, err
	}
	msgs, err := db.scanMessages(rows)
	var texts []string
	for _, m := range msgs {
		texts = append(texts, m.Reply.Text)
	}
	return texts, err
}
