package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"supportbot"
	"supportbot/faq"
	"supportbot/flows"
	"supportbot/importer"
	"supportbot/store"
)

// importLimits bound what an import reads; a test lowers them.
var importLimits = importer.DefaultLimits

// importProgressEvery is how often a long import says how far it got.
var importProgressEvery = 5 * time.Second

// runImport validates a core-system export and upserts it, one customer at a
// time into one transaction; a bad file is rejected whole, with the JSON path
// of every fault. Progress goes to progress (stderr), the result to out.
func runImport(ctx context.Context, cfg Config, path string, stdin io.Reader, out, progress io.Writer) error {
	imported := false
	if cfg.CoreURL != "" {
		// The data would go to the embedded core, which is not used.
		return errors.New("import: customer data is loaded into the embedded core; with CORE_URL the core system at that address owns it")
	}
	var src io.Reader = stdin // "-": standard input, as Unix tools take it
	var size int64
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("import: %w", err) // *PathError: names the file
		}
		defer f.Close()
		info, err := f.Stat()
		switch {
		case err != nil:
			return fmt.Errorf("import: %w", err)
		case info.IsDir():
			return fmt.Errorf("import %s: a directory, not an export file", path)
		case info.Size() > importLimits.MaxFileBytes:
			return fmt.Errorf("import %s: the file has %d bytes, more than the %d bytes an import may have (importer.Limits.MaxFileBytes)",
				path, info.Size(), importLimits.MaxFileBytes)
		}
		src, size = f, regularSize(info)
	}
	name := path
	if path == "-" {
		name = "standard input"
	}
	_, statErr := os.Stat(cfg.DatabasePath)
	created := cfg.DatabaseURL == "" && errors.Is(statErr, fs.ErrNotExist)
	db, err := openDB(ctx, cfg)
	if err != nil {
		return fmt.Errorf("import %s: %w", name, err) // openDB names the database
	}
	defer func() {
		if created && !imported {
			// Not ctx: interrupted, it is cancelled, and the blank database
			// stayed (an operator probe: then taken for the bot's, demo data
			// and all).
			removeBlank(context.WithoutCancel(ctx), db, cfg.DatabasePath)
		}
		db.Close()
	}()
	start := time.Now()
	limits := importLimits
	limits.Today = supportbot.DateOf(start, cfg.Location) // the file cannot say when "overdue" starts
	stats, err := db.ImportFrom(ctx, func(keys *store.ImportKeys) store.ImportSource {
		return &importProgress{Decoder: importer.NewDecoder(src, keys, limits), w: progress,
			path: name, size: size, start: start, last: start}
	})
	var faults *importer.FaultsError
	switch {
	case errors.As(err, &faults):
		return fmt.Errorf("%s rejected, nothing imported:\n%w", name, err)
	case err != nil && ctx.Err() != nil:
		// SIGINT or SIGTERM: the file was not refused, it was not finished.
		return fmt.Errorf("import of %s interrupted, nothing imported (database %s): %w", name, cfg.databaseName(), context.Cause(ctx))
	case err != nil:
		return fmt.Errorf("%s rejected, nothing imported (database %s): %w", name, cfg.databaseName(), err)
	}
	imported = true
	summary, _ := json.Marshal(stats)
	fmt.Fprintf(out, "imported %s: %s\n", name, summary)
	// Where it went: a mistyped DATABASE_PATH, or a run from another
	// directory, makes a new database the bot does not read (a probe).
	if created {
		fmt.Fprintf(out, "into the database %s, created by this import\n", cfg.DatabasePath)
	} else {
		fmt.Fprintf(out, "into the database %s\n", cfg.databaseName())
	}
	return nil
}

// removeBlank removes the SQLite database at path that a rejected import
// made: left there, empty, it would be taken by the other commands for the
// bot's (a mistyped DATABASE_PATH: an operator probe). Only if nothing was
// written to it meanwhile and no bot holds it — a bot started on the path
// during the import, or another import into it, keeps it.
func removeBlank(ctx context.Context, db *store.DB, path string) {
	if blank, err := db.Blank(ctx); err != nil || !blank {
		return
	}
	release, err := holdSQLite(path)
	if err != nil {
		return
	}
	defer release()
	db.Close()
	for _, suffix := range []string{"", "-wal", "-shm", "-journal", ".lock"} {
		os.Remove(path + suffix)
	}
}

// importProgress is the decoder of a running import, saying every
// importProgressEvery how far it got.
type importProgress struct {
	*importer.Decoder
	w           io.Writer
	path        string
	size        int64 // 0 when unknown (a pipe)
	start, last time.Time
}

// regularSize is a file's size, 0 for a pipe or a device, whose size says
// nothing about how much will be read.
func regularSize(info os.FileInfo) int64 {
	if !info.Mode().IsRegular() {
		return 0
	}
	return info.Size()
}

func (p *importProgress) Next() (supportbot.CustomerData, bool) {
	c, ok := p.Decoder.Next()
	if now := time.Now(); ok && now.Sub(p.last) >= importProgressEvery {
		p.last = now
		read := fmt.Sprintf("%d MB", p.Offset()>>20)
		if p.size > 0 {
			read = fmt.Sprintf("%d of %d MB (%d%%)", p.Offset()>>20, p.size>>20, p.Offset()*100/p.size)
		}
		fmt.Fprintf(p.w, "import %s: %d customers read, %s, %s\n", p.path, p.Customers(), read,
			now.Sub(p.start).Round(time.Second))
	}
	return c, ok
}

// runAudit prints the audit log, as text or JSON lines. The text gives times
// in the support time zone, as tickets does; JSON gives UTC, marked Z.
func runAudit(ctx context.Context, cfg Config, customer string, asJSON bool, out io.Writer) error {
	db, err := openExisting(ctx, cfg, "audit")
	if err != nil {
		return err
	}
	defer db.Close()
	entries, err := db.Audit(ctx, customer)
	if err != nil {
		return err
	}
	if len(entries) == 0 && !asJSON {
		// Nothing is an answer too (a probe: "--customer NOPE" printed nothing).
		if customer != "" {
			fmt.Fprintf(out, "no audit entries for customer %s\n", customer)
		} else {
			fmt.Fprintln(out, "no audit entries")
		}
		return nil
	}
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, e := range entries {
		if asJSON {
			line := map[string]any{}
			for k, v := range e.Details {
				line[k] = v
			}
			line["id"], line["time"], line["action"] = e.ID, e.Time.Format("2006-01-02T15:04:05.000Z07:00"), e.Action
			line["customer_id"], line["chat_id"] = e.CustomerID, e.ChatID
			if err := enc.Encode(line); err != nil {
				return err
			}
			continue
		}
		keys := make([]string, 0, len(e.Details))
		for k := range e.Details {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		for _, k := range keys {
			if v := e.Details[k]; !emptyDetail(v) { // nothing to say: left out, not "<nil>" or "flow="
				fmt.Fprintf(&b, " %s=%s", k, auditValue(v))
			}
		}
		who := "" // an entry of no customer (an import) says none
		if e.CustomerID != "" {
			who = " customer=" + e.CustomerID
		}
		fmt.Fprintf(out, "%s  %-18s%s%s\n", e.Time.In(cfg.Location).Format("2006-01-02 15:04:05"), e.Action, who, b.String())
	}
	return nil
}

// emptyDetail reports whether a detail of an audit entry (decoded from JSON)
// says nothing: null, "", [] or {}.
func emptyDetail(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// auditValue is a detail of an audit entry (decoded from JSON) as text:
// amounts in fen as the integers they are (12408473, not 1.2408473e+07),
// lists and objects as JSON.
func auditValue(v any) string {
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// runAsk prints how the classifier reads one question, as one JSON line; with
// explain, as a few readable lines instead (normalised text, clauses, top
// candidates, out-of-scope class, why).
func runAsk(text string, explain bool, out io.Writer) error {
	index, err := faq.Load()
	if err != nil {
		return err
	}
	if explain {
		_, err := io.WriteString(out, index.Explain(text).String())
		return err
	}
	return json.NewEncoder(out).Encode(index.Classify(text).Decision())
}

// runMisses lists the most frequent unanswered questions.
func runMisses(ctx context.Context, cfg Config, limit int, out io.Writer) error {
	db, err := openExisting(ctx, cfg, "faq misses")
	if err != nil {
		return err
	}
	defer db.Close()
	misses, err := db.Misses(ctx, limit)
	if err != nil {
		return err
	}
	if len(misses) == 0 {
		_, err := fmt.Fprintln(out, "no unanswered questions kept")
		return err
	}
	for _, m := range misses {
		fmt.Fprintf(out, "%5d  %s  %s\n", m.Count, m.LastSeen.In(cfg.Location).Format("2006-01-02"), m.Text)
	}
	return nil
}

// runTickets lists hand-off tickets: who, status, how long they waited for an
// agent, who took them, and the rating.
func runTickets(ctx context.Context, cfg Config, open bool, out io.Writer) error {
	db, err := openExisting(ctx, cfg, "tickets")
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Tickets(ctx, open, 200)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-7s %-9s %-8s %-16s %-10s %-12s %s\n", "ticket", "status", "customer", "opened", "wait", "agent", "rating")
	for _, t := range list {
		wait := "-"
		switch {
		case !t.FirstReplyAt.IsZero():
			wait = t.FirstReplyAt.Sub(t.CreatedAt).Round(time.Second).String()
		case t.Status == supportbot.TicketOpen:
			wait = time.Since(t.CreatedAt).Round(time.Second).String() + "+"
		}
		rating := "-"
		if t.Rating > 0 {
			rating = strconv.Itoa(t.Rating)
		}
		fmt.Fprintf(out, "#T%-5d %-9s %-8s %-16s %-10s %-12s %s\n", t.ID, t.Status, or(t.CustomerID, "-"),
			t.CreatedAt.In(cfg.Location).Format("2006-01-02 15:04"), wait, or(t.AgentName, "-"), rating)
	}
	return nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// runBackup copies the database with SQLite's online backup API. The
// database must exist: opening a missing one would create it, and the backup
// of that empty file would look like success.
func runBackup(ctx context.Context, cfg Config, path string, out io.Writer) error {
	if cfg.DatabaseURL != "" {
		return errors.New("backup: a PostgreSQL database (DATABASE_URL) is backed up with pg_dump")
	}
	db, err := openExisting(ctx, cfg, "backup")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, path); err != nil {
		return fmt.Errorf("backup %s to %s: %w", cfg.DatabasePath, path, err)
	}
	fmt.Fprintf(out, "backed up %s to %s\n", cfg.DatabasePath, path)
	return nil
}

// runActions lists money actions, newest first, with their age: what an
// operator looks at when the core was unreachable (state unknown) or a
// partner has not answered (processing). Nothing personal is printed: cards
// are masked, amounts and ids are the business's.
func runActions(ctx context.Context, cfg Config, state string, out io.Writer) error {
	switch supportbot.ActionState(state) {
	case "", supportbot.ActionPending, supportbot.ActionUnknown, supportbot.ActionProcessing, supportbot.ActionSucceeded,
		supportbot.ActionDeclined, supportbot.ActionFailed, supportbot.ActionRefused:
	default:
		return usageError("actions: --state is one of pending, unknown, processing, succeeded, declined, failed, refused")
	}
	db, err := openExisting(ctx, cfg, "actions")
	if err != nil {
		return err
	}
	defer db.Close()
	list, err := db.Actions(ctx, supportbot.ActionState(state), 200)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%-10s %-8s %-9s %-15s %-8s %-14s %-8s %s\n", "state", "kind", "customer", "amount", "tries", "card", "age", "key")
	for _, a := range list {
		amount := "-"
		if a.Repay != nil {
			amount = a.Repay.Amount.String()
		}
		detail := ""
		if r := a.Outcome.Refusal; r != nil {
			detail = " (" + string(r.Code) + ")"
		}
		if r := a.Outcome.Released; r != "" {
			detail = " (released: " + r + ")"
			if a.State == supportbot.ActionSucceeded {
				detail = " (released: " + r + "; the core said since that it succeeded)"
			}
		}
		fmt.Fprintf(out, "%-10s %-8s %-9s %-15s %-8d %-14s %-8s %s%s\n", a.State, a.Kind, a.CustomerID, amount, a.Attempts,
			or(last4(a.Card), "-"), time.Since(a.CreatedAt).Round(time.Second), a.Key, detail)
	}
	return nil
}

// runRelease runs `supportbot actions release KEY REASON`: an unknown money
// action settled as failed on the operator's word; the running bot tells
// the customer.
func runRelease(ctx context.Context, cfg Config, key, reason string, out io.Writer) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || strings.ContainsFunc(reason, unicode.IsControl) {
		return argsError("actions", "release KEY REASON (a reason on one line)", []string{key, reason})
	}
	db, err := openExisting(ctx, cfg, "actions release")
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := release(ctx, db, key, reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: failed (released)\ncustomer %s: the running bot tells the chat that confirmed it that nothing was taken\n", a.Key, a.CustomerID)
	return nil
}

// release settles the unknown action key as failed (flows.ReleaseAction), the
// reason kept in the audit with long numbers masked.
func release(ctx context.Context, db *store.DB, key, reason string) (*supportbot.Action, error) {
	var a *supportbot.Action
	err := db.Update(ctx, func(tx *store.Tx) error {
		var err error
		a, err = flows.ReleaseAction(ctx, tx, key, supportbot.MaskLongNumbers(reason), tx.Now())
		return err
	})
	if code := supportbot.ErrorCode(err); code == supportbot.ENOTFOUND || code == supportbot.ECONFLICT {
		return nil, fmt.Errorf("actions release: %s", supportbot.ErrorMessage(err))
	}
	return a, err
}

// last4 shows a masked card by its last 4 digits only.
func last4(masked string) string {
	if i := strings.LastIndex(masked, " "); i >= 0 {
		return "****" + masked[i+1:]
	}
	return masked
}
