package flows

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/looplab/fsm"

	"supportbot"
	"supportbot/locale"
)

// Bill lookup: every plan of the customer with what is paid, due and overdue.
func billFlow() *spec {
	return &spec{
		name:          "bill",
		needsCustomer: true,
		reads:         []coreRead{readPlans, readCards, readScheduled},
		initial:       "idle",
		events: fsm.Events{
			{Name: "show", Src: []string{"idle"}, Dst: "shown"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_shown": func(_ ctxT, e *fsm.Event) { e.Err = showBills(s, argString(e.Args, 0)) },
			}
		},
		start: func(s *Step, arg string) error { return s.fire("bill", "show", arg) },
	}
}

// askedOverdue is the bill's argument when the customer asked whether they
// are overdue: the bill's first line says yes or no; askedMonth, when they
// asked what they owe this month: the first lines say it, bill by bill.
const (
	askedOverdue = "overdue"
	askedMonth   = "month"
)

// asksThisMonth reports a question about what is owed this month ("我这个
// 月一共要还多少", "how much do i need to pay this month"): not the whole
// balance, which the bill's header says (a probe read ¥6,498.72 as this
// month's).
// monthEnd is this month's end said alone ("月底要还多少钱": a probe got
// unsure) — not next month's, nor last's.
var monthEnd = regexp.MustCompile(`(?:^|[^个上下])月底`)

func asksThisMonth(text string) bool {
	l := strings.ToLower(text)
	_, named := monthNamed(l, supportbot.Date("2000-01-01")) // "1月份要还多少": that month's (the month, whatever the day)
	return (containsAny(l, "这个月", "本月", "这月", "this month", "end of the month", "end of month", "month end", "month-end") || monthEnd.MatchString(l) || nextMonthSaid.MatchString(l) || named) &&
		(containsAny(l, "多少", "几笔", "几期", "几号", "哪天", "什么时候", "要扣的有哪些", "要还的有哪些", "扣的有哪些", "还的有哪些", "哪几笔", "how much", "what do i owe", "what i owe", "do i owe", "owe anything", "anything due", "whats due", "what's due", "what is due", "amount",
			"when", "what date", "which day") || spansMonths(l)) && // "下个月几号还款": its bills say when (a probe: this month's dates); "the overdue one plus next month's in total" (an English probe: the bill)
		!containsAny(l, "已经", "扣了", "还了", "付了", "paid", "did i pay", "have i", "was taken", "were taken", "did you take", "took") // what was paid, not what is due (a probe)
}

// nextMonthSaid names next month ("下个月要还多少", "what do i owe next
// month").
var nextMonthSaid = regexp.MustCompile(`下个?月|\bnext month\b|\bmonth after next\b`)

// monthsAhead is how many months ahead nextMonthSaid's month is: 2 for the
// month after next ("下下个月要还多少": a regression run got next month's).
func monthsAhead(l string) int {
	if containsAny(l, "下下个月", "下下月", "month after next") {
		return 2
	}
	return 1
}

// monthDue says what is to be paid by the end of this month: each unpaid
// bill due by then, overdue ones included, and whether a booking pays it —
// or, another month asked ("下个月要还多少", "1月份要还多少"; a probe got
// the whole balance), the bills due in that month.
func monthDue(s *Step, open []supportbot.Plan, sched []supportbot.ScheduledRepayment) (string, error) {
	t := s.today.Time(time.UTC)
	l := strings.ToLower(s.ev.Text)
	asked, named := dueMonthNamed(l, s.today)
	if nextMonthSaid.MatchString(l) {
		asked, named = t.AddDate(0, monthsAhead(l), 1-t.Day()).Format("2006-01"), true
	}
	if named && asked < t.Format("2006-01") {
		// A month gone by ("上个月要还多少", "how much was due last month"):
		// its periods, each paid or not — not "nothing due" because they
		// were paid.
		plans, err := s.plans()
		if err != nil {
			return "", err
		}
		return monthPeriods(s, plans, sched, asked), nil
	}
	if named && asked != t.Format("2006-01") {
		if spansMonths(l) { // "逾期的那期加下个月的一共要还多少": all due until that month ends
			m, _ := time.Parse("2006-01", asked)
			end := supportbot.Date(m.AddDate(0, 1, -1).Format("2006-01-02"))
			return dueIn(s, open, sched, func(b supportbot.Bill) bool { return b.DueDate <= end }, "bill.through", monthLabel(s.conv.Lang, asked, s.today))
		}
		inMonth := func(b supportbot.Bill) bool { return strings.HasPrefix(string(b.DueDate), asked) }
		return dueIn(s, open, sched, inMonth, "bill.month_other", monthLabel(s.conv.Lang, asked, s.today))
	}
	end := supportbot.Date(time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC).Format("2006-01-02"))
	month := strconv.Itoa(int(t.Month()))
	if s.conv.Lang == supportbot.LangEN {
		month = t.Month().String()
	}
	if overdueLeftOutSaid.MatchString(l) {
		// "what's due this month apart from the overdue ones" (an English
		// probe got them counted in): this month's own, said so.
		text, err := dueIn(s, open, sched, func(b supportbot.Bill) bool { return b.DueDate <= end && !b.Overdue(s.today) }, "bill.month", month)
		return text + "\n" + s.T("bill.month_overdue_left_out"), err
	}
	return dueIn(s, open, sched, func(b supportbot.Bill) bool { return b.DueDate <= end }, "bill.month", month)
}

// overdueLeftOutSaid leaves the overdue periods out of what is asked
// ("apart from the overdue ones", "除了逾期的").
var overdueLeftOutSaid = regexp.MustCompile(`\b(?:apart from|except(?: for)?|besides|other than|not counting|excluding|without) (?:the |my )?(?:overdue|late|past due)\b|(?:除了|除去|不算|不含|不包括)(?:那个|那笔|那些)?逾期|逾期的?(?:那期|那笔|那些)?(?:除外|不算)`)

// spansMonths asks for what is due now and in a later month together
// ("我这个月逾期的那期加下个月的一共要还多少": a probe got the later month's
// alone, the overdue period left out) — not each month apart ("这个月和下个
// 月分别扣多少").
func spansMonths(l string) bool {
	return containsAny(l, "逾期", "overdue", "这个月", "本月", "this month", "现在", "now") &&
		containsAny(l, "加", "和", "跟", "连同", "一起", "一共", "总共", "合计", " and ", "plus", "together", "in total", "total") &&
		!containsAny(l, "分别", "各", "每个月", "respectively", "each", "separately")
}

// dueIn lists each unpaid bill of open that fits — an overdue one with its
// late fee, one a booking pays said so — under key+"_due" with their total,
// or says key+"_none" (month: how the month is named).
func dueIn(s *Step, open []supportbot.Plan, sched []supportbot.ScheduledRepayment, fits func(supportbot.Bill) bool, key, month string) (string, error) {
	cards, err := s.cards()
	if err != nil {
		return "", err
	}
	var lines []string
	var amounts []supportbot.Money
	for _, p := range open {
		for _, b := range p.Bills {
			if b.Status != supportbot.BillUnpaid || !fits(b) {
				continue
			}
			line, note := "bill.month_line", ""
			r, booked := scheduledFor(p.ID, b.Period, sched)
			if g := gapOf(s, r, b, cards); booked && g != paysWhole {
				booked, note = false, gapNote(s, g, r, b) // said what it leaves, not "nothing to do by hand"
			}
			switch {
			case b.Overdue(s.today) && booked:
				// A booking pays the overdue period: said, not left to be
				// paid a second time (a probe's total invited it).
				line = "bill.month_line_overdue_booked"
			case b.Overdue(s.today):
				line = "bill.month_line_overdue"
			case booked:
				line = "bill.month_line_booked"
			}
			lines = append(lines, s.T(line, "product", p.Product, "period", b.Period, "amount", money(b.Due()), "date", b.DueDate.Format(s.conv.Lang))+note)
			amounts = append(amounts, b.Due())
		}
	}
	if len(lines) == 0 {
		return s.T(key+"_none", "month", month), nil
	}
	total, err := supportbot.SumMoney(amounts...)
	if err != nil {
		return "", err
	}
	s.shownSum(total, len(lines))
	return s.T(key+"_due", "month", month, "total", money(total)) + "\n" + strings.Join(lines, "\n"), nil
}

// dueMonthNamed is the month a question of what falls due names
// ("YYYY-MM"): a month gone by this year is next year's ("9月要还多少" asked
// in December; a regression probe was told nothing is due), a year said
// is that one ("2027年9月", "明年6月", "september 2027").
func dueMonthNamed(l string, today supportbot.Date) (string, bool) {
	month, ok := monthNamed(l, today)
	if !ok || pastMonthSaid(l) {
		return month, ok // "上个月要还多少": the month gone by (a probe: next year's)
	}
	t := today.Time(time.UTC)
	m, _ := time.Parse("2006-01", month)
	year := t.Year()
	if m.Month() < t.Month() {
		year++
	}
	switch y := firstNumber(yearSaid, l); {
	case y >= 2000 && y < 2100:
		year = y
	case containsAny(l, "明年", "next year"):
		year = t.Year() + 1
	case containsAny(l, "今年", "this year"):
		year = t.Year()
	}
	return fmt.Sprintf("%04d-%02d", year, int(m.Month())), true
}

// yearSaid is a year named ("2027年", "september 2027").
var yearSaid = regexp.MustCompile(`(?:^|[^0-9])(20[0-9]{2})(?:\s*年|[^0-9]|$)`)

// asksWhenPaidOff reports a question about when a plan ends by its
// schedule ("手机哪天还完", "还剩几期", "还有几个月还完", "when will my phone be
// paid off") —
// not a request to pay it off now, which names now, early or a fee.
func asksWhenPaidOff(text string) bool {
	l := strings.ToLower(text)
	if paidOffYet.MatchString(l) && shortSaid(l, 40, 80) && !containsAny(l, "就", "才", "以后", "之后", "的话", "如果", "要是", "能", "可以", "怎么", "为什么", "为啥", "还显示", "还在", "还要", "还扣") &&
		!slices.ContainsFunc([]string{"when", "if", "how", "will", "would", "why", "still"}, func(w string) bool { return wordsIn(l, w) }) {
		return true // "手机那笔还清了吗", "is the laptop paid off?": its schedule says (a probe got a payoff quote, or how to pay off)
	}
	if thisTheLast.MatchString(l) && shortSaid(l, 30, 80) {
		return true // "还完这期就结束了吧": the schedule says (an audit got this period's quote, and no answer)
	}
	if monthsLeft.MatchString(l) && shortSaid(l, 40, 80) && !containsAny(l, "提前", "现在", "马上", "手续费", "一次", "能不能", "吗") {
		return true
	}
	if !shortSaid(l, 40, 80) || containsAny(l, "提前", "现在", "今天", "马上", "手续费", "一次", "我想", "想还", "要还", "失败", "怎么办",
		"注销", "退款", "免息", "活动") || slices.ContainsFunc([]string{"early", "now", "today", "fee", "fees", "want", "closure", "close", "refund", "fail", "failed"},
		func(w string) bool { return wordsIn(l, w) }) { // words: "know", "show" are not "now", "how"
		return false
	}
	return containsAny(l, "还有几期", "还剩几期", "剩下几期", "剩几期", "最后一期是哪天", "最后一期什么时候", "最后一期是什么时候", "最后一期多少", "最后一期要还多少", "最后一期还多少") || whenDoneZH.MatchString(l) || whenPaidOff.MatchString(l) ||
		// the schedule asked for ("手机那笔的还款计划": it quoted a payoff, a probe;
		// "show schedule", the button's label typed, a topic of the message center)
		(containsAny(l, "还款计划", "还款明细", "分期明细", "每期明细", "还款时间表", "repayment schedule", "payment schedule") ||
			slices.ContainsFunc([]string{"show schedule", "show the schedule", "full schedule", "my schedule"}, func(w string) bool { return wordsIn(l, w) })) &&
			!containsAny(l, "怎么", "如何", "改", "调整") && !wordsIn(l, "how") && !wordsIn(l, "change")
}

// whenPlanEnds answers a question about when a plan ends with its
// schedule: the plan named (by name, kind or order number), or at a quote
// the quoted one, which stays; with none named, the only plan's, or the
// bill.
func whenPlanEnds(s *Step, text string) error {
	if other, err := s.forSomeoneElse(text); err != nil || other {
		return err
	}
	p, err := openPlanSaid(s, text)
	if err != nil {
		return err
	}
	byOrder, err := s.ownOrderNamed(text) // "5241015123456这个订单还剩几期"
	waiting := s.conv.Flow != "" && waitsForYes(s.conv.State)
	plan := s.slots.Plan // at a quote, "还剩几期" is the quoted plan's
	switch {
	case err != nil:
		return err
	case p != nil:
		plan = p.ID
	case byOrder != "":
		plan = byOrder
	case waiting && plan == "":
		return s.beside("bill", "")
	case !waiting:
		if settled, err := settledNamed(s, text); err != nil || settled != nil {
			if err != nil {
				return err
			}
			return showSchedule(s, settled.ID) // "笔记本还剩几期", the laptop paid off: every period paid, not the phone's
		}
		open, err := s.openPlans()
		if err != nil || len(open) != 1 {
			if err != nil {
				return err
			}
			return s.startFlow("bill", "")
		}
		plan = open[0].ID // one plan: its schedule is the one asked for
	}
	if err := lastPeriodAnswer(s, plan, text); err != nil {
		return err
	}
	if err := showSchedule(s, plan); err != nil || !waiting {
		return err
	}
	s.say(s.confirmHow())
	return nil
}

// thisTheLast asks whether the period to pay is the plan's last ("还完这期就
// 结束了吧", "这期是最后一期吗", "is this the last payment?").
// lastPeriodAnswer says yes or no above the schedule when text asks
// whether this period is the plan's last ("笔记本这期还完是不是就结清了":
// a probe got the schedule, the yes left to read from it).
func lastPeriodAnswer(s *Step, planID, text string) error {
	l := strings.ToLower(text)
	if !thisTheLast.MatchString(l) && !(s.conv.Flow == "repay" && payoffEndsAsked.MatchString(l)) {
		return nil
	}
	p, err := s.plan(planID)
	if err != nil || p == nil {
		return err
	}
	if s.conv.Flow == "repay" && s.slots.Quote != nil && s.slots.Plan == planID {
		// At its payoff's quote: confirmed, the plan is paid off (a replay:
		// "不是…还剩 9 期" of the periods the quote pays).
		s.lead = s.T("bill.last_payoff", "product", p.Product)
		return nil
	}
	left := 0
	for _, b := range p.Bills {
		if b.Status != supportbot.BillPaid {
			left++
		}
	}
	switch {
	case left == 0:
	case left == 1:
		s.lead = s.T("bill.last_yes", "product", p.Product)
	default:
		s.lead = s.T("bill.last_no", "product", p.Product, "left", left-1)
	}
	return nil
}

// payoffEndsAsked asks whether nothing is left to pay after a payoff
// ("这次还完就全部结清了吗", "是不是还完就没有了 以后不用再还了", "so after
// this it's fully paid?").
var payoffEndsAsked = regexp.MustCompile(`还完(?:这笔|这次|以后|了)?(?:是不是)?(?:就)?(?:全部|都)?(?:结清|没有了|没了|不用(?:再)?还)|(?:全部|都)结清了(?:吗|吧|没)|以后不用再?还了?|` +
	`\bafter this\b[^.?!]{0,24}\b(?:paid off|fully paid|all paid|done|nothing (?:more|left|else))|\b(?:fully|all) paid(?: off)?\?`)

var thisTheLast = regexp.MustCompile(`还完[^，。？?]{0,6}?(?:这期|这一期|本期)(?:就|是不是就|是不是)?(?:结束|完了|没了|还清|结清|不用还|全部还完)|` +
	`(?:这期|这一期|本期)还完(?:了)?(?:就|是不是就|是不是)?(?:结束|完了|没了|还清|结清|不用还|全部还完)|(?:这期|这一期|本期)是(?:不是)?最后一期|这是最后一期了?(?:吧|吗)|是不是最后一期|` +
	`是最后一期了?(?:吗|吧|么|嘛)|` + // "耳机是最后一期了吗"
	`\bis (?:this|it|that|the [a-z0-9+ ]{1,30}?|my [a-z0-9+ ]{1,30}?) (?:on )?(?:the |my |its )?(?:last|final) (?:one|payment|period|installment)\b|\bafter this (?:one|payment|period)\b[^.?!]{0,24}\b(?:done|finished|paid off|over)\b`) // "is the buds the last payment?" (an English probe: "no repayment yet")

// whenDoneZH asks when a plan is paid off ("什么时候能还完", "哪天结清";
// "什么时候能还完" got the early repayment's how-to: an audit).
// paidOffYet asks whether a plan is paid off by now ("K70还清了吗", "手机的
// 还完没有", "是不是已经结清了", "is my laptop paid off?").
var paidOffYet = regexp.MustCompile(`(?:还清|结清|还完|付清|还光)了(?:没有?|吗|么|嘛)|(?:还清|结清|还完|付清)没有?|是不是(?:已经|都)?(?:还清|结清|还完)|` +
	`\b(?:is|are|has|have)\b[^?.!]{0,40}\b(?:paid off|fully paid|settled)\b`)

var whenDoneZH = regexp.MustCompile(`(?:什么时候|啥时候|哪天|几时|多久)(?:才)?(?:能|可以|会)?(?:全部)?(?:还完|还清|结清)`)

var whenPaidOff = regexp.MustCompile(`\b(?:when|wen)\b (?:will|is|do|does|can|would|my|the)\b.{0,30}\b(?:paid off|finish paying|last (?:payment|period|installment))\b|` +
	`\bhow many (?:more )?(?:periods|payments|months|installments) (?:are )?(?:left|remaining)\b|` +
	// "how much is the last payment on the tv": the final period's, not the last one made (a probe: "no repayment made here")
	`\bhow much (?:is|will be) (?:the|my) (?:last|final) (?:payment|installment|period)\b`)

// monthsLeft asks how many months a plan still runs ("手机的分期还有几个月还
// 完", "还要还几个月", "我还有几个月要还"): its schedule, not the payoff's
// quote (an audit: one tap from paying it all) — whoever asks (我想问一下).
var monthsLeft = regexp.MustCompile(`(?:还要还|还得还|再还)几个月|几个月(?:才能|能)?(?:还完|还清|结清)|` +
	`(?:还有|还剩|还差)几个月[^，。？?]{0,4}(?:还完|还清|结清|要还|没还)|` +
	`(?:分期|手机|电脑|笔记本|平板|手表|耳机|电视)[^，。？?]{0,6}(?:还有|还剩|还差|还要)几个月`) // not "还有几个月过年", "还要几个月才能注销" (a regression run)

// asksIfOverdue reports a customer's short yes-or-no question whether
// their own bills are overdue ("我逾期了吗", "我是不是现在没有逾期了", "我没逾期
// 对吧", "am I overdue", "any late payments on my account?"): the question's
// words and nothing else, so that what being overdue means or costs
// ("逾期了怎么办", "what happens if I'm overdue") and someone else's ("我老婆
// 逾期了吗") are not.
func asksIfOverdue(text string) bool {
	l := strings.ToLower(text)
	if utf8.RuneCountInString(l) > 40 {
		return false
	}
	if strings.Contains(l, "逾期") {
		// a plan named by its kind too ("我的手表逾期了吗": an audit was unsure)
		rest, _ := withoutWords(letters(kindNames.Replace(l)), overdueFiller)
		return rest == ""
	}
	words := strings.FieldsFunc(strings.ReplaceAll(kindNames.Replace(l), "'", ""), func(r rune) bool { return !unicode.IsLetter(r) })
	late := false
	for i, w := range words {
		switch {
		case w == "overdue" || w == "late" || w == "behind" || w == "due" && i > 0 && words[i-1] == "past":
			late = true
		case !overdueWords[w]:
			return false
		}
	}
	return late
}

// payOverdueZh asks to pay the overdue one ("还逾期的", "先还逾期那期"), not
// whether it is still overdue (还 as "still"): without a question's words.
var payOverdueZh = regexp.MustCompile(`还(?:一下|下)?(?:我的)?(?:那个|那笔|这个|这笔)?逾期(?:的|那|账单|款)`)

// planOverdue answers whether a plan named is overdue ("我的手表逾期了吗",
// "is my phone payment overdue?"): yes or no for that plan, with where it
// stands — not a quote (an audit: one tap from paying every overdue
// period), nor another plan's lateness said as its own. It reports whether
// a plan was named.
func planOverdue(s *Step, text string) (bool, error) {
	if ok, err := s.linked(); err != nil || !ok {
		return false, err
	}
	p, err := planNamed(s, text)
	if err != nil {
		return false, err
	}
	if p == nil {
		return kindNoneSaid(s, text) // "is my phone payment overdue?" with no phone: said so, not "nothing of yours is overdue" (an English probe)
	}
	return true, sayPlanOverdue(s, *p)
}

// kindNoneSaid says that none of the customer's plans (paid off ones
// included) is of the kind text names, when none is; it reports whether it
// said so.
func kindNoneSaid(s *Step, text string) (bool, error) {
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	word := kindNotTheirs(bare(text), plans)
	if word == "" {
		return false, nil
	}
	s.conv.Misses = 0
	s.say(s.T("plans.kind_none", "kind", word), s.billAndMessages())
	return true, nil
}

// sayPlanOverdue says whether p is overdue, with where it stands.
func sayPlanOverdue(s *Step, p supportbot.Plan) error {
	summary, late, err := planStanding(s, p)
	if err != nil {
		return err
	}
	key := "bill.plan_overdue_none"
	if late {
		key = "bill.plan_overdue_yes"
	}
	btns := []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill")}
	if late {
		btns = append([]supportbot.Button{s.menuBtn(s.T("pay.btn_bill"), "pay:"+p.ID)}, btns...)
	}
	asked := []string{p.ID} // "手机逾期了吗", "耳机呢": both, for "一共多少" next
	if t := s.topicJustBefore(); t != nil && t.Flow == overdueAnswered && !slices.Contains(t.Plans, p.ID) {
		asked = append(slices.Clone(t.Plans), p.ID)
	}
	s.talkedOf(p.ID) // "那赶紧帮我还" next: this plan's bill
	s.slots.Topic.Flow, s.slots.Topic.Plans = overdueAnswered, asked
	s.say(s.T(key, "product", p.Product)+"\n\n"+summary, s.next(btns...)...)
	return nil
}

// kindNames takes out the words naming a kind of device, longest first.
var kindNames = func() *strings.Replacer {
	var pairs []string
	for _, w := range kindWords {
		pairs = append(pairs, w.word, " ")
	}
	return strings.NewReplacer(pairs...)
}()

// overdueFiller are the words of a Chinese "am I overdue?", longest first.
var overdueFiller = []string{"今天是还款日", "今天还款日", "还款日是今天", "分别是哪几期", "分别是哪些", "分别是哪个", "是哪几期", "是哪几个", "是哪些", "是哪个", "哪几期", "分别", "还没还", "那个", "那笔", "这个", "这笔", "红米", "小米", "多少期", "几期", "是不是", "有没有", "多少天", "算不算", "现在", "目前", "是否", "应该", "已经", "账单", "分期", "这期", "本期",
	"对吧", "没有", "逾期", "我的", "几天", "算是", "属于", "仍然", "依然", "所以", "那么", "我", "还", "了", "没", "吗", "吧", "嘛", "么", "呢", "有", "的", "算", "那"}

// allPaidAsked asks whether everything is paid ("我的分期都还完了吗", "还有没
// 有欠的", "are all my installments paid?"): the bill says — all settled, or
// what is open (a probe: "no recent payment of yours", which a customer who
// owes nothing reads as a payment missing). A plan named is that plan's.
var allPaidAsked = regexp.MustCompile(`(?:都|全部|全都|已经全部?)(?:还完|还清|结清|付清|还上)了?(?:吗|没|没有|嘛|么|吧)|` +
	`^(?:我|我的)?(?:分期)?(?:是不是|是否)?(?:都)?(?:还清|结清)了(?:吗|没|没有)|还有没有(?:欠|没还)|还欠不欠|欠不欠(?:你们)?(?:钱|的)?|` +
	`\b(?:is|are) (?:everything|it all|all (?:of )?(?:my|the) (?:installments|plans|bills|payments)) (?:paid|paid off|settled|done|cleared)\b|` +
	`\bhave i paid (?:everything|it all|all(?: of it)?)(?: off)?\b|\bam i (?:all )?paid (?:off|up)\b|\bdo i (?:still )?owe (?:you )?anything\b|` +
	`\bis there anything (?:left )?(?:to pay|owed|outstanding)\b|\bany outstanding (?:payments|balance|bills)\b`)

// notAllPaid are the words of a question about paying everything, not
// whether it is: early, before closing, whether one can or must
// ("分期能提前全部还清吗", "注销之前必须全部还完吗").
var notAllPaid = []string{"提前", "能", "可以", "必须", "需要", "要", "注销", "销户", "之前", "才", "怎么", "如何", "early", "before", "can i", "need to", "have to", "must", "how",
	"close", "closing", "closure"} // "have I paid everything off? I want to close my account": the closure's check (a regression run)

// overdueWords are the other words of an English "am I overdue?".
var overdueWords = map[string]bool{"am": true, "i": true, "im": true, "is": true, "are": true, "my": true, "bill": true,
	"bills": true, "payment": true, "payments": true, "anything": true, "any": true, "do": true, "have": true, "now": true,
	"already": true, "right": true, "not": true, "on": true, "account": true, "the": true, "of": true, "still": true,
	"yet": true, "a": true, "an": true, "past": true, "installment": true, "installments": true, "plan": true, "plans": true,
	"how": true, "many": true, "days": true, "long": true, // "how many days overdue am i" (an audit: unsure)
	"periods": true, "period": true, "months": true, // "how many periods am i overdue" (a replay: unsure)
	// a follow-up's lead: "so am i overdue now", "ok am i late then" (an English probe got the bill's quote)
	"so": true, "then": true, "ok": true, "okay": true, "and": true, "wait": true, "currently": true, "today": true,
	"last": true, "final": true, "latest": true} // "is my last pad payment overdue?" (an English probe got the bill's quote)

// showBills shows every plan; asked (askedOverdue) puts the answer to "am I
// overdue?" first.
func showBills(s *Step, asked string) error {
	defer s.finish()
	plans, err := s.plans()
	if err != nil {
		return err
	}
	var open []supportbot.Plan
	settled := 0
	for _, p := range plans {
		if p.Open() {
			open = append(open, p)
		} else {
			settled++
		}
	}
	if len(open) == 0 {
		key := "bill.none"
		if settled > 0 {
			key = "bill.all_settled"
		}
		text := s.T(key, "settled", settled)
		if asked == askedOverdue {
			text = s.T("bill.overdue_none") + "\n\n" + text
		}
		sched, err := s.scheduled()
		if err != nil {
			return err
		}
		if twice := secondCharges(s, plans, sched); len(twice) > 0 {
			text += "\n\n" + strings.Join(twice, "\n")
		}
		s.say(text, s.next(s.menuBtn(s.T("menu.messages"), "messages"), s.humanBtn())...)
		return s.appendAnnouncement()
	}
	total, err := remaining(open)
	if err != nil {
		return err
	}
	cards, err := s.cards()
	if err != nil {
		return err
	}
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	// One message: the header, every plan, what overdue means, and under it
	// each plan's schedule, payment and early repayment.
	// A payment confirmed and still waiting for its outcome: the plan
	// shows as before it, and says so (a money probe, a payoff processing,
	// was shown the plan owing with its payment buttons).
	paying, err := repaymentsUnderWay(s)
	if err != nil {
		return err
	}
	parts := []string{s.T("bill.header", "count", len(open), "total", money(total))}
	var rows [][]supportbot.Button
	overdue, lateOnes := false, 0
	shown := open
	var settledAsked *supportbot.Plan // named, and paid off
	if s.ev.Kind == supportbot.EventText {
		if i := planSaid(bare(s.ev.Text), open); i > 0 {
			s.talkedOf(open[i-1].ID) // "平板的账单" then "还这个": the tablet's
			// Not someone else's ("我老婆也有一台笔记本", "我妈也有…": not this one asked).
			if asked == "" && len(open) > 1 && !aboutSomeoneElse(s.ev.Text) && !anyPerson.MatchString(strings.ToLower(s.ev.Text)) {
				// "笔记本这期多少", "手机这期多少钱": that plan's, the others a
				// tap away (a probe got every plan, the one asked among them)
				shown = open[i-1 : i]
				parts[0] = s.T("bill.header_named", "count", len(open), "total", money(total))
			}
		} else if p, err := settledNamed(s, s.ev.Text); err != nil {
			return err
		} else if p != nil {
			// "笔记本还欠多少", the laptop paid off: said so before the plans
			// still open (a walk: the phone's bill alone, as if it were it)
			settledAsked = p
			if asked != askedOverdue { // the overdue answer says it in its own words
				parts[0] = s.T("repay.already_settled", "product", p.Product) + "\n\n" + parts[0]
			}
		}
	}
	for i, p := range shown {
		text, late := planSummary(s, p, cards, sched)
		overdue = overdue || late
		if late && asked == askedOverdue {
			if lateOnes++; lateOnes == 1 {
				s.talkedOf(p.ID) // "am I overdue?" then "pay it": the one overdue (two: no one plan is "it")
			} else {
				s.slots.Topic = nil
			}
		}
		late = late && overdueUndebited(p, sched, s)
		n := ""
		if len(shown) > 1 {
			n = strconv.Itoa(i+1) + ". "
			text = n + text
		}
		busy := slices.IndexFunc(paying, func(a supportbot.Action) bool { return a.PlanID == p.ID })
		if busy >= 0 {
			text += "\n" + s.T("bill.payment_under_way", "amount", money(paying[busy].Repay.Amount), "time", when(s, paying[busy].CreatedAt))
		}
		parts = append(parts, text)
		row := []supportbot.Button{s.viewBtn(n+s.T("bill.btn_schedule"), "sched", p.ID)}
		if busy < 0 && payableSoon(p, s.today) && (late || !nextDebiting(p, sched, s.now)) {
			row = append(row, s.menuBtn(n+s.T("pay.btn_bill"), "pay:"+p.ID))
		}
		if busy < 0 {
			row = append(row, s.menuBtn(n+s.T("menu.repay"), "repay:"+p.ID))
		}
		rows = append(rows, row)
	}
	if len(shown) < len(open) {
		rows = append(rows, []supportbot.Button{s.menuBtn(s.T("bill.btn_all"), "bill")})
	}
	if overdue {
		parts = append(parts, s.T("bill.overdue_means"))
	}
	if len(shown) > 1 && s.slots.Topic == nil { // numbered: "第2个" next is the second one's schedule
		ids := make([]string, len(open))
		for i, p := range open {
			ids[i] = p.ID
		}
		s.slots.Topic = &lastStep{Flow: billsListed, Plans: ids, At: s.now}
	}
	switch {
	case asked == askedMonth:
		of := open
		if s.ev.Kind == supportbot.EventText {
			if i := planSaid(bare(s.ev.Text), open); i > 0 {
				of = open[i-1 : i] // "我的笔记本下个月要还多少": that plan's
			}
		}
		month, err := monthDue(s, of, sched)
		if err != nil {
			return err
		}
		parts = append([]string{month}, parts...)
	case asked == askedOverdue && settledAsked != nil:
		// "电视还逾期吗", the TV paid off: no, of the TV — another plan's
		// overdue period said as another's (a probe: "是的，你有逾期未还的
		// 账单" above "「电视」已经全部结清", the yes read as the TV's).
		head := s.T("bill.overdue_settled_named", "product", settledAsked.Product)
		if overdue {
			head += "\n" + s.T("bill.overdue_others")
		}
		parts = append([]string{head}, parts...)
	case asked == askedOverdue && overdue:
		due := overdueDues(open, s.today)
		if total, err := supportbot.SumMoney(due...); err == nil {
			s.shownSum(total, len(due)) // "那一共多少" next: what is overdue (a replay got what is left on every plan)
		}
		key := "bill.overdue_yes"
		if len(due) > 1 { // "逾期了几期": how many, not "the period marked" (a probe)
			key = "bill.overdue_yes_many"
		}
		parts = append([]string{s.T(key, "count", len(due))}, parts...)
	case asked == askedOverdue:
		parts = append([]string{s.T("bill.overdue_none")}, parts...)
	}
	if l := strings.ToLower(s.ev.Text); asked == askedOverdue && s.ev.Kind == supportbot.EventText &&
		(containsAny(l, "今天") && containsAny(l, "还款日", "到期") || containsAny(l, "due today")) {
		// "今天是还款日 我还没还 算逾期吗": today's is not late until the
		// day is over — said, beside another plan's overdue (a probe: a bare
		// yes, as if today's were late).
		for _, p := range open {
			for _, b := range p.Bills {
				if b.Status == supportbot.BillUnpaid && b.DueDate == s.today {
					parts[0] += "\n" + s.T("bill.due_today_not_late", "product", p.Product, "period", b.Period)
				}
			}
		}
	}
	if settled > 0 {
		parts = append(parts, s.T("bill.settled_count", "settled", settled))
	}
	if twice := secondCharges(s, plans, sched); len(twice) > 0 {
		parts = append(parts, strings.Join(twice, "\n"))
		rows = append(rows, []supportbot.Button{s.humanBtn()})
	}
	rows, err = s.remindOffer(rows)
	if err != nil {
		return err
	}
	s.say(strings.Join(parts, "\n\n"), append(rows, []supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})...)
	return s.appendAnnouncement()
}

// overdueDues are what each overdue period of plans costs today, late fee
// included.
func overdueDues(plans []supportbot.Plan, today supportbot.Date) []supportbot.Money {
	var due []supportbot.Money
	for _, p := range plans {
		for _, b := range p.Bills {
			if b.Overdue(today) {
				due = append(due, b.Due())
			}
		}
	}
	return due
}

// remaining is what is left to pay on plans, summed with bounds.
func remaining(plans []supportbot.Plan) (supportbot.Money, error) {
	amounts := make([]supportbot.Money, len(plans))
	for i, p := range plans {
		amounts[i] = p.Remaining()
	}
	return supportbot.SumMoney(amounts...)
}

// overdueLines are a plan's overdue periods, each with its late fee and,
// when its booking is being debited now, not to pay it again.
func overdueLines(s *Step, p supportbot.Plan, cards []supportbot.Card, sched []supportbot.ScheduledRepayment) []string {
	var lines []string
	debiting := supportbot.DebitingPeriods(p.ID, sched, s.now)
	for _, b := range p.Bills {
		if !b.Overdue(s.today) {
			continue
		}
		key := "bill.overdue"
		if b.LateFee == 0 { // none charged (yet): not "plus a late fee of ¥0.00"
			key = "bill.overdue_no_fee"
		}
		lines = append(lines, s.T(key, "period", b.Period, "date", b.DueDate.Format(s.conv.Lang), "days", b.DueDate.DaysUntil(s.today), // "我逾期了多少天"
			"amount", money(b.Amount()), "late_fee", money(b.LateFee)))
		if debiting[b.Period] { // paying it now would pay it twice
			lines = append(lines, debitingLine(s, p, b, cards, sched, "bill.overdue_debiting"))
		}
	}
	return lines
}

// planTitle is a plan's kind icon and product name, in bold: the first line
// of what is said of it.
func planTitle(p supportbot.Plan) locale.HTML {
	if strings.ContainsFunc(p.Product, func(r rune) bool { return unicode.Is(unicode.So, r) }) { // "小米电视S Pro 85 📺 2025款": its own icon, not a second one (a probe)
		return locale.HTML("<b>" + locale.Escape(p.Product) + "</b>")
	}
	return locale.HTML(productIcon(p.Product) + " <b>" + locale.Escape(p.Product) + "</b>")
}

// planSummary renders one open plan; it reports whether a bill is overdue.
// cards are the customer's, the default first (auto-repayment debits it);
// sched are the customer's scheduled repayments, which the next due date
// mentions (booked, or already being debited).
func planSummary(s *Step, p supportbot.Plan, cards []supportbot.Card, sched []supportbot.ScheduledRepayment) (string, bool) {
	lines := []string{
		string(planTitle(p)),
		s.T("bill.order", "order", p.OrderNo, "partner", p.Partner),
		s.T("bill.progress", "paid", p.PaidPeriods(), "periods", p.Periods, "amount", money(perPeriod(p))),
	}
	due, late := dueLines(s, p, cards, sched)
	lines = append(lines, due...)
	lines = append(lines, s.T("bill.remaining", "amount", money(p.Remaining())))
	if line := autopayLine(s, p, defaultCard(cards)); line != "" {
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n"), late
}

// dueLines are what p has due: its next due date (and what pays it: a
// booking, one being debited), or its overdue periods and the due date
// after them; late reports an overdue period.
func dueLines(s *Step, p supportbot.Plan, cards []supportbot.Card, sched []supportbot.ScheduledRepayment) (lines []string, late bool) {
	if next, ok := p.NextDue(); ok && !next.Overdue(s.today) {
		lines = append(lines, nextDueLines(s, p, next, cards, sched, false)...)
	}
	overdue := overdueLines(s, p, cards, sched)
	lines = append(lines, overdue...)
	if len(overdue) > 0 {
		if next, ok := nextNotOverdue(p, s.today); ok {
			lines = append(lines, nextDueLines(s, p, next, cards, sched, toPayByHand(p, s.today, sched, s.now))...)
		}
	}
	return lines, len(overdue) > 0
}

// toPayByHand reports an overdue period of p that no scheduled repayment
// is debiting: one the customer is still to pay.
func toPayByHand(p supportbot.Plan, today supportbot.Date, sched []supportbot.ScheduledRepayment, now time.Time) bool {
	debiting := supportbot.DebitingPeriods(p.ID, sched, now)
	return slices.ContainsFunc(overduePeriods(p, today), func(n int) bool { return !debiting[n] })
}

// perPeriod is what a period of p usually costs (principal and fee, no late
// fee): the amount most periods still to pay have (all of them, when none
// is) — not the first period's, which a fee-free first month or the
// rounding of the last would make wrong for the others (the schedule shows
// each), nor a paid one's when the fee changed since (an operator probe:
// "每期 ¥202.00" beside "应还 ¥201.50").
func perPeriod(p supportbot.Plan) supportbot.Money {
	bills := slices.DeleteFunc(slices.Clone(p.Bills), func(b supportbot.Bill) bool { return b.Status != supportbot.BillUnpaid })
	if len(bills) == 0 {
		bills = p.Bills
	}
	count := map[supportbot.Money]int{}
	best := bills[0].Amount()
	for _, b := range bills {
		if count[b.Amount()]++; count[b.Amount()] > count[best] {
			best = b.Amount()
		}
	}
	return best
}

// nextDueLines say the next due date and, when a scheduled repayment pays
// it, that it is booked or already being debited: nothing to do by hand —
// unless it is booked on a card the bank declines, or for less than the
// period costs, which is said.
// late: an overdue period to pay by hand is shown above, which the booking
// does not pay (one being debited is not: it is said to wait).
func nextDueLines(s *Step, p supportbot.Plan, next supportbot.Bill, cards []supportbot.Card, sched []supportbot.ScheduledRepayment, late bool) []string {
	lines := []string{s.T("bill.next_due", "date", s.day(next.DueDate), "amount", money(next.Amount()))}
	if r, ok := scheduledFor(p.ID, next.Period, sched); ok {
		switch g := gapOf(s, r, next, cards); {
		case r.Debiting(s.now):
			lines = append(lines, debitingLine(s, p, next, cards, sched, "bill.next_debiting"))
		case r.RunAt.Before(s.now):
			// Still "scheduled" a day after its time: it did not run.
			lines = append(lines, s.T("bill.next_scheduled_stale", "when", when(s, r.RunAt)))
		case g == gapCard:
			key := "bill.next_scheduled_frozen"
			if len(usableCards(cards)) == 0 {
				key = "bill.next_scheduled_frozen_only" // no card to pay by hand with either: /pay would refuse
			}
			lines = append(lines, s.T(key, "when", when(s, r.RunAt), "card", cardOf(cards, r.CardID).Masked()))
		case g == gapLate:
			// It runs after the due date: late before it pays.
			lines = append(lines, s.T("bill.next_scheduled_after_due", "when", when(s, r.RunAt)))
		case g == gapShort:
			lines = append(lines, s.T("bill.next_scheduled_short", "when", when(s, r.RunAt), "booked", money(r.Amount),
				"short", money(next.Due()-r.Amount)))
		case late: // not "nothing to do by hand" (a probe)
			lines = append(lines, s.T("bill.next_scheduled_late", "when", when(s, r.RunAt)))
		default:
			lines = append(lines, s.T("bill.next_scheduled", "when", when(s, r.RunAt)))
		}
	}
	return lines
}

// debitingLine says a period's booking is being debited (key), or, booked
// for less than the period costs, how much it leaves for the customer to
// pay once it is done — never "nothing to do" over a shortfall, nor over a
// frozen card.
func debitingLine(s *Step, p supportbot.Plan, b supportbot.Bill, cards []supportbot.Card, sched []supportbot.ScheduledRepayment, key string) string {
	if text := debitingFrozen(s, p, b, cards, sched); text != "" {
		return text
	}
	if short := debitingShort(p.ID, b, sched, s.now); short > 0 {
		return s.T("bill.debiting_short", "booked", money(b.Due()-short), "short", money(short))
	}
	if at, ok := debitingSoon(p.ID, b.Period, sched, s.now); ok {
		// Not started yet, but too close to stop: when it runs, as the
		// list of bookings says it (a probe: "being debited right now"
		// beside "runs today at 05:57").
		if supportbot.DateOf(at, s.e.cfg.Location) > b.DueDate {
			// After the due date: not "nothing to do" — the period is
			// late by then (a money probe: a debit at 00:40 the day after).
			return s.T("bill.debiting_after_due", "when", when(s, at))
		}
		return s.T(key+"_soon", "when", when(s, at))
	}
	return s.T(key)
}

// debitingFrozen says a period's booking being debited from a frozen card
// will fail, and what to do once it has ("" when none is): a probe's
// customer, due today, was told "无需手动还款" and refused at /pay — the
// core leaves a period being debited out of any quote until the debit is
// over, so it cannot be paid before then either.
func debitingFrozen(s *Step, p supportbot.Plan, b supportbot.Bill, cards []supportbot.Card, sched []supportbot.ScheduledRepayment) string {
	for _, r := range sched {
		if r.PlanID != p.ID || r.Period != b.Period || !r.Debiting(s.now) || !cardOf(cards, r.CardID).Frozen {
			continue
		}
		then := s.T("bill.frozen_then_pay", "date", s.day(b.DueDate))
		switch {
		case len(usableCards(cards)) == 0:
			then = s.T("bill.frozen_then_card")
		case b.Overdue(s.today):
			then = s.T("bill.frozen_then_pay_overdue")
		}
		card := cardOf(cards, r.CardID).Masked()
		if r.Status == supportbot.ScheduledScheduled && r.RunAt.After(s.now) {
			return s.T("bill.debiting_frozen_soon", "when", when(s, r.RunAt), "card", card, "then", then)
		}
		return s.T("bill.debiting_frozen", "card", card, "then", then)
	}
	return ""
}

// debitingSoon is when the booking counted as being debited for a plan's
// period runs, when none of them is processing yet: it is still scheduled,
// within DebitCutoff.
func debitingSoon(planID string, period int, sched []supportbot.ScheduledRepayment, now time.Time) (time.Time, bool) {
	var at time.Time
	for _, r := range sched {
		if r.PlanID != planID || r.Period != period || !r.Debiting(now) {
			continue
		}
		if r.Status != supportbot.ScheduledScheduled || !r.RunAt.After(now) {
			return time.Time{}, false // under way
		}
		if at.IsZero() || r.RunAt.Before(at) {
			at = r.RunAt
		}
	}
	return at, !at.IsZero()
}

// soonOnly reports that none of a plan's bookings counted as being debited
// has started: each is still scheduled, within DebitCutoff.
func soonOnly(planID string, sched []supportbot.ScheduledRepayment, now time.Time) bool {
	return !slices.ContainsFunc(sched, func(r supportbot.ScheduledRepayment) bool {
		return r.PlanID == planID && r.Debiting(now) && (r.Status != supportbot.ScheduledScheduled || !r.RunAt.After(now))
	})
}

// debitingShort is what the bookings being debited for b leave unpaid of
// it, its late fee too (0 when they cover it).
func debitingShort(planID string, b supportbot.Bill, sched []supportbot.ScheduledRepayment, now time.Time) supportbot.Money {
	var booked supportbot.Money
	for _, r := range sched {
		if r.PlanID == planID && r.Period == b.Period && r.Debiting(now) {
			booked += r.Amount
		}
	}
	return max(b.Due()-booked, 0)
}

// bookingGap is why a live booking will not pay its period by itself.
type bookingGap int

const (
	paysWhole bookingGap = iota // on time, on a card that can pay, the period's whole due
	gapCard                     // on a frozen card: the debit fails
	gapShort                    // for less than the period's due now
	gapLate                     // run after the due date: late first
)

// gapOf says whether booking r pays bill b whole and on time by itself —
// never "nothing to do by hand" for one on a frozen card or for less than
// the period's due (a probe: told not to pay, the customer would go
// overdue, while /bill said the debit would fail). One being debited has
// its card with the bank already.
func gapOf(s *Step, r supportbot.ScheduledRepayment, b supportbot.Bill, cards []supportbot.Card) bookingGap {
	switch {
	case cardOf(cards, r.CardID).Frozen: // being debited too: it fails all the same
		return gapCard
	case !r.Debiting(s.now) && !b.Overdue(s.today) && supportbot.DateOf(r.RunAt, s.e.cfg.Location) > b.DueDate:
		return gapLate // one overdue already, or with the bank, is past being late first
	case r.Amount < b.Due():
		return gapShort
	}
	return paysWhole
}

// cardOf is the card of cards with id; the zero card (not frozen, masked
// as nothing) when none is.
func cardOf(cards []supportbot.Card, id string) supportbot.Card {
	if i := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.ID == id }); i >= 0 {
		return cards[i]
	}
	return supportbot.Card{}
}

// gapNote is a line's note of what a booking leaves to pay by hand ("" for
// none).
func gapNote(s *Step, g bookingGap, r supportbot.ScheduledRepayment, b supportbot.Bill) string {
	switch g {
	case gapCard:
		if r.Debiting(s.now) { // to pay once it has failed: the core takes no payment of it before
			return s.T("bill.booked_gap_card_debiting", "when", when(s, r.RunAt))
		}
		return s.T("bill.booked_gap_card", "when", when(s, r.RunAt))
	case gapShort:
		if r.Debiting(s.now) {
			return s.T("bill.booked_gap_debiting", "booked", money(r.Amount), "short", money(b.Due()-r.Amount))
		}
		return s.T("bill.booked_gap_short", "when", when(s, r.RunAt), "booked", money(r.Amount), "short", money(b.Due()-r.Amount))
	case gapLate:
		return s.T("bill.booked_gap_late", "when", when(s, r.RunAt))
	}
	return ""
}

// keptNote is a note for under booking r's own line of what it leaves to do
// as it stands: that its period is paid already (a second charge if it
// runs), or what its debit leaves to pay by hand (gapOf) — "" when it pays
// its period whole and on time. A probe was told a booking on a frozen card
// "会按原定时间扣款".
func keptNote(s *Step, r supportbot.ScheduledRepayment, plans []supportbot.Plan, cards []supportbot.Card) string {
	b, ok := periodOf(plans, r.PlanID, r.Period)
	switch {
	case !ok:
		return ""
	case b.Status == supportbot.BillPaid:
		return "\n" + s.T("debited.booking_paid")
	}
	debiting := "" // with the bank already: what is left is paid once it is done
	if r.Debiting(s.now) {
		debiting = "_debiting"
	}
	switch gapOf(s, r, b, cards) { // under a line that says its time and card already
	case gapCard:
		return "\n" + s.T("booking.gap_card"+debiting)
	case gapShort:
		return "\n" + s.T("booking.gap_short"+debiting, "due", money(b.Due()), "short", money(b.Due()-r.Amount))
	case gapLate:
		return "\n" + s.T("booking.gap_late", "date", b.DueDate.Format(s.conv.Lang))
	}
	return ""
}

// scheduledFor is the live scheduled repayment of a plan's period, if any.
func scheduledFor(planID string, period int, sched []supportbot.ScheduledRepayment) (supportbot.ScheduledRepayment, bool) {
	for _, r := range sched {
		if r.PlanID == planID && r.Period == period && r.Live() {
			return r, true
		}
	}
	return supportbot.ScheduledRepayment{}, false
}

// nextDebiting reports whether the bank is already debiting the next due
// period of p (then paying it here would pay it twice).
func nextDebiting(p supportbot.Plan, sched []supportbot.ScheduledRepayment, now time.Time) bool {
	next, ok := p.NextDue()
	return ok && supportbot.DebitingPeriods(p.ID, sched, now)[next.Period]
}

// overdueUndebited reports whether p has an overdue period no debit is
// already paying: one to pay now.
func overdueUndebited(p supportbot.Plan, sched []supportbot.ScheduledRepayment, s *Step) bool {
	debiting := supportbot.DebitingPeriods(p.ID, sched, s.now)
	for _, b := range p.Bills {
		if b.Overdue(s.today) && !debiting[b.Period] {
			return true
		}
	}
	return false
}

func nextNotOverdue(p supportbot.Plan, today supportbot.Date) (supportbot.Bill, bool) {
	for _, b := range p.Bills {
		if b.Status == supportbot.BillUnpaid && !b.Overdue(today) {
			return b, true
		}
	}
	return supportbot.Bill{}, false
}

// showSchedule lists every period of one of the customer's plans. The plan is
// looked up with the customer's id, so a forged button shows nothing.
func showSchedule(s *Step, planID string) error {
	if ok, err := s.linked(); err != nil {
		return err
	} else if !ok {
		return startIdentify(s, "bill", "")
	}
	p, err := s.plan(planID)
	if err != nil {
		return err
	}
	if p == nil {
		s.expired()
		return nil
	}
	s.talkedOf(p.ID) // "提前还清吧" next: this plan's payoff
	// The periods a debit is paying now are said so (a schedule shown
	// without the bookings, when the core does not answer, just does not).
	bookings, _ := s.scheduled()
	debiting := supportbot.DebitingPeriods(p.ID, bookings, s.now)
	// The schedule as aligned lines (monospace), in one message.
	var sched []string
	for _, b := range p.Bills {
		status := s.T("sched.paid")
		switch {
		case b.Status == supportbot.BillUnpaid && debiting[b.Period]:
			status = s.T("sched.debiting")
			if _, soon := debitingSoon(p.ID, b.Period, bookings, s.now); soon {
				status = s.T("sched.soon") // not started: "扣款中" misled (a probe)
			}
		case b.Overdue(s.today) && b.LateFee == 0:
			status = s.T("sched.overdue_no_fee")
		case b.Overdue(s.today):
			status = s.T("sched.overdue", "late_fee", money(b.LateFee))
		case b.Status == supportbot.BillUnpaid:
			status = s.T("sched.unpaid")
		}
		sched = append(sched, fmt.Sprintf("%2d  %s  %10s  %s", b.Period, b.DueDate, money(b.Amount()), locale.Plain(status)))
	}
	text := s.T("sched.header", "product", p.Product, "order", p.OrderNo) + "\n<pre>" + locale.Escape(strings.Join(sched, "\n")) + "</pre>\n" +
		s.T("bill.remaining", "amount", money(p.Remaining()))
	var btns []supportbot.Button
	if payableSoon(*p, s.today) {
		btns = append(btns, s.menuBtn(s.T("pay.btn_bill"), "pay:"+p.ID))
	}
	if p.Open() {
		btns = append(btns, s.menuBtn(s.T("menu.repay"), "repay:"+p.ID))
	}
	btns = append(btns, s.menuBtn(s.T("bill.btn_back"), "bill"))
	s.say(text, s.next(btns...)...)
	return nil
}

// paidInMonth answers "我上个月还了没有", "10月份的还了吗", "did I pay last
// month?" with the periods due in the month named and whether each is paid —
// not the latest payment, nor what is being debited today (a probe).
func paidInMonth(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || !asks(text) && !containsAny(l, "多少", "how much", "有没有") { // "11月份我还了多少钱" (an audit: the bill), "上个月有没有逾期"
		return false, nil
	}
	month, ok := monthNamed(dayOfAMonth.ReplaceAllString(l, "${1}月 "), s.today) // "10月8号那期我还了吗": October's
	if !ok || !paidAsked.MatchString(l) || containsAny(strings.ReplaceAll(l, "how much", ""), notWhetherPaid...) || containsAny(l, "为什么", "why", "where") {
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed { // "我妈上个月还了没有"
		return told, err
	}
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	s.conv.Misses = 0
	s.say(monthPeriods(s, plans, sched, month), s.billAndMessages())
	return true, nil
}

// monthPeriods lists the periods of plans due in month ("YYYY-MM"), each
// with whether it is paid, or says none was due then.
func monthPeriods(s *Step, plans []supportbot.Plan, sched []supportbot.ScheduledRepayment, month string) string {
	label := monthLabel(s.conv.Lang, month, s.today)
	var lines []string
	for _, p := range plans {
		for _, b := range p.Bills {
			if strings.HasPrefix(string(b.DueDate), month) {
				lines = append(lines, periodLine(s, p, b, sched))
			}
		}
	}
	if len(lines) == 0 {
		return s.T("paid_in.none", "month", label)
	}
	return s.T("paid_in.header", "month", label) + "\n" + strings.Join(lines, "\n")
}

// pastMonthSaid names a month gone by, counted back from this one ("上个
// 月", "last month").
func pastMonthSaid(l string) bool { return pastMonth.MatchString(l) }

// pastMonth is 上个月, 上月, 上上个月 — not inside 马上月底, 早上月供 (a review) —
// or "last month".
var pastMonth = regexp.MustCompile(`(?:^|[^马早晚])上{1,2}个?月|\blast month\b`)

// dayOfAMonth is a day with its month in Chinese ("10月8号"), read for
// its month.
var dayOfAMonth = regexp.MustCompile(`([0-9]{1,2})\s*月\s*[0-9]{1,2}\s*[号日]`)

// periodLine is a period of a plan as a question about it gets it: due
// when, how much, and paid, to pay, overdue (what it costs now) or being
// debited by its booking.
func periodLine(s *Step, p supportbot.Plan, b supportbot.Bill, sched []supportbot.ScheduledRepayment) string {
	status := s.T("paid_in.paid")
	switch {
	case b.Status == supportbot.BillUnpaid && supportbot.DebitingPeriods(p.ID, sched, s.now)[b.Period]:
		// Its booking is being debited: not to pay it again (a
		// regression probe: "待还", where the debit under way was said).
		status = s.T("paid_in.debiting")
		if at, soon := debitingSoon(p.ID, b.Period, sched, s.now); soon {
			status = s.T("paid_in.debiting_soon", "when", when(s, at))
		}
		if r, ok := scheduledFor(p.ID, b.Period, sched); ok {
			// Short of the period, or from a frozen card: the rest, or
			// all of it, is theirs once it is done (probes: "no need to
			// pay it by hand", ¥5.25 short; a debit bound to fail).
			// Cards unread, the booking is said as it is.
			if cards, err := s.cards(); err == nil {
				if g := gapOf(s, r, b, cards); g == gapShort || g == gapCard {
					status = s.T("paid_in.unpaid") + gapNote(s, g, r, b)
				}
			}
		}
	case b.Overdue(s.today):
		status = s.T("paid_in.overdue", "amount", money(b.Due()))
	case b.Status == supportbot.BillPaid && b.LateFee > 0:
		// Paid with a late fee: paid late ("11月份我逾期了吗" of a period
		// paid since).
		status = s.T("paid_in.paid_late", "late_fee", money(b.LateFee))
	case b.Status == supportbot.BillUnpaid:
		status = s.T("paid_in.unpaid")
		if r, ok := scheduledFor(p.ID, b.Period, sched); ok && r.RunAt.After(s.now) {
			status = s.T("paid_in.booked", "when", when(s, r.RunAt)) // not to pay by hand (a review: "unpaid" beside a booking)
			// Cards unread, the booking is said as it is.
			if cards, err := s.cards(); err == nil {
				if g := gapOf(s, r, b, cards); g != paysWhole {
					status = s.T("paid_in.unpaid") + gapNote(s, g, r, b) // what it leaves to pay by hand (a probe)
				}
			}
		}
	}
	line := s.T("paid_in.line", "product", p.Product, "period", b.Period, "date", b.DueDate.Format(s.conv.Lang),
		"amount", money(b.Amount()), "status", locale.HTML(status))
	if r, ok := scheduledFor(p.ID, b.Period, sched); ok && b.Status == supportbot.BillPaid && !r.RunAt.Before(s.now.Add(-supportbot.StaleBooking)) {
		// Paid, and a booking still debits it: "✅ paid" alone left a
		// possible second charge unsaid (an English probe, "why is there a
		// payment processing for my watch? I already paid period 2").
		line += "\n" + s.T("paid_in.second_charge", "amount", money(r.Amount), "time", when(s, r.RunAt))
	}
	return line
}

// onePeriod answers a question about one period by its number or as the
// last one — "笔记本最后一期多少钱", "手机第8期要还多少", "how much is period 6",
// "第7期还了吗" — with that period of each plan named (or of every plan that
// has one): its due date, amount and status (a probe got "not sure", a
// guide, or the bill's "¥333.16 per period" for a last period of ¥333.20).
// It reports whether it answered.
func onePeriod(s *Step, text string) (bool, error) {
	l := strings.ToLower(inDigits(text))
	n, last := firstNumber(periodSaid, l), lastPeriodSaid.MatchString(l)
	// A fee, a cancellation, a payoff asked of a period are not its bill.
	if s.conv.CustomerID == "" || n == 0 && !last || !asks(text) && !containsAny(l, "多少", "how much") ||
		!containsAny(l, "多少", "几块", "金额", "还了", "还没", "扣了", "how much", "amount", "paid", "due", "when", "哪天", "几号", "什么时候") ||
		containsAny(l, "手续费", "滞纳金", "利息", "罚", "取消", "提前", "fee", "interest", "cancel", "early", "如果", "if ") {
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	if i, _ := namedIn(bare(text), plans); i > 0 {
		plans = plans[i-1 : i]
	}
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	var lines []string
	for _, p := range plans {
		if last && len(p.Bills) > 0 {
			lines = append(lines, periodLine(s, p, p.Bills[len(p.Bills)-1], sched))
		} else if b, ok := billOf(&p, n); ok && !last {
			lines = append(lines, periodLine(s, p, b, sched))
		}
	}
	s.conv.Misses = 0
	if len(lines) == 0 {
		s.say(s.T("period.none", "period", n), s.billAndMessages())
		return true, nil
	}
	s.say(strings.Join(lines, "\n"), s.billAndMessages())
	return true, nil
}

// dueOnDay answers how much is due on a day named, asked in so many words
// — "15号要还多少", "明天要还多少钱", "how much do i have to pay on the 7th" —
// with the periods due that day, each with its status (a booking that pays
// it…), or that none is and when the next falls due; and, above, what is
// overdue, to pay now whatever day is asked (a probe: "not sure", or the
// whole bill; a regression run: an overdue customer told nothing was due).
// Anything more in the question (a month, a total till then, a delay, what
// was paid) is not this answer. It reports whether it answered.
// periodSumAsked asks what this period of several plans comes to ("手机和
// 电视这期一共多少", "两个分期这期加起来多少", "this period in total for
// both": a probe got the overview, no sum).
var periodSumAsked = regexp.MustCompile(`(?:这期|本期|这一期)[^，。？?]{0,6}(?:一共|总共|加起来|合计|共计|分别)[^，。？?]{0,4}多少|(?:一共|总共|加起来|合计|分别)[^，。？?]{0,4}(?:这期|本期)[^，。？?]{0,4}多少|` + // "分别": each, and the total beside them (a probe's "那一共多少" next got the whole balance)

	`\bthis (?:period|month)'?s?\b[^.?!]{0,20}\b(?:in total|altogether|combined|total)\b`)

// periodSum answers periodSumAsked: the bill of each plan named (two kinds
// or more), or of every plan ("两个", "都"), as paying it would take it —
// its overdue periods with their late fees, or its current one — summed.
func periodSum(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || !periodSumAsked.MatchString(l) || aboutSomeoneElse(text) ||
		containsAny(l, "还了", "还掉", "帮我", "pay the", "pay my", "pay both", "pay all", "pay them") { // paying them, with the total: the bills' list says it
		return false, nil
	}
	open, err := s.openPlans()
	if err != nil {
		return false, err
	}
	var of []supportbot.Plan
	if kinds := kindsNamed(bare(l)); len(kinds) >= 2 {
		for _, p := range open {
			if slices.Contains(kinds, kindShown(p.Product)) {
				of = append(of, p)
			}
		}
	} else if len(kinds) == 0 && containsAny(l, "两个", "两笔", "三个", "三笔", "所有", "全部", "都", "both", "all") {
		of = open
	}
	if len(of) < 2 {
		return false, nil
	}
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	current := map[string]int{} // as a bill is paid: the overdue periods, or the current one
	for _, p := range of {
		if b, ok := nextNotOverdue(p, s.today); ok && countOverdue(p, s.today) == 0 {
			current[p.ID] = b.Period
		}
	}
	fits := func(b supportbot.Bill) bool { return b.Overdue(s.today) || current[b.PlanID] == b.Period }
	text, err = dueIn(s, of, sched, fits, "bill.period_sum", "")
	if err != nil {
		return false, err
	}
	sayDue(s, text)
	return true, nil
}

// sayDue says what is due (dueIn's text), paying it and the bills a tap
// away.
func sayDue(s *Step, text string) {
	s.conv.Misses = 0
	s.say(text, s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.menuBtn(s.T("menu.bill"), "bill"))...)
}

// weekAsked asks what is due this week ("这周要还什么", "本周要还多少",
// "what do i need to pay this week": a probe got unsure).
var weekAsked = regexp.MustCompile(`(?:这周|这一周|本周|这个星期|这星期|这个礼拜|这礼拜)[^，。？?]{0,6}(?:要还|还什么|还多少|要交|要付|扣什么|扣多少|要扣|到期|该还)|` +
	`\b(?:pay|owe|due|charged|debited)\b[^.?!]{0,20}\bthis week\b|\bthis week'?s? (?:bills?|payments?)\b`)

// dueThisWeek answers weekAsked: every unpaid bill due by this Sunday,
// overdue ones first, each with whether a booking pays it, and the total.
func dueThisWeek(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || !weekAsked.MatchString(l) || containsAny(l, "上周", "上个星期", "last week", "下周", "next week") {
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	t := s.today.Time(time.UTC)
	sunday := supportbot.Date(t.AddDate(0, 0, (7-int(t.Weekday()))%7).Format("2006-01-02"))
	return true, sayDueBy(s, sunday, "bill.week", sunday.Format(s.conv.Lang))
}

// sayDueBy says every unpaid bill due by day (dueIn under key, day named
// as label), what they come to, and paying them a tap away.
func sayDueBy(s *Step, day supportbot.Date, key, label string) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	text, err := dueIn(s, open, sched, func(b supportbot.Bill) bool { return b.DueDate <= day }, key, label)
	if err != nil {
		return err
	}
	if s.slots.Topic == nil {
		s.slots.Topic = &lastStep{At: s.now}
	}
	s.slots.Topic.Flow = byDayAnswered // "月底之前呢" next is by then
	sayDue(s, text)
	return nil
}

// byDayAnswered marks what is to pay by a day as the topic: another day
// named alone next, "before" it ("月底之前呢", "and by the 20th?"), asks the
// same of it (byDayFollowUp; a probe: unsure).
const byDayAnswered = "by_day"

var (
	byDayFollowZH = regexp.MustCompile(`^(?:那|那么)?(?:(这个?|本|下个?)?月底|(?:[0-9]{1,2}\s*月\s*)?[0-9]{1,2}\s*[号日]|下?(?:周|星期)[一二三四五六日天])(?:之前|以前|前)(?:呢)?[?？。]*$`)
	byDayFollowEN = regexp.MustCompile(`^(?:and |what about |how about |and what about )?(?:by|before) (?:(the end of (?:the|this|next) month|month end|the end of the month)|the [0-9]{1,2}(?:st|nd|rd|th)?|(?:next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))[?.!]*$`)
)

// byOn reads an English day by or before which as one on which; theDayOn a
// day named alone after "and" or "about".
var (
	byOn     = strings.NewReplacer("before the ", "on the ", "by the ", "on the ")
	theDayOn = strings.NewReplacer("and the ", "and on the ", "about the ", "about on the ")
)

// byDayFollowUp answers byDayFollowZH or byDayFollowEN right after what is
// to pay by a day was said: what is to pay by the one named now.
func (s *Step) byDayFollowUp(text string) (bool, error) {
	t := s.topicJustBefore()
	l := strings.TrimSpace(strings.ToLower(inDigits(text)))
	if t == nil || t.Flow != byDayAnswered || s.conv.CustomerID == "" {
		return false, nil
	}
	var day supportbot.Date
	ok := false
	zh, en := byDayFollowZH.FindStringSubmatch(l), byDayFollowEN.FindStringSubmatch(l)
	switch {
	case zh == nil && en == nil:
		return false, nil
	case zh != nil && strings.Contains(zh[0], "月底"), en != nil && en[1] != "":
		m := s.today.Time(time.UTC)
		ahead := 1
		if zh != nil && strings.HasPrefix(zh[1], "下") || en != nil && strings.Contains(en[1], "next") {
			ahead = 2
		}
		day, ok = supportbot.Date(time.Date(m.Year(), m.Month()+time.Month(ahead), 0, 0, 0, 0, 0, time.UTC).Format("2006-01-02")), true
	default:
		day, ok = s.dayAsked(byOn.Replace(l)) // "before the 16th": the day as "on the 16th" is read
	}
	if !ok || day < s.today {
		return false, nil
	}
	s.conv.Misses = 0
	return true, sayDueBy(s, day, "bill.by_day", s.day(day))
}

// byDayAsked asks what is to pay by a day ("10号之前我要还多少", "15号前
// 一共要还多少": a probe got unsure).
var byDayAsked = regexp.MustCompile(`^(?:请问|那)?我?\s*(?:(?:[0-9]{1,2}\s*月\s*)?[0-9]{1,2}\s*[号日]|下?周[一二三四五六日天])(?:之前|以前|前)\s*我?(?:一共|总共)?(?:要|需要|得|应该)(?:自己|手动)*(?:还|付|交)多少(?:钱)?[啊呀呢吗?？]*$`)

// byDayAskedEN is byDayAsked in English ("how much is due by the 20th",
// "what do i need to pay before the 15th": an English probe got the
// overview).
var byDayAskedEN = regexp.MustCompile(`^(?:so |and |ok )?(?:how much|what)(?: is| do i| will i| should i)?(?: have to| need to)?(?: pay| owe| due)?(?: in total| altogether)? (?:by|before) the [0-9]{1,2}(?:st|nd|rd|th)?(?: of (?:the|this|next) month)?[?.!]*$`)

// dueByDay answers byDayAsked: every unpaid bill due by that day, overdue
// ones first, each with whether a booking pays it, and the total.
func dueByDay(s *Step, text string) (bool, error) {
	l := strings.TrimSpace(strings.ToLower(inDigits(text)))
	if s.conv.CustomerID == "" || !byDayAsked.MatchString(l) && !byDayAskedEN.MatchString(l) {
		return false, nil
	}
	day, ok := s.dayAsked(byOn.Replace(l))
	if !ok || day < s.today {
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	return true, sayDueBy(s, day, "bill.by_day", s.day(day))
}

func dueOnDay(s *Step, text string) (bool, error) {
	l := strings.TrimSpace(strings.ToLower(inDigits(text)))
	if s.conv.CustomerID == "" || !dueDayZH.MatchString(l) && !dueDayEN.MatchString(l) && !dueDayPlanZH.MatchString(l) {
		return false, nil
	}
	day, ok := s.dayAsked(l)
	if !ok {
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	plans, err := s.openPlans()
	if err != nil {
		return false, err
	}
	if m := dueDayPlanZH.FindStringSubmatch(l); m != nil {
		i := planSaid(bare(m[1]), plans)
		if i == 0 {
			return false, nil // "15号信用卡要还多少": none of theirs
		}
		plans = plans[i-1 : i]
	}
	return true, sayDueOn(s, day, plans)
}

// dueDayPlanZH is dueDayZH's first form with a plan between the day and
// the question ("1月18号电视要还多少": a probe got the plan's card, its next
// period a month before).
var dueDayPlanZH = regexp.MustCompile(`^(?:请问|那|我)?\s*(?:今天|明天|后天|大后天|(?:[0-9]{1,2}\s*月\s*)?[0-9]{1,2}\s*[号日]|下?周[一二三四五六日天]|下?星期[一二三四五六日天])(?:的|那天)?\s*` +
	`([\p{Han}A-Za-z][\p{Han}A-Za-z0-9 ]{0,11}?)(?:的|那笔|那期)?\s*(?:要|需要|应该|得)(?:还|付|交)多少(?:钱)?[啊呀呢吗?？]*$`)

// sayDueOn says what is due on day: the periods due that day with their
// status, or that none is and when the next falls due — what is overdue
// above, and their sum kept for "一共多少" next.
func sayDueOn(s *Step, day supportbot.Date, plans []supportbot.Plan) error {
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	var lines, late []string
	var amounts []supportbot.Money
	next := supportbot.Date("")
	for _, p := range plans {
		for _, b := range p.Bills {
			switch {
			case b.Overdue(s.today):
				late, amounts = append(late, periodLine(s, p, b, sched)), append(amounts, b.Due())
			case b.DueDate == day:
				lines = append(lines, periodLine(s, p, b, sched))
				if b.Status == supportbot.BillUnpaid {
					amounts = append(amounts, b.Due())
				}
			case b.Status == supportbot.BillUnpaid && b.DueDate > day && (next == "" || b.DueDate < next):
				next = b.DueDate
			}
		}
	}
	var out []string
	if len(late) > 0 {
		out = append(out, s.T("due_day.overdue"), strings.Join(late, "\n"), "")
	}
	switch {
	case len(lines) > 0:
		out = append(out, s.T("due_day.header", "day", s.day(day)), strings.Join(lines, "\n"))
	case next != "":
		out = append(out, s.T("due_day.none_next", "day", s.day(day), "next", s.day(next)))
	default:
		out = append(out, s.T("due_day.none", "day", s.day(day)))
	}
	if total, err := supportbot.SumMoney(amounts...); err == nil && len(amounts) > 0 {
		s.shownSum(total, len(amounts))
	}
	if s.slots.Topic == nil {
		s.slots.Topic = &lastStep{At: s.now}
	}
	s.slots.Topic.Flow = dayAnswered // "后天呢" next is that day's
	s.conv.Misses = 0
	s.say(strings.Join(out, "\n"), s.billAndMessages())
	return nil
}

// dayAnswered marks what is due on a day (or, On, what debits on it) as
// the topic: another day named alone next ("后天呢", "这周五呢", "what about
// friday?") asks the same of it (a probe: unsure).
const dayAnswered = "day"

var (
	otherDayZH = regexp.MustCompile(`^(?:那|那么|还有)?(?:今天|明天|后天|大后天|(?:下下|下|这|本)?(?:周|星期|礼拜)[一二三四五六日天]|(?:[0-9]{1,2}\s*月\s*)?[0-9]{1,2}\s*[号日])(?:的|那天)?(?:呢|有吗|也有吗)?[?？。]*$`) // a question of its own ("23号要还多少") is its reader's
	otherDayEN = regexp.MustCompile(`^(?:and |what about |how about |and what about |and on )(?:on )?(?:the day after tomorrow|today|tomorrow|(?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|the [0-9]{1,2}(?:st|nd|rd|th)?)[?.!]*$`)
)

// dayFollowUp answers another day named alone right after what is due on
// a day was said: what is due on that one.
func (s *Step) dayFollowUp(text string) (bool, error) {
	t := s.topicJustBefore()
	l := strings.TrimSpace(strings.ToLower(inDigits(text)))
	if t == nil || t.Flow != dayAnswered || !otherDayZH.MatchString(l) && !otherDayEN.MatchString(l) {
		return false, nil
	}
	l = theDayOn.Replace(l) // "and the 25th?": the 25th (a probe: unsure)
	day, ok := s.dayAsked(l)
	if !ok || day < s.today {
		return false, nil
	}
	if t.On { // after the debits of a day ("明天会扣我钱吗"): that day's
		return sayDebits(s, l)
	}
	plans, err := s.openPlans()
	if err != nil {
		return false, err
	}
	return true, sayDueOn(s, day, plans)
}

// dueDayZH and dueDayEN are how much is due on a day asked and nothing
// else: the day (today, tomorrow, the day after, a day of the week or of
// the month, no month), and how much to pay.
var (
	dueDayZH = regexp.MustCompile(`^(?:请问|那|我)?\s*(?:今天|明天|后天|大后天|(?:[0-9]{1,2}\s*月\s*)?[0-9]{1,2}\s*[号日]|下?周[一二三四五六日天]|下?星期[一二三四五六日天])(?:的|那天)?\s*(?:要|需要|应该|得)?(?:还|付|交)多少(?:钱)?[啊呀呢吗?？]*(?:[，, ]*(?:是|还的是|要还的是)?哪(?:个|笔|些|几笔|一笔)[啊呀呢?？]*)?$|` + // "10号要还多少 是哪个" (a probe: unsure)
		// whether anything, and what, is due on the day ("今天要还钱吗", "我今天要还哪个", "今天到期的是哪笔": an audit was unsure)
		`^(?:请问|那)?我?(?:今天|明天)(?:要|需要|得|有)(?:还钱|还款|还|要还的|到期的)(?:吗|么|嘛)?[?？]*$|^(?:请问|那)?我?(?:今天|明天)(?:要|得)还哪(?:个|笔|期|一笔|一期)[?？]*$|` +
		`^(?:今天|明天)到期的是哪(?:个|笔|期|一笔|一期)[?？]*$|^哪(?:个|笔|期|一笔|一期|几笔)(?:是)?(?:今天|明天)到期(?:的)?(?:啊|呢)?[?？]*$`) // "哪个今天到期" (a probe: small talk)
	dueDayEN = regexp.MustCompile(`^how much (?:do|will|should|must) i (?:have to |need to )?(?:pay|owe)(?: on)? (?:the )?(?:[0-9]{1,2}(?:st|nd|rd|th)?|today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\??$|` +
		// whether anything is due on a day (an audit: "is my payment due today" got a quote, one tap from paying)
		`^(?:is|are) (?:my|any|the|a) (?:[a-z]+ )?(?:payments?|bills?|installments?) due (?:today|tomorrow)\??$|^do i have (?:a |any )?(?:payments?|bills?) due (?:today|tomorrow)\??$|` +
		`^is (?:anything|something) due (?:today|tomorrow)\??$|^do i have (?:anything|something) (?:due|to pay) (?:today|tomorrow)\??$|` +
		`^(?:what|which) (?:payments?|bills?) (?:is|are) due (?:today|tomorrow)\??$|^what (?:do|will) i (?:need to |have to )?pay (?:today|tomorrow)\??$`) // the last: the bills' list to pay from (a probe)
)

// lastPeriodSaid names a plan's last period.
var lastPeriodSaid = regexp.MustCompile(`最后一期|最后1期|末期|尾期|\blast (?:period|installment|instalment)\b|\b(?:my|its|the plan'?s) last month\b|\bfinal (?:period|installment|instalment|payment|bill)\b`)

// paidAsked ask whether something was paid ("还了没有", "扣了吗", "paid").
var paidAsked = regexp.MustCompile(`逾期了?(?:吗|没|么)|(?:有没有|是不是|算不算|有)逾期|\b(?:was i|am i|were they|was it) (?:late|overdue)\b|\bdid i miss\b|还(?:了|款了|没|清)|[扣付交](?:了|款了|钱了|没)|[扣付交还]款?(?:成功|到账)|\b(?:paid|pay|charged|debited|go through|went through|gone through|go thru|went thru|was taken|were taken|did you take|took)\b`)

// monthNamed reads a month a message names — 上个月, 上上个月, "last
// month", 10月, "in October" — as "YYYY-MM", the nearest such month to
// today's.
func monthNamed(l string, today supportbot.Date) (string, bool) {
	t := today.Time(time.UTC)
	back := -1
	switch {
	case strings.Contains(l, "上上个月") || strings.Contains(l, "上上月"):
		back = 2
	case pastMonthSaid(l):
		back = 1
	}
	if back >= 0 {
		return t.AddDate(0, -back, 1-t.Day()).Format("2006-01"), true
	}
	n := 0
	if m := monthNumber.FindStringSubmatch(l); m != nil {
		if n, _ = strconv.Atoi(m[1]); n == 0 {
			n = chineseNumber(m[1])
		}
	} else if m := monthWord.FindStringSubmatch(l); m != nil {
		n = slices.Index(monthWords, m[1][:3]) + 1
	}
	if n < 1 || n > 12 {
		return "", false
	}
	// The nearest such month: "January" asked in December is the coming
	// one, "October" the one just gone (a review: a past January's "no
	// bill" read as the coming one's).
	year, now := t.Year(), int(t.Month())
	switch {
	case n-now > 6:
		year--
	case now-n > 6:
		year++
	}
	return fmt.Sprintf("%04d-%02d", year, n), true
}

var (
	monthNumber = regexp.MustCompile(`(?:^|[^0-9])(` + monthDigits + `)\s*月份?(?:[^0-9日号]|$)`)
	monthWord   = regexp.MustCompile(`\b(january|february|march|april|june|july|august|september|sept|october|november|december|jan|feb|aug|sep|oct|nov|dec)\b`)
	monthWords  = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
)

// monthLabel names a "YYYY-MM" month: 10月 or October, with its year when
// it is not today's.
func monthLabel(lang supportbot.Lang, month string, today supportbot.Date) string {
	t, _ := time.Parse("2006-01", month)
	sameYear := t.Year() == today.Time(time.UTC).Year()
	switch {
	case lang == supportbot.LangEN && sameYear:
		return t.Format("January")
	case lang == supportbot.LangEN:
		return t.Format("January 2006")
	case sameYear:
		return fmt.Sprintf("%d 月", int(t.Month()))
	}
	return fmt.Sprintf("%d 年 %d 月", t.Year(), int(t.Month()))
}

// quoteDueDates answers a question about when the periods of the bill's
// quote in front of the customer are due ("这期不是22号才到期吗", "when is this one
// due?") with their due dates, and the quote stays — not a miss that offers
// a person (a probe). At a payoff's quote the bill is shown beside it.
func quoteDueDates(s *Step, text string) (bool, error) {
	q := s.slots.Quote
	l := strings.ToLower(text)
	if s.conv.State != "quoted" || q == nil || q.Kind != supportbot.QuoteBill || len(q.Periods) == 0 || !asks(text) && !containsAny(l, "when", "几号", "哪天") ||
		!containsAny(l, "到期", "还款日", "截止", "due", "deadline") || containsAny(l, "如果", "逾期", "晚", "late", "overdue", "if") {
		return false, nil
	}
	p, err := s.plan(s.slots.Plan)
	if err != nil || p == nil {
		return false, err
	}
	var lines []string
	for _, b := range p.Bills {
		if slices.Contains(q.Periods, b.Period) {
			lines = append(lines, s.T("quote.due", "period", b.Period, "date", b.DueDate.Format(s.conv.Lang)))
		}
	}
	if len(lines) == 0 {
		return false, nil
	}
	s.conv.Misses = 0
	s.say(strings.Join(lines, "\n") + "\n" + s.confirmHow())
	return true, nil
}

// refusesToPay answers a refusal to pay with nothing in front ("我不想还
// 了", "这个月先不还了", "I don't want to pay this month"): nothing is
// charged here, and it was heard as such (a probe: "好的，这次不还款" alone
// agreed to skip a bill) — but the bills still stand: what is due and
// when, what debits it anyway (a booking, with its cancel a tap away;
// auto-repayment), and what not paying by the due date means.
func refusesToPay(s *Step) error {
	return duesStand(s, "")
}

// duesStand says the bills still stand and what is due, lead first — or,
// with none, that nothing was paid ("" lead: a no to paying, said as one).
func duesStand(s *Step, lead string) error {
	open, err := s.openPlans()
	if err != nil || len(open) == 0 {
		switch {
		case err != nil:
		case lead != "":
			s.menu("owe.nothing") // asked, owing nothing
		default:
			s.declined(string(refusesPaying))
		}
		return err
	}
	cards, err := s.cards()
	if err != nil {
		return err
	}
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	// A booking being debited is a charge under way: "nothing was charged"
	// would be untrue (a probe).
	switch {
	case lead != "":
	case slices.ContainsFunc(sched, func(r supportbot.ScheduledRepayment) bool { return r.Debiting(s.now) }):
		lead = s.T("decline.nothing_started")
	default:
		lead = s.T("decline.nothing_paid") + s.T("decline.bills_stand")
	}
	parts := []string{lead}
	booked, gap := false, false
	for _, p := range open {
		due, _ := dueLines(s, p, cards, sched)
		if len(due) == 0 {
			continue
		}
		lines := append([]string{string(planTitle(p))}, due...)
		if line := autopayLine(s, p, defaultCard(cards)); line != "" {
			lines = append(lines, line)
		}
		parts = append(parts, strings.Join(lines, "\n"))
		for _, r := range sched {
			if r.PlanID == p.ID && r.RunAt.After(s.now) {
				b, ok := billOf(&p, r.Period)
				booked, gap = true, gap || ok && b.Status == supportbot.BillUnpaid && gapOf(s, r, b, cards) != paysWhole
			}
		}
	}
	switch {
	case gap: // "仍会按时扣款" of one that will fail: untrue (a probe)
		parts = append(parts, s.T("decline.booking_runs_gap"))
	case booked:
		parts = append(parts, s.T("decline.booking_runs"))
	}
	parts = append(parts, s.T("decline.still_due"))
	var btns []supportbot.Button
	if booked {
		btns = append(btns, s.menuBtn(s.T("menu.cancel"), "cancel"))
	}
	btns = append(btns, s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())
	s.say(strings.Join(parts, "\n\n"), s.next(btns...)...)
	return nil
}

// asksIfFreed reports a question whether what is owed need not be paid
// any more ("是不是不用还了", "分期功能停用了是不是就不用还了", "do i still
// have to pay?"): a probe got a booking's "no need to pay this period by
// hand", or "no recent payment" for an overdue customer, or how to switch
// installments off — never "yes, it is still owed". The question ends the
// message (a regression run: "还要还款 能用微信吗", "我还要还 但是这个月钱不够",
// "i still owe 500, can i pay half now?" lost their answers); not of a fee,
// a return, a payoff or a closure — their topics say — nor of someone else.
func asksIfFreed(text string) bool {
	l, at, ok := freedAsked(text)
	return ok && !containsAny(l[:at], notFreed...) && !payoffWords(text) && !paysOff(text)
}

// asksIfPayoffFrees reports the same question of paying off early ("提前
// 还清了是不是就不用还了"): the payoff's topic answers, not a booking's notice
// (a regression run).
func asksIfPayoffFrees(text string) bool {
	_, _, ok := freedAsked(text)
	return ok && (payoffWords(text) || paysOff(text))
}

// freedAsked reports a message ending in the question whether something
// need not be paid (freedZH, freedEN), of the customer's own: lower-cased,
// and where the question starts.
func freedAsked(text string) (string, int, bool) {
	l := strings.ToLower(strings.TrimSpace(text))
	m := freedZH.FindStringIndex(l)
	if m == nil {
		m = freedEN.FindStringIndex(l)
	}
	if m == nil || !asks(text) || aboutSomeoneElse(text) || anyKin.MatchString(l) || containsAny(l, "我妈", "我爸", "别人", "他人", "她", "他的") {
		return l, 0, false
	}
	return l, m[0], true
}

var (
	// freedZH ends a message asking whether it need not be paid: "是不是不
	// 用还了", "还要还吗", "这笔免还吗".
	freedZH = regexp.MustCompile(`(?:(?:不用|不需要|不必|不用再|可以不用|可以不|能不|就不)还(?:款|钱)?了?(?:吗|么|呢|吧|啊|呀)*|` +
		`还(?:要|用|需要|得)(?:再)?还(?:款|钱)?(?:吗|么|呢|啊|呀)+|免还(?:吗|么|了吗)?)[\s？?。.!！~]*$`)
	// freedEN is the English question, the whole message.
	freedEN = regexp.MustCompile(`^(?:so |then |and |wait,? )?(?:(?:do|will) i still (?:have|need) to pay(?: (?:it|this|them|anything|anymore|this month|the rest))?|` +
		`(?:so )?i (?:don'?t|do not) (?:have|need) to pay (?:anymore|any more|it anymore)(?:,? right)?|no need to pay(?: (?:it|this month|anymore))?|` +
		`is there anything i still owe|do i still owe (?:anything|money|you)(?: anymore)?)[\s?.!]*$`)
	// notFreed are what a question of a fee, a return, a payoff, a closure,
	// a booking or reminders is about, or of what is left: their answers.
	notFreed = []string{"滞纳金", "利息", "手续费", "费", "退货", "退了", "退款", "退回", "注销", "销户", "已经", "刚", "取消", "提醒",
		"几", "多少", "哪"}
)

// outageSaid names the installment feature down or gone ("分期功能停用了",
// "商城分期用不了"): the guide's answer says where to pay meanwhile.
var outageSaid = regexp.MustCompile(`(?:分期|功能|系统|app|商城|服务|平台)[^，,。？?]{0,6}?(?:停用|下线|用不了|不能用|打不开|故障|坏了|没了|维护|关闭|关了|停了|崩)|` +
	`\b(?:is|was|went|are|goes) down\b|\boutage\b|\b(?:app|installments?|service|feature) (?:is |are )?(?:not working|stopped|gone|broken)`)

// stillOwed answers asksIfFreed: it is owed, and — the customer known —
// what is due; the feature down, where to pay meanwhile.
func stillOwed(s *Step, text string) error {
	s.conv.Misses = 0
	l := strings.ToLower(text)
	if kind, _ := kindSaid(l); outageSaid.MatchString(l) && kind < 0 && s.showAnswer("installment-unavailable") { // "分期买的手表坏了": the watch, not the feature (a probe got where to pay meanwhile)
		return nil
	}
	still, lead := s.T("owe.still"), s.T("owe.still_lead")
	if faultSaid.MatchString(l) { // "东西有质量问题 这个分期能不还吗": after-sales is the mall's, the plan goes on
		still, lead = s.T("owe.fault")+"\n"+still, s.T("owe.fault")+"\n"+lead
	}
	if s.conv.CustomerID == "" {
		s.say(still, s.next(s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...)
		return nil
	}
	if told, err := owedAfterDay(s, l); told || err != nil {
		return err
	}
	return duesStand(s, lead)
}

// owedAfterDay answers whether anything is owed after a day named ("12月20号
// 之后还要还吗"): the periods still due after it, or none — the last one
// falling due that day or before (an audit got "要还的" after the last).
// It reports whether a day was named.
func owedAfterDay(s *Step, l string) (bool, error) {
	if !afterDaySaid.MatchString(l) {
		return false, nil
	}
	day, ok := s.dayAsked(l)
	if !ok {
		return false, nil
	}
	plans, err := s.openPlans()
	if err != nil {
		return false, err
	}
	n, last := 0, supportbot.Date("")
	for _, p := range plans {
		for _, b := range p.Bills {
			if b.Status != supportbot.BillUnpaid {
				continue
			}
			if b.DueDate > day {
				n++
			}
			if b.DueDate > last {
				last = b.DueDate
			}
		}
	}
	if last == "" {
		return false, nil
	}
	key := "owe.after_none"
	if n > 0 {
		key = "owe.after_some"
	}
	s.say(s.T(key, "day", s.day(day), "count", n, "last", s.day(last)), s.next(s.menuBtn(s.T("menu.bill"), "bill"))...)
	return true, nil
}

// afterDaySaid names a day and after it ("12月20号之后", "after the 20th").
var afterDaySaid = regexp.MustCompile(`[0-9]{1,2}\s*[号日]\s*(?:之后|以后|后|过后)|\bafter (?:the |dec(?:ember)? |jan(?:uary)? )?[0-9]{1,2}(?:st|nd|rd|th)?\b`)

// faultSaid names a fault of the goods bought: a quality problem, a
// breakdown, after-sales.
var faultSaid = regexp.MustCompile(`质量|毛病|坏了|坏掉|故障|售后|次品|瑕疵|\b(?:defective|faulty|broken|quality)\b|stopped working|doesn'?t work`)
