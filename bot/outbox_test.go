package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
)

// staff is the staff supergroup of the hand-off tests.
const staff = -100777

// enqueueChats queues m1..mEach to chats 1001..1000+chats, interleaved.
func enqueueChats(o *outbox, chats, each int) {
	for i := 1; i <= each; i++ {
		for c := 1; c <= chats; c++ {
			o.enqueue(supportbot.Reply{ChatID: int64(1000 + c), Text: fmt.Sprintf("m%d", i)})
		}
	}
}

// inOrder checks that chat got m1..mN exactly once each, in order.
func inOrder(t *testing.T, srv *telegramtest.Server, chat int64, n int) {
	t.Helper()
	msgs := srv.WaitFor(t, chat, n, 20*time.Second)
	if len(msgs) != n {
		t.Fatalf("chat %d got %d messages, want %d", chat, len(msgs), n)
	}
	for i, m := range msgs {
		if want := fmt.Sprintf("m%d", i+1); m.Text != want {
			t.Fatalf("chat %d message %d = %q, want %q (duplicated or out of order)", chat, i, m.Text, want)
		}
	}
}

func TestOutboxSurvivesRateLimitsAndBadGateways(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.srv.InjectFaults("sendMessage", 15, telegramtest.BadGateway())
	r.srv.InjectFaults("sendMessage", 5, telegramtest.RateLimit(1))
	enqueueChats(r.out, 10, 5)
	r.run(t)
	for c := 1; c <= 10; c++ {
		inOrder(t, r.srv, int64(1000+c), 5)
	}
	r.out.waitDepth(t, 0)
}

func TestOutboxSendsWhatACrashLeftBehind(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	enqueueChats(r.out, 3, 4) // committed before the process "died": nothing was sent
	r.run(t)
	for c := 1; c <= 3; c++ {
		inOrder(t, r.srv, int64(1000+c), 4)
	}
	r.out.waitDepth(t, 0)
}

// A chat that blocked the bot is given up after one try, with its other
// messages, and recorded as unreachable; other chats are not held back.
func TestOutboxGivesUpOnBlockedChatsOnly(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.srv.SetBlocked(1001, true)
	enqueueChats(r.out, 2, 3)
	r.run(t)
	inOrder(t, r.srv, 1002, 3)
	r.out.waitDepth(t, 0)
	if n := len(r.srv.SentTo(1001)); n != 0 {
		t.Errorf("blocked chat got %d messages", n)
	}
	if n := r.srv.Calls("sendMessage"); n > 4 {
		t.Errorf("sendMessage called %d times: a blocked chat should be given up after one try", n)
	}
	if reason, ok := r.out.unreachableChat(1001); !ok || !strings.Contains(reason, "blocked") {
		t.Errorf("chat 1001 unreachable = %v (%q), want it marked with the reason", ok, reason)
	}
	if _, ok := r.out.unreachableChat(1002); ok {
		t.Error("chat 1002 marked unreachable")
	}
}

// "chat not found" is as final as a block.
func TestOutboxGivesUpAChatThatIsGone(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.srv.SetMissing(1001, true)
	r.out.enqueue(supportbot.Reply{ChatID: 1001, Text: "hello?"})
	r.run(t)
	r.out.waitDepth(t, 0)
	if _, ok := r.out.unreachableChat(1001); !ok {
		t.Error("a chat Telegram does not know was not marked unreachable")
	}
}

// A 429 is retried after Telegram's retry_after, not sooner.
func TestOutboxWaitsTheRetryAfterTelegramAsks(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.srv.InjectFaults("sendMessage", 1, telegramtest.RateLimit(1))
	ids := r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "m1"})
	before := time.Now()
	r.run(t)
	inOrder(t, r.srv, alice.ID, 1)
	rs := r.out.retried()
	if len(rs) != 1 || rs[0].ID != ids[0] {
		t.Fatalf("retries = %+v, want one of message %d", rs, ids[0])
	}
	if rs[0].At.Before(before.Add(time.Second)) || rs[0].At.After(rs[0].Called.Add(2*time.Second)) {
		t.Errorf("retried %v after the 429, want retry_after's 1 s", rs[0].At.Sub(rs[0].Called))
	}
	if !strings.Contains(rs[0].Reason, "retry after 1") {
		t.Errorf("retry reason %q", rs[0].Reason)
	}
}

// A chat's messages go out in order even when one of them must be retried:
// the ones behind it wait.
func TestOutboxKeepsAChatsOrderAcrossRetries(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.srv.InjectFaults("sendMessage", 1, telegramtest.BadGateway())
	for i := 1; i <= 3; i++ {
		r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: fmt.Sprintf("m%d", i)})
	}
	r.run(t)
	inOrder(t, r.srv, alice.ID, 3)
	if n := len(r.out.retried()); n != 1 {
		t.Errorf("%d retries, want 1", n)
	}
}

// A read of the outbox made while a chat's message was in flight, returned
// after that message failed and was postponed, still lists the messages
// behind it as due: they must wait for it all the same.
func TestOutboxKeepsOrderWhenAReadIsStale(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	// m1's first attempt is slow and fails: a round runs meanwhile.
	r.srv.InjectFaults("sendMessage", 1, telegramtest.Fault{Status: 502, Delay: 200 * time.Millisecond})
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "m1"}, supportbot.Reply{ChatID: alice.ID, Text: "m2"})
	var once sync.Once
	r.out.AfterRead = func(list []supportbot.OutboxMessage) {
		if len(list) == 0 || list[0].ID != 1 || r.srv.Calls("sendMessage") == 0 {
			return // not a read made while m1 is in flight
		}
		once.Do(func() {
			deadline := time.Now().Add(5 * time.Second)
			for len(r.out.retried()) == 0 && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond) // the sender records the attempt
		})
	}
	r.run(t)
	for r.srv.Calls("sendMessage") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	r.bot.Wake() // a round while m1 is in flight
	inOrder(t, r.srv, alice.ID, 2)
}

// One private chat gets about PerChat messages a second; another chat is
// not held back by it.
func TestOutboxPacesEachChat(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) {
		c.Limits = bot.Limits{PerSecond: 1000, PerChat: 10, PerChatBurst: 1, PerGroupMinute: 6000}
	})
	for i := 1; i <= 8; i++ {
		r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: fmt.Sprintf("m%d", i)})
	}
	r.out.enqueue(supportbot.Reply{ChatID: bob.ID, Text: "m1"})
	start := time.Now()
	r.run(t)
	inOrder(t, r.srv, alice.ID, 8)
	if d := time.Since(start); d < 600*time.Millisecond {
		t.Errorf("8 messages at 10/s took %v, want at least 0.7 s", d)
	}
	sent := r.srv.Sent()
	for i, m := range sent {
		if m.ChatID == bob.ID && i == len(sent)-1 {
			t.Errorf("bob's message went out last, behind alice's paced ones")
		}
	}
}

// The sender reads the outbox again after a failed read.
func TestOutboxReadErrorsAreRetried(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	var fails atomic.Int32
	fails.Store(1)
	r.out.DueErr = func() error {
		if fails.Add(-1) >= 0 {
			return errDatabaseDown
		}
		return nil
	}
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "m1"})
	r.run(t)
	inOrder(t, r.srv, alice.ID, 1)
	if !strings.Contains(r.logs.String(), "read outbox") {
		t.Errorf("the failed read was not logged:\n%s", r.logs)
	}
}

// A ticket's first message creates its forum topic (named TopicName); later
// ones go into it; a topic deleted by hand is made again, so the customer
// never silently disappears; CloseTopic closes it.
func TestOutboxCreatesTopicsAndRecreatesLostOnes(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.out.addTicket(41, 0)
	r.out.enqueue(
		supportbot.Reply{ChatID: staff, TicketID: 41, TopicName: "#T41 Alice", Text: "card"},
		supportbot.Reply{ChatID: staff, TicketID: 41, Text: "👤 hello"})
	r.run(t)
	msgs := r.srv.WaitFor(t, staff, 2, 5*time.Second)
	topic := r.out.topic(41)
	if topic == 0 || msgs[0].ThreadID != topic || msgs[1].ThreadID != topic {
		t.Fatalf("topic %d; messages in threads %d, %d", topic, msgs[0].ThreadID, msgs[1].ThreadID)
	}
	if tp, ok := r.srv.Topic(staff, topic); !ok || tp.Name != "#T41 Alice" {
		t.Errorf("topic = %+v, want named #T41 Alice", tp)
	}

	r.srv.DeleteTopic(staff, topic) // an agent deleted it by hand
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 41, Text: "👤 still there?"})
	r.bot.Wake()
	msgs = r.srv.WaitFor(t, staff, 3, 5*time.Second)
	again := r.out.topic(41)
	if again == 0 || again == topic || msgs[2].ThreadID != again || msgs[2].Text != "👤 still there?" {
		t.Fatalf("after the deletion: topic %d (was %d), message in thread %d", again, topic, msgs[2].ThreadID)
	}
	if tp, _ := r.srv.Topic(staff, again); tp.Name != "#T41" {
		t.Errorf("recreated topic named %q, want #T41", tp.Name)
	}

	ids := r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 41, CloseTopic: true})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	if tp, _ := r.srv.Topic(staff, again); !tp.Closed {
		t.Errorf("topic %d not closed", again)
	}
	if st, _ := r.out.status(ids[0]); st != "sent" {
		t.Errorf("close: %s", st)
	}
}

// A relayed photo is copied into the ticket's topic by id.
func TestOutboxRelaysMediaIntoTheTopic(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.out.addTicket(42, r.srv.CreateTopic(staff, "#T42"))
	photo, ok := r.srv.MessageOf(r.srv.SendPhoto(alice, "photo-file-1", "my receipt"))
	if !ok {
		t.Fatal("no photo message")
	}
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 42, CopyFromChat: alice.ID, CopyFromMessage: photo.MessageID})
	r.run(t)
	msgs := r.srv.WaitFor(t, staff, 1, 5*time.Second)
	if m := msgs[0]; m.Method != "copyMessage" || m.ThreadID != r.out.topic(42) || m.FileID != "photo-file-1" || m.CopyOfMessage != photo.MessageID {
		t.Errorf("relayed = %+v", m)
	}
}

// A staff chat that refuses the bot (removed, forum off) gives the hand-off
// up at once, and says so, so the customer is not left waiting on a relay.
func TestOutboxTellsWhenTheStaffChatRefusesTheBot(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var gaveUp []supportbot.Reply
	r := newRig(t, func(c *bot.Config) {
		c.GaveUp = func(_ context.Context, rep supportbot.Reply) { mu.Lock(); gaveUp = append(gaveUp, rep); mu.Unlock() }
	})
	r.srv.SetBlocked(staff, true) // the bot was removed from the group
	r.out.addTicket(43, 0)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 43, TopicName: "#T43", Text: "card"})
	r.run(t)
	r.out.waitDepth(t, 0)
	deadline := time.Now().Add(5 * time.Second)
	for {
		mu.Lock()
		n := len(gaveUp)
		mu.Unlock()
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(gaveUp) != 1 || gaveUp[0].TicketID != 43 {
		t.Errorf("GaveUp told %+v, want ticket 43", gaveUp)
	}
}

// At Telegram's published limits the sender stays under the fake's flood
// limit of 30 messages in any second (a full bucket on top of the rate
// used to send 60 in its first second: 30 answered 429). Network jitter or
// a stalled machine can bring sends closer than the limiter spaced them: a
// few may meet it.
func TestOutboxKeepsToTheFloodLimit(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.Limits = bot.DefaultLimits },
		telegramtest.WithRateLimits(telegramtest.RateLimits{GlobalPerSecond: 30}))
	for c := int64(1); c <= 60; c++ {
		r.out.enqueue(supportbot.Reply{ChatID: 1000 + c, Text: "m1"})
	}
	r.run(t)
	r.out.waitDepth(t, 0)
	if n := r.srv.Throttled(); n > 10 {
		t.Errorf("%d sends answered 429 by the flood limit, want next to none", n)
	}
}

// A reply split in parts whose second part is refused (429) is retried from
// that part: the customer does not get the first part again.
func TestOutboxRetriesASplitReplyFromThePartThatFailed(t *testing.T) {
	t.Parallel()
	// One message a second: the second part, sent right after the first,
	// is answered 429.
	r := newRig(t, nil, telegramtest.WithRateLimits(telegramtest.RateLimits{GlobalPerSecond: 1}))
	line := strings.Repeat("长", 99) + "\n"
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: strings.Repeat(line, 60)}) // 2 parts
	r.run(t)
	r.out.waitDepth(t, 0)
	msgs := r.srv.SentTo(alice.ID)
	if len(msgs) != 2 || msgs[0].Text == msgs[1].Text {
		t.Errorf("%d messages sent, want the 2 parts once each", len(msgs))
	}
	if n := len(r.out.retried()); n < 1 {
		t.Errorf("the second part was never refused: the test shows nothing")
	}
}
