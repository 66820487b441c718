package console_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/console"
)

// engine is a fake of the engine: Submit commits events, Drain handles
// them, each with Reply (in the chat of the event), into the outbox.
type engine struct {
	Reply      func(ev supportbot.Event) []supportbot.Reply
	SubmitFunc func(evs []supportbot.Event) error // an error: nothing committed
	DrainFunc  func() error

	out     *outbox
	waiting []supportbot.Event
	events  []supportbot.Event // handled, in order
}

func (e *engine) Submit(_ context.Context, evs ...supportbot.Event) error {
	if e.SubmitFunc != nil {
		if err := e.SubmitFunc(evs); err != nil {
			return err
		}
	}
	e.waiting = append(e.waiting, evs...)
	return nil
}

func (e *engine) Drain(context.Context) error {
	if e.DrainFunc != nil {
		if err := e.DrainFunc(); err != nil {
			return err
		}
	}
	for _, ev := range e.waiting {
		e.events = append(e.events, ev)
		if e.Reply != nil {
			for _, r := range e.Reply(ev) {
				if r.ChatID == 0 {
					r.ChatID = ev.ChatID
				}
				e.out.add(r)
			}
		}
	}
	e.waiting = nil
	return nil
}

// outbox is the fake outbox: the replies of every chat, sent or not.
type outbox struct {
	mu      sync.Mutex
	msgs    []supportbot.OutboxMessage
	sent    map[int64]bool
	ListErr error
}

func (o *outbox) add(r supportbot.Reply) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, supportbot.OutboxMessage{ID: int64(len(o.msgs) + 1), Reply: r})
}

func (o *outbox) ChatMessages(_ context.Context, chatID int64) ([]supportbot.OutboxMessage, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.ListErr != nil {
		return nil, o.ListErr
	}
	var list []supportbot.OutboxMessage
	for _, m := range o.msgs {
		if m.Reply.ChatID == chatID && !o.sent[m.ID] {
			list = append(list, m)
		}
	}
	return list, nil
}

func (o *outbox) MarkSent(_ context.Context, ids ...int64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sent == nil {
		o.sent = map[int64]bool{}
	}
	for _, id := range ids {
		o.sent[id] = true
	}
	return nil
}

func (o *outbox) pending() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, m := range o.msgs {
		if !o.sent[m.ID] {
			n++
		}
	}
	return n
}

// menu answers every event with two buttons, then a contact keyboard.
func menu(supportbot.Event) []supportbot.Reply {
	return []supportbot.Reply{
		{Text: "pick one", Buttons: [][]supportbot.Button{{{Text: "Bills", Data: "m:bill"}, {Text: "Repay", Data: "m:repay"}}}},
		{Text: "or share", AskContact: "Share my number", Keyboard: []string{"Cancel"}},
	}
}

// chat runs a console chat on input and returns the fake engine and what was printed.
func chat(t *testing.T, input string, reply func(supportbot.Event) []supportbot.Reply) (*engine, string) {
	t.Helper()
	e := &engine{Reply: reply, out: &outbox{}}
	var out bytes.Buffer
	c := &console.Chat{Handler: e, Outbox: e.out, In: strings.NewReader(input), Out: &out, UserID: 1,
		OnError: func(err error) { t.Errorf("step failed: %v", err) }}
	if err := c.Run(context.Background(), ""); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return e, out.String()
}

type want struct {
	kind          supportbot.EventKind
	text, data    string
	phone         string
	contactUserID int64
}

func check(t *testing.T, got []supportbot.Event, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d events, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		g := got[i]
		if g.Kind != w.kind || g.Text != w.text || g.Data != w.data || g.Phone != w.phone || g.ContactUserID != w.contactUserID ||
			g.ChatID != 1 || g.UserID != 1 {
			t.Errorf("event %d = %+v, want %+v in chat 1", i, g, w)
		}
	}
}

func TestConsoleTurnsLinesIntoEvents(t *testing.T) {
	e, out := chat(t, "/start\n2\n4\n/contact +86 138 0013 8000\n/contact_of 99 13800138000\nhello there\n3\n", menu)
	check(t, e.events, []want{
		{kind: supportbot.EventCommand, text: "start"},
		{kind: supportbot.EventButton, data: "m:repay"}, // option 2
		{kind: supportbot.EventText, text: "Cancel"},    // option 4: a keyboard button sends its text
		{kind: supportbot.EventContact, phone: "+86 138 0013 8000", contactUserID: 1},
		{kind: supportbot.EventContact, phone: "+8613800138000", contactUserID: 99}, // someone else's: the engine refuses it
		{kind: supportbot.EventText, text: "hello there"},
	})
	// Option 3 is the contact button: it explains how to share instead.
	if !strings.Contains(out, "[1] Bills  [2] Repay") || !strings.Contains(out, "[3] Share my number (/contact PHONE)  [4] Cancel") ||
		!strings.Contains(out, "type /contact PHONE") {
		t.Errorf("output:\n%s", out)
	}
}

// A typed phone is shared as Telegram would: international, country code
// first; a mainland number typed as people in China write it gets its +86.
func TestConsoleSharesAPhoneLikeTelegram(t *testing.T) {
	for _, tt := range []struct{ typed, shared string }{
		{"13800138000", "+8613800138000"},
		{"138 0013 8000", "+8613800138000"},
		{"8613800138000", "+8613800138000"},
		{"+8613800138000", "+8613800138000"},
		{"+1 385 234 5678", "+1 385 234 5678"}, // another country's, as typed
		{"12345", "12345"},                     // not a number the engine will know
	} {
		e, _ := chat(t, "/contact "+tt.typed+"\n", nil)
		check(t, e.events, []want{{kind: supportbot.EventContact, phone: tt.shared, contactUserID: 1}})
	}
}

func TestConsoleCommandsAndArguments(t *testing.T) {
	e, _ := chat(t, "/lang en\n/pay@test_bot  12 \n  spaced text  \n\n   \n", nil)
	check(t, e.events, []want{
		{kind: supportbot.EventCommand, text: "lang"},
		{kind: supportbot.EventCommand, text: "pay"},
		{kind: supportbot.EventText, text: "spaced text"},
	})
	if e.events[0].Args != "en" || e.events[1].Args != "12" {
		t.Errorf("args %q, %q; want en, 12", e.events[0].Args, e.events[1].Args)
	}
}

// Numbers press the buttons of the last replies only; once a reply without
// buttons came, a number is text again.
func TestConsoleOptionsAreTheLastRepliesOnes(t *testing.T) {
	n := 0
	e, out := chat(t, "hi\n1\n1\n9\n", func(supportbot.Event) []supportbot.Reply {
		n++
		if n == 1 {
			return []supportbot.Reply{{Text: "first", Buttons: [][]supportbot.Button{{{Text: "A", Data: "a"}}, {{Text: "B", Data: "b"}}}}}
		}
		return []supportbot.Reply{{Text: "plain"}}
	})
	check(t, e.events, []want{
		{kind: supportbot.EventText, text: "hi"},
		{kind: supportbot.EventButton, data: "a"},
		{kind: supportbot.EventText, text: "1"},
		{kind: supportbot.EventText, text: "9"},
	})
	if !strings.Contains(out, "   [1] A\n   [2] B\n") {
		t.Errorf("one row per line expected:\n%s", out)
	}
}

// A number the reply's own text lists as another item than the button of
// that number ("2. 民生" above [2] 设为默认：广发) is the list's place, typed,
// as on Telegram (a probe set the wrong card as the default); a button
// whose label carries its place ("[1] 1. Redmi") is pressed.
func TestConsoleANumberTheListGivesIsTheListsPlace(t *testing.T) {
	list := "💳 cards:\n1. 中信 ✅\n2. 民生\n3. 兴业 ⛔\n4. 广发"
	e, _ := chat(t, "/cards\n2\n/pay\n1\n", func(ev supportbot.Event) []supportbot.Reply {
		if ev.Kind == supportbot.EventCommand && ev.Text == "pay" {
			return []supportbot.Reply{{Text: "which?", Buttons: [][]supportbot.Button{{{Text: "1. Redmi", Data: "p1"}}, {{Text: "2. Book", Data: "p2"}}}}}
		}
		return []supportbot.Reply{{Text: list, Buttons: [][]supportbot.Button{{{Text: "设为默认：民生", Data: "k2"}}, {{Text: "设为默认：广发", Data: "k4"}}}}}
	})
	check(t, e.events, []want{
		{kind: supportbot.EventCommand, text: "cards"},
		{kind: supportbot.EventText, text: "2"},
		{kind: supportbot.EventCommand, text: "pay"},
		{kind: supportbot.EventButton, data: "p1"},
	})
	// Buttons numbered as the list's items ("1. 💰 Early repayment" under
	// "1. 📱 Redmi") make it a list to pick from too: "2" is the second
	// plan, typed — a probe's "2" pressed the first plan's payoff.
	e, _ = chat(t, "/bill\n2\n", func(ev supportbot.Event) []supportbot.Reply {
		return []supportbot.Reply{{Text: "2 plans:\n\n1. 📱 Redmi\nremaining ¥1\n\n2. 💻 Book\nremaining ¥2", Buttons: [][]supportbot.Button{
			{{Text: "1. Show schedule", Data: "s1"}, {Text: "1. 💰 Early repayment", Data: "r1"}},
			{{Text: "2. Show schedule", Data: "s2"}, {Text: "2. 💰 Early repayment", Data: "r2"}}}}}
	})
	check(t, e.events, []want{
		{kind: supportbot.EventCommand, text: "bill"},
		{kind: supportbot.EventText, text: "2"},
	})
	// A guide's numbered steps above a button are no list to pick from: "1"
	// presses the button (a replay: it became text, "can't answer").
	e, _ = chat(t, "how\n1\n", func(ev supportbot.Event) []supportbot.Reply {
		return []supportbot.Reply{{Text: "steps:\n1. 取消的只是这次预约扣款\n2. 还款日前没还就会逾期", Buttons: [][]supportbot.Button{{{Text: "🗓 取消预约还款", Data: "m:cancel"}}}}}
	})
	check(t, e.events, []want{
		{kind: supportbot.EventText, text: "how"},
		{kind: supportbot.EventButton, data: "m:cancel"},
	})
}

// Piped input: every line is echoed after "> " (there is no terminal to
// show it), replies are indented, and the end of input ends the chat.
func TestConsolePipedTranscript(t *testing.T) {
	e, out := chat(t, "hello\nsecond line", func(ev supportbot.Event) []supportbot.Reply {
		return []supportbot.Reply{{Text: "you said\n" + ev.Text}}
	})
	wantOut := "> hello\n🤖 you said\n   hello\n> second line\n🤖 you said\n   second line\n\n"
	if out != wantOut {
		t.Errorf("output:\n%q\nwant\n%q", out, wantOut)
	}
	if n := e.out.pending(); n != 0 {
		t.Errorf("%d printed messages left unsent in the outbox", n)
	}
}

// Every event has a Source of its own (the inbox drops a Source it took
// before) and the chat's id.
func TestConsoleEventsHaveDistinctSources(t *testing.T) {
	e, _ := chat(t, "a\na\na\n/start\n", nil)
	var sources []string
	for _, ev := range e.events {
		if ev.Source == "" {
			t.Errorf("event %+v without a Source", ev)
		}
		sources = append(sources, ev.Source)
	}
	slices.Sort(sources)
	if len(slices.Compact(sources)) != 4 {
		t.Errorf("sources %v: want 4 distinct", sources)
	}
}

// Only the console's chat is printed; what the engine queued for other chats
// (the staff chat, another customer) stays for the sender.
func TestConsolePrintsItsChatOnly(t *testing.T) {
	e, out := chat(t, "help\n", func(ev supportbot.Event) []supportbot.Reply {
		return []supportbot.Reply{{Text: "for you"}, {ChatID: -100777, Text: "for the agents"}}
	})
	if !strings.Contains(out, "for you") || strings.Contains(out, "for the agents") {
		t.Errorf("output:\n%s", out)
	}
	if n := e.out.pending(); n != 1 {
		t.Errorf("%d messages pending, want the staff chat's 1", n)
	}
}

func TestConsoleStartAndPrompt(t *testing.T) {
	e := &engine{Reply: func(ev supportbot.Event) []supportbot.Reply { return []supportbot.Reply{{Text: "hi " + ev.Text}} }, out: &outbox{}}
	var out bytes.Buffer
	c := &console.Chat{Handler: e, Outbox: e.out, In: strings.NewReader("x\n"), Out: &out, UserID: 1, Prompt: "> "}
	if err := c.Run(context.Background(), "/start"); err != nil {
		t.Fatal(err)
	}
	if want := "🤖 hi start\n> 🤖 hi x\n> \n"; out.String() != want {
		t.Errorf("output %q, want %q", out.String(), want)
	}
}

// A failed step is reported (the engine queued the apology), and the chat
// goes on.
func TestConsoleReportsFailedSteps(t *testing.T) {
	var errs []error
	e := &engine{out: &outbox{}, Reply: func(ev supportbot.Event) []supportbot.Reply { return []supportbot.Reply{{Text: "ok " + ev.Text}} }}
	fail := errors.New("database is down")
	calls := 0
	e.SubmitFunc = func([]supportbot.Event) error {
		calls++
		if calls == 1 {
			return fail
		}
		return nil
	}
	var out bytes.Buffer
	c := &console.Chat{Handler: e, Outbox: e.out, In: strings.NewReader("lost\nkept\n"), Out: &out, UserID: 1,
		OnError: func(err error) { errs = append(errs, err) }}
	if err := c.Run(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], fail) {
		t.Errorf("errors = %v, want the failed Submit", errs)
	}
	if !strings.Contains(out.String(), "ok kept") {
		t.Errorf("output:\n%s", out.String())
	}
}

// The chat ends when its context does, even while input is still open.
func TestConsoleStopsWithItsContext(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	e := &engine{out: &outbox{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	c := &console.Chat{Handler: e, Outbox: e.out, In: pr, Out: io.Discard, UserID: 1}
	go func() { done <- c.Run(ctx, "") }()
	pw.Write([]byte("hello\n"))
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}
