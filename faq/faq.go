package faq

import (
	"embed"
	"errors"
	"fmt"
	"math"
	"regexp"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

//go:embed kb/*.yaml
var kbFS embed.FS

// Kind says what an entry, or a match, is.
type Kind string

const (
	KindFlow Kind = "flow" // the bot starts a flow
	KindFAQ  Kind = "faq"  // the bot answers
	KindNone Kind = "none" // nothing matched
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
	ID          string  // intent or topic id of the top match; "" when Kind is none
	Score       float64 // calibrated confidence 0..1
	Band        Band
	Suggestions []string // in BandSuggest: the two closest ids (topics or intents)
}

// Entry is a flow intent or an FAQ topic. Treat its maps as read-only: they
// are shared with the index.
type Entry struct {
	ID    string
	Guide string // source guide file (FAQ topics)
	Flow  string // related flow intent, offered as a button (FAQ topics)
	Kind  Kind
	// Questions are paraphrases for matching, by language: "zh", "en".
	Questions map[string][]string
	// Answer (FAQ topics only) and Title (button label, ≤ 20 characters), by language.
	Answer, Title map[string]string
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
}

// Load builds the index from the embedded knowledge base, after checking it:
// ids unique per kind, both languages everywhere, titles short, flows named by
// topics defined. Call it once and share the index; it is safe for concurrent use.
func Load() (*Index, error) {
	var flows, topics []yamlEntry
	var table map[string][]string
	for _, f := range []struct {
		name string
		v    any
	}{{"kb/flows.yaml", &flows}, {"kb/topics.yaml", &topics}, {"kb/synonyms.yaml", &table}} {
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
		entries = append(entries, Entry{ID: e.ID, Kind: KindFAQ, Guide: e.Guide, Flow: e.Flow, Questions: e.Questions, Answer: e.Answer, Title: e.Title})
	}
	if err := validate(entries); err != nil {
		return nil, err
	}
	sy, err := newSynonyms(table)
	if err != nil {
		return nil, fmt.Errorf("faq: kb/synonyms.yaml: %w", err)
	}
	return build(entries, sy), nil
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
	seen := map[Kind]map[string]bool{KindFlow: {}, KindFAQ: {}}
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
			if !guidePattern.MatchString(e.Guide) {
				bad(e, "guide %q is not a guide file name", e.Guide)
			}
			if e.Flow != "" && !seen[KindFlow][e.Flow] && !buttonFlows[e.Flow] {
				bad(e, "flow %q does not exist", e.Flow)
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
// answer, and its Flow names the flow.
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

// Entries returns every flow intent, then every topic, in file order.
func (ix *Index) Entries() []Entry { return append([]Entry(nil), ix.entries...) }

// Decision is what `supportbot ask` prints: the top match only when the
// classifier is confident enough to act on it.
type Decision struct {
	Kind  Kind    `json:"kind"`
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

// Decision keeps the kind and id only in the answer band; otherwise it says
// "none" with an empty id. The score is always reported, to 3 decimals.
func (r Result) Decision() Decision {
	d := Decision{Kind: KindNone, Score: math.Round(r.Score*1000) / 1000}
	if r.Band == BandAnswer {
		d.Kind, d.ID = r.Kind, r.ID
	}
	return d
}

// buttonFlows are flows an answer may offer as a button although no free text
// starts them (the classifier's intents are in kb/flows.yaml).
var buttonFlows = map[string]bool{"pay-bill": true, "autopay": true, "cards": true, "remind": true, "messages": true}
