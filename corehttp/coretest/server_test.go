package coretest_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp/coretest"
)

// backend is a hand-written fake with function fields; a nil one answers
// 500 (it is not what the test is about).
type backend struct {
	autoRepay func(key, customerID, planID string, on bool) (*supportbot.Plan, error)
	closure   func(key, customerID string) (*supportbot.ClosureRequest, error)
}

var errUnused = errors.New("not used by this test")

func (b *backend) CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error) {
	return &supportbot.Customer{ID: "C1", Name: "A", Phone: phone, Language: supportbot.LangEN}, nil
}
func (b *backend) Customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	return &supportbot.Customer{ID: id, Name: "A", Phone: "+8613800138000"}, nil
}
func (b *backend) Plans(context.Context, string) ([]supportbot.Plan, error) { return nil, errUnused }
func (b *backend) Cards(context.Context, string) ([]supportbot.Card, error) { return nil, errUnused }
func (b *backend) Scheduled(context.Context, string) ([]supportbot.ScheduledRepayment, error) {
	return nil, errUnused
}
func (b *backend) ClosureRequests(context.Context, string) ([]supportbot.ClosureRequest, error) {
	return nil, errUnused
}
func (b *backend) Quote(context.Context, string, supportbot.QuoteRequest) (*supportbot.Quote, error) {
	return nil, errUnused
}
func (b *backend) Repay(context.Context, string, supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
	return nil, errUnused
}
func (b *backend) Repayment(context.Context, string) (*supportbot.Repayment, error) {
	return nil, &supportbot.CoreError{Code: supportbot.CoreRepaymentNotFound}
}
func (b *backend) CancelScheduled(context.Context, string, string, string) (*supportbot.ScheduledRepayment, error) {
	return nil, errUnused
}
func (b *backend) SetAutoRepay(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error) {
	return b.autoRepay(key, customerID, planID, on)
}
func (b *backend) SetDefaultCard(context.Context, string, string, string) ([]supportbot.Card, error) {
	return nil, errUnused
}
func (b *backend) CheckIdentity(ctx context.Context, key, customerID, last4 string) (bool, error) {
	return last4 == "082X", nil
}
func (b *backend) RequestClosure(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error) {
	return b.closure(key, customerID)
}

// autoRepayBackend counts executions per key and answers the plan.
func autoRepayBackend() *backend {
	var mu sync.Mutex
	n := 0
	return &backend{autoRepay: func(key, customerID, planID string, on bool) (*supportbot.Plan, error) {
		mu.Lock()
		defer mu.Unlock()
		n++
		return &supportbot.Plan{ID: planID, CustomerID: customerID, OrderNo: fmt.Sprintf("run-%d", n), AutoRepay: on}, nil
	}}
}

type reply struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, s *coretest.Server, method, path, body string, header ...string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+s.Token())
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func errCode(t *testing.T, r reply) string {
	t.Helper()
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.body), &e); err != nil || e.Error.Code == "" || e.Error.Message == "" {
		t.Errorf("body %q is not the contract's error body", r.body)
	}
	return e.Error.Code
}

func wantStatus(t *testing.T, what string, r reply, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d (%s), want %d", what, r.status, r.body, status)
	}
	if code != "" {
		if got := errCode(t, r); got != code {
			t.Errorf("%s: code %q, want %q", what, got, code)
		}
	}
}

const autoRepayPath = "/plans/P1/auto-repay"

func TestAuthAndRouting(t *testing.T) {
	s := coretest.Start(t, &backend{})
	wantStatus(t, "no token", do(t, s, "GET", "/customers/C1", "", "Authorization", ""), 401, "unauthorized")
	wantStatus(t, "wrong token", do(t, s, "GET", "/customers/C1", "", "Authorization", "Bearer nope"), 401, "unauthorized")
	wantStatus(t, "basic auth", do(t, s, "GET", "/customers/C1", "", "Authorization", "Basic "+s.Token()), 401, "unauthorized")
	wantStatus(t, "unknown path", do(t, s, "GET", "/bills", ""), 404, "not_found")
	wantStatus(t, "wrong method", do(t, s, "DELETE", "/customers/C1", ""), 405, "invalid_request")
	if r := do(t, s, "GET", "/customers/C%2F1", ""); r.status != 200 || !strings.Contains(r.body, `"id":"C/1"`) {
		t.Errorf("an escaped / in an id: %d %s, want customer C/1", r.status, r.body)
	}
	if r := do(t, s, "GET", "/customers/lookup?phone=%2B8613800138000", ""); r.status != 200 || !strings.Contains(r.body, `"phone":"+8613800138000"`) {
		t.Errorf("lookup: %d %s, want the customer with the E.164 phone", r.status, r.body)
	}
	wantStatus(t, "lookup with a raw +", do(t, s, "GET", "/customers/lookup?phone=+8613800138000", ""), 400, "invalid_request")
	if r := do(t, s, "GET", "/customers/C1", ""); !strings.Contains(r.body, `"phone":"+8613800138000"`) || !strings.Contains(r.body, `"language":"zh"`) {
		t.Errorf("a customer with no language: %s, want +86 E.164 and zh", r.body)
	}
	if got := s.Unauthorized(); got != 3 {
		t.Errorf("Unauthorized() = %d, want 3", got)
	}
	if got := s.Requests(coretest.OpGetCustomer); got != 5 {
		t.Errorf("Requests(getCustomer) = %d, want 5 (refused ones included)", got)
	}
}

func TestIdempotencyKeys(t *testing.T) {
	s := coretest.Start(t, autoRepayBackend())
	body := `{"customer_id":"C1","enabled":true}`

	wantStatus(t, "no key", do(t, s, "PUT", autoRepayPath, body), 400, "idempotency_key_missing")
	wantStatus(t, "empty quoted key", do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", `""`), 400, "idempotency_key_invalid")
	wantStatus(t, "bad escape", do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", `"a\b"`), 400, "idempotency_key_invalid")
	wantStatus(t, "256 characters", do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", strings.Repeat("k", 256)), 400, "idempotency_key_invalid")

	first := do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", "k1")
	if first.status != 200 || !strings.Contains(first.body, `"order_no":"run-1"`) {
		t.Fatalf("first: %d %s", first.status, first.body)
	}
	for name, r := range map[string]reply{
		"same request":            do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", "k1"),
		"other spacing and order": do(t, s, "PUT", autoRepayPath, "{ \"enabled\": true,\n \"customer_id\": \"C1\" }", "Idempotency-Key", "k1"),
		"the key in quotes":       do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", `"k1"`),
	} {
		if r.status != first.status || r.body != first.body {
			t.Errorf("%s: %d %s, want the first answer replayed", name, r.status, r.body)
		}
	}
	wantStatus(t, "another body", do(t, s, "PUT", autoRepayPath, `{"customer_id":"C1","enabled":false}`, "Idempotency-Key", "k1"), 422, "idempotency_key_reused")
	wantStatus(t, "another path", do(t, s, "PUT", "/plans/P2/auto-repay", body, "Idempotency-Key", "k1"), 422, "idempotency_key_reused")
	wantStatus(t, "another method", do(t, s, "POST", "/closure-requests", `{"customer_id":"C1"}`, "Idempotency-Key", "k1"), 422, "idempotency_key_reused")
	if n := s.Executed(coretest.OpSetAutoRepay, "k1"); n != 1 {
		t.Errorf("executed %d times under k1, want 1", n)
	}
	// A quoted key with escapes is its content.
	q := do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", `"a\"b\\c"`)
	r := do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", `a"b\c`)
	if q.status != 200 || r.body != q.body {
		t.Errorf("quoted key with escapes: %s then %s, want the same answer", q.body, r.body)
	}
	// Identity checks may go without a key; they change nothing.
	if r := do(t, s, "POST", "/customers/C1/identity-checks", `{"id_card_last4":"082X"}`); r.status != 200 || r.body != `{"match":true}` {
		t.Errorf("identity check without a key: %d %s", r.status, r.body)
	}
	wantStatus(t, "an unknown field", do(t, s, "PUT", autoRepayPath, `{"customer_id":"C1","enabled":true,"x":1}`, "Idempotency-Key", "k9"), 400, "invalid_request")
	wantStatus(t, "a missing field", do(t, s, "PUT", autoRepayPath, `{"customer_id":"C1"}`, "Idempotency-Key", "k10"), 400, "invalid_request")
}

// A final refusal is kept for its key; a 5xx is not, and the repeat runs.
func TestWhatIsKept(t *testing.T) {
	var mu sync.Mutex
	answers := []error{&supportbot.CoreError{Code: supportbot.CoreNotEligible, Reasons: []supportbot.NotEligibleReason{"unpaid"}},
		nil, supportbot.ErrCoreUnavailable, nil}
	calls := 0
	s := coretest.Start(t, &backend{closure: func(key, customerID string) (*supportbot.ClosureRequest, error) {
		mu.Lock()
		defer mu.Unlock()
		err := answers[calls]
		calls++
		if err != nil {
			return nil, err
		}
		return &supportbot.ClosureRequest{Reference: fmt.Sprintf("CR-20261121-%04d", calls), CustomerID: customerID,
			Status: supportbot.ClosureSubmitted, CreatedAt: time.Now()}, nil
	}})
	body := `{"customer_id":"C1"}`
	refused := do(t, s, "POST", "/closure-requests", body, "Idempotency-Key", "a")
	wantStatus(t, "refused", refused, 409, "not_eligible")
	if !strings.Contains(refused.body, `"reasons":["unpaid"]`) {
		t.Errorf("not_eligible body %s, want reasons", refused.body)
	}
	if again := do(t, s, "POST", "/closure-requests", body, "Idempotency-Key", "a"); again.body != refused.body {
		t.Errorf("a refused key repeated: %s, want the refusal replayed", again.body)
	}
	if r := do(t, s, "POST", "/closure-requests", body, "Idempotency-Key", "b"); r.status != 201 || !strings.Contains(r.body, `"decided_at":null`) || !strings.Contains(r.body, `"reason":null`) {
		t.Errorf("created: %d %s, want 201 with null reason and decided_at", r.status, r.body)
	}
	wantStatus(t, "backend unavailable", do(t, s, "POST", "/closure-requests", body, "Idempotency-Key", "c"), 503, "unavailable")
	if r := do(t, s, "POST", "/closure-requests", body, "Idempotency-Key", "c"); r.status != 201 {
		t.Errorf("repeat after a 503: %d %s, want it executed (201)", r.status, r.body)
	}
	mu.Lock()
	if calls != 4 {
		t.Errorf("backend called %d times, want 4", calls)
	}
	mu.Unlock()
	if d := s.Doubled(); len(d) > 0 {
		t.Errorf("Doubled() = %v, want none", d)
	}
}

func TestFaults(t *testing.T) {
	s := coretest.Start(t, autoRepayBackend())
	body := `{"customer_id":"C1","enabled":true}`
	s.Inject(coretest.OpSetAutoRepay, 1, coretest.RateLimited(7))
	s.Inject(coretest.OpSetAutoRepay, 1, coretest.BadGateway())
	s.Inject(coretest.OpGetCustomer, 1, coretest.Unavailable(0))

	r := do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", "k")
	wantStatus(t, "429", r, 429, "rate_limited")
	if got := r.header.Get("Retry-After"); got != "7" {
		t.Errorf("Retry-After = %q, want 7", got)
	}
	r = do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", "k")
	if r.status != 502 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(r.body, "<html>") {
		t.Errorf("502: %d %s %q, want an HTML page", r.status, r.header.Get("Content-Type"), r.body)
	}
	if r = do(t, s, "PUT", autoRepayPath, body, "Idempotency-Key", "k"); r.status != 200 {
		t.Errorf("after the faults: %d, want 200", r.status)
	}
	if n := s.Executed(coretest.OpSetAutoRepay, "k"); n != 1 {
		t.Errorf("executed %d times, want 1 (faults in front of the core execute nothing)", n)
	}
	r = do(t, s, "GET", "/customers/C1", "")
	wantStatus(t, "503 on another op", r, 503, "unavailable")
	if r.header.Get("Retry-After") != "" {
		t.Errorf("Retry-After %q on a 503 without one", r.header.Get("Retry-After"))
	}
	var faulted int
	for _, c := range s.Calls() {
		if c.Fault {
			faulted++
		}
	}
	if faulted != 3 {
		t.Errorf("%d calls marked faulted, want 3", faulted)
	}
	if keys := s.Keys(coretest.OpSetAutoRepay); len(keys) != 3 {
		t.Errorf("Keys = %q, want k three times", keys)
	}
}

// Events are signed exactly as the contract says, independently computed.
func TestSignature(t *testing.T) {
	at := time.Unix(1763692800, 0)
	body := []byte(`{"id":"evt_1"}`)
	m := hmac.New(sha256.New, []byte("s3"))
	m.Write([]byte("1763692800." + string(body)))
	want := "t=1763692800,v1=" + hex.EncodeToString(m.Sum(nil))
	if got := coretest.Sign("s3", at, body); got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
	b, err := coretest.EncodeEvent(supportbot.CoreEvent{ID: "evt_2", Type: supportbot.EventBillOverdue, CreatedAt: at.UTC(),
		Bill: &supportbot.BillRef{CustomerID: "C1", PlanID: "P1", Period: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(b); got != `{"id":"evt_2","type":"bill.overdue","created_at":"2025-11-21T02:40:00Z","data":{"customer_id":"C1","period":2,"plan_id":"P1"}}` {
		t.Errorf("EncodeEvent = %s", got)
	}
}
