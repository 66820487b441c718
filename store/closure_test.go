package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

var closureNow = time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai

// openClosureDB opens a temp-file database with n customers, C01…, and a clock
// the test moves through *now.
func openClosureDB(t *testing.T, n int, now *time.Time) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bot.db")
	db := openClosurePath(t, path, now)
	var data []supportbot.CustomerData
	for i := 1; i <= n; i++ {
		data = append(data, supportbot.CustomerData{Customer: supportbot.Customer{
			ID: fmt.Sprintf("C%02d", i), Name: "客户", Phone: fmt.Sprintf("138%08d", i), IDCardLast4: "123X", Language: "zh"}})
	}
	if _, err := db.Import(context.Background(), data); err != nil {
		t.Fatalf("import: %v", err)
	}
	return db, path
}

func openClosurePath(t *testing.T, path string, now *time.Time) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return *now }
	return db
}

// inTx runs fn in a transaction of db and commits it when fn succeeds.
func inTx(t *testing.T, db *store.DB, fn func(tx *store.Tx) error) error {
	t.Helper()
	tx, err := db.Begin(context.Background())
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func createClosure(t *testing.T, db *store.DB, customerID string, today supportbot.Date) (*supportbot.ClosureRequest, error) {
	t.Helper()
	var r *supportbot.ClosureRequest
	err := inTx(t, db, func(tx *store.Tx) (err error) {
		r, err = tx.CreateClosureRequest(context.Background(), customerID, today, today.AddBusinessDays(3), today.AddBusinessDays(5))
		return err
	})
	return r, err
}

func TestClosureReferencesAreUniqueUnderConcurrency(t *testing.T) {
	const n = 24
	now := closureNow
	db, path := openClosureDB(t, n, &now)
	// A second handle on the same file: its own connection, like a second
	// bot instance, so the writers really do contend.
	dbs := []*store.DB{db, openClosurePath(t, path, &now)}

	refs := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := createClosure(t, dbs[i%2], fmt.Sprintf("C%02d", i+1), "2026-11-21")
			if err == nil {
				refs[i] = r.Reference
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("request of C%02d: %v", i+1, err)
		}
	}
	valid := regexp.MustCompile(`^CR-20261121-\d{4}$`)
	var want []string
	for i := 1; i <= n; i++ {
		want = append(want, fmt.Sprintf("CR-20261121-%04d", i))
	}
	got := slices.Clone(refs)
	slices.Sort(got)
	for _, r := range got {
		if !valid.MatchString(r) {
			t.Errorf("reference %q does not match CR-20261121-NNNN", r)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("references = %v, want each of 0001…%04d once", got, n)
	}

	// The sequence is per day.
	r, err := createClosure(t, db, "C01", "2026-11-22")
	if supportbot.ErrorCode(err) != supportbot.ECONFLICT {
		t.Errorf("second open request of C01: err = %v, want ECONFLICT", err)
	}
	if _, _, err := db.SetClosureStatus(context.Background(), refs[0], supportbot.ClosureCompleted, ""); err != nil {
		t.Fatal(err)
	}
	if r, err = createClosure(t, db, "C01", "2026-11-22"); err != nil {
		t.Fatal(err)
	} else if r.Reference != "CR-20261122-0001" {
		t.Errorf("first reference of 11-22 = %s, want CR-20261122-0001", r.Reference)
	}
}

func TestCreateClosureRequest(t *testing.T) {
	now := closureNow
	db, _ := openClosureDB(t, 2, &now)
	ctx := context.Background()
	// A failed request is rolled back with its transaction, sequence number and all.
	if _, err := createClosure(t, db, "C99", "2026-11-21"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("unknown customer: err = %v, want ENOTFOUND", err)
	}
	err := inTx(t, db, func(tx *store.Tx) error {
		if _, err := tx.OpenClosureRequest(ctx, "C01"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Errorf("OpenClosureRequest with none: err = %v, want ENOTFOUND", err)
		}
		if _, err := tx.LatestClosureRequest(ctx, "C01"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Errorf("LatestClosureRequest with none: err = %v, want ENOTFOUND", err)
		}
		if _, err := tx.CreateClosureRequest(ctx, "C01", "2026-11-31", "2026-12-03", "2026-12-05"); supportbot.ErrorCode(err) != supportbot.EINVALID {
			t.Errorf("bad date: err = %v, want EINVALID", err)
		}
		r, err := tx.CreateClosureRequest(ctx, "C01", "2026-11-21", "2026-11-25", "2026-11-27")
		if err != nil {
			return err
		}
		want := supportbot.ClosureRequest{Reference: "CR-20261121-0001", CustomerID: "C01", Status: supportbot.ClosureSubmitted,
			CreatedAt: closureNow, UpdatedAt: closureNow, ExpectedFrom: "2026-11-25", ExpectedTo: "2026-11-27"}
		if *r != want {
			t.Errorf("created %+v, want %+v", *r, want)
		}
		for name, find := range map[string]func(context.Context, string) (*supportbot.ClosureRequest, error){
			"open": tx.OpenClosureRequest, "latest": tx.LatestClosureRequest,
		} {
			if got, err := find(ctx, "C01"); err != nil || !got.CreatedAt.Equal(want.CreatedAt) || got.Reference != want.Reference {
				t.Errorf("%s request = %+v, %v; want %+v", name, got, err, want)
			}
		}
		if _, err := tx.CreateClosureRequest(ctx, "C01", "2026-11-21", "2026-11-25", "2026-11-27"); supportbot.ErrorCode(err) != supportbot.ECONFLICT {
			t.Errorf("second open request: err = %v, want ECONFLICT", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSetClosureStatus(t *testing.T) {
	now := closureNow
	db, path := openClosureDB(t, 2, &now)
	ctx := context.Background()
	r, err := createClosure(t, db, "C01", "2026-11-21")
	if err != nil {
		t.Fatal(err)
	}
	err = inTx(t, db, func(tx *store.Tx) error {
		for chat, customer := range map[int64]string{200: "C01", 100: "C01", 300: "C02", 400: ""} {
			if err := tx.SaveConversation(ctx, &supportbot.Conversation{ChatID: chat, CustomerID: customer, Lang: supportbot.LangZH}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ ref, status, reason, code string }{
		{r.Reference, "closed", "", supportbot.EINVALID},
		{r.Reference, supportbot.ClosureSubmitted, "", supportbot.EINVALID},
		{r.Reference, supportbot.ClosureRejected, "  ", supportbot.EINVALID},
		{"CR-20261121-0099", supportbot.ClosureCompleted, "", supportbot.ENOTFOUND},
	} {
		if _, _, err := db.SetClosureStatus(ctx, tc.ref, tc.status, tc.reason); supportbot.ErrorCode(err) != tc.code {
			t.Errorf("SetClosureStatus(%s, %q, %q): err = %v, want %s", tc.ref, tc.status, tc.reason, err, tc.code)
		}
	}

	now = now.Add(48 * time.Hour)
	got, chats, err := db.SetClosureStatus(ctx, r.Reference, supportbot.ClosureRejected, " 有一笔退货未完成 ")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != supportbot.ClosureRejected || got.Reason != "有一笔退货未完成" || !got.UpdatedAt.Equal(now) || got.CustomerID != "C01" {
		t.Errorf("updated request = %+v, want rejected with the trimmed reason at %v", got, now)
	}
	if !slices.Equal(chats, []int64{100, 200}) {
		t.Errorf("chats to notify = %v, want [100 200]", chats)
	}
	if _, _, err := db.SetClosureStatus(ctx, r.Reference, supportbot.ClosureCompleted, ""); supportbot.ErrorCode(err) != supportbot.ECONFLICT {
		t.Errorf("deciding twice: err = %v, want ECONFLICT", err)
	}

	audit, err := db.Audit(ctx, "C01")
	if err != nil {
		t.Fatal(err)
	}
	var decided []supportbot.AuditEntry
	for _, e := range audit {
		if e.Action == "closure_status" {
			decided = append(decided, e)
		}
	}
	if len(decided) != 1 || decided[0].Details["reference"] != r.Reference || decided[0].Details["status"] != "rejected" ||
		decided[0].Details["reason"] != "有一笔退货未完成" {
		t.Errorf("closure_status audit = %+v, want one with reference, status and reason", decided)
	}

	err = inTx(t, db, func(tx *store.Tx) error {
		notices, err := tx.Notices(ctx, "C01", 10)
		if err != nil {
			return err
		}
		if len(notices) != 1 || notices[0].Kind != "closure_rejected" || notices[0].Params["reference"] != r.Reference ||
			notices[0].Params["reason"] != "有一笔退货未完成" {
			t.Errorf("notices = %+v, want one closure_rejected", notices)
		}
		if _, err := tx.OpenClosureRequest(ctx, "C01"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Errorf("open request after rejection: err = %v, want ENOTFOUND", err)
		}
		latest, err := tx.LatestClosureRequest(ctx, "C01")
		if err != nil || latest.Status != supportbot.ClosureRejected {
			t.Errorf("latest request = %+v, %v; want the rejected one", latest, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Rejected, the customer may ask again; the newer one is the latest.
	again, err := createClosure(t, db, "C01", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.SetClosureStatus(ctx, " cr-20261123-0001 ", supportbot.ClosureCompleted, ""); err != nil {
		t.Fatalf("completing %s by a lower-case reference: %v", again.Reference, err)
	}
	err = inTx(t, db, func(tx *store.Tx) error {
		latest, err := tx.LatestClosureRequest(ctx, "C01")
		if err != nil || latest.Reference != again.Reference || latest.Status != supportbot.ClosureCompleted {
			t.Errorf("latest request = %+v, %v; want %s completed", latest, err, again.Reference)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Both decisions are flagged for the outbox to deliver.
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var flagged int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM closure_requests WHERE notify = 1`).Scan(&flagged); err != nil {
		t.Fatal(err)
	}
	if flagged != 2 {
		t.Errorf("requests flagged to notify = %d, want 2", flagged)
	}
}

func TestClosureLock(t *testing.T) {
	now := closureNow
	db, _ := openClosureDB(t, 2, &now)
	ctx := context.Background()
	type state struct {
		failures int
		until    time.Time
	}
	record := func(customer string) state {
		t.Helper()
		var s state
		if err := inTx(t, db, func(tx *store.Tx) (err error) {
			s.failures, s.until, err = tx.RecordClosureFailure(ctx, customer, 3, 24*time.Hour)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	lock := func(customer string) state {
		t.Helper()
		var s state
		if err := inTx(t, db, func(tx *store.Tx) (err error) {
			s.failures, s.until, err = tx.ClosureLock(ctx, customer)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return s
	}
	check := func(what string, got, want state) {
		t.Helper()
		if got.failures != want.failures || !got.until.Equal(want.until) {
			t.Errorf("%s = %d failures, locked until %v; want %d, %v", what, got.failures, got.until, want.failures, want.until)
		}
	}

	check("lock of a new customer", lock("C01"), state{})
	check("first failure", record("C01"), state{1, time.Time{}})
	check("second failure", record("C01"), state{2, time.Time{}})
	check("lock after two", lock("C01"), state{2, time.Time{}})
	locked := state{3, closureNow.Add(24 * time.Hour)}
	check("third failure", record("C01"), locked)
	check("another customer", lock("C02"), state{})

	now = now.Add(time.Hour)
	check("failure while locked", record("C01"), locked)
	check("lock an hour on", lock("C01"), locked)

	now = closureNow.Add(24 * time.Hour)
	check("lock when it runs out", lock("C01"), state{})
	check("first failure after the lock", record("C01"), state{1, time.Time{}})
	if err := inTx(t, db, func(tx *store.Tx) error { return tx.ResetClosureFailures(ctx, "C01") }); err != nil {
		t.Fatal(err)
	}
	check("lock after a success", lock("C01"), state{})
}
