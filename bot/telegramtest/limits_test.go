package telegramtest_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot/bot/telegramtest"
)

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

func TestGroupRateLimit(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	srv := telegramtest.Start(t, telegramtest.WithClock(clock.Now), telegramtest.WithRateLimits(telegramtest.RateLimits{GroupPerMinute: 20}))
	bot := srv.Bot(t)
	const group = -100777
	var first tgbotapi.Message
	for i := range 19 {
		m, err := bot.Send(tgbotapi.NewMessage(group, "burst"))
		if err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
		if i == 0 {
			first = m
		}
		clock.Add(time.Second)
	}
	// An edit counts as a message.
	if _, err := bot.Send(tgbotapi.NewEditMessageText(group, first.MessageID, "burst, edited")); err != nil {
		t.Fatal(err)
	}
	_, err := bot.Send(tgbotapi.NewMessage(group, "one too many"))
	if e := apiErr(t, err); e.Code != 429 || e.RetryAfter != 41 || e.Message != "Too Many Requests: retry after 41" {
		t.Fatalf("21st message in a minute: %d %q retry_after %d, want 429 after 41 s", e.Code, e.Message, e.RetryAfter)
	}
	// Other chats are not affected by the group's limit.
	if _, err := bot.Send(tgbotapi.NewMessage(ann.ID, "private")); err != nil {
		t.Errorf("private chat: %v", err)
	}
	if _, err := bot.Send(tgbotapi.NewMessage(-100888, "other group")); err != nil {
		t.Errorf("other group: %v", err)
	}
	clock.Add(41 * time.Second)
	if _, err := bot.Send(tgbotapi.NewMessage(group, "after the wait")); err != nil {
		t.Errorf("after retry_after: %v", err)
	}
	if n, want := len(srv.SentTo(group)), 20; n != want {
		t.Errorf("group has %d messages, want %d: a refused send must not be carried out", n, want)
	}
	if srv.Throttled() != 1 {
		t.Errorf("Throttled = %d, want 1", srv.Throttled())
	}
	// An album counts per item.
	srv.SetRateLimits(telegramtest.RateLimits{GroupPerMinute: 21})
	_, err = bot.SendMediaGroup(tgbotapi.NewMediaGroup(group, []interface{}{
		tgbotapi.NewInputMediaPhoto(tgbotapi.FileID("a")), tgbotapi.NewInputMediaPhoto(tgbotapi.FileID("b"))}))
	if e := apiErr(t, err); e.Code != 429 {
		t.Errorf("album over the limit: %v", err)
	}
	srv.SetRateLimits(telegramtest.RateLimits{})
	if _, err := bot.Send(tgbotapi.NewMessage(group, "limits off")); err != nil {
		t.Errorf("limits off: %v", err)
	}
}

func TestGlobalRateLimit(t *testing.T) {
	clock := &fakeClock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	srv := telegramtest.Start(t, telegramtest.WithClock(clock.Now), telegramtest.WithRateLimits(telegramtest.RateLimits{GlobalPerSecond: 30}))
	bot := srv.Bot(t)
	for i := range 30 {
		if _, err := bot.Send(tgbotapi.NewMessage(int64(1000+i), "hi")); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
	_, err := bot.Send(tgbotapi.NewMessage(2000, "hi"))
	if e := apiErr(t, err); e.Code != 429 || e.RetryAfter != 1 {
		t.Fatalf("31st message in a second: %+v", e)
	}
	clock.Add(time.Second)
	if _, err := bot.Send(tgbotapi.NewMessage(2000, "hi")); err != nil {
		t.Errorf("next second: %v", err)
	}
}

func TestLimitsOffByDefault(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	for i := range 40 {
		if _, err := bot.Send(tgbotapi.NewMessage(-100777, "fast")); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
	}
}

func TestScopedCommands(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	en := []tgbotapi.BotCommand{{Command: "start", Description: "Begin"}, {Command: "agent", Description: "A person"}}
	zh := []tgbotapi.BotCommand{{Command: "start", Description: "开始"}, {Command: "agent", Description: "人工客服"}}
	staff := []tgbotapi.BotCommand{{Command: "queue", Description: "Open tickets"}}
	for _, c := range []tgbotapi.SetMyCommandsConfig{
		tgbotapi.NewSetMyCommands(en...),
		tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "zh", zh...),
		tgbotapi.NewSetMyCommandsWithScope(tgbotapi.NewBotCommandScopeChat(-100777), staff...),
	} {
		if _, err := bot.Request(c); err != nil {
			t.Fatal(err)
		}
	}
	names := func(cmds []telegramtest.BotCommand) []string {
		var out []string
		for _, c := range cmds {
			out = append(out, c.Command+"="+c.Description)
		}
		return out
	}
	got, err := bot.GetMyCommandsWithConfig(tgbotapi.NewGetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "zh"))
	if err != nil || len(got) != 2 || got[1].Description != "人工客服" {
		t.Errorf("getMyCommands zh = %+v %v", got, err)
	}
	if got, _ := bot.GetMyCommandsWithConfig(tgbotapi.NewGetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeAllPrivateChats(), "zh")); len(got) != 0 {
		t.Errorf("getMyCommands answers only its exact scope: %+v", got)
	}
	for _, tc := range []struct {
		name string
		got  []telegramtest.BotCommand
		want []string
	}{
		{"default", srv.CommandsFor(telegramtest.CommandScope{}, ""), []string{"start=Begin", "agent=A person"}},
		{"zh", srv.CommandsFor(telegramtest.CommandScope{Type: "default"}, "zh"), []string{"start=开始", "agent=人工客服"}},
		{"staff chat", srv.CommandsFor(telegramtest.CommandScope{Type: "chat", ChatID: -100777}, ""), []string{"queue=Open tickets"}},
		{"ru falls back", srv.VisibleCommands(42, 42, "ru"), []string{"start=Begin", "agent=A person"}},
		{"zh user", srv.VisibleCommands(42, 42, "zh"), []string{"start=开始", "agent=人工客服"}},
		{"agent in staff chat", srv.VisibleCommands(-100777, 9001, "zh"), []string{"queue=Open tickets"}},
		{"last set", srv.Commands(), []string{"queue=Open tickets"}},
	} {
		if got := names(tc.got); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
	if _, err := bot.Request(tgbotapi.NewDeleteMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "zh")); err != nil {
		t.Fatal(err)
	}
	if got := names(srv.VisibleCommands(42, 42, "zh")); !slices.Equal(got, []string{"start=Begin", "agent=A person"}) {
		t.Errorf("after deleting zh: %q", got)
	}
	bad := tgbotapi.NewSetMyCommands(en...)
	bad.LanguageCode = "chinese"
	_, err = bot.Request(bad)
	wantAPIError(t, err, 400, "Bad Request: invalid language code specified")
	_, err = bot.Request(tgbotapi.NewSetMyCommandsWithScope(tgbotapi.BotCommandScope{Type: "everyone"}, en...))
	wantAPIError(t, err, 400, "Bad Request: can't parse BotCommandScope: Unsupported type specified")
}

func TestCallbackAnswerRecorded(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	msg := tgbotapi.NewMessage(ann.ID, "Close the account?")
	msg.ReplyMarkup = keyboard("close")
	if _, err := bot.Send(msg); err != nil {
		t.Fatal(err)
	}
	sent := srv.SentTo(ann.ID)[0]
	if _, err := srv.ClickButton(ann, sent, "close"); err != nil {
		t.Fatal(err)
	}
	ups := poll(t, bot, 0)
	cb := tgbotapi.NewCallbackWithAlert(ups[0].CallbackQuery.ID, "This cannot be undone")
	if _, err := bot.Request(cb); err != nil {
		t.Fatal(err)
	}
	a := srv.CallbackAnswers()
	if len(a) != 1 || a[0].Text != "This cannot be undone" || !a[0].ShowAlert || a[0].ChatID != ann.ID ||
		a[0].MessageID != sent.MessageID || a[0].Data != "close" || a[0].Date.IsZero() {
		t.Errorf("answers = %+v", a)
	}
}
