package main

// The HTTP core end to end (issue 16): the core not answering for a while,
// and the core's events reaching the customers. These run with the HTTP
// core whatever the run's core: they are about it.

import (
	"context"
	"database/sql"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp/coretest"
)

// TestCoreNotAnsweringSaysSoAndOffersAHuman: while the core answers
// nothing, a bill lookup says the system is not answering and offers a
// human, a confirm moves no money and leaves the conversation where it was,
// a person stays one tap away; once the core is back, the customer goes on
// from the same quote and pays once.
func TestCoreNotAnsweringSaysSoAndOffersAHuman(t *testing.T) {
	a := MustRunMainHTTP(t, "AGENT_CHAT_ID", "-100777", "AGENT_USER_IDS", "9001")
	fake, ctx := a.core.fake, context.Background()
	c := a.customer(7601, "zh")
	c.say("/repay", "分享我的手机号")
	msgs := c.share("8613800138000", "要提前结清哪一笔分期")
	quote := c.press(msgs, "Xiaomi Book", "合计应付：¥3,045.00")

	// The core stops answering: every request hangs until the client gives up.
	fake.Inject("", -1, coretest.Hang())
	began := time.Now()
	down := c.say("/bill", "分期系统暂时没有响应")
	took := time.Since(began)
	if took > 12*time.Second {
		t.Errorf("the customer waited %v to hear the system is not answering", took)
	}
	last := down[len(down)-1]
	if _, ok := button(last.SentMessage, "人工"); !ok {
		t.Fatalf("no human offered when the core is down:\n%s", joined(down))
	}
	if strings.Contains(joined(down), "¥") {
		t.Errorf("bills shown while the core does not answer:\n%s", joined(down))
	}

	// A confirm while it is down: nothing charged, nothing committed, the
	// conversation still at the quote, and so is its message: the answer
	// comes as a new message.
	on, _ := c.pressOnly(quote, "确认还款")
	if got := c.next("分期系统暂时没有响应"); slices.ContainsFunc(got, func(m shown) bool { return m.MessageID == on }) {
		t.Errorf("the quote #%d changed though nothing was done:\n%s", on, joined(got))
	}
	if l := a.ledger("C1"); len(l) != 0 {
		t.Errorf("the core executed %d repayments while it was not answering", len(l))
	}
	if acts, err := a.botDB().Actions(ctx, "", 10); err != nil || len(acts) != 0 {
		t.Errorf("money actions committed while the core was not answering: %+v, %v", acts, err)
	}
	conv, err := a.botDB().Conversation(ctx, c.user.ID)
	if err != nil {
		t.Fatal(err)
	}
	if conv.Flow != "repay" || conv.State != "quoted" || conv.CustomerID != "C1" {
		t.Errorf("conversation after the failed steps: flow %q state %q customer %q; want repay, quoted, C1", conv.Flow, conv.State, conv.CustomerID)
	}
	if n := fake.Requests(coretest.OpCreateRepayment); n != 0 {
		t.Errorf("%d repayment requests sent while reads failed", n)
	}

	// Back: the same quote is confirmed and paid, once.
	fake.ClearFaults()
	text := joined(c.press(quote, "确认还款", "提前还款成功"))
	ledger := a.ledger("C1")
	if len(ledger) != 1 || ledger[0].Amount != 304500 || !strings.Contains(text, ledger[0].ID) {
		t.Errorf("after the core came back: ledger %+v; told:\n%s", ledger, text)
	}
	if d := fake.Doubled(); len(d) > 0 {
		t.Errorf("executed twice: %v", d)
	}

	// Down again: a person is still one tap away (the button offered then).
	fake.Inject("", -1, coretest.Hang())
	c.press([]shown{last}, "人工", "排在第 1 位")
	_, card := a.topicMessages("工单 #T1")
	if !strings.Contains(card[0].Plain, "C1") {
		t.Errorf("the ticket's card does not name the customer:\n%s", card[0].Plain)
	}
	fake.ClearFaults()
	if n, err := a.botDB().InboxDepth(ctx); err != nil || n != 0 {
		t.Errorf("inbox depth %d, %v: a step was left half-done", n, err)
	}
}

// TestCoreEventsReachTheCustomer: events the core posts, signed, reach the
// customers they concern (a scheduled repayment failed, a closure decided, a
// phone changed: the chat is unlinked and asked to identify again); a bad
// signature or a stale one is refused with 401 and changes nothing; a
// redelivered event is handled once; the 2xx comes only once the event is
// committed.
func TestCoreEventsReachTheCustomer(t *testing.T) {
	a := MustRunMainHTTP(t, "LOG_LEVEL", "warn")
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the bot's log:\n%s", a.logs.String())
		}
	})
	fake, secret, ctx := a.core.fake, a.core.secret, context.Background()
	url := "http://" + a.addr() + "/core/events"
	zh := a.customer(7701, "zh") // C1
	zh.say("/bill", "分享我的手机号")
	zh.share("8613800138000", "合计待还")
	en := a.customer(7702, "en") // C2
	en.say("/bill", "Share my phone number")
	en.share("8613900139000", "paid off")

	// A scheduled repayment failed: told, with a way to pay; kept once.
	failed := supportbot.CoreEvent{ID: "evt_sched_failed_1", Type: supportbot.EventScheduledRepaymentFailed, CreatedAt: time.Now(),
		Scheduled: &supportbot.ScheduledRepayment{ID: "S1", CustomerID: "C1", PlanID: "P1", Period: 7, Amount: 24992, CardID: "K1",
			RunAt: now.Add(-time.Hour), Status: supportbot.ScheduledFailed, NotCancellable: "failed"}}
	if err := fake.Deliver(ctx, failed); err != nil {
		t.Fatal(err)
	}
	msgs := zh.next("预约还款扣款失败：「Redmi K70」第 7 期，¥249.92")
	if _, ok := button(msgs[len(msgs)-1].SentMessage, "立即还款"); !ok {
		t.Errorf("a failed debit offers no way to pay:\n%s", joined(msgs))
	}
	if err := fake.Deliver(ctx, failed); err != nil { // redelivered
		t.Fatal(err)
	}

	// Refused: a wrong secret, a stale or future signature, a body changed
	// after signing. None of them is taken.
	decided := supportbot.CoreEvent{ID: "evt_closure_1", Type: supportbot.EventClosureRequestDecided, CreatedAt: time.Now(),
		Closure: &supportbot.ClosureRequest{Reference: "CR-20261118-0001", CustomerID: "C2", Status: supportbot.ClosureRejected,
			Reason: "a refund is still being processed", CreatedAt: now.Add(-72 * time.Hour), ExpectedFrom: "2026-11-21",
			ExpectedTo: "2026-11-25", DecidedAt: time.Now()}}
	for name, opts := range map[string][]coretest.SendOption{
		"stale":  {coretest.SignedAt(time.Now().Add(-6 * time.Minute))},
		"future": {coretest.SignedAt(time.Now().Add(6 * time.Minute))},
	} {
		if status, err := coretest.SendEvent(ctx, url, secret, decided, opts...); err != nil || status != http.StatusUnauthorized {
			t.Errorf("%s signature: %d, %v; want 401", name, status, err)
		}
	}
	if status, err := coretest.SendEvent(ctx, url, "not-the-secret", decided); err != nil || status != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, %v; want 401", status, err)
	}
	body, err := coretest.EncodeEvent(decided)
	if err != nil {
		t.Fatal(err)
	}
	sig := coretest.Sign(secret, time.Now(), body)
	forged := []byte(strings.Replace(string(body), "C2", "C1", 1))
	if status, err := coretest.PostEvent(ctx, url, sig, forged); err != nil || status != http.StatusUnauthorized {
		t.Errorf("body changed after signing: %d, %v; want 401", status, err)
	}
	if status, err := coretest.PostEvent(ctx, url, "", body); err != nil || status != http.StatusUnauthorized {
		t.Errorf("no signature: %d, %v; want 401", status, err)
	}
	// Signed right, it is taken: the refusals did not mark it seen.
	if err := fake.Deliver(ctx, decided); err != nil {
		t.Fatal(err)
	}
	text := joined(en.next("has been decided"))
	if !strings.Contains(text, "CR-20261118-0001") || !strings.Contains(text, "a refund is still being processed") {
		t.Errorf("the decision told:\n%s", text)
	}
	if n := told(a.srv, zh.user.ID, "has been decided", "有了处理结果"); n != 0 {
		t.Errorf("C1's chat was told C2's closure decision")
	}

	// The 2xx comes once the event is committed: with the bot's database
	// held, the core gets no answer; released, it gets 2xx and the event is
	// there.
	done := supportbot.CoreEvent{ID: "evt_sched_done_1", Type: supportbot.EventScheduledRepaymentSucceeded, CreatedAt: time.Now(),
		Scheduled: &supportbot.ScheduledRepayment{ID: "S2", CustomerID: "C1", PlanID: "P2", Period: 3, Amount: 100500, CardID: "K1",
			RunAt: now.Add(time.Hour), Status: supportbot.ScheduledDone, NotCancellable: "done"}}
	release := holdDatabase(t, a)
	answered := make(chan int, 1)
	go func() {
		status, err := coretest.SendEvent(ctx, url, secret, done)
		if err != nil {
			t.Errorf("post while the database is held: %v", err)
		}
		answered <- status
	}()
	select {
	case status := <-answered:
		t.Fatalf("the bot answered %d before it could commit the event", status)
	case <-time.After(1500 * time.Millisecond):
	}
	release()
	var status int
	select {
	case status = <-answered:
	case <-time.After(15 * time.Second):
		t.Fatal("no answer once the database was released")
	}
	notices, err := a.botDB().Notices(ctx, "C1", 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, n := range notices {
		kinds[n.Kind]++
	}
	if status != http.StatusNoContent || kinds["scheduled_done"] != 1 {
		t.Errorf("answered %d with notices %v; want 204 with the scheduled_done notice committed", status, kinds)
	}
	zh.next("预约还款已扣款成功：「Xiaomi Book」第 3 期")

	// Each event once: one message, one notice, one audit entry.
	if kinds["scheduled_failed"] != 1 {
		t.Errorf("scheduled_failed notices = %d, want 1 (redelivered once)", kinds["scheduled_failed"])
	}
	if n := told(a.srv, zh.user.ID, "预约还款扣款失败"); n != 1 {
		t.Errorf("the failed debit was told %d times, want 1", n)
	}
	if n := len(a.audit("C1", "scheduled_failed")); n != 1 {
		t.Errorf("scheduled_failed audit entries = %d, want 1", n)
	}
	if n := len(a.audit("C2", "closure_status")); n != 1 {
		t.Errorf("closure_status audit entries = %d, want 1", n)
	}

	// The phone on file changes in the core (an import there): the core
	// posts customer.updated, the chat linked through the old phone is
	// unlinked and asked to identify again.
	data, err := os.ReadFile("testdata/customers.json")
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "customers.json")
	if err := os.WriteFile(changed, []byte(strings.Replace(string(data), "+86 138-0013-8000", "+86 138-0013-9999", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	a.runCore("import", changed)
	zh.next("你账户预留的手机号已变更")
	if n := len(a.audit("C1", "unlink")); n != 1 {
		t.Errorf("unlink audit entries = %d, want 1", n)
	}
	zh.say("/bill", "分享我的手机号")
	zh.share("8613800138000", "没有找到") // the old number is no one's now
	zh.say("/bill", "分享我的手机号")
	zh.share("8613800139999", "合计待还")
	var updated int
	for _, d := range fake.Deliveries() {
		if d.Event.Type == supportbot.EventCustomerUpdated && d.Err == nil {
			updated++
		}
	}
	if updated != 1 {
		t.Errorf("customer.updated delivered %d times, want 1", updated)
	}
}

// holdDatabase keeps the bot from committing the core's events until
// release is called: SQLite's write lock, or PostgreSQL's lock on the table
// of seen events.
func holdDatabase(t *testing.T, a *app) (release func()) {
	t.Helper()
	ctx := context.Background()
	var db *sql.DB
	var err error
	if a.db.URL != "" {
		db, err = sql.Open("pgx", a.db.URL)
	} else {
		db, err = sql.Open("sqlite3", "file:"+a.db.Path+"?_busy_timeout=5000")
	}
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lock := []string{"BEGIN IMMEDIATE"}
	if a.db.URL != "" {
		lock = []string{"BEGIN", "LOCK TABLE seen_events IN ACCESS EXCLUSIVE MODE"}
	}
	for _, q := range lock {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	var once bool
	release = func() {
		if once {
			return
		}
		once = true
		if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
			t.Errorf("release the database: %v", err)
		}
		conn.Close()
		db.Close()
	}
	t.Cleanup(release)
	return release
}

// TestAPressByAnotherUserInACustomersChatDoesNothing: an update (forged:
// Telegram never sends one) of user 8007 pressing the confirm button on
// customer 8006's quote, in 8006's chat, paid from 8006's account (a probe).
// In a private chat the sender is the chat; one who is not acts on nobody's.
func TestAPressByAnotherUserInACustomersChatDoesNothing(t *testing.T) {
	a := MustRunMain(t)
	victim := a.customer(8006, "zh")
	victim.say("/repay", "分享我的手机号")
	msgs := victim.share("8613800138000", "要提前结清哪一笔分期")
	quote := victim.press(msgs, "Redmi K70", "合计应付")
	q := quote[indexOf(quote, "合计应付")]
	var data string
	for _, b := range q.Buttons() {
		if strings.Contains(b.Text, "确认") {
			data = b.Data
		}
	}
	other := a.customer(8007, "zh")
	a.srv.PressButton(other.user, q.SentMessage, data)
	time.Sleep(time.Second)
	if l := a.ledger("C1"); len(l) != 0 {
		t.Fatalf("a press by another user paid from the customer's account: %+v", l)
	}
	victim.press(quote, "确认还款", "提前还款成功") // the customer's own press still pays
	if l := a.ledger("C1"); len(l) != 1 {
		t.Errorf("ledger after the customer's own press: %+v", l)
	}
}
