package supportbot

import "slices"

// Payoff is what paying off a plan today costs, and its parts.
type Payoff struct {
	Principal    Money // unpaid principal of every unpaid period
	DueFees      Money // fee of every unpaid period due on or before today
	LateFees     Money // late fee of every unpaid period due on or before today
	NotDue       Money // unpaid principal of the periods due after today
	PrepayFee    Money // NotDue × rate, rounded half up to the fen
	PrepayRateBP int64
	Total        Money
}

// ComputePayoff applies the payoff rule: unpaid principal of every unpaid period,
// plus fee and late fee of every unpaid period due on or before today, plus the
// prepayment fee on the principal not yet due. Fees of periods not yet due are
// waived.
// Every sum is checked (SumMoney): amounts out of bounds are ErrMoneyBounds,
// never a wrapped total.
func ComputePayoff(p Plan, today Date) (Payoff, error) {
	q := Payoff{PrepayRateBP: p.PrepayFeeRateBP}
	if p.PrepayFeeRateBP < 0 || p.PrepayFeeRateBP > 10000 {
		return q, ErrMoneyBounds
	}
	var err error
	add := func(to *Money, m Money) {
		if err == nil {
			*to, err = SumMoney(*to, m)
		}
	}
	for _, b := range p.Bills {
		if b.Status != BillUnpaid {
			continue
		}
		add(&q.Principal, b.Principal)
		if b.DueDate <= today {
			add(&q.DueFees, b.Fee)
			add(&q.LateFees, b.LateFee)
		} else {
			add(&q.NotDue, b.Principal)
		}
	}
	if err != nil {
		return q, err
	}
	// NotDue ≤ MaxMoney (1e12) and the rate ≤ 10000: the product fits int64.
	q.PrepayFee = Money(mulDivHalfUp(int64(q.NotDue), p.PrepayFeeRateBP, 10000))
	q.Total, err = SumMoney(q.Principal, q.DueFees, q.LateFees, q.PrepayFee)
	return q, err
}

// mulDivHalfUp is a×b/d rounded half up, for non-negative a, b and positive
// d with a×b×2 within int64.
func mulDivHalfUp(a, b, d int64) int64 {
	return (a*b*2 + d) / (2 * d)
}

// PayoffParts is what paying off periods of p costs today by the payoff
// rule, part by part: ComputePayoff over the plan with its other unpaid
// periods left out (a debit running for them). The core prices a payoff
// quote with it, and the bot holds a core's quote to it.
func PayoffParts(p Plan, periods []int, today Date) (QuoteParts, error) {
	sub := p
	sub.Bills = nil
	for _, b := range p.Bills {
		if b.Status != BillUnpaid || slices.Contains(periods, b.Period) {
			sub.Bills = append(sub.Bills, b)
		}
	}
	q, err := ComputePayoff(sub, today)
	if err != nil {
		return QuoteParts{}, err
	}
	return QuoteParts{Principal: q.Principal, Fees: q.DueFees, LateFees: q.LateFees, PrepayFee: q.PrepayFee}, nil
}
