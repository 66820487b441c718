package faq

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Calibration: the confidence is a logistic function of calInputs: the
// probability of the top entry and its closest sibling together, as log-odds
// (a topic and the flow it offers are one tap apart, so a split between them
// is no doubt about the subject); the top entry's own probability; the share
// of the question's words the knowledge base has never seen (an unknown word
// is the strongest sign of another subject); and whether the model and the
// nearest paraphrases agree on the top entry. Fitted on the tuning rows, each
// predicted by a model that did not learn it: TestCalibrate prints the fit
// and how the answer threshold trades accuracy for rejection.
var calWeights = [calN]float64{-0.08, 0.53, 2.55, -0.22, -0.58, -0.59, 1.10, -0.51, 0.11}

const (
	answerAt  = 0.75 // at or above: act on the top match
	suggestAt = 0.25 // at or above: offer the two closest; below, a human

	// clauseEdge is how much more confident a clause of a long message must be
	// than the whole message to be the one routed on.
	clauseEdge = 0.05
	// suggestMin is the least probability an entry needs to be offered as a
	// suggestion.
	suggestMin = 0.08
)

// Index is the knowledge base ready for matching. Build it once with Load.
type Index struct {
	entries []Entry
	byID    map[string]int // id → entry; topics win over flows of the same id
	sib     [][]bool       // sib[i][j]: a topic and the flow it offers, or two out-of-scope classes
	syn     *synonyms
	norm    *normalizer
	words   map[string]bool // English words of the knowledge base as written
	stems   map[string]bool // and their stems
	byLen   [][]string      // words by length, for typo repair
	m       *model
	nb      *neighbours
	mode    *model // two classes: 0 asks about something, 1 asks for it to be done
	twin    []int  // entry → its twin (a flow and its how-to topic), -1 if none
}

// contexts are words customers add around a question that say where, not
// what: every paraphrase is also learned with one of them, so that "在商城app里"
// or "in the mall app" cannot pull a question to the topic that happens to
// mention the app.
var contexts = map[string][]string{
	"zh": {"小米商城", "在商城app里", "分期", "小米分期", "你好", "请问", "小米金融app", "我的分期"},
	"en": {"in the mall app", "for my installment", "hi", "on xiaomi", "my plan", "in the app"},
}

// learned is a customer question of kb/learn.tsv and its entry.
type learned struct {
	entry int
	text  string
}

func build(entries []Entry, sy *synonyms, norm *normalizer, learn []learned) *Index {
	ix := &Index{entries: entries, byID: map[string]int{}, syn: sy, norm: norm,
		words: map[string]bool{}, stems: map[string]bool{}}
	for i, e := range entries {
		if j, ok := ix.byID[e.ID]; !ok || entries[j].Kind == KindFlow {
			ix.byID[e.ID] = i
		}
	}
	ix.sib = make([][]bool, len(entries))
	for i, a := range entries {
		ix.sib[i] = make([]bool, len(entries))
		for j, b := range entries {
			ix.sib[i][j] = i != j && (a.Kind == KindFAQ && b.Kind == KindFlow && a.Flow == b.ID ||
				b.Kind == KindFAQ && a.Kind == KindFlow && b.Flow == a.ID ||
				a.Kind == KindOutOfScope && b.Kind == KindOutOfScope)
		}
	}
	// The words first: the paraphrases are spelt right, and the queries'
	// typos are repaired towards them.
	addWords := func(text string) {
		for _, u := range split(ix.norm.normalize(text)) {
			if u.raw != "" {
				ix.words[u.raw] = true
				ix.stems[u.s] = true
			}
		}
	}
	for _, e := range entries {
		for _, l := range langs {
			for _, q := range e.Questions[l] {
				addWords(q)
			}
			addWords(e.Title[l])
		}
	}
	for _, ps := range sy.byFirst {
		for _, p := range ps {
			for _, w := range p {
				if isASCIIWord(w) {
					ix.stems[w] = true
				}
			}
		}
	}
	for w := range ix.words {
		for len(ix.byLen) <= len(w) {
			ix.byLen = append(ix.byLen, nil)
		}
		ix.byLen[len(w)] = append(ix.byLen[len(w)], w)
	}
	for _, ws := range ix.byLen {
		sort.Strings(ws)
	}

	ix.m = &model{feat: map[string]int32{}, k: len(entries)}
	var samples, plain []sample
	var plainNorm []string   // the plain samples' texts, normalised
	var plainTokens []tokens // and tokenised
	n := 0
	byEntry := make([][2][]string, len(entries)) // customer questions: Chinese, English
	for _, r := range learn {
		l := 1
		if hasHan(r.text) {
			l = 0
		}
		byEntry[r.entry][l] = append(byEntry[r.entry][l], r.text)
	}
	for i, e := range entries {
		for li, l := range langs {
			texts := append(append([]string(nil), e.Questions[l]...), e.Title[l])
			texts = append(texts, byEntry[i][li]...)
			for _, q := range texts {
				qn := ix.norm.normalize(q)
				qt := ix.tokensOf(qn)
				x, _ := ix.m.features(qt, true)
				samples = append(samples, sample{x, i})
				plain = append(plain, sample{x, i})
				plainNorm = append(plainNorm, qn)
				plainTokens = append(plainTokens, qt)
				// Every other question also comes with a context word,
				// before or after it.
				ctx := contexts[l][n/2%len(contexts[l])]
				with := ctx + " " + q
				if n%4 == 2 {
					with = q + " " + ctx
				}
				n++
				if n%2 == 1 {
					x, _ = ix.m.features(ix.tokens(with), true)
					samples = append(samples, sample{x, i})
				}
			}
		}
	}
	// Out-of-scope classes also learn our own questions with another
	// object named in them (see Mix).
	for i, e := range entries {
		if e.Mix == nil {
			continue
		}
		for _, l := range langs {
			words := e.Mix.Words[l]
			if len(words) == 0 {
				continue
			}
			k := 0
			for _, id := range e.Mix.From {
				for _, j := range ix.idsOf(id) {
					for _, q := range entries[j].Questions[l] {
						x, _ := ix.m.features(ix.tokens(words[k%len(words)]+" "+q), true)
						samples = append(samples, sample{x, i})
						k++
					}
				}
			}
		}
	}
	train(ix.m, samples)
	ix.nb = newNeighbours(ix.m, plain)

	// The mode: whether a question asks about a subject or asks for it to be
	// done, learned from every question of a flow (done) and of a topic
	// (asked about), whatever their subject. It decides between twins.
	ix.twin = make([]int, len(entries))
	for i := range ix.twin {
		ix.twin[i] = -1
	}
	for i, e := range entries {
		if e.Twin {
			for j, f := range entries {
				if f.Kind == KindFlow && f.ID == e.Flow {
					ix.twin[i], ix.twin[j] = j, i
				}
			}
		}
	}
	ix.mode = &model{feat: map[string]int32{}, k: 2}
	var modes []sample
	for i, s := range plain {
		x := ix.modeFeatures(plainNorm[i], plainTokens[i], true)
		switch entries[s.class].Kind {
		case KindFlow:
			modes = append(modes, sample{x, 1})
		case KindFAQ:
			modes = append(modes, sample{x, 0})
		}
	}
	train(ix.mode, modes)
	return ix
}

// idsOf is the entries with this id: a flow and a topic may share one.
func (ix *Index) idsOf(id string) []int {
	var out []int
	for i, e := range ix.entries {
		if e.ID == id && e.Kind != KindOutOfScope {
			out = append(out, i)
		}
	}
	return out
}

// modeFeatures are what the mode model reads: the text's tokens, and its
// form without its subject (see modeTokens). norm is the normalised text and
// t its tokens.
func (ix *Index) modeFeatures(norm string, t tokens, grow bool) []int32 {
	t = tokens{uni: append([]string(nil), t.uni...), bi: append([]string(nil), t.bi...)}
	f := ix.modeTokens(norm)
	for _, s := range f.uni {
		t.uni = append(t.uni, "f:"+s)
	}
	for _, s := range f.bi {
		t.bi = append(t.bi, "f:"+s)
	}
	x, _ := ix.mode.features(t, grow)
	return x
}

// modeConcepts are the concepts that say how a question is put, not what
// it is about.
var modeConcepts = map[string]bool{"#how": true, "#ask": true, "#want": true, "#where": true, "#when": true,
	"#howlong": true, "#howmuch": true, "#why": true, "#done": true, "#not": true, "#view": true, "#success": true,
	"#impact": true, "#differ": true, "#require": true, "#after": true, "#again": true}

// modeTokens are the form of a text without its subject: the how-words,
// particles and function words ("do you", "can a", "吗"), every other word
// as "_", how it starts and ends, and whether it has a question mark.
// "send me reminders" and "do you send reminders" differ only in form.
func (ix *Index) modeTokens(norm string) tokens {
	var t tokens
	var form []string
	for _, u := range ix.syn.apply(split(norm)) {
		switch {
		case u.s == "":
		case u.s[0] == '#' && modeConcepts[u.s]:
			form = append(form, u.s)
		case u.stop || u.raw != "" && enStop[u.raw]:
			form = append(form, u.s)
		case len(form) == 0 || form[len(form)-1] != "_":
			form = append(form, "_")
		}
	}
	if len(form) == 0 {
		return t
	}
	t.uni = append(t.uni, "^"+form[0], form[len(form)-1]+"$")
	if len(form) > 1 {
		t.uni = append(t.uni, "^"+form[0]+" "+form[1])
	}
	if strings.ContainsAny(norm, "?") {
		t.uni = append(t.uni, "?")
	}
	for i := 1; i < len(form); i++ {
		t.bi = append(t.bi, form[i-1]+" "+form[i])
	}
	return t
}

// tokens normalises a text, repairs its English typos and tokenises it.
func (ix *Index) tokens(text string) tokens { return ix.tokensOf(ix.norm.normalize(text)) }

// tokensOf tokenises a normalised text.
func (ix *Index) tokensOf(norm string) tokens {
	us := split(norm)
	for i, u := range us {
		if u.raw == "" || ix.stems[u.s] || len(u.raw) < 4 || !isASCIIWord(u.raw) {
			continue
		}
		if w := ix.nearest(u.raw); w != "" {
			us[i].raw, us[i].s, us[i].stop = w, stem(w), enStop[w]
		}
	}
	return ix.syn.tokens(us)
}

// nearest is the knowledge base's word one edit (two for long words) from w,
// an edit being an insertion, deletion, substitution or a swap of neighbours;
// "" if there is none. Words of 4 letters or fewer are left alone: too many
// real words are one edit apart.
func (ix *Index) nearest(w string) string {
	limit := 1
	if len(w) >= 8 {
		limit = 2
	}
	best, bestD := "", limit+1
	for l := len(w) - limit; l <= len(w)+limit; l++ {
		if l < 4 || l >= len(ix.byLen) {
			continue
		}
		for _, c := range ix.byLen[l] {
			if c[0] != w[0] && (len(w) < 2 || c[0] != w[1]) {
				continue
			}
			if d := editDistance(w, c, bestD); d < bestD {
				best, bestD = c, d
			}
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance of a and b, or any
// value ≥ max once it is certain to reach max.
func editDistance(a, b string, max int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		low := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			low = min(low, cur[j])
		}
		if low >= max {
			return max
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// candidate is one reading of a message: the whole of it, or one clause.
type candidate struct {
	Text       string
	tokens     tokens
	x          []int32
	known, all int       // unigrams the model knows, and all of them
	p          []float64 // probability per entry: the blend of pm and pn
	pm, pn     []float64 // the model's and the neighbours' probabilities
	mode       []float64 // asks about, asks for: when the top entry has a twin
	cos        []float64 // cosine of each entry's nearest paraphrase
	order      []int     // entries by probability, best first
	Confidence float64
	Carries    string // the clause before, whose subject this one is read with (carried)
}

func (ix *Index) score(text string) candidate { return ix.scoreTokens(text, ix.tokensOf(text)) }

// scoreTokens reads tokens: the words of text, or of text with what it
// leaves to the clause before it (carried).
func (ix *Index) scoreTokens(text string, t tokens) candidate {
	c := candidate{Text: text, tokens: t}
	c.x, c.known = ix.m.features(c.tokens, false)
	c.all = len(c.tokens.uni)
	if c.known == 0 {
		return c
	}
	c.p = make([]float64, ix.m.k)
	ix.m.logits(c.x, c.p)
	softmax(c.p)
	c.pm = c.p
	c.pn = make([]float64, ix.m.k)
	c.cos = make([]float64, ix.m.k)
	ix.nb.probs(c.x, c.pn, c.cos)
	c.p = make([]float64, ix.m.k)
	for i := range c.p {
		c.p[i] = (1-knnWeight)*c.pm[i] + knnWeight*c.pn[i]
	}
	c.order = make([]int, len(c.p))
	for i := range c.order {
		c.order[i] = i
	}
	sort.SliceStable(c.order, func(a, b int) bool { return c.p[c.order[a]] > c.p[c.order[b]] })
	ix.applyMode(&c)
	c.Confidence = ix.confidence(c)
	return c
}

// calibration inputs of a candidate: the top entry's log-odds, its group's
// probability and the unknown share.
// calN: bias, group log-odds, top probability, unknown share, agreement,
// the nearest paraphrase's cosine, the margin over the best entry outside
// the group, how few words were recognised, and whether the text is Chinese
// (the English paraphrases are fewer, and their probabilities run lower).
const calN = 9

func (ix *Index) calInputs(c candidate) [calN]float64 {
	t := c.order[0]
	var sib float64
	for j, s := range ix.sib[t] {
		if s {
			sib = math.Max(sib, c.p[j])
		}
	}
	g := math.Min(math.Max(c.p[t]+sib, 1e-6), 1-1e-6)
	agree := 0.0
	if argmax(c.pm) == argmax(c.pn) {
		agree = 1
	}
	var rival float64
	for j, p := range c.p {
		if j != t && !ix.sib[t][j] {
			rival = math.Max(rival, p)
		}
	}
	few := 1 / float64(c.known)
	return [calN]float64{1, math.Log(g / (1 - g)), c.p[t], 1 - float64(c.known)/float64(c.all), agree,
		c.cos[t], c.p[t] + sib - rival, few, b2f(hasHan(c.Text))}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func argmax(p []float64) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// howCues ask how, where, why, how long or what differs: a question about a subject,
// never a request to act on it, whatever the mode model thinks.
var howCues = [...]string{"#how", "#where", "#why", "#howlong", "#differ"}

// defines is a question of what something is ("预约还款是什么", "什么是提前
// 还款", "自动还款是什么意思", "what is a scheduled repayment"): the topic,
// never the flow — not "是什么时候" (when), nor "是什么情况" (how it stands).
var defines = regexp.MustCompile(`什么是|是?什么意思|啥意思|是(?:什么|啥)[？?。.!！\s]*$|` +
	`^(?:so )?what(?:'s| is| are) (?:a |an )?(?:scheduled|auto|automatic|early|prepayment|manual)|\bwhat does .{1,40} mean\b`)

// applyMode puts first, of the top entry and its twin, the one the way the
// question is put calls for: a flow when it asks for something to be done,
// the topic when it asks about it. "Can I talk to a person" asks for one: the
// hand-off is never traded for the topic on how to reach support.
func (ix *Index) applyMode(c *candidate) {
	top := c.order[0]
	tw := ix.twin[top]
	if tw < 0 || ix.entries[top].Kind == KindFlow && ix.entries[top].ID == "agent" {
		return
	}
	c.mode = make([]float64, 2)
	ix.mode.logits(ix.modeFeatures(c.Text, c.tokens, false), c.mode)
	softmax(c.mode)
	want := KindFAQ
	if c.mode[1] >= 0.5 {
		want = KindFlow
	}
	for _, s := range c.tokens.uni {
		for _, cue := range howCues {
			if s == cue {
				want = KindFAQ
			}
		}
	}
	if defines.MatchString(strings.ToLower(c.Text)) {
		want = KindFAQ // "预约还款是什么" listed the bookings to cancel (a probe)
	}
	if ix.entries[top].Kind == want {
		return
	}
	for i, e := range c.order {
		if e == tw {
			copy(c.order[1:i+1], c.order[:i])
			c.order[0] = tw
			return
		}
	}
}

// howWords say how something is asked, not what about: a clause of only
// these ("要怎么操作", "请问可以吗") has no subject to route on.
var howWords = map[string]bool{"#how": true, "#ask": true, "#want": true, "#where": true, "#when": true, "#howlong": true,
	"#howmuch": true, "#why": true, "#view": true, "#detail": true, "#done": true, "#not": true,
	"#success": true, "#confirm": true, "#status": true, "#again": true, "#after": true}

// hasSubject reports whether a clause names something: a concept that is
// not a how-word, or two recognised words that are not.
func hasSubject(c candidate) bool {
	words := 0
	for _, s := range c.tokens.uni {
		if howWords[s] {
			continue
		}
		if s[0] == '#' {
			return true
		}
		words++
	}
	return words >= 2
}

// requestEnds are how a clause that asks or requests ends.
const requestEnds = "吗呢么嘛?"

// asksOrWants reports whether a clause carries a request: a cue word, the
// ending of a question, or a word of doing it starts with (toldTo). A
// clause without one ("我上个月买了台电视") is a side detail and is not
// routed on alone.
func asksOrWants(c candidate) bool {
	for _, s := range c.tokens.uni {
		switch s {
		case "#how", "#ask", "#want", "#where", "#why", "#howlong", "#howmuch", "#when", "#agent", "#frustrated", "#impact":
			return true
		}
	}
	if len(c.tokens.uni) > 0 && toldTo[c.tokens.uni[0]] && !lookedAlready(c.Text) {
		return true // "查下账单", "check my bill", "also turn off the reminders": told to do something
	}
	if u := c.tokens.uni; len(u) >= 2 && (u[0] == "#product" && (toldTo[u[1]] || u[1] == "#payoff") && concepts(c) == 2 || u[0] == "还" && u[1][0] == '#') && !lookedAlready(c.Text) {
		return true // "笔记本提前还款 顺便问下滞纳金", "手机提前还清，…": the plan, then what to do with it; "还这期，顺便问下…": 还 told
	}
	// A clause comes without the words that joined it (withoutLeads).
	if zhOrder.MatchString(c.Text) && !strings.Contains(c.Text, "过") {
		return true // "把提醒打开", "把自动还款关了" (a 了 ends the order, not a report), "还有提醒打开"
	}
	t := strings.TrimRight(c.Text, " ")
	r, _ := utf8.DecodeLastRuneInString(t)
	if first, _, _ := strings.Cut(strings.ToLower(t), " "); questionLeads[first] {
		return true // "whats my bill? also …", "… and whats my balance": the clause's "?" was cut off with it
	}
	return strings.ContainsRune(requestEnds, r) || slices.ContainsFunc(notQuestions, func(q string) bool { return strings.Contains(t, q) })
}

// clauseLeads join a clause to the one before ("…? and whats my balance").
var clauseLeads = map[string]bool{"and": true, "also": true, "plus": true, "btw": true, "oh": true, "so": true, "but": true, "then": true}

// questionLeads are the words an English question starts with.
var questionLeads = map[string]bool{"what": true, "whats": true, "what's": true, "which": true, "who": true, "when": true,
	"where": true, "how": true, "hows": true, "how's": true, "why": true, "is": true, "are": true, "can": true, "could": true,
	"do": true, "does": true, "did": true, "will": true, "would": true, "should": true, "may": true, "am": true}

// withoutLeads is a clause without the words that join it to the one
// before ("还有提醒打开", "and whats my balance"), unless they are all of it.
func withoutLeads(clause string) string {
	for {
		t := clause
		for _, lead := range zhClauseLeads {
			if u, ok := strings.CutPrefix(t, lead); ok && utf8.RuneCountInString(strings.TrimSpace(u)) > 1 { // not "再见"
				t = strings.TrimSpace(u)
			}
		}
		if first, rest, ok := strings.Cut(t, " "); ok && clauseLeads[strings.ToLower(first)] && strings.TrimSpace(rest) != "" {
			t = strings.TrimSpace(rest)
		}
		if t == clause {
			return clause
		}
		clause = t
	}
}

// zhClauseLeads join a clause to the one before ("关掉自动还款，还有提醒打开").
var zhClauseLeads = []string{"还有就是", "还有", "另外", "然后", "再", "也", "并且", "而且", "先"}

// zhOrder is a clause that orders something done: one that starts with 把,
// or a short one that ends with its switch or look-up ("提醒打开", "消息中心
// 也看看").
var zhOrder = regexp.MustCompile(`^把|^\p{Han}{1,8}(?:打开|开一下|开启|关掉|关了|关闭|关一下|取消掉?|看看|查查|看一下|查一下)(?:吧|了|一下)?$`)

// toldTo are the words a clause told to do something starts with: look
// up, switch off or on, cancel.
var toldTo = map[string]bool{"#view": true, "#off": true, "#on": true, "#cancel": true, "#repay": true, "#close": true}

// lookedAlready reports a look-up told as done ("看了账单，…", "查了下银行卡",
// "checked my card, …"): a side detail, not a request (a review).
func lookedAlready(clause string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(strings.ToLower(clause)), " ")
	return strings.ContainsAny(clause, "了过") || strings.HasSuffix(first, "ed") || first == "saw" || first == "seen" || first == "paid"
}

// notQuestions ask by "X not X" ("有没有手续费", "能不能改"), with no
// question word at the end.
var notQuestions = []string{"有没有", "是不是", "能不能", "可不可以", "要不要", "会不会", "行不行", "收不收", "用不用", "需不需要", "可以不"}

// asideOutOfScope reports a clause that reads out of scope in a message
// whose whole reads as ours — our flows and topics together more likely
// than not, whichever single entry is on top: "扣了两次，退款" asks about
// the double charge, not about returns; "还款日过了有没有宽限期 晚一两天行
// 不行" about a due date, not a late delivery. The clause is not routed on.
func (ix *Index) asideOutOfScope(whole, clause candidate) bool {
	if whole.p == nil || whole.Confidence < suggestAt {
		return false
	}
	if ix.entries[clause.order[0]].Kind != KindOutOfScope {
		return false
	}
	var ours float64 // the whole's probability of our own flows and topics
	for i, e := range ix.entries {
		if e.Kind != KindOutOfScope {
			ours += whole.p[i]
		}
	}
	return ours > 0.5
}

// outOfScopeByASide reports a message whose whole reads as another
// lender's only by a side detail: a clause that asks nothing names the
// lender ("我下个月要办房贷"), while another asks a question of its own, with
// two concepts of ours and no lender in it ("提前还款会影响征信吗"). The
// question is answered, not the detail (a probe: "提前还款会影响征信吗 我下个
// 月要办房贷" was told other lenders' loans are not handled here). A clause
// that asks with one concept only ("你们能帮我还吗" after "我在招商银行有贷
// 款") leans on the detail, and the whole stays out of scope.
func (ix *Index) outOfScopeByASide(cs []candidate) bool {
	if len(cs) < 3 || cs[0].p == nil || ix.entries[cs[0].order[0]].ID != otherCredit {
		return false
	}
	aside, asked := false, false
	for _, c := range cs[1:] {
		if c.p == nil {
			continue
		}
		switch e := ix.entries[c.order[0]]; {
		case e.Kind == KindOutOfScope && asksOrWants(c) && !ix.asideOfOwnPlan(c):
			return false // the out-of-scope reading is asked for
		case e.ID == otherCredit && names(c, "#notours"):
			aside = true
		case e.Kind != KindOutOfScope && asksOrWants(c) && !names(c, "#notours") && concepts(c) >= 2 && c.Confidence >= suggestAt:
			asked = true
		}
	}
	return aside && asked
}

// statesOwnPlan reports a clause that tells what the customer is about to
// do, not a request ("i'm applying for a mortgage next month", "我准备办房
// 贷"): its "apply" or 要 is theirs, not asked of us.
func statesOwnPlan(clause string) bool {
	t := strings.ToLower(strings.TrimSpace(clause))
	if strings.ContainsAny(t, "?？吗") {
		return false
	}
	for _, lead := range []string{"i'm ", "im ", "i am ", "i will ", "i'll ", "我准备", "我打算", "我正在", "准备", "打算"} {
		if strings.HasPrefix(t, lead) {
			return true
		}
	}
	return false
}

// asideOfOwnPlan reports a clause out of scope that only tells the
// customer's own plan ("i'm applying for a mortgage next month"): not
// routed on alone.
func (ix *Index) asideOfOwnPlan(c candidate) bool {
	return ix.entries[c.order[0]].Kind == KindOutOfScope && statesOwnPlan(c.Text)
}

// otherCredit is the out-of-scope entry of other lenders' loans and cards.
const otherCredit = "oos-other-credit"

// concepts counts the concepts of a clause that are not how-words.
func concepts(c candidate) int {
	n := 0
	for _, s := range c.tokens.uni {
		if s[0] == '#' && !howWords[s] {
			n++
		}
	}
	return n
}

// leansOnTheWhole reports a clause of ours whose object is only a pronoun
// ("can you pay it", "帮我还了它") in a message whose whole reads out of
// scope: what "it" is is said elsewhere — "my amex bill is due, can you pay
// it" asks to pay another bank's card, not one of our bills (a probe). The
// clause is not routed on.
func (ix *Index) leansOnTheWhole(whole, clause candidate) bool {
	if whole.p == nil || ix.entries[clause.order[0]].Kind == KindOutOfScope || !pronounObject.MatchString(clause.Text) {
		return false
	}
	var outside float64
	for i, e := range ix.entries {
		if e.Kind == KindOutOfScope {
			outside += whole.p[i]
		}
	}
	return outside > 0.5
}

// leavesOutTheLender reports a clause without the other lender another
// clause says the purchase was made with (boughtWithLender): "京东白条买的
// 小米手机 分期在哪里还款" asks where to repay the 白条 plan, which its
// second clause alone reads as one of ours, to pay here with /pay (a
// probe). The clause is not routed on; the whole is. A lender named for
// itself ("借呗到期了，帮我查一下这个月的分期账单") leaves the request ours.
func leavesOutTheLender(clauses []candidate, clause candidate) bool {
	return !names(clause, "#notours") && !names(clause, "#viaplatform") && slices.ContainsFunc(clauses, boughtWithLender)
}

// boughtWithLender is a purchase said to be financed by another lender:
// #viaplatform ("用花呗分期的", "走的花呗"), or a lender (#notours) beside
// buying ("京东白条买的").
func boughtWithLender(c candidate) bool {
	return names(c, "#viaplatform") || names(c, "#notours") && names(c, "#buy")
}

func names(c candidate, token string) bool { return slices.Contains(c.tokens.uni, token) }

// paidHere are the entries that pay a plan here; a plan bought with
// another lender is paid there instead, as lenderChannels says.
var paidHere = map[string]bool{"manual-repayment": true, "pay-bill": true, "early-repayment": true, "autopay": true}

const lenderChannels = "repayment-channels"

// pronounObject is "it", "them" or 它 as what a clause acts on, or "this",
// "that", 这个, 那个 ending it — not before a noun of ours ("pay this
// installment bill", "这个月的分期账单": a review).
var pronounObject = regexp.MustCompile(`\b(?:it|them)\b|\b(?:this|that)(?: for me| please| now| off| too)*[\s\p{P}]*$|它|(?:这个|那个|这笔|那笔)[吧吗呢啊呀了]*[\s\p{P}]*$`)

func (ix *Index) confidence(c candidate) float64 {
	var z float64
	for i, x := range ix.calInputs(c) {
		z += calWeights[i] * x
	}
	return 1 / (1 + math.Exp(-z))
}

// clauseBreaks end a clause: sentence and clause punctuation (after folding,
// so the full-width forms are included) and the words that join two
// sentences. Whitespace between Chinese characters ends a clause too.
const clauseBreaks = ".!?;,。！？；，、…~～\n"

var clauseJoins = []string{"但是", "可是", "不过", "而且", "所以", "然后", "顺便", " but ", " and then ", " so ", " because ", " and also ", " also "}

// andThenDo is "and" before a second request ("show my bill and turn on
// reminders"): not "the phone and the laptop".
var andThenDo = regexp.MustCompile(`\s+and (?:also |then |pls |please )?((?:turn|switch|cancel|show|check|pay|set|stop|close|tell|give|send|remind)\b)`)

// clauseJoinsKept join a second request to the first ("帮我还这期再把提醒
// 打开"): the clause after one starts with what the join ends with.
var clauseJoinsKept = map[string]string{"再把": "把", "再帮我": "帮我"}

// clauses cuts a normalised message into its clauses; a message of one
// clause gives one.
func clauses(text string) []string {
	for _, j := range clauseJoins {
		text = strings.ReplaceAll(text, j, "\n")
	}
	for j, rest := range clauseJoinsKept {
		text = strings.ReplaceAll(text, j, "\n"+rest)
	}
	text = andThenDo.ReplaceAllString(text, "\n$1")
	var out []string
	var cur []rune
	rs := []rune(text)
	flush := func() {
		if s := withoutLeads(strings.TrimSpace(string(cur))); s != "" {
			out = append(out, s)
		}
		cur = cur[:0]
	}
	for i, r := range rs {
		switch {
		case strings.ContainsRune(clauseBreaks, r):
			flush()
		case r == ' ' && i > 0 && i+1 < len(rs) && isHan(rs[i-1]) && isHan(rs[i+1]):
			flush()
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// leanWords say what is done to a subject, not the subject: a clause of
// only these and how-words ("能改吗", "能免吗", "要多久", "can i change it")
// asks about the subject of the clause before. A fee named is a subject of
// its own ("一共多少钱 手续费能免吗": a regression run); charging is not
// ("会收费吗").
var leanWords = map[string]bool{"#change": true, "#off": true, "#on": true, "#cancel": true, "#impact": true,
	"#postpone": true, "#waive": true, "#again": true, "#remain": true}

// leanChars are the words of one character that ask whether or when
// ("能改吗", "可以推迟吗", "会收费吗"), never what about.
const leanChars = "能会要可以有再"

// leansOnTheOneBefore reports a clause that names no subject of its own:
// only how-words, leanWords and leanChars.
func leansOnTheOneBefore(c candidate) bool {
	for _, s := range c.tokens.uni {
		if subjectOf(s) && !(s == "#fee" && !strings.Contains(c.Text, "手续费") && !strings.Contains(c.Text, "fee")) {
			return false
		}
	}
	return len(c.tokens.uni) > 0
}

// subjectOf reports a word of a clause that says what it is about.
func subjectOf(s string) bool {
	return !howWords[s] && !leanWords[s] && (utf8.RuneCountInString(s) > 1 || !strings.Contains(leanChars, s))
}

// carried is a clause without a subject of its own read with the subject
// of the clause before: "还款日是几号 能改吗" asks whether the due date can
// be changed, not whether installments can be turned off ("能关吗" alone).
// The clause before gives its words but not how it asked (its how-words);
// a clause before without a subject leaves the clause as it is.
func (ix *Index) carried(prev, c candidate) candidate {
	if !leansOnTheOneBefore(c) || prev.tokens.uni == nil {
		return c
	}
	var t tokens
	subject := false
	for _, s := range prev.tokens.uni {
		if howWords[s] {
			continue
		}
		t.uni = append(t.uni, s)
		subject = subject || subjectOf(s)
	}
	if !subject {
		return c
	}
	t.uni = append(t.uni, c.tokens.uni...)
	t.bi = append(append(t.bi, prev.tokens.bi...), c.tokens.bi...)
	cc := ix.scoreTokens(c.Text, t)
	cc.Carries = prev.Text
	if prev.Carries != "" {
		cc.Carries = prev.Carries + "，" + prev.Text
	}
	return cc
}

// analysis is how a message was read: every candidate and the one chosen.
type analysis struct {
	Normalized string
	Candidates []candidate // the whole message first, then its clauses
	Chosen     int         // -1 when nothing was recognised
	Result     Result
}

func (ix *Index) analyze(text string) analysis {
	norm := ix.norm.normalize(text)
	a := analysis{Normalized: norm, Chosen: -1}
	a.Candidates = append(a.Candidates, ix.score(norm))
	if cs := clauses(norm); len(cs) > 1 {
		var prev candidate
		for i, c := range cs {
			cur := ix.score(c)
			if i > 0 {
				// Read with the clause before when that reading is sure;
				// otherwise the clause alone, but never surely — it names
				// no subject: "我明天出差 可以推迟吗" keeps what 可以推迟吗
				// suggests, "提醒开了 能关吗" is not "a plan has no off
				// switch" (regression runs).
				switch cc := ix.carried(prev, cur); {
				case cc.Confidence >= answerAt:
					cur = cc
				case cc.Carries != "" && cur.Confidence >= answerAt:
					cur.Confidence = answerAt - 0.01
				}
			}
			a.Candidates = append(a.Candidates, cur)
			prev = cur
			if i > 0 && len(cs) > 2 {
				a.Candidates = append(a.Candidates, ix.score(cs[i-1]+"，"+c))
			}
		}
	}
	for i, c := range a.Candidates {
		if c.p == nil || i == 0 && ix.outOfScopeByASide(a.Candidates) || i > 0 && (c.Carries != "" || !asksOrWants(c) || ix.asideOfOwnPlan(c) || !hasSubject(c) || ix.asideOutOfScope(a.Candidates[0], c) || ix.leansOnTheWhole(a.Candidates[0], c) ||
			leavesOutTheLender(a.Candidates[1:], c)) {
			continue
		}
		edge := 0.0
		if i > 0 {
			edge = clauseEdge
		}
		if a.Chosen < 0 || c.Confidence > a.Candidates[a.Chosen].Confidence+edge {
			a.Chosen = i
		}
	}
	if a.Chosen < 0 {
		a.Result = Result{Kind: KindNone, Band: BandNone}
		return a
	}
	c := a.Candidates[a.Chosen]
	top := ix.entries[c.order[0]]
	if i, ok := ix.byID[lenderChannels]; ok && paidHere[top.ID] && slices.ContainsFunc(a.Candidates, boughtWithLender) {
		// "我是用花呗分期的，这期怎么还": paid where it was financed, not
		// here with /pay (a probe: the steps to pay here).
		top = ix.entries[i]
	}
	if whole := a.Candidates[0]; a.Chosen > 0 && top.ID == "installment-fee" && whole.p != nil && ix.entries[whole.order[0]].ID == "early-repayment-fee" {
		// "pay off early, how much is the fee for my plan?": the fee of the
		// payoff the message is about, not what a plan costs (a probe).
		top = ix.entries[whole.order[0]]
	}
	r := Result{Kind: top.Kind, ID: top.ID, Score: c.Confidence}
	switch {
	case r.Score >= answerAt:
		r.Band = BandAnswer
		if r.Kind == KindFAQ || r.Kind == KindFlow {
			r.Also = ix.alsoAsked(a, r.ID)
		}
		if r.Kind == KindFlow {
			r.Topic = ix.closestTopic(a.Candidates[0], c)
		}
	case r.Score >= suggestAt:
		// Only our own topics and intents make buttons; an out-of-scope
		// class is never a suggestion. The first entry is offered however
		// likely: it is the reading chosen (a how-to topic put before its
		// flow by the way the question is put keeps the flow's probability).
		for k, i := range c.order {
			e := ix.entries[i]
			if len(r.Suggestions) == 2 || k > 0 && c.p[i] < suggestMin {
				break
			}
			if e.Kind == KindOutOfScope || len(r.Suggestions) == 1 && r.Suggestions[0] == e.ID {
				continue
			}
			r.Suggestions = append(r.Suggestions, e.ID)
		}
		r.Band = BandSuggest
		if len(r.Suggestions) == 0 {
			r.Band = BandNone
		}
	default:
		r.Band = BandNone
	}
	a.Result = r
	return a
}

// closestTopic is the FAQ topic of the whole message or of the clause
// routed on that is likeliest, at least as likely as a suggestion's
// reading needs (suggestAt); "" if none is.
func (ix *Index) closestTopic(whole, routed candidate) string {
	best, bestP := "", suggestAt
	for _, c := range []candidate{whole, routed} {
		if c.p == nil {
			continue
		}
		for _, i := range c.order { // by likelihood: the first topic is the clause's likeliest
			if e := ix.entries[i]; e.Kind == KindFAQ {
				if c.p[i] >= bestP {
					best, bestP = e.ID, c.p[i]
				}
				break
			}
		}
	}
	return best
}

// alsoAsked lists up to two FAQ topics or flow intents besides answered
// that clauses of the message ask about, each as confidently as an answer
// needs ("我这个月要还多少 逾期会怎样": the bill, and the overdue topic).
func (ix *Index) alsoAsked(a analysis, answered string) []string {
	var also []string
	for i, c := range a.Candidates {
		if i == 0 || c.p == nil || c.Confidence < answerAt || !asksOrWants(c) || !hasSubject(c) || ix.asideOutOfScope(a.Candidates[0], c) ||
			ix.leansOnTheWhole(a.Candidates[0], c) {
			continue
		}
		e := ix.entries[c.order[0]]
		if e.Kind == KindOutOfScope || e.ID == answered || slices.Contains(also, e.ID) {
			continue
		}
		if also = append(also, e.ID); len(also) == 2 {
			break
		}
	}
	return also
}

// Classify decides what a customer's free text is about.
func (ix *Index) Classify(text string) Result { return ix.analyze(text).Result }
