package flows

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"supportbot"
)

// agentReminder: an unanswered ticket this far into business hours earns a
// reminder in its topic and a word to the customer.
const agentReminder = 5 * time.Minute

// Agent hands the chat to a person in the staff chat: a ticket, a forum
// topic with a context card, and a relay both ways until an agent closes it
// or the customer sends /end. Without a staff chat the customer gets the
// hotline and hours, and the ticket is still recorded.
func agentFlow() *spec {
	return &spec{
		name:    "agent",
		initial: "idle",
		events: fsm.Events{
			{Name: "queue", Src: []string{"idle"}, Dst: "queued"},
			{Name: "claim", Src: []string{"queued"}, Dst: "claimed"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_queued": func(_ ctxT, e *fsm.Event) { e.Err = queued(s, e.Args[0].(*supportbot.Ticket)) },
			}
		},
		start: startAgent,
		// While handed off, what the customer sends goes to the agent.
		handle: relayToAgent,
	}
}

// rateFlow asks for a 1–5 rating after an agent closed the chat.
func rateFlow() *spec {
	return &spec{
		name:    "rate",
		initial: "idle",
		events:  fsm.Events{{Name: "ask", Src: []string{"idle"}, Dst: "asking"}},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{"enter_asking": func(_ ctxT, _ *fsm.Event) {
				row := make([]supportbot.Button, 5)
				for i := range row {
					row[i] = s.btn(strconv.Itoa(i+1)+"⭐", strconv.Itoa(i+1))
				}
				s.say(s.T("agent.rate"), row)
			}}
		},
		start: func(s *Step, _ string) error { return s.fire("rate", "ask") },
		handle: func(s *Step, action string) (bool, error) {
			n, err := strconv.Atoi(action)
			if err != nil || n < 1 || n > 5 {
				return false, nil // typed text: the customer moved on
			}
			t, err := s.tx.LastTicket(s.ctx, s.conv.ChatID)
			if err != nil {
				return true, err
			}
			t.Rating = n
			if err := s.tx.UpdateTicket(s.ctx, t); err != nil {
				return true, err
			}
			s.finish()
			s.say(s.T("agent.rated", "rating", n), s.menuRows()...)
			return true, nil
		},
	}
}

func startAgent(s *Step, _ string) error {
	if t, err := s.tx.OpenTicket(s.ctx, s.conv.ChatID); err == nil {
		// Already waiting: say where, and keep relaying.
		s.conv.Flow, s.conv.State = "agent", "queued"
		if t.AgentID != 0 {
			s.conv.State = "claimed"
		}
		return tellQueue(s, t)
	} else if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		return err
	}
	t := &supportbot.Ticket{ChatID: s.conv.ChatID, CustomerID: s.conv.CustomerID, Status: supportbot.TicketOpen, Reason: s.reason()}
	if s.e.cfg.AgentChatID == 0 {
		t.Status, t.ClosedAt = supportbot.TicketReferred, s.now
		if err := s.tx.CreateTicket(s.ctx, t); err != nil {
			return err
		}
		s.finish()
		s.say(s.T("agent.hotline", "hotline", s.e.cfg.Hotline, "hours", s.e.cfg.Hours.String()), s.menuRows()...)
		return nil
	}
	if err := s.tx.CreateTicket(s.ctx, t); err != nil {
		return err
	}
	return s.fire("agent", "queue", t)
}

// reason is what the customer was doing when they asked for a person.
func (s *Step) reason() string {
	var parts []string
	if s.from != "" {
		parts = append(parts, s.from)
	}
	for i := len(s.conv.Transcript) - 1; i >= 0; i-- {
		if l := s.conv.Transcript[i]; l.From == "customer" && !strings.HasPrefix(l.Text, "[") {
			parts = append(parts, clipText(l.Text, 100))
			break
		}
	}
	return strings.Join(parts, " · ")
}

// queued posts the context card in a new topic and tells the customer.
func queued(s *Step, t *supportbot.Ticket) error {
	card, name, err := contextCard(s, t)
	if err != nil {
		return err
	}
	s.reply(supportbot.Reply{ChatID: s.e.cfg.AgentChatID, TicketID: t.ID, TopicName: name, Text: card})
	return tellQueue(s, t)
}

// tellQueue tells the customer their place, and when agents are back if
// they are away.
func tellQueue(s *Step, t *supportbot.Ticket) error {
	pos, err := s.tx.QueuePosition(s.ctx, t)
	if err != nil {
		return err
	}
	text := s.T("agent.queued", "position", max(pos, 1))
	if t.AgentID != 0 {
		text = s.T("agent.claimed", "agent", t.AgentName)
	} else if h := s.e.cfg.Hours; !h.Contains(s.now, s.e.cfg.Location) {
		back := h.NextOpen(s.now, s.e.cfg.Location)
		text += "\n" + s.T("agent.after_hours", "hours", h.String(), "back", when(s, back))
	}
	s.reply(supportbot.Reply{Text: text + "\n" + s.T("agent.end_hint"), RemoveKeyboard: true})
	return nil
}

// contextCard is the first post of a ticket's topic, and the topic's name.
func contextCard(s *Step, t *supportbot.Ticket) (string, string, error) {
	name := s.ev.FirstName
	lines := []string{}
	id := "—"
	if t.CustomerID != "" {
		c, err := s.tx.Customer(s.ctx, t.CustomerID)
		if err != nil {
			return "", "", err
		}
		name, id = c.Name, c.ID
		lines = append(lines, s.staffT("card.customer_verified", "name", c.Name, "id", c.ID, "phone", supportbot.MaskPhone(c.Phone)))
		plans, err := s.tx.Plans(s.ctx, c.ID)
		if err != nil {
			return "", "", err
		}
		for _, p := range plans {
			if !p.Open() {
				continue
			}
			overdue := 0
			for _, b := range p.Bills {
				if b.Overdue(s.today) {
					overdue++
				}
			}
			lines = append(lines, s.staffT("card.plan", "product", p.Product, "plan", p.ID, "paid", p.PaidPeriods(),
				"periods", p.Periods, "remaining", money(p.Remaining()), "overdue", overdue))
		}
	} else {
		lines = append(lines, s.staffT("card.customer_unverified", "name", name))
	}
	topic := fmt.Sprintf("#T%d %s %s", t.ID, name, id)
	head := []string{s.staffT("card.title", "ticket", t.ID)}
	lines = append(head, lines...)
	lines = append(lines, s.staffT("card.lang", "lang", string(s.conv.Lang)), s.staffT("card.reason", "reason", or(t.Reason, "—")))
	if t.PreviousID != 0 {
		lines = append(lines, s.staffT("card.previous", "ticket", t.PreviousID))
	}
	if len(s.conv.Transcript) > 0 {
		lines = append(lines, s.staffT("card.transcript"))
		for _, l := range s.conv.Transcript {
			lines = append(lines, fmt.Sprintf("[%s %s] %s", l.Time.In(s.e.cfg.Location).Format("15:04"), s.staffT("card.from_"+l.From), l.Text))
		}
	}
	lines = append(lines, "", s.staffT("card.help"))
	return strings.Join(lines, "\n"), topic, nil
}

// staffT renders a message for the staff chat, which works in Chinese.
func (s *Step) staffT(key string, args ...any) string {
	return s.e.cfg.Catalog.T(supportbot.LangZH, key, args...)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// relayToAgent passes what the customer sends to the ticket's topic; /end
// leaves the queue.
// It returns false when the ticket is gone (closed meanwhile): the chat is
// back with the bot, which takes the event itself.
func relayToAgent(s *Step, action string) (bool, error) {
	t, err := s.tx.OpenTicket(s.ctx, s.conv.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		s.finish()
		return false, nil
	} else if err != nil {
		return true, err
	}
	ev := s.ev
	switch {
	case ev.Kind == supportbot.EventCommand && ev.Text == "end":
		t.Status, t.ClosedAt = supportbot.TicketClosed, s.now
		if err := s.tx.UpdateTicket(s.ctx, t); err != nil {
			return true, err
		}
		s.reply(supportbot.Reply{ChatID: s.e.cfg.AgentChatID, TicketID: t.ID, Text: s.staffT("agent.customer_left")})
		s.reply(supportbot.Reply{ChatID: s.e.cfg.AgentChatID, TicketID: t.ID, CloseTopic: true})
		s.finish()
		s.say(s.T("agent.left"), s.menuRows()...)
		return true, nil
	case ev.Kind == supportbot.EventButton || action != "":
		s.say(s.T("agent.with_agent"))
		return true, nil
	case ev.Kind == supportbot.EventText || ev.Kind == supportbot.EventCommand:
		text := ev.Text
		if ev.Kind == supportbot.EventCommand {
			text = strings.TrimSpace("/" + ev.Text + " " + ev.Args)
		}
		s.reply(supportbot.Reply{ChatID: s.e.cfg.AgentChatID, TicketID: t.ID, Text: "👤 " + text})
	default: // photos, documents, contacts: copied as they are
		s.reply(supportbot.Reply{ChatID: s.e.cfg.AgentChatID, TicketID: t.ID, CopyFromChat: ev.ChatID, CopyFromMessage: ev.MessageID})
	}
	return true, nil
}

// staffStep takes a listed agent's message in the staff chat, inside tx: a
// command, or a reply to relay to the customer of the topic's ticket.
func (e *Engine) staffStep(ctx context.Context, tx Tx, ev supportbot.Event) ([]supportbot.Reply, error) {
	if ev.UpdateID != 0 {
		if fresh, err := tx.MarkUpdate(ctx, ev.UpdateID); err != nil || !fresh {
			return nil, err
		}
	}
	here := func(text string) supportbot.Reply {
		return supportbot.Reply{ChatID: ev.ChatID, ThreadID: ev.ThreadID, Text: text}
	}
	staff := func(key string, args ...any) string { return e.cfg.Catalog.T(supportbot.LangZH, key, args...) }
	var out []supportbot.Reply
	t, err := tx.TicketByTopic(ctx, ev.ThreadID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		if ev.Kind == supportbot.EventCommand {
			out = append(out, here(staff("agent.no_ticket")))
		}
		return e.queueStaff(ctx, tx, out)
	} else if err != nil {
		return nil, err
	}
	if t.Status != supportbot.TicketOpen {
		if ev.Kind != supportbot.EventCommand || ev.Text != "closure" {
			out = append(out, here(staff("agent.ticket_closed", "ticket", t.ID)))
			return e.queueStaff(ctx, tx, out)
		}
	}
	conv, err := tx.Conversation(ctx, t.ChatID)
	if err != nil {
		return nil, err
	}
	now := e.cfg.Now()
	s := &Step{ctx: ctx, e: e, tx: tx, conv: conv, ev: ev, now: now, today: supportbot.DateOf(now, e.cfg.Location)}
	if conv.Slots == nil {
		conv.Slots = map[string]string{}
	}
	toCustomer := func(text string) {
		s.reply(supportbot.Reply{ChatID: t.ChatID, Text: text})
		s.conv.Transcript = appendLine(s.conv.Transcript, supportbot.Line{Time: now, From: "agent", Text: text})
	}
	firstReply := func() {
		if t.FirstReplyAt.IsZero() {
			t.FirstReplyAt = now
			e.metrics.FirstReply(now.Sub(t.CreatedAt))
		}
	}
	claim := func() {
		if t.AgentID == ev.UserID {
			return
		}
		t.AgentID, t.AgentName, t.ClaimedAt = ev.UserID, ev.FirstName, now
		if s.conv.Flow == "agent" {
			s.conv.State = "claimed"
		}
		toCustomer(s.T("agent.claimed", "agent", ev.FirstName))
	}
	switch {
	case ev.Kind == supportbot.EventCommand:
		arg := strings.TrimSpace(ev.Args)
		switch ev.Text {
		case "claim":
			claim()
			out = append(out, here(staff("agent.claim_ok", "agent", ev.FirstName)))
		case "close":
			t.Status, t.ClosedAt = supportbot.TicketClosed, now
			if t.AgentID == 0 {
				t.AgentID, t.AgentName = ev.UserID, ev.FirstName
			}
			if s.conv.Flow == "agent" {
				s.reset()
			}
			toCustomer(s.T("agent.closed"))
			if err := s.fire("rate", "ask"); err != nil {
				return nil, err
			}
			out = append(out, here(staff("agent.close_ok")), supportbot.Reply{ChatID: ev.ChatID, TicketID: t.ID, CloseTopic: true})
		case "note":
			if err := tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "ticket_note", CustomerID: t.CustomerID, ChatID: t.ChatID,
				Details: map[string]any{"ticket_id": t.ID, "agent_id": ev.UserID}}); err != nil {
				return nil, err
			}
			out = append(out, here(staff("agent.note_ok")))
		case "faq":
			text, _, ok := e.cfg.Answers.Answer(arg, s.conv.Lang)
			if !ok {
				out = append(out, here(staff("agent.faq_unknown", "id", arg)))
				break
			}
			claim()
			firstReply()
			toCustomer(text)
			out = append(out, here(staff("agent.faq_sent", "id", arg)))
		case "closure":
			f := strings.Fields(arg)
			if len(f) < 2 {
				out = append(out, here(staff("agent.closure_usage")))
				break
			}
			r, err := tx.SetClosureStatus(ctx, f[0], f[1], strings.Join(f[2:], " "))
			if code := supportbot.ErrorCode(err); code == supportbot.EINVALID || code == supportbot.ENOTFOUND || code == supportbot.ECONFLICT {
				out = append(out, here(staff("agent.closure_failed", "error", supportbot.ErrorMessage(err))))
				break
			} else if err != nil {
				return nil, err
			}
			out = append(out, here(staff("agent.closure_ok", "reference", r.Reference, "status", r.Status)))
		default:
			out = append(out, here(staff("card.help")))
		}
	case ev.Kind == supportbot.EventText:
		claim()
		firstReply()
		toCustomer("👩‍💼 " + ev.FirstName + "：" + ev.Text)
	default:
		claim()
		firstReply()
		s.reply(supportbot.Reply{ChatID: t.ChatID, CopyFromChat: ev.ChatID, CopyFromMessage: ev.MessageID})
	}
	for i := range s.out { // what the customer's steps said goes to the customer
		if s.out[i].ChatID == 0 {
			s.out[i].ChatID = t.ChatID
		}
	}
	if err := tx.UpdateTicket(ctx, t); err != nil {
		return nil, err
	}
	if err := tx.SaveConversation(ctx, s.conv); err != nil {
		return nil, err
	}
	return e.queueStaff(ctx, tx, append(s.out, out...))
}

// queueStaff queues the replies of a staff event.
func (e *Engine) queueStaff(ctx context.Context, tx Tx, out []supportbot.Reply) ([]supportbot.Reply, error) {
	if e.cfg.Outbox && len(out) > 0 {
		if err := tx.Enqueue(ctx, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// remindTickets nudges the topic of every ticket nobody answered five
// minutes into business hours, and tells its customer the wait.
func (e *Engine) remindTickets(ctx context.Context, tx Tx, now time.Time) ([]supportbot.Reply, error) {
	list, err := tx.UnansweredTickets(ctx, now.Add(-agentReminder))
	if err != nil {
		return nil, err
	}
	var out []supportbot.Reply
	for i := range list {
		t := &list[i]
		if now.Sub(e.cfg.Hours.NextOpen(t.CreatedAt, e.cfg.Location)) < agentReminder {
			continue // opened after hours: the clock starts when agents are back
		}
		lang := supportbot.LangZH
		if c, err := tx.Conversation(ctx, t.ChatID); err == nil {
			lang = c.Lang
		}
		waited := int(now.Sub(t.CreatedAt).Minutes())
		out = append(out,
			supportbot.Reply{ChatID: e.cfg.AgentChatID, TicketID: t.ID, Text: e.cfg.Catalog.T(supportbot.LangZH, "agent.reminder", "minutes", waited)},
			supportbot.Reply{ChatID: t.ChatID, Text: e.cfg.Catalog.T(lang, "agent.wait", "minutes", waited)})
		t.Reminded = true
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// appendLine keeps the last 10 lines of a transcript.
func appendLine(lines []supportbot.Line, l supportbot.Line) []supportbot.Line {
	lines = append(lines, l)
	if len(lines) > 10 {
		lines = lines[len(lines)-10:]
	}
	return lines
}

// clipText cuts s to n characters.
func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// StaffUnreachable ends the ticket a staff-chat message could not be
// delivered to, for good, and gives its customer the hotline instead: a
// relay nobody reads must not keep them waiting.
func (e *Engine) StaffUnreachable(ctx context.Context, ticketID int64) error {
	tx, err := e.cfg.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t, err := tx.Ticket(ctx, ticketID)
	if err != nil || t.Status != supportbot.TicketOpen {
		return err
	}
	t.Status, t.ClosedAt = supportbot.TicketReferred, e.cfg.Now()
	if err := tx.UpdateTicket(ctx, t); err != nil {
		return err
	}
	conv, err := tx.Conversation(ctx, t.ChatID)
	if err != nil {
		return err
	}
	if conv.Flow == "agent" {
		conv.Flow, conv.State, conv.Nonce, conv.Slots = "", "", "", map[string]string{}
		if err := tx.SaveConversation(ctx, conv); err != nil {
			return err
		}
	}
	text := e.cfg.Catalog.T(conv.Lang, "agent.unreachable") + "\n" +
		e.cfg.Catalog.T(conv.Lang, "agent.hotline", "hotline", e.cfg.Hotline, "hours", e.cfg.Hours.String())
	if err := tx.Enqueue(ctx, []supportbot.Reply{{ChatID: t.ChatID, Text: text}}); err != nil {
		return err
	}
	return tx.Commit()
}
