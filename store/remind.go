package store

import (
	"context"
	"fmt"

	"supportbot"
)

// Reminders reports whether the customer asked for due-date reminders.
func (db *DB) Reminders(ctx context.Context, customerID string) (bool, error) {
	var n int
	if err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM reminder_subscriptions WHERE customer_id = ?`,
		customerID).Scan(&n); err != nil {
		return false, fmt.Errorf("reminder subscription: %w", err)
	}
	return n > 0, nil
}

// SetReminders switches the customer's due-date reminders on or off and
// reports whether that changed anything.
func (tx *Tx) SetReminders(ctx context.Context, customerID string, on bool) (bool, error) {
	query, args := `DELETE FROM reminder_subscriptions WHERE customer_id = ?`, []any{customerID}
	if on {
		query = `INSERT INTO reminder_subscriptions (customer_id, since) VALUES (?, ?) ON CONFLICT (customer_id) DO NOTHING`
		args = append(args, ms(tx.now))
	}
	res, err := tx.exec(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("set reminders: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ReminderCustomers lists up to limit customers who asked for reminders,
// have a chat the bot can reach, and were not checked for day yet: the
// reminder pass costs what the subscribers do, not the whole customer base.
func (db *DB) ReminderCustomers(ctx context.Context, day supportbot.Date, limit int) ([]string, error) {
	rows, err := db.read().query(ctx, `
		SELECT s.customer_id FROM reminder_subscriptions s
		WHERE NOT EXISTS (SELECT 1 FROM reminder_checks k WHERE k.customer_id = s.customer_id AND k.day = ?)
		  AND EXISTS (SELECT 1 FROM conversations c WHERE c.customer_id = s.customer_id AND c.unreachable = FALSE)
		ORDER BY s.customer_id LIMIT ?`, string(day), limit)
	if err != nil {
		return nil, fmt.Errorf("list reminder subscribers: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ReminderChecked records that a subscriber's reminders for day were looked at.
func (tx *Tx) ReminderChecked(ctx context.Context, customerID string, day supportbot.Date) error {
	_, err := tx.exec(ctx, `INSERT INTO reminder_checks (customer_id, day, checked_at) VALUES (?, ?, ?)
		ON CONFLICT (customer_id, day) DO NOTHING`, customerID, string(day), ms(tx.now))
	return err
}

// RecordReminder records that a reminder was queued; false means it had been
// before, and must not be queued again.
func (tx *Tx) RecordReminder(ctx context.Context, customerID, planID string, period int, kind string) (bool, error) {
	res, err := tx.exec(ctx, `
		INSERT INTO reminders (customer_id, plan_id, period, kind, queued_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (customer_id, plan_id, period, kind) DO NOTHING`,
		customerID, planID, period, kind, ms(tx.now))
	if err != nil {
		return false, fmt.Errorf("record reminder: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
