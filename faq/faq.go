package faq

import (
	"embed"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

//go:embed kb/*.yaml kb/learn.tsv
var kbFS embed.FS

// Kind says what an entry, or a match, is.
type Kind string

const (
	KindFlow Kind = "flow" // the bot starts a flow
	KindFAQ  Kind = "faq"  // the bot answers
	KindNone Kind = "none" // nothing matched
	// KindOutOfScope is a near-domain question that is not ours (an order, a
	// return, the Mi account itself, another bank's card…): the entry's
	// answer says where to go, and a person is offered.
	KindOutOfScope Kind = "out_of_scope"
)

// Band says what the caller should do with a Result.
type Band string

const (
	BandAnswer  Band = "answer"  // confident: start the flow or answer the topic
	BandSuggest Band = "suggest" // unsure: offer Suggestions as buttons
	BandNone    Band = "none"    // no idea: say so and offer a human
)

// Result is the classifier's decision for one text.
type Result struct {
	Kind        Kind    // of the top match; KindNone when nothing matched at all
	ID          string  // intent, topic or out-of-scope class of the top match; "" when Kind is none
	Score       float64 // calibrated confidence 0..1
	Band        Band
	Suggestions []string // in BandSuggest: the two closest ids (topics or intents)
	// Also, when an FAQ topic is answered or a flow started, are up to
	// two other topics or intents other clauses of the message ask about
	// as confidently ("1.提前还款有手续费吗 2.还款日能改吗"): offered beside
	// the answer.
	Also []string
	// Topic, when a flow is the answer, is the closest FAQ topic (of the
	// whole message or the clause routed on), if one is close at all: what
	// the message is about if it is not asking for the flow.
	Topic string
}

// Entry is a flow intent, an FAQ topic or an out-of-scope class. Treat its maps as read-only: they
// are shared with the index.
type Entry struct {
	ID    string
	Guide string // source guide file (FAQ topics)
	Flow  string // related flow intent, offered as a button (FAQ topics)
	Kind  Kind
	// Questions are paraphrases for matching, by language: "zh", "en".
	Questions map[string][]string
	// Answer (topics and out-of-scope classes) and Title (button label,
	// ≤ 20 characters), by language.
	Answer, Title map[string]string
	// Mix (out-of-scope classes) teaches the class that naming another
	// object turns one of our questions into a question about that object.
	Mix *Mix
	// Twin (topics) marks the how-to topic of its Flow: the same subject, one
	// asked about ("怎么提前还款"), the other asked for ("我要提前还款"). Which
	// of the two a question means is decided by how it is put (see mode).
	Twin bool
	// AnsweredByFlow (topics) marks a topic its Flow's own reply answers
	// (the payoff's quote shows its fee): asked beside the flow, it is not
	// offered again. A twin is answered by its flow too.
	AnsweredByFlow bool
}

// Mix is a set of words naming other things ("花呗", "小米账号", "订单") and
// the entries whose paraphrases, with one of the words put in front, are
// learned as questions of the out-of-scope class: "花呗" + "怎么提前还款" is a
// question about Huabei, not about early repayment.
type Mix struct {
	Words map[string][]string `yaml:"words"`
	From  []string            `yaml:"from"`
}

// langs are the languages every entry must cover.
var langs = [...]string{"zh", "en"}

// MaxTitle is the longest button title, in characters: short enough for a
// phone-width button row.
const MaxTitle = 20

type yamlEntry struct {
	ID        string              `yaml:"id"`
	Guide     string              `yaml:"guide"`
	Flow      string              `yaml:"flow"`
	Title     map[string]string   `yaml:"title"`
	Questions map[string][]string `yaml:"questions"`
	Answer    map[string]string   `yaml:"answer"`
	Mix       *Mix                `yaml:"mix"`
	Twin      bool                `yaml:"twin"`
	Answered  bool                `yaml:"answered_by_flow"`
}

// Load builds the index from the embedded knowledge base, after checking it:
// ids unique per kind, both languages everywhere, titles short, flows named by
// topics defined. Call it once and share the index; it is safe for concurrent use.
func Load() (*Index, error) { return load(nil) }

// learnRow is a labelled customer question of kb/learn.tsv.
type learnRow struct {
	kind     Kind
	id, text string
}

// readLearn parses kb/learn.tsv: kind, id, question.
func readLearn() ([]learnRow, error) {
	b, err := kbFS.ReadFile("kb/learn.tsv")
	if err != nil {
		return nil, err
	}
	var rows []learnRow
	for n, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 3 || (c[0] == string(KindNone)) != (c[1] == "") {
			return nil, fmt.Errorf("faq: kb/learn.tsv:%d: want kind, id, question: %q", n+1, line)
		}
		rows = append(rows, learnRow{kind: Kind(c[0]), id: c[1], text: c[2]})
	}
	return rows, nil
}

// load builds the index learning only the rows of kb/learn.tsv that keep
// keeps (all when keep is nil): the calibration predicts each row with a
// model that did not learn it.
func load(keep func(i int) bool) (*Index, error) {
	var flows, topics, outside []yamlEntry
	var table map[string][]string
	for _, f := range []struct {
		name string
		v    any
	}{{"kb/flows.yaml", &flows}, {"kb/topics.yaml", &topics}, {"kb/outofscope.yaml", &outside}, {"kb/synonyms.yaml", &table}} {
		b, err := kbFS.ReadFile(f.name)
		if err != nil {
			return nil, err
		}
		if err := yaml.Unmarshal(b, f.v); err != nil {
			return nil, fmt.Errorf("faq: %s: %w", f.name, err)
		}
	}
	var entries []Entry
	for _, e := range flows {
		entries = append(entries, Entry{ID: e.ID, Kind: KindFlow, Guide: e.Guide, Flow: e.Flow, Questions: e.Questions, Answer: e.Answer, Title: e.Title})
	}
	for _, e := range topics {
		entries = append(entries, Entry{ID: e.ID, Kind: KindFAQ, Guide: e.Guide, Flow: e.Flow, Questions: e.Questions, Answer: e.Answer, Title: e.Title, Twin: e.Twin, AnsweredByFlow: e.Answered})
	}
	for _, e := range outside {
		entries = append(entries, Entry{ID: e.ID, Kind: KindOutOfScope, Guide: e.Guide, Flow: e.Flow, Questions: e.Questions, Answer: e.Answer, Title: e.Title, Mix: e.Mix})
	}
	if err := validate(entries); err != nil {
		return nil, err
	}
	sy, err := newSynonyms(table)
	if err != nil {
		return nil, fmt.Errorf("faq: kb/synonyms.yaml: %w", err)
	}
	norm, err := newNormalizer()
	if err != nil {
		return nil, fmt.Errorf("faq: traditional to simplified: %w", err)
	}
	rows, err := readLearn()
	if err != nil {
		return nil, err
	}
	var learn []learned
	for i, r := range rows {
		if r.kind == KindNone {
			continue
		}
		j := -1
		for k, e := range entries {
			if e.Kind == r.kind && e.ID == r.id {
				j = k
			}
		}
		if j < 0 {
			return nil, fmt.Errorf("faq: kb/learn.tsv: %q: no %s %q", r.text, r.kind, r.id)
		}
		if keep == nil || keep(i) {
			learn = append(learn, learned{j, r.text})
		}
	}
	return build(entries, sy, norm, learn), nil
}

var (
	idPattern    = regexp.MustCompile(`^[a-z][a-z0-9-]{0,40}$`)
	guidePattern = regexp.MustCompile(`^\d{3}_[0-9a-f]{16}\.md$`)
)

// validate reports every fault at once, so a bad edit to the data is fixed in
// one round.
func validate(entries []Entry) error {
	var errs []error
	bad := func(e Entry, format string, a ...any) {
		errs = append(errs, fmt.Errorf("faq: %s %q: %s", e.Kind, e.ID, fmt.Sprintf(format, a...)))
	}
	seen := map[Kind]map[string]bool{KindFlow: {}, KindFAQ: {}, KindOutOfScope: {}}
	for _, e := range entries {
		if seen[e.Kind][e.ID] {
			bad(e, "duplicate id")
		}
		seen[e.Kind][e.ID] = true
	}
	for _, e := range entries {
		if !idPattern.MatchString(e.ID) {
			bad(e, "id must be lower-case letters, digits and dashes (it goes into button data)")
		}
		for _, l := range langs {
			if len(e.Questions[l]) == 0 {
				bad(e, "no %s questions", l)
			}
			if t := e.Title[l]; t == "" || utf8.RuneCountInString(t) > MaxTitle {
				bad(e, "%s title %q must have 1..%d characters", l, t, MaxTitle)
			}
		}
		switch e.Kind {
		case KindFAQ:
			for _, l := range langs {
				if e.Answer[l] == "" {
					bad(e, "no %s answer", l)
				}
			}
			if (e.Twin || e.AnsweredByFlow) && !seen[KindFlow][e.Flow] {
				bad(e, "a twin or answered_by_flow topic names a flow intent as its flow, not %q", e.Flow)
			}
			if !guidePattern.MatchString(e.Guide) {
				bad(e, "guide %q is not a guide file name", e.Guide)
			}
			if e.Flow != "" && !seen[KindFlow][e.Flow] && !buttonFlows[e.Flow] {
				bad(e, "flow %q does not exist", e.Flow)
			}
		case KindOutOfScope:
			for _, l := range langs {
				if e.Answer[l] == "" {
					bad(e, "no %s answer", l)
				}
			}
			if e.Flow != "" && !seen[KindFlow][e.Flow] && !buttonFlows[e.Flow] {
				bad(e, "flow %q does not exist", e.Flow)
			}
			if e.Mix != nil {
				for _, id := range e.Mix.From {
					if !seen[KindFlow][id] && !seen[KindFAQ][id] {
						bad(e, "mix from %q: no such flow or topic", id)
					}
				}
			}
			if !strings.HasPrefix(e.ID, "oos-") {
				bad(e, "an out-of-scope id starts with oos- (so that it never names a topic)")
			}
		case KindFlow:
			if len(e.Answer) > 0 || e.Flow != "" {
				bad(e, "a flow intent has no answer and no related flow")
			}
		}
	}
	return errors.Join(errs...)
}

// Entry returns the entry with this id. A topic and a flow may share an id
// (early-repayment): then the topic is returned, since it is the one with an
// answer, and its Flow names the flow. Out-of-scope classes are entries too.
func (ix *Index) Entry(id string) (Entry, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return Entry{}, false
	}
	return ix.entries[i], true
}

// Lookup returns the entry of this kind and id, for when the kind is known
// (a Result, a button naming a flow).
func (ix *Index) Lookup(kind Kind, id string) (Entry, bool) {
	for _, e := range ix.entries {
		if e.Kind == kind && e.ID == id {
			return e, true
		}
	}
	return Entry{}, false
}

// Entries returns every flow intent, then every topic, then every
// out-of-scope class, in file order.
func (ix *Index) Entries() []Entry { return append([]Entry(nil), ix.entries...) }

// Decision is what `supportbot ask` prints: the top match only when the
// classifier is confident enough to act on it.
type Decision struct {
	Kind  Kind    `json:"kind"`
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

// Decision keeps the kind and id only in the answer band and only for our
// own flows and topics; otherwise, an out-of-scope class included, it says
// "none" with an empty id. The score is always reported, to 3 decimals.
func (r Result) Decision() Decision {
	d := Decision{Kind: KindNone, Score: math.Round(r.Score*1000) / 1000}
	if r.Band == BandAnswer && (r.Kind == KindFlow || r.Kind == KindFAQ) {
		d.Kind, d.ID = r.Kind, r.ID
	}
	return d
}

// buttonFlows are flows an answer may offer as a button although no free text
// starts them (the classifier's intents are in kb/flows.yaml).
var buttonFlows = map[string]bool{"pay-bill": true, "autopay": true, "cards": true, "remind": true, "messages": true}
