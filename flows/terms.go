package flows

import (
	"regexp"
	"slices"
	"strings"

	"supportbot"
)

// A term of the service a customer asks the meaning of ("本期是什么意思",
// "什么是预约还款", "滞纳金是什么", "what does overdue mean"): a replay got
// "cannot transfer you to a person" (什么意思 read as the bot not being
// understood), unsure, or "can't answer".
type term struct {
	key   string // term.<key> in the catalog: what it means, in a sentence or two
	words []string
	flow  string // the flow a button under it starts ("" for none)
}

var terms = []term{
	{key: "this_period", words: []string{"本期", "当期", "这一期", "这期", "this period", "current period", "period"}, flow: "bill"},
	{key: "booking", words: []string{"预约还款", "预约扣款", "预约", "scheduled repayment", "scheduled payment", "booked repayment", "booking"}, flow: "cancel"},
	{key: "autopay", words: []string{"自动还款", "自动扣款", "autopay", "auto-pay", "auto repayment", "auto-repayment"}, flow: "autopay"},
	{key: "late_fee", words: []string{"滞纳金", "罚息", "late fee", "late charge", "penalty"}, flow: "bill"},
	{key: "overdue", words: []string{"逾期", "overdue", "past due"}, flow: "bill"},
	{key: "fee", words: []string{"息费", "手续费", "分期手续费", "利息", "installment fee", "interest", "fee"}, flow: "bill"},
	{key: "payoff", words: []string{"提前还款", "提前结清", "提前还清", "结清", "early repayment", "payoff", "pay off", "prepayment"}, flow: "repay"},
	{key: "principal", words: []string{"本金", "principal"}, flow: "bill"},
	{key: "periods", words: []string{"期数", "分期期数", "总期数", "number of periods", "tenure", "number of installments"}, flow: "bill"},
	{key: "due_date", words: []string{"还款日", "到期日", "due date", "repayment date", "payment date"}, flow: "bill"},
	{key: "remaining", words: []string{"剩余待还", "待还", "剩余应还"}, flow: "bill"},
	{key: "installment", words: []string{"分期付款", "分期", "installment plan", "installments", "installment"}, flow: "bill"},
	{key: "closure", words: []string{"注销分期账户", "注销账户", "注销", "account closure", "closure"}, flow: "close"},
}

var (
	// termAskedZh: "X是什么意思", "X是啥", "什么是X", "X指的是什么" — the
	// question and the term, nothing else.
	termAskedZh = regexp.MustCompile(`^(?:请问|问一下|问下|那)?(?:你们说的|这里的|账单上的|账单里的|上面的|上面说的)?[「“"']?(.{1,10}?)[」”"']?(?:到底|具体)?` +
		`(?:是什么意思|是啥意思|什么意思|啥意思|是什么东西|是什么|是啥|指的是什么|指的是啥|指什么|是指什么|怎么理解)(?:呀|啊|呢)?$|^(?:请问)?什么(?:是|叫)(.{1,10}?)(?:呀|啊|呢)?$`)
	// termAskedEn: "what does X mean", "what is a X", "meaning of X" —
	// not "what is my balance", "what is the late fee" (theirs, how much).
	termAskedEn = regexp.MustCompile(`^(?:so |and |sorry,? |excuse me,? )?(?:(?:what(?:'s| is)|whats|wat is)\s+(?:an? )?|(?:what does|what do you mean by|meaning of|define)\s+(?:an? |the |this )?)` +
		`["']?([a-z -]{2,30}?)["']?(?:\s+mean)?$`)
)

// termsAsked answers each clause of text that asks what one of the
// service's terms means — every clause must, else it is not for it — with
// a button to what the term is about.
func (s *Step) termsAsked(text string) (bool, error) {
	asked := termsCompared(strings.Trim(strings.ToLower(text), " ?？。.!！"))
	if asked == nil {
		asked = termsOfClauses(text)
	}
	if len(asked) == 0 {
		return false, nil
	}
	lines := make([]string, len(asked))
	var btns []supportbot.Button
	for i, t := range asked {
		lines[i] = s.T("term." + t.key)
		if b := s.menuBtn(s.T("menu."+t.flow), t.flow); !slices.ContainsFunc(btns, func(o supportbot.Button) bool { return o.Text == b.Text }) {
			btns = append(btns, b)
		}
	}
	s.conv.Misses = 0
	s.say(strings.Join(lines, "\n\n"), s.next(append(btns, s.humanBtn())...)...) // as under an FAQ answer
	if s.conv.CustomerID != "" && slices.ContainsFunc(asked, func(t term) bool { return t.key == "overdue" || t.key == "late_fee" }) {
		// "what does overdue mean" from a customer who is: which of theirs
		// is, under it (a replay: the builds before said so, this one not)
		return true, s.appendOverdue()
	}
	return true, nil
}

// termAsked is the term a clause asks the meaning of, by its whole word.
// termsOfClauses is the term each clause of text asks the meaning of; nil
// unless every clause asks one (or puts something off).
func termsOfClauses(text string) []term {
	var asked []term
	for _, clause := range clausesOf(strings.ToLower(text)) {
		t, ok := termAsked(strings.Trim(clause, " ?？。.!！"))
		if !ok && deferred.MatchString(clause) && len(clausesOf(text)) > 1 {
			continue // "期数是什么意思 还款的事以后再说": the term (a replay: unsure)
		}
		if !ok {
			return nil
		}
		if !slices.ContainsFunc(asked, func(a term) bool { return a.key == t.key }) {
			asked = append(asked, t)
		}
	}
	return asked
}

// termsCompared reads two terms asked apart ("自动还款和预约还款有什么区别",
// "what's the difference between autopay and scheduled repayment"): both,
// each in its sentence (a probe: unsure); nil if either is no term.
func termsCompared(l string) []term {
	m := termsApartZh.FindStringSubmatch(l)
	if m == nil {
		m = termsApartEn.FindStringSubmatch(l)
	}
	if m == nil {
		return nil
	}
	a, okA := termNamed(m[1])
	b, okB := termNamed(m[2])
	if !okA || !okB || a.key == b.key {
		return nil
	}
	return []term{a, b}
}

var (
	termsApartZh = regexp.MustCompile(`^(?:请问|问一下|问下)?(.{1,10}?)(?:和|跟|与|同)(.{1,10}?)(?:之间)?(?:有什么|有啥|是什么|的)?(?:区别|不同|差别|不一样)(?:吗|呢|啊|呀)?$`)
	termsApartEn = regexp.MustCompile(`^(?:so |and )?(?:(?:what(?:'s| is)|whats|wats) the )?difference between (?:an? |the )?([a-z -]{2,30}?) and (?:an? |the )?([a-z -]{2,30}?)$`)
)

// termNamed is the term a word is, as the customer typed it.
func termNamed(word string) (term, bool) {
	word = strings.Trim(word, "「」“”\"' ")
	for _, t := range terms {
		if slices.Contains(t.words, word) {
			return t, true
		}
	}
	return term{}, false
}

func termAsked(clause string) (term, bool) {
	word := ""
	if m := termAskedZh.FindStringSubmatch(clause); m != nil {
		word = m[1] + m[2]
	} else if m := termAskedEn.FindStringSubmatch(clause); m != nil {
		word = strings.TrimSpace(m[1])
	}
	return termNamed(word)
}
