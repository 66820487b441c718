package flows_test

import (
	"context"
	"strings"
	"testing"

	"supportbot"
)

// Found by an outside probe of isolation: a chat is a Telegram account, not
// a customer; what a chat said and was shown while linked to one customer
// is never an agent's view of whoever the chat is linked to next.

// TestACardShowsOnlyThisCustomersPart: a chat identified as 张伟 had a
// ticket (with a note naming his order), looked at his bill and asked about
// it, signed out, and asks for a person unverified, then as Bob: neither
// card carries 张伟's question, bill, order or earlier ticket.
func TestACardShowsOnlyThisCustomersPart(t *testing.T) {
	for _, then := range []string{"unverified", "as Bob"} {
		t.Run(then, func(t *testing.T) {
			h, c, topic := handedOff(t, "zh")
			a := h.agent(7, "小李", topic)
			a.send("/note 张伟说他的 Redmi K70 订单 5241015123456 有问题")
			a.send("/close")
			c.inbox()
			c.send("/bill")
			c.send("我的 Xiaomi Book 还剩多少钱没还")
			c.send("/logout")
			if then == "as Bob" {
				c.identify(phoneBob)
			}
			c.send("/agent")
			card := texts(h.staff())
			for _, leak := range []string{"张伟", "Redmi K70", "Xiaomi Book", "5241015123456", "#T1"} {
				if strings.Contains(card, leak) {
					t.Errorf("the card carries %q of the chat's earlier customer:\n%s", leak, card)
				}
			}
		})
	}
}

// TestATicketIsNotReopenedForAnotherCustomer: an agent's /reopen of 张伟's
// ticket after the chat signed out and identified as Bob is refused, and
// the agent's next words do not reach Bob.
func TestATicketIsNotReopenedForAnotherCustomer(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("你好张伟")
	a.send("/close")
	c.inbox()
	c.send("/logout")
	c.identify(phoneBob)
	if got := texts(a.send("/reopen")); !strings.Contains(got, "不能重开") {
		t.Errorf("the staff chat after /reopen: %q, want it refused", got)
	}
	a.send("张伟先生，您的 Redmi K70 第6期逾期了")
	if c.inbox(); strings.Contains(c.text(), "Redmi K70") || strings.Contains(c.text(), "重新打开") {
		t.Errorf("Bob's chat got 张伟's ticket: %s", c.text())
	}
}

// TestAChatUnlinkedDuringAHandoffEndsItsTicket: 张伟 is with an agent when
// his phone on file changes: the chat is unlinked, the ticket is closed with
// a note saying why (the customer is told the conversation ended too), and
// the agent's next words are not relayed (🤷).
func TestAChatUnlinkedDuringAHandoffEndsItsTicket(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	a.send("你好")
	c.inbox()
	data := fixture()
	data[0].Customer.Phone = "+8613811112222"
	if _, err := h.db.Import(context.Background(), data[:1]); err != nil {
		t.Fatal(err)
	}
	h.drain()
	c.inbox()
	c.expect("手机号已变更", "与人工客服的这次对话也已结束") // the customer hears it too
	c.send("hello?")
	if staff := texts(h.staff()); !strings.Contains(staff, "已解除与客户账户的绑定") {
		t.Errorf("the topic was not told the chat was unlinked: %q", staff)
	}
	if got := a.send("张伟先生，您的 Redmi K70 第6期逾期了 ¥249.92"); len(got) != 1 || got[0].Reaction != "🤷" {
		t.Errorf("the agent's reply after the unlink: %+v, want a 🤷", got)
	}
	if c.inbox(); strings.Contains(c.text(), "Redmi K70") {
		t.Errorf("the agent's words reached the unlinked chat: %s", c.text())
	}
	tk, err := h.db.LastTicket(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	if tk.Status != supportbot.TicketClosed {
		t.Errorf("ticket = %s, want closed", tk.Status)
	}
}

// TestACardNumberAsATelegramNameIsMasked: an unverified chat whose Telegram
// name is a card number asks for a person: the card and the topic's name
// show it masked.
func TestACardNumberAsATelegramNameIsMasked(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.event(supportbot.Event{Kind: supportbot.EventCommand, Text: "agent", FirstName: "6222 0212 3456 7890"})
	staff := h.staff()
	all := texts(staff)
	for _, r := range staff {
		all += "\n" + r.TopicName
	}
	if strings.Contains(all, "3456 7890") || strings.Contains(all, "6222021234567890") || !strings.Contains(all, "****7890") {
		t.Errorf("the staff chat shows the card number in the name unmasked:\n%s", all)
	}
	// A phone number for a name (a probe): masked too.
	p := h.chat(101, "zh")
	p.event(supportbot.Event{Kind: supportbot.EventCommand, Text: "agent", FirstName: "１３８００１３８０００", Username: "u_139_1234_5678"})
	all = ""
	for _, r := range h.staff() {
		all += "\n" + r.Text + "\n" + r.TopicName
	}
	if strings.Contains(all, "１３８００１３８０００") || strings.Contains(all, "139_1234") || !strings.Contains(all, "****５６７８") && !strings.Contains(all, "****5678") {
		t.Errorf("the staff chat shows a phone number of the Telegram name or username:\n%s", all)
	}
	// Grouped by full-width dashes or spaces, dots, en dashes, two spaces (a probe: shown whole).
	for i, name := range []string{"王 139－0013－9000", "李娜 139　0013　9000", "139.0013.9000", "139–0013–9000", "139  0013  9000"} {
		o := h.chat(int64(102+i), "zh")
		o.event(supportbot.Event{Kind: supportbot.EventCommand, Text: "agent", FirstName: name})
		all = ""
		for _, r := range h.staff() {
			all += "\n" + r.Text + "\n" + r.TopicName
		}
		if strings.Contains(all, "0013") || !strings.Contains(all, "****9000") {
			t.Errorf("the staff chat shows the phone number of the Telegram name %q:\n%s", name, all)
		}
	}
}

// TestWhatDidNotReachTheOtherSideIsSaid: found by a second desk probe —
// each of these reached nobody, and nobody was told:
//   - an agent's correction of a reply after the ticket closed;
//   - an anonymous admin writing in a closed ticket's topic;
//   - a customer's words crossing the agent's /close;
//   - /logout while with a person (relayed as text, and nothing done).
func TestWhatDidNotReachTheOtherSideIsSaid(t *testing.T) {
	h, c, topic := handedOff(t, "zh")
	a := h.agent(7, "小李", topic)
	c.send("/logout")
	c.expect("请先发送 /end")
	if staff := texts(h.staff()); strings.Contains(staff, "/logout") {
		t.Errorf("/logout was relayed to the agent: %q", staff)
	}
	a.send("应还 100 元")
	reply := a.sent
	c.inbox()
	a.send("/close")
	c.inbox()
	edit := supportbot.Event{Source: "test:late-edit", ChatID: h.agentChat, UserID: 7, FirstName: "小李", ThreadID: topic,
		Kind: supportbot.EventEdit, MessageID: reply, Text: "应还 12.35 元"}
	if err := h.eng.Submit(context.Background(), edit); err != nil {
		t.Fatal(err)
	}
	h.drain()
	if got := h.staff(); len(got) != 2 || got[1].Reaction != "🤷" || got[1].React != reply || !strings.Contains(got[1].Text, "已关闭") ||
		!strings.Contains(got[0].Text, "修改没有同步给客户") {
		t.Errorf("a correction after the close: %+v, want it said and a 🤷 on the reply (with its words for a chat without reactions)", got)
	}
	anon := supportbot.Event{Source: "test:anon", ChatID: h.agentChat, ThreadID: topic, Kind: supportbot.EventText, Text: "您好",
		Anonymous: true, MessageID: 9001}
	if err := h.eng.Submit(context.Background(), anon); err != nil {
		t.Fatal(err)
	}
	h.drain()
	if got := h.staff(); len(got) != 1 || got[0].ThreadID != 0 || !strings.Contains(got[0].Text, "匿名") {
		t.Errorf("an anonymous admin in a closed topic: %+v, want a word in General (the topic takes no post)", got)
	}
	c.send("等等，我还有一个问题") // written as the agent closed
	c.expect("客服已结束了这次对话，这条消息没有转给客服")
	c.send("稍等") // a word the steps take for themselves: the rating step says it too
	c.expect("客服已结束了这次对话，这条消息没有转给客服")
	c.reject("这一步会等你")
}

// TestAskingForSomeoneElsesBillIsNotAnsweredWithOnesOwn: "帮我查下我老婆的账单"
// showed the asker's own bill with no word that it was theirs (a probe; no
// one else's data leaked, but the customer could take it for hers). A
// request about another person's installments is told the bot serves each
// customer for themselves; the customer's own bill stays a tap away.
func TestAskingForSomeoneElsesBillIsNotAnsweredWithOnesOwn(t *testing.T) {
	h, c := faqSession(t, 600)
	for _, ask := range []string{"帮我查下我老婆的账单 她手机号13900139000", "查一下我妈的账单", "show my wife's bill",
		"帮我查下13900139000的账单 是我老婆的", "查一下139-0013-9000的账单", "这是我妈的账单吗",
		"李娜的账单给我看看", "查一下王芳的分期", // a name, not the customer's
		"看看李娜还欠多少", "李娜欠多少钱", "帮李娜提前还款", "替我朋友还一下这期", "老王的账单", "我老婆李娜的分期多少",
		"帮我妈查一下账单", "show me Emily's bill", "pay off my mom's laptop", "my wife wants to pay off her phone",
		"I'm calling on behalf of my father, show his bill", "my mom’s bill please",
		// a request to act, not only to look (a probe: the asker's own plan was quoted, listed or switched)
		"pay off Li Na's laptop", "can you pay off the laptop for Li Na", "cancel Li Na's scheduled repayment",
		"turn on autopay for Li Na's phone", "提前还款王芳的手机", "取消李娜的预约还款", "给李娜开自动还款", "is my wife late on payments?", "remind my wife to pay", "提醒我老婆还款",
		// more ways of naming one's people (a probe: the asker's own bill or quote came back)
		"我姐的账单", "我哥的分期还剩多少", "我对象的账单", "我老妈的账单", "我儿子张小伟的分期多少钱", "我弟欠多少",
		"帮我儿子把手机分期结清", "我老公的笔记本提前还了吧", "帮我妹还这期", "my gf's bill", "check my bro's plan",
		"my son is late on his payments right?",
		"帮我闺女把这期还了", "帮我家那口子把这期还了", "我老伴的分期还剩多少", // (a probe: the asker's own bill picker came)
		"pay my brother's bill with my card", "我想用我的卡帮我妈还款", "用我的卡替我老婆把这期还了", // whose card pays (a probe: a Pay suggestion)
		// a name owing, or a bill of a name (a probe: the asker's own bill came back)
		"how much does Li Na owe", "how much does Emily owe", "bill of Mr Zhang", "show me the balance of Li Na",
		"Li Na owes how much", "show Zhang Wei bill",
		// another person said as she or he (a probe: the asker's own bill came back)
		"my friend Li Na wants to know how much she owes", "李娜是我朋友 她还欠多少钱", "how much does she owe", "show me her bill",
		"他的分期还剩多少",
		// more of one's people, a name said otherwise, a command's argument (a privacy probe: the asker's own came back)
		"我表哥的账单", "我表姐的分期还剩多少", "我室友的账单", "我同学欠多少", "他们家的账单", "我客户的账单", "李娜还有几期", "查询李娜账单",
		"李娜让我帮她查账单", "bill for my cousin", "my boss's bill", "my client's bill", "my fiance's bill",
		"my brother in law's bill", "their bill", "Emily's next due date", "my neighbor owes how much",
		"cancel my cousin's scheduled repayment", "turn on autopay for my cousin", "show my cousin's cards",
		"remind Emily to pay", "remind my boss to pay", "stop reminding my cousin",
		// a name in lower case, where only a person stands (a probe: the asker's own bill came back)
		"show me emily's bill", "whats emily owe", "how much does emily owe", "emily owes how much", "show emily's installments",
		"how much does wang fang owe", "whats emily zhaos balance", "show me li nas bill", // two words, no apostrophe (a probe)
		"how much does emily still owe", "how much does emily really owe", "how much does wang fang still owe",
		// spoken and dialect kin, she or he owing (a probe: the asker's own came back)
		"帮我姥爷把这期还了", "帮俺娘把这期还了", "俺娘的账单", "我爹的分期还剩多少", "我姥姥的账单", "我哥们的账单", "我小孩的分期多少钱",
		"我家老大的账单", "孩他妈的账单查一下", "她这个月要还多少", "他还有几期没还", "我老婆让我问下她这个月还多少", "我妈问她的手机还剩几期",
		"帮我查下我老公的账单 他自己用不了app", "我妈的分期还剩多少 她不会用手机",
		"/bill 13900139000", "/bill my wife", "/repay 5240607345678",
		// a name, one's people or a phone's tail with words between them and the thing (a probe: the asker's own bill came back)
		"我媳妇儿的小米14还剩几期", "查下 李娜", "James的平板还有多少没还", "帮我查下尾号9000的账单",
		"my missus bill", "帮小芳把这期还了", "how much does Max owe", // a name that is also a model's word (a probe)
		"我老婆叫李娜 她也在你们这分期 帮我看下她的", "帮我查一下陈静的手表", "他的账单多少", // her, his, a name before a device (a probe)
		"我老婆孙薇也有个Redmi K70 她的还剩多少", "她的还清了吗", // hers, said after a device of the asker's kind (a probe: the asker's own bills)
		"刘洋是我老公 他的电视还剩多少", // his, of any kind (a probe: the asker's own bills)
		"my wife has a phone too, how much is left on hers", "my wife also has an installment here, is hers paid off?",
		"Has James paid this month", "Has Emily paid", "Is Emily paid", "Has James already paid", "has he paid", "李娜还了吗", "王芳付了吗",
		"李娜这个月还了吗", "李娜已经还了吗", "李娜是不是还了", "李娜上个月交了吗", "我老婆还了吗", "我妈还了吗", "我老公付了吗", // (a review: each got the asker's own debit) // whether a name paid (a probe: the asker's own debit came back)
		"/bill 李娜", "/bill 王芳", "/repay 欧阳娜娜", "/bill 李明", "/bill Li Na", "/bill Ouyang Nana", "/bill Mr Smith", "/bill Mom", "/bill Wife"} { // a name alone as the argument (a probe: one's own bill)
		c.send(ask)
		c.expect("我只能查看和办理你本人", "[📋 我的账单]")
		c.reject("剩余待还", "要提前结清哪一笔")
	}
	c.send("我的账单")
	c.expect("剩余待还")
	for _, own := range []string{"我这笔还有多少没还", "小米那笔还有多少", "查下 余额", "Redmi的账单", "Xiaomi Book的分期还剩几期", "帮我把这期还了",
		"尾号8000的账单", "尾号3456的分期还剩几期", "卡尾号6789的分期扣款成功了吗", // the customer's own phone's, order's and card's tails
		"金额多的那笔还差多少", "方才那笔扣款成功了吗", "黄色的小米还剩几期", "陈列机那笔还有多少", // words read as names (a probe)
		"can i skip tmrw's payment?", "付款还有多少", "Total Outstanding balance?", "Full Payoff balance", "帮小伟看下还有多少", "Pro的分期还剩几期", // a word, a title, a nickname of their own (a review)
		"我想用我老公的银行卡还我的账单", "pay my bill with my husband's card", "Pay off the laptop for me", "提前还款手机",
		"我妈给我买的手机分期怎么还", "其他的账单呢", "我是张伟 查下账单", "/bill Redmi", "/bill 5241015123456",
		// a reviewer's: one's own, beside other people (each was refused for a while)
		"我是张先生 查下账单", "我是小张 查下账单", "我是武汉的 查下我的账单", "我是程序员，想查下账单", "I'm Zhang Wei, show my bill",
		"老板欠我工资 这个月的账单能晚几天还吗", "我朋友欠我钱还没还 我的账单晚几天还", "商城客服说他们还款系统出问题了 我的账单怎么办",
		"客服说他还款要等一天 我的账单呢", "我老婆手机上装的app 我的账单怎么查", "my boss still owes me my salary, can I pay my bill late?",
		"I want to pay off the phone I bought for my mom", "my wife wants to know when my bill is due",
		"the agent said his account shows I paid, what is my balance", "/repay 戴尔", "/bill 金色", "/bill 张伟", "/bill 黄色", "/bill 金华", "/bill Redmi", "/bill Huawei", "/bill Pro", "/bill Gold",
		"/bill Overdue", "/bill Full Schedule", "/repay Mac", "/pay Alipay", "/bill Emily", "/bill Long Term", "/bill Pan Pro", // words, or a name alone that could be a product: one's own (a review)
		"how much do i owe", "whats my balance", "what's the phone's payment", "let's see the bill", "how's my account",
		"today's bill", "the notebook's installments", "there's a payment due?", "whats my plans balance",
		"show me this months bills", "what do i owe",
		"has it paid", "is everything paid", "did i pay", "is mine paid", "has autopay paid", "is xiaomi paid", "手机还了吗", "张伟还了吗", "我这期还了吗",
		"方才还了吗", "万一还了呢", "has anybody paid", "has deduction paid", "我这个月还了吗", "redmi还了吗", "张伟这个月还了吗", "我已经还了吗",
		"is debt paid", "is emi paid", "is smartphone paid", "has instalment paid", "钱都还了吗", "黄色的还了吗", "石墨灰的还了吗", "谢谢，还了吗", "谢谢还了吗", // (a regression run: refused as someone else's)
		"黄色还了吗", "高配还了吗", "石墨灰还了吗", "许多都还了吗", "钱全还了吗", "Has Wechat paid?", "我让老婆还了，到账没", "我让我妈还了 到账了吗", // whether their own paid
		"how much do i still owe", "how much do i still owe on the pad", "what do i really owe", "do i actually owe anything"} { // one's own (the adverb was read as a name: a probe)
		c.send(own)
		if strings.Contains(c.text(), "我只能查看和办理你本人") {
			t.Errorf("%q (the customer's own) was refused as someone else's", own)
		}
	}
	c.send("查一下13800138000的账单") // the customer's own number
	c.expect("剩余待还")
	for _, ask := range []string{"李娜逾期了吗", "is Li Na overdue?", "my wife Li Na is overdue? how much late fee she has"} { // the guide's answer, not their own status as if hers
		c.send(ask)
		c.expect("我只能查看和办理你本人")
		c.reject("你目前没有逾期的账单", "你的账单里逾期的是")
	}
	c.send("show bill for order 5241000000001") // another customer's order
	c.expect("订单号 ****0001 不在你名下的分期里", "[📋 我的账单]")
	c.reject("剩余待还", "Redmi Buds")
	c.send("show bill for order 5241015123456") // their own
	c.expect("剩余待还")
	c.send("订单5241015123456还剩多少") // their own, asked as the mall's order desk would be
	c.expect("还款计划")
	c.send("订单5241000000001还剩多少")
	c.expect("订单号 ****0001 不在你名下的分期里")
	for _, own := range []string{"张伟的账单", "查一下伟的账单", "周末的还款账单", "小米金融的账单", "我现在还欠多少", "帮我看看账单"} { // their name, or no name
		c.send(own)
		c.reject("我只能查看和办理你本人")
	}
	// Not identified yet: a named person's bill is not taken as the
	// request to resume once the customer shares their contact.
	n := h.chat(601, "zh")
	n.send("查一下李娜的账单")
	n.expect("我只能查看和办理你本人")
	n.share(phoneZhang, 601)
	n.reject("剩余待还")
}

// TestAnUnclearRequestForSomeoneElseOffersNothingOfOnesOwn: a request about
// another person's installments that the FAQ does not understand offered the
// asker's own bill to pay ("🧾 还本期账单" under "替我朋友还一下这期" once the
// FAQ's data moved); it gets the each-for-themselves line instead.
func TestAnUnclearRequestForSomeoneElseOffersNothingOfOnesOwn(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(610, "zh")
	c.identify(phoneZhang)
	for _, ask := range []string{"替我朋友还一下那个东西", "my mom wants to pay something of hers"} {
		c.send(ask) // the test classifier knows neither
		c.expect("我只能查看和办理你本人")
		c.reject("还本期账单", "我不太确定")
	}
	c.send("那个东西还一下") // one's own, not understood: the usual miss
	c.expect("我暂时回答不了")
}

// A kin's device none of the customer's plans is of ("我老婆的手表分期还剩多
// 少" from a customer with no watch) is someone else's: a probe got the
// customer's own bills.
func TestAKinsDeviceNotTheirsIsSomeoneElses(t *testing.T) {
	for _, text := range []string{"我老婆的手表分期还剩多少", "我妈的手表还剩几期", "how much is left on my wife's watch"} {
		_, c := faqSession(t, 1058)
		c.send(text)
		c.expect("只能查看和办理你本人")
		c.reject("合计待还", "Redmi K70")
	}
}

// TestOnesOwnAfterAnothersRefusedIsTheBill: "那我自己的呢", "ok my own then"
// right after another person's bill was refused got unsure (a probe): the
// customer's own bills.
func TestOnesOwnAfterAnothersRefusedIsTheBill(t *testing.T) {
	_, c := faqSession(t, 1202)
	c.send("我老婆的账单给我看看")
	c.expect("我只能查看和办理你本人")
	c.send("那我自己的呢")
	c.expect("你有 2 笔进行中的分期")
	_, e := faqSessionEn(t, 1203)
	e.send("show me my wife's bill")
	e.send("ok my own then")
	e.expect("You have 2 open installment plans")
}
