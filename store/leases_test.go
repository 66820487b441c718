package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"supportbot/store"
)

func TestTurns(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	a := db.Leases("i1", time.Minute)
	b := reopen(t, cfg, c).Leases("i2", time.Minute)
	take := func(l *store.Leases, chat int64) bool {
		t.Helper()
		ok, err := l.TakeTurn(ctx, chat)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !take(a, 1) {
		t.Fatal("i1 could not take a free chat")
	}
	if take(b, 1) {
		t.Error("i2 took chat 1 while i1 has it")
	}
	if !take(b, 2) {
		t.Error("i2 could not take another chat")
	}
	// The holder renews it; then it lasts a minute from the renewal.
	c.Add(50 * time.Second)
	if !take(a, 1) {
		t.Error("i1 could not renew its turn")
	}
	c.Add(50 * time.Second)
	if take(b, 1) {
		t.Error("i2 took chat 1 before i1's renewed turn ran out")
	}
	// Given back: free at once.
	if err := a.GiveTurn(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if !take(b, 1) {
		t.Error("i2 could not take chat 1 given back")
	}
	// Giving back a turn one does not hold does nothing.
	if err := a.GiveTurn(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if take(a, 1) {
		t.Error("i1's GiveTurn freed i2's turn")
	}
	// i2 dies: its turn runs out, and i1 takes the chat over.
	c.Add(time.Minute + time.Millisecond)
	if !take(a, 1) {
		t.Error("i1 could not take over a turn that ran out")
	}
}

func TestJobs(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	a := db.Leases("i1", time.Minute)
	b := reopen(t, cfg, c).Leases("i2", time.Minute)
	job := func(l *store.Leases, name string, lease time.Duration) bool {
		t.Helper()
		ok, err := l.TakeJob(ctx, name, lease)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !job(a, "reminders", time.Hour) || job(b, "reminders", time.Hour) {
		t.Fatal("the reminders job is not i1's alone")
	}
	if !job(b, "prune", time.Minute) {
		t.Error("i2 could not take another job")
	}
	// The job's own lease counts, not the book's ttl.
	c.Add(30 * time.Minute)
	if job(b, "reminders", time.Hour) {
		t.Error("i2 took the job within i1's hour")
	}
	if !job(a, "reminders", time.Hour) {
		t.Error("i1 could not renew its job")
	}
	c.Add(time.Hour + time.Millisecond)
	if !job(b, "reminders", time.Hour) {
		t.Error("i2 could not take over a job whose lease ran out")
	}
	// A chat's turn and a job of the same "name" are different leases.
	if ok, err := a.TakeTurn(ctx, 1); err != nil || !ok {
		t.Errorf("turn of chat 1: %v, %v", ok, err)
	}
}

// TestLeasesConcurrently: instances contending for the same chats and jobs
// at once: one holder each, whatever the interleaving.
func TestLeasesConcurrently(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c), reopen(t, cfg, c)}
	const chats, workers = 5, 9
	var mu sync.Mutex
	holders := map[string]string{}
	errs := parallel(workers, func(w int) error {
		owner := fmt.Sprint("i", w)
		l := dbs[w%len(dbs)].Leases(owner, time.Minute)
		for chat := range int64(chats) {
			ok, err := l.TakeTurn(ctx, chat)
			if err != nil {
				return err
			}
			if ok {
				mu.Lock()
				k := fmt.Sprint("turn ", chat)
				if prev, held := holders[k]; held {
					mu.Unlock()
					return fmt.Errorf("chat %d's turn taken by %s and %s", chat, prev, owner)
				}
				holders[k] = owner
				mu.Unlock()
			}
		}
		ok, err := l.TakeJob(ctx, "notices", time.Minute)
		if err != nil || !ok {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if prev, held := holders["job"]; held {
			return fmt.Errorf("job taken by %s and %s", prev, owner)
		}
		holders["job"] = owner
		return nil
	})
	noErrors(t, "worker", errs)
	if len(holders) != chats+1 {
		t.Errorf("leases held: %v, want every chat's and the job", holders)
	}
}

// TestTurnHandsAChatToOneWorkerAtATime: workers of several instances loop
// taking a chat's turn, "handling" it and giving it back: never two at once.
func TestTurnHandsAChatToOneWorkerAtATime(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c)}
	var inside, turns atomic.Int32
	errs := parallel(6, func(w int) error {
		l := dbs[w%2].Leases(fmt.Sprint("i", w), time.Minute)
		for range 10 {
			ok, err := l.TakeTurn(ctx, 42)
			if err != nil {
				return err
			}
			if !ok {
				time.Sleep(time.Millisecond)
				continue
			}
			if n := inside.Add(1); n != 1 {
				return fmt.Errorf("%d workers hold chat 42's turn", n)
			}
			turns.Add(1)
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			if err := l.GiveTurn(ctx, 42); err != nil {
				return err
			}
		}
		return nil
	})
	noErrors(t, "worker", errs)
	if turns.Load() == 0 {
		t.Error("nobody ever had the turn")
	}
}

// A chat's turn that cannot be taken (its table gone) is an error that
// does not name the chat's Telegram id, which is a person's: it is logged
// beside the chat's keyed reference (a probe read it in a PostgreSQL
// restart's log lines). A job's lease keeps its name.
func TestALeaseErrorNamesNoChat(t *testing.T) {
	ctx := context.Background()
	db, _, cfg := open(t)
	l := db.Leases("i1", time.Minute)
	r := rawDB(t, cfg)
	for _, table := range []string{"chat_leases", "job_leases"} {
		if _, err := r.Exec("ALTER TABLE " + table + " RENAME TO " + table + "_gone"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.TakeTurn(ctx, 987654321); err == nil || strings.Contains(err.Error(), "987654321") {
		t.Errorf("TakeTurn, its table gone: %v; want an error without the chat's id", err)
	}
	if _, err := l.TakeJob(ctx, "prune", time.Minute); err == nil || !strings.Contains(err.Error(), "prune") {
		t.Errorf("TakeJob, its table gone: %v; want an error naming the job", err)
	}
}
