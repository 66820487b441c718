// Package corehttp speaks the installment core system's HTTP API
// (../shared/CORE_API.md, core-api.yaml) for the bot: Client implements the
// flows' core boundary (flows.Core) over it, and EventHandler is the bot's
// endpoint for the events the core posts (POST /core/events).
//
// The Client retries what did not get a final answer — transport errors,
// timeouts, 5xx, 429 (after its Retry-After) — with the same Idempotency-Key
// and body, within a per-call deadline that is short for reads (a customer is
// waiting) and longer for actions. A 4xx is final and becomes a
// *supportbot.CoreError; no final answer in time wraps
// supportbot.ErrCoreUnavailable; an answer that breaks the contract (money
// out of bounds, a quote whose parts do not add up) wraps ErrInvalidAnswer and
// never reaches the flows as data. The token is sent, never logged, and kept
// out of every error; a lookup's phone is kept out of errors and logs too.
//
// It knows the wire format and HTTP, nothing of chats, flows, the bot's
// store or what an event means to a customer: the sink decides, commits and
// deduplicates. flows does not import it; cmd/ wires it in when CORE_URL is
// set.
package corehttp
