package corehttp_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp"
	"supportbot/corehttp/coretest"
)

// Every fault that leaves the outcome unknown is retried with the same key
// and body until the core answers, and the repayment is executed once.
func TestRetriesWithTheSameKeyAndBody(t *testing.T) {
	for name, f := range map[string]coretest.Fault{
		"500 JSON":                      coretest.ServerError(),
		"502 HTML":                      coretest.BadGateway(),
		"503":                           coretest.Unavailable(0),
		"429":                           coretest.RateLimited(1),
		"reset":                         coretest.Reset(),
		"hang":                          coretest.Hang(),
		"slow beyond the attempt":       coretest.Slow(time.Second),
		"executed, answered 500":        coretest.ExecutedButFailed(),
		"executed, then reset":          {Executed: true, Reset: true},
		"executed, then hang":           {Executed: true, Hang: true},
		"executed slowly, client gone":  coretest.SlowExecuted(500 * time.Millisecond),
		"executed, 503 with RetryAfter": {Executed: true, Status: 503, RetryAfter: 1},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // most of them wait for timeouts
			e := newEnv(t)
			q := e.quote(t, "q")
			e.core.Inject(coretest.OpCreateRepayment, 2, f)
			rp, err := e.client.Repay(t.Context(), "pay-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount})
			if err != nil {
				t.Fatalf("Repay: %v", err)
			}
			if rp.Status != supportbot.RepaymentSucceeded || rp.Key != "pay-1" {
				t.Errorf("repayment = %s key %q, want succeeded with key pay-1", rp.Status, rp.Key)
			}
			var bodies [][]byte
			for _, c := range e.core.Calls() {
				if c.Op == coretest.OpCreateRepayment {
					if c.Key != "pay-1" {
						t.Errorf("a try was sent with key %q, want pay-1", c.Key)
					}
					bodies = append(bodies, c.Body)
				}
			}
			// A slow execution's repeat waits for it and gets its answer: 2 tries.
			if want := 3 - min(1, int(f.Delay)); len(bodies) < want {
				t.Errorf("%d tries reached the core, want at least %d", len(bodies), want)
			}
			for _, b := range bodies[1:] {
				if !bytes.Equal(b, bodies[0]) {
					t.Errorf("a retry's body %s differs from the first %s", b, bodies[0])
				}
			}
			if n := e.core.Executed(coretest.OpCreateRepayment, "pay-1"); n != 1 {
				t.Errorf("repayment executed %d times, want exactly 1", n)
			}
		})
	}
}

// "Executed but answered 500" for every action: the retry gets the first
// execution's answer. A second execution would show in the ledger, and for
// some actions in the answer (a second closure request is already_open).
func TestExecutedButFailedNeverExecutesTwice(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	for _, op := range []string{coretest.OpCreateQuote, coretest.OpCreateRepayment, coretest.OpCancelScheduled,
		coretest.OpSetAutoRepay, coretest.OpSetDefaultCard, coretest.OpCheckIdentity, coretest.OpCreateClosureRequest} {
		e.core.Inject(op, 1, coretest.ExecutedButFailed())
	}
	q := e.quote(t, "q-1")
	if _, err := e.client.Repay(ctx, "pay-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount}); err != nil {
		t.Errorf("Repay: %v", err)
	}
	if _, err := e.client.CancelScheduled(ctx, "cancel-1", "C1002", "S3"); supportbot.CoreErrorOf(err) == nil {
		t.Errorf("CancelScheduled of a processing one: %v, want the refusal replayed", err)
	}
	if _, err := e.client.SetAutoRepay(ctx, "auto-1", "C1001", "P1", true); err != nil {
		t.Errorf("SetAutoRepay: %v", err)
	}
	if _, err := e.client.SetDefaultCard(ctx, "card-1", "C1001", "K3"); err != nil {
		t.Errorf("SetDefaultCard: %v", err)
	}
	if ok, err := e.client.CheckIdentity(ctx, "id-1", "C1001", "082X"); !ok || err != nil {
		t.Errorf("CheckIdentity = %v, %v; want true", ok, err)
	}
	if _, err := e.client.RequestClosure(ctx, "close-1", "C1003"); err != nil {
		t.Errorf("RequestClosure: %v (already_open would mean it was executed twice)", err)
	}
	for _, ex := range [][2]string{
		{coretest.OpCreateQuote, "q-1"}, {coretest.OpCreateRepayment, "pay-1"}, {coretest.OpSetAutoRepay, "auto-1"},
		{coretest.OpSetDefaultCard, "card-1"}, {coretest.OpCheckIdentity, "id-1"}, {coretest.OpCreateClosureRequest, "close-1"},
	} {
		if n := e.core.Executed(ex[0], ex[1]); n != 1 {
			t.Errorf("%s %s executed %d times, want 1", ex[0], ex[1], n)
		}
		if n := e.core.Requests(ex[0]); n != 2 {
			t.Errorf("%s: %d requests, want 2 (the 500, then the kept answer)", ex[0], n)
		}
	}
	if d := e.core.Doubled(); len(d) > 0 {
		t.Errorf("executed twice: %v", d)
	}
}

// A repeat that arrives while the first request still runs waits for it and
// gets its answer.
func TestConcurrentRepeatWaitsForTheFirst(t *testing.T) {
	e := newEnv(t)
	q := e.quote(t, "q")
	e.core.Inject(coretest.OpCreateRepayment, 1, coretest.SlowExecuted(150*time.Millisecond))
	var wg sync.WaitGroup
	ids := make([]string, 3)
	for i := range ids {
		wg.Go(func() {
			rp, err := e.client.Repay(t.Context(), "pay-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount})
			if err != nil {
				t.Errorf("Repay %d: %v", i, err)
				return
			}
			ids[i] = rp.ID
		})
	}
	wg.Wait()
	if ids[0] == "" || ids[0] != ids[1] || ids[1] != ids[2] {
		t.Errorf("repayment ids %q, want one repayment for all three", ids)
	}
	if n := e.core.Executed(coretest.OpCreateRepayment, "pay-1"); n != 1 {
		t.Errorf("executed %d times, want 1", n)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	for _, tc := range []struct {
		f    coretest.Fault
		want time.Duration
	}{
		{coretest.RateLimited(2), 2 * time.Second},
		{coretest.Unavailable(3), 3 * time.Second},
	} {
		e := newEnv(t)
		e.core.Inject(coretest.OpGetCustomer, 1, tc.f)
		if _, err := e.client.Customer(t.Context(), "C1001"); err != nil {
			t.Fatalf("Customer after %v: %v", tc.f, err)
		}
		same(t, "waits after "+tc.f.String(), e.sleeps.got(), []time.Duration{tc.want})
	}
}

// A Retry-After longer than the call has left ends the call at once: retrying
// sooner would go against it, and waiting could not help.
func TestRetryAfterBeyondTheDeadline(t *testing.T) {
	e := newEnv(t, func(c *corehttp.Config) { c.Reads.Deadline = 5 * time.Second })
	e.core.Inject(coretest.OpGetCustomer, 1, coretest.RateLimited(60))
	_, err := e.client.Customer(t.Context(), "C1001")
	wantUnavailable(t, err)
	if !strings.Contains(err.Error(), "429") || !strings.Contains(err.Error(), "Retry-After 60") {
		t.Errorf("err = %v, want the 429 and its Retry-After in the message", err)
	}
	if got := e.sleeps.got(); len(got) != 0 {
		t.Errorf("waited %v, want no wait", got)
	}
	if n := e.core.Requests(coretest.OpGetCustomer); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	// Whoever sends it again later learns how long the core asked to wait.
	if got := supportbot.RetryAfterOf(err); got != time.Minute {
		t.Errorf("RetryAfterOf(err) = %s, want 1m0s", got)
	}
	e.core.Inject(coretest.OpGetCustomer, -1, coretest.ServerError())
	_, err = e.client.Customer(t.Context(), "C1001")
	if got := supportbot.RetryAfterOf(err); got != 0 {
		t.Errorf("RetryAfterOf(err) = %s after 500s without Retry-After, want 0", got)
	}
}

func TestGivesUpAfterTheAttempts(t *testing.T) {
	e := newEnv(t, func(c *corehttp.Config) {
		c.Reads = corehttp.Policy{Attempts: 4, MinBackoff: 100 * time.Millisecond, MaxBackoff: 300 * time.Millisecond}
	})
	e.core.Inject(coretest.OpListPlans, -1, coretest.ServerError())
	_, err := e.client.Plans(t.Context(), "C1001")
	wantUnavailable(t, err)
	if !strings.Contains(err.Error(), "HTTP 500 internal_error") || !strings.Contains(err.Error(), "4 attempts") {
		t.Errorf("err = %v, want the cause (HTTP 500 internal_error) and 4 attempts in it", err)
	}
	waits := e.sleeps.got()
	if len(waits) != 3 {
		t.Fatalf("waits %v, want 3 (between 4 attempts)", waits)
	}
	for i, w := range waits {
		lo, hi := []time.Duration{50, 100, 150}[i]*time.Millisecond, []time.Duration{100, 200, 300}[i]*time.Millisecond
		if w < lo || w > hi {
			t.Errorf("wait %d = %s, want within %s..%s (jittered, doubling, capped)", i+1, w, lo, hi)
		}
	}
}

func TestHangEndsAtTheDeadline(t *testing.T) {
	e := newEnv(t, func(c *corehttp.Config) {
		c.Reads = corehttp.Policy{AttemptTimeout: 100 * time.Millisecond, Attempts: 1000, Deadline: 400 * time.Millisecond}
		c.Sleep = nil // real waits: the deadline must end them too
	})
	e.core.Inject(coretest.OpListCards, -1, coretest.Hang())
	_, err := e.client.Cards(t.Context(), "C1001")
	wantUnavailable(t, err)
	if !strings.Contains(err.Error(), "deadline") {
		t.Errorf("err = %v, want it to say the deadline ended it", err)
	}
}

func TestCallerCancelled(t *testing.T) {
	e := newEnv(t)
	e.core.Inject(coretest.OpListCards, -1, coretest.Hang())
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := e.client.Cards(ctx, "C1001")
	wantUnavailable(t, err)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled in its chain", err)
	}
}

// A 503 from the backend itself (not an injected fault) is not kept for the
// key: the retry is executed.
func TestBackendUnavailableIsRetried(t *testing.T) {
	e := newEnv(t)
	e.mem.failOnce("CancelScheduled", supportbot.ErrCoreUnavailable)
	s, err := e.client.CancelScheduled(t.Context(), "cancel-1", "C1001", "S1")
	if err != nil {
		t.Fatalf("CancelScheduled: %v", err)
	}
	if s.Status != supportbot.ScheduledCancelled {
		t.Errorf("status %s, want cancelled", s.Status)
	}
	if n := e.core.Requests(coretest.OpCancelScheduled); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
