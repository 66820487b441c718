// Package store keeps the bot's data in SQLite (one file, one process) or
// PostgreSQL (shared by several instances): the bot's own state
// (conversations, the inbox, the outbox, tickets, money actions, leases,
// rate buckets, the append-only audit log, reminders, notices, FAQ misses,
// the deployment's secrets)
// and the embedded core's data (customers, plans, bills, scheduled
// repayments, closure requests). It owns every SQL statement: one code path
// for both databases, instants as INTEGER milliseconds, money as INTEGER fen.
//
// It knows nothing of Telegram or of conversation flows: its consumers declare
// the interfaces they need and *DB and *Tx satisfy them.
package store
