package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"supportbot"
)

// The embedded core's data: customers, cards, plans and bills, scheduled
// repayments, closure requests (imported, or the demo), and what the
// embedded core keeps for itself: quotes, repayments, the first answer to
// every other action per idempotency key, and the events it owes the bot.
// The rules live in embedcore; this is their SQL.

// CoreView reads the embedded core's data, outside a transaction or inside one.
type CoreView struct{ r reader }

// CoreView reads outside a transaction.
func (db *DB) CoreView() CoreView { return CoreView{db.read()} }

// CoreView reads inside the transaction.
func (tx *Tx) CoreView() CoreView { return CoreView{tx} }

// CustomerByPhone finds the customer with an E.164 phone; ENOTFOUND if none.
func (v CoreView) CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error) {
	return v.findCustomer(ctx, `phone = ?`, phone)
}

// Customer finds a customer by id; ENOTFOUND if none.
func (v CoreView) Customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	return v.findCustomer(ctx, `id = ?`, id)
}

func (v CoreView) findCustomer(ctx context.Context, where string, arg any) (*supportbot.Customer, error) {
	var c supportbot.Customer
	var lang string
	err := v.r.queryRow(ctx, `
		SELECT id, name, phone, id_card_last4, language, pending_refunds FROM customers WHERE `+where, arg).
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
func (v CoreView) Cards(ctx context.Context, customerID string) ([]supportbot.Card, error) {
	rows, err := v.r.query(ctx, `
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

// Plans lists a customer's plans with their bills, in plan id order: one
// query for the plans and their bills together.
func (v CoreView) Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error) {
	return v.plans(ctx, `p.customer_id = ?`, customerID)
}

// Plan finds one plan of a customer; ENOTFOUND if it does not exist or
// belongs to someone else.
func (v CoreView) Plan(ctx context.Context, customerID, planID string) (*supportbot.Plan, error) {
	plans, err := v.plans(ctx, `p.customer_id = ? AND p.id = ?`, customerID, planID)
	if err != nil {
		return nil, err
	} else if len(plans) == 0 {
		return nil, notFound("plan not found")
	}
	return &plans[0], nil
}

func (v CoreView) plans(ctx context.Context, where string, args ...any) ([]supportbot.Plan, error) {
	rows, err := v.r.query(ctx, `
		SELECT p.id, p.customer_id, p.order_no, p.product, p.partner, p.principal_fen, p.periods,
		       p.prepay_fee_rate_bp, p.auto_repay,
		       b.period, b.due_date, b.principal_fen, b.fee_fen, b.late_fee_fen, b.status
		FROM plans p LEFT JOIN bills b ON b.plan_id = p.id
		WHERE `+where+` ORDER BY p.id, b.period`, args...)
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	defer rows.Close()
	var plans []supportbot.Plan
	for rows.Next() {
		var p supportbot.Plan
		var period sql.NullInt64
		var due, status sql.NullString
		var principal, fee, late sql.NullInt64
		if err := rows.Scan(&p.ID, &p.CustomerID, &p.OrderNo, &p.Product, &p.Partner, &p.Principal, &p.Periods,
			&p.PrepayFeeRateBP, &p.AutoRepay, &period, &due, &principal, &fee, &late, &status); err != nil {
			return nil, err
		}
		if n := len(plans); n == 0 || plans[n-1].ID != p.ID {
			plans = append(plans, p)
		}
		if period.Valid {
			last := &plans[len(plans)-1]
			last.Bills = append(last.Bills, supportbot.Bill{PlanID: p.ID, Period: int(period.Int64),
				DueDate: supportbot.Date(due.String), Principal: supportbot.Money(principal.Int64),
				Fee: supportbot.Money(fee.Int64), LateFee: supportbot.Money(late.Int64), Status: status.String})
		}
	}
	return plans, rows.Err()
}

// Scheduled lists a customer's scheduled repayments, soonest first.
func (v CoreView) Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error) {
	rows, err := v.r.query(ctx, `
		SELECT id, customer_id, plan_id, period, amount_fen, card_id, run_at, status
		FROM scheduled_repayments WHERE customer_id = ? ORDER BY run_at, id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list scheduled repayments: %w", err)
	}
	defer rows.Close()
	var list []supportbot.ScheduledRepayment
	for rows.Next() {
		var s supportbot.ScheduledRepayment
		if err := rows.Scan(&s.ID, &s.CustomerID, &s.PlanID, &s.Period, &s.Amount, &s.CardID, msTime{&s.RunAt}, &s.Status); err != nil {
			return nil, err
		}
		list = append(list, s)
	}
	return list, rows.Err()
}

const closureColumns = `reference, customer_id, status, reason, created_at, expected_from, expected_to, decided_at`

func scanClosure(row interface{ Scan(...any) error }) (*supportbot.ClosureRequest, error) {
	var r supportbot.ClosureRequest
	var from, to string
	if err := row.Scan(&r.Reference, &r.CustomerID, &r.Status, &r.Reason, msTime{&r.CreatedAt}, &from, &to, nullTime{&r.DecidedAt}); err != nil {
		return nil, err
	}
	r.ExpectedFrom, r.ExpectedTo = supportbot.Date(from), supportbot.Date(to)
	return &r, nil
}

// ClosureRequests lists a customer's closure requests, newest first.
func (v CoreView) ClosureRequests(ctx context.Context, customerID string) ([]supportbot.ClosureRequest, error) {
	rows, err := v.r.query(ctx, `SELECT `+closureColumns+` FROM closure_requests WHERE customer_id = ?
		ORDER BY day DESC, seq DESC`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list closure requests: %w", err)
	}
	defer rows.Close()
	var list []supportbot.ClosureRequest
	for rows.Next() {
		r, err := scanClosure(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, *r)
	}
	return list, rows.Err()
}

// ClosureRequest finds a closure request by reference; ENOTFOUND if none.
func (v CoreView) ClosureRequest(ctx context.Context, ref string) (*supportbot.ClosureRequest, error) {
	r, err := scanClosure(v.r.queryRow(ctx, `SELECT `+closureColumns+` FROM closure_requests WHERE reference = ?`, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("closure request %s not found", ref)
	} else if err != nil {
		return nil, fmt.Errorf("find closure request: %w", err)
	}
	return r, nil
}

// CountCustomers is the number of customers, to decide whether to load demo data.
func (db *DB) CountCustomers(ctx context.Context) (int, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM customers`).Scan(&n)
	return n, err
}

// Blank reports a database nothing was written to but its schema: no
// customer, conversation, update, action, notice or audit entry.
func (db *DB) Blank(ctx context.Context) (bool, error) {
	var used bool
	err := db.read().queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM customers) OR EXISTS (SELECT 1 FROM conversations)
		OR EXISTS (SELECT 1 FROM inbox) OR EXISTS (SELECT 1 FROM actions) OR EXISTS (SELECT 1 FROM announcements)
		OR EXISTS (SELECT 1 FROM audit_log)`).Scan(&used)
	return !used, err
}

// PayBills marks the given unpaid periods of a customer's plan paid and
// returns how many changed. No periods pays nothing.
func (tx *Tx) PayBills(ctx context.Context, customerID, planID string, periods ...int) (int, error) {
	if len(periods) == 0 {
		return 0, nil
	}
	args := []any{planID, customerID}
	for _, p := range periods {
		args = append(args, p)
	}
	res, err := tx.exec(ctx, `UPDATE bills SET status = 'paid'
		WHERE status = 'unpaid' AND plan_id = (SELECT id FROM plans WHERE id = ? AND customer_id = ?)
		  AND period IN (`+placeholders(len(periods))+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("pay bills of %s: %w", planID, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// CancelPeriodSchedules cancels the still-scheduled repayments of exactly the
// given periods of a customer's plan and returns their ids; no periods
// cancels nothing.
func (tx *Tx) CancelPeriodSchedules(ctx context.Context, customerID, planID string, periods ...int) ([]string, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	args := []any{customerID, planID}
	for _, p := range periods {
		args = append(args, p)
	}
	rows, err := tx.query(ctx, `
		UPDATE scheduled_repayments SET status = 'cancelled'
		WHERE customer_id = ? AND plan_id = ? AND status = 'scheduled' AND period IN (`+placeholders(len(periods))+`)
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

// CancelScheduled cancels one scheduled repayment if it belongs to the
// customer and is still scheduled; it reports whether it did.
func (tx *Tx) CancelScheduled(ctx context.Context, customerID, id string) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE scheduled_repayments SET status = 'cancelled'
		WHERE id = ? AND customer_id = ? AND status = 'scheduled'`, id, customerID)
	if err != nil {
		return false, fmt.Errorf("cancel scheduled %s: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SetAutoRepay switches a customer's plan's auto-repayment; ENOTFOUND if the
// plan is not the customer's.
func (tx *Tx) SetAutoRepay(ctx context.Context, customerID, planID string, on bool) error {
	res, err := tx.exec(ctx, `UPDATE plans SET auto_repay = ? WHERE id = ? AND customer_id = ?`, on, planID, customerID)
	if err != nil {
		return fmt.Errorf("set auto-repay of %s: %w", planID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return notFound("plan not found")
	}
	return nil
}

// SetDefaultCard makes one of a customer's cards the default, and no other.
func (tx *Tx) SetDefaultCard(ctx context.Context, customerID, cardID string) error {
	_, err := tx.exec(ctx, `UPDATE cards SET is_default = (id = ?) WHERE customer_id = ?`, cardID, customerID)
	if err != nil {
		return fmt.Errorf("set default card %s: %w", cardID, err)
	}
	return nil
}

// CreateClosureRequest submits a closure request for the customer, expected
// to be done between from and to. Its reference is CR-YYYYMMDD-NNNN: today
// and the next number of that day's sequence, allocated in this transaction
// by an upsert (atomic in SQLite and PostgreSQL alike), so two requests never
// share one. ECONFLICT when the customer already has an open request.
func (tx *Tx) CreateClosureRequest(ctx context.Context, customerID string, today, from, to supportbot.Date) (*supportbot.ClosureRequest, error) {
	var seq int
	err := tx.queryRow(ctx, `
		INSERT INTO closure_sequences (day, last_seq) VALUES (?, 1)
		ON CONFLICT (day) DO UPDATE SET last_seq = closure_sequences.last_seq + 1
		RETURNING last_seq`, string(today)).Scan(&seq)
	if err != nil {
		return nil, fmt.Errorf("allocate closure reference: %w", err)
	}
	r := &supportbot.ClosureRequest{
		Reference:  fmt.Sprintf("CR-%s-%04d", strings.ReplaceAll(string(today), "-", ""), seq),
		CustomerID: customerID, Status: supportbot.ClosureSubmitted,
		CreatedAt: tx.now.Truncate(time.Millisecond), ExpectedFrom: from, ExpectedTo: to,
	}
	_, err = tx.exec(ctx, `
		INSERT INTO closure_requests (reference, customer_id, status, reason, created_at, expected_from, expected_to, day, seq)
		VALUES (?, ?, ?, '', ?, ?, ?, ?, ?)`,
		r.Reference, r.CustomerID, r.Status, ms(r.CreatedAt), string(from), string(to), string(today), seq)
	switch {
	case tx.d.foreignKey(err):
		return nil, notFound("customer %s not found", customerID)
	case tx.d.unique(err):
		return nil, supportbot.Errorf(supportbot.ECONFLICT, "customer %s has an open closure request", customerID)
	case err != nil:
		return nil, fmt.Errorf("create closure request: %w", err)
	}
	return r, nil
}

// DecideClosure records the decision on a submitted closure request;
// ECONFLICT when it was decided already.
func (tx *Tx) DecideClosure(ctx context.Context, ref, status, reason string) (*supportbot.ClosureRequest, error) {
	res, err := tx.exec(ctx, `UPDATE closure_requests SET status = ?, reason = ?, decided_at = ?
		WHERE reference = ? AND status = 'submitted'`, status, reason, ms(tx.now), ref)
	if err != nil {
		return nil, fmt.Errorf("decide closure request %s: %w", ref, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n != 1 {
		r, err := tx.CoreView().ClosureRequest(ctx, ref)
		if err != nil {
			return nil, err
		}
		return nil, supportbot.Errorf(supportbot.ECONFLICT, "closure request %s is already %s", ref, r.Status)
	}
	return tx.CoreView().ClosureRequest(ctx, ref)
}

// StoredQuote is a quote the embedded core made, with the state of the plan
// it was made from.
type StoredQuote struct {
	supportbot.Quote
	Fingerprint string
}

// SaveQuote keeps a quote.
func (tx *Tx) SaveQuote(ctx context.Context, q *StoredQuote) error {
	periods, _ := json.Marshal(q.Periods)
	excluded, _ := json.Marshal(q.Excluded)
	_, err := tx.exec(ctx, `
		INSERT INTO core_quotes (id, customer_id, plan_id, kind, periods, excluded, amount_fen, principal_fen, fees_fen,
			late_fees_fen, prepay_fee_fen, fingerprint, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		q.ID, q.CustomerID, q.PlanID, string(q.Kind), string(periods), string(excluded), int64(q.Amount),
		int64(q.Parts.Principal), int64(q.Parts.Fees), int64(q.Parts.LateFees), int64(q.Parts.PrepayFee),
		q.Fingerprint, ms(tx.now), ms(q.ExpiresAt))
	if err != nil {
		return fmt.Errorf("save quote: %w", err)
	}
	return nil
}

// Quote finds a quote; ENOTFOUND if none.
func (v CoreView) Quote(ctx context.Context, id string) (*StoredQuote, error) {
	var q StoredQuote
	var kind, periods, excluded string
	err := v.r.queryRow(ctx, `
		SELECT id, customer_id, plan_id, kind, periods, excluded, amount_fen, principal_fen, fees_fen, late_fees_fen,
			prepay_fee_fen, fingerprint, expires_at
		FROM core_quotes WHERE id = ?`, id).
		Scan(&q.ID, &q.CustomerID, &q.PlanID, &kind, &periods, &excluded, &q.Amount, &q.Parts.Principal, &q.Parts.Fees,
			&q.Parts.LateFees, &q.Parts.PrepayFee, &q.Fingerprint, msTime{&q.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("quote not found")
	} else if err != nil {
		return nil, fmt.Errorf("find quote: %w", err)
	}
	q.Kind = supportbot.QuoteKind(kind)
	if err := json.Unmarshal([]byte(periods), &q.Periods); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(excluded), &q.Excluded); err != nil {
		return nil, err
	}
	return &q, nil
}

// SaveRepayment records a repayment; ECONFLICT when its key was used before.
func (tx *Tx) SaveRepayment(ctx context.Context, r *supportbot.Repayment) error {
	periods, _ := json.Marshal(r.Periods)
	cancelled, _ := json.Marshal(r.CancelledScheduledIDs)
	if r.CancelledScheduledIDs == nil {
		cancelled = []byte("[]")
	}
	_, err := tx.exec(ctx, `
		INSERT INTO core_repayments (id, idempotency_key, quote_id, customer_id, plan_id, card_id, amount_fen, periods, status,
			decline_reason, cancelled, created_at, settled_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.Key, r.QuoteID, r.CustomerID, r.PlanID, r.CardID, int64(r.Amount), string(periods), string(r.Status),
		r.DeclineReason, string(cancelled), ms(r.CreatedAt), optMS(r.SettledAt))
	if tx.d.unique(err) {
		return supportbot.Errorf(supportbot.ECONFLICT, "repayment key %s used before", r.Key)
	} else if err != nil {
		return fmt.Errorf("save repayment: %w", err)
	}
	return nil
}

// RepaymentByKey finds the repayment made with an idempotency key; ENOTFOUND if none.
func (v CoreView) RepaymentByKey(ctx context.Context, key string) (*supportbot.Repayment, error) {
	var r supportbot.Repayment
	var periods, cancelled, status string
	err := v.r.queryRow(ctx, `
		SELECT id, idempotency_key, quote_id, customer_id, plan_id, card_id, amount_fen, periods, status, decline_reason,
			cancelled, created_at, settled_at
		FROM core_repayments WHERE idempotency_key = ?`, key).
		Scan(&r.ID, &r.Key, &r.QuoteID, &r.CustomerID, &r.PlanID, &r.CardID, &r.Amount, &periods, &status,
			&r.DeclineReason, &cancelled, msTime{&r.CreatedAt}, nullTime{&r.SettledAt})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("repayment not found")
	} else if err != nil {
		return nil, fmt.Errorf("find repayment: %w", err)
	}
	r.Status = supportbot.RepaymentStatus(status)
	if err := json.Unmarshal([]byte(periods), &r.Periods); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(cancelled), &r.CancelledScheduledIDs); err != nil {
		return nil, err
	}
	return &r, nil
}

// Repayments lists every repayment of a customer, oldest first (the ledger
// tests and operators read).
func (v CoreView) Repayments(ctx context.Context, customerID string) ([]supportbot.Repayment, error) {
	rows, err := v.r.query(ctx, `SELECT idempotency_key FROM core_repayments WHERE customer_id = ? ORDER BY created_at, id`, customerID)
	if err != nil {
		return nil, err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	list := make([]supportbot.Repayment, 0, len(keys))
	for _, k := range keys {
		r, err := v.RepaymentByKey(ctx, k)
		if err != nil {
			return nil, err
		}
		list = append(list, *r)
	}
	return list, rows.Err()
}

// CoreRequest is the first final answer the embedded core gave to an action
// under an idempotency key.
type CoreRequest struct {
	Op       string
	Request  string // what was asked (a canonical form): the same key with another request is refused
	Response []byte
}

// CoreRequest finds the answer kept for a key; ENOTFOUND if none.
func (v CoreView) CoreRequest(ctx context.Context, key string) (*CoreRequest, error) {
	var r CoreRequest
	var resp string
	err := v.r.queryRow(ctx, `SELECT op, request, response FROM core_requests WHERE idempotency_key = ?`, key).
		Scan(&r.Op, &r.Request, &resp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("no answer kept for the key")
	} else if err != nil {
		return nil, fmt.Errorf("find core request: %w", err)
	}
	r.Response = []byte(resp)
	return &r, nil
}

// SaveCoreRequest keeps the first final answer for a key.
func (tx *Tx) SaveCoreRequest(ctx context.Context, key string, r CoreRequest) error {
	_, err := tx.exec(ctx, `INSERT INTO core_requests (idempotency_key, op, request, response, created_at) VALUES (?, ?, ?, ?, ?)`,
		key, r.Op, r.Request, string(r.Response), ms(tx.now))
	if tx.d.unique(err) {
		return supportbot.Errorf(supportbot.ECONFLICT, "key %s used before", key)
	} else if err != nil {
		return fmt.Errorf("save core request: %w", err)
	}
	return nil
}

// EmitCoreEvent records an event the embedded core owes the bot; the bot
// takes it like one posted by a remote core.
func (tx *Tx) EmitCoreEvent(ctx context.Context, ev supportbot.CoreEvent) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO core_events (id, type, data, created_at) VALUES (?, ?, ?, ?)`,
		ev.ID, string(ev.Type), string(data), ms(ev.CreatedAt))
	if err != nil {
		return fmt.Errorf("emit core event: %w", err)
	}
	return nil
}

// PendingCoreEvents lists up to limit events of the embedded core not yet
// delivered to the bot, oldest first.
func (db *DB) PendingCoreEvents(ctx context.Context, limit int) ([]supportbot.CoreEvent, error) {
	rows, err := db.read().query(ctx, `SELECT data FROM core_events WHERE delivered_at IS NULL ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("pending core events: %w", err)
	}
	defer rows.Close()
	var list []supportbot.CoreEvent
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		var ev supportbot.CoreEvent
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return nil, fmt.Errorf("core event: %w", err)
		}
		list = append(list, ev)
	}
	return list, rows.Err()
}

// CoreEventDelivered marks an embedded core event delivered.
func (tx *Tx) CoreEventDelivered(ctx context.Context, id string) error {
	_, err := tx.exec(ctx, `UPDATE core_events SET delivered_at = ? WHERE id = ?`, ms(tx.now), id)
	return err
}
