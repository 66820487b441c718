package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
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
	MessageID       int64           `json:"message_id"`
	ThreadID        int64           `json:"message_thread_id,omitempty"`
	From            *wUser          `json:"from,omitempty"`
	Date            int64           `json:"date"`
	Chat            wChat           `json:"chat"`
	EditDate        int64           `json:"edit_date,omitempty"`
	IsTopicMessage  bool            `json:"is_topic_message,omitempty"`
	ReplyTo         *wMessage       `json:"reply_to_message,omitempty"`
	ForwardOrigin   *wOrigin        `json:"forward_origin,omitempty"`
	MediaGroupID    string          `json:"media_group_id,omitempty"`
	Text            string          `json:"text,omitempty"`
	Entities        []wEntity       `json:"entities,omitempty"`
	Caption         string          `json:"caption,omitempty"`
	CaptionEntities []wEntity       `json:"caption_entities,omitempty"`
	Photo           []wFile         `json:"photo,omitempty"`
	Video           *wFile          `json:"video,omitempty"`
	Audio           *wFile          `json:"audio,omitempty"`
	Document        *wFile          `json:"document,omitempty"`
	Contact         *wContact       `json:"contact,omitempty"`
	TopicCreated    *wTopic         `json:"forum_topic_created,omitempty"`
	TopicClosed     *struct{}       `json:"forum_topic_closed,omitempty"`
	ReplyMarkup     json.RawMessage `json:"reply_markup,omitempty"`
}

// wOrigin is a forwarded message's origin (a user's message).
type wOrigin struct {
	Type       string `json:"type"`
	Date       int64  `json:"date"`
	SenderUser *wUser `json:"sender_user,omitempty"`
}

type wEntity struct {
	Type          string `json:"type"`
	Offset        int    `json:"offset"`
	Length        int    `json:"length"`
	URL           string `json:"url,omitempty"`
	User          *wUser `json:"user,omitempty"`
	Language      string `json:"language,omitempty"`
	CustomEmojiID string `json:"custom_emoji_id,omitempty"`
}

type wFile struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	Width        int    `json:"width,omitempty"`
	Height       int    `json:"height,omitempty"`
	Duration     int    `json:"duration,omitempty"`
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
	ThreadID          int64  `json:"message_thread_id,omitempty"`
	Name              string `json:"name"`
	IconColor         int64  `json:"icon_color"`
	IconCustomEmojiID string `json:"icon_custom_emoji_id,omitempty"`
}

type wCallback struct {
	ID           string    `json:"id"`
	From         wUser     `json:"from"`
	Message      *wMessage `json:"message,omitempty"`
	ChatInstance string    `json:"chat_instance"`
	Data         string    `json:"data,omitempty"`
}

const (
	errNotModified   = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
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
		f, err := checkText(a.str("text"), a.str("parse_mode"), a.str("entities"), 4096, false)
		if err != nil {
			return nil, err
		}
		return s.post(a, "sendMessage", func(r *msgRec) {
			s.setContent(r, f, false)
			r.sent.Text = a.str("text")
		})
	case "sendphoto", "senddocument":
		return s.sendFile(a, method)
	case "copymessage":
		return s.copyMessage(a)
	case "copymessages":
		return s.copyMessages(a)
	case "sendmediagroup":
		return s.sendMediaGroup(a)
	case "editmessagetext", "editmessagecaption", "editmessagereplymarkup":
		return s.edit(a, method)
	case "deletemessage":
		r, err := s.message(a, "message to delete not found")
		if err != nil {
			return nil, err
		}
		s.drop(r)
		return true, nil
	case "setmessagereaction":
		return s.setReaction(a)
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
		q, ok := s.queries[id]
		if !ok || q.answered {
			return nil, bad("query is too old and response timeout expired or query ID is invalid")
		}
		q.answered = true
		s.changed()
		s.answers = append(s.answers, CallbackAnswer{QueryID: id, Text: a.str("text"), ShowAlert: a.bool("show_alert"),
			URL: a.str("url"), CacheTime: int(a.int("cache_time")), ChatID: q.msg.chat, MessageID: q.msg.id, Data: q.data,
			Date: s.now()})
		return true, nil
	case "setmycommands":
		return s.setCommands(a)
	case "getmycommands":
		k, err := commandKey(a)
		if err != nil {
			return nil, err
		}
		return append([]BotCommand{}, s.commandSets[k]...), nil
	case "deletemycommands":
		k, err := commandKey(a)
		if err != nil {
			return nil, err
		}
		delete(s.commandSets, k)
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
	case "getforumtopiciconstickers":
		return iconStickers(), nil
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
	if s.perPoll > 0 && int(limit) > s.perPoll {
		limit = int64(s.perPoll)
	}
	if s.webhook.URL != "" {
		return nil, &apiError{code: 409, desc: errWebhookActive}
	}
	s.setAllowed(a.str("allowed_updates"))
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

// blockedErr is the 403 for a chat whose user blocked the bot (or a group that
// removed it), nil otherwise.
func (s *Server) blockedErr(chat int64) *apiError {
	switch {
	case s.blocked[chat] && chat > 0:
		return &apiError{code: 403, desc: "Forbidden: bot was blocked by the user"}
	case s.blocked[chat]:
		return &apiError{code: 403, desc: "Forbidden: bot was kicked from the supergroup chat"}
	}
	return nil
}

// target resolves chat_id and message_thread_id of an outgoing message.
func (s *Server) target(a *args) (chat, thread int64, err *apiError) {
	if chat, err = s.chatID(a, "chat_id"); err != nil {
		return 0, 0, err
	}
	if thread = a.int("message_thread_id"); a.err != nil {
		return 0, 0, a.err
	}
	if err = s.blockedErr(chat); err != nil {
		return 0, 0, err
	}
	switch t := s.topics[msgKey{chat, thread}]; {
	case thread == 0:
	case t == nil || t.Deleted:
		err = bad("message thread not found")
	case t.Closed:
		err = bad("TOPIC_CLOSED")
	}
	return chat, thread, err
}

// replyTarget resolves reply_to_message_id in chat.
func (s *Server) replyTarget(a *args, chat int64) (*wMessage, int64, *apiError) {
	replyTo := a.int("reply_to_message_id")
	if a.err != nil {
		return nil, 0, a.err
	}
	if r := s.msgs[msgKey{chat, replyTo}]; r != nil {
		c := *r.wire
		c.ReplyTo = nil
		return &c, replyTo, nil
	}
	if replyTo != 0 && !a.bool("allow_sending_without_reply") {
		return nil, 0, bad("message to be replied not found")
	}
	return nil, replyTo, nil
}

// post creates a message from the bot after validating the common send options;
// fill sets the content (already validated).
func (s *Server) post(a *args, method string, fill func(*msgRec)) (*wMessage, *apiError) {
	chat, thread, err := s.target(a)
	if err != nil {
		return nil, err
	}
	mk, err := parseMarkup(a.str("reply_markup"))
	if err != nil {
		return nil, err
	}
	reply, replyTo, err := s.replyTarget(a, chat)
	if err != nil {
		return nil, err
	}
	if err := s.throttle(chat, 1); err != nil {
		return nil, err
	}
	r := s.botMessage(chat, thread, method, a.str("parse_mode"))
	m := r.wire
	if reply != nil {
		m.ReplyTo = reply
	}
	m.ReplyMarkup = inlineJSON(mk)
	r.sent.ReplyTo, r.sent.Markup = replyTo, mk
	fill(r)
	r.record(method, s.now())
	return m, nil
}

// botMessage creates and registers a message from the bot and its SentMessage.
func (s *Server) botMessage(chat, thread int64, method, parseMode string) *msgRec {
	m := s.newMessage(chat, thread, s.bot)
	r := s.msgs[msgKey{chat, m.MessageID}]
	r.sent = &SentMessage{Method: method, ChatID: chat, ThreadID: thread, MessageID: m.MessageID,
		ParseMode: parseMode, Date: time.Unix(m.Date, 0)}
	s.sent = append(s.sent, r.sent)
	return r
}

// newMessage allocates the next message id in chat and registers the message.
// Topic messages reply to the topic's service message, as on Telegram.
func (s *Server) newMessage(chat, thread int64, from wUser) *wMessage {
	s.msgIDs[chat]++
	m := &wMessage{MessageID: s.msgIDs[chat], ThreadID: thread, From: &from, Date: s.now().Unix(),
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

// setContent sets a message's text (or caption) and entities, on the wire and
// in its SentMessage.
func (s *Server) setContent(r *msgRec, f formatted, caption bool) {
	ws := s.wireEntities(f.ents)
	if caption {
		r.wire.Caption, r.wire.CaptionEntities = f.text, ws
	} else {
		r.wire.Text, r.wire.Entities = f.text, ws
	}
	r.ents = f.ents
	if r.sent != nil {
		r.sent.Plain, r.sent.Entities = f.text, slices.Clone(f.ents)
	}
}

func (s *Server) wireEntities(ents []Entity) []wEntity {
	var ws []wEntity
	for _, e := range ents {
		w := wEntity{Type: e.Type, Offset: e.Offset, Length: e.Length, URL: e.URL, Language: e.Language, CustomEmojiID: e.CustomEmojiID}
		if e.UserID != 0 {
			u := s.users[e.UserID].wire()
			u.ID = e.UserID
			w.User = &u
		}
		ws = append(ws, w)
	}
	return ws
}

func (s *Server) sendFile(a *args, method string) (any, *apiError) {
	kind := strings.TrimPrefix(method, "send")
	fileID := a.str(kind)
	if fileID == "" {
		return nil, bad("there is no " + kind + " in the request")
	}
	caption, err := checkText(a.str("caption"), a.str("parse_mode"), a.str("caption_entities"), 1024, true)
	if err != nil {
		return nil, err
	}
	name := map[string]string{"photo": "sendPhoto", "document": "sendDocument"}[kind]
	return s.post(a, name, func(r *msgRec) {
		s.setContent(r, caption, true)
		r.sent.Text, r.sent.FileID = a.str("caption"), fileID
		setMedia(r.wire, kind, fileID, "")
	})
}

// setMedia attaches a file of kind (photo, video, audio, document) to m.
func setMedia(m *wMessage, kind, fileID, fileName string) {
	switch kind {
	case "photo":
		m.Photo = photoSizes(fileID)
	case "video":
		m.Video = &wFile{FileID: fileID, FileUniqueID: "u" + fileID, Width: 1280, Height: 720, Duration: 10, MimeType: "video/mp4", FileSize: 500000}
	case "audio":
		m.Audio = &wFile{FileID: fileID, FileUniqueID: "u" + fileID, Duration: 60, MimeType: "audio/mpeg", FileSize: 300000}
	default:
		if fileName == "" {
			fileName = "document"
		}
		m.Document = &wFile{FileID: fileID, FileUniqueID: "u" + fileID, FileName: fileName, MimeType: "application/octet-stream", FileSize: 1024}
	}
}

// mediaOf returns the kind and file_id of a message's media ("" if none).
func mediaOf(m *wMessage) (kind, fileID string) {
	switch {
	case len(m.Photo) > 0:
		return "photo", m.Photo[len(m.Photo)-1].FileID
	case m.Video != nil:
		return "video", m.Video.FileID
	case m.Audio != nil:
		return "audio", m.Audio.FileID
	case m.Document != nil:
		return "document", m.Document.FileID
	}
	return "", ""
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
	w := src.wire
	caption := formatted{w.Caption, src.ents}
	if w.Text != "" {
		caption.ents = nil
	}
	if a.has("caption") {
		if caption, err = checkText(a.str("caption"), a.str("parse_mode"), a.str("caption_entities"), 1024, true); err != nil {
			return nil, err
		}
	}
	m, err := s.post(a, "copyMessage", func(r *msgRec) {
		s.copyContent(r, src, caption)
		r.sent.Text = w.Text + caption.text
	})
	if err != nil {
		return nil, err
	}
	return map[string]int64{"message_id": m.MessageID}, nil
}

// copyContent copies src's content into r, with caption for a media message.
func (s *Server) copyContent(r *msgRec, src *msgRec, caption formatted) {
	w := src.wire
	r.wire.Photo, r.wire.Video, r.wire.Audio, r.wire.Document, r.wire.Contact = w.Photo, w.Video, w.Audio, w.Document, w.Contact
	if w.Text != "" {
		s.setContent(r, formatted{w.Text, src.ents}, false)
	} else {
		s.setContent(r, caption, true)
	}
	_, r.sent.FileID = mediaOf(w)
	r.sent.CopyFromChat, r.sent.CopyOfMessage = w.Chat.ID, w.MessageID
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

// edit implements editMessageText, editMessageCaption and
// editMessageReplyMarkup. Like Telegram: an edit without reply_markup removes
// the inline keyboard, only an inline keyboard can be attached, and an edit
// that changes neither the text, its entities nor the keyboard is refused.
func (s *Server) edit(a *args, method string) (any, *apiError) {
	r, err := s.message(a, "message to edit not found")
	if err != nil {
		return nil, err
	}
	if r.sent == nil {
		return nil, bad("message can't be edited")
	}
	m, sm := r.wire, r.sent
	if err := s.blockedErr(m.Chat.ID); err != nil {
		return nil, err
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
	markup := inlineJSON(mk)
	kind, _ := mediaOf(m)
	caption := kind != ""
	cur := formatted{m.Text, r.ents}
	if caption {
		cur.text = m.Caption
	}
	next, raw, mode := cur, sm.Text, sm.ParseMode
	switch method {
	case "editmessagetext":
		if caption {
			return nil, bad("there is no text in the message to edit")
		}
		raw, mode = a.str("text"), a.str("parse_mode")
		if next, err = checkText(raw, mode, a.str("entities"), 4096, false); err != nil {
			return nil, err
		}
	case "editmessagecaption":
		if !caption {
			return nil, bad("there is no caption in the message to edit")
		}
		raw, mode = a.str("caption"), a.str("parse_mode")
		if next, err = checkText(raw, mode, a.str("caption_entities"), 1024, true); err != nil {
			return nil, err
		}
	}
	if next.text == cur.text && slices.Equal(next.ents, cur.ents) && bytes.Equal(markup, m.ReplyMarkup) {
		return nil, bad(errNotModified)
	}
	if err := s.throttle(m.Chat.ID, 1); err != nil {
		return nil, err
	}
	s.setContent(r, next, caption)
	m.ReplyMarkup, m.EditDate = markup, s.now().Unix()
	sm.Text, sm.ParseMode, sm.Markup = raw, mode, mk
	sm.Edits++
	r.record(map[string]string{"editmessagetext": "editMessageText", "editmessagecaption": "editMessageCaption",
		"editmessagereplymarkup": "editMessageReplyMarkup"}[method], s.now())
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
	if au := a.str("allowed_updates"); au != "" {
		json.Unmarshal([]byte(au), &w.AllowedUpdates) // Telegram ignores a list it can't parse
		s.setAllowed(au)
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
		n := 0
		for _, row := range *w.Inline {
			n += len(row)
		}
		if n > MaxInlineButtons {
			return nil, bad("REPLY_MARKUP_TOO_LONG")
		}
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
