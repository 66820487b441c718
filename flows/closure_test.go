package flows_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"supportbot"
)

var reference = regexp.MustCompile(`CR-\d{8}-\d{4}`)

// ref is the closure reference in the last replies.
func (c *chat) ref() string {
	c.h.t.Helper()
	ref := reference.FindString(c.text())
	if ref == "" {
		c.h.t.Fatalf("no closure reference in:\n%s", c.text())
	}
	return ref
}

// decideClosure decides a closure request in the core, which tells the bot
// by an event that Drain delivers.
func (h *harness) decideClosure(ref, status, reason string) *supportbot.ClosureRequest {
	h.t.Helper()
	r, err := h.embedded.DecideClosure(context.Background(), ref, status, reason)
	if err != nil {
		h.t.Fatalf("decide closure %s: %v", ref, err)
	}
	h.drain()
	return r
}

// startClosure runs /close_account up to the identity question.
func (c *chat) startClosure() {
	c.h.t.Helper()
	c.send("/close_account")
	c.press("✅")
}

func TestClosureNamesUnpaidBillsAndScheduledRepayments(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/close_account")
	// P1: 6×249.92 + 249.88 + 12.00 late fee; P2: 4×(1,000.00 + 5.00).
	c.expect("暂时还不能注销分期账户",
		"❌ 未结清的账单：2 笔分期尚未还清，剩余待还共 ¥5,781.40",
		// S1: paying off cancels it, and cancelling it alone leaves its bill
		// to fall overdue (a probe: "please cancel it first")
		"❌ 预约还款：1 笔待执行。提前还款结清时会自动取消，不用先取消",
		"❌ 预约还款：2 笔正在处理或即将扣款，已无法取消，请等扣款完成后再申请", // S2 runs within 2 hours, S3 processing
		"✅ 处理中的退款：没有",
		"[💰 提前还款]", "[👤 转人工客服]")
	c.reject("请先取消", "[🗓 取消预约还款]")
	if got, want := c.button("提前还款").Data, "m:repay"; got != want {
		t.Errorf("repay button data = %q, want %q", got, want)
	}

	// Not in the closure flow: an ID-like answer is just text.
	c.send("/close_account")
	c.send("123X")
	c.reject("注销申请已提交")
	if n := len(h.audit("closure_request")); n != 0 {
		t.Errorf("closure_request entries = %d, want 0", n)
	}
}

func TestClosureWaitsForARefundThenGoesAhead(t *testing.T) {
	h, c := session(t, fixture(), phoneLi, "/close_account")
	c.expect("✅ 未结清的账单：没有", "✅ 预约还款：没有",
		"❌ 处理中的退款：1 笔退款尚未完成，请等退款完成后再申请注销", "[👤 转人工客服]")
	c.reject("[💰 提前还款]", "[🗓 取消预约还款]", "继续注销")

	// The refund finishes in the core system.
	if _, err := h.db.Import(context.Background(), []supportbot.CustomerData{customerLi(0)}); err != nil {
		t.Fatal(err)
	}
	c.send("/close_account")
	c.expect("注销分期账户意味着", "不能再使用分期付款", "注销不是消除征信记录的办法", "无法通过机器人撤销")
	c.send("继续") // typed, as its button says
	c.expect("身份证号码最后 4 位", "还可以尝试 3 次", "锁定 24 小时")
	c.send("注销之后还能再开通吗") // a question at the last step: answered, the step still waiting (a probe: "type the last 4" alone)
	c.reject("请输入身份证号码")
	if n := len(h.audit("closure_identity_failed")); n != 0 {
		t.Errorf("a question counted as %d wrong answers", n)
	}
	c.send("后四位是 0 0 1 X 吗") // a wrong answer, spaced out (counted, and kept masked)
	c.send("　００２ｘ ")         // full-width, lower-case x, spaces around
	c.expect("✅ 注销申请已提交，编号 <code>CR-20261121-",
		"3–5 个工作日", "<b>2026年11月25日 至 2026年11月27日</b> 之间", "/closure_status", "[📄 注销进度]")
	if ref := c.ref(); !regexp.MustCompile(`^CR-20261121-\d{4}$`).MatchString(ref) {
		t.Errorf("reference %q does not match CR-20261121-NNNN", ref)
	}
	c.press("注销进度")
	c.expect("<b>📄 注销申请</b> <code>CR-20261121-", "状态：处理中", "提交日期：2026年11月21日", "预计完成：2026年11月25日 至 2026年11月27日")
	// What was typed at the ID step is kept with every digit hidden, however
	// it was spaced (a probe: "857 X" reached the staff card as typed).
	conv, err := h.db.Conversation(context.Background(), c.id)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range conv.Transcript.Lines() {
		if strings.ContainsAny(l.Text, "012０１２") && l.From == "customer" && !strings.HasPrefix(l.Text, "[") && !strings.HasPrefix(l.Text, "/") {
			t.Errorf("a line of the ID step kept digits: %q", l.Text)
		}
	}
	// Its reference typed with a question (a probe: the mall's orders).
	c.send(strings.ToLower(c.ref()) + " 到哪一步了")
	c.expect("<b>📄 注销申请</b> <code>CR-20261121-", "状态：处理中")
	c.send("CR-20200101-0001 到哪一步了") // none of theirs: not this answer
	c.reject("状态：处理中")
	for _, q := range []string{"when will it be done", "要多久", "status?", "when is it done", "进度呢"} { // when, naming nothing: this request's (audits: "can't answer")
		c.send(q)
		c.expect("状态：处理中", "预计完成：2026年11月25日 至 2026年11月27日")
	}
}

func TestClosureHappyPathAndAskingAgain(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.send("/closure_status")
	c.expect("You haven't asked to close your account yet", "[🔒 Close account]")

	c.send("/close_account")
	c.expect("✅ You can ask to close your account", "no longer buy on installments", "closing is not a way to clear a credit record", "the bot cannot undo it", "[Back]", "[👤 Talk to a person]")
	goOn := c.button("Go on").Data
	for _, early := range []string{"4321", "my ID ends in 4321"} { // the ID answer before it is asked: not taken, not counted
		c.send(early)
		c.expect("tap \"✅ Go on\" above first")
	}
	c.pressData(goOn)
	c.expect("last 4 characters of the ID card number", "You have 3 tries left.")
	c.send("I forgot them")
	c.expect("like 123X", "tap below for a person")
	c.send("is it 4321?") // asked, not answered: not taken, not counted
	c.expect("like 123X")
	c.reject("submitted")
	// A forwarded "4321" is someone's words passed on, not the customer's
	// answer (a probe's submitted the closure); no try is counted.
	c.event(supportbot.Event{Kind: supportbot.EventText, Text: "4321", Forwarded: true})
	c.expect("That is a forwarded message", "no try was counted")
	c.reject("submitted")
	if n := len(h.audit("closure_request")); n != 0 {
		t.Fatalf("closure_request entries after a forwarded answer = %d, want 0", n)
	}
	c.send("the last four are 4321, thanks")
	// Saturday 11-21: 3 business days on is Wednesday 11-25, 5 is Friday 11-27.
	c.expect("Closure request submitted, reference <code>CR-20261121-", "within 3–5 business days: <b>between Nov 25, 2026 and Nov 27, 2026</b>")
	ref := c.ref()
	if !regexp.MustCompile(`^CR-20261121-\d{4}$`).MatchString(ref) {
		t.Errorf("reference %q does not match CR-20261121-NNNN", ref)
	}
	entries := h.audit("closure_request")
	if len(entries) != 1 || entries[0].CustomerID != "C2" || entries[0].Details["reference"] != ref {
		t.Fatalf("closure_request audit = %+v, want one of C2 for %s", entries, ref)
	}
	c.pressData(goOn)
	c.expect("This button has expired")

	c.send("/close_account")
	c.expect("You already have a closure request in progress", ref, "Status: in progress")
	c.reject("Go on")
	if n := len(h.audit("closure_request")); n != 1 {
		t.Errorf("closure_request entries after asking again = %d, want 1", n)
	}

	c.send("/closure_status")
	c.expect("<b>📄 Closure request</b> <code>"+ref+"</code>", "Status: in progress", "Submitted: Nov 21, 2026", "Expected: between Nov 25, 2026 and Nov 27, 2026")
	c.send("/messages")
	c.expect("Closure request submitted: reference <code>" + ref + "</code>, expected between Nov 25, 2026 and Nov 27, 2026")

	// The core rejects it: the customer is told, sees why and may ask again.
	h.advance(2 * 24 * time.Hour)
	r := h.decideClosure(ref, supportbot.ClosureRejected, "an order is being returned")
	if r.CustomerID != "C2" {
		t.Errorf("decided the request of %s, want C2", r.CustomerID)
	}
	c.inbox()
	c.expect("📬 Your closure request has been decided", ref, "Status: rejected. Reason: an order is being returned", "Decided: Nov 23, 2026")
	update := h.eng.ClosureUpdate(supportbot.LangZH, r)
	for _, want := range []string{"你的注销申请有了处理结果", ref, "状态：未通过。原因：an order is being returned", "处理日期：2026年11月23日"} {
		if !strings.Contains(update, want) {
			t.Errorf("ClosureUpdate lacks %q; got:\n%s", want, update)
		}
	}
	if e := h.audit("closure_status"); len(e) != 1 || e[0].Details["status"] != supportbot.ClosureRejected || e[0].Details["reference"] != ref {
		t.Errorf("closure_status audit = %+v, want one rejection of %s", e, ref)
	}
	c.send("/closure_status")
	c.expect("Status: rejected. Reason: an order is being returned", "Decided: Nov 23, 2026", "[🔒 Close account]")
	c.send("/messages")
	c.expect("Closure request <code>" + ref + "</code> rejected: an order is being returned")

	c.startClosure()
	c.send("4321")
	second := c.ref()
	if second == ref || !regexp.MustCompile(`^CR-20261123-\d{4}$`).MatchString(second) {
		t.Errorf("second reference = %q, want a new CR-20261123-NNNN", second)
	}
	h.decideClosure(second, supportbot.ClosureCompleted, "")
	c.inbox()
	c.expect("Status: completed")
	c.send("/close_account")
	c.expect("Your installment account is already closed", second, "Status: completed")
	c.reject("Go on")
}

func TestClosureLocksAfterThreeWrongAnswersPerCustomer(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.startClosure()
	c.send("1111")
	c.expect("not the last 4 characters", "You have 2 tries left.")
	c.send("twelve") // cannot be an ID ending: asked again, not counted
	c.expect("3 digits, then a digit or X")
	c.send("2222")
	c.expect("You have 1 try left.")
	c.send("333X")
	c.expect("wrong 3 times in a row", "closure is locked until tomorrow at 10:00", "[👤 Talk to a person]")
	if n := len(h.audit("closure_identity_failed")); n != 3 {
		t.Errorf("closure_identity_failed entries = %d, want 3", n)
	}
	if locked := h.audit("closure_locked"); len(locked) != 1 || locked[0].CustomerID != "C2" ||
		!strings.HasSuffix(fmt.Sprint(locked[0].Details["locked_until"]), "+08:00") { // in the support time zone, as the audit's other times
		t.Errorf("closure_locked entries = %+v, want one for C2", locked)
	}
	c.send("4321") // the right answer, too late: the flow is over
	c.reject("Closure request submitted")

	c.send("/close_account")
	c.expect("closure is locked until tomorrow at 10:00", "[👤 Talk to a person]")
	c.reject("Go on")

	h.open() // a restart keeps the lock
	c.send("/close_account")
	c.expect("closure is locked until tomorrow at 10:00")

	other := h.chat(301, "zh") // another chat of the same customer
	other.identify(phoneBob)
	other.send("/lang zh") // Bob's language on file is English
	other.send("/close_account")
	other.expect("注销功能已锁定至 明天 10:00")
	other.reject("继续注销")

	h.advance(24*time.Hour - time.Minute)
	c.send("/close_account")
	c.expect("locked until today at 10:00")

	h.advance(2 * time.Minute) // 24 h and a minute after the lock
	c.startClosure()
	c.expect("You have 3 tries left.")
	c.send("4321")
	c.expect("Closure request submitted, reference <code>CR-20261122-", "between Nov 25, 2026 and Nov 27, 2026")
	if n := len(h.audit("closure_request")); n != 1 {
		t.Errorf("closure_request entries = %d, want 1", n)
	}
}

func TestClosureLockFromAnotherChatStopsAWaitingAnswer(t *testing.T) {
	h := newHarness(t, fixture())
	a := h.chat(300, "en")
	a.identify(phoneBob)
	a.startClosure()
	a.expect("You have 3 tries left.")

	b := h.chat(301, "en")
	b.identify(phoneBob)
	b.startClosure()
	b.send("1111")
	b.expect("You have 2 tries left.")
	a.send("2222") // the count is the customer's, not the chat's
	a.expect("You have 1 try left.")
	b.send("3333")
	b.expect("closure is locked until")

	a.send("4321")
	a.expect("closure is locked until tomorrow at 10:00")
	a.reject("Closure request submitted")
	if n := len(h.audit("closure_request")); n != 0 {
		t.Errorf("closure_request entries = %d, want 0", n)
	}
}

func TestClosureRightAnswerResetsTheCount(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.startClosure()
	c.send("1111")
	c.send("2222")
	c.expect("You have 1 try left.")
	c.send("４３２１")
	h.decideClosure(c.ref(), supportbot.ClosureRejected, "test")
	c.startClosure()
	c.expect("You have 3 tries left.")
	c.send("1111")
	c.expect("You have 2 tries left.")
	if n := len(h.audit("closure_locked")); n != 0 {
		t.Errorf("closure_locked entries = %d, want 0", n)
	}
}

func TestClosureIdentifiesFirstThenResumes(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.send("/close_account")
	c.expect("verify who you are")
	c.share(phoneBob, 300)
	c.expect("✅ Verified", "Closing your installment account means", "Go on")
}

// TestTheMenuMidStepSaysTheStepClosed: /menu at the ID check left the step
// without a word, and the last 4 typed next got "cannot answer that" (a
// probe). The menu says the step was closed and nothing was done.
func TestTheMenuMidStepSaysTheStepClosed(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.startClosure()
	c.send("/menu")
	c.expect("The step you were at has been closed without being carried out")
	c.send("/start")
	c.reject("The step you were at") // no step then
	c.send("/cards")                 // a list: nothing was about to be done (a probe: "nothing was charged")
	c.send("/menu")
	c.reject("The step you were at", "nothing was charged")
}

func TestClosureLeavesOnCancel(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "zh")
	c.identify(phoneBob) // Bob's language on file is English
	c.startClosure()
	c.send("取消")
	c.expect("Nothing was changed")
	c.send("4321")
	c.reject("Closure request submitted")
	if n := len(h.audit("closure_request")); n != 0 {
		t.Errorf("closure_request entries = %d, want 0", n)
	}
}

func TestAddBusinessDays(t *testing.T) {
	for _, tc := range []struct {
		from supportbot.Date
		n    int
		want supportbot.Date
	}{
		{"2026-11-21", 0, "2026-11-21"}, // Saturday
		{"2026-11-21", 1, "2026-11-23"},
		{"2026-11-21", 3, "2026-11-25"},
		{"2026-11-21", 5, "2026-11-27"},
		{"2026-11-22", 1, "2026-11-23"}, // Sunday
		{"2026-11-23", 3, "2026-11-26"}, // Monday
		{"2026-11-23", 5, "2026-11-30"},
		{"2026-11-25", 3, "2026-11-30"}, // Wednesday
		{"2026-11-25", 5, "2026-12-02"},
		{"2026-11-27", 1, "2026-11-30"}, // Friday
		{"2026-12-31", 3, "2027-01-05"}, // New Year's Day counts: no holiday calendar
		{"2028-02-28", 2, "2028-03-01"}, // Monday, leap year
	} {
		if got := tc.from.AddBusinessDays(tc.n); got != tc.want {
			t.Errorf("%s + %d business days = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

// TestClosureWhileTheLastPeriodIsBeingDebited: 王芳's only unpaid period is
// being debited by a scheduled repayment: closure is blocked, but not with
// "repay early first" (there is nothing to pay here): wait for the debit.
func TestClosureWhileTheLastPeriodIsBeingDebited(t *testing.T) {
	data := fixture()
	wang := customerIn(t, data, "C3")
	wang.Plans[0].Bills[1].Status = supportbot.BillPaid
	wang.Scheduled[0].RunAt = start.Add(30 * time.Minute) // S9, period 3: with the bank already
	_, c := session(t, data, phoneWang, "/close_account")
	c.expect("剩下的各期正在扣款中", "扣款完成后即可申请注销")
	c.reject("可以先提前还款", "💰 提前还款")
}

// TestAnIDAnswerThatTakesTheClosureBackSubmitsNothing: "先不注销了 4321" and
// "4321 wait, don't submit" at the ID step submitted the closure (a probe:
// any message with the right 4 digits did). A withdrawal leaves the step;
// another number's last 4 or a doubt is asked again and not counted.
func TestAnIDAnswerThatTakesTheClosureBackSubmitsNothing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	for _, withdrawn := range []string{"4321 but wait, dont submit yet", "I think 4321 but actually I changed my mind"} {
		c.startClosure()
		c.send(withdrawn)
		c.reject("Closure request submitted")
		c.expect("no closure request was submitted")
	}
	c.send("/lang zh")
	c.startClosure()
	c.send("先不注销了 4321")
	c.reject("注销申请已提交")
	c.startClosure()
	for _, other := range []string{"银行卡后四位是1122对吧", "手机尾号7000", "订单号后4位是0001"} {
		c.send(other)
		c.expect("请输入身份证号码的最后 4 位")
		c.reject("不正确")
	}
	c.send("身份证后四位是4321")
	c.expect("注销申请已提交")
	if n := len(h.audit("closure_request")); n != 1 {
		t.Errorf("closure_request entries = %d, want 1", n)
	}
	if n := len(h.audit("closure_identity_failed")); n != 0 {
		t.Errorf("%d failed identity checks counted, want none", n)
	}
}

// TestAClosureAskedAboutInWordsIsTheirOwn: after submitting, "注销进度怎么样
// 了" and "whats the status of my closure request" got the guide's answer
// with its example reference, and "我想撤销注销申请" told the customer to
// quote a reference "如 CR-20261121-0042" (a probe). A question how far
// their request has got shows it; the guide's answers on withdrawing or
// the processing time carry their own request below.
func TestAClosureAskedAboutInWordsIsTheirOwn(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(700, "zh")
	c.identify(phoneLi)
	if _, err := h.db.Import(context.Background(), []supportbot.CustomerData{customerLi(0)}); err != nil {
		t.Fatal(err)
	}
	c.send("注销进度怎么样了")
	c.expect("你还没有提交过注销申请")
	c.send("/close_account")
	c.send("继续")
	c.send("002X")
	c.expect("注销申请已提交")
	ref := c.ref()
	for _, ask := range []string{"注销进度怎么样了", "我的注销申请到哪一步了", "注销办好了没", "whats the status of my closure request",
		"any update on closing my account?", "注销好了没", "has my closure been approved", "did my account closure go through",
		"我上周申请的销户到底办好了没", "I applied to close my account last week, any update?"} { // 销户, and a longer English (an FAQ probe)
		c.send(ask)
		c.expect("📄 注销申请</b> <code>"+ref, "状态：处理中")
	}
	c.send("can I close my account while my refund is in progress?") // a closure to come, another thing's progress (a review)
	c.reject("📄 注销申请</b> <code>" + ref)
	c.send("我想撤销注销申请")
	c.expect("不能自己撤回", "<code>"+ref)
	c.send("注销要多久") // its status under the guide, not a button to close the account again (a probe)
	c.expect("<code>"+ref, "[📄 注销进度]")
	c.reject("[🔒 注销分期账户]")
	c.send("怎么注销")
	c.reject("<code>" + ref)
}

// TestAClosureRejectedWithoutAReasonSaysSo: the contract's reason may be
// null; the decision said "原因：" and nothing (a probe) — it says none
// was given and where to ask, and so does the message center.
func TestAClosureRejectedWithoutAReasonSaysSo(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	h.coreEvent(supportbot.CoreEvent{ID: "evt_cl_no_reason", Type: supportbot.EventClosureRequestDecided, CreatedAt: start,
		Closure: &supportbot.ClosureRequest{Reference: "CR-20261121-0007", CustomerID: "C3", Status: supportbot.ClosureRejected,
			ExpectedFrom: "2026-11-24", ExpectedTo: "2026-11-26", CreatedAt: start.Add(-time.Hour), DecidedAt: start}})
	c.inbox()
	c.expect("CR-20261121-0007", "未注明原因", "/agent")
	c.reject("原因：\n", "原因：<")
	c.send("/messages")
	c.expect("注销申请 <code>CR-20261121-0007</code> 未通过（未注明原因）")
}

// TestAClosuresReasonIsMaskedInTheAudit: the core's reason for a decision
// reaches the customer as written but for a card or ID number, and its long
// numbers were kept whole in the audit (a probe: a phone and a card
// number); masked there now.
func TestAClosuresReasonIsMaskedInTheAudit(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	h.coreEvent(supportbot.CoreEvent{ID: "evt_cl_reason", Type: supportbot.EventClosureRequestDecided, CreatedAt: start,
		Closure: &supportbot.ClosureRequest{Reference: "CR-20261121-0008", CustomerID: "C3", Status: supportbot.ClosureRejected,
			Reason: "请致电 13800138000 核对卡 6222021234567890123", ExpectedFrom: "2026-11-24", ExpectedTo: "2026-11-26",
			CreatedAt: start.Add(-time.Hour), DecidedAt: start}})
	c.inbox()
	c.expect("请致电 13800138000 核对卡 ****0123") // a hotline stays; a card number is told masked (an operator probe)
	c.reject("6222021234567890123")
	c.send("/messages")
	c.expect("CR-20261121-0008")
	c.reject("6222021234567890123")
	if e := h.audit("closure_status"); len(e) != 1 || e[0].Details["reason"] != "请致电 ****8000 核对卡 ****0123" {
		t.Errorf("closure_status audit = %+v", e)
	}
}

// TestARefundAskedFasterToCloseIsTheClosuresCheck: "退款能不能快点 我着急注销"
// from a customer who owed nothing, a refund in progress, got "pay
// everything off first" (an audit). With a refund in progress, the
// closure's check says that is what it waits for.
func TestARefundAskedFasterToCloseIsTheClosuresCheck(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 720, phoneLi)
	for _, ask := range []string{"退款能不能快点 我着急注销", "我急着注销 退款能加急吗"} {
		c.send(ask)
		c.expect("暂时还不能注销分期账户", "1 笔退款尚未完成")
		c.reject("剩余的分期要先全部还清")
	}
	c.send("退款退了会不会影响我注销后的征信") // what closing does to a credit record: not the check (a regression run)
	c.reject("暂时还不能注销分期账户")
}

// A bare why right after the closure's check is the check again (a probe's
// "why not?" got "nothing waits for your confirmation", or unsure); a plan
// named next is no follow-up of a closure.
func TestWhyRightAfterTheClosuresCheckIsTheCheck(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 747, phoneLi)
	c.send("/close_account")
	c.expect("处理中的退款")
	for _, why := range []string{"为啥", "why not?"} {
		c.send(why)
		c.expect("❌ 处理中的退款")
	}
	c.send("/lang en")
	c.send("why")
	c.expect("Refunds in progress")
}

// TestAClosureTakenBackRightAfterIsHowToWithdraw: "我后悔了 能撤回吗" right
// after a closure was submitted got unsure (a probe): how a submitted
// request is withdrawn, and theirs.
func TestAClosureTakenBackRightAfterIsHowToWithdraw(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 301, phoneBob)
	c.send("/lang zh")
	c.send("/close_account")
	c.pressData(c.button("继续").Data)
	c.send("4321")
	c.expect("注销申请已提交")
	c.send("我后悔了 能撤回吗")
	c.expect("已提交的注销申请，这里不能自己撤回", "CR-20261121-")
	c.reject("不太确定")
}

// TestHowLongAClosureTakesAskedAtItsQuestion: "注销要多久" at the closure's
// question was told to press its button (a probe): how long it takes is
// answered, and the 确认 after it asked again.
func TestHowLongAClosureTakesAskedAtItsQuestion(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 1049, phoneBob)
	c.send("/close_account")
	c.expect("You can ask to close your account")
	c.send("注销要多久") // Bob's language on file is English
	c.expect("business days")
	c.reject("tap this step's button")
}

// TestClosureAskedOnceMoreAfterAnAside: the ID typed after a question was
// answered at the ID step is asked once more — the closure cannot be
// undone, and a probe saw it submitted without a word that the step was
// still open; a whole ID number typed there is told to give the last 4,
// the step waiting, no try counted.
func TestClosureAskedOnceMoreAfterAnAside(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(301, "en")
	c.identify(phoneBob)
	c.send("/close_account")
	c.press("Go on")
	c.send("110105198805054321")
	c.expect("type only the last 4 characters", "did not count as a try")
	c.send("what happens after closing?")
	c.send("4321")
	c.expect("has not been submitted", "once more")
	if n := len(h.audit("closure_request")) + len(h.audit("closure_identity_failed")); n != 0 {
		t.Fatalf("%d closure entries after the aside, want 0", n)
	}
	c.send("4321")
	c.expect("submitted")
	// How long it takes, asked at the ID step without a question mark, is
	// answered (a probe got the ID's prompt again).
	h = newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c = h.chat(302, "zh")
	c.identify(phoneBob)
	c.send("/lang zh")
	c.send("/close_account")
	c.press("继续")
	c.send("注销要多久")
	c.expect("工作日")
	c.reject("请输入身份证号码的最后 4 位")
}

// TestAPersonAskedAtTheIDStepIsThePerson: "后四位是 2 4 6 9 吧？我记不清了，
// 找人工帮我" at the closure's ID step got the ID asked again (a desk
// probe): the person asked for, the check closed and said so, no try
// counted, nothing submitted.
func TestAPersonAskedAtTheIDStepIsThePerson(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(1100, "en")
	c.identify(phoneBob)
	c.startClosure()
	c.send("后四位是 2 4 6 9 吧？我记不清了，找人工帮我")
	c.expect("The step you were at has been closed without being carried out")
	c.send("4321")
	c.reject("submitted")
	if n := len(h.audit("closure_request")); n != 0 {
		t.Errorf("%d closure requests, want none", n)
	}
}

// "中文" typed at /lang's chooser during the ID check was taken for an
// answer to it and the language kept (an English probe): switched, the
// step closed and said so, no try counted.
func TestALanguageTypedAtTheIDCheckSwitches(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(1137, "en")
	c.identify(phoneBob)
	c.send("/close_account")
	c.press("Go on")
	c.expect("You have 3 tries left.")
	c.send("/lang")
	c.send("中文")
	c.expect("已切换为中文", "刚才进行到一半的步骤已关闭")
	c.send("/close_account")
	c.press("继续")
	c.expect("还可以尝试 3 次")
}

// The language it is in already, picked at the ID check, closed the step
// for no change (a replay): the step stays.
func TestTheSameLanguageAtTheIDCheckKeepsIt(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(1148, "en")
	c.identify(phoneBob)
	c.send("/close_account")
	c.press("Go on")
	c.send("/lang")
	c.send("English")
	c.expect("still waits for the last 4 characters")
	c.send("/lang")
	c.press("English")
	c.expect("the step you were at is still open")
	c.send("4321")
	c.expect("type the last 4 characters of your ID number once more") // a step in between: asked once more, as after any
	c.send("4321")
	c.expect("Closure request submitted")
}
