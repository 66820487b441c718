package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"supportbot"
)

// ImportCounts says what an import did to the rows of one table.
type ImportCounts struct {
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Deleted are rows of a customer or plan in the export that the export
	// no longer has (omitted when none, as the summary was before).
	Deleted int `json:"deleted,omitempty"`
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
		if c.Inserted+c.Updated+c.Deleted > 0 {
			return true
		}
	}
	return false
}

// ImportSource is an export read one customer at a time: importer.Decoder.
type ImportSource interface {
	// Next returns the next customer without a fault, its plans' bills in
	// the export's order (a conflict is told at bills[i]); false at the end
	// of the export or when it cannot be read on.
	Next() (supportbot.CustomerData, bool)
	// Err is nil when the whole export was read and is valid. Called
	// after Next has returned false.
	Err() error
}

// Import upserts customers the core system exported and importer.Parse read:
// see ImportFrom. Their phones may be written in any form ImportPhone reads;
// they are stored in E.164.
func (db *DB) Import(ctx context.Context, data []supportbot.CustomerData) (ImportStats, error) {
	return db.ImportFrom(ctx, func(*ImportKeys) ImportSource { return &sliceSource{data: data} })
}

type sliceSource struct {
	data []supportbot.CustomerData
	next int
}

func (s *sliceSource) Next() (supportbot.CustomerData, bool) {
	if s.next == len(s.data) {
		return supportbot.CustomerData{}, false
	}
	s.next++
	return s.data[s.next-1], true
}

func (s *sliceSource) Err() error { return nil }

// ImportFrom upserts what the core system exported, all of it or nothing, in
// one transaction, reading the export one customer at a time from the source
// open returns: memory does not grow with the export. The source checks keys
// that must be unique across the export with keys, which keeps them in the
// transaction's temporary table rather than in memory.
//
// Rows are written only where they differ, so importing the same export
// again changes nothing and adds no audit entry. Rows the export does not
// mention are kept: it is not a full snapshot; but a plan it has is left
// with exactly its bills, a period it no longer has (a plan re-split into
// fewer) deleted, since a payoff would charge it, and a customer it has with
// exactly its cards (so exactly its default card) and its scheduled
// repayments (the core's bookings). A bill already paid, and a
// scheduled repayment already done or cancelled, keep that status whatever
// the export says: an older export must never reopen a bill or revive a
// debit (that would charge twice), nor drop a paid period.
//
// When the source ends with an error (an invalid export: its faults) that
// error is returned as it is. Otherwise a plan or scheduled repayment that
// exists for another customer, a phone that another customer still has once
// the whole export is written (phoneMoves), a paid period the export no
// longer has, and one whose amounts or due date it changes are ECONFLICT;
// any other constraint
// violation is EINVALID. Either rejects the
// whole import; the source is read to its end all the same, since the
// export's own faults are reported first.
func (db *DB) ImportFrom(ctx context.Context, open func(keys *ImportKeys) ImportSource) (ImportStats, error) {
	var s ImportStats
	var invalid error // the export's faults: returned as they are
	err := db.update(ctx, func(tx *Tx) error {
		keys := &ImportKeys{ctx: ctx, tx: tx}
		moves := &phoneMoves{ctx: ctx, tx: tx}
		src := open(keys)
		var rejected error
		for i := 0; ; i++ {
			d, ok := src.Next()
			if !ok {
				break
			}
			if rejected != nil {
				continue
			}
			// Without a fault in the export (else its faults are what is
			// told) every customer comes, in the file's order.
			if err := tx.importCustomer(ctx, d, fmt.Sprintf("customers[%d]", i), moves, &s); err != nil {
				switch supportbot.ErrorCode(err) {
				case supportbot.ECONFLICT, supportbot.EINVALID:
					rejected = err
				default:
					return err
				}
			}
		}
		if err := src.Err(); err != nil {
			invalid = err
			return err
		}
		if rejected != nil {
			return rejected
		}
		if err := moves.settle(); err != nil {
			return err
		}
		if err := keys.drop(); err != nil {
			return err
		}
		if !s.Changed() {
			return nil
		}
		return tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "import", Details: map[string]any{
			"customers": s.Customers, "cards": s.Cards, "plans": s.Plans,
			"bills": s.Bills, "scheduled_repayments": s.Scheduled,
		}})
	})
	switch {
	case invalid != nil:
		return ImportStats{}, invalid
	case err != nil:
		return ImportStats{}, fmt.Errorf("import: %w", err)
	}
	return s, nil
}

// ImportKeys keeps the keys of an export that must be unique across it, and
// where each first appeared, in a temporary table of the import's
// transaction: a million customers' ids and phones do not fit in a bounded
// memory. It is importer.Keys.
type ImportKeys struct {
	ctx     context.Context
	tx      *Tx
	created bool
}

// Add records key of kind at path; when it was there already it records
// nothing and returns where it first appeared.
func (k *ImportKeys) Add(kind, key, path string) (string, error) {
	if !k.created {
		if _, err := k.tx.exec(k.ctx, `CREATE TEMP TABLE import_keys (
			kind TEXT NOT NULL, key TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (kind, key))`); err != nil {
			return "", fmt.Errorf("create import keys: %w", err)
		}
		k.created = true
	}
	res, err := k.tx.exec(k.ctx, `INSERT INTO import_keys (kind, key, path) VALUES (?, ?, ?)
		ON CONFLICT (kind, key) DO NOTHING`, kind, key, path)
	if err != nil {
		return "", fmt.Errorf("add import key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return "", err
	}
	var first string
	if err := k.tx.queryRow(k.ctx, `SELECT path FROM import_keys WHERE kind = ? AND key = ?`,
		kind, key).Scan(&first); err != nil {
		return "", fmt.Errorf("read import key: %w", err)
	}
	return first, nil
}

// drop removes the table before the commit, which would keep it for the
// connection's life. A rollback removes it anyway.
func (k *ImportKeys) drop() error {
	if !k.created {
		return nil
	}
	if _, err := k.tx.exec(k.ctx, `DROP TABLE import_keys`); err != nil {
		return fmt.Errorf("drop import keys: %w", err)
	}
	k.created = false
	return nil
}

// phoneMoves are the customers of an export whose phone another customer
// had when they were written, kept in a temporary table of the import's
// transaction (bounded memory, as ImportKeys): whether that is a conflict is
// known only at the end of the export, so that a phone can move between
// customers, or two swap, in whatever order the file has them.
type phoneMoves struct {
	ctx     context.Context
	tx      *Tx
	created bool
	n       int64 // moves added: the last one's seq
}

// add records that customerID, at path at, is to have phone, and returns
// the placeholder to store meanwhile: unique, since ids are, and no phone.
func (m *phoneMoves) add(customerID, phone, at string) (string, error) {
	if !m.created {
		if _, err := m.tx.exec(m.ctx, `CREATE TEMP TABLE import_phone_moves (
			seq INTEGER PRIMARY KEY, customer_id TEXT NOT NULL, phone TEXT NOT NULL, path TEXT NOT NULL)`); err != nil {
			return "", fmt.Errorf("create import phone moves: %w", err)
		}
		m.created = true
	}
	m.n++
	if _, err := m.tx.exec(m.ctx, `INSERT INTO import_phone_moves (seq, customer_id, phone, path) VALUES (?, ?, ?, ?)`,
		m.n, customerID, phone, at); err != nil {
		return "", fmt.Errorf("add import phone move: %w", err)
	}
	return "import:" + customerID, nil
}

// settle gives each customer the phone it waits for, in file order, now
// that every customer of the export has its own or a placeholder: one still
// held is another customer's, whom the export does not have or leaves it
// with, and is ECONFLICT at its path. It reads the moves a batch at a time,
// since a statement cannot run while a query's rows are open (PostgreSQL).
func (m *phoneMoves) settle() error {
	if !m.created {
		return nil
	}
	type move struct {
		seq                   int64
		customer, phone, path string
	}
	for after := int64(0); ; {
		rows, err := m.tx.query(m.ctx, `SELECT seq, customer_id, phone, path FROM import_phone_moves
			WHERE seq > ? ORDER BY seq LIMIT 1000`, after)
		if err != nil {
			return fmt.Errorf("read import phone moves: %w", err)
		}
		var batch []move
		for rows.Next() {
			var mv move
			if err := rows.Scan(&mv.seq, &mv.customer, &mv.phone, &mv.path); err != nil {
				rows.Close()
				return fmt.Errorf("read import phone moves: %w", err)
			}
			batch = append(batch, mv)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read import phone moves: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		for _, mv := range batch {
			var holder string
			err := m.tx.queryRow(m.ctx, `SELECT id FROM customers WHERE phone = ? AND id <> ?`, mv.phone, mv.customer).Scan(&holder)
			switch {
			case err == nil:
				// The phone itself stays out of the message.
				return supportbot.Errorf(supportbot.ECONFLICT, "%s: customer %s: phone already belongs to customer %s",
					mv.path, mv.customer, holder)
			case !errors.Is(err, sql.ErrNoRows):
				return fmt.Errorf("customer %s: check phone: %w", mv.customer, err)
			}
			if _, err := m.tx.exec(m.ctx, `UPDATE customers SET phone = ? WHERE id = ?`, mv.phone, mv.customer); err != nil {
				return fmt.Errorf("customer %s: move phone: %w", mv.customer, err)
			}
		}
		after = batch[len(batch)-1].seq
	}
	if _, err := m.tx.exec(m.ctx, `DROP TABLE import_phone_moves`); err != nil {
		return fmt.Errorf("drop import phone moves: %w", err)
	}
	m.created = false
	return nil
}

// importCustomer writes one customer, at path at of the export, and what is
// theirs. Each table's rows are read first and written only where they
// differ; what belongs to a row just inserted is inserted without a look. A
// conflict with the database is told at the JSON path of its value.
func (tx *Tx) importCustomer(ctx context.Context, d supportbot.CustomerData, at string, moves *phoneMoves, s *ImportStats) error {
	c := d.Customer
	phone := supportbot.ImportPhone(c.Phone)
	if phone == "" {
		return supportbot.Errorf(supportbot.EINVALID, "customer %s: the phone is not a phone number", c.ID)
	}
	// A phone another customer still has may be theirs no longer once the
	// export is read whole (that customer comes later with another phone,
	// or two swap): the customer holds a placeholder until then, and
	// moves.settle gives the phone or names the conflict.
	stored := phone
	var holder string
	err := tx.queryRow(ctx, `SELECT id FROM customers WHERE phone = ? AND id <> ?`, phone, c.ID).Scan(&holder)
	if err == nil {
		if stored, err = moves.add(c.ID, phone, at+".phone"); err != nil {
			return err
		}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("customer %s: check phone: %w", c.ID, err)
	}
	cur, err := tx.importRow(ctx, customersTable, c.ID)
	if err != nil {
		return err
	}
	newCustomer := cur == nil
	if cur != nil && norm(cur[1]) != phone {
		// A changed phone is the core's customer.updated: chats linked
		// through the old one are unlinked (a recycled number must not show
		// the old holder's bills to the new one).
		ev := supportbot.CoreEvent{ID: "evt_" + randomID(), Type: supportbot.EventCustomerUpdated, CreatedAt: tx.now,
			Customer: &supportbot.Customer{ID: c.ID, Name: c.Name, Phone: phone, Language: c.Language, PendingRefunds: c.PendingRefunds}}
		if err := tx.EmitCoreEvent(ctx, ev); err != nil {
			return err
		}
	}
	if err := tx.writeRow(ctx, customersTable, []any{c.ID}, cur,
		[]any{c.Name, stored, c.IDCardLast4, string(c.Language), c.PendingRefunds}, &s.Customers); err != nil {
		return err
	}

	cards := map[string][]any{}
	if !newCustomer {
		if cards, err = tx.importRows(ctx, `SELECT id, bank, last4, is_default, frozen FROM cards WHERE customer_id = ?`, c.ID); err != nil {
			return err
		}
	}
	onFile := cards // read only when the file leaves the cards out: they stay, none written or deleted
	if d.KeepCards {
		cards = nil
	}
	for _, k := range d.Cards {
		cur := cards[k.ID]
		delete(cards, k.ID)
		if err := tx.writeRow(ctx, cardsTable, []any{c.ID, k.ID}, cur,
			[]any{k.Bank, k.Last4, k.Default, k.Frozen}, &s.Cards); err != nil {
			return err
		}
	}
	// A card the export no longer has is gone: kept, it could be debited,
	// and kept as the default it left the customer two defaults (the bot
	// debits the first). With these deleted the customer has exactly the
	// export's cards and its one default.
	for _, id := range sortedKeys(cards) {
		if err := tx.deleteRow(ctx, cardsTable, []any{c.ID, id}, &s.Cards); err != nil {
			return err
		}
	}
	if len(cards) > 0 && d.KeepScheduled {
		// The bookings on file stay: none may debit a card the file drops.
		if err := tx.noBookingOn(ctx, at, c.ID, cards); err != nil {
			return err
		}
	}

	for i, p := range d.Plans {
		cur, err := tx.importRow(ctx, plansTable, p.ID)
		if err != nil {
			return err
		}
		if cur != nil && norm(cur[0]) != c.ID {
			return supportbot.Errorf(supportbot.ECONFLICT, "%s.plans[%d].id: plan %s belongs to customer %v, not %s",
				at, i, p.ID, norm(cur[0]), c.ID)
		}
		if err := tx.writeRow(ctx, plansTable, []any{p.ID}, cur,
			[]any{c.ID, p.OrderNo, p.Product, p.Partner, p.Principal, p.Periods, p.PrepayFeeRateBP, p.AutoRepay},
			&s.Plans); err != nil {
			return err
		}
		bills := map[string][]any{}
		if cur != nil {
			if bills, err = tx.importRows(ctx, `SELECT period, due_date, principal_fen, fee_fen, late_fee_fen, status
				FROM bills WHERE plan_id = ?`, p.ID); err != nil {
				return err
			}
		}
		for j, b := range p.Bills {
			key := strconv.Itoa(b.Period)
			cur := bills[key]
			delete(bills, key)
			// A paid period stays the period that was paid. Kept paid with
			// the export's new principal or due date (the plan re-split) it
			// would say a sum was paid that never was (the plan settled on
			// 500 fen of 1000); the money is the core's and only a person can
			// reconcile it. Its fees may follow the export: a fee waived
			// after the payoff, a late fee forgiven, change no principal.
			if changed := paidChanges(cur, b); changed != "" {
				return supportbot.Errorf(supportbot.ECONFLICT, "%s.plans[%d].bills[%d]: plan %s: period %d is paid in the database and the export changes its %s",
					at, i, j, p.ID, b.Period, changed)
			}
			status := keptStatus(cur, b.Status, supportbot.BillPaid)
			if err := tx.writeRow(ctx, billsTable, []any{p.ID, b.Period}, cur,
				[]any{string(b.DueDate), b.Principal, b.Fee, b.LateFee, status}, &s.Bills); err != nil {
				return err
			}
		}
		// What is left are periods the export no longer has (a plan re-split
		// into fewer): a payoff would charge them. A paid one is refused
		// rather than deleted: the bot may have taken that money after the
		// export was made, and only a person can say where it goes now.
		for _, period := range sortedKeys(bills) {
			if status, _ := norm(bills[period][len(bills[period])-1]).(string); status == supportbot.BillPaid {
				return supportbot.Errorf(supportbot.ECONFLICT, "%s.plans[%d].bills: plan %s: period %s is paid in the database and not in the export",
					at, i, p.ID, period)
			}
		}
		for _, period := range sortedKeys(bills) {
			n, _ := strconv.Atoi(period)
			if err := tx.deleteRow(ctx, billsTable, []any{p.ID, n}, &s.Bills); err != nil {
				return err
			}
		}
	}

	scheduled := map[string][]any{}
	if !newCustomer && !d.KeepScheduled {
		if scheduled, err = tx.importRows(ctx, `SELECT id, customer_id, plan_id, period, amount_fen, card_id, run_at, status
			FROM scheduled_repayments WHERE customer_id = ?`, c.ID); err != nil {
			return err
		}
	}
	for i, r := range d.Scheduled {
		cur, ok := scheduled[r.ID]
		delete(scheduled, r.ID)
		if !ok { // new, or another customer's
			if cur, err = tx.importRow(ctx, scheduledTable, r.ID); err != nil {
				return err
			}
		}
		at := fmt.Sprintf("%s.scheduled_repayments[%d]", at, i)
		if cur != nil && norm(cur[0]) != c.ID {
			return supportbot.Errorf(supportbot.ECONFLICT, "%s.id: scheduled repayment %s belongs to customer %v, not %s",
				at, r.ID, norm(cur[0]), c.ID)
		}
		// Its plan must be this customer's too, whether it came in this file or before.
		if err := tx.checkOwner(ctx, at+".plan_id", "plans", "plan", r.PlanID, c.ID); err != nil {
			return err
		}
		if _, ok := onFile[r.CardID]; d.KeepCards && !ok { // its card one on file: the file leaves the cards out
			return supportbot.Errorf(supportbot.ECONFLICT, "%s.card_id: no card %s of customer %s on file (the file leaves out the cards)", at, r.CardID, c.ID)
		}
		status := keptStatus(cur, r.Status, supportbot.ScheduledCancelled, supportbot.ScheduledDone)
		if err := tx.writeRow(ctx, scheduledTable, []any{r.ID}, cur,
			[]any{c.ID, r.PlanID, r.Period, r.Amount, r.CardID, ms(r.RunAt), status}, &s.Scheduled); err != nil {
			return err
		}
	}
	// The export is the core's list of the customer's bookings: one it no
	// longer has will not be debited, and the bot must not tell the
	// customer that the period is taken care of.
	for _, id := range sortedKeys(scheduled) {
		if err := tx.deleteRow(ctx, scheduledTable, []any{id}, &s.Scheduled); err != nil {
			return err
		}
	}
	return nil
}

// noBookingOn refuses to drop a card that a live booking of the customer's,
// kept as on file, debits: it would be debited through a card gone.
func (tx *Tx) noBookingOn(ctx context.Context, at, customerID string, dropped map[string][]any) error {
	rows, err := tx.query(ctx, `SELECT id, card_id FROM scheduled_repayments WHERE customer_id = ? AND status IN (?, ?) ORDER BY id`,
		customerID, supportbot.ScheduledScheduled, supportbot.ScheduledProcessing)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, card string
		if err := rows.Scan(&id, &card); err != nil {
			return err
		}
		if _, ok := dropped[card]; ok {
			return supportbot.Errorf(supportbot.ECONFLICT, "%s.cards: card %s is dropped, but booking %s on file debits it and the file leaves out the scheduled repayments: list them",
				at, card, id)
		}
	}
	return rows.Err()
}

// paidChanges names what the export's bill b changes of the principal or
// due date of a period paid in the database, whose columns (due_date,
// principal_fen, fee_fen, late_fee_fen, status) are cur: "" when it is not
// paid there, or the export leaves them as they are. A status other than paid is not a
// change: keptStatus keeps the paid one (an export made before the bot
// took the money).
func paidChanges(cur []any, b supportbot.Bill) string {
	if cur == nil {
		return ""
	}
	if status, _ := norm(cur[4]).(string); status != supportbot.BillPaid {
		return ""
	}
	var changed []string
	for i, c := range []struct {
		name string
		v    any
	}{{"due_date", string(b.DueDate)}, {"principal_fen", b.Principal}} {
		if norm(cur[i]) != norm(c.v) {
			changed = append(changed, fmt.Sprintf("%s %v to %v", c.name, norm(cur[i]), norm(c.v)))
		}
	}
	return strings.Join(changed, ", ")
}

// keptStatus is the status to import for a row whose columns are cur (nil
// when it is new, status last): the file's, unless the row already has a
// final one (a bill paid, a repayment cancelled or done — perhaps by the bot,
// after the export was made).
func keptStatus(cur []any, incoming string, final ...string) string {
	if cur == nil {
		return incoming
	}
	current, _ := norm(cur[len(cur)-1]).(string)
	for _, f := range final {
		if current == f {
			return current
		}
	}
	return incoming
}

// checkOwner fails with ECONFLICT, told at path at, when the row id of
// table belongs to a customer other than customerID: an import must not
// move a plan or a repayment between customers.
func (tx *Tx) checkOwner(ctx context.Context, at, table, what, id, customerID string) error {
	var owner string
	err := tx.queryRow(ctx, `SELECT customer_id FROM `+table+` WHERE id = ?`, id).Scan(&owner)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("%s %s: check owner: %w", what, id, err)
	case owner != customerID:
		return supportbot.Errorf(supportbot.ECONFLICT, "%s: %s %s belongs to customer %s, not %s", at, what, id, owner, customerID)
	}
	return nil
}

// table is an imported table's statements, built from its key columns and
// the columns an import sets; the values are passed in that order.
type table struct {
	name   string
	cols   int
	sel    string // SELECT the columns WHERE the key
	update string // UPDATE the columns WHERE the key
	insert string // INSERT the key and the columns
	del    string // DELETE WHERE the key
}

func newTable(name string, key, cols []string) table {
	t := table{name: name, cols: len(cols)}
	set, where := make([]string, len(cols)), make([]string, len(key))
	for i, c := range cols {
		set[i] = c + " = ?"
	}
	for i, k := range key {
		where[i] = k + " = ?"
	}
	all := append(append([]string{}, key...), cols...)
	t.sel = fmt.Sprintf(`SELECT %s FROM %s WHERE %s`, strings.Join(cols, ", "), name, strings.Join(where, " AND "))
	t.update = fmt.Sprintf(`UPDATE %s SET %s WHERE %s`, name, strings.Join(set, ", "), strings.Join(where, " AND "))
	t.insert = fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`,
		name, strings.Join(all, ", "), strings.Repeat("?, ", len(all)-1)+"?")
	t.del = fmt.Sprintf(`DELETE FROM %s WHERE %s`, name, strings.Join(where, " AND "))
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

// importRow reads the columns of t's row with the single-column key; nil
// when there is none.
func (tx *Tx) importRow(ctx context.Context, t table, key any) ([]any, error) {
	cur := make([]any, t.cols)
	ptrs := make([]any, t.cols)
	for i := range cur {
		ptrs[i] = &cur[i]
	}
	err := tx.queryRow(ctx, t.sel, key).Scan(ptrs...)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("%s %v: %w", t.name, key, err)
	}
	return cur, nil
}

// importRows reads rows whose first column is a key, the rest the columns
// an import sets, by that key as text.
func (tx *Tx) importRows(ctx context.Context, query string, args ...any) (map[string][]any, error) {
	rows, err := tx.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read before import: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := map[string][]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("read before import: %w", err)
		}
		out[fmt.Sprint(norm(vals[0]))] = vals[1:]
	}
	return out, rows.Err()
}

// writeRow writes one row whose columns are cur (nil: there is none): it
// inserts it when there is none, updates it when a column differs, and
// otherwise leaves it alone, counting which. Writing only differences keeps
// a re-import from touching anything.
func (tx *Tx) writeRow(ctx context.Context, t table, key, cur, cols []any, n *ImportCounts) error {
	var query string
	var args []any
	switch {
	case cur == nil:
		query, args = t.insert, append(append(make([]any, 0, len(key)+len(cols)), key...), cols...)
		n.Inserted++
	case same(cur, cols):
		n.Unchanged++
		return nil
	default:
		query, args = t.update, append(append(make([]any, 0, len(key)+len(cols)), cols...), key...)
		n.Updated++
	}
	if _, err := tx.exec(ctx, query, args...); tx.d.constraint(err) {
		return supportbot.Errorf(supportbot.EINVALID, "%s %v: %v", t.name, key, err)
	} else if err != nil {
		return fmt.Errorf("%s %v: %w", t.name, key, err)
	}
	return nil
}

// deleteRow deletes the row with key, which the export no longer has.
func (tx *Tx) deleteRow(ctx context.Context, t table, key []any, n *ImportCounts) error {
	if _, err := tx.exec(ctx, t.del, key...); err != nil {
		return fmt.Errorf("delete %s %v: %w", t.name, key, err)
	}
	n.Deleted++
	return nil
}

// sortedKeys are the keys of rows importRows read, shorter first (periods
// in numeric order), so that what an import deletes, and the first conflict
// it names, do not change from run to run.
func sortedKeys(rows map[string][]any) []string {
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) < len(keys[j])
		}
		return keys[i] < keys[j]
	})
	return keys
}

// same reports whether the stored columns equal the imported ones.
func same(cur, cols []any) bool {
	for i := range cols {
		if norm(cur[i]) != norm(cols[i]) {
			return false
		}
	}
	return true
}

// norm maps a column value, as stored or as imported, to int64 or string,
// the two types the imported tables hold.
func norm(v any) any {
	switch v := v.(type) {
	case []byte:
		return string(v)
	case bool:
		if v {
			return int64(1)
		}
		return int64(0)
	case int:
		return int64(v)
	case supportbot.Money:
		return int64(v)
	}
	return v
}
