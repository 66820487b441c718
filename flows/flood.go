package flows

import (
	"context"
	"encoding/json"
	"time"

	"supportbot"
)

// What one chat can queue is bounded (issue 15.7): 2,000 messages from one
// customer queued 1,969 replies, half an hour of sending at Telegram's one
// message a second per chat. The bound is applied where replies are made,
// in the step's transaction; the sender sends whatever was committed and
// never drops a reply it cannot judge.
//
// The rules, for a step of the customer's own doing (text, command, button,
// contact, media) in a private chat:
//   - a reply identical to the one last waiting for the chat is not queued
//     again (the same thing said twice in a row: "I can't answer that" to
//     each of a flood of messages); one said again after something else is;
//   - when maxBacklog messages already wait for the chat, the step's replies
//     to the chat are not queued (everything else the step did is: its state,
//     audit, money actions, relays to an agent) — but a step waiting for a
//     yes whose message is not queued is left, never to be confirmed unseen;
//     the customer is told once to slow down instead, and again at most every
//     slowDownEvery;
//   - but a message Telegram says was sent before the oldest of those
//     replies was queued was not typed over them: the backlog is the bot's
//     (Telegram or the bot was down, and what the customer wrote at their
//     own pace came at once). Its replies are queued up to maxLateBacklog.
//
// Never bounded: what the customer did not cause at that moment — a settled
// money action, a core event, an agent's reply, a reminder, a broadcast —
// and the staff chat, whose tickets take turns in the sender.
const (
	maxBacklog     = 10
	maxLateBacklog = 60 // a minute of sending: an outage's worth of messages
	slowDownEvery  = 10 * time.Minute
)

// bound applies the per-chat bound to a step's replies.
func (s *Step) bound(ctx context.Context, tx Tx, out []supportbot.Reply) ([]supportbot.Reply, error) {
	chat := s.ev.ChatID
	if isInternal(s.ev.Kind) || chat == s.e.cfg.AgentChatID || chat <= 0 || s.q == nil || s.q.ID == 0 {
		return out, nil
	}
	waiting, since, err := tx.Backlog(ctx, chat, maxBacklog)
	if err != nil {
		return nil, err
	}
	if len(waiting) == 0 {
		return out, nil
	}
	limit := maxBacklog
	if len(waiting) == maxBacklog && sentBefore(s.ev.Sent, since) {
		// Held up on the way: judged against the larger bound.
		if waiting, _, err = tx.Backlog(ctx, chat, maxLateBacklog); err != nil {
			return nil, err
		}
		limit = maxLateBacklog
	}
	last := replyKey(waiting[len(waiting)-1])
	kept := out[:0:0]
	dropped := 0
	for _, r := range out {
		switch {
		case r.ChatID != chat, r.Strip != "" && shows(waiting, r.Strip):
			// Taking off the keyboard of a step message that is queued is
			// kept: otherwise a flood would leave expired buttons live.
			kept = append(kept, r)
		case len(waiting) >= limit:
			dropped++
			if r.Nonce != "" && r.Nonce == s.conv.Nonce && waitsForYes(s.conv.State) {
				// The step's own message, never shown: a "确认" typed later
				// must not confirm it (a probe paid a quote dropped here).
				s.leave()
			}
		case replyKey(r) == last:
			// said just before, and not yet sent: once is enough
		default:
			kept = append(kept, r)
			last = replyKey(r)
		}
	}
	if dropped > 0 {
		due, err := tx.SlowDownDue(ctx, chat, slowDownEvery)
		if err != nil {
			return nil, err
		}
		if due {
			kept = append(kept, supportbot.Reply{ChatID: chat, Text: s.T("flood.slow_down")})
		}
		s.e.log.Warn("chat over its outbox bound: replies not queued", "chat", s.e.chatRef(chat),
			"waiting", len(waiting), "dropped", dropped, "told", due)
	}
	return kept, nil
}

// sentBefore reports whether a message sent at sent (Telegram's time, to the
// second; zero: not known) was surely sent before queued.
func sentBefore(sent, queued time.Time) bool {
	return !sent.IsZero() && !queued.Before(sent.Add(time.Second))
}

// shows reports whether a waiting reply shows the buttons of step nonce.
func shows(waiting []supportbot.Reply, nonce string) bool {
	for _, r := range waiting {
		if r.Nonce == nonce {
			return true
		}
	}
	return false
}

// replyKey is a reply as the outbox keeps it: equal keys, the same message.
func replyKey(r supportbot.Reply) string {
	b, _ := json.Marshal(r)
	return string(b)
}
