package bot_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
)

// staffLimits give the staff chat 1200 messages a minute: room enough that
// a test's messages do not wait for the minute.
var staffLimits = bot.Limits{PerSecond: 1000, PerChat: 200, PerChatBurst: 1, PerGroupMinute: 1200}

// budget gives the staff chat n messages a minute (at most n in any
// minute): the first n go at once, shared out between the tickets, the
// rest wait a minute — the contest between tickets without the wait.
func budget(n float64) bot.Limits {
	return bot.Limits{PerSecond: 1000, PerChat: 200, PerChatBurst: 1, PerGroupMinute: n}
}

// relays queues n relayed messages of a ticket: "<prefix>1".."<prefix>n".
func relays(o *outbox, ticket int64, prefix string, n int) {
	for i := 1; i <= n; i++ {
		o.enqueue(supportbot.Reply{ChatID: staff, TicketID: ticket, Text: fmt.Sprintf("%s%d", prefix, i)})
	}
}

// position is the index of the first message sent to the staff chat whose
// text is text, -1 if none.
func position(sent []string, text string) int { return slices.Index(sent, text) }

func staffTexts(r *rig) []string {
	var texts []string
	for _, m := range r.srv.SentTo(staff) {
		texts = append(texts, m.Text)
	}
	return texts
}

// inTurn checks that a ticket's messages went out in order, once each.
func inTurn(t *testing.T, sent []string, prefix string, n int) {
	t.Helper()
	var got []string
	for _, s := range sent {
		if strings.HasPrefix(s, prefix) {
			got = append(got, s)
		}
	}
	for i := range n {
		if i >= len(got) || got[i] != fmt.Sprintf("%s%d", prefix, i+1) {
			t.Fatalf("%s messages out of order or missing: %v", prefix, got)
		}
	}
	if len(got) != n {
		t.Fatalf("%d %s messages sent, want %d", len(got), prefix, n)
	}
}

// Issue 15.6: with 30 relayed messages of one customer queued, a new
// customer's topic and context card reach the staff chat within a few sends,
// not after the 30.
func TestStaffChatNewTicketGoesBeforeRelays(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.Limits = budget(1) })
	r.out.addTicket(1, r.srv.CreateTopic(staff, "#T1"))
	r.out.addTicket(2, 0) // new: no topic yet
	relays(r.out, 1, "a", 30)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 2, TopicName: "#T2 Bob", Text: "card of #T2"})
	r.run(t)
	r.srv.WaitFor(t, staff, 1, 20*time.Second)
	time.Sleep(200 * time.Millisecond) // nothing more within the minute
	if sent := staffTexts(r); len(sent) != 1 || sent[0] != "card of #T2" {
		t.Errorf("the minute's one staff message was %v, want the new ticket's card", sent)
	}
	if r.out.topic(2) == 0 {
		t.Error("no topic recorded for the new ticket")
	}
}

// Tickets of the staff chat take turns under the group's budget: a customer
// with 3 messages behind another's 30 is not served after the 30.
func TestStaffChatTicketsTakeTurns(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.Limits = budget(10) })
	r.out.addTicket(1, r.srv.CreateTopic(staff, "#T1"))
	r.out.addTicket(3, r.srv.CreateTopic(staff, "#T3"))
	relays(r.out, 1, "a", 30)
	relays(r.out, 3, "c", 3)
	r.run(t)
	r.srv.WaitFor(t, staff, 10, 20*time.Second)
	time.Sleep(200 * time.Millisecond) // nothing more within the minute
	sent := staffTexts(r)
	last := position(sent, "c3")
	t.Logf("ticket 3's last message was staff message %d of the minute's %d", last+1, len(sent))
	if last < 0 || len(sent) != 10 {
		t.Errorf("the minute's 10 staff messages were %v, want ticket 3's three among them", sent)
	}
	inTurn(t, sent, "a", 7)
	inTurn(t, sent, "c", 3)
}

// Issue 15.6 end to end, through the store's read: it reads at most 20 due
// messages per queue, and a queue is a chat, a forum topic or a hand-off
// ticket (every ticket's messages have thread 0 in the outbox). When the cap
// was per chat and thread, the new ticket's card was not even read until 11
// of the 30 relays were sent (the 12th staff message of 31).
func TestStaffChatNewTicketGoesBeforeRelaysThroughTheStoresRead(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.Limits = staffLimits })
	r.out.PerChat = 20 // as store.DueMessages reads
	r.out.addTicket(1, r.srv.CreateTopic(staff, "#T1"))
	r.out.addTicket(2, 0)
	relays(r.out, 1, "a", 30)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 2, TopicName: "#T2 Bob", Text: "card of #T2"})
	r.run(t)
	r.srv.WaitFor(t, staff, 31, 20*time.Second)
	if pos := position(staffTexts(r), "card of #T2"); pos < 0 || pos > 2 {
		t.Errorf("the new ticket's card was staff message %d of 31, want among the first 3", pos+1)
	}
}

// Issue 15.7 (what one chat can queue) is bounded where replies are made,
// in the engine's step (flows/flood.go, tested in flows/flood_test.go): the
// sender sends whatever was committed and never drops a reply it cannot
// judge.
