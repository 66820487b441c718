package flows

import (
	"regexp"
	"slices"
	"strings"

	"supportbot"
)

// Sums asked of the customer's own bills: what is overdue in all, what a
// list just shown comes to, what paying off every plan costs, and the
// principal and the fees still to pay. A probe's customers asked each in so
// many words and were told "not sure".

var (
	// overdueSumAsked asks what is overdue in all ("一共逾期多少钱", "逾期的
	// 一共要还多少", "how much is overdue") — not how many days, nor what
	// being late would cost.
	overdueSumAsked = regexp.MustCompile(`(?:一共|总共|合计|加起来)(?:逾期|欠)了?的?(?:是|有|要还|得还)?多少|逾期(?:的|了)?(?:一共|总共|合计|加起来)(?:是|有|要还|得还|欠)?多少|` +
		`逾期(?:的)?(?:金额|欠款|款项?)(?:是|有)?(?:一共)?多少|^(?:在吗|你好|您好|hi|hello)?[，, ]*(?:我想问下|我想问一下|想问下|想问一下|请问|问一下|问下)?我?(?:现在|目前)?(?:一共)?逾期了?(?:多少钱|多少)[啊呀呢]?[?？]*$|` +
		`逾期[^，。？?]{0,24}加起来(?:是|要|一共|总共)?(?:多少|几)|` + // "电视逾期那期多少 手机逾期那期多少 加起来多少" (a probe: the bills' list)
		`\bhow much (?:is|am i|do i have) (?:overdue|past due|behind)\b|\bhow much (?:do i owe|is owed) (?:that is |that's )?(?:overdue|past due)\b|\btotal (?:overdue|past due)\b`)
	// sumFollowUp asks what a list just shown comes to: "一共多少", "那加起来
	// 多少钱", "and in total?", "what's the total".
	sumFollowUp = regexp.MustCompile(`^(?:那|那么|所以)?(?:这些|那些|这几笔|它们)?(?:加起来|一共|总共|合计|总计|一起)+(?:是|要|要还|得还|需要还?|该还)?多少(?:钱|块|元)?[啊呀呢吗嘛]?[?？。!！]*$|` +
		`^(?:那|那么)?(?:加起来|一共|总共|合计)呢[?？。]*$|` + // "一共呢"
		`^(?:and |so |ok |okay )?(?:how much )?(?:is (?:that|it) )?(?:in total|total|altogether|all together|in all)[?.!]*$|` +
		`^(?:and |so )?what(?:'s| is|s) the (?:total|sum)[?.!]*$|^(?:and |so )?how much (?:is that|does that come to|do they come to)(?: in total| altogether| in all)?[?.!]*$`)
	// allPayoffsAsked asks what paying off every plan costs ("全部提前还清要
	// 多少钱", "how much to pay off everything").
	allPayoffsAsked = regexp.MustCompile(`(?:全部|所有|都|全都|一次性)(?:的)?(?:分期)?(?:都)?(?:提前)?(?:还清|结清|还完|还掉)(?:的话)?(?:一共|总共)?(?:要|需要|得)?(?:还|付)?多少|` +
		`(?:提前)?(?:还清|结清)(?:全部|所有)(?:的)?(?:分期)?(?:一共|总共)?(?:要|需要|得)?多少|` +
		`\bhow much (?:to|would it (?:take|cost) to|does it (?:take|cost) to|do i need to|for me to) (?:pay off|settle|clear) (?:everything|all|it all|all of (?:it|them)|all my (?:plans|installments|loans|bills))\b|\btotal payoff\b|` +
		`\b(?:total|how much)\b[^.?!]{0,16}\bif i (?:pay|paid) (?:off )?(?:both|all|everything)(?: of them| plans| my plans)?(?: off)?\b|\bpay(?:ing)? off (?:both|all|everything)(?: of them| plans| my plans)?\b[^.?!]{0,20}\b(?:how much|total|cost)\b`) // "what's the total if i pay off both plans today" (an English probe: unsure)
	// payoffAmountAsked asks what paying a plan off costs ("K70提前还款多少
	// 钱", "how much to pay off the phone").
	payoffAmountAsked = regexp.MustCompile(`(?:提前还款|提前还清|提前结清|一次性还清|结清|还清)(?:的话)?(?:要|需要|得|是)?(?:多少|几)|` +
		`\bhow much (?:to|would it (?:take|cost) to|does it (?:take|cost) to|do i need to|is it to) (?:pay off|settle|clear)\b|\bpayoff (?:amount|for|of)\b`)
	// payoffFeeAmountAsked asks what a payoff's fee comes to ("电视能提前还
	// 清吗 要多少手续费", "手续费怎么算的", "how much is the fee to pay off
	// the tv") — beside a payoff's word (planFeeAsked), not whether there is
	// one, which the rule with each plan's rate answers.
	payoffFeeAmountAsked = regexp.MustCompile(`(?:多少|几)(?:钱)?(?:的)?手续费|手续费(?:是|要|收|得|一共|总共)?(?:多少|几)|手续费怎么算|多少钱|一共多少|总共多少|` +
		`\b(?:how much|what)(?:'s| is|s| would be)? (?:the |a |my )?(?:prepayment |early repayment |payoff |early payoff )?fees?\b|\bhow much\b`)
	// principalAsked asks the principal still owed ("本金还有多少", "how
	// much principal is left").
	principalAsked = regexp.MustCompile(`本金(?:还|一共|总共)?(?:剩|有|欠|剩下|没还)?(?:多少|几)|(?:剩|剩下|还欠|没还)的?本金(?:是|有)?(?:多少|几)|(?:剩|剩下|欠|没还)(?:多少|几)(?:的)?本金|\bhow much (?:of the )?principal\b|\bprincipal (?:left|remaining|outstanding|still owed)\b|\b(?:remaining|outstanding) principal\b`)
	// feesLeftAsked asks the installment fees still to pay ("电视的手续费一
	// 共还要交多少", "how much in fees is left") — not what one period's is
	// (faq.own_fee), nor the prepayment fee.
	feesLeftAsked = regexp.MustCompile(`手续费(?:一共|总共|加起来|全部)(?:还)?(?:要|需要|得)?(?:交|付|还|收)?多少|(?:还要|还得|还需要|还剩|剩下|剩)(?:交|付)?(?:多少|几)(?:钱)?(?:的)?手续费|手续费(?:还)?(?:剩|剩下|有)多少|` +
		`\bhow much (?:in )?fees? (?:is |are |do i have )?(?:left|remaining|still to pay|in total|altogether)\b|\b(?:total|remaining) (?:installment )?fees?\b|\bfees? (?:left|remaining|in total)\b|\bfees?\b[^.?!]{0,25}\b(?:in total|altogether|left)\b`)
)

// sumsAsked answers a sum of the customer's own bills asked in so many
// words: what is overdue, what paying off every plan costs, the principal
// or the fees left. It reports whether it answered.
func sumsAsked(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || containsAny(l, "如果", "的话", "要是", "假如", "if ", "would i", "天", "days", "征信", "credit") && !allPayoffsAsked.MatchString(l) {
		return false, nil
	}
	var say func(*Step, string) (bool, error)
	switch {
	case overdueSumAsked.MatchString(l) && !containsAny(l, "这个月", "本月", "下个月", "下月", "月份", "month"): // "逾期的和这个月要还的加起来多少": both (monthDue)
		say = overdueSum
	case allPayoffsAsked.MatchString(l):
		say = func(s *Step, _ string) (bool, error) { return true, s.startFlow("repay", "") } // the plans to pick from, the sum above them
	case payoffAmountAsked.MatchString(l) && !containsAny(l, "手续费", "fee", "如果", "if "):
		say = payoffOfPlanNamed
	case principalAsked.MatchString(l) && !containsAny(l, "利息", "interest"):
		say = principalLeft
	case feesLeftAsked.MatchString(l) && !containsAny(l, "提前", "early", "prepay", "每期", "each", "per "):
		say = feesLeft
	default:
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	return say(s, l)
}

// payoffOfPlanNamed is the payoff's quote of the one plan the words name
// ("K70提前还款多少钱", "how much to pay off the note 13 pro": a probe got
// the payoff rule, its figures a /repay away); false for none.
func payoffOfPlanNamed(s *Step, l string) (bool, error) {
	open, err := s.openPlans()
	if err != nil {
		return false, err
	}
	i := planSaid(bare(l), open)
	if t := s.topicJustBefore(); i == 0 && t != nil && t.Plan != "" && pointsBack.MatchString(l) {
		// "那它提前还清要多少" right after a plan's schedule: that plan's
		// (a probe: the plans to pick from).
		i = slices.IndexFunc(open, func(p supportbot.Plan) bool { return p.ID == t.Plan }) + 1
	}
	if i == 0 {
		return false, nil
	}
	s.conv.Misses = 0
	return true, s.startFlow("repay", open[i-1].ID) // a quote to confirm, nothing paid
}

// payEverything asks everything just listed paid ("帮我都还了吧", "pay
// everything", "pay them all").
var payEverything = regexp.MustCompile(`^(?:那|那就|好|好的|行)?[，, ]*(?:(?:帮我|给我|我要|我想)(?:把)?|把)(?:这些|它们|这几笔)?(?:都|全部|全都|一起)(?:帮我)?(?:还了|还掉|还上|付了|还)(?:吧|呗)?[。.!！]*$|` +
	`^(?:那|那就|好|好的|行)?[，, ]*(?:这些|它们|这几笔)?(?:都|全部|全都|一起)(?:帮我)?(?:还了|还掉|还上|付了|还)(?:吧|呗)[。.!！]*$|` + // a request: not "都还了", paid
	`^(?:ok |okay |then |so |just )?pay (?:everything|it all|them all|all of (?:it|them)|all(?: of those)?|those)(?: now| please| pls)?[.!]*$`)

// payAllAfterList takes payEverything right after a list of bills due or
// what is overdue: their bills, one at a time — not every plan paid off (a
// probe: the payoffs' list).
func (s *Step) payAllAfterList(text string) (bool, error) {
	t := s.topicJustBefore()
	if t == nil || t.Count == 0 && t.Flow != overdueAnswered || !payEverything.MatchString(strings.ToLower(strings.TrimSpace(text))) {
		return false, nil
	}
	s.conv.Misses = 0
	if err := s.startFlow("pay", ""); err != nil || s.conv.State != "choosing" {
		return true, err
	}
	s.say(s.T("pay.one_at_a_time"))
	return true, nil
}

// pointsBack is a word pointing back at the plan just talked about ("它",
// "这个", "it").
var pointsBack = regexp.MustCompile(`它|这个|这笔|那个|那笔|\b(?:it|this one|that one)\b`)

// overdueSum says each overdue period with its late fee and, two or more,
// their total — or that none is overdue and when the next falls due.
func overdueSum(s *Step, _ string) (bool, error) {
	text := s.ownOverdue("overdue-consequences")
	if text == "" {
		return false, nil
	}
	sayDue(s, text)
	if s.slots.Topic == nil {
		s.slots.Topic = &lastStep{At: s.now}
	}
	s.slots.Topic.Flow = overdueAnswered // "帮我都还了吧" next: their bills (payAllAfterList)
	return true, nil
}

// overdueOfPlans says what the plans asked one by one whether overdue come
// to, overdue; false when none of them is.
func overdueOfPlans(s *Step, ids []string) (bool, error) {
	var plans []supportbot.Plan
	for _, id := range ids {
		p, err := s.plan(id)
		if err != nil {
			return false, err
		}
		if p != nil {
			plans = append(plans, *p)
		}
	}
	due := overdueDues(plans, s.today)
	if len(due) == 0 {
		return false, nil
	}
	total, err := supportbot.SumMoney(due...)
	if err != nil {
		return false, err
	}
	s.shownSum(total, len(due))
	sayDue(s, s.T("sum.listed", "total", money(total), "count", len(due)))
	return true, nil
}

// payoffsTotal is what paying off each of open costs today by the payoff
// rule — as its quote prices it, a period a booking is debiting left out
// and said — and their sum, each paid off on its own quote.
func payoffsTotal(s *Step, open []supportbot.Plan) (string, error) {
	sched, err := s.scheduled()
	if err != nil {
		return "", err
	}
	var lines []string
	var totals []supportbot.Money
	for _, p := range open {
		debiting := supportbot.DebitingPeriods(p.ID, sched, s.now)
		var rest []int
		var booked []supportbot.Money
		for _, b := range p.Bills {
			switch {
			case b.Status != supportbot.BillUnpaid:
			case debiting[b.Period]:
				booked = append(booked, b.Due())
			default:
				rest = append(rest, b.Period)
			}
		}
		parts, err := supportbot.PayoffParts(p, rest, s.today)
		if err != nil {
			return "", err
		}
		total, err := parts.Sum()
		if err != nil {
			return "", err
		}
		line := s.T("sum.payoff_line", "product", p.Product, "amount", money(total))
		if len(booked) > 0 {
			by, err := supportbot.SumMoney(booked...)
			if err != nil {
				return "", err
			}
			line += s.T("sum.payoff_debiting", "amount", money(by))
		}
		lines, totals = append(lines, line), append(totals, total)
	}
	total, err := supportbot.SumMoney(totals...)
	if err != nil {
		return "", err
	}
	return s.T("sum.payoffs", "total", money(total)) + "\n" + strings.Join(lines, "\n") + "\n" + s.T("sum.payoffs_each"), nil
}

// plansAsked is the open plan the words name, or every open one.
func plansAsked(s *Step, l string) ([]supportbot.Plan, error) {
	open, err := s.openPlans()
	if err != nil {
		return nil, err
	}
	if i := planSaid(bare(l), open); i > 0 {
		return open[i-1 : i], nil
	}
	return open, nil
}

// principalLeft says the principal not yet paid of the plan named, or of
// each plan and in all.
func principalLeft(s *Step, l string) (bool, error) {
	text, _, err := leftOf(s, l, "sum.principal", func(b supportbot.Bill) supportbot.Money { return b.Principal })
	if err != nil || text == "" {
		return false, err
	}
	sayLeft(s, text+"\n"+s.T("sum.principal_note"))
	return true, nil
}

// feesLeft says the installment fees of the periods not yet paid, as
// scheduled — and, some there are, that a payoff charges those already due
// only (and its own fee).
func feesLeft(s *Step, l string) (bool, error) {
	text, total, err := leftOf(s, l, "sum.fees", func(b supportbot.Bill) supportbot.Money { return b.Fee })
	if err != nil || text == "" {
		return false, err
	}
	if total > 0 {
		text += "\n" + s.T("sum.fees_note")
	}
	sayLeft(s, text)
	return true, nil
}

// sayLeft says what is left, a payoff's quote and the bills a tap away.
func sayLeft(s *Step, text string) {
	s.conv.Misses = 0
	s.say(text, s.next(s.menuBtn(s.T("menu.repay"), "repay"), s.menuBtn(s.T("menu.bill"), "bill"))...)
}

// leftOf is part of each unpaid period of the plans asked, summed per plan
// and, two or more, in all, under key's lines ("" for no open plan), and
// that sum.
func leftOf(s *Step, l, key string, part func(supportbot.Bill) supportbot.Money) (string, supportbot.Money, error) {
	plans, err := plansAsked(s, l)
	if err != nil || len(plans) == 0 {
		return "", 0, err
	}
	var lines []string
	var each []supportbot.Money
	for _, p := range plans {
		var parts []supportbot.Money
		for _, b := range p.Bills {
			if b.Status == supportbot.BillUnpaid {
				parts = append(parts, part(b))
			}
		}
		sum, err := supportbot.SumMoney(parts...)
		if err != nil {
			return "", 0, err
		}
		lines = append(lines, s.T(key+"_line", "product", p.Product, "amount", money(sum), "periods", len(parts)))
		each = append(each, sum)
	}
	total, err := supportbot.SumMoney(each...)
	if err != nil {
		return "", 0, err
	}
	text := s.T(key) + "\n" + strings.Join(lines, "\n")
	if len(plans) > 1 {
		text += "\n" + s.T("sum.total", "total", money(total))
	}
	return text, total, nil
}

// shownSum keeps what a list of bills just shown comes to, for "一共多少"
// next (sumAfterList).
func (s *Step) shownSum(total supportbot.Money, n int) {
	if s.slots.Topic == nil {
		s.slots.Topic = &lastStep{Flow: dueListed, At: s.now}
	}
	s.slots.Topic.Total, s.slots.Topic.Count = total, n
}

// dueListed marks a list of bills due as the topic (shownSum).
const dueListed = "due"

// sumAfterList answers sumFollowUp right after a list of bills: what the
// list comes to — or, after the bills' overview, what is left on them.
func (s *Step) sumAfterList(text string) (bool, error) {
	t := s.topicJustBefore()
	if t != nil && t.Count == 0 && t.Flow == overdueAnswered && len(t.Plans) > 0 && sumFollowUp.MatchString(strings.ToLower(strings.TrimSpace(text))) {
		return overdueOfPlans(s, t.Plans) // "手机那个逾期几天了", "耳机呢", then "一共多少": what those are overdue (a probe: unsure)
	}
	if t == nil || t.Count == 0 && t.Flow != billsListed || !sumFollowUp.MatchString(strings.ToLower(strings.TrimSpace(text))) {
		return false, nil
	}
	if t.Count > 0 {
		s.shownSum(t.Total, t.Count) // "一共多少" again: the same
		sayDue(s, s.T("sum.listed", "total", money(t.Total), "count", t.Count))
		return true, nil
	}
	open, err := s.openPlans()
	if err != nil {
		return false, err
	}
	total, err := remaining(open)
	if err != nil {
		return false, err
	}
	sayLeft(s, s.T("sum.remaining", "total", money(total), "count", len(open)))
	return true, nil
}
