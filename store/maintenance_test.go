package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// TestPruneInBoundedChunks: more than two chunks' worth of old rows all go,
// each chunk its own transaction; what is recent or still pending stays.
func TestPruneInBoundedChunks(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	n := 2*store.PruneChunk + 7
	// Old: handled inbox rows, sent and failed messages, seen core events.
	var evs []supportbot.Event
	var replies []supportbot.Reply
	for i := range n {
		evs = append(evs, text(int64(1000+i), fmt.Sprint("u:", i), "x"))
		replies = append(replies, supportbot.Reply{ChatID: int64(1000 + i), Text: "x"})
	}
	update(t, db, func(tx *store.Tx) error {
		if _, err := tx.PutEvents(ctx, evs); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, replies); err != nil {
			return err
		}
		for i := range n {
			if _, err := tx.SeenEvent(ctx, fmt.Sprint("evt_", i)); err != nil {
				return err
			}
		}
		return nil
	})
	// Every event handled, every message sent (one given up).
	var handled []int64
	for i := range n {
		handled = append(handled, next(t, db, int64(1000+i), t0).ID)
	}
	update(t, db, func(tx *store.Tx) error {
		for _, id := range handled {
			if err := tx.DoneEvent(ctx, id); err != nil {
				return err
			}
		}
		return nil
	})
	sent := ids(due(t, db, t0, 2*n))
	if len(sent) != n {
		t.Fatalf("%d messages due, want %d", len(sent), n)
	}
	if err := db.MarkSent(ctx, sent[1:]...); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkFailed(ctx, sent[0], "gone", false); err != nil {
		t.Fatal(err)
	}
	// Recent, or still waiting: kept.
	c.Add(time.Hour)
	put(t, db, text(1, "u:recent", "recent"), text(1, "u:waiting", "waiting"))
	done(t, db, next(t, db, 1, c.Now()).ID)
	enqueue(t, db, 1, "waiting")

	pruned, err := db.Prune(ctx, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(3 * n); pruned != want {
		t.Errorf("pruned %d rows, want %d (every old inbox, outbox and seen row)", pruned, want)
	}
	if depth, _ := db.InboxDepth(ctx); depth != 1 {
		t.Errorf("inbox depth %d, want the waiting event", depth)
	}
	if got := put(t, db, text(1, "u:recent", "again")); got != 0 {
		t.Error("a recent update forgotten by pruning")
	}
	if got := put(t, db, text(1, "u:0", "again")); got != 1 {
		t.Error("an old handled update still remembered after pruning")
	}
	if depth, _ := db.OutboxDepth(ctx); depth != 1 {
		t.Errorf("outbox depth %d, want the waiting message", depth)
	}
	// Nothing left to prune.
	if pruned, err := db.Prune(ctx, t0.Add(time.Minute)); err != nil || pruned != 0 {
		t.Errorf("pruning again: %d, %v", pruned, err)
	}
	// A cancelled context stops it.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.Prune(cancelled, c.Now()); err == nil {
		t.Error("Prune with a cancelled context succeeded")
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	path := filepath.Join(t.TempDir(), "backup.db")
	if postgres() {
		if err := db.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("Backup of PostgreSQL: %v, want the advice to use pg_dump", err)
		}
		return
	}
	link(t, db, 1, "C1", supportbot.LangEN)
	if err := db.Backup(ctx, path); err != nil {
		t.Fatal(err)
	}
	if err := db.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("Backup over an existing file: %v", err)
	}
	if err := db.Backup(ctx, t.TempDir()); err == nil || !strings.Contains(err.Error(), "a directory") {
		t.Errorf("Backup to a directory: %v, want it said a directory (not \"the file exists\")", err)
	}
	copy := reopen(t, store.Config{Path: path}, c)
	if conv, err := copy.Conversation(ctx, 1); err != nil || conv.Lang != supportbot.LangEN {
		t.Errorf("the backup's conversation = %+v, %v", conv, err)
	}
}
