package corehttp

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"supportbot"
)

// EventSink takes the core's events. It commits ev (deduplicating by ev.ID:
// a redelivery has the same id) before it returns nil; any error makes the
// core deliver the event again later.
type EventSink interface {
	CoreEvent(ctx context.Context, ev supportbot.CoreEvent) error
}

// EventsConfig configures an EventHandler.
type EventsConfig struct {
	Secret string    // CORE_EVENTS_SECRET, the HMAC key of Core-Signature
	Sink   EventSink // required
	Logger *slog.Logger
	// MaxBody bounds an event's body (default 1 MiB): larger is 413.
	MaxBody int64
	// Tolerance is how far the signature's t may be from now (default 5 minutes).
	Tolerance time.Duration
	Now       func() time.Time // default time.Now
}

// EventHandler is the bot's endpoint for the core's events (POST
// /core/events): it checks the signature and its freshness, decodes the
// event and hands it to the sink. It answers 2xx only when the sink
// committed the event, so the core keeps delivering it until then.
type EventHandler struct {
	secret    []byte
	sink      EventSink
	log       *slog.Logger
	maxBody   int64
	tolerance time.Duration
	now       func() time.Time
}

// NewEventHandler checks cfg and returns an EventHandler.
func NewEventHandler(cfg EventsConfig) (*EventHandler, error) {
	if cfg.Secret == "" {
		return nil, errors.New("core events: the secret is empty")
	}
	if cfg.Sink == nil {
		return nil, errors.New("core events: no sink")
	}
	h := &EventHandler{secret: []byte(cfg.Secret), sink: cfg.Sink, log: cfg.Logger,
		maxBody: cfg.MaxBody, tolerance: cfg.Tolerance, now: cfg.Now}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	h.log = h.log.With("component", "core_events")
	if h.maxBody <= 0 {
		h.maxBody = 1 << 20
	}
	if h.tolerance <= 0 {
		h.tolerance = 5 * time.Minute
	}
	if h.now == nil {
		h.now = time.Now
	}
	return h, nil
}

func (h *EventHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	ts, t, sigs, err := parseSignature(r.Header.Get("Core-Signature"))
	if err != nil {
		h.refuse(w, err)
		return
	}
	if d := h.now().Sub(time.Unix(t, 0)); d > h.tolerance || d < -h.tolerance {
		h.refuse(w, fmt.Errorf("signed %s from now", d.Round(time.Second)))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			h.log.Warn("core event refused: body too large", "limit", h.maxBody)
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		h.log.Warn("core event: reading the body failed", "err", err)
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if !h.valid(ts, body, sigs) {
		h.refuse(w, errors.New("no matching v1 signature"))
		return
	}
	ev, known, err := decodeEvent(body)
	switch {
	case err != nil:
		h.log.Error("core event undecodable", "err", err)
		http.Error(w, "bad event", http.StatusBadRequest)
		return
	case !known:
		// Answered 2xx: the core would deliver it for 3 days otherwise, and
		// this bot cannot act on it whatever it does.
		h.log.Warn("core event of an unknown type ignored", "event_id", ev.ID, "type", ev.Type)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := h.sink.CoreEvent(r.Context(), ev); err != nil {
		h.log.Error("core event not committed; the core will deliver it again", "event_id", ev.ID, "type", ev.Type, "err", err)
		http.Error(w, "not committed", http.StatusServiceUnavailable)
		return
	}
	h.log.Debug("core event committed", "event_id", ev.ID, "type", ev.Type)
	w.WriteHeader(http.StatusNoContent)
}

func (h *EventHandler) refuse(w http.ResponseWriter, why error) {
	h.log.Warn("core event refused: bad signature", "why", why)
	http.Error(w, "bad signature", http.StatusUnauthorized)
}

// valid reports whether one of sigs is the HMAC of "<t>.<body>", compared in
// constant time. t is the header's text as sent: the core signs what it
// wrote, leading zeros included.
func (h *EventHandler) valid(t string, body []byte, sigs [][]byte) bool {
	m := hmac.New(sha256.New, h.secret)
	m.Write([]byte(t))
	m.Write([]byte{'.'})
	m.Write(body)
	want := m.Sum(nil)
	ok := false
	for _, s := range sigs {
		ok = hmac.Equal(s, want) || ok // no early exit: the time does not tell which one matched
	}
	return ok
}

// parseSignature reads "t=<unix seconds>,v1=<hex>[,v1=<hex>…]": t as sent
// (the contract's [0-9]+, so no sign) and as seconds. Schemes other than v1
// are skipped (a later one may be added); v1 values that are not 32 bytes of
// hex are too.
func parseSignature(v string) (string, int64, [][]byte, error) {
	if v == "" {
		return "", 0, nil, errors.New("no Core-Signature")
	}
	var (
		ts    string
		t     int64
		haveT bool
		sigs  [][]byte
	)
	for part := range strings.SplitSeq(v, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return "", 0, nil, errors.New("malformed Core-Signature")
		}
		switch k {
		case "t":
			n, err := strconv.ParseUint(val, 10, 63)
			if err != nil || haveT {
				return "", 0, nil, errors.New("malformed or repeated t in Core-Signature")
			}
			ts, t, haveT = val, int64(n), true
		case "v1":
			if s, err := hex.DecodeString(val); err == nil && len(s) == sha256.Size {
				sigs = append(sigs, s)
			}
		}
	}
	if !haveT || len(sigs) == 0 {
		return "", 0, nil, errors.New("Core-Signature without t or v1")
	}
	return ts, t, sigs, nil
}

// decodeEvent decodes the envelope and the data its type calls for. known is
// false for a type this bot does not know (its data is not looked at).
func decodeEvent(body []byte) (ev supportbot.CoreEvent, known bool, err error) {
	var w struct {
		ID        string          `json:"id"`
		Type      string          `json:"type"`
		CreatedAt instant         `json:"created_at"`
		Data      json.RawMessage `json:"data"`
	}
	if err := decodeJSON(body, &w); err != nil {
		return ev, false, err
	}
	if w.ID == "" || w.Type == "" {
		return ev, false, errors.New("event without id or type")
	}
	if w.CreatedAt.t.IsZero() {
		// The order of a booking's, request's or customer's events is
		// decided by it: an event without one cannot be placed.
		return ev, false, fmt.Errorf("event %s: no created_at", w.ID)
	}
	ev = supportbot.CoreEvent{ID: w.ID, Type: supportbot.CoreEventType(w.Type), CreatedAt: w.CreatedAt.t}
	if len(w.Data) == 0 || string(w.Data) == "null" {
		w.Data = nil
	}
	need := func() error {
		if w.Data == nil {
			return fmt.Errorf("event %s: no data", w.ID)
		}
		return nil
	}
	switch ev.Type {
	case supportbot.EventRepaymentSucceeded, supportbot.EventRepaymentFailed:
		if err = need(); err == nil {
			ev.Repayment, err = decodeRepayment(w.Data, "")
		}
	case supportbot.EventScheduledRepaymentSucceeded, supportbot.EventScheduledRepaymentFailed:
		var s wireScheduled
		if err = need(); err == nil {
			if err = decodeJSON(w.Data, &s); err == nil {
				ev.Scheduled, err = s.domain("")
			}
		}
	case supportbot.EventBillOverdue:
		var b struct {
			CustomerID string `json:"customer_id"`
			PlanID     string `json:"plan_id"`
			Period     int    `json:"period"`
		}
		if err = need(); err == nil {
			if err = decodeJSON(w.Data, &b); err == nil {
				if b.CustomerID == "" || b.PlanID == "" || b.Period < 1 {
					err = fmt.Errorf("event %s: bill.overdue: a field is missing", w.ID)
				}
				ev.Bill = &supportbot.BillRef{CustomerID: b.CustomerID, PlanID: b.PlanID, Period: b.Period}
			}
		}
	case supportbot.EventClosureRequestDecided:
		var c wireClosure
		if err = need(); err == nil {
			if err = decodeJSON(w.Data, &c); err == nil {
				ev.Closure, err = c.domain()
				if err == nil && ev.Closure.Open() { // "decided", and still submitted: no decision to tell
					err = fmt.Errorf("closure request %q: decided, status %q", c.Ref, c.Status)
				}
			}
		}
	case supportbot.EventCustomerUpdated:
		if err = need(); err == nil {
			ev.Customer, err = decodeCustomer(w.Data)
		}
	default:
		return ev, false, nil
	}
	if err != nil {
		return supportbot.CoreEvent{}, true, fmt.Errorf("event %s (%s): %w", w.ID, w.Type, err)
	}
	return ev, true, nil
}
