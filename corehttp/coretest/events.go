package coretest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"supportbot"
)

// processingRepay is a repayment answered processing: its state as GET
// /repayments/{key} shows it.
type processingRepay struct {
	req      supportbot.RepaymentRequest
	rp       supportbot.Repayment
	settling bool
}

// startProcessing keeps a processing repayment for key and returns what the
// client is answered. What the quote pays comes from the quotes the server
// served.
func (s *Server) startProcessing(key string, r supportbot.RepaymentRequest, f Fault) jRepayment {
	s.mu.Lock()
	s.seq++
	q := s.quotes[r.QuoteID]
	rp := supportbot.Repayment{ID: fmt.Sprintf("RP-P%04d", s.seq), Key: key, QuoteID: r.QuoteID,
		CustomerID: q.CustomerID, PlanID: q.PlanID, CardID: r.CardID, Amount: r.Amount,
		Periods: slices.Clone(q.Periods), Status: supportbot.RepaymentProcessing, CreatedAt: s.now()}
	s.repayments[key] = &processingRepay{req: r, rp: rp}
	s.mu.Unlock()
	if f.SettleAfter > 0 {
		s.bg.Go(func() {
			if !s.sleep(context.Background(), f.SettleAfter) {
				return
			}
			outcome := f.Outcome
			if outcome == "" {
				outcome = supportbot.RepaymentSucceeded
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go func() {
				select {
				case <-s.done:
					cancel()
				case <-ctx.Done():
				}
			}()
			s.Settle(ctx, key, outcome)
		})
	}
	return repaymentJSON(&rp)
}

// Pending lists the keys of repayments answered processing and not settled.
func (s *Server) Pending() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k, p := range s.repayments {
		if p.rp.Status == supportbot.RepaymentProcessing && !p.settling {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// Settle ends the processing repayment of key as the partner would. With
// outcome succeeded the backend executes it (its answer decides: it may
// decline or refuse); with failed or declined nothing is executed. GET
// /repayments/{key} shows the final state from then on, and the server posts
// repayment.succeeded or repayment.failed to its events URL (if set),
// retrying until a 2xx or ctx ends. The error is the delivery's.
func (s *Server) Settle(ctx context.Context, key string, outcome supportbot.RepaymentStatus) (*supportbot.Repayment, error) {
	s.mu.Lock()
	p := s.repayments[key]
	if p == nil || p.settling || p.rp.Status != supportbot.RepaymentProcessing {
		s.mu.Unlock()
		return nil, fmt.Errorf("coretest: no processing repayment with key %q", key)
	}
	p.settling = true
	final := p.rp
	req := p.req
	s.mu.Unlock()

	switch outcome {
	case supportbot.RepaymentSucceeded:
		rp, err := s.backend.Repay(ctx, key, req)
		s.record(OpCreateRepayment, key, err)
		if err != nil {
			final.Status = supportbot.RepaymentFailed
			final.DeclineReason = "refused"
			if ce := supportbot.CoreErrorOf(err); ce != nil {
				final.DeclineReason = string(ce.Code)
			}
		} else {
			final.Status, final.DeclineReason = rp.Status, rp.DeclineReason
			final.CancelledScheduledIDs = rp.CancelledScheduledIDs
			if len(rp.Periods) > 0 {
				final.Periods = rp.Periods
			}
			if final.CustomerID == "" {
				final.CustomerID, final.PlanID = rp.CustomerID, rp.PlanID
			}
		}
	case supportbot.RepaymentFailed, supportbot.RepaymentDeclined:
		final.Status, final.DeclineReason = outcome, "partner_declined"
	default:
		s.mu.Lock()
		p.settling = false
		s.mu.Unlock()
		return nil, fmt.Errorf("coretest: cannot settle with %q", outcome)
	}
	final.SettledAt = s.now()
	s.mu.Lock()
	p.rp = final
	s.seq++
	ev := supportbot.CoreEvent{ID: fmt.Sprintf("evt_%06d", s.seq), Type: supportbot.EventRepaymentFailed,
		CreatedAt: s.now(), Repayment: &final}
	if final.Status == supportbot.RepaymentSucceeded {
		ev.Type = supportbot.EventRepaymentSucceeded
	}
	s.mu.Unlock()
	out := final
	return &out, s.Deliver(ctx, ev)
}

// Delivery is one event the server posted, retries included.
type Delivery struct {
	Event    supportbot.CoreEvent
	Attempts int
	Status   int   // the last answer's status; 0 when none came
	Err      error // nil once answered 2xx
}

// Deliver posts ev to the server's events URL, signed with its secret,
// retrying (briefly, with backoff) until a 2xx, 20 attempts or ctx ends. It
// does nothing without an events URL.
func (s *Server) Deliver(ctx context.Context, ev supportbot.CoreEvent) error {
	s.mu.Lock()
	url, secret := s.eventsURL, s.secret
	s.mu.Unlock()
	if url == "" {
		return nil
	}
	d := Delivery{Event: ev}
	wait := 10 * time.Millisecond
	for d.Attempts < 20 {
		d.Attempts++
		d.Status, d.Err = SendEvent(ctx, url, secret, ev, SignedAt(s.now()))
		if d.Err == nil && (d.Status < 200 || d.Status > 299) {
			d.Err = fmt.Errorf("coretest: event %s answered %d", ev.ID, d.Status)
		}
		if d.Err == nil || !s.sleep(ctx, wait) {
			break
		}
		wait = min(2*wait, 500*time.Millisecond)
	}
	s.mu.Lock()
	s.deliveries = append(s.deliveries, d)
	s.mu.Unlock()
	return d.Err
}

// Deliveries lists the events the server posted.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.deliveries)
}

// SendOption changes how SendEvent signs.
type SendOption func(*sendOptions)

type sendOptions struct{ at time.Time }

// SignedAt signs with t as the signature's time (default now): a stale or
// future t for freshness tests.
func SignedAt(t time.Time) SendOption { return func(o *sendOptions) { o.at = t } }

// SendEvent posts ev to url as the core does: one JSON event, with
// Core-Signature over its raw body. It returns the answer's status.
func SendEvent(ctx context.Context, url, secret string, ev supportbot.CoreEvent, opts ...SendOption) (int, error) {
	o := sendOptions{at: time.Now()}
	for _, f := range opts {
		f(&o)
	}
	body, err := EncodeEvent(ev)
	if err != nil {
		return 0, err
	}
	return PostEvent(ctx, url, Sign(secret, o.at, body), body)
}

// PostEvent posts body to url with sig as Core-Signature: for events a test
// builds byte by byte.
func PostEvent(ctx context.Context, url, sig string, body []byte) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("Core-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// Sign is the Core-Signature of body at t: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, "<t>.<body>")>.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// EncodeEvent is ev as the core posts it: {"id", "type", "created_at",
// "data"}, data according to the type ({} for a type without one here).
func EncodeEvent(ev supportbot.CoreEvent) ([]byte, error) {
	var data any = struct{}{}
	switch {
	case ev.Repayment != nil:
		data = repaymentJSON(ev.Repayment)
	case ev.Scheduled != nil:
		// The contract's Scheduled names no customer, but an event must say
		// whose debit it was (the bot routes events by customer): the
		// sensible reading, which corehttp takes, is that events carry it.
		data = struct {
			jScheduled
			CustomerID string `json:"customer_id,omitempty"`
		}{scheduledJSON(ev.Scheduled), ev.Scheduled.CustomerID}
	case ev.Bill != nil:
		data = map[string]any{"customer_id": ev.Bill.CustomerID, "plan_id": ev.Bill.PlanID, "period": ev.Bill.Period}
	case ev.Closure != nil:
		data = closureJSON(ev.Closure)
	case ev.Customer != nil:
		data = customerJSON(ev.Customer)
	}
	if ev.ID == "" || ev.Type == "" {
		return nil, errors.New("coretest: an event needs an id and a type")
	}
	created := ev.CreatedAt
	if created.IsZero() {
		created = time.Now()
	}
	return json.Marshal(struct {
		ID        string `json:"id"`
		Type      string `json:"type"`
		CreatedAt string `json:"created_at"`
		Data      any    `json:"data"`
	}{ev.ID, string(ev.Type), instant(created), data})
}
