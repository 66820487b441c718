package store

import (
	"context"
	"encoding/json"
	"fmt"
	"math"

	"supportbot"
)

// AppendAudit adds an entry to the audit log.
func (tx *Tx) AppendAudit(ctx context.Context, e supportbot.AuditEntry) error {
	details, err := json.Marshal(e.Details)
	if err != nil {
		return err
	}
	if e.Details == nil {
		details = []byte("{}")
	}
	_, err = tx.exec(ctx, `
		INSERT INTO audit_log (time, action, customer_id, chat_id, details) VALUES (?, ?, ?, ?, ?)`,
		ms(tx.now), e.Action, e.CustomerID, e.ChatID, string(details))
	if err != nil {
		return fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return nil
}

// Audit lists the audit log in order, of one customer when customerID is set.
func (db *DB) Audit(ctx context.Context, customerID string) ([]supportbot.AuditEntry, error) {
	rows, err := db.read().query(ctx, `
		SELECT id, time, action, customer_id, chat_id, details FROM audit_log
		WHERE ? = '' OR customer_id = ? ORDER BY id`, customerID, customerID)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var list []supportbot.AuditEntry
	for rows.Next() {
		var e supportbot.AuditEntry
		var details string
		if err := rows.Scan(&e.ID, msTime{&e.Time}, &e.Action, &e.CustomerID, &e.ChatID, &details); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(details), &e.Details); err != nil {
			return nil, fmt.Errorf("audit %d details: %w", e.ID, err)
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// AddNotice adds a message-center entry for a customer.
func (tx *Tx) AddNotice(ctx context.Context, n supportbot.Notice) error {
	params, err := json.Marshal(n.Params)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `
		INSERT INTO notices (customer_id, time, kind, params) VALUES (?, ?, ?, ?)`,
		n.CustomerID, ms(tx.now), n.Kind, string(params))
	if err != nil {
		return fmt.Errorf("add notice %s: %w", n.Kind, err)
	}
	return nil
}

// Notices lists a customer's message-center entries, newest first: the
// latest limit, or those before the entry with id before (0: the latest).
func (db *DB) Notices(ctx context.Context, customerID string, before int64, limit int) ([]supportbot.Notice, error) {
	if before <= 0 {
		before = math.MaxInt64
	}
	rows, err := db.read().query(ctx, `
		SELECT id, customer_id, time, kind, params FROM notices
		WHERE customer_id = ? AND id < ? ORDER BY id DESC LIMIT ?`, customerID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list notices: %w", err)
	}
	defer rows.Close()
	var list []supportbot.Notice
	for rows.Next() {
		var n supportbot.Notice
		var params string
		if err := rows.Scan(&n.ID, &n.CustomerID, msTime{&n.Time}, &n.Kind, &params); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(params), &n.Params); err != nil {
			return nil, err
		}
		list = append(list, n)
	}
	return list, rows.Err()
}
