package flows_test

import (
	"testing"

	"supportbot"
)

// TestWhyDebitedIsAnsweredWithWhatDebits: "我没还款怎么扣钱了" got the guide
// on how to pay, "why did u take money from my card" "can't answer" (a
// probe). What of the customer's own takes money by itself, or took it
// lately, is listed — their bookings, their payments here, auto-repayment —
// or that none does, with a person a tap away to check the debit.
func TestWhyDebitedIsAnsweredWithWhatDebits(t *testing.T) {
	h, c := faqSession(t, 620)
	c.send("我没还款怎么扣钱了")
	c.expect("你的账户里这些会自动扣款", "预约还款：「Redmi K70」第 8 期 <b>¥249.92</b>，招商银行 **** 6789", "「Xiaomi Book」第 3 期", "[👤 转人工客服]")
	c.reject("「Redmi K70」开启了自动还款")
	c.send("/autopay")
	c.press("开启 1. Redmi K70")
	c.press("确认开启")
	c.send("/pay")
	c.press("Redmi K70")
	c.press("确认还款")
	c.expect("还款成功")
	c.send("/lang en")
	c.send("why did u take money from my card")
	c.expect("These take money from your account", "Scheduled repayment: period 8 of \"Redmi K70\"",
		"A repayment you confirmed here", "\"Redmi K70\" has auto-repayment on")
	if n := len(h.repayments("C1")); n != 1 {
		t.Errorf("%d repayments, want the one confirmed", n)
	}
	w := h.chat(621, "zh")
	w.identify(phoneWang)
	w.send("今天怎么扣了我166")
	w.expect("没有查到你最近 3 天的预约还款或还款记录", "[👤 转人工客服]")
	w.send("为什么扣了两次") // a double charge: the guide's, not this list
	w.reject("没有查到你最近 3 天")
}

// TestTheRefundsAnswerSaysWhetherOneIsPending: "whats up with my refund"
// got "a refund's status cannot be looked up here" alone, while the
// closure check knew one was pending (a probe). Under the answer: how many
// of the customer's refunds are in progress, or that none is.
func TestTheRefundsAnswerSaysWhetherOneIsPending(t *testing.T) {
	h, c := faqSession(t, 630)
	c.send("我的退款怎么样了")
	c.expect("你的账户里目前没有处理中的退款")
	l := h.chat(631, "en")
	l.identify(phoneLi)
	l.send("/lang en")
	l.send("whats up with my refund")
	l.expect("cannot be looked up here", "Your account has 1 refund in progress; until it is complete")
}

// TestTheDoubleChargeAndFailedDebitAnswersSayWhatIsTheirs: "扣了我两次钱"
// got only the general advice while the bot knew the customer's debits,
// and "为什么扣款失败了" the checklist without the frozen card on file (a
// probe). Under the answers: the customer's own debits, their frozen cards.
func TestTheDoubleChargeAndFailedDebitAnswersSayWhatIsTheirs(t *testing.T) {
	h, c := faqSession(t, 680)
	c.send("扣了我两次钱")
	c.expect("多扣", "你的账户里这些会自动扣款", "预约还款：「Redmi K70」第 8 期")
	for _, asked := range []string{"为什么扣款失败了", "工行卡为啥扣不了"} { // said in everyday words too (a probe: "no debits of yours")
		c.send(asked)
		c.expect("工商银行 **** 4321 已冻结")
	}
	b := h.chat(681, "en")
	b.identify(phoneBob) // no card frozen
	b.send("/lang en")
	b.send("why did my repayment fail")
	b.expect("balance")
	b.reject("frozen, and a debit from a frozen card fails")
}

// TestTheLastPaymentAskedIsTheMessageCentersLatest: "最近一次扣款是什么时候"
// got the bill without the answer (a probe). The latest payment the message
// center has answers it, or that none is there yet.
func TestTheLastPaymentAskedIsTheMessageCentersLatest(t *testing.T) {
	_, c := faqSession(t, 740)
	c.send("最近一次扣款是什么时候")
	c.expect("消息中心里还没有在这里办理或预约扣款的还款记录")
	c.send("/pay")
	c.press("Redmi K70")
	c.send("确认")
	c.expect("还款成功")
	for _, q := range []string{"上次还款是什么时候", "when was my last payment?", "我刚才付了多少", "what did i just pay"} { // the last two: a probe got unsure
		c.send(q)
		c.expect("你最近一次还款记录", "Redmi K70 第 6 期")
	}
	c.send("when is my last payment for the laptop") // the final one, to come (an audit: "no repayment yet")
	c.expect("Xiaomi Book")
	c.reject("最近一次还款记录", "还没有在这里办理")
	c.send("is this the last payment for the laptop?") // the final one too (a probe: the last made)
	c.expect("Xiaomi Book")
	c.reject("最近一次还款记录", "还没有在这里办理")
}

// TestWhyOneCannotPayWithEveryCardFrozenIsTheCards: "为啥我还不了款啊" from a
// customer whose only card is frozen got the hardship script, the card
// never named (an audit). With no card that can pay, the failed payment's
// checklist with the frozen cards.
func TestWhyOneCannotPayWithEveryCardFrozenIsTheCards(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Cards[0].Frozen = true
	_, c := faqSessionOn(t, data, 730, phoneZhang)
	for _, ask := range []string{"为啥我还不了款啊", "why cant i pay"} {
		c.send(ask)
		c.expect("招商银行 **** 6789", "已冻结")
	}
	_, c = faqSession(t, 731) // a card that can pay: not the cards' answer
	c.send("为啥我还不了款啊")
	c.reject("先别着急，按这个顺序排查")
}

// TestPaidAlreadyButABookingStaysIsToldOfIt: "I paid already, why is there
// still a scheduled payment?" was told no scheduled repayment was being
// debited, where one was to run the next day (a probe): the bookings still
// ahead are said, with how to cancel one.
func TestPaidAlreadyButABookingStaysIsToldOfIt(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 1042, phoneWang)
	c.send("/lang en")
	c.send("I paid already, why is there still a scheduled payment?")
	c.expect("still ahead", "/cancel_schedule", "Xiaomi Watch")
}

// "why is there a payment processing for my watch? I already paid period
// 2" got "Period 2 … ✅ paid" alone (an English probe): a period paid that
// a booking still debits says it may be a second charge.
func TestAPaidPeriodABookingDebitsSaysSo(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Bills[7].Status = supportbot.BillPaid // S3 is debiting period 8
	_, c := faqSessionOn(t, data, 1141, phoneZhang)
	c.send("手机第8期还了吗")
	c.expect("第 8 期", "可能是重复扣款", "/agent")
}
