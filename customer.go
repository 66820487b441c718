package supportbot

import (
	"encoding/json"
	"strings"
	"time"
)

// Customer is a person with an installment account.
type Customer struct {
	ID             string
	Name           string
	Phone          string // E.164 (+8613800138000): see ImportPhone and ContactPhone
	IDCardLast4    string // upper case; "X" as the check character
	Language       Lang
	PendingRefunds int // refunds in progress; closure waits for them
}

// Card is a bank card bound for repayment. Only its last 4 digits are known.
type Card struct {
	ID      string
	Bank    string
	Last4   string
	Default bool
	Frozen  bool // the bank declines every debit on it
}

// Masked is the card as shown to customers: 招商银行 **** 6789.
func (c Card) Masked() string { return c.Bank + " **** " + c.Last4 }

// Bill statuses.
const (
	BillPaid   = "paid"
	BillUnpaid = "unpaid"
)

// Plan is one order paid in installments.
type Plan struct {
	ID              string
	CustomerID      string
	OrderNo         string
	Product         string
	Partner         string // the financing partner, e.g. 小米分期
	Principal       Money
	Periods         int
	PrepayFeeRateBP int64 // prepayment fee in basis points of the not-yet-due principal
	AutoRepay       bool
	Bills           []Bill // ordered by period
}

// Bill is one period of a plan.
type Bill struct {
	PlanID    string
	Period    int
	DueDate   Date
	Principal Money
	Fee       Money
	LateFee   Money
	Status    string // BillPaid or BillUnpaid
}

// Overdue reports whether b is unpaid and its due date has passed.
func (b Bill) Overdue(today Date) bool { return b.Status == BillUnpaid && b.DueDate < today }

// Amount is what the period costs when paid on time (principal and fee).
func (b Bill) Amount() Money { return b.Principal + b.Fee }

// Due is what paying the bill costs today: its amount and any late fee.
func (b Bill) Due() Money { return b.Amount() + b.LateFee }

// Open reports whether the plan still has an unpaid bill.
func (p Plan) Open() bool {
	for _, b := range p.Bills {
		if b.Status == BillUnpaid {
			return true
		}
	}
	return false
}

// PaidPeriods counts the paid bills.
func (p Plan) PaidPeriods() int {
	n := 0
	for _, b := range p.Bills {
		if b.Status == BillPaid {
			n++
		}
	}
	return n
}

// NextDue is the earliest unpaid bill, if any.
func (p Plan) NextDue() (Bill, bool) {
	for _, b := range p.Bills {
		if b.Status == BillUnpaid {
			return b, true
		}
	}
	return Bill{}, false
}

// Remaining is the principal, fees and late fees of every unpaid bill.
func (p Plan) Remaining() Money {
	var m Money
	for _, b := range p.Bills {
		if b.Status == BillUnpaid {
			m += b.Principal + b.Fee + b.LateFee
		}
	}
	return m
}

// Scheduled repayment statuses.
const (
	ScheduledScheduled  = "scheduled"
	ScheduledProcessing = "processing"
	ScheduledDone       = "done"
	ScheduledCancelled  = "cancelled"
	ScheduledFailed     = "failed"
)

// ScheduledRepayment is a future-dated debit the customer booked.
type ScheduledRepayment struct {
	ID         string
	CustomerID string
	PlanID     string
	Period     int
	Amount     Money
	CardID     string
	RunAt      time.Time
	Status     string
	// Cancellable is the core's own cut-off (see Debiting); when false,
	// NotCancellable says why.
	Cancellable    bool
	NotCancellable NotCancellableReason
}

// DebitCutoff is how long before it runs a scheduled repayment is with the
// bank already: from then on it cannot be cancelled, and its period is left
// out of anything else that would pay it.
const DebitCutoff = 2 * time.Hour

// Debiting reports whether the bank is already debiting r: it is processing,
// or still scheduled but running within DebitCutoff of now. This is the one
// rule for "already being debited": paying a bill, paying off a plan,
// cancelling a scheduled repayment and closing the account all go by it.
func (r ScheduledRepayment) Debiting(now time.Time) bool {
	switch r.Status {
	case ScheduledProcessing:
		return true
	case ScheduledScheduled:
		left := r.RunAt.Sub(now)
		return left < DebitCutoff && left > -StaleBooking
	}
	return false
}

// Live reports whether r is still ahead: scheduled or processing.
func (r ScheduledRepayment) Live() bool {
	return r.Status == ScheduledScheduled || r.Status == ScheduledProcessing
}

// StaleBooking is how long past its run time a repayment still scheduled is
// taken for being debited: a core moves a debit on within minutes, so one
// "scheduled" a day after its time is stale data, not a debit under way —
// its period may be paid (the payment cancels it) rather than wait for ever.
const StaleBooking = 24 * time.Hour

// CancelRefusal is why r cannot be cancelled at now, or "" when it can.
func (r ScheduledRepayment) CancelRefusal(now time.Time) NotCancellableReason {
	switch r.Status {
	case ScheduledProcessing:
		return NotCancellableProcessing
	case ScheduledDone:
		return NotCancellableDone
	case ScheduledCancelled:
		return NotCancellableCancelled
	case ScheduledFailed:
		return NotCancellableFailed
	}
	if r.Debiting(now) {
		return NotCancellableTooLate
	}
	return ""
}

// DebitingPeriods are the periods of plan planID that a scheduled repayment
// in sched is already debiting at now.
func DebitingPeriods(planID string, sched []ScheduledRepayment, now time.Time) map[int]bool {
	busy := map[int]bool{}
	for _, r := range sched {
		if r.PlanID == planID && r.Debiting(now) {
			busy[r.Period] = true
		}
	}
	return busy
}

// CustomerData is everything the core system exports about one customer; the
// unit of import.
type CustomerData struct {
	Customer  Customer
	Cards     []Card
	Plans     []Plan
	Scheduled []ScheduledRepayment
	// KeepCards and KeepScheduled say the export left the list out (not
	// empty: absent): the customer's cards, or bookings, on file stay as
	// they are, where an empty list would delete them.
	KeepCards, KeepScheduled bool
}

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID         int64
	Time       time.Time
	Action     string
	CustomerID string
	ChatID     int64
	Details    map[string]any // ids and amount_fen the action concerned
}

// Notice is a message-center entry: a confirmation kept for the customer. Kind
// and Params are rendered in the reader's language when shown.
type Notice struct {
	ID         int64
	CustomerID string
	Time       time.Time
	Kind       string
	Params     map[string]string
}

// Conversation is the state of one chat with the bot: who it is linked to, the
// flow and step it is in, and what the flow has collected so far.
type Conversation struct {
	ChatID     int64
	UserID     int64
	Lang       Lang
	LangChosen bool   // set with /lang; neither the client's language nor the one on file overrides it
	CustomerID string // "" until the chat is identified
	// LinkedPhone is the phone (E.164) the chat was identified with: the link
	// holds only while it is still the customer's phone on file.
	LinkedPhone string
	Flow        string // "" when idle
	State       string
	Slots       json.RawMessage // what the flow collected, in the flow's own typed form
	Nonce       string          // changes whenever a step offers buttons; stale buttons carry an old one
	Misses      int             // free-text questions in a row the bot could not answer
	// Transcript is the last messages of the chat, for an agent's context card.
	Transcript Transcript
	// Unreachable is set while the chat takes no message (the user blocked
	// the bot, or the chat is gone); the chat's next message clears it.
	Unreachable bool
	UpdatedAt   time.Time
}

// Line is one message of a transcript.
type Line struct {
	Time time.Time `json:"t"`
	From string    `json:"f"` // "customer", "bot" or "agent"
	Text string    `json:"x"`
}

// TranscriptLines is how many lines a transcript keeps: the latest.
const TranscriptLines = 10

// Transcript is the last lines of a chat, kept as it is stored: one JSON
// object a line, oldest first. Every step appends to it, and only an agent's
// card reads it: a line is encoded once, when it is added, and the lines are
// decoded only when read.
type Transcript struct{ jsonl string }

// ParseTranscript reads a stored transcript: JSON lines, or the JSON array
// of lines it was once stored as ("" and "[]" are empty).
func ParseTranscript(stored string) (Transcript, error) {
	if !strings.HasPrefix(stored, "[") {
		return Transcript{stored}, nil
	}
	var lines []Line
	if err := json.Unmarshal([]byte(stored), &lines); err != nil {
		return Transcript{}, err
	}
	var t Transcript
	for _, l := range lines {
		t.Append(l)
	}
	return t, nil
}

// String is the transcript as it is stored.
func (t Transcript) String() string { return t.jsonl }

// Append adds a line, keeping the last TranscriptLines.
func (t *Transcript) Append(l Line) {
	b, _ := json.Marshal(l) // a Line always encodes
	s := t.jsonl + string(b) + "\n"
	for n := strings.Count(s, "\n"); n > TranscriptLines; n-- {
		_, s, _ = strings.Cut(s, "\n")
	}
	t.jsonl = s
}

// Lines decodes the transcript, oldest first; a line that does not decode
// is left out.
func (t Transcript) Lines() []Line {
	var out []Line
	for _, raw := range strings.Split(strings.TrimSuffix(t.jsonl, "\n"), "\n") {
		var l Line
		if raw != "" && json.Unmarshal([]byte(raw), &l) == nil {
			out = append(out, l)
		}
	}
	return out
}

// Ticket statuses.
const (
	TicketOpen     = "open"     // waiting for or with an agent
	TicketClosed   = "closed"   // an agent closed it, or the customer left
	TicketReferred = "referred" // no staff chat: the customer was given the hotline
)

// Ticket is a hand-off of one chat to a person.
type Ticket struct {
	ID           int64
	ChatID       int64
	CustomerID   string // "" when the customer had not identified
	Status       string
	TopicID      int64 // forum topic in the staff chat; 0 until created
	AgentID      int64
	AgentName    string
	Reason       string // what the customer was doing or asking
	PreviousID   int64  // the chat's previous ticket, if any
	CreatedAt    time.Time
	ClaimedAt    time.Time
	FirstReplyAt time.Time
	ClosedAt     time.Time
	Rating       int // 1–5, 0 when not rated
	Reminded     bool
	// Handle is how Telegram names the customer (first name, @username),
	// and CustomerName the name on file of a verified one: kept at hand-off
	// for cards and topic names.
	Handle       string
	CustomerName string
	// CameFrom is the flow the customer was in when they asked for a person.
	CameFrom string
	// RepliedBy is the agent whose reply was the first: first-reply times
	// are theirs, whoever holds the ticket later.
	RepliedBy int64
	// Reminders counts the reminders sent for an unanswered ticket, the
	// last at RemindedAt.
	Reminders  int
	RemindedAt time.Time
	// ToldPosition is the queue position the customer was last told, at ToldAt.
	ToldPosition int
	ToldAt       time.Time
	// WaitingSince is the customer's first message since an agent last
	// answered; zero when nothing waits for an answer.
	WaitingSince time.Time
	// Invite is what became of the rating invitation: InviteSent,
	// InviteUndelivered, InviteBlocked; "" before the ticket closed.
	Invite string
	// ClosedBy is who closed the ticket: ClosedByAgent, ClosedByCustomer,
	// ClosedByBot; "" while it is open.
	ClosedBy string
	// Relay is the ticket's latest post of customer messages in its topic.
	Relay RelayPost
}

// What became of a closed ticket's rating invitation.
const (
	InviteSent        = "sent"        // sent; no failure reported
	InviteUndelivered = "undelivered" // Telegram refused it
	InviteBlocked     = "blocked"     // not sent: the customer had blocked the bot
)

// Who closed a ticket.
const (
	ClosedByAgent    = "agent"    // the agent's /close: replies taken before it are still relayed
	ClosedByCustomer = "customer" // the customer's /end
	ClosedByBot      = "bot"      // the chat lost its customer
)

// RelayPost is one post in a ticket's topic gathering a customer's messages
// (a burst): later messages are added to it, and the post edited, until an
// agent answers, media comes between, it grows too long or too old.
type RelayPost struct {
	Seq     int64     `json:"seq,omitempty"` // numbers the ticket's posts
	Started time.Time `json:"started,omitempty"`
	Closed  bool      `json:"closed,omitempty"`
	// Reopen: a person closed the ticket's topic by hand while the ticket
	// was open, so the next post opens it first.
	Reopen bool        `json:"reopen,omitempty"`
	Lines  []RelayLine `json:"lines,omitempty"`
}

// RelayLine is one customer message of a post.
type RelayLine struct {
	MessageID int64  `json:"id,omitempty"`
	Text      string `json:"text"`
	Edited    bool   `json:"edited,omitempty"`
	// ReplyTo is the agent's message in the staff chat the customer's
	// replies to, where it is known (their copy of it, replied to).
	ReplyTo int64 `json:"reply_to,omitempty"`
}

// TicketNote is an agent's internal note on a ticket.
type TicketNote struct {
	TicketID  int64
	AgentID   int64
	AgentName string
	Text      string // masked (card and ID numbers) before it is kept
	CreatedAt time.Time
}

// Agent is a member of the staff chat the bot has seen act.
type Agent struct {
	ID       int64
	Name     string
	Username string
}

// Payment is money the bot moved: one per idempotency key.
type Payment struct {
	ID         int64
	Key        string // the quote or request id; unique
	Kind       string // "early_repayment", "repay_bill"
	CustomerID string
	PlanID     string
	CardID     string
	Amount     Money
	CreatedAt  time.Time
}
