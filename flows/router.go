package flows

import (
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"supportbot"
	"supportbot/locale"
)

// commands maps a slash command to the flow it starts.
var commands = map[string]string{
	"bill":            "bill",
	"repay":           "repay",
	"cancel_schedule": "cancel",
	"close_account":   "close",
	"closure_status":  "closure",
	"agent":           "agent",
	"messages":        "messages",
	"pay":             "pay",
	"autopay":         "autopay",
	"cards":           "cards",
	"remind":          "remind",
}

// intents maps a classifier's flow intent to a flow.
var intents = map[string]string{
	"bill":             "bill",
	"early-repayment":  "repay",
	"cancel-scheduled": "cancel",
	"close-account":    "close",
	"agent":            "agent",
	"remind":           "remind",
	"messages":         "messages",
	"pay-bill":         "pay",
	"autopay":          "autopay",
	"cards":            "cards",
}

// Intents lists the classifier intents and button flows the engine knows, by
// the flow each starts (for tests and tools).
func Intents() map[string]string { return maps.Clone(intents) }

// smallTalk are greetings, thanks and goodbyes, answered as such.
var smallTalk = map[string]string{
	"你好": "hello", "您好": "hello", "你好啊": "hello", "在吗": "hello", "在不在": "hello", "哈喽": "hello", "嗨": "hello",
	"早上好": "hello", "下午好": "hello", "晚上好": "hello", "hi": "hello", "hello": "hello", "hey": "hello",
	"good morning": "hello", "good afternoon": "hello", "good evening": "hello",
	"喂": "hello", "喂在吗": "hello", "喂 在吗": "hello", "喂，在吗": "hello", "有人吗": "hello", "有人在吗": "hello", "在吗在吗": "hello",
	"anyone there": "hello", "is anyone there": "hello", "hello anyone there": "hello", "are you there": "hello",
	"hey there": "hello", "hi there": "hello", "hello there": "hello", "yo": "hello", "sup": "hello", "whats up": "hello", // an English probe: "can't answer"
	"what's up": "hello", "yo whats up": "hello", "hey whats up": "hello", "hi whats up": "hello",
	"谢谢": "thanks", "多谢": "thanks", "谢谢你": "thanks", "感谢": "thanks", "好的谢谢": "thanks", "thanks": "thanks",
	"thank you": "thanks", "thx": "thanks", "ty": "thanks",
	"再见": "bye", "拜拜": "bye", "bye": "bye", "goodbye": "bye",
	"分期": "menu", "分期付款": "menu", "小米分期": "menu", "菜单": "menu", "帮助": "menu",
	"主菜单": "menu", "返回主菜单": "menu", "回到主菜单": "menu", "打开菜单": "menu", // the menu button's label, typed
	"installment": "menu", "installments": "menu", "menu": "menu", "help": "menu", "main menu": "menu", "show menu": "menu",
}

// barePay is a payment asked for in a word or two, nothing else said.
var barePay = map[string]bool{"还款": true, "还钱": true, "付款": true, "交钱": true, "还账": true, "还款吧": true, "我要付款": true,
	"pay": true, "repay": true, "payment": true, "make a payment": true, "make payment": true, "pay now": true,
	"pay bill": true, "pay my bill": true, "pay the bill": true, "i want to pay": true, "pay it": true, "pay that": true,
	"pay this": true, "just pay it": true, "just pay": true, "pay it now": true, "pay that now": true}

// pleasantries reads a message made only of thanks, goodbyes and okays
// ("ok thanks bye", 好的谢谢再见, "k thx") as "bye" when it says goodbye, "thanks"
// when it thanks, "ok" when it says it has what it needed ("好的那就这样吧",
// "ok got it"); "" for anything else (a bare "ok" included: it may be a
// yes, and is read as one).
func pleasantries(text string) string {
	t := strings.Map(func(r rune) rune {
		if r == '\ufe0f' { // an emoji's variation selector
			return -1
		}
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, text)
	talk := ""
next:
	for t != "" {
		for _, w := range []struct{ word, talk string }{{"thankyou", "thanks"}, {"thanks", "thanks"}, {"thx", "thanks"},
			{"goodbye", "bye"}, {"bye", "bye"}, {"okay", ""}, {"ok", ""}, {"kk", ""}, {"k", ""}, {"ty", "thanks"}, {"谢谢", "thanks"}, {"多谢", "thanks"},
			{"再见", "bye"}, {"拜拜", "bye"}, {"好的", ""}, {"好", ""}, {"嗯", ""}, {"行", ""},
			{"那就这样吧", "ok"}, {"那就这样", "ok"}, {"就这样吧", "ok"}, {"就这样", "ok"}, {"知道了", "ok"}, {"明白了", "ok"},
			{"明白", "ok"}, {"了解", "ok"}, {"收到", "ok"}, {"懂了", "ok"}, {"继续", "ok"}, {"没问题", "ok"}, {"没有问题", "ok"}, {"gotit", "ok"},
			{"没事", "ok"}, {"没别的", "ok"}, {"没其他", "ok"}, {"没有了", "ok"}, {"nothingelse", "ok"}, {"thatsall", "ok"}, {"thatsit", "ok"},
			{"了", ""}, {"啦", ""}, {"哈", ""}, {"哦", ""}, {"呢", ""}, // "没问题了": a tail, not another matter (it was read as "a problem": a person)
			{"isee", "ok"}, {"understood", "ok"}, {"cool", "ok"}, {"great", "ok"}, {"perfect", "ok"}, {"alright", "ok"},
			{"awesome", "ok"}, {"nice", "ok"}, {"cheers", "thanks"}, {"alot", ""}, {"somuch", ""}, {"verymuch", ""}, // "thx a lot", "thank you so much!" (an English probe)
			{"👍", "ok"}, {"👌", "ok"}, {"✅", "ok"}, {"✔", "ok"}, {"☑", "ok"}, {"🙏", "thanks"}, {"❤", "thanks"}, {"😊", ""}, {"🙂", ""}} {
			if rest, ok := strings.CutPrefix(t, w.word); ok {
				if talk != "bye" && w.talk != "" && (talk != "thanks" || w.talk != "ok") {
					talk = w.talk
				}
				t = rest
				continue next
			}
		}
		return ""
	}
	return talk
}

// goesAhead reports a short go-ahead at a step that waits for a yes ("扣吧",
// "行 扣吧", "嗯嗯 可以", "do it", "ok sounds good"; cancelling a booking,
// "对 取消掉", "yes cancel", "取消" too): go-ahead words and nothing else, not
// the step's confirmation, nor a question, nor a no.
func goesAhead(text string, cancelling bool) bool {
	w := bare(text)
	if cancelling && dropsBooking(w) {
		return true
	}
	if utf8.RuneCountInString(w) > 16 || strings.ContainsAny(text, "?？") || declines(text) ||
		containsAny(w, "不", "别", "没", "甭", "don't", "dont", "not", "never") {
		return false
	}
	rest := letters(w)
	if cancelling {
		rest, _ = withoutWords(noLeads.Replace(rest), []string{"取消", "cancel"}) // "算了还是取消吧"
	} else if cancelWords[w] {
		return false // leaves the step
	}
	if rest == "" {
		return cancelling
	}
	rest, goAhead := withoutWords(rest, goAheadWords)
	return goAhead && rest == ""
}

// dropsBooking reports, at a booking's cancellation, a no that is said to
// the booking, not to the step: a no word before 取消 ("不要了 取消吧",
// "no, just cancel it"), "不保留了", "别扣了", "don't take the money" (a
// probe: "不要了 取消吧" kept the booking; the others got suggestions). A
// keep said after it ("不要了，别取消") is not one.
func dropsBooking(w string) bool {
	if dropsKeep.MatchString(w) || stopsDebit.MatchString(w) {
		return !keepsBooking.MatchString(w) && !asks(w)
	}
	first, rest, ok := strings.Cut(w, " ")
	if i := strings.IndexAny(w, "，,。、!！;；"); i >= 0 && (!ok || i < len(first)) {
		first, rest, ok = w[:i], w[i:], true
	}
	rest = strings.Trim(rest, " ，,。、!！;；")
	return ok && (noWords[first] || first == "no" || first == "nah" || first == "nope") && !keepsBooking.MatchString(rest) &&
		(strings.Contains(rest, "取消") || wordsIn(rest, "cancel")) && goesAhead(rest, true) // not "不，扣款吧": a no, and let it debit
}

// stopsDebit is "don't take the money" ("别扣了", "不要扣款了", "don't
// charge me"): at a booking's cancellation, what cancelling it does.
var stopsDebit = regexp.MustCompile(`^(?:那就|就)?(?:别|不要|不用|不必|先别|先不要)(?:再)?(?:扣|扣款|扣钱)了?(?:吧|啊)?$|^(?:(?:please|pls|just) )?(?:don'?t|do not) (?:charge|debit|take the money)\b`)

// noProblem is "no problem", asked or said ("没问题吧", "这样没问题吧",
// "这个没问题吗"): 问题 in it is not a problem to hand to a person.
var noProblem = regexp.MustCompile(`^(?:这样|这个|那)?没有?问题(?:了)?(?:吧|吗|嘛|么)?[?？!！。~]*$`)

// asksIfRight is a question whether the step in front is right ("is this
// right?", "looks ok?", "这样对吗", "金额对吗", "一共多少钱"): its answer is the step
// itself, and how to go on (a probe: "is this right?" at a quote was "I
// can't answer").
var asksIfRight = regexp.MustCompile(`^(?:(?:is|does) )?(?:(?:this|that|it|everything|all) )?(?:looks? )?(?:right|correct|ok|okay|fine|good)(?: to (?:me|you))?[?？]*$|` +
	`^(?:这样|这个|金额|数目|数额|这个金额|这个数)?(?:对|正确|没错|可以)(?:吧|吗|嘛|么)[?？]*$|` +
	// how much in all, asked at the quote that says it ("一共多少钱": a
	// probe got unsure)
	`^那?(?:一共|总共|合计|总计|全部|这笔|这次|现在)?(?:是|要|得|需要)?(?:付|还|扣|交)?(?:多少钱?|几块钱?)(?:啊|呀|呢)?[?？]*$|` +
	`^(?:so |and )?how much (?:is it|is that|in total|altogether|total|do i pay|do i have to pay|will it be|will i pay)[?？]*$|^(?:what'?s|what is) the total(?: amount)?[?？]*$`)

// goAheadWords are the words of a go-ahead, longest first (spaces gone).
var goAheadWords = []string{"soundsgood", "goahead", "continue", "proceed", "doit", "payit", "alright", "okay", "yeah", "please", "just",
	"sure", "fine", "then", "yes", "yep", "pay", "ok", "it", "继续", "可以", "是的", "扣款", "还款", "付款", "帮我", "给我", "扣", "还", "付", "要", "对", "行",
	"好", "嗯", "那", "就", "吧", "了", "掉", "请", "啊", "呀", "哦", "呗", "的"}

// wordless reports text with no letter and no digit (a keycap or a
// circled number is one): emoji, punctuation, symbols alone ("😀😀😀", "？",
// "...").
func wordless(text string) bool {
	return !strings.ContainsFunc(halfWidthDigits.Replace(text), func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
}

// talkOf is what small talk text is: "hello", "thanks", "bye", "menu" (a
// bare topic word) or "ok" — or "" when it is not small talk.
func talkOf(text string) string {
	if talk := smallTalk[bare(text)]; talk != "" {
		return talk
	}
	if noProblem.MatchString(bare(text)) { // "这样没问题吧" at a quote: not a person asked for (a probe)
		return "ok"
	}
	return pleasantries(text)
}

// cancelWords leave any flow when typed (or sent by a reply-keyboard button).
var cancelWords = map[string]bool{"取消": true, "退出": true, "返回": true, "cancel": true, "quit": true, "stop": true, "back": true,
	"取消吧": true, "退出吧": true, "返回吧": true, "go back": true}

// noWords answer the step in front of the customer with "no": they leave it
// (what it would have done is not done), whatever a classifier would make of
// the words ("不用了" during a quote is never a question about closing the
// account).
var noWords = map[string]bool{"算了": true, "不用了": true, "不用": true, "先不了": true, "不了": true, "不要": true, "不要了": true,
	"不": true, "否": true, "不需要": true, "没事了": true, "暂时不用": true, "以后再说": true, "再说吧": true, "先不用": true,
	"不还了": true, "先不还了": true, "不付了": true, "不取消了": true, "不注销了": true, "不办了": true, "保留": true, "保留吧": true,
	"别扣": true, "不要扣": true, "不要扣钱": true, "别扣钱": true, "先别扣": true, "先不还": true, "确认不还了": true, "确定不还": true,
	"不确认": true, "我不确认": true, "不用确认了": true, "不用确认": true, "不确认了": true, "先不确认了": true, "我不想确认": true, "don't confirm": true, "dont confirm": true, "do not confirm": true,
	"别确认": true, "先不确认": true, "不要确认": true, "先别确认": true, "不要取消": true, "别取消": true,
	"不改了": true, "不开了": true, "别开": true, "不要开启": true, "不关了": true, "别关": true, "不换了": true, "别换": true,
	"不要换": true, "不要注销": true, "别注销": true, "别注销了": true,
	"no": true, "nope": true, "nah": true, "never mind": true, "nevermind": true, "nvm": true, "later": true, "not now": true,
	"no thanks": true, "no thank you": true, "maybe later": true, "keep it": true, "no keep it": true, "don't": true,
	"don't pay": true, "do not pay": true, "don't cancel": true, "don't change it": true,
	"算了吧": true, "不想还": true, "我不想现在还": true, "不想现在还": true, "先不关": true, "先不开": true, "先别关": true,
	"先别关了": true, "先别开": true, "还是开着吧": true, "还是关着吧": true, "not today": true, "forget it": true,
	"forget about it": true, "no need": true, "先不用了": true, "暂时不用了": true, "暂时不需要": true, "暂时不需要了": true, "不需要了": true,
	"先不需要": true, "先不需要了": true, "hold off": true, "hold off for now": true, "not yet": true, "not right now": true, "not for now": true, "❌": true, "✖": true, "✖️": true, "👎": true, "🙅": true,
	// "还是算了", "先不", "下次吧" (a probe: the suggestions, the quote live)
	"还是算了": true, "还是算了吧": true, "那算了": true, "那就算了": true, "先不": true, "先不要": true, "下次吧": true, "下次再说": true,
	"下回吧": true, "下回再说": true, "改天吧": true, "改天再说": true, "回头再说": true, "回头吧": true, "next time": true, "some other time": true}

// wrongAlone say the step is wrong, and nothing else: a no. With more
// after them they correct it ("不对，换成笔记本").
var wrongAlone = map[string]bool{"不对": true, "不对不对": true, "不是": true, "错了": true}

// mobileTyped is a mainland mobile number typed (not an order number): 11
// digits from 1[3-9], grouped or not, perhaps after +86.
var mobileTyped = regexp.MustCompile(`(?:^|[^0-9])(?:\+?86[\s-]?)?1[3-9][0-9](?:[\s-]?[0-9]){8}(?:$|[^0-9])`)

// namedAlone reports a command's argument that names one of the customer's
// people alone ("my wife", "我老婆"). A bare name is not read: a product's
// or a colour's word reads as one ("/repay 戴尔", "金色").
func namedAlone(args string) bool {
	return kinAlone.MatchString(strings.ToLower(strings.TrimSpace(args)))
}

// personAlone reports a command's argument that is a person's name alone
// ("/bill 李娜", "/repay Li Na", "/bill Mr Smith") and not the identified
// customer's own name (nor a word of their products). A name is told by
// what names are made of — a surname and a given name's character, a
// surname and a given name in pinyin, a title and a capitalised word — not
// by what it is not: "/bill Overdue", "/remind On", "/pay Alipay", "/bill
// Long Term" are no one.
func (s *Step) personAlone(args string) bool {
	args = strings.TrimSpace(args)
	if rs := []rune(args); len(rs) > 0 && isHanRunes(rs) {
		// Alone, a surname and any character may be a word (金色, 戴尔):
		// a name here ends in a given name's character.
		return personName(rs) && strings.ContainsAny(string(rs[len(rs)-1:]), givenNames) && s.notOwn([]string{args})
	}
	if !titledName.MatchString(args) {
		m := nameAlone.FindStringSubmatch(strings.ToLower(args))
		if m == nil || !pinyinSurnames[m[1]] && !pinyinSurnames[m[2]] {
			return false
		}
	}
	return s.notOwn([]string{args})
}

// givenNames are characters common at the end of a given name (李娜, 王芳,
// 张小伟); words that start with a surname and end so are notNames (金华).
const givenNames = "娜芳伟静敏丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玲红梅鹏飞斌宇浩凯健俊帆旭宁欣婷雪慧颖琳晶莉倩燕萍兰丹晨阳峰辉鑫博亮建志海东荣新波琴蓉媛佳怡菲璐瑶蕾薇楠然昊轩涵睿哲瑞鸿毅"

// nameAlone is a name as typed alone in pinyin, lower-cased: two words, each
// one or two syllables ("li na", "ouyang nana", "zhang xiaowei").
var nameAlone = regexp.MustCompile(`^(` + pinyinWord + `) (` + pinyinWord + `)$`)

// pinyinWord is one or two pinyin syllables.
const pinyinWord = `(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v)){1,2}`

// titledName is a title and a capitalised name ("Mr Smith", "Mrs. Brown").
var titledName = regexp.MustCompile(`^(?:Mr|Mrs|Ms|Miss|Dr)\.? [A-Z][a-z]+$`)

// pinyinSurnames are the common surnames as written in pinyin: one of them
// in two pinyin words makes a name ("Li Na", "Zhang Wei").
var pinyinSurnames = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(`wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang
		xie song tang han feng deng cao peng zeng xiao tian dong yuan pan yu jiang cai du ye cheng su wei lu ding ren shen yao
		jin shi fan qian qin lei hou long tao gu mao hao kong xiang mo dai wan yin xue duan zou xiong meng qiu bai fu fang jia
		xia cui zhong tan liao yan gong shao ouyang situ shangguan zhuge`) {
		m[n] = true
	}
	return m
}()

// isHanRunes reports whether every rune is a Chinese character.
func isHanRunes(rs []rune) bool {
	for _, r := range rs {
		if !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	return true
}

// kinAlone is one of the customer's people named alone ("my wife", "我老婆").
var kinAlone = regexp.MustCompile(`^(?:(?:(?:my|for my) )?(?:` + kinEN + `)|我?的?(?:` + kin + `|妈|爸))$`)

// aboutSomeoneElse reports a request about another person's installments,
// not one to pay one's own with their help ("用我老公的银行卡还这期").
func aboutSomeoneElse(text string) bool {
	l := strings.ToLower(text)
	if !someoneElses.MatchString(l) {
		return false
	}
	if paysForKin.MatchString(l) {
		// "pay my brother's bill with my card", "用我的卡帮我妈还款": whose
		// card pays does not make the bill the customer's.
		return !namesOwn(l)
	}
	return !ownBeside(text)
}

// ownBeside reports a message that names another person beside what is
// the customer's own: paying with their card, a debt owed to the customer,
// a thing bought for someone, the customer's own bill named.
func ownBeside(text string) bool {
	l := strings.ToLower(text)
	return paysWith.MatchString(text) || namesOwn(l) || containsAny(l, "with my", "using my", "我让", "我叫", "我请", // "我让老婆还了，到账没": into their own account

		// a debt to the customer, a thing bought for someone: not their installments
		"欠我", "owes me", "owe me", "bought", "gift", "present for", "买给", "送给", "我买的", "我分期买", "是我的分期")
}

// namesOwn reports the customer's own bill named in lower-cased text ("老板
// 欠我工资 我的账单能晚几天还吗").
func namesOwn(l string) bool {
	return containsAny(l, "我的账单", "我的分期", "我的还款", "我的月供", "my bill", "my balance", "my installment", "my plan", "my payment", "my own")
}

// paysForKin is paying another person's bill: "帮我妈还", "pay my
// brother's bill" — not a thing bought for them (给老婆买的手机怎么还).
var paysForKin = regexp.MustCompile(`[帮替给]我?(?:` + kin + `|妈|爸|姐|哥|弟|妹)[^，。,.!?！？买送]{0,12}?(?:还|付|交|结清)|` +
	`\b(?:pay|repay|clear|settle)(?: off)? (?:my |the )?(?:` + kinEN + `)['’]?s (?:bills?|installments?|plans?|loans?|debts?|balance)\b`)

// paysWith is paying with someone's card or money ("用我老公的银行卡还"),
// not a fee (费用) or a use (使用).
var paysWith = regexp.MustCompile(`(?:^|[^费使])用[^，。,.!?！？]{0,10}(?:卡|钱|账户|微信|支付宝)`)

// someoneElses is a request about another person's installments ("我老婆的
// 账单", "查一下我妈的分期", "my wife's bill"): the bot serves the customer
// who identified, each for themselves.
var someoneElses = regexp.MustCompile(`(?:` + kin + `|我妈|我爸|别人|他人)` +
	`(?:查一下|查下|查查|查|看一下|看下|看看|看)?(?:[^\x00-\x{4DFF}给买帮我你他她的送借用推荐挑选介绍]{2,3}的)?的?(?:账单|分期|欠|账户|账号|订单|月供|注销|手机|笔记本|电脑|平板|小米|红米|还剩|还有多少|还差|还了|还清了|还完了|付了|交了)|` +
	`[帮替给]我?(?:` + kin + `|妈|爸|姐|哥|弟|妹|别人)[^，。,.!?！？买送推荐挑选]{0,12}?(?:还|付|交|结清|查)|` +
	// "帮我看下她的", "他的账单": her or his, someone named before (a probe)
	`(?:查|看)(?:一下|下|看|查)?(?:她|他)的|(?:^|[^其])(?:她|他)的(?:账单|分期|欠款|账户|月供|还款|手机|笔记本|电脑|平板|还剩|还有多少|还差|还了|还清|还完)|(?:是|这是)我?(?:` + kin + `|妈|爸)的[。.!！~]*$|` +
	`\b(?:` + kinEN + `)['’]?s (?:bills?|installments?|account|plans?|loans?|orders?|debts?|payments?|repayments?|cards|bookings?|phone|laptop|tablet|pad)\b|` + // "cards": not "my husband's card" (to pay with)
	`\b(?:` + kinEN + `)['’]?s [a-z]+ (?:bills?|installments?|plans?|repayments?|dates?|phone|laptop|tablet|pad)\b|` +
	`\bmy (?:` + kinEN + `) (?:still )?owes?\b|\bmy (?:` + kinEN + `)\b[^.?!]{0,60}\b(?:on|is|for|of) (?:hers|his)\b|` + // "my wife has a watch too, how much is left on hers" (a probe: one's own)
	`\bmy (?:` + kinEN + `) (?:bills?|installments?|balance|plans?|loans?|debts?|payments?)\b|` +
	`\bon behalf of (?:my )?(?:` + kinEN + `)\b|\bmy (?:` + kinEN + `) wants? to (?:pay|repay|check|see|close|cancel|know|ask|find out)|` +
	`\b(?:is|has|does|did|was) my (?:` + kinEN + `)\b|\bmy (?:` + kinEN + `) (?:is|was|has been|are|were) (?:late|overdue|behind)\b|` +
	`\bremind(?:ing|er)?s? (?:for )?my (?:` + kinEN + `)\b|提醒我?(?:` + kin + `|妈|爸)|` +
	`\b(?:bills?|installments?|plans?|balance|payments?|debts?|loans?|schedule|autopay|reminders?) (?:for|of) my (?:` + kinEN + `)\b|` +
	`\b(?:for|of) my (?:` + kinEN + `)(?:['’]s)?$|\btheir (?:bills?|installments?|plans?|debts?|payments?|balance|loans?)\b|` +
	// another person said as she or he: "how much she owes", "her bill", "她还欠多少钱" (not 其他)
	`\b(?:she|he) (?:still )?(?:owes?|is (?:late|overdue|behind))\b|\b(?:does|did|is) (?:she|he) (?:owe|late|overdue|behind|pay)\b|` +
	`\b(?:her|his) (?:bills?|installments?|plans?|debts?|balance|loans?|late fees?|payments?|repayments?)\b|` +
	`\bfees? (?:does |did )?(?:she|he) (?:has|have|owes?)\b|` +
	`(?:^|[^其吉])[她他](?:们家)?的(?:账单|分期|月供|欠款|逾期|滞纳金|手机|电脑|笔记本|平板)|(?:^|[^其吉给送为帮替])[她他]的?那(?:笔|个|部|台|单|期)|(?:^|[^其吉])[她他](?:还|现在|一共|总共|到底)?欠(?:多少|几|了多少)|` +
	`(?:^|[^其吉])[她他](?:这个月|这期|现在|一共|总共)?(?:还要还|要还|还有|还剩|还)(?:多少|几期)|` +
	`[帮替给][她他]查|` +
	// "刘洋是我老公 他的电视还剩多少": his plan of any kind (a probe got her own overview)
	`(?:^|[^其吉])[她他]的[^，。？?\s]{1,8}(?:还剩|还有多少|还差|还欠|欠多少|还了吗|还清了|还完了|这期|账单|分期)`)

// kinEN are the people a customer names as theirs, in English.
const kinEN = `wife|husband|mom|mum|mother|dad|father|parents|friend|son|daughter|partner|colleague|brother|sister|` +
	`missus|missis|wifey|hubby|` +
	`girlfriend|boyfriend|gf|bf|bro|sis|grandma|grandpa|grandmother|grandfather|aunt|uncle|cousin|roommate|someone else|` +
	`boss|neighbou?r|client|fianc[eé]e?|co-?worker|nephew|niece|classmate|flatmate|housemate|landlord|tenant|` +
	`(?:brother|sister|mother|father|son|daughter)[- ]in[- ]law|in-?laws|step(?:mom|dad|mother|father|son|daughter)`

// kin are the people a customer names as theirs (我老婆, 帮我朋友).
const kin = `老婆|老公|妻子|丈夫|爱人|媳妇|妈妈|爸爸|老妈|老爸|父母|朋友|家人|孩子|儿子|女儿|同事|对象|男朋友|女朋友|男友|女友|` +
	`姐姐|哥哥|弟弟|妹妹|我姐|我哥|我弟|我妹|奶奶|爷爷|外婆|外公|表哥|表姐|表弟|表妹|堂哥|堂姐|堂弟|堂妹|室友|舍友|同学|` +
	`我客户|我的客户|老板|领导|上司|邻居|亲戚|叔叔|阿姨|舅舅|姑姑|姨妈|岳父|岳母|公公|婆婆|侄子|侄女|外甥|闺蜜|未婚夫|未婚妻|` +
	`闺女|那口子|家那口子|家那位|孩子他爸|孩子他妈|孩子她妈|孩子她爸|老伴|闺女婿|女婿|儿媳|媳妇儿|丈母娘|老丈人|小舅子|大舅子|小姨子|姐夫|妹夫|嫂子|弟媳|` +
	// spoken and dialect forms (a probe: 帮我姥爷把这期还了 opened the asker's own)
	`姥爷|姥姥|老爷子|老太太|我爹|我娘|俺娘|俺爹|俺妈|俺爸|我哥们|哥们儿|我小孩|小孩子|孩他妈|孩他爸|孩她妈|孩她爸|家老大|家老二|家老三`

// anyKin is one of the customer's people named anywhere ("my wife will pay
// the laptop"): not the customer acting for themselves.
var anyKin = regexp.MustCompile(kin + `|\b(?:` + kinEN + `)\b`)

// bereaved tells of a relative's death with their plan or debt in
// question ("我老伴去世了 他还有一笔分期没还完", "my father passed away, do I
// have to pay his installments?") — not a device that died, a gift from
// the late, nor the customer's own bill asked beside it (a regression run).
var bereaved = regexp.MustCompile(`(?:` + kin + `|我妈|我爸|家人|亲人|老人|家里人|主人|持卡人|他|她)[^，。？?]{0,6}(?:去世|过世|离世|病逝|逝世)[^。？?]{0,24}` +
	`(?:(?:他|她)(?:的|名下)?[^，。？?]{0,4}(?:分期|欠|账单|贷|还款|没还)|名下|(?:替|帮)(?:他|她)还|分期(?:怎么办|怎么处理|还要还吗|要还吗)|怎么办|怎么处理|谁来还|还要还吗|要还吗)|` +
	`\b(?:` + kinEN + `)\b[^.?!]{0,12}\b(?:passed away|died|has died|is deceased)\b[^?]{0,40}\b(?:his|her|their)\b[^.?!]{0,12}\b(?:installments?|plans?|loans?|debts?|bills?|payments?)\b|` +
	`\b(?:` + kinEN + `)\b[^.?!]{0,12}\b(?:passed away|died|has died)\b[^?]{0,30}\b(?:what (?:now|happens|should i do)|what do i do|who pays)\b`)

// payWithAsked asks to pay with a card ("能用工行卡还吗", "can i pay with my
// icbc card?").
var payWithAsked = regexp.MustCompile(`(?:^|[^信])(?:用|拿)[^，。？?]{0,10}卡[^，。？?]{0,4}(?:还|付|交|扣)|(?:还|付|交|扣|结清)[^，。？?]{0,6}(?:用|拿)[^信，。？?]{0,10}卡|\bpay\b[^.?!]{0,24}\b(?:with|from|using|on)\b[^.?!]{0,16}\bcard\b`)

// payWithCardAsked answers a question whether one of the customer's own
// cards, named, can pay: a frozen one asked of gets the frozen card's
// answer (an audit: the ways to pay in general, to a customer whose card
// named was frozen); otherwise the bill — or, asked with payoff words, the
// payoff — starts on that card, to confirm (its quote says when the card
// named is frozen). It reports whether it answered.
func (s *Step) payWithCardAsked(text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || !payWithAsked.MatchString(l) || containsAny(l, "信用卡", "credit card") || aboutSomeoneElse(text) || kinFor.MatchString(l) ||
		containsAny(l, "自动", "以后", "每次", "每个月", "每月", "默认", "autopay", "auto-pay", "auto repay", "automatic", "default", "from now on") {
		return false, nil // "以后自动还款都用建行卡 帮我开一下": auto-repayment, the default card (a replay: this bill's quote, and a 确认 paid it)
	}
	flow := "pay"
	if payoffWords(text) {
		if asks(text) {
			return false, nil // "提前还款能用建行卡吗": the readers of a payoff's questions
		}
		flow = "repay" // "提前还款用建行卡", "pay off early with my hsbc card": a probe got unsure
	}
	if ok, err := s.linked(); err != nil || !ok {
		return false, err
	}
	cards, err := s.cards()
	if err != nil {
		return false, err
	}
	n := cardChoice(bare(text), cards)
	if i := strings.LastIndex(l, "用"); n == 0 && i >= 0 {
		n = cardChoice(bare(l[i:]), cards) // "建行卡里没钱 能用工行卡还吗": the card to pay with
	}
	if n == 0 {
		return false, nil
	}
	s.conv.Misses = 0
	if cards[n-1].Frozen && asks(text) { // asked whether: why not; told to, the bill's quote says it and takes another card
		return s.showAnswer("frozen-card"), nil
	}
	if err := s.startFlow(flow, ""); err != nil {
		return true, err
	}
	return true, s.cardAsked(text)
}

// remindsAfterPaid asks whether reminders still come once everything is
// paid ("我都还完了还会收到提醒吗", "will I still get reminders now that
// everything is paid"); dueDayChecked checks a due day the customer states
// ("我的还款日是每月15号对吧", "my due date is the 15th, right?").
var (
	remindsAfterPaid = regexp.MustCompile(`(?:还完|还清|结清|付清)[^，。？?]{0,12}(?:提醒|通知|短信)|(?:提醒|通知)[^，。？?]{0,8}(?:还完|还清|结清)(?:了|以后|之后|后)|` +
		`\b(?:remind\w*|notifications?)\b[^.?!]{0,40}\b(?:paid (?:off|everything|it all)|everything is paid|all paid|nothing (?:left|due))\b|\b(?:paid off|everything is paid|paid everything|paid it all)\b[^?]{0,30}\bremind\w*`)
	dueDayChecked = regexp.MustCompile(`(?:(?:还款日|扣款日|到期日)[^，。？?]{0,6}|每个?月的?)(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})(?:号|日)[^，。？?]{0,3}(?:对不对|对吧|对吗|是吗|没错吧|是不是|吧|吗)|` +
		`(?:还款日|扣款日|到期日)是?(?:今天|明天)(?:吗|吧|对吧|是不是)|(?:今天|明天)就?是(?:不是)?(?:我的)?(?:还款日|扣款日|到期日)(?:吗|吧|么|嘛)?[?？]*$|` +
		`\bmy due date is (?:the |on the )?[0-9]{1,2}(?:st|nd|rd|th)?\b[^.?!]{0,10}\b(?:right|correct)\b|` +
		`\bis (?:today|tomorrow) my (?:due date|due day|payment date)\b|\bis my (?:due date|payment date) (?:today|tomorrow)\b`)
)

// overdueFirstAsked asks whether the overdue period must be paid before a
// payoff ("提前还款要先还逾期的吗", "do I have to pay the overdue one before
// paying off?").
var overdueFirstAsked = regexp.MustCompile(`(?:提前还款|提前还|结清|还清)[^，。？?]{0,6}(?:要|得|需要|必须)先还(?:逾期|滞纳金)|(?:要|得|需要|必须)先(?:把)?(?:逾期|滞纳金)[^，。？?]{0,6}还(?:了|上|掉)?[^，。？?]{0,4}(?:才能|再)(?:提前还|结清|还清)|` +
	`\b(?:pay|clear)\b[^.?!]{0,12}\boverdue\b[^.?!]{0,20}\bbefore\b[^.?!]{0,16}\b(?:pay(?:ing)? off|settl\w*|early)`)

// movesABooking asks a booking (or the debit of a day) to pay another plan
// ("今天那笔改成扣笔记本的", "把今天要扣的钱换成还笔记本", "switch tomorrow's
// payment to the laptop").
var movesABooking = regexp.MustCompile(`(?:那笔|这笔|预约|要扣的钱?|扣款)[^，。？?]{0,8}(?:换成|改成|改为|换到|挪到|转到|改到|算到|用来还|拿去还|拿来还)[^，。？?]{0,4}(?:还|扣)?[^，。？?]{0,4}(?:手机|笔记本|电脑|平板|手表|耳机|电视|另一笔|另外一笔|别的)|` +
	`\b(?:move|switch|change|use)\b[^.?!]{0,24}\b(?:payment|booking|debit)\b[^.?!]{0,12}\b(?:to|for) (?:the|my) (?:laptop|phone|tablet|pad|watch|other (?:one|plan))\b`)

// dueTodayPlan is the plan whose bill falls due today when l names today
// ("今天到期那笔帮我还掉") and one plan's does; "" otherwise.
func (s *Step) dueTodayPlan(l string) string {
	if !containsAny(l, "今天", "今日", "today") {
		return ""
	}
	plans, err := s.plans()
	if err != nil {
		return ""
	}
	id := ""
	for _, p := range plans {
		if slices.ContainsFunc(p.Bills, func(b supportbot.Bill) bool { return b.Status == supportbot.BillUnpaid && b.DueDate == s.today }) {
			if id != "" {
				return ""
			}
			id = p.ID
		}
	}
	return id
}

// severalBillsTotal says what the bills of the plans of the kinds l names
// come to, as the list shows them; nothing when a kind names none or
// several plans.
func severalBillsTotal(s *Step, l string) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	found := ofKindsSaid(bare(l), open)
	if len(found) < 2 {
		return nil
	}
	shown, err := shownAmounts(s, "pay", open)
	if err != nil {
		return err
	}
	var total supportbot.Money
	for _, i := range found {
		if total, err = supportbot.SumMoney(total, shown[i]); err != nil {
			return err
		}
	}
	if total > 0 { // one being debited shows nothing to pay
		s.say(s.T("pay.several_total", "amount", money(total)))
	}
	return nil
}

// paysADay asks to pay the bills due on a day of the month ("12号那几个帮
// 我一起还了", "把12号到期的都还了"). Read on inDigits' text.
var paysADay = regexp.MustCompile(`^(?:请|帮我|我要|我想|麻烦)?(?:把)?([0-9]{1,2})(?:号|日)(?:到期)?(?:的|那几个|那几笔|那些|那两个|那两笔)[^，。？?]{0,8}?(?:都|一起|全部)?(?:帮我)?(?:还|付|交)(?:了|掉|上)?(?:吧|呗)?$`)

// billsDueOn says which plans have a bill due on that day of the month, and
// what they come to, under the bills' list — one at a time.
func billsDueOn(s *Step, day int) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	var names []string
	var total supportbot.Money
	for _, p := range open {
		b, ok := nextNotOverdue(p, s.today) // the next bill to fall due, not an overdue one
		if !ok || b.DueDate.Time(s.e.cfg.Location).Day() != day {
			continue
		}
		names = append(names, s.T("pay.due_item", "product", p.Product, "amount", money(b.Due())))
		if total, err = supportbot.SumMoney(total, b.Due()); err != nil {
			return err
		}
	}
	if len(names) == 0 {
		s.say(s.T("pay.due_on_day_none", "day", day))
		return nil
	}
	s.say(s.T("pay.due_on_day", "day", day, "plans", strings.Join(names, s.listSep()), "amount", money(total)) + "\n" + s.T("pay.one_at_a_time"))
	return nil
}

// paysAllBills asks to pay every plan's bill, naming none ("pay all
// three", "pay them all", "把这几笔都还了", "所有账单都帮我还了", "两个都帮我还了
// 吧"): the bills' list, one at a time (a regression run: "can't answer";
// a replay: unsure, or the payoffs' list). In Chinese only as a request
// ("所有账单都还了" says they are paid).
func paysAllBills(l string) bool {
	return allBillsEN.MatchString(l) || allBillsZh.MatchString(l) && zhRequested(l)
}

var (
	allBillsEN = regexp.MustCompile(`^(?:please |pls |plz |i want to |let me )?pay (?:all|both|all three|all two|all four|all of them|them all|all my bills|all the bills|all my installments|every bill|all (?:the |my )?overdue(?: ones| bills| installments)?|` +
		`(?:everything|whatever|all|what)(?: that)?(?:'s| is)? (?:due|owed|overdue))(?: of them)?(?: now| today| please| pls| at once)?[.!]*$`) // "pay everything that's due" (an English probe: unsure)
	allBillsZh = regexp.MustCompile(`^(?:请|麻烦)?(?:帮我|给我|我要|我想)?(?:把)?(?:逾期(?:了)?的|这个月的?|本月的?)?` + // "把逾期的两笔都还了" (a probe: unsure)
		`(?:(?:这几笔|这两笔|这三笔|每一?笔|两笔|三笔|几笔|这几个|这两个|两个|三个|俩)(?:分期|账单|订单|月供)?|(?:所有|全部)的?(?:分期|账单|订单|月供)|(?:分期|账单|月供)(?:都|全部|全都)|` +
		`(?:所有|全部)逾期(?:了)?的(?:分期|账单|订单|月供)?)` + // "帮我把所有逾期的还了" (a probe: unsure)
		`的?(?:这期|本期|这个月的?)?(?:都|一起|全部|全都)?(?:帮我|给我)?(?:还|付|交)(?:了|掉|上)?(?:吧|呗|啊)?[。.!！~]*(?:[，, ]*(?:一起还|一起付|一块还|一次还|一次性还|一起)(?:吧|了吧)?[。.!！~]*)?$`) // "… 一起还" (a probe: unsure)
)

// laterAtQuote puts paying off to later by the clock ("晚点帮我还这期",
// "明天再帮我还"): at the quote of it, a no.
var laterAtQuote = regexp.MustCompile(`晚点|晚些|晚一点|迟点|迟些|稍后|待会|等会|过阵子|过段时间|过些天|过两天|过几天|明天|后天|改天|月底|周末|下周|以后|\b(?:later|tomorrow|next week)\b`)

// amountAsked asks what an amount is ("这个12块是啥", "what's the 12
// yuan"): a part of the quote to explain, not a part to pay (a probe got
// "payments are whole periods").
var amountAsked = regexp.MustCompile(`(?:是啥|是什么|是干嘛|干嘛的|什么钱|哪来的|怎么来的)|\bwhat(?:'s| is) (?:the|this|that)\b`)

// chargeWords name the charges on a bill or a quote.
var chargeWords = []string{"滞纳金", "手续费", "利息", "罚息", "违约金", "fee", "interest", "penalty"}

// feeAsked is a question of a charge with its amount ("为什么要交12块滞纳金",
// "why is there a 12 yuan late fee"): not a part of the bill asked to be
// paid (a probe got "payments are whole periods").
func feeAsked(l string) bool {
	return containsAny(l, chargeWords...) &&
		(asks(l) || containsAny(l, "为什么", "为啥", "怎么", "凭什么", "why", "how come"))
}

// bookingMade asks a scheduled repayment made ("我想预约下个月25号扣款",
// "帮我预约一下还款", "can i book a repayment for the 25th").
var bookingMade = regexp.MustCompile(`^(?:(?:i |we )(?:want to|wanna|would like to|'d like to|need to) |(?:can|could) (?:i|you) |please |pls )?(?:book|schedule|set up)\b (?:a |an |my )?(?:repayment|payment|debit)s?\b|` +
	`(?:我想|我要|帮我|给我|能不能|能否|可以|可不可以|怎么|如何)(?:再)?(?:设置|设|新建|建|加|做|办|弄|申请)?(?:一个|一下|个|一笔)?预约` +
	`(?:一下)?[^，。？?]{0,12}(?:还款|扣款|扣|还)`)

// deviceStillOwed asks whether a plan is still paid when its device broke,
// was lost or stolen, or is in repair.
var deviceStillOwed = regexp.MustCompile(`(?:坏了|坏掉|摔坏|碎了|丢了|丢失|被偷|被盗|送修|在修|维修)[^。？?]{0,12}(?:还要还|还得还|要继续还|还要继续还|还用还|还需要还|可以不还|能不还|不用还|能停|可以停|还要付|还得付)|` +
	`\b(?:broke|broken|lost|stolen|stopped working|in repair|cracked)\b[^.?!]{0,30}\b(?:stop paying|still (?:have to |need to )?pay|keep paying|pay for it)\b`)

// withoutVenting is text without its clauses that only vent ("烦死了", "太
// 烦了", "无语", "ugh"); "" when nothing else is said.
func withoutVenting(text string) string {
	parts := clausesOf(text)
	kept := slices.DeleteFunc(slices.Clone(parts), func(p string) bool { return venting.MatchString(strings.ToLower(strings.TrimSpace(p))) })
	if len(kept) == len(parts) {
		return text
	}
	return strings.Join(kept, " ")
}

var venting = regexp.MustCompile(`^(?:真的?|太|好|快|简直|我)?(?:烦|气|无语|服了|崩溃|受不了|醉了|吐了|郁闷|火大)(?:死)?(?:了|啊|呀|人|我了)*[!！。~～.]*$|` +
	`^(?:ugh+|argh+|so annoying|this is (?:so )?annoying|annoying|wtf|omg)[!.]*$`)

// zhNotPaying is paying refused or not possible, in Chinese ("笔记本那个不要帮
// 我还", "先别还", "还不上"): whatever topic the FAQ leans to, no quote (a probe
// quoted the laptop's bill for the first).
var zhNotPaying = regexp.MustCompile(`(?:不要|不用|不想|不必|别|先不|暂时不|暂不|不)(?:帮我|给我|替我|先)?(?:还|付|交|结)|(?:还|付)不(?:了|上|起|动)`)

// paySaid reports a verb of paying in l, either reader's (payVerb's words
// or a Chinese request's, which has 结 too).
func paySaid(l string) bool { return payVerb.MatchString(l) || zhPayAsked.MatchString(l) }

// zhPaysAsked reports paying asked for in Chinese as a request ("笔记本那个帮我
// 全款还了", "帮我把笔记本结掉"), not handing in (交) or what was done.
func zhPaysAsked(l string) bool {
	return zhPayAsked.MatchString(l) && zhRequested(l) && containsAny(l, "还", "付", "结") &&
		!containsAny(l, "你们", "自动", "已经", "已") // "笔记本那个你们自动帮我还了": what was done
}

// zhRequested reports a lead or an ending that makes Chinese words of paying
// a request ("帮我…", "把…还了", "…还了吧"), not what was done ("两个都还了").
func zhRequested(l string) bool {
	end := strings.TrimRight(l, "。.!！~ ")
	return containsAny(l, "帮", "给我", "替我", "我要", "我想", "把", "请", "麻烦") || strings.HasSuffix(end, "吧") || strings.HasSuffix(end, "呗")
}

// totalAsked is a total asked after a request ("…这期都还了 一共多少",
// "… how much in total"): the list's buttons show each amount.
var totalAsked = regexp.MustCompile(`[，,\s]*(?:一共|总共|合计|加起来)(?:要|是|得)?多少(?:钱)?[？?]*$|[,\s]*how much (?:in total|altogether|total)\??$`)

// paysSeveralOff asks to pay off two or more plans named by their kinds
// ("充电宝和充电器都提前还了吧", "pay off the band and the speaker").
func paysSeveralOff(l string) bool {
	return kindsSaid(l) >= 2 && payoffSaid.MatchString(l) && containsAny(l, "都", "和", "跟", "一起", "both", " and ") &&
		!containsAny(l, "已经", "已", "刚", "了吗", "了没", "没有", "already", "paid off?", "多少", "how much") && !billWordSaid(l)
}

// billWordSaid names the period of now or the overdue ones ("手机和手表这期
// 都还了", "…逾期的都还了"): a bill, never a plan paid off (probes: the
// payoffs' list, and a pick paid one off).
func billWordSaid(l string) bool {
	return containsAny(l, "这期", "本期", "当期", "这个月", "本月", "逾期", "this month", "this period", "this bill", "this installment", "overdue") && // "手机和手表逾期的都还了": the overdue bills (a probe: the payoffs' list)
		!containsAny(l, "提前", "结清", "还清", "全部", "off", "early")
}

// paysSeveralBills asks to pay the bills of two or more plans named by
// their kinds ("pay the phone and the buds", "帮我把手机和笔记本这期都还了") —
// not paying off, nor what was paid.
func paysSeveralBills(l string) bool {
	return kindsSaid(l) >= 2 && utf8.RuneCountInString(l) <= 40 && paysSeveral.MatchString(l) && (zhRequested(l) || !strings.HasSuffix(l, "了") || billWordSaid(l)) &&
		!containsAny(l, "提前", "结清", "还清", "已经", "已", "刚", "off", "early", "paid", "already", "多少", "how much", "剩", "left",
			"不是", "不要", "别", "而是", "还是", "instead", " not ", "not the", " or ", "rather") // one of them, corrected or chosen
}

var paysSeveral = regexp.MustCompile(`^(?:请|麻烦)?(?:帮我|我要|我想|给我)(?:把)?[^，。？?]{0,20}(?:还|付|交)(?:了|掉|上|一下)?(?:吧|呗|啊)?$|` +
	`^(?:把)?[^，。？?]{0,20}(?:一起|都)(?:帮我|给我)?(?:还|付|交)(?:了|掉|上|一下)?(?:吧|呗|啊)?$|^(?:please |pls |i want to |i'd like to )?pay (?:for )?(?:both |all )?(?:the |my )?`)

// howMuchForPlan asks how much for a thing named ("how much for my
// earbuds"): a plan of the customer's, when one is of it.
var howMuchForPlan = regexp.MustCompile(`^how much (?:for|on) (?:my|the) [a-z0-9 ]{2,30}\??$|` +
	`^how much is (?:my|the) (?:[a-z0-9]+ ){0,2}(?:laptop|phone|tablet|pad|watch|band|tv|buds|earbuds|headphones)\??$`)

// orderNoAsked asks a plan's order number ("平板的订单号是多少", "what's my
// order number for the phone").
var orderNoAsked = regexp.MustCompile(`(?:订单号|订单编号)(?:是)?(?:多少|什么|几号|哪个)|(?:查|看)(?:一下|下)?(?:我的?)?[^，。？?]{0,6}(?:订单号|订单编号)|` +
	`\bwhat(?:'s| is|s) (?:my|the) (?:[a-z]+ )?order (?:number|no|#)|\border (?:number|no) (?:of|for) (?:my|the)\b`)

// eachPlanAsked asks each plan's amount or due date ("两个分期分别还多少",
// "三笔各自哪天还").
var eachPlanAsked = regexp.MustCompile(`(?:分期|几笔|两笔|三笔|两个|三个)[^，。？?]{0,4}(?:分别|各自|各)(?:要|需要|得|是)?(?:还|扣|付|交)?(?:多少|哪天|几号|什么时候)`)

// whenDone asks when what was asked for is done, naming nothing ("when
// will it be done", "要多久", "什么时候能办好").
var whenDone = regexp.MustCompile(`^(?:so |and |ok )?(?:when (?:will|is|would) (?:it|that|this) (?:be )?(?:done|finished|complete|completed|closed|processed)|how long (?:will it|does it|will that) take|when (?:will|do) i (?:know|hear)|status|any update|update|progress)[?.!\s]*$|` +
	// "status?", "when is it done" just after it (an English probe: "can't answer")
	`^(?:那)?(?:要多久|多久(?:能|才能)?(?:好|办好|完成|处理好)|什么时候(?:能|才能)?(?:好|办好|完成|处理好|有结果)|进度呢?|进度怎么样)(?:啊|呀|呢)?[?？!！\s]*$`)

// payoffLater asks what paying off costs at a later time ("pay off the tv
// next month, how much will it be", "下个月提前还清要多少").
var payoffLater = regexp.MustCompile(`(?:下个月|下月|下周|过几天|过段时间|月底|年底)[^，。？?]{0,12}(?:多少|几块|多少钱)|` +
	`\b(?:next month|next week|in a few days|later|end of the month|in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b[^?]{0,40}\bhow much\b|` +
	`\bhow much\b[^?]{0,40}\b(?:next month|next week|in a few days|end of the month)\b`)

// paysNowInstead asks to pay now beside stopping a debit ("pay the buds now
// and cancel tomorrow's one", "现在就还 明天那笔别扣了").
var paysNowInstead = regexp.MustCompile(`\bpay\b[^.?!]{0,24}\b(?:now|today|instead)\b|(?:现在|今天|马上)就?(?:还|付|交)(?:了|掉|上|这期|吧)|(?:还|付)掉?[^，。？?]{0,6}(?:现在|马上)`)

// paysFirstThenStops asks to pay now first, then to stop a debit ("pay the
// buds now and cancel tomorrow's one"); the other way round ("取消笔记本的
// 预约还款，然后现在就还这期") the cancellation comes first, the payment
// offered beside it.
func paysFirstThenStops(l string) bool {
	if containsAny(l, "不了", "不起", "没钱", "不够", "can't", "cant", "cannot", "can not", "don't", "dont", " not ") {
		return false // "我今天还不了，明天那笔先别扣": not a payment asked (a review)
	}
	pay := paysNowInstead.FindStringIndex(l)
	stop := stopWord.FindStringIndex(l)
	return pay != nil && (stop == nil || pay[0] < stop[0])
}

var stopWord = regexp.MustCompile(`取消|别扣|不要扣|\b(?:cancel|stop|skip)\b`)

// whichFirst asks which plan falls due first ("哪个手机先还", "先还哪个",
// "which one is due first").
var whichFirst = regexp.MustCompile(`哪(?:个|笔|一笔|一个)[^，。？?]{0,6}先(?:还|扣|到期)|先还哪(?:个|笔|一笔)|` +
	`\bwhich (?:one|plan|of them|phone|laptop|bill)\b[^?]{0,20}\b(?:first|due first|sooner|due next)\b`)

// closureLater asks for the account to be closed later, once something is
// done ("ok close it when they are", "close my account once the refunds
// are done", "等退款到了再帮我注销").
var closureLater = regexp.MustCompile(`\bclose (?:it|my account|the account|everything)\b[^.?!]{0,12}\b(?:when|once|as soon as) (?:they|it|the|my|everything|all|i)\b|` +
	`(?:等|到时候|以后|之后|完了|好了|到了|结束)[^，。？?]{0,10}(?:再|就|自动)(?:帮我|给我)?(?:注销|销户)|(?:自动|到时候)(?:帮我|给我)?(?:注销|销户)`)

// allAtOnceAsked asks whether a plan can be paid at once ("能一次还了吗",
// "可以一次都还掉吗").
var allAtOnceAsked = regexp.MustCompile(`一次(?:性)?(?:都|全|全部)?(?:还了|还掉|付了|付掉|交了)`)

// refundCancelled asks for a refund to be cancelled or withdrawn ("can you
// cancel my refund", "退款能取消吗").
var refundCancelled = regexp.MustCompile(`\b(?:cancel|withdraw|stop|drop)\b[^.?!]{0,12}\brefunds?\b|\brefunds?\b[^.?!]{0,30}\b(?:can|could) you (?:cancel|withdraw|stop) it\b|` +
	`(?:取消|撤销|撤回|不要)(?:掉)?(?:这笔|我的|那笔)?退款|退款(?:能|可以|能不能)?(?:取消|撤销|撤回)`)

// lateFeeAtPayoff asks whether the late fees are still paid when
// everything is paid off now ("要是现在全部还了 滞纳金还要交吗", "现在一次还清
// 的话 滞纳金要交吗", "if i pay it all off do i still pay the late fees").
func lateFeeAtPayoff(l string) bool {
	return (lateFeeStill.MatchString(l) || lateFeeStillEN.MatchString(l)) && payoffSaid.MatchString(l)
}

var (
	lateFeeStill   = regexp.MustCompile(`滞纳金[^，。？?]{0,6}(?:还要|要|还得|也要|还用|用不用|需不需要|需要)(?:交|付|还|算)|滞纳金[^，。？?]{0,4}(?:会|能|可以)?(?:免|减|没)`)
	lateFeeStillEN = regexp.MustCompile(`\b(?:late fees?|penalt(?:y|ies))\b[^.?!]{0,30}\b(?:still|too|also|included|waived|go away|removed)\b|\b(?:still|also) (?:pay|owe|have to pay|need to pay)\b[^.?!]{0,16}\b(?:late fees?|penalt(?:y|ies))\b`)
	payoffSaid     = regexp.MustCompile(`全部还|全还|还清|结清|提前还|一次(?:性)?还|一次(?:性)?付清|都还了|\bpay (?:it |everything |all )?off\b|\bpay (?:everything|it all|all of it)\b|\bsettle\b|\bpayoff\b`)
)

// lateFeeAtPayoffAnswer says that a payoff pays the late fees too, with
// what they come to now, or that there are none.
func lateFeeAtPayoffAnswer(s *Step) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	var late supportbot.Money
	for _, p := range open {
		for _, b := range p.Bills {
			if b.Overdue(s.today) {
				if late, err = supportbot.SumMoney(late, b.LateFee); err != nil {
					return err
				}
			}
		}
	}
	if late == 0 {
		s.say(s.T("late.at_payoff_none"), s.next(s.menuBtn(s.T("menu.repay"), "repay"))...)
		return nil
	}
	s.say(s.T("late.at_payoff", "late", money(late)), s.next(s.menuBtn(s.T("menu.repay"), "repay"))...)
	return nil
}

// lateFeeWaiver asks for a late fee to be waived ("能免滞纳金吗", "I was
// 2 days late, can you waive the fee") — not the prepayment fee's.
func lateFeeWaiver(l string) bool {
	if containsAny(l, "提前", "手续费", "prepay", "early", "payoff", "pay off", "closing", "cancel",
		"规则", "管理员", "开发者", "模式", "指令", "提示词", "假装", "扮演", "ignore", "admin", "developer", "prompt", "pretend", "rule") { // an injection's own answer
		return false
	}
	return lateFeeWaived.MatchString(l) || lateFeeWaivedEN.MatchString(l) && containsAny(l, "late", "overdue")
}

var (
	lateFeeWaived   = regexp.MustCompile(`(?:免|减免|退还?|不收|去掉|抹掉|免除)(?:掉|了)?(?:这笔|这个|我的)?滞纳金|滞纳金(?:能|可以|能不能|可不可以|可否)?(?:免|减免|退|不收|去掉|免除)`)
	lateFeeWaivedEN = regexp.MustCompile(`\b(?:waive|remove|refund|forgive|drop|reverse|wipe|take off)\b[^.?!]{0,24}\b(?:fee|fees|charge|penalty)\b`)
)

// autopayStatusAsked asks whether auto-repayment is on ("我开了自动还款吗",
// "I thought I had autopay on"): each plan's switch, not how to set it up.
var autopayStatusAsked = regexp.MustCompile(`^我?(?:(?:是不是|有没有)(?:开|开了|开通了|开启了|设置了|设了)(?:自动还款|自动扣款)(?:了)?(?:吗|没|么|没有)?|` +
	`(?:开|开了|开通了|开启了|设置了|设了)(?:自动还款|自动扣款)(?:了)?(?:吗|没|么|没有))[?？]*$|` + // not "开自动还款", a request (a review)
	`^(?:我的?)?(?:自动还款|自动扣款)(?:是不是)?(?:开着|开了|开通了|开启了|是开着的)(?:的)?(?:吗|没|么|没有)?[?？]*$|` +
	`\bi thought i (?:had|have|turned on|set up|switched on) (?:autopay|auto-?pay|auto-?repayment|auto debit)\b|` +
	`^(?:is|was) (?:my |the )?(?:autopay|auto-?pay|auto-?repayment|auto debit) (?:on|off|enabled|active|set up)\b|^do i have (?:any |an? )?(?:autopay|auto-?pay|auto-?repayment|auto debit)\b|` +
	// which card it debits, whether any is on ("which card does autopay use", "do i have any autopay": an English probe got how to turn it on)
	`^(?:which|what) card (?:does|will|is) (?:my |the )?(?:autopay|auto-?pay|auto-?repayment|auto debit)\b|^(?:is there|are there) (?:any )?(?:autopay|auto-?pay|auto-?repayment)\b|` +
	// "我的自动还款从哪张卡扣", "自动扣款用的是哪张卡" (a probe got how to turn it on)
	`^(?:我的?)?(?:自动还款|自动扣款)[^，。？?]{0,6}哪(?:张|个)(?:银行)?卡|^(?:我的?)?(?:自动还款|自动扣款)[^，。？?]{0,4}(?:扣|用)的是(?:哪|什么)`)

// lateFeeOfPlan asks a plan's late fee ("what's the late fee on my band",
// "手环的滞纳金是多少") — not whether paying late costs one (lateIfPaidOn).
var lateFeeOfPlan = regexp.MustCompile(`^(?:what'?s|whats|what is|how much is) (?:the |my )?late (?:fee|charge|penalty)s? (?:on|for|of) (?:the |my )?[a-z0-9 ]{2,30}\??$|` +
	`^(?:我的?)?[^，。？?]{1,12}的?(?:滞纳金|罚息)(?:是|有|要)?(?:多少|几块)(?:钱)?[？?]*$`)

// lateFeeBare asks the late fee with nothing else ("what's the late fee":
// a probe got unsure).
var lateFeeBare = regexp.MustCompile(`^(?:so |and |ok |okay )?(?:what'?s|whats|what is|how much is) (?:the |my |a )?late (?:fee|charge|penalty)s?\s*\??$`)

// notThisButThat: a question said against another it is not ("不是问怎么还款
// 是问还款日过了还能还吗", "not how to pay, i want to know where to see the
// due date"); the submatch is what is asked.
var notThisButThat = regexp.MustCompile(`^(?:我)?不是(?:问|想问|要问|说)[^，,。；;]{1,16}?[，,。；; ]+(?:而是|我是|是|我)?(?:问|想问|想知道|要问|说的是)(.+)$|` +
	`(?i)^(?:i'?m )?not (?:asking )?(?:about )?[^,.;]{2,30}[,.;]\s*(?:i (?:want to know|mean|am asking|'m asking|wanna know|need to know)|(?:i'?m )?asking)\s+(.+)$|` +
	// "不对 我是问还款日", "no, I meant the due date": what was answered was
	// not what was asked (a probe: unsure)
	`^(?:不对|不是|错了|搞错了)[，,。.!！ ]*(?:我是|我)?(?:问|想问|要问|说|想说|想知道)(?:的是)?(.+)$|` +
	`(?i)^(?:no|nope|sorry)[,.! ]+i (?:meant|mean|was asking(?: about)?|am asking(?: about)?|'m asking(?: about)?)\s+(.+)$`)

// onlyOverdueAsked asks the overdue bill alone paid: "只还逾期的", "只还
// 逾期那期", "就还逾期的吧" — nothing more.
var onlyOverdueAsked = regexp.MustCompile(`^(?:那|那就|我)?(?:只|只要|就|仅)(?:先)?(?:还|付|交)(?:掉|一下)?(?:那个|那笔)?逾期(?:的|那期|那笔|账单|的那期|的那笔)?(?:吧|就行|就好)?$`)

// lateFeeCut asks a late fee made less ("滞纳金能少点吗", "能少收点罚息吗",
// "can you lower the late fee": a probe got unsure): whether it can be
// waived is the late fee's answer.
var lateFeeCut = regexp.MustCompile(`(?:滞纳金|罚息)[^，。？?]{0,8}(?:少点|少一点|少些|少收|少算|便宜|打折|打个折|优惠|减少|减一|减点|减掉|降|不交|可以不交|能不交)|` +
	`(?:不想|不要|不愿意|不愿)(?:交|付|还)(?:滞纳金|罚息)|` + // "我不想交滞纳金 只还本金行吗" (a probe: can't answer)
	`(?:少收|少算|少交|减|免|降)[^，。？?]{0,4}(?:滞纳金|罚息)|` +
	`\blate (?:fee|charge)s?\b[^.?!]{0,24}\b(?:reduced|lowered|cut|waived|discounted|less|lower)\b|\b(?:reduce|lower|cut|discount|waive)\b[^.?!]{0,24}\blate (?:fee|charge)s?\b`)

// latePayable asks whether a bill can still be paid once late.
var latePayable = regexp.MustCompile(`(?:还款日|到期日|日子)过了[^，。？?]{0,4}还(?:能|可以)还|逾期了?[^，。？?]{0,4}还(?:能|可以)还|` +
	`\b(?:can|could) i (?:still )?pay (?:it |my bill )?(?:after|past) the due date\b|\bstill pay\b[^.?!]{0,12}\b(?:if|when|once) (?:it'?s|i'?m|im|i am) (?:late|overdue)\b|` +
	// "what if I pay after the due date" (a probe: "can't answer")
	`\b(?:what if|what happens if|and if) i pay (?:it |my bill )?(?:after|past) the due (?:date|day)\b`)

// periodOfPlanZH: a plan's period asked to be paid, the plan in between
// ("还Redmi Note 14 Pro+ 5G这期", "帮我还一下小米15 Ultra的本期").
var periodOfPlanZH = regexp.MustCompile(`^(?:帮我|我要|我想|请|请帮我|给我)?(?:还|付)(?:一下)?(.{2,40}?)(?:的)?(?:这一?期|本期)(?:的?账单)?(?:吧|呗)?[。!！]*$`)

// planFeeAsked: a prepayment fee asked of a plan ("手机那笔提前还款要手续费吗",
// "does the laptop have a prepayment fee").
var planFeeAsked = regexp.MustCompile(`提前[^，。？?]{0,6}(?:手续费|违约金)[^，。]{0,6}(?:吗|么|多少|几|[?？])|(?:手续费|违约金)[^，。]{0,4}提前|` +
	`\b(?:prepayment|prepay|early repayment|payoff|pay ?off)\b[^.?!]{0,12}\b(?:fee|penalty)\b|\b(?:fee|penalty)\b[^.?!]{0,20}\b(?:prepay|pay(?:ing)? (?:it )?off|early)\b`)

// payoffWord is a word of paying a plan off ("提前", "结清", "pay the tv off").
var payoffWord = regexp.MustCompile(`提前|结清|还清|一次性还|\bpay(?:ing)? (?:it |this |that |the [a-z0-9 ]{1,20} |my [a-z0-9 ]{1,20} )?off\b|\bpayoff\b|\bearly\b|\bprepay`)

// debitUnderWaySaid: a debit said to be under way ("我那笔正在扣款的",
// "the payment that's processing").
var debitUnderWaySaid = regexp.MustCompile(`正在扣|正在处理|扣款中|处理中|\b(?:processing|being (?:debited|charged|processed)|in progress|going through)\b`)

// orderLabelAsked: the mall's labels of installment orders asked about —
// where "待还款订单" is, what "即将还款" or "还款中" on an order means.
var orderLabelAsked = regexp.MustCompile(`待还款订单|(?:订单|显示|标着|写着|状态)[^，。？?]{0,8}(?:即将还款|还款中)|(?:即将还款|还款中)[^，。？?]{0,4}(?:是什么|是啥|什么意思|啥意思)|` +
	`\bawaiting repayment\b|\b(?:order|status|label|says|shows)\b[^.?!]{0,20}\b(?:repayment soon|repaying)\b|\brepayment soon\b[^.?!]{0,10}\bmean`)

// reschedulesABooking asks a booking (or a debit) to run on another day
// ("明天那笔能不能推迟到10号扣", "can I push tomorrow's payment to the
// 10th?"): not the due date's change, nor another plan.
var reschedulesABooking = regexp.MustCompile(`(?:那笔|这笔|预约|扣款|扣钱|要扣的|明天的|今天的)[^，。？?]{0,10}(?:(?:推迟|延后|延迟|往后推|往后挪|推到|挪到|改到|改成|换到|调到)[^，。？?]{0,6}(?:[0-9]{1,2}(?:号|日)|[一二三四五六七八九十]{1,3}(?:号|日)|几天|[一两二三四五1-5]天|明天|后天|下周|下个?星期|月底)|晚(?:[一两二三四五1-5]天|几天|点)再?[扣还])|` +
	`\b(?:push|move|delay|postpone|reschedule|shift)\b[^.?!]{0,30}\b(?:payment|debit|booking|scheduled repayment|charge)\b[^.?!]{0,20}\b(?:to|until|till|by)\s+(?:the\s+)?(?:[0-9]{1,2}(?:st|nd|rd|th)?\b|tomorrow|next week|a few days|(?:a|one|two|three|[0-9]) days?|monday|tuesday|wednesday|thursday|friday|saturday|sunday)`)

// bookingCardChanged asks a booking's card changed ("今晚扣款的那个能改成建
// 设银行的卡吗", "can the scheduled payment use my icbc card instead").
var bookingCardChanged = regexp.MustCompile(`(?:预约|扣款的那|要扣的那|那笔扣款)[^，。？?]{0,12}(?:改成|换成|改用|换到|换用|改到)[^，。？?]{0,10}卡|` +
	`\b(?:scheduled (?:re)?payment|booking|booked payment)\b[^.?!]{0,30}\b(?:use|from|to|on|charge)\b[^.?!]{0,20}\bcard\b[^.?!]{0,12}\b(?:instead|rather)\b|` +
	`\b(?:change|switch)\b[^.?!]{0,10}\bcard\b[^.?!]{0,10}\b(?:of|for|on) (?:the |my )?(?:scheduled (?:re)?payment|booking)\b`)

// paysForMe is someone else paying the customer's bill, or their card used
// for it ("我妈想帮我还这期", "用我老公的卡还可以吗", "my sister is paying my
// installment, her card ends in 5566", "can my mom pay this month for me?").
var paysForMe = regexp.MustCompile(`(?:` + kin + `|我妈|我爸|别人|他人)[^，。？?]{0,4}(?:想|要|能|可以|会|打算)?(?:帮|替|给)我(?:还|付|交|垫|出)|` +
	`(?:用|拿)我?(?:` + kin + `|我妈|我爸|别人|他人|他|她)的(?:银行)?卡(?:帮我|给我|替我)?(?:还|付|交|扣)|` +
	`\b(?:` + kinEN + `)\b[^.?!]{0,16}\b(?:pay|paying|pays|cover|covering)\b[^.?!]{0,24}\b(?:for me|my (?:installments?|bill|plan|payment)|this month for me)\b|` +
	`\b(?:from|with|on) (?:his|her|their|my (?:` + kinEN + `)['’]s) (?:own )?(?:card|account)\b|\b(?:debit|charge) (?:his|hers|her card|his card)\b`)

// kinFor is a debit or a payment said to be a relative's ("charge my mom",
// "my wife's payment", "我老婆的扣了吗", "帮我妈") — not a relative only
// mentioned ("明天别扣款，等我老婆发了工资再还", "bro dont charge me").
var kinFor = regexp.MustCompile(`(?:` + kin + `|我妈|我爸|别人|他人)的|[帮替给]我?(?:` + kin + `|妈|爸|别人)|` +
	`\b(?:` + kinEN + `)['’]s\b|\b(?:charge|debit|bill|pay for|cancel for|for) my (?:` + kinEN + `)\b`)

// keepsQuote reports a message the FAQ takes for the payment flow whose
// quote is in front of the customer, naming nothing else: no plan (by its
// product, kind or partner) and no number. One that names a plan starts
// the flow again, for that plan ("提前还款笔记本那笔" at the K70's quote).
func (s *Step) keepsQuote(flow, text string) (bool, error) {
	if flow != s.conv.Flow || s.conv.State != "quoted" || s.slots.Quote == nil || digitRun.MatchString(text) {
		return false, nil
	}
	open, err := s.openPlans()
	if err != nil {
		return false, err
	}
	return len(open) < 2 || planSaid(bare(text), open) == 0, nil
}

// orderDeskWords are about an order's goods, not its installments: the
// mall's order desk answers them.
func orderDeskWords(text string) bool {
	return containsAny(strings.ToLower(text), "发货", "物流", "快递", "发票", "退货", "换货", "收货", "签收", "退款", "保修", "维修",
		"ship", "deliver", "invoice", "return", "refund", "warranty", "repair")
}

// digitRun is a number typed in a message, as an order number could be.
var digitRun = regexp.MustCompile(`[0-9]{6,}`)

// orderTail is the end of an order number said as such ("订单尾号7812",
// "order ending in 7812").
var orderTail = regexp.MustCompile(`(?:订单|单号)[^0-9，。？?]{0,4}(?:尾号|末尾|后四位|末四位|最后四位)(?:是|为)?\s*([0-9]{4,6})(?:[^0-9]|$)|` +
	`\border (?:number )?(?:ending|ends)(?: in| with)?\s+([0-9]{4,6})\b`)

// orderEndSaid is the one plan of plans (1-based) whose order number ends
// as the text says (orderTail), or 0.
func orderEndSaid(text string, plans []supportbot.Plan) int {
	m := orderTail.FindStringSubmatch(strings.ToLower(text))
	if m == nil {
		return 0
	}
	return onlyOne(len(plans), func(i int) bool { return strings.HasSuffix(plans[i].OrderNo, m[1]+m[2]) })
}

// ownOrderNamed is the plan of the identified customer whose order number
// the text names, or the one whose order number ends as said, if any.
func (s *Step) ownOrderNamed(text string) (string, error) {
	runs := digitRun.FindAllString(text, 4)
	if len(runs) == 0 && !orderTail.MatchString(strings.ToLower(text)) || s.conv.CustomerID == "" {
		return "", nil
	}
	if ok, err := s.linked(); err != nil || !ok {
		return "", err
	}
	plans, err := s.plans()
	if err != nil {
		return "", err
	}
	hits := slices.DeleteFunc(slices.Clone(plans), func(p supportbot.Plan) bool { return p.OrderNo == "" || !slices.Contains(runs, p.OrderNo) })
	open := slices.DeleteFunc(slices.Clone(hits), func(p supportbot.Plan) bool { return !p.Open() })
	switch {
	case len(hits) == 1:
		return hits[0].ID, nil
	case len(open) == 1: // of one order, the one still open
		return open[0].ID, nil
	case len(hits) > 1:
		// Several plans of one order number (an operator probe's import):
		// which is for the list to say — never one picked unsaid.
		return "", nil
	}
	if i := orderEndSaid(text, plans); i > 0 { // "订单尾号7812的": the one plan whose order ends so (a probe: the mall's order desk)
		return plans[i-1].ID, nil
	}
	return "", nil
}

// orderNumber is a number typed as a mall order's (the mall's are 13 digits).
var orderNumber = regexp.MustCompile(`(?:^|[^0-9])([0-9]{12,14})(?:[^0-9]|$)`)

// otherOrderNamed is an order number the text names that is none of the
// identified customer's plans, "" if none (or not identified).
func (s *Step) otherOrderNamed(text string) (string, error) {
	m := orderNumber.FindStringSubmatch(text)
	if m == nil || s.conv.CustomerID == "" || mobileTyped.MatchString(text) {
		return "", nil // a phone ("+8613800138000") is namesAnotherPhone's
	}
	if ok, err := s.linked(); err != nil || !ok {
		return "", err
	}
	plans, err := s.plans()
	if err != nil || slices.ContainsFunc(plans, func(p supportbot.Plan) bool { return p.OrderNo == m[1] }) {
		return "", err
	}
	if own, err := s.ownOrderNamed(m[1]); err != nil || own != "" {
		return "", err
	}
	return m[1], nil
}

// stopsADebit reports a request not to be debited on a day ("dont charge
// me tomorrow", "can u stop the auto debit tomorrow", "今天扣的那个能不能取消"):
// a day, a debit and a stop.
func stopsADebit(text string) bool {
	l := strings.ToLower(text)
	if containsAny(l, "怎么办", "为什么", "为啥", "怎么回事", "失败", "换", "退", "逾期", "没钱", "不够",
		"why", "how", "fail", "switch", "change", "another card", "refund", "overdue", "late",
		"remind", "提醒") { // "dont remind me to pay tomorrow": the reminders'
		return false // a question or a trouble around the debit, not a request to stop it
	}
	if consequence.MatchString(l) || containsAny(l, "会怎样", "会怎么样", "会如何", "如果", "要是") {
		return false // "what if i dont pay the pad on the 19th": what happens, not a stop (an audit: the bookings to cancel)
	}
	if shortSaid(l, 20, 48) && noMoreDebits.MatchString(bare(l)) {
		return true // "别扣我钱了", "stop taking money from my card": any debit, no day said
	}
	if shortSaid(l, 30, 60) && (kindsSaid(l) == 1 || monthNumber.MatchString(l)) && !asks(text) && !containsAny(l, "if ", "what", "when", "会", "的话") &&
		containsAny(l, "预约", "那笔", "这笔", "payment", "booking", "scheduled", "debit") &&
		containsAny(l, "取消", "撤销", "别扣", "不要扣", "不用扣", "cancel", "stop") {
		return true // "我想把平板的预约取消了", "1月那笔不要扣了", "cancel the pad payment": that plan's or month's booking (an audit: unsure)
	}
	return shortSaid(l, 40, 100) &&
		(containsAny(l, "明天", "今天", "后天", "今晚", "这周", "下周", "tomorrow", "today", "tonight", "this week", "next week") ||
			slices.ContainsFunc(dayShort, func(w string) bool { return wordsIn(l, w) }) ||
			dayOfMonth.MatchString(l) || daySaid.MatchString(l)) && // "dont charge me on the 13th", "on dec 13"
		(containsAny(l, "扣", "还款", "debit", "charge", "payment", "deduct") || wordsIn(l, "pay") || notTakeMoney.MatchString(l)) && // "i dont want to pay tomorrow"
		containsAny(l, "取消", "停", "别", "不要", "不想", "跳过", "stop", "cancel", "don't", "dont", "do not", "hold", "skip") // "can i skip tmrw's payment?" (a probe)
}

// booksARepayment reports a repayment asked to be booked ("怎么预约还款",
// "帮我预约下个月15号还款", "can you schedule my payment for friday"): the
// FAQ reads it as the cancel flow or its how-to (the bookings to cancel were
// listed, a probe); nothing here books one, and no guide says how.
func booksARepayment(text string) bool {
	l := strings.ToLower(text)
	if containsAny(l, "取消", "撤销", "撤回", "删", "不要", "不想要", "不需要", "别", "停", "关掉", "关闭", "关了", "cancel", "stop", "delete", "remove", "don't", "dont", "turn off", "payment plan") {
		return false
	}
	return booksOne.MatchString(l)
}

var booksOne = regexp.MustCompile(`(?:怎么|如何|怎样|想|要|帮我|给我|替我|能不能|可不可以|可以|能否|能|重新)再?(?:设置?|安排|建|弄|做|新建|添加|加)?(?:一个|个|一笔|一下)?预约(?:一下|一笔|个)?` +
	`(?:[^，。,.!?！？]{0,10})还款|\b(?:schedule|book|set up|create|arrange|add)\b (?:a |my |the |an? |another )?(?:new |scheduled |one-time |one-off )?(?:re)?payments?\b`)

// stopsAutoDebits is a short "stop debiting me automatically" with no day
// said ("别自动扣款了", "不要再自动扣我的钱"): what debits by itself is
// auto-repayment, before the bookings the customer made one by one.
func stopsAutoDebits(text string) bool {
	l := strings.ToLower(text)
	return shortSaid(l, 20, 48) && containsAny(l, "自动", "auto") && !containsAny(l, "这笔", "这次", "this") && noMoreDebits.MatchString(bare(l))
}

// noMoreDebits is a short "stop taking my money" with no day said ("别扣我
// 钱了", "不要再扣我的钱", "stop charging me"): it handed off (a probe); the
// bookings that would debit, or what else could, answer it.
var noMoreDebits = regexp.MustCompile(`^(?:你们)?(?:别|不要|不许|不准)(?:再)?(?:自动)?扣(?:我的?)?(?:钱|款)了?$|` +
	`^(?:please )?(?:stop|quit) (?:charging|debiting|taking money from) (?:me|my card|my account)(?: please)?$|` +
	`^(?:please |pls )?(?:don'?t|do not) (?:charge|debit) (?:me|my card|my account)(?: please| anymore| any more)?$|` +
	`^(?:please )?(?:stop|halt|block) (?:the|this|that|my) (?:payment|debit|charge|deduction)(?: now| right now| please)*$|` +
	`^(?:马上|立刻|赶紧)?(?:停止|停掉|拦住|阻止)(?:这笔|这次)?(?:自动)?(?:扣款|还款)$`)

// autopayAlsoDebits says, under the bookings listed for a stop of debits
// with no day said ("别扣我钱", "stop charging my card"), that
// auto-repayment debits too, when a plan has it on — with its switch (a
// probe: only the bookings, while auto-repayment went on).
func autopayAlsoDebits(s *Step, text string) error {
	if !noMoreDebits.MatchString(bare(strings.ToLower(text))) {
		return nil // a day's debit: the bookings answer it
	}
	open, err := s.openPlans()
	if err != nil || !anyAutopayOn(open) {
		return err
	}
	s.say(s.T("cancel.autopay_too"), []supportbot.Button{s.menuBtn(s.T("menu.autopay"), "autopay")})
	return nil
}

// noBookingToStop answers a debit asked to be stopped when no booking is
// to run: none is, and auto-repayment, if a plan has it on, still debits
// on the due date — with its switch a tap away.
func noBookingToStop(s *Step) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	if anyAutopayOn(open) {
		s.say(s.T("cancel.none")+"\n"+s.T("cancel.none_autopay_on"), s.next(s.menuBtn(s.T("menu.autopay"), "autopay"), s.menuBtn(s.T("menu.bill"), "bill"))...)
		return nil
	}
	s.say(s.T("cancel.none")+"\n"+s.T("cancel.none_nothing_debited"), s.next(s.menuBtn(s.T("menu.bill"), "bill"))...)
	return nil
}

// asksSwitchingBack asks, naming nothing, whether a switch can be turned
// back ("开了能关吗", "开了以后还能再关吗", "关了还能再开吗", "can i turn it
// off later?"): at a setting's step, of that setting.
// The whole message is of that shape: "可以开发票吗", "能开结清证明吗",
// "can i pay off early?" are questions of their own (a regression run).
func asksSwitchingBack(text string) bool {
	return switchingBackZH.MatchString(bare(text)) || switchingBackEN.MatchString(strings.ToLower(strings.TrimSpace(text)))
}

var (
	switchingBackZH = regexp.MustCompile(`^(?:(?:开了|开通了|打开了|开启了)(?:以后|之后)?)?还?(?:能|可以)(?:再|随时)?(?:关|关掉|关闭|取消|停)掉?(?:吗|么|嘛|不|呢)?$|` +
		`^(?:(?:关了|关掉了|关闭了)(?:以后|之后)?)?还?(?:能|可以)(?:再|重新)?(?:开|打开|开启)(?:吗|么|嘛|不|呢)?$`)
	switchingBackEN = regexp.MustCompile(`^(?:can|could) (?:i|you) (?:turn|switch) (?:it|autopay|auto-?repayment) (?:back )?(?:off|on)(?: again| later| anytime| any time| afterwards)?\s*\??$|` +
		`^is it possible to (?:turn|switch) it (?:back )?(?:off|on)(?: again| later)?\s*\??$`)
)

// tracksPayments reports a wish to follow one's own payments ("how can i
// track my payments", "跟踪我的还款记录"): the repayment history, not the
// mall's order tracking the FAQ reads "track" as (a probe) — unless a
// parcel is named.
func tracksPayments(text string) bool {
	l := strings.ToLower(text)
	return trackedPayments.MatchString(l) && !containsAny(l, "order", "package", "parcel", "deliver", "ship", "订单", "快递", "物流", "包裹", "发货")
}

var trackedPayments = regexp.MustCompile(`\btrack(?:ing)?\s+(?:of\s+)?(?:my\s+|all\s+my\s+|the\s+)?(?:re)?payments?\b|` +
	`\btrack(?:ing)?\s+(?:of\s+)?(?:my\s+|the\s+)?(?:installments?|instalments?|bills?|repayment history|payment history)\b|` +
	`(?:跟踪|追踪)(?:一下)?我?的?(?:还款|扣款|付款)`)

// notTakeMoney is money not to be taken: "pls dont take money from my card".
var notTakeMoney = regexp.MustCompile(`\b(?:don'?t|dont|do not|stop|never)\s+tak(?:e|ing)\s+(?:any |the |my )?money\b`)

// dayOfMonth is a day named by its date ("15号", "十五号"), not a number's 号.
var dayOfMonth = regexp.MustCompile(`(?:^|[^0-9])[0-9]{1,2}号|[一二三四五六七八九十]{1,3}号`)

// hasBooking reports whether the customer has a scheduled repayment still
// to run.
func (s *Step) hasBooking() (bool, error) {
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(sched, supportbot.ScheduledRepayment.Live), nil
}

// notTheirs is what a request about someone other than the chat's customer
// gets instead of their own data — the each-for-themselves line for another
// person (kin, a name, another phone), "not yours" for an order number of
// none of their plans — or "" for a request of their own. Every answer that
// shows or acts on the customer's own data asks it first.
func (s *Step) notTheirs(text string) (string, error) {
	if aboutSomeoneElse(text) || s.namesAnotherPhone(text) || s.namesAnotherPerson(text) {
		return s.T("others.own_only"), nil
	}
	if kin, err := s.kinsDevice(text); err != nil || kin {
		return s.T("others.own_only"), err
	}
	order, err := s.otherOrderNamed(text)
	if err != nil || order == "" {
		return "", err
	}
	return s.T("others.order_not_yours", "order", lastFour(order)), nil
}

// kinsDevice reports a kin's device asked of that none of the customer's
// plans is of ("我老婆的手表分期还剩多少", "how much is left on my wife's
// watch" from a customer with no watch: a probe got their own bills) — one
// bought for them on the customer's plan ("给我妈买的手表") is theirs.
func (s *Step) kinsDevice(text string) (bool, error) {
	l := strings.ToLower(text)
	kind, _ := kindSaid(l)
	if kind < 0 || !kinFor.MatchString(l) || boughtForThem.MatchString(l) || kinBought.MatchString(l) || s.conv.CustomerID == "" {
		return false, nil
	}
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	return !slices.ContainsFunc(plans, ofKind(kind)), nil
}

// ownAsked checks a question about the customer's own data before it is
// answered: the chat still theirs (a phone changed hands: not theirs to
// read), and no one else asked about (forSomeoneElse, told so). proceed
// reports that it may be answered; told, that something was said.
func (s *Step) ownAsked(text string) (proceed, told bool, err error) {
	if ok, err := s.linked(); err != nil || !ok {
		return false, false, err
	}
	other, err := s.forSomeoneElse(text)
	return !other && err == nil, other, err
}

// showOutOfScope answers a question that is not ours with where to go, a
// person one tap away; false when the class has no answer.
func (s *Step) showOutOfScope(id string) bool {
	answer, _, ok := s.e.cfg.Answers.Answer(id, s.conv.Lang)
	if !ok {
		return false
	}
	s.e.metrics.FAQ("out_of_scope")
	s.conv.Misses = 0
	s.records = true
	s.say(s.fill(answer), []supportbot.Button{s.humanBtn(), s.menuBtn(s.T("btn.menu"), "menu")})
	return true
}

// lastFour is a number typed that is none of the customer's, as an answer
// repeats it: its last 4 digits (it may be a bank account's; a privacy
// probe found it kept whole in the conversation).
func lastFour(number string) string {
	if len(number) <= 4 {
		return number
	}
	return "****" + number[len(number)-4:]
}

// forSomeoneElse answers a request about someone other than the chat's
// customer (notTheirs), and reports that it did.
func (s *Step) forSomeoneElse(text string) (bool, error) {
	reply, err := s.notTheirs(text)
	if err != nil || reply == "" {
		return false, err
	}
	s.ownOnly(reply)
	return true, nil
}

// namesAnotherPhone reports a request naming a mobile number that is not
// the identified customer's own ("帮我查下13900139000的账单").
func (s *Step) namesAnotherPhone(text string) bool {
	loc := mobileTyped.FindStringIndex(text)
	tail := tailSaid.FindStringSubmatch(text)
	if loc == nil && tail == nil || s.conv.CustomerID == "" {
		return false
	}
	c, err := s.customer()
	if err != nil {
		return false // the flow asked for reads it again, and says what is wrong
	}
	if loc == nil { // "帮我查下尾号9000的账单": not the customer's phone, nor one of their orders or cards
		plans, err := s.plans()
		if err != nil || strings.HasSuffix(c.Phone, tail[1]) || slices.ContainsFunc(plans, func(p supportbot.Plan) bool { return strings.HasSuffix(p.OrderNo, tail[1]) }) {
			return false
		}
		cards, err := s.cards()
		return err == nil && !slices.ContainsFunc(cards, func(k supportbot.Card) bool { return k.Last4 == tail[1] })
	}
	typed := supportbot.ImportPhone(strings.Map(func(r rune) rune {
		if r == '+' || r >= '0' && r <= '9' {
			return r
		}
		return -1 // the match's edges, spaces and dashes
	}, text[loc[0]:loc[1]]))
	return typed != "" && typed != c.Phone
}

// namesAnotherPerson reports a request for the installments of a person
// named ("李娜的账单给我看看", "查一下王芳的分期", "李娜欠多少钱", "帮李娜提前
// 还款", "show me Emily's bill") who is not the identified customer — any
// named person, in a chat not identified yet: it is not shown as theirs.
func (s *Step) namesAnotherPerson(text string) bool {
	var names []string
	for _, loc := range personsThing.FindAllStringIndex(text, 3) {
		names = append(names, personBefore(text[:loc[0]])...)
	}
	for _, loc := range personPaid.FindAllStringIndex(text, 3) {
		// Before 还了 a name stands without the words of a plan's colour,
		// make or amount ("黄色还了吗", "高配还了吗", "许多都还了吗",
		// "钱全还了吗": a regression run)
		names = append(names, slices.DeleteFunc(personBefore(text[:loc[0]]), func(n string) bool {
			return strings.ContainsAny(n, notPaidNames)
		})...)
	}
	for _, m := range forPerson.FindAllStringSubmatch(text, 3) {
		if personName([]rune(m[1])) || nickname([]rune(m[1])) {
			names = append(names, m[1])
		}
	}
	if m := lookedUpAlone.FindStringSubmatch(text); m != nil && personName([]rune(m[1])) {
		names = append(names, m[1])
	}
	for _, m := range hanWithLatinName.FindAllStringSubmatchIndex(text, 3) {
		name := text[m[2]:m[3]]
		if loc := personsThing.FindStringIndex(text[m[1]:]); loc != nil && loc[0] == 0 &&
			!slices.ContainsFunc(strings.Fields(strings.ToLower(name)), func(w string) bool { return notEnglishNames[w] || modelWords[w] }) {
			names = append(names, name)
		}
	}

	for _, m := range personsEnglish.FindAllStringSubmatch(text, 3) {
		words := slices.DeleteFunc(strings.Fields(strings.Join(m[1:], "")), func(w string) bool { return owingAdverbs[strings.ToLower(w)] })
		for len(words) > 1 && leadingWords[strings.ToLower(words[0])] { // "Show Emily's bill"
			words = words[1:]
		}
		if !slices.ContainsFunc(words, func(w string) bool {
			l := strings.ToLower(w)
			// A word in lower case may be a thing's ("is xiaomi paid", "has
			// autopay paid"); a capital makes a name of it ("Max").
			return notEnglishNames[l] || leadingWords[l] || w == l && (bothLanguages[l] || modelWords[l])
		}) {
			names = append(names, strings.Join(words, " "))
		}
	}
	return len(names) > 0 && !ownBeside(text) && s.notOwn(names)
}

// notOwn reports whether any of names is not the identified customer's own
// (their name, a word of it, a word of one of their products) — any name,
// in a chat not identified yet.
func (s *Step) notOwn(names []string) bool {
	if s.conv.CustomerID == "" {
		return true
	}
	c, err := s.customer()
	if err != nil {
		return false // the flow asked for reads it again, and says what is wrong
	}
	own := strings.Fields(strings.ToLower(c.Name)) // "Emily" of "Emily Chen", "Mr Miller" of "James Miller"
	if plans, err := s.plans(); err == nil {
		for _, p := range plans { // "show Huawei bill" of their Huawei phone: a product, no one
			own = append(own, strings.Fields(strings.ToLower(p.Product))...)
		}
	}
	return slices.ContainsFunc(names, func(n string) bool {
		if r := []rune(n); nickname(r) && strings.ContainsRune(c.Name, r[1]) {
			return false // "帮小静看下还有多少" from 陈静: what she is called
		}
		return n != c.Name && !slices.ContainsFunc(strings.Fields(strings.ToLower(n)), func(w string) bool { return slices.Contains(own, w) })
	})
}

// personsThing is installments, a bill or a debt, as a person's are asked
// for. Not "那笔", "还有多少" or 小米 after a name: a name is read by its
// surname, and "金额多的那笔", "方才那笔", "黄色的小米" are the customer's own
// (a probe refused them).
var personsThing = regexp.MustCompile(`(?:的|名下的)?(?:账单|分期|欠款|账户|账号|月供|借款|还款|还欠|欠|逾期|预约|自动还款|手机|笔记本|电脑|平板|手表|手环|耳机|电视|还有几期|还剩几期|还剩多少|提前|结清|手续费|滞纳金|费率)`)

// notPaidNames are characters of a plan's colour, make or amount that end
// words read before 还了 as a surname and a given name.
const notPaidNames = "色配灰多全部些款钱机本笔版屏码白黑红蓝绿紫银"

// personPaid is whether a person paid, asked right after them ("李娜还了吗",
// "李娜这个月还了吗"): no 的 before it — "黄色的还了吗" asks of a plan.
var personPaid = regexp.MustCompile(`(?:已经|也|都|这个月|上个月|本月|这期|上期|那边|是不是|有没有)?(?:还了|还清了|还完了|付了|交了)`)

// forPerson is a request done for a person ("帮李娜提前还款", "替王芳还一下").
// ("帮小芳把这期还了": a nickname too).
var forPerson = regexp.MustCompile(`[帮替给](\p{Han}{2,4}?)(?:提前|把[^，。,.!?！？]{0,6}?)?(?:还|付|交|查|看|开|关|取消)`)

// lookedUpAlone is a name alone after a look-up ("查下 李娜", "看看王芳").
var lookedUpAlone = regexp.MustCompile(`^(?:查|查下|查一下|查查|查询|看看|看下|看一下)\s*(\p{Han}{2,4}?)[吧吗呢的]?[\s\p{P}]*$`)

// hanWithLatinName is a name in Latin letters before 的 and a thing, in
// Chinese ("James的平板还有多少没还"); tailSaid the last 4 digits of a
// phone, an order or a card said for a bill ("尾号9000的账单").
var (
	hanWithLatinName = regexp.MustCompile(`(?:^|[^A-Za-z])([A-Z][a-z]+(?: [A-Z][a-z]+)?)\s*的`)
	tailSaid         = regexp.MustCompile(`尾号\s*([0-9]{4})的?(?:账单|分期|用户|客户|手机号?的?(?:账单|分期))`)
)

// nickname reports 小 or 阿 and a character that reads as a name's
// ("小芳", "阿强"), not a thing's (小米, 小额, 小时).
func nickname(n []rune) bool {
	return len(n) == 2 && (n[0] == '小' || n[0] == '阿') && unicode.Is(unicode.Han, n[1]) &&
		!strings.ContainsRune("米额时票程区店号组金度爱新我你他她的这那里", n[1])
}

// personsEnglish is a name's bill in English ("show me Emily's bill", "the
// bill of Mr Zhang"), or a name asked about as overdue or owing ("is Li Na
// overdue?", "how much does Li Na owe"). Where a thing cannot stand — a
// person's bill, a person owing — a name is read in lower case too ("show
// me emily's bill", "whats emily owe", "how much does wang fang owe", and
// without the apostrophe "whats emily zhaos balance"); the words that
// stand there without being a person are notEnglishNames.
var personsEnglish = regexp.MustCompile(`\b([A-Z][a-z]+(?: [A-Z][a-z]+)?|[a-z]+)['’]s (?:[a-z]+ )?(?:bills?|installments?|account|plans?|loans?|balance|payments?|laptop|phone|pad|tablet|scheduled|autopay|booking|due)\b|` +
	`\b(?:[Dd]oes|[Dd]id|[Dd]o|[Ww]hat['’]?s|[Ww]hat) ([a-z]+(?: [a-z]+)?) (?:still )?owes?\b|` +
	`\b(?:[Ww]hat['’]?s|[Ss]how(?: me)?|[Cc]heck) ([a-z]+(?: [a-z]+)?)s (?:bills?|installments?|account|plans?|balance|payments?)\b|` +
	`\b[Rr]emind(?:ing)? ([A-Z][a-z]+(?: [A-Z][a-z]+)?) to\b|` +
	`\b(?:[Ii]s|[Hh]as|[Dd]oes|[Dd]id) ([A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:` + paidAdverbs + `)?(?:overdue|late|behind|got|have|owe|still owe|pay|repay|paid|repaid)\b|` +
	// "has he paid": he or she, someone else — not any word in lower case,
	// which is as often a thing ("is debt paid", "is emi paid": a
	// regression run)
	`^(?:[Ii]s|[Hh]as|[Dd]id|[Dd]oes) (he|she) (?:` + paidAdverbs + `)?(?:paid|repaid|pay|repay|overdue|late|behind)\b|` +
	`\bfor ([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b|` +
	`\b(?:bills?|installments?|plans?|balance|debts?|account|payments?) of (?:(?:Mr|Mrs|Ms|Miss)\.? )?([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b|` +
	`\b([A-Z][a-z]+(?: [A-Z][a-z]+)?|[a-z]+) (?:still )?owes\b|` +
	`\b([A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:is|was|has been) (?:overdue|late|behind)\b|` +
	`\b(?:[Ss]how|[Cc]heck|[Ss]ee)(?: me)? ([A-Z][a-z]+(?: [A-Z][a-z]+)?) (?:bills?|installments?|plans?|balance)\b`)

// notEnglishNames stand where a name would without being a person
// ("Today's bill", "Xiaomi's plan", "the laptop's payment").
var notEnglishNames = map[string]bool{"today": true, "this": true, "last": true, "next": true, "month": true, "week": true,
	"year": true, "xiaomi": true, "redmi": true, "mi": true, "my": true, "the": true, "it": true, "that": true, "what": true,
	"who": true, "where": true, "yesterday": true, "tomorrow": true, "january": true, "february": true, "march": true,
	"april": true, "may": true, "june": true, "july": true, "august": true, "september": true, "october": true,
	"november": true, "december": true, "monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "me": true, "you": true, "now": true, "both": true, "all": true, "poco": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true,
	"oct": true, "nov": true, "dec": true, "pad": true, "book": true, "phone": true, "laptop": true, "tablet": true,
	// in lower case: "it's my bill", "there's a payment", "let's see bills", "how much do i owe"
	"i": true, "we": true, "u": true, "us": true, "one": true, "there": true, "here": true,
	"let": true, "how": true, "when": true, "which": true, "why": true, "everyone": true, "everybody": true,
	"everything": true, "nothing": true, "anyone": true, "anything": true, "day": true, "tonight": true, "mine": true,
	"customer": true, "partner": true, "bank": true, "company": true, "card": true, "order": true, "account": true,
	"installment": true, "plan": true, "bill": true, "period": true, "mall": true, "store": true, "app": true,
	"autopay": true, "payment": true, "loan": true, "notebook": true, "computer": true, "pc": true, "tv": true,
	"watch": true, "tab": true, "buds": true, "earbuds": true, "headphones": true, "device": true, "product": true,
	"item": true, "thing": true, "purchase": true,
	// what a customer asks "has … paid" of that is no person ("has autopay
	// paid", "has anybody paid")
	"wechat": true, "alipay": true, "bills": true, "payments": true, "installments": true, "plans": true, "booking": true, "schedule": true, "debit": true,
	"deduction": true, "charge": true, "repayment": true, "money": true, "amount": true, "fee": true, "overdue": true,
	"balance": true, "rest": true, "remainder": true, "interest": true, "principal": true, "deposit": true, "refund": true,
	"anybody": true, "somebody": true, "someone": true, "nobody": true, "monitor": true, "camera": true,
	// a day spelt short or misspelt ("can i skip tmrw's payment?")
	"tmrw": true, "tmr": true, "tmrow": true, "tomorow": true, "tommorow": true, "tommorrow": true, "tdy": true, "tonite": true}

// paidAdverbs stand between who and "paid" ("has james already paid").
const paidAdverbs = `(?:already|ever|yet|not|really|actually|also|even|fully) `

// modelWords are a model's words before 的 in Chinese ("Pro的分期还剩几期"):
// no one. Not in notEnglishNames: "remind Max to pay" names a person.
var modelWords = map[string]bool{"pro": true, "max": true, "air": true, "plus": true, "ultra": true, "mini": true, "lite": true,
	"note": true, "turbo": true, "se": true}

// owingAdverbs stand between who owes and "owe" ("how much do i still owe",
// "does emily really owe"): not a word of a name (a probe read "i still" as
// a person).
var owingAdverbs = map[string]bool{"still": true, "really": true, "even": true, "actually": true, "currently": true,
	"also": true, "just": true, "already": true, "totally": true, "altogether": true}

// leadingWords begin an English sentence with a capital before a name
// ("Show Emily's bill", "Pay off Li Na's laptop"): not the name.
var leadingWords = map[string]bool{"show": true, "pay": true, "check": true, "cancel": true, "turn": true, "see": true,
	"please": true, "can": true, "could": true, "what": true, "how": true, "is": true, "off": true, "give": true, "tell": true,
	"i": true, "and": true, "but": true, "so": true}

// personBefore lists the names text ends with: two to four Han characters
// that read as a name (personName) and stand at the start of the message
// or after a word that comes before one ("查", "看看", "帮…查下", a mark) —
// not inside a phrase ("关于我", "这张卡", "我付了").
func personBefore(text string) []string {
	r := []rune(text)
	var names []string
	for k := 2; k <= 4 && k <= len(r); k++ {
		n := r[len(r)-k:]
		if slices.ContainsFunc(n, func(c rune) bool { return !unicode.Is(unicode.Han, c) }) || !personName(n) {
			continue // "谢谢，还了吗": a name is Han characters alone
		}
		if at := len(r) - k; at == 0 || nameLead(r[at-1]) {
			names = append(names, string(n))
		}
	}
	return names
}

// nameLead reports a character a name may follow in a request (or after
// whom they are: "我老婆李娜的分期").
func nameLead(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || strings.ContainsRune("查询看给帮是把下要问替婆公妈爸友哥姐弟妹儿女消款", r) // …取消, 提前还款…
}

// personName reports Han characters that read as a person's name: a
// common surname (or a two-character one) and a given name of one or two
// characters that are not pronouns, particles or words of time.
func personName(n []rune) bool {
	given := n[1:]
	switch {
	case len(n) == 2 && (n[0] == '老' || n[0] == '小') && surnames[n[1]]: // 老王, 小李
		return true
	case len(n) >= 3 && compoundSurnames[string(n[:2])]:
		given = n[2:]
	case !surnames[n[0]] || len(n) > 3:
		return false
	}
	return len(given) >= 1 && !notNames[string(n)] && !strings.ContainsAny(string(given), "我你他她它们了过卡的个这那么吗呢期月年天号")
}

// compoundSurnames are two-character surnames.
var compoundSurnames = map[string]bool{"欧阳": true, "司马": true, "上官": true, "诸葛": true, "东方": true, "皇甫": true, "令狐": true,
	"慕容": true, "司徒": true, "公孙": true, "夏侯": true, "尉迟": true}

// surnames are the common Chinese surnames a name begins with.
var surnames = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊孟秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧" {
		m[r] = true
	}
	return m
}()

// notNames are words that begin like a name and are not one ("周末的还款",
// "白条的分期").
var notNames = map[string]bool{"周一": true, "周二": true, "周三": true, "周四": true, "周五": true, "周六": true, "周日": true,
	"周末": true, "金华": true, "高明": true, "黄海": true, "万达": true, "方平": true, "周天": true, "金额": true, "高额": true, "方便": true, "常用": true, "马上": true, "余额": true, "全额": true,
	"余下": true, "余款": true, "于是": true, "江苏": true, "苏州": true, "苏宁": true, "金融": true, "钱包": true, "方案": true,
	"方式": true, "周期": true, "万元": true, "任何": true, "任意": true, "曾经": true, "何时": true, "程序": true, "段时间": true,
	"石家庄": true, "付款": true, "付清": true, "付钱": true, "付费": true, "付了": true,
	"谢谢": true, "方才": true, "万一": true, "全部": true, "全都": true, "毕竟": true, "尤其": true, "宁可": true, "时候": true, "时间": true}

// onlyAPhone reports a message that is a mainland mobile number and words
// that only say so ("my number is +86 136…", "我手机号13800138000") — not a
// request around one ("新号138…怎么改绑", "我是138…的机主 我要投诉").
func onlyAPhone(text string) bool {
	loc := mobileTyped.FindStringIndex(text)
	if loc == nil {
		return false
	}
	rest := strings.ToLower(text[:loc[0]] + " " + text[loc[1]:])
	rest = phoneFiller.Replace(rest)
	return strings.TrimFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) }) == ""
}

var phoneFiller = strings.NewReplacer("我的手机号码是", "", "我的手机号是", "", "我的手机号", "", "我的号码是", "", "我的电话是", "",
	"手机号码", "", "手机号", "", "电话号码", "", "号码", "", "电话", "", "我的", "", "我是", "", "这是", "", "是", "",
	"my phone number is", "", "my mobile number is", "", "my number is", "", "my phone is", "", "phone number", "",
	"my number", "", "number", "", "phone", "", "mobile", "", "it's", "", "its", "", "here", "", "is", "")

// takesOffer are the yeses to an offer ("要不要转人工客服？") beyond the
// confirm and ack words.
var takesOffer = map[string]bool{"要": true, "要的": true, "要啊": true, "需要": true, "需要的": true, "转吧": true, "好的转吧": true,
	"yes please": true, "please": true, "yes pls": true, "ok please": true, "sure please": true, "please do": true, "do": true}

// isNo reports whether typed text is a "no" word alone.
func isNo(text string) bool { return noWords[unhesitant(bare(text))] }

// noLeads are what stands around a no without changing it: "算了不取消了",
// "还是不取消了吧", "那就不还了".
var noLeads = strings.NewReplacer("算了", "", "还是", "", "那就", "", "吧", "", "，", "", ",", "", " ", "")

// declines reports a "no" to the step in front of the customer: a no word
// alone, or first with a short remark after it that asks nothing
// ("先不还了 下个月再说", "not now, maybe next month") — not a yes that
// begins with one ("no problem"), nor a question behind it ("不用了，为什么
// 扣了我两次").
func declines(text string) bool {
	w := bare(text)
	if correctionPick.MatchString(w) { // "no, the other one": a correction, not a no
		return false
	}
	if noWords[w] || noWords[noLeads.Replace(w)] || noWords[unhesitant(w)] { // "算了不取消了", "还是不取消了吧", "wait no"
		return true
	}
	if wrongAlone[w] || wrongAlone[unhesitant(w)] { // "呃 不对"; not "不对，换成笔记本", a correction
		return true
	}
	if bareYes(text) || asks(text) || containsAny(w, "怎么", "为什么", "如何", "什么", "哪", "多少", "how", "why", "what", "when", "where", "which") {
		return false
	}
	if r, _ := utf8.DecodeRuneInString(w); unicode.Is(unicode.Han, r) && utf8.RuneCountInString(w) <= 12 &&
		(strings.HasSuffix(w, "再说") || strings.HasSuffix(w, "再说吧")) && !containsAny(w, "扣了", "还了", "付了", "扣吧", "还吧") {
		return true // "等我发工资再说": not now (not "扣了再说")
	}
	if first, rest, ok := strings.Cut(w, " "); ok && (first == "no" || first == "nah" || first == "nope") &&
		!containsAny(rest, "problem", "worries", "prob", "go", "pay", "yes", "do it", "mean", "rush", "ahead", "confirm") &&
		utf8.RuneCountInString(rest) <= 24 && !namesAKind(rest) && !namesPlanApart(rest) {
		return true // "nah too expensive"; not "nah go ahead", "no rush, pay it"
	}
	i := strings.IndexAny(w, "，,。、!！;；") // "not now, maybe next month"
	if r, _ := utf8.DecodeRuneInString(w); i < 0 && unicode.Is(unicode.Han, r) {
		i = strings.IndexByte(w, ' ') // "先不还了 下个月再说"; not "no problem"
	}
	if i < 0 {
		return false
	}
	first, rest := w[:i], strings.TrimLeft(w[i:], " ，,。、!！;；")
	// Not a new request after the no ("先不，给手机开", "下次吧，用工行卡",
	// "还是算了，帮我还手机的吧"): the request is read (a regression probe:
	// the step dropped, the request ignored).
	// Nor a plan named after it ("不对，手机那个"): a correction, that plan.
	return noWords[first] && utf8.RuneCountInString(rest) <= 16 && !requestInRemark.MatchString(strings.ReplaceAll(rest, "还是", "")) && !namesAKind(rest) && !namesPlanApart(rest)
}

// namesPlanApart reports words telling a plan apart from another: newer,
// older, its order number's end ("no, the newer one"), overdue or when it
// falls due ("no, the overdue one", "不对 是明天到期那个": an audit).
func namesPlanApart(t string) bool {
	_, dayNamed := relativeDay(t)
	return newerPick.MatchString(t) || olderPick.MatchString(t) || orderTail.MatchString(t) || overdueNamed(t) || dayNamed && dueOne.MatchString(t)
}

// namesAKind reports words naming a kind of device, as after a no that
// corrects ("no wait, the phone": an audit got "OK, no payment", the plan
// named lost).
func namesAKind(t string) bool {
	kind, _ := kindSaid(t)
	return kind >= 0
}

// requestInRemark is a request's verb in the words after a no.
var requestInRemark = regexp.MustCompile(`开|关|用|换|付|扣|取消|继续|现在|帮我|我要|我想|先还|还(?:手机|笔记本|电脑|平板|这|那|下|逾期|本|一|了吧|吧|[a-z0-9])|` +
	`\b(?:pay|use|turn|cancel|switch|continue|now|instead)\b`)

// paysPeriodOnly reports a request to pay a period rather than the whole
// plan ("只还逾期的那一期就行", "just pay this month's").
func paysPeriodOnly(text string) bool {
	l := strings.ToLower(text)
	return containsAny(l, "只还", "只付", "先还", "就还") && containsAny(l, "这期", "这一期", "本期", "当期", "逾期", "那一期", "这个月", "这月") ||
		periodOnly.MatchString(l)
}

// paysABillOnly reports a bill asked to be paid off — the overdue one or
// this period's ("逾期的帮我还掉", "帮我把逾期的结清", "我要还清这期", "pay
// off the overdue one") — which the FAQ may read as paying off the plan (a
// probe got a quote of all of it): nothing said of the whole plan or of
// paying early.
func paysABillOnly(text string) bool {
	l := strings.ToLower(text)
	// "这个月的", "逾期的" name the bill whatever else is said of the plans
	// ("两个分期这个月的都帮我还掉": a probe got both payoffs).
	// "逾期好几天了 帮我还掉": the overdue bill too, unless paying off is said
	// (a replay: the whole plan's payoff quote).
	return (overdueNamed(l) || periodNamed.MatchString(l) || strings.Contains(l, "逾期") && !asksPayoff(l)) && !containsAny(l, wholePlanWords...) &&
		(periodOwn.MatchString(l) || !containsAny(l, allPlansWords...)) &&
		!slices.ContainsFunc([]string{"all", "entire", "whole", "remaining", "early", "rest", "everything", "full", "balance", "plan", "fee", "fees"},
			func(w string) bool { return wordsIn(l, w) }) ||
		payoffUnsaid(l) || paysNotOff(l) // "please pay the tablet one": a probe paid its payoff
}

// payoffUnsaid reports a plan asked to be paid with nothing said of all of
// it ("笔记本那个帮我还了", "把手机的还一下"): its bill, as "还信用卡" is the
// card's bill — paying off is said ("提前", "还清", "剩下的") or not asked
// (a replay: the payoff's quote, ¥1,682.66 one 确认 away for a bill of
// ¥211.25).
func payoffUnsaid(l string) bool {
	l = strings.ReplaceAll(l, "还一次", "还一下") // once, not at once ("平板那个再帮我还一次": a probe paid the payoff)
	return zhPayAsked.MatchString(l) && !asksPayoff(l) && !containsAny(l, wholePlanWords...) && !payoffSaidZh(l) &&
		!containsAny(l, "所有", "都还", "全还", "一起", "两笔", "两个", "俩") // several: their own readers
}

// payoffSaidZh reports payoffWordsZh in l; "剩下那期" is a period, not the
// rest of the plan (a replay quoted the payoff).
func payoffSaidZh(l string) bool {
	return containsAny(periodLeft.ReplaceAllString(l, "那期"), payoffWordsZh...)
}

var periodLeft = regexp.MustCompile(`(?:剩下|剩余|余下)的?(?:那|最后)?一?期`)

// payoffWordsZh say a whole plan paid, or what is left of it, beside
// asksPayoff's: "剩下的", "还光", "一口气", "连本带息".
var payoffWordsZh = []string{"剩下", "剩余", "余下", "尾款", "余款", "还完", "清", "全额", "全款", "彻底", "还光", "还干净", "提早", "早点", "本金",
	"一把", "一口气", "一下子", "连本带息", "后面几期", "后面的", "不想分期", "结了", "结掉", "结一下"}

// zhPayAsked is paying asked for in Chinese: a lead before the verb or a
// particle after it ("帮我还", "把…还", "还了", "还一下"), not the verb's
// "still" (还剩, 还有).
var zhPayAsked = regexp.MustCompile(`(?:帮我|给我|替我|我要|我想|把[^，。,！!？?]*)(?:还|付|交|结)|(?:还|付|交)(?:了|一下|下|掉|上)|结(?:掉|一下)`)

// paysAllOff asks every plan paid off ("两笔都提前还清", "pay off both
// plans"); paysNextEarly the next period paid before its day ("把下一期也
// 提前还了吧").
var (
	paysAllOff = regexp.MustCompile(`(?:两笔|两个|俩|全部|所有的?)(?:分期|订单)?(?:都|一起|全部)?(?:帮我)?(?:提前)(?:还清|结清|还完|还掉|还了)|` +
		`\bpay (?:off )?(?:both|all)(?: of)?(?: my| the)? (?:plans|installments|instalments|loans)(?: off)?(?: early)?\b|\bpay off both\b`)
	paysNextEarly = regexp.MustCompile(`(?:下一期|下期|下个月的?那?期|这一?期|本期)(?:的)?(?:也)?(?:帮我|我)?(?:想|要)?(?:先)?提前(?:还|付|交)(?:了|掉|上)?|提前(?:还|付|交)(?:一下)?(?:下一期|下期|这一?期|本期)`)
)

// ownOnesAsked asks the customer's own bills, alone ("那我自己的呢", "ok my
// own then", "what about mine").
var ownOnesAsked = regexp.MustCompile(`^(?:那|那么|好吧|好|行|ok|okay)?[，, ]*(?:看看|查查|查一下|看一下)?(?:我自己的|我本人的)(?:呢|吧|账单|账单呢|分期|分期呢)?[?？。!！]*$|` +
	`^(?:ok |okay |then |so |fine |alright )?(?:what about |and |show me |show |check )?(?:my own(?: one| ones| bills?| account)?|mine)(?: then| please| instead)?[?.!]*$`)

// anythingElseOwed asks what is still to pay besides ("还有没还完的吗",
// "还有别的要还吗", "anything else i owe?").
var anythingElseOwed = regexp.MustCompile(`^(?:那|那么|嗯|好的|好)?[，, ]*(?:我)?还有(?:没有)?(?:没还完|没还清|没还|要还|别的要还|其他要还|其它要还)的?(?:吗|么|嘛|没有|没)?[?？。]*$|` +
	`^(?:那|那么)?(?:我)?还剩(?:什么|哪些|哪笔|哪个)没还[?？。]*$|^(?:so |ok |and )?(?:is there )?anything else (?:left )?(?:to pay|i owe|owed|outstanding)\??$|^(?:so |ok |and )?what else do i (?:owe|need to pay|have to pay)\??$`)

// closureNoticeAsked asks whether the closure's outcome is told ("注销成功了
// 会通知我吗", "will you let me know when my account is closed").
var closureNoticeAsked = regexp.MustCompile(`(?:注销|销户)[^，。？?]{0,10}(?:会|能)?(?:通知|告诉|提醒)我|(?:怎么|如何)知道[^，。？?]{0,6}(?:注销|销户)[^，。？?]{0,4}(?:好|成功|完成)|` +
	`(?:注销|销户)[^，。？?]{0,6}(?:好|成功|完成)了?[^，。？?]{0,4}(?:怎么|如何)知道|` +
	`\b(?:notify|tell|let) me(?: know)?\b[^.?!]{0,20}\b(?:closure|account (?:is |gets )?closed|closing)\b|\b(?:closure|account closing)\b[^.?!]{0,24}\b(?:notif\w*|let me know|tell me)\b`)

// ownPayoffAsked asks the customer's own payoff amount ("how much to pay
// off my pad", "what's my payoff amount", "提前还款要多少").
var ownPayoffAsked = regexp.MustCompile(`\bhow much (?:is it |would it be |will it be |does it cost |do i need |do i have |would i need )?to pay (?:it |everything |my [a-z0-9]+ |the [a-z0-9]+ |this |the rest |off )?off\b|` +
	`\b(?:what'?s|what is|whats) my payoff(?: amount)?\b|\bmy payoff amount\b|\bhow much is my payoff\b|\bhow much (?:do i need |would i need |does it take )?to clear (?:everything|it all|my plan)\b|` +
	// "early payoff how much", "payoff amount?", "how much is early payoff"
	// (a probe: the formula, or unsure)
	`^(?:my )?(?:early )?payoff(?: amount)?(?: how much| pls| please)?\??$|^how much (?:is|for) (?:an |the |my )?early (?:payoff|repayment)\??$|` +
	// "提前还款要多少", "提前还清要多少钱" (an audit: the formula, to a
	// customer with one plan)
	`^(?:我|那我)?(?:现在|今天)?(?:要)?(?:两个|两笔|三个|三笔|全部|所有的?|都)?(?:都)?提前(?:还款|还清|结清|还完|全部还清)(?:的话)?(?:一共|总共)?(?:要|需要|得)?(?:还|付)?多少(?:钱)?[?？吗呢啊]*$`)

// notOwnPayoff are the words of another question about it: its fee, a
// condition, how it is worked out.
var notOwnPayoff = []string{"fee", "if ", "would i save", "interest", "how do", "how is", "how are", "work out", "calculat", "formula", "why"}

// owesNow asks what is still owed, in so many words ("那我现在还要还多少",
// "我还欠多少"); monthFollowUp is a month alone, following a question
// ("那下个月呢", "and next month?").
var (
	owesNow       = regexp.MustCompile(`^(?:那|那么)?我?(?:现在|目前)?(?:一共|总共|总的)?(?:还要|还得|还需要|还)(?:还|欠|付)(?:你们)?多少(?:钱)?(?:啊|呢|呀)?$`)
	monthFollowUp = regexp.MustCompile(`^(?:那|那么|还有)?(?:下下?个?月|这个月|本月|(?:[0-9]{1,2}|十[一二]|[一二三四五六七八九十])月份?)(?:的)?(?:呢|那期呢|的账单呢|账单呢)$|` +
		`^(?:那|那么)(?:下下?个?月|(?:[0-9]{1,2}|十[一二]|[一二三四五六七八九十])月份?)(?:的)?$|` + // "二月呢", "那2月" after January's (a probe: unsure)
		`^(?:and|what about|how about|and what about|and in|and for|what about in) (?:the )?(?:next month|this month|the month after|` +
		`january|february|march|april|june|july|august|september|october|november|december|jan|feb|aug|sept|sep|oct|nov|dec)(?: then)?$`) // "and february?" after January's (an English probe: "can't answer")
)

// paysAKind is "还" and a kind of device and nothing else ("还充电宝", "帮我
// 还一下耳机", "还手机这期"): that plan's bill, when the customer has one.
var paysAKind = regexp.MustCompile(`^(?:帮我|我要|我想|请)?(?:还|付)(?:一下|下)?(?:我的)?\s*(?:充电宝|移动电源|充电器|音箱|净化器|扫地机器人|扫地机|耳机|手环|手表|平板|电视|笔记本|手机)(?:的账单|的钱|这期|那期|本期|的)?(?:吧|呗)?$`)

// periodEarlyAsked asks whether a period can be paid before its due date.
var periodEarlyAsked = regexp.MustCompile(`(?:能|可以|能不能|可不可以|可否)(?:现在|今天)?(?:就)?(?:提前)?(?:还|付)(?:掉)?(?:这期|本期|这一期|当期|下期|下一期)(?:吗|么|不)?|` +
	`(?:明天|后天|[0-9]{1,2}号)到期的?(?:那期|这期|那笔)?(?:今天|现在)(?:就)?(?:还|付)(?:可以|行)(?:吗|不)|` +
	`^(?:[^，。？?]{0,8})?(?:这期|本期|这一期|下期|下一期)(?:能|可以|能不能|可不可以)(?:现在|今天)?(?:就)?(?:提前)?(?:还|付)(?:吗|么|不)?[?？]*$|` +
	`\bcan i pay (?:this|next) (?:month'?s?|period'?s?|bill|installment)(?: bill| installment)? (?:early|now|today|before (?:the|its) due date)\b`)

// phoneBillPaid asks a phone's bill paid ("pay the phone bill", "pay my
// xiaomi 14 phone bill").
var phoneBillPaid = regexp.MustCompile(`^(?:(?:ok|okay|now|then|so|and|and now|ok now|alright)[, ]+)?(?:pls |please )?(?:i want to |i wanna |i need to |can i |let me )?(?:now )?pay (?:(?:the|my) )?(?:this month['’]?s |this period['’]?s |current )?(?:[a-z0-9+]+ ){0,3}phone(?:['’]?s)? bill(?: now| please| pls)?` + // "pay the phone's bill", "pay this month's phone bill", "pay phone bill using icbc 9988" (a probe: another lender's)
	`(?: (?:with|using|from|on) (?:my |the )?[a-z ]{2,30}?(?: card)?(?: (?:ending(?: in)? )?[0-9]{4})?)?[.!?]*$`) // "…with icbc" (a probe: another lender's)

// unbindsACard reports lower-cased text asking for a card to be unbound
// ("帮我把建行卡解绑", "把建行卡删了", "remove my hsbc card") — a card's, not
// a Mi account's phone.
func unbindsACard(l string) bool { return unbindsCard.MatchString(l) && containsAny(l, "卡", "card") }

var unbindsCard = regexp.MustCompile(`解绑|解除绑定|(?:删掉|删除|移除|去掉)[^，。？?]{0,6}卡|卡[^，。？?]{0,6}(?:删掉|删除|移除|去掉)|` +
	`\b(?:unbind|unlink|remove|delete)\b[^.?!]{0,20}\bcard\b`)

// ownCardsAsked asks which cards are bound, or how to change the default
// one; removesABooking asks a booking removed.
var (
	ownCardsAsked = regexp.MustCompile(`(?:绑的|绑定的|我的)(?:银行)?卡是(?:哪个|哪家|什么)银行|我(?:绑|绑定)的(?:是)?(?:哪张|哪个|什么)(?:卡|银行)|` +
		// "我的卡是招行的吗", "6789是我的卡吗": their cards say (a probe: how to bind one)
		`^(?:我的|我绑的|我绑定的)(?:银行|还款)?卡是(?:不是)?[^，。？?\s]{1,8}的(?:吗|么|嘛)|^(?:尾号)?[0-9]{4}(?:这张|那张)?(?:卡)?是(?:不是)?我的卡(?:吗|么|嘛)?|` +
		`默认卡(?:怎么|如何|在哪)(?:换|改|设置|设)|(?:怎么|如何)(?:换|改|设置|设)默认(?:还款)?卡|` +
		// a card named to be the default ("把民生2222设成默认卡", "make abc my default": unsure, or nothing done — audits)
		`(?:设成|设为|改成|换成|改为)默认(?:卡|还款卡)?|默认(?:还款)?卡(?:换成|改成|设成|设为|改为)|\b(?:make|set)\b[^.?!]{0,24}\b(?:my |the )?default(?: card)?\b|` +
		`\bwhat (?:bank|card) is (?:my card|on file)\b|\bwhat card (?:is|do i have) on file\b|\bwhich bank (?:card )?(?:did i|is) (?:link|linked|bind|bound|on file)\b|` +
		`\b(?:how (?:do|can) i|i want to|i wanna|can i) (?:change|switch|set|update) (?:my |the )?default (?:payment |bank )?card\b|` +
		// which is the default ("现在默认是哪张", "which one is default": a probe got unsure)
		defaultAsked + `|\bwhat'?s my default card\b`)
	// debitCardAsked asks which card a debit comes from, or to have it come
	// from another ("自动还款扣的是交行卡吗", "我想换成招行卡扣款", "will
	// tomorrow's payment come from hsbc": a probe got unsure): the default
	// card, which both take, where it is changed.
	debitCardAsked = regexp.MustCompile(`(?:自动还款|自动扣款|扣款|扣钱|还款|下期|这期|明天|下个月)[^，。？?]{0,6}(?:扣的是|用的是|是从|从哪|走的是)[^，。？?]{0,10}(?:卡|银行|行)|` +
		`扣(?:款|钱)?(?:的|用的)?是?(?:哪张|哪个|什么)(?:卡|银行)|` +
		`\b(?:payments?|autopay|auto-pay|auto repayment|debits?|installments?|bills?)\b[^.?!]{0,30}\b(?:come|comes|coming|be taken|taken|be charged|charged|be debited|debited|deducted|drawn)\s+(?:from|out of|off)\b|` +
		`\bwhich (?:card|bank)\b[^.?!]{0,30}\b(?:autopay|auto-pay|debit|debits|debited|charge|charged|charges|take|takes|taken|use|uses|used)\b`)
	removesABooking = regexp.MustCompile(`\b(?:remove|delete|get rid of) (?:the|my|that) (?:booking|scheduled (?:re)?payment|scheduled debit)\b|` +
		`(?:删掉|删除|去掉)[^，。？?]{0,4}预约`)
)

// planMissing says a plan bought is not to be found here ("买了个手机 怎
// 么查不到啊", "i bought a tv on installments but i cant see it").
var planMissing = regexp.MustCompile(`(?:分期|买)[^。？?]{0,16}(?:查不到|看不到|找不到|没显示|不显示|没有显示|没看到|怎么没有)|` +
	`\b(?:bought|ordered|purchased)\b[^.?!]{0,40}\b(?:can'?t|cannot|don'?t|do not) (?:find|see)\b|\b(?:can'?t|cannot|don'?t|do not) (?:find|see) (?:my|the) (?:new )?(?:plan|installment|order|purchase)\b`)

// planMissingAnswer says how many plans the account has — none, or that
// the one of the kind named is not among them — and where another may be;
// false when the plan named is theirs after all.
func planMissingAnswer(s *Step, l string) (bool, error) {
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	if kind, _ := kindSaid(bare(l)); kind >= 0 && slices.ContainsFunc(plans, func(p supportbot.Plan) bool { return kindShown(p.Product) == kind }) {
		return false, nil // theirs: what the words ask of it is for the rest to read
	}
	c, err := s.customer()
	if err != nil || c == nil {
		return false, err
	}
	key := "plans.missing_some"
	if len(plans) == 0 {
		key = "plans.missing_none"
	}
	s.say(s.T(key, "phone", supportbot.MaskPhone(c.Phone), "count", len(plans)), s.next(s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...)
	return true, nil
}

// bareDays is "how many days" and nothing else ("几天了", "how long").
var bareDays = regexp.MustCompile(`^(?:by )?(?:how many days|how long|how many days now|多少天|几天|几天了|多少天了|多久了)[?？]*$`)

// hasOverdue reports an open plan of the customer's with a bill overdue.
// monthOfPlanAsked reports a month's bills (asksThisMonth) asked of one
// plan of the customer's, named by its kind or name ("我的笔记本下个月要还
// 多少": a probe got the whole bill, the month dropped). Plans that cannot
// be read name none: the bill that answers instead reads them, and says so.
func (s *Step) monthOfPlanAsked(text string) bool {
	if s.conv.CustomerID == "" || aboutSomeoneElse(text) {
		return false
	}
	p, err := openPlanSaid(s, text)
	return err == nil && p != nil
}

// overdueIfNamed reports false when l asks to pay the overdue one and
// nothing is overdue: not a payment to start (a replay: the list of bills,
// not a word that none is overdue).
func (s *Step) overdueIfNamed(l string) bool {
	if !overdueNamed(l) {
		return true
	}
	late, err := s.hasOverdue()
	return err != nil || late
}

func (s *Step) hasOverdue() (bool, error) {
	open, err := s.openPlans()
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(open, func(p supportbot.Plan) bool {
		return slices.ContainsFunc(p.Bills, func(b supportbot.Bill) bool { return b.Overdue(s.today) })
	}), nil
}

// paysThisPeriod asks to pay this period's bill ("这期帮我还了", "还一下这
// 期", "pay this month's bill").
var paysThisPeriod = regexp.MustCompile(`(?:还|付|交)(?:一下|了|掉)?[^，。？?\s]{0,12}?(?:这期|本期|这个月的?|当期)|` +
	`(?:还|付|交)(?:一下|了|掉)?[^，。？?\s]{0,8}?逾期(?:的|那|账单)|\bpay (?:the|my) overdue\b|` + // "先还逾期的 然后帮我开自动还款" (a probe: the switch alone)
	`把(?:那个|那笔)?逾期(?:的|那期|那笔|账单)?(?:帮我)?(?:还|付|交)(?:了|掉|上)|` + // "先把逾期的还了 然后开自动还款" (a replay: the switch alone)
	`(?:这期|本期|这个月的?)(?:的账单)?(?:帮我)?(?:还|付|交)(?:了|掉|一下|上)|` +
	`\bpay (?:this|the current) (?:month'?s?|period'?s?)(?: bill| installment)?\b|` +
	// "pay the pad and turn on autopay (for it)" (an English probe: the switch alone, the bill dropped)
	`\bpay (?:the|my) [a-z0-9+ ]{1,30}?(?: bill| installment)? (?:and|then|&|plus) (?:also )?(?:turn|switch|set|enable|activate)\b`)

// doneOncePaidOff asks whether nothing is left once a plan is paid off
// ("耳机提前还完了就不用管了吧", "电视提前结清了以后就不会再扣了吧", "if i pay
// off the buds i'm done right?") — a yes or no, not a request.
var doneOncePaidOff = regexp.MustCompile(`(?:还完|还清|结清|付清)了?(?:以后|之后)?就(?:不用|没事|不会|不再|没有|完了|结束|行了|好了|可以了)[^，。,]{0,10}(?:吧|吗|么|嘛|[？?])[？?]*$|` +
	`\b(?:if|once|after) i pay (?:it |this |that |the [a-z0-9 ]{1,20} |my [a-z0-9 ]{1,20} )?off\b[^.?!]{0,24}\b(?:i'?m done|i am done|that'?s it|nothing (?:more|else)|no more (?:payments?|bills?|charges?|debits?))\b`)

// doneOncePaidOffAnswer says that once paid off a plan has nothing left to
// pay or debit, with the payoff's quote a tap away (of the plan named).
func doneOncePaidOffAnswer(s *Step, text string) error {
	p, err := planNamed(s, text)
	if err != nil {
		return err
	}
	repay := "repay"
	if p != nil {
		repay = "repay:" + p.ID
	}
	s.say(s.T("repay.done_after"), s.next(s.menuBtn(s.T("menu.repay"), repay))...)
	return nil
}

// periodsAhead asks to pay several periods ahead at once ("提前还3期",
// "我想提前还两期", "i want to prepay 3 emis", "prepay 2 months on the pad",
// "pay 3 periods of the laptop now"): an audit got the whole plan's
// payoff quote one tap away, or the payoff's list. Read on inDigits' text.
var periodsAhead = regexp.MustCompile(`提前(?:还|付|交)(?:掉)?\s*(?:[2-9]|[1-9][0-9])\s*(?:期|个月)|(?:先|多)(?:还|付|交)\s*(?:[2-9]|[1-9][0-9])\s*期|` + // "我想先还12期" (an audit: one period quoted, unsaid)
	`\b(?:prepay|pay|repay|pay off|pay ahead)\b[^.?!]{0,16}?\b(?:the next |next )?(?:[2-9]|[1-9][0-9]|two|three|four|five|six)\s+(?:more\s+)?(?:emis?|installments?|instalments?|months?|periods?|monthly payments?)\b`)

// restPeriodsPaid asks the periods left of a plan paid, by their number
// ("帮我把剩下的两期一次还了", "剩下3期都帮我还了"): a probe got "not in the
// guides".
var restPeriodsPaid = regexp.MustCompile(`(?:剩下|剩余|余下|最后)的?\s*([1-9][0-9]?)\s*期[^，。？?]{0,8}?(?:还|付|结清|结了|结掉)`)

// restPeriodsAnswer quotes the payoff of the plan whose unpaid periods are
// the n said (the one plan, or the one named); otherwise it says how
// periods are paid, as several ahead are told.
func restPeriodsAnswer(s *Step, text string, n int) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	var p *supportbot.Plan
	if len(open) == 1 {
		p = &open[0]
	} else if p, err = planNamed(s, text); err != nil {
		return err
	}
	if p == nil {
		return periodsAheadAnswer(s, text)
	}
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	if unpaidPeriods(p, supportbot.DebitingPeriods(p.ID, sched, s.now)) != n {
		return periodsAheadAnswer(s, text)
	}
	return s.startFlow("repay", p.ID)
}

// unpaidPeriods is how many periods of p are not paid and not being
// debited (the ones a payoff pays).
func unpaidPeriods(p *supportbot.Plan, debiting map[int]bool) int {
	n := 0
	for _, b := range p.Bills {
		if b.Status == supportbot.BillUnpaid && !debiting[b.Period] {
			n++
		}
	}
	return n
}

// periodsAheadAnswer says that several periods are not paid at once here:
// a bill pays one period, a payoff the whole rest — each a tap away, of the
// plan named, or of the one plan.
func periodsAheadAnswer(s *Step, text string) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	if len(open) == 0 {
		return s.startFlow("pay", "")
	}
	id := ""
	if len(open) == 1 {
		id = open[0].ID
	} else if p, err := planNamed(s, text); err != nil {
		return err
	} else if p != nil {
		id = p.ID
	}
	bill, payoff := "pay", "repay"
	if id != "" {
		bill, payoff = "pay:"+id, "repay:"+id
	}
	s.say(s.T("pay.periods_ahead"), s.next(s.menuBtn(s.T("pay.btn_bill"), bill), s.menuBtn(s.T("menu.repay"), payoff))...)
	return nil
}

// paysAPeriod is a request to pay a period named by its number ("还第8期",
// "把手机第7期还了", "pay period 4") or a plan's this one ("还笔记本这期"): a bill, whose quote says which period
// it pays (a probe: "not sure").
var paysAPeriod = regexp.MustCompile(`^(?:请|帮我|我要|我想|麻烦)?(?:还|付|交)(?:掉|了)?\s*[^，,。]{0,8}?第\s*[0-9]{1,2}\s*期(?:的|的账单|账单|的钱)?(?:吧|呗)?$|` +
	// "还笔记本这期": that plan's bill (a probe got the bill's overview)
	`^(?:请|帮我|我要|我想|麻烦)?(?:先)?(?:还|付|交)(?:一下|掉)?\s*[^有是没要在剩差，,。？?\s][^，,。？?]{0,9}?(?:这期|本期|这一期|当期|这个月)(?:的|的账单|账单|的钱)?(?:吧|呗|啊)?$|` +
	`(?:把|帮我把)[^，,。]{0,12}?第\s*[0-9]{1,2}\s*期[^，,。]{0,4}?(?:帮我)?(?:还|付|交)(?:掉|了|上)|` +
	// "平板那期帮我还掉", "把今天到期那笔还了": that period, not the plan's
	// payoff (an audit: a quote of the whole plan, its fee included)
	// (了 only after a 把: "今天还了", "手机这期还了" say it was paid: a review)
	`^(?:请|麻烦)?(?:帮我把|把)?[^有是没要在剩差帮替给，,。？?\s][^帮替给把，,。？?]{0,9}?(?:这期|那期|本期|这[一1]期|那[一1]期|当期|到期的?那笔|到期的)(?:的|的账单|账单|的钱)?(?:帮我|给我)?(?:还|付|交)(?:一下|掉|上)(?:吧|呗|啊)?$|` +
	`^(?:请|麻烦)?(?:帮我把|把)[^帮替给把，,。？?]{0,10}?(?:这期|那期|本期|这[一1]期|那[一1]期|当期|到期的?那笔|到期的)(?:的|的账单|账单|的钱)?(?:帮我|给我)?(?:还|付|交)了(?:吧|呗|啊)?$|` +
	`^(?:请|麻烦)?(?:帮我把|把)?(?:今天|今日)的?(?:那笔|这笔|那期|这期)?(?:帮我|给我)?(?:还|付|交)(?:一下|掉|上)(?:吧|呗|啊)?$|` +
	`^(?:请|麻烦)?(?:帮我把|把)(?:今天|今日)的?(?:那笔|这笔|那期|这期)?(?:帮我|给我)?(?:还|付|交)了(?:吧|呗|啊)?$|` +
	`^(?:please |pls )?(?:pay|i want to pay|i'd like to pay) (?:for |off )?(?:the |my )?(?:[a-z0-9]+ ){0,3}?(?:period|installment|instalment) [0-9]{1,2}\b|` +
	`^(?:please |pls )?(?:pay|i want to pay) (?:the |my )?[0-9]{1,2}th (?:period|installment|instalment)\b`)

// paysAMonth is a month's bill asked to be paid: "还12月的", "把12月份的还
// 了", "pay december's", "pay the january bill" — not one told as paid
// ("我已经还了12月的", "12月的还了"), nor another bill ("刚交了12月的房租").
var paysAMonth = regexp.MustCompile(`^(?:请|帮我|我要|我想|麻烦)?(?:还|付)\s*(?:` + monthDigits + `)\s*月份?的(?:账单|那期|钱)?(?:吧|呗)?$|` +
	`(?:把|帮我把)(?:[^，,。]{0,12}?[^0-9])?(?:` + monthDigits + `)\s*月份?的(?:账单|那期)?(?:帮我)?(?:还|付)(?:掉|了|上)|` +
	`^(?:please |pls )?(?:pay|i want to pay) (?:for |off )?(?:the |my )?` + monthEN + `(?:'s| bill| payment| installment)`)

// monthDigits is a month's number, in digits or Chinese numerals.
const monthDigits = `[0-9]{1,2}|十[一二]?|[一二三四五六七八九]`

var (
	// wholePlanWords say the whole of a plan is to be paid, and
	// allPlansWords all of it or of them — unless a period's bill is named.
	wholePlanWords = []string{"剩下", "剩余", "整个", "全额", "一次", "提前", "整笔", "余下", "直接", "手续费", "滞纳金", "罚息"}
	allPlansWords  = []string{"全部", "所有", "都还", "全还", "分期", "这笔"}
)

// periodOwn is this period's or the overdue bill named as a thing of its
// own: "这个月的", "这期的", "逾期的".
var periodOwn = regexp.MustCompile(`(?:这一?期|本期|当期|这个月|本月|逾期)的`)

// periodNamed is this period named as the thing to pay.
var periodNamed = regexp.MustCompile(`这一?期|本期|当期|这个月|本月|\bthis (?:period|month)\b|\bcurrent period\b`)

// overdueNamed reports the overdue bill named as the thing to pay ("逾期
// 的", "逾期那期", "the overdue one") — not the customer's state ("我逾期
// 了 想结清"), nor a plan not overdue ("没逾期的那个", "the one that isn't
// overdue").
func overdueNamed(l string) bool {
	return overdueThing.MatchString(l) && !containsAny(l, notOverdue...)
}

// notOverdue say a plan is not the overdue one.
var notOverdue = []string{"没逾期", "未逾期", "不是逾期", "没有逾期", "不逾期", "not overdue", "isn't overdue", "isnt overdue", "not the overdue", "not late"}

var overdueThing = regexp.MustCompile(`逾期(?:的|那|这)|还(?:掉|上|一下)?逾期|\b(?:the )?(?:overdue|late|past due) (?:one|bill|period|payment|amount|part)s?\b|` +
	`\bpay (?:all |the |my |everything )?(?:overdue|past due)\b`) // "pay all overdue and the buds" (an English probe)

var periodOnly = regexp.MustCompile(`\b(?:just|only)\b.{0,12}\b(?:overdue|past due|late (?:one|part|period|bill|payment)s?|this month|this period|current period|this bill|the bill)\b`)

// bare is typed text as the word lists hold it: lower case, without the
// spaces and punctuation around it, nor emoji beside words ("还钱😭",
// "💰还钱": a probe got "can't answer"; an emoji alone stays: "👎" is a no).
func bare(text string) string {
	w := strings.ToLower(strings.Trim(halfWidthDigits.Replace(text), edgeMarks))
	if t := strings.TrimFunc(w, emojiOrSpace); t != "" {
		w = t
	}
	for {
		t := w
		for _, p := range politeLeads {
			t = strings.TrimPrefix(t, p)
		}
		for _, p := range politeTails {
			t = strings.TrimSuffix(t, p)
		}
		if t = strings.Trim(t, edgeMarks); t == w || t == "" {
			return w
		}
		w = t
	}
}

// halfWidthDigits writes full-width digits, keycaps and circled numbers as
// ASCII digits: "２" typed with a Chinese input method, "2️⃣" or "②" from
// an emoji keyboard at a list is its second item (probes: "can't answer").
var halfWidthDigits = strings.NewReplacer(digitForms()...)

// digitForms are the replacer's pairs: each form of 0–9 (10 for ⑩), then
// its ASCII digits.
func digitForms() []string {
	var pairs []string
	for d := range 10 {
		ascii := string(rune('0' + d))
		pairs = append(pairs, ascii+"\ufe0f\u20e3", ascii, ascii+"\u20e3", ascii, string(rune('０'+d)), ascii)
		if d > 0 {
			pairs = append(pairs, string(rune('①'+d-1)), ascii, string(rune('❶'+d-1)), ascii)
		}
	}
	return append(pairs, "⑩", "10", "❿", "10", "🔟", "10")
}

// edgeMarks are the spaces and marks bare takes off a message's ends.
const edgeMarks = " !！。.~～?？,，"

// emojiOrSpace is what stands around words without being one: an emoji,
// its variation selector or joiner, a space or a mark.
func emojiOrSpace(r rune) bool {
	return unicode.Is(unicode.So, r) || unicode.Is(unicode.Sk, r) || r == '\ufe0f' || r == '\u200d' ||
		unicode.IsSpace(r) || strings.ContainsRune(edgeMarks, r)
}

// hasHan reports Chinese characters in s.
func hasHan(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
}

// shortSaid reports text of at most n characters — or, with no Chinese in
// it, m letters: English says the same in more.
func shortSaid(t string, n, m int) bool {
	return utf8.RuneCountInString(t) <= n || !hasHan(t) && len(t) <= m
}

// politeLeads and politeTails are said around a yes or a no without
// changing it ("yes pls", "please go ahead", "好哒", "不了谢谢").
var (
	politeLeads = []string{"pls ", "plz ", "please "}
	politeTails = []string{" pls", " plz", " please", " thx", " thanks", " thank you", "谢谢", "谢啦", "啊", "呀", "哒", "啦"}
)

// withoutCourtesy is text without the greetings, "may I ask" and thanks
// around what it asks (a probe: "你好，在吗？我想问下我手机那个分期还有几期
// 没还 谢谢🙏" was unsure, the question alone is answered).
func withoutCourtesy(text string) string {
	return strings.TrimSpace(courtesyTail.ReplaceAllString(courtesyLead.ReplaceAllString(text, ""), ""))
}

var (
	courtesyLead = regexp.MustCompile(`^(?:(?:你好|您好|(?:(?i)hi|hello|hey)\b|在吗|在不在|有人吗)[\s,，.。!！?？~]*)*` +
		// small talk before "顺便问一下": the question after ("你好呀 今天天气真
		// 冷 顺便问一下我是不是逾期了": a probe got "chat is not my thing")
		`(?:[^?？]{0,30}?顺便(?:问一下|问下|问问|请问)[\s,，:：]*)?` +
		// "确认之前我想问下手续费能免吗": the question after (a probe: unsure)
		`(?:在?确认(?:之前|以前|前)[\s,，]*)?` + // not 还款前: "还款前3天提醒我一下" is when
		`(?:我?(?:想|想要)?(?:问下|问一下|请问|咨询一下|咨询下)[\s,，:：]*|(?i:i (?:want|wanted|would like) to ask|quick question)[\s,:]*)?`)
	// neverMindLead: "算了不用了", "不用了", "算了", "never mind," before
	// something else.
	neverMindLead = regexp.MustCompile(`^(?:算了|算啦)?[\s,，。.!！]*(?:不用了|不需要了|不要了|不用啦|先不还了|不还了|先不了)[\s,，。.!！~]+|^(?:算了|算啦)[\s,，。.!！~]+|^(?i:never ?mind|nvm|forget it)[\s,.!]+`)
	courtesyTail  = regexp.MustCompile(`[\s,，.。!！~]*(?:谢谢|多谢|感谢|(?i:thanks|thank you|thx)|🙏)+[\s,，.。!！~🙏]*$`)
)

// afterNeverMind is what text says after a never mind that leads it
// ("算了不用了 我的账单发我": "我的账单发我"); false when none leads it or
// nothing follows.
func afterNeverMind(text string) (string, bool) {
	m := neverMindLead.FindStringIndex(text)
	if m == nil || strings.TrimSpace(text[m[1]:]) == "" {
		return "", false
	}
	return strings.TrimSpace(text[m[1]:]), true
}

// unhesitant is bare text without the hesitation around a no ("wait no",
// "actually wait no", "hmm no thanks", "keep it actually": a probe got
// "can't answer that" and a topic of partners). Only a no is read so: a
// hesitation before an ok is no consent ("oh ok" at a switch, a review),
// and "wait a moment" asks to wait.
func unhesitant(w string) string {
	for {
		t := strings.TrimSuffix(w, " actually")
		for _, lead := range []string{"actually", "wait", "hmm", "hm", "oh", "oops", "um", "uh"} { // "wait, actually keep it"
			if u, ok := strings.CutPrefix(t, lead); ok && (u == "" || strings.ContainsRune(" ,.…", rune(u[0]))) {
				t = strings.TrimLeft(u, " ,.…")
			}
		}
		for _, lead := range []string{"等等", "等一下", "等一等", "稍等", "呃", "额", "哎呀", "哎"} { // "等等 先别确认" (a probe)
			if u, ok := strings.CutPrefix(t, lead); ok {
				t = strings.TrimLeft(u, " ，,。、…~")
			}
		}
		if t == "" {
			return w // a hesitation alone ("wait") is a wait, read elsewhere
		}
		if t == w {
			return w
		}
		w = t
	}
}

// letters is text without spaces, punctuation and symbols, in lower case:
// the words a message is made of, run together.
func letters(text string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, text)
}

// withoutWords removes each of words from s in turn (longer words first
// in the list), and reports whether any was there: what is left of a
// message that should be made of those words alone.
func withoutWords(s string, words []string) (string, bool) {
	found := false
	for _, w := range words {
		if strings.Contains(s, w) {
			s, found = strings.ReplaceAll(s, w, ""), true
		}
	}
	return s, found
}

// underWay reports a step whose action was confirmed and is under way: it
// cannot be taken back.
func underWay(state string) bool {
	return state == "paying" || state == "cancelling" || state == "submitting"
}

// declineStep answers a "no" to the step in front of the customer: they
// leave it, told plainly what was not done; an action already under way
// cannot be taken back, and they are told so.
func (s *Step) declineStep() error {
	if underWay(s.conv.State) {
		s.say(s.T("decline.under_way"), s.next(s.menuBtn(s.T("menu.messages"), "messages"))...)
		return nil
	}
	key, note := "decline.done", ""
	switch s.conv.Flow {
	case "repay", "pay":
		key = "decline.nothing_paid"
	case "cancel":
		key = "decline.schedule_kept"
		var err error
		if note, err = s.keptBookingNote(); err != nil {
			return err
		} else if note != "" {
			key = "decline.schedule_kept_gap" // not "会按原定时间扣款" of one on a frozen card (a probe)
		}
	case "close":
		key = "decline.no_closure"
	case "autopay", "cards":
		key = "decline.nothing_changed"
	}
	identifying := s.conv.Flow == "identify"
	s.leave()
	if identifying { // only a message of its own can take the contact keyboard down
		s.reply(supportbot.Reply{Text: s.T(key), RemoveKeyboard: true})
		s.menu("menu.again")
		return nil
	}
	if note != "" {
		s.say(s.T(key)+note, s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...)
		return nil
	}
	s.declined(key)
	return nil
}

// keptBookingNote is keptNote of the booking picked at the cancellation
// being declined, "" for none.
func (s *Step) keptBookingNote() (string, error) {
	views, err := scheduledViews(s)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(views, func(v *scheduledView) bool { return v.ID == s.slots.Scheduled && v.Live() })
	if s.slots.Scheduled == "" || i < 0 {
		return "", nil
	}
	return views[i].note(s)
}

// withoutNo is text without a no that leads it ("算了 还是提前还清吧",
// "不了 直接结清", "no, pay it off"): what it asks instead.
func withoutNo(text string) string {
	return strings.TrimSpace(leadingNo.ReplaceAllString(strings.ToLower(strings.TrimSpace(text)), ""))
}

var leadingNo = regexp.MustCompile(`^(?:算了|不了|不用了|不要了|还是算了|no|nah|nope|never mind|actually)[，,。.!！\s]*(?:还是|那就|那)?`)

// declined says what a no left as it was, with the way on.
func (s *Step) declined(key string) {
	s.say(s.T(key), s.next(s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...)
}

func (e *Engine) route(s *Step) error {
	ev := s.ev
	switch {
	case e.cfg.AgentChatID != 0 && ev.ChatID == e.cfg.AgentChatID:
		return e.staffStep(s)
	case ev.Kind == supportbot.EventSettled:
		return e.settle(s)
	case ev.Kind == supportbot.EventCore:
		return e.coreEvent(s)
	case ev.Kind == supportbot.EventAgent:
		return agentEvent(s)
	case ev.Kind == supportbot.EventMember:
		return memberEvent(s)
	case ev.Kind == supportbot.EventUndelivered:
		return undeliveredEvent(s)
	case ev.Kind == supportbot.EventPhoneClaimed:
		phoneClaimed(s)
		return nil
	}
	if s.returned {
		if err := closedWhileAway(s); err != nil {
			return err
		}
		if err := backAtTheDesk(s); err != nil {
			return err
		}
	}
	if s.conv.Flow == "agent" { // handed off: the person answers, not the bot
		if relayed, err := relayToAgent(s); relayed || err != nil {
			return err
		}
	}
	if ev.Kind == supportbot.EventEdit {
		// A correction ("提前换款要手续费吗" made "我想转人工"): with
		// nothing waiting, the corrected words are answered; at a step
		// they move nothing (an edited 确认 confirms no quote), and the
		// customer is told to send them again.
		text := strings.TrimSpace(ev.Text)
		switch {
		case text == "" || ev.Masked:
			return nil
		case s.conv.Flow != "":
			s.say(s.T("edit.resend"))
			return nil
		}
		if ran, err := e.typedCommand(s, text); ran || err != nil { // "你好" edited into "/repay"
			return err
		}
		return s.freeText(text)
	}
	if ev.Masked {
		// A card or ID number was typed (and masked before anything kept it):
		// the bot never needs one.
		s.audit("card_number_refused", map[string]any{"flow": s.conv.Flow})
		if s.conv.Flow == "close" && s.conv.State == "verifying" {
			// A whole ID number at the closure's ID step: only its last 4
			// are asked, the step waiting (a probe got the notice alone).
			s.say(s.T("cards.never_share")+"\n\n"+s.T("closure.id_last4_only"), []supportbot.Button{s.cancelBtn(), s.humanBtn()})
			return nil
		}
		s.say(s.T("cards.never_share"), []supportbot.Button{s.humanBtn(), s.menuBtn(s.T("btn.menu"), "menu")})
		if ev.Kind == supportbot.EventText && s.conv.State == "quoted" && s.slots.Quote != nil &&
			containsAny(strings.ToLower(ev.Text), "卡", "card", "用", "with") {
			// "我用6222…这张卡付" at a quote: a card asked for by its whole
			// number, which the quote is not on (a probe: only the warning,
			// and the 确认 after it paid from the quote's card).
			_, err := quoteOnCardSaid(s, s.conv.Flow, ev.Text)
			return err
		}
		if ev.Kind == supportbot.EventCommand {
			// "/agent 卡号 6222… 被扣了两次": the command still runs, on
			// the masked words (a probe: the person asked for never came).
			return e.command(s, ev.Text, strings.TrimSpace(ev.Args))
		}
		if (ev.Kind == supportbot.EventText || ev.Kind == supportbot.EventMedia) && s.conv.Flow == "" {
			// "我卡号6222… 这张卡为什么扣不了钱": the question is still
			// answered (a photo's caption too).
			rest := strings.TrimSpace(supportbot.MaskedSecret.ReplaceAllString(ev.Text, ""))
			rest = cardLeftBehind.ReplaceAllString(rest, "") // "pay the tv with my card 6222…": the payment (an English probe: unsure)
			if utf8.RuneCountInString(rest) >= 4 {
				return s.freeText(rest)
			}
		}
		return nil
	}
	if ev.Kind != supportbot.EventMedia {
		// Misses counts messages not understood in a row: a command, a
		// button or words are understood unless missed below (s.misses
		// keeps the count before them).
		s.conv.Misses = 0
	}
	switch ev.Kind {
	case supportbot.EventCommand:
		return e.command(s, ev.Text, strings.TrimSpace(ev.Args)) // lower-cased in prepare
	case supportbot.EventButton:
		return e.button(s, ev.Data)
	case supportbot.EventContact:
		return linkContact(s)
	case supportbot.EventText:
		if ev.Forwarded && strings.HasPrefix(strings.TrimSpace(ev.Text), "/") {
			// A command forwarded from elsewhere is someone's words: not
			// run as the sender's (a probe opened a ticket with one).
			s.say(s.T("step.forwarded_command"), s.menuRows()...)
			return nil
		}
		// The rating step takes its words itself: they may have been
		// written to the agent as they closed (rateFlow says so).
		stepped := s.conv.Flow != "" && s.conv.Flow != "rate"
		if stepped && s.conv.State == "quoted" && s.slots.Quote != nil && s.confirmWithMore(ev.Text) {
			return nil
		}
		if s.conv.Flow == "repay" && !underWay(s.conv.State) && paysPeriodOnly(ev.Text) {
			// "算了 只还逾期的那一期就行" at a payoff: not a no to paying, but
			// the bill of the plan instead of all of it — on the card the
			// payoff was moved to (an audit: back on the one left, unsaid).
			s.cardKept = s.slots.Card
			plan, err := s.planOfOtherQuote(ev.Text) // "只还笔记本这期" at the phone's payoff: the laptop's (a probe paid the phone's bill)
			if err != nil {
				return err
			}
			if plan != s.slots.Plan {
				s.cardKept = ""
				return s.startFlow("pay", plan)
			}
			if quoted, err := s.plan(plan); err != nil {
				return err
			} else if l := strings.ToLower(ev.Text); quoted != nil && !slices.ContainsFunc(quoted.Bills, func(b supportbot.Bill) bool { return b.Overdue(s.today) }) {
				// "还是先还逾期的吧" at the pad's payoff, the phone overdue:
				// the phone's bill (an audit got the pad's bill due today).
				open, err := s.openPlans()
				if err != nil {
					return err
				}
				if i := overdueSaid(l, open, s.today); i > 0 {
					plan = open[i-1].ID
				}
			}
			return s.startFlow("pay", plan)
		}
		var refused refused // "don't pay off the laptop"; putOff: "maybe next month" at a step waiting for a yes
		var putOff bool
		if stepped {
			refused, putOff = refusalIn(ev.Text), waitsForYes(s.conv.State) && (putsOff(ev.Text) || putsOff(unhesitant(bare(ev.Text))))
		}
		if s.conv.Flow == "cancel" && s.conv.State == "confirming" && correctionMark.MatchString(strings.ToLower(ev.Text)) {
			// "no, the phone one": another booking meant, not a no to this
			// one (a probe kept the booking; the Chinese corrections switch).
			if v, err := otherBookingMeant(s, ev.Text); err != nil || v != nil {
				if err != nil {
					return err
				}
				_, err = e.inFlow(s, action{Name: "pick", Arg: v.ID})
				return err
			}
		}
		if stepped && s.conv.State == "quoted" {
			if said, err := laterLeftOutAtQuote(s, ev.Text); err != nil || said {
				return err // "下期不用还" at this period's quote: not in it, the quote waiting
			}
		}
		if stepped && s.conv.State == "quoted" && s.slots.Quote != nil && putsOffBeside(s, ev.Text) {
			// "剩下的以后再说", "卡的事下次再说" at a bill's quote: something
			// else put off, the quote still this one's to confirm (a replay
			// dropped it as a no) — not the quoted thing itself ("这期的事以
			// 后再说", "平板的事以后再说", "剩下的…" at a payoff's quote: a no).
			s.say(s.confirmHow())
			return nil
		}
		dropped := s.conv.Flow == "cancel" && waitsForYes(s.conv.State) && dropsBooking(bare(ev.Text)) // "不要了 取消吧": a go-ahead, below
		if s.conv.State == "quoted" && s.slots.Quote != nil && declines(ev.Text) {
			if other := otherQuoteAsked(s.conv.Flow, withoutNo(ev.Text)); other != "" {
				// "算了 还是提前还清吧" at a bill's quote: not a no, the
				// other quote of the plan (a probe: the quote dropped).
				plan, err := s.planOfOtherQuote(ev.Text)
				if err != nil {
					return err
				}
				return s.startFlow(other, plan)
			}
		}
		if stepped && waitsForYes(s.conv.State) {
			rest, ok := afterNeverMind(ev.Text)
			if ok && (moneyAnswerOf(rest, nil) == confirmsMoney || aboutConfirming(confirmForm(bare(rest)))) { // not "不用了，好的": a no
				s.say(s.confirmHow()) // "算了 确认吧" after a question: the 确认 asked for alone (a probe: "OK, no payment")
				return nil
			}
			if ok && containsAny(strings.ToLower(ev.Text[:len(ev.Text)-len(rest)]), "不用", "不要", "不需要", "不还", "先不", "never", "nvm", "forget") && s.conv.Flow != "cancel" &&
				!declines(rest) && !declines(ev.Text) && otherQuoteAsked(s.conv.Flow, rest) == "" { // "不用了 谢谢": the no alone, below; "不用了，取消吧" at a booking: a go-ahead
				// "不用了，我想问下还款日", "算了不用了 我的账单发我" at a
				// quote: a no, then what is asked (a probe: how to confirm
				// alone, or unsure — the quote kept, and the next 确认 paid)
				if err := s.declineStep(); err != nil {
					return err
				}
				return s.freeText(rest)
			}
		}
		if stepped && (declines(ev.Text) && !dropped || slices.Contains(refused.flows(), s.conv.Flow) || putOff ||
			s.conv.Flow == "cancel" && saysKeep(ev.Text)) {
			if (refused == refusesPaying || putOff) && s.conv.State == "quoted" {
				// "笔记本不提前还", "笔记本的以后再说" at the phone's quote:
				// the laptop is left, and the quote in front of them stays.
				if p, err := otherPlanLeft(s, ev.Text); err != nil || p != nil {
					if err == nil {
						s.say(s.T("repay.other_left", "product", p.Product) + "\n" + s.confirmHow())
					}
					return err
				}
			}
			return s.declineStep() // "no", "don't pay off the laptop" at its payoff, "maybe next month" at a quote
		}
		if stepped && s.conv.Flow != "identify" && (waitWords[bare(ev.Text)] || waitWords[unhesitant(bare(ev.Text))] || consultsFirst.MatchString(bare(ev.Text))) { // "等一下，我再想想", "hmm wait", "我先跟我老婆商量一下"
			if underWay(s.conv.State) {
				return s.declineStep() // "wait" once confirmed: under way, and said so
			}
			s.say(s.T("step.waiting")) // "等等": the step stays as it is, its buttons too
			return nil
		}
		if stepped && s.conv.State == "choosing" && wordless(ev.Text) && talkOf(ev.Text) != "thanks" {
			// "😭😭😭" at a list to pick from (a payment's, a booking's): it
			// still waits (a probe: the menu, the step dropped). A list to
			// look at (cards, auto-repayment) takes a 🙏 as thanks.
			s.say(s.T("step.pick_first"))
			return nil
		}
		if w := bare(ev.Text); stepped && s.misses >= 2 && (takesOffer[w] || acks(confirmForm(w)) || !waitsForYes(s.conv.State) && agrees(ev.Text)) {
			// "要" to "要不要转人工客服？", asked at a step after two
			// messages not understood: a person, not a yes to the step
			// (确认 stays the step's, asked again) — nor, at a list, "pick
			// one first" (a probe).
			return s.startFlow("agent", "")
		}
		if stepped && s.slots.Aside && waitsForYes(s.conv.State) && bareYes(ev.Text) {
			// "怎么取消预约还款" answered at a payoff quote, then "确认":
			// that may be for the answer. The step is asked again.
			s.say(s.T("step.aside") + "\n" + s.confirmHow())
			return nil
		}
		if stepped && (s.conv.State == "choosing" || s.conv.Flow == "autopay" && s.conv.State == "listed") && (saysYes(ev.Text) || clippedOks[bare(ev.Text)]) {
			// "确认" at a list to pick from: nothing to confirm yet — the
			// list still waits for a pick (not "nothing is waiting").
			s.say(s.T("step.pick_first"))
			return nil
		}
		if stepped && waitsForYes(s.conv.State) && saysYes(ev.Text) {
			// A "确认" forwarded, or sent as a reply to an older message
			// (a quote since replaced): not a yes to the step now.
			if lead, err := s.notToThisStep(); err != nil || lead != "" {
				if err == nil {
					s.say(s.T(lead) + "\n" + s.confirmHow())
				}
				return err
			}
		}
		if ok, err := e.inFlow(s, action{}); ok || err != nil {
			return err
		}
		text := strings.TrimSpace(ev.Text)
		if s.conv.State == "confirming" && aboutConfirming(confirmForm(bare(text))) {
			// "确认开启", "确认更换吗" at a setting: its button says it.
			s.say(s.stepConfirmHow())
			return nil
		}
		if waitsForYes(s.conv.State) {
			// "扣吧", "do it", "对 取消掉" — and "取消" at "cancel this
			// booking?" — mean yes, and "好的谢谢" is content, but neither
			// is the step's 确认: it still waits, and says how to go on.
			if other := otherQuoteAsked(s.conv.Flow, text); other != "" && s.slots.Quote != nil {
				// "还是还本期吧" at a payoff's quote, "全部还清" at a bill's:
				// the same plan's other quote — never "type 确认 to pay"
				// the one they just turned from (a probe).
				plan, err := s.planOfOtherQuote(text)
				if err != nil {
					return err
				}
				return s.startFlow(other, plan)
			}
			l := strings.ToLower(text)
			atMoneyQuote := (s.conv.Flow == "pay" || s.conv.Flow == "repay") && s.slots.Quote != nil
			if atMoneyQuote && !asksPayoff(l) && !feeAsked(l) && !amountAsked.MatchString(l) &&
				(partSaid.MatchString(l) || amountSaid.MatchString(l) && !strings.Contains(strings.ReplaceAll(l, ",", ""), strings.NewReplacer("¥", "", ",", "").Replace(money(s.slots.Quote.Amount)))) {
				// "我想先还一部分 500块", "先还100" at a quote: a payment here is
				// whole, said, the quote still waiting (a money probe was
				// only told how to confirm the whole of it).
				s.say(s.T("pay.whole_only") + "\n" + s.confirmHow())
				return nil
			}
			if atMoneyQuote && laterAtQuote.MatchString(l) && paySaid(l) && !asks(text) && !describesAPlan(l) {
				return s.declineStep() // "晚点帮我还这期" at its quote: later, not now (a walk: how to confirm, and a 确认 paid)
			}
			named, err := planNamed(s, text) // "pay off the laptop" at the phone's quote: that plan's, below
			if err != nil {
				return err
			}
			if named == nil || named.ID == s.slots.Plan {
				if said, err := beyondAtQuote(s, text); err != nil || said {
					return err
				}
			}
			switch talk := talkOf(text); {
			case goesAhead(text, s.conv.Flow == "cancel"), named == nil && asksForTheStep(text, s.conv.Flow), talk == "ok", talk == "thanks", asksHowToConfirm(text),
				clippedOks[bare(text)], wordless(text), asksIfRight.MatchString(bare(text)):
				s.say(s.confirmHow())
				return nil
			case talk == "bye": // leaving: told what was not done
				return s.declineStep()
			}
		}
		if s.wantsOut(text) {
			return s.cancel()
		}
		if s.wantsHuman(text) {
			return s.startFlow("agent", "")
		}
		s.slots.Aside = stepped // a new flow started here starts its slots afresh
		return s.freeText(text)
	default:
		if ok, err := e.inFlow(s, action{}); ok || err != nil {
			return err
		}
		if ev.AlbumItem { // an album is answered once
			return nil
		}
		if s.conv.Flow == "identify" { // a sticker while the contact is awaited: the button still is
			askContact(s, "identify.press_button")
			return nil
		}
		if s.conv.Flow != "" {
			// At a step (a quote): not the whole menu, as if it were over —
			// it still waits, and says how to go on; a caption moves nothing.
			text := s.T("media.unsupported")
			if waitsForYes(s.conv.State) {
				text += "\n" + s.confirmHow()
			}
			s.say(text)
			return nil
		}
		if caption := strings.TrimSpace(ev.Text); ev.Kind == supportbot.EventMedia && utf8.RuneCountInString(caption) >= 2 {
			// "我的账单怎么多扣了钱" under a screenshot: the words are
			// answered, and the customer told the picture was not read.
			s.say(s.T("media.caption_only"))
			if !ev.Forwarded { // someone's words, not a command of the sender's
				if ran, err := e.typedCommand(s, caption); ran || err != nil {
					return err
				}
			}
			return s.freeText(caption)
		}
		s.say(s.T("media.unsupported"), s.menuRows()...)
		return nil
	}
}

// beside runs a one-step flow — the bill ("when is it due?" at a quote),
// reminders ("remind me 2 days before") — at a step waiting for a yes, and
// keeps the step: that flow reads and sets nothing the step holds, and the
// quote was the customer's to confirm still. How to go on is said below.
func (s *Step) beside(name, arg string) error {
	sp := s.e.flows[name]
	if ok, err := s.linked(); err != nil || !ok {
		return s.startFlow(name, arg) // the chat is someone else's now: the step goes
	}
	s.prefetchFor(sp)
	flow, state, nonce, kept := s.conv.Flow, s.conv.State, s.conv.Nonce, s.slots
	s.reset() // not left: it is back once the other has answered
	s.e.metrics.Flow(name, "started")
	if err := sp.start(s, arg); err != nil {
		return err
	}
	s.conv.Flow, s.conv.State, s.conv.Nonce, s.slots = flow, state, nonce, kept
	s.say(s.confirmHow())
	return nil
}

// typedCommand runs text as a command when it is one ("/repay", "/lang
// en") that came some other way than as a command: an edit, a caption.
func (e *Engine) typedCommand(s *Step, text string) (bool, error) {
	cmd, ok := strings.CutPrefix(text, "/")
	if !ok {
		return false, nil
	}
	name, args, _ := strings.Cut(cmd, " ")
	name, _, _ = strings.Cut(name, "@")
	return true, e.command(s, strings.ToLower(name), strings.TrimSpace(args))
}

// inFlow offers the event to the flow the chat is in; a flow that needs the
// customer first checks that the chat is still theirs.
func (e *Engine) inFlow(s *Step, a action) (bool, error) {
	sp := e.flows[s.conv.Flow]
	if sp == nil || sp.handle == nil {
		return false, nil
	}
	if sp.needsCustomer {
		s.prefetchFor(sp)
		if ok, err := s.linked(); err != nil {
			return true, err
		} else if !ok {
			return true, startIdentify(s, sp.name, "")
		}
	}
	ok, err := sp.handle(s, a)
	if ok {
		s.slots.Aside = s.askedAside // the step took it: whatever comes next is for it, unless it was a question quoted
	}
	return ok, err
}

// notToThisStep is why a yes typed at a step waiting for one is not an
// answer to it — the key of what to say — or "": forwarded (someone's
// words), typed while the step's message still waited to be sent, or a
// reply to a message older than the one showing the step. (A yes typed
// just before the step's message was sent is not told apart: the message
// ids and dates a client sends are not relied on to order the two.)
func (s *Step) notToThisStep() (string, error) {
	if s.ev.Forwarded {
		return "step.forwarded", nil
	}
	if s.ev.RepliedElsewhere {
		return "step.replied_elsewhere", nil
	}
	shown, err := s.e.st.StepMessage(s.ctx, s.ev.ChatID, s.conv.Nonce)
	if err != nil {
		return "", err
	}
	if s.ev.ReplyTo == 0 {
		if shown != 0 { // sent: the sender records it at once, before its batch of sent marks
			return "", nil
		}
		// A probe: a quote still waiting behind other replies (one message
		// a second per chat) was paid by a "确认" typed under the one
		// before it, for another plan and amount.
		waiting, err := s.e.st.ChatMessages(s.ctx, s.ev.ChatID)
		if err != nil {
			return "", err
		}
		if slices.ContainsFunc(waiting, func(m supportbot.OutboxMessage) bool { return m.Reply.Nonce == s.conv.Nonce }) {
			return "step.not_shown", nil
		}
		return "", nil
	}
	// Only a reply to a message older than the step's is to something
	// else: a quote it replaced came before it. Replies to the step, or to
	// what the bot said since ("回复「确认」"), stand. Where the step's
	// message is not recorded yet (a reply the moment it arrived, before
	// the sender wrote its id down), which one was replied to cannot be
	// told: asked again, the safe side for a yes that may move money.
	if shown != 0 && s.ev.ReplyTo >= shown {
		return "", nil
	}
	return "step.replied_other", nil
}

// saysYes reports text that would confirm a step: a yes or a confirm word,
// a step's own included ("确认还款", "确认取消").
func saysYes(text string) bool {
	w := confirmForm(bare(text))
	return bareYes(text) || payoffConfirms[w] || cancelConfirms[w]
}

// waitsForYes reports a state a typed "确认" or "yes" moves on: a quote, or
// a confirmation (of a cancellation, a setting, a closure's consequences).
func waitsForYes(state string) bool { return state == "quoted" || state == "confirming" }

// quoteConfirmHow says how to confirm the quote of amount, naming the
// plan quoted (a probe: after another plan's schedule was shown at a
// laptop's quote, "要支付 ¥5,074.17" alone, and a 确认 paid the laptop).
func (s *Step) quoteConfirmHow(amount supportbot.Money) string {
	if p, err := s.plan(s.slots.Plan); err == nil && p != nil {
		return s.T("repay.confirm_how_of", "amount", money(amount), "product", p.Product)
	}
	return s.T("repay.confirm_how", "amount", money(amount))
}

// confirmHow says how to confirm the step the chat is at. It is said to
// the customer, so the step is in front of them again: a yes after it is
// for the step, whatever was answered before (Aside is cleared).
func (s *Step) confirmHow() string {
	s.slots.Aside = false
	switch {
	case s.conv.State == "quoted" && s.slots.Quote != nil:
		how := s.quoteConfirmHow(s.slots.Quote.Amount)
		if s.ev.Kind == supportbot.EventText && saysPaidAlready(s.ev.Text) {
			// "等等 我老公已经还了": the bill still says unpaid — maybe on its
			// way; a 确认 would pay it again (a replay: told only how to
			// confirm, and it paid).
			how = s.T("pay.said_paid_at_quote") + "\n" + how
		}
		return how
	case s.conv.Flow == "cancel":
		return s.T("cancel.confirm_how")
	}
	return s.stepConfirmHow()
}

// planOfOtherQuote is the plan the other kind of quote asked at a quote is
// of: the plan text names — "手环提前结清" at the phone's bill is the
// band's payoff (a fault probe: the phone's, and a 确认 paid it off) —
// none when it names a kind the quoted plan is not and no one plan of it
// (the list, to pick from), and otherwise the plan quoted.
func (s *Step) planOfOtherQuote(text string) (string, error) {
	p, err := openPlanSaid(s, text)
	if err != nil || p != nil {
		if p != nil {
			return p.ID, nil
		}
		return "", err
	}
	if kind, _ := kindSaid(bare(text)); kind >= 0 {
		if q, err := s.plan(s.slots.Plan); err != nil || q == nil || kindShown(q.Product) != kind {
			return "", err
		}
	}
	return s.slots.Plan, nil
}

// putsOffBeside reports text at a quote that only puts off something
// beside it: another part or matter, no plan named (another plan named is
// otherPlanLeft's), nor this period, nor another part at a payoff's quote
// — the quote itself put off.
func putsOffBeside(s *Step, text string) bool {
	l := strings.ToLower(text)
	if len(clausesOf(l)) != 1 || !putsOffElse(l) || len(verbsIn(l)) > 0 && !otherMatter.MatchString(l) || asks(text) {
		return false
	}
	if kind, _ := kindSaid(bare(l)); kind >= 0 || periodNamed.MatchString(l) {
		return false
	}
	// At a payoff's quote, the rest and paying off are what is quoted.
	return s.slots.Quote.Kind == supportbot.QuoteBill || !containsAny(l, otherPart...) && !asksPayoff(l)
}

// saysPaidAlready reports a payment said made already, by the customer or
// someone ("我老公已经还了", "我昨天已经还了", "i already paid it").
func saysPaidAlready(text string) bool {
	l := strings.ToLower(text)
	return !asks(text) && (paidByWhom(l) || containsAny(l, "已经还", "已经付", "已经交", "已经扣", "还过了", "付过了", "already paid", "already pay") ||
		paidSaid.MatchString(l) && containsAny(l, "了", "过", "paid")) // "我昨天已经在app还了" (a probe: told how to confirm alone, and it paid)
}

// stepConfirmHow says how to confirm a setting's step, naming its own
// button for leaving it ("不改了", "Keep the current one"), not one it
// does not have.
func (s *Step) stepConfirmHow() string {
	leave := "btn.cancel"
	if sp := s.e.flows[s.conv.Flow]; sp != nil && sp.keep != "" {
		leave = sp.keep
	}
	return s.T("step.confirm_how", "leave", s.T(leave))
}

func (e *Engine) command(s *Step, cmd, args string) error {
	switch cmd {
	case "start", "menu":
		if cmd == "start" && args != "" {
			// A deep link's payload (t.me/bot?start=repay, ?start=en): the
			// flow or the language it names, when it names one of ours.
			if name, ok := commands[strings.ToLower(args)]; ok {
				s.lead = s.stepLeft() // a step half done is told closed, as by /start alone (a probe)
				return s.startFlow(name, deepLinkArgs[name])
			}
			if langNamed(args) != "" {
				return s.setLang(args)
			}
		}
		if left := s.stepLeft(); left != "" { // a step half done is not left to look open (a probe: an ID check)
			s.lead = left
		}
		if s.conv.Flow == "identify" { // the contact keyboard is up: only a message of its own takes it down (see cancel)
			s.reply(supportbot.Reply{Text: s.T("leave.done"), RemoveKeyboard: true})
		}
		s.leave()
		s.menu("menu.greeting")
		return s.prependAnnouncement()
	case "help":
		s.slots.Aside = s.conv.Flow != "" // read while a step waits: a yes next may be for it
		s.say(s.T("help"), s.menuRows()...)
	case "lang":
		if args == "" {
			s.slots.Aside = s.conv.Flow != "" // the chooser, read while a step waits
		}
		return s.setLang(args)
	case "cancel":
		return s.cancel()
	case "logout":
		return s.logout()
	case "end":
		// /end ends a chat with a person; the chat reached here is with the
		// bot already (the ticket was closed, or there never was one).
		s.slots.Aside = s.conv.Flow != ""
		s.say(s.T("agent.end_none"), s.menuRows()...)
	default:
		if name, ok := commands[cmd]; ok {
			if sp := s.e.flows[name]; sp != nil && sp.needsCustomer && args != "" {
				// "/bill 13900139000", "/remind my wife", "/bill 5240607345678"
				// (another's order): not the chat's customer.
				if namedAlone(args) || s.personAlone(args) {
					s.ownOnly(s.T("others.own_only"))
					return nil
				}
				if other, err := s.forSomeoneElse(args); err != nil || other {
					return err
				}
			}
			return s.startFlow(name, args)
		}
		s.slots.Aside = s.conv.Flow != ""
		s.say(s.T("command.unknown"), s.menuRows()...)
	}
	return nil
}

func (e *Engine) button(s *Step, data string) error {
	c, err := DecodeCallback(data)
	if err != nil {
		s.expired()
		return nil
	}
	if c.Keep {
		s.target = 0 // the message it is under stays as it is
	}
	switch c.Kind {
	case CallbackMenu:
		if c.Flow == "menu" {
			s.leave()
			s.menu("menu.again")
			return nil
		}
		if c.Flow == "rate" {
			return rateLater(s, c.Arg)
		}
		if _, ok := e.flows[c.Flow]; ok {
			return s.startFlow(c.Flow, c.Arg)
		}
	case CallbackView:
		s.slots.Aside = s.conv.Flow != "" // a topic read while a step waits
		return s.view(c.Flow, c.Arg)
	case CallbackLang:
		return s.setLang(c.Arg)
	case CallbackLeave:
		if c.Nonce != "" && c.Nonce != s.conv.Nonce {
			s.pressed = c.Nonce
			s.expired() // the Back of a step that is over: nothing to leave
			return nil
		}
		return s.cancel()
	case CallbackStep:
		sp := e.flows[c.Flow]
		if sp == nil {
			break
		}
		a := action{Name: c.Action, Arg: c.Arg, Nonce: c.Nonce}
		s.pressed = c.Nonce
		if c.Nonce != s.conv.Nonce || c.Flow != s.conv.Flow {
			// A stale button: the message it is on has moved on since (the
			// first press of a double tap made it the next step, the
			// working message or the outcome). Whatever the answer, it
			// comes as a new message rather than overwriting that.
			s.target = 0
			if sp.stale != nil && s.conv.CustomerID != "" {
				if ok, err := sp.stale(s, a); ok || err != nil {
					return err
				}
			}
			break
		}
		a.Arg = s.chosen(a.Arg)
		if ok, err := e.inFlow(s, a); ok || err != nil {
			return err
		}
		// An action the live step has not (forged): as any press that
		// cannot be read, the step's message stays (see expired).
	}
	s.expired()
	return nil
}

// startFlow starts a flow, first identifying the chat if the flow needs a
// customer; Identify resumes it afterwards.
func (s *Step) startFlow(name, arg string) error {
	sp := s.e.flows[name]
	if sp == nil {
		s.say(s.T("command.unknown"), s.menuRows()...)
		return nil
	}
	if sp.needsCustomer {
		s.prefetchFor(sp)
		if ok, err := s.linked(); err != nil {
			return err
		} else if !ok {
			return startIdentify(s, name, arg)
		}
	}
	if s.conv.Flow != "" {
		s.from = s.conv.Flow + "/" + s.conv.State
	}
	if s.conv.State == "quoted" && s.slots.Quote != nil {
		s.quoteLeft = s.slots.Plan
	}
	if left := s.stepLeft(); left != "" && s.lead == "" &&
		(name == "agent" || s.ev.Kind == supportbot.EventCommand && name != "pay" && name != "repay") { // a payment's own quote says what it replaced
		// "转人工" at a quote, or /bill: told it is closed, nothing paid (a
		// probe: gone without a word, and the 确认 after it found nothing).
		s.lead = left
	}
	s.leave()
	s.conv.Misses = 0
	s.e.metrics.Flow(name, "started")
	if (name == "pay" || name == "repay") && s.ev.Kind == supportbot.EventText && walletNamed(s.ev.Text) {
		// "我要用微信还这期": a card pays here, said above the list or the
		// quote (a probe: a card's quote, not a word of WeChat)
		s.lead = s.T("repay.card_only")
	}
	return sp.start(s, arg)
}

func (s *Step) cancel() error {
	if s.conv.Flow == "" {
		s.say(s.T("leave.nothing"), s.menuRows()...)
		return nil
	}
	if underWay(s.conv.State) {
		// Confirmed already: leaving now would say "nothing was changed"
		// while the money moves (a probe: /cancel sent right after 确认).
		return s.declineStep()
	}
	identifying := s.conv.Flow == "identify"
	s.leave()
	if identifying {
		// The contact keyboard may still be up: only a message of its own
		// can take a reply keyboard down.
		s.reply(supportbot.Reply{Text: s.T("leave.done"), RemoveKeyboard: true})
		s.menu("menu.again")
		return nil
	}
	s.lead = s.T("leave.done")
	s.menu("menu.again")
	return nil
}

func (s *Step) logout() error {
	if s.conv.CustomerID == "" {
		s.say(s.T("logout.not_linked"), s.menuRows()...)
		return nil
	}
	s.audit("logout", nil)
	left := s.stepLeft() // a quote or a check half done: not left to look open (a probe)
	s.leave()
	s.forgetCustomer()
	if left != "" {
		left += "\n\n"
	}
	s.say(left+s.T("logout.done"), s.next()...)
	return nil
}

func (s *Step) setLang(arg string) error {
	langBtns := []supportbot.Button{
		s.button("中文", Callback{Kind: CallbackLang, Arg: "zh"}), s.button("English", Callback{Kind: CallbackLang, Arg: "en"})}
	same := false
	switch lang := langNamed(arg); {
	case lang != "":
		same = lang == s.conv.Lang
		s.conv.Lang = lang
	case s.ev.Kind == supportbot.EventButton:
		// Our buttons name zh or en: another is forged, and a live quote
		// it was pressed on stays on screen (a probe: the chooser took
		// its place, and a typed 确认 paid it).
		s.expired()
		return nil
	case strings.TrimSpace(arg) == "":
		s.say(s.T("lang.choose"), langBtns)
		return nil
	default:
		s.say(s.T("lang.unknown"), langBtns)
		return nil
	}
	s.conv.LangChosen = true
	switch s.conv.Flow {
	case "":
		s.menu("lang.done")
	case "identify": // asked again, the contact button in the new language
		next, arg := s.slots.Next, s.slots.NextArg
		s.lead = s.T("lang.switched")
		return startIdentify(s, next, arg)
	default:
		if underWay(s.conv.State) {
			// Confirmed already: the outcome is told, in the new language;
			// not "the step was closed" while the money moves (a probe).
			s.say(s.T("lang.done_under_way"), s.next(s.menuBtn(s.T("menu.messages"), "messages"))...)
			return nil
		}
		// The step shown is in the other language: an "ok" typed now must
		// not confirm what the customer no longer sees as the last message.
		// A payment, a booking's cancellation or a switch is shown again
		// in the new language — a new quote on the same card — rather than
		// closed (an operator probe: "/lang zh" at a quote, then 确认: "nothing
		// to confirm"); others are closed, said so.
		flow, plan, card := s.conv.Flow, s.slots.Plan, s.slots.Card
		if same && flow != "pay" && flow != "repay" && flow != "cancel" && flow != "autopay" {
			// The language it is in already: the step kept, not closed for
			// no change (a replay: a closure's ID check lost).
			s.say(s.T("lang.same_step"))
			return nil
		}
		s.leave()
		switch flow {
		case "pay", "repay", "cancel", "autopay":
			if flow == "cancel" || flow == "autopay" {
				plan = ""
			}
			s.cardKept, s.lead = card, s.T("lang.switched")
			return s.startFlow(flow, plan)
		}
		s.menu("lang.done_left")
	}
	return nil
}

// langNamed is the language arg names, as a customer would write it after
// /lang: a code or tag (zh, zh-CN, zh-Hant, en-US), its name in either
// language (中文, 简体中文, 繁體中文, 普通话, Chinese; 英文, 英语, English), or
// the first word of several ("en please") — "" for none of ours.
func langNamed(arg string) supportbot.Lang {
	a := strings.ToLower(strings.TrimSpace(arg))
	a = strings.NewReplacer("_", "-", " ", "").Replace(a)
	switch a {
	case "zh", "cn", "chs", "cht", "chinese", "mandarin", "中文", "汉语", "漢語", "华语", "普通话", "简体", "繁体", "繁體",
		"简体中文", "繁体中文", "繁體中文", "中文简体", "中文繁体", "simplifiedchinese", "traditionalchinese":
		return supportbot.LangZH
	case "en", "eng", "english", "英文", "英语", "英語":
		return supportbot.LangEN
	}
	switch {
	case strings.HasPrefix(a, "zh-"):
		return supportbot.LangZH
	case strings.HasPrefix(a, "en-"):
		return supportbot.LangEN
	}
	if words := strings.Fields(arg); len(words) > 1 { // "/lang en please"
		return langNamed(words[0])
	}
	return ""
}

// menu greets with the main menu.
func (s *Step) menu(key string) {
	s.say(s.T(key), s.menuRows()...)
	s.boiler = append(s.boiler, len(s.out)-1)
}

// deepLinkArgs are the arguments a deep link's flow starts with: a link
// sets, never toggles (t.me/bot?start=remind pressed by a customer with
// reminders on turned them off: a probe).
var deepLinkArgs = map[string]string{"remind": "on"}

// expired answers a button that no longer does anything: a forged one, one
// of an older step, another chat's.
func (s *Step) expired() {
	if s.conv.Flow != "" && (s.pressed == "" || s.pressed == s.conv.Nonce || s.onStepShown()) {
		// A forged or unreadable press on the message of a step that still
		// waits (a quote a typed 确认 would pay): that message stays on
		// screen, and the answer comes below it.
		s.target = 0
		if waitsForYes(s.conv.State) { // and says that step still waits
			s.say(s.T("button.invalid") + "\n" + s.confirmHow())
			return
		}
		s.say(s.T("button.invalid"), s.next()...) // not "start again": the step is still there
		s.boiler = append(s.boiler, len(s.out)-1)
		return
	}
	s.say(s.T("button.expired"), s.next()...)
	s.boiler = append(s.boiler, len(s.out)-1)
}

// onStepShown reports a press on the message that shows the step still
// waiting, whatever step its data names (a forged press carrying an older
// step's: "expired, start again" was said under a quote still payable).
func (s *Step) onStepShown() bool {
	if s.ev.Kind != supportbot.EventButton || s.ev.MessageID == 0 {
		return false
	}
	shown, err := s.e.st.StepMessage(s.ctx, s.ev.ChatID, s.conv.Nonce)
	return err == nil && shown == s.ev.MessageID
}

// next is a short keyboard of the likely next actions under an answer, two
// a row, and the way to the menu: not the whole menu after every reply.
func (s *Step) next(btns ...supportbot.Button) [][]supportbot.Button {
	var rows [][]supportbot.Button
	for i := 0; i < len(btns); i += 2 {
		rows = append(rows, btns[i:min(i+2, len(btns))])
	}
	return append(rows, []supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
}

func (s *Step) menuRows() [][]supportbot.Button {
	other := s.button("English", Callback{Kind: CallbackLang, Arg: "en"})
	if s.conv.Lang == supportbot.LangEN {
		other = s.button("中文", Callback{Kind: CallbackLang, Arg: "zh"})
	}
	return [][]supportbot.Button{
		{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.pay"), "pay")},
		{s.menuBtn(s.T("menu.repay"), "repay"), s.menuBtn(s.T("menu.cancel"), "cancel")},
		{s.menuBtn(s.T("menu.autopay"), "autopay"), s.menuBtn(s.T("menu.cards"), "cards")},
		{s.menuBtn(s.T("menu.close"), "close"), s.menuBtn(s.T("menu.messages"), "messages")},
		{s.humanBtn(), other},
	}
}

// view shows a read-only page named by a view button.
func (s *Step) view(view, arg string) error {
	switch view {
	case "sched":
		return showSchedule(s, arg)
	case "faq":
		if s.showAnswer(arg) {
			return nil
		}
	}
	s.expired()
	return nil
}

// freeText answers text that no flow step was waiting for.
func (s *Step) freeText(text string) error {
	if text == "" {
		s.menu("menu.again")
		return nil
	}
	if s.misses >= 2 && (agrees(text) || takesOffer[bare(text)]) {
		// "yes" to "要不要转人工客服？", the last answer: a person.
		return s.startFlow("agent", "")
	}
	switch talkOf(text) {
	case "hello": // a greeting is not a question the bot failed to answer
		s.conv.Misses = 0
		s.menu("menu.greeting")
		return nil
	case "thanks":
		s.conv.Misses = 0
		s.menu("smalltalk.thanks")
		return nil
	case "bye":
		s.conv.Misses = 0
		s.say(s.T("smalltalk.bye"))
		return nil
	case "menu": // a bare topic word: which of it?
		s.conv.Misses = 0
		s.menu("smalltalk.which")
		return nil
	case "ok": // "好的那就这样吧": nothing asked
		s.conv.Misses = 0
		s.menu("smalltalk.no")
		return nil
	}
	if core := withoutCourtesy(text); core != "" {
		text = core // "你好，在吗？我想问下我手机那个分期还有几期没还 谢谢🙏": the question
	}
	if rest, ok := afterNeverMind(text); ok && s.conv.Flow == "" && !declines(rest) { // "算了 不开了" after a switch: the no's own readers
		text = rest // "转人工" then "算了不用了 我的账单发我": with no step to decline, the question after it (a probe: unsure)
	}
	if l := strings.ToLower(text); bookingMade.MatchString(l) && !containsAny(l, "取消", "撤销", "删", "不要", "不想", "关", "停", "改", "还在", "cancel", "stop", "delete", "remove", "change", "still") {
		// "我想预约下个月25号扣款", "can i book a repayment": no booking is
		// made here — what can be done instead (a probe: "you have no
		// scheduled repayment", the cancellation's list read as theirs).
		s.conv.Misses = 0
		s.say(s.T("cancel.book_not_here"), s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.menuBtn(s.T("menu.autopay"), "autopay"), s.humanBtn())...)
		return nil
	}
	if l := strings.ToLower(text); deviceStillOwed.MatchString(l) && !asksIfFreed(text) && !aboutSomeoneElse(text) && s.showAnswer("hardship") {
		// "my pad broke can i stop paying": the plan stays whatever befell
		// the device (a probe: unsure); "…还要还吗" is asksIfFreed's, with
		// what is due.
		s.conv.Misses = 0
		return nil
	}
	if scamTold(strings.ToLower(text)) && s.showAnswer("scam-warning") {
		// "a guy on telegram asked for my card number and sms code", "对方
		// 让我下载个app共享屏幕": the warning, whatever else the words are
		// near (a probe: a phone number's topic, or unsure) — before any
		// reader of a payment or a card ("有个人让我扫码付333块" got the
		// bill's quote, "客服打电话说…要我把验证码报给他解绑" the cards').
		s.conv.Misses = 0
		s.slots.Last = &lastStep{Flow: scamWarned, At: s.now}
		if l := strings.ToLower(text); s.conv.CustomerID != "" && containsAny(l, "逾期", "overdue") {
			// "接到电话说我征信有问题 是不是因为逾期" from a customer who is
			// overdue: that too, under the warning (a replay: the warning
			// alone, where the build before said she was overdue).
			return s.appendOverdue()
		}
		return nil
	}
	if m := notThisButThat.FindStringSubmatch(strings.TrimSpace(text)); m != nil && utf8.RuneCountInString(strings.Join(m[1:], "")) >= 2 &&
		s.e.cfg.Classifier.Classify(strings.Join(m[1:], "")).Kind != "out_of_scope" {
		// "不是问怎么还款 是问还款日过了还能还吗", "not how to pay, i want to
		// know where to see the due date": what is asked is the rest (an
		// FAQ probe got how to pay) — unless the rest alone reads as not
		// ours: "是问笔记本的手续费" is the prepayment fee's, read whole (a
		// replay: the mall's prices).
		return s.freeText(strings.Join(m[1:], ""))
	}
	if l := bare(text); s.conv.CustomerID != "" && onlyOverdueAsked.MatchString(l) && overdueNamed(l) {
		s.conv.Misses = 0 // "只还逾期的", the words the payoff's quote offers, said on their own (a probe: unsure)
		open, err := s.openPlans()
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(open, func(p supportbot.Plan) bool {
			return slices.ContainsFunc(p.Bills, func(b supportbot.Bill) bool { return b.Overdue(s.today) })
		}) {
			return s.startFlow("bill", askedOverdue) // none overdue: said, with what is owed
		}
		return s.startFlow("pay", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && (lateFeeOfPlan.MatchString(l) && namesAKind(bare(l)) || lateFeeBare.MatchString(l)) && !aboutSomeoneElse(text) && s.showAnswer("late-fee") {
		// "what's the late fee on my band", "手环的滞纳金是多少": the late fee's
		// answer, with the customer's overdue periods and each one's fee
		// (an English probe: unsure).
		s.conv.Misses = 0
		return nil
	}
	if l := strings.ToLower(text); lateFeeCut.MatchString(l) && !aboutSomeoneElse(text) && s.showAnswer("late-fee") {
		s.conv.Misses = 0
		return nil
	}
	if l := strings.ToLower(text); s.conv.Flow == "" && notPaidWhat.MatchString(l) && utf8.RuneCountInString(l) <= 30 && !aboutSomeoneElse(text) && s.showAnswer("overdue-consequences") {
		// "平板再不还会怎么样", "今天不还会怎样", "what happens if i don't
		// pay": what being late brings, with their own overdue (a probe:
		// unsure).
		s.conv.Misses = 0
		return nil
	}
	if latePayable.MatchString(strings.ToLower(text)) && s.showAnswer("overdue-consequences") {
		// "还款日过了还能还吗", "can i still pay after the due date": yes,
		// as soon as possible, with what being late costs (unsure before).
		s.conv.Misses = 0
		return nil
	}
	if rest, ok := s.personTakenBack(text); ok {
		if strings.TrimSpace(rest) != "" {
			return s.freeText(rest) // "转人工？不用了 我的账单多少": the bill
		}
		s.conv.Misses = 0
		s.menu("agent.not_wanted")
		return nil
	}
	if s.personAskedWithWhy(text) && !declinesAgent(text) { // "我要转人工，扣款失败了": the person asked for (not "帮我转人工 算了不用了")
		return s.startFlow("agent", "")
	}
	if l := strings.ToLower(text); orderLabelAsked.MatchString(l) &&
		!containsAny(l, "一直", "还是", "仍然", "还显示", "已经还", "还清了", "结清了", "still", "already", "paid off") { // "还清了还显示还款中": a record's, not the label's
		// "待还款订单在哪", "订单上显示即将还款是啥意思": the mall's labels of
		// installment orders, which guide 002 explains (an FAQ probe got
		// the orders' desk).
		s.conv.Misses = 0
		s.say(s.T("faq.order_labels"), s.next(s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...)
		return nil
	}
	if ok, err := s.pickAfterBills(text); ok || err != nil { // "第2个" after the bills' overview: its schedule
		return err
	}
	if ok, err := s.sumAfterList(text); ok || err != nil { // "一共多少" after this month's bills: what they come to
		return err
	}
	if ok, err := s.payAllAfterList(text); ok || err != nil { // "帮我都还了吧" after them: their bills, one at a time
		return err
	}
	if l := strings.ToLower(strings.TrimSpace(text)); s.conv.CustomerID != "" && ownOnesAsked.MatchString(l) {
		// "那我自己的呢", "ok my own then" after another person's bill was
		// refused: the customer's own (a probe: unsure).
		s.conv.Misses = 0
		return s.startFlow("bill", "")
	}
	if ok, err := s.dayFollowUp(text); ok || err != nil { // "后天呢" after what is due today: what is due then
		return err
	}
	if ok, err := s.byDayFollowUp(text); ok || err != nil { // "月底之前呢" after what is to pay by Wednesday: by then
		return err
	}
	if ok, err := s.termsAsked(text); ok || err != nil { // "本期是什么意思", "what does overdue mean"
		return err
	}
	if ok, err := s.followUp(text); ok || err != nil { // "那笔记本呢" after the phone's bill: the laptop's
		return err
	}
	if ok, err := s.payAfterAllAsked(text); ok || err != nil { // "还是还吧" after "算了不还了": that quote again
		return err
	}
	if ok, err := shortfallAsked(s, text); ok || err != nil { // "can i just pay the 248.58 that the booking doesnt cover"
		s.conv.Misses = 0
		return err
	}
	if ok, err := s.remindFollowUp(text); ok || err != nil { // "turn them off" after the reminders' answer
		return err
	}
	if ok, err := s.viewFollowUp(text); ok || err != nil { // "那笔记本呢" after the phone's schedule: the laptop's
		return err
	}
	if ok, err := s.kindFollowUpNone(text); ok || err != nil { // "what about the laptop" with no laptop: said so
		return err
	}
	if ok, err := s.whyAfter(text); ok || err != nil { // "why not?" after the closure's check, "那我要怎么办" after the scam warning
		return err
	}
	if ok, err := s.payItAsked(text); ok || err != nil { // "提前还清吧" after the laptop's schedule: the laptop's
		return err
	}
	if ok, err := s.describedPaid(text); ok || err != nil { // "帮我还下15号到期的那个": that plan's quote
		return err
	}
	if m := periodOfPlanZH.FindStringSubmatch(strings.ToLower(strings.TrimSpace(text))); m != nil && s.conv.CustomerID != "" && !aboutSomeoneElse(text) {
		// "还Redmi Note 14 Pro+ 5G这期": that plan's bill, its name however
		// long (a probe: a name of model words read as the mall's goods).
		if p, err := planNamed(s, m[1]); err != nil {
			return err
		} else if p != nil {
			s.conv.Misses = 0
			return s.startFlow("pay", p.ID)
		}
	}
	if s.conv.CustomerID != "" && paysPeriodOnly(text) && asksPayoff(strings.ToLower(text)) && !asks(text) && !aboutSomeoneElse(text) {
		// "pay the phone early but only the late one first": the bill, not
		// the payoff it starts with (a probe's 确认 paid the whole plan).
		plan := ""
		if p, err := planNamed(s, text); err != nil {
			return err
		} else if p != nil {
			plan = p.ID
		}
		return s.startFlow("pay", plan)
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && (planFeeAsked.MatchString(l) || payoffWord.MatchString(l) && containsAny(l, "手续费", "fee") && payoffFeeAmountAsked.MatchString(l)) &&
		!wantsPayoff.MatchString(l) && !aboutSomeoneElse(text) {
		// "手机那笔提前还款要手续费吗": the fee of their plans, each (an FAQ
		// probe got unsure; asked without a plan named, it was answered);
		// what it comes to asked ("电视能提前还清吗 要多少手续费", "笔记本提前
		// 还款多少钱 手续费怎么算的"), the plan's payoff quote, which prices
		// the fee and says how (a probe: the rule, the figure a /repay away).
		if p, err := planNamed(s, text); err != nil {
			return err
		} else if p != nil && payoffFeeAmountAsked.MatchString(l) && !containsAny(l, "如果", "if ", "每期", "每月", "每个月", "per period", "each", "monthly", "per month", "先不", "不还", "not now", "not yet", "later") {
			s.conv.Misses = 0
			return s.startFlow("repay", p.ID) // a quote to confirm, nothing paid
		} else if p != nil && s.showAnswer("early-repayment-fee") {
			s.conv.Misses = 0
			return nil
		}
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && containsAny(l, "取消", "撤", "cancel") && debitUnderWaySaid.MatchString(l) && !aboutSomeoneElse(text) {
		// "我那笔正在扣款的能取消吗": the bookings, the one being debited
		// said to be past cancelling (an FAQ probe got unsure).
		if views, err := scheduledViews(s); err != nil {
			return err
		} else if slices.ContainsFunc(views, func(v *scheduledView) bool { return v.Status == supportbot.ScheduledProcessing }) {
			s.conv.Misses = 0
			return s.startFlow("cancel", "")
		}
	}
	if undone, err := s.undoAsked(text); undone || err != nil { // "undo that" after a payment, a switch
		s.conv.Misses = 0
		return err
	}
	if barePay[bare(text)] || agreesToPay(confirmForm(bare(text))) { // "还款", "pay", "ok pay it": the bill, paid — not "can't answer" (a probe)
		s.conv.Misses = 0
		return s.startFlow("pay", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && paysThisPeriod.MatchString(l) && slices.Contains(switchesNamed(text), "autopay") &&
		!laterOrMade(l) && !paidInClause(l) && !anyPerson.MatchString(l) && !aboutSomeoneElse(text) && s.overdueIfNamed(l) {
		// "电视这期帮我还了 顺便把自动还款开了": the bill due first, the
		// switch a tap beside it (an audit: the switch alone, the bill due
		// today dropped without a word).
		s.conv.Misses = 0
		return s.startBeside(text, "pay", s.dueTodayPlan(l))
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && periodEarlyAsked.MatchString(l) && !aboutSomeoneElse(text) {
		// "净化器今天能提前还这期吗", "明天到期的今天还可以吗": yes, a period is
		// paid whenever before its due date (an audit got "a part cannot be
		// paid early", and unsure) — that plan's bill a tap away.
		s.conv.Misses = 0
		btn := s.menuBtn(s.T("pay.btn_bill"), "pay")
		if p, err := planNamed(s, text); err != nil {
			return err
		} else if p != nil {
			btn = s.menuBtn(s.T("pay.btn_bill"), "pay:"+p.ID)
		}
		s.say(s.T("pay.early_period_ok"), s.next(btn, s.menuBtn(s.T("menu.repay"), "repay"))...)
		return nil
	}
	if l := strings.ToLower(strings.TrimSpace(text)); s.conv.CustomerID != "" && phoneBillPaid.MatchString(l) && !aboutSomeoneElse(text) {
		// "pay the phone bill" from a customer paying a phone here: its
		// bill, not a carrier's (an English probe: "other banks' loans are
		// not handled here").
		open, err := s.openPlans()
		if err != nil {
			return err
		}
		if slices.ContainsFunc(open, func(p supportbot.Plan) bool { return kindShown(p.Product) == len(deviceKinds)-1 }) {
			s.conv.Misses = 0
			if err := s.startFlow("pay", ""); err != nil {
				return err
			}
			return s.cardAsked(text) // "…with my icbc card ending 9988": on that card
		}
		if len(open) > 0 {
			// No phone paid here: none of their plans is one, a carrier's
			// bill is the carrier's, and their plans to pick from (an
			// English probe: other lenders' loans, as if it were a loan).
			s.conv.Misses = 0
			s.say(s.T("pay.carrier_bill"))
			return s.startFlow("pay", "")
		}
	}
	if l := bare(text); s.conv.CustomerID != "" && paysAKind.MatchString(l) {
		// "还充电宝": the power bank's bill, for a customer with one (an
		// audit got the repair desk — a rented power bank given back).
		if kind, _ := kindSaid(l); kind >= 0 {
			open, err := s.openPlans()
			if err != nil {
				return err
			}
			if i := onlyOne(len(open), func(i int) bool { return kindShown(open[i].Product) == kind }); i > 0 {
				s.conv.Misses = 0
				return s.startFlow("pay", open[i-1].ID)
			}
		}
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && unbindsACard(l) &&
		(!asks(text) || containsAny(l, "怎么解绑", "如何解绑", "how do i unbind", "how to unbind", "how do i remove", "can i ", "could i ", "能不能", "能解绑", "可以解绑")) && !aboutSomeoneElse(text) { // "can i remove my icbc card" (a probe: "can't answer")
		// "中行那张卡我不用了 帮我解绑": not done here, said above their cards
		// (an audit got the frozen card's guide).
		s.conv.Misses = 0
		s.lead = s.T("cards.unbind_not_here")
		return s.startFlow("cards", "")
	}
	if told, err := s.autopayOnCardAsked(text); told || err != nil { // "以后自动还款都用建行卡 帮我开一下"
		return err
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && debitCardChanged.MatchString(l) && !bookingCardChanged.MatchString(l) && !aboutSomeoneElse(text) {
		s.conv.Misses = 0 // "以后都用招行卡扣款": the default card changed, not a payment — nor a booking's ("明天那笔预约能换成建行卡扣吗": its own reader)
		return s.startFlow("cards", "")
	}
	if l := strings.ReplaceAll(strings.ToLower(text), "还款卡", "卡"); s.conv.CustomerID != "" && ownCardsAsked.MatchString(l) && !aboutSomeoneElse(text) && // "默认还款卡": a card's name, no payment (a probe: unsure)
		!containsAny(l, "预约", "自动还款", "还了", "还款", "autopay", "auto-repay", "booking", "scheduled", "pay the", "pay my") { // another matter beside it: its own reader
		// "我绑的卡是哪个银行的", "how do i change my default card": their
		// cards, where the default is chosen (audits: the partners'
		// channels, unsure).
		s.conv.Misses = 0
		return s.startFlow("cards", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && removesABooking.MatchString(l) && !aboutSomeoneElse(text) {
		s.conv.Misses = 0 // "how do i remove the booking": the bookings to cancel (an English probe: unsure)
		return s.startFlow("cancel", "")
	}
	if wordless(text) { // "😀😀😀", "？", "...": no question to miss
		s.menu("menu.again")
		return nil
	}
	if l := strings.ToLower(text); collectionAsked(l) && !scamTold(l) && !otherLoan.MatchString(l) &&
		!containsAny(l, "你们领导", "你们的领导", "your boss", "your manager", "your supervisor") && s.showOutOfScope("oos-collection") {
		// "I am overdue, will you call my employer", "逾期了会打电话给我单位
		// 吗": how collection is done is not in the guides (a probe: the
		// ways to reach support, or unsure).
		s.conv.Misses = 0
		return nil
	}
	if l := strings.ToLower(text); !scamTold(l) && callerClaimsDebt(l) && s.conv.CustomerID != "" {
		// "最近老有人打电话说我还有一笔没还清 不然上征信 我到底还欠不欠你们钱":
		// what they really owe, their bill saying first whether anything is
		// overdue, then how to tell a scam (an audit: the overdue topic to
		// a customer who owes nothing). The bill first: a real notice of
		// lateness is not made to look like a scam (a regression run).
		s.conv.Misses = 0
		if err := s.startFlow("bill", askedOverdue); err != nil {
			return err
		}
		s.showAnswer("scam-warning")
		return nil
	}
	if l := strings.ToLower(text); overdueFirstAsked.MatchString(l) && !aboutSomeoneElse(text) {
		// "提前还款要先还逾期的吗": no — the payoff includes the overdue
		// period and its late fee (a probe: unsure).
		s.conv.Misses = 0
		s.say(s.T("repay.includes_overdue"), s.next(s.menuBtn(s.T("menu.repay"), "repay"))...)
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && payoffWords(text) && payoffLater.MatchString(l) && !aboutSomeoneElse(text) {
		// "i want to pay off the tv next month instead, how much will it
		// be": a quote is today's and holds 15 minutes; what it costs then
		// is quoted then (an audit got today's quote, one tap from paying).
		s.conv.Misses = 0
		s.say(s.T("repay.later_quote"), s.next(s.menuBtn(s.T("menu.repay"), "repay"), s.menuBtn(s.T("menu.bill"), "bill"))...)
		return nil
	}
	if told, err := lateIfPaidOn(s, text); told || err != nil { // "is there a late fee if i pay tonight?": from the bills
		return err
	}
	if l := strings.ToLower(text); allAtOnceAsked.MatchString(l) && asks(text) && !aboutSomeoneElse(text) && s.showAnswer("early-repayment") {
		// "能一次还了吗": whether it can be paid off at once — early
		// repayment's answer (an audit: "not in the guides", surely).
		s.conv.Misses = 0
		return nil
	}
	if l := strings.ToLower(text); refundCancelled.MatchString(l) && !scamTold(l) && !aboutSomeoneElse(text) && s.showAnswer("refund-timing") {
		// "my refund is pending can you cancel it so i can close": refunds
		// are the mall's, with the customer's in progress said (an audit
		// got a closure's withdrawal, none having been asked).
		s.conv.Misses = 0
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && lateFeeAtPayoff(l) && !scamTold(l) && !aboutSomeoneElse(text) {
		s.conv.Misses = 0
		return lateFeeAtPayoffAnswer(s)
	}
	if l := strings.ToLower(text); lateFeeWaiver(l) && !scamTold(l) && !aboutSomeoneElse(text) {
		// "我只晚了两天 能免滞纳金吗", "I was only 2 days late, can you waive
		// the fee": the late fee's answer, whether it can be waived (an
		// audit: the mall's orders desk — a late parcel — or the
		// prepayment fee's rules).
		s.conv.Misses = 0
		s.showAnswer("late-fee")
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && movesABooking.MatchString(l) {
		// "今天12点那笔我想换成还笔记本那期 可以吗": a booking pays its own
		// period only (an audit got the laptop's payoff quote, one tap
		// from ¥5,074.17).
		s.conv.Misses = 0
		s.say(s.T("cancel.no_move"), s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.menuBtn(s.T("menu.cancel"), "cancel"))...)
		return nil
	}
	if l := strings.ToLower(strings.TrimSpace(text)); s.conv.CustomerID != "" && autopayStatusAsked.MatchString(l) && !aboutSomeoneElse(text) {
		// "我开了自动还款吗", "I thought I had autopay on": each plan's
		// switch, where it stands (an audit got how to set it up, never
		// "no, it is off", to a customer three periods overdue).
		s.conv.Misses = 0
		return s.startFlow("autopay", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && bookingCardChanged.MatchString(l) && !aboutSomeoneElse(text) {
		// "路由器今晚扣款的那个能改成建设银行的卡吗": a booking keeps its card
		// — cancel it and pay by hand with another (a probe: the day's
		// debits, the question never answered).
		booked, err := s.hasBooking()
		if err != nil {
			return err
		}
		if booked {
			s.conv.Misses = 0
			s.say(s.T("cancel.no_card_change"), s.next(s.menuBtn(s.T("menu.cancel"), "cancel"), s.menuBtn(s.T("menu.pay"), "pay"))...)
			return nil
		}
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && reschedulesABooking.MatchString(l) && !containsAny(l, "还款日", "扣款日", "账单日", "due date") && !aboutSomeoneElse(text) {
		// "明天那笔能不能推迟到10号扣", "can I push tomorrow's payment to the
		// 10th?": a booking runs when it was booked — cancel it and pay by
		// hand by the due date (an audit: the debits ahead, or "can't
		// answer"). Without a booking it is the due date's question.
		booked, err := s.hasBooking()
		if err != nil {
			return err
		}
		if booked {
			s.conv.Misses = 0
			s.say(s.T("cancel.no_reschedule"), s.next(s.menuBtn(s.T("menu.cancel"), "cancel"), s.menuBtn(s.T("menu.bill"), "bill"))...)
			return nil
		}
	}
	if l := strings.ToLower(text); bereaved.MatchString(l) && !containsAny(l, "我的账单", "我的分期", "查下我", "查一下我", "my bill", "my own", "my plan") {
		// "我老伴去世了 他还有一笔分期没还完 我要替他还吗": a person's to
		// handle, not in the guides (an audit: "no recent repayment").
		s.conv.Misses = 0
		s.say(s.T("others.deceased"), s.next(s.humanBtn())...)
		return nil
	}
	if l := strings.ToLower(text); remindsAfterPaid.MatchString(l) && asks(text) && !aboutSomeoneElse(text) {
		// "我都还完了还会收到提醒吗": reminders are of bills still to pay
		// (an audit: "no recent repayment") — and with plans still open,
		// so they say (a regression run: the premise was taken as true).
		s.conv.Misses = 0
		key, open := "remind.none_when_paid", 0
		if s.conv.CustomerID != "" {
			plans, err := s.openPlans()
			if err != nil {
				return err
			}
			if open = len(plans); open > 0 {
				key = "remind.still_open"
			}
		}
		s.say(s.T(key, "count", open), s.next(s.menuBtn(s.T("menu.bill"), "bill"))...)
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && dueDayChecked.MatchString(l) && !containsAny(l, "改", "换", "推迟", "延", "调", "change", "move") && !aboutSomeoneElse(text) {
		// "我的还款日是每月15号对吧": the bill says each plan's due date (an
		// audit: "a due date cannot be changed", the wrong day let stand).
		s.conv.Misses = 0
		return s.startBeside(text, "bill", "")
	}
	if l := strings.ToLower(text); paysForMe.MatchString(l) && !containsAny(l, "到账", "还了", "付了", "已经", "paid", "did ") {
		// "我妈想帮我还这期 可以吗", "my dad wants to pay my installment for
		// me from his card, is that ok": whether someone else may pay — the
		// guides do not say — never a quote on the customer's own card (an
		// audit: a one-tap payment, and the question never answered).
		s.conv.Misses = 0
		s.say(s.T("others.pays_for_me"), s.next(s.menuBtn(s.T("menu.cards"), "cards"), s.humanBtn())...)
		return nil
	}
	if s.conv.Lang == supportbot.LangEN && cannotReadEnglish(text) {
		// "啥玩意 看不懂" after English was pressed by mistake: Chinese
		// again (a probe: a hand-off, in English).
		s.conv.Misses = 0
		return s.setLang(string(supportbot.LangZH))
	}
	if rest := besideAgent(text); rest != "" {
		// "no need for a human, how much do i owe", "your customer
		// service person told me to come here and pay": what else it asks,
		// when that is understood; else the message is read whole, as
		// before (a person refused: not handed off, below).
		c := s.e.cfg.Classifier.Classify(rest)
		if !(c.Kind == "flow" && intents[c.ID] == "agent") && (c.Confident && c.Kind != "out_of_scope" || barePay[bare(rest)]) {
			return s.freeText(rest)
		}
	}
	if declinesAgent(text) { // "我不想转人工 你直接告诉我": no hand-off, and nothing else understood
		s.conv.Misses = 0
		s.menu("agent.not_wanted")
		return nil
	}
	if s.conv.Flow == "autopay" && asksSwitchingBack(text) && s.showAnswer("auto-repayment") {
		// "开了能关吗" at the auto-repayment step: of it, not of the
		// installments (a probe: "no switch to turn installments off", and
		// the closure's guide)
		s.conv.Misses = 0
		return nil
	}
	if asksAgentHours(text) && s.showAnswer("contact-support") { // "what are your customer service hours"
		s.conv.Misses = 0
		return nil
	}
	if l := strings.ToLower(text); keepsBooking.MatchString(l) || bare(l) == "保留" || bare(l) == "keep it" {
		// "不取消了" just after a booking was cancelled: it is, and said so.
		if told, err := s.alreadyDone("cancel_scheduled"); told || err != nil {
			s.conv.Misses = 0
			return err
		}
	}
	if keepsSetting(text) { // "不要取消我的预约还款", "千万别关我的自动还款": nothing to do (a probe: the list to do it)
		s.conv.Misses = 0
		s.declined(string(refusesSwitch))
		return nil
	}
	if isNo(text) { // "never mind" with nothing in front of them: nothing to guess at
		s.conv.Misses = 0
		s.menu("smalltalk.no")
		return nil
	}
	if agrees(text) {
		// "确认" with nothing to confirm (a second one after a payment went
		// through): not a question about confirmations.
		s.conv.Misses = 0
		s.menu("smalltalk.yes")
		return nil
	}
	if asksLanguage(text) { // "English?", "can you speak Chinese", 能用英文吗
		s.conv.Misses = 0
		if lang, rest := langThenQuestion(text); lang != "" && s.conv.Flow == "" {
			// "我想用中文 退款什么时候到": switched, and the question
			// answered in it (a probe: switched, the question dropped).
			s.conv.Lang, s.conv.LangChosen = lang, true
			s.lead = s.T("lang.switched")
			return s.freeText(rest)
		}
		return s.setLang(string(langIn(text))) // one named: set — the chooser again would loop (a probe)
	}
	if s.conv.CustomerID == "" && onlyAPhone(text) {
		// "my number is 136…" before identifying: typed, it proves
		// nothing; the contact's button does, and is offered.
		s.conv.Misses = 0
		s.leave()
		return s.fire("identify", "typed")
	}
	if told, err := quoteDueDates(s, text); told || err != nil { // "这期不是22号才到期吗" at a quote
		return err
	}
	if told, err := cancelRisk(s, text); told || err != nil { // "如果取消会有滞纳金吗" at a booking's cancellation
		return err
	}
	if asksIfFreed(text) { // "是不是不用还了": it is owed, and what is due
		return stillOwed(s, text)
	}
	if asksIfPayoffFrees(text) && s.showAnswer("early-repayment") { // "提前还清了是不是就不用还了"
		s.conv.Misses = 0
		return nil
	}
	if l := strings.ToLower(text); cardGone.MatchString(l) && !containsAny(l, "账户", "账号", "account") && !aboutSomeoneElse(text) && s.showAnswer("frozen-card") {
		// "银行卡注销了怎么还分期", "my card got stolen, will you still debit
		// it?": what to do with that card and another — not other lenders'
		// loans (a facts audit), nor the debits ahead with "make sure the
		// card holds enough" (a probe).
		s.conv.Misses = 0
		return nil
	}
	if told, err := debitsAhead(s, text); told || err != nil { // "will i be charged tomorrow?": what debits, and when
		return err
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && s.conv.Flow == "" && // at a step its readers answer beside it
		(planDueAsked.MatchString(l) && !containsAny(l, "还完", "还清", "结清", "最后一期", "paid off", "pay off", "fully paid", "last", "final") || // when it ends: its schedule
			plansCountAsked.MatchString(l)) && !aboutSomeoneElse(text) && !anyPerson.MatchString(l) {
		// "手机什么时候还", "平板什么时候开始还", "我有几笔分期": the bill of
		// the plan named — its due date — or every plan's (a probe: unsure).
		open, err := s.openPlans()
		if err != nil {
			return err
		}
		if plansCountAsked.MatchString(l) || planSaid(bare(l), open) > 0 {
			s.conv.Misses = 0
			return s.startFlow("bill", "")
		}
	}
	m := planPeriodPaid.FindStringSubmatch(strings.ToLower(strings.TrimSpace(text)))
	if m == nil {
		m = periodOfPlanPaid.FindStringSubmatch(strings.ToLower(strings.TrimSpace(text))) // "那我现在手动还手机这期" after a cancellation (a probe: unsure, or the plan alone)
	}
	if m != nil && s.conv.CustomerID != "" && s.conv.Flow == "" && !aboutSomeoneElse(text) && !anyPerson.MatchString(m[1]) {
		// "笔记本这期我还一下吧", "笔记本这期手动还一下", "手机第一期我现在就想
		// 还": the plan's bill (a probe got its card, or unsure); "手表这期提
		// 前还了", before its due date, too (a probe: the plan's payoff quote,
		// confirmed and paid — the whole plan for one period asked).
		open, err := s.openPlans()
		if err != nil {
			return err
		}
		settled, err := settledNamed(s, m[1]) // "还 AirPods & 充电盒 这期", the earbuds paid off: said so below, not the bundle's bill
		if err != nil {
			return err
		}
		if i := planSaid(bare(m[1]), open); i > 0 && settled == nil {
			s.conv.Misses = 0
			return s.startFlow("pay", open[i-1].ID)
		}
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && s.conv.Flow == "" && scheduleAsked.MatchString(l) &&
		!containsAny(l, "cancel", "change", "取消", "改", "预约") && !aboutSomeoneElse(text) && !anyPerson.MatchString(l) {
		// "show me the schedule for the phone", "手机的还款计划": that plan's
		// schedule (an English probe: unsure).
		open, err := s.openPlans()
		if err != nil {
			return err
		}
		if i := planSaid(bare(l), open); i > 0 {
			s.conv.Misses = 0
			return showSchedule(s, open[i-1].ID)
		}
	}
	if l := strings.ToLower(text); returnedStillPay.MatchString(l) && !aboutSomeoneElse(text) && s.showAnswer("refund-timing") {
		// "手表已经退货了还要还吗": a return is not the plan cancelled —
		// the bills stand until the refund is done (a probe: unsure).
		s.conv.Misses = 0
		return nil
	}
	if told, err := periodSum(s, text); told || err != nil { // "手机和电视这期一共多少": the sum of their bills
		return err
	}
	if told, err := dueThisWeek(s, text); told || err != nil { // "这周要还什么": the bills due by Sunday
		return err
	}
	if told, err := dueByDay(s, text); told || err != nil { // "10号之前我要还多少": the bills due by then
		return err
	}
	if told, err := dueOnDay(s, text); told || err != nil { // "15号要还多少": the bills due that day
		return err
	}
	if told, err := sumsAsked(s, text); told || err != nil { // "一共逾期多少钱", "本金还有多少": the sum asked
		return err
	}
	if told, err := onePeriod(s, text); told || err != nil { // "笔记本最后一期多少钱": that period
		return err
	}
	if told, err := paidInMonth(s, text); told || err != nil { // "我上个月还了没有": that month's periods
		return err
	}
	if s.conv.CustomerID != "" && paidYetDebited.MatchString(strings.ToLower(text)) && !aboutSomeoneElse(text) && s.showAnswer("double-charge") {
		// "第2期我已经还了 为什么明天还要扣": a second charge asked about,
		// with what of theirs debits (unsure, or the refunds' answer).
		s.conv.Misses = 0
		return nil
	}
	if s.conv.CustomerID != "" && asksWhyDebited(text) && !unknownPlan.MatchString(strings.ToLower(text)) { // "我没还款怎么扣钱了": what of theirs debits; not a plan disowned ("I never bought this tablet, why am I being charged?")
		if other, err := s.forSomeoneElse(text); err != nil || other {
			return err
		}
		s.conv.Misses = 0
		return whyDebitedAnswer(s)
	}
	if s.conv.CustomerID != "" && asksBookingFate(text) && !aboutSomeoneElse(text) {
		s.conv.Misses = 0 // "为什么我的预约被取消了": what became of it, as far as the bot knows (an audit: unsure)
		return bookingFate(s)
	}
	if l := strings.ToLower(text); cardLost.MatchString(l) && !aboutSomeoneElse(text) && s.showAnswer("frozen-card") {
		s.conv.Misses = 0 // "i lost my hsbc card": report it, another card for debits (an audit: unsure)
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && whyCantPay.MatchString(l) && !aboutSomeoneElse(text) {
		// "为啥我还不了款啊" from a customer whose every card is frozen:
		// the cards, not the hardship script (an audit).
		cards, err := s.cards()
		if err != nil {
			return err
		}
		if len(cards) > 0 && len(usableCards(cards)) == 0 && s.showAnswer("repayment-failed") {
			s.conv.Misses = 0
			return nil
		}
		// Otherwise what paying says: the bill's quote, or why there is
		// none — being debited, from a frozen card, nothing due (an English
		// probe: unsure).
		s.conv.Misses = 0
		return s.startFlow("pay", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && overdueDespiteAutopay.MatchString(l) && !aboutSomeoneElse(text) && s.showAnswer("repayment-failed") {
		s.conv.Misses = 0 // the failed debit's checklist, their frozen cards, and what is overdue now
		return s.appendOverdue()
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && asksWhyFailed.MatchString(l) && !containsAny(l, "怎么办", "没钱", "钱不够", "afford", "信用卡", "微信", "支付宝", "花呗", "白条", "credit card") &&
		!aboutSomeoneElse(text) && s.showAnswer("repayment-failed") {
		s.conv.Misses = 0 // "工行卡为啥扣不了": the failed-debit answer, with their frozen cards (a probe: suggestions only)
		return nil
	}
	if id := creditAsked(strings.ToLower(text)); id != "" && !aboutSomeoneElse(text) {
		// "我征信会不会有问题", "征信会不会恢复": "can't answer", or the
		// official notices (a probe).
		if strings.HasPrefix(id, "oos-") && s.showOutOfScope(id) || s.showAnswer(id) {
			s.conv.Misses = 0
			return nil
		}
	}
	if l := strings.ToLower(text); containsAny(l, "信用卡分期", "信用卡的分期", "credit card installment", "credit card instalment") &&
		!containsAny(l, "小米分期", "你们的分期", "你们分期", "这里的分期", "商城分期", "我的分期", "your installment", "xiaomi installment") && s.showOutOfScope("oos-other-credit") {
		s.conv.Misses = 0 // "信用卡分期提前还款手续费": the bank's, not our prepayment fee (a facts audit)
		return nil
	}
	if l := strings.ToLower(text); containsAny(l, "滞纳金", "late fee", "penalty") && containsAny(l, "上限", "封顶", "最多", "最高", "cap", "maximum", "max ") &&
		!aboutSomeoneElse(text) && s.showAnswer("late-fee") {
		s.conv.Misses = 0 // "滞纳金有上限吗": the fee's topic (set by the partner), not the overdue list (a facts audit)
		return nil
	}
	if l := strings.ToLower(text); dueDayCutoff.MatchString(l) && !containsAny(l, "取消", "预约", "cancel", "booking", "schedul") && !aboutSomeoneElse(text) {
		// "还款日当天几点之前还不算逾期": the day counts, the hour is the
		// partner's (a probe: the list of bills to pay, or unsure).
		s.conv.Misses = 0
		s.say(s.T("faq.due_day_cutoff"), s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.humanBtn())...)
		return nil
	}
	if l := strings.ToLower(text); certificateAsked.MatchString(l) && !containsAny(l, "我有", "我这有", "我手上有", "i have", "i've got") && !aboutSomeoneElse(text) && s.showOutOfScope("oos-certificate") {
		s.conv.Misses = 0 // "how do I get a payoff certificate": not the payoff's how-to (a probe)
		return nil
	}
	if l := strings.ToLower(text); autopayOnSaid.MatchString(l) && (payoffAsked.MatchString(l) || repaysEarly.MatchString(l)) && asks(text) &&
		!containsAny(l, "费", "多少", "fee", "cost", "how much") && !aboutSomeoneElse(text) && s.showAnswer("early-repayment") {
		s.conv.Misses = 0 // "我开了自动还款 还能提前还款吗": yes, not how to set auto-repayment (a probe)
		return nil
	}
	if l := strings.ToLower(text); unknownPlan.MatchString(l) && !containsAny(l, "退款", "退货", "refund", "return") && !aboutSomeoneElse(text) {
		// "我没买过笔记本 为什么有个笔记本的分期": someone may have used
		// their details — a person checks (a probe was unsure).
		s.conv.Misses = 0
		s.say(s.T("faq.unknown_plan"), s.next(s.humanBtn())...)
		return nil
	}
	if l := strings.ToLower(text); buysOnInstallments(l) {
		// "我要用分期买个手机 怎么操作": at the mall's checkout, not a
		// return (a probe: the returns desk's answer).
		s.conv.Misses = 0
		s.say(s.T("faq.buy_on_installments"), s.next(s.humanBtn())...)
		return nil
	}
	if l := strings.ToLower(text); usesInstallmentsAgain.MatchString(l) && !containsAny(l, notUsingAgain...) &&
		s.showAnswer("after-payoff") {
		// "我都还完了 以后还想用分期怎么弄": the account stays, checkout
		// says (an audit got how to stop using installments, with the
		// closure's button).
		s.conv.Misses = 0
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && transferredToUs.MatchString(l) && !containsAny(l, "退款", "退钱", "refund") && !aboutSomeoneElse(text) {
		// "昨天我已经在手机银行上转账给你们了 怎么还显示逾期": a transfer is
		// no repayment channel (an audit got "other lenders' loans are not
		// handled here"): nothing arrived here; who received it, a person
		// checks; what is still due.
		s.conv.Misses = 0
		s.sayWithOverdue("faq.transfer_not_channel")
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && paidStillOverdue.MatchString(l) && !aboutSomeoneElse(text) {
		// "I paid yesterday, why is it still overdue", "我已经还了逾期的钱
		// 为什么还显示逾期": a payment here still under way says so;
		// otherwise none is seen here, what is still overdue, and a person
		// to check a debit (an audit: the failed payment's checklist, "pay
		// before the due date", or unsure).
		s.conv.Misses = 0
		list, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, s.now.Add(-askedAfter))
		if err != nil {
			return err
		}
		if len(list) > 0 && list[0].State != supportbot.ActionSucceeded && list[0].State != supportbot.ActionDeclined {
			return tellAction(s, &list[0])
		}
		s.sayWithOverdue("repay.not_seen_here")
		return nil
	}
	if l := strings.ToLower(text); paysOffline.MatchString(l) && asks(text) {
		// "小米之家能还分期吗", "可以现金还款吗 去门店还": not "other lenders'
		// loans are not handled here" (a facts audit).
		s.conv.Misses = 0
		s.say(s.T("faq.offline_pay"), s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.humanBtn())...)
		return nil
	}
	if l := strings.ToLower(text); (containsAny(l, graceWords...) || fewDaysLate.MatchString(l) && !containsAny(l, deliveryWords...)) && !containsAny(l, notGrace...) &&
		!aboutSomeoneElse(text) && s.showAnswer("overdue-consequences") {
		s.conv.Misses = 0 // "有没有宽限期 晚一两天可以吗": not the orders' desk, nor unsure (a facts audit)
		return nil
	}
	if told, err := s.payWithCardAsked(text); told || err != nil { // "能用工行卡还吗": that card's, frozen or not
		return err
	}
	if l := strings.ToLower(text); asksAboutFrozen(l) && !aboutSomeoneElse(text) && s.showAnswer("frozen-card") {
		s.conv.Misses = 0 // "工行卡为什么冻结了", "怎么解冻": the frozen card's answer, with theirs (a probe: a payoff's sum, scams)
		return nil
	}
	if told, err := lastDebitAsked(s, text); told || err != nil { // "最近一次扣款是什么时候": the message center's latest
		return err
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && allPaidAsked.MatchString(l) && !containsAny(l, notAllPaid...) && kindsSaid(l) == 0 && !asksThisMonth(text) && !aboutSomeoneElse(text) && shortSaid(l, 40, 100) {
		// "我的分期都还完了吗", "are all my installments paid?": the bill (a
		// probe: "no recent payment") — unless a payment was just made,
		// whose outcome lastPayment tells; a month asked, "do i owe
		// anything next month", is that month's bills (below).
		recent, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, s.now.Add(-askedAfter))
		if err != nil {
			return err
		}
		if len(recent) == 0 {
			s.conv.Misses = 0
			if other, err := s.forSomeoneElse(text); err != nil || other {
				return err
			}
			return s.startBeside(text, "bill", "")
		}
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && anythingElseOwed.MatchString(l) && kindsSaid(l) == 0 && !aboutSomeoneElse(text) && shortSaid(l, 30, 80) {
		// "还有没还完的吗" after a payoff: what is still open — not that
		// payment's outcome (a probe: "今天的还款已经扣款成功", the plan
		// still unpaid left unsaid).
		s.conv.Misses = 0
		return s.startBeside(text, "bill", "")
	}
	if told, err := lastPayment(s, text); told || err != nil { // "扣了吗" after paying
		s.conv.Misses = 0
		return err
	}
	if told, err := lastDone(s, text); told || err != nil { // "好了吗", "is it cancelled?" after an action
		s.conv.Misses = 0
		return err
	}
	if tracksPayments(text) && s.showAnswer("repayment-history") { // "how can i track my payments": not the mall's parcels
		s.conv.Misses = 0
		return nil
	}
	if undoesPayment(text) && s.showAnswer("undo-repayment") { // "can you reverse the payment": not another one started
		s.conv.Misses = 0
		return nil
	}
	if stopsADebit(text) && s.conv.CustomerID != "" { // "dont charge me tomorrow": a booking, if they have one
		if kinFor.MatchString(strings.ToLower(text)) { // "dont charge my mom tomorrow"
			s.ownOnly(s.T("others.own_only"))
			return nil
		}
		if other, err := s.forSomeoneElse(text); err != nil || other { // "不要扣李娜明天的"
			return err
		}
		s.conv.Misses = 0
		if paysFirstThenStops(strings.ToLower(text)) {
			// "pay the buds now and cancel tomorrow's one": the payment
			// first — paying a period cancels its own booking, as its quote
			// says — and the cancellation a tap away for a booking of
			// another period (an audit: the cancellation alone, the payment
			// dropped).
			if err := s.startFlow("pay", ""); err != nil {
				return err
			}
			s.say(s.T("pay.cancel_too"), []supportbot.Button{s.menuBtn(s.T("menu.cancel"), "cancel")})
			return nil
		}
		if stopsAutoDebits(text) { // "别自动扣款了": auto-repayment, when a plan has it on
			open, err := s.openPlans()
			if err != nil {
				return err
			}
			if anyAutopayOn(open) {
				if err := s.startFlow("autopay", "off"); err != nil {
					return err
				}
				_, err := bookingsDebiting(s, nil) // a debit under way still goes through: said, not hidden (a review)
				return err
			}
		}
		booked, err := s.hasBooking()
		if err != nil {
			return err
		}
		if booked {
			// With what else the message asks offered ("开自动还款，顺便把14号那笔
			// 预约取消": the switch was dropped, a probe).
			if err := s.startBeside(text, "cancel", ""); err != nil {
				return err
			}
			return autopayAlsoDebits(s, text)
		}
		// None booked (a probe: "dont charge me tomorrow" read as an attempt
		// at the bot's rules): what could still be debited is auto-repayment.
		return noBookingToStop(s)
	}
	if r := refusalIn(text); r != refusesNothing { // "I don't want to close my account": not the flow it names
		s.conv.Misses = 0
		if told, err := s.alreadyDone(r.doneKinds()...); told || err != nil { // said just after it was done
			return err
		}
		if r == refusesPaying && s.conv.CustomerID != "" && !paysOff(text) { // "我不想还了": the bills still stand
			return refusesToPay(s)
		}
		s.declined(string(r))
		return nil
	}
	if booksARepayment(text) { // "帮我预约下个月15号还款": not the bookings to cancel
		s.conv.Misses = 0
		s.say(s.T("book.not_here"), s.next(s.menuBtn(s.T("menu.autopay"), "autopay"), s.menuBtn(s.T("menu.pay"), "pay"), s.humanBtn())...)
		return nil
	}
	if s.conv.CustomerID != "" && cancelsABooking(text) { // "cancel the laptop repayment": the bookings, not the guide
		if other, err := s.forSomeoneElse(text); err != nil || other {
			return err
		}
		s.conv.Misses = 0
		return s.startBeside(text, "cancel", "")
	}
	if s.conv.CustomerID != "" && dropsAutopay.MatchString(strings.ToLower(text)) && !asks(text) { // "不想自动还款了": off
		s.conv.Misses = 0
		return s.startBeside(text, "autopay", "off")
	}
	if s.conv.CustomerID != "" && wantsAutopay.MatchString(text) && !asks(text) && !containsAny(text, "不", "别", "停", "取消", "关") { // "以后每个月帮我自动扣吧": on
		s.conv.Misses = 0
		return s.startBeside(text, "autopay", "on")
	}
	if s.conv.CustomerID != "" && asksReminderTimes(text) { // "提醒几点发": how they are, and when they come
		s.conv.Misses = 0
		return s.startBeside(text, "remind", askReminders)
	}
	if s.conv.CustomerID != "" && asksRemindersOfDays(text) { // "提前2天提醒我", "3天前的提醒就不用发了": the reminders
		return s.setRemindersAsked(text)
	}
	if s.conv.CustomerID != "" && paysAnAmount(text) { // asked too: "我先还500行不行" (a probe: unsure)
		// "pay 100", "我要还300": a bill, paid whole — and said so first.
		s.conv.Misses = 0
		return s.startFlow("pay", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && doneOncePaidOff.MatchString(l) && !asksToDo.MatchString(l) && !aboutSomeoneElse(text) {
		s.conv.Misses = 0 // "耳机提前还完了就不用管了吧": yes, with the quote a tap away (an audit: the quote itself, one tap from paying)
		return doneOncePaidOffAnswer(s, text)
	}
	if l := inDigits(strings.ToLower(text)); s.conv.CustomerID != "" && restPeriodsPaid.MatchString(l) && zhRequested(l) && !asks(text) && !laterOrMade(l) &&
		!zhNotPaying.MatchString(l) && !aboutSomeoneElse(text) {
		s.conv.Misses = 0
		return restPeriodsAnswer(s, text, firstNumber(restPeriodsPaid, l))
	}
	if l := inDigits(strings.ToLower(text)); s.conv.CustomerID != "" && periodsAhead.MatchString(l) && !containsAny(l, "就", "才", "剩", "还完", "结束", "已经", "逾期", "欠", "already", "left", "remaining", "overdue", "late", "missed", "behind") && !aboutSomeoneElse(text) {
		s.conv.Misses = 0
		return periodsAheadAnswer(s, text)
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && (paysAMonth.MatchString(l) || paysAPeriod.MatchString(inDigits(l))) && !asks(text) && !payoffWords(text) && !aboutSomeoneElse(text) &&
		!containsAny(l, "已经", "已", "刚", "already", "paid") {
		// "还12月的", "pay december's": a bill (it was read as an amount,
		// "12", a probe); its quote says which period it pays.
		s.conv.Misses = 0
		return s.startFlow("pay", s.dueTodayPlan(l))
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && ownPayoffAsked.MatchString(l) && !containsAny(l, notOwnPayoff...) && !aboutSomeoneElse(text) {
		// "how much to pay off my pad", "what's my payoff amount": the
		// payoff's quote, as "我提前还清要多少钱" gets (a probe: the
		// formula, or unsure); nothing is paid without its confirm.
		s.conv.Misses = 0
		return s.startFlow("repay", "")
	}
	if l := inDigits(strings.ToLower(text)); s.conv.CustomerID != "" && paysADay.MatchString(l) && !payoffWords(text) && !asks(text) && !aboutSomeoneElse(text) {
		// "12号那几个帮我一起还了": the bills due that day, one at a time
		// (an audit got the payoff's list, a pick quoting a whole plan).
		s.conv.Misses = 0
		if err := s.startFlow("pay", ""); err != nil || s.conv.State != "choosing" {
			return err
		}
		return billsDueOn(s, firstNumber(paysADay, l))
	}
	if l := totalAsked.ReplaceAllString(strings.ToLower(text), ""); s.conv.CustomerID != "" && (paysSeveralBills(l) || paysAllBills(strings.TrimSpace(l))) && !asks(l) && !aboutSomeoneElse(text) {
		// "pay the phone and the buds", "帮我把手机和笔记本这期都还了": one
		// bill at a time, from the list (an audit quoted the buds alone,
		// the phone dropped without a word; unsure before).
		s.conv.Misses = 0
		if err := s.startFlow("pay", ""); err != nil || s.conv.State != "choosing" {
			return err
		}
		s.sayNew(s.T("pay.one_at_a_time"))
		if asked := strings.ToLower(text); asked != l { // "…一共多少": what the bills named come to (an audit: no total)
			return severalBillsTotal(s, l)
		}
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && (paysAllOff.MatchString(l) || paysSeveralOff(l)) && !asks(text) && !aboutSomeoneElse(text) &&
		!containsAny(l, "的话", "手续费", "多少", "省", "划算", "fee", "save", "how much", "cost", "if ") { // what it costs or saves: the fee's answer (a regression run)
		// "两笔都提前还清", "pay off both plans": the list, one at a time
		// (a probe: unsure, with no way to it).
		s.conv.Misses = 0
		if err := s.startFlow("repay", ""); err != nil || s.conv.State != "choosing" || !paysAllOff.MatchString(l) {
			return err // two kinds named: the list says one at a time itself
		}
		s.say(s.T("pay.one_at_a_time"))
		return nil
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && paysNextEarly.MatchString(l) && !asks(text) && !aboutSomeoneElse(text) {
		s.conv.Misses = 0 // "把下一期也提前还了吧": a bill, paid before its day (a probe: unsure)
		return s.startFlow("pay", "")
	}
	if s.conv.CustomerID != "" && asksWhenPaidOff(text) { // "手机哪天还完": its schedule says, not a payoff quote
		return whenPlanEnds(s, text)
	}
	if l := bare(text); s.conv.CustomerID != "" && (owesNow.MatchString(l) || monthFollowUp.MatchString(l)) {
		// "那我现在还要还多少": the bill; "那下个月呢", "and next month?":
		// that month's bills, the question a month alone follows most
		// (a probe: unsure, or the whole balance).
		s.conv.Misses = 0
		if owesNow.MatchString(l) {
			return s.startBeside(text, "bill", "")
		}
		return s.startBeside(text, "bill", askedMonth)
	}
	if asksThisMonth(text) && (kindsSaid(text) == 0 || s.monthOfPlanAsked(text)) { // "下个月要还多少", "12月份要还多少钱", "我的笔记本下个月要还多少": that month's bills, first
		s.conv.Misses = 0
		if other, err := s.forSomeoneElse(text); err != nil || other {
			return err
		}
		return s.startBeside(text, "bill", askedMonth)
	}
	if l := strings.ToLower(strings.TrimSpace(text)); s.conv.CustomerID != "" && howMuchForPlan.MatchString(l) && !aboutSomeoneElse(text) {
		// "how much for my earbuds", "how much for the buds" from a
		// customer with that plan: what it stands at, not the mall's
		// prices (an audit and a regression run).
		if p, err := planNamed(s, text); err != nil || p != nil {
			if err != nil {
				return err
			}
			s.conv.Misses = 0
			return planStatus(s, *p)
		}
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && orderNoAsked.MatchString(l) && !aboutSomeoneElse(text) {
		// "平板的订单号是多少", "what's my order number for the phone": each
		// plan shows its order number — that plan's, when one is named
		// (an audit got the mall's orders desk).
		s.conv.Misses = 0
		if other, err := s.forSomeoneElse(text); err != nil || other {
			return err
		}
		if p, err := planNamed(s, text); err != nil || p != nil {
			if err != nil {
				return err
			}
			return planStatus(s, *p)
		}
		return s.startBeside(text, "bill", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && (eachPlanAsked.MatchString(l) || whichFirst.MatchString(l)) && !aboutSomeoneElse(text) {
		// "两个分期分别还多少", "我三个分期分别哪天还": each plan's next due
		// date and amount, as the bill shows them (a regression run:
		// unsure, once 分别 was no longer a no).
		s.conv.Misses = 0
		if other, err := s.forSomeoneElse(text); err != nil || other {
			return err
		}
		return s.startBeside(text, "bill", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && planMissing.MatchString(l) && !aboutSomeoneElse(text) &&
		!containsAny(l, "注销", "销户", "入口", "按钮", "设置", "在哪", "退款", "close", "button", "setting", "refund") { // "分期账户怎么注销 app里找不到": the way, not a plan
		// "我上个月在商城分期买了个手机 怎么查不到啊": the plans this account
		// has, and where another may be (an audit with no plans got the
		// refunds' answer).
		if told, err := planMissingAnswer(s, l); told || err != nil {
			return err
		}
	}
	if bareDays.MatchString(strings.ToLower(strings.TrimSpace(text))) && s.conv.CustomerID != "" {
		// "how many days", "几天了" alone: with a bill overdue, how long it
		// has been (an audit got the closure's processing time).
		late, err := s.hasOverdue()
		if err != nil {
			return err
		}
		s.conv.Misses = 0
		if late {
			return s.startFlow("bill", askedOverdue)
		}
		return s.startFlow("bill", "") // how long until each is due, the bill says (a regression run: the closure's time)
	}
	if asksIfOverdue(text) || asksIfOverdue(s.withoutOwnProducts(text)) { // "我逾期了吗": the customer's bills say, first; "is my K70 payment overdue?" (a probe: its quote)
		s.conv.Misses = 0
		if l := strings.ReplaceAll(s.withoutOwnProducts(text), " ", ""); !asks(text) && payOverdueZh.MatchString(l) && requestOnly(l) && !anyPerson.MatchString(l) && s.conv.CustomerID != "" {
			// "还逾期的": a payment asked (a probe got "是的" and the bill)
			// — with nothing overdue, the answer that says so (a replay:
			// the list of bills to pay, not a word of it). "还K70逾期的":
			// the K70's (a probe: its yes or no).
			if late, err := s.hasOverdue(); err != nil || late {
				if err != nil {
					return err
				}
				named, err := planNamed(s, text)
				if err != nil {
					return err
				}
				if named != nil {
					return s.startFlow("pay", named.ID)
				}
				return s.startFlow("pay", "")
			}
		}
		if other, err := s.forSomeoneElse(text); err != nil || other { // "is my mom overdue?": not their own status
			return err
		}
		if told, err := planOverdue(s, text); told || err != nil { // "我的手表逾期了吗": that plan's
			return err
		}
		if s.conv.Flow != "" && waitsForYes(s.conv.State) {
			return s.beside("bill", askedOverdue)
		}
		return s.startFlow("bill", askedOverdue)
	}
	if named, err := s.namesClosure(text); err != nil || named { // "CR-20261205-0001 到哪一步了": that request's status
		if err != nil {
			return err
		}
		return s.startFlow("closure", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && whenDone.MatchString(l) && !aboutSomeoneElse(text) && s.openClosure() != nil {
		// "when will it be done" just after a closure was submitted: its
		// status and dates (an audit: "can't answer", the dates one line
		// above).
		s.conv.Misses = 0
		return s.startFlow("closure", "")
	}
	if l := strings.ToLower(text); closureLater.MatchString(l) && !asks(text) && !aboutSomeoneElse(text) {
		// "ok close it when they are", "等退款到了再帮我注销": nothing is
		// queued here — the request is made once what stands in the way
		// is done (an audit got the closure's timing, read as queued).
		s.conv.Misses = 0
		s.say(s.T("closure.no_queue"), s.next(s.menuBtn(s.T("menu.close"), "close"))...)
		return nil
	}
	if l := strings.ToLower(text); closureNoticeAsked.MatchString(l) && !aboutSomeoneElse(text) && s.showAnswer("close-account-processing-time") {
		s.conv.Misses = 0 // "注销成功了会通知我吗": how long, and that its outcome is told here (an audit: the reminders' answer)
		return nil
	}
	if asksIfClosed(text) { // "我已经还清了 账户是不是注销了": their closure request says
		if other, err := s.forSomeoneElse(text); err != nil || other { // "我妈的注销进度怎么样了"
			return err
		}
		return s.startFlow("closure", "")
	}
	if l := strings.ToLower(text); s.conv.CustomerID != "" && containsAny(l, "退款", "退钱", "refund") && containsAny(l, "注销", "销户", "close my account", "close the account", "closing", "closure") &&
		!containsAny(l, "征信", "信用", "credit", "注销后", "注销以后", "注销之后", "after clos") && !aboutSomeoneElse(text) { // not what closing does to a credit record (a regression run)
		// "退款能不能快点 我着急注销": with a refund in progress, the
		// closure's check says that is what it waits for (an audit: "pay
		// everything off first" to one who owed nothing).
		c, err := s.customer()
		if err != nil {
			return err
		}
		if c != nil && c.PendingRefunds > 0 {
			return s.startFlow("close", "")
		}
	}
	if s.conv.CustomerID != "" && asksIfCanClose(text) { // "现在可以注销了吗": the closure's check says
		if other, err := s.forSomeoneElse(text); err != nil || other {
			return err
		}
		return s.startFlow("close", "")
	}
	// What is asked, without a clause that puts another plan or part off
	// ("平板那个帮我还了，剩下的下个月再说": the pad's bill, not the overview a
	// replay got).
	c := s.e.cfg.Classifier.Classify(s.asked(strings.ToLower(text)))
	if named := brandNames.Replace(text); !c.Confident && named != text {
		// "提前还款 红米本": the FAQ reads 红米 as shopping; named as the
		// product is, it may read the request (kept only if it is sure).
		if c2 := s.e.cfg.Classifier.Classify(named); c2.Confident {
			c = c2
		}
	}
	if s.conv.CustomerID != "" && (!c.Confident || c.Kind == "out_of_scope") {
		// "提前还清 iPhone 15 Pro Max", "pay off the Huawei MatePad": the
		// FAQ reads another brand as another lender's or the shops'; named
		// as a plan of theirs, it is read as its kind (a probe got "Huabei
		// and JD Baitiao are not handled here" for the customer's own plan).
		asKind := s.ownNameAsKind(text)
		if l := strings.ToLower(text); c.Kind == "out_of_scope" && bankIn(l, s.conv.Lang) != "" && anyCardOf(s, l) &&
			!containsAny(l, "loan", "贷款", "借款", "borrow", "mortgage", "房贷", "车贷") { // a loan at that bank is still the bank's (a replay)
			// "pay this month with my Bank of China card": the FAQ reads
			// another bank's loans; one of their cards is the card's (a probe).
			asKind = withoutBanks(cmp.Or(asKind, l))
		}
		if asKind != "" {
			if c2 := s.e.cfg.Classifier.Classify(s.asked(asKind)); c2.Confident && c2.Kind != "out_of_scope" {
				c = c2
			}
		}
	}
	if c.Confident && c.ID == "agent" && len(c.Also) > 0 {
		// "还款提醒怎么关 烦死了": annoyance beside a question asks no person
		// — the question is answered (a probe was handed off, the question
		// left); a person asked for in words stays the hand-off.
		if rest := withoutVenting(text); rest != "" && rest != text {
			if c2 := s.e.cfg.Classifier.Classify(s.asked(strings.ToLower(rest))); c2.Kind != "" && c2.ID != "agent" {
				c = c2
			}
		}
	}
	if c.ID == "oos-other-credit" && ownLoan(text) {
		// "whats the interest on my loan", "我的贷款还剩多少": the
		// customer's installments called a loan, not another lender's (an
		// audit got "loans of any kind are not handled here").
		if c2 := s.e.cfg.Classifier.Classify(loanWords.Replace(strings.ToLower(text))); c2.ID != "oos-other-credit" && c2.Kind != "" {
			c = c2
		}
	}
	if s.conv.CustomerID != "" && (switchesReminders(text) && (s.readsAs(c, "remind") || stopsReminding(text)) || stopsMessages.MatchString(strings.ToLower(strings.TrimSpace(text)))) {
		// "不要再提醒我了好吗", "关掉提醒可以吗": a switch asked politely is
		// the switch, not the guide on how to set it (a probe).
		return s.setRemindersAsked(text)
	}
	if s.conv.CustomerID != "" && s.readsAs(c, "autopay") && asksAutopayState(text) {
		// "自动还款还开着吗", "is autopay still on?": their plans' switches,
		// not the guide on how to set them (a probe).
		if other, err := s.forSomeoneElse(text); err != nil || other {
			return err
		}
		s.conv.Misses = 0
		return s.startFlow("autopay", "")
	}
	if l := strings.ToLower(text); !c.Confident && s.conv.CustomerID != "" && debitCardAsked.MatchString(l) && !aboutSomeoneElse(text) {
		s.conv.Misses = 0 // the readers of a debit by its day, or of auto-repayment, did not take it
		return s.startFlow("cards", "")
	}
	if (!c.Confident || c.Kind == "out_of_scope" && c.ID == "oos-order") && !orderDeskWords(text) {
		// "订单号5240823567812的还款计划": an order of their own, not the
		// mall's order desk — its schedule.
		if plan, err := s.ownOrderNamed(text); err != nil || plan != "" {
			s.conv.Misses = 0
			if err != nil {
				return err
			}
			return showSchedule(s, plan)
		}
		if order, err := s.otherOrderNamed(text); err != nil || order != "" { // another's order, asked as one's own plan
			if err == nil {
				s.ownOnly(s.T("others.order_not_yours", "order", lastFour(order)))
			}
			return err
		}
	}
	if c.Confident {
		switch c.Kind {
		case "flow":
			if name, ok := intents[c.ID]; ok {
				if name == "repay" && paysABillOnly(s.asked(strings.ToLower(text))) {
					name = "pay" // "逾期的帮我还掉", "我要还清这期": the bill, not the whole plan (read as the classifier read it)
				}
				if sp := s.e.flows[name]; sp != nil && sp.needsCustomer {
					// "帮我查下我老婆的账单", "show bill for order
					// 5240607345678" (another's): the chat's own customer
					// is not who is asked about, and must not be shown as if.
					if other, err := s.forSomeoneElse(text); err != nil || other {
						return err
					}
				}
				if keep, err := s.keepsQuote(name, text); err != nil || keep {
					// "这期不是13号才到期吗 现在还会不会亏" at the bill's own
					// quote: about the quote in front of them, which is
					// kept, not started again.
					s.conv.Misses = 0
					if err == nil {
						s.say(s.confirmHow())
					}
					return err
				}
				if (name == "pay" || name == "repay") && paymentNotAsked(text, s.asked(strings.ToLower(text))) {
					// "我妈已经帮我还逾期的了", "昨天还逾期的那笔了", "我下周还逾
					// 期的": a payment said made or for later — the bill, which
					// says what is still owed, not a quote (a replay: a 确认
					// after it paid ¥616.25 again).
					s.conv.Misses = 0
					return s.startFlow("bill", "")
				}
				if actsOnMoney[name] && supposes(text) {
					// "what happens if i cancel my scheduled repayment", "卡被
					// 冻结了，这期还款会不会逾期": a question about what the flow
					// would do — answered, never a quote or a list started on
					// it (a probe); with no topic close, the flow is offered.
					if c.Topic != "" && s.showAnswer(c.Topic) {
						s.e.metrics.FAQ("answered")
						s.conv.Misses = 0
						return nil
					}
					c.Suggestions = []string{c.ID}
					break
				}
				s.e.metrics.FAQ("flow")
				if l := strings.ToLower(text); name == "remind" && containsAny(l, "账单", "bill") &&
					!containsAny(l, "提醒", "remind", "通知", "notif", "开", "关", " on", " off") {
					name = "bill" // "alert 账单": the bill, not reminders switched on (a probe: the bill dropped)
				}
				if l := strings.ToLower(strings.TrimSpace(text)); name == "bill" && payFirst.MatchString(l) && !asks(text) && paysNotOff(l) && s.conv.Flow == "" {
					name = "pay" // "pay the watch this month": paying it, not looking at it (a probe: the plan's card, no way to pay)
				}
				if l := strings.ToLower(text); name == "bill" && s.conv.State == "quoted" && s.slots.Quote != nil && paySaid(l) && !asks(text) {
					// "不用结清 还笔记本这期就行", "其实我是想还笔记本" at the phone's
					// payoff: the laptop's payment, the quote replaced (a probe:
					// the laptop's card beside, and a 确认 paid the phone off).
					if p, err := openPlanSaid(s, text); err != nil || p != nil && p.ID != s.slots.Plan {
						if err != nil {
							return err
						}
						flow := cmp.Or(otherQuoteAsked(s.conv.Flow, text), s.conv.Flow)
						if periodAsked.MatchString(l) {
							flow = "pay"
						}
						return s.startFlow(flow, p.ID)
					}
				}
				if (name == "bill" || name == "remind") && s.conv.Flow != "" && waitsForYes(s.conv.State) {
					return s.beside(name, typedArg(name, text))
				}
				if err := s.startFlow(name, typedArg(name, text)); err != nil {
					return err
				}
				if err := s.cardAsked(text); err != nil { // "pay the overdue one with my icbc card"
					return err
				}
				if others := s.alsoAsked(c.Also, name); len(others) > 0 { // "我这个月要还多少 逾期会怎样"
					s.say(s.T("faq.also"), others...)
				}
				return nil
			}
		case "faq":
			if quoted, err := s.payoffWithItsFee(c.ID, text); err != nil || quoted {
				return err
			}
			if s.showAnswer(c.ID, c.Also...) {
				s.e.metrics.FAQ("answered")
				s.conv.Misses = 0
				return nil
			}
		case "out_of_scope":
			if c.ID == "oos-not-covered" && aboutSomeoneElse(text) {
				// "替我朋友还一下这期" read as "can a friend pay for me":
				// either way about another person's payment.
				s.ownOnly(s.T("others.own_only"))
				return nil
			}
			if told, err := s.ownPlanNotGoods(c, text); told || err != nil {
				return err
			}
			if s.showOutOfScope(c.ID) {
				return nil
			}
		}
	}
	if paying, err := s.paysAPlanNamed(c, text); err != nil || paying {
		return err
	}
	if looked, err := s.looksAtAPlanNamed(c, text); err != nil || looked {
		return err
	}
	if aboutSomeoneElse(text) {
		// Not understood, but about another person's installments ("替我朋友
		// 还一下这期"): no suggestion that would act on the asker's own.
		s.ownOnly(s.T("others.own_only"))
		return nil
	}
	s.conv.Misses = s.misses + 1
	s.missed = text
	// The flows offered as flows: a suggestion that is no topic. (The
	// topic early-repayment shares its flow's id; offered, it is the topic.)
	var offered []string
	for _, id := range c.Suggestions {
		if _, ok := intents[id]; ok && s.e.cfg.Answers.Title(id, s.conv.Lang) == "" {
			offered = append(offered, id)
		}
	}
	// A topic and the flow it tells of are one offer: the flow, which does
	// it ("when will you remind me?": one "🔔 Reminders") — or the topic, for
	// a question of what would follow ("取消了预约还款是不是就不用还了": the
	// answer, not the cancel list alone; a probe).
	told := map[string]bool{} // flows a suggested topic tells of
	for _, id := range c.Suggestions {
		if _, flow, ok := s.e.cfg.Answers.Answer(id, s.conv.Lang); ok && flow != "" && s.e.cfg.Answers.Title(id, s.conv.Lang) != "" {
			told[flow] = true
		}
	}
	question := supposes(text)
	var rows [][]supportbot.Button
	for _, id := range c.Suggestions {
		if question && slices.Contains(offered, id) && told[id] {
			continue
		}
		if _, flow, ok := s.e.cfg.Answers.Answer(id, s.conv.Lang); !question && ok && flow != "" && slices.Contains(offered, flow) {
			continue
		}
		if title := s.e.cfg.Answers.Title(id, s.conv.Lang); title != "" {
			rows = append(rows, []supportbot.Button{s.viewBtn(title, "faq", id)})
		} else if name, ok := intents[id]; ok && name != "agent" { // a person is offered anyway
			// The flow as the words would start it: "提前两天提醒我" offers
			// reminders on, not /remind's toggle, which would turn them off.
			data := name
			if arg := typedArg(name, text); arg != "" {
				data += ":" + arg
			}
			rows = append(rows, []supportbot.Button{s.menuBtn(s.T("menu."+name), data)})
		}
	}
	menu := s.menuBtn(s.T("btn.menu"), "menu")
	// At a step, what was not understood may have been a correction
	// ("actually the laptop"): a yes right after it is asked again (Aside),
	// and no "type 确认" is said here to be refused then.
	switch {
	case s.conv.Misses >= 2:
		// Missed again: a person first, and what it might still be below.
		s.e.metrics.FAQ("missed")
		if len(rows) > 0 {
			s.say(s.T("faq.offer_human_or"), append([][]supportbot.Button{{s.humanBtn()}}, append(rows, []supportbot.Button{menu})...)...)
			return nil
		}
		s.say(s.T("faq.offer_human"), []supportbot.Button{s.humanBtn()}, []supportbot.Button{menu})
	case len(rows) > 0:
		s.e.metrics.FAQ("unsure")
		s.say(s.T("faq.suggest"), append(rows, []supportbot.Button{s.humanBtn(), menu})...)
	default:
		s.e.metrics.FAQ("missed")
		s.say(s.T("faq.none"), []supportbot.Button{s.humanBtn()}, []supportbot.Button{menu})
	}
	return nil
}

// readsAs reports a classification whose reading is the flow named (an
// intent's name, as in flows.yaml): the flow, or its how-to topic, as the
// answer or the first suggestion.
func (s *Step) readsAs(c Classification, flow string) bool {
	id := c.ID
	if !c.Confident && len(c.Suggestions) > 0 {
		id = c.Suggestions[0]
	}
	if id == flow {
		return true
	}
	_, of, ok := s.e.cfg.Answers.Answer(id, s.conv.Lang)
	return ok && of == flow
}

// ownLoan reports the customer's own installments called a loan ("my
// loan", "this loan", "我的贷款") — not another lender's (a car loan, a
// mortgage, 花呗, another bank's).
func ownLoan(text string) bool {
	l := strings.ToLower(text)
	return ownLoanSaid.MatchString(l) && !containsAny(l, "car", "auto", "mortgage", "home", "house", "student", "personal", "payday", "bank loan",
		"credit card", "other", "another", "huabei", "jd", "花呗", "借呗", "白条", "房贷", "车贷", "信用卡", "银行", "别的", "其他", "网贷")
}

var (
	ownLoanSaid = regexp.MustCompile(`\b(?:my|this|the|our) (?:[a-z0-9]+ ){0,2}loans?\b|我的贷款|这笔贷款|这个贷款|(?:手机|电脑|笔记本|平板|电视)的?贷款`)
	loanWords   = strings.NewReplacer("loans", "installments", "loan", "installment", "贷款", "分期")
)

// paysAPlanNamed starts the payment an unsure reading leans to when the
// words ask to pay one of the customer's plans by name ("pay the laptop
// bill", "我要repay laptop", "笔记本这期帮我还了") or as the overdue one
// ("帮我把逾期的结清": its bill, not the plan's payoff): its quote, to
// confirm as any, rather than a suggestion that asks which plan again (a
// probe).
// ownPlanNotGoods takes a plan of the customer's named by its product's
// whole name with words of its bill ("Redmi Note 14 Pro+ 5G 提前还款", "pay
// off the Redmi Note 14 Pro+ 5G", "…这期多少钱") that the FAQ read as the
// mall's goods or a device's repair: the plan's payment, or its schedule
// (a replay: the mall's prices desk, once a model's words weighed more).
func (s *Step) ownPlanNotGoods(c Classification, text string) (bool, error) {
	l := strings.ToLower(text)
	if c.ID != "oos-shopping" && c.ID != "oos-device" && c.ID != "oos-returns" || s.conv.CustomerID == "" || !ownPlanWords.MatchString(l) || aboutSomeoneElse(text) ||
		goodsWords.MatchString(l) {
		return false, nil
	}
	p, err := openPlanSaid(s, text)
	if err != nil || p == nil {
		return false, err
	}
	c.Confident, c.Suggestions = false, nil
	if paying, err := s.paysAPlanNamed(c, text); err != nil || paying {
		return true, err
	}
	s.conv.Misses = 0
	if !asks(text) && !supposes(text) && refusalIn(text) == refusesNothing {
		switch {
		case asksPayoff(l): // "…提前还款": its payoff
			return true, s.startFlow("repay", p.ID)
		case paysThisPeriod.MatchString(l): // "还…这期"
			return true, s.startFlow("pay", p.ID)
		}
	}
	return true, showSchedule(s, p.ID)
}

// goodsWords are the device's or the goods' own matters, which stay the
// desks' ("我的Redmi K70屏幕碎了 还在分期 怎么保修", "…现在多少钱 我分期买贵了吗":
// a replay got the plan's schedule).
var goodsWords = regexp.MustCompile(`保修|维修|售后|坏了|碎了|屏幕|故障|质量|价格|降价|现在多少钱|买贵|值不值|退货|换货|` +
	`\b(?:repair|broken|warranty|screen|price|cheaper now|return|exchange)\b`)

// ownPlanWords are words of an installment's bill, not of goods.
var ownPlanWords = regexp.MustCompile(`还款|提前|结清|还清|这期|本期|账单|分期|几期|还剩|剩多少|(?:那个|那笔|那台|那部)[^，。,]{0,6}还|` +
	`\b(?:pay|payoff|bill|installments?|due|owe|left|period)\b`) // "手机那个怎么还", "平板那个过两天帮我还": paying it, not the goods (a replay: the repair and the returns desks)

func (s *Step) paysAPlanNamed(c Classification, text string) (bool, error) {
	if s.conv.CustomerID == "" || c.Confident || asks(text) || supposes(text) {
		return false, nil
	}
	l := s.asked(strings.ToLower(text)) // the request, another part put off aside
	// someone else named, unless asking the customer to pay ("我妈让我把逾期的还了": a replay got unsure)
	someone := !askedOfThem(l) && (anyPerson.MatchString(l) || anyKin.MatchString(l) || thirdPerson.MatchString(l))
	if paymentNotAsked(text, l) || paidInClause(l) || someone || zhNotPaying.MatchString(l) {
		return false, nil // "逾期的我已经还上了", "逾期那期我刚刚还了", "逾期的我妈说她来还" (a replay: a 确认 paid ¥616.25)
	}
	var name string
	if len(c.Suggestions) > 0 {
		name = intents[c.Suggestions[0]]
	}
	switch {
	case name == "repay" && payFirst.MatchString(l) && !asksPayoff(l):
		// "pay the tv max 100", "pay the mi band 9": a plan's bill, whatever
		// the reading leans to (an English probe: a number ending the
		// product's name leaned it to the payoff, ¥14,590.95 one tap away
		// for a bill of ¥848.29).
		name = "pay"
	case name == "pay" || name == "repay" || name == "bill":
	case len(c.Suggestions) > 0 && !paysThePlanAlone(l) && !zhPaysAsked(l):
		return false, nil // beside another topic, more than a plan said ("pay the laptop in a few days")
	case (payFirst.MatchString(l) || zhPaysAsked(l)) && !declines(text) && refusalIn(text) == refusesNothing && !wordsIn(l, "no") && !wordsIn(l, "not") &&
		!containsAny(l, "never mind", "nevermind", "nvm", "maybe", "after", "or not", "算了", "不"):
		// "pay the redmi", "还笔记本": no topic near it (an English probe:
		// "can't answer") — its bill, unless paying it off is said; not
		// with a no or a later in it ("pay the laptop, never mind", "pay
		// the laptop after payday": a regression run quoted them).
		// Also beside another topic suggested ("pay the smart display":
		// repayment history — an audit), or a request in words the FAQ
		// reads as another ("笔记本那个帮我全款还了": turning installments
		// off — a replay got unsure).
		name = "pay"
		if asksPayoff(l) || payoffSaidZh(l) && !paysABillOnly(l) {
			name = "repay"
		}
	default:
		return false, nil
	}
	if name == "bill" && payFirst.MatchString(l) || name == "repay" && paysABillOnly(l) { // "pay the laptop bill": paying it, not looking
		name = "pay"
	}
	if name == "bill" && zhPayAsked.MatchString(l) && payoffSaidZh(l) && !paysABillOnly(l) {
		name = "repay" // "笔记本剩下的帮我还了": what is left of it, paid (a replay: unsure)
	}
	if name == "pay" && s.conv.Flow == "repay" && s.conv.State == "choosing" && !paysABillOnly(l) && !periodNamed.MatchString(l) && !overdueNamed(l) {
		// "先还耳机" at the payoffs' list ("两个都提前还清一共多少"): the
		// earbuds paid off first, as the list offers — not their bill (a
		// probe: a 确认 paid one period).
		name = "repay"
	}
	// "i want to pay off my laptop early how much is the fee": what it
	// costs, asked with the request, is what its quote says.
	if asksToDo.MatchString(l) {
		l = costQuestion.ReplaceAllString(l, "")
	}
	if name != "pay" && name != "repay" || !paySaid(l) || aboutSomeoneElse(text) ||
		containsAny(l, "怎么", "如何", "哪", "什么", "为什么", "how", "where", "when", "why", "what",
			// later, or not now: "I'll pay the phone next week" (a review)
			"will", "'ll", "’ll", "next", "later", "tomorrow", "tmrw", "明天", "下周", "下个月", "以后", "回头", "过几天", "等") {
		return false, nil
	}
	open, err := s.openPlans()
	if err != nil {
		return false, err
	}
	// "帮我把逾期的结清", "pay off this period": the bill named, not a plan.
	billNamed := name == "pay" && (overdueNamed(l) && overdueSaid(l, open, s.today) > 0 || periodNamed.MatchString(l) ||
		containsAny(l, "欠的", "欠款", "欠着的", "欠你们的")) // "把欠的钱还了": what is owed (a probe: unsure)
	// A kind none of theirs is ("pay my phone" with a display and a
	// laptop): the flow says so above their plans (an audit: the display's
	// quote, a brand read as a phone; then unsure).
	notTheirs := len(open) > 0 && kindNotTheirs(bare(text), open) != ""
	// A kind several of theirs are ("pay the band" with two bands): the
	// list, which tells them apart (an English probe: unsure).
	kind, _ := kindSaid(bare(text))
	severalOfKind := kind >= 0 && len(slices.DeleteFunc(slices.Clone(open), func(p supportbot.Plan) bool { return kindShown(p.Product) != kind })) > 1
	// The one plan named by its kind or name ("手机那个帮我还了" with one
	// phone): a replay got unsure.
	theOne := len(open) == 1 && (kind >= 0 && kindShown(open[0].Product) == kind || planSaid(bare(text), open) > 0)
	if !billNamed && !notTheirs && !severalOfKind && !theOne && (len(open) < 2 || planSaid(bare(text), open) == 0) {
		return false, nil
	}
	if other, err := s.forSomeoneElse(text); err != nil || other {
		return true, err
	}
	s.conv.Misses = 0
	s.e.metrics.FAQ("flow")
	if err := s.startFlow(name, ""); err != nil {
		return true, err
	}
	return true, s.cardAsked(text) // "65寸 提前结清 用平安卡": on that card (a replay: the default's)
}

// looksAtAPlanNamed shows the bill of a plan of the customer's named with a
// question of what it owes that the FAQ leans to the bill for but is unsure
// of ("电脑那笔还剩多少", "笔记本那笔还剩多少": a probe got unsure, where "笔记本
// 还剩多少" is answered): looking moves no money.
func (s *Step) looksAtAPlanNamed(c Classification, text string) (bool, error) {
	if s.conv.CustomerID == "" || c.Confident || len(c.Suggestions) == 0 || intents[c.Suggestions[0]] != "bill" || aboutSomeoneElse(text) {
		return false, nil
	}
	l := strings.ToLower(text)
	if !owedAsked.MatchString(l) || payVerb.MatchString(strings.ReplaceAll(l, "还剩", "")) && !asks(text) {
		return false, nil
	}
	p, err := planNamed(s, text)
	if err != nil || p == nil {
		return false, err
	}
	s.conv.Misses = 0
	return true, s.startFlow("bill", "")
}

// owedAsked asks what is owed or left.
var owedAsked = regexp.MustCompile(`多少|还剩|剩下|剩几|几期|\bhow much\b|\bleft\b|\bowe\b|\bremaining\b`)

// paysThePlanAlone reports an English request to pay a plan that says
// nothing but the plan ("pay the smart display", "pay my display bill"):
// every other word is a word of a kind of device, or of no weight.
func paysThePlanAlone(l string) bool {
	m := payAlone.FindStringSubmatch(l)
	if m == nil {
		return false
	}
	for _, w := range strings.Fields(m[1]) {
		if !slices.ContainsFunc(kindWords, func(k kindWord) bool { return strings.TrimSpace(k.word) == w }) && !nameWord.MatchString(w) {
			return false
		}
	}
	return true
}

// payAlone is "pay the …" and a bill's words; nameWord a word a product's
// name may have that says nothing else: not "in", "late", "days".
var (
	payAlone = regexp.MustCompile(`^(?:please |pls |plz |i want to |i'd like to |id like to |let me |i need to )?pay (?:off )?(?:for )?(?:my |the )?([a-z0-9+ ]{2,40}?)(?: bill| installment| instalment| payment)?(?: please| pls| now)?[.!]*$`)
	nameWord = regexp.MustCompile(`^(?:smart|display|pro|max|ultra|mini|lite|plus|air|se|[a-z]?[0-9]+[a-z]*|xiaomi|redmi|poco|mi|mijia|robot|vacuum|air purifier|speaker|sound|move|band|buds|watch|pad|book|tv|note|k[0-9]+)$`)
)

// paysNotOff reports an English request to pay a plan, not to pay it off:
// "i wanna pay my laptop installment", "pay the phone", "pay off the
// laptop's monthly installment" — a period's bill. An English probe got
// the payoff quote, its fee and all, for each. Off without a bill's word,
// early, all of it, the rest, in full: the payoff.
func paysNotOff(l string) bool {
	if !wordsIn(l, "pay") || strings.ContainsAny(l, "0123456789") || // an amount: what it is of decides (amountNamed)
		slices.ContainsFunc(wholePlanEN, func(w string) bool { return wordsIn(l, w) }) {
		return false
	}
	bill := slices.ContainsFunc([]string{"bill", "monthly", "month", "installment", "instalment", "period", "due"}, func(w string) bool { return wordsIn(l, w) })
	return bill || !wordsIn(l, "off")
}

// asksPayoff reports words that ask for a plan paid off, not its bill.
func asksPayoff(l string) bool {
	return !paysNotOff(l) && (containsAny(l, "提前", "结清", "还清", "全部", "一次性") || wordsIn(l, "off") ||
		slices.ContainsFunc(wholePlanEN, func(w string) bool { return wordsIn(l, w) }))
}

// wholePlanEN say a whole plan paid, in English.
var wholePlanEN = []string{"payoff", "repay", "early", "all", "entire", "whole", "remaining", "rest", "everything", "full",
	"fully", "entirely", "totally", "advance", "zero", "lump", "balance", "settle", "clear", "completely", "outstanding", "total"}

// costQuestion is what a payment costs asked beside asking for it.
var costQuestion = regexp.MustCompile(`\bhow much (?:is|are|will|would|does)?\s*(?:it|the fee|the fees|the total|that|this)?\s*(?:cost|be)?\b|` +
	`(?:手续费|一共|总共|要)?(?:多少钱|是多少|要多少)`)

// payFirst is a request that starts with paying ("pay the laptop bill",
// "帮我还笔记本的账单").
var payFirst = regexp.MustCompile(`^(?:please |pls |plz |i want to |i'd like to |id like to |let me |i need to )?(?:pay|repay|settle)\b|` +
	`^(?:请|请帮我|帮我|我要|我想|给我)?(?:还|付)`)

// actsOnMoney are the flows whose steps move money or change the account:
// a question that supposes them is not a request for them.
var actsOnMoney = map[string]bool{"pay": true, "repay": true, "cancel": true, "close": true, "autopay": true}

// supposes reports a question about what would follow something ("if i
// cancel it, do i still need to pay", "这期还款会不会逾期", "what happens if I
// pay off early"), not a request: a consequence asked, or a condition in a
// question — "pay my bill now, if that's possible", "能的话帮我把这期还了",
// "cancel it if it's not too late" are requests (a review).
func supposes(text string) bool {
	t := strings.ToLower(text)
	return consequence.MatchString(t) || condition.MatchString(t) && asks(text) ||
		holdsAfter.MatchString(t) && !asksToDo.MatchString(t)
}

var (
	consequence = regexp.MustCompile(`\bwhat happens\b|\bwhat if\b|\bwill\b.*\bstill\b|\bdo i still\b|\bwill i\b|\bwould i\b|会不会|是否会|` +
		`是不是就|是否就|还用不用|还要不要|还需不需要`) // "取消了是不是就不用还了"
	condition = regexp.MustCompile(`\bif\b|如果|要是|假如|万一|的话`)
	// holdsAfter asks what holds only once something is done ("还清了手机才
	// 是我的吗"); asksToDo, said with it, makes the message a request
	// that asks more ("帮我把笔记本提前还了，还了之后就能注销吗"): it acts.
	holdsAfter = regexp.MustCompile(`了.{0,12}才(?:是|能|可以|算).{0,12}[吗么？?]|(?:之后|以后).{0,12}就.{0,12}[吗么吧？?]`)
	asksToDo   = regexp.MustCompile(`我要|我想|帮我|请|麻烦|给我|i want|i'd like|please`)
)

// creditAsked is the answer to a worry about one's credit record that
// names nothing else — what paying late does to it ("我征信会不会有问题",
// "我的征信会不会受影响"), or, a bad mark to be undone ("征信会不会恢复"),
// that no one here can — or "" for any other question about it (closing the
// account, paying off early, checking a report: their topics).
func creditAsked(l string) string {
	if overdueHurtsALoan(l) || toldOverdue.MatchString(l) && !containsAny(l, disputed...) {
		return "overdue-consequences"
	}
	if loc := lateWord.FindStringIndex(l); loc != nil && otherLoan.MatchString(l[:loc[0]]) {
		return "" // "我的房贷逾期了会影响征信吗": another lender's lateness, the FAQ's to place
	}
	if reportsToBureau.MatchString(l) && !containsAny(l, "repair", "fix", "remove", "erase", "delete", "修复", "消除", "删除", "洗白") {
		// "will you report me to the credit bureau", "do you report to the
		// PBOC", "逾期会上征信吗": whether and when it is reported (an
		// English probe got the credit-repair scam warning).
		return "overdue-consequences"
	}
	if creditWord.MatchString(l) && closesAccount(l) && !lateWord.MatchString(l) {
		return "after-closure" // "关闭分期会影响征信吗": what a closure keeps (it got the overdue topic)
	}
	if !creditWord.MatchString(strings.ReplaceAll(l, "credit card", "")) || containsAny(l, "注销", "关闭", "销户", "提前", "结清", "查", "报告", "申请", "审核", "不好", "能分期", "取消", "预约",
		"close", "closing", "early", "pay off", "payoff", "check", "report", "apply", "cancel", "booking", "schedul") {
		return "" // closing, paying off, cancelling, checks and applying: their own topics (a regression run)
	}
	switch {
	case containsAny(l, "恢复", "修复", "消除", "删除", "删掉", "删了", "去掉", "抹掉", "洗白", "撤销", "repair", "fix", "remove", "erase", "clean", "delete"):
		return "oos-credit-repair"
	case containsAny(l, "会不会", "有没有", "有问题", "受影响", "影响", "吗", "怎么办", "will", "affect", "hurt", "damage", "ruin", "problem", "?", "？"):
		return "overdue-consequences"
	}
	return ""
}

// closesAccount names the installments' closure in the words the
// classifier does not take for it ("关闭分期": 注销 and 销户 it reads), not
// a booking's or the Mi account's, and not a caller's demand (a scam's).
func closesAccount(l string) bool {
	return containsAny(l, "关闭分期", "关掉分期", "关了分期", "把分期关") && !containsAny(l, "预约", "自动", "提醒", "扣款", "小米账号", "转账", "电话", "保证金", "骗")
}

// overdueHurtsALoan reports a question whether being late here hurts
// applying for a mortgage, a car loan or a card ("逾期会影响我申请房贷吗",
// "will being late affect my mortgage application"): the guide says it
// may — a facts audit got "other lenders' loans are not handled here". Not
// the other loan or card itself late ("我的房贷逾期了会影响征信吗", "花呗逾期
// 会影响房贷吗"): a lender named before the lateness.
func overdueHurtsALoan(l string) bool {
	loc := overdueAgainstALoan.FindStringIndex(l)
	return loc != nil && !otherLoan.MatchString(l[:loc[0]])
}

var (
	overdueAgainstALoan = regexp.MustCompile(`(?:逾期|晚还|迟还|没按时还|拖欠)[^，。？?!！]{0,12}(?:影响|耽误|妨碍|连累)[^，。？?!！]{0,12}(?:房贷|车贷|贷款|信用卡|买房|买车|办卡|申卡|花呗|白条|借呗|网贷)|` +
		`(?:逾期|晚还|迟还|没按时还|拖欠)[^，。？?!！]{0,8}(?:房贷|车贷|贷款|信用卡)[^，。？?!！]{0,4}(?:批|办得下来|贷得下来|下得来|通过)|` +
		`(?:逾期|晚还|迟还|没按时还|拖欠)[^，。？?!！]{0,8}(?:还能|能不能|能否|会不会)(?:批|办|申请|贷)[^，。？?!！]{0,3}(?:房贷|车贷|贷款|信用卡)|` +
		`\b(?:late|overdue|missed payments?|missing a payment)\b.{0,40}\b(?:affect|hurt|impact|harm)\b.{0,30}\b(?:mortgage|car loan|home loan|loan|credit card)|` +
		`\b(?:late|overdue|missed payments?|missing a payment)\b.{0,40}\b(?:still )?(?:get|be approved for|qualify for)\b.{0,12}\b(?:mortgage|car loan|home loan|loan|credit card)`)
	// disputed says the customer was not late: a record to dispute (the
	// credit report's answer, with a person), not what lateness does.
	disputed = []string{"按时", "明明", "没逾期", "没有逾期", "却", "搞错", "弄错", "on time", "never late", "wasn't late", "was not late", "but i paid", "mistake", "wrong"}
	// toldOverdue: a lender or the credit report says the customer is
	// late ("急急急 我明天要办房贷 银行说我有逾期 怎么办": an audit got "other
	// lenders' loans are not handled here", to one overdue here).
	toldOverdue = regexp.MustCompile(`(?:银行|征信|信用报告|贷款|房贷|经理)[^，。？?!！]{0,8}(?:说|显示|查到|查出|上有|里有)我?(?:有|有个|有一笔|有一条)?(?:逾期|不良|欠款)|` +
		`\b(?:bank|lender|credit report|mortgage)\b[^.?!]{0,30}\b(?:says?|said|shows?|showed)\b[^.?!]{0,12}\b(?:i(?:'m| am| was)? (?:late|overdue)|(?:a |an )?(?:late|overdue|missed) payment)`)
	lateWord  = regexp.MustCompile(`逾期|晚还|迟还|没按时还|拖欠|\b(?:late|overdue)\b`)
	otherLoan = regexp.MustCompile(`房贷|车贷|贷款|信用卡|花呗|白条|借呗|网贷|银行|mortgage|loan|credit card|huabei`)
)

// transferredToUs tells of money sent to "us" by a bank transfer, not
// through a repayment channel ("我已经在手机银行上转账给你们了", "i
// transferred the money to your account").
var transferredToUs = regexp.MustCompile(`(?:转账|转钱|汇款|打款|转了[^，。？?]{0,6})(?:给|到)(?:你们|贵公司|你们公司|你们的)|(?:给|向|往)你们(?:的[^，。？?]{0,6})?(?:转账|转了|汇了|汇款|打了钱|打款)|` +
	`\b(?:transferred|wired|sent)\b[^.?!]{0,30}\b(?:to you|to your (?:account|company|bank))\b|\bbank transfer to you\b`)

// paidStillOverdue says a payment was made and asks why the bill is still
// overdue ("I paid yesterday, why is it still overdue", "我已经还了 为什么
// 还显示逾期").
var paidStillOverdue = regexp.MustCompile(`(?:已经|早就|昨天|前天|今天|刚才|我)(?:还|付|交)了[^。？?]{0,12}(?:为什么|为啥|怎么|咋)(?:还|仍然|依然|还是)?(?:显示|是|算|有)?(?:逾期|滞纳金)|` +
	`\bi (?:already |just )?(?:paid|repaid)\b[^.?!]{0,30}\b(?:why|how come)\b[^.?!]{0,24}\b(?:still|it)\b[^.?!]{0,12}\b(?:overdue|late|unpaid)\b`)

// paysOffline asks to pay in a store or in cash: a place or cash, and
// paying, a bill or the installments.
var paysOffline = regexp.MustCompile(`(?:小米之家|门店|线下|营业厅|柜台|实体店|现金|\bcash\b|\bin (?:a |the )?(?:store|shop)\b|\bin person\b)` +
	`[^，,。.!！]{0,12}(?:还|付|交|缴|pay|repay)|(?:还|付|交|缴)(?:款|钱|分期)?[^，,。.!！]{0,8}(?:小米之家|门店|线下|营业厅|柜台|实体店|现金)|` +
	`\b(?:pay|repay)\b[^,.!]{0,20}\b(?:in cash|cash|in (?:a |the )?(?:store|shop)|in person)\b`)

// autopayOnSaid tells that auto-repayment is on, and repaysEarly (with
// payoffAsked) asks of paying a plan off early: whether one may with the
// other is the payoff's question.
var (
	autopayOnSaid = regexp.MustCompile(`(?:开了|开通了|开着|设置了|设了)(?:自动还款|自动扣款)|(?:自动还款|自动扣款)(?:开着|开了|开通了|已开|已经开)|` +
		`\b(?:i have|i've got|i'm on|with) (?:autopay|auto[- ]?pay|auto[- ]repayment|auto[- ]debit)\b|\b(?:autopay|auto[- ]?pay|auto[- ]repayment|auto[- ]debit) is (?:on|enabled|set up)\b`)
	repaysEarly = regexp.MustCompile(`\b(?:pay off|repay|pay) (?:\w+ )?early\b|\bearly (?:repayment|payoff)\b|\bsettle (?:\w+ )?early\b`)
)

// unknownPlan tells of a plan, order or bill the customer did not make.
// A device named is the plan's too ("我没买过这个手机 为什么要我还钱", "I
// never bought this tablet": a probe got the partners' answer, and "no
// recent repayment").
var unknownPlan = regexp.MustCompile(`(?:没买过|没有买过|从来没买|不是我买的|不是我下的|没下过单|没有下过单|没申请过|没有申请过|不是我申请的)[^。？?!！]{0,16}(?:分期|订单|账单|这笔|手机|笔记本|电脑|平板|手表|手环|电视|耳机)|` +
	`(?:分期|订单|账单|这笔|手机|笔记本|电脑|平板|手表|手环|电视|耳机)[^。？?!！]{0,10}(?:不是我买的|不是我下的|不是我申请的|我没买过|我没有买过|我没申请过)|` +
	`\b(?:never bought|didn'?t buy|did not buy|never ordered|didn'?t order|did not order|don'?t recognize|do not recognize|never applied|didn'?t apply)\b.{0,40}\b(?:plan|installments?|order|bill|loan|phone|laptop|tablet|pad|watch|band|tv|earbuds|buds)\b|` +
	`\b(?:plan|installments?|order|bill|loan|phone|laptop|tablet|pad|watch|band|tv|earbuds|buds)\b.{0,30}\b(?:i never bought|i didn'?t buy|i never ordered|i didn'?t order|i don'?t recognize|i never applied for)\b`)

// certificateAsked names a written proof of paying: a certificate, a
// letter, a proof of payoff.
var certificateAsked = regexp.MustCompile(`(?:结清|还款|还清|无欠款|无逾期|清偿|已还清的?)证明|` +
	`\b(?:certificate|proof of (?:payment|payoff|repayment|settlement|full payment)|(?:paid[- ]in[- ]full|payoff|settlement|no[- ]debt|clearance) letter)\b`)

// buysOnInstallments asks how to buy something new on installments ("我要
// 用分期买个手机 怎么操作", "I want to buy a phone on installments, how?"):
// not a plan already bought, its bills or its return, not which product
// (the mall's shopping answer), not another platform's (Apple's), not
// whether one still can after a closure, a payoff or lateness.
func buysOnInstallments(l string) bool {
	return buyOnInstallments.MatchString(l) && (asks(l) || containsAny(l, howWhereWhy...) || containsAny(l, "我要", "我想", "想要", "i want", "i'd like", "id like")) &&
		!containsAny(l, "买的", "买了", "购买的", "bought", "purchased", "还款", "还钱", "要还", "退货", "退款", "账单", "bill", "repay", "pay off", "return", "refund",
			"哪款", "哪个好", "推荐", "which", "recommend", "苹果", "iphone", "apple", "花呗", "白条",
			"注销", "销户", "close", "closing", "还完", "还清", "逾期", "overdue", "额度", "limit", "借", "borrow", "loan", "信用卡", "credit") // after a closure, a payoff or lateness, a limit, a loan: their topics
}

// usesInstallmentsAgain asks to go on using installments ("以后还想用分期
// 怎么弄", "还能再用分期吗", "can i use installments again").
// notUsingAgain are a no, and the questions of after a closure, of a
// limit and of lateness: their topics.
var notUsingAgain = []string{"不", "别", "no longer", "not ", "don't", "dont", "won't", "wont", "never", "stop", "注销", "销户", "註銷", "close", "closed", "closing",
	"额度", "limit", "逾期", "overdue", "late"}

var usesInstallmentsAgain = regexp.MustCompile(`(?:以后|之后|下次|还|再)[^，。？?!！]{0,3}(?:想|要|能|可以)(?:再|继续)?(?:用|使用)分期|` +
	`(?:还能|能不能|可以|能)(?:再|继续)(?:用|使用)?分期|\b(?:use|get|buy with) installments? again\b|\bkeep using installments\b`)

var buyOnInstallments = regexp.MustCompile(`(?:用|想用|要用|能用|可以用)分期(?:付款)?(?:买|购买|购物)|分期(?:付款)?(?:买|购买)(?:个|一?台|一?部|东西|手机|电脑|电视|平板)|` +
	`买[^，。？?!！]{0,8}(?:怎么|如何|能不能|能|可以)分期|怎么(?:申请|开通|使用|用)?分期(?:买|购)|` +
	`\b(?:buy|get)\b.{0,30}\b(?:on|in|with) (?:installments?|instalments?|monthly payments|emis?)\b|\b(?:installments?|instalments?) to buy\b|` +
	`\bapply for (?:an? )?(?:emi|installments?|instalments?)\b.{0,20}\b(?:new|another)\b`) // "how do i apply for emi on a new tv" (an audit: the returns desk)

// dueDayCutoff asks until what hour of the due date a payment is in time:
// a time of that day and lateness or a cut-off ("还款日当天几点之前还不算逾
// 期", "what time on the due date do i have to pay by") — not when a
// debit is made ("还款日几点扣款").
var dueDayCutoff = regexp.MustCompile(`(?:还款日|到期日|到期那天|最后一天|当天)[^，。？?!！]{0,10}(?:几点|晚上|凌晨|半夜|12点|24点|十二点)[^，。？?!！]{0,10}(?:逾期|不算|算晚|截止|来得及|还来得及)|` +
	`几点(?:前|之前|以前)[^，。？?!！]{0,6}(?:还|付|交)[^，。？?!！]{0,6}(?:不算|逾期|来得及)|(?:还款日|到期日)当天[^，。？?!！]{0,8}算(?:不算)?逾期|` +
	`(?:\d{1,2}号|还款日|到期日)当天还(?:可以|行|来得及|算)|最后一天[^，。？?!！]{0,10}几点|` +
	`\bpay(?:ing)? on the (?:due date|due day)(?: itself)?,? (?:late|too late|ok|okay|in time|on time|count)|` +
	`\b(?:what time|cut-?off|midnight|until when|how late)\b.{0,30}\b(?:due date|due day)\b|\bdue date\b.{0,30}\b(?:what time|cut-?off|midnight|how late)\b`)

// returnedStillPay asks whether a plan returned or refunded is still to
// be paid ("手表已经退货了还要还吗", "我退了一个订单 还用还这个月的吗",
// "i returned the watch do i still have to pay").
var returnedStillPay = regexp.MustCompile(`(?:退货|退了货|退款了|退了(?:一个|这个|那个)?(?:订单|货)?)[^。？?]{0,12}(?:还要还|还用还|还得还|要不要还|需要还|还需要还|用不用还|还要付|还要交|还要继续还)|` +
	`\b(?:returned|refunded|sent back)\b[^.?!]{0,30}\b(?:still (?:have to |need to )?(?:pay|repay)|do i (?:still )?(?:need|have) to (?:pay|repay))\b|` +
	// a refund set against the bills ("退款能直接抵扣逾期的钱吗", "will the
	// refund cover my overdue bill": a probe got unsure)
	`退款[^，。？?]{0,10}(?:抵扣|冲抵|抵消|抵掉|能抵|可以抵|顶)|退款[^，。？?]{0,8}(?:会)?影响(?:我的)?还款|` +
	`\brefunds?\b[^.?!]{0,20}\b(?:cover|offset|count (?:towards|toward|against)|pay (?:off|for))\b|\b(?:pending )?refund\b[^.?!]{0,20}\bchange what i (?:have to |need to )?pay\b`)

// planDueAsked asks when a plan is paid ("手机什么时候还", "笔记本几号还",
// "平板第一期什么时候扣", "when is the laptop due"); plansCountAsked how
// many plans there are ("我有几笔分期", "how many installments do i have").
var (
	planDueAsked = regexp.MustCompile(`(?:什么时候|啥时候|几号|哪天|哪一天)(?:开始)?(?:还|扣|交|付|到期)|(?:还款日|到期日|扣款日)是?(?:哪天|几号|什么时候)|` +
		`\bwhen (?:is|are|do i pay|does|will|should i pay)\b[^.?!]{0,30}\b(?:due|pay|paid|charged|debited)\b|` +
		`\b(?:what(?:'s| is)|whats) the (?:date|due date|day) (?:of|for) (?:my |the )?next\b|\bwhen(?:'s| is) (?:my |the )?next\b[^.?!]{0,24}\b(?:payment|bill|installment|due)\b`) // "what is the date of my next laptop payment" (an English probe: unsure)
	// planPeriodPaid asks a plan's bill paid, the plan first and the verb
	// last ("笔记本这期我还一下吧").
	planPeriodPaid = regexp.MustCompile(`^(.{1,20}?)的?(?:这期|本期|这个月的?|第一期|第1期)(?:我)?(?:现在|今天)?(?:就)?(?:想|要)?(?:自己)?(?:手动|直接)?(?:先)?(?:提前)?(?:还|付|交)(?:一下|下|掉|上)?(?:了)?(?:吧|呗|啊)?[。.!！]*$`)
	// periodOfPlanPaid is planPeriodPaid with the verb first ("那我手动还手机
	// 这期", "我现在就还平板这期吧").
	periodOfPlanPaid = regexp.MustCompile(`^(?:那|那么|好|好的|行)?[，, ]*(?:我)?(?:现在|今天)?(?:就)?(?:自己|手动|直接)*(?:先)?(?:还|付|交)(?:一下|下)?(?:我的)?([^了过].{0,19}?)的?(?:这期|本期|这个月的?)(?:吧|呗|了吧|啊)?[。.!！]*$`) // not "我还了手机这期": paid
	// scheduleAsked asks to see a plan's schedule.
	scheduleAsked   = regexp.MustCompile(`\b(?:payment |repayment |installment )?schedule\b|\bpayment plan\b|还款计划|还款明细|分期明细|每期明细`)
	plansCountAsked = regexp.MustCompile(`(?:我)?(?:有|还有|一共有|总共有)几(?:笔|个)分期|\bhow many (?:installments?|instalments?|plans?|loans?) (?:do i have|have i got|are there)\b`)
)

// cardLeftBehind is what a masked card number leaves dangling at the end
// of a request: "with my card", "用这张卡".
var cardLeftBehind = regexp.MustCompile(`(?i)[\s,，]*(?:with|using|from|on|by)\s+(?:my |the |this )?(?:bank |debit |credit )?card(?: number| no\.?)?[\s.。!！]*$|` +
	`[\s,，]*(?:用|拿|从)(?:我的)?(?:这张|那张)?(?:银行)?(?:卡号|卡)[\s。!！]*$`)

// withoutOwnProducts is text lower-cased without the words of the
// customer's plans' products ("is my K70 payment overdue?" → "is my
// payment overdue?"), for a question's shape read around a plan named.
func (s *Step) withoutOwnProducts(text string) string {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" {
		return l
	}
	plans, err := s.plans()
	if err != nil {
		return l
	}
	for _, p := range plans {
		for _, w := range strings.FieldsFunc(strings.ToLower(p.Product), notAlnum) {
			if len(w) >= 2 && strings.ContainsFunc(w, unicode.IsDigit) { // a model ("k70", "15"), not a word of the language ("pro", "book")
				l = strings.ReplaceAll(l, w, " ")
			}
		}
	}
	return strings.Join(strings.Fields(l), " ")
}

// notPaidWhat asks what not paying brings.
var notPaidWhat = regexp.MustCompile(`不还(?:款|钱)?(?:的话)?(?:会|会有|有)?(?:怎么样|怎样|怎么办|什么后果|啥后果|什么影响|后果)|晚还(?:的话)?(?:会|会有)?(?:怎么样|怎样|什么后果|啥后果|什么影响)|` +
	`\bwhat (?:happens|will happen|would happen) if i (?:don'?t|do not|can'?t|cannot|never) pay\b|\bwhat if i (?:don'?t|do not|can'?t) pay\b`)

// graceWords ask for a grace period: the overdue topic says there is none
// to count on.
// fewDaysLate asks what paying a few days late does ("那要是晚两天呢": an
// audit got the mall's orders desk, a late delivery); deliveryWords are a
// parcel's, which is late in the mall's sense.
var (
	fewDaysLate = regexp.MustCompile(`(?:晚|迟|拖)(?:[一二两三四五几1-5]|一两|两三|个[一两几]|了[一两几])天(?:还|付|交|再还)?(?:款)?(?:呢|会怎样|会怎么样|怎么办|行吗|可以吗|行不行|有事吗|没事吧|有影响吗|算逾期吗)|` +
		// "能不能晚几天还" (a probe: unsure)
		`(?:能不能|能否|可不可以|可以|能)(?:晚|迟|拖|缓)(?:[一二两三四五几1-5]|一两|两三)天(?:再)?(?:还|付|交)(?:款|钱)?(?:吗|呢|啊)?[？?]*$|` +
		`\b(?:pay|paying|pays)\b[^.?!]{0,12}\b(?:a (?:few|couple of)|[1-5]|one|two|three) days? late\b`)
	deliveryWords = []string{"发货", "到货", "快递", "物流", "收货", "送货", "配送", "deliver", "shipping", "shipped", "parcel", "package"}
)

var graceWords = []string{"宽限", "缓冲期", "grace period", "grace days", "days of grace"}

// notGrace are the other things a grace is asked of: a return, a booking's
// cancellation, a closure, a quote, a payoff (a regression run gave each the
// overdue topic).
var notGrace = []string{"退货", "退款", "取消", "预约", "注销", "报价", "提前", "15分钟", "return", "refund", "cancel", "quote", "early", "closing", "close"}

// scamTold tells of someone — a caller, a stranger, one who says they are
// support — asking for a code, a card's number or a password, to install
// an app or share a screen, or for money to a personal or "safe" account:
// what the scam warning is for.
func scamTold(l string) bool {
	l = ownPassword.Replace(l) // "你们客服让我改密码，怎么改": theirs to change, not to give
	if secretGiven.MatchString(l) {
		return true // "can i give my otp to the bank guy", "让我把卡号和身份证发给他": whoever asks
	}
	if scamLink.MatchString(l) && (scamAsker.MatchString(l) || containsAny(l, "短信", "陌生", "微信", "texted", "a text", "sms", "someone", "stranger")) {
		return true
	}
	if m := addressTapped.FindStringSubmatch(l); m != nil && !xiaomiSite.MatchString(m[1]) &&
		containsAny(l, "短信", "陌生", "texted", "a text", "sms", "message", "email", "someone", "stranger") {
		return true // "i got a text saying my installment is overdue click bit.ly/xm-pay": told first (an English probe got the bill's "yes, overdue" above it)
	}
	if siteAsks(l) || creditScare.MatchString(l) {
		return true
	}
	if !scamAsker.MatchString(l) {
		return false
	}
	return scamAsk.MatchString(l) || scamDownload.MatchString(l) && !containsAny(l, "小米金融", "小米商城", "mi finance", "xiaomi mall")
}

var (
	// creditScare: someone calling or texting that one's credit record has
	// a problem — a scam's opening line ("有人打电话说我征信有问题": a probe
	// got what being overdue costs); not a collector of one's own overdue
	// bill, nor the customer's own call (a replay: "催收打电话说我信用受影响了").
	creditScare = regexp.MustCompile(`(?:有人|陌生(?:人|电话|号码)?|自称|对方|接到(?:一个|一通)?(?:陌生)?电话|收到(?:一条)?短信)[^。？?!！]{0,12}(?:征信|信用记录)[^。？?!！]{0,6}(?:有问题|异常|出问题|要修复|有污点)|` +
		`\b(?:someone|somebody|a guy|a caller|a stranger|a man|a woman)\b[^.?!]{0,20}\b(?:called|texted|messaged)\b[^.?!]{0,30}\bcredit (?:record|report|score|history)\b[^.?!]{0,20}\b(?:problem|issue|fix|repair)`)
	// scamAsker: a third party asking, in so many words — not "我打电话给
	// 银行", "can someone help me", "they said my card number was wrong"
	// (a regression run).
	scamAsker = regexp.MustCompile(`有人(?:让|要|叫|问|找|自称|说)|对方(?:让|要|叫|问|说)|陌生人|自称|冒充|` +
		`(?:打电话|电话里|来电|打来|短信|加我)[^。？?!！]{0,16}(?:让|要|叫)我|客服(?:让|要|叫)我|` +
		`有人(?:打电话|打来|来电|发短信|发消息)说|(?:接到|收到)(?:一个|一条|一通)?(?:电话|短信|陌生电话)说|有个(?:电话|人)说|` + // "有人打电话说注销分期要先交200块保证金" (an audit)
		`\b(?:someone|somebody|a guy|a man|a woman|a lady|a caller|caller|stranger|scammer|they|he|she|person|friend)\b[^.?!]{0,40}\b(?:asked|asks|asking|wants?|wanted|told me to|tells me to|requested|offered|offers|offering|needs)\b|` +
		// "someone from "xiaomi finance" dmed me on wechat, says …" (an English probe)
		`\b(?:someone|somebody|a guy|a man|a woman|a lady|a caller|caller|stranger)\b[^.?!]{0,40}\b(?:dm'?e?d|says|said|saying)\b|` +
		// "i got a call from 'xiaomi finance' asking for my card number", "a guy on wechat says hes xiaomi support" (an audit)
		`\b(?:got|had|received|get) (?:a|an|this|some) (?:call|phone call|text|message|sms|email|wechat)\b[^.?!]{0,40}\b(?:asking|asked|wants?|wanting|saying|said|telling|told)\b|` +
		`\b(?:someone|somebody|a guy|a man|a woman|a lady|a caller|a person)\b[^.?!]{0,24}\b(?:says|said|claims|claimed)\b[^.?!]{0,8}\b(?:he|she|they)(?:'?s| is| are| was| works?| worked| can| could| will)\b|` +
		`\b(?:someone|somebody|a guy|a man|a woman|a lady|a caller|caller|stranger)\b[^.?!]{0,20}\b(?:called|phoned|texted|messaged)(?: me)? (?:saying|to say|and said)\b|` +
		// "someone on the phone said i need to pay a closing fee" (an audit)
		`\b(?:someone|somebody|a guy|a man|a woman|a lady|a caller|caller|stranger)\b[^.?!]{0,30}\b(?:said|says|saying|told me)\b[^.?!]{0,12}\b(?:i|we) (?:need|have|must|should|got)\b|` +
		`claim(?:s|ed|ing)? to be|pretend|posing as|` +
		// a courier, an agent, a collector, "someone from …" (audits: "快递员打电话说…让我加他QQ",
		// "有中介说可以帮我代还", "催收让我把钱打到一个公司账户", "the refund guy wants me to share my screen")
		`快递(?:员|小哥)?(?:打电话)?说|客服(?:打电话|来电|打来)说|中介|网上有人|(?:有个人|有人)加我|加我(?:微信|qq)说|一个人说|的人(?:说|让|要)|` +
		// "马上金融打电话说…要先交2000保证金", "有个人让我扫码付333块", "朋友说…让我把卡号…发给他", "网上有代办注销的" (audits)
		`(?:打电话|来电|打来)说|有个人(?:让|要|叫)|有人发|朋友(?:说|让|要)|代办|客服说|` +
		// "customer service called and asked me to transfer…" (an English probe)
		`\b(?:service|support|bank|agent|officer)\b[^.?!]{0,20}\b(?:called|phoned|texted|messaged)\b|` +
		`催收(?:的|员|人员)?[^，。？?!！]{0,6}(?:让|要|叫|给)我|` +
		`\b(?:agent|guy|man|woman|lady|caller|staff|rep|representative|support|service|officer|collector)\b[^.?!]{0,20}\b(?:wants?|wanted|asked|asks|asking|told me to|tells me to|needs|offered)\b|` +
		`\b(?:a man|a guy|a woman|a lady|someone|somebody|a caller|a stranger)\s+(?:says|said|told me|claims|claimed)\b|` +
		`\b(?:someone|somebody|a guy|a man|a woman|a lady|a caller|caller|stranger)\b[^.?!]{0,30}\b(?:called|phoned|texted|messaged)(?: me)? (?:saying|to say|and said)\b`)
	// scamAsk: what they ask for — a code, a card's number or password, a
	// screen, money to a personal or "safe" account; scamDownload, an app
	// (not the official one the bot itself names).
	scamAsk = regexp.MustCompile(`验证码|短信码|动态码|密码|卡号|共享屏幕|屏幕共享|远程控制|远程协助|安全账户|个人账户|私人账户|` +
		`个人的?(?:支付宝|微信|银行卡)|他的(?:支付宝|微信|银行卡|账户)|转账到|` +
		`\b(?:sms|verification|security|one[- ]time) code\b|\botp\b|\bpassword\b|\bpin\b|card number|\bcvv\b|screen ?shar|share (?:my|the|your) screen|` +
		`remote access|anydesk|teamviewer|personal (?:account|alipay|wechat|bank)|` +
		`(?:his|her|their) (?:own )?(?:alipay|wechat|account|bank account)|safe account|secure account|` +
		// a fee to close or unfreeze the account: closing costs nothing
		// (an audit: the closure's checks, no warning)
		`(?:注销|销户|解冻|关闭账户)[^。？?!！]{0,12}(?:交|付|转)[^，。？?!！]{0,8}(?:钱|费|保证金|块|元)|保证金|解冻费|注销费|` +
		`\b(?:closing|closure|account|unfreez\w*|unlock\w*|release) fee\b|\bfee to (?:close|unfreeze|unlock|release)\b|\bpay\b[^.?!]{0,24}\bfee\b[^.?!]{0,12}\bto close\b|` +
		// money to a person to waive a fee or a record ("can waive my late fees if i pay him 500": an audit)
		`\b(?:pay|transfer|send|wire) (?:him|her|them)\b|\b(?:waive|cancel|remove|clear|delete|erase|lower|reduce|cut)\b[^.?!]{0,24}\b(?:late fees?|fees?|overdue|record|interest|rate)\b[^.?!]{0,30}\b(?:if i (?:pay|transfer|send)|for (?:¥|rmb ?|\$)?[0-9]+|pay (?:him|her|them))|` +
		`(?:免|减免|取消|消除|删除)[^，。？?!！]{0,8}(?:滞纳金|逾期)[^，。？?!！]{0,12}(?:先交|要交|交|付|转)[^，。？?!！]{0,6}[0-9]+|` +
		`(?:交|付|转)[^，。？?!！]{0,6}[0-9]+[^，。？?!！]{0,8}(?:免|减免|取消|消除|删除)掉?(?:滞纳金|逾期)|` +
		// another chat app, a "membership" to cancel, repaying through an
		// agent, a company's account, a fee to unfreeze, an app of theirs
		`加(?:他|她|对方)的?(?:qq|微信|wechat|whatsapp)|会员|按(?:照)?他(?:说|讲)的(?:操作|做)|代还|代偿|对公账户|公司账户|指定账户|` +
		`(?:解冻|解封)[^。？?!！]{0,8}收[^，。？?!！]{0,4}[0-9]+|` +
		`\b(?:deposit|handling fee|processing fee|service fee|unlock(?:ing)? fee)\b|\bpay\b[^.?!]{0,30}\bto (?:unlock|release|unfreeze)\b|` +
		`\b(?:through|via|using|with) (?:their|his|her|this|that) app\b|(?:用|下载|装)(?:他们|他|她|对方)的?(?:app|软件)|` +
		// money to a person ("pay the overdue to him", "pay 14000 to his account", "through his link"), a balance moved,
		// a card's photo, a QR code to scan, a video call, a deposit or a fee first, a loan moved to a lower rate (probes)
		`\b(?:pay|transfer|send|wire)\b[^.?!]{0,24}\bto (?:him|her|them|his|her|their)\b|\b(?:his|her|their) link\b|` +
		`\b(?:must|need to|have to|should) (?:transfer|wire)\b|\bphoto of (?:my |the |your )?(?:both sides of )?(?:my |the |your )?(?:bank )?card\b|\bcard(?:'s)? (?:front and back|photo)\b|` +
		`扫码|二维码|收款码|还款码|视频会议|开视频|腾讯会议|年审|押金|低息|转贷|重新借|` +
		`(?:先|要|得|需要)(?:先)?(?:交|付|转)[^，。？?!！]{0,6}(?:手续费|费用|服务费|押金|保证金|钱)|(?:只要|只需|只需要|先|要先)(?:交|付|转)[^，。？?!！]{0,4}[0-9]+|` +
		`(?:下|装)(?:个|一个)(?:app|软件)|收[^，。？?!！]{0,2}[0-9]+|收费`)
	// secretGiven: a code, a password or a card's number given away.
	secretGiven = regexp.MustCompile(`\b(?:give|gave|given|tell|told|send|sent|share|shared|read|hand|handed)\b (?:\w+ ){0,3}(?:otp|(?:sms|verification|security|the|that|this|my) code|password|pin|cvv|card number)s?\b|` +
		// "我把验证码告诉别人了怎么办" (a probe: unsure)
		`(?:卡号|身份证|验证码|密码|cvv)[^，。？?!！]{0,8}(?:发给|报给|告诉|给)(?:了)?(?:他|她|对方|他们|别人|陌生人|人家|骗子|客服)`)
	ownPassword = strings.NewReplacer("改密码", "", "修改密码", "", "重置密码", "", "设置密码", "", "忘了密码", "", "忘记密码", "",
		"change my password", "", "reset my password", "", "forgot my password", "")
	// site: a web address typed ("xiaomi-fenqi-refund.com"); officialSites
	// are Xiaomi's own.
	site = regexp.MustCompile(`\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|cn|net|top|xyz|vip|cc|info|site|shop|online|link|app)\b`)
	// xiaomiSite is a domain of Xiaomi's own (mi.com, xiaomi.com, xiaomi.cn,
	// mi.cn and their subdomains: account.xiaomi.com, jr.mi.com);
	// looksOurs a domain made to look like Xiaomi's or ours.
	xiaomiSite = regexp.MustCompile(`(?:^|\.)(?:mi|xiaomi)\.(?:com|cn)$`)
	looksOurs  = regexp.MustCompile(`xiaomi|mi-|-mi\b|^mi[a-z0-9]|^xm|xm-|fenqi|fen-qi|jinrong|finance|refund|kefu|loan|credit|installment|repay`)
	siteUse    = regexp.MustCompile(`log ?in|sign in|enter|card|password|verify|\bpay\b|登录|登陆|输入|填|卡号|密码|验证|付款|转账`)
	siteAsked  = regexp.MustCompile(`\bis (?:this|that|it) (?:your|the official|an official|a real|legit)|是(?:不是)?你们的|是官方的|是真的吗|官方的吗`)
	// addressTapped is a web address to click or open ("click bit.ly/xm-pay").
	addressTapped = regexp.MustCompile(`\b(?:click|tap|open|visit|点|点击|打开)\s*(?:on\s+)?(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:/|\b)`)
	scamDownload  = regexp.MustCompile(`下载[^，。？?!！]{0,8}(?:app|软件|应用)|download (?:an?|this|their|his|her|some) app`)
	// scamLink: money to move or a link to tap, sent or asked by someone
	// ("陌生人加我微信说我征信有问题，要我转钱", "收到短信…让我点链接",
	// "someone texted me a link to close my account": a regression run).
	scamLink = regexp.MustCompile(`(?:让|要|叫)我(?:先)?(?:把钱)?(?:转|打|汇)(?:钱|账|款)|点(?:击)?[^，。？?!！]{0,4}链接|发了?(?:个|一个|条|一条)?链接|` +
		`\b(?:texted|messaged|sent|emailed) me a link\b|\b(?:click|tap|open) (?:a|the|this|their) link\b|` +
		`\b(?:pay|log ?in|sign in|verify|repay|re-?register|register|update|confirm)\b[^.?!]{0,16}\b(?:via|through|with|using|at|on|in) (?:a|the|this|that|their) link\b|\blink to (?:pay|repay|verify|log ?in)\b`)
)

// siteAsks reports a web address not Xiaomi's asked whether it is ours, or
// made to look like Xiaomi's or ours and typed with what it asks (to log
// in, a card, to pay): "is this your website? xiaomi-fenqi-refund.com asks
// me to log in with my card" (an audit: "not sure", refund timing offered).
// Xiaomi's own (account.xiaomi.com, jr.mi.com) and other platforms
// ("我在 jd.com 登录看到了账单") are no sign (a regression run).
func siteAsks(l string) bool {
	for _, d := range site.FindAllString(l, -1) {
		if xiaomiSite.MatchString(d) {
			continue
		}
		if siteAsked.MatchString(l) || looksOurs.MatchString(d) && siteUse.MatchString(l) {
			return true
		}
	}
	return false
}

// callerClaimsDebt tells of a caller or a text saying the customer owes,
// is late or will be reported ("有人打电话说我还有一笔没还清要我赶紧处理
// 不然上征信", "someone called saying i'm overdue"): whether they do, their
// bill says.
func callerClaimsDebt(l string) bool {
	return scamAsker.MatchString(l) && claimedDebt.MatchString(l) && !containsAny(l, "我打电话", "我给", "i called",
		"删", "修复", "消除", "洗白", "remove", "erase", "fix", "repair") // a record to be undone: the credit-repair answer
}

var claimedDebt = regexp.MustCompile(`没还清|没还|欠款|欠了|欠钱|欠你们|逾期|上征信|不还就|催收|起诉|\b(?:owe|overdue|late|unpaid|debt|credit (?:record|report|bureau))\b`)

// collectionAsked asks about debt collection: the word, or — of being
// late — the customer's work or family called, visited or told ("逾期了会打
// 电话给我单位吗"); not the customer reaching their family or our company
// (a regression run: "我能联系家人帮我还吗", "我联系你们公司客服怎么联系").
func collectionAsked(l string) bool {
	return collectionSaid.MatchString(l) || familyContacted.MatchString(l) && beingLate.MatchString(l)
}

var (
	// ownPeople are the customer's work and family, as a collector would reach them.
	ownPeople       = `(?:家人|家里|老家|单位|公司|领导|老板|同事|父母|爸妈|老婆|老公|通讯录|紧急联系人)`
	collectionSaid  = regexp.MustCompile(`催收|爆通讯录|\b(?:debt )?collect(?:or|ors|ion agency|ion calls?)\b`)
	familyContacted = regexp.MustCompile(`(?:打电话|打|联系|通知|上门|找)(?:给|到)?我的?` + ownPeople + `|` +
		`(?:打电话|联系|通知|上门)(?:给|到)?(?:家人|家里|老家|单位|领导|老板|同事|父母|爸妈|通讯录|紧急联系人)|` + // without 我: not 公司, 老婆, 老公 ("联系公司")
		`(?:给|到)我的?` + ownPeople + `(?:里的人)?(?:打电话|打|联系)|` +
		`\b(?:call|calls|calling|contact|contacting|visit|notify|phone|text)\b (?:my |to my )?(?:employer|boss|workplace|family|parents|relatives|emergency contact|wife|husband)\b`)
	beingLate = regexp.MustCompile(`逾期|晚还|没还上|还不上|不还|欠款|欠钱|拖欠|\b(?:overdue|late|miss(?:ed)? (?:a |my )?payments?|behind|don'?t pay|do not pay|can'?t pay)\b`)
)

// cardGone says a repayment card is closed, lost, stolen, expired, replaced
// or no longer used (a bank's card or the customer's: not a credit card,
// nor the installment "card" that is the account).
var cardGone = regexp.MustCompile(`(?:银行卡|还款卡|扣款卡|借记卡|储蓄卡|工资卡|绑的卡|绑定的卡|默认卡|原来的卡|旧卡|(?:^|我的?|这张|那张)卡|[工建农中招交]行的?卡|邮储卡|交通银行卡)` +
	`[^，。？?!！]{0,3}(?:注销|销户|挂失|丢了|丢失|被偷|被盗|过期|到期了(?:[^吗]|$)|作废|停用|不用了|换了新卡|换新卡了)|` +
	`\b(?:my|bank|debit|repayment|default|old|linked) card\b.{0,16}\b(?:closed|cancell?ed|canceled|expired|lost|stolen|deactivated|replaced)\b|` +
	`\b(?:lost|closed|cancell?ed|canceled) (?:my |the )?(?:bank |debit |repayment |linked )?card\b`)

// reportsToBureau asks about being reported to the credit bureau.
var reportsToBureau = regexp.MustCompile(`\breport(?:s|ed|ing)?\b.{0,20}\b(?:credit bureaus?|pboc|credit reference|central bank)\b|` +
	`\b(?:credit bureaus?|pboc)\b.{0,20}\breport|上报征信|报送征信|上征信|进征信`)

var creditWord = regexp.MustCompile(`征信|信用记录|信用报告|\bcredit (?:record|score|history|rating)\b|\bmy credit\b`)

// undoesPayment reports a payment asked to be reversed ("can you reverse
// the payment", "undo that payment", "refund my payment"): it was read as a
// payment asked for, and a second quote started (a probe). Chinese
// (撤回还款, 钱能退回来吗) the classifier reads as the undo topic. A booking,
// auto-repayment or a double charge undone is theirs, not this (a review:
// "undo my scheduled repayment", "I was charged twice, reverse it").
func undoesPayment(text string) bool {
	l := strings.ToLower(text)
	return undoPayment.MatchString(l) && !containsAny(l, "schedul", "book", "autopay", "auto", "twice", "double", "setting", "reminder",
		"预约", "自动", "两次", "重复", "多扣", "退货", "退款进度")
}

var undoPayment = regexp.MustCompile(`\b(?:reverse|undo|revert|take back)\b.{0,30}\b(?:payment|repayment|transaction)\b|` +
	`\b(?:payment|repayment|transaction)\b.{0,20}\b(?:reversed|undone|reverted|taken back)\b|` +
	`\brefund (?:my|the|that|this) (?:payment|repayment)\b|` +
	// "还错了能退吗", "点错了 把钱退给我", "刚才的还款能撤回吗" (a probe: the mall's returns)
	`(?:还|付|转)(?:错|多)了.{0,12}(?:退|撤|返还|还给我|要回)|(?:点错|按错|误点|手滑).{0,12}(?:退|撤|钱)|` +
	// "我要退款 刚才点错了", "refund it, i paid by mistake" (a probe: the mall's returns)
	`(?:退款|退钱|撤回|撤销|退回来).{0,12}(?:点错|按错|误点|手滑|还错|付错)|\brefund\b.{0,30}\b(?:by mistake|accidentally|wrong(?:ly)?|mistaken(?:ly)?)\b|` +
	`\b(?:by mistake|accidentally)\b.{0,30}\brefund\b|` +
	`(?:撤回|撤销|退回|要回)(?:这笔|那笔|刚才的?|刚刚的?)?(?:还款|付款)`)

// ownOnly answers a request about another person's installments (or
// order) with text: the bot serves each customer for themselves, and their
// own bill is a tap away.
func (s *Step) ownOnly(text string) {
	s.conv.Misses = 0
	s.say(text, []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("btn.menu"), "menu")})
}

// cannotReadEnglish reports a short message in Chinese saying the English
// cannot be read ("看不懂", "啥玩意 看不懂英文").
func cannotReadEnglish(text string) bool {
	return utf8.RuneCountInString(text) <= 20 && hasHan(text) &&
		containsAny(text, "看不懂", "看不明白", "不懂英文", "不会英文", "不认识英文", "英文看不", "全是英文", "怎么是英文", "怎么变英文")
}

// asksLanguage reports a short message about the language the bot speaks.
func asksLanguage(text string) bool {
	if utf8.RuneCountInString(text) > 40 {
		return false
	}
	t := strings.ToLower(text)
	for _, w := range []string{"english", "chinese", "language", "英文", "英语", "中文", "语言"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}

// langIn is the language of ours a short message about languages asks
// for: the one named plainly ("can you speak english", "能说中文吗", "I can't
// read Chinese, English please"), or the other of one refused ("我看不懂英
// 文"); "" for none, both, or a refusal beside no other.
// langThenQuestion reads a language asked for in the first clause and a
// question after it ("我想用中文 退款什么时候到", "english please, when is my
// bill due"): the language, and the rest; "" when it is not so.
func langThenQuestion(text string) (supportbot.Lang, string) {
	clauses := clausesOf(text)
	if len(clauses) < 2 {
		return "", ""
	}
	first, rest := clauses[0], strings.Join(clauses[1:], " ")
	lang := langIn(first)
	if lang == "" || !asksLanguage(first) || utf8.RuneCountInString(rest) < 4 || asksLanguage(rest) {
		return "", ""
	}
	return lang, rest
}

func langIn(text string) supportbot.Lang {
	t := strings.ToLower(text)
	plain, refused := map[supportbot.Lang]bool{}, map[supportbot.Lang]bool{}
	for lang, words := range map[supportbot.Lang][]string{
		supportbot.LangEN: {"english", "英文", "英语"},
		supportbot.LangZH: {"chinese", "中文", "汉语", "普通话", "mandarin"}} {
		for _, w := range words {
			for at := strings.Index(t, w); at >= 0; at = indexFrom(t, w, at+len(w)) {
				if langRefused.MatchString(t[max(0, at-16):at]) {
					refused[lang] = true
				} else {
					plain[lang] = true
				}
			}
		}
	}
	switch {
	case len(plain) == 1:
		for lang := range plain {
			return lang
		}
	case len(plain) == 0 && len(refused) == 1:
		if refused[supportbot.LangEN] {
			return supportbot.LangZH
		}
		return supportbot.LangEN
	}
	return ""
}

// indexFrom is the index of sub in s at or after from, or -1.
func indexFrom(s, sub string, from int) int {
	if i := strings.Index(s[from:], sub); i >= 0 {
		return from + i
	}
	return -1
}

// langRefused ends the words before a language that refuse it: "看不懂",
// "不会", "can't read", "no".
var langRefused = regexp.MustCompile(`(?:不|没|看不懂|不懂|不会)[^，,。.]{0,4}$|\b(?:can'?t|cannot|don'?t|do not|no|not)\b[^,.]{0,12}$`)

// fill renders an FAQ answer (plain text) as HTML, with the configured facts
// put in: {hotline}, {hours}, {reminder_days} ("3 and 1 days", with its
// noun), {reminder_hour}.
func (s *Step) fill(text string) string {
	text = strings.NewReplacer("{hotline}", s.e.cfg.Hotline, "{hours}", s.e.cfg.Hours.String(),
		"{reminder_days}", s.T("remind.days_before", "list", dayList(s.conv.Lang, s.e.reminderDaysBefore()), "n", len(s.e.reminderDaysBefore())),
		"{reminder_hour}", fmt.Sprintf("%02d:00", s.e.reminderHour())).Replace(text)
	return locale.Escape(strings.TrimSpace(text))
}

// ownOverdue is what an identified customer's question about late fees or
// being overdue gets below the guide's answer: their overdue periods and
// each one's late fee, or that none is overdue ("" for other topics, a
// customer not identified, or bills that cannot be read now — the guide's
// answer stands alone).
func (s *Step) ownOverdue(topic string) string {
	if topic != "late-fee" && topic != "overdue-consequences" || s.conv.CustomerID == "" {
		return ""
	}
	if reply, err := s.notTheirs(s.ev.Text); err != nil || reply != "" {
		// "李娜逾期了吗" from another customer: the guide's answer, and
		// that only their own account is shown here — not their status,
		// which could be read as hers.
		return reply
	}
	if ok, err := s.linked(); err != nil || !ok {
		return ""
	}
	plans, err := s.plans()
	if err != nil {
		return ""
	}
	lines, err := s.overdueNow()
	if err != nil {
		return ""
	}
	if len(lines) == 0 {
		// None now — not "no late fee" to a question about missing the
		// next one ("will i get a late fee if i cancel?" at a booking's
		// cancellation, a probe): when it would come, and the next due.
		text := s.T("faq.own_overdue_none")
		var next *supportbot.Bill
		var product string
		for _, p := range plans {
			if b, ok := nextNotOverdue(p, s.today); ok && (next == nil || b.DueDate < next.DueDate) {
				next, product = &b, p.Product
			}
		}
		if next != nil {
			text += "\n" + s.T("faq.own_next_due", "product", product, "period", next.Period, "amount", money(next.Amount()), "date", s.day(next.DueDate))
		}
		return text
	}
	text := s.T("faq.own_overdue") + "\n" + strings.Join(lines, "\n")
	// Two periods or more: what they come to now ("how much is overdue in
	// total": a probe got the periods, no total).
	var due []supportbot.Money
	for _, p := range plans {
		for _, b := range p.Bills {
			if b.Overdue(s.today) {
				due = append(due, b.Due())
			}
		}
	}
	if total, err := supportbot.SumMoney(due...); len(due) > 1 && err == nil {
		text += "\n" + s.T("faq.own_overdue_total", "total", money(total))
	}
	return text
}

// sayWithOverdue says key's text with the customer's overdue bills (or that
// none is) under it, the payment and a person a tap away: a payment said
// made somewhere this bot does not see.
func (s *Step) sayWithOverdue(key string) {
	reply := s.T(key)
	if own := s.ownOverdue("overdue-consequences"); own != "" {
		reply += "\n\n" + own
	}
	s.say(reply, s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.humanBtn())...)
}

// overdueNow lists the customer's overdue bills, each under its plan's
// title: nothing when none is overdue.
func (s *Step) overdueNow() ([]string, error) {
	plans, err := s.plans()
	if err != nil {
		return nil, err
	}
	sched, err := s.scheduled()
	if err != nil {
		return nil, err
	}
	cards, err := s.cards()
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, p := range plans {
		if late := overdueLines(s, p, cards, sched); len(late) > 0 {
			lines = append(lines, string(planTitle(p)))
			lines = append(lines, late...)
		}
	}
	return lines, nil
}

// ownRefunds is, under the refunds' answer, how many refunds of the
// customer's the core has in progress: a refund's status is not looked up
// here, but whether one is pending is known (the closure check says it; a
// probe got "cannot be looked up" alone).
func (s *Step) ownRefunds(topic string) string {
	if topic != "refund-timing" || s.conv.CustomerID == "" {
		return ""
	}
	if reply, err := s.notTheirs(s.ev.Text); err != nil || reply != "" {
		return reply
	}
	if ok, err := s.linked(); err != nil || !ok {
		return ""
	}
	c, err := s.customer()
	switch {
	case err != nil:
		return ""
	case c.PendingRefunds > 0:
		return s.T("faq.own_refunds", "count", c.PendingRefunds)
	}
	return s.T("faq.own_refunds_none")
}

// asksAboutFrozen is a question about a frozen card: why it is, how to
// unfreeze it ("工行卡为什么冻结了", "怎么解冻", "why is my card frozen").
func asksAboutFrozen(l string) bool {
	if containsAny(l, "滞纳金", "罚息", "late fee", "penalty") {
		return false // "我卡冻结了 所以才逾期的 能不能免滞纳金": the fee asked of (a probe)
	}
	return containsAny(l, "冻结", "解冻", "frozen", "freeze") && (asks(l) || containsAny(l, howWhereWhy...) || containsAny(l, "解冻", "unfreeze")) &&
		!containsAny(l, "账户冻结", "额度冻结", "account")
}

// ownFrozen puts, under the failed repayment's and the frozen card's
// answers, the identified customer's cards that are frozen — the likely
// cause the general checklist leaves them to find (a probe).
func (s *Step) ownFrozen(topic string) string {
	if topic != "repayment-failed" && topic != "frozen-card" || s.conv.CustomerID == "" {
		return ""
	}
	if ok, err := s.linked(); err != nil || !ok {
		return ""
	}
	cards, err := s.cards()
	if err != nil {
		return ""
	}
	frozen := slices.DeleteFunc(slices.Clone(cards), func(c supportbot.Card) bool { return !c.Frozen })
	sep := s.listSep()
	if topic == "frozen-card" {
		// "工行卡解冻了吗" asks of one card: that card's state, or that no
		// card of the bank is theirs (a probe got the checklist alone).
		l := strings.ToLower(s.ev.Text)
		if bank := bankIn(l, s.conv.Lang); bank != "" {
			named := slices.DeleteFunc(slices.Clone(cards), func(c supportbot.Card) bool {
				return !bankSaid(l, strings.ToLower(c.Bank)) && !bankSaid(l, zhBankOf(c.Bank))
			})
			switch {
			case len(named) == 0:
				return s.T("faq.own_bank_none", "bank", bank, "cards", strings.Join(cardNames(s.conv.Lang, cards), sep))
			case !slices.ContainsFunc(named, func(c supportbot.Card) bool { return c.Frozen }):
				ok := s.T("faq.own_card_ok", "cards", strings.Join(cardNames(s.conv.Lang, named), sep), "n", len(named))
				if len(frozen) == 0 {
					return ok
				}
				return ok + "\n" + s.T("faq.own_frozen", "cards", strings.Join(cardNames(s.conv.Lang, frozen), sep), "n", len(frozen))
			}
		}
		if len(frozen) == 0 && len(cards) > 0 {
			return s.T("faq.own_card_ok", "cards", strings.Join(cardNames(s.conv.Lang, cards), sep), "n", len(cards))
		}
	}
	if len(frozen) == 0 {
		return ""
	}
	key := "faq.own_frozen"
	if len(frozen) == len(cards) {
		// Every card frozen: no other to choose at /pay (an audit: told to
		// pick one, with none to pick).
		key = "faq.own_frozen_all"
	}
	return s.T(key, "cards", strings.Join(cardNames(s.conv.Lang, frozen), sep), "n", len(frozen))
}

// payoffWithItsFee quotes the payoff asked for beside its fee ("我想一次性还
// 清 手续费多少") by a customer with one open plan: the quote says the fee
// (a probe got the fee rules in general). It reports whether it quoted.
func (s *Step) payoffWithItsFee(topic, text string) (bool, error) {
	l := strings.ToLower(text)
	if topic != "early-repayment-fee" || s.conv.CustomerID == "" || !wantsPayoff.MatchString(l) ||
		containsAny(l, "只", "这期", "本期", "这个月", "本月", "only", "this month", "this period", "this bill") { // one period's: not the payoff (a regression run)
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	open, err := s.openPlans()
	if err != nil || len(open) != 1 {
		return false, err
	}
	s.conv.Misses = 0
	return true, s.startFlow("repay", open[0].ID)
}

// wantsPayoff is a payoff asked for, not asked about.
var wantsPayoff = regexp.MustCompile(`(?:我想|我要|帮我|想要|准备|打算)(?:把[^，,。]{0,8})?(?:提前)?(?:一次性)?(?:还清|结清|还完|全部还)|` +
	`\b(?:i want to|i'd like to|let me|i wanna|i'm going to|planning to) (?:pay (?:it |everything |the rest |my plan )?off|settle)\b`)

// ownPlans puts, under a topic's answer, a line for each of an identified
// customer's open plans — what the general answer says "depends on the
// plan": the prepayment fee's rate ("我的提前还款手续费是多少", "what's my
// prepayment fee"), the financing partner ("我的笔记本是谁放款的"); each got
// the general rule alone (a probe). Another person named is told the bot
// serves each for themselves instead.
func (s *Step) ownPlans(topic string) string {
	var line func(p supportbot.Plan, plan locale.HTML) string
	switch topic {
	case "early-repayment-fee":
		line = func(p supportbot.Plan, plan locale.HTML) string {
			if p.PrepayFeeRateBP > 0 {
				return s.T("faq.own_prepay_rate", "plan", plan, "rate", rate(p.PrepayFeeRateBP))
			}
			return s.T("faq.own_prepay_none", "plan", plan)
		}
	case "repayment-channels":
		line = func(p supportbot.Plan, plan locale.HTML) string {
			return s.T("faq.own_partner", "plan", plan, "partner", p.Partner)
		}
	case "installment-fee":
		// "手续费每期多少", "电视每期手续费多少": each plan's fee of a
		// period, as its next one has it (a probe: the fee rules alone,
		// the fees on file).
		line = func(p supportbot.Plan, plan locale.HTML) string {
			b, ok := nextNotOverdue(p, s.today)
			switch {
			case !ok:
				return string(plan)
			case b.Fee == 0:
				return s.T("faq.own_fee_none", "plan", plan)
			}
			return s.T("faq.own_fee", "plan", plan, "fee", money(b.Fee), "date", s.day(b.DueDate), "principal", money(b.Principal))
		}
	case "view-installment-details":
		// "每期多少钱": each plan's next period, its amount and due date —
		// not only where to look (an audit).
		line = func(p supportbot.Plan, plan locale.HTML) string {
			b, ok := nextNotOverdue(p, s.today)
			if !ok {
				return string(plan)
			}
			return s.T("faq.own_period", "plan", plan, "amount", money(b.Amount()), "date", s.day(b.DueDate), "left", len(p.Bills)-p.PaidPeriods())
		}
	}
	if line == nil || s.conv.CustomerID == "" {
		return ""
	}
	if reply, err := s.notTheirs(s.ev.Text); err != nil || reply != "" {
		return reply
	}
	if ok, err := s.linked(); err != nil || !ok {
		return ""
	}
	open, err := s.openPlans()
	if err != nil || len(open) == 0 {
		return ""
	}
	lines := []string{s.T("faq.own_" + topic)}
	for _, p := range open {
		lines = append(lines, line(p, planTitle(p)))
	}
	return strings.Join(lines, "\n")
}

// startBeside starts a flow read from the message's words before the
// classifier, and offers what else the message asks for, as a message read
// by the classifier does: "cancel my booking and pay now instead" (a probe:
// the payment was dropped).
func (s *Step) startBeside(text, flow, arg string) error {
	if err := s.startFlow(flow, arg); err != nil {
		return err
	}
	if err := s.cardAsked(text); err != nil { // "pay my bill with ccb and turn on autopay"
		return err
	}
	var extra []string
	if l := strings.ToLower(text); flow == "cancel" {
		if payAfterCancel.MatchString(l) {
			extra = append(extra, "pay-bill") // "把笔记本的预约取消了 然后现在就还": the payment offered too (a probe: dropped)
		}
		if wordsIn(l, "pay off") || containsAny(l, "提前还", "提前结清", "还清") {
			extra = append(extra, "early-repayment") // "pay off the phone and cancel the laptop booking": the payoff offered too (a probe: dropped)
		}
	}
	s.offerAlso(text, flow, false, extra...) // "cancel my booking and pay my bill now" reads as the payment
	return nil
}

// offerAlso offers, as buttons under the step begun or kept, what else text
// asks: the FAQ's other readings — its own first when it is sure of a flow
// (of a topic too, with topics) — then extra, then the switches text names
// ("开启还款提醒并且开自动还款": the other switch, a probe: dropped); none
// that flow is.
func (s *Step) offerAlso(text, flow string, topics bool, extra ...string) {
	c := s.e.cfg.Classifier.Classify(text)
	also := c.Also
	if c.Confident && (c.Kind == "flow" || topics && c.Kind != "out_of_scope") {
		also = append([]string{c.ID}, also...)
	}
	for _, id := range append(extra, switchesNamed(text)...) {
		if !slices.Contains(also, id) {
			also = append(also, id)
		}
	}
	if others := s.alsoAsked(also, flow); len(others) > 0 {
		s.say(s.T("faq.also"), others...)
	}
}

// payAfterCancel asks to pay now beside a booking's cancellation ("然后现
// 在就还", "and then pay it now") — not later ("等我老婆发了工资再还").
var payAfterCancel = regexp.MustCompile(`(?:然后|之后|接着|再)?(?:我)?(?:现在|马上|直接|立刻)(?:就)?(?:手动)?(?:还|付|交)(?:款|钱|了|掉|上)?|\bthen (?:i'?ll |let me )?pay (?:it )?now\b|\bpay (?:it |this |that )?now instead\b`)

// confirmWithMore answers a yes at a quote with another request after it
// ("confirm and also turn on autopay", "确认 顺便开一下自动还款"): not paid
// on it — a yes alone pays — the quote waiting, said so, and the other
// request a tap away (a probe: the quote dropped without a word, and the
// next confirm turned auto-repayment on). A card named after it is the
// quote's own reader's ("确认 用5555那张"). It reports whether it answered.
func (s *Step) confirmWithMore(text string) bool {
	m := confirmThenMore.FindStringSubmatch(strings.ToLower(strings.TrimSpace(text)))
	if m == nil || containsAny(m[1], "卡", "card") || containsAny(m[1], otherCardWords...) || payOnly.MatchString(bare(m[1])) {
		return false // a card is the quote's own reader's; "ok then pay" asks nothing else
	}
	s.say(s.T("pay.confirm_alone") + "\n" + s.confirmHow())
	s.offerAlso(m[1], s.conv.Flow, true)
	return true
}

// payOnly is the payment itself said again ("pay", "pay it now", "付款").
var payOnly = regexp.MustCompile(`^(?:pay|pay it|pay now|pay it now|pay for it|go ahead|付|付款|付吧|还|还款|还吧|支付|扣|扣吧|扣款)$`)

// confirmThenMore is a yes with more asked after it, joined by a word
// that adds (the second group: what else).
var confirmThenMore = regexp.MustCompile(`^(?:确认|确定|confirm(?:ed)?|yes|ok|okay)\s*[,，、]?\s*(?:and also|and then|and|also|then|plus|然后|顺便|再帮我|再把|并且|另外|还有|同时)\s*(\S.*)$`)

// switchesNamed are the settings a message switches on or off in words of
// their own, however the FAQ reads it: "remind", "autopay".
func switchesNamed(text string) []string {
	l := strings.ToLower(text)
	var named []string
	if containsAny(l, "提醒", "remind") {
		if arg := remindArg(clauseOf(text, "提醒", "remind")); arg == "on" || arg == "off" {
			named = append(named, "remind")
		}
	}
	if containsAny(l, "自动还款", "自动扣款", "autopay", "auto-pay", "auto pay", "auto repayment", "auto-repayment") && autopayArg(clauseOf(text, "自动", "auto")) != "" {
		named = append(named, "autopay")
	}
	return named
}

// alsoAsked are buttons for the other questions of a message: a topic's
// answer, or a flow — neither the flow started (its name), nor a topic its
// reply answers ("取消预约的费用" beside the cancellation); a topic of
// another question that leads to it stays ("还款日是几号 能改吗": the bill,
// and whether the due date can be changed).
func (s *Step) alsoAsked(also []string, started string) [][]supportbot.Button {
	var rows [][]supportbot.Button
	for _, other := range also {
		if started != "" && (intents[other] == started || intents[s.e.cfg.Answers.AnsweredBy(other)] == started) {
			continue
		}
		if name, ok := intents[other]; ok && name == "remind" && s.conv.CustomerID != "" {
			// "帮我还这期再把提醒打开": a tap on /remind toggles; the
			// button switches the way asked, or says which way it
			// switches them as they are.
			switch asked := typedArg("remind", s.ev.Text); asked {
			case "on", "off":
				rows = append(rows, []supportbot.Button{s.remindBtn(asked == "on")})
			default:
				b, _, err := s.remindSwitch()
				if err != nil {
					b = s.menuBtn(s.T("menu.remind"), "remind:"+askReminders) // how they are, asked of the flow
				}
				rows = append(rows, []supportbot.Button{b})
			}
		} else if ok {
			rows = append(rows, []supportbot.Button{s.menuBtn(s.T("menu."+name), name)})
		} else if title := s.e.cfg.Answers.Title(other, s.conv.Lang); title != "" {
			rows = append(rows, []supportbot.Button{s.viewBtn(title, "faq", other)})
		}
	}
	// Not a button the reply above has already ("show my bill and turn on
	// reminders": the bill offers the reminders itself).
	return slices.DeleteFunc(rows, func(row []supportbot.Button) bool { return s.shows(row[0].Text) })
}

// shows reports a button labelled text in this step's replies so far.
func (s *Step) shows(text string) bool {
	return slices.ContainsFunc(s.out, func(r supportbot.Reply) bool {
		return slices.ContainsFunc(r.Buttons, func(row []supportbot.Button) bool {
			return slices.ContainsFunc(row, func(b supportbot.Button) bool { return b.Text == text })
		})
	})
}

// showAnswer replies with an FAQ answer and its related flow.
// owesNothing reports an identified customer with no open plan (false
// when their plans cannot be read).
func (s *Step) owesNothing() bool {
	if s.conv.CustomerID == "" {
		return false
	}
	open, err := s.openPlans()
	return err == nil && len(open) == 0
}

func (s *Step) showAnswer(id string, also ...string) bool {
	text, flow, ok := s.e.cfg.Answers.Answer(id, s.conv.Lang)
	if !ok {
		return false
	}
	text = s.fill(text)
	if own := s.ownOverdue(id) + s.ownClosure(id) + s.ownPlans(id) + s.ownRefunds(id) + s.ownDebits(id) + s.ownFrozen(id); own != "" {
		text += "\n\n" + own
	}
	// Under the answer: what it leads to, a person (unless that is what it
	// leads to), and the menu — not the whole menu.
	var next []supportbot.Button
	name, ok := intents[flow]
	switch {
	case name == "remind" && s.conv.CustomerID != "":
		// "怎么设置还款提醒" with reminders on: /remind's toggle would turn
		// them off. How they are is said, and the button says what it does.
		if b, on, err := s.remindSwitch(); err == nil {
			text += "\n\n" + s.T(map[bool]string{true: "remind.now_on", false: "remind.now_off"}[on])
			next = append(next, b)
		}
	case id == "turn-off-installments" && s.owesNothing():
		// Asked to switch installments off by a customer who owes nothing
		// (a probe: "pay it off early", and its button, to one with
		// nothing to pay): what is left is closing the account.
		text = s.T("faq.all_paid_close")
		next = append(next, s.menuBtn(s.T("menu.close"), "close"))
	case name == "close" && s.openClosure() != nil:
		// "注销要多久" once submitted: its status, not a second request
		// (a probe: the button to close the account again).
		next = append(next, s.menuBtn(s.T("menu.closure"), "closure"))
	case ok:
		next = append(next, s.menuBtn(s.T("menu."+name), name))
	}
	if name != "agent" {
		next = append(next, s.humanBtn())
	}
	// The message's other questions: one tap each, under the answer.
	others := s.alsoAsked(slices.DeleteFunc(also, func(o string) bool { return o == flow }), "")
	if len(others) > 0 {
		text += "\n\n" + s.T("faq.also")
	}
	s.records = true
	s.say(text, append(append([][]supportbot.Button{next}, others...), []supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})...)
	return true
}

// ownNameAsKind is text, lower-cased, with the words that name one of the
// customer's plans by its product's name (and a brand word just before
// them) put as its kind — "提前还清 iphone 15 pro max" as "提前还清 手机" —
// or "" when it names none by name.
func (s *Step) ownNameAsKind(text string) string {
	if ok, err := s.linked(); err != nil || !ok {
		return ""
	}
	plans, err := s.plans()
	if err != nil {
		return ""
	}
	t := brandNames.Replace(strings.ToLower(text)) // "提前还清苹果手机": the iPhone
	names := productsOf(plans)
	i := nameChoice(bare(t), names)
	if i == 0 {
		return ""
	}
	lo, hi := -1, -1
	for _, w := range nameWords(strings.ToLower(names[i-1])) {
		if at := strings.Index(t, w); at >= 0 {
			if lo < 0 || at < lo {
				lo = at
			}
			hi = max(hi, at+len(w))
		}
	}
	if lo < 0 {
		return ""
	}
	if before := strings.TrimRight(t[:lo], " "); before != "" { // "the huawei matepad": the brand with it
		if at := strings.LastIndexFunc(before, func(r rune) bool { return !unicode.IsLetter(r) || r > unicode.MaxASCII }); at < len(before)-1 {
			lo = at + 1
		}
	}
	word := map[bool]string{true: "分期", false: "plan"}[hasHan(text)]
	if k := kindShown(names[i-1]); k >= 0 {
		for _, w := range deviceKinds[k].said {
			if hasHan(w) == hasHan(text) {
				word = strings.TrimSpace(w)
				break
			}
		}
	}
	return t[:lo] + " " + word + " " + t[hi:]
}
