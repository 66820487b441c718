package main

import (
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
	data, people, err := generate(50, 7, now, loc)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := importer.Parse(data)
	if err != nil {
		t.Fatalf("the importer rejects the generated file:\n%v", err)
	}
	if len(parsed) != 50 || len(people) != 50 {
		t.Fatalf("got %d customers, %d personas, want 50", len(parsed), len(people))
	}
	today := supportbot.DateOf(now, loc)
	for i, d := range parsed {
		p := d.Plans[0]
		if q, err := supportbot.ComputePayoff(p, today); err != nil || q.Total != people[i].payoff || q.PrepayFee == 0 || q.DueFees != 0 {
			t.Errorf("customer %d: payoff %+v, persona expects %v", i, q, people[i].payoff)
		}
		if p.Remaining() != people[i].remaining || p.PaidPeriods() != 3 {
			t.Errorf("customer %d: remaining %v, paid %d", i, p.Remaining(), p.PaidPeriods())
		}
		if supportbot.ContactPhone(people[i].phone) != d.Customer.Phone {
			t.Errorf("customer %d: shared phone %q does not match %q", i, people[i].phone, d.Customer.Phone)
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
