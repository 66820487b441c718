package store_test

// One suite, every backend: each test opens a fresh database with
// storetest.Open, which is SQLite by default and PostgreSQL when
// SUPPORTBOT_TEST_DATABASE=postgres. Opening the same storetest.Config twice
// gives a second instance on the same database (on SQLite: a second process
// on the same file), which is how the multi-instance tests contend.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"

	"supportbot"
	"supportbot/store"
	"supportbot/store/storetest"
)

// t0 is the tests' "now": 10:00 in Shanghai.
var t0 = time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)

// clock is a test clock that may be moved while other goroutines read it.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.Set(t)
	return c
}

func (c *clock) Now() time.Time                { return time.Unix(0, c.ns.Load()).UTC() }
func (c *clock) Set(t time.Time)               { c.ns.Store(t.UnixNano()) }
func (c *clock) Add(d time.Duration) time.Time { return time.Unix(0, c.ns.Add(int64(d))).UTC() }

// open opens a fresh database on the run's backend, its clock at t0.
func open(t testing.TB) (*store.DB, *clock, store.Config) {
	t.Helper()
	db, cfg := storetest.Open(t)
	c := newClock(t0)
	db.Now = c.Now
	return db, c, cfg
}

// reopen opens the database of cfg once more: another instance of the bot,
// or the same one after a restart. It is closed when the test ends.
func reopen(t testing.TB, cfg store.Config, c *clock) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open %s database again: %v", storetest.Backend(), err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = c.Now
	return db
}

func postgres() bool { return storetest.Backend() == "postgres" }

// update runs fn in a write transaction and fails the test if it fails.
func update(t testing.TB, db *store.DB, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// code is the error's supportbot code, "" for none.
func code(err error) string {
	if err == nil {
		return ""
	}
	return supportbot.ErrorCode(err)
}

// wantCode fails the test unless err has the code want.
func wantCode(t testing.TB, what string, err error, want string) {
	t.Helper()
	if got := code(err); got != want {
		t.Errorf("%s: err = %v (code %q), want %s", what, err, got, want)
	}
}

// raw is a plain connection to the database, as an operator's SQL shell or a
// test fixture uses it; exec and query take ? placeholders on both backends.
type raw struct {
	*sql.DB
	pg bool
}

func rawDB(t testing.TB, cfg store.Config) raw {
	t.Helper()
	var db *sql.DB
	var err error
	if cfg.URL != "" {
		db, err = sql.Open("pgx", cfg.URL)
	} else {
		db, err = sql.Open("sqlite3", "file:"+cfg.Path+"?_busy_timeout=10000&_foreign_keys=on")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return raw{db, cfg.URL != ""}
}

func (r raw) rebind(q string) string {
	if !r.pg {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (r raw) exec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := r.Exec(r.rebind(q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// int is the one integer a query returns.
func (r raw) int(t testing.TB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := r.QueryRow(r.rebind(q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// unchanged runs fn and fails the test if it wrote anything to the
// database (what names what fn did).
func (r raw) unchanged(t testing.TB, what string, fn func()) {
	t.Helper()
	before := r.dump(t)
	fn()
	if after := r.dump(t); after != before {
		t.Errorf("%s changed the database:\nbefore:\n%s\nafter:\n%s", what, before, after)
	}
}

// dump renders every row of every table, sorted, so that two dumps are equal
// only when nothing was written in between.
func (r raw) dump(t testing.TB) string {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if r.pg {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	var names []string
	rows, err := r.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var b strings.Builder
	for _, name := range names {
		rows, err := r.Query(`SELECT * FROM ` + name)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if s, ok := v.([]byte); ok {
					vals[i] = string(s)
				}
			}
			lines = append(lines, fmt.Sprint(vals))
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(&b, "%s %v\n  %s\n", name, cols, strings.Join(lines, "\n  "))
	}
	return b.String()
}

// parallel runs fn(i) for i in [0, n) at once, after all are ready, and
// returns their errors.
func parallel(n int, fn func(i int) error) []error {
	errs := make([]error, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return errs
}

// noErrors fails the test with the first error of errs.
func noErrors(t testing.TB, what string, errs []error) {
	t.Helper()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("%s %d: %v", what, i, err)
		}
	}
}

// customers imports n customers C01…, with phones +86138000000NN.
func customers(t testing.TB, db *store.DB, n int) {
	t.Helper()
	var data []supportbot.CustomerData
	for i := 1; i <= n; i++ {
		data = append(data, supportbot.CustomerData{Customer: supportbot.Customer{
			ID: fmt.Sprintf("C%02d", i), Name: "客户", Phone: fmt.Sprintf("+86138%08d", i), IDCardLast4: "123X", Language: "zh"}})
	}
	if _, err := db.Import(context.Background(), data); err != nil {
		t.Fatalf("import: %v", err)
	}
}

// link saves a conversation of chatID linked to the customer ("" for none).
func link(t testing.TB, db *store.DB, chatID int64, customerID string, lang supportbot.Lang) {
	t.Helper()
	update(t, db, func(tx *store.Tx) error {
		return tx.SaveConversation(context.Background(), &supportbot.Conversation{ChatID: chatID, Lang: lang, CustomerID: customerID})
	})
}

// unreachable marks a chat the way the sender does when the user blocked the bot.
func unreachable(t testing.TB, db *store.DB, chatID int64) {
	t.Helper()
	update(t, db, func(tx *store.Tx) error { return tx.MarkUnreachable(context.Background(), chatID, "blocked") })
}

// holdCommitters keeps every committer of db busy. Updates made meanwhile
// wait; release frees one committer, which takes every waiting Update as one
// batch (the others are freed when the test ends).
func holdCommitters(t testing.TB, db *store.DB) (release func()) {
	t.Helper()
	n := store.Committers(db)
	holds := make([]chan struct{}, n)
	done := make([]chan error, n)
	freed := make([]bool, n)
	for i := range n {
		// One at a time, so that each lands with an idle committer of its
		// own rather than in another's batch.
		started := make(chan struct{})
		hold := make(chan struct{})
		holds[i], done[i] = hold, make(chan error, 1)
		go func() {
			done[i] <- db.Update(context.Background(), func(*store.Tx) error {
				close(started)
				<-hold
				return nil
			})
		}()
		<-started
	}
	free := func(i int) {
		if freed[i] {
			return
		}
		freed[i] = true
		close(holds[i])
		if err := <-done[i]; err != nil {
			t.Errorf("holding update: %v", err)
		}
	}
	t.Cleanup(func() {
		for i := range n {
			free(i)
		}
	})
	return func() { free(0) }
}
