package flows_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
)

func TestEarlyRepaymentWithAFee(t *testing.T) {
	h := newHarness(t, fixture())
	h.advance(-3 * time.Hour) // 07:00: S2 (period 3) runs at 11:00, not yet with the bank
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	c.expect("要提前结清哪一笔分期？", "Redmi K70", "Xiaomi Book")
	c.press("Xiaomi Book")
	// P2: principal 4×1,000.00; period 3 is due today, so its 5.00 fee is due;
	// periods 4-6 are not due: 3,000.00 × 1.50% = 45.00; their fees are waived.
	c.expect("未还本金：¥4,000.00", "已到期各期手续费：¥5.00", "提前还款手续费（费率 1.50%，按未到期本金 ¥3,000.00 计）：¥45.00",
		"合计应付：¥4,050.00", "扣款卡：招商银行 **** 6789", "15 分钟", "07:15")
	confirm := c.button("确认还款").Data
	c.pressData(confirm)
	c.expect("提前还款成功", "¥4,050.00", "招商银行 **** 6789", "1 笔预约还款已自动取消")
	c.pressData(confirm) // a double tap
	c.expect("不会重复扣款", "¥4,050.00")
	c.send("确认")
	c.reject("提前还款成功")

	entries := h.audit("early_repayment")
	if len(entries) != 1 {
		t.Fatalf("early_repayment audit entries = %d, want 1", len(entries))
	}
	e := entries[0]
	if e.CustomerID != "C1" || e.Details["plan_id"] != "P2" || e.Details["amount_fen"] != float64(405000) {
		t.Errorf("audit entry = %+v, want C1 P2 405000", e)
	}
	if p := h.plan("C1", "P2"); p.Open() {
		t.Errorf("P2 still has unpaid bills after payoff: %+v", p.Bills)
	}
	if got := h.scheduled("C1")["S2"]; got != supportbot.ScheduledCancelled {
		t.Errorf("S2 (of the paid-off plan) status = %s, want cancelled", got)
	}
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S1 (another plan) status = %s, want scheduled", got)
	}
	c.send("/messages")
	c.expect("提前还款成功：Xiaomi Book，¥4,050.00")
}

// TestEarlyRepaymentLeavesPeriodsBeingDebited: a period whose scheduled
// repayment runs within 2 hours is already with the bank; the payoff leaves
// it (and its schedule) to that debit instead of charging it twice.
func TestEarlyRepaymentLeavesPeriodsBeingDebited(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	c.press("Xiaomi Book") // S2 debits period 3 in an hour
	// Periods 4-6: 3,000.00 principal + 1.50% = 45.00; period 3 and its fee are left out.
	c.expect("未还本金：¥3,000.00", "第 3 期正在自动扣款", "合计应付：¥3,045.00")
	c.reject("已到期各期手续费")
	c.press("确认还款")
	c.expect("除正在自动扣款的第 3 期外已全部结清", "¥3,045.00")
	if got := h.scheduled("C1")["S2"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S2 status = %s: the debit already with the bank must be left to run", got)
	}
	p := h.plan("C1", "P2")
	for _, b := range p.Bills {
		if want := b.Period != 3; (b.Status == supportbot.BillPaid) != want && b.Period > 2 {
			t.Errorf("period %d status %s", b.Period, b.Status)
		}
	}
}

func TestEarlyRepaymentOverdueLateFeeNoPrepayFee(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/repay")
	c.press("Redmi K70")
	// P1: periods 6-12 less period 8 (S3 is debiting it): 5×249.92 + 249.88
	// principal, 12.00 late fee of the overdue period 6, rate 0.
	c.expect("Unpaid principal: ¥1,499.48", "Period 8 is being debited", "Late fees: ¥12.00",
		"Prepayment fee (0.00% of the ¥1,249.56 principal not yet due): ¥0.00", "Total to pay: ¥1,511.48")
	c.press("Confirm")
	c.expect("Paid!", "except period 8", "¥1,511.48")
	c.reject("close your installment account") // P2 is still open
}

func TestSingleOpenPlanSkipsTheChoiceAndOffersClosure(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	c.expect("Xiaomi Watch", "合计应付：¥200.00")
	c.reject("要提前结清哪一笔")
	c.press("确认还款")
	c.expect("提前还款成功", "建设银行 **** 8888", "可以申请注销分期账户", "注销分期账户")
}

func TestDeclinedCardChangesNothing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	c.press("换一张卡")
	c.press("工商银行") // frozen
	c.expect("扣款卡：工商银行 **** 4321")
	c.press("确认还款")
	c.expect("银行拒绝了 工商银行 **** 4321 的扣款", "改用 建设银行 **** 8888", "转人工")
	if p := h.plan("C3", "P4"); !p.Open() {
		t.Fatal("a declined charge paid the bills")
	}
	if n := len(h.audit("early_repayment")); n != 0 {
		t.Fatalf("declined charge audited as a repayment %d times", n)
	}
	c.press("改用 建设银行")
	c.expect("扣款卡：建设银行 **** 8888")
	c.press("确认还款")
	c.expect("提前还款成功")
	if n := len(h.audit("early_repayment")); n != 1 {
		t.Errorf("early_repayment entries = %d, want 1", n)
	}
}

func TestExpiredQuoteRequotes(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	h.advance(16 * time.Minute)
	c.press("确认还款")
	c.expect("报价已超过 15 分钟失效，没有扣款", "合计应付：¥200.00")
	if n := len(h.audit("early_repayment")); n != 0 {
		t.Fatal("an expired quote was charged")
	}
	c.press("确认还款")
	c.expect("提前还款成功")
}

func TestChangedPlanRequotesInsteadOfCharging(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	c.expect("合计应付：¥200.00")
	// The overdue period gets paid elsewhere (a bank transfer, the finance app).
	tx, err := h.db.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.PayBills(context.Background(), "C3", "P4", 2); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	c.press("确认还款")
	c.expect("账单在报价后有变化，没有扣款", "合计应付：¥100.00")
	c.press("确认还款")
	c.expect("提前还款成功", "¥100.00")
}

func TestCancelAtTheQuoteChargesNothing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	confirm := c.button("确认还款").Data
	c.press("取消")
	c.expect("已取消")
	c.pressData(confirm)
	c.expect("按钮已过期")
	if n := len(h.audit("early_repayment")); n != 0 {
		t.Fatal("a cancelled quote was charged")
	}
}

func TestRestartBetweenQuoteAndConfirm(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	confirm := c.button("确认还款").Data
	h.open()
	c.pressData(confirm)
	c.expect("提前还款成功")
}

func TestPaymentGatewaySeesTheQuoteAsIdempotencyKey(t *testing.T) {
	h := newHarness(t, fixture())
	var keys []string
	h.charge = func(ch flows.Charge) error { keys = append(keys, ch.Key); return nil }
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	c.press("确认还款")
	if len(keys) != 1 || keys[0] == "" {
		t.Fatalf("charges = %q, want one with a key", keys)
	}
	if e := h.audit("early_repayment"); len(e) != 1 || e[0].Details["quote_id"] != keys[0] {
		t.Errorf("audit quote_id differs from the charge key %q: %+v", keys[0], e)
	}
}

// TestBatchRollsBackOnlyTheFailingEvent: events of a batch share a commit,
// but a failing one is undone alone, and its customer gets an apology.
func TestBatchRollsBackOnlyTheFailingEvent(t *testing.T) {
	h := newHarness(t, fixture())
	a := h.chat(100, "zh")
	a.identify(phoneWang)
	a.send("/repay")
	confirm := a.button("确认还款").Data
	b := h.chat(200, "zh")
	b.identify(phoneZhang)
	h.charge = func(flows.Charge) error { return errors.New("gateway exploded") }

	out := h.eng.HandleBatch(context.Background(), []supportbot.Event{
		{UpdateID: 501, ChatID: 100, UserID: 100, Kind: supportbot.EventButton, Data: confirm},
		{UpdateID: 502, ChatID: 200, UserID: 200, Kind: supportbot.EventCommand, Text: "logout"},
	})
	if out[0].Err == nil || !strings.Contains(out[0].Replies[0].Text, "出了点问题") {
		t.Errorf("failing event: %+v", out[0])
	}
	if out[1].Err != nil || !strings.Contains(out[1].Replies[0].Text, "已解除") {
		t.Errorf("the other event: %+v", out[1])
	}
	if n := len(h.audit("logout")); n != 1 {
		t.Errorf("logout entries = %d: the good event was lost with the bad one", n)
	}
	if p := h.plan("C3", "P4"); !p.Open() || len(h.audit("early_repayment")) != 0 {
		t.Error("the failed payment left a trace")
	}
	// The failed update was not marked processed: a redelivery is handled.
	h.charge = nil
	out = h.eng.HandleBatch(context.Background(), []supportbot.Event{
		{UpdateID: 501, ChatID: 100, UserID: 100, Kind: supportbot.EventButton, Data: confirm}})
	if out[0].Err != nil || !strings.Contains(out[0].Replies[0].Text, "提前还款成功") {
		t.Errorf("redelivery: %+v", out[0])
	}
}
