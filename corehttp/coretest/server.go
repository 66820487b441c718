package coretest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
)

// Backend is what the fake serves: the core's operations over some data.
// It has the method set of flows.Core, so the bot's embedded core plugs in;
// keys are passed on as the client sent them. Errors: a *supportbot.CoreError
// is answered with its code (its Status, or the contract's status for the
// code); supportbot.ErrCoreUnavailable is a 503; ENOTFOUND and EINVALID are
// 404 not_found and 400 invalid_request; anything else is a 500.
type Backend interface {
	CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error)
	Customer(ctx context.Context, id string) (*supportbot.Customer, error)
	Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error)
	Cards(ctx context.Context, customerID string) ([]supportbot.Card, error)
	Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error)
	ClosureRequests(ctx context.Context, customerID string) ([]supportbot.ClosureRequest, error)
	Quote(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error)
	Repay(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error)
	Repayment(ctx context.Context, key string) (*supportbot.Repayment, error)
	CancelScheduled(ctx context.Context, key, customerID, scheduledID string) (*supportbot.ScheduledRepayment, error)
	SetAutoRepay(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error)
	SetDefaultCard(ctx context.Context, key, customerID, cardID string) ([]supportbot.Card, error)
	CheckIdentity(ctx context.Context, key, customerID, last4 string) (bool, error)
	RequestClosure(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error)
}

// The operations, by the contract's operationId.
const (
	OpLookupCustomer       = "lookupCustomer"
	OpGetCustomer          = "getCustomer"
	OpListPlans            = "listPlans"
	OpListCards            = "listCards"
	OpListScheduled        = "listScheduledRepayments"
	OpListClosureRequests  = "listClosureRequests"
	OpCreateQuote          = "createQuote"
	OpCreateRepayment      = "createRepayment"
	OpGetRepayment         = "getRepaymentByKey"
	OpCancelScheduled      = "cancelScheduledRepayment"
	OpSetAutoRepay         = "setAutoRepay"
	OpSetDefaultCard       = "setDefaultCard"
	OpCheckIdentity        = "checkIdentity"
	OpCreateClosureRequest = "createClosureRequest"
)

// DefaultToken is the bearer token a Server accepts unless WithToken is given.
const DefaultToken = "core-test-token"

// BasePath is where the API is mounted on the server: URL() ends with it.
const BasePath = "/v1"

const maxRequestBody = 1 << 20

// Server is a fake installment core on 127.0.0.1, speaking the contract over
// a Backend, with the core's idempotency rules, injectable faults, a ledger
// of what the backend executed and signed events. Its methods are safe for
// concurrent use.
type Server struct {
	backend Backend
	token   string
	now     func() time.Time
	srv     *httptest.Server
	done    chan struct{}
	once    sync.Once
	bg      sync.WaitGroup // settlement timers and event deliveries

	mu         sync.Mutex
	eventsURL  string
	secret     string
	faults     []*faultRule
	calls      []Call
	idem       map[string]*idemEntry
	quotes     map[string]supportbot.Quote // quotes served, by id
	repayments map[string]*processingRepay // answered processing, by key
	ledger     []Execution
	deliveries []Delivery
	seq        int
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the bearer token the server accepts.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithEvents sets where the server posts events, and the secret it signs
// them with (see also SetEvents).
func WithEvents(url, secret string) Option {
	return func(s *Server) { s.eventsURL, s.secret = url, secret }
}

// WithClock sets the server's clock (events' created_at, their signatures'
// t, settled_at). Default time.Now.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// New starts a Server over b. Close it when done.
func New(b Backend, opts ...Option) *Server {
	s := &Server{
		backend:    b,
		token:      DefaultToken,
		now:        time.Now,
		done:       make(chan struct{}),
		idem:       map[string]*idemEntry{},
		quotes:     map[string]supportbot.Quote{},
		repayments: map[string]*processingRepay{},
	}
	for _, o := range opts {
		o(s)
	}
	// Times travel as RFC 3339 text: keep them as they come back decoded.
	clock := s.now
	s.now = func() time.Time { return clock().UTC().Round(0) }
	s.srv = httptest.NewServer(s)
	return s
}

// Start is New, closed when tb ends.
func Start(tb testing.TB, b Backend, opts ...Option) *Server {
	tb.Helper()
	s := New(b, opts...)
	tb.Cleanup(s.Close)
	return s
}

// Close ends hanging requests, stops settlement timers and deliveries, and
// stops the HTTP server. It is idempotent.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.srv.CloseClientConnections()
		s.srv.Close()
		s.bg.Wait()
	})
}

// URL is the base URL a client is given (CORE_URL): http://127.0.0.1:PORT/v1.
func (s *Server) URL() string { return s.srv.URL + BasePath }

// Token is the bearer token the server accepts.
func (s *Server) Token() string { return s.token }

// SetEvents sets where events go and the secret they are signed with.
func (s *Server) SetEvents(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.eventsURL, s.secret = url, secret
}

// answer is a response the server writes (or keeps for a key).
type answer struct {
	status     int
	body       []byte
	retryAfter int  // seconds; <0 for none
	html       bool // body is an HTML page
}

func jsonAnswer(status int, v any) answer {
	b, err := json.Marshal(v)
	if err != nil {
		return answer{status: 500, body: []byte(`{"error":{"code":"internal_error","message":"encoding"}}`), retryAfter: -1}
	}
	return answer{status: status, body: b, retryAfter: -1}
}

// final reports whether the core keeps a as the answer for its key.
func (a answer) final() bool {
	return a.status >= 200 && a.status < 500 && a.status != http.StatusUnauthorized && a.status != http.StatusTooManyRequests
}

// request is one request, routed.
type request struct {
	op         string
	method     string
	params     []string // the path's ids, in order
	query      url.Values
	body       []byte
	key        string // "" when none was sent
	processing *Fault // createRepayment answered processing instead of executed
}

// idemEntry is what the server knows of one idempotency key.
type idemEntry struct {
	method, path string
	body         []byte        // canonical JSON (or the raw bytes when not JSON)
	done         chan struct{} // closed when the first request finished
	final        bool
	ans          answer
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op, params, known := route(r.Method, r.URL.EscapedPath())
	idx := s.begin(r, op)
	if !s.checkToken(idx, r) {
		s.write(w, idx, errAnswer(http.StatusUnauthorized, "unauthorized", "missing or wrong bearer token"), false)
		return
	}
	if op == "" {
		if known {
			s.write(w, idx, errAnswer(http.StatusMethodNotAllowed, "invalid_request", "method not allowed"), false)
		} else {
			s.write(w, idx, errAnswer(http.StatusNotFound, "not_found", "no such path"), false)
		}
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	if err != nil {
		s.write(w, idx, errAnswer(http.StatusBadRequest, "invalid_request", "unreadable body"), false)
		return
	}
	s.setBody(idx, body)
	req := &request{op: op, method: r.Method, params: params, query: r.URL.Query(), body: body}
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		vals := r.Header.Values("Idempotency-Key")
		switch {
		case len(vals) == 0 && op != OpCheckIdentity:
			s.write(w, idx, errAnswer(http.StatusBadRequest, "idempotency_key_missing", "Idempotency-Key is required"), false)
			return
		case len(vals) > 1:
			s.write(w, idx, errAnswer(http.StatusBadRequest, "idempotency_key_invalid", "more than one Idempotency-Key"), false)
			return
		case len(vals) == 1:
			k, ok := parseKey(vals[0])
			if !ok {
				s.write(w, idx, errAnswer(http.StatusBadRequest, "idempotency_key_invalid", "malformed Idempotency-Key"), false)
				return
			}
			req.key = k
		}
	}

	f, faulty := s.takeFault(op)
	if faulty && !f.Executed && !f.Processing {
		// The fault stands in front of the core: nothing is executed.
		if !s.sleep(r.Context(), f.Delay) {
			s.end(idx, 0, true)
			return
		}
		if f.Hang || f.Reset || f.Status != 0 {
			s.writeFault(w, r, idx, f)
			return
		}
		faulty = false // only slow: answer normally
	}
	if faulty && f.Processing {
		req.processing = &f
	}
	// Past this point the core carries the request out, whether or not the
	// client is still there to hear the answer.
	ctx := context.WithoutCancel(r.Context())
	run := func() answer {
		if faulty && f.Executed {
			s.sleep(context.Background(), f.Delay)
		}
		return s.exec(ctx, req)
	}
	var a answer
	if req.key != "" {
		var ok bool
		if a, ok = s.idempotent(r.Context(), r.Method, r.URL.EscapedPath(), req, run); !ok {
			s.end(idx, 0, false) // the client left while a first request ran
			return
		}
	} else {
		a = run()
	}
	if faulty && f.Executed && (f.Hang || f.Reset || f.Status != 0) {
		s.writeFault(w, r, idx, f)
		return
	}
	s.write(w, idx, a, false)
}

// idempotent answers req by its key: the kept answer of a repeat, 422 for the
// key with another request, or run's answer (kept when final). A repeat that
// arrives while the first runs waits for it; ok is false when the client gave
// up waiting.
func (s *Server) idempotent(ctx context.Context, method, path string, req *request, run func() answer) (a answer, ok bool) {
	body := canonical(req.body)
	for {
		s.mu.Lock()
		e := s.idem[req.key]
		if e != nil && (e.method != method || e.path != path || !bytes.Equal(e.body, body)) {
			s.mu.Unlock()
			return errAnswer(http.StatusUnprocessableEntity, "idempotency_key_reused",
				"the key was first used with another request"), true
		}
		if e == nil {
			e = &idemEntry{method: method, path: path, body: body, done: make(chan struct{})}
			s.idem[req.key] = e
			s.mu.Unlock()
			break
		}
		if e.final {
			s.mu.Unlock()
			return e.ans, true
		}
		s.mu.Unlock()
		select {
		case <-e.done: // finished: kept, or gone and to be run again
		case <-ctx.Done():
			return answer{}, false
		case <-s.done:
			return answer{}, false
		}
	}
	a = run()
	s.mu.Lock()
	e := s.idem[req.key]
	if a.final() {
		e.final, e.ans = true, a
	} else {
		delete(s.idem, req.key) // 5xx, 429: the repeat is processed again
	}
	close(e.done)
	s.mu.Unlock()
	return a, true
}

// canonical is body as a JSON value, so that a repeat is recognised whatever
// its spacing and key order.
func canonical(body []byte) []byte {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil || d.More() {
		return body
	}
	b, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return b
}

// parseKey reads an Idempotency-Key: a token, or the structured-field string
// form "…" (with \" and \\ escapes), which is the same key as its content.
func parseKey(v string) (string, bool) {
	if strings.HasPrefix(v, `"`) {
		if len(v) < 2 || !strings.HasSuffix(v, `"`) {
			return "", false
		}
		var b strings.Builder
		in := v[1 : len(v)-1]
		for i := 0; i < len(in); i++ {
			switch c := in[i]; c {
			case '\\':
				if i+1 >= len(in) || (in[i+1] != '"' && in[i+1] != '\\') {
					return "", false
				}
				i++
				b.WriteByte(in[i])
			case '"':
				return "", false
			default:
				b.WriteByte(c)
			}
		}
		v = b.String()
	}
	if v == "" || len(v) > 255 {
		return "", false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return "", false
		}
	}
	return v, true
}

// checkToken reports whether r carries the bearer token, and notes it in
// call idx.
func (s *Server) checkToken(idx int, r *http.Request) bool {
	got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	ok = ok && got == s.token
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[idx].TokenOK = ok
	return ok
}

// route maps a request to its operation and the ids in its path. known is
// true when the path exists but not with this method.
func route(method, escaped string) (op string, params []string, known bool) {
	rest, ok := strings.CutPrefix(escaped, BasePath+"/")
	if !ok {
		return "", nil, false
	}
	segs := strings.Split(rest, "/")
	for i, sg := range segs {
		u, err := url.PathUnescape(sg)
		if err != nil || u == "" {
			return "", nil, false
		}
		segs[i] = u
	}
	type r struct{ get, post, put string }
	var m r
	switch {
	case len(segs) == 2 && segs[0] == "customers" && segs[1] == "lookup":
		m = r{get: OpLookupCustomer}
	case len(segs) == 2 && segs[0] == "customers":
		m, params = r{get: OpGetCustomer}, segs[1:2]
	case len(segs) == 3 && segs[0] == "customers":
		params = segs[1:2]
		switch segs[2] {
		case "plans":
			m = r{get: OpListPlans}
		case "cards":
			m = r{get: OpListCards}
		case "scheduled-repayments":
			m = r{get: OpListScheduled}
		case "default-card":
			m = r{put: OpSetDefaultCard}
		case "identity-checks":
			m = r{post: OpCheckIdentity}
		}
	case len(segs) == 1 && segs[0] == "closure-requests":
		m = r{get: OpListClosureRequests, post: OpCreateClosureRequest}
	case len(segs) == 1 && segs[0] == "quotes":
		m = r{post: OpCreateQuote}
	case len(segs) == 1 && segs[0] == "repayments":
		m = r{post: OpCreateRepayment}
	case len(segs) == 2 && segs[0] == "repayments":
		m, params = r{get: OpGetRepayment}, segs[1:2]
	case len(segs) == 3 && segs[0] == "scheduled-repayments" && segs[2] == "cancel":
		m, params = r{post: OpCancelScheduled}, segs[1:2]
	case len(segs) == 3 && segs[0] == "plans" && segs[2] == "auto-repay":
		m, params = r{put: OpSetAutoRepay}, segs[1:2]
	}
	known = m != r{}
	switch method {
	case http.MethodGet:
		op = m.get
	case http.MethodPost:
		op = m.post
	case http.MethodPut:
		op = m.put
	}
	return op, params, known
}

func (s *Server) write(w http.ResponseWriter, idx int, a answer, fault bool) {
	if a.html {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	if a.retryAfter >= 0 && (a.status == http.StatusTooManyRequests || a.status == http.StatusServiceUnavailable) {
		w.Header().Set("Retry-After", strconv.Itoa(a.retryAfter))
	}
	w.WriteHeader(a.status)
	w.Write(a.body)
	s.end(idx, a.status, fault)
}

// writeFault answers with f in place of the core's answer.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, idx int, f Fault) {
	switch {
	case f.Hang:
		s.end(idx, 0, true)
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
	case f.Reset:
		s.end(idx, 0, true)
		reset(w)
	default:
		s.write(w, idx, f.answer(), true)
	}
}

// reset closes the connection under the request without an answer, with a
// TCP RST where the platform allows it.
func reset(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

// decode reads a request body strictly: unknown fields are refused, as the
// contract's request schemas allow none.
func decode(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

func invalid(format string, args ...any) answer {
	return errAnswer(http.StatusBadRequest, "invalid_request", fmt.Sprintf(format, args...))
}
