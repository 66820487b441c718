package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"supportbot"
)

func TestCardsListAndChangeTheDefault(t *testing.T) {
	h, c := session(t, payFixture(), phoneZhao, "/cards")
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

// TestADefaultCardNamedInWordsIsAskedAndSet: "把建行卡设成默认卡" got the list
// alone, and its 确认 did nothing; at the list "招商银行" with two 招商 cards
// got the other platforms' answer; "不对 我要民生的" at the confirmation the
// hotline, the step dropped (audits). The card named is asked to confirm;
// a bank of two cards, which; a correction, the card corrected to.
func TestADefaultCardNamedInWordsIsAskedAndSet(t *testing.T) {
	data := payFixture()
	c5 := customerIn(t, data, "C5")
	c5.Cards = append(c5.Cards, supportbot.Card{ID: "K10", Bank: "招商银行", Last4: "7733"})
	h, c := faqSessionOn(t, data, 860, phoneZhao)
	c.send("把招商6666设成默认卡")
	c.expect("确认把默认还款卡改为 招商银行 **** 6666 吗")
	c.send("不对 我要7733那张")
	c.expect("确认把默认还款卡改为 招商银行 **** 7733 吗")
	c.send("确认")
	c.expect("默认还款卡已改为 招商银行 **** 7733")
	if e := h.audit("default_card"); len(e) != 1 || e[0].Details["card_id"] != "K10" {
		t.Errorf("default_card audit = %+v, want one for K10", e)
	}
	c.send("/cards")
	c.send("招商银行")
	c.expect("这家银行你有不止一张卡", "招商银行 **** 6666", "招商银行 **** 7733")
	c.reject("花呗")
	// Which one is the default, asked: the list says (a replay was asked
	// which to set).
	c.send("两张招商卡 默认的是哪张")
	c.expect("✅ 默认")
	c.reject("要设哪一张为默认")
}

// TestTwoCardsThatReadTheSameAreToldApart: two cards of one bank ending in
// the same 4 digits: the buttons that choose one carry its place in the
// list, so the customer knows which they pressed (they looked identical,
// and the default seemed not to change: a data probe).
func TestTwoCardsThatReadTheSameAreToldApart(t *testing.T) {
	data := payFixture()
	c5 := customerIn(t, data, "C5")
	c5.Cards[1].Bank, c5.Cards[1].Last4 = "农业银行", "5555"
	_, c := session(t, data, phoneZhao, "/cards")
	c.expect("1. 农业银行 **** 5555 ✅ 默认", "2. 农业银行 **** 5555", "[设为默认：2. 农业银行 **** 5555]")
	c.send("/pay")
	c.press("换一张卡")
	c.expect("[1. 农业银行 **** 5555]", "[2. 农业银行 **** 5555]")
}

func TestCardsMarkAFrozenCardUnusable(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("/cards")
	c.expect("1. China Merchants Bank **** 6789 ✅ default", "2. ICBC **** 4321 ⛔ frozen, can't be debited")
	c.reject("Make default")
	nonce := c.button("How to bind").Data[2:8]
	c.pressData("s:" + nonce + ":cards:pick:K2") // forged: the frozen card
	c.expect("is frozen", "can't be your default card")
	c.pressData("s:" + nonce + ":cards:pick:K8") // forged: 王芳's card
	c.expect("nothing was done")
	c.reject("建设银行")
	if n := len(h.audit("default_card")); n != 0 {
		t.Errorf("default_card entries = %d, want 0", n)
	}
}

// At the cards' list, "the other one" is the one other card — here a
// frozen one, which cannot be the default — and a bank none of the cards is
// of is said so (a probe: unsure, and the partners' channels).
func TestTheOtherCardOrABankNotOnFileAtTheList(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("/cards")
	c.send("the other one")
	c.expect("ICBC **** 4321 is frozen", "can't be your default card")
	c.send("use Bank of China")
	c.expect("You have no Bank of China card")
	c.reject("financing partner")
	if n := len(h.audit("default_card")); n != 0 {
		t.Errorf("default_card entries = %d, want 0", n)
	}
}

func TestCardsBindingHappensInTheApp(t *testing.T) {
	h, c := session(t, payFixture(), phoneZhao, "/cards")
	c.press("如何绑定新卡")
	c.expect("小米商城 App", "本人名下", "支持在线扣款", "不要在聊天里发送完整卡号")
	c.reject("请输入", "请发送")
	c.press("转人工客服") // not a dead end: the way back and a person
	c.expect("客服热线")

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
		c.expect("请不要在聊天里发送完整的卡号、证件号", "不会向你索要")
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
	c.reject("请不要在聊天里发送完整的卡号、证件号")
	c.send("/cards")
	c.send("5241000000006")
	c.reject("请不要在聊天里发送完整的卡号、证件号")
}

// TestCardAndIDNumbersAreMaskedAtTheDoor (issue 15.10): a card or ID number
// typed anywhere — at the top level, while identifying, at the closure's
// identity question — is warned about once, changes nothing, and is kept
// nowhere unmasked: not in the transcript, the audit, nor the questions the
// bot could not answer.
func TestCardAndIDNumbersAreMaskedAtTheDoor(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	secrets := []string{"6222021234567890123", "110101199003071234", "11010119900307123X"}
	for text, answered := range map[string]bool{
		"卡号 6222 0212 3456 7890 123 怎么还款": true, // top level: the question is still answered
		"身份证 110101199003071234":          false,
	} {
		c.send(text)
		if n := strings.Count(c.text(), "请不要在聊天里发送完整的卡号、证件号"); n != 1 {
			t.Errorf("%q: warned %d times, want once:\n%s", text, n, c.text())
		}
		c.expect("银行卡号或身份证号") // an ID number is not called a card number
		if got := strings.Contains(c.text(), "TITLE(early-repayment)"); got != answered {
			t.Errorf("%q: the question answered: %v, want %v:\n%s", text, got, answered, c.text())
		}
		c.reject("暂时回答不了")
	}
	c.send("/bill") // while identifying
	c.send("6222021234567890")
	c.expect("请不要在聊天里发送完整的卡号、证件号")
	c.share(phoneBob, 100)
	c.expect("Verified") // the flow it was in goes on
	c.send("/close_account")
	c.press("Go on")
	c.send("11010119900307123X") // the whole ID number at the identity question
	c.expect("Please don't send full card or ID numbers")
	c.reject("You have 2 tries left", "Closure request submitted")
	c.send("4321")
	c.expect("Closure request submitted")
	if n := len(h.audit("closure_identity_failed")); n != 0 {
		t.Errorf("the masked answer counted as a wrong one: %d failures", n)
	}

	if len(h.missed) != 1 || h.missed[0] != "卡号  怎么还款" {
		t.Errorf("recorded as unanswered questions: %q, want the question without its number", h.missed)
	}
	conv, err := h.db.Conversation(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	all, err := h.db.Audit(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	kept := fmt.Sprint(conv.Transcript.Lines(), conv.Slots, all)
	for _, s := range secrets {
		for _, part := range []string{s, s[:12], "6222 0212"} {
			if strings.Contains(kept, part) {
				t.Errorf("%q is kept somewhere: %s", part, kept)
			}
		}
	}
	if n := len(h.audit("card_number_refused")); n != 4 {
		t.Errorf("card_number_refused entries = %d, want 4", n)
	}
}

// TestAFrozenDefaultCardSaysWhatIsUsedInstead: with the default card frozen,
// /cards does not just say payments use the default card: it says a payment
// here uses the usable one, and that auto-repayment would fail.
func TestAFrozenDefaultCardSaysWhatIsUsedInstead(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C3").Cards = []supportbot.Card{
		{ID: "K9", Bank: "工商银行", Last4: "4321", Default: true, Frozen: true},
		{ID: "K8", Bank: "建设银行", Last4: "8888"},
	}
	_, c := session(t, data, phoneWang, "/cards")
	c.expect("默认卡已冻结", "在这里还款会改用 建设银行 **** 8888", "自动还款仍从默认卡扣，会失败")
}

// TestAFrozenCardAskedAboutGetsItsAnswer: "工行卡为什么冻结了" at the card
// list was read as a pick (it "cannot be the default"), and out of it got
// a payoff's sum; "怎么解冻" a scam warning (a probe). A question about a
// frozen card gets the frozen card's answer, with the customer's own.
func TestAFrozenCardAskedAboutGetsItsAnswer(t *testing.T) {
	_, c := faqSession(t, 670) // 张伟: 工商银行 **** 4321 frozen
	for _, q := range []string{"工行卡为什么冻结了", "怎么解冻"} {
		c.send(q)
		c.expect("联系发卡银行", "工商银行 **** 4321 已冻结")
		c.reject("不能设为默认卡")
	}
	c.send("/cards")
	c.send("工行卡为什么冻结了")
	c.expect("联系发卡银行")
	c.reject("不能设为默认卡")
	// A card closed, lost or stolen: what to do with it and another card (a
	// facts audit got "other lenders' loans are not handled here"; a probe,
	// the debits ahead with "make sure the card holds enough").
	for _, q := range []string{"银行卡注销了怎么还分期", "银行卡丢了怎么挂失", "my card got stolen, will you still debit it?", "我卡丢了 明天还会扣吗", "我银行卡被偷了"} {
		c.send(q)
		c.expect("先联系发卡银行挂失", "/cards", "/cancel_schedule")
		c.reject("都不在这里处理", "余额充足", "你绑定的还款银行卡")
	}
	for _, q := range []string{"我的卡到期了吗？分期还剩几期", "我用银行卡还清后注销分期账户可以吗"} {
		c.send(q) // a question of the plan, the account's closure (a regression run)
		c.reject("先联系发卡银行挂失")
	}
}

// TestACardAskedToBeUnboundIsToldWhere: "中行那张卡我不用了 帮我解绑" got the
// frozen card's guide (an audit). Unbinding is not done here: said above
// their cards; a Mi account's phone is not a card.
func TestACardAskedToBeUnboundIsToldWhere(t *testing.T) {
	_, c := faqSession(t, 760)
	c.send("工行那张卡我不用了 帮我解绑")
	c.expect("这里不能解绑银行卡", "招商银行 **** 6789")
	for _, ask := range []string{"不需要还款卡了 怎么解绑", "remove my icbc card please", "can i remove my icbc card"} { // at the cards' list: not a pick; asked "can i" (a probe: "can't answer")
		c.send(ask)
		c.expect("这里不能解绑银行卡")
		c.reject("不能设为默认卡", "设为默认还款卡吗")
	}
	c.send("小米账号绑定的手机怎么解绑")
	c.reject("这里不能解绑银行卡")
	_, c = faqSession(t, 1070)
	c.send("can i remove my icbc card") // asked "can i", outside the list (a probe: "can't answer")
	c.expect("这里不能解绑银行卡")
}

// "no, the other one" at a card's confirmation is the other card (a probe
// got the prompt-injection notice): here the default already.
func TestTheOtherCardAtACardsConfirmation(t *testing.T) {
	_, c := faqSessionOn(t, payFixture(), 731, phoneZhao)
	c.send("/lang en")
	c.send("make cmb my default card")
	c.expect("China Merchants Bank **** 6666")
	c.send("no, the other one")
	c.expect("Agricultural Bank of China **** 5555 is already your default card")
	c.reject("My rules cannot be changed")
}

// Which card is the default, asked, is the cards' list with it marked (a
// probe got unsure).
func TestWhichCardIsTheDefaultIsTheList(t *testing.T) {
	_, c := faqSession(t, 749)
	for _, q := range []string{"现在默认是哪张", "which one is default"} {
		c.send(q)
		c.expect("招商银行 **** 6789 ✅")
		c.send("/menu")
	}
}

// TestTheCardADebitComesFromAsked: which card a debit comes from, or to
// have it come from another ("自动还款扣的是交行卡吗", "我想换成交行卡扣款",
// "will tomorrow's payment come from hsbc") got unsure (a probe): the
// cards, the default marked as the one both take — and a card named to
// debit from, its confirmation as the default. A payment of this period
// on a card named stays a payment.
func TestTheCardADebitComesFromAsked(t *testing.T) {
	data := fixture()
	data[0].Cards = append(data[0].Cards, supportbot.Card{ID: "K3", Bank: "交通银行", Last4: "5555"})
	_, c := faqSessionOn(t, data, 1026, phoneZhang)
	for _, q := range []string{"自动还款扣的是交行卡吗", "扣款用的是哪张卡"} {
		c.send(q)
		c.expect("招商银行 **** 6789 ✅", "交通银行 **** 5555", "都从默认卡扣款")
		c.reject("不太确定")
		c.send("/menu")
	}
	c.send("下期从哪张卡扣") // by its day: the debits to come, each with its card
	c.expect("接下来会自动扣款的", "「Redmi K70」第 7 期", "招商银行 **** 6789")
	c.send("我想换成交行卡扣款")
	c.expect("交通银行 **** 5555")
	c.press("确认")
	c.expect("默认还款卡已改为 交通银行 **** 5555")
	c.send("以后都用招行卡扣款")
	c.expect("招商银行 **** 6789")
	c.send("/menu")
	c.send("我想换卡还款 招行卡没钱了") // another card to pay with: theirs, where the default is changed (a probe: unsure)
	c.expect("你绑定的还款银行卡", "交通银行 **** 5555")
	c.send("/menu")
	c.send("我想换成建行卡扣款") // a bank none of theirs is of: said, under their cards (a probe: the list alone)
	c.expect("你没有绑定中国建设银行的卡", "交通银行 **** 5555")
	c.send("/menu")
	c.send("/lang en")
	c.send("will tomorrow's payment come from hsbc")
	c.expect("default card")
	c.reject("not sure")
	c.send("K70这期用招行卡扣吧")
	c.expect("Redmi K70", "Confirm")
}

// TestAPayoffOnACardNamedIsItsQuoteOnThatCard: "提前还款用建行卡" got unsure,
// and at the cards' list "already the default card", no quote (a probe):
// the payoff's quote, on that card.
func TestAPayoffOnACardNamedIsItsQuoteOnThatCard(t *testing.T) {
	data := fixture()
	data[0].Cards = append(data[0].Cards, supportbot.Card{ID: "K3", Bank: "交通银行", Last4: "5555"})
	_, c := faqSessionOn(t, data, 1033, phoneZhang)
	c.send("/cards")
	c.send("K70提前还款用交行卡")
	c.expect("提前结清报价", "Redmi K70", "扣款卡：交通银行 **** 5555")
	c.reject("默认")
	c.send("算了")
	c.send("/lang en")
	c.send("pay off the k70 early with my cmb card")
	c.expect("Payoff quote", "Redmi K70", "China Merchants Bank **** 6789")
}
