package flows

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"supportbot"
	"supportbot/locale"
)

// The staff chat's steps: what a listed agent does in a ticket's topic (a
// reply, an edit, a command, a button) or anywhere in the chat (/queue).
// What reaches the customer goes to the customer's chat as an event of that
// chat (EventAgent); what the agent should see comes back in the topic —
// as a reaction on their command when "done" is all there is to say, so
// that the staff chat's 20 messages a minute go to customers' messages.

// Reactions acknowledging an agent's command (Telegram's standard set).
const (
	reactDone  = "👍" // claimed, reopened
	reactNoted = "✍" // a note kept
	reactSent  = "👌" // an FAQ answer sent; already so

	reactNotRelayed = "🤷" // written in a closed ticket's topic: not relayed
)

// reopenWithin is how long after closing a ticket can be reopened in its topic.
const reopenWithin = 24 * time.Hour

// ClosureDecider decides closure requests: the embedded core's admin side
// (an agent's /closure). With a remote core the core decides, and tells.
type ClosureDecider interface {
	DecideClosure(ctx context.Context, ref, status, reason string) (*supportbot.ClosureRequest, error)
}

// staffStep takes a listed agent's message, edit or button press in the
// staff chat.
func (e *Engine) staffStep(s *Step) error {
	ev := s.ev
	d := &desk{e: e, s: s}
	if ev.Kind == supportbot.EventTopicClosed {
		return d.topicClosed()
	}
	if ev.Unlisted {
		// A staff member not among the agents, in a ticket's topic: a
		// shrug on the message, which says why where reactions are off.
		if t, err := e.st.TicketByTopic(s.ctx, ev.ThreadID); err == nil {
			d.t = t
			d.closePost() // the customer's next line below it, not edited in above (a desk probe)
			d.shrug("🤷 " + s.staffT("agent.not_listed"))
		}
		return nil
	}
	if ev.UserID != 0 && ev.FirstName != "" {
		// Who acts: named in transfers and mentioned in escalations.
		a := supportbot.Agent{ID: ev.UserID, Name: ev.FirstName, Username: ev.Username}
		s.do(func(ctx context.Context, tx Tx) error { return tx.SeeAgent(ctx, a) })
	}
	if ev.Anonymous {
		// An admin writing as the group: the bot cannot tell an agent
		// from anyone, so nothing is relayed or obeyed — and in a topic
		// the writer is told, rather than left thinking they answered
		// (in General when the topic is a closed ticket's: the bot cannot
		// post in it).
		if ev.ThreadID != 0 {
			if t, err := e.st.TicketByTopic(s.ctx, ev.ThreadID); err == nil {
				d.t = t
				d.closePost() // the customer's next line below the warning, not edited in above it (a desk probe)
			}
			d.here(s.staffT("agent.anonymous"))
		}
		return nil
	}
	switch {
	case ev.Kind == supportbot.EventButton:
		return d.button()
	case ev.Kind == supportbot.EventCommand && ev.Text == "closure" && ev.ThreadID == 0:
		// A decision is about a request, not a ticket: taken in General
		// too (a probe was told there is no ticket there).
		return d.closure()
	case ev.Kind == supportbot.EventCommand && ev.Text == "queue":
		if ev.ThreadID != 0 {
			// Asked in a closed ticket's topic, which takes no post: the
			// list goes to General (a desk probe got nothing back).
			if t, err := e.st.TicketByTopic(s.ctx, ev.ThreadID); err == nil {
				d.t = t
			}
		}
		return d.queue()
	}
	t, err := e.st.TicketByTopic(s.ctx, ev.ThreadID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		if d.spareTopic() {
			return nil
		}
		if ev.Kind == supportbot.EventCommand {
			d.here(s.staffT("agent.no_ticket"))
		}
		return nil
	} else if err != nil {
		return err
	}
	d.t = t
	if t.Status != supportbot.TicketOpen {
		// The topic is closed: the bot cannot post in it. Nothing is
		// relayed, and a shrug on the message says so (its closing note
		// says how to reopen).
		switch {
		case ev.Kind == supportbot.EventCommand && ev.Text == "closure":
			return d.closure()
		case ev.Kind == supportbot.EventCommand && ev.Text == "reopen":
			return d.reopen()
		case ev.Kind == supportbot.EventCommand && ev.Text == "note":
			// The wrap-up note, written after /close: kept as any (a
			// desk probe's got 🤷 and was lost).
			return d.note(strings.TrimSpace(ev.Args))
		case ev.Kind == supportbot.EventCommand && ev.Text == "unsend":
			return d.unsend() // a wrong reply noticed after the close
		}
		// An edit too: too late to correct what the customer read, and
		// the agent must know their correction did not reach them — of a
		// reply the customer has, said in words, with how to correct it
		// (a desk probe: a 🤷 alone, the customer left with the promise).
		if ev.Kind == supportbot.EventEdit && !strings.HasPrefix(strings.TrimSpace(ev.Text), "/") {
			if relayed, err := e.st.Relayed(s.ctx, t.ChatID, agentTrack(ev.MessageID)); err != nil {
				return err
			} else if relayed {
				d.here(s.staffT("desk.edit_closed", "ticket", t.ID))
			}
		}
		if t.Status == supportbot.TicketReferred {
			// Referred while the staff chat refused the bot: its topic's
			// new name and closing note went nowhere then, and it kept
			// its 🟢 name, open, taking replies that got a bare 🤷 (a
			// desk probe). The bot reads the chat again: both are made
			// now (the note edited in place if it did get out).
			s.reply(e.retitle(t, false))
			s.reply(e.closeReply(t, s.staffT("desk.referred", "ticket", t.ID, "hotline", e.cfg.Hotline)))
		}
		d.shrug(notRelayedText(d.s, d.t))
		return nil
	}
	if ev.Kind == supportbot.EventEdit {
		d.closePost()
		return d.edit()
	}
	if ev.Kind != supportbot.EventCommand {
		return d.relay() // an answer ends the post itself (replied)
	}
	d.closePost()
	arg := strings.TrimSpace(ev.Args)
	switch ev.Text {
	case "claim":
		return d.claim()
	case "transfer":
		return d.transfer(arg)
	case "close":
		return d.close()
	case "reopen":
		d.react(reactSent) // open already
	case "note":
		return d.note(arg)
	case "unsend":
		return d.unsend()
	case "faq":
		return d.faq(arg)
	case "closure":
		return d.closure()
	default:
		d.here(s.staffT("desk.help"))
	}
	return nil
}

// topicClosed takes a person closing an open ticket's topic by hand. The
// customer still writes: the post of their messages under way takes no
// more (edits inside a closed topic would tell no one), and their next
// message opens the topic again, as a new post the agents see. A customer
// waiting for a reply — whose last lines may have joined the post as the
// topic closed, the two updates taken together — is not left in a closed
// topic: it opens again at once, with a note and their lines anew.
func (d *desk) topicClosed() error {
	t, err := d.e.st.TicketByTopic(d.s.ctx, d.s.ev.ThreadID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return nil
	} else if err != nil || t.Status != supportbot.TicketOpen {
		return err
	}
	s, id, staff, now := d.s, t.ID, d.e.cfg.AgentChatID, d.s.now
	s.do(func(ctx context.Context, tx Tx) error {
		t, err := tx.Ticket(ctx, id)
		if err != nil || t.Status != supportbot.TicketOpen {
			return err
		}
		if (t.WaitingSince.IsZero() || len(t.Relay.Lines) == 0) && !t.FirstReplyAt.IsZero() {
			t.Relay.Closed, t.Relay.Reopen = true, true
			return tx.UpdateTicket(ctx, t)
		}
		if len(t.Relay.Lines) == 0 {
			// Never answered, the request the customer's only line (the
			// card shows it): still waiting, opened again at once (a desk
			// probe: left closed, the ticket in the queue).
			s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: id, ReopenTopic: true},
				supportbot.Reply{ChatID: staff, TicketID: id, Text: s.staffT("desk.reopened_unanswered")})
			return nil
		}
		post := supportbot.RelayPost{Seq: t.Relay.Seq + 1, Started: now, Lines: t.Relay.Lines}
		t.Relay = post
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: id, ReopenTopic: true},
			supportbot.Reply{ChatID: staff, TicketID: id, Text: s.staffT("desk.reopened_waiting")},
			supportbot.Reply{ChatID: staff, TicketID: id, Track: postTrack(id, post.Seq), Text: renderPost(d.e.cfg.Catalog, staff, post)})
		return nil
	})
	return nil
}

// spareTopic answers a message in a topic made for a ticket that lives in
// another: Telegram made a topic but its answer was lost, and the bot made
// the ticket's topic again. Nothing written there reaches the customer, so
// the agent is told, with a link to the ticket's topic. It reports whether
// the topic is such a spare (named "<state> #T<id> …" when made).
func (d *desk) spareTopic() bool {
	ev := d.s.ev
	fields := strings.Fields(ev.TopicName)
	if ev.ThreadID == 0 || len(fields) < 2 || !strings.HasPrefix(fields[1], "#T") {
		return false
	}
	id, err := strconv.ParseInt(fields[1][2:], 10, 64)
	if err != nil || id <= 0 {
		return false
	}
	t, err := d.e.st.Ticket(d.s.ctx, id)
	if err != nil || t.TopicID == 0 || t.TopicID == ev.ThreadID {
		return false
	}
	link := fmt.Sprintf(`<a href="%s">#T%d</a>`, topicLink(d.e.cfg.AgentChatID, t.TopicID), t.ID)
	d.s.reply(supportbot.Reply{ChatID: ev.ChatID, ThreadID: ev.ThreadID, ReplyTo: ev.MessageID,
		Text: d.s.staffT("agent.spare_topic", "ticket", t.ID, "link", locale.HTML(link))})
	return true
}

// desk is one staff step on one ticket (t: nil for /queue and buttons
// until they name one).
type desk struct {
	e *Engine
	s *Step
	t *supportbot.Ticket
}

// here answers in the topic (or the chat) the agent wrote in; about a
// closed ticket, whose topic takes no post, in the chat's general topic.
func (d *desk) here(text string, rows ...[]supportbot.Button) {
	ev := d.s.ev
	thread := ev.ThreadID
	if d.t != nil && d.t.Status != supportbot.TicketOpen && ev.Kind != supportbot.EventButton {
		thread = 0
	}
	d.s.reply(supportbot.Reply{ChatID: ev.ChatID, ThreadID: thread, Text: text, Buttons: rows})
}

// react acknowledges the agent's message with a reaction: no new post.
func (d *desk) react(emoji string) {
	ev := d.s.ev
	if ev.MessageID == 0 {
		return
	}
	d.s.reply(supportbot.Reply{ChatID: ev.ChatID, ThreadID: ev.ThreadID, React: ev.MessageID, Reaction: emoji})
}

// shrug marks the agent's message as not relayed, with why for where
// reactions are turned off.
func (d *desk) shrug(why string) {
	ev := d.s.ev
	if ev.MessageID == 0 {
		return
	}
	r := notRelayed(ev.ChatID, ev.MessageID, why)
	r.ThreadID = ev.ThreadID
	d.s.reply(r)
}

// notRelayedText says, where reactions are turned off, what the 🤷 would.
func notRelayedText(s *Step, t *supportbot.Ticket) string {
	var id int64
	if t != nil {
		id = t.ID
	}
	return "🤷 " + s.staffT("agent.ticket_closed", "ticket", id)
}

// notRelayed is the shrug on an agent's message that did not reach the
// customer: the ticket closed (their /end) between the agent writing and
// the bot relaying it.
func notRelayed(staffChat, message int64, text string) supportbot.Reply {
	return supportbot.Reply{ChatID: staffChat, React: message, Reaction: reactNotRelayed, Text: text}
}

// toCustomer sends the agent's doing to the customer's chat, as an event of
// that chat; change updates the ticket in the same transaction (nil: as
// it is), and after, if set, adds replies that need the changed ticket. A
// ticket whose status changed since the step read it (the customer sent
// /end, another agent closed it, at the same moment) is left as it is, and
// nothing is sent; done reports, in the transaction, whether it was sent.
func (d *desk) toCustomer(a supportbot.AgentEvent, change func(*supportbot.Ticket), after func(*supportbot.Ticket)) (done *bool) {
	done = new(bool)
	status := d.t.Status
	s, id, chat, now := d.s, d.t.ID, d.t.ChatID, d.s.now
	a.TicketID = id
	if a.AgentID == 0 {
		a.AgentID, a.AgentName = s.ev.UserID, s.ev.FirstName
	}
	source := s.ev.Source
	if source != "" {
		source += ":" + strconv.FormatInt(chat, 10)
	}
	s.do(func(ctx context.Context, tx Tx) error {
		*done = false
		t, err := tx.Ticket(ctx, id)
		if err != nil {
			return err
		}
		if t.Status != status {
			if (a.Kind == supportbot.AgentMessage || a.Kind == supportbot.AgentEdit) && a.MessageID != 0 {
				// The customer left meanwhile: the agent sees the reply
				// (or its correction) was not relayed, as in a closed
				// ticket's topic.
				s.late = append(s.late, notRelayed(s.ev.ChatID, a.MessageID, notRelayedText(s, t)))
			}
			return nil
		}
		if change != nil {
			change(t)
		}
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		if after != nil {
			after(t)
		}
		_, err = tx.PutEvents(ctx, []supportbot.Event{{Source: source, ChatID: chat, Kind: supportbot.EventAgent, Agent: &a, Time: now}})
		*done = err == nil
		return err
	})
	return done
}

// blocked reports whether the ticket's customer blocked the bot (or their
// chat is gone): nothing sent to them would arrive.
func (d *desk) blocked() (bool, error) {
	c, err := d.e.st.Conversation(d.s.ctx, d.t.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return false, nil
	}
	return err == nil && c.Unreachable, err
}

// relay sends an agent's reply (text, media, album) to the customer; the
// first reply claims an unclaimed ticket and counts as the first answer.
// A customer who blocked the bot would not get it: the agent is told at
// once instead.
func (d *desk) relay() error {
	s, ev := d.s, d.s.ev
	if blocked, err := d.blocked(); err != nil {
		return err
	} else if blocked {
		d.closePost()
		s.reply(supportbot.Reply{ChatID: ev.ChatID, ThreadID: ev.ThreadID, ReplyTo: ev.MessageID, Text: s.staffT("desk.not_sent_blocked")})
		return nil
	}
	to, err := d.repliedCustomer()
	if err != nil {
		return err
	}
	a := supportbot.AgentEvent{Kind: supportbot.AgentMessage, Text: ev.Text, MessageID: ev.MessageID, Forwarded: ev.Forwarded, ReplyTo: to}
	if ev.Kind == supportbot.EventMedia {
		a.CopyFromChat, a.CopyFromMessage, a.Album = ev.ChatID, ev.MessageID, ev.Album
	}
	chat, track := d.t.ChatID, agentTrack(ev.MessageID)
	s.do(func(ctx context.Context, tx Tx) error { return tx.TrackReply(ctx, chat, track) })
	d.answer(a)
	return nil
}

// repliedCustomer is the customer's message an agent's reply answers: the
// agent replied in Telegram to the ticket's latest post, whose last line
// is it (older posts' lines are not kept); 0 otherwise (a desk probe: the
// reply reached the customer with no sign of what it answered).
func (d *desk) repliedCustomer() (int64, error) {
	ev, t := d.s.ev, d.t
	if ev.ReplyTo == 0 || len(t.Relay.Lines) == 0 {
		return 0, nil
	}
	track, err := d.e.st.TrackOf(d.s.ctx, ev.ChatID, ev.ReplyTo)
	if err != nil || track != postTrack(t.ID, t.Relay.Seq) {
		return 0, err
	}
	for i := len(t.Relay.Lines) - 1; i >= 0; i-- {
		if id := t.Relay.Lines[i].MessageID; id != 0 {
			return id, nil
		}
	}
	return 0, nil
}

// answer sends the customer an agent's answer (a reply, an FAQ answer):
// it claims an unclaimed ticket (the topic's title says so) and counts as
// the first answer.
func (d *desk) answer(a supportbot.AgentEvent) {
	claimed := d.t.AgentID == 0
	d.toCustomer(a, d.replied, func(t *supportbot.Ticket) {
		if claimed {
			d.s.late = append(d.s.late, d.e.retitle(t, false))
		}
	})
}

// replied records an agent's reply on the ticket: it claims an unclaimed
// ticket, the first one is the first answer (theirs, whoever holds the
// ticket later), the customer no longer waits, and the post of their
// messages is closed (what they write next goes below the reply).
func (d *desk) replied(t *supportbot.Ticket) {
	ev, now := d.s.ev, d.s.now
	d.takeIfFree(t)
	if t.FirstReplyAt.IsZero() {
		t.FirstReplyAt, t.RepliedBy = now, ev.UserID
		d.e.metrics.FirstReply(now.Sub(t.CreatedAt))
	}
	t.WaitingSince = time.Time{}
	t.Reminders = 0 // a follow-up's wait is reminded afresh: ⏰ first
	t.Relay.Closed = true
}

// closePost ends the post of the customer's lines under way: whatever the
// desk does in the topic — a claim, a transfer, a note, an answer sent —
// comes below it, and the customer's next line is a new post under that,
// which notifies, not an edit of one scrolled away (a probe: after a
// transfer the new holder was never told of the customer's next line).
func (d *desk) closePost() {
	if d.t == nil || d.t.Relay.Closed || len(d.t.Relay.Lines) == 0 {
		return
	}
	id := d.t.ID
	d.s.do(func(ctx context.Context, tx Tx) error {
		t, err := tx.Ticket(ctx, id)
		if err != nil || t.Status != supportbot.TicketOpen || t.Relay.Closed {
			return err
		}
		t.Relay.Closed = true
		return tx.UpdateTicket(ctx, t)
	})
}

// takeIfFree gives a ticket nobody holds to the agent acting on it.
func (d *desk) takeIfFree(t *supportbot.Ticket) {
	if t.AgentID == 0 {
		t.AgentID, t.AgentName, t.ClaimedAt = d.s.ev.UserID, d.s.ev.FirstName, d.s.now
	}
}

// edit relays an agent's correction of a reply the customer got: the
// customer's copy is edited. Messages that were never relayed (commands,
// notes) stay where they are.
func (d *desk) edit() error {
	s, ev := d.s, d.s.ev
	if strings.HasPrefix(strings.TrimSpace(ev.Text), "/") {
		return nil
	}
	ok, err := d.e.st.Relayed(s.ctx, d.t.ChatID, agentTrack(ev.MessageID))
	if err != nil || !ok {
		return err
	}
	d.toCustomer(supportbot.AgentEvent{Kind: supportbot.AgentEdit, Text: ev.Text, MessageID: ev.MessageID}, nil, nil)
	return nil
}

// claim takes the ticket. Taking one another agent holds asks first: a
// button confirms, and the agent who held it is told.
func (d *desk) claim() error {
	s, ev, t := d.s, d.s.ev, d.t
	switch {
	case t.AgentID == ev.UserID:
		d.react(reactSent)
		return nil
	case t.AgentID != 0:
		d.here(s.staffT("desk.claim_held", "ticket", t.ID, "agent", t.AgentName), []supportbot.Button{
			s.button(s.staffT("desk.btn_take"), Callback{Kind: CallbackDesk, Action: "take", Arg: deskArg(t.ID, t.AgentID)}),
			s.button(s.staffT("desk.btn_keep"), Callback{Kind: CallbackDesk, Action: "keep", Arg: deskArg(t.ID, t.AgentID)})})
		return nil
	}
	now := s.now
	done := d.toCustomer(supportbot.AgentEvent{Kind: supportbot.AgentClaim}, func(t *supportbot.Ticket) {
		t.AgentID, t.AgentName, t.ClaimedAt = ev.UserID, ev.FirstName, now
	}, func(t *supportbot.Ticket) { s.late = append(s.late, d.e.retitle(t, false)) })
	s.auditTicketIf(done, t, "ticket_claim", map[string]any{"ticket_id": t.ID, "agent_id": ev.UserID})
	d.react(reactDone)
	return nil
}

// transfer passes the ticket to another agent, named by name, @username or
// id; without one — or with a name two agents share — it offers them as
// buttons (a desk probe: "/transfer 小王" went to the first 小王 seen).
func (d *desk) transfer(who string) error {
	s, t := d.s, d.t
	agents, err := d.agents()
	if err != nil {
		return err
	}
	others := slices.DeleteFunc(slices.Clone(agents), func(a supportbot.Agent) bool { return a.ID == t.AgentID })
	offer := func(list []supportbot.Agent) {
		var rows [][]supportbot.Button
		for _, a := range list {
			rows = append(rows, []supportbot.Button{s.button(s.staffT("desk.btn_to", "agent", agentLabel(a, agents)),
				Callback{Kind: CallbackDesk, Action: "to", Arg: deskArg(t.ID, a.ID)})})
		}
		d.here(s.staffT("desk.transfer_choose", "ticket", t.ID), rows...)
	}
	if len(others) == 0 {
		d.here(s.staffT("desk.transfer_none"))
		return nil
	}
	if who == "" {
		offer(others)
		return nil
	}
	found := findAgents(agents, who)
	if len(found) == 0 {
		// Whom it can go to: not the agent who has it (a probe was
		// offered herself).
		var names []string
		for _, a := range others {
			names = append(names, agentLabel(a, agents))
		}
		d.here(s.staffT("desk.transfer_unknown", "name", who, "agents", strings.Join(names, "、")))
		return nil
	}
	to := slices.DeleteFunc(found, func(a supportbot.Agent) bool { return a.ID == t.AgentID })
	switch len(to) {
	case 0:
		d.react(reactSent) // theirs already
	case 1:
		d.pass(to[0])
	default:
		offer(to)
	}
	return nil
}

// agentLabel is how an agent is told apart in a list: the name, and the
// @username (or id) when another agent of all has the same name.
func agentLabel(a supportbot.Agent, all []supportbot.Agent) string {
	if !slices.ContainsFunc(all, func(b supportbot.Agent) bool { return b.ID != a.ID && strings.EqualFold(b.Name, a.Name) }) {
		return a.Name
	}
	if a.Username != "" {
		return a.Name + " @" + a.Username
	}
	return a.Name + " " + strconv.FormatInt(a.ID, 10)
}

// agents are the agents a ticket can go to: the listed ones, by the name
// the staff chat has seen them under.
func (d *desk) agents() ([]supportbot.Agent, error) {
	seen, err := d.e.st.Agents(d.s.ctx)
	if err != nil {
		return nil, err
	}
	var out []supportbot.Agent
	for _, a := range seen {
		if len(d.e.cfg.AgentIDs) == 0 || slices.Contains(d.e.cfg.AgentIDs, a.ID) {
			out = append(out, a)
		}
	}
	return out, nil
}

// findAgents finds who: an @username or a user id (one agent), or a name
// (every agent of that name).
func findAgents(agents []supportbot.Agent, who string) []supportbot.Agent {
	who = strings.TrimSpace(who)
	for _, a := range agents {
		if a.Username != "" && (strings.EqualFold("@"+a.Username, who) || strings.EqualFold(a.Username, who)) ||
			strconv.FormatInt(a.ID, 10) == who {
			return []supportbot.Agent{a}
		}
	}
	var named []supportbot.Agent
	for _, a := range agents {
		if strings.EqualFold(a.Name, who) {
			named = append(named, a)
		}
	}
	return named
}

// pass gives the ticket to agent to: both agents are told in the topic (by
// mentions, which notify them), the customer is told who helps them now,
// and the audit keeps who passed it from whom to whom.
func (d *desk) pass(to supportbot.Agent) {
	s, ev, t := d.s, d.s.ev, d.t
	from := supportbot.Agent{ID: t.AgentID, Name: t.AgentName}
	now := s.now
	done := d.toCustomer(supportbot.AgentEvent{Kind: supportbot.AgentTransfer, AgentID: to.ID, AgentName: to.Name}, func(t *supportbot.Ticket) {
		t.AgentID, t.AgentName, t.ClaimedAt = to.ID, to.Name, now
	}, func(t *supportbot.Ticket) { s.late = append(s.late, d.e.retitle(t, false)) })
	s.auditTicketIf(done, t, "ticket_transfer", map[string]any{"ticket_id": t.ID, "from": from.ID, "to": to.ID, "by": ev.UserID})
	fromName := locale.HTML(s.staffT("desk.unclaimed"))
	if from.ID != 0 {
		fromName = mention(from.ID, from.Name)
	}
	d.here(s.staffT("desk.transferred_note", "ticket", t.ID, "from", fromName, "to", mention(to.ID, to.Name), "by", ev.FirstName))
}

// button takes a press of a desk button in the staff chat: confirm taking
// over a ticket, keep it where it is, or pass it to an agent. The prompt is
// edited into what was done; a prompt whose ticket changed since is stale.
func (d *desk) button() error {
	s, ev := d.s, d.s.ev
	c, err := DecodeCallback(ev.Data)
	var ticket, agent int64
	if err == nil && c.Kind == CallbackDesk {
		ticket, agent, err = parseDeskArg(c.Arg)
	} else if err == nil {
		err = fmt.Errorf("not a desk button")
	}
	edit := func(text string) {
		s.reply(supportbot.Reply{ChatID: ev.ChatID, ThreadID: ev.ThreadID, Edit: ev.MessageID, Text: text})
	}
	if err != nil {
		edit(s.staffT("desk.stale"))
		return nil
	}
	t, err := d.e.st.Ticket(s.ctx, ticket)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		edit(s.staffT("desk.stale"))
		return nil
	} else if err != nil {
		return err
	}
	d.t = t
	if t.Status == supportbot.TicketOpen {
		d.closePost()
	}
	switch {
	case t.Status != supportbot.TicketOpen:
		edit(s.staffT("agent.ticket_closed", "ticket", t.ID))
	case (c.Action == "take" || c.Action == "keep") && t.AgentID != agent, c.Action == "to" && t.AgentID == agent:
		edit(s.staffT("desk.stale")) // someone else acted first
	case c.Action == "take" && ev.UserID == t.AgentID:
		// "✋ 接手" pressed by the agent who holds it: theirs already, no
		// transfer to themselves, and the question stays for the colleague
		// who asked (not "cancelled").
	case c.Action == "keep":
		edit(s.staffT("desk.take_cancelled", "agent", or(t.AgentName, "—")))
	case c.Action == "take":
		edit(s.staffT("desk.taken", "agent", ev.FirstName, "from", t.AgentName))
		d.pass(supportbot.Agent{ID: ev.UserID, Name: ev.FirstName})
	case c.Action == "to":
		agents, err := d.agents()
		if err != nil {
			return err
		}
		i := slices.IndexFunc(agents, func(a supportbot.Agent) bool { return a.ID == agent })
		if i < 0 {
			edit(s.staffT("desk.stale"))
			return nil
		}
		edit(s.staffT("desk.transfer_done", "agent", agentLabel(agents[i], agents)))
		d.pass(agents[i])
	default:
		edit(s.staffT("desk.stale"))
	}
	return nil
}

// deskArg carries a ticket and an agent in a desk button.
func deskArg(ticket, agent int64) string { return fmt.Sprintf("%d.%d", ticket, agent) }

func parseDeskArg(arg string) (ticket, agent int64, err error) {
	a, b, ok := strings.Cut(arg, ".")
	if ticket, err = strconv.ParseInt(a, 10, 64); err == nil && ok {
		agent, err = strconv.ParseInt(b, 10, 64)
	} else if err == nil {
		err = fmt.Errorf("desk button argument %q", arg)
	}
	return ticket, agent, err
}

// close ends the ticket: the customer is back with the bot and asked for a
// rating — unless they blocked the bot, and then the closing note says the
// invitation cannot reach them. The note is where the rating shows later.
func (d *desk) close() error {
	s, ev, t := d.s, d.s.ev, d.t
	blocked, err := d.blocked()
	if err != nil {
		return err
	}
	invite := supportbot.InviteSent
	if blocked {
		invite = supportbot.InviteBlocked
	}
	now := s.now
	done := d.toCustomer(supportbot.AgentEvent{Kind: supportbot.AgentClose}, func(t *supportbot.Ticket) {
		d.takeIfFree(t)
		t.Status, t.ClosedAt, t.Invite, t.ClosedBy = supportbot.TicketClosed, now, invite, supportbot.ClosedByAgent
	}, func(t *supportbot.Ticket) {
		s.late = append(s.late, d.e.retitle(t, blocked), d.e.closeReply(t, closingNote(d.e.cfg.Catalog, t)))
	})
	s.auditTicketIf(done, t, "ticket_close", map[string]any{"ticket_id": t.ID, "agent_id": ev.UserID, "holder": t.AgentID})
	return nil
}

// reopen opens again, in its topic, a ticket closed less than a day ago
// (the customer is back with the agent, nothing to start over), unless the
// customer has opened another one since.
func (d *desk) reopen() error {
	s, ev, t := d.s, d.s.ev, d.t
	if t.Status == supportbot.TicketReferred {
		d.here(s.staffT("desk.reopen_referred", "ticket", t.ID))
		return nil
	}
	if t.Status != supportbot.TicketClosed || s.now.Sub(t.ClosedAt) > reopenWithin {
		d.here(s.staffT("desk.reopen_late", "ticket", t.ID))
		return nil
	}
	if other, err := d.e.st.OpenTicket(s.ctx, t.ChatID); err == nil {
		d.here(s.staffT("desk.reopen_busy", "ticket", other.ID))
		return nil
	} else if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		return err
	}
	// The chat signed out, or is another customer's, since: the ticket's
	// talk is not for whoever has it now.
	if conv, err := d.e.st.Conversation(s.ctx, t.ChatID); err != nil {
		return err
	} else if t.CustomerID != "" && conv.CustomerID != t.CustomerID {
		d.here(s.staffT("desk.reopen_other", "ticket", t.ID))
		return nil
	}
	blocked, err := d.blocked()
	if err != nil {
		return err
	}
	staff := d.e.cfg.AgentChatID
	done := d.toCustomer(supportbot.AgentEvent{Kind: supportbot.AgentReopen}, func(t *supportbot.Ticket) {
		t.Status, t.ClosedAt, t.Invite = supportbot.TicketOpen, time.Time{}, ""
		t.Relay.Closed = true
		d.takeIfFree(t)
	}, func(t *supportbot.Ticket) {
		s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: t.ID, ReopenTopic: true}, d.e.retitle(t, blocked))
	})
	s.auditTicketIf(done, t, "ticket_reopen", map[string]any{"ticket_id": t.ID, "agent_id": ev.UserID})
	d.react(reactDone)
	return nil
}

// note keeps an internal note on the ticket, masked — card and ID numbers,
// and phones to their last 4 digits, as the card shows the customer's
// (a desk probe: "另一手机 13800001111" shown whole on later cards); later
// cards show it.
func (d *desk) note(text string) error {
	s, ev, t := d.s, d.s.ev, d.t
	text, _ = supportbot.MaskSecrets(text)
	text = supportbot.MaskLongNumbers(text)
	if text == "" {
		d.here(s.staffT("desk.note_usage"))
		return nil
	}
	n := supportbot.TicketNote{TicketID: t.ID, AgentID: ev.UserID, AgentName: ev.FirstName, Text: clipText(text, 1000)}
	s.do(func(ctx context.Context, tx Tx) error { return tx.AddTicketNote(ctx, n) })
	s.auditTicket(t, "ticket_note", map[string]any{"ticket_id": t.ID, "agent_id": ev.UserID, "text": n.Text})
	d.react(reactNoted)
	return nil
}

// unsend takes back the reply the agent's /unsend replies to: the
// customer's copy is deleted (a desk probe: another customer's receipt
// sent into the wrong topic could only have its caption edited). Any
// agent may, on an open ticket or a closed one; audited.
func (d *desk) unsend() error {
	s, ev, t := d.s, d.s.ev, d.t
	if ev.ReplyTo == 0 {
		d.here(s.staffT("desk.unsend_usage"))
		return nil
	}
	ok, err := d.e.st.Relayed(s.ctx, t.ChatID, agentTrack(ev.ReplyTo))
	if err != nil {
		return err
	} else if !ok {
		d.here(s.staffT("desk.unsend_none"))
		return nil
	}
	d.toCustomer(supportbot.AgentEvent{Kind: supportbot.AgentUnsend, MessageID: ev.ReplyTo}, nil, nil)
	s.auditTicket(t, "ticket_unsend", map[string]any{"ticket_id": t.ID, "agent_id": ev.UserID, "message_id": ev.ReplyTo})
	d.react(reactDone)
	return nil
}

// faq sends an FAQ answer to the customer; alone, it lists what there is.
func (d *desk) faq(id string) error {
	s := d.s
	if id == "" {
		d.here(d.faqList())
		return nil
	}
	if _, _, ok := d.e.cfg.Answers.Answer(id, supportbot.LangZH); !ok {
		d.here(s.staffT("agent.faq_unknown", "id", id) + "\n" + d.faqList())
		return nil
	}
	d.answer(supportbot.AgentEvent{Kind: supportbot.AgentFAQ, Text: id})
	d.react(reactSent)
	return nil
}

// faqList lists the FAQ's ids and titles for /faq ID.
func (d *desk) faqList() string {
	s := d.s
	if d.e.cfg.FAQ == nil || len(d.e.cfg.FAQ.FAQIDs()) == 0 {
		return s.staffT("desk.faq_none")
	}
	lines := []string{s.staffT("desk.faq_list")}
	for _, id := range d.e.cfg.FAQ.FAQIDs() {
		lines = append(lines, s.staffT("desk.faq_item", "id", id, "title", d.e.cfg.Answers.Title(id, supportbot.LangZH)))
	}
	return strings.Join(lines, "\n")
}

// closure decides a closure request (the embedded core's admin side).
func (d *desk) closure() error {
	s := d.s
	f := strings.Fields(s.ev.Args)
	dc, ok := d.e.core.(ClosureDecider)
	var status, reason string
	if len(f) >= 2 {
		status, reason = strings.ToLower(f[1]), strings.Join(f[2:], " ")
	}
	// The rule of a decision told in the agents' language, not the core's
	// English error (a probe).
	switch check := supportbot.CheckClosureDecision(status, reason); {
	case !ok:
		d.here(s.staffT("agent.closure_remote"))
	case len(f) < 2 || errors.Is(check, supportbot.ErrClosureStatus):
		d.here(s.staffT("agent.closure_usage"))
	case errors.Is(check, supportbot.ErrClosureCompletedReason):
		d.here(s.staffT("agent.closure_no_reason") + "\n" + s.staffT("agent.closure_usage"))
	case errors.Is(check, supportbot.ErrClosureRejectedReason):
		d.here(s.staffT("agent.closure_needs_reason") + "\n" + s.staffT("agent.closure_usage"))
	default:
		r, err := dc.DecideClosure(s.ctx, f[0], status, reason)
		if code := supportbot.ErrorCode(err); code == supportbot.EINVALID || code == supportbot.ENOTFOUND || code == supportbot.ECONFLICT {
			d.here(s.staffT("agent.closure_failed", "error", supportbot.ErrorMessage(err)))
			return nil
		} else if err != nil {
			return err
		}
		state := string(r.Status)
		if key := "agent.closure_state_" + state; d.e.cfg.Catalog.Has(key) {
			state = s.staffT(key) // in the agents' words ("已更新为 rejected": a probe)
		}
		d.here(s.staffT("agent.closure_ok", "reference", r.Reference, "status", state))
	}
	return nil
}

// queueLines bounds the tickets /queue lists; the rest are counted.
const queueLines = 200

// queue lists the open tickets, the customer waiting longest first, each
// with its state, agent, wait and a link to its topic.
func (d *desk) queue() error {
	s := d.s
	list, open, err := d.e.st.Queue(s.ctx, queueLines)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		d.here(s.staffT("desk.queue_empty"))
		return nil
	}
	lines := []string{s.staffT("desk.queue_title")}
	for i, t := range list {
		blocked := false
		if c, err := d.e.st.Conversation(s.ctx, t.ChatID); err == nil {
			blocked = c.Unreachable
		}
		state, _ := ticketState(&t, blocked)
		label := ticketLabel(&t)
		link := locale.HTML(locale.Escape(label))
		if t.TopicID != 0 {
			link = locale.HTML(fmt.Sprintf(`<a href="%s">%s</a>`, topicLink(d.e.cfg.AgentChatID, t.TopicID), locale.Escape(label)))
		}
		wait := s.staffT("desk.answered")
		if !t.WaitingSince.IsZero() {
			wait = s.staffT("desk.waiting", "minutes", int(s.now.Sub(t.WaitingSince).Minutes()))
		}
		agent := or(t.AgentName, s.staffT("desk.unclaimed"))
		lines = append(lines, s.staffT("desk.queue_line", "n", i+1, "state", state, "ticket", link, "agent", agent, "wait", wait))
	}
	if more := open - len(list); more > 0 {
		lines = append(lines, s.staffT("desk.queue_more", "more", more))
	}
	d.here(strings.Join(lines, "\n"))
	return nil
}
