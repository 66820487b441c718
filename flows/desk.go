package flows

import (
	"context"
	"strconv"
	"strings"
	"time"

	"supportbot"
	"supportbot/locale"
)

// The desk's watch over waiting customers and the chats it cannot reach:
// reminders that repeat and escalate while nobody answers, queue positions
// told as they change, blocks and refused replies shown where the agent
// looks, and a fresh card for a topic made again.

// Reminders of a ticket nobody answered: the first agentReminder into
// business hours, then every remindEvery, mentioning the agents; the
// customer hears of the wait at the first and every third.
const remindEvery = 10 * time.Minute

// queueEvery is how often at most a waiting customer is told their place.
const queueEvery = 2 * time.Minute

// remindTickets nudges the topic of every ticket nobody answered, again and
// again while nobody does, mentioning who should: the agent holding it, or
// every agent. Agents are only nudged in business hours, and a ticket
// opened after hours waits from when they are back.
func (e *Engine) remindTickets(ctx context.Context, now time.Time) (int, error) {
	if !e.cfg.Hours.Contains(now, e.cfg.Location) {
		return 0, nil
	}
	list, err := e.st.WaitingForAnswer(ctx, now.Add(-agentReminder))
	if err != nil {
		return 0, err
	}
	var agents []supportbot.Agent
	n := 0
	for i := range list {
		t := &list[i]
		since := t.CreatedAt // the first answer waited for, or a follow-up's
		followUp := !t.FirstReplyAt.IsZero() && t.WaitingSince.After(t.FirstReplyAt)
		if followUp {
			since = t.WaitingSince
		}
		if now.Sub(e.cfg.Hours.NextOpen(since, e.cfg.Location)) < agentReminder {
			continue // asked after hours: the clock starts when agents are back
		}
		if t.Reminders > 0 && now.Sub(t.RemindedAt) < remindEvery {
			continue
		}
		if agents == nil {
			if agents, err = e.st.Agents(ctx); err != nil {
				return n, err
			}
		}
		lang := supportbot.LangZH
		if c, err := e.st.Conversation(ctx, t.ChatID); err == nil {
			if c.Unreachable {
				// Blocked the bot: no answer can reach them, and the
				// topic says so (⛔). Its clock stops — a desk probe got
				// every agent paged every 10 minutes, and "not delivered"
				// notes for the bot's own wait notices.
				continue
			}
			lang = c.Lang
		}
		waited := int(now.Sub(since).Minutes())
		reminder, escalate := "agent.reminder", "desk.escalate"
		if followUp {
			// Answered before: not "no agent has answered" (a desk probe).
			reminder, escalate = "agent.reminder_followup", "desk.escalate_followup"
		}
		topic := e.cfg.Catalog.T(supportbot.LangZH, reminder, "minutes", waited)
		if t.Reminders > 0 {
			topic = e.cfg.Catalog.T(supportbot.LangZH, escalate, "minutes", waited, "agents", e.mentions(t, agents))
		}
		id, seen, chat := t.ID, t.Reminders, t.ChatID
		queued := 0
		err := e.st.Update(ctx, func(tx Tx) error {
			queued = 0
			fresh, err := tx.TicketReminded(ctx, id, seen, now)
			if err != nil || !fresh {
				return err // answered, or reminded meanwhile (by another instance too)
			}
			t, err := tx.Ticket(ctx, id)
			if err != nil {
				return err
			}
			t.Relay.Closed = true // the customer's next line below the reminder, not edited in above it
			if err := tx.UpdateTicket(ctx, t); err != nil {
				return err
			}
			out := []supportbot.Reply{{ChatID: e.cfg.AgentChatID, TicketID: id, Text: topic}}
			if (seen+1)%3 == 1 {
				out = append(out, supportbot.Reply{ChatID: chat, Text: e.cfg.Catalog.T(lang, "agent.wait", "minutes", waited)})
			}
			queued = len(out)
			return tx.Enqueue(ctx, out)
		})
		if err != nil {
			return n, err
		}
		n += queued
	}
	return n, nil
}

// mentions names who should answer a ticket so that Telegram notifies
// them: its agent, or every listed agent.
func (e *Engine) mentions(t *supportbot.Ticket, seen []supportbot.Agent) locale.HTML {
	ids := e.cfg.AgentIDs
	if t.AgentID != 0 {
		ids = []int64{t.AgentID}
	}
	var out []string
	for _, id := range ids {
		name := ""
		for _, a := range seen {
			if a.ID == id {
				name = a.Name
			}
		}
		if id == t.AgentID && t.AgentName != "" {
			name = t.AgentName
		}
		out = append(out, string(mention(id, or(name, "#"+strconv.FormatInt(id, 10)))))
	}
	return locale.HTML(strings.Join(out, " "))
}

// tellQueues tells each waiting customer their new place in the queue when
// it moved, at most every queueEvery.
func (e *Engine) tellQueues(ctx context.Context, now time.Time) (int, error) {
	if e.cfg.AgentChatID == 0 {
		return 0, nil
	}
	list, err := e.st.QueuedTickets(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range list {
		t, pos := &list[i], i+1
		if t.ToldPosition == 0 || pos >= t.ToldPosition || now.Sub(t.ToldAt) < queueEvery {
			continue
		}
		c, err := e.st.Conversation(ctx, t.ChatID)
		if err != nil || c.Unreachable || c.Flow != "agent" {
			continue
		}
		id, text := t.ID, e.cfg.Catalog.T(c.Lang, "desk.queue_moved", "position", pos)
		queued := 0
		err = e.st.Update(ctx, func(tx Tx) error {
			queued = 0
			t, err := tx.Ticket(ctx, id)
			if err != nil || t.AgentID != 0 || t.Status != supportbot.TicketOpen || t.ToldPosition <= pos {
				return err
			}
			t.ToldPosition, t.ToldAt = pos, now
			if err := tx.UpdateTicket(ctx, t); err != nil {
				return err
			}
			queued = 1
			return tx.Enqueue(ctx, []supportbot.Reply{{ChatID: t.ChatID, Text: text}})
		})
		if err != nil {
			return n, err
		}
		n += queued
	}
	return n, nil
}

// memberEvent takes the customer blocking or unblocking the bot: the chat
// is (un)reachable from now, and an open ticket's topic says so at once —
// in a note and in its name.
func memberEvent(s *Step) error {
	blocked := s.ev.Data == "kicked"
	if s.conv.Unreachable == blocked {
		return nil
	}
	s.conv.Unreachable = blocked
	action := "chat_unblocked"
	if blocked {
		action = "chat_blocked"
	}
	s.audit(action, nil)
	t, err := s.e.st.OpenTicket(s.ctx, s.conv.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND || s.e.cfg.AgentChatID == 0 {
		if !blocked { // back: a hand-off closed meanwhile is told now, in a message of its own
			if err := closedWhileAway(s); err != nil || s.lead == "" {
				return err
			}
			note := s.lead
			s.lead = ""
			s.say(note, s.next(s.humanBtn())...)
		}
		return nil
	} else if err != nil {
		return err
	}
	if !blocked { // back to an open hand-off: what settled meanwhile, all the same
		if err := settledWhileAway(s); err != nil {
			return err
		}
		if note := s.lead; note != "" {
			s.lead = ""
			s.say(note)
		}
	}
	s.tellTopicBlocked(t, blocked)
	return nil
}

// tellTopicBlocked says in the ticket's topic that the customer blocked
// the bot, or is back, and names the topic so (⛔).
func (s *Step) tellTopicBlocked(t *supportbot.Ticket, blocked bool) {
	key := "desk.unblocked"
	if blocked {
		key = "desk.blocked"
	}
	s.reply(supportbot.Reply{ChatID: s.e.cfg.AgentChatID, TicketID: t.ID, Text: s.staffT(key)})
	s.reply(s.e.retitle(t, blocked))
}

// openTicket is the chat's open ticket, nil when it has none.
func (s *Step) openTicket() (*supportbot.Ticket, error) {
	t, err := s.e.st.OpenTicket(s.ctx, s.conv.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return nil, nil
	}
	return t, err
}

// backAtTheDesk tells the topic of the open ticket of a chat that wrote
// after it was found unreachable (a send refused with 403, no
// my_chat_member update after it) that the customer is back: their message
// is proof enough (a desk probe: ⛔ stayed, and the ticket was not waited on).
func backAtTheDesk(s *Step) error {
	if s.e.cfg.AgentChatID == 0 || s.conv.Flow != "agent" {
		return nil
	}
	t, err := s.openTicket()
	if t == nil || err != nil {
		return err
	}
	s.audit("chat_unblocked", map[string]any{"by": "message"})
	s.tellTopicBlocked(t, false)
	return nil
}

// closedWhileAway tells a customer back from blocking the bot that their
// last hand-off was closed meanwhile — its closing did not reach them, and
// they have not written since — and that what the agent sent did not reach
// them (a probe: back, they got "can't answer" and never knew).
func closedWhileAway(s *Step) error {
	if err := settledWhileAway(s); err != nil {
		return err
	}
	t, err := lastDeskTicket(s)
	if err != nil || t == nil {
		return err
	}
	if t.Status == supportbot.TicketOpen || t.Invite != supportbot.InviteBlocked && t.Invite != supportbot.InviteUndelivered {
		return nil // open, or its closing reached them
	}
	if !t.ClosedAt.After(lastWrote(s)) {
		return nil // they wrote after it closed: they knew
	}
	s.lead = joinLead(s.lead, s.T("agent.closed_while_away", "time", when(s, t.ClosedAt)))
	return nil
}

// settledWhileAway puts in the lead what the message center got since the
// customer last wrote — a payment's outcome, a cancellation, a closure's
// decision — for a customer back from blocking the bot: its message did not
// reach them (a probe: blocked while a payment settled, back, only the
// greeting, the ¥3,045 debit never told).
func settledWhileAway(s *Step) error {
	if s.conv.CustomerID == "" {
		return nil
	}
	list, err := s.e.st.Notices(s.ctx, s.conv.CustomerID, 0, noticesShown)
	if err != nil {
		return err
	}
	since := lastWrote(s)
	var lines []string
	for _, n := range list { // the newest first
		if !n.Time.After(since) {
			break
		}
		lines = append([]string{"• " + when(s, n.Time) + "\n  " + string(noticeText(s, n))}, lines...)
	}
	if len(lines) > 0 {
		s.lead = joinLead(s.lead, s.T("agent.settled_while_away")+"\n"+strings.Join(lines, "\n"))
	}
	return nil
}

// lastWrote is when the customer last wrote or tapped before this event,
// as the transcript has it; zero for never.
func lastWrote(s *Step) time.Time {
	lines := s.conv.Transcript.Lines()
	last := len(lines) - 1
	if s.ev.Summary() != "" {
		last-- // the last line is this message
	}
	for i := last; i >= 0; i-- {
		if lines[i].From == "customer" {
			return lines[i].Time
		}
	}
	return time.Time{}
}

// joinLead adds a note to a lead.
func joinLead(lead, note string) string {
	if lead == "" {
		return note
	}
	return lead + "\n\n" + note
}

// lastDeskTicket is the chat's latest ticket; nil when it has none, or
// there is no desk.
func lastDeskTicket(s *Step) (*supportbot.Ticket, error) {
	if s.e.cfg.AgentChatID == 0 {
		return nil, nil
	}
	t, err := s.e.st.LastTicket(s.ctx, s.conv.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return nil, nil
	}
	return t, err
}

// undeliveredEvent takes a reply Telegram refused for good: the agent on
// the chat is told in the topic (under their message, when it was theirs),
// or the closing note says the rating invitation did not arrive.
func undeliveredEvent(s *Step) error {
	why, track := s.ev.Text, s.ev.Data
	gone := why == supportbot.UndeliveredBlocked || why == supportbot.UndeliveredGone
	if gone {
		s.conv.Unreachable = true
	}
	t, err := lastDeskTicket(s)
	if err != nil || t == nil {
		return err
	}
	if why == supportbot.UndeliveredNotCopied {
		s.say(s.T("agent.not_copied"))
	}
	switch {
	case t.Status == supportbot.TicketOpen:
		r := supportbot.Reply{ChatID: s.e.cfg.AgentChatID, TicketID: t.ID, Text: s.staffT("desk.undelivered_" + why)}
		if id := agentMessage(track); id != 0 {
			r.ReplyTo = id
		}
		s.reply(r)
		if gone {
			s.reply(s.e.retitle(t, true))
		}
	case track == rateTrack(t) && t.Invite == supportbot.InviteSent:
		id := t.ID
		s.do(func(ctx context.Context, tx Tx) error {
			t, err := tx.Ticket(ctx, id)
			if err != nil || t.Invite != supportbot.InviteSent || t.Status != supportbot.TicketClosed {
				return err
			}
			t.Invite = supportbot.InviteUndelivered
			if err := tx.UpdateTicket(ctx, t); err != nil {
				return err
			}
			s.late = append(s.late, s.e.closeReply(t, closingNote(s.e.cfg.Catalog, t)))
			return nil
		})
	}
	return nil
}

// Undelivered takes a reply to a customer that Telegram refused for good
// into the chat's inbox (why: supportbot.UndeliveredBlocked, …Gone,
// …Rejected): its step tells the agent on the chat.
func (e *Engine) Undelivered(ctx context.Context, m supportbot.OutboxMessage, why string) error {
	chat := m.Reply.ChatID
	if why == supportbot.UndeliveredNotCopied {
		chat = m.Reply.CopyFromChat // the customer whose message it was
	}
	return e.Submit(ctx, supportbot.Event{Source: "undelivered:" + strconv.FormatInt(m.ID, 10), ChatID: chat,
		Kind: supportbot.EventUndelivered, Data: m.Reply.Track, Text: why, Time: e.cfg.Now()})
}

// TicketCard is the name, icon and a fresh context card of a ticket whose
// topic is made again (an agent deleted it): the customer as they are now,
// the ticket's notes, the conversation so far.
func (e *Engine) TicketCard(ctx context.Context, ticketID int64) (name, icon, card string, err error) {
	ctx, cancel := context.WithTimeout(ctx, e.cfg.StepTimeout)
	defer cancel()
	t, err := e.st.Ticket(ctx, ticketID)
	if err != nil {
		return "", "", "", err
	}
	conv, err := e.st.Conversation(ctx, t.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		conv = &supportbot.Conversation{ChatID: t.ChatID, Lang: supportbot.LangZH}
	} else if err != nil {
		return "", "", "", err
	}
	now := e.cfg.Now()
	s := &Step{ctx: ctx, e: e, conv: conv, now: now, today: supportbot.DateOf(now, e.cfg.Location), core: newCoreCache(e.core)}
	name, icon = topicName(t, conv.Unreachable)
	card, err = contextCard(s, t, true)
	return name, icon, card, err
}

// tellOtherDesks posts text — a money action done in this chat — in the
// topic of each open ticket the customer has in another chat: the agent
// helping them there is told what changed (a desk probe: a second account
// paid a plan off, and the agent, just warned to check who they talk to,
// still saw it owed).
func (s *Step) tellOtherDesks(text string) {
	if s.e.cfg.AgentChatID == 0 || s.conv.CustomerID == "" {
		return
	}
	customer, chat, staff := s.conv.CustomerID, s.conv.ChatID, s.e.cfg.AgentChatID
	s.do(func(ctx context.Context, tx Tx) error {
		chats, err := tx.CustomerConversations(ctx, customer)
		if err != nil {
			return err
		}
		for _, o := range chats {
			if o.ChatID == chat { // an open ticket is what matters: the chat handed off
				continue
			}
			t, err := tx.OpenTicket(ctx, o.ChatID)
			if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
				continue
			} else if err != nil {
				return err
			}
			s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: t.ID, Text: text})
		}
		return nil
	})
}
