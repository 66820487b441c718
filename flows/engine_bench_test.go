package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"supportbot"
)

// benchCustomers are n customers with one card and one open 12-period plan
// with a prepayment fee, like the load test's; start is "now".
func benchCustomers(n int) []supportbot.CustomerData {
	data := make([]supportbot.CustomerData, n)
	for i := range data {
		id := fmt.Sprintf("B%06d", i)
		p := supportbot.Plan{ID: "BP" + id, CustomerID: id, OrderNo: fmt.Sprintf("52410%08d", i), Product: "Redmi K70",
			Partner: "小米分期", Principal: 12 * 30000, Periods: 12, PrepayFeeRateBP: 150}
		for k := 1; k <= 12; k++ {
			b := supportbot.Bill{PlanID: p.ID, Period: k, Principal: 30000, Fee: 300, Status: supportbot.BillUnpaid,
				DueDate: supportbot.DateOf(start.AddDate(0, k-4, 10), shanghai)}
			if k <= 3 {
				b.Status = supportbot.BillPaid
			}
			p.Bills = append(p.Bills, b)
		}
		data[i] = supportbot.CustomerData{
			Customer: supportbot.Customer{ID: id, Name: "客户", Phone: fmt.Sprintf("+86139%08d", i), IDCardLast4: "1234", Language: supportbot.LangZH},
			Cards:    []supportbot.Card{{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true}},
			Plans:    []supportbot.Plan{p},
		}
	}
	return data
}

// benchChats is a harness with n customers, each identified in chat 1+index.
func benchChats(b *testing.B, n int) (*harness, []*chat) {
	b.Helper()
	h := newHarness(b, benchCustomers(n))
	chats := make([]*chat, n)
	for i := range chats {
		chats[i] = h.chat(int64(i+1), "zh")
		chats[i].identify(fmt.Sprintf("86139%08d", i))
	}
	return h, chats
}

// BenchmarkEngineBill is one /bill of an identified customer: the step (the
// core's reads, one transaction, the replies into the outbox) and taking
// the replies out.
func BenchmarkEngineBill(b *testing.B) {
	const n = 200
	h, chats := benchChats(b, n)
	b.Run("serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			c := chats[i%n]
			i++
			if c.send("/bill"); !strings.Contains(c.text(), "Redmi K70") {
				b.Fatalf("/bill: %s", c.text())
			}
		}
	})
	// As the channel hands them over: many chats' updates in the inbox, then
	// the engine takes them all.
	b.Run("batch", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			evs := make([]supportbot.Event, n)
			for i := range evs {
				chat := int64(i + 1)
				evs[i] = supportbot.Event{Source: "bench:" + fmt.Sprint(h.source.Add(1)), ChatID: chat, UserID: chat, LanguageCode: "zh",
					Kind: supportbot.EventCommand, Text: "bill"}
			}
			if err := h.eng.Submit(ctx, evs...); err != nil {
				b.Fatal(err)
			}
			h.drain()
			msgs, err := h.db.DueMessages(ctx, h.clock().Add(time.Hour), 10*n)
			if err != nil {
				b.Fatal(err)
			}
			ids := make([]int64, len(msgs))
			for i, m := range msgs {
				ids[i] = m.ID
			}
			if err := h.db.MarkSent(ctx, ids...); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/step")
	})
}

// BenchmarkEngineRepay is an early repayment of an identified customer: the
// /repay step (a quote from the core) and the confirm step (the money action
// committed, executed against the core, settled, told); one op is both.
func BenchmarkEngineRepay(b *testing.B) {
	_, chats := benchChats(b, b.N)
	b.ResetTimer()
	for i := range b.N {
		c := chats[i]
		c.send("/repay")
		c.press("确认还款")
		if !strings.Contains(c.text(), "提前还款成功") {
			b.Fatalf("confirm: %s", c.text())
		}
	}
}

// BenchmarkEngineFAQ is one free-text question of an identified customer:
// the readers of typed words, the classifier, the answer into the outbox.
func BenchmarkEngineFAQ(b *testing.B) {
	const n = 200
	_, chats := benchChats(b, n)
	for _, q := range []string{"提前还款要手续费吗", "how do i change my default card"} {
		b.Run(q, func(b *testing.B) {
			i := 0
			for b.Loop() {
				c := chats[i%n]
				i++
				if c.send(q); c.text() == "" {
					b.Fatalf("%s: no answer", q)
				}
			}
		})
	}
}
