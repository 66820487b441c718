package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"supportbot"
)

// The inbox keeps every event a chat must handle until the step that handled
// it committed: Telegram updates (so the offset or webhook can be confirmed
// at once), core events, settled money actions, agents' replies. A chat's
// events are handled in id order, one at a time.

// PutEvents stores events in their chats' inboxes in one transaction; an
// event whose Source was stored before (a redelivered update or core event)
// is dropped. It returns how many were new.
func (db *DB) PutEvents(ctx context.Context, evs []supportbot.Event) (int, error) {
	n := 0
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		n, err = tx.PutEvents(ctx, evs)
		return err
	})
	return n, err
}

// PutEvents stores events inside the transaction.
func (tx *Tx) PutEvents(ctx context.Context, evs []supportbot.Event) (int, error) {
	n := 0
	for _, ev := range evs {
		payload, err := json.Marshal(ev)
		if err != nil {
			return 0, err
		}
		var source any
		if ev.Source != "" {
			source = ev.Source
		}
		res, err := tx.exec(ctx, `
			INSERT INTO inbox (chat_id, source, kind, payload, next_at, received_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (source) DO NOTHING`,
			ev.ChatID, source, string(ev.Kind), string(payload), ms(tx.now), ms(tx.now))
		if err != nil {
			return 0, fmt.Errorf("put event in inbox: %w", err)
		}
		if k, err := res.RowsAffected(); err != nil {
			return 0, err
		} else {
			n += int(k)
		}
	}
	return n, nil
}

// inboxNext is the condition on a pending event i of being its chat's next
// at ? (now) but for its own next_at: an event set aside (SetAsideEvent)
// and not due is not, nor are the events of its kind behind it; what other
// events wait for holds back all behind it.
const inboxNext = `NOT (i.aside AND i.next_at > ?) AND NOT EXISTS (
	SELECT 1 FROM inbox a WHERE a.chat_id = i.chat_id AND a.state = 'pending' AND a.id < i.id
		AND a.aside AND a.next_at > ? AND a.kind = i.kind)`

// PendingChats lists up to limit chats whose next event is due by now, the
// chat with the oldest waiting event first. A chat whose next event waits
// for a retry is not listed, though later events of it are due: they wait
// behind it. An event set aside waits alone (with its kind behind it).
func (db *DB) PendingChats(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	// Each chat's first pending event, from the partial index of pending
	// events (chat_id, id): the cost follows what waits, not the inbox's
	// history of done events (an ORDER BY id over the table scanned it all).
	rows, err := db.read().query(ctx, `
		SELECT f.chat_id FROM (
			SELECT i.chat_id, MIN(i.id) AS id FROM inbox i WHERE i.state = 'pending' AND `+inboxNext+`
			GROUP BY i.chat_id
		) f JOIN inbox i ON i.id = f.id
		WHERE i.next_at <= ?
		ORDER BY f.id LIMIT ?`, ms(now), ms(now), ms(now), limit)
	if err != nil {
		return nil, fmt.Errorf("list chats with pending events: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// NextEvent is the chat's oldest waiting event; ENOTFOUND when there is none,
// or when it waits for a retry later than now (the chat's later events wait
// behind it: order is kept). An event set aside and not due is passed over,
// and the events of its kind behind it. Queued.More says whether another
// one waits.
func (db *DB) NextEvent(ctx context.Context, chatID int64, now time.Time) (*supportbot.Queued, error) {
	rows, err := db.read().query(ctx, `
		SELECT i.id, i.payload, i.attempts, i.next_at FROM inbox i WHERE i.chat_id = ? AND i.state = 'pending'
			AND `+inboxNext+`
		ORDER BY i.id LIMIT 2`, chatID, ms(now), ms(now))
	if err != nil {
		return nil, fmt.Errorf("next event of chat: %w", err)
	}
	defer rows.Close()
	var q *supportbot.Queued
	var payload string
	for rows.Next() {
		if q != nil {
			q.More = true
			break
		}
		q = &supportbot.Queued{}
		var next int64
		if err := rows.Scan(&q.ID, &payload, &q.Attempts, &next); err != nil {
			return nil, fmt.Errorf("next event of chat: %w", err)
		}
		if next > ms(now) {
			return nil, notFound("no event due")
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("next event of chat: %w", err)
	}
	if q == nil {
		return nil, notFound("no event waiting")
	}
	if err := json.Unmarshal([]byte(payload), &q.Event); err != nil {
		return nil, fmt.Errorf("inbox %d payload: %w", q.ID, err)
	}
	return q, nil
}

// DoneEvent marks an event handled, in the step's transaction, and forgets
// its payload (it may hold a customer's words); the row stays, so that a
// redelivery of the same source is recognised until it is pruned.
func (tx *Tx) DoneEvent(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, `UPDATE inbox SET state = 'done', payload = '{}', done_at = ? WHERE id = ? AND state = 'pending'`,
		ms(tx.now), id)
	if err != nil {
		return fmt.Errorf("mark event %d done: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return supportbot.Errorf(supportbot.ECONFLICT, "event %d was handled meanwhile", id)
	}
	return nil
}

// RetryEvent postpones an event whose step failed: its chat's later events
// wait behind it.
func (db *DB) RetryEvent(ctx context.Context, id int64, at time.Time) error {
	return db.postpone(ctx, id, at, false)
}

// SetAsideEvent postpones an event that holds back only the chat's later
// events of its kind: the others go on meanwhile.
func (db *DB) SetAsideEvent(ctx context.Context, id int64, at time.Time) error {
	return db.postpone(ctx, id, at, true)
}

func (db *DB) postpone(ctx context.Context, id int64, at time.Time, aside bool) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE inbox SET attempts = attempts + 1, next_at = ?, aside = ? WHERE id = ? AND state = 'pending'`,
			ms(at), aside, id)
		return err
	})
}

// InboxDepth is the number of events waiting.
func (db *DB) InboxDepth(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM inbox WHERE state = 'pending'`).Scan(&n)
	return n, err
}

// SeenEvent records a core event id in the transaction that handles it; false
// means it was handled before (the core delivers at least once).
func (tx *Tx) SeenEvent(ctx context.Context, id string) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO seen_events (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`, id, ms(tx.now))
	if err != nil {
		return false, fmt.Errorf("record core event %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// KnowPlans records that plans are customerID's (a plan's customer is kept
// as the core last said).
func (tx *Tx) KnowPlans(ctx context.Context, customerID string, plans []string) error {
	for _, id := range plans {
		if _, err := tx.exec(ctx, `INSERT INTO plan_owners (plan_id, customer_id) VALUES (?, ?)
			ON CONFLICT (plan_id) DO UPDATE SET customer_id = excluded.customer_id
			WHERE plan_owners.customer_id <> excluded.customer_id`, id, customerID); err != nil {
			return fmt.Errorf("record the customer of plan %s: %w", id, err)
		}
	}
	return nil
}

// PlanOwner is the customer of a plan the bot has seen; ENOTFOUND for one
// it has not.
func (tx *Tx) PlanOwner(ctx context.Context, planID string) (string, error) {
	var customer string
	err := tx.queryRow(ctx, `SELECT customer_id FROM plan_owners WHERE plan_id = ?`, planID).Scan(&customer)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("plan %s not seen", planID)
	}
	return customer, err
}

// LatestEvent records that a core event about subject, created at, is
// taken; false when one about it created later was taken before (the core
// does not keep order), or when one taken before was final: final says the
// event tells a state that ends its subject (a booking debited, a closure
// decided), and nothing after it is told — not the same state again under
// another event id (a probe's core re-emitted a debit 10 s later: told and
// audited twice), nor another ("completed", then "rejected"). Events not
// final created at the same instant are all taken.
func (tx *Tx) LatestEvent(ctx context.Context, subject string, at time.Time, final bool) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO core_event_order (subject, created_at, seen_at, final) VALUES (?, ?, ?, ?)
		ON CONFLICT (subject) DO UPDATE SET created_at = excluded.created_at, seen_at = excluded.seen_at, final = excluded.final
		WHERE NOT core_event_order.final AND core_event_order.created_at <= excluded.created_at`,
		subject, ms(at), ms(tx.now), final)
	if err != nil {
		return false, fmt.Errorf("record the order of core events about %s: %w", subject, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// LastUpdateTaken is the id of the last Telegram update taken into the
// inbox, and when; 0 when none is kept. Every update up to it was taken:
// polling that starts blind (offset 0) may ask from the one after it.
func (db *DB) LastUpdateTaken(ctx context.Context) (int64, time.Time, error) {
	var source string
	var at int64
	err := db.read().queryRow(ctx, `SELECT source, received_at FROM inbox WHERE source LIKE 'u:%' ORDER BY id DESC LIMIT 1`).Scan(&source, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, fmt.Errorf("last update taken: %w", err)
	}
	update, _, _ := strings.Cut(strings.TrimPrefix(source, "u:"), ":") // "u:12:34", an agent's doing for chat 34
	id, err := strconv.ParseInt(update, 10, 64)
	if err != nil {
		return 0, time.Time{}, nil // not an update's source after all
	}
	return id, fromMS(at), nil
}
