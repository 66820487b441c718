package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"supportbot"
)

// CancelPeriodSchedules cancels the still-scheduled repayments of exactly the
// given periods of a customer's plan (after those bills were paid they would
// charge twice) and returns their ids. No periods cancels nothing: unlike
// PayBills, an empty list never means "all of them".
func (tx *Tx) CancelPeriodSchedules(ctx context.Context, customerID, planID string, periods ...int) ([]string, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	args := []any{customerID, planID}
	for _, p := range periods {
		args = append(args, p)
	}
	rows, err := tx.tx.QueryContext(ctx, `
		UPDATE scheduled_repayments SET status = 'cancelled'
		WHERE customer_id = ? AND plan_id = ? AND status = 'scheduled'
		  AND period IN (?`+strings.Repeat(",?", len(periods)-1)+`)
		RETURNING id`, args...)
	if err != nil {
		return nil, fmt.Errorf("cancel schedules of %s periods %v: %w", planID, periods, err)
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

// SetAutoRepay switches auto-repayment of a customer's plan on or off and
// reports whether that changed anything. ENOTFOUND if the plan is not the
// customer's.
func (tx *Tx) SetAutoRepay(ctx context.Context, customerID, planID string, on bool) (bool, error) {
	var cur bool
	err := tx.tx.QueryRowContext(ctx, `SELECT auto_repay FROM plans WHERE id = ? AND customer_id = ?`, planID, customerID).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return false, notFound("plan not found")
	} else if err != nil {
		return false, fmt.Errorf("find plan %s: %w", planID, err)
	}
	if cur == on {
		return false, nil
	}
	if _, err := tx.tx.ExecContext(ctx, `UPDATE plans SET auto_repay = ? WHERE id = ? AND customer_id = ?`, on, planID, customerID); err != nil {
		return false, fmt.Errorf("set auto-repay of %s: %w", planID, err)
	}
	return true, nil
}

// SetDefaultCard makes one of a customer's cards the default, and no other,
// and reports whether that changed anything. ENOTFOUND if the card is not the
// customer's; EINVALID if it is frozen (the bank declines every debit on it).
func (tx *Tx) SetDefaultCard(ctx context.Context, customerID, cardID string) (bool, error) {
	var frozen bool
	err := tx.tx.QueryRowContext(ctx, `SELECT frozen FROM cards WHERE customer_id = ? AND id = ?`, customerID, cardID).Scan(&frozen)
	if errors.Is(err, sql.ErrNoRows) {
		return false, notFound("card not found")
	} else if err != nil {
		return false, fmt.Errorf("find card %s: %w", cardID, err)
	}
	if frozen {
		return false, supportbot.Errorf(supportbot.EINVALID, "card %s is frozen", cardID)
	}
	res, err := tx.tx.ExecContext(ctx, `
		UPDATE cards SET is_default = CASE WHEN id = ? THEN 1 ELSE 0 END
		WHERE customer_id = ? AND is_default <> CASE WHEN id = ? THEN 1 ELSE 0 END`,
		cardID, customerID, cardID)
	if err != nil {
		return false, fmt.Errorf("set default card %s: %w", cardID, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
