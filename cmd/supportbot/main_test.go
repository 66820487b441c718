package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot/bot"
	"supportbot/bot/telegramtest"
	"supportbot/faq"
	"supportbot/flows"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// now is the clock of the end-to-end tests; testdata/customers.json is written
// for it (P1 period 6 overdue, P2 period 3 due today, S2 running in an hour).
var now = time.Date(2026, 11, 21, 10, 0, 0, 0, shanghai)

// app is the whole bot, running on a temp database against the fake Bot API.
type app struct {
	t    *testing.T
	srv  *telegramtest.Server
	env  map[string]string
	m    *Main
	logs *syncBuffer // what the bot logged
	stop func()      // stops the bot (also done at cleanup)

	clockMu sync.Mutex
	clock   time.Time // the bot's time when set: it runs on from there
	set     time.Time // when it was set
}

// now is the bot's clock: it starts at the package's now (or where setClock
// put it) and runs at the speed of real time, so retries fall due.
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

// MustRunMain imports testdata/customers.json and runs the bot until the test
// ends, exactly as `supportbot` does with a token. extra overrides the
// environment (LOG_LEVEL, WEBHOOK_URL…).
func MustRunMain(t *testing.T, extra ...string) *app {
	t.Helper()
	srv := telegramtest.Start(t)
	a := &app{t: t, srv: srv, env: map[string]string{
		"TELEGRAM_BOT_TOKEN":    srv.Token(),
		"TELEGRAM_API_ENDPOINT": srv.Endpoint(),
		"DATABASE_PATH":         filepath.Join(t.TempDir(), "bot.db"),
		"LOG_LEVEL":             "error",
		"LISTEN_ADDR":           "127.0.0.1:0",
	}}
	for i := 0; i+1 < len(extra); i += 2 {
		a.env[extra[i]] = extra[i+1]
	}
	a.run("import", "testdata/customers.json")
	a.start()
	return a
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
	done := make(chan error, 1)
	go func() { done <- a.m.Run(ctx) }()
	var once sync.Once
	a.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					a.t.Errorf("bot stopped with %v", err)
				}
			case <-time.After(10 * time.Second):
				a.t.Error("bot did not stop")
			}
			a.m.Close()
		})
	}
	a.t.Cleanup(a.stop)
}

// addr waits for the bot's HTTP server and returns its address.
func (a *app) addr() string {
	a.t.Helper()
	for i := 0; i < 500; i++ {
		if addr := a.m.listening(); addr != "" {
			return addr
		}
		time.Sleep(10 * time.Millisecond)
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
	var out, errOut bytes.Buffer
	if err := Run(context.Background(), args, env(a.env), strings.NewReader(""), &out, &errOut); err != nil {
		a.t.Fatalf("supportbot %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
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
	deadline := time.Now().Add(10 * time.Second)
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

func (c *customer) say(text, want string) []telegramtest.SentMessage {
	c.a.t.Helper()
	c.a.srv.SendText(c.user, text)
	return c.next(want)
}

// press presses the button labelled label on one of msgs.
func (c *customer) press(msgs []telegramtest.SentMessage, label, want string) []telegramtest.SentMessage {
	c.a.t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, b := range msgs[i].Buttons() {
			if strings.Contains(b.Text, label) {
				c.a.srv.PressButton(c.user, msgs[i], b.Data)
				return c.next(want)
			}
		}
	}
	c.a.t.Fatalf("no button %q", label)
	return nil
}

func joined(msgs []telegramtest.SentMessage) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.Text + "\n")
	}
	return b.String()
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

	a.srv.ShareContact(c.user, "8613800138000", c.user.ID)
	text := joined(c.next("点「查看还款计划」"))
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
	a.srv.ShareContact(c.user, "+86 138 0013 8000", c.user.ID)
	msgs := c.next("要提前结清哪一笔分期")
	// S2 debits period 3 within the hour: the payoff leaves it to that debit.
	msgs = c.press(msgs, "Xiaomi Book", "合计应付：¥3,045.00")
	quote := msgs[len(msgs)-1]
	if !strings.Contains(quote.Text, "提前还款手续费（费率 1.50%") || !strings.Contains(quote.Text, "招商银行 **** 6789") {
		t.Errorf("quote:\n%s", quote.Text)
	}
	var confirm string
	for _, b := range quote.Buttons() {
		if strings.Contains(b.Text, "确认还款") {
			confirm = b.Data
		}
	}
	a.srv.PressButton(c.user, quote, confirm)
	a.srv.PressButton(c.user, quote, confirm) // a double tap
	c.next("提前还款成功")
	c.next("不会重复扣款")

	var entries []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(a.run("audit", "--json", "--customer", "C1")), "\n") {
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if e["action"] == "early_repayment" {
			entries = append(entries, e)
		}
	}
	if len(entries) != 1 {
		t.Fatalf("early_repayment audit entries = %d, want 1", len(entries))
	}
	if e := entries[0]; e["amount_fen"] != float64(304500) || e["plan_id"] != "P2" || e["customer_id"] != "C1" || e["time"] == "" {
		t.Errorf("audit entry = %v", e)
	}
}

func TestTelegramCancelScheduledFarAndRefusedNear(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7003, "en")
	c.say("/cancel_schedule", "Share my phone number")
	a.srv.ShareContact(c.user, "8613800138000", c.user.ID)
	msgs := c.next("Your scheduled repayments")
	msgs = c.press(msgs, "Xiaomi Book period 3", "runs within 2 hours")
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
}

func TestConsoleWithPipedInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	in := strings.NewReader("/start\n/contact_of 999 13800138000\n/contact +86 138 0013 8000\n/bill\n1\n")
	var out bytes.Buffer
	err := Run(context.Background(), nil, env(map[string]string{"DATABASE_PATH": db}), in, &out, &bytes.Buffer{})
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
	a := &app{t: t, env: map[string]string{"DATABASE_PATH": filepath.Join(t.TempDir(), "bot.db")}}
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
	in := strings.NewReader("今天天气怎么样\n我的身份证 110101199001011234 丢了\n今天天气怎么样\n")
	var out bytes.Buffer
	if err := Run(context.Background(), nil, env(a.env), in, &out, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	misses := a.run("faq", "misses")
	if !strings.Contains(misses, "    2  ") || !strings.Contains(misses, "今天天气怎么样") {
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
