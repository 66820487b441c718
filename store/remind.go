package store

import (
	"context"
	"fmt"

	"supportbot"
)

// Reminders reports whether the customer asked for due-date reminders.
func (tx *Tx) Reminders(ctx context.Context, customerID string) (bool, error) {
	var n int
	if err := tx.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM reminder_subscriptions WHERE customer_id = ?`,
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
		args = append(args, formatTime(tx.now))
	}
	res, err := tx.tx.ExecContext(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("set reminders: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// ReminderPlans lists, with all their bills, the plans that have an unpaid
// bill due on due for which no reminder of kind was recorded, of customers
// who asked for reminders and have a chat the bot can still reach.
func (tx *Tx) ReminderPlans(ctx context.Context, due supportbot.Date, kind string) ([]supportbot.Plan, error) {
	return tx.plans(ctx, `id IN (
		SELECT b.plan_id FROM bills b
		JOIN plans p ON p.id = b.plan_id
		JOIN reminder_subscriptions s ON s.customer_id = p.customer_id
		WHERE b.due_date = ? AND b.status = 'unpaid'
		  AND NOT EXISTS (SELECT 1 FROM reminders r
			WHERE r.customer_id = p.customer_id AND r.plan_id = b.plan_id AND r.period = b.period AND r.kind = ?)
		  AND EXISTS (SELECT 1 FROM conversations c WHERE c.customer_id = p.customer_id AND c.unreachable = 0))`,
		string(due), kind)
}

// RecordReminder records that a reminder was queued; false means it had been
// before, and must not be queued again.
func (tx *Tx) RecordReminder(ctx context.Context, customerID, planID string, period int, kind string) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO reminders (customer_id, plan_id, period, kind, queued_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (customer_id, plan_id, period, kind) DO NOTHING`,
		customerID, planID, period, kind, formatTime(tx.now))
	if err != nil {
		return false, fmt.Errorf("record reminder: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
