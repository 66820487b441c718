package flows_test

import (
	"testing"
)

// TestARefusalIsNotTheRequest: a request said not to be done was taken for
// the request (a probe): "don't turn on autopay for the laptop" asked to
// turn it on and "ok" did; "don't pay off the laptop" quoted the phone and
// "confirm" paid it; "I'll pay off the laptop next month, not now" and "我
// 不想提前还笔记本" quoted the laptop; "I don't want to close my account"
// began a closure. Each is told nothing was done, and nothing is — while a
// request beside a refusal ("dont pay off the laptop, pay off the phone")
// still stands.
func TestARefusalIsNotTheRequest(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(950, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	for _, said := range []string{"don't turn on autopay for the laptop", "I never asked to turn on autopay",
		"please don't enable autopay for the laptop", "不要给笔记本开自动还款"} {
		c.send(said)
		c.expect("nothing was changed")
		c.reject("Turn on auto-repayment")
		c.send("ok")
		c.reject("is on")
	}
	for _, said := range []string{"don't pay off the laptop", "i don't want to pay off the laptop", "no need to pay off the laptop",
		"never pay off the laptop", "I'll pay off the laptop next month, not now", "pay off the phone but not today",
		"pay the phone one, not now", "I don't want to pay this month's bill", "我不想提前还笔记本", "手机先不提前还了", "笔记本下个月再提前还"} {
		c.send(said)
		c.expect("payment") // "no payment", or "I won't start a payment here" beside a booking being debited
		c.reject("Payoff quote", "Bill due")
		c.send("confirm")
		c.reject("succeeded", "Payoff quote")
	}
	// At the laptop's quote, the laptop refused: nothing paid, and no quote
	// of the phone to confirm instead.
	c.send("pay off the laptop")
	c.expect("Payoff quote", "Xiaomi Book")
	c.send("don't pay the laptop")
	c.expect("no payment")
	c.reject("Redmi K70")
	c.send("confirm")
	c.reject("succeeded")
	if n := len(h.repayments("C1")); n != 0 {
		t.Fatalf("%d repayments after refusals, want none", n)
	}
	for _, id := range []string{"P1", "P2"} {
		if h.plan("C1", id).AutoRepay {
			t.Errorf("auto-repayment of %s turned on by a refusal", id)
		}
	}
	c.send("I don't want to close my account")
	c.expect("no closure request")
	c.send("ok")
	c.reject("ID")
	// A request beside the refusal is the request.
	c.send("dont pay off the laptop, pay off the phone")
	c.expect("Payoff quote", "Redmi K70")
	c.reject("no payment")
	// Another plan put off is no refusal of the one asked first (an audit:
	// "OK, no payment").
	c.send("/lang zh")
	for _, said := range []string{"K70逾期的先还 笔记本的等退款下来再说", "先还K70逾期的 笔记本的以后再说"} {
		c.send(said)
		c.reject("这次不还款", "这里不会发起还款")
	}
}

// TestAStopRefusedKeepsReminders: "don't stop reminding me" turned the
// reminders off (a probe, and "别关掉还款提醒" likewise): a stop refused
// keeps them on.
func TestAStopRefusedKeepsReminders(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(951, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("turn on reminders")
	c.expect("on")
	for _, said := range []string{"don't stop reminding me", "do not turn off reminders", "别关掉还款提醒", "不要关闭提醒"} {
		c.send(said)
		c.reject("are off")
		if !h.reminders("C1") {
			t.Fatalf("%q turned the reminders off", said)
		}
	}
	c.send("stop reminding me")
	c.expect("off")
}

// TestEnglishSwitchWordsAtTheAutopayQuestion: "turn on" asked whether to
// turn auto-repayment on got "not sure" (a probe); "turn it off" there
// does not turn it on.
func TestEnglishSwitchWordsAtTheAutopayQuestion(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(952, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("/autopay")
	c.press("Xiaomi Book")
	c.expect("Turn on auto-repayment")
	c.send("turn it off")
	c.expect("nothing was changed")
	if h.plan("C1", "P2").AutoRepay {
		t.Fatal("turned on by \"turn it off\"")
	}
	c.send("/autopay")
	c.press("Xiaomi Book")
	c.send("turn on")
	c.expect("is on")
	if !h.plan("C1", "P2").AutoRepay {
		t.Fatal("\"turn on\" did not turn it on")
	}
}

// TestANeverMindAfterItWasDoneSaysItWasDone: "算了不还了" just after a
// payment went through was told "这次不还款，没有扣款", "算了 不关了" after
// auto-repayment was turned off "什么都没有改动", "I don't want to close my
// account" after the request was submitted "no closure request was
// submitted", "不取消了" after a booking was cancelled "好的" (a probe):
// each is told what was done and how to go back, if one can. With nothing
// done, the refusal is as before.
func TestANeverMindAfterItWasDoneSaysItWasDone(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(991, "zh")
	c.identify(phoneZhao)
	c.send("算了不还了") // nothing done: nothing paid
	c.expect("没有扣款")
	c.send("/pay")
	c.send("确认")
	c.expect("还款成功")
	for _, said := range []string{"算了不还了", "我不想还了"} {
		c.send(said)
		c.expect("这笔已经办好了，撤不回", "账单还款成功", "流水号 <code>")
		c.reject("没有扣款")
	}

	z := newHarness(t, fixture())
	a := z.chat(992, "zh")
	a.identify(phoneZhang)
	a.send("/autopay")
	a.press("Redmi K70")
	a.press("确认开启")
	a.send("算了 不开了")
	a.expect("刚才的设置已经生效", "已开启自动还款：Redmi K70", "[🔁 自动还款]")
	a.reject("什么都没有改动")
	a.send("取消14号那个")
	a.press("取消这笔预约还款")
	a.expect("已取消")
	a.send("不取消了")
	a.expect("这笔预约还款已经取消了，无法恢复", "第 7 期")

	b := z.chat(993, "en")
	b.identify(phoneBob)
	b.send("/close_account")
	b.press("Go on")
	b.send("4321")
	b.expect("Closure request submitted")
	b.send("I changed my mind, I don't want to close my account")
	b.expect("Closure request submitted", "CR-", "I can't withdraw it", "[👤 Talk to a person]")
	b.reject("no closure request was submitted", "submitted: Closure request submitted") // once (a probe: said twice)
}

// TestARefusalToPayWithNothingInFrontSaysWhatStillStands: "我不想还了",
// "这个月先不还了", "I don't want to pay this month" with no quote in front
// were told "好的，这次不还款，没有扣款" alone — as if a bill could be skipped,
// with a booking about to debit it anyway (a probe). They are told what is
// due, what debits it anyway with its cancel a tap away, and what overdue
// means; "i dont want to pay tomorrow, can you stop it" is the booking to
// stop, and "商城分期打不开" is a fault, not a no.
func TestARefusalToPayWithNothingInFrontSaysWhatStillStands(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(958, "zh")
	c.identify(phoneZhang)
	for _, said := range []string{"我不想还了", "这个月先不还了"} {
		c.send(said)
		// A booking is being debited: "nothing was charged" would be
		// untrue, and it cannot be stopped (a probe).
		c.expect("这里不会发起还款", "账单还在，已经在扣款中的预约还款也无法停止", "第 6 期已逾期 6 天", "已预约", "仍会按时扣款",
			"过了还款日还没还清就算逾期", "[🗓 取消预约还款]")
		c.reject("没有扣款")
	}
	c.send("不想提前还笔记本") // a payoff refused: nothing stands that it would pay
	c.expect("这次不还款，没有扣款")
	c.reject("账单还在")
	w := h.chat(959, "zh")
	w.identify(phoneWang)
	w.send("/lang en")
	w.send("I don't want to pay this month")
	w.expect("no payment", "still stand", "overdue", "late fee")
	c.send("商城分期打不开")
	c.reject("什么都没有改动", "没有扣款")
	e := h.chat(960, "en")
	e.identify(phoneZhang)
	e.send("/lang en")
	e.send("i dont want to pay tomorrow, can you stop it")
	e.reject("no payment")
	e.expect("Your scheduled repayments")
	if n := len(h.repayments("C1")) + len(h.repayments("C3")); n != 0 {
		t.Fatalf("%d repayments, want none", n)
	}
}

// TestAskingIfADebtIsLetOffSaysItIsOwed: "是不是不用还了" got a booking's
// "no need to pay this period by hand", an overdue customer "no recent
// payment", "分期功能停用了是不是就不用还了" how to switch installments off —
// never that it is still owed (a facts audit). It is said to be owed, with
// what is due; the feature down, where to pay meanwhile; owing nothing,
// that nothing is due.
func TestAskingIfADebtIsLetOffSaysItIsOwed(t *testing.T) {
	h, c := faqSession(t, 961)
	for _, asked := range []string{"是不是不用还了", "这期是不是不用还了"} {
		c.send(asked)
		c.expect("要还的。没还的分期不会自己免掉", "第 6 期已逾期 6 天", "过了还款日还没还清就算逾期")
	}
	c.send("分期功能停用了是不是就不用还了") // the guide: still owed, and where to pay meanwhile
	c.expect("还款责任不变", "小米金融")
	c.send("手机坏了在修 这个月还要还吗") // the phone broken, not the feature down: owed
	c.expect("要还的。")
	c.reject("小米金融")
	c.send("东西有质量问题 这个分期能不还吗") // a fault: after-sales is the mall's, the plan goes on (a probe: after-sales alone)
	c.expect("对这笔订单申请", "分期照常要还", "要还的。", "第 6 期已逾期 6 天")
	c.send("提前还清了是不是就不用还了") // of paying off: its topic, not a booking's notice (a regression run)
	c.expect("提前还款")
	c.reject("要还的。", "将在")
	c.send("还要还几期？") // what is left, not whether
	c.reject("要还的。")
	anon := h.chat(962, "en")
	anon.send("do i still have to pay?")
	anon.expect("Yes, it is still owed", "My bills")
	b := h.chat(963, "en") // all paid off
	b.identify(phoneBob)
	b.send("do i still have to pay?")
	b.expect("You have no installment bills to pay right now.")
	b.reject("still owed")
	if n := len(h.repayments("C1")); n != 0 {
		t.Fatalf("%d repayments, want none", n)
	}
}

// TestABrokenDeviceDoesNotStopThePlan: "my pad broke can i stop paying" got
// unsure (a probe): whatever befell the device, the plan stays.
func TestABrokenDeviceDoesNotStopThePlan(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 1022, phoneBob)
	for _, q := range []string{"my pad broke can i stop paying", "my phone was stolen, do i still have to pay for it"} {
		c.send(q)
		c.expect("a plan does not change")
	}
}
