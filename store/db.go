package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/mattn/go-sqlite3"

	"supportbot"
)

//go:embed migration/*.sql
var migrations embed.FS

// DB is the SQLite database.
type DB struct {
	db   *sql.DB
	path string
	// Now is the clock; tests replace it.
	Now func() time.Time
}

// Open opens (creating if needed) the database at path and applies pending
// migrations. Every durability and locking pragma is in the DSN, so that it
// reaches every connection; one connection serialises the writers, which
// SQLite does anyway, without "database is locked" failures.
func Open(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "5000")
	q.Set("_txlock", "immediate")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	// Prepared statements are reused instead of parsed on every call.
	q.Set("_stmt_cache_size", "64")
	sqldb, err := sql.Open("sqlite3", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqldb.SetMaxOpenConns(1)
	sqldb.SetConnMaxIdleTime(0)
	db := &DB{db: sqldb, path: path, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.db.PingContext(ctx) }

// migrate applies, in name order and each in its own transaction, the embedded
// migrations not yet recorded.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return err
	} else if n != 0 {
		return nil
	}
	body, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, name, formatTime(db.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrations lists the applied migrations in order.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// Tx is one transaction. Everything a conversation step changes happens in one.
type Tx struct {
	tx  *sql.Tx
	now time.Time
}

// Begin starts an immediate (write-locking) transaction.
func (db *DB) Begin(ctx context.Context) (*Tx, error) {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{tx: tx, now: db.Now()}, nil
}

// Commit commits the transaction.
func (tx *Tx) Commit() error { return tx.tx.Commit() }

// Rollback abandons the transaction; after Commit it does nothing.
func (tx *Tx) Rollback() error {
	if err := tx.tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
		return err
	}
	return nil
}

// Savepoint starts a nested unit of the transaction (one event of a batch).
func (tx *Tx) Savepoint(ctx context.Context) error {
	_, err := tx.tx.ExecContext(ctx, `SAVEPOINT step`)
	return err
}

// RollbackToSavepoint undoes what was done since Savepoint, and ends it.
func (tx *Tx) RollbackToSavepoint(ctx context.Context) error {
	if _, err := tx.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT step`); err != nil {
		return err
	}
	return tx.ReleaseSavepoint(ctx)
}

// ReleaseSavepoint keeps what was done since Savepoint, and ends it.
func (tx *Tx) ReleaseSavepoint(ctx context.Context) error {
	_, err := tx.tx.ExecContext(ctx, `RELEASE SAVEPOINT step`)
	return err
}

// update runs fn in a transaction and commits it when fn succeeds.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

const timeLayout = time.RFC3339Nano

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("parse time %q: %w", s, err)
	}
	return t, nil
}

// isConstraint reports whether err is a SQLite constraint violation.
func isConstraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}

func notFound(format string, args ...any) error {
	return supportbot.Errorf(supportbot.ENOTFOUND, format, args...)
}
