package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"supportbot"
)

// The agent desk's state beside the tickets: agents' notes, the agents the
// staff chat has seen, and the messages tracked replies made.

// WaitingForAnswer lists open tickets waiting for an agent's answer since
// before the given time — opened and never answered, or answered and
// asked again (a follow-up: waiting_since) — oldest first (reminded or not).
func (db *DB) WaitingForAnswer(ctx context.Context, before time.Time) ([]supportbot.Ticket, error) {
	rows, err := db.read().query(ctx, `SELECT `+ticketColumns+` FROM tickets
		WHERE status = 'open' AND (first_reply_at IS NULL AND created_at < ? OR waiting_since > first_reply_at AND waiting_since < ?)
		ORDER BY id`, ms(before), ms(before))
	if err != nil {
		return nil, fmt.Errorf("tickets waiting for an answer: %w", err)
	}
	return scanTickets(rows)
}

// QueuedTickets lists the open tickets no agent has taken, in queue order,
// but those of chats that blocked the bot: they keep no one waiting (as
// QueuePosition counts).
func (db *DB) QueuedTickets(ctx context.Context) ([]supportbot.Ticket, error) {
	rows, err := db.read().query(ctx, `SELECT `+ticketColumns+` FROM tickets
		WHERE status = 'open' AND agent_id = 0
		AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.chat_id = tickets.chat_id AND c.unreachable = TRUE)
		ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("queued tickets: %w", err)
	}
	return scanTickets(rows)
}

// PreviousTickets lists up to limit tickets before ticket beforeID of the
// customer (customerID set), and the unverified ones of the chat, newest
// first.
func (db *DB) PreviousTickets(ctx context.Context, chatID int64, customerID string, beforeID int64, limit int) ([]supportbot.Ticket, error) {
	// The customer's own, from any chat; and the chat's unverified ones —
	// never another customer's that the chat was linked to before.
	rows, err := db.read().query(ctx, `SELECT `+ticketColumns+` FROM tickets
		WHERE id < ? AND ((? <> '' AND customer_id = ?) OR (chat_id = ? AND customer_id = '')) ORDER BY id DESC LIMIT ?`,
		beforeID, customerID, customerID, chatID, limit)
	if err != nil {
		return nil, fmt.Errorf("previous tickets: %w", err)
	}
	return scanTickets(rows)
}

// AddTicketNote keeps an agent's note on a ticket (masked by the caller).
func (tx *Tx) AddTicketNote(ctx context.Context, n supportbot.TicketNote) error {
	if n.CreatedAt.IsZero() {
		n.CreatedAt = tx.now
	}
	_, err := tx.exec(ctx, `INSERT INTO ticket_notes (ticket_id, agent_id, agent_name, text, created_at) VALUES (?, ?, ?, ?, ?)`,
		n.TicketID, n.AgentID, n.AgentName, n.Text, ms(n.CreatedAt))
	if err != nil {
		return fmt.Errorf("add note to ticket %d: %w", n.TicketID, err)
	}
	return nil
}

// TicketNotes lists a ticket's notes, oldest first.
func (db *DB) TicketNotes(ctx context.Context, ticketID int64) ([]supportbot.TicketNote, error) {
	rows, err := db.read().query(ctx, `SELECT ticket_id, agent_id, agent_name, text, created_at FROM ticket_notes
		WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, fmt.Errorf("notes of ticket %d: %w", ticketID, err)
	}
	defer rows.Close()
	var list []supportbot.TicketNote
	for rows.Next() {
		var n supportbot.TicketNote
		if err := rows.Scan(&n.TicketID, &n.AgentID, &n.AgentName, &n.Text, msTime{&n.CreatedAt}); err != nil {
			return nil, err
		}
		list = append(list, n)
	}
	return list, rows.Err()
}

// SeeAgent records an agent's name and @username as last seen.
func (tx *Tx) SeeAgent(ctx context.Context, a supportbot.Agent) error {
	_, err := tx.exec(ctx, `INSERT INTO agents (user_id, name, username, seen_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, username = excluded.username, seen_at = excluded.seen_at`,
		a.ID, a.Name, a.Username, ms(tx.now))
	if err != nil {
		return fmt.Errorf("record agent: %w", err)
	}
	return nil
}

// Agents lists the agents seen in the staff chat, by name.
func (db *DB) Agents(ctx context.Context) ([]supportbot.Agent, error) {
	rows, err := db.read().query(ctx, `SELECT user_id, name, username FROM agents ORDER BY name, user_id`)
	if err != nil {
		return nil, fmt.Errorf("list agents: %w", err)
	}
	defer rows.Close()
	var list []supportbot.Agent
	for rows.Next() {
		var a supportbot.Agent
		if err := rows.Scan(&a.ID, &a.Name, &a.Username); err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// TrackedMessage is the message a reply tracked as track made in a chat; 0
// when none is known.
func (db *DB) TrackedMessage(ctx context.Context, chatID int64, track string) (int64, error) {
	var id int64
	err := db.read().queryRow(ctx, `SELECT message_id FROM tracked_messages WHERE chat_id = ? AND track = ?`, chatID, track).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("tracked message: %w", err)
	}
	return id, nil
}

// TrackOf is the track of the reply that made a message in a chat; "" when
// none is known.
func (db *DB) TrackOf(ctx context.Context, chatID, messageID int64) (string, error) {
	var track string
	err := db.read().queryRow(ctx, `SELECT track FROM tracked_messages WHERE chat_id = ? AND message_id = ? LIMIT 1`, chatID, messageID).Scan(&track)
	if errors.Is(err, sql.ErrNoRows) || messageID == 0 {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("track of a message: %w", err)
	}
	return track, nil
}

// SetTrackedMessage records the message a tracked reply made (0 forgets it).
func (db *DB) SetTrackedMessage(ctx context.Context, chatID int64, track string, messageID int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		if messageID == 0 {
			_, err := tx.exec(ctx, `DELETE FROM tracked_messages WHERE chat_id = ? AND track = ?`, chatID, track)
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO tracked_messages (chat_id, track, message_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (chat_id, track) DO UPDATE SET message_id = excluded.message_id, created_at = excluded.created_at`,
			chatID, track, messageID, ms(tx.now))
		return err
	})
}

// TrackReply records that a reply tracked as track was relayed to a chat,
// before the sender made its message (SetTrackedMessage then records it).
func (tx *Tx) TrackReply(ctx context.Context, chatID int64, track string) error {
	_, err := tx.exec(ctx, `INSERT INTO tracked_messages (chat_id, track, message_id, created_at) VALUES (?, ?, 0, ?)
		ON CONFLICT (chat_id, track) DO NOTHING`, chatID, track, ms(tx.now))
	if err != nil {
		return fmt.Errorf("track a reply: %w", err)
	}
	return nil
}

// Relayed reports whether a reply tracked as track was relayed to a chat
// (TrackReply), sent yet or not.
func (db *DB) Relayed(ctx context.Context, chatID int64, track string) (bool, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM tracked_messages WHERE chat_id = ? AND track = ?`, chatID, track).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("relayed reply: %w", err)
	}
	return n > 0, nil
}
