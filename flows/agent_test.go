package flows_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func TestWithoutStaffChatTheTicketIsRecordedAndTheHotlineGiven(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/agent")
	c.expect("400-100-5678", "09:00-21:00")
	tk, err := h.db.LastTicket(context.Background(), 100)
	if err != nil || tk.Status != supportbot.TicketReferred {
		t.Fatalf("ticket = %+v, %v; want one referred", tk, err)
	}
}

// texts are the texts of replies, one a line.
func texts(replies []supportbot.Reply) string {
	var out []string
	for _, r := range replies {
		out = append(out, r.Text)
	}
	return strings.Join(out, "\n")
}

// staffHarness is a harness on the fixture with a staff chat, open — on
// the real FAQ when faq is set.
func staffHarness(t *testing.T, faq bool) *harness {
	t.Helper()
	h := newHarness(t, fixture())
	h.agentChat = -100
	if faq {
		h.realFAQ()
	}
	h.open()
	return h
}

// handedOff is a harness with a staff chat and chat 100 (张伟, in lang)
// handed off, its ticket in a topic; it returns the chat and the topic.
func handedOff(t *testing.T, lang string) (*harness, *chat, int64) {
	t.Helper()
	return handedOffOn(t, lang, false)
}

// handedOffOn is handedOff, on the real FAQ when faq is set.
func handedOffOn(t *testing.T, lang string, faq bool) (*harness, *chat, int64) {
	t.Helper()
	h := staffHarness(t, faq)
	c := h.chat(100, lang)
	c.identify(phoneZhang)
	c.send("/agent")
	c.expect("/end")
	h.staff()
	return h, c, h.topic(100)
}

func TestHandoffQueueAfterHoursAndReminder(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	h.advance(12 * time.Hour) // 22:00: agents are away
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("转人工")
	c.expect("第 1 位", "人工客服现在不在线", "<b>明天 09:00</b> 起会回复你", "/end")
	staff := h.staff()
	card := texts(staff)
	if len(staff) == 0 || staff[0].TicketID == 0 || !strings.Contains(staff[0].TopicName, "#T") {
		t.Errorf("the card does not open a topic of its ticket: %+v", staff)
	}
	for _, want := range []string{"张伟（<code>C1</code>）✅", "138****8000", "Redmi K70（P1）已还 5/12 期", "[22:00 客户] 转人工"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "13800138000") {
		t.Errorf("the card shows the whole phone number:\n%s", card)
	}
	c.send("/bill")
	c.expect("/bill 已和你的消息一起转给客服", "/end") // told, not shown the bill
	c.reject("剩余待还")
	if got := texts(h.staff()); got != "👤 /bill" {
		t.Errorf("while handed off /bill should go to the agent, staff chat got %q", got)
	}

	// Nobody answers: no reminder at night, one 5 minutes into business hours.
	h.advance(6 * time.Hour) // 04:00
	if n := h.notify(); n != 0 {
		t.Errorf("reminded at night: %d messages", n)
	}
	h.advance(5*time.Hour + 6*time.Minute) // 09:06
	if n := h.notify(); n != 2 {
		t.Errorf("Notify queued %d messages, want a reminder in the topic and a word to the customer", n)
	}
	c.inbox()
	c.expect("你已等待约 666 分钟")
	if got := texts(h.staff()); !strings.Contains(got, "⏰") {
		t.Errorf("no reminder in the topic: %q", got)
	}
	if n := h.notify(); n != 0 {
		t.Errorf("reminded twice")
	}
	c.send("/end")
	c.expect("已结束人工服务，回到机器人")
	if got := texts(h.staff()); !strings.Contains(got, "/end") {
		t.Errorf("the topic was not told the customer left: %q", got)
	}
	c.send("/bill")
	c.expect("剩余待还")
}

func TestACustomerWhoseTicketVanishedIsBackWithTheBot(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/agent")
	ctx := context.Background()
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		tk, err := tx.OpenTicket(ctx, 100)
		if err != nil {
			return err
		}
		tk.Status = supportbot.TicketClosed // closed behind the bot's back
		return tx.UpdateTicket(ctx, tk)
	})
	if err != nil {
		t.Fatal(err)
	}
	c.send("/bill")
	c.expect("剩余待还") // answered, not swallowed
}

// TestAnAgentsForwardIsSaidToBeOne: a message an agent forwarded into the
// topic reached the customer as the agent's own words (a probe): it is
// said to be forwarded.
func TestAnAgentsForwardIsSaidToBeOne(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("/claim")
	c.inbox()
	a.forward("退款已原路退回")
	c.inbox()
	c.expect("👩‍💼 小李 转发给你的消息：\n退款已原路退回")
	a.send("还有别的问题吗")
	c.inbox()
	c.expect("👩‍💼 小李：还有别的问题吗")
	c.reject("转发")
}

// TestAgentClaimReplyCloseReachTheCustomer: what an agent does in the topic
// is a step of the staff chat, and reaches the customer as an event of the
// customer's chat: the claim, the reply, the close and the rating.
func TestAgentClaimReplyCloseReachTheCustomer(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)

	// Claimed: a reaction on the command and the topic's name say so (no
	// post spends the staff chat's budget).
	staff := a.send("/claim")
	if len(staff) != 2 || staff[0].Reaction != "👍" || staff[0].React == 0 || !staff[1].EditTopic ||
		staff[1].TopicName != "🟢 #T1 张伟 C1 · 小李" {
		t.Errorf("staff chat after /claim: %+v", staff)
	}
	c.inbox()
	c.expect("👩‍💼 小李 正在为你服务")

	a.send("你好，我看一下你的账单")
	c.inbox()
	c.expect("👩‍💼 小李：你好，我看一下你的账单")

	c.send("好的，谢谢")
	if len(c.last) != 0 {
		t.Errorf("the bot answered for itself while an agent is on: %s", c.text())
	}
	if got := texts(h.staff()); got != "👤 好的，谢谢" {
		t.Errorf("relayed to the topic: %q", got)
	}
	c.pressData("m:bill") // any button while handed off: no flow runs
	c.expect("你正在与人工客服对话")

	staff = a.send("/close")
	if got := texts(staff); !strings.Contains(got, "工单 #T1 已关闭（小李") || !strings.Contains(got, "已向客户发送评分邀请") {
		t.Errorf("staff chat after /close: %q", got)
	}
	closed := false
	for _, r := range staff {
		closed = closed || r.CloseTopic
	}
	if !closed {
		t.Error("/close did not close the topic")
	}
	c.inbox()
	c.expect("客服已结束本次对话", "请为本次人工服务打分", "5⭐")
	star := c.button("5⭐")
	stars := c.on(star.Data)
	c.press("5⭐")
	c.expect("感谢你的评价（5 星）", "[主菜单]")
	// A second tap taken after the first (another instance): the thanks
	// stays, not "expired" (a probe), its menu button too (a probe: the
	// edit took it off), and the rating is not counted again.
	c.event(supportbot.Event{Kind: supportbot.EventButton, Data: star.Data, MessageID: stars})
	c.expect("感谢你的评价（5 星）", "[主菜单]")
	c.reject("已过期")
	// The rating shows in the closed topic: its closing note says it now.
	if got := h.staff(); len(got) != 1 || !got[0].CloseTopic || !strings.Contains(got[0].Text, "⭐ 客户评分：5 星") ||
		strings.Contains(got[0].Text, "评分邀请") {
		t.Errorf("staff chat after the rating: %+v", got)
	}
	tk, err := h.db.LastTicket(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != supportbot.TicketClosed || tk.Rating != 5 || tk.AgentID != 7 || tk.FirstReplyAt.IsZero() {
		t.Errorf("ticket = %+v; want closed by agent 7, answered, rated 5", tk)
	}
	c.send("/bill")
	c.expect("Redmi K70") // back with the bot
	c.send("/end")        // from habit: there is no person to leave
	c.expect("没有在和人工客服对话")
	if got := h.staff(); len(got) != 0 {
		t.Errorf("a /end after the close reached the staff chat: %+v", got)
	}

	// The topic is closed: a late reply is not relayed, and a shrug on it
	// says so (the bot cannot post in a closed topic).
	if got := a.send("还在吗？"); len(got) != 1 || got[0].Reaction != "🤷" {
		t.Errorf("a reply to a closed ticket: %+v", got)
	}
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("a reply after the close reached the customer: %s", c.text())
	}
}

// TestAgentReplyRedeliveredReachesTheCustomerOnce: the staff chat's updates
// deduplicate like the customer's.
func TestAgentReplyRedeliveredReachesTheCustomerOnce(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	ev := supportbot.Event{Source: supportbot.UpdateSource(0), ChatID: h.agentChat, UserID: 7, FirstName: "小李", ThreadID: topic,
		Kind: supportbot.EventText, Text: "请稍等"}
	for range 2 {
		if err := h.eng.Submit(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		h.drain()
	}
	c.inbox()
	if n := strings.Count(c.text(), "请稍等"); n != 1 {
		t.Errorf("the customer got the reply %d times, want once:\n%s", n, c.text())
	}
}

// TestCardNumbersAreMaskedInRelaysAndTranscripts (issue 15.10): a card
// number typed while handed off reaches the agent masked, the customer is
// warned, and nothing unmasked is kept.
func TestCardNumbersAreMaskedInRelaysAndTranscripts(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("我的卡号 6222 0212 3456 7890 123 扣款失败")
	c.expect("请不要在聊天里发送完整的卡号、证件号")
	c.send("/agent 卡号 6222021234567890123 被扣了两次") // the person still comes (a probe), told the masked words
	c.expect("请不要在聊天里发送完整的卡号、证件号", "已为你转接人工客服")
	card := texts(h.staff())
	if strings.Contains(card, "6222") || strings.Contains(card, "3456") || !strings.Contains(card, "我的卡号 ****") ||
		!strings.Contains(card, "被扣了两次」") {
		t.Errorf("the context card's transcript is not masked:\n%s", card)
	}
	c.send("身份证 110101199003071234，卡 6222021234567890")
	c.expect("已经打码后才转给客服")
	relayed := texts(h.staff())
	if strings.Contains(relayed, "6222") || strings.Contains(relayed, "1101011990") || !strings.Contains(relayed, "****7890") ||
		strings.Contains(relayed, "1234") { // an ID's last 4 are what closing the account asks for
		t.Errorf("relayed to the agent: %q", relayed)
	}
	// An ID's tail said as such, and the first generation's 15 digits: the
	// closure check's last 4 (an isolation probe saw both whole).
	c.send("我的身份证号码后面几位是 1231002X")
	c.send("老身份证 110105491231002")
	if relayed := texts(h.staff()); strings.Contains(relayed, "1002") {
		t.Errorf("an ID's tail relayed to the agent: %q", relayed)
	}
	// A card typed across two messages in a row: both lines masked in the
	// post, and the customer warned (a probe: neither was).
	h.advance(2 * time.Minute) // warned once for lines close together: these apart
	c.send("新卡号 6222 0212 3456")
	c.send("7894")
	c.expect("已经打码后才转给客服")
	if relayed := texts(h.staff()); strings.Contains(relayed, "0212 3456") {
		t.Errorf("a card split over two messages relayed whole: %q", relayed)
	}
	// Grouped by commas, wide spaces or digit by digit (a probe: each was
	// relayed whole, and the customer not warned).
	for _, typed := range []string{"卡号 6222，0212，3456，7894", "6222    0212    3456    7894", "6 2 2 2 0 2 1 2 3 4 5 6 7 8 9 4"} {
		h.advance(2 * time.Minute)
		c.send(typed)
		c.expect("已经打码后才转给客服")
		if relayed := texts(h.staff()); strings.Contains(relayed, "0212") || strings.Contains(relayed, "3 4 5 6") {
			t.Errorf("relayed to the agent: %q", relayed)
		}
	}
	// Lines close together are warned of once (a desk probe: six warnings
	// alike for six lines in 2 s).
	h.advance(2 * time.Minute)
	c.send("卡号 6222021234567894")
	c.expect("已经打码后才转给客服")
	c.send("另一张 6222021234567902")
	c.reject("已经打码后才转给客服")
	conv, err := h.db.Conversation(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range conv.Transcript.Lines() {
		if strings.Contains(l.Text, "6222") || strings.Contains(l.Text, "1101011990") {
			t.Errorf("the transcript keeps a number: %q", l.Text)
		}
	}
	all, err := h.db.Audit(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if s := fmt.Sprint(e.Action, e.Details); strings.Contains(s, "6222") {
			t.Errorf("the audit keeps a card number: %s", s)
		}
	}
}

// TestStaffChatOutsideATicketIsTold: a command in the staff chat outside a
// ticket's topic does nothing but say so.
func TestStaffChatOutsideATicketIsTold(t *testing.T) {
	h, c, _ := handedOff(t, "zh")
	got := texts(h.agent(7, "小李", 99999).send("/close"))
	if !strings.Contains(got, "没有工单") {
		t.Errorf("staff chat: %q", got)
	}
	if tk, err := h.db.OpenTicket(context.Background(), 100); err != nil || tk.Status != supportbot.TicketOpen {
		t.Errorf("the ticket: %+v, %v; want still open", tk, err)
	}
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("the customer was told something: %s", c.text())
	}
}

// TestAHumanIsOneTapAwayWhenTheCoreIsDown: the core does not answer; the
// customer is offered a person, and the hand-off itself does not need the
// core: the ticket opens and the agent gets a card.
func TestAHumanIsOneTapAwayWhenTheCoreIsDown(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	h.hooks.set(func(k *hooks) {
		k.customer = func(context.Context, string) (*supportbot.Customer, error) { return nil, errDown }
		k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
	})
	c.send("/bill")
	c.expect("分期系统暂时没有响应", "转人工")
	c.press("转人工")
	c.expect("已为你转接人工客服", "第 1 位")
	c.reject("分期系统暂时没有响应")
	card := texts(h.staff())
	if !strings.Contains(card, "工单 #T") || !strings.Contains(card, "C1") {
		t.Errorf("the agent got no card naming the customer:\n%s", card)
	}
	if _, err := h.db.OpenTicket(context.Background(), 100); err != nil {
		t.Errorf("no open ticket: %v", err)
	}
}

// TestAHandoffAfterThePhoneChangedGoesUnverified: the phone on file changed
// (its event not yet in): asking for a person unlinks the chat as any step
// would, and the hand-off goes ahead for an unverified customer — it does
// not fail.
func TestAHandoffAfterThePhoneChangedGoesUnverified(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	h.hooks.set(func(k *hooks) {
		k.customer = func(ctx context.Context, id string) (*supportbot.Customer, error) {
			cu, err := k.Core.Customer(ctx, id)
			if err == nil {
				cu.Phone = "+8613811112222"
			}
			return cu, err
		}
	})
	c.send("/agent")
	c.expect("你账户预留的手机号已变更", "已为你转接人工客服")
	card := texts(h.staff())
	if !strings.Contains(card, "未验证身份") || strings.Contains(card, "（P1）") || strings.Contains(card, "（C1）") {
		t.Errorf("the card of an unlinked chat:\n%s", card)
	}
	c.send("在吗")
	if got := texts(h.staff()); got != "👤 在吗" {
		t.Errorf("not relayed: %q", got)
	}
}

// TestAnAgentDecidesAClosureInTheTopic: with the embedded core an agent's
// /closure decides the request, and the customer is told by the core's
// event; with a remote core the agent is told the core decides.
func TestAnAgentDecidesAClosureInTheTopic(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.startClosure()
	c.send("4321")
	ref := c.ref()
	c.send("/agent")
	h.staff()
	a := h.agent(7, "小李", h.topic(300))
	got := texts(a.send("/closure " + ref + " rejected 有订单正在退货"))
	if overHTTP() {
		if !strings.Contains(got, "由分期核心系统审核") {
			t.Errorf("staff chat: %q", got)
		}
		return
	}
	if !strings.Contains(got, ref) || !strings.Contains(got, "已更新为 未通过") {
		t.Errorf("staff chat: %q; want the decision in the agents' words", got)
	}
	c.inbox()
	c.expect("Your closure request has been decided", ref, "Status: rejected. Reason: 有订单正在退货")
	// A decision not one of the two gets the usage in the agents' language,
	// and a completion takes no reason (a probe: the core's English error).
	if got := texts(a.send("/closure " + ref + " maybe")); !strings.Contains(got, "用法：") || strings.Contains(got, "want") {
		t.Errorf("/closure REF maybe: %q", got)
	}
	if got := texts(a.send("/closure " + ref + " completed CR-20261121-9999 completed")); !strings.Contains(got, "完成（completed）不带原因") {
		t.Errorf("/closure REF completed WORDS: %q", got)
	}
	if got := texts(a.send("/closure " + ref + " REJECTED")); !strings.Contains(got, "驳回（rejected）要写原因") || strings.Contains(got, "needs") {
		t.Errorf("/closure REF rejected: %q", got)
	}
	got = texts(a.send("/closure " + ref + " completed"))
	if !strings.Contains(got, "未能更新注销申请") {
		t.Errorf("deciding twice: %q", got)
	}
	got = texts(a.send("/closure"))
	if !strings.Contains(got, "用法") {
		t.Errorf("usage: %q", got)
	}
	// In General too: a decision is the request's, not a ticket's (a probe
	// was told there is no ticket there).
	got = texts(h.agent(7, "小李", 0).send("/closure " + ref + " completed"))
	if !strings.Contains(got, "未能更新注销申请") || strings.Contains(got, "没有工单") {
		t.Errorf("/closure in General: %q", got)
	}
}

// TestARatingMayBeTyped: asked for a 1–5 rating, a customer who types it —
// "4", "5 stars", "三星", "两星", "满分", "⭐⭐⭐⭐⭐", "五星好评", "5分！", "five stars", "5/5",
// "给5星", "5星！谢谢" — is taken at their word; other words are not a
// rating, and the customer moves on.
func TestARatingMayBeTyped(t *testing.T) {
	for _, c := range []struct {
		typed string
		want  int
	}{{"4", 4}, {"5 stars", 5}, {"三星", 3}, {" 2分", 2}, {"谢谢", 0}, {"6", 0},
		{"⭐⭐⭐⭐⭐", 5}, {"五星好评", 5}, {"5分！", 5}, {"5⭐️", 5}, {"⭐⭐⭐⭐⭐⭐", 0}, {"４", 4}, {"两星", 2}, {"满分", 5}, {"10分", 0},
		// more ways (a probe: each was "not understood", with a note that it did not reach the agent)
		{"five stars", 5}, {"Five", 5}, {"5/5", 5}, {"4 out of 5", 4}, {"给5星", 5}, {"5星！谢谢", 5}, {"给个五星", 5}, {"打4分", 4},
		{"5/10", 0}, {"给钱", 0}} {
		t.Run(c.typed, func(t *testing.T) {
			h, ch, topic := handedOff(t, "zh")
			h.agent(7, "小李", topic).send("/close")
			ch.inbox()
			ch.send(c.typed)
			tk, err := h.db.LastTicket(context.Background(), 100)
			if err != nil {
				t.Fatal(err)
			}
			if tk.Rating != c.want {
				t.Errorf("rating = %d, want %d; the bot said:\n%s", tk.Rating, c.want, ch.text())
			}
			if c.want != 0 {
				ch.expect("感谢你的评价（" + strconv.Itoa(c.want) + " 星）")
			}
		})
	}
}

// TestWhatFollowsTheCustomersOwnEndIsNotSaidToHaveMissedTheAgent: the
// customer ended the chat themselves (/end) and asked the bot a question at
// the rating; the answer began "the agent ended this conversation, this
// message did not reach them" (a probe). That note is for words written as
// an agent closed, not after one's own /end.
func TestWhatFollowsTheCustomersOwnEndIsNotSaidToHaveMissedTheAgent(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	h.agent(7, "小李", topic).send("您好")
	c.inbox()
	c.send("/end")
	c.expect("1⭐")
	c.send("提前还款要手续费吗")
	c.reject("客服已结束了这次对话")
}

// TestAnAgentsReplyIsSignedInTheCustomersLanguage: "👩‍💼 Name: text" in
// English, "👩‍💼 Name：text" in Chinese.
func TestAnAgentsReplyIsSignedInTheCustomersLanguage(t *testing.T) {
	for lang, want := range map[string]string{"en": "👩‍💼 Li: hello", "zh": "👩‍💼 Li：hello"} {
		h := newHarness(t, fixture())
		h.agentChat = -100
		h.open()
		c := h.chat(100, lang)
		c.identify(phoneZhang)
		c.send("/lang " + lang)
		c.send("/agent")
		h.staff()
		h.agent(7, "Li", h.topic(100)).send("hello")
		c.inbox()
		c.expect(want)
	}
}

// TestAskingAgainWhileWithAPersonSaysWhere: /agent (or /start after
// unblocking the bot) while waiting for a person answers with the place in
// the queue and the way back, instead of going to the agent as a line.
func TestAskingAgainWhileWithAPersonSaysWhere(t *testing.T) {
	h, c, _ := handedOff(t, "zh")
	for _, cmd := range []string{"/agent", "/start"} {
		c.send(cmd)
		c.expect("第 1 位", "/end")
		if got := texts(h.staff()); got != "" {
			t.Errorf("%s went to the agent: %q", cmd, got)
		}
	}
}

// TestABotCommandWhileWithAPersonIsAnswered: "/bill" or "/pay" while in
// the queue were relayed to the topic, and the customer got no reply at all
// (a probe). They are told it was passed on, and how to have the bot do it
// instead; the ticket stays open.
func TestABotCommandWhileWithAPersonIsAnswered(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	for _, cmd := range []string{"/bill", "/pay"} {
		c.send(cmd)
		c.expect("正在排队", cmd+" 已和你的消息一起转给客服", "/end") // nobody has the chat yet (a probe: "you are talking with a person")
		c.reject("正在与人工客服对话")
	}
	if got := texts(h.staff()); !strings.Contains(got, "/bill") || !strings.Contains(got, "/pay") {
		t.Errorf("the commands did not reach the topic:\n%s", got)
	}
	h.agent(7, "小李", topic).send("您好")
	c.inbox()
	c.send("/bill")
	c.expect("正在与人工客服对话", "/bill 已转给客服", "/end")
	c.send("我的账单对不上") // still relayed
	if got := texts(h.staff()); !strings.Contains(got, "我的账单对不上") {
		t.Errorf("the customer's line did not reach the topic:\n%s", got)
	}
}

// TestAButtonPressedWhileWithAPersonLeavesItsMessage: with a person, a
// button under a receipt or a bill (📋 我的账单, 查看还款计划) turned that
// message into "you are talking with a person" — the amount, card and
// reference gone from the chat (a probe). The answer comes below it.
func TestAButtonPressedWhileWithAPersonLeavesItsMessage(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/bill")
	schedule := c.button("1. 查看还款计划").Data
	bill := c.on(schedule)
	c.send("/agent")
	c.expect("/end")
	replies := c.event(supportbot.Event{Kind: supportbot.EventButton, Data: schedule, MessageID: bill})
	for _, r := range replies {
		if r.Edit == bill {
			t.Errorf("the press edited the bill into %q", r.Text)
		}
	}
	c.expect("正在排队等人工客服", "/end") // nobody has the chat yet: not "talking with a person"
	h.agent(7, "小李", h.topic(100)).send("您好")
	c.inbox()
	c.event(supportbot.Event{Kind: supportbot.EventButton, Data: schedule, MessageID: bill})
	c.expect("正在与人工客服对话")
	if c.on(schedule) != bill {
		t.Errorf("the bill's buttons are gone from its message")
	}
}

// TestTheWordsAfterAgentReachThePerson: "/agent my card was charged twice"
// put "no message left" on the card, and "/agent 我被扣了两次钱" while
// already handed off only said the place in the queue (a probe). The words
// after the command are the question on the card, or relayed to the topic.
func TestTheWordsAfterAgentReachThePerson(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/agent 我的卡被扣了两次")
	if card := texts(h.staff()); !strings.Contains(card, "客户的问题：「我的卡被扣了两次」") {
		t.Errorf("the card does not hold the words after /agent:\n%s", card)
	}
	h.topic(100)
	c.send("/agent 还有一笔预约也扣了")
	c.expect("第 1 位")
	if got := texts(h.staff()); !strings.Contains(got, "👤 还有一笔预约也扣了") {
		t.Errorf("relayed to the topic: %q, want the words after /agent", got)
	}
	c.send("/agent")
	if got := texts(h.staff()); got != "" {
		t.Errorf("a bare /agent relayed %q", got)
	}
	// Signing out waits for /end, told as where they are: queued, then
	// with a person (a probe: "talking with a person" while queued).
	c.send("/logout")
	c.expect("你正在排队等人工客服。要退出登录")
	h.agent(7, "小李", h.topic(100)).send("/claim")
	c.inbox()
	c.send("/logout")
	c.expect("你正在与人工客服对话。要退出登录")
}

// TestThanksIsNoQuestionOnTheCard: "谢谢" before asking for a person was
// the card's "customer's question" (a probe): small talk is passed over.
func TestThanksIsNoQuestionOnTheCard(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(101, "zh")
	c.identify(phoneZhang)
	c.send("我的卡被扣了两次")
	c.send("谢谢")
	c.send("/agent")
	if card := texts(h.staff()); !strings.Contains(card, "客户的问题：「我的卡被扣了两次」") {
		t.Errorf("the card's question is not the customer's question:\n%s", card)
	}
}

// TestACustomerInTheQueueAskingIsAnswered: "取消" and "还要等多久", waiting
// for a person, were relayed with no reply (a probe). Both still reach the
// topic, and the customer is told where they are and how to leave.
func TestACustomerInTheQueueAskingIsAnswered(t *testing.T) {
	h, c, _ := handedOff(t, "zh")
	for _, said := range []string{"取消", "还要等多久", "how long do i have to wait"} {
		c.send(said)
		c.expect("排在第 1 位", "/end")
		if posted := texts(h.staff()); !strings.Contains(posted, "👤 "+said) {
			t.Errorf("the topic got %q, want %q relayed", posted, said)
		}
	}
	c.send("我的卡被扣了两次") // anything else: relayed as ever, no reply of the bot's
	c.reject("排在第")
}

// TestTheCardShowsAPressedButtonAsLabelled: the transcript on an agent's
// card showed a pressed plan as "[2. RedmiBook Pro 16 **** · ¥4,999.18]",
// the model's year masked as a customer's number would be, beside the
// bot's own line naming it whole (a probe): agents read "****" as a
// secret. The bot's own label keeps what is not a long number.
func TestTheCardShowsAPressedButtonAsLabelled(t *testing.T) {
	data := fixture()
	data[0].Plans[1].Product = "Xiaomi Book Pro 14 2024"
	h := newHarness(t, data)
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	b := c.button("Xiaomi Book Pro 14 2024")
	c.event(supportbot.Event{Kind: supportbot.EventButton, Data: b.Data, Text: b.Text, MessageID: c.on(b.Data)}) // as the bot package gives it
	c.send("我的卡号是 6222 0212 3456 7894 为什么扣不了 2024")
	c.send("/agent")
	card := texts(h.staff())
	if !strings.Contains(card, "[2. Xiaomi Book Pro 14 2024") {
		t.Errorf("the card does not show the pressed plan as labelled:\n%s", card)
	}
	if strings.Contains(card, "3456") || strings.Contains(card, "不了 2024") {
		t.Errorf("the card shows what the customer typed unmasked:\n%s", card)
	}
}

// TestAMessageCrossingTheAgentsCloseSaysItDidNotReachThem: the customer
// writes as the agent closes the chat; the close is taken first (another
// instance, a PostgreSQL probe), and the customer's message — meant for the
// agent — was answered by the bot as if nothing had been going on. It is
// told it did not reach the agent, with a person a tap away; then the close.
func TestAMessageCrossingTheAgentsCloseSaysItDidNotReachThem(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("您好，我来帮您看看")
	c.inbox()
	a.queue("/close")
	ev := supportbot.Event{Kind: supportbot.EventText, Text: "好的 那我的手机分期还剩多少", ChatID: c.id, UserID: c.id, LanguageCode: "zh",
		FirstName: "User", Source: "test:crossing", MessageID: 90001}
	if err := h.eng.Submit(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	h.drain()
	c.inbox()
	c.expect("客服刚刚结束了这次对话", "没有送到客服", "/agent", "客服已结束本次对话")
	c.expect("暂时回答不了") // and answered, as any message (the test FAQ knows none of it)
}

// TestAPersonTakenBackIsNoHandOff: "转人工？不用了 我的账单多少" was handed
// off (a replay, both builds): the bill; taken back alone, no one.
func TestAPersonTakenBackIsNoHandOff(t *testing.T) {
	h := staffHarness(t, true)
	c := h.chat(110, "zh")
	c.identify(phoneZhang)
	c.send("转人工？不用了 我的账单多少")
	c.expect("合计待还")
	c.send("转人工，算了")
	c.expect("不转人工")
	c.reject("/end")
	if staff := h.staff(); len(staff) != 0 {
		t.Errorf("the staff chat got %q; want nothing", texts(staff))
	}
	c.send("我要转人工，我要提前还款") // a request of the bot's beside: handed off, the request a tap away, as before
	c.expect("/end", "你还问到了下面的问题")
}

// TestAPersonAskedWithTheReasonBeside: "我要转人工，扣款失败了" got the failed
// payment's guide, the person asked for never came (a probe). The person
// comes, the reason on the card.
func TestAPersonAskedWithTheReasonBeside(t *testing.T) {
	for i, words := range []string{"我要转人工，扣款失败了", "扣款失败了 转人工", "talk to a human, my payment failed"} {
		h := staffHarness(t, true)
		c := h.chat(int64(100+i), "zh")
		c.identify(phoneZhang)
		c.send(words)
		c.expect("/end")
		c.reject("按这个顺序排查")
		if card := texts(h.staff()); !strings.Contains(card, words) {
			t.Errorf("%q: the card does not hold the words:\n%s", words, card)
		}
	}
}

// TestAPersonAskedAtAQuoteSaysTheQuoteIsClosed: "转人工" at a quote closed
// it without a word, and the 确认 after it found nothing to confirm (a
// probe): the hand-off says first that the step was closed, nothing paid.
func TestAPersonAskedAtAQuoteSaysTheQuoteIsClosed(t *testing.T) {
	h, c := faqSession(t, 1041)
	c.send("K70还这期")
	c.expect("确认还款")
	c.send("转人工")
	c.expect("步骤已经关闭", "没有扣款")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}
