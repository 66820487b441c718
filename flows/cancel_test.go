package flows_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
)

// TestABookingPastItsTimeStarted: a booking being debited after its time
// read "runs today 05:17", as if still to come (a probe). Its time past, it
// started then.
func TestABookingPastItsTimeStarted(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/cancel_schedule")
	c.expect("1. Redmi K70 第 8 期 · ¥249.92 · 招商银行 **** 6789 · 今天 10:30 扣款")
	h.advance(45 * time.Minute) // S3, processing, was to run 30 minutes after the start
	c.send("/cancel_schedule")
	c.expect("Redmi K70 第 8 期 · ¥249.92 · 招商银行 **** 6789 · 今天 10:30 开始扣款")
	c.send("/lang en")
	c.send("/cancel_schedule")
	c.expect("Redmi K70, period 8 · ¥249.92 · China Merchants Bank **** 6789 · started today at 10:30")
}

func TestCancelTheFarScheduledRepayment(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/cancel_schedule")
	c.expect("你的预约还款", "1. Redmi K70 第 8 期", "2. Xiaomi Book 第 3 期",
		"3. Redmi K70 第 7 期 · ¥249.92 · 招商银行 **** 6789 · 2026年12月14日 09:00 扣款",
		"（2 小时内执行，无法取消）", "（处理中，无法取消）")
	c.press("1. Redmi K70 第 8 期")
	c.expect("处理中", "无法取消") // S3 processing runs first
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.expect("要取消这笔预约还款吗", "不收取任何费用")
	c.reject("取消后请在还款日前手动还款") // its bill is due 12-15, not within 3 days
	ok := c.button("取消这笔预约还款").Data
	c.pressData(ok)
	// When it was due to run, not "runs …": it no longer does.
	c.expect("已取消预约还款", "原定 2026年12月14日 09:00 扣款", "不会扣款")
	c.pressData(ok) // the old confirm button
	c.expect("取消已经处理完毕")
	c.reject("已取消预约还款")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledCancelled {
		t.Errorf("S1 status = %s, want cancelled", got)
	}
	entries := h.audit("cancel_scheduled")
	if len(entries) != 1 || entries[0].Details["scheduled_id"] != "S1" || entries[0].Details["amount_fen"] != float64(24992) {
		t.Fatalf("cancel_scheduled audit = %+v, want one for S1 of 24992", entries)
	}
	c.send("/messages")
	c.expect("已取消预约还款：Redmi K70 第 7 期，¥249.92")
	// Read later, in another language: the date it was due, as of then,
	// in the reader's words.
	h.advance(40 * 24 * time.Hour)
	c.send("/lang en")
	c.send("/messages")
	c.expect("Scheduled repayment cancelled: Redmi K70, period 7, ¥249.92 (was due to run ")
	c.reject("年", "月", "日", "today", "tomorrow")
}

func TestCancelRefusesTheOneWithinTwoHours(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("/cancel_schedule")
	c.press("Xiaomi Book, period 3")
	c.expect("runs within 2 hours", "can no longer be cancelled", "Talk to a person")
	if got := h.scheduled("C1")["S2"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S2 status = %s, want scheduled", got)
	}
	if e := h.audit("cancel_scheduled_refused"); len(e) != 1 || e[0].Details["reason"] != "soon" {
		t.Errorf("refusal audit = %+v", e)
	}
	c.send("/messages")
	c.expect("Scheduled repayment not cancelled: Xiaomi Book, period 3, ¥1,005.00 (runs within 2 hours, can't be cancelled)")
}

func TestCancelWarnsWhenTheBillIsDueSoon(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	h.advance(7 * 24 * time.Hour) // 11-28: P4 period 3 is due 12-01, S9 runs 11-30
	c.send("/cancel_schedule")
	c.send("1")
	c.expect("这期账单的还款日是 2026年12月1日。取消后请在还款日前手动还款", "逾期")
	c.send("确认")
	c.expect("已取消预约还款", "还款日是 2026年12月1日，请在还款日前手动还款", "我的账单")
	c.reject("取消后")    // it is cancelled: no "if you cancel"
	c.press("🧾 还本期账单") // told to repay it: its bill a tap away (a probe)
	c.expect("合计应付")
}

func TestForgedCancelOfAnotherCustomersScheduleDoesNothing(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/cancel_schedule")
	nonce := c.button("Redmi K70 第 7 期").Data[2:8]
	for _, data := range []string{"s:" + nonce + ":cancel:pick:S9", "s:" + nonce + ":cancel:ok:S9"} {
		c.pressData(data)
		c.expect("没有执行任何操作")
		c.reject("Xiaomi Watch")
	}
	if got := h.scheduled("C3")["S9"]; got != supportbot.ScheduledScheduled {
		t.Errorf("王芳's S9 status = %s, want scheduled", got)
	}
	if n := len(h.audit("cancel_scheduled")); n != 0 {
		t.Errorf("cancel_scheduled entries = %d, want 0", n)
	}
}

func TestNoScheduledRepaymentsOffersTheBills(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.send("/cancel_schedule")
	c.expect("no scheduled repayments", "My bills")
}

// TestABookingPastItsTimeIsNotWithinTwoHours: S2 was due to run an hour after
// start and the core still lists it as scheduled; two hours on it is not
// "within 2 hours" but due.
func TestABookingPastItsTimeIsNotWithinTwoHours(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	h.advance(2 * time.Hour)
	c.send("/cancel_schedule")
	c.expect("Xiaomi Book 第 3 期", "（已到扣款时间，无法取消）")
	c.press("Xiaomi Book 第 3 期")
	c.expect("已到扣款时间", "无法再取消")
	c.reject("2 小时内执行")
}

// TestABookingIsNamedByItsMonthAndDay: two bookings on a 14th, December's
// and January's — "1月14号那个" at the list got "none fits" (an audit). The
// month said with the day picks the one of that month.
func TestABookingIsNamedByItsMonthAndDay(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Scheduled = append(zhang.Scheduled, supportbot.ScheduledRepayment{ID: "S4", CustomerID: "C1", PlanID: "P2", Period: 5, Amount: 100500,
		CardID: "K1", RunAt: time.Date(2027, 1, 14, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled})
	for said, want := range map[string]string{"1月14号那个": "Xiaomi Book 第 5 期", "2027年1月14日那个": "Xiaomi Book 第 5 期", "12月14号那个": "Redmi K70 第 7 期"} {
		_, c := session(t, data, phoneZhang, "/cancel_schedule")
		c.send(said)
		c.expect("要取消这笔预约还款吗", want)
	}
	// Two named: neither alone (a replay cancelled one, the other dropped).
	_, c := faqSessionOn(t, data, 686, phoneZhang)
	c.send("14号和1月14号的都取消")
	c.reject("要取消这笔预约还款吗")
}

// TestCancellingABookingOfAnOverduePeriodSaysItIsOverdue: cancelling the
// booking of a period overdue since Nov 15 said "pay it yourself by the due
// date (Nov 15)" (an audit). It is overdue already: pay it at once.
func TestCancellingABookingOfAnOverduePeriodSaysItIsOverdue(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Scheduled = []supportbot.ScheduledRepayment{{ID: "S5", CustomerID: "C1", PlanID: "P1", Period: 6, Amount: 26192, CardID: "K1",
		RunAt: time.Date(2026, 11, 22, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled}}
	_, c := session(t, data, phoneZhang, "/cancel_schedule")
	c.press("Redmi K70 第 6 期")
	c.expect("要取消这笔预约还款吗", "现在已经逾期", "尽快自己还上")
	c.reject("请在还款日前手动还款")
}

// TestABookingIsNamedByItsDayOrPeriod: at the cancel list "取消12号那个" (a
// probe) was not understood, though one booking ran that day. The day it
// runs (or else its bill is due), or its period, picks the one booking that
// fits; a day that fits several picks none.
func TestABookingIsNamedByItsDayOrPeriod(t *testing.T) {
	for _, said := range []string{"取消14号那个", "14日的", "第7期", "第 7 期那笔"} {
		_, c := session(t, fixture(), phoneZhang, "/cancel_schedule")
		c.send(said)
		if !strings.Contains(c.text(), "要取消这笔预约还款吗") {
			t.Errorf("%q at the list: not taken for the booking of period 7", said)
		}
		c.expect("第 7 期")
	}
	// In English too (a probe: "the one on the 12th" was not understood,
	// and "the one today" opened early repayment); the day before it runs,
	// "tomorrow" names it.
	for _, said := range []string{"the 14th", "the one on the 14th", "Dec 14", "14 December", "period 7", "the one tomorrow", "明天那个"} {
		h := newHarness(t, fixture())
		if strings.Contains(said, "tomorrow") || strings.Contains(said, "明天") {
			h.advance(time.Date(2026, 12, 13, 12, 0, 0, 0, shanghai).Sub(start))
		}
		c := h.chat(601, "en")
		c.identify(phoneZhang)
		c.send("/lang en")
		c.send("/cancel_schedule")
		c.send(said)
		if !strings.Contains(c.text(), "Cancel this scheduled repayment?") {
			t.Errorf("%q at the list: not taken for the booking of period 7:\n%s", said, c.text())
		}
	}
	_, c := session(t, fixture(), phoneZhang, "/cancel_schedule")
	c.send("20号那个") // none runs or is due then
	c.reject("要取消这笔预约还款吗")
	c.send("15号的") // none runs then; two bills it pays are due on a 15th
	c.reject("要取消这笔预约还款吗")
}

// TestAStopOfADaysDebitIsTheBookingList: "can u stop the auto debit
// tomorrow" opened auto-repayment, "dont charge me tomorrow" got a fallback
// and "今天扣的那个能不能取消 我卡里没钱" an unrelated topic, from customers
// with a booking (a probe). With a booking to run, the request lists the
// bookings (what cannot be cancelled says so); without one it is the FAQ's.
func TestAStopOfADaysDebitIsTheBookingList(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(600, "zh")
	c.identify(phoneZhang)
	for _, ask := range []string{"今天扣的那个能不能取消", "明天那笔别扣了", "别扣我钱了", "不要再扣我的钱"} { // no day said: handed off (a probe)
		c.send(ask)
		c.expect("你的预约还款", "Redmi K70 第 7 期")
		c.send("/menu")
	}
	e := h.chat(601, "en")
	e.identify(phoneZhang)
	e.send("/lang en")
	e.send("dont charge me tomorrow")
	e.expect("Your scheduled repayments")
	e.send("/menu")
	e.send("don't charge me") // no day said (a probe: the overdue guide)
	e.expect("Your scheduled repayments")
	e.send("/menu")
	e.send("stop the payment now!!") // (a probe: unsure between auto-repayment and paying)
	e.expect("Your scheduled repayments")
	e.send("/menu")
	c.send("马上停止扣款")
	c.expect("你的预约还款")
	c.send("/menu")
	e.send("dont charge me tomorrow, my wife sends me money on friday") // a longer English one, a relative only mentioned
	e.expect("Your scheduled repayments")
	e.send("/menu")
	e.send("dont charge my mom tomorrow") // not the customer's own booking to cancel
	e.expect("only show and handle your own")
	e.reject("Your scheduled repayments")
	b := h.chat(602, "en")
	b.identify(phoneBob) // nothing booked
	b.send("can u stop the auto debit tomorrow")
	b.reject("Your scheduled repayments")
	b.send("stop charging me")
	b.expect("no scheduled repayments", "Auto-repayment is off too")
	// A trouble around the debit is not a request to stop it: short of
	// money, cancelling would only make the customer overdue.
	for _, trouble := range []string{"明天扣款卡里没钱 不想逾期 怎么办", "为什么今天扣款了 我不是取消了吗", "明天别扣我招行卡 换建行卡扣"} {
		c.send(trouble)
		c.reject("你的预约还款")
	}
}

// TestAStopOfAutomaticDebitsIsAutoRepayment: "别自动扣款了" from a
// customer with auto-repayment on and a booking listed the bookings, and
// auto-repayment went on debiting (a probe). What debits by itself is
// auto-repayment: its list, with the switch off. Without it on, the
// bookings answer, as any "stop debiting me" does.
func TestAStopOfAutomaticDebitsIsAutoRepayment(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(610, "zh")
	c.identify(phoneZhang)
	c.send("别自动扣款了")
	c.expect("你的预约还款") // nothing on auto-repayment yet
	c.send("/autopay")
	c.press("开启 1. Redmi K70")
	c.press("确认开启")
	c.expect("已为「Redmi K70")
	for _, ask := range []string{"别自动扣款了", "不要再自动扣我的钱了", "停止自动扣款"} {
		c.send(ask)
		// …and the bookings being debited now still go through: said (a review).
		c.expect("确认关闭「Redmi K70」的自动还款吗", "「Xiaomi Book」第 3 期的预约还款", "正在扣款中")
		c.reject("你的预约还款")
		c.send("/menu")
	}
	c.send("停止这笔自动扣款") // this debit: the bookings, not the setting
	c.expect("你的预约还款")
	c.send("/menu")
	c.send("别扣我钱了") // automatic not said: the bookings, as before — and auto-repayment said to debit too (a probe)
	c.expect("你的预约还款", "另外，你有分期开着自动还款", "[🔁 自动还款]")
	c.send("/menu")
	c.send("明天那笔别扣了") // a day's debit: the bookings alone
	c.reject("另外，你有分期开着自动还款")
	if !h.plan("C1", "P1").AutoRepay {
		t.Error("auto-repayment went off without the customer's confirmation")
	}
	// In English, from a customer with none on and a booking to run: that
	// none is on, and the booking a tap away (a probe: only "Turn on").
	e := newHarness(t, fixture()).chat(611, "en")
	e.identify(phoneZhang)
	e.send("/lang en")
	e.send("pls dont auto charge me anymore")
	e.expect("nothing to turn off", "[🗓 Cancel scheduled repayment]")
}

// TestAGoAheadToCancelInMoreWordsIsToldHowToConfirm: at "cancel this
// booking?", the button's label typed ("cancel this repayment") got the
// FAQ's "a repayment cannot be undone", and "yes please cancel it" "not
// sure which one you mean" (a probe). Both are a go-ahead that names no
// confirm word: told how to confirm, and the booking stays until then.
func TestAGoAheadToCancelInMoreWordsIsToldHowToConfirm(t *testing.T) {
	for _, said := range []string{"Cancel this repayment", "yes please cancel it", "ok cancel the repayment"} {
		h := newHarness(t, fixture())
		h.realFAQ()
		h.open()
		c := h.chat(960, "en")
		c.identify(phoneZhang)
		c.send("/lang en")
		c.send("/cancel_schedule")
		c.press("Redmi K70, period 7")
		c.send(said)
		c.expect("It is not cancelled yet")
		if got := h.scheduled("C1")["S1"]; got == supportbot.ScheduledCancelled {
			t.Fatalf("%q cancelled S1 without a confirm", said)
		}
		c.send("confirm")
		c.expect("cancelled")
		if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledCancelled {
			t.Errorf("S1 status = %s after confirm, want cancelled", got)
		}
	}
}

// TestABookingNamedInWordsIsFound: at the list of bookings "period three",
// "the third period", "the one on the fourth" and "december fourth" were
// not understood (digits were); "cancel the laptop repayment" and "取消笔记
// 本的预约还款" got the guide instead of the bookings (a probe).
func TestABookingNamedInWordsIsFound(t *testing.T) {
	for _, said := range []string{"period seven", "the seventh period", "the one on the fourteenth", "december fourteenth", "十四号那个", "十二月十四号", "第七期", "十二月十四日的"} {
		h := newHarness(t, fixture())
		c := h.chat(961, "en")
		c.identify(phoneZhang)
		c.send("/lang en")
		c.send("/cancel_schedule")
		c.send(said)
		c.expect("Cancel this scheduled repayment?", "Redmi K70, period 7")
	}
	for _, said := range []string{"cancel the laptop repayment", "取消笔记本的预约还款", "please cancel my scheduled repayment for the laptop",
		"笔记本那笔预约不要了", "笔记本的预约我不要了"} {
		h := newHarness(t, fixture())
		h.realFAQ()
		h.open()
		c := h.chat(962, "en")
		c.identify(phoneZhang)
		c.send("/lang en")
		c.send(said)
		c.expect("Xiaomi Book, period 3", "can no longer be cancelled") // the laptop's one booking, named: runs within 2 hours
		c.reject("Your scheduled repayments")
	}
	// Asked how, the guide: its button opens the list (a probe: the list came instead,
	// while "how can i cancel…" got the guide).
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(963, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	for _, said := range []string{"how do i cancel a scheduled payment", "how to cancel scheduled repayment", "如何取消预约还款"} {
		c.send(said)
		c.reject("Your scheduled repayments")
		c.expect("[🗓 Cancel scheduled repayment]")
	}
}

// TestACancelNamingADayOrPeriodOpensTheBookings: "取消13号那个", "dont
// charge me on the 13th", "cancel period 3 of the laptop" as a first
// message were misses or unrelated topics (a probe) — the booking stayed
// and would run. They open the booking named, to confirm ("取消13号的预约
// 还款" listed them all: a probe); one naming none that fits, or several,
// the bookings to pick from.
func TestACancelNamingADayOrPeriodOpensTheBookings(t *testing.T) {
	h, c := faqSession(t, 100)
	for _, words := range []string{"取消14号那个", "dont charge me on the 14th", "cancel period 7 of the phone", "don't charge me on dec 14", "取消14号的预约还款"} {
		c.send(words)
		c.expect("要取消这笔预约还款吗？", "Redmi K70 第 7 期", "2026年12月14日 09:00 扣款")
		c.reject("你的预约还款</b>：")
		c.send("/menu")
	}
	c.send("取消20号的预约还款") // none runs or is due then: the list, which says so
	c.expect("你的预约还款</b>：")
	c.send("/menu")
	c.send("取消手机的预约还款") // the phone has two bookings: the list
	c.expect("你的预约还款</b>：")
	c.send("/menu")
	c.send("取消14号那个")
	c.press("取消这笔预约还款")
	c.expect("已取消")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledCancelled {
		t.Fatalf("S1 is %q after one confirmation, want cancelled", got)
	}
	c.send("第7期能取消吗") // asked: not the list
	c.reject("你的预约还款</b>：")
	c.send("cancel my 2nd installment plan") // a plan, not a booking
	c.reject("你的预约还款</b>：")
}

// TestStoppingADebitWithNoBookingSaysWhatWillBeDebited: "dont charge me
// tmrw" got the answer to an attempt at the bot's rules, "pls dont take
// money from my card tmrw" an unsure guess (a probe). "tmrw" is tomorrow,
// taking money is a debit; with a booking, the bookings; with none, that
// none is booked and whether auto-repayment still debits.
func TestStoppingADebitWithNoBookingSaysWhatWillBeDebited(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(994, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("dont charge me tmrw")
	c.expect("Your scheduled repayments")
	c.reject("My rules")
	for _, said := range []string{"take the money today, don't wait till the 15th", "dont cancel, take my money tmrw"} { // pay, not stop (a review)
		c.send("/menu")
		c.send(said)
		c.reject("Your scheduled repayments", "Cancel this scheduled repayment?")
	}

	p := newHarness(t, payFixture())
	p.realFAQ()
	p.open()
	s := p.chat(995, "en")
	s.identify(phoneSun)
	for _, said := range []string{"dont charge me tmrw", "pls dont take money from my card tmrw"} {
		s.send(said)
		s.expect("You have no scheduled repayments", "nothing will be debited automatically")
		s.reject("My rules", "not sure")
	}

	data := fixture() // 张伟 without bookings, auto-repayment on for the phone
	for i := range data {
		if data[i].Customer.ID == "C1" {
			data[i].Scheduled = nil
			data[i].Plans[0].AutoRepay = true
		}
	}
	a := newHarness(t, data)
	a.realFAQ()
	a.open()
	z := a.chat(996, "en")
	z.identify(phoneZhang)
	z.send("/lang en")
	z.send("dont charge me tomorrow")
	z.expect("You have no scheduled repayments", "auto-repayment is on for a plan of yours", "[🔁 Auto-repayment]")
}

// TestANoWithWordsAroundItAtACancellation: "算了不取消了", "还是不取消了吧"
// at "取消这笔预约还款？" were not understood (a probe): a no, the booking
// kept.
func TestANoWithWordsAroundItAtACancellation(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(1005, "zh")
	c.identify(phoneZhang)
	for _, said := range []string{"算了不取消了", "还是不取消了吧"} {
		c.send("/cancel_schedule")
		c.send("第7期")
		c.expect("要取消这笔预约还款吗？")
		c.send(said)
		c.expect("预约还款保持不变")
	}
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Fatalf("S1 is %q, want kept", got)
	}
}

// TestABookingAskedForIsNotTheBookingsToCancel: "帮我预约下个月15号还款" asked
// to cancel the next booking, "怎么预约还款" got the steps to cancel one (a
// probe): the FAQ reads booking as its cancel flow. Nothing here books a
// repayment and no guide says how: the customer is told so, with
// auto-repayment, paying now and a person a tap away.
func TestABookingAskedForIsNotTheBookingsToCancel(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(604, "zh")
	c.identify(phoneZhang)
	for _, ask := range []string{"怎么预约还款", "帮我预约下个月15号还款", "我想重新预约还款",
		"帮我设个预约还款 24号扣"} { // and set up, with a day (an audit: "no bookings of yours")
		c.send(ask)
		c.expect("这里不能新建预约还款", "[🔁 自动还款]", "[🧾 还本期账单]")
		c.reject("要取消这笔预约还款吗", "你的预约还款：", "点「取消预约」")
	}
	c.send("can you book a scheduled repayment for the 14th for me") // a day its booking runs: not that booking's cancellation (an audit)
	c.expect("这里不能新建预约还款")
	c.reject("要取消这笔预约还款吗")
	c.send("预约还款怎么取消") // cancelling one is still the cancel how-to
	c.reject("这里不能新建预约还款")
	c.send("我预约了明天还款 能不能取消")
	c.expect("你的预约还款")
	c.send("我不想要预约还款了 全部帮我关掉") // done with them: the bookings (an audit: "nothing here books one")
	c.expect("你的预约还款")
	c.reject("这里不能新建预约还款")
	for id, status := range h.scheduled("C1") {
		if status == string(supportbot.ScheduledCancelled) {
			t.Errorf("booking %s cancelled", id)
		}
	}
}

// TestABookingOrSwitchSaidToBeKeptChangesNothing: "不要取消我的预约还款"
// showed the bookings to cancel, and "千万别关我的自动还款" the switches with
// a "turn off" button (a probe): the words named the flow that would
// change them. Said to be kept, nothing is done, and it is said.
func TestABookingOrSwitchSaidToBeKeptChangesNothing(t *testing.T) {
	_, c := faqSession(t, 1006)
	for _, said := range []string{"不要取消我的预约还款", "千万别关我的自动还款", "dont cancel my scheduled repayment"} {
		c.send(said)
		c.expect("什么都没有改动")
		c.reject("你的预约还款：", "自动还款：开启后")
	}
	c.send("取消预约还款") // asked: the list
	c.expect("你的预约还款")
}

// TestTheKeepButtonsLabelTypedKeepsTheBooking: "保留这笔预约还款" typed at
// "cancel this booking?" got an unsure reply offering to cancel one (a
// probe). The keep button's label typed is the keep button.
func TestTheKeepButtonsLabelTypedKeepsTheBooking(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(1007, "zh")
	c.identify(phoneZhang)
	c.send("/cancel_schedule")
	c.press("第 7 期")
	c.expect("[保留这笔预约还款]")
	c.send("保留这笔预约还款")
	c.expect("预约还款保持不变")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S1 is %s, want it kept scheduled", got)
	}
}

// TestABookingPickedInNaturalWords: at the bookings to cancel "晚一点的那个"
// got a guide, "499的那个" and "招联的" "can't answer", and "不是手机的那个"
// "none fits" (a probe). A booking is picked by when it runs, the amount it
// shows, its plan's partner, or the kind it is not.
func TestABookingPickedInNaturalWords(t *testing.T) {
	_, c := faqSession(t, 690) // S3 (Redmi K70, processing, 10:30), S2 (Xiaomi Book, 11:00), S1 (Redmi K70, Dec 14)
	for _, tc := range []struct{ pick, want string }{
		{"晚一点的那个", "Redmi K70 第 7 期"}, {"1005的那个", "Xiaomi Book 第 3 期"}, {"招联的", "Xiaomi Book 第 3 期"},
		{"不是手机的那个", "Xiaomi Book 第 3 期"}, {"the latest one", "Redmi K70 第 7 期"},
		{"9点那个", "Redmi K70 第 7 期"}, {"上午11点的", "Xiaomi Book 第 3 期"}, {"the 11am one", "Xiaomi Book 第 3 期"},
		{"今天11点那笔", "Xiaomi Book 第 3 期"}, {"14号早上9点的", "Redmi K70 第 7 期"},
	} {
		c.send("/cancel_schedule")
		c.send(tc.pick)
		c.expect(tc.want)
		c.reject("回答不了", "没有符合")
	}
	// When the customer pays by themselves is not a booking's time (a review:
	// the laptop named was lost to "3点").
	for _, said := range []string{"取消笔记本的预约，我下午3点自己还", "cancel the laptop booking, I'll pay it myself at 6pm"} {
		c.send(said)
		c.expect("Xiaomi Book 第 3 期")
		c.reject("没有符合")
	}
	c.send("/cancel_schedule")
	c.send("2，我下午自己还，大概3点") // the second on the list
	c.expect("Xiaomi Book 第 3 期")
	c.reject("没有符合")
	// A day or a time no booking runs at: the list says none fits.
	for _, pick := range []string{"下周一那个", "明天9点那个", "晚上8点的"} {
		c.send("/cancel_schedule")
		c.send(pick)
		c.expect("没有符合")
	}
}

// TestWhetherItWorkedIsAnswered: "取消了吗", "is it cancelled?", "好了吗",
// "did it work?" after an action were "not sure", "can't answer" or the
// cancellation guide (a probe). The latest thing done here is told; at a
// step still waiting, that nothing is done yet; with nothing done lately,
// so.
func TestWhetherItWorkedIsAnswered(t *testing.T) {
	_, c := faqSession(t, 694)
	c.send("好了吗")
	c.expect("最近半小时没有在这里办理过")
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.send("is it cancelled?")
	c.expect("还没有") // the confirmation still waits
	c.send("确认")
	c.expect("已取消预约还款")
	for _, q := range []string{"取消了吗", "is it cancelled?", "好了吗", "did it work?", "搞定了没", "刚才那笔成功了吗"} { // the last: a probe got unsure
		c.send(q)
		c.expect("最近一次在这里办理的结果", "已取消预约还款：Redmi K70 第 7 期")
	}
}

// TestAllBookingsAskedOffAreTakenOneAtATime: "两个都取消" at the list got
// "can't answer", "帮我把所有预约都取消了" "not sure" (a probe). Bookings are
// cancelled one at a time: said under the list, which still waits.
func TestAllBookingsAskedOffAreTakenOneAtATime(t *testing.T) {
	h, c := faqSession(t, 695)
	c.send("帮我把所有预约都取消了")
	c.expect("你的预约还款", "一次取消一笔")
	c.send("两个都取消")
	c.expect("一次取消一笔")
	c.send("cancel both")
	c.expect("一次取消一笔")
	c.send("3")
	c.expect("要取消这笔预约还款吗", "Redmi K70 第 7 期")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S1 is %s before any confirmation", got)
	}
}

// TestCancellingABookingOfAPlanOnAutoRepayment: cancelling a booking of a
// plan with auto-repayment on warned to pay by hand by the due date or go
// overdue, where auto-repayment debits it then (an audit). That is said.
func TestCancellingABookingOfAPlanOnAutoRepayment(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].AutoRepay = true // the Redmi K70, booked on Dec 14, due Dec 15
	h := newHarness(t, data)
	h.open()
	c := h.chat(848, "zh")
	c.identify(phoneZhang)
	h.advance(22 * 24 * time.Hour) // Dec 13: the due date is near
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.expect("这笔分期开着自动还款", "从默认卡 招商银行 **** 6789 自动扣款")
	c.reject("取消后请在还款日前手动还款")
}

// TestACorrectionNamingAPlanWithoutABooking: "不对 我是想取消小米15的" at
// another plan's booking, the Xiaomi 15 having none, got "can't answer"
// (an audit): that it has none, the step waiting.
func TestACorrectionNamingAPlanWithoutABooking(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Scheduled = slices.DeleteFunc(zhang.Scheduled, func(r supportbot.ScheduledRepayment) bool { return r.PlanID == "P2" })
	h := newHarness(t, data)
	h.open()
	c := h.chat(851, "zh")
	c.identify(phoneZhang)
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.send("不对 我是想取消笔记本的")
	c.expect("「Xiaomi Book」没有可以取消的预约还款", "这笔预约还款还没有取消")
	c.send("确认")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledCancelled {
		t.Errorf("S1 is %s, want cancelled: the step waited", got)
	}
}

// TestCancellingABookingThatRanSaysSo: "cancel the phone payment" after the
// phone's booking took the money that morning listed the other plan's
// booking alone, not a word of it (an audit). That it ran is said first.
func TestCancellingABookingThatRanSaysSo(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Scheduled = slices.DeleteFunc(zhang.Scheduled, func(r supportbot.ScheduledRepayment) bool { return r.PlanID == "P1" })
	zhang.Scheduled = append(zhang.Scheduled, supportbot.ScheduledRepayment{ID: "S8", CustomerID: "C1", PlanID: "P1", Period: 6, Amount: 26192,
		CardID: "K1", RunAt: time.Date(2026, 11, 21, 8, 0, 0, 0, time.FixedZone("CST", 8*3600)), Status: supportbot.ScheduledDone})
	h := newHarness(t, data)
	h.open()
	c := h.chat(852, "zh")
	c.identify(phoneZhang)
	c.send("取消手机的预约还款")
	c.expect("「Redmi K70」第 6 期的预约还款 <b>¥261.92</b> 已在 今天 08:00 扣款，已经取消不了了")
}

// A booking asked cancelled with the noun first ("k70的预约取消一下",
// "那笔预约帮我取消掉") is its cancellation (a probe: unsure); asked
// whether it was, it is not.
func TestABookingCancelledNounFirst(t *testing.T) {
	_, c := faqSession(t, 729)
	c.send("k70的预约取消一下") // two of the K70's: which, from the list
	c.expect("你的预约还款", "Redmi K70 第 7 期")
	c.reject("不太确定")
	c.send("返回")
	c.send("预约取消了吗")
	c.reject("你的预约还款")
}

// A booking's cancellation asked beside another plan's payoff names its
// plan in its own clause: "笔记本提前还清 顺便取消手机的预约" is the phone's
// booking, not the laptop's (a replay: the laptop's was asked about, its
// longer word read first).
func TestACancellationsPlanIsTheOneInItsClause(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Scheduled = slices.DeleteFunc(zhang.Scheduled, func(r supportbot.ScheduledRepayment) bool { return r.ID == "S3" })
	_, c := faqSessionOn(t, data, 735, phoneZhang)
	c.send("笔记本提前还清 顺便取消手机的预约")
	c.expect("要取消这笔预约还款吗", "Redmi K70 第 7 期")
	c.reject("Xiaomi Book 第 3 期")
}

// TestWhichCardAtABookingsCancellationKeepsIt: "扣哪张卡的" at "要取消这笔预
// 约还款吗？" got the cards' list in its place, and the 确认 after found
// nothing to confirm (a probe): the booking's card is said, the question
// waiting, and its 确认 cancels it.
func TestWhichCardAtABookingsCancellationKeepsIt(t *testing.T) {
	_, c := faqSession(t, 1034)
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.expect("要取消这笔预约还款吗")
	c.send("扣哪张卡的")
	c.expect("这笔预约还款从 招商银行 **** 6789 扣款", "还没有取消")
	c.reject("你绑定的还款银行卡")
	c.send("确认")
	c.expect("已取消预约还款")
}

// TestACorrectionAtTheBookingsListIsAPick: "不对 是笔记本那个" at the list of
// bookings got unsure (a probe): the booking named, to confirm.
func TestACorrectionAtTheBookingsListIsAPick(t *testing.T) {
	_, c := faqSession(t, 1047)
	c.send("/cancel_schedule")
	c.send("不对 是笔记本那个")
	c.expect("Xiaomi Book 第 3 期")
	c.reject("不太确定")
	c.send("/lang en")
	c.send("/cancel_schedule")
	c.send("no, the laptop one") // its own group of the correction's regexp (a review: read as nothing)
	c.expect("Xiaomi Book, period 3")
}

// TestABookingCancelledThenPaidNowIsThePayment: "把笔记本的预约取消了 然后现
// 在就还" asked the cancellation and dropped the payment (a probe): the
// cancellation's question, with the payment offered beside it, as "…然后现
// 在就还这期" already had.
func TestABookingCancelledThenPaidNowIsThePayment(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	for i := range zhang.Scheduled {
		if zhang.Scheduled[i].ID == "S2" {
			zhang.Scheduled[i].RunAt = start.Add(72 * time.Hour) // the laptop's booking, not due to run yet
		}
	}
	_, c := faqSessionOn(t, data, 1048, phoneZhang)
	c.send("把笔记本的预约取消了 然后现在就还")
	c.expect("Xiaomi Book 第 3 期", "你还问到了", "[🧾 还本期账单]")
	c.send("/menu")
	c.send("明天别扣款，等我老婆发了工资再还") // later: no payment offered
	c.reject("你还问到了")
}

// A payoff asked beside a booking's cancellation ("pay off the phone and
// cancel the laptop booking") is offered beside the cancellation's
// question (a probe: dropped without a word).
func TestAPayoffAskedBesideACancellationIsOffered(t *testing.T) {
	_, c := faqSession(t, 1074)
	c.send("pay off the laptop and cancel the phone booking")
	c.expect("你的预约还款", "Redmi K70 第 7 期")
	c.button("提前还款")
}

// TestABookingsCardAskedChangedIsToldItKeepsIt: "路由器今晚扣款的那个能改
// 成建设银行的卡吗" got the day's debits, never a word of the card (a
// probe): a booking keeps its card; cancelled in time, the bill is paid by
// hand with another.
func TestABookingsCardAskedChangedIsToldItKeepsIt(t *testing.T) {
	_, c := faqSession(t, 1095)
	c.send("手机14号扣款的那个能改成工商银行的卡吗")
	c.expect("这里不能换卡", "/cancel_schedule", "[🗓 取消预约还款]")
	c.send("14号那笔预约能换成工行卡扣吗") // a probe got the cards' list
	c.expect("这里不能换卡", "/cancel_schedule")
	c.send("/lang en")
	c.send("can the scheduled payment use my icbc card instead")
	c.expect("its card can't be changed here")
}

// At the bookings' list, "那Pro那个我现在手动还" and "now pay today's bill"
// were taken for the booking to cancel — a confirm cancelled one on its due
// date, nothing paid (a probe): a payment asked there is the bill.
func TestPayingAskedAtTheBookingsListIsTheBill(t *testing.T) {
	_, c := faqSession(t, 1153)
	c.send("/cancel_schedule")
	c.send("那手机那个我现在手动还")
	c.expect("Redmi K70", "合计应付")
	c.reject("要取消这笔预约还款吗")
	_, c = faqSession(t, 1154)
	c.send("/cancel_schedule")
	c.send("now pay today's bill")
	c.expect("Xiaomi Book")
	c.reject("要取消这笔预约还款吗")
}

// After a booking's cancellation, "那手机这期我现在还" was taken for the
// cancellation again, of another booking (a probe): it is the bill.
func TestPayingItNowAfterACancellationIsTheBill(t *testing.T) {
	_, c := faqSession(t, 1168)
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.send("确认")
	c.expect("已取消预约还款")
	c.send("那手机这期我现在还")
	c.expect("合计应付", "Redmi K70")
	c.reject("你的预约还款")
	c.send("/menu")
	c.send("还K70逾期的")
	c.expect("合计应付", "Redmi K70")
}

// TestAQuestionAtTheBookingsListIsNoPick: "明天还会扣吗" at the bookings'
// list picked tomorrow's booking, and a 确认 then cancelled it (a probe):
// what will debit is said, the list still waits, nothing cancelled. And
// "那我现在手动还手机这期" after it is the phone's bill (unsure, or the
// plan alone, before).
func TestAQuestionAtTheBookingsListIsNoPick(t *testing.T) {
	h, c := faqSession(t, 1196)
	c.send("/cancel_schedule")
	c.send("14号会扣吗")
	c.expect("2026年12月14日会自动扣款的", "要取消的话，请点上面预约列表里的一项")
	c.reject("要取消这笔预约还款吗")
	c.send("确认")
	c.expect("还没有选择")
	if got := h.scheduled("C1")["S1"]; got == supportbot.ScheduledCancelled {
		t.Fatal("S1 cancelled by a question at the list")
	}
	c.send("14号那笔能不扣吗") // a cancellation asked as a question: that booking's
	c.expect("要取消这笔预约还款吗")
	c.send("返回")
	c.send("我还了手机这期") // paid, said: no quote (a replay)
	c.reject("合计应付")
	c.send("那我现在手动还手机这期")
	c.expect("Redmi K70", "合计应付：<b>¥261.92</b>")
	_, e := faqSessionEn(t, 1204)
	e.send("/cancel_schedule")
	e.send("will the one on the 14th go through?")
	e.expect("Scheduled repayment")
	e.reject("Cancel this scheduled repayment?")
}
