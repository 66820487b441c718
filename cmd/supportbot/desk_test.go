package main

// The agent desk (issue 21) end to end: the real bot package against the
// fake Bot API on 127.0.0.1, agents and customers acting through it.

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportbot/bot/telegramtest"
)

var agentLi = telegramtest.User{ID: 9002, FirstName: "小李", UserName: "xiaoli"}

// deskWait bounds every wait of the desk's tests.
const deskWait = 15 * time.Second

// tap presses the button labelled label on one of msgs, without waiting:
// what it does may edit the message it is on (sees finds that).
func (c *customer) tap(msgs []shown, label string) {
	c.a.t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		for _, b := range msgs[i].Buttons() {
			if strings.Contains(b.Text, label) {
				c.a.srv.PressButton(c.user, msgs[i].SentMessage, b.Data)
				return
			}
		}
	}
	c.a.t.Fatalf("no button %q", label)
}

// sees waits until a message of the bot in the customer's chat, as it reads
// now (edits included), contains want, and returns it.
func (c *customer) sees(want string) telegramtest.ChatMessage {
	c.a.t.Helper()
	m, ok := c.a.shows(c.user.ID, 0, want)
	if !ok {
		c.a.t.Fatalf("the customer's chat shows no message containing %q:\n%s", want, c.a.chatText(c.user.ID, 0))
	}
	return m
}

// shows waits until a bot's message in chat (in topic, when not 0), as it
// reads now, contains want.
func (a *app) shows(chat, topic int64, want string) (telegramtest.ChatMessage, bool) {
	deadline := time.Now().Add(deskWait)
	for {
		for _, m := range a.srv.Messages(chat) {
			if m.FromBot && (topic == 0 || m.ThreadID == topic) && strings.Contains(m.Text, want) {
				return m, true
			}
		}
		if time.Now().After(deadline) {
			return telegramtest.ChatMessage{}, false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// topicShows waits until a bot's message in a staff-chat topic contains want.
func (a *app) topicShows(topic int64, want string) telegramtest.ChatMessage {
	a.t.Helper()
	m, ok := a.shows(staffChat, topic, want)
	if !ok {
		a.t.Fatalf("topic %d shows no message containing %q:\n%s", topic, want, a.chatText(staffChat, topic))
	}
	return m
}

// chatText is what a chat (a topic of it) shows now, for failure messages.
func (a *app) chatText(chat, topic int64) string {
	var b strings.Builder
	for _, m := range a.srv.Messages(chat) {
		if topic == 0 || m.ThreadID == topic {
			fmt.Fprintf(&b, "  #%d (from %d, edits %d) %q\n", m.MessageID, m.From, m.Edits, m.Text)
		}
	}
	return b.String()
}

// reacted waits for the bot's reaction emoji on a staff-chat message.
func (a *app) reacted(messageID int64, emoji string) {
	a.t.Helper()
	deadline := time.Now().Add(deskWait)
	for !slices.Contains(a.srv.Reactions(staffChat, messageID), emoji) {
		if time.Now().After(deadline) {
			a.t.Fatalf("no %s on staff message %d (reactions %q)", emoji, messageID, a.srv.Reactions(staffChat, messageID))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// topicNamed waits until a topic is named name and returns it.
func (a *app) topicNamed(topic int64, name string) telegramtest.Topic {
	a.t.Helper()
	deadline := time.Now().Add(deskWait)
	for {
		tp, _ := a.srv.Topic(staffChat, topic)
		if tp.Name == name {
			return tp
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("topic %d is named %q, want %q", topic, tp.Name, name)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ticketTopic waits for the topic of ticket #T<n> (the one its card opened).
func (a *app) ticketTopic(n int) int64 {
	a.t.Helper()
	topic, _ := a.topicMessages(fmt.Sprintf("工单 #T%d\n", n))
	return topic
}

// agentSays posts text as an agent in a topic and returns the message.
func (a *app) agentSays(u telegramtest.User, topic int64, text string) telegramtest.ChatMessage {
	a.t.Helper()
	m, ok := a.srv.MessageOf(a.srv.SendGroupText(staffChat, topic, u, text))
	if !ok {
		a.t.Fatalf("no message for %q", text)
	}
	return m
}

// press presses the button labelled label on a bot's message in the staff chat.
func (a *app) pressIn(u telegramtest.User, m telegramtest.ChatMessage, label string) {
	a.t.Helper()
	sent := telegramtest.SentMessage{ChatID: m.ChatID, ThreadID: m.ThreadID, MessageID: m.MessageID, Date: m.Date}
	for _, b := range m.Buttons() {
		if strings.Contains(b.Text, label) {
			a.srv.PressButton(u, sent, b.Data)
			return
		}
	}
	a.t.Fatalf("message %d has no button %q: %+v", m.MessageID, label, m.Buttons())
}

// mentions lists the users a message mentions (text_mention entities).
func mentions(m telegramtest.ChatMessage) []int64 {
	var ids []int64
	for _, e := range m.Entities {
		if e.Type == "text_mention" {
			ids = append(ids, e.UserID)
		}
	}
	return ids
}

// metric reads one sample of /metrics, -1 when it is not there.
func (a *app) metric(line string) string {
	a.t.Helper()
	resp, err := http.Get("http://" + a.addr() + "/metrics")
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	for _, l := range strings.Split(string(b), "\n") {
		if name, value, ok := strings.Cut(l, " "); ok && name == line {
			return value
		}
	}
	return "-1"
}

// TestAShiftAtTheDesk is a scripted shift: five customers hand off within a
// minute, two agents take them, claim, transfer and take over; a burst of
// ten messages, a photo and albums, edits both ways; a customer who blocks
// the bot and one whose block the bot learns from a refused reply; a topic
// an agent deletes by hand; notes, ratings, a reopened ticket, /faq and
// /queue; after hours, a customer waits and the reminders escalate.
func TestAShiftAtTheDesk(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", "-100777", "AGENT_USER_IDS", "9001,9002", "LOG_LEVEL", "debug")

	// 10:00 — five customers ask for a person within the minute.
	zhang := a.customer(7801, "zh") // verified: 张伟, an overdue period
	zhang.say("/start", "分期客服助手")
	zhang.say("/bill", "分享我的手机号")
	a.srv.ShareContact(zhang.user, "8613800138000", zhang.user.ID)
	zhang.next("滞纳金")
	zhang.say("我上个月的滞纳金能退吗", "")
	zhang.say("转人工", "排在第 1 位")
	bob := a.customer(7802, "en")
	bob.user.UserName = "bob_k"
	bob.say("/agent", "number 2")
	carol := a.customer(7803, "zh")
	carol.say("/agent", "排在第 3 位")
	dan := a.customer(7804, "zh")
	dan.say("/agent", "排在第 4 位")
	eve := a.customer(7805, "zh")
	eve.say("/agent", "排在第 5 位")

	t1, t2, t3, t4, t5 := a.ticketTopic(1), a.ticketTopic(2), a.ticketTopic(3), a.ticketTopic(4), a.ticketTopic(5)
	card := a.topicShows(t1, "工单 #T1").Text
	for _, want := range []string{"张伟（C1）✅ 已验证", "逾期 1 期共 ¥261.92", "含滞纳金 ¥12.00", "客户的问题：「我上个月的滞纳金能退吗」",
		"[10:00 客户] /start", "[10:00 客户] 我上个月的滞纳金能退吗"} {
		if !strings.Contains(card, want) {
			t.Errorf("T1's card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "分期客服助手") || strings.Contains(card, "[button]") {
		t.Errorf("T1's card keeps the bot's boilerplate:\n%s", card)
	}
	if card := a.topicShows(t2, "工单 #T2").Text; !strings.Contains(card, "客户：User @bob_k ⚠️ 未验证身份") {
		t.Errorf("T2's card does not name the unverified customer's Telegram handle:\n%s", card)
	}
	a.topicNamed(t1, "🟡 #T1 张伟 C1")
	a.topicNamed(t2, "🟡 #T2 User")

	// /queue in the general topic: every open ticket, longest wait first, linked.
	a.agentSays(agentWang, 0, "/queue")
	queue, ok := a.shows(staffChat, 0, "未关闭的工单")
	if !ok {
		t.Fatalf("no answer to /queue:\n%s", a.chatText(staffChat, 0))
	}
	lines := strings.Split(queue.Text, "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[1], "1. 🟡 #T1 张伟 C1") || !strings.HasPrefix(lines[5], "5. 🟡 #T5 User") {
		t.Errorf("/queue =\n%s", queue.Text)
	}
	var links []string
	for _, e := range queue.Entities {
		if e.Type == "text_link" {
			links = append(links, e.URL)
		}
	}
	if len(links) != 5 || links[0] != fmt.Sprintf("https://t.me/c/777/%d", t1) {
		t.Errorf("/queue links = %q, want the five topics, t.me/c/777/%d first", links, t1)
	}

	// 王丽 claims T1: a reaction, the topic's name, the customer told.
	claim := a.agentSays(agentWang, t1, "/claim")
	a.reacted(claim.MessageID, "👍")
	a.topicNamed(t1, "🟢 #T1 张伟 C1 · 王丽")
	zhang.next("王丽 正在为你服务")
	// 小李 wants it too: asked first, then takes it over; 王丽 is told.
	a.agentSays(agentLi, t1, "/claim")
	prompt := a.topicShows(t1, "正由 王丽 处理。要接手吗")
	a.pressIn(agentLi, prompt, "接手")
	note := a.topicShows(t1, "🔁 工单 #T1")
	if got := mentions(note); !slices.Equal(got, []int64{agentWang.ID, agentLi.ID}) {
		t.Errorf("the take-over mentions %v, want both agents (王丽 then 小李):\n%s", got, note.Text)
	}
	a.topicNamed(t1, "🟢 #T1 张伟 C1 · 小李")
	zhang.next("小李 接手了你的对话")
	// 王丽 claims T2 and passes it to 小李 by name.
	a.agentSays(agentWang, t2, "/claim")
	a.topicNamed(t2, "🟢 #T2 User · 王丽")
	a.agentSays(agentWang, t2, "/transfer 小李")
	if note := a.topicShows(t2, "🔁 工单 #T2"); !slices.Equal(mentions(note), []int64{agentWang.ID, agentLi.ID}) {
		t.Errorf("the transfer does not tell both agents:\n%s", note.Text)
	}
	a.topicNamed(t2, "🟢 #T2 User · 小李")
	bob.next("小李 has taken over your conversation")
	audit := a.run("audit", "--json")
	if !strings.Contains(audit, `"action":"ticket_transfer"`) || !strings.Contains(audit, `"from":9001`) || !strings.Contains(audit, `"to":9002`) {
		t.Errorf("the audit does not keep who passed a ticket to whom:\n%s", audit)
	}

	// Carol's burst of ten: one post in T3, edited as it grows.
	for i := 1; i <= 10; i++ {
		a.srv.SendText(carol.user, fmt.Sprintf("第 %d 句", i))
	}
	post := a.topicShows(t3, "👤 第 10 句")
	var posts []string
	for _, m := range a.srv.Messages(staffChat) {
		if m.ThreadID == t3 && m.FromBot && strings.HasPrefix(m.Text, "👤") {
			posts = append(posts, m.Text)
		}
	}
	if len(posts) != 1 || strings.Count(post.Text, "👤 第") != 10 {
		t.Errorf("the burst of ten made %d posts in T3, want one holding all ten:\n%q", len(posts), posts)
	}
	// Queue positions follow: T1 and T2 left the queue.
	a.setClock(now.Add(3 * time.Minute))
	carol.sees("你现在排在第 1 位")
	dan.sees("你现在排在第 2 位")

	// Dan's photo and album reach T4 as a photo and an album.
	a.srv.SendPhoto(dan.user, "receipt-1", "回执")
	if _, err := a.srv.SendAlbum(dan.user.ID, 0, dan.user, telegramtest.Media{FileID: "a1"}, telegramtest.Media{FileID: "a2"},
		telegramtest.Media{FileID: "a3"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(deskWait)
	for {
		var album []string
		for _, m := range a.srv.SentTo(staffChat) {
			if m.ThreadID == t4 && m.MediaGroupID != "" {
				album = append(album, m.FileID)
			}
		}
		if slices.Equal(album, []string{"a1", "a2", "a3"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("T4 got album items %q, want one album a1 a2 a3", album)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// 王丽 answers Dan with an album of her own, signed above it.
	if _, err := a.srv.SendAlbum(staffChat, t4, agentWang, telegramtest.Media{FileID: "w1", Caption: "两张回执"},
		telegramtest.Media{FileID: "w2"}); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(deskWait)
	for {
		var album []string
		for _, m := range a.srv.SentTo(dan.user.ID) {
			if m.MediaGroupID != "" {
				album = append(album, m.FileID)
			}
		}
		if slices.Equal(album, []string{"w1", "w2"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Dan got album items %q, want w1 w2 as one album", album)
		}
		time.Sleep(10 * time.Millisecond)
	}
	dan.sees("👩‍💼 王丽：两张回执")
	photo, _ := a.srv.MessageOf(a.srv.SendGroupPhoto(staffChat, t4, agentWang, "w3", "还款金额 100 元")) // its caption signed
	copied := dan.sees("👩‍💼 王丽：还款金额 100 元")
	if copied.FileID != "w3" {
		t.Errorf("Dan got %+v, want photo w3 with the signed caption", copied)
	}
	// She corrects the caption: Dan's copy changes, no new message.
	if _, err := a.srv.EditText(agentWang, staffChat, photo.MessageID, "还款金额 12.35 元"); err != nil {
		t.Fatal(err)
	}
	deadline = time.Now().Add(deskWait)
	for {
		m, _ := a.srv.Message(dan.user.ID, copied.MessageID)
		if strings.Contains(m.Text, "12.35") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Dan's copy of the photo still reads %q:\n%s", m.Text, a.chatText(dan.user.ID, 0))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := told(a.srv, dan.user.ID, "12.35"); n != 1 {
		t.Errorf("the correction reached Dan %d times, want once, in place", n)
	}
	a.topicNamed(t4, "🟢 #T4 User · 王丽") // her first reply claimed it

	// Edits both ways: 小李 corrects an amount; 张伟 corrects a question.
	wrong := a.agentSays(agentLi, t1, "应还 100 元")
	zhang.next("小李：应还 100 元")
	if _, err := a.srv.EditText(agentLi, staffChat, wrong.MessageID, "应还 12.35 元"); err != nil {
		t.Fatal(err)
	}
	fixed := zhang.sees("小李：应还 12.35 元")
	if fixed.Edits != 1 || strings.Contains(a.chatText(zhang.user.ID, 0), "100 元") {
		t.Errorf("the customer's copy was not corrected in place:\n%s", a.chatText(zhang.user.ID, 0))
	}
	asked, _ := a.srv.MessageOf(a.srv.SendText(zhang.user, "是 12 月的账单吗"))
	a.topicShows(t1, "👤 是 12 月的账单吗")
	if _, err := a.srv.EditText(zhang.user, zhang.user.ID, asked.MessageID, "是 11 月的账单吗"); err != nil {
		t.Fatal(err)
	}
	a.topicShows(t1, "👤 是 11 月的账单吗 ✏️ 已编辑")

	// Eve blocks the bot: T5 knows at once, replies are not sent, and its
	// close says the rating invitation cannot reach her.
	a.srv.Block(eve.user.ID)
	a.topicShows(t5, "⛔ 客户已屏蔽机器人")
	toEve := len(a.srv.SentTo(eve.user.ID))
	a.topicNamed(t5, "⛔ #T5 User")
	a.agentSays(agentLi, t5, "您好，在吗？")
	a.topicShows(t5, "⛔ 没有转给客户：客户已屏蔽机器人")
	a.agentSays(agentLi, t5, "/close")
	a.topicShows(t5, "⚠️ 客户已屏蔽机器人，评分邀请无法送达")
	a.topicNamed(t5, "✅ #T5 User")
	if got := a.srv.SentTo(eve.user.ID); len(got) != toEve {
		t.Errorf("a customer who blocked the bot was sent %d more messages", len(got)-toEve)
	}
	// Bob's block the bot only learns from a refused reply: T2 says so,
	// under the reply that did not arrive.
	a.srv.SetBlocked(bob.user.ID, true)
	lost := a.agentSays(agentLi, t2, "Here is how to repay")
	warn := a.topicShows(t2, "⚠️ 这条回复没有送达：客户已屏蔽机器人")
	for _, m := range a.srv.SentTo(staffChat) {
		if m.MessageID == warn.MessageID && m.ReplyTo != lost.MessageID {
			t.Errorf("the warning replies to message %d, want the undelivered reply %d", m.ReplyTo, lost.MessageID)
		}
	}
	a.topicNamed(t2, "⛔ #T2 User")

	// An agent deletes T4 by hand; Dan writes: a new topic, named, with a
	// fresh card before his message.
	a.srv.DeleteTopic(staffChat, t4)
	a.srv.SendText(dan.user, "还有人吗")
	newT4, in := a.topicMessages("👤 还有人吗")
	if tp, _ := a.srv.Topic(staffChat, newT4); newT4 == t4 || tp.Name != "🟢 #T4 User · 王丽" {
		t.Errorf("T4 made again: topic %d named %q", newT4, tp.Name)
	}
	if len(in) < 2 || !strings.Contains(in[0].Text, "🔄 工单 #T4") {
		t.Errorf("T4's new topic does not start with a fresh card: %+v", in)
	}

	// Notes, /faq, close, rating, reopen, close again.
	noted := a.agentSays(agentLi, t1, "/note 客户卡号 6222 0212 3456 7890 123 扣款失败，已解释滞纳金")
	a.reacted(noted.MessageID, "✍")
	a.agentSays(agentLi, t1, "/faq")
	a.topicShows(t1, "early-repayment-fee")
	faq := a.agentSays(agentLi, t1, "/faq early-repayment-fee")
	a.reacted(faq.MessageID, "👌")
	zhang.next("手续费")
	a.agentSays(agentLi, t1, "/close")
	a.topicShows(t1, "已向客户发送评分邀请")
	rate := zhang.next("1–5 星")
	zhang.tap(rate, "4⭐")
	a.topicShows(t1, "⭐ 客户评分：4 星")
	reopen := a.agentSays(agentLi, t1, "/reopen")
	a.reacted(reopen.MessageID, "👍")
	a.topicNamed(t1, "🟢 #T1 张伟 C1 · 小李")
	zhang.next("小李 重新打开了对话")
	a.srv.SendText(zhang.user, "谢谢，还有一个问题")
	a.topicShows(t1, "👤 谢谢，还有一个问题") // the same topic
	a.agentSays(agentLi, t1, "/close")
	zhang.next("1–5 星")
	// 张伟's next hand-off: the card shows the ticket before, with agent,
	// date, rating and the note (its card number masked).
	zhang.say("/agent", "排在第")
	card = a.topicShows(0, "工单 #T6").Text
	if !strings.Contains(card, "• #T1 2026年11月21日 · 小李 · ⭐ 4 星 · 备注：客户卡号 ") || !strings.Contains(card, "已解释滞纳金（小李）") {
		t.Errorf("T6's card lacks the earlier ticket with agent, date, rating and note:\n%s", card)
	}
	if strings.Contains(card, "6222") || strings.Contains(card, "3456 7890") {
		t.Errorf("a card number reached a card:\n%s", card)
	}

	// 22:00 — after hours: Frank waits; nobody is reminded at night; from
	// 09:05 the reminders come, then escalate, mentioning the agents.
	a.setClock(time.Date(2026, 11, 21, 22, 0, 0, 0, shanghai))
	frank := a.customer(7806, "en")
	frank.say("/agent", "They'll be back")
	tf := a.ticketTopic(7)
	time.Sleep(2500 * time.Millisecond) // a round of the periodic jobs
	for _, m := range a.srv.Messages(staffChat) {
		if m.ThreadID == tf && strings.Contains(m.Text, "⏰") {
			t.Errorf("a reminder at night: %q", m.Text)
		}
	}
	a.setClock(time.Date(2026, 11, 22, 9, 6, 0, 0, shanghai))
	a.topicShows(tf, "⏰ 客户已等待 66") // 665 or 666: the job runs when it runs
	frank.sees("You've waited about 66")
	a.setClock(time.Date(2026, 11, 22, 9, 17, 0, 0, shanghai))
	esc := a.topicShows(tf, "🚨 客户已等待 67")
	if got := mentions(esc); !slices.Equal(got, []int64{agentWang.ID, agentLi.ID}) {
		t.Errorf("the escalation mentions %v, want every agent:\n%s", got, esc.Text)
	}

	// What a supervisor's dashboard reads.
	if got := a.metric("supportbot_handoffs_total"); got != "7" {
		t.Errorf("supportbot_handoffs_total = %s, want 7", got)
	}
	if got := a.metric(`supportbot_ratings_total{rating="4"}`); got != "1" {
		t.Errorf(`supportbot_ratings_total{rating="4"} = %s, want 1`, got)
	}
	var entries []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(a.run("audit", "--json")), "\n") {
		var e map[string]any
		if json.Unmarshal([]byte(l), &e) == nil {
			entries = append(entries, e)
		}
	}
	closes := 0
	for _, e := range entries {
		if e["action"] == "ticket_close" {
			closes++
		}
	}
	if closes != 3 {
		t.Errorf("%d ticket_close audit entries, want 3", closes)
	}
	// A whole shift at debug level: no name, phone, card number or text in the log
	// (the card number by its groups: "6222" alone may be part of a duration).
	logs := a.logs.String()
	for _, secret := range []string{"张伟", "13800138000", "138****8000", "6222 0212", "3456 7890", "62220212", "应还", "滞纳金能退", "bob_k", "小李", "王丽"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}

// TestEndAndCloseAtOnceCloseOnce: customers send /end while their agent
// sends /close, at the same moment: each ticket is closed once — one
// ticket_close in the audit, one rating invitation.
func TestEndAndCloseAtOnceCloseOnce(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	const n = 6
	var cs []*customer
	var topics []int64
	for i := range n {
		c := a.customer(int64(7980+i), "zh")
		c.say("/agent", "排在第")
		topic := a.ticketTopic(i + 1)
		a.agentSays(agentWang, topic, "好的")
		c.next("好的")
		cs, topics = append(cs, c), append(topics, topic)
	}
	for i := range cs {
		a.srv.SendText(cs[i].user, "/end")
		a.srv.SendGroupText(staffChat, topics[i], agentWang, "/close")
	}
	for _, c := range cs {
		c.sees("1–5 星")
	}
	time.Sleep(time.Second) // a second close, if any, is written by now
	closes := map[string]int{}
	for _, e := range a.audit("", "ticket_close") {
		closes[fmt.Sprint(e["ticket_id"])]++
	}
	for i, c := range cs {
		if n := closes[strconv.Itoa(i+1)]; n != 1 {
			t.Errorf("ticket #T%d: %d ticket_close audit entries, want 1", i+1, n)
		}
		if n := told(a.srv, c.user.ID, "1–5 星"); n != 1 {
			t.Errorf("ticket #T%d: %d rating invitations, want 1", i+1, n)
		}
	}
}

// TestAnAnonymousAdminsReplyIsNotRelayedAndSaysSo: an admin of the staff
// group who "remains anonymous" writes in a ticket's topic (Telegram sends
// it from @GroupAnonymousBot, on behalf of the group): the bot cannot tell
// an agent from anyone, so the customer gets nothing — and the topic says
// why, instead of the writer believing they answered.
func TestAnAnonymousAdminsReplyIsNotRelayedAndSaysSo(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7821, "zh")
	c.say("/agent", "排在第")
	topic := a.ticketTopic(1)
	group := map[string]any{"id": staffChat, "type": "supergroup", "title": "客服", "is_forum": true}
	for i, text := range []string{"您好，您的扣款已退回", "/close"} {
		raw, err := json.Marshal(map[string]any{"message": map[string]any{
			"message_id": 99001 + i, "date": time.Now().Unix(),
			"from":        map[string]any{"id": 1087968824, "is_bot": true, "first_name": "Group", "username": "GroupAnonymousBot"},
			"sender_chat": group, "chat": group, "message_thread_id": topic, "is_topic_message": true,
			"text": text,
		}})
		if err != nil {
			t.Fatal(err)
		}
		a.srv.PushRawUpdate(raw)
	}
	a.topicShows(topic, "匿名发送")
	a.srv.SendText(c.user, "还在吗") // still reaches the topic: the ticket is open
	a.topicShows(topic, "👤 还在吗")
	if got := a.chatText(c.user.ID, 0); strings.Contains(got, "扣款已退回") || strings.Contains(got, "客服已结束") {
		t.Errorf("an anonymous message reached the customer or closed the ticket:\n%s", got)
	}
}

// TestAStaffMemberNotAnAgentIsShownTheirMessageWentNowhere: a member of
// the staff group who is not in AGENT_USER_IDS (a supervisor) writes in a
// ticket's topic: nothing reaches the customer and no command is obeyed,
// as before — and a 🤷 on each message says so, where before nothing did
// (a desk probe). An agent's reply after it is relayed as ever.
func TestAStaffMemberNotAnAgentIsShownTheirMessageWentNowhere(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7823, "zh")
	c.say("/agent", "排在第")
	topic := a.ticketTopic(1)
	boss := telegramtest.User{ID: 9555, FirstName: "主管"}
	a.srv.SendText(c.user, "第一句")
	first := a.topicShows(topic, "👤 第一句")
	for _, text := range []string{"您好，您的扣款已退回", "/close"} {
		a.reacted(a.agentSays(boss, topic, text).MessageID, "🤷")
	}
	// The customer's next line is a post below what was written since, not
	// an edit of theirs above it, which notifies nobody (a desk probe).
	a.srv.SendText(c.user, "第二句")
	if m := a.topicShows(topic, "第二句"); m.MessageID == first.MessageID {
		t.Errorf("the customer's line was edited into their post above the member's messages:\n%s", a.chatText(staffChat, topic))
	}
	a.agentSays(agentWang, topic, "您好，我是王丽")
	c.sees("您好，我是王丽")
	if got := a.chatText(c.user.ID, 0); strings.Contains(got, "扣款已退回") || strings.Contains(got, "客服已结束") {
		t.Errorf("a member's message that is no agent's reached the customer or closed the ticket:\n%s", got)
	}
	if _, ok := a.shows(staffChat, 0, "主管"); ok {
		t.Errorf("a member who is no agent was seen as one:\n%s", a.chatText(staffChat, 0))
	}
}

// TestAStaffChatWithoutReactionsGetsTheAcknowledgementAsAReply: the group's
// admins turned reactions off (Telegram refuses setMessageReaction with
// REACTION_INVALID): an agent's /claim is acknowledged by a reply carrying
// the emoji instead, not by nothing.
func TestAStaffChatWithoutReactionsGetsTheAcknowledgementAsAReply(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7822, "zh")
	c.say("/agent", "排在第")
	topic := a.ticketTopic(1)
	a.srv.InjectFaults("setMessageReaction", -1, telegramtest.Fault{Status: 400, Description: "Bad Request: REACTION_INVALID"})
	claim := a.agentSays(agentWang, topic, "/claim")
	a.topicShows(topic, "👍")
	for _, m := range a.srv.SentTo(staffChat) {
		if m.Text == "👍" && m.ReplyTo != claim.MessageID {
			t.Errorf("the 👍 replies to message %d, want the /claim %d", m.ReplyTo, claim.MessageID)
		}
	}
	// In a closed ticket's topic, which takes no post, the 🤷 and its words
	// go to General.
	a.agentSays(agentWang, topic, "/close")
	c.sees("客服已结束本次对话")
	a.agentSays(agentWang, topic, "对了，您的退款明天到账")
	if _, ok := a.shows(staffChat, 0, "没有转给客户"); !ok {
		t.Errorf("a reply in the closed topic was not said to be not relayed:\n%s", a.chatText(staffChat, 0))
	}
}

// TestALineWhoseEditFailedIsEditedAgain: a customer's second line joins
// their post in the topic by an edit; Telegram answered that edit with a
// 429, a 502 or nothing, and the line was counted as delivered — the agent
// never saw it. The edit is tried again and the line shows.
func TestALineWhoseEditFailedIsEditedAgain(t *testing.T) {
	for i, f := range []telegramtest.Fault{{Status: 429, RetryAfter: 1}, {Status: 502}, {Drop: true}} {
		a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
		c := a.customer(int64(8250+i), "zh")
		c.say("/agent", "排在第 1 位")
		topic := a.ticketTopic(1)
		a.srv.SendText(c.user, "第一句")
		a.topicShows(topic, "👤 第一句")
		a.srv.InjectFaults("editMessageText", 1, f)
		a.srv.SendText(c.user, "第二句")
		if _, ok := a.shows(staffChat, topic, "👤 第二句"); !ok {
			t.Errorf("fault %+v: the second line never reached the topic:\n%s", f, a.chatText(staffChat, topic))
		}
		a.stop()
	}
}

// TestACaptionEditedBeforeItsCopyStaysMasked: a photo's copy into the topic
// waited (the staff chat answered 429), and meanwhile the customer edited a
// card number into its caption; the copy took the caption Telegram had then,
// in full. The copy carries the caption as it came; the edit comes masked.
func TestACaptionEditedBeforeItsCopyStaysMasked(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(8304, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	a.srv.InjectFaults("copyMessage", 1, telegramtest.Fault{Status: 429, RetryAfter: 1})
	m, _ := a.srv.MessageOf(a.srv.SendPhoto(c.user, "ph-9", "回执"))
	if _, err := a.srv.EditText(c.user, c.user.ID, m.MessageID, "回执，扣款卡 6222021234567890123"); err != nil {
		t.Fatal(err)
	}
	a.topicShows(topic, "****0123")
	deadline := time.Now().Add(10 * time.Second)
	for a.srv.Calls("copyMessage") < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	copied := false
	for _, cm := range a.srv.Messages(staffChat) {
		if strings.Contains(cm.Text, "6222021234567890123") {
			t.Errorf("the staff topic shows the full card number: %q", cm.Text)
		}
		copied = copied || cm.ThreadID == topic && cm.FileID == "ph-9"
	}
	if !copied {
		t.Errorf("the photo was not copied into the topic:\n%s", a.chatText(staffChat, topic))
	}
}

// TestAnAgentsAlbumCaptionCorrectedIsCorrectedForTheCustomer: an agent sent
// an album captioned "应还 100 元" and corrected the caption to "应还 12.35
// 元"; the customer kept the signed "100 元" and the correction landed as a
// caption on the first photo — both amounts on screen (a probe). The signed
// words are the album's tracked message: the correction edits them.
func TestAnAgentsAlbumCaptionCorrectedIsCorrectedForTheCustomer(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(8102, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	ids, err := a.srv.SendAlbum(staffChat, topic, agentWang, telegramtest.Media{FileID: "w1", Caption: "应还 100 元"}, telegramtest.Media{FileID: "w2"})
	if err != nil {
		t.Fatal(err)
	}
	c.sees("应还 100 元")
	deadline := time.Now().Add(10 * time.Second)
	for a.srv.Calls("copyMessages") == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	m, _ := a.srv.MessageOf(ids[0])
	if _, err := a.srv.EditText(agentWang, staffChat, m.MessageID, "应还 12.35 元"); err != nil {
		t.Fatal(err)
	}
	c.sees("应还 12.35 元")
	time.Sleep(300 * time.Millisecond) // a second copy of the correction would show by now
	got := ""
	for _, m := range a.srv.Messages(c.user.ID) {
		got += m.Text + "\n"
	}
	if strings.Contains(got, "100 元") || strings.Count(got, "12.35") != 1 {
		t.Errorf("the customer's chat after the correction:\n%s", got)
	}
}

// TestAnAgentTakesBackAReplySentToTheWrongCustomer: a reply meant for
// another customer could only be edited (a desk probe); /unsend, replying
// to it in the topic, deletes the customer's copy through Telegram. Sent
// replying to nothing (in a topic a message replies to the topic's first
// one), it says how to use it.
func TestAnAgentTakesBackAReplySentToTheWrongCustomer(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", "-100777", "AGENT_USER_IDS", "9001")
	c := a.customer(7812, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	wrong := a.agentSays(agentWang, topic, "甲先生的扣款回执")
	got := c.next("甲先生的扣款回执")
	copyID := got[len(got)-1].MessageID
	a.agentSays(agentWang, topic, "/unsend")
	a.topicShows(topic, "用法：回复你要撤回的那条消息")
	m, ok := a.srv.MessageOf(a.srv.SendGroupReply(staffChat, topic, agentWang, wrong.MessageID, "/unsend"))
	if !ok {
		t.Fatal("no /unsend message")
	}
	a.reacted(m.MessageID, "👍")
	deadline := time.Now().Add(deskWait)
	for {
		deleted := false
		for _, s := range a.srv.SentTo(c.user.ID) {
			deleted = deleted || s.MessageID == copyID && s.Deleted
		}
		if deleted {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the customer's copy #%d was not deleted: %+v", copyID, a.srv.SentTo(c.user.ID))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAnAgentsMediaSignedAboveThemAreTakenBackWhole: a photo whose caption
// is too long to sign in it (a probe's 1,020 characters reached the customer
// unsigned) is signed in a message above it; /unsend of it, and of an album
// (whose photos stayed: only the signed line went), takes back the photos
// with the words.
func TestAnAgentsMediaSignedAboveThemAreTakenBackWhole(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7825, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	caption := "还款说明：" + strings.Repeat("请核对", 338)
	photo, _ := a.srv.MessageOf(a.srv.SendGroupPhoto(staffChat, topic, agentWang, "w7", caption))
	c.sees("👩‍💼 王丽：还款说明：请核对")
	album, err := a.srv.SendAlbum(staffChat, topic, agentWang, telegramtest.Media{FileID: "w8", Caption: "两张回执"}, telegramtest.Media{FileID: "w9"})
	if err != nil {
		t.Fatal(err)
	}
	c.sees("👩‍💼 王丽：两张回执")
	media := func() map[string]telegramtest.SentMessage {
		got := map[string]telegramtest.SentMessage{}
		for _, m := range a.srv.SentTo(c.user.ID) {
			if m.FileID != "" {
				got[m.FileID] = m
			}
		}
		return got
	}
	deadline := time.Now().Add(deskWait)
	for len(media()) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if got := media(); len(got) != 3 || got["w7"].Text != "" {
		t.Fatalf("the customer got the media %+v; want w7 (its caption signed above it), w8 and w9", got)
	}
	a.srv.SendGroupReply(staffChat, topic, agentWang, photo.MessageID, "/unsend")
	first, _ := a.srv.MessageOf(album[0])
	a.srv.SendGroupReply(staffChat, topic, agentWang, first.MessageID, "/unsend")
	deadline = time.Now().Add(deskWait)
	for {
		var kept []string
		for _, m := range a.srv.SentTo(c.user.ID) {
			if !m.Deleted && (m.FileID != "" || strings.Contains(m.Text, "王丽：")) {
				kept = append(kept, m.FileID+m.Text[:min(len(m.Text), 30)])
			}
		}
		if len(kept) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after /unsend the customer still has %q; the topic:\n%s", kept, a.chatText(staffChat, topic))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRepliesCarryTheirContextAcrossTheDesk: an agent's Telegram reply to
// the customer's post reaches the customer as a reply to their message, and
// the customer's reply to their copy of an agent's message reaches the
// topic marked as one (a desk probe: "好的" to one of several agents'
// answers, and an answer to one of several questions, carried no sign of
// what they answered).
func TestRepliesCarryTheirContextAcrossTheDesk(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7824, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	a.srv.SendText(c.user, "我的卡被扣了两次")
	a.topicShows(topic, "👤 我的卡被扣了两次")
	asked, ok := a.srv.MessageOf(a.srv.SendText(c.user, "两次都是 499.91"))
	if !ok {
		t.Fatal("no message of the customer")
	}
	post := a.topicShows(topic, "499.91") // the post edited: the bot knows its message
	if !strings.Contains(post.Text, "扣了两次") {
		t.Fatalf("the second line is not in the post: %q", post.Text)
	}
	a.srv.SendGroupReply(staffChat, topic, agentWang, post.MessageID, "请问是哪天扣的？")
	copied := c.sees("请问是哪天扣的")
	for _, s := range a.srv.SentTo(c.user.ID) {
		if s.MessageID == copied.MessageID && s.ReplyTo != asked.MessageID {
			t.Errorf("the agent's reply reached the customer replying to #%d; want their message #%d", s.ReplyTo, asked.MessageID)
		}
	}
	a.agentSays(agentWang, topic, "另外您用的是哪张卡？")
	c.sees("哪张卡")
	a.srv.SendReply(c.user, copied.MessageID, "昨天")
	if m := a.topicShows(topic, "昨天"); !strings.Contains(m.Text, "↩️ 回复客服") {
		t.Errorf("the customer's reply reached the topic as %q; want it marked as a reply", m.Text)
	}
	a.srv.SendText(c.user, "招行的卡")
	if m := a.topicShows(topic, "招行的卡"); strings.Contains(m.Text, "↩️ 回复客服：招行") {
		t.Errorf("a line that replies to nothing is marked: %q", m.Text)
	}
}

// TestAContactSharedWhileWaitingVerifiesTheCustomer: a customer not
// verified asks for a person, then shares their own contact through
// Telegram's button: the topic is told who it is, with the account, and
// named after them (a desk probe: a masked number the agent could do
// nothing with).
func TestAContactSharedWhileWaitingVerifiesTheCustomer(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7825, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	a.srv.ShareContact(c.user, "8613800138000", c.user.ID)
	c.sees("验证成功")
	m := a.topicShows(topic, "已验证身份")
	if !strings.Contains(m.Text, "张伟") || !strings.Contains(m.Text, "138****8000") || strings.Contains(m.Text, "13800138000") {
		t.Errorf("the topic was told %q; want 张伟 with the phone masked", m.Text)
	}
	a.topicNamed(topic, "🟡 #T1 张伟 C1")
}
