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

func createTicket(t testing.TB, db *store.DB, tk *supportbot.Ticket) {
	t.Helper()
	update(t, db, func(tx *store.Tx) error { return tx.CreateTicket(context.Background(), tk) })
}

func TestTickets(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	for name, find := range map[string]func() (*supportbot.Ticket, error){
		"open":     func() (*supportbot.Ticket, error) { return db.OpenTicket(ctx, 1) },
		"by id":    func() (*supportbot.Ticket, error) { return db.Ticket(ctx, 1) },
		"last":     func() (*supportbot.Ticket, error) { return db.LastTicket(ctx, 1) },
		"topic 0":  func() (*supportbot.Ticket, error) { return db.TicketByTopic(ctx, 0) },
		"by topic": func() (*supportbot.Ticket, error) { return db.TicketByTopic(ctx, 5) },
	} {
		if _, err := find(); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Errorf("%s ticket with none: %v, want ENOTFOUND", name, err)
		}
	}
	first := &supportbot.Ticket{ChatID: 1, CustomerID: "C1", Status: supportbot.TicketOpen, Reason: "repay · 手续费"}
	createTicket(t, db, first)
	if first.ID == 0 || !first.CreatedAt.Equal(t0) || first.PreviousID != 0 {
		t.Errorf("created %+v", first)
	}
	got, err := db.OpenTicket(ctx, 1)
	if err != nil || !reflect.DeepEqual(got, first) {
		t.Errorf("open ticket = %+v, %v; want %+v", got, err, first)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		return tx.CreateTicket(ctx, &supportbot.Ticket{ChatID: 1, Status: supportbot.TicketOpen})
	})
	wantCode(t, "a second open ticket", err, supportbot.ECONFLICT)

	// Claimed, answered, topic, closed, rated: all kept.
	c.Add(time.Minute)
	first.TopicID, first.AgentID, first.AgentName = 55, 900, "小王"
	first.ClaimedAt, first.FirstReplyAt = c.Now(), c.Now().Add(time.Second)
	first.Status, first.ClosedAt, first.Rating, first.Reminded = supportbot.TicketClosed, c.Now().Add(time.Hour), 5, true
	update(t, db, func(tx *store.Tx) error { return tx.UpdateTicket(ctx, first) })
	if got, err := db.Ticket(ctx, first.ID); err != nil || !reflect.DeepEqual(got, first) {
		t.Errorf("updated ticket = %+v, %v; want %+v", got, err, first)
	}
	if got, err := db.TicketByTopic(ctx, 55); err != nil || got.ID != first.ID {
		t.Errorf("by topic: %+v, %v", got, err)
	}
	if _, err := db.OpenTicket(ctx, 1); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("open ticket after closing: %v", err)
	}
	// The next one links the previous; the last is the newest, whatever its status.
	second := &supportbot.Ticket{ChatID: 1, Status: supportbot.TicketReferred, ClosedAt: c.Now()}
	createTicket(t, db, second)
	if second.PreviousID != first.ID {
		t.Errorf("previous = %d, want %d", second.PreviousID, first.ID)
	}
	if got, err := db.LastTicket(ctx, 1); err != nil || got.ID != second.ID || !got.ClosedAt.Equal(c.Now()) {
		t.Errorf("last ticket = %+v, %v", got, err)
	}
	update(t, db, func(tx *store.Tx) error {
		if got, err := tx.Ticket(ctx, second.ID); err != nil || got.Status != supportbot.TicketReferred {
			t.Errorf("in a transaction: %+v, %v", got, err)
		}
		if _, err := tx.OpenTicket(ctx, 1); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Errorf("in a transaction, open ticket: %v", err)
		}
		return nil
	})
	// Topics.
	if topic, err := db.TicketTopic(ctx, second.ID); err != nil || topic != 0 {
		t.Errorf("topic of a new ticket = %d, %v", topic, err)
	}
	if err := db.SetTicketTopic(ctx, second.ID, 77); err != nil {
		t.Fatal(err)
	}
	if topic, err := db.TicketTopic(ctx, second.ID); err != nil || topic != 77 {
		t.Errorf("topic = %d, %v; want 77", topic, err)
	}
	if _, err := db.TicketTopic(ctx, 999); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("topic of an unknown ticket: %v", err)
	}
}

func TestTicketQueueAndLists(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	var tks []*supportbot.Ticket
	for chat := range int64(4) {
		tk := &supportbot.Ticket{ChatID: chat + 1, Status: supportbot.TicketOpen}
		createTicket(t, db, tk)
		tks = append(tks, tk)
		c.Add(time.Minute)
	}
	// Chat 2's ticket is claimed, chat 3's answered and reminded.
	tks[1].AgentID, tks[1].ClaimedAt = 900, c.Now()
	tks[2].FirstReplyAt, tks[2].AgentID = c.Now(), 901
	tks[3].Reminded = true
	update(t, db, func(tx *store.Tx) error {
		for _, tk := range tks[1:] {
			if err := tx.UpdateTicket(ctx, tk); err != nil {
				return err
			}
		}
		return nil
	})
	// Claimed tickets (2 and 3) have left the queue.
	for i, want := range map[int]int{0: 1, 3: 2} {
		if pos, err := db.QueuePosition(ctx, tks[i]); err != nil || pos != want {
			t.Errorf("queue position of ticket %d = %d, %v; want %d", i+1, pos, err, want)
		}
	}
	update(t, db, func(tx *store.Tx) error {
		if pos, err := tx.QueuePosition(ctx, tks[3]); err != nil || pos != 2 {
			t.Errorf("in a transaction: %d, %v", pos, err)
		}
		return nil
	})
	// Unanswered, not reminded, opened before the time.
	list, err := db.UnansweredTickets(ctx, t0.Add(90*time.Second))
	if err != nil || len(list) != 2 || list[0].ID != tks[0].ID || list[1].ID != tks[1].ID {
		t.Errorf("unanswered before 1.5 min = %+v, %v; want tickets 1 and 2", list, err)
	}
	if list, _ := db.UnansweredTickets(ctx, t0); len(list) != 0 {
		t.Errorf("unanswered before the first was opened: %+v", list)
	}
	if n, err := db.OpenTickets(ctx); err != nil || n != 4 {
		t.Errorf("open tickets = %d, %v", n, err)
	}
	tks[0].Status = supportbot.TicketClosed
	update(t, db, func(tx *store.Tx) error { return tx.UpdateTicket(ctx, tks[0]) })
	all, err := db.Tickets(ctx, false, 10)
	if err != nil || len(all) != 4 || all[0].ID != tks[3].ID {
		t.Errorf("all tickets = %d, %v; want 4, newest first", len(all), err)
	}
	openOnes, err := db.Tickets(ctx, true, 10)
	if err != nil || len(openOnes) != 3 {
		t.Errorf("open tickets = %d, %v; want 3", len(openOnes), err)
	}
	if some, _ := db.Tickets(ctx, false, 2); len(some) != 2 {
		t.Errorf("limit 2: %d", len(some))
	}
	if n, _ := db.OpenTickets(ctx); n != 3 {
		t.Errorf("open tickets after closing one = %d", n)
	}
}

// TestOneOpenTicketPerChatAcrossInstances: a hand-off asked twice at once on
// two instances opens one ticket.
func TestOneOpenTicketPerChatAcrossInstances(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c)}
	errs := parallel(6, func(i int) error {
		return dbs[i%2].Update(ctx, func(tx *store.Tx) error {
			return tx.CreateTicket(ctx, &supportbot.Ticket{ChatID: 7, Status: supportbot.TicketOpen, Reason: fmt.Sprint(i)})
		})
	})
	var ok int
	for _, err := range errs {
		switch supportbot.ErrorCode(err) {
		case "":
			ok++
		case supportbot.ECONFLICT:
		default:
			t.Errorf("CreateTicket: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d tickets opened, want 1", ok)
	}
	if list, _ := db.Tickets(ctx, false, 10); len(list) != 1 {
		t.Errorf("%d tickets in all, want 1", len(list))
	}
}

// TestQueuePlacesAcrossInstancesAreDistinct: customers asking for a person at
// the same moment on two instances are told distinct places (on PostgreSQL
// each transaction did not see the other's new ticket: both were "first").
func TestQueuePlacesAcrossInstancesAreDistinct(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c)}
	const n = 6
	places := make([]int, n)
	errs := parallel(n, func(i int) error {
		return dbs[i%2].Update(ctx, func(tx *store.Tx) error {
			tk := &supportbot.Ticket{ChatID: int64(100 + i), Status: supportbot.TicketOpen}
			if err := tx.CreateTicket(ctx, tk); err != nil {
				return err
			}
			var err error
			places[i], err = tx.QueuePosition(ctx, tk)
			return err
		})
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(places)
	if want := []int{1, 2, 3, 4, 5, 6}; !slices.Equal(places, want) {
		t.Errorf("places told = %v, want %v", places, want)
	}
}
