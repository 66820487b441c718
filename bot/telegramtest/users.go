package telegramtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// User is a Telegram user driving the bot. A user's private chat id equals ID.
type User struct {
	ID           int64
	FirstName    string // "User" if empty
	LastName     string
	UserName     string
	LanguageCode string // e.g. "en", "ru"; empty omits language_code
}

func (u User) wire() wUser {
	w := wUser{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, UserName: u.UserName, LanguageCode: u.LanguageCode}
	if w.FirstName == "" {
		w.FirstName = "User"
	}
	return w
}

// userMessage creates a message from u in chat (thread 0 = none); s.mu must be held.
func (s *Server) userMessage(chat, thread int64, u User, fill func(*wMessage)) int64 {
	s.users[u.ID] = u
	m := s.newMessage(chat, thread, u.wire())
	fill(m)
	r := s.msgs[msgKey{chat, m.MessageID}]
	if m.Text != "" { // Telegram marks a leading /command
		r.ents = commandEntity(m.Text)
		m.Entities = s.wireEntities(r.ents)
	}
	r.record("user", s.now())
	id := s.push("message", m)
	if id != 0 {
		s.updMsgs[id] = msgKey{chat, m.MessageID}
	}
	return id
}

// SendText queues a private text message from u and returns its update_id (0
// if the bot's allowed_updates exclude messages). A leading /command gets a
// bot_command entity, as Telegram adds.
func (s *Server) SendText(u User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessage(u.ID, 0, u, func(m *wMessage) { m.Text = text })
}

// SendReply queues a private text message from u replying to message
// replyTo of their chat with the bot (reply_to_message: that message, as
// it is now).
func (s *Server) SendReply(u User, replyTo int64, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessage(u.ID, 0, u, func(m *wMessage) {
		m.Text = text
		if r := s.msgs[msgKey{u.ID, replyTo}]; r != nil {
			orig := *r.wire
			orig.ReplyTo = nil // Telegram nests no further
			m.ReplyTo = &orig
		}
	})
}

// SendForwarded queues a text of from that u forwarded into their chat with
// the bot (forward_origin of type user).
func (s *Server) SendForwarded(u, from User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessage(u.ID, 0, u, func(m *wMessage) {
		m.Text = text
		w := from.wire()
		m.ForwardOrigin = &wOrigin{Type: "user", Date: s.now().Add(-time.Hour).Unix(), SenderUser: &w}
	})
}

func commandEntity(text string) []Entity {
	i := 1
	for i < len(text) && (text[i] == '_' || text[i] == '@' || text[i] >= '0' && text[i] <= '9' ||
		text[i]|0x20 >= 'a' && text[i]|0x20 <= 'z') {
		i++
	}
	if !strings.HasPrefix(text, "/") || i == 1 {
		return nil
	}
	return []Entity{{Type: "bot_command", Offset: 0, Length: i}}
}

// SendGroupText queues a message from u in supergroup chatID (negative). A
// non-zero threadID makes it a forum topic message (message_thread_id,
// is_topic_message, reply_to_message = the topic's service message); a topic the
// server does not know is created on the fly, as if by a human admin.
func (s *Server) SendGroupText(chatID, threadID int64, from User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if threadID != 0 && s.topics[msgKey{chatID, threadID}] == nil {
		s.addTopic(chatID, threadID, fmt.Sprintf("Topic %d", threadID), defaultIconColor, "")
	}
	return s.userMessage(chatID, threadID, from, func(m *wMessage) { m.Text = text })
}

// SendGroupReply queues a text from a member of a group (in a forum topic
// when threadID is not 0) replying to message replyTo of the group.
func (s *Server) SendGroupReply(chatID, threadID int64, from User, replyTo int64, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessage(chatID, threadID, from, func(m *wMessage) {
		m.Text = text
		if r := s.msgs[msgKey{chatID, replyTo}]; r != nil {
			orig := *r.wire
			orig.ReplyTo = nil // Telegram nests no further
			m.ReplyTo = &orig
		}
	})
}

// ShareContact queues a private message with a contact, as sent by a
// request_contact button when contactUserID == u.ID. Telegram often sends the
// phone without a leading '+'.
func (s *Server) ShareContact(u User, phone string, contactUserID int64) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	name := "Contact"
	if contactUserID == u.ID {
		name = u.wire().FirstName
	}
	return s.userMessage(u.ID, 0, u, func(m *wMessage) {
		m.Contact = &wContact{PhoneNumber: phone, FirstName: name, UserID: contactUserID}
	})
}

// SendPhoto queues a private photo message. Like Telegram it carries several
// sizes: the largest (last) has file_id fileID, a thumbnail comes first.
func (s *Server) SendPhoto(u User, fileID, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userMessage(u.ID, 0, u, func(m *wMessage) { m.Photo, m.Caption = photoSizes(fileID), caption })
}

// SendGroupPhoto queues a photo from a member of a group (in a forum topic
// when threadID is not 0), as SendGroupText does a text.
func (s *Server) SendGroupPhoto(chatID, threadID int64, from User, fileID, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if threadID != 0 && s.topics[msgKey{chatID, threadID}] == nil {
		s.addTopic(chatID, threadID, fmt.Sprintf("Topic %d", threadID), defaultIconColor, "")
	}
	return s.userMessage(chatID, threadID, from, func(m *wMessage) { m.Photo, m.Caption = photoSizes(fileID), caption })
}

// SendDocument queues a private document message.
func (s *Server) SendDocument(u User, fileID, fileName, caption string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	mt := mime.TypeByExtension(path.Ext(fileName))
	if mt == "" {
		mt = "application/octet-stream"
	}
	return s.userMessage(u.ID, 0, u, func(m *wMessage) {
		m.Document = &wFile{FileID: fileID, FileUniqueID: "u" + fileID, FileName: fileName, MimeType: mt, FileSize: 2048}
		m.Caption = caption
	})
}

// PressButton queues a callback_query from u for a button with callback data
// on the bot's message msg (its current state is attached as message).
func (s *Server) PressButton(u User, msg SentMessage, data string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.ID] = u
	text := msg.Plain
	if text == "" {
		text = msg.Text
	}
	m := &wMessage{MessageID: msg.MessageID, ThreadID: msg.ThreadID, From: &s.bot, Date: msg.Date.Unix(),
		Chat: s.chatWire(msg.ChatID), Text: text}
	if r := s.msgs[msgKey{msg.ChatID, msg.MessageID}]; r != nil {
		m = r.wire
	}
	id := strconv.FormatInt(4_000_000_000_000_000+s.seq.Add(1), 10)
	upd := s.push("callback_query", wCallback{ID: id, From: u.wire(), Message: m,
		ChatInstance: strconv.FormatInt(-7_000_000_000_000_000-msg.ChatID, 10), Data: data})
	if upd != 0 { // a query the bot never receives needs no answer
		s.queries[id] = &query{msg: msgKey{msg.ChatID, msg.MessageID}, data: data}
	}
	return upd
}

// ClickButton presses the inline button labelled text on the current state of
// msg; it fails if there is no such callback button.
func (s *Server) ClickButton(u User, msg SentMessage, text string) (int64, error) {
	s.mu.Lock()
	if r := s.msgs[msgKey{msg.ChatID, msg.MessageID}]; r != nil && r.sent != nil {
		msg = *r.sent
	}
	s.mu.Unlock()
	var labels []string
	for _, b := range msg.Buttons() {
		if b.Text == text && b.Data != "" {
			return s.PressButton(u, msg, b.Data), nil
		}
		labels = append(labels, b.Text)
	}
	return 0, fmt.Errorf("telegramtest: message %d in chat %d has no callback button %q (buttons: %q)", msg.MessageID, msg.ChatID, text, labels)
}

// PushRawUpdate queues raw as an update. A JSON object gets the next update_id
// (replacing any it has); anything else is delivered verbatim, which breaks the
// whole getUpdates response just as a corrupt update would. allowed_updates
// do not filter it.
func (s *Server) PushRawUpdate(raw []byte) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.nextUpd
	s.nextUpd++
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil && m != nil {
		m["update_id"] = json.RawMessage(strconv.FormatInt(id, 10))
		raw, _ = json.Marshal(m)
	}
	s.pending = append(s.pending, Update{ID: id, JSON: append([]byte(nil), raw...)})
	s.changed()
	return id
}

// DeliverWebhook POSTs pending updates one by one to the webhook URL with the
// X-Telegram-Bot-Api-Secret-Token header, confirming each one answered with 2xx.
// A JSON answer naming a "method" is executed, as Telegram does. It stops at the
// first failure, which is also recorded as the webhook's last error.
func (s *Server) DeliverWebhook(ctx context.Context) error {
	for {
		s.mu.Lock()
		wh, more := s.webhook, len(s.pending) > 0
		var next Update
		if more {
			next = s.pending[0]
		}
		s.mu.Unlock()
		if wh.URL == "" {
			return fmt.Errorf("telegramtest: no webhook set")
		}
		if !more {
			return nil
		}
		status, body, err := s.postWebhook(ctx, wh.URL, wh.SecretToken, next.JSON)
		if err == nil && status/100 != 2 {
			err = fmt.Errorf("telegramtest: webhook answered %d: %.200s", status, body)
		}
		s.mu.Lock()
		if err != nil {
			s.webhook.LastError = err.Error()
		} else if len(s.pending) > 0 && s.pending[0].ID == next.ID {
			s.pending = s.pending[1:]
			s.offset = max(s.offset, next.ID+1)
		}
		s.changed()
		s.mu.Unlock()
		if err != nil {
			return err
		}
		var reply map[string]json.RawMessage
		if json.Unmarshal(body, &reply) == nil && reply["method"] != nil {
			a := &args{v: map[string]string{}}
			for k, v := range reply {
				a.v[k] = jsonString(v)
			}
			method := strings.ToLower(a.v["method"])
			s.mu.Lock()
			s.calls[method]++
			s.mu.Unlock()
			s.call(ctx, method, a)
		}
	}
}

// PostWebhook POSTs body to the webhook URL with the given secret header ("" =
// none), confirming nothing; for testing the bot's checks. It returns the status.
func (s *Server) PostWebhook(ctx context.Context, secret string, body []byte) (int, error) {
	s.mu.Lock()
	url := s.webhook.URL
	s.mu.Unlock()
	if url == "" {
		return 0, fmt.Errorf("telegramtest: no webhook set")
	}
	status, _, err := s.postWebhook(ctx, url, secret, body)
	return status, err
}

func (s *Server) postWebhook(ctx context.Context, url, secret string, body []byte) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, b, err
}
