package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/mattn/go-sqlite3"
)

// Backup writes a consistent copy of the database to path with SQLite's
// online backup API: safe while the bot is running and writing. path must
// not exist; a failed backup leaves nothing there. The caller names the
// paths in its error.
func (db *DB) Backup(ctx context.Context, path string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return errors.New("the file exists")
	} else if err != nil {
		return err
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(path)
		}
	}()
	dst, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		return err
	}
	defer dst.Close()
	dstConn, err := dst.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open the copy: %w", err)
	}
	defer dstConn.Close()
	srcConn, err := db.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer srcConn.Close()
	return dstConn.Raw(func(dc any) error {
		return srcConn.Raw(func(sc any) error {
			b, err := dc.(*sqlite3.SQLiteConn).Backup("main", sc.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return fmt.Errorf("start backup: %w", err)
			}
			for done := false; !done; {
				// Copy in steps so writers are not held off for the whole copy.
				if done, err = b.Step(1024); err != nil {
					b.Finish()
					return fmt.Errorf("backup step: %w", err)
				}
			}
			return b.Finish()
		})
	})
}

// Prune deletes what only matters for a while: processed update ids (Telegram
// redelivers within hours, not weeks) and sent or failed outbox rows, older
// than before. It reports how many rows went.
func (db *DB) Prune(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	err := db.update(ctx, func(tx *Tx) error {
		for _, q := range []string{
			`DELETE FROM processed_updates WHERE processed_at < ?`,
			`DELETE FROM outbox WHERE status <> 'pending' AND done_at < ?`,
		} {
			res, err := tx.tx.ExecContext(ctx, q, formatTime(before))
			if err != nil {
				return fmt.Errorf("prune: %w", err)
			}
			n, _ := res.RowsAffected()
			total += n
		}
		return nil
	})
	return total, err
}
