package flows

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"supportbot"
)

// asksWhyDebited reports a question why money was taken ("我没还款怎么扣钱
// 了", "今天怎么扣了我166", "why did u take money from my card"): the FAQ
// read them as how to pay, or not at all (a probe). Not a double charge, a
// failed debit, a fee, or one to come: those are the FAQ's or the bookings'.
func asksWhyDebited(text string) bool {
	l := strings.ToLower(text)
	if containsAny(l, "两次", "重复", "多扣", "又扣", "还扣", "已经还了", "失败", "没扣", "没有扣", "滞纳金", "手续费", "利息", "会不会", "会扣",
		"扣不了", "扣不上", "扣不出", "扣不到", "不能扣", "用不了", "不能还", "can't be", "cannot be", "declined", // a debit that failed: "工行卡为啥扣不了" (a probe)
		"这么多", "多少", "信用分", "积分", "扣分", "折扣",
		"twice", "double", "again", "already paid", "fail", "not debited", "wasn't", "haven't", "havent", "hasn't", "hasnt", "yet",
		"late fee", "fee", "interest", "will ", "so much", "that much", "too much", "how much") ||
		someoneElses.MatchString(l) || kinFor.MatchString(l) ||
		notConfirmed.MatchString(l) && containsAny(l, "了没", "了吗", "扣没", "没有", "?", "？") { // "我没点确认那钱扣了没有": whether, not why (an audit)
		return false
	}
	return whyDebited.MatchString(l)
}

// cardLost says a bank card was lost or stolen ("i lost my hsbc card",
// "招行卡丢了").
var cardLost = regexp.MustCompile(`\b(?:lost|misplaced)\b[^.?!]{0,16}\bcard\b|\bcard\b[^.?!]{0,10}\b(?:was |got |has been )?(?:lost|stolen)\b|卡(?:丢了|掉了|被偷了?|丢失了?|被盗)|(?:丢了|弄丢了|被偷了)[^，。？?]{0,6}卡`)

// whyCantPay asks why paying here does not work ("为啥我还不了款啊", "为什么
// 这里还不了款", "why can't i pay").
var whyCantPay = regexp.MustCompile(`(?:为啥|为什么|怎么|咋)[^，。？?]{0,6}(?:还不了|付不了|没法还|没办法还|不能还|还款不了|还不上款)|\bwhy (?:can'?t|cant|can not|cannot) i (?:pay|repay|make (?:a|my) payment)\b`)

// asksWhyFailed is a failed debit asked why ("工行卡为啥扣不了", "为什么扣款
// 失败", "why cant my card be charged") — a debit's, not paying another way
// ("为什么信用卡还不了", "为什么微信还不了": the guides' other answers).
var asksWhyFailed = regexp.MustCompile(`(?:为啥|为什么|怎么|咋)[^，。,?？!！]{0,6}(?:扣不了|扣不上|扣不出|扣不到|扣款失败|不能扣)|` +
	`\bwhy (?:can'?t|cant|won'?t|wont|didn'?t|didnt) (?:my|the|you|it)\b.{0,20}\b(?:charge|debit)|\bwhy (?:was|is) my (?:card|payment) declined\b`)

// overdueDespiteAutopay asks why a bill is overdue with auto-repayment on
// ("我开通了自动还款 K70怎么还逾期了", "i have autopay on why am i overdue"):
// its debit did not go through (an audit was told to turn it on).
var overdueDespiteAutopay = regexp.MustCompile(`(?:开了|开通了|开着|设置了|有)自动(?:还款|扣款)[^。?？!！]{0,12}(?:为啥|为什么|怎么|咋)[^。?？!！]{0,6}(?:还|会|又)?(?:逾期|没扣|没还)|` +
	`\b(?:autopay|auto-?repayment|auto debit)\b[^.?!]{0,20}\b(?:on|enabled|set up)\b[^.?!]{0,12}\bwhy\b[^.?!]{0,16}\b(?:overdue|late|not (?:paid|charged|debited))\b`)

// whyDebited is a debit asked why: 扣 or 划走 (not 计划) after a why, with
// 了 — or straight to "me" and "my money" — and in English, charged,
// debited or money taken.
var whyDebited = regexp.MustCompile(`(?:怎么|为什么|为啥|咋|凭什么)[^，。,?？!！]{0,8}(?:扣|划走|划扣|划了)[^，。,?？!！]{0,6}了|` +
	// "你们怎么乱扣钱啊 我没同意", "没经过我同意就扣款" (a probe: unsure)
	`乱扣|私自扣|擅自扣|偷偷扣|(?:没|没有|未)(?:经过)?(?:我的?)?(?:同意|允许|授权)[^，。,?？!！]{0,6}(?:就)?(?:扣|划)|(?:扣|划)[^，。,?？!！]{0,6}(?:我)?(?:没|没有|未)(?:同意|允许|授权)|` +
	`\b(?:charged|debited|took money)\b[^.?!]{0,20}\bwithout (?:my )?(?:permission|consent|asking)\b|` +
	`(?:为什么|为啥|咋|凭什么)(?:要|又)?(?:扣|划走)(?:我|我的)(?:钱|款|卡)|` +
	`(?:没还款?|没有还款?|没付款?|没有付款?|没还钱|没有还钱|没操作|没点)[^，。,?？!！]{0,8}(?:扣|划走|划扣)[^，。,?？!！]{0,6}了|` +
	`(?:没还款?|没有还款?|没付款?|没有付款?|没还钱|没有还钱|没操作)[^。?？!！]{0,12}(?:钱少了|钱没了|少了钱|钱不见了|少了\d)|` +
	`(?:这笔|这个|这是什么|什么)扣款(?:是什么|是啥|哪来的|怎么回事)?[吗？?]*$|` +
	// "今天扣的166.5是啥", "昨天扣了我300是什么钱" (a probe: "not sure")
	`扣(?:的|了我?)[¥￥]?[0-9][0-9,.]*(?:块|元)?(?:钱)?(?:是|是个)?(?:啥|什么|什么钱|哪来的|怎么回事)|` +
	`\bwhat (?:is|was|'s) (?:this|that) (?:[¥$]?[0-9][0-9,.]* )?(?:charge|debit|deduction)\b|` +
	`\bwhat (?:is|was|'s) (?:the |this |that )?(?:charge|debit|deduction) of [¥$]?[0-9]|` + // not "what is the charge for paying late" (a regression run)
	`\bi (?:didn'?t|did not|never) (?:pay|make a payment)\b.{0,30}\b(?:money (?:is |was )?(?:gone|missing)|missing money)\b|` +
	`\b(?:why|how come)\b.{0,30}\b(?:charged|debited|deducted|took (?:my |the |)money|taken (?:from|out of)|take (?:my |the |)money|charge (?:me|my card|my account)|debit (?:me|my card|my account)|charging|debiting)\b|` +
	// "why r u taking 550 from me", "i was charged 550.58 today what for" (an English probe: unsure)
	`\b(?:why|how come)\b.{0,20}\b(?:taking|take|took)\b.{0,20}\bfrom (?:me|my)\b|\b(?:charged|debited|deducted|taken)\b.{0,30}\bwhat for\b|` +
	`\bi (?:didn'?t|did not|never) (?:pay|make a payment|authori[sz]e)\b.{0,30}\b(?:charged|debited|deducted|took|taken)\b|` +
	`\bwhat(?:'s| is| was) (?:this|that) (?:charge|debit|deduction)\b|` +
	// a debit seen, said rather than asked (a probe: the card-binding guide)
	`\bi (?:still |can |just )?see (?:a|an|the|this|that) (?:charge|debit|deduction)\b|\bthere(?:'s| is) (?:a|an) (?:charge|debit|deduction) on my (?:card|account|statement)\b|` +
	// "i see 541.58 taken from my ping an card today, what is it" (an audit: unsure)
	`\b(?:i (?:still |can |just )?see|there(?:'s| is)) (?:¥|rmb ?|\$)?[0-9][0-9,.]* (?:taken|charged|debited|deducted|gone|missing)\b|` +
	`(?:卡上|卡里|账户里?|银行卡)(?:多了|有)一笔(?:扣款|扣费)`)

// productOf is the product of the plan of plans with id, or the id itself
// when none is (a plan no longer read).
func productOf(plans []supportbot.Plan, id string) string {
	if i := slices.IndexFunc(plans, func(p supportbot.Plan) bool { return p.ID == id }); i >= 0 {
		return plans[i].Product
	}
	return id
}

// ranLately reports a booking done within debitedWithin: the money it
// took is what "today's payment" or "this charge" may be.
func ranLately(s *Step, r supportbot.ScheduledRepayment) bool {
	return r.Status == supportbot.ScheduledDone && r.RunAt.After(s.now.Add(-debitedWithin))
}

// debitedWithin is how far back a debit is taken as the one asked about.
const debitedWithin = 72 * time.Hour

// whyDebitedAnswer tells what of the customer's own takes money by itself,
// or took it lately — or that none does, with a person to check a debit
// that matches none.
func whyDebitedAnswer(s *Step) error {
	lines, err := debitLines(s)
	if err != nil {
		return err
	}
	rows := [][]supportbot.Button{s.billAndMessages(), {s.humanBtn()}}
	if len(lines) == 0 {
		s.say(s.T("debited.none"), rows...)
		return nil
	}
	s.say(s.T("debited.header")+"\n"+strings.Join(lines, "\n")+"\n\n"+s.T("debited.footer"), rows...)
	return nil
}

// ownDebits puts, under the double charge's answer, what of the identified
// customer's own debited lately or debits by itself (a probe: only the
// general advice, while the bot knew the two debits).
func (s *Step) ownDebits(topic string) string {
	if topic != "double-charge" || s.conv.CustomerID == "" {
		return ""
	}
	if ok, err := s.linked(); err != nil || !ok {
		return ""
	}
	lines, err := debitLines(s)
	if err != nil {
		return ""
	}
	// A booking still to run on a period paid already: the second charge
	// asked about may be it (a probe: "第2期我已经还了 为什么明天还要扣"
	// got unsure, the booking on file for the next morning).
	plans, err := s.plans()
	if err != nil {
		return ""
	}
	sched, err := s.scheduled()
	if err != nil {
		return ""
	}
	ahead := secondCharges(s, plans, slices.DeleteFunc(slices.Clone(sched), func(r supportbot.ScheduledRepayment) bool { return r.Debiting(s.now) }))
	var own []string
	if len(lines) > 0 {
		own = append(own, s.T("debited.header")+"\n"+strings.Join(lines, "\n"))
	}
	if len(ahead) > 0 {
		own = append(own, strings.Join(ahead, "\n"))
	}
	return strings.Join(own, "\n\n")
}

// paidYetDebited says a period or plan paid and asks why a debit is still
// coming or taking money ("第2期我已经还了 为什么明天还要扣", "我都还清了
// 为什么还在扣我钱", "i already paid period 2 why is there another charge
// tomorrow"): a second charge asked about (a probe got unsure, or the
// refunds' answer).
var paidYetDebited = regexp.MustCompile(`(?:已经|都|早就?)?还(?:了|清了?|完了?)[^。?？!！]{0,14}(?:为什么|为啥|怎么|咋)[^。?？!！]{0,8}(?:还|又)(?:要|在|会|有)?[^。?？!！]{0,4}(?:扣|划)|` +
	`\b(?:already|just) paid\b[^.?!]{0,40}\b(?:why|how come)\b[^.?!]{0,40}\b(?:charg|debit|deduct|tak)`)

// debitLines are what of the customer's own takes money by itself, or took
// it lately: their bookings debiting or done in debitedWithin, their
// payments here, and the plans on auto-repayment.
func debitLines(s *Step) ([]string, error) {
	plans, err := s.plans()
	if err != nil {
		return nil, err
	}
	cards, err := s.cards()
	if err != nil {
		return nil, err
	}
	card := func(id string) string {
		if i := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.ID == id }); i >= 0 {
			return cards[i].Masked()
		}
		return ""
	}
	sched, err := s.scheduled()
	if err != nil {
		return nil, err
	}
	since := s.now.Add(-debitedWithin)
	var lines []string
	for _, r := range sched {
		if r.Debiting(s.now) || ranLately(s, r) {
			line := s.T("debited.booking", "product", productOf(plans, r.PlanID), "period", r.Period,
				"amount", money(r.Amount), "card", card(r.CardID), "time", when(s, r.RunAt))
			if r.Debiting(s.now) && periodPaid(plans, r.PlanID, r.Period) {
				// Debiting a period paid already: the second charge asked
				// about, said (a money probe: shown as a debit to come).
				line += "\n" + s.T("debited.booking_paid")
			}
			lines = append(lines, line)
		}
	}
	paid, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, since)
	if err != nil {
		return nil, err
	}
	for i := range paid {
		if a := &paid[i]; a.State == supportbot.ActionSucceeded || a.State.Open() {
			lines = append(lines, s.T("debited.payment", "amount", money(a.Repay.Amount), "time", when(s, a.CreatedAt), "reference", reference(a)))
		}
	}
	for _, p := range plans {
		if p.AutoRepay && p.Remaining() > 0 {
			lines = append(lines, s.T("debited.autopay", "product", p.Product))
		}
	}
	return lines, nil
}

// periodPaid reports a period of plan paid already.
func periodPaid(plans []supportbot.Plan, planID string, period int) bool {
	b, ok := periodOf(plans, planID, period)
	return ok && b.Status == supportbot.BillPaid
}

// periodOf is the bill of a period of plan, among plans.
func periodOf(plans []supportbot.Plan, planID string, period int) (supportbot.Bill, bool) {
	for i := range plans {
		if plans[i].ID == planID {
			return billOf(&plans[i], period)
		}
	}
	return supportbot.Bill{}, false
}

// secondCharges are lines for each live booking of a period paid already:
// a debit to come that may charge it twice (a probe's /bill said every
// plan was settled, nothing to pay, a debit of ¥79.68 on file for the next
// morning).
func secondCharges(s *Step, plans []supportbot.Plan, sched []supportbot.ScheduledRepayment) []string {
	var lines []string
	for _, r := range sched {
		if r.Live() && !r.RunAt.Before(s.now.Add(-supportbot.StaleBooking)) && periodPaid(plans, r.PlanID, r.Period) {
			lines = append(lines, s.T("bill.second_charge", "product", productOf(plans, r.PlanID), "period", r.Period,
				"amount", money(r.Amount), "time", when(s, r.RunAt)))
		}
	}
	return lines
}
