package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"supportbot"
)

const ticketColumns = `id, chat_id, customer_id, status, topic_id, agent_id, agent_name, reason, previous_id,
	created_at, claimed_at, first_reply_at, closed_at, rating, reminded, handle, customer_name, came_from, replied_by, reminders,
	reminded_at, told_position, told_at, waiting_since, invite, relay, closed_by`

type scanner interface{ Scan(...any) error }

func scanTicket(row scanner) (*supportbot.Ticket, error) {
	var t supportbot.Ticket
	var relay string
	if err := row.Scan(&t.ID, &t.ChatID, &t.CustomerID, &t.Status, &t.TopicID, &t.AgentID, &t.AgentName, &t.Reason,
		&t.PreviousID, msTime{&t.CreatedAt}, nullTime{&t.ClaimedAt}, nullTime{&t.FirstReplyAt}, nullTime{&t.ClosedAt},
		&t.Rating, &t.Reminded, &t.Handle, &t.CustomerName, &t.CameFrom, &t.RepliedBy, &t.Reminders, nullTime{&t.RemindedAt},
		&t.ToldPosition, nullTime{&t.ToldAt}, nullTime{&t.WaitingSince}, &t.Invite, &relay, &t.ClosedBy); err != nil {
		return nil, err
	}
	if relay != "" && relay != "{}" {
		if err := json.Unmarshal([]byte(relay), &t.Relay); err != nil {
			return nil, fmt.Errorf("ticket %d relay post: %w", t.ID, err)
		}
	}
	return &t, nil
}

func findTicket(ctx context.Context, r reader, where string, args ...any) (*supportbot.Ticket, error) {
	return findTicketFor(ctx, r, "", where, args...)
}

// findTicketFor reads a ticket with a locking clause: a transaction that
// reads a ticket to change it holds it until it commits (PostgreSQL; the one
// writer of SQLite serialises them anyway), so that the staff chat's step and
// the customer's, running at once, do not undo each other's change.
func findTicketFor(ctx context.Context, r reader, lock string, where string, args ...any) (*supportbot.Ticket, error) {
	t, err := scanTicket(r.queryRow(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE `+where+` ORDER BY id DESC LIMIT 1`+lock, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("ticket not found")
	} else if err != nil {
		return nil, fmt.Errorf("find ticket: %w", err)
	}
	return t, nil
}

// OpenTicket is the chat's open ticket; ENOTFOUND if none.
func (db *DB) OpenTicket(ctx context.Context, chatID int64) (*supportbot.Ticket, error) {
	return findTicket(ctx, db.read(), `chat_id = ? AND status = 'open'`, chatID)
}

// OpenTicket reads the chat's open ticket inside the transaction, holding it
// until the transaction ends.
func (tx *Tx) OpenTicket(ctx context.Context, chatID int64) (*supportbot.Ticket, error) {
	return findTicketFor(ctx, tx, tx.d.forUpdate, `chat_id = ? AND status = 'open'`, chatID)
}

// Ticket finds a ticket by id; ENOTFOUND if none.
func (db *DB) Ticket(ctx context.Context, id int64) (*supportbot.Ticket, error) {
	return findTicket(ctx, db.read(), `id = ?`, id)
}

// Ticket finds a ticket by id inside the transaction, holding it until the
// transaction ends.
func (tx *Tx) Ticket(ctx context.Context, id int64) (*supportbot.Ticket, error) {
	return findTicketFor(ctx, tx, tx.d.forUpdate, `id = ?`, id)
}

// LastTicket is the chat's latest ticket, whatever its status; ENOTFOUND if none.
func (db *DB) LastTicket(ctx context.Context, chatID int64) (*supportbot.Ticket, error) {
	return findTicket(ctx, db.read(), `chat_id = ?`, chatID)
}

// TicketByTopic is the latest ticket living in a staff-chat topic; ENOTFOUND if none.
func (db *DB) TicketByTopic(ctx context.Context, topicID int64) (*supportbot.Ticket, error) {
	if topicID == 0 {
		return nil, notFound("ticket not found")
	}
	return findTicket(ctx, db.read(), `topic_id = ?`, topicID)
}

// CreateTicket opens a ticket, linking the chat's previous one; ECONFLICT when
// the chat already has an open ticket.
func (tx *Tx) CreateTicket(ctx context.Context, t *supportbot.Ticket) error {
	if prev, err := findTicket(ctx, tx, `chat_id = ?`, t.ChatID); err == nil {
		t.PreviousID = prev.ID
	} else if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		return err
	}
	t.CreatedAt = tx.now
	if t.Status == supportbot.TicketOpen && t.WaitingSince.IsZero() {
		t.WaitingSince = t.CreatedAt
	}
	if t.Status == supportbot.TicketOpen {
		// Tickets join the queue one at a time, so that the place a step
		// reads after this (QueuePosition) counts every ticket before it:
		// on PostgreSQL two instances' transactions would not see each
		// other's new ticket and tell both customers "first".
		if err := tx.LockEveryone(ctx, "ticket queue"); err != nil {
			return fmt.Errorf("create ticket: %w", err)
		}
	}
	err := tx.queryRow(ctx, `
		INSERT INTO tickets (chat_id, customer_id, status, reason, previous_id, created_at, closed_at, handle, customer_name,
			came_from, waiting_since)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.ChatID, t.CustomerID, t.Status, t.Reason, t.PreviousID, ms(t.CreatedAt), optMS(t.ClosedAt), t.Handle, t.CustomerName,
		t.CameFrom, optMS(t.WaitingSince)).Scan(&t.ID)
	if tx.d.unique(err) {
		return supportbot.Errorf(supportbot.ECONFLICT, "chat already has an open ticket")
	} else if err != nil {
		return fmt.Errorf("create ticket: %w", err)
	}
	return nil
}

// UpdateTicket saves a ticket's status, customer (verified at the desk),
// topic, agent, times, rating, reminders, queue position told, invitation
// and relay post. Read the
// ticket in the same transaction (Tx.Ticket holds it) before changing it.
func (tx *Tx) UpdateTicket(ctx context.Context, t *supportbot.Ticket) error {
	relay, err := json.Marshal(t.Relay)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `
		UPDATE tickets SET status = ?, customer_id = ?, customer_name = ?, topic_id = ?, agent_id = ?, agent_name = ?, claimed_at = ?, first_reply_at = ?,
			closed_at = ?, rating = ?, reminded = ?, replied_by = ?, reminders = ?, reminded_at = ?, told_position = ?,
			told_at = ?, waiting_since = ?, invite = ?, relay = ?, closed_by = ?
		WHERE id = ?`,
		t.Status, t.CustomerID, t.CustomerName, t.TopicID, t.AgentID, t.AgentName, optMS(t.ClaimedAt), optMS(t.FirstReplyAt),
		optMS(t.ClosedAt), t.Rating, t.Reminded || t.Reminders > 0, t.RepliedBy, t.Reminders, optMS(t.RemindedAt),
		t.ToldPosition, optMS(t.ToldAt), optMS(t.WaitingSince), t.Invite, string(relay), t.ClosedBy, t.ID)
	if err != nil {
		return fmt.Errorf("update ticket %d: %w", t.ID, err)
	}
	return nil
}

// TicketReminded records reminder number seen+1 of an open ticket waiting
// for an answer (never answered, or a follow-up), at at; false when there is nothing to record (another instance
// sent that reminder already, or the ticket was answered or closed
// meanwhile). It is one conditional update: instances running the reminder
// job at once remind of a ticket once, the first taking the row and the
// others finding it counted.
func (tx *Tx) TicketReminded(ctx context.Context, id int64, seen int, at time.Time) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE tickets SET reminded = TRUE, reminders = reminders + 1, reminded_at = ?
		WHERE id = ? AND status = 'open' AND (first_reply_at IS NULL OR waiting_since > first_reply_at) AND reminders = ?`, ms(at), id, seen)
	if err != nil {
		return false, fmt.Errorf("ticket %d reminded: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// QueuePosition is the ticket's place among open tickets no agent has claimed
// (1 = next).
func (tx *Tx) QueuePosition(ctx context.Context, t *supportbot.Ticket) (int, error) {
	return queuePosition(ctx, tx, t)
}

// QueuePosition reads it outside a transaction.
func (db *DB) QueuePosition(ctx context.Context, t *supportbot.Ticket) (int, error) {
	return queuePosition(ctx, db.read(), t)
}

// queuePosition counts the tickets waiting up to t, t itself whatever its
// chat: a customer who blocked the bot ahead of t keeps no one waiting (the
// agents still see the ticket, marked ⛔).
func queuePosition(ctx context.Context, r reader, t *supportbot.Ticket) (int, error) {
	var n int
	err := r.queryRow(ctx, `
		SELECT COUNT(*) FROM tickets t WHERE t.status = 'open' AND t.agent_id = 0 AND t.id <= ?
		AND (t.id = ? OR NOT EXISTS (SELECT 1 FROM conversations c WHERE c.chat_id = t.chat_id AND c.unreachable = TRUE))`,
		t.ID, t.ID).Scan(&n)
	return n, err
}

// UnansweredTickets lists open tickets opened before the given time that no
// agent has answered and no reminder was sent for.
func (db *DB) UnansweredTickets(ctx context.Context, before time.Time) ([]supportbot.Ticket, error) {
	rows, err := db.read().query(ctx, `SELECT `+ticketColumns+` FROM tickets
		WHERE status = 'open' AND first_reply_at IS NULL AND reminded = FALSE AND created_at < ? ORDER BY id`, ms(before))
	if err != nil {
		return nil, fmt.Errorf("unanswered tickets: %w", err)
	}
	return scanTickets(rows)
}

func scanTickets(rows *sql.Rows) ([]supportbot.Ticket, error) {
	defer rows.Close()
	var list []supportbot.Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, *t)
	}
	return list, rows.Err()
}

// Tickets lists tickets, newest first; only open ones when open is set.
func (db *DB) Tickets(ctx context.Context, open bool, limit int) ([]supportbot.Ticket, error) {
	rows, err := db.read().query(ctx, `SELECT `+ticketColumns+` FROM tickets
		WHERE ? = FALSE OR status = 'open' ORDER BY id DESC LIMIT ?`, open, limit)
	if err != nil {
		return nil, fmt.Errorf("list tickets: %w", err)
	}
	return scanTickets(rows)
}

// Queue lists up to limit open tickets, the longest waiting for an answer
// first (answered ones after, oldest first), and counts the open ones.
func (db *DB) Queue(ctx context.Context, limit int) ([]supportbot.Ticket, int, error) {
	rows, err := db.read().query(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE status = 'open'
		ORDER BY (waiting_since IS NULL), waiting_since, id LIMIT ?`, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list the queue: %w", err)
	}
	list, err := scanTickets(rows)
	if err != nil {
		return nil, 0, err
	}
	n, err := db.OpenTickets(ctx)
	return list, n, err
}

// OpenTickets counts open tickets.
func (db *DB) OpenTickets(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM tickets WHERE status = 'open'`).Scan(&n)
	return n, err
}

// WaitingTickets counts open tickets no agent has claimed.
func (db *DB) WaitingTickets(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM tickets WHERE status = 'open' AND agent_id = 0`).Scan(&n)
	return n, err
}

// TicketTopic is the forum topic of a ticket (0 when it has none yet).
func (db *DB) TicketTopic(ctx context.Context, ticketID int64) (int64, error) {
	var topic int64
	err := db.read().queryRow(ctx, `SELECT topic_id FROM tickets WHERE id = ?`, ticketID).Scan(&topic)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("ticket %d not found", ticketID)
	}
	return topic, err
}

// SetTicketTopic records the forum topic a ticket lives in (0: lost, make a new one).
func (db *DB) SetTicketTopic(ctx context.Context, ticketID, topicID int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `UPDATE tickets SET topic_id = ? WHERE id = ?`, topicID, ticketID)
		return err
	})
}
