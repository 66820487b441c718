package bot_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
)

// handler is a fake engine. Submit records every call; SubmitFunc, if set,
// runs first and an error from it means nothing was committed (a database
// that is down). Committed events are kept in order.
type handler struct {
	SubmitFunc func(ctx context.Context, evs []supportbot.Event) error

	mu        sync.Mutex
	attempts  [][]supportbot.Event // every call, committed or not
	committed []supportbot.Event
	changed   chan struct{}
}

func newHandler() *handler { return &handler{changed: make(chan struct{})} }

func (h *handler) Submit(ctx context.Context, evs ...supportbot.Event) error {
	evs = slices.Clone(evs)
	h.mu.Lock()
	h.attempts = append(h.attempts, evs)
	h.mu.Unlock()
	if h.SubmitFunc != nil {
		if err := h.SubmitFunc(ctx, evs); err != nil {
			return err
		}
	}
	h.mu.Lock()
	h.committed = append(h.committed, evs...)
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()
	return nil
}

// events returns the committed events.
func (h *handler) events() []supportbot.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.committed)
}

// calls returns the events of every Submit call, committed or not.
func (h *handler) calls() [][]supportbot.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.attempts)
}

// waitEvents waits until n events are committed and returns them all.
func (h *handler) waitEvents(t testing.TB, n int) []supportbot.Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		h.mu.Lock()
		evs, ch := slices.Clone(h.committed), h.changed
		h.mu.Unlock()
		if len(evs) >= n {
			return evs
		}
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("%d events committed, want %d: %+v", len(evs), n, evs)
		}
	}
}

// errDatabaseDown is what a Submit fails with while "the database is down".
var errDatabaseDown = errors.New("database is down")

// outbox is an in-memory bot.Outbox with the store's semantics: due
// messages oldest first, none behind a postponed one of the same queue (a
// chat, a thread, a hand-off ticket), at most PerChat of one queue per read
// (0: no cap; the store reads 20). A chat given up as gone takes its other
// messages with it.
type outbox struct {
	// Now is the outbox's clock (time.Now when nil); the server gets the same.
	Now func() time.Time
	// PerChat caps the due messages of one queue (chat, thread, ticket) per read.
	PerChat int
	// DueErr, if set, fails DueMessages when it returns an error.
	DueErr func() error
	// AfterRead, if set, sees what DueMessages read before it is returned
	// (and can hold it, to make the read stale).
	AfterRead func([]supportbot.OutboxMessage)
	// TopicErr, if set, fails SetTicketTopic when it returns an error (a
	// database away).
	TopicErr func() error

	mu          sync.Mutex
	msgs        []*entry
	nextID      int64
	topics      map[int64]int64 // ticket → forum topic; a ticket must exist
	unreachable map[int64]string
	retries     []retry
	steps       map[string]int64 // chat:nonce → the step's message
}

type entry struct {
	supportbot.OutboxMessage
	status  string // pending, sent, failed
	nextAt  time.Time
	lastErr string
}

// retry is a RetryLater call.
type retry struct {
	ID     int64
	At     time.Time // when the message is due again
	Called time.Time // when RetryLater was called
	Reason string
}

var _ bot.Outbox = (*outbox)(nil)

func newOutbox() *outbox {
	return &outbox{topics: map[int64]int64{}, unreachable: map[int64]string{}, steps: map[string]int64{}}
}

func (o *outbox) StepMessage(_ context.Context, chatID int64, nonce string) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.steps[fmt.Sprint(chatID, ":", nonce)], nil
}

func (o *outbox) SetStepMessage(_ context.Context, chatID int64, nonce string, messageID int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.steps[fmt.Sprint(chatID, ":", nonce)] = messageID
	return nil
}

func (o *outbox) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

// enqueue adds replies, due now, and returns their ids.
func (o *outbox) enqueue(replies ...supportbot.Reply) []int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	var ids []int64
	for _, r := range replies {
		o.nextID++
		o.msgs = append(o.msgs, &entry{OutboxMessage: supportbot.OutboxMessage{ID: o.nextID, Reply: r}, status: "pending", nextAt: o.now()})
		ids = append(ids, o.nextID)
	}
	return ids
}

// addTicket makes a hand-off ticket, with a forum topic or (0) none yet.
func (o *outbox) addTicket(id, topic int64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.topics[id] = topic
}

func (o *outbox) DueMessages(_ context.Context, now time.Time, limit int) ([]supportbot.OutboxMessage, error) {
	if o.DueErr != nil {
		if err := o.DueErr(); err != nil {
			return nil, err
		}
	}
	list := o.due(now, limit)
	if o.AfterRead != nil {
		o.AfterRead(list)
	}
	return list, nil
}

func (o *outbox) due(now time.Time, limit int) []supportbot.OutboxMessage {
	o.mu.Lock()
	defer o.mu.Unlock()
	type part struct{ chat, thread, ticket int64 }
	held := map[part]bool{}
	count := map[part]int{}
	var list []supportbot.OutboxMessage
	for _, e := range o.msgs {
		if e.status != "pending" {
			continue
		}
		p := part{e.Reply.ChatID, e.Reply.ThreadID, e.Reply.TicketID}
		if e.nextAt.After(now) {
			held[p] = true
		}
		if held[p] || (o.PerChat > 0 && count[p] >= o.PerChat) {
			continue
		}
		count[p]++
		if len(list) < limit {
			m := e.OutboxMessage
			m.Reply.Buttons = slices.Clone(m.Reply.Buttons)
			list = append(list, m)
		}
	}
	return list
}

func (o *outbox) find(id int64) (*entry, error) {
	for _, e := range o.msgs {
		if e.ID == id {
			return e, nil
		}
	}
	return nil, fmt.Errorf("outbox %d: not found", id)
}

func (o *outbox) MarkSent(_ context.Context, ids ...int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, id := range ids {
		e, err := o.find(id)
		if err != nil {
			return err
		}
		e.status = "sent"
		e.Attempts++
	}
	return nil
}

func (o *outbox) RetryLater(_ context.Context, id int64, at time.Time, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, err := o.find(id)
	if err != nil {
		return err
	}
	e.Attempts++
	e.nextAt, e.lastErr = at, reason
	o.retries = append(o.retries, retry{ID: id, At: at, Called: o.now(), Reason: reason})
	return nil
}

func (o *outbox) MarkFailed(_ context.Context, id int64, reason string, chatGone bool) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, err := o.find(id)
	if err != nil {
		return err
	}
	e.status, e.lastErr = "failed", reason
	e.Attempts++
	if chatGone {
		o.unreachable[e.Reply.ChatID] = reason
		for _, other := range o.msgs {
			if other.status == "pending" && other.Reply.ChatID == e.Reply.ChatID {
				other.status, other.lastErr = "failed", reason
			}
		}
	}
	return nil
}

func (o *outbox) TicketTopic(_ context.Context, ticketID int64) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	topic, ok := o.topics[ticketID]
	if !ok {
		return 0, supportbot.Errorf(supportbot.ENOTFOUND, "ticket %d not found", ticketID)
	}
	return topic, nil
}

func (o *outbox) SetTicketTopic(_ context.Context, ticketID, topicID int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.TopicErr != nil {
		if err := o.TopicErr(); err != nil {
			return err
		}
	}
	if _, ok := o.topics[ticketID]; !ok {
		return supportbot.Errorf(supportbot.ENOTFOUND, "ticket %d not found", ticketID)
	}
	o.topics[ticketID] = topicID
	return nil
}

func (o *outbox) topic(ticketID int64) int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.topics[ticketID]
}

// status is a message's status and last error.
func (o *outbox) status(id int64) (string, string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	e, err := o.find(id)
	if err != nil {
		return "", ""
	}
	return e.status, e.lastErr
}

func (o *outbox) depth() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, e := range o.msgs {
		if e.status == "pending" {
			n++
		}
	}
	return n
}

func (o *outbox) retried() []retry {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.retries)
}

func (o *outbox) unreachableChat(chat int64) (string, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	r, ok := o.unreachable[chat]
	return r, ok
}

// waitDepth waits until want messages are pending.
func (o *outbox) waitDepth(t testing.TB, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for o.depth() != want {
		if time.Now().After(deadline) {
			t.Fatalf("outbox depth %d, want %d", o.depth(), want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// logBuffer collects what the adapter logs, from any goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// token is what the fake Bot API accepts: distinctive, so that a log line
// carrying it is easy to catch.
const token = "4242:SECRET-tok3n-never-log-me"

// testRefs are the chat references of a test deployment: a fixed key.
func testRefs(t testing.TB) supportbot.ChatRefs {
	t.Helper()
	refs, err := supportbot.NewChatRefs([]byte("a test deployment's 32-byte key!"))
	if err != nil {
		t.Fatal(err)
	}
	return refs
}

// fastLimits let tests send quickly; tests of the limits set their own.
var fastLimits = bot.Limits{PerSecond: 1000, PerChat: 200, PerChatBurst: 50, PerGroupMinute: 6000}

// rig is the adapter on the fake Bot API, with a fake engine and outbox.
// Every test using one also checks that the token never reached the log.
type rig struct {
	srv  *telegramtest.Server
	h    *handler
	out  *outbox
	logs *logBuffer
	cfg  bot.Config
	bot  *bot.Server
}

// newRig makes the adapter; config changes cfg (fast limits, a 1 s long
// poll) before New.
func newRig(t *testing.T, config func(*bot.Config), opts ...telegramtest.Option) *rig {
	t.Helper()
	r := &rig{srv: telegramtest.Start(t, append([]telegramtest.Option{telegramtest.WithToken(token)}, opts...)...),
		h: newHandler(), out: newOutbox(), logs: &logBuffer{}}
	t.Cleanup(func() {
		if logs := r.logs.String(); strings.Contains(logs, token) || strings.Contains(logs, "SECRET-tok3n") {
			t.Errorf("the token reached the log:\n%s", logs)
		}
	})
	r.cfg = bot.Config{Token: r.srv.Token(), Endpoint: r.srv.Endpoint(), PollTimeout: time.Second,
		Outbox: r.out, Limits: fastLimits, FlushTimeout: 2 * time.Second,
		Logger:   slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:      r.out.now,
		ChatRefs: testRefs(t)}
	if config != nil {
		config(&r.cfg)
	}
	b, err := bot.New(t.Context(), r.cfg, r.h)
	if err != nil {
		t.Fatal(err)
	}
	r.bot = b
	return r
}

// echo makes the fake engine answer every committed event with one reply
// (kind:text+data+phone and an "again" button), through the outbox.
func (r *rig) echo() {
	r.h.SubmitFunc = func(_ context.Context, evs []supportbot.Event) error {
		for _, ev := range evs {
			text := string(ev.Kind) + ":" + ev.Text + ev.Data + ev.Phone
			r.out.enqueue(supportbot.Reply{ChatID: ev.ChatID, Text: text,
				Buttons: [][]supportbot.Button{{{Text: "again", Data: "d:" + ev.Text}}}})
		}
		r.bot.Wake()
		return nil
	}
}

// run long-polls until the test ends (or stop is called); stop waits for Run
// to return, flush included.
func (r *rig) run(t *testing.T) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.bot.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(r.cfg.FlushTimeout + 5*time.Second):
				t.Error("Run did not stop after cancel")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

var (
	alice = telegramtest.User{ID: 501, FirstName: "Alice", LanguageCode: "en"}
	bob   = telegramtest.User{ID: 502, FirstName: "Bob", LanguageCode: "zh"}
)

// waitAnswered gives the callback queries the bot answers in the background
// a moment: a reply can overtake its answer.
func waitAnswered(srv *telegramtest.Server) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.WaitAnswered(ctx)
}
