package faq

import (
	"math"
	"sort"
	"strings"
)

// Ranking. Paraphrases are a handful of tokens long, so BM25's length
// normalisation is kept mild: a long paraphrase is not much less likely to be
// the customer's question.
const (
	bm25K1 = 1.2
	bm25B  = 0.35

	// Token weights, times idf (see factor): rarity is not meaning.
	conceptWeight = 1.5 // a synonym-table concept: a curated word
	charWeight    = 0.5 // a lone Han character
	bigramWeight  = 0.5 // two Han characters: a word the table does not know

	// secondWeight adds an entry's second-best paraphrase to its best: two
	// paraphrases that fit are better evidence than one stray paraphrase.
	secondWeight = 0.5

	// cueDamp scales the entries of the other kind when the question asks
	// (topics) or wants (flows); siblingReach is how far behind the topic's
	// own flow, or the flow's topic, may be for the cue to pick it instead.
	cueDamp      = 0.8
	siblingReach = 0.5
)

// Calibration: the confidence is a logistic function of the features below,
// fitted on the tuning part of the evaluation set (TestCalibrate prints the
// fit and how the answer threshold trades accuracy for rejection). The
// thresholds cut it into bands.
const (
	calBias     = -5.91
	calCoverage = 3.94
	calDocCover = 2.34
	calMargin   = 0.57
	calUnknown  = -1.32
	calDomain   = 4.08
	calForeign  = -4.0 // not fitted: a rule (see features.foreign)

	answerAt  = 0.6  // at or above: act on the top match
	suggestAt = 0.15 // at or above: offer the two closest; below, a human
)

// Index is the knowledge base ready for matching. Build it once with Load.
type Index struct {
	entries []Entry
	byID    map[string]int // id → entry; topics win over flows of the same id
	sib     [][]bool       // sib[i][j]: a topic and the flow it offers
	syn     *synonyms
	docs    []doc
	post    map[string][]int // token → docs that have it
	idf     map[string]float64
	idfMax  float64 // the weight of a token no paraphrase has: the rarest there is
	avgLen  float64
	vocab   []map[string]bool // per entry: the unigrams of all its paraphrases
}

// doc is one paraphrase (or a title) of an entry.
type doc struct {
	entry int
	len   float64
	uni   map[string]bool
}

var askCues = [...]string{"#ask", "#where", "#why", "#howlong"}

// generic concepts say how something is asked, not what about: sharing only
// these ("你是谁" and "分期资金是谁提供的" share nothing else) is no sign that
// the question is about installments at all.
var generic = map[string]bool{"#ask": true, "#want": true, "#where": true, "#when": true, "#howlong": true,
	"#howmuch": true, "#why": true, "#differ": true, "#after": true, "#view": true, "#detail": true, "#on": true,
	"#success": true, "#confirm": true, "#status": true,
	// third parties: "支付宝怎么转账" is about Alipay, not about repaying with it
	"#alipay": true, "#wechat": true, "#creditcard": true}

func build(entries []Entry, sy *synonyms) *Index {
	ix := &Index{entries: entries, byID: map[string]int{}, syn: sy, post: map[string][]int{}, idf: map[string]float64{}}
	for i, e := range entries {
		if j, ok := ix.byID[e.ID]; !ok || entries[j].Kind == KindFlow {
			ix.byID[e.ID] = i
		}
	}
	ix.sib = make([][]bool, len(entries))
	for i, a := range entries {
		ix.sib[i] = make([]bool, len(entries))
		for j, b := range entries {
			ix.sib[i][j] = a.Kind == KindFAQ && b.Kind == KindFlow && a.Flow == b.ID ||
				b.Kind == KindFAQ && a.Kind == KindFlow && b.Flow == a.ID
		}
	}
	var total float64
	ix.vocab = make([]map[string]bool, len(entries))
	for i, e := range entries {
		ix.vocab[i] = map[string]bool{}
		var texts []string
		for _, l := range langs {
			texts = append(texts, e.Questions[l]...)
			texts = append(texts, e.Title[l])
		}
		for _, text := range texts {
			t := sy.tokenize(text)
			if len(t.uni) == 0 {
				continue
			}
			d := doc{entry: i, len: float64(len(t.uni) + len(t.bi)), uni: map[string]bool{}}
			// Presence, not frequency: a paraphrase that says "human agent"
			// (#agent twice) is no more about agents than "人工".
			seen := map[string]bool{}
			for _, s := range append(t.uni, t.bi...) {
				if !seen[s] {
					seen[s] = true
					ix.post[s] = append(ix.post[s], len(ix.docs))
				}
			}
			for _, s := range t.uni {
				d.uni[s] = true
				ix.vocab[i][s] = true
			}
			ix.docs = append(ix.docs, d)
			total += d.len
		}
	}
	ix.avgLen = total / float64(len(ix.docs))
	// Document frequency counts entries, not paraphrases: a concept that a
	// topic repeats in all its paraphrases is not thereby common, and a
	// character that one odd paraphrase happens to use is not thereby telling.
	n := float64(len(entries))
	for s, ds := range ix.post {
		in := map[int]bool{}
		for _, d := range ds {
			in[ix.docs[d].entry] = true
		}
		ix.idf[s] = idf(n, float64(len(in)))
	}
	ix.idfMax = idf(n, 0)
	return ix
}

func idf(n, df float64) float64 { return math.Log(1 + (n-df+0.5)/(df+0.5)) }

// weight of a query token: its idf, or the most a token can weigh when no
// paraphrase has it (an unknown word is the strongest sign of another subject),
// scaled by what kind of token it is.
func (ix *Index) weight(s string) float64 {
	w, ok := ix.idf[s]
	if !ok {
		w = ix.idfMax
	}
	return w * factor(s)
}

// factor scales a token's idf by its kind: a single character such as 处 or
// 想 is rare in the paraphrases yet says little, while a concept (#fail) says
// much but, shared by many paraphrases, has a low idf.
func factor(s string) float64 {
	switch {
	case s[0] == '#':
		return conceptWeight
	case strings.Contains(s, "|"):
		return bigramWeight
	case s[0] >= 0x80: // a Han character (English words are ASCII after folding)
		return charWeight
	}
	return 1
}

// features are what the confidence is computed from; kept apart from
// Classify so that the calibration test can fit on them.
type features struct {
	top, rival int     // entry indexes; rival is -1 when no other entry scored
	next       int     // best entry with another id than top, for suggestions; -1 if none
	coverage   float64 // share of the question's unigram weight found in top's paraphrases
	docCover   float64 // share of top's best paraphrase's unigram weight found in the question
	unknown    float64 // share of the question's unigram weight that no paraphrase has
	foreign    float64 // 1 when the question names another lender or platform (#elsewhere)
	domain     float64 // 1 when the question shares a concept of the domain with the paraphrase
	margin     float64 // (top − rival) / top, in [0,1]
}

func (ix *Index) features(text string) (features, bool) {
	t := ix.syn.tokenize(text)
	q := map[string]bool{}
	for _, s := range t.uni {
		q[s] = true
	}
	for _, s := range t.bi {
		q[s] = true
	}
	scores := make([]float64, len(ix.docs))
	for s := range q {
		w := ix.idf[s] * factor(s)
		for _, d := range ix.post[s] {
			scores[d] += w * (bm25K1 + 1) / (1 + bm25K1*(1-bm25B+bm25B*ix.docs[d].len/ix.avgLen))
		}
	}
	best := make([]float64, len(ix.entries))
	second := make([]float64, len(ix.entries))
	bestDoc := make([]int, len(ix.entries))
	for d, s := range scores {
		e := ix.docs[d].entry
		switch {
		case s > best[e]:
			second[e], best[e], bestDoc[e] = best[e], s, d
		case s > second[e]:
			second[e] = s
		}
	}
	for e := range best {
		best[e] += secondWeight * second[e]
	}
	order := make([]int, len(ix.entries))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return best[order[a]] > best[order[b]] })
	f := features{top: order[0], rival: -1, next: -1}
	if best[f.top] <= 0 {
		return f, false
	}
	// The rule between a topic and the flow it offers: asking how, where, why
	// or how long is the topic ("怎么提前还款"); wanting, without asking, is
	// the flow ("我要提前还款"). Bare words keep the score's choice.
	asks := false
	for _, c := range askCues {
		asks = asks || q[c]
	}
	want := KindNone
	switch {
	case asks:
		want = KindFAQ
	case q["#want"]:
		want = KindFlow
	}
	if want != KindNone {
		// Beyond siblings, a question that asks is less likely a request to
		// act, and the reverse ("结清要多少钱是怎么算的" is not the bill flow).
		for e := range best {
			if ix.entries[e].Kind != want {
				best[e] *= cueDamp
			}
		}
		sort.SliceStable(order, func(a, b int) bool { return best[order[a]] > best[order[b]] })
		f.top = order[0]
	}
	if top := ix.entries[f.top]; want != KindNone && top.Kind != want {
		for _, i := range order[1:] {
			if best[i] < best[f.top]*siblingReach {
				break
			}
			if ix.sib[f.top][i] {
				f.top = i
				break
			}
		}
	}
	lead := best[order[0]] // the rule's choice leads with the best score
	for _, i := range order {
		if i == f.top {
			continue
		}
		if best[i] <= 0 {
			break
		}
		// A topic and the flow it offers are not rivals: whichever wins, the
		// customer is one tap from the other.
		if f.rival < 0 && !ix.sib[f.top][i] {
			f.rival = i
		}
		if f.next < 0 && ix.entries[i].ID != ix.entries[f.top].ID {
			f.next = i
		}
	}
	f.margin = 1
	if f.rival >= 0 {
		f.margin = (lead - best[f.rival]) / lead
	}
	d := ix.docs[bestDoc[f.top]]
	var have, unknown, all float64
	for s := range q {
		if strings.Contains(s, "|") {
			continue // unigrams only: a paraphrase in other words shares few bigrams
		}
		w := ix.weight(s)
		all += w
		if ix.vocab[f.top][s] {
			have += w
			if s[0] == '#' && !generic[s] {
				f.domain = 1
			}
		}
		if _, ok := ix.idf[s]; !ok {
			unknown += w
		}
	}
	f.coverage, f.unknown = have/all, unknown/all
	if q["#elsewhere"] {
		f.foreign = 1
	}
	var dHave, dAll float64
	for s := range d.uni {
		w := ix.weight(s)
		dAll += w
		if q[s] {
			dHave += w
		}
	}
	f.docCover = dHave / dAll
	return f, true
}

func (f features) confidence() float64 {
	return 1 / (1 + math.Exp(-(calBias + calCoverage*f.coverage + calDocCover*f.docCover + calMargin*f.margin +
		calUnknown*f.unknown + calDomain*f.domain + calForeign*f.foreign)))
}

// Classify decides what a customer's free text is about.
func (ix *Index) Classify(text string) Result {
	f, ok := ix.features(text)
	if !ok {
		return Result{Kind: KindNone, Band: BandNone}
	}
	top := ix.entries[f.top]
	r := Result{Kind: top.Kind, ID: top.ID, Score: f.confidence()}
	switch {
	case r.Score >= answerAt:
		r.Band = BandAnswer
	case r.Score >= suggestAt:
		r.Band = BandSuggest
		r.Suggestions = []string{top.ID}
		if f.next >= 0 {
			r.Suggestions = append(r.Suggestions, ix.entries[f.next].ID)
		}
	default:
		r.Band = BandNone
	}
	return r
}
