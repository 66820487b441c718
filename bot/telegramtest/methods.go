package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Wire types: the subset of Bot API objects the server produces.
type wUser struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	UserName     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

type wChat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	UserName  string `json:"username,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

type wMessage struct {
	MessageID      int64           `json:"message_id"`
	ThreadID       int64           `json:"message_thread_id,omitempty"`
	From           *wUser          `json:"from,omitempty"`
	Date           int64           `json:"date"`
	Chat           wChat           `json:"chat"`
	EditDate       int64           `json:"edit_date,omitempty"`
	IsTopicMessage bool            `json:"is_topic_message,omitempty"`
	ReplyTo        *wMessage       `json:"reply_to_message,omitempty"`
	Text           string          `json:"text,omitempty"`
	Entities       []wEntity       `json:"entities,omitempty"`
	Caption        string          `json:"caption,omitempty"`
	Photo          []wFile         `json:"photo,omitempty"`
	Document       *wFile          `json:"document,omitempty"`
	Contact        *wContact       `json:"contact,omitempty"`
	TopicCreated   *wTopic         `json:"forum_topic_created,omitempty"`
	ReplyMarkup    json.RawMessage `json:"reply_markup,omitempty"`
}

type wEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
}

type wFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int    `json:"file_size,omitempty"`
}

type wContact struct {
	PhoneNumber string `json:"phone_number"`
	FirstName   string `json:"first_name"`
	UserID      int64  `json:"user_id,omitempty"`
}

type wTopic struct {
	ThreadID  int64  `json:"message_thread_id,omitempty"`
	Name      string `json:"name"`
	IconColor int64  `json:"icon_color"`
}

type wCallback struct {
	ID           string    `json:"id"`
	From         wUser     `json:"from"`
	Message      *wMessage `json:"message,omitempty"`
	ChatInstance string    `json:"chat_instance"`
	Data         string    `json:"data,omitempty"`
}

const (
	errNotModified   = "message is not modified: specified new message content and reply markup are exactly the same as a content and reply markup of the current message"
	errWebhookActive = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
	errPollConflict  = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
	defaultIconColor = 7322096
)

// call runs a Bot API method (lower-cased name).
func (s *Server) call(ctx context.Context, method string, a *args) (any, *apiError) {
	if method == "getupdates" {
		return s.getUpdates(ctx, a)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.changed()
	switch method {
	case "getme":
		return struct {
			wUser
			CanJoinGroups bool `json:"can_join_groups"`
			ReadAll       bool `json:"can_read_all_group_messages"`
			Inline        bool `json:"supports_inline_queries"`
		}{wUser: s.bot, CanJoinGroups: true}, nil
	case "sendmessage":
		text, err := checkText(a.str("text"), a.str("parse_mode"), 4096, false)
		if err != nil {
			return nil, err
		}
		return s.post(a, "sendMessage", func(m *wMessage, sm *SentMessage) { m.Text, sm.Text = text, a.str("text") })
	case "sendphoto", "senddocument":
		return s.sendFile(a, method)
	case "copymessage":
		return s.copyMessage(a)
	case "editmessagetext", "editmessagereplymarkup":
		return s.edit(a, method == "editmessagetext")
	case "deletemessage":
		r, err := s.message(a, "message to delete not found")
		if err != nil {
			return nil, err
		}
		s.drop(r)
		return true, nil
	case "sendchataction":
		if _, _, err := s.target(a); err != nil {
			return nil, err
		}
		if a.str("action") == "" {
			return nil, bad("wrong parameter action in request")
		}
		return true, nil
	case "answercallbackquery":
		id := a.str("callback_query_id")
		if answered, ok := s.queries[id]; !ok || answered {
			return nil, bad("query is too old and response timeout expired or query ID is invalid")
		}
		s.queries[id] = true
		s.answers = append(s.answers, CallbackAnswer{QueryID: id, Text: a.str("text"), ShowAlert: a.bool("show_alert"),
			URL: a.str("url"), CacheTime: int(a.int("cache_time"))})
		return true, nil
	case "setmycommands":
		var cmds []BotCommand
		if json.Unmarshal([]byte(a.str("commands")), &cmds) != nil {
			return nil, bad("can't parse commands JSON object")
		}
		for _, c := range cmds {
			if !validCommand(c.Command) {
				return nil, bad("BOT_COMMAND_INVALID")
			}
			if c.Description == "" || len([]rune(c.Description)) > 256 {
				return nil, bad("BOT_COMMAND_DESCRIPTION_INVALID")
			}
		}
		s.commands = cmds
		return true, nil
	case "getmycommands":
		return append([]BotCommand{}, s.commands...), nil
	case "deletemycommands":
		s.commands = nil
		return true, nil
	case "setwebhook":
		return s.setWebhook(a)
	case "deletewebhook":
		if a.bool("drop_pending_updates") {
			s.dropPending()
		}
		s.webhook = Webhook{}
		return true, nil
	case "getwebhookinfo":
		w := s.webhook
		return struct {
			URL            string   `json:"url"`
			HasCert        bool     `json:"has_custom_certificate"`
			Pending        int      `json:"pending_update_count"`
			LastError      string   `json:"last_error_message,omitempty"`
			MaxConnections int      `json:"max_connections,omitempty"`
			AllowedUpdates []string `json:"allowed_updates,omitempty"`
		}{w.URL, false, len(s.pending), w.LastError, w.MaxConnections, w.AllowedUpdates}, nil
	case "createforumtopic":
		return s.createTopic(a)
	case "closeforumtopic", "reopenforumtopic", "deleteforumtopic", "editforumtopic":
		return s.manageTopic(a, method)
	}
	return nil, &apiError{code: 404, desc: "Not Found: method not found"}
}

func (s *Server) getUpdates(ctx context.Context, a *args) (any, *apiError) {
	offset, limit, timeout := a.int("offset"), a.int("limit"), a.int("timeout")
	if a.err != nil {
		return nil, a.err
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.webhook.URL != "" {
		return nil, &apiError{code: 409, desc: errWebhookActive}
	}
	s.confirm(offset)
	s.pollGen++
	gen := s.pollGen
	s.changed() // an older long poll now ends with 409, as on Telegram
	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout) * time.Second)
		defer t.Stop()
		expired = t.C
	}
	for {
		switch {
		case s.pollGen != gen:
			return nil, &apiError{code: 409, desc: errPollConflict}
		case s.webhook.URL != "":
			return nil, &apiError{code: 409, desc: errWebhookActive}
		case len(s.pending) > 0 || timeout <= 0:
			n := min(int(limit), len(s.pending))
			b := []byte{'['}
			for i, u := range s.pending[:n] {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, u.JSON...)
			}
			return rawJSON(append(b, ']')), nil
		}
		ch := s.notify
		s.mu.Unlock()
		select {
		case <-ch:
		case <-expired:
			timeout = 0
		case <-ctx.Done():
			timeout = 0
		case <-s.done:
			timeout = 0
		}
		s.mu.Lock()
	}
}

// confirm applies a getUpdates offset: updates below it are forgotten, a negative
// offset keeps only the last -offset updates.
func (s *Server) confirm(offset int64) {
	switch {
	case offset < 0:
		if k := int(-offset); k < len(s.pending) {
			s.pending = s.pending[len(s.pending)-k:]
			s.offset = max(s.offset, s.pending[0].ID)
		}
	case offset > 0:
		i := 0
		for i < len(s.pending) && s.pending[i].ID < offset {
			i++
		}
		s.pending = s.pending[i:]
		s.offset = max(s.offset, offset)
	}
}

func (s *Server) dropPending() {
	if n := len(s.pending); n > 0 {
		s.offset = max(s.offset, s.pending[n-1].ID+1)
		s.pending = nil
	}
}

func (s *Server) chatID(a *args, key string) (int64, *apiError) {
	v := a.str(key)
	if v == "" {
		return 0, bad(key + " is empty")
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 || s.missing[id] {
		return 0, bad("chat not found")
	}
	return id, nil
}

// target resolves chat_id and message_thread_id of an outgoing message.
func (s *Server) target(a *args) (chat, thread int64, err *apiError) {
	if chat, err = s.chatID(a, "chat_id"); err != nil {
		return 0, 0, err
	}
	if thread = a.int("message_thread_id"); a.err != nil {
		return 0, 0, a.err
	}
	switch t := s.topics[msgKey{chat, thread}]; {
	case s.blocked[chat] && chat > 0:
		err = &apiError{code: 403, desc: "Forbidden: bot was blocked by the user"}
	case s.blocked[chat]:
		err = &apiError{code: 403, desc: "Forbidden: bot was kicked from the supergroup chat"}
	case thread == 0:
	case t == nil || t.Deleted:
		err = bad("message thread not found")
	case t.Closed:
		err = bad("TOPIC_CLOSED")
	}
	return chat, thread, err
}

// post creates a message from the bot after validating the common send options;
// fill sets the content (already validated).
func (s *Server) post(a *args, method string, fill func(*wMessage, *SentMessage)) (*wMessage, *apiError) {
	chat, thread, err := s.target(a)
	if err != nil {
		return nil, err
	}
	mk, err := parseMarkup(a.str("reply_markup"))
	if err != nil {
		return nil, err
	}
	replyTo := a.int("reply_to_message_id")
	if a.err != nil {
		return nil, a.err
	}
	var reply *wMessage
	if r := s.msgs[msgKey{chat, replyTo}]; r != nil {
		c := *r.wire
		c.ReplyTo, reply = nil, &c
	} else if replyTo != 0 && !a.bool("allow_sending_without_reply") {
		return nil, bad("message to be replied not found")
	}
	m := s.newMessage(chat, thread, s.bot)
	if reply != nil {
		m.ReplyTo = reply
	}
	m.ReplyMarkup = inlineJSON(mk)
	sm := &SentMessage{Method: method, ChatID: chat, ThreadID: thread, MessageID: m.MessageID, ReplyTo: replyTo,
		ParseMode: a.str("parse_mode"), Markup: mk, Date: time.Unix(m.Date, 0)}
	fill(m, sm)
	s.msgs[msgKey{chat, m.MessageID}].sent = sm
	s.sent = append(s.sent, sm)
	return m, nil
}

// newMessage allocates the next message id in chat and registers the message.
// Topic messages reply to the topic's service message, as on Telegram.
func (s *Server) newMessage(chat, thread int64, from wUser) *wMessage {
	s.msgIDs[chat]++
	m := &wMessage{MessageID: s.msgIDs[chat], ThreadID: thread, From: &from, Date: time.Now().Unix(),
		Chat: s.chatWire(chat), IsTopicMessage: thread != 0}
	if r := s.msgs[msgKey{chat, thread}]; thread != 0 && r != nil {
		c := *r.wire
		m.ReplyTo = &c
	}
	s.msgs[msgKey{chat, m.MessageID}] = &msgRec{wire: m}
	return m
}

func (s *Server) chatWire(id int64) wChat {
	if id < 0 {
		return wChat{ID: id, Type: "supergroup", Title: fmt.Sprintf("Group %d", id), IsForum: true}
	}
	u := s.users[id]
	return wChat{ID: id, Type: "private", FirstName: u.wire().FirstName, LastName: u.LastName, UserName: u.UserName}
}

func (s *Server) sendFile(a *args, method string) (any, *apiError) {
	kind := strings.TrimPrefix(method, "send")
	fileID := a.str(kind)
	if fileID == "" {
		return nil, bad("there is no " + kind + " in the request")
	}
	caption, err := checkText(a.str("caption"), a.str("parse_mode"), 1024, true)
	if err != nil {
		return nil, err
	}
	name := map[string]string{"photo": "sendPhoto", "document": "sendDocument"}[kind]
	return s.post(a, name, func(m *wMessage, sm *SentMessage) {
		m.Caption, sm.Text, sm.FileID = caption, a.str("caption"), fileID
		if kind == "photo" {
			m.Photo = photoSizes(fileID)
		} else {
			m.Document = &wFile{FileID: fileID, FileUniqueID: "u" + fileID, FileName: "document", MimeType: "application/octet-stream", FileSize: 1024}
		}
	})
}

func photoSizes(fileID string) []wFile {
	return []wFile{
		{FileID: fileID + "-s", FileUniqueID: "u" + fileID + "-s", Width: 90, Height: 67, FileSize: 1500},
		{FileID: fileID, FileUniqueID: "u" + fileID, Width: 1280, Height: 960, FileSize: 150000},
	}
}

func (s *Server) copyMessage(a *args) (any, *apiError) {
	from, err := s.chatID(a, "from_chat_id")
	if err != nil {
		return nil, err
	}
	src := s.msgs[msgKey{from, a.int("message_id")}]
	if src == nil {
		return nil, bad("message to copy not found")
	}
	if src.wire.TopicCreated != nil {
		return nil, bad("message can't be copied")
	}
	caption := src.wire.Caption
	if a.has("caption") {
		c, err := checkText(a.str("caption"), a.str("parse_mode"), 1024, true)
		if err != nil {
			return nil, err
		}
		caption = c
	}
	m, err := s.post(a, "copyMessage", func(m *wMessage, sm *SentMessage) {
		w := src.wire
		m.Text, m.Entities, m.Photo, m.Document, m.Contact, m.Caption = w.Text, w.Entities, w.Photo, w.Document, w.Contact, caption
		sm.Text, sm.CopyFromChat, sm.CopyOfMessage = w.Text+caption, from, w.MessageID
		if len(w.Photo) > 0 {
			sm.FileID = w.Photo[len(w.Photo)-1].FileID
		} else if w.Document != nil {
			sm.FileID = w.Document.FileID
		}
	})
	if err != nil {
		return nil, err
	}
	return map[string]int64{"message_id": m.MessageID}, nil
}

// message finds the message named by chat_id and message_id.
func (s *Server) message(a *args, notFound string) (*msgRec, *apiError) {
	if a.str("inline_message_id") != "" {
		return nil, bad("MESSAGE_ID_INVALID")
	}
	chat, err := s.chatID(a, "chat_id")
	if err != nil {
		return nil, err
	}
	id := a.int("message_id")
	if a.err != nil {
		return nil, a.err
	}
	if id == 0 {
		return nil, bad("message identifier is not specified")
	}
	if r := s.msgs[msgKey{chat, id}]; r != nil {
		return r, nil
	}
	return nil, bad(notFound)
}

// drop deletes a message.
func (s *Server) drop(r *msgRec) {
	delete(s.msgs, msgKey{r.wire.Chat.ID, r.wire.MessageID})
	if r.sent != nil {
		r.sent.Deleted = true
	}
}

// edit implements editMessageText and editMessageReplyMarkup. Like Telegram, an
// editMessageText without reply_markup removes the inline keyboard.
func (s *Server) edit(a *args, text bool) (any, *apiError) {
	r, err := s.message(a, "message to edit not found")
	if err != nil {
		return nil, err
	}
	if r.sent == nil {
		return nil, bad("message can't be edited")
	}
	mk, err := parseMarkup(a.str("reply_markup"))
	if err != nil {
		return nil, err
	}
	if mk != nil && (mk.Keyboard != nil || mk.RemoveKeyboard || mk.ForceReply) {
		return nil, bad("inline keyboard expected")
	}
	if mk != nil && len(mk.Inline) == 0 {
		mk = nil
	}
	m, sm, markup := r.wire, r.sent, inlineJSON(mk)
	raw, mode, plain := sm.Text, sm.ParseMode, m.Text
	if text {
		if m.Text == "" {
			return nil, bad("there is no text in the message to edit")
		}
		raw, mode = a.str("text"), a.str("parse_mode")
		if plain, err = checkText(raw, mode, 4096, false); err != nil {
			return nil, err
		}
	}
	if plain == m.Text && raw == sm.Text && bytes.Equal(markup, m.ReplyMarkup) {
		return nil, bad(errNotModified)
	}
	m.Text, m.ReplyMarkup, m.EditDate = plain, markup, time.Now().Unix()
	sm.Text, sm.ParseMode, sm.Markup = raw, mode, mk
	sm.Edits++
	return m, nil
}

func (s *Server) setWebhook(a *args) (any, *apiError) {
	secret := a.str("secret_token")
	if len(secret) > 256 || strings.Trim(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
		return nil, bad("secret token contains unallowed characters")
	}
	w := Webhook{URL: a.str("url"), SecretToken: secret, MaxConnections: int(a.int("max_connections"))}
	if a.err != nil {
		return nil, a.err
	}
	if w.MaxConnections == 0 {
		w.MaxConnections = 40
	}
	if au := a.str("allowed_updates"); au != "" && json.Unmarshal([]byte(au), &w.AllowedUpdates) != nil {
		return nil, bad("can't parse allowed_updates")
	}
	if a.bool("drop_pending_updates") {
		s.dropPending()
	}
	if w.URL == "" {
		w = Webhook{}
	}
	s.webhook = w
	return true, nil
}

func (s *Server) createTopic(a *args) (any, *apiError) {
	chat, err := s.chatID(a, "chat_id")
	if err != nil {
		return nil, err
	}
	name := a.str("name")
	color := a.int("icon_color")
	switch {
	case a.err != nil:
		return nil, a.err
	case chat > 0:
		return nil, bad("the chat is not a forum")
	case s.blocked[chat]:
		return nil, &apiError{code: 403, desc: "Forbidden: bot was kicked from the supergroup chat"}
	case name == "" || len([]rune(name)) > 128:
		return nil, bad("TOPIC_NAME_INVALID")
	case color == 0:
		color = defaultIconColor
	}
	t := s.addTopic(chat, 0, name, color)
	return wTopic{ThreadID: t.ThreadID, Name: name, IconColor: color}, nil
}

// addTopic creates a topic and its forum_topic_created service message, whose id
// is the thread id; thread 0 takes the chat's next message id.
func (s *Server) addTopic(chat, thread int64, name string, color int64) *Topic {
	if thread == 0 {
		thread = s.msgIDs[chat] + 1
	}
	s.msgIDs[chat] = max(s.msgIDs[chat], thread)
	bot := s.bot
	s.msgs[msgKey{chat, thread}] = &msgRec{wire: &wMessage{MessageID: thread, ThreadID: thread, From: &bot,
		Date: time.Now().Unix(), Chat: s.chatWire(chat), IsTopicMessage: true, TopicCreated: &wTopic{Name: name, IconColor: color}}}
	t := &Topic{ChatID: chat, ThreadID: thread, Name: name, IconColor: color}
	s.topics[msgKey{chat, thread}] = t
	s.topicSeq = append(s.topicSeq, t)
	return t
}

func (s *Server) manageTopic(a *args, method string) (any, *apiError) {
	chat, err := s.chatID(a, "chat_id")
	if err != nil {
		return nil, err
	}
	t := s.topics[msgKey{chat, a.int("message_thread_id")}]
	if a.err != nil {
		return nil, a.err
	}
	if t == nil || t.Deleted {
		return nil, bad("TOPIC_ID_INVALID")
	}
	switch method {
	case "closeforumtopic", "reopenforumtopic":
		if t.Closed == (method == "closeforumtopic") {
			return nil, bad("TOPIC_NOT_MODIFIED")
		}
		t.Closed = !t.Closed
	case "editforumtopic":
		name := a.str("name")
		if (name == "" || name == t.Name) && !a.has("icon_custom_emoji_id") {
			return nil, bad("TOPIC_NOT_MODIFIED")
		}
		if name != "" {
			t.Name = name
		}
	case "deleteforumtopic":
		t.Deleted = true
		for k, r := range s.msgs {
			if k.chat == chat && (r.wire.ThreadID == t.ThreadID || k.id == t.ThreadID) {
				s.drop(r)
			}
		}
	}
	return true, nil
}

func validCommand(c string) bool {
	return c != "" && len(c) <= 32 && strings.Trim(c, "abcdefghijklmnopqrstuvwxyz0123456789_") == ""
}

// parseMarkup parses and validates reply_markup like Telegram does.
func parseMarkup(raw string) (*Markup, *apiError) {
	if raw == "" || raw == "null" {
		return nil, nil
	}
	var w struct {
		Inline   *[][]map[string]json.RawMessage `json:"inline_keyboard"`
		Keyboard *[][]json.RawMessage            `json:"keyboard"`
		Remove   bool                            `json:"remove_keyboard"`
		Force    bool                            `json:"force_reply"`
		OneTime  bool                            `json:"one_time_keyboard"`
		Resize   bool                            `json:"resize_keyboard"`
	}
	if json.Unmarshal([]byte(raw), &w) != nil {
		return nil, bad("can't parse reply keyboard markup JSON object")
	}
	if w.Inline == nil && w.Keyboard == nil && !w.Remove && !w.Force {
		return nil, nil
	}
	mk := &Markup{RemoveKeyboard: w.Remove, ForceReply: w.Force, OneTime: w.OneTime, Resize: w.Resize}
	if w.Inline != nil {
		mk.Inline = [][]Button{}
		for _, row := range *w.Inline {
			var r []Button
			for _, f := range row {
				var b Button
				json.Unmarshal(f["text"], &b.Text)
				if d, ok := f["callback_data"]; ok && (json.Unmarshal(d, &b.Data) != nil || b.Data == "" || len(b.Data) > 64) {
					return nil, bad("BUTTON_DATA_INVALID")
				}
				if u, ok := f["url"]; ok {
					json.Unmarshal(u, &b.URL)
					if !strings.HasPrefix(b.URL, "http://") && !strings.HasPrefix(b.URL, "https://") && !strings.HasPrefix(b.URL, "tg://") {
						return nil, bad("BUTTON_URL_INVALID")
					}
				}
				if len(f) < 2 {
					return nil, bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
				}
				r = append(r, b)
			}
			mk.Inline = append(mk.Inline, r)
		}
	}
	if w.Keyboard != nil {
		for _, row := range *w.Keyboard {
			var r []Button
			for _, raw := range row {
				var b Button
				if json.Unmarshal(raw, &b.Text) != nil && json.Unmarshal(raw, &b) != nil {
					return nil, bad("can't parse keyboard button")
				}
				r = append(r, b)
				mk.RequestContact = mk.RequestContact || b.RequestContact
			}
			mk.Keyboard = append(mk.Keyboard, r)
		}
	}
	return mk, nil
}

// inlineJSON is the reply_markup a Message object carries: inline keyboards only.
func inlineJSON(mk *Markup) json.RawMessage {
	if mk == nil || len(mk.Inline) == 0 {
		return nil
	}
	b, _ := json.Marshal(struct {
		Inline [][]Button `json:"inline_keyboard"`
	}{mk.Inline})
	return b
}
