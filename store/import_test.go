package store_test

import (
	"context"
	"database/sql"
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
	c, err := tx.CustomerByPhone(ctx, "+8613900139000") // imported as 13900139000: kept in E.164
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
	db, path := openImportDB(t)
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
	before := dumpTables(t, path)
	if stats, err := db.ImportFrom(ctx, decoderSource(strings.NewReader(good))); err != nil || stats.Changed() ||
		stats.Bills.Unchanged != 600 {
		t.Errorf("re-import: %+v, %v; want nothing changed", stats, err)
	}
	if after := dumpTables(t, path); after != before {
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
	if after := dumpTables(t, path); after != before {
		t.Errorf("a rejected import changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}

	// A conflict with the database rejects the import too, after the
	// export was read whole.
	changed = generated(10)
	changed[0].Name = "改了"
	newcomer := importertest.Customer(1000)
	newcomer.Phone = importertest.Customer(20).Phone // G0000020's, who is not in this file
	_, err = db.ImportFrom(ctx, decoderSource(strings.NewReader(exportOf(t, append(changed, newcomer)...))))
	if supportbot.ErrorCode(err) != supportbot.ECONFLICT || !strings.Contains(err.Error(), "phone already belongs to customer G0000020") {
		t.Errorf("import of a phone another customer has: %v", err)
	}
	if after := dumpTables(t, path); after != before {
		t.Errorf("a rejected import changed the database")
	}
}

// TestImportKeys: what the importer keeps in the import's transaction.
func TestImportKeys(t *testing.T) {
	db, path := openImportDB(t)
	before := dumpTables(t, path)
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
	if after := dumpTables(t, path); after != before {
		t.Errorf("the keys stayed in the database:\n%s", after)
	}
}

type fixedSource struct{ err error }

func (*fixedSource) Next() (supportbot.CustomerData, bool) { return supportbot.CustomerData{}, false }
func (s *fixedSource) Err() error                          { return s.err }

// TestImportPhonesMigrateToE164: phones stored as 11 mainland digits before
// migration 007 are E.164 after it, and found by a shared contact's number.
func TestImportPhonesMigrateToE164(t *testing.T) {
	ctx := context.Background()
	db, path := openImportDB(t)
	mustImport(t, db, importSample())
	db.Close()

	// Back to how an older version stored them.
	raw, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE customers SET phone = substr(phone, 4)`,
		`DELETE FROM migrations WHERE name = 'migration/007_import.sql'`,
	} {
		if res, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		} else if n, _ := res.RowsAffected(); n == 0 {
			t.Fatalf("%s changed nothing", q)
		}
	}
	raw.Close()

	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for phone, id := range map[string]string{"+8613800138000": "C1", supportbot.ContactPhone("8613900139000"): "C2"} {
		if c, err := tx.CustomerByPhone(ctx, phone); err != nil || c.ID != id || c.Phone != phone {
			t.Errorf("CustomerByPhone(%s) = %+v, %v; want %s", phone, c, err, id)
		}
	}
}

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
	for i := range b.N {
		db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), fmt.Sprintf("bench%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
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
