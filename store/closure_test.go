package store_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func createClosure(db *store.DB, customerID string, today supportbot.Date) (*supportbot.ClosureRequest, error) {
	var r *supportbot.ClosureRequest
	err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		r, err = tx.CreateClosureRequest(context.Background(), customerID, today, today.AddBusinessDays(3), today.AddBusinessDays(5))
		return err
	})
	return r, err
}

func decide(db *store.DB, ref, status, reason string) (*supportbot.ClosureRequest, error) {
	var r *supportbot.ClosureRequest
	err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		r, err = tx.DecideClosure(context.Background(), ref, status, reason)
		return err
	})
	return r, err
}

func TestCreateClosureRequest(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	customers(t, db, 2)
	_, err := createClosure(db, "C99", "2026-11-21")
	wantCode(t, "unknown customer", err, supportbot.ENOTFOUND)
	v := db.CoreView()
	if list, err := v.ClosureRequests(ctx, "C01"); err != nil || len(list) != 0 {
		t.Errorf("requests of C01 before any = %+v, %v", list, err)
	}
	r, err := createClosure(db, "C01", "2026-11-21")
	if err != nil {
		t.Fatal(err)
	}
	// The failed request above took no number: its transaction rolled back.
	want := supportbot.ClosureRequest{Reference: "CR-20261121-0001", CustomerID: "C01", Status: supportbot.ClosureSubmitted,
		CreatedAt: t0, ExpectedFrom: "2026-11-25", ExpectedTo: "2026-11-27"} // a Saturday: 3 and 5 business days on
	if *r != want {
		t.Errorf("created %+v, want %+v", *r, want)
	}
	if got, err := v.ClosureRequest(ctx, r.Reference); err != nil || *got != want {
		t.Errorf("found %+v, %v; want %+v", got, err, want)
	}
	if _, err := v.ClosureRequest(ctx, "CR-20261121-0099"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("unknown reference: %v, want ENOTFOUND", err)
	}
	_, err = createClosure(db, "C01", "2026-11-21")
	wantCode(t, "a second open request", err, supportbot.ECONFLICT)

	// Decided: ECONFLICT when decided again; then the customer may ask again.
	c.Add(48 * time.Hour)
	decided, err := decide(db, r.Reference, supportbot.ClosureRejected, "有一笔退货未完成")
	if err != nil {
		t.Fatal(err)
	}
	if decided.Status != supportbot.ClosureRejected || decided.Reason != "有一笔退货未完成" || !decided.DecidedAt.Equal(c.Now()) {
		t.Errorf("decided %+v", decided)
	}
	_, err = decide(db, r.Reference, supportbot.ClosureCompleted, "")
	wantCode(t, "deciding twice", err, supportbot.ECONFLICT)
	_, err = decide(db, "CR-20261121-0099", supportbot.ClosureCompleted, "")
	wantCode(t, "deciding an unknown request", err, supportbot.ENOTFOUND)
	again, err := createClosure(db, "C01", "2026-11-23")
	if err != nil || again.Reference != "CR-20261123-0001" {
		t.Fatalf("a new request after the rejection: %+v, %v; want CR-20261123-0001 (a sequence per day)", again, err)
	}
	other, err := createClosure(db, "C02", "2026-11-23")
	if err != nil || other.Reference != "CR-20261123-0002" {
		t.Errorf("C02's request the same day: %+v, %v", other, err)
	}
	list, err := v.ClosureRequests(ctx, "C01")
	if err != nil || len(list) != 2 || list[0].Reference != again.Reference || list[1].Reference != r.Reference {
		t.Errorf("requests of C01 = %+v, %v; want newest first", list, err)
	}
	// Inside a transaction, the same view.
	update(t, db, func(tx *store.Tx) error {
		if got, err := tx.CoreView().ClosureRequest(ctx, again.Reference); err != nil || got.Status != supportbot.ClosureSubmitted {
			t.Errorf("in a transaction: %+v, %v", got, err)
		}
		return nil
	})
}

// TestClosureReferencesAreUniqueUnderConcurrency: 24 requests at once, from
// two instances, get 24 different references of one day's sequence.
func TestClosureReferencesAreUniqueUnderConcurrency(t *testing.T) {
	const n = 24
	db, c, cfg := open(t)
	customers(t, db, n)
	dbs := []*store.DB{db, reopen(t, cfg, c)}
	refs := make([]string, n)
	errs := parallel(n, func(i int) error {
		r, err := createClosure(dbs[i%2], fmt.Sprintf("C%02d", i+1), "2026-11-21")
		if err == nil {
			refs[i] = r.Reference
		}
		return err
	})
	noErrors(t, "request", errs)
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
}

func TestClosureLock(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	type state struct {
		failures int
		until    time.Time
	}
	record := func(customer string) state {
		t.Helper()
		var s state
		update(t, db, func(tx *store.Tx) (err error) {
			s.failures, s.until, err = tx.RecordClosureFailure(ctx, customer, 3, 24*time.Hour)
			return err
		})
		return s
	}
	lock := func(customer string) state {
		t.Helper()
		var s state
		var err error
		if s.failures, s.until, err = db.ClosureLock(ctx, customer); err != nil {
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
	locked := state{3, t0.Add(24 * time.Hour)}
	check("third failure", record("C01"), locked)
	check("another customer", lock("C02"), state{})

	c.Add(time.Hour)
	check("failure while locked", record("C01"), locked)
	check("lock an hour on", lock("C01"), locked)

	c.Set(t0.Add(24 * time.Hour))
	check("lock when it runs out", lock("C01"), state{})
	check("first failure after the lock", record("C01"), state{1, time.Time{}})
	update(t, db, func(tx *store.Tx) error { return tx.ResetClosureFailures(ctx, "C01") })
	check("lock after a success", lock("C01"), state{})
	update(t, db, func(tx *store.Tx) error { return tx.ResetClosureFailures(ctx, "C09") })
}

// TestClosureFailuresAtOnceAllCount: two chats of one customer, on two
// instances, failing the check at once: every failure counts, and the
// lock falls on the lockAfter-th.
func TestClosureFailuresAtOnceAllCount(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c)}
	const n = 10
	counts := make([]int, n)
	errs := parallel(n, func(i int) error {
		return dbs[i%2].Update(ctx, func(tx *store.Tx) (err error) {
			counts[i], _, err = tx.RecordClosureFailure(ctx, "C01", n, time.Hour)
			return err
		})
	})
	noErrors(t, "failure", errs)
	slices.Sort(counts)
	for i, got := range counts {
		if got != i+1 {
			t.Fatalf("failure counts %v, want 1…%d once each", counts, n)
		}
	}
	if failures, until, err := db.ClosureLock(ctx, "C01"); err != nil || failures != n || !until.Equal(t0.Add(time.Hour)) {
		t.Errorf("lock = %d, %v, %v; want %d failures, locked for an hour", failures, until, err, n)
	}
}
