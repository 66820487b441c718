package flows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
)

func TestStartGreetsInTheClientLanguage(t *testing.T) {
	h := newHarness(t, fixture())
	zh := h.chat(100, "zh-hans")
	zh.send("/start")
	zh.expect("你好", "📋 我的账单", "👤 转人工")
	en := h.chat(101, "en-US")
	en.send("/start")
	en.expect("Hello", "My bills", "Talk to a person")
	en.send("/lang zh")
	en.expect("已切换为中文")
	en.send("/start") // the client's language no longer overrides the choice
	en.expect("你好")
	en.press("English")
	en.expect("Switched to English")
}

func TestIdentifyRefusesSomeoneElsesContact(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/bill")
	c.expect("分享我的手机号")
	c.share(phoneZhang, 999) // a forwarded contact of another Telegram user
	c.expect("只能分享你自己的联系方式")
	c.reject("张伟", "Redmi", "¥")
	c.send("13800138000") // typing the number proves nothing either
	c.expect("手动输入的号码无法用于验证")
	c.reject("张伟", "¥")
	c.send("+86 138-0013-8000")
	c.expect("手动输入的号码无法用于验证")
	c.send("确认") // not a number: what the step waits for, and the way out
	c.expect("要继续，请点击下方「📱 分享我的手机号」按钮", "返回")
	c.reject("手动输入的号码", "张伟")
	for _, how := range []string{"按钮在哪", "how do i share contact", "怎么验证啊 找不到按钮"} { // how to do what it waits for
		c.send(how)
		c.expect("看不到按钮的话", "四个小方块")
		c.reject("客服热线")
	}
	if got := len(h.audit("identify_refused")); got != 1 {
		t.Errorf("identify_refused audit entries = %d, want 1", got)
	}
	c.send("/bill")
	c.expect("分享我的手机号")
}

// TestAVerifiedCustomerStaysVerifiedAfterAForeignContact: someone else's
// contact sent after verifying is refused, and that is all: no new request
// to verify, and the bill is still theirs at once.
func TestAVerifiedCustomerStaysVerifiedAfterAForeignContact(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.share(phoneBob, 999)
	c.expect("只能分享你自己的联系方式", "你仍以本人身份登录")
	c.reject("分享我的手机号", "Bob")
	c.send("/bill")
	c.expect("Redmi K70")
	c.reject("分享我的手机号")
}

// TestAForeignContactInAStepLeavesNoStepBehindTheMenu: someone else's
// contact shared at a quote, or at the closure's ID check, showed the menu
// and left the step live behind it: a 确认 paid the quote, "4321" sent the
// closure (a probe). At a quote the step says it still waits; at the ID
// check the step is left, and said to be.
func TestAForeignContactInAStepLeavesNoStepBehindTheMenu(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/pay")
	c.press("Redmi K70")
	c.expect("合计应付")
	c.share(phoneBob, 999)
	c.expect("只能分享你自己的联系方式", "你仍以本人身份登录", "还没有扣款")
	c.reject("还有什么可以帮你")

	h = newHarness(t, fixture())
	c = h.chat(300, "en")
	c.identify(phoneBob)
	c.send("/close_account")
	c.press("Go on")
	c.expect("last 4 characters of the ID card number")
	c.share(phoneZhang, 998)
	c.expect("Only your own contact can be used", "closed without being carried out", "What else can I do for you?")
	c.send("4321")
	c.reject("submitted")
	h.drain()
	if n := len(h.audit("closure_request")); n != 0 {
		t.Errorf("%d closure requests after the step was left", n)
	}
}

func TestIdentifyResumesTheFlowItInterrupted(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/bill")
	c.share(phoneZhang, 100)
	c.expect("验证成功，张伟", "Redmi K70", "Xiaomi Book")
	// One message: "verified" and the bills asked for (the contact keyboard
	// is one-time: Telegram hides it once used).
	if len(c.last) != 1 || !strings.HasPrefix(c.last[0].Text, "✅") {
		t.Errorf("identifying answered with %d messages, want one that starts with the verification:\n%s", len(c.last), c.text())
	}
	if got := len(h.audit("identify")); got != 1 {
		t.Errorf("identify audit entries = %d, want 1", got)
	}
}

func TestIdentifyUnknownPhoneOffersAHuman(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.send("/bill")
	c.share("+86 186 0000 0000", 100)
	c.expect("couldn't find an installment account", "Talk to a person")
	c.send("/bill") // still not linked
	c.expect("Share my phone number")
}

func TestLogoutUnlinks(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/logout")
	c.expect("已解除")
	c.send("/bill")
	c.expect("分享我的手机号")
	c.reject("Redmi")
}

func TestCancelLeavesAnyFlow(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/bill")
	c.send("取消")
	c.expect("没有做任何更改")
	c.send("/cancel")
	c.expect("当前没有进行中的操作")
}

func TestButtonsFromAnotherChatOrAnOldStepHaveExpired(t *testing.T) {
	h := newHarness(t, fixture())
	a := h.chat(100, "zh")
	a.identify(phoneZhang)
	a.send("/repay")
	data := a.button("Xiaomi Book").Data

	b := h.chat(200, "zh")
	b.identify(phoneWang)
	b.pressData(data) // a's button, replayed in b's chat
	b.expect("按钮已过期")
	b.reject("Xiaomi Book")

	a.send("/start")
	a.pressData(data) // a's own button, from a step that is over
	a.expect("按钮已过期")
	for _, forged := range []string{"s::repay:plan:P2", "garbage", "v:sched:P4", "s:zzzz:nosuchflow:x"} {
		a.pressData(forged)
		a.expect("按钮已过期")
	}
}

func TestRedeliveredUpdateIsHandledOnce(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	ev := func() int { return len(c.event(eventWithID(7, "/logout"))) }
	if n := ev(); n == 0 {
		t.Fatal("first delivery got no reply")
	}
	if n := ev(); n != 0 {
		t.Errorf("redelivery got %d replies, want none", n)
	}
	if got := len(h.audit("logout")); got != 1 {
		t.Errorf("logout audit entries = %d, want 1", got)
	}
}

// TestAForeignNumberIsNotAMainlandCustomer (issue 15.4): a shared contact's
// number is international, country code first, with or without "+": the US
// number +1 385 234 5678 arrives as 13852345678 and must not identify as
// the mainland customer 138 5234 5678.
func TestAForeignNumberIsNotAMainlandCustomer(t *testing.T) {
	data := append(fixture(), supportbot.CustomerData{
		Customer: supportbot.Customer{ID: "C8", Name: "刘洋", Phone: "+8613852345678", IDCardLast4: "8888", Language: "zh"},
		Plans: []supportbot.Plan{{ID: "P9", CustomerID: "C8", OrderNo: "5241000000009", Product: "Redmi Watch", Partner: "小米分期",
			Principal: 30000, Periods: 3, Bills: monthly("P9", "2026-11-05", 3, 10000, 10000, 0, 0)}},
	})
	h := newHarness(t, data)
	var looked []string
	h.hooks.set(func(k *hooks) {
		k.byPhone = func(ctx context.Context, phone string) (*supportbot.Customer, error) {
			looked = append(looked, phone)
			return k.Core.CustomerByPhone(ctx, phone)
		}
	})
	for i, phone := range []string{"13852345678", "+13852345678", "+1 (385) 234-5678", "447911123456", "+44 7911 123456",
		"85261234567", "+852 6123 4567", "0013852345678"} {
		c := h.chat(int64(700+i), "zh")
		c.send("/bill")
		c.share(phone, c.id)
		c.expect("没有找到与这个手机号关联的分期账户", "转人工")
		c.reject("刘洋", "Redmi Watch")
		c.send("/bill")
		c.expect("分享我的手机号") // still not linked
	}
	for _, p := range looked {
		if p == "+8613852345678" {
			t.Errorf("a foreign number was looked up as the mainland one: %q", looked)
		}
	}
	if got := len(h.audit("identify_unknown")); got != 8 {
		t.Errorf("identify_unknown audit entries = %d, want 8", got)
	}
	if got := len(h.audit("identify")); got != 0 {
		t.Errorf("identify audit entries = %d, want 0", got)
	}
	// The mainland number itself, as Telegram sends it.
	for i, phone := range []string{"8613852345678", "+86 138 5234 5678"} {
		c := h.chat(int64(800+i), "zh")
		c.send("/bill")
		c.share(phone, c.id)
		c.expect("验证成功，刘洋", "Redmi Watch")
	}
}

// TestLanguageOnFileCountsAfterIdentifying (issue 15.12): with no language
// from the client, a customer whose language on file is English gets
// English once identified; a language chosen with /lang still wins.
func TestLanguageOnFileCountsAfterIdentifying(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "")
	c.send("/start")
	c.expect("你好") // Chinese by default
	c.share(phoneBob, 300)
	c.expect("✅ Verified. Hello, Bob Lee!")
	c.send("/bill")
	c.expect("paid off")
	c.send("/lang zh")
	c.send("/bill")
	c.expect("都已结清")

	chosen := h.chat(301, "")
	chosen.send("/lang zh") // chosen before identifying
	chosen.identify(phoneBob)
	chosen.expect("验证成功")
	chosen.reject("Verified")

	h.open() // the choice and the link survive a restart
	chosen.send("/bill")
	chosen.expect("都已结清")
	c.send("/start")
	c.expect("你好")
}

// TestWritingInTheClientsLanguageIsAnsweredInIt: a customer with English
// on file writing Chinese from a Chinese client got English (a probe); one
// with Chinese on file writing English from an English client got Chinese.
// Where the client's language and the one on file differ, the one of the
// two the customer writes in is answered, back and forth (a review: it
// stuck); where they agree, or the client has none (issue 15.12), nothing
// written changes it.
func TestWritingInTheClientsLanguageIsAnsweredInIt(t *testing.T) {
	h := newHarness(t, fixture())
	bob := h.chat(310, "zh-hans") // English on file
	bob.identify(phoneBob)
	bob.expect("Verified")
	bob.send("1") // neither language: on file
	bob.send("我的账单")
	bob.expect("都已结清")
	bob.send("ok") // both languages': no change
	bob.send("/bill")
	bob.expect("都已结清")

	bob.send("show my bill") // and back: what is written, either way (a review: it stuck)
	bob.expect("paid off")

	zhang := h.chat(311, "en") // Chinese on file
	zhang.identify(phoneZhang)
	zhang.expect("验证成功")
	zhang.send("show my bill")
	zhang.expect("open installment plans")
	zhang.send("我的账单")
	zhang.expect("剩余待还")
	zhang.event(supportbot.Event{Kind: supportbot.EventText, Text: "Your bill is due, pay now", Forwarded: true}) // someone else's words
	zhang.send("/bill")
	zhang.expect("剩余待还")

	both := h.chat(313, "zh") // Chinese on file and client: English written is still answered in Chinese
	both.identify(phoneZhang)
	both.send("show my bill")
	both.expect("剩余待还")

	none := h.chat(312, "") // no client language: the one on file
	none.identify(phoneBob)
	none.send("我的账单")
	none.expect("paid off")
}

// TestAChangedPhoneUnlinksTheChat (issue 15.5): a re-import that gives the
// customer another phone (the number recycled to someone else) unlinks the
// chats linked through the old one: they are told, asked to identify again,
// and the audit says so. The new holder of the number sees their own bills.
func TestAChangedPhoneUnlinksTheChat(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/repay") // mid-flow
	c.expect("要提前结清哪一笔分期")
	plan := c.button("Xiaomi Book").Data
	other := h.chat(101, "zh") // a chat of another customer stays linked
	other.identify(phoneWang)

	moved := fixture()[0]
	moved.Customer.Phone = "+8613811112222"
	newHolder := supportbot.CustomerData{
		Customer: supportbot.Customer{ID: "C9", Name: "赵磊", Phone: onFile(phoneZhang), IDCardLast4: "9999", Language: "zh"},
		Plans: []supportbot.Plan{{ID: "P10", CustomerID: "C9", OrderNo: "5241000000010", Product: "Xiaomi Pad", Partner: "小米分期",
			Principal: 20000, Periods: 2, Bills: monthly("P10", "2026-12-01", 2, 10000, 10000, 0, 0)}},
	}
	if _, err := h.db.Import(context.Background(), []supportbot.CustomerData{moved, newHolder}); err != nil {
		t.Fatal(err)
	}
	h.drain() // the core's customer.updated
	c.inbox()
	c.expect("你账户预留的手机号已变更", "重新验证身份")
	if e := h.audit("unlink"); len(e) != 1 || e[0].ChatID != 100 || e[0].CustomerID != "C1" || e[0].Details["reason"] != "phone_changed" {
		t.Errorf("unlink audit = %+v, want one for chat 100 of C1", e)
	}
	c.pressData(plan) // the flow it was in is gone
	c.reject("提前结清报价", "Xiaomi Book")
	c.send("/bill")
	c.expect("分享我的手机号")
	c.reject("Redmi K70")
	c.share(phoneZhang, 100) // the number's new holder
	c.expect("验证成功，赵磊", "Xiaomi Pad")
	c.reject("Redmi K70", "张伟")

	other.send("/bill")
	other.expect("Xiaomi Watch")
	if n := len(h.audit("unlink")); n != 1 {
		t.Errorf("unlink audit entries = %d, want 1", n)
	}
}

// TestAPhoneChangedWithoutAnEventUnlinksAtTheNextStep: the core changed the
// phone and its event has not come (or was lost): the next step that reads
// the customer sees it and unlinks the chat before showing anything.
func TestAPhoneChangedWithoutAnEventUnlinksAtTheNextStep(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	h.hooks.set(func(k *hooks) {
		k.customer = func(ctx context.Context, id string) (*supportbot.Customer, error) {
			cu, err := k.Core.Customer(ctx, id)
			if err == nil && id == "C1" {
				cu.Phone = "+8613811112222"
			}
			return cu, err
		}
	})
	c.send("/bill")
	c.expect("你账户预留的手机号已变更", "分享我的手机号")
	c.reject("Redmi K70", "¥")
	if e := h.audit("unlink"); len(e) != 1 || e[0].Details["reason"] != "phone_changed" {
		t.Errorf("unlink audit = %+v", e)
	}
}

// TestACustomerUpdatedEventUnlinksOnlyForANewPhone: the core's
// customer.updated unlinks the chats of a changed phone, once however often
// it is delivered; one that keeps the phone changes the language on file;
// one older than the link (the phone it names is not on file any more)
// unlinks nobody.
func TestACustomerUpdatedEventUnlinksOnlyForANewPhone(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "")
	c.identify(phoneZhang)
	ctx := context.Background()
	// Made before the chat identified, delivered after (the core retries in
	// no order): the phone it names is not on file any more. The core is asked; nothing happens.
	stale := supportbot.CoreEvent{ID: "evt_stale", Type: supportbot.EventCustomerUpdated, CreatedAt: start.Add(-time.Hour),
		Customer: &supportbot.Customer{ID: "C1", Name: "张伟", Phone: "+8613800137777", Language: supportbot.LangEN}}
	if err := h.eng.CoreEvent(ctx, stale); err != nil {
		t.Fatal(err)
	}
	h.drain()
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("an update older than the phone on file said something: %s", c.text())
	}

	same := supportbot.CoreEvent{ID: "evt_lang", Type: supportbot.EventCustomerUpdated, CreatedAt: start,
		Customer: &supportbot.Customer{ID: "C1", Name: "张伟", Phone: onFile(phoneZhang), Language: supportbot.LangEN}}
	if err := h.eng.CoreEvent(ctx, same); err != nil {
		t.Fatal(err)
	}
	h.drain()
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("an update that keeps the phone said something: %s", c.text())
	}
	c.send("/bill")
	c.expect("Redmi K70", "Remaining") // still linked, now in English

	moved := supportbot.CoreEvent{ID: "evt_phone", Type: supportbot.EventCustomerUpdated, CreatedAt: start,
		Customer: &supportbot.Customer{ID: "C1", Name: "张伟", Phone: "+8613811112222", Language: supportbot.LangEN}}
	h.hooks.set(func(k *hooks) {
		k.customer = func(ctx context.Context, id string) (*supportbot.Customer, error) {
			c, err := k.Core.Customer(ctx, id)
			if c != nil && id == "C1" {
				moved := *c
				moved.Phone = "+8613811112222" // changed in the core, which then tells
				return &moved, nil
			}
			return c, err
		}
	})
	for range 2 { // delivered twice
		if err := h.eng.CoreEvent(ctx, moved); err != nil {
			t.Fatal(err)
		}
		h.drain()
	}
	c.inbox()
	if n := strings.Count(c.text(), "The phone number on your account has changed"); n != 1 {
		t.Errorf("told %d times, want once:\n%s", n, c.text())
	}
	if n := len(h.audit("unlink")); n != 1 {
		t.Errorf("unlink audit entries = %d, want 1", n)
	}
	c.send("/bill")
	c.expect("Share my phone number")
}

// TestUpdateZeroIsDeduplicatedToo (issue 15.8): Telegram's update ids start
// at 0, and a redelivered update 0 is handled once like any other.
func TestUpdateZeroIsDeduplicatedToo(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	if n := len(c.event(eventWithID(0, "/logout"))); n == 0 {
		t.Fatal("update 0 got no reply")
	}
	if n := len(c.event(eventWithID(0, "/logout"))); n != 0 {
		t.Errorf("update 0 redelivered got %d replies, want none", n)
	}
	if got := len(h.audit("logout")); got != 1 {
		t.Errorf("logout audit entries = %d, want 1", got)
	}
}

// TestForgedConfirmOfAnotherCustomersQuotePaysNothing: a well-formed button
// of this chat's step that names another customer's quote neither pays it
// nor tells anything about it.
func TestForgedConfirmOfAnotherCustomersQuotePaysNothing(t *testing.T) {
	h := newHarness(t, fixture())
	a := h.chat(100, "zh")
	a.identify(phoneZhang)
	a.send("/repay")
	a.press("Redmi K70")
	theirs, err := flows.DecodeCallback(a.button("确认还款").Data)
	if err != nil {
		t.Fatal(err)
	}
	b := h.chat(200, "zh")
	b.identify(phoneWang)
	b.send("/repay")
	mine, err := flows.DecodeCallback(b.button("确认还款").Data)
	if err != nil {
		t.Fatal(err)
	}
	forge := func() string {
		data, err := flows.Callback{Kind: flows.CallbackStep, Nonce: mine.Nonce, Flow: "repay", Action: "ok", Arg: theirs.Arg}.Encode()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	b.pressData(forge())
	b.expect("没有执行任何操作")
	b.reject("¥1,511", "Redmi K70", "提前还款成功")

	a.press("确认还款") // paid by its owner…
	a.expect("提前还款成功")
	b.send("/repay")
	mine, _ = flows.DecodeCallback(b.button("确认还款").Data)
	b.pressData(forge()) // …and forged again: nothing about it is told
	b.expect("没有执行任何操作")
	b.reject("已在", "流水号", "Redmi K70")
	if n := len(h.repayments("C3")); n != 0 {
		t.Errorf("王芳's ledger has %d repayments, want none", n)
	}
	if n := len(succeeded(h.repayments("C1"))); n != 1 {
		t.Errorf("张伟's ledger has %d repayments, want 1", n)
	}
	// A step button of a flow the chat is not in, and one of no flow at all.
	for _, c := range []flows.Callback{
		{Kind: flows.CallbackStep, Nonce: mine.Nonce, Flow: "cancel", Action: "ok", Arg: "S1"},
		{Kind: flows.CallbackStep, Nonce: mine.Nonce, Flow: "nosuch", Action: "ok"},
		{Kind: flows.CallbackView, Flow: "sched", Arg: "P1"},
		{Kind: flows.CallbackMenu, Flow: "nosuch"},
	} {
		data, err := c.Encode()
		if err != nil {
			t.Fatal(err)
		}
		b.pressData(data)
		b.expect("没有执行任何操作")
		b.reject("Redmi K70", "已取消预约还款")
	}
	if n := len(h.audit("cancel_scheduled")); n != 0 {
		t.Errorf("cancel_scheduled audit entries = %d, want none", n)
	}
}

// TestIdentifyAnswersWhatNeedsNobody: with the real FAQ, while identifying
// waits for the contact, a question of ours that needs nobody's data is
// answered, and so is one that is not ours (where to go: an order's
// delivery), another request replaces the one identifying resumes, and
// words the classifier reads as a phone number change ("why my phone?") are
// told what the step waits for.
func TestIdentifyAnswersWhatNeedsNobody(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(100, "zh")
	c.send("/bill")
	c.expect("分享我的手机号")
	c.send("可以用微信还款吗")
	c.expect("微信")
	c.reject("要继续", "张伟")
	c.send("为什么要手机号")
	c.expect("要继续，请点击下方「📱 分享我的手机号」按钮")
	c.reject("更换手机号")
	c.send("我的快递到哪了")
	c.expect("小米商城 App")
	c.reject("要继续")
	c.send("我要提前还款")
	c.expect("分享我的手机号")
	c.share(phoneZhang, 100)
	c.expect("验证成功，张伟", "要提前结清哪一笔分期")
}

// TestAContactOfNoCustomerUnlinksTheChat: a linked chat shared its own
// contact, and the number was no customer's; the chat stayed linked, and
// the next /bill showed the customer's bill (a probe). The account has
// shown its number is not the one on file: the link is undone, audited.
func TestAContactOfNoCustomerUnlinksTheChat(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.share("+86 138 1111 2222", 100)
	c.expect("之前的身份验证已解除", "没有找到")
	if e := h.audit("unlink"); len(e) != 1 || e[0].CustomerID != "C1" || e[0].Details["reason"] != "contact_unknown" {
		t.Errorf("unlink audit = %+v, want one of C1 for contact_unknown", e)
	}
	c.send("/bill")
	c.expect("分享我的手机号")
	c.reject("Redmi K70", "剩余待还")
}

// TestLeavingTheContactStepTakesItsKeyboardDown: /start or /menu while the
// contact was asked for showed the menu and left the "share my phone"
// keyboard up (a probe: its 返回 then answered "nothing to leave"). As
// /cancel does, a message of its own takes it down; the menu follows.
func TestLeavingTheContactStepTakesItsKeyboardDown(t *testing.T) {
	h := newHarness(t, fixture())
	for i, cmd := range []string{"/start", "/menu", "/cancel"} {
		c := h.chat(int64(300+i), "zh")
		asked := c.send("/bill")
		if !slices.ContainsFunc(asked, func(r supportbot.Reply) bool { return r.AskContact != "" }) {
			t.Fatalf("/bill asked for no contact: %+v", asked)
		}
		got := c.send(cmd)
		if !slices.ContainsFunc(got, func(r supportbot.Reply) bool { return r.RemoveKeyboard }) {
			t.Errorf("%s while the contact was asked for left its keyboard up: %+v", cmd, got)
		}
		c.expect("已退出当前操作", "[📋 我的账单]")
	}
}

// TestAButtonNamingAnotherCustomersPlan: a menu button naming a plan that
// is not the customer's (another's, pressed in a shared chat after
// switching, or forged) showed the customer's own list without a word (a
// probe). They are told the button's plan is not in their account, and
// nothing of the other plan is shown.
func TestAButtonNamingAnotherCustomersPlan(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	for _, data := range []string{"m:repay:P3", "m:pay:P4"} {
		c.pressData(data)
		c.expect("不在你的账户")
		c.reject("Redmi Buds", "Xiaomi Watch")
	}
	if n := len(h.repayments("C1")) + len(h.repayments("C2")) + len(h.repayments("C3")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestARequestBeforeIdentifyingKeepsItsWords: "我要提前还款笔记本" from a chat
// not yet identified, by a customer with no laptop, quoted their one phone's
// payoff once they shared their contact; "给笔记本开自动还款" asked to turn
// on the phone's (a probe). The flow resumed after identifying reads the
// words that asked for it: the plan they name, or that none is of that kind
// (the list to pick from, never another plan's quote).
func TestARequestBeforeIdentifyingKeepsItsWords(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	z := h.chat(701, "zh")
	z.send("给笔记本开自动还款")
	z.expect("分享")
	z.share(phoneZhang, z.id)
	z.expect("确认为「Xiaomi Book」开启自动还款吗")
	z.reject("Redmi K70")
	b := h.chat(702, "en")
	b.send("pay off my tablet")
	b.share(phoneZhang, b.id)
	b.expect("你的分期里没有「tablet」", "要提前结清哪一笔分期") // 张伟's language on file
	b.reject("提前结清报价")
}

// TestLeavingAStepByLogoutOrAnotherContactSaysSo: /logout or another
// customer's contact shared at a quote closed it without a word, where
// /menu says nothing was charged (a probe). Both say it.
func TestLeavingAStepByLogoutOrAnotherContactSaysSo(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(720, "zh")
	c.identify(phoneZhang)
	c.send("/pay")
	c.press("Redmi K70")
	c.send("/logout")
	c.expect("没有扣款，也没有做任何更改", "已解除")
	c.identify(phoneZhang)
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.share(phoneWang, c.id)
	c.expect("没有扣款，也没有做任何更改", "✅")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestAnotherAccountProvingThePhoneIsToldToTheFirst: a second Telegram
// account sharing its own contact with the phone of a customer another
// chat is linked through was linked without a word to either (an isolation
// probe). A number belongs to one account at a time: the older chat is
// told at once, with a person a tap away, and it is audited; which of the
// two is the customer is a person's to tell, so both stay linked.
func TestAnotherAccountProvingThePhoneIsToldToTheFirst(t *testing.T) {
	h := newHarness(t, fixture())
	a, b := h.chat(100, "zh"), h.chat(101, "en")
	a.identify(phoneZhang)
	b.identify(phoneZhang)
	a.inbox()
	a.expect("安全提醒", "另一个 Telegram 账号上完成了验证", "[👤 转人工客服]")
	if b.inbox(); len(b.last) != 0 {
		t.Errorf("the account that proved the phone was told: %s", b.text())
	}
	if n := len(h.audit("phone_claimed_elsewhere")); n != 1 {
		t.Errorf("%d phone_claimed_elsewhere audit entries, want 1", n)
	}
	a.identify(phoneZhang) // the first again: now the second is told
	b.inbox()
	b.expect("安全提醒") // in the language on file
	c := h.chat(102, "zh")
	c.identify(phoneBob) // another customer's phone: nobody else is told
	if a.inbox(); len(a.last) != 0 {
		t.Errorf("a chat was told of another customer's identification: %s", a.text())
	}
	a.send("/bill")
	a.expect("Redmi K70")
}

// TestAnotherCustomersContactForgetsWhatWasTalkedOf: after a closure's
// check, another customer's contact in the same chat and a bare "为什么"
// got the closure's check again, as if followed up (a probe): the chat
// linked anew remembers nothing of the customer before.
func TestAnotherCustomersContactForgetsWhatWasTalkedOf(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(1084, "zh")
	c.identify(phoneZhang)
	c.send("我要注销")
	c.expect("暂时还不能注销分期账户")
	c.identify(phoneWang)
	c.send("为什么")
	c.reject("暂时还不能注销分期账户")
}
