package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot"
)

// What the sender does for the agent desk beside sending: topics made
// (again, with a fresh card), closing notes, tracked messages edited in
// place, reactions, and why a reply was refused.

// closingNote posts the note a topic closes with (CloseTopic with a Text),
// or edits it when it was posted (the rating came): the note and the close
// are one reply, so that a later note still closes the topic whichever is
// sent first. A topic closed already is opened for the note (and closed
// again after it); a topic deleted takes no note.
func (s *sender) closingNote(ctx context.Context, r supportbot.Reply, topic int64) error {
	r.ThreadID, r.CloseTopic = topic, false
	if edited, err := s.editTracked(ctx, r); edited {
		return err
	}
	_, id, err := s.srv.sendParts(ctx, r, 0)
	if topicClosed(err) {
		if err = s.reopenTopic(r.ChatID, topic); err == nil {
			_, id, err = s.srv.sendParts(ctx, r, 0)
		}
	}
	if topicLost(err) {
		return nil
	}
	if err == nil {
		s.track(ctx, r, id)
	}
	return err
}

// editTracked edits the message a tracked reply went out as last, while it
// can be edited; edited is false when there is none or it cannot be edited
// any more (deleted, too old): the reply is then sent as a new message.
func (s *sender) editTracked(ctx context.Context, r supportbot.Reply) (edited bool, err error) {
	if r.Edit = s.tracked(ctx, r); r.Edit == 0 {
		return false, nil
	}
	_, err = s.srv.editOnce(ctx, r)
	if err != nil && uneditable(err) {
		return false, nil
	}
	return true, err
}

// reopenTopic opens a closed topic again (open already is fine).
func (s *sender) reopenTopic(chatID, topic int64) error {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", chatID)
	p.AddNonZero64("message_thread_id", topic)
	if _, err := s.srv.api.MakeRequest("reopenForumTopic", p); err != nil && !topicNotModified(err) {
		return err
	}
	return nil
}

// topicClosed is Telegram refusing a message into a closed topic.
func topicClosed(err error) bool { return telegramSays(err, "topic_closed") }

// keepTopic records a topic just made as its ticket's. The topic exists
// now: unrecorded, the next message would make another (a probe: a second,
// empty "#T1" after a database outage), so a database away is waited for,
// up to topicKeptWithin.
func (s *sender) keepTopic(ctx context.Context, ticketID, topic int64) error {
	deadline := time.Now().Add(topicKeptWithin)
	for wait := 250 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
		err := s.outbox.SetTicketTopic(ctx, ticketID, topic)
		if err == nil || supportbot.ErrorCode(err) == supportbot.ENOTFOUND || time.Now().Add(wait).After(deadline) {
			return err
		}
		s.srv.log.Warn("record a ticket's topic: trying again", "ticket", ticketID, "err", err)
		if !sleep(ctx, wait) {
			return err
		}
	}
}

// topicKeptWithin is how long keepTopic waits for the database.
const topicKeptWithin = time.Minute

// makeTopic creates a ticket's topic. The first one is named by the
// ticket's card (the reply being sent); one made again after an agent
// deleted the topic is named and carded afresh by TopicCard, so the agent
// sees who it is and what they want before the message that needed it.
func (s *sender) makeTopic(ctx context.Context, r supportbot.Reply) (int64, error) {
	name, icon := r.TopicName, r.TopicIcon
	var card string
	if name == "" && s.srv.cfg.TopicCard != nil {
		c, err := s.srv.cfg.TopicCard(ctx, r.TicketID)
		if err != nil {
			s.srv.log.Warn("card for a topic made again", "ticket", r.TicketID, "err", err)
		}
		name, icon, card = c.Name, c.Icon, c.Text
	}
	if name == "" {
		name = fmt.Sprintf("#T%d", r.TicketID)
	}
	p := tgbotapi.Params{"name": clipRunes(name, 128)}
	p.AddNonZero64("chat_id", r.ChatID)
	if icon != "" {
		p["icon_custom_emoji_id"] = icon
	}
	resp, err := s.srv.api.MakeRequest("createForumTopic", p)
	if err != nil {
		return 0, err
	}
	var created struct {
		ThreadID int64 `json:"message_thread_id"`
	}
	if err := json.Unmarshal(resp.Result, &created); err != nil || created.ThreadID == 0 {
		return 0, fmt.Errorf("createForumTopic: unexpected answer %s", resp.Result)
	}
	if err := s.keepTopic(ctx, r.TicketID, created.ThreadID); err != nil {
		return 0, err
	}
	if card != "" {
		// One more message into the group: it waits for the group's budget
		// like any other, and is retried a few times on its own.
		if err := s.chatLimiter(r.ChatID).Wait(ctx); err != nil {
			return created.ThreadID, nil
		}
		err := s.srv.retry(ctx, "send card", func() error {
			_, _, err := s.srv.sendParts(ctx, supportbot.Reply{ChatID: r.ChatID, ThreadID: created.ThreadID, Text: card}, 0)
			return err
		})
		if err != nil {
			s.srv.log.Warn("card of a topic made again", "ticket", r.TicketID, "err", scrub(err, s.srv.cfg.Token))
		}
	}
	return created.ThreadID, nil
}

// tracked is the message a tracked reply made before, 0 if none is known.
func (s *sender) tracked(ctx context.Context, r supportbot.Reply) int64 {
	if r.Track == "" || s.srv.cfg.Tracker == nil {
		return 0
	}
	id, err := s.srv.cfg.Tracker.TrackedMessage(ctx, r.ChatID, r.Track)
	if err != nil {
		s.srv.log.Warn("read a tracked message", "err", err)
	}
	return id
}

// withdraw takes back the message (and its parts) a tracked reply made: an
// agent's reply sent to the wrong customer. Deleted — or, past the 48 hours
// Telegram lets a bot delete its message in a private chat, a text emptied
// to "⋯" (dropParts) — and forgotten, so that a later edit of the agent's
// message does not bring it back.
func (s *sender) withdraw(ctx context.Context, r supportbot.Reply) {
	if s.srv.cfg.Tracker == nil {
		return
	}
	if id := s.tracked(ctx, r); id != 0 { // 0: never sent, the outbox took this in its place
		s.dropParts(r.ChatID, append(s.trackedParts(ctx, r), id))
		s.trackParts(ctx, r, nil)
	}
	if err := s.srv.cfg.Tracker.SetTrackedMessage(ctx, r.ChatID, r.Track, 0); err != nil {
		s.srv.log.Warn("forget a withdrawn message", "err", err)
	}
}

// track records the message a tracked reply made.
func (s *sender) track(ctx context.Context, r supportbot.Reply, id int64) {
	if r.Track == "" || id == 0 || s.srv.cfg.Tracker == nil {
		return
	}
	if err := s.srv.cfg.Tracker.SetTrackedMessage(ctx, r.ChatID, r.Track, id); err != nil {
		s.srv.log.Warn("record a tracked message", "err", err)
	}
}

// trackedParts are the messages before the last of a tracked reply that
// took several (its text over Telegram's limit), in order.
func (s *sender) trackedParts(ctx context.Context, r supportbot.Reply) []int64 {
	var ids []int64
	for k := 1; s.srv.cfg.Tracker != nil; k++ {
		id, err := s.srv.cfg.Tracker.TrackedMessage(ctx, r.ChatID, partTrack(r.Track, k))
		if err != nil || id == 0 {
			break
		}
		ids = append(ids, id)
	}
	return ids
}

// trackParts records the messages before the last of a tracked reply (none:
// it took one), forgetting those of an earlier version.
func (s *sender) trackParts(ctx context.Context, r supportbot.Reply, ids []int64) {
	if s.srv.cfg.Tracker == nil {
		return
	}
	for k := 1; ; k++ {
		var id int64
		if k <= len(ids) {
			id = ids[k-1]
		} else if known, err := s.srv.cfg.Tracker.TrackedMessage(ctx, r.ChatID, partTrack(r.Track, k)); err != nil || known == 0 {
			return
		}
		if err := s.srv.cfg.Tracker.SetTrackedMessage(ctx, r.ChatID, partTrack(r.Track, k), id); err != nil {
			s.srv.log.Warn("record a tracked message", "err", err)
			return
		}
	}
}

// partTrack is the track of the k-th message of a tracked reply sent in
// several.
func partTrack(track string, k int) string { return fmt.Sprintf("%s#%d", track, k) }

// dropParts deletes messages of a reply now said in one; one Telegram will
// not delete (too old) is emptied instead.
func (s *sender) dropParts(chatID int64, ids []int64) {
	for _, id := range ids {
		p := tgbotapi.Params{}
		p.AddNonZero64("chat_id", chatID)
		p.AddNonZero64("message_id", id)
		if _, err := s.srv.api.MakeRequest("deleteMessage", p); err != nil {
			p["text"] = "⋯"
			if _, err := s.srv.api.MakeRequest("editMessageText", p); err != nil && !notModified(err) {
				s.srv.log.Warn("take back part of a corrected reply", "chat", s.srv.cfg.ChatRefs.Of(chatID), "err", scrub(err, s.srv.cfg.Token))
			}
		}
	}
}

// react sets the bot's reaction on a message (an agent's command, done).
// A group that allows no such reaction (reactions turned off or limited by
// its admins) gets the emoji as a reply to the message instead: a 🤷 "not
// relayed" must not go unseen.
func (s *sender) react(ctx context.Context, r supportbot.Reply) error {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", r.ChatID)
	p.AddNonZero64("message_id", r.React)
	if err := p.AddInterface("reaction", []map[string]string{{"type": "emoji", "emoji": r.Reaction}}); err != nil {
		return err
	}
	_, err := s.srv.api.MakeRequest("setMessageReaction", p)
	if telegramSays(err, "reaction_invalid") || telegramSays(err, "reactions_") {
		text := r.Text
		if text == "" {
			text = r.Reaction
		}
		// A post is a message: it takes the chat's budget, which the
		// reaction did not — or waits for it, tried again later rather
		// than holding a sending slot meanwhile.
		if lim := s.chatLimiter(r.ChatID); !lim.Allow() {
			return budgetSpent{wait: lim.Delay()}
		}
		_, _, err = s.srv.sendParts(ctx, supportbot.Reply{ChatID: r.ChatID, ThreadID: r.ThreadID, Text: text, ReplyTo: r.React}, 0)
		if topicClosed(err) { // a closed ticket's topic takes no post: General does
			_, _, err = s.srv.sendParts(ctx, supportbot.Reply{ChatID: r.ChatID, Text: text}, 0)
		}
	}
	return err
}

// budgetSpent is a message that found its chat's budget spent: tried again
// when there is room, not counted as a failure.
type budgetSpent struct{ wait time.Duration }

func (budgetSpent) Error() string { return "the chat's message budget is spent" }

// free reports replies that do not count against a chat's message budget:
// a reaction makes no message.
func free(r supportbot.Reply) bool { return r.React != 0 }

// undelivered says why Telegram refused a reply for good.
func undelivered(err error) string {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return supportbot.UndeliveredRejected
	}
	msg := strings.ToLower(te.Message)
	switch {
	case strings.Contains(msg, "deactivated") || strings.Contains(msg, "chat not found"):
		return supportbot.UndeliveredGone
	case te.Code == 403:
		return supportbot.UndeliveredBlocked
	}
	return supportbot.UndeliveredRejected
}

// topicNotModified is Telegram refusing a topic change that changes nothing.
func topicNotModified(err error) bool { return telegramSays(err, "topic_not_modified") }

// clipRunes cuts s to n characters (a topic name has at most 128).
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
