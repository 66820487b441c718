package flows

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"supportbot"
)

// lastStep is the money step the chat was at last — a bill or a payoff
// quoted (paid or not), a booking's cancellation, an auto-repayment switch:
// a follow-up naming only another plan ("那笔记本呢", "and the laptop
// too?") asks the same of that plan. A probe's "and the phone?" after a
// payment got "can't answer": the chat kept nothing of what it had done.
type lastStep struct {
	Flow  string    `json:"flow"`
	Plan  string    `json:"plan,omitempty"`
	Plans []string  `json:"plans,omitempty"` // billsListed: the plans in the order shown
	On    bool      `json:"on,omitempty"`    // autopay: the switch asked for; dayAnswered: the day's debits were said
	Done  bool      `json:"done,omitempty"`  // confirmed (under way as it closed), not only quoted
	At    time.Time `json:"at"`
	// Total and Count: what a list of bills just shown comes to, and how
	// many bills it has (shownSum).
	Total supportbot.Money `json:"total,omitempty"`
	Count int              `json:"count,omitempty"`
}

// followUpWindow is how long a finished step is what a bare "and the
// laptop?" follows.
const followUpWindow = 30 * time.Minute

// followable are the flows a follow-up repeats for another plan.
var followable = map[string]bool{"pay": true, "repay": true, "cancel": true, "autopay": true}

// stepLeftNow is the step being closed, kept as the last one when a
// follow-up could repeat it.
func (s *Step) stepLeftNow() *lastStep {
	f := s.conv.Flow
	if !followable[f] || s.slots.Plan == "" && f != "cancel" {
		return s.slots.Last
	}
	return &lastStep{Flow: f, Plan: s.slots.Plan, On: s.slots.On, Done: underWay(s.conv.State), At: s.now}
}

// recent is the step a follow-up follows, nil for none within
// followUpWindow: the money step under way (or, atQuote, at its quote),
// else the last one closed.
func (s *Step) recent(atQuote bool) *lastStep {
	last := s.slots.Last
	if followable[s.conv.Flow] && (underWay(s.conv.State) || atQuote && s.conv.State == "quoted") {
		last = s.stepLeftNow()
	}
	if last == nil || s.now.Sub(last.At) > followUpWindow || s.now.Before(last.At) {
		return nil
	}
	return last
}

var (
	// followUpZh: "那笔记本呢", "还有平板", "手机也一样", "电视也是".
	followUpZh = regexp.MustCompile(`^(那|那么|那个|还有|然后)?.{1,40}?(呢|也一样|也是|也要|同样|也)[?？。!！~～]*$|^(还有|那)`) // a product's whole name too: "那RedmiBook Pro 16 2024呢"
	// followUpEn: "and the laptop?", "what about my pad", "the tv too",
	// "now the watch", "same for the band", "do the phone as well".
	followUpEn = regexp.MustCompile(`^(and|also|now|then|what about|how about|same for|same with|and now|ok now|and also)\b|\b(too|as well|also)[?.!]*$`)
	// followUpOwnWords: the follow-up says an action or asks a question of
	// its own — the ordinary readers take it ("笔记本也提前结清", "and when
	// is the laptop due?", "手机呢 不还了").
	followUpOwnWords = regexp.MustCompile(`还款|还清|结清|提前|取消|预约|自动|关|开|扣|付|多少|几|什么|为什么|怎么|哪|吗|不|别|没|` +
		`(?:这期|本期|那期)[^，。]{0,6}还|(?:现在|手动|自己|直接|马上)还|` + // "那电视这期我现在还" after a cancellation: paying it (a probe got the bookings' list)
		`\b(pay|paid|off|cancel|autopay|auto|close|turn|switch|settle|when|why|what's|whats|which|much|many|not|don't|dont|no|is|are|does|did|can|could|will|due|overdue|owe)\b`)
	// othersThing: a thing said to be another's by a pronoun ("他的",
	// "and her laptop?") or a name's possessive ("li na's laptop"; a
	// thing's, "the laptop's fee", othersThingSaid leaves out).
	othersThing = regexp.MustCompile(`他的|她的|他们的|她们的|人家的|\b(?:her|his|their|hers|theirs)\b|([a-z]+)'s\b`)
	// possessorZh: a name before the thing ("那李娜的笔记本呢").
	possessorZh = regexp.MustCompile(`^(?:那|那么|还有|然后)?(\p{Han}{2,3})的`)
	// boughtForThem: a thing the customer bought for someone, theirs to
	// pay ("那我给我妈买的笔记本呢", "and the laptop i bought for my mom":
	// a replay got unsure) — by the customer themselves: not one someone
	// else bought ("那我老婆给她妈买的笔记本呢", "the laptop my wife bought
	// for her mom": a replay quoted the customer's own).
	boughtForThem = regexp.MustCompile(`^(?:那|那么|还有|然后)?我给[^，。,.!?！？]{1,4}买的|我买给|我送给|\bi bought\b|\b(?:gift|present) i\b`)
	// kinBought: a thing one of the customer's people bought ("那我老婆给她
	// 妈买的笔记本呢"): theirs, not the customer's to follow up.
	kinBought = regexp.MustCompile(`(?:` + kin + `|我妈|我爸)(?:给[^，。,.!?！？]{1,4})?买的`)
	// correctedTo is the thing a correction turns to: "不对 是笔记本",
	// "错了，应该是平板", "no, the laptop".
	correctedTo = regexp.MustCompile(`^(?:不对|不是|错了|说错了|搞错了)[\s,，。.!！]*(?:是|应该是|我说的是|我要的是|我是说)?(.{1,20}?)(?:才对|吧)?[。.!！]*$|^(?:no|sorry|i mean)[\s,.]+(?:i mean |i meant )?(the [a-z0-9 ]{2,30}?|my [a-z0-9 ]{2,30}?)[.!]*$`)
	// nextAsked asks after the next period alone: "那下期呢", "下个月的呢",
	// "and the next one?".
	nextAsked = regexp.MustCompile(`^(?:那|那么|还有)?(?:下一?期|下个?月的?)(?:的)?(?:呢|也还了吧|也一起)[?？。]*$|^(?:and |what about |now )?(?:the )?next (?:one|period|month'?s?(?: one)?)\??$`)
	// otherOneSaid: "那另一个呢", "and the other one too".
	otherOneSaid = regexp.MustCompile(`另一个|另外一个|另一笔|另外那个|\bthe other( one)?\b`)
)

// othersThingSaid reports othersThing in l but for a possessive of a
// thing of the customer's ("what about the laptop's fee": a replay got
// unsure, the laptop taken for a person).
func (s *Step) othersThingSaid(l string) bool {
	for _, m := range othersThing.FindAllStringSubmatch(l, -1) {
		if m[1] == "" {
			return true
		}
		if kind, _ := kindSaid(m[1]); kind >= 0 {
			continue
		}
		if open, err := s.openPlans(); err == nil && slices.ContainsFunc(open, func(p supportbot.Plan) bool {
			return slices.Contains(strings.FieldsFunc(strings.ToLower(p.Product), notAlnum), m[1])
		}) {
			continue
		}
		return true
	}
	return false
}

// undoSaid: the step just done asked undone ("undo that", "撤销刚才那笔",
// "i paid the wrong one", "恢复预约"); undoElsewhere names another matter
// to undo.
var (
	undoSaid      = regexp.MustCompile(`^(pls |please |can you |can i )?(undo|reverse|revert|cancel|take back)\b.*\b(that|it|this|payment)\b|^(undo|revert|reverse)( pls| please)?[.!? ]*$|\brefund (it|that|this|the payment|my payment)\b|paid the wrong|撤销|撤回|退回来|反悔|取消刚才|刚才那笔.*(退|撤|取消)|还错了|付错了|恢复(?:预约|刚才)|重新预约|\b(?:restore|rebook|re-book|book it again|put it back)\b`)
	undoElsewhere = regexp.MustCompile(`预约|自动|提醒|注销|booking|scheduled|autopay|auto-pay|reminder|account`)
)

// undoAsked answers "undo that" right after a money step: a payment or a
// payoff is not taken back here — the answer that says so, a person under
// it (a probe's "undo that" got "can't answer"); auto-repayment just
// switched is asked to be switched back.
func (s *Step) undoAsked(text string) (bool, error) {
	last, l := s.recent(false), strings.ToLower(text)
	if !undoSaid.MatchString(l) {
		return false, nil
	}
	if last == nil {
		return false, nil
	}
	switch {
	case (last.Flow == "pay" || last.Flow == "repay") && !undoElsewhere.MatchString(l):
		return s.showAnswer("undo-repayment"), nil
	case last.Flow == "close" && !containsAny(l, "预约", "自动", "提醒", "booking", "autopay", "reminder"):
		// "我后悔了 能撤回吗" right after a closure was submitted: how to
		// withdraw it, with theirs (a probe: unsure).
		s.conv.Misses = 0
		return s.showAnswer("close-account-withdraw"), nil
	case last.Flow == "cancel" && !containsAny(l, "自动", "提醒", "autopay", "reminder"):
		// "撤回 恢复预约" right after a booking was cancelled: not
		// restored — the period paid by hand or by auto-repayment (a
		// probe: unsure); said as a "never mind" after it is.
		return s.alreadyDone("cancel_scheduled")
	case last.Flow == "autopay" && last.Plan != "" && !containsAny(l, "预约", "提醒", "booking", "reminder"):
		s.conv.Misses = 0
		s.leave()
		if err := s.fire("autopay", "list", quietly); err != nil {
			return true, err
		}
		return true, pickAutopay(s, last.Plan, !last.On) // "撤回刚才的" after turning it on: off again, asked
	}
	return false, nil
}

// followUp repeats the chat's last money step for the other plan the
// words name alone; false when they are not such a follow-up.
func (s *Step) followUp(text string) (bool, error) {
	last := s.recent(true) // "and the laptop too" at the phone's quote too
	if last == nil || !followable[last.Flow] || s.conv.CustomerID == "" {
		return false, nil
	}
	if t := s.topicJustBefore(); t != nil && (t.Flow == "view" || t.Flow == billsListed || t.Flow == overdueAnswered) {
		// A plan looked at or asked about in the message before, after the
		// money step ("is my tv payment overdue?" after the TV's bill was
		// paid): "what about the watch" follows that question
		// (viewFollowUp), not the payment — a probe was quoted the watch's
		// bill, one tap from paying. (A money step sets no topic.)
		return false, nil
	}
	p, err := s.followedBy(text, last.Plan)
	if err != nil {
		return false, err
	}
	if p == nil && last.Flow == "pay" && last.Done && last.Plan != "" && nextAsked.MatchString(strings.ToLower(strings.TrimSpace(text))) {
		// "那下期呢" right after a bill was paid: the same plan's next
		// bill, quoted (a probe: unsure) — or, that bill its last, that
		// there is none (a probe was quoted another plan's, and paid it).
		s.conv.Misses = 0
		paid, err := s.plan(last.Plan)
		if err != nil {
			return true, err
		}
		if paid != nil && !paid.Open() {
			s.say(s.T("repay.already_settled", "product", paid.Product), s.billAndMessages())
			return true, nil
		}
		return true, s.startFlow("pay", last.Plan)
	}
	if l := strings.ToLower(text); p == nil && (last.Flow == "pay" || last.Flow == "repay") && otherOneSaid.MatchString(l) &&
		(followUpEn.MatchString(l) || followUpZh.MatchString(l)) && !followUpOwnWords.MatchString(l) {
		// "那另一个手机呢" with two other phones: the list to pick from (a
		// probe: unsure).
		s.conv.Misses = 0
		return true, s.startFlow(last.Flow, "")
	}
	if p == nil {
		return false, nil
	}
	s.conv.Misses = 0
	switch last.Flow {
	case "autopay":
		arg := "off"
		if last.On {
			arg = "on"
		}
		return true, s.startFlow("autopay", arg)
	case "cancel":
		return true, s.startFlow("cancel", "") // the booking of the plan the words name
	}
	return true, s.startFlow(last.Flow, p.ID)
}

// payAfterAll takes back a no to paying, right after it ("算了不还了" then
// "还是还吧", "actually pay it after all").
var payAfterAll = regexp.MustCompile(`^(?:算了|嗯|那|好吧|唉|哎)?[，, ]*(?:我)?(?:还是|还是要|那还是)(?:现在)?(?:还|付|结清|提前还|还掉|还上)(?:吧|了吧|一下吧|一下|掉吧)?[。.!！]*$|` + // not "我还是还了": paid
	`^(?:actually|ok|okay|fine|on second thought|wait)[, ]+(?:i'?ll |let'?s |go ahead and |just |please )?(?:pay|do|settle) it(?: off)?(?: after all| then| now| anyway)?(?: please)?[.!]*$|^(?:pay it after all|go ahead and pay(?: it)?)[.!]*$`)

// payAfterAllAsked quotes again the bill or payoff just declined when
// payAfterAll takes the no back (a probe: unsure, the quote gone).
func (s *Step) payAfterAllAsked(text string) (bool, error) {
	last := s.recent(false)
	if last == nil || last.Done || last.Plan == "" || last.Flow != "pay" && last.Flow != "repay" || s.conv.Flow != "" ||
		!payAfterAll.MatchString(strings.ToLower(strings.TrimSpace(text))) {
		return false, nil
	}
	s.conv.Misses = 0
	flow := last.Flow
	if payItOff.MatchString(strings.ToLower(text)) { // "还是结清吧", "actually, pay it off" after the bill declined: its payoff
		flow = "repay"
	}
	return true, s.startFlow(flow, last.Plan) // a fresh quote, nothing paid without its confirmation
}

// followedBy is the plan other than lastPlan that text names alone as a
// follow-up ("那笔记本呢", "and the laptop?", "the other one too"); nil
// when it is none — words of their own, someone else's thing.
func (s *Step) followedBy(text, lastPlan string) (*supportbot.Plan, error) {
	text, l, ok := s.followUpAlone(text)
	if !ok {
		return nil, nil
	}
	p, err := planNamed(s, text)
	if err != nil {
		return nil, err
	}
	if p == nil && otherOneSaid.MatchString(l) && lastPlan != "" {
		if kind, _ := kindSaid(l); kind >= 0 { // "那另一个手机呢" with three phones: the one other phone, or none picked
			return otherOfKind(s, lastPlan, kind)
		}
		if p, err = otherPlan(s, lastPlan); err != nil {
			return nil, err
		}
	}
	if p == nil || p.ID == lastPlan {
		return nil, nil
	}
	return p, nil
}

// followUpAlone reads text as a follow-up naming only a thing of the
// customer's own ("那笔记本呢", "and the laptop?", "不对 是笔记本"): the words
// naming it (text as typed and l lower-cased), false when it is none —
// words of their own, someone else's thing.
func (s *Step) followUpAlone(text string) (string, string, bool) {
	l := strings.ToLower(strings.TrimSpace(text))
	said := followUpEn.MatchString(l) || hasHan(l) && followUpZh.MatchString(l)
	if m := correctedTo.FindStringSubmatch(l); m != nil && !said {
		// "不对 是笔记本", "no, the laptop" right after the phone's step:
		// the laptop meant (a probe: unsure once its debit was said)
		l, text, said = m[1]+m[2], m[1]+m[2], true // one alternative captures each
	}
	if !said || followUpOwnWords.MatchString(strings.Replace(l, "还有", "", 1)) {
		return text, l, false
	}
	if m := possessorZh.FindStringSubmatch(l); m != nil && personName([]rune(m[1])) && s.notOwn([]string{m[1]}) {
		return text, l, false // "那李娜的笔记本呢"
	}
	if aboutSomeoneElse(text) || (kinFor.MatchString(l) || kinBought.MatchString(l) || s.othersThingSaid(l)) && !boughtForThem.MatchString(l) || s.namesAnotherPerson(text) {
		// "那我老婆的笔记本呢", "and Li Na's laptop?": not theirs — the
		// readers of someone else's say so (a replay: the customer's own
		// laptop's payoff, and a 确认 paid it).
		return text, l, false
	}
	return text, l, true
}

// viewFollowUp shows the schedule of another plan named alone right after
// one plan was looked at or the bills listed ("手机还剩几期" then "那笔记本呢",
// "/bill" then "and the laptop?"): a probe got unsure. Only the very next
// message, as any topic.
func (s *Step) viewFollowUp(text string) (bool, error) {
	t := s.topicJustBefore()
	if t == nil || t.Flow != "view" && t.Flow != billsListed && t.Flow != overdueAnswered || s.conv.CustomerID == "" {
		return false, nil
	}
	p, err := s.followedBy(text, t.Plan)
	if err != nil || p == nil {
		return false, err
	}
	s.conv.Misses = 0
	if t.Flow == overdueAnswered { // "我的手表逾期了吗" then "那手机呢": whether the phone is
		return true, sayPlanOverdue(s, *p)
	}
	return true, showSchedule(s, p.ID)
}

// kindFollowUpNone answers a follow-up naming only a kind of device none of
// the customer's plans is ("what about the laptop" from a customer with no
// laptop, after a question or a step: an English probe got unsure).
func (s *Step) kindFollowUpNone(text string) (bool, error) {
	if s.conv.CustomerID == "" || s.conv.Flow != "" || s.topicJustBefore() == nil && s.recent(false) == nil {
		return false, nil
	}
	text, _, ok := s.followUpAlone(text)
	if !ok {
		return false, nil
	}
	return kindNoneSaid(s, text)
}

// overdueAnswered marks a plan's yes or no to "is it overdue?" as the
// topic: another plan named alone next is asked the same (viewFollowUp).
const overdueAnswered = "overdue"

// whyAsked is a bare why, or what to do, after an answer ("why not?",
// "为啥", "what do i need to do").
var whyAsked = regexp.MustCompile(`^(?:but |so |and |ok )?(?:why(?: not)?|why cant i|why can'?t i|how come|what (?:do|should|can) i (?:need to |have to )?do(?: now| then)?|so what now)[?？!. ]*$|` +
	`^(?:那|可是|但是)?(?:为啥|为什么|为啥不行|为什么不行|为什么不能|为啥不能|那我要怎么办|我该怎么做|那我该怎么做|要怎么做|怎么办)[?？!！。 ]*$`)

// whyAfter answers a bare why or "what do I do" right after an answer
// that it follows: after the closure's check, the check again, each
// precondition and how it stands (a probe's "why not?" got "nothing waits
// for your confirmation", or unsure); after the scam warning, the warning
// again, with what to do and a person (a probe's "那我要怎么办": unsure).
func (s *Step) whyAfter(text string) (bool, error) {
	last := s.recent(false)
	if last == nil || !whyAsked.MatchString(strings.ToLower(strings.TrimSpace(text))) {
		return false, nil
	}
	switch last.Flow {
	case "close":
		s.conv.Misses = 0
		return true, s.startFlow("close", "")
	case scamWarned:
		s.conv.Misses = 0
		return s.showAnswer("scam-warning"), nil
	}
	return false, nil
}

// scamWarned marks the scam warning as the last answer (whyAfter).
const scamWarned = "scam"

// billsListed marks the bills' overview of several plans as the topic: a
// pick by its place next ("2", "第二个", "the second one") is that plan's
// schedule (pickAfterBills).
const billsListed = "listed"

// pickAfterBills shows the schedule of the plan the overview just shown
// numbered as the typed pick: a replay's "第2个" after it got "can't
// answer". Only the very next message, as any topic.
func (s *Step) pickAfterBills(text string) (bool, error) {
	t := s.topicJustBefore()
	if t == nil || t.Flow != billsListed {
		return false, nil
	}
	w := bare(strings.ToLower(text))
	flow := "" // looked at
	switch {
	case payoffLead.MatchString(w):
		flow, w = "repay", payoffLead.ReplaceAllString(w, "")
	case payLead.MatchString(w):
		flow, w = "pay", payLead.ReplaceAllString(w, "")
	}
	n := ordinal(strings.TrimSpace(lookAt.ReplaceAllString(w, "")))
	if n < 1 || n > len(t.Plans) {
		return false, nil
	}
	p, err := s.plan(t.Plans[n-1])
	if err != nil || p == nil {
		return false, err
	}
	s.conv.Misses = 0
	if flow != "" {
		return true, s.startFlow(flow, p.ID) // "提前还清第二个", "还第二个" (a probe: the guide, or unsure)
	}
	return true, showSchedule(s, p.ID)
}

// lookAt leads a pick with looking at it: "看看第二个", "show me the second one";
// payoffLead and payLead with paying it off, or its bill.
var (
	lookAt     = regexp.MustCompile(`^(?:看看|看一下|看下|查看|查一下|查下|show me |show |open )`)
	payoffLead = regexp.MustCompile(`^(?:提前还清|提前结清|提前还款|提前还|结清|还清|pay off |payoff |settle )`)
	payLead    = regexp.MustCompile(`^(?:还|付|pay |pay for )`)
)

// topicJustBefore is the topic of the message before, for this one to
// follow up: nil at a step, or when it is older than topicWindow.
func (s *Step) topicJustBefore() *lastStep {
	t := s.topicBefore
	if t == nil || s.conv.Flow != "" || s.now.Sub(t.At) > topicWindow || s.now.Before(t.At) {
		return nil
	}
	return t
}

// topicWindow is how long a plan just talked about ("笔记本还剩几期") is
// what a bare "提前还清吧" or "pay it" means.
const topicWindow = 10 * time.Minute

// talkedOf marks planID as the plan the chat just talked about: its
// schedule, whether it is overdue, a bill asked by its name.
func (s *Step) talkedOf(planID string) {
	s.slots.Topic = &lastStep{Flow: "view", Plan: planID, At: s.now}
}

// payItZh and payItEn are a bare request to pay, whole: a lead, the
// request, a word pointing back and a particle — "提前还清吧", "全还了",
// "帮我现在还了", "那赶紧帮我还", "还这个", "提前还款", "还另一个", "pay it
// (off)", "ok settle it" — and nothing else: "还好", "还行吧", "我还了",
// "我还想想", "这个还要还", "clear" are not (a replay quoted each).
var (
	payItZh = regexp.MustCompile(`^(?:(?:那|那就|好|好的|行|嗯|ok)[，, ]*){0,2}(?:帮我|给我|我要|我想)?(?:现在|马上|赶紧|直接|先)?(?:帮我|给我)?(?:把)?(?:它|这个|这笔|那个|那笔|另一个|另外一个|另一笔)?` +
		`(?:一次性)?(?:提前还清|提前结清|提前还款|全部还清|全部还了|全还了|还清|结清|提前还|还掉|还上|付了|还|付)` +
		`(?:它|这个|这笔|那个|那笔|另一个|另外一个|另一笔)?(?:吧|了吧|掉|了|一下|掉吧)?[。!！~～]*$`)
	payItEn = regexp.MustCompile(`^(?:ok |okay |so |then |just |please |pls |yes |ok then )?(?:pay|settle)(?: it| that| this| this one| that one| the other one)?(?: off)?(?: now| today)?(?: please| pls)?[.!]*$`)
	// payItOff: the whole of the plan asked, not its bill.
	payItOff = regexp.MustCompile(`提前|还清|结清|全还|全部|一次性|\b(off|settle|clear|whole|rest)\b`)
)

// payItAsked pays the plan the message before talked about when the words
// are a bare "pay it": "redmibook还剩几期" then "全还了" is that plan's
// payoff, "手机逾期了吗" then "那赶紧帮我还" its bill (a probe: the list of
// every plan, or unsure). Only the very next message: anything in between
// is another subject (a replay: "我的账单" between, then "我要提前还款"
// quoted the laptop). A bare 还, 还了 or 付 says nothing of paying ("我还
// 了"). The quote names the plan; nothing moves before 确认.
func (s *Step) payItAsked(text string) (bool, error) {
	t := s.topicJustBefore()
	if t == nil || s.conv.CustomerID == "" {
		return false, nil
	}
	l := bare(text)
	if strings.ContainsAny(text, "?？") || !payItEn.MatchString(l) && (!payItZh.MatchString(l) || l == "还" || l == "付" || paidInClause(l)) {
		return false, nil // "还吧？", "pay it?": asked, not said; "还上了", "全部还了": paid (a replay quoted each, and a 确认 paid one)
	}
	other := otherOneSaid.MatchString(l) // "还另一个": the plan beside it
	p, err := s.plan(t.Plan)
	if other && err == nil && p != nil {
		p, err = otherPlan(s, p.ID)
	}
	if err != nil || p == nil || !p.Open() {
		return false, err
	}
	flow := "pay"
	if payItOff.MatchString(l) {
		flow = "repay"
	}
	return true, s.startFlow(flow, p.ID)
}

// anyPerson names one of the customer's people, or someone ("我老婆帮我还
// 了", "can my wife pay it"): no request of the customer's own to pay.
var anyPerson = regexp.MustCompile(`(?:` + kin + `)|我爸|我妈|我爹|我娘|别人|有人|\b(?:` + kinEN + `|someone|somebody)\b`)

// payRequest reports l asking to pay now, in a request's form: a word of
// asking (帮我把, 我要, 先, 吧, please) or the verb first ("还最早到期那个",
// "pay the cheaper one"); not a statement ("四千多那个我上周还了", "15号那
// 笔还款短信收到了": a replay quoted each, and a 确认 paid one).
func payRequest(l string) bool {
	if hasHan(l) {
		if iPaid.MatchString(l) && !containsAny(l, "还了吧", "先", "要", "想", "帮我把", "给我把", "把", "帮我还", "给我还") { // "…帮我还了": an order
			return false // "四千多那个我…还了": paid
		}
		return payFirstZh.MatchString(l) || containsAny(l, "帮我", "给我", "我要", "我想", "请", "麻烦", "先", "现在", "马上", "赶紧", "吧", "一下", "提前还", "结清")
	}
	return payFirstEn.MatchString(l)
}

var (
	iPaid      = regexp.MustCompile(`我[^，。,.!?！？]{0,8}(?:还了|付了|结清了|还清了)`)
	payFirstZh = regexp.MustCompile(`^(?:那|那就)?(?:提前)?(?:还|结清|还清|付)`)
	payFirstEn = regexp.MustCompile(`^(?:please |pls |ok |okay |just |then |now |i want to |i'd like to |let me |go ahead and )?(?:pay|settle|repay)\b`)
)

// requestOnly reports l as a request to pay and nothing else: what it
// names (a plan described — by its day, being due first, cheaper or
// dearer, roughly its amount, newer or older —, or the overdue one) with a
// request's own words around it — a lead (帮我, 我要, 先, 麻烦), the verb
// (还, 提前还清, 结清, pay off), a pointer and a particle (那个, 一下, 吧).
// Anything more is something else: a second clause ("贵的那个先放着 先还便宜
// 的那个"), hearsay, a plan for later, a condition ("客服上次说贵的那个可以提前
// 还", "pay the bigger one once my bonus arrives"; a replay quoted each,
// and a 确认 paid several). A 了 is an order only after a lead ("帮我还了",
// "把这期还了"); else it says paid ("还上了", "已经还逾期的了").
func requestOnly(l string) bool {
	if hasHan(l) {
		l = inDigits(l) // not English: "the one due first" is no day 1
	}
	if paidInClause(l) || laterOrMade(l) {
		return false
	}
	rest := l
	for _, named := range []*regexp.Regexp{soonestPick, cheapOrDear, newerPick, olderPick, describedWords} {
		rest = named.ReplaceAllString(rest, " ")
	}
	if hasHan(l) {
		rest = requestWordsZh.ReplaceAllString(rest, "")
	} else {
		rest = requestWordsEn.ReplaceAllString(rest, "")
	}
	return strings.Trim(rest, " 了") == ""
}

// paidInClause reports a clause of l that says something was paid — 还了, 还清了,
// 付了 without a request's lead ("还上了", "嗯 还掉了", "上周还了逾期那笔"),
// not an order ("帮我还了", "把这期还了").
func paidInClause(l string) bool {
	return paidIn(l, func(clause string) bool { return !requestLead.MatchString(clause) || paidBy(clause) })
}

// paidIn reports a clause of l with a 了 and a pay verb that by takes.
func paidIn(l string, by func(clause string) bool) bool {
	return slices.ContainsFunc(clausesOf(l), func(clause string) bool {
		return strings.Contains(clause, "了") && containsAny(clause, "还", "付", "结清", "交") && by(clause)
	})
}

// paidBy reports a clause that says who paid — a person, or the customer
// themselves — whatever lead it has ("我爸帮我把这期还了", "我自己把这期还了",
// "我老公帮我把逾期的还上了": a replay read 把 as an order, and a 确认 paid
// them again).
func paidBy(clause string) bool {
	switch {
	case askedOfThem(clause):
		return false // "我妈让我赶紧把逾期的还了": asked of them (a replay)
	case anyPerson.MatchString(clause) || guessed.MatchString(clause) || thirdPerson.MatchString(clause):
		return true // "我让我老公帮我把这期还了", "我老公应该帮我把这期还了吧": done, or thought done (a replay paid each)
	}
	// "我自己把这期还了", but "我把这期还了吧" is a suggestion (a replay)
	return selfDid.MatchString(clause) && !strings.HasSuffix(strings.TrimRight(clause, "。.!！~～ "), "吧")
}

var (
	// toldToPay is someone asking the customer to pay ("我妈让我…", "he
	// told me to"), not the customer having someone pay ("我让我老公…").
	toldToPay = regexp.MustCompile(`(?:^|[^我])(?:让|叫|要|催|喊)我|\b(?:told|asked|wants) me to\b`)
	// notToldToPay is being told not to, or to pay for the one asking:
	// "我妈不让我还这期", "叫我别管了", "让我帮她还" (a replay paid each).
	notToldToPay = regexp.MustCompile(`(?:不(?:想|要|愿意|肯|准|许)?(?:让|叫|要)我|别(?:让|叫)我|(?:让|叫|要)我(?:别|不要|不用|先别|甭)|不用我)(?:再|先|去)?(?:还|付|交|把|管)|` +
		`(?:帮|替|给)(?:她|他)|\b(?:told|asked) me not to\b|\bfor (?:her|him)\b`) // not "让我别急 先把这期还了", "不想让我逾期"
	// guessed thinks a payment made: "应该…了吧", "估计…了".
	guessed = regexp.MustCompile(`应该|估计|可能|大概|好像|似乎`)
	// thirdPerson is she or he doing it: "她把这期还了" (a replay paid it again).
	thirdPerson = regexp.MustCompile(`(?:^|[^其吉])(?:她|他)(?:们)?(?:已经|刚刚?|都|也)?(?:帮我)?(?:把|还了|付了|交了|还过|还上)|\b(?:she|he|they) (?:already )?paid\b`)
)

// askedOfThem reports someone asking the customer to pay their own — not
// told not to, nor to pay the asker's ("我妈不让我还这期", "我妈让我帮她还这期").
func askedOfThem(l string) bool {
	return toldToPay.MatchString(l) && !notToldToPay.MatchString(l)
}

// paidByWhom reports a clause of l saying someone paid already, by name.
func paidByWhom(l string) bool { return paidIn(l, paidBy) }

// selfDid is the customer saying they did it: "我把…", "我自己…".
var selfDid = regexp.MustCompile(`^(?:我|我自己|自己)(?:已经|刚刚?|早就|都|也)?(?:把|还|付|结清)`)

// othersPay says someone else will pay ("逾期的那笔我妈说她来还", "我老公会还"):
// no request of the customer's own (a replay quoted ¥616.25).
var othersPay = regexp.MustCompile(`(?:` + kin + `|我爸|我妈|别人|有人|她|他)[^，。]{0,6}(?:来还|帮我还|替我还|帮忙还|会还|要还|去还)|\b(?:` + kinEN + `) (?:will|is going to|is gonna|can) pay\b`)

// laterOrMade reports words that make a payment named no request to pay
// now: made already, for later, refused, put off ("我下周还逾期的", "不还逾期
// 的 先开自动还款", "I will pay the overdue one on friday") — for the
// readers in front of the classifier, which take only a request.
func laterOrMade(l string) bool {
	l = dueDescribed.ReplaceAllString(l, " ")
	return madeOrLater.MatchString(l) || notNow.MatchString(l) || whoPaid.MatchString(l)
}

// whoPaid asks who paid or pays ("这期谁帮我还了", "手机那个谁帮我还了"): a
// question, no request (a replay quoted the bill, and a 确认 paid it).
var whoPaid = regexp.MustCompile(`谁[^，。,]{0,6}(?:还|付|交|扣|结清)|\bwho\b[^.?!]{0,20}\bpa(?:y|id)\b`)

// madeOrLaterSaid reports a payment said made already or for a time to
// come ("我妈已经帮我还逾期的了", "昨天还逾期的那笔了", "pay it next week") — what
// the classifier's reading of a payment does not start a quote on: a day
// that describes a plan is not when ("明天到期的帮我还了", "已经逾期的那个",
// "the one due next").
func madeOrLaterSaid(l string) bool {
	return madeOrLater.MatchString(dueDescribed.ReplaceAllString(l, " ")) && !nowSaid.MatchString(l)
}

// paymentNotAsked reports words of a payment that ask for none now: said
// made, for later, or someone else's doing ("我妈已经帮我还逾期的了", "好的
// 还清了", "我爸帮我把这期还了", "逾期的我妈说她来还") — where the
// classifier's reading of a payment starts no quote (a replay: a 确认 after
// them paid ¥616.25 again).
// l is the request without a clause putting another part off (Step.asked):
// "平板那个帮我还了，剩下的下个月再说" asks the pad's bill.
func paymentNotAsked(text, l string) bool {
	return madeOrLaterSaid(l) || paidOnly.MatchString(bare(text)) || paidByWhom(l) || othersPay.MatchString(l) || requestPutOff(l) || whoPaid.MatchString(l)
}

// requestPutOff reports a request followed by a clause that puts it off
// and says nothing else ("帮我还这期 16号再说吧", "帮我还这期 想想还是算了",
// "pay this month's bill, actually hold off"): no request now (a replay: a
// 确认 paid the period). A clause that puts something else off ("先还这期
// 下期再说") leaves the request.
func requestPutOff(l string) bool {
	parts := clausesOf(l)
	if len(parts) < 2 {
		return false
	}
	last := parts[len(parts)-1]
	return deferred.MatchString(last) && strings.TrimSpace(putOffWords.ReplaceAllString(last, "")) == ""
}

// putOffWords are what a clause that only puts a request off is made of.
var putOffWords = regexp.MustCompile(`先放着|放一放|先不|不急|不着急|再说|再想想|想想|以后|下次|回头|改天|算了|还是|那个|那就|到时候|等|再|吧|了|啊|呢|哈|我|` +
	`[0-9]{1,2}\s*(?:号|日)|[一二三四五六七八九十]{1,3}(?:号|日)|\b(?:actually|maybe|hold off|not now|later|next time|can wait|it|that|never mind|on second thought)\b|[\s~～.。!！]`)

// paidOnly is a payment said made and nothing else ("好的 还清了", "还上了",
// "全部还了"): a statement, not a request (a replay: the payoff's quote).
var paidOnly = regexp.MustCompile(`^(?:好的?|嗯|哦|噢|ok|okay)?[，, ]*(?:我)?(?:已经|刚刚?)?(?:全部|都|全)?(?:还清|结清|还上|还掉|付|还)了[。!！~～]*$`)

var (
	dueDescribed = regexp.MustCompile(`(?:今天|明天|后天|下周[一二三四五六日天]?|下个月|(?:星期|礼拜|周)[一二三四五六日天])(?:[0-9]{1,2}号)?到期|已经逾期|` +
		`\bdue (?:next|tomorrow|on (?:the )?[0-9]{1,2}(?:st|nd|rd|th)?)\b|\bnext due\b`)
	madeOrLater = regexp.MustCompile(`(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*(?:号|日)(?:再|帮我|给我|就|去)*(?:还|付|扣)(?:$|[^的日])|到期(?:那天|当天)|\bon the [0-9]{1,2}(?:st|nd|rd|th)?\b|已经|改天|刚(?:刚|才)?(?:已经)?(?:还|付|交|结清)|还过|上周|上个月|昨天|前天|下周|下个月|下礼拜|下星期|(?:礼拜|星期|周)[一二三四五六天日]|周末|明天|后天|月底|年底|过两天|过几天|到时候|` +
		// later by the clock, or once paid: "平板那个晚点帮我还了", "有钱了再帮我还" (a replay: a 确认 paid
		// each); "发工资了 帮我把这期还了" is now (paid today)
		`晚点|晚些|晚一点|迟点|迟些|稍后|待会|过阵子|过段时间|过些天|(?:有钱|钱到|工资到|发了工资|发工资)了?(?:再|以后|之后)|` +
		`\b(?:already|paid|yesterday|last week|tomorrow|next (?:week|month)|later|someday|eventually|payday|(?:on )?(?:friday|monday|tuesday|wednesday|thursday|saturday|sunday)|(?:this )?weekend)\b`)
	nowSaid = regexp.MustCompile(`现在|马上|立刻|赶紧|\bnow\b`) // "I'll pay off the laptop now, not later"
	notNow  = regexp.MustCompile(`之前|以后|回头|等|发工资(?:以后|后|再)|工资到了?再|不还|没还|别还|不用还|不要还|先不|\b(?:will|i'?ll|next|don'?t|not|once|after)\b`)
)

// requestClause is the one clause of l that is a request to pay when the
// others only put another plan off ("便宜的那个先还吧 贵的我再想想", "贵的那个
// 先放着 先还便宜的那个", "pay the cheaper one, the bigger one can wait"): the
// plan described is read in it alone (a replay quoted the plan set aside,
// read first in the whole message; then none at all).
func requestClause(l string) (string, bool) {
	parts := clausesOf(l)
	if len(parts) < 2 {
		return "", false
	}
	req := ""
	for _, p := range parts {
		switch {
		case requestOnly(p) && req == "":
			req = p
		case habit.MatchString(p) && !requestLead.MatchString(p):
			// "我一般每月15号还款 这次帮我把25号那笔还了": how they usually
			// pay, not this request (a replay: the overview)
		case !deferred.MatchString(p) || !describesAPlan(p):
			return "", false // "帮我还便宜的那个 想想还是算了": the request itself put off (a replay paid it)
		}
	}
	return req, req != ""
}

// habit is how the customer usually does a thing: "一般", "平时", "每月".
var habit = regexp.MustCompile(`一般|平时|平常|通常|每个?月|习惯|\b(?:usually|normally|every month)\b`)

// describesAPlan reports words that point at a plan: by what it costs, when
// it is due, its kind, its name's place ("贵的", "the bigger one", "耳机那个").
func describesAPlan(p string) bool {
	return cheapOrDear.MatchString(p) || soonestPick.MatchString(p) || newerPick.MatchString(p) || olderPick.MatchString(p) ||
		containsAny(p, "贵的", "便宜的", "the other", "bigger", "cheaper", "smaller", "dearer") || kindsSaid(p) > 0 || roughAmount.MatchString(p) ||
		dayDescribes.MatchString(inDigits(p)) // not a bare 那个, nor a day alone: "那个还是下次再说吧", "20号再说吧" put off the request (a replay paid each)
}

// dayDescribes is a day that names a plan ("15号那笔", "15号到期的"), not
// when ("20号再说").
var dayDescribes = regexp.MustCompile(`[0-9]{1,2}\s*(?:号|日)(?:到期|还款)?(?:的|那个|那笔|那台|那部)|\bdue (?:on )?(?:the )?[0-9]{1,2}`)

// withoutDeferred is l without its clauses that put another plan or part
// off, when one clause is left to ask: "先把逾期的还了 耳机那个下次再说" is the
// overdue bill's, "pay the bigger one, the pad can wait" the bigger one's (a
// replay quoted the plan put off), "平板那个帮我还了，剩下的下个月再说" the
// pad's bill.
func withoutDeferred(l string) string {
	parts := clausesOf(l)
	kept := slices.DeleteFunc(slices.Clone(parts), func(p string) bool {
		return deferred.MatchString(p) && describesAPlan(p) || putsOffElse(p) ||
			habit.MatchString(p) && !requestLead.MatchString(p) // "我一般都是提前还的 这次帮我还平板那个": the pad's bill (a replay paid the payoff)
	})
	if len(kept) == 0 || len(kept) == len(parts) {
		return l
	}
	return strings.Join(kept, " ")
}

// asked is withoutDeferred(l), worked out once a step for each text the
// readers take it of (the classifier's input, paysAPlanNamed,
// paymentNotAsked, the quote's line of periods asked).
func (s *Step) asked(l string) string {
	if r, ok := s.askedOf[l]; ok {
		return r
	}
	if s.askedOf == nil {
		s.askedOf = map[string]string{}
	}
	r := withoutDeferred(l)
	s.askedOf[l] = r
	return r
}

// deferred puts a plan off: later, not now, still thinking.
var deferred = regexp.MustCompile(`先放着|放一放|先不|不急|不用管|不管|别管|改天|不着急|再说|再想想|想想|以后再|下次|回头再|\b(?:can wait|later|not now|hold off|next time)\b`)

var (
	// requestLead makes a 了 an order, not a payment made; a 那 straight
	// before the verb is one too ("好 那还了吧" after a plan's bill: a
	// probe got unsure), not 那 pointing at a thing ("那个我已经还了吧").
	requestLead = regexp.MustCompile(`帮我|给我|帮忙|麻烦|把|(?:先|那就|就|全|都)[^，。 ]*了吧|(?:^|\s)那(?:提前)?(?:还|付|结清|还清)了吧`)
	// describedWords name a plan as requestOnly lets them: a day and its
	// due date, an amount roughly, the overdue one, an order number's end.
	describedWords = regexp.MustCompile(`(?:(?:[0-9]{1,2}\s*(?:号|日)|今天|明天|后天)(?:到期|还款)?|到期|(?:[0-9]+|[一二两三四五六七八九十])(?:千|百|万)?多(?:块|元)?|` +
		`(?:已经)?逾期|(?:订单)?尾号[0-9]{4})的?(?:那个|那笔|那期|那台|那部)?|(?:的)?(?:那个|那笔|那期|那台|那部)|` +
		`\b(?:the )?(?:one )?due (?:first|soonest|next|on (?:the )?[0-9]{1,2}(?:st|nd|rd|th)?|today|tomorrow)\b|\b(?:the )?overdue(?: one| bill)?\b|` +
		`\b(?:today|tomorrow)['’]?s (?:bill|payment|installment|one)\b`) // "pay today's bill" (a probe: the list of both)
	requestWordsZh = regexp.MustCompile(`帮我|给我|帮忙|麻烦你?了?|请|谢谢|谢啦|我要|我想|先|这次|这回|现在|马上|赶紧|立刻|直接|一次性|把|最|就行|就好|就|提前还清|提前结清|提前还款|全部还清|提前还|还清|结清|还掉|还上|` +
		`还|付|一下|下|吧|掉|我的|账单|的|那个|那笔|那期|这个|这笔|这期|那|好的|好|行|嗯|ok|[\s,，.。!！~～]`)
	requestWordsEn = regexp.MustCompile(`\b(?:please|pls|ok|okay|just|now|then|so|i want to|i'd like to|let me|can you|could you|would you|go ahead and|pay|settle|repay|off|the|one|bill|early|in full|today|first|right now|right away|asap|thanks|thank you|for me|my)\b|[\s,.!]`)
)

// notPayingNow are words around a plan described that make it no request
// to pay it now: a question, a later, a payment made, another request (a
// replay quoted "17号那笔预约还款取消掉", "贵的那个以后再提前还", "我9号那笔
// 还款被扣了两次", "便宜的那个还款日是几号", and a 确认 paid the first).
var notPayingNow = regexp.MustCompile(`怎么|什么|几|为什么|为啥|多久|吗|呢|以后|再还|再提前|下周|下个月|工资|等|已经|过了|还过|两次|被扣|扣了|上个月|上周|昨天|前天|` +
	`预约|提醒|自动|还款日|计划|改|取消|关|开|手续费|利息|没|问|卡|哪|收到|短信|不起|不够|还不了|还不上|也有|在你们|` +
	`\b(?:can'?t|cannot|afford|either|yesterday|card|which|text|sms)\b|` +
	`\b(?:how|what|when|why|later|next|after|already|paid|twice|cancel|remind|reminders?|autopay|auto|schedule|change|fees?|late|not|don'?t|will|i'?ll|going|tomorrow|week|month|payday|happens?|if|know)\b`)

// notAskedToPay reports words that are no request of the customer's own
// to pay now — a question, a later, a payment made, another request,
// another person — for the readers that quote before the classifier
// (describedPaid, alsoAtQuote).
func notAskedToPay(text string) bool {
	l := strings.ToLower(text)
	return asks(text) || notPayingNow.MatchString(l) || anyPerson.MatchString(l) || aboutSomeoneElse(text)
}

// describedPaid pays the plan a request describes by what is not its
// name, outside a list ("帮我还下15号到期的那个", "还最早到期那个", "pay the
// cheaper one"): its quote, as the list's pick would give (a multi-turn
// probe: unsure).
func (s *Step) describedPaid(text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.Flow != "" || s.conv.CustomerID == "" || !payVerb.MatchString(l) || negation.MatchString(l) || notAskedToPay(text) ||
		supposes(text) || !payRequest(l) {
		return false, nil // "15号那个先不还", "我妈15号那笔", "贵的那个以后再提前还", "便宜的那个怎么还", "最早到期的那个我老婆帮我还了"
	}
	flow := "pay"
	if payItOff.MatchString(s.asked(l)) { // "pay the cheaper one, hold off on the bigger one": a bill (a replay paid the payoff)
		flow = "repay"
	}
	open, err := s.openPlans()
	if err != nil {
		return false, err
	}
	p, err := describedPlan(s, flow, open, text)
	if err != nil || p == nil {
		return false, err
	}
	return true, s.startFlow(flow, p.ID)
}
