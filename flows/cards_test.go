package flows_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestCardsListAndChangeTheDefault(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/cards")
	c.expect("1. 农业银行 **** 5555 ✅ 默认", "2. 招商银行 **** 6666", "设为默认：招商银行 **** 6666", "不能绑卡")
	c.reject("设为默认：农业银行")
	c.press("设为默认：招商银行")
	c.expect("确认把默认还款卡改为 招商银行 **** 6666 吗")
	ok := c.button("确认更换").Data
	c.pressData(ok)
	c.expect("默认还款卡已改为 招商银行 **** 6666", "已开启自动还款的 1 笔分期")
	c.pressData(ok) // the old confirm button
	c.expect("已经是默认卡了，没有重复操作")

	e := h.audit("default_card")
	if len(e) != 1 || e[0].CustomerID != "C5" || e[0].Details["card_id"] != "K6" || e[0].Details["previous_card_id"] != "K5" {
		t.Fatalf("default_card audit = %+v, want one for C5 K5 → K6", e)
	}
	c.send("/cards")
	c.expect("1. 招商银行 **** 6666 ✅ 默认", "2. 农业银行 **** 5555", "设为默认：农业银行 **** 5555")
	c.send("/bill")
	c.expect("自动还款：已开启（招商银行 **** 6666）")
	c.send("/pay")
	c.expect("扣款卡：招商银行 **** 6666")
	c.send("/messages")
	c.expect("默认还款卡已改为 招商银行 **** 6666")
}

func TestCardsMarkAFrozenCardUnusable(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("/cards")
	c.expect("1. 招商银行 **** 6789 ✅ default", "2. 工商银行 **** 4321 ⛔ frozen, can't be debited")
	c.reject("Make default")
	nonce := c.button("How to bind").Data[2:8]
	c.pressData("s:" + nonce + ":cards:pick:K2") // forged: the frozen card
	c.expect("is frozen", "can't be your default card")
	c.pressData("s:" + nonce + ":cards:pick:K8") // forged: 王芳's card
	c.expect("This button has expired")
	c.reject("建设银行")
	if n := len(h.audit("default_card")); n != 0 {
		t.Errorf("default_card entries = %d, want 0", n)
	}
}

func TestCardsBindingHappensInTheApp(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/cards")
	c.press("如何绑定新卡")
	c.expect("小米商城 App", "本人名下", "支持在线扣款", "不要在聊天里发送完整卡号")
	c.reject("请输入", "请发送")

	sun := h.chat(700, "en")
	sun.identify(phoneSun)
	sun.send("/cards")
	sun.expect("You have no bank card bound", "Xiaomi mall app")
}

func TestACardNumberIsNeverWanted(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	for _, tc := range []struct {
		command, text string
	}{
		{"/cards", "6222 0212 3456 7890 123"},
		{"/autopay", "卡号是6222-0212-3456-7890"},
		{"/repay", "我的卡 6222021234567890 能用吗"},
		{"/pay", "６２２２０２１２３４５６７８９０"}, // full-width digits
	} {
		c.send(tc.command)
		c.send(tc.text)
		c.expect("请不要发送银行卡号", "不会向你索要")
	}
	// The pay quote stands after the warning.
	c.send("确认")
	c.expect("还款成功")

	entries := h.audit("card_number_refused")
	if len(entries) != 4 {
		t.Fatalf("card_number_refused entries = %d, want 4", len(entries))
	}
	for _, e := range entries {
		if s := fmt.Sprint(e.Details); strings.Contains(s, "6222") {
			t.Errorf("the audit kept the card number: %s", s)
		}
	}

	// A phone number with its country code, or an order number, is not a card number.
	c.send("/cards")
	c.send("+86 138 0013 8000")
	c.reject("请不要发送银行卡号")
	c.send("/cards")
	c.send("5241000000006")
	c.reject("请不要发送银行卡号")
}
