package supportbot

import (
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
)

// Event is one thing a customer did in one chat, channel-neutral.
type Event struct {
	UpdateID      int64 // the channel's id for deduplication; 0 when it has none
	ChatID        int64
	UserID        int64
	FirstName     string
	LanguageCode  string // the client's language (Telegram language_code)
	Kind          EventKind
	Text          string
	Args          string
	Data          string
	Phone         string
	ContactUserID int64
	MessageID     int64 // the channel's message id (for relaying media)
	ThreadID      int64 // the forum topic, for messages in the staff chat
	Time          time.Time
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
	// CopyFrom relays a customer's or agent's message (photo, document…) by id.
	CopyFromChat    int64 `json:"copy_from_chat,omitempty"`
	CopyFromMessage int64 `json:"copy_from_message,omitempty"`
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
		return e.Text
	case EventCommand:
		return strings.TrimSpace("/" + e.Text + " " + e.Args)
	case EventButton:
		return "[button]"
	case EventContact:
		return "[contact]"
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
