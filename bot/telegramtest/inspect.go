package telegramtest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SentMessage is a message the bot sent, in its current state: edits update
// Text, Plain, Entities, ParseMode and Markup (and count in Edits);
// deleteMessage sets Deleted.
type SentMessage struct {
	Method        string // sendMessage, sendPhoto, sendDocument, sendMediaGroup, copyMessage or copyMessages
	ChatID        int64
	ThreadID      int64 // message_thread_id, 0 if none
	MessageID     int64
	ReplyTo       int64  // reply_to_message_id
	Text          string // text or caption as the bot sent it (before parse_mode)
	ParseMode     string
	Plain         string   // text or caption as the user sees it (after parse_mode)
	Entities      []Entity // of Plain
	FileID        string   // photo/document file_id (for copies: the source's)
	MediaGroupID  string   // album (sendMediaGroup, copyMessages of an album)
	Markup        *Markup  // nil if none
	CopyFromChat  int64    // copyMessage source
	CopyOfMessage int64
	Date          time.Time
	Edits         int
	Deleted       bool
}

// Styled lists the parts of Plain that entities of type typ cover, e.g.
// Styled("bold") or Styled("code").
func (m SentMessage) Styled(typ string) []string { return styled(m.Plain, m.Entities, typ) }

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

// CallbackAnswer is a recorded answerCallbackQuery: what the user saw (Text
// as a toast, or an alert when ShowAlert) after pressing a button.
type CallbackAnswer struct {
	QueryID, Text string
	ShowAlert     bool
	URL           string
	CacheTime     int
	ChatID        int64  // the pressed button's message
	MessageID     int64  //
	Data          string // the pressed button's callback data
	Date          time.Time
}

// ChatMessage is the current state of a message in a chat, from the bot or a
// user, as the people in the chat see it.
type ChatMessage struct {
	ChatID, ThreadID, MessageID int64
	From                        int64 // sender's user id (the bot's for the bot's messages)
	FromBot                     bool  // sent by the bot through the API
	Text                        string
	Entities                    []Entity // of Text
	Caption                     bool     // Text is a media caption
	MediaType                   string   // photo, video, audio, document or ""
	FileID                      string
	MediaGroupID                string
	InlineKeyboard              [][]Button // nil if none
	Reactions                   []string   // the bot's
	Service                     string     // forum_topic_created for a topic's first message (Text: the topic's name)
	Date, EditDate              time.Time  // EditDate zero if never edited
	Edits                       int
}

// Styled lists the parts of Text that entities of type typ cover.
func (m ChatMessage) Styled(typ string) []string { return styled(m.Text, m.Entities, typ) }

// Buttons lists the inline keyboard's buttons row by row.
func (m ChatMessage) Buttons() []Button {
	var bs []Button
	for _, row := range m.InlineKeyboard {
		bs = append(bs, row...)
	}
	return bs
}

// Version is a state of a message: as sent, or after an edit.
type Version struct {
	Text           string // text or caption as the user sees it
	Entities       []Entity
	InlineKeyboard [][]Button // nil if none
	Date           time.Time
	By             string // the method that made it (sendMessage, editMessageText, …) or "user"
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

// WaitAnswered waits until every callback query the bot was given has been
// answered. The bot answers them in the background, so a reply can overtake
// its answer.
func (s *Server) WaitAnswered(ctx context.Context) error {
	return s.waitUntil(ctx, func() bool {
		for _, q := range s.queries {
			if !q.answered {
				return false
			}
		}
		return true
	})
}

// UnansweredCallbacks returns the sorted ids of callback queries the bot never answered.
func (s *Server) UnansweredCallbacks() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, q := range s.queries {
		if !q.answered {
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

// Topics returns the forum topics in creation order.
func (s *Server) Topics() []Topic {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Topic, len(s.topicSeq))
	for i, t := range s.topicSeq {
		out[i] = t.clone()
	}
	return out
}

// Messages returns the current state of every message in chatID that was
// not deleted, by message id: the bot's and the users'.
func (s *Server) Messages(chatID int64) []ChatMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ChatMessage
	for k, r := range s.msgs {
		if k.chat == chatID {
			out = append(out, s.chatMessage(r))
		}
	}
	slices.SortFunc(out, func(a, b ChatMessage) int { return cmp.Compare(a.MessageID, b.MessageID) })
	return out
}

// Message returns the current state of one message.
func (s *Server) Message(chatID, messageID int64) (ChatMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.msgs[msgKey{chatID, messageID}]; r != nil {
		return s.chatMessage(r), true
	}
	return ChatMessage{}, false
}

// LiveKeyboards returns the messages in chatID that still carry an inline
// keyboard, by message id: after a finished step there should be none but
// the current one.
func (s *Server) LiveKeyboards(chatID int64) []ChatMessage {
	var out []ChatMessage
	for _, m := range s.Messages(chatID) {
		if len(m.Buttons()) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// EditsOf returns the versions a message's edits made, oldest first (nil if
// it was never edited); each is the state right after that edit.
func (s *Server) EditsOf(chatID, messageID int64) []Version {
	v := s.Versions(chatID, messageID)
	if len(v) < 2 {
		return nil
	}
	return v[1:]
}

// Versions returns a message's history: as sent, then after each edit. A
// deleted message has none.
func (s *Server) Versions(chatID, messageID int64) []Version {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.msgs[msgKey{chatID, messageID}]; r != nil {
		return cloneVersions(r.versions)
	}
	return nil
}

func cloneVersions(vs []Version) []Version {
	out := slices.Clone(vs)
	for i := range out {
		out[i].Entities = slices.Clone(out[i].Entities)
		out[i].InlineKeyboard = cloneKeyboard(out[i].InlineKeyboard)
	}
	return out
}

func cloneKeyboard(kb [][]Button) [][]Button {
	if kb == nil {
		return nil
	}
	out := make([][]Button, len(kb))
	for i, row := range kb {
		out[i] = slices.Clone(row)
	}
	return out
}

// inlineOf decodes a Message's reply_markup into its inline keyboard.
func inlineOf(raw json.RawMessage) [][]Button {
	if len(raw) == 0 {
		return nil
	}
	var w struct {
		Inline [][]Button `json:"inline_keyboard"`
	}
	json.Unmarshal(raw, &w)
	if len(w.Inline) == 0 {
		return nil
	}
	return w.Inline
}

// chatMessage builds the inspection view of r; s.mu must be held.
func (s *Server) chatMessage(r *msgRec) ChatMessage {
	w := r.wire
	m := ChatMessage{ChatID: w.Chat.ID, ThreadID: w.ThreadID, MessageID: w.MessageID, FromBot: r.sent != nil,
		Text: r.visible(), Entities: slices.Clone(r.ents), MediaGroupID: w.MediaGroupID,
		InlineKeyboard: inlineOf(w.ReplyMarkup), Reactions: slices.Clone(r.reactions), Date: time.Unix(w.Date, 0),
		Edits: max(0, len(r.versions)-1)}
	if w.From != nil {
		m.From = w.From.ID
	}
	m.MediaType, m.FileID = mediaOf(w)
	m.Caption = w.Text == "" && m.MediaType != ""
	if w.EditDate != 0 {
		m.EditDate = time.Unix(w.EditDate, 0)
	}
	if w.TopicCreated != nil {
		m.Service, m.Text = "forum_topic_created", w.TopicCreated.Name
	}
	return m
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
