package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// openPayDB has two customers that both own a card K1 and a plan each: C1
// with P1 (three periods, a schedule per period in every status) and C2 with
// P2 (a schedule of period 2).
func openPayDB(t *testing.T) *store.DB {
	t.Helper()
	db := openDB(t, filepath.Join(t.TempDir(), "bot.db"))
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
	data := []supportbot.CustomerData{
		{
			Customer: supportbot.Customer{ID: "C1", Name: "甲", Phone: "13800000001", IDCardLast4: "1234", Language: "zh"},
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
			Customer:  supportbot.Customer{ID: "C2", Name: "乙", Phone: "13800000002", IDCardLast4: "1234", Language: "zh"},
			Cards:     []supportbot.Card{{ID: "K1", Bank: "中国银行", Last4: "1111", Default: true}},
			Plans:     []supportbot.Plan{{ID: "P2", CustomerID: "C2", OrderNo: "2", Product: "B", Partner: "x", Principal: 3000, Periods: 3, Bills: bills("P2")}},
			Scheduled: []supportbot.ScheduledRepayment{sched("S9", "C2", "P2", 2, supportbot.ScheduledScheduled)},
		},
	}
	if _, err := db.Import(context.Background(), data); err != nil {
		t.Fatalf("import: %v", err)
	}
	return db
}

func statuses(t *testing.T, db *store.DB, customerID string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := inTx(t, db, func(tx *store.Tx) error {
		list, err := tx.Scheduled(context.Background(), customerID)
		for _, s := range list {
			m[s.ID] = s.Status
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCancelPeriodSchedulesCancelsExactlyThosePeriods(t *testing.T) {
	db := openPayDB(t)
	ctx := context.Background()
	var ids []string
	if err := inTx(t, db, func(tx *store.Tx) (err error) {
		ids, err = tx.CancelPeriodSchedules(ctx, "C1", "P1", 1, 2)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	if want := []string{"S1", "S2"}; !slices.Equal(ids, want) {
		t.Errorf("cancelled %q, want %q", ids, want)
	}
	got := statuses(t, db, "C1")
	want := map[string]string{"S1": "cancelled", "S1b": "processing", "S2": "cancelled", "S3": "scheduled"}
	for id, st := range want {
		if got[id] != st {
			t.Errorf("%s status = %s, want %s", id, got[id], st)
		}
	}
	if st := statuses(t, db, "C2")["S9"]; st != "scheduled" {
		t.Errorf("another customer's S9 status = %s, want scheduled", st)
	}

	// No periods cancels nothing, and a plan of someone else nothing either.
	if err := inTx(t, db, func(tx *store.Tx) error {
		if ids, err := tx.CancelPeriodSchedules(ctx, "C1", "P1"); err != nil || len(ids) != 0 {
			t.Errorf("no periods cancelled %q, %v", ids, err)
		}
		if ids, err := tx.CancelPeriodSchedules(ctx, "C1", "P2", 2); err != nil || len(ids) != 0 {
			t.Errorf("another customer's plan: cancelled %q, %v", ids, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if st := statuses(t, db, "C1")["S3"]; st != "scheduled" {
		t.Errorf("S3 status = %s, want scheduled", st)
	}
}

func TestSetAutoRepay(t *testing.T) {
	db := openPayDB(t)
	ctx := context.Background()
	err := inTx(t, db, func(tx *store.Tx) error {
		for i, step := range []struct {
			on, changed bool
		}{{true, true}, {true, false}, {false, true}, {false, false}, {true, true}} {
			changed, err := tx.SetAutoRepay(ctx, "C1", "P1", step.on)
			if err != nil {
				return err
			}
			if changed != step.changed {
				t.Errorf("step %d: set %v changed = %v, want %v", i, step.on, changed, step.changed)
			}
		}
		if _, err := tx.SetAutoRepay(ctx, "C1", "P2", true); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Errorf("another customer's plan: err = %v, want ENOTFOUND", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = inTx(t, db, func(tx *store.Tx) error {
		p1, err := tx.Plan(ctx, "C1", "P1")
		if err != nil {
			return err
		}
		p2, err := tx.Plan(ctx, "C2", "P2")
		if err != nil {
			return err
		}
		if !p1.AutoRepay || p2.AutoRepay {
			t.Errorf("auto-repay P1 = %v, P2 = %v; want true, false", p1.AutoRepay, p2.AutoRepay)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSetDefaultCardKeepsOneDefault(t *testing.T) {
	db := openPayDB(t)
	ctx := context.Background()
	defaults := func(tx *store.Tx, customerID string) []string {
		cards, err := tx.Cards(ctx, customerID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range cards {
			if c.Default {
				ids = append(ids, c.ID)
			}
		}
		return ids
	}
	err := inTx(t, db, func(tx *store.Tx) error {
		if changed, err := tx.SetDefaultCard(ctx, "C1", "K2"); err != nil || !changed {
			t.Errorf("set K2: changed %v, %v; want true", changed, err)
		}
		if got := defaults(tx, "C1"); !slices.Equal(got, []string{"K2"}) {
			t.Errorf("defaults after K2 = %q", got)
		}
		if changed, err := tx.SetDefaultCard(ctx, "C1", "K2"); err != nil || changed {
			t.Errorf("set K2 again: changed %v, %v; want false", changed, err)
		}
		if _, err := tx.SetDefaultCard(ctx, "C1", "K3"); supportbot.ErrorCode(err) != supportbot.EINVALID {
			t.Errorf("frozen K3: err = %v, want EINVALID", err)
		}
		if _, err := tx.SetDefaultCard(ctx, "C1", "K9"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Errorf("unknown K9: err = %v, want ENOTFOUND", err)
		}
		if got := defaults(tx, "C1"); !slices.Equal(got, []string{"K2"}) {
			t.Errorf("defaults after refusals = %q", got)
		}
		// C2 has a K1 too; C1's choice must not touch it.
		if changed, err := tx.SetDefaultCard(ctx, "C1", "K1"); err != nil || !changed {
			t.Errorf("set K1: changed %v, %v; want true", changed, err)
		}
		if got := defaults(tx, "C2"); !slices.Equal(got, []string{"K1"}) {
			t.Errorf("C2 defaults = %q", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
