package flows_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"supportbot"
	"supportbot/flows"
	"supportbot/locale"
	"supportbot/store"
)

var shanghai = mustLocation("Asia/Shanghai")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// harness is an engine on a temp-file database with a clock the test moves.
type harness struct {
	t      testing.TB
	path   string
	db     *store.DB
	eng    *flows.Engine
	mu     sync.Mutex
	now    time.Time
	cat    *locale.Catalog
	charge func(flows.Charge) error
	missed []string
	// agentChat is the staff chat; set it and call open() to hand off.
	agentChat int64
}

// start is the fixed "now" of every flow test: 2026-11-21 10:00 in Shanghai.
var start = time.Date(2026, 11, 21, 10, 0, 0, 0, shanghai)

func newHarness(t testing.TB, data []supportbot.CustomerData) *harness {
	t.Helper()
	h := &harness{t: t, path: filepath.Join(t.TempDir(), "bot.db"), now: start}
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	h.cat = cat
	h.open()
	if _, err := h.db.Import(context.Background(), data); err != nil {
		t.Fatalf("import: %v", err)
	}
	return h
}

// open (re)opens the database and builds a new engine on it: calling it again
// is a restart.
func (h *harness) open() {
	h.t.Helper()
	if h.db != nil {
		h.db.Close()
	}
	db, err := store.Open(context.Background(), h.path)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	db.Now = h.clock
	h.db = db
	h.eng = flows.New(flows.Config{
		Begin: func(ctx context.Context) (flows.Tx, error) {
			tx, err := db.Begin(ctx)
			if err != nil {
				return nil, err
			}
			return tx, nil
		},
		Catalog:     h.cat,
		Classifier:  fakeClassifier{},
		Answers:     fakeAnswers{},
		Payments:    paymentsFunc(h.pay),
		Misses:      missFunc(func(text string) { h.mu.Lock(); h.missed = append(h.missed, text); h.mu.Unlock() }),
		Location:    shanghai,
		Now:         h.clock,
		Hotline:     "400-100-5678",
		AgentChatID: h.agentChat,
		Hours:       supportbot.BusinessHours{Open: 9 * time.Hour, Close: 21 * time.Hour},
	})
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

func (h *harness) pay(c flows.Charge) error {
	if h.charge != nil {
		return h.charge(c)
	}
	return flows.LedgerPayments{}.Charge(context.Background(), c)
}

type missFunc func(string)

func (f missFunc) RecordMiss(_ context.Context, text string) error { f(text); return nil }

type paymentsFunc func(flows.Charge) error

func (f paymentsFunc) Charge(_ context.Context, c flows.Charge) error { return f(c) }

// fakeClassifier knows a few phrases, enough to route text in flow tests; the
// real classifier has its own tests in faq/.
type fakeClassifier struct{}

func (fakeClassifier) Classify(text string) flows.Classification {
	switch {
	case strings.Contains(text, "账单"), strings.Contains(text, "bill"):
		return flows.Classification{Kind: "flow", ID: "bill", Confident: true}
	case strings.Contains(text, "手续费"):
		return flows.Classification{Kind: "faq", ID: "early-repayment-fee", Confident: true}
	case strings.Contains(text, "还款"):
		return flows.Classification{Kind: "faq", ID: "early-repayment", Suggestions: []string{"early-repayment", "manual-repayment"}}
	}
	return flows.Classification{Kind: "none"}
}

type fakeAnswers struct{}

func (fakeAnswers) Answer(id string, lang supportbot.Lang) (string, string, bool) {
	if id == "early-repayment-fee" {
		return "ANSWER(" + id + "," + string(lang) + ")", "early-repayment", true
	}
	return "", "", false
}

func (fakeAnswers) Title(id string, lang supportbot.Lang) string { return "TITLE(" + id + ")" }

// chat is one customer talking to the engine.
type chat struct {
	h    *harness
	id   int64
	lang string
	last []supportbot.Reply
	// buttons remembers every button ever shown, for pressing old ones.
	buttons []supportbot.Button
}

func (h *harness) chat(id int64, lang string) *chat { return &chat{h: h, id: id, lang: lang} }

func (c *chat) event(ev supportbot.Event) []supportbot.Reply {
	c.h.t.Helper()
	ev.ChatID, ev.UserID, ev.LanguageCode = c.id, c.id, c.lang
	replies, err := c.h.eng.Handle(context.Background(), ev)
	if err != nil {
		c.h.t.Fatalf("handle %+v: %v", ev, err)
	}
	c.last = replies
	for _, r := range replies {
		for _, row := range r.Buttons {
			c.buttons = append(c.buttons, row...)
			for _, b := range row {
				if len(b.Data) > supportbot.MaxButtonData {
					c.h.t.Errorf("button %q data is %d bytes: %q", b.Text, len(b.Data), b.Data)
				}
			}
		}
	}
	return replies
}

// send types a line: a /command or text.
func (c *chat) send(line string) []supportbot.Reply {
	c.h.t.Helper()
	if cmd, ok := strings.CutPrefix(line, "/"); ok {
		name, args, _ := strings.Cut(cmd, " ")
		return c.event(supportbot.Event{Kind: supportbot.EventCommand, Text: name, Args: args})
	}
	return c.event(supportbot.Event{Kind: supportbot.EventText, Text: line})
}

// share shares a contact with the given owner.
func (c *chat) share(phone string, owner int64) []supportbot.Reply {
	c.h.t.Helper()
	return c.event(supportbot.Event{Kind: supportbot.EventContact, Phone: phone, ContactUserID: owner})
}

// button finds a button of the last replies whose label contains label.
func (c *chat) button(label string) supportbot.Button {
	c.h.t.Helper()
	for _, r := range c.last {
		for _, row := range r.Buttons {
			for _, b := range row {
				if strings.Contains(b.Text, label) {
					return b
				}
			}
		}
	}
	c.h.t.Fatalf("no button %q in:\n%s", label, c.text())
	return supportbot.Button{}
}

// press presses a button of the last replies.
func (c *chat) press(label string) []supportbot.Reply {
	c.h.t.Helper()
	return c.pressData(c.button(label).Data)
}

func (c *chat) pressData(data string) []supportbot.Reply {
	c.h.t.Helper()
	return c.event(supportbot.Event{Kind: supportbot.EventButton, Data: data})
}

// text is every reply of the last event, with button labels.
func (c *chat) text() string {
	var b strings.Builder
	for _, r := range c.last {
		b.WriteString(r.Text + "\n")
		for _, row := range r.Buttons {
			for _, btn := range row {
				b.WriteString("[" + btn.Text + "] ")
			}
			b.WriteString("\n")
		}
		if r.AskContact != "" {
			b.WriteString("{" + r.AskContact + "}\n")
		}
	}
	return b.String()
}

// expect fails unless the last replies contain every want.
func (c *chat) expect(wants ...string) {
	c.h.t.Helper()
	text := c.text()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			c.h.t.Errorf("reply lacks %q; got:\n%s", w, text)
		}
	}
}

// reject fails if the last replies contain any of unwanted.
func (c *chat) reject(unwanted ...string) {
	c.h.t.Helper()
	text := c.text()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			c.h.t.Errorf("reply should not contain %q; got:\n%s", w, text)
		}
	}
}

// identify links the chat to the customer with phone.
func (c *chat) identify(phone string) {
	c.h.t.Helper()
	c.share(phone, c.id)
	c.expect("✅")
}

// audit lists the audit entries with action.
func (h *harness) audit(action string) []supportbot.AuditEntry {
	h.t.Helper()
	all, err := h.db.Audit(context.Background(), "")
	if err != nil {
		h.t.Fatal(err)
	}
	var out []supportbot.AuditEntry
	for _, e := range all {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// plan reads a plan as the store has it now.
func (h *harness) plan(customerID, planID string) *supportbot.Plan {
	h.t.Helper()
	tx, err := h.db.Begin(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	defer tx.Rollback()
	p, err := tx.Plan(context.Background(), customerID, planID)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) scheduled(customerID string) map[string]string {
	h.t.Helper()
	tx, err := h.db.Begin(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	defer tx.Rollback()
	list, err := tx.Scheduled(context.Background(), customerID)
	if err != nil {
		h.t.Fatal(err)
	}
	m := map[string]string{}
	for _, s := range list {
		m[s.ID] = s.Status
	}
	return m
}

func eventWithID(id int64, command string) supportbot.Event {
	return supportbot.Event{UpdateID: id, Kind: supportbot.EventCommand, Text: strings.TrimPrefix(command, "/")}
}

func eventMedia() supportbot.Event { return supportbot.Event{Kind: supportbot.EventMedia} }
