package flows_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	_ "time/tzdata"

	"supportbot"
	"supportbot/bot/telegramtest"
	"supportbot/corehttp"
	"supportbot/corehttp/coretest"
	"supportbot/embedcore"
	"supportbot/faq"
	"supportbot/flows"
	"supportbot/locale"
	"supportbot/store"
	"supportbot/store/storetest"
)

var shanghai = mustLocation("Asia/Shanghai")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// harness is an engine on a fresh database (SQLite, or PostgreSQL when
// SUPPORTBOT_TEST_DATABASE=postgres) with a clock the test moves, talking to
// the embedded core directly or, when SUPPORTBOT_TEST_CORE=http, through the
// HTTP client of the contract and the fake core server (which serves the
// same embedded core): every flow test runs on both paths.
type harness struct {
	t        testing.TB
	cfg      store.Config
	db       *store.DB
	eng      *flows.Engine
	embedded *embedcore.Core
	fake     *coretest.Server // nil unless the core is reached over HTTP
	hooks    *hooks
	mu       sync.Mutex
	now      time.Time
	cat      *locale.Catalog
	missed   []string
	source   atomic.Int64
	metrics  *testMetrics
	// failuresExpected: the test makes steps fail on purpose.
	failuresExpected bool
	// afterRepaymentsRead, when set, runs once after the engine next reads
	// a customer's repayments: what another step commits in between.
	afterRepaymentsRead func()
	// failWrites is how many of the engine's next write transactions fail,
	// as with a database that does not answer (below zero: none).
	failWrites atomic.Int64
	// agentChat is the staff chat; set it and call open() to hand off.
	agentChat int64
	// kb answers free text: a fake by default (see fakeClassifier); set it
	// and call open() for the real FAQ.
	kb interface {
		flows.Classifier
		flows.Answers
	}
	// refs name the chats, the same for every engine on the database (the
	// deployment's, as cmd/supportbot keeps them in it).
	refs supportbot.ChatRefs
	// logs, when set before open(), gets what the engine logs (debug level).
	logs *syncBuffer
}

// syncBuffer is a buffer the engine's workers write to at once.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testRefs are the chat references of a test deployment: a fixed key.
func testRefs(t testing.TB) supportbot.ChatRefs {
	t.Helper()
	refs, err := supportbot.NewChatRefs([]byte("a test deployment's 32-byte key!"))
	if err != nil {
		t.Fatal(err)
	}
	return refs
}

// realFAQ makes the harness answer free text with the real knowledge base
// (before open).
func (h *harness) realFAQ() {
	h.t.Helper()
	index, err := loadFAQ()
	if err != nil {
		h.t.Fatal(err)
	}
	h.kb = faq.Knowledge{Index: index}
}

// loadFAQ is the real FAQ, built once for the package's tests: building it
// was most of a test's time under -race (the package passed 10 minutes in
// CI run 72), and an Index is only read, by any number of chats at once, as
// in the bot.
var loadFAQ = sync.OnceValues(faq.Load)

// fakeKB is the fake classifier with its answers.
type fakeKB struct {
	fakeClassifier
	fakeAnswers
}

// start is the fixed "now" of every flow test: 2026-11-21 10:00 in Shanghai.
var start = time.Date(2026, 11, 21, 10, 0, 0, 0, shanghai)

// overHTTP reports whether this run reaches the core through the contract.
func overHTTP() bool { return os.Getenv("SUPPORTBOT_TEST_CORE") == "http" }

func newHarness(t testing.TB, data []supportbot.CustomerData) *harness {
	t.Helper()
	h := &harness{t: t, cfg: storetest.Config(t), now: start, hooks: &hooks{}, metrics: &testMetrics{}, kb: fakeKB{}, refs: testRefs(t)}
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	h.cat = cat
	h.open()
	if _, err := h.db.Import(context.Background(), data); err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Cleanup(func() {
		// A step that failed is retried later and, in the end, apologised
		// for: never what a flow test expects unless it says so.
		if failed := h.failedSteps(); len(failed) > 0 && !h.failuresExpected {
			t.Errorf("steps failed: %v", failed)
		}
	})
	return h
}

// open (re)opens the database and builds a new engine on it: calling it again
// is a restart.
func (h *harness) open() {
	h.t.Helper()
	if h.db != nil {
		h.db.Close()
	}
	db, err := store.Open(context.Background(), h.cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	db.Now = h.clock
	h.db = db
	h.embedded = embedcore.New(db, shanghai, h.clock)
	var core flows.Core = h.embedded
	if overHTTP() {
		if h.fake != nil {
			h.fake.Close()
		}
		h.fake = coretest.Start(h.t, h.embedded, coretest.WithClock(h.clock))
		// The core's events come to the bot's /core/events, signed, as in
		// production: the handler commits them through the engine of now.
		events, err := corehttp.NewEventHandler(corehttp.EventsConfig{Secret: "events-secret", Sink: engineSink{h}, Now: h.clock})
		if err != nil {
			h.t.Fatal(err)
		}
		srv := httptest.NewServer(events)
		h.t.Cleanup(srv.Close)
		h.fake.SetEvents(srv.URL+"/core/events", "events-secret")
		client, err := corehttp.New(corehttp.Config{BaseURL: h.fake.URL(), Token: h.fake.Token(),
			Reads:   corehttp.Policy{AttemptTimeout: 2 * time.Second, Attempts: 2, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond},
			Actions: corehttp.Policy{AttemptTimeout: 2 * time.Second, Attempts: 2, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}})
		if err != nil {
			h.t.Fatal(err)
		}
		core = client
	}
	h.hooks.set(func(k *hooks) { k.Core = core })
	var engineCore flows.Core = h.hooks
	if d, ok := core.(flows.ClosureDecider); ok {
		engineCore = deciding{h.hooks, d}
	}
	logger := slog.New(slog.DiscardHandler)
	if h.logs != nil {
		logger = slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	eng := flows.New(flows.Config{
		Store:       stateStore{db, h},
		Core:        engineCore,
		Catalog:     h.cat,
		Classifier:  h.kb,
		Answers:     h.kb,
		Metrics:     h.metrics,
		Misses:      missFunc(func(text string) { h.mu.Lock(); h.missed = append(h.missed, text); h.mu.Unlock() }),
		Location:    shanghai,
		Now:         h.clock,
		Hotline:     "400-100-5678",
		AgentChatID: h.agentChat,
		AgentIDs:    []int64{7, 8, 9},
		FAQ:         fakeAnswers{},
		Hours:       supportbot.BusinessHours{Open: 9 * time.Hour, Close: 21 * time.Hour},
		CoreEvents:  embeddedEvents{db},
		ChatRefs:    h.refs,
		Logger:      logger,
	})
	h.mu.Lock()
	h.eng = eng
	h.mu.Unlock()
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

// drain handles everything waiting: events, money actions, the embedded
// core's events.
func (h *harness) drain() {
	h.t.Helper()
	if err := h.eng.Drain(context.Background()); err != nil {
		h.t.Fatalf("drain: %v", err)
	}
}

// take returns, and marks sent, what waits in the outbox for a chat.
func (h *harness) take(chatID int64) []supportbot.Reply {
	h.t.Helper()
	msgs, err := h.db.ChatMessages(context.Background(), chatID)
	if err != nil {
		h.t.Fatal(err)
	}
	ids := make([]int64, len(msgs))
	out := make([]supportbot.Reply, len(msgs))
	for i, m := range msgs {
		ids[i], out[i] = m.ID, m.Reply
	}
	if err := h.db.MarkSent(context.Background(), ids...); err != nil {
		h.t.Fatal(err)
	}
	return out
}

// engineSink hands the core's events to the harness's engine of the moment.
type engineSink struct{ h *harness }

func (s engineSink) CoreEvent(ctx context.Context, ev supportbot.CoreEvent) error {
	s.h.mu.Lock()
	eng := s.h.eng
	s.h.mu.Unlock()
	return eng.CoreEvent(ctx, ev)
}

// stateStore is the database as the engine sees its own state.
type stateStore struct {
	*store.DB
	h *harness // its afterRepaymentsRead runs, when set
}

func (s stateStore) Update(ctx context.Context, fn func(flows.Tx) error) error {
	if s.h != nil && s.h.failWrites.Add(-1) >= 0 { // a database that does not answer
		return errors.New("test: the database is unreachable")
	}
	return s.DB.Update(ctx, func(tx *store.Tx) error { return fn(tx) })
}

func (s stateStore) CustomerRepayments(ctx context.Context, customerID string, since time.Time) ([]supportbot.Action, error) {
	list, err := s.DB.CustomerRepayments(ctx, customerID, since)
	if s.h != nil {
		s.h.mu.Lock()
		after := s.h.afterRepaymentsRead
		s.h.afterRepaymentsRead = nil
		s.h.mu.Unlock()
		if after != nil {
			after()
		}
	}
	return list, err
}

// embeddedEvents are the events the embedded core owes the bot.
type embeddedEvents struct{ db *store.DB }

func (e embeddedEvents) PendingCoreEvents(ctx context.Context, limit int) ([]supportbot.CoreEvent, error) {
	return e.db.PendingCoreEvents(ctx, limit)
}

func (e embeddedEvents) CoreEventDelivered(ctx context.Context, id string) error {
	return e.db.Update(ctx, func(tx *store.Tx) error { return tx.CoreEventDelivered(ctx, id) })
}

// hooks is the core with test doubles: a hook that is set answers instead
// of the core (a declined card, a core that does not answer…); it may call
// the core itself through k.Core.
type hooks struct {
	flows.Core
	mu        sync.Mutex
	repay     func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error)
	repayment func(ctx context.Context, key string) (*supportbot.Repayment, error)
	plans     func(ctx context.Context, customerID string) ([]supportbot.Plan, error)
	quote     func(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error)
	cancel    func(ctx context.Context, key, customerID, scheduledID string) (*supportbot.ScheduledRepayment, error)
	closure   func(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error)
	scheduled func(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error)
	customer  func(ctx context.Context, id string) (*supportbot.Customer, error)
	byPhone   func(ctx context.Context, phone string) (*supportbot.Customer, error)
	autopay   func(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error)
	card      func(ctx context.Context, key, customerID, cardID string) ([]supportbot.Card, error)
	cards     func(ctx context.Context, customerID string) ([]supportbot.Card, error)
}

// set changes hooks under the lock: the engine may be calling them.
func (k *hooks) set(fn func(k *hooks)) {
	k.mu.Lock()
	defer k.mu.Unlock()
	fn(k)
}

// hook is the hook f while it is set.
func hook[F any](k *hooks, f *F) F {
	k.mu.Lock()
	defer k.mu.Unlock()
	return *f
}

func (k *hooks) Repay(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
	if f := hook(k, &k.repay); f != nil {
		return f(ctx, key, r)
	}
	return k.Core.Repay(ctx, key, r)
}

func (k *hooks) Repayment(ctx context.Context, key string) (*supportbot.Repayment, error) {
	if f := hook(k, &k.repayment); f != nil {
		return f(ctx, key)
	}
	return k.Core.Repayment(ctx, key)
}

func (k *hooks) Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error) {
	if f := hook(k, &k.plans); f != nil {
		return f(ctx, customerID)
	}
	return k.Core.Plans(ctx, customerID)
}

func (k *hooks) Quote(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
	if f := hook(k, &k.quote); f != nil {
		return f(ctx, key, r)
	}
	return k.Core.Quote(ctx, key, r)
}

func (k *hooks) CancelScheduled(ctx context.Context, key, customerID, scheduledID string) (*supportbot.ScheduledRepayment, error) {
	if f := hook(k, &k.cancel); f != nil {
		return f(ctx, key, customerID, scheduledID)
	}
	return k.Core.CancelScheduled(ctx, key, customerID, scheduledID)
}

func (k *hooks) RequestClosure(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error) {
	if f := hook(k, &k.closure); f != nil {
		return f(ctx, key, customerID)
	}
	return k.Core.RequestClosure(ctx, key, customerID)
}

func (k *hooks) Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error) {
	if f := hook(k, &k.scheduled); f != nil {
		return f(ctx, customerID)
	}
	return k.Core.Scheduled(ctx, customerID)
}

func (k *hooks) Customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	if f := hook(k, &k.customer); f != nil {
		return f(ctx, id)
	}
	return k.Core.Customer(ctx, id)
}

func (k *hooks) CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error) {
	if f := hook(k, &k.byPhone); f != nil {
		return f(ctx, phone)
	}
	return k.Core.CustomerByPhone(ctx, phone)
}

func (k *hooks) SetAutoRepay(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error) {
	if f := hook(k, &k.autopay); f != nil {
		return f(ctx, key, customerID, planID, on)
	}
	return k.Core.SetAutoRepay(ctx, key, customerID, planID, on)
}

func (k *hooks) SetDefaultCard(ctx context.Context, key, customerID, cardID string) ([]supportbot.Card, error) {
	if f := hook(k, &k.card); f != nil {
		return f(ctx, key, customerID, cardID)
	}
	return k.Core.SetDefaultCard(ctx, key, customerID, cardID)
}

func (k *hooks) Cards(ctx context.Context, customerID string) ([]supportbot.Card, error) {
	if f := hook(k, &k.cards); f != nil {
		return f(ctx, customerID)
	}
	return k.Core.Cards(ctx, customerID)
}

// errDown is what a core that does not answer gives: the outcome unknown.
var errDown = fmt.Errorf("core: no answer: %w", supportbot.ErrCoreUnavailable)

// testMetrics counts what the tests look at: failed steps, money actions.
type testMetrics struct {
	mu       sync.Mutex
	failed   []string
	money    map[string]int
	handoffs int
	ratings  []int
}

func (m *testMetrics) Flow(string, string)      {}
func (m *testMetrics) FAQ(string)               {}
func (m *testMetrics) Action(string)            {}
func (m *testMetrics) FirstReply(time.Duration) {}
func (m *testMetrics) Handoff()                 { m.mu.Lock(); m.handoffs++; m.mu.Unlock() }
func (m *testMetrics) Rating(n int)             { m.mu.Lock(); m.ratings = append(m.ratings, n); m.mu.Unlock() }
func (m *testMetrics) Step(kind string, _ time.Duration, failed bool) {
	if failed {
		m.mu.Lock()
		m.failed = append(m.failed, kind)
		m.mu.Unlock()
	}
}
func (m *testMetrics) MoneyAction(kind, state string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.money == nil {
		m.money = map[string]int{}
	}
	m.money[kind+"/"+state]++
}

// failedSteps lists the kinds of the steps that failed so far.
func (h *harness) failedSteps() []string {
	h.metrics.mu.Lock()
	defer h.metrics.mu.Unlock()
	return slices.Clone(h.metrics.failed)
}

// deciding is the hooked embedded core with its admin side: an agent's
// /closure decides there. A remote core decides itself; the engine sees no
// ClosureDecider then, as in production.
type deciding struct {
	*hooks
	d flows.ClosureDecider
}

func (k deciding) DecideClosure(ctx context.Context, ref, status, reason string) (*supportbot.ClosureRequest, error) {
	return k.d.DecideClosure(ctx, ref, status, reason)
}

type missFunc func(string)

func (f missFunc) RecordMiss(_ context.Context, text string) error { f(text); return nil }

// fakeClassifier knows a few phrases, enough to route text in flow tests; the
// real classifier has its own tests in faq/.
type fakeClassifier struct{}

func (fakeClassifier) Classify(text string) flows.Classification {
	switch {
	case strings.Contains(text, "账单"), strings.Contains(text, "bill"):
		return flows.Classification{Kind: "flow", ID: "bill", Confident: true}
	case strings.Contains(text, "手续费"):
		return flows.Classification{Kind: "faq", ID: "early-repayment-fee", Confident: true}
	case strings.Contains(text, "人工客服"):
		return flows.Classification{Kind: "faq", ID: "contact-support", Confident: true}
	case strings.Contains(text, "什么意思"):
		return flows.Classification{Kind: "flow", ID: "cancel-scheduled", Suggestions: []string{"cancel-scheduled", "agent"}}
	case strings.Contains(text, "还款"):
		return flows.Classification{Kind: "faq", ID: "early-repayment", Suggestions: []string{"early-repayment", "manual-repayment"}}
	}
	return flows.Classification{Kind: "none"}
}

type fakeAnswers struct{}

func (fakeAnswers) Answer(id string, lang supportbot.Lang) (string, string, bool) {
	switch id {
	case "early-repayment-fee":
		return "ANSWER(" + id + "," + string(lang) + ")", "early-repayment", true
	case "contact-support":
		return "ANSWER(" + id + "," + string(lang) + ") {hotline}", "agent", true
	}
	return "", "", false
}

// Title is a topic's label; flow intents have none, as in the real FAQ.
func (fakeAnswers) Title(id string, lang supportbot.Lang) string {
	if id == "cancel-scheduled" || id == "agent" {
		return ""
	}
	return "TITLE(" + id + ")"
}

func (fakeAnswers) AnsweredBy(id string) string {
	if id == "early-repayment-fee" {
		return "early-repayment"
	}
	return ""
}

func (fakeAnswers) FAQIDs() []string { return []string{"early-repayment-fee"} }

// chat is one customer talking to the engine.
type chat struct {
	h    *harness
	id   int64
	lang string
	last []supportbot.Reply
	// buttons remembers every button ever shown, for pressing old ones.
	buttons []supportbot.Button
	// sent is the message id of the chat's last message.
	sent int64
	// screen is the chat as the customer sees it: every message, edited in
	// place and with keyboards taken off as Telegram would show them.
	screen  []*shown
	lastMsg int64
	// seen is what the customer saw happen, step by step, for transcripts.
	seen []string
	// step is the message the sender records as showing the chat's latest
	// step (one a chat, as the store keeps it); tracked, the messages of
	// tracked replies.
	step struct {
		nonce string
		id    int64
	}
	tracked map[string]int64
}

// shown is a message on the customer's screen.
type shown struct {
	id      int64
	text    string
	buttons [][]supportbot.Button
	nonce   string // the step its step buttons belong to
	contact string // a reply keyboard asking for the contact
}

func (h *harness) chat(id int64, lang string) *chat { return &chat{h: h, id: id, lang: lang} }

func (c *chat) event(ev supportbot.Event) []supportbot.Reply {
	c.h.t.Helper()
	ev.ChatID, ev.UserID, ev.LanguageCode = c.id, c.id, c.lang
	if ev.FirstName == "" {
		ev.FirstName = "User" // Telegram always names the sender
	}
	if ev.Source == "" {
		ev.Source = "test:" + strconv.FormatInt(c.h.source.Add(1), 10)
	}
	if ev.MessageID == 0 && ev.Kind != supportbot.EventButton {
		ev.MessageID = c.h.source.Add(1) // a message of its own (a button's is the bot's)
	}
	c.sent = ev.MessageID
	if err := c.h.eng.Submit(context.Background(), ev); err != nil {
		c.h.t.Fatalf("submit %+v: %v", ev, err)
	}
	c.h.drain()
	return c.show(c.h.take(c.id))
}

// show puts replies on the screen, as Telegram would, and checks them: valid
// HTML escaped once, button data within 64 bytes, and no live keyboard left
// on a message whose step is over.
func (c *chat) show(sent []supportbot.Reply) []supportbot.Reply {
	c.h.t.Helper()
	var replies []supportbot.Reply // what the customer reads: all but keyboards taken off
	for _, r := range sent {
		if r.Strip == "" {
			replies = append(replies, r)
		}
	}
	c.last = replies
	for _, r := range sent {
		if r.Strip != "" {
			for _, m := range c.screen {
				if m.nonce == r.Strip && m.buttons != nil {
					m.buttons = nil
					c.seen = append(c.seen, fmt.Sprintf("(#%d: buttons removed)", m.id))
				}
			}
			continue
		}
		var m *shown
		if r.EditStep != "" && r.EditStep == c.step.nonce { // as the sender does: the message recorded for the chat's latest step
			r.Edit = c.step.id
		}
		if r.Edit == 0 && r.Track != "" { // a tracked reply's message, edited
			r.Edit = c.tracked[r.Track]
		}
		if r.Edit != 0 {
			for _, old := range c.screen {
				if old.id == r.Edit {
					m = old
				}
			}
			if m == nil {
				c.h.t.Errorf("edit of message %d, which the chat never showed", r.Edit)
			}
		}
		edit := m != nil
		if !edit {
			c.lastMsg++
			m = &shown{id: c.lastMsg}
			c.screen = append(c.screen, m)
		}
		m.text, m.buttons, m.nonce, m.contact = r.Text, r.Buttons, r.Nonce, r.AskContact
		if r.Nonce != "" {
			c.step.nonce, c.step.id = r.Nonce, m.id
		}
		if r.Track != "" {
			if c.tracked == nil {
				c.tracked = map[string]int64{}
			}
			c.tracked[r.Track] = m.id
		}
		c.seen = append(c.seen, c.render(m, edit))
	}
	c.checkKeyboards()
	for _, r := range replies {
		if r.Text != "" && r.CopyFromMessage == 0 {
			if _, err := telegramtest.ParseHTML(r.Text); err != nil {
				c.h.t.Errorf("Telegram would refuse this text (%v):\n%s", err, r.Text)
			}
		}
		for _, twice := range []string{"&amp;amp;", "&amp;lt;", "&amp;gt;", "&amp;quot;", "&amp;#"} {
			if strings.Contains(r.Text, twice) {
				c.h.t.Errorf("text escaped twice (%s):\n%s", twice, r.Text)
			}
		}
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

// render is a message as a transcript shows it: its number, the text as
// the customer reads it (bold as **…**, code as `…`), its buttons.
func (c *chat) render(m *shown, edit bool) string {
	head := fmt.Sprintf("#%d", m.id)
	if edit {
		head = fmt.Sprintf("#%d ✏️", m.id)
	}
	text := strings.NewReplacer("<b>", "**", "</b>", "**", "<code>", "`", "</code>", "`", "<pre>", "```\n", "</pre>", "\n```").Replace(m.text)
	var b strings.Builder
	b.WriteString(head + " " + strings.ReplaceAll(locale.Plain(text), "\n", "\n   "))
	for _, row := range m.buttons {
		b.WriteString("\n  ")
		for _, btn := range row {
			b.WriteString(" [" + btn.Text + "]")
		}
	}
	if m.contact != "" {
		b.WriteString("\n   {" + m.contact + "}")
	}
	return b.String()
}

// checkKeyboards fails the test when a message of a step that is over still
// has live step buttons: only the current step's may be tappable.
func (c *chat) checkKeyboards() {
	c.h.t.Helper()
	var nonces []string
	var where []int64
	for _, m := range c.screen {
		for _, row := range m.buttons {
			for _, b := range row {
				if cb, err := flows.DecodeCallback(b.Data); err == nil && (cb.Kind == flows.CallbackStep || cb.Kind == flows.CallbackLeave && cb.Nonce != "") && !slices.Contains(nonces, cb.Nonce) {
					nonces = append(nonces, cb.Nonce)
					where = append(where, m.id)
				}
			}
		}
	}
	if len(nonces) > 1 {
		c.h.t.Errorf("messages %v show the buttons of %d different steps; only the current step's may be live:\n%s",
			where, len(nonces), strings.Join(c.seen[max(0, len(c.seen)-6):], "\n"))
	}
}

// on is the message on screen that shows a live button with data; 0 if none.
func (c *chat) on(data string) int64 {
	for i := len(c.screen) - 1; i >= 0; i-- {
		for _, row := range c.screen[i].buttons {
			for _, b := range row {
				if b.Data == data {
					return c.screen[i].id
				}
			}
		}
	}
	return 0
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

// labels are the button labels of the last replies, in order.
func (c *chat) labels() []string {
	var out []string
	for _, r := range c.last {
		for _, row := range r.Buttons {
			for _, b := range row {
				out = append(out, b.Text)
			}
		}
	}
	return out
}

// press presses a button of the last replies.
func (c *chat) press(label string) []supportbot.Reply {
	c.h.t.Helper()
	return c.pressData(c.button(label).Data)
}

// pressData presses a button by its data: on the message that shows it, if
// one still does (an old button replayed comes without one).
func (c *chat) pressData(data string) []supportbot.Reply {
	c.h.t.Helper()
	return c.event(supportbot.Event{Kind: supportbot.EventButton, Data: data, MessageID: c.on(data)})
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

// plan reads a plan as the core has it now.
func (h *harness) plan(customerID, planID string) *supportbot.Plan {
	h.t.Helper()
	p, err := h.db.CoreView().Plan(context.Background(), customerID, planID)
	if err != nil {
		h.t.Fatal(err)
	}
	return p
}

func (h *harness) scheduled(customerID string) map[string]string {
	h.t.Helper()
	list, err := h.db.CoreView().Scheduled(context.Background(), customerID)
	if err != nil {
		h.t.Fatal(err)
	}
	m := map[string]string{}
	for _, s := range list {
		m[s.ID] = s.Status
	}
	return m
}

// repayments is the core's ledger of a customer: every repayment executed.
func (h *harness) repayments(customerID string) []supportbot.Repayment {
	h.t.Helper()
	list, err := h.db.CoreView().Repayments(context.Background(), customerID)
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

func eventWithID(id int64, command string) supportbot.Event {
	return supportbot.Event{UpdateID: id, Source: supportbot.UpdateSource(id), Kind: supportbot.EventCommand, Text: strings.TrimPrefix(command, "/")}
}

func eventMedia() supportbot.Event { return supportbot.Event{Kind: supportbot.EventMedia} }

// staff returns, and marks sent, what waits in the outbox for the staff chat.
func (h *harness) staff() []supportbot.Reply {
	h.t.Helper()
	return h.take(h.agentChat)
}

// topic gives the chat's open ticket a forum topic, as the channel does when
// it creates one, and returns the topic's id.
func (h *harness) topic(chatID int64) int64 {
	h.t.Helper()
	ctx := context.Background()
	t, err := h.db.OpenTicket(ctx, chatID)
	if err != nil {
		h.t.Fatalf("open ticket of chat %d: %v", chatID, err)
	}
	if t.TopicID != 0 {
		return t.TopicID
	}
	topic := 5000 + t.ID
	if err := h.db.SetTicketTopic(ctx, t.ID, topic); err != nil {
		h.t.Fatal(err)
	}
	return topic
}

// agent is a listed agent writing in a topic of the staff chat.
type agent struct {
	h     *harness
	id    int64
	name  string
	topic int64
	sent  int64 // the message id of the agent's last message
	// forwarding marks what the agent posts as forwarded from elsewhere.
	forwarding bool
}

func (h *harness) agent(id int64, name string, topic int64) *agent {
	return &agent{h: h, id: id, name: name, topic: topic}
}

// send posts a line in the agent's topic (a /command or a reply) and returns
// what the staff chat got back.
func (a *agent) send(line string) []supportbot.Reply {
	a.h.t.Helper()
	a.queue(line)
	a.h.drain()
	return a.h.staff()
}

// forward posts a line forwarded from elsewhere into the agent's topic.
func (a *agent) forward(line string) []supportbot.Reply {
	a.h.t.Helper()
	a.forwarding = true
	defer func() { a.forwarding = false }()
	return a.send(line)
}

// replying posts a line in the agent's topic as a reply to their message
// to, and returns what the staff chat got back.
func (a *agent) replying(to int64, line string) []supportbot.Reply {
	a.h.t.Helper()
	a.post(line, to)
	a.h.drain()
	return a.h.staff()
}

// queue posts a line in the agent's topic and leaves it waiting: nothing
// is handled until the harness drains.
func (a *agent) queue(line string) {
	a.h.t.Helper()
	a.post(line, 0)
}

func (a *agent) post(line string, replyTo int64) {
	a.h.t.Helper()
	ev := supportbot.Event{Kind: supportbot.EventText, Text: line, ReplyTo: replyTo}
	if cmd, ok := strings.CutPrefix(line, "/"); ok {
		name, args, _ := strings.Cut(cmd, " ")
		ev = supportbot.Event{Kind: supportbot.EventCommand, Text: name, Args: args, ReplyTo: replyTo}
	}
	ev.ChatID, ev.UserID, ev.FirstName, ev.ThreadID = a.h.agentChat, a.id, a.name, a.topic
	ev.Forwarded = a.forwarding
	ev.Source = "test:" + strconv.FormatInt(a.h.source.Add(1), 10)
	ev.MessageID = a.h.source.Add(1)
	a.sent = ev.MessageID
	if err := a.h.eng.Submit(context.Background(), ev); err != nil {
		a.h.t.Fatalf("submit %+v: %v", ev, err)
	}
}

// inbox returns, and marks sent, what waits in the outbox for the chat
// (what arrived without the chat doing anything: an agent's reply, a
// core event's message).
func (c *chat) inbox() []supportbot.Reply {
	c.h.t.Helper()
	return c.show(c.h.take(c.id))
}

// unpaid lists the unpaid periods of a plan as the core has it.
func (h *harness) unpaid(customerID, planID string) []int {
	h.t.Helper()
	var ps []int
	for _, b := range h.plan(customerID, planID).Bills {
		if b.Status == supportbot.BillUnpaid {
			ps = append(ps, b.Period)
		}
	}
	return ps
}

// action is the money action with key.
func (h *harness) action(key string) *supportbot.Action {
	h.t.Helper()
	a, err := h.db.Action(context.Background(), key)
	if err != nil {
		h.t.Fatalf("action %s: %v", key, err)
	}
	return a
}

// succeeded keeps the repayments of a ledger that took money.
func succeeded(list []supportbot.Repayment) []supportbot.Repayment {
	var out []supportbot.Repayment
	for _, r := range list {
		if r.Status == supportbot.RepaymentSucceeded {
			out = append(out, r)
		}
	}
	return out
}

// session opens a harness on data and a Chinese chat of the customer with
// phone, identified, that has just sent command.
func session(t *testing.T, data []supportbot.CustomerData, phone, command string) (*harness, *chat) {
	t.Helper()
	h := newHarness(t, data)
	c := h.chat(100, "zh")
	c.identify(phone)
	c.send(command)
	return h, c
}

// faqSession is a harness on the real FAQ (open), and 张伟's Chinese chat
// (id) identified.
func faqSession(t *testing.T, id int64) (*harness, *chat) {
	t.Helper()
	return faqSessionOn(t, fixture(), id, phoneZhang)
}

// faqSessionOn is faqSession on data, for the customer of phone.
func faqSessionOn(t *testing.T, data []supportbot.CustomerData, id int64, phone string) (*harness, *chat) {
	t.Helper()
	h := newHarness(t, data)
	h.realFAQ()
	h.open()
	c := h.chat(id, "zh")
	c.identify(phone)
	return h, c
}

// faqSessionEn is faqSession with 张伟's chat in English (/lang en: his
// language on file is Chinese).
func faqSessionEn(t *testing.T, id int64) (*harness, *chat) {
	t.Helper()
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(id, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	return h, c
}

// customerIn is the customer id of data, to change before a harness opens on it.
func customerIn(t *testing.T, data []supportbot.CustomerData, id string) *supportbot.CustomerData {
	t.Helper()
	for i := range data {
		if data[i].Customer.ID == id {
			return &data[i]
		}
	}
	t.Fatalf("no customer %s in the data", id)
	return nil
}

// bendQuotes makes the core's quotes come back changed by bend.
func bendQuotes(h *harness, bend func(*supportbot.Quote)) {
	h.hooks.set(func(k *hooks) {
		k.quote = func(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
			q, err := k.Core.Quote(ctx, key, r)
			if err == nil {
				bend(q)
			}
			return q, err
		}
	})
}

// reminders reports whether customerID asked for due-date reminders.
func (h *harness) reminders(customerID string) bool {
	h.t.Helper()
	on, err := h.db.Reminders(context.Background(), customerID)
	if err != nil {
		h.t.Fatal(err)
	}
	return on
}
