package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"supportbot/bot/telegramtest"
)

func TestAmountAfter(t *testing.T) {
	for _, c := range []struct {
		text, label, want string
		ok                bool
	}{
		{"你有 1 笔进行中的分期，合计待还 ¥1,148.31：\n", "合计待还 ", "¥1,148.31", true},
		{"剩余待还 ¥12.00", "剩余待还 ", "¥12.00", true},
		{"合计应付：¥1,131.07\n扣款卡", "合计应付：", "¥1,131.07", true},
		{"没有待还", "合计待还 ", "", false},
		{"合计待还 （无）", "合计待还 ", "", false},
	} {
		got, ok := amountAfter(c.text, c.label)
		if got != c.want || ok != c.ok {
			t.Errorf("amountAfter(%q, %q) = %q, %v; want %q, %v", c.text, c.label, got, ok, c.want, c.ok)
		}
	}
}

func TestParseCounts(t *testing.T) {
	if n, err := parseCounts("1000,5000"); err != nil || len(n) != 2 || n[0] != 1000 || n[1] != 5000 {
		t.Errorf("1000,5000: %v, %v", n, err)
	}
	if n, err := parseCounts(""); err != nil || n != nil {
		t.Errorf("empty: %v, %v", n, err)
	}
	for _, bad := range []string{"5000,1000", "x", "0,10", "10,10"} {
		if _, err := parseCounts(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// newTestTap is a tap with a customer waiting in chat 42.
func newTestTap(t *testing.T) (*tap, chan reply) {
	t.Helper()
	tp, err := newTap()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tp.close)
	ch := make(chan reply, 64)
	tp.register(42, ch)
	return tp, ch
}

func botCall(t *testing.T, tp *tap, method, body string) string {
	t.Helper()
	resp, err := http.Post(tp.url+"/bot"+tp.fake.Token()+"/"+method, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestTapSendsAndEdits: the tap hands sends and edits to the waiting
// customer, as the customer sees them (HTML parsed), and counts them apart;
// a text sent again is a duplicate, out of order when newer ones came
// between, and an edit that changes nothing is counted as refused.
func TestTapSendsAndEdits(t *testing.T) {
	tp, ch := newTestTap(t)
	tp.fake.SendText(telegramtest.User{ID: 42, FirstName: "A"}, "/start") // the chat exists
	kb := `"reply_markup":{"inline_keyboard":[[{"text":"✅ 确认还款","callback_data":"ok"}]]}`
	botCall(t, tp, "sendMessage", `{"chat_id":42,"parse_mode":"HTML","text":"合计应付：<b>¥1,131.07</b> &amp; 手续费",`+kb+`}`)
	m := <-ch
	if m.edit || m.text != "合计应付：¥1,131.07 & 手续费" || buttonData(m, "确认还款") != "ok" {
		t.Fatalf("send = %+v", m)
	}
	botCall(t, tp, "editMessageText", `{"chat_id":42,"message_id":`+itoa(m.msgID)+`,"parse_mode":"HTML","text":"⏳ 正在从 <b>招商银行</b> 扣款"}`)
	e := <-ch
	if !e.edit || e.method != "editMessageText" || e.msgID != m.msgID || e.text != "⏳ 正在从 招商银行 扣款" || len(e.buttons) != 0 {
		t.Fatalf("edit = %+v", e)
	}
	botCall(t, tp, "editMessageText", `{"chat_id":42,"message_id":`+itoa(m.msgID)+`,"parse_mode":"HTML","text":"⏳ 正在从 <b>招商银行</b> 扣款"}`)
	botCall(t, tp, "sendMessage", `{"chat_id":42,"text":"second"}`)
	botCall(t, tp, "sendMessage", `{"chat_id":42,"text":"second"}`)
	botCall(t, tp, "sendMessage", `{"chat_id":42,"parse_mode":"HTML","text":"合计应付：<b>¥1,131.07</b> &amp; 手续费"}`)
	var dups int
	for range 3 {
		if (<-ch).dup {
			dups++
		}
	}
	if got := [...]int64{tp.news.Load(), tp.edits.Load(), tp.dups.Load(), tp.reordered.Load(), tp.unchanged.Load(), tp.failed.Load()}; got != [...]int64{4, 1, 2, 1, 1, 1} || dups != 2 {
		t.Errorf("news, edits, dups, reordered, unchanged, failed = %v (%d dups delivered); want [4 1 2 1 1 1]", got, dups)
	}
	botCall(t, tp, "sendMessage", `{"chat_id":43,"text":"to nobody"}`)
	if tp.stray.Load() != 1 {
		t.Errorf("stray = %d, want 1", tp.stray.Load())
	}
}

// TestTapWebhookMode: in webhook mode setWebhook is answered by the tap, so
// the fake server keeps serving getUpdates to the front.
func TestTapWebhookMode(t *testing.T) {
	tp, _ := newTestTap(t)
	tp.webhook = true
	if got := botCall(t, tp, "setWebhook", `{"url":"http://127.0.0.1/telegram/webhook","secret_token":"s"}`); !strings.Contains(got, `"ok":true`) {
		t.Fatalf("setWebhook: %s", got)
	}
	if tp.hooks.Load() != 1 || tp.fake.Webhook().URL != "" {
		t.Errorf("hooks %d, fake's webhook %q", tp.hooks.Load(), tp.fake.Webhook().URL)
	}
}

// TestFrontRoundRobin: the front delivers every update once, to the
// instances in turn, with the secret, and retries another instance when one
// fails.
func TestFrontRoundRobin(t *testing.T) {
	tp, _ := newTestTap(t)
	var got [3]atomic.Int64
	var badSecret atomic.Int64
	var targets []string
	for i := range got {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Telegram-Bot-Api-Secret-Token") != "sec" {
				badSecret.Add(1)
			}
			if i == 2 { // a dead instance
				http.Error(w, "unavailable", http.StatusServiceUnavailable)
				return
			}
			got[i].Add(1)
		}))
		t.Cleanup(srv.Close)
		targets = append(targets, srv.URL+webhookPath)
	}
	f := newFront(tp, targets, "sec")
	f.start(context.Background())
	const n = 30
	for i := range n {
		tp.fake.SendText(telegramtest.User{ID: int64(100 + i)}, "hi")
	}
	deadline := time.Now().Add(10 * time.Second)
	for got[0].Load()+got[1].Load() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	f.stop()
	if a, b := got[0].Load(), got[1].Load(); a+b != n || a == 0 || b == 0 {
		t.Errorf("instances got %d and %d updates, want %d in all, shared", a, b, n)
	}
	if f.failed.Load() != 0 || f.retried.Load() == 0 || badSecret.Load() != 0 {
		t.Errorf("failed %d, retried %d, without the secret %d", f.failed.Load(), f.retried.Load(), badSecret.Load())
	}
}

// TestSummaryByKind: messages per step and the issue-18 figure come from the
// steps' own counts.
func TestSummaryByKind(t *testing.T) {
	t0 := time.Now()
	res := &result{start: t0, stop: t0.Add(6 * time.Second), end: t0.Add(6 * time.Second)}
	add := func(k stepKind, news, edits int, lat time.Duration, first bool) {
		res.steps = append(res.steps, stepRecord{kind: k, first: first, done: t0.Add(3 * time.Second), latency: lat, news: news, edits: edits})
	}
	add(stepIdentify, 1, 0, 10*time.Millisecond, true)
	add(stepBill, 2, 0, 20*time.Millisecond, false)
	add(stepFAQ, 1, 0, 30*time.Millisecond, false)
	add(stepConfirm, 0, 2, 40*time.Millisecond, false)
	s := res.summarize()
	if s.updates != 4 || s.news != 4 || s.edits != 2 || s.convSteps != 3 || s.convNews != 4 {
		t.Errorf("summary %+v", s)
	}
	if k := s.kinds[stepBill]; k.steps != 1 || k.newsPerStep() != 2 || k.lat.p50 != 20*time.Millisecond {
		t.Errorf("bill %+v", k)
	}
	if s.first.n != 1 || s.first.p99 != 10*time.Millisecond {
		t.Errorf("first steps %+v", s.first)
	}
	if s.steadyUpdates != 4 || s.lat.max != 40*time.Millisecond {
		t.Errorf("steady %d, max %v", s.steadyUpdates, s.lat.max)
	}
}

func TestPerfRows(t *testing.T) {
	out := []byte(`# Samples: 10K of event 'cpu-clock'
#
# Children      Self  Command     Shared Object      Symbol
# ........  ........  ..........  .................  ..............
#
    45.10%     0.20%  [.] supportbot/flows.(*Engine).runStep                     -      -
    12.00%    12.00%  [k] entry_SYSCALL_64
`)
	rows := perfRows(out)
	if len(rows) != 2 || rows[0] != [2]string{"45.10%", "supportbot/flows.(*Engine).runStep"} || rows[1][1] != "entry_SYSCALL_64 [kernel]" {
		t.Errorf("rows = %q", rows)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestRootFrame(t *testing.T) {
	for sym, want := range map[string]bool{"runtime.goexit.abi0": true, "do_syscall_64 [kernel]": true, "[unknown]": true,
		"supportbot/flows.(*Engine).runStep": false, "encoding/json.Unmarshal": false} {
		if rootFrame(sym) != want {
			t.Errorf("rootFrame(%q) = %v", sym, !want)
		}
	}
}

func TestSteadyFrom(t *testing.T) {
	t0 := time.Unix(1000, 0)
	stop := t0.Add(60 * time.Second)
	r := &result{start: t0, concurrency: 2}
	if got := r.steadyFrom(stop); !got.Equal(t0.Add(10 * time.Second)) {
		t.Errorf("no script done: from %v, want a sixth of the way", got.Sub(t0))
	}
	r.completions = []time.Time{t0.Add(5 * time.Second), t0.Add(20 * time.Second)}
	if got := r.steadyFrom(stop); !got.Equal(t0.Add(20 * time.Second)) {
		t.Errorf("every customer's first script done at 20s: from %v", got.Sub(t0))
	}
	r.completions[1] = t0.Add(50 * time.Second)
	if got := r.steadyFrom(stop); !got.Equal(t0.Add(30 * time.Second)) {
		t.Errorf("late: from %v, want half way", got.Sub(t0))
	}
}

func TestChildCPUTime(t *testing.T) {
	c, err := startChild("/bin/sh", t.TempDir(), nil, "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; exec sleep 5")
	if err != nil {
		t.Skip("no /bin/sh:", err)
	}
	defer c.stop(time.Second)
	time.Sleep(200 * time.Millisecond)
	if _, err := c.cpuTime(); err != nil {
		t.Fatal(err)
	}
	if f := idleCPU([]*child{c}, 10*time.Millisecond); f < 0 {
		t.Errorf("idleCPU = %v, want a share", f)
	}
}

// TestTapNewVisit: a customer taken again (the echo phase) may be told what
// they were told on their last visit.
func TestTapNewVisit(t *testing.T) {
	tp, ch := newTestTap(t)
	tp.fake.SendText(telegramtest.User{ID: 42, FirstName: "A"}, "/start")
	botCall(t, tp, "sendMessage", `{"chat_id":42,"text":"/bill"}`)
	<-ch
	tp.unregister(42)
	tp.register(42, ch)
	botCall(t, tp, "sendMessage", `{"chat_id":42,"text":"/bill"}`)
	if m := <-ch; m.dup || tp.dups.Load() != 0 {
		t.Errorf("the second visit's reply counted as a duplicate: %+v", m)
	}
}
