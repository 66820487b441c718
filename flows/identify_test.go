package flows_test

import (
	"testing"
)

func TestStartGreetsInTheClientLanguage(t *testing.T) {
	h := newHarness(t, fixture())
	zh := h.chat(100, "zh-hans")
	zh.send("/start")
	zh.expect("你好", "📋 我的账单", "👤 转人工")
	en := h.chat(101, "en-US")
	en.send("/start")
	en.expect("Hello", "My bills", "Talk to a human")
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
	if got := len(h.audit("identify_refused")); got != 1 {
		t.Errorf("identify_refused audit entries = %d, want 1", got)
	}
	c.send("/bill")
	c.expect("分享我的手机号")
}

func TestIdentifyResumesTheFlowItInterrupted(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/bill")
	c.share(phoneZhang, 100)
	c.expect("验证成功，张伟", "Redmi K70", "Xiaomi Book")
	if !c.last[0].RemoveKeyboard {
		t.Error("the contact keyboard was not removed after identifying")
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
	c.expect("couldn't find an installment account", "Talk to a human")
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
	c.expect("已取消")
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
