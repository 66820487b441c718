package flows

import (
	"context"
	"time"

	"supportbot"
)

// The bot's own state, as the engine uses it: small interfaces by what their
// consumer does, read outside any transaction (under the chat's turn) and
// written in one transaction per step (Store.Update). Errors: ENOTFOUND when
// a finder finds nothing; ECONFLICT where a uniqueness rule is documented.

// Inbox keeps every event a chat must handle until its step committed.
type Inbox interface {
	// PendingChats lists up to limit chats with an event due by now.
	PendingChats(ctx context.Context, now time.Time, limit int) ([]int64, error)
	// NextEvent is the chat's oldest waiting event (ENOTFOUND when none is due).
	NextEvent(ctx context.Context, chatID int64, now time.Time) (*supportbot.Queued, error)
	// RetryEvent postpones an event whose step failed (the chat's later
	// events wait behind it); SetAsideEvent postpones one that holds back
	// only the chat's later events of its kind.
	RetryEvent(ctx context.Context, id int64, at time.Time) error
	SetAsideEvent(ctx context.Context, id int64, at time.Time) error
}

// StepMessages knows which message of a chat shows its latest step (the
// sender records it when it sends the step's buttons), and what still
// waits to be sent to it.
type StepMessages interface {
	// StepMessage is the message showing step nonce's buttons; 0 when none
	// is known.
	StepMessage(ctx context.Context, chatID int64, nonce string) (int64, error)
	// ChatMessages lists the replies waiting to be sent to a chat.
	ChatMessages(ctx context.Context, chatID int64) ([]supportbot.OutboxMessage, error)
}

// ConversationReader finds conversations.
type ConversationReader interface {
	// Conversation returns ENOTFOUND for a chat seen for the first time.
	Conversation(ctx context.Context, chatID int64) (*supportbot.Conversation, error)
	// CustomerConversations lists the reachable chats linked to a customer.
	CustomerConversations(ctx context.Context, customerID string) ([]supportbot.Conversation, error)
}

// TicketReader finds hand-off tickets (ENOTFOUND when none).
type TicketReader interface {
	OpenTicket(ctx context.Context, chatID int64) (*supportbot.Ticket, error)
	Ticket(ctx context.Context, id int64) (*supportbot.Ticket, error)
	LastTicket(ctx context.Context, chatID int64) (*supportbot.Ticket, error)
	TicketByTopic(ctx context.Context, topicID int64) (*supportbot.Ticket, error)
	// QueuePosition is the ticket's place among unclaimed open tickets.
	QueuePosition(ctx context.Context, t *supportbot.Ticket) (int, error)
	// UnansweredTickets lists open tickets from before a time that no agent
	// answered and no reminder was sent for.
	UnansweredTickets(ctx context.Context, before time.Time) ([]supportbot.Ticket, error)
}

// DeskReader is what the agent desk reads beside a ticket.
type DeskReader interface {
	// Queue lists up to limit open tickets, the longest waiting for an
	// answer first (answered ones last), and counts the open ones.
	Queue(ctx context.Context, limit int) ([]supportbot.Ticket, int, error)
	// WaitingForAnswer lists open tickets opened before a time that no
	// agent answered yet, reminded or not.
	WaitingForAnswer(ctx context.Context, before time.Time) ([]supportbot.Ticket, error)
	// QueuedTickets lists open tickets no agent took, in queue order, but
	// those of chats that blocked the bot.
	QueuedTickets(ctx context.Context) ([]supportbot.Ticket, error)
	// PreviousTickets lists up to limit tickets before beforeID of the
	// customer (when customerID is set) and the chat's unverified ones,
	// newest first — never another customer's the chat was linked to.
	PreviousTickets(ctx context.Context, chatID int64, customerID string, beforeID int64, limit int) ([]supportbot.Ticket, error)
	TicketNotes(ctx context.Context, ticketID int64) ([]supportbot.TicketNote, error)
	// Agents lists the agents seen in the staff chat.
	Agents(ctx context.Context) ([]supportbot.Agent, error)
	// Relayed reports whether a reply tracked as track was relayed to a chat
	// (TrackReply): an agent's edit is relayed only for a message that was.
	Relayed(ctx context.Context, chatID int64, track string) (bool, error)
	// TrackOf is the track of the reply that made a message in a chat (""
	// when none): a reply in Telegram to it carries its context across.
	TrackOf(ctx context.Context, chatID, messageID int64) (string, error)
}

// ActionReader finds money actions (ENOTFOUND when none has the key).
type ActionReader interface {
	Action(ctx context.Context, key string) (*supportbot.Action, error)
	// CustomerRepayments lists a customer's repayments waiting for an
	// outcome or confirmed since a time, newest first.
	CustomerRepayments(ctx context.Context, customerID string, since time.Time) ([]supportbot.Action, error)
	// CustomerActions is the same for the actions of a kind.
	CustomerActions(ctx context.Context, customerID string, kind supportbot.ActionKind, since time.Time) ([]supportbot.Action, error)
}

// ActionQueue hands money actions to the worker that executes them.
type ActionQueue interface {
	// ClaimActions takes due open actions no live lease holds, for owner.
	ClaimActions(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]supportbot.Action, error)
	// RetryAction leaves an action open in state, to be tried at next.
	RetryAction(ctx context.Context, key, owner string, state supportbot.ActionState, next time.Time, out supportbot.ActionOutcome) error
}

// ClosureLockReader is the closure identity check's failures and lock.
type ClosureLockReader interface {
	ClosureLock(ctx context.Context, customerID string) (failures int, lockedUntil time.Time, err error)
}

// CustomerPrefs are what the customer chose in the bot.
type CustomerPrefs interface {
	// Reminders reports whether the customer asked for due-date reminders.
	Reminders(ctx context.Context, customerID string) (bool, error)
	// Notices lists the customer's message-center entries, newest first:
	// the latest limit, or those older than the entry with id before.
	Notices(ctx context.Context, customerID string, before int64, limit int) ([]supportbot.Notice, error)
}

// Announcements are the operator's notice in force.
type Announcements interface {
	// AnnouncementText is the announcement in force, in lang; "" when none is.
	AnnouncementText(ctx context.Context, lang supportbot.Lang) (string, error)
}

// ReminderSubscribers lists who is owed a look at their due dates today.
type ReminderSubscribers interface {
	// ReminderCustomers lists customers who asked for reminders, have a
	// reachable chat, and were not checked for day yet.
	ReminderCustomers(ctx context.Context, day supportbot.Date, limit int) ([]string, error)
}

// Store is the bot's own state.
type Store interface {
	Inbox
	StepMessages
	ConversationReader
	TicketReader
	DeskReader
	ActionReader
	ActionQueue
	ClosureLockReader
	CustomerPrefs
	Announcements
	ReminderSubscribers
	// Update runs fn in one write transaction, committed when fn returns nil.
	// fn may run more than once (a retried batch): it must not keep state
	// between runs. No network call is made inside it.
	Update(ctx context.Context, fn func(Tx) error) error
}

// Tx is a step's write transaction.
type Tx interface {
	// PutEvents adds events to chats' inboxes (dropping a Source seen
	// before); DoneEvent marks one handled (ECONFLICT: handled meanwhile).
	PutEvents(ctx context.Context, evs []supportbot.Event) (int, error)
	DoneEvent(ctx context.Context, id int64) error
	// SeenEvent records a core event id; false means it was taken before.
	// LatestEvent records one about subject created at; false means one
	// about it created later was taken before, or a final one (a state
	// that ends the subject) at the same instant and this one is not.
	SeenEvent(ctx context.Context, id string) (bool, error)
	LatestEvent(ctx context.Context, subject string, at time.Time, final bool) (bool, error)
	// KnowPlans records plans as the customer's; PlanOwner is the customer
	// of a plan recorded (ENOTFOUND: none).
	KnowPlans(ctx context.Context, customerID string, plans []string) error
	PlanOwner(ctx context.Context, planID string) (string, error)

	Conversation(ctx context.Context, chatID int64) (*supportbot.Conversation, error)
	CustomerConversations(ctx context.Context, customerID string) ([]supportbot.Conversation, error)
	SaveConversation(ctx context.Context, c *supportbot.Conversation) error
	// Enqueue writes replies to the outbox; they are sent after the commit.
	Enqueue(ctx context.Context, replies []supportbot.Reply) error
	// Backlog lists, oldest first, up to limit replies waiting to be sent
	// to a chat, and when the oldest was queued; SlowDownDue reports
	// whether a flooding chat is owed a "slow down" notice (none within
	// every), recording it when it is.
	Backlog(ctx context.Context, chatID int64, limit int) (waiting []supportbot.Reply, since time.Time, err error)
	SlowDownDue(ctx context.Context, chatID int64, every time.Duration) (bool, error)
	AppendAudit(ctx context.Context, e supportbot.AuditEntry) error
	AddNotice(ctx context.Context, n supportbot.Notice) error

	// CreateTicket returns ECONFLICT when the chat has an open ticket.
	CreateTicket(ctx context.Context, t *supportbot.Ticket) error
	UpdateTicket(ctx context.Context, t *supportbot.Ticket) error
	// TicketReminded records reminder seen+1 of an open, unanswered ticket;
	// false when it was sent before (or the ticket was answered or closed
	// meanwhile).
	TicketReminded(ctx context.Context, id int64, seen int, at time.Time) (bool, error)
	OpenTicket(ctx context.Context, chatID int64) (*supportbot.Ticket, error)
	Ticket(ctx context.Context, id int64) (*supportbot.Ticket, error)
	QueuePosition(ctx context.Context, t *supportbot.Ticket) (int, error)
	// AddTicketNote keeps an agent's note; SeeAgent records an agent's name;
	// TrackReply records that a tracked reply is relayed to a chat.
	AddTicketNote(ctx context.Context, n supportbot.TicketNote) error
	SeeAgent(ctx context.Context, a supportbot.Agent) error
	TrackReply(ctx context.Context, chatID int64, track string) error

	// CreateAction returns ECONFLICT when the key was used before; with an
	// owner the action is created claimed by it until until.
	CreateAction(ctx context.Context, a *supportbot.Action, owner string, until time.Time) error
	// RepaymentUnderWay reports a repayment of the customer's plan, other
	// than key, waiting for its outcome (seen by steps committing at once).
	RepaymentUnderWay(ctx context.Context, customerID, planID, key string) (bool, error)
	Action(ctx context.Context, key string) (*supportbot.Action, error)
	// SettleAction records an outcome; false when the action was settled
	// already. owner, when set, must hold its lease.
	SettleAction(ctx context.Context, key, owner string, state supportbot.ActionState, out supportbot.ActionOutcome) (bool, error)
	NoteAction(ctx context.Context, key string, out supportbot.ActionOutcome) error
	// ReleaseAction settles an unknown action no instance has claimed
	// since quiet as failed; false when it is not unknown or is claimed.
	ReleaseAction(ctx context.Context, key string, quiet time.Time, out supportbot.ActionOutcome) (bool, error)
	// CorrectAction settles a failed action as succeeded; false when it is
	// not failed.
	CorrectAction(ctx context.Context, key string, out supportbot.ActionOutcome) (bool, error)

	// RecordClosureFailure counts a failed identity check (the lockAfter-th
	// in a row locks closure for lockFor); ResetClosureFailures forgets them.
	RecordClosureFailure(ctx context.Context, customerID string, lockAfter int, lockFor time.Duration) (int, time.Time, error)
	ResetClosureFailures(ctx context.Context, customerID string) error

	// SetReminders switches reminders and reports whether that changed
	// anything; RecordReminder records one queued (false: it was before);
	// ReminderChecked records a subscriber looked at for a day.
	SetReminders(ctx context.Context, customerID string, on bool) (bool, error)
	RecordReminder(ctx context.Context, customerID, planID string, period int, kind string) (bool, error)
	ReminderChecked(ctx context.Context, customerID string, day supportbot.Date) error

	// AnnouncementRecipients lists up to limit reachable linked chats the
	// broadcast in force has yet to reach (id 0: no broadcast to do);
	// AnnouncementQueued records them, done finishes the broadcast.
	AnnouncementRecipients(ctx context.Context, limit int) (int64, []supportbot.Conversation, error)
	AnnouncementQueued(ctx context.Context, id int64, chatIDs []int64, done bool) error
}

// ChatTurns gives a chat's events to one worker at a time, across every
// instance of the bot: a chat's steps run one after another, in order.
type ChatTurns interface {
	// TakeTurn claims the chat for this instance until it gives the turn back
	// (or the claim runs out after a crash); false when another holds it.
	TakeTurn(ctx context.Context, chatID int64) (bool, error)
	GiveTurn(ctx context.Context, chatID int64) error
}

// Jobs lets a periodic job run on one instance at a time.
type Jobs interface {
	// TakeJob claims the job named name until the claim runs out; false when
	// another instance holds it.
	TakeJob(ctx context.Context, name string, lease time.Duration) (bool, error)
	// GiveJob gives the claim back, if this instance holds it.
	GiveJob(ctx context.Context, name string) error
}
