package supportbot_test

import (
	"fmt"
	"testing"

	"supportbot"
)

// benchPlan is a plan of n monthly periods from 2026-01-15, the first paid
// periods paid, so that a payoff on 2026-11-21 has overdue, due and not-yet-due
// periods to sum.
func benchPlan(n, paid int) supportbot.Plan {
	p := supportbot.Plan{ID: "P", Periods: n, PrepayFeeRateBP: 150}
	for i := 1; i <= n; i++ {
		b := supportbot.Bill{PlanID: "P", Period: i, Principal: 24992, Fee: 500, LateFee: 0, Status: supportbot.BillUnpaid,
			DueDate: supportbot.Date(fmt.Sprintf("%04d-%02d-15", 2026+(i-1)/12, (i-1)%12+1))}
		if i <= paid {
			b.Status = supportbot.BillPaid
		}
		if b.DueDate < "2026-11-21" && b.Status == supportbot.BillUnpaid {
			b.LateFee = 1200
		}
		p.Bills = append(p.Bills, b)
	}
	return p
}

func BenchmarkComputePayoff(b *testing.B) {
	for _, c := range []struct{ periods, paid int }{{12, 9}, {36, 3}, {360, 10}} {
		p := benchPlan(c.periods, c.paid)
		b.Run(fmt.Sprintf("periods=%d", c.periods), func(b *testing.B) {
			var total supportbot.Money
			for b.Loop() {
				q, err := supportbot.ComputePayoff(p, "2026-11-21")
				if err != nil {
					b.Fatal(err)
				}
				total += q.Total
			}
			if total <= 0 {
				b.Fatal("no payoff")
			}
		})
	}
}
