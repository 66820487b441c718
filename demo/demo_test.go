package demo_test

import (
	"context"
	"testing"
	"time"

	"supportbot"
	"supportbot/demo"
	"supportbot/importer"
	"supportbot/store/storetest"
)

// demoNows are instants that stress the date arithmetic: month ends, a leap
// day, the turn of a year, and late evening, when "in an hour" is tomorrow.
func demoNows(t *testing.T) (*time.Location, []time.Time) {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	var nows []time.Time
	for _, s := range []string{
		"2026-11-21T10:00:00", "2026-01-31T09:30:00", "2024-02-29T14:00:00",
		"2026-12-31T23:30:00", "2026-03-01T00:05:00", "2026-05-31T20:00:00",
	} {
		now, err := time.ParseInLocation("2006-01-02T15:04:05", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		nows = append(nows, now)
	}
	return loc, nows
}

func TestDataFlows(t *testing.T) {
	loc, nows := demoNows(t)
	for _, now := range nows {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			data, err := importer.Parse(demo.DataAt(now, loc))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkDemo(t, data, now, supportbot.DateOf(now, loc))
		})
	}
}

// checkDemo checks that each customer has what its row of the package
// comment promises, computed from the parsed data.
func checkDemo(t *testing.T, data []supportbot.CustomerData, now time.Time, today supportbot.Date) {
	byID := map[string]supportbot.CustomerData{}
	for _, d := range data {
		byID[d.Customer.ID] = d
		checkScheduled(t, d, today)
		if def, ok := defaultCard(d); !ok || def.Frozen {
			t.Errorf("%s: no usable default card", d.Customer.ID)
		}
	}
	get := func(id, phone string) supportbot.CustomerData {
		d, ok := byID[id]
		if !ok || d.Customer.Phone != phone {
			t.Fatalf("no customer %s with phone %s", id, phone)
		}
		return d
	}
	// The bill that scheduled repayment s pays.
	billOf := func(d supportbot.CustomerData, s supportbot.ScheduledRepayment) supportbot.Bill {
		for _, p := range d.Plans {
			if p.ID == s.PlanID {
				return p.Bills[s.Period-1]
			}
		}
		t.Fatalf("%s: no plan %s", s.ID, s.PlanID)
		return supportbot.Bill{}
	}
	dueSoon := func(b supportbot.Bill) bool { return b.DueDate >= today && today.DaysUntil(b.DueDate) <= 3 }
	cancellable := func(s supportbot.ScheduledRepayment) bool {
		return s.Status == supportbot.ScheduledScheduled && s.RunAt.Sub(now) > 2*time.Hour
	}

	zw := get("C1001", "+8613800138000")
	if zw.Customer.IDCardLast4 != "123X" || zw.Customer.Language != supportbot.LangZH {
		t.Errorf("C1001 = %+v, want ID last 4 123X, zh", zw.Customer)
	}
	var open, free, withFee int
	for _, p := range zw.Plans {
		if p.Open() {
			open++
			if p.PrepayFeeRateBP == 0 {
				free++
			} else if q, err := supportbot.ComputePayoff(p, today); err == nil && q.PrepayFee > 0 {
				withFee++
			}
		}
	}
	if open != 2 || free != 1 || withFee != 1 {
		t.Errorf("C1001: %d open plans, %d without and %d with a prepayment fee; want 2, 1, 1", open, free, withFee)
	}
	var far, imminent bool
	for _, s := range zw.Scheduled {
		in := s.RunAt.Sub(now)
		switch {
		case cancellable(s) && in > 7*24*time.Hour && in < 12*24*time.Hour && !dueSoon(billOf(zw, s)):
			far = true
		case s.Status == supportbot.ScheduledScheduled && in > 0 && in <= 2*time.Hour && dueSoon(billOf(zw, s)):
			imminent = true
		}
	}
	if !far || !imminent {
		t.Errorf("C1001: a repayment ~10 days away: %v; one within 2 hours, its bill due within 3 days: %v", far, imminent)
	}

	ln := get("C1002", "+8613900139000")
	var overdue bool
	for _, p := range ln.Plans {
		q, err := supportbot.ComputePayoff(p, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range p.Bills {
			if b.Overdue(today) && b.LateFee > 0 && q.DueFees > 0 && q.LateFees > 0 && q.NotDue > 0 {
				overdue = true
			}
		}
	}
	if !overdue {
		t.Errorf("C1002: no overdue bill with a late fee and fees in the payoff")
	}
	if !hasFrozenSecondCard(ln) {
		t.Errorf("C1002: no frozen card besides the default one: %+v", ln.Cards)
	}

	for id, want := range map[string]struct {
		phone   string
		refunds int
	}{"C1003": {"+8613700137000", 0}, "C1004": {"+8613600136000", 1}} {
		d := get(id, want.phone)
		if !settled(d) || d.Customer.PendingRefunds != want.refunds {
			t.Errorf("%s: settled %v with %d pending refunds; want settled with %d", id, settled(d), d.Customer.PendingRefunds, want.refunds)
		}
	}
	if get("C1004", "+8613600136000").Customer.Language != supportbot.LangEN {
		t.Errorf("C1004 does not speak English")
	}

	jm := get("C1005", "+8613500135000")
	var warned bool
	for _, s := range jm.Scheduled {
		warned = warned || cancellable(s) && dueSoon(billOf(jm, s))
	}
	if jm.Customer.Language != supportbot.LangEN || len(jm.Plans) == 0 || !jm.Plans[0].Open() || !warned {
		t.Errorf("C1005: want English, an open plan, a cancellable repayment whose bill is due within 3 days")
	}

	cj := get("C1006", "+8613300133000")
	if len(cj.Scheduled) != 1 || cj.Scheduled[0].Status != supportbot.ScheduledProcessing {
		t.Errorf("C1006: want one processing repayment, got %+v", cj.Scheduled)
	}
}

// checkScheduled checks that every active scheduled repayment pays, on the
// default card, exactly an unpaid bill.
func checkScheduled(t *testing.T, d supportbot.CustomerData, today supportbot.Date) {
	t.Helper()
	def, _ := defaultCard(d)
	for _, s := range d.Scheduled {
		for _, p := range d.Plans {
			if p.ID != s.PlanID {
				continue
			}
			b := p.Bills[s.Period-1]
			if b.Status != supportbot.BillUnpaid || b.Amount() != s.Amount || s.CardID != def.ID || b.DueDate < today {
				t.Errorf("%s pays %v on card %s for bill %+v", s.ID, s.Amount, s.CardID, b)
			}
		}
	}
}

func defaultCard(d supportbot.CustomerData) (supportbot.Card, bool) {
	for _, c := range d.Cards {
		if c.Default {
			return c, true
		}
	}
	return supportbot.Card{}, false
}

func hasFrozenSecondCard(d supportbot.CustomerData) bool {
	for _, c := range d.Cards {
		if c.Frozen && !c.Default {
			return true
		}
	}
	return false
}

func settled(d supportbot.CustomerData) bool {
	for _, p := range d.Plans {
		if p.Open() {
			return false
		}
	}
	for _, s := range d.Scheduled {
		if s.Status == supportbot.ScheduledScheduled || s.Status == supportbot.ScheduledProcessing {
			return false
		}
	}
	return len(d.Plans) > 0
}

func TestDataImports(t *testing.T) {
	ctx := context.Background()
	db, _ := storetest.Open(t)
	loc, nows := demoNows(t)
	data, err := importer.Parse(demo.DataAt(nows[0], loc))
	if err != nil {
		t.Fatal(err)
	}
	s, err := db.Import(ctx, data)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if s.Customers.Inserted != 6 || s.Plans.Inserted != 7 || s.Scheduled.Inserted != 4 {
		t.Errorf("Import stats = %+v, want 6 customers, 7 plans, 4 scheduled repayments inserted", s)
	}
	if s, err := db.Import(ctx, data); err != nil || s.Changed() {
		t.Errorf("re-import = %+v, %v; want no change", s, err)
	}
}

func TestDataToday(t *testing.T) {
	loc, _ := demoNows(t)
	today := supportbot.DateOf(time.Now(), loc)
	for _, d := range []supportbot.Date{today, "2026-01-31"} {
		if _, err := importer.Parse(demo.Data(d, loc)); err != nil {
			t.Errorf("Data(%s): %v", d, err)
		}
	}
}
