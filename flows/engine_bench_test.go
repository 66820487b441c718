package flows_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
	"supportbot/locale"
	"supportbot/store"
)

// benchNow is the clock of the benchmarks; every plan has periods paid, due
// today's month and not yet due.
var benchNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// benchCustomers are n customers with one card and one open 12-period plan
// with a prepayment fee, like the load test's.
func benchCustomers(n int) []supportbot.CustomerData {
	data := make([]supportbot.CustomerData, n)
	for i := range data {
		id := fmt.Sprintf("B%06d", i)
		p := supportbot.Plan{ID: "BP" + id, CustomerID: id, OrderNo: fmt.Sprintf("52410%08d", i), Product: "Redmi K70",
			Partner: "小米分期", Principal: 12 * 30000, Periods: 12, PrepayFeeRateBP: 150}
		for k := 1; k <= 12; k++ {
			b := supportbot.Bill{PlanID: p.ID, Period: k, Principal: 30000, Fee: 300, Status: supportbot.BillUnpaid,
				DueDate: supportbot.DateOf(benchNow.AddDate(0, k-4, 10), benchNow.Location())}
			if k <= 3 {
				b.Status = supportbot.BillPaid
			}
			p.Bills = append(p.Bills, b)
		}
		data[i] = supportbot.CustomerData{
			Customer: supportbot.Customer{ID: id, Name: "客户", Phone: fmt.Sprintf("139%08d", i), IDCardLast4: "1234", Language: supportbot.LangZH},
			Cards:    []supportbot.Card{{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true}},
			Plans:    []supportbot.Plan{p},
		}
	}
	return data
}

type benchClassifier struct{}

func (benchClassifier) Classify(string) flows.Classification {
	return flows.Classification{Kind: "none"}
}

type benchAnswers struct{}

func (benchAnswers) Answer(string, supportbot.Lang) (string, string, bool) { return "", "", false }
func (benchAnswers) Title(string, supportbot.Lang) string                  { return "" }

// benchEngine is the engine as cmd/supportbot wires it for Telegram (replies
// go to the outbox in the step's transaction) on a temp-file database with n
// customers, each already identified in chat 1+index.
func benchEngine(b *testing.B, n int) *flows.Engine {
	b.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return benchNow }
	if _, err := db.Import(ctx, benchCustomers(n)); err != nil {
		b.Fatal(err)
	}
	cat, err := locale.Load()
	if err != nil {
		b.Fatal(err)
	}
	eng := flows.New(flows.Config{
		Begin: func(ctx context.Context) (flows.Tx, error) {
			tx, err := db.Begin(ctx)
			if err != nil {
				return nil, err
			}
			return tx, nil
		},
		Catalog:    cat,
		Classifier: benchClassifier{},
		Answers:    benchAnswers{},
		Location:   benchNow.Location(),
		Now:        func() time.Time { return benchNow },
		Outbox:     true,
	})
	for i := range n {
		chat := int64(i + 1)
		r := benchHandle(b, eng, supportbot.Event{ChatID: chat, UserID: chat, Kind: supportbot.EventContact,
			Phone: fmt.Sprintf("86139%08d", i), ContactUserID: chat})
		if !strings.Contains(r[0].Text, "验证成功") {
			b.Fatalf("identify: %q", r[0].Text)
		}
	}
	return eng
}

var benchUpdate atomic.Int64

func benchHandle(b *testing.B, eng *flows.Engine, ev supportbot.Event) []supportbot.Reply {
	ev.UpdateID, ev.LanguageCode = benchUpdate.Add(1), "zh"
	r, err := eng.Handle(context.Background(), ev)
	if err != nil || len(r) == 0 {
		b.Fatalf("handle %s %q: %d replies, %v", ev.Kind, ev.Text, len(r), err)
	}
	return r
}

// BenchmarkEngineBill is one /bill of an identified customer: the whole
// step, its transaction included (3 replies into the outbox).
func BenchmarkEngineBill(b *testing.B) {
	const chats = 200
	eng := benchEngine(b, chats)
	b.Run("serial", func(b *testing.B) {
		i := int64(0)
		for b.Loop() {
			i++
			r := benchHandle(b, eng, supportbot.Event{ChatID: i%chats + 1, UserID: i%chats + 1, Kind: supportbot.EventCommand, Text: "bill"})
			if len(r) != 3 {
				b.Fatalf("/bill: %d replies", len(r))
			}
		}
	})
	// As the adapter runs it: many chats at once (one database connection).
	b.Run("parallel", func(b *testing.B) {
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := next.Add(1)
				benchHandle(b, eng, supportbot.Event{ChatID: i%chats + 1, UserID: i%chats + 1, Kind: supportbot.EventCommand, Text: "bill"})
			}
		})
	})
}

// BenchmarkEngineRepay is an early repayment of an identified customer: the
// /repay step (quote) and the confirm step (payment, bills paid, audit,
// notice), each in its own transaction; one op is both steps.
func BenchmarkEngineRepay(b *testing.B) {
	eng := benchEngine(b, b.N)
	b.ResetTimer()
	for i := range b.N {
		chat := int64(i + 1)
		q := benchHandle(b, eng, supportbot.Event{ChatID: chat, UserID: chat, Kind: supportbot.EventCommand, Text: "repay"})
		var data string
		for _, row := range q[len(q)-1].Buttons {
			for _, btn := range row {
				if strings.Contains(btn.Text, "确认还款") {
					data = btn.Data
				}
			}
		}
		if data == "" {
			b.Fatalf("/repay: no confirm button in %q", q[len(q)-1].Text)
		}
		r := benchHandle(b, eng, supportbot.Event{ChatID: chat, UserID: chat, Kind: supportbot.EventButton, Data: data})
		if !strings.Contains(r[0].Text, "提前还款成功") {
			b.Fatalf("confirm: %q", r[0].Text)
		}
	}
}
