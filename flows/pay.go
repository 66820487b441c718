package flows

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/looplab/fsm"

	"supportbot"
)

// Pay a due bill: choose a plan → quote what is due now → confirm → paid,
// exactly once. What is due now is every overdue period with its late fee or,
// when none is overdue, the current period. The quote works like an early
// repayment's (see payment.go): its id is the payment's idempotency key, it
// expires, and a plan that changed since is quoted again.
func payFlow() *spec {
	return &spec{
		name:          "pay",
		needsCustomer: true,
		initial:       "idle",
		events: fsm.Events{
			{Name: "choose", Src: []string{"idle"}, Dst: "choosing"},
			{Name: "quote", Src: []string{"idle", "choosing", "quoted"}, Dst: "quoted"},
			{Name: "pay", Src: []string{"quoted"}, Dst: "paid"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_choosing": func(_ ctxT, e *fsm.Event) { e.Err = askPayPlan(s) },
				// after_, not enter_: a new quote from "quoted" is a self-transition.
				"after_quote": func(_ ctxT, e *fsm.Event) {
					e.Err = showBillQuote(s, e.Args[0].(*supportbot.Plan), argString(e.Args, 1))
				},
				"enter_paid": func(_ ctxT, e *fsm.Event) { e.Err = billPaid(s, e.Args[0].(*supportbot.Payment)) },
			}
		},
		start:  startPay,
		handle: handlePay,
		stale:  staleQuote,
	}
}

// billDue is what paying a plan's bill costs today.
type billDue struct {
	Bills   []supportbot.Bill // the periods to pay, in order
	Overdue bool              // they are the overdue ones, not the current one
	Total   supportbot.Money  // their principal, fees and late fees
	// Busy are unpaid periods left out because the bank is already debiting a
	// scheduled repayment of theirs: paying them too would charge twice.
	Busy []int
	// sched are the customer's scheduled repayments it was computed from.
	sched []supportbot.ScheduledRepayment
}

// dueNow applies the rule: every overdue period (unpaid, due before today)
// with its principal, fee and late fee; if none is overdue, the current period
// (the earliest unpaid one) with its principal, fee and late fee if any.
func dueNow(p supportbot.Plan, today supportbot.Date, sched []supportbot.ScheduledRepayment) billDue {
	busy := map[int]bool{}
	for _, r := range sched {
		if r.PlanID == p.ID && r.Status == supportbot.ScheduledProcessing {
			busy[r.Period] = true
		}
	}
	d := billDue{sched: sched}
	for _, b := range p.Bills {
		if !b.Overdue(today) {
			continue
		}
		if busy[b.Period] {
			d.Busy = append(d.Busy, b.Period)
		} else {
			d.Bills = append(d.Bills, b)
		}
	}
	d.Overdue = len(d.Bills) > 0
	if next, ok := p.NextDue(); ok && !d.Overdue && !next.Overdue(today) {
		if busy[next.Period] {
			d.Busy = append(d.Busy, next.Period)
		} else {
			d.Bills = []supportbot.Bill{next}
		}
	}
	for _, b := range d.Bills {
		d.Total += b.Principal + b.Fee + b.LateFee
	}
	return d
}

func (d billDue) periods() []int {
	ps := make([]int, len(d.Bills))
	for i, b := range d.Bills {
		ps[i] = b.Period
	}
	return ps
}

// periodsKey is the periods as the slots and the notices keep them: "6, 7".
func periodsKey(ps []int) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = strconv.Itoa(p)
	}
	return strings.Join(parts, ", ")
}

// periodList is the periods as the customer reads them: 6、7 or 6, 7.
func periodList(s *Step, ps []int) string {
	if s.conv.Lang == supportbot.LangEN {
		return periodsKey(ps)
	}
	return strings.ReplaceAll(periodsKey(ps), ", ", "、")
}

// payableSoon reports whether a plan has a bill to pay now: one overdue, or
// the next one due within dueSoonDays. Bill views offer "pay this period" then.
func payableSoon(p supportbot.Plan, today supportbot.Date) bool {
	next, ok := p.NextDue()
	return ok && today.DaysUntil(next.DueDate) <= dueSoonDays
}

func startPay(s *Step, planID string) error {
	open, err := openPlans(s)
	if err != nil {
		return err
	}
	for i := range open {
		if open[i].ID == planID {
			return s.fire("pay", "quote", &open[i])
		}
	}
	switch len(open) {
	case 0:
		s.say(s.T("pay.nothing"), []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.messages"), "messages")})
		return nil
	case 1:
		return s.fire("pay", "quote", &open[0])
	}
	return s.fire("pay", "choose")
}

func askPayPlan(s *Step) error {
	open, err := openPlans(s)
	if err != nil {
		return err
	}
	sched, err := s.tx.Scheduled(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	var rows [][]supportbot.Button
	for i, p := range open {
		d := dueNow(p, s.today, sched)
		key := "pay.plan_current"
		switch {
		case len(d.Bills) == 0:
			key = "pay.plan_busy"
		case d.Overdue:
			key = "pay.plan_overdue"
		}
		label := fmt.Sprintf("%d. %s · %s", i+1, p.Product, s.T(key, "amount", money(d.Total)))
		rows = append(rows, []supportbot.Button{s.btn(label, "plan:"+p.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(s.T("pay.choose"), rows...)
	return nil
}

// showBillQuote quotes what is due now on p and asks to confirm it. note, if
// set, says why the customer sees a new quote.
func showBillQuote(s *Step, p *supportbot.Plan, note string) error {
	d, ok, err := payableNow(s, p)
	if !ok || err != nil {
		return err
	}
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	if len(cards) == 0 {
		s.finish()
		s.say(s.T("pay.no_card")+"\n\n"+s.T("cards.bind_howto"), []supportbot.Button{s.humanBtn()})
		return nil
	}
	card := quoteCard(s, cards)
	qid, expires := newQuote(s, p, d.Total, card, "periods", periodsKey(d.periods()))

	var lines []string
	if note != "" {
		lines = append(lines, s.T(note, "amount", money(d.Total)), "")
	}
	header := "pay.quote_current"
	if d.Overdue {
		header = "pay.quote_overdue"
	}
	lines = append(lines, s.T(header, "product", p.Product, "order", p.OrderNo))
	for _, b := range d.Bills {
		key := "pay.period"
		switch {
		case b.Overdue(s.today):
			key = "pay.period_overdue"
		case b.LateFee > 0:
			key = "pay.period_late"
		}
		lines = append(lines, s.T(key, "period", b.Period, "date", b.DueDate.Format(s.conv.Lang), "principal", money(b.Principal),
			"fee", money(b.Fee), "late_fee", money(b.LateFee), "amount", money(b.Principal+b.Fee+b.LateFee)))
	}
	if len(d.Busy) > 0 {
		lines = append(lines, s.T("pay.busy_left_out", "periods", periodList(s, d.Busy)))
	}
	lines = append(lines,
		s.T("repay.quote_total", "amount", money(d.Total)),
		s.T("repay.quote_card", "card", card.Masked()))
	for _, r := range schedulesOf(d.sched, p.ID, d.periods()) {
		lines = append(lines, s.T("pay.quote_cancels", "period", r.Period, "time", when(s, r.RunAt)))
	}
	lines = append(lines, s.T("pay.quote_valid", "time", validUntil(s, expires)))
	rows := [][]supportbot.Button{{s.btn(s.T("repay.btn_confirm", "amount", money(d.Total)), "ok:"+qid)}}
	if len(cards) > 1 {
		rows = append(rows, []supportbot.Button{s.btn(s.T("repay.btn_card"), "cards")})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return s.appendAnnouncement()
}

// schedulesOf are the still-scheduled repayments of these periods of a plan:
// paying the periods cancels them.
func schedulesOf(sched []supportbot.ScheduledRepayment, planID string, periods []int) []supportbot.ScheduledRepayment {
	var out []supportbot.ScheduledRepayment
	for _, r := range sched {
		if r.PlanID != planID || r.Status != supportbot.ScheduledScheduled {
			continue
		}
		for _, p := range periods {
			if r.Period == p {
				out = append(out, r)
			}
		}
	}
	return out
}

// nothingDue says there is nothing to pay on p now: it is paid off, or the
// bank is debiting what is due.
func nothingDue(s *Step, p *supportbot.Plan, d billDue) error {
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("btn.menu"), "menu")}}
	if len(d.Busy) > 0 {
		s.say(s.T("pay.busy", "product", p.Product, "periods", periodList(s, d.Busy)), rows...)
		return nil
	}
	s.say(s.T("repay.already_settled", "product", p.Product), rows...)
	return nil
}

func handlePay(s *Step, action string) (bool, error) {
	if action == "" {
		return quoteText(s, "pay", confirmPay)
	}
	return quoteAction(s, "pay", action, confirmPay)
}

// confirmPay pays the quote qid, if it is still the current, unexpired and
// accurate quote; otherwise it re-quotes with the reason.
func confirmPay(s *Step, qid string) error {
	slots := s.conv.Slots
	p, err := quotedPlan(s, qid)
	if p == nil || err != nil {
		return err
	}
	d, ok, err := payableNow(s, p)
	if !ok || err != nil {
		return err
	}
	if quoteExpired(s) {
		return s.fire("pay", "quote", p, "repay.expired")
	}
	periods := d.periods()
	if quoteChanged(s, p, d.Total) || periodsKey(periods) != slots["periods"] {
		return s.fire("pay", "quote", p, "repay.changed")
	}
	card, err := customerCard(s, slots["card"])
	if err != nil {
		return err
	}
	if card == nil {
		return s.fire("pay", "quote", p, "repay.changed")
	}
	pay, ok, err := chargeQuote(s, "repay_bill", p, card, d.Total)
	if !ok || err != nil {
		return err
	}
	if _, err := s.tx.PayBills(s.ctx, s.conv.CustomerID, p.ID, periods...); err != nil {
		return err
	}
	cancelled, err := s.tx.CancelPeriodSchedules(s.ctx, s.conv.CustomerID, p.ID, periods...)
	if err != nil {
		return err
	}
	if err := s.audit("repay_bill", map[string]any{
		"plan_id": p.ID, "periods": periods, "amount_fen": int64(d.Total), "quote_id": qid, "card_id": card.ID,
		"cancelled_scheduled": cancelled,
	}); err != nil {
		return err
	}
	if err := s.notice("repay_bill", map[string]string{
		"product": p.Product, "periods": periodsKey(periods), "amount": money(d.Total), "card": card.Masked(), "reference": qid,
	}); err != nil {
		return err
	}
	slots["product"], slots["card_masked"], slots["cancelled"] = p.Product, card.Masked(), strconv.Itoa(len(cancelled))
	return s.fire("pay", "pay", pay)
}

func billPaid(s *Step, pay *supportbot.Payment) error {
	slots := s.conv.Slots
	s.finish()
	var periods []int
	for _, f := range strings.Split(slots["periods"], ", ") {
		if n, err := strconv.Atoi(f); err == nil {
			periods = append(periods, n)
		}
	}
	lines := []string{s.T("pay.done", "product", slots["product"], "periods", periodList(s, periods),
		"amount", money(pay.Amount), "card", slots["card_masked"], "reference", pay.Key)}
	if slots["cancelled"] != "0" {
		lines = append(lines, s.T("pay.done_cancelled", "count", slots["cancelled"]))
	}
	p, err := s.tx.Plan(s.ctx, s.conv.CustomerID, pay.PlanID)
	if err != nil {
		return err
	}
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.messages"), "messages")}}
	switch next, ok := nextNotOverdue(*p, s.today); {
	case !p.Open():
		lines = append(lines, "", s.T("pay.plan_settled", "product", p.Product))
	case ok:
		lines = append(lines, "", s.T("bill.next_due", "date", next.DueDate.Format(s.conv.Lang), "amount", money(next.Amount())))
		if !p.AutoRepay {
			lines = append(lines, s.T("pay.suggest_autopay"))
			rows = append(rows, []supportbot.Button{s.menuBtn(s.T("menu.autopay"), "autopay")})
		}
	}
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

// payableNow is what is due now on p; ok is false, with the customer told,
// when nothing is (paid, or being debited already).
func payableNow(s *Step, p *supportbot.Plan) (billDue, bool, error) {
	sched, err := s.tx.Scheduled(s.ctx, s.conv.CustomerID)
	if err != nil {
		return billDue{}, false, err
	}
	d := dueNow(*p, s.today, sched)
	if len(d.Bills) == 0 {
		s.finish()
		return d, false, nothingDue(s, p, d)
	}
	return d, true, nil
}
