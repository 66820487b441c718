package main

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"supportbot/store"
)

func TestTelegramClosureRequestStatusAndDecision(t *testing.T) {
	a := MustRunMain(t, "AGENT_CHAT_ID", "-100777", "AGENT_USER_IDS", "9001")

	// An owing customer is told exactly what blocks closure, with the fix.
	owing := a.customer(7801, "en")
	owing.say("/lang en", "Switched to English") // C1's language on file is Chinese
	owing.say("/close_account", "Share my phone number")
	a.srv.ShareContact(owing.user, "8613800138000", owing.user.ID)
	msgs := owing.next("send /close_account again")
	text := joined(msgs)
	for _, want := range []string{"❌ Unpaid bills: 2 plans are not paid off, ¥5,781.40", "❌ Scheduled repayments", "✅ Refunds in progress: none"} {
		if !strings.Contains(text, want) {
			t.Errorf("blocked closure lacks %q:\n%s", want, text)
		}
	}
	var labels []string
	for _, b := range msgs[len(msgs)-1].Buttons() {
		labels = append(labels, b.Text)
	}
	// Repaying early cancels the bookings: no button to cancel them first,
	// which would leave a bill to fall overdue.
	if l := strings.Join(labels, "|"); !strings.Contains(l, "Early repayment") || strings.Contains(l, "Cancel scheduled") {
		t.Errorf("blocked closure offers %q, want repay and no cancel", l)
	}

	// A settled customer gets a reference, can check it, and is told the decision.
	c := a.customer(7802, "en")
	c.say("/close_account", "Share my phone number")
	a.srv.ShareContact(c.user, "8613900139000", c.user.ID)
	msgs = c.press(c.next("Do you want to go on?"), "Go on", "last 4 characters")
	c.say("9999", "You have 2 tries left")
	msgs = c.say("4321", "Closure request submitted")
	ref := regexp.MustCompile(`CR-20261121-\d{4}`).FindString(joined(msgs))
	if ref == "" {
		t.Fatalf("no reference in:\n%s", joined(msgs))
	}
	c.say("/closure_status", "in progress")
	c.say("/close_account", "already have a closure request")

	if a.core != nil {
		// The bot does not decide what the core system owns.
		var out bytes.Buffer
		err := Run(context.Background(), []string{"closure", "set", ref, "completed"}, env(a.env), strings.NewReader(""), &out, &out)
		if err == nil || !strings.Contains(err.Error(), "CORE_URL") {
			t.Errorf("closure set with CORE_URL: %v, want a refusal naming CORE_URL", err)
		}
	}
	// Decided in the core (the embedded core, or the remote core's own
	// database, which then posts closure_request.decided to the bot).
	if out := a.runCore("closure", "set", ref, "completed"); !strings.Contains(out, ref+": completed") {
		t.Errorf("closure set said %q", out)
	}
	c.next("has been decided") // pushed by the running bot, within seconds
	c.say("/closure_status", "completed")
	if audit := a.run("audit", "--customer", "C2"); !strings.Contains(audit, "closure_request") || !strings.Contains(audit, "closure_status") {
		t.Errorf("audit:\n%s", audit)
	}
	if list, err := a.coreDB().CoreView().ClosureRequests(context.Background(), "C2"); err != nil || len(list) != 1 || list[0].Status != "completed" {
		t.Errorf("the core's closure requests of C2: %+v, %v; want one, completed", list, err)
	}
}

func TestTelegramClosureLocksAfterThreeWrongAnswers(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7901, "zh")
	c.say("/lang zh", "已切换为中文") // C2's language on file is English
	c.say("/close_account", "分享我的手机号")
	a.srv.ShareContact(c.user, "8613900139000", c.user.ID)
	c.press(c.next("继续"), "继续", "后 4 位")
	c.say("1111", "2")
	c.say("2222", "1")
	c.say("3333", "锁定")
	// A second chat of the same customer is locked too.
	other := a.customer(7902, "zh")
	other.say("/lang zh", "已切换为中文")
	other.say("/close_account", "分享我的手机号")
	a.srv.ShareContact(other.user, "8613900139000", other.user.ID)
	other.next("锁定")
}

// TestClosureReasonIsCheckedLikeANotice: a rejection's reason goes to the
// customer as written, so it has a notice's rules: a newline was sent as
// one, and a reason of 6,000 characters reached the customer in 3 messages.
func TestClosureReasonIsCheckedLikeANotice(t *testing.T) {
	// The reason is checked before the database is opened: a missing one
	// tells a reason that passed from one that did not.
	missing := filepath.Join(t.TempDir(), "missing.db")
	for _, tc := range []struct{ reason, want string }{
		{"请先还清\n剩余账单", "control characters"},
		{"unpaid\x1b[2J", "control characters"},
		{"\u202e abc", "direction controls"}, // reads backwards in the customer's chat (a probe)
		{strings.Repeat("欠", store.MaxAnnouncement+1), "501 characters, more than the 500"},
		{strings.Repeat("x", 6000), "6000 characters"},
	} {
		_, _, err := runCLI(t, missing, "closure", "set", "CR-20261202-0001", "rejected", tc.reason)
		var usage usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), "closure set: the reason ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("reason %.20q: %v; want a usage error saying %q", tc.reason, err, tc.want)
		}
	}
	// A completion takes no reason: words after it are a mistake, never
	// sent to the customer as one (a probe: "completed CR-B completed").
	_, _, err := runCLI(t, missing, "closure", "set", "CR-20261202-0001", "completed", "CR-20261202-0002", "completed")
	var usage usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), `a completion takes no reason (only a rejection does), not "CR-20261202-0002 completed"`) {
		t.Errorf("a completion with words after it: %v; want a usage error", err)
	}
	// A rejection with no reason is told before the database is opened,
	// not as the core's refusal after.
	_, _, err = runCLI(t, missing, "closure", "set", "CR-20261202-0001", "rejected", "  ")
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "a rejection needs a reason") {
		t.Errorf("a rejection with no reason: %v; want a usage error", err)
	}
	// "--" ends the flags, as for notice set: no word of the reason (an
	// operator probe: "-- 请先处理退款" reached the customer).
	_, _, err = runCLI(t, missing, "closure", "set", "CR-20261202-0001", "rejected", "--", " ")
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "a rejection needs a reason") {
		t.Errorf("a rejection with only -- for a reason: %v; want a usage error", err)
	}
	_, _, err = runCLI(t, missing, "closure", "set", "CR-20261202-0001", "completed", "--")
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a completion followed by --: %v; want it accepted (and the missing database named)", err)
	}
	for _, reason := range []string{strings.Repeat("欠", store.MaxAnnouncement), "  请先还清剩余账单 \n"} {
		_, _, err := runCLI(t, missing, "closure", "set", "CR-20261202-0001", "rejected", reason)
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("reason %.20q: %v; want it accepted (and the missing database named)", reason, err)
		}
	}
}

// TestEndOfFlagsBeforeAReason: "--" where a reason starts ends the flags
// (an operator probe: "-- 请先处理退款" reached the customer); one inside the
// reason is the reason's.
func TestEndOfFlagsBeforeAReason(t *testing.T) {
	for _, tc := range []struct{ in, want []string }{
		{[]string{"set", "CR-1", "rejected", "--", "请先处理退款"}, []string{"set", "CR-1", "rejected", "请先处理退款"}},
		{[]string{"set", "--", "CR-1", "rejected", "x"}, []string{"set", "CR-1", "rejected", "x"}},
		{[]string{"set", "CR-1", "rejected", "先退款", "--", "再注销"}, []string{"set", "CR-1", "rejected", "先退款", "--", "再注销"}},
		{[]string{"set"}, []string{"set"}},
	} {
		if got := withoutEndOfFlags(tc.in, 3); !slices.Equal(got, tc.want) {
			t.Errorf("withoutEndOfFlags(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
