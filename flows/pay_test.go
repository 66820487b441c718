package flows_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
)

// payFixture is the fixture and, on the same 2026-11-21:
//
//	C5 赵敏 13500135000, cards K5 农业银行 5555 (default), K6 招商银行 6666
//	  P6 Redmi Note 13, 4 × 300.00 + 3.00 fee from 10-23, period 1 paid, period
//	     2 due 11-23 (nothing overdue), auto-repay on; S5 schedules period 2
//	     (11-23 09:00), S6 period 3 (12-23 09:00)
//	C6 钱多 13300133000, card K10 交通银行 1010
//	  P7 Redmi Pad Pro, 6 × 166.67 (last 166.65) + 1.99 fee from 09-10, periods
//	     1-3 overdue with late fees 23.45, 12.34, 0.56; S8 schedules period 2
//	     (11-22 09:00), S7 period 4 (12-10 09:00)
//	C7 Sun Li 13200132000 (en), no card
//	  P8 Xiaomi Band, 2 × 100.00 from 12-05, nothing paid, nothing due soon
const (
	phoneZhao = "13500135000"
	phoneQian = "13300133000"
	phoneSun  = "13200132000"
)

func payFixture() []supportbot.CustomerData {
	p6 := monthly("P6", "2026-10-23", 4, 30000, 30000, 300, 1)
	p7 := monthly("P7", "2026-09-10", 6, 16667, 16665, 199, 0)
	p7[0].LateFee, p7[1].LateFee, p7[2].LateFee = 2345, 1234, 56
	return append(fixture(),
		supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C5", Name: "赵敏", Phone: phoneZhao, IDCardLast4: "5555", Language: "zh"},
			Cards: []supportbot.Card{
				{ID: "K5", Bank: "农业银行", Last4: "5555", Default: true},
				{ID: "K6", Bank: "招商银行", Last4: "6666"},
			},
			Plans: []supportbot.Plan{{ID: "P6", CustomerID: "C5", OrderNo: "5241000000006", Product: "Redmi Note 13", Partner: "小米分期",
				Principal: 120000, Periods: 4, AutoRepay: true, Bills: p6}},
			Scheduled: []supportbot.ScheduledRepayment{
				{ID: "S5", CustomerID: "C5", PlanID: "P6", Period: 2, Amount: 30300, CardID: "K5", RunAt: time.Date(2026, 11, 23, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled},
				{ID: "S6", CustomerID: "C5", PlanID: "P6", Period: 3, Amount: 30300, CardID: "K5", RunAt: time.Date(2026, 12, 23, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled},
			},
		},
		supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C6", Name: "钱多", Phone: phoneQian, IDCardLast4: "6666", Language: "zh"},
			Cards:    []supportbot.Card{{ID: "K10", Bank: "交通银行", Last4: "1010", Default: true}},
			Plans: []supportbot.Plan{{ID: "P7", CustomerID: "C6", OrderNo: "5241000000007", Product: "Redmi Pad Pro", Partner: "小米分期",
				Principal: 100000, Periods: 6, Bills: p7}},
			Scheduled: []supportbot.ScheduledRepayment{
				{ID: "S7", CustomerID: "C6", PlanID: "P7", Period: 4, Amount: 16866, CardID: "K10", RunAt: time.Date(2026, 12, 10, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled},
				{ID: "S8", CustomerID: "C6", PlanID: "P7", Period: 2, Amount: 18100, CardID: "K10", RunAt: time.Date(2026, 11, 22, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled},
			},
		},
		supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C7", Name: "Sun Li", Phone: phoneSun, IDCardLast4: "7777", Language: "en"},
			Plans: []supportbot.Plan{{ID: "P8", CustomerID: "C7", OrderNo: "5241000000008", Product: "Xiaomi Band", Partner: "小米分期",
				Principal: 20000, Periods: 2, Bills: monthly("P8", "2026-12-05", 2, 10000, 10000, 0, 0)}},
		},
	)
}

// unpaid lists the unpaid periods of a plan as the store has it.
func (h *harness) unpaid(customerID, planID string) []int {
	h.t.Helper()
	var ps []int
	for _, b := range h.plan(customerID, planID).Bills {
		if b.Status == supportbot.BillUnpaid {
			ps = append(ps, b.Period)
		}
	}
	return ps
}

func (h *harness) payment(key string) *supportbot.Payment {
	h.t.Helper()
	tx, err := h.db.Begin(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	defer tx.Rollback()
	p, err := tx.Payment(context.Background(), key)
	if err != nil {
		h.t.Fatalf("payment %s: %v", key, err)
	}
	return p
}

func TestPayEveryOverduePeriodWithItsLateFee(t *testing.T) {
	h := newHarness(t, payFixture())
	var charges []flows.Charge
	h.charge = func(ch flows.Charge) error { charges = append(charges, ch); return nil }
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	// Periods 1-3 are overdue: 166.67 + 1.99 + the late fee each.
	c.expect("📄 逾期账单：Redmi Pad Pro（订单号 5241000000007）",
		"⚠️ 第 1 期已逾期（还款日 2026年9月10日）：本金 ¥166.67 + 手续费 ¥1.99 + 滞纳金 ¥23.45 = ¥192.11",
		"⚠️ 第 2 期已逾期（还款日 2026年10月10日）：本金 ¥166.67 + 手续费 ¥1.99 + 滞纳金 ¥12.34 = ¥181.00",
		"⚠️ 第 3 期已逾期（还款日 2026年11月10日）：本金 ¥166.67 + 手续费 ¥1.99 + 滞纳金 ¥0.56 = ¥169.22",
		"合计应付：¥542.33", "扣款卡：交通银行 **** 1010",
		"第 2 期原定 2026年11月22日 09:00 的预约还款将在还款后自动取消", "10:15 前确认")
	c.reject("第 4 期")
	c.press("确认还款")
	c.expect("还款成功", "Redmi Pad Pro 第 1、2、3 期已还清", "扣款 ¥542.33（交通银行 **** 1010）",
		"1 笔预约还款已自动取消", "下期还款日 2026年12月10日，应还 ¥168.66", "自动还款")

	if got, want := h.unpaid("C6", "P7"), []int{4, 5, 6}; !reflect.DeepEqual(got, want) {
		t.Errorf("unpaid periods = %v, want %v", got, want)
	}
	sched := h.scheduled("C6")
	if sched["S8"] != supportbot.ScheduledCancelled || sched["S7"] != supportbot.ScheduledScheduled {
		t.Errorf("schedules = %v; want S8 (period 2, paid) cancelled, S7 (period 4) scheduled", sched)
	}
	if len(charges) != 1 || charges[0].Amount != 54233 || charges[0].Card.ID != "K10" {
		t.Fatalf("charges = %+v, want one of 54233 on K10", charges)
	}
	entries := h.audit("repay_bill")
	if len(entries) != 1 {
		t.Fatalf("repay_bill audit entries = %d, want 1", len(entries))
	}
	e := entries[0]
	want := map[string]any{"plan_id": "P7", "periods": []any{1.0, 2.0, 3.0}, "amount_fen": 54233.0,
		"quote_id": charges[0].Key, "card_id": "K10", "cancelled_scheduled": []any{"S8"}}
	if e.CustomerID != "C6" || !reflect.DeepEqual(e.Details, want) {
		t.Errorf("audit = %s %v, want C6 %v", e.CustomerID, e.Details, want)
	}
	if p := h.payment(charges[0].Key); p.Kind != "repay_bill" || p.Amount != 54233 || p.PlanID != "P7" {
		t.Errorf("payment = %+v, want repay_bill of 54233 for P7", p)
	}
	c.send("/messages")
	c.expect("账单还款成功：Redmi Pad Pro 第 1, 2, 3 期，¥542.33，交通银行 **** 1010，流水号 " + charges[0].Key)
}

func TestPayTheCurrentPeriodWhenNothingIsOverdue(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "en")
	c.identify(phoneZhao)
	c.send("/pay")
	c.expect("📄 Bill due: Redmi Note 13 (order 5241000000006)",
		"Period 2 (due Nov 23, 2026): principal ¥300.00 + fee ¥3.00 = ¥303.00",
		"Total to pay: ¥303.00", "Card: 农业银行 **** 5555",
		"scheduled repayment of period 2 (due to run Nov 23, 2026 09:00) will be cancelled", "Valid for 15 minutes")
	c.reject("Period 3", "overdue")
	c.press("Confirm and pay")
	c.expect("Paid! Redmi Note 13: period(s) 2 settled", "Charged ¥303.00 (农业银行 **** 5555)",
		"1 scheduled repayment(s) of the paid period(s) were cancelled", "Next due Dec 23, 2026: ¥303.00")
	c.reject("Turn on auto-repay") // it is on already

	if got, want := h.unpaid("C5", "P6"), []int{3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("unpaid periods = %v, want %v", got, want)
	}
	// The paid period's scheduled repayment would charge twice; the next one is still wanted.
	sched := h.scheduled("C5")
	if sched["S5"] != supportbot.ScheduledCancelled || sched["S6"] != supportbot.ScheduledScheduled {
		t.Errorf("schedules = %v; want S5 cancelled, S6 scheduled", sched)
	}
	if e := h.audit("repay_bill"); len(e) != 1 || e[0].Details["amount_fen"] != 30300.0 || !reflect.DeepEqual(e[0].Details["periods"], []any{2.0}) {
		t.Errorf("repay_bill audit = %+v, want one of 30300 for period 2", e)
	}
}

func TestPayChoosesAPlanAndCancelsOnlyThatPeriodsSchedule(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/pay")
	c.expect("要还哪一笔分期的账单？", "1. Redmi K70 · 逾期 ¥261.92", "2. Xiaomi Book · 本期 ¥1,005.00")
	c.press("Xiaomi Book")
	// P2 period 3 is due today: not overdue, the current period, fee included.
	c.expect("📄 本期账单：Xiaomi Book", "第 3 期（还款日 2026年11月21日）：本金 ¥1,000.00 + 手续费 ¥5.00 = ¥1,005.00",
		"合计应付：¥1,005.00", "第 3 期原定 2026年11月21日 11:00 的预约还款将在还款后自动取消")
	c.send("确认")
	c.expect("还款成功", "Xiaomi Book 第 3 期已还清", "¥1,005.00")
	if got, want := h.unpaid("C1", "P2"), []int{4, 5, 6}; !reflect.DeepEqual(got, want) {
		t.Errorf("P2 unpaid = %v, want %v", got, want)
	}
	if got, want := h.unpaid("C1", "P1"), []int{6, 7, 8, 9, 10, 11, 12}; !reflect.DeepEqual(got, want) {
		t.Errorf("P1 unpaid = %v, want %v (another plan)", got, want)
	}
	want := map[string]string{"S1": supportbot.ScheduledScheduled, "S2": supportbot.ScheduledCancelled, "S3": supportbot.ScheduledProcessing}
	if got := h.scheduled("C1"); !reflect.DeepEqual(got, want) {
		t.Errorf("schedules = %v, want %v", got, want)
	}

	// Typing the plan's order number chooses it too.
	c.send("/pay")
	c.send("5241015123456")
	c.expect("⚠️ 第 6 期已逾期（还款日 2026年11月15日）：本金 ¥249.92 + 手续费 ¥0.00 + 滞纳金 ¥12.00 = ¥261.92", "合计应付：¥261.92")
	c.reject("银行卡号")
}

func TestPayDeclinedCardChangesNothing(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/pay")
	c.send("1")
	c.press("换一张卡")
	c.press("工商银行") // frozen
	c.expect("扣款卡：工商银行 **** 4321", "合计应付：¥261.92")
	c.press("确认还款")
	c.expect("银行拒绝了 工商银行 **** 4321 的扣款", "没有扣款", "改用 招商银行 **** 6789", "检查该卡", "转人工")
	if got := h.unpaid("C1", "P1"); got[0] != 6 {
		t.Fatalf("a declined charge paid period 6: unpaid %v", got)
	}
	if n := len(h.audit("repay_bill")); n != 0 {
		t.Fatalf("declined charge audited as paid %d times", n)
	}
	if e := h.audit("payment_declined"); len(e) != 1 || e[0].Details["kind"] != "repay_bill" || e[0].Details["card_id"] != "K2" ||
		e[0].Details["amount_fen"] != 26192.0 {
		t.Errorf("payment_declined audit = %+v", e)
	}
	c.press("改用 招商银行")
	c.expect("扣款卡：招商银行 **** 6789", "合计应付：¥261.92")
	c.press("确认还款")
	c.expect("还款成功", "Redmi K70 第 6 期已还清")
	if e := h.audit("repay_bill"); len(e) != 1 || e[0].Details["card_id"] != "K1" {
		t.Errorf("repay_bill audit = %+v, want one on K1", e)
	}
}

func TestPayExpiredQuoteRequotes(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	h.advance(16 * time.Minute)
	c.press("确认还款")
	c.expect("报价已超过 15 分钟失效，没有扣款", "合计应付：¥303.00", "10:31 前确认")
	if n := len(h.audit("repay_bill")); n != 0 {
		t.Fatal("an expired quote was charged")
	}
	if got := h.unpaid("C5", "P6"); got[0] != 2 {
		t.Fatalf("an expired quote paid: unpaid %v", got)
	}
	c.press("确认还款")
	c.expect("还款成功", "¥303.00")
}

func TestPayChangedPlanRequotes(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	c.expect("合计应付：¥542.33")
	// Period 1 gets paid elsewhere (the finance app) before the customer confirms.
	tx, err := h.db.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.PayBills(context.Background(), "C6", "P7", 1); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	c.press("确认还款")
	c.expect("账单在报价后有变化，没有扣款", "合计应付：¥350.22")
	c.reject("第 1 期已逾期", "还款成功")
	c.press("确认还款")
	c.expect("还款成功", "第 2、3 期已还清", "¥350.22")
	if e := h.audit("repay_bill"); len(e) != 1 || e[0].Details["amount_fen"] != 35022.0 {
		t.Errorf("repay_bill audit = %+v, want one of 35022", e)
	}
}

func TestPayDoubleConfirmPaysOnce(t *testing.T) {
	h := newHarness(t, payFixture())
	var keys []string
	h.charge = func(ch flows.Charge) error { keys = append(keys, ch.Key); return nil }
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	confirm := c.button("确认还款").Data
	c.pressData(confirm)
	c.expect("还款成功")
	c.pressData(confirm) // a double tap, or the old button later
	c.expect("已在", "完成还款 ¥303.00", "不会重复扣款")
	c.reject("还款成功")
	c.send("确认")
	c.reject("还款成功")
	if len(keys) != 1 {
		t.Fatalf("charges = %q, want one", keys)
	}
	if n := len(h.audit("repay_bill")); n != 1 {
		t.Errorf("repay_bill entries = %d, want 1", n)
	}
	if got, want := h.unpaid("C5", "P6"), []int{3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("unpaid = %v, want %v", got, want)
	}
}

func TestPayWithNothingOwed(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.send("/pay")
	c.expect("You have no bills to pay")
	c.reject("Confirm")
}

func TestPayWithoutACardSaysHowToBindOne(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(700, "en")
	c.identify(phoneSun)
	c.send("/pay")
	c.expect("no bank card bound", "Xiaomi mall app", "Never send your full card number")
	c.reject("Confirm and pay")
}

func TestPayLeavesOutAPeriodTheBankIsDebiting(t *testing.T) {
	data := payFixture()
	qian := &data[len(data)-2]
	qian.Scheduled = append(qian.Scheduled, supportbot.ScheduledRepayment{ID: "S10", CustomerID: "C6", PlanID: "P7", Period: 1,
		Amount: 19211, CardID: "K10", RunAt: start.Add(-time.Hour), Status: supportbot.ScheduledProcessing})
	h := newHarness(t, data)
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	c.expect("第 1 期的预约还款正在扣款中，不计入本次金额", "合计应付：¥350.22")
	c.reject("第 1 期已逾期")
	c.press("确认还款")
	c.expect("第 2、3 期已还清")
	if got, want := h.unpaid("C6", "P7"), []int{1, 4, 5, 6}; !reflect.DeepEqual(got, want) {
		t.Errorf("unpaid = %v, want %v", got, want)
	}
}

func TestBillsOfferPayThisPeriodAndShowAutoRepay(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/bill")
	c.expect("自动还款：已开启（农业银行 **** 5555）", "还这期")
	c.press("还这期")
	c.expect("📄 本期账单：Redmi Note 13", "合计应付：¥303.00")

	e := h.chat(501, "en")
	e.identify(phoneZhao)
	e.send("/bill")
	e.expect("Auto-repay on (农业银行 **** 5555)", "Pay this period")

	// P8 is first due in two weeks: nothing to pay this period yet.
	sun := h.chat(700, "en")
	sun.identify(phoneSun)
	sun.send("/bill")
	sun.reject("Pay this period", "Auto-repay on")

	// 张伟: P1 is overdue and P2 due today; neither has auto-repay on.
	z := h.chat(100, "zh")
	z.identify(phoneZhang)
	z.send("/bill")
	z.reject("自动还款：已开启")
	n := 0
	for _, b := range z.buttons {
		if b.Text == "🧾 还这期" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("还这期 buttons = %d, want 2 (overdue P1, P2 due today)", n)
	}
}
