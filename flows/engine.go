package flows

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"supportbot"
	"supportbot/locale"
)

// Config is what the engine needs from outside.
type Config struct {
	Store      Store
	Core       Core
	Catalog    *locale.Catalog
	Classifier Classifier
	Answers    Answers
	Metrics    Metrics
	// Misses, if set, is told the questions the bot could not answer, after
	// the step commits, so operators can grow the FAQ.
	Misses   MissLog
	Location *time.Location // the support timezone: "today" and due dates are in it
	Now      func() time.Time
	Logger   *slog.Logger
	// Turns gives a chat to one worker at a time across instances; nil: this
	// process is the only one (SQLite), and turns are kept in memory.
	Turns ChatTurns
	// Jobs lets periodic jobs run on one instance at a time; nil: always.
	Jobs Jobs
	// Instance names this process in leases (a random name when empty).
	Instance string
	// Workers bounds how many chats are handled at once (32 when 0).
	Workers int
	// StepTimeout bounds the core calls of one step (15 s when 0): a core
	// that does not answer gets the customer an honest "not now", not a
	// stuck chat.
	StepTimeout time.Duration
	// AgentChatID is the staff supergroup hand-offs go to; 0: none, the
	// customer gets Hotline instead. Events from it are agents' (the channel
	// lets through only listed agents).
	AgentChatID int64
	// AgentIDs are the staff chat's agents: those a ticket can be
	// transferred to, and those a ticket nobody answers mentions.
	AgentIDs []int64
	// FAQ, if set, lists the FAQ's topics for agents (/faq alone).
	FAQ FAQCatalog
	// Hotline and Hours are told to customers when no agent can take the chat.
	Hotline string
	Hours   supportbot.BusinessHours
	// ReminderDays are how many days before a due date reminders go out (3
	// and 1 when empty); ReminderHour is the local hour they go out from (10
	// when 0). None goes out between 21:00 and 09:00.
	ReminderDays []int
	ReminderHour int
	// AnnounceBatch is how many chats one round queues a broadcast
	// announcement to (40 when 0); the outbox sender paces the sending.
	AnnounceBatch int
	// Wake, if set, is called after a step committed messages to the outbox
	// (the sender starts at once instead of at its next poll).
	Wake func()
	// CoreEvents, if set, are events the core keeps for the bot to take (the
	// embedded core's); a remote core posts them to /core/events instead.
	CoreEvents CoreEventSource
	// ChatRefs name chats in logs and in the idempotency keys of
	// cancellations and closure requests (required). They must be the
	// deployment's, the same on every instance and after every restart:
	// an old confirm button finds its cancellation by its key.
	ChatRefs supportbot.ChatRefs
}

// CoreEventSource is a core's events waiting for the bot.
type CoreEventSource interface {
	PendingCoreEvents(ctx context.Context, limit int) ([]supportbot.CoreEvent, error)
	CoreEventDelivered(ctx context.Context, id string) error
}

// Classifier tells what free text is about.
type Classifier interface {
	Classify(text string) Classification
}

// Classification is a Classifier's verdict on one text.
type Classification struct {
	// Kind is "flow" (ID names a flow intent), "faq" (ID names a topic),
	// "out_of_scope" (ID names something the bot does not handle: its answer
	// says where to go) or "none". Confident is set when the top match is
	// good enough to act on; otherwise Suggestions holds the closest topics.
	Kind        string
	ID          string
	Score       float64
	Confident   bool
	Suggestions []string
	// Also are other FAQ topics the message asks about as confidently
	// (another clause of it), when the answer is a topic's.
	Also []string
	// Topic, when the answer is a flow, is the closest FAQ topic, if one
	// is close: what a question about the flow is asking.
	Topic string
}

// Answers gives the FAQ's answers and titles.
type Answers interface {
	// Answer is the topic's answer in lang and the flow it relates to, if any.
	Answer(id string, lang supportbot.Lang) (text, flow string, ok bool)
	// Title is a short label for a button.
	Title(id string, lang supportbot.Lang) string
	// AnsweredBy is the flow whose own reply answers the topic ("" for
	// none): asked beside that flow, the topic is not offered again.
	AnsweredBy(id string) string
}

// FAQCatalog lists the FAQ's topics.
type FAQCatalog interface {
	// FAQIDs are the ids of the topics an agent can send (/faq ID).
	FAQIDs() []string
}

// Metrics counts what conversations do; nil counts nothing.
type Metrics interface {
	Flow(flow, event string)    // started, completed, abandoned
	FAQ(outcome string)         // flow, answered, unsure, missed, out_of_scope
	Action(action string)       // an audited action
	FirstReply(d time.Duration) // from hand-off to an agent's first reply
	Handoff()                   // a ticket opened for a person
	Rating(n int)               // a customer rated a closed ticket 1–5
	Step(kind string, d time.Duration, failed bool)
	MoneyAction(kind string, state string)
}

type noMetrics struct{}

func (noMetrics) Handoff()                           {}
func (noMetrics) Rating(int)                         {}
func (noMetrics) Flow(string, string)                {}
func (noMetrics) FAQ(string)                         {}
func (noMetrics) Action(string)                      {}
func (noMetrics) FirstReply(time.Duration)           {}
func (noMetrics) Step(string, time.Duration, bool)   {}
func (noMetrics) MoneyAction(kind string, st string) {}

// MissLog keeps unanswered questions; it masks personal data itself.
type MissLog interface {
	RecordMiss(ctx context.Context, text string) error
}

// Engine runs the conversations: it takes events into chats' inboxes and
// handles each chat's events one at a time, in order; it executes money
// actions after the steps that confirmed them committed; it runs the
// periodic jobs. Safe for concurrent use.
type Engine struct {
	cfg     Config
	st      Store
	core    Core
	flows   map[string]*spec
	metrics Metrics
	log     *slog.Logger
	turns   ChatTurns
	wake    chan struct{} // new events
	work    chan struct{} // new money actions
	handed  handoff       // actions this instance's steps created claimed
	// keyRun makes the keys of steps (Step.key) this process's own: inbox
	// ids start again in a fresh or restored database, and the core keeps
	// a key's first answer for a day.
	keyRun string
}

// New returns an engine with every flow registered. It panics when
// cfg.ChatRefs has no key: a process that named chats by a key of its own
// would not find the cancellations the others keyed.
func New(cfg Config) *Engine {
	if cfg.ChatRefs.IsZero() {
		panic("flows: Config.ChatRefs has no key; wire the deployment's")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Instance == "" {
		cfg.Instance = "i-" + randomToken(8)
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 32
	}
	if cfg.StepTimeout <= 0 {
		cfg.StepTimeout = 15 * time.Second
	}
	if cfg.Wake == nil {
		cfg.Wake = func() {}
	}
	e := &Engine{cfg: cfg, st: cfg.Store, core: cfg.Core, flows: map[string]*spec{}, metrics: cfg.Metrics,
		log: cfg.Logger, turns: cfg.Turns, wake: make(chan struct{}, 1), work: make(chan struct{}, 1), keyRun: randomToken(8)}
	if e.metrics == nil {
		e.metrics = noMetrics{}
	}
	if e.turns == nil {
		e.turns = &memTurns{held: map[int64]bool{}}
	}
	for _, sp := range []*spec{identifyFlow(), billFlow(), repayFlow(), cancelFlow(), rateFlow(), closeFlow(), closureFlow(),
		messagesFlow(), agentFlow(), payFlow(), autopayFlow(), cardsFlow(), remindFlow()} {
		e.flows[sp.name] = sp
	}
	return e
}

// chatRef names chatID in logs and keys.
func (e *Engine) chatRef(chatID int64) string { return e.cfg.ChatRefs.Of(chatID) }

// Instance is the name this engine takes leases under.
func (e *Engine) Instance() string { return e.cfg.Instance }

// Submit takes events into their chats' inboxes, durably: once it returns
// nil the events are committed and will be handled, whatever happens to
// the process. A redelivered event (same Source) is dropped. Card and ID
// numbers in a customer's text are masked before anything is kept.
func (e *Engine) Submit(ctx context.Context, evs ...supportbot.Event) error {
	if len(evs) == 0 {
		return nil
	}
	for i := range evs {
		maskEvent(&evs[i])
	}
	err := e.st.Update(ctx, func(tx Tx) error {
		_, err := tx.PutEvents(ctx, evs)
		return err
	})
	if err != nil {
		return fmt.Errorf("take events: %w", err)
	}
	e.poke()
	return nil
}

// maskEvent masks card and ID numbers in what the customer typed — and
// their Telegram name, which the staff's cards and topic names show, of
// any long number (a phone number for a name).
func maskEvent(ev *supportbot.Event) {
	ev.FirstName, _ = supportbot.MaskSecrets(ev.FirstName)
	ev.Username, _ = supportbot.MaskSecrets(ev.Username)
	ev.FirstName, ev.Username = supportbot.MaskLongNumbers(ev.FirstName), supportbot.MaskLongNumbers(ev.Username)
	switch ev.Kind {
	case supportbot.EventText, supportbot.EventCommand, supportbot.EventMedia, supportbot.EventEdit:
		var a, b bool
		ev.Text, a = supportbot.MaskSecrets(ev.Text)
		ev.Args, b = supportbot.MaskSecrets(ev.Args)
		ev.Masked = ev.Masked || a || b
		var c bool
		ev.FileName, c = supportbot.MaskSecrets(ev.FileName)
		ev.FileHidden = ev.FileHidden || c
	}
}

func (e *Engine) poke() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

func (e *Engine) pokeWork() {
	select {
	case e.work <- struct{}{}:
	default:
	}
}

// Run handles events, executes money actions and runs the periodic jobs
// until ctx is done; then it finishes the steps in hand.
func (e *Engine) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); e.runInbox(ctx) }()
	go func() { defer wg.Done(); e.runActions(ctx) }()
	go func() { defer wg.Done(); e.runJobs(ctx) }()
	wg.Wait()
	// The last steps may have handed actions over after the worker stopped.
	e.releaseHanded(context.WithoutCancel(ctx))
}

// runInbox hands chats with waiting events to workers, one worker per chat.
// The workers live as long as the loop: a goroutine started for every chat
// grew its stack again to the depth of a step each time.
func (e *Engine) runInbox(ctx context.Context) {
	var mu sync.Mutex
	busy := map[int64]bool{}
	work := make(chan int64)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(work)
	for range e.cfg.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chat := range work {
				e.processChat(context.WithoutCancel(ctx), ctx, chat)
				mu.Lock()
				delete(busy, chat)
				mu.Unlock()
				e.poke() // the chat may have more, or another was skipped while it was busy
			}
		}()
	}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for ctx.Err() == nil {
		chats, err := e.st.PendingChats(ctx, e.cfg.Now(), 4*e.cfg.Workers)
		if err != nil && ctx.Err() == nil {
			e.log.Error("read inbox", "err", err)
		}
		started := 0
		for _, chat := range chats {
			mu.Lock()
			if busy[chat] {
				mu.Unlock()
				continue
			}
			busy[chat] = true
			mu.Unlock()
			select {
			case work <- chat:
			case <-ctx.Done():
				return
			}
			started++
		}
		if started > 0 && len(chats) == 4*e.cfg.Workers {
			continue
		}
		select {
		case <-ctx.Done():
		case <-e.wake:
		case <-tick.C:
		}
	}
}

// processChat handles a chat's waiting events in order while it holds the
// chat's turn; stop ends it between steps.
func (e *Engine) processChat(ctx, stop context.Context, chatID int64) {
	for stop.Err() == nil {
		ok, err := e.turns.TakeTurn(ctx, chatID)
		if err != nil {
			e.log.Error("take chat turn", "chat", e.chatRef(chatID), "err", err)
			return
		}
		if !ok {
			return // another instance has it
		}
		q, err := e.st.NextEvent(ctx, chatID, e.cfg.Now())
		if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
			if err := e.turns.GiveTurn(ctx, chatID); err != nil {
				e.log.Warn("give chat turn", "err", err)
			}
			return
		} else if err != nil {
			e.log.Error("read inbox", "chat", e.chatRef(chatID), "err", err)
			e.turns.GiveTurn(ctx, chatID)
			return
		}
		e.runStep(ctx, q)
		if !q.More {
			// Nothing waited behind it: an event that came meanwhile
			// poked the dispatcher, which finds it when this worker is
			// done (runInbox).
			break
		}
	}
	// Done, or stopped between two steps (a shutdown): the turn goes back
	// now, so that another instance goes on with the chat at once, not when
	// the lease runs out.
	if err := e.turns.GiveTurn(ctx, chatID); err != nil {
		e.log.Warn("give chat turn", "err", err)
	}
}

// Drain handles every waiting event and executes every due money action,
// until nothing is left: the console and tests call it instead of Run, so
// that what follows an event is deterministic.
func (e *Engine) Drain(ctx context.Context) error {
	for round := 0; ctx.Err() == nil; round++ {
		if _, err := e.takeCoreEvents(ctx, e.cfg.Now()); err != nil {
			return err
		}
		chats, err := e.st.PendingChats(ctx, e.cfg.Now(), 1000)
		if err != nil {
			return err
		}
		for _, chat := range chats {
			e.processChat(ctx, ctx, chat)
		}
		n, err := e.executeActions(ctx, 100)
		if err != nil {
			return err
		}
		if len(chats) == 0 && n == 0 {
			return nil
		}
		if round > 1000 {
			return errors.New("drain: events keep coming")
		}
	}
	return ctx.Err()
}

// memTurns is the chats' turns of the only process (SQLite).
type memTurns struct {
	mu   sync.Mutex
	held map[int64]bool
}

func (m *memTurns) TakeTurn(_ context.Context, chatID int64) (bool, error) { return true, nil }
func (m *memTurns) GiveTurn(_ context.Context, chatID int64) error         { return nil }

// prepareSafely is prepare (the routing and the flows' code; not the
// step's write, s.apply) with a panic taken as its error: the step is tried again and, failing still, given up with an
// apology (failed). A panic used to take the process down with the event
// still waiting, to take it down again at every start, every chat with it
// (a reader's regexp with a group missing did, in a build of this
// session). The panic's value and stack are logged: runtime errors, no
// customer's text.
func (e *Engine) prepareSafely(ctx context.Context, q *supportbot.Queued) (s *Step, err error) {
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("step panicked", "chat", e.chatRef(q.Event.ChatID), "kind", q.Event.Kind, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			s, err = nil, fmt.Errorf("step panicked: %v", r)
		}
	}()
	return e.prepare(ctx, q)
}

// runStep handles one event of a chat. What the step reads comes first, from
// the core and the bot's state, with no transaction open; what it changes is
// written in one transaction with the event marked handled. A step whose
// transaction fails is tried again later; one that keeps failing is given up
// with an apology, so that the chat is never stuck behind it.
func (e *Engine) runStep(ctx context.Context, q *supportbot.Queued) {
	start := time.Now()
	ev := q.Event
	sctx, cancel := context.WithTimeout(ctx, e.cfg.StepTimeout)
	s, err := e.prepareSafely(sctx, q)
	cancel()
	if err == nil {
		err = e.st.Update(ctx, s.apply)
	}
	if err != nil {
		// A core event the core did not answer waits for it, as a
		// customer's step told "not answering" does: not a failed step.
		waits, level := coreEventWaits(ev, err), slog.LevelError
		switch {
		case waits:
			level = slog.LevelWarn
		case errors.Is(err, errPlanBusy):
			// Another chat's repayment of the plan came first: the step
			// is tried again, and tells so. Not a failure.
			waits, level = true, slog.LevelInfo
		}
		e.log.Log(ctx, level, "step failed", "chat", e.chatRef(ev.ChatID), "kind", ev.Kind, "attempt", q.Attempts+1, "err", err)
		e.metrics.Step(string(ev.Kind), time.Since(start), !waits)
		e.failed(ctx, q, err)
		return
	}
	e.metrics.Step(string(ev.Kind), time.Since(start), false)
	e.log.Info("step", "update_id", ev.UpdateID, "chat", e.chatRef(ev.ChatID), "kind", ev.Kind,
		"flow", s.conv.Flow, "state", s.conv.State, "replies", len(s.out)+len(s.late), "duration", time.Since(start), "queued", start.Sub(ev.Time))
	if len(s.out)+len(s.late) > 0 {
		e.cfg.Wake()
	}
	if len(s.created) > 0 {
		e.handed.put(s.created...)
		e.pokeWork()
	}
	if s.missed != "" && e.cfg.Misses != nil {
		if err := e.cfg.Misses.RecordMiss(ctx, s.missed); err != nil {
			e.log.Warn("record faq miss", "err", err)
		}
	}
}

// stepAttempts is how often a failing step is tried before it is given up.
const stepAttempts = 3

// coreEventRetryFor is how long a core event whose step the core does not
// answer is tried again, from when it was taken: what it tells (a debit
// that failed, an overdue bill) is not worth telling days late.
const coreEventRetryFor = 24 * time.Hour

// coreEventWaits reports a core event whose step failed because the core
// did not answer (usably): it is tried again until it does.
func coreEventWaits(ev supportbot.Event, err error) bool {
	return ev.Kind == supportbot.EventCore && ev.Core != nil && unavailableErr(err)
}

// failed retries a failed step later, or gives it up with an apology. A
// core event the core did not answer is tried again, with backoff, for
// coreEventRetryFor, set aside meanwhile: the customer's own messages go
// on, the chat's later core events wait behind it (their order is kept).
func (e *Engine) failed(ctx context.Context, q *supportbot.Queued, cause error) {
	switch {
	case coreEventWaits(q.Event, cause) && e.cfg.Now().Sub(q.Event.Time) < coreEventRetryFor:
		if err := e.st.SetAsideEvent(ctx, q.ID, e.cfg.Now().Add(backoffFor(q.Attempts+1))); err != nil {
			e.log.Error("postpone event", "err", err)
		}
		return
	case coreEventWaits(q.Event, cause):
		e.log.Error("core event given up: the core did not answer its step for a day",
			"chat", e.chatRef(q.Event.ChatID), "event", q.Event.Core.ID, "type", q.Event.Core.Type, "attempts", q.Attempts+1)
	case q.Attempts+1 < stepAttempts:
		wait := time.Duration(1<<q.Attempts) * 2 * time.Second
		if err := e.st.RetryEvent(ctx, q.ID, e.cfg.Now().Add(wait)); err != nil {
			e.log.Error("postpone event", "err", err)
		}
		return
	}
	lang := supportbot.ParseLang(q.Event.LanguageCode)
	if c, err := e.st.Conversation(ctx, q.Event.ChatID); err == nil {
		lang = c.Lang
	}
	err := e.st.Update(ctx, func(tx Tx) error {
		if err := tx.DoneEvent(ctx, q.ID); err != nil {
			return err
		}
		if q.Event.ChatID == e.cfg.AgentChatID || isInternal(q.Event.Kind) {
			return nil // no apology to the staff chat, nor for what the customer did not do
		}
		return tx.Enqueue(ctx, []supportbot.Reply{{ChatID: q.Event.ChatID, Text: e.cfg.Catalog.T(lang, "error.internal")}})
	})
	if err != nil {
		// The database itself fails: the event stays, and is tried when it is back.
		e.log.Error("give up event", "err", err, "cause", cause)
		e.st.RetryEvent(ctx, q.ID, e.cfg.Now().Add(time.Minute))
		return
	}
	e.cfg.Wake()
}

// writtenIn is the language a customer's text is written in, by what most
// of it is: Chinese characters, or English words ("how do I repay my 小米
// phone early" is English, "Xiaomi Book 那个呢" Chinese); "" when it says
// too little (a letter, a number, a button or a command). Words both
// languages type — "ok", "app", brands and model codes ("Redmi K70 呢",
// "12GB") — are neither's.
func writtenIn(ev supportbot.Event) supportbot.Lang {
	if ev.Kind != supportbot.EventText {
		return ""
	}
	han, words := 0, 0
	for _, w := range strings.FieldsFunc(ev.Text, func(r rune) bool {
		if unicode.Is(unicode.Han, r) {
			han++ // counted in the one pass that cuts the words
			return true
		}
		return r >= unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		if len(w) >= 2 && !bothLanguages[strings.ToLower(w)] && strings.IndexFunc(w, unicode.IsDigit) < 0 {
			words++
		}
	}
	switch {
	case han >= 1 && words == 0 || han >= 2 && han >= words:
		return supportbot.LangZH
	case words > han:
		return supportbot.LangEN
	}
	return ""
}

// bothLanguages are Latin words a Chinese customer types as often as an
// English one: assent, the app, brands and product names.
var bothLanguages = map[string]bool{"ok": true, "okay": true, "app": true, "id": true, "pdf": true, "vip": true,
	"xiaomi": true, "redmi": true, "mi": true, "poco": true, "pro": true, "max": true, "ultra": true, "plus": true,
	"lite": true, "mini": true, "se": true, "book": true, "pad": true, "buds": true, "band": true, "tv": true, "note": true, "watch": true,
	"iphone": true, "ipad": true, "macbook": true, "apple": true, "huawei": true, "honor": true, "vivo": true,
	"oppo": true, "oneplus": true, "wechat": true, "alipay": true, "qq": true, "gb": true, "tb": true}

// isInternal reports events the chat's user did not send: nothing is
// apologised for, nothing answered, the chat's reachability is not theirs.
func isInternal(k supportbot.EventKind) bool {
	return k == supportbot.EventSettled || k == supportbot.EventCore || k == supportbot.EventAgent ||
		k == supportbot.EventMember || k == supportbot.EventUndelivered || k == supportbot.EventPhoneClaimed
}

// clientOrOnFile is the language of an identified customer whose client's
// is client (one of ours) and who wrote in written ("" for neither): the
// client's when they write in it, the one on file when they write in that,
// and otherwise the chat's as it is (a core that does not answer keeps it
// too). The language on file is read only when it could decide.
func (s *Step) clientOrOnFile(client, written supportbot.Lang) supportbot.Lang {
	switch {
	case written == "" || written == s.conv.Lang:
		return s.conv.Lang
	case written == client:
		return client
	}
	c, err := s.core.customer(s.ctx, s.conv.CustomerID)
	switch {
	case err != nil:
		return s.conv.Lang
	case c.Language == written:
		return written
	}
	return client
}

// prepare runs the read half of a step: it loads the conversation, routes the
// event and collects the step's replies and changes without writing them.
func (e *Engine) prepare(ctx context.Context, q *supportbot.Queued) (*Step, error) {
	ev := q.Event
	if ev.Kind == supportbot.EventCommand {
		// "/End" is /end: a command's name is read in lower case everywhere
		// (a probe: typed so during a hand-off it was relayed, the
		// customer left in the queue; an agent's "/Close" got the help).
		ev.Text = strings.ToLower(ev.Text)
	}
	lang := supportbot.ParseLang(ev.LanguageCode)
	conv, err := e.st.Conversation(ctx, ev.ChatID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		conv = &supportbot.Conversation{ChatID: ev.ChatID, Lang: lang}
	} else if err != nil {
		return nil, err
	}
	now := e.cfg.Now()
	s := &Step{ctx: ctx, e: e, q: q, conv: conv, ev: ev, now: now, today: supportbot.DateOf(now, e.cfg.Location), misses: conv.Misses,
		core: newCoreCache(e.core)}
	if ev.Kind == supportbot.EventButton && ev.ChatID != e.cfg.AgentChatID {
		s.target = ev.MessageID // a button press edits the message it belongs to
	}
	if ev.UserID != 0 && ev.ChatID != e.cfg.AgentChatID {
		conv.UserID = ev.UserID
	}
	if !isInternal(ev.Kind) && ev.ChatID != e.cfg.AgentChatID {
		s.returned = conv.Unreachable
		conv.Unreachable = false // the chat spoke: it takes messages again
	}
	// The language: one chosen with /lang; else, not identified, the
	// client's — or, where the client's is neither of ours, the one the
	// customer writes in; identified, the customer's on file (set when they
	// identified) or, when the client's is the other of ours, whichever of
	// the two they write in (Emily, English on file, writing Chinese from a
	// Chinese client: a probe). Mid-step the step on screen keeps its
	// language; a forwarded text is someone else's words.
	code := strings.ToLower(ev.LanguageCode)
	ours := strings.HasPrefix(code, "zh") || strings.HasPrefix(code, "en")
	switch {
	case conv.LangChosen:
	case conv.CustomerID == "" && ours:
		conv.Lang = lang
	case conv.Flow != "" || ev.Forwarded || conv.CustomerID != "" && !ours:
	case conv.CustomerID == "":
		if written := writtenIn(ev); written != "" {
			conv.Lang = written
		}
	default:
		conv.Lang = s.clientOrOnFile(lang, writtenIn(ev))
	}
	if err := s.loadSlots(); err != nil {
		e.log.Warn("conversation slots unreadable, flow reset", "chat", e.chatRef(ev.ChatID), "err", err)
		s.reset()
	}
	before := s.saved()
	if text := ev.Summary(); text != "" && ev.ChatID != e.cfg.AgentChatID {
		line := supportbot.MaskNumbers(text, 200)
		if ev.Kind == supportbot.EventButton {
			// The label of the bot's own button ("RedmiBook Pro 16 2024"):
			// only a long number in it is hidden, not a model's year.
			line = clipText(supportbot.MaskLongNumbers(text), 200)
		}
		if conv.Flow == "close" && conv.State == "verifying" {
			line = maskIDAnswer(line) // whatever the ID step is answered with
		}
		conv.Transcript.Append(supportbot.Line{Time: now, From: "customer", Text: line})
	}
	err = e.route(s)
	if coreEventWaits(ev, err) {
		// What the core tells must still be told: the step is tried again
		// when the core answers (failed), not ended empty.
		return nil, err
	}
	if unavailableErr(err) || supportbot.CoreErrorOf(err) != nil && !isInternal(ev.Kind) {
		// The core did not answer (usably), or refused what no flow
		// expected it to on a customer's step (its data at odds with
		// itself; trying the step again would not change it): nothing is
		// half-done. The conversation stays where it was; the customer
		// hears it at once, with a person offered. (A settled action or a
		// core event meeting a refusal is tried again: it must be told.)
		e.log.Warn("core did not answer usably during step", "chat", e.chatRef(ev.ChatID), "err", err)
		return s.unavailable(before), nil
	} else if err != nil {
		return nil, err
	}
	if s.conv.Flow+"/"+s.conv.State != before.flowState && !s.renewed {
		// A step that moved the flow on invalidates the buttons of the step
		// before (a step with buttons of its own made a new nonce).
		s.conv.Nonce = ""
	}
	s.left = before.conv.Nonce // its keyboard goes if the step moves on (see replies)
	for i, r := range s.out {
		if slices.Contains(s.boiler, i) || ev.Kind == supportbot.EventAgent {
			continue // greetings and menus are not what an agent needs to read; an agent's words are kept as theirs
		}
		if (r.ChatID == 0 || r.ChatID == ev.ChatID) && r.Text != "" && r.TicketID == 0 && ev.ChatID != e.cfg.AgentChatID {
			// A card or ID number an answer might repeat is masked; its
			// orders, card tails and dates are the agent's to read (a
			// regression run: masked like the customer's lines, they were
			// garbled).
			text, _ := supportbot.MaskSecrets(clipText(locale.Plain(r.Text), 200))
			conv.Transcript.Append(supportbot.Line{Time: now, From: "bot", Text: text})
		}
	}
	return s, s.saveSlots()
}

// randomToken is n random lower-case base32 characters.
func randomToken(n int) string {
	b := make([]byte, (n*5+7)/8)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:n]
}

// clipText cuts s to n characters.
func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// takeCoreEvents takes the events a core keeps for the bot (the embedded
// core's), each committed before it is marked delivered: a crash between
// the two delivers it again, and the event's id makes that harmless.
func (e *Engine) takeCoreEvents(ctx context.Context, _ time.Time) (int, error) {
	if e.cfg.CoreEvents == nil {
		return 0, nil
	}
	list, err := e.cfg.CoreEvents.PendingCoreEvents(ctx, 100)
	if err != nil {
		return 0, err
	}
	for _, ev := range list {
		if err := e.CoreEvent(ctx, ev); err != nil {
			return 0, err
		}
		if err := e.cfg.CoreEvents.CoreEventDelivered(ctx, ev.ID); err != nil {
			return 0, err
		}
	}
	return 0, nil
}
