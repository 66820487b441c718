package flows_test

// The agent desk (issue 21), step by step in the engine: what the staff
// chat and the customer get for each thing an agent or a customer does.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
	"supportbot/locale"
	"supportbot/store"
)

// posts keeps the replies that post in the staff chat (not reactions, topic
// renames or closes without a note).
func posts(replies []supportbot.Reply) []supportbot.Reply {
	var out []supportbot.Reply
	for _, r := range replies {
		if r.Text != "" {
			out = append(out, r)
		}
	}
	return out
}

// renames are the topic names the replies set.
func renames(replies []supportbot.Reply) []string {
	var out []string
	for _, r := range replies {
		if r.EditTopic {
			out = append(out, r.TopicName)
		}
	}
	return out
}

// A burst of a customer's messages is one post in the topic: while the
// staff chat has not sent it yet, only the newest version waits (one send,
// not ten); an agent's answer starts a new post below it.
func TestABurstIsOnePostInTheTopic(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	for _, line := range []string{"在吗", "我的账单不对", "扣了两次", "第 4 句", "第 5 句", "第 6 句", "第 7 句", "第 8 句", "第 9 句", "第 10 句"} {
		c.send(line)
	}
	staff := h.staff()
	if len(staff) != 1 || !strings.HasPrefix(staff[0].Text, "👤 在吗\n👤 我的账单不对\n") || strings.Count(staff[0].Text, "👤") != 10 {
		t.Fatalf("staff outbox after a burst of ten: %+v; want one post of ten lines", staff)
	}
	first := staff[0].Track
	c.send("还有一句") // the post was sent: this edits it (same track)
	if staff := h.staff(); len(staff) != 1 || staff[0].Track != first || strings.Count(staff[0].Text, "👤") != 11 {
		t.Errorf("after the post was sent: %+v; want it again with eleven lines, same track", staff)
	}
	h.agent(7, "小李", topic).send("您好")
	c.inbox()
	c.send("好的")
	if staff := h.staff(); len(staff) != 1 || staff[0].Track == first || staff[0].Text != "👤 好的" {
		t.Errorf("after an agent's answer: %+v; want a new post", staff)
	}
	// Anything the desk does in the topic comes below the post, and ends
	// it: the next line is a new post under it, which notifies (a probe:
	// after a transfer the line was edited into the post above, and the
	// new holder never saw it).
	h.agent(8, "王丽", topic).send("/claim")
	h.staff()
	c.send("还在吗")
	if staff := h.staff(); len(staff) != 1 || staff[0].Text != "👤 还在吗" {
		t.Errorf("after an agent's command in the topic: %+v; want a new post", staff)
	}
	// A post also ends after a while.
	h.advance(6 * time.Minute)
	c.send("过了很久")
	if staff := h.staff(); len(staff) != 1 || staff[0].Text != "👤 过了很久" {
		t.Errorf("six minutes later: %+v; want a new post", staff)
	}
}

// A post grows only while Telegram would take it as one message, counted as
// Telegram counts (an emoji is two): two messages of 1,200 emoji each are
// two posts, not one edit Telegram refuses (found by an outside probe: the
// second message never reached the agent).
func TestABurstOfEmojiStaysWithinOneMessage(t *testing.T) {
	h, c, _ := handedOff(t, "zh")
	angry := strings.Repeat("😡", 1200)
	c.send(angry)
	first := h.staff()
	c.send(angry)
	second := h.staff()
	if len(first) != 1 || len(second) != 1 || second[0].Track == first[0].Track {
		t.Fatalf("posts %+v then %+v; want the second message in a post of its own", first, second)
	}
	for _, p := range append(first, second...) {
		if n := supportbot.TextLen(locale.Plain(p.Text)); n > 4096 {
			t.Errorf("a post of %d characters as Telegram counts them; the limit is 4096", n)
		}
	}
}

// An agent's reply that crosses the customer's /end — relayed to the chat
// after the /end closed the ticket — reaches nobody, and the agent's message
// gets the shrug that says so (found by an outside probe on two instances:
// the reply vanished without a trace).
func TestAReplyCrossingTheEndIsShownNotRelayed(t *testing.T) {
	h, c, _ := handedOff(t, "zh")
	tk, err := h.db.LastTicket(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	c.send("/end")
	h.staff()
	// The agent wrote before the /end was handled; the relay comes after it.
	c.event(supportbot.Event{Kind: supportbot.EventAgent, Agent: &supportbot.AgentEvent{Kind: supportbot.AgentMessage,
		TicketID: tk.ID, AgentID: 7, AgentName: "小李", Text: "还有一件事", MessageID: 555}})
	c.reject("还有一件事")
	staff := h.staff()
	if len(staff) != 1 || staff[0].React != 555 || staff[0].Reaction != "🤷" || staff[0].ChatID != -100 {
		t.Errorf("staff chat got %+v; want a 🤷 on the agent's message 555", staff)
	}
}

// Edits go both ways: the customer's shows as edited in the topic (in place
// while it is in the latest post); an agent's edits the customer's copy,
// and an edit of a message that never reached the customer stays put.
func TestEditsAreRelayedBothWays(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	c.send("是 12 月的账单吗")
	asked := c.sent
	h.staff()
	c.event(supportbot.Event{Kind: supportbot.EventEdit, MessageID: asked, Text: "是 11 月的账单吗"})
	if staff := h.staff(); len(staff) != 1 || staff[0].Text != "👤 是 11 月的账单吗 <i>✏️ 已编辑</i>" {
		t.Errorf("after the customer's edit: %+v", staff)
	}
	if len(c.last) != 0 {
		t.Errorf("the bot answered an edit: %s", c.text())
	}

	a := h.agent(7, "小李", topic)
	a.send("应还 100 元")
	reply := a.sent
	c.inbox()
	track := ""
	for _, r := range c.last {
		if strings.Contains(r.Text, "应还 100 元") {
			track = r.Track
		}
	}
	if track == "" {
		t.Fatalf("the agent's reply carries no track: %+v", c.last)
	}
	edit := supportbot.Event{Source: "test:edit", ChatID: h.agentChat, UserID: 7, FirstName: "小李", ThreadID: topic,
		Kind: supportbot.EventEdit, MessageID: reply, Text: "应还 12.35 元"}
	if err := h.eng.Submit(context.Background(), edit); err != nil {
		t.Fatal(err)
	}
	h.drain()
	c.inbox()
	if len(c.last) != 1 || c.last[0].Track != track || c.last[0].Text != "👩‍💼 小李：应还 12.35 元" {
		t.Errorf("after the agent's edit the customer gets %+v; want their copy (track %s) edited", c.last, track)
	}
	// A note edited: it never reached the customer, nothing does now.
	a.send("/note 客户很着急")
	edit.Source, edit.MessageID, edit.Text = "test:edit2", a.sent, "客户很着急，已解释"
	if err := h.eng.Submit(context.Background(), edit); err != nil {
		t.Fatal(err)
	}
	h.drain()
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("an edited note reached the customer: %s", c.text())
	}
}

// Taking over a ticket someone else holds asks first; confirmed, the one
// who held it is mentioned, the customer told, the audit keeps who did what.
func TestClaimingAHeldTicketAsksFirst(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	li, wang := h.agent(7, "小李", topic), h.agent(8, "王丽", topic)
	li.send("/claim")
	c.inbox()
	staff := wang.send("/claim")
	if len(staff) != 1 || !strings.Contains(staff[0].Text, "正由 小李 处理。要接手吗") || len(staff[0].Buttons) == 0 {
		t.Fatalf("a claim of a held ticket: %+v; want a question with buttons", staff)
	}
	if tk, _ := h.db.OpenTicket(context.Background(), 100); tk.AgentID != 7 {
		t.Errorf("the ticket moved before the question was answered: agent %d", tk.AgentID)
	}
	take := staff[0].Buttons[0][0]
	keep := staff[0].Buttons[0][1]
	// "Leave it": nothing changes, the question says so.
	presses := 0
	press := func(who *agent, b supportbot.Button) []supportbot.Reply {
		presses++
		ev := supportbot.Event{Source: fmt.Sprint("test:press:", presses), ChatID: h.agentChat, UserID: who.id, FirstName: who.name,
			ThreadID: topic, Kind: supportbot.EventButton, Data: b.Data, MessageID: 4242}
		if err := h.eng.Submit(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		h.drain()
		return h.staff()
	}
	if got := press(wang, keep); len(got) != 1 || got[0].Edit != 4242 || !strings.Contains(got[0].Text, "仍由 小李 处理") {
		t.Errorf("leave it: %+v", got)
	}
	// "Take over" pressed by the agent who holds it (a probe: "小李 → 小李",
	// the customer told so): theirs already, nothing moves — and the
	// question is not edited into "cancelled" (a later probe: it said so,
	// and the colleague's press then took over all the same).
	if got := press(li, take); len(got) != 0 {
		t.Errorf("take over by the holder: %+v, want nothing", got)
	}
	if msgs := c.inbox(); len(msgs) != 0 {
		t.Errorf("the customer was told of a take-over by the holder: %+v", msgs)
	}
	got := press(wang, take)
	var note supportbot.Reply
	for _, r := range got {
		if strings.Contains(r.Text, "🔁") {
			note = r
		}
	}
	if !strings.Contains(note.Text, `<a href="tg://user?id=7">小李</a> → <a href="tg://user?id=8">王丽</a>`) {
		t.Errorf("the take-over note does not mention both agents: %+v", got)
	}
	if names := renames(got); len(names) != 1 || names[0] != "🟢 #T1 张伟 C1 · 王丽" {
		t.Errorf("topic names: %q", names)
	}
	c.inbox()
	c.expect("王丽 接手了你的对话")
	tk, _ := h.db.OpenTicket(context.Background(), 100)
	if tk.AgentID != 8 || tk.AgentName != "王丽" {
		t.Errorf("ticket = %+v; want 王丽's", tk)
	}
	// The old question is stale now: pressing it again changes nothing.
	if got := press(li, take); len(got) != 1 || !strings.Contains(got[0].Text, "已失效") {
		t.Errorf("a stale take-over: %+v", got)
	}
	// And "leave it" pressed once it was taken does not say it stays with
	// the one who held it (four presses at once: it overwrote "接手了").
	if got := press(li, keep); len(got) != 1 || !strings.Contains(got[0].Text, "已失效") {
		t.Errorf("a stale leave-it: %+v", got)
	}
	if e := h.audit("ticket_transfer"); len(e) != 1 || e[0].Details["from"] != float64(7) || e[0].Details["to"] != float64(8) ||
		e[0].Details["by"] != float64(8) || e[0].CustomerID != "C1" {
		t.Errorf("transfer audit = %+v", e)
	}
}

// /transfer passes a ticket by name, @username or id; alone it offers the
// agents as buttons; an unknown name is answered with who there is.
func TestTransferToAnotherAgent(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	li := h.agent(7, "小李", topic)
	h.agent(8, "王丽", 99).send("/queue") // 王丽 has been seen in the staff chat
	li.send("/claim")
	c.inbox()
	if got := posts(li.send("/transfer")); len(got) != 1 || len(got[0].Buttons) != 1 || got[0].Buttons[0][0].Text != "→ 王丽" {
		t.Errorf("/transfer alone: %+v; want 王丽 offered", got)
	}
	// Whom it can go to: not 小李, who has it (a probe: she was offered herself).
	if got := posts(li.send("/transfer 老张")); len(got) != 1 || !strings.Contains(got[0].Text, "没有找到客服「老张」。可以转给：王丽") || strings.Contains(got[0].Text, "小李") {
		t.Errorf("/transfer to nobody: %+v", got)
	}
	got := li.send("/transfer 王丽")
	if p := posts(got); len(p) != 1 || !strings.Contains(p[0].Text, "🔁 工单 #T1") || !strings.Contains(p[0].Text, "tg://user?id=8") {
		t.Errorf("/transfer 王丽: %+v", got)
	}
	c.inbox()
	c.expect("王丽 接手了你的对话")
	if tk, _ := h.db.OpenTicket(context.Background(), 100); tk.AgentID != 8 {
		t.Errorf("ticket agent %d, want 8", tk.AgentID)
	}
	// A name two agents share is asked about, each told apart (a desk
	// probe: the first 王丽 seen got it).
	h.agent(9, "小李", 99).send("/queue") // another 小李
	got = posts(h.agent(8, "王丽", topic).send("/transfer 小李"))
	var offered []string
	for _, p := range got {
		for _, row := range p.Buttons {
			offered = append(offered, row[0].Text)
		}
	}
	slices.Sort(offered)
	if len(got) != 1 || !slices.Equal(offered, []string{"→ 小李 7", "→ 小李 9"}) {
		t.Errorf("/transfer to a name two agents share: %+v; want both offered, told apart", got)
	}
	if tk, _ := h.db.OpenTicket(context.Background(), 100); tk.AgentID != 8 {
		t.Errorf("ticket agent %d, want 8 still", tk.AgentID)
	}
}

// Routine commands are acknowledged with a reaction, not a post: the
// staff chat's budget is the customers'. /faq alone lists the topics.
func TestRoutineCommandsAreAcknowledgedWithoutAPost(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	for _, tc := range []struct{ cmd, emoji string }{{"/claim", "👍"}, {"/note 客户想要减免手续费", "✍"}, {"/faq early-repayment-fee", "👌"}} {
		cmd, emoji := tc.cmd, tc.emoji
		got := a.send(cmd)
		if len(posts(got)) != 0 || len(got) == 0 || got[0].Reaction != emoji || got[0].React != a.sent {
			t.Errorf("%s: %+v; want only %s on the command", cmd, got, emoji)
		}
	}
	c.inbox()
	c.expect("ANSWER(early-repayment-fee,zh)")
	got := posts(a.send("/faq"))
	if len(got) != 1 || !strings.Contains(got[0].Text, "<code>early-repayment-fee</code> TITLE(early-repayment-fee)") {
		t.Errorf("/faq alone: %+v", got)
	}
}

// Notes are kept masked and shown on the customer's later cards, with the
// earlier ticket's agent, date and rating; the rating shows in the closed
// topic.
func TestNotesAndRatingsShowOnLaterCards(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("/note 客户卡号 6222 0212 3456 7890 123，解释了滞纳金")
	a.send("/close")
	// The wrap-up note, after the close (a desk probe's got 🤷, and was
	// lost); a phone in it is kept to its last 4 digits.
	if got := a.send("/note 客户另一手机 13800001111"); len(posts(got)) != 0 || len(got) == 0 || got[0].Reaction != "✍" {
		t.Errorf("/note after /close: %+v; want only ✍ on the command", got)
	}
	// /queue in the closed topic, which takes no post: answered in General
	// (a desk probe got nothing back).
	if got := posts(a.send("/queue")); len(got) != 1 || got[0].ThreadID != 0 {
		t.Errorf("/queue in a closed topic: %+v; want one post in General", got)
	}
	c.inbox()
	c.press("4⭐")
	if got := h.staff(); len(got) != 1 || !strings.Contains(got[0].Text, "⭐ 客户评分：4 星") || !got[0].CloseTopic {
		t.Errorf("the rating in the closed topic: %+v", got)
	}
	if r := h.metrics.ratings; len(r) != 1 || r[0] != 4 {
		t.Errorf("ratings counted: %v", r)
	}
	h.advance(24 * time.Hour)
	c.send("我还想问一下提前还款")
	c.send("/agent")
	card := texts(h.staff())
	for _, want := range []string{"以往工单：", "• #T1 2026年11月21日 · 小李 · ⭐ 4 星 · 备注：客户卡号 ", "解释了滞纳金（小李）",
		"客户另一手机 ****1111（小李）", "客户的问题：「我还想问一下提前还款」"} {
		if !strings.Contains(card, want) {
			t.Errorf("the second card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "6222") || strings.Contains(card, "3456 7890") || strings.Contains(card, "13800001111") {
		t.Errorf("a card number reached the card:\n%s", card)
	}
}

// TestRepliesBeforeTheAgentsCloseReachTheCustomer: an agent's answer sent
// just before their /close was dropped with a 🤷 ("closed, not relayed")
// when the customer's chat came to it after the close — the customer got
// the rating request and never the answer (a probe, across instances and
// on one). Replies the desk took while the ticket was open are relayed,
// in order, before the closing notice; the customer's own /end still
// stops the ones after it.
func TestRepliesBeforeTheAgentsCloseReachTheCustomer(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.queue("您好，滞纳金已经为您核实")
	a.queue("还有别的问题随时找我们")
	a.queue("/close")
	h.drain()
	if staff := texts(h.staff()); strings.Contains(staff, "没有转给客户") {
		t.Errorf("the agent was told the replies were not relayed:\n%s", staff)
	}
	c.inbox()
	got := c.text()
	first, second, closed := strings.Index(got, "滞纳金已经为您核实"), strings.Index(got, "还有别的问题"), strings.Index(got, "客服已结束")
	if first < 0 || second < first || closed < second {
		t.Errorf("the customer got, in this order:\n%s\nwant both replies, then the closing notice", got)
	}

	// The customer's own /end before a reply: that reply is not relayed.
	d := h.chat(301, "zh")
	d.identify(phoneBob)
	d.send("/agent")
	b := h.agent(8, "小王", h.topic(301))
	b.send("在的")
	d.inbox()
	d.send("/end")
	if got := texts(b.send("还在吗")); !strings.Contains(got, "没有转给客户") {
		t.Errorf("a reply after the customer's /end: %q", got)
	}
	if d.inbox(); strings.Contains(d.text(), "还在吗") {
		t.Errorf("a reply after the customer's /end reached them: %s", d.text())
	}
}

// /close tells the truth about the rating invitation: a customer who
// blocked the bot gets none, and the closing note says so; one refused
// after it was sent turns the note into "did not reach the customer".
func TestCloseTellsTheTruthAboutTheRating(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	c.event(supportbot.Event{Kind: supportbot.EventMember, Data: "kicked"})
	staff := h.staff()
	if len(posts(staff)) != 1 || !strings.Contains(staff[0].Text, "客户已屏蔽机器人") || renames(staff)[0] != "⛔ #T1 张伟 C1" {
		t.Errorf("after the block: %+v", staff)
	}
	if got := a.send("您好"); len(got) != 1 || got[0].ReplyTo != a.sent || !strings.Contains(got[0].Text, "没有转给客户") {
		t.Errorf("a reply to a customer who blocked the bot: %+v", got)
	}
	if got := texts(a.send("/close")); !strings.Contains(got, "客户已屏蔽机器人，评分邀请无法送达") || strings.Contains(got, "已向客户发送") {
		t.Errorf("/close of a blocked customer's ticket: %q", got)
	}
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("a blocked customer was sent: %s", c.text())
	}

	// Another customer's invitation is refused after it was sent.
	d := h.chat(300, "en")
	d.identify(phoneBob)
	d.send("/agent")
	h.staff()
	b := h.agent(7, "小李", h.topic(300))
	b.send("/close")
	d.inbox()
	var invite supportbot.Reply
	for _, r := range d.last {
		if r.Track != "" {
			invite = r
		}
	}
	if invite.Track == "" {
		t.Fatalf("the rating invitation has no track: %+v", d.last)
	}
	if err := h.eng.Undelivered(context.Background(), supportbot.OutboxMessage{ID: 99, Reply: invite}, supportbot.UndeliveredBlocked); err != nil {
		t.Fatal(err)
	}
	h.drain()
	if got := h.staff(); len(got) != 1 || !strings.Contains(got[0].Text, "评分邀请没有送达客户") || strings.Contains(got[0].Text, "已向客户发送") {
		t.Errorf("after the invitation was refused: %+v", got)
	}
}

// A reply Telegram refused is told in the topic, under the agent's message;
// an unblock is told too, and the topic named back.
func TestRefusedRepliesAndUnblocksAreTold(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("在吗")
	reply := a.sent
	c.inbox()
	if err := h.eng.Undelivered(context.Background(), supportbot.OutboxMessage{ID: 7, Reply: c.last[len(c.last)-1]}, supportbot.UndeliveredBlocked); err != nil {
		t.Fatal(err)
	}
	h.drain()
	staff := h.staff()
	if p := posts(staff); len(p) != 1 || p[0].ReplyTo != reply || !strings.Contains(p[0].Text, "这条回复没有送达：客户已屏蔽机器人") {
		t.Errorf("a refused reply: %+v", staff)
	}
	if n := renames(staff); len(n) != 1 || n[0] != "⛔ #T1 张伟 C1" {
		t.Errorf("topic names %q", n)
	}
	c.event(supportbot.Event{Kind: supportbot.EventMember, Data: "member"})
	staff = h.staff()
	if p := posts(staff); len(p) != 1 || !strings.Contains(p[0].Text, "客户已解除屏蔽") || renames(staff)[0] != "🟢 #T1 张伟 C1 · 小李" {
		t.Errorf("after the unblock: %+v", staff)
	}
}

// A customer whose reply was refused as blocked, writing again with no
// my_chat_member update, is back: the topic is told and named back, their
// words relayed below (a desk probe: ⛔ stayed, and the ticket was not
// waited on).
func TestACustomerWritingAfterARefusalIsBack(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("在吗")
	c.inbox()
	if err := h.eng.Undelivered(context.Background(), supportbot.OutboxMessage{ID: 7, Reply: c.last[len(c.last)-1]}, supportbot.UndeliveredBlocked); err != nil {
		t.Fatal(err)
	}
	h.drain()
	h.staff()
	c.send("不好意思 我回来了")
	staff := h.staff()
	if n := renames(staff); len(n) != 1 || n[0] != "🟢 #T1 张伟 C1 · 小李" || !strings.Contains(texts(staff), "客户已解除屏蔽") ||
		!strings.Contains(texts(staff), "我回来了") {
		t.Errorf("the customer back: %+v", staff)
	}
	c.send("在吗")
	if n := renames(h.staff()); len(n) != 0 {
		t.Errorf("renamed again: %q", n)
	}
}

// /reopen within a day reuses the topic; later it is refused, and said so
// in the general topic (a closed topic takes no post).
func TestReopenWithinADay(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("/close")
	c.inbox()
	got := a.send("/reopen")
	reopened := false
	for _, r := range got {
		reopened = reopened || r.ReopenTopic && r.TicketID != 0
	}
	if !reopened || got[0].Reaction != "👍" {
		t.Errorf("/reopen: %+v", got)
	}
	c.inbox()
	c.expect("小李 重新打开了对话")
	c.send("还有一个问题")
	if staff := h.staff(); len(staff) != 1 || staff[0].TicketID == 0 || staff[0].Text != "👤 还有一个问题" {
		t.Errorf("relayed after the reopen: %+v", staff)
	}
	a.send("/close")
	h.advance(25 * time.Hour)
	if got := a.send("/reopen"); len(got) != 1 || got[0].ThreadID != 0 || !strings.Contains(got[0].Text, "超过 24 小时") {
		t.Errorf("/reopen a day later: %+v", got)
	}
}

// TestAFollowUpNobodyAnswersIsReminded: the agent answered once; the
// customer asked again and nobody answered for 40 minutes of business
// hours, with no reminder in the topic nor a word to the customer (a probe:
// only a ticket never answered was reminded). A follow-up's wait is
// reminded as the first one is, counted from the follow-up.
func TestAFollowUpNobodyAnswersIsReminded(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("您好，请问有什么可以帮你？")
	c.inbox()
	h.advance(30 * time.Minute)
	if n := h.notify(); n != 0 {
		t.Errorf("reminded while nobody waited: %d messages", n)
	}
	c.send("我还有一个问题：扣款失败怎么办")
	h.staff()
	h.advance(3 * time.Minute)
	if n := h.notify(); n != 0 {
		t.Errorf("reminded 3 minutes into the wait: %d messages", n)
	}
	h.advance(3 * time.Minute)
	if n := h.notify(); n != 2 {
		t.Errorf("Notify queued %d messages, want a ⏰ in the topic and a word to the customer", n)
	}
	// Said as a follow-up's wait: not "no agent has answered" (a desk probe).
	if got := texts(h.staff()); !strings.Contains(got, "⏰ 客户追问后已等待 6 分钟") || strings.Contains(got, "尚无客服回复") {
		t.Errorf("the topic got %q, want a ⏰ reminder of a follow-up counting 6 minutes", got)
	}
	c.inbox()
	c.expect("你已等待约 6 分钟")
	h.advance(11 * time.Minute)
	if n := h.notify(); n != 1 {
		t.Errorf("Notify queued %d messages, want a 🚨 in the topic", n)
	}
	if got := texts(h.staff()); !strings.Contains(got, "🚨 客户追问后已等待 17 分钟") {
		t.Errorf("the topic got %q, want a 🚨 of a follow-up", got)
	}
	a.send("扣款失败的话请换一张卡再试")
	c.inbox()
	h.advance(time.Hour)
	if n := h.notify(); n != 0 {
		t.Errorf("reminded after the answer: %d messages", n)
	}
}

// TestACustomerWhoBlockedTheBotKeepsNoOneWaiting: the first customer in
// the queue blocked the bot; the next was told they were second (a probe).
// A ticket whose chat is unreachable counts for no one's place.
func TestACustomerWhoBlockedTheBotKeepsNoOneWaiting(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	first := h.chat(100, "zh")
	first.identify(phoneZhang)
	first.send("/agent")
	first.expect("第 1 位")
	first.event(supportbot.Event{Kind: supportbot.EventMember, Data: "kicked"})
	next := h.chat(101, "zh")
	next.identify(phoneWang)
	next.send("/agent")
	next.expect("第 1 位")
	next.reject("第 2 位")
}

// TestAReopenAtAQuoteSaysTheQuoteIsGone: the customer was at a payoff quote
// when the agent reopened the chat; the quote's buttons went and a typed
// "确认" would go to the agent, with no word of it (a probe). The reopen
// says the step was closed and nothing was charged.
func TestAReopenAtAQuoteSaysTheQuoteIsGone(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("/close")
	c.inbox()
	c.send("/repay")
	c.press("Xiaomi Book")
	c.expect("合计应付")
	a.send("/reopen")
	c.inbox()
	c.expect("你刚才在办理的步骤已经关闭", "没有扣款", "小李 重新打开了对话")
	c.send("确认")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments after the reopen", n)
	}
}

// threeQueued opens a desk with three customers in its queue, in order.
func threeQueued(t *testing.T) (*harness, []*chat) {
	t.Helper()
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	var chats []*chat
	for i, id := range []int64{100, 200, 300} {
		c := h.chat(id, "zh")
		c.send("/agent")
		c.expect([]string{"第 1 位", "第 2 位", "第 3 位"}[i])
		chats = append(chats, c)
	}
	h.staff()
	return h, chats
}

// Waiting customers hear when their place in the queue moves, at most
// every two minutes; a ticket nobody answers is reminded again and again,
// the second time mentioning the agents.
func TestWaitingCustomersAndReminders(t *testing.T) {
	h, chats := threeQueued(t)
	h.agent(7, "小李", h.topic(100)).send("/claim")
	chats[0].inbox()
	if n := h.notify(); n != 0 {
		t.Errorf("queue moves told at once: %d messages (at most every two minutes)", n)
	}
	h.advance(2*time.Minute + time.Second)
	h.notify()
	chats[1].inbox()
	chats[1].expect("你现在排在第 1 位")
	chats[2].inbox()
	chats[2].expect("你现在排在第 2 位")
	h.advance(time.Minute)
	if h.notify(); len(chats[2].inbox()) != 0 {
		t.Errorf("told again though nothing moved: %s", chats[2].text())
	}

	h.advance(2 * time.Minute) // 10:05:01: nobody answered 200 and 300 for five minutes
	h.notify()
	// All three wait for a first answer (小李 took 100's but said nothing).
	first := texts(h.staff())
	if strings.Count(first, "⏰ 客户已等待 5 分钟") != 3 || strings.Contains(first, "tg://user") {
		t.Errorf("first reminders: %q", first)
	}
	chats[1].inbox()
	chats[1].expect("你已等待约 5 分钟")
	h.advance(5 * time.Minute)
	if h.notify(); len(h.staff()) != 0 {
		t.Error("reminded again within ten minutes")
	}
	h.advance(5 * time.Minute)
	h.notify()
	second := h.staff()
	// Escalated: the agent holding a ticket is mentioned, or every agent.
	if len(second) != 3 || !strings.Contains(second[0].Text, "🚨 客户已等待 15 分钟") ||
		!strings.Contains(second[0].Text, `<a href="tg://user?id=7">小李</a>`) || strings.Contains(second[0].Text, "id=8") ||
		!strings.Contains(second[1].Text, `tg://user?id=7`) || !strings.Contains(second[1].Text, `tg://user?id=8`) {
		t.Errorf("second reminders: %+v; want escalations mentioning the agents", second)
	}
	if chats[1].inbox(); len(chats[1].last) != 0 {
		t.Errorf("the customer was told of the wait again at once: %s", chats[1].text())
	}
}

// /queue lists open tickets, the longest wait first, linked to their topics.
func TestQueueListsTicketsByWait(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -1001234567890
	h.open()
	for _, id := range []int64{100, 200} {
		h.chat(id, "zh").send("/agent")
		h.advance(time.Minute)
	}
	h.staff()
	h.topic(200)
	h.agent(7, "小李", h.topic(100)).send("在吗") // answered: waits no more
	h.chat(100, "zh").inbox()
	got := posts(h.agent(8, "王丽", 0).send("/queue"))
	if len(got) != 1 {
		t.Fatalf("/queue: %+v", got)
	}
	lines := strings.Split(got[0].Text, "\n")
	want := []string{
		`1. 🟡 <a href="https://t.me/c/1234567890/5002">#T2 User</a> · 未接单 · 客户已等 1 分钟`,
		`2. 🟢 <a href="https://t.me/c/1234567890/5001">#T1 User</a> · 小李 · 已回复`,
	}
	if len(lines) != 3 || lines[1] != want[0] || lines[2] != want[1] {
		t.Errorf("/queue =\n%s\nwant\n%s", got[0].Text, strings.Join(want, "\n"))
	}
}

// TestQueueBeyondItsLinesKeepsTheLongestWaits: with more open tickets than
// /queue lists, the ones listed are those waiting longest, and the rest are
// counted.
func TestQueueBeyondItsLinesKeepsTheLongestWaits(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -1001234567890
	h.open()
	for id := range int64(203) {
		h.chat(1000+id, "zh").send("/agent")
		h.advance(time.Second)
	}
	h.staff()
	got := posts(h.agent(8, "王丽", 0).send("/queue"))
	if len(got) != 1 {
		t.Fatalf("/queue: %d posts", len(got))
	}
	lines := strings.Split(got[0].Text, "\n")
	if len(lines) != 202 || !strings.Contains(lines[1], "#T1 User") || !strings.Contains(lines[200], "#T200 User") ||
		!strings.Contains(lines[201], "另有 3 个") {
		t.Errorf("/queue of 203 tickets: %d lines, first %q, last two %q", len(lines), lines[1], lines[len(lines)-2:])
	}
}

// An album is relayed as one album, both ways.
func TestAlbumsAreRelayedAsAlbums(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	c.event(supportbot.Event{Kind: supportbot.EventMedia, MessageID: 50, Album: []int64{50, 51, 52}})
	if staff := h.staff(); len(staff) != 1 || len(staff[0].CopyMessages) != 3 || staff[0].CopyFromChat != 100 {
		t.Errorf("the customer's album: %+v", staff)
	}
	ev := supportbot.Event{Source: "test:album", ChatID: h.agentChat, UserID: 7, FirstName: "小李", ThreadID: topic,
		Kind: supportbot.EventMedia, MessageID: 60, Album: []int64{60, 61}}
	if err := h.eng.Submit(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	h.drain()
	c.inbox()
	var album []int64
	for _, r := range c.last {
		if len(r.CopyMessages) > 0 {
			album = r.CopyMessages
		}
	}
	if len(album) != 2 {
		t.Errorf("the agent's album: %+v", c.last)
	}
}

// A topic made again gets the customer's name and a fresh card.
func TestATopicMadeAgainGetsAFreshCard(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	h.agent(7, "小李", topic).send("/note 已核对身份")
	c.send("我的卡被冻结了")
	h.staff()
	tk, _ := h.db.OpenTicket(context.Background(), 100)
	name, icon, card, err := h.eng.TicketCard(context.Background(), tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if name != "🟡 #T1 张伟 C1" || icon == "" {
		t.Errorf("name %q icon %q", name, icon)
	}
	for _, want := range []string{"🔄 工单 #T1（原话题在 Telegram 中被关闭或删除，已重建）", "张伟（<code>C1</code>）✅ 已验证", "备注：已核对身份（小李）", "[10:00 客户] 我的卡被冻结了"} {
		if !strings.Contains(card, want) {
			t.Errorf("the fresh card lacks %q:\n%s", want, card)
		}
	}
}

// TestTheCardsQuestionIsTheCustomersOwn: the card's "客户的问题" was a
// forwarded "确认" (someone else's words) or "talk to a person" (a request
// for one, in words the exact list did not have) — a probe. It is the
// customer's own last question.
func TestTheCardsQuestionIsTheCustomersOwn(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.realFAQ()
	h.open()
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("why was i charged a late fee")
	c.event(supportbot.Event{Kind: supportbot.EventText, Text: "确认", Forwarded: true})
	c.send("talk to a person")
	card := texts(h.staff())
	if !strings.Contains(card, "客户的问题：「why was i charged a late fee」") {
		t.Errorf("the card's question is not the customer's own:\n%s", card)
	}
	if !strings.Contains(card, "[forwarded] 确认") {
		t.Errorf("the transcript does not say the 确认 was forwarded:\n%s", card)
	}
	// A line that asks for a person and says what about is the question (a review).
	g := h.chat(210, "zh") // a greeting beside the request is no question (a review)
	g.identify(phoneWang)
	g.send("为什么扣了我两次钱")
	g.send("你好，我要人工")
	if card := texts(h.staff()); !strings.Contains(card, "「为什么扣了我两次钱」") {
		t.Errorf("the card's question is not the customer's:\n%s", card)
	}
	// A confirm word or a list's number typed since is no question (a
	// probe's card asked「确认」).
	y := h.chat(220, "zh")
	y.identify(phoneWang)
	y.send("为什么扣了我两次钱")
	y.send("确认")
	y.send("2")
	y.send("转人工")
	if card := texts(h.staff()); !strings.Contains(card, "「为什么扣了我两次钱」") {
		t.Errorf("the card's question is not the customer's:\n%s", card)
	}
	for i, said := range []string{"i was charged twice, let me talk to a person", "扣了两次钱 我要找人工"} {
		o := h.chat(int64(200+i), "en")
		o.identify(phoneWang)
		o.send(said)
		o.send("/agent")
		if card := texts(h.staff()); !strings.Contains(card, "「"+said+"」") {
			t.Errorf("the card's question is not %q:\n%s", said, card)
		}
	}
}

// TestAQueueMoveCountsNoOneWhoBlockedTheBot: the periodic "your place
// moved" counted a customer ahead who blocked the bot (a probe: 第 2 位,
// and /agent said 第 1 位); it counts as QueuePosition does, and tells one
// who moved up because the customer ahead blocked the bot.
func TestAQueueMoveCountsNoOneWhoBlockedTheBot(t *testing.T) {
	h, chats := threeQueued(t)
	chats[0].event(supportbot.Event{Kind: supportbot.EventMember, Data: "kicked"})
	h.advance(2*time.Minute + time.Second)
	h.notify()
	chats[1].inbox()
	chats[1].expect("你现在排在第 1 位")
	chats[2].inbox()
	chats[2].expect("你现在排在第 2 位")
	h.agent(7, "小李", h.topic(200)).send("/claim")
	chats[1].inbox()
	h.advance(2*time.Minute + time.Second)
	h.notify()
	chats[2].inbox()
	chats[2].expect("你现在排在第 1 位")
}

// TestTheDeskHearsWhatTheCustomerMeans: a probe's shift — "/End" typed so
// was relayed and left the customer in the queue; "转人工" again was
// relayed unanswered; a forwarded scam text reached the topic as the
// customer's own words; /lang and /cancel went to the desk unsaid; a card
// number edited into a relayed message was masked but not warned of.
func TestTheDeskHearsWhatTheCustomerMeans(t *testing.T) {
	h, c, _ := handedOffOn(t, "zh", true)

	c.send("转人工")
	c.expect("第 1 位", "/end")
	human, err := flows.Callback{Kind: flows.CallbackMenu, Flow: "agent", Keep: true}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	c.pressData(human) // 👤 under an earlier answer: where they are, not "buttons do not work now"
	c.expect("第 1 位", "/end")
	if got := texts(h.staff()); got != "" {
		t.Errorf("asking for a person again went to the topic: %q", got)
	}
	c.event(supportbot.Event{Kind: supportbot.EventText, Text: "请把验证码发给我，我是客服", Forwarded: true})
	if got := texts(h.staff()); !strings.Contains(got, "[forwarded] 请把验证码发给我") {
		t.Errorf("a forwarded text reached the topic as the customer's own: %q", got)
	}
	// A forwarded "/end" is someone's words too: relayed, the ticket kept (a
	// probe: it ended the hand-off).
	c.event(supportbot.Event{Kind: supportbot.EventText, Text: "/end", Forwarded: true})
	if got := texts(h.staff()); !strings.Contains(got, "[forwarded] /end") {
		t.Errorf("a forwarded /end did not reach the topic as words: %q", got)
	}
	c.reject("评价", "已结束")
	for _, cmd := range []string{"/lang en", "/cancel"} {
		c.send(cmd)
		c.expect(strings.Fields(cmd)[0]+" 已和你的消息一起转给客服", "/end")
	}
	h.staff()
	c.send("我想问下逾期的事")
	question := c.sent
	c.event(supportbot.Event{Kind: supportbot.EventEdit, MessageID: question, Text: "我想问下逾期的事 卡号 6222021234567890"})
	c.expect("已经打码后才转给客服")
	if got := texts(h.staff()); strings.Contains(got, "62220212") || !strings.Contains(got, "****7890") {
		t.Errorf("the edit relayed: %q", got)
	}
	// With an agent on the chat, asking for "a real person" is the agent's
	// to read (a review: it was kept from them).
	h.agent(7, "小李", h.topic(100)).send("您好")
	c.inbox()
	c.send("I want to talk to a real person")
	if got := texts(h.staff()); !strings.Contains(got, "I want to talk to a real person") {
		t.Errorf("asking for a person with an agent on the chat did not reach them: %q", got)
	}
	c.send("/End")
	c.expect("已结束人工服务")
	c.send("/BILL")
	c.expect("剩余待还")
}

// TestASecondHandOffsCardAsksNothingAnsweredBefore: the card of a second
// hand-off showed as "客户的问题" the customer's last words to the first
// agent, answered and closed there (a probe). What came before an agent
// spoke is an earlier hand-off's.
func TestASecondHandOffsCardAsksNothingAnsweredBefore(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.realFAQ()
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/agent")
	topic := h.topic(100)
	h.staff()
	c.send("滞纳金能不能减免")
	a := h.agent(7, "小李", topic)
	a.send("可以申请，我帮你看一下")
	a.send("/close")
	c.inbox()
	h.staff()
	c.send("/agent")
	card := texts(h.staff())
	if strings.Contains(card, "客户的问题：「滞纳金能不能减免」") || !strings.Contains(card, "客户的问题：（没有留言") {
		t.Errorf("the second card asks the first hand-off's question:\n%s", card)
	}
}

// TestAHandOffClosedWhileBlockedIsToldOnReturn: the agent replied and
// closed while the customer had blocked the bot; back, the customer got
// "can't answer" (a probe) or the menu, never told. The next message says
// the hand-off was closed and that what the agent sent did not reach them —
// on unblocking, or at the first message after a refused reply; once.
func TestAHandOffClosedWhileBlockedIsToldOnReturn(t *testing.T) {
	for _, viaUnblock := range []bool{false, true} {
		h, c, topic := handedOff(t, "zh")
		a := h.agent(7, "小李", topic)
		c.send("我被扣了两次钱")
		h.staff()
		h.advance(time.Minute)
		a.send("您好，我查一下")
		c.inbox()
		if err := h.eng.Undelivered(context.Background(), supportbot.OutboxMessage{ID: 7, Reply: c.last[len(c.last)-1]}, supportbot.UndeliveredBlocked); err != nil {
			t.Fatal(err)
		}
		h.drain()
		a.send("/close")
		if c.inbox(); len(c.last) != 0 {
			t.Fatalf("a blocked customer was sent: %s", c.text())
		}
		h.advance(time.Hour)
		if viaUnblock {
			c.event(supportbot.Event{Kind: supportbot.EventMember, Data: "member"})
			c.expect("上次的人工对话已在", "由客服结束", "客服发来的消息没有送达", "[👤 转人工客服]")
		}
		c.send("我回来了")
		if viaUnblock {
			c.reject("上次的人工对话已在") // told once
		} else {
			c.expect("上次的人工对话已在", "客服发来的消息没有送达")
		}
		c.send("你好")
		c.reject("上次的人工对话已在")
	}
}

// TestWhatSettledWhileBlockedIsToldOnReturn: a payment settled while the
// customer had blocked the bot; back, they got the greeting only, the debit
// never told (a probe). What the message center got since they last wrote
// is told on their return, with or without a hand-off open.
func TestWhatSettledWhileBlockedIsToldOnReturn(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(720, "zh")
	c.identify(phoneZhang)
	c.send("/bill")
	c.event(supportbot.Event{Kind: supportbot.EventMember, Data: "kicked"})
	h.advance(time.Minute)
	ctx := context.Background()
	if err := h.db.Update(ctx, func(tx *store.Tx) error {
		return tx.AddNotice(ctx, supportbot.Notice{CustomerID: "C1", Time: h.clock(), Kind: "repay_bill",
			Params: map[string]string{"product": "Redmi K70", "periods": "6", "amount": "¥261.92", "card": "招商银行 **** 6789", "reference": "R1"}})
	}); err != nil {
		t.Fatal(err)
	}
	c.event(supportbot.Event{Kind: supportbot.EventMember, Data: "member"})
	c.expect("你屏蔽机器人期间", "Redmi K70", "¥261.92")
	c.send("/bill") // told once
	c.reject("你屏蔽机器人期间")
}

// TestNoRemindersForACustomerWhoBlockedTheBot: a customer waiting for an
// answer blocks the bot; the topic says so (⛔), and its wait is not
// reminded — a desk probe got every agent paged every 10 minutes, and
// "not delivered" notes for the bot's own wait notices. Unblocked, the
// clock runs again.
func TestNoRemindersForACustomerWhoBlockedTheBot(t *testing.T) {
	h, c, _ := handedOff(t, "zh")
	c.event(supportbot.Event{Kind: supportbot.EventMember, Data: "kicked"})
	h.staff()
	for range 4 {
		h.advance(11 * time.Minute)
		if n := h.notify(); n != 0 {
			t.Errorf("reminded while the customer blocked the bot: %d messages: %s", n, texts(h.staff()))
		}
	}
	c.event(supportbot.Event{Kind: supportbot.EventMember, Data: "member"})
	h.staff()
	h.advance(11 * time.Minute)
	if n := h.notify(); n == 0 {
		t.Error("not reminded once the customer unblocked the bot")
	}
}

// TestAnAgentTakesBackAReply: an agent who sent a reply to the wrong
// customer could only edit it (a desk probe: another customer's receipt
// stayed in this customer's chat). /unsend, as a reply to it, takes the
// customer's copy back — also after /close — and is audited; a message not
// relayed, or no message replied to, is told how.
func TestAnAgentTakesBackAReply(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("甲先生的扣款回执：6222 **** 1234")
	wrong := a.sent
	c.inbox()
	c.expect("甲先生的扣款回执")
	if got := a.replying(wrong, "/unsend"); len(posts(got)) != 0 || len(got) == 0 || got[0].Reaction != "👍" {
		t.Errorf("/unsend: %+v; want only 👍 on the command", got)
	}
	got := c.inbox()
	if len(got) != 2 || !got[0].Withdraw || got[0].Track != fmt.Sprintf("a%d", wrong) || got[1].Track != fmt.Sprintf("a%d:media", wrong) {
		t.Errorf("the customer's chat got %+v; want the copy of agent message %d withdrawn, and media signed above it", got, wrong)
	}
	if e := h.audit("ticket_unsend"); len(e) != 1 || e[0].Details["message_id"] != float64(wrong) {
		t.Errorf("ticket_unsend audit = %+v", e)
	}
	if got := posts(a.send("/unsend")); len(got) != 1 || !strings.Contains(got[0].Text, "用法") {
		t.Errorf("/unsend replying to nothing: %+v; want the usage", got)
	}
	a.send("/close")
	c.inbox()
	if got := posts(a.replying(a.sent, "/unsend")); len(got) != 1 || !strings.Contains(got[0].Text, "没有发给这位客户") || got[0].ThreadID != 0 {
		t.Errorf("/unsend of a command after the close: %+v; want it told, in General", got)
	}
}

// TestARatingPressedAfterHandingOffAgainCounts: a customer handing off
// again right after /close lost the first ticket's stars (its keyboard was
// taken with the step), and the ticket was never rated (a desk probe).
// The stars are the ticket's now: pressed later they rate it, and the new
// hand-off goes on; pressed again, or for a ticket still open, nothing.
func TestARatingPressedAfterHandingOffAgainCounts(t *testing.T) {
	h, c, star := closedWithStars(t)
	c.send("/agent")
	c.expect("/end")
	h.staff()
	c.pressData(star)
	c.expect("4")
	t1, err := h.db.Ticket(context.Background(), 1)
	if err != nil || t1.Rating != 4 {
		t.Fatalf("ticket #T1: %+v, %v; want rated 4", t1, err)
	}
	if tk, err := h.db.OpenTicket(context.Background(), 100); err != nil || tk.ID == 1 || tk.Rating != 0 {
		t.Errorf("the new hand-off: %+v, %v; want ticket #T2 open, unrated", tk, err)
	}
	c.send("我还在等客服")
	c.reject("评分")
	c.pressData(star)
	if t1, _ := h.db.Ticket(context.Background(), 1); t1.Rating != 4 {
		t.Errorf("a second press changed the rating to %d", t1.Rating)
	}
}

// TestARatingAfterTheChatBecameAnothersIsExpired: the stars of a ticket of
// the customer the chat had before it became another's still rated that
// ticket (an isolation probe), where the desk's /reopen refuses it. They
// are expired now; the ticket stays unrated.
func TestARatingAfterTheChatBecameAnothersIsExpired(t *testing.T) {
	h, c, star := closedWithStars(t)
	c.share(phoneBob, c.id) // the account's own contact, another customer's phone
	c.expect("Bob Lee")
	c.pressData(star)
	c.reject("4")
	if t1, err := h.db.Ticket(context.Background(), 1); err != nil || t1.Rating != 0 {
		t.Errorf("ticket #T1: %+v, %v; want unrated", t1, err)
	}
}

// closedWithStars is a hand-off an agent closed, and the data of the
// rating invitation's 4-star button.
func closedWithStars(t *testing.T) (*harness, *chat, string) {
	t.Helper()
	h, c, topic := handedOff(t, "zh")
	h.agent(7, "小李", topic).send("/close")
	c.inbox()
	c.expect("请为本次人工服务打分")
	return h, c, c.button("4⭐").Data
}

// Two Telegram accounts verified with one phone — what the 🔐 alert sends
// the customer to a person for — are told apart on the cards: each names
// its account, the other account is said, and the other's open ticket is
// not an earlier one (a probe's agent got two cards alike).
func TestTwoAccountsOfOneCustomerAreToldApartOnTheCards(t *testing.T) {
	h := staffHarness(t, false)
	first, second := h.chat(100, "zh"), h.chat(101, "zh")
	first.identify(phoneZhang)
	second.identify(phoneZhang)
	first.send("/agent")
	h.staff()
	second.send("/agent")
	card := texts(h.staff())
	for _, want := range []string{"Telegram 账号：", "ID <code>101</code>", "另外 1 个 Telegram 账号上验证过：<code>100</code>", "#T1", "仍在进行"} {
		if !strings.Contains(card, want) {
			t.Errorf("the second account's card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "未评分") {
		t.Errorf("the first account's open ticket is shown as an earlier one, unrated:\n%s", card)
	}
}

// An answer an agent sends with /faq that points to a person says the
// customer is talking with one (a probe: "点下方转人工", no button under it,
// to a customer already with an agent).
func TestAnAnswerSentByAnAgentDoesNotSendThemToAPerson(t *testing.T) {
	h, c, topic := handedOffOn(t, "zh", true)
	h.agent(7, "小李", topic).send("/faq change-due-date")
	c.inbox()
	c.expect("转人工", "你现在就在和人工客服对话")
}

// A customer not verified who shares their own contact while with the desk
// is verified by it: the topic is told who it is, with the account's lines,
// renamed with their name, and the customer that the agent now sees it; a
// number of no customer's stays a masked line (a desk probe: the agent saw
// a masked number and could not tell who it was).
func TestOwnContactSharedAtTheDeskVerifies(t *testing.T) {
	h := staffHarness(t, false)
	c := h.chat(100, "zh")
	c.send("转人工")
	c.expect("/end")
	h.staff()
	h.topic(100)
	c.share("8613900000000", c.id) // no customer's number
	c.expect("号码已打码")
	if got := texts(h.staff()); !strings.Contains(got, "139****0000") || strings.Contains(got, "已验证身份") {
		t.Errorf("the topic got %q; want the masked number alone", got)
	}
	c.share(phoneZhang, c.id)
	c.expect("验证成功", "张伟")
	staff := h.staff()
	got := texts(staff)
	for _, want := range []string{"已验证身份", "张伟（<code>C1</code>）✅", "138****8000", "Redmi K70（P1）"} {
		if !strings.Contains(got, want) {
			t.Errorf("the topic lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "13800138000") {
		t.Errorf("the topic shows the whole phone:\n%s", got)
	}
	if !slices.ContainsFunc(staff, func(r supportbot.Reply) bool { return r.EditTopic && strings.Contains(r.TopicName, "张伟 C1") }) {
		t.Errorf("the topic is not renamed for the customer: %+v", staff)
	}
	if tk, err := h.db.OpenTicket(context.Background(), 100); err != nil || tk.CustomerID != "C1" {
		t.Errorf("the ticket: %+v, %v; want it C1's", tk, err)
	}
	c.send("/end")
	c.send("我的账单")
	c.expect("Redmi K70") // the chat is verified: the bill, no contact asked
}

// The 🔐 alert of the phone proved by another account reaches the topic of
// the chat's open ticket too, naming that account: the agent may be
// talking with the real customer (a desk probe: only the customer was
// told).
func TestAPhoneClaimedElsewhereIsToldInTheTopic(t *testing.T) {
	h, first, _ := handedOff(t, "zh")
	first.send("我的卡被冻结了")
	h.staff()
	second := h.chat(101, "zh")
	second.identify(phoneZhang)
	first.inbox()
	first.expect("安全提醒")
	got := texts(h.staff())
	if !strings.Contains(got, "另一个 Telegram 账号（ID <code>101</code>）") {
		t.Errorf("the topic got %q; want the other account named", got)
	}
	first.send("好的我知道了")
	if got := h.staff(); len(got) != 1 || got[0].Track == "" || !strings.Contains(got[0].Text, "好的我知道了") || strings.Contains(got[0].Text, "冻结") {
		t.Errorf("the customer's next line: %+v; want a post of its own below the alert", got)
	}
}

// The ⏰ reminder in a topic ends the customer's post: a line after it is a
// post below it, not edited into one above it, where no agent is notified.
func TestALineAfterTheReminderIsAPostBelowIt(t *testing.T) {
	h, c, _ := handedOff(t, "zh") // 10:00, agents in
	c.send("我的卡被冻结了")
	h.advance(2 * time.Minute)
	c.event(eventMedia()) // a copy: the next line a post of its own
	h.advance(time.Minute)
	c.send("截图在上面")
	h.staff()
	h.advance(3 * time.Minute) // 10:06: 6 minutes waited, the post 3 minutes old
	if n := h.notify(); n == 0 {
		t.Fatal("no reminder")
	}
	h.staff()
	c.send("有人吗")
	if got := h.staff(); len(got) != 1 || !strings.Contains(got[0].Text, "有人吗") || strings.Contains(got[0].Text, "截图在上面") {
		t.Errorf("the line after the reminder: %+v; want a post of its own", got)
	}
}

// An agent's reply edited after the customer's /end is said in words not
// to have reached them, with how to correct it; after /reopen the edit
// does (a desk probe: a 🤷 alone, the customer left with the promise).
func TestAReplyEditedAfterTheCloseIsToldHowToCorrect(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("退款明天到账")
	reply := a.sent
	a.send("/note 客户很着急")
	note := a.sent
	c.inbox()
	c.send("/end")
	h.staff()
	c.inbox()
	edit := func(id int64, text string) []supportbot.Reply {
		t.Helper()
		ev := supportbot.Event{Source: "test:edit:" + text, ChatID: h.agentChat, UserID: 7, FirstName: "小李", ThreadID: topic,
			Kind: supportbot.EventEdit, MessageID: id, Text: text}
		if err := h.eng.Submit(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		h.drain()
		return h.staff()
	}
	got := edit(reply, "更正：3-5 个工作日到账")
	said := slices.DeleteFunc(posts(got), func(r supportbot.Reply) bool { return r.React != 0 }) // the shrug's words aside
	if p := said; len(p) != 1 || !strings.Contains(p[0].Text, "修改没有同步给客户") || !strings.Contains(p[0].Text, "/reopen") ||
		!slices.ContainsFunc(got, func(r supportbot.Reply) bool { return r.Reaction == "🤷" }) {
		t.Errorf("a reply edited after the close: %+v", got)
	}
	if p := slices.DeleteFunc(posts(edit(note, "客户很着急，已解释")), func(r supportbot.Reply) bool { return r.React != 0 }); len(p) != 0 {
		t.Errorf("a note edited after the close: %+v; want the shrug alone", p)
	}
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("the customer got %s", c.text())
	}
	a.send("/reopen")
	c.inbox()
	edit(reply, "更正2：3-5 个工作日到账")
	c.inbox()
	c.expect("更正2")
}

// A payment made from the customer's other account is told in the topic
// of their open ticket: the agent, just warned to check who they talk to,
// saw the plan still owed (a desk probe).
func TestAPaymentFromAnotherAccountIsToldInTheTopic(t *testing.T) {
	h, first, _ := handedOff(t, "zh")
	first.send("我的卡被冻结了")
	h.staff()
	second := h.chat(101, "zh")
	second.identify(phoneZhang)
	second.send("/repay")
	second.press("Xiaomi Book")
	second.send("确认")
	second.expect("提前还款成功")
	got := texts(h.staff())
	if !strings.Contains(got, "另一个 Telegram 账号（ID <code>101</code>）提前结清了「Xiaomi Book」") {
		t.Errorf("the topic got %q; want the payoff from the other account told", got)
	}
}

// A booking cancelled and a closure asked for from the customer's other
// account are told in the topic of their open ticket, as a payment is: the
// agent saw the booking still set, the account still open.
func TestACancellationAndAClosureFromAnotherAccountAreToldInTheTopic(t *testing.T) {
	h, first, _ := handedOff(t, "zh")
	first.send("我的卡被冻结了")
	h.staff()
	second := h.chat(101, "zh")
	second.identify(phoneZhang)
	second.send("/cancel_schedule")
	second.press("Redmi K70 第 7 期")
	second.pressData(second.button("取消这笔预约还款").Data)
	second.expect("已取消预约还款")
	if got := texts(h.staff()); !strings.Contains(got, "另一个 Telegram 账号（ID <code>101</code>）取消了「Redmi K70」第 7 期的预约还款（¥249.92）") {
		t.Errorf("the topic got %q; want the cancellation from the other account told", got)
	}

	h = staffHarness(t, false)
	first = h.chat(300, "en")
	first.identify(phoneBob)
	first.send("/agent")
	h.staff()
	second = h.chat(301, "en")
	second.identify(phoneBob)
	second.startClosure()
	second.send("4321")
	second.expect("Closure request submitted")
	if got := texts(h.staff()); !strings.Contains(got, "另一个 Telegram 账号（ID <code>301</code>）提交了注销申请（编号 "+second.ref()+"）") {
		t.Errorf("the topic got %q; want the closure request from the other account told", got)
	}
}

// A ticket reopened and closed again is rated again: its rating is the
// last close's. A probe rated 5, then, after the reopen and the close, was
// invited again, pressed 4, and was thanked for 5 — the 4 dropped.
func TestAReopenedTicketIsRatedAgain(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("/close")
	c.inbox()
	c.press("5⭐")
	c.expect("感谢你的评价（5 星）")
	h.staff()
	a.send("/reopen")
	c.send("还有一个问题")
	a.send("/close")
	c.inbox()
	c.press("4⭐")
	c.expect("感谢你的评价（4 星）")
	c.reject("5 星")
	if got := texts(h.staff()); !strings.Contains(got, "⭐ 客户评分：4 星") {
		t.Errorf("the topic got %q; want the new rating", got)
	}
}
