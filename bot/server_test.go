package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
)

// handlerFunc is a hand-written fake of the engine.
type handlerFunc func(ctx context.Context, ev supportbot.Event) ([]supportbot.Reply, error)

func (f handlerFunc) Handle(ctx context.Context, ev supportbot.Event) ([]supportbot.Reply, error) {
	return f(ctx, ev)
}

// echo replies with what it got, and records every event.
type echo struct {
	mu     sync.Mutex
	events []supportbot.Event
}

func (e *echo) Handle(_ context.Context, ev supportbot.Event) ([]supportbot.Reply, error) {
	e.mu.Lock()
	e.events = append(e.events, ev)
	e.mu.Unlock()
	text := string(ev.Kind) + ":" + ev.Text + ev.Data + ev.Phone
	return []supportbot.Reply{{ChatID: ev.ChatID, Text: text,
		Buttons: [][]supportbot.Button{{{Text: "again", Data: "d:" + ev.Text}}}}}, nil
}

func (e *echo) seen() []supportbot.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]supportbot.Event(nil), e.events...)
}

// run starts the adapter on the fake server until the test ends.
func run(t *testing.T, srv *telegramtest.Server, h bot.Handler) *bot.Server {
	t.Helper()
	b, err := bot.New(bot.Config{Token: srv.Token(), Endpoint: srv.Endpoint(), PollTimeout: time.Second,
		Commands: map[string][]bot.Command{"": {{Command: "start", Description: "开始"}}}}, h)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run did not stop after cancel")
		}
	})
	return b
}

var alice = telegramtest.User{ID: 501, FirstName: "Alice", LanguageCode: "en"}

func TestBadTokenFailsClearly(t *testing.T) {
	srv := telegramtest.Start(t)
	_, err := bot.New(bot.Config{Token: "999:WRONG", Endpoint: srv.Endpoint()}, &echo{})
	if !errors.Is(err, bot.ErrUnauthorized) {
		t.Fatalf("New with a bad token: %v, want ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), "999:WRONG") {
		t.Errorf("error shows the token: %v", err)
	}
}

func TestRegistersCommandsAndRelaysEvents(t *testing.T) {
	srv := telegramtest.Start(t)
	e := &echo{}
	run(t, srv, e)
	srv.SendText(alice, "/start")
	msgs := srv.WaitFor(t, alice.ID, 1, 5*time.Second)
	if got := msgs[0].Text; got != "command:start" {
		t.Errorf("reply = %q, want command:start", got)
	}
	if cmds := srv.Commands(); len(cmds) == 0 || cmds[0].Command != "start" {
		t.Errorf("commands = %+v, want start registered", cmds)
	}
	srv.PressButton(alice, msgs[0], msgs[0].Buttons()[0].Data)
	msgs = srv.WaitFor(t, alice.ID, 2, 5*time.Second)
	if got := msgs[1].Text; got != "button:d:start" {
		t.Errorf("reply = %q, want button:d:start", got)
	}
	if n := len(srv.UnansweredCallbacks()); n != 0 {
		t.Errorf("%d callback queries left unanswered", n)
	}
	srv.ShareContact(alice, "8613800138000", alice.ID)
	msgs = srv.WaitFor(t, alice.ID, 3, 5*time.Second)
	if got := msgs[2].Text; got != "contact:8613800138000" {
		t.Errorf("reply = %q", got)
	}
	ev := e.seen()[2]
	if ev.ContactUserID != alice.ID || ev.UserID != alice.ID || ev.LanguageCode != "en" || ev.UpdateID == 0 {
		t.Errorf("contact event = %+v", ev)
	}
}

func TestIgnoresGroupsChannelsAndOddUpdates(t *testing.T) {
	srv := telegramtest.Start(t)
	e := &echo{}
	run(t, srv, e)
	srv.SendGroupText(-100123, 0, alice, "hello group")
	srv.PushRawUpdate([]byte(`{"channel_post":{"message_id":1,"date":1,"chat":{"id":-1009,"type":"channel"},"text":"x"}}`))
	srv.PushRawUpdate([]byte(`{"edited_message":{"message_id":1,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"first_name":"A"},"text":"x"}}`))
	srv.PushRawUpdate([]byte(`{"message":"this is not an object"}`))
	last := srv.SendText(alice, "after")
	srv.WaitFor(t, alice.ID, 1, 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitConfirmed(ctx, last); err != nil {
		t.Fatal(err)
	}
	if got := e.seen(); len(got) != 1 || got[0].Text != "after" {
		t.Errorf("events = %+v, want only the private text", got)
	}
	if n := len(srv.SentTo(-100123)); n != 0 {
		t.Errorf("bot answered the group %d times", n)
	}
}

func TestRetriesRateLimitsAndBadGateways(t *testing.T) {
	srv := telegramtest.Start(t)
	run(t, srv, &echo{})
	srv.InjectFaults("sendMessage", 1, telegramtest.RateLimit(1))
	srv.InjectFaults("sendMessage", 2, telegramtest.BadGateway())
	srv.InjectFaults("getUpdates", 1, telegramtest.BadGateway())
	srv.SendText(alice, "hello")
	msgs := srv.WaitFor(t, alice.ID, 1, 15*time.Second)
	if msgs[0].Text != "text:hello" {
		t.Errorf("reply = %q", msgs[0].Text)
	}
	if n := srv.Calls("sendMessage"); n < 4 {
		t.Errorf("sendMessage calls = %d, want the 3 failures retried", n)
	}
}

func TestSplitsLongRepliesOnLines(t *testing.T) {
	srv := telegramtest.Start(t)
	line := strings.Repeat("长", 99) + "\n" // 100 characters a line
	long := strings.Repeat(line, 60)       // 6000 characters
	run(t, srv, handlerFunc(func(_ context.Context, ev supportbot.Event) ([]supportbot.Reply, error) {
		return []supportbot.Reply{{ChatID: ev.ChatID, Text: long, Buttons: [][]supportbot.Button{{{Text: "ok", Data: "ok"}}}}}, nil
	}))
	srv.SendText(alice, "long please")
	msgs := srv.WaitFor(t, alice.ID, 2, 5*time.Second)
	if !strings.HasSuffix(msgs[0].Text, strings.Repeat("长", 99)) || len([]rune(msgs[0].Text)) > 4096 {
		t.Errorf("first part does not end on a line boundary within 4096: %d runes", len([]rune(msgs[0].Text)))
	}
	if got := len([]rune(msgs[0].Text)) + len([]rune(msgs[1].Text)) + 1; got != len([]rune(long)) {
		t.Errorf("parts hold %d characters, want %d", got, len([]rune(long)))
	}
	if len(msgs[0].Buttons()) != 0 || len(msgs[1].Buttons()) != 1 {
		t.Errorf("the keyboard should come with the last part only")
	}
}

func TestConfirmsUpdatesOnlyAfterHandling(t *testing.T) {
	srv := telegramtest.Start(t)
	release := make(chan struct{})
	run(t, srv, handlerFunc(func(_ context.Context, ev supportbot.Event) ([]supportbot.Reply, error) {
		<-release
		return []supportbot.Reply{{ChatID: ev.ChatID, Text: "done"}}, nil
	}))
	id := srv.SendText(alice, "slow")
	time.Sleep(1500 * time.Millisecond) // a full poll cycle while the handler is blocked
	if off := srv.Offset(); off > id {
		t.Fatalf("offset %d confirmed update %d before it was handled", off, id)
	}
	close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.WaitConfirmed(ctx, id); err != nil {
		t.Fatal(err)
	}
}

func TestStartupWaitsOutATransientError(t *testing.T) {
	srv := telegramtest.Start(t)
	srv.InjectFaults("getMe", 1, telegramtest.RateLimit(1))
	srv.InjectFaults("deleteWebhook", 1, telegramtest.BadGateway())
	e := &echo{}
	run(t, srv, e)
	srv.SendText(alice, "/start")
	srv.WaitFor(t, alice.ID, 1, 10*time.Second)
	if n := srv.Calls("getMe"); n != 2 {
		t.Errorf("getMe calls = %d, want the 429 retried once", n)
	}
}

func TestPollingTakesDownALeftoverWebhook(t *testing.T) {
	srv := telegramtest.Start(t)
	srv.InjectFaults("deleteWebhook", 6, telegramtest.BadGateway()) // start-up fails to delete it
	api := srv.Bot(t)
	if _, err := api.MakeRequest("setWebhook", map[string]string{"url": "https://example.invalid/hook"}); err != nil {
		t.Fatal(err)
	}
	run(t, srv, &echo{})
	srv.SendText(alice, "/start")
	srv.WaitFor(t, alice.ID, 1, 20*time.Second)
}
