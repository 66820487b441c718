package flows

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

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

// rateFlow asks for a 1–5 rating after an agent closed the chat; the rating
// goes into the closed topic's closing note.
// crossedClose is how soon after an agent closed a ticket a customer's
// words were likely written to the agent: they are told so.
const crossedClose = 2 * time.Minute

func rateFlow() *spec {
	return &spec{
		name:    "rate",
		initial: "idle",
		events:  fsm.Events{{Name: "ask", Src: []string{"idle"}, Dst: "asking"}},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{"enter_asking": func(_ ctxT, _ *fsm.Event) {
				t, err := s.e.st.LastTicket(s.ctx, s.conv.ChatID)
				row := make([]supportbot.Button, 5)
				for i := range row {
					label := strconv.Itoa(i+1) + "⭐"
					if err != nil {
						row[i] = s.btn(label, "rate", strconv.Itoa(i+1))
						continue
					}
					// Its ticket's stars, pressed whenever: a hand-off
					// again right after the close took the step's
					// keyboard, and the ticket was never rated (a desk
					// probe).
					row[i] = s.menuBtn(label, fmt.Sprintf("rate:%d.%d", t.ID, i+1))
				}
				s.say(s.T("agent.rate"), row)
			}}
		},
		start: func(s *Step, _ string) error { return s.fire("rate", "ask") },
		handle: func(s *Step, a action) (bool, error) {
			n, err := strconv.Atoi(a.Arg)
			if a.Name == "" && s.ev.Kind == supportbot.EventText {
				n, err = typedRating(s.ev.Text)
			} else if a.Name != "rate" {
				err = strconv.ErrSyntax
			}
			if err != nil || n < 1 || n > 5 {
				// Other words: the customer moved on — or wrote to the
				// agent as they closed: the answer says it did not reach them.
				if s.ev.Kind == supportbot.EventText && !s.slots.Left {
					if t, err := s.e.st.LastTicket(s.ctx, s.conv.ChatID); err == nil && t.Status == supportbot.TicketClosed &&
						s.now.Sub(t.ClosedAt) < crossedClose {
						s.lead = s.T("agent.after_close")
					}
				}
				return false, nil
			}
			t, err := s.e.st.LastTicket(s.ctx, s.conv.ChatID)
			if err != nil {
				return true, err
			}
			recordRating(s, t, n)
			s.finish()
			s.say(s.T("agent.rated", "rating", n), s.next()...)
			return true, nil
		},
	}
}

// recordRating keeps a rating of ticket t: counted, audited, and shown in
// its closed topic.
func recordRating(s *Step, t *supportbot.Ticket, n int) {
	id := t.ID
	s.e.metrics.Rating(n)
	s.auditTicket(t, "ticket_rated", map[string]any{"ticket_id": id, "rating": n, "agent_id": t.AgentID})
	s.do(func(ctx context.Context, tx Tx) error {
		t, err := tx.Ticket(ctx, id)
		if err != nil {
			return err
		}
		t.Rating = n
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		if t.Status == supportbot.TicketClosed && t.TopicID != 0 {
			// The agent sees it where they closed the ticket.
			s.late = append(s.late, s.e.closeReply(t, closingNote(s.e.cfg.Catalog, t)))
		}
		return nil
	})
}

// rateLater takes a star of a rating invitation pressed whenever ("T.n"):
// the ticket's rating, if it is this chat's, closed and not rated yet — a
// step under way (a hand-off again) stays as it is.
func rateLater(s *Step, arg string) error {
	ticket, n, err := parseDeskArg(arg)
	if err != nil || n < 1 || n > 5 {
		s.expired()
		return nil
	}
	t, err := s.e.st.Ticket(s.ctx, ticket)
	if err == nil && t.ChatID == s.conv.ChatID && t.Rating == int(n) {
		// Rated so already (a second tap, taken after the first): the
		// thanks stays as it was, not "this button has expired" (a probe)
		// — its menu button too, outside a step (a probe: the edit took
		// it off). Another number is the rating changed: the last one
		// given counts (a probe rated 5, was invited again after a
		// reopen, pressed 4 and was thanked for 5).
		if s.conv.Flow == "" || s.conv.Flow == "rate" {
			s.say(s.T("agent.rated", "rating", t.Rating), s.next()...)
			return nil
		}
		s.say(s.T("agent.rated", "rating", t.Rating))
		return nil
	}
	// A ticket of the customer the chat had before it signed out or became
	// another's is not the new one's to rate (an isolation probe: as the
	// desk's /reopen refuses it).
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND || err == nil && (t.ChatID != s.conv.ChatID || t.Status != supportbot.TicketClosed ||
		t.CustomerID != "" && t.CustomerID != s.conv.CustomerID) {
		s.expired()
		return nil
	} else if err != nil {
		return err
	}
	recordRating(s, t, int(n))
	if s.conv.Flow == "rate" {
		s.finish()
		s.say(s.T("agent.rated", "rating", n), s.next()...)
		return nil
	}
	s.say(s.T("agent.rated", "rating", n))
	return nil
}

// ratingWords are ratings typed in words, their 星/分/stars taken off:
// 三星, 两星, 满分, "five stars".
var ratingWords = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "满": 5,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}

// outOfFive is a rating said out of five: "5/5", "4 out of 5".
var outOfFive = regexp.MustCompile(`^([1-5])\s*(?:/|／|out of)\s*5$`)

// typedRating reads a rating typed instead of pressed: "5", "5 stars",
// "4星", "五星好评", "3分！", "⭐⭐⭐⭐", "5⭐️", "５", "两星", "满分".
func typedRating(text string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(text))
	t = strings.NewReplacer("\ufe0f", "", "🌟", "⭐", "★", "⭐", "☆", "").Replace(t) // emoji variation selector, other stars
	t = strings.TrimRight(t, "!！.。~～ ")
	for _, thanks := range []string{"谢谢你", "谢谢", "多谢", "谢啦", "thank you", "thanks", "thx"} { // "5星！谢谢"
		t = strings.TrimRight(strings.TrimSuffix(t, thanks), "!！.。~～,，、 ")
	}
	for _, give := range []string{"给个", "给你", "给", "打个", "打", "i'd give", "id give", "i give", "i rate"} { // "给5星"
		t = strings.TrimSpace(strings.TrimPrefix(t, give))
	}
	if n := strings.Count(t, "⭐"); n > 0 && strings.Trim(t, "⭐ ") == "" {
		return n, nil // as many stars as it gives
	}
	for _, suffix := range []string{"好评", "差评", "stars", "star", "⭐", "颗星", "星", "分"} {
		t = strings.TrimSpace(strings.TrimSuffix(t, suffix))
	}
	if m := outOfFive.FindStringSubmatch(t); m != nil { // "5/5", "4 out of 5"
		t = m[1]
	}
	if n, ok := ratingWords[t]; ok {
		return n, nil
	}
	if r := []rune(t); len(r) == 1 && r[0] >= '１' && r[0] <= '５' {
		return int(r[0]-'１') + 1, nil
	}
	return strconv.Atoi(t)
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
	t := &supportbot.Ticket{ChatID: s.conv.ChatID, CustomerID: s.conv.CustomerID, Status: supportbot.TicketOpen,
		Reason: s.question(), Handle: handle(s.ev)}
	if flow, _, _ := strings.Cut(s.from, "/"); flow != "agent" {
		t.CameFrom = flow
	}
	if s.e.cfg.AgentChatID == 0 {
		s.refer(t)
		s.finish()
		s.say(s.T("agent.hotline", "hotline", s.e.cfg.Hotline, "hours", s.e.cfg.Hours.String()), s.next()...)
		return nil
	}
	return s.fire("agent", "queue", t)
}

// refer records a ticket no desk can take (there is no staff chat) as
// referred to the hotline at once.
func (s *Step) refer(t *supportbot.Ticket) {
	t.Status, t.ClosedAt = supportbot.TicketReferred, s.now
	s.do(func(ctx context.Context, tx Tx) error { return tx.CreateTicket(ctx, t) })
}

// question is what the customer last asked, in their own words: their
// latest text that was not a command, a button or media.
func (s *Step) question() string {
	lines := s.conv.Transcript.Lines()
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if l.From == "agent" { // what came before was an earlier hand-off's, answered there (a probe)
			break
		}
		text := l.Text
		if cmd, args, _ := strings.Cut(text, " "); strings.HasPrefix(cmd, "/") && commands[strings.TrimPrefix(cmd, "/")] == "agent" {
			text = strings.TrimSpace(args) // "/agent my card was charged twice": the words after it (a probe)
		}
		if l.From != "customer" || text == "" || strings.HasPrefix(text, "[") || strings.HasPrefix(text, "/") || s.wantsHuman(text) || s.asksForAPerson(text) ||
			talkOf(text) != "" || // "谢谢" after the last ticket is no question (a probe)
			saysYes(text) || isNo(text) || strings.Trim(text, "0123456789 ") == "" { // "确认", "不要", "2" at a step: a probe's card asked「确认」
			continue
		}
		return clipText(text, 200)
	}
	return ""
}

// asksForAPerson reports a line that asks for a person and says nothing
// else ("talk to a person", "我要找真人") — not "i was charged twice, let me
// talk to a person", the question an agent should read first (a review).
func (s *Step) asksForAPerson(text string) bool {
	if s.e.cfg.Classifier == nil || !onlyPersonWords(text) {
		return false
	}
	c := s.e.cfg.Classifier.Classify(text)
	return c.Kind == "flow" && c.ID == "agent" && c.Confident
}

// clausesOf cuts text at its punctuation — and, in Chinese, where clauses
// are often spaced apart, at its spaces.
func clausesOf(text string) []string {
	seps := "，,。.;；!！?？\n"
	if hasHan(text) {
		seps += " 　"
	}
	return strings.FieldsFunc(text, func(r rune) bool { return strings.ContainsRune(seps, r) })
}

// personAskedWithWhy reports a person asked for in a clause of its own,
// the reason beside it ("我要转人工，扣款失败了", "扣款失败了 转人工",
// "talk to a human, my payment failed"): a probe got the failed payment's
// guide, and the person asked for never came. The card's question is the
// whole message.
func (s *Step) personAskedWithWhy(text string) bool {
	rest, _, ok := s.besidePerson(clausesOf(text))
	if !ok {
		return false
	}
	for _, c := range rest {
		if isNo(c) || declines(c) || declinesAgent(c) {
			return false // "转人工？不用了 我的账单多少": taken back (a replay)
		}
		if k := s.e.cfg.Classifier.Classify(c); k.Kind == "flow" && k.Confident && intents[k.ID] != "agent" {
			return false // "我要转人工，我要提前还款": a request of the bot's, with the person beside it, as before (a replay)
		}
	}
	return true
}

// personTakenBack reads a person asked for and taken back in the next
// clause ("转人工？不用了 我的账单多少", "talk to a person, actually never mind,
// where's my refund"): what is asked after, "" for nothing; ok false when
// the message is not so (a replay: both handed off).
func (s *Step) personTakenBack(text string) (rest string, ok bool) {
	beside, first, ok := s.besidePerson(clausesOf(text))
	if !ok || !first {
		return "", false
	}
	if back := strings.TrimSpace(beside[0]); !isNo(back) && !declines(back) && !isNo(unhesitant(bare(back))) {
		return "", false
	}
	return strings.Join(beside[1:], " "), true
}

// besidePerson is the clauses beside the first or, failing it, the last
// one that asks for a person alone, and whether that was the first; ok
// false when neither does (or there is one clause).
func (s *Step) besidePerson(clauses []string) (rest []string, first, ok bool) {
	switch n := len(clauses); {
	case n < 2:
		return nil, false, false
	case s.asksForAPerson(clauses[0]):
		return clauses[1:], true, true
	case s.asksForAPerson(clauses[n-1]):
		return clauses[:n-1], false, true
	}
	return nil, false, false
}

// onlyPersonWords reports a text made of nothing but the words of asking
// for a person: its ASCII words and Chinese characters all in personAsk.
func onlyPersonWords(text string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(bare(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '\''
	}) {
		if isASCII(w) {
			if !personAskWords[strings.ReplaceAll(w, "'", "")] {
				return false
			}
			continue
		}
		for _, r := range w {
			if !strings.ContainsRune(personAskChars, r) {
				return false
			}
		}
	}
	return true
}

// personAskWords and personAskChars are what asking for a person is said
// with, in English words and in Chinese characters.
var personAskWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`i id im want wanna need would like to a an the please pls can could may let me us talk speak chat
		with get connect put through transfer give someone somebody person human being real live agent agents operator representative rep
		staff support customer service team help now just actual hi hello hey there manager supervisor talking speaking`) {
		m[w] = true
	}
	return m
}()

const personAskChars = "我要想找请帮转轉接给一个位下吧啊呀呢了吗能可以你们好麻烦人工客服真活的在线服务务员专坐席工作和跟对話话说說聊经經理"

// isASCII reports a word of ASCII letters only.
func isASCII(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return false
		}
	}
	return true
}

// queued opens the ticket (in the step's transaction: the card and the
// topic name carry its number), posts the context card in a new topic and
// tells the customer their place.
func queued(s *Step, t *supportbot.Ticket) error {
	if t.CustomerID != "" {
		if c, err := s.core.customer(s.ctx, t.CustomerID); err == nil {
			t.CustomerName = c.Name
		}
	}
	card, err := contextCard(s, t, false)
	if err != nil {
		return err
	}
	staff, now := s.e.cfg.AgentChatID, s.now
	s.e.metrics.Handoff()
	s.do(func(ctx context.Context, tx Tx) error {
		tk := *t
		if err := tx.CreateTicket(ctx, &tk); err != nil {
			return err
		}
		pos, err := tx.QueuePosition(ctx, &tk)
		if err != nil {
			return err
		}
		tk.ToldPosition, tk.ToldAt = max(pos, 1), now
		if err := tx.UpdateTicket(ctx, &tk); err != nil {
			return err
		}
		name, icon := topicName(&tk, false)
		s.late = append(s.late,
			supportbot.Reply{ChatID: staff, TicketID: tk.ID, TopicName: name, TopicIcon: icon,
				Text: strings.ReplaceAll(card, ticketMark, strconv.FormatInt(tk.ID, 10))})
		if s.alert != "" {
			s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: tk.ID, Text: s.alert})
		}
		s.late = append(s.late, tellQueue(s, &tk, pos))
		return nil
	})
	return nil
}

// stuckAction hands to a person a money action the core has not settled
// for long, or keeps answering outside the contract: the customer hears
// that someone will look at it (and not to try again), and the staff chat
// gets the action with a new ticket, or in the topic of the chat's open
// one. The action itself goes on being asked about by its key.
func stuckAction(s *Step, a *supportbot.Action) error {
	var amount string
	if a.Repay != nil {
		amount = money(a.Repay.Amount)
	}
	return toPerson(s, stuckAlert(s, a), "action.stuck", "what", locale.HTML(s.T("action.what_"+string(a.Kind), "amount", amount)))
}

// toPerson asks a person to look at a money action: alert goes into the
// topic of the chat's open ticket, or of the one it opens; the customer is
// told key+"_ticket" (a person has the ticket already), key (one will) or,
// with no staff chat, key+"_hotline" (args and the hotline and its hours).
func toPerson(s *Step, alert, key string, args ...any) error {
	s.records = true
	s.alert = alert
	t, err := s.e.st.OpenTicket(s.ctx, s.conv.ChatID)
	switch {
	case err == nil:
		s.say(s.T(key+"_ticket", args...))
		if staff := s.e.cfg.AgentChatID; staff != 0 {
			s.reply(supportbot.Reply{ChatID: staff, TicketID: t.ID, Text: s.alert})
		}
		return nil
	case supportbot.ErrorCode(err) != supportbot.ENOTFOUND:
		return err
	}
	if s.e.cfg.AgentChatID == 0 {
		// No desk to check it: the hotline can, and no colleague is
		// promised (a probe: "a colleague will write to you", then "no
		// person online, call the hotline").
		s.refer(&supportbot.Ticket{ChatID: s.conv.ChatID, CustomerID: s.conv.CustomerID, Reason: s.question(), Handle: handle(s.ev)})
		s.say(s.T(key+"_hotline", append(args, "hotline", s.e.cfg.Hotline, "hours", s.e.cfg.Hours.String())...), s.next()...)
		return nil
	}
	s.say(s.T(key, args...))
	return s.startFlow("agent", "")
}

// correctedAction tells a correction: a repayment an operator released as
// failed (the customer told nothing was taken, and to pay again if they
// wished) that the core says succeeded after all. The customer hears so,
// with its receipt as any payment's, and a person is asked to look — the
// plan may have been paid again since, and one of the two is to be
// refunded. A chat no longer the customer's is told nothing; the staff
// chat is, naming the customer, and the customer's message center keeps it.
func correctedAction(s *Step, a *supportbot.Action, elsewhere bool) error {
	sp := s.e.flows[a.Flow]
	if sp == nil || sp.settled == nil || a.Repay == nil {
		return nil
	}
	alert := s.staffT("desk.corrected", "what", deskWhat(s, a), "key", a.Key, "reason", a.Outcome.Released)
	if elsewhere {
		toStaffChat(s, "desk.stuck_elsewhere", a, alert)
		return settledElsewhere(s, sp, a)
	}
	amount := money(a.Repay.Amount)
	s.say(s.T("repay.corrected", "amount", amount))
	if err := sp.settled(s, a); err != nil {
		return err
	}
	if s.conv.Flow != "" && s.conv.Flow != "agent" {
		// A step waits (a quote, an ID check): not left for a hand-off the
		// customer did not ask for (a review). The staff chat is told,
		// naming the customer, and the customer how to reach a person.
		toStaffChat(s, "desk.corrected_busy", a, alert)
		s.say(s.T("repay.corrected_check_later"))
		return nil
	}
	return toPerson(s, alert, "repay.corrected_check", "amount", amount)
}

// stuckAlert is the staff's note on a stuck action: what, since when, the
// key to look up in the core.
func stuckAlert(s *Step, a *supportbot.Action) string {
	return s.staffT("desk.stuck", "what", deskWhat(s, a), "since", a.CreatedAt.In(s.e.cfg.Location).Format("01-02 15:04"),
		"attempts", a.Attempts, "key", a.Key)
}

// deskWhat is a money action as the staff chat names it: "还款 ¥499.91
// （RedmiBook）", "取消预约还款 S2", "注销申请".
func deskWhat(s *Step, a *supportbot.Action) locale.HTML {
	var amount, product string
	if a.Repay != nil {
		amount, product = money(a.Repay.Amount), a.Product
	}
	return locale.HTML(s.staffT("desk.what_"+string(a.Kind), "amount", amount, "product", product, "scheduled", a.Scheduled))
}

// stuckElsewhere hands a stuck action to a person when its chat is no
// longer its customer's (signed out, identified as someone else): the
// staff chat is told, naming the customer; the chat, whoever has it now,
// is told nothing of it.
func stuckElsewhere(s *Step, a *supportbot.Action) error {
	toStaffChat(s, "desk.stuck_elsewhere", a, stuckAlert(s, a))
	return nil
}

// toStaffChat posts alert on action a in the staff chat's General topic,
// after the line key names its customer with.
func toStaffChat(s *Step, key string, a *supportbot.Action, alert string) {
	if staff := s.e.cfg.AgentChatID; staff != 0 {
		s.reply(supportbot.Reply{ChatID: staff, Text: s.staffT(key, "customer", a.CustomerID) + "\n" + alert})
	}
}

// tellQueue tells the customer their place, and when agents are back if
// they are away.
// waitAsked asks how long the wait is ("还要等多久", "排到几号了", "how long
// do I have to wait").
var waitAsked = regexp.MustCompile(`(?:要|还得|还要)?等(?:多久|多长时间|几分钟)|排(?:到|在)?第?几|什么时候(?:有人|轮到|接)|\bhow long\b|\bwhen will (?:someone|somebody|an agent|a person)\b|\bwhere am i in (?:the )?(?:queue|line)\b`)

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

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// closeTicket closes ticket id in the step's transaction, by (who closed
// it: supportbot.ClosedBy…), with note as its closing note in the topic,
// unless it was closed meanwhile (an agent's close at the same moment is
// theirs); invite asks for the rating, as an agent's /close does. What it
// reports is known once the step commits.
func (s *Step) closeTicket(id int64, by, note string, invite bool) (ended *bool) {
	now, ended := s.now, new(bool)
	s.do(func(ctx context.Context, tx Tx) error {
		*ended = false
		t, err := tx.Ticket(ctx, id)
		if err != nil || t.Status != supportbot.TicketOpen {
			return err
		}
		*ended = true
		t.Status, t.ClosedAt, t.ClosedBy = supportbot.TicketClosed, now, by
		if invite && t.AgentID != 0 {
			t.Invite = supportbot.InviteSent // as an agent's /close: the note says so, an undelivered one is told
		}
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		s.late = append(s.late, s.e.retitle(t, false), s.e.closeReply(t, note))
		return nil
	})
	return ended
}

// endTicketUnverified closes the chat's open ticket when the chat loses its
// customer (their phone changed, or they are gone): an agent must not go on
// telling the account to whoever has the chat now. The topic says why, and
// a later reply in it gets the 🤷; the customer may ask for a person again.
// It reports whether there was a ticket to close.
func (s *Step) endTicketUnverified() bool {
	t, err := s.e.st.OpenTicket(s.ctx, s.conv.ChatID)
	if err != nil {
		if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			s.e.log.Error("read the open ticket of a chat being unlinked", "chat", s.e.chatRef(s.conv.ChatID), "err", err)
		}
		return false
	}
	ended := s.closeTicket(t.ID, supportbot.ClosedByBot, s.staffT("agent.unlinked"), false)
	s.auditTicketIf(ended, t, "ticket_close", map[string]any{"ticket_id": t.ID, "by": "unlink"})
	return true
}

// relayToAgent passes what the customer sends to the ticket's topic: text
// joins the ticket's latest post (one post per burst, edited as it grows),
// an edit shows as edited, media and albums are copied; /end leaves the
// queue. It returns false when the ticket is gone (closed meanwhile): the
// chat is back with the bot, which takes the event itself.
func relayToAgent(s *Step) (bool, error) {
	t, err := s.e.st.OpenTicket(s.ctx, s.conv.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		s.finish()
		return closedMeanwhile(s)
	} else if err != nil {
		return true, err
	}
	staff, id := s.e.cfg.AgentChatID, t.ID
	ev := s.ev
	switch {
	case ev.Kind == supportbot.EventButton && ratesATicket(ev.Data):
		return false, nil // an earlier ticket's star: rated (rateLater), the hand-off going on
	case ev.Kind == supportbot.EventCommand && ev.Text == "end":
		ended := s.closeTicket(id, supportbot.ClosedByCustomer, s.staffT("agent.customer_left"), true)
		s.auditTicketIf(ended, t, "ticket_close", map[string]any{"ticket_id": id, "by": "customer"})
		s.finish()
		if t.AgentID == 0 { // still waiting: they leave the queue
			s.say(s.T("agent.left"), s.next()...)
			return true, nil
		}
		// An agent had the chat: it ends as an agent's /close does, with
		// the invitation to rate it.
		s.say(s.T("agent.ended"))
		closed := *t
		closed.ClosedAt = s.now
		if err := s.fire("rate", "ask"); err != nil {
			return true, err
		}
		s.slots.Left = true
		s.out[len(s.out)-1].Track = rateTrack(&closed)
		return true, nil
	case ev.Kind == supportbot.EventButton && !pressesHuman(ev.Data):
		// The message the button is under (a receipt, a bill) stays as it
		// is: the answer comes below it.
		s.target = 0
		key := "agent.with_agent"
		if s.conv.State == "queued" { // nobody has the chat yet
			key = "agent.button_queued"
		}
		s.say(s.T(key))
		return true, nil
	case ev.Kind == supportbot.EventCommand && (ev.Text == "agent" || ev.Text == "start" || ev.Text == "menu" || ev.Text == "help") ||
		ev.Kind == supportbot.EventText && t.AgentID == 0 && !ev.Forwarded && s.asksForAPerson(ev.Text) || ev.Kind == supportbot.EventButton:
		// Asking for a person (in words too, while waiting: "转人工", a
		// probe found them relayed and unanswered — with an agent on the
		// chat, "I want a real person" is theirs to read; or 👤 pressed),
		// or for the bot, while with one: where they are, not a line the
		// agent reads as a question. The message a button is under stays.
		if ev.Kind == supportbot.EventButton {
			s.target = 0
		}
		if ev.Kind == supportbot.EventCommand && ev.Text == "agent" && strings.TrimSpace(ev.Args) != "" {
			// "/agent 我被扣了两次钱" while handed off: the words are for
			// the person, as typed without the command (a probe lost them).
			s.relayLine(id, supportbot.RelayLine{MessageID: ev.MessageID, Text: strings.TrimSpace(ev.Args)})
			if ev.Masked {
				s.warnMasked()
			}
		}
		pos, err := s.e.st.QueuePosition(s.ctx, t)
		if err != nil {
			return true, err
		}
		s.reply(tellQueue(s, t, pos))
		return true, nil
	case ev.Kind == supportbot.EventCommand && ev.Text == "logout":
		// Signing out waits for the person to be done: under an agent's
		// eyes it would leave them talking to an unverified chat.
		key := "agent.end_first"
		if s.conv.State == "queued" { // nobody has the chat yet (a probe: told "talking with a person")
			key = "agent.end_first_queued"
		}
		s.say(s.T(key))
		return true, nil
	case ev.Kind == supportbot.EventEdit:
		to, err := s.repliedAgent()
		if err != nil {
			return true, err
		}
		s.relayLine(id, supportbot.RelayLine{MessageID: ev.MessageID, Text: ev.Text, Edited: true, ReplyTo: to})
		if ev.Masked { // a card number edited in: warned as one typed anew
			s.warnMasked()
		}
	case ev.Kind == supportbot.EventText || ev.Kind == supportbot.EventCommand:
		// As the card has it: a forwarded text is marked so, never shown as
		// the customer's own words (a scam message forwarded to ask "is
		// this real?").
		to, err := s.repliedAgent()
		if err != nil {
			return true, err
		}
		s.relayLine(id, supportbot.RelayLine{MessageID: ev.MessageID, Text: ev.Summary(), ReplyTo: to})
		if ev.Masked || splitsASecret(t.Relay, ev.Text) {
			s.warnMasked()
		}
		if queuedAsk := ev.Kind == supportbot.EventText && !ev.Forwarded && t.AgentID == 0; queuedAsk && (cancelWords[bare(ev.Text)] || waitAsked.MatchString(strings.ToLower(ev.Text))) {
			// "取消", "还要等多久" while nobody has the chat: relayed, and
			// answered — where they are in the queue, and how to leave it
			// (a probe: no reply to either).
			pos, err := s.e.st.QueuePosition(s.ctx, t)
			if err != nil {
				return true, err
			}
			s.reply(tellQueue(s, t, pos))
		}
		if ev.Kind == supportbot.EventCommand && (commands[ev.Text] != "" || ev.Text == "lang" || ev.Text == "cancel") {
			// "/bill" while with a person: the agent reads it (the card
			// has the bill); the customer is told so, and how to get the
			// bot to do it instead — not left without a reply.
			key := "agent.command_relayed"
			if s.conv.State == "queued" { // nobody has the chat yet
				key = "agent.command_queued"
			}
			s.say(s.T(key, "command", "/"+ev.Text))
		}
	case ev.Kind == supportbot.EventContact:
		// A contact card holds a whole phone number, perhaps someone
		// else's: the topic is told one came, its number masked, never
		// given a copy.
		key := "agent.contact_other"
		if ev.ContactUserID != 0 && ev.ContactUserID == ev.UserID {
			key = "agent.contact_own"
			if s.conv.CustomerID == "" {
				// Their own, from a chat not verified: it verifies them, as
				// at the bot's own ask (a desk probe: the agent saw a
				// masked number and could not tell who it was).
				if verified, err := s.identifyAtDesk(id); verified || err != nil {
					return true, err
				}
			}
		}
		s.relayLine(id, supportbot.RelayLine{MessageID: ev.MessageID, Text: s.staffT(key, "phone", supportbot.MaskPhone(supportbot.ContactPhone(ev.Phone)))})
		s.say(s.T("agent.contact_relayed"))
	case ev.FileHidden:
		// A document named with a card or ID number: a copy would show the
		// name. The topic is told what came, masked; the customer is asked
		// to send it again under another name.
		text := s.staffT("agent.file_hidden", "name", ev.FileName)
		if ev.Text != "" {
			text += "\n" + ev.Text
		}
		s.relayLine(id, supportbot.RelayLine{MessageID: ev.MessageID, Text: text})
		s.say(s.T("cards.file_name_hidden"))
	default: // photos, documents, contacts, albums: copied as they are, after the post before them
		if ev.Forwarded { // a copy does not say it was forwarded
			s.relayLine(id, supportbot.RelayLine{Text: s.staffT("agent.forwarded_media")})
		}
		r := supportbot.Reply{ChatID: staff, TicketID: id, CopyFromChat: ev.ChatID, CopyFromMessage: ev.MessageID}
		if len(ev.Album) > 1 {
			r.CopyMessages = ev.Album
		}
		// The copy carries the caption as it came, masked: a copy takes the
		// caption Telegram has when it is made, and the customer may have
		// edited a card number into it meanwhile (the copy waited its turn).
		r.HideCaption = true
		if len(r.CopyMessages) == 0 {
			r.Caption = locale.Escape(supportbot.MaskIDTail(ev.Text))
		} else if ev.Text != "" {
			s.relayLine(id, supportbot.RelayLine{MessageID: ev.MessageID, Text: ev.Text})
		}
		if ev.Masked {
			s.warnMasked()
		}
		now := s.now
		s.do(func(ctx context.Context, tx Tx) error {
			t, err := tx.Ticket(ctx, id)
			if err != nil {
				return err
			}
			t.Relay.Closed = true
			if t.WaitingSince.IsZero() {
				t.WaitingSince = now
			}
			return tx.UpdateTicket(ctx, t)
		})
		s.reply(r)
	}
	return true, nil
}

// identifyAtDesk links a chat waiting for or talking with a person to the
// customer whose phone its own shared contact is, as linkContact does, and
// tells the ticket's topic who it is with the card's lines of the account
// (the topic renamed) and the customer that the agent now sees it. A number
// no customer's, or a core that does not answer, verifies nobody: false.
func (s *Step) identifyAtDesk(id int64) (bool, error) {
	phone := supportbot.ContactPhone(s.ev.Phone)
	if phone == "" {
		return false, nil
	}
	c, err := s.customerOfPhone(phone)
	if unavailableErr(err) || err == nil && c == nil {
		return false, nil
	} else if err != nil {
		return true, err
	}
	s.linkTo(c)
	s.audit("identify", map[string]any{"ticket_id": id})
	t, err := s.e.st.Ticket(s.ctx, id)
	if err != nil {
		return true, err
	}
	t.CustomerID, t.CustomerName = c.ID, c.Name
	account, err := accountLines(s, t, true)
	if err != nil {
		return true, err
	}
	staff := s.e.cfg.AgentChatID
	note := s.staffT("agent.contact_verified") + "\n" + strings.Join(account, "\n")
	s.do(func(ctx context.Context, tx Tx) error {
		t, err := tx.Ticket(ctx, id)
		if err != nil || t.Status != supportbot.TicketOpen {
			return err
		}
		t.CustomerID, t.CustomerName = c.ID, c.Name
		t.Relay.Closed = true // the customer's next line below the note
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: id, Text: note}, s.e.retitle(t, false))
		return nil
	})
	s.say(s.T("agent.contact_verified_customer", "name", c.Name))
	return true, nil
}

// splitsASecret reports text ending a card or ID number that the last line
// of the post began (MaskSplitSecret): the customer is warned, as for one
// typed whole.
func splitsASecret(post supportbot.RelayPost, text string) bool {
	if len(post.Lines) == 0 {
		return false
	}
	_, _, split := supportbot.MaskSplitSecret(post.Lines[len(post.Lines)-1].Text, text)
	return split
}

// pressesHuman reports a press of 👤 (a menu button that starts the agent
// flow).
// ratesATicket reports a star of a rating invitation.
func ratesATicket(data string) bool {
	c, err := DecodeCallback(data)
	return err == nil && c.Kind == CallbackMenu && c.Flow == "rate"
}

func pressesHuman(data string) bool {
	c, err := DecodeCallback(data)
	return err == nil && c.Kind == CallbackMenu && c.Flow == "agent"
}

// repliedAgent is the agent's message in the staff chat that the customer's
// message replies to — their copy of it, replied to in Telegram — or 0 (a
// desk probe: "好的" to one of several agents' answers reached the topic
// with no sign of which).
func (s *Step) repliedAgent() (int64, error) {
	if s.ev.ReplyTo == 0 || s.ev.Forwarded {
		return 0, nil
	}
	track, err := s.e.st.TrackOf(s.ctx, s.conv.ChatID, s.ev.ReplyTo)
	if err != nil {
		return 0, err
	}
	return agentMessage(track), nil
}

// relayLine adds a customer's message to the ticket's latest post, or
// starts a new post; an edited message already in the post is changed in
// place. The post is one tracked reply: edited while Telegram has it,
// replaced while it waits in the outbox, so a burst costs the staff chat
// one message, not one per line.
func (s *Step) relayLine(id int64, line supportbot.RelayLine) {
	staff, now, cat := s.e.cfg.AgentChatID, s.now, s.e.cfg.Catalog
	line.Text = supportbot.MaskIDTail(line.Text)
	s.do(func(ctx context.Context, tx Tx) error {
		t, err := tx.Ticket(ctx, id)
		if err != nil || t.Status != supportbot.TicketOpen {
			return err
		}
		post, placed := t.Relay, false
		if line.Edited && line.MessageID != 0 {
			for i := range post.Lines {
				if post.Lines[i].MessageID == line.MessageID {
					post.Lines[i], placed = line, true
				}
			}
		}
		if !placed {
			if !takes(post, now, line) {
				if post.Reopen {
					s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: id, ReopenTopic: true})
				}
				post = supportbot.RelayPost{Seq: post.Seq + 1, Started: now}
			}
			if n := len(post.Lines); n > 0 {
				// A card typed across this line and the one before: both
				// masked, the post edited (a probe: neither was).
				post.Lines[n-1].Text, line.Text, _ = supportbot.MaskSplitSecret(post.Lines[n-1].Text, line.Text)
			}
			post.Lines = append(post.Lines, line)
		}
		t.Relay = post
		if t.WaitingSince.IsZero() {
			t.WaitingSince = now
		}
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: id, Track: postTrack(id, post.Seq), Text: renderPost(cat, staff, post)})
		return nil
	})
}

// closedMeanwhile leads the answer to what the customer wrote to the agent
// as the agent closed the chat — the close taken first, its event behind
// this one in the chat's inbox, still to tell them (a PostgreSQL probe:
// the bot answered as if nothing had been going on) — with that it did not
// reach the agent; the bot answers it below, as it would any message. It
// reports false: the message is still to be answered.
func closedMeanwhile(s *Step) (bool, error) {
	switch s.ev.Kind {
	case supportbot.EventText, supportbot.EventMedia, supportbot.EventEdit:
	default:
		return false, nil // a command or a button: the bot's to take
	}
	t, err := s.e.st.LastTicket(s.ctx, s.conv.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return true, err
	}
	if t.ClosedBy == supportbot.ClosedByAgent && s.now.Sub(t.ClosedAt) <= closedMeanwhileFor {
		s.lead = s.T("agent.closed_meanwhile")
	}
	return false, nil
}

// closedMeanwhileFor bounds how long after an agent's close a message of a
// chat still handed off is read as crossing it.
const closedMeanwhileFor = 10 * time.Minute

// agentEvent takes what an agent did on the chat's ticket, in the
// customer's chat: a reply relayed (or corrected), a claim or transfer, the
// ticket closed, reopened or referred.
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
	say := func(r supportbot.Reply) {
		s.reply(r)
		s.conv.Transcript.Append(supportbot.Line{Time: s.now, From: "agent", Text: clipText(locale.Plain(r.Text), 200)})
	}
	signed := func(text string) string {
		if a.Forwarded {
			// Someone else's words (a probe's forward reached the customer
			// as the agent's own).
			return strings.TrimSpace(s.T("agent.signed_forwarded", "agent", a.AgentName, "text", text))
		}
		if strings.TrimSpace(text) == "" { // a photo without a caption
			return s.T("agent.sign", "agent", a.AgentName)
		}
		return s.T("agent.signed", "agent", a.AgentName, "text", text)
	}
	switch a.Kind {
	case supportbot.AgentMessage, supportbot.AgentFAQ, supportbot.AgentEdit:
		if t.Status != supportbot.TicketOpen && t.ClosedBy != supportbot.ClosedByAgent {
			// The customer left meanwhile (their /end came first, or the
			// chat lost its customer): nobody to relay to, and the agent
			// sees so on the message. The agent's own /close after it is
			// not that: the desk took the reply while the ticket was open,
			// and the closing notice comes after it in this chat's inbox.
			if (a.Kind == supportbot.AgentMessage || a.Kind == supportbot.AgentEdit) && a.MessageID != 0 && s.e.cfg.AgentChatID != 0 {
				s.reply(notRelayed(s.e.cfg.AgentChatID, a.MessageID, notRelayedText(s, t)))
			}
			return nil
		}
		if handedOff && s.conv.State == "queued" {
			// The first answer: who is helping, then what they say.
			s.conv.State = "claimed"
			if a.Kind != supportbot.AgentEdit {
				say(supportbot.Reply{Text: s.T("agent.claimed", "agent", a.AgentName)})
			}
		}
		track, media := "", ""
		if a.MessageID != 0 {
			track = agentTrack(a.MessageID) // an edit of it edits the customer's copy
			media = mediaTrack(a.MessageID) // /unsend takes them back too
		}
		switch {
		case a.Kind == supportbot.AgentFAQ:
			text, _, ok := s.e.cfg.Answers.Answer(a.Text, s.conv.Lang)
			if ok {
				text = s.fill(text)
				if containsAny(strings.ToLower(text), "转人工", "/agent", "a person", "a human") {
					// Sent by the person they talk to: "点下方转人工" has no
					// button under it here (a probe), and needs none.
					text += "\n\n" + s.T("agent.faq_with_person")
				}
				say(supportbot.Reply{Text: text})
			}
		case len(a.Album) > 1: // an album's copy takes no caption: signed above it
			// The signed words are what a correction of the caption edits.
			say(supportbot.Reply{Text: signed(a.Text), Track: track})
			s.reply(supportbot.Reply{CopyFromChat: a.CopyFromChat, CopyMessages: a.Album, HideCaption: a.Text != "", Track: media})
		case a.CopyFromMessage != 0:
			r := supportbot.Reply{CopyFromChat: a.CopyFromChat, CopyFromMessage: a.CopyFromMessage, Track: track, ReplyTo: a.ReplyTo}
			caption := signed(a.Text)
			if supportbot.TextLen(locale.Plain(caption)) > supportbot.CaptionLimit {
				// Too long to sign in the caption (a probe's 1,020
				// characters reached the customer unsigned): signed above
				// it, as an album's, and a correction edits those words.
				say(supportbot.Reply{Text: caption, Track: track, ReplyTo: a.ReplyTo})
				r.Track, r.ReplyTo, caption = media, 0, ""
			}
			r.HideCaption, r.Caption = true, caption
			s.reply(r)
		default:
			say(supportbot.Reply{Text: signed(a.Text), Track: track, ReplyTo: a.ReplyTo}) // to the customer's words the agent replied to
		}
	case supportbot.AgentUnsend:
		// Whatever the ticket's state: the customer must not keep it.
		s.reply(supportbot.Reply{Track: agentTrack(a.MessageID), Withdraw: true})
		s.reply(supportbot.Reply{Track: mediaTrack(a.MessageID), Withdraw: true}) // an album's, a photo's signed above it
		s.conv.Transcript.Append(supportbot.Line{Time: s.now, From: "agent", Text: "[withdrawn]"})
	case supportbot.AgentClaim, supportbot.AgentTransfer:
		if t.Status != supportbot.TicketOpen {
			return nil
		}
		if handedOff {
			s.conv.State = "claimed"
		}
		key := "agent.claimed"
		if a.Kind == supportbot.AgentTransfer {
			key = "desk.transferred"
		}
		say(supportbot.Reply{Text: s.T(key, "agent", a.AgentName)})
	case supportbot.AgentClose:
		if handedOff {
			s.reset()
		}
		if s.conv.Unreachable {
			return nil // blocked: nothing would arrive; the agent was told so
		}
		say(supportbot.Reply{Text: s.T("agent.closed")})
		if err := s.fire("rate", "ask"); err != nil {
			return err
		}
		s.out[len(s.out)-1].Track = rateTrack(t) // a refusal of it is the invitation's
	case supportbot.AgentReopen:
		if t.Status != supportbot.TicketOpen {
			return nil
		}
		// A step the customer was at (a quote) is left: they are told what
		// it did not do, not left to find its buttons gone.
		lead := s.stepLeft()
		if lead != "" {
			lead += "\n\n"
		}
		s.reset()
		s.conv.Flow, s.conv.State = "agent", "claimed"
		say(supportbot.Reply{Text: lead + s.T("desk.reopened", "agent", a.AgentName) + "\n" + s.T("agent.end_hint")})
	case supportbot.AgentReferred:
		if handedOff {
			s.reset()
		}
		s.say(s.T("agent.unreachable")+"\n"+s.T("agent.hotline", "hotline", s.e.cfg.Hotline, "hours", s.e.cfg.Hours.String()),
			s.next()...)
		// Its topic, once the bot can post again, says so and closes: it
		// kept 🟡 and took replies that went nowhere, and /reopen said
		// "closed over 24 hours ago" (a desk probe).
		s.reply(s.e.retitle(t, false))
		s.reply(s.e.closeReply(t, s.staffT("desk.referred", "ticket", t.ID, "hotline", s.e.cfg.Hotline)))
	}
	return nil
}

// auditTicket audits what was done to a ticket, under its customer and chat
// (not the staff chat's), with who did it in the details.
func (s *Step) auditTicket(t *supportbot.Ticket, action string, details map[string]any) {
	s.auditTicketIf(nil, t, action, details)
}

// auditTicketIf audits it when *done is true once the changes before it
// ran (nil: always).
func (s *Step) auditTicketIf(done *bool, t *supportbot.Ticket, action string, details map[string]any) {
	s.e.metrics.Action(action)
	e := supportbot.AuditEntry{Action: action, CustomerID: t.CustomerID, ChatID: t.ChatID, Details: details}
	s.do(func(ctx context.Context, tx Tx) error {
		if done != nil && !*done {
			return nil
		}
		return tx.AppendAudit(ctx, e)
	})
}

// warnMasked tells the customer a card or ID number they sent was masked
// before an agent saw it — once for lines sent close together (a desk probe
// got six warnings alike for six lines in 2 s).
func (s *Step) warnMasked() {
	if !s.slots.Masked.IsZero() && s.now.Sub(s.slots.Masked) < maskedWarnAgain {
		return
	}
	s.slots.Masked = s.now
	s.say(s.T("cards.never_share_relayed"))
}

// maskedWarnAgain is how long after a warning a masked line is warned of
// again.
const maskedWarnAgain = 2 * time.Minute

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
