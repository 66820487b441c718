package flows_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportbot"
)

// flood submits n copies of line from chat c at once, as a customer typing
// (or a script) faster than the bot sends, then handles them all.
func (c *chat) flood(line string, n int) {
	c.h.t.Helper()
	c.held(line, n, 0)
}

// held submits n copies of line from chat c at once, as Telegram delivers
// what a customer sent every pace (0: Telegram does not say when) until
// now while the bot was down, then handles them all.
func (c *chat) held(line string, n int, pace time.Duration) {
	c.h.t.Helper()
	evs := make([]supportbot.Event, n)
	for i := range evs {
		ev := supportbot.Event{Kind: supportbot.EventText, Text: line}
		if cmd, ok := strings.CutPrefix(line, "/"); ok {
			name, args, _ := strings.Cut(cmd, " ")
			ev = supportbot.Event{Kind: supportbot.EventCommand, Text: name, Args: args}
		}
		ev.ChatID, ev.UserID, ev.LanguageCode = c.id, c.id, c.lang
		ev.Source = "flood:" + strconv.FormatInt(c.h.source.Add(1), 10)
		if pace > 0 {
			ev.Sent = c.h.clock().Add(-time.Duration(n-i) * pace).Truncate(time.Second)
		}
		evs[i] = ev
	}
	if err := c.h.eng.Submit(context.Background(), evs...); err != nil {
		c.h.t.Fatal(err)
	}
	c.h.drain()
}

// waiting is what waits in the outbox for a chat, without taking it.
func (h *harness) waiting(chatID int64) []supportbot.Reply {
	h.t.Helper()
	msgs, err := h.db.ChatMessages(context.Background(), chatID)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []supportbot.Reply
	for _, m := range msgs {
		out = append(out, m.Reply)
	}
	return out
}

func count(replies []supportbot.Reply, text string) int {
	n := 0
	for _, r := range replies {
		if strings.Contains(r.Text, text) {
			n++
		}
	}
	return n
}

// Issue 15.7: 2,000 messages from one chat queued 1,969 replies, half an
// hour at Telegram's one message a second per chat. What one chat queues is
// bounded, and the flooding customer is told once to slow down.
func TestFloodingChatQueuesABoundedFewAndIsToldOnce(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang) // 张伟 reads Chinese: his language on file
	slowDown := h.cat.T(supportbot.LangZH, "flood.slow_down")
	// Every /repay shows a new step's buttons (and takes the last one's
	// off): no two replies are alike, nothing collapses.
	c.flood("/repay", 1000)
	got := h.waiting(c.id)
	t.Logf("1,000 messages queued %d replies", len(got))
	if len(got) > 15 {
		t.Errorf("1,000 messages queued %d replies, want a bounded few (about 10)", len(got))
	}
	if n := count(got, slowDown); n != 1 {
		t.Errorf("told to slow down %d times, want once:\n%s", n, texts(got))
	} else if !strings.Contains(got[len(got)-1].Text, slowDown) {
		t.Errorf("the notice is not the last reply queued:\n%s", texts(got))
	}

	// Another chat is not held back.
	other := h.chat(200, "zh")
	other.send("/start")
	other.expect("你好")

	// The backlog goes out; the customer floods again within 10 minutes:
	// bounded again, and not told again.
	c.inbox()
	h.advance(5 * time.Minute)
	c.flood("/repay", 100)
	got = h.waiting(c.id)
	if len(got) > 15 || count(got, slowDown) != 0 {
		t.Errorf("a second flood 5 minutes later queued %d replies, %d notices; want a few, no notice:\n%s",
			len(got), count(got, slowDown), texts(got))
	}
	// Ten minutes after the notice, a flood is told again.
	c.inbox()
	h.advance(6 * time.Minute)
	c.flood("/repay", 100)
	if n := count(h.waiting(c.id), slowDown); n != 1 {
		t.Errorf("a flood 11 minutes after the notice was told %d times, want once", n)
	}
	// Once the backlog is sent, the customer is answered again.
	c.inbox()
	c.send("/help")
	c.expect("/repay")
}

// A customer who wrote every 2.5 s while the bot was down for 45 s is not
// flooding: Telegram delivers all of it at once when the bot is back, and
// every message is answered. A flood held up the same way is still bounded,
// by the larger bound, and told to slow down.
func TestHeldUpMessagesAreAllAnswered(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.inbox()
	slowDown := h.cat.T(supportbot.LangZH, "flood.slow_down")
	c.held("/repay", 18, 2500*time.Millisecond)
	got := h.waiting(c.id)
	if n := count(got, slowDown); n != 0 || len(got) < 18 {
		t.Errorf("18 messages sent every 2.5 s during an outage queued %d replies and %d slow-down notices, want one reply each, no notice:\n%s",
			len(got), n, texts(got))
	}
	c.inbox()
	c.held("/repay", 1000, 50*time.Millisecond)
	got = h.waiting(c.id)
	if n := count(got, slowDown); n != 1 || len(got) > 70 {
		t.Errorf("1,000 messages held up in an outage queued %d replies and %d notices, want about 60 and one", len(got), n)
	}
	// Typed over a backlog the customer can see: the usual bound.
	c.inbox()
	h.advance(11 * time.Minute)
	c.flood("/repay", 10)
	h.advance(30 * time.Second)
	c.held("/repay", 100, 10*time.Millisecond)
	if got := h.waiting(c.id); len(got) > 15 {
		t.Errorf("100 messages typed after 10 replies were queued: %d replies, want about 10", len(got))
	}
}

// A reply identical to the one last waiting for the chat is not queued
// twice; one said again after something else is.
func TestRepeatedRepliesCollapse(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.flood("/help", 50)
	if got := h.waiting(c.id); len(got) != 1 {
		t.Errorf("50 /help queued %d replies while the first waited, want 1:\n%s", len(got), texts(got))
	}
	c.flood("/lang zh", 1)
	c.flood("/lang en", 1)
	c.flood("/lang zh", 1)
	if got := h.waiting(c.id); len(got) != 4 {
		t.Errorf("/lang zh, en, zh after /help queued %d replies in all, want 4:\n%s", len(got), texts(got))
	}
	c.inbox()
	c.send("/help")
	if len(c.last) != 1 {
		t.Errorf("/help once the reply was sent: %d replies, want 1", len(c.last))
	}
}

// What the customer did not cause at that moment is never dropped: an
// agent's reply reaches a chat over its bound, and what the customer sends
// while handed off still reaches the agent.
func TestAgentRepliesAndRelaysAreNotBounded(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	var backlog []supportbot.Reply
	for i := range 12 {
		backlog = append(backlog, supportbot.Reply{ChatID: c.id, Text: "queued " + strconv.Itoa(i)})
	}
	if err := h.db.Enqueue(context.Background(), backlog); err != nil {
		t.Fatal(err)
	}
	h.agent(7, "小李", topic).send("请稍等，我查一下")
	if got := h.waiting(c.id); count(got, "请稍等，我查一下") != 1 {
		t.Errorf("the agent's reply did not reach a chat over its bound:\n%s", texts(got))
	}
	c.flood("我的账单怎么还是不对", 30)
	n := 0 // a burst is one post in the topic, edited as it grows: count its lines
	for _, r := range h.staff() {
		n += strings.Count(r.Text, "我的账单怎么还是不对")
	}
	if n != 30 {
		t.Errorf("%d of 30 messages relayed to the agent, want all", n)
	}
}

// TestAYesTypedBeforeTheStepWasSeenConfirmsNothing: a quote still waiting
// behind other replies (Telegram's one message a second per chat) was paid
// by a "确认" typed under the quote before it, for another plan; one the
// per-chat bound dropped was paid unseen (a probe). A yes typed while the
// step's message still waits is asked again, and a step whose message was
// dropped is left.
func TestAYesTypedBeforeTheStepWasSeenConfirmsNothing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(660, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	c.press("Redmi K70")
	c.flood("笔记本那个呢", 1) // quoted, the quote not yet sent
	c.send("确认")
	c.expect("还没到你那里", "¥3,045.00")
	if n := len(h.repayments("C1")); n != 0 {
		t.Fatalf("%d repayments after a yes typed before the quote was sent, want none", n)
	}

	c.send("确认") // now in the chat
	c.expect("还款成功")

	// Dropped by the per-chat bound: the step is left.
	h, c = faqSession(t, 661)
	c.send("/repay")
	c.press("Xiaomi Book")
	for _, q := range []string{"提前还款有手续费吗", "逾期会影响征信吗", "怎么绑定银行卡", "怎么注销账户", "退款多久到账", "滞纳金怎么算",
		"怎么开自动还款", "还款失败怎么办", "能改还款日吗", "怎么联系客服", "分期能关掉吗"} {
		c.flood(q, 1) // eleven answers, none sent yet
	}
	c.flood("手机那个呢", 1)
	if w := h.waiting(c.id); slices.ContainsFunc(w, func(r supportbot.Reply) bool { return strings.Contains(r.Text, "¥1,511.48") }) {
		t.Fatal("the quote was queued over the bound")
	}
	h.take(c.id)
	c.send("确认")
	c.reject("还款成功", "正在从")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments after a yes to a dropped quote, want none", n)
	}
}
