package store_test

import (
	"context"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// link saves a conversation of chatID linked to the customer.
func link(t *testing.T, db *store.DB, chatID int64, customerID string, lang supportbot.Lang) {
	t.Helper()
	if err := inTx(t, db, func(tx *store.Tx) error {
		return tx.SaveConversation(context.Background(), &supportbot.Conversation{ChatID: chatID, Lang: lang, CustomerID: customerID})
	}); err != nil {
		t.Fatal(err)
	}
}

// unreachable marks a chat the way the sender does when the user blocked the bot.
func unreachable(t *testing.T, db *store.DB, chatID int64) {
	t.Helper()
	ctx := context.Background()
	if err := db.Enqueue(ctx, []supportbot.Reply{{ChatID: chatID, Text: "probe"}}); err != nil {
		t.Fatal(err)
	}
	msgs, err := db.DueMessages(ctx, db.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Reply.ChatID == chatID {
			if err := db.MarkFailed(ctx, m.ID, "blocked", true); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("no probe for chat %d", chatID)
}

func reminderPlans(t *testing.T, db *store.DB, due supportbot.Date, kind string) []string {
	t.Helper()
	var ids []string
	if err := inTx(t, db, func(tx *store.Tx) error {
		plans, err := tx.ReminderPlans(context.Background(), due, kind)
		for _, p := range plans {
			if len(p.Bills) != 3 {
				t.Errorf("plan %s comes with %d bills, want all 3", p.ID, len(p.Bills))
			}
			ids = append(ids, p.ID)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestReminderSubscriptionsAndRecords(t *testing.T) {
	db := openPayDB(t) // C1 P1 and C2 P2, bills due 2026-12-01, -02, -03
	ctx := context.Background()
	set := func(customer string, on, wantChanged bool) {
		t.Helper()
		if err := inTx(t, db, func(tx *store.Tx) error {
			changed, err := tx.SetReminders(ctx, customer, on)
			if err == nil && changed != wantChanged {
				t.Errorf("SetReminders(%s, %v) changed = %v, want %v", customer, on, changed, wantChanged)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	set("C1", true, true)
	set("C1", true, false)
	set("C2", true, true)
	link(t, db, 1, "C1", supportbot.LangZH)

	if got := reminderPlans(t, db, "2026-12-02", "due_1"); len(got) != 1 || got[0] != "P1" {
		t.Fatalf("ReminderPlans = %v, want [P1] (C2 has no chat)", got)
	}
	if got := reminderPlans(t, db, "2026-12-05", "due_1"); len(got) != 0 {
		t.Errorf("nothing is due 12-05, got %v", got)
	}
	record := func(period int, kind string, want bool) {
		t.Helper()
		if err := inTx(t, db, func(tx *store.Tx) error {
			fresh, err := tx.RecordReminder(ctx, "C1", "P1", period, kind)
			if err == nil && fresh != want {
				t.Errorf("RecordReminder(%d, %s) = %v, want %v", period, kind, fresh, want)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	record(2, "due_1", true)
	record(2, "due_1", false)
	if got := reminderPlans(t, db, "2026-12-02", "due_1"); len(got) != 0 {
		t.Errorf("after recording, ReminderPlans = %v, want none", got)
	}
	if got := reminderPlans(t, db, "2026-12-02", "due_3"); len(got) != 1 {
		t.Errorf("another kind of the same bill: ReminderPlans = %v, want [P1]", got)
	}

	unreachable(t, db, 1)
	if got := reminderPlans(t, db, "2026-12-02", "due_3"); len(got) != 0 {
		t.Errorf("every chat unreachable: ReminderPlans = %v, want none", got)
	}
	link(t, db, 1, "C1", supportbot.LangZH) // the customer wrote again
	set("C1", false, true)
	if err := inTx(t, db, func(tx *store.Tx) error {
		on, err := tx.Reminders(ctx, "C1")
		if on {
			t.Error("reminders still on")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := reminderPlans(t, db, "2026-12-02", "due_3"); len(got) != 0 {
		t.Errorf("opted out: ReminderPlans = %v, want none", got)
	}
}
