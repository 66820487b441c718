package flows

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// refused is what a message says not to do: pay, close the account, switch
// auto-repayment. Its decline key is the answer.
type refused string

const (
	refusesNothing refused = ""
	refusesPaying  refused = "decline.nothing_paid"
	refusesClosing refused = "decline.no_closure"
	refusesSwitch  refused = "decline.nothing_changed"
)

// flows are the flows whose step a refusal of its kind declines.
func (r refused) flows() []string {
	switch r {
	case refusesPaying:
		return []string{"pay", "repay"}
	case refusesClosing:
		return []string{"close"}
	case refusesSwitch:
		return []string{"autopay"}
	}
	return nil
}

// refusalIn reads a message that says not to do something, with nothing
// asked instead: "don't pay off the laptop", "I don't want to close my
// account", "don't turn on autopay for the pad", "我不想提前还笔记本", "笔记本
// 不提前还", "笔记本下个月再提前还", "pay the phone one, not now". Each verb of
// paying, closing or switching is read as governed by a negation just
// before it (nothing between them but a few words: "don't want to pay",
// "不要给笔记本开") or not; one not governed is a request ("pay off the
// laptop so I don't pay more interest", "我不想逾期帮我还款", "dont pay off
// the laptop, pay off the phone", "…just the phone") and there is no
// refusal. A deferral refuses the verbs of its clause ("下期下个月再还"), and
// a clause that only defers ("not now", "下个月再说") those of the clause
// before it ("pay the phone one, not now"); "其他的回头再说，先帮我把这期还了"
// and "now, not later" are requests.
// A question is a question, a trouble a trouble; reminders read their own
// negations (remindArg: "don't remind me" asks for them off), and so does a
// debit to stop (stopsADebit) — requests, not refusals — as do the words
// that name a setting rather than switch it ("不要自动扣款了" asks for it off).
func refusalIn(text string) refused {
	l := hanSpace.ReplaceAllString(strings.ToLower(text), "$1，$2") // "笔记本我不想还 先还手机": two clauses
	l = otherNotNo.Replace(l)                                      // "用别的卡还": another card, not "don't pay"
	if asks(text) || containsAny(l, "remind", "提醒", "扣", "charge", "debit", "deduct", "forget", "忘",
		"able to", "afford", "can't", "cant", "没钱", "钱不够", "不起", "不上", "have money", "have enough", "no money", // a trouble: "I won't be able to pay"
		"打不开", "开不了", "点不开", "进不去", "用不了", "won't open", "wont open", "doesn't open", "not opening", "not loading", // a fault: "商城分期打不开"
		"know", "understand", "sure how", "how", "why", "what", "知道", "懂", "怎么", "为什么", "如何", "什么", // a question: "I don't know how to pay off early"
		"哪", "多少", "which", "how much", // "我三个分期分别哪天还", "今天不还的话明天滞纳金多少" (an audit: "OK, no payment")
		"的话", "如果", "要是", "假如", "what if", "if i", // what not paying would do, not a no
		"会被", "会影响", "会怎", "后果", "起诉", "征信", // "不还款会被起诉"
		"预约", "booking", "scheduled") || dayOfMonth.MatchString(l) { // a booking to cancel: its own reader
		return refusesNothing
	}
	kind, plain := refusesNothing, false
	var before []verb // the verbs of the clause before, said plainly
	for _, c := range clauses.Split(l, -1) {
		if alternative.MatchString(c) && !negation.MatchString(c) {
			return refusesNothing // "…the laptop, just the phone"
		}
		verbs := verbsIn(c)
		if kind, _ := kindSaid(c); len(verbs) == 0 && bareDeferral(c) && len(before) > 0 && kind < 0 && !pointedPlan.MatchString(c) && !describesAPlan(c) &&
			!otherMatter.MatchString(c) {
			// "pay the phone one, not now": that one put off — not with
			// another plan named ("K70逾期的先还 平板的等退款下来再说": the
			// pad put off, not the K70; an audit got "OK, no payment")
			before, plain = nil, false
			continue
		}
		// "下期下个月再还": this clause's verbs put off; "pay this month and
		// next month" puts off nothing, "…next month later", "…after
		// payday", "…, later" do.
		putOff := deferral.MatchString(c) && !(twoMonths.MatchString(c) && !containsAny(l, "later", "after", "week", "tomorrow", "another",
			"payday", "以后", "下周", "明天", "回头", "改天", "发工资", "过几天"))
		before = nil
		for _, v := range verbs {
			if kind == refusesNothing {
				kind = v.kind
			}
			if !putOff && !governed(c[:v.at]) {
				before, plain = append(before, v), true
			}
		}
	}
	if plain {
		return refusesNothing // a request beside, or around, a refusal
	}
	return kind
}

// otherNotNo takes out the 别 of "other" (别的, 别人, 别处, 别家), which is
// not the 别 of "don't".
var otherNotNo = strings.NewReplacer("别的", "另外的", "别人", "另外的人", "别处", "另外的地方", "别家", "另外一家", "分别", "各自")

// bareDeferral is a clause that only puts off what the clause before it
// asked ("not now", "maybe next month", "下个月再说"), no other matter of its
// own ("其他的回头再说", "剩下的下个月再说": the rest of the plan — a replay
// got "OK, no payment" for the period asked before it).
func bareDeferral(c string) bool {
	return deferral.MatchString(c) && utf8.RuneCountInString(strings.TrimSpace(c)) <= 24 &&
		!containsAny(c, otherPart...) && !containsAny(c, "利息", "罚息", "省得", "免得", "以免", "interest")
}

// pointedPlan is a plan pointed at by words before 那个 ("Air那个以后再说",
// "第二个以后再说"): that one put off, not the request (a replay: "OK, no
// payment" for "RedmiBook那个帮我还了 Air那个以后再说"); a bare "那个还是下次
// 再说吧" puts the request itself off.
var pointedPlan = regexp.MustCompile(`\S(?:那个|那笔|那台|那部|那期)|^第\S{1,2}(?:个|笔)`)

// otherPart names what else there is beside what was asked: the rest of a
// plan, the next period, other matters.
var otherPart = []string{"其他", "别的", "其它", "另外", "剩下", "剩余", "余下", "下期", "下一期", "后面", "other", "else", "rest"}

// otherMatter names a matter beside paying ("换卡的事", "自动还款的事情"):
// put off beside a request, it leaves the request. Only these: "这期的事",
// "账单的事", "K80的事" put off what was asked (a replay paid them), and a
// plan's matter ("手机的事") is that plan, otherPlanLeft's.
var otherMatter = regexp.MustCompile(`(?:卡|换卡|绑卡|解绑|自动还款|自动扣款|提醒|注销|预约|退款|发票|额度|密码|手机号|换号|优惠|活动|提前结清|提前还款|提前还清|结清)的?(?:事|事情)`)

// putsOffElse reports a clause putting off another part, or a matter.
func putsOffElse(c string) bool {
	return deferred.MatchString(c) && (containsAny(c, otherPart...) || otherMatter.MatchString(c))
}

// putsOff is a deferral alone ("maybe next month", "I'll do it next
// month"): at a step waiting for a yes, a no.
func putsOff(text string) bool {
	l := strings.ToLower(text)
	return bareDeferral(l) && len(verbsIn(l)) == 0 && !asks(text)
}

// asksForTheStep is the step's own action asked for plainly, in a short
// message of other words and no number ("不用等了直接还" at a quote, "别磨叽了
// 开吧" at the autopay question): not its confirmation — told how to
// confirm. (The caller leaves a message naming a plan to that plan's flow.)
func asksForTheStep(text, flow string) bool {
	l := strings.ToLower(text)
	if asks(text) || utf8.RuneCountInString(l) > 24 || digitRun.MatchString(l) || cancelsABooking(text) || // "取消预约还款" at a quote: the booking's (a probe was told how to confirm, and the 确认 paid)
		containsAny(l, "几", "多少", "多久", "多长", "哪", "什么", "怎么", "how", "what", "when", "which", "why") { // "注销要多久" at the closure's question (a probe: "press the button")
		return false
	}
	return slices.ContainsFunc(verbsIn(l), func(v verb) bool { return slices.Contains(v.kind.flows(), flow) && !governed(l[:v.at]) })
}

// otherQuoteAsked is the payment flow a message at the other's quote asks
// for instead: a payoff at a bill's quote ("全部还清", "一次性还完吧", "pay
// it all off"), one period at a payoff's ("还是还本期吧", "只还一期", "我只
// 想还当期", "just this month's"); "" for neither, or a question.
func otherQuoteAsked(flow, text string) string {
	l := strings.ToLower(text)
	limit := 30
	if !strings.ContainsFunc(l, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		limit = 60 // English words are longer: "no i want to pay off the earbuds completely"
	}
	if asks(text) || utf8.RuneCountInString(l) > limit || containsAny(l, "不要只", "不只", "别只", "不是只", "not just", "not only") ||
		laterOrMade(l) || cheapOrDear.MatchString(l) || soonestPick.MatchString(l) || anyPerson.MatchString(l) ||
		feeAsked(l) || amountAsked.MatchString(l) || containsAny(l, "为什么", "为啥", "凭什么", "why", "how come") { // "为什么要收这期的手续费" at a payoff: a question of its figure (a probe: the bill quoted, and a 确认 paid it)
		// "贵的那个我下个月也要提前还" at the cheaper one's bill: another
		// plan, later — not this one's payoff (a replay: a 确认 paid it)
		return ""
	}
	switch {
	case flow == "pay" && payoffAsked.MatchString(l) && !periodAsked.MatchString(l) && !containsAny(l, "逾期", "两期", "overdue", "thank"):
		// "这期还清", "还清逾期的", "一次性付清这期" are this bill (a review)
		return "repay"
	case flow == "repay" && periodAsked.MatchString(l) && !payoffAsked.MatchString(strings.NewReplacer("不全还", "", "不一次性", "").Replace(l)):
		return "pay"
	}
	return ""
}

var (
	payoffAsked = regexp.MustCompile(`提前(?:还款|还清|结清|还完|还)|提前全部?(?:还|结清|付)|结清|全部还清|全部还完|全都还清|全还了|还清全部|还完全部|全部付清|一次性(?:还清|还完|结清|付清|全还)|剩下的(?:都|全|一起)还|` +
		`\b(?:pay (?:it |them |that |this |everything |the whole (?:thing|plan) |(?:the|my) [a-z0-9]+ )?(?:all |completely |fully )?off|pay off|payoff|the whole plan|in full|` +
		// "actually pay them off", "no i want to pay off the earbuds completely" (an English probe: told to confirm the bill, and it was paid)
		`pay\b[^.?!]{0,30}\b(?:completely|fully|entirely)|pay (?:the|everything) (?:rest|remaining|left))\b`)
	periodAsked = regexp.MustCompile(`本期|这期|这一期|当期|一期|这个月|本月|\b(?:this month'?s?|this period|current period|one period|this bill|the bill only|just the bill)\b|` +
		`\b(?:the|my) (?:[a-z0-9]+'?s? )?bill\b`) // "actually just pay the router bill" at a payoff (a probe: the router's payoff)
)

// verb is an action's verb in a clause, at its byte offset.
type verb struct {
	kind refused
	at   int
}

// verbsIn are the verbs of paying, closing and switching in a clause, in
// order. The setting's name ("自动还款") pays nothing.
func verbsIn(c string) []verb {
	var out []verb
	for _, k := range []struct {
		kind refused
		re   *regexp.Regexp
	}{{refusesSwitch, switchVerb}, {refusesPaying, payVerb}, {refusesClosing, closeVerb}} {
		for _, loc := range k.re.FindAllStringIndex(c, -1) {
			if k.kind == refusesPaying && (strings.HasSuffix(c[:loc[0]], "自动") || strings.HasSuffix(c[:loc[0]], "自动扣")) {
				continue // 自动还款: the setting
			}
			out = append(out, verb{k.kind, loc[0]})
		}
	}
	slices.SortFunc(out, func(a, b verb) int { return a.at - b.at })
	return out
}

// governed reports whether the text before a verb ends in a negation of it:
// the negation, then at most a few words — none of them another matter
// ("我不想逾期帮我还款"; "so I don't pay more interest" is of interest).
func governed(before string) bool {
	if strings.HasSuffix(before, "不") || strings.HasSuffix(before, "不提前") || strings.HasSuffix(before, "不再") {
		return true // "笔记本不提前还", "不还了"
	}
	locs := negation.FindAllStringIndex(before, -1)
	if locs == nil {
		return false
	}
	gap := before[locs[len(locs)-1][1]:]
	if gapBreak.MatchString(gap) {
		return false // "不用等了直接还", "不想用了注销", "不想逾期帮我还款": the negation was of something else
	}
	han := 0
	for _, r := range gap {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	return han <= 5 && len(strings.Fields(gap)) <= 3
}

var (
	hanSpace = regexp.MustCompile(`(\p{Han})\s+(\p{Han}|[a-z0-9]+\p{Han})`) // "…帮我还了 air那个以后再说" too
	clauses  = regexp.MustCompile(`[,，。;；!！]+|\.(?:\s|$)|\s+but\s+|\s+(?:then|instead)\s+`)
	negation = regexp.MustCompile(`\b(?:don'?t|dont|do not|does not|doesn'?t|never|no need to|not going to|won'?t|wont|not)\b|` +
		`不想|不要|不用|不打算|不需要|先不|暂时不|暂不|别|不急|放弃|拒绝|不(?:提前)?还了`)
	deferral = regexp.MustCompile(`\bnot (?:now|today|yet|this month)\b|\b(?:pay|do|settle|close|turn)\b[^,.;!]{0,24}\blater\b|` +
		`\bnext month\b(?:[^'’]|$)|\banother (?:time|day)\b|` +
		`(?:下个?月|以后|改天|过几天|过两天|回头|晚点|等.{1,10})再(?:提前)?(?:还|付|结清|注销|开|关|说)|以后再说|回头再说`)
	gapBreak = regexp.MustCompile(`了|逾期|利息|罚息|滞纳金|晚|帮我|给我|让我|直接|现在|马上|赶紧|立刻|就|等|拖|急|废话|换卡|分期|被|催|手动|再问|挽留|磨叽|` +
		`\b(?:late|overdue|interest|more|again|twice|so|wait|now|directly|just)\b`)
	payVerb = regexp.MustCompile(`\b(?:pay(?:ing)?|repay(?:ing)?|settle|payoff)\b|提前还|提前结清|结清|还款|还钱|还清|付款|付钱|` +
		`还(?:[了吧啊呢]|$|[^没是有在要能可会得不想剩差欠需])`)
	// twoMonths is this month's and next month's named together ("pay this
	// month and next month": an English probe was told "OK, no payment").
	twoMonths   = regexp.MustCompile(`\b(?:this|next) month(?:'s)? (?:and|&|plus|\+) (?:the )?(?:next|this) month\b`)
	alternative = regexp.MustCompile(`\b(?:just|only|instead)\b|只还|只付|就还|改还|换成`)
	closeVerb   = regexp.MustCompile(`\bclos(?:e|ing)\b.{0,12}\baccount\b|\bclosure\b|\bdeactivate\b|注销`)
	switchVerb  = regexp.MustCompile(`\b(?:turn|switch)(?:ing)? (?:it )?(?:on|off)\b|\b(?:enable|disable)\b|开通|开启|打开|关闭|关掉|[开关](?:自动|了|吧|掉|$)`)
)

// paysOff reports a payoff named ("don't pay off the laptop", "不提前还"):
// not the bills, which are due whatever is said of it.
func paysOff(text string) bool {
	return containsAny(strings.ToLower(text), "提前", "结清", "还清", "一次性", "全部还", "pay off", "payoff", "pay it off", "early", "settle")
}

// declinesAgent reports a person refused rather than asked for: "我不想转人
// 工 你直接告诉我", "不用找客服", "I don't want to talk to a human, just
// answer", or one asked for and taken back ("帮我转人工 算了不用了") — each
// was handed off (a probe). Not a complaint about waiting ("人工怎么还不来").
func declinesAgent(text string) bool {
	l := strings.ToLower(text)
	if noAgent.MatchString(l) {
		return true
	}
	i := strings.LastIndexAny(l, "人工客服")
	return i >= 0 && takenBack.MatchString(l[i:])
}

// noAgent is a person said not to be wanted; takenBack, a request withdrawn
// after it.
var (
	noAgent = regexp.MustCompile(`(?:不想|不要|不用|别|甭|无需|不需要)(?:再)?(?:给我)?(?:转|找|接|叫|联系)?(?:到)?(?:人工|客服|真人)|` +
		`\b(?:don'?t|do not|no need to)\s+(?:want|need)?\s*(?:to\s+)?(?:talk|speak|chat|be transferred|transfer me|get|find|call|involve|contact)?\s*(?:to|with)?\s*(?:a |an |the )?(?:human|person|agent|real person|someone)\b|` +
		`\bno need (?:for|of) (?:a |an |the )?(?:human|person|agent|real person)s?\b|` +
		`\b(?:ignore|forget|skip|never ?mind) (?:about )?(?:the |a )?(?:agent|human|person)(?: thing| stuff| part| bit)?\b|` +
		`\bno (?:human|agent|person)s?(?: please| pls| needed| thanks)?(?:[.!,]|$)`)
	takenBack = regexp.MustCompile(`(?:算了|不用了|不要了|不转了|never ?mind|nvm|forget it)[。.!！~ ]*$`)
)

// besideAgent is what a message asks besides a person refused ("no need
// for a human, how much do i owe") or mentioned as someone who told the
// customer something ("your customer service person told me to come here
// and pay", "客服让我来这里还款"): the message without that part, "" when it
// says nothing else. Each was handed off (a probe). A complaint about what
// that person did or did not do ("客服跟我说会回电话，一直没打") is not: it
// is for a person (a review).
func besideAgent(text string) string {
	l := strings.ToLower(text)
	m := noAgent.FindStringIndex(l)
	if m == nil {
		if m = agentSpoke.FindStringIndex(l); m == nil || complains.MatchString(l[m[1]:]) {
			return ""
		}
	}
	if len(l) == len(text) {
		l = text // the rest as written: names are read by their capitals
	}
	rest := strings.TrimSpace(l[:m[0]] + " " + l[m[1]:])
	rest = strings.Trim(restLead.ReplaceAllString(rest, ""), " ,，.。!！;；")
	if utf8.RuneCountInString(letters(rest)) < 2 {
		return ""
	}
	return rest
}

var (
	// agentSpoke is a person who spoke to the customer before: what they
	// said is the customer's matter, not a hand-off asked for.
	agentSpoke = regexp.MustCompile(`\b(?:your |the )?(?:customer service|support|agent|human|person|staff|rep)(?: person| agent| guy| lady| rep)?s?\s+(?:told me|said|says|asked me|suggested)\b|` +
		`\b(?:already )?(?:talked|spoke|chatted) (?:to|with) (?:a |an |the |your )?(?:customer service|support|agent|human|person|staff|rep)s?\b|` +
		`(?:人工|客服|你们的客服|客服人员)(?:之前|刚才|上次)?(?:说|告诉我|让我|叫我|跟我说)`)
	// complains is what tells of a promise not kept or a wrong not put right.
	complains = regexp.MustCompile(`一直|没人|没有|没打|没回|没处理|结果|但是|可是|还是|却|\bbut\b|\bstill\b|\bnobody\b|\bnever\b|\bdidn'?t\b|\bhasn'?t\b|\bhaven'?t\b|\bnot\b`)
	// restLead is what joins the rest to the part taken out: "just", "but",
	// "你直接", "to come here and" (told to come here and pay: to pay).
	restLead = regexp.MustCompile(`^(?:[,，.。;；\s]*(?:just|but|only|and|so|i just want to know|to come here (?:and|to)|come here (?:and|to)|to|` +
		`直接|你直接|就|只是|只想|来这里|来这儿|来这))+\s*`)
)

// asksAgentHours reports a question of when people answer ("what are your
// customer service hours", "人工客服几点上班"): the contact topic, which
// says, not a hand-off.
func asksAgentHours(text string) bool {
	return agentHours.MatchString(strings.ToLower(text))
}

var agentHours = regexp.MustCompile(`\b(?:customer service|support|agents?|humans?)(?:'s)? (?:working |opening |business |office )?hours\b|` +
	`\b(?:what time|when)\b (?:is|are|does|do|can i reach) (?:the |your )?(?:customer service|support|agents?|humans?|a human|a person)\b(?: (?:open|available|online|start|working))?|` +
	`(?:人工客服|人工|客服)的?(?:几点|什么时候|啥时候)(?:上班|下班|在线|有人)|(?:人工客服|人工|客服)的?(?:上班|工作|服务|营业|在线)时间`)

// keepsSetting reports a booking or auto-repayment said to be kept as it is
// ("不要取消我的预约还款", "千万别关我的自动还款", "don't cancel my scheduled
// repayment", "dont turn off autopay"): the words name the flow that would
// change it, and its list came (a probe). Nothing is to be done; a question
// about it, or a request beside it, is read as before.
func keepsSetting(text string) bool {
	l := strings.ToLower(text)
	return shortSaid(l, 30, 60) && keptSetting.MatchString(l) && !asks(text) &&
		!containsAny(l, "但", "可是", "而是", "but", "instead", "另", "其他", "别的", "other", "，", ",")
}

var keptSetting = regexp.MustCompile(`(?:千万|先)?(?:不要|别|不用|不想|不必)(?:帮我)?(?:取消|撤销)(?:我的|掉)?.{0,6}(?:预约|预约还款)|` +
	`(?:千万|先)?(?:不要|别|不用|不想|不必)(?:帮我)?(?:关|关闭|关掉|停|停掉)(?:我的|掉)?.{0,4}(?:自动还款|自动扣款)|` +
	`\b(?:don'?t|do not|never)\s+(?:cancel|turn off|disable|stop)\s+(?:my |the )?(?:scheduled|booked|autopay|auto-?repayment|automatic)`)
