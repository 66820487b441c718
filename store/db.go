package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base32"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"supportbot"
)

//go:embed migration/sqlite/*.sql migration/postgres/*.sql
var migrations embed.FS

// Config says which database to open: PostgreSQL when URL is set
// (postgres://…), otherwise SQLite at Path.
type Config struct {
	Path string
	URL  string
}

// DB is the bot's database: SQLite (one file, one process) or PostgreSQL
// (shared by several instances). The same SQL serves both, written with ?
// placeholders and portable statements; where they differ, the dialect says.
type DB struct {
	w    *sql.DB // writes (SQLite: the one writer connection)
	r    *sql.DB // reads that need no transaction (SQLite: a pool of readers)
	d    dialect
	path string // SQLite file, "" for PostgreSQL
	// Now is the clock; tests replace it.
	Now func() time.Time
	// replies caches the outbox's decoded payloads (see replyCache).
	replies *replyCache

	commit    chan *pending
	closeOnce sync.Once
	stop      chan struct{}
	done      sync.WaitGroup
}

// Open opens the database, creating a SQLite file if needed, and applies the
// pending migrations (safe when several instances start at once on
// PostgreSQL: the migrations run under an advisory lock).
func Open(ctx context.Context, cfg Config) (*DB, error) {
	var db *DB
	var err error
	if cfg.URL != "" {
		db, err = openPostgres(ctx, cfg.URL)
	} else {
		db, err = openSQLite(cfg.Path)
	}
	if err != nil {
		return nil, err
	}
	db.replies = newReplyCache(20_000)
	db.Now = time.Now
	if err := db.migrate(ctx); err != nil {
		db.closeDBs()
		return nil, err
	}
	db.startCommitters()
	return db, nil
}

func openSQLite(path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory for %s: %w", path, err)
		}
	}
	// The customers' data is no one else's to read: a new database file is
	// made 0600 (SQLite gives its -wal and -shm files the same mode).
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	}
	// Every durability and locking pragma is in the DSN, so that it reaches
	// every connection. One writer connection with immediate transactions:
	// writers never fail with "database is locked". Readers use WAL snapshots
	// beside it.
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_synchronous", "FULL")
	q.Set("_stmt_cache_size", "64")
	q.Set("_temp_store", "memory") // sorts and statement journals stay off the disk
	// database/sql uses a connection from one goroutine at a time: SQLite
	// need not lock each connection on every call (its serialized mode
	// did, 2 % of the bot's CPU in pthread mutexes).
	q.Set("_mutex", "no")
	wq := cloneValues(q)
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite3", fileURI(path)+"?"+wq.Encode())
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	rq := cloneValues(q)
	rq.Set("_query_only", "true")
	r, err := sql.Open("sqlite3", fileURI(path)+"?"+rq.Encode())
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	// Keep every reader open: a connection closed after a burst is opened
	// again at the next one, which reads the schema, runs the pragmas and
	// starts with an empty statement cache (a third of the CPU at a
	// customer's pace, in the profile of issue 20).
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	r.SetConnMaxIdleTime(0)
	return &DB{w: w, r: r, d: sqliteDialect, path: path}, nil
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// Dialect is "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.d.name }

// Close stops the committers and closes the database.
func (db *DB) Close() error {
	var err error
	db.closeOnce.Do(func() {
		if db.stop != nil {
			close(db.stop)
			db.done.Wait()
		}
		err = db.closeDBs()
	})
	return err
}

func (db *DB) closeDBs() error {
	err := db.w.Close()
	if db.r != db.w {
		if rerr := db.r.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// migrate applies, in name order and each in its own transaction, the
// embedded migrations of the dialect not yet recorded.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, "migration/"+db.d.name+"/*.sql")
	if err != nil {
		return err
	}
	// Up to date (the usual case) is seen from a read: a command run while
	// an import holds the write lock (`supportbot audit`, `backup`) does not
	// wait for it, nor fail with "database is locked".
	if applied, err := db.Migrations(ctx); err == nil && len(applied) >= len(names) {
		done := map[string]bool{}
		for _, a := range applied {
			done[a] = true
		}
		if !slices.ContainsFunc(names, func(n string) bool { return !done["migration/"+filepath.Base(n)] }) {
			return nil
		}
	}
	return db.d.migrationLock(ctx, db.w, func(conn execer) error {
		if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("create migrations table: %w", err)
		}
		sort.Strings(names)
		for _, name := range names {
			if err := db.migrateFile(ctx, conn, name); err != nil {
				return fmt.Errorf("migration %s: %w", name, err)
			}
		}
		return nil
	})
}

func (db *DB) migrateFile(ctx context.Context, conn execer, name string) error {
	// Recorded as migration/NAME.sql on both databases (the names SQLite
	// databases of earlier versions hold).
	base := "migration/" + filepath.Base(name)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	q, args := db.d.bind(`SELECT COUNT(*) FROM migrations WHERE name = ?`, []any{base})
	if err := tx.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
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
	q, args = db.d.bind(`INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, []any{base, db.Now().UTC().Format(time.RFC3339)})
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrations lists the applied migrations in order.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
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

// execer is what a migration runs on: a pooled database or one connection.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Tx is one write transaction.
type Tx struct {
	tx  *sql.Tx
	d   dialect
	now time.Time
}

func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = tx.d.bind(query, args)
	return tx.tx.ExecContext(ctx, query, args...)
}

func (tx *Tx) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = tx.d.bind(query, args)
	return tx.tx.QueryContext(ctx, query, args...)
}

func (tx *Tx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = tx.d.bind(query, args)
	return tx.tx.QueryRowContext(ctx, query, args...)
}

// Lock takes a lock on name until the transaction ends: transactions that
// lock the same name run one after the other (on PostgreSQL; SQLite's one
// writer runs every transaction that way).
func (tx *Tx) Lock(ctx context.Context, name string) error {
	if tx.d.lock == "" {
		return nil
	}
	_, err := tx.exec(ctx, tx.d.lock, name)
	return err
}

// LockEveryone takes the lock on name that every instance's senders or
// steps wait on (the outbox's claim, the ticket queue): should the
// transaction then stand idle — its instance frozen inside it, SIGSTOP or a
// paused VM — PostgreSQL ends it within seconds, not the connections'
// minute, and the others go on.
func (tx *Tx) LockEveryone(ctx context.Context, name string) error {
	if tx.d.lockBriefly == "" {
		return tx.Lock(ctx, name)
	}
	_, err := tx.exec(ctx, tx.d.lockBriefly, name)
	return err
}

// Now is the transaction's time.
func (tx *Tx) Now() time.Time { return tx.now }

// reader is a read-only view: outside any transaction, or inside one.
type reader interface {
	query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	queryRow(ctx context.Context, query string, args ...any) *sql.Row
}

// rdb reads outside a transaction.
type rdb struct {
	db *sql.DB
	d  dialect
}

func (r rdb) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = r.d.bind(query, args)
	return r.db.QueryContext(ctx, query, args...)
}

func (r rdb) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = r.d.bind(query, args)
	return r.db.QueryRowContext(ctx, query, args...)
}

func (db *DB) read() rdb { return rdb{db: db.r, d: db.d} }

// Update runs fn in a write transaction and commits it when fn succeeds.
// Concurrent calls are committed together (group commit: one transaction,
// each fn in a savepoint of its own, so a failing fn is rolled back alone and
// the others still commit): many steps, one fsync. fn may run more than once
// (a batch whose commit failed is retried fn by fn), so it must not keep
// state from an earlier run.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	p, err := db.submit(ctx, fn)
	if err != nil {
		return err
	}
	select {
	case err := <-p.done:
		return err
	case <-db.stop:
		// Still answered: a committer finishes its batch before it stops.
		return <-p.done
	}
}

var errClosed = errors.New("database closed")

// Writable reports whether a write transaction starts and commits within
// ctx, through the committers the steps use: the health check's (a probe
// saw /healthz say ok on a read while another connection held SQLite's
// write lock and every update failed after 10 s). It waits no longer than
// ctx, whatever the committer is waiting for.
func (db *DB) Writable(ctx context.Context) error {
	p, err := db.submit(ctx, func(*Tx) error { return nil })
	if err != nil {
		return err
	}
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// submit hands fn to a committer, within ctx; the pending it returns is
// answered on its done channel.
func (db *DB) submit(ctx context.Context, fn func(*Tx) error) (*pending, error) {
	p := &pending{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case db.commit <- p:
		return p, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-db.stop:
		return nil, errClosed
	}
}

// pending is one Update waiting for a committer.
type pending struct {
	ctx  context.Context
	fn   func(*Tx) error
	done chan error
}

func (db *DB) startCommitters() {
	db.commit = make(chan *pending)
	db.stop = make(chan struct{})
	for range db.d.committers {
		db.done.Add(1)
		go db.committer()
	}
}

// committer takes whatever Updates are waiting and commits them together.
func (db *DB) committer() {
	defer db.done.Done()
	for {
		var batch []*pending
		select {
		case p := <-db.commit:
			batch = append(batch, p)
		case <-db.stop:
			return
		}
	collect:
		for len(batch) < db.d.batch {
			select {
			case p := <-db.commit:
				batch = append(batch, p)
			default:
				break collect
			}
		}
		db.runBatch(batch)
	}
}

// runBatch commits a batch; if the batch as a whole cannot commit (a
// serialization failure, a deadlock, a full disk), each Update is tried
// again alone so that one bad neighbour fails only itself.
func (db *DB) runBatch(batch []*pending) {
	if len(batch) == 1 {
		batch[0].done <- db.update(batch[0].ctx, batch[0].fn)
		return
	}
	errs, err := db.tryBatch(batch)
	if err != nil {
		for _, p := range batch {
			p.done <- db.update(p.ctx, p.fn)
		}
		return
	}
	for i, p := range batch {
		if errs[i] != nil && db.d.retryable(errs[i]) {
			// A deadlock or serialization failure rolled this step back
			// alone (to its savepoint): run it again, as if it had been
			// alone, rather than fail it.
			errs[i] = db.update(p.ctx, p.fn)
		}
		p.done <- errs[i]
	}
}

func (db *DB) tryBatch(batch []*pending) ([]error, error) {
	ctx := context.Background()
	tx, err := db.begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	errs := make([]error, len(batch))
	for i, p := range batch {
		if p.ctx.Err() != nil {
			errs[i] = p.ctx.Err()
			continue
		}
		if _, err := tx.tx.ExecContext(ctx, `SAVEPOINT step`); err != nil {
			return nil, err
		}
		if errs[i] = p.fn(tx); errs[i] != nil {
			if _, err := tx.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT step`); err != nil {
				return nil, err
			}
		}
		if _, err := tx.tx.ExecContext(ctx, `RELEASE SAVEPOINT step`); err != nil {
			return nil, err
		}
	}
	return errs, tx.Commit()
}

// update runs fn alone in a transaction, retrying a serialization failure
// or deadlock (PostgreSQL) a few times.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.updateOnce(ctx, fn)
		if err == nil || !db.d.retryable(err) || attempt == 5 {
			return err
		}
		time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
	}
}

func (db *DB) updateOnce(ctx context.Context, fn func(*Tx) error) error {
	tx, err := db.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (db *DB) begin(ctx context.Context) (*Tx, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	return &Tx{tx: tx, d: db.d, now: db.Now()}, nil
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

// Instants are stored as INTEGER milliseconds since the Unix epoch (UTC): one
// fixed, comparable form on both databases. NULL means "no time".

func ms(t time.Time) int64 { return t.UnixMilli() }

func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// optMS is t, or NULL for the zero time.
func optMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// nullTime reads an optional instant.
type nullTime struct{ t *time.Time }

func (n nullTime) Scan(src any) error {
	var v sql.NullInt64
	if err := v.Scan(src); err != nil {
		return err
	}
	if v.Valid {
		*n.t = fromMS(v.Int64)
	} else {
		*n.t = time.Time{}
	}
	return nil
}

// msTime reads a required instant.
type msTime struct{ t *time.Time }

func (m msTime) Scan(src any) error {
	var v int64
	switch x := src.(type) {
	case int64:
		v = x
	case int32:
		v = int64(x)
	default:
		return fmt.Errorf("instant: unexpected %T", src)
	}
	*m.t = fromMS(v)
	return nil
}

func notFound(format string, args ...any) error {
	return supportbot.Errorf(supportbot.ENOTFOUND, format, args...)
}

// placeholders is "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// randomID is 20 random lower-case base32 characters (100 bits).
func randomID() string {
	b := make([]byte, 13)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:20]
}

// fileURI is path as SQLite's file: URI: its %, ? and # escaped, which
// would otherwise end the path (a probe: DATABASE_PATH=/tmp/pd#1/bot.db
// opened /tmp/pd).
func fileURI(path string) string {
	return "file:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
}
