// Package embedcore is the embedded installment core: the operations and
// rules of the core system's contract (../shared/CORE_API.md) over the bot's
// own database — imported data or the demo. It is what the bot talks to when
// no CORE_URL is set, so the one-command console chat works without a
// server, and what the fake core server of the tests serves.
//
// It owns the money rules: the payoff rule, the "already being debited" rule,
// quotes that expire and go stale, one execution per idempotency key. It
// knows nothing of chats, Telegram or HTTP.
package embedcore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"supportbot"
	"supportbot/store"
)

// QuoteTTL is how long a quote can be charged.
const QuoteTTL = 15 * time.Minute

// Closure requests are decided within 3 to 5 business days.
const (
	closureDaysMin = 3
	closureDaysMax = 5
)

// Core is the embedded core.
type Core struct {
	db  *store.DB
	loc *time.Location
	now func() time.Time
}

// New returns the embedded core over db; dates are in loc ("today", due
// dates), now is the clock (time.Now when nil).
func New(db *store.DB, loc *time.Location, now func() time.Time) *Core {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc = time.UTC
	}
	return &Core{db: db, loc: loc, now: now}
}

func (c *Core) today() supportbot.Date { return supportbot.DateOf(c.now(), c.loc) }

// refuse is a final refusal, as a remote core's 4xx.
func refuse(status int, code supportbot.CoreCode, format string, args ...any) *supportbot.CoreError {
	return &supportbot.CoreError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// notFound maps the store's ENOTFOUND to the core's refusal code.
func notFound(err error, code supportbot.CoreCode, what string) error {
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return refuse(404, code, "%s not found", what)
	}
	return err
}

// CustomerByPhone implements flows.Customers.
func (c *Core) CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error) {
	cu, err := c.db.CoreView().CustomerByPhone(ctx, phone)
	if err != nil {
		return nil, notFound(err, supportbot.CoreCustomerNotFound, "customer")
	}
	return public(cu), nil
}

// Customer implements flows.Customers.
func (c *Core) Customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	cu, err := c.db.CoreView().Customer(ctx, id)
	if err != nil {
		return nil, notFound(err, supportbot.CoreCustomerNotFound, "customer")
	}
	return public(cu), nil
}

// public is the customer as the core shows it: no ID-card data.
func public(cu *supportbot.Customer) *supportbot.Customer {
	out := *cu
	out.IDCardLast4 = ""
	return &out
}

// customer checks the customer exists (404 otherwise, like the contract).
func (c *Core) customer(ctx context.Context, v store.CoreView, id string) (*supportbot.Customer, error) {
	cu, err := v.Customer(ctx, id)
	if err != nil {
		return nil, notFound(err, supportbot.CoreCustomerNotFound, "customer")
	}
	return cu, nil
}

// Plans implements flows.Plans.
func (c *Core) Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error) {
	v := c.db.CoreView()
	return ofCustomer(ctx, c, v, customerID, v.Plans)
}

// ofCustomer is read's list of customer id's things. Rows of a customer
// prove the customer exists; only an empty list is checked against the
// customers, so that a customer the core does not know is a 404, as the
// contract says, and not an empty list (one query less for every read).
func ofCustomer[T any](ctx context.Context, c *Core, v store.CoreView, id string, read func(context.Context, string) ([]T, error)) ([]T, error) {
	list, err := read(ctx, id)
	if err != nil || len(list) > 0 {
		return list, err
	}
	if _, err := c.customer(ctx, v, id); err != nil {
		return nil, err
	}
	return list, nil
}

// Cards implements flows.Cards.
func (c *Core) Cards(ctx context.Context, customerID string) ([]supportbot.Card, error) {
	v := c.db.CoreView()
	return ofCustomer(ctx, c, v, customerID, v.Cards)
}

// Scheduled implements flows.Schedules: with the core's cut-off.
func (c *Core) Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error) {
	v := c.db.CoreView()
	list, err := ofCustomer(ctx, c, v, customerID, v.Scheduled)
	if err != nil {
		return nil, err
	}
	now := c.now()
	for i := range list {
		cutoff(&list[i], now)
	}
	return list, nil
}

// cutoff fills in whether r can still be cancelled, by the one rule.
func cutoff(r *supportbot.ScheduledRepayment, now time.Time) {
	r.NotCancellable = r.CancelRefusal(now)
	r.Cancellable = r.NotCancellable == ""
}

// ClosureRequests implements flows.Closures.
func (c *Core) ClosureRequests(ctx context.Context, customerID string) ([]supportbot.ClosureRequest, error) {
	v := c.db.CoreView()
	return ofCustomer(ctx, c, v, customerID, v.ClosureRequests)
}

// Quote implements flows.Quoter: the payoff rule for kind payoff, the due and
// overdue periods for kind bill; periods a debit is already running for are
// left out and named in Excluded.
func (c *Core) Quote(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
	var q *supportbot.Quote
	err := c.idempotent(ctx, key, "quote", r, &q, func(tx *store.Tx) error {
		sq, err := c.quote(ctx, tx.CoreView(), r)
		if err != nil {
			return err
		}
		if err := tx.SaveQuote(ctx, sq); err != nil {
			return err
		}
		q = &sq.Quote
		return nil
	})
	return q, err
}

func (c *Core) quote(ctx context.Context, v store.CoreView, r supportbot.QuoteRequest) (*store.StoredQuote, error) {
	if r.Kind != supportbot.QuotePayoff && r.Kind != supportbot.QuoteBill {
		return nil, refuse(400, supportbot.CoreInvalidRequest, "kind %q", r.Kind)
	}
	if len(r.Periods) > 0 && r.Kind != supportbot.QuoteBill {
		return nil, refuse(400, supportbot.CoreInvalidRequest, "periods only with kind bill")
	}
	p, err := v.Plan(ctx, r.CustomerID, r.PlanID)
	if err != nil {
		// An unknown customer is named as such, not as an unknown plan.
		if _, cerr := c.customer(ctx, v, r.CustomerID); cerr != nil {
			return nil, cerr
		}
		return nil, notFound(err, supportbot.CorePlanNotFound, "plan")
	}
	sched, err := v.Scheduled(ctx, r.CustomerID)
	if err != nil {
		return nil, err
	}
	now, today := c.now(), c.today()
	scope, err := Scope(*p, r, sched, now, today)
	if err != nil {
		return nil, err
	}
	parts, err := Price(*p, scope.Periods, r.Kind, today)
	if err != nil {
		return nil, err
	}
	amount, err := parts.Sum()
	if err != nil || amount > supportbot.MaxPlanMoney { // the import bounds a plan's payoff: a fault, not "nothing to pay"
		return nil, fmt.Errorf("quote of plan %s: amount out of bounds (%v)", p.ID, err)
	}
	if amount <= 0 {
		return nil, refuse(409, supportbot.CoreNothingToPay, "nothing payable")
	}
	return &store.StoredQuote{
		Quote: supportbot.Quote{ID: "Q" + strings.ToUpper(randomID()), CustomerID: r.CustomerID, PlanID: p.ID, Kind: r.Kind,
			Periods: scope.Periods, Amount: amount, Parts: parts, Excluded: scope.Excluded,
			ExpiresAt: now.Add(QuoteTTL).Truncate(time.Millisecond)},
		Fingerprint: fingerprint(p, scope),
	}, nil
}

// QuoteScope is which unpaid periods of a plan a quote pays, and which it
// leaves to a debit already running for them.
type QuoteScope struct {
	Periods  []int
	Excluded []int
}

// Scope applies the quote rules to a plan: payoff pays every unpaid period;
// bill pays the periods asked for or, when none were, every overdue period
// (unpaid, due before today) or, when none is overdue, the earliest unpaid
// one. Either way a period that a scheduled repayment is already debiting
// (ScheduledRepayment.Debiting) is left out and listed in Excluded: paying
// it too would charge twice. Nothing left to pay is CoreNothingToPay.
func Scope(p supportbot.Plan, r supportbot.QuoteRequest, sched []supportbot.ScheduledRepayment, now time.Time, today supportbot.Date) (QuoteScope, error) {
	busy := supportbot.DebitingPeriods(p.ID, sched, now)
	var want []int
	switch {
	case r.Kind == supportbot.QuotePayoff:
		for _, b := range p.Bills {
			if b.Status == supportbot.BillUnpaid {
				want = append(want, b.Period)
			}
		}
	case len(r.Periods) > 0:
		for _, n := range r.Periods {
			b, ok := bill(p, n)
			if !ok {
				return QuoteScope{}, refuse(400, supportbot.CoreInvalidRequest, "plan has no period %d", n)
			}
			if b.Status == supportbot.BillUnpaid && !slices.Contains(want, n) {
				want = append(want, n)
			}
		}
		slices.Sort(want)
	default:
		for _, b := range p.Bills {
			if b.Overdue(today) {
				want = append(want, b.Period)
			}
		}
		if len(want) == 0 {
			if next, ok := p.NextDue(); ok {
				want = []int{next.Period}
			}
		}
	}
	var s QuoteScope
	for _, n := range want {
		if busy[n] {
			s.Excluded = append(s.Excluded, n)
		} else {
			s.Periods = append(s.Periods, n)
		}
	}
	if len(s.Periods) == 0 {
		e := refuse(409, supportbot.CoreNothingToPay, "nothing to pay on plan %s", p.ID)
		return s, e
	}
	return s, nil
}

func bill(p supportbot.Plan, period int) (supportbot.Bill, bool) {
	for _, b := range p.Bills {
		if b.Period == period {
			return b, true
		}
	}
	return supportbot.Bill{}, false
}

// Price is what paying periods of p costs today: for a payoff, the payoff
// rule over those periods (supportbot.PayoffParts); for a bill, each
// period's full principal, fee and late fee. Sums are checked.
func Price(p supportbot.Plan, periods []int, kind supportbot.QuoteKind, today supportbot.Date) (supportbot.QuoteParts, error) {
	if kind == supportbot.QuotePayoff {
		return supportbot.PayoffParts(p, periods, today)
	}
	bills := make([]supportbot.Bill, len(periods))
	for i, n := range periods {
		bills[i], _ = bill(p, n)
	}
	return supportbot.BillsCost(bills...)
}

// fingerprint identifies the state of a plan a quote was made from: a quote
// is good only for the bills (and the debits running) it was computed from.
// Only the periods paid count, not those left out: Repay scopes the quote's
// own periods again, which leaves nothing out unless a debit started on one
// of them since (and then the periods differ).
func fingerprint(p *supportbot.Plan, s QuoteScope) string {
	h := sha256.New()
	for _, b := range p.Bills {
		fmt.Fprintf(h, "%d|%s|%d|%d|%d|%s;", b.Period, b.DueDate, b.Principal, b.Fee, b.LateFee, b.Status)
	}
	fmt.Fprintf(h, "%d|%v", p.PrepayFeeRateBP, s.Periods)
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Repay implements flows.Repayer: it charges a quote once per key. The quote
// must be the customer's, unexpired (CoreQuoteExpired), made from the plan as
// it is now (CoreQuoteStale) and for this amount (CoreAmountMismatch); the
// card must be the customer's and not frozen (CoreCardFrozen). The periods
// are paid and their scheduled repayments that are still waiting cancelled,
// in one transaction with the repayment record.
func (c *Core) Repay(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	var out *supportbot.Repayment
	var refusal *supportbot.CoreError
	err := c.db.Update(ctx, func(tx *store.Tx) error {
		out, refusal = nil, nil
		// A repeat of the key waits for the first; a customer's money moves
		// one operation at a time.
		if err := tx.Lock(ctx, "core-key:"+key); err != nil {
			return err
		}
		if err := c.lockCustomerOfQuote(ctx, tx, r.QuoteID); err != nil {
			return err
		}
		v := tx.CoreView()
		if prev, err := v.RepaymentByKey(ctx, key); err == nil {
			if prev.QuoteID != r.QuoteID || prev.CardID != r.CardID || prev.Amount != r.Amount {
				return refuse(422, supportbot.CoreKeyReused, "idempotency key used for another repayment")
			}
			out = prev
			return nil
		} else if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			return err
		}
		// A refusal is kept and answered again for the same key.
		if done, err := replay(ctx, v, key, "repay", r, nil); done || err != nil {
			return err
		}
		rep, err := c.repay(ctx, tx, key, r)
		if ce := supportbot.CoreErrorOf(err); ce != nil {
			refusal = ce
			return keepRefusal(ctx, tx, key, "repay", r, ce)
		} else if err != nil {
			return err
		}
		out = rep
		return tx.SaveRepayment(ctx, rep)
	})
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	return out, nil
}

func (c *Core) repay(ctx context.Context, tx *store.Tx, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
	v := tx.CoreView()
	q, err := v.Quote(ctx, r.QuoteID)
	if err != nil {
		return nil, notFound(err, supportbot.CoreQuoteNotFound, "quote")
	}
	now := c.now()
	if now.After(q.ExpiresAt) {
		return nil, refuse(409, supportbot.CoreQuoteExpired, "quote %s expired", q.ID)
	}
	if r.Amount != q.Amount {
		return nil, refuse(409, supportbot.CoreAmountMismatch, "amount %d is not the quote's %d", r.Amount, q.Amount)
	}
	p, err := v.Plan(ctx, q.CustomerID, q.PlanID)
	if err != nil {
		return nil, notFound(err, supportbot.CorePlanNotFound, "plan")
	}
	sched, err := v.Scheduled(ctx, q.CustomerID)
	if err != nil {
		return nil, err
	}
	// The plan, and the debits running on it, must be what the quote was made
	// from: a bill paid meanwhile, or a scheduled repayment that reached the
	// bank, makes the quote stale.
	scope, err := Scope(*p, supportbot.QuoteRequest{Kind: q.Kind, Periods: q.Periods}, sched, now, c.today())
	if err != nil || fingerprint(p, scope) != q.Fingerprint {
		return nil, refuse(409, supportbot.CoreQuoteStale, "plan %s changed since quote %s", p.ID, q.ID)
	}
	cards, err := v.Cards(ctx, q.CustomerID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(cards, func(k supportbot.Card) bool { return k.ID == r.CardID })
	switch {
	case i < 0:
		return nil, refuse(404, supportbot.CoreCardNotFound, "card not found")
	case cards[i].Frozen:
		return nil, refuse(409, supportbot.CoreCardFrozen, "card %s is frozen", r.CardID)
	}
	if r.Amount <= 0 || r.Amount > supportbot.MaxPlanMoney {
		return nil, refuse(409, supportbot.CoreAmountMismatch, "amount out of bounds")
	}
	if n, err := tx.PayBills(ctx, q.CustomerID, q.PlanID, q.Periods...); err != nil {
		return nil, err
	} else if n != len(q.Periods) {
		return nil, refuse(409, supportbot.CoreQuoteStale, "plan %s changed since quote %s", p.ID, q.ID)
	}
	cancelled, err := tx.CancelPeriodSchedules(ctx, q.CustomerID, q.PlanID, q.Periods...)
	if err != nil {
		return nil, err
	}
	at := now.Truncate(time.Millisecond)
	return &supportbot.Repayment{ID: "R" + strings.ToUpper(randomID()), Key: key, QuoteID: q.ID, CustomerID: q.CustomerID,
		PlanID: q.PlanID, CardID: r.CardID, Amount: r.Amount, Periods: q.Periods, Status: supportbot.RepaymentSucceeded,
		CancelledScheduledIDs: cancelled, CreatedAt: at, SettledAt: at}, nil
}

// Repayment implements flows.Repayer.
func (c *Core) Repayment(ctx context.Context, key string) (*supportbot.Repayment, error) {
	r, err := c.db.CoreView().RepaymentByKey(ctx, key)
	if err != nil {
		return nil, notFound(err, supportbot.CoreRepaymentNotFound, "repayment")
	}
	return r, nil
}

// CancelScheduled implements flows.ScheduleCanceller: by the one rule, a
// repayment being debited (processing, or running within the cut-off), done,
// cancelled or failed cannot be cancelled.
func (c *Core) CancelScheduled(ctx context.Context, key, customerID, scheduledID string) (*supportbot.ScheduledRepayment, error) {
	var out *supportbot.ScheduledRepayment
	req := map[string]string{"customer_id": customerID, "scheduled_id": scheduledID}
	err := c.idempotent(ctx, key, "cancel", req, &out, func(tx *store.Tx) error {
		v := tx.CoreView()
		if _, err := c.customer(ctx, v, customerID); err != nil {
			return err
		}
		list, err := v.Scheduled(ctx, customerID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(list, func(r supportbot.ScheduledRepayment) bool { return r.ID == scheduledID })
		if i < 0 {
			return refuse(404, supportbot.CoreScheduledNotFound, "scheduled repayment not found")
		}
		r := list[i]
		if reason := r.CancelRefusal(c.now()); reason != "" {
			e := refuse(409, supportbot.CoreNotCancellable, "scheduled repayment %s cannot be cancelled: %s", r.ID, reason)
			e.Reason = reason
			return e
		}
		if ok, err := tx.CancelScheduled(ctx, customerID, scheduledID); err != nil {
			return err
		} else if !ok {
			return fmt.Errorf("cancel scheduled %s: changed meanwhile", scheduledID)
		}
		r.Status = supportbot.ScheduledCancelled
		cutoff(&r, c.now())
		out = &r
		return nil
	})
	return out, err
}

// SetAutoRepay implements flows.AutoRepaySetter.
func (c *Core) SetAutoRepay(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	var out *supportbot.Plan
	err := c.db.Update(ctx, func(tx *store.Tx) error {
		v := tx.CoreView()
		if _, err := c.customer(ctx, v, customerID); err != nil {
			return err
		}
		if err := tx.SetAutoRepay(ctx, customerID, planID, on); err != nil {
			return notFound(err, supportbot.CorePlanNotFound, "plan")
		}
		p, err := v.Plan(ctx, customerID, planID)
		out = p
		return err
	})
	return out, err
}

// SetDefaultCard implements flows.DefaultCardSetter.
func (c *Core) SetDefaultCard(ctx context.Context, key, customerID, cardID string) ([]supportbot.Card, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	var out []supportbot.Card
	err := c.db.Update(ctx, func(tx *store.Tx) error {
		v := tx.CoreView()
		if _, err := c.customer(ctx, v, customerID); err != nil {
			return err
		}
		cards, err := v.Cards(ctx, customerID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(cards, func(k supportbot.Card) bool { return k.ID == cardID })
		switch {
		case i < 0:
			return refuse(404, supportbot.CoreCardNotFound, "card not found")
		case cards[i].Frozen:
			return refuse(409, supportbot.CoreCardFrozen, "card %s is frozen", cardID)
		}
		if err := tx.SetDefaultCard(ctx, customerID, cardID); err != nil {
			return err
		}
		out, err = v.Cards(ctx, customerID)
		return err
	})
	return out, err
}

// CheckIdentity implements flows.IdentityChecker: it compares, ignoring
// letter case, and changes nothing.
func (c *Core) CheckIdentity(ctx context.Context, _, customerID, last4 string) (bool, error) {
	cu, err := c.customer(ctx, c.db.CoreView(), customerID)
	if err != nil {
		return false, err
	}
	onFile := strings.ToUpper(strings.TrimSpace(cu.IDCardLast4))
	return onFile != "" && onFile == strings.ToUpper(strings.TrimSpace(last4)), nil
}

// RequestClosure implements flows.ClosureRequester: one open request per
// customer (CoreAlreadyOpen, checked first), and only with nothing unpaid,
// nothing scheduled or processing, and no pending refund (CoreNotEligible
// with every reason that holds).
func (c *Core) RequestClosure(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error) {
	var out *supportbot.ClosureRequest
	req := map[string]string{"customer_id": customerID}
	err := c.idempotent(ctx, key, "closure", req, &out, func(tx *store.Tx) error {
		v := tx.CoreView()
		cu, err := c.customer(ctx, v, customerID)
		if err != nil {
			return err
		}
		list, err := v.ClosureRequests(ctx, customerID)
		if err != nil {
			return err
		}
		for _, r := range list {
			if r.Open() {
				e := refuse(409, supportbot.CoreAlreadyOpen, "closure request %s is open", r.Reference)
				e.Closure = &r
				return e
			}
		}
		reasons, err := c.closureReasons(ctx, v, cu)
		if err != nil {
			return err
		}
		if len(reasons) > 0 {
			e := refuse(409, supportbot.CoreNotEligible, "not eligible for closure")
			e.Reasons = reasons
			return e
		}
		today := c.today()
		out, err = tx.CreateClosureRequest(ctx, customerID, today, today.AddBusinessDays(closureDaysMin), today.AddBusinessDays(closureDaysMax))
		return err
	})
	return out, err
}

func (c *Core) closureReasons(ctx context.Context, v store.CoreView, cu *supportbot.Customer) ([]supportbot.NotEligibleReason, error) {
	var reasons []supportbot.NotEligibleReason
	plans, err := v.Plans(ctx, cu.ID)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(plans, supportbot.Plan.Open) {
		reasons = append(reasons, supportbot.NotEligibleUnpaid)
	}
	sched, err := v.Scheduled(ctx, cu.ID)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(sched, func(r supportbot.ScheduledRepayment) bool {
		return r.Status == supportbot.ScheduledScheduled || r.Status == supportbot.ScheduledProcessing
	}) {
		reasons = append(reasons, supportbot.NotEligibleScheduled)
	}
	if cu.PendingRefunds > 0 {
		reasons = append(reasons, supportbot.NotEligiblePendingRefund)
	}
	return reasons, nil
}

// stillBlocked is ECONFLICT naming what stands in the way of completing
// r now, nil when nothing does.
func (c *Core) stillBlocked(ctx context.Context, v store.CoreView, r *supportbot.ClosureRequest) error {
	cu, err := c.customer(ctx, v, r.CustomerID)
	if err != nil {
		return err
	}
	reasons, err := c.closureReasons(ctx, v, cu)
	if err != nil || len(reasons) == 0 {
		return err
	}
	words := map[supportbot.NotEligibleReason]string{
		supportbot.NotEligibleUnpaid:        "a plan not paid off",
		supportbot.NotEligibleScheduled:     "a scheduled repayment",
		supportbot.NotEligiblePendingRefund: fmt.Sprintf("%d refund(s) in progress", cu.PendingRefunds),
	}
	var said []string
	for _, why := range reasons {
		said = append(said, words[why])
	}
	return supportbot.Errorf(supportbot.ECONFLICT, "%s cannot be completed: customer %s has %s now — reject it with a reason, or complete it once that is settled",
		r.Reference, r.CustomerID, strings.Join(said, ", "))
}

// DecideClosure records a decision on a submitted closure request (an
// operator's `supportbot closure set`, or an agent's /closure) and owes the
// bot a closure_request.decided event. EINVALID for a decision that breaks
// supportbot.CheckClosureDecision, ENOTFOUND for an unknown reference, ECONFLICT
// when it was decided already.
func (c *Core) DecideClosure(ctx context.Context, ref, status, reason string) (*supportbot.ClosureRequest, error) {
	ref, reason = strings.ToUpper(strings.TrimSpace(ref)), strings.TrimSpace(reason)
	reason, _ = supportbot.MaskSecrets(reason) // "卡号 6222…": kept, printed and told masked (an operator probe)
	if err := supportbot.CheckClosureDecision(status, reason); err != nil {
		return nil, supportbot.Errorf(supportbot.EINVALID, "%s, not %s %q", err, status, reason)
	}
	var out *supportbot.ClosureRequest
	err := c.db.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.DecideClosure(ctx, ref, status, reason)
		if err != nil {
			return err
		}
		if r.Status == supportbot.ClosureCompleted {
			// Completed while the customer owes again (an import gave them a
			// plan, a refund opened): the account closed over what it owes
			// (an operator probe) — refused, and why.
			if err := c.stillBlocked(ctx, tx.CoreView(), r); err != nil {
				return err
			}
		}
		out = r
		return tx.EmitCoreEvent(ctx, supportbot.CoreEvent{ID: "evt_" + randomID(), Type: supportbot.EventClosureRequestDecided,
			CreatedAt: c.now(), Closure: r})
	})
	return out, err
}

// idempotent runs an action once per key: the first final answer (a result
// or a refusal) is kept with the request and given again for the same key
// and request; the same key with another request is CoreKeyReused.
func (c *Core) idempotent(ctx context.Context, key, op string, req, out any, run func(*store.Tx) error) error {
	if err := checkKey(key); err != nil {
		return err
	}
	var refusal *supportbot.CoreError
	err := c.db.Update(ctx, func(tx *store.Tx) error {
		refusal = nil
		if err := tx.Lock(ctx, "core-key:"+key); err != nil {
			return err
		}
		if id := customerOf(req); id != "" {
			if err := tx.Lock(ctx, "core-customer:"+id); err != nil {
				return err
			}
		}
		if done, err := replay(ctx, tx.CoreView(), key, op, req, out); done || err != nil {
			return err
		}
		err := run(tx)
		if ce := supportbot.CoreErrorOf(err); ce != nil {
			refusal = ce
			return keepRefusal(ctx, tx, key, op, req, ce)
		} else if err != nil {
			return err
		}
		resp, err := json.Marshal(kept{Result: mustJSON(out)})
		if err != nil {
			return err
		}
		return tx.SaveCoreRequest(ctx, key, store.CoreRequest{Op: op, Request: canonical(req), Response: resp})
	})
	if err != nil {
		return err
	}
	if refusal != nil {
		return refusal
	}
	return nil
}

// lockCustomerOfQuote serialises the money operations of a quote's customer.
func (c *Core) lockCustomerOfQuote(ctx context.Context, tx *store.Tx, quoteID string) error {
	q, err := tx.CoreView().Quote(ctx, quoteID)
	if err != nil {
		return nil // an unknown quote is refused later
	}
	return tx.Lock(ctx, "core-customer:"+q.CustomerID)
}

// customerOf is the customer an action request names.
func customerOf(req any) string {
	switch r := req.(type) {
	case supportbot.QuoteRequest:
		return r.CustomerID
	case map[string]string:
		return r["customer_id"]
	}
	return ""
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// kept is a kept answer: a result, or a refusal.
type kept struct {
	Refusal *supportbot.CoreError `json:",omitempty"`
	Result  json.RawMessage       `json:",omitempty"`
}

// replay answers again what was answered for key: done is true when it did.
func replay(ctx context.Context, v store.CoreView, key, op string, req, out any) (bool, error) {
	prev, err := v.CoreRequest(ctx, key)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if prev.Op != op || prev.Request != canonical(req) {
		return true, refuse(422, supportbot.CoreKeyReused, "idempotency key used for another request")
	}
	var k kept
	if err := json.Unmarshal(prev.Response, &k); err != nil {
		return true, err
	}
	if k.Refusal != nil {
		return true, k.Refusal
	}
	if out == nil {
		return false, nil
	}
	return true, json.Unmarshal(k.Result, out)
}

// keepRefusal keeps a refusal for the key, so that the same request gets it
// again; the caller commits and then returns the refusal.
func keepRefusal(ctx context.Context, tx *store.Tx, key, op string, req any, ce *supportbot.CoreError) error {
	if ce.Code == supportbot.CoreKeyReused {
		return nil
	}
	resp, err := json.Marshal(kept{Refusal: ce})
	if err != nil {
		return err
	}
	return tx.SaveCoreRequest(ctx, key, store.CoreRequest{Op: op, Request: canonical(req), Response: resp})
}
func canonical(req any) string {
	b, _ := json.Marshal(req)
	return string(b)
}

// checkKey applies the contract's rule: 1–255 printable ASCII.
func checkKey(key string) error {
	if key == "" || len(key) > 255 {
		return refuse(400, "idempotency_key_invalid", "idempotency key must have 1-255 characters")
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return refuse(400, "idempotency_key_invalid", "idempotency key must be printable ASCII")
		}
	}
	return nil
}

// randomID is 20 random base32 characters (100 bits).
func randomID() string {
	b := make([]byte, 13)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:20]
}
