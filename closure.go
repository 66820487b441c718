package supportbot

import "time"

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
	Reason       string // why it was rejected (or an agent's note on completion)
	CreatedAt    time.Time
	ExpectedFrom Date // the earliest and latest expected completion dates
	ExpectedTo   Date
	UpdatedAt    time.Time
	DecidedAt    time.Time // when it was completed or rejected; zero while submitted
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
