package supportbot

import (
	"strconv"
	"strings"
	"time"
)

// EventKind says what the customer did.
type EventKind string

const (
	EventText    EventKind = "text"    // free text
	EventCommand EventKind = "command" // /start, /bill …; Text holds the command without "/", Args the rest
	EventButton  EventKind = "button"  // an inline button; Data holds its callback data
	EventContact EventKind = "contact" // a shared contact; Phone and ContactUserID are set
	EventMedia   EventKind = "media"   // a photo, document or anything else without text

	// Internal events: they enter a chat's inbox like a customer's, so that a
	// chat's steps run one at a time, in order, whatever caused them.
	EventSettled EventKind = "settled" // a money action of the chat has an outcome; Data is its key
	EventCore    EventKind = "core"    // a core system event concerning the chat; Core is set
	EventAgent   EventKind = "agent"   // an agent acted on the chat's ticket; Agent is set

	// EventEdit is a message edited after it was sent: MessageID names it,
	// Text is its new text (or caption).
	EventEdit EventKind = "edit"
	// EventMember is the chat's user blocking (Data "kicked") or unblocking
	// (Data "member") the bot: Telegram's my_chat_member.
	EventMember EventKind = "member"
	// EventUndelivered is a reply to the chat that Telegram refused for good:
	// Data is the reply's Track (which message it was), Text why
	// (UndeliveredBlocked, UndeliveredGone or UndeliveredRejected).
	EventUndelivered EventKind = "undelivered"
	// EventTopicClosed is a person closing a forum topic of the staff chat
	// by hand (ThreadID names it): Telegram's forum_topic_closed.
	EventTopicClosed EventKind = "topic_closed"
	// EventPhoneClaimed is another Telegram account proving the phone the
	// chat was linked through (Phone), for the customer Data names: a
	// number belongs to one account at a time, so this chat's has lost it.
	// ContactUserID is the account that proved it.
	EventPhoneClaimed EventKind = "phone_claimed"
)

// Why a reply was not delivered (EventUndelivered's Text).
const (
	UndeliveredBlocked  = "blocked"  // the user blocked the bot
	UndeliveredGone     = "gone"     // the chat or the account no longer exists
	UndeliveredRejected = "rejected" // Telegram refused this message
	// UndeliveredNotCopied: a customer's message Telegram would not copy
	// into their ticket's topic (told to the customer's chat).
	UndeliveredNotCopied = "not_copied"
)

// AgentEventKind says what an agent did.
type AgentEventKind string

const (
	AgentMessage  AgentEventKind = "message"  // a reply to relay (Text, or a copy of a message)
	AgentClaim    AgentEventKind = "claim"    // took the ticket
	AgentClose    AgentEventKind = "close"    // closed the ticket
	AgentFAQ      AgentEventKind = "faq"      // sent an FAQ answer (Text is the topic id)
	AgentReferred AgentEventKind = "referred" // the staff chat refuses the bot: the customer gets the hotline
	AgentEdit     AgentEventKind = "edit"     // edited a relayed reply (MessageID, Text)
	AgentTransfer AgentEventKind = "transfer" // passed the ticket to another agent (AgentName is the new one)
	AgentReopen   AgentEventKind = "reopen"   // reopened a closed ticket
	AgentUnsend   AgentEventKind = "unsend"   // took back a relayed reply (MessageID)
)

// AgentEvent is what an agent did in a ticket's topic, for the customer's chat.
type AgentEvent struct {
	Kind      AgentEventKind
	TicketID  int64
	AgentID   int64
	AgentName string
	Text      string
	// CopyFromChat and CopyFromMessage name a photo or document to relay;
	// Album, when set, is an album's messages (CopyFromMessage is the first).
	CopyFromChat    int64
	CopyFromMessage int64
	Album           []int64 `json:",omitempty"`
	// MessageID is the agent's message in the staff chat (a reply, or the
	// one an edit changed): the customer's copy is tracked by it.
	MessageID int64 `json:",omitempty"`
	// Forwarded marks a message the agent forwarded into the topic:
	// someone else's words, said so to the customer.
	Forwarded bool `json:",omitempty"`
	// ReplyTo is the customer's message the agent replied to (their post
	// of it, replied to in the topic): the customer's copy replies to it.
	ReplyTo int64 `json:",omitempty"`
}

// Event is one thing that happened in one chat, channel-neutral: what a
// customer (or an agent in the staff chat) did, or an internal event.
type Event struct {
	// Source identifies the event for deduplication: an event whose source
	// was taken before is dropped (a redelivered update, a core event sent
	// again). "" when the channel has no such id (the console).
	Source        string
	UpdateID      int64 // the channel's update id, for logs
	ChatID        int64
	UserID        int64
	FirstName     string
	Username      string // the sender's Telegram @username, if any
	LanguageCode  string // the client's language (Telegram language_code)
	Kind          EventKind
	Text          string
	Args          string
	Data          string
	Phone         string
	ContactUserID int64
	MessageID     int64 // the channel's message id (for relaying media)
	// Album lists the message ids of an album (media sent together), the
	// first being MessageID; the channel gathers them into one event.
	Album []int64 `json:",omitempty"`
	// AlbumItem marks a later item of an album whose earlier item came as an
	// event of its own (a webhook takes one item a request): relayed like
	// any media, but not answered again.
	AlbumItem bool  `json:",omitempty"`
	ThreadID  int64 // the forum topic, for messages in the staff chat
	// ReplyTo is the message of the chat this one replies to (0: none);
	// Forwarded marks a message forwarded from elsewhere, or sent through
	// an inline bot: someone's words, not the customer's own — neither confirms a step (a "确认" sent as a
	// reply to an older quote, or forwarded, is not a yes to the step now).
	ReplyTo   int64 `json:",omitempty"`
	Forwarded bool  `json:",omitempty"`
	// RepliedElsewhere marks a reply to a message of another chat: not to
	// the step here either.
	RepliedElsewhere bool `json:",omitempty"`
	// TopicName is the name the message's topic was made with, when
	// Telegram says it (a message in a topic replies to the topic's first
	// message, unless it replies to another one).
	TopicName string `json:",omitempty"`
	// Anonymous marks a message an admin of the staff chat sent as the group
	// (Telegram's "remain anonymous"): who wrote it is not known.
	Anonymous bool `json:",omitempty"`
	// Unlisted marks a message in a topic of the staff chat from a member
	// who is not one of its agents: never relayed, never obeyed, but shown
	// so (a desk probe: a supervisor's replies went nowhere without a sign).
	Unlisted bool      `json:",omitempty"`
	Time     time.Time // when the bot took it
	// Sent is when the customer sent the message, as Telegram says (to the
	// second; zero when it does not say, as for a button): a message sent
	// long before the bot took it was held up on the way, not typed in a
	// flood (flows' per-chat bound).
	Sent  time.Time   `json:",omitzero"`
	Core  *CoreEvent  `json:",omitempty"` // EventCore
	Agent *AgentEvent `json:",omitempty"` // EventAgent
	// Masked is set when the channel masked card or ID numbers in Text
	// before keeping it: the customer is warned, nothing unmasked is kept.
	Masked bool `json:",omitempty"`
	// FileName is the text a copy of the media carries besides its caption
	// (EventMedia): a file's name, an audio's title, a poll's question and
	// options, a venue's name and address. FileHidden is set when it held a
	// card or ID number, masked in FileName: the media, which carries it, is
	// not relayed as it is.
	FileName   string `json:",omitempty"`
	FileHidden bool   `json:",omitempty"`
}

// UpdateSource is the Source of a Telegram update (update ids start at 0).
func UpdateSource(updateID int64) string { return "u:" + strconv.FormatInt(updateID, 10) }

// Queued is an event waiting in its chat's inbox.
type Queued struct {
	ID       int64
	Event    Event
	Attempts int // steps that failed on it so far
	// More says another event of the chat waited behind this one when it
	// was read: without it the chat's worker stops after this step, and an
	// event that comes meanwhile wakes the dispatcher (no empty read).
	More bool
}

// Reply is one message to send to a chat.
type Reply struct {
	ChatID   int64  `json:"chat_id,omitempty"`
	ThreadID int64  `json:"thread_id,omitempty"` // a forum topic in the staff chat
	Text     string `json:"text"`
	// Buttons are inline buttons, rows of them.
	Buttons [][]Button `json:"buttons,omitempty"`
	// AskContact shows a one-tap "share my phone number" keyboard with this label.
	AskContact string `json:"ask_contact,omitempty"`
	// Keyboard adds plain reply-keyboard buttons (sent back as text) below the
	// contact button.
	Keyboard []string `json:"keyboard,omitempty"`
	// RemoveKeyboard hides a previously shown reply keyboard.
	RemoveKeyboard bool `json:"remove_keyboard,omitempty"`
	// TicketID sends into the forum topic of a hand-off ticket in the staff
	// chat, which the sender creates (named TopicName) when the ticket has none
	// or Telegram lost it; CloseTopic closes that topic instead of sending.
	TicketID   int64  `json:"ticket_id,omitempty"`
	TopicName  string `json:"topic_name,omitempty"`
	CloseTopic bool   `json:"close_topic,omitempty"`
	// CopyFrom relays a customer's or agent's message (photo, document…) by
	// id; CopyMessages relays an album as one (copyMessages), from CopyFromChat.
	CopyFromChat    int64   `json:"copy_from_chat,omitempty"`
	CopyFromMessage int64   `json:"copy_from_message,omitempty"`
	CopyMessages    []int64 `json:"copy_messages,omitempty"`
	// HideCaption relays the copy without its caption (one with a card or
	// ID number the customer typed); Caption, HTML, shows instead on a
	// single message (copyMessage; an album's copy cannot be given one).
	HideCaption bool   `json:"hide_caption,omitempty"`
	Caption     string `json:"caption,omitempty"` // at most CaptionLimit characters shown
	// Edit replaces the text and inline keyboard of this message of the chat
	// (the one a pressed button belongs to) instead of sending a new one; a
	// message that can no longer be edited gets a new message instead.
	Edit int64 `json:"edit,omitempty"`
	// EditStep edits the message recorded under this Nonce if the sender
	// knows it, before Edit (a "working on it" message becomes the outcome:
	// sent after a typed confirmation, or anew when the pressed message
	// could not be edited); otherwise Edit, or a new message, says it.
	EditStep string `json:"edit_step,omitempty"`
	// Nonce is the step the reply's step buttons belong to: the sender keeps
	// which message shows it, so that Strip can take its keyboard off.
	Nonce string `json:"nonce,omitempty"`
	// Strip takes the inline keyboard off the message that showed the step
	// Strip (the customer left that step by typing): nothing else is sent.
	Strip string `json:"strip,omitempty"`
	// Pressed, with Edit, is the step whose button was pressed on that
	// message: another message the sender knows to show that step (a copy
	// Telegram took twice, the first answer lost) loses its keyboard.
	Pressed string `json:"pressed,omitempty"`
	// Track names the message this reply makes, within its chat: a later
	// reply with the same Track edits that message instead of sending a new
	// one, and replaces it in the outbox if it was not sent yet (a burst of
	// a customer's messages is one post in the topic; an agent's edit
	// edits the customer's copy). A message that can no longer be edited
	// gets a new one.
	Track string `json:"track,omitempty"`
	// Withdraw, with Track, takes back the message Track made in the chat
	// (an agent's reply sent to the wrong customer): deleted, or emptied
	// where Telegram no longer deletes it; one not sent yet is not sent.
	Withdraw bool `json:"withdraw,omitempty"`
	// ReplyTo makes the message a reply to this message of the chat.
	ReplyTo int64 `json:"reply_to,omitempty"`
	// React sets the bot's reaction Reaction (an emoji Telegram accepts) on
	// this message of the chat instead of sending anything: an agent's
	// command acknowledged without a post. Where the chat takes no
	// reactions, Text (or the emoji) is posted instead.
	React    int64  `json:"react,omitempty"`
	Reaction string `json:"reaction,omitempty"`
	// EditTopic renames the ticket's topic to TopicName with icon TopicIcon
	// (a custom emoji id; "" for none); ReopenTopic reopens it. TopicIcon is
	// also the icon a new topic gets.
	EditTopic   bool   `json:"edit_topic,omitempty"`
	ReopenTopic bool   `json:"reopen_topic,omitempty"`
	TopicIcon   string `json:"topic_icon,omitempty"`
}

// Button is an inline button. Data is at most 64 bytes (Telegram's limit).
type Button struct {
	Text string `json:"text"`
	Data string `json:"data"`
}

// MaxButtonData is Telegram's limit on callback data, in bytes.
const MaxButtonData = 64

// OutboxMessage is a reply waiting in the outbox to be sent.
type OutboxMessage struct {
	ID       int64
	Reply    Reply
	Attempts int // failed attempts so far
}

// Summary is the event as a transcript line: the text, or what was sent.
func (e Event) Summary() string {
	switch e.Kind {
	case EventText:
		if e.Forwarded { // someone else's words, not the customer's question
			return "[forwarded] " + e.Text
		}
		return e.Text
	case EventCommand:
		return strings.TrimSpace("/" + e.Text + " " + e.Args)
	case EventButton:
		if e.Text != "" { // the pressed button's label
			return "[" + e.Text + "]"
		}
		return "[button]"
	case EventContact:
		return "[contact]"
	case EventSettled, EventCore, EventAgent, EventMember, EventUndelivered:
		return ""
	case EventEdit:
		return "✏️ " + e.Text
	}
	if e.Text != "" {
		return "[media] " + e.Text
	}
	return "[media]"
}

// Outcome is what handling one event produced.
type Outcome struct {
	Replies []Reply
	Err     error // the event changed nothing; Replies hold an apology
}

// CaptionLimit is the longest caption Telegram takes, in characters shown
// (counted as TextLen counts them).
const CaptionLimit = 1024

// TextLen is the length of text as Telegram measures its limits: in UTF-16
// code units, so an emoji outside the Basic Multilingual Plane counts two.
func TextLen(text string) int {
	n := 0
	for _, r := range text {
		n++
		if r > 0xFFFF {
			n++
		}
	}
	return n
}
