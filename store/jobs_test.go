package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// TestTicketRemindedOnceAcrossInstances: instances running the reminder job
// at once record a ticket's reminder once; an answered or closed ticket is
// not reminded of.
func TestTicketRemindedOnceAcrossInstances(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	var open, answered supportbot.Ticket
	update(t, db, func(tx *store.Tx) error {
		open = supportbot.Ticket{ChatID: 1, Status: supportbot.TicketOpen}
		answered = supportbot.Ticket{ChatID: 2, Status: supportbot.TicketOpen}
		if err := tx.CreateTicket(ctx, &open); err != nil {
			return err
		}
		if err := tx.CreateTicket(ctx, &answered); err != nil {
			return err
		}
		answered.FirstReplyAt = tx.Now()
		return tx.UpdateTicket(ctx, &answered)
	})
	dbs := []*store.DB{db, reopen(t, cfg, c), reopen(t, cfg, c)}
	fresh := make([]bool, 9)
	noErrors(t, "remind", parallel(len(fresh), func(i int) error {
		return dbs[i%len(dbs)].Update(ctx, func(tx *store.Tx) (err error) {
			fresh[i], err = tx.TicketReminded(ctx, open.ID, 0, tx.Now())
			return err
		})
	}))
	if n := len(slices.DeleteFunc(fresh, func(b bool) bool { return !b })); n != 1 {
		t.Errorf("%d of 9 concurrent runs reminded of the ticket, want 1", n)
	}
	if got, err := db.Ticket(ctx, open.ID); err != nil || !got.Reminded {
		t.Errorf("ticket = %+v, %v; want it reminded", got, err)
	}
	var again bool
	update(t, db, func(tx *store.Tx) (err error) {
		again, err = tx.TicketReminded(ctx, answered.ID, 0, tx.Now())
		return err
	})
	if again {
		t.Error("an answered ticket was reminded of")
	}
	c.Add(time.Hour)
	if list, err := db.UnansweredTickets(ctx, c.Now()); err != nil || len(list) != 0 {
		t.Errorf("unanswered tickets after the reminder = %+v, %v; want none", list, err)
	}
}
