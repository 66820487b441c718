package supportbot

import (
	"errors"
	"fmt"
	"time"
)

// What the installment core system (../shared/CORE_API.md) speaks, as domain
// types: quotes, repayments, closure requests and the events it sends. The bot
// reads customers, plans, bills, cards and schedules from the core and asks it
// to act; it never decides alone that money moved.

// QuoteKind says what a quote pays.
type QuoteKind string

const (
	QuotePayoff QuoteKind = "payoff" // everything left on the plan (early repayment)
	QuoteBill   QuoteKind = "bill"   // the overdue periods or, none overdue, the earliest unpaid one; or the periods asked for
)

// QuoteRequest asks the core what paying (part of) a plan costs now.
type QuoteRequest struct {
	CustomerID string
	PlanID     string
	Kind       QuoteKind
	Periods    []int // only with QuoteBill; empty: the overdue periods or, none overdue, the earliest unpaid one
}

// QuoteParts are what a quote's amount is made of; they add up to it.
type QuoteParts struct {
	Principal Money
	Fees      Money
	LateFees  Money
	PrepayFee Money
}

// Sum adds the parts, failing when the sum does not fit the money bounds.
func (p QuoteParts) Sum() (Money, error) {
	return SumMoney(p.Principal, p.Fees, p.LateFees, p.PrepayFee)
}

// BillsCost is what bills cost in full, part by part: their principal,
// fees and late fees (a bill payment's parts; no prepayment fee).
func BillsCost(bills ...Bill) (QuoteParts, error) {
	var parts QuoteParts
	var err error
	for _, b := range bills {
		if parts.Principal, err = SumMoney(parts.Principal, b.Principal); err != nil {
			return parts, err
		}
		if parts.Fees, err = SumMoney(parts.Fees, b.Fee); err != nil {
			return parts, err
		}
		if parts.LateFees, err = SumMoney(parts.LateFees, b.LateFee); err != nil {
			return parts, err
		}
	}
	return parts, nil
}

// Quote is the core's price for paying a plan now, valid until ExpiresAt.
type Quote struct {
	ID         string
	CustomerID string
	PlanID     string
	Kind       QuoteKind
	Periods    []int // the periods it pays
	Amount     Money
	Parts      QuoteParts
	// Excluded are unpaid periods left out because a debit for them is already
	// running (see Debiting).
	Excluded  []int
	ExpiresAt time.Time
}

// RepaymentRequest asks the core to charge a quote to a card.
type RepaymentRequest struct {
	QuoteID string
	CardID  string
	Amount  Money // must equal the quote's amount
}

// RepaymentStatus is where a repayment stands.
type RepaymentStatus string

const (
	RepaymentSucceeded  RepaymentStatus = "succeeded"
	RepaymentProcessing RepaymentStatus = "processing" // the partner answers later, by event
	RepaymentDeclined   RepaymentStatus = "declined"   // the bank refused; nothing was taken
	RepaymentFailed     RepaymentStatus = "failed"
)

// Final reports whether the status will not change any more.
func (s RepaymentStatus) Final() bool { return s != RepaymentProcessing }

// Repayment is money the core moved (or tried to) for one idempotency key.
type Repayment struct {
	ID                    string
	Key                   string // the Idempotency-Key it was made with
	QuoteID               string
	CustomerID            string
	PlanID                string
	CardID                string
	Amount                Money
	Periods               []int
	Status                RepaymentStatus
	DeclineReason         string
	CancelledScheduledIDs []string
	CreatedAt             time.Time
	SettledAt             time.Time // zero while processing
}

// NotCancellableReason says why a scheduled repayment cannot be cancelled.
type NotCancellableReason string

const (
	NotCancellableProcessing NotCancellableReason = "processing" // the bank is debiting it
	NotCancellableTooLate    NotCancellableReason = "too_late"   // it runs within the cut-off
	NotCancellableDone       NotCancellableReason = "done"
	NotCancellableCancelled  NotCancellableReason = "cancelled"
	NotCancellableFailed     NotCancellableReason = "failed"
)

// NotEligibleReason says why an account cannot be closed yet.
type NotEligibleReason string

const (
	NotEligibleUnpaid        NotEligibleReason = "unpaid"
	NotEligibleScheduled     NotEligibleReason = "scheduled"
	NotEligiblePendingRefund NotEligibleReason = "pending_refund"
)

// CoreCode is the code of a core system's refusal.
type CoreCode string

// The refusals the flows act on; the rest are reported as they are.
const (
	CoreCustomerNotFound  CoreCode = "customer_not_found"
	CorePlanNotFound      CoreCode = "plan_not_found"
	CoreCardNotFound      CoreCode = "card_not_found"
	CoreQuoteNotFound     CoreCode = "quote_not_found"
	CoreRepaymentNotFound CoreCode = "repayment_not_found"
	CoreScheduledNotFound CoreCode = "scheduled_repayment_not_found"
	CoreNotFound          CoreCode = "not_found"
	CoreNothingToPay      CoreCode = "nothing_to_pay"
	CoreQuoteExpired      CoreCode = "quote_expired"
	CoreQuoteStale        CoreCode = "quote_stale"
	CoreAmountMismatch    CoreCode = "amount_mismatch"
	CoreCardFrozen        CoreCode = "card_frozen"
	CoreNotCancellable    CoreCode = "not_cancellable"
	CoreNotEligible       CoreCode = "not_eligible"
	CoreAlreadyOpen       CoreCode = "already_open"
	CoreInvalidRequest    CoreCode = "invalid_request"
	CoreKeyReused         CoreCode = "idempotency_key_reused"
)

// CoreError is a final refusal of the core system (a 4xx answer): sending the
// same request again gets the same answer.
type CoreError struct {
	Status  int // the HTTP status, when the core is remote
	Code    CoreCode
	Message string // the core's free text: never logged (see Error)
	// Reason is set with CoreNotCancellable, Reasons with CoreNotEligible,
	// Closure (the open request) with CoreAlreadyOpen.
	Reason  NotCancellableReason
	Reasons []NotEligibleReason
	Closure *ClosureRequest
}

// Error names the refusal by its code and status, never by the core's
// message: that is free text, and may name the customer (a phone, an ID
// number, a name) — it would reach the logs.
func (e *CoreError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("core: %s", e.Code)
	}
	return fmt.Sprintf("core: %s (HTTP %d)", e.Code, e.Status)
}

// NotFound reports whether the refusal means "no such thing (of this customer's)".
func (e *CoreError) NotFound() bool {
	switch e.Code {
	case CoreCustomerNotFound, CorePlanNotFound, CoreCardNotFound, CoreQuoteNotFound,
		CoreRepaymentNotFound, CoreScheduledNotFound, CoreNotFound:
		return true
	}
	return false
}

// CoreErrorOf returns the core's refusal in err's chain, or nil.
func CoreErrorOf(err error) *CoreError {
	var ce *CoreError
	if errors.As(err, &ce) {
		return ce
	}
	return nil
}

// ErrCoreUnavailable is in the chain of every error where the core did not
// give a final answer in time: a timeout, a reset, a 5xx or 429 that retries
// did not get past. The request may or may not have been executed; a money
// action is retried with the same key, never a new one.
var ErrCoreUnavailable = errors.New("core system unavailable")

// CoreRetryAfter is in the chain of an ErrCoreUnavailable error when the
// core's last answer (a 429 or 503) said how long to wait before the request
// is sent again (Retry-After): a retry sooner is only refused again.
type CoreRetryAfter struct{ After time.Duration }

func (e *CoreRetryAfter) Error() string { return fmt.Sprintf("core asked to retry after %s", e.After) }

// RetryAfterOf is how long the core asked to wait before err's request is
// sent again; 0 when it did not say.
func RetryAfterOf(err error) time.Duration {
	var ra *CoreRetryAfter
	if errors.As(err, &ra) {
		return ra.After
	}
	return 0
}

// ErrCoreBadAnswer is in the chain of the error for an answer that breaks
// the contract (undecodable, a field missing, money out of bounds, another
// customer's data). For a read it is as good as no answer; for an action the
// core may have executed it, so the outcome is unknown and is asked again by
// key, never guessed.
var ErrCoreBadAnswer = errors.New("core system answered outside the contract")

// CoreEventType is the type of an event the core posts to the bot.
type CoreEventType string

const (
	EventRepaymentSucceeded          CoreEventType = "repayment.succeeded"
	EventRepaymentFailed             CoreEventType = "repayment.failed"
	EventScheduledRepaymentSucceeded CoreEventType = "scheduled_repayment.succeeded"
	EventScheduledRepaymentFailed    CoreEventType = "scheduled_repayment.failed"
	EventBillOverdue                 CoreEventType = "bill.overdue"
	EventClosureRequestDecided       CoreEventType = "closure_request.decided"
	EventCustomerUpdated             CoreEventType = "customer.updated"
)

// BillRef names one period of one customer's plan (bill.overdue).
type BillRef struct {
	CustomerID string
	PlanID     string
	Period     int
}

// CoreEvent is one event the core posted; exactly one of the data fields is
// set, according to Type.
type CoreEvent struct {
	ID        string // evt_…; a redelivery has the same id
	Type      CoreEventType
	CreatedAt time.Time
	Repayment *Repayment          // repayment.*
	Scheduled *ScheduledRepayment // scheduled_repayment.*
	Bill      *BillRef            // bill.overdue
	Closure   *ClosureRequest     // closure_request.decided
	Customer  *Customer           // customer.updated
}

// MaxIdempotencyKey is the longest Idempotency-Key the core takes.
const MaxIdempotencyKey = 255

// CheckIdempotencyKey refuses a key the contract does not allow (1–255
// printable ASCII), and the few it allows that would not reach the core as
// the same key: HTTP drops leading and trailing spaces of a header, a key in
// double quotes is read as its content, and "." or ".." in the path of
// GET /repayments/{key} are path steps.
func CheckIdempotencyKey(key string) error {
	if key == "" || len(key) > MaxIdempotencyKey {
		return Errorf(EINVALID, "idempotency key: %d characters, want 1–%d", len(key), MaxIdempotencyKey)
	}
	for i := 0; i < len(key); i++ {
		if key[i] < ' ' || key[i] > '~' {
			return Errorf(EINVALID, "idempotency key: character %d is not printable ASCII", i+1)
		}
	}
	if key[0] == ' ' || key[len(key)-1] == ' ' || key[0] == '"' || key == "." || key == ".." {
		return Errorf(EINVALID, "idempotency key %q: would not reach the core unchanged", key)
	}
	return nil
}
