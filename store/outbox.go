package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"supportbot"
)

// Enqueue adds replies to the outbox, to be sent after the transaction commits.
func (tx *Tx) Enqueue(ctx context.Context, replies []supportbot.Reply) error {
	for _, r := range replies {
		payload, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.tx.ExecContext(ctx, `
			INSERT INTO outbox (chat_id, thread_id, payload, next_at, created_at) VALUES (?, ?, ?, ?, ?)`,
			r.ChatID, r.ThreadID, string(payload), formatTime(tx.now), formatTime(tx.now)); err != nil {
			return fmt.Errorf("enqueue reply: %w", err)
		}
	}
	return nil
}

// Enqueue adds messages to the outbox outside a conversation step (notices,
// reminders, agent messages).
func (db *DB) Enqueue(ctx context.Context, replies []supportbot.Reply) error {
	return db.update(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, replies) })
}

// DueMessages lists, oldest first, the pending messages due by now, leaving
// out those behind a postponed message of the same chat (and forum topic): a
// chat's messages go out in order, and one chat waiting for a retry holds
// back only itself. It lists at most 20 of any one chat.
func (db *DB) DueMessages(ctx context.Context, now time.Time, limit int) ([]supportbot.OutboxMessage, error) {
	at := formatTime(now)
	// At most perChat of each chat, so a backlog in one (a staff group at
	// 20 messages a minute) cannot crowd every other chat out of the list.
	const perChat = 20
	rows, err := db.db.QueryContext(ctx, `
		SELECT id, payload, attempts FROM (
			SELECT o.id, o.payload, o.attempts,
				ROW_NUMBER() OVER (PARTITION BY o.chat_id, o.thread_id ORDER BY o.id) AS n
			FROM outbox o
			WHERE o.status = 'pending' AND o.next_at <= ?
			  AND NOT EXISTS (SELECT 1 FROM outbox p
				WHERE p.status = 'pending' AND p.chat_id = o.chat_id AND p.thread_id = o.thread_id
				  AND p.id < o.id AND p.next_at > ?)
		) due WHERE n <= ? ORDER BY id LIMIT ?`, at, at, perChat, limit)
	if err != nil {
		return nil, fmt.Errorf("due messages: %w", err)
	}
	defer rows.Close()
	var list []supportbot.OutboxMessage
	for rows.Next() {
		var m supportbot.OutboxMessage
		var payload string
		if err := rows.Scan(&m.ID, &payload, &m.Attempts); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(payload), &m.Reply); err != nil {
			return nil, fmt.Errorf("outbox %d payload: %w", m.ID, err)
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// MarkSent records delivered messages, all in one transaction (one fsync for
// a batch of deliveries).
func (db *DB) MarkSent(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	return db.update(ctx, func(tx *Tx) error {
		args := []any{formatTime(tx.now)}
		for _, id := range ids {
			args = append(args, id)
		}
		_, err := tx.tx.ExecContext(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, done_at = ?
			WHERE id IN (?`+strings.Repeat(",?", len(ids)-1)+`)`, args...)
		return err
	})
}

// RetryLater postpones a message after a failed attempt.
func (db *DB) RetryLater(ctx context.Context, id int64, at time.Time, reason string) error {
	_, err := db.db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?`,
		formatTime(at), reason, id)
	return err
}

// MarkFailed gives up on a message Telegram will never accept; when the chat
// itself is gone, every pending message to it is given up and the
// conversation is marked unreachable, so nothing else is queued for it.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string, chatGone bool) error {
	return db.update(ctx, func(tx *Tx) error {
		var chatID int64
		if err := tx.tx.QueryRowContext(ctx, `SELECT chat_id FROM outbox WHERE id = ?`, id).Scan(&chatID); err != nil {
			return fmt.Errorf("outbox %d: %w", id, err)
		}
		query := `UPDATE outbox SET status = 'failed', attempts = attempts + 1, done_at = ?, last_error = ? WHERE id = ?`
		args := []any{formatTime(tx.now), reason, id}
		if chatGone {
			query = `UPDATE outbox SET status = 'failed', done_at = ?, last_error = ? WHERE chat_id = ? AND status = 'pending'`
			args = []any{formatTime(tx.now), reason, chatID}
			if _, err := tx.tx.ExecContext(ctx, `UPDATE conversations SET unreachable = 1 WHERE chat_id = ?`, chatID); err != nil {
				return err
			}
		}
		_, err := tx.tx.ExecContext(ctx, query, args...)
		return err
	})
}

// OutboxDepth is the number of pending messages.
func (db *DB) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE status = 'pending'`).Scan(&n)
	return n, err
}
