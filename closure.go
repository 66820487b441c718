package supportbot

import (
	"errors"
	"time"
)

// Closure request statuses. A request is open while it is submitted; support
// agents complete or reject it (with a reason).
const (
	ClosureSubmitted = "submitted"
	ClosureCompleted = "completed"
	ClosureRejected  = "rejected"
)

// ClosureRequest is a customer's request to close their installment account.
type ClosureRequest struct {
	Reference    string // CR-YYYYMMDD-NNNN: the submission date and a per-day sequence
	CustomerID   string
	Status       string // ClosureSubmitted, ClosureCompleted or ClosureRejected
	Reason       string // why it was rejected (a completion has none)
	CreatedAt    time.Time
	ExpectedFrom Date // the earliest and latest expected completion dates
	ExpectedTo   Date
	DecidedAt    time.Time // zero while submitted
}

// What is wrong with a decision on a closure request, whichever request it
// is for (CheckClosureDecision): each caller tells it in its own words.
var (
	ErrClosureStatus          = errors.New("the decision is completed or rejected")
	ErrClosureCompletedReason = errors.New("a completion takes no reason (only a rejection does)")
	ErrClosureRejectedReason  = errors.New("a rejection needs a reason the customer can act on")
)

// CheckClosureDecision is the rule of a decision: completed with no reason
// (words after it would reach the customer as one), or rejected with a
// reason. status is lower case, reason trimmed.
func CheckClosureDecision(status, reason string) error {
	switch {
	case status != ClosureCompleted && status != ClosureRejected:
		return ErrClosureStatus
	case status == ClosureCompleted && reason != "":
		return ErrClosureCompletedReason
	case status == ClosureRejected && reason == "":
		return ErrClosureRejectedReason
	}
	return nil
}

// Open reports whether the request still awaits an agent's decision.
func (r ClosureRequest) Open() bool { return r.Status == ClosureSubmitted }

// AddBusinessDays is d moved n business days (Monday to Friday) ahead: from a
// Friday or a weekend day, one business day ahead is the next Monday. There is
// no holiday calendar, so a public holiday counts as a business day.
func (d Date) AddBusinessDays(n int) Date {
	t := d.Time(time.UTC)
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return Date(t.Format(dateLayout))
}
