package flows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
)

const (
	phoneZhou = "8613100131000"
	phoneAmy  = "+86 130 0013 0000"
	phoneWu   = "8615000150000"
)

// remindFixture adds, to the fixture, customers with bills due around start
// (2026-11-21):
//
//	C20 周明 (zh), card 招商银行 6789: PR1 Redmi 14C, period 2 due 11-24, period 3 due 12-24
//	C21 Amy (en), card 招商银行 6789: PR2 Xiaomi Band 9, auto-repay on, period 1 due 11-24
//	C22 吴磊 (zh), card 建设银行 2222: PR3 Xiaomi TV, period 1 due 11-20 (late fee 5.00), period 2 due 11-22
func remindFixture() []supportbot.CustomerData {
	pr1 := monthly("PR1", "2026-10-24", 3, 50000, 50000, 100, 1)
	pr3 := monthly("PR3", "2026-11-20", 2, 80000, 80000, 0, 0)
	pr3[1].DueDate = "2026-11-22"
	pr3[0].LateFee = 500
	return append(fixture(),
		supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C20", Name: "周明", Phone: onFile(phoneZhou), IDCardLast4: "2020", Language: "zh"},
			Cards:    []supportbot.Card{{ID: "K20", Bank: "招商银行", Last4: "6789", Default: true}},
			Plans: []supportbot.Plan{{ID: "PR1", CustomerID: "C20", OrderNo: "5241000000020", Product: "Redmi 14C", Partner: "小米分期",
				Principal: 150000, Periods: 3, Bills: pr1}},
		},
		supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C21", Name: "Amy Wang", Phone: onFile(phoneAmy), IDCardLast4: "2121", Language: "en"},
			Cards:    []supportbot.Card{{ID: "K21", Bank: "招商银行", Last4: "6789", Default: true}},
			Plans: []supportbot.Plan{{ID: "PR2", CustomerID: "C21", OrderNo: "5241000000021", Product: "Xiaomi Band 9", Partner: "小米分期",
				Principal: 30000, Periods: 1, AutoRepay: true, Bills: monthly("PR2", "2026-11-24", 1, 30000, 30000, 0, 0)}},
		},
		supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C22", Name: "吴磊", Phone: onFile(phoneWu), IDCardLast4: "2222", Language: "zh"},
			Cards:    []supportbot.Card{{ID: "K22", Bank: "建设银行", Last4: "2222", Default: true}},
			Plans: []supportbot.Plan{{ID: "PR3", CustomerID: "C22", OrderNo: "5241000000022", Product: "Xiaomi TV", Partner: "小米分期",
				Principal: 160000, Periods: 2, Bills: pr3}},
		},
	)
}

// notify runs the periodic job once and returns how many messages it queued.
func (h *harness) notify(eng ...*flows.Engine) int {
	h.t.Helper()
	e := h.eng
	if len(eng) > 0 {
		e = eng[0]
	}
	n, err := e.Notify(context.Background())
	if err != nil {
		h.t.Fatalf("notify: %v", err)
	}
	return n
}

// drainOutbox takes every pending message out of the outbox (marking it
// sent), in the order the sender would send each chat's.
func (h *harness) drainOutbox() []supportbot.Reply {
	h.t.Helper()
	ctx := context.Background()
	var out []supportbot.Reply
	for {
		msgs, err := h.db.DueMessages(ctx, h.clock().Add(365*24*time.Hour), 100)
		if err != nil {
			h.t.Fatal(err)
		}
		if len(msgs) == 0 {
			return out
		}
		for _, m := range msgs {
			out = append(out, m.Reply)
			if err := h.db.MarkSent(ctx, m.ID); err != nil {
				h.t.Fatal(err)
			}
		}
	}
}

// block makes a chat unreachable, the way the sender does when Telegram says
// the user blocked the bot.
func (h *harness) block(chatID int64) {
	h.t.Helper()
	ctx := context.Background()
	if err := h.db.Enqueue(ctx, []supportbot.Reply{{ChatID: chatID, Text: "probe"}}); err != nil {
		h.t.Fatal(err)
	}
	msgs, err := h.db.DueMessages(ctx, h.clock().Add(time.Hour), 1000)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Reply.ChatID == chatID {
			if err := h.db.MarkFailed(ctx, m.ID, "Forbidden: bot was blocked by the user", true); err != nil {
				h.t.Fatal(err)
			}
			return
		}
	}
	h.t.Fatalf("probe to chat %d not in the outbox", chatID)
}

func replyText(rs []supportbot.Reply) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text + "\n")
		for _, row := range r.Buttons {
			for _, btn := range row {
				b.WriteString("[" + btn.Text + "|" + btn.Data + "] ")
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func expectIn(t *testing.T, rs []supportbot.Reply, wants ...string) {
	t.Helper()
	text := replyText(rs)
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("messages lack %q; got:\n%s", w, text)
		}
	}
}

func TestRemindersGoOutOnceOnTheirDayFromTheHour(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour) // 2026-11-21 08:00
	c := h.chat(2000, "zh")
	c.identify(phoneZhou)
	c.send("/remind")
	c.expect("还款提醒已开启", "还款日前 3、1 天", "10:00 以后", "关闭还款提醒")

	if n := h.notify(); n != 0 {
		t.Fatalf("at 08:00 %d reminders were queued, want none before 10:00", n)
	}
	h.advance(119 * time.Minute) // 09:59
	if n := h.notify(); n != 0 {
		t.Fatalf("at 09:59 %d reminders were queued, want none", n)
	}
	h.advance(time.Minute) // 10:00
	if n := h.notify(); n != 1 {
		t.Fatalf("at 10:00 %d reminders were queued, want 1", n)
	}
	msgs := h.drainOutbox()
	if len(msgs) != 1 || msgs[0].ChatID != 2000 {
		t.Fatalf("messages = %+v, want one to chat 2000", msgs)
	}
	expectIn(t, msgs, "「Redmi 14C」（订单号 <code>5241000000020</code>）第 2 期将于 2026年11月24日（还有 3 天）到期，应还 <b>¥501.00</b>",
		"[💳 立即还款|M:pay:PR1]", "发送 /remind 可以关闭")

	if n := h.notify(); n != 0 {
		t.Errorf("a second run queued %d, want none", n)
	}
	h.open() // restart
	if n := h.notify(); n != 0 {
		t.Errorf("after a restart %d were queued, want none", n)
	}

	c.pressData("M:pay:PR1") // the reminder's button quotes that plan's bill
	c.expect("本期账单</b>：Redmi 14C", "第 2 期（还款日 2026年11月24日）")
	c.send("/cancel")

	h.advance(24 * time.Hour) // 11-22: nothing is due in 3 or 1 days
	if n := h.notify(); n != 0 {
		t.Errorf("on 11-22 %d were queued, want none", n)
	}
	h.advance(24 * time.Hour) // 11-23: one day before
	if n := h.notify(); n != 1 {
		t.Fatalf("on 11-23 %d were queued, want the one-day reminder", n)
	}
	expectIn(t, h.drainOutbox(), "2026年11月24日（明天）到期")
	h.advance(24 * time.Hour) // 11-24: the due date itself
	if n := h.notify(); n != 0 {
		t.Errorf("on the due date %d were queued, want none", n)
	}
	h.advance(24 * time.Hour) // 11-25: overdue since today
	if n := h.notify(); n != 1 {
		t.Fatalf("on the day it went overdue %d were queued, want 1", n)
	}
	expectIn(t, h.drainOutbox(), "⚠️ 逾期提醒：「Redmi 14C」", "第 2 期（还款日 2026年11月24日）已逾期，应还 <b>¥501.00</b>", "滞纳金", "征信", "M:pay:PR1")
	h.advance(24 * time.Hour)
	if n := h.notify(); n != 0 {
		t.Errorf("the day after, %d were queued, want none", n)
	}
}

func TestRemindersWaitOutTheNight(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour) // 08:00
	c := h.chat(2000, "zh")
	c.identify(phoneZhou)
	c.send("/remind")

	h.advance(14 * time.Hour) // 22:00: the bot was down all day
	if n := h.notify(); n != 0 {
		t.Fatalf("at 22:00 %d were queued, want none at night", n)
	}
	h.advance(10*time.Hour + 59*time.Minute) // 11-22 08:59
	if n := h.notify(); n != 0 {
		t.Fatalf("at 08:59 %d were queued, want none at night", n)
	}
	h.advance(time.Minute) // 09:00, 23 hours late
	if n := h.notify(); n != 1 {
		t.Fatalf("at 09:00 the next morning %d were queued, want yesterday's reminder", n)
	}
	expectIn(t, h.drainOutbox(), "第 2 期将于 2026年11月24日（还有 2 天）到期")

}

func TestRemindersMoreThanADayLateAreDropped(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour) // 11-21 08:00
	c, w := h.chat(2000, "zh"), h.chat(2200, "zh")
	c.identify(phoneZhou)
	c.send("/remind")
	w.identify(phoneWu)
	w.send("/remind")

	h.advance(26*time.Hour + 30*time.Minute) // 11-22 10:30: the bot was down since 11-21 08:00
	if n := h.notify(); n != 0 {
		t.Fatalf("%d queued, want none: every reminder of 11-21 is more than a day late", n)
	}
	h.advance(23*time.Hour + 30*time.Minute) // 11-23 10:00
	if n := h.notify(); n != 2 {
		t.Fatalf("on 11-23 %d queued, want 2", n)
	}
	msgs := h.drainOutbox()
	expectIn(t, msgs, "「Redmi 14C」（订单号 <code>5241000000020</code>）第 2 期将于 2026年11月24日（明天）到期",
		"「Xiaomi TV」（订单号 <code>5241000000022</code>）第 2 期（还款日 2026年11月22日）已逾期")
	if text := replyText(msgs); strings.Contains(text, "还有 3 天") || strings.Contains(text, "2026年11月20日") {
		t.Errorf("a reminder went out more than a day late:\n%s", text)
	}
}

func TestRemindersSkipUnreachableChats(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour)
	a, b := h.chat(2000, "zh"), h.chat(2001, "en")
	a.identify(phoneZhou)
	b.identify(phoneZhou)
	a.send("/remind")
	h.block(2001)
	w := h.chat(2200, "zh")
	w.identify(phoneWu)
	w.send("/remind")
	h.block(2200)
	h.drainOutbox()

	h.advance(2 * time.Hour) // 10:00
	if n := h.notify(); n != 1 {
		t.Fatalf("%d queued, want 1: to the one reachable chat of 周明, none to 吴磊's blocked one", n)
	}
	msgs := h.drainOutbox()
	if len(msgs) != 1 || msgs[0].ChatID != 2000 {
		t.Fatalf("messages = %+v, want one to chat 2000", msgs)
	}

	// 吴磊's reminders were not marked sent: when he writes again the same
	// day, they go out.
	if n := h.notify(); n != 0 {
		t.Fatalf("%d queued while 吴磊 is unreachable, want none", n)
	}
	h.advance(3 * time.Hour)
	w.send("/start")
	if n := h.notify(); n != 2 {
		t.Fatalf("%d queued after 吴磊 came back, want 2 (overdue, due tomorrow)", n)
	}
	msgs = h.drainOutbox()
	expectIn(t, msgs, "「Xiaomi TV」（订单号 <code>5241000000022</code>）第 1 期（还款日 2026年11月20日）已逾期，应还 <b>¥805.00</b>", "其中滞纳金 ¥5.00",
		"第 2 期将于 2026年11月22日（明天）到期，应还 <b>¥800.00</b>")
	for _, m := range msgs {
		if m.ChatID != 2200 {
			t.Errorf("message to chat %d, want 2200", m.ChatID)
		}
	}
	if n := h.notify(); n != 0 {
		t.Errorf("%d queued again", n)
	}
}

// TestRemindersSkipAChatOfAPhoneNoLongerTheCustomers: the core changed the
// customer's phone and its customer.updated has not come yet: a chat that
// identified through the old phone (a recycled number's holder, maybe) is
// not sent the customer's amounts.
func TestRemindersSkipAChatOfAPhoneNoLongerTheCustomers(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour)
	a := h.chat(2000, "zh")
	a.identify(phoneZhou)
	a.send("/remind")
	h.drainOutbox()
	h.hooks.set(func(k *hooks) {
		k.customer = func(ctx context.Context, id string) (*supportbot.Customer, error) {
			c, err := k.Core.Customer(ctx, id)
			if err == nil {
				moved := *c
				moved.Phone = "+8613811112222"
				return &moved, nil
			}
			return c, err
		}
	})
	h.advance(2 * time.Hour) // 10:00
	h.notify()
	if msgs := h.drainOutbox(); len(msgs) != 0 {
		t.Errorf("reminders to a chat of the old phone: %+v", msgs)
	}
}

// TestABookingForLessThanThePeriodIsNotToldAsPayingIt: a scheduled
// repayment of ¥1.00 for a ¥501.00 period: the reminder and the bill say
// the rest is the customer's to pay, with the pay button — not "nothing to
// do by hand" (found by a data probe: the customer would go overdue).
func TestABookingForLessThanThePeriodIsNotToldAsPayingIt(t *testing.T) {
	data := remindFixture()
	c20 := customerIn(t, data, "C20")
	c20.Scheduled = []supportbot.ScheduledRepayment{{ID: "S20", CustomerID: "C20", PlanID: "PR1", Period: 2, Amount: 100,
		CardID: "K20", RunAt: time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled}}
	h := newHarness(t, data)
	c := h.chat(2000, "zh")
	c.identify(phoneZhou)
	c.send("/remind")
	h.notify()
	msgs := h.drainOutbox()
	expectIn(t, msgs, "扣款 ¥1.00，比这期应还少 ¥500.00", "[💳 立即还款|M:pay:PR1]")
	if strings.Contains(replyText(msgs), "无需手动还款") {
		t.Errorf("a short booking is reminded as paying the bill:\n%s", replyText(msgs))
	}
	c.send("/bill")
	c.expect("自动扣款 ¥1.00，比本期应还少 ¥500.00")
	c.reject("无需手动还款")
}

func TestRemindersForAutoRepayAreANote(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour)
	c := h.chat(2100, "en")
	c.identify(phoneAmy)
	c.send("/remind")
	c.expect("Due-date reminders are on", "3 and 1 days before each due date", "from 10:00")
	h.advance(2 * time.Hour)
	if n := h.notify(); n != 1 {
		t.Fatalf("%d queued, want 1", n)
	}
	msgs := h.drainOutbox()
	expectIn(t, msgs, "period 1 of Xiaomi Band 9 (order <code>5241000000021</code>), <b>¥300.00</b>, will be debited from China Merchants Bank **** 6789 on Nov 24, 2026 by auto-repayment")
	if strings.Contains(replyText(msgs), "m:pay:") {
		t.Errorf("the auto-repay note offers to pay now:\n%s", replyText(msgs))
	}
	h.advance(4 * 24 * time.Hour) // 11-25: the debit evidently failed
	if n := h.notify(); n != 1 {
		t.Fatalf("on the overdue day %d queued, want 1", n)
	}
	expectIn(t, h.drainOutbox(), "Overdue: period 1 of Xiaomi Band 9", "was due on Nov 24, 2026", "a late fee", "auto-repayment debit did not go through", "M:pay:PR2")
}

func TestRemindOptInAndOut(t *testing.T) {
	h := newHarness(t, remindFixture())
	h.advance(-2 * time.Hour)
	c := h.chat(2000, "zh")
	c.identify(phoneZhou)
	c.send("/bill")
	c.expect("开启还款提醒")
	c.press("开启还款提醒")
	c.expect("还款提醒已开启")
	c.pressData("m:remind:on") // the old button again: still on, not toggled
	c.expect("还款提醒已开启")
	c.send("/bill")
	c.reject("开启还款提醒")

	c.send("/remind")
	c.expect("还款提醒已关闭", "开启还款提醒")
	c.send("/bill")
	c.expect("开启还款提醒")
	if on, off := len(h.audit("reminders_on")), len(h.audit("reminders_off")); on != 1 || off != 1 {
		t.Errorf("audit: %d reminders_on, %d reminders_off; want 1 and 1", on, off)
	}
	h.advance(2 * time.Hour)
	if n := h.notify(); n != 0 {
		t.Errorf("%d reminders queued to a customer who opted out", n)
	}

	// Not identified yet: /remind identifies first, then turns them on.
	d := h.chat(2001, "zh")
	d.send("/remind")
	d.share(phoneZhou, 2001)
	d.expect("验证成功", "还款提醒已开启")
}

// TestRemindersDoWhatTheWordsAsk: typed words set reminders the way they
// ask — "stop" never turns them on, "turn on" never off — whatever they
// were; only /remind toggles.
func TestRemindersDoWhatTheWordsAsk(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	for _, step := range []struct {
		typed string
		on    bool
	}{
		{"不要再提醒我了", false}, // off already: stays off
		{"提醒我还款", true},
		{"turn on reminders", true}, // on already: stays on
		{"stop sending me reminders", false},
		{"/remind", true},
		{"关闭还款提醒", false},
		{"别忘了提醒我还款", true},
		{"别再提醒我了", false},
	} {
		c.send(step.typed)
		on, err := h.db.Reminders(context.Background(), "C1")
		if err != nil {
			t.Fatal(err)
		}
		if on != step.on {
			t.Errorf("after %q reminders are on = %v, want %v:\n%s", step.typed, on, step.on, c.text())
		}
		want := "还款提醒已关闭"
		if step.on {
			want = "还款提醒已开启"
		}
		c.expect(want)
	}
}

// TestARemindedBillWithABookingSaysItIsBooked: a bill a scheduled
// repayment pays is reminded as booked — nothing to do by hand, no "pay
// now" to pay it twice; booked on a frozen card, the customer is told to
// pay it themselves.
func TestARemindedBillWithABookingSaysItIsBooked(t *testing.T) {
	for _, frozen := range []bool{false, true} {
		data := remindFixture()
		c20 := customerIn(t, data, "C20")
		c20.Cards[0].Frozen = frozen
		c20.Scheduled = []supportbot.ScheduledRepayment{{ID: "S20", CustomerID: "C20", PlanID: "PR1", Period: 2, Amount: 50100,
			CardID: "K20", RunAt: time.Date(2026, 11, 23, 10, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled}}
		if frozen { // and booked for less than the period: the frozen card says it all
			c20.Scheduled[0].Amount = 100
		}
		h := newHarness(t, data)
		c := h.chat(2000, "zh")
		c.identify(phoneZhou)
		c.send("/remind")
		if n := h.notify(); n != 1 {
			t.Fatalf("frozen=%v: %d reminders queued, want 1", frozen, n)
		}
		msgs := h.drainOutbox()
		if !frozen {
			expectIn(t, msgs, "第 2 期 <b>¥501.00</b> 将于 2026年11月24日（还有 3 天）到期", "已预约在 2026年11月23日 10:00 从 招商银行 **** 6789 扣款，无需手动还款")
			if strings.Contains(replyText(msgs), "立即还款") {
				t.Errorf("a booked bill is reminded with a pay button:\n%s", replyText(msgs))
			}
			continue
		}
		expectIn(t, msgs, "应还 <b>¥501.00</b>", "扣款卡已冻结或已解绑，扣款会失败", "[💳 立即还款|M:pay:PR1]")
	}
}

// TestRemindersAskedForOtherDaysSaySoTheDaysAreFixed: "remind me 2 days
// before please" turned reminders on for 3 and 1 days before with no word
// that 2 was not one of them (a probe). The answer says the days cannot be
// chosen; days that are among them, or none asked, get the plain answer.
func TestRemindersAskedForOtherDaysSaySoTheDaysAreFixed(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(640, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("remind me 2 days before please")
	c.expect("Due-date reminders are on", "2 days before is not one of them")
	c.send("remind me 3 days before")
	c.expect("Due-date reminders are on")
	c.reject("not one of them")
}

// TestStoppingOneDaysRemindersKeepsThemAll: "don't remind me 3 days
// before" turned every reminder off (a probe), and the suggestion under an
// unsure "提前两天提醒我" was /remind's toggle, which turned reminders that
// were on off. The days are the service's, all or none: the reminders stay
// on and the customer is told so; the suggestion does what the words ask.
func TestStoppingOneDaysRemindersKeepsThemAll(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(641, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("/remind")
	c.expect("Due-date reminders are on")
	c.send("don't remind me 3 days before")
	c.expect("Due-date reminders are on", "can't be turned off for one day only")
	c.reject("are off")
	c.send("please don't send the 3-day reminder") // one day's, said otherwise (a probe: all went off)
	c.expect("Due-date reminders are on", "can't be turned off for one day only")
	c.reject("are off")
	c.send("dont remind me to pay tomorrow") // one occasion (a review: all went off)
	c.expect("Due-date reminders are on", "can't be turned off for one day only")
	c.send("from tomorrow on, dont remind me anymore") // for good (a review: kept)
	c.expect("Due-date reminders are off")
	c.send("/remind on")
	c.send("turn off reminders, I paid today")
	c.expect("Due-date reminders are off")
	c.send("stop the reminders, I paid my bill 3 days ago")
	c.expect("Due-date reminders are off")
	c.send("no reminder 3 days before please") // a no, with reminders off (a probe: they went on)
	c.reject("are on")
	c.send("no reminders please")
	c.reject("are on")

	z := h.chat(642, "zh")
	z.identify(phoneLi)
	z.send("/remind")
	z.expect("还款提醒已开启")
	for _, words := range []string{"提前两天提醒我", "我不需要提前3天的提醒"} {
		z.send(words) // the reminders themselves now, no suggestion to press
		z.expect("还款提醒已开启")
		z.reject("已关闭")
	}
	z.expect("不能只关掉某一天的提醒")
	z.send("我不需要提前3天的提醒吗") // asked: unsure, and its suggestion does what the words ask
	z.press("🔔 还款提醒")
	z.expect("还款提醒已开启")
	z.reject("已关闭")
	// Said alone, the reminders themselves, not an unsure guess (a probe:
	// two in a row offered a person).
	for _, words := range []string{"提前2天提醒我", "不需要提前3天的提醒", "3天前的提醒就不用发了", "提前一天提醒我就行"} {
		z.send(words)
		z.expect("还款提醒已开启")
		z.reject("不太确定", "没能帮上忙", "已关闭")
	}
}

// TestTheRemindersAnswersButtonSaysWhatItDoes: under the guide's answer to
// "怎么设置还款提醒", the button was /remind's toggle: with reminders on, a
// customer asking how to set them up turned them off (a probe). The answer
// says how they are now, and its button turns them the other way, saying so.
func TestTheRemindersAnswersButtonSaysWhatItDoes(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(643, "zh")
	c.identify(phoneZhang)
	c.send("/remind")
	c.expect("还款提醒已开启")
	c.send("怎么设置还款提醒")
	c.expect("你的还款提醒现在是开启的")
	c.press("🔕 关闭还款提醒")
	c.expect("还款提醒已关闭")
	c.send("怎么设置还款提醒")
	c.expect("你的还款提醒现在是关闭的")
	c.press("🔔 开启还款提醒")
	c.expect("还款提醒已开启")
}

// TestAShortBookingBeingDebitedLeavesTheRestToPay: a ¥1.00 booking for a
// ¥501.00 period, within its last two hours (with the bank, not to be
// cancelled), made /bill say "being debited, nothing to do by hand" and
// /pay "nothing to pay again" (a probe): the customer, told not to pay,
// would go overdue by the rest. Both say what the booking leaves unpaid.
func TestAShortBookingBeingDebitedLeavesTheRestToPay(t *testing.T) {
	data := remindFixture()
	c20 := customerIn(t, data, "C20")
	c20.Scheduled = []supportbot.ScheduledRepayment{{ID: "S20", CustomerID: "C20", PlanID: "PR1", Period: 2, Amount: 100,
		CardID: "K20", RunAt: start.Add(50 * time.Minute), Status: supportbot.ScheduledScheduled}}
	h := newHarness(t, data)
	c := h.chat(2001, "zh")
	c.identify(phoneZhou)
	c.send("/bill")
	c.expect("这期的预约还款 ¥1.00 正在扣款中，比这期应还少 ¥500.00")
	c.reject("无需手动还款")
	c.send("/pay")
	c.expect("预约还款 ¥1.00 正在扣款中，比这期应还少 ¥500.00", "差额请再来还清")
	c.reject("无需重复还款")
}

// TestAShortBookingsShortfallCountsTheLateFee: the shortfall of a booking
// being debited left out the period's late fee (¥203 said for ¥213: the
// customer would stay overdue by ¥10), and a payoff quote that leaves the
// period out did not say the rest of it stays the customer's (a probe).
func TestAShortBookingsShortfallCountsTheLateFee(t *testing.T) {
	data := remindFixture()
	c20 := customerIn(t, data, "C20")
	c20.Plans[0].Bills[1].DueDate = "2026-11-20" // overdue, with a late fee
	c20.Plans[0].Bills[1].LateFee = 1000
	c20.Scheduled = []supportbot.ScheduledRepayment{{ID: "S20", CustomerID: "C20", PlanID: "PR1", Period: 2, Amount: 100,
		CardID: "K20", RunAt: start.Add(50 * time.Minute), Status: supportbot.ScheduledScheduled}}
	h := newHarness(t, data)
	c := h.chat(2002, "zh")
	c.identify(phoneZhou)
	c.send("/bill")
	c.expect("这期的预约还款 ¥1.00 正在扣款中，比这期应还少 ¥510.00")
	c.send("/repay")
	c.expect("第 2 期的预约还款只有 ¥1.00，比这期应还少 ¥510.00")
}

// TestTheRemindersAnswerSaysWhenTheyGoOut: "还款提醒是几点发的" got the topic's
// answer without a day or an hour, and "自动还款会先扣哪张卡" one without the
// default card (an FAQ probe). The answers say them, the configured days
// and hour put in.
func TestTheRemindersAnswerSaysWhenTheyGoOut(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(650, "zh")
	c.identify(phoneZhang)
	c.send("还款提醒是几点发的") // how theirs are, and when they come
	c.expect("还款日前 3、1 天", "10:00 以后发送")
	c.reject("{reminder")
	c.send("自动还款会先扣哪张卡") // their own: the default card named
	c.expect("自动还款从默认卡 招商银行 **** 6789 扣款")
}

// TestABookingAfterTheDueDateIsNoReasonToRest: a scheduled repayment that
// runs after its period's due date does not pay it in time — the reminder
// and the bill said "nothing to do by hand" (a probe); they say it will be
// late, with the way to pay.
func TestABookingAfterTheDueDateIsNoReasonToRest(t *testing.T) {
	data := remindFixture()
	c20 := customerIn(t, data, "C20")
	c20.Scheduled = []supportbot.ScheduledRepayment{{ID: "S20", CustomerID: "C20", PlanID: "PR1", Period: 2, Amount: 50100,
		CardID: "K20", RunAt: time.Date(2026, 11, 27, 10, 0, 0, 0, shanghai), Status: supportbot.ScheduledScheduled}}
	h := newHarness(t, data)
	c := h.chat(2000, "zh")
	c.identify(phoneZhou)
	c.send("/remind")
	h.notify()
	got := replyText(h.drainOutbox())
	for _, want := range []string{"晚于还款日", "立即还款"} {
		if !strings.Contains(got, want) {
			t.Errorf("reminder lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "无需手动还款") {
		t.Errorf("reminder says nothing to do:\n%s", got)
	}
	c.send("/bill")
	c.expect("晚于还款日")
	c.reject("无需手动还款")
}

// TestAnAutoRepaymentReminderNamesAnOverduePeriod: the next period's
// auto-repayment does not pay one left overdue — its reminder said "no
// need to pay" with no way to (a probe).
func TestAnAutoRepaymentReminderNamesAnOverduePeriod(t *testing.T) {
	data := fixture()
	c1 := customerIn(t, data, "C1")
	c1.Plans[0].AutoRepay = true
	c1.Scheduled = nil
	h := newHarness(t, data)
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/remind")
	h.drainOutbox()
	h.advance(21 * 24 * time.Hour) // 12-12: P1's period 7 is due on 12-15, period 6 overdue
	h.notify()
	got := replyText(h.drainOutbox())
	for _, want := range []string{"自动扣款", "逾期未还的账单", "立即还款"} {
		if !strings.Contains(got, want) {
			t.Errorf("reminder lacks %q:\n%s", want, got)
		}
	}
}

// TestOneDaysRemindersOnlyIsToldTheyAreAllOrNone: "remind me the day before
// only" turned them on and said nothing of the 3-day one (a probe): the
// days come together, and that is said.
func TestOneDaysRemindersOnlyIsToldTheyAreAllOrNone(t *testing.T) {
	_, c := faqSession(t, 650)
	c.send("remind me the day before only")
	c.expect("还款提醒已开启", "不能只关掉某一天的提醒")
	c.send("remind me the day before")
	c.reject("不能只关掉某一天的提醒")
}

// TestTwoSwitchesInOneMessage: "开启还款提醒并且开自动还款" turned the
// reminders on and dropped auto-repayment without a word (a probe). Each
// switch a message names is served: the one done, the other a tap away.
func TestTwoSwitchesInOneMessage(t *testing.T) {
	_, c := faqSession(t, 650)
	c.send("开启还款提醒并且开自动还款")
	c.expect("还款提醒已开启", "[🔁 自动还款]")
	c.send("帮我开自动还款 还有提醒也打开")
	c.expect("[🔔 开启还款提醒]")
}

// TestWhenRemindersComeIsAnswered: "提醒几点发" and "what time do reminders
// come" got "contact support"; "can you remind me on the due date itself"
// turned the reminders on as if granted (a probe). When they come is said,
// with how they are and their switch; a reminder on the due date itself,
// which there is not, is said not to be, nothing switched.
func TestWhenRemindersComeIsAnswered(t *testing.T) {
	h, c := faqSession(t, 680)
	for _, q := range []string{"提醒几点发", "还款日当天会提醒吗", "能不能只在还款当天提醒"} {
		c.send(q)
		c.expect("你的还款提醒现在是关闭的", "10:00 以后发送", "[🔔 开启还款提醒]")
	}
	c.expect("还款日当天不单独提醒")
	c.send("/lang en")
	c.send("can you remind me on the due date itself")
	c.expect("no reminder on the due date itself", "[🔔 Remind me of due dates]")
	if n := len(h.audit("reminders_on")); n != 0 {
		t.Errorf("reminders switched on %d times, want none", n)
	}
}

// TestRemindersSwitchedByABareWordAfterTheirAnswer: "reminders" then "turn
// them off" got "can't answer", and "提醒我一下还款日" turned them on without
// the date (a probe): a bare on or off right after their answer switches
// them; the due date asked with them is said.
func TestRemindersSwitchedByABareWordAfterTheirAnswer(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(1045, "zh")
	c.identify(phoneZhang)
	c.send("提醒我一下还款日")
	c.expect("还款提醒已开启", "「Xiaomi Book」下期还款日")
	c.send("关掉吧")
	c.expect("还款提醒已关闭")
	c.send("/lang en")
	c.send("are my reminders on?")
	c.send("turn them on")
	c.expect("reminders are on")
	c.send("/bill")
	c.send("turn them off") // not after the reminders' answer: not theirs
	c.reject("reminders are off")
}

// TestRemindersAskedOfAreAnsweredNotSwitched: "提醒是发短信吗", "提前几天
// 提醒" got unsure, and "you never reminded me and now I'm late" turned the
// reminders on (a probe): how they come and when, nothing switched; a
// reminder missed has a person a tap away; "不提醒了" turns them off.
func TestRemindersAskedOfAreAnsweredNotSwitched(t *testing.T) {
	h, c := faqSession(t, 1078)
	c.send("提醒是发短信吗")
	c.expect("你的还款提醒现在是关闭的", "只在这个聊天里发，不发短信")
	c.send("提前几天提醒")
	c.expect("每期还款日前 3、1 天")
	for _, q := range []string{"提醒是啥时候发", "提醒是短信还是电话", "你们为啥不提醒我 害我逾期了"} { // the first turned them on, the others unsure (a probe)
		c.send(q)
		c.expect("你的还款提醒现在是关闭的")
	}
	c.send("为什么没提醒我就逾期了")
	c.expect("你的还款提醒现在是关闭的", "可以转人工客服", "[👤")
	c.send("/lang en")
	c.send("you never reminded me and now im late")
	c.expect("Your reminders are off now", "a person can look into it")
	if n := len(h.audit("reminders_on")); n != 0 {
		t.Errorf("reminders switched on %d times, want none", n)
	}
	c.send("/lang zh")
	c.send("/remind")
	c.expect("还款提醒已开启")
	c.send("不提醒了")
	c.expect("还款提醒已关闭")
}

// TestACorrectionOfWhatWasAskedIsReadAsTheQuestion: "不对 我是问还款日"
// after the bills' overview got unsure (a probe): what is asked is what
// follows the no.
func TestACorrectionOfWhatWasAskedIsReadAsTheQuestion(t *testing.T) {
	_, c := faqSession(t, 1079)
	c.send("提醒")
	c.send("不对 我是问还款日")
	c.expect("Redmi K70", "Xiaomi Book")
	c.reject("我不太确定")
}
