package flows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"supportbot"
)

func TestBillsToTheFen(t *testing.T) {
	_, c := session(t, fixture(), phoneZhang, "/bill")
	// P1: periods 6-12 unpaid: 6×249.92 + 249.88 + late fee 12.00 = 1,761.40
	// P2: periods 3-6: 4×(1,000.00 + 5.00) = 4,020.00
	c.expect("2 笔进行中的分期，合计待还 <b>¥5,781.40</b>",
		"Redmi K70", "订单号 <code>5241015123456</code> · 小米分期", "已还 5/12 期 · 每期 ¥249.92",
		"第 6 期已逾期 6 天（还款日 2026年11月15日）：应还 <b>¥249.92</b>，另有滞纳金 ¥12.00",
		"下期还款日 2026年12月15日，应还 <b>¥249.92</b>", "剩余待还 ¥1,761.40",
		"已还 2/6 期 · 每期 ¥1,005.00", "下期还款日 今天，应还 <b>¥1,005.00</b>", "剩余待还 ¥4,020.00",
		"逾期", "征信")
	c.press("查看还款计划")
	c.expect("<b>Redmi K70</b>（订单号 <code>5241015123456</code>）还款计划", "12  2027-05-15", "¥249.88", "⚠️ 已逾期，滞纳金 ¥12.00")
}

func TestBillsInEnglish(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/lang en") // 张伟's language on file is Chinese
	c.send("my bill")
	c.expect("2 open installment plans, <b>¥5,781.40</b> remaining", "Period 6 is 6 days overdue (due date Nov 15, 2026): <b>¥249.92</b>, plus a late fee of ¥12.00",
		"Next due date Dec 15, 2026: <b>¥249.92</b>", "credit bureau")
}

func TestBillsOfASettledCustomer(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.send("/bill")
	c.expect("You've paid off 1 installment plan; nothing is due")
	c.reject("overdue")
}

func TestScheduleOfSomeoneElsesPlanShowsNothing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.pressData("v:sched:P4") // 王芳's plan
	c.expect("按钮已过期")
	c.reject("Xiaomi Watch")
}

func TestRestartKeepsTheConversation(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/bill")
	h.open() // a new engine on the same database
	c.share(phoneZhang, 100)
	c.expect("验证成功", "Redmi K70") // Identify still knew where it was going
}

// longIDs gives every plan, card and scheduled repayment an id as long as
// the core may send (its ids have no length limit).
func longIDs(data []supportbot.CustomerData) []supportbot.CustomerData {
	long := func(id string) string {
		return "3f2b9c1e-7a64-4d0b-9e55-0c8f1a2b3c4d/" + strings.Repeat("x", 40) + "/" + id
	}
	for i := range data {
		d := &data[i]
		for j := range d.Cards {
			d.Cards[j].ID = long(d.Cards[j].ID)
		}
		for j := range d.Plans {
			d.Plans[j].ID = long(d.Plans[j].ID)
			for k := range d.Plans[j].Bills {
				d.Plans[j].Bills[k].PlanID = d.Plans[j].ID
			}
		}
		for j := range d.Scheduled {
			s := &d.Scheduled[j]
			s.ID, s.PlanID, s.CardID = long(s.ID), long(s.PlanID), long(s.CardID)
		}
	}
	return data
}

// TestLongIDsFitTheButtons: with ids of 80 bytes every button the flows make
// still fits Telegram's 64 bytes (the harness checks each one) and still
// names its plan, card or scheduled repayment.
func TestLongIDsFitTheButtons(t *testing.T) {
	h := newHarness(t, longIDs(payFixture()))
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/bill")
	c.press("1. 查看还款计划")
	c.expect("<b>Redmi K70</b>（订单号 <code>5241015123456</code>）还款计划")
	c.press("还这期")
	c.expect("合计应付", "招商银行 **** 6789")
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.press("取消这笔预约还款")
	c.expect("已取消预约还款")
	if h.scheduled("C1")[longIDs(fixture())[0].Scheduled[0].ID] != supportbot.ScheduledCancelled {
		t.Errorf("the long-id scheduled repayment was not cancelled: %v", h.scheduled("C1"))
	}

	z := h.chat(500, "zh")
	z.identify(phoneZhao)
	z.send("/bill")
	z.press("🧾 还这期")
	z.press("换一张卡")
	z.press("招商银行 **** 6666")
	z.expect("扣款卡：招商银行 **** 6666")
	z.press("确认还款")
	z.expect("还款成功")
	z.send("/repay")
	z.press("确认还款")
	z.expect("提前还款成功")
}

// TestNamesFullOfMarkupReadAsTyped: products, partners and cards whose names
// hold <, &, *, _ and emoji are shown as they are, escaped once (the harness
// refuses any text escaped twice), through every flow that names them.
func TestNamesFullOfMarkupReadAsTyped(t *testing.T) {
	data := payFixture()
	for i := range data {
		for j := range data[i].Plans {
			data[i].Plans[j].Product = "<b>Redmi</b> & *K70*_😀 " + data[i].Plans[j].Product
			data[i].Plans[j].Partner = "A&B <金融>"
		}
		for j := range data[i].Cards {
			data[i].Cards[j].Bank = "<i>银行</i>&"
		}
	}
	_, c := session(t, data, phoneZhang, "/bill")
	c.expect("&lt;b&gt;Redmi&lt;/b&gt; &amp; *K70*_😀 Redmi K70", "A&amp;B &lt;金融&gt;")
	c.press("1. 查看还款计划")
	c.send("/cancel_schedule")
	c.press("第 7 期")
	c.press("取消这笔预约还款")
	c.expect("已取消预约还款", "&amp; *K70*")
	c.send("/autopay")
	c.send("/repay")
	c.press("Xiaomi Book")
	c.expect("&lt;b&gt;Redmi&lt;/b&gt;")
	c.press("确认还款")
	c.expect("提前还款成功")
	c.send("/messages")
	c.send("/cards")
	c.expect("&lt;i&gt;银行&lt;/i&gt;&amp; **** 6789")
	c.send("/pay") // buttons are plain text: the name as typed
	c.button("<b>Redmi</b> & *K70*_😀 Redmi K70")
}

// TestABookingOnAFrozenCardIsNotNothingToDo: 王芳's next period is booked on a
// card the bank now declines; the bill must not say "nothing to do by hand",
// but that the debit will fail and how to pay instead.
func TestABookingOnAFrozenCardIsNotNothingToDo(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C3").Scheduled[0].CardID = "K9" // S9 on 工商银行 **** 4321, frozen
	_, c := session(t, data, phoneWang, "/bill")
	c.expect("从 工商银行 **** 4321 扣款，但这张卡已被冻结，扣款会失败", "/pay")
	c.reject("无需手动还款")
}

// TestABookingOnTheOnlyFrozenCardsSaysWhatHelps: with every card frozen, the
// bill's "pay by hand with another card (/pay)" led to a /pay that refuses;
// it says to bind a new card instead.
func TestABookingOnTheOnlyFrozenCardsSaysWhatHelps(t *testing.T) {
	data := fixture()
	wang := customerIn(t, data, "C3")
	wang.Scheduled[0].CardID = "K9"
	for i := range wang.Cards {
		wang.Cards[i].Frozen = true
	}
	_, c := session(t, data, phoneWang, "/bill")
	c.expect("这张卡已被冻结，扣款会失败，你也没有其他可用的卡", "绑定一张新卡", "/cards")
	c.reject("/pay", "无需手动还款")
	c.send("/pay")
	c.expect("都已冻结")
}

// TestPerPeriodIsWhatMostPeriodsCost: a plan whose first period carries no
// fee shows what the other periods cost, not the first one's amount.
func TestPerPeriodIsWhatMostPeriodsCost(t *testing.T) {
	data := fixture()
	p4 := customerIn(t, data, "C3").Plans[0]
	p4.Bills[1].Fee, p4.Bills[2].Fee = 500, 500 // periods 2 and 3: ¥105.00; period 1 (paid): ¥100.00
	_, c := session(t, data, phoneWang, "/bill")
	c.expect("已还 1/3 期 · 每期 ¥105.00")
}

// TestAnOverduePeriodWithoutALateFeeSaysNoFee: 王芳's period 2 is overdue but
// no late fee has been charged: no "late fee ¥0.00", in the bill or the
// schedule.
func TestAnOverduePeriodWithoutALateFeeSaysNoFee(t *testing.T) {
	_, c := session(t, fixture(), phoneWang, "/bill")
	c.expect("第 2 期已逾期 20 天（还款日 2026年11月1日）：应还 <b>¥100.00</b>")
	c.reject("滞纳金 ¥0.00")
	c.press("查看还款计划")
	c.expect("⚠️ 已逾期")
	c.reject("滞纳金 ¥0.00")
}

// An overdue period a scheduled repayment is already debiting is said to be
// so, and not offered for payment (paying it would pay it twice): the bill
// does not say "repay as soon as you can" and then "nothing to pay" (found
// by an outside probe).
func TestAnOverduePeriodBeingDebitedIsNotOfferedForPayment(t *testing.T) {
	data := fixture()
	c3 := customerIn(t, data, "C3")
	c3.Scheduled = append(c3.Scheduled, supportbot.ScheduledRepayment{ID: "S8", CustomerID: "C3", PlanID: "P4", Period: 2,
		Amount: 10000, CardID: "K8", RunAt: start.Add(-time.Hour), Status: supportbot.ScheduledProcessing})
	_, c := session(t, data, phoneWang, "/bill")
	c.expect("第 2 期已逾期", "这期的预约还款正在扣款中，请等待结果，不要重复还款")
	for _, l := range c.labels() {
		if strings.Contains(l, "还这期") {
			t.Errorf("a period being debited is offered for payment: %q", c.labels())
		}
	}
	c.press("查看还款计划")
	c.expect(" 2  2026-11-01", "⏳ 扣款中")
}

// Auto-repayment on a frozen default card is said to fail on the bill, as
// /autopay and /cards say it (found by an outside probe: the bill said
// "Auto-repayment on (ICBC **** 4321)" and nothing else).
func TestTheBillWarnsOfAutoRepaymentOnAFrozenCard(t *testing.T) {
	data := fixture()
	c3 := customerIn(t, data, "C3")
	c3.Plans[0].AutoRepay = true
	c3.Cards[0].Default, c3.Cards[1].Default = false, true // the frozen 工商银行 card
	_, c := session(t, data, phoneWang, "/bill")
	c.expect("自动还款：已开启，但默认卡 工商银行 **** 4321 已冻结，无法扣款")
}

// TestAnOrderNumberOfTheirOwnShowsItsSchedule: "订单号5241015123456的还款计划"
// was told orders are the mall's business (a probe), though /bill prints the
// number. The customer's own order number shows that plan's schedule; a
// question about its goods, or another order number, is still not ours.
func TestAnOrderNumberOfTheirOwnShowsItsSchedule(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(600, "zh")
	c.identify(phoneZhang)
	for _, ask := range []string{"订单号5241015123456的还款计划", "5241015123456这个订单还剩几期"} {
		c.send(ask)
		c.expect("<b>Redmi K70</b>（订单号 <code>5241015123456</code>）还款计划")
	}
	for _, ask := range []string{"5241015123456发货了吗", "订单5249999999999还剩几期"} {
		c.send(ask)
		c.reject("还款计划")
	}
	// A question the FAQ is sure of stays its answer, order number or not.
	f := newHarness(t, fixture())
	f.realFAQ()
	f.open()
	q := f.chat(602, "zh")
	q.identify(phoneZhang)
	q.send("订单号5241015123456为什么扣了两次")
	q.reject("还款计划")
	o := h.chat(601, "zh")
	o.identify(phoneBob) // not his order
	o.send("5241015123456这个订单还剩几期")
	o.reject("还款计划", "Redmi K70")
}

// TestABookingUnderAnOverduePeriodBeingDebited: the next period's booking
// said "the overdue one above is still to be paid now" while that overdue
// period's own debit was running — inviting a second payment (a review).
// Under a period being debited the booking says nothing is to be done.
func TestABookingUnderAnOverduePeriodBeingDebited(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/bill")
	c.expect("已预约 2026年12月14日 09:00 扣这一期；上面逾期未还的不在其中，请现在手动还") // period 6 overdue, to pay
	h.hooks.set(func(k *hooks) {
		k.scheduled = func(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error) {
			list, err := k.Core.Scheduled(ctx, customerID)
			return append(list, supportbot.ScheduledRepayment{ID: "S9", CustomerID: "C1", PlanID: "P1", Period: 6, Amount: 26192,
				CardID: "K1", RunAt: h.clock().Add(-time.Minute), Status: supportbot.ScheduledProcessing}), err
		}
	})
	c.send("/bill")
	c.expect("正在扣款中", "已预约 2026年12月14日 09:00 自动扣款，无需手动还款")
	c.reject("请现在手动还")
}

// TestAPaidQuestionNamingAMonthGetsThatMonth: "我上个月还了没有" was
// answered with the bookings being debited today (a probe): a question
// whether a named month was paid gets that month's periods, each paid,
// unpaid or overdue.
func TestAPaidQuestionNamingAMonthGetsThatMonth(t *testing.T) {
	h, c := faqSession(t, 971)
	c.send("我上个月还了没有")
	c.expect("你 10 月到期的账单", "「Redmi K70」第 5 期", "2026年10月15日到期", "「Xiaomi Book」第 2 期", "✅ 已还")
	c.reject("正在扣款中", "第 6 期")
	c.send("11月份的还了吗")
	c.expect("「Redmi K70」第 6 期", "已逾期，现在要还 <b>¥261.92</b>", "「Xiaomi Book」第 3 期", "将在 今天 11:00 扣款")
	c.send("上个月那期扣款成功了吗") // asked as a debit's success (a probe: today's debit)
	c.expect("你 10 月到期的账单", "「Redmi K70」第 5 期")
	for _, q := range []string{"10月15号那期我还了吗", "10月份我还了多少钱", "how much was taken in october"} { // a day's month, how much paid (an audit: today's debit, the bill)
		c.send(q)
		c.expect("10 月到期的账单", "「Redmi K70」第 5 期", "✅ 已还")
	}
	c.reject("正在扣款中")
	c.send("11月的扣款成功了吗") // a period whose booking is being debited says so, not "to pay" (a regression probe)
	// …and one not started yet, when it runs (a probe: "正在扣款中" an hour before).
	c.expect("「Xiaomi Book」第 3 期（2026年11月21日到期，¥1,005.00）：⏳ 预约还款将在 今天 11:00 扣款（已无法取消），不用再手动还")
	c.send("上个月的钱扣了两次吗？") // a double charge: the FAQ's
	c.reject("到期的账单")
	c.send("扣款短信没收到 到底扣没扣") // asked as "A没A": what is being debited (a probe was unsure)
	c.expect("正在扣款中")
	c.reject("我不太确定")
	for _, q := range []string{"你好我刚才点了提前还款但是我没点确认那钱扣了没有", "I didn't confirm, was I charged?"} {
		c.send(q) // nothing without a confirm, said (an audit got only the debits to come)
		c.expect("没有确认就不会扣款", "正在扣款中")
	}
	for _, q := range []string{"auto pay今天扣了吗", "自动扣款扣了没", "did the autopay go through today?"} { // auto-repayment's debit: not how to set it (an audit)
		c.send(q)
		c.expect("正在扣款中")
		c.reject("建议开启自动还款", "我不太确定")
	}
	for _, q := range []string{"我还没还这期，帮我还了", "扣没扣我看不到，帮我转人工"} {
		c.send(q) // 还 as "still", a person asked for: not a payment's status (a regression run)
		c.reject("正在扣款中")
		c.send("/menu")
	}

	b := h.chat(972, "en")
	b.identify(phoneBob)
	b.send("did my august payment go through?")
	b.expect("Your bills due in August", "Period 2 of \"Redmi Buds\"", "✅ paid")
	b.send("did I pay last month?")
	b.expect("You had no bill due in October")

	// A coming month asked in December is the coming one, its year said (a
	// review: "no bill in January" was January of this year).
	h.advance(14 * 24 * time.Hour) // 12-05
	c.send("1月份的还了吗")
	c.expect("你 2027 年 1 月到期的账单", "「Redmi K70」第 8 期", "待还")
}

// TestAMonthGoneByIsThatMonth: "上个月要还多少" was told nothing was due
// in November of next year, "how much was due last month" got the plan's
// last period, and "11月份我逾期了吗", "上个月有没有逾期" were unsure (a
// probe): a month gone by is that month's periods, each paid (late, with
// its late fee, if so) or not.
func TestAMonthGoneByIsThatMonth(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans[0].Bills[4].LateFee = 1200 // period 5 (2026-10-15), paid late
	h := newHarness(t, data)
	h.realFAQ()
	h.open()
	c := h.chat(981, "zh")
	c.identify(phoneZhang)
	for _, q := range []string{"上个月要还多少", "上个月有没有逾期", "10月份我逾期了吗", "how much was due last month", "was i late last month?"} {
		c.send(q)
		c.expect("你 10 月到期的账单", "「Redmi K70」第 5 期", "逾期后还上，付了滞纳金 ¥12.00", "「Xiaomi Book」第 2 期")
		c.reject("2027", "第 12 期")
	}
	c.send("how much is my last month?") // the plan's last period
	c.expect("第 12 期")
}

// TestAPaidQuestionNamingASettledPlanOrNoneSaysSo: "我的耳机还完了吗" from a
// customer whose earbuds are paid off got "no recent payment", and "我的手表
// 还完了吗" from one with no watch another plan's debit (a probe).
func TestAPaidQuestionNamingASettledPlanOrNoneSaysSo(t *testing.T) {
	h, c := faqSession(t, 975)
	c.send("我的手表还完了吗")
	c.expect("你的分期里没有「手表」")
	c.reject("预约还款")
	bob := h.chat(976, "en")
	bob.identify(phoneBob) // Redmi Buds, paid off
	for _, q := range []string{"are my earbuds paid off?", "我的耳机还完了吗"} {
		bob.send(q)
		bob.expect("\"Redmi Buds\" is already paid off")
	}
}

// TestWhetherEverythingIsPaidIsTheBill: "我的分期都还完了吗", "are all my
// installments paid?" from a customer who owes nothing got "no recent
// repayment of yours" (a probe), which reads as a payment gone missing.
// Whether everything is paid is the bill: all settled, or what is open.
func TestWhetherEverythingIsPaidIsTheBill(t *testing.T) {
	h, c := faqSession(t, 978) // 张伟: two open plans, one overdue
	c.send("我的分期都还完了吗")
	c.expect("剩余待还", "Redmi K70", "Xiaomi Book")
	c.reject("没有查到你最近的还款记录")
	c.send("分期能提前全部还清吗") // whether one can: not this
	c.reject("剩余待还")
	bob := h.chat(979, "en")
	bob.identify(phoneBob) // Redmi Buds, paid off
	for _, q := range []string{"are all my installments paid?", "have I paid everything off?", "我想问一下我的分期都还完了没有还有没有欠的"} {
		bob.send(q)
		bob.expect("nothing is due")
		bob.reject("no recent repayment")
	}
	bob.send("have I paid everything off? I want to close my account") // the closure asked: its check (a regression run)
	bob.reject("nothing is due")
}

// TestOnePeriodAskedIsAnswered: "笔记本最后一期多少钱", "手机第8期要还多少" and
// "how much is period 6" got "not sure", a guide, or the bill's amount per
// period where the last period costs a few fen more (a probe). The period
// asked for is told: due date, amount, status.
func TestOnePeriodAskedIsAnswered(t *testing.T) {
	_, c := faqSession(t, 977)
	c.send("K70最后一期多少钱")
	c.expect("「Redmi K70」第 12 期", "到期")
	c.send("手机第6期要还多少")
	c.expect("「Redmi K70」第 6 期", "已逾期，现在要还 <b>¥261.92</b>")
	c.send("第5期还了吗")
	c.expect("「Redmi K70」第 5 期", "✅ 已还", "「Xiaomi Book」第 5 期")
	c.send("第20期多少钱")
	c.expect("你的分期没有第 20 期")
	c.send("第7期提前还款手续费多少") // a fee: not the period's bill
	c.reject("「Redmi K70」第 7 期（")
}

// TestWhatIsDueOnADayIsAnswered: "how much do i have to pay on the 7th"
// and "15号要还多少" got "not sure", "明天要还多少钱" the whole bill (a probe).
// The periods due that day are told, with a booking that pays one; a day
// with none says when the next falls due.
func TestWhatIsDueOnADayIsAnswered(t *testing.T) {
	_, c := faqSession(t, 978)
	c.send("15号要还多少")
	c.expect("先说逾期的", "「Redmi K70」第 6 期", // overdue, to pay now whatever the day (a regression run)
		"2026年12月15日到期的账单", "「Redmi K70」第 7 期", "已预约 2026年12月14日 09:00 自动扣款")
	for _, q := range []string{"哪个今天到期", "/lang en", "what do i need to pay today", "/lang zh"} { // small talk, and the bills' list (a probe)
		c.send(q)
		if !strings.HasPrefix(q, "/") {
			c.expect("Xiaomi Book", "¥1,005.00")
			c.reject("Which plan's bill", "哪一笔分期的账单")
		}
	}
	for _, q := range []string{"12月15号要还多少", "15号要还多少 是哪个"} { // the month said too, which one asked (probes: unsure)
		c.send(q)
		c.expect("先说逾期的", "2026年12月15日到期的账单", "「Redmi K70」第 7 期")
	}
	c.send("明天要还多少钱")
	c.expect("明天没有到期的账单；下一次到期是")
	for _, more := range []string{"下个月15号要还多少", "15号之前一共要还多少", "这周一共要还多少钱", "15号要还多少 能不能晚几天"} {
		c.send(more) // a month, a total, a delay: not the day's bills
		c.reject("到期的账单：", "没有到期的账单")
	}
	c.send("/lang en")
	c.send("how much do i have to pay on the 15th?")
	c.expect("Due Dec 15, 2026:", "Period 7 of \"Redmi K70\"")
	c.send("how much is the late fee on the 15th?") // a fee: not this answer
	c.reject("Due Dec 15")
}

// TestAMonthAloneFollowsAQuestion: "那下个月呢" after "我这个月要还多少" got
// an unsure reply, "and next month?" the whole balance, and "那我现在还要还
// 多少" an unsure reply (a probe). A month alone is that month's bills; what
// is still owed, asked in so many words, the bill.
func TestAMonthAloneFollowsAQuestion(t *testing.T) {
	_, c := faqSession(t, 981) // 2026-11-21: Redmi K70 period 7 due Dec 15, Xiaomi Book period 4 Dec 21
	c.send("我这个月要还多少")
	c.send("那下个月呢")
	c.expect("12 月要还", "Redmi K70 第 7 期", "Xiaomi Book 第 4 期")
	c.reject("不太确定")
	c.send("那我现在还要还多少")
	c.expect("剩余待还")
	c.reject("不太确定")
	c.send("/lang en")
	c.send("and next month?")
	c.expect("Due in December", "Xiaomi Book, period 4")
}

// TestHowManyDaysIsHowLongOverdue: "how many days" after an overdue bill,
// and "几天了", got the closure's processing time; "how many days overdue
// am i" was unsure (an audit). With a bill overdue, how long it has been.
func TestHowManyDaysIsHowLongOverdue(t *testing.T) {
	_, c := faqSession(t, 750)
	for _, ask := range []string{"how many days", "几天了", "how many days overdue am i", "by how many days"} {
		c.send(ask)
		c.expect("第 6 期已逾期 6 天")
		c.reject("工作日")
	}
	_, c = faqSessionOn(t, fixture(), 751, phoneLi) // nothing overdue: the bill, not the closure's time
	c.send("how many days")
	c.reject("已逾期", "工作日")
}

// TestAPlanNotFoundSaysWhatTheAccountHas: "我上个月在商城分期买了个手机 怎么
// 查不到啊" from a customer with no plans got the refunds' answer (an
// audit). The account's plans — none, or not that one — and where another
// may be; a plan of theirs of that kind is not this.
func TestAPlanNotFoundSaysWhatTheAccountHas(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 752, phoneLi) // everything paid: no plan open, none of a TV
	c.send("我上个月在商城分期买了个电视 怎么查不到啊")
	c.expect("+86 136****6000", "里面没有你说的这笔")
	c.reject("退款由小米商城")
	_, c = faqSession(t, 753)
	c.send("i bought a tv on installments but i cant see it")
	c.expect("2 笔分期，里面没有你说的这笔")
	c.send("分期账户怎么注销 app里找不到")
	c.reject("里面没有你说的这笔")
}

// Two plans of one order number (an operator probe's import): "提前还清订
// 单…" quoted one of them unsaid; which is the list's to ask. One of them
// paid off, the open one is the order's.
func TestAnOrderNumberOfTwoPlansIsAskedWhich(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].OrderNo = "5241015123456"
	_, c := faqSessionOn(t, data, 603, phoneZhang)
	c.send("提前还清订单5241015123456")
	c.expect("要提前结清哪一笔分期")
	c.reject("提前结清报价")
	c.send("算了")
	c.send("订单5241015123456还剩几期")
	c.reject("不是你名下", "其他人")
}

// The bill's per-period amount is what the periods still to pay cost: with
// the fee changed since the first periods were paid, it said a paid
// period's (an operator probe: "每期 ¥202.00" beside "应还 ¥201.50").
func TestPerPeriodIsOfThePeriodsToPay(t *testing.T) {
	data := fixture()
	p := &customerIn(t, data, "C1").Plans[1]
	p.Bills[2].Status, p.Bills[3].Status = supportbot.BillPaid, supportbot.BillPaid
	p.Bills[4].Fee, p.Bills[5].Fee = 400, 400 // ¥1,004.00 left; the 4 paid were ¥1,005.00
	_, c := faqSessionOn(t, data, 604, phoneZhang)
	c.send("/bill")
	c.expect("已还 4/6 期 · 每期 ¥1,004.00")
}

// A month's bills asked of one plan are that plan's: "我的笔记本下个月要还
// 多少" got the whole bill, the month dropped (a probe).
func TestAMonthOfOnePlanIsThatPlans(t *testing.T) {
	_, c := faqSession(t, 606)
	c.send("我的笔记本下个月要还多少")
	c.expect("📅 12 月要还 <b>¥1,005.00</b>：\n• Xiaomi Book 第 4 期 ¥1,005.00")
	c.reject("• Redmi K70 第")
}

// A pick by its place right after the bills' overview of several plans
// ("2", "第二个", "看看第二个", "the second one") is that plan's schedule (a
// replay: "can't answer"); a place none of them has, or a pick later on
// another subject, is not.
func TestAPickAfterTheBillsIsThatPlansSchedule(t *testing.T) {
	_, c := faqSession(t, 791)
	for _, pick := range []string{"2", "第二个", "看看第二个", "the second one"} {
		c.send("我的账单")
		c.send(pick)
		c.expect("Xiaomi Book", "还款计划")
		c.reject("Redmi K70")
	}
	c.send("我的账单")
	c.send("第1个")
	c.expect("Redmi K70", "还款计划")
	c.send("我的账单")
	c.send("3")
	c.reject("还款计划")
	c.send("我的账单")
	c.send("自动还款怎么开")
	c.send("2")
	c.reject("还款计划")
}

// TestAPlansBillAskedByNameIsThatPlans: "笔记本这期多少", "手机这期多少钱" got
// every plan (a probe), the one asked among them, and "电脑那笔还剩多少"
// unsure: that plan's, with every plan a tap away.
func TestAPlansBillAskedByNameIsThatPlans(t *testing.T) {
	_, c := faqSession(t, 1023)
	c.send("笔记本这期多少")
	c.expect("你问的这笔如下（你共有 2 笔进行中的分期", "Xiaomi Book", "[📋 全部账单]")
	c.reject("Redmi K70")
	c.press("📋 全部账单")
	c.expect("你有 2 笔进行中的分期", "Redmi K70", "Xiaomi Book")
	c.send("电脑那笔还剩多少") // the FAQ unsure, leaning to the bill: looking moves no money (a probe: unsure)
	c.expect("你问的这笔如下", "Xiaomi Book")
	c.reject("Redmi K70")
	c.send("/repay")
	c.press("Redmi K70")
	c.send("我老婆也有一台笔记本在你们这分期") // hers, not the one asked (a replay)
	c.reject("你问的这笔如下")
	c.send("我妈也有一台笔记本在你们这分期")
	c.reject("你问的这笔如下")
}

// A plan paid off whose name another plan's name holds ("AirPods & 充电盒"
// beside a bundle "… 附赠 AirPods & 充电盒 …"): named whole, or by its order
// number, it is that plan, paid off — never the bundle quoted in its place
// (a probe paid ¥13,431.87 for it) — and "还清了吗" is its status, not a
// quote.
func TestAPaidOffPlanNamedInsideAnotherIsItself(t *testing.T) {
	phone := "8613400134000"
	data := []supportbot.CustomerData{{
		Customer: supportbot.Customer{ID: "C9", Name: "周杰", Phone: onFile(phone), IDCardLast4: "9999", Language: "zh"},
		Cards:    []supportbot.Card{{ID: "K9", Bank: "交通银行", Last4: "7070", Default: true}},
		Plans: []supportbot.Plan{
			{ID: "P91", CustomerID: "C9", OrderNo: "5241107000702", Product: "Xiaomi MIX Fold 4 礼盒装 附赠 AirPods & 充电盒 及快充套装", Partner: "小米分期",
				Principal: 240000, Periods: 12, Bills: monthly("P91", "2026-12-15", 12, 20000, 20000, 0, 0)},
			{ID: "P92", CustomerID: "C9", OrderNo: "5241107000703", Product: "AirPods & 充电盒", Partner: "小米分期",
				Principal: 86600, Periods: 4, Bills: monthly("P92", "2026-05-01", 4, 21650, 21650, 0, 4)},
		},
	}}
	for _, text := range []string{"提前还清 AirPods & 充电盒", "还 AirPods & 充电盒 这期", "提前还清订单5241107000703"} {
		_, c := faqSessionOn(t, append(fixture(), data...), 1050, phone)
		c.send(text)
		c.expect("「AirPods &amp; 充电盒」已经全部结清")
		c.reject("MIX Fold", "确认")
	}
	for _, text := range []string{"AirPods & 充电盒 还清了吗", "AirPods & 充电盒 还剩几期"} {
		_, c := faqSessionOn(t, append(fixture(), data...), 1050, phone)
		c.send(text)
		c.expect("（订单号 <code>5241107000703</code>）还款计划", "已还")
		c.reject("MIX Fold", "报价")
	}
	// An open plan's "还清了吗" is its schedule too, not its payoff's quote.
	_, c := faqSession(t, 1051)
	c.send("K70还清了吗")
	c.expect("还款计划", "待还")
	c.reject("报价", "提前还款都支持")
}

// A plan of a brand the FAQ reads as another lender's or the shops' ("提前
// 还清 iPhone 15 Pro Max", "pay off the Huawei MatePad", "苹果手机这期多少")
// is the customer's own, named: a probe got "Huabei and JD Baitiao are not
// handled here" for each.
func TestAPlanOfAnotherBrandIsTheCustomersOwn(t *testing.T) {
	phone := "8613400134001"
	data := []supportbot.CustomerData{{
		Customer: supportbot.Customer{ID: "C8", Name: "刘洋", Phone: onFile(phone), IDCardLast4: "8888", Language: "zh"},
		Cards:    []supportbot.Card{{ID: "K8A", Bank: "招商银行", Last4: "1111", Default: true}},
		Plans: []supportbot.Plan{
			{ID: "P81", CustomerID: "C8", OrderNo: "5241101000101", Product: "iPhone 15 Pro Max 256GB (蓝色)", Partner: "小米分期",
				Principal: 960000, Periods: 24, Bills: monthly("P81", "2026-01-10", 24, 40000, 40000, 0, 11)},
			{ID: "P82", CustomerID: "C8", OrderNo: "5241102000202", Product: "华为 MatePad 11.5 柔光版", Partner: "小米分期",
				Principal: 240000, Periods: 6, Bills: monthly("P82", "2026-09-20", 6, 40000, 40000, 0, 2)},
		},
	}}
	for text, want := range map[string]string{
		"提前还清 iPhone 15 Pro Max":     "提前结清报价</b>：iPhone 15 Pro Max",
		"pay off the Huawei MatePad": "提前结清报价</b>：华为 MatePad",
		"提前还清苹果手机":                   "提前结清报价</b>：iPhone 15 Pro Max",
		"提前还清华为平板":                   "提前结清报价</b>：华为 MatePad",
	} {
		_, c := faqSessionOn(t, append(fixture(), data...), 1055, phone)
		c.send(text)
		c.expect(want)
		c.reject("花呗", "不在这里处理")
	}
}

// "how much is the last payment on the laptop" is the plan's last period,
// in its schedule — not the last payment made (a probe: "no repayment made
// here").
func TestTheLastPaymentOfAPlanIsItsSchedule(t *testing.T) {
	_, c := faqSession(t, 1068)
	c.send("how much is the last payment on the laptop")
	c.expect("Xiaomi Book</b>（订单号", "还款计划")
	c.reject("没有查到", "回答不了")
}

// TestWhetherThisIsTheLastPeriodIsAnswered: "笔记本这期还完是不是就结清了"
// got the schedule, the yes left to read from it (a probe): yes or no,
// with how many periods are left, above it.
func TestWhetherThisIsTheLastPeriodIsAnswered(t *testing.T) {
	_, c := faqSession(t, 1090) // the Xiaomi Book: 4 of 6 periods unpaid
	c.send("笔记本这期还完是不是就结清了")
	c.expect("不是：还完这一期，「Xiaomi Book」还剩 3 期", "还款计划")
	c.send("提前还笔记本") // at its payoff's quote: the quote pays it all (a replay: "还剩 3 期")
	c.send("这是最后一期吗")
	c.expect("上面这份是提前结清的报价：确认后，「Xiaomi Book」剩下的各期一次还清")
	c.reject("不是：还完这一期")
	data := fixture()
	for i := range 5 {
		customerIn(t, data, "C1").Plans[1].Bills[i].Status = supportbot.BillPaid
	}
	_, o := faqSessionOn(t, data, 1091, phoneZhang)
	o.send("/lang en")
	for _, q := range []string{"is this the last payment on the laptop?", "is the laptop the last payment?", "is my laptop on its last payment?"} { // the last two: "no repayment yet" (an English probe)
		o.send(q)
		o.expect(`Yes: this is the last period of "Xiaomi Book"`)
	}
	o.send("/lang zh")
	o.send("笔记本是最后一期了吗")
	o.expect("是的，这是「Xiaomi Book」的最后一期")
}

// TestAPlansLateFeeAndTheOverduePlusNextMonthAreAnswered: "what's the late
// fee on my band" got unsure, and "the overdue one plus next month's in
// total" the plain bill without the total (an English probe): the late
// fee's answer with each overdue period's fee; what is due until next
// month's end, with its total.
func TestAPlansLateFeeAndTheOverduePlusNextMonthAreAnswered(t *testing.T) {
	_, c := faqSession(t, 1096)
	c.send("/lang en")
	c.send("what's the late fee on my phone")
	c.expect("Overdue on your account", "plus a late fee of ¥12.00")
	c.send("what's the late fee") // nothing named (a probe: unsure)
	c.expect("Overdue on your account", "plus a late fee of ¥12.00")
	c.send("the overdue one plus next month's in total")
	c.expect("Due from now to the end of December", "Redmi K70, period 6: ¥261.92 (overdue")
}

// TestADayBeingDebitedShortSaysTheRest: "31号要还多少" said of an overdue
// period whose booking, being debited, is ¥5.25 short "no need to pay it by
// hand" (a probe): what it leaves, to pay once the debit is done.
func TestADayBeingDebitedShortSaysTheRest(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Scheduled[2].Period = 6 // S3, processing: ¥249.92 of the overdue ¥261.92
	_, c := faqSessionOn(t, data, 1113, phoneZhang)
	c.send("15号要还多少")
	c.expect("「Redmi K70」第 6 期", "预约还款 ¥249.92 正在扣款，还差 ¥12.00：扣款完成后请手动还上差额")
}

// A booking being debited from a frozen card fails: the bill, /pay and the
// day's sums say so, and when it can be paid — never "无需手动还款" (a probe's
// customer, due today, was told so and refused at /pay, while another
// answer of the bot said the debit would fail).
func TestABookingDebitedFromAFrozenCardIsNotNothingToDo(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Scheduled[1].CardID = "K2" // S2: the laptop's period 3, due today, runs in an hour
	h, c := faqSessionOn(t, data, 100, phoneZhang)
	c.send("/bill")
	c.expect("将在 今天 11:00 从 工商银行 **** 4321 扣款（2 小时内执行，已无法取消），但这张卡已冻结，扣款会失败",
		"扣款失败后这一期就可以用其他卡还（/pay），请在还款日（今天）前还上")
	c.reject("无需手动还款")
	c.send("/pay")
	c.press("Xiaomi Book")
	c.expect("第 3 期的预约还款已交给银行（不能取消），现在还不能重复还这一期", "但这张卡已冻结，扣款会失败", "[👤 转人工客服]")
	c.reject("无需重复还款")
	c.send("/repay") // the payoff leaves it out, and says it will fail (a probe: not a word)
	c.press("Xiaomi Book")
	c.expect("第 3 期预约扣款用的卡已冻结，扣款会失败：失败后这一期要用其他卡另外还")
	c.send("返回")
	c.send("今天会扣我钱吗") // too late to change its card
	c.expect("这张卡已冻结，扣款会失败：失败后请用其他卡手动还")
	c.reject("请在到期前换卡")
	c.send("这期还要我自己手动还吗") // a probe got how to pay in general
	c.expect("这张卡已冻结，扣款会失败：失败后请用其他卡手动还")
	c.send("今天要还多少")
	c.expect("会扣款失败")
	c.reject("无需手动还", "不用自己还")
	c.send("/lang en")
	c.send("/bill")
	c.expect("runs today at 11:00 from ICBC **** 4321 (within 2 hours, so it can't be cancelled), but that card is frozen and the debit will fail")
	c.reject("nothing to do by hand")
	c.send("is my payment today going to fail") // a probe: unsure
	c.expect("this card is frozen, so the debit will fail: once it has, pay by hand with another card")
	if n := len(h.audit("payment")); n != 0 {
		t.Errorf("payments = %d, want none", n)
	}
}

// A booking debiting an overdue period short of it (or from a frozen card):
// "扣款成功了吗" says what it leaves to pay, not "不用再手动还这一期"; and
// the payoff's quote, which leaves that period out, does not offer to pay
// the overdue period alone (a probe was offered 「只还逾期的」 and refused).
func TestAShortDebitOfTheOverduePeriodIsNotNothingToDo(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Scheduled[2].Period = 6 // S3, processing: ¥249.92 of the overdue ¥261.92
	_, c := faqSessionOn(t, data, 1116, phoneZhang)
	c.send("扣款成功了吗")
	c.expect("第 6 期的预约还款", "少 ¥12.00", "上面注明要自己还的部分")
	c.reject("不用再手动还这一期")
	c.send("/repay")
	c.press("Redmi K70")
	c.expect("第 6 期的预约还款正在扣款中，不计入本次金额")
	c.reject("只还逾期的")
}

// "这周要还什么" got unsure (a probe): every bill due by Sunday, the
// overdue one first, with the total.
func TestThisWeeksBillsAreAnswered(t *testing.T) {
	_, c := faqSession(t, 1122) // Saturday 2026-11-21
	c.send("这周要还什么")
	c.expect("这周（到 2026年11月22日）要还", "Redmi K70 第 6 期", "Xiaomi Book 第 3 期")
	c.reject("第 7 期")
	c.send("/lang en")
	c.send("what do i need to pay this week")
	c.expect("Due this week (to Nov 22, 2026)")
}

// "手机和笔记本这期一共多少" got the overview with no sum (a probe): each
// plan's bill as paying it takes it — the phone's overdue period with its
// late fee, the laptop's current one — and what they come to.
func TestThisPeriodOfTwoPlansIsSummed(t *testing.T) {
	_, c := faqSession(t, 1124)
	for _, q := range []string{"手机和笔记本这期一共多少", "两个分期这期加起来多少"} {
		c.send(q)
		c.expect("这几笔这期一共要还 <b>¥1,266.92</b>", "Redmi K70 第 6 期", "Xiaomi Book 第 3 期")
		c.reject("第 7 期")
	}
}

// "how much is overdue in total" got the overdue periods with no total (a
// probe): two or more, and what they come to now.
func TestTheOverdueTotalIsSaid(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Bills[1].Status = supportbot.BillUnpaid // the Xiaomi Book's period 2 overdue too
	_, c := faqSessionOn(t, data, 1127, phoneZhang)
	c.send("逾期了要交多少滞纳金")
	c.expect("逾期合计 <b>¥1,266.92</b>（含滞纳金）")
	_, c = faqSession(t, 1128) // one period: no total beside it
	c.send("逾期了要交多少滞纳金")
	c.reject("逾期合计")
}

// An English probe's "and february?" after January's bills, "show me the
// schedule for the phone", "what is the date of my next laptop payment"
// and "pay everything that's due" got "can't answer" or unsure.
func TestEnglishFollowUpsAndPlainAsks(t *testing.T) {
	_, c := faqSessionEn(t, 1136)
	c.send("what do i owe in january")
	c.expect("Due in January 2027")
	c.send("and february?")
	c.expect("Due in February 2027", "Redmi K70, period 9")
	c.send("show me the schedule for the phone")
	c.expect("Redmi K70", "2027-05-15")
	c.send("what is the date of my next laptop payment")
	c.expect("Xiaomi Book", "Next due date")
	c.send("pay everything that's due")
	c.expect("Which plan's bill do you want to pay?")
}

// A probe's plain questions that got unsure, a wrong desk or no count:
// "pay this month's phone bill" (another lender's answer), "第二笔呢" after
// the overview, "逾期了几期", "手机再不还会怎么样", and which card an
// auto-repayment debits.
func TestPlainAsksOfAProbe(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Bills[1].Status = supportbot.BillUnpaid // two periods overdue
	_, c := faqSessionOn(t, data, 1138, phoneZhang)
	c.send("/bill")
	c.send("第二笔呢")
	c.expect("Xiaomi Book", "还款计划")
	for _, q := range []string{"逾期了几期", "我逾期了几期 分别是哪个"} { // the second: unsure (a probe)
		c.send(q)
		c.expect("你有 2 期逾期未还")
	}
	c.send("手机再不还会怎么样")
	c.expect("滞纳金", "你的账单里逾期的是")
	_, e := faqSessionEn(t, 1139)
	e.send("pay this month's phone bill")
	e.expect("Redmi K70", "Total to pay")
	e.reject("Huabei")
	_, z := faqSessionOn(t, payFixture(), 1140, phoneZhao)
	z.send("手机的自动还款从哪张卡扣")
	z.expect("🔁 自动还款：「Redmi Note 13」", "农业银行 **** 5555")
}

// "笔记本这期我还一下吧", "笔记本这期手动还一下" got the plan's card, or
// unsure (a probe): the plan's bill; "手表这期提前还了", before its due
// date, got the plan's payoff quote — confirmed, the whole plan paid for one
// period asked (a probe).
func TestAPlanFirstThenPayingItIsItsBill(t *testing.T) {
	for i, q := range []string{"手机这期我手动还一下", "手机这期我还一下吧", "手机这期提前还了", "手机这期我现在直接还了吧"} {
		_, c := faqSession(t, int64(1170+i))
		c.send(q)
		c.expect("Redmi K70", "合计应付：<b>¥261.92</b>")
		c.reject("提前结清")
	}
}

// "pay the tv with my card 6222…" got the masking warning and then unsure
// (an English probe): the number is masked and the payment asked still
// quoted.
func TestAPaymentAskedWithACardNumberIsStillQuoted(t *testing.T) {
	_, c := faqSessionEn(t, 1145)
	c.send("pay the phone with my card 6222021234567894")
	c.expect("That looked like a card or ID number", "Redmi K70", "Total to pay")
	c.reject("6222021234567894")
}

// "is my K70 payment overdue?" got the K70's overdue bill quoted, one tap
// from paying (a probe): a model's name is a plan named — its yes or no.
func TestAModelNamedAskedIfOverdueIsAnswered(t *testing.T) {
	_, e := faqSessionEn(t, 1155)
	e.send("is my K70 payment overdue?")
	e.expect("Redmi K70", "overdue")
	e.reject("Total to pay")
	_, c := faqSession(t, 1156)
	c.send("K70逾期了吗")
	c.expect("Redmi K70", "逾期")
	c.reject("合计应付")
}

// "退款能直接抵扣逾期的钱吗", "will the refund cover my overdue bill" got
// unsure (a probe): the refunds' answer — the bills stand until it is done.
func TestARefundSetAgainstTheBillsIsTheRefundsAnswer(t *testing.T) {
	_, c := faqSession(t, 1162)
	c.send("退款能直接抵扣逾期的钱吗")
	c.expect("退款")
	c.reject("我不太确定")
	_, e := faqSessionEn(t, 1163)
	e.send("will the refund cover my overdue bill")
	e.expect("refund")
	e.reject("not sure")
}

// "今天是还款日 我还没还 算逾期吗" with another plan overdue got a bare yes,
// as if today's were late (a probe): today's period is said not late until
// the day is over.
func TestTodaysPeriodIsNotLateYet(t *testing.T) {
	_, c := faqSession(t, 1167)
	c.send("今天是还款日 我还没还 算逾期吗")
	c.expect("是的，你有逾期未还的账单", "今天到期的「Xiaomi Book」第 3 期今天之内还上就不算逾期")
}

// TestAWordInsideAProductsWordNamesNoPlan: "how much for the overdue stuff
// and this month's too" from a customer with a "Smart Band" was read as
// the band's month alone ("and" inside "band"), its overdue period left
// out — a total too low (an English probe). Letters inside a word of a
// product name no plan; a word of it still does.
func TestAWordInsideAProductsWordNamesNoPlan(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Product = "Xiaomi Smart Band 9" // the Xiaomi Book: period 3 due today
	_, c := faqSessionOn(t, data, 1169, phoneZhang)
	c.send("/lang en")
	for _, q := range []string{"how much for the overdue stuff and this month's too", "how much do i need to pay this month and the overdue one"} {
		c.send(q)
		c.expect("📅 Due this month (November): <b>¥1,266.92</b>:", "Redmi K70, period 6: ¥261.92", "Xiaomi Smart Band 9, period 3: ¥1,005.00")
	}
	c.send("how much is the band this month")
	c.expect("📅 Due this month (November): <b>¥1,005.00</b>:")
	c.reject("Redmi K70, period 6")
}
