package telegramtest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// updateKinds are the update types the Bot API knows; allowed_updates naming
// none of them means the default.
var updateKinds = []string{
	"message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
	"business_message", "edited_business_message", "deleted_business_messages", "message_reaction",
	"message_reaction_count", "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
	"pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
	"chat_join_request", "chat_boost", "removed_chat_boost",
}

// optInKinds are delivered only when allowed_updates names them.
var optInKinds = []string{"chat_member", "message_reaction", "message_reaction_count"}

// normalizeKinds keeps the known kinds, lower-cased, sorted; nil if none.
func normalizeKinds(kinds []string) []string {
	var out []string
	for _, k := range kinds {
		if k = strings.ToLower(k); slices.Contains(updateKinds, k) && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// setAllowed applies an allowed_updates parameter as the Bot API does: absent
// or unparseable keeps the previous setting, a list naming no known kind (such
// as []) restores the default. s.mu must be held.
func (s *Server) setAllowed(raw string) {
	var kinds []string
	if raw == "" || json.Unmarshal([]byte(raw), &kinds) != nil {
		return
	}
	s.allowed = normalizeKinds(kinds)
}

// wants reports whether the bot's allowed_updates let kind through.
func (s *Server) wants(kind string) bool {
	if s.allowed == nil {
		return !slices.Contains(optInKinds, kind)
	}
	return slices.Contains(s.allowed, kind)
}

// AllowedUpdates returns the update kinds the bot asked for with
// allowed_updates (getUpdates or setWebhook), sorted; nil while Telegram's
// default applies: every kind but chat_member, message_reaction and
// message_reaction_count.
func (s *Server) AllowedUpdates() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.allowed)
}

// push queues an update {"update_id":N, kind:v} and returns N, or returns 0
// without queueing when the bot's allowed_updates exclude kind: like Telegram,
// the filter applies when an update happens, so changing allowed_updates does
// not affect updates already queued. s.mu must be held.
func (s *Server) push(kind string, v any) int64 {
	if !s.wants(kind) {
		return 0
	}
	id := s.nextUpd
	s.nextUpd++
	b, err := json.Marshal(map[string]any{"update_id": id, kind: v})
	if err != nil {
		panic(err) // our own wire types always marshal
	}
	s.pending = append(s.pending, Update{ID: id, JSON: b})
	s.changed()
	return id
}

// Block makes user userID block the bot: sends and edits to them answer 403
// "Forbidden: bot was blocked by the user", and a my_chat_member update (the
// bot's status member → kicked) is queued if allowed_updates let it through.
// It returns the update_id, 0 if none was queued (or the user had already
// blocked the bot).
func (s *Server) Block(userID int64) int64 { return s.setBlock(userID, true) }

// Unblock undoes Block (the user restarted the bot) and queues my_chat_member
// with the bot's status kicked → member. It does not send /start: a test does
// that with SendText, as the user's client would.
func (s *Server) Unblock(userID int64) int64 { return s.setBlock(userID, false) }

func (s *Server) setBlock(userID int64, block bool) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.blocked[userID] == block {
		return 0
	}
	s.blocked[userID] = block
	s.changed()
	member := map[string]any{"user": s.bot, "status": "member"}
	kicked := map[string]any{"user": s.bot, "status": "kicked", "until_date": 0}
	old, now := member, kicked
	if !block {
		old, now = kicked, member
	}
	u := s.users[userID]
	if u.ID == 0 {
		u.ID = userID
	}
	return s.push("my_chat_member", map[string]any{"chat": s.chatWire(userID), "from": u.wire(),
		"date": s.now().Unix(), "old_chat_member": old, "new_chat_member": now})
}

// EditText makes u edit the text (or the caption, for a media message) of a
// message u sent in chatID, and queues an edited_message update carrying the
// whole edited message. It returns the update_id (0 if allowed_updates exclude
// edited_message). Entities are kept only as Telegram adds them (a leading
// /command).
func (s *Server) EditText(u User, chatID, messageID int64, text string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.msgs[msgKey{chatID, messageID}]
	switch {
	case r == nil:
		return 0, fmt.Errorf("telegramtest: no message %d in chat %d", messageID, chatID)
	case r.sent != nil || r.wire.From == nil || r.wire.From.ID != u.ID:
		return 0, fmt.Errorf("telegramtest: message %d in chat %d is not from user %d", messageID, chatID, u.ID)
	case r.wire.Contact != nil || r.wire.TopicCreated != nil:
		return 0, fmt.Errorf("telegramtest: message %d in chat %d has no text to edit", messageID, chatID)
	}
	s.users[u.ID] = u
	f := formatted{text: text, ents: commandEntity(text)}
	if kind, _ := mediaOf(r.wire); kind != "" {
		f.ents = nil
		s.setContent(r, f, true)
	} else {
		s.setContent(r, f, false)
	}
	r.wire.EditDate = s.now().Unix()
	r.record("user", s.now())
	s.changed()
	return s.push("edited_message", r.wire), nil
}

// MessageOf returns the current state of the message a user's message update
// carried (SendText, SendGroupText, SendPhoto, SendAlbum, …), for its id.
func (s *Server) MessageOf(updateID int64) (ChatMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.updMsgs[updateID]
	if !ok || s.msgs[k] == nil {
		return ChatMessage{}, false
	}
	return s.chatMessage(s.msgs[k]), true
}

// React makes u set emoji (none: remove) as their reactions to a message and
// queues a message_reaction update; Telegram sends those only to a bot that
// names message_reaction in allowed_updates (and is a group admin).
func (s *Server) React(u User, chatID, messageID int64, emoji ...string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.msgs[msgKey{chatID, messageID}]
	if r == nil {
		return 0, fmt.Errorf("telegramtest: no message %d in chat %d", messageID, chatID)
	}
	s.users[u.ID] = u
	k := reactionKey{chatID, messageID, u.ID}
	old := s.userReactions[k]
	s.userReactions[k] = slices.Clone(emoji)
	return s.push("message_reaction", map[string]any{"chat": s.chatWire(chatID), "message_id": messageID,
		"user": u.wire(), "date": s.now().Unix(), "old_reaction": reactionTypes(old), "new_reaction": reactionTypes(emoji)}), nil
}

type reactionKey struct{ chat, msg, user int64 }

func reactionTypes(emoji []string) []map[string]string {
	out := []map[string]string{}
	for _, e := range emoji {
		out = append(out, map[string]string{"type": "emoji", "emoji": e})
	}
	return out
}
