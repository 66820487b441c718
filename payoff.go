package supportbot

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
func ComputePayoff(p Plan, today Date) Payoff {
	q := Payoff{PrepayRateBP: p.PrepayFeeRateBP}
	for _, b := range p.Bills {
		if b.Status != BillUnpaid {
			continue
		}
		q.Principal += b.Principal
		if b.DueDate <= today {
			q.DueFees += b.Fee
			q.LateFees += b.LateFee
		} else {
			q.NotDue += b.Principal
		}
	}
	q.PrepayFee = Money(mulDivHalfUp(int64(q.NotDue), p.PrepayFeeRateBP, 10000))
	q.Total = q.Principal + q.DueFees + q.LateFees + q.PrepayFee
	return q
}

// mulDivHalfUp is a×b/d rounded half up, for non-negative a, b and positive d.
func mulDivHalfUp(a, b, d int64) int64 {
	return (a*b*2 + d) / (2 * d)
}
