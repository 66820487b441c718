package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"regexp"
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
	deadline := time.Now().Add(10 * time.Second)
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

// customer is a Telegram user talking to the bot through the fake server.
type customer struct {
	a    *app
	user telegramtest.User
	seen int
}

func (a *app) customer(id int64, lang string) *customer {
	return &customer{a: a, user: telegramtest.User{ID: id, FirstName: "User", LanguageCode: lang}}
}

// next waits for the bot's replies to what the customer just did, up to the
// one that carries wantLast.
func (c *customer) next(wantLast string) []telegramtest.SentMessage {
	c.a.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		msgs := c.a.srv.SentTo(c.user.ID)
		for i := c.seen; i < len(msgs); i++ {
			if strings.Contains(msgs[i].Text, wantLast) {
				got := msgs[c.seen : i+1]
				c.seen = i + 1
				return got
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	var texts []string
	for _, m := range c.a.srv.SentTo(c.user.ID)[c.seen:] {
		texts = append(texts, m.Text)
	}
	c.a.t.Fatalf("no reply containing %q; got:\n%s", wantLast, strings.Join(texts, "\n---\n"))
	return nil
}

// nextAll waits until the replies since the last wait contain every want,
// in any order (a money action's outcome and the answer to a second tap
// race), and returns them.
func (c *customer) nextAll(wants ...string) []telegramtest.SentMessage {
	c.a.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		msgs := c.a.srv.SentTo(c.user.ID)[c.seen:]
		last := -1
		for _, w := range wants {
			i := indexOf(msgs, w)
			if i < 0 {
				last = -2
				break
			}
			last = max(last, i)
		}
		if last >= 0 {
			got := msgs[:last+1]
			c.seen += last + 1
			return got
		}
		if time.Now().After(deadline) {
			c.a.t.Fatalf("replies lack one of %q; got:\n%s", wants, joined(msgs))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func indexOf(msgs []telegramtest.SentMessage, want string) int {
	for i, m := range msgs {
		if strings.Contains(m.Text, want) {
			return i
		}
	}
	return -1
}

func (c *customer) say(text, want string) []telegramtest.SentMessage {
	c.a.t.Helper()
	c.a.srv.SendText(c.user, text)
	return c.next(want)
}

// share shares the customer's own contact; Telegram's contacts carry the
// country code (8613800138000).
func (c *customer) share(phone, want string) []telegramtest.SentMessage {
	c.a.t.Helper()
	c.a.srv.ShareContact(c.user, phone, c.user.ID)
	return c.next(want)
}

// press presses the button labelled label on one of msgs.
func (c *customer) press(msgs []telegramtest.SentMessage, label, want string) []telegramtest.SentMessage {
	c.a.t.Helper()
	c.pressOnly(msgs, label)
	return c.next(want)
}

// pressOnly presses the button labelled label on one of msgs and returns
// the callback data it carried.
func (c *customer) pressOnly(msgs []telegramtest.SentMessage, label string) string {
	c.a.t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, b := range msgs[i].Buttons() {
			if strings.Contains(b.Text, label) {
				c.a.srv.PressButton(c.user, msgs[i], b.Data)
				return b.Data
			}
		}
	}
	c.a.t.Fatalf("no button %q in:\n%s", label, joined(msgs))
	return ""
}

func joined(msgs []telegramtest.SentMessage) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Text + "\n")
	}
	return b.String()
}

// referenceRE finds the repayment references the customer is told.
var referenceRE = regexp.MustCompile(`(?:流水号|[Rr]eference:?) ([^\s，。,;；）)]+)`)

// references lists every reference told to chat.
func references(srv *telegramtest.Server, chat int64) []string {
	var refs []string
	for _, m := range srv.SentTo(chat) {
		for _, r := range referenceRE.FindAllStringSubmatch(m.Text, -1) {
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

	text := joined(c.share("8613800138000", "点「查看还款计划」"))
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
	msgs = c.press(msgs, "Xiaomi Book", "合计应付：¥3,045.00")
	quote := msgs[len(msgs)-1]
	if !strings.Contains(quote.Text, "提前还款手续费（费率 1.50%") || !strings.Contains(quote.Text, "招商银行 **** 6789") {
		t.Errorf("quote:\n%s", quote.Text)
	}
	data := c.pressOnly(msgs, "确认还款")
	a.srv.PressButton(c.user, quote, data) // a double tap
	text := joined(c.nextAll("提前还款成功", "不会重复扣款"))

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
	c.press(msgs, "Xiaomi Book period 3", "runs within 2 hours")
	msgs = c.say("/cancel_schedule", "Your scheduled repayments")
	msgs = c.press(msgs, "Redmi K70 period 7", "Cancel this scheduled repayment?")
	c.press(msgs, "Yes, cancel it", "Scheduled repayment cancelled")
	text := joined(c.say("/messages", "Message center"))
	for _, want := range []string{"Cancelled scheduled repayment: Redmi K70 period 7", "not cancelled: Xiaomi Book period 3"} {
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
