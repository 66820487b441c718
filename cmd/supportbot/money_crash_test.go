package main

// The crash test of the other two money actions a customer confirms: paying
// the bill due (POST /repayments for the overdue periods, or the current
// one) and cancelling a scheduled repayment (POST
// /scheduled-repayments/{id}/cancel). The bot is killed with SIGKILL at
// random moments while customers are served, and in the windows around the
// core's call, the HTTP core failing on both calls (crashRun, fault_test.go).
// What must hold: each bill paid once, for its amount, and paid in the core;
// each booking cancelled once, and nothing debited; each customer told one
// outcome, with one notice and one audit entry.

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp/coretest"
)

// TestCrashKillPayingBillsAndCancelling: 26 customers, half paying what is
// due (two overdue periods, one overdue period, or the current period whose
// scheduled repayment the payment cancels), half cancelling one of their two
// scheduled repayments, each tapping confirm twice, while the bot is killed
// at random moments once it serves them and the HTTP core meets every fault
// of the fake on both calls. Then the last ones, alone: killed after the
// commit and before the core executed the call, killed after the execution
// and before the outcome was recorded, executed but answered 500 and then
// 500s (unknown, reconciled by key), and a payment answered processing,
// killed before the event.
func TestCrashKillPayingBillsAndCancelling(t *testing.T) {
	if coreOverHTTP() {
		t.Skip("always over the HTTP core: the HTTP core's pass would run it again")
	}
	dataset, list := writeBillDataset(t, 13, 13)
	var payers, cancellers []crashCustomer
	for _, bc := range list {
		p := crashCustomer{ID: bc.ID, UserID: bc.UserID}
		if bc.Cancel {
			p.op = coretest.OpCancelScheduled
			p.drive = func(c *chatter, rng *rand.Rand) error { return cancelBooking(c, bc, rng) }
			p.verify = func(ck *crashCheck, c *chatter) string { return verifyCancel(ck, c, bc) }
			cancellers = append(cancellers, p)
		} else {
			p.op = coretest.OpCreateRepayment
			p.drive = func(c *chatter, rng *rand.Rand) error { return payBill(c, bc, rng) }
			p.verify = func(ck *crashCheck, c *chatter) string { return verifyBill(ck, c, bc) }
			payers = append(payers, p)
		}
	}
	// The last four payers meet the four scenarios, the last three
	// cancellers those a cancellation can meet (it is never processing),
	// alone, one by one, in an order that has both kinds of customer meet
	// some where each scenario is met only once (PostgreSQL): a canceller
	// killed before the core executed the call, a payer after it, a
	// canceller answered 500s, a payer told it is processing; then the rest.
	np, nc := len(payers)-4, len(cancellers)-3
	var early []crashCustomer
	for i := range max(np, nc) {
		if i < np {
			early = append(early, payers[i])
		}
		if i < nc {
			early = append(early, cancellers[i])
		}
	}
	pay, cancel := payers[np:], cancellers[nc:]
	late := []crashCustomer{cancel[0], pay[1], cancel[2], pay[3], pay[0], cancel[1], pay[2]}
	for j, k := range []int{0, 1, 2, 3, 0, 1, 2} {
		late[j].late = &lateScenarios[k]
	}
	crashRun(t, crashOptions{http: true, faults: true,
		readFaults: []string{coretest.OpLookupCustomer, coretest.OpListPlans, coretest.OpListScheduled, coretest.OpCreateQuote},
		minGap:     200 * time.Millisecond, maxGap: 2500 * time.Millisecond, afterUp: true,
	}, dataset, append(early, late...))
}

// billCustomer is a generated customer with one open plan and the one money
// action they confirm, with what it must come to.
type billCustomer struct {
	ID, Phone, PlanID string
	UserID            int64
	Cancel            bool // cancels a scheduled repayment; otherwise pays the bill due

	// Paying: the periods paid, the amount, whether they are overdue, the
	// scheduled repayment of a paid period (the payment cancels it; "" if
	// none).
	Periods []int
	Due     int64 // fen
	Overdue bool
	Booked  string

	// Cancelling: the scheduled repayment cancelled, its period and amount.
	Scheduled string
	Period    int
	Amount    int64 // fen

	// Kept is a scheduled repayment that must still be scheduled at the end
	// ("" if none).
	Kept string
}

// writeBillDataset writes payers and cancellers as an import file, each with
// one open plan of six periods, every due date at least 10 days from today
// (so that nothing changes if the test runs over midnight) and every
// scheduled repayment 19 or 49 days away (far from the 2-hour cut-off, and
// from the 3-day warning). Payers come in three kinds: periods 2 and 3
// overdue with late fees, and a scheduled repayment of period 4 that stays;
// period 2 overdue; nothing overdue, so the current period 2 is paid, and
// its scheduled repayment is cancelled by the payment while that of period 3
// stays. Cancellers have scheduled repayments of periods 2 and 3, and cancel
// one of them.
func writeBillDataset(t *testing.T, payers, cancellers int) (string, []billCustomer) {
	t.Helper()
	today := time.Now().In(shanghai)
	date := func(days int) string { return today.AddDate(0, 0, days).Format("2006-01-02") }
	runAt := func(days int) string {
		d := today.AddDate(0, 0, days)
		return time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, shanghai).Format(time.RFC3339)
	}
	type bill struct {
		Period    int    `json:"period"`
		DueDate   string `json:"due_date"`
		Principal int64  `json:"principal_fen"`
		Fee       int64  `json:"fee_fen"`
		LateFee   int64  `json:"late_fee_fen"`
		Status    string `json:"status"`
	}
	var customers []map[string]any
	var out []billCustomer
	for i := 1; i <= payers+cancellers; i++ {
		c := billCustomer{ID: fmt.Sprintf("B%03d", i), Phone: fmt.Sprintf("1390002%04d", i), PlanID: fmt.Sprintf("BP%03d", i),
			UserID: 890000 + int64(i), Cancel: i > payers}
		per := int64(35_111 + 977*i) // fen, odd amounts
		fee := int64(200 + i)
		// The due dates of periods 1–6, and how many of them are overdue.
		days, overdue := []int{-10, 20, 50, 80, 110, 140}, 0
		switch kind := (i - 1) % 3; {
		case c.Cancel:
		case kind == 0:
			days, overdue = []int{-70, -40, -10, 20, 50, 80}, 2
		case kind == 1:
			days, overdue = []int{-40, -10, 20, 50, 80, 110}, 1
		}
		var bills []bill
		var principal int64
		for k, d := range days {
			b := bill{Period: k + 1, DueDate: date(d), Principal: per + int64(k), Fee: fee, Status: "unpaid"}
			switch {
			case k == 0:
				b.Status = "paid"
			case k <= overdue:
				b.LateFee = int64(400 + 5*i + 30*(overdue-k))
			}
			principal += b.Principal
			bills = append(bills, b)
		}
		amount := func(period int) int64 { b := bills[period-1]; return b.Principal + b.Fee + b.LateFee }
		booking := func(id string, period, days int) map[string]any {
			return map[string]any{"id": id, "plan_id": c.PlanID, "period": period, "amount_fen": amount(period),
				"card_id": "K1", "run_at": runAt(days), "status": "scheduled"}
		}
		var scheduled []map[string]any
		switch {
		case c.Cancel:
			a, b := fmt.Sprintf("BS%03da", i), fmt.Sprintf("BS%03db", i)
			scheduled = []map[string]any{booking(a, 2, 19), booking(b, 3, 49)}
			c.Scheduled, c.Period, c.Kept = a, 2, b
			if i%2 == 1 {
				c.Scheduled, c.Period, c.Kept = b, 3, a
			}
			c.Amount = amount(c.Period)
		case overdue > 0:
			c.Overdue = true
			for p := 2; p <= 1+overdue; p++ {
				c.Periods = append(c.Periods, p)
				c.Due += amount(p)
			}
			if overdue == 2 {
				c.Kept = fmt.Sprintf("BS%03dk", i)
				scheduled = []map[string]any{booking(c.Kept, 4, 19)}
			}
		default:
			c.Periods, c.Due = []int{2}, amount(2)
			c.Booked, c.Kept = fmt.Sprintf("BS%03dp", i), fmt.Sprintf("BS%03dk", i)
			scheduled = []map[string]any{booking(c.Booked, 2, 19), booking(c.Kept, 3, 49)}
		}
		out = append(out, c)
		cu := map[string]any{
			"id": c.ID, "name": fmt.Sprintf("账单%d", i), "phone": c.Phone, "id_card_last4": "1234", "language": "zh", "pending_refunds": 0,
			"cards": []map[string]any{{"id": "K1", "bank": "招商银行", "last4": fmt.Sprintf("%04d", 3000+i), "default": true}},
			"plans": []map[string]any{{
				"id": c.PlanID, "order_no": fmt.Sprintf("66%011d", i), "product": fmt.Sprintf("账单商品 %d", i),
				"partner": "招联金融", "principal_fen": principal, "periods": len(days), "prepay_fee_rate_bp": 100, "bills": bills,
			}},
		}
		if len(scheduled) > 0 {
			cu["scheduled_repayments"] = scheduled
		}
		customers = append(customers, cu)
	}
	body, err := json.MarshalIndent(map[string]any{"customers": customers}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "bill_customers.json")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, out
}

// payBill drives one customer through /pay → own contact → the quote of
// what is due → confirm, pressed twice → paid, and the answer to the second
// press (that it is paid or being paid), which may come before or after the
// outcome.
func payBill(c *chatter, bc billCustomer, rng *rand.Rand) error {
	think := func() { time.Sleep(time.Duration(50+rng.IntN(350)) * time.Millisecond) }
	c.send("/pay")
	if _, err := c.wait("分享我的手机号"); err != nil {
		return err
	}
	think()
	c.shareContact("86" + bc.Phone)
	// One message: verified, and the quote of the one plan's bill.
	quote, err := c.wait("合计应付")
	if err != nil {
		return err
	}
	wants := []string{"验证成功", "本期账单", "合计应付：" + supportbot.Money(bc.Due).String()}
	if bc.Overdue {
		wants[1] = "逾期账单"
	}
	if bc.Booked != "" {
		wants = append(wants, "将在还款后自动取消")
	}
	for _, want := range wants {
		if !strings.Contains(quote.Plain, want) {
			return fmt.Errorf("chat %d: the quote lacks %q:\n%s", c.user.ID, want, quote.Plain)
		}
	}
	think()
	if err := confirmTwice(c, quote, "pay", rng); err != nil {
		return err
	}
	// The second press: still under way, paid already, or — the outcome in
	// first, the tracked "under way" replaced before it was sent — where the
	// outcome is. (The outcome says "不会重复扣款" too when it cancelled a
	// scheduled repayment.)
	if _, err := c.waitFor(quote, "the second press answered", func(m shown) bool {
		return strings.Contains(m.Plain, "这笔还款正在处理中") || strings.Contains(m.Plain, "这笔报价已在") || strings.Contains(m.Plain, "这笔还款已有结果")
	}); err != nil {
		return err
	}
	_, err = c.wait("还款成功")
	return err
}

// cancelBooking drives one customer through /cancel_schedule → own contact →
// the list → the booking → confirm, pressed twice → cancelled, and the
// answer to the second press (under way, or done).
func cancelBooking(c *chatter, bc billCustomer, rng *rand.Rand) error {
	think := func() { time.Sleep(time.Duration(50+rng.IntN(350)) * time.Millisecond) }
	c.send("/cancel_schedule")
	if _, err := c.wait("分享我的手机号"); err != nil {
		return err
	}
	think()
	c.shareContact("86" + bc.Phone)
	list, err := c.wait("你的预约还款")
	if err != nil {
		return err
	}
	pick, ok := button(list.SentMessage, fmt.Sprintf("第 %d 期", bc.Period))
	if !ok || !strings.Contains(pick, ":cancel:pick:") {
		return fmt.Errorf("chat %d: the list has no button for period %d:\n%s", c.user.ID, bc.Period, c.transcript())
	}
	think()
	c.press(list, pick)
	ask, err := c.wait("要取消这笔预约还款吗")
	if err != nil {
		return err
	}
	if want := fmt.Sprintf("第 %d 期 · %s", bc.Period, supportbot.Money(bc.Amount)); !strings.Contains(ask.Plain, want) {
		return fmt.Errorf("chat %d: the confirmation lacks %q:\n%s", c.user.ID, want, ask.Plain)
	}
	if strings.Contains(ask.Plain, "否则会逾期") {
		return fmt.Errorf("chat %d: warned of a due date weeks away:\n%s", c.user.ID, ask.Plain)
	}
	confirm, ok := button(ask.SentMessage, "取消这笔预约还款")
	if !ok || !strings.Contains(confirm, ":cancel:ok:") {
		return fmt.Errorf("chat %d: the confirmation has no confirm button (cancel:ok:…):\n%s", c.user.ID, c.transcript())
	}
	think()
	c.press(ask, confirm)
	time.Sleep(time.Duration(20+rng.IntN(200)) * time.Millisecond) // a double tap
	c.press(ask, confirm)
	if _, err := c.waitFor(ask, "the confirmation edited", func(m shown) bool {
		return m.MessageID == ask.MessageID && m.By == "editMessageText"
	}); err != nil {
		return err
	}
	// The second press: still under way (then edited to where the outcome
	// is, as a payment's), or done already.
	if _, err := c.waitFor(ask, "the second press answered", func(m shown) bool {
		return strings.Contains(m.Plain, "正在取消中") || strings.Contains(m.Plain, "取消已经处理完毕") || strings.Contains(m.Plain, "取消已有结果")
	}); err != nil {
		return err
	}
	_, err = c.wait("已取消预约还款")
	return err
}

// verifyBill: the bill was paid once (the core's ledger), for its periods and
// amount, those periods are paid in the core and the rest not, the scheduled
// repayment of a paid period was cancelled with it and the others kept; the
// customer was told the reference of that one repayment, in one outcome,
// and has one notice and one audit entry of it.
func verifyBill(ck *crashCheck, c *chatter, bc billCustomer) string {
	t := ck.t
	t.Helper()
	r, ok := ck.repayment(bc.ID)
	audit := ck.audit(bc.ID, "repay_bill")
	if len(audit) != 1 {
		t.Errorf("customer %s: %d repay_bill audit entries, want 1: %v", bc.ID, len(audit), audit)
	}
	for _, e := range audit {
		if e["plan_id"] != r.PlanID || e["amount_fen"] != float64(r.Amount) || e["quote_id"] != r.QuoteID || e["repayment_id"] != r.ID ||
			e["key"] != r.Key {
			t.Errorf("audit entry %v; want plan %s, amount %d, quote %s, repayment %s, key %s", e, r.PlanID, r.Amount, r.QuoteID, r.ID, r.Key)
		}
	}
	if n := ck.notices(bc.ID, "repay_bill"); n != 1 {
		t.Errorf("customer %s: %d bill-payment notices, want 1", bc.ID, n)
	}
	if n := ck.outcomes(c.user.ID, "还款成功"); n != 1 {
		t.Errorf("customer %s: told the payment's outcome %d times, want once:\n%s", bc.ID, n, c.transcript())
	}
	for _, bad := range []string{"没有成功", "银行拒绝", "没有执行，没有扣款", "报价已超过 15 分钟失效", "报价已经失效", "账单在报价后有变化"} {
		if told(ck.srv, c.user.ID, bad) > 0 {
			t.Errorf("customer %s was told %q:\n%s", bc.ID, bad, c.transcript())
		}
	}
	plan, err := ck.cdb.CoreView().Plan(ck.ctx, bc.ID, bc.PlanID)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range plan.Bills {
		if want := b.Period == 1 || slices.Contains(bc.Periods, b.Period); (b.Status == supportbot.BillPaid) != want {
			t.Errorf("customer %s: period %d is %s in the core; paid: want %v", bc.ID, b.Period, b.Status, want)
		}
	}
	sched := ck.scheduled(bc.ID)
	if bc.Booked != "" && sched[bc.Booked] != supportbot.ScheduledCancelled {
		t.Errorf("customer %s: the scheduled repayment %s of a period paid is %s, want cancelled", bc.ID, bc.Booked, sched[bc.Booked])
	}
	if bc.Kept != "" && sched[bc.Kept] != supportbot.ScheduledScheduled {
		t.Errorf("customer %s: the scheduled repayment %s of a period not paid is %s, want scheduled", bc.ID, bc.Kept, sched[bc.Kept])
	}
	if !ok {
		return ""
	}
	if r.PlanID != bc.PlanID || r.Amount != supportbot.Money(bc.Due) || !slices.Equal(r.Periods, bc.Periods) ||
		r.Status != supportbot.RepaymentSucceeded || r.Key != "repay:"+r.QuoteID {
		t.Errorf("customer %s: repayment %+v; want plan %s, periods %v, %d fen, succeeded, under key repay:<quote>",
			bc.ID, r, bc.PlanID, bc.Periods, bc.Due)
	}
	var cancelled []string
	if bc.Booked != "" {
		cancelled = []string{bc.Booked}
	}
	if !slices.Equal(r.CancelledScheduledIDs, cancelled) {
		t.Errorf("customer %s: the payment cancelled scheduled repayments %v, want %v", bc.ID, r.CancelledScheduledIDs, cancelled)
	}
	ck.toldReference(bc.ID, c, r)
	return r.Key
}

// verifyCancel: the booking was cancelled in the core, once, and the other
// kept; nothing was debited; the customer was told "cancelled" in one
// outcome, never a refusal, and has one notice and one audit entry of it.
func verifyCancel(ck *crashCheck, c *chatter, bc billCustomer) string {
	t := ck.t
	t.Helper()
	if ledger := ck.a.ledger(bc.ID); len(ledger) != 0 {
		ck.doubled++
		t.Errorf("customer %s cancelled a scheduled repayment; the core debited %+v", bc.ID, ledger)
	}
	sched := ck.scheduled(bc.ID)
	if sched[bc.Scheduled] != supportbot.ScheduledCancelled {
		ck.lost++
		t.Errorf("customer %s: scheduled repayment %s is %s in the core, want cancelled", bc.ID, bc.Scheduled, sched[bc.Scheduled])
	}
	if sched[bc.Kept] != supportbot.ScheduledScheduled {
		t.Errorf("customer %s: scheduled repayment %s, not the one cancelled, is %s, want scheduled", bc.ID, bc.Kept, sched[bc.Kept])
	}
	audit := ck.audit(bc.ID, "cancel_scheduled")
	if len(audit) != 1 {
		t.Errorf("customer %s: %d cancel_scheduled audit entries, want 1: %v", bc.ID, len(audit), audit)
	}
	for _, e := range audit {
		if e["scheduled_id"] != bc.Scheduled || e["period"] != float64(bc.Period) || e["amount_fen"] != float64(bc.Amount) {
			t.Errorf("audit entry %v; want scheduled repayment %s, period %d, amount %d", e, bc.Scheduled, bc.Period, bc.Amount)
		}
	}
	if n := len(ck.audit(bc.ID, "cancel_scheduled_refused")); n != 0 {
		t.Errorf("customer %s: %d cancel_scheduled_refused audit entries, want none", bc.ID, n)
	}
	if n, r := ck.notices(bc.ID, "cancel_scheduled"), ck.notices(bc.ID, "cancel_refused"); n != 1 || r != 0 {
		t.Errorf("customer %s: %d cancellation notices and %d refusal notices, want 1 and 0", bc.ID, n, r)
	}
	if n := ck.outcomes(c.user.ID, "已取消预约还款"); n != 1 {
		t.Errorf("customer %s: told the cancellation's outcome %d times, want once:\n%s", bc.ID, n, c.transcript())
	}
	for _, bad := range []string{"无法取消", "没能取消", "已经取消过了", "无需取消"} {
		if told(ck.srv, c.user.ID, bad) > 0 {
			t.Errorf("customer %s was told %q:\n%s", bc.ID, bad, c.transcript())
		}
	}
	// The key the core executed is the bot's one action's; with the fake,
	// no other cancellation from this chat was executed.
	list := ck.actions[bc.ID]
	if len(list) != 1 {
		return ""
	}
	key := list[0].Key
	if list[0].Kind != supportbot.ActionCancel || list[0].Scheduled != bc.Scheduled {
		t.Errorf("customer %s: action %+v; want the cancellation of %s", bc.ID, list[0], bc.Scheduled)
	}
	if ck.fake != nil {
		refs, err := chatRefs(ck.ctx, ck.bdb) // the deployment's, as the bot wired them
		if err != nil {
			ck.t.Fatal(err)
		}
		prefix := "cancel:" + refs.Of(c.user.ID) + ":"
		var keys []string
		for _, e := range ck.fake.Ledger() {
			if e.Op == coretest.OpCancelScheduled && e.Err == nil && strings.HasPrefix(e.Key, prefix) {
				keys = append(keys, e.Key)
			}
		}
		if len(keys) != 1 || keys[0] != key {
			t.Errorf("customer %s: the fake core executed cancellations %v, want %s once", bc.ID, keys, key)
		}
	}
	return key
}

// scheduled is the status of each of the customer's scheduled repayments in
// the core, by id.
func (ck *crashCheck) scheduled(id string) map[string]string {
	ck.t.Helper()
	list, err := ck.cdb.CoreView().Scheduled(ck.ctx, id)
	if err != nil {
		ck.t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range list {
		m[r.ID] = r.Status
	}
	return m
}
