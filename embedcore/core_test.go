package embedcore_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"supportbot"
	"supportbot/embedcore"
	"supportbot/store"
	"supportbot/store/storetest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// now is 2026-11-21 10:00 in Shanghai.
var now = time.Date(2026, 11, 21, 10, 0, 0, 0, shanghai)

const today = supportbot.Date("2026-11-21")

func bills(due ...string) []supportbot.Bill {
	var out []supportbot.Bill
	for i, d := range due {
		out = append(out, supportbot.Bill{Period: i + 1, DueDate: supportbot.Date(d), Principal: 10000, Fee: 100, Status: supportbot.BillUnpaid})
	}
	return out
}

func TestScope(t *testing.T) {
	plan := supportbot.Plan{ID: "P1", Bills: bills("2026-10-21", "2026-11-21", "2026-12-21", "2027-01-21")}
	plan.Bills[0].LateFee = 500
	paidFirst := plan
	paidFirst.Bills = slices.Clone(plan.Bills)
	paidFirst.Bills[0].Status = supportbot.BillPaid
	sched := func(period int, status string, in time.Duration) supportbot.ScheduledRepayment {
		return supportbot.ScheduledRepayment{PlanID: "P1", Period: period, Status: status, RunAt: now.Add(in)}
	}
	tests := []struct {
		name     string
		plan     supportbot.Plan
		req      supportbot.QuoteRequest
		sched    []supportbot.ScheduledRepayment
		periods  []int
		excluded []int
		nothing  bool
	}{
		{"payoff pays every unpaid period", plan, supportbot.QuoteRequest{Kind: supportbot.QuotePayoff}, nil, []int{1, 2, 3, 4}, nil, false},
		{"bill pays the overdue periods only", plan, supportbot.QuoteRequest{Kind: supportbot.QuoteBill}, nil, []int{1}, nil, false},
		{"bill with nothing overdue pays the current period", paidFirst, supportbot.QuoteRequest{Kind: supportbot.QuoteBill}, nil, []int{2}, nil, false},
		{"a processing debit leaves its period out of a payoff", plan, supportbot.QuoteRequest{Kind: supportbot.QuotePayoff},
			[]supportbot.ScheduledRepayment{sched(2, supportbot.ScheduledProcessing, -time.Hour)}, []int{1, 3, 4}, []int{2}, false},
		{"a debit running within the cut-off leaves its period out of a bill", paidFirst, supportbot.QuoteRequest{Kind: supportbot.QuoteBill},
			[]supportbot.ScheduledRepayment{sched(2, supportbot.ScheduledScheduled, 90*time.Minute)}, nil, []int{2}, true},
		{"a debit beyond the cut-off is still payable (and will be cancelled)", paidFirst, supportbot.QuoteRequest{Kind: supportbot.QuoteBill},
			[]supportbot.ScheduledRepayment{sched(2, supportbot.ScheduledScheduled, 3*time.Hour)}, []int{2}, nil, false},
		{"a cancelled schedule does not count", plan, supportbot.QuoteRequest{Kind: supportbot.QuoteBill},
			[]supportbot.ScheduledRepayment{sched(1, supportbot.ScheduledCancelled, time.Minute)}, []int{1}, nil, false},
		{"another plan's debit does not count", plan, supportbot.QuoteRequest{Kind: supportbot.QuoteBill},
			[]supportbot.ScheduledRepayment{{PlanID: "P9", Period: 1, Status: supportbot.ScheduledProcessing}}, []int{1}, nil, false},
		{"periods asked for, paid ones skipped", paidFirst, supportbot.QuoteRequest{Kind: supportbot.QuoteBill, Periods: []int{3, 1, 2}}, nil, []int{2, 3}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := embedcore.Scope(tt.plan, tt.req, tt.sched, now, today)
			if tt.nothing {
				var ce *supportbot.CoreError
				if !errors.As(err, &ce) || ce.Code != supportbot.CoreNothingToPay {
					t.Fatalf("err = %v, want nothing_to_pay", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.Periods, tt.periods) || !slices.Equal(s.Excluded, tt.excluded) {
				t.Errorf("periods %v excluded %v, want %v and %v", s.Periods, s.Excluded, tt.periods, tt.excluded)
			}
		})
	}
}

func TestPrice(t *testing.T) {
	p := supportbot.Plan{ID: "P1", PrepayFeeRateBP: 150, Bills: bills("2026-10-21", "2026-11-21", "2026-12-21", "2027-01-21")}
	p.Bills[0].LateFee = 500
	// Payoff: principal 4×100.00, fees of periods due by today (2×1.00), the
	// late fee 5.00, and 1.5% of the principal not yet due (200.00): 3.00.
	got, err := embedcore.Price(p, []int{1, 2, 3, 4}, supportbot.QuotePayoff, today)
	if err != nil {
		t.Fatal(err)
	}
	want := supportbot.QuoteParts{Principal: 40000, Fees: 200, LateFees: 500, PrepayFee: 300}
	if got != want {
		t.Errorf("payoff parts %+v, want %+v", got, want)
	}
	// A bill costs each period's full principal, fee and late fee.
	if got, _ = embedcore.Price(p, []int{1, 3}, supportbot.QuoteBill, today); got != (supportbot.QuoteParts{Principal: 20000, Fees: 200, LateFees: 500}) {
		t.Errorf("bill parts %+v", got)
	}
	// Amounts beyond the bounds are an error, never a wrapped sum.
	huge := p
	huge.Bills = slices.Clone(p.Bills)
	huge.Bills[0].Principal, huge.Bills[1].Principal = supportbot.MaxMoney, supportbot.MaxMoney
	if _, err := embedcore.Price(huge, []int{1, 2}, supportbot.QuoteBill, today); !errors.Is(err, supportbot.ErrMoneyBounds) {
		t.Errorf("overflowing bill: err %v, want ErrMoneyBounds", err)
	}
	if _, err := embedcore.Price(huge, []int{1, 2}, supportbot.QuotePayoff, today); !errors.Is(err, supportbot.ErrMoneyBounds) {
		t.Errorf("overflowing payoff: err %v, want ErrMoneyBounds", err)
	}
}

// core is an embedded core on a fresh database with one customer: plan P1
// (4 periods of ¥101.00, the first overdue), a card, a frozen card and a
// scheduled repayment of period 3 in two days.
func core(t *testing.T, clock *time.Time) (*embedcore.Core, *store.DB) {
	t.Helper()
	db, _ := storetest.Open(t)
	p := supportbot.Plan{ID: "P1", OrderNo: "O1", Product: "Phone", Partner: "小米分期", Principal: 40000, Periods: 4,
		Bills: bills("2026-10-21", "2026-11-21", "2026-12-21", "2027-01-21")}
	data := []supportbot.CustomerData{{
		Customer: supportbot.Customer{ID: "C1", Name: "张伟", Phone: "+8613800138000", IDCardLast4: "123X", Language: supportbot.LangZH},
		Cards:    []supportbot.Card{{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true}, {ID: "K2", Bank: "工商银行", Last4: "8888", Frozen: true}},
		Plans:    []supportbot.Plan{p},
		Scheduled: []supportbot.ScheduledRepayment{{ID: "S1", PlanID: "P1", Period: 3, Amount: 10100, CardID: "K1",
			RunAt: now.Add(48 * time.Hour), Status: supportbot.ScheduledScheduled}},
	}}
	if _, err := db.Import(context.Background(), data); err != nil {
		t.Fatal(err)
	}
	return embedcore.New(db, shanghai, func() time.Time { return *clock }), db
}

func code(err error) supportbot.CoreCode {
	if ce := supportbot.CoreErrorOf(err); ce != nil {
		return ce.Code
	}
	return ""
}

func TestRepayOncePerKey(t *testing.T) {
	ctx := context.Background()
	clock := now
	c, db := core(t, &clock)
	q, err := c.Quote(ctx, "q1", supportbot.QuoteRequest{CustomerID: "C1", PlanID: "P1", Kind: supportbot.QuotePayoff})
	if err != nil {
		t.Fatal(err)
	}
	if sum, _ := q.Parts.Sum(); sum != q.Amount || !slices.Equal(q.Periods, []int{1, 2, 3, 4}) {
		t.Fatalf("quote %+v", q)
	}
	req := supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount}
	// Twelve goroutines send the same key at once: one execution.
	var wg sync.WaitGroup
	ids := make([]string, 12)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := c.Repay(ctx, "k1", req)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = r.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("one key gave repayments %v", ids)
		}
	}
	list, err := db.CoreView().Repayments(ctx, "C1")
	if err != nil || len(list) != 1 || list[0].Status != supportbot.RepaymentSucceeded || list[0].Amount != q.Amount {
		t.Fatalf("ledger %+v, %v: want one succeeded repayment of %v", list, err, q.Amount)
	}
	if !slices.Equal(list[0].CancelledScheduledIDs, []string{"S1"}) {
		t.Errorf("cancelled schedules %v, want S1 (its period was paid)", list[0].CancelledScheduledIDs)
	}
	// The same quote under another key: the plan changed since, nothing is charged.
	if _, err := c.Repay(ctx, "k2", req); code(err) != supportbot.CoreQuoteStale {
		t.Errorf("second key for a paid quote: %v, want quote_stale", err)
	}
	// The same key with another request is refused.
	if _, err := c.Repay(ctx, "k1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount + 1}); code(err) != supportbot.CoreKeyReused {
		t.Errorf("reused key: %v, want idempotency_key_reused", err)
	}
	if r, err := c.Repayment(ctx, "k1"); err != nil || r.ID != ids[0] {
		t.Errorf("Repayment(k1) = %v, %v", r, err)
	}
	if _, err := c.Repayment(ctx, "k2"); supportbot.CoreErrorOf(err) == nil || !supportbot.CoreErrorOf(err).NotFound() {
		t.Errorf("Repayment of a refused key: %v, want not found", err)
	}
}

func TestRepayRefusals(t *testing.T) {
	ctx := context.Background()
	clock := now
	c, _ := core(t, &clock)
	quote := func() *supportbot.Quote {
		q, err := c.Quote(ctx, "q-"+clock.String(), supportbot.QuoteRequest{CustomerID: "C1", PlanID: "P1", Kind: supportbot.QuoteBill})
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	q := quote()
	if _, err := c.Repay(ctx, "frozen", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K2", Amount: q.Amount}); code(err) != supportbot.CoreCardFrozen {
		t.Errorf("frozen card: %v", err)
	}
	if _, err := c.Repay(ctx, "mismatch", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount - 1}); code(err) != supportbot.CoreAmountMismatch {
		t.Errorf("amount mismatch: %v", err)
	}
	// A refusal is final for its key: asked again, it is answered again.
	if _, err := c.Repay(ctx, "mismatch", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount - 1}); code(err) != supportbot.CoreAmountMismatch {
		t.Errorf("refusal replayed: %v", err)
	}
	clock = clock.Add(embedcore.QuoteTTL + time.Second)
	if _, err := c.Repay(ctx, "late", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount}); code(err) != supportbot.CoreQuoteExpired {
		t.Errorf("expired quote: %v", err)
	}
	if _, err := c.Repay(ctx, "nope", supportbot.RepaymentRequest{QuoteID: "Qnone", CardID: "K1", Amount: 1}); code(err) != supportbot.CoreQuoteNotFound {
		t.Errorf("unknown quote: %v", err)
	}
}

func TestCancelByTheOneRule(t *testing.T) {
	ctx := context.Background()
	clock := now
	c, _ := core(t, &clock)
	list, err := c.Scheduled(ctx, "C1")
	if err != nil || len(list) != 1 || !list[0].Cancellable {
		t.Fatalf("scheduled %+v, %v: want S1 cancellable", list, err)
	}
	// Within 2 hours of running it is with the bank: not cancellable, and a
	// bill quote leaves its period out.
	clock = now.Add(47 * time.Hour)
	list, _ = c.Scheduled(ctx, "C1")
	if list[0].Cancellable || list[0].NotCancellable != supportbot.NotCancellableTooLate {
		t.Errorf("within the cut-off: %+v", list[0])
	}
	_, err = c.CancelScheduled(ctx, "c1", "C1", "S1")
	if ce := supportbot.CoreErrorOf(err); ce == nil || ce.Code != supportbot.CoreNotCancellable || ce.Reason != supportbot.NotCancellableTooLate {
		t.Errorf("cancel within the cut-off: %v", err)
	}
	clock = now
	r, err := c.CancelScheduled(ctx, "c2", "C1", "S1")
	if err != nil || r.Status != supportbot.ScheduledCancelled {
		t.Fatalf("cancel: %+v, %v", r, err)
	}
	// The same key again: the same answer, not a refusal.
	if r, err := c.CancelScheduled(ctx, "c2", "C1", "S1"); err != nil || r.Status != supportbot.ScheduledCancelled {
		t.Errorf("cancel replayed: %+v, %v", r, err)
	}
	if _, err := c.CancelScheduled(ctx, "c3", "C2", "S1"); code(err) != supportbot.CoreCustomerNotFound {
		t.Errorf("someone else's: %v", err)
	}
}

func TestClosure(t *testing.T) {
	ctx := context.Background()
	clock := now
	c, _ := core(t, &clock)
	_, err := c.RequestClosure(ctx, "r1", "C1")
	ce := supportbot.CoreErrorOf(err)
	if ce == nil || ce.Code != supportbot.CoreNotEligible || !slices.Equal(ce.Reasons, []supportbot.NotEligibleReason{supportbot.NotEligibleUnpaid, supportbot.NotEligibleScheduled}) {
		t.Fatalf("closure with a plan and a schedule: %v", err)
	}
	if ok, err := c.CheckIdentity(ctx, "", "C1", "123x"); err != nil || !ok {
		t.Errorf("identity, any case: %v %v", ok, err)
	}
	if ok, _ := c.CheckIdentity(ctx, "", "C1", "1234"); ok {
		t.Error("a wrong last 4 matched")
	}
	q, _ := c.Quote(ctx, "q", supportbot.QuoteRequest{CustomerID: "C1", PlanID: "P1", Kind: supportbot.QuotePayoff})
	if _, err := c.Repay(ctx, "pay", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount}); err != nil {
		t.Fatal(err)
	}
	r, err := c.RequestClosure(ctx, "r2", "C1")
	if err != nil || r.Status != supportbot.ClosureSubmitted || r.Reference != "CR-20261121-0001" {
		t.Fatalf("closure: %+v, %v", r, err)
	}
	if r.ExpectedFrom != "2026-11-25" || r.ExpectedTo != "2026-11-27" {
		t.Errorf("expected %s..%s, want 3 to 5 business days", r.ExpectedFrom, r.ExpectedTo)
	}
	_, err = c.RequestClosure(ctx, "r3", "C1")
	if ce := supportbot.CoreErrorOf(err); ce == nil || ce.Code != supportbot.CoreAlreadyOpen || ce.Closure == nil || ce.Closure.Reference != r.Reference {
		t.Errorf("second request: %v", err)
	}
	d, err := c.DecideClosure(ctx, r.Reference, supportbot.ClosureCompleted, "")
	if err != nil || d.Status != supportbot.ClosureCompleted || d.DecidedAt.IsZero() {
		t.Fatalf("decide: %+v, %v", d, err)
	}
}

// A closure completed while its customer owes again — a plan imported
// since, a refund opened — closed the account over it (an operator probe):
// refused, saying what stands in the way; a rejection's reason keeps a
// card or ID number masked (it is printed, kept and told).
func TestAClosureIsNotCompletedOverWhatIsOwed(t *testing.T) {
	ctx := context.Background()
	clock := now
	c, db := core(t, &clock)
	q, _ := c.Quote(ctx, "q", supportbot.QuoteRequest{CustomerID: "C1", PlanID: "P1", Kind: supportbot.QuotePayoff})
	if _, err := c.Repay(ctx, "pay", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount}); err != nil {
		t.Fatal(err)
	}
	r, err := c.RequestClosure(ctx, "r1", "C1")
	if err != nil {
		t.Fatal(err)
	}
	data := []supportbot.CustomerData{{
		Customer: supportbot.Customer{ID: "C1", Name: "张伟", Phone: "+8613800138000", IDCardLast4: "123X", Language: supportbot.LangZH, PendingRefunds: 2},
		Plans: []supportbot.Plan{{ID: "P9", OrderNo: "O9", Product: "Pad", Partner: "小米分期", Principal: 20000, Periods: 2,
			Bills: bills("2026-12-21", "2027-01-21")}},
	}}
	if _, err := db.Import(ctx, data); err != nil {
		t.Fatal(err)
	}
	_, err = c.DecideClosure(ctx, r.Reference, supportbot.ClosureCompleted, "")
	if supportbot.ErrorCode(err) != supportbot.ECONFLICT || !strings.Contains(supportbot.ErrorMessage(err), "a plan not paid off, 2 refund(s) in progress") {
		t.Fatalf("completed over a new plan and refunds: %v; want a conflict naming both", err)
	}
	if list, _ := c.ClosureRequests(ctx, "C1"); len(list) != 1 || list[0].Status != supportbot.ClosureSubmitted {
		t.Errorf("after the refusal: %+v; want it still submitted", list)
	}
	d, err := c.DecideClosure(ctx, r.Reference, supportbot.ClosureRejected, "请先还清 卡号 6222021234567890123")
	if err != nil || d.Reason != "请先还清 卡号 ****0123" {
		t.Errorf("rejected: %+v, %v; want the card number masked", d, err)
	}
}

// A customer's reads: a customer the core does not know is a 404, one with
// nothing of a kind is an empty list, another customer's plan is a plan 404.
func TestReadsOfUnknownAndEmptyCustomers(t *testing.T) {
	ctx := context.Background()
	clock := now
	c, db := core(t, &clock)
	if _, err := db.Import(ctx, []supportbot.CustomerData{{Customer: supportbot.Customer{ID: "C2", Name: "李娜", Phone: "+8613900139000", Language: supportbot.LangZH}}}); err != nil {
		t.Fatal(err)
	}
	reads := map[string]func(string) (int, error){
		"plans":     func(id string) (int, error) { l, err := c.Plans(ctx, id); return len(l), err },
		"cards":     func(id string) (int, error) { l, err := c.Cards(ctx, id); return len(l), err },
		"scheduled": func(id string) (int, error) { l, err := c.Scheduled(ctx, id); return len(l), err },
		"closures":  func(id string) (int, error) { l, err := c.ClosureRequests(ctx, id); return len(l), err },
	}
	for name, read := range reads {
		if n, err := read("C1"); err != nil || (n == 0) != (name == "closures") {
			t.Errorf("%s of C1: %d, %v", name, n, err)
		}
		if n, err := read("C2"); err != nil || n != 0 {
			t.Errorf("%s of C2 (has none): %d, %v; want an empty list", name, n, err)
		}
		if _, err := read("C404"); code(err) != supportbot.CoreCustomerNotFound {
			t.Errorf("%s of an unknown customer: %v; want customer_not_found", name, err)
		}
	}
	payoff := func(customer, plan string) error {
		_, err := c.Quote(ctx, "q-"+customer+plan, supportbot.QuoteRequest{CustomerID: customer, PlanID: plan, Kind: supportbot.QuotePayoff})
		return err
	}
	if err := payoff("C404", "P1"); code(err) != supportbot.CoreCustomerNotFound {
		t.Errorf("quote for an unknown customer: %v", err)
	}
	if err := payoff("C2", "P1"); code(err) != supportbot.CorePlanNotFound {
		t.Errorf("quote of another customer's plan: %v", err)
	}
	if err := payoff("C1", "P1"); err != nil {
		t.Errorf("quote: %v", err)
	}
}
