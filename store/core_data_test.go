package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// payData has two customers that both own a card K1 and a plan each: C1
// with P1 (three periods, a schedule per period in every status) and C2 with
// P2 (a schedule of period 2).
func payData(t testing.TB, db *store.DB) {
	t.Helper()
	at := time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC)
	bills := func(plan string) []supportbot.Bill {
		var bs []supportbot.Bill
		for i := 1; i <= 3; i++ {
			bs = append(bs, supportbot.Bill{PlanID: plan, Period: i, DueDate: supportbot.Date(fmt.Sprintf("2026-12-%02d", i)),
				Principal: 1000, Status: supportbot.BillUnpaid})
		}
		return bs
	}
	sched := func(id, customer, plan string, period int, status string) supportbot.ScheduledRepayment {
		return supportbot.ScheduledRepayment{ID: id, CustomerID: customer, PlanID: plan, Period: period, Amount: 1000, CardID: "K1", RunAt: at, Status: status}
	}
	mustImport(t, db, []supportbot.CustomerData{
		{
			Customer: supportbot.Customer{ID: "C1", Name: "甲", Phone: "+8613800000001", IDCardLast4: "1234", Language: "zh"},
			Cards: []supportbot.Card{
				{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true},
				{ID: "K2", Bank: "建设银行", Last4: "8888"},
				{ID: "K3", Bank: "工商银行", Last4: "4321", Frozen: true},
			},
			Plans: []supportbot.Plan{{ID: "P1", CustomerID: "C1", OrderNo: "1", Product: "A", Partner: "x", Principal: 3000, Periods: 3, Bills: bills("P1")}},
			Scheduled: []supportbot.ScheduledRepayment{
				sched("S1", "C1", "P1", 1, supportbot.ScheduledScheduled),
				sched("S1b", "C1", "P1", 1, supportbot.ScheduledProcessing),
				sched("S2", "C1", "P1", 2, supportbot.ScheduledScheduled),
				sched("S3", "C1", "P1", 3, supportbot.ScheduledScheduled),
			},
		},
		{
			Customer:  supportbot.Customer{ID: "C2", Name: "乙", Phone: "+8613800000002", IDCardLast4: "1234", Language: "zh"},
			Cards:     []supportbot.Card{{ID: "K1", Bank: "中国银行", Last4: "1111", Default: true}},
			Plans:     []supportbot.Plan{{ID: "P2", CustomerID: "C2", OrderNo: "2", Product: "B", Partner: "x", Principal: 3000, Periods: 3, Bills: bills("P2")}},
			Scheduled: []supportbot.ScheduledRepayment{sched("S9", "C2", "P2", 2, supportbot.ScheduledScheduled)},
		},
	})
}

func statuses(t testing.TB, db *store.DB, customerID string) map[string]string {
	t.Helper()
	list, err := db.CoreView().Scheduled(context.Background(), customerID)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, s := range list {
		m[s.ID] = s.Status
	}
	return m
}

func TestCancelPeriodSchedulesCancelsExactlyThosePeriods(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	payData(t, db)
	var ids []string
	update(t, db, func(tx *store.Tx) (err error) {
		if none, err := tx.CancelPeriodSchedules(ctx, "C1", "P1"); err != nil || len(none) != 0 {
			t.Errorf("no periods cancelled %v, %v", none, err)
		}
		ids, err = tx.CancelPeriodSchedules(ctx, "C1", "P1", 1, 3)
		return err
	})
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"S1", "S3"}) {
		t.Errorf("cancelled %v, want S1 and S3 (S1b is processing: the bank has it)", ids)
	}
	want := map[string]string{"S1": "cancelled", "S1b": "processing", "S2": "scheduled", "S3": "cancelled"}
	if got := statuses(t, db, "C1"); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses = %v, want %v", got, want)
	}
	// Another customer's plan: nothing.
	update(t, db, func(tx *store.Tx) error {
		ids, err := tx.CancelPeriodSchedules(ctx, "C1", "P2", 2)
		if len(ids) != 0 {
			t.Errorf("cancelled another customer's %v", ids)
		}
		return err
	})
	if got := statuses(t, db, "C2"); got["S9"] != "scheduled" {
		t.Errorf("S9 = %s", got["S9"])
	}
}

func TestCancelScheduled(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	payData(t, db)
	for _, tc := range []struct {
		customer, id string
		want         bool
	}{{"C2", "S2", false}, {"C1", "S1b", false}, {"C1", "S2", true}, {"C1", "S2", false}, {"C1", "S99", false}} {
		update(t, db, func(tx *store.Tx) error {
			ok, err := tx.CancelScheduled(ctx, tc.customer, tc.id)
			if ok != tc.want {
				t.Errorf("CancelScheduled(%s, %s) = %v, want %v", tc.customer, tc.id, ok, tc.want)
			}
			return err
		})
	}
}

func TestPayBills(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	payData(t, db)
	pay := func(customer, plan string, periods ...int) int {
		t.Helper()
		var n int
		update(t, db, func(tx *store.Tx) (err error) {
			n, err = tx.PayBills(ctx, customer, plan, periods...)
			return err
		})
		return n
	}
	if n := pay("C1", "P1"); n != 0 {
		t.Errorf("no periods paid %d", n)
	}
	if n := pay("C2", "P1", 1); n != 0 {
		t.Errorf("paid %d bills of another customer's plan", n)
	}
	if n := pay("C1", "P1", 1, 3, 7); n != 2 {
		t.Errorf("paid %d, want 2", n)
	}
	if n := pay("C1", "P1", 1, 2); n != 1 {
		t.Errorf("paid %d, want 1 (period 1 was paid)", n)
	}
	p, err := db.CoreView().Plan(ctx, "C1", "P1")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range p.Bills {
		if b.Status != supportbot.BillPaid {
			t.Errorf("period %d %s", b.Period, b.Status)
		}
	}
}

func TestSetAutoRepayAndDefaultCard(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	payData(t, db)
	update(t, db, func(tx *store.Tx) error {
		wantCode(t, "another customer's plan", tx.SetAutoRepay(ctx, "C2", "P1", true), supportbot.ENOTFOUND)
		wantCode(t, "an unknown plan", tx.SetAutoRepay(ctx, "C1", "P9", true), supportbot.ENOTFOUND)
		if err := tx.SetAutoRepay(ctx, "C1", "P1", true); err != nil {
			return err
		}
		if p, err := tx.CoreView().Plan(ctx, "C1", "P1"); err != nil || !p.AutoRepay {
			t.Errorf("after switching on: %+v, %v", p, err)
		}
		if err := tx.SetAutoRepay(ctx, "C1", "P1", false); err != nil {
			return err
		}
		if p, _ := tx.CoreView().Plan(ctx, "C1", "P1"); p.AutoRepay {
			t.Error("still on after switching off")
		}
		return tx.SetDefaultCard(ctx, "C1", "K2")
	})
	cards, err := db.CoreView().Cards(ctx, "C1")
	if err != nil {
		t.Fatal(err)
	}
	var defaults []string
	for _, c := range cards {
		if c.Default {
			defaults = append(defaults, c.ID)
		}
	}
	if !slices.Equal(defaults, []string{"K2"}) || cards[0].ID != "K2" {
		t.Errorf("defaults %v, cards %+v; want K2 alone, listed first", defaults, cards)
	}
	// The other customer's K1 is untouched.
	if cards, _ := db.CoreView().Cards(ctx, "C2"); len(cards) != 1 || !cards[0].Default {
		t.Errorf("C2's cards = %+v", cards)
	}
}

func TestQuotes(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	q := &store.StoredQuote{Quote: supportbot.Quote{ID: "Q1", CustomerID: "C1", PlanID: "P1", Kind: supportbot.QuotePayoff,
		Periods: []int{2, 3}, Excluded: []int{1}, Amount: 2030,
		Parts:     supportbot.QuoteParts{Principal: 2000, Fees: 10, LateFees: 5, PrepayFee: 15},
		ExpiresAt: t0.Add(15 * time.Minute)}, Fingerprint: "fp"}
	if _, err := db.CoreView().Quote(ctx, "Q1"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("unknown quote: %v", err)
	}
	update(t, db, func(tx *store.Tx) error { return tx.SaveQuote(ctx, q) })
	got, err := db.CoreView().Quote(ctx, "Q1")
	if err != nil || !reflect.DeepEqual(got, q) {
		t.Errorf("quote = %+v, %v; want %+v", got, err, q)
	}
	// Pruned once expired.
	if _, err := db.Prune(ctx, t0.Add(15*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CoreView().Quote(ctx, "Q1"); err != nil {
		t.Errorf("a quote pruned before it expired: %v", err)
	}
	if _, err := db.Prune(ctx, t0.Add(16*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CoreView().Quote(ctx, "Q1"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("an expired quote survived pruning: %v", err)
	}
}

func TestRepayments(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	r1 := &supportbot.Repayment{ID: "R1", Key: "repay:Q1", QuoteID: "Q1", CustomerID: "C1", PlanID: "P1", CardID: "K1",
		Amount: 2030, Periods: []int{2, 3}, Status: supportbot.RepaymentSucceeded, CancelledScheduledIDs: []string{"S2"},
		CreatedAt: t0, SettledAt: t0.Add(time.Second)}
	r2 := &supportbot.Repayment{ID: "R2", Key: "repay:Q2", QuoteID: "Q2", CustomerID: "C1", PlanID: "P1", CardID: "K3",
		Amount: 1000, Periods: []int{1}, Status: supportbot.RepaymentProcessing, CreatedAt: t0.Add(time.Minute)}
	update(t, db, func(tx *store.Tx) error {
		if err := tx.SaveRepayment(ctx, r2); err != nil {
			return err
		}
		return tx.SaveRepayment(ctx, r1)
	})
	c.Add(time.Minute)
	err := db.Update(ctx, func(tx *store.Tx) error {
		return tx.SaveRepayment(ctx, &supportbot.Repayment{ID: "R3", Key: "repay:Q1", Amount: 1, Status: supportbot.RepaymentSucceeded, CreatedAt: t0})
	})
	wantCode(t, "a key used before", err, supportbot.ECONFLICT)
	v := db.CoreView()
	got, err := v.RepaymentByKey(ctx, "repay:Q1")
	if err != nil || !reflect.DeepEqual(got, r1) {
		t.Errorf("repayment = %+v, %v; want %+v", got, err, r1)
	}
	if got, err := v.RepaymentByKey(ctx, "repay:Q2"); err != nil || got.CancelledScheduledIDs == nil || !got.SettledAt.IsZero() {
		t.Errorf("processing repayment = %+v, %v; want no cancellations ([]), not settled", got, err)
	}
	if _, err := v.RepaymentByKey(ctx, "repay:Q9"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("unknown key: %v", err)
	}
	list, err := v.Repayments(ctx, "C1")
	if err != nil || len(list) != 2 || list[0].ID != "R1" || list[1].ID != "R2" {
		t.Errorf("repayments = %+v, %v; want R1, R2 (oldest first)", list, err)
	}
	update(t, db, func(tx *store.Tx) error {
		if list, err := tx.CoreView().Repayments(ctx, "C1"); err != nil || len(list) != 2 {
			t.Errorf("in a transaction: %d, %v", len(list), err)
		}
		return nil
	})
}

func TestCoreRequests(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	r := store.CoreRequest{Op: "cancel", Request: `{"id":"S1"}`, Response: []byte(`{"result":{"status":"cancelled"}}`)}
	if _, err := db.CoreView().CoreRequest(ctx, "k1"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("unknown key: %v", err)
	}
	update(t, db, func(tx *store.Tx) error { return tx.SaveCoreRequest(ctx, "k1", r) })
	err := db.Update(ctx, func(tx *store.Tx) error { return tx.SaveCoreRequest(ctx, "k1", r) })
	wantCode(t, "the same key again", err, supportbot.ECONFLICT)
	got, err := db.CoreView().CoreRequest(ctx, "k1")
	if err != nil || !reflect.DeepEqual(*got, r) {
		t.Errorf("kept %+v, %v; want %+v", got, err, r)
	}
}

func TestCoreEvents(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	evs := []supportbot.CoreEvent{
		{ID: "evt_2", Type: supportbot.EventCustomerUpdated, CreatedAt: t0, Customer: &supportbot.Customer{ID: "C1", Phone: "+8613800000009"}},
		{ID: "evt_1", Type: supportbot.CoreEventType("repayment.succeeded"), CreatedAt: t0,
			Repayment: &supportbot.Repayment{ID: "R1", Status: supportbot.RepaymentSucceeded, CreatedAt: t0}},
		{ID: "evt_3", Type: supportbot.EventCustomerUpdated, CreatedAt: t0, Customer: &supportbot.Customer{ID: "C2"}},
	}
	update(t, db, func(tx *store.Tx) error {
		for _, ev := range evs {
			if err := tx.EmitCoreEvent(ctx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	got, err := db.PendingCoreEvents(ctx, 2)
	if err != nil || len(got) != 2 || !reflect.DeepEqual(got, evs[:2]) {
		t.Errorf("pending, limit 2 = %+v, %v; want the first two emitted, in order", got, err)
	}
	update(t, db, func(tx *store.Tx) error { return tx.CoreEventDelivered(ctx, "evt_2") })
	got, _ = db.PendingCoreEvents(ctx, 10)
	if len(got) != 2 || got[0].ID != "evt_1" || got[1].ID != "evt_3" {
		t.Errorf("pending after evt_2 was delivered = %+v", got)
	}
	// Delivered events are pruned; pending ones stay whatever their age.
	if _, err := db.Prune(ctx, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.PendingCoreEvents(ctx, 10); len(got) != 2 {
		t.Errorf("pending after pruning = %+v", got)
	}
	err = db.Update(ctx, func(tx *store.Tx) error { return tx.EmitCoreEvent(ctx, evs[2]) })
	if err == nil {
		t.Error("an event id emitted twice")
	}
}
