// Package locale holds the bot's message catalogues, Chinese (the default) and
// English, embedded in the binary. Flows name a message by key with named
// arguments; the catalogue renders it in the conversation's language.
package locale
