package flows_test

import (
	"time"

	"supportbot"
)

// The fixture, on 2026-11-21 (see start):
//
// Phones on file are E.164; the phone* constants are what Telegram sends when
// the customer shares their contact: international, country code first, with
// or without "+".
//
//	C1 张伟 +86 138 0013 8000, cards K1 招商银行 6789 (default), K2 工商银行 4321 (frozen)
//	  P1 Redmi K70, 299900 in 12, rate 0: periods 1-5 paid, 6 overdue (due
//	     11-15, late fee 1200), 7-12 due monthly from 12-15; 24992 each, 24988 last
//	  P2 Laptop, 600000 in 6, rate 150 bp, fee 500 a period: 1-2 paid, 3 due
//	     today, 4-6 later
//	  S1 P1 period 7, runs 12-14 09:00 (far); S2 P2 period 3, runs in 1 hour (near);
//	  S3 P1 period 8, processing
//	C2 Bob +86 139 0013 9000 (en): everything paid
//	C3 王芳 +86 137 0013 7000: one plan (period 2 overdue), a good default card K8 and a
//	  frozen K9; S9 runs 11-30 for period 3, due 12-01
//	C4 李娜 +86 136 0013 6000: everything paid, a refund in progress, ID ends 002X
const (
	phoneZhang = "+86 138-0013-8000"
	phoneBob   = "8613900139000"
	phoneWang  = "8613700137000"
	phoneLi    = "+8613600136000"
)

// onFile is a contact's phone as the core keeps it (E.164).
func onFile(contact string) string {
	p := supportbot.ContactPhone(contact)
	if p == "" {
		panic("not a phone: " + contact)
	}
	return p
}

func monthly(plan string, first supportbot.Date, n int, each, last, fee supportbot.Money, paid int) []supportbot.Bill {
	var bills []supportbot.Bill
	for i := 1; i <= n; i++ {
		b := supportbot.Bill{PlanID: plan, Period: i, Principal: each, Fee: fee, Status: supportbot.BillUnpaid,
			DueDate: supportbot.Date(first.Time(time.UTC).AddDate(0, i-1, 0).Format("2006-01-02"))}
		if i == n {
			b.Principal = last
		}
		if i <= paid {
			b.Status = supportbot.BillPaid
		}
		bills = append(bills, b)
	}
	return bills
}

func fixture() []supportbot.CustomerData {
	p1 := monthly("P1", "2026-06-15", 12, 24992, 24988, 0, 5)
	p1[5].LateFee = 1200
	p2 := monthly("P2", "2026-09-21", 6, 100000, 100000, 500, 2)
	p4 := monthly("P4", "2026-10-01", 3, 10000, 10000, 0, 1)
	return []supportbot.CustomerData{
		{
			Customer: supportbot.Customer{ID: "C1", Name: "张伟", Phone: onFile(phoneZhang), IDCardLast4: "123X", Language: "zh"},
			Cards: []supportbot.Card{
				{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true},
				{ID: "K2", Bank: "工商银行", Last4: "4321", Frozen: true},
			},
			Plans: []supportbot.Plan{
				{ID: "P1", CustomerID: "C1", OrderNo: "5241015123456", Product: "Redmi K70", Partner: "小米分期", Principal: 299900, Periods: 12, Bills: p1},
				{ID: "P2", CustomerID: "C1", OrderNo: "5241015999999", Product: "Xiaomi Book", Partner: "招联金融", Principal: 600000, Periods: 6, PrepayFeeRateBP: 150, Bills: p2},
			},
			Scheduled: []supportbot.ScheduledRepayment{
				{ID: "S1", CustomerID: "C1", PlanID: "P1", Period: 7, Amount: 24992, CardID: "K1", RunAt: time.Date(2026, 12, 14, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled},
				{ID: "S2", CustomerID: "C1", PlanID: "P2", Period: 3, Amount: 100500, CardID: "K1", RunAt: start.Add(time.Hour), Status: supportbot.ScheduledScheduled},
				{ID: "S3", CustomerID: "C1", PlanID: "P1", Period: 8, Amount: 24992, CardID: "K1", RunAt: start.Add(30 * time.Minute), Status: supportbot.ScheduledProcessing},
			},
		},
		{
			Customer: supportbot.Customer{ID: "C2", Name: "Bob Lee", Phone: onFile(phoneBob), IDCardLast4: "4321", Language: "en"},
			Cards:    []supportbot.Card{{ID: "K1", Bank: "China Merchants Bank", Last4: "1111", Default: true}},
			Plans: []supportbot.Plan{{ID: "P3", CustomerID: "C2", OrderNo: "5241000000001", Product: "Redmi Buds", Partner: "小米分期", Principal: 30000, Periods: 3,
				Bills: monthly("P3", "2026-07-01", 3, 10000, 10000, 0, 3)}},
		},
		{
			Customer: supportbot.Customer{ID: "C3", Name: "王芳", Phone: onFile(phoneWang), IDCardLast4: "5678", Language: "zh"},
			Cards: []supportbot.Card{
				{ID: "K8", Bank: "建设银行", Last4: "8888", Default: true},
				{ID: "K9", Bank: "工商银行", Last4: "4321", Frozen: true},
			},
			Plans: []supportbot.Plan{{ID: "P4", CustomerID: "C3", OrderNo: "5241000000002", Product: "Xiaomi Watch", Partner: "小米分期", Principal: 30000, Periods: 3, Bills: p4}},
			Scheduled: []supportbot.ScheduledRepayment{
				{ID: "S9", CustomerID: "C3", PlanID: "P4", Period: 3, Amount: 10000, CardID: "K8", RunAt: time.Date(2026, 11, 30, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled},
			},
		},
		customerLi(1),
	}
}

// customerLi is C4 with the given number of refunds in progress.
func customerLi(pendingRefunds int) supportbot.CustomerData {
	return supportbot.CustomerData{
		Customer: supportbot.Customer{ID: "C4", Name: "李娜", Phone: onFile(phoneLi), IDCardLast4: "002X", Language: "zh", PendingRefunds: pendingRefunds},
		Cards:    []supportbot.Card{{ID: "K7", Bank: "中国银行", Last4: "7777", Default: true}},
		Plans: []supportbot.Plan{{ID: "P5", CustomerID: "C4", OrderNo: "5241000000003", Product: "Redmi Pad", Partner: "小米分期", Principal: 60000, Periods: 3,
			Bills: monthly("P5", "2026-06-10", 3, 20000, 20000, 0, 3)}},
	}
}
