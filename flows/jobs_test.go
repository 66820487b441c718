package flows_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/embedcore"
	"supportbot/flows"
	"supportbot/store"
)

// Periodic jobs with several instances on one database (issue 19): due-date
// reminders, the broadcast of a notice, the reminder of a ticket nobody
// answered and the embedded core's events (a closure decision, a failed
// debit) each reach their chat once, however many instances run the jobs at
// once. With job leases one instance runs each job at a time; without them
// — as when a lease runs out in the middle of a slow run — every instance
// runs every job at once, and each item must still go out once.

// instance is another process of the bot on the harness's database: its
// own connections, engine and embedded core. leases: its jobs and chats are
// leased, as in production on PostgreSQL.
func (h *harness) instance(name string, leases bool) *flows.Engine {
	h.t.Helper()
	db, err := store.Open(context.Background(), h.cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	db.Now = h.clock
	cfg := flows.Config{
		Store:       stateStore{db, nil},
		Core:        embedcore.New(db, shanghai, h.clock),
		Catalog:     h.cat,
		Classifier:  fakeClassifier{},
		Answers:     fakeAnswers{},
		Location:    shanghai,
		Now:         h.clock,
		Instance:    name,
		AgentChatID: h.agentChat,
		Hours:       supportbot.BusinessHours{Open: 9 * time.Hour, Close: 21 * time.Hour},
		CoreEvents:  embeddedEvents{db},
		ChatRefs:    h.refs,
	}
	if leases {
		l := db.Leases(name, 30*time.Second)
		cfg.Jobs, cfg.Turns = l, l
	}
	return flows.New(cfg)
}

func TestPeriodicJobsRunOncePerItemAcrossInstances(t *testing.T) {
	for _, leases := range []bool{true, false} {
		t.Run(fmt.Sprintf("leases=%v", leases), func(t *testing.T) {
			h := newHarness(t, remindFixture())
			h.agentChat = -100
			h.open()
			ctx := context.Background()

			// Due-date reminders: 周明's period 2 is due in 3 days.
			zhou := h.chat(2000, "zh")
			zhou.identify(phoneZhou)
			zhou.send("/remind")
			// Linked chats for the broadcast, one of them also owed a core event.
			h.chat(100, "zh").identify(phoneZhang)
			h.chat(300, "en").identify(phoneBob)
			wang := h.chat(400, "zh")
			wang.identify(phoneWang)
			// Tickets nobody will answer.
			var waiting []int64
			for i := range 4 {
				c := h.chat(int64(700+i), "zh")
				c.send("/agent")
				waiting = append(waiting, c.id)
			}
			h.drainOutbox()

			h.announce(start.Add(24*time.Hour), true)
			if err := h.db.Update(ctx, func(tx *store.Tx) error {
				return tx.EmitCoreEvent(ctx, supportbot.CoreEvent{ID: "evt_jobs_s9", Type: supportbot.EventScheduledRepaymentFailed,
					CreatedAt: start, Scheduled: &supportbot.ScheduledRepayment{ID: "S9", CustomerID: "C3", PlanID: "P4", Period: 3,
						Amount: 10000, CardID: "K8", Status: supportbot.ScheduledFailed}})
			}); err != nil {
				t.Fatal(err)
			}
			h.advance(6 * time.Minute) // 10:06: the tickets waited past 5 minutes

			engines := []*flows.Engine{h.instance("i1", leases), h.instance("i2", leases), h.instance("i3", leases)}
			for round := range 4 {
				var wg sync.WaitGroup
				errs := make([]error, len(engines))
				for i, e := range engines {
					wg.Add(1)
					go func() { defer wg.Done(); _, errs[i] = e.Notify(ctx) }()
				}
				wg.Wait()
				if err := errors.Join(errs...); err != nil {
					t.Errorf("round %d: %v", round, err)
				}
				// The events the jobs put in chats' inboxes, handled by whichever instance.
				for _, e := range engines {
					if err := e.Drain(ctx); err != nil {
						t.Fatal(err)
					}
				}
				h.advance(3 * time.Second)
			}

			byChat := map[int64][]string{}
			for _, r := range h.drainOutbox() {
				byChat[r.ChatID] = append(byChat[r.ChatID], r.Text)
			}
			count := func(chat int64, text string) int {
				n := 0
				for _, s := range byChat[chat] {
					n += strings.Count(s, text)
				}
				return n
			}
			want := []struct {
				chat int64
				text string
				n    int
				what string
			}{
				{2000, "第 2 期将于 2026年11月24日", 1, "due-date reminder"},
				{2000, "服务公告", 1, "broadcast"},
				{100, "服务公告", 1, "broadcast"},
				{300, "Service notice", 1, "broadcast"},
				{400, "服务公告", 1, "broadcast"},
				{400, "预约还款扣款失败", 1, "core event"},
				{h.agentChat, "⏰", len(waiting), "ticket reminders in the topics"},
			}
			for _, c := range waiting {
				want = append(want, struct {
					chat int64
					text string
					n    int
					what string
				}{c, "你已等待约", 1, "a word about the wait"})
			}
			for _, w := range want {
				if got := count(w.chat, w.text); got != w.n {
					t.Errorf("chat %d: %d × %s (%q), want %d:\n%s", w.chat, got, w.what, w.text, w.n, strings.Join(byChat[w.chat], "\n---\n"))
				}
			}
		})
	}
}
