package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"supportbot"
)

// Payment finds a payment by its idempotency key; ENOTFOUND if none.
func (tx *Tx) Payment(ctx context.Context, key string) (*supportbot.Payment, error) {
	var p supportbot.Payment
	var created string
	err := tx.tx.QueryRowContext(ctx, `
		SELECT id, idempotency_key, kind, customer_id, plan_id, card_id, amount_fen, created_at
		FROM payments WHERE idempotency_key = ?`, key).
		Scan(&p.ID, &p.Key, &p.Kind, &p.CustomerID, &p.PlanID, &p.CardID, &p.Amount, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("payment not found")
	} else if err != nil {
		return nil, fmt.Errorf("find payment: %w", err)
	}
	if p.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	return &p, nil
}

// RecordPayment records a payment; ECONFLICT when its key was used before.
func (tx *Tx) RecordPayment(ctx context.Context, p *supportbot.Payment) error {
	p.CreatedAt = tx.now
	res, err := tx.tx.ExecContext(ctx, `
		INSERT INTO payments (idempotency_key, kind, customer_id, plan_id, card_id, amount_fen, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		p.Key, p.Kind, p.CustomerID, p.PlanID, p.CardID, int64(p.Amount), formatTime(p.CreatedAt))
	if isConstraint(err) {
		return supportbot.Errorf(supportbot.ECONFLICT, "payment %s already recorded", p.Key)
	} else if err != nil {
		return fmt.Errorf("record payment: %w", err)
	}
	p.ID, err = res.LastInsertId()
	return err
}

// PayBills marks the given unpaid periods of a customer's plan paid (none
// given: nothing, like CancelPeriodSchedules). It returns how many changed.
func (tx *Tx) PayBills(ctx context.Context, customerID, planID string, periods ...int) (int, error) {
	if len(periods) == 0 {
		return 0, nil
	}
	args := []any{planID, customerID}
	for _, p := range periods {
		args = append(args, p)
	}
	res, err := tx.tx.ExecContext(ctx, `UPDATE bills SET status = 'paid'
		WHERE status = 'unpaid' AND plan_id = (SELECT id FROM plans WHERE id = ? AND customer_id = ?)
		  AND period IN (?`+strings.Repeat(",?", len(periods)-1)+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("pay bills of %s: %w", planID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// CancelScheduled cancels one scheduled repayment if it belongs to the
// customer and is still scheduled; it reports whether it did. Ownership is in
// the query, so a forged id of someone else's schedule changes nothing.
func (tx *Tx) CancelScheduled(ctx context.Context, customerID, id string) (bool, error) {
	res, err := tx.tx.ExecContext(ctx, `
		UPDATE scheduled_repayments SET status = 'cancelled'
		WHERE id = ? AND customer_id = ? AND status = 'scheduled'`, id, customerID)
	if err != nil {
		return false, fmt.Errorf("cancel scheduled %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
