package flows_test

import (
	"supportbot"
	"testing"
	"time"
)

// TestADebitToComeIsAnswered: "will i be charged tomorrow?" with a booking
// for tomorrow was told no booking was debiting; "14号那笔会扣成功吗" got
// today's debit of another plan, "今天会扣我钱吗" "can't answer" (a probe).
// A question whether (or when) money will be taken gets what debits by
// itself on the day named — or, with nothing then, the next debits — and
// the bills nothing debits, overdue ones first; never a payment started.
func TestADebitToComeIsAnswered(t *testing.T) {
	h, c := faqSession(t, 700) // 2026-11-21 10:00: S2 (Xiaomi Book) at 11:00, S1 (Redmi K70 period 7) on Dec 14
	c.send("14号那笔会扣成功吗")
	c.expect("2026年12月14日会自动扣款的", "「Redmi K70」第 7 期", "取消预约还款")
	c.reject("Xiaomi Book」第 3 期")
	c.send("今天会扣我钱吗")
	c.expect("今天会自动扣款的", "「Xiaomi Book」第 3 期")
	c.send("是不是明天要扣钱")
	c.expect("明天没有会自动扣你钱", "接下来会自动扣款的", "「Redmi K70」第 7 期", "「Redmi K70」第 6 期", "已逾期")
	c.send("笔记本下次什么时候会扣款")
	c.expect("「Xiaomi Book」第 3 期")
	c.reject("Redmi K70")
	c.send("下个月25号会扣吗") // next month's 25th, not this month's (a probe got this month's day)
	c.expect("2026年12月25日没有会自动扣你钱")
	c.send("12月14号会扣吗") // the month named, not this month's 14th… (a regression run)
	c.expect("2026年12月14日会自动扣款的", "「Redmi K70」第 7 期")
	c.send("下个月会扣吗") // …and next month asked whether, what debits by itself (a regression run: "not sure")
	c.expect("接下来会自动扣款的")
	c.send("会不会扣两次") // twice: the guide's, not the debits to come
	c.reject("会自动扣款的")
	c.send("我开了自动还款 这个月还要自己还吗") // by hand or not: what debits by itself says (a probe: the steps to pay by hand)
	c.expect("接下来会自动扣款的")
	c.reject("最简单：发 /pay")
	c.send("/lang en")
	c.send("will i be charged on the 14th?")
	c.expect("What will be debited", "period 7 of \"Redmi K70\"")
	c.send("did tomorrow's payment go through")
	c.expect("Nothing is set to debit you tomorrow")
	c.send("what card will the payment on the 14th come from") // its card, in the debits (an audit: unsure)
	c.expect("period 7 of \"Redmi K70\"", "**** 6789")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestADebitAskedAfterPayingSaysPayingCancelsIt: "笔记本这期还了的话14号还会扣
// 吗" got the booking listed as if it would still run (a probe). Paying a
// period cancels its booking: said first, with the payment a tap away.
func TestADebitAskedAfterPayingSaysPayingCancelsIt(t *testing.T) {
	_, c := faqSession(t, 993)
	for _, q := range []string{"K70这期还了的话14号还会扣吗", "提前还了手机 14号还会扣吗", "if i pay off the phone will the dec 14 charge still happen"} {
		c.send(q)
		c.expect("不会重复扣", "那一期的预约还款就在还款时自动取消", "「Redmi K70」第 7 期", "[🧾 还本期账单]")
	}
	c.send("will i be charged twice if i pay the phone now? i have a booking on the 14th") // twice, in English (an audit: the double charge's script)
	c.expect("不会重复扣")
	c.send("14号会扣款吗") // asked without paying first: the bookings alone
	c.expect("「Redmi K70」第 7 期")
	c.reject("不会重复扣")
	for _, complaint := range []string{"我已经还清了 为什么还会扣我钱", "I already paid it off, why am I still being charged?"} {
		c.send(complaint) // a complaint: not reassured away (a review)
		c.reject("不会重复扣")
	}
}

// TestADayOfALaterPeriodFindsItsAutoRepayment: "下个月6号会扣吗" from a
// customer with auto-repayment on, a period due that day, was told nothing
// would debit them (a regression run: only each plan's next period was
// read). The period due on the day asked is the one it debits.
func TestADayOfALaterPeriodFindsItsAutoRepayment(t *testing.T) {
	h := newHarness(t, payFixture()) // 2026-11-21: 赵敏's P6, auto-repayment on, period 4 due 2027-01-23, none booked
	c := h.chat(840, "zh")
	c.identify(phoneZhao)
	c.send("1月23号会扣吗")
	c.expect("自动还款：「Redmi Note 13」第 4 期")
	c.reject("没有会自动扣你钱")
}

// TestADayAskedListsEveryBillByHandUntilThen: "下个月24号那期会自动扣吗"
// from a customer with nothing automatic listed the overdue period and the
// one due that day, and left out the one due this month (an audit: she could
// miss it). Every bill nothing debits, due until the day asked, is listed.
func TestADayAskedListsEveryBillByHandUntilThen(t *testing.T) {
	_, c := faqSession(t, 706) // 2026-11-21: Xiaomi Book period 4 due Dec 21, period 5 Jan 21, none booked
	c.send("1月21号那期会自动扣吗")
	c.expect("「Xiaomi Book」第 4 期", "2026年12月21日到期", "「Xiaomi Book」第 5 期", "2027年1月21日到期",
		"「Redmi K70」第 6 期") // overdue, first
	c.reject("「Redmi K70」第 9 期") // due after the day asked
	c.send("12月21号会扣吗")
	c.expect("「Xiaomi Book」第 4 期")
	c.reject("「Xiaomi Book」第 5 期")
	c.send("/lang en")
	c.send("will my payment on jan 21 be taken automatically") // January's 21st (an audit read December's)
	c.expect("Nothing is set to debit you Jan 21, 2027", "Period 5 of \"Xiaomi Book\"")
}

// TestADebitAfterStoppingOrAgainIsWhatDebits: "关了以后今天这期还会扣吗"
// after turning auto-repayment off, and "会不会12月15号又扣一次" after
// cancelling that day's booking, got unsure replies (a probe). What will
// still debit says it. A booking the bank already has is not said to be
// cancellable (it was: "cancel it up to 2 hours before").
func TestADebitAfterStoppingOrAgainIsWhatDebits(t *testing.T) {
	_, c := faqSession(t, 707) // 2026-11-21 10:00: S2 (Xiaomi Book) at 11:00, S1 (Redmi K70 period 7) on Dec 14
	c.send("今天会扣我钱吗")
	c.expect("今天会自动扣款的", "「Xiaomi Book」第 3 期", "不能再取消了") // said so (a regression run: nothing said)
	c.reject("2 小时以上取消", "[🗓 取消预约还款]")
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.send("确认")
	c.expect("已取消")
	for _, ask := range []string{"取消了以后14号还会扣吗", "会不会14号又扣一次"} {
		c.send(ask)
		c.expect("2026年12月14日没有会自动扣你钱")
		c.reject("不太确定")
	}
}

// TestWhetherAutoRepaymentWillWorkIsWhatItDebits: "我的自动还款能扣成功吗"
// from a customer whose auto-repayment debits a frozen card got "no recent
// repayment", and "is my autopay working" how to switch it on (an audit):
// what it will debit, and from which card — a frozen one said to fail.
func TestWhetherAutoRepaymentWillWorkIsWhatItDebits(t *testing.T) {
	data := payFixture()
	customerIn(t, data, "C5").Cards[0].Frozen = true // 赵敏's default, K5: auto-repayment debits it
	h := newHarness(t, data)
	h.realFAQ()
	h.open()
	c := h.chat(841, "zh")
	c.identify(phoneZhao)
	for _, q := range []string{"我的自动还款能扣成功吗", "自动扣款没问题吧", "is my autopay working", "will the phone be paid automatically next month?"} {
		c.send(q)
		c.expect("「Redmi Note 13」", "农业银行 **** 5555", "这张卡已冻结，扣款会失败")
		c.reject("没有查到你最近的还款记录", "建议开启自动还款")
	}
	c.send("how do i make autopay work") // how to: the guide's
	c.reject("这张卡已冻结，扣款会失败")
	// Its next periods booked, the first one auto-repayment takes is said
	// too (a probe was told only of the booking).
	c.send("我的自动还款能扣成功吗")
	c.expect("🔁 自动还款：「Redmi Note 13」第 4 期")
}

// TestADayAskedWhoseBillABookingPaysSaysSo: "明天是还款日 我需要自己还吗",
// the period due tomorrow being debited by its booking today, was told
// nothing debits tomorrow, the question left (an audit). A bill due on the
// day asked that a booking on another day pays is said to be paid by it;
// a booking whose time has passed is said to be under way.
func TestADayAskedWhoseBillABookingPaysSaysSo(t *testing.T) {
	h, c := faqSession(t, 707) // 2026-11-21 10:00: S1 books the Redmi K70's period 7 (due Dec 15) on Dec 14
	c.send("12月15号那期需要我自己还吗")
	c.expect("2026年12月15日到期的「Redmi K70」第 7 期由 2026年12月14日", "不用自己还")
	h.advance(24*23*time.Hour + 30*time.Minute) // Dec 14, 10:30: S1 ran at 09:00
	c.send("明天是还款日 我需要自己还吗")
	c.expect("明天到期的「Redmi K70」第 7 期由 今天 09:00 的预约还款支付", "今天 09:00（正在扣款中）")
}

// TestABookingAskedAfterIsWhatDebits: "那明天的预约呢" at auto-repayment's
// confirmation opened the booking's cancellation, a tap from cancelling
// it, the question unanswered (an audit). A booking asked after in a
// follow-up is what debits, the step waiting.
func TestABookingAskedAfterIsWhatDebits(t *testing.T) {
	_, c := faqSession(t, 710)
	c.send("/autopay")
	c.press("Redmi K70")
	c.send("那14号的预约呢")
	c.expect("会自动扣款的", "「Redmi K70」第 7 期")
	c.reject("要取消这笔预约还款吗")
	c.send("what about tomorrow's payment?")
	c.reject("要取消这笔预约还款吗")
}

// TestABookingAskedToStandIsWhatDebits: "is my scheduled payment for
// tomorrow still on" opened the booking's cancellation, a tap from
// cancelling it; "i set up a payment for tomorrow, is it still on" got
// "nothing here books one" (an audit). Whether a booking still stands is
// what debits, with when.
func TestABookingAskedToStandIsWhatDebits(t *testing.T) {
	h, c := faqSession(t, 711)
	h.advance(24*22*time.Hour + 30*time.Minute) // Dec 13, 10:30: S1 runs tomorrow at 09:00
	for _, ask := range []string{"is my scheduled payment for tomorrow still on", "my scheduled payment tomorrow is still on right?",
		"i set up a payment for tomorrow, is it still on", "明天的预约还在吗", "我的预约还款还在吗"} {
		c.send(ask)
		c.expect("「Redmi K70」第 7 期", "明天 09:00")
		c.reject("要取消这笔预约还款吗", "这里不能新建预约还款")
	}
	c.send("怎么取消预约还款") // how to cancel: not whether it stands
	c.reject("会自动扣款的")
}

// TestAPaymentSaidMadeElsewhereIsNotSeen: "我刚在小米金融app上把平板这期还了
// 晚上还会扣吗" got "you won't be charged twice" above the booking that
// would debit that night (an audit). A payment said made that the bills do
// not show leaves the booking to run: said so, with how to stop it.
func TestAPaymentSaidMadeElsewhereIsNotSeen(t *testing.T) {
	_, c := faqSession(t, 994)
	for _, q := range []string{"我刚在小米金融app上把K70这期还了 14号还会扣吗", "i already paid the phone in the app, will the dec 14 charge still happen",
		"K70这期我已经在别的地方还过了 14号的预约会不会重复扣"} {
		c.send(q)
		c.expect("我这里还没看到这笔还款", "「Redmi K70」第 7 期", "[🗓 取消预约还款]")
		c.reject("不会重复扣")
	}
}

// TestWhatIfNotPaidOnADayIsWhatHappens: "what if i dont pay the pad on the
// 19th" listed the bookings to cancel (an audit): what happens if a day's
// payment is missed is the overdue answer, not a stop.
func TestWhatIfNotPaidOnADayIsWhatHappens(t *testing.T) {
	_, c := faqSession(t, 995)
	for _, q := range []string{"what if i dont pay the phone on the 15th", "what happens if i skip the phone payment on the 15th"} {
		c.send(q)
		c.reject("你的预约还款</b>", "要取消这笔预约还款吗")
	}
	c.send("what if i dont pay the phone on the 15th")
	c.expect("逾期")
}

// TestWillADebitFailIsWhatDebits: "will my payment on the 10th fail" got
// the failed payment's checklist about another card (an audit): what
// debits that day, each with its card, or that nothing does.
// Whether it will work is the same question ("is my payment on the 8th
// going to work": an English probe got "no recent repayment", the only
// card frozen).
func TestWillADebitFailIsWhatDebits(t *testing.T) {
	_, c := faqSession(t, 996)
	for _, q := range []string{"will my payment on the 14th fail", "is my payment on the 14th going to work",
		"is my payment on the 14th still going through", "will my booking on the 14th go through"} {
		c.send(q)
		c.expect("「Redmi K70」第 7 期", "招商银行 **** 6789")
		c.reject("按这个顺序排查", "没有查到你最近的还款记录")
	}
}

// TestTonightsDebitsAreToday: "is anything being charged tonight" got "no
// scheduled repayment is being debited" with one booked for 23:30, and
// "whats going to be debited tonight" the payoff's list (an English
// probe). What debits later today.
func TestTonightsDebitsAreToday(t *testing.T) {
	for _, q := range []string{"is anything being charged tonight", "whats going to be debited tonight", "今晚几点扣款", "今天晚上会扣几笔钱"} {
		_, c := faqSession(t, 998)
		c.send(q)
		c.expect("「Xiaomi Book」第 3 期", "招商银行 **** 6789")
		c.reject("没有查到你最近的还款记录", "要提前结清哪一笔")
	}
}

// TestWhenTheBookingsRunIsAsked: "我的预约是几号几点" got "can't answer" (an
// audit). The debits to come, each booking with its day and time.
func TestWhenTheBookingsRunIsAsked(t *testing.T) {
	for _, q := range []string{"我的预约是几号几点", "预约还款是什么时候", "when is my scheduled payment"} {
		_, c := faqSession(t, 999)
		c.send(q)
		c.expect("「Redmi K70」第 7 期", "2026年12月14日 09:00")
	}
}

// TestTodayAndTomorrowTogetherAreSummed: "今晚和明天加起来一共扣多少" got one
// day's debits alone (an audit). Both days', and what they come to.
func TestTodayAndTomorrowTogetherAreSummed(t *testing.T) {
	h, c := faqSession(t, 997)
	h.advance(24*22*time.Hour + 30*time.Minute) // Dec 13, 10:30: S1 runs tomorrow at 09:00
	for _, q := range []string{"今晚和明天加起来一共扣多少", "今天和明天一共要扣多少"} {
		c.send(q)
		c.expect("今天和明天会自动扣款的", "「Redmi K70」第 7 期 <b>¥249.92</b>", "两天合计 <b>¥249.92</b>")
	}
}

// A plan named that nothing debits is said to be that plan's, beside what
// of theirs does debit — not "none of your plans has auto-repayment on"
// while another's is (a probe).
func TestAPlanNamedThatNothingDebitsIsThatPlans(t *testing.T) {
	data := fixture()
	c1 := customerIn(t, data, "C1")
	c1.Plans[0].AutoRepay = true
	c1.Scheduled = c1.Scheduled[:1] // S1 only: the laptop has no booking
	_, c := faqSessionOn(t, data, 746, phoneZhang)
	c.send("/lang en")
	c.send("will autopay take the laptop too")
	c.expect("Xiaomi Book has no scheduled repayment and no auto-repayment", "Redmi K70")
	c.reject("none of your plans has auto-repayment on")
}

// TestABookingNamedAloneIsWhatItDebits: a booking named with nothing asked
// of it ("手机那笔的预约", "the laptop's scheduled payment", "whats the
// booking on the laptop") is what it debits and when — a probe got the
// phone's payoff quote, or the booking's cancellation, and a confirm made
// each.
func TestABookingNamedAloneIsWhatItDebits(t *testing.T) {
	for _, text := range []string{"手机那笔的预约", "the laptop's scheduled payment", "whats the booking on the laptop"} {
		h, c := faqSession(t, 1064)
		c.send(text)
		c.expect("接下来会自动扣款的", "预约还款：「")
		c.reject("报价", "要取消这笔预约还款吗")
		c.send("确认")
		c.reject("正在从", "已取消")
		if n := len(h.repayments("C1")); n != 0 {
			t.Errorf("%q: %d repayments, want none", text, n)
		}
	}
	// A complaint or a dispute about a booking is not that (a replay: the
	// debits to come, the way to a person gone).
	for _, text := range []string{"手机那个预约还款是谁设置的 我没设置过啊", "手机的预约扣了两次钱", "I didn't set up this booking"} {
		_, c := faqSession(t, 1076)
		c.send(text)
		c.reject("接下来会自动扣款的")
	}
}

// TestABookingThatWillNotPayIsNeverNothingToDo: a booking on a frozen card,
// or for less than its period, was told "不用自己还" / "nothing to do by
// hand" by the month's sum and the day's debits, while /bill said the debit
// would fail (a probe): each says what is left to pay by hand.
func TestABookingThatWillNotPayIsNeverNothingToDo(t *testing.T) {
	for i, tc := range []struct {
		change func(c *supportbot.CustomerData)
		want   string
	}{
		{func(c *supportbot.CustomerData) { c.Cards[0].Frozen = true }, "扣款卡已冻结，会扣款失败：请手动还"},
		{func(c *supportbot.CustomerData) { c.Scheduled[0].Amount = 10000 }, "扣款 ¥100.00，还差 ¥203.00：差额请手动还"},
	} {
		data := payFixture()
		c5 := customerIn(t, data, "C5")
		c5.Plans[0].AutoRepay = false
		tc.change(c5)
		h := newHarness(t, data)
		h.realFAQ()
		h.open()
		c := h.chat(int64(1080+i), "zh")
		c.identify(phoneZhao)
		c.send("这个月要还多少")
		c.expect("Redmi Note 13 第 2 期 ¥303.00", tc.want)
		c.reject("无需手动还")
		c.send("23号那期需要我自己还吗")
		c.expect("「Redmi Note 13」第 2 期 <b>¥303.00</b>", tc.want)
		c.reject("不用自己还")
		c.send("23号要还多少")
		c.expect("「Redmi Note 13」第 2 期", "待还（已预约", tc.want)
	}
}

// TestABookingsCardAskedAtAQuoteIsTheBookings: "手机的预约是哪张卡" at a
// quote was told the quote's card (a probe; the booking was on another):
// the booking's line, with its card, and the quote still to confirm.
func TestABookingsCardAskedAtAQuoteIsTheBookings(t *testing.T) {
	_, c := faqSession(t, 1082)
	c.send("提前还笔记本")
	c.expect("提前结清报价", "Xiaomi Book")
	c.send("手机的预约是哪张卡")
	c.expect("预约还款：「Redmi K70」第 7 期", "招商银行 **** 6789", "要为「Xiaomi Book」支付")
	c.reject("上面的报价用的就是")
}

// TestHowMuchOnADayIsThatDaysDebits: "12月31号要还多少", "月底要还多少钱",
// "28号会扣什么" and "这个月哪些需要我自己手动还" got unsure or how to pay (a
// probe): the day's debits and what is to pay by hand, the month's sum;
// next month's day is still its month's bills.
func TestHowMuchOnADayIsThatDaysDebits(t *testing.T) {
	_, c := faqSession(t, 1083) // 2026-11-21: S1, Redmi K70 period 7, on Dec 14
	for _, ask := range []string{"12月14号要扣多少", "14号会扣什么"} {
		c.send(ask)
		c.expect("2026年12月14日会自动扣款的", "「Redmi K70」第 7 期")
		c.reject("不太确定")
	}
	c.send("15号那笔 逾期会扣多少滞纳金") // the late fee's, not the day's debits (a replay)
	c.reject("没有会自动扣你钱", "会自动扣款的")
	c.send("月底要还多少钱")
	c.expect("本月（11月）要还")
	c.send("这个月哪些需要我自己手动还")
	c.expect("这些不会自动扣款", "「Redmi K70」第 6 期")
	c.send("下个月15号要还多少")
	c.expect("📅 12 月要还")
}

// A booking that still debits a plan paid off since is a debit to come, and
// a second charge: said so, with a person a tap away (a probe with every
// plan settled was told nothing would debit tomorrow, a ¥79.68 debit on
// file for 09:00).
func TestABookingOfAPlanPaidOffStillDebitsAndIsSaidToBeASecondCharge(t *testing.T) {
	data := fixture()
	wang := customerIn(t, data, "C3")
	for i := range wang.Plans[0].Bills {
		wang.Plans[0].Bills[i].Status = supportbot.BillPaid
	}
	wang.Scheduled[0].RunAt = time.Date(2026, 11, 22, 9, 0, 0, 0, shanghai) // tomorrow
	_, c := faqSessionOn(t, data, 100, phoneWang)
	for _, q := range []string{"明天会扣我钱吗", "明天还会扣我100吗"} {
		c.send(q)
		c.expect("Xiaomi Watch", "第 3 期", "¥100.00", "这一期已经还清了，这笔扣款可能是重复扣款", "[👤 转人工客服]")
		c.reject("没有会自动扣你钱")
	}
	c.send("/lang en")
	c.send("will i be charged tomorrow")
	c.expect("Xiaomi Watch", "period 3", "¥100.00", "[👤 Talk to a person]")
	c.reject("Nothing is set to debit you")
}

// The same booking on /bill: not "all settled, nothing to pay" alone.
func TestTheBillSaysABookingOfAPeriodPaidAlready(t *testing.T) {
	data := fixture()
	wang := customerIn(t, data, "C3")
	for i := range wang.Plans[0].Bills {
		wang.Plans[0].Bills[i].Status = supportbot.BillPaid
	}
	wang.Scheduled[0].RunAt = time.Date(2026, 11, 22, 9, 0, 0, 0, shanghai)
	_, c := faqSessionOn(t, data, 100, phoneWang)
	c.send("/bill")
	c.expect("都已结清", "「Xiaomi Watch」第 3 期已经还清，但还有一笔 ¥100.00 的预约还款（明天 09:00）要扣：可能是重复扣款", "[👤 转人工客服]")
	for _, q := range []string{"我都还清了 为什么明天还要扣", "第3期我已经还了 为什么还要扣我钱"} { // a probe: unsure, or the refunds' answer
		c.send(q)
		c.expect("如果确实多扣了", "「Xiaomi Watch」第 3 期已经还清，但还有一笔 ¥100.00 的预约还款（明天 09:00）要扣", "[👤 转人工客服]")
	}

	data = fixture()
	customerIn(t, data, "C1").Plans[0].Bills[6].Status = supportbot.BillPaid // K70 period 7, booked by S1
	_, c = faqSessionOn(t, data, 101, phoneZhang)
	c.send("/bill")
	c.expect("「Redmi K70」第 7 期已经还清，但还有一笔 ¥249.92 的预约还款（2026年12月14日 09:00）要扣", "[👤 转人工客服]")
}

// A booking being debited on a period paid already cannot be cancelled,
// and blocks a closure: both say it may be a second charge, not only to
// wait it out (a probe was told to wait for what /bill called one).
func TestABookingDebitingAPaidPeriodIsASecondChargeWhereverItIsShown(t *testing.T) {
	data := fixture()
	wang := customerIn(t, data, "C3")
	for i := range wang.Plans[0].Bills {
		wang.Plans[0].Bills[i].Status = supportbot.BillPaid
	}
	wang.Scheduled[0].RunAt = time.Date(2026, 11, 22, 9, 0, 0, 0, shanghai)
	wang.Scheduled[0].Status = supportbot.ScheduledProcessing
	_, c := faqSessionOn(t, data, 100, phoneWang)
	c.send("/cancel_schedule")
	c.expect("Xiaomi Watch 第 3 期", "这一期已经还清了，这笔扣款可能是重复扣款")
	c.press("Xiaomi Watch 第 3 期")
	c.expect("这一期已经还清了，这笔扣款可能是重复扣款", "[👤 转人工客服]")
	c.send("/close_account")
	c.expect("正在处理或即将扣款", "这一期已经还清了，这笔扣款可能是重复扣款", "[👤 转人工客服]")
}

// "这次能扣成功吗" got "no recent repayment" (a probe, its default card
// frozen): this time is the next debit — what debits, and that the frozen
// card's will fail.
func TestWhetherThisTimesDebitWorksIsTheDebitsToCome(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Cards[0].Frozen = true // K1, the default, every booking's
	_, c := faqSessionOn(t, data, 1125, phoneZhang)
	c.send("这次能扣成功吗")
	c.expect("这张卡已冻结，扣款会失败")
	c.reject("没有查到你最近的还款记录")
}

// TestAFrozenBookingIsNeverSaidToRunAsPlanned: a booking on a frozen card,
// kept at its cancellation, was told "会按原定时间扣款"; "能扣成功吗" got "no
// recent repayment … 会按时扣款"; "这期不用我自己还吧" was taken for a no to
// paying (a probe): each says the debit will fail. "哪笔会自动扣" and
// "后天呢" after a day's debits got unsure.
func TestAFrozenBookingIsNeverSaidToRunAsPlanned(t *testing.T) {
	data := payFixture()
	c5 := customerIn(t, data, "C5")
	c5.Plans[0].AutoRepay = false
	c5.Cards[0].Frozen = true
	_, c := faqSessionOn(t, data, 1134, phoneZhao)
	c.send("/cancel_schedule")
	c.expect("扣款卡已冻结，到时会扣款失败")
	c.send("1")
	c.expect("要取消这笔预约还款吗", "扣款卡已冻结，到时会扣款失败")
	c.send("不取消了")
	c.expect("这笔预约还款没有取消", "会扣款失败")
	c.reject("按原定时间")
	c.send("能扣成功吗")
	c.expect("扣款会失败")
	c.reject("没有查到", "会按时扣款")
	c.send("这期不用我自己还吧")
	c.expect("扣款会失败")
	c.reject("这次不还款")
	c.send("哪笔会自动扣")
	c.expect("接下来会自动扣款的", "Redmi Note 13")
	c.send("明天会扣我钱吗")
	c.send("12月23号呢")
	c.expect("2026年12月23日会自动扣款的", "第 3 期")
}

// With auto-repayment on, a booking short of its period dropped its "还差
// …：差额请手动还" from what debits by itself, where /bill still said it (a
// probe): the rest is said to pay by hand all the same.
func TestAShortBookingUnderAutoRepaymentStillSaysTheRest(t *testing.T) {
	data := payFixture()
	c5 := customerIn(t, data, "C5") // auto-repayment on
	c5.Scheduled[0].Amount = 10000
	_, c := faqSessionOn(t, data, 1152, phoneZhao)
	c.send("这期还需要我手动还吗")
	c.expect("还差 ¥203.00：差额请手动还")
	c.send("23号会扣多少")
	c.expect("还差 ¥203.00：差额请手动还")
	// Taken to cover the bill, in so many words (an English probe: unsure,
	// the booking short of its bill): the same, the rest said.
	for _, q := range []string{"预约的钱够还这期吧", "/lang en", "my scheduled repayment covers the phone right? nothing to do?"} {
		c.send(q)
		if q != "/lang en" {
			c.expect("¥203.00")
		}
	}
	// Only the rest asked to be paid (an English probe: the ways to pay):
	// bills are paid whole — the period now, its booking cancelled, or the
	// rest once the booking has run.
	zhang := fixture()
	for i, b := range customerIn(t, zhang, "C1").Scheduled {
		if b.ID == "S1" { // the K70's period 7 (¥249.92), booked for ¥100
			customerIn(t, zhang, "C1").Scheduled[i].Amount = 10000
		}
	}
	_, r := faqSessionOn(t, zhang, 1188, phoneZhang)
	r.send("预约不够的部分我想先补上差额")
	r.expect("¥149.92", "Redmi K70", "账单按整期还，不能只还差额")
	r.send("/lang en")
	for _, q := range []string{"can i just pay the 149.92 that the booking doesnt cover", "can i pay the rest that the booking won't cover"} {
		r.send(q)
		r.expect("¥149.92", "Redmi K70", "Bills are paid whole, so the difference alone cannot be paid")
		r.reject("Total to pay", "Alipay")
	}
	// The default card frozen, auto-repayment taken to pay (an English
	// probe: unsure): the debit will fail, said.
	c5.Cards[0].Frozen = true
	c5.Scheduled = nil
	_, e := faqSessionOn(t, data, 1176, phoneZhao)
	e.send("/lang en")
	e.send("autopay will take care of the phone on the 23rd right?")
	e.expect("Auto-repayment", "frozen, so the debit will fail")
}

// English asks of what debits by itself that got the how-to (a probe): "do
// i need to pay the laptop bill myself", "how much will autopay take on the
// 23rd".
func TestEnglishAsksOfWhatDebitsByItself(t *testing.T) {
	data := payFixture()
	_, c := faqSessionOn(t, data, 1161, phoneZhao)
	c.send("/lang en")
	c.send("do i need to pay the phone bill myself")
	c.expect("Redmi Note 13")
	c.reject("Send /pay and pick")
	c.send("how much will autopay take on the 23rd")
	c.expect("Redmi Note 13", "¥303.00")
}

// TestWhatIsBookedAndOnWhichCardIsTheDebitsAhead: "what's scheduled",
// "which cards are my repayments scheduled on?", "what card is the 300
// on?" got unsure (an English probe): the debits to come, each with its
// card.
func TestWhatIsBookedAndOnWhichCardIsTheDebitsAhead(t *testing.T) {
	_, e := faqSessionEn(t, 1180)
	for _, q := range []string{"what's scheduled", "which cards are my repayments scheduled on?", "what card is the 249.92 on?"} {
		e.send(q)
		e.expect(`Scheduled repayment: period 7 of "Redmi K70", <b>¥249.92</b>, China Merchants Bank **** 6789`)
	}
	_, c := faqSession(t, 1181)
	c.send("我的预约有哪些")
	c.expect("预约还款：「Redmi K70」第 7 期 <b>¥249.92</b>")
}

// TestWhetherAPlanIsPaidAutomaticallyIsWhatDebits: "平板那个是自动扣吗", "is
// the pad paid automatically" got unsure, and the autopay how-to (a probe):
// what will debit by itself, its booking said.
func TestWhetherAPlanIsPaidAutomaticallyIsWhatDebits(t *testing.T) {
	_, c := faqSession(t, 1199)
	c.send("手机那个是自动扣吗")
	c.expect("预约还款：「Redmi K70」第 7 期")
	_, e := faqSessionEn(t, 1200)
	e.send("is the phone paid automatically")
	e.expect(`Scheduled repayment: period 7 of "Redmi K70"`)
	e.reject("Send /autopay")
}
