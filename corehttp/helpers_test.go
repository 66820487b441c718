package corehttp_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp"
	"supportbot/corehttp/coretest"
	"supportbot/flows"
)

// The client is the flows' core.
var _ flows.Core = (*corehttp.Client)(nil)

// testPolicy keeps tries short: attempts time out in 300 ms (the hang tests
// wait that long), and waits between tries go to a recorder, not a clock.
var testPolicy = corehttp.Policy{AttemptTimeout: 300 * time.Millisecond, Attempts: 4, Deadline: 10 * time.Second}

// sleeps records the client's waits between tries instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

// syncBuffer is a log destination safe for the server's and the client's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// metrics records the client's calls.
type metrics struct {
	mu    sync.Mutex
	calls []string // "op outcome"
}

func (m *metrics) CoreCall(op, outcome string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, op+" "+outcome)
}

func (m *metrics) got() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.calls...)
}

// env is a client talking to a fake core over a memCore.
type env struct {
	mem     *memCore
	core    *coretest.Server
	client  *corehttp.Client
	sleeps  *sleeps
	log     *syncBuffer
	metrics *metrics
}

func newEnv(t testing.TB, edit ...func(*corehttp.Config)) *env {
	t.Helper()
	e := &env{mem: newMemCore(), sleeps: &sleeps{}, log: &syncBuffer{}, metrics: &metrics{}}
	e.core = coretest.Start(t, e.mem)
	cfg := corehttp.Config{
		BaseURL: e.core.URL(),
		Token:   e.core.Token(),
		Reads:   testPolicy,
		Actions: testPolicy,
		Logger:  slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Metrics: e.metrics,
		Sleep:   e.sleeps.sleep,
	}
	for _, f := range edit {
		f(&cfg)
	}
	c, err := corehttp.New(cfg)
	if err != nil {
		t.Fatalf("corehttp.New: %v", err)
	}
	e.client = c
	return e
}

// quote gets a quote for paying off C1001's plan P1.
func (e *env) quote(t testing.TB, key string) *supportbot.Quote {
	t.Helper()
	q, err := e.client.Quote(t.Context(), key, supportbot.QuoteRequest{CustomerID: "C1001", PlanID: "P1", Kind: supportbot.QuotePayoff})
	if err != nil {
		t.Fatalf("Quote: %v", err)
	}
	return q
}

func wantUnavailable(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, supportbot.ErrCoreUnavailable) {
		t.Fatalf("err = %v, want one wrapping ErrCoreUnavailable", err)
	}
	if supportbot.CoreErrorOf(err) != nil {
		t.Errorf("err = %v is also a CoreError; want only unavailable", err)
	}
}

func wantCoreError(t *testing.T, err error, status int, code supportbot.CoreCode) *supportbot.CoreError {
	t.Helper()
	ce := supportbot.CoreErrorOf(err)
	if ce == nil {
		t.Fatalf("err = %v, want a CoreError %d %s", err, status, code)
	}
	if ce.Status != status || ce.Code != code {
		t.Errorf("CoreError = %d %s, want %d %s", ce.Status, ce.Code, status, code)
	}
	if errors.Is(err, supportbot.ErrCoreUnavailable) {
		t.Errorf("a refusal wraps ErrCoreUnavailable: %v", err)
	}
	return ce
}
