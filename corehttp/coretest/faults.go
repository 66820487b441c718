package coretest

import (
	"fmt"
	"net/http"
	"time"

	"supportbot"
)

// Fault is an injected failure of one call. Without Executed it stands in
// front of the core (a proxy's error, a dropped connection): nothing is
// executed and the key is not used up. With Executed the backend carries the
// request out — its answer kept for the key as usual — and only the answer the
// client gets is replaced.
type Fault struct {
	Status     int    // answer this status: 5xx or 429, with the contract's JSON error body
	HTML       bool   // the body of Status is an HTML page, as a proxy sends
	RetryAfter int    // seconds in Retry-After, with 429 or 503 (0: no header)
	Code       string // the JSON error body's code (default: by Status)
	Message    string // the JSON error body's message (default: the status text)
	// Delay waits before anything else: a slow answer. Without Executed the wait
	// ends when the client gives up, and then nothing is executed; with it the
	// core takes that long to carry the request out, client or not (a repeat
	// meanwhile waits for it).
	Delay    time.Duration
	Hang     bool // no answer until the client gives up
	Reset    bool // close the connection without an answer
	Executed bool // execute first; Status, Hang or Reset replace only the answer

	// Processing (createRepayment only) answers 201 with status processing
	// without executing; Settle (or SettleAfter) executes it later and posts
	// the repayment.* event.
	Processing  bool
	SettleAfter time.Duration              // settle by itself after this long; 0 waits for Settle
	Outcome     supportbot.RepaymentStatus // of SettleAfter: succeeded (the default) or failed
}

// ServerError is a JSON 500 internal_error.
func ServerError() Fault { return Fault{Status: http.StatusInternalServerError} }

// Unavailable is a JSON 503 with Retry-After (0: none).
func Unavailable(retryAfter int) Fault {
	return Fault{Status: http.StatusServiceUnavailable, RetryAfter: retryAfter}
}

// BadGateway is a 502 with an HTML page, as a proxy in front of the core sends.
func BadGateway() Fault { return Fault{Status: http.StatusBadGateway, HTML: true} }

// RateLimited is a 429 rate_limited with Retry-After seconds.
func RateLimited(retryAfter int) Fault {
	return Fault{Status: http.StatusTooManyRequests, RetryAfter: retryAfter}
}

// Hang never answers; the client has to give up.
func Hang() Fault { return Fault{Hang: true} }

// Slow answers normally after d, unless the client gives up first (then
// nothing is executed).
func Slow(d time.Duration) Fault { return Fault{Delay: d} }

// SlowExecuted takes d to execute, and executes whether or not the client
// waits; a repeat with the key meanwhile waits for the first.
func SlowExecuted(d time.Duration) Fault { return Fault{Delay: d, Executed: true} }

// Reset closes the connection without an answer; nothing is executed.
func Reset() Fault { return Fault{Reset: true} }

// ExecutedButFailed executes the request and answers 500: a retry with the
// same key must get the original answer, not a second execution.
func ExecutedButFailed() Fault {
	return Fault{Status: http.StatusInternalServerError, Executed: true}
}

// Processing answers createRepayment 201 processing; the test settles it
// with Settle.
func Processing() Fault { return Fault{Processing: true} }

// ProcessingThen answers createRepayment 201 processing and settles it by
// itself after d with outcome (succeeded executes it; failed does not).
func ProcessingThen(d time.Duration, outcome supportbot.RepaymentStatus) Fault {
	return Fault{Processing: true, SettleAfter: d, Outcome: outcome}
}

func (f Fault) String() string {
	switch {
	case f.Processing:
		return "processing"
	case f.Hang:
		return "hang"
	case f.Reset:
		return "reset"
	case f.Status != 0:
		return fmt.Sprintf("status %d", f.Status)
	}
	return fmt.Sprintf("delay %s", f.Delay)
}

// answer is what a fault with a Status answers.
func (f Fault) answer() answer {
	if f.HTML {
		return answer{status: f.Status, html: true, retryAfter: f.retryAfter(),
			body: fmt.Appendf(nil, "<html><head><title>%d %s</title></head><body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>\n",
				f.Status, http.StatusText(f.Status), f.Status, http.StatusText(f.Status))}
	}
	code := "internal_error"
	switch f.Status {
	case http.StatusTooManyRequests:
		code = "rate_limited"
	case http.StatusServiceUnavailable, http.StatusBadGateway, http.StatusGatewayTimeout:
		code = "unavailable"
	}
	if f.Code != "" {
		code = f.Code
	}
	msg := f.Message
	if msg == "" {
		msg = http.StatusText(f.Status)
	}
	a := errAnswer(f.Status, code, msg)
	a.retryAfter = f.retryAfter()
	return a
}

func (f Fault) retryAfter() int {
	if f.RetryAfter > 0 {
		return f.RetryAfter
	}
	return -1
}

type faultRule struct {
	op string
	n  int
	f  Fault
}

// Inject makes the next n calls of op ("" = any operation) meet f; n < 0
// means every call until ClearFaults. Rules apply in the order injected, one
// per call. A Processing fault only applies to createRepayment.
func (s *Server) Inject(op string, n int, f Fault) {
	if n == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{op: op, n: n, f: f})
}

// ClearFaults removes every injected fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(op string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.faults {
		if (r.op != "" && r.op != op) || (r.f.Processing && op != OpCreateRepayment) {
			continue
		}
		if r.n > 0 {
			if r.n--; r.n == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return r.f, true
	}
	return Fault{}, false
}
