package flows

import (
	"regexp"
	"strings"
	"unicode"
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
// account", "don't turn on autopay for the pad", "我不想提前还笔记本",
// "笔记本下个月再提前还", "pay the phone one, not now". A refusal with a
// request beside it ("dont pay off the laptop, pay off the phone", "笔记本
// 我不想还 先还手机") is that request, and a question is a question.
// Reminders read their own negations (remindArg: "don't remind me" asks
// for them off), and so does a debit to stop (stopsADebit) — both are
// requests, not refusals — as do the words that name a setting rather than
// switch it ("不要自动扣款了" asks for it off).
func refusalIn(text string) refused {
	l := hanSpace.ReplaceAllString(strings.ToLower(text), "$1，$2") // "笔记本我不想还 先还手机": two clauses
	if asks(text) || containsAny(l, "remind", "提醒", "扣", "charge", "debit", "deduct", "forget", "忘",
		"able to", "afford", "can't", "cant", "没钱", "钱不够", "不起", "不上", "have money", "have enough", "no money", // a trouble: "I won't be able to pay"
		"know", "understand", "sure how", "how", "why", "what", "知道", "懂", "怎么", "为什么", "如何", "什么") { // a question: "I don't know how to pay off early"
		return refusesNothing
	}
	deferred := deferral.MatchString(l)
	kind, positive := refusesNothing, false
	for _, c := range clauses.Split(l, -1) {
		if alternative.MatchString(c) && !negation.MatchString(c) {
			positive = true // "…the laptop, just the phone"
		}
		k := actionIn(c)
		if k == refusesNothing {
			continue
		}
		if kind == refusesNothing {
			kind = k
		}
		if !deferred && !negation.MatchString(c) {
			positive = true // "pay off the phone" beside the laptop refused
		}
	}
	if positive || kind == refusesNothing || !deferred && !negatedAction(l) {
		return refusesNothing
	}
	return kind
}

// actionIn is the kind of action a clause names, if any.
func actionIn(c string) refused {
	switch {
	case switchVerb.MatchString(c):
		return refusesSwitch
	case payVerb.MatchString(strings.NewReplacer("自动还款", "", "自动扣款", "").Replace(c)): // the setting's name pays nothing
		return refusesPaying
	case closeVerb.MatchString(c):
		return refusesClosing
	}
	return refusesNothing
}

// negatedAction reports a negation that governs an action's verb ("don't
// pay", "never asked to turn on", "不想提前还", "不要给笔记本开").
func negatedAction(l string) bool {
	for _, loc := range negation.FindAllStringIndex(l, -1) {
		rest := l[loc[1]:]
		if end := clauses.FindStringIndex(rest); end != nil {
			rest = rest[:end[0]]
		}
		if actionIn(firstWords(rest, 6)) != refusesNothing {
			return true
		}
	}
	return false
}

// firstWords is the start of s: n words of English, or ten characters of
// Chinese, whichever ends first.
func firstWords(s string, n int) string {
	words, han := 0, 0
	for i, r := range s {
		switch {
		case r == ' ':
			if words++; words > n {
				return s[:i]
			}
		case unicode.Is(unicode.Han, r):
			if han++; han > 10 {
				return s[:i]
			}
		}
	}
	return s
}

var (
	hanSpace = regexp.MustCompile(`(\p{Han})\s+(\p{Han})`)
	clauses  = regexp.MustCompile(`[,，。;；!！]+|\.(?:\s|$)|\s+but\s+|\s+(?:then|instead)\s+`)
	negation = regexp.MustCompile(`\b(?:don'?t|dont|do not|does not|doesn'?t|never|no need to|not going to|won'?t|wont|not)\b|` +
		`不想|不要|不用|不打算|不需要|先不|暂时不|暂不|别|不(?:提前)?还了`)
	deferral = regexp.MustCompile(`\bnot (?:now|today|yet|this month)\b|\blater\b|\bnext month\b(?:[^'’]|$)|\banother (?:time|day)\b|` +
		`下个?月再|以后再|改天再|过几天再|回头再|晚点再|等.{1,10}再`)
	payVerb = regexp.MustCompile(`\b(?:pay(?:ing)?|repay(?:ing)?|settle|payoff)\b|提前还|提前结清|结清|还款|还钱|还清|付款|付钱|` +
		`还(?:[了吧啊呢]|$|[^没是有在要能可会得不想])`)
	alternative = regexp.MustCompile(`\b(?:just|only|instead)\b|只还|只付|就还|改还|换成`)
	closeVerb   = regexp.MustCompile(`\bclos(?:e|ing)\b.{0,12}\baccount\b|\bclosure\b|\bdeactivate\b|注销`)
	switchVerb  = regexp.MustCompile(`\b(?:turn|switch)(?:ing)? (?:it )?(?:on|off)\b|\b(?:enable|disable)\b|开通|开启|打开|关闭|关掉|[开关](?:自动|了|吧|掉)`)
)
