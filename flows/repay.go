package flows

import (
	"fmt"
	"strings"

	"supportbot"
)

// Early repayment: choose a plan → quote (the core's, by the payoff rule) →
// confirm → paying (a money action) → paid, exactly once.
func repayFlow() *spec {
	return paymentFlow("repay", askPlan, func(s *Step) {
		s.say(s.T("repay.nothing"), []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill")}, []supportbot.Button{s.menuBtn(s.T("menu.close"), "close")})
	}, repaid)
}

func askPlan(s *Step) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	var rows [][]supportbot.Button
	for i, p := range open {
		label := fmt.Sprintf("%d. %s · %s", i+1, listName(p, open), money(p.Remaining()))
		rows = append(rows, []supportbot.Button{s.btn(label, "plan", p.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	lead := s.T("repay.choose")
	if l := strings.ToLower(strings.TrimSpace(s.ev.Text)); len(open) > 1 && s.ev.Kind == supportbot.EventText &&
		(allPayoffsAsked.MatchString(l) || s.conv.State == "choosing" && sumFollowUp.MatchString(l)) {
		// "全部提前还清要多少钱", "那一共是多少" at this list: what paying
		// off each costs today, and the sum (a probe: the list alone,
		// then unsure).
		sum, err := payoffsTotal(s, open)
		if err != nil {
			return err
		}
		lead = sum + "\n\n" + lead
	}
	s.say(lead, rows...)
	return nil
}

// repaid tells the customer their plan is paid off (and, when nothing is
// owed any more, that closing the account is possible).
func repaid(s *Step, a *supportbot.Action) error {
	r := a.Outcome.Repayment
	s.audit("early_repayment", map[string]any{"plan_id": a.PlanID, "amount_fen": int64(r.Amount), "quote_id": r.QuoteID,
		"card_id": r.CardID, "repayment_id": r.ID, "key": a.Key, "cancelled_scheduled": r.CancelledScheduledIDs})
	s.notice("early_repayment", map[string]string{"product": a.Product, "amount": money(r.Amount), "card": a.Card, "reference": r.ID})
	s.core.forget(s.conv.CustomerID)
	text := s.T("repay.done", "product", a.Product, "amount", money(r.Amount), "card", a.Card, "reference", r.ID)
	p, err := s.plan(a.PlanID)
	if err = extra(err); err != nil {
		return err
	}
	if p != nil && p.Open() { // periods left to a debit already running
		var left []int
		for _, b := range p.Bills {
			if b.Status == supportbot.BillUnpaid {
				left = append(left, b.Period)
			}
		}
		text = s.T("repay.done_but_debiting", "product", a.Product, "amount", money(r.Amount), "card", a.Card,
			"reference", r.ID, "periods", periodList(s, left), "n", len(left))
	}
	if n := len(r.CancelledScheduledIDs); n > 0 {
		text += "\n" + s.T("repay.done_cancelled", "count", n)
	}
	open, err := s.openPlans()
	known := err == nil
	if err = extra(err); err != nil {
		return err
	}
	rows := [][]supportbot.Button{s.billAndMessages()}
	left, err := bookingsLeft(s, a)
	if err != nil {
		return err
	}
	if len(left) > 0 {
		text += "\n\n" + strings.Join(left, "\n")
		rows = append([][]supportbot.Button{{s.menuBtn(s.T("menu.cancel"), "cancel"), s.humanBtn()}}, rows...)
	}
	if known && len(open) == 0 {
		// The closure offered only when nothing else stands in its way
		// that is known here: a refund in progress does (an audit: the
		// offer, and its button, led to a refusal).
		if c, err := s.customer(); err == nil && c.PendingRefunds > 0 {
			text += "\n\n" + s.T("repay.all_settled_refunds", "count", c.PendingRefunds)
		} else {
			text += "\n\n" + s.T("repay.all_settled")
			rows = append([][]supportbot.Button{{s.menuBtn(s.T("menu.close"), "close")}}, rows...)
		}
	}
	s.say(text, rows...)
	return nil
}
