package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp/coretest"
	"supportbot/store"
)

// What the rewrite on the core boundary promises (issue 16): a money action
// confirmed once executes once, whatever happens around it; a core that
// does not answer is said so honestly and leaves nothing half-done; a
// partner that answers later is told as it comes; the core's refusals are
// explained; a quote that does not add up is never shown or charged.

// moneyFlow is one flow that moves money, driven to its confirmation.
type moneyFlow struct {
	name     string
	data     func() []supportbot.CustomerData
	phone    string
	customer string
	// confirm drives the chat to the step that confirms and returns the
	// event that confirms (a button, or the identity check's answer).
	confirm func(c *chat) supportbot.Event
	working string // the "⏳" reply of the confirm
	slow    string // what the customer is told once when the outcome is not known yet
	done    string // the outcome the customer is told
	again   string // what a confirm after the outcome says
	audit   string
	kind    supportbot.ActionKind
	op      string // the core operation that carries it out (coretest.Op…)
	// executed counts what the core carried out for the customer.
	executed func(h *harness) int
}

// begin opens a harness on the flow's data and drives an identified chat to
// the step that confirms: the confirming event is returned, not yet sent.
func (f moneyFlow) begin(t *testing.T) (*harness, *chat, supportbot.Event) {
	t.Helper()
	h := newHarness(t, f.data())
	c := h.chat(100, "zh")
	c.identify(f.phone)
	return h, c, f.confirm(c)
}

func pressEvent(c *chat, label string) supportbot.Event {
	c.h.t.Helper()
	return supportbot.Event{Kind: supportbot.EventButton, Data: c.button(label).Data}
}

var moneyFlows = []moneyFlow{
	{
		name: "early repayment", data: fixture, phone: phoneWang, customer: "C3",
		confirm: func(c *chat) supportbot.Event {
			c.send("/repay")
			c.expect("合计应付：<b>¥200.00</b>")
			return pressEvent(c, "确认还款")
		},
		working: "⏳ 正在从 建设银行 **** 8888 扣款 <b>¥200.00</b>", slow: "处理比平时慢一些", done: "提前还款成功", again: "不会重复扣款",
		audit: "early_repayment", kind: supportbot.ActionRepay, op: coretest.OpCreateRepayment,
		executed: func(h *harness) int { return len(succeeded(h.repayments("C3"))) },
	},
	{
		name: "pay a bill", data: payFixture, phone: phoneZhao, customer: "C5",
		confirm: func(c *chat) supportbot.Event {
			c.send("/pay")
			c.expect("合计应付：<b>¥303.00</b>")
			return pressEvent(c, "确认还款")
		},
		working: "⏳ 正在从 农业银行 **** 5555 扣款 <b>¥303.00</b>", slow: "处理比平时慢一些", done: "还款成功", again: "不会重复扣款",
		audit: "repay_bill", kind: supportbot.ActionRepay, op: coretest.OpCreateRepayment,
		executed: func(h *harness) int { return len(succeeded(h.repayments("C5"))) },
	},
	{
		name: "cancel a scheduled repayment", data: fixture, phone: phoneZhang, customer: "C1",
		confirm: func(c *chat) supportbot.Event {
			c.send("/cancel_schedule")
			c.press("Redmi K70 第 7 期")
			return pressEvent(c, "取消这笔预约还款")
		},
		working: "⏳ 正在取消这笔预约还款", slow: "取消预约还款的处理比平时慢一些", done: "已取消预约还款", again: "取消已经处理完毕",
		audit: "cancel_scheduled", kind: supportbot.ActionCancel, op: coretest.OpCancelScheduled,
		executed: func(h *harness) int {
			if h.scheduled("C1")["S1"] == supportbot.ScheduledCancelled {
				return 1
			}
			return 0
		},
	},
	{
		name: "closure request", data: fixture, phone: phoneBob, customer: "C2",
		confirm: func(c *chat) supportbot.Event {
			c.send("/close_account")
			c.press("Go on")
			return supportbot.Event{Kind: supportbot.EventText, Text: "4321"}
		},
		working: "⏳ Identity verified. Submitting your closure request", slow: "taking longer than usual", done: "Closure request submitted",
		again: "already have a closure request", audit: "closure_request", kind: supportbot.ActionClosure, op: coretest.OpCreateClosureRequest,
		executed: func(h *harness) int {
			list, err := h.db.CoreView().ClosureRequests(context.Background(), "C2")
			if err != nil {
				h.t.Fatal(err)
			}
			return len(list)
		},
	},
}

// submit puts an event of the chat in the inbox without handling it.
func (c *chat) submit(ev supportbot.Event) {
	c.h.t.Helper()
	ev.ChatID, ev.UserID, ev.LanguageCode = c.id, c.id, c.lang
	if err := c.h.eng.Submit(context.Background(), ev); err != nil {
		c.h.t.Fatal(err)
	}
}

// actions lists every money action, newest first.
func (h *harness) actions() []supportbot.Action {
	h.t.Helper()
	list, err := h.db.Actions(context.Background(), "", 100)
	if err != nil {
		h.t.Fatal(err)
	}
	return list
}

// TestEveryMoneyFlowExecutesOnce: the confirm tapped twice, the update
// delivered twice, the process restarted between the commit of the confirm
// and its execution, the old confirm tapped after the outcome, and another
// restart: the core carries the action out once, the customer is told once,
// the audit has it once.
func TestEveryMoneyFlowExecutesOnce(t *testing.T) {
	for _, f := range moneyFlows {
		t.Run(f.name, func(t *testing.T) {
			h, c, ev := f.begin(t)
			tap := ev
			ev.Source = supportbot.UpdateSource(901)
			c.submit(ev)
			c.submit(ev) // the same update delivered again
			tap.Source = supportbot.UpdateSource(902)
			c.submit(tap) // a double tap: another update
			h.open()      // the process restarts before anything ran
			h.drain()
			c.inbox()
			text := c.text()
			if n := strings.Count(text, f.done); n != 1 {
				t.Errorf("told the outcome %d times, want once:\n%s", n, text)
			}
			if !strings.Contains(text, f.working) {
				t.Errorf("no %q reply:\n%s", f.working, text)
			}
			tap.Source = supportbot.UpdateSource(903)
			c.event(tap) // the old confirm, after the outcome
			c.reject(f.done)
			if f.kind != supportbot.ActionClosure {
				c.expect(f.again)
			}
			h.open()
			h.drain()
			if c.inbox(); len(c.last) != 0 {
				t.Errorf("after another restart the customer was told: %s", c.text())
			}

			if n := f.executed(h); n != 1 {
				t.Errorf("the core carried it out %d times, want once", n)
			}
			if n := len(h.audit(f.audit)); n != 1 {
				t.Errorf("%s audit entries = %d, want 1", f.audit, n)
			}
			acts := h.actions()
			if len(acts) != 1 || acts[0].Kind != f.kind || acts[0].State != supportbot.ActionSucceeded {
				t.Errorf("money actions = %+v, want one %s succeeded", acts, f.kind)
			}
			if h.fake != nil {
				if d := h.fake.Doubled(); len(d) > 0 {
					t.Errorf("the fake core executed twice: %v", d)
				}
			}
		})
	}
}

// TestRestartWithTheActionClaimedResumesItWithTheSameKey: the process died
// while the worker held the action (it had asked the core, which carried it
// out, and never heard back); the lease runs out and a new process settles
// it by asking the core about the key, not by paying again.
func TestRestartWithTheActionClaimedResumesItWithTheSameKey(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	var keys []string
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			keys = append(keys, key)
			if _, err := k.Core.Repay(ctx, key, r); err != nil {
				return nil, err
			}
			return nil, context.DeadlineExceeded // executed, the answer lost
		}
	})
	c.press("确认还款")
	c.expect("⏳ 正在从 建设银行 **** 8888 扣款 <b>¥200.00</b>", "比平时慢一些")
	c.reject("提前还款成功")
	failRepay(h, nil)
	h.open() // a restart; the retry is due after a backoff
	h.drain()
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("told before the retry was due: %s", c.text())
	}
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.expect("提前还款成功")
	r := h.paid("C3")
	if len(keys) != 1 || r.Key != keys[0] || r.Key != "repay:"+r.QuoteID {
		t.Errorf("keys sent %q, ledger %+v: want one key, the quote's", keys, r)
	}
	if n := len(h.audit("early_repayment")); n != 1 {
		t.Errorf("early_repayment entries = %d, want 1", n)
	}
}

// conversation is the chat's saved conversation.
func (h *harness) conversation(chatID int64) supportbot.Conversation {
	h.t.Helper()
	c, err := h.db.Conversation(context.Background(), chatID)
	if err != nil {
		h.t.Fatal(err)
	}
	c.Transcript = supportbot.Transcript{} // what the customer typed is kept, and may be
	return *c
}

func sameConversation(t *testing.T, got, want supportbot.Conversation) {
	t.Helper()
	if got.Flow != want.Flow || got.State != want.State || got.Nonce != want.Nonce || string(got.Slots) != string(want.Slots) ||
		got.CustomerID != want.CustomerID || got.Lang != want.Lang {
		t.Errorf("the conversation changed:\n got %+v\nwant %+v", got, want)
	}
}

// TestCoreDownDuringAReadChangesNothing: the core does not answer while a
// step reads: the customer is told so honestly, with a person one tap away,
// and the conversation is where it was — its buttons work once the core is
// back.
func TestCoreDownDuringAReadChangesNothing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	plan := c.button("Xiaomi Book").Data
	before := h.conversation(100)
	audits := len(h.audit(""))

	down := func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
	h.hooks.set(func(k *hooks) { k.plans = down })
	c.pressData(plan)
	c.expect("分期系统暂时没有响应", "没有执行，也没有扣款", "[👤 转人工客服]")
	c.reject("提前结清报价", "¥")
	sameConversation(t, h.conversation(100), before)
	c.send("/bill")
	c.expect("分期系统暂时没有响应", "[👤 转人工客服]")
	sameConversation(t, h.conversation(100), before)
	if n := len(h.audit("")); n != audits {
		t.Errorf("the audit grew by %d entries while the core was down", n-audits)
	}

	c.press("转人工") // the way out works without the core
	c.expect("400-100-5678")

	h.hooks.set(func(k *hooks) { k.plans = nil })
	c.send("/repay")
	plan = c.button("Xiaomi Book").Data
	h.hooks.set(func(k *hooks) { k.plans = down })
	c.pressData(plan)
	c.expect("分期系统暂时没有响应")
	h.hooks.set(func(k *hooks) { k.plans = nil })
	c.pressData(plan) // the same button, the core back
	c.expect("<b>📄 提前结清报价</b>：Xiaomi Book", "合计应付")
}

// TestCoreDownAtConfirmDoesNotStartThePayment: the core does not answer as
// the customer confirms: nothing is committed, the quote stands, and the
// same confirm button pays once when the core is back.
func TestCoreDownAtConfirmDoesNotStartThePayment(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	confirm := c.button("确认还款").Data
	h.hooks.set(func(k *hooks) {
		k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
	})
	c.pressData(confirm)
	c.expect("分期系统暂时没有响应")
	c.reject("⏳", "提前还款成功")
	if n := len(h.actions()); n != 0 {
		t.Fatalf("%d money actions started while the core was down", n)
	}
	h.hooks.set(func(k *hooks) { k.plans = nil })
	c.pressData(confirm)
	c.expect("⏳", "提前还款成功")
	h.paid("C3")
}

// TestCoreDownAtIdentifyingSaysSo: the core cannot look the phone up: the
// customer is not told they are unknown (they may well be known), and can
// share the contact again.
func TestCoreDownAtIdentifyingSaysSo(t *testing.T) {
	h := newHarness(t, fixture())
	h.hooks.set(func(k *hooks) {
		k.byPhone = func(context.Context, string) (*supportbot.Customer, error) { return nil, errDown }
	})
	c := h.chat(100, "zh")
	c.send("/bill")
	c.share(phoneZhang, 100)
	c.expect("分期系统暂时没有响应", "转人工")
	c.reject("没有找到", "验证成功")
	if n := len(h.audit("identify_unknown")) + len(h.audit("identify")); n != 0 {
		t.Errorf("audited %d identifications while the core was down", n)
	}
	h.hooks.set(func(k *hooks) { k.byPhone = nil })
	c.share(phoneZhang, 100)
	c.expect("验证成功，张伟", "Redmi K70") // and the flow it was for
}

// TestCoreDownAfterIdentifyingSaysNotVerified: the phone is found but the
// core fails on what the customer asked for: the step is undone, so the
// chat is not linked, and the customer is not told it was verified.
func TestCoreDownAfterIdentifyingSaysNotVerified(t *testing.T) {
	h := newHarness(t, fixture())
	h.hooks.set(func(k *hooks) {
		k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
	})
	c := h.chat(100, "zh")
	c.send("/bill")
	c.share(phoneZhang, 100)
	c.expect("分期系统暂时没有响应")
	c.reject("验证成功")
	if conv := h.conversation(100); conv.CustomerID != "" {
		t.Errorf("the chat is linked to %s though the step was undone", conv.CustomerID)
	}
	h.hooks.set(func(k *hooks) { k.plans = nil })
	c.share(phoneZhang, 100)
	c.expect("验证成功，张伟", "Redmi K70")
}

// TestCoreDownOverHTTPIsToldNotFailed: the same through the HTTP client: the
// core answers 5xx and 429 to every try of a read.
func TestCoreDownOverHTTPIsToldNotFailed(t *testing.T) {
	if !overHTTP() {
		t.Skip("the HTTP core's faults (SUPPORTBOT_TEST_CORE=http)")
	}
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	for _, f := range []coretest.Fault{coretest.ServerError(), coretest.BadGateway(), coretest.RateLimited(0), coretest.Reset()} {
		h.fake.Inject(coretest.OpListPlans, -1, f) // every try (net/http itself retries a reset GET once)
		c.send("/bill")
		c.expect("分期系统暂时没有响应", "[👤 转人工客服]")
		c.reject("Redmi K70")
		h.fake.ClearFaults()
	}
	h.fake.Inject(coretest.OpListPlans, 1, coretest.ServerError()) // one try fails, the retry answers
	c.send("/bill")
	c.expect("Redmi K70")
}

// TestCoreDownDuringAPaymentSettlesLaterWithTheSameKey: the core does not
// answer the repayment: the action stays open (state unknown), the
// customer is told once that it takes longer, and a later round (the core
// back) settles it with the same key — one repayment in the ledger.
func TestCoreDownDuringAPaymentSettlesLaterWithTheSameKey(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	var keys []string
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			keys = append(keys, key)
			return nil, errDown
		}
	})
	c.press("确认还款")
	c.expect("⏳ 正在从 建设银行 **** 8888 扣款 <b>¥200.00</b>", "⏳ 还款 <b>¥200.00</b> 的处理比平时慢一些", "不会重复扣款")
	c.reject("提前还款成功", "没有成功")
	acts := h.actions()
	if len(acts) != 1 || acts[0].State != supportbot.ActionUnknown {
		t.Fatalf("actions = %+v, want one unknown", acts)
	}
	for range 3 { // more tries, the core still down: told once
		h.advance(time.Minute)
		h.drain()
	}
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("told again while still unknown: %s", c.text())
	}
	for _, again := range []string{"确认", "扣了吗", "did it go through?"} { // the customer asks meanwhile, and again
		c.send(again)
		c.expect("正在处理中，不会重复扣款")
	}
	c.send("等等") // too late to wait: it is under way, and said so
	c.expect("已经在处理中，无法撤回")
	c.send("/cancel") // nor is it "nothing was changed" (a probe)
	c.expect("已经在处理中，无法撤回")
	c.reject("没有做任何更改")
	c.send("/lang en") // the outcome will be told in English, not "the step was closed"
	c.expect("Switched to English", "already being processed")
	c.reject("closed the step")
	c.send("/lang zh")
	c.expect("已切换为中文", "已经在处理中")
	if n := len(h.repayments("C3")); n != 0 {
		t.Fatalf("the ledger has %d repayments while the core was down", n)
	}

	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			keys = append(keys, key)
			return k.Core.Repay(ctx, key, r)
		}
	})
	h.advance(time.Minute) // within the quote's 15 minutes
	h.drain()
	c.inbox()
	c.expect("提前还款成功", "¥200.00")
	for _, m := range c.screen { // each "still under way" now says it is settled
		if strings.Contains(m.text, "正在处理中") {
			t.Errorf("message #%d still says the payment is under way: %s", m.id, m.text)
		}
	}
	r := h.paid("C3")
	for _, k := range keys {
		if k != r.Key {
			t.Errorf("keys sent %q: want every try with the ledger's %s", keys, r.Key)
			break
		}
	}
	if len(keys) < 3 {
		t.Errorf("keys sent %q: want the tries while down and the one that worked", keys)
	}
	if a := h.action(r.Key); a.State != supportbot.ActionSucceeded {
		t.Errorf("action %s = %s, want succeeded", r.Key, a.State)
	}
	if n := len(h.audit("early_repayment")); n != 1 {
		t.Errorf("early_repayment entries = %d, want 1", n)
	}
}

// TestAPlanIsNotPaidAgainWhileItsPaymentIsUnderWay: a payment stays
// unknown (the core down); the customer asks to pay the plan again, in the
// same chat and in another of theirs: it is not quoted (the core may not
// know of the first yet; a second confirm would pay the bill twice), they
// are told the first is under way; a quote another chat showed before,
// confirmed meanwhile, is not paid either. One payment in all.
func TestAPlanIsNotPaidAgainWhileItsPaymentIsUnderWay(t *testing.T) {
	h := newHarness(t, payFixture())
	c, other := h.chat(500, "zh"), h.chat(501, "zh")
	c.identify(phoneZhao)
	other.identify(phoneZhao)
	other.send("/pay")
	other.expect("合计应付")
	c.send("/pay")
	c.expect("合计应付")
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			return nil, errDown
		}
	})
	c.press("确认还款")
	c.expect("比平时慢一些")
	// The quote the other chat shows, confirmed now: not paid a second time.
	other.press("确认还款")
	other.expect("还在处理中，结果出来前不能再次还款")
	for _, ch := range []*chat{c, other} {
		ch.send("/pay")
		ch.expect("还在处理中，结果出来前不能再次还款")
		ch.reject("合计应付", "确认还款")
	}
	other.send("/repay")
	other.expect("还在处理中")
	// The bill says so too, with no button to pay the plan again (a money
	// probe was shown it owing, its payoff a tap away).
	other.send("/bill")
	other.expect("的还款（", "正在处理中，上面显示的是处理前的账单")
	other.reject("还这期", "💰 提前还款")
	other.send("/close_account")
	other.expect("你确认的一笔还款正在处理中")
	other.reject("💰 提前还款")

	h.hooks.set(func(k *hooks) { k.repay = nil })
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.expect("还款成功")
	if n := len(succeeded(h.repayments("C5"))); n != 1 || len(h.actions()) != 1 {
		t.Errorf("%d repayments and %d actions for one bill, want 1 and 1", n, len(h.actions()))
	}
	other.send("/pay") // the plan is free again
	other.reject("还在处理中")
}

// TestAQuoteOvertakenByAPaymentFromAnotherChatSaysThatOneCounted: two chats
// of a customer show the bill's quote; one pays it; the other's confirm
// goes stale at the core: it is told the payment from the first counted —
// not quoted again (for the next period, as if it were still owed).
func TestAQuoteOvertakenByAPaymentFromAnotherChatSaysThatOneCounted(t *testing.T) {
	h := newHarness(t, payFixture())
	c, other := h.chat(500, "zh"), h.chat(501, "zh")
	c.identify(phoneZhao)
	other.identify(phoneZhao)
	other.send("/pay")
	other.expect("合计应付")
	c.send("/pay")
	c.press("确认还款")
	c.expect("还款成功")
	other.press("确认还款")
	other.expect("没有扣款", "在它之前确认的", "还款已经成功")
	other.reject("已重新报价", "合计应付")
	if n := len(succeeded(h.repayments("C5"))); n != 1 {
		t.Errorf("%d repayments for one bill, want 1", n)
	}
}

// TestExecutedButAnsweredWithAnErrorOverHTTP: the core carries the
// repayment out and answers 500 (twice: the client's retry too); the bot
// asks the core about the key on its next round and finds it paid.
func TestExecutedButAnsweredWithAnErrorOverHTTP(t *testing.T) {
	if !overHTTP() {
		t.Skip("the HTTP core's faults (SUPPORTBOT_TEST_CORE=http)")
	}
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	h.fake.Inject(coretest.OpCreateRepayment, 2, coretest.ExecutedButFailed())
	c.press("确认还款")
	c.expect("比平时慢一些")
	c.reject("提前还款成功")
	r := h.paid("C3") // it did go through
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.expect("提前还款成功", "流水号 <code>"+r.ID+"</code>")
	if n := h.fake.Executed(coretest.OpCreateRepayment, r.Key); n != 1 {
		t.Errorf("the core executed %s %d times, want once", r.Key, n)
	}
	if d := h.fake.Doubled(); len(d) > 0 {
		t.Errorf("doubled: %v", d)
	}
	h.paid("C3")
}

// TestEveryMoneyFlowExecutedButAnsweredWithAnErrorAcrossARestart: the core
// carries each money action out and answers 500, twice (the client's retry
// too); the bot, not knowing, tells the customer it takes longer, and is
// then restarted. The next round settles the action by its key: carried out
// once, told once, audited once.
func TestEveryMoneyFlowExecutedButAnsweredWithAnErrorAcrossARestart(t *testing.T) {
	if !overHTTP() {
		t.Skip("the HTTP core's faults (SUPPORTBOT_TEST_CORE=http)")
	}
	for _, f := range moneyFlows {
		t.Run(f.name, func(t *testing.T) {
			h, c, ev := f.begin(t)
			h.fake.Inject(f.op, 2, coretest.ExecutedButFailed())
			c.event(ev)
			c.expect(f.working, f.slow)
			c.reject(f.done)
			if n := f.executed(h); n != 1 {
				t.Fatalf("the core carried it out %d times, want once", n)
			}
			h.open() // a restart, with the action's outcome unknown
			for range 2 {
				h.advance(time.Minute)
				h.drain()
			}
			c.inbox()
			c.expect(f.done)
			if n := f.executed(h); n != 1 {
				t.Errorf("the core carried it out %d times, want once", n)
			}
			if n := len(h.audit(f.audit)); n != 1 {
				t.Errorf("%s audit entries = %d, want 1", f.audit, n)
			}
			h.advance(time.Minute)
			h.drain()
			if c.inbox(); len(c.last) != 0 {
				t.Errorf("told again: %s", c.text())
			}
			if open, err := h.db.OpenActions(context.Background()); err != nil || len(open) != 0 {
				t.Errorf("open money actions: %v, %v", open, err)
			}
		})
	}
}

// TestCoreDownPastTheQuotesLifeChargesNothing: the core is back only after
// the quote expired: it refuses the same key, nothing is charged, and the
// customer gets a new quote to confirm.
func TestCoreDownPastTheQuotesLifeChargesNothing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	failRepay(h, errDown)
	c.press("确认还款")
	c.expect("比平时慢一些")
	h.advance(20 * time.Minute)
	failRepay(h, nil)
	h.drain()
	c.inbox()
	c.expect("报价已超过 15 分钟失效，没有扣款", "合计应付：<b>¥200.00</b>", "确认还款")
	if n := len(h.repayments("C3")); n != 0 {
		t.Fatalf("an expired quote was charged: %d repayments", n)
	}
	if e := h.audit("payment_refused"); len(e) != 1 || e[0].Details["code"] != "quote_expired" {
		t.Errorf("payment_refused audit = %+v", e)
	}
	c.press("确认还款")
	c.expect("提前还款成功")
	h.paid("C3")
}

// TestAPartnerThatAnswersLater: the core answers processing (the financing
// partner has not answered): the customer is told it is being processed,
// nothing more while it is, and the outcome when the core's event comes —
// once, however often it is delivered.
func TestAPartnerThatAnswersLater(t *testing.T) {
	for _, outcome := range []supportbot.RepaymentStatus{supportbot.RepaymentSucceeded, supportbot.RepaymentFailed} {
		t.Run(string(outcome), func(t *testing.T) {
			h := newHarness(t, fixture())
			c := h.chat(100, "zh")
			c.identify(phoneWang)
			c.send("/repay")
			var final *supportbot.Repayment
			processing := func(r supportbot.Repayment) *supportbot.Repayment {
				r.Status, r.SettledAt, r.ID = supportbot.RepaymentProcessing, time.Time{}, "RPROC"
				return &r
			}
			h.hooks.set(func(k *hooks) {
				k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
					if outcome == supportbot.RepaymentSucceeded {
						rep, err := k.Core.Repay(ctx, key, r)
						if err != nil {
							return nil, err
						}
						final = rep
					} else {
						final = &supportbot.Repayment{ID: "RPROC", Key: key, QuoteID: r.QuoteID, CustomerID: "C3", PlanID: "P4",
							CardID: r.CardID, Amount: r.Amount, Status: supportbot.RepaymentFailed, SettledAt: start}
					}
					return processing(*final), nil
				}
				// Asked meanwhile, the core says it is still processing.
				k.repayment = func(ctx context.Context, key string) (*supportbot.Repayment, error) { return processing(*final), nil }
			})
			c.press("确认还款")
			c.expect("⏳ 正在从 建设银行 **** 8888 扣款 <b>¥200.00</b>", "⏳ 还款 <b>¥200.00</b> 已提交，资金方正在处理")
			c.reject("提前还款成功", "没有成功")
			key := h.actions()[0].Key
			if a := h.action(key); a.State != supportbot.ActionProcessing {
				t.Fatalf("action %s = %s, want processing", key, a.State)
			}
			h.advance(6 * time.Minute) // the worker looks again: still processing
			h.drain()
			if c.inbox(); len(c.last) != 0 {
				t.Errorf("told again while processing: %s", c.text())
			}
			c.send("确认")
			c.expect("正在处理中，不会重复扣款")

			typ := supportbot.EventRepaymentSucceeded
			if outcome != supportbot.RepaymentSucceeded {
				typ = supportbot.EventRepaymentFailed
			}
			// An event whose type contradicts its repayment's status (a
			// core probe: settled from the status alone) is not told.
			wrong := supportbot.EventRepaymentFailed
			if typ == wrong {
				wrong = supportbot.EventRepaymentSucceeded
			}
			if err := h.eng.CoreEvent(context.Background(), supportbot.CoreEvent{ID: "evt_contradicts", Type: wrong, CreatedAt: h.clock(), Repayment: final}); err != nil {
				t.Fatal(err)
			}
			h.drain()
			if c.inbox(); len(c.last) != 0 {
				t.Errorf("a %s event of a %s repayment was told: %s", wrong, final.Status, c.text())
			}
			if a := h.action(key); a.State != supportbot.ActionProcessing {
				t.Errorf("after a contradicting event the action is %s, want processing", a.State)
			}
			ev := supportbot.CoreEvent{ID: "evt_partner", Type: typ, CreatedAt: h.clock(), Repayment: final}
			for range 2 { // delivered twice
				if err := h.eng.CoreEvent(context.Background(), ev); err != nil {
					t.Fatal(err)
				}
				h.drain()
			}
			c.inbox()
			if outcome == supportbot.RepaymentSucceeded {
				if n := strings.Count(c.text(), "提前还款成功"); n != 1 {
					t.Errorf("told %d times, want once:\n%s", n, c.text())
				}
				h.paid("C3")
				if n := len(h.audit("early_repayment")); n != 1 {
					t.Errorf("early_repayment entries = %d, want 1", n)
				}
			} else {
				if n := strings.Count(c.text(), "还款 <b>¥200.00</b> 没有成功，没有扣款"); n != 1 {
					t.Errorf("told %d times, want once:\n%s", n, c.text())
				}
				if n := len(h.repayments("C3")); n != 0 {
					t.Errorf("the ledger has %d repayments, want none", n)
				}
				if e := h.audit("payment_failed"); len(e) != 1 {
					t.Errorf("payment_failed audit = %+v, want one", e)
				}
			}
			if a := h.action(key); a.State.Open() {
				t.Errorf("action %s still %s", key, a.State)
			}
		})
	}
}

// TestAPartnerThatNeverAnswersGoesToAPerson: the core answers processing
// and, looked at every 5 minutes, still processing for hours: after two
// hours a person is asked to look — the customer is told so once, and the
// staff chat gets a ticket naming the key.
func TestAPartnerThatNeverAnswersGoesToAPerson(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	processing := func(r supportbot.Repayment) *supportbot.Repayment {
		r.Status, r.SettledAt, r.ID = supportbot.RepaymentProcessing, time.Time{}, "RPROC"
		return &r
	}
	var taken supportbot.Repayment
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			taken = supportbot.Repayment{ID: "RPROC", Key: key, QuoteID: r.QuoteID, CustomerID: "C3", PlanID: "P4", CardID: r.CardID, Amount: r.Amount}
			return processing(taken), nil
		}
		k.repayment = func(ctx context.Context, key string) (*supportbot.Repayment, error) { return processing(taken), nil }
	})
	c.press("确认还款")
	c.expect("资金方正在处理")
	for range 20 { // 100 minutes: still the partner's
		h.advance(5 * time.Minute)
		h.drain()
	}
	if c.inbox(); strings.Contains(c.text(), "同事") {
		t.Fatalf("a person was asked within the partner's usual time: %s", c.text())
	}
	for range 8 { // past two hours
		h.advance(5 * time.Minute)
		h.drain()
	}
	c.inbox()
	if n := strings.Count(c.text(), "我已请同事核实"); n != 1 {
		t.Errorf("told %d times that a person will look, want once:\n%s", n, c.text())
	}
	if a := h.actions()[0]; !strings.Contains(texts(h.staff()), a.Key) || a.State != supportbot.ActionProcessing {
		t.Errorf("staff chat %q lacks the key %s, or the action is %s (want still processing)", texts(h.staff()), a.Key, a.State)
	}
}

// TestAStuckActionWithoutAStaffChatGivesTheHotline: with no staff chat (a
// deployment the README allows) a stuck payment promised "a colleague will
// check it and write to you", then said no person could be reached (a
// probe). It gives the hotline once, promises no colleague, and the ticket
// is recorded as referred.
func TestAStuckActionWithoutAStaffChatGivesTheHotline(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	h.hooks.set(func(k *hooks) {
		k.repay = func(context.Context, string, supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			return nil, errDown
		}
		k.repayment = func(context.Context, string) (*supportbot.Repayment, error) { return nil, errDown }
	})
	c.press("确认还款")
	for range 16 { // past an hour unknown
		h.advance(5 * time.Minute)
		h.drain()
	}
	c.inbox()
	if n := strings.Count(c.text(), "400-100-5678"); n != 1 {
		t.Errorf("the hotline told %d times, want once:\n%s", n, c.text())
	}
	for _, never := range []string{"同事", "无法在线转接"} {
		if strings.Contains(c.text(), never) {
			t.Errorf("told %q with no staff chat:\n%s", never, c.text())
		}
	}
	if !strings.Contains(c.text(), "请不要重复操作") {
		t.Errorf("not told to wait for the outcome:\n%s", c.text())
	}
	tk, err := h.db.LastTicket(context.Background(), 100)
	if err != nil || tk.Status != supportbot.TicketReferred {
		t.Fatalf("ticket = %+v, %v; want one referred", tk, err)
	}
	if a := h.actions()[0]; !a.State.Open() {
		t.Errorf("the action is %s, want still asked about", a.State)
	}
}

// TestAStuckActionOfACustomerNoLongerInTheChatIsToldToTheStaffOnly: the
// chat that confirmed a payment the partner never answers signed out and
// identified as another customer: after two hours a person is asked to
// look — in the staff chat, naming the customer who paid — and the chat,
// now another customer's, hears nothing of it.
func TestAStuckActionOfACustomerNoLongerInTheChatIsToldToTheStaffOnly(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneWang) // C3
	c.send("/repay")
	var taken supportbot.Repayment
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			taken = supportbot.Repayment{ID: "RPROC", Key: key, QuoteID: r.QuoteID, CustomerID: "C3", PlanID: "P4", CardID: r.CardID,
				Amount: r.Amount, Status: supportbot.RepaymentProcessing}
			return &taken, nil
		}
		k.repayment = func(ctx context.Context, key string) (*supportbot.Repayment, error) { return &taken, nil }
	})
	c.press("确认还款")
	c.expect("资金方正在处理")
	c.send("/logout")
	c.identify(phoneBob) // C2
	c.inbox()
	for range 28 {
		h.advance(5 * time.Minute)
		h.drain()
	}
	c.inbox()
	c.reject("同事", "200.00", "排在第")
	staff := texts(h.staff())
	if a := h.actions()[0]; !strings.Contains(staff, a.Key) || !strings.Contains(staff, "C3") {
		t.Errorf("staff chat %q lacks the key %s or the customer C3", staff, a.Key)
	}
	if _, err := h.db.OpenTicket(context.Background(), 100); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("the chat, now C2's, has a ticket (%v): want none", err)
	}
}

// TestAnOutcomeForACustomerNoLongerInTheChat: a processing repayment
// settles after its chat signed out, identified as another customer, or
// was unlinked when the customer's phone changed: the outcome is recorded
// for the customer who paid (audit, message center), and the chat hears
// only that an earlier request has an outcome — no product, amount or card.
func TestAnOutcomeForACustomerNoLongerInTheChat(t *testing.T) {
	for _, leave := range []string{"logout", "another customer", "phone changed"} {
		t.Run(leave, func(t *testing.T) {
			h := newHarness(t, fixture())
			c := h.chat(100, "zh")
			c.identify(phoneWang) // C3
			c.send("/repay")
			var final *supportbot.Repayment
			h.hooks.set(func(k *hooks) {
				k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
					rep, err := k.Core.Repay(ctx, key, r)
					if err != nil {
						return nil, err
					}
					final = rep
					p := *rep
					p.Status, p.SettledAt = supportbot.RepaymentProcessing, time.Time{}
					return &p, nil
				}
			})
			c.press("确认还款")
			c.expect("资金方正在处理")
			switch leave {
			case "logout":
				c.send("/logout")
			case "another customer":
				c.send("/logout")
				c.identify(phoneBob) // C2, on the same Telegram account
			case "phone changed":
				h.hooks.set(func(k *hooks) {
					k.customer = func(ctx context.Context, id string) (*supportbot.Customer, error) {
						cu, err := k.Core.Customer(ctx, id)
						if err == nil && id == "C3" {
							moved := *cu
							moved.Phone = "+8613811112222"
							return &moved, nil
						}
						return cu, err
					}
				})
				c.send("/bill")
				c.expect("验证")
			}
			c.inbox()
			if err := h.eng.CoreEvent(context.Background(), supportbot.CoreEvent{ID: "evt_partner", Type: supportbot.EventRepaymentSucceeded,
				CreatedAt: h.clock(), Repayment: final}); err != nil {
				t.Fatal(err)
			}
			h.drain()
			c.inbox()
			if got := c.text(); !strings.Contains(got, "之前在这里确认的一笔操作已有结果") && !strings.Contains(got, "confirmed earlier in this chat has an outcome") {
				t.Errorf("the chat is told %q, want that an earlier request has an outcome", got)
			}
			c.reject("8888", "200.00", "提前还款成功", "Paid off", "还清")
			if e := h.audit("early_repayment"); len(e) != 1 || e[0].CustomerID != "C3" {
				t.Errorf("early_repayment audit = %+v, want one of C3", e)
			}
			for customer, want := range map[string]int{"C3": 1, "C2": 0} {
				notices, err := h.db.Notices(context.Background(), customer, 0, 10)
				if err != nil {
					t.Fatal(err)
				}
				if len(notices) != want {
					t.Errorf("%s's message center has %d entries, want %d: %+v", customer, len(notices), want, notices)
				}
			}
		})
	}
}

// TestAPartnerThatAnswersLaterOverHTTP: the same end to end: the fake core
// answers processing, settles later and posts the signed event to the
// bot's /core/events.
func TestAPartnerThatAnswersLaterOverHTTP(t *testing.T) {
	if !overHTTP() {
		t.Skip("the HTTP core's processing repayments (SUPPORTBOT_TEST_CORE=http)")
	}
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	h.fake.Inject(coretest.OpCreateRepayment, 1, coretest.Processing())
	c.press("确认还款")
	c.expect("资金方正在处理")
	c.reject("提前还款成功")
	if n := len(h.repayments("C3")); n != 0 {
		t.Fatalf("the ledger has %d repayments before the partner answered", n)
	}
	key := h.actions()[0].Key
	if _, err := h.fake.Settle(context.Background(), key, supportbot.RepaymentSucceeded); err != nil {
		t.Fatal(err)
	}
	h.drain()
	c.inbox()
	c.expect("提前还款成功")
	r := h.paid("C3")
	if r.Key != key {
		t.Errorf("ledger key %s, want the action's %s", r.Key, key)
	}
	if n := h.fake.Executed(coretest.OpCreateRepayment, key); n != 1 {
		t.Errorf("executed %d times, want once", n)
	}
}

// refuseRepay makes the core refuse the next repayments with code.
func refuseRepay(h *harness, code supportbot.CoreCode) {
	failRepay(h, &supportbot.CoreError{Status: 409, Code: code, Message: string(code)})
}

// failRepay makes the core answer the next repayments with err, executing
// nothing; nil lets them through again.
func failRepay(h *harness, err error) {
	h.hooks.set(func(k *hooks) {
		k.repay = nil
		if err != nil {
			k.repay = func(context.Context, string, supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
				return nil, err
			}
		}
	})
}

// TestTheCoresRefusalsOfARepayment: the core refuses the quote as expired or
// stale (its clock and bills are the ones that count): nothing is charged,
// the customer gets a new quote with a word why, and it pays once.
func TestTheCoresRefusalsOfARepayment(t *testing.T) {
	for _, tc := range []struct {
		code supportbot.CoreCode
		note string
	}{
		{supportbot.CoreQuoteExpired, "报价已经失效（以还款系统的判断为准），没有扣款"}, // not "15 minutes" a moment after its quote (a fault probe)
		{supportbot.CoreQuoteStale, "账单在报价后有变化，没有扣款"},
		{supportbot.CoreAmountMismatch, "账单在报价后有变化，没有扣款"},
	} {
		t.Run(string(tc.code), func(t *testing.T) {
			h := newHarness(t, payFixture())
			c := h.chat(500, "zh")
			c.identify(phoneZhao)
			c.send("/pay")
			first := c.button("确认还款").Data
			refuseRepay(h, tc.code)
			c.press("确认还款")
			c.expect(tc.note, "合计应付：<b>¥303.00</b>", "确认还款")
			c.reject("还款成功")
			if n := len(h.repayments("C5")); n != 0 {
				t.Fatalf("the ledger has %d repayments after a refusal", n)
			}
			if e := h.audit("payment_refused"); len(e) != 1 || e[0].Details["code"] != string(tc.code) {
				t.Errorf("payment_refused audit = %+v", e)
			}
			if second := c.button("确认还款").Data; second == first {
				t.Error("the new quote has the refused one's confirm button")
			}
			failRepay(h, nil)
			c.pressData(first) // the refused quote's button: nothing
			c.reject("还款成功")
			c.send("/pay")
			c.press("确认还款")
			c.expect("还款成功")
			h.paid("C5")
		})
	}
}

// TestAStaleQuoteAfterAnEarlierPaymentIsQuotedAgain: a bill paid, and
// minutes later a payoff quoted and confirmed that the core refuses as
// stale for a reason of its own: the earlier payment is not why (it was
// settled before the quote), so the customer gets a new quote — not "the
// other payment counted".
func TestAStaleQuoteAfterAnEarlierPaymentIsQuotedAgain(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	c.press("确认还款")
	c.expect("还款成功")
	h.advance(5 * time.Minute)
	c.send("/repay")
	c.expect("提前结清报价")
	refuseRepay(h, supportbot.CoreQuoteStale)
	c.press("确认还款")
	c.expect("账单在报价后有变化，没有扣款", "已重新报价")
	c.reject("在它之前确认的")
}

// TestAPlansOldButtonQuotesThatPlanOrNone: a paid-off plan's old 💰 提前还款
// quoted the customer's other plan, one tap from paying it; another
// customer's, pressed after /logout and identifying as someone else, quoted
// theirs (a probe). A plan's button is that plan, or it says why not.
func TestAPlansOldButtonQuotesThatPlanOrNone(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(510, "zh")
	c.identify(phoneZhang)
	c.send("/bill")
	laptop := c.button("2. 💰 提前还款").Data
	c.pressData(laptop)
	c.expect("提前结清报价", "Xiaomi Book")
	c.send("确认")
	c.expect("提前还款成功")
	c.pressData(laptop) // its last period still being debited: nothing to pay on it
	c.expect("「Xiaomi Book」")
	c.reject("提前结清报价", "Redmi K70")

	c.send("/logout")
	c.share(phoneWang, 510)
	c.pressData(laptop) // 张伟's, pressed as 王芳
	c.reject("提前结清报价", "Xiaomi Book", "Redmi K70")
	if n := len(h.repayments("C3")); n != 0 {
		t.Errorf("王芳 paid %d times", n)
	}
}

// TestACardFrozenBeforeTheChargeIsNotCharged: the bank froze the card
// between the confirm and the charge; the core refuses it, nothing is
// charged, and the new quote is on a card that works.
func TestACardFrozenBeforeTheChargeIsNotCharged(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	c.expect("扣款卡：农业银行 **** 5555")
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			data := payFixture()[4]
			data.Cards[0].Frozen = true // K5, the default
			if _, err := h.db.Import(ctx, []supportbot.CustomerData{data}); err != nil {
				return nil, err
			}
			return k.Core.Repay(ctx, key, r)
		}
	})
	c.press("确认还款")
	c.expect("所选银行卡已被冻结，没有扣款", "扣款卡：招商银行 **** 6666", "已冻结的 1 张卡无法扣款")
	c.reject("还款成功", "扣款卡：农业银行")
	if n := len(h.repayments("C5")); n != 0 {
		t.Fatalf("the ledger has %d repayments after the card froze", n)
	}
	if e := h.audit("payment_refused"); len(e) != 1 || e[0].Details["code"] != "card_frozen" {
		t.Errorf("payment_refused audit = %+v", e)
	}
	failRepay(h, nil)
	c.press("确认还款")
	c.expect("还款成功", "招商银行 **** 6666")
	if r := h.paid("C5"); r.CardID != "K6" {
		t.Errorf("paid with %s, want K6", r.CardID)
	}
}

// TestTheCoreRefusesACancellationWithItsReason: the scheduled repayment
// reached the bank between the confirm and the cancellation: the customer
// is told why it was not cancelled.
func TestTheCoreRefusesACancellationWithItsReason(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	h.hooks.set(func(k *hooks) {
		k.cancel = func(context.Context, string, string, string) (*supportbot.ScheduledRepayment, error) {
			return nil, &supportbot.CoreError{Status: 409, Code: supportbot.CoreNotCancellable, Reason: supportbot.NotCancellableProcessing}
		}
	})
	c.press("取消这笔预约还款")
	c.expect("⏳ 正在取消这笔预约还款", "正在处理中，银行已在扣款，无法取消", "转人工")
	c.reject("已取消预约还款")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S1 = %s, want scheduled", got)
	}
	if e := h.audit("cancel_scheduled_refused"); len(e) != 1 || e[0].Details["reason"] != "processing" {
		t.Errorf("cancel_scheduled_refused audit = %+v", e)
	}
	if n := len(h.audit("cancel_scheduled")); n != 0 {
		t.Errorf("cancel_scheduled entries = %d, want 0", n)
	}
}

// TestTheCoreRefusesAClosure: the core sees what the bot did not (a refund
// that started, a request opened in the app): the customer is told that,
// not a reference.
func TestTheCoreRefusesAClosure(t *testing.T) {
	t.Run("not eligible", func(t *testing.T) {
		h := newHarness(t, fixture())
		c := h.chat(300, "en")
		c.identify(phoneBob)
		c.startClosure()
		h.hooks.set(func(k *hooks) {
			k.closure = func(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error) {
				bob := fixture()[1]
				bob.Customer.PendingRefunds = 1 // a return started meanwhile
				if _, err := h.db.Import(ctx, []supportbot.CustomerData{bob}); err != nil {
					return nil, err
				}
				return k.Core.RequestClosure(ctx, key, customerID)
			}
		})
		c.send("4321")
		c.expect("can't be closed yet", "Refunds in progress: 1 not finished yet")
		c.reject("Closure request submitted", "CR-")
		if n := len(h.audit("closure_request")); n != 0 {
			t.Errorf("closure_request entries = %d, want 0", n)
		}
	})
	t.Run("not eligible, for a reason the bot cannot see", func(t *testing.T) {
		h := newHarness(t, fixture())
		c := h.chat(300, "en")
		c.identify(phoneBob)
		c.startClosure()
		h.hooks.set(func(k *hooks) {
			k.closure = func(context.Context, string, string) (*supportbot.ClosureRequest, error) {
				return nil, &supportbot.CoreError{Status: 409, Code: supportbot.CoreNotEligible,
					Reasons: []supportbot.NotEligibleReason{supportbot.NotEligibleScheduled}}
			}
		})
		c.send("4321")
		c.expect("can't be closed yet", "❌ A scheduled repayment is still to run or being debited", "[👤 Talk to a person]")
		c.reject("Closure request submitted", "CR-")
		// Refused, as a payment or a cancellation is: audited with the core's words.
		if e := h.audit("closure_refused"); len(e) != 1 || e[0].Details["code"] != "not_eligible" || e[0].Details["reasons"] != "scheduled" {
			t.Errorf("closure_refused audited %+v, want once with not_eligible: scheduled", e)
		}
	})
	t.Run("already open", func(t *testing.T) {
		h := newHarness(t, fixture())
		c := h.chat(300, "en")
		c.identify(phoneBob)
		c.startClosure()
		var ref string
		h.hooks.set(func(k *hooks) {
			k.closure = func(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error) {
				r, err := k.Core.RequestClosure(ctx, "app-closure", customerID) // asked in the app meanwhile
				if err != nil {
					return nil, err
				}
				ref = r.Reference
				return k.Core.RequestClosure(ctx, key, customerID)
			}
		})
		c.send("4321")
		c.expect("You already have a closure request in progress", ref, "Status: in progress")
		c.reject("Closure request submitted")
		if n := len(h.audit("closure_request")); n != 0 {
			t.Errorf("closure_request entries = %d, want 0 (it was not the bot's)", n)
		}
		if e := h.audit("closure_refused"); len(e) != 1 || e[0].Details["code"] != "already_open" || e[0].Details["reference"] != ref {
			t.Errorf("closure_refused audited %+v, want once with already_open %s", e, ref)
		}
	})
}

// TestAQuoteThatDoesNotAddUpIsNeverShownOrCharged (issue 15.2): money has
// bounds; a quote whose parts do not add up to its amount, that is not
// positive, or that prices another plan is never shown, let alone charged.
func TestAQuoteThatDoesNotAddUpIsNeverShownOrCharged(t *testing.T) {
	for _, tc := range []struct {
		name string
		bend func(q *supportbot.Quote)
	}{
		{"parts do not add up", func(q *supportbot.Quote) { q.Amount++ }},
		{"negative", func(q *supportbot.Quote) {
			q.Amount, q.Parts = -9223372036854775, supportbot.QuoteParts{Principal: -9223372036854775}
		}},
		{"zero", func(q *supportbot.Quote) { q.Amount, q.Parts = 0, supportbot.QuoteParts{} }},
		{"overflowing parts", func(q *supportbot.Quote) {
			q.Parts.Fees = 9223372036854775807
			q.Amount = q.Parts.Principal + q.Parts.Fees // wraps
		}},
		{"another plan", func(q *supportbot.Quote) { q.PlanID = "P1" }},
		{"no expiry", func(q *supportbot.Quote) { q.ExpiresAt = time.Time{} }},
		{"expired on arrival", func(q *supportbot.Quote) { q.ExpiresAt = q.ExpiresAt.Add(-16 * time.Minute) }},
		{"expiring within a minute", func(q *supportbot.Quote) { q.ExpiresAt = q.ExpiresAt.Add(-14*time.Minute - 30*time.Second) }},
		{"valid for a year", func(q *supportbot.Quote) { q.ExpiresAt = q.ExpiresAt.AddDate(1, 0, 0) }}, // confirmed at prices long gone (a probe)
		{"principal not its periods'", func(q *supportbot.Quote) { q.Amount += 100; q.Parts.Principal += 100 }},
		{"a paid period", func(q *supportbot.Quote) { q.Periods = append(q.Periods, 1) }},
		// A payoff quote is held to the payoff rule (a probe: a quote of 2 of
		// 7 periods, and one with a tenfold prepayment fee, were shown).
		{"an unpaid period left out", func(q *supportbot.Quote) {
			q.Periods = q.Periods[:len(q.Periods)-1]
			q.Amount, q.Parts.Principal = q.Amount-10000, q.Parts.Principal-10000
		}},
		{"a period both paid and left out", func(q *supportbot.Quote) { q.Excluded = q.Periods[:1] }},
		{"a paid period said left out", func(q *supportbot.Quote) { q.Excluded = []int{1} }},
		{"a prepayment fee not the rule's", func(q *supportbot.Quote) { q.Amount += 4500; q.Parts.PrepayFee += 4500 }},
		{"fees the rule waives", func(q *supportbot.Quote) { q.Amount += 1500; q.Parts.Fees += 1500 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fixture())
			c := h.chat(100, "zh")
			c.identify(phoneWang)
			bendQuotes(h, tc.bend)
			c.send("/repay")
			c.expect("报价金额有误", "没有扣款") // said plainly, with a way on
			c.button("重新报价")
			c.button("转人工")
			c.reject("合计应付", "确认还款", "¥-")
			for _, b := range c.buttons {
				if strings.Contains(b.Text, "确认还款") {
					t.Errorf("a confirm button was shown: %q", b.Text)
				}
			}
			if n := len(h.actions()); n != 0 {
				t.Errorf("%d money actions started", n)
			}
			if n := len(h.repayments("C3")); n != 0 {
				t.Errorf("the ledger has %d repayments", n)
			}
			h.hooks.set(func(k *hooks) { k.quote = nil })
			c.press("重新报价")
			c.expect("合计应付：<b>¥200.00</b>") // the chat goes on
		})
	}
}

// TestAQuoteSaysHowLongItIsValid: a quote the core gave 3 minutes said
// "valid for 15 minutes" (a probe): the minutes are the quote's own.
func TestAQuoteSaysHowLongItIsValid(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	bendQuotes(h, func(q *supportbot.Quote) { q.ExpiresAt = q.ExpiresAt.Add(-12 * time.Minute) })
	c.send("/repay")
	c.expect("报价 3 分钟内有效")
	c.reject("15 分钟")
}

// TestAPayoffWithAFeeWaivedIsShown: the core waived the prepayment fee (a
// promotion): a quote under the payoff rule is the customer's gain, shown
// and paid as quoted — not refused as wrong.
func TestAPayoffWithAFeeWaivedIsShown(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	bendQuotes(h, func(q *supportbot.Quote) { q.Amount -= q.Parts.PrepayFee; q.Parts.PrepayFee = 0 })
	c.send("/repay")
	c.press("Xiaomi Book")
	c.expect("合计应付：<b>¥3,000.00</b>")
	c.reject("报价金额有误")
}

// TestAQuoteOfAnotherKindIsNeverShownOrCharged: the core takes "pay this
// bill" for "pay everything off", or the other way round, and answers a quote
// right in itself but of the other kind: it is never shown, let alone
// charged (found by an outside probe: "pay period 2, ¥303.00" charged
// periods 2 to 4).
func TestAQuoteOfAnotherKindIsNeverShownOrCharged(t *testing.T) {
	for _, tc := range []struct {
		name, phone, command, customer string
		other                          supportbot.QuoteKind
		again                          string
	}{
		{"a bill answered with a payoff", phoneZhao, "/pay", "C5", supportbot.QuotePayoff, "合计应付：<b>¥303.00</b>"},
		{"a payoff answered with a bill", phoneWang, "/repay", "C3", supportbot.QuoteBill, "合计应付：<b>¥200.00</b>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, payFixture())
			c := h.chat(100, "zh")
			c.identify(tc.phone)
			h.hooks.set(func(k *hooks) {
				k.quote = func(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
					r.Kind = tc.other
					return k.Core.Quote(ctx, key, r)
				}
			})
			c.send(tc.command)
			c.expect("报价金额有误", "没有扣款")
			c.reject("合计应付", "确认还款")
			if n := len(h.actions()); n != 0 {
				t.Errorf("%d money actions started", n)
			}
			h.hooks.set(func(k *hooks) { k.quote = nil })
			c.press("重新报价")
			c.expect(tc.again)
			if n := len(h.repayments(tc.customer)); n != 0 {
				t.Errorf("the ledger has %d repayments", n)
			}
		})
	}
}

// TestABillQuoteOfPeriodsNotDueIsNeverShown: a bill quote whose parts add
// up over periods not yet due (a probe's core answered "pay this bill" with
// periods 6–12: a payoff sold as a bill), or that leaves an overdue period
// out, is held to the bill rule — never shown, let alone charged.
func TestABillQuoteOfPeriodsNotDueIsNeverShown(t *testing.T) {
	for _, tc := range []struct {
		name, phone, customer string
		periods               []int
	}{
		{"the next period too", phoneZhao, "C5", []int{2, 3}}, // period 2 is due, 3 next month
		{"an overdue period left out", phoneQian, "C6", []int{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, payFixture())
			c := h.chat(100, "zh")
			c.identify(tc.phone)
			h.hooks.set(func(k *hooks) {
				k.quote = func(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
					r.Periods = tc.periods
					return k.Core.Quote(ctx, key, r)
				}
			})
			c.send("/pay")
			c.expect("报价金额有误", "没有扣款")
			c.reject("合计应付", "确认还款")
			h.hooks.set(func(k *hooks) { k.quote = nil })
			c.press("重新报价")
			c.expect("合计应付")
			if n := len(h.repayments(tc.customer)); n != 0 {
				t.Errorf("the ledger has %d repayments", n)
			}
		})
	}
}

// TestTheEventComesBeforeTheProcessingAnswer: the partner is fast — the
// core's repayment.succeeded reaches the bot before the worker has recorded
// the processing answer. The outcome stands; the late "processing" neither
// reopens the action nor is told after the success.
func TestTheEventComesBeforeTheProcessingAnswer(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			rep, err := k.Core.Repay(ctx, key, r)
			if err != nil {
				return nil, err
			}
			ev := supportbot.CoreEvent{ID: "evt_fast", Type: supportbot.EventRepaymentSucceeded, CreatedAt: h.clock(), Repayment: rep}
			if err := h.eng.CoreEvent(ctx, ev); err != nil {
				return nil, err
			}
			p := *rep
			p.Status, p.SettledAt = supportbot.RepaymentProcessing, time.Time{}
			return &p, nil
		}
	})
	c.press("确认还款")
	c.expect("提前还款成功")
	c.reject("资金方正在处理")
	key := h.actions()[0].Key
	if a := h.action(key); a.State != supportbot.ActionSucceeded {
		t.Errorf("action %s = %s, want succeeded", key, a.State)
	}
	h.advance(10 * time.Minute)
	h.drain()
	if c.inbox(); len(c.last) != 0 {
		t.Errorf("told more after the outcome: %s", c.text())
	}
	h.paid("C3")
}

// TestTheOutcomeIsKeptWhenTheCoreStopsAnsweringRightAfter: the core carried
// the action out and answered, then stopped answering reads: the outcome is
// still told, audited and kept in the message center — money that moved is
// never left unrecorded.
func TestTheOutcomeIsKeptWhenTheCoreStopsAnsweringRightAfter(t *testing.T) {
	for _, f := range moneyFlows {
		t.Run(f.name, func(t *testing.T) {
			h, c, ev := f.begin(t)
			down := func(k *hooks) { // called from a hook, unlocked: reads ahead of a step run beside it
				k.mu.Lock()
				defer k.mu.Unlock()
				k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
				k.scheduled = func(context.Context, string) ([]supportbot.ScheduledRepayment, error) { return nil, errDown }
				k.customer = func(context.Context, string) (*supportbot.Customer, error) { return nil, errDown }
			}
			// The core goes down the moment it has answered the action.
			h.hooks.set(func(k *hooks) {
				k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
					rep, err := k.Core.Repay(ctx, key, r)
					down(k)
					return rep, err
				}
				k.cancel = func(ctx context.Context, key, customer, id string) (*supportbot.ScheduledRepayment, error) {
					r, err := k.Core.CancelScheduled(ctx, key, customer, id)
					down(k)
					return r, err
				}
				k.closure = func(ctx context.Context, key, customer string) (*supportbot.ClosureRequest, error) {
					r, err := k.Core.RequestClosure(ctx, key, customer)
					down(k)
					return r, err
				}
			})
			c.event(ev)
			c.expect(f.working, f.done)
			if n := f.executed(h); n != 1 {
				t.Errorf("the core carried it out %d times, want once", n)
			}
			if n := len(h.audit(f.audit)); n != 1 {
				t.Errorf("%s audit entries = %d, want 1", f.audit, n)
			}
			notices, err := h.db.Notices(context.Background(), f.customer, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(notices) != 1 || notices[0].Kind != f.audit {
				t.Errorf("message center = %+v, want one %s", notices, f.audit)
			}
		})
	}
}

// TestEveryMoneyFlowWaitsOutACoreThatIsDown: the core stops answering as
// the action is sent, reads too: the customer is told once that it takes
// longer; when the core is back, the same action (the same key) is carried
// out once and told.
func TestEveryMoneyFlowWaitsOutACoreThatIsDown(t *testing.T) {
	for _, f := range moneyFlows {
		t.Run(f.name, func(t *testing.T) {
			h, c, ev := f.begin(t)
			var keys []string
			down := func(k *hooks) { // called from a hook, unlocked: reads ahead of a step run beside it
				k.mu.Lock()
				defer k.mu.Unlock()
				k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, errDown }
				k.scheduled = func(context.Context, string) ([]supportbot.ScheduledRepayment, error) { return nil, errDown }
				k.customer = func(context.Context, string) (*supportbot.Customer, error) { return nil, errDown }
				k.repayment = func(context.Context, string) (*supportbot.Repayment, error) { return nil, errDown }
				k.repay = func(_ context.Context, key string, _ supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
					keys = append(keys, key)
					return nil, errDown
				}
				k.cancel = func(_ context.Context, key, _, _ string) (*supportbot.ScheduledRepayment, error) {
					keys = append(keys, key)
					return nil, errDown
				}
				k.closure = func(_ context.Context, key, _ string) (*supportbot.ClosureRequest, error) {
					keys = append(keys, key)
					return nil, errDown
				}
			}
			h.hooks.set(func(k *hooks) {
				k.repay = func(context.Context, string, supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
					down(k)
					return nil, errDown
				}
				k.cancel = func(context.Context, string, string, string) (*supportbot.ScheduledRepayment, error) {
					down(k)
					return nil, errDown
				}
				k.closure = func(context.Context, string, string) (*supportbot.ClosureRequest, error) {
					down(k)
					return nil, errDown
				}
			})
			c.event(ev)
			c.expect(f.working, f.slow)
			c.reject(f.done)
			for range 3 {
				h.advance(time.Minute)
				h.drain()
			}
			if c.inbox(); len(c.last) != 0 {
				t.Errorf("told again while the core is down: %s", c.text())
			}
			if n := f.executed(h); n != 0 {
				t.Fatalf("carried out %d times while the core was down", n)
			}
			h.hooks.set(func(k *hooks) {
				k.plans, k.scheduled, k.customer, k.repayment, k.repay, k.cancel, k.closure = nil, nil, nil, nil, nil, nil, nil
			})
			h.advance(time.Minute)
			h.drain()
			c.inbox()
			if n := strings.Count(c.text(), f.done); n != 1 {
				t.Errorf("told the outcome %d times, want once:\n%s", n, c.text())
			}
			if n := f.executed(h); n != 1 {
				t.Errorf("carried out %d times, want once", n)
			}
			acts := h.actions()
			if len(acts) != 1 || acts[0].State != supportbot.ActionSucceeded {
				t.Fatalf("actions = %+v, want one succeeded", acts)
			}
			for _, k := range keys {
				if k != acts[0].Key {
					t.Errorf("tried with key %q, want only the action's %q", k, acts[0].Key)
				}
			}
		})
	}
}

// TestARepaymentConfirmedMeanwhileElsewhereStopsTheSecond: the plan was
// read as free before the step's transaction, and a repayment of it was
// committed in between (the customer's other chat, another instance). The
// step sees it in its transaction, fails and is tried again, and then says
// the plan has a repayment under way: one repayment, not two.
func TestARepaymentConfirmedMeanwhileElsewhereStopsTheSecond(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/repay")
	c.send("K70那个")
	c.expect("提前结清报价")
	other := &supportbot.Action{Key: "repay:elsewhere", ChatID: 999, CustomerID: "C1", Kind: supportbot.ActionRepay, PlanID: "P1",
		Product: "Redmi K70", Repay: &supportbot.RepaymentRequest{QuoteID: "Q-elsewhere", CardID: "K1", Amount: 100}}
	h.mu.Lock()
	h.afterRepaymentsRead = func() {
		err := h.db.Update(context.Background(), func(tx *store.Tx) error {
			// Claimed by another instance: under way there.
			return tx.CreateAction(context.Background(), other, "elsewhere", h.clock().Add(time.Hour))
		})
		if err != nil {
			t.Errorf("commit the other repayment: %v", err)
		}
	}
	h.mu.Unlock()
	c.send("确认")
	c.reject("正在处理你的还款", "还款成功")
	h.advance(5 * time.Second)
	h.drain()
	c.inbox()
	c.expect("有一笔 <b>¥1.00</b> 的还款", "还在处理中")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments reached the core, want none (the other is under way elsewhere)", n)
	}
	if a, err := h.db.CustomerRepayments(context.Background(), "C1", time.Time{}); err != nil || len(a) != 1 {
		t.Errorf("repayments recorded: %v, %v; want the other one only", a, err)
	}
}

// TestStepKeysDifferAcrossDatabases: the core keeps a key's first answer
// for 24 hours and answers the key with another request 422. A step's key
// must not be only its inbox id, which a fresh (or restored) database hands
// out again: the second bot's quote would be refused as a reused key, or
// answered with the first bot's quote.
func TestStepKeysDifferAcrossDatabases(t *testing.T) {
	quoteKey := func() string {
		h := newHarness(t, fixture())
		var keys []string
		h.hooks.set(func(k *hooks) {
			k.quote = func(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
				keys = append(keys, key)
				return k.Core.Quote(ctx, key, r)
			}
		})
		c := h.chat(100, "zh")
		c.identify(phoneWang)
		c.send("/repay")
		c.expect("确认还款")
		if len(keys) != 1 {
			t.Fatalf("quote keys %q, want one", keys)
		}
		return keys[0]
	}
	if a, b := quoteKey(), quoteKey(); a == b {
		t.Errorf("two bots on fresh databases quoted with the same key %q", a)
	}
}

// TestARateLimitedPaymentWaitsTheRetryAfter: the core answered the
// repayment 429 with a Retry-After longer than the client could wait: the
// action is tried again with the same key, but not before the core asked
// (CORE_API.md: 429, Retry-After seconds) — sooner is only refused again.
func TestARateLimitedPaymentWaitsTheRetryAfter(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	limited := fmt.Errorf("core createRepayment: %w: HTTP 429 rate_limited (Retry-After 120)%w",
		supportbot.ErrCoreUnavailable, &supportbot.CoreRetryAfter{After: 2 * time.Minute})
	tries := 0
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			tries++
			return nil, limited
		}
		k.repayment = func(ctx context.Context, key string) (*supportbot.Repayment, error) {
			tries++
			return nil, limited
		}
	})
	c.press("确认还款")
	c.expect("比平时慢一些")
	acts := h.actions()
	if len(acts) != 1 || acts[0].State != supportbot.ActionUnknown {
		t.Fatalf("actions = %+v, want one unknown", acts)
	}
	if due := acts[0].NextAt.Sub(h.clock()); due < 2*time.Minute {
		t.Errorf("tried again in %s, want not before the core's Retry-After (2m0s)", due)
	}
	for range 10 {
		h.advance(10 * time.Second)
		h.drain()
	}
	if tries > 1 {
		t.Errorf("%d tries within the core's Retry-After, want 1", tries)
	}
}

// TestAPaymentsOutcomeIsToldWhenTheDatabaseIsBack: the database went away
// while the core charged the quote, and the outcome's record failed; the
// customer saw "⏳" until the action's lease ran out a minute later and the
// core was asked again (a probe on PostgreSQL). The known outcome is
// recorded again as soon as the database takes it, and told once.
func TestAPaymentsOutcomeIsToldWhenTheDatabaseIsBack(t *testing.T) {
	h, c := session(t, fixture(), phoneWang, "/repay")
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			rep, err := k.Core.Repay(ctx, key, r)
			h.failWrites.Store(2) // gone as the answer comes back
			return rep, err
		}
	})
	c.press("确认还款")
	c.expect("提前还款成功")
	if got := succeeded(h.repayments("C3")); len(got) != 1 {
		t.Fatalf("%d repayments succeeded, want 1", len(got))
	}
	h.advance(2 * time.Minute) // past the lease: nothing told again
	h.drain()
	c.inbox()
	c.reject("提前还款成功")
}

// TestABookingBeingCancelledIsNotAskedAgain: with the core not answering a
// cancellation, the booking could be picked and confirmed again — a second
// key sent, and "cancelled" then "already cancelled" told (a money probe).
// A booking whose cancellation waits for the core says so, from any chat.
func TestABookingBeingCancelledIsNotAskedAgain(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	h.hooks.set(func(k *hooks) {
		k.cancel = func(context.Context, string, string, string) (*supportbot.ScheduledRepayment, error) {
			return nil, supportbot.ErrCoreUnavailable
		}
	})
	c.press("取消这笔预约还款")
	c.expect("⏳ 正在取消这笔预约还款")
	other := h.chat(101, "zh") // another chat of the same customer
	other.identify(phoneZhang)
	for _, x := range []*chat{c, other} {
		x.send("/cancel_schedule")
		x.press("Redmi K70 第 7 期")
		x.expect("正在取消中")
		x.reject("要取消这笔预约还款吗")
	}
}
