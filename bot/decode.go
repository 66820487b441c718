package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot"
)

// maxText bounds what reaches the engine from one message; Telegram's own
// limit is 4096 characters, a forged update could send more.
const maxText = 4096

// extra holds the update fields tgbotapi v5.5.1 does not know.
type extra struct {
	UpdateID      *int64        `json:"update_id"` // nil: the body has none (forged)
	Message       *messageExtra `json:"message"`
	EditedMessage *messageExtra `json:"edited_message"`
	CallbackQuery *struct {
		Message *messageExtra `json:"message"`
	} `json:"callback_query"`
}

// messageExtra is what the library's Message lacks: the forum topic, and
// content newer than Bot API 5.5.
type messageExtra struct {
	MessageThreadID int64 `json:"message_thread_id"`
	// ReplyTo is the topic's first message for a message in a topic
	// that replies to no other: it names the topic as made.
	ReplyTo *struct {
		From *struct {
			ID int64 `json:"id"`
		} `json:"from"`
		TopicCreated *struct {
			Name string `json:"name"`
		} `json:"forum_topic_created"`
	} `json:"reply_to_message"`
	// ForwardOrigin marks a forwarded message (Bot API 7.0 and on; the
	// library knows the fields it replaced).
	ForwardOrigin json.RawMessage `json:"forward_origin"`
	// ExternalReply is a reply to a message of another chat (Bot API
	// 7.0): not to anything the bot showed here.
	ExternalReply json.RawMessage `json:"external_reply"`
	// BusinessConnection marks a message sent on a business account's
	// behalf; Telegram never puts it on a customer's own private message.
	BusinessConnection string `json:"business_connection_id"`
	// Content newer than the library's Bot API 5.5: a message of it is
	// something a person sent, answered like other media.
	Story json.RawMessage `json:"story"`
	// TopicClosed is the service message of a topic closed.
	TopicClosed json.RawMessage `json:"forum_topic_closed"`
	PaidMedia   json.RawMessage `json:"paid_media"`
	Giveaway    json.RawMessage `json:"giveaway"`
	Checklist   json.RawMessage `json:"checklist"`
	UsersShared json.RawMessage `json:"users_shared"`
	ChatShared  json.RawMessage `json:"chat_shared"`
}

// carried is the text of newer content a copy of it carries: a
// checklist's title and tasks (a probe: a card number in one would be
// copied to the staff topic, its text never looked at).
func (f *messageExtra) carried() string {
	if f == nil || len(f.Checklist) == 0 {
		return ""
	}
	var c struct {
		Title string `json:"title"`
		Tasks []struct {
			Text string `json:"text"`
		} `json:"tasks"`
	}
	if json.Unmarshal(f.Checklist, &c) != nil {
		return string(f.Checklist) // unreadable: its raw text is judged, digits and all
	}
	parts := []string{c.Title}
	for _, t := range c.Tasks {
		parts = append(parts, t.Text)
	}
	return strings.Join(parts, " · ")
}

// newerMedia reports content the library does not know (a shared story, a
// checklist, users or a chat picked with a keyboard button…).
func (f *messageExtra) newerMedia() bool {
	return f != nil && (len(f.Story) > 0 || len(f.PaidMedia) > 0 || len(f.Giveaway) > 0 || len(f.Checklist) > 0 ||
		len(f.UsersShared) > 0 || len(f.ChatShared) > 0)
}

// topic is the message's topic as made — its name and who made it — when
// said.
func (f *messageExtra) topic() topicMade {
	if f == nil || f.ReplyTo == nil || f.ReplyTo.TopicCreated == nil {
		return topicMade{}
	}
	t := topicMade{name: f.ReplyTo.TopicCreated.Name}
	if f.ReplyTo.From != nil {
		t.by = f.ReplyTo.From.ID
	}
	return t
}

// topicMade is a forum topic's name as made, and who made it.
type topicMade struct {
	name string
	by   int64
}

// incoming is one decoded update.
type incoming struct {
	update   tgbotapi.Update
	threadID int64
	topic    topicMade // the message's topic as made (messageExtra.topic)
	event    supportbot.Event
	// ok is false for updates the bot ignores (channels, other groups, edits…).
	ok       bool
	callback string // callback query id to answer
	group    string // media_group_id: the album the message belongs to
	// to is the bot a command names (/close@OtherBot), "" when none.
	to string
}

// decodeUpdate turns one raw update into an event for a private chat. Updates
// from other chats, and kinds the bot does not handle, come back with ok false.
func decodeUpdate(raw json.RawMessage) (incoming, error) {
	var in incoming
	if err := json.Unmarshal(raw, &in.update); err != nil {
		return in, err
	}
	var x extra
	numbered := true
	if err := json.Unmarshal(raw, &x); err == nil {
		numbered = x.UpdateID != nil
		switch {
		case x.Message != nil:
			in.threadID, in.topic = x.Message.MessageThreadID, x.Message.topic()
		case x.EditedMessage != nil:
			in.threadID, in.topic = x.EditedMessage.MessageThreadID, x.EditedMessage.topic()
		case x.CallbackQuery != nil && x.CallbackQuery.Message != nil:
			in.threadID = x.CallbackQuery.Message.MessageThreadID
		}
	}
	u := in.update
	ev := supportbot.Event{UpdateID: int64(u.UpdateID), Source: supportbot.UpdateSource(int64(u.UpdateID)), Time: time.Now()}
	if !numbered {
		// Telegram numbers every update; a body without a number (posted
		// by hand) is known by its content instead: sent again, it is
		// recognised, and two different ones are not taken for one.
		sum := sha256.Sum256(raw)
		ev.Source = "b:" + hex.EncodeToString(sum[:12])
	}
	switch {
	case u.EditedMessage != nil:
		// An edit is relayed while a person is on the chat: the agent's
		// corrects the customer's copy, the customer's shows in the topic.
		m := u.EditedMessage
		if m.Chat == nil || m.From == nil || m.From.IsBot {
			return in, nil
		}
		ev.ChatID, ev.UserID, ev.MessageID = m.Chat.ID, m.From.ID, int64(m.MessageID)
		fromUser(&ev, m.From)
		ev.Kind, ev.Text = supportbot.EventEdit, clip(m.Text)
		if m.Text == "" {
			ev.Text = clip(m.Caption)
		}
		in.ok = privateChat(m.Chat) && m.From.ID == m.Chat.ID || m.Chat.IsSuperGroup()
	case u.MyChatMember != nil:
		// In a private chat: the user blocked ("kicked") or unblocked
		// ("member") the bot. Known at once, not at the next failed send.
		m := u.MyChatMember
		ev.ChatID, ev.UserID = m.Chat.ID, m.From.ID
		fromUser(&ev, &m.From)
		ev.Kind, ev.Data = supportbot.EventMember, m.NewChatMember.Status
		// Only the chat's own user blocks or unblocks its bot (a forged
		// one from another user marked a customer unreachable: a probe).
		in.ok = privateChat(&m.Chat) && m.From.ID == m.Chat.ID && (ev.Data == "kicked" || ev.Data == "member")
	case u.Message != nil:
		m := u.Message
		anonymous := m.Chat != nil && m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID && m.Chat.IsSuperGroup()
		if m.Chat == nil || m.From == nil || m.From.IsBot && !anonymous {
			return in, nil
		}
		ev.ChatID, ev.MessageID = m.Chat.ID, int64(m.MessageID)
		if m.Date > 0 {
			ev.Sent = time.Unix(int64(m.Date), 0)
		}
		if ev.Anonymous = anonymous; !anonymous {
			ev.UserID = m.From.ID
			fromUser(&ev, m.From)
		}
		in.group = m.MediaGroupID
		if m.ReplyToMessage != nil && x.Message.topic().name == "" {
			// Not the topic's first message, which a message in a topic
			// replies to when it replies to none (an agent's /unsend
			// replying to nothing would take that for its message).
			ev.ReplyTo = int64(m.ReplyToMessage.MessageID)
		}
		ev.RepliedElsewhere = x.Message != nil && len(x.Message.ExternalReply) > 0
		// Sent through an inline bot counts as forwarded: the bot wrote it.
		ev.Forwarded = m.ForwardDate != 0 || m.ForwardFrom != nil || m.ForwardFromChat != nil || m.ForwardSenderName != "" ||
			x.Message != nil && len(x.Message.ForwardOrigin) > 0 || m.ViaBot != nil
		if privateChat(m.Chat) {
			// What Telegram never puts on a person's own message in a
			// private chat — a channel's automatic forward, a chat as the
			// sender, a business account's message, an edit's date on a
			// new message — is not the customer's own words either (a
			// probe's "确认" carrying any of them paid a quote).
			ev.Forwarded = ev.Forwarded || m.IsAutomaticForward || m.SenderChat != nil || m.EditDate != 0 ||
				x.Message != nil && x.Message.BusinessConnection != ""
		}
		switch {
		case m.Contact != nil:
			ev.Kind, ev.Phone, ev.ContactUserID = supportbot.EventContact, m.Contact.PhoneNumber, m.Contact.UserID
		case strings.HasPrefix(m.Text, "/") && len(m.Text) > 1 && !ev.Forwarded:
			// (A forwarded "/end" is someone's words, relayed as such, not
			// the sender's command: a probe ended a hand-off with one.)
			// Parsed here: the library's Command() trusts the entity offsets
			// and panics on a forged update.
			cmd, args := m.Text[1:], ""
			if i := strings.IndexFunc(cmd, unicode.IsSpace); i >= 0 {
				cmd, args = cmd[:i], cmd[i:]
			}
			cmd, in.to, _ = strings.Cut(cmd, "@")
			ev.Kind, ev.Text, ev.Args = supportbot.EventCommand, clip(cmd), clip(strings.TrimSpace(args))
		case m.Text != "":
			ev.Kind, ev.Text = supportbot.EventText, clip(m.Text)
		case x.Message != nil && len(x.Message.TopicClosed) > 0 && m.Chat.IsSuperGroup():
			ev.Kind = supportbot.EventTopicClosed
		case hasMedia(m) || x.Message.newerMedia():
			ev.Kind, ev.Text, ev.FileName = supportbot.EventMedia, clip(m.Caption), clip(carried(m, x.Message))
		default: // service messages: pins, topic edits, members joining…
			return in, nil
		}
		// In a private chat the sender is the chat: one who is not is forged
		// (Telegram never sends it), and acts on nobody's chat.
		in.ok = privateChat(m.Chat) && m.From.ID == m.Chat.ID || m.Chat.IsSuperGroup() || m.Chat.IsGroup()
	case u.CallbackQuery != nil:
		q := u.CallbackQuery
		in.callback = q.ID
		if q.From == nil || q.Message == nil || q.Message.Chat == nil {
			return in, nil
		}
		ev.Kind, ev.Data = supportbot.EventButton, q.Data
		ev.ChatID, ev.UserID, ev.MessageID = q.Message.Chat.ID, q.From.ID, int64(q.Message.MessageID)
		fromUser(&ev, q.From)
		ev.Text = buttonLabel(q.Message, q.Data) // what the customer tapped, for the transcript
		// Buttons in the staff chat (an agent confirming a take-over) are
		// the server's to accept or not.
		in.ok = privateChat(q.Message.Chat) && q.From.ID == q.Message.Chat.ID || q.Message.Chat.IsSuperGroup()
	}
	in.event = ev
	return in, nil
}

// updateIDOf is the update_id a body carries, for the log line of an
// update that does not decode — a number quoted as a string too ("" when
// there is none: nothing else of the body is logged).
func updateIDOf(raw []byte) string {
	var head struct {
		UpdateID json.RawMessage `json:"update_id"`
	}
	if json.Unmarshal(raw, &head) != nil {
		return ""
	}
	id := strings.Trim(string(head.UpdateID), `"`)
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		return ""
	}
	return id
}

// buttonLabel is the label of the button with callback data on a message,
// "" if it is not there any more.
func buttonLabel(m *tgbotapi.Message, data string) string {
	if m.ReplyMarkup == nil {
		return ""
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData != nil && *b.CallbackData == data {
				return clip(b.Text)
			}
		}
	}
	return ""
}

// clip cuts s to maxText characters on a rune boundary, without the
// direction controls that make a text read as another on a card or in a
// topic (supportbot.BidiControl).
func clip(s string) string { return clipRunes(supportbot.WithoutBidi(s), maxText) }

// private reports whether the update is from a private chat.
func (in incoming) private() bool {
	switch {
	case in.update.Message != nil:
		return privateChat(in.update.Message.Chat)
	case in.update.EditedMessage != nil:
		return privateChat(in.update.EditedMessage.Chat)
	case in.update.MyChatMember != nil:
		return privateChat(&in.update.MyChatMember.Chat)
	case in.update.CallbackQuery != nil:
		return in.update.CallbackQuery.Message != nil && privateChat(in.update.CallbackQuery.Message.Chat)
	}
	return false
}

// splitText cuts Telegram HTML text into pieces that show at most limit
// UTF-16 code units each (how Telegram counts, after parsing: a tag counts
// nothing, an entity such as &lt; one), preferring line boundaries. A tag
// open at a cut (a long schedule's <pre>) is closed at the end of its piece
// and opened again at the start of the next, so that every piece parses on
// its own.
func splitText(text string, limit int) []string {
	var parts []string
	for {
		cut, lastNL := shownPrefix(text, limit)
		if cut == len(text) {
			break
		}
		if lastNL > 0 && visible(text[:lastNL]) { // every piece shows something
			cut = lastNL
		}
		part := strings.TrimRight(text[:cut], "\n")
		open := openTags(part)
		reopen := strings.Join(open, "")
		for i := len(open) - 1; i >= 0; i-- {
			part += "</" + tagName(open[i]) + ">"
		}
		parts = append(parts, part)
		text = reopen + strings.TrimLeft(text[cut:], "\n")
	}
	if len(parts) > 0 && !visible(text) { // only the tags carried over and their ends
		return parts
	}
	return append(parts, text)
}

// messageLimit is how much one Telegram message shows, in UTF-16 units.
const messageLimit = 4096

// fitsOneMessage reports whether HTML text shows within one message.
func fitsOneMessage(text string) bool {
	end, _ := shownPrefix(text, messageLimit)
	return end == len(text)
}

// shownPrefix is how much of HTML text shows at most limit UTF-16 units:
// the byte offset where it ends (len(text) when all of it does; never inside
// a tag or an entity), and the offset of the last line break within it (-1
// if none).
func shownPrefix(text string, limit int) (end, lastNL int) {
	units, lastNL := 0, -1
	inTag, inEntity := false, false
	for i, r := range text {
		switch {
		case inTag:
			inTag = r != '>'
			continue
		case r == '<':
			inTag = true
			continue
		case inEntity:
			inEntity = r != ';'
			continue
		case r == '&':
			inEntity = true
		}
		n := 1
		if r >= 0x10000 {
			n = 2
		}
		if units+n > limit {
			return i, lastNL
		}
		units += n
		if r == '\n' {
			lastNL = i
		}
	}
	return len(text), lastNL
}

// openTags are the tags of HTML text still open at its end, outermost
// first, as written (attributes included).
func openTags(html string) []string {
	var open []string
	for rest := html; ; {
		lt := strings.IndexByte(rest, '<')
		if lt < 0 {
			return open
		}
		gt := strings.IndexByte(rest[lt:], '>')
		if gt < 0 {
			return open
		}
		tag := rest[lt : lt+gt+1]
		rest = rest[lt+gt+1:]
		if !strings.HasPrefix(tag, "</") {
			open = append(open, tag)
			continue
		}
		name := strings.TrimSpace(tag[2 : len(tag)-1])
		for i := len(open) - 1; i >= 0; i-- {
			if tagName(open[i]) == name {
				open = open[:i]
				break
			}
		}
	}
}

// tagName is the name of an opening tag: "a" of `<a href="…">`.
func tagName(tag string) string {
	name := strings.TrimSuffix(strings.TrimPrefix(tag, "<"), ">")
	if i := strings.IndexAny(name, " \t\n"); i >= 0 {
		name = name[:i]
	}
	return name
}

// visible reports whether HTML text shows anything but white space.
func visible(html string) bool {
	inTag := false
	for _, r := range html {
		switch {
		case r == '<':
			inTag = true
		case r == '>':
			inTag = false
		case !inTag && !unicode.IsSpace(r):
			return true
		}
	}
	return false
}

// carried is the text a copy of m carries besides its caption: a file's
// name, an audio's title and performer, a poll's question, options and a
// quiz's explanation, a venue's name and address, newer content's text (f:
// a checklist's) — what the agent would read in the copy.
func carried(m *tgbotapi.Message, f *messageExtra) string {
	var parts []string
	add := func(s ...string) {
		for _, t := range s {
			if t != "" {
				parts = append(parts, t)
			}
		}
	}
	switch {
	case m.Document != nil:
		add(m.Document.FileName)
	case m.Audio != nil:
		add(m.Audio.FileName, m.Audio.Title, m.Audio.Performer)
	case m.Video != nil:
		add(m.Video.FileName)
	case m.Animation != nil:
		add(m.Animation.FileName)
	case m.Poll != nil:
		add(m.Poll.Question, m.Poll.Explanation) // a quiz's explanation too (a probe)
		for _, o := range m.Poll.Options {
			add(o.Text)
		}
	case m.Venue != nil:
		add(m.Venue.Title, m.Venue.Address)
	}
	add(f.carried())
	return strings.Join(parts, " · ")
}

// hasMedia reports whether a message carries something to relay (and,
// outside a hand-off, to answer that only text is understood): anything a
// person sends but text and a contact. Service messages (a pin, a topic
// edit, members joining) are not.
func hasMedia(m *tgbotapi.Message) bool {
	return len(m.Photo) > 0 || m.Document != nil || m.Video != nil || m.Voice != nil || m.Audio != nil ||
		m.Sticker != nil || m.Animation != nil || m.VideoNote != nil || m.Location != nil || m.Venue != nil ||
		m.Dice != nil || m.Poll != nil || m.Game != nil
}

// fromUser copies who sent an update into its event.
func fromUser(ev *supportbot.Event, u *tgbotapi.User) {
	ev.FirstName, ev.Username, ev.LanguageCode = clip(u.FirstName), u.UserName, u.LanguageCode
}

// privateChat reports a chat with one person: private, and numbered as a
// person is (positive). A "private" chat with a group's id is forged: one
// with the staff chat's id took tickets as an agent (a probe).
func privateChat(c *tgbotapi.Chat) bool { return c != nil && c.IsPrivate() && c.ID > 0 }
