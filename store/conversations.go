package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"supportbot"
)

const conversationColumns = `user_id, lang, lang_chosen, customer_id, linked_phone, flow, state, slots, nonce, misses, transcript, updated_at`

// Conversation loads a chat's conversation; ENOTFOUND when the chat is new.
func (db *DB) Conversation(ctx context.Context, chatID int64) (*supportbot.Conversation, error) {
	return conversation(ctx, db.read(), chatID)
}

func conversation(ctx context.Context, r reader, chatID int64) (*supportbot.Conversation, error) {
	c := supportbot.Conversation{ChatID: chatID}
	var lang, slots, transcript string
	var customer sql.NullString
	err := r.queryRow(ctx, `SELECT `+conversationColumns+`, unreachable FROM conversations WHERE chat_id = ?`, chatID).
		Scan(&c.UserID, &lang, &c.LangChosen, &customer, &c.LinkedPhone, &c.Flow, &c.State, &slots, &c.Nonce, &c.Misses,
			&transcript, msTime{&c.UpdatedAt}, &c.Unreachable)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("conversation not found")
	} else if err != nil {
		return nil, fmt.Errorf("find conversation: %w", err)
	}
	c.Lang, c.CustomerID, c.Slots = supportbot.Lang(lang), customer.String, json.RawMessage(slots)
	if c.Transcript, err = supportbot.ParseTranscript(transcript); err != nil {
		return nil, fmt.Errorf("conversation transcript: %w", err)
	}
	return &c, nil
}

// Conversation reads a conversation inside the transaction.
func (tx *Tx) Conversation(ctx context.Context, chatID int64) (*supportbot.Conversation, error) {
	return conversation(ctx, tx, chatID)
}

// SaveConversation inserts or replaces a chat's conversation, reachable or
// not as c says (a step of the chat's own message makes it reachable; an
// agent's doing leaves it as it was read).
func (tx *Tx) SaveConversation(ctx context.Context, c *supportbot.Conversation) error {
	slots := string(c.Slots)
	if slots == "" || slots == "null" {
		slots = "{}"
	}
	c.UpdatedAt = tx.now
	var customer any
	if c.CustomerID != "" {
		customer = c.CustomerID
	}
	_, err := tx.exec(ctx, `
		INSERT INTO conversations (chat_id, `+conversationColumns+`, unreachable)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET
			user_id = excluded.user_id, lang = excluded.lang, lang_chosen = excluded.lang_chosen,
			customer_id = excluded.customer_id, linked_phone = excluded.linked_phone, flow = excluded.flow,
			state = excluded.state, slots = excluded.slots, nonce = excluded.nonce, misses = excluded.misses,
			transcript = excluded.transcript, updated_at = excluded.updated_at, unreachable = excluded.unreachable`,
		c.ChatID, c.UserID, string(c.Lang), c.LangChosen, customer, c.LinkedPhone, c.Flow, c.State,
		slots, c.Nonce, c.Misses, c.Transcript.String(), ms(c.UpdatedAt), c.Unreachable)
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	return nil
}

// CustomerConversations lists the reachable chats linked to a customer.
func (db *DB) CustomerConversations(ctx context.Context, customerID string) ([]supportbot.Conversation, error) {
	return customerConversations(ctx, db.read(), customerID)
}

// CustomerConversations lists them inside the transaction.
func (tx *Tx) CustomerConversations(ctx context.Context, customerID string) ([]supportbot.Conversation, error) {
	return customerConversations(ctx, tx, customerID)
}

func customerConversations(ctx context.Context, r reader, customerID string) ([]supportbot.Conversation, error) {
	rows, err := r.query(ctx, `
		SELECT chat_id, lang, lang_chosen, linked_phone FROM conversations
		WHERE customer_id = ? AND unreachable = FALSE ORDER BY chat_id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list conversations of customer: %w", err)
	}
	defer rows.Close()
	var list []supportbot.Conversation
	for rows.Next() {
		c := supportbot.Conversation{CustomerID: customerID}
		var lang string
		if err := rows.Scan(&c.ChatID, &lang, &c.LangChosen, &c.LinkedPhone); err != nil {
			return nil, err
		}
		c.Lang = supportbot.Lang(lang)
		list = append(list, c)
	}
	return list, rows.Err()
}

// MarkUnreachable records that a chat will take no message (Telegram said
// the user blocked the bot or the chat is gone) and gives up what is queued
// for it; the next message from the chat makes it reachable again.
func (tx *Tx) MarkUnreachable(ctx context.Context, chatID int64, reason string) error {
	if _, err := tx.exec(ctx, `UPDATE conversations SET unreachable = TRUE WHERE chat_id = ?`, chatID); err != nil {
		return fmt.Errorf("mark chat unreachable: %w", err)
	}
	_, err := tx.exec(ctx, `UPDATE outbox SET status = 'failed', done_at = ?, last_error = ? WHERE chat_id = ? AND status = 'pending'`,
		ms(tx.now), reason, chatID)
	return err
}
