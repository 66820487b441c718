package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/mattn/go-sqlite3"
)

// dialect is what differs between SQLite and PostgreSQL. Statements are
// written once, with ? placeholders, in SQL both accept (ON CONFLICT,
// RETURNING, TRUE/FALSE, window functions); migrations are per dialect.
type dialect struct {
	name string
	// bind turns a statement with ? placeholders and its arguments into
	// what the dialect's driver is given.
	bind func(query string, args []any) (string, []any)
	// unique and foreignKey classify constraint violations by code;
	// constraint is any integrity violation (unique, foreign key, check, not null).
	unique, foreignKey, constraint func(error) bool
	// retryable reports a transaction that may succeed when run again.
	retryable func(error) bool
	// migrationLock runs the migrations alone among instances.
	migrationLock func(ctx context.Context, db *sql.DB, fn func(execer) error) error
	// committers is how many transactions one process writes at once, and
	// batch how many Updates one of them carries (group commit).
	committers, batch int
	// lock takes a transaction-scoped lock on a name ("" where one writer
	// serialises everything anyway); lockBriefly takes it for a lock every
	// instance waits on, in the same statement ending the transaction
	// should it stand idle for seconds ("" where no other process waits).
	lock, lockBriefly string
	// skipLocked is " FOR UPDATE SKIP LOCKED" and forUpdate " FOR UPDATE"
	// where the database has them (SQLite's one writer needs neither).
	skipLocked, forUpdate string
}

var sqliteDialect = dialect{
	name: "sqlite",
	bind: inlineLimits,
	unique: func(err error) bool {
		var se sqlite3.Error
		return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
	},
	foreignKey: func(err error) bool {
		var se sqlite3.Error
		return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
	},
	constraint: func(err error) bool {
		var se sqlite3.Error
		return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
	},
	retryable: sqliteBusy,
	// One process owns a SQLite file, but a start may overlap another (a
	// restart, a CLI command beside the bot): while one of them turns a new
	// file to WAL, the other's first statement is refused as locked at
	// once, whatever the busy timeout. The migrations, each applied once by
	// name, are run again.
	migrationLock: func(ctx context.Context, db *sql.DB, fn func(execer) error) error {
		for attempt := 1; ; attempt++ {
			err := fn(db)
			if err == nil || !sqliteBusy(err) || attempt == 5 {
				return err
			}
			select {
			case <-ctx.Done():
				return err
			case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
			}
		}
	},
	// SQLite has one writer: one committer batches everything, one fsync
	// for many steps.
	committers: 1,
	batch:      64,
}

// sqliteBusy reports SQLite's "database is locked" (busy or locked).
func sqliteBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

var postgresDialect = dialect{
	name:       "postgres",
	bind:       func(q string, args []any) (string, []any) { return rebindDollar(q), args },
	unique:     func(err error) bool { return pgCode(err) == "23505" },
	foreignKey: func(err error) bool { return pgCode(err) == "23503" },
	constraint: func(err error) bool { return strings.HasPrefix(pgCode(err), "23") },
	// serialization_failure, deadlock_detected
	retryable: func(err error) bool { c := pgCode(err); return c == "40001" || c == "40P01" },
	migrationLock: func(ctx context.Context, db *sql.DB, fn func(execer) error) error {
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		defer conn.Close()
		// Instances starting at once take turns; the later ones find the
		// migrations recorded and apply nothing.
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey); err != nil {
			return fmt.Errorf("migrations: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLockKey)
		return fn(conn)
	},
	// PostgreSQL writes many transactions at once and groups their WAL
	// flushes itself. Batching steps into one transaction would make each
	// hold the others' row locks (a chat's lease, the shared send budget,
	// the outbox claim) until the slowest is done, across instances.
	committers:  10,
	batch:       1,
	skipLocked:  " FOR UPDATE SKIP LOCKED",
	forUpdate:   " FOR UPDATE",
	lock:        `SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`,
	lockBriefly: `SELECT set_config('idle_in_transaction_session_timeout', '` + briefIdle + `', true), pg_advisory_xact_lock(hashtextextended(?, 0))`,
}

// migrationLockKey is the advisory lock key of the migrations ("supportbt").
const migrationLockKey int64 = 0x737570706f727462

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// inlineLimits writes the integer of each "LIMIT ?" into the statement.
// SQLite's planner reads a bound LIMIT, so it marks the statement to be
// compiled again whenever that parameter is bound — on every execution,
// cached statement or not: a sixth of the bot's CPU at a customer's pace
// went to compiling statements again. With the number in the text the
// compiled statement is kept (a statement's few distinct limits are cached
// each on its own).
func inlineLimits(q string, args []any) (string, []any) {
	if !strings.Contains(q, "LIMIT ?") {
		return q, args
	}
	var b strings.Builder
	kept := make([]any, 0, len(args))
	n := 0 // the placeholder's argument
	for i := 0; i < len(q); i++ {
		if q[i] != '?' {
			b.WriteByte(q[i])
			continue
		}
		if n < len(args) && strings.HasSuffix(q[:i], "LIMIT ") {
			if v, ok := limitValue(args[n]); ok {
				b.WriteString(strconv.FormatInt(v, 10))
				n++
				continue
			}
		}
		b.WriteByte('?')
		if n < len(args) {
			kept = append(kept, args[n])
		}
		n++
	}
	if n < len(args) {
		kept = append(kept, args[n:]...) // more arguments than placeholders: the driver says so
	}
	return b.String(), kept
}

// limitValue is an integer argument of LIMIT.
func limitValue(v any) (int64, bool) {
	switch v := v.(type) {
	case int:
		return int64(v), true
	case int64:
		return v, true
	case int32:
		return int64(v), true
	}
	return 0, false
}

var rebound sync.Map // query → its $n form

// rebindDollar turns ? into $1, $2, … (no statement of ours has a ? inside
// a string literal).
func rebindDollar(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}

// idleInTransaction ends a transaction left open this long between
// statements: an instance frozen inside one (SIGSTOP, a paused VM) would
// otherwise hold its locks — the outbox claim every instance takes — for
// good. No step waits on anything but the database inside a transaction;
// an import reads its file between statements, quickly.
const idleInTransaction = "60s"

// briefIdle is that limit in a transaction holding a lock every instance
// waits on (Tx.LockEveryone): frozen there, one instance would hold up
// every chat's replies or hand-offs for the minute.
const briefIdle = "5s"

func openPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil { // not the error itself: it may quote the password
		return nil, errors.New("open DATABASE_URL: not a PostgreSQL connection string")
	}
	if _, set := cfg.RuntimeParams["idle_in_transaction_session_timeout"]; !set {
		cfg.RuntimeParams["idle_in_transaction_session_timeout"] = idleInTransaction
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to DATABASE_URL: %w", err)
	}
	return &DB{w: db, r: db, d: postgresDialect}, nil
}
