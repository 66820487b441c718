package flows_test

import (
	"context"
	"strings"
	"testing"

	"supportbot"
)

func TestAutopayOnAndOffPerPlanWithConfirmation(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/messages")
	c.expect("消息中心暂无记录", "[👤 转人工客服]") // a person a tap away when the confirmation is missing (none was)
	c.send("/autopay")
	c.expect("1. Redmi K70（订单号 <code>5241015123456</code>）：未开启", "2. Xiaomi Book（订单号 <code>5241015999999</code>）：未开启",
		"默认卡 招商银行 **** 6789", "开启 1. Redmi K70", "开启 2. Xiaomi Book")
	c.press("开启 1. Redmi K70")
	c.expect("确认为「Redmi K70」开启自动还款吗", "招商银行 **** 6789", "余额充足")
	if h.plan("C1", "P1").AutoRepay {
		t.Fatal("auto-repay turned on before the confirmation")
	}
	ok := c.button("确认开启").Data
	c.pressData(ok)
	c.expect("已为「Redmi K70」开启自动还款", "招商银行 **** 6789",
		"已逾期的第 6 期（<b>¥261.92</b>）不会自动扣款，请现在手动还清", "还这期")
	if !h.plan("C1", "P1").AutoRepay || h.plan("C1", "P2").AutoRepay {
		t.Fatalf("auto-repay P1 = %v, P2 = %v; want on, off", h.plan("C1", "P1").AutoRepay, h.plan("C1", "P2").AutoRepay)
	}
	c.pressData(ok) // the old confirm button
	c.expect("已经是开启状态，没有重复操作")
	on := h.audit("autopay_on")
	if len(on) != 1 || on[0].CustomerID != "C1" || on[0].Details["plan_id"] != "P1" || on[0].Details["card_id"] != "K1" {
		t.Fatalf("autopay_on audit = %+v, want one for C1 P1 K1", on)
	}

	c.send("/bill")
	if n := strings.Count(c.text(), "自动还款：已开启（招商银行 **** 6789）"); n != 1 {
		t.Errorf("bill views show auto-repay on %d times, want once (P1):\n%s", n, c.text())
	}

	c.send("/autopay")
	c.expect("1. Redmi K70（订单号 <code>5241015123456</code>）：✅ 已开启（招商银行 **** 6789）", "2. Xiaomi Book（订单号 <code>5241015999999</code>）：未开启")
	c.press("关闭 1. Redmi K70")
	c.expect("确认关闭「Redmi K70」的自动还款吗", "手动还款")
	c.send("确认关闭吗") // told how, naming this step's own way out (a probe: 「返回」, which it has not)
	c.expect("不想继续就点「不改了」")
	c.send("确认")
	c.expect("已关闭「Redmi K70」的自动还款", "[👤 转人工客服]") // a person a tap away (a probe: none)
	if h.plan("C1", "P1").AutoRepay {
		t.Error("auto-repay still on")
	}
	if off := h.audit("autopay_off"); len(off) != 1 || off[0].Details["plan_id"] != "P1" || off[0].Details["card_id"] != "K1" {
		t.Errorf("autopay_off audit = %+v, want one for P1 K1", off)
	}
	c.send("/messages")
	c.expect("已开启自动还款：Redmi K70，扣款卡 招商银行 **** 6789", "已关闭自动还款：Redmi K70", "[👤 转人工客服]")
}

// TestCancelWordsBackOutOfAutopay: 取消 at turning auto-repayment on or off
// backs out, changing nothing — as in any app (a probe saw "取消" turn it
// off, a missed payment waiting to happen).
func TestCancelWordsBackOutOfAutopay(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/autopay")
	c.press("开启 1. Redmi K70")
	c.send("那就取消吧")
	c.expect("没有做任何更改")
	c.send("/autopay")
	c.press("开启 1. Redmi K70")
	c.press("确认开启")
	for _, back := range []string{"取消", "那就取消吧"} {
		c.send("/autopay")
		c.press("关闭 1. Redmi K70")
		c.send(back)
		c.reject("已关闭「Redmi K70」的自动还款")
	}
	if !h.plan("C1", "P1").AutoRepay {
		t.Error("auto-repay turned off by 取消")
	}
}

// TestSwitchingBackAskedAtAutopay: "开了能关吗" at the auto-repayment step
// got "installments have no off switch" and, "开了以后还能再关吗", the
// closure's guide (a probe): asked at its list, naming nothing, it is of
// auto-repayment; nothing is changed.
func TestSwitchingBackAskedAtAutopay(t *testing.T) {
	h := newHarness(t, payFixture())
	h.realFAQ()
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/autopay") // the list: at a confirmation the step itself says it can be turned off
	for _, ask := range []string{"开了能关吗", "开了以后还能再关吗", "can i turn it off later?"} {
		c.send(ask)
		c.expect("打开或关闭该计划的「自动还款」")
	}
	for _, ask := range []string{"开了以后还能再开吗", "关了还能重新开吗", "can i turn it back on later?"} { // on again (a probe: the closure's guide)
		c.send(ask)
		c.expect("随时都能在这里开启或关闭")
		c.reject("注销")
	}
	c.send("分期开了能关吗") // the installments named: theirs
	c.reject("打开或关闭该计划的「自动还款」")
	if h.plan("C1", "P1").AutoRepay {
		t.Error("auto-repay turned on by a question")
	}
}

func TestAutopayInEnglish(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "en")
	c.identify(phoneZhao)
	c.send("/lang en") // 赵敏's language on file is Chinese
	c.send("/autopay")
	c.expect("1. Redmi Note 13 (order <code>5241000000006</code>): ✅ on (Agricultural Bank of China **** 5555)")
	c.press("Turn off 1. Redmi Note 13")
	c.expect("Turn off auto-repayment for \"Redmi Note 13\"?", "send /pay")
	c.press("Turn it off")
	c.expect("Auto-repayment is off for \"Redmi Note 13\"")
	if h.plan("C5", "P6").AutoRepay {
		t.Error("auto-repay still on")
	}
	if n := len(h.audit("autopay_off")); n != 1 {
		t.Errorf("autopay_off entries = %d, want 1", n)
	}
}

func TestAutopayKeepItChangesNothing(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/autopay")
	c.press("开启 2. Xiaomi Book")
	ok := c.button("确认开启").Data
	c.press("不改了")
	c.expect("没有做任何更改")
	c.pressData(ok)
	c.expect("按钮已过期")
	if h.plan("C1", "P2").AutoRepay {
		t.Error("auto-repay turned on without a confirmation")
	}
	if n := len(h.audit("autopay_on")); n != 0 {
		t.Errorf("autopay_on entries = %d, want 0", n)
	}
}

// TestAskingWhetherAutopayCanBeTurnedOffLater: "开了能关吗" at the question
// to turn it on got the installment's own "there is no off switch",
// confidently (a probe). It is answered yes, with the question again; and
// nothing is turned on.
func TestAskingWhetherAutopayCanBeTurnedOffLater(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	for _, asked := range []string{"开了能关吗", "以后还能取消吗", "开了能不能关", "can i turn it off later?"} {
		c.send("/autopay")
		c.press("开启 2. Xiaomi Book")
		c.send(asked)
		c.expect("随时发送 /autopay 就能关闭", "确认为「Xiaomi Book」开启自动还款吗", "[✅ 确认开启]")
		c.reject("没有「关闭」开关")
	}
	for _, other := range []string{"还能取消分期吗", "能关提醒吗", "能取消预约吗"} { // not auto-repayment's (a review)
		c.send("/autopay")
		c.press("开启 2. Xiaomi Book")
		c.send(other)
		c.reject("随时发送 /autopay 就能关闭")
	}
	if h.plan("C1", "P2").AutoRepay {
		t.Error("auto-repay turned on by a question")
	}
}

func TestAutopayWithoutACardExplainsBinding(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(700, "en")
	c.identify(phoneSun)
	c.send("/autopay")
	c.expect("1. Xiaomi Band (order <code>5241000000008</code>): off", "no bank card bound yet")
	c.press("Turn on 1. Xiaomi Band")
	c.expect("auto-repayment can't be turned on", "Xiaomi mall app", "Add a card in your own name", "send /cards")
	c.reject("Turn it on")
	if h.plan("C7", "P8").AutoRepay {
		t.Error("auto-repay turned on without a card")
	}
	if n := len(h.audit("autopay_on")); n != 0 {
		t.Errorf("autopay_on entries = %d, want 0", n)
	}
}

func TestAutopayRefusesAFrozenDefaultCard(t *testing.T) {
	data := payFixture()
	data[2].Cards = []supportbot.Card{
		{ID: "K8", Bank: "建设银行", Last4: "8888"},
		{ID: "K9", Bank: "工商银行", Last4: "4321", Default: true, Frozen: true},
	}
	h := newHarness(t, data)
	c := h.chat(200, "zh")
	c.identify(phoneWang)
	c.send("/autopay")
	c.expect("默认卡 工商银行 **** 4321 已冻结")
	c.press("开启 1. Xiaomi Watch")
	c.expect("已冻结，银行会拒绝扣款，暂时无法开启自动还款", "/cards")
	if h.plan("C3", "P4").AutoRepay {
		t.Error("auto-repay turned on with a frozen card")
	}
}

// TestAutopayTakesItsOwnSwitchWord: at the confirmation "开吧" turns it on
// and "关吧" off (a probe's "关吧" got the "can installments be turned off"
// topic); the other direction's word is a no: nothing changes, and it says so.
func TestAutopayTakesItsOwnSwitchWord(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(700, "zh")
	c.identify(phoneZhang)
	c.send("/autopay")
	c.press("开启 1. Redmi K70")
	c.send("关吧")
	c.expect("什么都没有改动")
	if h.plan("C1", "P1").AutoRepay {
		t.Fatal("auto-repayment turned on by 关吧")
	}
	c.send("/autopay")
	c.press("开启 1. Redmi K70")
	c.send("开吧")
	c.expect("已为「Redmi K70」开启自动还款")
	c.send("/autopay")
	c.press("关闭 1. Redmi K70")
	c.send("关吧")
	c.expect("已关闭「Redmi K70」的自动还款")
	if h.plan("C1", "P1").AutoRepay {
		t.Error("auto-repayment still on after 关吧 at its turning off")
	}
}

// TestAutopayIsSwitchedByTyping: at the list, "turn on autopay" showed the
// list again, and "turn on autopay for my pad" then "yes" found nothing
// waiting (a probe): only the buttons switched it. A typed switch names
// the plan (by its number, name or kind) or fits the one plan it would
// change, and is asked as the button asks; one that could be several is
// told to pick, and so is a yes at the list.
func TestAutopayIsSwitchedByTyping(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(710, "zh")
	c.identify(phoneZhang)
	c.send("/autopay")
	c.send("开启")
	c.expect("还没有选择")
	c.send("好的")
	c.expect("还没有选择")
	c.send("开启 Xiaomi Book")
	c.expect("确认为「Xiaomi Book」开启自动还款吗")
	c.send("确认")
	c.expect("已为「Xiaomi Book」开启自动还款")

	c.send("/autopay")
	c.send("turn on") // the one plan still off
	c.expect("确认为「Redmi K70」开启自动还款吗")
	if h.plan("C1", "P1").AutoRepay {
		t.Fatal("auto-repayment turned on before its confirmation")
	}

	// Asked for outside the list, with the real FAQ taking the words.
	h = newHarness(t, payFixture())
	h.realFAQ()
	h.open()
	e := h.chat(711, "en")
	e.identify(phoneZhang)
	e.send("/lang en")
	e.send("please turn on autopay for the xiaomi book")
	e.expect("Turn on auto-repayment for \"Xiaomi Book\"?")
	e.send("yes")
	e.expect("Auto-repayment is on for \"Xiaomi Book\"")
	if !h.plan("C1", "P2").AutoRepay {
		t.Error("auto-repayment still off after its typed turning on")
	}
}

// TestASettingTheCoreDidNotAnswerIsNotToldUndone: the core made an
// auto-repayment or default-card change and then failed to answer (or
// answered the old state): the bot said "nothing was done" and audited
// nothing, and a second confirm found it done ("already on") — the change
// never confirmed (a probe). What the core has now tells; what cannot be
// read is told as unconfirmed, to look again, never as undone.
func TestASettingTheCoreDidNotAnswerIsNotToldUndone(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)

	// Made, then no answer: done, told and audited once.
	h.hooks.set(func(k *hooks) {
		k.autopay = func(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error) {
			if _, err := k.Core.SetAutoRepay(ctx, key, customerID, planID, on); err != nil {
				return nil, err
			}
			return nil, errDown
		}
	})
	c.send("/autopay")
	c.press("开启 1. Redmi K70")
	c.press("确认开启")
	c.expect("已为「Redmi K70」开启自动还款")
	c.reject("没有执行")
	if on := h.audit("autopay_on"); len(on) != 1 || on[0].Details["outcome"] != nil {
		t.Fatalf("autopay_on audit = %+v, want one, done", on)
	}

	// Not made, and the core answers the old state: not told as done.
	h.hooks.set(func(k *hooks) {
		k.autopay = func(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error) {
			plans, err := k.Core.Plans(ctx, customerID)
			for i := range plans {
				if plans[i].ID == planID {
					return &plans[i], err
				}
			}
			return nil, err
		}
	})
	c.send("/autopay")
	c.press("开启 2. Xiaomi Book")
	c.press("确认开启")
	c.expect("没能确认「Xiaomi Book」的自动还款是否已开启", "/autopay", "[👤 转人工客服]")
	c.reject("已为「Xiaomi Book」开启", "已经是开启状态")

	// No answer, nor a read of the plans: unconfirmed, not "nothing was done".
	h.hooks.set(func(k *hooks) {
		k.autopay = func(context.Context, string, string, string, bool) (*supportbot.Plan, error) {
			k.set(func(k *hooks) {
				k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
			})
			return nil, errDown
		}
	})
	c.send("/autopay")
	c.press("关闭 1. Redmi K70")
	c.press("确认关闭")
	c.expect("没能确认「Redmi K70」的自动还款是否已关闭", "还款日仍会自动扣款")
	c.reject("没有执行")
	if off := h.audit("autopay_off"); len(off) != 1 || off[0].Details["outcome"] != "unconfirmed" || off[0].Details["plan_id"] != "P1" {
		t.Fatalf("autopay_off audit = %+v, want one, unconfirmed, for P1", off)
	}
	if n := len(h.audit("autopay_on")); n != 2 || h.audit("autopay_on")[1].Details["outcome"] != "unconfirmed" {
		t.Fatalf("autopay_on audit = %+v, want the first done and the second unconfirmed", h.audit("autopay_on"))
	}

	// The default card: made, then no answer.
	z := h.chat(500, "zh")
	z.identify(phoneZhao)
	h.hooks.set(func(k *hooks) {
		k.plans = nil
		k.card = func(ctx context.Context, key, customerID, cardID string) ([]supportbot.Card, error) {
			if _, err := k.Core.SetDefaultCard(ctx, key, customerID, cardID); err != nil {
				return nil, err
			}
			return nil, errDown
		}
	})
	z.send("/cards")
	z.press("设为默认：招商银行")
	z.press("确认更换")
	z.expect("默认还款卡已改为 招商银行 **** 6666")
	if e := h.audit("default_card"); len(e) != 1 || e[0].Details["outcome"] != nil {
		t.Fatalf("default_card audit = %+v, want one, done", e)
	}
	// Not made, answered with the old list, and the cards not readable after.
	h.hooks.set(func(k *hooks) {
		k.card = func(ctx context.Context, _, customerID, _ string) ([]supportbot.Card, error) {
			cards, err := k.Core.Cards(ctx, customerID)
			k.set(func(k *hooks) {
				k.cards = func(context.Context, string) ([]supportbot.Card, error) { return nil, errDown }
			})
			return cards, err
		}
	})
	z.send("/cards")
	z.press("设为默认：农业银行")
	z.press("确认更换")
	z.expect("没能确认默认还款卡是否已改为 农业银行 **** 5555", "/cards")
	z.reject("默认还款卡已改为 农业银行")
}

// TestTurningOffWhatIsOffSaysSo: "帮我把自动扣款关了" with no plan on showed
// the list with only "turn on" buttons, and "turn off autopay" at it said
// "pick one first" (a probe): none is on, and that is said.
func TestTurningOffWhatIsOffSaysSo(t *testing.T) {
	_, c := faqSession(t, 100)
	c.send("帮我把自动扣款关了")
	c.expect("未开启", "都没有开启自动还款")
	c.send("turn off autopay")
	c.expect("都没有开启自动还款")
	c.reject("请先点上面列表里的一项")
	// Their bookings will still be debited: said, with the way to cancel
	// one (a probe: "cancel my autopay" said only that none was on).
	c.expect("你有预约还款会按时扣款", "[🗓 取消预约还款]")

	p := newHarness(t, payFixture())
	p.realFAQ()
	p.open()
	w := p.chat(101, "zh")
	w.identify(phoneSun) // no booking
	w.send("/lang zh")
	w.send("帮我把自动扣款关了")
	w.expect("都没有开启自动还款")
	w.reject("你有预约还款")
}

// TestAPlanNamedAtTheAutopayListIsItsButton: at the list "笔记本" or
// "actually the phone" were misses, two of them an offer of a person, and
// the "yes" to it said "pick one first" (a probe). A plan named alone is
// its button; a yes to the offer of a person at a list is a person.
func TestAPlanNamedAtTheAutopayListIsItsButton(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.realFAQ()
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/autopay")
	c.send("笔记本")
	c.expect("确认为「Xiaomi Book」开启自动还款吗")
	c.send("/autopay")
	c.send("actually the phone")
	c.expect("确认为「Redmi K70」开启自动还款吗")
	// Its place typed, as the list asks when told (a probe: "can't answer").
	for said, want := range map[string]string{"2": "Xiaomi Book", "第一个": "Redmi K70"} {
		c.send("/autopay")
		c.send(said)
		c.expect("确认为「" + want + "」开启自动还款吗")
	}

	c.send("/autopay")
	c.send("嗯嗯啊啊")
	c.send("哦哦哦哦")
	c.expect("要不要转人工客服")
	c.send("好的")
	c.expect("第 1 位")
}

// TestAutopayAskedInEverydayWords: "给笔记本开自动还款" showed the list,
// "自动扣款给我停了" and "自动扣费取消" (one plan on) the list or the FAQ's
// fees, "以后每个月帮我自动扣吧" a bill's suggestion (a probe). Each is the
// switch it says, for the plan it names or the one it would change; a no
// put around ("以后不要每个月自动扣了") is never an on.
func TestAutopayAskedInEverydayWords(t *testing.T) {
	_, c := faqSession(t, 1004)
	c.send("给笔记本开自动还款")
	c.expect("确认为「Xiaomi Book」开启自动还款吗")
	c.press("确认开启")
	for _, said := range []string{"自动扣款给我停了", "自动扣费取消"} {
		c.send(said)
		c.expect("确认关闭「Xiaomi Book」的自动还款吗")
		c.send("/menu")
	}
	c.send("以后每个月帮我自动扣吧") // the laptop's is on: the phone's is the one it would change
	c.expect("确认为「Redmi K70」开启自动还款吗")
	c.send("/menu")
	c.send("以后不要每个月自动扣了")
	c.reject("开启自动还款吗")
	// Complaints and questions about the debits are not switches (a review).
	for _, said := range []string{"每个月自动扣了两次", "每月自动扣款失败了", "为什么每个月自动扣款", "自动还款停止后怎么还款", "自动还款停了两个月了"} {
		c.send("/menu")
		c.send(said)
		c.reject("开启自动还款吗", "关闭「Xiaomi Book」的自动还款吗")
	}
	c.send("/menu")
	for _, said := range []string{"自动还款有没有开", "自动还款开没开"} { // asked without a question mark
		c.send(said)
		c.expect("Xiaomi Book（订单号", "已开启")
		c.send("/menu")
	}
	c.send("is autopay charged on the due date?") // about autopay, not its switch
	c.reject("Xiaomi Book（订单号")
}

// TestWhatTurningOffLeavesOfABookedOrOverduePeriod: "关了以后K80今天还扣吗"
// at turning auto-repayment off got "会：… the period is not debited, pay
// it yourself" with that period being debited by its booking; "关了的话逾期
// 那期还会扣吗" was answered of the next period (audits). A period a booking
// pays is said to still be paid by it; an overdue one, that auto-repayment
// never debits it.
func TestWhatTurningOffLeavesOfABookedOrOverduePeriod(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].AutoRepay = true
	_, c := faqSessionOn(t, data, 850, phoneZhang)
	c.send("/autopay")
	c.press("Redmi K70")
	c.send("关了以后手机还会扣吗")
	c.expect("第 7 期 <b>¥249.92</b> 已有预约还款，照常扣款，不用再自己还")
	c.reject("会：", "也不会自动扣")
	c.send("关了的话逾期那期还会扣吗")
	c.expect("逾期的第 6 期（现在应还 <b>¥261.92</b>）不会被自动还款扣")
	c.reject("第 7 期")
}

// TestWhetherTurningOffStopsADebitIsAnswered: "wait does this stop tomorrows
// payment?" at turning auto-repayment off got "no scheduled repayments",
// the yes or no never given (an audit). It is answered: the next period
// is not debited by itself any more; a booking still runs.
func TestWhetherTurningOffStopsADebitIsAnswered(t *testing.T) {
	h := newHarness(t, payFixture())
	h.realFAQ()
	h.open()
	c := h.chat(849, "zh")
	c.identify(phoneZhao) // P6, auto-repayment on
	c.send("/autopay")
	c.press("Redmi Note 13")
	for _, q := range []string{"wait does this stop the next payment?", "关了以后就不扣了吧"} {
		c.send(q)
		c.expect("关闭后，这笔分期之后的每期不再在还款日自动扣款", "第 2 期 <b>¥303.00</b> 已有预约还款，照常扣款") // its booking pays it
	}
	if !h.plan("C5", "P6").AutoRepay {
		t.Errorf("auto-repayment turned off by a question")
	}
}

// TestABillAndAutopayAskedTogetherPaysTheBillFirst: "电视这期帮我还了 顺便把
// 自动还款开了" got the auto-repayment switch alone, the bill due today
// dropped without a word (an audit). The bill's quote first, the switch a
// tap beside it.
func TestABillAndAutopayAskedTogetherPaysTheBillFirst(t *testing.T) {
	for _, ask := range []string{"K70这期帮我还了 顺便把自动还款开了", "还一下K70这期 再帮我开自动还款", "先还逾期的 然后帮我开自动还款"} { // the overdue one (a probe: the switch alone)
		_, c := faqSession(t, 740)
		c.send(ask)
		c.expect("Redmi K70", "合计应付", "[🔁 自动还款]")
		c.reject("确认为「Redmi K70」开启自动还款吗")
	}
	// In English too (an English probe: the switch alone).
	for _, ask := range []string{"pay the k70 and turn on autopay", "pay the phone and turn on autopay for it", "pay the overdue one and turn on autopay"} {
		_, c := faqSession(t, 741)
		c.send("/lang en")
		c.send(ask)
		c.expect("Redmi K70", "Total to pay", "[🔁 Auto-repayment]")
		c.reject("Turn on auto-repayment for")
	}
}

// TestACardNamedAtTheAutoRepaymentSwitchIsNoPayment: "用建行卡扣" at "开启
// 自动还款吗？" was read as a payment on that card — the bill's quote
// replaced the question, and the 确认 meant for auto-repayment paid it (a
// probe). The card auto-repayment debits is said — the default, another
// to be made the default first, or a frozen one it cannot use — and the
// question waits; its 确认 turns auto-repayment on, nothing paid.
func TestACardNamedAtTheAutoRepaymentSwitchIsNoPayment(t *testing.T) {
	data := fixture()
	data[0].Cards = append(data[0].Cards, supportbot.Card{ID: "K3", Bank: "交通银行", Last4: "5555"})
	h, c := faqSessionOn(t, data, 1030, phoneZhang)
	c.send("给K70开通自动还款")
	c.expect("开启自动还款吗")
	c.send("用招行卡扣")
	c.expect("自动还款就是从默认卡 招商银行 **** 6789 扣款", "开启自动还款吗")
	c.reject("确认还款", "账单")
	c.send("用交行卡扣")
	c.expect("不能单独指定 交通银行 **** 5555", "/cards", "开启自动还款吗")
	c.send("用工行卡扣")
	c.expect("工商银行 **** 4321 已冻结", "开启自动还款吗")
	c.send("确认")
	c.expect("已为「Redmi K70」开启自动还款")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
	c.send("/autopay")
	c.send("use my cmb card")
	c.expect("自动还款就是从默认卡 招商银行 **** 6789")
	c.reject("确认还款")
}

// TestAutoRepaymentAskedOnWithACardIsItsQuestion: "以后自动还款都用建行卡 帮
// 我开一下" got unsure — and, read as a payment on that card, the bill's
// quote that a 确认 paid (a replay): the question to turn it on, the card
// it takes said above it; its 确认 turns it on, nothing paid.
func TestAutoRepaymentAskedOnWithACardIsItsQuestion(t *testing.T) {
	h, c := faqSessionOn(t, fixture(), 1035, phoneWang)
	c.send("以后自动还款都用建行卡 帮我开一下")
	c.expect("自动还款就是从默认卡 建设银行 **** 8888 扣款", "开启自动还款吗")
	c.reject("确认还款", "账单")
	c.send("确认")
	c.expect("开启自动还款")
	if n := len(h.repayments("C3")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
	if !h.plan("C3", "P4").AutoRepay {
		t.Error("auto-repayment not turned on")
	}
	c.send("提前还款用建行卡") // a payoff on a card: its quote still
	c.expect("提前结清报价", "建设银行 **** 8888")
	c.send("/autopay")
	c.send("关闭")
	c.send("确认")
	c.send("以后自动还款都用建行卡扣 帮我开一下") // "都用建行卡扣": the switch still, not only the cards (a review)
	c.expect("开启自动还款吗")
}

// Auto-repayment asked on for two plans at once ("turn on autopay for the
// earbuds and the vacuum") is the list, each its own switch — a probe got
// the vacuum's question alone, the earbuds dropped without a word.
func TestAutopayForTwoPlansIsTheList(t *testing.T) {
	phone := "8613400134005"
	data := append(fixture(), supportbot.CustomerData{
		Customer: supportbot.Customer{ID: "C5X", Name: "Amy Wu", Phone: onFile(phone), IDCardLast4: "5555", Language: "en"},
		Cards:    []supportbot.Card{{ID: "K5X", Bank: "招商银行", Last4: "1111", Default: true}},
		Plans: []supportbot.Plan{
			{ID: "P51", CustomerID: "C5X", OrderNo: "5241201000061", Product: "Redmi Buds 6 Pro", Partner: "小米分期",
				Principal: 60000, Periods: 6, Bills: monthly("P51", "2026-11-25", 6, 10000, 10000, 0, 0)},
			{ID: "P52", CustomerID: "C5X", OrderNo: "5241201000062", Product: "Xiaomi Robot Vacuum X20 Max", Partner: "小米分期",
				Principal: 120000, Periods: 12, Bills: monthly("P52", "2026-11-25", 12, 10000, 10000, 0, 0)},
		},
	})
	_, c := faqSessionOn(t, data, 1075, phone)
	c.send("turn on autopay for the earbuds and the vacuum")
	c.button("Redmi Buds 6 Pro")
	c.button("Xiaomi Robot Vacuum X20 Max")
	c.reject("开启自动还款吗")
}
