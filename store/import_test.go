package store_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/importer"
	"supportbot/importer/importertest"
	"supportbot/store"
	"supportbot/store/storetest"
)

// importSample is two customers as importer.Parse returns them.
func importSample() []supportbot.CustomerData {
	bills := func(planID string, status ...string) []supportbot.Bill {
		var bs []supportbot.Bill
		for i, s := range status {
			bs = append(bs, supportbot.Bill{PlanID: planID, Period: i + 1,
				DueDate: supportbot.Date(fmt.Sprintf("2026-%02d-15", i+10)), Principal: 10000, Fee: 100, Status: s})
		}
		return bs
	}
	return []supportbot.CustomerData{{
		Customer: supportbot.Customer{ID: "C1", Name: "张伟", Phone: "+8613800138000", IDCardLast4: "123X", Language: "zh"},
		Cards: []supportbot.Card{
			{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true},
			{ID: "K2", Bank: "工商银行", Last4: "1234", Frozen: true},
		},
		Plans: []supportbot.Plan{{ID: "P1", CustomerID: "C1", OrderNo: "5241015123456", Product: "Redmi K70",
			Partner: "小米分期", Principal: 30000, Periods: 3, PrepayFeeRateBP: 150,
			Bills: bills("P1", "paid", "unpaid", "unpaid")}},
		Scheduled: []supportbot.ScheduledRepayment{{ID: "S1", CustomerID: "C1", PlanID: "P1", Period: 2,
			Amount: 10100, CardID: "K1", RunAt: time.Date(2026, 11, 14, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)), Status: "scheduled"}},
	}, {
		Customer: supportbot.Customer{ID: "C2", Name: "Emily Zhao", Phone: "+13852345678", IDCardLast4: "4567", Language: "en", PendingRefunds: 1},
		Cards:    []supportbot.Card{{ID: "K1", Bank: "建设银行", Last4: "0001", Default: true}},
		Plans: []supportbot.Plan{{ID: "P2", CustomerID: "C2", OrderNo: "5241015000002", Product: "Xiaomi Pad 6",
			Partner: "招联金融", Principal: 10000, Periods: 1, Bills: bills("P2", "paid")}},
	}}
}

func mustImport(t testing.TB, db *store.DB, data []supportbot.CustomerData) store.ImportStats {
	t.Helper()
	s, err := db.Import(context.Background(), data)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return s
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	db, _, cfg := open(t)
	if n, err := db.CountCustomers(ctx); err != nil || n != 0 {
		t.Errorf("customers before = %d, %v", n, err)
	}
	got := mustImport(t, db, importSample())
	want := store.ImportStats{
		Customers: store.ImportCounts{Inserted: 2}, Cards: store.ImportCounts{Inserted: 3},
		Plans: store.ImportCounts{Inserted: 2}, Bills: store.ImportCounts{Inserted: 4},
		Scheduled: store.ImportCounts{Inserted: 1},
	}
	if got != want || !got.Changed() {
		t.Errorf("first import stats = %+v, want %+v", got, want)
	}
	if n, err := db.CountCustomers(ctx); err != nil || n != 2 {
		t.Errorf("customers after = %d, %v", n, err)
	}

	v := db.CoreView()
	c, err := v.CustomerByPhone(ctx, "+13852345678")
	if err != nil || !reflect.DeepEqual(*c, importSample()[1].Customer) {
		t.Errorf("CustomerByPhone = %+v, %v; want %+v", c, err, importSample()[1].Customer)
	}
	if c, err := v.Customer(ctx, "C1"); err != nil || c.Phone != "+8613800138000" {
		t.Errorf("Customer(C1) = %+v, %v", c, err)
	}
	for _, find := range []func() error{
		func() error { _, err := v.Customer(ctx, "C9"); return err },
		func() error { _, err := v.CustomerByPhone(ctx, "+8613800000000"); return err },
		func() error { _, err := v.Plan(ctx, "C1", "P9"); return err },
		func() error { _, err := v.Plan(ctx, "C2", "P1"); return err }, // someone else's plan
	} {
		wantCode(t, "finding what is not there", find(), supportbot.ENOTFOUND)
	}
	cards, err := v.Cards(ctx, "C1")
	if err != nil || !reflect.DeepEqual(cards, importSample()[0].Cards) {
		t.Errorf("Cards(C1) = %+v, %v; want %+v", cards, err, importSample()[0].Cards)
	}
	plans, err := v.Plans(ctx, "C1")
	if err != nil || !reflect.DeepEqual(plans, importSample()[0].Plans) {
		t.Errorf("Plans(C1) = %+v, %v; want %+v", plans, err, importSample()[0].Plans)
	}
	if p, err := v.Plan(ctx, "C2", "P2"); err != nil || !reflect.DeepEqual(*p, importSample()[1].Plans[0]) {
		t.Errorf("Plan(C2, P2) = %+v, %v", p, err)
	}
	sched, err := v.Scheduled(ctx, "C1")
	wantRun := importSample()[0].Scheduled[0].RunAt
	if err != nil || len(sched) != 1 || !sched[0].RunAt.Equal(wantRun) || sched[0].Amount != 10100 || sched[0].Status != "scheduled" {
		t.Errorf("Scheduled(C1) = %+v, %v; want S1 at %v", sched, err, wantRun)
	}

	audit, err := db.Audit(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(audit) != 1 || audit[0].Action != "import" {
		t.Fatalf("audit = %+v, want one import entry", audit)
	}
	if bills := audit[0].Details["bills"].(map[string]any); bills["inserted"] != 4.0 {
		t.Errorf("audit details bills = %v, want 4 inserted", bills)
	}

	// The same file again: nothing written, not even an audit entry.
	rawDB(t, cfg).unchanged(t, "re-import", func() { got = mustImport(t, db, importSample()) })
	want = store.ImportStats{
		Customers: store.ImportCounts{Unchanged: 2}, Cards: store.ImportCounts{Unchanged: 3},
		Plans: store.ImportCounts{Unchanged: 2}, Bills: store.ImportCounts{Unchanged: 4},
		Scheduled: store.ImportCounts{Unchanged: 1},
	}
	if got != want || got.Changed() {
		t.Errorf("re-import stats = %+v, want %+v", got, want)
	}
}

func TestImportUpdates(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	link(t, db, 100, "C1", supportbot.LangZH)
	mustImport(t, db, importSample())

	data := importSample()
	c := &data[0]
	c.Customer.Name = "张伟伟"
	c.Cards[1].Frozen = false
	c.Cards = append(c.Cards, supportbot.Card{ID: "K3", Bank: "中国银行", Last4: "5555"})
	c.Plans[0].Bills[1].Status = supportbot.BillPaid
	c.Plans[0].AutoRepay = true
	c.Scheduled[0].Status = supportbot.ScheduledDone
	got := mustImport(t, db, data)
	want := store.ImportStats{
		Customers: store.ImportCounts{Updated: 1, Unchanged: 1},
		Cards:     store.ImportCounts{Inserted: 1, Updated: 1, Unchanged: 2},
		Plans:     store.ImportCounts{Updated: 1, Unchanged: 1},
		Bills:     store.ImportCounts{Updated: 1, Unchanged: 3},
		Scheduled: store.ImportCounts{Updated: 1},
	}
	if got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	p, err := db.CoreView().Plan(ctx, "C1", "P1")
	if err != nil || !p.AutoRepay || p.Bills[1].Status != supportbot.BillPaid {
		t.Errorf("Plan(P1) = %+v, %v; want auto-repay and period 2 paid", p, err)
	}
	if audit, _ := db.Audit(ctx, ""); len(audit) != 2 {
		t.Errorf("audit has %d entries, want 2 (one per changing import)", len(audit))
	}
	if evs, _ := db.PendingCoreEvents(ctx, 10); len(evs) != 0 {
		t.Errorf("core events without a phone change: %+v", evs)
	}

	// A new phone: the core's customer.updated, so that chats linked
	// through the old one are unlinked.
	data[0].Customer.Phone = "+8613811112222"
	mustImport(t, db, data)
	evs, err := db.PendingCoreEvents(ctx, 10)
	if err != nil || len(evs) != 1 || evs[0].Type != supportbot.EventCustomerUpdated || evs[0].Customer.Phone != "+8613811112222" ||
		evs[0].Customer.ID != "C1" {
		t.Errorf("core events after a phone change = %+v, %v", evs, err)
	}
}

func TestImportRejected(t *testing.T) {
	tests := []struct {
		name   string
		change func(d []supportbot.CustomerData) []supportbot.CustomerData
		code   string
		msg    string
	}{{
		name: "phone of another customer",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			return append(d, supportbot.CustomerData{Customer: supportbot.Customer{
				ID: "C3", Name: "王芳", Phone: "+8613800138000", IDCardLast4: "2468", Language: "zh"}})
		},
		code: supportbot.ECONFLICT, msg: "customers[2].phone: customer C3: phone already belongs to customer C1",
	}, {
		name: "phone of a customer the export does not move",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[0].Customer.Phone = d[1].Customer.Phone
			return d[:1] // C2 keeps it
		},
		code: supportbot.ECONFLICT, msg: "customers[0].phone: customer C1: phone already belongs to customer C2",
	}, {
		name: "plan of another customer",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			p := d[0].Plans[0]
			p.CustomerID = "C2"
			d[1].Plans = append(d[1].Plans, p)
			return d
		},
		code: supportbot.ECONFLICT, msg: "customers[1].plans[1].id: plan P1 belongs to customer C1, not C2",
	}, {
		name: "scheduled repayment of another customer",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[1].Scheduled = []supportbot.ScheduledRepayment{{ID: "S1", CustomerID: "C2", PlanID: "P2", Period: 1,
				CardID: "K1", RunAt: t0, Status: "done"}}
			return d
		},
		code: supportbot.ECONFLICT, msg: "customers[1].scheduled_repayments[0].id: scheduled repayment S1 belongs to customer C1, not C2",
	}, {
		name: "scheduled repayment of another customer's plan",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[1].Scheduled = []supportbot.ScheduledRepayment{{ID: "S2", CustomerID: "C2", PlanID: "P1", Period: 1,
				CardID: "K1", RunAt: t0, Status: "scheduled"}}
			return d
		},
		code: supportbot.ECONFLICT, msg: "customers[1].scheduled_repayments[0].plan_id: plan P1 belongs to customer C1, not C2",
	}, {
		name: "constraint",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[0].Plans[0].Bills[1].Principal = -1 // an unpaid bill: a paid one's amounts are a conflict
			return d
		},
		code: supportbot.EINVALID, msg: "bills",
	}, {
		name: "unknown status",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[0].Plans[0].Bills[1].Status = "lost" // an unpaid bill: a paid one keeps its status
			return d
		},
		code: supportbot.EINVALID, msg: "bills",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, _, cfg := open(t)
			mustImport(t, db, importSample())
			// Valid changes first, so that the failure has something to undo.
			data := importSample()
			data[0].Customer.Name = "张三"
			data[0].Plans[0].Bills[2].Status = supportbot.BillPaid
			data = tt.change(data)
			var err error
			rawDB(t, cfg).unchanged(t, "a rejected import", func() { _, err = db.Import(context.Background(), data) })
			if code := supportbot.ErrorCode(err); code != tt.code {
				t.Fatalf("Import error = %v (code %q), want code %q", err, code, tt.code)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Import error %q does not say %q", err, tt.msg)
			}
		})
	}
}

// TestImportMovesPhonesInAnyOrder: an export consistent in itself imports
// whatever the order of its customers. A phone going from C1 to a new C3
// was accepted only with C3 after C1, and two customers swapping phones
// never, since each was checked against the database as it was then.
func TestImportMovesPhonesInAnyOrder(t *testing.T) {
	const p1, p2, p3 = "+8613800138000", "+13852345678", "+8613811112222" // C1's, C2's, no one's
	c3 := supportbot.CustomerData{Customer: supportbot.Customer{ID: "C3", Name: "王芳", Phone: p1, IDCardLast4: "2468", Language: "zh"}}
	c3Before := c3
	c3Before.Customer.Phone = p3
	for _, tt := range []struct {
		name   string
		before []supportbot.CustomerData // beyond importSample
		change func(d []supportbot.CustomerData) []supportbot.CustomerData
		want   map[string]string // customer → phone
		moved  int               // customers whose phone changed: one customer.updated each
	}{{
		name: "to a new customer before its holder",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[0].Customer.Phone = p3
			return append([]supportbot.CustomerData{c3}, d...)
		},
		want: map[string]string{"C1": p3, "C2": p2, "C3": p1}, moved: 1,
	}, {
		name: "to a new customer after its holder",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[0].Customer.Phone = p3
			return append(d, c3)
		},
		want: map[string]string{"C1": p3, "C2": p2, "C3": p1}, moved: 1,
	}, {
		name: "swapped",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[0].Customer.Phone, d[1].Customer.Phone = p2, p1
			return d
		},
		want: map[string]string{"C1": p2, "C2": p1}, moved: 2,
	}, {
		name: "swapped, in the other order",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[0].Customer.Phone, d[1].Customer.Phone = p2, p1
			return []supportbot.CustomerData{d[1], d[0]}
		},
		want: map[string]string{"C1": p2, "C2": p1}, moved: 2,
	}, {
		name:   "round three customers",
		before: []supportbot.CustomerData{c3Before},
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			c := c3
			c.Customer.Phone = p2
			d[0].Customer.Phone, d[1].Customer.Phone = p3, p1
			return append(d, c)
		},
		want: map[string]string{"C1": p3, "C2": p1, "C3": p2}, moved: 3,
	}} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, _, _ := open(t)
			mustImport(t, db, append(importSample(), tt.before...))
			mustImport(t, db, tt.change(importSample()))
			for id, want := range tt.want {
				if got, err := db.CoreView().Customer(ctx, id); err != nil || got.Phone != want {
					t.Errorf("customer %s: %+v, %v; want phone %s", id, got, err, want)
				}
			}
			// Chats linked through an old phone are unlinked: one
			// customer.updated per customer that had one.
			if evs, err := db.PendingCoreEvents(ctx, 10); err != nil || len(evs) != tt.moved {
				t.Errorf("core events = %+v, %v; want %d customer.updated", evs, err, tt.moved)
			}
		})
	}
}

func TestImportEmpty(t *testing.T) {
	db, _, cfg := open(t)
	rawDB(t, cfg).unchanged(t, "an empty import", func() {
		if s := mustImport(t, db, nil); s.Changed() {
			t.Errorf("empty import stats = %+v, want no change", s)
		}
	})
}

// TestReimportKeepsFinalStatuses: an export made before the bot took a
// payment or cancelled a debit must not reopen the bill or revive the debit.
func TestReimportKeepsFinalStatuses(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	mustImport(t, db, importSample())
	update(t, db, func(tx *store.Tx) error {
		if n, err := tx.PayBills(ctx, "C1", "P1", 2); err != nil || n != 1 {
			return fmt.Errorf("pay period 2: %d, %v", n, err)
		}
		if ok, err := tx.CancelScheduled(ctx, "C1", "S1"); err != nil || !ok {
			return fmt.Errorf("cancel S1: %v, %v", ok, err)
		}
		return nil
	})
	mustImport(t, db, importSample()) // the same, older, export again
	v := db.CoreView()
	p, err := v.Plan(ctx, "C1", "P1")
	if err != nil || p.Bills[1].Status != supportbot.BillPaid {
		t.Errorf("period 2 = %+v, %v; want still paid", p, err)
	}
	list, err := v.Scheduled(ctx, "C1")
	if err != nil || len(list) != 1 || list[0].Status != supportbot.ScheduledCancelled {
		t.Errorf("S1 = %+v, %v; want still cancelled", list, err)
	}
}

// TestReimportLeavesAPlanTheExportsBills: a plan re-split into fewer periods
// (3 → 2, the same principal) keeps no stale period 3, which a payoff would
// charge; the same export again changes nothing.
func TestReimportLeavesAPlanTheExportsBills(t *testing.T) {
	ctx := context.Background()
	db, _, cfg := open(t)
	mustImport(t, db, importSample())

	data := importSample()
	p := &data[0].Plans[0] // P1: 30000 in 3 periods of 10000, period 1 paid
	p.Periods, p.Bills = 2, p.Bills[:2]
	p.Bills[1].Principal = 20000
	got := mustImport(t, db, data)
	if want := (store.ImportCounts{Updated: 1, Unchanged: 2, Deleted: 1}); got.Bills != want {
		t.Errorf("bills stats = %+v, want %+v", got.Bills, want)
	}
	plan, err := db.CoreView().Plan(ctx, "C1", "P1")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plan.Bills, p.Bills) {
		t.Errorf("P1's bills after the re-import = %+v, want the export's %+v", plan.Bills, p.Bills)
	}
	payoff, err := supportbot.ComputePayoff(*plan, supportbot.DateOf(t0, time.UTC))
	if want := supportbot.Money(20100); err != nil || payoff.Total != want {
		t.Errorf("payoff = %v, %v; want %v (period 2 and its fee, nothing for a period 3)", payoff.Total, err, want)
	}

	rawDB(t, cfg).unchanged(t, "the same export again", func() {
		if got := mustImport(t, db, data); got.Changed() {
			t.Errorf("the same export again: %+v, want nothing changed", got)
		}
	})
}

// TestReimportRefusesToDropAPaidBill: a period the bot was paid for after
// the export was made is neither reopened nor deleted by an export that no
// longer has it; the import is refused whole, naming the plan.
func TestReimportRefusesToDropAPaidBill(t *testing.T) {
	ctx := context.Background()
	db, _, cfg := open(t)
	mustImport(t, db, importSample())
	update(t, db, func(tx *store.Tx) error {
		_, err := tx.PayBills(ctx, "C1", "P1", 3)
		return err
	})
	data := importSample()
	p := &data[0].Plans[0]
	p.Periods, p.Bills = 2, p.Bills[:2]
	p.Bills[1].Principal = 20000
	var err error
	rawDB(t, cfg).unchanged(t, "a refused import", func() { _, err = db.Import(ctx, data) })
	wantCode(t, "a re-import dropping a paid period", err, supportbot.ECONFLICT)
	if want := "customers[0].plans[0].bills: plan P1: period 3 is paid in the database and not in the export"; err == nil ||
		!strings.Contains(err.Error(), want) {
		t.Errorf("Import error = %v, want it to say %q", err, want)
	}
}

// TestReimportRefusesToChangeAPaidBill: a period paid in the database keeps
// what was paid. An export that changed its amount and due date was
// accepted, the row kept "paid" with the new amount, and the bot called the
// plan settled on 500 fen of 1000 (the operator probe's file). An export
// that changes a paid period's principal or due date is refused whole, told
// at the bill's path in the file; its fees may change (a review: a fee
// waived later would otherwise refuse every nightly import).
func TestReimportRefusesToChangeAPaidBill(t *testing.T) {
	ctx := context.Background()
	db, _, cfg := open(t)
	customer := func(periods int, bills ...importer.Bill) importer.Customer {
		return importer.Customer{ID: "G1", Name: "王芳", Phone: "13800138001", IDCardLast4: "1234", Language: "zh",
			Plans: []importer.Plan{{ID: "GP1", OrderNo: "O1", Product: "Redmi 13", Partner: "小米分期",
				PrincipalFen: 1000, Periods: periods, Bills: bills}}}
	}
	paid := importer.Bill{Period: 1, DueDate: "2026-12-15", PrincipalFen: 500, Status: "paid"}
	unpaid := importer.Bill{Period: 2, DueDate: "2027-01-15", PrincipalFen: 500, Status: "unpaid"}
	imp := func(c importer.Customer) (store.ImportStats, error) {
		return db.ImportFrom(ctx, decoderSource(strings.NewReader(exportOf(t, c))))
	}
	if _, err := imp(customer(2, paid, unpaid)); err != nil {
		t.Fatal(err)
	}
	if s, err := imp(customer(2, unpaid, paid)); err != nil || s.Changed() {
		t.Errorf("the same export again: %+v, %v; want nothing changed", s, err)
	}
	older := paid
	older.Status = "unpaid" // made before the money came: paid is kept
	if s, err := imp(customer(2, older, unpaid)); err != nil || s.Changed() {
		t.Errorf("an older export of the paid period: %+v, %v; want nothing changed", s, err)
	}

	with := func(f func(b *importer.Bill)) importer.Bill {
		b := paid
		f(&b)
		return b
	}
	for _, tc := range []struct {
		name string
		c    importer.Customer
		want string
	}{
		{"the probe: re-split into one unpaid period", customer(1, importer.Bill{Period: 1, DueDate: "2027-01-15", PrincipalFen: 1000, Status: "unpaid"}),
			"customers[0].plans[0].bills[0]: plan GP1: period 1 is paid in the database and the export changes its due_date 2026-12-15 to 2027-01-15, principal_fen 500 to 1000"},
		{"a principal, second in the file", customer(2, importer.Bill{Period: 2, DueDate: "2027-01-15", PrincipalFen: 600, Status: "unpaid"},
			with(func(b *importer.Bill) { b.PrincipalFen = 400 })),
			"customers[0].plans[0].bills[1]: plan GP1: period 1 is paid in the database and the export changes its principal_fen 500 to 400"},
		{"a due date", customer(2, with(func(b *importer.Bill) { b.DueDate = "2026-12-14" }), unpaid),
			"customers[0].plans[0].bills[0]: plan GP1: period 1 is paid in the database and the export changes its due_date 2026-12-15 to 2026-12-14"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			rawDB(t, cfg).unchanged(t, "a refused import", func() { _, err = imp(tc.c) })
			wantCode(t, "a re-import changing a paid period", err, supportbot.ECONFLICT)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Import error = %v, want it to say %q", err, tc.want)
			}
		})
	}
	// Its fees may change (a fee waived by the payoff, a late fee forgiven,
	// as the core exports them later): the period stays paid, and one such
	// row does not refuse every customer's nightly import.
	waived := with(func(b *importer.Bill) { b.FeeFen, b.LateFeeFen = 0, 0 })
	if _, err := imp(customer(2, with(func(b *importer.Bill) { b.FeeFen, b.LateFeeFen = 100, 50 }), unpaid)); err != nil {
		t.Fatalf("fees of a paid period changed: %v, want them taken", err)
	}
	if _, err := imp(customer(2, waived, unpaid)); err != nil {
		t.Fatalf("fees of a paid period waived: %v, want them taken", err)
	}
	p, err := db.CoreView().Plan(ctx, "G1", "GP1")
	if err != nil || p.Bills[0].Status != supportbot.BillPaid || p.Bills[0].Fee != 0 {
		t.Errorf("after its fees were waived: %+v, %v; want period 1 still paid, its fee 0", p, err)
	}
}

// TestReimportDeletesBookingsTheExportNoLongerHas: the export is the core's
// list of a customer's scheduled repayments; one it dropped was kept, and
// the bot told the customer the period was booked while nothing would be
// debited.
func TestReimportDeletesBookingsTheExportNoLongerHas(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	mustImport(t, db, importSample())

	data := importSample()
	s2 := data[0].Scheduled[0]
	s2.ID, s2.Period = "S2", 3
	data[0].Scheduled = []supportbot.ScheduledRepayment{s2} // S1 (period 2) is gone
	got := mustImport(t, db, data)
	if want := (store.ImportCounts{Inserted: 1, Deleted: 1}); got.Scheduled != want {
		t.Errorf("scheduled stats = %+v, want %+v", got.Scheduled, want)
	}
	list, err := db.CoreView().Scheduled(ctx, "C1")
	if err != nil || len(list) != 1 || list[0].ID != "S2" || list[0].Period != 3 {
		t.Errorf("Scheduled(C1) = %+v, %v; want only S2", list, err)
	}

	// A customer the export does not have keeps what is theirs.
	if _, err := db.Import(ctx, data[1:]); err != nil {
		t.Fatal(err)
	}
	if list, err := db.CoreView().Scheduled(ctx, "C1"); err != nil || len(list) != 1 {
		t.Errorf("Scheduled(C1) after an export without C1 = %+v, %v; want S2 kept", list, err)
	}
}

// TestReimportLeavesTheExportsCardsAndDefault: a re-import naming a new
// default card left the old one default too, and the bot debited the old
// one; a card the export dropped stayed, to be debited.
func TestReimportLeavesTheExportsCardsAndDefault(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		cards []supportbot.Card
		want  store.ImportCounts
	}{{
		name:  "a new default card alone",
		cards: []supportbot.Card{{ID: "K3", Bank: "中国银行", Last4: "5555", Default: true}},
		want:  store.ImportCounts{Inserted: 1, Unchanged: 1, Deleted: 2}, // C2's K1 unchanged
	}, {
		name: "the old default kept, not default",
		cards: []supportbot.Card{{ID: "K3", Bank: "中国银行", Last4: "5555", Default: true},
			{ID: "K2", Bank: "工商银行", Last4: "1234", Frozen: true}},
		want: store.ImportCounts{Inserted: 1, Updated: 1, Unchanged: 1, Deleted: 1},
	}} {
		t.Run(tt.name, func(t *testing.T) {
			db, _, _ := open(t)
			mustImport(t, db, importSample())
			// The customer chose K2 in the bot since; the export still says K1.
			update(t, db, func(tx *store.Tx) error { return tx.SetDefaultCard(ctx, "C1", "K2") })

			data := importSample()
			data[0].Cards = tt.cards
			data[0].Scheduled = nil // S1 debits K1
			if got := mustImport(t, db, data); got.Cards != tt.want {
				t.Errorf("cards stats = %+v, want %+v", got.Cards, tt.want)
			}
			cards, err := db.CoreView().Cards(ctx, "C1")
			if err != nil || !reflect.DeepEqual(cards, tt.cards) { // the default first, as the file has it
				t.Errorf("Cards(C1) = %+v, %v; want the export's %+v", cards, err, tt.cards)
			}
		})
	}
}

// TestReimportWithAListLeftOutKeepsIt: an export whose customer had no
// "cards" or "scheduled_repayments" key deleted the cards and bookings on
// file (a probe) — a field left out read as an empty list. Left out, what
// is on file stays; [] or null is none.
func TestReimportWithAListLeftOutKeepsIt(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	full := importertest.Customer(0)
	full.Scheduled = []importer.Scheduled{{ID: "S1", PlanID: full.Plans[0].ID, Period: 12, AmountFen: full.Plans[0].Bills[11].PrincipalFen,
		CardID: full.Cards[0].ID, RunAt: "2030-01-01T09:00:00Z", Status: "scheduled"}}
	if _, err := db.ImportFrom(ctx, decoderSource(strings.NewReader(exportOf(t, full)))); err != nil {
		t.Fatal(err)
	}
	raw := exportOf(t, full)
	for _, key := range []string{"cards", "scheduled_repayments"} {
		var f map[string][]map[string]any
		if err := json.Unmarshal([]byte(raw), &f); err != nil {
			t.Fatal(err)
		}
		delete(f["customers"][0], key)
		if key == "cards" {
			delete(f["customers"][0], "scheduled_repayments") // its booking names a card
		}
		b, _ := json.Marshal(f)
		stats, err := db.ImportFrom(ctx, decoderSource(bytes.NewReader(b)))
		if err != nil || stats.Cards.Deleted != 0 || stats.Scheduled.Deleted != 0 {
			t.Errorf("%s left out: %+v, %v; want nothing deleted", key, stats, err)
		}
	}
	cards, err := db.CoreView().Cards(ctx, full.ID)
	if err != nil || len(cards) != 1 {
		t.Errorf("cards after the lists were left out: %+v, %v; want the one on file", cards, err)
	}
	booked, err := db.CoreView().Scheduled(ctx, full.ID)
	if err != nil || len(booked) != 1 {
		t.Errorf("bookings after the lists were left out: %+v, %v; want the one on file", booked, err)
	}
	// Kept bookings never debit a card the file drops; bookings listed with
	// the cards left out name cards on file (a review: a booking was left
	// on a deleted card, and such a file was refused).
	edit := func(change func(c map[string]any)) []byte {
		var f map[string][]map[string]any
		if err := json.Unmarshal([]byte(exportOf(t, full)), &f); err != nil {
			t.Fatal(err)
		}
		change(f["customers"][0])
		b, _ := json.Marshal(f)
		return b
	}
	newCard := []map[string]any{{"id": "K-NEW", "bank": "中国银行", "last4": "5555"}}
	if _, err := db.ImportFrom(ctx, decoderSource(bytes.NewReader(edit(func(c map[string]any) {
		c["cards"] = newCard
		delete(c, "scheduled_repayments")
	})))); supportbot.ErrorCode(err) != supportbot.ECONFLICT || !strings.Contains(err.Error(), "booking S1") {
		t.Errorf("a card dropped under a kept booking: %v, want a conflict naming the booking", err)
	}
	if _, err := db.ImportFrom(ctx, decoderSource(bytes.NewReader(edit(func(c map[string]any) { delete(c, "cards") })))); err != nil {
		t.Errorf("bookings listed, the cards on file left out: %v", err)
	}
	if _, err := db.ImportFrom(ctx, decoderSource(bytes.NewReader(edit(func(c map[string]any) {
		delete(c, "cards")
		c["scheduled_repayments"].([]any)[0].(map[string]any)["card_id"] = "K-NONE"
	})))); supportbot.ErrorCode(err) != supportbot.ECONFLICT {
		t.Errorf("a booking on a card not on file, the cards left out: %v, want a conflict", err)
	}
	// An empty list is none: deleted.
	full.Scheduled = []importer.Scheduled{}
	stats, err := db.ImportFrom(ctx, decoderSource(strings.NewReader(exportOf(t, full))))
	if err != nil || stats.Scheduled.Deleted != 1 {
		t.Errorf("an empty list: %+v, %v; want the booking deleted", stats, err)
	}
}

// decoderSource is what `supportbot import` wires: the importer's decoder
// over a stream, its keys in the import's transaction.
func decoderSource(r io.Reader) func(*store.ImportKeys) store.ImportSource {
	return func(keys *store.ImportKeys) store.ImportSource {
		return importer.NewDecoder(r, keys, importer.Limits{})
	}
}

func exportOf(t *testing.T, customers ...importer.Customer) string {
	t.Helper()
	b, err := json.Marshal(importer.File{Customers: customers})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImportFromStream: a streamed export is all or nothing, duplicates
// across customers are found through the database, and the same export
// again changes nothing (issue 20).
func TestImportFromStream(t *testing.T) {
	ctx := context.Background()
	db, _, cfg := open(t)
	dump := rawDB(t, cfg).dump
	generated := func(n int) []importer.Customer { // fresh each time: customers share no slices
		var customers []importer.Customer
		for i := range n {
			customers = append(customers, importertest.Customer(i))
		}
		return customers
	}
	good := exportOf(t, generated(50)...)
	stats, err := db.ImportFrom(ctx, decoderSource(strings.NewReader(good)))
	if err != nil {
		t.Fatal(err)
	}
	want := store.ImportStats{Customers: store.ImportCounts{Inserted: 50}, Cards: store.ImportCounts{Inserted: 50},
		Plans: store.ImportCounts{Inserted: 50}, Bills: store.ImportCounts{Inserted: 600}}
	if stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	before := dump(t)
	if stats, err := db.ImportFrom(ctx, decoderSource(strings.NewReader(good))); err != nil || stats.Changed() ||
		stats.Bills.Unchanged != 600 {
		t.Errorf("re-import: %+v, %v; want nothing changed", stats, err)
	}
	if after := dump(t); after != before {
		t.Errorf("re-import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// Changes early in the file, faults late: nothing is written, and every
	// fault is reported with its path, duplicates across customers too.
	changed := generated(50)
	changed[0].Name = "改了"
	changed[1].Plans[0].Bills[11].Status = "paid"
	changed[40].Phone = changed[2].Phone
	changed[45].ID = changed[3].ID
	changed[49].Plans[0].ID = changed[4].Plans[0].ID
	changed[49].Plans[0].Bills[0].DueDate = "2026-02-30"
	_, err = db.ImportFrom(ctx, decoderSource(strings.NewReader(exportOf(t, changed...))))
	wantErr := strings.Join([]string{
		"customers[40].phone: duplicate phone, also at customers[2].phone",
		"customers[45].id: duplicate customer id, also at customers[3].id",
		"customers[49].plans[0].id: duplicate plan id, also at customers[4].plans[0].id",
		`customers[49].plans[0].bills[0].due_date: not a date (YYYY-MM-DD): "2026-02-30"`,
	}, "\n")
	var fe *importer.FaultsError
	if !errors.As(err, &fe) || err.Error() != wantErr {
		t.Errorf("import of a bad export: %v\nwant:\n%s", err, wantErr)
	}
	if after := dump(t); after != before {
		t.Errorf("a rejected import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// A conflict with the database rejects the import too, after the
	// export was read whole.
	changed = generated(10)
	changed[0].Name = "改了"
	newcomer := importertest.Customer(1000)
	newcomer.Phone = importertest.Customer(20).Phone // G0000020's, who is not in this file
	_, err = db.ImportFrom(ctx, decoderSource(strings.NewReader(exportOf(t, append(changed, newcomer)...))))
	if supportbot.ErrorCode(err) != supportbot.ECONFLICT || !strings.Contains(err.Error(), "customers[10].phone: customer G0001000: phone already belongs to customer G0000020") {
		t.Errorf("import of a phone another customer has: %v", err)
	}
	if after := dump(t); after != before {
		t.Errorf("a rejected import changed the database")
	}
}

// TestImportKeys: what the importer keeps in the import's transaction.
func TestImportKeys(t *testing.T) {
	db, _, cfg := open(t)
	dump := rawDB(t, cfg).dump
	before := dump(t)
	_, err := db.ImportFrom(context.Background(), func(keys *store.ImportKeys) store.ImportSource {
		for _, c := range []struct{ kind, key, path, first string }{
			{"phone", "+8613800138000", "customers[0].phone", ""},
			{"customer id", "+8613800138000", "customers[0].id", ""},
			{"phone", "+8613800138000", "customers[7].phone", "customers[0].phone"},
			{"phone", "+8613800138001", "customers[8].phone", ""},
		} {
			if first, err := keys.Add(c.kind, c.key, c.path); first != c.first || err != nil {
				t.Errorf("Add(%q, %q) = %q, %v; want %q", c.kind, c.key, first, err, c.first)
			}
		}
		return &fixedSource{}
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := dump(t); after != before {
		t.Errorf("the keys stayed in the database:\n%s", after)
	}
}

type fixedSource struct{ err error }

func (*fixedSource) Next() (supportbot.CustomerData, bool) { return supportbot.CustomerData{}, false }
func (s *fixedSource) Err() error                          { return s.err }

// BenchmarkImportFrom imports a generated export of IMPORT_CUSTOMERS
// customers (10,000 unless set) into a fresh database per iteration, and
// reports the peak heap and the rate. For the figures in the README:
//
//	IMPORT_CUSTOMERS=100000 go test ./store -run - -bench ImportFrom -benchtime 1x
func BenchmarkImportFrom(b *testing.B) {
	n := 10_000
	if s := os.Getenv("IMPORT_CUSTOMERS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil {
			b.Fatal(err)
		}
	}
	file := filepath.Join(b.TempDir(), "export.json")
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	if err := importertest.Write(f, n); err != nil {
		b.Fatal(err)
	}
	size, _ := f.Seek(0, io.SeekEnd)
	f.Close()

	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() { // sample the heap while the import runs
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	defer close(stop)
	runtime.GC()
	b.ResetTimer()
	for range b.N {
		db, _ := storetest.Open(b)
		r, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		stats, err := db.ImportFrom(context.Background(), decoderSource(r))
		r.Close()
		db.Close()
		if err != nil || stats.Customers.Inserted != n {
			b.Fatalf("import: %+v, %v", stats, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "customers/s")
	b.ReportMetric(float64(size)/(1<<20), "MB-of-JSON")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
}
