// Package store keeps the bot's data in SQLite: customers and their plans, bills
// and scheduled repayments, conversations, payments, the message center and the
// append-only audit log. It owns every SQL statement; money is INTEGER fen.
//
// It knows nothing of Telegram or of conversation flows: its consumers declare
// the interfaces they need and *Tx satisfies them.
package store
