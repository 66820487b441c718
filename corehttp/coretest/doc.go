// Package coretest is an in-process fake of the installment core system's
// HTTP API (../shared/CORE_API.md), the test bed for the bot's HTTP core.
//
// A Server listens on 127.0.0.1 and serves the whole contract over a Backend
// (the method set of flows.Core: the bot's embedded core plugs in, or a test's
// own). It does what the contract says the core does around the backend: the
// bearer token (401), Idempotency-Key required on POST and PUT, the first
// final answer of a key kept and replayed for a repeat of the same request,
// 422 for the key with another one, 5xx and 429 not kept, a repeat waiting for
// a first still running. Error bodies are the contract's.
//
// Faults are scripted per operation for the next n calls (Inject): 5xx with
// JSON or HTML, 429 with Retry-After, hangs, slow answers, connection resets,
// "executed but answered 500", and repayments answered processing that settle
// later (Settle, or by a timer) with a signed repayment.* event posted to the
// bot. The ledger (Ledger, Executed, Doubled) shows how often the backend
// executed each action under each key; Calls, Requests and Keys show what the
// client sent. SendEvent signs any event exactly as the core does.
//
//	core := coretest.Start(t, backend, coretest.WithEvents(botURL+"/core/events", secret))
//	core.Inject(coretest.OpCreateRepayment, 1, coretest.ExecutedButFailed())
//	// … drive the bot against core.URL() and core.Token() …
//	if d := core.Doubled(); len(d) > 0 { t.Errorf("executed twice: %v", d) }
//
// It knows the contract's wire format and the core's idempotency rules, not
// the core's business rules (payoff, cut-offs, eligibility): those are the
// Backend's. It does not import corehttp: its encoding is written separately,
// so the client's decoding is checked against it.
package coretest
