package supportbot

import "time"

// A money action is a confirmed repayment, cancellation of a scheduled
// repayment or closure request. It is committed (pending) with the step the
// customer confirmed it in, executed against the core after the commit,
// outside any transaction, by its idempotency key, and settled by an internal
// event of its chat. A crash anywhere resumes it with the same key.

// ActionKind says what a money action asks of the core.
type ActionKind string

const (
	ActionRepay   ActionKind = "repay"   // POST /repayments
	ActionCancel  ActionKind = "cancel"  // POST /scheduled-repayments/{id}/cancel
	ActionClosure ActionKind = "closure" // POST /closure-requests
)

// ActionState is where a money action stands.
type ActionState string

const (
	ActionPending    ActionState = "pending"    // committed, not yet answered by the core
	ActionUnknown    ActionState = "unknown"    // sent, no answer: reconcile, then retry with the same key
	ActionProcessing ActionState = "processing" // the partner answers later, by event
	ActionSucceeded  ActionState = "succeeded"
	ActionDeclined   ActionState = "declined" // the bank refused; nothing was taken
	ActionFailed     ActionState = "failed"
	ActionRefused    ActionState = "refused" // the core refused the request (a 4xx)
)

// Open reports whether the action still waits for an outcome.
func (s ActionState) Open() bool {
	return s == ActionPending || s == ActionUnknown || s == ActionProcessing
}

// Action is one money action.
type Action struct {
	Key        string // the idempotency key, the same on every attempt
	ChatID     int64
	CustomerID string
	Kind       ActionKind
	Repay      *RepaymentRequest `json:",omitempty"` // ActionRepay
	Scheduled  string            `json:",omitempty"` // ActionCancel: the scheduled repayment's id
	// What the customer confirmed, for the outcome message and the audit.
	Flow    string `json:",omitempty"`
	PlanID  string `json:",omitempty"`
	Product string `json:",omitempty"`
	Card    string `json:",omitempty"` // masked: 招商银行 **** 6789
	Periods []int  `json:",omitempty"`
	// MessageID is the message that showed the confirm button (edited with
	// the outcome), 0 when unknown.
	MessageID int64 `json:",omitempty"`

	State     ActionState   `json:"-"`
	Outcome   ActionOutcome `json:"-"`
	Attempts  int           `json:"-"`
	NextAt    time.Time     `json:"-"`
	CreatedAt time.Time     `json:"-"`
	SettledAt time.Time     `json:"-"`
}

// ActionOutcome is what the core answered.
type ActionOutcome struct {
	Repayment *Repayment          `json:",omitempty"`
	Scheduled *ScheduledRepayment `json:",omitempty"`
	Closure   *ClosureRequest     `json:",omitempty"`
	Refusal   *CoreError          `json:",omitempty"`
	// Told is set once the customer was told the action is taking longer;
	// Escalated once a person was asked to look at it.
	Told      bool `json:",omitempty"`
	Escalated bool `json:",omitempty"`
	// Released is the reason an operator gave for settling it as failed
	// (supportbot actions release): the core did nothing under its key.
	Released string `json:",omitempty"`
}
