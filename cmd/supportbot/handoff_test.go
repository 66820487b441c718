package main

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportbot/bot/telegramtest"
)

const staffChat = -100777

var (
	agentWang = telegramtest.User{ID: 9001, FirstName: "王丽"}
	intruder  = telegramtest.User{ID: 5555, FirstName: "Mallory"}
)

// topicMessages waits until the ticket's topic has a message containing want.
func (a *app) topicMessages(want string) (int64, []telegramtest.SentMessage) {
	a.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var hit int64
		for _, m := range a.srv.SentTo(staffChat) {
			if strings.Contains(m.Plain, want) || (want == "[copy]" && m.CopyFromChat != 0) {
				hit = m.ThreadID
			}
		}
		if hit != 0 {
			var in []telegramtest.SentMessage
			for _, m := range a.srv.SentTo(staffChat) {
				if m.ThreadID == hit {
					in = append(in, m)
				}
			}
			return hit, in
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.t.Fatalf("no staff message containing %q; staff chat has %d messages", want, len(a.srv.SentTo(staffChat)))
	return 0, nil
}

func TestHandoffToAnAgentAndBack(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", "-100777", "AGENT_USER_IDS", "9001,9002")
	c := a.customer(7501, "zh")
	c.say("/repay", "分享我的手机号")
	a.srv.ShareContact(c.user, "8613800138000", c.user.ID)
	c.tap(c.next("要提前结清哪一笔分期"), "Xiaomi Book")
	c.sees("合计应付") // the plan list becomes the quote
	c.say("转人工", "排在第 1 位")

	topic, msgs := a.topicMessages("工单 #T1")
	card := msgs[0].Plain
	for _, want := range []string{"张伟（C1）✅ 已验证", "138****8000", "Xiaomi Book", "剩余 ¥4,020.00", "当时在：提前还款",
		"最近的对话", "[2. Xiaomi Book", "转人工"} {
		if !strings.Contains(card, want) {
			t.Errorf("context card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "repay/") || strings.Contains(card, "分期客服助手") {
		t.Errorf("the card shows an internal flow name or the bot's greeting:\n%s", card)
	}
	if topics := a.srv.Topics(); len(topics) != 1 || topics[0].Name != "🟡 #T1 张伟 C1" {
		t.Errorf("topics = %+v, want one named 🟡 #T1 张伟 C1 (waiting)", topics)
	}

	a.srv.SendText(c.user, "手续费能便宜点吗") // relayed, not answered by the bot
	a.topicMessages("👤 手续费能便宜点吗")
	a.srv.SendPhoto(c.user, "photo-file-1", "receipt")
	a.topicMessages("[copy]")

	a.srv.SendGroupText(staffChat, topic, intruder, "give me your card number")
	a.srv.SendGroupText(staffChat, topic, agentWang, "您好，我来帮您看看")
	got := joined(c.next("您好，我来帮您看看"))
	if strings.Contains(got, "give me your card number") {
		t.Fatalf("a non-agent's message reached the customer:\n%s", got)
	}
	if !strings.Contains(got, "王丽 正在为你服务") {
		t.Errorf("the customer was not told who is helping:\n%s", got)
	}

	a.stop() // a restart in the middle keeps relaying
	a.start()
	a.srv.SendText(c.user, "好的谢谢")
	a.topicMessages("👤 好的谢谢")
	a.srv.SendGroupText(staffChat, topic, agentWang, "/faq early-repayment-fee")
	c.next("手续费")
	note, _ := a.srv.MessageOf(a.srv.SendGroupText(staffChat, topic, agentWang, "/note 客户想要减免手续费"))
	a.reacted(note.MessageID, "✍") // kept: a reaction says so, no post

	a.srv.SendGroupText(staffChat, topic, agentWang, "/close")
	rate := c.next("1–5 星")
	if !strings.Contains(joined(rate), "回到机器人") {
		t.Errorf("the customer was not told they are back with the bot")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !a.srv.Topics()[0].Closed && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if tp := a.srv.Topics()[0]; !tp.Closed || tp.Name != "✅ #T1 张伟 C1" {
		t.Errorf("topic = %+v; want closed, named ✅ #T1 张伟 C1", tp)
	}
	c.tap(rate, "5⭐")
	c.sees("感谢你的评价（5 星）")
	a.topicShows(topic, "⭐ 客户评分：5 星") // in the closed topic's closing note
	c.say("/bill", "剩余待还 ¥4,020.00")  // the bot answers for itself again

	list := a.run("tickets")
	if !strings.Contains(list, "#T1") || !strings.Contains(list, "closed") || !strings.Contains(list, "王丽") || !strings.HasSuffix(strings.TrimSpace(list), "5") {
		t.Errorf("tickets:\n%s", list)
	}
}

func TestHandoffRecreatesADeletedTopicAndLinksTheOldTicket(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", "-100777", "AGENT_USER_IDS", "9001")
	c := a.customer(7601, "en") // not identified: the card says so
	c.say("/agent", "number 1")
	topic, msgs := a.topicMessages("工单 #T1")
	if !strings.Contains(msgs[0].Plain, "未验证") {
		t.Errorf("card of an unidentified customer:\n%s", msgs[0].Plain)
	}
	if _, err := a.srv.Bot(t).MakeRequest("deleteForumTopic", map[string]string{
		"chat_id": "-100777", "message_thread_id": itoa(topic)}); err != nil {
		t.Fatal(err)
	}
	a.srv.SendText(c.user, "hello? anyone there")
	newTopic, in := a.topicMessages("👤 hello? anyone there")
	if newTopic == topic {
		t.Fatal("the message went to the deleted topic")
	}
	// Made again with the customer's name and a fresh card, before the message.
	if tp, _ := a.srv.Topic(staffChat, newTopic); tp.Name != "🟡 #T1 User" {
		t.Errorf("the topic made again is named %q, want 🟡 #T1 User", tp.Name)
	}
	if len(in) < 2 || !strings.Contains(in[0].Text, "工单 #T1（原话题在 Telegram 中被关闭或删除，已重建）") || !strings.Contains(in[0].Text, "未验证") {
		t.Errorf("the topic made again does not start with a fresh card: %+v", in)
	}
	a.srv.SendGroupText(staffChat, newTopic, agentWang, "Hi, I'm here")
	c.next("Hi, I'm here")
	// The agent had answered: /end ends it as an agent's /close does, with
	// the invitation to rate.
	if got := joined(c.say("/end", "Rate it from 1 to 5 stars")); !strings.Contains(got, "You ended the conversation with the agent") {
		t.Errorf("/end after an agent answered says:\n%s", got)
	}
	c.say("/agent", "number 1")
	_, msgs = a.topicMessages("工单 #T2")
	if !strings.Contains(msgs[0].Plain, "以往工单：\n• #T1 2026年11月21日 · 王丽 · 未评分") {
		t.Errorf("the new ticket's card does not show the old one with its agent, date and rating:\n%s", msgs[0].Plain)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestHandoffToAStaffChatThatRefusesTheBot: when Telegram will never take the
// staff chat's messages, the customer is told and given the hotline instead
// of waiting on a relay nobody reads.
func TestHandoffToAStaffChatThatRefusesTheBot(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", "-100777", "AGENT_USER_IDS", "9001")
	a.srv.SetMissing(staffChat, true) // the bot was removed from the group
	c := a.customer(7701, "zh")
	c.say("/agent", "排在第 1 位")
	c.next("无法把你转给在线客服")
	c.say("/bill", "分享我的手机号") // back with the bot
	if list := a.run("tickets"); !strings.Contains(list, "referred") {
		t.Errorf("tickets:\n%s", list)
	}
	// The operator is told which chat refuses the bot (a desk probe: a
	// warning per message, the chat a hashed reference).
	if logs := a.logs.String(); !strings.Contains(logs, "the staff chat refuses") || !strings.Contains(logs, "agent_chat_id=-100777") {
		t.Errorf("the log does not name the staff chat that refuses the bot:\n%s", logs)
	}
}

// TestATicketReferredForARefusedPostSaysSoInItsTopic: one post to the
// staff chat refused (the bot's rights taken away for a moment): the
// customer is given the hotline and the ticket referred — and its topic,
// once the bot can post again, says so and closes. Before, it kept its 🟡,
// the agent's replies got a 🤷, and /reopen said the ticket was closed
// over 24 hours ago (a desk probe).
func TestATicketReferredForARefusedPostSaysSoInItsTopic(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7813, "zh")
	c.say("/agent", "排在第")
	topic := a.ticketTopic(1)
	a.topicShows(topic, "#T1")
	a.srv.InjectFaults("sendMessage", 1, telegramtest.Fault{Status: 400, Description: "Bad Request: not enough rights to send text messages to the chat"})
	a.srv.SendText(c.user, "在吗")
	c.next("无法把你转给在线客服")
	a.topicShows(topic, "已转为电话热线")
	a.agentSays(agentWang, topic, "/reopen")
	if _, ok := a.shows(staffChat, 0, "转为了电话热线"); !ok {
		t.Errorf("/reopen of a referred ticket did not say it was referred:\n%s", a.chatText(staffChat, 0))
	}
	if _, ok := a.shows(staffChat, 0, "超过 24 小时"); ok {
		t.Errorf("/reopen of a ticket referred a moment ago said it closed over 24 hours ago:\n%s", a.chatText(staffChat, 0))
	}
	// The next ticket's card says the customer was sent to the hotline (a
	// desk probe: "— · 未评分", as if nothing had come of it).
	c.say("/agent", "排在第")
	a.topicShows(a.ticketTopic(2), "📞 转为电话热线")
}

// TestAReferredTopicIsPutRightWhenAnAgentWritesInIt: the bot removed
// from the staff chat, a ticket's next message referred it to the hotline;
// its topic's new name and closing note went nowhere. Added back, the
// topic kept its 🟢 name, open, and the agent's reply and /close got a
// bare 🤷 (a desk probe). The agent's next message there brings the topic
// up to date: ✅, the note that the customer was given the hotline, closed.
func TestAReferredTopicIsPutRightWhenAnAgentWritesInIt(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7814, "zh")
	c.say("/agent", "排在第")
	topic := a.ticketTopic(1)
	a.agentSays(agentWang, topic, "您好")
	c.sees("王丽：您好")
	a.topicNamed(topic, "🟢 #T1 User · 王丽")
	a.srv.SetMissing(staffChat, true)
	a.srv.SendText(c.user, "还在吗")
	c.sees("无法把你转给在线客服")
	a.srv.SetMissing(staffChat, false)
	a.agentSays(agentWang, topic, "在的")
	a.topicShows(topic, "已转为电话热线")
	a.topicNamed(topic, "✅ #T1 User")
	deadline := time.Now().Add(deskWait)
	for tp, _ := a.srv.Topic(staffChat, topic); !tp.Closed; tp, _ = a.srv.Topic(staffChat, topic) {
		if time.Now().After(deadline) {
			t.Fatalf("the referred ticket's topic is still open: %+v", tp)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := told(a.srv, c.user.ID, "在的"); n != 0 {
		t.Errorf("the agent's reply after the referral reached the customer %d times", n)
	}
}

// TestAStaffChatGoneForAMomentLosesNoOtherTicketsMessage: one ticket's
// relay waits out a 429 while the staff chat refuses the bot for a moment
// (removed by mistake, added back): the ticket whose message was refused
// is referred, and the waiting relay of the other ticket still reaches its
// topic once the bot is back — the staff chat is not a customer whose chat
// is gone for good.
func TestAStaffChatGoneForAMomentLosesNoOtherTicketsMessage(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	first, second := a.customer(7811, "zh"), a.customer(7812, "zh")
	first.say("/agent", "排在第")
	a.ticketTopic(1)
	second.say("/agent", "排在第")
	topic := a.ticketTopic(2)
	a.topicShows(topic, "#T2")

	before := a.srv.Calls("sendMessage")
	a.srv.InjectFaults("sendMessage", 1, telegramtest.RateLimit(3))
	a.srv.SendText(second.user, "我的扣款失败了")
	for a.srv.Calls("sendMessage") == before { // refused for now: it waits 3 s
		time.Sleep(10 * time.Millisecond)
	}
	a.srv.SetMissing(staffChat, true)
	a.srv.SendText(first.user, "还在吗")
	first.next("无法把你转给在线客服")
	a.srv.SetMissing(staffChat, false)

	a.topicShows(topic, "👤 我的扣款失败了")
	if list := a.run("tickets", "--open"); !strings.Contains(list, "#T2") || strings.Contains(list, "#T1") {
		t.Errorf("open tickets, want #T2 and not the referred #T1:\n%s", list)
	}
}

// TestADocumentNamedWithAnIDNumberIsNotRelayed: a customer with a person
// sends a document whose file name holds their ID number: a copy would show
// the name, so the topic gets a line with the name masked instead, and the
// customer is asked to rename the file; a document named otherwise is
// copied as ever.
func TestADocumentNamedWithAnIDNumberIsNotRelayed(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7903, "zh")
	c.say("/agent", "排在第")
	topic := a.ticketTopic(1)
	a.srv.SendDocument(c.user, "doc-id", "身份证11010519491231002X.pdf", "我的证件")
	a.topicShows(topic, "身份证****.pdf")
	c.sees("文件名（或音频标题、投票、地点）里有银行卡号或身份证号")
	// In an album, the name of a later item counts as much as the first's,
	// and so does a later item's caption.
	if _, err := a.srv.SendAlbum(c.user.ID, 0, c.user, telegramtest.Media{Type: "document", FileID: "al-d1", FileName: "bill.pdf"},
		telegramtest.Media{Type: "document", FileID: "al-d2", FileName: "6222021234567890123.jpg"}); err != nil {
		t.Fatal(err)
	}
	a.topicShows(topic, "bill.pdf / ****0123.jpg")
	if _, err := a.srv.SendAlbum(c.user.ID, 0, c.user, telegramtest.Media{FileID: "al-p1"},
		telegramtest.Media{FileID: "al-p2", Caption: "卡号 6222029876543210987"}); err != nil {
		t.Fatal(err)
	}
	a.topicShows(topic, "卡号 ****0987")
	// What else a copy carries — an audio's title, a poll's question and
	// options, a venue's name and address — counts as a file's name does
	// (a probe: each was copied as it came).
	for i, media := range []map[string]any{
		{"audio": map[string]any{"file_id": "aud", "file_unique_id": "uaud", "duration": 3, "title": "6222 0212 3456 7894", "performer": "me"}},
		{"poll": map[string]any{"id": "p1", "question": "哪张卡", "options": []map[string]any{{"text": "110101199003071233", "voter_count": 0}, {"text": "b", "voter_count": 0}},
			"total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "regular", "allows_multiple_answers": false}},
		{"venue": map[string]any{"location": map[string]any{"latitude": 31.2, "longitude": 121.5}, "title": "卡 6222|0212|3456|7894", "address": "上海"}},
		// a quiz's explanation, a checklist's title and tasks (a privacy probe)
		{"poll": map[string]any{"id": "p2", "question": "测验", "options": []map[string]any{{"text": "x", "voter_count": 0}, {"text": "y", "voter_count": 0}},
			"total_voter_count": 0, "is_closed": false, "is_anonymous": true, "type": "quiz", "allows_multiple_answers": false, "explanation": "卡 6222 0298 7654 3214"}},
		{"checklist": map[string]any{"title": "卡号 6222029876543214", "tasks": []map[string]any{{"id": 1, "text": "身份证 11010519491231002X"}}}},
	} {
		msg := map[string]any{"message_id": 99101 + i, "date": time.Now().Unix(),
			"from": map[string]any{"id": c.user.ID, "is_bot": false, "first_name": c.user.FirstName, "language_code": "zh"},
			"chat": map[string]any{"id": c.user.ID, "type": "private", "first_name": c.user.FirstName}}
		maps.Copy(msg, media)
		raw, err := json.Marshal(map[string]any{"message": msg})
		if err != nil {
			t.Fatal(err)
		}
		a.srv.PushRawUpdate(raw)
	}
	a.topicShows(topic, "「****7894 · me」")
	a.topicShows(topic, "哪张卡 · **** · b")
	a.topicShows(topic, "卡 ****7894 · 上海")
	a.topicShows(topic, "测验 · 卡 ****3214")
	a.topicShows(topic, "卡号 ****3214 · 身份证 ****")
	a.srv.SendDocument(c.user, "doc-ok", "证件.pdf", "")
	deadline := time.Now().Add(deskWait)
	var copied []string
	for time.Now().Before(deadline) {
		copied = copied[:0]
		for _, m := range a.srv.SentTo(staffChat) {
			if m.CopyFromChat != 0 {
				copied = append(copied, m.FileID)
			}
		}
		if len(copied) >= 3 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(copied) != 3 {
		t.Errorf("the topic got %d copies, want the photo album's 2 and the renamed document", len(copied))
	}
	for _, m := range a.srv.SentTo(staffChat) {
		for _, secret := range []string{"11010519491231002X", "6222021234567890123", "6222029876543210987", "6222 0212 3456 7894", "110101199003071233", "6222|0212"} {
			if strings.Contains(m.Plain, secret) {
				t.Errorf("the staff chat shows %s: %+v", secret, m)
			}
		}
	}
}

// TestAStaffGroupUpgradedToASupergroupIsNamedInTheLog: Telegram refuses the
// staff chat's messages because the group became a supergroup (a new id):
// the customer gets the hotline, and the log tells the operator the id to
// set AGENT_CHAT_ID to.
func TestAStaffGroupUpgradedToASupergroupIsNamedInTheLog(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	a.srv.InjectFaults("createForumTopic", -1, telegramtest.Migrated(-1009876543210))
	c := a.customer(7704, "zh")
	c.say("/agent", "排在第 1 位")
	c.next("无法把你转给在线客服")
	if logs := a.logs.String(); !strings.Contains(logs, "AGENT_CHAT_ID") || !strings.Contains(logs, "-1009876543210") {
		t.Errorf("the log does not name the supergroup's id:\n%s", logs)
	}
}

// TestHandoffGoesOnPastOneRefusedMessage: Telegram refuses one message
// into the topic for what it is (a photo the customer deleted before it was
// copied): that message is dropped — the customer and the topic are told —,
// the ticket stays open and the customer's next message reaches the agent,
// not the hotline.
func TestHandoffGoesOnPastOneRefusedMessage(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7702, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	a.srv.InjectFaults("copyMessage", 1, telegramtest.Fault{Status: 400, Description: "Bad Request: message to copy not found"})
	a.srv.SendPhoto(c.user, "deleted-photo", "")
	c.sees("无法转给客服") // both sides are told it did not get through
	a.topicShows(topic, "不允许转发到这里")
	a.srv.SendText(c.user, "还在吗")
	a.topicShows(topic, "👤 还在吗")
	a.agentSays(agentWang, topic, "在的，请讲")
	c.next("在的，请讲")
	if strings.Contains(a.chatText(c.user.ID, 0), "无法把你转给在线客服") {
		t.Errorf("one refused copy sent the customer to the hotline:\n%s", a.chatText(c.user.ID, 0))
	}
	if list := a.run("tickets"); strings.Contains(list, "referred") {
		t.Errorf("the ticket was ended:\n%s", list)
	}
}

// TestHandoffMasksNumbersInCaptions: a customer with a person sends a photo,
// a document and an album whose captions hold a card and an ID number: the
// topic gets the media with the numbers masked (a single message's caption
// replaced, an album's removed and its masked caption relayed as text),
// never the customer's own caption, and the customer is told it was masked.
func TestHandoffMasksNumbersInCaptions(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7901, "zh")
	c.say("/agent", "排在第")
	topic := a.ticketTopic(1)
	a.srv.SendPhoto(c.user, "ph-1", "扣款卡 6222021234567890123 扣了两次")
	a.srv.SendDocument(c.user, "doc-1", "id.pdf", "身份证 11010519491231002X")
	if _, err := a.srv.SendAlbum(c.user.ID, 0, c.user, telegramtest.Media{FileID: "al-1", Caption: "卡 6222029876543210987"},
		telegramtest.Media{FileID: "al-2"}); err != nil {
		t.Fatal(err)
	}
	a.topicShows(topic, "卡 ****0987")
	deadline := time.Now().Add(10 * time.Second)
	var copies []telegramtest.SentMessage
	for len(copies) < 4 && time.Now().Before(deadline) {
		copies = copies[:0]
		for _, m := range a.srv.SentTo(staffChat) {
			if m.ThreadID == topic && m.CopyFromChat != 0 {
				copies = append(copies, m)
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	if len(copies) != 4 {
		t.Fatalf("the topic got %d copies, want a photo, a document and an album of 2", len(copies))
	}
	for _, m := range copies {
		for _, secret := range []string{"6222021234567890123", "11010519491231002X", "6222029876543210987"} {
			if strings.Contains(m.Plain, secret) {
				t.Errorf("the topic shows %q unmasked: %q", secret, m.Plain)
			}
		}
	}
	if got := copies[0].Plain + " | " + copies[1].Plain; !strings.Contains(got, "扣款卡 ****0123 扣了两次") || !strings.Contains(got, "身份证 ****") || strings.Contains(got, "002X") {
		t.Errorf("captions = %q; want the customer's words with the numbers masked", got)
	}
	c.sees("打码")
}

// TestASpareTopicSendsTheAgentToTheTicketsTopic: Telegram makes a
// ticket's topic but its answer is lost, so the bot makes the topic again.
// An agent writing in the spare one (named like the ticket's, and empty)
// is told nothing there reaches the customer, with a link to the ticket's
// topic; the customer gets nothing of it, and the ticket's topic works.
func TestASpareTopicSendsTheAgentToTheTicketsTopic(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	a.srv.InjectFaults("createForumTopic", 1, telegramtest.Fault{Processed: true, Drop: true})
	c := a.customer(7705, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	var spare int64
	for _, tp := range a.srv.Topics() {
		if tp.ChatID == staffChat && tp.ThreadID != topic {
			spare = tp.ThreadID
		}
	}
	if spare == 0 {
		t.Fatalf("no spare topic was made: %+v", a.srv.Topics())
	}
	m := a.agentSays(agentWang, spare, "您好，请问有什么可以帮您")
	a.topicShows(spare, "多出来的一个")
	for _, note := range a.srv.SentTo(staffChat) {
		if note.ThreadID != spare {
			continue
		}
		if note.ReplyTo != m.MessageID {
			t.Errorf("the note replies to message %d, want the agent's %d", note.ReplyTo, m.MessageID)
		}
		if link := "/" + strconv.FormatInt(topic, 10) + `"`; !strings.Contains(note.Text, link) {
			t.Errorf("the note does not link the ticket's topic %d: %s", topic, note.Text)
		}
	}
	a.agentSays(agentWang, spare, "/close")
	if list := a.run("tickets"); !strings.Contains(list, "open") {
		t.Errorf("a command in the spare topic acted on the ticket:\n%s", list)
	}
	a.agentSays(agentWang, topic, "在的，请讲")
	c.next("在的，请讲")
	if text := a.chatText(c.user.ID, 0); strings.Contains(text, "请问有什么可以帮您") {
		t.Errorf("the customer got what was written in the spare topic:\n%s", text)
	}
}

// TestAContactSharedWithAPersonIsMaskedInTheTopic: a contact shared during
// a hand-off (a friend's, or one's own) was copied to the staff topic with
// its whole phone number (a probe). The topic gets a line saying a contact
// came, its number masked, and never the card itself.
func TestAContactSharedWithAPersonIsMaskedInTheTopic(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7706, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	a.srv.ShareContact(c.user, "8613912345678", 0) // a friend's card, as Telegram sends it (no "+")
	a.topicShows(topic, "+86 139****5678")
	c.next("号码已打码") // the customer is told what the agent got
	a.srv.ShareContact(c.user, "+8613800138000", c.user.ID)
	a.topicShows(topic, "自己的联系人名片")
	for _, m := range a.srv.Messages(staffChat) {
		for _, full := range []string{"13912345678", "13800138000"} {
			if strings.Contains(m.Text, full) {
				t.Errorf("the staff chat shows %s: %q", full, m.Text)
			}
		}
	}
	for _, m := range a.srv.SentTo(staffChat) {
		if m.CopyFromChat != 0 {
			t.Errorf("a contact card was copied to the staff chat: %+v", m)
		}
	}
}

// TestATopicClosedByHandOpensAgainForTheNextMessage: an admin (not an agent)
// closed an open ticket's topic by hand while the customer's post was under
// way. The customer's next line was an edit of that post, inside the closed
// topic, and nobody was told. Now a customer waiting for a reply has the
// topic open again at once, with a note and their lines anew — also when
// the close and their next line come in one batch (the bot was down for
// both: a probe); one not waiting has it opened by their next message, a
// new post.
func TestATopicClosedByHandOpensAgainForTheNextMessage(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	admin := telegramtest.User{ID: 9100, FirstName: "Admin"}
	c := a.customer(7707, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	a.srv.SendText(c.user, "第一句")
	first := a.topicShows(topic, "👤 第一句")

	a.stop() // the close and the next line taken together
	if a.srv.CloseTopicAs(staffChat, topic, admin) == 0 {
		t.Fatal("the topic was not open")
	}
	a.srv.SendText(c.user, "第二句")
	a.start()
	a.topicShows(topic, "客户还在等回复")
	// The line is in a message after the note (a new post, or the lines
	// posted anew, edited as the line joins them), whichever step ran first.
	anew := func() bool {
		for _, m := range a.srv.Messages(staffChat) {
			if m.FromBot && m.ThreadID == topic && m.MessageID != first.MessageID && strings.Contains(m.Text, "第二句") {
				return true
			}
		}
		return false
	}
	for deadline := time.Now().Add(deskWait); !anew(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the line sent as the topic closed is in no new message:\n%s", a.chatText(staffChat, topic))
		}
	}
	waitOpen := func() {
		t.Helper()
		deadline := time.Now().Add(deskWait)
		for tp, _ := a.srv.Topic(staffChat, topic); tp.Closed; tp, _ = a.srv.Topic(staffChat, topic) {
			if time.Now().After(deadline) {
				t.Fatalf("the topic stays closed: %+v", tp)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitOpen()

	// Answered, then closed by hand: the next line opens it, a new post.
	a.agentSays(agentWang, topic, "在的")
	c.next("在的")
	a.srv.CloseTopicAs(staffChat, topic, admin)
	deadline := time.Now().Add(deskWait)
	for {
		tk, err := a.botDB().TicketByTopic(t.Context(), topic)
		if err == nil && tk.Relay.Reopen {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the close was not taken: %+v %v", tk, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.srv.SendText(c.user, "第三句")
	third := a.topicShows(topic, "👤 第三句")
	if third.MessageID == first.MessageID {
		t.Errorf("the third line was an edit of an old post")
	}
	waitOpen()
}

// TestAnUnansweredTopicClosedByHandOpensAgainAtOnce: a ticket waiting for
// its first reply, the request its customer's only line, was left closed
// when an admin closed its topic, still in the queue (a desk probe): it is
// opened again at once, with a note.
func TestAnUnansweredTopicClosedByHandOpensAgainAtOnce(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	admin := telegramtest.User{ID: 9100, FirstName: "Admin"}
	c := a.customer(7708, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	a.topicShows(topic, "#T1")
	if a.srv.CloseTopicAs(staffChat, topic, admin) == 0 {
		t.Fatal("the topic was not open")
	}
	a.topicShows(topic, "客户还在等第一次回复")
	deadline := time.Now().Add(deskWait)
	for tp, _ := a.srv.Topic(staffChat, topic); tp.Closed; tp, _ = a.srv.Topic(staffChat, topic) {
		if time.Now().After(deadline) {
			t.Fatalf("the topic stays closed: %+v", tp)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestARefusedTopicRenameEndsNoHandoff: one editForumTopic refused (an
// icon Telegram would not take) referred the ticket to the hotline: the
// customer was told the hand-off ended, and the agent's next reply never
// reached them (a probe). A rename is not worth the conversation.
func TestARefusedTopicRenameEndsNoHandoff(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", strconv.Itoa(staffChat), "AGENT_USER_IDS", "9001")
	c := a.customer(7708, "zh")
	c.say("/agent", "排在第 1 位")
	topic := a.ticketTopic(1)
	a.srv.InjectFaults("editForumTopic", 1, telegramtest.Fault{Status: 400, Description: "Bad Request: ICON_EMOJI_INVALID"})
	a.agentSays(agentWang, topic, "/claim")
	c.next("王丽 正在为你服务")
	a.agentSays(agentWang, topic, "您好，我来处理")
	c.next("您好，我来处理")
	if text := a.chatText(c.user.ID, 0); strings.Contains(text, "无法把你转给在线客服") {
		t.Errorf("the customer was told the hand-off ended:\n%s", text)
	}
	if list := a.run("tickets"); strings.Contains(list, "referred") || !strings.Contains(list, "open") {
		t.Errorf("tickets:\n%s", list)
	}
}
