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
