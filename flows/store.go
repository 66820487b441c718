package flows

import (
	"context"
	"time"

	"supportbot"
)

// Tx is one database transaction: everything a step reads and changes. The
// engine commits it only when the whole step succeeded.
type Tx interface {
	Commit() error
	Rollback() error
	// Savepoint marks where one event's changes start; RollbackToSavepoint
	// undoes them alone, ReleaseSavepoint keeps them.
	Savepoint(ctx context.Context) error
	RollbackToSavepoint(ctx context.Context) error
	ReleaseSavepoint(ctx context.Context) error

	// MarkUpdate records an update id; false means it was handled before.
	MarkUpdate(ctx context.Context, updateID int64) (bool, error)
	// Conversation returns ENOTFOUND for a chat seen for the first time.
	Conversation(ctx context.Context, chatID int64) (*supportbot.Conversation, error)
	SaveConversation(ctx context.Context, c *supportbot.Conversation) error

	// CustomerByPhone and Customer return ENOTFOUND when there is none.
	CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error)
	Customer(ctx context.Context, id string) (*supportbot.Customer, error)
	Cards(ctx context.Context, customerID string) ([]supportbot.Card, error)
	Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error)
	// Plan returns ENOTFOUND when the plan is not the customer's.
	Plan(ctx context.Context, customerID, planID string) (*supportbot.Plan, error)
	Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error)

	// Payment returns ENOTFOUND when no payment has the key.
	Payment(ctx context.Context, key string) (*supportbot.Payment, error)
	// RecordPayment returns ECONFLICT when the key was used before.
	RecordPayment(ctx context.Context, p *supportbot.Payment) error
	// PayBills marks the given periods paid (none given: nothing).
	PayBills(ctx context.Context, customerID, planID string, periods ...int) (int, error)
	// CancelScheduled cancels one if it is the customer's and still scheduled.
	CancelScheduled(ctx context.Context, customerID, id string) (bool, error)
	// CancelPeriodSchedules cancels the still-scheduled repayments of exactly
	// these periods of the plan (none when no period is given).
	CancelPeriodSchedules(ctx context.Context, customerID, planID string, periods ...int) ([]string, error)
	// SetAutoRepay switches a plan's auto-repayment and reports whether it
	// changed; ENOTFOUND when the plan is not the customer's.
	SetAutoRepay(ctx context.Context, customerID, planID string, on bool) (bool, error)
	// SetDefaultCard makes the card the customer's only default and reports
	// whether it changed; ENOTFOUND when the card is not the customer's,
	// EINVALID when it is frozen.
	SetDefaultCard(ctx context.Context, customerID, cardID string) (bool, error)

	// ClosureLock is the customer's failed identity checks for closure and the
	// time closure is locked until; an expired lock reads as 0 and zero time.
	ClosureLock(ctx context.Context, customerID string) (failures int, lockedUntil time.Time, err error)
	// RecordClosureFailure counts a failed check; the lockAfter-th in a row
	// locks closure for lockFor. While locked it counts nothing.
	RecordClosureFailure(ctx context.Context, customerID string, lockAfter int, lockFor time.Duration) (failures int, lockedUntil time.Time, err error)
	// ResetClosureFailures forgets the failures after a successful check.
	ResetClosureFailures(ctx context.Context, customerID string) error
	// OpenClosureRequest (status submitted) and LatestClosureRequest return
	// ENOTFOUND when there is none.
	OpenClosureRequest(ctx context.Context, customerID string) (*supportbot.ClosureRequest, error)
	LatestClosureRequest(ctx context.Context, customerID string) (*supportbot.ClosureRequest, error)
	// CreateClosureRequest allocates the reference CR-YYYYMMDD-NNNN of today;
	// ECONFLICT when the customer already has an open request.
	CreateClosureRequest(ctx context.Context, customerID string, today, from, to supportbot.Date) (*supportbot.ClosureRequest, error)

	// CustomerConversations lists the reachable chats linked to a customer.
	CustomerConversations(ctx context.Context, customerID string) ([]supportbot.Conversation, error)
	// ClosureNotices lists decided closure requests not yet told; ClosureNotified
	// marks one told.
	ClosureNotices(ctx context.Context) ([]supportbot.ClosureRequest, error)
	ClosureNotified(ctx context.Context, ref string) error

	// OpenTicket, Ticket, LastTicket and TicketByTopic return ENOTFOUND when there is
	// none; CreateTicket returns ECONFLICT when the chat has an open one.
	OpenTicket(ctx context.Context, chatID int64) (*supportbot.Ticket, error)
	Ticket(ctx context.Context, id int64) (*supportbot.Ticket, error)
	LastTicket(ctx context.Context, chatID int64) (*supportbot.Ticket, error)
	TicketByTopic(ctx context.Context, topicID int64) (*supportbot.Ticket, error)
	CreateTicket(ctx context.Context, t *supportbot.Ticket) error
	UpdateTicket(ctx context.Context, t *supportbot.Ticket) error
	// QueuePosition is the ticket's place among unclaimed open tickets.
	QueuePosition(ctx context.Context, t *supportbot.Ticket) (int, error)
	// UnansweredTickets lists open tickets from before a time that no agent
	// answered and no reminder was sent for.
	UnansweredTickets(ctx context.Context, before time.Time) ([]supportbot.Ticket, error)
	// SetClosureStatus decides a closure request (an agent's /closure).
	SetClosureStatus(ctx context.Context, ref, status, reason string) (*supportbot.ClosureRequest, error)

	// Reminders reports whether the customer asked for due-date reminders;
	// SetReminders switches them and reports whether that changed anything.
	Reminders(ctx context.Context, customerID string) (bool, error)
	SetReminders(ctx context.Context, customerID string, on bool) (bool, error)
	// ReminderPlans lists, with all their bills, the plans with an unpaid bill
	// due on due and no reminder of kind recorded, of customers who asked for
	// reminders and have a reachable chat. RecordReminder records one in the
	// transaction that queues it; false means it was recorded before.
	ReminderPlans(ctx context.Context, due supportbot.Date, kind string) ([]supportbot.Plan, error)
	RecordReminder(ctx context.Context, customerID, planID string, period int, kind string) (bool, error)
	// AnnouncementText is the operator's announcement in force, in lang; ""
	// when none is (never set, cleared, expired).
	AnnouncementText(ctx context.Context, lang supportbot.Lang) (string, error)
	// AnnouncementRecipients lists up to limit reachable linked chats the
	// announcement in force has yet to be broadcast to, with its id (0 when
	// there is no broadcast to do); AnnouncementQueued records them queued,
	// and done finishes the broadcast.
	AnnouncementRecipients(ctx context.Context, limit int) (int64, []supportbot.Conversation, error)
	AnnouncementQueued(ctx context.Context, id int64, chatIDs []int64, done bool) error

	// Enqueue writes replies to the outbox; they are sent after the commit.
	Enqueue(ctx context.Context, replies []supportbot.Reply) error

	AppendAudit(ctx context.Context, e supportbot.AuditEntry) error
	AddNotice(ctx context.Context, n supportbot.Notice) error
	Notices(ctx context.Context, customerID string, limit int) ([]supportbot.Notice, error)
}

// BeginFunc starts a transaction.
type BeginFunc func(ctx context.Context) (Tx, error)

// Classifier tells what free text is about.
type Classifier interface {
	Classify(text string) Classification
}

// Classification is a Classifier's verdict on one text.
type Classification struct {
	// Kind is "flow" (ID names a flow intent), "faq" (ID names a topic) or
	// "none". Confident is set when the top match is good enough to act on;
	// otherwise Suggestions holds the closest topics, if any are close.
	Kind        string
	ID          string
	Score       float64
	Confident   bool
	Suggestions []string
}

// Answers gives the FAQ's answers and titles.
type Answers interface {
	// Answer is the topic's answer in lang and the flow it relates to, if any.
	Answer(id string, lang supportbot.Lang) (text, flow string, ok bool)
	// Title is a short label for a button.
	Title(id string, lang supportbot.Lang) string
}

// Payments moves money. The key is the idempotency key of the charge: a
// gateway that sees it twice charges once.
type Payments interface {
	// Charge debits the card; it returns an error with code EDECLINED when the
	// bank refuses, and nothing was taken.
	Charge(ctx context.Context, c Charge) error
}

// Charge is one debit.
type Charge struct {
	Key        string
	CustomerID string
	PlanID     string
	Card       supportbot.Card
	Amount     supportbot.Money
}

// EDECLINED is the error code of a charge the bank refused.
const EDECLINED = "declined"

// LedgerPayments is the built-in payment path: the payment is only recorded in
// the database (by the flow, in the step's transaction). It declines frozen
// cards the way a bank would.
type LedgerPayments struct{}

// Charge implements Payments.
func (LedgerPayments) Charge(_ context.Context, c Charge) error {
	if c.Card.Frozen {
		return supportbot.Errorf(EDECLINED, "card %s declined by the bank", c.Card.ID)
	}
	return nil
}
