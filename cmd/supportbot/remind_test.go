package main

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// TestReminderButtonPaysTheOverdueBill: a customer who opted in gets a
// reminder before a due date and pays the overdue bill from its button.
func TestReminderButtonPaysTheOverdueBill(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(8001, "zh")
	c.say("/remind", "分享我的手机号")
	a.srv.ShareContact(c.user, "8613800138000", c.user.ID)
	c.next("还款提醒已开启")

	a.setClock(time.Date(2026, 12, 12, 10, 0, 0, 0, shanghai)) // 3 days before P1 period 7
	msgs := c.next("还款提醒")
	msgs = c.press(msgs, "立即还款", "确认")
	quote := joined(msgs)
	// Period 6 is overdue (¥249.92 + ¥12.00 late fee); P2's periods 3-4 too by now.
	if !strings.Contains(quote, "Redmi K70") || !strings.Contains(quote, "¥12.00") {
		t.Fatalf("quote:\n%s", quote)
	}
	c.press(msgs, "确认", "成功")
	if audit := a.run("audit", "--customer", "C1"); !strings.Contains(audit, "repay_bill") {
		t.Errorf("no repay_bill in the audit:\n%s", audit)
	}
	// The core executed one repayment, of the overdue period among others.
	if l := a.ledger("C1"); len(l) != 1 || l[0].PlanID != "P1" || !slices.Contains(l[0].Periods, 6) {
		t.Errorf("the core's ledger: %+v; want one repayment of P1 with period 6", l)
	}
}

// TestNoticeReachesEveryLinkedCustomerOnce: a broadcast notice is sent once
// to every linked chat, and shown at /start while active.
func TestNoticeReachesEveryLinkedCustomerOnce(t *testing.T) {
	a := MustRunMain(t)
	zh := a.customer(8101, "zh")
	zh.say("/bill", "分享我的手机号")
	a.srv.ShareContact(zh.user, "8613800138000", zh.user.ID)
	zh.next("合计待还")
	en := a.customer(8102, "en")
	en.say("/bill", "Share my phone number")
	a.srv.ShareContact(en.user, "8613900139000", en.user.ID)
	en.next("paid off")
	stranger := a.customer(8103, "zh") // never linked: not a customer
	stranger.say("/start", "你好")

	a.run("notice", "set", "--until", time.Now().AddDate(0, 1, 0).In(shanghai).Format("2006-01-02 15:04"), "分期功能维护中，请在小米金融 App 还款", "Installments are down; repay in the Mi Finance app", "--broadcast")
	zh.next("分期功能维护中")
	en.next("Installments are down")
	time.Sleep(5 * time.Second) // two more rounds of the notifier: nothing more
	for _, c := range []*customer{zh, en, stranger} {
		n := told(a.srv, c.user.ID, "分期功能维护中", "Installments are down")
		want := 1
		if c == stranger {
			want = 0
		}
		if n != want {
			t.Errorf("chat %d got the notice %d times, want %d", c.user.ID, n, want)
		}
	}
	stranger.say("/start", "分期功能维护中") // shown at /start while active
}
