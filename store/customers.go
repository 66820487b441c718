package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"supportbot"
)

// CustomerByPhone finds the customer with a normalised phone; ENOTFOUND if none.
func (tx *Tx) CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error) {
	return tx.findCustomer(ctx, `phone = ?`, phone)
}

// Customer finds a customer by id; ENOTFOUND if none.
func (tx *Tx) Customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	return tx.findCustomer(ctx, `id = ?`, id)
}

func (tx *Tx) findCustomer(ctx context.Context, where string, arg any) (*supportbot.Customer, error) {
	var c supportbot.Customer
	var lang string
	err := tx.tx.QueryRowContext(ctx, `
		SELECT id, name, phone, id_card_last4, language, pending_refunds
		FROM customers WHERE `+where, arg).
		Scan(&c.ID, &c.Name, &c.Phone, &c.IDCardLast4, &lang, &c.PendingRefunds)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("customer not found")
	} else if err != nil {
		return nil, fmt.Errorf("find customer: %w", err)
	}
	c.Language = supportbot.Lang(lang)
	return &c, nil
}

// Cards lists a customer's cards, the default first.
func (tx *Tx) Cards(ctx context.Context, customerID string) ([]supportbot.Card, error) {
	rows, err := tx.tx.QueryContext(ctx, `
		SELECT id, bank, last4, is_default, frozen FROM cards
		WHERE customer_id = ? ORDER BY is_default DESC, id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list cards: %w", err)
	}
	defer rows.Close()
	var cards []supportbot.Card
	for rows.Next() {
		var c supportbot.Card
		if err := rows.Scan(&c.ID, &c.Bank, &c.Last4, &c.Default, &c.Frozen); err != nil {
			return nil, err
		}
		cards = append(cards, c)
	}
	return cards, rows.Err()
}

// Plans lists a customer's plans with their bills, in order id order.
func (tx *Tx) Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error) {
	return tx.plans(ctx, `customer_id = ?`, customerID)
}

// Plan finds one plan of a customer; ENOTFOUND if it does not exist or belongs
// to someone else.
func (tx *Tx) Plan(ctx context.Context, customerID, planID string) (*supportbot.Plan, error) {
	plans, err := tx.plans(ctx, `customer_id = ? AND id = ?`, customerID, planID)
	if err != nil {
		return nil, err
	} else if len(plans) == 0 {
		return nil, notFound("plan not found")
	}
	return &plans[0], nil
}

func (tx *Tx) plans(ctx context.Context, where string, args ...any) ([]supportbot.Plan, error) {
	rows, err := tx.tx.QueryContext(ctx, `
		SELECT id, customer_id, order_no, product, partner, principal_fen, periods,
		       prepay_fee_rate_bp, auto_repay
		FROM plans WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	defer rows.Close()
	var plans []supportbot.Plan
	for rows.Next() {
		var p supportbot.Plan
		if err := rows.Scan(&p.ID, &p.CustomerID, &p.OrderNo, &p.Product, &p.Partner,
			&p.Principal, &p.Periods, &p.PrepayFeeRateBP, &p.AutoRepay); err != nil {
			return nil, err
		}
		plans = append(plans, p)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range plans {
		if plans[i].Bills, err = tx.bills(ctx, plans[i].ID); err != nil {
			return nil, err
		}
	}
	return plans, nil
}

func (tx *Tx) bills(ctx context.Context, planID string) ([]supportbot.Bill, error) {
	rows, err := tx.tx.QueryContext(ctx, `
		SELECT plan_id, period, due_date, principal_fen, fee_fen, late_fee_fen, status
		FROM bills WHERE plan_id = ? ORDER BY period`, planID)
	if err != nil {
		return nil, fmt.Errorf("list bills: %w", err)
	}
	defer rows.Close()
	var bills []supportbot.Bill
	for rows.Next() {
		var b supportbot.Bill
		if err := rows.Scan(&b.PlanID, &b.Period, &b.DueDate, &b.Principal, &b.Fee, &b.LateFee, &b.Status); err != nil {
			return nil, err
		}
		bills = append(bills, b)
	}
	return bills, rows.Err()
}

// Scheduled lists a customer's scheduled repayments, soonest first.
func (tx *Tx) Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error) {
	rows, err := tx.tx.QueryContext(ctx, `
		SELECT id, customer_id, plan_id, period, amount_fen, card_id, run_at, status
		FROM scheduled_repayments WHERE customer_id = ? ORDER BY run_at, id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list scheduled repayments: %w", err)
	}
	defer rows.Close()
	var list []supportbot.ScheduledRepayment
	for rows.Next() {
		var s supportbot.ScheduledRepayment
		var runAt string
		if err := rows.Scan(&s.ID, &s.CustomerID, &s.PlanID, &s.Period, &s.Amount, &s.CardID, &runAt, &s.Status); err != nil {
			return nil, err
		}
		if s.RunAt, err = parseTime(runAt); err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, rows.Err()
}

// CountCustomers is the number of customers, to decide whether to load demo data.
func (db *DB) CountCustomers(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers`).Scan(&n)
	return n, err
}
