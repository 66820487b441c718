package flows

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"supportbot"
)

// bookingFateAsked asks why a scheduled repayment was cancelled or did not
// debit ("为什么我的预约被取消了", "我的预约还款怎么没扣", "why was my
// scheduled payment cancelled", "my scheduled payment didn't go through") —
// not how to cancel one, nor what cancelling would do.
var bookingFateAsked = regexp.MustCompile(
	`(?:为什么|为啥|怎么|咋)[^，。,?？!！]{0,8}预约[^，。,?？!！]{0,8}(?:被取消|取消了|没了|不见了|失败|没扣|没有扣|没成功|没执行)|` +
		`预约(?:还款|扣款)?[^，。,?？!！]{0,8}(?:为什么|为啥|怎么|咋)[^，。,?？!！]{0,4}(?:被取消|取消了|没了|不见了|失败|没扣|没有扣|没成功|没执行)|` +
		`预约(?:还款|扣款)?(?:怎么|咋|为什么|为啥)?被(?:系统)?取消了?[？?]*$|预约(?:还款|扣款)?的?(?:扣款)?失败了?[？?]*$|` +
		`\b(?:why|how come)\b.{0,20}\b(?:scheduled|booked|automatic) (?:re)?payments?\b.{0,12}\b(?:cancel+ed|fail(?:ed)?|not (?:go|gone) through|didn'?t (?:go through|run|happen)|not (?:taken|debited|run))\b|` +
		`\bscheduled (?:re)?payments? (?:was |got |has been |have been |were )?(?:cancel+ed|failed)\b|` +
		`\bscheduled (?:re)?payments? (?:didn'?t|did not|never|hasn'?t|has not) (?:go through|gone through|run|happen|debit|get taken)\b`)

// fateWithin is how far back a cancelled or failed booking is the one asked
// about.
const fateWithin = 45 * 24 * time.Hour

// asksBookingFate reports a question why a booking was cancelled or failed.
func asksBookingFate(text string) bool {
	l := strings.ToLower(text)
	return bookingFateAsked.MatchString(l) &&
		!containsAny(l, "如果", "的话", "会不会", "会被", "会取消", "要是", "吗", "if i", "will it", "would it", "will my", "would my", "how do i", "how to", "how can i")
}

// bookingFate tells what became of the customer's bookings cancelled or
// failed lately — who or what cancelled each, as far as the bot knows, and
// whether its period is still to pay (an audit: "为什么我的预约被取消了"
// and a booking failed on a frozen card got "not sure").
func bookingFate(s *Step) error {
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	since := s.now.Add(-fateWithin)
	sched = slices.DeleteFunc(slices.Clone(sched), func(r supportbot.ScheduledRepayment) bool {
		return r.Status != supportbot.ScheduledCancelled && r.Status != supportbot.ScheduledFailed || r.RunAt.Before(since)
	})
	rows := [][]supportbot.Button{s.billAndMessages(), {s.humanBtn()}}
	if len(sched) == 0 {
		s.say(s.T("fate.none"), rows...)
		return nil
	}
	slices.SortFunc(sched, func(a, b supportbot.ScheduledRepayment) int { return b.RunAt.Compare(a.RunAt) })
	plans, err := s.plans()
	if err != nil {
		return err
	}
	cards, err := s.cards()
	if err != nil {
		return err
	}
	cancels, err := s.e.st.CustomerActions(s.ctx, s.conv.CustomerID, supportbot.ActionCancel, since)
	if err != nil {
		return err
	}
	paid, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, since)
	if err != nil {
		return err
	}
	var lines []string
	for _, r := range sched[:min(len(sched), 3)] {
		line := []string{s.T("fate.booking", "product", productOf(plans, r.PlanID), "period", r.Period, "amount", money(r.Amount), "time", when(s, r.RunAt))}
		line = append(line, fateWhy(s, r, plans, cards, cancels, paid))
		if b, ok := periodBill(plans, r.PlanID, r.Period); ok && b.Status == supportbot.BillUnpaid {
			if b.Overdue(s.today) {
				line = append(line, s.T("fate.overdue", "amount", money(b.Due()), "date", s.day(b.DueDate)))
			} else {
				line = append(line, s.T("fate.unpaid", "amount", money(b.Due()), "date", s.day(b.DueDate)))
			}
		}
		lines = append(lines, strings.Join(line, "\n"))
	}
	s.say(strings.Join(lines, "\n\n"), rows...)
	return nil
}

// fateWhy is why booking r was cancelled or failed, as far as the bot
// knows: the customer's own cancellation or payment here, its period paid,
// a frozen card — or that the core did not say.
func fateWhy(s *Step, r supportbot.ScheduledRepayment, plans []supportbot.Plan, cards []supportbot.Card, cancels, paid []supportbot.Action) string {
	if r.Status == supportbot.ScheduledFailed {
		if i := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.ID == r.CardID }); i >= 0 && cards[i].Frozen {
			return s.T("fate.failed_frozen", "card", cards[i].Masked())
		}
		return s.T("fate.failed")
	}
	if i := slices.IndexFunc(cancels, func(a supportbot.Action) bool {
		return a.Scheduled == r.ID && a.State == supportbot.ActionSucceeded
	}); i >= 0 {
		return s.T("fate.by_you", "time", when(s, cancels[i].CreatedAt))
	}
	if i := slices.IndexFunc(paid, func(a supportbot.Action) bool {
		rp := a.Outcome.Repayment
		return a.State == supportbot.ActionSucceeded && rp != nil && slices.Contains(rp.CancelledScheduledIDs, r.ID)
	}); i >= 0 {
		return s.T("fate.by_payment", "time", when(s, paid[i].CreatedAt))
	}
	if b, ok := periodBill(plans, r.PlanID, r.Period); ok && b.Status == supportbot.BillPaid {
		return s.T("fate.period_paid")
	}
	if i := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.ID == r.CardID }); i >= 0 && cards[i].Frozen {
		return s.T("fate.by_core_frozen", "card", cards[i].Masked())
	}
	return s.T("fate.by_core")
}

// periodBill is period's bill of the plan with id among plans.
func periodBill(plans []supportbot.Plan, id string, period int) (supportbot.Bill, bool) {
	if i := slices.IndexFunc(plans, func(p supportbot.Plan) bool { return p.ID == id }); i >= 0 {
		return billOf(&plans[i], period)
	}
	return supportbot.Bill{}, false
}
