package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func repayAction(key string, chat int64) *supportbot.Action {
	return &supportbot.Action{Key: key, ChatID: chat, CustomerID: "C1", Kind: supportbot.ActionRepay,
		Repay: &supportbot.RepaymentRequest{QuoteID: "Q1", CardID: "K1", Amount: 10100},
		Flow:  "repay", PlanID: "P1", Product: "Redmi", Card: "招商银行 **** 6789", Periods: []int{2, 3}, MessageID: 77}
}

func createAction(t testing.TB, db *store.DB, a *supportbot.Action) {
	t.Helper()
	update(t, db, func(tx *store.Tx) error { return tx.CreateAction(context.Background(), a, "", time.Time{}) })
}

func keys(list []supportbot.Action) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Key)
	}
	return out
}

func TestCreateAction(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	if _, err := db.Action(ctx, "repay:Q1"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("unknown action: %v, want ENOTFOUND", err)
	}
	a := repayAction("repay:Q1", 5)
	createAction(t, db, a)
	if a.State != supportbot.ActionPending || !a.CreatedAt.Equal(t0) || !a.NextAt.Equal(t0) {
		t.Errorf("created %+v: want pending, created and due now", a)
	}
	got, err := db.Action(ctx, "repay:Q1")
	if err != nil {
		t.Fatal(err)
	}
	want := *repayAction("repay:Q1", 5)
	want.State, want.CreatedAt, want.NextAt = supportbot.ActionPending, t0, t0
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("action = %+v\nwant     %+v", *got, want)
	}
	update(t, db, func(tx *store.Tx) error {
		if got, err := tx.Action(ctx, "repay:Q1"); err != nil || got.Key != "repay:Q1" {
			t.Errorf("in a transaction: %+v, %v", got, err)
		}
		return nil
	})
}

// TestCreateActionClaimed: an action created by a step for the instance
// that executes it right after the commit is claimed as ClaimActions would
// claim it: no other instance takes it while the lease lasts, another takes
// it over (the same key) once it ran out, and the claim counts an attempt.
func TestCreateActionClaimed(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	a := repayAction("repay:Q9", 5)
	update(t, db, func(tx *store.Tx) error { return tx.CreateAction(ctx, a, "i-1", t0.Add(time.Minute)) })
	if a.Attempts != 1 || a.State != supportbot.ActionPending {
		t.Errorf("created %+v: want pending, 1 attempt", a)
	}
	if list, err := db.ClaimActions(ctx, "i-2", t0.Add(59*time.Second), time.Minute, 10); err != nil || len(list) != 0 {
		t.Fatalf("claimed by another during the lease: %v, %v", keys(list), err)
	}
	list, err := db.ClaimActions(ctx, "i-2", t0.Add(61*time.Second), time.Minute, 10)
	if err != nil || len(list) != 1 || list[0].Key != "repay:Q9" || list[0].Attempts != 2 {
		t.Fatalf("after the lease: %+v, %v; want repay:Q9 at its 2nd attempt", list, err)
	}
	// Released by its owner (a shutdown before it started): due at once.
	b := repayAction("repay:Q10", 6)
	update(t, db, func(tx *store.Tx) error { return tx.CreateAction(ctx, b, "i-1", t0.Add(time.Minute)) })
	if err := db.RetryAction(ctx, b.Key, "i-1", supportbot.ActionPending, t0, b.Outcome); err != nil {
		t.Fatal(err)
	}
	if list, err := db.ClaimActions(ctx, "i-2", t0, time.Minute, 10); err != nil || len(list) != 1 || list[0].Key != b.Key {
		t.Errorf("released: claimed %v, %v; want %s", keys(list), err, b.Key)
	}
}

// TestCreateActionConflictLeavesTheStepGoing: a confirm delivered again
// finds its action made; the step goes on (flows ignores the ECONFLICT) and
// commits. On PostgreSQL a failed INSERT would abort the whole transaction.
func TestCreateActionConflictLeavesTheStepGoing(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	createAction(t, db, repayAction("repay:Q1", 5))
	put(t, db, text(5, "u:1", "confirm again"))
	q := next(t, db, 5, t0)
	update(t, db, func(tx *store.Tx) error {
		wantCode(t, "the same key again", tx.CreateAction(ctx, repayAction("repay:Q1", 5), "", time.Time{}), supportbot.ECONFLICT)
		if err := tx.Enqueue(ctx, []supportbot.Reply{{ChatID: 5, Text: "under way"}}); err != nil {
			return err
		}
		return tx.DoneEvent(ctx, q.ID)
	})
	if msgs, _ := db.ChatMessages(ctx, 5); len(msgs) != 1 {
		t.Errorf("the step's reply was not committed: %v", msgs)
	}
	if list, _ := db.Actions(ctx, "", 10); len(list) != 1 {
		t.Errorf("%d actions, want 1", len(list))
	}
}

func TestClaimActions(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	createAction(t, db, repayAction("a1", 1))
	c.Add(time.Second)
	createAction(t, db, repayAction("a2", 2))
	claim := func(owner string, now time.Time, limit int) []supportbot.Action {
		t.Helper()
		list, err := db.ClaimActions(ctx, owner, now, time.Minute, limit)
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	if got := claim("i1", t0, 10); !slices.Equal(keys(got), []string{"a1"}) {
		t.Errorf("claimed at t0: %v, want a1 (a2 is not due yet)", keys(got))
	}
	got := claim("i1", c.Now(), 10)
	if !slices.Equal(keys(got), []string{"a2"}) || got[0].Attempts != 1 {
		t.Errorf("claimed next: %+v, want a2, attempt 1", got)
	}
	// Held: nobody takes them, the holder included, until the lease runs out.
	if got := claim("i2", t0.Add(time.Minute), 10); len(got) != 0 {
		t.Errorf("i2 claimed %v while i1's leases last", keys(got))
	}
	if got := claim("i1", t0.Add(30*time.Second), 10); len(got) != 0 {
		t.Errorf("i1 claimed %v again while it holds them", keys(got))
	}
	// i1 died: its claims run out and i2 takes the actions over, same keys.
	got = claim("i2", t0.Add(time.Minute+time.Millisecond), 1)
	if !slices.Equal(keys(got), []string{"a1"}) || got[0].Attempts != 2 || got[0].Repay.QuoteID != "Q1" {
		t.Errorf("taken over: %+v, want a1 (oldest due first), attempt 2, its request intact", got)
	}
	// A settle by the dead owner does nothing; by the holder, once.
	settle := func(key, owner string) bool {
		t.Helper()
		var ok bool
		update(t, db, func(tx *store.Tx) (err error) {
			ok, err = tx.SettleAction(ctx, key, owner, supportbot.ActionSucceeded,
				supportbot.ActionOutcome{Repayment: &supportbot.Repayment{ID: "R1", Status: supportbot.RepaymentSucceeded}})
			return err
		})
		return ok
	}
	if settle("a1", "i1") {
		t.Error("the dead owner settled a1")
	}
	c.Set(t0.Add(2 * time.Minute))
	if !settle("a1", "i2") {
		t.Error("the holder could not settle a1")
	}
	if settle("a1", "i2") || settle("a1", "") {
		t.Error("a1 settled twice")
	}
	a1, err := db.Action(ctx, "a1")
	if err != nil || a1.State != supportbot.ActionSucceeded || !a1.SettledAt.Equal(c.Now()) || a1.Outcome.Repayment == nil || a1.Outcome.Repayment.ID != "R1" {
		t.Errorf("settled a1 = %+v, %v", a1, err)
	}
	// Settled: never claimed again.
	if got := claim("i3", t0.Add(time.Hour), 10); !slices.Equal(keys(got), []string{"a2"}) {
		t.Errorf("claimed after a1 settled: %v, want a2 only", keys(got))
	}
	// An event settles whoever holds the lease (owner "").
	if !settle("a2", "") {
		t.Error("settling a2 without an owner failed")
	}
	if got := claim("i3", t0.Add(2*time.Hour), 10); len(got) != 0 {
		t.Errorf("claimed %v with everything settled", keys(got))
	}
}

func TestRetryAction(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	createAction(t, db, repayAction("a1", 1))
	if _, err := db.ClaimActions(ctx, "i1", t0, time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	out := supportbot.ActionOutcome{Told: true}
	// Not the holder: nothing changes.
	if err := db.RetryAction(ctx, "a1", "i2", supportbot.ActionUnknown, t0.Add(time.Second), out); err != nil {
		t.Fatal(err)
	}
	if a, _ := db.Action(ctx, "a1"); a.State != supportbot.ActionPending {
		t.Errorf("a non-holder's retry changed a1 to %s", a.State)
	}
	if err := db.RetryAction(ctx, "a1", "i1", supportbot.ActionUnknown, t0.Add(10*time.Second), out); err != nil {
		t.Fatal(err)
	}
	a, err := db.Action(ctx, "a1")
	if err != nil || a.State != supportbot.ActionUnknown || !a.NextAt.Equal(t0.Add(10*time.Second)) || !a.Outcome.Told {
		t.Errorf("retried a1 = %+v, %v; want unknown, next in 10 s, told", a, err)
	}
	// The lease is released: due again at next, for anyone.
	if got, _ := db.ClaimActions(ctx, "i2", t0.Add(9*time.Second), time.Minute, 10); len(got) != 0 {
		t.Errorf("claimed %v before it was due again", keys(got))
	}
	got, err := db.ClaimActions(ctx, "i2", t0.Add(10*time.Second), time.Minute, 10)
	if err != nil || !slices.Equal(keys(got), []string{"a1"}) || got[0].State != supportbot.ActionUnknown || got[0].Attempts != 2 {
		t.Errorf("claimed when due again: %+v, %v", got, err)
	}
	// Processing actions are due for a reconcile too.
	if err := db.RetryAction(ctx, "a1", "i2", supportbot.ActionProcessing, t0.Add(time.Hour), out); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.ClaimActions(ctx, "i3", t0.Add(time.Hour), time.Minute, 10); len(got) != 1 || got[0].State != supportbot.ActionProcessing {
		t.Errorf("processing action due for a reconcile: %+v", got)
	}
}

// TestReleaseAndCorrectAction: an unknown action is released as failed,
// not one claimed lately; a released one the core says succeeded becomes
// succeeded, keeping the release's reason, once; a pending one is neither.
func TestReleaseAndCorrectAction(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	createAction(t, db, repayAction("a1", 1))
	createAction(t, db, repayAction("a2", 1))
	if _, err := db.ClaimActions(ctx, "i1", t0, time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryAction(ctx, "a1", "i1", supportbot.ActionUnknown, t0.Add(time.Hour), supportbot.ActionOutcome{}); err != nil {
		t.Fatal(err)
	}
	step := func(f func(tx *store.Tx) (bool, error)) bool {
		var ok bool
		update(t, db, func(tx *store.Tx) (err error) { ok, err = f(tx); return err })
		return ok
	}
	released := supportbot.ActionOutcome{Released: "the core has nothing under the key"}
	if step(func(tx *store.Tx) (bool, error) { return tx.ReleaseAction(ctx, "a2", t0.Add(time.Hour), released) }) {
		t.Error("a pending action was released")
	}
	if !step(func(tx *store.Tx) (bool, error) { return tx.ReleaseAction(ctx, "a1", t0.Add(time.Hour), released) }) {
		t.Fatal("the unknown action was not released")
	}
	corrected := released
	corrected.Repayment = &supportbot.Repayment{ID: "RP1", Key: "a1", Amount: 10100, Status: supportbot.RepaymentSucceeded}
	if step(func(tx *store.Tx) (bool, error) { return tx.CorrectAction(ctx, "a2", corrected) }) {
		t.Error("a pending action was corrected")
	}
	if !step(func(tx *store.Tx) (bool, error) { return tx.CorrectAction(ctx, "a1", corrected) }) {
		t.Fatal("the released action was not corrected")
	}
	a, err := db.Action(ctx, "a1")
	if err != nil || a.State != supportbot.ActionSucceeded || a.Outcome.Released == "" || a.Outcome.Repayment == nil || a.Outcome.Repayment.ID != "RP1" {
		t.Errorf("corrected a1 = %+v, %v; want succeeded, its release's reason and the repayment kept", a, err)
	}
	if step(func(tx *store.Tx) (bool, error) { return tx.CorrectAction(ctx, "a1", corrected) }) {
		t.Error("corrected twice")
	}
}

func TestActionLists(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	for i, key := range []string{"a1", "a2", "a3"} {
		createAction(t, db, repayAction(key, int64(i+1)))
		c.Add(time.Second)
	}
	update(t, db, func(tx *store.Tx) error {
		if _, err := tx.SettleAction(ctx, "a1", "", supportbot.ActionDeclined, supportbot.ActionOutcome{}); err != nil {
			return err
		}
		return tx.NoteAction(ctx, "a3", supportbot.ActionOutcome{Told: true})
	})
	if _, err := db.ClaimActions(ctx, "i1", c.Now(), time.Minute, 1); err != nil {
		t.Fatal(err)
	}
	if err := db.RetryAction(ctx, "a2", "i1", supportbot.ActionProcessing, c.Now().Add(time.Hour), supportbot.ActionOutcome{}); err != nil {
		t.Fatal(err)
	}
	all, err := db.Actions(ctx, "", 10)
	if err != nil || !slices.Equal(keys(all), []string{"a3", "a2", "a1"}) {
		t.Errorf("all actions = %v, %v; want newest first", keys(all), err)
	}
	if list, _ := db.Actions(ctx, supportbot.ActionDeclined, 10); !slices.Equal(keys(list), []string{"a1"}) {
		t.Errorf("declined actions = %v", keys(list))
	}
	if list, _ := db.Actions(ctx, "", 1); !slices.Equal(keys(list), []string{"a3"}) {
		t.Errorf("limit 1: %v", keys(list))
	}
	if a3, _ := db.Action(ctx, "a3"); !a3.Outcome.Told || a3.State != supportbot.ActionPending {
		t.Errorf("noted a3 = %+v; want told, still pending", a3)
	}
	open, err := db.OpenActions(ctx)
	if err != nil || len(open) != 2 || open[supportbot.ActionPending] != 1 || open[supportbot.ActionProcessing] != 1 {
		t.Errorf("open actions = %v, %v; want 1 pending, 1 processing", open, err)
	}
	for chat, want := range map[int64]bool{1: false, 2: false, 3: true, 4: false} {
		// Chat 2's action is with the partner (processing): the console need not wait.
		if got, err := db.ChatActionsOpen(ctx, chat); err != nil || got != want {
			t.Errorf("chat %d has actions open: %v, %v; want %v", chat, got, err, want)
		}
	}
}

// TestClaimActionsConcurrently: instances claiming at once each get
// different actions, and every action is executed (settled) once.
func TestClaimActionsConcurrently(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c)}
	const n = 30
	update(t, db, func(tx *store.Tx) error {
		for i := range n {
			if err := tx.CreateAction(ctx, repayAction(fmt.Sprint("a", i), int64(i)), "", time.Time{}); err != nil {
				return err
			}
		}
		return nil
	})
	var mu sync.Mutex
	owners := map[string]string{}
	settled := map[string]int{}
	errs := parallel(6, func(w int) error {
		d, owner := dbs[w%2], fmt.Sprint("i", w)
		for {
			list, err := d.ClaimActions(ctx, owner, t0, time.Minute, 3)
			if err != nil {
				return err
			}
			if len(list) == 0 {
				return nil
			}
			for _, a := range list {
				mu.Lock()
				if prev, ok := owners[a.Key]; ok {
					mu.Unlock()
					return fmt.Errorf("%s claimed by %s and %s", a.Key, prev, owner)
				}
				owners[a.Key] = owner
				mu.Unlock()
				var ok bool
				if err := d.Update(ctx, func(tx *store.Tx) (err error) {
					ok, err = tx.SettleAction(ctx, a.Key, owner, supportbot.ActionSucceeded, supportbot.ActionOutcome{})
					return err
				}); err != nil {
					return err
				}
				if ok {
					mu.Lock()
					settled[a.Key]++
					mu.Unlock()
				}
			}
		}
	})
	noErrors(t, "worker", errs)
	if len(owners) != n || len(settled) != n {
		t.Errorf("%d actions claimed, %d settled; want %d each", len(owners), len(settled), n)
	}
	for k, times := range settled {
		if times != 1 {
			t.Errorf("%s settled %d times", k, times)
		}
	}
}

// TestDeadOwnersActionTakenOverOnce: when the holder's lease runs out, the
// instances that look at once take it over once, with the same key, and
// only the new holder settles it.
func TestDeadOwnersActionTakenOverOnce(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c), reopen(t, cfg, c)}
	createAction(t, db, repayAction("repay:Q1", 1))
	if got, err := db.ClaimActions(ctx, "dead", t0, time.Minute, 10); err != nil || len(got) != 1 {
		t.Fatalf("first claim: %v, %v", got, err)
	}
	later := t0.Add(time.Minute + time.Second)
	c.Set(later)
	got := make([][]supportbot.Action, 6)
	errs := parallel(len(got), func(i int) (err error) {
		got[i], err = dbs[i%3].ClaimActions(ctx, fmt.Sprint("i", i), later, time.Minute, 10)
		return err
	})
	noErrors(t, "claim", errs)
	holder := ""
	for i, list := range got {
		if len(list) == 0 {
			continue
		}
		if holder != "" || list[0].Key != "repay:Q1" || list[0].Attempts != 2 {
			t.Errorf("instance %d took over %+v (holder so far %q)", i, list, holder)
		}
		holder = fmt.Sprint("i", i)
	}
	if holder == "" {
		t.Fatal("nobody took the dead owner's action over")
	}
	oks := parallel(2, func(i int) error {
		owner := []string{"dead", holder}[i]
		return dbs[i].Update(ctx, func(tx *store.Tx) error {
			ok, err := tx.SettleAction(ctx, "repay:Q1", owner, supportbot.ActionSucceeded, supportbot.ActionOutcome{})
			if ok != (owner == holder) {
				return fmt.Errorf("settle by %s: %v", owner, ok)
			}
			return err
		})
	})
	noErrors(t, "settle", oks)
}
