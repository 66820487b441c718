package demo

import (
	"encoding/json"
	"time"

	"supportbot"
	"supportbot/importer"
)

// The demo is written in the import schema, not as domain values, so that it
// takes the same road into the database as a real export and the importer
// vouches for it.
type (
	file      = importer.File
	customer  = importer.Customer
	card      = importer.Card
	plan      = importer.Plan
	bill      = importer.Bill
	scheduled = importer.Scheduled
)

// Data is the demo file for today in loc. The repayments that must be minutes
// away from "now" are placed from the wall clock when today is the current
// date, and from noon of today otherwise; DataAt takes the instant instead.
func Data(today supportbot.Date, loc *time.Location) []byte {
	now := time.Now().In(loc)
	if supportbot.DateOf(now, loc) != today {
		now = today.Time(loc).Add(12 * time.Hour)
	}
	return DataAt(now, loc)
}

// DataAt is the demo file as of now in loc: every due date and run time is
// relative to it, so the demo never goes stale. See the package comment for
// what each customer demonstrates.
func DataAt(now time.Time, loc *time.Location) []byte {
	now = now.In(loc).Truncate(time.Second)
	today := supportbot.DateOf(now, loc)
	day := func(n int) supportbot.Date { return today.AddDays(n) }
	at := func(d supportbot.Date, hour int) string {
		t := d.Time(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), hour, 0, 0, 0, loc).Format(time.RFC3339)
	}
	runAt := func(d time.Duration) string { return now.Add(d).Format(time.RFC3339) }

	phone := installments(plan{ID: "P2001", OrderNo: "5241015123456", Product: "Redmi K70 12GB+256GB",
		Partner: "小米分期", PrincipalFen: 299900, Periods: 12}, 0, 7, day(2))
	laptop := installments(plan{ID: "P2002", OrderNo: "5240823567812", Product: "RedmiBook Pro 16 2024",
		Partner: "招联金融", PrincipalFen: 599900, Periods: 12, PrepayFeeRateBP: 150}, 0, 3, day(10))
	overdue := installments(plan{ID: "P2003", OrderNo: "5240607345678", Product: "Xiaomi 14 Ultra 16GB+512GB",
		Partner: "中银消费金融", PrincipalFen: 699900, Periods: 12, PrepayFeeRateBP: 100}, 2100, 4, day(-12))
	overdue.Bills[3].LateFeeFen = 1200
	buds := installments(plan{ID: "P2004", OrderNo: "5231111234567", Product: "Redmi Buds 5 Pro",
		Partner: "小米分期", PrincipalFen: 37900, Periods: 3}, 0, 4, day(10))
	band := installments(plan{ID: "P2005", OrderNo: "5240301987654", Product: "Xiaomi Smart Band 9",
		Partner: "小米分期", PrincipalFen: 24900, Periods: 3}, 0, 4, day(5))
	pad := installments(plan{ID: "P2006", OrderNo: "5240912456789", Product: "Xiaomi Pad 6 8GB+256GB",
		Partner: "小米分期", PrincipalFen: 199900, Periods: 6}, 0, 3, day(2))
	watch := installments(plan{ID: "P2007", OrderNo: "5240715678901", Product: "Xiaomi Watch S3",
		Partner: "小米分期", PrincipalFen: 99900, Periods: 6, AutoRepay: true}, 0, 4, today)

	f := file{Customers: []customer{{
		ID: "C1001", Name: "张伟", Phone: "+8613800138000", IDCardLast4: "123X", Language: "zh",
		Cards: []card{{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true}},
		Plans: []plan{phone, laptop},
		Scheduled: []scheduled{
			repay("S3001", laptop, 3, "K1", at(day(9), 9), supportbot.ScheduledScheduled),
			repay("S3002", phone, 7, "K1", runAt(time.Hour), supportbot.ScheduledScheduled),
		},
	}, {
		ID: "C1002", Name: "李娜", Phone: "+8613900139000", IDCardLast4: "4567", Language: "zh",
		Cards: []card{
			{ID: "K1", Bank: "建设银行", Last4: "4321", Default: true},
			{ID: "K2", Bank: "工商银行", Last4: "8888", Status: "frozen"},
		},
		Plans: []plan{overdue},
	}, {
		ID: "C1003", Name: "王芳", Phone: "+8613700137000", IDCardLast4: "2468", Language: "zh",
		Cards: []card{{ID: "K1", Bank: "农业银行", Last4: "1122", Default: true}},
		Plans: []plan{buds},
	}, {
		ID: "C1004", Name: "Emily Zhao", Phone: "+8613600136000", IDCardLast4: "1357", Language: "en",
		PendingRefunds: 1,
		Cards:          []card{{ID: "K1", Bank: "Bank of China", Last4: "7788", Default: true}},
		Plans:          []plan{band},
	}, {
		ID: "C1005", Name: "James Miller", Phone: "+8613500135000", IDCardLast4: "9090", Language: "en",
		Cards:     []card{{ID: "K1", Bank: "HSBC China", Last4: "9012", Default: true}},
		Plans:     []plan{pad},
		Scheduled: []scheduled{repay("S3003", pad, 3, "K1", at(day(1), 10), supportbot.ScheduledScheduled)},
	}, {
		ID: "C1006", Name: "陈静", Phone: "+8613300133000", IDCardLast4: "8024", Language: "zh",
		Cards:     []card{{ID: "K1", Bank: "交通银行", Last4: "3690", Default: true}},
		Plans:     []plan{watch},
		Scheduled: []scheduled{repay("S3004", watch, 4, "K1", runAt(-10*time.Minute), supportbot.ScheduledProcessing)},
	}}}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		panic(err) // plain structs of strings and numbers always marshal
	}
	return data
}

// installments fills p's bills: period next is due on due and the others a
// month apart around it; the periods before next are paid. Each period
// carries feeFen. The last period absorbs the remainder of the division, so
// the bills sum to the principal.
func installments(p plan, feeFen int64, next int, due supportbot.Date) plan {
	n := int64(p.Periods)
	for i := 1; i <= p.Periods; i++ {
		b := bill{Period: i, DueDate: string(addMonths(due, i-next)), PrincipalFen: p.PrincipalFen / n,
			FeeFen: feeFen, Status: supportbot.BillUnpaid}
		if i == p.Periods {
			b.PrincipalFen += p.PrincipalFen % n
		}
		if i < next {
			b.Status = supportbot.BillPaid
		}
		p.Bills = append(p.Bills, b)
	}
	return p
}

// repay books period of p for exactly what the bill costs on time.
func repay(id string, p plan, period int, cardID, runAt, status string) scheduled {
	b := p.Bills[period-1]
	return scheduled{ID: id, PlanID: p.ID, Period: period, AmountFen: b.PrincipalFen + b.FeeFen,
		CardID: cardID, RunAt: runAt, Status: status}
}

// addMonths moves d by n months, keeping the day of the month where the month
// has it and taking the month's last day otherwise (Jan 31 → Feb 28), so that
// due dates stay a month apart and in order.
func addMonths(d supportbot.Date, n int) supportbot.Date {
	t := d.Time(time.UTC)
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return supportbot.DateOf(first.AddDate(0, 0, min(t.Day(), last)-1), time.UTC)
}
