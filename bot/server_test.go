package bot_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
)

func TestBadTokenFailsClearly(t *testing.T) {
	t.Parallel()
	srv := telegramtest.Start(t)
	_, err := bot.New(t.Context(), bot.Config{Token: "999:WRONG", Endpoint: srv.Endpoint(), Outbox: newOutbox(), ChatRefs: testRefs(t)}, newHandler())
	if !errors.Is(err, bot.ErrUnauthorized) {
		t.Fatalf("New with a bad token: %v, want ErrUnauthorized", err)
	}
	if strings.Contains(err.Error(), "999:WRONG") {
		t.Errorf("error shows the token: %v", err)
	}
}

// TestAShutdownDuringTelegramsFloodWaitAtStartIsNotHeldUp: getMe answers
// 429 with a long retry_after (a flood wait can be hours): a shutdown
// meanwhile ends New at once, with an error that says why.
func TestAShutdownDuringTelegramsFloodWaitAtStartIsNotHeldUp(t *testing.T) {
	t.Parallel()
	srv := telegramtest.Start(t)
	srv.InjectFaults("getMe", 5, telegramtest.RateLimit(3600))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	done := make(chan error, 1)
	go func() {
		_, err := bot.New(ctx, bot.Config{Token: srv.Token(), Endpoint: srv.Endpoint(), Outbox: newOutbox(), ChatRefs: testRefs(t)}, newHandler())
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "retry after") {
			t.Errorf("New after a shutdown in a flood wait: %v, want the cancellation and the 429", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("New was still waiting out the flood wait 30 s after the shutdown")
	}
}

func TestNewRequiresAnOutbox(t *testing.T) {
	t.Parallel()
	srv := telegramtest.Start(t)
	if _, err := bot.New(t.Context(), bot.Config{Token: srv.Token(), Endpoint: srv.Endpoint(), ChatRefs: testRefs(t)}, newHandler()); err == nil {
		t.Fatal("New without an outbox: no error; replies would have nowhere to go")
	}
}

func TestNewRequiresChatRefs(t *testing.T) {
	t.Parallel()
	srv := telegramtest.Start(t)
	if _, err := bot.New(t.Context(), bot.Config{Token: srv.Token(), Endpoint: srv.Endpoint(), Outbox: newOutbox()}, newHandler()); err == nil {
		t.Fatal("New without chat references: no error; the log would name chats otherwise than the engine")
	}
}

func TestRegistersCommandsAndSubmitsEvents(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) {
		c.Commands = map[string][]bot.Command{"": {{Command: "start", Description: "开始"}}}
	})
	r.echo()
	r.run(t)
	r.srv.SendText(alice, "/bill@OtherBot") // another bot's command: not ours to run (a probe ran /bill)
	startID := r.srv.SendText(alice, "/start@test_bot now")
	msgs := r.srv.WaitFor(t, alice.ID, 1, 5*time.Second)
	if got := msgs[0].Text; got != "command:start" {
		t.Errorf("reply = %q, want command:start", got)
	}
	if cmds := r.srv.Commands(); len(cmds) == 0 || cmds[0].Command != "start" {
		t.Errorf("commands = %+v, want start registered", cmds)
	}
	r.srv.PressButton(alice, msgs[0], msgs[0].Buttons()[0].Data)
	msgs = r.srv.WaitFor(t, alice.ID, 2, 5*time.Second)
	if got := msgs[1].Text; got != "button:againd:start" {
		t.Errorf("reply = %q, want button:againd:start (the label, then the data)", got)
	}
	if err := waitAnswered(r.srv); err != nil {
		t.Errorf("callback queries left unanswered %v: %v", r.srv.UnansweredCallbacks(), err)
	}
	contactID := r.srv.ShareContact(alice, "8613800138000", alice.ID)
	r.srv.WaitFor(t, alice.ID, 3, 5*time.Second)

	// The echo replies from inside Submit, before the fake records the
	// commit: wait for the record, not only the reply.
	evs := r.h.waitEvents(t, 3)
	if len(evs) != 3 {
		t.Fatalf("events = %+v, want 3", evs)
	}
	cmd, button, contact := evs[0], evs[1], evs[2]
	if cmd.Kind != supportbot.EventCommand || cmd.Text != "start" || cmd.Args != "now" {
		t.Errorf("command event = %+v, want start with args \"now\"", cmd)
	}
	if cmd.UpdateID != startID || cmd.Source != supportbot.UpdateSource(startID) || cmd.MessageID == 0 {
		t.Errorf("command event: update %d source %q message %d, want update %d and its source",
			cmd.UpdateID, cmd.Source, cmd.MessageID, startID)
	}
	if button.Kind != supportbot.EventButton || button.Data != "d:start" || button.ChatID != alice.ID {
		t.Errorf("button event = %+v", button)
	}
	if contact.Kind != supportbot.EventContact || contact.Phone != "8613800138000" || contact.ContactUserID != alice.ID ||
		contact.UserID != alice.ID || contact.LanguageCode != "en" || contact.FirstName != "Alice" ||
		contact.Source != supportbot.UpdateSource(contactID) {
		t.Errorf("contact event = %+v", contact)
	}
}

// TestAHangingCallbackAnswerHoldsUpNoOtherPress: answerCallbackQuery hangs
// for the first 8 presses (as many as are answered at once). The library's
// requests take no context, so each used to hold its slot until the long
// poll's client gave up (11 s here): those 8 spinners were never stopped and
// every later press waited. Each answer now gives up within seconds and is
// tried again: all 12 spinners stop well before one hung call would end.
func TestAHangingCallbackAnswerHoldsUpNoOtherPress(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.echo()
	r.run(t)
	r.srv.SendText(alice, "/start")
	msgs := r.srv.WaitFor(t, alice.ID, 1, 5*time.Second)
	r.srv.InjectFaults("answerCallbackQuery", 8, telegramtest.Delay(30*time.Second))
	for range 12 {
		r.srv.PressButton(alice, msgs[0], msgs[0].Buttons()[0].Data)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	if err := r.srv.WaitAnswered(ctx); err != nil {
		t.Errorf("presses left spinning behind hung answers %v: %v", r.srv.UnansweredCallbacks(), err)
	}
}

func TestIgnoresGroupsChannelsAndOddUpdates(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.echo()
	r.run(t)
	r.srv.SendGroupText(-100123, 0, alice, "hello group")
	r.srv.PushRawUpdate([]byte(`{"channel_post":{"message_id":1,"date":1,"chat":{"id":-1009,"type":"channel"},"text":"x"}}`))
	r.srv.PushRawUpdate([]byte(`{"edited_message":{"message_id":1,"date":1,"chat":{"id":-100123,"type":"supergroup"},"from":{"id":501,"first_name":"A"},"text":"x"}}`))
	r.srv.PushRawUpdate([]byte(`{"message":"this is not an object"}`))
	r.srv.PushRawUpdate([]byte(`{"message":{"message_id":2,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":9,"is_bot":true,"first_name":"B"},"text":"from a bot"}}`))
	r.srv.PushRawUpdate([]byte(`{"message":{"message_id":3,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"first_name":"A"},"pinned_message":{"message_id":1,"date":1,"chat":{"id":501,"type":"private"}}}}`))
	// A button pressed in a group is answered (the client spins otherwise) but not handled.
	r.srv.PushRawUpdate([]byte(`{"callback_query":{"id":"group-q","from":{"id":501,"first_name":"A"},"message":{"message_id":4,"date":1,"chat":{"id":-100123,"type":"supergroup"}},"chat_instance":"1","data":"x"}}`))
	last := r.srv.SendText(alice, "after")
	r.srv.WaitFor(t, alice.ID, 1, 5*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, last); err != nil {
		t.Fatal(err)
	}
	if got := r.h.events(); len(got) != 1 || got[0].Text != "after" {
		t.Errorf("events = %+v, want only the private text", got)
	}
	if n := len(r.srv.SentTo(-100123)); n != 0 {
		t.Errorf("bot answered the group %d times", n)
	}
	if err := waitAnswered(r.srv); err != nil {
		t.Errorf("callback queries left unanswered %v: %v", r.srv.UnansweredCallbacks(), err)
	}
	if !strings.Contains(r.logs.String(), "malformed update skipped") {
		t.Errorf("the malformed update was not logged:\n%s", r.logs)
	}
}

// A corrupt update, one that makes getUpdates' answer not JSON, does not
// stop polling: the updates before and after it in the same batch are
// handled, whether the corrupt one shows its id or not, and so are later ones.
func TestPollingGetsPastAnUnreadableUpdate(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.echo()
	first := r.srv.SendText(alice, "before")
	r.srv.PushRawUpdate(fmt.Appendf(nil, `{"update_id":%d,"message":{"text":"cut off`, first+1))
	r.srv.SendText(alice, "between")
	r.srv.PushRawUpdate([]byte(`{not json`))
	r.srv.PushRawUpdate([]byte(`42`)) // JSON, but no update
	last := r.srv.SendText(alice, "after")
	r.run(t)
	waitConfirmed := func(id int64) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.srv.WaitConfirmed(ctx, id); err != nil {
			t.Fatalf("update %d never confirmed: %v\n%s", id, err, r.logs)
		}
	}
	waitConfirmed(last)
	r.srv.PushRawUpdate([]byte(`{"update_id":`))
	waitConfirmed(r.srv.SendText(alice, "later"))
	var texts []string
	for _, ev := range r.h.events() {
		texts = append(texts, ev.Text)
	}
	if want := []string{"before", "between", "after", "later"}; !slices.Equal(texts, want) {
		t.Errorf("handled %q, want %q", texts, want)
	}
	if n := strings.Count(r.logs.String(), "unreadable update skipped"); n != 3 {
		t.Errorf("%d unreadable updates logged, want 3:\n%s", n, r.logs)
	}
}

// A corrupt update with no id first in line at start (polling starts at
// offset 0, blind) stopped every chat (a probe: the bot restarted with a
// backlog). It asks from after the last update it took, and steps past.
func TestAnUnreadableUpdateFirstAtStartIsSteppedPast(t *testing.T) {
	t.Parallel()
	var taken int64
	r := newRig(t, func(c *bot.Config) {
		c.LastUpdate = func(context.Context) (int64, time.Time, error) { return taken, c.Now(), nil }
	})
	r.echo()
	taken = r.srv.SendText(alice, "taken before the restart")
	if _, err := r.srv.Bot(t).GetUpdates(tgbotapi.UpdateConfig{Offset: int(taken) + 1}); err != nil { // confirmed then
		t.Fatal(err)
	}
	r.srv.PushRawUpdate([]byte(`<<<not json at all>>>`))
	last := r.srv.SendText(alice, "after")
	r.run(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, last); err != nil {
		t.Fatalf("never confirmed: %v\n%s", err, r.logs)
	}
	if got := r.h.events(); len(got) != 1 || got[0].Text != "after" {
		t.Errorf("events = %+v, want only the one after", got)
	}
}

// A page in place of Telegram's answer (a proxy, a captive portal, with a
// 200) is unreadable too, but it is not a corrupt update: nothing is
// skipped, and every update is handled once Telegram answers again.
func TestAProxysPageSkipsNoUpdate(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.echo()
	first := r.srv.SendText(alice, "one")
	r.run(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, first); err != nil {
		t.Fatal(err)
	}
	r.srv.InjectFaults("getUpdates", 6, telegramtest.Fault{Page: "<html><body>Please sign in to the network</body></html>"})
	r.srv.SendText(alice, "two")
	last := r.srv.SendText(alice, "three")
	if err := r.srv.WaitConfirmed(ctx, last); err != nil {
		t.Fatalf("never confirmed: %v\n%s", err, r.logs)
	}
	var texts []string
	for _, ev := range r.h.events() {
		texts = append(texts, ev.Text)
	}
	if want := []string{"one", "two", "three"}; !slices.Equal(texts, want) {
		t.Errorf("handled %q, want %q", texts, want)
	}
	if strings.Contains(r.logs.String(), "unreadable update skipped") {
		t.Errorf("an update was skipped for a proxy's page:\n%s", r.logs)
	}
}

func TestOnlyListedAgentsReachTheEngineFromTheStaffChat(t *testing.T) {
	t.Parallel()
	const staff = -100777
	agent := telegramtest.User{ID: 900, FirstName: "Agent"}
	stranger := telegramtest.User{ID: 901, FirstName: "Mallory"}
	r := newRig(t, func(c *bot.Config) { c.AgentChatID, c.AgentIDs = staff, []int64{agent.ID} })
	r.run(t)
	r.srv.SendGroupText(staff, 0, stranger, "hi all")             // not an agent, in General: not the desk's
	r.srv.SendGroupText(staff, 7, stranger, "/close")             // not an agent, in a topic: marked, for the desk to say so
	r.srv.SendGroupText(-100555, 7, agent, "elsewhere")           // another group
	r.srv.SendGroupText(staff, 7, agent, "/close@OtherHelperBot") // a command for another bot in the group
	r.srv.SendGroupText(staff, 7, agent, "hello from the agent")
	last := r.srv.SendGroupText(staff, 0, agent, "/queue@Test_Bot") // ours, whatever the case
	evs := r.h.waitEvents(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, last); err != nil {
		t.Fatal(err)
	}
	evs = r.h.events()
	if len(evs) != 3 {
		t.Fatalf("events = %+v, want the stranger's in the topic and the agent's two", evs)
	}
	if ev := evs[0]; ev.UserID != stranger.ID || !ev.Unlisted || ev.ThreadID != 7 {
		t.Errorf("stranger's message in the topic = %+v, want it marked unlisted", ev)
	}
	if ev := evs[1]; ev.ChatID != staff || ev.UserID != agent.ID || ev.ThreadID != 7 || ev.Text != "hello from the agent" || ev.Unlisted {
		t.Errorf("agent's message = %+v, want it in topic 7", ev)
	}
	if ev := evs[2]; ev.Kind != supportbot.EventCommand || ev.Text != "queue" || ev.ThreadID != 0 {
		t.Errorf("agent's command = %+v", ev)
	}
}

func TestConfirmsUpdatesOnlyAfterSubmit(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	release := make(chan struct{})
	r.h.SubmitFunc = func(context.Context, []supportbot.Event) error { <-release; return nil }
	r.run(t)
	id := r.srv.SendText(alice, "slow")
	time.Sleep(1500 * time.Millisecond) // a full poll cycle while Submit is blocked
	if off := r.srv.Offset(); off > id {
		t.Fatalf("offset %d confirmed update %d before it was committed", off, id)
	}
	close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, id); err != nil {
		t.Fatal(err)
	}
}

// A Submit that fails (the database is down) confirms nothing: the same
// updates come again, and once the database is back each is committed once.
func TestFailingSubmitGetsTheSameUpdatesAgain(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	var failures atomic.Int32
	failures.Store(2)
	r.h.SubmitFunc = func(context.Context, []supportbot.Event) error {
		if failures.Add(-1) >= 0 {
			return errDatabaseDown
		}
		return nil
	}
	first := r.srv.SendText(alice, "one")
	second := r.srv.SendText(bob, "two")
	r.run(t)
	evs := r.h.waitEvents(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, second); err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Source != supportbot.UpdateSource(first) || evs[1].Source != supportbot.UpdateSource(second) {
		t.Fatalf("committed %+v, want updates %d and %d once each", evs, first, second)
	}
	calls := r.h.calls()
	if len(calls) != 3 {
		t.Fatalf("Submit called %d times, want 2 failures and 1 success", len(calls))
	}
	for i, c := range calls {
		if len(c) != 2 || c[0].Source != evs[0].Source || c[1].Source != evs[1].Source {
			t.Errorf("call %d carried %+v, want the same two updates every time", i, c)
		}
	}
	if !strings.Contains(r.logs.String(), errDatabaseDown.Error()) {
		t.Errorf("the failure was not logged:\n%s", r.logs)
	}
}

// Update ids start at 0 on a new bot; update 0 is an update like any other
// and keeps its own Source (the inbox deduplicates by it).
func TestUpdateZeroKeepsItsSource(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, telegramtest.WithFirstUpdateID(0))
	r.run(t)
	if id := r.srv.SendText(alice, "first ever"); id != 0 {
		t.Fatalf("first update id = %d, want 0", id)
	}
	next := r.srv.SendText(alice, "second")
	evs := r.h.waitEvents(t, 2)
	if evs[0].Source != "u:0" || evs[0].UpdateID != 0 || evs[1].Source != supportbot.UpdateSource(next) {
		t.Errorf("sources %q, %q; want u:0 and %s", evs[0].Source, evs[1].Source, supportbot.UpdateSource(next))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, next); err != nil {
		t.Fatal(err)
	}
}

func TestRetriesRateLimitsAndBadGateways(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.echo()
	r.srv.InjectFaults("sendMessage", 1, telegramtest.RateLimit(1))
	r.srv.InjectFaults("sendMessage", 2, telegramtest.BadGateway())
	r.srv.InjectFaults("getUpdates", 1, telegramtest.BadGateway())
	r.run(t)
	r.srv.SendText(alice, "hello")
	msgs := r.srv.WaitFor(t, alice.ID, 1, 15*time.Second)
	if msgs[0].Text != "text:hello" {
		t.Errorf("reply = %q", msgs[0].Text)
	}
	if n := r.srv.Calls("sendMessage"); n < 4 {
		t.Errorf("sendMessage calls = %d, want the 3 failures retried", n)
	}
	if n := len(r.srv.SentTo(alice.ID)); n != 1 {
		t.Errorf("%d messages delivered, want 1", n)
	}
}

// Long replies are split at Telegram's limit of 4096 UTF-16 code units,
// on line boundaries where there are some; the keyboard goes with the last.
func TestSplitsLongRepliesAtTelegramsLimit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, text string
		parts      int
	}{
		{"lines of Chinese", strings.Repeat(strings.Repeat("长", 99)+"\n", 60), 2}, // 6000 characters
		// 3000 characters but 6000 UTF-16 units: one message by rune count
		// would be refused as too long.
		{"emoji", strings.Repeat("😀", 3000), 2},
		{"exactly the limit", strings.Repeat("a", 4096), 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, nil)
			r.run(t)
			r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: tt.text, Buttons: [][]supportbot.Button{{{Text: "ok", Data: "ok"}}}})
			r.bot.Wake()
			msgs := r.srv.WaitFor(t, alice.ID, tt.parts, 5*time.Second)
			r.out.waitDepth(t, 0)
			if len(msgs) != tt.parts {
				t.Fatalf("%d parts, want %d", len(msgs), tt.parts)
			}
			var joined []string
			for i, m := range msgs {
				if n := len(utf16.Encode([]rune(m.Text))); n > 4096 {
					t.Errorf("part %d has %d UTF-16 units", i, n)
				}
				if wantKB := i == len(msgs)-1; (len(m.Buttons()) > 0) != wantKB {
					t.Errorf("part %d has %d buttons: the keyboard goes with the last part only", i, len(m.Buttons()))
				}
				joined = append(joined, m.Text)
			}
			sep := ""
			if strings.Contains(tt.text, "\n") {
				sep = "\n"
				if !strings.HasSuffix(msgs[0].Text, "长") {
					t.Errorf("first part does not end on a line boundary")
				}
			}
			if got := strings.Join(joined, sep); strings.TrimRight(got, "\n") != strings.TrimRight(tt.text, "\n") {
				t.Errorf("parts hold %d characters, want %d", len([]rune(got)), len([]rune(tt.text)))
			}
		})
	}
}

func TestStartupWaitsOutATransientError(t *testing.T) {
	t.Parallel()
	srv := telegramtest.Start(t)
	srv.InjectFaults("getMe", 1, telegramtest.RateLimit(1))
	srv.InjectFaults("deleteWebhook", 1, telegramtest.BadGateway())
	b, err := bot.New(t.Context(), bot.Config{Token: srv.Token(), Endpoint: srv.Endpoint(), PollTimeout: time.Second, Outbox: newOutbox(), ChatRefs: testRefs(t)}, newHandler())
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Calls("getMe"); n != 2 {
		t.Errorf("getMe calls = %d, want the 429 retried once", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- b.Run(ctx) }()
	id := srv.SendText(alice, "/start")
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	if err := srv.WaitConfirmed(wctx, id); err != nil {
		t.Error(err)
	}
	cancel()
	<-done
}

func TestPollingTakesDownALeftoverWebhook(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	// Start-up fails to delete it, at once (a 400 is not retried).
	r.srv.InjectFaults("deleteWebhook", 1, telegramtest.Fault{Status: 400})
	api := r.srv.Bot(t)
	if _, err := api.MakeRequest("setWebhook", map[string]string{"url": "https://example.invalid/hook"}); err != nil {
		t.Fatal(err)
	}
	r.run(t)
	id := r.srv.SendText(alice, "/start")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, id); err != nil {
		t.Fatal(err)
	}
	r.h.waitEvents(t, 1)
	if n := r.srv.Calls("deleteWebhook"); n != 2 {
		t.Errorf("deleteWebhook calls = %d, want the failed one and the one after getUpdates' 409", n)
	}
}

// Transport errors carry the request URL, and the URL carries the token:
// what the adapter logs never shows it (every rig checks its log).
func TestTokenNeverInLogs(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.echo()
	r.srv.InjectFaults("getUpdates", 1, telegramtest.ConnReset())
	r.srv.InjectFaults("sendMessage", 1, telegramtest.ConnReset())
	r.run(t)
	r.srv.SendText(alice, "hi")
	r.srv.WaitFor(t, alice.ID, 1, 15*time.Second)
	logs := r.logs.String()
	if !strings.Contains(logs, "getUpdates failed") || !strings.Contains(logs, "send failed") {
		t.Fatalf("the transport errors were not logged:\n%s", logs)
	}
	if !strings.Contains(logs, "<token>") {
		t.Errorf("the log should show where the token was scrubbed:\n%s", logs)
	}
}

// A failed send is logged with the chat named by its keyed reference, as
// the engine names it: not its id, nor a hash anyone can undo.
func TestSendFailureLogNamesTheChatByItsKeyedReference(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.echo()
	r.srv.InjectFaults("sendMessage", 1, telegramtest.ConnReset())
	r.run(t)
	r.srv.SendText(alice, "hi")
	r.srv.WaitFor(t, alice.ID, 1, 15*time.Second)
	m := regexp.MustCompile(`msg="send failed[^"]*" .*chat=(\S+)`).FindStringSubmatch(r.logs.String())
	if m == nil {
		t.Fatalf("the failed send was not logged with its chat:\n%s", r.logs)
	}
	sum := sha256.Sum256([]byte("chat:" + strconv.FormatInt(alice.ID, 10)))
	unkeyed := hex.EncodeToString(sum[:6])
	if got, want := m[1], r.cfg.ChatRefs.Of(alice.ID); got != want {
		t.Errorf("the failed send's log line names the chat %s, want %s (keyed; the unkeyed hash is %s, the id %d)",
			got, want, unkeyed, alice.ID)
	}
}

// On shutdown Run stops taking updates and sends what the outbox holds
// before it returns.
func TestShutdownFlushesTheOutbox(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	stop := r.run(t)
	id := r.srv.SendText(alice, "hello")
	r.h.waitEvents(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, id); err != nil {
		t.Fatal(err)
	}
	// Committed just before the stop, without a Wake: only the flush sends them.
	for _, chat := range []int64{alice.ID, bob.ID} {
		r.out.enqueue(supportbot.Reply{ChatID: chat, Text: "m1"}, supportbot.Reply{ChatID: chat, Text: "m2"})
	}
	stop()
	for _, chat := range []int64{alice.ID, bob.ID} {
		if msgs := r.srv.SentTo(chat); len(msgs) != 2 || msgs[0].Text != "m1" || msgs[1].Text != "m2" {
			t.Errorf("chat %d got %d messages by the time Run returned, want m1, m2", chat, len(msgs))
		}
	}
	if n := r.out.depth(); n != 0 {
		t.Errorf("%d messages left in the outbox", n)
	}
}

// A flush cannot hold shutdown longer than FlushTimeout.
func TestShutdownFlushIsBounded(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.FlushTimeout = 500 * time.Millisecond })
	r.srv.InjectFaults("sendMessage", -1, telegramtest.BadGateway())
	stop := r.run(t)
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "never delivered"})
	r.bot.Wake()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	stop()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Run took %v to stop with FlushTimeout 500ms", d)
	}
	if st, _ := r.out.status(1); st != "pending" {
		t.Errorf("the undelivered message is %q, want still pending for the next run", st)
	}
}

// A send Telegram never answers does not hold shutdown past FlushTimeout
// either (it held it until the client's 40 s timeout): the request is
// abandoned, and the message stays pending for the next run.
func TestShutdownEndsAHungSend(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.FlushTimeout = 500 * time.Millisecond })
	r.srv.InjectFaults("sendMessage", -1, telegramtest.Delay(time.Minute))
	stop := r.run(t)
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "hangs"})
	r.bot.Wake()
	for r.srv.Calls("sendMessage") == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	stop()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Run took %v to stop with a send hung and FlushTimeout 500ms", d)
	}
	if st, _ := r.out.status(1); st != "pending" {
		t.Errorf("the message whose send hung is %q, want pending for the next run", st)
	}
}

// An album split between getUpdates answers (its items arrived one by one)
// is still answered once: the items after the first are marked as such, as
// the webhook marks them (a probe's album of 3 got the caption's answer and
// a "text only" reply).
func TestAnAlbumSplitBetweenBatchesIsMarked(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil, telegramtest.WithUpdatesPerPoll(2))
	first := r.srv.SendText(alice, "one")
	r.run(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.srv.WaitConfirmed(ctx, first); err != nil {
		t.Fatal(err)
	}
	ids, err := r.srv.SendAlbum(alice.ID, 0, alice, telegramtest.Media{FileID: "p1", Caption: "扣了两次钱"},
		telegramtest.Media{FileID: "p2"}, telegramtest.Media{FileID: "p3"})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.srv.WaitConfirmed(ctx, ids[2]); err != nil {
		t.Fatalf("never confirmed: %v\n%s", err, r.logs)
	}
	var marks []bool
	for _, ev := range r.h.events()[1:] {
		marks = append(marks, ev.AlbumItem)
	}
	if len(marks) != 2 || marks[0] || !marks[1] {
		t.Errorf("album events marked %v; want two (items 1–2, then 3), the second marked", marks)
	}
}
