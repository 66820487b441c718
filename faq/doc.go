// Package faq is the support bot's knowledge base and its free-text classifier.
//
// The knowledge base is a set of YAML files embedded in the binary: FAQ topics
// written from the service's guides (questions in Chinese and English, a short
// answer in both languages, a button title, the related flow), the flow intents
// (questions only) and a bilingual synonym table. One classifier ranks topics
// and intents together with BM25 over character unigrams and bigrams for Chinese
// and stemmed words for English, turns the gap between the best and the
// runner-up into a confidence in [0,1], and puts it in one of three bands:
// answer, suggest the two closest, or admit it does not know.
//
// The package knows nothing of Telegram, of conversations or of storage: it maps
// a text to a decision and an id to its entry, and the caller does the rest.
package faq
