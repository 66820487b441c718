package store

import (
	"context"
	"fmt"

	"supportbot"
)

// Secret is the deployment's secret called name: the one kept under that
// name, or value, kept now if there is none. Instances starting at once on
// one database agree: the first to commit keeps its value, the others read
// it back. The store makes no secret itself; it keeps what it is given.
func (db *DB) Secret(ctx context.Context, name string, value []byte) ([]byte, error) {
	if len(value) == 0 {
		return nil, supportbot.Errorf(supportbot.EINVALID, "secret %s: no value", name)
	}
	var kept []byte
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `INSERT INTO secrets (name, value, created_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO NOTHING`, name, value, ms(tx.now)); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT value FROM secrets WHERE name = ?`, name).Scan(&kept)
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return kept, nil
}
