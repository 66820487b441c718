package faq

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
)

// unit is one token before n-grams: a Han character, a stemmed English word, a
// number, or a concept ("#payoff") that replaced a synonym.
type unit struct {
	s    string
	raw  string // an English word as typed (after folding), before stemming
	run  int    // units of one run are adjacent text; n-grams and synonyms never cross runs
	han  bool   // Chinese text: takes part in bigrams
	stop bool   // dropped after synonym matching (a particle or an English stop word)
}

// Chinese particles carry tone, not meaning; they go after synonyms had their
// chance (可以吗 is a cue, 吗 alone is noise).
const zhStop = "的了吗呢啊吧呀哦嘛哈喔么嗯哇噢"

var enStop = wordSet(`a an the to of for in on at by with from and or but if so
is are was were be been being am do does did done i me my mine myself you your it its
this that these those there here what which who whom will would shall should can could
may might must have has had get got just also too very any some all about as into
than then up out our we us they them their he she his her hi hello hey ok okay
thanks thank pls plz need needs must`)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// fold maps full-width ASCII to ASCII and upper to lower case, so that
// "ＡＰＰ" and "App" and "app" are one word.
func fold(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000:
		r = ' '
	}
	return unicode.ToLower(r)
}

// split cuts text into units. Han characters become one unit each; letters and
// digits make words. Whitespace keeps a run going (people space Chinese
// phrases apart as if it were punctuation-light writing), while punctuation and
// a change of script end it.
func split(text string) []unit {
	var out []unit
	run, last := 0, 0 // last: 0 none, 1 han, 2 word
	var word []rune
	flush := func() {
		if len(word) > 0 {
			w := string(word)
			if f, ok := enFixes[w]; ok {
				w = f
			}
			out = append(out, unit{s: stem(w), raw: w, run: run, stop: enStop[w]})
			word = word[:0]
		}
	}
	for _, r := range text {
		r = fold(r)
		switch {
		case unicode.Is(unicode.Han, r):
			flush()
			if last != 1 {
				run++
			}
			out = append(out, unit{s: string(r), run: run, han: true, stop: strings.ContainsRune(zhStop, r)})
			last = 1
		case r == '\'' || r == '’':
			// "don't" and "I'd" are one word; the apostrophe just goes.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if last != 2 {
				run++
			}
			word = append(word, r)
			last = 2
		case unicode.IsSpace(r) || (r == '-' || r == '_') && last == 2:
			flush() // "pay-off" is "pay off"
		default:
			flush()
			last = 0
		}
	}
	flush()
	return out
}

// stemIrregular covers the few irregular verbs of the domain.
var stemIrregular = map[string]string{"paid": "pay", "repaid": "repay", "prepaid": "prepay", "owed": "owe", "owing": "owe",
	"note": "note", "notes": "note"} // "Redmi Note 14": not "not" (a probe: a payment of it read as a refusal)

// stem is a light suffix stripper: plurals, -ing, -ed and a silent e, which is
// what customers vary in short questions. Both the index and the query go
// through it, so "schedul" needs only be consistent, not a word.
func stem(w string) string {
	if s, ok := stemIrregular[w]; ok {
		return s
	}
	if !isASCIIWord(w) {
		return w
	}
	n := len(w)
	switch {
	case n > 4 && strings.HasSuffix(w, "ies"):
		w = w[:n-3] + "y"
	case n > 4 && strings.HasSuffix(w, "sses"):
		w = w[:n-2]
	case n > 5 && strings.HasSuffix(w, "ing"):
		w = undouble(w[:n-3])
	case n > 4 && strings.HasSuffix(w, "ed"):
		w = undouble(w[:n-2])
	case n > 3 && w[n-1] == 's' && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:n-1]
	}
	if n := len(w); n > 3 && w[n-1] == 'e' && !isVowel(w[n-2]) {
		w = w[:n-1]
	}
	return w
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i]; (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }

// undouble turns "cancell" and "sett" back into "cancel" and "set", but leaves
// short words like "bill" alone.
func undouble(w string) string {
	n := len(w)
	if n < 3 || w[n-1] != w[n-2] || isVowel(w[n-1]) {
		return w
	}
	if c := w[n-1]; (c == 'l' || c == 's' || c == 'z') && n <= 5 {
		return w
	}
	return w[:n-1]
}

// synonyms maps phrases (as unit sequences) to concept tokens. Concepts are
// shared by both languages, so "结清", "pay off" and "settle" are one token and
// a mixed question matches either language's paraphrases.
type synonyms struct {
	byFirst map[string][][]string // first unit → phrases, longest first
	concept map[string][]string   // phrase joined by "\x00" → its concept tokens
}

func newSynonyms(table map[string][]string) (*synonyms, error) {
	sy := &synonyms{byFirst: map[string][][]string{}, concept: map[string][]string{}}
	names := make([]string, 0, len(table))
	for name := range table {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		// A name of concepts joined by "+" ("auto+repay") is a word that
		// says both: "autopay" is an automatic repayment.
		var c []string
		for _, part := range strings.Split(name, "+") {
			c = append(c, "#"+part)
		}
		if name == "_" {
			c = []string{""} // stop phrases: matched, then dropped
		}
		for _, v := range table[name] {
			var p []string
			for _, u := range split(v) {
				p = append(p, u.s)
			}
			if len(p) == 0 {
				return nil, fmt.Errorf("synonym %s: %q has no words", name, v)
			}
			key := strings.Join(p, "\x00")
			if prev, dup := sy.concept[key]; dup {
				if !slices.Equal(prev, c) {
					return nil, fmt.Errorf("synonym %q is in two concepts (%s)", v, name)
				}
				continue // "bill" and "bills" stem alike
			}
			sy.concept[key] = c
			sy.byFirst[p[0]] = append(sy.byFirst[p[0]], p)
		}
	}
	for _, ps := range sy.byFirst {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i]) > len(ps[j]) })
	}
	return sy, nil
}

// apply replaces, left to right, the longest phrase starting at each unit with
// its concept.
func (sy *synonyms) apply(us []unit) []unit {
	out := us[:0:0]
	for i := 0; i < len(us); {
		n := 0
		for _, p := range sy.byFirst[us[i].s] {
			if matchAt(us, i, p) {
				n = len(p)
				for _, c := range sy.concept[strings.Join(p, "\x00")] {
					out = append(out, unit{s: c, run: us[i].run, han: us[i].han, stop: c == ""})
				}
				break
			}
		}
		if n == 0 {
			out, n = append(out, us[i]), 1
		}
		i += n
	}
	return out
}

func matchAt(us []unit, i int, p []string) bool {
	if i+len(p) > len(us) {
		return false
	}
	for k, s := range p {
		if u := us[i+k]; u.s != s || u.run != us[i].run {
			return false
		}
	}
	return true
}

// tokens are what the index and the queries are made of: unigrams of every unit
// left after synonyms and stop words, and bigrams of adjacent Chinese
// characters ("|" joins them; text never contains it after split). Concepts
// take no part in bigrams: they are words already, and a concept next to a
// common character (#schedule|有) would be a rare, heavy and meaningless pair.
type tokens struct{ uni, bi []string }

func (sy *synonyms) tokenize(text string) tokens { return sy.tokens(split(text)) }

func (sy *synonyms) tokens(us []unit) tokens {
	var t tokens
	var prev unit
	havePrev := false
	for _, u := range sy.apply(us) {
		if u.stop {
			continue
		}
		t.uni = append(t.uni, u.s)
		if havePrev && u.han && prev.han && u.run == prev.run && u.s[0] != '#' && prev.s[0] != '#' {
			t.bi = append(t.bi, prev.s+"|"+u.s)
		}
		prev, havePrev = u, true
	}
	return t
}
