package flows

import (
	"fmt"

	"github.com/looplab/fsm"

	"supportbot"
	"supportbot/locale"
)

// Early repayment: choose a plan → quote (the core's, by the payoff rule) →
// confirm → paying (a money action) → paid, exactly once.
func repayFlow() *spec {
	return &spec{
		name:          "repay",
		needsCustomer: true,
		reads:         []coreRead{readPlans, readCards, readScheduled},
		initial:       "idle",
		events: fsm.Events{
			{Name: "choose", Src: []string{"idle"}, Dst: "choosing"},
			{Name: "quote", Src: []string{"idle", "choosing", "quoted", "paying"}, Dst: "quoted"},
			{Name: "pay", Src: []string{"quoted"}, Dst: "paying"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_choosing": func(_ ctxT, e *fsm.Event) { e.Err = askPlan(s) },
				// after_, not enter_: a new quote from "quoted" is a self-transition.
				"after_quote": func(_ ctxT, e *fsm.Event) {
					e.Err = getQuote(s, "repay", e.Args[0].(*supportbot.Plan), argString(e.Args, 1))
				},
				"enter_paying": func(_ ctxT, e *fsm.Event) { paying(s, e.Args[0].(*supportbot.Action)) },
			}
		},
		start:   startRepay,
		handle:  handleRepay,
		stale:   staleQuote,
		settled: func(s *Step, a *supportbot.Action) error { return settledPayment(s, a, repaid) },
	}
}

func startRepay(s *Step, planID string) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	for i := range open {
		if namesID(planID, open[i].ID) {
			return s.fire("repay", "quote", &open[i])
		}
	}
	switch len(open) {
	case 0:
		s.say(s.T("repay.nothing"), []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill")}, []supportbot.Button{s.menuBtn(s.T("menu.close"), "close")})
		return nil
	case 1:
		return s.fire("repay", "quote", &open[0])
	}
	return s.fire("repay", "choose")
}

func askPlan(s *Step) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	var rows [][]supportbot.Button
	for i, p := range open {
		label := fmt.Sprintf("%d. %s · %s", i+1, locale.Escape(p.Product), money(p.Remaining()))
		rows = append(rows, []supportbot.Button{s.btn(label, "plan", p.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(s.T("repay.choose"), rows...)
	return nil
}

func handleRepay(s *Step, a action) (bool, error) {
	if a.Name == "" { // free text
		return quoteText(s, "repay")
	}
	return quoteAction(s, "repay", a)
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
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.messages"), "messages")}}
	if known && len(open) == 0 {
		text += "\n\n" + s.T("repay.all_settled")
		rows = append([][]supportbot.Button{{s.menuBtn(s.T("menu.close"), "close")}}, rows...)
	}
	s.say(text, rows...)
	return nil
}
