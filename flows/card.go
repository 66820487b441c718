package flows

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"supportbot"
	"supportbot/locale"
)

// What the staff chat shows of a ticket: the context card that opens its
// topic, the topic's name and icon by state, the post that gathers a
// customer's messages, the note that closes it, the queue. The staff chat
// works in Chinese.

// Topic icons: custom emoji Telegram offers for forum topics
// (getForumTopicIconStickers).
const (
	iconWaiting = "5377316857231450742" // ❓ waiting for an agent
	iconClaimed = "5373251851074415873" // 📝 an agent is on it
	iconBlocked = "5379748062124056162" // ❗️ the customer blocked the bot
)

// Tracks: what a tracked reply is, per chat (Reply.Track).
func postTrack(ticket, seq int64) string { return fmt.Sprintf("t%d:c%d", ticket, seq) } // a post of customer messages
func topicTrack(ticket int64) string     { return fmt.Sprintf("t%d:topic", ticket) }    // the topic's name
func agentTrack(message int64) string    { return fmt.Sprintf("a%d", message) }         // the customer's copy of an agent's message
func mediaTrack(message int64) string    { return fmt.Sprintf("a%d:media", message) }   // its media, when signed in a message above them

// closeTrack and rateTrack name a closing note and a rating invitation: one
// of each per time the ticket is closed (it can be reopened).
func closeTrack(t *supportbot.Ticket) string {
	return fmt.Sprintf("t%d:close%d", t.ID, t.ClosedAt.UnixMilli())
}

func rateTrack(t *supportbot.Ticket) string {
	return fmt.Sprintf("rate%d.%d", t.ID, t.ClosedAt.UnixMilli())
}

// agentMessage reads the staff-chat message an agent's copy is tracked by.
func agentMessage(track string) int64 {
	n, err := strconv.ParseInt(strings.TrimPrefix(track, "a"), 10, 64)
	if err != nil || !strings.HasPrefix(track, "a") {
		return 0
	}
	return n
}

// topicName is a ticket's topic name and icon for its state: 🟡 waiting,
// 🟢 claimed (by whom), ⛔ the customer blocked the bot, ✅ closed.
func topicName(t *supportbot.Ticket, blocked bool) (name, icon string) {
	state, icon := ticketState(t, blocked)
	name = state + " " + ticketLabel(t)
	if t.Status == supportbot.TicketOpen && !blocked && t.AgentID != 0 {
		name += " · " + t.AgentName
	}
	return name, icon
}

// ticketState is a ticket's state as an emoji, and its topic icon.
func ticketState(t *supportbot.Ticket, blocked bool) (string, string) {
	switch {
	case t.Status != supportbot.TicketOpen:
		return "✅", ""
	case blocked:
		return "⛔", iconBlocked
	case t.AgentID != 0:
		return "🟢", iconClaimed
	}
	return "🟡", iconWaiting
}

// ticketLabel names a ticket: its number, the customer, their id if known.
func ticketLabel(t *supportbot.Ticket) string {
	label := fmt.Sprintf("#T%d %s", t.ID, customerLabel(t))
	if t.CustomerID != "" {
		label += " " + t.CustomerID
	}
	return label
}

// customerLabel names the customer: the name on file, or Telegram's.
func customerLabel(t *supportbot.Ticket) string {
	if t.CustomerName != "" {
		return t.CustomerName
	}
	name, _, _ := strings.Cut(t.Handle, " @")
	return or(strings.TrimSpace(name), "—")
}

// retitle renames a ticket's topic for its state; a newer name replaces
// one not sent yet.
func (e *Engine) retitle(t *supportbot.Ticket, blocked bool) supportbot.Reply {
	name, icon := topicName(t, blocked)
	return supportbot.Reply{ChatID: e.cfg.AgentChatID, TicketID: t.ID, EditTopic: true, TopicName: name, TopicIcon: icon,
		Track: topicTrack(t.ID)}
}

// handle is how Telegram names the sender of ev: first name, @username.
func handle(ev supportbot.Event) string {
	h := strings.TrimSpace(ev.FirstName)
	if ev.Username != "" {
		h = strings.TrimSpace(h + " @" + ev.Username)
	}
	return h
}

// ticketMark stands for the number of a ticket not created yet in its card.
const ticketMark = "\x00ticket\x00"

// contextCard is the post that opens a ticket's topic: who the customer is
// (verified, or how Telegram names them), their open plans with what is
// overdue, what they asked in their own words and where they were, the
// tickets before with agent, date, rating and notes, and the conversation
// without the bot's greetings and menus. A card made before its ticket
// exists (t.ID 0) carries ticketMark for the number. again is set for the
// card of a topic made again after an agent deleted it.
func contextCard(s *Step, t *supportbot.Ticket, again bool) (string, error) {
	tr := s.staffT
	number := locale.HTML(ticketMark)
	if t.ID != 0 {
		number = locale.HTML(strconv.FormatInt(t.ID, 10))
	}
	title := "card.title"
	if again {
		title = "desk.card.again"
	}
	lines := []string{tr(title, "ticket", number)}
	if t.CustomerID != "" {
		account, err := accountLines(s, t, again)
		if err != nil {
			return "", err
		}
		lines = append(lines, account...)
	} else {
		lines = append(lines, tr("desk.card.customer_unverified", "handle", or(t.Handle, "—")))
	}
	lines = append(lines, tr("card.lang", "lang", string(s.conv.Lang)))
	switch {
	case t.Reason != "":
		lines = append(lines, tr("desk.card.question", "question", t.Reason))
	case s.alert == "": // the bot opened it: its note follows the card
		lines = append(lines, tr("desk.card.no_question"))
	}
	if t.CameFrom != "" && s.e.cfg.Catalog.Has("desk.flow."+t.CameFrom) {
		lines = append(lines, tr("desk.card.came_from", "flow", tr("desk.flow."+t.CameFrom)))
	}
	if t.ID != 0 {
		notes, err := s.e.st.TicketNotes(s.ctx, t.ID)
		if err != nil {
			return "", err
		}
		if len(notes) > 0 {
			lines = append(lines, tr("desk.card.notes", "notes", noteTexts(notes)))
		}
	}
	history, err := ticketHistory(s, t)
	if err != nil {
		return "", err
	}
	lines = append(lines, history...)
	var said []string
	for _, l := range s.conv.Transcript.Lines() {
		if l.From == "customer" && l.Text == "[button]" {
			continue // a button whose label is unknown says nothing
		}
		said = append(said, fmt.Sprintf("[%s %s] %s", l.Time.In(s.e.cfg.Location).Format("15:04"), tr("card.from_"+l.From), locale.Escape(l.Text)))
	}
	if len(said) > 0 {
		lines = append(lines, tr("card.transcript"))
		lines = append(lines, said...)
	}
	lines = append(lines, "", tr("desk.help"))
	return strings.Join(lines, "\n"), nil
}

// accountLines are the card's lines of a verified customer: who they are,
// their Telegram accounts, their open plans. lenient leaves the account
// out where the core no longer knows them, as where it does not answer.
func accountLines(s *Step, t *supportbot.Ticket, lenient bool) ([]string, error) {
	tr := s.staffT
	s.core.prefetch(s.ctx, t.CustomerID, readPlans)
	c, err := s.core.customer(s.ctx, t.CustomerID)
	var plans []supportbot.Plan
	if err == nil {
		plans, err = s.core.plans(s.ctx, t.CustomerID)
	}
	var lines []string
	switch {
	case unavailableErr(err), err != nil && lenient:
		// The core does not answer (or no longer knows them): the agent
		// gets the card without the account.
		lines = append(lines, tr("card.customer_core_down", "id", t.CustomerID))
	case err != nil:
		return nil, err
	default:
		lines = append(lines, tr("card.customer_verified", "name", c.Name, "id", c.ID, "phone", supportbot.MaskPhone(c.Phone)))
	}
	accounts, err := telegramAccounts(s, t)
	if err != nil {
		return nil, err
	}
	lines = append(lines, accounts...)
	for _, p := range plans {
		if p.Open() {
			lines = append(lines, planLine(s, p))
		}
	}
	return lines, nil
}

// planLine is a plan on the card, with its overdue periods and what they
// cost, late fees included.
func planLine(s *Step, p supportbot.Plan) string {
	var overdue []supportbot.Money
	var late []supportbot.Money
	for _, b := range p.Bills {
		if b.Overdue(s.today) {
			overdue = append(overdue, b.Principal, b.Fee, b.LateFee)
			late = append(late, b.LateFee)
		}
	}
	args := []any{"product", p.Product, "plan", p.ID, "paid", p.PaidPeriods(), "periods", p.Periods, "remaining", money(p.Remaining())}
	if len(late) == 0 {
		return s.staffT("desk.card.plan", args...)
	}
	due, err1 := supportbot.SumMoney(overdue...)
	fees, err2 := supportbot.SumMoney(late...)
	if err1 != nil || err2 != nil {
		return s.staffT("desk.card.plan", args...)
	}
	return s.staffT("desk.card.plan_overdue", append(args, "overdue", len(late), "overdue_amount", money(due), "late_fee", money(fees))...)
}

// telegramAccounts is the card's lines on a verified customer's Telegram
// account: the chat's, and the others linked to the same customer — two
// accounts sharing one phone is what the bot's 🔐 alert sends customers to
// a person for, and a probe's agent got two cards alike, neither saying
// which account was which.
func telegramAccounts(s *Step, t *supportbot.Ticket) ([]string, error) {
	lines := []string{s.staffT("desk.card.account", "handle", supportbot.MaskNumbers(or(t.Handle, "—"), 200), "user", t.ChatID)}
	chats, err := s.e.st.CustomerConversations(s.ctx, t.CustomerID)
	if err != nil {
		return nil, err
	}
	var others []string
	for _, c := range chats {
		if c.ChatID != t.ChatID {
			others = append(others, "<code>"+strconv.FormatInt(c.ChatID, 10)+"</code>")
		}
	}
	if len(others) > 0 {
		lines = append(lines, s.staffT("desk.card.other_accounts", "n", len(others), "ids", locale.HTML(strings.Join(others, "、"))))
	}
	return lines, nil
}

// ticketHistory is the card's lines about the customer's tickets before
// this one: number, date, agent, rating, notes.
func ticketHistory(s *Step, t *supportbot.Ticket) ([]string, error) {
	before := t.ID
	if before == 0 {
		before = math.MaxInt64
	}
	list, err := s.e.st.PreviousTickets(s.ctx, t.ChatID, t.CustomerID, before, 3)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	lines := []string{s.staffT("desk.card.history")}
	for _, p := range list {
		rating := s.staffT("desk.card.unrated")
		switch {
		case p.Status == supportbot.TicketOpen: // another account's chat, handed off too
			rating = s.staffT("desk.card.still_open")
		case p.Status == supportbot.TicketReferred: // sent to the hotline: they may have called (a desk probe: "— · 未评分")
			rating = s.staffT("desk.card.referred")
		case p.Rating > 0:
			rating = s.staffT("desk.card.stars", "rating", p.Rating)
		}
		notes, err := s.e.st.TicketNotes(s.ctx, p.ID)
		if err != nil {
			return nil, err
		}
		noted := ""
		if len(notes) > 0 {
			noted = s.staffT("desk.card.past_notes", "notes", noteTexts(notes))
		}
		lines = append(lines, s.staffT("desk.card.past", "ticket", p.ID,
			"date", supportbot.DateOf(p.CreatedAt, s.e.cfg.Location).Format(supportbot.LangZH),
			"agent", or(p.AgentName, "—"), "score", locale.HTML(rating), "notes", locale.HTML(noted)))
	}
	return lines, nil
}

// noteTexts joins a ticket's notes, each with its agent, clipped.
func noteTexts(notes []supportbot.TicketNote) string {
	var parts []string
	for _, n := range notes {
		parts = append(parts, clipText(n.Text, 120)+"（"+or(n.AgentName, "—")+"）")
	}
	return strings.Join(parts, "；")
}

// Customer messages gather into one post while the post is open: until an
// agent answers or media comes between, for postWindow after its first
// message, up to postLines messages and postChars characters (as Telegram counts
// them: an emoji is two).
const (
	postWindow = 5 * time.Minute
	postLines  = 30
	postChars  = 3000
)

// takes reports whether the ticket's latest post can take one more line.
func takes(p supportbot.RelayPost, now time.Time, line supportbot.RelayLine) bool {
	if p.Seq == 0 || p.Closed || len(p.Lines) >= postLines || now.Sub(p.Started) > postWindow {
		return false
	}
	n := supportbot.TextLen(line.Text)
	for _, l := range p.Lines {
		n += supportbot.TextLen(l.Text) + 4
	}
	return n <= postChars
}

// renderPost is a post of customer messages in the staff chat, one line
// each; a line that replies to an agent's message links to it.
func renderPost(cat *locale.Catalog, staff int64, p supportbot.RelayPost) string {
	var b strings.Builder
	for i, l := range p.Lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("👤 ")
		if l.ReplyTo != 0 {
			replied := cat.T(supportbot.LangZH, "desk.replied")
			if link := messageLink(staff, l.ReplyTo); link != "" {
				replied = `<a href="` + link + `">` + replied + `</a>`
			}
			b.WriteString(replied + " ")
		}
		b.WriteString(locale.Escape(l.Text))
		if l.Edited {
			b.WriteString(" <i>" + cat.T(supportbot.LangZH, "desk.edited") + "</i>")
		}
	}
	return b.String()
}

// messageLink is Telegram's link to a message of a supergroup ("" for a
// chat id of another form): https://t.me/c/<id without -100>/<message>.
func messageLink(chat, message int64) string {
	const supergroup = -1000000000000
	if chat > supergroup {
		return ""
	}
	return fmt.Sprintf("https://t.me/c/%d/%d", supergroup-chat, message)
}

// closingNote is the post a ticket's topic closes with: who had it and for
// how long, what became of the rating invitation, the rating once given.
func closingNote(cat *locale.Catalog, t *supportbot.Ticket) string {
	minutes := int(t.ClosedAt.Sub(t.CreatedAt).Round(time.Minute).Minutes())
	lines := []string{cat.T(supportbot.LangZH, "desk.closed", "ticket", t.ID, "agent", or(t.AgentName, "—"), "minutes", minutes)}
	switch t.Invite {
	case supportbot.InviteSent:
		if t.Rating == 0 {
			lines = append(lines, cat.T(supportbot.LangZH, "desk.invite_sent"))
		}
	case supportbot.InviteBlocked:
		lines = append(lines, cat.T(supportbot.LangZH, "desk.invite_blocked"))
	case supportbot.InviteUndelivered:
		lines = append(lines, cat.T(supportbot.LangZH, "desk.invite_undelivered"))
	}
	if t.Rating > 0 {
		lines = append(lines, cat.T(supportbot.LangZH, "desk.rated", "rating", t.Rating))
	}
	return strings.Join(lines, "\n")
}

// closeReply posts (or, sent already, edits) a ticket's closing note and
// closes its topic: one reply, so that a later change of the note (the
// rating) goes after the close and still closes the topic, whatever was
// sent first.
func (e *Engine) closeReply(t *supportbot.Ticket, text string) supportbot.Reply {
	return supportbot.Reply{ChatID: e.cfg.AgentChatID, TicketID: t.ID, Text: text, CloseTopic: true, Track: closeTrack(t)}
}

// topicLink is the t.me link of a topic of the staff chat (a supergroup
// id -100XXXXXXXXXX is chat XXXXXXXXXX in links).
func topicLink(chatID, topic int64) string {
	id := strconv.FormatInt(chatID, 10)
	if rest, ok := strings.CutPrefix(id, "-100"); ok {
		id = rest
	} else {
		id = strings.TrimPrefix(id, "-")
	}
	return fmt.Sprintf("https://t.me/c/%s/%d", id, topic)
}

// mention names an agent so that Telegram notifies them.
func mention(id int64, name string) locale.HTML {
	return locale.HTML(fmt.Sprintf(`<a href="tg://user?id=%d">%s</a>`, id, locale.Escape(or(name, strconv.FormatInt(id, 10)))))
}
