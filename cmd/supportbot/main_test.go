package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
	"supportbot/corehttp/coretest"
	"supportbot/demo"
	"supportbot/embedcore"
	"supportbot/faq"
	"supportbot/flows"
	"supportbot/importer"
	"supportbot/store"
	"supportbot/store/storetest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// now is the clock of the end-to-end tests; testdata/customers.json is written
// for it (P1 period 6 overdue, P2 period 3 due today, S2 running in an hour).
var now = time.Date(2026, 11, 21, 10, 0, 0, 0, shanghai)

// coreOverHTTP reports whether this run puts the HTTP core between the bot
// and the customers' data (SUPPORTBOT_TEST_CORE=http): the bot gets CORE_URL,
// pointing at the fake core server, which serves an embedded core on a
// database of its own. Otherwise the bot uses its embedded core.
func coreOverHTTP() bool { return os.Getenv("SUPPORTBOT_TEST_CORE") == "http" }

// app is the whole bot, running on a fresh database (SQLite, or PostgreSQL
// with SUPPORTBOT_TEST_DATABASE=postgres) against the fake Bot API, and, in
// an HTTP run, against the fake core.
type app struct {
	t    *testing.T
	srv  *telegramtest.Server
	env  map[string]string
	db   store.Config // the bot's database
	core *remoteCore  // the core over HTTP; nil when the bot embeds it
	m    *Main
	logs *syncBuffer // what the bot logged
	stop func()      // stops the bot (also done at cleanup)
	done chan struct{}
	err  error // what Run returned, once done is closed

	clockMu sync.Mutex
	clock   time.Time // the bot's time when set: it runs on from there
	set     time.Time // when it was set

	dbMu    sync.Mutex
	botOpen *store.DB
}

// now is the bot's clock (and the core's): it starts at the package's now
// (or where setClock put it) and runs at the speed of real time, so retries
// fall due.
func (a *app) now() time.Time {
	a.clockMu.Lock()
	defer a.clockMu.Unlock()
	if a.clock.IsZero() {
		a.clock, a.set = now, time.Now()
	}
	return a.clock.Add(time.Since(a.set))
}

// setClock moves the bot's clock.
func (a *app) setClock(t time.Time) {
	a.clockMu.Lock()
	a.clock, a.set = t, time.Now()
	a.clockMu.Unlock()
}

// MustRunMain imports testdata/customers.json into the core and runs the bot
// until the test ends, exactly as `supportbot` does with a token. extra
// overrides the environment (LOG_LEVEL, WEBHOOK_URL…). The core is the
// run's: embedded, or over HTTP with SUPPORTBOT_TEST_CORE=http.
func MustRunMain(t *testing.T, extra ...string) *app {
	t.Helper()
	a := newApp(t, coreOverHTTP(), extra...)
	a.runCore("import", "testdata/customers.json")
	a.start()
	return a
}

// MustRunMainHTTP is MustRunMain with the HTTP core whatever the run: for
// the tests of the HTTP core's faults and events.
func MustRunMainHTTP(t *testing.T, extra ...string) *app {
	t.Helper()
	a := newApp(t, true, extra...)
	a.runCore("import", "testdata/customers.json")
	a.start()
	return a
}

// newApp prepares a bot on a fresh database, with the fake core when
// overHTTP, without starting it.
func newApp(t *testing.T, overHTTP bool, extra ...string) *app {
	t.Helper()
	srv := telegramtest.Start(t)
	a := &app{t: t, srv: srv, db: storetest.Config(t), env: map[string]string{
		"TELEGRAM_BOT_TOKEN":    srv.Token(),
		"TELEGRAM_API_ENDPOINT": srv.Endpoint(),
		"LOG_LEVEL":             "error",
		"LISTEN_ADDR":           "127.0.0.1:0",
	}}
	dbEnv(a.env, a.db)
	if overHTTP {
		a.core = startCore(t, a.now)
		a.core.configure(a.env)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		a.env[extra[i]] = extra[i+1]
	}
	return a
}

// dbEnv names the database cfg in env, as DATABASE_PATH or DATABASE_URL.
func dbEnv(env map[string]string, cfg store.Config) {
	delete(env, "DATABASE_PATH")
	delete(env, "DATABASE_URL")
	if cfg.URL != "" {
		env["DATABASE_URL"] = cfg.URL
	} else {
		env["DATABASE_PATH"] = cfg.Path
	}
}

// remoteCore is the core system of an HTTP run: the fake core server over
// an embedded core on a database of its own, which also delivers, signed,
// the events that core owes (a closure decided with `closure set`, a phone
// changed by an import), as a real core would.
type remoteCore struct {
	t      *testing.T
	cfg    store.Config
	db     *store.DB
	fake   *coretest.Server
	secret string

	mu     sync.Mutex
	events string // the bot's /core/events, once it listens
}

// startCore starts the fake core on a fresh database whose clock is now.
func startCore(t *testing.T, now func() time.Time) *remoteCore {
	t.Helper()
	c := &remoteCore{t: t, cfg: storetest.Config(t), secret: "core-events-secret"}
	db, err := store.Open(context.Background(), c.cfg)
	if err != nil {
		t.Fatalf("open the core's database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = now
	c.db = db
	// The fake's own clock stays real: it signs events, and the bot checks
	// their freshness against the real time.
	c.fake = coretest.Start(t, embedcore.New(db, shanghai, now))
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.pump(ctx)
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
	// Whatever the test, once the bot stopped: nothing executed twice, and
	// every request carried the token.
	t.Cleanup(func() {
		if d := c.fake.Doubled(); len(d) > 0 {
			t.Errorf("the core executed twice: %v", d)
		}
		if n := c.fake.Unauthorized(); n > 0 {
			t.Errorf("%d requests to the core without the right token", n)
		}
	})
	return c
}

// configure points a bot's environment at the core.
func (c *remoteCore) configure(env map[string]string) {
	env["CORE_URL"] = c.fake.URL()
	env["CORE_TOKEN"] = c.fake.Token()
	env["CORE_EVENTS_SECRET"] = c.secret
}

// env is the environment of a subcommand on the core's own database.
func (c *remoteCore) env() map[string]string {
	env := map[string]string{}
	dbEnv(env, c.cfg)
	return env
}

// deliverTo makes the fake post its events to the bot at addr ("" stops).
func (c *remoteCore) deliverTo(addr string) {
	url := ""
	if addr != "" {
		url = "http://" + addr + "/core/events"
	}
	c.mu.Lock()
	c.events = url
	c.mu.Unlock()
	c.fake.SetEvents(url, c.secret)
}

// pump delivers the events the core's database owes the bot, through the
// fake (signed, retried), and marks them delivered once the bot took them.
func (c *remoteCore) pump(ctx context.Context) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		c.mu.Lock()
		ready := c.events != ""
		c.mu.Unlock()
		if !ready {
			continue
		}
		evs, err := c.db.PendingCoreEvents(ctx, 20)
		if err != nil {
			continue
		}
		for _, ev := range evs {
			if err := c.fake.Deliver(ctx, ev); err != nil {
				break // the bot is down: again later
			}
			c.db.Update(ctx, func(tx *store.Tx) error { return tx.CoreEventDelivered(ctx, ev.ID) })
		}
	}
}

// start runs the bot on the app's database until stop or the test's end.
func (a *app) start() {
	a.t.Helper()
	cfg, err := LoadConfig(env(a.env))
	if err != nil {
		a.t.Fatal(err)
	}
	a.logs = &syncBuffer{}
	a.m = &Main{Config: cfg, Stdout: &bytes.Buffer{}, Stderr: a.logs, Now: a.now,
		Limits: bot.Limits{PerSecond: 1000, PerChat: 100, PerChatBurst: 100, PerGroupMinute: 6000}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	a.done = done
	m := a.m
	go func() {
		a.err = m.Run(ctx)
		close(done)
	}()
	var once sync.Once
	a.stop = func() {
		once.Do(func() {
			if a.core != nil {
				a.core.deliverTo("")
			}
			cancel()
			select {
			case <-done:
				if a.err != nil {
					a.t.Errorf("bot stopped with %v", a.err)
				}
			case <-time.After(10 * time.Second):
				a.t.Error("bot did not stop")
			}
			m.Close()
		})
	}
	a.t.Cleanup(a.stop)
	if a.core != nil {
		// The bot listens on a port chosen at start: only now can the core
		// be told where its events go.
		a.core.deliverTo(a.addr())
	}
}

// addr waits for the bot's HTTP server and returns its address.
func (a *app) addr() string {
	a.t.Helper()
	// A liveness bound, not a speed target: under -race on a loaded machine
	// the FAQ model's training before the server starts took over 10 s (CI
	// run 64).
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if addr := a.m.listening(); addr != "" {
			return addr
		}
		select {
		case <-a.done:
			a.t.Fatalf("the bot stopped before its HTTP server started: %v\n%s", a.err, a.logs.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	a.t.Fatal("the HTTP server did not start")
	return ""
}

// syncBuffer is a bytes.Buffer safe for the logger and the test at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run runs a subcommand on the app's database and returns its output.
func (a *app) run(args ...string) string {
	a.t.Helper()
	return mustRun(a.t, a.env, args...)
}

// runCore runs a subcommand of the core's side (import, closure set) on
// the core's database: the bot's own in an embedded run, the fake core's in
// an HTTP run.
func (a *app) runCore(args ...string) string {
	a.t.Helper()
	if a.core == nil {
		return a.run(args...)
	}
	return mustRun(a.t, a.core.env(), args...)
}

func mustRun(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	if err := Run(context.Background(), args, env(vars), strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("supportbot %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// botDB is the bot's database, opened beside the running bot for reading.
func (a *app) botDB() *store.DB {
	a.t.Helper()
	a.dbMu.Lock()
	defer a.dbMu.Unlock()
	if a.botOpen == nil {
		db, err := store.Open(context.Background(), a.db)
		if err != nil {
			a.t.Fatalf("open the bot's database: %v", err)
		}
		a.t.Cleanup(func() { db.Close() })
		a.botOpen = db
	}
	return a.botOpen
}

// coreDB is where the core keeps the customers' money: the bot's database
// with the embedded core, the fake core's with the HTTP core.
func (a *app) coreDB() *store.DB {
	a.t.Helper()
	if a.core != nil {
		return a.core.db
	}
	return a.botDB()
}

// ledger is the core's ledger of a customer: every repayment it executed.
func (a *app) ledger(customerID string) []supportbot.Repayment {
	a.t.Helper()
	list, err := a.coreDB().CoreView().Repayments(context.Background(), customerID)
	if err != nil {
		a.t.Fatal(err)
	}
	return list
}

// audit is the bot's audit log of a customer ("": all), as `audit --json`
// prints it, entries with action only ("": all).
func (a *app) audit(customerID, action string) []map[string]any {
	a.t.Helper()
	args := []string{"audit", "--json"}
	if customerID != "" {
		args = append(args, "--customer", customerID)
	}
	var entries []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(a.run(args...)), "\n") {
		if line == "" {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			a.t.Fatalf("audit line %q: %v", line, err)
		}
		if action == "" || e["action"] == action {
			entries = append(entries, e)
		}
	}
	return entries
}

// --- the chat as the customer sees it ----------------------------------------

// shown is a state of one of the bot's messages in a chat, as the customer
// saw it appear: the message as sent (Version 0) or as an edit left it (a
// new text, a keyboard taken off). The embedded message has Plain, Entities
// and Markup as of that state. Its Text, the HTML the bot sent, is not kept
// for past states and is left empty: tests match Plain, what the customer
// reads.
type shown struct {
	telegramtest.SentMessage
	Version int       // 0: as sent; n: after the message's n-th edit
	By      string    // the method that made it: sendMessage, editMessageText, editMessageReplyMarkup…
	At      time.Time // when the fake server took it
}

// edited reports whether the state came from an edit of a message shown before.
func (m shown) edited() bool { return m.Version > 0 }

// after reports whether m appeared after p (the zero shown is before all).
func (m shown) after(p shown) bool {
	switch {
	case !m.At.Equal(p.At):
		return m.At.After(p.At)
	case m.MessageID != p.MessageID:
		return m.MessageID > p.MessageID
	}
	return m.Version > p.Version
}

func (m shown) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d", m.MessageID)
	if m.edited() {
		fmt.Fprintf(&b, " ✏️%d (%s)", m.Version, m.By)
	}
	b.WriteString(" " + strings.ReplaceAll(m.Plain, "\n", "\n   "))
	for _, btn := range m.Buttons() {
		fmt.Fprintf(&b, " [%s|%s]", btn.Text, btn.Data)
	}
	if m.Markup != nil && m.Markup.RequestContact {
		b.WriteString(" {contact}")
	}
	return b.String()
}

// history is every state the bot's messages in chat went through, new
// messages and edits alike, in the order they appeared. It reads the fake
// server until two reads agree, so that no state is missing while a later
// one is there.
func history(srv *telegramtest.Server, chat int64) []shown {
	for {
		h := historyOnce(srv, chat)
		if again := historyOnce(srv, chat); len(again) == len(h) {
			return h
		}
	}
}

func historyOnce(srv *telegramtest.Server, chat int64) []shown {
	var out []shown
	for _, m := range srv.SentTo(chat) {
		for i, v := range srv.Versions(chat, m.MessageID) {
			s := shown{SentMessage: m, Version: i, By: v.By, At: v.Date}
			s.Text, s.Plain, s.Entities, s.Edits = "", v.Text, v.Entities, i
			s.Markup = nil
			switch {
			case v.InlineKeyboard != nil:
				s.Markup = &telegramtest.Markup{Inline: v.InlineKeyboard}
			case i == 0 && m.Markup != nil && m.Markup.Inline == nil:
				s.Markup = m.Markup // a reply keyboard: only a new message carries one
			}
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b shown) int {
		switch {
		case a.after(b):
			return 1
		case b.after(a):
			return -1
		}
		return 0
	})
	return out
}

// after is the part of h that appeared after p.
func after(h []shown, p shown) []shown {
	for i, m := range h {
		if m.after(p) {
			return h[i:]
		}
	}
	return nil
}

// told counts how often chat was told any of wants: the states whose text
// has one when the state before (of the same message) had none. A keyboard
// taken off does not tell again.
func told(srv *telegramtest.Server, chat int64, wants ...string) int {
	has := func(text string) bool {
		for _, w := range wants {
			if strings.Contains(text, w) {
				return true
			}
		}
		return false
	}
	n := 0
	before := map[int64]string{}
	for _, m := range history(srv, chat) {
		if has(m.Plain) && (!m.edited() || !has(before[m.MessageID])) {
			n++
		}
		before[m.MessageID] = m.Plain
	}
	return n
}

// liveSteps checks the keyboards left in chat: at most one message, the
// current step's, may show step buttons (they carry the step's nonce, see
// flows.Callback), and their step must be the conversation's current one.
// Menu and view buttons (under records, the menu) may stay. It returns what
// is wrong, "" if nothing; a step's replies go out one by one, so callers
// give it a moment to settle.
func liveSteps(srv *telegramtest.Server, db *store.DB, chat int64) string {
	var nonces, where []string
	for _, m := range srv.LiveKeyboards(chat) {
		for _, b := range m.Buttons() {
			if cb, err := flows.DecodeCallback(b.Data); err == nil && (cb.Kind == flows.CallbackStep || cb.Kind == flows.CallbackLeave && cb.Nonce != "") {
				nonces = append(nonces, cb.Nonce)
				where = append(where, fmt.Sprintf("#%d (step %s) %.80q", m.MessageID, cb.Nonce, m.Text))
				break
			}
		}
	}
	switch {
	case len(where) > 1:
		return fmt.Sprintf("%d messages show step buttons, want at most the current step's:\n  %s", len(where), strings.Join(where, "\n  "))
	case len(where) == 1 && db != nil:
		conv, err := db.Conversation(context.Background(), chat)
		if err != nil {
			return fmt.Sprintf("conversation of chat %d: %v", chat, err)
		}
		if conv.Nonce != nonces[0] {
			return fmt.Sprintf("the buttons of a finished step are live (the current step is %q, flow %s/%s):\n  %s",
				conv.Nonce, conv.Flow, conv.State, where[0])
		}
	}
	return ""
}

// customer is a Telegram user talking to the bot through the fake server.
// What the bot answers a step with is what the chat shows after it: new
// messages and the edits of messages already there, matched on the text
// the customer reads.
type customer struct {
	a    *app
	user telegramtest.User
	seen shown // the last state matched: a wait looks at what came after it
}

func (a *app) customer(id int64, lang string) *customer {
	a.t.Cleanup(func() {
		if a.t.Failed() {
			a.t.Logf("chat %d as the customer saw it:\n%s", id, joined(history(a.srv, id)))
		}
	})
	return &customer{a: a, user: telegramtest.User{ID: id, FirstName: "User", LanguageCode: lang}}
}

// next waits for what the bot shows in answer to what the customer just
// did, new messages and edits, up to the first that carries wantLast; then
// it checks that no finished step's keyboard is left live.
func (c *customer) next(wantLast string) []shown {
	c.a.t.Helper()
	return c.nextAll(wantLast)
}

// nextAny waits until something shown since the last step contains any of
// wants, and returns what was shown up to it.
func (c *customer) nextAny(wants ...string) []shown {
	c.a.t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		got := after(history(c.a.srv, c.user.ID), c.seen)
		for i, m := range got {
			if slices.ContainsFunc(wants, func(w string) bool { return strings.Contains(m.Plain, w) }) {
				c.seen = got[i]
				c.keyboards()
				return got[:i+1]
			}
		}
		if time.Now().After(deadline) {
			c.a.t.Fatalf("chat %d: nothing shown containing any of %q; shown since the last step:\n%s", c.user.ID, wants, joined(got))
		}
	}
}

// nextAll waits until what the chat shows since the last wait contains
// every want, in any order (a money action's outcome and the answer to a
// second tap race), and returns it up to the last of them.
func (c *customer) nextAll(wants ...string) []shown {
	c.a.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		got := after(history(c.a.srv, c.user.ID), c.seen)
		last := -1
		for _, w := range wants {
			i := indexOf(got, w)
			if i < 0 {
				last = -2
				break
			}
			last = max(last, i)
		}
		if last >= 0 {
			got = got[:last+1]
			c.seen = got[last]
			c.keyboards()
			return got
		}
		if time.Now().After(deadline) {
			c.a.t.Fatalf("chat %d: nothing shown containing %q; shown since the last step:\n%s", c.user.ID, wants, joined(got))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// keyboards fails the test when, once the step's replies are out, a
// finished step still has a live keyboard.
func (c *customer) keyboards() {
	c.a.t.Helper()
	var bad string
	for end := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if bad = liveSteps(c.a.srv, c.a.botDB(), c.user.ID); bad == "" {
			return
		}
		if time.Now().After(end) {
			break
		}
	}
	c.a.t.Errorf("chat %d: %s\nthe chat:\n%s", c.user.ID, bad, joined(history(c.a.srv, c.user.ID)))
}

func indexOf(msgs []shown, want string) int {
	for i, m := range msgs {
		if strings.Contains(m.Plain, want) {
			return i
		}
	}
	return -1
}

func (c *customer) say(text, want string) []shown {
	c.a.t.Helper()
	c.a.srv.SendText(c.user, text)
	return c.next(want)
}

// share shares the customer's own contact; Telegram's contacts carry the
// country code (8613800138000).
func (c *customer) share(phone, want string) []shown {
	c.a.t.Helper()
	c.a.srv.ShareContact(c.user, phone, c.user.ID)
	return c.next(want)
}

// press presses the button labelled label on one of msgs and waits for the
// answer, up to want. A press answers in place: the message the button is
// on is edited into the answer. A button under a record (its data says
// Keep: an FAQ answer, an outcome, a notice) leaves the record as it is and
// answers with a new message; so does one whose answer asks for the
// contact or takes that keyboard down (only a new message can).
func (c *customer) press(msgs []shown, label, want string) []shown {
	c.a.t.Helper()
	on, data := c.pressOnly(msgs, label)
	got := c.next(want)
	c.answeredInPlace(on, data, got)
	return got
}

// answeredInPlace checks how a press on message on, with data, was answered
// by got (see press).
func (c *customer) answeredInPlace(on int64, data string, got []shown) {
	c.a.t.Helper()
	cb, err := flows.DecodeCallback(data)
	if err != nil {
		c.a.t.Errorf("button data %q: %v", data, err)
		return
	}
	var edited, fresh, asks bool
	for _, m := range got {
		switch {
		case m.MessageID == on && m.edited():
			edited = edited || m.By == "editMessageText"
		case !m.edited():
			fresh = true
			asks = asks || m.Markup != nil && (m.Markup.Keyboard != nil || m.Markup.RemoveKeyboard)
		}
	}
	changed := slices.ContainsFunc(got, func(m shown) bool { return m.MessageID == on })
	switch {
	case cb.Keep && changed:
		c.a.t.Errorf("chat %d: the button %q under a record changed the record #%d:\n%s", c.user.ID, data, on, joined(got))
	case cb.Keep && !fresh:
		c.a.t.Errorf("chat %d: the button %q under the record #%d was not answered with a new message:\n%s", c.user.ID, data, on, joined(got))
	case !cb.Keep && !edited && !(asks && !changed):
		c.a.t.Errorf("chat %d: the button %q did not edit its message #%d:\n%s", c.user.ID, data, on, joined(got))
	}
}

// pressOnly presses the button labelled label on the latest of msgs that
// shows it now (a button edited away can no longer be pressed) and returns
// the message it was on and the callback data it carried.
func (c *customer) pressOnly(msgs []shown, label string) (int64, string) {
	c.a.t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		now, ok := c.a.srv.Message(c.user.ID, msgs[i].MessageID)
		if !ok {
			continue
		}
		for _, b := range now.Buttons() {
			if strings.Contains(b.Text, label) && b.Data != "" {
				c.a.srv.PressButton(c.user, msgs[i].SentMessage, b.Data)
				return msgs[i].MessageID, b.Data
			}
		}
	}
	c.a.t.Fatalf("chat %d: no button %q shown now on:\n%s", c.user.ID, label, joined(current(c.a.srv, msgs)))
	return 0, ""
}

// current is the messages of msgs as they are now, once each.
func current(srv *telegramtest.Server, msgs []shown) []shown {
	var out []shown
	done := map[int64]bool{}
	for _, m := range msgs {
		if done[m.MessageID] {
			continue
		}
		done[m.MessageID] = true
		h := history(srv, m.ChatID)
		for i := len(h) - 1; i >= 0; i-- {
			if h[i].MessageID == m.MessageID {
				out = append(out, h[i])
				break
			}
		}
	}
	return out
}

func joined(msgs []shown) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.String() + "\n")
	}
	return b.String()
}

// referenceRE finds the repayment references the customer is told.
var referenceRE = regexp.MustCompile(`(?:流水号|[Rr]eference:?) ([^\s，。,;；）)]+)`)

// references lists every reference told to chat, in any state of any message.
func references(srv *telegramtest.Server, chat int64) []string {
	var refs []string
	for _, m := range history(srv, chat) {
		for _, r := range referenceRE.FindAllStringSubmatch(m.Plain, -1) {
			refs = append(refs, r[1])
		}
	}
	return refs
}

func TestTelegramIdentifyBillsAndForgedContact(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7001, "zh-hans")
	msgs := c.say("/start", "你好")
	if len(msgs[len(msgs)-1].Buttons()) < 6 {
		t.Errorf("the greeting has no menu buttons")
	}
	if len(a.srv.Commands()) == 0 {
		t.Error("no commands registered with setMyCommands")
	}
	msgs = c.press(msgs, "我的账单", "分享我的手机号")
	if mk := msgs[len(msgs)-1].Markup; mk == nil || !mk.RequestContact {
		t.Errorf("identify did not show a contact-request keyboard: %+v", mk)
	}

	a.srv.ShareContact(c.user, "8613800138000", 4242) // someone else's contact
	msgs = c.next("只能分享你自己的联系方式")
	if text := joined(msgs); strings.Contains(text, "¥") || strings.Contains(text, "张伟") {
		t.Fatalf("a forged contact revealed data:\n%s", text)
	}

	text := joined(c.share("8613800138000", "合计待还"))
	for _, want := range []string{"验证成功，张伟", "合计待还 ¥5,781.40", "剩余待还 ¥1,761.40", "剩余待还 ¥4,020.00", "滞纳金 ¥12.00"} {
		if !strings.Contains(text, want) {
			t.Errorf("bills lack %q:\n%s", want, text)
		}
	}
}

func TestTelegramEarlyRepaymentPaysOnceOnDoubleConfirm(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7002, "zh")
	c.say("/repay", "分享我的手机号")
	msgs := c.share("+86 138 0013 8000", "要提前结清哪一笔分期")
	// S2 debits period 3 within the hour: the payoff leaves it to that debit.
	// The plan tapped twice: the second press, stale, must not take the
	// quote the first one put in its place. It is told it did nothing:
	// expired, or — read once the quote stood on its message — that the
	// quote still waits.
	on, plan := c.pressOnly(msgs, "Xiaomi Book")
	a.srv.PressButton(c.user, msgs[len(msgs)-1].SentMessage, plan)
	msgs = c.nextAll("合计应付：¥3,045.00", "没有执行任何操作")
	c.answeredInPlace(on, plan, msgs)
	quote := msgs[indexOf(msgs, "合计应付")]
	if quote.MessageID != on {
		t.Errorf("the quote is message #%d, not the plan list #%d it answers", quote.MessageID, on)
	}
	if !strings.Contains(quote.Plain, "提前还款手续费（费率 1.50%") || !strings.Contains(quote.Plain, "招商银行 **** 6789") {
		t.Errorf("quote:\n%s", quote.Plain)
	}
	// The quote is still there to confirm; confirmed with a double tap.
	_, data := c.pressOnly(msgs, "确认还款")
	a.srv.PressButton(c.user, quote.SentMessage, data)
	got := c.nextAll("提前还款成功")
	c.answeredInPlace(quote.MessageID, data, got)
	// The second tap's answer: paid already, or — the outcome in first, its
	// tracked "under way" replaced before it was sent — where the outcome is.
	// It may come before the outcome's edit (CI run 106, a loaded machine):
	// then it is among what was read already.
	if t := joined(got); !strings.Contains(t, "不会重复扣款") && !strings.Contains(t, "这笔还款已有结果") {
		got = append(got, c.nextAny("不会重复扣款", "这笔还款已有结果")...)
	}
	text := joined(got)
	// The outcome is where the quote was, and stays: the second tap's
	// answer did not overwrite it.
	if now, _ := a.srv.Message(c.user.ID, quote.MessageID); !strings.Contains(now.Text, "提前还款成功") {
		t.Errorf("the quote's message #%d ended as:\n%s\nwant the outcome", quote.MessageID, now.Text)
	}

	// The core's ledger: one repayment, of the quote, under its key.
	ledger := a.ledger("C1")
	if len(ledger) != 1 {
		t.Fatalf("the core executed %d repayments for C1, want 1: %+v", len(ledger), ledger)
	}
	r := ledger[0]
	quoteID := data[strings.LastIndex(data, ":")+1:]
	if r.Amount != 304500 || r.PlanID != "P2" || r.QuoteID != quoteID || r.Key != "repay:"+quoteID || r.Status != supportbot.RepaymentSucceeded {
		t.Errorf("repayment %+v; want ¥3,045.00 on P2 for quote %s under key repay:%s", r, quoteID, quoteID)
	}
	if !strings.Contains(text, "流水号 "+r.ID) {
		t.Errorf("the customer was not told the reference %s:\n%s", r.ID, text)
	}
	for _, ref := range references(a.srv, c.user.ID) {
		if ref != r.ID {
			t.Errorf("the customer was told reference %q; the repayment is %s", ref, r.ID)
		}
	}
	if a.core != nil {
		if d := a.core.fake.Doubled(); len(d) > 0 {
			t.Errorf("the fake core executed twice: %v", d)
		}
		if n := a.core.fake.Executed(coretest.OpCreateRepayment, r.Key); n != 1 {
			t.Errorf("the fake core executed %s %d times", r.Key, n)
		}
	}

	entries := a.audit("C1", "early_repayment")
	if len(entries) != 1 {
		t.Fatalf("early_repayment audit entries = %d, want 1", len(entries))
	}
	if e := entries[0]; e["amount_fen"] != float64(304500) || e["plan_id"] != "P2" || e["customer_id"] != "C1" ||
		e["repayment_id"] != r.ID || e["key"] != r.Key || e["time"] == "" {
		t.Errorf("audit entry = %v", e)
	}
	// The bot's side: one action, settled.
	acts, err := a.botDB().Actions(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(acts) != 1 || acts[0].Key != r.Key || acts[0].State != supportbot.ActionSucceeded {
		t.Errorf("actions = %+v, want one succeeded under %s", acts, r.Key)
	}
}

func TestTelegramCancelScheduledFarAndRefusedNear(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7003, "en")
	// C1's language on file is Chinese; a language chosen in the chat wins.
	c.say("/lang en", "Switched to English")
	c.say("/cancel_schedule", "Share my phone number")
	msgs := c.share("8613800138000", "Your scheduled repayments")
	c.press(msgs, "Xiaomi Book, period 3", "runs within 2 hours")
	msgs = c.say("/cancel_schedule", "Your scheduled repayments")
	msgs = c.press(msgs, "Redmi K70, period 7", "Cancel this scheduled repayment?")
	c.press(msgs, "Cancel this repayment", "Scheduled repayment cancelled")
	text := joined(c.say("/messages", "Message center"))
	for _, want := range []string{"Scheduled repayment cancelled: Redmi K70, period 7", "not cancelled: Xiaomi Book, period 3"} {
		if !strings.Contains(text, want) {
			t.Errorf("/messages lacks %q:\n%s", want, text)
		}
	}
	audit := a.run("audit", "--customer", "C1")
	if !strings.Contains(audit, "cancel_scheduled ") || !strings.Contains(audit, "scheduled_id=S1") || !strings.Contains(audit, "cancel_scheduled_refused") {
		t.Errorf("audit:\n%s", audit)
	}
	// The core cancelled the far one and kept the near one.
	list, err := a.coreDB().CoreView().Scheduled(context.Background(), "C1")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		want := supportbot.ScheduledScheduled
		if s.ID == "S1" {
			want = supportbot.ScheduledCancelled
		}
		if s.Status != want {
			t.Errorf("scheduled %s (plan %s period %d) is %s, want %s", s.ID, s.PlanID, s.Period, s.Status, want)
		}
	}
}

// consoleEnv is the environment of a console chat on the demo data, on a
// fresh database of the run's backend; in an HTTP run the demo data lives
// in the fake core, which the console reaches through CORE_URL.
func consoleEnv(t *testing.T) map[string]string {
	t.Helper()
	vars := map[string]string{}
	dbEnv(vars, storetest.Config(t))
	if coreOverHTTP() {
		c := startCore(t, time.Now)
		data, err := importer.Parse(demo.DataAt(time.Now(), shanghai))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.db.Import(context.Background(), data); err != nil {
			t.Fatal(err)
		}
		c.configure(vars)
	}
	return vars
}

func TestConsoleWithPipedInput(t *testing.T) {
	in := strings.NewReader("/start\n/contact_of 999 13800138000\n/contact +86 138 0013 8000\n/bill\n1\n")
	var out bytes.Buffer
	err := Run(context.Background(), nil, env(consoleEnv(t)), in, &out, &bytes.Buffer{})
	if err != nil {
		t.Fatalf("console: %v", err)
	}
	text := out.String()
	for _, want := range []string{"你好", "[1] 📋 我的账单", "只能分享你自己的联系方式", "验证成功，张伟", "Redmi K70", "还款计划"} {
		if !strings.Contains(text, want) {
			t.Errorf("console output lacks %q:\n%s", want, text)
		}
	}
	if i, j := strings.Index(text, "只能分享"), strings.Index(text, "Redmi K70"); j < i {
		t.Errorf("bills shown before the real contact")
	}
}

func TestAskAndMisses(t *testing.T) {
	vars := consoleEnv(t)
	a := &app{t: t, env: vars}
	var d struct {
		Kind  string  `json:"kind"`
		ID    string  `json:"id"`
		Score float64 `json:"score"`
	}
	if err := json.Unmarshal([]byte(a.run("ask", "提前还款要手续费吗")), &d); err != nil {
		t.Fatal(err)
	}
	if d.Kind != "faq" || d.ID != "early-repayment-fee" || d.Score <= 0 {
		t.Errorf("ask = %+v", d)
	}
	if err := json.Unmarshal([]byte(a.run("ask", "今天天气怎么样")), &d); err != nil {
		t.Fatal(err)
	}
	if d.Kind != "none" || d.ID != "" {
		t.Errorf("ask out of scope = %+v", d)
	}
	// None yet: said, not an empty output that reads as a failure (a probe).
	if err := Run(context.Background(), nil, env(a.env), strings.NewReader("你好\n"), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if got := a.run("faq", "misses"); !strings.Contains(got, "no unanswered questions") {
		t.Errorf("faq misses with none:\n%s", got)
	}
	// A question off the topic is answered (what the bot is for): not a
	// miss. One it cannot place is.
	in := strings.NewReader("你们老板是谁\n我的身份证 110101199001011234 丢了\n今天天气怎么样\n你们老板是谁\n")
	var out bytes.Buffer
	if err := Run(context.Background(), nil, env(a.env), in, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	misses := a.run("faq", "misses")
	if !strings.Contains(misses, "    2  ") || !strings.Contains(misses, "你们老板是谁") || strings.Contains(misses, "今天天气怎么样") {
		t.Errorf("misses:\n%s", misses)
	}
	if strings.Contains(misses, "110101199001011234") {
		t.Errorf("an ID number was kept unmasked:\n%s", misses)
	}
}

// TestFAQFlowsExist: every flow an FAQ answer offers (or the classifier
// starts) is one the engine can start.
func TestFAQFlowsExist(t *testing.T) {
	index, err := faq.Load()
	if err != nil {
		t.Fatal(err)
	}
	known := flows.Intents()
	for _, e := range index.Entries() {
		id := e.Flow
		if e.Kind == faq.KindFlow {
			id = e.ID
		}
		if _, ok := known[id]; id != "" && !ok {
			t.Errorf("FAQ entry %s names flow %q, which the engine does not know", e.ID, id)
		}
	}
}

// TestAConfirmNotForTheQuoteShownMovesNothing: a "确认" sent as a reply to
// an earlier quote (since replaced by another plan's) paid the newer one,
// and a forwarded "确认" — someone else's words — paid too (a probe).
// Neither is a yes to the quote now: the customer is told why and how to
// confirm; a "确认" replying to the quote shown, or to what the bot said
// after it, pays that quote.
func TestAConfirmNotForTheQuoteShownMovesNothing(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7010, "zh")
	c.say("/repay", "分享我的手机号")
	msgs := c.share("+86 138 0013 8000", "要提前结清哪一笔分期")
	first := c.press(msgs, "Redmi K70", "合计应付")
	old := first[indexOf(first, "合计应付")]
	second := c.say("笔记本那个呢", "合计应付：¥3,045.00")
	live := second[indexOf(second, "合计应付：¥3,045.00")]
	if live.MessageID == old.MessageID {
		t.Fatalf("the laptop's quote replaced the phone's in place (#%d): nothing to reply to", old.MessageID)
	}
	a.srv.SendReply(c.user, old.MessageID, "确认")
	c.next("你回复的是之前的一条消息")
	a.srv.SendForwarded(c.user, telegramtest.User{ID: 55, FirstName: "Someone"}, "确认")
	c.next("转发来的消息")
	if l := a.ledger("C1"); len(l) != 0 {
		t.Fatalf("the core executed %+v, want nothing before the customer confirmed the quote shown", l)
	}
	// "请…回复「确认」" says the bot: a reply to that, newer than the quote, stands.
	how := c.say("好的谢谢", "回复「确认」")
	a.srv.SendReply(c.user, how[len(how)-1].MessageID, "确认")
	c.next("提前还款成功")
	if l := a.ledger("C1"); len(l) != 1 || l[0].PlanID != "P2" || l[0].Amount != 304500 {
		t.Errorf("the core executed %+v, want ¥3,045.00 of the laptop's plan P2", l)
	}
}

// TestTapsWhileAPaymentRunsAreAllToldItsOutcome: confirm pressed, 确认
// typed, confirm pressed again — one payment; each "still under way" the
// taps got says, once it is settled, where the outcome is. The second's
// record overwrote the first's (the store keeps one step message a chat),
// and the first was left saying "under way" for good (a Telegram probe).
// The core takes 2 s over the payment, so the taps come while it runs
// however busy the machine is.
func TestTapsWhileAPaymentRunsAreAllToldItsOutcome(t *testing.T) {
	a := MustRunMainHTTP(t)
	c := a.customer(7003, "zh")
	c.say("/pay", "分享我的手机号")
	msgs := c.share("+86 138 0013 8000", "要还哪一笔")
	msgs = c.press(msgs, "Redmi K70", "确认")
	quote := msgs[len(msgs)-1]
	a.core.fake.Inject(coretest.OpCreateRepayment, 1, coretest.SlowExecuted(2*time.Second))
	_, confirm := c.pressOnly(msgs, "确认还款")
	a.srv.SendText(c.user, "确认")
	a.srv.PressButton(c.user, quote.SentMessage, confirm)
	c.nextAll("还款成功", "见上方")
	deadline := time.Now().Add(10 * time.Second)
	for {
		var under []string
		for _, m := range a.srv.Messages(c.user.ID) {
			if m.FromBot && strings.Contains(m.Text, "正在处理中") {
				under = append(under, fmt.Sprintf("#%d %s", m.MessageID, m.Text))
			}
		}
		if len(under) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("messages still saying the payment is under way after it settled:\n%s", strings.Join(under, "\n"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if l := a.ledger("C1"); len(l) != 1 {
		t.Errorf("%d repayments, want 1", len(l))
	}
}
