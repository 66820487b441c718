package corehttp_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp"
	"supportbot/corehttp/coretest"
)

const secret = "whsec-test-secret"

// sink records the events it is given; fail makes it refuse them.
type sink struct {
	mu     sync.Mutex
	events []supportbot.CoreEvent
	fail   error
	got    chan struct{} // one tick per event accepted
}

func newSink() *sink { return &sink{got: make(chan struct{}, 100)} }

func (s *sink) CoreEvent(ctx context.Context, ev supportbot.CoreEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.events = append(s.events, ev)
	s.got <- struct{}{}
	return nil
}

func (s *sink) all() []supportbot.CoreEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]supportbot.CoreEvent(nil), s.events...)
}

// eventsEnv is an EventHandler behind an httptest server.
type eventsEnv struct {
	url  string
	sink *sink
	log  *syncBuffer
}

func newEventsEnv(t *testing.T, edit ...func(*corehttp.EventsConfig)) *eventsEnv {
	t.Helper()
	e := &eventsEnv{sink: newSink(), log: &syncBuffer{}}
	cfg := corehttp.EventsConfig{Secret: secret, Sink: e.sink, Logger: slog.New(slog.NewTextHandler(e.log, nil))}
	for _, f := range edit {
		f(&cfg)
	}
	h, err := corehttp.NewEventHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e.url = srv.URL + "/core/events"
	return e
}

func send(t *testing.T, url string, ev supportbot.CoreEvent, opts ...coretest.SendOption) int {
	t.Helper()
	status, err := coretest.SendEvent(t.Context(), url, secret, ev, opts...)
	if err != nil {
		t.Fatalf("SendEvent: %v", err)
	}
	return status
}

var evTime = time.Date(2026, 11, 21, 2, 30, 0, 0, time.UTC)

// Every event type arrives decoded into its field.
func TestEventsDecoded(t *testing.T) {
	e := newEventsEnv(t)
	m := newMemCore()
	rp := supportbot.Repayment{ID: "R1", Key: "pay-1", QuoteID: "Q1", CustomerID: "C1001", PlanID: "P1", CardID: "K1",
		Amount: 305000, Periods: []int{3, 4}, Status: supportbot.RepaymentSucceeded, CancelledScheduledIDs: []string{"S1"},
		CreatedAt: memNow, SettledAt: evTime}
	failed := rp
	failed.Status, failed.DeclineReason, failed.CancelledScheduledIDs = supportbot.RepaymentFailed, "partner_declined", nil
	sched := m.sched[0]
	sched.CustomerID = "" // not in the contract's Scheduled
	sched.Status = supportbot.ScheduledDone
	sched.NotCancellable = supportbot.NotCancellableDone
	closure := m.closures[0]
	cust := supportbot.Customer{ID: "C1001", Name: "张三", Phone: "13800138001", Language: supportbot.LangZH}
	events := []supportbot.CoreEvent{
		{ID: "evt_1", Type: supportbot.EventRepaymentSucceeded, CreatedAt: evTime, Repayment: &rp},
		{ID: "evt_2", Type: supportbot.EventRepaymentFailed, CreatedAt: evTime, Repayment: &failed},
		{ID: "evt_3", Type: supportbot.EventScheduledRepaymentSucceeded, CreatedAt: evTime, Scheduled: &sched},
		{ID: "evt_4", Type: supportbot.EventScheduledRepaymentFailed, CreatedAt: evTime, Scheduled: &sched},
		{ID: "evt_5", Type: supportbot.EventBillOverdue, CreatedAt: evTime, Bill: &supportbot.BillRef{CustomerID: "C1001", PlanID: "P1", Period: 3}},
		{ID: "evt_6", Type: supportbot.EventClosureRequestDecided, CreatedAt: evTime, Closure: &closure},
		{ID: "evt_7", Type: supportbot.EventCustomerUpdated, CreatedAt: evTime, Customer: &cust},
	}
	for _, ev := range events {
		if st := send(t, e.url, ev); st/100 != 2 {
			t.Errorf("%s: status %d, want 2xx", ev.Type, st)
		}
	}
	got := e.sink.all()
	if len(got) != len(events) {
		t.Fatalf("sink got %d events, want %d", len(got), len(events))
	}
	for i, ev := range events {
		same(t, string(ev.Type), deref(got[i]), deref(ev))
	}
}

func TestEventSignature(t *testing.T) {
	e := newEventsEnv(t)
	ev := supportbot.CoreEvent{ID: "evt_1", Type: supportbot.EventBillOverdue, CreatedAt: evTime,
		Bill: &supportbot.BillRef{CustomerID: "C1001", PlanID: "P1", Period: 3}}
	body, err := coretest.EncodeEvent(ev)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	good := coretest.Sign(secret, now, body)
	other := coretest.Sign("another-secret", now, body)
	_, goodV1, _ := strings.Cut(good, ",")
	_, otherV1, _ := strings.Cut(other, ",")
	ts := fmt.Sprintf("t=%d", now.Unix())
	for _, tc := range []struct {
		name string
		sig  string
		body []byte
		want int
	}{
		{"valid", good, body, 204},
		{"several v1, one valid", ts + "," + otherV1 + "," + goodV1, body, 204},
		{"a later scheme beside v1", ts + ",v2=abcd," + goodV1, body, 204},
		{"spaces after commas", ts + ", " + goodV1, body, 204},
		{"no header", "", body, 401},
		{"wrong secret", other, body, 401},
		{"body changed", good, append([]byte(" "), body...), 401},
		{"t changed", fmt.Sprintf("t=%d,", now.Unix()+1) + goodV1, body, 401},
		{"no t", goodV1, body, 401},
		{"no v1", ts, body, 401},
		{"two t", ts + "," + ts + "," + goodV1, body, 401},
		{"v1 not hex", ts + ",v1=zz", body, 401},
		// The contract's t is [0-9]+: the core signs the text it wrote.
		{"t with a leading zero, signed as written", signText("0"+ts[2:], body), body, 204},
		{"t with a leading zero, signed without it", "t=0" + ts[2:] + "," + goodV1, body, 401},
		{"t with a sign", "t=+" + ts[2:] + "," + goodV1, body, 401},
		{"t with a leading zero, 6 minutes old", signText(fmt.Sprintf("0%d", now.Unix()-360), body), body, 401},
		{"v1 truncated", ts + "," + goodV1[:40], body, 401},
		{"garbage", "garbage", body, 401},
	} {
		st, err := coretest.PostEvent(t.Context(), e.url, tc.sig, tc.body)
		if err != nil || st != tc.want {
			t.Errorf("%s: status %d (%v), want %d", tc.name, st, err, tc.want)
		}
	}
	if n := len(e.sink.all()); n != 5 {
		t.Errorf("the sink got %d events, want the 5 validly signed", n)
	}
}

// signText is the Core-Signature of body with t as the core wrote it.
func signText(t string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(t + "."))
	m.Write(body)
	return "t=" + t + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

func TestEventFreshness(t *testing.T) {
	now := time.Now()
	e := newEventsEnv(t, func(c *corehttp.EventsConfig) { c.Now = func() time.Time { return now } })
	ev := supportbot.CoreEvent{ID: "evt_1", Type: supportbot.EventCustomerUpdated, CreatedAt: evTime,
		Customer: &supportbot.Customer{ID: "C1", Name: "A", Phone: "+14155550100", Language: supportbot.LangEN}}
	for _, tc := range []struct {
		at   time.Time
		want int
	}{
		{now.Add(-4*time.Minute - 59*time.Second), 204},
		{now.Add(4*time.Minute + 59*time.Second), 204},
		{now.Add(-5*time.Minute - 2*time.Second), 401},
		{now.Add(5*time.Minute + 2*time.Second), 401},
		{now.Add(-72 * time.Hour), 401},
	} {
		if st := send(t, e.url, ev, coretest.SignedAt(tc.at)); st != tc.want {
			t.Errorf("signed %s from now: status %d, want %d", tc.at.Sub(now), st, tc.want)
		}
	}
	if got := e.sink.all(); len(got) != 2 || got[0].Customer.Phone != "+14155550100" {
		t.Errorf("sink got %+v, want the 2 fresh events, a foreign phone kept in E.164", got)
	}
}

func TestEventBodyBounded(t *testing.T) {
	e := newEventsEnv(t, func(c *corehttp.EventsConfig) { c.MaxBody = 1024 })
	big := []byte(`{"id":"evt_1","type":"bill.overdue","created_at":"2026-11-21T10:00:00+08:00","data":{"customer_id":"` +
		strings.Repeat("x", 2000) + `","plan_id":"P1","period":1}}`)
	st, err := coretest.PostEvent(t.Context(), e.url, coretest.Sign(secret, time.Now(), big), big)
	if err != nil || st != http.StatusRequestEntityTooLarge {
		t.Errorf("2 KiB event with a 1 KiB limit: status %d (%v), want 413", st, err)
	}
	if n := len(e.sink.all()); n != 0 {
		t.Errorf("the sink got %d events, want none", n)
	}
}

func TestEventMalformed(t *testing.T) {
	e := newEventsEnv(t)
	for name, body := range map[string]string{
		"not JSON":          `{"id":"evt_1",`,
		"no id":             `{"type":"bill.overdue","created_at":"2026-11-21T10:00:00+08:00","data":{"customer_id":"C1","plan_id":"P1","period":1}}`,
		"no data":           `{"id":"evt_1","type":"repayment.succeeded","created_at":"2026-11-21T10:00:00+08:00"}`,
		"data of bad money": `{"id":"evt_1","type":"repayment.failed","created_at":"2026-11-21T10:00:00+08:00","data":{"id":"R1","idempotency_key":"k","amount_fen":-5,"status":"failed","created_at":"2026-11-21T10:00:00+08:00"}}`,
		"bill without plan": `{"id":"evt_1","type":"bill.overdue","created_at":"2026-11-21T10:00:00+08:00","data":{"customer_id":"C1","period":1}}`,
		// What the contract marks required is refused missing.
		"no created_at":               `{"id":"evt_1","type":"bill.overdue","data":{"customer_id":"C1","plan_id":"P1","period":1}}`,
		"customer without phone":      `{"id":"evt_1","type":"customer.updated","created_at":"2026-11-21T10:00:00+08:00","data":{"id":"C1","name":"a","language":"zh","pending_refunds":0}}`,
		"customer without name":       `{"id":"evt_1","type":"customer.updated","created_at":"2026-11-21T10:00:00+08:00","data":{"id":"C1","phone":"+8613800138000","language":"zh","pending_refunds":0}}`,
		"closure without customer":    `{"id":"evt_1","type":"closure_request.decided","created_at":"2026-11-21T10:00:00+08:00","data":{"ref":"CR-20261121-0042","status":"completed","reason":null,"expected_from":"2026-11-24","expected_to":"2026-11-26","created_at":"2026-11-21T10:00:00+08:00","decided_at":null}}`,
		"closure without expected_to": `{"id":"evt_1","type":"closure_request.decided","created_at":"2026-11-21T10:00:00+08:00","data":{"ref":"CR-20261121-0042","customer_id":"C1","status":"completed","reason":null,"expected_from":"2026-11-24","created_at":"2026-11-21T10:00:00+08:00","decided_at":null}}`,
		// A status the contract has not, or "decided" and still submitted: nothing to tell.
		"closure of an unknown status": `{"id":"evt_1","type":"closure_request.decided","created_at":"2026-11-21T10:00:00+08:00","data":{"ref":"CR-20261121-0042","customer_id":"C1","status":"approved","reason":null,"expected_from":"2026-11-24","expected_to":"2026-11-26","created_at":"2026-11-21T10:00:00+08:00","decided_at":null}}`,
		"closure decided, submitted":   `{"id":"evt_1","type":"closure_request.decided","created_at":"2026-11-21T10:00:00+08:00","data":{"ref":"CR-20261121-0042","customer_id":"C1","status":"submitted","reason":null,"expected_from":"2026-11-24","expected_to":"2026-11-26","created_at":"2026-11-21T10:00:00+08:00","decided_at":null}}`,
		"scheduled of period 0":        `{"id":"evt_1","type":"scheduled_repayment.failed","created_at":"2026-11-21T10:00:00+08:00","data":{"id":"S1","plan_id":"P1","period":0,"amount_fen":1,"card_id":"K1","run_at":"2026-11-21T10:00:00+08:00","status":"failed","cancellable":false}}`,
		"scheduled without plan":       `{"id":"evt_1","type":"scheduled_repayment.failed","created_at":"2026-11-21T10:00:00+08:00","data":{"id":"S1","period":1,"amount_fen":1,"card_id":"K1","run_at":"2026-11-21T10:00:00+08:00","status":"failed","cancellable":false}}`,
		"repayment without customer":   `{"id":"evt_1","type":"repayment.failed","created_at":"2026-11-21T10:00:00+08:00","data":{"id":"R1","idempotency_key":"k","quote_id":"Q1","plan_id":"P1","card_id":"K1","amount_fen":5,"periods":[1],"status":"failed","decline_reason":null,"cancelled_scheduled_ids":[],"created_at":"2026-11-21T10:00:00+08:00","settled_at":null}}`,
	} {
		st, err := coretest.PostEvent(t.Context(), e.url, coretest.Sign(secret, time.Now(), []byte(body)), []byte(body))
		if err != nil || st != http.StatusBadRequest {
			t.Errorf("%s: status %d (%v), want 400", name, st, err)
		}
	}
	if n := len(e.sink.all()); n != 0 {
		t.Errorf("the sink got %d events, want none", n)
	}
}

func TestEventUnknownType(t *testing.T) {
	e := newEventsEnv(t)
	st := send(t, e.url, supportbot.CoreEvent{ID: "evt_9", Type: "plan.restructured", CreatedAt: evTime})
	if st/100 != 2 {
		t.Errorf("unknown type: status %d, want 2xx (the core would retry it for 3 days)", st)
	}
	if n := len(e.sink.all()); n != 0 {
		t.Errorf("the sink got %d events, want none", n)
	}
	if !strings.Contains(e.log.String(), "plan.restructured") {
		t.Errorf("no log line names the unknown type:\n%s", e.log.String())
	}
}

// A redelivery reaches the sink again (it deduplicates); a sink that cannot
// commit makes the answer a 5xx, so the core delivers again.
func TestEventRedeliveryAndSinkFailure(t *testing.T) {
	e := newEventsEnv(t)
	ev := supportbot.CoreEvent{ID: "evt_1", Type: supportbot.EventBillOverdue, CreatedAt: evTime,
		Bill: &supportbot.BillRef{CustomerID: "C1001", PlanID: "P1", Period: 3}}
	for i := range 2 {
		if st := send(t, e.url, ev); st/100 != 2 {
			t.Errorf("delivery %d: status %d, want 2xx", i+1, st)
		}
	}
	if got := e.sink.all(); len(got) != 2 || got[0].ID != got[1].ID {
		t.Errorf("sink got %d events, want the same event twice", len(got))
	}
	e.sink.mu.Lock()
	e.sink.fail = errors.New("database is locked")
	e.sink.mu.Unlock()
	if st := send(t, e.url, ev); st/100 != 5 {
		t.Errorf("sink failing: status %d, want 5xx", st)
	}
	if st, _ := coretest.PostEvent(t.Context(), e.url, "", nil); st != 401 {
		t.Errorf("an unsigned empty POST: status %d, want 401", st)
	}
	req, _ := http.NewRequest(http.MethodGet, e.url, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v %v, want 405", resp.StatusCode, err)
	}
}

func TestNewEventHandlerRefusesBadConfig(t *testing.T) {
	if _, err := corehttp.NewEventHandler(corehttp.EventsConfig{Sink: newSink()}); err == nil {
		t.Errorf("no secret: no error")
	}
	if _, err := corehttp.NewEventHandler(corehttp.EventsConfig{Secret: "s"}); err == nil {
		t.Errorf("no sink: no error")
	}
}

// A repayment answered processing settles later: the fake executes it, GET
// shows the outcome, and the signed event reaches the bot's handler.
func TestProcessingThenEvent(t *testing.T) {
	ev := newEventsEnv(t)
	e := newEnv(t)
	e.core.SetEvents(ev.url, secret)
	ctx := t.Context()
	q := e.quote(t, "q")

	e.core.Inject(coretest.OpCreateRepayment, 1, coretest.Processing())
	rp, err := e.client.Repay(ctx, "pay-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount})
	if err != nil {
		t.Fatalf("Repay: %v", err)
	}
	if rp.Status != supportbot.RepaymentProcessing || !rp.SettledAt.IsZero() || rp.PlanID != "P1" || rp.CustomerID != "C1001" {
		t.Errorf("repayment = %+v, want processing of C1001's P1, not settled", *rp)
	}
	if n := e.core.Executed(coretest.OpCreateRepayment, "pay-1"); n != 0 {
		t.Errorf("executed %d times before settling, want 0", n)
	}
	got, err := e.client.Repayment(ctx, "pay-1")
	if err != nil || got.Status != supportbot.RepaymentProcessing {
		t.Errorf("Repayment before settling = %v, %v; want processing", got, err)
	}
	same(t, "pending", e.core.Pending(), []string{"pay-1"})

	settled, err := e.core.Settle(ctx, "pay-1", supportbot.RepaymentSucceeded)
	if err != nil {
		t.Fatalf("Settle: %v", err)
	}
	got, err = e.client.Repayment(ctx, "pay-1")
	if err != nil || got.Status != supportbot.RepaymentSucceeded || got.SettledAt.IsZero() || got.ID != rp.ID {
		t.Errorf("Repayment after settling = %+v, %v; want %s succeeded and settled", got, err, rp.ID)
	}
	events := ev.sink.all()
	if len(events) != 1 || events[0].Type != supportbot.EventRepaymentSucceeded {
		t.Fatalf("events %+v, want one repayment.succeeded", events)
	}
	same(t, "the event's repayment", *events[0].Repayment, *settled)
	if events[0].Repayment.Key != "pay-1" {
		t.Errorf("event key = %q, want pay-1", events[0].Repayment.Key)
	}
	// A repeat of the POST replays its first answer; nothing runs again.
	again, err := e.client.Repay(ctx, "pay-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount})
	if err != nil || again.ID != rp.ID {
		t.Errorf("repeat = %v, %v; want the first answer", again, err)
	}
	if n := e.core.Executed(coretest.OpCreateRepayment, "pay-1"); n != 1 {
		t.Errorf("executed %d times, want 1", n)
	}
}

// The timer form, failing, with a bot that refuses the first delivery: the
// fake retries until the event is committed.
func TestProcessingSettlesByItselfAndRedelivers(t *testing.T) {
	ev := newEventsEnv(t)
	ev.sink.fail = errors.New("not yet")
	e := newEnv(t)
	e.core.SetEvents(ev.url, secret)
	q := e.quote(t, "q")
	e.core.Inject(coretest.OpCreateRepayment, 1, coretest.ProcessingThen(10*time.Millisecond, supportbot.RepaymentFailed))
	if _, err := e.client.Repay(t.Context(), "pay-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount}); err != nil {
		t.Fatalf("Repay: %v", err)
	}
	time.AfterFunc(50*time.Millisecond, func() {
		ev.sink.mu.Lock()
		ev.sink.fail = nil
		ev.sink.mu.Unlock()
	})
	select {
	case <-ev.sink.got:
	case <-time.After(5 * time.Second):
		t.Fatal("no event committed in 5 s")
	}
	got := ev.sink.all()[0]
	if got.Type != supportbot.EventRepaymentFailed || got.Repayment.Status != supportbot.RepaymentFailed {
		t.Errorf("event %s with status %s, want repayment.failed, failed", got.Type, got.Repayment.Status)
	}
	if n := e.core.Executed(coretest.OpCreateRepayment, "pay-1"); n != 0 {
		t.Errorf("a failed settlement executed %d times, want 0", n)
	}
	var d []coretest.Delivery
	for deadline := time.Now().Add(5 * time.Second); len(d) == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond) // the answer travels back to the fake
		d = e.core.Deliveries()
	}
	if len(d) != 1 || d[0].Attempts < 2 || d[0].Err != nil {
		t.Errorf("deliveries %+v, want one, delivered after at least 2 attempts", d)
	}
}

// deref is ev with its data field followed, for messages that show it.
func deref(ev supportbot.CoreEvent) []any {
	out := []any{ev.ID, ev.Type, ev.CreatedAt}
	switch {
	case ev.Repayment != nil:
		out = append(out, *ev.Repayment)
	case ev.Scheduled != nil:
		out = append(out, *ev.Scheduled)
	case ev.Bill != nil:
		out = append(out, *ev.Bill)
	case ev.Closure != nil:
		out = append(out, *ev.Closure)
	case ev.Customer != nil:
		out = append(out, *ev.Customer)
	}
	return out
}
