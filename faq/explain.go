package faq

import (
	"fmt"
	"sort"
	"strings"
)

// Explanation is how the classifier read one text, for people: `supportbot
// ask --explain` prints it.
type Explanation struct {
	Text       string
	Normalized string    // after traditional → simplified, width folding and typo fixes
	Clauses    []Reading // the whole text first, then its clauses
	Chosen     int       // index into Clauses; -1 when no word was recognised
	Result     Result    // what Classify returns
	Decision   Decision  // what `supportbot ask` prints
	OutOfScope string    // the out-of-scope class, when the top match is one
	Why        string    // one sentence
}

// Reading is one candidate text and how it scored.
type Reading struct {
	Text       string
	Carries    string      // the clause before, read with this one that names no subject (never routed on; only asked also)
	Tokens     []string    // unigrams after synonyms ("#payoff" is a concept)
	Unknown    []string    // tokens no paraphrase has
	Request    bool        // carries a question or request about something (clauses must, to be routed on)
	Confidence float64     // calibrated
	AsksFor    float64     // between twins: how sure the mode model is that it asks for an action (-1: not consulted)
	Top        []Candidate // the best entries
	Evidence   []Evidence  // the tokens that weigh most for the top entry
}

// Candidate is an entry and its probabilities: the blend, the model's and
// the nearest paraphrases'.
type Candidate struct {
	Kind                 Kind
	ID                   string
	P, Model, Neighbours float64
}

// Evidence is a feature of the text and its weight for the top entry.
type Evidence struct {
	Feature string
	Weight  float64
}

// Explain classifies text and says why.
func (ix *Index) Explain(text string) Explanation {
	a := ix.analyze(text)
	x := Explanation{Text: text, Normalized: a.Normalized, Chosen: a.Chosen, Result: a.Result, Decision: a.Result.Decision()}
	for i, c := range a.Candidates {
		r := Reading{Text: c.Text, Carries: c.Carries, Tokens: c.tokens.uni, Request: i == 0 || asksOrWants(c) && hasSubject(c), Confidence: c.Confidence, AsksFor: -1}
		if c.mode != nil {
			r.AsksFor = c.mode[1]
		}
		for _, s := range c.tokens.uni {
			if _, ok := ix.m.feat[s]; !ok {
				r.Unknown = append(r.Unknown, s)
			}
		}
		for k, e := range c.order {
			if k == 5 {
				break
			}
			en := ix.entries[e]
			r.Top = append(r.Top, Candidate{Kind: en.Kind, ID: en.ID, P: c.p[e], Model: c.pm[e], Neighbours: c.pn[e]})
		}
		if len(c.order) > 0 {
			top := c.order[0]
			v := float64(value(len(c.x)))
			for _, f := range c.x {
				r.Evidence = append(r.Evidence, Evidence{ix.m.names[f], float64(ix.m.w[int(f)*ix.m.k+top]) * v})
			}
			sort.SliceStable(r.Evidence, func(i, j int) bool { return abs(r.Evidence[i].Weight) > abs(r.Evidence[j].Weight) })
			if len(r.Evidence) > 6 {
				r.Evidence = r.Evidence[:6]
			}
		}
		x.Clauses = append(x.Clauses, r)
	}
	r := a.Result
	if r.Kind == KindOutOfScope {
		x.OutOfScope = r.ID
	}
	switch {
	case a.Chosen < 0:
		x.Why = "no word of the text is in the knowledge base: not ours, offer a person"
	case r.Band == BandAnswer && r.Kind == KindOutOfScope:
		x.Why = fmt.Sprintf("confident (%.2f ≥ %.2f) that it is out of scope (%s): answer where to go and offer a person", r.Score, answerAt, r.ID)
	case r.Band == BandAnswer:
		x.Why = fmt.Sprintf("confident (%.2f ≥ %.2f): %s %s", r.Score, answerAt, r.Kind, r.ID)
	case r.Band == BandSuggest:
		x.Why = fmt.Sprintf("unsure (%.2f < %.2f): offer %s", r.Score, answerAt, strings.Join(r.Suggestions, ", "))
	default:
		x.Why = fmt.Sprintf("too unsure (%.2f) to answer or suggest: offer a person", r.Score)
	}
	if a.Chosen > 0 {
		x.Why += fmt.Sprintf("; routed on clause %d, which reads more clearly than the whole message", a.Chosen)
	}
	return x
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// String renders the explanation as a few readable lines.
func (x Explanation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "text:       %s\n", x.Text)
	fmt.Fprintf(&b, "normalised: %s\n", x.Normalized)
	for i, c := range x.Clauses {
		mark := " "
		if i == x.Chosen {
			mark = "*"
		}
		what := "whole message"
		if i > 0 {
			what = fmt.Sprintf("clause %d", i)
			switch {
			case c.Carries != "":
				what += fmt.Sprintf(" (no subject of its own: read with %q; asked also, not routed on)", c.Carries)
			case !c.Request:
				what += " (no request with a subject in it: not routed on)"
			}
		}
		fmt.Fprintf(&b, "%s %s: %q confidence %.2f\n", mark, what, c.Text, c.Confidence)
		fmt.Fprintf(&b, "    tokens: %s", strings.Join(c.Tokens, " "))
		if len(c.Unknown) > 0 {
			fmt.Fprintf(&b, "  (unknown: %s)", strings.Join(c.Unknown, " "))
		}
		b.WriteString("\n")
		for _, t := range c.Top {
			fmt.Fprintf(&b, "    %-13s %-30s p=%.3f (model %.3f, nearest paraphrase %.3f)\n", t.Kind, t.ID, t.P, t.Model, t.Neighbours)
		}
		if c.AsksFor >= 0 {
			fmt.Fprintf(&b, "    flow or its how-to topic: asks for an action with p=%.2f (how/where/why words always mean the topic)\n", c.AsksFor)
		}
		if len(c.Evidence) > 0 {
			var ev []string
			for _, e := range c.Evidence {
				ev = append(ev, fmt.Sprintf("%s %+.2f", e.Feature, e.Weight))
			}
			fmt.Fprintf(&b, "    evidence for %s: %s\n", c.Top[0].ID, strings.Join(ev, ", "))
		}
	}
	if x.OutOfScope != "" {
		fmt.Fprintf(&b, "out of scope: %s\n", x.OutOfScope)
	}
	fmt.Fprintf(&b, "result:     %s %s score %.3f band %s", x.Result.Kind, x.Result.ID, x.Result.Score, x.Result.Band)
	if len(x.Result.Suggestions) > 0 {
		fmt.Fprintf(&b, " suggestions %s", strings.Join(x.Result.Suggestions, ", "))
	}
	fmt.Fprintf(&b, "\nask prints: {\"kind\":%q,\"id\":%q,\"score\":%v}\n", x.Decision.Kind, x.Decision.ID, x.Decision.Score)
	fmt.Fprintf(&b, "why:        %s\n", x.Why)
	return b.String()
}
