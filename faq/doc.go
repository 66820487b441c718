// Package faq is the support bot's knowledge base and its free-text classifier.
//
// The knowledge base is embedded in the binary: FAQ topics written from the
// service's guides (kb/topics.yaml: paraphrases in Chinese and English, a
// short answer in both, a button title, the related flow), the flow intents
// (kb/flows.yaml), out-of-scope classes (kb/outofscope.yaml: near-domain
// subjects that are not ours, each with a short where-to-go answer), a
// bilingual synonym table (kb/synonyms.yaml) and questions as customers type
// them, labelled (kb/learn.tsv).
//
// Classify normalises the text (traditional → simplified Chinese through an
// OpenCC port, full-width → half-width, common typos), reads the whole message
// and, for a long one, each clause that asks or requests something, and keeps
// the reading it is most confident of. A reading is scored by a multinomial
// logistic regression over tokens (characters, bigrams, synonym concepts and
// pairs of them) trained in Load, blended with the nearest paraphrase; a flow
// and its how-to topic (twins) are told apart by how the question is put. A
// logistic calibration, fitted out of fold on kb/learn.tsv, turns that into a
// confidence in [0,1] and a band: answer, suggest the two closest, or admit
// it does not know. Explain says all of that for one text.
//
// Result.Kind is KindFlow, KindFAQ, KindOutOfScope ("out_of_scope", with the
// class in ID, such as "oos-order" or "oos-mi-account") or KindNone.
// Decision, what `supportbot ask` prints, reports only our own flows and
// topics; an out-of-scope class prints as "none". The only placeholders an
// answer may hold are {hotline}, {hours}, {reminder_days} and
// {reminder_hour}, which the engine fills from its configuration: the
// support hotline, agents' hours, and when due-date reminders go out.
//
// The package knows nothing of Telegram, of conversations or of storage: it maps
// a text to a decision and an id to its entry, and the caller does the rest.
package faq
