package flows

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/looplab/fsm"

	"supportbot"
)

// Early repayment: choose a plan → quote → confirm → paid, exactly once. The
// quote id is the payment's idempotency key; the confirm button carries it.
func repayFlow() *spec {
	return &spec{
		name:          "repay",
		needsCustomer: true,
		initial:       "idle",
		events: fsm.Events{
			{Name: "choose", Src: []string{"idle"}, Dst: "choosing"},
			{Name: "quote", Src: []string{"idle", "choosing", "quoted"}, Dst: "quoted"},
			{Name: "pay", Src: []string{"quoted"}, Dst: "paid"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_choosing": func(_ ctxT, e *fsm.Event) { e.Err = askPlan(s) },
				// after_, not enter_: a new quote from "quoted" is a self-transition.
				"after_quote": func(_ ctxT, e *fsm.Event) { e.Err = showQuote(s, e.Args[0].(*supportbot.Plan), argString(e.Args, 1)) },
				"enter_paid":  func(_ ctxT, e *fsm.Event) { e.Err = paid(s, e.Args[0].(*supportbot.Payment)) },
			}
		},
		start:  startRepay,
		handle: handleRepay,
		stale:  staleQuote,
	}
}

func startRepay(s *Step, planID string) error {
	open, err := openPlans(s)
	if err != nil {
		return err
	}
	for i := range open {
		if open[i].ID == planID {
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
	open, err := openPlans(s)
	if err != nil {
		return err
	}
	var rows [][]supportbot.Button
	for i, p := range open {
		label := fmt.Sprintf("%d. %s · %s", i+1, p.Product, money(p.Remaining()))
		rows = append(rows, []supportbot.Button{s.btn(label, "plan:"+p.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(s.T("repay.choose"), rows...)
	return nil
}

// showQuote computes a fresh quote for p and asks to confirm it. note, if
// set, says why the customer sees a new quote.
func showQuote(s *Step, p *supportbot.Plan, note string) error {
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	if len(cards) == 0 {
		s.finish()
		s.say(s.T("repay.no_card"), []supportbot.Button{s.humanBtn()})
		return nil
	}
	card := quoteCard(s, cards)
	scope, err := payoffScope(s, p)
	if err != nil {
		return err
	}
	if len(scope.periods) == 0 { // every unpaid period is being debited already
		s.finish()
		s.say(s.T("repay.all_debiting", "product", p.Product, "periods", periodList(s, scope.debiting)), s.menuRows()...)
		return nil
	}
	q := supportbot.ComputePayoff(scope.plan, s.today)
	qid, expires := newQuote(s, p, q.Total, card, "periods", periodsKey(scope.periods), "debiting", periodsKey(scope.debiting))
	var lines []string
	if note != "" {
		lines = append(lines, s.T(note, "amount", money(q.Total)), "")
	}
	lines = append(lines,
		s.T("repay.quote_header", "product", p.Product, "order", p.OrderNo),
		s.T("repay.quote_principal", "amount", money(q.Principal)))
	if len(scope.debiting) > 0 {
		lines = append(lines, s.T("repay.quote_debiting", "periods", periodList(s, scope.debiting)))
	}
	if q.DueFees > 0 {
		lines = append(lines, s.T("repay.quote_fees", "amount", money(q.DueFees)))
	}
	if q.LateFees > 0 {
		lines = append(lines, s.T("repay.quote_late_fees", "amount", money(q.LateFees)))
	}
	lines = append(lines,
		s.T("repay.quote_prepay_fee", "rate", rate(q.PrepayRateBP), "base", money(q.NotDue), "amount", money(q.PrepayFee)),
		s.T("repay.quote_total", "amount", money(q.Total)),
		s.T("repay.quote_card", "card", card.Masked()),
		s.T("repay.quote_valid", "time", validUntil(s, expires)))
	rows := [][]supportbot.Button{{s.btn(s.T("repay.btn_confirm", "amount", money(q.Total)), "ok:"+qid)}}
	if len(cards) > 1 {
		rows = append(rows, []supportbot.Button{s.btn(s.T("repay.btn_card"), "cards")})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return s.appendAnnouncement()
}

// rate formats basis points as a percentage: 150 → 1.50%.
func rate(bp int64) string { return fmt.Sprintf("%d.%02d%%", bp/100, bp%100) }

func handleRepay(s *Step, action string) (bool, error) {
	if action == "" { // free text
		return quoteText(s, "repay", confirmRepay)
	}
	return quoteAction(s, "repay", action, confirmRepay)
}

// confirmRepay pays the quote qid, if it is still the current, unexpired and
// accurate quote; otherwise it re-quotes with the reason.
func confirmRepay(s *Step, qid string) error {
	slots := s.conv.Slots
	p, err := quotedPlan(s, qid)
	if p == nil || err != nil {
		return err
	}
	if !p.Open() {
		s.finish()
		s.say(s.T("repay.already_settled", "product", p.Product), s.menuRows()...)
		return nil
	}
	if quoteExpired(s) {
		return s.fire("repay", "quote", p, "repay.expired")
	}
	scope, err := payoffScope(s, p)
	if err != nil {
		return err
	}
	q := supportbot.ComputePayoff(scope.plan, s.today)
	if quoteChanged(s, p, q.Total) || periodsKey(scope.periods) != slots["periods"] || periodsKey(scope.debiting) != slots["debiting"] {
		return s.fire("repay", "quote", p, "repay.changed")
	}
	card, err := customerCard(s, slots["card"])
	if err != nil {
		return err
	}
	if card == nil {
		return s.fire("repay", "quote", p, "repay.changed")
	}
	pay, ok, err := chargeQuote(s, "early_repayment", p, card, q.Total)
	if !ok || err != nil {
		return err
	}
	if _, err := s.tx.PayBills(s.ctx, s.conv.CustomerID, p.ID, scope.periods...); err != nil {
		return err
	}
	// Only the schedules of the periods paid now: one already debiting is left to run.
	cancelled, err := s.tx.CancelPeriodSchedules(s.ctx, s.conv.CustomerID, p.ID, scope.periods...)
	if err != nil {
		return err
	}
	if err := s.audit("early_repayment", map[string]any{
		"plan_id": p.ID, "amount_fen": int64(q.Total), "quote_id": qid, "card_id": card.ID,
		"prepay_fee_fen": int64(q.PrepayFee), "cancelled_scheduled": cancelled,
	}); err != nil {
		return err
	}
	if err := s.notice("early_repayment", map[string]string{
		"product": p.Product, "amount": money(q.Total), "card": card.Masked(), "reference": qid,
	}); err != nil {
		return err
	}
	slots["product"], slots["card_masked"], slots["cancelled"] = p.Product, card.Masked(), strconv.Itoa(len(cancelled))
	return s.fire("repay", "pay", pay)
}

// payoff is what a payoff covers.
type payoff struct {
	plan     supportbot.Plan // the plan without the periods being debited
	periods  []int           // the unpaid periods it pays
	debiting []int           // unpaid periods a scheduled repayment is debiting now
}

// payoffScope leaves out of a payoff the periods a scheduled repayment is
// already debiting (processing, or running within the cancel cutoff): that
// debit pays them, and paying them here too would charge twice.
func payoffScope(s *Step, p *supportbot.Plan) (payoff, error) {
	sched, err := s.tx.Scheduled(s.ctx, s.conv.CustomerID)
	if err != nil {
		return payoff{}, err
	}
	busy := map[int]bool{}
	for _, r := range sched {
		if r.PlanID == p.ID && (r.Status == supportbot.ScheduledProcessing ||
			r.Status == supportbot.ScheduledScheduled && r.RunAt.Sub(s.now) < cancelCutoff) {
			busy[r.Period] = true
		}
	}
	sc := payoff{plan: *p}
	sc.plan.Bills = nil
	for _, b := range p.Bills {
		switch {
		case b.Status != supportbot.BillUnpaid:
			sc.plan.Bills = append(sc.plan.Bills, b)
		case busy[b.Period]:
			sc.debiting = append(sc.debiting, b.Period)
		default:
			sc.plan.Bills = append(sc.plan.Bills, b)
			sc.periods = append(sc.periods, b.Period)
		}
	}
	return sc, nil
}

func paid(s *Step, pay *supportbot.Payment) error {
	slots := s.conv.Slots
	s.finish()
	text := s.T("repay.done", "product", slots["product"], "amount", money(pay.Amount), "card", slots["card_masked"], "reference", pay.Key)
	if slots["debiting"] != "" {
		text = s.T("repay.done_but_debiting", "product", slots["product"], "amount", money(pay.Amount), "card", slots["card_masked"],
			"reference", pay.Key, "periods", slots["debiting"])
	}
	if slots["cancelled"] != "0" {
		text += "\n" + s.T("repay.done_cancelled", "count", slots["cancelled"])
	}
	open, err := openPlans(s)
	if err != nil {
		return err
	}
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.messages"), "messages")}}
	if len(open) == 0 {
		text += "\n\n" + s.T("repay.all_settled")
		rows = append([][]supportbot.Button{{s.menuBtn(s.T("menu.close"), "close")}}, rows...)
	}
	s.say(text, rows...)
	return nil
}
