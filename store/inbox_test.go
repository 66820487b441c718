package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func put(t testing.TB, db *store.DB, evs ...supportbot.Event) int {
	t.Helper()
	n, err := db.PutEvents(context.Background(), evs)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func text(chat int64, source, s string) supportbot.Event {
	return supportbot.Event{Source: source, ChatID: chat, UserID: chat, Kind: supportbot.EventText, Text: s}
}

func pending(t testing.TB, db *store.DB, now time.Time) []int64 {
	t.Helper()
	chats, err := db.PendingChats(context.Background(), now, 100)
	if err != nil {
		t.Fatal(err)
	}
	return chats
}

func next(t testing.TB, db *store.DB, chat int64, now time.Time) *supportbot.Queued {
	t.Helper()
	q, err := db.NextEvent(context.Background(), chat, now)
	if err != nil {
		t.Fatalf("next event of chat %d: %v", chat, err)
	}
	return q
}

func done(t testing.TB, db *store.DB, id int64) {
	t.Helper()
	update(t, db, func(tx *store.Tx) error { return tx.DoneEvent(context.Background(), id) })
}

func TestPutEventsDropsWhatWasSeen(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	ev := supportbot.Event{Source: "u:0", UpdateID: 0, ChatID: 5, UserID: 6, FirstName: "伟", LanguageCode: "zh-hans",
		Kind: supportbot.EventCommand, Text: "start", Args: "x", Time: t0,
		Agent: &supportbot.AgentEvent{Kind: supportbot.AgentMessage, TicketID: 3, Text: "hi"}, Masked: true}
	if n := put(t, db, ev, text(5, "", "no source"), text(5, "", "no source")); n != 3 {
		t.Errorf("first delivery: %d new, want 3 (events without a source are never dropped)", n)
	}
	// Update id 0 is an update like any other: delivered twice, kept once.
	if n := put(t, db, ev); n != 0 {
		t.Errorf("redelivery: %d new, want 0", n)
	}
	if n, err := db.InboxDepth(ctx); err != nil || n != 3 {
		t.Errorf("depth = %d, %v; want 3", n, err)
	}
	q := next(t, db, 5, t0)
	if !reflect.DeepEqual(q.Event, ev) || q.Attempts != 0 {
		t.Errorf("event = %+v, want %+v as put", q.Event, ev)
	}
	// Handled, it is still recognised until pruned.
	done(t, db, q.ID)
	if n := put(t, db, ev); n != 0 {
		t.Errorf("redelivery after it was handled: %d new, want 0", n)
	}
	if _, err := db.Prune(ctx, t0.Add(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if n := put(t, db, ev); n != 1 {
		t.Errorf("delivery after pruning: %d new, want 1", n)
	}
	// Inside a step's transaction, with what the step does.
	update(t, db, func(tx *store.Tx) error {
		n, err := tx.PutEvents(ctx, []supportbot.Event{text(7, "a:key", "settled"), text(7, "a:key", "settled")})
		if n != 1 {
			t.Errorf("in a transaction: %d new, want 1", n)
		}
		return err
	})
}

func TestNextEventInOrderOneAtATime(t *testing.T) {
	db, c, _ := open(t)
	put(t, db, text(1, "u:1", "a1"), text(2, "u:2", "b1"), text(1, "u:3", "a2"))
	if got := pending(t, db, t0); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("pending chats = %v, want [1 2] (the oldest waiting event first)", got)
	}
	if _, err := db.NextEvent(context.Background(), 3, t0); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("next event of a chat with none: %v, want ENOTFOUND", err)
	}
	a1 := next(t, db, 1, t0)
	if a1.Event.Text != "a1" || !a1.More {
		t.Fatalf("first event of chat 1 = %q, more behind it %v; want a1, and a2 behind it", a1.Event.Text, a1.More)
	}
	if again := next(t, db, 1, t0); again.ID != a1.ID {
		t.Errorf("next event before a1 was done = %q, want a1 again", again.Event.Text)
	}
	done(t, db, a1.ID)
	if got := pending(t, db, t0); !slices.Equal(got, []int64{2, 1}) {
		t.Errorf("pending chats = %v, want [2 1]", got)
	}
	if a2 := next(t, db, 1, t0); a2.Event.Text != "a2" || a2.More {
		t.Errorf("after a1: %q, more behind it %v; want a2, the last", a2.Event.Text, a2.More)
	}
	// Events put later are due at once, and not before they came.
	c.Add(time.Second)
	put(t, db, text(3, "u:4", "c1"))
	if got := pending(t, db, t0); slices.Contains(got, 3) {
		t.Errorf("chat 3 pending before its event came: %v", got)
	}
	if got, err := db.PendingChats(context.Background(), c.Now(), 2); err != nil || !slices.Equal(got, []int64{2, 1}) {
		t.Errorf("pending chats, limit 2 = %v, %v", got, err)
	}
}

// TestRetryEventHoldsBackItsChatOnly: a chat whose oldest event waits for a
// retry is not pending, though later events of it are due; other chats are.
func TestRetryEventHoldsBackItsChatOnly(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	put(t, db, text(1, "u:1", "a1"), text(1, "u:2", "a2"), text(2, "u:3", "b1"))
	a1 := next(t, db, 1, t0)
	if err := db.RetryEvent(ctx, a1.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := pending(t, db, t0.Add(time.Second)); !slices.Equal(got, []int64{2}) {
		t.Errorf("pending chats while a1 waits = %v, want [2]", got)
	}
	if _, err := db.NextEvent(ctx, 1, t0.Add(time.Second)); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("next event of chat 1 while a1 waits: %v, want ENOTFOUND (a2 waits behind it)", err)
	}
	retry := next(t, db, 1, t0.Add(time.Minute))
	if retry.ID != a1.ID || retry.Attempts != 1 {
		t.Errorf("when due again: %q after %d attempts, want a1 after 1", retry.Event.Text, retry.Attempts)
	}
	if got := pending(t, db, t0.Add(time.Minute)); !slices.Equal(got, []int64{1, 2}) {
		t.Errorf("pending chats when a1 is due = %v, want [1 2]", got)
	}
	if n, _ := db.InboxDepth(ctx); n != 3 {
		t.Errorf("depth = %d, want 3 (a postponed event still waits)", n)
	}
}

// TestSetAsideEventHoldsBackItsKindOnly: an event set aside until later
// holds back its chat's later events of its kind, not the others; retried
// as a failed step, it holds back all again.
func TestSetAsideEventHoldsBackItsKindOnly(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	core := func(source string) supportbot.Event {
		return supportbot.Event{Source: source, ChatID: 1, Kind: supportbot.EventCore,
			Core: &supportbot.CoreEvent{ID: source, Type: supportbot.EventBillOverdue}}
	}
	put(t, db, core("e:1"), text(1, "u:1", "a1"), core("e:2"), text(1, "u:2", "a2"))
	c1 := next(t, db, 1, t0)
	if err := db.SetAsideEvent(ctx, c1.ID, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	later := t0.Add(time.Second)
	if got := pending(t, db, later); !slices.Equal(got, []int64{1}) {
		t.Errorf("pending chats while e:1 is set aside = %v, want [1] (a1 is due)", got)
	}
	for _, want := range []string{"a1", "a2"} {
		q := next(t, db, 1, later)
		if q.Event.Text != want {
			t.Fatalf("next event while e:1 is set aside = %q (%s), want %s", q.Event.Text, q.Event.Source, want)
		}
		done(t, db, q.ID)
	}
	if got := pending(t, db, later); len(got) != 0 {
		t.Errorf("pending chats with e:1 set aside and e:2 behind it = %v, want none", got)
	}
	if _, err := db.NextEvent(ctx, 1, later); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("next event with e:1 set aside and e:2 behind it: %v, want ENOTFOUND", err)
	}
	due := next(t, db, 1, t0.Add(time.Minute))
	if due.ID != c1.ID || due.Attempts != 1 || !due.More {
		t.Errorf("when due: %s after %d attempts, more %v; want e:1 after 1, e:2 behind it", due.Event.Source, due.Attempts, due.More)
	}
	put(t, db, text(1, "u:3", "a3"))
	if err := db.RetryEvent(ctx, c1.ID, t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NextEvent(ctx, 1, t0.Add(90*time.Second)); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("next event while e:1 waits for a retry: %v, want ENOTFOUND (all wait behind it)", err)
	}
}

func TestDoneEventConflictsWhenHandledMeanwhile(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	other := reopen(t, cfg, c)
	put(t, db, text(1, "u:1", "a1"))
	q := next(t, db, 1, t0)
	// Two instances handled the same event: one step commits, the other's
	// DoneEvent conflicts and its whole step is rolled back.
	errs := parallel(2, func(i int) error {
		return []*store.DB{db, other}[i].Update(ctx, func(tx *store.Tx) error {
			if err := tx.Enqueue(ctx, []supportbot.Reply{{ChatID: 1, Text: fmt.Sprint("reply ", i)}}); err != nil {
				return err
			}
			return tx.DoneEvent(ctx, q.ID)
		})
	})
	var ok, conflicts int
	for _, err := range errs {
		switch supportbot.ErrorCode(err) {
		case "":
			ok++
		case supportbot.ECONFLICT:
			conflicts++
		default:
			t.Errorf("DoneEvent: %v", err)
		}
	}
	if ok != 1 || conflicts != 1 {
		t.Errorf("%d steps committed, %d conflicted; want one each", ok, conflicts)
	}
	if msgs, _ := db.ChatMessages(ctx, 1); len(msgs) != 1 {
		t.Errorf("%d replies queued, want the committed step's one", len(msgs))
	}
	err := db.Update(ctx, func(tx *store.Tx) error { return tx.DoneEvent(ctx, 9999) })
	wantCode(t, "DoneEvent of an unknown event", err, supportbot.ECONFLICT)
}

// TestPutEventsConcurrentlyKeepsEachSourceOnce: the same updates delivered
// to several instances at once (a webhook retried on another instance) are
// kept once each.
func TestPutEventsConcurrentlyKeepsEachSourceOnce(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c), reopen(t, cfg, c)}
	const sources = 40
	news := make([]int, 12)
	errs := parallel(len(news), func(i int) error {
		order := rand.Perm(sources)
		for k := 0; k < sources; k += 4 {
			var evs []supportbot.Event
			for _, s := range order[k : k+4] {
				evs = append(evs, text(int64(s%5), fmt.Sprint("u:", s), fmt.Sprint(s)))
			}
			n, err := dbs[i%len(dbs)].PutEvents(ctx, evs)
			if err != nil {
				return err
			}
			news[i] += n
		}
		return nil
	})
	noErrors(t, "delivery", errs)
	total := 0
	for _, n := range news {
		total += n
	}
	if total != sources {
		t.Errorf("%d events reported new, want %d", total, sources)
	}
	if n, _ := db.InboxDepth(ctx); n != sources {
		t.Errorf("inbox depth %d, want %d", n, sources)
	}
}

// TestPendingChatsNeverListsAChatWaitingForARetry, while events keep coming
// from another instance.
func TestPendingChatsNeverListsAChatWaitingForARetry(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	other := reopen(t, cfg, c)
	put(t, db, text(1, "u:first", "a1"))
	a1 := next(t, db, 1, t0)
	if err := db.RetryEvent(ctx, a1.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	errs := parallel(2, func(i int) error {
		if i == 0 {
			for k := range 50 {
				if _, err := other.PutEvents(ctx, []supportbot.Event{text(int64(1+k%3), fmt.Sprint("u:", k), "more")}); err != nil {
					return err
				}
			}
			return nil
		}
		for range 50 {
			chats, err := db.PendingChats(ctx, t0, 100)
			if err != nil {
				return err
			}
			if slices.Contains(chats, 1) {
				return fmt.Errorf("chat 1 listed while its oldest event waits: %v", chats)
			}
		}
		return nil
	})
	noErrors(t, "reader", errs)
	if got := pending(t, db, t0); !slices.Equal(got, []int64{2, 3}) {
		t.Errorf("pending chats = %v, want [2 3]", got)
	}
}

func TestSeenEvent(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	for i, want := range []bool{true, false} {
		update(t, db, func(tx *store.Tx) error {
			fresh, err := tx.SeenEvent(ctx, "evt_1")
			if fresh != want {
				t.Errorf("delivery %d: fresh = %v, want %v", i+1, fresh, want)
			}
			return err
		})
	}
	// Forgotten once pruned.
	if _, err := db.Prune(ctx, t0.Add(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx *store.Tx) error {
		if fresh, err := tx.SeenEvent(ctx, "evt_1"); err != nil || !fresh {
			t.Errorf("after pruning: fresh = %v, %v", fresh, err)
		}
		return nil
	})
}

// TestLatestEvent: of the events about one subject, one created before an
// event taken already is not the latest; one created at the same instant,
// or about another subject, is — unless one taken before is final: then
// none after it is, final or not, at that instant or later (a probe's core
// re-emitted a debit under a new id; a closure "completed", then
// "rejected").
func TestLatestEvent(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	for i, c := range []struct {
		subject string
		at      time.Time
		final   bool
		want    bool
	}{
		{"scheduled:S1", t0.Add(time.Hour), false, true},
		{"scheduled:S1", t0, false, false}, // older, arriving later
		{"scheduled:S2", t0, false, true},
		{"scheduled:S1", t0.Add(time.Hour), false, true}, // the same instant
		{"scheduled:S1", t0.Add(2 * time.Hour), false, true},
		{"scheduled:S1", t0.Add(time.Hour), false, false},
		{"scheduled:S1", t0.Add(2 * time.Hour), true, true},   // final after not, the same instant
		{"scheduled:S1", t0.Add(2 * time.Hour), false, false}, // not final after final, the same instant
		{"scheduled:S1", t0.Add(2 * time.Hour), true, false},  // final again: the same state, another id
		{"scheduled:S1", t0.Add(3 * time.Hour), true, false},  // later, final again
		{"scheduled:S1", t0.Add(3 * time.Hour), false, false}, // later, another state
		{"closure:CR-1", t0, true, true},
		{"closure:CR-1", t0.Add(time.Minute), true, false},
	} {
		update(t, db, func(tx *store.Tx) error {
			latest, err := tx.LatestEvent(ctx, c.subject, c.at, c.final)
			if latest != c.want {
				t.Errorf("event %d (%s at %v, final %v): latest = %v, want %v", i+1, c.subject, c.at, c.final, latest, c.want)
			}
			return err
		})
	}
	// Forgotten once pruned (the core retries for days, not weeks).
	if _, err := db.Prune(ctx, t0.Add(time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx *store.Tx) error {
		if latest, err := tx.LatestEvent(ctx, "scheduled:S1", t0, false); err != nil || !latest {
			t.Errorf("after pruning: latest = %v, %v", latest, err)
		}
		return nil
	})
}

// TestLastUpdateTaken: the update taken last, whatever came after it (a
// core event, a settled action), and an agent's doing keyed by its update.
func TestLastUpdateTaken(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	if id, _, err := db.LastUpdateTaken(ctx); err != nil || id != 0 {
		t.Fatalf("empty inbox: %d, %v; want 0", id, err)
	}
	put(t, db, text(1, "u:41", "a"), text(2, "u:42:7", "agent's doing"), text(1, "e:ev-9:1", "core event"))
	if id, at, err := db.LastUpdateTaken(ctx); err != nil || id != 42 || at.IsZero() {
		t.Errorf("last update taken: %d at %v, %v; want 42", id, at, err)
	}
}
