package flows

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What typed words say to a step that moves money or changes a setting.
// Money moves only on the step's button or a typed confirmation, said and
// not asked; anything else that agrees, asks or hesitates moves nothing and
// is told what the step waits for.

// confirmWords confirm the step in front when typed: "confirm" said, and
// nothing else ("confirmed" is more often asked than said: "confirmed?").
var confirmWords = map[string]bool{"确认": true, "确定": true, "確認": true, "確定": true, "confirm": true, "i confirm": true,
	"我确认": true, "我确定": true, "我確認": true}

// billConfirms, payoffConfirms and cancelConfirms confirm a bill's payment,
// a payoff, or a cancellation, by its name: one step's at another ("确认取消"
// at a quote, "确认还款" at a cancellation, "确认结清" at a bill's quote)
// confirms nothing.
var (
	billConfirms = map[string]bool{"确认还款": true, "确认支付": true, "确认付款": true, "确认扣款": true,
		"确定还款": true, "确定支付": true, "確認還款": true, "確認付款": true, "confirm payment": true, "confirm the payment": true}
	payoffConfirms = union(billConfirms, map[string]bool{"确认结清": true, "确认提前还款": true, "确认提前结清": true,
		"confirm payoff": true, "confirm the payoff": true})
	cancelConfirms = map[string]bool{"确认取消": true, "确定取消": true, "确认取消预约": true, "確認取消": true,
		"confirm cancellation": true, "confirm the cancellation": true, "confirm cancel": true}
)

func union(a, b map[string]bool) map[string]bool {
	u := make(map[string]bool, len(a)+len(b))
	for _, m := range []map[string]bool{a, b} {
		for w := range m {
			u[w] = true
		}
	}
	return u
}

// asksAboutIt reports a question about a payment or cancellation under way
// ("扣了吗", "did it go through?"), not one of another topic.
func asksAboutIt(text string) bool {
	return asks(text) && containsAny(strings.ToLower(text), "扣", "付", "还款", "成功", "到账", "好了", "取消了", "完成",
		"charge", "paid", "pay", "go through", "went through", "cancel", "done")
}

// bareYes reports a typed yes that does not say to what: a confirm word,
// an "ok", a "go on" — not an action named ("确认还款", "确认开启").
func bareYes(text string) bool {
	w := confirmForm(bare(text))
	return confirmWords[w] || acks(w) || goOnWords[w] || agreesToPay(w)
}

// asksIfPaid reports a short question whether a payment went through
// ("扣了吗", "还款成功了没", "did it go through?") — not how or with what
// to pay, whether it could be charged twice, nor about a cancellation, a
// refund, a closure, a card, auto-repayment or someone else's payment.
func asksIfPaid(text string) bool {
	l := strings.ToLower(text)
	short := utf8.RuneCountInString(bare(text)) <= 6 // "成功了没", "到账了吗": nothing else it could be about
	rest := l
	if autoDebitAsked.MatchString(l) {
		rest = autoWords.Replace(l) // "auto pay今天扣了吗": whether auto-repayment's debit went through, not how to set it (an audit)
	}
	amount := debitAmountAsked.MatchString(l)
	if amount {
		rest = strings.ReplaceAll(rest, "how much", "") // "how much was taken today": not how to
	}
	return (asks(text) || paidOrNot.MatchString(l) || amount) && (utf8.RuneCountInString(text) <= 24 || shortRequest(text)) && paidWords.MatchString(l) &&
		(containsAny(l, "扣", "付", "还", "钱", "款", "pay", "paid", "charge", "debit", "money", "taken", "go through", "went through",
			"go thru", "went thru") || short && containsAny(l, "成功", "到账") ||
			containsAny(l, "plan", "installment") && containsAny(l, "done", "finished", "complete")) && // "is the buds plan all done now" (a regression run: a payoff quote)
		!containsAny(rest, notWhetherPaid...) && !aboutSomeoneElse(text) && !(kinFor.MatchString(l) && !ownBeside(text)) && // "我让老婆还了，到账没": theirs
		!thisTheLast.MatchString(l) // "还完这期是不是就结清了": the schedule's (an audit: "no recent repayment")
}

// autoDebitAsked names auto-repayment's debit itself ("自动还款今天扣了吗",
// "did the autopay go through"); autoWords are auto-repayment's names,
// which otherwise mark a question about setting it up.
var (
	autoDebitAsked = regexp.MustCompile(`(?:自动|auto ?pay|auto-?repay\w*|auto debit)[^，。？?]{0,12}(?:扣(?:了|没|款了|成功)|debited|charged|go(?:ne)? (?:through|thru)|went (?:through|thru))`)
	autoWords      = strings.NewReplacer("自动还款", "", "自动扣款", "", "自动", "", "autopay", "", "auto pay", "", "auto-repayment", "", "auto debit", "", "auto", "")
)

// debitAmountAsked asks how much a debit of a day took ("电视今天扣了多少":
// an audit got the payoff's quote, one tap from paying it all).
var debitAmountAsked = regexp.MustCompile(`(?:今天|今日|刚才|刚刚|早上|上午|中午|下午)[^，。？?]{0,4}扣了?多少|\bhow much (?:was|did you|got|have you) (?:taken|take|debited|debit|charged|charge)\b|\bwhat (?:got|was|were|has been) (?:charged|taken|debited)\b`)

// paidOrNot asks it as "A没A" ("到底扣没扣": a probe was unsure).
// Not 还没还: 还 is as often "still" ("我还没还这期，帮我还了").
var paidOrNot = regexp.MustCompile(`扣没扣|到没到|付没付|交没交|成没成功`)

// notWhetherPaid are the words of a question about paying that is not
// whether a payment went through: the FAQ's.
var notWhetherPaid = []string{"两次", "多扣", "重复", "又", "会不会", "取消", "退", "怎", "什么时候", "能不能", "可以", "注销", "换卡", "绑卡",
	"一次还", "一次性", "要不要", "先还", "能还", // whether to pay, not whether paid ("能一次还了吗", "我要不要今天先还了": an audit)
	"默认卡", "冻结", "自动", "提交", "开通", "改绑", "设置", "验证", "申请", "绑定", "登录", "修改", "twice", "again", "double", "cancel", "refund", "how", "when", "can i", "could i", "close", "closure",
	"new card", "default card", "change card", "frozen", "auto",
	// undoing one, or what paying does ("提前还了以后每期会变吗"): the FAQ's
	"撤", "不小心", "误点", "点错", "的话", "以后", "之后", "后面", "每期", "每个月", "变", "征信", "显示", "一部分",
	"undo", "withdraw", "reverse", "by mistake", "credit", "will my", "would my",
	// what paying off costs, what stays after it (a probe: "提前还完要另外收钱不？"
	// and "全部还完了账户还在吗？" got the debit under way instead of the answer)
	"收钱", "收费", "另外", "额外", "还在", "free", " if ",
	// asking leave to pay a part first ("我先把滞纳金还了行吗 本金下个月再还":
	// "no recent payment" was said — a probe)
	"行吗", "行不行", "先把", "再还",
	// which periods were paid ("我之前都还了哪几期 有记录吗": the history's,
	// not "no recent payment" — a probe; "还了吗 有记录吗" right after paying
	// is whether it went through)
	"哪几期", "哪些期",
	// a certificate of paying asked for ("提前还款完能开结清证明吗 要多久": a
	// probe got the booking debiting today) — not "证明一下扣了没"
	"开证明", "开个证明", "出证明", "出个证明", "出具", "结清证明", "还款证明", "无欠款证明", "certificate", "proof of",
	// a person asked for beside it ("扣没扣我看不到，帮我转人工")
	"人工", "human", "agent",
	// what one still can once paid ("全部还完了还能再用小米分期买东西吗": the
	// booking debiting today)
	"还能", "还可以", "can i still"}

// paidWords say a payment is done, or ask whether it is.
var paidWords = regexp.MustCompile(`(扣|付|交)[款钱费]?(了|成功|完|上|好|没|走)|还款?(了|成功|完|上)|还款没|成功|到账|好了|完成|` +
	`\b(charged|paid|(?:was|were|got|been) taken|go(ne)? (through|thru)|went (through|thru)|done|success(ful)?|completed?|work(ed)?|ok)\b`)

// ackWords agree without saying to what ("ok", "好的" — also "I see", or
// the answer to another question). They confirm a setting (auto-repayment,
// the default card, going on with a closure); a payment or a cancellation
// asks for the button or "确认" instead.
var ackWords = map[string]bool{"是": true, "是的": true, "好": true, "好的": true, "可以": true, "行": true, "嗯": true, "对": true,
	"對": true, "没问题": true, "好吧": true, "行吧": true, "可以的": true, "好滴": true, "好嘞": true, "yes": true, "y": true, "yep": true,
	"yeah": true, "ok": true, "okay": true, "sure": true, "yeah ok": true, "ok ok": true, "alright": true, "all right": true,
	"fine": true, "no problem": true, "confirmed": true, "yup": true, "ya": true, "yea": true, "yeap": true, "okey": true,
	"okie": true, "yess": true, "sure thing": true, "go ahead": true, "lets do it": true, "let's do it": true, "do it": true,
	"go": true, "ok go": true, "okay go": true, "lets go": true, "let's go": true, "go for it": true, "来吧": true, "走起": true,
	"why not": true, "of course": true, "absolutely": true, "definitely": true}

// acks reports a typed agreement: one of ackWords, or a few of them in a
// row ("ok sure", "yep go ahead", "sure why not", "好的 可以").
func acks(w string) bool {
	if ackWords[w] {
		return true
	}
	words := strings.FieldsFunc(w, func(r rune) bool { return r == ' ' || r == ',' || r == '，' || r == '、' })
	if len(words) < 2 || len(words) > 5 {
		return false
	}
	// Each stretch of words, the longest first, must be one of ackWords.
	for i := 0; i < len(words); {
		j := len(words)
		for ; j > i && !ackWords[strings.Join(words[i:j], " ")]; j-- {
		}
		if j == i {
			return false
		}
		i = j
	}
	return true
}

// clippedOks are an ok typed short ("k", "kk"): too thin to consent by
// (a setting is turned on by "ok", not by a letter), enough to be told how.
var clippedOks = map[string]bool{"k": true, "kk": true, "okk": true, "okok": true}

// moneyAnswer is what a typed answer says to a step that moves money.
type moneyAnswer int

const (
	notAnAnswer moneyAnswer = iota
	// confirmsMoney says "confirm", and says it: the money moves.
	confirmsMoney
	// acknowledges agrees without saying to what ("ok", "yes"), or asks
	// ("确认？", "confirm?" — "are you sure?", "did it go through?"), or
	// confirms another step's action ("确认取消" at a quote): nothing
	// moves, and the way to confirm is told.
	acknowledges
)

// moneyAnswerOf reads typed text at a step that moves money; own are the
// step's own confirmations by name (billConfirms, payoffConfirms,
// cancelConfirms).
func moneyAnswerOf(text string, own map[string]bool) moneyAnswer {
	w, asked := confirmForm(bare(text)), strings.ContainsAny(text, "?？")
	switch {
	case (confirmWords[w] || own[w]) && !asked:
		return confirmsMoney
	case confirmWords[w] || own[w] || acks(w) || aboutConfirming(w) || agreesToPay(w) || mistypedConfirm(w):
		return acknowledges
	}
	return notAnAnswer
}

// confirmForm is a typed confirmation as the word lists hold it: without a
// "yes" before it ("好的，确认", "ok 确认") or an emoji after it ("确认👍").
func confirmForm(w string) string {
	w = strings.TrimRight(w, " 👍✅👌🙏✔️\ufe0f")
	if m := yesBefore.FindStringSubmatch(w); m != nil {
		return m[1]
	}
	return w
}

var yesBefore = regexp.MustCompile(`^(?:好的|好|是的|是|对|對|嗯|行|可以|没问题|ok|okay|yes|yeah|sure|alright)[\s,，、.。!！]*(确认.*|确定.*|確認.*|確定.*|confirm.*)$`)

// agreesToPay reports a "yes" that says to what and nothing else: "yes
// please pay it", "好的 还吧", "ok扣吧" — at a quote, not another flow's
// request (nor "好像已经还了", "可以用信用卡还吗": questions).
func agreesToPay(w string) bool { return yesPay.MatchString(w) }

var yesPay = regexp.MustCompile(`^(?:yes|yeah|ok|okay|sure|好的|好|嗯|行|可以)[\s,，。.!！~]*(?:please |pls )?` +
	`(?:pay(?: it| now| the bill)?|还(?:吧|款吧|钱吧)?|付(?:吧|款吧)?|扣(?:吧|款吧)?)[\s.。!！~]*$`)

// goAheadAndPay is a go-ahead to the payment at its quote ("yes please go
// ahead and pay": it got suggestions, and the 确认 after it was refused —
// an English probe); only there: at a booking's cancellation or the
// auto-repayment question it says nothing of what they ask.
var goAheadAndPay = regexp.MustCompile(`^(?:(?:yes|yeah|ok|okay|sure)[\s,.!~]*)?(?:please |pls )?go ahead(?: and)? pay(?: it| now)?[\s.!~]*$`)

// mistypedConfirm reports a confirm word mistyped ("确人", "确仁", "comfirm",
// "confrim", "queren"): never taken as one — money moves on what the
// customer said — but answered with the way to confirm, not as a question
// ("人" asks for a person).
func mistypedConfirm(w string) bool {
	if r := []rune(w); len(r) >= 1 && len(r) <= 3 && (r[0] == '确' || r[0] == '確') {
		return true
	}
	return w == "queren" || w == "qr" || len(w) >= 5 && len(w) <= 9 && editDistance(w, "confirm") <= 2
}

// editDistance is the Levenshtein distance between two short ASCII words.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// asksTwice reports a question whether a payment could be charged twice
// ("会扣两次吗", "好的，但是会重复扣款吗", "will it charge me twice?").
func asksTwice(text string) bool {
	l := strings.ToLower(text)
	return asks(text) && containsAny(l, "两次", "2次", "重复扣", "重复还", "多扣", "扣重", "twice", "double", "two times") &&
		!partSaid.MatchString(l) // "能分两次还吗": in parts, not charged twice (a probe)
}

// asksAboutQuote reports a question about the quote in front of the
// customer: how its amount comes about ("为什么是5074 不是4999", "怎么比剩下的
// 多", "why is it more than my balance") or whether it cancels a booking
// ("那12号那笔预约会自动取消吗", "will my scheduled payment still go out?").
// How to cancel a booking, and fee questions (the guide says more: the
// rate, whether it can be waived), are not about this quote.
func asksAboutQuote(text string) bool {
	l := strings.ToLower(text)
	if amountAsked.MatchString(l) && (amountSaid.MatchString(l) || chargeWithFigure.MatchString(l)) {
		return true // "这个12块是啥", "手续费21是什么": a part of it (probes: "payments are whole periods", unsure)
	}
	if containsAny(l, "为什么", "为啥", "why", "how come") && containsAny(l, "这期", "本期", "this period", "today") && containsAny(l, "手续费", "fee") {
		return true // "为什么要收这期的手续费" at a payoff: the fee of the period due, a part of it (a probe: the bill quoted, then unsure)
	}
	short := 40 // English words are longer: "does this cancel tomorrow's scheduled repayment?" (a probe: the booking's cancellation, which a confirm made)
	if !hasHan(l) {
		short = 64
	}
	if n := utf8.RuneCountInString(l); n > 80 || n > short && !centsTyped.MatchString(l) || containsAny(l, "手续费", "费率", "免", "fee", "waive", "rate", "怎么取消", "如何取消", "how do i cancel", "how to cancel") {
		return false
	}
	amount := containsAny(l, "为什么是", "为啥是", "怎么是", "为什么要付", "为什么多", "为啥多", "怎么多", "多了", "多出", "这么多", "比我", "比剩", "少了", "少一期", "怎么少", "为什么少",
		"怎么算", "怎么来的", "哪来的", "哪里来", "明细", "组成", "包括", "包含", "why is it", "why is the", "how come", "why more",
		"more than", "breakdown", "made of", "calculated", "where does", "extra")
	return (amount || asksAboutBooking(text)) && (asks(text) || containsAny(l, "为什么", "为啥", "怎么", "why", "how"))
}

// chargeWithFigure is a charge named with a figure ("手续费21", "滞纳金 12",
// "the 12 late fee").
var chargeWithFigure = regexp.MustCompile(`(?:手续费|滞纳金|罚息|利息|本金|fee|interest|principal)\s*[0-9]+|[0-9]+(?:\.[0-9]+)?\s*(?:的)?(?:手续费|滞纳金|罚息|利息|本金|late fee|fee|interest)`)

// centsTyped is an amount typed to the fen ("why is it 392.25 when the
// laptop is 383.25 a month": a question of the quote's sum, longer than
// most — an audit got the orders desk).
var centsTyped = regexp.MustCompile(`[0-9]\.[0-9]{2}\b`)

// comparesPayingNow asks whether paying off now is cheaper than paying as
// scheduled ("what's cheaper, paying monthly or now?", "提前还款划算吗"): at
// a payoff's quote, what its parts say (an English probe had the quote
// dropped for the list of bills). At a bill's quote it is the prepayment
// fee's question, not the bill's parts (a regression run).
func comparesPayingNow(text string) bool {
	l := strings.ToLower(text)
	return utf8.RuneCountInString(l) <= 60 &&
		containsAny(l, "cheaper", "more expensive", "worth it", "better to", "save money", "save more", "划算", "合算", "省钱", "更便宜", "哪个便宜") &&
		(asks(text) || containsAny(l, "what", "which", "should", "is it", "哪个", "是不是", "吗"))
}

// asksQuoteFee reports a short question whether the quote carries a fee,
// or how much ("有手续费吗", "手续费多少", "is there a fee for the phone
// one?"): its parts answer it. How a fee is worked out, or whether it can
// be waived, is the FAQ's.
func asksQuoteFee(text string) bool {
	l := strings.ToLower(text)
	return utf8.RuneCountInString(l) <= 40 && (asks(text) || containsAny(l, "多少", "how much", "what's", "whats", "what is")) &&
		containsAny(l, "手续费", "费用", "fee", "charge") &&
		!containsAny(l, "怎么算", "怎么收", "如何", "为什么", "为啥", "费率", "免", "能不能少", "标准", "how is", "how are", "how do",
			"how to", "how come", "how it", "why", "rate", "waive",
			"calculat", "percent", "%", "twice", "两次", "多扣", "重复")
}

// asksAboutBooking reports words about whether a booking is cancelled or
// still debited ("预约会取消吗", "will my scheduled payment still go out").
func asksAboutBooking(text string) bool {
	l := strings.ToLower(text)
	return containsAny(l, "预约", "scheduled", "booking", "自动扣") &&
		containsAny(l, "取消", "还会", "会扣", "还扣", "还要扣", "重复", "cancel", "still", "go out", "charged")
}

// aboutConfirming reports a short text about confirming that is not the
// word alone, nor a "no": "确认吗", "确认？确认什么", "is it confirmed",
// "确认开启" — the way to confirm is the answer.
func aboutConfirming(w string) bool {
	if utf8.RuneCountInString(w) > 24 || !containsAny(w, "确认", "确定", "確認", "確定", "confirm") {
		return false
	}
	return !containsAny(w, "不", "别", "没", "甭", "don't", "dont", "not", "can't", "cannot", "won't", "never") && !asksUndo(w) &&
		!containsAny(w, asidesOfConfirming...) && !(beforeConfirming.MatchString(w) && asks(w))
}

// asidesOfConfirming are the words of a question about the quote's
// charges or card asked beside a confirm word ("确认之前我想问下手续费能免吗",
// "确认之前 滞纳金能少点吗", "confirm? what card is it"): the question is
// answered, not the way to confirm alone (probes). So is any question
// asked "before I confirm" (beforeConfirming).
var (
	asidesOfConfirming = append([]string{"费用", "哪张", "什么卡", "哪个卡", "which card", "what card"}, chargeWords...)
	beforeConfirming   = regexp.MustCompile(`(?:确认|确定|確認|確定)(?:之前|以前|前)|\bbefore (?:i )?confirm`)
)

// asksUndo reports a question whether a confirmed payment can be taken
// back ("确认后能退吗", "确认了还能撤销吗", "once confirmed can i cancel it"):
// the FAQ's answer (it cannot), not the way to confirm.
func asksUndo(w string) bool {
	return asks(w) && (afterConfirming.MatchString(w) && containsAny(w, "退", "撤", "反悔", "后悔", "取消", "cancel", "refund") ||
		containsAny(w, "undo", "reverse", "take it back", "cancel it after", "refund it after"))
}

// afterConfirming is "after I confirm" ("确认后", "确认了", "确定以后",
// "once confirmed", "after confirming", "if i confirm").
var afterConfirming = regexp.MustCompile(`(?:确认|确定|確認|確定)(?:之后|以后|后|了|完)|once (?:i )?confirm|after (?:i )?confirm|if i confirm`)

func containsAny(s string, subs ...string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}

// agrees reports whether typed text agrees to a setting: a confirm word or a
// yes, not asked (a confirmation of another action by name, "确认取消", is
// not agreement to turn something on).
func agrees(text string) bool {
	w := confirmForm(bare(text))
	return (confirmWords[w] || acks(w)) && !strings.ContainsAny(text, "?？")
}

// typedLabel reports text that is a button's label typed ("确认开启" for
// "✅ 确认开启"): it says what the button does.
func typedLabel(text, label string) bool {
	l := bare(strings.TrimLeft(label, "✅☑️✔️\ufe0f "))
	return l != "" && confirmForm(bare(text)) == l && !strings.ContainsAny(text, "?？")
}

// asks reports a question: a question mark, the particles that end one, a
// Chinese "A不A" ("能不能", "行不行", "可不可以"), or an English question's
// first word ("did it go through") or its "can I".
func asks(text string) bool {
	w := bare(text)
	return strings.ContainsAny(text, "?？") || containsAny(w, "吗", "了没", "没有扣", "可否", "能否", "是否") ||
		strings.HasSuffix(w, "没") || strings.HasSuffix(w, "呢") || strings.HasSuffix(w, "成功没有") || strings.HasSuffix(w, "到账没有") || questionFirst.MatchString(w) ||
		aNotA(w) || canI.MatchString(w)
}

var (
	questionFirst = regexp.MustCompile(`^(?:did|does|do|is|was|were|has|have|will|are|can|could)\s`)
	canI          = regexp.MustCompile(`\b(?:can|could|may) i\b|\bis it (?:ok|okay|possible|allowed)\b`)
)

// aNotA reports a Chinese question of the form "A不A": 能不能, 行不行,
// 可不可以, 要不要 — not a no said twice ("不要不要", "不是不是"), nor the
// statements of that form: 动不动 ("all the time"), 爱扣不扣, 不管扣不扣.
func aNotA(w string) bool {
	r := []rune(w)
	for i := 0; i+2 < len(r); i++ {
		if r[i+1] == '不' && r[i] == r[i+2] && unicode.Is(unicode.Han, r[i]) && r[i] != '动' &&
			(i == 0 || r[i-1] != '不' && r[i-1] != '爱' && (i < 2 || string(r[i-2:i]) != "不管")) {
			return true
		}
	}
	return false
}

// waitWords ask the step to wait: it does, and says so.
// consultsFirst is someone to be asked before going on ("我先跟我老婆商量一下",
// "let me confirm with my wife first", "i need to check with my bank
// first"): the step waits, as for "let me think" (a probe: "can't answer").
var consultsFirst = regexp.MustCompile(`^我?(?:先|得|要|再)?(?:跟|和|问问?|问一下)我?(?:老婆|老公|家人|家里|爸妈|爸爸|妈妈|我爸|我妈|媳妇|对象|银行)[^，。？?]{0,6}?(?:商量|问问|确认|说|问)?(?:一下|下)?(?:再说|先)?$|` +
	`^(?:let me|i (?:need|have|want) to|i'?ll) (?:confirm|check|talk|ask|discuss)(?: it| this| that)? with (?:my )?[a-z]+(?: [a-z]+)? first$`)

var waitWords = map[string]bool{"等等": true, "等一下": true, "等下": true, "稍等": true, "稍等一下": true, "让我想想": true,
	"我想想": true, "我考虑一下": true, "考虑一下": true, "我再想想": true, "wait": true, "hold on": true, "let me think": true,
	"one moment": true, "one sec": true, "just a sec": true, "wait a moment": true, "我再考虑考虑": true, "再考虑考虑": true,
	"考虑考虑": true, "我考虑考虑": true, "let me think about it": true, "ok wait": true, "wait wait": true, "hang on": true}
