package telegramtest

import (
	"slices"
	"time"
	"unicode/utf8"
)

// TopicIcon is a custom emoji usable as a forum topic icon.
type TopicIcon struct{ Emoji, CustomEmojiID string }

// TopicIcons returns the icons getForumTopicIconStickers offers (a fixed subset
// of Telegram's, with Telegram's ids); createForumTopic and editForumTopic
// accept only these.
func TopicIcons() []TopicIcon {
	return []TopicIcon{
		{"📰", "5434144690511290129"}, {"💡", "5312536423851630001"}, {"⚡️", "5312016608254762256"},
		{"❗️", "5379748062124056162"}, {"📝", "5373251851074415873"}, {"📁", "5357315181649076022"},
		{"🔥", "5312241539987020022"}, {"❤️", "5312138559556164615"}, {"❓", "5377316857231450742"},
		{"💰", "5350452584119279096"}, {"🎉", "5310228579009699834"}, {"🏆", "5312315739842026755"},
		{"💻", "5350554349074391003"}, {"📱", "5409357944619802453"}, {"🏠", "5312486108309757006"},
	}
}

func validIcon(id string) bool {
	return slices.ContainsFunc(TopicIcons(), func(i TopicIcon) bool { return i.CustomEmojiID == id })
}

// iconStickers is getForumTopicIconStickers' answer: Sticker objects.
func iconStickers() []map[string]any {
	var out []map[string]any
	for _, i := range TopicIcons() {
		out = append(out, map[string]any{"file_id": "CAACAgIAAxUAAWTopicIcon" + i.CustomEmojiID,
			"file_unique_id": "AgADTopic" + i.CustomEmojiID, "type": "custom_emoji", "width": 512, "height": 512,
			"is_animated": true, "is_video": false, "emoji": i.Emoji, "custom_emoji_id": i.CustomEmojiID})
	}
	return out
}

// Topic is a forum topic created through the API (or implied by SendGroupText).
type Topic struct {
	ChatID, ThreadID  int64
	Name              string
	IconColor         int64
	IconCustomEmojiID string // "" = the default icon
	Closed, Deleted   bool
	History           []TopicEvent // creation first
}

// TopicEvent is a change of a topic, with its state after the change.
type TopicEvent struct {
	Action            string // create, edit, close, reopen or delete
	Name              string
	IconCustomEmojiID string
	Date              time.Time
}

func (t *Topic) log(action string, at time.Time) {
	t.History = append(t.History, TopicEvent{Action: action, Name: t.Name, IconCustomEmojiID: t.IconCustomEmojiID, Date: at})
}

func (t Topic) clone() Topic {
	t.History = slices.Clone(t.History)
	return t
}

func (s *Server) createTopic(a *args) (any, *apiError) {
	chat, err := s.chatID(a, "chat_id")
	if err != nil {
		return nil, err
	}
	name, icon := a.str("name"), a.str("icon_custom_emoji_id")
	color := a.int("icon_color")
	switch {
	case a.err != nil:
		return nil, a.err
	case chat > 0:
		return nil, bad("the chat is not a forum")
	case s.blocked[chat]:
		return nil, &apiError{code: 403, desc: "Forbidden: bot was kicked from the supergroup chat"}
	case name == "" || utf8.RuneCountInString(name) > 128:
		return nil, bad("TOPIC_NAME_INVALID")
	case icon != "" && !validIcon(icon):
		return nil, bad("DOCUMENT_INVALID")
	case color == 0:
		color = defaultIconColor
	}
	t := s.addTopic(chat, 0, name, color, icon)
	return wTopic{ThreadID: t.ThreadID, Name: name, IconColor: color, IconCustomEmojiID: icon}, nil
}

// addTopic creates a topic and its forum_topic_created service message, whose id
// is the thread id; thread 0 takes the chat's next message id.
func (s *Server) addTopic(chat, thread int64, name string, color int64, icon string) *Topic {
	if thread == 0 {
		thread = s.msgIDs[chat] + 1
	}
	s.msgIDs[chat] = max(s.msgIDs[chat], thread)
	bot := s.bot
	s.msgs[msgKey{chat, thread}] = &msgRec{wire: &wMessage{MessageID: thread, ThreadID: thread, From: &bot,
		Date: s.now().Unix(), Chat: s.chatWire(chat), IsTopicMessage: true,
		TopicCreated: &wTopic{Name: name, IconColor: color, IconCustomEmojiID: icon}}}
	t := &Topic{ChatID: chat, ThreadID: thread, Name: name, IconColor: color, IconCustomEmojiID: icon}
	t.log("create", s.now())
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
		t.log(map[bool]string{true: "close", false: "reopen"}[t.Closed], s.now())
	case "editforumtopic":
		name, icon := a.str("name"), t.IconCustomEmojiID
		if a.has("icon_custom_emoji_id") { // "" removes the icon
			icon = a.str("icon_custom_emoji_id")
		}
		switch {
		case utf8.RuneCountInString(name) > 128:
			return nil, bad("TOPIC_NAME_INVALID")
		case icon != "" && !validIcon(icon):
			return nil, bad("DOCUMENT_INVALID")
		case name == "":
			name = t.Name // "" keeps the name
		}
		if name == t.Name && icon == t.IconCustomEmojiID {
			return nil, bad("TOPIC_NOT_MODIFIED")
		}
		t.Name, t.IconCustomEmojiID = name, icon
		t.log("edit", s.now())
	case "deleteforumtopic":
		s.deleteTopic(t)
	}
	return true, nil
}

func (s *Server) deleteTopic(t *Topic) {
	t.Deleted = true
	t.log("delete", s.now())
	for k, r := range s.msgs {
		if k.chat == t.ChatID && (r.wire.ThreadID == t.ThreadID || k.id == t.ThreadID) {
			s.drop(r)
		}
	}
}

// DeleteTopic deletes a forum topic as a human admin would: its messages go,
// sends into it answer 400 "message thread not found". It reports whether the
// topic existed.
func (s *Server) DeleteTopic(chatID, threadID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.topics[msgKey{chatID, threadID}]
	if t == nil || t.Deleted {
		return false
	}
	s.deleteTopic(t)
	s.changed()
	return true
}

// CloseTopic closes a forum topic as a human admin would (no update for the
// bot): sends into it answer 400 "TOPIC_CLOSED" until it is reopened. It
// reports whether the topic was open.
func (s *Server) CloseTopic(chatID, threadID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.topics[msgKey{chatID, threadID}]
	if t == nil || t.Deleted || t.Closed {
		return false
	}
	t.Closed = true
	t.log("close", s.now())
	s.changed()
	return true
}

// CloseTopicAs closes a forum topic as the admin by would in a client: like
// CloseTopic, and the bot gets the forum_topic_closed service message, from
// by, in the topic. It returns the update_id (0 if the topic was not open).
func (s *Server) CloseTopicAs(chatID, threadID int64, by User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.topics[msgKey{chatID, threadID}]
	if t == nil || t.Deleted || t.Closed {
		return 0
	}
	t.Closed = true
	t.log("close", s.now())
	return s.userMessage(chatID, threadID, by, func(m *wMessage) { m.TopicClosed = &struct{}{} })
}

// Topic returns the current state of a topic and its history.
func (s *Server) Topic(chatID, threadID int64) (Topic, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.topics[msgKey{chatID, threadID}]
	if t == nil {
		return Topic{}, false
	}
	return t.clone(), true
}

// CreateTopic creates a forum topic as a human admin would (no update for the
// bot) and returns its thread id.
func (s *Server) CreateTopic(chatID int64, name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.changed()
	return s.addTopic(chatID, 0, name, defaultIconColor, "").ThreadID
}
