package flows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"supportbot"
)

// coreEvent takes a core event as /core/events would, and handles what it
// put in the chats' inboxes.
func (h *harness) coreEvent(ev supportbot.CoreEvent) {
	h.t.Helper()
	if err := h.eng.CoreEvent(context.Background(), ev); err != nil {
		h.t.Fatalf("core event %s: %v", ev.ID, err)
	}
	h.drain()
}

// TestAScheduledDebitThatFailedIsToldInEveryChatOnce: the core tells that a
// scheduled repayment failed: each of the customer's chats hears it once,
// with a way to pay now; the message center and the audit keep it once,
// however often the event comes.
func TestAScheduledDebitThatFailedIsToldInEveryChatOnce(t *testing.T) {
	h := newHarness(t, fixture())
	a, b := h.chat(100, "zh"), h.chat(101, "zh")
	a.identify(phoneWang)
	b.identify(phoneWang)
	stranger := h.chat(300, "zh")
	stranger.identify(phoneBob)
	ev := supportbot.CoreEvent{ID: "evt_s9_failed", Type: supportbot.EventScheduledRepaymentFailed, CreatedAt: start,
		Scheduled: &supportbot.ScheduledRepayment{ID: "S9", CustomerID: "C3", PlanID: "P4", Period: 3, Amount: 10000,
			CardID: "K8", Status: supportbot.ScheduledFailed}}
	h.coreEvent(ev)
	h.coreEvent(ev) // delivered again
	for _, c := range []*chat{a, b} {
		c.inbox()
		if n := strings.Count(c.text(), "预约还款扣款失败：「Xiaomi Watch」第 3 期，<b>¥100.00</b>"); n != 1 {
			t.Errorf("chat %d told %d times, want once:\n%s", c.id, n, c.text())
		}
	}
	if stranger.inbox(); len(stranger.last) != 0 {
		t.Errorf("another customer's chat was told: %s", stranger.text())
	}
	a.press("立即还款")
	a.expect("<b>📄 逾期账单</b>：Xiaomi Watch", "合计应付")
	if n := len(h.audit("scheduled_failed")); n != 1 {
		t.Errorf("scheduled_failed audit entries = %d, want 1", n)
	}
	a.send("/messages")
	if n := strings.Count(a.text(), "预约还款扣款失败：第 3 期，¥100.00"); n != 1 {
		t.Errorf("message center has it %d times, want once:\n%s", n, a.text())
	}
}

// TestAScheduledFailureOfAPeriodPaidSinceIsNotTold: a debit's failure that
// reaches the chat after the customer paid that period (the event came late,
// or waited for the core) is not told "failed, pay now".
func TestAScheduledFailureOfAPeriodPaidSinceIsNotTold(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/pay")
	c.press("确认还款")
	c.expect("还款成功")
	paid := h.paid("C3")
	h.coreEvent(supportbot.CoreEvent{ID: "evt_late_failed", Type: supportbot.EventScheduledRepaymentFailed, CreatedAt: start,
		Scheduled: &supportbot.ScheduledRepayment{ID: "S9", CustomerID: "C3", PlanID: "P4", Period: paid.Periods[0], Amount: 10000,
			CardID: "K8", Status: supportbot.ScheduledFailed}})
	c.inbox()
	c.reject("扣款失败", "立即还款")
}

// TestAScheduledEventAsTheContractSendsItIsTold: the contract's Scheduled
// names its plan, not its customer: the event is told to the chats of the
// customer whose plans the bot saw it among (identifying reads them), and
// to nobody when the bot never saw the plan (found by an outside probe: a
// contract-exact scheduled_repayment.failed was acknowledged and lost).
func TestAScheduledEventAsTheContractSendsItIsTold(t *testing.T) {
	h := newHarness(t, fixture())
	a := h.chat(100, "zh")
	a.identify(phoneWang)
	stranger := h.chat(300, "zh")
	stranger.identify(phoneBob)
	failed := func(id, plan string) supportbot.CoreEvent {
		return supportbot.CoreEvent{ID: id, Type: supportbot.EventScheduledRepaymentFailed, CreatedAt: start,
			Scheduled: &supportbot.ScheduledRepayment{ID: "S-" + id, PlanID: plan, Period: 3, Amount: 10000,
				CardID: "K8", Status: supportbot.ScheduledFailed}}
	}
	h.coreEvent(failed("evt_contract", "P4"))
	a.inbox()
	a.expect("预约还款扣款失败：「Xiaomi Watch」第 3 期，<b>¥100.00</b>", "立即还款")
	if stranger.inbox(); len(stranger.last) != 0 {
		t.Errorf("another customer's chat was told: %s", stranger.text())
	}
	if n := len(h.audit("scheduled_failed")); n != 1 {
		t.Errorf("scheduled_failed audit entries = %d, want 1", n)
	}
	h.coreEvent(failed("evt_unseen_plan", "P999"))
	for _, c := range []*chat{a, stranger} {
		if c.inbox(); len(c.last) != 0 {
			t.Errorf("an event about a plan never seen was told in chat %d: %s", c.id, c.text())
		}
	}
	// The core no longer lists the plan as the customer's: not told.
	h.hooks.set(func(k *hooks) {
		k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, nil }
	})
	h.coreEvent(failed("evt_plan_gone", "P4"))
	if a.inbox(); len(a.last) != 0 {
		t.Errorf("an event about a plan the core no longer lists as the customer's was told: %s", a.text())
	}
}

// TestAScheduledEventWaitsForTheCoreToNameThePlan: a scheduled event whose
// plan the core does not answer for is not told with the core's plan id in
// place of the product, nor without asking whether the plan is still the
// customer's: it waits until the core answers, then is told by the
// product's name — or not at all, the plan being no longer theirs.
func TestAScheduledEventWaitsForTheCoreToNameThePlan(t *testing.T) {
	h := newHarness(t, fixture())
	a := h.chat(100, "zh")
	a.identify(phoneWang)
	failed := func(id string) supportbot.CoreEvent {
		return supportbot.CoreEvent{ID: id, Type: supportbot.EventScheduledRepaymentFailed, CreatedAt: start,
			Scheduled: &supportbot.ScheduledRepayment{ID: "S-" + id, PlanID: "P4", Period: 3, Amount: 10000,
				CardID: "K8", Status: supportbot.ScheduledFailed}}
	}
	plans := func(f func(context.Context, string) ([]supportbot.Plan, error)) {
		h.hooks.set(func(k *hooks) { k.plans = f })
	}
	down := func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
	plans(down)
	h.coreEvent(failed("evt_s_down"))
	if a.inbox(); len(a.last) != 0 {
		t.Errorf("told while the core does not answer: %s", a.text())
	}
	plans(nil)
	h.advance(time.Minute)
	h.drain()
	a.inbox()
	a.expect("预约还款扣款失败：「Xiaomi Watch」第 3 期，<b>¥100.00</b>", "立即还款")
	a.reject("P4」")

	plans(down)
	h.coreEvent(failed("evt_s_gone"))
	plans(func(context.Context, string) ([]supportbot.Plan, error) { return nil, nil })
	h.advance(time.Minute)
	h.drain()
	if a.inbox(); len(a.last) != 0 {
		t.Errorf("told once the core answers the plan is no longer the customer's: %s", a.text())
	}
}

// TestABillOverdueEventRemindsThoseWhoAskedOnce: the core's bill.overdue is
// the overdue reminder for a customer who asked for reminders, once, whether
// the event or the reminder job comes first; nothing for one who did not.
func TestABillOverdueEventRemindsThoseWhoAskedOnce(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour) // 08:00, before the job's hour
	w := h.chat(2200, "zh")
	w.identify(phoneWu)
	w.send("/remind")
	z := h.chat(2000, "zh") // 周明 did not ask
	z.identify(phoneZhou)
	overdue := func(id, customer, plan string, period int) supportbot.CoreEvent {
		return supportbot.CoreEvent{ID: id, Type: supportbot.EventBillOverdue, CreatedAt: h.clock(),
			Bill: &supportbot.BillRef{CustomerID: customer, PlanID: plan, Period: period}}
	}
	h.coreEvent(overdue("evt_pr3_1", "C22", "PR3", 1))
	h.coreEvent(overdue("evt_pr3_1_again", "C22", "PR3", 1)) // the same bill, another event
	w.inbox()
	if n := strings.Count(w.text(), "⚠️ 逾期提醒：「Xiaomi TV」（订单号 <code>5241000000022</code>）第 1 期（还款日 2026年11月20日）已逾期"); n != 1 {
		t.Errorf("reminded %d times, want once:\n%s", n, w.text())
	}
	w.expect("其中滞纳金 ¥5.00", "立即还款")
	h.coreEvent(overdue("evt_pr1_2", "C20", "PR1", 2))
	if z.inbox(); len(z.last) != 0 {
		t.Errorf("a customer who did not ask was reminded: %s", z.text())
	}
	h.advance(2 * time.Hour) // 10:00: the job finds the same overdue bill told already
	h.notify()
	w.inbox()
	if strings.Contains(w.text(), "第 1 期（还款日 2026年11月20日）已逾期") {
		t.Errorf("the job reminded again:\n%s", w.text())
	}
}

// TestACoreEventTheCoreDoesNotAnswerIsToldWhenItDoes: a bill.overdue taken
// (acknowledged to the core) while the core's reads fail is not dropped: it
// waits, tried again with backoff, and is told once the core answers; the
// customer's own messages meanwhile get what they get with the core down,
// not held back behind it. One the core does not answer for a day is given
// up: a reminder days late is no use.
func TestACoreEventTheCoreDoesNotAnswerIsToldWhenItDoes(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour) // 08:00, before the job's hour
	w := h.chat(2200, "zh")
	w.identify(phoneWu)
	w.send("/remind")
	down := func() {
		h.hooks.set(func(k *hooks) {
			k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
		})
	}
	back := func() { h.hooks.set(func(k *hooks) { k.plans = nil }) }
	overdue := func(id string, period int) supportbot.CoreEvent {
		return supportbot.CoreEvent{ID: id, Type: supportbot.EventBillOverdue, CreatedAt: h.clock(),
			Bill: &supportbot.BillRef{CustomerID: "C22", PlanID: "PR3", Period: period}}
	}
	down()
	h.coreEvent(overdue("evt_pr3_1", 1))
	if w.inbox(); len(w.last) != 0 {
		t.Errorf("told while the core does not answer: %s", w.text())
	}
	w.send("/bill")
	w.expect("分期系统暂时没有响应")
	h.advance(time.Minute)
	h.drain()
	if w.inbox(); len(w.last) != 0 {
		t.Errorf("told while the core still does not answer: %s", w.text())
	}
	back()
	h.advance(time.Minute)
	h.drain()
	w.inbox()
	if n := strings.Count(w.text(), "⚠️ 逾期提醒：「Xiaomi TV」（订单号 <code>5241000000022</code>）第 1 期"); n != 1 {
		t.Errorf("once the core answers: reminded %d times, want once:\n%s", n, w.text())
	}

	down()
	h.coreEvent(overdue("evt_pr3_2", 2))
	h.advance(12 * time.Hour)
	h.drain()
	if n, err := h.db.InboxDepth(context.Background()); err != nil || n != 1 {
		t.Errorf("12 hours without an answer: %d events wait (%v), want the event still waiting", n, err)
	}
	h.advance(13 * time.Hour)
	h.drain()
	if n, err := h.db.InboxDepth(context.Background()); err != nil || n != 0 {
		t.Errorf("25 hours without an answer: %d events wait (%v), want it given up", n, err)
	}
	back()
	h.advance(time.Minute)
	h.drain()
	if w.inbox(); len(w.last) != 0 {
		t.Errorf("told after it was given up: %s", w.text())
	}
}

// TestAnEventForAnUnlinkedChatIsNotTold: the chat was unlinked (/logout)
// after the event was taken in: its step tells nothing of the customer.
func TestAnEventForAnUnlinkedChatIsNotTold(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	ev := supportbot.CoreEvent{ID: "evt_s9_done", Type: supportbot.EventScheduledRepaymentSucceeded, CreatedAt: start,
		Scheduled: &supportbot.ScheduledRepayment{ID: "S9", CustomerID: "C3", PlanID: "P4", Period: 3, Amount: 10000,
			CardID: "K8", Status: supportbot.ScheduledDone}}
	if err := h.eng.CoreEvent(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	c.submit(supportbot.Event{Kind: supportbot.EventCommand, Text: "logout", Source: "test:logout-first"})
	// The event's step and the logout's run in the order they came: the
	// event first, then the logout. A second customer of the chat later
	// must not hear the first's events.
	h.drain()
	c.inbox()
	c.expect("预约还款已扣款成功", "已解除")
	c.identify(phoneBob)
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s9_done_late", Type: supportbot.EventScheduledRepaymentSucceeded, CreatedAt: start,
		Scheduled: ev.Scheduled})
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("Bob's chat heard 王芳's event: %s", c.text())
	}
}

// TestAnOlderEventArrivingLaterDoesNotUndoANewerOne: the core does not keep
// order. A scheduled debit that failed and then, tried again, succeeded is
// told as paid when the success arrives first — the failure arriving after
// it is not told ("pay now" would pay twice), nor kept in the message
// center; an older customer.updated with a phone the customer has since
// left does not unlink the chat the newer one kept linked.
func TestAnOlderEventArrivingLaterDoesNotUndoANewerOne(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	booking := func(status string) *supportbot.ScheduledRepayment {
		return &supportbot.ScheduledRepayment{ID: "S9", CustomerID: "C3", PlanID: "P4", Period: 3, Amount: 10000,
			CardID: "K8", Status: status}
	}
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s9_done", Type: supportbot.EventScheduledRepaymentSucceeded,
		CreatedAt: start.Add(time.Hour), Scheduled: booking(supportbot.ScheduledDone)})
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s9_failed", Type: supportbot.EventScheduledRepaymentFailed,
		CreatedAt: start, Scheduled: booking(supportbot.ScheduledFailed)})
	c.inbox()
	c.expect("预约还款已扣款成功")
	c.reject("扣款失败", "立即还款")
	c.send("/messages")
	c.reject("扣款失败")
	if n := len(h.audit("scheduled_failed")); n != 0 {
		t.Errorf("the older failure was audited as news: %d entries", n)
	}

	// The core's created_at is in seconds: a failure created in the same
	// second as the success, arriving after it, is not told either (a
	// booking debited is done for good); the success after a failure of
	// the same second is.
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s9_done_same", Type: supportbot.EventScheduledRepaymentSucceeded,
		CreatedAt: start.Add(2 * time.Hour), Scheduled: booking(supportbot.ScheduledDone)})
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s9_failed_same", Type: supportbot.EventScheduledRepaymentFailed,
		CreatedAt: start.Add(2 * time.Hour), Scheduled: booking(supportbot.ScheduledFailed)})
	c.inbox()
	c.expect("预约还款已扣款成功")
	c.reject("扣款失败", "立即还款")
	s10 := *booking(supportbot.ScheduledFailed)
	s10.ID = "S10"
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s10_failed", Type: supportbot.EventScheduledRepaymentFailed,
		CreatedAt: start, Scheduled: &s10})
	s10.Status = supportbot.ScheduledDone
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s10_done", Type: supportbot.EventScheduledRepaymentSucceeded,
		CreatedAt: start, Scheduled: &s10})
	c.inbox()
	c.expect("扣款失败", "预约还款已扣款成功")

	newer := supportbot.CoreEvent{ID: "evt_c3_back", Type: supportbot.EventCustomerUpdated, CreatedAt: start.Add(time.Hour),
		Customer: &supportbot.Customer{ID: "C3", Name: "王芳", Phone: onFile(phoneWang), Language: supportbot.LangZH}}
	older := supportbot.CoreEvent{ID: "evt_c3_moved", Type: supportbot.EventCustomerUpdated, CreatedAt: start,
		Customer: &supportbot.Customer{ID: "C3", Name: "王芳", Phone: "+8613811112222", Language: supportbot.LangZH}}
	h.coreEvent(newer)
	h.coreEvent(older)
	c.inbox()
	c.reject("手机号已变更")
	c.send("/bill")
	c.expect("Xiaomi Watch")
	c.reject("分享我的手机号")
	if n := len(h.audit("unlink")); n != 0 {
		t.Errorf("unlinked by an older update: %d unlink entries", n)
	}
}
