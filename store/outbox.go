package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"supportbot"
)

// Enqueue adds replies to the outbox, to be sent after the transaction
// commits. A reply with a Track replaces a pending reply of its chat with the
// same Track that no sender took: only the newest is sent (it says
// everything the older did).
func (tx *Tx) Enqueue(ctx context.Context, replies []supportbot.Reply) error {
	for _, r := range replies {
		payload, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if r.Track != "" {
			// A reply a sender took is left to it (or, its sender gone, to
			// the next): it is sent and recorded sent, then this one edits
			// what it made (the queue holds this one back meanwhile). The
			// outbox keeps every reply that may have reached the chat; the
			// newest text wins either way.
			if _, err := tx.exec(ctx, `DELETE FROM outbox WHERE chat_id = ? AND track = ? AND status = 'pending' AND claimed_by = ''`,
				r.ChatID, r.Track); err != nil {
				return fmt.Errorf("replace tracked reply: %w", err)
			}
		}
		if _, err := tx.exec(ctx, `
			INSERT INTO outbox (chat_id, thread_id, ticket_id, payload, next_at, created_at, track) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.ChatID, r.ThreadID, r.TicketID, string(payload), ms(tx.now), ms(tx.now), r.Track); err != nil {
			return fmt.Errorf("enqueue reply: %w", err)
		}
	}
	return nil
}

// Backlog lists, oldest first, up to limit replies waiting in the outbox to
// be sent to a chat (whatever queued them): what a step of the chat's
// customer finds before it queues more. since is when the oldest of them
// was queued (zero when none waits).
func (tx *Tx) Backlog(ctx context.Context, chatID int64, limit int) (waiting []supportbot.Reply, since time.Time, err error) {
	rows, err := tx.query(ctx, `SELECT payload, created_at FROM outbox WHERE chat_id = ? AND status = 'pending' ORDER BY id LIMIT ?`, chatID, limit)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("backlog of chat: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var payload string
		var queued int64
		if err := rows.Scan(&payload, &queued); err != nil {
			return nil, time.Time{}, err
		}
		var r supportbot.Reply
		if err := json.Unmarshal([]byte(payload), &r); err != nil {
			return nil, time.Time{}, fmt.Errorf("outbox payload: %w", err)
		}
		if len(waiting) == 0 {
			since = fromMS(queued)
		}
		waiting = append(waiting, r)
	}
	return waiting, since, rows.Err()
}

// SlowDownDue reports whether a flooding chat is owed a "slow down" notice:
// true, and recorded now, unless it was told within every.
func (tx *Tx) SlowDownDue(ctx context.Context, chatID int64, every time.Duration) (bool, error) {
	res, err := tx.exec(ctx, `INSERT INTO chat_floods (chat_id, told_at) VALUES (?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET told_at = excluded.told_at WHERE chat_floods.told_at <= ?`,
		chatID, ms(tx.now), ms(tx.now.Add(-every)))
	if err != nil {
		return false, fmt.Errorf("record a flood of chat: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Enqueue adds messages to the outbox outside a conversation step.
func (db *DB) Enqueue(ctx context.Context, replies []supportbot.Reply) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.Enqueue(ctx, replies) })
}

// DueMessages lists, oldest first, the pending messages due by now, leaving
// out those behind a postponed message of the same queue: a chat's messages
// go out in order, and one chat waiting for a retry holds back only itself.
// A queue is a chat, a forum topic of one, or a hand-off ticket of the staff
// chat (a ticket's messages find their topic when they are sent). It lists
// at most 20 of any one queue, so that a backlog in one cannot crowd the
// others out of the list: a new ticket's context card is never read after
// another customer's relays.
func (db *DB) DueMessages(ctx context.Context, now time.Time, limit int) ([]supportbot.OutboxMessage, error) {
	at := ms(now)
	rows, err := db.read().query(ctx, `
		SELECT id, payload, attempts FROM (
			SELECT o.id, o.payload, o.attempts,
				ROW_NUMBER() OVER (PARTITION BY o.chat_id, o.thread_id, o.ticket_id ORDER BY o.id) AS n
			FROM outbox o
			WHERE o.status = 'pending' AND o.next_at <= ?
			  AND NOT EXISTS (SELECT 1 FROM outbox p
				WHERE p.status = 'pending' AND p.chat_id = o.chat_id AND p.thread_id = o.thread_id
				  AND p.ticket_id = o.ticket_id AND p.id < o.id AND p.next_at > ?)
		) due WHERE n <= ? ORDER BY id LIMIT ?`, at, at, perQueue, limit)
	if err != nil {
		return nil, fmt.Errorf("due messages: %w", err)
	}
	return db.scanMessages(rows)
}

// scanMessages reads rows of id, payload, attempts and closes them.
func (db *DB) scanMessages(rows *sql.Rows) ([]supportbot.OutboxMessage, error) {
	defer rows.Close()
	var list []supportbot.OutboxMessage
	for rows.Next() {
		var m supportbot.OutboxMessage
		var payload sql.RawBytes // decoded once per message (replyCache), not copied
		if err := rows.Scan(&m.ID, &payload, &m.Attempts); err != nil {
			return nil, err
		}
		var err error
		if m.Reply, err = db.replies.decode(m.ID, payload); err != nil {
			return nil, fmt.Errorf("outbox %d payload: %w", m.ID, err)
		}
		list = append(list, m)
	}
	return list, rows.Err()
}

// perQueue bounds how many messages of one queue (chat, topic or ticket) a
// read of the outbox takes, and perChat how many of one chat a claim takes,
// so that a backlog in one cannot crowd every other out.
const (
	perQueue = 20
	perChat  = 20
)

// ClaimMessages takes, for owner, up to limit pending messages due by now
// and claims them until now+lease: while the claim lasts nobody takes them,
// nor any later message of the same chat and forum topic (a chat's messages
// go out in order, across every instance of the bot). A message is taken
// only when every earlier pending message of its chat and topic is due and
// taken in this call; a postponed message, or one a claim holds, holds back
// the rest of its chat and topic, and only those — whoever holds it: owner
// itself may have lost track of a claim (committed, and the answer lost to
// a broken connection or a shutdown), and must not send what is behind it. At most 20 messages of one chat are taken
// at a time, first the oldest of every chat, then the next of every chat…
// (fair across chats and the topics of a chat). The messages come oldest
// first; the owner sends each chat's in that order, and stops a chat at a
// failure. MarkSent, RetryLater and MarkFailed end a claim; a claim that
// runs out (its owner died) lets another owner take the message, and send
// it again: delivery is at least once.
//
// Claims are handed out one instance at a time (a transaction-scoped lock
// on PostgreSQL, the one writer on SQLite), so that two instances never
// split one chat's messages between them.
func (db *DB) ClaimMessages(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]supportbot.OutboxMessage, error) {
	if owner == "" {
		return nil, supportbot.Errorf(supportbot.EINVALID, "claiming messages needs an owner")
	}
	var list []supportbot.OutboxMessage
	err := db.Update(ctx, func(tx *Tx) error {
		list = nil
		if err := tx.LockEveryone(ctx, "outbox-claim"); err != nil {
			return fmt.Errorf("lock the outbox: %w", err)
		}
		at := ms(now)
		// free: due, unclaimed (or the claim ran out), and nothing before it
		// in its queue that is postponed or held by a claim.
		rows, err := tx.query(ctx, `
			WITH free AS (
				SELECT o.id, o.chat_id,
					ROW_NUMBER() OVER (PARTITION BY o.chat_id, o.thread_id, o.ticket_id ORDER BY o.id) AS nt
				FROM outbox o
				WHERE o.status = 'pending' AND o.next_at <= ? AND o.claimed_until < ?
				  AND NOT EXISTS (SELECT 1 FROM outbox p
					WHERE p.status = 'pending' AND p.chat_id = o.chat_id AND p.thread_id = o.thread_id
					  AND p.ticket_id = o.ticket_id AND p.id < o.id
					  AND (p.next_at > ? OR p.claimed_until >= ?))
			), fair AS (
				SELECT id, ROW_NUMBER() OVER (PARTITION BY chat_id ORDER BY nt, id) AS nc FROM free
			)
			SELECT id FROM fair WHERE nc <= ? ORDER BY nc, id LIMIT ?`,
			at, at, at, at, perChat, limit)
		if err != nil {
			return fmt.Errorf("due messages: %w", err)
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		rows, err = tx.query(ctx, `UPDATE outbox SET claimed_by = ?, claimed_until = ?
			WHERE status = 'pending' AND claimed_until < ? AND id IN (`+placeholders(len(ids))+`)
			RETURNING id, payload, attempts`, append([]any{owner, ms(now.Add(lease)), at}, ids...)...)
		if err != nil {
			return fmt.Errorf("claim messages: %w", err)
		}
		if list, err = db.scanMessages(rows); err != nil {
			return err
		}
		slices.SortFunc(list, func(a, b supportbot.OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
		return nil
	})
	return list, err
}

// MarkSent records delivered messages, all in one transaction (one fsync for
// a batch of deliveries), and ends their claims.
func (db *DB) MarkSent(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	defer db.replies.forget(ids...)
	return db.Update(ctx, func(tx *Tx) error {
		args := []any{ms(tx.now)}
		for _, id := range ids {
			args = append(args, id)
		}
		_, err := tx.exec(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, done_at = ?, claimed_by = '', claimed_until = 0
			WHERE id IN (`+placeholders(len(ids))+`)`, args...)
		return err
	})
}

// RetryLater postpones a message after a failed attempt and ends its claim,
// and the claims its owner holds on the later messages of its queue (chat,
// topic or ticket): they wait behind it (the owner stopped the queue at the
// failure).
func (db *DB) RetryLater(ctx context.Context, id int64, at time.Time, reason string) error {
	return db.Update(ctx, func(tx *Tx) error {
		if err := tx.releaseLater(ctx, id); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, next_at = ?, last_error = ?, claimed_by = '', claimed_until = 0
			WHERE id = ?`, ms(at), reason, id)
		return err
	})
}

// releaseLater ends the claims that the owner of message id's claim holds
// on later pending messages of its queue.
func (tx *Tx) releaseLater(ctx context.Context, id int64) error {
	_, err := tx.exec(ctx, `
		UPDATE outbox SET claimed_by = '', claimed_until = 0
		WHERE status = 'pending' AND claimed_by <> '' AND EXISTS (SELECT 1 FROM outbox m
			WHERE m.id = ? AND m.chat_id = outbox.chat_id AND m.thread_id = outbox.thread_id
			  AND m.ticket_id = outbox.ticket_id AND outbox.id > m.id AND m.claimed_by = outbox.claimed_by)`, id)
	if err != nil {
		return fmt.Errorf("release the claims behind message %d: %w", id, err)
	}
	return nil
}

// MarkFailed gives up on a message Telegram will never accept, ending its
// claim and its owner's claims on the later messages of its queue (as
// RetryLater); when the chat itself is gone, every pending message to it
// is given up and the conversation is marked unreachable, so nothing else is
// queued for it.
func (db *DB) MarkFailed(ctx context.Context, id int64, reason string, chatGone bool) error {
	defer db.replies.forget(id)
	return db.Update(ctx, func(tx *Tx) error {
		var chatID int64
		if err := tx.queryRow(ctx, `SELECT chat_id FROM outbox WHERE id = ?`, id).Scan(&chatID); err != nil {
			return fmt.Errorf("outbox %d: %w", id, err)
		}
		if err := tx.releaseLater(ctx, id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE outbox SET status = 'failed', attempts = attempts + 1, done_at = ?, last_error = ?,
			claimed_by = '', claimed_until = 0 WHERE id = ?`,
			ms(tx.now), reason, id); err != nil {
			return err
		}
		if chatGone {
			return tx.MarkUnreachable(ctx, chatID, reason)
		}
		return nil
	})
}

// OutboxDepth is the number of pending messages.
func (db *DB) OutboxDepth(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE status = 'pending'`).Scan(&n)
	return n, err
}

// ChatMessages lists the pending messages of one chat in order (the console
// shows them as they come); TakeMessages marks them sent.
func (db *DB) ChatMessages(ctx context.Context, chatID int64) ([]supportbot.OutboxMessage, error) {
	rows, err := db.read().query(ctx, `SELECT id, payload, attempts FROM outbox WHERE chat_id = ? AND status = 'pending' ORDER BY id`, chatID)
	if err != nil {
		return nil, fmt.Errorf("messages of chat: %w", err)
	}
	return db.scanMessages(rows)
}

// StepMessage is the message of a chat that shows the buttons of step nonce;
// 0 when the sender knows of none.
func (db *DB) StepMessage(ctx context.Context, chatID int64, nonce string) (int64, error) {
	var id int64
	err := db.read().queryRow(ctx, `SELECT message_id FROM step_messages WHERE chat_id = ? AND nonce = ?`, chatID, nonce).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// SetStepMessage records the message that shows the buttons of step nonce
// (the chat's latest step); messageID 0 forgets it.
func (db *DB) SetStepMessage(ctx context.Context, chatID int64, nonce string, messageID int64) error {
	return db.Update(ctx, func(tx *Tx) error {
		if messageID == 0 {
			_, err := tx.exec(ctx, `DELETE FROM step_messages WHERE chat_id = ? AND nonce = ?`, chatID, nonce)
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO step_messages (chat_id, nonce, message_id) VALUES (?, ?, ?)
			ON CONFLICT (chat_id) DO UPDATE SET nonce = excluded.nonce, message_id = excluded.message_id`, chatID, nonce, messageID)
		return err
	})
}

// ExtendClaims moves owner's claims on ids to until, while a message is
// being sent (a send may take longer than a claim lasts), and says how many
// of them owner still held: fewer means another owner took one when its
// claim ran out, or it is no longer pending. EINVALID without an owner.
func (db *DB) ExtendClaims(ctx context.Context, owner string, until time.Time, ids ...int64) (int, error) {
	if owner == "" {
		return 0, supportbot.Errorf(supportbot.EINVALID, "extending claims needs an owner")
	}
	if len(ids) == 0 {
		return 0, nil
	}
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		args := []any{ms(until), owner}
		for _, id := range ids {
			args = append(args, id)
		}
		res, err := tx.exec(ctx, `UPDATE outbox SET claimed_until = ?
			WHERE status = 'pending' AND claimed_by = ? AND id IN (`+placeholders(len(ids))+`)`, args...)
		if err != nil {
			return fmt.Errorf("extend claims: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}

// ReleaseMessages ends owner's claims on messages it took and will not send
// now (its sending budget ran out): any owner may take them again at once,
// still in their queue's order. Claims of other owners, and messages no
// longer pending, are left alone. EINVALID without an owner.
func (db *DB) ReleaseMessages(ctx context.Context, owner string, ids ...int64) error {
	if owner == "" {
		return supportbot.Errorf(supportbot.EINVALID, "releasing messages needs an owner")
	}
	if len(ids) == 0 {
		return nil
	}
	return db.Update(ctx, func(tx *Tx) error {
		args := []any{owner}
		for _, id := range ids {
			args = append(args, id)
		}
		_, err := tx.exec(ctx, `UPDATE outbox SET claimed_by = '', claimed_until = 0
			WHERE status = 'pending' AND claimed_by = ? AND id IN (`+placeholders(len(ids))+`)`, args...)
		if err != nil {
			return fmt.Errorf("release messages: %w", err)
		}
		return nil
	})
}
