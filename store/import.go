package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"supportbot"
)

// ImportCounts says what an import did to the rows of one table.
type ImportCounts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// ImportStats counts, per table, the rows an import inserted, updated or
// found already as the file has them.
type ImportStats struct {
	Customers ImportCounts `json:"customers"`
	Cards     ImportCounts `json:"cards"`
	Plans     ImportCounts `json:"plans"`
	Bills     ImportCounts `json:"bills"`
	Scheduled ImportCounts `json:"scheduled_repayments"`
}

// Changed reports whether the import wrote anything.
func (s ImportStats) Changed() bool {
	for _, c := range []ImportCounts{s.Customers, s.Cards, s.Plans, s.Bills, s.Scheduled} {
		if c.Inserted+c.Updated > 0 {
			return true
		}
	}
	return false
}

// Import upserts what the core system exported, all of it or nothing, in one
// transaction. Rows are written only where they differ, so importing the same
// file again changes nothing and adds no audit entry. Rows the file does not
// mention are kept: the export is not a full snapshot.
//
// A plan or scheduled repayment that exists for another customer, and a phone
// that another customer has, are ECONFLICT; any other constraint violation is
// EINVALID. Either rejects the whole import.
func (db *DB) Import(ctx context.Context, data []supportbot.CustomerData) (ImportStats, error) {
	var s ImportStats
	err := db.Update(ctx, func(tx *Tx) error {
		s = ImportStats{}
		for _, d := range data {
			if err := tx.importCustomer(ctx, d, &s); err != nil {
				return err
			}
		}
		if !s.Changed() {
			return nil
		}
		return tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "import", Details: map[string]any{
			"customers": s.Customers, "cards": s.Cards, "plans": s.Plans,
			"bills": s.Bills, "scheduled_repayments": s.Scheduled,
		}})
	})
	if err != nil {
		return ImportStats{}, fmt.Errorf("import: %w", err)
	}
	return s, nil
}

func (tx *Tx) importCustomer(ctx context.Context, d supportbot.CustomerData, s *ImportStats) error {
	c := d.Customer
	// Checked up front rather than by catching the UNIQUE violation, to name
	// the holder; the phone itself stays out of the message.
	var holder string
	err := tx.queryRow(ctx, `SELECT id FROM customers WHERE phone = ? AND id <> ?`, c.Phone, c.ID).Scan(&holder)
	if err == nil {
		return supportbot.Errorf(supportbot.ECONFLICT, "customer %s: phone already belongs to customer %s", c.ID, holder)
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("customer %s: check phone: %w", c.ID, err)
	}
	// A changed phone is the core's customer.updated: chats linked through
	// the old one are unlinked (a recycled number must not show the old
	// holder's bills to the new one).
	var oldPhone string
	err = tx.queryRow(ctx, `SELECT phone FROM customers WHERE id = ?`, c.ID).Scan(&oldPhone)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("customer %s: %w", c.ID, err)
	}
	if oldPhone != "" && oldPhone != c.Phone {
		ev := supportbot.CoreEvent{ID: "evt_" + randomID(), Type: supportbot.EventCustomerUpdated, CreatedAt: tx.now,
			Customer: &supportbot.Customer{ID: c.ID, Name: c.Name, Phone: c.Phone, Language: c.Language, PendingRefunds: c.PendingRefunds}}
		if err := tx.EmitCoreEvent(ctx, ev); err != nil {
			return err
		}
	}
	if err := tx.upsert(ctx, customersTable, []any{c.ID},
		[]any{c.Name, c.Phone, c.IDCardLast4, string(c.Language), c.PendingRefunds}, &s.Customers); err != nil {
		return err
	}
	for _, k := range d.Cards {
		if err := tx.upsert(ctx, cardsTable, []any{c.ID, k.ID},
			[]any{k.Bank, k.Last4, k.Default, k.Frozen}, &s.Cards); err != nil {
			return err
		}
	}
	for _, p := range d.Plans {
		if err := tx.checkOwner(ctx, "plans", "plan", p.ID, c.ID); err != nil {
			return err
		}
		if err := tx.upsert(ctx, plansTable, []any{p.ID},
			[]any{c.ID, p.OrderNo, p.Product, p.Partner, p.Principal, p.Periods, p.PrepayFeeRateBP, p.AutoRepay},
			&s.Plans); err != nil {
			return err
		}
		for _, b := range p.Bills {
			status, err := tx.keptStatus(ctx, `SELECT status FROM bills WHERE plan_id = ? AND period = ?`, b.Status,
				map[string]bool{supportbot.BillPaid: true}, p.ID, b.Period)
			if err != nil {
				return err
			}
			if err := tx.upsert(ctx, billsTable, []any{p.ID, b.Period},
				[]any{string(b.DueDate), b.Principal, b.Fee, b.LateFee, status}, &s.Bills); err != nil {
				return err
			}
		}
	}
	for _, r := range d.Scheduled {
		if err := tx.checkOwner(ctx, "scheduled_repayments", "scheduled repayment", r.ID, c.ID); err != nil {
			return err
		}
		// Its plan must be this customer's too, whether it came in this file or before.
		if err := tx.checkOwner(ctx, "plans", "plan", r.PlanID, c.ID); err != nil {
			return err
		}
		status, err := tx.keptStatus(ctx, `SELECT status FROM scheduled_repayments WHERE id = ?`, r.Status,
			map[string]bool{supportbot.ScheduledCancelled: true, supportbot.ScheduledDone: true}, r.ID)
		if err != nil {
			return err
		}
		if err := tx.upsert(ctx, scheduledTable, []any{r.ID},
			[]any{c.ID, r.PlanID, r.Period, r.Amount, r.CardID, ms(r.RunAt), status}, &s.Scheduled); err != nil {
			return err
		}
	}
	return nil
}

// keptStatus is the status to import for a row: the file's, unless the row
// already has a final one (a bill paid, a repayment cancelled or done —
// perhaps by the bot, after the export was made). An older export must never
// reopen a paid bill or revive a cancelled debit: that would charge twice.
func (tx *Tx) keptStatus(ctx context.Context, query, incoming string, final map[string]bool, args ...any) (string, error) {
	var current string
	err := tx.queryRow(ctx, query, args...).Scan(&current)
	if errors.Is(err, sql.ErrNoRows) {
		return incoming, nil
	} else if err != nil {
		return "", fmt.Errorf("read status: %w", err)
	}
	if final[current] {
		return current, nil
	}
	return incoming, nil
}

// checkOwner fails with ECONFLICT when the row id of table belongs to a
// customer other than customerID: an import must not move a plan or a
// repayment between customers.
func (tx *Tx) checkOwner(ctx context.Context, table, what, id, customerID string) error {
	var owner string
	err := tx.queryRow(ctx, `SELECT customer_id FROM `+table+` WHERE id = ?`, id).Scan(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("%s %s: check owner: %w", what, id, err)
	case owner != customerID:
		return supportbot.Errorf(supportbot.ECONFLICT, "%s %s belongs to customer %s, not %s", what, id, owner, customerID)
	}
	return nil
}

// table is an imported table's two upsert statements, built from its key
// columns and the columns an import sets; upsert passes the values in that
// order.
type table struct {
	name   string
	update string // UPDATE … WHERE key AND some column differs
	insert string // INSERT … ON CONFLICT DO NOTHING
}

func newTable(name string, key, cols []string) table {
	t := table{name: name}
	set, differs, where := make([]string, len(cols)), make([]string, len(cols)), make([]string, len(key))
	for i, c := range cols {
		set[i], differs[i] = c+" = ?", c+" <> ?"
	}
	for i, k := range key {
		where[i] = k + " = ?"
	}
	all := append(append([]string{}, key...), cols...)
	t.update = fmt.Sprintf(`UPDATE %s SET %s WHERE %s AND (%s)`,
		name, strings.Join(set, ", "), strings.Join(where, " AND "), strings.Join(differs, " OR "))
	t.insert = fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO NOTHING`,
		name, strings.Join(all, ", "), strings.Repeat("?, ", len(all)-1)+"?", strings.Join(key, ", "))
	return t
}

var (
	customersTable = newTable("customers", []string{"id"},
		[]string{"name", "phone", "id_card_last4", "language", "pending_refunds"})
	cardsTable = newTable("cards", []string{"customer_id", "id"},
		[]string{"bank", "last4", "is_default", "frozen"})
	plansTable = newTable("plans", []string{"id"},
		[]string{"customer_id", "order_no", "product", "partner", "principal_fen", "periods", "prepay_fee_rate_bp", "auto_repay"})
	billsTable = newTable("bills", []string{"plan_id", "period"},
		[]string{"due_date", "principal_fen", "fee_fen", "late_fee_fen", "status"})
	scheduledTable = newTable("scheduled_repayments", []string{"id"},
		[]string{"customer_id", "plan_id", "period", "amount_fen", "card_id", "run_at", "status"})
)

// upsert writes one row: it updates the row when a column differs, inserts it
// when there is none, and otherwise leaves it alone, counting which. Writing
// only differences keeps a re-import from touching anything.
func (tx *Tx) upsert(ctx context.Context, t table, key, cols []any, n *ImportCounts) error {
	exec := func(query string, args ...any) (bool, error) {
		res, err := tx.exec(ctx, query, args...)
		if tx.d.constraint(err) {
			return false, supportbot.Errorf(supportbot.EINVALID, "%s %v: %v", t.name, key, err)
		} else if err != nil {
			return false, fmt.Errorf("%s %v: %w", t.name, key, err)
		}
		rows, err := res.RowsAffected()
		return rows > 0, err
	}
	args := append(append(append([]any{}, cols...), key...), cols...)
	if updated, err := exec(t.update, args...); err != nil {
		return err
	} else if updated {
		n.Updated++
		return nil
	}
	inserted, err := exec(t.insert, append(append([]any{}, key...), cols...)...)
	if err != nil {
		return err
	} else if inserted {
		n.Inserted++
	} else {
		n.Unchanged++
	}
	return nil
}
