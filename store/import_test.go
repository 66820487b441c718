package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

var importNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// openImportDB opens a fresh database file with a fixed clock; it returns the
// path too, for dumpTables.
func openImportDB(t *testing.T) (*store.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return importNow }
	t.Cleanup(func() { db.Close() })
	return db, path
}

// dumpTables renders every row of every table (sqlite_sequence included),
// through a second, read-only connection, so that two dumps are equal only if
// nothing was written in between.
func dumpTables(t *testing.T, path string) string {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var names []string
	rows, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, name := range names {
		rows, err := conn.Query(`SELECT * FROM "` + name + `" ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "%s %v\n", name, cols)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if s, ok := v.([]byte); ok {
					vals[i] = string(s)
				}
			}
			fmt.Fprintf(&b, "  %v\n", vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return b.String()
}

// importSample is two customers as importer.Parse would return them.
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
		Customer: supportbot.Customer{ID: "C1", Name: "张伟", Phone: "13800138000", IDCardLast4: "123X", Language: "zh"},
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
		Customer: supportbot.Customer{ID: "C2", Name: "Emily Zhao", Phone: "13900139000", IDCardLast4: "4567", Language: "en", PendingRefunds: 1},
		Cards:    []supportbot.Card{{ID: "K1", Bank: "建设银行", Last4: "0001", Default: true}},
		Plans: []supportbot.Plan{{ID: "P2", CustomerID: "C2", OrderNo: "5241015000002", Product: "Xiaomi Pad 6",
			Partner: "招联金融", Principal: 10000, Periods: 1, Bills: bills("P2", "paid")}},
	}}
}

func mustImport(t *testing.T, db *store.DB, data []supportbot.CustomerData) store.ImportStats {
	t.Helper()
	s, err := db.Import(context.Background(), data)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return s
}

func TestImport(t *testing.T) {
	ctx := context.Background()
	db, path := openImportDB(t)

	got := mustImport(t, db, importSample())
	want := store.ImportStats{
		Customers: store.ImportCounts{Inserted: 2}, Cards: store.ImportCounts{Inserted: 3},
		Plans: store.ImportCounts{Inserted: 2}, Bills: store.ImportCounts{Inserted: 4},
		Scheduled: store.ImportCounts{Inserted: 1},
	}
	if got != want {
		t.Errorf("first import stats = %+v, want %+v", got, want)
	}

	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := tx.CustomerByPhone(ctx, "13900139000")
	if err != nil || c.ID != "C2" || c.Language != supportbot.LangEN || c.PendingRefunds != 1 {
		t.Errorf("CustomerByPhone = %+v, %v; want C2, en, 1 pending refund", c, err)
	}
	cards, err := tx.Cards(ctx, "C1")
	if err != nil || !reflect.DeepEqual(cards, importSample()[0].Cards) {
		t.Errorf("Cards(C1) = %+v, %v; want %+v", cards, err, importSample()[0].Cards)
	}
	plans, err := tx.Plans(ctx, "C1")
	if err != nil || !reflect.DeepEqual(plans, importSample()[0].Plans) {
		t.Errorf("Plans(C1) = %+v, %v; want %+v", plans, err, importSample()[0].Plans)
	}
	sched, err := tx.Scheduled(ctx, "C1")
	wantRun := importSample()[0].Scheduled[0].RunAt
	if err != nil || len(sched) != 1 || !sched[0].RunAt.Equal(wantRun) || sched[0].Amount != 10100 {
		t.Errorf("Scheduled(C1) = %+v, %v; want S1 at %v", sched, err, wantRun)
	}
	tx.Rollback() // the only connection: Audit needs it

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
	before := dumpTables(t, path)
	got = mustImport(t, db, importSample())
	want = store.ImportStats{
		Customers: store.ImportCounts{Unchanged: 2}, Cards: store.ImportCounts{Unchanged: 3},
		Plans: store.ImportCounts{Unchanged: 2}, Bills: store.ImportCounts{Unchanged: 4},
		Scheduled: store.ImportCounts{Unchanged: 1},
	}
	if got != want || got.Changed() {
		t.Errorf("re-import stats = %+v, want %+v", got, want)
	}
	if after := dumpTables(t, path); after != before {
		t.Errorf("re-import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

func TestImportUpdates(t *testing.T) {
	ctx := context.Background()
	db, _ := openImportDB(t)
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
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := tx.Plan(ctx, "C1", "P1")
	if err != nil || !p.AutoRepay || p.Bills[1].Status != supportbot.BillPaid {
		t.Errorf("Plan(P1) = %+v, %v; want auto-repay and period 2 paid", p, err)
	}
	tx.Rollback() // the only connection: Audit needs it
	if audit, _ := db.Audit(ctx, ""); len(audit) != 2 {
		t.Errorf("audit has %d entries, want 2 (one per changing import)", len(audit))
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
				ID: "C3", Name: "王芳", Phone: "13800138000", IDCardLast4: "2468", Language: "zh"}})
		},
		code: supportbot.ECONFLICT, msg: "customer C3: phone already belongs to customer C1",
	}, {
		name: "plan of another customer",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			p := d[0].Plans[0]
			p.CustomerID = "C2"
			d[1].Plans = append(d[1].Plans, p)
			return d
		},
		code: supportbot.ECONFLICT, msg: "plan P1 belongs to customer C1, not C2",
	}, {
		name: "scheduled repayment of another customer",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[1].Scheduled = []supportbot.ScheduledRepayment{{ID: "S1", CustomerID: "C2", PlanID: "P2", Period: 1,
				CardID: "K1", RunAt: importNow, Status: "done"}}
			return d
		},
		code: supportbot.ECONFLICT, msg: "scheduled repayment S1 belongs to customer C1, not C2",
	}, {
		name: "constraint",
		change: func(d []supportbot.CustomerData) []supportbot.CustomerData {
			d[1].Plans[0].Bills[0].Principal = -1
			return d
		},
		code: supportbot.EINVALID, msg: "CHECK constraint failed",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := openImportDB(t)
			mustImport(t, db, importSample())
			before := dumpTables(t, path)

			// Valid changes first, so that the failure has something to undo.
			data := importSample()
			data[0].Customer.Name = "张三"
			data[0].Plans[0].Bills[2].Status = supportbot.BillPaid
			data = tt.change(data)
			_, err := db.Import(context.Background(), data)
			if code := supportbot.ErrorCode(err); code != tt.code {
				t.Fatalf("Import error = %v (code %q), want code %q", err, code, tt.code)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Import error %q does not say %q", err, tt.msg)
			}
			if after := dumpTables(t, path); after != before {
				t.Errorf("a rejected import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func TestImportEmpty(t *testing.T) {
	db, path := openImportDB(t)
	before := dumpTables(t, path)
	if s := mustImport(t, db, nil); s.Changed() {
		t.Errorf("empty import stats = %+v, want no change", s)
	}
	if after := dumpTables(t, path); after != before {
		t.Errorf("an empty import changed the database")
	}
}

// TestReimportKeepsFinalStatuses: an export made before the bot took a
// payment or cancelled a debit must not reopen the bill or revive the debit.
func TestReimportKeepsFinalStatuses(t *testing.T) {
	ctx := context.Background()
	db, _ := openImportDB(t)
	data := importSample()
	mustImport(t, db, data)
	c := data[0]
	plan, sched := c.Plans[0], c.Scheduled[0]
	var unpaid int
	for _, b := range plan.Bills {
		if b.Status == supportbot.BillUnpaid {
			unpaid = b.Period
			break
		}
	}
	if unpaid == 0 || sched.Status != supportbot.ScheduledScheduled {
		t.Fatal("the sample needs an unpaid bill and a scheduled repayment")
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.PayBills(ctx, c.Customer.ID, plan.ID, unpaid); err != nil {
		t.Fatal(err)
	}
	if ok, err := tx.CancelScheduled(ctx, c.Customer.ID, sched.ID); err != nil || !ok {
		t.Fatalf("cancel %s: %v %v", sched.ID, ok, err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	mustImport(t, db, importSample()) // the same, older, export again

	tx, err = db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	p, err := tx.Plan(ctx, c.Customer.ID, plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range p.Bills {
		if b.Period == unpaid && b.Status != supportbot.BillPaid {
			t.Errorf("period %d reopened by a re-import", unpaid)
		}
	}
	list, err := tx.Scheduled(ctx, c.Customer.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range list {
		if r.ID == sched.ID && r.Status != supportbot.ScheduledCancelled {
			t.Errorf("%s revived as %s by a re-import", r.ID, r.Status)
		}
	}
}
