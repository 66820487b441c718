package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
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

// population is n generated customers. Customer i is a function of the seed
// and i alone, so a million of them are written as a stream and a persona is
// made when a simulated customer needs it: nothing of size n is held.
//
// Each customer has one card and one open 12-period plan with a prepayment
// fee: 3 periods paid, the 4th due in 10 days (the same day for everyone, so
// a reminder pass has a bill to tell every subscriber about), nothing
// overdue, and the quote has a prepayment fee on 9 periods.
type population struct {
	n     int
	seed  uint64
	loc   *time.Location
	today supportbot.Date
	first time.Time // the first period's due date
}

func newPopulation(n int, seed uint64, now time.Time, loc *time.Location) population {
	return population{n: n, seed: seed, loc: loc, today: supportbot.DateOf(now, loc), first: now.In(loc).AddDate(0, -3, 10)}
}

// dueDate is the due date of every customer's next unpaid period (the 4th).
func (p population) dueDate() supportbot.Date {
	return supportbot.Date(p.first.AddDate(0, 3, 0).Format("2006-01-02"))
}

// customer is generated customer i, as the export has it and as the
// simulated customer expects the bot to show it.
func (p population) customer(i int) (importer.Customer, persona) {
	rng := rand.New(rand.NewPCG(p.seed, uint64(i)))
	prod := products[rng.IntN(len(products))]
	each := int64(10_000 + rng.IntN(80_000)) // fen per period
	fee := int64(rng.IntN(5)) * 100
	rate := int64(50 + rng.IntN(251)) // 0.50 %–3.00 %
	c := importer.Customer{
		ID:          fmt.Sprintf("L%07d", i),
		Name:        fmt.Sprintf("客户%d", i),
		Phone:       fmt.Sprintf("+86 139%08d", i),
		IDCardLast4: fmt.Sprintf("%04d", rng.IntN(10000)),
		Language:    "zh",
		Cards:       []importer.Card{{ID: "K1", Bank: banks[rng.IntN(len(banks))], Last4: fmt.Sprintf("%04d", rng.IntN(10000)), Default: true}},
	}
	pl := importer.Plan{ID: fmt.Sprintf("LP%07d", i), OrderNo: fmt.Sprintf("52410%08d", i), Product: prod.name,
		Partner: prod.partner, PrincipalFen: each * 12, Periods: 12, PrepayFeeRateBP: rate}
	plan := supportbot.Plan{ID: pl.ID, Product: pl.Product, Periods: 12, PrepayFeeRateBP: rate}
	for k := 1; k <= 12; k++ {
		b := importer.Bill{Period: k, DueDate: p.first.AddDate(0, k-1, 0).Format("2006-01-02"),
			PrincipalFen: each, FeeFen: fee, Status: supportbot.BillUnpaid}
		if k <= 3 {
			b.Status = supportbot.BillPaid
		}
		pl.Bills = append(pl.Bills, b)
		plan.Bills = append(plan.Bills, supportbot.Bill{PlanID: pl.ID, Period: k, DueDate: supportbot.Date(b.DueDate),
			Principal: supportbot.Money(each), Fee: supportbot.Money(fee), Status: b.Status})
	}
	c.Plans = []importer.Plan{pl}
	return c, persona{
		index:     i,
		userID:    userIDBase + int64(i),
		phone:     fmt.Sprintf("86139%08d", i), // as Telegram shares it: no '+'
		name:      c.Name,
		product:   pl.Product,
		remaining: plan.Remaining(),
		payoff:    payoffTotal(plan, p.today),
	}
}

func (p population) persona(i int) persona {
	_, pe := p.customer(i)
	return pe
}

// write writes the export of every customer to w, one at a time.
func (p population) write(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(`{"customers":[`)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for i := range p.n {
		if i > 0 {
			bw.WriteByte(',')
		}
		c, _ := p.customer(i)
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// order is the order simulated customers are taken in: a random permutation
// of the population (so a big database is touched all over, not in import
// order), or import order.
func (p population) order(random bool) []int32 {
	idx := make([]int32, p.n)
	for i := range idx {
		idx[i] = int32(i)
	}
	if random {
		rng := rand.New(rand.NewPCG(p.seed, 0x5eed))
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
	}
	return idx
}

// payoffTotal is what paying off plan costs today (0 when it cannot be computed).
func payoffTotal(plan supportbot.Plan, today supportbot.Date) supportbot.Money {
	q, err := supportbot.ComputePayoff(plan, today)
	if err != nil {
		return 0
	}
	return q.Total
}
