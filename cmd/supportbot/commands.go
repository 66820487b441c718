package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"supportbot"
	"supportbot/faq"
	"supportbot/flows"
	"supportbot/importer"
	"supportbot/store"
)

// runImport validates a core-system export and upserts it; a bad file is
// rejected whole, with the JSON path of every fault.
func runImport(ctx context.Context, cfg Config, path string, out io.Writer) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	data, err := importer.Parse(body)
	if err != nil {
		return fmt.Errorf("%s rejected, nothing imported:\n%w", path, err)
	}
	db, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return err
	}
	defer db.Close()
	stats, err := db.Import(ctx, data)
	if err != nil {
		return fmt.Errorf("%s rejected, nothing imported: %w", path, err)
	}
	summary, _ := json.Marshal(stats)
	fmt.Fprintf(out, "imported %s: %s\n", path, summary)
	return nil
}

// runAudit prints the audit log, as text or JSON lines.
func runAudit(ctx context.Context, cfg Config, customer string, asJSON bool, out io.Writer) error {
	db, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return err
	}
	defer db.Close()
	entries, err := db.Audit(ctx, customer)
	if err != nil {
		return err
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
			fmt.Fprintf(&b, " %s=%v", k, e.Details[k])
		}
		fmt.Fprintf(out, "%s  %-18s customer=%s%s\n", e.Time.Format("2006-01-02 15:04:05"), e.Action, e.CustomerID, b.String())
	}
	return nil
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
	db, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return err
	}
	defer db.Close()
	misses, err := db.Misses(ctx, limit)
	if err != nil {
		return err
	}
	for _, m := range misses {
		fmt.Fprintf(out, "%5d  %s  %s\n", m.Count, m.LastSeen.Format("2006-01-02"), m.Text)
	}
	return nil
}

// runTickets lists hand-off tickets: who, status, how long they waited for an
// agent, who took them, and the rating.
func runTickets(ctx context.Context, cfg Config, open bool, out io.Writer) error {
	db, err := store.Open(ctx, cfg.DatabasePath)
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

// runBackup copies the database with SQLite's online backup API.
func runBackup(ctx context.Context, cfg Config, path string, out io.Writer) error {
	db, err := store.Open(ctx, cfg.DatabasePath)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, path); err != nil {
		return err
	}
	fmt.Fprintf(out, "backed up %s to %s\n", cfg.DatabasePath, path)
	return nil
}

// knowledge adapts the FAQ index to what the engine asks of it.
type knowledge struct{ ix *faq.Index }

var (
	_ flows.Classifier = knowledge{}
	_ flows.Answers    = knowledge{}
)

// Classify passes the kind through: "flow", "faq", "none", or
// "out_of_scope" with the class in ID (oos-order, oos-mi-account, …), whose
// answer Answer gives and the engine shows with a way to a person.
func (k knowledge) Classify(text string) flows.Classification {
	r := k.ix.Classify(text)
	return flows.Classification{Kind: string(r.Kind), ID: r.ID, Score: r.Score,
		Confident: r.Band == faq.BandAnswer, Suggestions: r.Suggestions}
}

// Answer is the answer of a topic or of an out-of-scope class.
func (k knowledge) Answer(id string, lang supportbot.Lang) (string, string, bool) {
	e, ok := k.ix.Entry(id)
	if !ok || e.Kind != faq.KindFAQ && e.Kind != faq.KindOutOfScope {
		return "", "", false
	}
	return e.Answer[string(lang)], e.Flow, true
}

func (k knowledge) Title(id string, lang supportbot.Lang) string {
	e, ok := k.ix.Entry(id)
	if !ok || e.Kind != faq.KindFAQ && e.Kind != faq.KindOutOfScope {
		return ""
	}
	return e.Title[string(lang)]
}
