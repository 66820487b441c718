package flows

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"hash/maphash"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"supportbot"
	"supportbot/locale"
)

// Config is what the engine needs from outside.
type Config struct {
	Begin      BeginFunc
	Catalog    *locale.Catalog
	Classifier Classifier
	Answers    Answers
	Payments   Payments // LedgerPayments when nil
	Metrics    Metrics
	// Outbox makes every step write its replies to the outbox in its own
	// transaction (Handle still returns them); the channel sends from there.
	Outbox bool
	// Misses, if set, is told the questions the bot could not answer, after
	// the step commits, so operators can grow the FAQ.
	Misses   MissLog
	Location *time.Location // the support timezone: "today" and due dates are in it
	Now      func() time.Time
	Logger   *slog.Logger
	// AgentChatID is the staff supergroup hand-offs go to; 0: none, the
	// customer gets Hotline instead. Events from it are agents' (the channel
	// lets through only listed agents).
	AgentChatID int64
	// Hotline and Hours are told to customers when no agent can take the chat.
	Hotline string
	Hours   supportbot.BusinessHours
	// ReminderDays are how many days before a due date reminders go out (3
	// and 1 when empty); ReminderHour is the local hour they go out from (10
	// when 0). None goes out between 21:00 and 09:00.
	ReminderDays []int
	ReminderHour int
	// AnnounceBatch is how many chats one Notify queues a broadcast
	// announcement to (40 when 0); the outbox sender paces the sending.
	AnnounceBatch int
}

// Metrics counts what conversations do; nil counts nothing.
type Metrics interface {
	Flow(flow, event string)    // started, completed, abandoned
	FAQ(outcome string)         // flow, answered, unsure, missed
	Action(action string)       // an audited action
	FirstReply(d time.Duration) // from hand-off to an agent's first reply
}

type noMetrics struct{}

func (noMetrics) Flow(string, string)      {}
func (noMetrics) FAQ(string)               {}
func (noMetrics) Action(string)            {}
func (noMetrics) FirstReply(time.Duration) {}

// MissLog keeps unanswered questions; it masks personal data itself.
type MissLog interface {
	RecordMiss(ctx context.Context, text string) error
}

// Engine routes events to flows. It is safe for concurrent use; events of one
// chat are handled one at a time.
type Engine struct {
	cfg     Config
	flows   map[string]*spec
	metrics Metrics
	locks   [64]sync.Mutex
	seed    maphash.Seed
}

// New returns an engine with every flow registered.
func New(cfg Config) *Engine {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Payments == nil {
		cfg.Payments = LedgerPayments{}
	}
	e := &Engine{cfg: cfg, flows: map[string]*spec{}, seed: maphash.MakeSeed(), metrics: cfg.Metrics}
	if e.metrics == nil {
		e.metrics = noMetrics{}
	}
	for _, sp := range []*spec{identifyFlow(), billFlow(), repayFlow(), cancelFlow(), rateFlow(), closeFlow(), closureFlow(), messagesFlow(), agentFlow(), payFlow(), autopayFlow(), cardsFlow(), remindFlow()} {
		e.flows[sp.name] = sp
	}
	return e
}

// Handle runs one event and returns the replies to send. A redelivered update
// (same UpdateID) returns no replies and changes nothing. On an internal error
// nothing is written and the replies hold an apology for the customer.
func (e *Engine) Handle(ctx context.Context, ev supportbot.Event) ([]supportbot.Reply, error) {
	r := e.HandleBatch(ctx, []supportbot.Event{ev})[0]
	return r.Replies, r.Err
}

// HandleBatch runs events in order in one transaction, each in a savepoint of
// its own: a failing event is rolled back alone, and the batch costs one
// commit (one fsync) instead of one per event. Results are in event order.
func (e *Engine) HandleBatch(ctx context.Context, evs []supportbot.Event) []supportbot.Outcome {
	defer e.lockChats(evs)()
	res := make([]supportbot.Outcome, len(evs))
	misses := make([]string, len(evs))
	fail := func(i int, err error, lang supportbot.Lang) {
		res[i] = supportbot.Outcome{Err: err, Replies: []supportbot.Reply{{ChatID: evs[i].ChatID, Text: e.cfg.Catalog.T(lang, "error.internal")}}}
	}
	tx, err := e.cfg.Begin(ctx)
	if err != nil {
		for i := range evs {
			fail(i, err, supportbot.ParseLang(evs[i].LanguageCode))
		}
		return e.apologise(ctx, res)
	}
	defer tx.Rollback()
	for i, ev := range evs {
		start := time.Now()
		if err := tx.Savepoint(ctx); err != nil {
			fail(i, err, supportbot.ParseLang(ev.LanguageCode))
			continue
		}
		var replies []supportbot.Reply
		var where [2]string // the flow and state the event left the chat in
		lang := supportbot.ParseLang(ev.LanguageCode)
		if e.cfg.AgentChatID != 0 && ev.ChatID == e.cfg.AgentChatID {
			replies, err = e.staffStep(ctx, tx, ev)
			where[0] = "staff"
		} else {
			replies, lang, misses[i], where, err = e.step(ctx, tx, ev)
		}
		if err == nil {
			err = tx.ReleaseSavepoint(ctx)
		}
		if err != nil {
			if rerr := tx.RollbackToSavepoint(ctx); rerr != nil {
				e.cfg.Logger.Error("roll back step", "err", rerr)
			}
			fail(i, err, lang)
			misses[i] = ""
		} else {
			res[i].Replies = replies
		}
		e.cfg.Logger.Info("update", "update_id", ev.UpdateID, "chat", supportbot.ChatRef(ev.ChatID), "kind", ev.Kind,
			"flow", where[0], "state", where[1], "replies", len(replies), "duration", time.Since(start), "failed", err != nil)
	}
	if err := tx.Commit(); err != nil {
		err = fmt.Errorf("commit steps: %w", err)
		for i := range evs {
			fail(i, err, supportbot.ParseLang(evs[i].LanguageCode))
		}
		return e.apologise(ctx, res)
	}
	for _, text := range misses {
		if text != "" && e.cfg.Misses != nil {
			if err := e.cfg.Misses.RecordMiss(ctx, text); err != nil {
				e.cfg.Logger.Warn("record faq miss", "err", err)
			}
		}
	}
	return e.apologise(ctx, res)
}

// apologise queues the apologies of failed events (their own replies were
// rolled back with them).
func (e *Engine) apologise(ctx context.Context, res []supportbot.Outcome) []supportbot.Outcome {
	if !e.cfg.Outbox {
		return res
	}
	var sorry []supportbot.Reply
	for _, r := range res {
		if r.Err != nil {
			sorry = append(sorry, r.Replies...)
		}
	}
	if len(sorry) > 0 {
		if err := e.enqueue(ctx, sorry); err != nil {
			e.cfg.Logger.Error("enqueue apology", "err", err)
		}
	}
	return res
}

// lockChats takes the locks of every chat of a batch, in one order (no
// deadlock between batches), and returns their release.
func (e *Engine) lockChats(evs []supportbot.Event) (unlock func()) {
	var idx []int
	for _, ev := range evs {
		idx = append(idx, int(maphash.Comparable(e.seed, ev.ChatID)%uint64(len(e.locks))))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	for _, i := range idx {
		e.locks[i].Lock()
	}
	return func() {
		for _, i := range idx {
			e.locks[i].Unlock()
		}
	}
}

// step runs one customer event inside tx: it returns the replies, the chat's
// language, a question the bot could not answer, and where the chat is now.
func (e *Engine) step(ctx context.Context, tx Tx, ev supportbot.Event) (out []supportbot.Reply, lang supportbot.Lang, missed string, where [2]string, err error) {
	lang = supportbot.ParseLang(ev.LanguageCode)
	if ev.UpdateID != 0 {
		if fresh, err := tx.MarkUpdate(ctx, ev.UpdateID); err != nil || !fresh {
			return nil, lang, "", where, err
		}
	}
	conv, err := tx.Conversation(ctx, ev.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		conv = &supportbot.Conversation{ChatID: ev.ChatID, Lang: lang}
	} else if err != nil {
		return nil, lang, "", where, err
	}
	if ev.UserID != 0 {
		conv.UserID = ev.UserID
	}
	if !conv.LangChosen && ev.LanguageCode != "" {
		conv.Lang = lang
	}
	if conv.Slots == nil {
		conv.Slots = map[string]string{}
	}
	now := e.cfg.Now()
	s := &Step{ctx: ctx, e: e, tx: tx, conv: conv, ev: ev, now: now,
		today: supportbot.DateOf(now, e.cfg.Location)}
	conv.Transcript = appendLine(conv.Transcript, supportbot.Line{Time: now, From: "customer", Text: supportbot.MaskNumbers(ev.Summary(), 200)})
	before := conv.Flow + "/" + conv.State
	if err := e.route(s); err != nil {
		return nil, conv.Lang, "", where, err
	}
	for _, r := range s.out {
		if (r.ChatID == 0 || r.ChatID == ev.ChatID) && r.Text != "" {
			conv.Transcript = appendLine(conv.Transcript, supportbot.Line{Time: now, From: "bot", Text: clipText(r.Text, 200)})
		}
	}
	// A step that moved the flow on invalidates the buttons of the step before.
	if after := conv.Flow + "/" + conv.State; after != before && !s.renewed {
		conv.Nonce = ""
		if conv.Flow != "" {
			s.nonce()
		}
	}
	if err := tx.SaveConversation(ctx, conv); err != nil {
		return nil, conv.Lang, "", where, err
	}
	for i := range s.out {
		if s.out[i].ChatID == 0 {
			s.out[i].ChatID = ev.ChatID
		}
	}
	if e.cfg.Outbox {
		if err := tx.Enqueue(ctx, s.out); err != nil {
			return nil, conv.Lang, "", where, err
		}
	}
	return s.out, conv.Lang, s.missed, [2]string{conv.Flow, conv.State}, nil
}

// enqueue writes messages to the outbox in a transaction of their own.
func (e *Engine) enqueue(ctx context.Context, replies []supportbot.Reply) error {
	tx, err := e.cfg.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := tx.Enqueue(ctx, replies); err != nil {
		return err
	}
	return tx.Commit()
}

// Step is one event being handled: the transaction, the conversation, and the
// replies collected so far.
type Step struct {
	ctx     context.Context
	e       *Engine
	tx      Tx
	conv    *supportbot.Conversation
	ev      supportbot.Event
	now     time.Time
	today   supportbot.Date
	out     []supportbot.Reply
	renewed bool
	missed  string // a question the bot could not answer
	from    string // the flow/state a new flow interrupted
}

// T renders a message in the conversation's language.
func (s *Step) T(key string, args ...any) string {
	return s.e.cfg.Catalog.T(s.conv.Lang, key, args...)
}

// say adds a reply with inline buttons, one row per argument.
func (s *Step) say(text string, rows ...[]supportbot.Button) {
	s.out = append(s.out, supportbot.Reply{Text: text, Buttons: rows})
}

// reply adds a prepared reply.
func (s *Step) reply(r supportbot.Reply) { s.out = append(s.out, r) }

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
// reaches the flow only while the step is still current.
func (s *Step) btn(label, action string) supportbot.Button {
	return supportbot.Button{Text: label, Data: "s:" + s.nonce() + ":" + s.conv.Flow + ":" + action}
}

// menuBtn starts a flow whenever it is pressed.
func (s *Step) menuBtn(label, flow string) supportbot.Button {
	return supportbot.Button{Text: label, Data: "m:" + flow}
}

// viewBtn shows something read-only (a plan's schedule, an FAQ answer); it
// stays valid, and checks ownership when pressed.
func (s *Step) viewBtn(label, view, arg string) supportbot.Button {
	return supportbot.Button{Text: label, Data: "v:" + view + ":" + arg}
}

func (s *Step) cancelBtn() supportbot.Button {
	return supportbot.Button{Text: s.T("btn.cancel"), Data: "x"}
}

func (s *Step) humanBtn() supportbot.Button {
	return s.menuBtn(s.T("btn.human"), "agent")
}

// finish ends the current flow: it has done what it was for (or said why not).
func (s *Step) finish() {
	if s.conv.Flow != "" {
		s.e.metrics.Flow(s.conv.Flow, "completed")
	}
	s.reset()
}

// leave abandons the current flow, if any, for something else.
func (s *Step) leave() {
	if s.conv.Flow != "" {
		s.e.metrics.Flow(s.conv.Flow, "abandoned")
	}
	s.reset()
}

func (s *Step) reset() {
	s.conv.Flow, s.conv.State, s.conv.Nonce = "", "", ""
	s.conv.Slots = map[string]string{}
}

// customer is the linked customer. A chat whose customer disappeared is unlinked.
func (s *Step) customer() (*supportbot.Customer, error) {
	if s.conv.CustomerID == "" {
		return nil, supportbot.Errorf(supportbot.EFORBIDDEN, "not identified")
	}
	c, err := s.tx.Customer(s.ctx, s.conv.CustomerID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		s.conv.CustomerID = ""
	}
	return c, err
}

func (s *Step) audit(action string, details map[string]any) error {
	s.e.metrics.Action(action)
	return s.tx.AppendAudit(s.ctx, supportbot.AuditEntry{
		Action: action, CustomerID: s.conv.CustomerID, ChatID: s.conv.ChatID, Details: details})
}

func (s *Step) notice(kind string, params map[string]string) error {
	return s.tx.AddNotice(s.ctx, supportbot.Notice{CustomerID: s.conv.CustomerID, Kind: kind, Params: params})
}

// money formats an amount; Chinese and English both use ¥1,749.44.
func money(m supportbot.Money) string { return m.String() }

// randomToken is n random lower-case base32 characters.
func randomToken(n int) string {
	b := make([]byte, (n*5+7)/8)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:n]
}
