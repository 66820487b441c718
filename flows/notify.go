package flows

import (
	"context"

	"supportbot"
)

// Notify queues, in one transaction, what customers must be told without
// having asked: closure requests an agent decided since the last call. The
// channel calls it periodically; a crash before the commit repeats it,
// after it the outbox delivers.
func (e *Engine) Notify(ctx context.Context) (int, error) {
	tx, err := e.cfg.Begin(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	list, err := tx.ClosureNotices(ctx)
	if err != nil || len(list) == 0 {
		return 0, err
	}
	var out []supportbot.Reply
	for i := range list {
		r := &list[i]
		chats, err := tx.CustomerConversations(ctx, r.CustomerID)
		if err != nil {
			return 0, err
		}
		for _, c := range chats {
			out = append(out, supportbot.Reply{ChatID: c.ChatID, Text: e.ClosureUpdate(c.Lang, r),
				Buttons: [][]supportbot.Button{{{Text: e.cfg.Catalog.T(c.Lang, "menu.messages"), Data: "m:messages"}}}})
		}
		if err := tx.ClosureNotified(ctx, r.Reference); err != nil {
			return 0, err
		}
	}
	if err := tx.Enqueue(ctx, out); err != nil {
		return 0, err
	}
	return len(out), tx.Commit()
}
