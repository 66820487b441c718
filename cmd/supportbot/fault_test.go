package main

// Fault tests (issue 9): the bot killed with SIGKILL in the middle of early
// repayments, a burst of updates from many chats, and the Bot API answering
// 429 and 502 for a while. What must hold: nothing is lost, no money moves
// twice, and replies keep their order per chat.

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"supportbot"
	"supportbot/bot/telegramtest"
)

// waitTimeout bounds every wait for a reply: generous, since under -race a
// restart after a kill, the backoff after a fault and the sending limits all
// add up.
const waitTimeout = 30 * time.Second

// chatter is a Telegram user driving the bot through the fake server. Its waits
// tolerate at-least-once delivery: a reply may come twice (sent, then the bot
// crashed before recording it), so a wait takes the first matching message
// sent after the last one matched and skips anything else. Updates are never
// lost (the fake server keeps what the bot did not confirm), so a driver only
// waits; it never re-sends. Its methods return errors rather than fail the
// test, so many chatters can run in goroutines.
type chatter struct {
	srv     *telegramtest.Server
	user    telegramtest.User
	last    int64   // message id of the last matched message
	updates []int64 // ids of the updates this user caused
}

func newChatter(srv *telegramtest.Server, id int64, lang string) *chatter {
	return &chatter{srv: srv, user: telegramtest.User{ID: id, FirstName: "User", LanguageCode: lang}}
}

func (c *chatter) send(text string) { c.updates = append(c.updates, c.srv.SendText(c.user, text)) }

func (c *chatter) shareContact(phone string) {
	c.updates = append(c.updates, c.srv.ShareContact(c.user, phone, c.user.ID))
}

func (c *chatter) press(msg telegramtest.SentMessage, data string) {
	c.updates = append(c.updates, c.srv.PressButton(c.user, msg, data))
}

// wait waits for the first message to the user, after the last one matched,
// whose text contains want.
func (c *chatter) wait(want string) (telegramtest.SentMessage, error) {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	id, last := c.user.ID, c.last
	m, err := c.srv.WaitSent(ctx, func(m telegramtest.SentMessage) bool {
		return m.ChatID == id && m.MessageID > last && strings.Contains(m.Text, want)
	})
	if err != nil {
		return m, fmt.Errorf("chat %d: no reply containing %q after message #%d within %v (%v); transcript:\n%s",
			id, want, last, waitTimeout, err, c.transcript())
	}
	c.last = m.MessageID
	return m, nil
}

func (c *chatter) transcript() string {
	var b strings.Builder
	for _, m := range c.srv.SentTo(c.user.ID) {
		fmt.Fprintf(&b, "  #%d %q", m.MessageID, m.Text)
		for _, btn := range m.Buttons() {
			fmt.Fprintf(&b, " [%s|%s]", btn.Text, btn.Data)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// button finds the callback data of the button whose label contains label.
func button(m telegramtest.SentMessage, label string) (string, bool) {
	for _, b := range m.Buttons() {
		if strings.Contains(b.Text, label) && b.Data != "" {
			return b.Data, true
		}
	}
	return "", false
}

// faultSeed is the seed of a test's random choices: SUPPORTBOT_FAULT_SEED if
// set (to replay a failure), else the clock. It is logged either way.
func faultSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("SUPPORTBOT_FAULT_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("SUPPORTBOT_FAULT_SEED=%q: %v", v, err)
		}
		seed = n
	}
	t.Logf("seed %d (replay with SUPPORTBOT_FAULT_SEED=%d)", seed, seed)
	return seed
}

// --- the crash test ---------------------------------------------------------

// repayCustomer is a generated customer with one open plan and its payoff.
type repayCustomer struct {
	ID, Phone, PlanID string
	UserID            int64
	Payoff            int64 // fen
}

// writeRepayDataset writes n customers as an import file, each with one open
// plan: period 1 paid, period 2 overdue (its fee and late fee are due), periods
// 3–6 not yet due (their fees waived, their principal bearing a non-zero
// prepayment fee). Due dates are at least 20 days from today, so the payoff
// does not change if the test runs over midnight.
func writeRepayDataset(t *testing.T, n int) (string, []repayCustomer) {
	t.Helper()
	today := time.Now().In(shanghai)
	date := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	type bill struct {
		Period    int    `json:"period"`
		DueDate   string `json:"due_date"`
		Principal int64  `json:"principal_fen"`
		Fee       int64  `json:"fee_fen"`
		LateFee   int64  `json:"late_fee_fen"`
		Status    string `json:"status"`
	}
	var customers []map[string]any
	var out []repayCustomer
	for i := 1; i <= n; i++ {
		c := repayCustomer{ID: fmt.Sprintf("F%03d", i), Phone: fmt.Sprintf("1390000%04d", i),
			PlanID: fmt.Sprintf("FP%03d", i), UserID: 880000 + int64(i)}
		per := int64(41_111 + 1_237*i) // fen, odd amounts so the fee rounds
		fee, late := int64(300+i), int64(500+3*i)
		bp := int64(50 + (i*37)%250)
		days := []int{-70, -40, 20, 50, 80, 110}
		var bills []bill
		var principal, unpaid, notDue int64
		for k, d := range days {
			b := bill{Period: k + 1, DueDate: date(d), Principal: per + int64(k), Fee: fee, Status: "unpaid"}
			switch {
			case k == 0:
				b.Status = "paid"
			case k == 1:
				b.LateFee = late
			}
			principal += b.Principal
			if b.Status == "unpaid" {
				unpaid += b.Principal
				if d > 0 {
					notDue += b.Principal
				}
			}
			bills = append(bills, b)
		}
		prepay := (notDue*bp*2 + 10000) / 20000 // half up
		c.Payoff = unpaid + fee + late + prepay
		out = append(out, c)
		customers = append(customers, map[string]any{
			"id": c.ID, "name": fmt.Sprintf("测试%d", i), "phone": c.Phone, "id_card_last4": "1234", "language": "zh",
			"cards": []map[string]any{{"id": "K1", "bank": "招商银行", "last4": fmt.Sprintf("%04d", 1000+i), "default": true}},
			"plans": []map[string]any{{
				"id": c.PlanID, "order_no": fmt.Sprintf("77%011d", i), "product": fmt.Sprintf("测试商品 %d", i),
				"partner": "招联金融", "principal_fen": principal, "periods": len(days), "prepay_fee_rate_bp": bp, "bills": bills,
			}},
		})
	}
	body, err := json.MarshalIndent(map[string]any{"customers": customers}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fault_customers.json")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, out
}

// child is the bot running as a child process: the test binary in child mode
// (TestMain, child_test.go).
type child struct {
	cmd  *exec.Cmd
	out  bytes.Buffer // stdout and stderr; read only after Wait
	done chan struct{}
	err  error // of Wait, once done is closed
}

func startChild(t *testing.T, env []string) *child {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{done: make(chan struct{})}
	c.cmd = exec.Command(exe, "-test.run=^$")
	c.cmd.Env = env
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start the bot: %v", err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.done) }()
	return c
}

// stop sends sig and waits for the child to exit.
func (c *child) stop(sig syscall.Signal, timeout time.Duration) error {
	c.cmd.Process.Signal(sig)
	select {
	case <-c.done:
		return c.err
	case <-time.After(timeout):
		c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("did not exit within %v of %v", timeout, sig)
	}
}

// childEnvironment is this process's environment without anything the bot's
// configuration reads, plus vars.
func childEnvironment(vars map[string]string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == childEnv, k == "DATABASE_PATH", k == "LISTEN_ADDR", k == "BUSINESS_HOURS",
			strings.HasPrefix(k, "TELEGRAM_"), strings.HasPrefix(k, "AGENT_"), strings.HasPrefix(k, "WEBHOOK_"),
			strings.HasPrefix(k, "SUPPORT_"), strings.HasPrefix(k, "LOG_"):
			continue
		}
		env = append(env, kv)
	}
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	return env
}

var referenceRE = regexp.MustCompile(`流水号 (Q[0-9A-Z]+)`)

// repay drives one customer through /repay → own contact → quote → confirm,
// pressed twice → success, then the answer to the second press. It returns
// the payment references the customer was told.
func repay(c *chatter, rc repayCustomer, rng *rand.Rand) error {
	think := func() { time.Sleep(time.Duration(50+rng.IntN(350)) * time.Millisecond) }
	c.send("/repay")
	if _, err := c.wait("分享我的手机号"); err != nil {
		return err
	}
	think()
	c.shareContact("86" + rc.Phone)
	if _, err := c.wait("验证成功"); err != nil {
		return err
	}
	quote, err := c.wait("合计应付")
	if err != nil {
		return err
	}
	if want := "合计应付：" + supportbot.Money(rc.Payoff).String(); !strings.Contains(quote.Text, want) {
		return fmt.Errorf("chat %d: quote lacks %q:\n%s", c.user.ID, want, quote.Text)
	}
	confirm, ok := button(quote, "确认还款")
	if !ok || !strings.Contains(confirm, ":repay:ok:Q") {
		return fmt.Errorf("chat %d: the quote has no confirm button (repay:ok:<quote>):\n%s", c.user.ID, c.transcript())
	}
	think()
	c.press(quote, confirm)
	time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond) // a double tap
	c.press(quote, confirm)
	if _, err := c.wait("提前还款成功"); err != nil {
		return err
	}
	if _, err := c.wait("不会重复扣款"); err != nil {
		return err
	}
	return nil
}

func TestCrashKillDuringEarlyRepayment(t *testing.T) {
	const customers = 30
	seed := faultSeed(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	srv := telegramtest.Start(t)
	dbPath := filepath.Join(t.TempDir(), "bot.db")
	vars := map[string]string{
		childEnv:                "1",
		"TELEGRAM_BOT_TOKEN":    srv.Token(),
		"TELEGRAM_API_ENDPOINT": srv.Endpoint(),
		"DATABASE_PATH":         dbPath,
		"LOG_LEVEL":             "error",
		"LISTEN_ADDR":           "127.0.0.1:0",
	}
	a := &app{t: t, srv: srv, env: vars}
	dataset, people := writeRepayDataset(t, customers)
	a.run("import", dataset)

	// The bot's lives; each one's output is kept for the failure report.
	env := childEnvironment(vars)
	var logs strings.Builder
	life := 0
	bot := startChild(t, env)
	t.Cleanup(func() {
		select {
		case <-bot.done:
		default:
			bot.stop(syscall.SIGKILL, 10*time.Second)
		}
	})
	reap := func(how string) {
		fmt.Fprintf(&logs, "--- life %d (%s): %v\n%s", life, how, bot.err, bot.out.String())
		life++
	}
	defer func() {
		if t.Failed() {
			t.Logf("bot output:\n%s", logs.String())
		}
	}()

	// The kill schedule: kills at random moments, 300–900 ms apart.
	gaps := make([]time.Duration, 6+rng.IntN(3))
	var window time.Duration
	for k := range gaps {
		gaps[k] = time.Duration(300+rng.IntN(601)) * time.Millisecond
		window += gaps[k]
	}

	// Every customer repays, with the default sending limits of the real
	// program (1 msg/s per chat, burst 5, 30/s overall; no variable sets
	// them): 30 customers × 5 replies over a few seconds fit in them.
	start := time.Now()
	chatters := make([]*chatter, len(people))
	errs := make([]error, len(people))
	var wg sync.WaitGroup
	var started, finished atomic.Int32
	for i, p := range people {
		chatters[i] = newChatter(srv, p.UserID, "zh")
		crng := rand.New(rand.NewPCG(seed, uint64(i)+2))
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Customers come over most of the time the kills take.
			time.Sleep(time.Duration(crng.Int64N(int64(window) * 2 / 3)))
			started.Add(1)
			errs[i] = repay(chatters[i], p, crng)
			finished.Add(1)
		}()
	}

	// Kill the bot at random moments and start it again.
	kills := len(gaps)
	polls := 0
	for k := 0; k < kills; k++ {
		select {
		case <-bot.done:
			reap("exited by itself")
			t.Fatalf("the bot exited by itself (life %d)", life-1)
		case <-time.After(gaps[k]):
		}
		if err := bot.stop(syscall.SIGKILL, 10*time.Second); err != nil && !strings.Contains(err.Error(), "killed") {
			t.Errorf("kill %d: %v", k+1, err)
		}
		reap("SIGKILL")
		t.Logf("kill %d at %v: %d customers started, %d done; %d messages sent, %d updates unconfirmed",
			k+1, time.Since(start).Round(time.Millisecond), started.Load(), finished.Load(), len(srv.Sent()), len(srv.Pending()))
		polls = srv.Calls("getUpdates")
		bot = startChild(t, env)
	}
	wg.Wait()
	t.Logf("all customers done after %v", time.Since(start).Round(time.Millisecond))
	// SIGTERM once the last life is up (polling), so it is the program's
	// shutdown that is tested, not the runtime's default action.
	for i := 0; srv.Calls("getUpdates") == polls; i++ {
		if i == 3000 {
			t.Fatal("the last life of the bot never polled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := bot.stop(syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("the bot did not stop cleanly on SIGTERM: %v", err)
	}
	reap("SIGTERM")
	if strings.Contains(logs.String(), "DATA RACE") {
		t.Error("the race detector fired in the bot")
	}
	failed := 0
	for _, err := range errs {
		if err != nil {
			if failed++; failed <= 3 {
				t.Error(err)
			}
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d customers did not complete their repayment", failed, len(people))
	}

	// Every customer paid once, with the right amount, and was told one reference.
	byCustomer := map[string]repayCustomer{}
	for _, p := range people {
		byCustomer[p.ID] = p
	}
	db := openReadOnly(t, dbPath)
	keys := map[string]string{} // customer → idempotency key
	rows, err := db.Query(`SELECT customer_id, plan_id, kind, amount_fen, idempotency_key FROM payments`)
	if err != nil {
		t.Fatal(err)
	}
	npay := 0
	for rows.Next() {
		var cust, plan, kind, key string
		var amount int64
		if err := rows.Scan(&cust, &plan, &kind, &amount, &key); err != nil {
			t.Fatal(err)
		}
		npay++
		p, ok := byCustomer[cust]
		switch {
		case !ok:
			t.Errorf("payment %s of unknown customer %s", key, cust)
		case keys[cust] != "":
			t.Errorf("customer %s paid twice: %s and %s", cust, keys[cust], key)
		case plan != p.PlanID || kind != "early_repayment" || amount != p.Payoff:
			t.Errorf("payment %s of %s: plan %s, kind %s, amount_fen %d; want plan %s, early_repayment, %d",
				key, cust, plan, kind, amount, p.PlanID, p.Payoff)
		}
		keys[cust] = key
	}
	rows.Close()
	if npay != len(people) {
		t.Errorf("%d payments, want %d (one per customer)", npay, len(people))
	}
	for i, c := range chatters {
		for _, m := range srv.SentTo(c.user.ID) {
			for _, ref := range referenceRE.FindAllStringSubmatch(m.Text, -1) {
				if ref[1] != keys[people[i].ID] {
					t.Errorf("customer %s was told reference %s, paid with %s", people[i].ID, ref[1], keys[people[i].ID])
				}
			}
		}
	}

	// Each plan's bills were paid, and each early repayment recorded once: one
	// audit entry, one message-center notice.
	for _, p := range people {
		var unpaid, notices int
		if err := db.QueryRow(`SELECT COUNT(*) FROM bills WHERE plan_id = ? AND status <> 'paid'`, p.PlanID).Scan(&unpaid); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT COUNT(*) FROM notices WHERE customer_id = ? AND kind = 'early_repayment'`, p.ID).Scan(&notices); err != nil {
			t.Fatal(err)
		}
		if unpaid != 0 || notices != 1 {
			t.Errorf("customer %s: %d bills still unpaid, %d early-repayment notices (want 0, 1)", p.ID, unpaid, notices)
		}
	}
	audit := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(a.run("audit", "--json")), "\n") {
		var e struct {
			Action     string `json:"action"`
			CustomerID string `json:"customer_id"`
			PlanID     string `json:"plan_id"`
			Amount     int64  `json:"amount_fen"`
			QuoteID    string `json:"quote_id"`
		}
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("audit line %q: %v", line, err)
		}
		if e.Action != "early_repayment" {
			continue
		}
		audit[e.CustomerID]++
		if p := byCustomer[e.CustomerID]; e.PlanID != p.PlanID || e.Amount != p.Payoff || e.QuoteID != keys[e.CustomerID] {
			t.Errorf("audit entry %+v; want plan %s, amount %d, quote %s", e, p.PlanID, p.Payoff, keys[e.CustomerID])
		}
	}
	for _, p := range people {
		if audit[p.ID] != 1 {
			t.Errorf("customer %s: %d early_repayment audit entries, want 1", p.ID, audit[p.ID])
		}
	}

	// Every update the customers caused was handled, once (processed_updates
	// has one row per update), and nothing else; nothing is left to send.
	var want []int64
	for _, c := range chatters {
		want = append(want, c.updates...)
	}
	slices.Sort(want)
	var got []int64
	rows, err = db.Query(`SELECT update_id FROM processed_updates ORDER BY update_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		got = append(got, id)
	}
	rows.Close()
	if !slices.Equal(got, want) {
		t.Errorf("processed_updates has %d rows, want the %d updates delivered:\n got %v\nwant %v", len(got), len(want), got, want)
	}
	var outbox, unsent int
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(*) FILTER (WHERE status <> 'sent') FROM outbox`).Scan(&outbox, &unsent); err != nil {
		t.Fatal(err)
	}
	if unsent != 0 {
		t.Errorf("%d outbox messages not sent", unsent)
	}
	if ids := srv.UnansweredCallbacks(); len(ids) > 0 {
		t.Errorf("callback queries never answered: %v", ids)
	}
	t.Logf("%d kills; %d messages delivered for %d outbox rows (%d duplicates from crashes); %d updates",
		kills, len(srv.Sent()), outbox, len(srv.Sent())-outbox, len(want))
}

// openReadOnly opens a stopped bot's database for inspection.
func openReadOnly(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	return db
}

// --- the burst test ---------------------------------------------------------

// burstScript is what every chat sends in the burst test, and the reply each
// message gets. The language it switches makes a reply depend on the messages
// before it, so replies out of order show.
var burstScript = []struct{ send, want string }{
	{"/lang en", "Switched to English"},
	{"/help", "/repay"},
	{"/cancel", "nothing in progress"},
	{"/lang zh", "已切换为中文"},
	{"/help", "提前还款"},
	{"/cancel", "当前没有进行中的操作"},
	{"/nosuchcommand", "没有这个命令"},
	{"/lang en", "Switched to English"},
	{"/nosuchcommand", "/help"},
	{"/cancel", "nothing in progress"},
}

func TestBurstManyChatsInOrder(t *testing.T) {
	chats := 1000
	if testing.Short() {
		chats = 100
	}
	per := len(burstScript)
	seed := faultSeed(t)
	rng := rand.New(rand.NewPCG(seed, 1))
	a := MustRunMain(t)

	// Every chat's messages, interleaved at random with the other chats' but
	// in order within the chat, pushed as fast as the fake server takes them.
	order := make([]int, 0, chats*per)
	for c := 0; c < chats; c++ {
		for range per {
			order = append(order, c)
		}
	}
	rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	next := make([]int, chats)
	user := func(c int) telegramtest.User { return telegramtest.User{ID: 500_000 + int64(c), FirstName: "User"} }
	start := time.Now()
	for _, c := range order {
		a.srv.SendText(user(c), burstScript[next[c]].send)
		next[c]++
	}
	pushed := time.Since(start)

	total := chats * per
	// byChat groups what was sent by chat.
	byChat := func(sent []telegramtest.SentMessage) map[int64][]telegramtest.SentMessage {
		m := map[int64][]telegramtest.SentMessage{}
		for _, msg := range sent {
			m[msg.ChatID] = append(m[msg.ChatID], msg)
		}
		return m
	}
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if a.srv.Calls("sendMessage") >= total {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	elapsed := time.Since(start)
	time.Sleep(200 * time.Millisecond) // anything extra would show now
	sent := a.srv.Sent()
	chatsSent := byChat(sent)
	bad := 0
	for c := 0; c < chats; c++ {
		msgs := chatsSent[user(c).ID]
		ok := len(msgs) == per
		for i := 0; ok && i < per; i++ {
			ok = strings.Contains(msgs[i].Text, burstScript[i].want)
		}
		if !ok {
			if bad++; bad <= 3 {
				var b strings.Builder
				for i, m := range msgs {
					fmt.Fprintf(&b, "\n  %d: %.60q", i, m.Text)
				}
				t.Errorf("chat %d got %d replies, want %d in script order:%s", user(c).ID, len(msgs), per, b.String())
			}
		}
	}
	if bad > 0 || len(sent) != total { // more would be a duplicate: nothing failed here
		t.Fatalf("%d of %d chats got wrong replies; %d messages sent for %d updates", bad, chats, len(sent), total)
	}
	t.Logf("%d updates from %d chats: pushed in %v, all %d replies sent in order after %v (%.0f updates/s)",
		total, chats, pushed.Round(time.Millisecond), total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds())
}

// --- 429 and 502 during a conversation ---------------------------------------

func TestFaultRateLimitAndBadGatewayLoseNothing(t *testing.T) {
	a := MustRunMain(t)
	srv := a.srv
	c := newChatter(srv, 7101, "zh")
	// Faults start once the bot is up (polling): a fault at startup is
	// another matter (getMe is not retried).
	for i := 0; srv.Calls("getUpdates") == 0; i++ {
		if i == 500 {
			t.Fatal("the bot did not start polling")
		}
		time.Sleep(10 * time.Millisecond)
	}
	must := func(m telegramtest.SentMessage, err error) telegramtest.SentMessage {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// faultsFor makes every method fail with f for d.
	faultsFor := func(f telegramtest.Fault, d time.Duration) {
		srv.InjectFaults("", -1, f)
		time.Sleep(d)
		srv.ClearFaults()
	}

	// The greeting, sent into 429s with retry_after and then 502s with an HTML body.
	c.send("/start")
	faultsFor(telegramtest.RateLimit(1), time.Second)
	faultsFor(telegramtest.BadGateway(), time.Second)
	greeting := must(c.wait("你好"))
	data, ok := button(greeting, "我的账单")
	if !ok {
		t.Fatalf("the greeting has no bill button:\n%s", c.transcript())
	}

	// A button press whose answer and reply fail a few times, both ways.
	// (getUpdates is spared here: its backoff still counts the failures above.)
	srv.InjectFaults("answerCallbackQuery", 1, telegramtest.BadGateway())
	srv.InjectFaults("sendMessage", 1, telegramtest.RateLimit(1))
	srv.InjectFaults("sendMessage", 2, telegramtest.BadGateway())
	c.press(greeting, data)
	must(c.wait("分享我的手机号"))

	// The contact, with polls failing and sends that went out but answered
	// 502 (so the bot sends them again: a duplicate is fine, a loss is not).
	srv.InjectFaults("getUpdates", 2, telegramtest.BadGateway())
	srv.InjectFaults("sendMessage", 2, telegramtest.Fault{Status: 502, Processed: true})
	srv.InjectFaults("sendMessage", 1, telegramtest.RateLimit(1))
	c.shareContact("8613800138000")
	must(c.wait("验证成功，张伟"))
	must(c.wait("点「查看还款计划」"))
	var text strings.Builder
	for _, m := range srv.SentTo(c.user.ID) {
		if m.MessageID > greeting.MessageID {
			text.WriteString(m.Text + "\n")
		}
	}
	for _, want := range []string{"合计待还 ¥5,781.40", "剩余待还 ¥1,761.40", "剩余待还 ¥4,020.00", "滞纳金 ¥12.00"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("bills lack %q:\n%s", want, c.transcript())
		}
	}

	// Nothing was given up: every outbox message went out.
	db := openReadOnly(t, a.env["DATABASE_PATH"])
	deadline := time.Now().Add(waitTimeout)
	for {
		var pending, failed int
		if err := db.QueryRow(`SELECT COUNT(*) FILTER (WHERE status = 'pending'), COUNT(*) FILTER (WHERE status = 'failed') FROM outbox`).Scan(&pending, &failed); err != nil {
			t.Fatal(err)
		}
		if failed > 0 {
			t.Fatalf("%d outbox messages given up", failed)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox messages still pending", pending)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := srv.Calls("sendMessage"); n <= len(srv.Sent()) {
		t.Errorf("sendMessage was called %d times for %d messages: the faults were not hit", n, len(srv.Sent()))
	}
	if ids := srv.UnansweredCallbacks(); len(ids) > 0 {
		t.Logf("callback queries left unanswered (answerCallbackQuery is not retried): %v", ids)
	}
}
