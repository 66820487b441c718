package flows

import (
	"regexp"
	"strings"

	"supportbot"
)

// lateOnDayAsked asks whether paying on a day is late ("is there a late fee
// if i pay tonight?", "明天还算逾期吗", "今天不还的话明天会逾期吗").
var lateOnDayAsked = regexp.MustCompile(`(?:今天|今晚|明天|后天|[0-9]{1,2}\s*[号日])(?:晚上|下午|上午|再|才)?(?:还|付|交)(?:款|钱|上)?(?:的话)?[^，。？?]{0,6}(?:算不算|算|会不会|会|有没有|要|还)?(?:逾期|滞纳金)|` +
	`(?:今天|今晚)不还(?:的话)?[^，。？?]{0,8}(?:逾期|滞纳金)|` +
	// "如果我明天还呢", "如果我15号还笔记本要还多少" (a probe: the overview, or unsure)
	`(?:如果|要是|假如)我?(?:今晚|明天|后天|(?:[0-9]{1,2}\s*月)?[0-9]{1,2}\s*[号日])(?:晚上|下午|上午)?(?:再|才)?(?:还|付|交)|` +
	// "今天的账单能不能明天再还" (a probe: unsure)
	`(?:今天|今日)(?:的|到期的|要还的)?(?:账单|这期|那期|那笔|的)?[^，。？?0-9]{0,8}((?:拖到|推到|等到)?(?:明天|后天|[0-9]{1,2}\s*[号日])(?:再|才)?(?:还|付|交))|` + // the day paid: its group ("今天要还的路由器能明天再还吗", "今天的能不能拖到明天还")
	`\bpay (?:today'?s|this) (?:bill|payment|installment) (tomorrow|on (?:the )?[0-9]{1,2}(?:st|nd|rd|th)?)\b|` + // "can i pay today's bill tomorrow"
	`\bif i pay (?:it |(?:the|my) (?:[a-z0-9]+ ){1,3})?(?:tonight|today|tomorrow|later today|on (?:the )?[0-9]{1,2}(?:st|nd|rd|th)?)\b|` +
	`\b(?:pay|paying) (?:it |(?:the|my) (?:[a-z0-9]+ ){1,3})?(?:tonight|tomorrow|later today)\b[^.?!]{0,30}\b(?:late|overdue)\b|` +
	// "I'll pay on the 9th, is that ok?", "if I pay on the 10th is that a problem?" (a probe: unsure);
	// "I'll pay the phone bill tomorrow, is that ok?" (a probe: the plan's card)
	`\b(?:i'?ll|i will|if i|i'?m going to|i am going to|gonna|can i) pay (?:it |(?:the|my) (?:[a-z0-9]+ ){1,3})?(?:on (?:the )?[0-9]{1,2}(?:st|nd|rd|th)?|tomorrow|tonight)\b[^.?!]{0,30}\b(?:ok|okay|fine|alright|a problem|in time|late|overdue)\b`)

// lateIfPaidOn answers whether paying on a day is late from the customer's
// bills: each open plan's next unpaid period — overdue already, falling due
// before that day (late if paid then), or due that day or later (in time) —
// and that the due date itself is in time (an audit: the quote restated,
// its period's fee read as a late fee, or unsure). It reports whether it
// answered.
func lateIfPaidOn(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || !lateOnDayAsked.MatchString(l) || !containsAny(l, "逾期", "滞纳金", "late", "overdue", "ok", "fine", "alright", "problem", "in time",
		"what happens", "what if", "can i", "能不能", "能", "可以吗", "行吗", "行不行", "可不可以", "会怎样", "会怎么样", "呢", "多少", "how much") ||
		containsAny(l, "为什么", "为啥", "why", "已经", "already", "还了", "付了", "交了", "还上了", "paid") || // a payment said made: whether it went through
		containsAny(l, "还不上", "还不了", "还不起", "付不起", "付不了", "没钱", "can't pay", "cannot pay", "can't afford") || // not able to pay: the overdue answer's
		payItOff.MatchString(l) || containsAny(l, "支付宝", "微信", "能用", "用什么", "alipay", "wechat", "which card", "哪张卡") { // a payoff on that day, the way to pay: their readers
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	// The day paid, not the due date said before it ("due on the 9th, if I
	// pay on the 10th") — but a month said anywhere is the day's ("我下个月
	// 15号再还", "the 15th next month": a replay got this month's 15th).
	m := lateOnDayAsked.FindStringSubmatch(l)
	said := m[0]
	if day := m[1] + m[2]; day != "" { // "今天的账单能不能明天再还", "pay today's bill tomorrow": the day after today
		said = day
	}
	day, ok := s.dayAsked(said)
	if !ok || containsAny(l, "月", "month") {
		day, ok = s.dayAsked(l)
	}
	if !ok || strings.Contains(l, "不还") && day == s.today { // "今天不还的话": paid tomorrow at the earliest
		day = s.today.AddDays(1)
	}
	plans, err := s.openPlans()
	if err != nil {
		return false, err
	}
	if p, err := planNamed(s, text); err != nil || p != nil { // "如果我15号还笔记本要还多少": that plan's
		if err != nil {
			return false, err
		}
		plans = []supportbot.Plan{*p}
	}
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	cards, err := s.cards()
	if err != nil {
		return false, err
	}
	var lines []string
	for _, p := range plans {
		for _, b := range p.Bills {
			if b.Status != supportbot.BillUnpaid {
				continue
			}
			args := []any{"product", p.Product, "period", b.Period, "date", s.day(b.DueDate), "day", s.day(day), "amount", money(b.Due())}
			var line string
			switch {
			case b.Overdue(s.today):
				line = s.T("late_on.overdue", args...)
			case b.DueDate < day:
				line = s.T("late_on.late", args...)
			default:
				line = s.T("late_on.in_time", args...)
			}
			if r, booked := scheduledFor(p.ID, b.Period, sched); booked {
				if g := gapOf(s, r, b, cards); g != paysWhole {
					line += gapNote(s, g, r, b)
				} else {
					line += s.T("late_on.booked", "when", when(s, r.RunAt))
				}
			}
			lines = append(lines, line)
			if !b.Overdue(s.today) {
				break // the next period to fall due, after every overdue one
			}
		}
	}
	s.conv.Misses = 0
	s.say(s.T("late_on.header", "day", s.day(day))+"\n"+strings.Join(lines, "\n")+"\n\n"+s.T("late_on.rule"),
		s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.menuBtn(s.T("menu.bill"), "bill"))...)
	return true, nil
}
