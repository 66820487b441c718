package flows

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"supportbot"
)

// The money action worker: it executes, after the commit that created them,
// the repayments, cancellations and closure requests customers confirmed,
// each by its idempotency key, outside any transaction, with a deadline. An
// action is claimed with a lease, so one instance executes it at a time; a
// crash leaves it claimed until the lease runs out and another takes it over,
// with the same key (the core executes a key once).
//
// Outcomes: a final answer settles the action (succeeded, declined, failed,
// refused) and puts an EventSettled in its chat's inbox, in one transaction;
// the chat's step tells the customer and audits it. No answer (timeout, 5xx,
// 429) leaves it unknown: it is tried again, with backoff, after asking the
// core what happened to the key. A repayment the partner answers later stays
// processing until the core's event (or a periodic look) settles it.

const (
	actionLease = time.Minute
	// settleRetryFor is how long a known outcome's record is tried again
	// within the lease (settleAction).
	settleRetryFor = actionLease / 2
	actionTimeout  = 30 * time.Second
	// reconcileEvery is how often a processing repayment is looked at when
	// no event came.
	reconcileEvery = 5 * time.Minute
	// An action the core has not answered for stuckAfter, or has answered
	// outside the contract badAnswers times, is handed to a person: the
	// key stays the key, but the customer must not wait on it alone.
	stuckAfter = time.Hour
	badAnswers = 3
	// A repayment the financing partner has not answered for
	// processingStuckAfter is handed to a person as well.
	processingStuckAfter = 2 * time.Hour
)

// actionWorkers bounds the money actions executed at once: each mostly
// waits for the core, so a slow core does not hold up the others.
const actionWorkers = 32

// runActions executes due money actions, many at once, until ctx is done;
// then it waits for the ones in hand.
func (e *Engine) runActions(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	sem := make(chan struct{}, actionWorkers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for ctx.Err() == nil {
		free := actionWorkers - len(sem)
		list := e.handed.take(free)
		if free > len(list) {
			claimed, err := e.st.ClaimActions(context.WithoutCancel(ctx), e.cfg.Instance, e.cfg.Now(), actionLease, free-len(list))
			if err != nil && ctx.Err() == nil {
				e.log.Error("claim money actions", "err", err)
			}
			list = append(list, claimed...)
		}
		for i := range list {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer func() { <-sem; wg.Done(); e.pokeWork() }()
				e.execute(context.WithoutCancel(ctx), &list[i])
			}()
		}
		if len(list) > 0 && len(list) == free {
			continue
		}
		select {
		case <-ctx.Done():
		case <-e.work:
		case <-tick.C:
		}
	}
}

// releaseHanded gives back, at shutdown, the claims of the actions handed
// over and not started: another instance (or the next start) takes them at
// once rather than when their lease runs out.
func (e *Engine) releaseHanded(ctx context.Context) {
	for _, a := range e.handed.take(math.MaxInt) {
		if err := e.st.RetryAction(ctx, a.Key, e.cfg.Instance, a.State, e.cfg.Now(), a.Outcome); err != nil {
			e.log.Error("release money action", "key", a.Key, "err", err)
		}
	}
}

// executeActions executes the actions handed over, then claims and executes
// up to limit due actions; it returns how many it took.
func (e *Engine) executeActions(ctx context.Context, limit int) (int, error) {
	list, err := e.st.ClaimActions(ctx, e.cfg.Instance, e.cfg.Now(), actionLease, limit)
	if err != nil {
		return 0, err
	}
	list = append(e.handed.take(math.MaxInt), list...)
	for i := range list {
		e.execute(ctx, &list[i])
	}
	return len(list), nil
}

// execute makes one attempt at an action and records what came of it.
func (e *Engine) execute(ctx context.Context, a *supportbot.Action) {
	actx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	state, out, err := e.attempt(actx, a)
	e.metrics.MoneyAction(string(a.Kind), string(state))
	if err != nil { // no final answer
		log := e.log.Warn
		if errors.Is(err, supportbot.ErrCoreBadAnswer) { // the contract broken: a person must look
			log = e.log.Error
		}
		log("money action without a final answer", "key", a.Key, "kind", a.Kind, "attempt", a.Attempts, "err", err)
		stuck := e.cfg.Now().Sub(a.CreatedAt) >= stuckAfter ||
			errors.Is(err, supportbot.ErrCoreBadAnswer) && a.Attempts >= badAnswers
		// Not sooner than the core asked (a 429 or 503's Retry-After): it
		// would only be refused again.
		wait := max(backoffFor(a.Attempts), supportbot.RetryAfterOf(err))
		e.retry(ctx, a, supportbot.ActionUnknown, wait, out, stuck)
		return
	}
	if state == supportbot.ActionProcessing {
		e.retry(ctx, a, state, reconcileEvery, out, e.cfg.Now().Sub(a.CreatedAt) >= processingStuckAfter)
		return
	}
	e.settleAction(ctx, a.Key, e.cfg.Instance, state, out)
}

// attempt asks the core once: for a repayment tried before, it first asks
// what happened to the key, so that an answer that was lost is found rather
// than the request sent again.
func (e *Engine) attempt(ctx context.Context, a *supportbot.Action) (supportbot.ActionState, supportbot.ActionOutcome, error) {
	out := a.Outcome
	switch a.Kind {
	case supportbot.ActionRepay:
		if a.Repay == nil {
			return supportbot.ActionFailed, out, nil
		}
		if a.State != supportbot.ActionPending {
			rep, err := e.core.Repayment(ctx, a.Key)
			ce := finalRefusal(err)
			switch {
			case err == nil:
				if why := foreignRepayment(rep, a); why != "" {
					return a.State, out, fmt.Errorf("the core's repayment under key %s is not the one asked: %s: %w", a.Key, why, supportbot.ErrCoreBadAnswer)
				}
				out.Repayment = rep
				return repaymentState(rep), out, nil
			case ce == nil:
				return a.State, out, err
			case slices.Contains(repayRefusalCodes, ce.Code):
				// The key was refused, and the answer lost: the lookup
				// replays the refusal. Nothing was taken.
				out.Refusal = ce
				return supportbot.ActionRefused, out, nil
			}
			// Never executed under this key (404), or a refusal of the
			// lookup itself (invalid_request may be about its path): the
			// request, sent again with the same key, is executed or its
			// first answer replayed.
		}
		rep, err := e.core.Repay(ctx, a.Key, *a.Repay)
		if ce := finalRefusal(err); ce != nil {
			out.Refusal = ce
			return supportbot.ActionRefused, out, nil
		} else if err != nil {
			return a.State, out, err
		}
		if why := foreignRepayment(rep, a); why != "" {
			return a.State, out, fmt.Errorf("the core answered key %s with a repayment that is not the one asked: %s: %w", a.Key, why, supportbot.ErrCoreBadAnswer)
		}
		out.Repayment = rep
		return repaymentState(rep), out, nil
	case supportbot.ActionCancel:
		r, err := e.core.CancelScheduled(ctx, a.Key, a.CustomerID, a.Scheduled)
		if ce := finalRefusal(err); ce != nil {
			out.Refusal = ce
			return supportbot.ActionRefused, out, nil
		} else if err != nil {
			return a.State, out, err
		}
		if r.ID != a.Scheduled || r.Status != supportbot.ScheduledCancelled {
			// The contract's 200 is the booking, now cancelled: anything
			// else is no proof that it will not run.
			return a.State, out, fmt.Errorf("the core answered the cancellation of %s with %s %s: %w", a.Scheduled, r.ID, r.Status, supportbot.ErrCoreBadAnswer)
		}
		out.Scheduled = r
		return supportbot.ActionSucceeded, out, nil
	case supportbot.ActionClosure:
		r, err := e.core.RequestClosure(ctx, a.Key, a.CustomerID)
		if ce := finalRefusal(err); ce != nil {
			if ce.Closure != nil && ce.Closure.CustomerID != "" && ce.Closure.CustomerID != a.CustomerID {
				ce.Closure = nil // another customer's request is never shown
			}
			out.Refusal = ce
			return supportbot.ActionRefused, out, nil
		} else if err != nil {
			return a.State, out, err
		}
		if r.CustomerID != "" && r.CustomerID != a.CustomerID {
			return a.State, out, fmt.Errorf("the core answered the closure request of key %s with another customer's: %w", a.Key, supportbot.ErrCoreBadAnswer)
		}
		if r.Status != supportbot.ClosureSubmitted || r.ExpectedFrom == "" || r.ExpectedTo == "" || r.ExpectedTo < r.ExpectedFrom {
			// The contract's 201 is the request, submitted, with the dates
			// the customer is told: anything else is not that.
			return a.State, out, fmt.Errorf("the core answered the closure request of key %s with status %q, expected %q to %q: %w",
				a.Key, r.Status, r.ExpectedFrom, r.ExpectedTo, supportbot.ErrCoreBadAnswer)
		}
		out.Closure = r
		return supportbot.ActionSucceeded, out, nil
	}
	return supportbot.ActionFailed, out, nil
}

// finalRefusal is the core's final refusal of an action, nil when err is
// none: a 4xx in the contract's form with a code the contract gives —
// nothing was executed under the key, and nothing will be. A 401 (the bot's
// token) or 429, a page without the contract's error body (a proxy's 404),
// an unknown code, or "key reused" (something else ran under it) prove
// nothing: the outcome is unknown, and the key is asked again later.
func finalRefusal(err error) *supportbot.CoreError {
	ce := refusal(err, refusalCodes...)
	if ce == nil || ce.Status == http.StatusUnauthorized || ce.Status == http.StatusTooManyRequests {
		return nil
	}
	return ce
}

// refusalCodes are the codes of the contract's final refusals of an action.
var refusalCodes = []supportbot.CoreCode{
	supportbot.CoreCustomerNotFound, supportbot.CorePlanNotFound, supportbot.CoreCardNotFound,
	supportbot.CoreQuoteNotFound, supportbot.CoreRepaymentNotFound, supportbot.CoreScheduledNotFound,
	supportbot.CoreNotFound, supportbot.CoreNothingToPay, supportbot.CoreQuoteExpired,
	supportbot.CoreQuoteStale, supportbot.CoreAmountMismatch, supportbot.CoreCardFrozen,
	supportbot.CoreNotCancellable, supportbot.CoreNotEligible, supportbot.CoreAlreadyOpen,
	supportbot.CoreInvalidRequest, "idempotency_key_missing", "idempotency_key_invalid",
}

// repayRefusalCodes are the codes POST /repayments refuses with: from the
// lookup of a key they can only be the replay of that refusal. Any other
// refusal of the lookup says nothing about the repayment.
var repayRefusalCodes = []supportbot.CoreCode{
	supportbot.CoreQuoteExpired, supportbot.CoreQuoteStale, supportbot.CoreAmountMismatch, supportbot.CoreCardFrozen,
	supportbot.CoreCustomerNotFound, supportbot.CorePlanNotFound, supportbot.CoreQuoteNotFound, supportbot.CoreCardNotFound,
}

// foreignRepayment says how a repayment the core answered or announced for
// action a is not the one a asked for (another key, amount, quote, card,
// customer or plan); "" when it is. Such a repayment is never told as the customer's
// outcome.
func foreignRepayment(r *supportbot.Repayment, a *supportbot.Action) string {
	switch {
	case a.Repay == nil:
		return "the action asked for no repayment"
	case r.Key != "" && r.Key != a.Key:
		return "another key"
	case r.Amount != a.Repay.Amount:
		return fmt.Sprintf("%d fen, %d asked", int64(r.Amount), int64(a.Repay.Amount))
	case r.QuoteID != "" && r.QuoteID != a.Repay.QuoteID:
		return "another quote"
	case r.CardID != "" && r.CardID != a.Repay.CardID:
		return "another card"
	case r.CustomerID != "" && r.CustomerID != a.CustomerID:
		return "another customer"
	case r.PlanID != "" && r.PlanID != a.PlanID:
		return "another plan"
	}
	return ""
}

func repaymentState(r *supportbot.Repayment) supportbot.ActionState {
	switch r.Status {
	case supportbot.RepaymentSucceeded:
		return supportbot.ActionSucceeded
	case supportbot.RepaymentDeclined:
		return supportbot.ActionDeclined
	case supportbot.RepaymentProcessing:
		return supportbot.ActionProcessing
	}
	return supportbot.ActionFailed
}

// backoffFor is how long an unanswered action waits before its next try:
// from seconds to ten minutes. It is never given up: the key stays the key.
func backoffFor(attempts int) time.Duration {
	d := 5 * time.Second << min(max(attempts-1, 0), 7)
	return min(d, 10*time.Minute)
}

// retry leaves the action open and, the first time, tells the customer it
// is taking longer than usual; the first time it is stuck, its chat's step
// hands it to a person (stuckAction).
func (e *Engine) retry(ctx context.Context, a *supportbot.Action, state supportbot.ActionState, wait time.Duration, out supportbot.ActionOutcome, stuck bool) {
	var tell []string
	if !out.Told {
		out.Told, tell = true, append(tell, ":slow")
	}
	escalate := stuck && !out.Escalated
	if escalate {
		out.Escalated, tell = true, append(tell, ":stuck")
	}
	err := e.st.RetryAction(ctx, a.Key, e.cfg.Instance, state, e.cfg.Now().Add(wait), out)
	if err != nil {
		e.log.Error("record money action", "key", a.Key, "err", err)
		return
	}
	if len(tell) == 0 {
		return
	}
	if escalate {
		e.log.Error("money action handed to a person", "key", a.Key, "kind", a.Kind, "attempt", a.Attempts, "since", a.CreatedAt)
	}
	err = e.st.Update(ctx, func(tx Tx) error {
		var evs []supportbot.Event
		for _, suffix := range tell {
			evs = append(evs, supportbot.Event{ChatID: a.ChatID, Kind: supportbot.EventSettled, Data: a.Key,
				Source: "a:" + a.Key + suffix, Time: e.cfg.Now()})
		}
		_, err := tx.PutEvents(ctx, evs)
		return err
	})
	if err != nil {
		e.log.Error("tell a slow money action", "key", a.Key, "err", err)
	}
	e.poke()
}

// settleAction records a final outcome and hands it to the action's chat, in
// one transaction; owner "" settles whoever holds the lease (a core event).
// The outcome is known: a database that does not take it (an outage) is
// asked again for up to settleRetryFor, so that the customer is told once it
// is back — not when the lease has run out and the core is asked again (a
// probe: a minute of "⏳" after a 20 s outage). Past that, the lease does it.
func (e *Engine) settleAction(ctx context.Context, key, owner string, state supportbot.ActionState, out supportbot.ActionOutcome) {
	deadline := time.Now().Add(settleRetryFor)
	for wait := 250 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		err := e.st.Update(ctx, func(tx Tx) error { return settleIn(ctx, tx, key, owner, state, out, e.cfg.Now()) })
		if err == nil {
			e.poke()
			return
		}
		code := supportbot.ErrorCode(err)
		if code == supportbot.ENOTFOUND || code == supportbot.ECONFLICT || time.Now().Add(wait).After(deadline) {
			e.log.Error("settle money action", "key", key, "err", err)
			return
		}
		e.log.Warn("settle money action: trying again", "key", key, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func settleIn(ctx context.Context, tx Tx, key, owner string, state supportbot.ActionState, out supportbot.ActionOutcome, now time.Time) error {
	a, err := tx.Action(ctx, key)
	if err != nil {
		return err
	}
	_, err = settle(ctx, tx, a, owner, state, out, now)
	return err
}

// settle records action a's outcome and hands it to its chat; false when
// it was settled already (told once).
func settle(ctx context.Context, tx Tx, a *supportbot.Action, owner string, state supportbot.ActionState, out supportbot.ActionOutcome, now time.Time) (bool, error) {
	ok, err := tx.SettleAction(ctx, a.Key, owner, state, out)
	if err != nil || !ok {
		return false, err
	}
	return true, tellSettled(ctx, tx, a, now)
}

// tellSettled puts action a's outcome in the inbox of the chat that
// confirmed it, once: its step tells the customer.
func tellSettled(ctx context.Context, tx Tx, a *supportbot.Action, now time.Time) error {
	_, err := tx.PutEvents(ctx, []supportbot.Event{{ChatID: a.ChatID, Kind: supportbot.EventSettled, Data: a.Key,
		Source: "a:" + a.Key, Time: now}})
	return err
}

// ReleaseAction settles an unknown money action — sent, never answered —
// as failed on an operator's word that the core did nothing under its key
// (it never answered it, or answered outside the contract, and the core's
// people say so): the plan was held for it (one repayment of a plan at a
// time) until then. The customer is told, in the chat that confirmed it,
// that nothing was taken (and can pay again, under a new key); the audit
// keeps the operator's reason, and the topic of the ticket its escalation
// opened is told. Not an action the core answered (processing: a
// repayment exists under the key), nor one pending (not sent yet), nor one
// whose claim by an instance ran out less than actionTimeout ago — an
// attempt, and its answer, may be on its way (ECONFLICT).
func ReleaseAction(ctx context.Context, tx Tx, key, reason string, now time.Time) (*supportbot.Action, error) {
	a, err := tx.Action(ctx, key)
	if err != nil {
		return nil, err
	}
	if a.State != supportbot.ActionUnknown {
		what := "settled already: " + string(a.State)
		if a.State.Open() {
			what = string(a.State) + ", not unknown: only an action the core never answered is released"
		}
		return nil, supportbot.Errorf(supportbot.ECONFLICT, "money action %s is %s", key, what)
	}
	out := a.Outcome
	out.Released = reason
	ok, err := tx.ReleaseAction(ctx, key, now.Add(-actionTimeout), out)
	if err != nil {
		return nil, err
	} else if !ok {
		return nil, supportbot.Errorf(supportbot.ECONFLICT, "money action %s is being tried right now: its answer may be on its way; run this again in a minute", key)
	}
	err = tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "action_released", CustomerID: a.CustomerID, ChatID: a.ChatID,
		Details: map[string]any{"key": key, "kind": string(a.Kind), "reason": reason}})
	if err != nil {
		return nil, err
	}
	a.State, a.Outcome = supportbot.ActionFailed, out
	return a, tellSettled(ctx, tx, a, now)
}

// settle is the chat's step for an EventSettled: the flow that confirmed the
// action tells the customer what came of it.
func (e *Engine) settle(s *Step) error {
	s.records = true // an outcome is kept
	a, err := e.st.Action(s.ctx, s.ev.Data)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	slow := strings.HasSuffix(s.ev.Source, ":slow")
	if (slow || strings.HasSuffix(s.ev.Source, ":stuck")) && !a.State.Open() {
		return nil // settled since: the outcome event tells it
	}
	elsewhere := a.CustomerID != s.conv.CustomerID
	if slow && elsewhere {
		return nil // not this chat's customer's any more: the outcome is told, the delay is not
	}
	if strings.HasSuffix(s.ev.Source, ":stuck") {
		if elsewhere {
			return stuckElsewhere(s, a)
		}
		return stuckAction(s, a)
	}
	if strings.HasSuffix(s.ev.Source, correctedSuffix) {
		return correctedAction(s, a, elsewhere)
	}
	if a.Outcome.Released != "" {
		if err := releasedNote(s, a); err != nil {
			return err
		}
	}
	sp := e.flows[a.Flow]
	if sp == nil || sp.settled == nil {
		return nil
	}
	if elsewhere {
		return settledElsewhere(s, sp, a)
	}
	return sp.settled(s, a)
}

// releasedNote tells the topic of the chat's open ticket — the one a stuck
// action opened, its ⚠️ note asking an agent to look the key up — that an
// operator released the action, and why: the agent reads it where they
// were asked, not only in the audit.
func releasedNote(s *Step, a *supportbot.Action) error {
	staff := s.e.cfg.AgentChatID
	if staff == 0 {
		return nil
	}
	t, err := s.openTicket()
	if t == nil || err != nil {
		return err
	}
	s.reply(supportbot.Reply{ChatID: staff, TicketID: t.ID,
		Text: s.staffT("desk.released", "what", deskWhat(s, a), "key", a.Key, "reason", a.Outcome.Released)})
	return nil
}

// settledElsewhere records the outcome of an action for the customer who
// confirmed it, in a chat that is no longer theirs (signed out, identified
// as someone else, or unlinked when their phone changed): the audit and the
// message center are theirs, worked out from their plans; the chat is told
// only that an earlier request has an outcome, none of its details.
func settledElsewhere(s *Step, sp *spec, a *supportbot.Action) error {
	conv, said := *s.conv, len(s.out)
	s.conv.CustomerID, s.conv.LinkedPhone = a.CustomerID, "" // theirs, as they were
	s.conv.Flow, s.conv.State = "", ""                       // no step of this chat waits for it
	err := sp.settled(s, a)
	*s.conv, s.out = conv, s.out[:said]
	if err != nil {
		return err
	}
	s.say(s.T("action.settled_elsewhere"), []supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
	return nil
}

// handoff holds the money actions that steps of this instance created
// claimed by it, from their commit until the worker takes them: the worker
// needs no claim (a transaction of its own) to start them.
type handoff struct {
	mu   sync.Mutex
	list []supportbot.Action
}

func (h *handoff) put(list ...supportbot.Action) {
	h.mu.Lock()
	h.list = append(h.list, list...)
	h.mu.Unlock()
}

// take removes and returns up to n of them, oldest first.
func (h *handoff) take(n int) []supportbot.Action {
	h.mu.Lock()
	defer h.mu.Unlock()
	n = min(n, len(h.list))
	out := slices.Clone(h.list[:n])
	h.list = slices.Delete(h.list, 0, n)
	return out
}
