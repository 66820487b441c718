package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

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
	body, err := json.Marshal(map[string]any{"customers": []map[string]any{{
		"id": "L1", "name": "长期", "phone": "13700007777", "id_card_last4": "1234", "language": "zh",
		"cards": []map[string]any{{"id": "K1", "bank": "招商银行", "last4": "6789", "default": true}},
		"plans": []map[string]any{{"id": "LP1", "order_no": "990001", "product": "小米汽车", "partner": "小米分期",
			"principal_fen": periods * 10000, "periods": periods, "prepay_fee_rate_bp": 0, "bills": bills}},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	dataset := filepath.Join(t.TempDir(), "long.json")
	if err := os.WriteFile(dataset, body, 0o600); err != nil {
		t.Fatal(err)
	}
	a.runCore("import", dataset)
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
