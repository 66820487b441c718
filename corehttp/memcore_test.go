package corehttp_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"supportbot"
)

// memCore is a small in-memory core for these tests: three customers and the
// core's rules, simplified. It does not deduplicate by key on purpose: that
// is the fake server's job, and a second execution shows in its ledger.
type memCore struct {
	mu        sync.Mutex
	now       time.Time
	customers map[string]*supportbot.Customer
	last4     map[string]string
	cards     map[string][]supportbot.Card
	plans     map[string][]supportbot.Plan
	sched     []supportbot.ScheduledRepayment
	closures  []supportbot.ClosureRequest // oldest first
	quotes    map[string]supportbot.Quote
	repays    map[string]supportbot.Repayment // by key
	declines  map[string]bool                 // cards the partner declines
	fail      map[string]error                // op → error returned once
	seq       int
}

var cst = time.FixedZone("CST", 8*3600)

// memNow is 2026-11-21 10:00 in Shanghai, as UTC.
var memNow = time.Date(2026, 11, 21, 2, 0, 0, 0, time.UTC)

func newMemCore() *memCore {
	bills := func(planID string, n int, principal, fee supportbot.Money, firstDue supportbot.Date, paid int) []supportbot.Bill {
		var bs []supportbot.Bill
		d := firstDue.Time(time.UTC)
		for p := 1; p <= n; p++ {
			st := supportbot.BillUnpaid
			if p <= paid {
				st = supportbot.BillPaid
			}
			bs = append(bs, supportbot.Bill{PlanID: planID, Period: p, DueDate: supportbot.DateOf(d.AddDate(0, p-1, 0), time.UTC),
				Principal: principal, Fee: fee, Status: st})
		}
		return bs
	}
	p1 := supportbot.Plan{ID: "P1", CustomerID: "C1001", OrderNo: "O-20260815-01", Product: "iPhone 16 Pro",
		Partner: "小米分期", Principal: 600000, Periods: 6, PrepayFeeRateBP: 150,
		Bills: bills("P1", 6, 100000, 1500, "2026-09-15", 2)}
	p1.Bills[2].LateFee = 500 // period 3, due 2026-11-15: overdue
	p2 := supportbot.Plan{ID: "P2", CustomerID: "C1001", OrderNo: "O-20250101-07", Product: "AirPods",
		Partner: "招联金融", Principal: 120000, Periods: 3, Bills: bills("P2", 3, 40000, 0, "2025-02-01", 3)}
	p3 := supportbot.Plan{ID: "P3", CustomerID: "C1002", OrderNo: "O-20261001-02", Product: "MacBook Air",
		Partner: "小米分期", Principal: 900000, Periods: 3, AutoRepay: true,
		Bills: bills("P3", 3, 300000, 2000, "2026-11-01", 1)}
	p4 := supportbot.Plan{ID: "P4", CustomerID: "C1003", OrderNo: "O-20240101-09", Product: "Watch",
		Partner: "招联金融", Principal: 30000, Periods: 1, Bills: bills("P4", 1, 30000, 0, "2024-02-01", 1)}
	m := &memCore{
		now: memNow,
		customers: map[string]*supportbot.Customer{
			"C1001": {ID: "C1001", Name: "张三", Phone: "+8613800138000", Language: supportbot.LangZH},
			"C1002": {ID: "C1002", Name: "Ann Lee", Phone: "13900139000", Language: supportbot.LangEN, PendingRefunds: 1},
			"C1003": {ID: "C1003", Name: "Bo", Phone: "13700137000", Language: supportbot.LangZH},
		},
		last4: map[string]string{"C1001": "082X", "C1002": "1234", "C1003": "5678"},
		cards: map[string][]supportbot.Card{
			"C1001": {
				{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true},
				{ID: "K2", Bank: "工商银行", Last4: "1234", Frozen: true},
				{ID: "K3", Bank: "建设银行", Last4: "4321"},
			},
			"C1002": {{ID: "K9", Bank: "HSBC", Last4: "9999", Default: true}},
			"C1003": {},
		},
		plans: map[string][]supportbot.Plan{"C1001": {p1, p2}, "C1002": {p3}, "C1003": {p4}},
		sched: []supportbot.ScheduledRepayment{
			{ID: "S1", CustomerID: "C1001", PlanID: "P1", Period: 4, Amount: 101500, CardID: "K1",
				RunAt: time.Date(2026, 12, 14, 2, 0, 0, 0, time.UTC), Status: supportbot.ScheduledScheduled},
			{ID: "S2", CustomerID: "C1001", PlanID: "P1", Period: 5, Amount: 101500, CardID: "K1",
				RunAt: memNow.Add(time.Hour), Status: supportbot.ScheduledScheduled}, // within the cut-off
			{ID: "S3", CustomerID: "C1002", PlanID: "P3", Period: 2, Amount: 302000, CardID: "K9",
				RunAt: memNow.Add(-time.Minute), Status: supportbot.ScheduledProcessing},
		},
		closures: []supportbot.ClosureRequest{
			{Reference: "CR-20260101-0003", CustomerID: "C1002", Status: supportbot.ClosureRejected, Reason: "有一笔退货未完成",
				CreatedAt: time.Date(2026, 1, 1, 3, 0, 0, 0, time.UTC), ExpectedFrom: "2026-01-06", ExpectedTo: "2026-01-08",
				DecidedAt: time.Date(2026, 1, 5, 6, 30, 0, 0, time.UTC)},
			{Reference: "CR-20261120-0001", CustomerID: "C1002", Status: supportbot.ClosureSubmitted,
				CreatedAt: memNow.Add(-24 * time.Hour), ExpectedFrom: "2026-11-25", ExpectedTo: "2026-11-27"},
		},
		quotes:   map[string]supportbot.Quote{},
		repays:   map[string]supportbot.Repayment{},
		declines: map[string]bool{"K3": true},
		fail:     map[string]error{},
	}
	return m
}

func refuse(code supportbot.CoreCode, msg string) *supportbot.CoreError {
	return &supportbot.CoreError{Code: code, Message: msg}
}

// failOnce makes the next call of op return err.
func (m *memCore) failOnce(op string, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail[op] = err
}

func (m *memCore) failed(op string) error {
	err := m.fail[op]
	delete(m.fail, op)
	return err
}

func (m *memCore) advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.now = m.now.Add(d)
}

func (m *memCore) today() supportbot.Date { return supportbot.DateOf(m.now, cst) }

func (m *memCore) CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.customers {
		if c.Phone == phone {
			cp := *c
			return &cp, nil
		}
	}
	return nil, refuse(supportbot.CoreCustomerNotFound, "no customer with this phone")
}

func (m *memCore) Customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failed("Customer"); err != nil {
		return nil, err
	}
	c, ok := m.customers[id]
	if !ok {
		return nil, refuse(supportbot.CoreCustomerNotFound, "")
	}
	cp := *c
	return &cp, nil
}

func (m *memCore) customer(id string) error {
	if _, ok := m.customers[id]; !ok {
		return refuse(supportbot.CoreCustomerNotFound, "")
	}
	return nil
}

func (m *memCore) Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(customerID); err != nil {
		return nil, err
	}
	var out []supportbot.Plan
	for _, p := range m.plans[customerID] {
		p.Bills = slices.Clone(p.Bills)
		out = append(out, p)
	}
	return out, nil
}

func (m *memCore) Cards(ctx context.Context, customerID string) ([]supportbot.Card, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(customerID); err != nil {
		return nil, err
	}
	return slices.Clone(m.cards[customerID]), nil
}

func (m *memCore) withCutoff(r supportbot.ScheduledRepayment) supportbot.ScheduledRepayment {
	r.NotCancellable = r.CancelRefusal(m.now)
	r.Cancellable = r.NotCancellable == ""
	return r
}

func (m *memCore) Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(customerID); err != nil {
		return nil, err
	}
	var out []supportbot.ScheduledRepayment
	for _, r := range m.sched {
		if r.CustomerID == customerID {
			out = append(out, m.withCutoff(r))
		}
	}
	return out, nil
}

func (m *memCore) ClosureRequests(ctx context.Context, customerID string) ([]supportbot.ClosureRequest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(customerID); err != nil {
		return nil, err
	}
	var out []supportbot.ClosureRequest
	for i := len(m.closures) - 1; i >= 0; i-- {
		if m.closures[i].CustomerID == customerID {
			out = append(out, m.closures[i])
		}
	}
	return out, nil
}

func (m *memCore) plan(customerID, planID string) (*supportbot.Plan, error) {
	for i := range m.plans[customerID] {
		if p := &m.plans[customerID][i]; p.ID == planID {
			return p, nil
		}
	}
	return nil, refuse(supportbot.CorePlanNotFound, "")
}

func (m *memCore) Quote(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(r.CustomerID); err != nil {
		return nil, err
	}
	p, err := m.plan(r.CustomerID, r.PlanID)
	if err != nil {
		return nil, err
	}
	busy := supportbot.DebitingPeriods(p.ID, m.sched, m.now)
	today := m.today()
	q := supportbot.Quote{CustomerID: r.CustomerID, PlanID: p.ID, Kind: r.Kind, ExpiresAt: m.now.Add(15 * time.Minute)}
	var notDue supportbot.Money
	for _, b := range p.Bills {
		if b.Status != supportbot.BillUnpaid {
			continue
		}
		due := b.DueDate <= today
		want := r.Kind == supportbot.QuotePayoff || (len(r.Periods) == 0 && due) || slices.Contains(r.Periods, b.Period)
		if !want {
			continue
		}
		if busy[b.Period] {
			q.Excluded = append(q.Excluded, b.Period)
			continue
		}
		q.Periods = append(q.Periods, b.Period)
		q.Parts.Principal += b.Principal
		if due || r.Kind == supportbot.QuoteBill {
			q.Parts.Fees += b.Fee
			q.Parts.LateFees += b.LateFee
		} else {
			notDue += b.Principal
		}
	}
	if r.Kind == supportbot.QuotePayoff {
		q.Parts.PrepayFee = (notDue*supportbot.Money(p.PrepayFeeRateBP) + 5000) / 10000
	}
	if len(q.Periods) == 0 {
		return nil, refuse(supportbot.CoreNothingToPay, "nothing to pay")
	}
	q.Amount, _ = q.Parts.Sum()
	m.seq++
	q.ID = fmt.Sprintf("Q%04d", m.seq)
	m.quotes[q.ID] = q
	return &q, nil
}

func (m *memCore) Repay(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	q, ok := m.quotes[r.QuoteID]
	if !ok {
		return nil, refuse(supportbot.CoreQuoteNotFound, "")
	}
	if m.now.After(q.ExpiresAt) {
		return nil, refuse(supportbot.CoreQuoteExpired, "the quote has expired")
	}
	p, err := m.plan(q.CustomerID, q.PlanID)
	if err != nil {
		return nil, err
	}
	for _, b := range p.Bills {
		if slices.Contains(q.Periods, b.Period) && b.Status == supportbot.BillPaid {
			return nil, refuse(supportbot.CoreQuoteStale, "bills changed since the quote")
		}
	}
	if r.Amount != q.Amount {
		return nil, refuse(supportbot.CoreAmountMismatch, "")
	}
	i := slices.IndexFunc(m.cards[q.CustomerID], func(c supportbot.Card) bool { return c.ID == r.CardID })
	if i < 0 {
		return nil, refuse(supportbot.CoreCardNotFound, "")
	}
	if m.cards[q.CustomerID][i].Frozen {
		return nil, refuse(supportbot.CoreCardFrozen, "the card is frozen")
	}
	m.seq++
	rp := supportbot.Repayment{ID: fmt.Sprintf("RP%04d", m.seq), Key: key, QuoteID: q.ID, CustomerID: q.CustomerID,
		PlanID: q.PlanID, CardID: r.CardID, Amount: r.Amount, Periods: q.Periods, CreatedAt: m.now, SettledAt: m.now}
	if m.declines[r.CardID] {
		rp.Status, rp.DeclineReason = supportbot.RepaymentDeclined, "insufficient_funds"
	} else {
		rp.Status = supportbot.RepaymentSucceeded
		for i := range p.Bills {
			if slices.Contains(q.Periods, p.Bills[i].Period) {
				p.Bills[i].Status = supportbot.BillPaid
			}
		}
		for i := range m.sched {
			s := &m.sched[i]
			if s.PlanID == p.ID && s.Status == supportbot.ScheduledScheduled && slices.Contains(q.Periods, s.Period) {
				s.Status = supportbot.ScheduledCancelled
				rp.CancelledScheduledIDs = append(rp.CancelledScheduledIDs, s.ID)
			}
		}
	}
	m.repays[key] = rp
	return &rp, nil
}

func (m *memCore) Repayment(ctx context.Context, key string) (*supportbot.Repayment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	rp, ok := m.repays[key]
	if !ok {
		return nil, refuse(supportbot.CoreRepaymentNotFound, "no repayment with this key")
	}
	return &rp, nil
}

func (m *memCore) CancelScheduled(ctx context.Context, key, customerID, scheduledID string) (*supportbot.ScheduledRepayment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failed("CancelScheduled"); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(m.sched, func(r supportbot.ScheduledRepayment) bool {
		return r.ID == scheduledID && r.CustomerID == customerID
	})
	if i < 0 {
		return nil, refuse(supportbot.CoreScheduledNotFound, "")
	}
	if why := m.sched[i].CancelRefusal(m.now); why != "" {
		return nil, &supportbot.CoreError{Code: supportbot.CoreNotCancellable, Message: "cannot be cancelled", Reason: why}
	}
	m.sched[i].Status = supportbot.ScheduledCancelled
	r := m.withCutoff(m.sched[i])
	return &r, nil
}

func (m *memCore) SetAutoRepay(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(customerID); err != nil {
		return nil, err
	}
	p, err := m.plan(customerID, planID)
	if err != nil {
		return nil, err
	}
	p.AutoRepay = on
	cp := *p
	cp.Bills = slices.Clone(p.Bills)
	return &cp, nil
}

func (m *memCore) SetDefaultCard(ctx context.Context, key, customerID, cardID string) ([]supportbot.Card, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(customerID); err != nil {
		return nil, err
	}
	cards := m.cards[customerID]
	i := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.ID == cardID })
	if i < 0 {
		return nil, refuse(supportbot.CoreCardNotFound, "")
	}
	if cards[i].Frozen {
		return nil, refuse(supportbot.CoreCardFrozen, "the card is frozen")
	}
	for j := range cards {
		cards[j].Default = j == i
	}
	return slices.Clone(cards), nil
}

func (m *memCore) CheckIdentity(ctx context.Context, key, customerID, last4 string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(customerID); err != nil {
		return false, err
	}
	return strings.EqualFold(m.last4[customerID], last4), nil
}

func (m *memCore) RequestClosure(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.customer(customerID); err != nil {
		return nil, err
	}
	for _, r := range m.closures {
		if r.CustomerID == customerID && r.Open() {
			r := r
			return nil, &supportbot.CoreError{Code: supportbot.CoreAlreadyOpen, Message: "a request is open", Closure: &r}
		}
	}
	var reasons []supportbot.NotEligibleReason
	for _, p := range m.plans[customerID] {
		if p.Open() {
			reasons = append(reasons, supportbot.NotEligibleUnpaid)
			break
		}
	}
	for _, r := range m.sched {
		if r.CustomerID == customerID && (r.Status == supportbot.ScheduledScheduled || r.Status == supportbot.ScheduledProcessing) {
			reasons = append(reasons, supportbot.NotEligibleScheduled)
			break
		}
	}
	if m.customers[customerID].PendingRefunds > 0 {
		reasons = append(reasons, supportbot.NotEligiblePendingRefund)
	}
	if len(reasons) > 0 {
		return nil, &supportbot.CoreError{Code: supportbot.CoreNotEligible, Message: "not eligible", Reasons: reasons}
	}
	today := m.today()
	m.seq++
	r := supportbot.ClosureRequest{Reference: fmt.Sprintf("CR-%s-%04d", strings.ReplaceAll(string(today), "-", ""), m.seq),
		CustomerID: customerID, Status: supportbot.ClosureSubmitted, CreatedAt: m.now,
		ExpectedFrom: today.AddBusinessDays(3), ExpectedTo: today.AddBusinessDays(5)}
	m.closures = append(m.closures, r)
	return &r, nil
}
