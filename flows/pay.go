package flows

import (
	"fmt"
	"slices"
	"strings"

	"supportbot"
)

// Pay a due bill: choose a plan → quote what is due now (the core's: every
// overdue period with its late fee or, when none is, the current period;
// periods the bank is already debiting left out, and said) → confirm →
// paying (a money action) → paid, exactly once.
func payFlow() *spec {
	return paymentFlow("pay", askPayPlan, func(s *Step) {
		s.say(s.T("pay.nothing"), s.billAndMessages())
	}, billPaid)
}

// payableSoon reports whether a plan has a bill to pay now: one overdue, or
// the next one due within dueSoonDays. Bill views offer "pay this period" then.
func payableSoon(p supportbot.Plan, today supportbot.Date) bool {
	next, ok := p.NextDue()
	return ok && today.DaysUntil(next.DueDate) <= dueSoonDays
}

// dueNow is what the plan owes now as the customer sees it in the list:
// every overdue period, or the current one, less the periods the bank is
// already debiting (busy: the quote leaves them out too); debiting reports
// that those were all there was. The quote itself is the core's.
func dueNow(p supportbot.Plan, today supportbot.Date, busy map[int]bool) (total supportbot.Money, overdue, debiting bool) {
	for _, n := range billPeriods(p, today) { // the bill rule, as a bill quote is held to it
		b, _ := billOf(&p, n)
		overdue = overdue || b.Overdue(today)
		if busy[b.Period] {
			debiting = true
			continue
		}
		total += b.Principal + b.Fee + b.LateFee
	}
	return total, overdue, debiting && total == 0
}

// lateFeesDue is what of dueNow's total is late fees.
func lateFeesDue(p supportbot.Plan, today supportbot.Date, busy map[int]bool) supportbot.Money {
	var late supportbot.Money
	for _, n := range billPeriods(p, today) {
		if b, _ := billOf(&p, n); !busy[b.Period] {
			late += b.LateFee
		}
	}
	return late
}

func askPayPlan(s *Step) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	var rows [][]supportbot.Button
	for i, p := range open {
		total, overdue, debiting := dueNow(p, s.today, supportbot.DebitingPeriods(p.ID, sched, s.now))
		key := "pay.plan_current"
		switch {
		case debiting && soonOnly(p.ID, sched, s.now):
			key = "pay.plan_soon" // not started: "扣款中" beside the bill's "将在 10:17 扣款" (a probe)
		case debiting:
			key = "pay.plan_busy"
		case overdue:
			key = "pay.plan_overdue"
		}
		label := fmt.Sprintf("%d. %s · %s", i+1, listName(p, open), s.T(key, "amount", money(total)))
		rows = append(rows, []supportbot.Button{s.btn(label, "plan", p.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(s.T("pay.choose"), rows...)
	return nil
}

// billPaid tells the customer the periods are paid, and what comes next.
func billPaid(s *Step, a *supportbot.Action) error {
	r := a.Outcome.Repayment
	s.audit("repay_bill", map[string]any{"plan_id": a.PlanID, "periods": r.Periods, "amount_fen": int64(r.Amount),
		"quote_id": r.QuoteID, "card_id": r.CardID, "repayment_id": r.ID, "key": a.Key, "cancelled_scheduled": r.CancelledScheduledIDs})
	s.notice("repay_bill", map[string]string{"product": a.Product, "periods": periodsKey(r.Periods), "amount": money(r.Amount),
		"card": a.Card, "reference": r.ID})
	s.core.forget(s.conv.CustomerID)
	lines := []string{s.T("pay.done", "product", a.Product, "periods", periodList(s, r.Periods), "n", len(r.Periods),
		"amount", money(r.Amount), "card", a.Card, "reference", r.ID)}
	if n := len(r.CancelledScheduledIDs); n > 0 {
		lines = append(lines, s.T("pay.done_cancelled", "count", n))
	}
	p, err := s.plan(a.PlanID)
	if err = extra(err); err != nil {
		return err
	}
	rows := [][]supportbot.Button{s.billAndMessages()}
	left, err := bookingsLeft(s, a)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		lines = append(lines, left...)
		rows = append([][]supportbot.Button{{s.menuBtn(s.T("menu.cancel"), "cancel"), s.humanBtn()}}, rows...)
	}
	if p != nil {
		switch next, ok := nextNotOverdue(*p, s.today); {
		case !p.Open():
			lines = append(lines, "", s.T("pay.plan_settled", "product", p.Product))
		case ok:
			lines = append(lines, "", s.T("bill.next_due", "date", s.day(next.DueDate), "amount", money(next.Amount())))
			if !p.AutoRepay {
				lines = append(lines, s.T("pay.suggest_autopay"))
				rows = append(rows, []supportbot.Button{s.menuBtn(s.T("menu.autopay"), "autopay")})
			}
		}
	}
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

// bookingsLeft are warnings of the bookings of the periods a repayment paid
// that are still to run after it: the quote said they would be cancelled
// with it, and a core that did not (its cancelled_scheduled_ids short)
// would debit those periods again (a money probe: the payoff was told as
// done, the booking left to run). Each is audited.
func bookingsLeft(s *Step, a *supportbot.Action) ([]string, error) {
	r := a.Outcome.Repayment
	sched, err := s.scheduled()
	if err != nil {
		return nil, extra(err)
	}
	var lines []string
	for _, b := range sched {
		if b.PlanID != a.PlanID || b.Status != supportbot.ScheduledScheduled || b.Debiting(s.now) || !b.RunAt.After(s.now) ||
			!slices.Contains(r.Periods, b.Period) || slices.Contains(r.CancelledScheduledIDs, b.ID) {
			continue
		}
		s.audit("booking_left", map[string]any{"plan_id": a.PlanID, "scheduled_id": b.ID, "period": b.Period, "repayment_id": r.ID, "key": a.Key})
		lines = append(lines, s.T("pay.booking_left", "period", b.Period, "time", when(s, b.RunAt)))
	}
	return lines, nil
}
