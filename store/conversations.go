package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"supportbot"
)

// Conversation loads a chat's conversation; ENOTFOUND when the chat is new.
func (tx *Tx) Conversation(ctx context.Context, chatID int64) (*supportbot.Conversation, error) {
	c := supportbot.Conversation{ChatID: chatID}
	var lang, slots, transcript, updated string
	var customer sql.NullString
	err := tx.tx.QueryRowContext(ctx, `
		SELECT user_id, lang, lang_chosen, customer_id, flow, state, slots, nonce, misses, transcript, updated_at
		FROM conversations WHERE chat_id = ?`, chatID).
		Scan(&c.UserID, &lang, &c.LangChosen, &customer, &c.Flow, &c.State, &slots, &c.Nonce, &c.Misses, &transcript, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("conversation not found")
	} else if err != nil {
		return nil, fmt.Errorf("find conversation: %w", err)
	}
	c.Lang, c.CustomerID = supportbot.Lang(lang), customer.String
	if err := json.Unmarshal([]byte(slots), &c.Slots); err != nil {
		return nil, fmt.Errorf("conversation slots: %w", err)
	}
	if err := json.Unmarshal([]byte(transcript), &c.Transcript); err != nil {
		return nil, fmt.Errorf("conversation transcript: %w", err)
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &c, nil
}

// SaveConversation inserts or replaces a chat's conversation.
func (tx *Tx) SaveConversation(ctx context.Context, c *supportbot.Conversation) error {
	slots, err := json.Marshal(c.Slots)
	if err != nil {
		return err
	}
	if c.Slots == nil {
		slots = []byte("{}")
	}
	transcript, err := json.Marshal(c.Transcript)
	if err != nil {
		return err
	}
	if c.Transcript == nil {
		transcript = []byte("[]")
	}
	c.UpdatedAt = tx.now
	var customer any
	if c.CustomerID != "" {
		customer = c.CustomerID
	}
	_, err = tx.tx.ExecContext(ctx, `
		INSERT INTO conversations (chat_id, user_id, lang, lang_chosen, customer_id, flow, state, slots, nonce, misses, transcript, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (chat_id) DO UPDATE SET
			user_id = excluded.user_id, lang = excluded.lang, lang_chosen = excluded.lang_chosen,
			customer_id = excluded.customer_id, flow = excluded.flow, state = excluded.state,
			slots = excluded.slots, nonce = excluded.nonce, misses = excluded.misses, transcript = excluded.transcript,
			updated_at = excluded.updated_at, unreachable = 0`,
		c.ChatID, c.UserID, string(c.Lang), c.LangChosen, customer, c.Flow, c.State,
		string(slots), c.Nonce, c.Misses, string(transcript), formatTime(c.UpdatedAt))
	if err != nil {
		return fmt.Errorf("save conversation: %w", err)
	}
	return nil
}

// MarkUpdate records an update id as processed; it reports false when the
// update was processed before (a redelivery), in which case the caller skips it.
func (tx *Tx) MarkUpdate(ctx context.Context, updateID int64) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?)
		ON CONFLICT (update_id) DO NOTHING`, updateID, formatTime(tx.now))
	if err != nil {
		return false, fmt.Errorf("mark update %d: %w", updateID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CustomerConversations lists the reachable chats linked to a customer.
func (tx *Tx) CustomerConversations(ctx context.Context, customerID string) ([]supportbot.Conversation, error) {
	rows, err := tx.tx.QueryContext(ctx, `
		SELECT chat_id, lang FROM conversations WHERE customer_id = ? AND unreachable = 0 ORDER BY chat_id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list conversations of customer: %w", err)
	}
	defer rows.Close()
	var list []supportbot.Conversation
	for rows.Next() {
		var c supportbot.Conversation
		var lang string
		if err := rows.Scan(&c.ChatID, &lang); err != nil {
			return nil, err
		}
		c.Lang = supportbot.Lang(lang)
		list = append(list, c)
	}
	return list, rows.Err()
}
