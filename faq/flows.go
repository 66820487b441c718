package faq

import (
	"supportbot"
	"supportbot/flows"
)

// Knowledge adapts the index to what the flows engine asks of it: the
// classification of free text, answers and titles.
type Knowledge struct{ Index *Index }

var (
	_ flows.Classifier = Knowledge{}
	_ flows.Answers    = Knowledge{}
	_ flows.FAQCatalog = Knowledge{}
)

// Classify passes the kind through: "flow", "faq", "none", or
// "out_of_scope" with the class in ID (oos-order, oos-mi-account, …), whose
// answer Answer gives and the engine shows with a way to a person.
func (k Knowledge) Classify(text string) flows.Classification {
	r := k.Index.Classify(text)
	return flows.Classification{Kind: string(r.Kind), ID: r.ID, Score: r.Score,
		Confident: r.Band == BandAnswer, Suggestions: r.Suggestions, Also: r.Also, Topic: r.Topic}
}

// Answer is the answer of a topic or of an out-of-scope class.
func (k Knowledge) Answer(id string, lang supportbot.Lang) (string, string, bool) {
	e, ok := k.Index.Entry(id)
	if !ok || e.Kind != KindFAQ && e.Kind != KindOutOfScope {
		return "", "", false
	}
	return e.Answer[string(lang)], e.Flow, true
}

// AnsweredBy is the flow whose own reply answers the topic: its twin, or
// one marked answered_by_flow; "" for any other.
func (k Knowledge) AnsweredBy(id string) string {
	if e, ok := k.Index.Entry(id); ok && e.Kind == KindFAQ && (e.Twin || e.AnsweredByFlow) {
		return e.Flow
	}
	return ""
}

// FAQIDs are the topics an agent can send with /faq ID.
func (k Knowledge) FAQIDs() []string {
	var ids []string
	for _, e := range k.Index.Entries() {
		if e.Kind == KindFAQ {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

func (k Knowledge) Title(id string, lang supportbot.Lang) string {
	e, ok := k.Index.Entry(id)
	if !ok || e.Kind != KindFAQ && e.Kind != KindOutOfScope {
		return ""
	}
	return e.Title[string(lang)]
}
