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
// paths in its error. A PostgreSQL database is backed up with pg_dump.
func (db *DB) Backup(ctx context.Context, path string) (err error) {
	if db.d.name != "sqlite" {
		return errors.New("a PostgreSQL database is backed up with pg_dump")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if st, serr := os.Stat(path); errors.Is(err, fs.ErrExist) && serr == nil && st.IsDir() {
		return errors.New("a directory: name the backup's file")
	} else if errors.Is(err, fs.ErrExist) {
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
	dst, err := sql.Open("sqlite3", fileURI(path))
	if err != nil {
		return err
	}
	defer dst.Close()
	dstConn, err := dst.Conn(ctx)
	if err != nil {
		return fmt.Errorf("open the copy: %w", err)
	}
	defer dstConn.Close()
	srcConn, err := db.w.Conn(ctx)
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

// pruneChunk bounds one pruning transaction, so that pruning never holds
// the writer long enough to stall the steps.
const pruneChunk = 1000

// Prune deletes what only matters for a while, older than before: handled
// inbox rows (a redelivered update is recognised for that long), sent or
// failed outbox rows, core event ids seen and their order, reminder checks, expired quotes
// of the embedded core, and when flooding chats were told to slow down. It
// deletes in chunks of bounded size, each its own transaction, and reports
// how many rows went.
func (db *DB) Prune(ctx context.Context, before time.Time) (int64, error) {
	var total int64
	for _, q := range []string{
		`DELETE FROM inbox WHERE id IN (SELECT id FROM inbox WHERE state = 'done' AND done_at < ? LIMIT ?)`,
		`DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status <> 'pending' AND done_at < ? LIMIT ?)`,
		`DELETE FROM seen_events WHERE id IN (SELECT id FROM seen_events WHERE seen_at < ? LIMIT ?)`,
		`DELETE FROM core_event_order WHERE subject IN (SELECT subject FROM core_event_order WHERE seen_at < ? LIMIT ?)`,
		`DELETE FROM core_quotes WHERE id IN (SELECT id FROM core_quotes WHERE expires_at < ? LIMIT ?)`,
		`DELETE FROM reminder_checks WHERE (customer_id, day) IN (SELECT customer_id, day FROM reminder_checks WHERE checked_at < ? LIMIT ?)`,
		`DELETE FROM core_events WHERE seq IN (SELECT seq FROM core_events WHERE delivered_at < ? LIMIT ?)`,
		`DELETE FROM chat_floods WHERE chat_id IN (SELECT chat_id FROM chat_floods WHERE told_at < ? LIMIT ?)`,
		`DELETE FROM tracked_messages WHERE (chat_id, track) IN (SELECT chat_id, track FROM tracked_messages WHERE created_at < ? LIMIT ?)`,
	} {
		for ctx.Err() == nil {
			var n int64
			err := db.Update(ctx, func(tx *Tx) error {
				res, err := tx.exec(ctx, q, ms(before), pruneChunk)
				if err != nil {
					return fmt.Errorf("prune: %w", err)
				}
				n, err = res.RowsAffected()
				return err
			})
			if err != nil {
				return total, err
			}
			total += n
			if n < pruneChunk {
				break
			}
		}
	}
	return total, ctx.Err()
}
