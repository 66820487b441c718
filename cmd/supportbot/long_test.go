package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"supportbot/bot/telegramtest"
)

// importOne writes a customer (and its plans) as an import file and imports
// it into the run's core.
func importOne(t *testing.T, a *app, customer map[string]any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"customers": []map[string]any{customer}})
	if err != nil {
		t.Fatal(err)
	}
	dataset := filepath.Join(t.TempDir(), "customer.json")
	if err := os.WriteFile(dataset, body, 0o600); err != nil {
		t.Fatal(err)
	}
	a.runCore("import", dataset)
}

// TestALongScheduleArrivesInParts: a 360-period plan's schedule is one
// <pre> block of some 13,000 characters. Telegram takes 4,096 a message, and
// refuses a part whose <pre> is not closed (or not opened): every part must
// parse on its own, and together they show every period. Before, the first
// part was refused for good and the customer never saw the schedule.
func TestALongScheduleArrivesInParts(t *testing.T) {
	a := newApp(t, coreOverHTTP())
	const periods = 360
	first := time.Now().In(shanghai).AddDate(0, 1, 0)
	var bills []map[string]any
	for k := range periods {
		bills = append(bills, map[string]any{"period": k + 1, "due_date": first.AddDate(0, k, 0).Format("2006-01-02"),
			"principal_fen": 10000, "fee_fen": 0, "late_fee_fen": 0, "status": "unpaid"})
	}
	importOne(t, a, map[string]any{
		"id": "L1", "name": "长期", "phone": "13700007777", "id_card_last4": "1234", "language": "zh", "pending_refunds": 0,
		"cards": []map[string]any{{"id": "K1", "bank": "招商银行", "last4": "6789", "default": true}},
		"plans": []map[string]any{{"id": "LP1", "order_no": "990001", "product": "小米汽车", "partner": "小米分期",
			"principal_fen": periods * 10000, "periods": periods, "prepay_fee_rate_bp": 0, "bills": bills}},
	})
	a.start()

	c := a.customer(7301, "zh")
	c.say("/bill", "分享我的手机号")
	msgs := c.share("8613700007777", "小米汽车")
	last := first.AddDate(0, periods-1, 0).Format("2006-01-02")
	c.pressOnly(msgs, "查看还款计划") // too long to take the place of the bill: it comes as new messages
	got := joined(c.next(last))
	for k := 1; k <= periods; k++ {
		if line := fmt.Sprintf("%2d  %s", k, first.AddDate(0, k-1, 0).Format("2006-01-02")); !strings.Contains(got, line) {
			t.Fatalf("the schedule lacks period %d (%q):\n%s", k, line, got)
		}
	}
}

// TestABillOfManyPlansKeepsEveryButton: a customer with 40 plans, each with
// an overdue period, gets a bill with three buttons a plan — more
// than the 100 Telegram takes under one message (it refuses the message
// for good). The keyboard goes on under messages of its own: every plan's
// buttons are there, and the last plan's work.
func TestABillOfManyPlansKeepsEveryButton(t *testing.T) {
	a := newApp(t, coreOverHTTP())
	const plans = 40
	due := a.now().AddDate(0, 0, -10).Format("2006-01-02") // the bot's clock, not the machine's (it failed once the machine passed 11-24)
	var ps []map[string]any
	for k := 1; k <= plans; k++ {
		ps = append(ps, map[string]any{"id": fmt.Sprintf("MP%02d", k), "order_no": fmt.Sprintf("88%04d", k),
			"product": fmt.Sprintf("手环 %02d", k), "partner": "小米分期", "principal_fen": 10000, "periods": 1, "prepay_fee_rate_bp": 0,
			"bills": []map[string]any{{"period": 1, "due_date": due, "principal_fen": 10000, "fee_fen": 0, "late_fee_fen": 0, "status": "unpaid"}}})
	}
	importOne(t, a, map[string]any{
		"id": "M1", "name": "多单", "phone": "13700008888", "id_card_last4": "1234", "language": "zh", "pending_refunds": 0,
		"cards": []map[string]any{{"id": "K1", "bank": "招商银行", "last4": "6789", "default": true}}, "plans": ps,
	})
	a.start()

	c := a.customer(7302, "zh")
	c.say("/start", "你好")
	c.say("/bill", "分享我的手机号")
	c.share("8613700008888", "手环 40")
	var buttons []telegramtest.Button
	for end := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		buttons = buttons[:0]
		for _, m := range a.srv.Messages(c.user.ID) {
			buttons = append(buttons, m.Buttons()...)
		}
		if strings.Contains(fmt.Sprint(buttons), "m:repay:MP40") || time.Now().After(end) {
			break
		}
	}
	for k := 1; k <= plans; k++ {
		for _, data := range []string{fmt.Sprintf("v:sched:MP%02d", k), fmt.Sprintf("m:pay:MP%02d", k), fmt.Sprintf("m:repay:MP%02d", k)} {
			if !strings.Contains(fmt.Sprint(buttons), data) {
				t.Fatalf("the bill lacks the button %s; it has %v", data, buttons)
			}
		}
	}
	c.pressOnly(current(a.srv, after(history(a.srv, c.user.ID), shown{})), "40. 查看还款计划")
	c.next("手环 40（订单号 880040）还款计划")
}
