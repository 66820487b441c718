package flows

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"supportbot"
	"supportbot/locale"
)

// agentReminder: an unanswered ticket this far into business hours earns a
// reminder in its topic and a word to the customer.
const agentReminder = 5 * time.Minute

// Agent hands the chat to a person in the staff chat: a ticket, a forum
// topic with a context card, and a relay both ways until an agent closes it
// or the customer sends /end. Without a staff chat the customer gets the
// hotline and hours, and the ticket is still recorded.
//
// The customer's chat and the staff chat each take their own events in
// turn: what an agent does to a customer's chat (a reply, a claim, closing
// it) reaches that chat as an event of its own (EventAgent), so the
// customer's conversation is only ever changed by the customer's steps.
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
					row[i] = s.btn(strconv.Itoa(i+1)+"⭐", "rate", strconv.Itoa(i+1))
				}
				s.say(s.T("agent.rate"), row)
			}}
		},
		start: func(s *Step, _ string) error { return s.fire("rate", "ask") },
		handle: func(s *Step, a action) (bool, error) {
			n, err := strconv.Atoi(a.Arg)
			if a.Name != "rate" || err != nil || n < 1 || n > 5 {
				return false, nil // typed text: the customer moved on
			}
			t, err := s.e.st.LastTicket(s.ctx, s.conv.ChatID)
			if err != nil {
				return true, err
			}
			id := t.ID
			s.do(func(ctx context.Context, tx Tx) error {
				t, err := tx.Ticket(ctx, id)
				if err != nil {
					return err
				}
				t.Rating = n
				return tx.UpdateTicket(ctx, t)
			})
			s.finish()
			s.say(s.T("agent.rated", "rating", n), s.next()...)
			return true, nil
		},
	}
}

func startAgent(s *Step, _ string) error {
	if t, err := s.e.st.OpenTicket(s.ctx, s.conv.ChatID); err == nil {
		// Already waiting: say where, and keep relaying.
		s.conv.Flow, s.conv.State = "agent", "queued"
		if t.AgentID != 0 {
			s.conv.State = "claimed"
		}
		pos, err := s.e.st.QueuePosition(s.ctx, t)
		if err != nil {
			return err
		}
		s.reply(tellQueue(s, t, pos))
		return nil
	} else if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		return err
	}
	// A chat whose phone on file changed is unlinked first, and goes to a
	// person unverified; a core that does not answer must not keep the
	// customer from one.
	if _, err := s.linked(); err != nil && !unavailableErr(err) {
		return err
	}
	t := &supportbot.Ticket{ChatID: s.conv.ChatID, CustomerID: s.conv.CustomerID, Status: supportbot.TicketOpen, Reason: s.reason()}
	if s.e.cfg.AgentChatID == 0 {
		t.Status, t.ClosedAt = supportbot.TicketReferred, s.now
		s.do(func(ctx context.Context, tx Tx) error { return tx.CreateTicket(ctx, t) })
		s.finish()
		s.say(s.T("agent.hotline", "hotline", s.e.cfg.Hotline, "hours", s.e.cfg.Hours.String()), s.next()...)
		return nil
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
		if l := s.conv.Transcript[i]; l.From == "customer" && !strings.HasPrefix(l.Text, "[") && !strings.HasPrefix(l.Text, "/") {
			parts = append(parts, clipText(l.Text, 100))
			break
		}
	}
	return strings.Join(parts, " · ")
}

// queued opens the ticket (in the step's transaction: the card and the
// topic name carry its number), posts the context card in a new topic and
// tells the customer their place.
func queued(s *Step, t *supportbot.Ticket) error {
	card, name, err := contextCard(s, t)
	if err != nil {
		return err
	}
	staff := s.e.cfg.AgentChatID
	s.do(func(ctx context.Context, tx Tx) error {
		tk := *t
		if err := tx.CreateTicket(ctx, &tk); err != nil {
			return err
		}
		pos, err := tx.QueuePosition(ctx, &tk)
		if err != nil {
			return err
		}
		s.late = append(s.late,
			supportbot.Reply{ChatID: staff, TicketID: tk.ID, TopicName: fmt.Sprintf(name, tk.ID), Text: fmt.Sprintf(card, tk.ID, prevTicket(s, tk.PreviousID))},
			tellQueue(s, &tk, pos))
		return nil
	})
	return nil
}

// prevTicket is the card's line about the chat's previous ticket.
func prevTicket(s *Step, id int64) string {
	if id == 0 {
		return ""
	}
	return "\n" + s.staffT("card.previous", "ticket", id)
}

// tellQueue tells the customer their place, and when agents are back if
// they are away.
func tellQueue(s *Step, t *supportbot.Ticket, pos int) supportbot.Reply {
	text := s.T("agent.queued", "position", max(pos, 1))
	if t.AgentID != 0 {
		text = s.T("agent.claimed", "agent", t.AgentName)
	} else if h := s.e.cfg.Hours; !h.Contains(s.now, s.e.cfg.Location) {
		back := h.NextOpen(s.now, s.e.cfg.Location)
		text += "\n" + s.T("agent.after_hours", "hours", h.String(), "back", when(s, back))
	}
	// Only a message of its own can take the contact keyboard down, and only
	// a customer who was identifying has it up; otherwise a press of "Talk
	// to a person" answers in place, like any other.
	return supportbot.Reply{Text: text + "\n" + s.T("agent.end_hint"), RemoveKeyboard: strings.HasPrefix(s.from, "identify/")}
}

// contextCard is the first post of a ticket's topic, and the topic's name,
// as formats with the ticket's number (%d) and, on the card, the previous
// ticket's line (%s) to fill in once the ticket exists.
func contextCard(s *Step, t *supportbot.Ticket) (string, string, error) {
	name := s.ev.FirstName
	esc := func(v string) string { return strings.ReplaceAll(v, "%", "%%") }
	var lines []string
	id := "—"
	if t.CustomerID != "" {
		c, err := s.customer()
		var plans []supportbot.Plan
		if err == nil {
			plans, err = s.plans()
		}
		switch {
		case unavailableErr(err):
			// The core does not answer: the agent gets the card without it.
			id = t.CustomerID
			lines = append(lines, esc(s.staffT("card.customer_core_down", "id", t.CustomerID)))
		case err != nil:
			return "", "", err
		default:
			name, id = c.Name, c.ID
			lines = append(lines, esc(s.staffT("card.customer_verified", "name", c.Name, "id", c.ID, "phone", supportbot.MaskPhone(c.Phone))))
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
			lines = append(lines, esc(s.staffT("card.plan", "product", p.Product, "plan", p.ID, "paid", p.PaidPeriods(),
				"periods", p.Periods, "remaining", money(p.Remaining()), "overdue", overdue)))
		}
	} else {
		lines = append(lines, esc(s.staffT("card.customer_unverified", "name", name)))
	}
	topic := "#T%d " + esc(locale.Plain(name)) + " " + esc(id)
	lines = append([]string{s.staffT("card.title", "ticket", "%d")}, lines...)
	lines = append(lines, esc(s.staffT("card.lang", "lang", string(s.conv.Lang))), esc(s.staffT("card.reason", "reason", or(t.Reason, "—")))+"%s")
	if len(s.conv.Transcript) > 0 {
		lines = append(lines, esc(s.staffT("card.transcript")))
		for _, l := range s.conv.Transcript {
			lines = append(lines, esc(fmt.Sprintf("[%s %s] %s", l.Time.In(s.e.cfg.Location).Format("15:04"), s.staffT("card.from_"+l.From), locale.Escape(l.Text))))
		}
	}
	lines = append(lines, "", esc(s.staffT("card.help")))
	return strings.Join(lines, "\n"), topic, nil
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// relayToAgent passes what the customer sends to the ticket's topic; /end
// leaves the queue. It returns false when the ticket is gone (closed
// meanwhile): the chat is back with the bot, which takes the event itself.
func relayToAgent(s *Step) (bool, error) {
	t, err := s.e.st.OpenTicket(s.ctx, s.conv.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		s.finish()
		return false, nil
	} else if err != nil {
		return true, err
	}
	staff, id := s.e.cfg.AgentChatID, t.ID
	ev := s.ev
	switch {
	case ev.Kind == supportbot.EventCommand && ev.Text == "end":
		now := s.now
		s.do(func(ctx context.Context, tx Tx) error {
			t, err := tx.Ticket(ctx, id)
			if err != nil || t.Status != supportbot.TicketOpen {
				return err
			}
			t.Status, t.ClosedAt = supportbot.TicketClosed, now
			return tx.UpdateTicket(ctx, t)
		})
		s.reply(supportbot.Reply{ChatID: staff, TicketID: id, Text: s.staffT("agent.customer_left")})
		s.reply(supportbot.Reply{ChatID: staff, TicketID: id, CloseTopic: true})
		s.finish()
		s.say(s.T("agent.left"), s.next()...)
		return true, nil
	case ev.Kind == supportbot.EventButton:
		s.say(s.T("agent.with_agent"))
		return true, nil
	case ev.Kind == supportbot.EventText || ev.Kind == supportbot.EventCommand:
		text := ev.Text
		if ev.Kind == supportbot.EventCommand {
			text = strings.TrimSpace("/" + ev.Text + " " + ev.Args)
		}
		s.reply(supportbot.Reply{ChatID: staff, TicketID: id, Text: "👤 " + locale.Escape(text)})
		if ev.Masked {
			s.say(s.T("cards.never_share_relayed"))
		}
	default: // photos, documents, contacts: copied as they are
		s.reply(supportbot.Reply{ChatID: staff, TicketID: id, CopyFromChat: ev.ChatID, CopyFromMessage: ev.MessageID})
	}
	return true, nil
}

// agentEvent takes what an agent did on the chat's ticket, in the
// customer's chat: a reply relayed, a claim, the ticket closed or referred.
func agentEvent(s *Step) error {
	a := s.ev.Agent
	if a == nil {
		return nil
	}
	t, err := s.e.st.Ticket(s.ctx, a.TicketID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	handedOff := s.conv.Flow == "agent"
	say := func(text string) {
		s.reply(supportbot.Reply{Text: text})
		s.conv.Transcript = appendLine(s.conv.Transcript, supportbot.Line{Time: s.now, From: "agent", Text: clipText(locale.Plain(text), 200)})
	}
	switch a.Kind {
	case supportbot.AgentMessage, supportbot.AgentFAQ:
		if t.Status != supportbot.TicketOpen {
			return nil // the customer left meanwhile: nobody to relay to
		}
		if handedOff && s.conv.State == "queued" {
			// The first reply claims the ticket: the customer learns who
			// is helping before reading them.
			s.conv.State = "claimed"
			say(s.T("agent.claimed", "agent", a.AgentName))
		}
		switch {
		case a.Kind == supportbot.AgentFAQ:
			text, _, ok := s.e.cfg.Answers.Answer(a.Text, s.conv.Lang)
			if ok {
				say(s.fill(text))
			}
		case a.CopyFromMessage != 0:
			s.reply(supportbot.Reply{CopyFromChat: a.CopyFromChat, CopyFromMessage: a.CopyFromMessage})
		default:
			say("👩‍💼 " + locale.Escape(a.AgentName) + "：" + locale.Escape(a.Text))
		}
	case supportbot.AgentClaim:
		if t.Status != supportbot.TicketOpen {
			return nil
		}
		if handedOff {
			s.conv.State = "claimed"
		}
		say(s.T("agent.claimed", "agent", a.AgentName))
	case supportbot.AgentClose:
		say(s.T("agent.closed"))
		if handedOff {
			s.reset()
		}
		return s.fire("rate", "ask")
	case supportbot.AgentReferred:
		if handedOff {
			s.reset()
		}
		s.say(s.T("agent.unreachable")+"\n"+s.T("agent.hotline", "hotline", s.e.cfg.Hotline, "hours", s.e.cfg.Hours.String()),
			s.next()...)
	}
	return nil
}

// ClosureDecider decides closure requests: the embedded core's admin side
// (an agent's /closure). With a remote core the core decides, and tells.
type ClosureDecider interface {
	DecideClosure(ctx context.Context, ref, status, reason string) (*supportbot.ClosureRequest, error)
}

// staffStep takes a listed agent's message in the staff chat: a command, or
// a reply to relay to the customer of the topic's ticket.
func (e *Engine) staffStep(s *Step) error {
	ev := s.ev
	here := func(text string) {
		s.reply(supportbot.Reply{ChatID: ev.ChatID, ThreadID: ev.ThreadID, Text: text})
	}
	t, err := e.st.TicketByTopic(s.ctx, ev.ThreadID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		if ev.Kind == supportbot.EventCommand {
			here(s.staffT("agent.no_ticket"))
		}
		return nil
	} else if err != nil {
		return err
	}
	if t.Status != supportbot.TicketOpen && !(ev.Kind == supportbot.EventCommand && ev.Text == "closure") {
		here(s.staffT("agent.ticket_closed", "ticket", t.ID))
		return nil
	}
	id, chat, now := t.ID, t.ChatID, s.now
	agent := &supportbot.AgentEvent{TicketID: id, AgentID: ev.UserID, AgentName: ev.FirstName}
	// toCustomer sends the agent's doing to the customer's chat, as an event
	// of that chat; the ticket is updated here, in the staff step.
	toCustomer := func(kind supportbot.AgentEventKind, text string, update func(*supportbot.Ticket)) {
		a := *agent
		a.Kind, a.Text = kind, text
		if kind == supportbot.AgentMessage && ev.Kind == supportbot.EventMedia {
			a.CopyFromChat, a.CopyFromMessage = ev.ChatID, ev.MessageID
		}
		source := ev.Source
		if source != "" {
			source += ":" + strconv.FormatInt(chat, 10)
		}
		s.do(func(ctx context.Context, tx Tx) error {
			t, err := tx.Ticket(ctx, id)
			if err != nil {
				return err
			}
			if update != nil {
				update(t)
			}
			if err := tx.UpdateTicket(ctx, t); err != nil {
				return err
			}
			_, err = tx.PutEvents(ctx, []supportbot.Event{{Source: source, ChatID: chat, Kind: supportbot.EventAgent, Agent: &a, Time: now}})
			return err
		})
	}
	claim := func(t *supportbot.Ticket) {
		if t.AgentID == 0 {
			t.AgentID, t.AgentName, t.ClaimedAt = agent.AgentID, agent.AgentName, now
		}
	}
	replied := func(t *supportbot.Ticket) {
		claim(t)
		if t.FirstReplyAt.IsZero() {
			t.FirstReplyAt = now
			e.metrics.FirstReply(now.Sub(t.CreatedAt))
		}
	}
	switch {
	case ev.Kind == supportbot.EventCommand:
		arg := strings.TrimSpace(ev.Args)
		switch ev.Text {
		case "claim":
			toCustomer(supportbot.AgentClaim, "", func(t *supportbot.Ticket) {
				t.AgentID, t.AgentName, t.ClaimedAt = agent.AgentID, agent.AgentName, now
			})
			here(s.staffT("agent.claim_ok", "agent", ev.FirstName))
		case "close":
			toCustomer(supportbot.AgentClose, "", func(t *supportbot.Ticket) {
				claim(t)
				t.Status, t.ClosedAt = supportbot.TicketClosed, now
			})
			here(s.staffT("agent.close_ok"))
			s.reply(supportbot.Reply{ChatID: ev.ChatID, TicketID: id, CloseTopic: true})
		case "note":
			s.audit("ticket_note", map[string]any{"ticket_id": id, "agent_id": ev.UserID, "text": supportbot.MaskNumbers(arg, 500)})
			here(s.staffT("agent.note_ok"))
		case "faq":
			if _, _, ok := e.cfg.Answers.Answer(arg, supportbot.LangZH); !ok {
				here(s.staffT("agent.faq_unknown", "id", arg))
				break
			}
			toCustomer(supportbot.AgentFAQ, arg, replied)
			here(s.staffT("agent.faq_sent", "id", arg))
		case "closure":
			f := strings.Fields(arg)
			d, ok := e.core.(ClosureDecider)
			switch {
			case !ok:
				here(s.staffT("agent.closure_remote"))
			case len(f) < 2:
				here(s.staffT("agent.closure_usage"))
			default:
				r, err := d.DecideClosure(s.ctx, f[0], f[1], strings.Join(f[2:], " "))
				if code := supportbot.ErrorCode(err); code == supportbot.EINVALID || code == supportbot.ENOTFOUND || code == supportbot.ECONFLICT {
					here(s.staffT("agent.closure_failed", "error", supportbot.ErrorMessage(err)))
					break
				} else if err != nil {
					return err
				}
				here(s.staffT("agent.closure_ok", "reference", r.Reference, "status", r.Status))
			}
		default:
			here(s.staffT("card.help"))
		}
	default: // a reply: text, or a photo or document to copy
		toCustomer(supportbot.AgentMessage, ev.Text, replied)
	}
	return nil
}

// remindTickets nudges the topic of every ticket nobody answered five
// minutes into business hours, and tells its customer the wait.
func (e *Engine) remindTickets(ctx context.Context, now time.Time) (int, error) {
	list, err := e.st.UnansweredTickets(ctx, now.Add(-agentReminder))
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range list {
		t := &list[i]
		if now.Sub(e.cfg.Hours.NextOpen(t.CreatedAt, e.cfg.Location)) < agentReminder {
			continue // opened after hours: the clock starts when agents are back
		}
		lang := supportbot.LangZH
		if c, err := e.st.Conversation(ctx, t.ChatID); err == nil {
			lang = c.Lang
		}
		waited := int(now.Sub(t.CreatedAt).Minutes())
		id := t.ID
		err := e.st.Update(ctx, func(tx Tx) error {
			t, err := tx.Ticket(ctx, id)
			if err != nil || t.Reminded || !t.FirstReplyAt.IsZero() || t.Status != supportbot.TicketOpen {
				return err
			}
			t.Reminded = true
			if err := tx.UpdateTicket(ctx, t); err != nil {
				return err
			}
			return tx.Enqueue(ctx, []supportbot.Reply{
				{ChatID: e.cfg.AgentChatID, TicketID: t.ID, Text: e.cfg.Catalog.T(supportbot.LangZH, "agent.reminder", "minutes", waited)},
				{ChatID: t.ChatID, Text: e.cfg.Catalog.T(lang, "agent.wait", "minutes", waited)}})
		})
		if err != nil {
			return n, err
		}
		n += 2
	}
	return n, nil
}

// StaffUnreachable ends the ticket a staff-chat message could not be
// delivered to, for good (the bot was removed, topics are off), and gives
// its customer the hotline instead: a relay nobody reads must not keep them
// waiting.
func (e *Engine) StaffUnreachable(ctx context.Context, ticketID int64) error {
	now := e.cfg.Now()
	err := e.st.Update(ctx, func(tx Tx) error {
		t, err := tx.Ticket(ctx, ticketID)
		if err != nil || t.Status != supportbot.TicketOpen {
			return err
		}
		t.Status, t.ClosedAt = supportbot.TicketReferred, now
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		_, err = tx.PutEvents(ctx, []supportbot.Event{{ChatID: t.ChatID, Kind: supportbot.EventAgent, Time: now,
			Source: "referred:" + strconv.FormatInt(t.ID, 10),
			Agent:  &supportbot.AgentEvent{Kind: supportbot.AgentReferred, TicketID: t.ID}}})
		return err
	})
	if err == nil {
		e.poke()
	}
	return err
}
