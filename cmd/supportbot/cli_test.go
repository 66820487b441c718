package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"supportbot"
	"supportbot/importer"
	"supportbot/importer/importertest"
	"supportbot/store"
	"supportbot/store/storetest"
)

// runCLI runs one subcommand on the database at dbPath and returns its
// stdout, stderr and error.
func runCLI(t *testing.T, dbPath string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, env(map[string]string{"DATABASE_PATH": dbPath, "LOG_LEVEL": "error"}),
		strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// TestEverySubcommandHasHelp: --help and -h print the subcommand's own usage
// to stdout and do nothing else — no file named --help, no database, no
// question classified (issue 15.13).
func TestEverySubcommandHasHelp(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	dbPath := filepath.Join(dir, "bot.db")
	for name := range commandUsage {
		for _, args := range [][]string{{name, "--help"}, {name, "-h"}, {"help", name}, {name, "x", "--help"}} {
			if name == "faq" && args[0] == name {
				args = append([]string{"faq", "misses"}, args[1:]...)
			}
			out, errOut, err := runCLI(t, dbPath, args...)
			if err != nil || !strings.HasPrefix(out, "usage:") || !strings.Contains(out, "supportbot "+name) || errOut != "" {
				t.Errorf("supportbot %s: %v, stdout %q, stderr %q; want its usage on stdout", strings.Join(args, " "), err, out, errOut)
			}
		}
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		if out, _, err := runCLI(t, dbPath, args...); err != nil || !strings.Contains(out, "supportbot COMMAND --help") {
			t.Errorf("supportbot %s: %v, %q", args[0], err, out)
		}
	}
	// Help for no such command is an error, as the command itself is (a probe: exit 0).
	var unknown usageError
	if _, _, err := runCLI(t, dbPath, "help", "bogus"); !errors.As(err, &unknown) || !strings.Contains(err.Error(), "unknown command bogus") {
		t.Errorf("help bogus: %v, want a usage error naming the command", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("help wrote %v", entries)
	}
	// A question that is only a flag is a usage error, and "--" makes it a question.
	var usage usageError
	if _, _, err := runCLI(t, dbPath, "ask", "-x"); !errors.As(err, &usage) || !strings.Contains(err.Error(), "usage: supportbot ask") {
		t.Errorf("ask -x: %v, want the usage of ask", err)
	}
	if out, _, err := runCLI(t, dbPath, "ask", "--", "-h 提前还款要手续费吗"); err != nil || !strings.Contains(out, `"kind"`) {
		t.Errorf("ask -- -h…: %v, %q", err, out)
	}
	// A malformed command gets its own usage, not the general one; a
	// nonsense value is refused, not answered with nothing.
	for _, args := range [][]string{{"closure"}, {"closure", "set", "CR-1"}, {"closure", "sett", "CR-1", "completed"},
		{"faq", "misses", "--limit", "-3"}, {"faq", "misses", "--limit", "0"}} {
		_, _, err := runCLI(t, dbPath, args...)
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "usage: supportbot "+args[0]) {
			t.Errorf("supportbot %s: %v; want the usage of %s", strings.Join(args, " "), err, args[0])
		}
	}
}

// TestUsageSaysWhatWasWrong: an unknown command printed the usage alone,
// and a bad flag of audit, actions, tickets or faq misses printed the flag
// package's own listing ("Usage of audit: -customer string …") before the
// usage. Each says, in one line, what was wrong, then the usage.
func TestUsageSaysWhatWasWrong(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.db")
	for _, tc := range []struct {
		args  []string
		line  string
		usage string
	}{
		{[]string{"bogus"}, "unknown command bogus", usage},
		{[]string{"audit", "--bogus"}, "audit: flag provided but not defined: -bogus", commandUsage["audit"]},
		{[]string{"actions", "--bogus"}, "actions: flag provided but not defined: -bogus", commandUsage["actions"]},
		{[]string{"tickets", "--open", "-bogus"}, "tickets: flag provided but not defined: -bogus", commandUsage["tickets"]},
		{[]string{"faq", "misses", "--bogus"}, "faq misses: flag provided but not defined: -bogus", commandUsage["faq"]},
		{[]string{"faq", "misses", "--limit", "abc"}, `faq misses: invalid value "abc" for flag -limit: parse error`, commandUsage["faq"]},
		{[]string{"ask", "--bogus", "x"}, "ask: flag provided but not defined: -bogus", commandUsage["ask"]},
		{[]string{"import", "--bogus"}, "import: flag provided but not defined: -bogus", commandUsage["import"]},
		// Wrong arguments too (a probe got the usage alone, and "done" exited 1).
		{[]string{"import"}, "import: missing one FILE", commandUsage["import"]},
		{[]string{"import", "a.json", "b.json"}, `import: want one FILE, got ["a.json" "b.json"]`, commandUsage["import"]},
		{[]string{"tickets", "--open", "extra"}, `tickets: want no arguments, got ["extra"]`, commandUsage["tickets"]},
		{[]string{"closure", "set"}, "closure: missing REF and completed|rejected", commandUsage["closure"]},
		{[]string{"closure", "set", "CR-1", "done"}, `closure set: the decision is completed or rejected, not "done"`, commandUsage["closure"]},
		{[]string{"ask"}, "ask: missing one question, quoted", commandUsage["ask"]},
		// An empty name (an operator probe: "open : no such file", "closure request  not found").
		{[]string{"backup", ""}, `backup: want one FILE, got [""]`, commandUsage["backup"]},
		{[]string{"closure", "set", "", "completed"}, `closure: want REF and completed|rejected, got ["" "completed"]`, commandUsage["closure"]},
		{[]string{"actions", "release", "repay:x"}, `actions: want release KEY REASON, got ["repay:x"]`, commandUsage["actions"]},
	} {
		out, errOut, err := runCLI(t, missing, tc.args...)
		var u usageError
		if want := tc.line + "\n" + tc.usage; !errors.As(err, &u) || err.Error() != want || out != "" || errOut != "" {
			t.Errorf("supportbot %s: %v, stdout %q, stderr %q\nwant only the usage error:\n%s",
				strings.Join(tc.args, " "), err, out, errOut, want)
		}
	}
}

// TestADatabaseThatIsNotOneIsNamed: DATABASE_PATH naming a directory or
// a file that is not a database stops the bot, and every command, with an
// error that names it.
func TestADatabaseThatIsNotOneIsNamed(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "export.json")
	if err := os.WriteFile(notDB, []byte(`{"customers":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{dir, notDB} {
		for _, args := range [][]string{nil, {"tickets"}, {"import", "testdata/customers.json"}} {
			_, _, err := runCLI(t, path, args...)
			if err == nil || !strings.Contains(err.Error(), path) {
				t.Errorf("supportbot %s on %s: %v; want an error naming it", strings.Join(args, " "), path, err)
			}
		}
	}
}

// TestBackupNeedsTheDatabase: a DATABASE_PATH that does not exist is an
// error naming it, not an empty database backed up (issue 15.13).
func TestBackupNeedsTheDatabase(t *testing.T) {
	dir := t.TempDir()
	missing, copyPath := filepath.Join(dir, "missing.db"), filepath.Join(dir, "copy.db")
	_, _, err := runCLI(t, missing, "backup", copyPath)
	if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("backup of a missing database: %v, want an error naming %s", err, missing)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the failed backup left %v", entries)
	}

	dbPath := filepath.Join(dir, "bot.db")
	if _, _, err := runCLI(t, dbPath, "import", "testdata/customers.json"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := runCLI(t, dbPath, "backup", copyPath); err != nil || out != "backed up "+dbPath+" to "+copyPath+"\n" {
		t.Fatalf("backup: %v, %q", err, out)
	}
	for _, target := range []string{copyPath, filepath.Join(dir, "no such dir", "copy.db")} {
		if _, _, err := runCLI(t, dbPath, "backup", target); err == nil || !strings.Contains(err.Error(), "to "+target+": ") {
			t.Errorf("backup to %s: %v, want an error naming it", target, err)
		}
	}
	if _, _, err := runCLI(t, dir, "backup", filepath.Join(dir, "dir.db")); err == nil || !strings.Contains(err.Error(), "database "+dir) {
		t.Errorf("backup of a directory: %v, want an error naming it", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "dir.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed backup left its file: %v", err)
	}
}

// TestImportErrorsNameThePaths: the file, its faults, the limit, the database.
func TestImportErrorsNameThePaths(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "bot.db")
	missing := filepath.Join(dir, "missing.json")
	if _, _, err := runCLI(t, dbPath, "import", missing); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("import of a missing file: %v", err)
	}
	if _, _, err := runCLI(t, dbPath, "import", dir); err == nil || !strings.Contains(err.Error(), "import "+dir+": a directory") {
		t.Errorf("import of a directory: %v", err)
	}

	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"customers": [{"id": "C1", "name": "x", "phone": "+8613800138000", "id_card_last4": "1234", "pending_refunds": 0,
		"plans": [{"id": "P1", "order_no": "1", "product": "p", "partner": "q", "principal_fen": 100, "principal_fen": 150,
		"periods": 1, "prepay_fee_rate_bp": 0, "bills": [{"period": 1, "due_date": "2026-01-01", "principal_fen": 100, "fee_fen": 0, "late_fee_fen": 0, "status": "paid"}]}]}]}`), 0o600)
	_, _, err := runCLI(t, dbPath, "import", bad)
	if err == nil || err.Error() != bad+" rejected, nothing imported:\ncustomers[0].plans[0].principal_fen: duplicate key" {
		t.Errorf("import of a bad file: %v", err)
	}

	defer func(l importer.Limits) { importLimits = l }(importLimits)
	importLimits.MaxFileBytes = 100
	if _, _, err := runCLI(t, dbPath, "import", bad); err == nil ||
		!strings.Contains(err.Error(), "import "+bad+": the file has") || !strings.Contains(err.Error(), "more than the 100 bytes") {
		t.Errorf("import of a file over the limit: %v", err)
	}
	importLimits.MaxFileBytes = importer.DefaultLimits.MaxFileBytes

	if _, _, err := runCLI(t, dir, "import", "testdata/customers.json"); err == nil || !strings.Contains(err.Error(), "database "+dir) {
		t.Errorf("import into a directory: %v, want an error naming it", err)
	}
}

// TestImportRefusesALateFeeNotYetDue: a late fee on a bill whose due date
// is not past in SUPPORT_TIMEZONE is refused; the same bill is overdue, and
// its late fee accepted, where the day is already later.
func TestImportRefusesALateFeeNotYetDue(t *testing.T) {
	dir := t.TempDir()
	// Pago Pago is 25 hours behind Kiritimati: its today is always past there.
	samoa, err := time.LoadLocation("Pacific/Pago_Pago")
	if err != nil {
		t.Fatal(err)
	}
	due := supportbot.DateOf(time.Now(), samoa)
	file := filepath.Join(dir, "late.json")
	os.WriteFile(file, []byte(`{"customers": [{"id": "C1", "name": "x", "phone": "+8613800138000", "id_card_last4": "1234", "pending_refunds": 0,
		"plans": [{"id": "P1", "order_no": "1", "product": "p", "partner": "q", "principal_fen": 100, "periods": 1, "prepay_fee_rate_bp": 0,
		"bills": [{"period": 1, "due_date": "`+string(due)+`", "principal_fen": 100, "fee_fen": 0, "late_fee_fen": 50, "status": "unpaid"}]}]}]}`), 0o600)
	importIn := func(zone string) error {
		return Run(context.Background(), []string{"import", file},
			env(map[string]string{"DATABASE_PATH": filepath.Join(dir, zone[len("Pacific/"):]+".db"), "LOG_LEVEL": "error",
				"SUPPORT_TIMEZONE": zone}), strings.NewReader(""), io.Discard, io.Discard)
	}
	want := "customers[0].plans[0].bills[0].late_fee_fen: a late fee on a bill not yet overdue: due " + string(due)
	if err := importIn("Pacific/Pago_Pago"); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("import of a late fee due today: %v, want %q", err, want)
	}
	if err := importIn("Pacific/Kiritimati"); err != nil {
		t.Errorf("import of a late fee due before today: %v", err)
	}
}

// TestARejectedImportLeavesNoDatabase: a rejected import into a new path
// left an empty database there, which audit, tickets and backup then took
// for the bot's; a 0-byte file was made a database by audit (an operator
// probe). The rejected import leaves nothing; an empty file is refused.
func TestARejectedImportLeavesNoDatabase(t *testing.T) {
	dir := t.TempDir()
	dbPath, bad := filepath.Join(dir, "new.db"), filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"customers":[{"id":"C1"`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runCLI(t, dbPath, "import", bad); err == nil || !strings.Contains(err.Error(), "rejected, nothing imported") {
		t.Fatalf("import of a truncated file: %v, want it rejected", err)
	}
	if entries, _ := filepath.Glob(dbPath + "*"); len(entries) != 0 {
		t.Errorf("a rejected import left %q", entries)
	}
	if _, _, err := runCLI(t, dbPath, "audit"); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("audit after a rejected import: %v, want the database said missing", err)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"audit"}, {"tickets"}, {"actions"}, {"backup", filepath.Join(dir, "copy.db")}} {
		if _, _, err := runCLI(t, empty, args...); err == nil || !strings.Contains(err.Error(), "is an empty file, not a supportbot database") {
			t.Errorf("%s on a 0-byte file: %v, want it refused", args[0], err)
		}
	}
	if st, err := os.Stat(empty); err != nil || st.Size() != 0 {
		t.Errorf("the 0-byte file was changed: %v", err)
	}
}

// TestImportFromStandardInput: "import -" was "open -: no such file" (an
// operator probe); it reads standard input, as Unix tools do.
func TestImportFromStandardInput(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	var export, out, errOut bytes.Buffer
	if err := importertest.Write(&export, 5); err != nil {
		t.Fatal(err)
	}
	err := Run(context.Background(), []string{"import", "-"}, env(map[string]string{"DATABASE_PATH": dbPath, "LOG_LEVEL": "error"}),
		&export, &out, &errOut)
	if err != nil || !strings.HasPrefix(out.String(), `imported standard input: {"customers":{"inserted":5,`) {
		t.Errorf("import -: %v, %q", err, out.String())
	}
}

// TestImportStreamsWithProgress: a long import says how far it got on
// stderr; the same file again changes nothing (issue 20).
func TestImportStreamsWithProgress(t *testing.T) {
	dir := t.TempDir()
	dbPath, file := filepath.Join(dir, "bot.db"), filepath.Join(dir, "export.json")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := importertest.Write(f, 300); err != nil {
		t.Fatal(err)
	}
	f.Close()
	defer func(d time.Duration) { importProgressEvery = d }(importProgressEvery)
	importProgressEvery = 0

	out, errOut, err := runCLI(t, dbPath, "import", file)
	if err != nil || !strings.HasPrefix(out, "imported "+file+`: {"customers":{"inserted":300,`) {
		t.Fatalf("import: %v, %q", err, out)
	}
	// Where it went, and that the database is new (a mistyped path would be).
	if !strings.Contains(out, "into the database "+dbPath+", created by this import\n") {
		t.Errorf("import into a new database does not say so:\n%s", out)
	}
	if !strings.Contains(errOut, "import "+file+": 300 customers read, 0 of 0 MB (100%)") {
		t.Errorf("no progress line for the last customer on stderr:\n%.300s", errOut)
	}
	out, _, err = runCLI(t, dbPath, "import", file)
	if err != nil || !strings.Contains(out, `"bills":{"inserted":0,"updated":0,"unchanged":3600}`) ||
		!strings.HasSuffix(out, "into the database "+dbPath+"\n") {
		t.Errorf("re-import: %v, %q", err, out)
	}

	// From a pipe the size is unknown: the line says how much was read, no percentage.
	fifo := filepath.Join(dir, "export.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			t.Error(err)
			return
		}
		defer w.Close()
		if err := importertest.Write(w, 300); err != nil {
			t.Error(err)
		}
	}()
	out, errOut, err = runCLI(t, dbPath, "import", fifo)
	if err != nil || !strings.HasPrefix(out, "imported "+fifo) {
		t.Fatalf("import from a pipe: %v, %q", err, out)
	}
	if !strings.Contains(errOut, "import "+fifo+": 300 customers read, 0 MB, ") || strings.Contains(errOut, "%") {
		t.Errorf("progress of an import from a pipe:\n%.300s", errOut)
	}
}

// TestImportInterruptedIsNotRejected: an import stopped by SIGTERM said
// "rejected, nothing imported … context canceled", as if the file were bad.
func TestImportInterruptedIsNotRejected(t *testing.T) {
	dir := t.TempDir()
	dbPath, file := filepath.Join(dir, "bot.db"), filepath.Join(dir, "export.json")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := importertest.Write(f, 300); err != nil {
		t.Fatal(err)
	}
	f.Close()
	defer func(d time.Duration) { importProgressEvery = d }(importProgressEvery)
	importProgressEvery = 0

	// Into the bot's database (one an interrupted import makes is removed,
	// as a rejected one's is).
	if _, _, err := runCLI(t, dbPath, "notice", "clear"); err != nil {
		t.Fatal(err)
	}
	// The signal arrives while customers are read: at the first progress line.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	err = Run(ctx, []string{"import", file}, env(map[string]string{"DATABASE_PATH": dbPath, "LOG_LEVEL": "error"}),
		strings.NewReader(""), &out, writerFunc(func(p []byte) (int, error) { cancel(); return len(p), nil }))
	want := "import of " + file + " interrupted, nothing imported (database " + dbPath + "): context canceled"
	if err == nil || err.Error() != want || out.Len() != 0 {
		t.Errorf("import interrupted: %v, stdout %q\nwant %s", err, out.String(), want)
	}
	if out, _, err := runCLI(t, dbPath, "audit"); err != nil || out != "no audit entries\n" {
		t.Errorf("after the interrupted import, audit: %v, %q; want nothing imported", err, out)
	}
	// Into a new path: the database it made is removed, as a rejected
	// import's is (an operator probe: left, empty, then taken by the bot
	// for its own, with the demo data in it).
	fresh := filepath.Join(dir, "new.db")
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	err = Run(ctx, []string{"import", file}, env(map[string]string{"DATABASE_PATH": fresh, "LOG_LEVEL": "error"}),
		strings.NewReader(""), &out, writerFunc(func(p []byte) (int, error) { cancel(); return len(p), nil }))
	if err == nil || !strings.Contains(err.Error(), "interrupted, nothing imported") {
		t.Errorf("import into a new path interrupted: %v", err)
	}
	if left, _ := filepath.Glob(fresh + "*"); len(left) != 0 {
		t.Errorf("an interrupted import into a new path left %q", left)
	}
	// Nothing is said as such, for a customer too; JSON lines stay empty.
	var usage usageError
	if _, _, err := runCLI(t, dbPath, "audit", "--customer", ""); !errors.As(err, &usage) || !strings.Contains(err.Error(), "--customer needs a customer id") {
		t.Errorf("audit --customer '': %v, want a usage error (not the whole log: a probe)", err)
	}
	if out, _, err := runCLI(t, dbPath, "audit", "--customer", "NOPE"); err != nil || out != "no audit entries for customer NOPE\n" {
		t.Errorf("audit of an unknown customer: %v, %q", err, out)
	}
	if out, _, err := runCLI(t, dbPath, "audit", "--json"); err != nil || out != "" {
		t.Errorf("audit --json of nothing: %v, %q; want no line", err, out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// TestImportIsForTheEmbeddedCore: with CORE_URL the core system owns the
// customers; an import would fill tables nothing reads, so it is refused.
func TestImportIsForTheEmbeddedCore(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	var out, errOut bytes.Buffer
	err := Run(context.Background(), []string{"import", "testdata/customers.json"},
		env(map[string]string{"DATABASE_PATH": dbPath, "LOG_LEVEL": "error", "CORE_URL": "http://127.0.0.1:1", "CORE_TOKEN": "t"}),
		strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "CORE_URL") {
		t.Errorf("import with CORE_URL: %v, want a refusal naming CORE_URL", err)
	}
	if _, err := os.Stat(dbPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused import opened the database: %v", err)
	}
}

// TestAuditTextShowsAmountsAsIntegers: audit details come back from JSON as
// float64; the text form printed ¥124,084.73 as amount_fen=1.2408473e+07 and
// an absent list as <nil>.
func TestAuditTextShowsAmountsAsIntegers(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{float64(12408473), "12408473"},
		{float64(0.5), "0.5"},
		{"CR-20261202-0001", "CR-20261202-0001"},
		{[]any{"S1", "S2"}, `["S1","S2"]`},
		{true, "true"},
	} {
		if got := auditValue(c.v); got != c.want {
			t.Errorf("auditValue(%#v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// TestAuditTextIsInTheSupportTimeZone: the text form printed UTC with no
// zone, where tickets and notices speak SUPPORT_TIMEZONE, and printed
// "flow=" for a detail with nothing to say; faq misses printed the UTC day.
func TestAuditTextIsInTheSupportTimeZone(t *testing.T) {
	cfg := storetest.Config(t)
	db, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Date(2026, 12, 2, 1, 30, 0, 0, time.UTC) }
	err = db.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.AppendAudit(context.Background(), supportbot.AuditEntry{Action: "card_number_refused", CustomerID: "C1",
			Details: map[string]any{"flow": "", "plan_ids": []string{}, "card": map[string]any{}, "gone": nil, "amount_fen": 100}}); err != nil {
			return err
		}
		// no customer: no empty "customer=" (an operator's probe)
		return tx.AppendAudit(context.Background(), supportbot.AuditEntry{Action: "import", Details: map[string]any{"customers": 2}})
	})
	if err == nil { // late evening in UTC, the next day in Shanghai (a probe: faq misses said the UTC day)
		db.Now = func() time.Time { return time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC) }
		err = db.RecordMiss(context.Background(), "花呗能还吗")
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"LOG_LEVEL": "error"}
	dbEnv(vars, cfg)
	var misses bytes.Buffer
	if err := Run(context.Background(), []string{"faq", "misses"}, env(vars), strings.NewReader(""), &misses, io.Discard); err != nil ||
		!strings.Contains(misses.String(), "2026-12-05") {
		t.Errorf("faq misses: %v, %q; want the day in SUPPORT_TIMEZONE, 2026-12-05", err, misses.String())
	}
	for zone, want := range map[string]string{
		"": "2026-12-02 09:30:00  card_number_refused customer=C1 amount_fen=100\n" + // Asia/Shanghai
			"2026-12-02 09:30:00  import             customers=2\n",
		"America/New_York": "2026-12-01 20:30:00  card_number_refused customer=C1 amount_fen=100\n" +
			"2026-12-01 20:30:00  import             customers=2\n",
	} {
		vars := map[string]string{"LOG_LEVEL": "error", "SUPPORT_TIMEZONE": zone}
		dbEnv(vars, cfg)
		var out bytes.Buffer
		if err := Run(context.Background(), []string{"audit"}, env(vars), strings.NewReader(""), &out, io.Discard); err != nil || out.String() != want {
			t.Errorf("audit with SUPPORT_TIMEZONE=%q: %v\n got %q\nwant %q", zone, err, out.String(), want)
		}
	}
}

// TestReadCommandsNeedTheDatabase: audit, tickets, actions, faq misses and
// closure set on a DATABASE_PATH that does not exist name it, and create
// nothing (a mistyped path looked like an empty audit log).
func TestReadCommandsNeedTheDatabase(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo.db")
	for _, args := range [][]string{{"audit"}, {"tickets"}, {"actions"}, {"faq", "misses"}, {"closure", "set", "CR-20261202-0001", "completed"}} {
		_, _, err := runCLI(t, missing, args...)
		if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("supportbot %s on a missing database: %v, want an error naming it", strings.Join(args, " "), err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("the commands created %v", entries)
	}
}

// TestASecondBotOnOneSQLiteDatabaseIsRefused: two bot processes on one
// SQLite file sent most replies twice, silently (an operator's probe: an
// overlapping restart, a manual run beside the service). The second is
// refused at start, naming the file; commands (import, audit) still run.
func TestASecondBotOnOneSQLiteDatabaseIsRefused(t *testing.T) {
	if storetest.Backend() != "sqlite" {
		t.Skip("several instances share PostgreSQL") // before a bot starts: one stopped while connecting fails the test
	}
	a := MustRunMain(t)
	a.customer(5001, "zh").say("/start", "你好") // the first is up
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	err := Run(ctx, nil, env(a.env), strings.NewReader(""), &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "in use by another supportbot process") || !strings.Contains(err.Error(), a.db.Path) {
		t.Fatalf("a second bot on %s: %v; want it refused, naming the file", a.db.Path, err)
	}
	if got := a.run("audit"); !strings.Contains(got, "import") {
		t.Errorf("audit beside the running bot: %q", got)
	}
	a.customer(5002, "zh").say("/start", "你好") // the first still answers
}
