package store

// What the external tests need to see of the package's insides.

// PruneChunk bounds one pruning transaction.
const PruneChunk = pruneChunk

// Committers is how many transactions db writes at once: a test that wants
// Updates committed as one batch keeps them all busy first.
func Committers(db *DB) int { return db.d.committers }
