package corehttp_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp"
	"supportbot/corehttp/coretest"
)

func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func TestReads(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()

	for _, phone := range []string{"+8613800138000"} {
		c, err := e.client.CustomerByPhone(ctx, phone)
		if err != nil {
			t.Fatalf("CustomerByPhone(%s): %v", phone, err)
		}
		same(t, "CustomerByPhone "+phone, *c, supportbot.Customer{ID: "C1001", Name: "张三", Phone: "+8613800138000", Language: supportbot.LangZH})
	}
	for _, call := range e.core.Calls() {
		if call.Op == coretest.OpLookupCustomer && call.Query != "phone=%2B8613800138000" {
			t.Errorf("lookup query = %q, want the + percent-encoded: phone=%%2B8613800138000", call.Query)
		}
	}

	c, err := e.client.Customer(ctx, "C1002")
	if err != nil {
		t.Fatalf("Customer: %v", err)
	}
	same(t, "Customer C1002", *c, supportbot.Customer{ID: "C1002", Name: "Ann Lee", Phone: "13900139000", Language: supportbot.LangEN, PendingRefunds: 1})

	plans, err := e.client.Plans(ctx, "C1001")
	if err != nil {
		t.Fatalf("Plans: %v", err)
	}
	same(t, "Plans C1001", plans, e.mem.plans["C1001"])

	cards, err := e.client.Cards(ctx, "C1001")
	if err != nil {
		t.Fatalf("Cards: %v", err)
	}
	same(t, "Cards C1001", cards, e.mem.cards["C1001"])

	sched, err := e.client.Scheduled(ctx, "C1001")
	if err != nil {
		t.Fatalf("Scheduled: %v", err)
	}
	var ids []string
	for _, r := range sched {
		ids = append(ids, fmt.Sprintf("%s cancellable=%v %s", r.ID, r.Cancellable, r.NotCancellable))
	}
	same(t, "Scheduled C1001, soonest first", ids, []string{"S2 cancellable=false too_late", "S1 cancellable=true "})
	want := e.mem.sched[0]
	want.Cancellable = true
	same(t, "Scheduled S1", sched[1], want)

	crs, err := e.client.ClosureRequests(ctx, "C1002")
	if err != nil {
		t.Fatalf("ClosureRequests: %v", err)
	}
	same(t, "ClosureRequests C1002, newest first", crs, []supportbot.ClosureRequest{e.mem.closures[1], e.mem.closures[0]})

	if got := e.core.Unauthorized(); got != 0 {
		t.Errorf("%d requests without the right token, want 0", got)
	}
}

func TestQuoteAndRepay(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()

	q := e.quote(t, "quote-1")
	want := supportbot.Quote{ID: q.ID, CustomerID: "C1001", PlanID: "P1", Kind: supportbot.QuotePayoff,
		Periods: []int{3, 4, 6}, Amount: 305000, Excluded: []int{5}, ExpiresAt: memNow.Add(15 * time.Minute),
		Parts: supportbot.QuoteParts{Principal: 300000, Fees: 1500, LateFees: 500, PrepayFee: 3000}}
	same(t, "payoff quote", *q, want)

	rp, err := e.client.Repay(ctx, "pay-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount})
	if err != nil {
		t.Fatalf("Repay: %v", err)
	}
	wantRp := supportbot.Repayment{ID: rp.ID, Key: "pay-1", QuoteID: q.ID, CustomerID: "C1001", PlanID: "P1", CardID: "K1",
		Amount: 305000, Periods: []int{3, 4, 6}, Status: supportbot.RepaymentSucceeded,
		CancelledScheduledIDs: []string{"S1"}, CreatedAt: memNow, SettledAt: memNow}
	same(t, "repayment", *rp, wantRp)

	got, err := e.client.Repayment(ctx, "pay-1")
	if err != nil {
		t.Fatalf("Repayment: %v", err)
	}
	same(t, "Repayment by key", *got, wantRp)
	if n := e.core.Executed(coretest.OpCreateRepayment, "pay-1"); n != 1 {
		t.Errorf("repayment executed %d times, want 1", n)
	}

	bill, err := e.client.Quote(ctx, "quote-2", supportbot.QuoteRequest{CustomerID: "C1002", PlanID: "P3", Kind: supportbot.QuoteBill, Periods: []int{3}})
	if err != nil {
		t.Fatalf("bill Quote: %v", err)
	}
	same(t, "bill quote periods and parts", []any{bill.Periods, bill.Parts, bill.Amount},
		[]any{[]int{3}, supportbot.QuoteParts{Principal: 300000, Fees: 2000}, supportbot.Money(302000)})
	var body string
	for _, c := range e.core.Calls() {
		if c.Key == "quote-2" {
			body = string(c.Body)
		}
	}
	if !strings.Contains(body, `"periods":[3]`) || !strings.Contains(body, `"kind":"bill"`) {
		t.Errorf("bill quote body = %s, want kind bill and periods [3]", body)
	}
}

func TestRepayDeclined(t *testing.T) {
	e := newEnv(t)
	q := e.quote(t, "q")
	rp, err := e.client.Repay(t.Context(), "pay-k3", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K3", Amount: q.Amount})
	if err != nil {
		t.Fatalf("Repay with a declining card: %v, want a declined repayment, no error", err)
	}
	if rp.Status != supportbot.RepaymentDeclined || rp.DeclineReason != "insufficient_funds" {
		t.Errorf("repayment = %s %q, want declined insufficient_funds", rp.Status, rp.DeclineReason)
	}
}

func TestOtherActions(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()

	s, err := e.client.CancelScheduled(ctx, "cancel-1", "C1001", "S1")
	if err != nil {
		t.Fatalf("CancelScheduled: %v", err)
	}
	if s.ID != "S1" || s.Status != supportbot.ScheduledCancelled || s.Cancellable || s.NotCancellable != supportbot.NotCancellableCancelled || s.CustomerID != "C1001" {
		t.Errorf("cancelled = %+v, want S1 of C1001 cancelled, not cancellable (cancelled)", *s)
	}

	p, err := e.client.SetAutoRepay(ctx, "auto-1", "C1001", "P1", true)
	if err != nil {
		t.Fatalf("SetAutoRepay: %v", err)
	}
	if p.ID != "P1" || !p.AutoRepay || p.CustomerID != "C1001" || len(p.Bills) != 6 {
		t.Errorf("plan = %s auto=%v customer=%s bills=%d, want P1 auto=true C1001 6 bills", p.ID, p.AutoRepay, p.CustomerID, len(p.Bills))
	}

	cards, err := e.client.SetDefaultCard(ctx, "card-1", "C1001", "K3")
	if err != nil {
		t.Fatalf("SetDefaultCard: %v", err)
	}
	var got []string
	for _, c := range cards {
		got = append(got, fmt.Sprintf("%s default=%v frozen=%v", c.ID, c.Default, c.Frozen))
	}
	same(t, "cards after SetDefaultCard K3, default first", got,
		[]string{"K3 default=true frozen=false", "K1 default=false frozen=false", "K2 default=false frozen=true"})

	for _, tc := range []struct {
		key, last4 string
		want       bool
	}{{"id-1", "082x", true}, {"id-2", "0000", false}, {"", "082X", true}} {
		ok, err := e.client.CheckIdentity(ctx, tc.key, "C1001", tc.last4)
		if err != nil || ok != tc.want {
			t.Errorf("CheckIdentity(key %q, %s) = %v, %v; want %v, nil", tc.key, tc.last4, ok, err, tc.want)
		}
	}

	cr, err := e.client.RequestClosure(ctx, "close-1", "C1003")
	if err != nil {
		t.Fatalf("RequestClosure: %v", err)
	}
	same(t, "closure request", *cr, supportbot.ClosureRequest{Reference: cr.Reference, CustomerID: "C1003",
		Status: supportbot.ClosureSubmitted, CreatedAt: memNow, ExpectedFrom: "2026-11-25", ExpectedTo: "2026-11-27"})
	if !strings.HasPrefix(cr.Reference, "CR-20261121-") {
		t.Errorf("reference = %s, want CR-20261121-NNNN", cr.Reference)
	}

	for _, op := range []string{coretest.OpCancelScheduled, coretest.OpSetAutoRepay, coretest.OpSetDefaultCard, coretest.OpCreateClosureRequest} {
		keys := e.core.Keys(op)
		if len(keys) != 1 {
			t.Errorf("%s: keys sent %q, want exactly one", op, keys)
		}
	}
	if keys := e.core.Keys(coretest.OpCheckIdentity); !slices.Equal(keys, []string{"id-1", "id-2"}) {
		t.Errorf("identity checks sent keys %q, want id-1, id-2 and one without", keys)
	}
}

// Keys are sent as they are in the header and percent-encoded in the path of
// GET /repayments/{key}.
func TestKeyInPath(t *testing.T) {
	e := newEnv(t)
	q := e.quote(t, "q")
	key := `a/b?c%d e#f+g&h=i"j`
	if _, err := e.client.Repay(t.Context(), key, supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount}); err != nil {
		t.Fatalf("Repay: %v", err)
	}
	rp, err := e.client.Repayment(t.Context(), key)
	if err != nil {
		t.Fatalf("Repayment(%q): %v", key, err)
	}
	if rp.Key != key {
		t.Errorf("repayment key = %q, want %q", rp.Key, key)
	}
	calls := e.core.Calls()
	if got := calls[len(calls)-1].Path; got != "/v1/repayments/a%2Fb%3Fc%25d%20e%23f+g&h=i%22j" {
		t.Errorf("path = %s, want the key percent-encoded as one segment", got)
	}
}

func TestKeyRefusedBeforeSending(t *testing.T) {
	e := newEnv(t)
	for _, key := range []string{"", strings.Repeat("k", 256), "é", "a\nb", "a\x7f", " lead", "trail ", `"quoted"`, `"x`, ".", ".."} {
		_, err := e.client.Repay(t.Context(), key, supportbot.RepaymentRequest{QuoteID: "Q1", CardID: "K1", Amount: 1})
		if supportbot.ErrorCode(err) != supportbot.EINVALID {
			t.Errorf("Repay with key %q: err = %v, want EINVALID", key, err)
		}
		_, err = e.client.Repayment(t.Context(), key)
		if supportbot.ErrorCode(err) != supportbot.EINVALID {
			t.Errorf("Repayment(%q): err = %v, want EINVALID", key, err)
		}
	}
	if _, err := e.client.Repay(t.Context(), strings.Repeat("k", 255), supportbot.RepaymentRequest{QuoteID: "Q1", CardID: "K1", Amount: 1}); supportbot.ErrorCode(err) == supportbot.EINVALID {
		t.Errorf("a 255-character key was refused: %v", err)
	}
	if n := e.core.Requests(""); n != 1 {
		t.Errorf("%d requests reached the core, want only the one with the 255-character key", n)
	}
}

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	e.core.Inject(coretest.OpGetCustomer, -1, coretest.ServerError())
	e.client.Customer(t.Context(), "C1001")
	e.client.Cards(t.Context(), "C1001")
	e.client.Cards(t.Context(), "nobody")
	same(t, "metrics", e.metrics.got(), []string{
		corehttp.OpGetCustomer + " " + corehttp.OutcomeUnavailable,
		corehttp.OpListCards + " " + corehttp.OutcomeOK,
		corehttp.OpListCards + " " + corehttp.OutcomeRefused,
	})
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, cfg := range []corehttp.Config{
		{BaseURL: "", Token: "t"},
		{BaseURL: "core.internal/v1", Token: "t"},
		{BaseURL: "ftp://core.internal/v1", Token: "t"},
		{BaseURL: "https://user:pw@core.internal/v1", Token: "t"},
		{BaseURL: "https://core.internal/v1?x=1", Token: "t"},
		{BaseURL: "https://core.internal/v1", Token: ""},
		{BaseURL: "https://core.internal/v1", Token: "sec ret"},
	} {
		if _, err := corehttp.New(cfg); err == nil {
			t.Errorf("New(%q, token %q) = nil error, want a refusal", cfg.BaseURL, cfg.Token)
		}
	}
	if _, err := corehttp.New(corehttp.Config{BaseURL: "https://core.internal/v1/", Token: "t"}); err != nil {
		t.Errorf("New with a good config: %v", err)
	}
}
