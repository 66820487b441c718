package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// oldDatabase builds a database as the SQLite version before the core
// boundary left it: migrations 001–006 recorded, instants as RFC 3339 text
// with as many fraction digits as they had (none, .5, nanoseconds), ”
// for "no time", mainland phones without a country code.
func oldDatabase(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	exec(`CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	for _, name := range []string{"001_init.sql", "002_closure.sql", "003_faq_misses.sql", "004_outbox.sql", "005_tickets.sql", "006_reminders.sql"} {
		body, err := os.ReadFile(filepath.Join("migration", "sqlite", name))
		if err != nil {
			t.Fatal(err)
		}
		exec(string(body))
		exec(`INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, "migration/"+name, "2026-01-01T00:00:00Z")
	}
	exec(`INSERT INTO customers (id, name, phone, id_card_last4, language) VALUES
		('C1', '张伟', '13800138000', '123X', 'zh'), ('C2', 'Emily', '13900139000', '4567', 'en')`)
	exec(`INSERT INTO plans (id, customer_id, order_no, product, partner, principal_fen, periods) VALUES
		('P1', 'C1', '1', 'Redmi', '小米分期', 30000, 3)`)
	exec(`INSERT INTO bills (plan_id, period, due_date, principal_fen, status) VALUES ('P1', 1, '2026-12-15', 10000, 'unpaid')`)
	exec(`INSERT INTO scheduled_repayments (id, customer_id, plan_id, period, amount_fen, card_id, run_at, status) VALUES
		('S1', 'C1', 'P1', 1, 10000, 'K1', '2026-12-15T01:00:00.25Z', 'scheduled')`)
	exec(`INSERT INTO conversations (chat_id, user_id, lang, lang_chosen, customer_id, flow, state, slots, misses, updated_at, transcript) VALUES
		(100, 100, 'zh', 0, 'C1', 'repay', 'quoted', '{"plan":"P1"}', 1, '2026-11-21T02:00:00.5Z', '[]'),
		(200, 200, 'en', 1, 'C2', '', '', '{}', 0, '2026-11-21T02:00:00Z', '[]'),
		(300, 300, 'zh', 0, NULL, '', '', '{}', 0, '2026-11-21T02:00:00.123456789Z', '[]')`)
	exec(`INSERT INTO processed_updates (update_id, processed_at) VALUES (42, '2026-11-21T01:59:59.999999999Z')`)
	exec(`INSERT INTO audit_log (time, action, customer_id, details) VALUES
		('2026-11-21T02:00:00.5Z', 'first', 'C1', '{}'), ('2026-11-21T02:00:00Z', 'second', 'C1', '{}')`)
	exec(`INSERT INTO notices (customer_id, time, kind, params) VALUES ('C1', '2026-11-21T02:00:00.75Z', 'repaid', '{"amount":"¥1"}')`)
	// The outbox: id 1 is due half a second after id 2, though its text
	// sorts first ("…00.5Z" < "…00Z").
	exec(`INSERT INTO outbox (id, chat_id, payload, status, next_at, created_at, done_at) VALUES
		(1, 100, '{"chat_id":100,"text":"later"}', 'pending', '2026-11-21T02:00:00.5Z', '2026-11-21T02:00:00.5Z', NULL),
		(2, 200, '{"chat_id":200,"text":"sooner"}', 'pending', '2026-11-21T02:00:00Z', '2026-11-21T02:00:00Z', NULL),
		(3, 200, '{"chat_id":200,"text":"sent"}', 'sent', '2026-11-21T01:00:00Z', '2026-11-21T01:00:00Z', '2026-11-21T01:00:00.5Z')`)
	exec(`INSERT INTO tickets (chat_id, customer_id, status, created_at, claimed_at, first_reply_at, closed_at) VALUES
		(100, 'C1', 'open', '2026-11-21T02:00:00.5Z', '', '', ''),
		(200, 'C2', 'open', '2026-11-21T02:00:00Z', '', '', ''),
		(300, '', 'closed', '2026-11-20T02:00:00Z', '2026-11-20T02:01:00.5Z', '2026-11-20T02:02:00Z', '2026-11-20T03:00:00.000000001Z')`)
	exec(`INSERT INTO closure_requests (reference, customer_id, day, seq, status, reason, created_at, expected_from, expected_to, updated_at) VALUES
		('CR-20261120-0001', 'C2', '2026-11-20', 1, 'rejected', '退货', '2026-11-20T02:00:00Z', '2026-11-23', '2026-11-25', '2026-11-20T05:00:00.5Z'),
		('CR-20261121-0001', 'C1', '2026-11-21', 1, 'submitted', '', '2026-11-21T02:00:00.5Z', '2026-11-24', '2026-11-26', '2026-11-21T02:00:00.5Z')`)
	exec(`INSERT INTO closure_sequences (day, last_seq) VALUES ('2026-11-20', 1), ('2026-11-21', 1)`)
	exec(`INSERT INTO closure_locks (customer_id, failures, locked_until, updated_at) VALUES
		('C1', 3, '2026-11-22T02:00:00.5Z', '2026-11-21T02:00:00.5Z'), ('C2', 1, '', '2026-11-21T02:00:00Z')`)
	exec(`INSERT INTO faq_misses (text, count, first_seen, last_seen) VALUES
		('earlier', 2, '2026-11-20T00:00:00Z', '2026-11-21T02:00:00Z'), ('later', 2, '2026-11-20T00:00:00Z', '2026-11-21T02:00:00.5Z')`)
	exec(`INSERT INTO reminder_subscriptions (customer_id, since) VALUES ('C1', '2026-11-01T00:00:00Z')`)
	exec(`INSERT INTO reminders (customer_id, plan_id, period, kind, queued_at) VALUES ('C1', 'P1', 1, 'due_3', '2026-11-12T01:00:00Z')`)
	exec(`INSERT INTO announcements (text_zh, text_en, until, broadcast, active, created_at) VALUES
		('维护', 'Maintenance', '2026-11-21T02:00:00.5Z', 1, 1, '2026-11-20T00:00:00Z')`)
	exec(`INSERT INTO announcement_deliveries (announcement_id, chat_id, queued_at) VALUES (1, 100, '2026-11-20T00:00:01Z')`)
	return path
}

// TestOldSQLiteDatabaseMigrates is issue 15.9 on an upgrade: instants kept
// as RFC 3339 text of any width become the same instants, to the
// millisecond, and order as instants, not as text; phones become E.164.
func TestOldSQLiteDatabaseMigrates(t *testing.T) {
	if postgres() {
		t.Skip("SQLite databases of earlier versions only")
	}
	ctx := context.Background()
	path := oldDatabase(t)
	db, err := store.Open(ctx, store.Config{Path: path})
	if err != nil {
		t.Fatalf("open an old database: %v", err)
	}
	defer db.Close()
	c := newClock(t0)
	db.Now = c.Now
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v.UTC()
	}
	half := t0.Add(500 * time.Millisecond) // 02:00:00.5

	names, err := db.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := migrationFiles(t); !slices.Equal(names, want) {
		t.Errorf("migrations = %q, want %q", names, want)
	}

	// Phones: E.164; the links follow them.
	v := db.CoreView()
	if cu, err := v.CustomerByPhone(ctx, "+8613800138000"); err != nil || cu.ID != "C1" {
		t.Errorf("customer by +8613800138000 = %+v, %v; want C1", cu, err)
	}
	if _, err := v.CustomerByPhone(ctx, "13800138000"); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("the domestic form still finds a customer: %v", err)
	}
	conv, err := db.Conversation(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if conv.LinkedPhone != "+8613800138000" || conv.CustomerID != "C1" || !conv.UpdatedAt.Equal(half) || conv.Flow != "" || string(conv.Slots) != "{}" {
		t.Errorf("conversation 100 = %+v; want linked through +8613800138000, updated at %v, at the menu", conv, half)
	}
	if conv, _ := db.Conversation(ctx, 200); conv == nil || !conv.LangChosen || !conv.UpdatedAt.Equal(t0) {
		t.Errorf("conversation 200 = %+v; want lang chosen, updated at %v", conv, t0)
	}
	if conv, _ := db.Conversation(ctx, 300); conv == nil || conv.LinkedPhone != "" || !conv.UpdatedAt.Equal(t0.Add(123*time.Millisecond)) {
		t.Errorf("conversation 300 = %+v; want unlinked, updated at .123", conv)
	}

	// The outbox in instant order: at 02:00:00.2 only the message due at
	// 02:00:00 is due, though "…00.5Z" sorts before "…00Z" as text.
	due, err := db.DueMessages(ctx, t0.Add(200*time.Millisecond), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) != 1 || due[0].ID != 2 || due[0].Reply.Text != "sooner" {
		t.Errorf("due at 02:00:00.2 = %+v, want message 2 only", due)
	}
	if due, _ := db.DueMessages(ctx, half, 10); len(due) != 2 {
		t.Errorf("due at 02:00:00.5 = %+v, want both", due)
	}
	claimed, err := db.ClaimMessages(ctx, "i1", t0.Add(200*time.Millisecond), time.Minute, 10)
	if err != nil || len(claimed) != 1 || claimed[0].ID != 2 {
		t.Errorf("claimed at 02:00:00.2 = %+v, %v; want message 2 only", claimed, err)
	}
	// The sent message is pruned by its instant: done at 01:00:00.5.
	if n, err := db.Prune(ctx, at("2026-11-21T01:00:00.4Z")); err != nil || n != 0 {
		t.Errorf("prune before 01:00:00.4 = %d, %v; want nothing", n, err)
	}

	// A processed update is still recognised when delivered again.
	if n, err := db.PutEvents(ctx, []supportbot.Event{{Source: supportbot.UpdateSource(42), ChatID: 100, Kind: supportbot.EventText}}); err != nil || n != 0 {
		t.Errorf("redelivered update 42: %d new, %v; want 0", n, err)
	}
	if n, _ := db.InboxDepth(ctx); n != 0 {
		t.Errorf("inbox depth %d, want 0", n)
	}

	// Tickets: waits by instant; '' became no time.
	unanswered, err := db.UnansweredTickets(ctx, t0.Add(200*time.Millisecond))
	if err != nil || len(unanswered) != 1 || unanswered[0].ChatID != 200 {
		t.Errorf("unanswered before 02:00:00.2 = %+v, %v; want chat 200's only", unanswered, err)
	}
	if tk, err := db.OpenTicket(ctx, 100); err != nil || !tk.CreatedAt.Equal(half) || !tk.ClaimedAt.IsZero() || !tk.ClosedAt.IsZero() {
		t.Errorf("ticket of 100 = %+v, %v; want created at .5 and no other time", tk, err)
	}
	if tk, err := db.LastTicket(ctx, 300); err != nil || !tk.ClaimedAt.Equal(at("2026-11-20T02:01:00.5Z")) ||
		!tk.FirstReplyAt.Equal(at("2026-11-20T02:02:00Z")) || !tk.ClosedAt.Equal(at("2026-11-20T03:00:00Z")) {
		t.Errorf("ticket of 300 = %+v, %v; want its times to the millisecond", tk, err)
	}

	// Closure: requests, decision times, the lock.
	if r, err := v.ClosureRequest(ctx, "CR-20261120-0001"); err != nil || !r.DecidedAt.Equal(at("2026-11-20T05:00:00.5Z")) || !r.CreatedAt.Equal(at("2026-11-20T02:00:00Z")) {
		t.Errorf("decided request = %+v, %v", r, err)
	}
	if r, err := v.ClosureRequest(ctx, "CR-20261121-0001"); err != nil || !r.DecidedAt.IsZero() || !r.CreatedAt.Equal(half) {
		t.Errorf("open request = %+v, %v", r, err)
	}
	if failures, until, err := db.ClosureLock(ctx, "C1"); err != nil || failures != 3 || !until.Equal(at("2026-11-22T02:00:00.5Z")) {
		t.Errorf("lock of C1 = %d, %v, %v; want 3 until 11-22 02:00:00.5", failures, until, err)
	}
	if failures, until, err := db.ClosureLock(ctx, "C2"); err != nil || failures != 1 || !until.IsZero() {
		t.Errorf("lock of C2 = %d, %v, %v; want 1, not locked", failures, until, err)
	}
	// The day's sequence goes on where it was.
	var ref string
	update(t, db, func(tx *store.Tx) error {
		if err := tx.ResetClosureFailures(ctx, "C2"); err != nil {
			return err
		}
		r, err := tx.CreateClosureRequest(ctx, "C2", "2026-11-21", "2026-11-24", "2026-11-26")
		if r != nil {
			ref = r.Reference
		}
		return err
	})
	if ref != "CR-20261121-0002" {
		t.Errorf("next reference %q, want CR-20261121-0002", ref)
	}
	scheduled, err := v.Scheduled(ctx, "C1")
	if err != nil || len(scheduled) != 1 || !scheduled[0].RunAt.Equal(at("2026-12-15T01:00:00.25Z")) {
		t.Errorf("scheduled = %+v, %v; want S1 at 01:00:00.25", scheduled, err)
	}

	// The rest of the bot's state: audit, notices, misses, reminders, announcements.
	audit, err := db.Audit(ctx, "C1")
	if err != nil || len(audit) != 2 || audit[0].Action != "first" || !audit[0].Time.Equal(half) || !audit[1].Time.Equal(t0) {
		t.Errorf("audit = %+v, %v", audit, err)
	}
	if notices, err := db.Notices(ctx, "C1", 0, 5); err != nil || len(notices) != 1 || !notices[0].Time.Equal(t0.Add(750*time.Millisecond)) {
		t.Errorf("notices = %+v, %v", notices, err)
	}
	misses, err := db.Misses(ctx, 5)
	if err != nil || len(misses) != 2 || misses[0].Text != "later" || !misses[0].LastSeen.Equal(half) {
		t.Errorf("misses = %+v, %v; want the one seen at 02:00:00.5 first", misses, err)
	}
	if on, err := db.Reminders(ctx, "C1"); err != nil || !on {
		t.Errorf("reminders of C1 = %v, %v; want on", on, err)
	}
	update(t, db, func(tx *store.Tx) error {
		if fresh, err := tx.RecordReminder(ctx, "C1", "P1", 1, "due_3"); err != nil || fresh {
			t.Errorf("reminder queued before recorded again: %v, %v", fresh, err)
		}
		return nil
	})
	c.Set(t0.Add(499 * time.Millisecond))
	if text, err := db.AnnouncementText(ctx, supportbot.LangEN); err != nil || text != "Maintenance" {
		t.Errorf("announcement at 02:00:00.499 = %q, %v; want in force", text, err)
	}
	update(t, db, func(tx *store.Tx) error {
		id, list, err := tx.AnnouncementRecipients(ctx, 10)
		if err != nil {
			return err
		}
		var chats []int64
		for _, c := range list {
			chats = append(chats, c.ChatID)
		}
		if id != 1 || !slices.Equal(chats, []int64{200}) {
			t.Errorf("broadcast %d recipients %v, want announcement 1 to chat 200 only (100 had it)", id, chats)
		}
		return nil
	})
	c.Set(half)
	if text, err := db.AnnouncementText(ctx, supportbot.LangEN); err != nil || text != "" {
		t.Errorf("announcement at 02:00:00.5 = %q, %v; want expired", text, err)
	}

	// The append-only audit log survived the rebuild.
	if _, err := rawDB(t, store.Config{Path: path}).Exec(`DELETE FROM audit_log`); err == nil {
		t.Error("the rebuilt audit log lets entries be deleted")
	}
	// And opening it again applies nothing.
	db.Close()
	again := reopen(t, store.Config{Path: path}, c)
	if names2, err := again.Migrations(ctx); err != nil || !slices.Equal(names, names2) {
		t.Errorf("after a restart: %q, %v", names2, err)
	}
}
