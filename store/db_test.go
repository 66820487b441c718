package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
	"supportbot/store/storetest"
)

// migrationFiles are the names the migrations of the run's backend are
// recorded under.
func migrationFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join("migration", storetest.Backend()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, "migration/"+e.Name())
		}
	}
	slices.Sort(names)
	return names
}

func TestMigrationsAppliedInOrderOnce(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	want := migrationFiles(t)
	got, err := db.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("applied migrations = %q, want %q", got, want)
	}
	link(t, db, 100, "", supportbot.LangEN)
	db.Close()

	// A restart applies nothing again and keeps the data.
	again := reopen(t, cfg, c)
	if got, err := again.Migrations(ctx); err != nil || !slices.Equal(got, want) {
		t.Errorf("after a restart: migrations = %q, %v; want %q", got, err, want)
	}
	if n := rawDB(t, cfg).int(t, `SELECT COUNT(*) FROM migrations`); n != int64(len(want)) {
		t.Errorf("%d migrations recorded, want %d", n, len(want))
	}
	if conv, err := again.Conversation(ctx, 100); err != nil || conv.Lang != supportbot.LangEN {
		t.Errorf("conversation after a restart = %+v, %v", conv, err)
	}
}

func TestSQLiteCreatesTheDatabaseDirectory(t *testing.T) {
	if postgres() {
		t.Skip("SQLite only")
	}
	// "#", "?" and "%" in it are the path's, not the URI's (a probe: a "#"
	// opened the file before it).
	path := filepath.Join(t.TempDir(), "sub#1", "dir?x%41", "bot.db")
	db, err := store.Open(context.Background(), store.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(context.Background(), func(tx *store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// Made for the bot's user alone, the write-ahead log too (a probe: 0644).
	for _, f := range []string{path, path + "-wal"} {
		if fi, err := os.Stat(f); err != nil {
			t.Errorf("database file: %v", err)
		} else if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(f), fi.Mode().Perm())
		}
	}
	if db.Dialect() != "sqlite" {
		t.Errorf("dialect %q", db.Dialect())
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(path))), "sub")); err == nil {
		t.Error("a database was opened at the path cut at its \"#\"")
	}
}

// TestMigrationsFromInstancesStartingAtOnce: three instances started at
// once on a fresh database apply every migration once, and none fails.
func TestMigrationsFromInstancesStartingAtOnce(t *testing.T) {
	ctx := context.Background()
	cfg := storetest.Config(t)
	dbs := make([]*store.DB, 3)
	errs := parallel(3, func(i int) (err error) {
		dbs[i], err = store.Open(ctx, cfg)
		return err
	})
	for _, db := range dbs {
		if db != nil {
			defer db.Close()
		}
	}
	noErrors(t, "instance", errs)
	want := migrationFiles(t)
	for i, db := range dbs {
		if got, err := db.Migrations(ctx); err != nil || !slices.Equal(got, want) {
			t.Errorf("instance %d: migrations = %q, %v; want %q", i, got, err, want)
		}
	}
	if n := rawDB(t, cfg).int(t, `SELECT COUNT(*) FROM migrations`); n != int64(len(want)) {
		t.Errorf("%d migrations recorded, want %d", n, len(want))
	}
	// And the schema works from each of them.
	for i, db := range dbs {
		link(t, db, int64(i+1), "", supportbot.LangZH)
	}
}

// TestOpenWhileAWriterHoldsTheDatabase: `supportbot audit` or `backup` run
// during a long import waited for it, then failed with "migration …:
// database is locked" (a probe). A database whose migrations are applied
// opens, and reads, beside a writer.
func TestOpenWhileAWriterHoldsTheDatabase(t *testing.T) {
	if storetest.Backend() != "sqlite" {
		t.Skip("PostgreSQL takes no database-wide write lock")
	}
	ctx := context.Background()
	db, _, cfg := open(t)
	link(t, db, 1, "", supportbot.LangZH)
	db.Close()
	conn, err := rawDB(t, cfg).DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil { // an import's transaction
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	octx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	again, err := store.Open(octx, cfg)
	if err != nil {
		t.Fatalf("open beside a writer: %v", err)
	}
	defer again.Close()
	if c, err := again.Conversation(octx, 1); err != nil || c.ChatID != 1 {
		t.Errorf("read beside a writer: %+v, %v", c, err)
	}
}

// TestAuditLogIsAppendOnly: the database itself refuses to change or remove
// an entry, even to an operator with a SQL shell.
func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	db, _, cfg := open(t)
	update(t, db, func(tx *store.Tx) error {
		if err := tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "test", CustomerID: "C1", ChatID: 7,
			Details: map[string]any{"amount_fen": 100}}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "other", CustomerID: "C2"})
	})
	raw := rawDB(t, cfg)
	for _, stmt := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`, `DELETE FROM audit_log WHERE customer_id = 'C2'`} {
		_, err := raw.Exec(stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused as append-only", stmt, err)
		}
	}
	entries, err := db.Audit(ctx, "C1")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "test" || entries[0].ChatID != 7 || !entries[0].Time.Equal(t0) ||
		entries[0].Details["amount_fen"] != float64(100) {
		t.Errorf("audit of C1 = %+v, want the one entry as written", entries)
	}
	all, err := db.Audit(ctx, "")
	if err != nil || len(all) != 2 || all[0].Action != "test" || all[1].Action != "other" || all[1].Details == nil {
		t.Errorf("whole audit = %+v, %v; want both entries in order", all, err)
	}
	// Pruning leaves the audit log alone.
	if _, err := db.Prune(ctx, t0.Add(365*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if all, _ := db.Audit(ctx, ""); len(all) != 2 {
		t.Errorf("after pruning the audit has %d entries, want 2", len(all))
	}
}

// TestUpdateRollsBackAFailingFnAlone: Updates committed together each run in
// a savepoint of their own; one that fails (by its own error, or by an SQL
// error, which on PostgreSQL aborts the transaction) is rolled back alone.
func TestUpdateRollsBackAFailingFnAlone(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	update(t, db, func(tx *store.Tx) error {
		return tx.SaveRepayment(ctx, &supportbot.Repayment{ID: "R1", Key: "k1", Amount: 100, Status: supportbot.RepaymentSucceeded, CreatedAt: t0})
	})
	release := holdCommitters(t, db)

	refused := errors.New("refused")
	const n = 8
	var runs [n]atomic.Int32
	errs := make([]error, n)
	done := make(chan struct{})
	go func() {
		defer close(done)
		parallel(n, func(i int) error {
			errs[i] = db.Update(ctx, func(tx *store.Tx) error {
				runs[i].Add(1)
				if err := tx.Enqueue(ctx, []supportbot.Reply{{ChatID: int64(i), Text: "step"}}); err != nil {
					return err
				}
				switch i {
				case 3:
					return refused
				case 5: // the key exists: a unique violation inside the batch
					return tx.SaveRepayment(ctx, &supportbot.Repayment{ID: "R2", Key: "k1", Amount: 100,
						Status: supportbot.RepaymentSucceeded, CreatedAt: t0})
				}
				return nil
			})
			return nil
		})
	}()
	time.Sleep(300 * time.Millisecond) // the Updates are waiting for a committer
	release()
	<-done

	for i, err := range errs {
		switch i {
		case 3:
			if !errors.Is(err, refused) {
				t.Errorf("update %d: err = %v, want its own error", i, err)
			}
		case 5:
			wantCode(t, "update 5", err, supportbot.ECONFLICT)
		default:
			if err != nil {
				t.Errorf("update %d: %v", i, err)
			}
		}
		msgs, err := db.ChatMessages(ctx, int64(i))
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 0, false: 1}[i == 3 || i == 5]; len(msgs) != want {
			t.Errorf("update %d left %d messages, want %d", i, len(msgs), want)
		}
		if r := runs[i].Load(); r != 1 {
			t.Errorf("update %d ran %d times, want once (the batch committed)", i, r)
		}
	}
}

// TestUpdateBatchRetriedFnByFn: when a batch cannot commit as a whole, each
// Update runs again alone: the one that cannot commit fails, the others
// commit once (their first run was rolled back with the batch).
func TestUpdateBatchRetriedFnByFn(t *testing.T) {
	if postgres() {
		t.Skip("PostgreSQL commits each Update in a transaction of its own: there is no batch")
	}
	ctx := context.Background()
	db, _, cfg := open(t)
	// A message to chat -666 violates a deferred foreign key: the step runs,
	// the commit fails.
	raw := rawDB(t, cfg)
	if postgres() {
		raw.exec(t, `CREATE TABLE poison_parent (id INTEGER PRIMARY KEY)`)
		raw.exec(t, `CREATE TABLE poison_child (parent INTEGER REFERENCES poison_parent (id) DEFERRABLE INITIALLY DEFERRED)`)
		raw.exec(t, `CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN INSERT INTO poison_child VALUES (1); RETURN NEW; END $$`)
		raw.exec(t, `CREATE TRIGGER poison AFTER INSERT ON outbox FOR EACH ROW WHEN (NEW.chat_id = -666) EXECUTE FUNCTION poison()`)
	} else {
		raw.exec(t, `CREATE TABLE poison_parent (id INTEGER PRIMARY KEY)`)
		raw.exec(t, `CREATE TABLE poison_child (parent INTEGER REFERENCES poison_parent (id) DEFERRABLE INITIALLY DEFERRED)`)
		raw.exec(t, `CREATE TRIGGER poison AFTER INSERT ON outbox WHEN NEW.chat_id = -666
			BEGIN INSERT INTO poison_child VALUES (1); END`)
	}
	release := holdCommitters(t, db)

	const n = 6
	chat := func(i int) int64 {
		if i == 2 {
			return -666
		}
		return int64(i + 1)
	}
	var runs [n]atomic.Int32
	errs := make([]error, n)
	done := make(chan struct{})
	go func() {
		defer close(done)
		parallel(n, func(i int) error {
			errs[i] = db.Update(ctx, func(tx *store.Tx) error {
				runs[i].Add(1)
				return tx.Enqueue(ctx, []supportbot.Reply{{ChatID: chat(i), Text: "step"}})
			})
			return nil
		})
	}()
	time.Sleep(300 * time.Millisecond) // the Updates are waiting for a committer
	release()
	<-done

	for i, err := range errs {
		if i == 2 {
			if err == nil {
				t.Errorf("update %d committed a foreign key violation", i)
			}
		} else if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
		msgs, err := db.ChatMessages(ctx, chat(i))
		if err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 0, false: 1}[i == 2]; len(msgs) != want {
			t.Errorf("update %d left %d messages, want %d (a retried step must not keep its first run)", i, len(msgs), want)
		}
	}
	// Those committed in the failed batch ran twice: in it, then alone.
	if r := runs[2].Load(); r != 2 {
		t.Errorf("the failing update ran %d times, want twice (in the batch, then alone)", r)
	}
	twice := 0
	for i := range n {
		if runs[i].Load() == 2 {
			twice++
		}
	}
	if twice < 2 {
		t.Errorf("%d updates ran twice, want the whole batch", twice)
	}
}

func TestUpdateAfterClose(t *testing.T) {
	db, _, _ := open(t)
	db.Close()
	if err := db.Update(context.Background(), func(*store.Tx) error { return nil }); err == nil {
		t.Error("Update on a closed database succeeded")
	}
	if err := db.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestLockSerialisesTransactions(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	other := reopen(t, cfg, c)
	// Read-modify-write of one counter from two instances under one lock
	// name: no increment is lost.
	const n = 20
	errs := parallel(n, func(i int) error {
		d := []*store.DB{db, other}[i%2]
		return d.Update(ctx, func(tx *store.Tx) error {
			if err := tx.Lock(ctx, "counter"); err != nil {
				return err
			}
			s, err := tx.Conversation(ctx, 1)
			if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
				s = &supportbot.Conversation{ChatID: 1}
			} else if err != nil {
				return err
			}
			s.Misses++
			return tx.SaveConversation(ctx, s)
		})
	})
	noErrors(t, "increment", errs)
	if conv, err := db.Conversation(ctx, 1); err != nil || conv.Misses != n {
		t.Errorf("counter = %+v, %v; want %d", conv, err, n)
	}
}

func TestTxNowIsTheClockAtBegin(t *testing.T) {
	db, c, _ := open(t)
	c.Add(time.Hour)
	update(t, db, func(tx *store.Tx) error {
		if !tx.Now().Equal(t0.Add(time.Hour)) {
			t.Errorf("tx.Now() = %v, want the clock's %v", tx.Now(), t0.Add(time.Hour))
		}
		return nil
	})
}

// TestWritable: the health check's question. Another process holding
// SQLite's write lock leaves reads answered and every step failing after
// the busy timeout: the database is not writable then, said within the
// caller's time, and is again once the lock is let go.
func TestWritable(t *testing.T) {
	db, _, cfg := open(t)
	if err := db.Writable(context.Background()); err != nil {
		t.Fatal(err)
	}
	if want := storetest.Backend(); db.Dialect() != want {
		t.Errorf("dialect %q, want %q", db.Dialect(), want)
	}
	if storetest.Backend() != "sqlite" {
		return
	}
	release := storetest.HoldWriteLock(t, cfg.Path)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := db.Writable(ctx); err == nil {
		t.Error("writable while another connection holds the write lock")
	}
	release()
	// The committer waited out the lock: writable again.
	if err := db.Writable(context.Background()); err != nil {
		t.Errorf("not writable once the lock is let go: %v", err)
	}
}

// TestUpdateRetriesADeadlockedStep: two instances' batches that take the same
// rows in opposite orders deadlock on PostgreSQL; the step chosen as the
// victim is run again, not failed.
func TestUpdateRetriesADeadlockedStep(t *testing.T) {
	if !postgres() {
		t.Skip("SQLite has one writer: transactions never deadlock")
	}
	ctx := context.Background()
	db, c, cfg := open(t)
	other := reopen(t, cfg, c)
	releases := []func(){holdCommitters(t, db), holdCommitters(t, other)}
	sources := [][]string{{"u:1", "u:2"}, {"u:2", "u:1"}}
	errs := make([][]error, 2)
	var wg sync.WaitGroup
	for i, d := range []*store.DB{db, other} {
		errs[i] = make([]error, 2)
		for k, src := range sources[i] {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i][k] = d.Update(ctx, func(tx *store.Tx) error {
					if k == 1 {
						time.Sleep(50 * time.Millisecond) // the other batch has its first row
					}
					_, err := tx.PutEvents(ctx, []supportbot.Event{{Source: src, ChatID: 1, Kind: supportbot.EventText}})
					return err
				})
			}()
			time.Sleep(50 * time.Millisecond) // in this order, into one batch
		}
	}
	time.Sleep(100 * time.Millisecond)
	releases[0]()
	releases[1]()
	wg.Wait()
	for i := range errs {
		for k, err := range errs[i] {
			if err != nil {
				t.Errorf("instance %d, update %d: %v", i, k, err)
			}
		}
	}
	if n, err := db.InboxDepth(ctx); err != nil || n != 2 {
		t.Errorf("inbox depth %d, %v; want 2", n, err)
	}
}

// On PostgreSQL a transaction left idle is ended by the server after a
// minute: an instance frozen inside one (SIGSTOP, a paused VM) does not hold
// the locks every instance takes for good.
func TestPostgresEndsIdleTransactions(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if v, err := store.Setting(db, "idle_in_transaction_session_timeout"); err != nil || v != "1min" {
		t.Errorf("idle_in_transaction_session_timeout = %q, %v; want 1min", v, err)
	}
}

// An instance frozen inside the outbox's claim (the lock every instance's
// sender takes) holds the others' replies up for seconds, not the minute:
// the claim's transaction is ended when it stands idle, and the frozen
// instance's claim comes to nothing.
func TestFrozenClaimHoldsOthersBriefly(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	ctx := context.Background()
	c := newClock(t0)
	dbs := []*store.DB{reopen(t, cfg, c), reopen(t, cfg, c)}
	if err := dbs[0].Enqueue(ctx, []supportbot.Reply{{ChatID: 7, Text: "hi"}}); err != nil {
		t.Fatal(err)
	}
	frozen, thawed := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- dbs[0].Update(ctx, func(tx *store.Tx) error {
			if err := tx.LockEveryone(ctx, "outbox-claim"); err != nil {
				return err
			}
			close(frozen)
			<-thawed // frozen here, the lock held
			return nil
		})
	}()
	<-frozen
	wait, cancel := context.WithTimeout(ctx, 30*time.Second) // the connections' minute would not do
	defer cancel()
	msgs, err := dbs[1].ClaimMessages(wait, "i2", t0, time.Minute, 10)
	close(thawed)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("the other instance's claim = %v, %v; want the message, once the frozen claim was ended", msgs, err)
	}
	if err := <-done; err == nil {
		t.Error("the frozen instance's transaction committed after it was ended")
	}
}
