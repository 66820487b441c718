package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
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
	// Naming another customer than its plan's: the plan's owner is told, the
	// other's message center gets nothing (a money probe).
	misnamed := failed("evt_misnamed", "P4")
	misnamed.Scheduled.CustomerID = "C2"
	h.coreEvent(misnamed)
	a.inbox()
	a.expect("预约还款扣款失败：「Xiaomi Watch」第 3 期")
	if stranger.inbox(); len(stranger.last) != 0 {
		t.Errorf("the customer the event misnamed was told: %s", stranger.text())
	}
	if list, err := h.db.Notices(context.Background(), "C2", 0, 10); err != nil || len(list) != 0 {
		t.Errorf("the misnamed customer's message center: %+v, %v", list, err)
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
// the event or the reminder job comes first, in each of their chats (a
// probe: only the chat whose step ran first was told); nothing for one who
// did not. It keeps the reminders' hours: one that comes before them (the
// core sends it as the bill falls due, at midnight) is the job's to tell at
// the hour, not a message at night.
func TestABillOverdueEventRemindsThoseWhoAskedOnce(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour) // 08:00, before the reminders' hour
	w := h.chat(2200, "zh")
	w.identify(phoneWu)
	w.send("/remind")
	w2 := h.chat(2201, "zh") // the same customer's other chat
	w2.identify(phoneWu)
	z := h.chat(2000, "zh") // 周明 did not ask
	z.identify(phoneZhou)
	overdue := func(id, customer, plan string, period int) supportbot.CoreEvent {
		return supportbot.CoreEvent{ID: id, Type: supportbot.EventBillOverdue, CreatedAt: h.clock(),
			Bill: &supportbot.BillRef{CustomerID: customer, PlanID: plan, Period: period}}
	}
	const first = "⚠️ 逾期提醒：「Xiaomi TV」（订单号 <code>5241000000022</code>）第 1 期（还款日 2026年11月20日）已逾期"
	h.coreEvent(overdue("evt_pr3_1", "C22", "PR3", 1))
	if w.inbox(); strings.Contains(w.text(), "已逾期") {
		t.Errorf("told before the reminders' hour:\n%s", w.text())
	}
	h.advance(2 * time.Hour) // 10:00: the job tells it
	h.notify()
	h.coreEvent(overdue("evt_pr3_1_again", "C22", "PR3", 1)) // the same bill, another event
	for _, c := range []*chat{w, w2} {
		c.inbox()
		if n := strings.Count(c.text(), first); n != 1 {
			t.Errorf("chat %d reminded %d times, want once:\n%s", c.id, n, c.text())
		}
	}
	w.expect("其中滞纳金 ¥5.00", "立即还款")
	h.coreEvent(overdue("evt_pr1_2", "C20", "PR1", 2))
	if z.inbox(); len(z.last) != 0 {
		t.Errorf("a customer who did not ask was reminded: %s", z.text())
	}

	// The second period falls due on the 22nd: its event on the 23rd, in
	// the reminders' hours, is told at once in both chats, and the job does
	// not tell it again.
	h.advance(49 * time.Hour) // 11-23 11:00
	const second = "第 2 期（还款日 2026年11月22日）已逾期"
	h.coreEvent(overdue("evt_pr3_2", "C22", "PR3", 2))
	h.notify()
	for _, c := range []*chat{w, w2} {
		c.inbox()
		if n := strings.Count(c.text(), second); n != 1 {
			t.Errorf("chat %d told the second period's overdue %d times, want once:\n%s", c.id, n, c.text())
		}
	}
}

// TestACoreEventTheCoreDoesNotAnswerIsToldWhenItDoes: a bill.overdue taken
// (acknowledged to the core) while the core's reads fail is not dropped: it
// waits, tried again with backoff, and is told once the core answers; the
// customer's own messages meanwhile get what they get with the core down,
// not held back behind it. One the core does not answer for a day is given
// up: a reminder days late is no use.
func TestACoreEventTheCoreDoesNotAnswerIsToldWhenItDoes(t *testing.T) {
	h := newHarness(t, remindFixture()) // 10:00, in the reminders' hours
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
	h.advance(10 * time.Hour) // 20:02
	h.drain()
	if n, err := h.db.InboxDepth(context.Background()); err != nil || n != 1 {
		t.Errorf("10 hours without an answer: %d events wait (%v), want the event still waiting", n, err)
	}
	h.advance(15 * time.Hour) // 11:02 the next day
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
	s11 := *booking(supportbot.ScheduledDone)
	s11.ID = "S11"
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s11_done", Type: supportbot.EventScheduledRepaymentSucceeded,
		CreatedAt: start.Add(2 * time.Hour), Scheduled: &s11})
	s11.Status = supportbot.ScheduledFailed
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s11_failed_same", Type: supportbot.EventScheduledRepaymentFailed,
		CreatedAt: start.Add(2 * time.Hour), Scheduled: &s11})
	c.inbox()
	c.expect("预约还款已扣款成功")
	c.reject("扣款失败", "立即还款")

	// A debit told is told once: the core emitting it again under another
	// event id (a probe: 10 s later, told and audited twice) is not news.
	h.coreEvent(supportbot.CoreEvent{ID: "evt_s9_done_again", Type: supportbot.EventScheduledRepaymentSucceeded,
		CreatedAt: start.Add(3 * time.Hour), Scheduled: booking(supportbot.ScheduledDone)})
	if got := c.inbox(); len(got) != 0 {
		t.Errorf("a debit emitted again under another id was told again: %s", c.text())
	}
	if n := len(h.audit("scheduled_done")); n != 2 {
		t.Errorf("scheduled_done audited %d times for two debits (S9, S11), want 2", n)
	}
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

// TestAClosureDecidedIsToldOnce: a probe's core decided a closure request
// "completed" under two event ids, then "rejected" under a third, later:
// the customer was told "closed" twice, then "rejected". A decision is
// final: told once, audited once.
func TestAClosureDecidedIsToldOnce(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	decided := func(id, status string, at time.Duration) {
		h.coreEvent(supportbot.CoreEvent{ID: id, Type: supportbot.EventClosureRequestDecided, CreatedAt: start.Add(at),
			Closure: &supportbot.ClosureRequest{Reference: "CR-20261121-0009", CustomerID: "C3", Status: status, Reason: "核对完成",
				ExpectedFrom: "2026-11-24", ExpectedTo: "2026-11-26", CreatedAt: start.Add(-time.Hour), DecidedAt: start.Add(at)}})
	}
	decided("evt_cl_done", supportbot.ClosureCompleted, 0)
	c.inbox()
	c.expect("CR-20261121-0009")
	decided("evt_cl_done_again", supportbot.ClosureCompleted, 10*time.Second)
	decided("evt_cl_rejected_later", supportbot.ClosureRejected, time.Minute)
	if got := c.inbox(); len(got) != 0 {
		t.Errorf("a decided closure was told again: %s", c.text())
	}
	if n := len(h.audit("closure_status")); n != 1 {
		t.Errorf("closure_status audited %d times, want 1", n)
	}
}

// TestACustomersNoticeIsNotToldToAChatOfTheirOldPhone: the core changed the
// customer's phone and its customer.updated has not come: a chat linked
// through the old phone — perhaps someone else's now — is not shown their
// overdue bill, a failed debit or a closure decision (a probe: all three
// were); it is unlinked and asked to identify again, as any step of it is.
func TestACustomersNoticeIsNotToldToAChatOfTheirOldPhone(t *testing.T) {
	h := newHarness(t, remindFixture())
	a := h.chat(2200, "zh")
	moved := func(on bool) {
		h.hooks.set(func(k *hooks) {
			k.customer = nil
			if !on {
				return
			}
			k.customer = func(ctx context.Context, id string) (*supportbot.Customer, error) {
				c, err := k.Core.Customer(ctx, id)
				if err == nil && id == "C22" {
					moved := *c
					moved.Phone = "+8615999999999"
					return &moved, nil
				}
				return c, err
			}
		})
	}
	for i, ev := range []supportbot.CoreEvent{
		{ID: "evt_od_old_phone", Type: supportbot.EventBillOverdue, CreatedAt: h.clock(),
			Bill: &supportbot.BillRef{CustomerID: "C22", PlanID: "PR3", Period: 1}},
		{ID: "evt_sf_old_phone", Type: supportbot.EventScheduledRepaymentFailed, CreatedAt: h.clock(),
			Scheduled: &supportbot.ScheduledRepayment{ID: "SX", CustomerID: "C22", PlanID: "PR3", Period: 2, Amount: 80000, CardID: "K22", Status: "failed"}},
		{ID: "evt_cl_old_phone", Type: supportbot.EventClosureRequestDecided, CreatedAt: h.clock(),
			Closure: &supportbot.ClosureRequest{Reference: "CR-20261121-0009", CustomerID: "C22", Status: "rejected", Reason: "有未还账单",
				ExpectedFrom: "2026-11-24", ExpectedTo: "2026-11-26", CreatedAt: start.Add(-time.Hour), DecidedAt: start}},
	} {
		moved(false)
		a.identify(phoneWu) // linked through the phone on file, then the core changes it
		if i == 0 {
			a.send("/remind")
		}
		moved(true)
		h.coreEvent(ev)
		a.inbox()
		a.expect("手机号已变更")
		if strings.Contains(a.text(), "¥80") || strings.Contains(a.text(), "CR-20261121-0009") || strings.Contains(a.text(), "逾期提醒") {
			t.Errorf("%s told to a chat of the old phone:\n%s", ev.Type, a.text())
		}
	}
}

// TestScheduledRepaymentNoticesSayWhatIsLeft: a booking debited for less
// than its period is not a "done" to rest on — the period is still open,
// with the way to pay it (a probe); one that failed on a period already
// overdue says it is late, not "pay by the due date".
func TestScheduledRepaymentNoticesSayWhatIsLeft(t *testing.T) {
	h := newHarness(t, remindFixture())
	c := h.chat(2000, "zh")
	c.identify(phoneZhou)
	sched := func(id string, typ supportbot.CoreEventType, period int, amount supportbot.Money) supportbot.CoreEvent {
		return supportbot.CoreEvent{ID: id, Type: typ, CreatedAt: h.clock(),
			Scheduled: &supportbot.ScheduledRepayment{ID: "S-" + id, CustomerID: "C20", PlanID: "PR1", Period: period, Amount: amount, CardID: "K20"}}
	}
	h.coreEvent(sched("short", supportbot.EventScheduledRepaymentSucceeded, 2, 100))
	c.inbox()
	c.expect("预约还款已扣款成功：「Redmi 14C」第 2 期，<b>¥1.00</b>", "这一期还没有还清", "立即还款")
	h.coreEvent(sched("full", supportbot.EventScheduledRepaymentSucceeded, 3, 50100))
	c.inbox()
	c.expect("第 3 期，<b>¥501.00</b>")
	c.reject("还没有还清", "立即还款")

	h.advance(5 * 24 * time.Hour) // 11-26: period 2 (due 11-24) is overdue
	h.coreEvent(sched("late", supportbot.EventScheduledRepaymentFailed, 2, 50100))
	c.inbox()
	c.expect("预约还款扣款失败", "已经逾期", "立即还款")
	c.reject("请在还款日前")
}

// TestACustomerUpdatedLanguageWaitsForTheStep: the core's language change
// does not turn a quote on screen into another language's payment (a
// probe: 确认 under a Chinese quote paid in English); outside a step it
// is the chat's language.
func TestACustomerUpdatedLanguageWaitsForTheStep(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/pay")
	c.expect("确认")
	toEnglish := func(id string, at time.Time) supportbot.CoreEvent {
		return supportbot.CoreEvent{ID: id, Type: supportbot.EventCustomerUpdated, CreatedAt: at,
			Customer: &supportbot.Customer{ID: "C3", Name: "王芳", Phone: onFile(phoneWang), Language: "en"}}
	}
	h.coreEvent(toEnglish("evt_lang_mid", start.Add(time.Second)))
	c.send("确认")
	c.expect("还款成功")
	c.reject("Paid", "Charging")
	h.coreEvent(toEnglish("evt_lang_idle", start.Add(2*time.Second)))
	c.send("/menu")
	c.expect("My bills")
}

// TestAPlanBoughtSinceIsTheSubscribersByTheNextPass: a booking's event
// names its plan, not its customer; a plan the bot never read (bought after
// the customer last asked anything) was dropped (a probe). The reminder
// job's read of a subscriber's plans records them as theirs.
func TestAPlanBoughtSinceIsTheSubscribersByTheNextPass(t *testing.T) {
	h := newHarness(t, remindFixture())
	a := h.chat(2200, "zh")
	a.identify(phoneWu)
	a.send("/remind")
	h.hooks.set(func(k *hooks) {
		k.plans = func(ctx context.Context, id string) ([]supportbot.Plan, error) {
			ps, err := k.Core.Plans(ctx, id)
			if id == "C22" {
				ps = append(ps, supportbot.Plan{ID: "PNEW", CustomerID: "C22", OrderNo: "5249999999999", Product: "Redmi Note 14", Partner: "小米分期",
					Principal: 100000, Periods: 2, Bills: monthly("PNEW", "2026-11-25", 2, 50000, 50000, 0, 0)})
			}
			return ps, err
		}
	})
	h.notify() // 10:00: the day's pass reads C22's plans
	h.drainOutbox()
	h.coreEvent(supportbot.CoreEvent{ID: "evt_new_plan", Type: supportbot.EventScheduledRepaymentFailed, CreatedAt: h.clock(),
		Scheduled: &supportbot.ScheduledRepayment{ID: "SN", PlanID: "PNEW", Period: 1, Amount: 50000, CardID: "K22", Status: "failed"}})
	a.inbox()
	a.expect("预约还款扣款失败：「Redmi Note 14」第 1 期")
}

// TestOlderMessagesCanBeRead: the message center showed the latest 10, and
// a payment's confirmation pushed out by ten switches could not be read
// again (a probe). Older entries are a tap away, page by page, or asked
// for in words (a probe: "更早的消息" typed was "no records").
func TestOlderMessagesCanBeRead(t *testing.T) {
	h := newHarness(t, fixture())
	ctx := context.Background()
	for i := range 12 {
		if err := h.db.Update(ctx, func(tx *store.Tx) error {
			return tx.AddNotice(ctx, supportbot.Notice{CustomerID: "C1", Time: start.Add(time.Duration(i) * time.Minute), Kind: "autopay_on",
				Params: map[string]string{"product": fmt.Sprintf("第%d个", i+1), "card": "招商银行 **** 6789"}})
		}); err != nil {
			t.Fatal(err)
		}
	}
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/messages")
	c.expect("最近 10 条", "第12个", "第3个", "[⬇️ 更早的消息]")
	c.reject("第2个，", "第1个，")
	c.press("更早的消息")
	c.expect("更早的", "第2个", "第1个")
	c.reject("第3个", "[⬇️ 更早的消息]")

	// Typed, the button's label or words for it page too; with nothing
	// older left, or after another request, they are not read as paging.
	for _, older := range []string{"更早的消息", "more"} {
		c.send("/messages")
		c.send(older)
		c.expect("更早的", "第2个", "第1个")
		c.reject("第3个", "暂无记录")
	}
	c.send("更早的消息")
	c.reject("第1个")
	c.send("/messages")
	c.send("/bill")
	c.send("更早的消息")
	c.reject("第1个")
}
