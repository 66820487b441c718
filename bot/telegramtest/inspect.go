package telegramtest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SentMessage is a message the bot sent, in its current state: edits update
// Text, ParseMode and Markup (and count in Edits); deleteMessage sets Deleted.
type SentMessage struct {
	Method        string // sendMessage, sendPhoto, sendDocument or copyMessage
	ChatID        int64
	ThreadID      int64 // message_thread_id, 0 if none
	MessageID     int64
	ReplyTo       int64  // reply_to_message_id
	Text          string // text or caption as the bot sent it (before parse_mode)
	ParseMode     string
	FileID        string  // photo/document file_id (for copies: the source's)
	Markup        *Markup // nil if none
	CopyFromChat  int64   // copyMessage source
	CopyOfMessage int64
	Date          time.Time
	Edits         int
	Deleted       bool
}

// Buttons lists the inline keyboard's buttons row by row.
func (m SentMessage) Buttons() []Button {
	var bs []Button
	if m.Markup != nil {
		for _, row := range m.Markup.Inline {
			bs = append(bs, row...)
		}
	}
	return bs
}

// Markup is a parsed reply_markup.
type Markup struct {
	Inline         [][]Button // inline_keyboard
	Keyboard       [][]Button // reply keyboard
	RequestContact bool       // a Keyboard button has request_contact
	RemoveKeyboard bool
	ForceReply     bool
	OneTime        bool
	Resize         bool
}

// Button is an inline or reply keyboard button.
type Button struct {
	Text           string `json:"text"`
	Data           string `json:"callback_data,omitempty"`
	URL            string `json:"url,omitempty"`
	RequestContact bool   `json:"request_contact,omitempty"`
}

// Topic is a forum topic created through the API (or implied by SendGroupText).
type Topic struct {
	ChatID, ThreadID int64
	Name             string
	IconColor        int64
	Closed, Deleted  bool
}

// CallbackAnswer is a recorded answerCallbackQuery.
type CallbackAnswer struct {
	QueryID, Text string
	ShowAlert     bool
	URL           string
	CacheTime     int
}

// BotCommand is an entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// Webhook is the webhook configuration set by setWebhook.
type Webhook struct {
	URL            string
	SecretToken    string
	MaxConnections int
	AllowedUpdates []string
	LastError      string // last DeliverWebhook failure
}

// Sent returns every message the bot sent, in order.
func (s *Server) Sent() []SentMessage { return s.sentWhere(func(*SentMessage) bool { return true }) }

// SentTo returns the messages the bot sent to chatID, in order.
func (s *Server) SentTo(chatID int64) []SentMessage {
	return s.sentWhere(func(m *SentMessage) bool { return m.ChatID == chatID })
}

func (s *Server) sentWhere(keep func(*SentMessage) bool) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SentMessage
	for _, m := range s.sent {
		if keep(m) {
			out = append(out, *m)
		}
	}
	return out
}

// WaitSent waits for a sent message matching pred and returns the first one.
// pred runs with the server locked: it must not call the Server.
func (s *Server) WaitSent(ctx context.Context, pred func(SentMessage) bool) (SentMessage, error) {
	var found SentMessage
	err := s.waitUntil(ctx, func() bool {
		for _, m := range s.sent {
			if pred(*m) {
				found = *m
				return true
			}
		}
		return false
	})
	return found, err
}

// WaitConfirmed waits until the bot has confirmed updateID (via getUpdates offset
// or webhook delivery), i.e. it asked for the updates after it.
func (s *Server) WaitConfirmed(ctx context.Context, updateID int64) error {
	return s.waitUntil(ctx, func() bool { return s.offset > updateID })
}

// CallbackAnswers returns the answerCallbackQuery calls, in order.
func (s *Server) CallbackAnswers() []CallbackAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CallbackAnswer(nil), s.answers...)
}

// UnansweredCallbacks returns the sorted ids of callback queries the bot never answered.
func (s *Server) UnansweredCallbacks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, answered := range s.queries {
		if !answered {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Calls counts requests for method (case-insensitive), including failed ones.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[strings.ToLower(method)]
}

// Commands returns the last setMyCommands list.
func (s *Server) Commands() []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]BotCommand(nil), s.commands...)
}

// Topics returns the forum topics in creation order.
func (s *Server) Topics() []Topic {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Topic, len(s.topicSeq))
	for i, t := range s.topicSeq {
		out[i] = *t
	}
	return out
}

// Webhook returns the current webhook (zero URL if none).
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.webhook
	w.AllowedUpdates = append([]string(nil), w.AllowedUpdates...)
	return w
}

// Offset is the highest offset confirmed so far: updates below it are gone.
func (s *Server) Offset() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offset
}

// Pending returns the updates not yet confirmed, oldest first.
func (s *Server) Pending() []Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Update(nil), s.pending...)
}

// NewBotAPI returns a real tgbotapi client for s, with an HTTP timeout long
// enough for long polls of up to 60 s.
func (s *Server) NewBotAPI() (*tgbotapi.BotAPI, error) {
	return tgbotapi.NewBotAPIWithClient(s.token, s.Endpoint(), &http.Client{Timeout: 70 * time.Second})
}

// Start starts a Server that is closed when the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := New(opts...)
	tb.Cleanup(s.Close)
	return s
}

// Bot is NewBotAPI failing tb on error.
func (s *Server) Bot(tb testing.TB) *tgbotapi.BotAPI {
	tb.Helper()
	bot, err := s.NewBotAPI()
	if err != nil {
		tb.Fatalf("telegramtest: NewBotAPI: %v", err)
	}
	return bot
}

// WaitFor waits until at least n messages were sent to chatID and returns all
// messages sent there; on timeout it fails tb, listing what was sent.
func (s *Server) WaitFor(tb testing.TB, chatID int64, n int, timeout time.Duration) []SentMessage {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := s.waitUntil(ctx, func() bool {
		c := 0
		for _, m := range s.sent {
			if m.ChatID == chatID {
				c++
			}
		}
		return c >= n
	})
	got := s.SentTo(chatID)
	if err != nil {
		var b strings.Builder
		for _, m := range got {
			fmt.Fprintf(&b, "\n  #%d %s %q", m.MessageID, m.Method, m.Text)
		}
		tb.Fatalf("telegramtest: want %d messages to chat %d within %v, got %d:%s", n, chatID, timeout, len(got), b.String())
	}
	return got
}
