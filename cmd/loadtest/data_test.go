package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"supportbot"
	"supportbot/importer"
)

func TestGeneratedCustomersImport(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 31, 23, 30, 0, 0, loc) // month ends shift AddDate
	pop := newPopulation(50, 7, now, loc)
	var buf bytes.Buffer
	if err := pop.write(&buf); err != nil {
		t.Fatal(err)
	}
	parsed, err := importer.Parse(buf.Bytes())
	if err != nil {
		t.Fatalf("the importer rejects the generated file:\n%v", err)
	}
	if len(parsed) != 50 {
		t.Fatalf("got %d customers, want 50", len(parsed))
	}
	today := supportbot.DateOf(now, loc)
	for i, d := range parsed {
		want := pop.persona(i)
		p := d.Plans[0]
		if q, err := supportbot.ComputePayoff(p, today); err != nil || q.Total != want.payoff || q.PrepayFee == 0 || q.DueFees != 0 {
			t.Errorf("customer %d: payoff %+v, persona expects %v", i, q, want.payoff)
		}
		if p.Remaining() != want.remaining || p.PaidPeriods() != 3 {
			t.Errorf("customer %d: remaining %v, paid %d", i, p.Remaining(), p.PaidPeriods())
		}
		if supportbot.ContactPhone(want.phone) != d.Customer.Phone {
			t.Errorf("customer %d: shared phone %q does not match %q", i, want.phone, d.Customer.Phone)
		}
		if b := p.Bills[3]; b.DueDate != pop.dueDate() || b.Status != supportbot.BillUnpaid {
			t.Errorf("customer %d: 4th period due %v (%s), want %v unpaid", i, b.DueDate, b.Status, pop.dueDate())
		}
	}
}

// TestPopulationIsAFunctionOfIndex: a persona made on its own is the one
// written in the export, whatever was made before it.
func TestPopulationIsAFunctionOfIndex(t *testing.T) {
	pop := newPopulation(1000, 3, time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC), time.UTC)
	a, b := pop.persona(777), pop.persona(777)
	if a != b || a.index != 777 || a.userID != userIDBase+777 {
		t.Errorf("persona 777 = %+v then %+v", a, b)
	}
	if pop.persona(1) == pop.persona(2) {
		t.Error("two customers alike")
	}
}

func TestOrderIsAPermutation(t *testing.T) {
	pop := newPopulation(10000, 5, time.Now(), time.UTC)
	for _, random := range []bool{false, true} {
		seen := make([]bool, pop.n)
		inPlace := 0
		for i, v := range pop.order(random) {
			if seen[v] {
				t.Fatalf("random=%v: %d twice", random, v)
			}
			seen[v] = true
			if int(v) == i {
				inPlace++
			}
		}
		if random && inPlace > 100 || !random && inPlace != pop.n {
			t.Errorf("random=%v: %d of %d customers in import order", random, inPlace, pop.n)
		}
	}
}

func TestEchoHandler(t *testing.T) {
	for _, c := range []struct {
		ev   supportbot.Event
		want string
	}{
		{supportbot.Event{Kind: supportbot.EventText, Text: "提前还款要手续费吗"}, "提前还款要手续费吗"},
		{supportbot.Event{Kind: supportbot.EventCommand, Text: "bill"}, "/bill"},
		{supportbot.Event{Kind: supportbot.EventContact, Phone: "8613900000001"}, "8613900000001"},
		{supportbot.Event{Kind: supportbot.EventButton, Data: "echo:confirm"}, "echo:confirm"},
	} {
		c.ev.ChatID = 42
		h := &echoHandler{}
		err := h.Submit(context.Background(), c.ev)
		r, _ := h.DueMessages(context.Background(), time.Time{}, 10)
		if err != nil || len(r) != 1 || r[0].Reply.Text != c.want || r[0].Reply.ChatID != 42 {
			t.Errorf("echo of %+v = %+v, %v; want %q", c.ev, r, err, c.want)
		}
	}
}
