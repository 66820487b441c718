package flows

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"supportbot"
)

// Step is one event being handled: the conversation, what the step read of
// the core, the replies collected so far, and the changes it will write.
// Flows read freely (the core over the network, the bot's state from the
// database) and write nothing themselves: changes are collected (do, audit,
// notice) and written in the step's one transaction, after every read.
type Step struct {
	ctx     context.Context
	e       *Engine
	q       *supportbot.Queued
	conv    *supportbot.Conversation
	slots   slots
	ev      supportbot.Event
	now     time.Time
	today   supportbot.Date
	core    *coreCache
	out     []supportbot.Reply
	late    []supportbot.Reply // replies a change adds in the transaction (they need an id it makes)
	changes []func(ctx context.Context, tx Tx) error
	renewed bool
	// plansKnown: the customer's plans read are recorded as theirs.
	plansKnown bool
	// quoteLeft is the plan of the quote a flow started in this step left
	// (a payment asked for again, for another plan): the new quote says
	// it replaces it.
	quoteLeft string
	// askedAside: a quote replaced another in answer to a question ("how
	// much is the laptop payoff?" at the watch's): a bare yes next is
	// asked again, naming the new plan (slots.Aside, kept past the step).
	askedAside bool
	// topicBefore is the plan the step before talked about (slots.Topic
	// as this step found it).
	topicBefore *lastStep
	// cardKept is the card of the quote a flow started in this step left,
	// for the new quote ("换一张卡" then "只还逾期的": the card moved to).
	cardKept string
	// misses is how many messages in a row the bot had not understood
	// before this one (conv.Misses as the step found it): two or more, and
	// its last reply offered a person.
	misses int
	// records: the step's replies are records (an answer, an outcome, a
	// notice) that stay as they are when a button under them is pressed.
	records bool
	// target is the message the step's first reply to the chat edits: the
	// message a pressed button belongs to, or the one a money action's
	// confirmation turned into "working on it". 0: a new message.
	target int64
	// targetStep, when target is 0, is the Nonce of the message the first
	// reply edits if the sender recorded it (see Reply.EditStep).
	targetStep string
	// lead is put before the text of the step's next reply (one message
	// says "verified" and shows what was asked for).
	lead string
	// returned: the chat could not be reached (blocked, gone) until this
	// message of the customer's.
	returned bool
	// left is the step the chat was at (its nonce): if the step moves on
	// without one of its buttons pressed, its keyboard is taken off.
	left    string
	pressed string              // the nonce of the step button pressed, if one was
	created []supportbot.Action // money actions the step created: the worker takes them after the commit
	missed  string              // a question the bot could not answer
	alert   string              // for the staff, with the ticket the step opens (a money action stuck)
	from    string              // the flow/state a new flow interrupted
	// boiler are the indexes in out of greetings and menus: not kept in
	// the transcript an agent reads.
	boiler []int
	// askedOf is, per lower-cased text, the words asked without a clause
	// putting another part off (asked): several readers take them.
	askedOf map[string]string
}

// snapshot is what a step must restore when it changes nothing.
type snapshot struct {
	conv      supportbot.Conversation
	flowState string
}

func (s *Step) saved() snapshot {
	c := *s.conv
	return snapshot{conv: c, flowState: c.Flow + "/" + c.State}
}

// unavailable turns the step into an honest "the system is not answering":
// the conversation is as it was before, nothing else is changed, the
// customer can try again or ask for a person.
func (s *Step) unavailable(before snapshot) *Step {
	conv := before.conv
	*s.conv = conv
	s.out, s.late, s.changes, s.missed = nil, nil, nil, ""
	// Nor is the message a pressed button is on: the step it shows (a
	// quote, its confirm button) is still the current one, to try again.
	// The answer comes as a new message.
	s.target, s.targetStep, s.records, s.lead = 0, "", false, ""
	if s.ev.ChatID == s.e.cfg.AgentChatID {
		s.reply(supportbot.Reply{ChatID: s.ev.ChatID, ThreadID: s.ev.ThreadID, Text: s.e.cfg.Catalog.T(supportbot.LangZH, "core.unavailable_staff")})
		return s
	}
	if isInternal(s.ev.Kind) {
		return s
	}
	s.say(s.T("core.unavailable"), []supportbot.Button{s.humanBtn(), s.menuBtn(s.T("btn.menu"), "menu")})
	return s
}

// apply writes the step in its transaction: the event handled, the changes,
// the conversation, the replies.
func (s *Step) apply(tx Tx) error {
	ctx := context.WithoutCancel(s.ctx)
	s.late, s.created = nil, nil
	if s.q != nil && s.q.ID != 0 {
		if err := tx.DoneEvent(ctx, s.q.ID); err != nil {
			return err
		}
	}
	for _, fn := range s.changes {
		if err := fn(ctx, tx); err != nil {
			return err
		}
	}
	out, err := s.bound(ctx, tx, s.replies()) // first: a step whose message it drops is left
	if err != nil {
		return err
	}
	if s.ev.ChatID != s.e.cfg.AgentChatID {
		if err := tx.SaveConversation(ctx, s.conv); err != nil {
			return err
		}
	}
	return tx.Enqueue(ctx, out)
}

// replies are the step's replies as they are sent: the first one to the chat
// edits the message the step answers (when it can be edited: a reply
// keyboard cannot be attached by an edit), replies with step buttons carry
// the step's nonce, and a step left without its buttons loses them.
func (s *Step) replies() []supportbot.Reply {
	out := append(slices.Clone(s.out), s.late...)
	if s.lead != "" { // nothing took it: it is said alone
		out = append(out, supportbot.Reply{Text: s.lead})
	}
	chat := s.ev.ChatID
	// A step's keyboard is its last message's: one said before it with a
	// step's buttons (a quote quoted again, a list above a confirmation)
	// keeps its other buttons, not those — they would act on the step as
	// it is now, not as that message shows it, and are never taken off.
	ours := func(r supportbot.Reply) bool {
		return (r.ChatID == 0 || r.ChatID == chat) && r.TicketID == 0 && hasStepButton(r.Buttons)
	}
	last := -1
	for i := range out {
		if ours(out[i]) {
			last = i
		}
	}
	for i := 0; i < last; i++ {
		if ours(out[i]) {
			out[i].Buttons = withoutStepButtons(out[i].Buttons)
		}
	}
	edited := s.target == 0 && s.targetStep == ""
	for i := range out {
		r := &out[i]
		if r.ChatID == 0 {
			r.ChatID = chat
		}
		if r.ChatID != chat || r.TicketID != 0 || r.ThreadID != 0 || r.CopyFromMessage != 0 {
			continue
		}
		if !edited && r.Text != "" {
			edited = true
			if r.AskContact == "" && !r.RemoveKeyboard {
				r.Edit, r.EditStep = s.target, s.targetStep
				if s.target != 0 {
					r.Pressed = s.pressed
				}
			}
		}
		if hasStepButton(r.Buttons) {
			r.Nonce = s.conv.Nonce
		}
		if s.records {
			r.Buttons = kept(r.Buttons)
		}
	}
	// The customer left a step with buttons without pressing one (they
	// typed, or pressed a button elsewhere): its keyboard goes. Decided
	// here, when the step's last reply (also one a change made) has its
	// nonce.
	if old := s.left; old != "" && old != s.conv.Nonce && !(s.target != 0 && s.pressed == old) {
		out = append([]supportbot.Reply{{ChatID: chat, Strip: old}}, out...)
	}
	return out
}

// withoutStepButtons is a keyboard without its rows that hold a step's button.
func withoutStepButtons(rows [][]supportbot.Button) [][]supportbot.Button {
	return slices.DeleteFunc(slices.Clone(rows), func(row []supportbot.Button) bool { return hasStepButton([][]supportbot.Button{row}) })
}

// hasStepButton reports whether a keyboard holds a button of a step.
func hasStepButton(rows [][]supportbot.Button) bool {
	for _, row := range rows {
		for _, b := range row {
			if c, err := DecodeCallback(b.Data); err == nil && (c.Kind == CallbackStep || c.Kind == CallbackLeave && c.Nonce != "") {
				return true
			}
		}
	}
	return false
}

// do adds a change, written in the step's transaction.
func (s *Step) do(fn func(ctx context.Context, tx Tx) error) { s.changes = append(s.changes, fn) }

// T renders a message in the conversation's language.
func (s *Step) T(key string, args ...any) string {
	return s.e.cfg.Catalog.T(s.conv.Lang, key, args...)
}

// staffT renders a message for the staff chat, which works in Chinese.
func (s *Step) staffT(key string, args ...any) string {
	return s.e.cfg.Catalog.T(supportbot.LangZH, key, args...)
}

// say adds a reply with inline buttons, one row per argument.
func (s *Step) say(text string, rows ...[]supportbot.Button) {
	s.reply(supportbot.Reply{Text: text, Buttons: rows})
}

// sayNew says text unless a reply of the step already ends with it: two
// readers of one request each adding the same line ("一次还一笔" under the
// list of "把手机和笔记本都帮我还了" was said twice).
func (s *Step) sayNew(text string) {
	if !slices.ContainsFunc(s.out, func(r supportbot.Reply) bool { return strings.HasSuffix(r.Text, text) }) {
		s.say(text)
	}
}

// reply adds a prepared reply (the lead, if any, before its text).
func (s *Step) reply(r supportbot.Reply) {
	if s.lead != "" && (r.ChatID == 0 || r.ChatID == s.ev.ChatID) && r.TicketID == 0 && r.Text != "" {
		r.Text = s.lead + "\n\n" + r.Text
		s.lead = ""
	}
	s.out = append(s.out, r)
}

// nonce is the token the current step's buttons carry; the first call in a
// step makes a new one, so every older step button becomes stale.
func (s *Step) nonce() string {
	if !s.renewed {
		s.conv.Nonce = randomToken(6)
		s.renewed = true
	}
	return s.conv.Nonce
}

// btn is a button for the current step of the current flow: pressed later, it
// reaches the flow only while the step is still current. arg, if any, names
// what it acts on (long ids are kept in the slots).
func (s *Step) btn(label, action string, arg ...string) supportbot.Button {
	c := Callback{Kind: CallbackStep, Nonce: s.nonce(), Flow: s.conv.Flow, Action: action}
	if len(arg) > 0 {
		c.Arg = s.choice(arg[0])
	}
	return s.button(label, c)
}

// menuBtn starts a flow whenever it is pressed; flow may carry ":arg".
func (s *Step) menuBtn(label, flow string) supportbot.Button {
	name, arg, _ := cutArg(flow)
	return s.button(label, Callback{Kind: CallbackMenu, Flow: name, Arg: arg})
}

// viewBtn shows something read-only (a plan's schedule, an FAQ answer); it
// stays valid, and checks ownership when pressed.
func (s *Step) viewBtn(label, view, arg string) supportbot.Button {
	return s.button(label, Callback{Kind: CallbackView, Flow: view, Arg: arg})
}

func (s *Step) cancelBtn() supportbot.Button {
	return s.button(s.T("btn.cancel"), Callback{Kind: CallbackLeave, Nonce: s.nonce()})
}

func (s *Step) humanBtn() supportbot.Button {
	return s.menuBtn(s.T("btn.human"), "agent")
}

func cutArg(flow string) (name, arg string, ok bool) {
	for i := 0; i < len(flow); i++ {
		if flow[i] == ':' {
			return flow[:i], flow[i+1:], true
		}
	}
	return flow, "", false
}

// finish ends the current flow: it has done what it was for (or said why not).
func (s *Step) finish() {
	if s.conv.Flow != "" {
		s.e.metrics.Flow(s.conv.Flow, "completed")
	}
	s.reset()
}

// stepLeft is what the customer is told of the step they were at when
// something else closes it (an agent's /reopen, /menu): what it did not
// do, or that what it started goes on; "" when there was none to tell of.
func (s *Step) stepLeft() string {
	switch s.conv.Flow {
	case "", "agent", "rate", "identify":
		return ""
	}
	switch {
	case underWay(s.conv.State):
		return s.T("decline.under_way")
	case waitsForYes(s.conv.State) || s.conv.State == "verifying":
		return s.T("desk.step_left")
	}
	return "" // a list or a choice: nothing was about to be done (a probe: "/cards" then /menu said "nothing charged")
}

// leave abandons the current flow, if any, for something else.
func (s *Step) leave() {
	if s.conv.Flow != "" {
		s.e.metrics.Flow(s.conv.Flow, "abandoned")
	}
	s.reset()
}

// reset closes the step; what it was is kept as the last one, for a
// follow-up naming another plan (followUp).
func (s *Step) reset() {
	last := s.stepLeftNow()
	s.conv.Flow, s.conv.State, s.conv.Nonce = "", "", ""
	s.slots = s.slots.kept()
	s.slots.Last = last
}

// audit adds an audit entry to the step's changes.
func (s *Step) audit(action string, details map[string]any) {
	s.e.metrics.Action(action)
	e := supportbot.AuditEntry{Action: action, CustomerID: s.conv.CustomerID, ChatID: s.conv.ChatID, Details: details}
	s.do(func(ctx context.Context, tx Tx) error { return tx.AppendAudit(ctx, e) })
}

// unconfirmed tells a setting's change the core did not answer usably and
// that is not to be seen in what it has now: it may still come. The
// customer is told to look again in a while (menu: where), not that nothing
// was done; the attempt is audited as the action with outcome
// "unconfirmed".
func (s *Step) unconfirmed(action, text string, details map[string]any, menu supportbot.Button) {
	details["outcome"] = "unconfirmed"
	s.audit(action, details)
	s.say(text, []supportbot.Button{menu, s.humanBtn()})
}

// notice adds a message-center entry to the step's changes.
func (s *Step) notice(kind string, params map[string]string) {
	n := supportbot.Notice{CustomerID: s.conv.CustomerID, Kind: kind, Params: params}
	s.do(func(ctx context.Context, tx Tx) error { return tx.AddNotice(ctx, n) })
}

// customer is the linked customer, as the core has them now. A chat whose
// customer is gone, or whose phone on file is no longer the one the chat was
// identified with (a number changed hands), is unlinked: it returns
// EFORBIDDEN, and the caller asks the customer to identify again.
func (s *Step) customer() (*supportbot.Customer, error) {
	if s.conv.CustomerID == "" {
		return nil, supportbot.Errorf(supportbot.EFORBIDDEN, "not identified")
	}
	c, err := s.core.customer(s.ctx, s.conv.CustomerID)
	if ce := supportbot.CoreErrorOf(err); ce != nil && ce.NotFound() {
		s.unlink("customer_gone")
		return nil, supportbot.Errorf(supportbot.EFORBIDDEN, "customer gone")
	} else if err != nil {
		return nil, err
	}
	if s.conv.LinkedPhone != "" && c.Phone != s.conv.LinkedPhone {
		s.unlink("phone_changed")
		return nil, supportbot.Errorf(supportbot.EFORBIDDEN, "phone changed")
	}
	return c, nil
}

// unlink forgets the chat's customer, audited, and says why.
func (s *Step) unlink(reason string) {
	s.audit("unlink", map[string]any{"reason": reason})
	ended := s.endTicketUnverified()
	s.leave()
	s.forgetCustomer()
	text := s.T("identify.relink")
	switch reason {
	case "customer_gone":
		text = s.T("identify.relink_gone")
	}
	if ended {
		text += "\n" + s.T("agent.ended_unlinked")
	}
	s.reply(supportbot.Reply{Text: text})
}

// forgetCustomer ends the chat's link to its customer, the transcript of it
// and what the conversation remembers of it (its slots): what was said and
// shown while linked is that customer's, never shown to an agent as
// whoever has the chat next, nor followed up as theirs (a probe: a bare
// "为什么" after another customer's contact got the closure's check of
// the one before).
func (s *Step) forgetCustomer() {
	s.conv.CustomerID, s.conv.LinkedPhone = "", ""
	s.conv.Transcript = supportbot.Transcript{}
	s.slots = slots{}
}

// linked reports whether the chat is still linked to its customer (checking
// it with the core); the caller identifies the chat again when it is not.
func (s *Step) linked() (bool, error) {
	_, err := s.customer()
	if supportbot.ErrorCode(err) == supportbot.EFORBIDDEN {
		return false, nil
	}
	return err == nil, err
}

// key makes an idempotency key for a core action of this step: the same
// step run again (a retried event) in this process makes the same key.
// The inbox id alone is not enough: a fresh or restored database hands it
// out again, and the core answers a key it kept (for a day) with another
// request 422, or replays the first answer. A step run again by another
// process makes a new key; what steps ask this way (a quote, an identity
// check, auto-repay and the default card set to a value) may be asked twice.
func (s *Step) key(what string) string {
	if s.q != nil && s.q.ID != 0 {
		return "sb-" + what + "-" + s.e.keyRun + "-" + strconv.FormatInt(s.q.ID, 10)
	}
	return "sb-" + what + "-" + randomToken(16)
}

// money formats an amount; Chinese and English both use ¥1,749.44.
func money(m supportbot.Money) string { return m.String() }

// plans, cards, scheduled and closures are the linked customer's, read once a step.
// The plans read are recorded as the customer's (once a step): the core's
// events about a plan's scheduled repayments name the plan, not the customer.
func (s *Step) plans() ([]supportbot.Plan, error) {
	ps, err := s.core.plans(s.ctx, s.conv.CustomerID)
	if err == nil && len(ps) > 0 && !s.plansKnown {
		s.plansKnown = true
		customer, ids := s.conv.CustomerID, make([]string, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		s.do(func(ctx context.Context, tx Tx) error { return tx.KnowPlans(ctx, customer, ids) })
	}
	return ps, err
}

func (s *Step) cards() ([]supportbot.Card, error) { return s.core.cards(s.ctx, s.conv.CustomerID) }

func (s *Step) scheduled() ([]supportbot.ScheduledRepayment, error) {
	return s.core.scheduled(s.ctx, s.conv.CustomerID)
}

func (s *Step) closures() ([]supportbot.ClosureRequest, error) {
	return s.core.closures(s.ctx, s.conv.CustomerID)
}

// prefetch asks the core for what the step is about to read of the linked
// customer, all at once: over the network each read is a round trip, and a
// bill asks for four (issue 16: a core answering in 200 ms).
func (s *Step) prefetch(reads ...coreRead) {
	if s.conv.CustomerID != "" {
		s.core.prefetch(s.ctx, s.conv.CustomerID, reads...)
	}
}

// prefetchFor starts, at once, the reads a step of flow sp makes: the
// customer and the flow's reads (with a remote core one round trip, not
// one per read: a confirm reads the plan and the card).
func (s *Step) prefetchFor(sp *spec) {
	s.prefetch(append([]coreRead{readCustomer}, sp.reads...)...)
}

// openPlans are the linked customer's plans with something unpaid.
func (s *Step) openPlans() ([]supportbot.Plan, error) {
	plans, err := s.plans()
	if err != nil {
		return nil, err
	}
	var open []supportbot.Plan
	for _, p := range plans {
		if p.Open() {
			open = append(open, p)
		}
	}
	return open, nil
}

// plan is one of the linked customer's plans; nil when the id names none of
// theirs (a forged or stale button).
func (s *Step) plan(id string) (*supportbot.Plan, error) {
	plans, err := s.plans()
	if err != nil {
		return nil, err
	}
	for i := range plans {
		if namesID(id, plans[i].ID) {
			return &plans[i], nil
		}
	}
	return nil, nil
}

// card is one of the linked customer's cards; nil when it is none of theirs.
func (s *Step) card(id string) (*supportbot.Card, error) {
	cards, err := s.cards()
	if err != nil {
		return nil, err
	}
	for i := range cards {
		if cards[i].ID == id {
			return &cards[i], nil
		}
	}
	return nil, nil
}

// refusal is the core's refusal in err, if it is one (with the code wanted
// when codes are given).
func refusal(err error, codes ...supportbot.CoreCode) *supportbot.CoreError {
	ce := supportbot.CoreErrorOf(err)
	if ce == nil || len(codes) > 0 && !slices.Contains(codes, ce.Code) {
		return nil
	}
	return ce
}

// extra drops a core that does not answer (or refuses) from what a step
// reads only to say more: telling an outcome the core already gave (and
// keeping it in the audit) must not depend on another read.
func extra(err error) error {
	if unavailableErr(err) || supportbot.CoreErrorOf(err) != nil {
		return nil
	}
	return err
}

// unavailableErr reports whether err means the core did not answer in time,
// or not in a form the bot can use.
func unavailableErr(err error) bool {
	return errors.Is(err, supportbot.ErrCoreUnavailable) || errors.Is(err, supportbot.ErrCoreBadAnswer) ||
		errors.Is(err, context.DeadlineExceeded)
}
