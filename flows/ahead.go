package flows

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"supportbot"
)

// bookingNamedOnly reports a booking named with nothing asked of it
// ("手机那笔的预约", "the pad's scheduled payment", "whats the booking on
// the vacuum"): what it debits, and when — a probe got the phone's payoff
// quote, or the booking's cancellation, and a confirm made each.
func bookingNamedOnly(text string) bool {
	l := strings.ToLower(strings.TrimSpace(text))
	if !containsAny(l, "预约", "scheduled payment", "scheduled repayment", "booking") || cancelsABooking(text) || booksARepayment(text) ||
		len(verbsIn(strings.ReplaceAll(l, "预约还款", "预约"))) > 0 || containsAny(l, howWhereWhy...) || containsAny(l, "取消", "cancel", "不要", "别", "don't", "stop", "改", "change", "新", "new", "再") ||
		// a complaint or a dispute about it ("手机那个预约还款是谁设置的 我没设置过啊",
		// "手机的预约扣了两次钱", "I didn't set up this booking": a replay got
		// the debits to come, the way to a person gone)
		containsAny(l, "谁", "who", "没", "不是", "didn", "did not", "not ", "两次", "twice", "重复", "double", "错", "wrong", "失败", "fail", "扣了", "charged", "投诉", "complain", "出国", "abroad") ||
		!shortSaid(l, 30, 60) {
		return false
	}
	return true
}

// asksDebitAhead reports a question whether money will be taken, or when
// ("will i be charged tomorrow?", "14号会扣我钱吗", "是不是今天要扣钱", "等下
// 会扣我钱吗", "14号那笔会扣成功吗", "did tomorrow's payment go through") —
// not whether it was (lastPayment), why (the debits' reasons), twice, what
// if the card is short, or how to stop it (the guides, the cancellation).
// A probe: "will i be charged tomorrow?" was told no booking was debiting,
// with one booked for tomorrow.
func asksDebitAhead(text string) bool {
	l := strings.ToLower(text)
	if asksDebitAfterPaying(l) || byHandAsked.MatchString(l) && !containsAny(l, notAhead...) && !containsAny(l, "撤销", "撤回") && !someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true
	}
	if (stillAfterStopping.MatchString(l) || againOnADay.MatchString(l) && aDaySaid(l)) && !containsAny(l, "为什么", "为啥", "怎么", "凭什么") &&
		!someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true // "关了以后今天这期还会扣吗", "会不会12月15号又扣一次": what will debit says (a probe: unsure)
	}
	if bookingFollowUp.MatchString(strings.TrimSpace(l)) && !containsAny(l, notAhead...) && !someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true // "那明天的预约呢" after turning auto-repayment off: what still debits (an audit opened its cancellation)
	}
	if autopayWorks.MatchString(l) && !containsAny(l, "怎么", "如何", "为什么", "为啥", "开通", "设置", "没扣", "没成功", "失败", "扣了", "了吗", "了没", "how", "why", "turn on", "set up", "setup", "not ", "didn", "did ", "went ", "failed", "can ") &&
		!someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true // "我的自动还款能扣成功吗", "is my autopay working": what it will debit, a frozen card said (an audit: "no recent repayment", the how-to)
	}
	if (autoWhich.MatchString(l) || bookingOK.MatchString(l) && !containsAny(l, chargeWords...) || autopayTakes.MatchString(l) || takenOnADay.MatchString(strings.TrimSpace(l))) && !someoneElses.MatchString(l) && !kinFor.MatchString(l) { // "does autopay cover the late fee?": the guide's
		return true
	}
	if willWorkBare.MatchString(strings.TrimSpace(l)) {
		return true // "能扣成功吗" after a day's debit: the debits to come, a frozen card said (a probe: "no recent repayment", then "会按时扣款")
	}
	if willFail.MatchString(l) && (aDaySaid(l) || containsAny(l, "next", "下次", "下一次", "下期", "这次", "这期", "this time", "this month")) && !someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true // "will my payment on the 10th fail": what debits then, a frozen card said (an audit: the failed payment's checklist)
	}
	if (dueOnDayAsked.MatchString(l) && !payFirst.MatchString(l) || dueOnDayHowMuch.MatchString(l) && !nextMonthSaid.MatchString(l) && !condition.MatchString(l) && // "pay what's due today": paying it (a probe: "nothing debits today")
		!containsAny(l, "如果", "的话", "要是", "滞纳金", "罚息", "逾期", "手续费", "late fee", "overdue")) && // "1号那两笔 逾期会扣多少滞纳金": the late fee's (a replay)
		aDaySaid(l) && !someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true // "whats due on the 20th", "17号要还什么": what debits then, and what is to pay by hand (a probe: the due date's answer, unsure)
	}
	if bookingWhen.MatchString(l) && !someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true // "我的预约是几号几点", "when is my scheduled payment": when each runs (an audit: "can't answer")
	}
	if bookingStillOn.MatchString(l) && !containsAny(l, notAhead...) && !someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true // "is my scheduled payment for tomorrow still on": it is, or not (an audit opened its cancellation)
	}
	if cardOfADebit.MatchString(l) && (aDaySaid(l) || containsAny(l, "下次", "下一次", "下期", "下个月", "下月", "预约", "自动还款", "自动扣", "next", "scheduled", "booking", "autopay", "auto-pay", "auto-repay") || namesAKind(l)) && // "冰箱的自动还款从哪张卡扣" (a probe: the how-to)
		!someoneElses.MatchString(l) && !kinFor.MatchString(l) {
		return true // "what card will tomorrow's payment come from", "…the laptop payment…": the debits say each one's card (an audit: unsure; a probe: the default, where the laptop's booking takes another)
	}
	// "今天要扣我多少钱" (a probe: "can't answer") — a month's is the month's
	// bill ("下个月要扣多少钱")
	asked := asks(text) || containsAny(l, "什么时候", "几点", "几号", "哪天", "几笔", "几次", "多少笔", "when", "what time", "whats ", "what's ", "anything ") || containsAny(l, "多少") && dayNamedIn(l)
	// Next month's debits asked how much or when are its bills, due dates
	// and all ("下个月要还多少 几号扣": a probe got this month's bookings); a
	// day of it is a day ("下个月15号会扣吗", dayAsked); whether ("下个月会扣
	// 吗") is what debits by itself, as before (a regression run).
	if !asked || !debitWord.MatchString(l) || containsAny(l, notAhead...) || someoneElses.MatchString(l) || kinFor.MatchString(l) ||
		nextMonthSaid.MatchString(l) && firstNumber(daySaid, l) < 1 && asksThisMonth(text) {
		return false
	}
	if aheadZH.MatchString(l) || aheadEN.MatchString(l) {
		return true
	}
	if containsAny(l, "tonight", "this evening", "今晚", "今天晚上") && !containsAny(l, "成功", "了吗", "了没", "扣了", "did ", "was ", "were ", "went ", "gone ") {
		return true // "is anything being charged tonight": what runs later today (an English probe: "nothing is being debited")
	}
	if ahead, ok := relativeDay(l); ok {
		return ahead > 0 // "did tomorrow's payment go through": it cannot have yet
	}
	// A day of the week, not one gone by: counted from a Monday, only
	// "上周一" and "last monday" are before it; nor asked as done ("周一扣
	// 款成功了吗", "was i charged on friday?": a review got the days to come).
	ahead, ok := weekdayAhead(l, time.Time{})
	return ok && ahead >= 0 && !containsAny(l, "成功", "了吗", "了没", "扣了", "did ", "was ", "were ", "went ", "gone ", "go through", "go thru")
}

// dayNamedIn reports a day named in l — today, tomorrow, a weekday, a day
// of the month — not a month's ("今天要扣我多少钱", not "一共要扣多少" nor
// "下个月要扣多少钱": a regression run).
func dayNamedIn(l string) bool {
	if containsAny(l, "月") {
		return false
	}
	_, rel := relativeDay(l)
	_, week := weekdayAhead(l, time.Time{})
	return rel || week || dayOfMonth.MatchString(l)
}

// aDaySaid reports a day named in l, with its month too ("12月15号", "on
// the 14th"): dayNamedIn's, or a day of the month said any way daySaid reads.
func aDaySaid(l string) bool { return dayNamedIn(l) || firstNumber(daySaid, l) > 0 }

// asksDebitAfterPaying is whether a booking still debits once its period
// is paid ("笔记本这期还了的话14号还会扣吗", "提前还了 14号还会扣吗", "if i
// pay this month now will tomorrows charge still happen"): a probe got the
// booking listed, as if it would.
func asksDebitAfterPaying(l string) bool {
	return paidFirst.MatchString(l) && stillDebits.MatchString(l) && !someoneElses.MatchString(l) && !kinFor.MatchString(l) &&
		!containsAny(l, "为什么", "为啥", "怎么还", "凭什么", "why", "how come") // "我已经还清了 为什么还会扣我钱": a complaint (a review)
}

// byHandAsked asks whether a bill must still be paid by hand ("我开了自动
// 还款 这个月还要自己还吗": a probe got the steps to pay by hand): what
// debits by itself, and what is left to pay by hand, say it.
var byHandAsked = regexp.MustCompile(`(?:还要|还需要|需要|需不需要|要不要|用不用|还用|还得|不用|不需要|不必)我?(?:自己手动|自己|手动)(?:去)?(?:还|付|交|操作)|` +
	// "我要不要今天先还了": whether to, from what debits by itself (a
	// regression run: this period's quote, auto-repayment due tomorrow unsaid)
	`(?:要不要|需不需要|用不用|该不该)(?:今天|现在|马上)?(?:先)?(?:还|付|交)(?:了|掉|上)?(?:吧|呢|啊)?$|` +
	`\b(?:do|will) i (?:still )?(?:need|have) to pay (?:it |this |anything |(?:the |my )?[a-z0-9 ]{1,30}? )?(?:manually|myself|by hand)\b|` + // "do i need to pay the TV bill myself" (an English probe: the how-to)
	// "这个月哪些需要我自己手动还", "which ones do i have to pay myself"
	// (a probe: how to pay)
	`(?:哪些|哪几笔|哪笔|哪几期|什么)(?:是|还)?(?:需要|要|得)我?(?:自己|手动)+(?:去)?(?:还|付|交)|\bwhich (?:ones?|bills?|payments?) (?:do|will|should) i (?:need to |have to )?pay (?:myself|manually|by hand)\b`)

// paidSaid is a payment said made ("在app上把这期还了", "已经还过了", "i
// already paid the pad") — paidFirst also reads one to come.
var paidSaid = regexp.MustCompile(`(?:已经|刚|刚刚|早就|昨天)[^，。？?]{0,12}(?:还|付|交|结清)|(?:还|付|交)过|` +
	`在[^，。？?]{0,10}(?:app|上|那边|别处|其他地方|别的地方)[^，。？?]{0,8}(?:还|付|交)|` +
	`\bi (?:already |just )?paid\b|\bi'?ve (?:already |just )?paid\b|\balready paid\b`)

var (
	paidFirst   = regexp.MustCompile(`还了|还过|还完|还清|结清|提前还|先还|付了|\b(?:if|once|after|when) i (?:pay|settle)|\bpaid (?:it )?off\b|\bi (?:already |just )?paid\b|\bi'?ve (?:already |just )?paid\b|\balready paid\b`)
	stillDebits = regexp.MustCompile(`还会.{0,6}扣|还扣吗|还要扣|还扣不扣|会不会还.{0,4}扣|会不会(?:重复|再|又)扣|会重复扣|\bstill\b.{0,30}\b(?:charg|debit|take|happen|run|go (?:through|thru)|come out)|` +
		`\b(?:will|would)\b[^.?!]{0,30}\b(?:again|twice)\b|\b(?:charged|charge me|debited|take it|taken) (?:twice|again)\b`) // "if i pay this now will autopay take it again tomorrow?" (an audit)
)

var (
	debitWord = regexp.MustCompile(`扣|划[款走钱]|\b(?:charg(?:e|ed|ing)|debit(?:ed|ing)?|deduct(?:ed)?|take (?:my |the )?money|taken|withdrawn?|payments? go(?:es)? (?:through|thru))\b`)
	aheadZH   = regexp.MustCompile(`(?:会|要|将)(?:不会|不要)?[^，,。？?！!]{0,8}[扣划]`)
	aheadEN   = regexp.MustCompile(`\b(?:will|gonna|going to|would)\b[^,.?!]{0,40}\b(?:charg|debit|deduct|take|withdraw|come out|go (?:through|thru))`)
	// notAhead are the words of another question about a debit — twice,
	// why or how, what if, a fee, a card short, stopping or undoing one,
	// which card (the step's own answer) — or of points or a score deducted
	// (扣征信, 扣分), binding a card, closing the account (a review).
	notAhead = []string{"两次", "重复", "多扣", "又", "为什么", "为啥", "怎么", "如何", "如果", "要是", "没钱", "余额", "不够", "手续费", "利息",
		"滞纳金", "罚", "违约金", "取消", "关", "停", "注销", "提前", "退", "哪张", "什么卡", "哪个卡", "扣了", "扣过", "已经", "征信", "信用",
		"扣分", "芝麻分", "积分", "绑", "twice", "double", "again", "why", "how", "if ", "fee", "interest", "late", "cancel", "refund", "stop",
		"turn off", "insufficient", "enough", "which card", "what card", "early", "credit", "score", "close", "closing", "bind", "link"}
	// bookingFollowUp asks after a booking or a debit in a follow-up, naming
	// nothing else ("那明天的预约呢", "what about tomorrow's payment?").
	bookingFollowUp = regexp.MustCompile(`^(?:那|那么|还有)?[^，。？?]{0,8}(?:预约|预约还款|扣款|那笔)(?:呢|会怎样|会怎么样|还扣吗|还会扣吗)[?？]*$|` +
		`^(?:and |so )?what about (?:the |my )?(?:tomorrow'?s|today'?s|the [0-9]{1,2}(?:st|nd|rd|th)?'?s?) (?:payment|booking|scheduled repayment|debit)\??$`)
	// willFail asks whether a debit to come will fail ("will my payment on
	// the 10th fail", "10号会不会扣款失败").
	// willWorkBare asks whether the debit will work, nothing more ("能扣
	// 成功吗", "会扣款成功吗") — not whether one did ("扣成功了吗").
	willWorkBare = regexp.MustCompile(`^(?:那|这笔|那笔|它)?(?:能|会)(?:不能)?(?:正常)?扣(?:款)?成功(?:吗|么|嘛)?[?？]*$`)
	willFail     = regexp.MustCompile(`\bwill (?:my |the |it |that )?(?:next )?(?:payment|debit|autopay|auto-?repayment|scheduled payment|charge)?[^.?!]{0,30}\bfail\b|会不会(?:扣款)?失败|会扣(?:款)?失败|能(?:不能)?扣成功|` +
		// whether it will work ("is my payment on the 8th going to work", "…still going through", "will my booking on the 8th go through":
		// an English probe got "no recent repayment" with the only card frozen)
		`\b(?:payment|debit|booking|scheduled payment|autopay|charge)\b[^.?!]{0,24}\b(?:going to|gonna|will|still) (?:work|go through|go thru|going through|be ok|be fine|fail)\b|` +
		`\bwill (?:my |the )?(?:payment|debit|booking|scheduled payment|charge)\b[^.?!]{0,24}\b(?:work|go through|go thru)\b|` +
		// "is my tablet payment going through today" (a probe: the tablet's payoff quote, which a confirm paid)
		`\b(?:is|are) (?:my |the )?[^.?!]{0,20}\b(?:payment|debit|booking|scheduled payment|charge)s? (?:going|gonna go) (?:through|thru)\b`)
	// dueOnDayAsked asks what falls due (with a day said).
	dueOnDayAsked = regexp.MustCompile(`\bwhat(?:'s| is|s) (?:due|to pay|owed)\b|\bwhat (?:do i|should i|must i) (?:owe|pay)\b|要还什么|要还哪些|该还什么|有什么要还|要还哪笔|到期的是什么|有什么到期`)
	// dueOnDayHowMuch asks what debits on a day ("28号会扣什么", "31号要扣
	// 多少": a probe got unsure) — not next month's day (its month's
	// bills), nor paying on it ("如果…的话").
	dueOnDayHowMuch = regexp.MustCompile(`扣多少|(?:会|要)扣(?:什么|哪些|哪笔)|扣什么`) // "1月14号扣多少" too (a probe: unsure)
	// autoWhich asks which bills debit by themselves ("哪笔会自动扣", "哪些
	// 是自动扣款的", "which ones are paid automatically": a probe got unsure).
	autoWhich = regexp.MustCompile(`哪(?:笔|些|个|几笔|一笔|几个)(?:分期|账单)?(?:会|是|能)?(?:自动|预约)(?:扣|还|扣款|还款)|` +
		`\bwhich (?:ones?|plans?|bills?|payments?) (?:will be|are|get|is|will get) (?:paid|debited|charged|taken) automatically\b|\bwhich (?:ones?|plans?|bills?) (?:are|is) on (?:autopay|auto-?repayment)\b|` +
		`\bwhat (?:will|is going to|gets) (?:be )?(?:debited|charged|taken|paid) automatically\b|` +
		// one plan's ("平板那个是自动扣吗", "is the pad paid automatically": a probe got unsure, and the autopay how-to)
		`(?:那个|那笔|这个|这笔|的)?(?:是|会)(?:不是)?自动(?:扣|还|扣款|还款)(?:的)?(?:吗|么|嘛)|\bis (?:the |my )?[a-z0-9 ]{1,25}? (?:paid|debited|charged|taken) automatically\b`)
	// takenOnADay asks whether anything is taken on a day ("is anything
	// being taken from my card today?": a replay got the day's bills, a
	// debit under way left out).
	// autopayTakes asks how much a debit will take ("how much will autopay
	// take on the 11th": an English probe got the how-to).
	autopayTakes = regexp.MustCompile(`\bhow much (?:will|is) (?:the |my )?(?:autopay|auto-?repayment|scheduled (?:re)?payment|booking|debit|[a-z0-9]+ booking)(?: going to)? (?:take|debit|charge)\b`)
	takenOnADay  = regexp.MustCompile(`^(?:is|will) (?:anything|something) (?:being |be |get |getting )?(?:taken|charged|debited|deducted)(?: from (?:my|the) (?:card|account))? (?:today|tomorrow|tonight)\??$`)
	// bookingOK asks whether a booking will be fine ("后天的预约没问题吧",
	// "明天那笔预约能扣吧": a probe got unsure, its card frozen), or takes
	// it to cover a bill ("my scheduled repayment covers the laptop
	// right?", "autopay will take care of the tv on the 10th right?",
	// "预约的钱够还这期吧": an English probe got unsure — the booking short
	// of its bill, the default card frozen).
	bookingOK = regexp.MustCompile(`预约(?:还款|扣款)?(?:没问题|没事|不会有问题|能扣|能成功|可以扣|正常)(?:吧|吗|么|嘛)|\b(?:scheduled (?:re)?payment|booking)\b[^.?!]{0,20}\b(?:ok|okay|fine|all right|alright)\b|` +
		`\b(?:scheduled (?:re)?payments?|bookings?|autopay|auto-?pay|auto-?repayment)\b[^.?!]{0,24}\b(?:covers?|will cover|takes? care of|will take care of|handles?|will handle)\b|` +
		`(?:预约|自动还款|自动扣款)[^，。？?]{0,8}(?:够还|够扣|能还上|会帮我还|会自动还|能覆盖|覆盖)[^，。？?]{0,6}(?:吧|吗|么|嘛|对吧|是吧)`)
	// bookingWhen asks when the bookings run.
	bookingWhen = regexp.MustCompile(`^(?:我的?)?(?:那个|那笔)?预约(?:还款)?(?:是|在)?(?:几号|哪天|什么时候|啥时候|几点|几号几点|哪天几点)(?:扣|扣款)?(?:啊|呢)?[?？]*$|` +
		`^when (?:is|are|does|do|will) (?:my |the )?(?:scheduled (?:re)?payments?|bookings?)(?: run| go| happen| scheduled)?\??$|` +
		// what is booked, and on which card ("what's scheduled", "which cards are my repayments scheduled on?",
		// "what card is the 300 on?": an English probe got unsure)
		`^(?:so |and |ok )?(?:what'?s|whats|what is|what are) (?:my )?(?:scheduled|booked)(?: payments?| repayments?)?\??$|^(?:what|which) (?:payments?|repayments?|bills?) (?:are|is) (?:scheduled|booked)\??$|` +
		`\b(?:which|what) cards? (?:are|is|will) (?:my |the )?(?:scheduled )?(?:repayments?|payments?|bookings?) (?:scheduled |booked |be )?(?:on|from|charged to|debited from)\b|` +
		`^(?:which|what) card is (?:the |my )?(?:¥|rmb ?)?[0-9][0-9,.]*(?: yuan| rmb)? (?:booking |payment |scheduled payment |one )?(?:on|from)\??$|` +
		`^(?:我的?)?预约(?:还款)?(?:有哪些|都有哪些|是哪几笔|扣哪张卡|在哪张卡上?|用的哪张卡)[?？]*$`)
	// bookingStillOn asks whether a booking still stands ("我的预约还款还在
	// 吗", "is my scheduled payment for tomorrow still on", "i set up a
	// payment for tomorrow, is it still on").
	bookingStillOn = regexp.MustCompile(`(?:预约|扣款|那笔)[^，。？?]{0,6}(?:还在吗|还有效吗|还在不在|还作数吗|没被取消吧|没取消吧|还会执行吗|还算数吗)|` +
		`\b(?:scheduled|booked|set up a) (?:re)?payment\b[^?!]{0,40}\b(?:still (?:on|there|scheduled|active|valid|happening|set|good)|is it still (?:on|there|scheduled|active|set))\b`)
	// autopayWorks asks whether auto-repayment will work, or pay a period
	// ("自动还款能扣成功吗", "will the buds be paid automatically on the 12th").
	autopayWorks = regexp.MustCompile(`(?:自动还款|自动扣款|自动扣)[^，。？?]{0,8}(?:能|会|可以)?(?:扣成功|成功|扣得了|扣得到|没问题|正常|有效|生效)|` +
		`\b(?:autopay|auto-?pay|auto-?repayment|auto debit)\b[^.?!]{0,20}\b(?:work(?:s|ing)?|go through|go thru|succeed|ok|okay|fine)\b|` +
		`\b(?:be|get|gets|is) paid automatically\b|\b(?:will|is) (?:the )?(?:autopay|auto-?pay|auto-?repayment)\b[^.?!]{0,10}\b(?:pay|take|cover)\b`)
	// cardOfADebit asks which card a debit is taken from.
	cardOfADebit = regexp.MustCompile(`(?:哪张|什么|哪个|哪一张)(?:银行)?卡[^，。？?]{0,8}(?:扣|还|出)|(?:扣|还|出)[^，。？?]{0,8}(?:哪张|什么|哪个|哪一张)(?:银行)?卡|` +
		`\b(?:which|what) card\b[^.?!]{0,30}\b(?:payment|debit|charge|come|taken|take|use|pay)`)
	// stillAfterStopping asks whether a debit still comes once something
	// was turned off or cancelled; againOnADay whether one comes again on a
	// day named.
	stillAfterStopping = regexp.MustCompile(`(?:关|取消|停|撤销)(?:了|掉了|掉)?(?:自动还款|自动扣款|预约还款|预约)?(?:以后|之后|后|了)[^，。？?]{0,12}(?:还会|还要|会不会|还)[^，。？?]{0,6}扣`)
	againOnADay        = regexp.MustCompile(`会不会[^，。？?]{0,12}(?:又|再)扣|还会(?:又|再)扣`)
	// aheadToday are words for later today beside relativeDay's.
	aheadToday = []string{"等下", "等会", "待会", "一会", "今晚", "tonight", "later today"}
)

// debitsAhead answers a question about debits to come (asksDebitAhead): on
// the day named, or the next ones — the bookings that run and the plans on
// auto-repayment whose bill falls due, each with its amount, card and time;
// or that nothing debits by itself, and what falls due to be paid by hand.
// It reports whether it answered.
func debitsAhead(s *Step, text string) (bool, error) {
	if s.conv.CustomerID == "" || !asksDebitAhead(text) && !bookingNamedOnly(text) {
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	return sayDebits(s, text)
}

// sayDebits is debitsAhead's answer to text.
func sayDebits(s *Step, text string) (bool, error) {
	named, err := planNamed(s, text)
	if err != nil {
		return false, err
	}
	// Every plan: a booking of one settled since still debits (a probe was
	// told nothing debits tomorrow, a processing debit of ¥79.68 on file).
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	cards, err := s.cards()
	if err != nil {
		return false, err
	}
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	day, dayNamed := s.dayAsked(strings.ToLower(text))
	var only *supportbot.Date
	if dayNamed {
		only = &day
	}
	v := aheadView{s: s, cards: cards, sched: sched, named: named, autopayAsked: autopayAsked(strings.ToLower(text))}
	if l := strings.ToLower(text); containsAny(l, append([]string{"今天", "today"}, aheadToday...)...) && containsAny(l, "明天", "tomorrow", "tmrw") &&
		containsAny(l, "一共", "总共", "加起来", "合计", "多少", "how much", "in total", "altogether") && !asksDebitAfterPaying(l) {
		// "今晚和明天加起来一共扣多少": both days, and what they come to (an
		// audit got one day's alone).
		if told, err := twoDaysDebits(v, plans); told || err != nil {
			return told, err
		}
	}
	d := v.debits(plans, only)
	lines, byHand := d.lines, d.byHand
	var b strings.Builder
	afterPaying := asksDebitAfterPaying(strings.ToLower(text))
	if afterPaying {
		lead := "ahead.paying_cancels"
		if l := strings.ToLower(text); len(lines) > 0 && paidSaid.MatchString(l) && !condition.MatchString(l) {
			// "我刚在小米金融app上把平板这期还了 晚上还会扣吗": a payment said
			// made that the bills do not show, its booking still to run —
			// it does, unless cancelled (an audit: "you won't be charged
			// twice" above the booking that would).
			recent, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, s.now.Add(-askedAfter))
			if err != nil {
				return false, err
			}
			if len(recent) == 0 {
				lead = "ahead.paid_unseen"
			}
		}
		b.WriteString(s.T(lead) + "\n\n")
	}
	switch {
	case len(lines) > 0 && dayNamed:
		b.WriteString(s.T("ahead.header_day", "day", s.day(day)) + "\n" + strings.Join(lines, "\n"))
	case len(lines) > 0:
		b.WriteString(s.T("ahead.header") + "\n" + strings.Join(lines, "\n"))
	case dayNamed:
		if len(d.covered) > 0 {
			b.WriteString(strings.Join(d.covered, "\n") + "\n\n")
		}
		b.WriteString(s.T("ahead.none_day", "day", s.day(day)))
		if d = v.debits(plans, nil); len(d.lines) > 0 { // and the next ones
			lines = d.lines
			b.WriteString("\n\n" + s.T("ahead.header") + "\n" + strings.Join(lines, "\n"))
		}
	case named != nil:
		// "will autopay take the pad too": the pad's — not "none of your
		// plans has auto-repayment on" while another's is (a probe).
		b.WriteString(s.T("ahead.none_plan", "product", named.Product))
		all := v
		all.named = nil
		if others := all.debits(plans, nil); len(others.lines) > 0 { // and what of theirs does debit by itself
			b.WriteString("\n\n" + s.T("ahead.header") + "\n" + strings.Join(others.lines, "\n"))
		}
	default:
		b.WriteString(s.T("ahead.none"))
	}
	if late := v.overdue(plans); len(late) > 0 {
		byHand = append(late, byHand...)
	}
	if len(byHand) > 0 {
		b.WriteString("\n\n" + s.T("ahead.by_hand_header") + "\n" + strings.Join(byHand, "\n"))
	}
	if len(lines) > 0 {
		b.WriteString("\n\n" + s.T("ahead.footer"))
		if d.cancellable {
			b.WriteString(s.T("ahead.footer_cancel"))
		}
		if d.underWay { // "今天要扣的那笔 能不能先别扣": not any more, said (a regression run)
			b.WriteString(s.T("ahead.footer_under_way"))
		}
	}
	btns := s.billAndMessages()
	if d.cancellable {
		btns = append([]supportbot.Button{s.menuBtn(s.T("menu.cancel"), "cancel")}, btns...)
	}
	if afterPaying { // the payment asked about, a tap away
		btns = append([]supportbot.Button{s.menuBtn(s.T("menu.pay"), "pay")}, btns...)
	}
	if d.paidTwice {
		btns = append([]supportbot.Button{s.humanBtn()}, btns...)
	}
	if len(lines) > 0 && !d.overflow {
		s.shownSum(d.total, len(lines)) // "一共多少" next (a replay: unsure)
	}
	if dayNamed { // "后天呢" next: that day's debits (a probe: unsure)
		if s.slots.Topic == nil {
			s.slots.Topic = &lastStep{At: s.now}
		}
		s.slots.Topic.Flow, s.slots.Topic.On = dayAnswered, true
	}
	s.conv.Misses = 0
	s.say(b.String(), s.next(btns...)...)
	return true, nil
}

// autopayAsked asks whether auto-repayment works, or from which card it
// debits ("冰箱的自动还款从哪张卡扣"): its first debit is said even after
// booked periods.
func autopayAsked(l string) bool {
	return autopayWorks.MatchString(l) || cardOfADebit.MatchString(l) && containsAny(l, "自动还款", "自动扣", "autopay", "auto-pay", "auto-repay")
}

// aheadView is what debitsAhead reads a customer's debits to come from.
type aheadView struct {
	s     *Step
	cards []supportbot.Card
	sched []supportbot.ScheduledRepayment
	named *supportbot.Plan // the plan asked about, if one is
	// autopayAsked: whether auto-repayment works was asked ("我的自动还款能扣
	// 成功吗"), so its first debit is said even after a booked period.
	autopayAsked bool
}

// aheadLines are what debits by itself (lines) and what is left to pay by
// hand, and whether a booking among them can still be cancelled, or is
// with the bank already.
type aheadLines struct {
	lines, byHand, covered []string
	cancellable, underWay  bool
	paidTwice              bool             // a booking debits a period paid already
	total                  supportbot.Money // what lines debit
	overflow               bool             // total did not sum
}

// add counts m in what the lines debit.
func (d *aheadLines) add(m supportbot.Money) {
	t, err := supportbot.SumMoney(d.total, m)
	d.total, d.overflow = t, d.overflow || err != nil
}

// twoDaysDebits says what debits by itself today and tomorrow, and what
// it comes to; false when nothing does (the day's answer says so).
func twoDaysDebits(v aheadView, plans []supportbot.Plan) (bool, error) {
	s := v.s
	today, tomorrow := s.today, supportbot.DateOf(s.today.Time(s.e.cfg.Location).AddDate(0, 0, 1), s.e.cfg.Location)
	a, b := v.debits(plans, &today), v.debits(plans, &tomorrow)
	lines := append(slices.Clip(a.lines), b.lines...)
	total, err := supportbot.SumMoney(a.total, b.total)
	if len(lines) == 0 || err != nil || a.overflow || b.overflow {
		return false, nil
	}
	s.say(s.T("ahead.header_two_days")+"\n"+strings.Join(lines, "\n")+"\n"+s.T("ahead.two_days_total", "amount", money(total)),
		s.next(s.menuBtn(s.T("menu.cancel"), "cancel"), s.menuBtn(s.T("menu.bill"), "bill"))...)
	return true, nil
}

// debits are the lines of what debits by itself on day (any day: nil) —
// bookings, and bills falling due on auto-repayment — and of the bills
// falling due then that nothing debits.
func (v aheadView) debits(plans []supportbot.Plan, day *supportbot.Date) aheadLines {
	var d aheadLines
	s := v.s
	onDay := func(d supportbot.Date) bool { return day == nil || d == *day }
	for _, p := range plans {
		if v.named != nil && p.ID != v.named.ID {
			continue
		}
		next, due := nextNotOverdue(p, s.today)
		if b, ok := dueOn(p, day); ok {
			next, due = b, true // a day later than the next period's ("下个月6号会扣吗": a regression run got "nothing" with auto-repayment on)
		}
		if _, ok := scheduledFor(p.ID, next.Period, v.sched); ok {
			due = false // its bill is booked, whatever day the booking runs: not auto-repayment's, nor by hand unless the booking falls short (gap)
		}
		for _, r := range v.sched {
			if r.PlanID != p.ID || !r.Live() || !onDay(supportbot.DateOf(r.RunAt, s.e.cfg.Location)) || r.RunAt.Before(s.now.Add(-supportbot.StaleBooking)) {
				continue
			}
			frozen := "ahead.frozen"
			if r.Debiting(s.now) {
				frozen = "ahead.frozen_debiting" // too late to change its card; paid by hand once it has failed
			}
			line := v.withCard(r.CardID, frozen, "debited.booking", "product", p.Product, "period", r.Period,
				"amount", money(r.Amount), "time", when(s, r.RunAt))
			if !r.RunAt.After(s.now) {
				line += s.T("ahead.debiting_now") // its time gone by: under way, not to come (an audit)
			}
			if periodPaid([]supportbot.Plan{p}, p.ID, r.Period) {
				// A second charge of a period paid already: said, a person
				// a tap away (a probe's was listed as any debit to come).
				line += "\n" + s.T("debited.booking_paid")
				d.paidTwice = true
			}
			d.lines = append(d.lines, line)
			d.add(r.Amount)
			if r.Debiting(s.now) { // the bank has it: cannot be cancelled (a probe: "cancel it 2 hours before")
				d.underWay = true
			} else {
				d.cancellable = true
			}
		}
		if b, ok := dueOn(p, day); ok {
			if r, booked := scheduledFor(p.ID, b.Period, v.sched); booked && supportbot.DateOf(r.RunAt, s.e.cfg.Location) != *day {
				// Due that day, paid by a booking on another ("明天是还款日 我需要
				// 自己还吗" with it being debited today: an audit was told
				// nothing debits tomorrow, the question left).
				if v.booked(p, b) {
					d.covered = append(d.covered, s.T("ahead.covered", "day", s.day(*day), "product", p.Product, "period", b.Period, "time", when(s, r.RunAt)))
				}
			}
		}
		switch {
		case p.AutoRepay:
			for _, b := range p.Bills {
				// A booked period its booking leaves short, late or failing:
				// not auto-repayment's either — the rest is by hand (a probe:
				// the warning was dropped once auto-repayment was on, where
				// /bill gave it).
				if b.Status != supportbot.BillUnpaid || b.Overdue(s.today) || day != nil && b.DueDate > *day || day == nil && b.Period != next.Period {
					continue
				}
				if gap := v.gap(p, b); gap != "" {
					d.byHand = append(d.byHand, s.T("ahead.by_hand", "product", p.Product, "period", b.Period, "amount", money(b.Amount()), "date", s.day(b.DueDate))+gap)
				}
			}
			if !due && day == nil && v.autopayAsked {
				// The next period booked: the first one auto-repayment takes
				// comes after it (a probe with a frozen default card was
				// told only of the booking).
				for _, b := range p.Bills {
					if _, booked := scheduledFor(p.ID, b.Period, v.sched); b.Status == supportbot.BillUnpaid && !b.Overdue(s.today) && !booked {
						next, due = b, true
						break
					}
				}
			}
			if due && onDay(next.DueDate) {
				d.lines = append(d.lines, v.withCard(defaultCardID(v.cards), "ahead.frozen", "ahead.autopay", "product", p.Product, "period", next.Period,
					"amount", money(next.Amount()), "date", s.day(next.DueDate)))
				d.add(next.Amount())
			}
		case day == nil:
			if gap := v.gap(p, next); due || gap != "" {
				d.byHand = append(d.byHand, s.T("ahead.by_hand", "product", p.Product, "period", next.Period, "amount", money(next.Amount()), "date", s.day(next.DueDate))+gap)
			}
		default:
			// Every bill falling due until the day asked, not only that
			// day's: "下个月24号那期会自动扣吗" left out the one due this
			// month (an audit: she could miss it).
			for _, b := range p.Bills {
				if b.Status != supportbot.BillUnpaid || b.Overdue(s.today) || b.DueDate > *day || v.booked(p, b) {
					continue
				}
				d.byHand = append(d.byHand, s.T("ahead.by_hand", "product", p.Product, "period", b.Period, "amount", money(b.Amount()), "date", s.day(b.DueDate))+v.gap(p, b))
			}
		}
	}
	return d
}

// booked reports a bill that a booking pays whole and on time by itself:
// one on a frozen card or for less is still the customer's to pay (a
// probe: neither debited nor listed to pay by hand).
func (v aheadView) booked(p supportbot.Plan, b supportbot.Bill) bool {
	r, ok := scheduledFor(p.ID, b.Period, v.sched)
	return ok && gapOf(v.s, r, b, v.cards) == paysWhole
}

// gap is the note of what a booking of b leaves to pay by hand ("" for
// none, or no booking).
func (v aheadView) gap(p supportbot.Plan, b supportbot.Bill) string {
	r, ok := scheduledFor(p.ID, b.Period, v.sched)
	if !ok {
		return ""
	}
	return gapNote(v.s, gapOf(v.s, r, b, v.cards), r, b)
}

// monthOfDay is the month of a date said in Chinese ("1月23号", "12月14日").
var monthOfDay = regexp.MustCompile(`(?:^|[^0-9])([0-9]{1,2})\s*月\s*[0-9]{1,2}\s*[号日]`)

// dueOn is the plan's unpaid bill due on day, if a day is asked and one is.
func dueOn(p supportbot.Plan, day *supportbot.Date) (supportbot.Bill, bool) {
	if day == nil {
		return supportbot.Bill{}, false
	}
	i := slices.IndexFunc(p.Bills, func(b supportbot.Bill) bool { return b.Status == supportbot.BillUnpaid && b.DueDate == *day })
	if i < 0 {
		return supportbot.Bill{}, false
	}
	return p.Bills[i], true
}

// withCard is the line key says, of the card with id, warned (the key
// frozen) when that card is frozen.
func (v aheadView) withCard(id, frozen, key string, args ...any) string {
	i := slices.IndexFunc(v.cards, func(c supportbot.Card) bool { return c.ID == id })
	if i < 0 {
		return v.s.T(key, append(args, "card", "")...)
	}
	line := v.s.T(key, append(args, "card", v.cards[i].Masked())...)
	if v.cards[i].Frozen {
		line += v.s.T(frozen)
	}
	return line
}

// overdue are the lines of the overdue bills no booking pays: nothing
// debits them by itself.
func (v aheadView) overdue(plans []supportbot.Plan) []string {
	var lines []string
	for _, p := range plans {
		if v.named != nil && p.ID != v.named.ID {
			continue
		}
		for _, b := range p.Bills {
			if _, ok := scheduledFor(p.ID, b.Period, v.sched); b.Overdue(v.s.today) && !ok {
				lines = append(lines, v.s.T("ahead.overdue", "product", p.Product, "period", b.Period, "amount", money(b.Due())))
			}
		}
	}
	return lines
}

// dayAsked is the day a question names: today (or later today), tomorrow,
// the day after, a day of the week, or a day of the month — this month's if
// it is still to come, else the next month's.
func (s *Step) dayAsked(l string) (supportbot.Date, bool) {
	loc := s.e.cfg.Location
	if ahead, ok := daysAhead(l, s.now.In(loc)); ok {
		return supportbot.DateOf(s.now.In(loc).AddDate(0, 0, ahead), loc), true
	}
	if containsAny(l, aheadToday...) {
		return s.today, true
	}
	if n := firstNumber(daySaid, l); n >= 1 && n <= 31 {
		t := s.today.Time(loc)
		year, month := t.Year(), t.Month()
		m := firstNumber(monthOfDay, l)
		if w := monthWord.FindStringSubmatch(l); m < 1 && w != nil {
			m = slices.Index(monthWords, w[1][:3]) + 1 // "on jan 8": January's (an audit read December's)
		}
		switch {
		case nextMonthSaid.MatchString(l): // "下个月15号会扣吗": next month's 15th, not this month's
			month += time.Month(monthsAhead(l))
		case m >= 1 && m <= 12: // "1月23号会扣吗", "jan 23": that month's, this year's or the next (a regression run)
			if month = time.Month(m); month < t.Month() {
				year++
			}
		case n < t.Day():
			month++
		}
		d := time.Date(year, month, n, 0, 0, 0, 0, loc)
		if d.Day() != n { // "31号" in a month of 30 days: no such day, not the 1st after it
			return "", false
		}
		return supportbot.DateOf(d, loc), true
	}
	return "", false
}

// defaultCardID is the id of the default card among cards, "" for none.
func defaultCardID(cards []supportbot.Card) string {
	if i := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.Default }); i >= 0 {
		return cards[i].ID
	}
	return ""
}
