package main

// Several instances on one PostgreSQL (issue 19): three processes of the real
// bot behind a round-robin webhook front, customers paying, cancelling and
// handing off to agents, one instance killed with SIGKILL midway and another
// restarted. What must hold: no update lost, no money action doubled, no
// reply doubled or out of order within a chat (but the message a killed
// instance had sent and not yet recorded: Telegram's sends are not
// idempotent), every ticket relayed both ways, and Telegram's limits kept by
// the bot as a whole. And the health of one instance when PostgreSQL goes
// away: 503, updates not acknowledged, nothing lost.
//
// Both need PostgreSQL (SUPPORTBOT_TEST_POSTGRES_URL; CI's PostgreSQL pass).

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"supportbot"
	"supportbot/bot/telegramtest"
	"supportbot/store/storetest"
)

// raceEnabled is set by race_test.go when the tests run with -race: the bot
// the multi-instance test builds is then built with it too.
var raceEnabled bool

// multiTimeout bounds every wait of the multi-instance test: a chat whose
// turn, outbox claim or money action a killed instance held waits for the
// lease to run out (30 s, a minute for money) before another takes over.
const multiTimeout = 150 * time.Second

// buildBot builds cmd/supportbot once for the test and returns the binary.
func buildBot(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "supportbot")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	start := time.Now()
	out, err := exec.Command(goBin, append(args, ".")...).CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Logf("built the bot in %v (race: %v)", time.Since(start).Round(time.Millisecond), raceEnabled)
	return bin
}

// --- the instances ---------------------------------------------------------

// botProc is one life of one instance: the built binary as a child process.
type botProc struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

// instance is one of the bot's instances: its lives share a name, an
// address and an environment.
type instance struct {
	name  string
	addr  string // LISTEN_ADDR: /healthz and the webhook
	env   []string
	bin   string
	dir   string
	lives []*botProc
}

func (in *instance) start(t *testing.T) *botProc {
	t.Helper()
	p := &botProc{out: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(in.bin)
	p.cmd.Env, p.cmd.Dir = in.env, in.dir // no .env is read there
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // dies with the test process
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", in.name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })
	in.lives = append(in.lives, p)
	return p
}

func (in *instance) current() *botProc { return in.lives[len(in.lives)-1] }

// alive reports whether the current life runs.
func (in *instance) alive() bool {
	select {
	case <-in.current().done:
		return false
	default:
		return true
	}
}

// stop signals the current life and waits for it to exit.
func (in *instance) stop(sig syscall.Signal, timeout time.Duration) error {
	p := in.current()
	p.cmd.Process.Signal(sig)
	select {
	case <-p.done:
		if sig == syscall.SIGKILL {
			return nil
		}
		return p.err
	case <-time.After(timeout):
		p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("%s did not exit within %v of %v", in.name, timeout, sig)
	}
}

// waitHealthy waits until the current life answers /healthz with 200.
func (in *instance) waitHealthy(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if !in.alive() {
			t.Fatalf("%s exited: %v\n%s", in.name, in.current().err, in.current().out.String())
		}
		if resp, err := http.Get("http://" + in.addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never became healthy", in.name)
}

// logs is what every life of the instance wrote.
func (in *instance) logs() string {
	var b strings.Builder
	for i, p := range in.lives {
		fmt.Fprintf(&b, "--- %s, life %d (exit: %v)\n%s", in.name, i+1, p.err, p.out.String())
	}
	return b.String()
}

// baseEnvironment is what a child needs of this process's environment:
// nothing the bot's configuration reads.
func baseEnvironment(vars map[string]string) []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR", "GORACE"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

// --- Telegram, as the instances and the customers meet it --------------------

// sendRecord is one call an instance made to the Bot API that shows in a
// chat, and Telegram's answer.
type sendRecord struct {
	inst   string
	method string
	chat   int64
	thread int64
	text   string
	msgID  int64 // the message sent, or edited
	ok     bool
	desc   string
	at     time.Time
}

type sendLog struct {
	mu   sync.Mutex
	recs []sendRecord
}

func (l *sendLog) all() []sendRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.recs)
}

// recorder is an instance's way to the fake Bot API: it records what the
// instance sends. A request that reached it is carried out even if the
// instance dies meanwhile — as Telegram would — so the record is what the
// customers see.
type recorder struct {
	inst string
	base http.RoundTripper
	log  *sendLog
}

func startRecorder(t *testing.T, srv *telegramtest.Server, inst string, log *sendLog) *httptest.Server {
	t.Helper()
	target, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(target)
	rp.Transport = recorder{inst: inst, base: http.DefaultTransport, log: log}
	rp.ErrorLog = nil
	s := httptest.NewServer(rp)
	t.Cleanup(s.Close)
	return s
}

func (r recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	method := req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	req = req.Clone(context.WithoutCancel(req.Context()))
	req.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := r.base.RoundTrip(req)
	switch method {
	case "sendMessage", "editMessageText", "copyMessage",
		"createForumTopic", "editForumTopic", "closeForumTopic", "reopenForumTopic": // topics: for the history of a failure
	default:
		return resp, err
	}
	if err != nil {
		return resp, err
	}
	answer, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	form, _ := url.ParseQuery(string(body))
	if ct := req.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
		form = nil // not what this bot sends
	}
	var parsed struct {
		OK          bool            `json:"ok"`
		Description string          `json:"description"`
		Result      json.RawMessage `json:"result"`
	}
	json.Unmarshal(answer, &parsed)
	rec := sendRecord{inst: r.inst, method: method, text: form.Get("text"), ok: parsed.OK, desc: parsed.Description, at: time.Now()}
	rec.chat, _ = strconv.ParseInt(form.Get("chat_id"), 10, 64)
	rec.thread, _ = strconv.ParseInt(form.Get("message_thread_id"), 10, 64)
	switch method {
	case "editMessageText":
		rec.msgID, _ = strconv.ParseInt(form.Get("message_id"), 10, 64)
	case "createForumTopic":
		var topic struct {
			ThreadID int64 `json:"message_thread_id"`
		}
		json.Unmarshal(parsed.Result, &topic)
		rec.thread, rec.text = topic.ThreadID, form.Get("name")
	default:
		var m struct {
			MessageID int64 `json:"message_id"`
		}
		json.Unmarshal(parsed.Result, &m)
		rec.msgID = m.MessageID
	}
	r.log.mu.Lock()
	r.log.recs = append(r.log.recs, rec)
	r.log.mu.Unlock()
	return resp, nil
}

// front is the load balancer before the instances' webhooks: round robin,
// and a backend that refuses the connection (down) is skipped, as a load
// balancer's health check would; one that fails during a request answers
// 502, and Telegram delivers the update again.
type front struct {
	mu       sync.Mutex
	backends []string
	next     int
	client   *http.Client
	served   map[string]int
}

func startFront(t *testing.T, backends []string) *httptest.Server {
	t.Helper()
	f := &front{backends: backends, served: map[string]int{},
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	s := httptest.NewServer(f)
	t.Cleanup(s.Close)
	return s
}

func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	start := f.next
	f.next++
	f.mu.Unlock()
	for i := range f.backends {
		b := f.backends[(start+i)%len(f.backends)]
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, "http://"+b+r.URL.Path, bytes.NewReader(body))
		req.Header = r.Header.Clone()
		resp, err := f.client.Do(req)
		if errors.Is(err, syscall.ECONNREFUSED) {
			continue // down: the next one
		} else if err != nil {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		f.mu.Lock()
		f.served[b]++
		f.mu.Unlock()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
		resp.Body.Close()
		return
	}
	http.Error(w, "no backend up", http.StatusBadGateway)
}

// pumpWebhook delivers what Telegram holds to the webhook until ctx ends,
// again and again after a failure, as Telegram does.
func pumpWebhook(ctx context.Context, srv *telegramtest.Server) (failures func() int) {
	var mu sync.Mutex
	n := 0
	go func() {
		for ctx.Err() == nil {
			err := srv.DeliverWebhook(ctx)
			if err != nil && ctx.Err() == nil && srv.Webhook().URL != "" {
				mu.Lock()
				n++
				mu.Unlock()
			}
			if err != nil || len(srv.Pending()) == 0 {
				sleepCtx(ctx, 10*time.Millisecond)
			}
		}
	}()
	return func() int { mu.Lock(); defer mu.Unlock(); return n }
}

// mchat is a Telegram user of the multi-instance test. Its waits look at
// every version of every message of the chat (a pressed button's outcome
// edits the message it was on), each version matched once.
type mchat struct {
	srv     *telegramtest.Server
	user    telegramtest.User
	chat    int64
	seen    map[[2]int64]bool // message id, version
	updates []int64
}

func newMchat(srv *telegramtest.Server, id int64) *mchat {
	return &mchat{srv: srv, user: telegramtest.User{ID: id, FirstName: "客户", LanguageCode: "zh"}, chat: id, seen: map[[2]int64]bool{}}
}

func (c *mchat) send(text string) { c.updates = append(c.updates, c.srv.SendText(c.user, text)) }

func (c *mchat) share(phone string) {
	c.updates = append(c.updates, c.srv.ShareContact(c.user, phone, c.user.ID))
}

// press presses the button whose label contains label on m.
func (c *mchat) press(m telegramtest.SentMessage, label string) error {
	for _, b := range m.Buttons() {
		if strings.Contains(b.Text, label) && b.Data != "" {
			c.updates = append(c.updates, c.srv.PressButton(c.user, m, b.Data))
			return nil
		}
	}
	return fmt.Errorf("chat %d: no button %q on %q", c.chat, label, m.Text)
}

// wait waits for a message of the chat, or an edit of one, not matched
// before, whose text contains want, and returns the message as it is now.
func (c *mchat) wait(want string, or ...string) (telegramtest.SentMessage, error) {
	deadline := time.Now().Add(multiTimeout)
	wants := append([]string{want}, or...)
	for time.Now().Before(deadline) {
		for _, m := range c.srv.SentTo(c.chat) {
			for v, ver := range c.srv.Versions(c.chat, m.MessageID) {
				key := [2]int64{m.MessageID, int64(v)}
				if !c.seen[key] && slices.ContainsFunc(wants, func(w string) bool { return strings.Contains(ver.Text, w) }) {
					c.seen[key] = true
					m.Text, m.Markup = ver.Text, &telegramtest.Markup{Inline: ver.InlineKeyboard}
					return m, nil // as that version shows it: its text and its buttons
				}
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return telegramtest.SentMessage{}, fmt.Errorf("chat %d: nothing containing %q within %v; the chat:\n%s", c.chat, wants, multiTimeout, c.transcript())
}

func (c *mchat) transcript() string {
	var b strings.Builder
	for _, m := range c.srv.SentTo(c.chat) {
		for _, v := range c.srv.Versions(c.chat, m.MessageID) {
			fmt.Fprintf(&b, "  #%d %.80q\n", m.MessageID, v.Text)
		}
	}
	return b.String()
}

// --- the customers ----------------------------------------------------------

type multiCustomer struct {
	id, phone, plan, scheduled string
	user                       int64
	role                       string // pay, cancel, agent
}

// writeMultiDataset writes customers for the roles: each with one open
// plan of six periods (the first paid, the rest due 20 days from today and
// later); a canceller's second period also has a scheduled repayment 19
// days from now, far from the 2-hour cut-off.
func writeMultiDataset(t *testing.T, roles map[string]int) (string, []multiCustomer) {
	t.Helper()
	today := time.Now().In(shanghai)
	date := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	var out []multiCustomer
	var customers []map[string]any
	n := 0
	for _, role := range []string{"pay", "cancel", "agent"} {
		for range roles[role] {
			n++
			c := multiCustomer{id: fmt.Sprintf("M%03d", n), phone: fmt.Sprintf("1390001%04d", n), plan: fmt.Sprintf("MP%03d", n),
				user: 940000 + int64(n), role: role}
			per := int64(30_000 + 111*n)
			var bills []map[string]any
			for k := range 6 {
				status := "unpaid"
				if k == 0 {
					status = "paid"
				}
				bills = append(bills, map[string]any{"period": k + 1, "due_date": date(-10 + 30*k), "principal_fen": per,
					"fee_fen": 0, "late_fee_fen": 0, "status": status})
			}
			cu := map[string]any{"id": c.id, "name": fmt.Sprintf("多实例%d", n), "phone": c.phone, "id_card_last4": "1234", "language": "zh", "pending_refunds": 0,
				"cards": []map[string]any{{"id": "K1", "bank": "招商银行", "last4": fmt.Sprintf("%04d", 2000+n), "default": true}},
				"plans": []map[string]any{{"id": c.plan, "order_no": fmt.Sprintf("88%011d", n), "product": fmt.Sprintf("多实例商品 %d", n),
					"partner": "招联金融", "principal_fen": per * 6, "periods": 6, "prepay_fee_rate_bp": 100, "bills": bills}}}
			if role == "cancel" {
				c.scheduled = fmt.Sprintf("MS%03d", n)
				run := today.AddDate(0, 0, 19)
				run = time.Date(run.Year(), run.Month(), run.Day(), 9, 0, 0, 0, shanghai)
				cu["scheduled_repayments"] = []map[string]any{{"id": c.scheduled, "plan_id": c.plan, "period": 2, "amount_fen": per,
					"card_id": "K1", "run_at": run.Format(time.RFC3339), "status": "scheduled"}}
			}
			customers = append(customers, cu)
			out = append(out, c)
		}
	}
	body, err := json.MarshalIndent(map[string]any{"customers": customers}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "multi_customers.json")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, out
}

const multiStaff = -100777

var multiAgent = telegramtest.User{ID: 9301, FirstName: "王丽"}

// think waits like a person between taps.
func think(rng *rand.Rand) { time.Sleep(time.Duration(50+rng.IntN(250)) * time.Millisecond) }

// payEarly: /repay → own contact → quote → confirm, tapped twice → paid once.
func payEarly(c *mchat, mc multiCustomer, rng *rand.Rand) error {
	c.send("/repay")
	if _, err := c.wait("分享我的手机号"); err != nil {
		return err
	}
	think(rng)
	c.share("86" + mc.phone)
	quote, err := c.wait("合计应付")
	if err != nil {
		return err
	}
	think(rng)
	if err := c.press(quote, "确认还款"); err != nil {
		return err
	}
	time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond) // a double tap
	if err := c.press(quote, "确认还款"); err != nil {
		return err
	}
	if _, err := c.wait("提前还款成功"); err != nil {
		return err
	}
	_, err = c.wait("不会重复扣款", "这笔还款已有结果") // the second tap's answer (or, the outcome in first, where it is)
	return err
}

// cancelScheduled: /cancel_schedule → own contact → choose → confirm,
// tapped twice → cancelled once.
func cancelScheduled(c *mchat, mc multiCustomer, rng *rand.Rand) error {
	c.send("/cancel_schedule")
	if _, err := c.wait("分享我的手机号"); err != nil {
		return err
	}
	think(rng)
	c.share("86" + mc.phone)
	list, err := c.wait("你的预约还款")
	if err != nil {
		return err
	}
	think(rng)
	if err := c.press(list, "1. "); err != nil {
		return err
	}
	confirm, err := c.wait("要取消这笔预约还款吗")
	if err != nil {
		return err
	}
	think(rng)
	if err := c.press(confirm, "取消这笔预约还款"); err != nil {
		return err
	}
	time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond)
	if err := c.press(confirm, "取消这笔预约还款"); err != nil {
		return err
	}
	_, err = c.wait("已取消预约还款")
	return err
}

// handOff: /agent → a message for the agent → the agent answers in the
// ticket's topic → the agent closes it → the customer is asked for a rating.
func handOff(c *mchat, agentUpdates *[]int64, agentMu *sync.Mutex, rng *rand.Rand) error {
	c.send("/agent")
	if _, err := c.wait("排在第"); err != nil {
		return err
	}
	think(rng)
	hello := fmt.Sprintf("我是客户 %d，想问问账单", c.user.ID)
	c.send(hello)
	// The agent finds the relay in a topic of the staff chat.
	var topic int64
	deadline := time.Now().Add(multiTimeout)
	for topic == 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("chat %d: the relay never reached the staff chat", c.chat)
		}
		for _, m := range c.srv.SentTo(multiStaff) {
			if strings.Contains(m.Text, hello) && m.ThreadID != 0 {
				topic = m.ThreadID
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	answer := fmt.Sprintf("您好 %d，我来帮您", c.user.ID)
	think(rng)
	id := c.srv.SendGroupText(multiStaff, topic, multiAgent, answer)
	agentMu.Lock()
	*agentUpdates = append(*agentUpdates, id)
	agentMu.Unlock()
	if _, err := c.wait(answer); err != nil {
		return err
	}
	think(rng)
	id = c.srv.SendGroupText(multiStaff, topic, multiAgent, "/close")
	agentMu.Lock()
	*agentUpdates = append(*agentUpdates, id)
	agentMu.Unlock()
	_, err := c.wait("1–5 星")
	return err
}

// --- the test -----------------------------------------------------------------

func TestMultiInstanceKill(t *testing.T) {
	if coreOverHTTP() {
		t.Skip("runs in the PostgreSQL pass with the embedded core; the HTTP core's pass does not run it again")
	}
	cfg := storetest.PostgresConfig(t)
	seed := faultSeed(t)
	rng := rand.New(rand.NewPCG(seed, 7))
	bin := buildBot(t)
	// Telegram's limits, enforced: the bot's 30 a second overall, and a
	// group's minute (raised to 120 so that the test does not wait minutes).
	srv := telegramtest.Start(t, telegramtest.WithRateLimits(telegramtest.RateLimits{GlobalPerSecond: 30, GroupPerMinute: 120}))
	dataset, people := writeMultiDataset(t, map[string]int{"pay": 8, "cancel": 6, "agent": 6})
	common := map[string]string{
		"TELEGRAM_BOT_TOKEN": srv.Token(),
		"DATABASE_URL":       cfg.URL,
		"WEBHOOK_SECRET":     "multi_secret",
		"AGENT_CHAT_ID":      strconv.Itoa(multiStaff),
		"AGENT_USER_IDS":     strconv.FormatInt(multiAgent.ID, 10),
		"BUSINESS_HOURS":     "00:00-24:00",
		"SEND_LIMITS":        "30,5,10,120",
		"LOG_LEVEL":          "warn",
	}
	imp := exec.Command(bin, "import", dataset)
	imp.Env, imp.Dir = baseEnvironment(common), t.TempDir()
	out, err := imp.CombinedOutput()
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	// It names where the customers went: PostgreSQL, not the SQLite file
	// it did not touch (a probe), without the URL's password.
	u, _ := url.Parse(cfg.URL)
	u.RawQuery = ""
	if !strings.Contains(string(out), "into the database "+u.Redacted()+" (DATABASE_URL)") || strings.Contains(string(out), ".db") {
		t.Errorf("import says:\n%s", out)
	}

	log := &sendLog{}
	var insts []*instance
	var addrs []string
	for i := range 3 {
		in := &instance{name: fmt.Sprintf("bot%d", i+1), addr: freeAddr(t), bin: bin, dir: t.TempDir()}
		insts = append(insts, in)
		addrs = append(addrs, in.addr)
	}
	hook := startFront(t, addrs).URL + "/telegram/hook"
	for _, in := range insts {
		vars := map[string]string{
			"TELEGRAM_API_ENDPOINT": startRecorder(t, srv, in.name, log).URL + "/bot%s/%s",
			"LISTEN_ADDR":           in.addr,
			"WEBHOOK_URL":           hook,
		}
		for k, v := range common {
			vars[k] = v
		}
		in.env = baseEnvironment(vars)
	}
	defer func() {
		var all strings.Builder
		for _, in := range insts {
			if in.alive() {
				in.stop(syscall.SIGKILL, 10*time.Second)
			}
			all.WriteString(in.logs())
		}
		if t.Failed() {
			t.Logf("the instances logged:\n%s", all.String())
		}
		if strings.Contains(all.String(), "DATA RACE") {
			t.Error("the race detector fired in an instance")
		}
	}()
	for _, in := range insts {
		in.start(t)
	}
	for _, in := range insts {
		in.waitHealthy(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	webhookFailures := pumpWebhook(ctx, srv)

	// The customers come over the first 3 seconds; one instance is killed
	// and another restarted meanwhile.
	start := time.Now()
	chats := make([]*mchat, len(people))
	errs := make([]error, len(people))
	var agentUpdates []int64
	var agentMu sync.Mutex
	var wg sync.WaitGroup
	for i, p := range people {
		chats[i] = newMchat(srv, p.user)
		crng := rand.New(rand.NewPCG(seed, uint64(i)+100))
		delay := time.Duration(crng.Int64N(int64(3 * time.Second)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(delay)
			switch p.role {
			case "pay":
				errs[i] = payEarly(chats[i], p, crng)
			case "cancel":
				errs[i] = cancelScheduled(chats[i], p, crng)
			default:
				errs[i] = handOff(chats[i], &agentUpdates, &agentMu, crng)
			}
		}()
	}
	killed, restarted := insts[1], insts[2]
	time.Sleep(time.Duration(1500+rng.IntN(1000)) * time.Millisecond)
	sentBefore := len(srv.Sent())
	if err := killed.stop(syscall.SIGKILL, 10*time.Second); err != nil {
		t.Errorf("kill %s: %v", killed.name, err)
	}
	killAt := time.Now()
	t.Logf("killed %s (SIGKILL) at %v, %d messages sent", killed.name, killAt.Sub(start).Round(time.Millisecond), sentBefore)
	time.Sleep(time.Duration(500+rng.IntN(1000)) * time.Millisecond)
	if err := restarted.stop(syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("%s did not stop cleanly on SIGTERM: %v", restarted.name, err)
	}
	t.Logf("stopped %s (SIGTERM) at %v; starting it again", restarted.name, time.Since(start).Round(time.Millisecond))
	restarted.start(t)
	restarted.waitHealthy(t)
	wg.Wait()
	t.Logf("every customer done after %v", time.Since(start).Round(time.Millisecond))
	failed := 0
	for _, err := range errs {
		if err != nil {
			if failed++; failed <= 3 {
				t.Error(err)
			}
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d customers did not get through", failed, len(people))
	}

	// Everything handled and sent: nothing left in the inbox or the outbox.
	db, err := sql.Open("pgx", cfg.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	deadline := time.Now().Add(multiTimeout)
	for count(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`)+count(`SELECT COUNT(*) FROM inbox WHERE state = 'pending'`)+len(srv.Pending()) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("still pending after %v: %d outbox, %d inbox, %d updates", multiTimeout,
				count(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`), count(`SELECT COUNT(*) FROM inbox WHERE state = 'pending'`), len(srv.Pending()))
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a message sent twice would show by now
	for _, in := range insts {
		if in.alive() {
			if err := in.stop(syscall.SIGTERM, 20*time.Second); err != nil {
				t.Errorf("%s did not stop cleanly on SIGTERM: %v", in.name, err)
			}
		}
	}
	cancel()

	// 0 lost updates: every update the customers and the agent caused is in
	// the inbox, handled, once (its source is unique).
	var want []int64
	for _, c := range chats {
		want = append(want, c.updates...)
	}
	want = append(want, agentUpdates...)
	for _, id := range want {
		if n := count(`SELECT COUNT(*) FROM inbox WHERE source = $1 AND state = 'done'`, supportbot.UpdateSource(id)); n != 1 {
			t.Errorf("update %d handled %d times, want once", id, n)
		}
	}
	if n := count(`SELECT COUNT(*) FROM outbox WHERE status = 'failed'`); n != 0 {
		t.Errorf("%d outbox messages given up", n)
	}

	// 0 doubled money actions: the core's ledger has one repayment per
	// payer, the actions one per confirmed quote or cancellation, settled.
	for _, p := range people {
		switch p.role {
		case "pay":
			if n := count(`SELECT COUNT(*) FROM core_repayments WHERE customer_id = $1 AND status = 'succeeded'`, p.id); n != 1 {
				t.Errorf("customer %s: %d repayments in the core's ledger, want 1", p.id, n)
			}
			if n := count(`SELECT COUNT(*) FROM actions WHERE customer_id = $1 AND kind = 'repay' AND state = 'succeeded'`, p.id); n != 1 {
				t.Errorf("customer %s: %d repay actions, want 1", p.id, n)
			}
			if n := count(`SELECT COUNT(*) FROM bills WHERE plan_id = $1 AND status <> 'paid'`, p.plan); n != 0 {
				t.Errorf("customer %s: %d bills unpaid after the payoff", p.id, n)
			}
		case "cancel":
			if n := count(`SELECT COUNT(*) FROM actions WHERE customer_id = $1 AND kind = 'cancel' AND state = 'succeeded'`, p.id); n != 1 {
				t.Errorf("customer %s: %d cancel actions, want 1", p.id, n)
			}
			if n := count(`SELECT COUNT(*) FROM scheduled_repayments WHERE id = $1 AND status = 'cancelled'`, p.scheduled); n != 1 {
				t.Errorf("customer %s: scheduled repayment %s not cancelled", p.id, p.scheduled)
			}
			if n := count(`SELECT COUNT(*) FROM core_repayments WHERE customer_id = $1`, p.id); n != 0 {
				t.Errorf("customer %s: %d repayments, want none", p.id, n)
			}
		}
	}
	if n, payers := count(`SELECT COUNT(*) FROM core_repayments`), 8; n != payers {
		t.Errorf("%d repayments in the core's ledger, want %d", n, payers)
	}

	// Every ticket relayed both ways, and closed.
	type ticket struct {
		id, chat, topic int64
		status          string
	}
	rows, err := db.Query(`SELECT id, chat_id, topic_id, status FROM tickets ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var tickets []ticket
	topicOf := map[int64]int64{} // ticket → topic
	for rows.Next() {
		var tk ticket
		if err := rows.Scan(&tk.id, &tk.chat, &tk.topic, &tk.status); err != nil {
			t.Fatal(err)
		}
		tickets = append(tickets, tk)
		topicOf[tk.id] = tk.topic
	}
	rows.Close()
	if len(tickets) != 6 {
		t.Errorf("%d tickets, want one per hand-off (6)", len(tickets))
	}
	closed := map[int64]bool{}
	for _, tp := range srv.Topics() {
		closed[tp.ThreadID] = tp.Closed
	}
	for _, tk := range tickets {
		var card, relay bool
		for _, m := range srv.SentTo(multiStaff) {
			if m.ThreadID != tk.topic || tk.topic == 0 {
				continue
			}
			card = card || strings.Contains(m.Text, fmt.Sprintf("工单 #T%d", tk.id))
			relay = relay || strings.Contains(m.Text, fmt.Sprintf("我是客户 %d", tk.chat))
		}
		if !card || !relay || tk.status != supportbot.TicketClosed || !closed[tk.topic] {
			t.Errorf("ticket #T%d of chat %d: topic %d, card %v, relay %v, status %s, topic closed %v",
				tk.id, tk.chat, tk.topic, card, relay, tk.status, closed[tk.topic])
		}
	}

	// Replies: each once and in order within its chat (or ticket topic),
	// but for the messages the killed instance had sent and not yet recorded.
	checkReplies(t, db, log.all(), topicOf, killed.name)

	// Telegram's limits held for the bot as a whole.
	if n := srv.Throttled(); n != 0 {
		t.Errorf("Telegram answered 429 %d times: the instances together went over its limits", n)
	}
	by := map[string]int{}
	for _, r := range log.all() {
		if r.ok && !strings.Contains(r.method, "Topic") {
			by[r.inst]++
		}
	}
	t.Logf("%d customers, %d updates (%d webhook deliveries failed and were retried); messages sent or edited by instance: %v; %d of the bot's calls answered 429",
		len(people), len(want), webhookFailures(), by, srv.Throttled())
}

// checkReplies compares what Telegram got with what the outbox holds: for
// each chat (each ticket's topic in the staff chat) the messages sent are
// the outbox's, in its order, each once — but a message the killed
// instance sent and could not record (it died first), which another
// instance sent again. Edits are checked to have been made.
func checkReplies(t *testing.T, db *sql.DB, recs []sendRecord, topicOf map[int64]int64, killed string) {
	t.Helper()
	type queue struct{ chat, thread int64 }
	type row struct {
		id int64
		r  supportbot.Reply
	}
	rows, err := db.Query(`SELECT id, payload FROM outbox WHERE status = 'sent' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	expected := map[queue][]row{}
	edits := map[queue][]row{}
	tracked := map[string]bool{} // chat:track of the replies read so far
	for rows.Next() {
		var rw row
		var payload string
		if err := rows.Scan(&rw.id, &payload); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(payload), &rw.r); err != nil {
			t.Fatal(err)
		}
		r := rw.r
		if r.Text == "" || r.Strip != "" || r.CopyFromMessage != 0 {
			continue
		}
		q := queue{r.ChatID, r.ThreadID}
		if r.TicketID != 0 {
			q.thread = topicOf[r.TicketID]
		}
		// EditStep: the message a step recorded, known to the sender only; a
		// Track an earlier reply of the chat had: the message that one made.
		track := fmt.Sprint(r.ChatID, ":", r.Track)
		if r.Edit != 0 || r.EditStep != "" || r.Track != "" && tracked[track] {
			edits[q] = append(edits[q], rw)
		} else {
			expected[q] = append(expected[q], rw)
		}
		if r.Track != "" {
			tracked[track] = true
		}
	}
	rows.Close()
	sends := map[queue][]sendRecord{}
	edited := map[string]bool{} // chat:message:text, and chat:text for edits by step
	madeEdit := func(r supportbot.Reply) bool {
		if r.Edit == 0 {
			return edited[fmt.Sprint(r.ChatID, ":", r.Text)]
		}
		return edited[fmt.Sprint(r.ChatID, ":", r.Edit, ":", r.Text)]
	}
	for _, s := range recs {
		switch {
		case s.method == "sendMessage" && s.ok:
			q := queue{s.chat, s.thread}
			sends[q] = append(sends[q], s)
		case s.method == "editMessageText" && (s.ok || strings.Contains(s.desc, "message is not modified")):
			edited[fmt.Sprint(s.chat, ":", s.msgID, ":", s.text)] = true
			edited[fmt.Sprint(s.chat, ":", s.text)] = true
		}
	}
	// An edit Telegram could not make was sent as a new message instead.
	for q, list := range edits {
		for _, rw := range list {
			if !madeEdit(rw.r) {
				expected[q] = append(expected[q], rw)
			}
		}
		slices.SortFunc(expected[q], func(a, b row) int { return int(a.id - b.id) })
	}
	dups := 0
	bad := map[queue]bool{} // queues with an error: their history is logged
	for q, want := range expected {
		got := sends[q]
		slices.SortFunc(got, func(a, b sendRecord) int { return int(a.msgID - b.msgID) })
		matched := make([][]sendRecord, len(want))
		j := 0
		for _, s := range got {
			if j < len(want) && s.text == want[j].r.Text {
				matched[j] = append(matched[j], s)
				j++
				continue
			}
			// Sent again: back to the message it repeats, and on from there.
			k := -1
			for b := j - 1; b >= 0 && b >= j-20; b-- {
				if want[b].r.Text == s.text {
					k = b
					break
				}
			}
			if k < 0 {
				t.Errorf("chat %d (thread %d): %.80q sent out of order, or never asked for", q.chat, q.thread, s.text)
				bad[q] = true
				continue
			}
			matched[k] = append(matched[k], s)
			j = k + 1
		}
		for i, m := range matched {
			switch {
			case len(m) == 0:
				t.Errorf("chat %d (thread %d): outbox message %d %.80q never sent", q.chat, q.thread, want[i].id, want[i].r.Text)
				bad[q] = true
			case len(m) > 1:
				dups += len(m) - 1
				if m[0].inst != killed {
					t.Errorf("chat %d (thread %d): %.80q sent %d times, first by %s (not the killed %s)",
						q.chat, q.thread, want[i].r.Text, len(m), m[0].inst, killed)
				}
				for _, again := range m[1:] {
					if again.inst == killed {
						t.Errorf("chat %d (thread %d): %.80q sent again by the killed instance", q.chat, q.thread, want[i].r.Text)
					}
				}
			}
		}
	}
	for q, got := range sends {
		if _, ok := expected[q]; !ok {
			t.Errorf("chat %d (thread %d): %d messages the outbox never held", q.chat, q.thread, len(got))
		}
	}
	for q, list := range edits {
		for _, rw := range list {
			if !madeEdit(rw.r) && !slices.ContainsFunc(sends[q], func(s sendRecord) bool { return s.text == rw.r.Text }) {
				t.Errorf("chat %d: the edit of message %d to %.80q was never made", q.chat, rw.r.Edit, rw.r.Text)
			}
		}
	}
	// A timing failure seldom comes back on replay: what each queue that
	// failed expected and got, with the topics of its chat, says what ran.
	for q := range bad {
		var b strings.Builder
		for _, rw := range expected[q] {
			fmt.Fprintf(&b, "\n  outbox %d (ticket %d, topic %q): %.60q", rw.id, rw.r.TicketID, rw.r.TopicName, rw.r.Text)
		}
		for _, s := range recs {
			if s.chat == q.chat && (s.thread == q.thread || strings.Contains(s.method, "Topic")) {
				fmt.Fprintf(&b, "\n  %s %s %s thread %d msg %d ok %v %s: %.60q", s.at.Format("15:04:05.000"), s.inst, s.method, s.thread, s.msgID, s.ok, s.desc, s.text)
			}
		}
		t.Logf("chat %d (thread %d), what the outbox held and what was sent:%s", q.chat, q.thread, b.String())
	}
	t.Logf("replies checked in %d chats and topics: %d sent again after the kill (sent by %s, not recorded before it died)", len(expected), dups, killed)
}

// --- PostgreSQL unreachable -------------------------------------------------

// tcpProxy forwards connections to addr until it is cut: then it refuses
// new ones and drops those open, as a database that went away does.
type tcpProxy struct {
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func startTCPProxy(t *testing.T, target string) *tcpProxy {
	t.Helper()
	p := &tcpProxy{target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.cut)
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns[c], p.conns[up] = true, true
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close(); c.Close() }()
			go func() { io.Copy(c, up); up.Close(); c.Close() }()
		}
	}()
}

// cut stops accepting connections and drops the open ones.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// restore accepts connections again, on the same address.
func (p *tcpProxy) restore(t *testing.T) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port was just closed: it is ours again in a moment
		if ln, err = net.Listen("tcp", p.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}

// TestPostgresUnreachable: while PostgreSQL does not answer, /healthz says
// 503 and the webhook answers 503 without acknowledging the update;
// Telegram keeps it, and once PostgreSQL is back it is handled, once.
func TestPostgresUnreachable(t *testing.T) {
	cfg := storetest.PostgresConfig(t)
	u, err := url.Parse(cfg.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startTCPProxy(t, u.Host)
	u.Host = proxy.addr
	srv := telegramtest.Start(t)
	addr := freeAddr(t)
	vars := map[string]string{
		"TELEGRAM_BOT_TOKEN":    srv.Token(),
		"TELEGRAM_API_ENDPOINT": srv.Endpoint(),
		"DATABASE_URL":          u.String(),
		"LISTEN_ADDR":           addr,
		"WEBHOOK_URL":           "http://" + addr + "/telegram/hook",
		"WEBHOOK_SECRET":        "pg_down_secret",
		"LOG_LEVEL":             "error",
	}
	c, err := LoadConfig(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	m := &Main{Config: c, Stdout: &bytes.Buffer{}, Stderr: logs}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Error("the bot did not stop")
		}
		m.Close()
		if t.Failed() {
			t.Logf("the bot logged:\n%s", logs.String())
		}
	}()
	health := func() int {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	waitHealth := func(want int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for health() != want {
			if time.Now().After(deadline) {
				t.Fatalf("/healthz = %d, want %d", health(), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitHealth(http.StatusOK)
	for srv.Webhook().URL == "" {
		time.Sleep(10 * time.Millisecond)
	}
	user := telegramtest.User{ID: 7301, FirstName: "User", LanguageCode: "zh"}
	replies := func(want string) int {
		n := 0
		for _, m := range srv.SentTo(user.ID) {
			n += strings.Count(m.Text, want)
		}
		return n
	}
	waitReply := func(want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for replies(want) == 0 {
			if time.Now().After(deadline) {
				t.Fatalf("no reply containing %q", want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	srv.SendText(user, "/start")
	if err := srv.DeliverWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitReply("你好")

	proxy.cut()
	waitHealth(http.StatusServiceUnavailable)
	id := srv.SendText(user, "/help")
	err = srv.DeliverWebhook(context.Background())
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("webhook delivery while PostgreSQL is away: %v, want a 503", err)
	}
	if p := srv.Pending(); len(p) != 1 || p[0].ID != id {
		t.Fatalf("pending updates = %+v, want the one the bot did not acknowledge", p)
	}
	if health() != http.StatusServiceUnavailable {
		t.Error("/healthz recovered while PostgreSQL is still away")
	}

	proxy.restore(t)
	waitHealth(http.StatusOK)
	deadline := time.Now().Add(30 * time.Second)
	for srv.DeliverWebhook(context.Background()) != nil {
		if time.Now().After(deadline) {
			t.Fatalf("the update was not taken once PostgreSQL was back: %s", srv.Webhook().LastError)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitReply("/bill")
	time.Sleep(300 * time.Millisecond) // a second answer would show by now
	if n := replies("/bill"); n != 1 {
		t.Errorf("/help answered %d times, want once", n)
	}
	if n := replies("你好"); n != 1 {
		t.Errorf("/start answered %d times, want once", n)
	}
}
