package flows

import (
	"context"

	"supportbot"
)

// The core boundary: what the flows read from, and ask of, the installment
// core system (../shared/CORE_API.md). Two implementations exist: the
// embedded core over the bot's own database, and the HTTP client of the
// contract. Every call may go over the network, so none is made while a
// database write transaction is open.
//
// Errors: a final refusal is a *supportbot.CoreError (its NotFound() also
// covers another customer's id); a call whose outcome is not known (timeout,
// 5xx, 429 after retries) has supportbot.ErrCoreUnavailable in its chain,
// and the core's Retry-After, when it gave one, in supportbot.RetryAfterOf.
// Every action takes an idempotency key: the same key with the same request
// is executed at most once.

// Customers finds customers.
type Customers interface {
	// CustomerByPhone finds the customer with an E.164 phone.
	CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error)
	Customer(ctx context.Context, id string) (*supportbot.Customer, error)
}

// Plans lists a customer's plans, open and settled, each with every bill in
// period order.
type Plans interface {
	Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error)
}

// Cards lists a customer's bound cards, the default first.
type Cards interface {
	Cards(ctx context.Context, customerID string) ([]supportbot.Card, error)
}

// Schedules lists a customer's scheduled repayments, whatever their status,
// soonest first, with the core's cut-off in Cancellable.
type Schedules interface {
	Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error)
}

// Closures lists a customer's closure requests, newest first.
type Closures interface {
	ClosureRequests(ctx context.Context, customerID string) ([]supportbot.ClosureRequest, error)
}

// Quoter prices paying a plan now (CoreNothingToPay when nothing is payable).
type Quoter interface {
	Quote(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error)
}

// Repayer charges a quote. A declined card is a Repayment with status
// declined, not an error. Repayment finds what was executed under a key
// (a CoreError with NotFound() when nothing was: sending it again is safe).
type Repayer interface {
	Repay(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error)
	Repayment(ctx context.Context, key string) (*supportbot.Repayment, error)
}

// ScheduleCanceller cancels one of the customer's scheduled repayments
// (CoreNotCancellable with a reason when it cannot be).
type ScheduleCanceller interface {
	CancelScheduled(ctx context.Context, key, customerID, scheduledID string) (*supportbot.ScheduledRepayment, error)
}

// AutoRepaySetter switches a plan's auto-repayment and returns the plan.
type AutoRepaySetter interface {
	SetAutoRepay(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error)
}

// DefaultCardSetter makes a card the default (CoreCardFrozen for a frozen
// one) and returns every card of the customer.
type DefaultCardSetter interface {
	SetDefaultCard(ctx context.Context, key, customerID, cardID string) ([]supportbot.Card, error)
}

// IdentityChecker compares the last 4 characters of the ID card on file; it
// changes nothing. The bot keeps the attempt count and the lock.
type IdentityChecker interface {
	CheckIdentity(ctx context.Context, key, customerID, last4 string) (bool, error)
}

// ClosureRequester submits a closure request (CoreNotEligible with reasons,
// CoreAlreadyOpen with the open request).
type ClosureRequester interface {
	RequestClosure(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error)
}

// Core is everything the flows use of the core system.
type Core interface {
	Customers
	Plans
	Cards
	Schedules
	Closures
	Quoter
	Repayer
	ScheduleCanceller
	AutoRepaySetter
	DefaultCardSetter
	IdentityChecker
	ClosureRequester
}
