package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp/coretest"
	"supportbot/store"
	"supportbot/store/storetest"
)

// freeAddr finds a loopback port for a bot whose webhook URL must name it.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestAWebhookPathIsServedExactly: paths a mux pattern cannot take ("/tg
// hook", "/tg{") made the start-up panic (a probe); the path is served as it
// is, and /healthz beside it.
func TestAWebhookPathIsServedExactly(t *testing.T) {
	addr := freeAddr(t)
	a, _ := runWebhook(t, addr, "/tg%20hook{1}")
	c := a.customer(7111, "en")
	a.srv.SendText(c.user, "/start")
	if err := a.srv.DeliverWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.next("installment support assistant")
	if status, _ := get(t, "http://"+addr+"/healthz"); status != http.StatusOK {
		t.Errorf("/healthz beside the webhook: %d", status)
	}
}

// runWebhook runs the bot in webhook mode on addr, at path, and waits for
// it to set its webhook; it returns the app and the deadline it waited to.
func runWebhook(t *testing.T, addr, path string) (*app, time.Time) {
	t.Helper()
	a := MustRunMain(t, "WEBHOOK_URL", "http://"+addr+path, "WEBHOOK_SECRET", "s3cret_token", "LISTEN_ADDR", addr)
	a.addr()
	deadline := time.Now().Add(5 * time.Second)
	for a.srv.Webhook().URL == "" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	return a, deadline
}

func TestWebhookModeEndToEnd(t *testing.T) {
	addr := freeAddr(t)
	hook := "http://" + addr + "/telegram/hook"
	a, deadline := runWebhook(t, addr, "/telegram/hook")
	if wh := a.srv.Webhook(); wh.URL != hook || wh.SecretToken != "s3cret_token" || wh.MaxConnections == 0 {
		t.Fatalf("webhook = %+v", wh)
	}

	// A forged request: wrong secret, nothing processed.
	forged := []byte(`{"update_id":999,"message":{"message_id":1,"date":1,"chat":{"id":7100,"type":"private"},"from":{"id":7100,"first_name":"M"},"text":"/start"}}`)
	if status, err := a.srv.PostWebhook(context.Background(), "wrong", forged); err != nil || status != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d %v, want 401", status, err)
	}
	big := append([]byte(`{"update_id":1000,"message":{"text":"`), bytes.Repeat([]byte("x"), 1<<20+10)...)
	if status, err := a.srv.PostWebhook(context.Background(), "s3cret_token", big); err != nil || status != http.StatusRequestEntityTooLarge {
		t.Errorf("huge body: %d %v, want 413", status, err)
	}

	c := a.customer(7101, "en")
	a.srv.SendText(c.user, "/bill")
	if err := a.srv.DeliverWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.next("Share my phone number")
	a.srv.ShareContact(c.user, "8613800138000", c.user.ID)
	if err := a.srv.DeliverWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.next("剩余待还 ¥4,020.00") // once identified, in C1's language on file
	if n := len(a.srv.SentTo(7100)); n != 0 {
		t.Errorf("the forged update was answered %d times", n)
	}

	// Back to long polling: the webhook is deleted.
	a.stop()
	delete(a.env, "WEBHOOK_URL")
	a.env["LISTEN_ADDR"] = "127.0.0.1:0"
	a.start()
	a.addr()
	for a.srv.Webhook().URL != "" && time.Now().Before(deadline.Add(5*time.Second)) {
		time.Sleep(10 * time.Millisecond)
	}
	if url := a.srv.Webhook().URL; url != "" {
		t.Errorf("webhook still set after switching to polling: %s", url)
	}
}

func TestHealthAndMetricsMoveDuringASession(t *testing.T) {
	a := MustRunMain(t)
	base := "http://" + a.addr()
	if status, body := get(t, base+"/healthz"); status != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz = %d %q", status, body)
	}
	metric := func(name string) float64 {
		_, body := get(t, base+"/metrics")
		var v float64
		for _, line := range strings.Split(body, "\n") {
			if strings.HasPrefix(line, name+" ") {
				fmt.Sscan(strings.TrimPrefix(line, name+" "), &v)
			}
		}
		return v
	}
	before := metric(`supportbot_updates_total{kind="command"}`)
	c := a.customer(7201, "zh")
	c.say("/repay", "分享我的手机号")
	a.srv.ShareContact(c.user, "8613800138000", c.user.ID)
	msgs := c.press(c.next("要提前结清哪一笔分期"), "Redmi K70", "合计应付")
	c.press(msgs, "确认还款", "提前还款成功")
	c.say("提前还款要手续费吗", "手续费")

	for name, atLeast := range map[string]float64{
		`supportbot_updates_total{kind="command"}`:                               before + 1,
		`supportbot_updates_total{kind="contact"}`:                               1,
		`supportbot_updates_total{kind="button"}`:                                2,
		`supportbot_flow_events_total{event="started",flow="repay"}`:             1,
		`supportbot_flow_events_total{event="completed",flow="identify"}`:        1,
		`supportbot_flow_events_total{event="completed",flow="repay"}`:           1,
		`supportbot_actions_total{action="early_repayment"}`:                     1,
		`supportbot_money_action_attempts_total{kind="repay",state="succeeded"}`: 1,
		`supportbot_faq_total{outcome="answered"}`:                               1,
		`supportbot_update_duration_seconds_count`:                               5,
	} {
		if got := metric(name); got < atLeast {
			t.Errorf("%s = %v, want at least %v", name, got, atLeast)
		}
	}
	if a.core != nil {
		// The calls to the core system, by operation.
		for name, atLeast := range map[string]float64{
			`supportbot_core_request_duration_seconds_count{op="lookupCustomer"}`:  1,
			`supportbot_core_request_duration_seconds_count{op="createQuote"}`:     1,
			`supportbot_core_request_duration_seconds_count{op="createRepayment"}`: 1,
		} {
			if got := metric(name); got < atLeast {
				t.Errorf("%s = %v, want at least %v", name, got, atLeast)
			}
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for metric("supportbot_outbox_depth") != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := metric("supportbot_messages_sent_total"); got < 6 {
		t.Errorf("messages sent = %v", got)
	}
	for _, st := range []string{"pending", "unknown", "processing"} {
		if got := metric(`supportbot_money_actions_open{state="` + st + `"}`); got != 0 {
			t.Errorf("money actions open in state %s = %v, want 0", st, got)
		}
	}
}

// TestHealthSaysADatabaseLockedForWrites: with another process holding
// SQLite's write lock every update failed after 10 s while /healthz, which
// read, said ok (a probe). It asks for a write now: 503 while the lock is
// held, ok again once it is let go.
func TestHealthSaysADatabaseLockedForWrites(t *testing.T) {
	if storetest.Backend() != "sqlite" {
		t.Skip("SQLite's write lock")
	}
	a := MustRunMain(t)
	base := "http://" + a.addr()
	release := storetest.HoldWriteLock(t, a.db.Path)
	if status, body := get(t, base+"/healthz"); status != http.StatusServiceUnavailable || !strings.Contains(body, "no writes") {
		t.Errorf("/healthz with the write lock held elsewhere = %d %q, want 503", status, body)
	}
	release()
	if status, body := get(t, base+"/healthz"); status != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("/healthz once the lock is let go = %d %q", status, body)
	}
}

// TestLogsCarryNoPersonalData runs a full session at debug level and checks
// that no phone, ID number, card number, name or message text is logged.
func TestLogsCarryNoPersonalData(t *testing.T) {
	a := MustRunMain(t, "LOG_LEVEL", "debug", "LOG_FORMAT", "json")
	c := a.customer(7301, "zh")
	c.say("/bill", "分享我的手机号")
	a.srv.ShareContact(c.user, "+86 138-0013-8000", 999) // forged first
	c.next("只能分享你自己的联系方式")
	a.srv.ShareContact(c.user, "+86 138-0013-8000", c.user.ID)
	c.next("合计待还")
	msgs := c.say("/repay", "要提前结清哪一笔分期")
	msgs = c.press(msgs, "Xiaomi Book", "合计应付")
	c.press(msgs, "确认还款", "提前还款成功")
	c.say("我的卡号是6222020200112233445 手机13900001111 身份证11010119900101123X", "")
	msgs = c.say("/cancel_schedule", "预约还款")
	c.press(msgs, "Redmi K70 第 7 期", "要取消这笔预约还款吗")
	a.stop()

	logs := a.logs.String()
	secrets := []string{
		"13800138000", "138-0013-8000", "8613800138000", "13900001111", "6222020200112233445",
		"11010119900101123X", "123X", "6789", "张伟", "我的卡号", "提前还款成功", "Xiaomi Book", a.srv.Token(),
		`"chat":7301`, `"chat_id":7301`,
	}
	if a.core != nil {
		secrets = append(secrets, a.env["CORE_TOKEN"], a.env["CORE_EVENTS_SECRET"])
	}
	if !strings.Contains(logs, `"msg":"step"`) || !strings.Contains(logs, `"flow"`) {
		t.Fatalf("no per-step log lines:\n%s", logs)
	}
	for _, secret := range secrets {
		// A number stands alone: "6789" inside a duration (16789ns) or an
		// id is not the card's last 4.
		alone := regexp.MustCompile(`(^|[^0-9])` + regexp.QuoteMeta(secret) + `($|[^0-9])`)
		for _, line := range strings.Split(logs, "\n") {
			if alone.MatchString(line) {
				t.Errorf("the log contains %q: %s", secret, line)
			}
		}
	}
}

// TestLogsNameAChatByTheDeploymentsKeyedReference: the log names a chat by
// its reference keyed with the secret in the bot's database, made at the
// first start: the same after a restart, and not the unkeyed hash of its id
// that anyone can compute.
func TestLogsNameAChatByTheDeploymentsKeyedReference(t *testing.T) {
	a := MustRunMain(t, "LOG_LEVEL", "info", "LOG_FORMAT", "json")
	c := a.customer(7302, "zh")
	c.say("/bill", "分享我的手机号")
	a.stop()
	refs, err := chatRefs(context.Background(), a.botDB())
	if err != nil {
		t.Fatal(err)
	}
	want := `"chat":"` + refs.Of(c.user.ID) + `"`
	sum := sha256.Sum256([]byte("chat:" + strconv.FormatInt(c.user.ID, 10)))
	unkeyed := `"chat":"` + hex.EncodeToString(sum[:6]) + `"`
	for run := range 2 {
		logs := a.logs.String()
		if !strings.Contains(logs, `"msg":"step"`) || !strings.Contains(logs, want) {
			t.Errorf("run %d: the step log does not name the chat %s:\n%s", run+1, want, logs)
		}
		if strings.Contains(logs, unkeyed) {
			t.Errorf("run %d: the log names the chat by the unkeyed hash of its id, %s", run+1, unkeyed)
		}
		if run == 0 {
			a.start() // a restart
			c.say("/bill", "分享我的手机号")
			a.stop()
		}
	}
}

func TestBackupWhileRunning(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7401, "zh")
	c.say("/bill", "分享我的手机号")
	a.srv.ShareContact(c.user, "8613800138000", c.user.ID)
	c.next("合计待还")
	path := filepath.Join(t.TempDir(), "copy.db")
	if a.db.URL != "" {
		// PostgreSQL has its own tools; the command says so and writes nothing.
		var out bytes.Buffer
		err := Run(context.Background(), []string{"backup", path}, env(a.env), strings.NewReader(""), &out, &out)
		if err == nil || !strings.Contains(err.Error(), "pg_dump") {
			t.Errorf("backup on PostgreSQL: %v, want a pointer to pg_dump", err)
		}
		if _, err := os.Stat(path); err == nil {
			t.Error("backup on PostgreSQL wrote a file")
		}
		return
	}
	if out := a.run("backup", path); !strings.Contains(out, "backed up") {
		t.Errorf("backup said %q", out)
	}
	db, err := store.Open(context.Background(), store.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	customers, err := db.CountCustomers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	linked, err := db.CustomerConversations(context.Background(), "C1")
	if err != nil {
		t.Fatal(err)
	}
	// The bot's database holds the customers only when it embeds the core.
	want := 2
	if a.core != nil {
		want = 0
	}
	if customers != want || len(linked) != 1 {
		t.Errorf("backup has %d customers, %d linked chats; want %d and 1", customers, len(linked), want)
	}
	var out bytes.Buffer
	if err := Run(context.Background(), []string{"backup", path}, env(a.env), strings.NewReader(""), &out, &out); err == nil {
		t.Error("backup overwrote an existing file")
	}
}

// TestPollingSurvivesABusyListenAddr: a taken LISTEN_ADDR costs /healthz and
// /metrics, not the customers. With the HTTP core it is where the core's
// events come in: the bot refuses to start, naming the variable.
func TestPollingSurvivesABusyListenAddr(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if coreOverHTTP() {
		a := newApp(t, true, "LISTEN_ADDR", ln.Addr().String())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var out bytes.Buffer
		err := Run(ctx, nil, env(a.env), strings.NewReader(""), &out, &out)
		if err == nil || !strings.HasPrefix(err.Error(), "LISTEN_ADDR:") {
			t.Errorf("the bot with CORE_URL on a busy LISTEN_ADDR: %v, want an error naming LISTEN_ADDR", err)
		}
		return
	}
	a := MustRunMain(t, "LISTEN_ADDR", ln.Addr().String())
	c := a.customer(7901, "en")
	c.say("/start", "Hello")
}

// TestActionsCommand: `supportbot actions` lists the money actions with
// their state and age, cards masked to their last 4 digits, newest first;
// --state keeps one state; a state that does not exist is a usage error.
func TestActionsCommand(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7451, "zh")
	c.say("/repay", "分享我的手机号")
	msgs := c.share("8613800138000", "要提前结清哪一笔分期")
	msgs = c.press(msgs, "Xiaomi Book", "合计应付")
	c.press(msgs, "确认还款", "提前还款成功")
	msgs = c.say("/cancel_schedule", "你的预约还款")
	msgs = c.press(msgs, "Redmi K70 第 7 期", "要取消这笔预约还款吗")
	c.press(msgs, "取消这笔预约还款", "已取消预约还款")
	ledger := a.ledger("C1")
	if len(ledger) != 1 {
		t.Fatalf("ledger: %+v", ledger)
	}

	rows := func(out string) [][]string {
		t.Helper()
		lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
		if h := strings.Fields(lines[0]); strings.Join(h, " ") != "state kind customer amount tries card age key" {
			t.Fatalf("header %q", lines[0])
		}
		var rs [][]string
		for _, l := range lines[1:] {
			rs = append(rs, strings.Fields(l))
		}
		return rs
	}
	out := a.run("actions")
	for _, secret := range []string{"招商银行", "13800138000", "张伟"} {
		if strings.Contains(out, secret) {
			t.Errorf("actions shows %q:\n%s", secret, out)
		}
	}
	rs := rows(out)
	if len(rs) != 2 {
		t.Fatalf("actions lists %d, want 2:\n%s", len(rs), out)
	}
	// Newest first: the cancellation, then the repayment.
	cancel, repay := rs[0], rs[1]
	if want := []string{"succeeded", "repay", "C1", "¥3,045.00"}; !slices.Equal(repay[:4], want) || repay[5] != "****6789" || repay[7] != ledger[0].Key {
		t.Errorf("repayment row %q; want %q, tries, ****6789, age, %s", repay, want, ledger[0].Key)
	}
	if want := []string{"succeeded", "cancel", "C1", "-"}; !slices.Equal(cancel[:4], want) || !strings.HasPrefix(cancel[7], "cancel:") {
		t.Errorf("cancellation row %q; want %q … cancel:…", cancel, want)
	}
	for _, r := range rs {
		if n, err := strconv.Atoi(r[4]); err != nil || n < 1 {
			t.Errorf("tries %q: want a count of at least 1", r[4])
		}
		if d, err := time.ParseDuration(r[6]); err != nil || d < 0 {
			t.Errorf("age %q: want a duration", r[6])
		}
	}
	if rs := rows(a.run("actions", "--state", "succeeded")); len(rs) != 2 {
		t.Errorf("--state succeeded lists %d, want 2", len(rs))
	}
	if rs := rows(a.run("actions", "--state", "pending")); len(rs) != 0 {
		t.Errorf("--state pending lists %q, want none", rs)
	}
	var buf bytes.Buffer
	err := Run(context.Background(), []string{"actions", "--state", "done"}, env(a.env), strings.NewReader(""), &buf, &buf)
	var usage usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "pending, unknown, processing, succeeded, declined, failed, refused") {
		t.Errorf("--state done: %v, want a usage error listing the states", err)
	}

	if a.core == nil {
		return
	}
	// With the HTTP core failing every try, the repayment is left unknown:
	// listed so, the operator sees it; once the core is back it is paid.
	a.core.fake.Inject(coretest.OpCreateRepayment, -1, coretest.ServerError())
	msgs = c.say("/repay", "要提前结清哪一笔分期")
	msgs = c.press(msgs, "Redmi K70", "合计应付")
	c.press(msgs, "确认还款", "比平时慢一些")
	rs = rows(a.run("actions", "--state", "unknown"))
	if len(rs) != 1 || rs[0][1] != "repay" || rs[0][5] != "****6789" {
		t.Errorf("--state unknown lists %q, want the repayment", rs)
	}
	a.core.fake.ClearFaults()
	c.next("提前还款成功")
	if n := len(a.ledger("C1")); n != 2 {
		t.Errorf("ledger has %d repayments, want 2", n)
	}
}

// TestTheCoresWordsAreNotLogged: the core refuses a lookup with a message
// that names the customer (its free text: a phone, an ID number, a name);
// the log names the refusal by its code, never by those words.
func TestTheCoresWordsAreNotLogged(t *testing.T) {
	a := MustRunMainHTTP(t, "LOG_LEVEL", "debug", "LOG_FORMAT", "json")
	a.core.fake.Inject(coretest.OpLookupCustomer, -1, coretest.Fault{Status: 400, Code: "invalid_request",
		Message: "phone +8613800138000 rejected for customer 张伟 id 11010519491231002X"})
	c := a.customer(7303, "zh")
	c.say("/bill", "分享我的手机号")
	c.share("8613800138000", "分期系统暂时没有响应")
	a.stop()
	logs := a.logs.String()
	if !strings.Contains(logs, "invalid_request") {
		t.Fatalf("the refusal is not in the log:\n%s", logs)
	}
	for _, secret := range []string{"8613800138000", "张伟", "11010519491231002X", "rejected for"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains the core's words %q", secret)
		}
	}
}

// TestAnOperatorReleasesAStuckRepayment: a repayment the core never
// answers holds its plan (one repayment of a plan at a time) for good. Once
// the core's people confirm that nothing was done under its key, `actions
// release KEY REASON` settles it as failed: the customer is told nothing was
// taken, the audit keeps the reason (long numbers masked), and the plan is
// paid again under a new key, once. An action settled already and a key
// never used are refused with a line saying so.
func TestAnOperatorReleasesAStuckRepayment(t *testing.T) {
	a := MustRunMainHTTP(t)
	a.core.fake.Inject(coretest.OpCreateRepayment, -1, coretest.ServerError())
	a.core.fake.Inject(coretest.OpGetRepayment, -1, coretest.ServerError())
	c := a.customer(7461, "zh")
	c.say("/repay", "分享我的手机号")
	msgs := c.share("8613800138000", "要提前结清哪一笔分期")
	msgs = c.press(msgs, "Redmi K70", "合计应付")
	c.press(msgs, "确认还款", "比平时慢一些")
	msgs = c.say("/repay", "要提前结清哪一笔分期")
	c.press(msgs, "Redmi K70", "还在处理中，结果出来前不能再次还款")

	var key string
	for _, l := range strings.Split(a.run("actions", "--state", "unknown"), "\n")[1:] {
		if f := strings.Fields(l); len(f) == 8 && f[1] == "repay" {
			key = f[7]
		}
	}
	if key == "" {
		t.Fatal("no unknown repayment listed")
	}
	// The bot's clock is the fixture's: the release is made beside it on
	// that clock (the CLI's is the machine's), its refusals through the CLI.
	db := a.botDB()
	db.Now = a.now
	var err error
	for range 20 { // an attempt in flight is not released: the operator runs it again
		if _, err = release(context.Background(), db, key, "核心确认未收到 13800138000"); err == nil || !strings.Contains(err.Error(), "being tried right now") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("release: %v", err)
	}
	c.next("经同事与分期系统核实")
	audit := a.audit("C1", "action_released")
	if len(audit) != 1 || audit[0]["key"] != key || audit[0]["reason"] != "核心确认未收到 ****8000" {
		t.Errorf("audit %v, want the key and the reason, the phone masked", audit)
	}
	cli := func(args ...string) error {
		var out bytes.Buffer
		return Run(context.Background(), append([]string{"actions", "release"}, args...), env(a.env), strings.NewReader(""), &out, &out)
	}
	if err := cli(key, "again"); err == nil || !strings.Contains(err.Error(), "settled already: failed") {
		t.Errorf("a second release: %v, want settled already", err)
	}
	if err := cli("repay:nosuchkey", "never used"); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("a key never used: %v, want not found", err)
	}
	var usage usageError
	if err := cli(key); !errors.As(err, &usage) || !strings.Contains(err.Error(), "release KEY REASON") {
		t.Errorf("no reason: %v, want a usage error", err)
	}

	a.core.fake.ClearFaults()
	msgs = c.say("/repay", "要提前结清哪一笔分期")
	msgs = c.press(msgs, "Redmi K70", "合计应付")
	c.press(msgs, "确认还款", "提前还款成功")
	l := a.ledger("C1")
	if len(l) != 1 || l[0].Key == key || l[0].PlanID != "P1" {
		t.Errorf("ledger %+v, want one repayment of P1 under a new key", l)
	}

	// The core says since that the released charge was made after all: its
	// word over the operator's, told to the customer and listed so.
	act, err := db.Action(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	now := a.now()
	err = a.core.fake.Deliver(context.Background(), supportbot.CoreEvent{ID: "evt_released_paid", Type: supportbot.EventRepaymentSucceeded,
		CreatedAt: now, Repayment: &supportbot.Repayment{ID: "RP-RELEASED", Key: key, QuoteID: act.Repay.QuoteID, CustomerID: "C1",
			PlanID: act.PlanID, CardID: act.Repay.CardID, Amount: act.Repay.Amount,
			Status: supportbot.RepaymentSucceeded, CreatedAt: act.CreatedAt, SettledAt: now}})
	if err != nil {
		t.Fatal(err)
	}
	c.next("更正")
	if out := a.run("actions"); !strings.Contains(out, "(released: 核心确认未收到 ****8000; the core said since that it succeeded)") {
		t.Errorf("actions lists the corrected action as:\n%s", out)
	}
}
