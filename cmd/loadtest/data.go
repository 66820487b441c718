package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"supportbot"
	"supportbot/importer"
)

// persona is one generated customer and what the bot must tell them.
type persona struct {
	index     int
	userID    int64 // Telegram user id = private chat id
	phone     string
	name      string
	product   string
	remaining supportbot.Money // what /bill shows
	payoff    supportbot.Money // what /repay quotes
}

// The generated customers are written in the import schema (see importer/),
// so they take the same road into the database as a real export.

var products = []struct{ name, partner string }{
	{"Redmi K70", "小米分期"}, {"Xiaomi Book Pro 14", "小米分期"}, {"iPhone 16", "招联金融"},
	{"MacBook Air", "招联金融"}, {"华为 Mate 70", "花呗分期"}, {"戴森吹风机", "京东白条"},
}

var banks = []string{"招商银行", "工商银行", "建设银行", "中国银行"}

// userIDBase keeps generated Telegram ids clear of the test fixtures' ids.
const userIDBase = 7_000_000_000

// generate makes n customers, each with one card and one open 12-period plan
// with a prepayment fee: 3 periods paid, the 4th due in 10 days, so nothing
// is overdue and the quote has a prepayment fee on 9 periods.
func generate(n int, seed uint64, now time.Time, loc *time.Location) ([]byte, []persona, error) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	today := supportbot.DateOf(now, loc)
	first := now.In(loc).AddDate(0, -3, 10)
	f := importer.File{Customers: make([]importer.Customer, 0, n)}
	people := make([]persona, 0, n)
	for i := range n {
		prod := products[rng.IntN(len(products))]
		each := int64(10_000 + rng.IntN(80_000)) // fen per period
		fee := int64(rng.IntN(5)) * 100
		rate := int64(50 + rng.IntN(251)) // 0.50 %–3.00 %
		c := importer.Customer{
			ID:          fmt.Sprintf("L%06d", i),
			Name:        fmt.Sprintf("客户%d", i),
			Phone:       fmt.Sprintf("+86 139%08d", i),
			IDCardLast4: fmt.Sprintf("%04d", rng.IntN(10000)),
			Language:    "zh",
			Cards:       []importer.Card{{ID: "K1", Bank: banks[rng.IntN(len(banks))], Last4: fmt.Sprintf("%04d", rng.IntN(10000)), Default: true}},
		}
		p := importer.Plan{ID: fmt.Sprintf("LP%06d", i), OrderNo: fmt.Sprintf("52410%08d", i), Product: prod.name,
			Partner: prod.partner, PrincipalFen: each * 12, Periods: 12, PrepayFeeRateBP: rate}
		plan := supportbot.Plan{ID: p.ID, Product: p.Product, Periods: 12, PrepayFeeRateBP: rate}
		for k := 1; k <= 12; k++ {
			b := importer.Bill{Period: k, DueDate: first.AddDate(0, k-1, 0).Format("2006-01-02"),
				PrincipalFen: each, FeeFen: fee, Status: supportbot.BillUnpaid}
			if k <= 3 {
				b.Status = supportbot.BillPaid
			}
			p.Bills = append(p.Bills, b)
			plan.Bills = append(plan.Bills, supportbot.Bill{PlanID: p.ID, Period: k, DueDate: supportbot.Date(b.DueDate),
				Principal: supportbot.Money(each), Fee: supportbot.Money(fee), Status: b.Status})
		}
		c.Plans = []importer.Plan{p}
		f.Customers = append(f.Customers, c)
		people = append(people, persona{
			index:     i,
			userID:    userIDBase + int64(i),
			phone:     fmt.Sprintf("86139%08d", i), // as Telegram shares it: no '+'
			name:      c.Name,
			product:   p.Product,
			remaining: plan.Remaining(),
			payoff:    payoffTotal(plan, today),
		})
	}
	b, err := json.Marshal(f)
	return b, people, err
}

// payoffTotal is what paying off plan costs today (0 when it cannot be computed).
func payoffTotal(plan supportbot.Plan, today supportbot.Date) supportbot.Money {
	q, err := supportbot.ComputePayoff(plan, today)
	if err != nil {
		return 0
	}
	return q.Total
}
