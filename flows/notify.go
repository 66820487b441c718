package flows

import (
	"context"
	"time"

	"supportbot"
)

// job is periodic work that decides what to tell whom, in the caller's transaction.
type job func(ctx context.Context, tx Tx, now time.Time) ([]supportbot.Reply, error)

// Notify queues, in one transaction, what people must be told without having
// asked: closure requests an agent decided, tickets nobody answered, due-date
// reminders (remind.go), broadcast announcements (announce.go). The
// channel calls it periodically; a crash before the commit repeats it, after
// it the outbox delivers. It returns how many messages it queued.
func (e *Engine) Notify(ctx context.Context) (int, error) {
	tx, err := e.cfg.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := e.cfg.Now()
	var out []supportbot.Reply
	for _, j := range []job{e.closureNotices, e.remindTickets, e.remindDue, e.broadcastAnnouncement} {
		msgs, err := j(ctx, tx, now)
		if err != nil {
			return 0, err
		}
		out = append(out, msgs...)
	}
	if err := tx.Enqueue(ctx, out); err != nil {
		return 0, err
	}
	return len(out), tx.Commit()
}

// closureNotices tells customers the closure decisions agents made.
func (e *Engine) closureNotices(ctx context.Context, tx Tx, _ time.Time) ([]supportbot.Reply, error) {
	list, err := tx.ClosureNotices(ctx)
	if err != nil {
		return nil, err
	}
	var out []supportbot.Reply
	for i := range list {
		r := &list[i]
		chats, err := tx.CustomerConversations(ctx, r.CustomerID)
		if err != nil {
			return nil, err
		}
		for _, c := range chats {
			out = append(out, supportbot.Reply{ChatID: c.ChatID, Text: e.ClosureUpdate(c.Lang, r),
				Buttons: [][]supportbot.Button{{{Text: e.cfg.Catalog.T(c.Lang, "menu.messages"), Data: "m:messages"}}}})
		}
		if err := tx.ClosureNotified(ctx, r.Reference); err != nil {
			return nil, err
		}
	}
	return out, nil
}
