package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func TestReminderSubscriptions(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	set := func(customer string, on bool) bool {
		t.Helper()
		var changed bool
		update(t, db, func(tx *store.Tx) (err error) {
			changed, err = tx.SetReminders(ctx, customer, on)
			return err
		})
		return changed
	}
	if on, err := db.Reminders(ctx, "C01"); err != nil || on {
		t.Errorf("reminders before asking = %v, %v", on, err)
	}
	if !set("C01", true) || set("C01", true) {
		t.Error("switching on: want changed once")
	}
	if on, _ := db.Reminders(ctx, "C01"); !on {
		t.Error("reminders off after switching on")
	}
	if !set("C01", false) || set("C01", false) {
		t.Error("switching off: want changed once")
	}
	if on, _ := db.Reminders(ctx, "C01"); on {
		t.Error("reminders on after switching off")
	}
}

func TestReminderCustomers(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	for i := 1; i <= 5; i++ {
		customer := fmt.Sprintf("C%02d", i)
		link(t, db, int64(i), customer, supportbot.LangZH)
		if i != 4 { // C04 did not ask
			update(t, db, func(tx *store.Tx) error { _, err := tx.SetReminders(ctx, customer, true); return err })
		}
	}
	update(t, db, func(tx *store.Tx) error { _, err := tx.SetReminders(ctx, "C09", true); return err }) // no chat
	unreachable(t, db, 3)
	list := func(day supportbot.Date, limit int) []string {
		t.Helper()
		ids, err := db.ReminderCustomers(ctx, day, limit)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if got := list("2026-11-21", 10); !slices.Equal(got, []string{"C01", "C02", "C05"}) {
		t.Errorf("subscribers = %v, want C01 C02 C05 (C03 unreachable, C04 did not ask, C09 has no chat)", got)
	}
	if got := list("2026-11-21", 2); !slices.Equal(got, []string{"C01", "C02"}) {
		t.Errorf("limit 2: %v", got)
	}
	update(t, db, func(tx *store.Tx) error {
		if err := tx.ReminderChecked(ctx, "C01", "2026-11-21"); err != nil {
			return err
		}
		return tx.ReminderChecked(ctx, "C01", "2026-11-21") // twice: nothing more
	})
	if got := list("2026-11-21", 10); !slices.Equal(got, []string{"C02", "C05"}) {
		t.Errorf("after C01 was checked: %v", got)
	}
	if got := list("2026-11-22", 10); !slices.Equal(got, []string{"C01", "C02", "C05"}) {
		t.Errorf("the next day: %v", got)
	}
	// Checks are pruned after a while.
	if _, err := db.Prune(ctx, t0.Add(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if got := list("2026-11-21", 10); !slices.Contains(got, "C01") {
		t.Errorf("after pruning the checks: %v", got)
	}
}

// TestRecordReminderOnce: a reminder is queued once, however many instances
// run the job at once.
func TestRecordReminderOnce(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c)}
	fresh := make([]bool, 6)
	errs := parallel(len(fresh), func(i int) error {
		return dbs[i%2].Update(ctx, func(tx *store.Tx) (err error) {
			fresh[i], err = tx.RecordReminder(ctx, "C01", "P1", 2, "due_3")
			return err
		})
	})
	noErrors(t, "record", errs)
	n := 0
	for _, f := range fresh {
		if f {
			n++
		}
	}
	if n != 1 {
		t.Errorf("reminder recorded fresh %d times, want once", n)
	}
	update(t, db, func(tx *store.Tx) error {
		for _, kind := range []string{"due_1", "overdue"} {
			if f, err := tx.RecordReminder(ctx, "C01", "P1", 2, kind); err != nil || !f {
				t.Errorf("another kind %s: %v, %v", kind, f, err)
			}
		}
		if f, err := tx.RecordReminder(ctx, "C01", "P1", 3, "due_3"); err != nil || !f {
			t.Errorf("another period: %v, %v", f, err)
		}
		return nil
	})
}

func TestMisses(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	for _, q := range []string{"怎么开发票", "my card 6222021234567890123 is lost", "怎么开发票", "my card 6222029999999999999 is lost"} {
		if err := db.RecordMiss(ctx, q); err != nil {
			t.Fatal(err)
		}
		c.Add(time.Second)
	}
	if err := db.RecordMiss(ctx, "another"); err != nil {
		t.Fatal(err)
	}
	misses, err := db.Misses(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(misses) != 3 {
		t.Fatalf("misses = %+v, want 3 questions", misses)
	}
	// The card numbers were masked, so both questions count as one; the
	// later seen of two as frequent comes first.
	if misses[0].Text != "my card **** is lost" || misses[0].Count != 2 || !misses[0].LastSeen.Equal(t0.Add(3*time.Second)) {
		t.Errorf("first miss = %+v", misses[0])
	}
	if misses[1].Text != "怎么开发票" || misses[1].Count != 2 || misses[2].Text != "another" || misses[2].Count != 1 {
		t.Errorf("misses = %+v", misses)
	}
	if some, _ := db.Misses(ctx, 1); len(some) != 1 {
		t.Errorf("limit 1: %+v", some)
	}
	if got := store.MaskQuestion("id 11010519491231002X please"); got != "id **** please" {
		t.Errorf("MaskQuestion = %q", got)
	}
}
