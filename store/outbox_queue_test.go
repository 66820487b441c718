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

// The staff chat's messages are queues of their own per hand-off ticket
// (issue 15.6): every ticket's messages have thread 0 in the outbox (the
// sender finds the ticket's topic), so a cap or a hold per chat and thread
// put a new ticket's context card behind another customer's relays.

const staffChat = -100777

// relay queues n relays of a ticket: "<prefix>1".."<prefix>n".
func relay(t testing.TB, db *store.DB, ticket int64, prefix string, n int) {
	t.Helper()
	var rs []supportbot.Reply
	for i := 1; i <= n; i++ {
		rs = append(rs, supportbot.Reply{ChatID: staffChat, TicketID: ticket, Text: fmt.Sprint(prefix, i)})
	}
	if err := db.Enqueue(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
}

// card queues a new ticket's context card.
func card(t testing.TB, db *store.DB, ticket int64) {
	t.Helper()
	if err := db.Enqueue(context.Background(), []supportbot.Reply{{ChatID: staffChat, TicketID: ticket,
		TopicName: fmt.Sprint("#T", ticket), Text: fmt.Sprint("card ", ticket)}}); err != nil {
		t.Fatal(err)
	}
}

func TestDueMessagesReadANewTicketsCardBehindAnothersRelays(t *testing.T) {
	db, _, _ := open(t)
	relay(t, db, 1, "a", 30)
	card(t, db, 2)
	got := texts(due(t, db, t0, 1000))
	if !slices.Contains(got, "card 2") {
		t.Fatalf("due = %v: the new ticket's card is not read behind 30 relays", got)
	}
	if n := len(got); n != 21 {
		t.Errorf("due lists %d messages, want 20 of ticket 1 and the card", n)
	}
}

func TestDueMessagesHoldBackOnlyThePostponedTicket(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	relay(t, db, 1, "a", 2)
	relay(t, db, 2, "b", 2)
	first := due(t, db, t0, 10)[0]
	if first.Reply.Text != "a1" {
		t.Fatalf("first due = %q", first.Reply.Text)
	}
	if err := db.RetryLater(ctx, first.ID, t0.Add(time.Minute), "429"); err != nil {
		t.Fatal(err)
	}
	if got := texts(due(t, db, t0.Add(time.Second), 10)); !slices.Equal(got, []string{"b1", "b2"}) {
		t.Errorf("due while a1 waits = %v, want ticket 2's only", got)
	}
}

func TestClaimMessagesTakeANewTicketsCardFirst(t *testing.T) {
	db, _, _ := open(t)
	relay(t, db, 1, "a", 30)
	card(t, db, 2)
	got := texts(claim(t, db, "i1", t0, 100))
	if !slices.Contains(got, "card 2") {
		t.Fatalf("claimed %v: want the new ticket's card with the staff chat's first 20", got)
	}
	if len(got) != 20 {
		t.Errorf("claimed %d of the staff chat, want its 20", len(got))
	}

	// While one owner holds a ticket's relay, another takes the other tickets'.
	db3, _, _ := open(t)
	relay(t, db3, 1, "a", 2)
	relay(t, db3, 2, "b", 2)
	held := claim(t, db3, "i1", t0, 1) // a1 only
	if got := texts(held); !slices.Equal(got, []string{"a1"}) {
		t.Fatalf("i1 claimed %v, want a1", got)
	}
	if got := texts(claim(t, db3, "i2", t0, 10)); !slices.Equal(got, []string{"b1", "b2"}) {
		t.Errorf("i2 claimed %v while i1 holds ticket 1's a1, want ticket 2's b1, b2", got)
	}
}

func TestReleaseMessages(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	enqueue(t, db, 1, "a1", "a2", "a3")
	mine := claim(t, db, "i1", t0, 10)
	// i1 sends a1 and gives a2, a3 back: i2 takes them at once, in order.
	if err := db.ReleaseMessages(ctx, "i1", mine[1].ID, mine[2].ID); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, db, "i2", t0, 10); len(got) != 0 {
		t.Errorf("i2 claimed %v while i1 holds a1", texts(got))
	}
	if err := db.MarkSent(ctx, mine[0].ID); err != nil {
		t.Fatal(err)
	}
	taken := claim(t, db, "i2", t0, 10)
	if got := texts(taken); !slices.Equal(got, []string{"a2", "a3"}) {
		t.Fatalf("i2 claimed %v, want a2, a3", got)
	}
	// Another owner's claims are not released, nor a message sent.
	if err := db.ReleaseMessages(ctx, "i1", taken[0].ID, taken[1].ID, mine[0].ID); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, db, "i3", t0, 10); len(got) != 0 {
		t.Errorf("i3 claimed %v: i1 released i2's claims", texts(got))
	}
	if err := db.ReleaseMessages(ctx, "i2"); err != nil {
		t.Errorf("releasing nothing: %v", err)
	}
	if err := db.ReleaseMessages(ctx, "", taken[0].ID); supportbot.ErrorCode(err) != supportbot.EINVALID {
		t.Errorf("releasing without an owner: %v, want EINVALID", err)
	}
}

// TestExtendClaims: a claim being extended is not taken when its first end
// passes; one that ran out and was taken by another owner is not extended.
func TestExtendClaims(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	enqueue(t, db, 1, "a1", "a2")
	mine := claim(t, db, "i1", t0, 10) // held until t0+1m
	if n, err := db.ExtendClaims(ctx, "i1", t0.Add(3*time.Minute), mine[0].ID, mine[1].ID); err != nil || n != 2 {
		t.Fatalf("extend i1's claims: %d, %v; want 2", n, err)
	}
	if got := claim(t, db, "i2", t0.Add(2*time.Minute), 10); len(got) != 0 {
		t.Errorf("i2 claimed %v while i1's extended claim lasts", texts(got))
	}
	taken := claim(t, db, "i2", t0.Add(4*time.Minute), 10)
	if len(taken) != 2 {
		t.Fatalf("i2 claimed %v after i1's claim ran out, want a1, a2", texts(taken))
	}
	if err := db.MarkSent(ctx, taken[0].ID); err != nil {
		t.Fatal(err)
	}
	if n, err := db.ExtendClaims(ctx, "i1", t0.Add(9*time.Minute), mine[0].ID, mine[1].ID); err != nil || n != 0 {
		t.Errorf("i1 extended %d claims another owner took (or sent), err %v; want 0", n, err)
	}
	if got := claim(t, db, "i3", t0.Add(6*time.Minute), 10); len(got) != 1 {
		t.Errorf("i3 claimed %v once i2's claim on a2 ran out, want a2", texts(got))
	}
	if _, err := db.ExtendClaims(ctx, "", t0, mine[0].ID); supportbot.ErrorCode(err) != supportbot.EINVALID {
		t.Errorf("extending without an owner: %v, want EINVALID", err)
	}
}

// TestOutboxTicketMigration: messages pending when the outbox learns its
// tickets are queued by ticket too.
func TestOutboxTicketMigration(t *testing.T) {
	db, c, cfg := open(t)
	db.Close()
	r := rawDB(t, cfg)
	// The outbox as it was before the migration, holding a ticket's relay.
	name := "migration/013_outbox_ticket.sql"
	if r.pg {
		name = "migration/004_outbox_ticket.sql"
	}
	r.exec(t, `DROP INDEX outbox_pending`)
	r.exec(t, `ALTER TABLE outbox DROP COLUMN ticket_id`)
	r.exec(t, `CREATE INDEX outbox_pending ON outbox (chat_id, thread_id, id) WHERE status = 'pending'`)
	r.exec(t, `DELETE FROM migrations WHERE name = ?`, name)
	r.exec(t, `INSERT INTO outbox (chat_id, thread_id, payload, status, next_at, created_at) VALUES
		(?, 0, '{"chat_id":-100777,"text":"a1","ticket_id":7}', 'pending', ?, ?),
		(?, 0, '{"chat_id":-100777,"text":"card","ticket_id":8}', 'pending', ?, ?)`,
		staffChat, t0.UnixMilli(), t0.UnixMilli(), staffChat, t0.UnixMilli(), t0.UnixMilli())
	db = reopen(t, cfg, c)
	if n := r.int(t, `SELECT COUNT(*) FROM migrations WHERE name = ?`, name); n != 1 {
		t.Fatalf("%s not applied again", name)
	}
	if n := r.int(t, `SELECT COUNT(*) FROM outbox WHERE ticket_id IN (7, 8)`); n != 2 {
		t.Errorf("%d pending messages have their ticket, want 2", n)
	}
	held := claim(t, db, "i1", t0, 1)
	if got := texts(held); !slices.Equal(got, []string{"a1"}) {
		t.Fatalf("claimed %v", got)
	}
	if got := texts(claim(t, db, "i2", t0, 10)); !slices.Equal(got, []string{"card"}) {
		t.Errorf("i2 claimed %v while ticket 7's relay is held, want ticket 8's card", got)
	}
}

func TestBacklog(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	enqueue(t, db, 1, "a1", "a2", "a3")
	enqueue(t, db, 2, "b1")
	msgs := due(t, db, t0, 10)
	if err := db.MarkSent(ctx, msgs[0].ID); err != nil {
		t.Fatal(err)
	}
	var got []supportbot.Reply
	update(t, db, func(tx *store.Tx) (err error) { got, _, err = tx.Backlog(ctx, 1, 10); return err })
	if len(got) != 2 || got[0].Text != "a2" || got[1].Text != "a3" {
		t.Errorf("backlog of chat 1 = %+v, want a2, a3", got)
	}
	update(t, db, func(tx *store.Tx) (err error) { got, _, err = tx.Backlog(ctx, 1, 1); return err })
	if len(got) != 1 || got[0].Text != "a2" {
		t.Errorf("backlog of chat 1, limit 1 = %+v, want a2", got)
	}
	update(t, db, func(tx *store.Tx) (err error) { got, _, err = tx.Backlog(ctx, 3, 10); return err })
	if len(got) != 0 {
		t.Errorf("backlog of a chat with nothing waiting = %+v", got)
	}
}

func TestSlowDownDue(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	due := func(chat int64) bool {
		t.Helper()
		var ok bool
		update(t, db, func(tx *store.Tx) (err error) { ok, err = tx.SlowDownDue(ctx, chat, 10*time.Minute); return err })
		return ok
	}
	if !due(1) {
		t.Error("a chat never told is not due")
	}
	if due(1) {
		t.Error("told twice at once")
	}
	if !due(2) {
		t.Error("another chat is not due")
	}
	c.Add(9 * time.Minute)
	if due(1) {
		t.Error("told again after 9 minutes")
	}
	c.Add(time.Minute)
	if !due(1) {
		t.Error("not told again after 10 minutes")
	}
	// Instances at once: one of them tells.
	c.Add(time.Hour)
	dbs := []*store.DB{db, reopen(t, cfg, c), reopen(t, cfg, c)}
	told := make([]bool, 6)
	noErrors(t, "slow down", parallel(len(told), func(i int) error {
		return dbs[i%len(dbs)].Update(ctx, func(tx *store.Tx) (err error) {
			told[i], err = tx.SlowDownDue(ctx, 1, 10*time.Minute)
			return err
		})
	}))
	if n := len(slices.DeleteFunc(told, func(b bool) bool { return !b })); n != 1 {
		t.Errorf("%d of 6 concurrent steps told the chat, want 1", n)
	}
}
