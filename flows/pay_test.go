package flows_test

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// payFixture is the fixture and, on the same 2026-11-21:
//
//	C5 赵敏 +86 135 0013 5000, cards K5 农业银行 5555 (default), K6 招商银行 6666
//	  P6 Redmi Note 13, 4 × 300.00 + 3.00 fee from 10-23, period 1 paid, period
//	     2 due 11-23 (nothing overdue), auto-repay on; S5 schedules period 2
//	     (11-23 09:00), S6 period 3 (12-23 09:00)
//	C6 钱多 +86 133 0013 3000, card K10 交通银行 1010
//	  P7 Redmi Pad Pro, 6 × 166.67 (last 166.65) + 1.99 fee from 09-10, periods
//	     1-3 overdue with late fees 23.45, 12.34, 0.56; S8 schedules period 2
//	     (11-22 09:00), S7 period 4 (12-10 09:00)
//	C7 Sun Li +86 132 0013 2000 (en), no card
//	  P8 Xiaomi Band, 2 × 100.00 from 12-05, nothing paid, nothing due soon
const (
	phoneZhao = "8613500135000"
	phoneQian = "+86 133 0013 3000"
	phoneSun  = "8613200132000"
)

func payFixture() []supportbot.CustomerData {
	p6 := monthly("P6", "2026-10-23", 4, 30000, 30000, 300, 1)
	p7 := monthly("P7", "2026-09-10", 6, 16667, 16665, 199, 0)
	p7[0].LateFee, p7[1].LateFee, p7[2].LateFee = 2345, 1234, 56
	return append(fixture(),
		supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C5", Name: "赵敏", Phone: onFile(phoneZhao), IDCardLast4: "5555", Language: "zh"},
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
			Customer: supportbot.Customer{ID: "C6", Name: "钱多", Phone: onFile(phoneQian), IDCardLast4: "6666", Language: "zh"},
			Cards:    []supportbot.Card{{ID: "K10", Bank: "交通银行", Last4: "1010", Default: true}},
			Plans: []supportbot.Plan{{ID: "P7", CustomerID: "C6", OrderNo: "5241000000007", Product: "Redmi Pad Pro", Partner: "小米分期",
				Principal: 100000, Periods: 6, Bills: p7}},
			Scheduled: []supportbot.ScheduledRepayment{
				{ID: "S7", CustomerID: "C6", PlanID: "P7", Period: 4, Amount: 16866, CardID: "K10", RunAt: time.Date(2026, 12, 10, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled},
				{ID: "S8", CustomerID: "C6", PlanID: "P7", Period: 2, Amount: 18100, CardID: "K10", RunAt: time.Date(2026, 11, 22, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled},
			},
		},
		supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C7", Name: "Sun Li", Phone: onFile(phoneSun), IDCardLast4: "7777", Language: "en"},
			Plans: []supportbot.Plan{{ID: "P8", CustomerID: "C7", OrderNo: "5241000000008", Product: "Xiaomi Band", Partner: "小米分期",
				Principal: 20000, Periods: 2, Bills: monthly("P8", "2026-12-05", 2, 10000, 10000, 0, 0)}},
		},
	)
}

// paid is the one repayment that took money in a customer's ledger.
func (h *harness) paid(customerID string) supportbot.Repayment {
	h.t.Helper()
	list := succeeded(h.repayments(customerID))
	if len(list) != 1 {
		h.t.Fatalf("%s's ledger has %d repayments that took money, want 1: %+v", customerID, len(list), list)
	}
	return list[0]
}

func TestPayEveryOverduePeriodWithItsLateFee(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	// Periods 1-3 are overdue: 166.67 + 1.99 + the late fee each.
	c.expect("<b>📄 逾期账单</b>：Redmi Pad Pro（订单号 <code>5241000000007</code>）",
		"⚠️ 第 1 期已逾期（还款日 2026年9月10日）：本金 ¥166.67 + 手续费 ¥1.99 + 滞纳金 ¥23.45 = ¥192.11",
		"⚠️ 第 2 期已逾期（还款日 2026年10月10日）：本金 ¥166.67 + 手续费 ¥1.99 + 滞纳金 ¥12.34 = ¥181.00",
		"⚠️ 第 3 期已逾期（还款日 2026年11月10日）：本金 ¥166.67 + 手续费 ¥1.99 + 滞纳金 ¥0.56 = ¥169.22",
		"合计应付：<b>¥542.33</b>", "扣款卡：交通银行 **** 1010",
		"第 2 期原定 明天 09:00 的预约还款将在还款后自动取消", "10:15 前确认")
	c.reject("第 4 期")
	c.press("确认还款")
	c.expect("⏳ 正在从 交通银行 **** 1010 扣款 <b>¥542.33</b>",
		"还款成功", "Redmi Pad Pro 第 1、2、3 期已还清", "已从 交通银行 **** 1010 扣款 <b>¥542.33</b>",
		"1 笔预约还款已自动取消", "下期还款日 2026年12月10日，应还 <b>¥168.66</b>", "自动还款")

	if got, want := h.unpaid("C6", "P7"), []int{4, 5, 6}; !reflect.DeepEqual(got, want) {
		t.Errorf("unpaid periods = %v, want %v", got, want)
	}
	sched := h.scheduled("C6")
	if sched["S8"] != supportbot.ScheduledCancelled || sched["S7"] != supportbot.ScheduledScheduled {
		t.Errorf("schedules = %v; want S8 (period 2, paid) cancelled, S7 (period 4) scheduled", sched)
	}
	r := h.paid("C6")
	if r.Amount != 54233 || r.CardID != "K10" || r.PlanID != "P7" || r.Key != "repay:"+r.QuoteID || !reflect.DeepEqual(r.Periods, []int{1, 2, 3}) {
		t.Fatalf("the core's ledger = %+v, want 54233 on K10 for P7 periods 1-3 keyed by its quote", r)
	}
	c.expect("流水号 <code>" + r.ID + "</code>")
	entries := h.audit("repay_bill")
	if len(entries) != 1 {
		t.Fatalf("repay_bill audit entries = %d, want 1", len(entries))
	}
	e := entries[0]
	want := map[string]any{"plan_id": "P7", "periods": []any{1.0, 2.0, 3.0}, "amount_fen": 54233.0,
		"quote_id": r.QuoteID, "card_id": "K10", "repayment_id": r.ID, "key": r.Key, "cancelled_scheduled": []any{"S8"}}
	if e.CustomerID != "C6" || !reflect.DeepEqual(e.Details, want) {
		t.Errorf("audit = %s %v, want C6 %v", e.CustomerID, e.Details, want)
	}
	c.send("/messages")
	c.expect("账单还款成功：Redmi Pad Pro 第 1、2、3 期，¥542.33，交通银行 **** 1010，流水号 <code>" + r.ID + "</code>")
}

func TestPayTheCurrentPeriodWhenNothingIsOverdue(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "en")
	c.identify(phoneZhao)
	c.send("/lang en")
	c.send("/pay")
	c.expect("<b>📄 Bill due</b>: Redmi Note 13 (order <code>5241000000006</code>)",
		"Period 2 (due Nov 23, 2026): principal ¥300.00 + fee ¥3.00 = ¥303.00",
		"Total to pay: <b>¥303.00</b>", "Card: Agricultural Bank of China **** 5555",
		"scheduled repayment of period 2 (due to run Nov 23, 2026 at 09:00) will be cancelled", "Valid for 15 minutes")
	c.reject("Period 3", "overdue")
	c.press("Confirm and pay")
	c.expect("Paid! Redmi Note 13, period 2: settled", "Paid <b>¥303.00</b> with Agricultural Bank of China **** 5555",
		"1 scheduled repayment for the bills you paid was cancelled", "Next due date Dec 23, 2026: <b>¥303.00</b>")
	c.reject("Turn on auto-repayment") // it is on already

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
	h.advance(-3 * time.Hour) // 07:00: S2 (P2 period 3) runs at 11:00, not yet with the bank
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/pay")
	c.expect("要还哪一笔分期的账单？", "1. Redmi K70 · 逾期 ¥261.92", "2. Xiaomi Book · 本期 ¥1,005.00")
	c.press("Xiaomi Book")
	// P2 period 3 is due today: not overdue, the current period, fee included.
	c.expect("<b>📄 本期账单</b>：Xiaomi Book", "第 3 期（还款日 今天）：本金 ¥1,000.00 + 手续费 ¥5.00 = ¥1,005.00",
		"合计应付：<b>¥1,005.00</b>", "第 3 期原定 今天 11:00 的预约还款将在还款后自动取消")
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
	c.expect("⚠️ 第 6 期已逾期（还款日 2026年11月15日）：本金 ¥249.92 + 手续费 ¥0.00 + 滞纳金 ¥12.00 = ¥261.92", "合计应付：<b>¥261.92</b>")
	c.reject("银行卡号")
}

// TestPayDeclinedCardChangesNothing: the bank declines the card (a 201
// declined from the core): nothing is taken, the customer may try another
// card, and pays once with it.
func TestPayDeclinedCardChangesNothing(t *testing.T) {
	h := newHarness(t, payFixture())
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			if r.CardID != "K5" {
				return k.Core.Repay(ctx, key, r)
			}
			return &supportbot.Repayment{ID: "RDECLINED", Key: key, QuoteID: r.QuoteID, CustomerID: "C5", PlanID: "P6", CardID: r.CardID,
				Amount: r.Amount, Status: supportbot.RepaymentDeclined, DeclineReason: "insufficient_funds"}, nil
		}
	})
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	c.expect("扣款卡：农业银行 **** 5555", "合计应付：<b>¥303.00</b>")
	c.press("确认还款")
	c.expect("银行拒绝了 农业银行 **** 5555 的扣款", "没有扣款", "换一张卡重试", "转人工")
	c.reject("还款成功")
	if got := h.unpaid("C5", "P6"); got[0] != 2 {
		t.Fatalf("a declined charge paid period 2: unpaid %v", got)
	}
	if n := len(h.audit("repay_bill")); n != 0 {
		t.Fatalf("declined charge audited as paid %d times", n)
	}
	if e := h.audit("payment_declined"); len(e) != 1 || e[0].Details["card_id"] != "K5" || e[0].Details["amount_fen"] != 30300.0 ||
		e[0].Details["reason"] != "insufficient_funds" {
		t.Errorf("payment_declined audit = %+v", e)
	}
	c.press("换一张卡重试")
	c.expect("扣款卡：招商银行 **** 6666") // another card than the one declined (a money probe: the same again)
	c.press("换一张卡")
	c.press("招商银行 **** 6666")
	c.expect("扣款卡：招商银行 **** 6666", "合计应付：<b>¥303.00</b>")
	c.press("确认还款")
	c.expect("还款成功", "Redmi Note 13 第 2 期已还清", "招商银行 **** 6666")
	if e := h.audit("repay_bill"); len(e) != 1 || e[0].Details["card_id"] != "K6" {
		t.Errorf("repay_bill audit = %+v, want one on K6", e)
	}
	if r := h.paid("C5"); r.CardID != "K6" || r.Amount != 30300 {
		t.Errorf("ledger = %+v, want 30300 on K6", r)
	}
}

// TestPayPickerMarksTheFrozenCard (issue 15.11): a frozen card is not offered
// to pay with; it is listed, saying why.
func TestPayPickerMarksTheFrozenCard(t *testing.T) {
	data := payFixture()
	data[4].Cards = append(data[4].Cards, supportbot.Card{ID: "K11", Bank: "工商银行", Last4: "1111", Frozen: true})
	h := newHarness(t, data)
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	c.expect("扣款卡：农业银行 **** 5555", "已冻结的 1 张卡无法扣款")
	c.press("换一张卡")
	c.expect("请选择扣款卡", "🚫 工商银行 **** 1111：已冻结，无法扣款", "[农业银行 **** 5555]", "[招商银行 **** 6666]")
	c.reject("[工商银行")
	// A forged pick of the frozen card quotes the usable default instead.
	nonce := strings.Split(c.button("招商银行").Data, ":")[1]
	c.pressData("s:" + nonce + ":pay:card:K11")
	c.expect("扣款卡：农业银行 **** 5555")
	c.reject("扣款卡：工商银行")
}

func TestPayExpiredQuoteRequotes(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	h.advance(16 * time.Minute)
	c.press("确认还款")
	c.expect("报价已超过 15 分钟失效，没有扣款", "合计应付：<b>¥303.00</b>", "10:31 前确认")
	if n := len(h.audit("repay_bill")); n != 0 {
		t.Fatal("an expired quote was charged")
	}
	if got := h.unpaid("C5", "P6"); got[0] != 2 {
		t.Fatalf("an expired quote paid: unpaid %v", got)
	}
	c.press("确认还款")
	c.expect("还款成功", "¥303.00")
	h.paid("C5")
}

// TestABillQuoteThatIsNotWhatItsPeriodsCostIsNeverShownOrCharged: a bill
// quote pays each period it lists in full: principal, fee and late fee. One
// that asks more or less than that, or lists a period that is paid, not the
// plan's or there twice, is never shown, let alone charged (found by an
// outside probe: a quote listing period 2 at ¥303.00 asked ¥503.00 in all,
// and was charged).
func TestABillQuoteThatIsNotWhatItsPeriodsCostIsNeverShownOrCharged(t *testing.T) {
	for _, tc := range []struct {
		name string
		bend func(q *supportbot.Quote)
	}{
		{"more than its periods", func(q *supportbot.Quote) { q.Amount += 20000; q.Parts.Principal += 20000 }},
		{"less than its periods", func(q *supportbot.Quote) { q.Amount -= 2345; q.Parts.LateFees -= 2345 }},
		{"a late fee as a fee", func(q *supportbot.Quote) { q.Parts.Fees += q.Parts.LateFees; q.Parts.LateFees = 0 }},
		{"a prepayment fee", func(q *supportbot.Quote) { q.Amount += 100; q.Parts.PrepayFee = 100 }},
		{"a paid period", func(q *supportbot.Quote) { q.Periods = append(q.Periods, 1) }},
		{"a period the plan has not", func(q *supportbot.Quote) { q.Periods = append(q.Periods, 9) }},
		{"a period twice", func(q *supportbot.Quote) {
			q.Periods = append(q.Periods, q.Periods...)
			q.Amount, q.Parts.Principal, q.Parts.Fees, q.Parts.LateFees = 2*q.Amount, 2*q.Parts.Principal, 2*q.Parts.Fees, 2*q.Parts.LateFees
		}},
		{"no periods", func(q *supportbot.Quote) { q.Periods = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, payFixture())
			c := h.chat(600, "zh")
			c.identify(phoneQian)
			bendQuotes(h, tc.bend)
			c.send("/pay")
			c.expect("报价金额有误", "没有扣款")
			c.reject("合计应付", "确认还款")
			if n := len(h.actions()); n != 0 {
				t.Errorf("%d money actions started", n)
			}
			h.hooks.set(func(k *hooks) { k.quote = nil })
			c.press("重新报价")
			c.expect("合计应付：<b>¥542.33</b>")
		})
	}
}

// payElsewhere pays periods of a plan in the core, as the finance app or a
// bank transfer would.
func (h *harness) payElsewhere(customerID, planID string, periods ...int) {
	h.t.Helper()
	ctx := context.Background()
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PayBills(ctx, customerID, planID, periods...)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

func TestPayChangedPlanRequotes(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	c.expect("合计应付：<b>¥542.33</b>")
	// Period 1 gets paid elsewhere (the finance app) before the customer confirms.
	h.payElsewhere("C6", "P7", 1)
	c.press("确认还款")
	c.expect("账单在报价后有变化，没有扣款", "合计应付：<b>¥350.22</b>")
	c.reject("第 1 期已逾期", "还款成功")
	if e := h.audit("payment_refused"); len(e) != 1 || e[0].Details["code"] != "quote_stale" {
		t.Errorf("payment_refused audit = %+v, want one quote_stale", e)
	}
	c.press("确认还款")
	c.expect("还款成功", "第 2、3 期已还清", "¥350.22")
	if e := h.audit("repay_bill"); len(e) != 1 || e[0].Details["amount_fen"] != 35022.0 {
		t.Errorf("repay_bill audit = %+v, want one of 35022", e)
	}
	h.paid("C6")
}

// A payoff confirmed after the plan was paid off elsewhere is told so,
// with no new quote offered (a probe was offered one, which then said
// "paid off already").
func TestAPayoffOfAPlanPaidOffElsewhereSaysSo(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(601, "zh")
	c.identify(phoneQian)
	c.send("/repay")
	c.expect("提前结清报价")
	h.payElsewhere("C6", "P7", 1, 2, 3, 4, 5, 6)
	c.press("确认还款")
	c.expect("没有扣款", "已经全部结清（另一笔还款已经还上），无需再还")
	c.reject("重新报价", "合计应付")
}

func TestPayDoubleConfirmPaysOnce(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	confirm := c.button("确认还款").Data
	c.pressData(confirm)
	c.expect("还款成功")
	r := h.paid("C5")
	c.pressData(confirm) // a double tap, or the old button later
	c.expect("已在", "完成还款 <b>¥303.00</b>", "不会重复扣款", "流水号 <code>"+r.ID+"</code>")
	c.reject("还款成功")
	c.send("确认")
	c.reject("还款成功")
	h.paid("C5")
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
	c.expect("第 1 期的预约还款正在扣款中，不计入本次金额", "合计应付：<b>¥350.22</b>")
	c.reject("第 1 期已逾期")
	c.press("确认还款")
	c.expect("第 2、3 期已还清")
	if got, want := h.unpaid("C6", "P7"), []int{1, 4, 5, 6}; !reflect.DeepEqual(got, want) {
		t.Errorf("unpaid = %v, want %v", got, want)
	}
	if got := h.scheduled("C6")["S10"]; got != supportbot.ScheduledProcessing {
		t.Errorf("S10 = %s: the debit with the bank must be left to run", got)
	}
}

func TestBillsOfferPayThisPeriodAndShowAutoRepay(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/bill")
	c.expect("自动还款：已开启（农业银行 **** 5555）", "还这期")
	c.press("还这期")
	c.expect("<b>📄 本期账单</b>：Redmi Note 13", "合计应付：<b>¥303.00</b>")

	e := h.chat(501, "en")
	e.identify(phoneZhao)
	e.send("/lang en")
	e.send("/bill")
	e.expect("Auto-repayment on (Agricultural Bank of China **** 5555)", "Pay this period")

	// P8 is first due in two weeks: nothing to pay this period yet.
	sun := h.chat(700, "en")
	sun.identify(phoneSun)
	sun.send("/bill")
	sun.reject("Pay this period", "Auto-repayment on")

	// 张伟: P1 is overdue and P2 due today; neither has auto-repay on. P2's
	// period 3 is being debited by S2 (11:00, within 2 hours): it has no
	// pay button, and says why — and when it runs, as the list of bookings
	// does (a probe: "being debited right now" beside "runs today at …").
	z := h.chat(100, "zh")
	z.identify(phoneZhang)
	z.send("/bill")
	z.reject("自动还款：已开启")
	z.expect("这期的预约还款将在 今天 11:00 扣款（2 小时内执行，已无法取消）")
	n := 0
	for _, b := range z.buttons {
		if strings.HasSuffix(b.Text, "🧾 还这期") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("还这期 buttons = %d, want 1 (overdue P1; P2 is being debited)", n)
	}
	h.advance(-3 * time.Hour) // 07:00: S2 is booked, not yet with the bank
	z.send("/bill")
	z.expect("已预约 今天 11:00 自动扣款")
	n = 0
	for _, b := range z.buttons {
		if strings.HasSuffix(b.Text, "🧾 还这期") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("还这期 buttons so far = %d, want 1 + 2 (P2 may be paid by hand before its debit)", n)
	}
}

// TestOneRuleForAPeriodBeingDebited (issue 15.1): a period whose scheduled
// repayment is processing, or runs within 2 hours, is already with the bank.
// Paying the bill, paying the plan off, cancelling the schedule and closing
// the account all go by that one rule, on both sides of its cut-off: S2
// debits P2's period 3 at 11:00.
func TestOneRuleForAPeriodBeingDebited(t *testing.T) {
	for _, tc := range []struct {
		at       time.Duration // from 10:00
		debiting bool
	}{
		{-time.Hour - time.Second, false}, // 08:59:59: 2 h and a second before
		{-time.Hour + time.Second, true},  // 09:00:01
		{0, true},
	} {
		t.Run(start.Add(tc.at).Format("15:04:05"), func(t *testing.T) {
			h := newHarness(t, fixture())
			h.advance(tc.at)
			c := h.chat(100, "zh")
			c.identify(phoneZhang)

			c.send("/pay")
			if tc.debiting { // the list says it too, rather than an amount it will not charge — as not started yet (a probe: "扣款中")
				c.expect("1. Redmi K70 · 逾期 ¥261.92", "2. Xiaomi Book · 即将扣款")
				c.reject("Xiaomi Book · 本期")
			} else {
				c.expect("1. Redmi K70 · 逾期 ¥261.92", "2. Xiaomi Book · 本期 ¥1,005.00")
			}
			c.press("Xiaomi Book")
			if tc.debiting {
				c.expect("「Xiaomi Book」第 3 期的预约还款将在 今天 11:00 扣款（2 小时内执行，已无法取消），无需重复还款")
				c.reject("确认还款")
			} else {
				c.expect("本期账单</b>：Xiaomi Book", "第 3 期（还款日 今天）", "合计应付：<b>¥1,005.00</b>",
					"第 3 期原定 今天 11:00 的预约还款将在还款后自动取消")
			}
			c.send("/cancel")

			c.send("/repay")
			c.press("Xiaomi Book")
			if tc.debiting {
				c.expect("未还本金：¥3,000.00", "第 3 期的预约还款将在 今天 11:00 扣款（2 小时内执行，已无法取消），不计入本次金额", "合计应付：<b>¥3,045.00</b>")
			} else {
				c.expect("未还本金：¥4,000.00", "已到期各期的手续费：¥5.00", "合计应付：<b>¥4,050.00</b>")
				c.reject("正在扣款中")
			}
			c.send("/cancel")

			c.send("/cancel_schedule")
			c.press("Xiaomi Book 第 3 期")
			if tc.debiting {
				c.expect("2 小时内执行", "无法再取消")
				c.reject("取消这笔预约还款")
			} else {
				c.expect("要取消这笔预约还款吗")
			}
			c.send("/cancel")

			c.send("/close_account")
			if tc.debiting { // S1 can be cancelled; S2 and S3 (processing) cannot
				c.expect("❌ 预约还款：1 笔待执行。提前还款结清时会自动取消", "❌ 预约还款：2 笔正在处理或即将扣款")
			} else {
				c.expect("❌ 预约还款：2 笔待执行。提前还款结清时会自动取消", "❌ 预约还款：1 笔正在处理或即将扣款")
			}
			if n := len(h.repayments("C1")); n != 0 {
				t.Errorf("the ledger has %d repayments", n)
			}
		})
	}
}

// TestEnglishCountsThePeriods: one period is "period 6", several are
// "periods 1, 2 and 3", in the outcome and in the message center.
func TestEnglishCountsThePeriods(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "en")
	c.identify(phoneQian)
	c.send("/lang en")
	c.send("/pay")
	c.press("Confirm")
	c.expect("Redmi Pad Pro, periods 1, 2 and 3: settled")
	c.send("/messages")
	c.expect("Redmi Pad Pro, periods 1, 2 and 3, ¥542.33")
	c.send("/pay")
	c.press("Confirm")
	c.expect("Redmi Pad Pro, period 4: settled")
}

// TestACardNamedAtAQuoteIsTheCardQuoted: at a quote "用招行的卡" (or its last
// 4 digits) quotes again on that card, and the confirmation charges it; a
// frozen card named ("用工行的卡扣行吗") is told why it cannot pay, the
// quote left as it was; at /cards "4321那张设成默认" picks that card. A
// probe's customers named cards so and got unrelated answers.
func TestACardNamedAtAQuoteIsTheCardQuoted(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	c.expect("扣款卡：农业银行 **** 5555")
	c.send("用招行的卡")
	c.expect("扣款卡：招商银行 **** 6666", "合计应付：<b>¥303.00</b>")
	c.send("确认")
	c.expect("还款成功")
	if r := h.paid("C5"); r.CardID != "K6" {
		t.Errorf("paid on %s, want K6 (招商银行, named)", r.CardID)
	}

	z := h.chat(501, "zh")
	z.identify(phoneZhang)
	z.send("/pay")
	z.press("Redmi K70")
	z.send("用工行的卡扣行吗")
	z.expect("工商银行 **** 4321 已冻结", "上面的报价仍从 招商银行 **** 6789 扣款，还没有扣款")
	z.send("/cards")
	z.send("4321那张设成默认")
	z.expect("工商银行 **** 4321 已冻结", "不能设为默认卡", "[👤 转人工客服]") // a person a tap away (a probe: no button)

	// In English, in a longer sentence, by initials (a probe got unsure
	// answers, or lost the quote to /cards).
	e := h.chat(502, "en")
	e.identify(phoneZhao)
	e.send("/lang en")
	e.send("/pay")
	e.send("pay with the CMB card instead please")
	e.expect("Card: China Merchants Bank **** 6666")
	e.send("can I pay with card 6666")
	e.expect("already on China Merchants Bank **** 6666", "To pay <b>¥303.00</b>")
}

// TestABankOfTwoCardsAtAQuoteAsksWhich: with two 招商 cards, "用招商的卡"
// at a quote was told "你没有绑定招商银行的卡", both listed under it (an
// audit). Which of the two, by its digits, the quote staying.
func TestABankOfTwoCardsAtAQuoteAsksWhich(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Cards = append(zhang.Cards, supportbot.Card{ID: "K3", Bank: "招商银行", Last4: "8834"})
	_, c := faqSessionOn(t, data, 677, phoneZhang)
	c.send("/pay")
	c.press("Redmi K70")
	c.send("用招商的卡")
	c.expect("要换哪张卡", "招商银行 **** 6789", "招商银行 **** 8834", "上面的报价仍从 招商银行 **** 6789 扣款")
	c.reject("你没有绑定")
	c.send("用8834那张")
	c.expect("扣款卡：招商银行 **** 8834")
}

// TestTheOtherOneOfThreeAtAQuoteIsTheList: "no, the other one" at a quote,
// with three plans open, got the guard against prompt injection and the
// quote dropped; "wrong one" "can't answer" (an English probe). Which of
// the others is for the list to say; nothing is paid.
func TestTheOtherOneOfThreeAtAQuoteIsTheList(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans = append(zhang.Plans, supportbot.Plan{ID: "P6", CustomerID: "C1", OrderNo: "5241015777777", Product: "Redmi Pad 2",
		Partner: "小米分期", Principal: 60000, Periods: 6, Bills: monthly("P6", "2026-09-10", 6, 10000, 10000, 0, 2)})
	for _, said := range []string{"no, the other one", "wrong one", "不是这个 另一个"} {
		h, c := faqSessionOn(t, data, 678, phoneZhang)
		c.send("/pay")
		c.send("1")
		c.send(said)
		c.expect("要还哪一笔分期的账单", "Redmi Pad 2")
		c.reject("My rules", "规则")
		c.send("3")
		c.expect("Redmi Pad 2（订单号")
		c.send("确认")
		if r := h.paid("C1"); r.PlanID != "P6" {
			t.Errorf("%q, then 3: paid %+v, want the pad (P6)", said, r)
		}
	}
}

// TestAPlanSaidWithTheRequestIsQuoted: "提前还款笔记本那笔" showed the plan
// picker, the plan said and not taken (a probe's "我要repay laptop"): the
// plan a request names by product words, kind of device or partner (its
// full name) is quoted at once; a request naming none, or several, gets the
// picker.
func TestAPlanSaidWithTheRequestIsQuoted(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(600, "zh")
	c.identify(phoneZhang)
	for said, want := range map[string]string{
		"提前还款笔记本那笔": "Xiaomi Book（订单号", "我想提前还清招联金融的那笔": "Xiaomi Book（订单号",
		"提前还款": "要提前结清哪一笔分期", "提前还款 小米的": "要提前结清哪一笔分期", // 小米: the brand or 小米分期

	} {
		c.send("/menu")
		c.send(said)
		c.expect(want)
	}
}

// TestAPaymentNamingAPlanIsItsQuote: "我要repay laptop", "笔记本这期帮我还了",
// "pay the laptop bill" were unsure and offered a button that asked which
// plan again (a probe): a payment the reading leans to, naming one of the
// customer's plans, is that plan's quote. A question about it is not.
func TestAPaymentNamingAPlanIsItsQuote(t *testing.T) {
	h, c := faqSession(t, 981)
	for _, said := range []string{"我要repay phone", "手机这期帮我还了", "pay the redmi k70 bill plz"} {
		c.send(said)
		c.expect("Redmi K70（订单号", "合计应付：<b>¥261.92</b>")
		c.reject("我不太确定", "要还哪一笔")
		c.send("/menu")
	}
	c.send("how do i pay the redmi k70 bill")
	c.reject("合计应付")
	for _, said := range []string{"I'll pay the phone next week", "my wife will pay the laptop"} { // not now, not them (a review)
		c.send(said)
		c.reject("合计应付", "提前结清报价")
	}
	n := len(h.repayments("C1"))
	c.send("pay the redmi k70 bill plz")
	c.press("确认还款")
	c.expect("还款成功")
	if got := len(h.repayments("C1")); got != n+1 {
		t.Fatalf("%d repayments after one confirmation, want %d", got, n+1)
	}
}

// TestADueDateAskedAtAQuoteIsAnswered: "这期不是22号才到期吗" at a bill's
// quote was a miss that offered a person (a probe): the quote's periods'
// due dates are said, the quote stays, and a 确认 next pays it.
func TestADueDateAskedAtAQuoteIsAnswered(t *testing.T) {
	h, c := faqSession(t, 982)
	c.send("/pay")
	c.press("Redmi K70")
	c.expect("合计应付：<b>¥261.92</b>")
	c.send("这期不是22号才到期吗")
	c.expect("第 6 期，还款日是 <b>2026年11月15日</b>", "还没有扣款")
	c.reject("我不太确定", "转人工")
	c.send("when is this one due?")
	c.expect("第 6 期，还款日是")
	c.send("确认")
	c.expect("还款成功")
	if n := len(h.repayments("C1")); n != 1 {
		t.Fatalf("%d repayments, want 1", n)
	}

	b := h.chat(983, "en")
	b.identify(phoneWang)
	b.send("/lang en")
	b.send("/pay")
	b.send("when is this one due?")
	b.expect("Period 2 in this quote is due on <b>Nov 1, 2026</b>")
}

// TestTheOtherKindOfPaymentAskedAtAQuoteIsQuoted: "还是还本期吧", "只还一
// 期", "我只想还当期" at a payoff's quote, and "全部还清", "一次性还完吧" at a
// bill's, were told "to pay ¥X type 确认" of the quote they had just turned
// from — and the 确认 after it paid off the plan (a probe). They quote the
// same plan's other payment, which the next 确认 pays.
func TestTheOtherKindOfPaymentAskedAtAQuoteIsQuoted(t *testing.T) {
	for _, said := range []string{"还是还本期吧", "只还一期", "不全还了 还这期就行", "我只想还当期", "just this month's please"} {
		h := newHarness(t, fixture())
		c := h.chat(984, "zh")
		c.identify(phoneZhang)
		c.send("/repay")
		c.press("Redmi K70")
		c.expect("提前结清报价", "¥1,511.48")
		c.send(said)
		c.expect("逾期账单</b>：Redmi K70", "合计应付：<b>¥261.92</b>")
		c.reject("支付 <b>¥1,511.48</b>")
		c.send("确认")
		c.expect("还款成功")
		if r := h.paid("C1"); r.Amount != 26192 {
			t.Errorf("%q, then 确认: paid %d, want the bill's 26192", said, r.Amount)
		}
	}
	for _, said := range []string{"全部还清", "一次性还完吧", "我要提前结清", "pay it all off", "不对 是要还清全部"} { // said after a correction too (a probe)
		h := newHarness(t, fixture())
		c := h.chat(985, "zh")
		c.identify(phoneZhang)
		c.send("/pay")
		c.press("Redmi K70")
		c.expect("合计应付：<b>¥261.92</b>")
		c.send(said)
		c.expect("提前结清报价</b>：Redmi K70", "¥1,511.48")
	}
	h := newHarness(t, fixture())
	c := h.chat(986, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	c.press("Redmi K70")
	c.send("这期的也包括在里面吗") // a question: the quote stays
	c.reject("逾期账单</b>")
	// This bill's words at its quote are not a payoff (a review).
	c.send("/pay")
	c.press("Redmi K70")
	for _, said := range []string{"这期还清", "还清逾期的", "先还这期，剩下的下个月还", "逾期的和这个月的都还", "把欠的都还了", "everything ok", "thanks for everything"} {
		c.send(said)
		c.reject("提前结清报价")
	}
	c.send("确认") // asked again after words the step did not take
	c.send("确认")
	c.expect("还款成功")
	if r := h.paid("C1"); r.Amount != 26192 {
		t.Errorf("paid %d, want the bill's 26192", r.Amount)
	}
}

// TestAConfirmNamingAnotherPlanByItsPlaceQuotesIt: "确认还第二个", "确认 2",
// "confirm the second one" at the first plan's payoff quote were told "to
// pay ¥X (the first plan's) type 确认", and the 确认 after it paid off the
// first plan (a probe). A place in the list names that plan: its quote, to
// confirm in its turn.
func TestAConfirmNamingAnotherPlanByItsPlaceQuotesIt(t *testing.T) {
	for _, said := range []string{"确认还第二个", "确认第二笔", "确认 2", "confirm the second one", "confirm #2"} {
		h := newHarness(t, fixture())
		c := h.chat(987, "zh")
		c.identify(phoneZhang)
		c.send("/repay")
		c.send("1")
		c.expect("提前结清报价</b>：Redmi K70")
		c.send(said)
		c.expect("提前结清报价</b>：Xiaomi Book")
		if n := len(h.repayments("C1")); n != 0 {
			t.Fatalf("%q: %d repayments, want none", said, n)
		}
	}
	h := newHarness(t, fixture())
	c := h.chat(988, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	c.send("1")
	c.send("确认第一个") // the quote's own: still asked for its 确认
	c.expect("还没有扣款")
	c.reject("提前结清报价")
}

// TestWhetherPaidWithNoPaymentJustMade: "did my payment go through?" with
// no payment in the last half hour got an unsure guess at double charges,
// "今天那笔扣成功没有" another (a probe): the latest repayment the message
// center has is told, or that there is none.
func TestWhetherPaidWithNoPaymentJustMade(t *testing.T) {
	h := newHarness(t, payFixture())
	h.realFAQ()
	h.open()
	c := h.chat(998, "en")
	c.identify(phoneSun)
	c.send("did my payment go through?")
	c.expect("I find no recent repayment of yours")
	c.reject("not sure")

	z := h.chat(999, "zh")
	z.identify(phoneZhao)
	z.send("/pay")
	z.send("确认")
	z.expect("还款成功")
	h.advance(2 * time.Hour)
	for _, q := range []string{"今天那笔扣成功没有", "扣款成功了吗"} {
		z.send(q)
		z.expect("最近半小时你没有在这里还款", "账单还款成功：Redmi Note 13")
	}
}

// TestAPaymentAskedInAWordIsTheBill: "还款", "还钱", "pay", "make a payment"
// alone got "I can't answer that" (a probe), and so did "ok pay it" after the
// late fee was shown: the bill's payment.
func TestAPaymentAskedInAWordIsTheBill(t *testing.T) {
	_, c := faqSession(t, 1001)
	for _, said := range []string{"还款", "还钱", "pay", "make a payment", "Repay!", "pay it", "ok pay it", "just pay it", "pay that", "好的还吧", "还钱😭", "💰还钱"} {
		c.send(said)
		c.expect("要还哪一笔分期的账单")
		c.send("/menu")
	}
}

// TestACorrectionByPlaceOrAsTheOtherOneAtAQuote: at the phone's quote "no
// the other one" dropped the quote as a no, and "第二个", "搞错了 应该是第二
// 个", "the second one" were not understood (a probe): the other plan of
// two, or the one at that place in the list, is quoted instead.
func TestACorrectionByPlaceOrAsTheOtherOneAtAQuote(t *testing.T) {
	for _, said := range []string{"no the other one", "no, the other one", "不是这个 另一个", "第二个", "搞错了 应该是第二个", "the second one", "nah, the second one"} {
		h := newHarness(t, fixture())
		c := h.chat(1002, "en")
		c.identify(phoneZhang)
		c.send("/repay")
		c.send("1")
		c.expect("提前结清报价</b>：Redmi K70")
		c.send(said)
		c.expect("提前结清报价</b>：Xiaomi Book")
		c.reject("没有扣款")
	}
	// Said in passing, or a bare number, it names nothing: the quote stays (a review).
	for _, said := range []string{"这个先还 另外一个下个月再还", "另一笔已经还了", "the other one can wait", "2", "两个"} {
		h := newHarness(t, fixture())
		c := h.chat(1002, "en")
		c.identify(phoneZhang)
		c.send("/repay")
		c.send("1")
		c.send(said)
		c.reject("提前结清报价</b>：Xiaomi Book")
	}
	for _, said := range []string{"最后一个", "the last one"} { // at the list: its last plan
		h := newHarness(t, fixture())
		c := h.chat(1003, "zh")
		c.identify(phoneZhang)
		c.send("/repay")
		c.send(said)
		c.expect("提前结清报价</b>：Xiaomi Book")
	}
}

// TestWhetherPaidWhenAnOlderPaymentIsStillUnderWay: a payment confirmed
// more than half an hour ago and still without an outcome was not said to
// be under way (a review): it is.
func TestWhetherPaidWhenAnOlderPaymentIsStillUnderWay(t *testing.T) {
	h := newHarness(t, payFixture())
	h.realFAQ()
	h.open()
	c := h.chat(1006, "zh")
	c.identify(phoneZhao)
	h.hooks.set(func(k *hooks) {
		k.repay = func(context.Context, string, supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			return nil, errDown
		}
		k.repayment = func(context.Context, string) (*supportbot.Repayment, error) { return nil, errDown }
	})
	c.send("/pay")
	c.send("确认")
	h.advance(2 * time.Hour)
	c.send("/menu") // the step left: the question is asked from nowhere in particular
	c.send("扣款成功了吗")
	c.expect("这笔还款正在处理中")
	c.reject("最近半小时你没有在这里还款")
}

// TestWhichCardAtAStepNamesItAndKeepsTheStep: "which card will this come
// out of" at a payoff quote put the card list in the quote's place, and the
// "confirm" after it found nothing to confirm; at the auto-repayment
// question "which card will it use" was not understood (a probe). The card
// is named and the step stays.
func TestWhichCardAtAStepNamesItAndKeepsTheStep(t *testing.T) {
	h, c := faqSession(t, 1003)
	c.send("/lang en")
	c.send("/repay")
	c.press("Redmi K70")
	c.expect("Payoff quote")
	// Beside a confirm word too (a probe: "confirm? what card is it" got
	// the way to confirm alone).
	for _, q := range []string{"which card will this come out of", "what card is it on?", "用哪张卡扣", "confirm? what card is it",
		"wait which one is default", "现在默认是哪张"} { // a multi-turn probe: unsure
		c.send(q)
		c.expect("**** 6789", "Nothing has been paid yet")
	}
	// A card asked to be switched to is not this question (a review).
	c.send("which card can I switch to?")
	c.reject("already on")
	c.send("/repay")
	c.press("Redmi K70")
	c.send("用工商那张卡，扣哪张我都行")
	c.expect("is frozen")
	c.reject("already on")
	c.send("confirm")
	c.expect("Paid")
	if n := len(h.repayments("C1")); n != 1 {
		t.Errorf("%d repayments, want 1", n)
	}
	c.send("/autopay")
	c.press("Xiaomi Book")
	c.expect("Turn on auto-repayment")
	c.send("ok but which card will it use")
	c.expect("Turn on auto-repayment", "**** 6789")
	c.send("ok turn it on then")
	c.expect("Auto-repayment is on")
}

// TestACardNamedInTheRequestIsTheQuotes: "ok i want to pay the overdue one
// with my icbc card" quoted on the default card, the frozen ICBC card left
// unsaid beside "1 frozen card can't be charged" (a probe). A card named in
// the request is taken as at the quote: the quote on it, or why not.
func TestACardNamedInTheRequestIsTheQuotes(t *testing.T) {
	data := payFixture()
	data[4].Cards = append(data[4].Cards, supportbot.Card{ID: "K11", Bank: "工商银行", Last4: "1111", Frozen: true})
	h := newHarness(t, data)
	h.realFAQ()
	h.open()
	c := h.chat(501, "en")
	c.identify(phoneZhao)
	c.send("/lang en")
	c.send("i want to pay my bill with my icbc card")
	c.expect("Card: Agricultural Bank of China **** 5555", "ICBC **** 1111 is frozen", "still on Agricultural Bank of China **** 5555")
	c.send("/menu")
	c.send("i want to pay my bill with the cmb card")
	c.expect("Card: China Merchants Bank **** 6666")
	c.reject("is frozen")
	c.send("confirm")
	c.expect("Paid")
	if r := h.paid("C5"); r.CardID != "K6" {
		t.Errorf("paid on %s, want K6 (the card asked for)", r.CardID)
	}
}

// TestAPayoffAskedWithItsCostIsTheQuote: "i want to pay off my laptop early
// how much is the fee" got two suggestions to pick from (a probe): the
// request names the plan, and its quote says what it costs.
func TestAPayoffAskedWithItsCostIsTheQuote(t *testing.T) {
	_, c := faqSession(t, 1004)
	c.send("我想提前还清笔记本 手续费要多少钱")
	c.expect("提前结清报价</b>：Xiaomi Book", "提前还款手续费")
	c.send("/lang en")
	c.send("/menu")
	c.send("i want to pay off my laptop early how much is the fee")
	c.expect("Payoff quote</b>: Xiaomi Book", "Prepayment fee")
	c.send("/menu")
	c.send("how do i pay off my laptop early") // a question alone stays one
	c.reject("Payoff quote")

	// With one open plan, the payoff asked for beside its fee is that
	// plan's quote (a probe: the fee rules in general); asked about alone,
	// the rules.
	h, _ := faqSession(t, 1005)
	w := h.chat(1006, "zh")
	w.identify(phoneWang)
	w.send("我想一次性还清 手续费多少")
	w.expect("提前结清报价</b>：Xiaomi Watch")
	w.send("/menu")
	w.send("提前还款手续费怎么算")
	w.reject("提前结清报价")
	c.send("/lang zh")
	c.send("我想一次性还清 手续费多少") // two plans: the rules, each plan's rate
	c.reject("提前结清报价")
}

// TestACardNumberTypedAtAQuoteIsToldNotTheQuotes: "我用6222…这张卡付" at a
// quote got only the warning not to send card numbers, and the 确认 after
// it paid from the quote's card (a probe). The number is masked as ever,
// and the card it ends in is told none of theirs, the quote staying.
func TestACardNumberTypedAtAQuoteIsToldNotTheQuotes(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(1005, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	c.press("Redmi K70")
	c.expect("提前结清报价")
	c.send("我用6222021234567890123这张卡付")
	c.expect("已经打码", "你没有尾号 0123 的银行卡", "上面的报价仍从 招商银行 **** 6789 扣款")
	c.reject("6222021234567890123")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestTheOverduePaidOffIsTheOverdueBill: "逾期的帮我还掉" got a quote to pay
// off the whole plan, ¥4,700 more than the overdue period (a probe). The
// overdue one asked to be paid off is its bill; the whole plan said, or
// paying early, is still the payoff.
func TestTheOverduePaidOffIsTheOverdueBill(t *testing.T) {
	for _, ask := range []string{"逾期的帮我还掉", "帮我把逾期的结清", "逾期那期帮我还清吧"} {
		_, c := faqSession(t, 600)
		c.send(ask)
		c.expect("逾期账单", "第 6 期已逾期")
		c.reject("提前结清报价")
	}
	_, c := faqSession(t, 601)
	c.send("逾期了 我想把笔记本剩下的全部还清")
	c.expect("提前结清报价")
}

// TestACardChangedAfterTheQuoteSaysSo: the quote's card frozen, or gone from
// the account, between the quote and its confirmation was told "your bills
// changed after the quote" (a probe): nothing is charged, the new quote is
// on another card, and the reason given is the card's.
func TestACardChangedAfterTheQuoteSaysSo(t *testing.T) {
	data := payFixture()
	h := newHarness(t, data)
	c := h.chat(640, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	c.expect("农业银行 **** 5555")
	zhao := *customerIn(t, data, "C5")
	zhao.Cards = []supportbot.Card{{ID: "K5", Bank: "农业银行", Last4: "5555", Default: true, Frozen: true}, {ID: "K6", Bank: "招商银行", Last4: "6666"}}
	if _, err := h.db.Import(context.Background(), []supportbot.CustomerData{zhao}); err != nil {
		t.Fatal(err)
	}
	c.press("确认还款")
	c.expect("所选银行卡已被冻结，没有扣款", "招商银行 **** 6666")
	c.reject("账单在报价后有变化")
	zhao.Cards = []supportbot.Card{zhao.Cards[0], {ID: "K7", Bank: "工商银行", Last4: "7777"}} // 招商 gone, the quote on it
	if _, err := h.db.Import(context.Background(), []supportbot.CustomerData{zhao}); err != nil {
		t.Fatal(err)
	}
	c.press("确认还款")
	c.expect("报价所用的银行卡已不在你的账户里，没有扣款", "工商银行 **** 7777")
	c.reject("账单在报价后有变化")
	if n := len(h.repayments("C5")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestTheOverdueNamedOnlyAsTheThingToPay: a review of the rule above —
// overdue said as the customer's state ("我逾期了 想把这笔分期结清"), a fee
// asked, or a plan said not to be overdue is no request for the overdue
// bill: a payoff stays a payoff, and the plan not overdue is not quoted the
// other's bill.
func TestTheOverdueNamedOnlyAsTheThingToPay(t *testing.T) {
	for _, ask := range []string{"我逾期了 想把这笔分期结清", "逾期太烦了 直接结清", "逾期了 帮我一次结清", "i'm overdue, pay off the whole installment"} {
		_, c := faqSession(t, 650)
		c.send(ask)
		c.reject("逾期账单", "Overdue bill")
	}
	_, c := faqSession(t, 651)
	c.send("没逾期的那个帮我结清")
	c.reject("逾期账单", "¥261.92")
}

// TestThisPeriodPaidOffIsItsBill: "我要还清这期" got a quote to pay off the
// whole plan, and "笔记本这期还了，手机的提前结清" the laptop's payoff (a
// probe): this period asked to be paid off is the bill's payment, and two
// plans named in one request quote neither of them on a guess.
func TestThisPeriodPaidOffIsItsBill(t *testing.T) {
	for _, ask := range []string{"我要还清这期", "帮我还清本期", "pay off this period"} {
		_, c := faqSession(t, 660)
		c.send(ask)
		c.expect("要还哪一笔分期的账单")
		c.reject("提前结清")
	}
	for _, ask := range []string{"笔记本这期还了，手机的提前结清", "pay this month for the laptop and pay off the phone"} {
		_, c := faqSession(t, 661)
		c.send(ask)
		c.reject("合计应付", "Total due")
	}
}

// TestTwoPlansNamedToPayOffAreTheList: "把手环和净化器都结清" quoted the
// band's payoff and dropped the purifier without a word (an audit): a kind
// beside a name, or two names, joined, are two plans — the list, nothing
// quoted on a guess; one named alone is still its quote.
func TestTwoPlansNamedToPayOffAreTheList(t *testing.T) {
	for _, ask := range []string{"把K70和笔记本都结清", "K70跟小米笔记本一起提前还了", "pay off the k70 and the xiaomi book"} {
		_, c := faqSession(t, 662)
		c.send(ask)
		c.expect("1. Redmi K70 · ¥1,761.40", "2. Xiaomi Book · ¥4,020.00", "一次还一笔")
		c.reject("合计应付", "Total due")
	}
	_, c := faqSession(t, 663)
	c.send("把K70结清")
	c.expect("提前结清报价</b>：Redmi K70", "合计应付：<b>¥1,511.48")
}

// TestABillAskedForMorePeriodsSaysWhatItPays: "把逾期的和这个月的都还了"
// quoted and paid the overdue period alone, not a word of the other; "还12
// 月的" was read as an amount of 12 ("pay whole periods only") and
// "两个分期这个月的都帮我还掉" started a payoff (probes). A bill's quote pays
// period by period, the earliest first, and says which periods asked for
// it leaves for a later /pay; a month's bill asked is a bill.
func TestABillAskedForMorePeriodsSaysWhatItPays(t *testing.T) {
	h, c := faqSession(t, 620) // 张伟: Redmi K70's period 6 overdue, 7 due Dec 15
	c.send("把K70逾期的和下期都还了")
	c.expect("第 6 期已逾期", "这笔还的是第 6 期；你说的第 7 期不在这笔里")
	c.send("返回")
	c.send("把K70 12月的还了")
	c.expect("第 6 期已逾期", "你说的第 7 期不在这笔里")
	c.reject("不能只还其中一部分金额")
	c.send("返回")
	c.send("K70这期帮我还了") // the overdue one first, and the period not yet due said to be left — as this period, not "the 7 you said" (a probe)
	c.expect("第 6 期已逾期", "这笔先还逾期的第 6 期；本期（第 7 期）不在这笔里")
	c.reject("你说的")
	c.send("返回")
	c.send("还手机这期") // a plan's this one, 还 first (a probe got the bill's overview)
	c.expect("第 6 期已逾期", "合计应付")
	c.reject("剩余待还")
	c.send("返回")
	for _, said := range []string{"把K70第七期还了", "pay the k70 period 7"} { // a period by its number (a probe: "not sure")
		c.send(said)
		c.expect("第 6 期已逾期", "第 7 期")
		c.reject("不太确定")
		c.send("返回")
	}
	c.send("pay the k70 overdue one and the next period") // the English words for the next period read too (a regexp held backspaces)
	c.expect("第 6 期已逾期", "你说的第 7 期不在这笔里")
	c.send("返回")
	c.send("两个分期这个月的都帮我还掉")
	c.expect("要还哪一笔分期的账单")
	c.reject("提前结清")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestNaturalPicksAtAList: at the payoff's list "上面那个" got the guard
// against prompt injection, "便宜的那个" the mall's prices, "笔记本 不对 手机"
// a repair answer, "都要" and "4999的" "can't answer" — and the list was
// gone (a probe). A pick by its amount, by the least or the most, or
// corrected is that item; every item, or one pointed at without saying
// which, is told how to pick, the list still waiting.
func TestNaturalPicksAtAList(t *testing.T) {
	_, c := faqSession(t, 630)
	for _, tc := range []struct{ pick, want string }{
		{"便宜的那个", "Redmi K70"}, {"the bigger one", "Xiaomi Book"}, {"笔记本 不对 手机", "Redmi K70"},
		{"手机 不对，笔记本", "Xiaomi Book"}, {"1761的", "Redmi K70"}, {"¥4,020.00", "Xiaomi Book"},
		{"订单尾号9999的", "Xiaomi Book"}, {"order ending in 3456", "Redmi K70"}, // the order's end (a probe: the mall's order desk)
	} {
		c.send("/repay")
		c.send(tc.pick)
		c.expect("提前结清报价</b>：" + tc.want)
	}
	c.send("/repay")
	for _, tc := range []struct{ pick, want string }{{"都要", "一次还一笔"}, {"上面那个", "还没有选择"}, {"both", "一次还一笔"}, {"all three", "一次还一笔"}, {"pay all of it", "一次还一笔"},
		{"actually pay both", "一次还一笔"}} { // a money probe: unsure
		c.send(tc.pick)
		c.expect(tc.want)
		c.reject("规则", "抱歉")
	}
	c.send("2") // the list still waits
	c.expect("提前结清报价</b>：Xiaomi Book")
}

// TestEveryPlanOrTheNextPeriodAskedEarly: "两笔都提前还清" got an unsure reply
// with no way to pay, and "把下一期也提前还了吧" an unsure one too (a probe).
// Every plan paid off is the payoff's list, one at a time; the next period
// paid before its day is a bill.
func TestEveryPlanOrTheNextPeriodAskedEarly(t *testing.T) {
	h, c := faqSession(t, 631)
	for _, ask := range []string{"两笔都提前还清", "pay off both plans"} {
		c.send(ask)
		c.expect("要提前结清哪一笔分期", "一次还一笔")
		c.send("返回")
	}
	c.send("两笔都提前还清的话手续费多少") // what it costs: the fee's answer (a regression run)
	c.reject("要提前结清哪一笔分期")
	c.send("把下一期也提前还了吧")
	c.expect("要还哪一笔分期的账单")
	c.reject("提前结清")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestAPlanNamedByItsChineseBrand: "提前还款 红米本" got "can't answer"
// (a probe): the FAQ read 红米 as shopping, and no product name has it. A
// plan is named by its brand's Chinese name too — 红米 is Redmi, 小米本 a
// Xiaomi Book — and 小米分期, a partner, stays the partner.
func TestAPlanNamedByItsChineseBrand(t *testing.T) {
	_, c := faqSession(t, 640)
	c.send("提前还款 红米")
	c.expect("提前结清报价</b>：Redmi K70")
	c.send("返回")
	c.send("/repay")
	c.send("小米本那个")
	c.expect("提前结清报价</b>：Xiaomi Book")
	c.send("返回")
	c.send("/repay")
	c.send("小米分期那个") // the phone's partner
	c.expect("提前结清报价</b>：Redmi K70")
}

// TestTheNextBillAfterAPaymentSaysThePaidOne: a bill's "还这期" tapped again
// after paying it quoted the next period, weeks before its due date,
// without a word (a probe). The quote says which period was just paid;
// a bill due now, or a payment longer ago, says nothing of it.
func TestTheNextBillAfterAPaymentSaysThePaidOne(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(640, "zh")
	c.identify(phoneZhang)
	c.send("/pay")
	c.press("Redmi K70")
	c.expect("第 6 期已逾期")
	c.reject("已在")
	c.press("确认还款")
	c.expect("还款成功")
	c.send("/pay")
	c.press("Redmi K70")
	c.expect("「Redmi K70」第 6 期已在 今天 10:00 还清。下面是下一期的账单", "第 7 期（还款日 2026年12月15日）")
	c.send("返回")
	h.advance(31 * time.Minute)
	c.send("/pay")
	c.press("Redmi K70")
	c.expect("第 7 期（还款日 2026年12月15日）")
	c.reject("已在")
}

// TestAQuoteOfNothingIsNothingToPay: a core may answer a bill whose every
// due period a booking is debiting with a quote of nothing, those periods
// left out, rather than 409 nothing_to_pay — both read the contract. It
// was told "the quote's amount is wrong, try again or a person" (a core
// probe); it is nothing to pay, the debit under way said.
func TestAQuoteOfNothingIsNothingToPay(t *testing.T) {
	data := fixture()
	c3 := customerIn(t, data, "C3")
	c3.Scheduled = append(c3.Scheduled, supportbot.ScheduledRepayment{ID: "S8", CustomerID: "C3", PlanID: "P4", Period: 2,
		Amount: 10000, CardID: "K8", RunAt: start.Add(-time.Hour), Status: supportbot.ScheduledProcessing})
	h := newHarness(t, data)
	h.hooks.set(func(k *hooks) {
		k.quote = func(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
			return &supportbot.Quote{ID: "QZERO", CustomerID: r.CustomerID, PlanID: r.PlanID, Kind: r.Kind, Excluded: []int{2},
				ExpiresAt: start.Add(15 * time.Minute)}, nil
		}
	})
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/pay")
	c.expect("正在扣款中")
	c.reject("报价金额有误", "确认还款")
	// Leaving out a period no booking debits, a quote of nothing is wrong.
	h.hooks.set(func(k *hooks) {
		k.quote = func(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
			return &supportbot.Quote{ID: "QZERO2", CustomerID: r.CustomerID, PlanID: r.PlanID, Kind: r.Kind, Excluded: []int{2, 3},
				ExpiresAt: h.clock().Add(15 * time.Minute)}, nil
		}
	})
	c.send("/pay")
	c.expect("报价金额有误")
}

// TestAWalletNamedIsToldTheCardPays: "我要用微信还这期" got a card's quote
// without a word of WeChat (a probe): the quote says a bound card pays
// here, and where a wallet does.
func TestAWalletNamedIsToldTheCardPays(t *testing.T) {
	_, c := faqSession(t, 640)
	c.send("我要用微信还这期") // the list of plans, said above it
	c.expect("要还哪一笔分期的账单", "只能用已绑定的银行卡", "合作机构的还款页面")
	c.send("返回")
	c.send("/pay")
	c.reject("只能用已绑定的银行卡")
}

// TestOwnPayoffAskedInEnglishIsItsQuote: "how much to pay off my pad" got an
// unsure reply and "what's my payoff amount" the formula, where "我提前还清
// 要多少钱" got the quote (a probe). The customer's own payoff asked is its
// quote (or the plans to choose from); nothing is paid without a confirm;
// how it is worked out stays the formula.
func TestOwnPayoffAskedInEnglishIsItsQuote(t *testing.T) {
	h, c := faqSession(t, 632)
	c.send("/lang en")
	c.send("how much to pay off the laptop")
	c.expect("Payoff quote</b>: Xiaomi Book")
	c.send("back")
	for _, q := range []string{"what's my payoff amount", "early payoff how much", "payoff amount?", "how much is early payoff"} { // a probe: the formula, or unsure
		c.send(q)
		c.expect("Which plan do you want to pay off")
		c.send("back")
	}
	for _, q := range []string{"两个都提前还清要多少"} { // both asked: the list, one at a time (a probe: unsure)
		c.send(q)
		c.expect("Which plan do you want to pay off")
		c.send("back")
	}
	c.send("what is payoff amount") // what it is: the formula
	c.reject("Which plan do you want to pay off")
	c.send("How do you work out my payoff amount")
	c.reject("Payoff quote", "Which plan do you want to pay off")
	c.send("/lang zh")
	c.send("提前还款要多少") // in Chinese without a 我 (an audit: the formula)
	c.expect("要提前结清哪一笔分期")
	c.send("返回")
	c.send("我要提前全还") // 提前全还 is a payoff's words (a probe: unsure after the closure's check)
	c.expect("要提前结清哪一笔分期")
	c.send("返回")
	c.send("提前还款要多少手续费") // the fee: its answer
	c.reject("要提前结清哪一笔分期")
	for _, q := range []string{"下个月提前还清要多少钱", "i want to pay off the laptop next month instead, how much will it be"} {
		c.send(q) // later: today's quote is not that (an audit got today's, one tap from paying)
		c.expect("提前结清的报价按今天算")
		c.reject("提前结清报价</b>", "要提前结清哪一笔分期")
	}
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestSeveralOverduePeriodsArePaidTogetherSaidSo: a bill of three overdue
// periods was quoted whole without a word, "只还第4期" at it was told to
// confirm all three, and the payoff's hint promised "that period alone"
// (two audits). The bill's quote says its periods are paid together, one
// asked alone is told so, and the hint counts them.
func TestSeveralOverduePeriodsArePaidTogetherSaidSo(t *testing.T) {
	data := fixture()
	k70 := &customerIn(t, data, "C1").Plans[0]
	k70.Bills[4].Status, k70.Bills[4].LateFee = supportbot.BillUnpaid, 1800 // period 5, due Oct 15: overdue too
	h := newHarness(t, data)
	h.realFAQ()
	h.open()
	c := h.chat(844, "zh")
	c.identify(phoneZhang)
	c.send("/pay")
	c.press("Redmi K70")
	c.expect("第 5 期已逾期", "第 6 期已逾期", "这张账单的 2 期要一起还")
	for _, q := range []string{"只还第5期", "能不能只还一期", "only pay period 5"} { // "only pay period 3" (a probe: how to confirm them all)
		c.send(q)
		c.expect("这张账单的 2 期要一起还", "还没有扣款")
	}
	c.send("/repay")
	c.press("Redmi K70")
	c.expect("只还逾期的 2 期")
	c.reject("只还逾期那期")
	if n := len(h.repayments("C1")); n != 0 {
		t.Fatalf("%d repayments, want none", n)
	}
}

// TestABandOrBudsNamedIsThatPlan: "pay the band" got the financing
// partners (band was repaired to bank), "and the band?" the same (an
// audit). A band or buds names the plan of that kind.
func TestABandOrBudsNamedIsThatPlan(t *testing.T) {
	h := newHarness(t, payFixture())
	h.realFAQ()
	h.open()
	c := h.chat(845, "en")
	c.identify(phoneSun) // Xiaomi Band, P8
	c.send("pay off the band")
	c.expect("You have no bank card bound for repayment yet") // the payoff asked, of the band: this customer has no card
	c.send("/menu")
	c.send("pay the band")
	c.reject("financing partners of your plans")
	c.send("/menu")
	c.send("and the band?")
	c.reject("financing partners of your plans")
}

// TestWhetherPaidAfterABookingRanSaysIt: "did today's payment go through?"
// after a booking took the money that morning was told no recent repayment
// was found (an audit). A booking done in the last days says it.
func TestWhetherPaidAfterABookingRanSaysIt(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Scheduled = append(zhang.Scheduled, supportbot.ScheduledRepayment{ID: "S8", CustomerID: "C1", PlanID: "P1", Period: 5, Amount: 24992,
		CardID: "K1", RunAt: time.Date(2026, 11, 21, 8, 0, 0, 0, shanghai), Status: supportbot.ScheduledDone})
	zhang.Scheduled = slices.DeleteFunc(zhang.Scheduled, func(r supportbot.ScheduledRepayment) bool {
		return r.RunAt.Day() == 21 && r.Status != supportbot.ScheduledDone
	})
	h := newHarness(t, data)
	h.realFAQ()
	h.open()
	c := h.chat(846, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	for _, q := range []string{"did today's payment go through?", "what got charged today"} { // the latter: the payoff's menu (an audit)
		c.send(q)
		c.expect("period 5 of \"Redmi K70\"", "was debited today at 08:00")
		c.reject("I find no recent repayment")
	}
}

// TestAModelNamedInChineseIsThatPlan: "不对 是小米15" at another phone's
// quote was read as the amount doubted, the quote kept — and a 确认 after it
// paid the phone not meant (an audit). 小米 with a model number names that
// Xiaomi: its quote.
func TestAModelNamedInChineseIsThatPlan(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Product = "Xiaomi 15 12GB+256GB" // beside the Redmi K70
	h := newHarness(t, data)
	h.realFAQ()
	h.open()
	c := h.chat(847, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	c.press("Redmi K70")
	c.send("不对 是小米15")
	c.expect("提前结清报价</b>：Xiaomi 15 12GB+256GB")
	c.reject("如果你仍认为金额不对")
	c.send("确认")
	if r := h.repayments("C1"); len(r) != 1 || r[0].PlanID != "P2" {
		t.Errorf("repayments %+v, want one of the Xiaomi 15 (P2)", r)
	}
}

// TestWhetherOwedAfterADay: "12月20号之后还要还吗", the last period due that
// day, got "要还的" (an audit): after a day named, the periods still due
// after it, or none.
func TestWhetherOwedAfterADay(t *testing.T) {
	h := newHarness(t, payFixture())
	h.realFAQ()
	h.open()
	c := h.chat(850, "zh")
	c.identify(phoneSun) // Xiaomi Band: periods due 2026-12-05 and 2027-01-05
	c.send("/lang zh")
	c.send("1月5号以后还要还吗")
	c.expect("之后就没有要还的了", "你最后一期在 2027年1月5日 到期")
	c.reject("要还的。")
	c.send("12月5号以后还要还吗")
	c.expect("之后还有 1 期要还")
}

// TestTwoPlansOfOneNameAreToldApartAtAQuote: two "Xiaomi 15" plans, and
// "不对 是新的那台" at one's quote was read as its amount doubted — a 确认
// after it paid the plan refused (an audit). A correction tells them apart
// by being newer or older, its order number's end, or its next bill's day.
func TestTwoPlansOfOneNameAreToldApartAtAQuote(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Product = "Redmi K70"
	_, c := session(t, data, phoneZhang, "/repay")
	c.press("1. Redmi K70")
	c.expect("订单号 <code>5241015123456</code>")
	for _, step := range []struct{ said, order string }{
		{"不对 是新的那台", "5241015999999"}, {"no, the older one", "5241015123456"}, {"不对 是订单尾号9999的", "5241015999999"},
	} {
		c.send(step.said)
		c.expect("提前结清报价</b>：Redmi K70（订单号 <code>"+step.order+"</code>）", "这份报价替换了之前")
		c.reject("报价的明细如下", "这次不还款")
	}
	c.send("/pay")
	c.press("1. Redmi K70")
	c.send("不对 是21号那台") // the newer one's period 3, due today, its booking debiting within the hour
	c.expect("「Redmi K70」第 3 期的预约还款将在 今天 11:00 扣款")
	c.send("不对 用新的卡") // a card, not a plan
	c.reject("订单号 <code>5241015123456</code>")
}

// TestAPowerBankIsNotTheCharger: "充电宝提前结清" quoted and paid the
// charger (小米120W氮化镓充电器: 充电 was read as words of its name), and
// "pay my phone" from a customer with no phone quoted a Xiaomi Smart
// Display (a brand alone was read as a phone) — audits. A kind's word no
// plan's name has is the kind's; a brand shows a phone only with a
// model's number.
func TestAPowerBankIsNotTheCharger(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans[0].Product, zhang.Plans[1].Product = "小米120W氮化镓充电器", "小米移动电源 20000mAh"
	_, c := faqSessionOn(t, data, 670, phoneZhang)
	c.send("充电宝提前结清")
	c.expect("提前结清报价</b>：小米移动电源 20000mAh")
	c.reject("充电器")
	c.send("返回")
	c.send("/pay")
	c.send("充电宝")
	c.expect("小米移动电源 20000mAh")
	c.reject("小米120W氮化镓充电器（订单号")
	c.send("返回")
	c.send("还充电宝") // its bill, not the repair desk (an audit: a rented power bank given back)
	c.expect("「小米移动电源 20000mAh」第 3 期的预约还款")

	data = fixture()
	zhang = customerIn(t, data, "C1")
	zhang.Plans[0].Product, zhang.Plans[1].Product = "Xiaomi Book Air 13", "Xiaomi Smart Display 10"
	_, c = faqSessionOn(t, data, 671, phoneZhang)
	c.send("pay my phone")
	c.expect("你的分期里没有「phone」")
	c.reject("合计应付")
	c.send("返回")
	c.send("pay the smart display") // its period 3, due today, being debited by its booking
	c.expect("「Xiaomi Smart Display 10」第 3 期的预约还款将在 今天 11:00 扣款")
}

// TestPayingAPlanWhoseNameEndsInANumberIsItsBill: "pay the tv max 100",
// "pay the mi band 9" got the plan's payoff quote (an English probe: a
// confirm paid ¥14,590.95 for a bill of ¥848.29) — a number ending the
// name leaned the reading to the payoff. Paying a plan is its bill unless
// paying it off is said.
func TestPayingAPlanWhoseNameEndsInANumberIsItsBill(t *testing.T) {
	for _, tt := range []struct{ product, ask string }{
		{"Xiaomi TV Max 100", "pay the tv max 100"},
		{"Xiaomi Smart Band 9", "pay the mi band 9"},
		{"Xiaomi Smart Band 9 Pro", "pay the smart band 9 pro"},
	} {
		data := fixture()
		customerIn(t, data, "C1").Plans[0].Product = tt.product
		_, c := faqSessionOn(t, data, 672, phoneZhang)
		c.send(tt.ask)
		c.expect("逾期账单", "¥261.92")
		c.reject("提前结清报价")
		c.send("返回")
		c.send(tt.ask + " off")
		c.expect("提前结清报价")
	}
}

// TestThePhoneBillIsThePhonesBill: "pay the phone bill" from a customer
// paying a phone here got "other banks' loans are not handled here" (an
// English probe: a carrier's phone bill). It is the phone's bill; without
// a phone plan it keeps that answer.
func TestThePhoneBillIsThePhonesBill(t *testing.T) {
	for _, ask := range []string{"pay the phone bill", "pay my redmi phone bill", "pay my phone bill with cmb", "pay my phone bill with my cmb card ending 6789",
		"pay the phone's bill", "pay phone bill using cmb 6789"} {
		_, c := faqSession(t, 679)
		c.send("/lang en")
		c.send(ask)
		c.expect("Overdue bill</b>: Redmi K70", "¥261.92", "China Merchants Bank **** 6789") // a bank of theirs named: the card's (a probe: another lender's)
		c.reject("not handled here")
	}
	_, c := faqSessionOn(t, fixture(), 679, phoneWang) // a watch only
	c.send("pay the phone bill")
	c.reject("合计应付")
}

// TestABillDueTodayIsPayableWhileTheOverdueOneIsDebited: period 6 overdue,
// its booking being debited, period 7 due today with no booking — /pay got
// "nothing to pay again" and the period due today could not be paid (an
// English probe). The bill asks for that period by name, says the overdue
// one is being debited, and pays it once.
func TestABillDueTodayIsPayableWhileTheOverdueOneIsDebited(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans[0].Bills[6].DueDate = supportbot.DateOf(start, shanghai)
	zhang.Scheduled = []supportbot.ScheduledRepayment{{ID: "S3", CustomerID: "C1", PlanID: "P1", Period: 6, Amount: 26192, CardID: "K1",
		RunAt: start.Add(-30 * time.Minute), Status: supportbot.ScheduledProcessing}}
	h, c := faqSessionOn(t, data, 680, phoneZhang)
	c.send("/pay")
	c.press("Redmi K70")
	c.expect("第 7 期（还款日 今天）", "第 6 期的预约还款正在扣款中", "合计应付：<b>¥249.92</b>")
	c.reject("无需再还", "不用再还")
	c.send("确认")
	c.expect("还款成功")
	if r := h.paid("C1"); r.PlanID != "P1" || !slices.Equal(r.Periods, []int{7}) {
		t.Errorf("paid %+v, want period 7 of P1", r)
	}
	if got := h.unpaid("C1", "P1"); !slices.Contains(got, 6) || slices.Contains(got, 7) {
		t.Errorf("unpaid periods %v, want 6 (being debited) and not 7", got)
	}
	// The overdue one asked for by name is the one being debited: nothing
	// to pay again — not the period due today in its place (a replay).
	_, c = faqSessionOn(t, data, 681, phoneZhang)
	c.send("还逾期的那期")
	c.expect("正在")
	c.reject("第 7 期（还款日 今天）", "确认还款")
}

// TestAPayoffAskedAtABillsQuoteIsThePayoff: at the earbuds' bill, "actually
// pay them off", "no i want to pay off the earbuds completely" were told to
// confirm the bill, and a confirm paid ¥116.50 (an English probe). The
// plan's payoff quote; "ok i fully agree" is no payoff.
func TestAPayoffAskedAtABillsQuoteIsThePayoff(t *testing.T) {
	for _, said := range []string{"actually pay them off", "no i want to pay off the phone completely", "pay the rest"} {
		_, c := faqSession(t, 681)
		c.send("/lang en")
		c.send("pay the phone")
		c.expect("Overdue bill</b>: Redmi K70")
		c.send(said)
		c.expect("Payoff quote</b>: Redmi K70")
		c.reject("To pay <b>¥261.92</b>")
	}
	_, c := faqSession(t, 682)
	c.send("/lang en")
	c.send("pay the phone")
	c.send("ok i fully agree")
	c.reject("Payoff quote")
}

// TestTheOverdueOneAndAnotherAreTheList: "pay all overdue and the buds" got
// the buds' quote alone, the overdue phone dropped without a word (an
// English probe). Two plans' bills: the list, one at a time.
func TestTheOverdueOneAndAnotherAreTheList(t *testing.T) {
	for _, ask := range []string{"pay all overdue and the laptop", "pay the overdue one and the laptop"} {
		_, c := faqSession(t, 683)
		c.send("/lang en")
		c.send(ask)
		c.expect("Which plan's bill do you want to pay?", "One at a time")
		c.reject("Total to pay")
	}
}

// TestTwoOfANameAreToldApartAtTheList: two "Xiaomi Smart Band 9" plans —
// "pay the band" was unsure, the list showed them the same, and the order
// end the bot asked for, "0013", got "can't answer" (an English probe).
// The list opens, each with its order's end, and that end picks it.
func TestTwoOfANameAreToldApartAtTheList(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans[1].Product = zhang.Plans[0].Product // two Redmi K70, orders …3456 and …9999
	for _, tt := range []struct{ ask, flow string }{{"pay the phone", "Overdue bill"}, {"pay off the phone", "Payoff quote"}} {
		_, c := faqSessionOn(t, data, 684, phoneZhang)
		c.send("/lang en")
		c.send(tt.ask)
		c.expect("1. Redmi K70 (…3456)", "2. Redmi K70 (…9999)")
		c.send("3456")
		c.expect(tt.flow + "</b>: Redmi K70 (order <code>5241015123456</code>)")
	}
}

// TestAModelNamedIsThatModelOrNone: "pay off the note" was unsure, and "pay
// the 15 pro" quoted the Redmi Note 13 Pro — "pro" its one word in common
// (an English probe). A word of a name with "pay off" is that plan's
// payoff; a model's number no plan has names none of them.
func TestAModelNamedIsThatModelOrNone(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Product = "Redmi Note 13 Pro 5G"
	_, c := faqSessionOn(t, data, 685, phoneZhang)
	c.send("/lang en")
	c.send("pay off the note")
	c.expect("Payoff quote</b>: Redmi Note 13 Pro 5G")
	c.send("back")
	for _, ask := range []string{"pay the 15 pro", "pay the xiaomi 14"} {
		c.send(ask)
		c.reject("Redmi Note 13 Pro 5G (order", "Xiaomi Book (order")
	}
}

// TestACardNamedWithAPlanByItsSizeIsTheQuotes: "65寸 提前结清 用平安卡"
// quoted the TV's payoff on the default card, the 平安 card asked for
// left unsaid (a replay). The quote is on the card named.
func TestACardNamedWithAPlanByItsSizeIsTheQuotes(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans[1].Product = "小米电视 S Pro 65 2025款"
	zhang.Scheduled = nil
	zhang.Cards = append(zhang.Cards, supportbot.Card{ID: "K3", Bank: "平安银行", Last4: "2626"})
	_, c := faqSessionOn(t, data, 687, phoneZhang)
	c.send("65寸 提前结清 用平安卡")
	c.expect("提前结清报价</b>：小米电视 S Pro 65 2025款", "扣款卡：平安银行 **** 2626")
}

// TestAPlanPaidOffIsNotAnotherOfItsKind: with the Xiaomi Watch S4 paid off
// and a band still open, "pay the xiaomi watch s4" got the band's payoff
// quote and "is my watch paid off" the band's "3 of 6 periods paid" (an
// English probe). A plan paid off named by the words of its product is
// that plan: said to be paid off, nothing quoted.
func TestAPlanPaidOffIsNotAnotherOfItsKind(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans[0].Product = "Xiaomi Smart Band 9 Pro"
	zhang.Plans = append(zhang.Plans, supportbot.Plan{ID: "P6", CustomerID: "C1", OrderNo: "5241015777777", Product: "Xiaomi Watch S4",
		Partner: "小米分期", Principal: 60000, Periods: 6, Bills: monthly("P6", "2026-01-10", 6, 10000, 10000, 0, 6)})
	for _, ask := range []string{"pay the xiaomi watch s4", "pay off my watch", "is my watch paid off", "is my xiaomi watch s4 paid off", "小米Watch S4还完了吗"} {
		_, c := faqSessionOn(t, data, 673, phoneZhang)
		c.send(ask)
		c.expect("「Xiaomi Watch S4」已经全部结清")
		c.reject("Xiaomi Smart Band 9 Pro", "确认还款")
	}
	_, c := faqSessionOn(t, data, 674, phoneZhang)
	c.send("pay the band")
	c.expect("逾期账单</b>：Xiaomi Smart Band 9 Pro")
}

// TestAPlanPaidOffNamedByItsKindIsThatPlan: with the laptop paid off and
// the phone open, "还笔记本这期" got "你的分期里没有「笔记本」", "笔记本还剩几
// 期" the phone's schedule and "笔记本还欠多少" the phone's bill as if it
// were the laptop's (a walk). The one plan of the kind named is that plan,
// paid off: said so, nothing quoted, its own schedule.
func TestAPlanPaidOffNamedByItsKindIsThatPlan(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	for i := range zhang.Plans[1].Bills {
		zhang.Plans[1].Bills[i].Status = supportbot.BillPaid
	}
	zhang.Scheduled = slices.DeleteFunc(zhang.Scheduled, func(b supportbot.ScheduledRepayment) bool { return b.PlanID == "P2" })
	for _, ask := range []string{"还笔记本这期", "提前还笔记本", "pay off my laptop"} {
		_, c := faqSessionOn(t, data, 675, phoneZhang)
		c.send(ask)
		c.expect("「Xiaomi Book」已经全部结清")
		c.reject("你的分期里没有", "Redmi K70", "确认还款")
	}
	_, c := faqSessionOn(t, data, 676, phoneZhang)
	c.send("笔记本还剩几期")
	c.expect("<b>Xiaomi Book</b>（订单号", "剩余待还 ¥0.00")
	c.reject("Redmi K70", "  待还")
	for _, ask := range []string{"笔记本还欠多少", "笔记本的账单"} {
		c.send(ask)
		c.expect("「Xiaomi Book」已经全部结清", "Redmi K70")
	}
	c.send("手机还剩几期") // the phone's own, open
	c.expect("<b>Redmi K70</b>（订单号")
	// Whether it is overdue: no, of the laptop, the phone's overdue period
	// another plan's (a probe: "是的，你有逾期未还的账单" above the laptop
	// paid off).
	for _, ask := range []string{"笔记本逾期了吗", "笔记本还逾期吗", "笔记本那个逾期了吗"} { // the last: unsure (a probe)
		c.send(ask)
		c.expect("✅ 没有，「Xiaomi Book」已经全部结清，不存在逾期。\n⚠️ 不过你的其他分期有逾期未还的账单", "第 6 期已逾期")
		c.reject("是的，你有逾期未还的账单")
	}
}

// TestAPlanJustPaidOffAskedIsThatPayment: "笔记本还完了吗" just after the
// laptop's payoff told the payment and then the phone's booking being
// debited, as if that were the laptop's too (a walk).
func TestAPlanJustPaidOffAskedIsThatPayment(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Scheduled[0].RunAt = start.Add(90 * time.Minute) // the phone's booking runs soon,
	zhang.Scheduled[1].RunAt = start.Add(72 * time.Hour)   // the laptop's not: the payoff cancels it
	h, c := faqSessionOn(t, data, 677, phoneZhang)
	c.send("提前还笔记本")
	c.press("确认还款")
	c.expect("提前还款成功")
	c.send("笔记本还完了吗")
	c.expect("已经扣款成功", h.paid("C1").ID)
	c.reject("Redmi K70")
	c.send("还完了吗") // no plan named: what is being debited too
	c.expect("已经扣款成功", "Redmi K70")
}

// TestAPlansWholeNameAtTheListIsThatPlan: "小米电视 S Pro 65 2025款" typed at
// the list quoted — and a 确认 paid — the Redmi Note 14 Pro+ 5G (an
// audit): "pro" is a word of both names, and 小米 was read as the partner
// 小米分期 that finances the phone. A name typed whole is its plan.
func TestAPlansWholeNameAtTheListIsThatPlan(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans[0].Product, zhang.Plans[1].Product = "Redmi Note 14 Pro+ 5G", "小米电视 S Pro 65 2025款"
	zhang.Scheduled = nil
	for _, flow := range []string{"/pay", "/repay"} {
		_, c := faqSessionOn(t, data, 675, phoneZhang)
		c.send(flow)
		c.send("小米电视 S Pro 65 2025款")
		c.expect("：小米电视 S Pro 65 2025款（订单号")
		c.reject("Redmi Note 14 Pro+ 5G（订单号")
	}
}

// TestACorrectionByWhatSetsAPlanApartIsThatPlan: at one plan's quote, "不对
// 是65寸的", "不对 我说的是今天到期那个", "不对 我要还逾期的", "no, the
// overdue one" were read as the amount doubted or a no, and a 确认 after
// them paid the plan refused; "还是先还逾期的吧" at another's payoff quoted
// that plan's bill, not the overdue one's (an audit). The plan told apart
// by its size, when it falls due or being overdue is quoted.
func TestACorrectionByWhatSetsAPlanApartIsThatPlan(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Plans[0].Product, zhang.Plans[1].Product = "Redmi Note 14 Pro+ 5G", "小米电视 S Pro 65 2025款"
	zhang.Scheduled = nil
	const phone, tv = "逾期账单</b>：Redmi Note 14 Pro+ 5G", "本期账单</b>：小米电视 S Pro 65 2025款"
	for _, tt := range []struct {
		steps []string
		want  string
	}{
		{[]string{"/pay", "1", "不对 是65寸的"}, tv},
		{[]string{"/pay", "1", "不对 我说的是今天到期那个"}, tv},
		{[]string{"/pay", "2", "不对 我要还逾期的"}, phone},
		{[]string{"/pay", "2", "no, the overdue one"}, phone},
		{[]string{"/repay", "2", "还是先还逾期的吧"}, phone},
		{[]string{"/repay", "2", "只还逾期的"}, phone},
	} {
		_, c := faqSessionOn(t, data, 676, phoneZhang)
		for _, m := range tt.steps {
			c.send(m)
		}
		c.expect(tt.want)
		c.reject("如果你仍认为金额不对", "这次不还款")
	}
}

// TestSeveralPeriodsAheadAreNotPaidAtOnce: "i want to prepay 3 emis" got
// the whole plan's payoff quote one tap away, "prepay 2 months on the pad"
// the pad's payoff, "提前还3期" unsure (audits). Several periods ahead are
// said not to be paid at once here, with a bill and a payoff a tap each —
// of the plan named; periods owed, or how many are left, are not that.
func TestSeveralPeriodsAheadAreNotPaidAtOnce(t *testing.T) {
	for _, ask := range []string{"i want to prepay 3 emis", "提前还3期", "我想提前还两期", "prepay 2 months on the laptop pls", "pay 3 periods of the xiaomi book now",
		"笔记本还有27期 我想先还12期", "prepay 12 months"} { // two digits too (an audit: one period quoted, unsaid)
		_, c := faqSession(t, 680)
		c.send(ask)
		c.expect("这里不能一次预先还好几期", "[🧾 还这期]", "[💰 提前还款]")
		c.reject("合计应付", "要提前结清哪一笔分期")
	}
	_, c := faqSession(t, 681)
	c.send("prepay 2 months on the xiaomi book pls")
	c.press("💰 提前还款")
	c.expect("提前结清报价</b>：Xiaomi Book")
	for _, ask := range []string{"还3期就还完了", "pay my 3 overdue installments"} {
		c.send(ask)
		c.reject("这里不能一次预先还好几期")
	}
	c.send("/pay")
	c.press("Redmi K70")
	c.send("pay 2 periods") // at a bill's quote: not several at once, the quote waiting (an audit: how to confirm the one)
	c.expect("这里不能一次预先还好几期", "还没有扣款")
}

// TestACardRefusedThenOneNamedIsThatOne: "not hsbc, china merchants" at a
// quote got "you have no China Merchants Bank card" and a confirm paid
// from HSBC; "use the sc card" (a frozen Standard Chartered) put the card
// list in the quote's place, and a yes after it changed the default card
// (an audit). The card after a refusal is the one meant; Standard
// Chartered is a bank the bot knows; a card in words it cannot place is
// asked which, the quote staying.
func TestACardRefusedThenOneNamedIsThatOne(t *testing.T) {
	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Cards = []supportbot.Card{{ID: "K1", Bank: "HSBC China", Last4: "2210", Default: true},
		{ID: "K2", Bank: "Standard Chartered China", Last4: "0093", Frozen: true}, {ID: "K3", Bank: "China Merchants Bank", Last4: "5567"}}
	_, c := session(t, data, phoneZhang, "/pay")
	c.press("Redmi K70")
	c.expect("**** 2210")
	c.send("not hsbc, china merchants")
	c.expect("合计应付", "**** 5567")
	c.reject("你没有")
	c.send("use the sc card")
	c.expect("**** 0093", "冻结")
	c.reject("设为默认")
	c.send("use the visa card")
	c.expect("哪张卡", "**** 5567")
	c.reject("合计应付", "设为默认")
}

// TestAtTheListTwoPlansOfOneNameAreToldApart: /pay then "小米15" with two
// Xiaomi 15 plans got the mall's products desk, the list gone (an audit).
// A name several plans share asks which, by the order's end; newer or
// older, or a day, picks one.
func TestAtTheListTwoPlansOfOneNameAreToldApart(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Product = "Redmi K70"
	_, c := faqSessionOn(t, data, 693, phoneZhang)
	c.send("/repay")
	c.send("k70")
	c.expect("这几笔分期是同一个商品", "3456、9999")
	c.reject("小米商城")
	c.send("新的那台")
	c.expect("提前结清报价</b>：Redmi K70（订单号 <code>5241015999999</code>）")
	c.send("/pay")
	c.send("will autopay also take it on the 15th?") // a question at the list, not a pick by its day (a regression run)
	c.reject("合计应付")
}

// TestASumQuestionedAtAQuoteIsItsParts: "why is it 392.25 when the laptop
// is 383.25 a month" at the laptop's bill got the orders desk (an audit):
// longer than most quote questions, with sums to the fen, it asks what the
// quote is made of.
func TestASumQuestionedAtAQuoteIsItsParts(t *testing.T) {
	_, c := faqSession(t, 696)
	c.send("/pay")
	c.press("Redmi K70")
	c.send("why is it 261.92 when the phone is 249.92 a month")
	c.expect("报价的明细如下", "滞纳金 ¥12.00", "还没有扣款")
}

// TestSeveralBillsAskedWithTheirTotal: "帮我把耳机 充电器 充电宝这期都还了 一共
// 多少" got the payoff's list, no total (an audit). The bills' list, one at
// a time, and what the bills named come to as the list shows them.
func TestSeveralBillsAskedWithTheirTotal(t *testing.T) {
	_, c := faqSession(t, 699)
	c.send("帮我把手机和笔记本这期都还了 一共多少")
	c.expect("要还哪一笔分期的账单", "一次还一笔", "你说的这几笔，现在要还的本期合计 <b>¥261.92</b>")
	c.reject("要提前结清哪一笔分期")
	c.send("返回")
	c.send("pay all of them") // none named: the list, one at a time (a regression run: "can't answer")
	c.expect("要还哪一笔分期的账单", "一次还一笔")
	c.send("the phone first")
	c.expect("Redmi K70", "合计应付")
}

// TestAllBillsAskedAreTheListSaidOnce: "所有账单都帮我还了", "两个都帮我还了吧"
// and "把手机和笔记本都帮我还了" got unsure, "帮我把所有账单都还了" and "把账单全部
// 还了" the payoffs' list, and two plans named got "one at a time" twice
// under the list (a replay). The bills' list, said once; what was done
// ("所有账单都还了", "两个都还了") is no request. "手机和手表这期都还了"
// got the payoffs' list, and its "1" paid a whole plan off (a probe).
func TestAllBillsAskedAreTheListSaidOnce(t *testing.T) {
	_, c := faqSession(t, 1010)
	for _, ask := range []string{"所有账单都帮我还了", "两个都帮我还了吧", "帮我把所有账单都还了", "把账单全部还了", "把手机和笔记本都帮我还了",
		"帮我把手机和笔记本这期都还了", "pay the phone and the laptop",
		"手机和笔记本这期都还了", "手机和笔记本这期都还一下"} { // this period named: bills, never the payoffs' list (a probe paid one off)
		c.send(ask)
		c.expect("要还哪一笔分期的账单")
		c.reject("要提前结清哪一笔分期")
		if n := strings.Count(c.text(), "一次还一笔"); n != 1 {
			t.Errorf("%q: one at a time said %d times, want once:\n%s", ask, n, c.text())
		}
		c.send("返回")
	}
	for _, said := range []string{"所有账单都还了", "两个都还了"} {
		c.send(said)
		c.reject("要还哪一笔分期的账单", "合计应付")
	}
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Bills[1].Status = supportbot.BillUnpaid // the Xiaomi Book's period 2 overdue too
	// The overdue ones (a probe: unsure).
	for i, ask := range []string{"把逾期的两笔都还了", "逾期的两笔都还了吧", "手机和笔记本逾期的都还了", // the last: the payoffs' list, and its "1" paid one off (a probe)
		"帮我把所有逾期的还了", "pay all the overdue ones", // a probe: unsure
		"把逾期的两笔都还了吧 一起还", "这个月的两笔都帮我还了吧"} { // a probe: unsure
		_, c := faqSessionOn(t, data, int64(1105+i), phoneZhang)
		c.send(ask)
		c.expect("要还哪一笔分期的账单", "一次还一笔")
		c.reject("我不太确定")
	}
}

// TestAPayoffAskedInOtherWordsIsItsQuote: "笔记本那个帮我结了", "笔记本那个帮我全款
// 还了" got unsure (a replay; the FAQ leans to turning installments off):
// the laptop's payoff, to confirm as any. Handing something in (交) is not
// paying it.
func TestAPayoffAskedInOtherWordsIsItsQuote(t *testing.T) {
	for i, ask := range []string{"笔记本那个帮我结了", "笔记本那个帮我全款还了", "帮我把笔记本结掉"} {
		_, c := faqSession(t, int64(1011+i))
		c.send(ask)
		c.expect("提前结清报价", "Xiaomi Book")
		c.send("帮我交一下笔记本的发票")
		c.reject("提前结清报价", "合计应付")
	}
}

// TestAPaymentForLaterForWhomOrRefusedIsNoQuote: "平板那个晚点帮我还了",
// "手机那个谁帮我还了" were quoted once a request to pay a named plan was
// read whatever the FAQ leaned to, and "晚点帮我还这期", "这期谁帮我还了",
// "笔记本那个不要帮我还" before it (a replay, a probe: a 确认 paid each).
// Later, a question of who, a no, or what was done is no quote; paid today
// ("发工资了 帮我把逾期的还了") is now.
func TestAPaymentForLaterForWhomOrRefusedIsNoQuote(t *testing.T) {
	_, c := faqSession(t, 1014)
	for _, said := range []string{"手机那个晚点帮我还了", "手机那个发工资以后帮我还", "手机那个谁帮我还了", "手机那个不要帮我还",
		"手机那个你们自动帮我还了", "手机那个待会帮我还"} {
		c.send(said)
		c.reject("合计应付")
	}
	c.send("手机那个帮我还了") // the request itself still quotes
	c.expect("Redmi K70", "合计应付")

	_, w := faqSessionOn(t, fixture(), 1015, phoneWang) // one plan, overdue
	for _, said := range []string{"晚点帮我还这期", "有钱了再帮我把这期还了", "这期谁帮我还了", "逾期的过阵子帮我还"} {
		w.send(said)
		w.reject("合计应付")
	}
	w.send("发工资了 帮我把逾期的还了") // paid today: now (a replay)
	w.expect("合计应付")
	w.send("晚点帮我还这期") // at its quote: later is a no (a walk: how to confirm, and a 确认 paid)
	w.expect("这次不还款")
	w.send("确认")
	w.reject("还款成功", "正在从")
}

// TestWhatIsOwedAskedPlainlyIsItsQuote: "还逾期 用建行卡" and "把欠的钱还了"
// got unsure (a probe): the overdue bill, on the card named.
func TestWhatIsOwedAskedPlainlyIsItsQuote(t *testing.T) {
	_, c := faqSession(t, 1016)
	c.send("还逾期 用招行卡")
	c.expect("Redmi K70", "合计应付", "招商银行 **** 6789")
	_, w := faqSessionOn(t, fixture(), 1017, phoneWang)
	w.send("把欠的钱还了")
	w.expect("Xiaomi Watch", "合计应付")
}

// TestTheRestsPeriodsPaidAreThePayoff: "帮我把剩下的两期一次还了" got "not in
// the guides" (a probe): the payoff, when the periods left are that many;
// otherwise how periods are paid, bill or payoff.
func TestTheRestsPeriodsPaidAreThePayoff(t *testing.T) {
	_, w := faqSessionOn(t, fixture(), 1018, phoneWang) // periods 2 and 3 left
	w.send("帮我把剩下的两期一次还了")
	w.expect("提前结清报价", "Xiaomi Watch")
	w.send("返回")
	w.send("剩下的5期都帮我还了")
	w.expect("不能一次预先还好几期")
	w.reject("合计应付")
}

// TestAtABillsQuoteAFeeQuestionAndAnotherPeriod: at a quote, "为什么要交12块
// 滞纳金" got "payments are whole periods" (its amount read as a part to
// pay), and "顺便把下个月的也还了" only how to confirm, a 确认 paying the one
// period without a word of the other (a probe). The late fee's answer;
// the period asked too said not to be in the quote — the quote waiting.
func TestAtABillsQuoteAFeeQuestionAndAnotherPeriod(t *testing.T) {
	_, c := faqSession(t, 1019)
	c.send("手机那个帮我还了")
	c.expect("合计应付：<b>¥261.92</b>")
	c.send("为什么要交12块滞纳金")
	c.expect("滞纳金")
	c.reject("这里还款都按整期来")
	c.send("贵的那个我下个月也要提前还") // another plan, later: not a period of this one (a replay)
	c.reject("不在这笔里")
	c.send("确认之前我想问下手续费能免吗") // the question after "before I confirm" (a probe: unsure)
	c.expect("提前还款是否收手续费")
	c.reject("不太确定")
	_, w := faqSessionOn(t, fixture(), 1020, phoneWang)
	w.send("我要还款")
	w.expect("第 2 期已逾期", "合计应付")
	w.send("顺便把下个月的也还了")
	w.expect("你说的第 3 期不在这笔里", "回复「确认」")
	w.send("下期也一起还了吧")
	w.expect("你说的第 3 期不在这笔里")
}

// TestTheBillsOfADayArePaidOneAtATime: "12号那几个帮我一起还了" got the
// payoff's list, a pick quoting a whole plan (an audit). The bills' list,
// with which fall due that day and what they come to.
func TestTheBillsOfADayArePaidOneAtATime(t *testing.T) {
	_, c := faqSession(t, 700)
	c.send("15号那几个帮我一起还了")
	c.expect("要还哪一笔分期的账单", "15 号到期的是：「Redmi K70」¥249.92，合计 <b>¥249.92</b>", "一次还一笔")
	c.reject("要提前结清哪一笔分期")
	c.send("返回")
	c.send("把3号到期的都还了")
	c.expect("你没有 3 号到期的账单")
}

// A payment asked at another list is a payment: at the bookings' list
// "还冰箱这期" was taken for that booking's cancellation, at the cards'
// list "用招商的卡还这期" for the card made the default, and at the bills'
// list "pay off the phone due today" quoted the bill (probes: a 确认 away
// each).
func TestAPaymentAskedAtAnotherListIsAPayment(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C3").Scheduled[0].Period = 2 // the period due
	_, w := faqSessionOn(t, data, 730, phoneWang)
	w.send("/cancel_schedule")
	w.expect("Xiaomi Watch 第 2 期")
	for _, words := range []string{"还Watch这期", "那我手动还一下Watch这期"} {
		w.send("/cancel_schedule")
		w.send(words)
		w.expect("逾期账单", "Xiaomi Watch")
		w.reject("要取消这笔预约还款吗")
	}
	w.send("/lang en")
	w.send("/cancel_schedule")
	w.send("pay the watch this month")
	w.expect("Overdue bill", "Xiaomi Watch")
	w.reject("Cancel this scheduled repayment?")

	_, c := faqSession(t, 729)
	c.send("/cards")
	c.send("用招商的卡还这期")
	c.reject("已经是默认卡了", "确认把默认还款卡改为")
	c.send("/lang en")
	c.send("/pay")
	c.send("pay off the phone that is overdue")
	c.expect("Payoff quote", "Redmi K70")
	c.reject("Overdue bill")
}

// With every card frozen the customer still learns what a payment or a
// payoff comes to, with no button to confirm it (a money probe never saw
// the amount, only "bind a card").
func TestEveryCardFrozenStillSaysWhatItComesTo(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Cards[0].Frozen = true
	_, c := faqSessionOn(t, data, 732, phoneZhang)
	c.send("提前还清笔记本")
	c.expect("「Xiaomi Book」今天提前结清要 <b>¥3,045.00</b>", "都已冻结")
	c.reject("确认还款")
	c.send("还K70这期")
	c.expect("「Redmi K70」现在要还 <b>¥261.92</b>", "都已冻结")
}

// A part asked at a quote is told a payment here is whole, the quote
// still waiting (a money probe was only told how to confirm the whole).
func TestAPartAskedAtAQuoteIsToldPaymentsAreWhole(t *testing.T) {
	_, c := faqSession(t, 733)
	c.send("还K70这期")
	c.expect("合计应付：<b>¥261.92</b>")
	for _, part := range []string{"我想先还一部分 500块", "先还100"} {
		c.send(part)
		c.expect("这里还款都按整期来", "要为「Redmi K70」支付 <b>¥261.92</b>")
	}
	c.send("还261.92") // the quote's own amount: how to confirm it
	c.reject("这里还款都按整期来")
}

// A payoff asked with only the late part first is the bill (a probe's
// "pay the laptop early but only the late one first" got the payoff, and a
// 确认 paid the whole plan).
func TestAPayoffWithOnlyTheLatePartFirstIsTheBill(t *testing.T) {
	_, c := faqSession(t, 743)
	c.send("/lang en")
	c.send("pay the phone early but only the late one first")
	c.expect("Overdue bill</b>: Redmi K70", "Total to pay: <b>¥261.92</b>")
	c.reject("Payoff quote")
	c.send("/lang zh")
	c.send("手机提前还清 不过先只还逾期的那期")
	c.expect("逾期账单</b>：Redmi K70")
	c.reject("提前结清报价")
}

// A no that leads the plan's other quote is that quote, not a no (a probe:
// "算了 还是提前还清吧" at a bill's quote dropped it, nothing offered).
func TestANoLeadingTheOtherQuoteIsThatQuote(t *testing.T) {
	_, c := faqSession(t, 745)
	for _, words := range []string{"算了 还是提前还清吧", "不了 直接结清"} {
		c.send("还K70这期")
		c.expect("逾期账单</b>：Redmi K70")
		c.send(words)
		c.expect("提前结清报价</b>：Redmi K70")
		c.reject("这次不还款")
	}
	c.send("算了") // a no alone: a no
	c.expect("没有扣款")
}

// A plan's period asked with its whole name, however many model words it
// has, is that plan's bill ("还Redmi Note 14 Pro+ 5G这期": a probe got the
// mall's goods desk, "note" read as "not").
func TestAPeriodAskedByAPlansWholeNameIsItsBill(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Product = "Redmi Note 14 Pro+ 5G"
	_, c := faqSessionOn(t, data, 751, phoneZhang)
	for _, q := range []string{"还Redmi Note 14 Pro+ 5G这期", "还Redmi Note 14这期"} {
		c.send(q)
		c.expect("逾期账单</b>：Redmi Note 14 Pro+ 5G")
		c.send("/menu")
	}
}

// A plan named by its product's whole name with words of its bill is that
// plan's, not the mall's goods: "Redmi Note 14 Pro+ 5G 提前还款" got the
// prices desk once a model's words weighed more (a replay); its price
// alone, or its repair, stays the mall's and the service's.
func TestAPlanNamedInFullIsNotTheMallsGoods(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Product = "Redmi Note 14 Pro+ 5G"
	_, c := faqSessionOn(t, data, 605, phoneZhang)
	c.send("Redmi Note 14 Pro+ 5G 提前还款")
	c.expect("提前结清报价", "Redmi Note 14 Pro+ 5G")
	c.send("算了")
	c.send("Redmi Note 14 Pro+ 5G 这期多少钱")
	c.expect("Redmi Note 14 Pro+ 5G", "还款计划")
	c.send("Redmi Note 14 Pro+ 5G多少钱")
	c.expect("小米商城")
	c.send("我的Redmi Note 14 Pro+ 5G屏幕碎了 还在分期 怎么保修") // the device's, not the plan's (a replay got its schedule)
	c.reject("还款计划")
	c.send("/lang en")
	c.send("pay off the Redmi Note 14 Pro+ 5G")
	c.expect("Payoff quote", "Redmi Note 14 Pro+ 5G")
}

// At a quote, a payment said made already ("等等 我老公已经还了", "i already
// paid it") is told the bill still says unpaid and not to confirm, or it
// is paid twice — not only how to confirm (a replay: a 确认 paid it); a
// question whether it was paid is no such word.
func TestAPaymentSaidMadeAtAQuoteIsWarnedOfPayingTwice(t *testing.T) {
	_, c := faqSession(t, 792)
	c.send("还逾期的")
	c.expect("¥261.92")
	for _, said := range []string{"等等 我老公已经还了", "我昨天已经还了", "等等 我昨天已经在app还了", // told how to confirm alone (a probe)
		"wait i already paid it in the app yesterday", "I paid it already"} { // unsure (an English probe)
		c.send(said)
		c.expect("先别确认", "¥261.92")
	}
	c.send("已经还了吗")
	c.reject("先别确认")
}

// TestTheNextPeriodSaidNotPaidAtABillsQuoteKeepsIt: "下期不用还" at this
// period's quote was taken as a no to the quote (a probe): it pays only
// its own periods, said, the quote waiting for its 确认; this period said
// too ("这期和下期都不还了") is the no.
func TestTheNextPeriodSaidNotPaidAtABillsQuoteKeepsIt(t *testing.T) {
	h, c := faqSession(t, 1029)
	c.send("K70还这期")
	c.expect("逾期账单", "Redmi K70")
	for _, words := range []string{"下期不用还", "下个月的先不还", "下期的以后再说"} {
		c.send(words)
		c.expect("这笔只还第 6 期，之后的各期都不在里面", "还没有扣款")
		c.reject("这次不还款")
	}
	c.send("这期和下期都不还了")
	c.expect("这次不还款")
	c.send("K70还这期")
	c.send("下期不用还")
	c.send("确认")
	c.expect("还款成功")
	if got := h.repayments("C1"); len(got) != 1 || got[0].Amount != 26192 {
		t.Errorf("repayments %+v, want one of ¥261.92", got)
	}
}

// TestAPayoffAskedInsteadAtABillsQuoteIsItsQuote: "不对 我要提前全还" at a
// bill's quote got how to confirm the bill, and the 确认 after it paid the
// period (a probe): 提前全还 is the payoff, quoted in its place.
func TestAPayoffAskedInsteadAtABillsQuoteIsItsQuote(t *testing.T) {
	h, c := faqSessionOn(t, fixture(), 1031, phoneWang)
	c.send("还这期")
	c.expect("Xiaomi Watch", "确认还款")
	c.send("不对 我要提前全还")
	c.expect("提前结清报价", "Xiaomi Watch")
	c.send("确认")
	c.expect("提前还款成功")
	if got := h.repayments("C3"); len(got) != 1 || len(got[0].Periods) < 2 {
		t.Errorf("repayments %+v, want the payoff of every period left", got)
	}
}

// TestOnlyTheOverdueOneAskedIsItsBill: "只还逾期的", the words a payoff's
// quote offers, said on their own got unsure (a probe): the overdue bill's
// quote — with none overdue, that none is.
func TestOnlyTheOverdueOneAskedIsItsBill(t *testing.T) {
	_, c := faqSession(t, 1036)
	c.send("只还逾期的")
	c.expect("逾期账单", "Redmi K70", "¥261.92")
	c.reject("Xiaomi Book", "不太确定")
	_, b := faqSessionOn(t, fixture(), 1037, phoneBob)
	b.send("只还逾期那期")
	b.expect("没有逾期的账单")
	b.reject("确认还款")
}

// TestAnAmountAskedAboutAtAQuoteIsItsPart: "这个12块是啥" at a bill's quote
// got "payments are whole periods" (its amount read as a part to pay), and
// "能分两次还吗" "it is charged once" (a probe): the quote's parts, with its
// late fee; and that a payment here is whole.
func TestAnAmountAskedAboutAtAQuoteIsItsPart(t *testing.T) {
	_, c := faqSession(t, 1038)
	c.send("K70还这期")
	c.expect("¥261.92")
	for _, q := range []string{"这个12块是啥", "滞纳金12是什么"} {
		c.send(q)
		c.expect("报价的明细", "滞纳金")
		c.reject("不能只还其中一部分", "不太确定")
	}
	c.send("能分两次还吗")
	c.expect("不能只还其中一部分", "还没有扣款")
	c.reject("只会扣一次")
}

// A card named in the request that quotes gets one quote, on that card: a
// probe saw the quote on the default card above it, and that one's
// confirm button paid from the card of the second.
func TestACardNamedInTheRequestGetsOneQuote(t *testing.T) {
	for _, text := range []string{"pay off the redmi with card 6666", "提前还清手机 用招行卡"} {
		h := newHarness(t, payFixture())
		c := h.chat(100, "zh")
		c.identify(phoneZhao)
		c.send(text)
		quotes, confirms := 0, 0
		for _, r := range c.last {
			if strings.Contains(r.Text, "5555") && !strings.Contains(r.Text, "6666") {
				t.Errorf("%q: a message on the default card: %s", text, r.Text)
			}
			if strings.Contains(r.Text, "合计应付") || strings.Contains(r.Text, "Total to pay") {
				quotes++
			}
			for _, row := range r.Buttons {
				for _, b := range row {
					if strings.Contains(b.Text, "确认") || strings.Contains(b.Text, "Confirm") {
						confirms++
					}
				}
			}
		}
		if quotes != 1 || confirms != 1 {
			t.Fatalf("%q: %d quotes with %d confirm buttons, want 1 and 1:\n%s", text, quotes, confirms, c.text())
		}
		c.press("确认")
		if p := h.paid("C5"); p.CardID != "K6" {
			t.Errorf("%q: paid from %s, want K6", text, p.CardID)
		}
	}
}

// An amount that is one plan's said with another plan named, or a payoff's
// amount with one period asked in words, is said so — never the other
// quoted in silence (a probe: "还 1249.63 元 笔记本" quoted the phone's
// payoff, and "还5328.91 只还逾期的" the whole plan's; a 确认 paid each).
func TestAnAmountAtOddsWithTheWordsIsSaidSo(t *testing.T) {
	h, c := faqSession(t, 1053)
	c.send("还 261.92 笔记本")
	c.expect("¥261.92 是「Redmi K70」的金额，不是「Xiaomi Book」的", "要还哪一笔分期的账单")
	c.reject("合计应付")
	c.send("确认")
	if paid := succeeded(h.repayments("C1")); len(paid) != 0 {
		t.Errorf("paid %+v, want nothing", paid)
	}
	_, c = faqSession(t, 1054)
	c.send("/repay")
	c.press("Redmi K70")
	quote := c.text()
	i := strings.Index(quote, "合计应付：<b>")
	if i < 0 {
		t.Fatalf("no payoff quote:\n%s", quote)
	}
	payoff := strings.TrimPrefix(strings.SplitN(quote[i:], "</b>", 2)[0], "合计应付：<b>")
	c.press("返回")
	c.send("还" + strings.TrimPrefix(payoff, "¥") + " 只还逾期的")
	c.expect("你说的 "+payoff+" 是「Redmi K70」提前全部结清的金额", "合计应付：<b>¥261.92</b>")
}

// A card of theirs named by a bank's English name in the request ("pay this
// month with my Bank of China card") is their card, not another bank's
// loan: a probe got "other banks' loans are not handled here".
func TestABankOfTheirCardsIsNotAnotherLender(t *testing.T) {
	data := fixture()
	c3 := customerIn(t, data, "C3")
	c3.Cards = append(c3.Cards, supportbot.Card{ID: "K95", Bank: "中国银行", Last4: "5151"})
	_, c := faqSessionOn(t, data, 1059, phoneWang)
	c.send("pay this month with my Bank of China card")
	c.expect("合计应付", "中国银行 **** 5151")
	c.reject("花呗", "不在这里处理")
	c.send("返回")
	c.send("I have a loan with Bank of China, can I pay it here") // a loan at that bank is still the bank's (a replay)
	c.expect("不在这里处理")
	c.send("can I use my Bank of China credit card to pay") // paying with it: how payments are made (a replay: "not handled")
	c.reject("不在这里处理")
}

// The overdue ones and another plan asked together, with two plans overdue
// ("pay the overdue ones and the tv"), are the list, one at a time — a
// probe paid the tv, both overdue plans dropped without a word.
func TestSeveralOverdueAndAnotherAreOneAtATime(t *testing.T) {
	phone := "8613400134004"
	data := append(fixture(), supportbot.CustomerData{
		Customer: supportbot.Customer{ID: "C4X", Name: "Tom Lee", Phone: onFile(phone), IDCardLast4: "4444", Language: "en"},
		Cards:    []supportbot.Card{{ID: "K4X", Bank: "招商银行", Last4: "1111", Default: true}},
		Plans: []supportbot.Plan{
			{ID: "P41", CustomerID: "C4X", OrderNo: "5241201000051", Product: "Redmi K70", Partner: "小米分期",
				Principal: 120000, Periods: 12, Bills: monthly("P41", "2026-09-01", 12, 10000, 10000, 0, 1)},
			{ID: "P42", CustomerID: "C4X", OrderNo: "5241201000052", Product: "Xiaomi Buds 5", Partner: "小米分期",
				Principal: 60000, Periods: 6, Bills: monthly("P42", "2026-10-05", 6, 10000, 10000, 0, 0)},
			{ID: "P43", CustomerID: "C4X", OrderNo: "5241201000053", Product: "Xiaomi TV S Pro", Partner: "小米分期",
				Principal: 360000, Periods: 12, Bills: monthly("P43", "2026-12-01", 12, 30000, 30000, 0, 0)},
		},
	})
	h, c := faqSessionOn(t, data, 1069, phone)
	c.send("/lang en")
	c.send("pay the overdue ones and the tv")
	c.expect("Which plan's bill do you want to pay?", "One at a time")
	c.reject("Bill due")
	c.send("confirm")
	if n := len(h.repayments("C4X")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestAShortfallSaidIsWhenItCanBePaid: /bill tells a customer whose
// booking is short to pay the rest; "还5.25", "我想把差的5.25补上" then got
// "can't answer" or unsure (a probe). The amount is the period's
// shortfall: paid once the debit under way is done, or the period whole
// now, its booking cancelled — nothing quoted on it.
func TestAShortfallSaidIsWhenItCanBePaid(t *testing.T) {
	data := fixture()
	c1 := customerIn(t, data, "C1")
	c1.Scheduled[2].Period = 6     // S3, processing: ¥249.92 of the overdue ¥261.92
	c1.Scheduled[0].Amount = 10000 // S1: ¥100.00 of period 7's ¥249.92
	_, c := faqSessionOn(t, data, 1085, phoneZhang)
	for _, ask := range []string{"还12.00", "我想把差的12块补上"} {
		c.send(ask)
		c.expect("¥12.00 是「Redmi K70」第 6 期的预约扣款（¥249.92）之后还差的部分", "完成后再发 /pay")
		c.reject("合计应付")
	}
	c.send("还149.92")
	c.expect("第 7 期的预约扣款（¥100.00）之后还差的部分", "现在还这一整期（¥249.92）")
	c.reject("合计应付")
}

// TestTodaysBillIsThePlanDueToday: "pay today's bill" got the list of both
// plans (a probe; "pay the one due today" was the one): the plan whose
// bill falls due today.
func TestTodaysBillIsThePlanDueToday(t *testing.T) {
	_, c := faqSession(t, 1089) // 2026-11-21: the Xiaomi Book's period 3 due today, its booking at 11:00
	c.send("/lang en")
	c.send("pay today's bill")
	c.expect(`period 3 of "Xiaomi Book" runs today at 11:00`, "nothing to pay again")
	c.reject("Which plan's bill")
	data := fixture()
	c1 := customerIn(t, data, "C1")
	c1.Scheduled = c1.Scheduled[:1] // nothing debits today
	_, o := faqSessionOn(t, data, 1115, phoneZhang)
	o.send("/lang en")
	o.send("pay what's due today") // a payment, not the day's debits (a probe: "nothing is set to debit you today")
	o.reject("Nothing is set to debit you")
}

// "那下期呢" right after paying a period is the quote's own period, not one
// beyond it: a probe was told "你说的第 7 期不在这笔里" above period 6's
// quote.
func TestTheNextPeriodAskedAfterPayingIsTheQuotedOne(t *testing.T) {
	_, c := faqSession(t, 641)
	c.send("/pay")
	c.press("Redmi K70")
	c.press("确认还款")
	c.expect("还款成功")
	c.send("那下期呢")
	c.expect("第 7 期（还款日 2026年12月15日）")
	c.reject("不在这笔里")

	// Next month is a month: with period 7 due this month, the quote of it
	// says December's period 8 is not in it (a probe's variant: the note
	// dropped, and a 确认 paid this month's period for next month's).
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Bills[6].DueDate = "2026-11-30"
	_, c = faqSessionOn(t, data, 642, phoneZhang)
	c.send("/pay")
	c.press("Redmi K70")
	c.press("确认还款")
	c.expect("还款成功")
	c.send("那下个月呢")
	c.expect("第 7 期（还款日 2026年11月30日）", "你说的第 8 期不在这笔里")
}

// A robot that mops too is asked for as a robot vacuum, and a scooter by
// its English name: a probe with "米家扫拖机器人 M30 S" was told none of
// their plans is a 扫地机器人 (and "pay the scooter" got "can't answer").
func TestAMopRobotAndAScooterAreAskedForByTheirKind(t *testing.T) {
	phone := "8613400134006"
	data := append(fixture(), supportbot.CustomerData{
		Customer: supportbot.Customer{ID: "C6X", Name: "刘洋", Phone: onFile(phone), IDCardLast4: "6666", Language: "zh"},
		Cards:    []supportbot.Card{{ID: "K6X", Bank: "招商银行", Last4: "6101", Default: true}},
		Plans: []supportbot.Plan{
			{ID: "P61", CustomerID: "C6X", OrderNo: "5260101006104", Product: "米家扫拖机器人 M30 S", Partner: "小米分期",
				Principal: 60000, Periods: 6, Bills: monthly("P61", "2026-11-25", 6, 10000, 10000, 0, 0)},
			{ID: "P62", CustomerID: "C6X", OrderNo: "5260101006105", Product: "九号电动滑板车 F2 Pro", Partner: "小米分期",
				Principal: 120000, Periods: 12, Bills: monthly("P62", "2026-11-26", 12, 10000, 10000, 0, 0)},
		},
	})
	_, c := faqSessionOn(t, data, 1121, phone)
	c.send("还扫地机器人这期")
	c.expect("本期账单</b>：米家扫拖机器人 M30 S")
	c.send("那吸尘器呢") // the quote's own plan: said so, not "none of yours"
	c.reject("没有「")
	c.send("返回")
	c.send("/lang en")
	c.send("pay the scooter")
	c.expect("Bill due</b>: 九号电动滑板车 F2 Pro")
}

// "用尾号1234的卡还K70这期", a card none of theirs, was quoted on the default
// card without a word (a probe): the quote says there is no such card and
// which card it is on.
func TestACardEndNamedThatIsNoneOfTheirsIsSaid(t *testing.T) {
	_, c := faqSession(t, 1159)
	c.send("用尾号1234的卡还K70这期")
	c.expect("合计应付", "你没有尾号 1234 的银行卡", "上面的报价仍从 招商银行 **** 6789 扣款")
}

// TestAFoldableIsAPhone: "折叠屏那个提前结清" from the owner of a MIX Flip got
// unsure (a probe): a foldable is a phone — that plan's payoff.
func TestAFoldableIsAPhone(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Product = "Xiaomi MIX Flip 2"
	for i, ask := range []string{"折叠屏那个提前结清", "提前还款 折叠屏"} {
		_, c := faqSessionOn(t, data, int64(1183+i), phoneZhang)
		c.send(ask)
		c.expect("提前结清报价</b>：Xiaomi MIX Flip 2")
	}
}

// TestAPhoneBillWithoutAPhoneIsTheCarriers: "pay my phone bill" from a
// customer paying no phone here got other lenders' loans, as if it were a
// loan (an English probe): a carrier's bill is the carrier's, and their
// plans to pick from.
func TestAPhoneBillWithoutAPhoneIsTheCarriers(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Product = "Xiaomi Watch S4"
	_, e := faqSessionOn(t, data, 1192, phoneZhang)
	e.send("/lang en")
	e.send("pay my phone bill")
	e.expect("A mobile carrier's bill is not paid here", "Which plan's bill do you want to pay?")
	e.reject("Huabei")
	e.send("back")
	// Asked overdue, or followed up, of a kind none of theirs is (an
	// English probe: "nothing of yours is overdue", and unsure).
	e.send("is my phone payment overdue?")
	e.expect("None of your plans is a phone.")
	e.send("how much do i owe this month")
	e.send("what about the tv")
	e.expect("None of your plans is a tv.")
}

// TestAtThePayoffsAQuestionOrAPickStaysThePayoff: at a payoff's quote,
// "为什么要收这期的手续费" quoted the bill instead, and a 确认 paid it; at
// the payoffs' list, "先还耳机" quoted the earbuds' bill, and a 确认 paid one
// period (a probe). A question of the quote is its breakdown, the payoff
// still to confirm; a plan picked at the payoffs' list is its payoff.
func TestAtThePayoffsAQuestionOrAPickStaysThePayoff(t *testing.T) {
	_, c := faqSession(t, 1193)
	c.send("/repay")
	c.press("Redmi K70")
	c.send("为什么要收这期的手续费")
	c.expect("报价的明细如下", "提前结清报价")
	c.reject("本期账单", "逾期账单")
	c.send("确认")
	c.expect("提前还款成功")
	_, p := faqSession(t, 1194)
	p.send("两个都提前还清一共多少")
	p.expect("要提前结清哪一笔分期")
	p.send("先还手机")
	p.expect("提前结清报价</b>：Redmi K70")
	_, e := faqSessionEn(t, 1195)
	e.send("now pay the phone bill") // "now": another lender's loans (an English probe)
	e.expect("Redmi K70", "Total to pay")
	e.reject("Huabei")
}

// TestARedmiNamedInChineseIsItsPlan: "红米K70提前还清要多少" got unsure, and
// "红米手机逾期了吗" the mall's products desk (a probe): 红米 is Redmi, apart
// from the model after it.
func TestARedmiNamedInChineseIsItsPlan(t *testing.T) {
	_, c := faqSession(t, 1201)
	c.send("红米K70提前还清要多少")
	c.expect("提前结清报价</b>：Redmi K70")
	c.send("返回")
	c.send("红米手机逾期了吗")
	c.expect("「Redmi K70」")
	c.reject("小米商城 App")
}
