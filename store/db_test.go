package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func openDB(t *testing.T, path string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestMigrationsApplyInOrderOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "bot.db") // the directory is created
	db := openDB(t, path)
	first, err := db.Migrations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(first) < 3 || !slices.IsSorted(first) || first[0] != "migration/001_init.sql" {
		t.Fatalf("applied migrations = %q", first)
	}
	db.Close()
	again, err := openDB(t, path).Migrations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(first, again) {
		t.Errorf("reopening changed the migrations: %q → %q", first, again)
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "bot.db")
	db := openDB(t, path)
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "test", CustomerID: "C1", Details: map[string]any{"amount_fen": 100}}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", path) // as an operator with a SQL shell would
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, stmt := range []string{"UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"} {
		_, err := raw.ExecContext(ctx, stmt)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused", stmt, err)
		}
	}
	entries, err := db.Audit(ctx, "C1")
	if err != nil || len(entries) != 1 || entries[0].Details["amount_fen"] != float64(100) {
		t.Errorf("audit = %+v, %v", entries, err)
	}
}

func TestRedeliveredUpdateIsMarkedOnce(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, filepath.Join(t.TempDir(), "bot.db"))
	for i, want := range []bool{true, false} {
		tx, err := db.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := tx.MarkUpdate(ctx, 42)
		if err != nil || fresh != want {
			t.Errorf("delivery %d: fresh = %v, %v; want %v", i+1, fresh, err, want)
		}
		tx.Commit()
	}
}

func TestDueMessagesDoNotLetOneChatCrowdOutTheRest(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, filepath.Join(t.TempDir(), "bot.db"))
	var backlog []supportbot.Reply
	for i := 0; i < 100; i++ {
		backlog = append(backlog, supportbot.Reply{ChatID: -100, Text: "relay"})
	}
	if err := db.Enqueue(ctx, append(backlog, supportbot.Reply{ChatID: 7, Text: "your reply"})); err != nil {
		t.Fatal(err)
	}
	msgs, err := db.DueMessages(ctx, time.Now().Add(time.Hour), 30)
	if err != nil {
		t.Fatal(err)
	}
	last := msgs[len(msgs)-1]
	if last.Reply.ChatID != 7 || len(msgs) != 21 {
		t.Errorf("got %d messages, last to chat %d: the customer's reply is crowded out", len(msgs), last.Reply.ChatID)
	}
}
