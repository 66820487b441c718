package flows_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
	"supportbot/store"
)

// The core's answers are checked before a customer is told them: an answer
// about another repayment, booking or customer, or a refusal the contract
// does not give, is never told as the outcome (found by an outside probe of
// the HTTP core). The core is the run's, behind hooks that bend its answers.

// otherAmount is r with twice its amount: a repayment that is not the one
// asked for.
func otherAmount(r *supportbot.Repayment, err error) (*supportbot.Repayment, error) {
	if r == nil {
		return r, err
	}
	x := *r
	x.Amount *= 2
	return &x, err
}

// answerOtherAmounts makes the core answer every charge, and every lookup
// of one by its key, with twice the amount charged.
func answerOtherAmounts(h *harness) {
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			return otherAmount(k.Core.Repay(ctx, key, r))
		}
		k.repayment = func(ctx context.Context, key string) (*supportbot.Repayment, error) {
			return otherAmount(k.Core.Repayment(ctx, key))
		}
	})
}

// TestARepaymentOfAnotherAmountIsNeverToldAsPaid: the core charges the quote
// but answers the charge, and then the lookup by key, with twice the amount.
// The customer is told it takes longer, never "paid ¥X" with a wrong X; once
// the core answers right, the outcome is told once, with the amount charged.
func TestARepaymentOfAnotherAmountIsNeverToldAsPaid(t *testing.T) {
	h, c := session(t, fixture(), phoneWang, "/repay")
	answerOtherAmounts(h)
	c.press("确认还款")
	c.expect("比平时慢一些")
	for range 4 {
		h.advance(11 * time.Minute) // past the longest backoff
		h.drain()
	}
	c.inbox()
	c.reject("提前还款成功")
	a := h.actions()[0]
	if got := h.action(a.Key).State; got != supportbot.ActionUnknown {
		t.Errorf("the action is %s, want unknown while the core answers another amount", got)
	}
	h.hooks.set(func(k *hooks) { k.repay, k.repayment = nil, nil })
	h.advance(11 * time.Minute)
	h.drain()
	c.inbox()
	c.expect("提前还款成功", a.Repay.Amount.String())
	if e := h.audit("early_repayment"); len(e) != 1 || e[0].Details["amount_fen"] != float64(a.Repay.Amount) {
		t.Errorf("early_repayment audit = %+v, want one of %d fen", e, int64(a.Repay.Amount))
	}
}

// TestARepaymentOnAnotherCardIsNeverToldAsPaid: the customer confirms with
// 农业银行 5555; the core answers the charge, and the lookup by key, made
// on their other card. The customer is not told "paid with 农业银行 5555"
// (found by an outside probe); once the core answers right, they are.
func TestARepaymentOnAnotherCardIsNeverToldAsPaid(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(500, "zh")
	c.identify(phoneZhao)
	c.send("/pay")
	otherCard := func(r *supportbot.Repayment, err error) (*supportbot.Repayment, error) {
		if r != nil {
			x := *r
			x.CardID = "K6"
			r = &x
		}
		return r, err
	}
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			return otherCard(k.Core.Repay(ctx, key, r))
		}
		k.repayment = func(ctx context.Context, key string) (*supportbot.Repayment, error) {
			return otherCard(k.Core.Repayment(ctx, key))
		}
	})
	c.press("确认还款")
	c.expect("比平时慢一些")
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.reject("还款成功")
	a := h.actions()[0]
	if got := h.action(a.Key).State; got != supportbot.ActionUnknown {
		t.Errorf("the action is %s, want unknown while the core answers another card", got)
	}
	if e := h.audit("repay_bill"); len(e) != 0 {
		t.Errorf("repay_bill audited %+v on an answer of another card", e)
	}
	h.hooks.set(func(k *hooks) { k.repay, k.repayment = nil, nil })
	h.advance(11 * time.Minute)
	h.drain()
	c.inbox()
	c.expect("还款成功", "农业银行 **** 5555")
}

// TestARepaymentEventOfAnotherAmountSettlesNothing: the partner answers
// later; an event with the action's key but another amount is not told, the
// event that matches is.
func TestARepaymentEventOfAnotherAmountSettlesNothing(t *testing.T) {
	h, c := session(t, fixture(), phoneWang, "/repay")
	var asked supportbot.Repayment
	h.hooks.set(func(k *hooks) {
		k.repay = func(_ context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			asked = supportbot.Repayment{ID: "RP-LATER", Key: key, QuoteID: r.QuoteID, CustomerID: "C3", PlanID: "P4",
				CardID: r.CardID, Amount: r.Amount, Status: supportbot.RepaymentProcessing}
			x := asked
			return &x, nil
		}
	})
	c.press("确认还款")
	c.expect("资金方正在处理")
	event := func(id string, r supportbot.Repayment) {
		t.Helper()
		r.Status = supportbot.RepaymentSucceeded
		if err := h.eng.CoreEvent(context.Background(), supportbot.CoreEvent{ID: id, Type: supportbot.EventRepaymentSucceeded, Repayment: &r}); err != nil {
			t.Fatal(err)
		}
		h.drain()
		c.inbox()
	}
	wrong := asked
	wrong.Amount = 999999
	event("evt_wrong", wrong)
	c.reject("提前还款成功")
	if got := h.action(asked.Key).State; got != supportbot.ActionProcessing {
		t.Errorf("after an event of another amount the action is %s, want processing", got)
	}
	event("evt_right", asked)
	c.expect("提前还款成功", asked.Amount.String())
}

// TestAReusedKeyIsAskedAboutNotToldAsRefused: the core carried the repayment
// out, and the answer the bot got was "idempotency key reused" (a 422, final
// for that request): that proves something ran under the key, not that
// nothing did. The bot asks the key and tells the payment, not "nothing was
// taken".
func TestAReusedKeyIsAskedAboutNotToldAsRefused(t *testing.T) {
	h, c := session(t, fixture(), phoneWang, "/repay")
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			if _, err := k.Core.Repay(ctx, key, r); err != nil {
				return nil, err
			}
			return nil, &supportbot.CoreError{Status: 422, Code: supportbot.CoreKeyReused, Message: "key reused"}
		}
	})
	c.press("确认还款")
	c.expect("比平时慢一些")
	c.reject("没有扣款")
	failRepay(h, nil)
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.expect("提前还款成功")
	if n := len(h.repayments("C3")); n != 1 {
		t.Errorf("the ledger has %d repayments, want 1", n)
	}
}

// TestARefusalOutsideTheContractIsNotAChangedBill: a 401 (the bot's token)
// or a proxy's 404 page on a repayment proves nothing was refused for the
// customer's reasons: no "your bill changed", the outcome is asked again.
func TestARefusalOutsideTheContractIsNotAChangedBill(t *testing.T) {
	for _, ce := range []*supportbot.CoreError{
		{Status: 401, Code: "unauthorized", Message: "bad token"},
		{Status: 404, Code: "http_404", Message: "Not Found"},
		{Status: 409, Code: "something_new", Message: "a code the contract does not have"},
	} {
		t.Run(string(ce.Code), func(t *testing.T) {
			h, c := session(t, fixture(), phoneWang, "/repay")
			failRepay(h, ce)
			c.press("确认还款")
			c.expect("比平时慢一些")
			c.reject("账单在报价后有变化", "没有扣款")
			failRepay(h, nil)
			h.advance(time.Minute)
			h.drain()
			c.inbox()
			c.expect("提前还款成功")
		})
	}
}

// TestALookupAnsweringAnotherCustomerLinksNobody: the core answers the
// lookup of 王芳's number with 张伟's record: the chat is not linked, and
// nothing of 张伟's is shown.
func TestALookupAnsweringAnotherCustomerLinksNobody(t *testing.T) {
	h := newHarness(t, fixture())
	h.hooks.set(func(k *hooks) {
		k.byPhone = func(ctx context.Context, _ string) (*supportbot.Customer, error) {
			return k.Core.CustomerByPhone(ctx, onFile(phoneZhang))
		}
	})
	c := h.chat(200, "zh")
	c.send("/bill")
	c.share(phoneWang, 200)
	c.expect("分期系统暂时没有响应")
	c.reject("张伟", "Redmi", "验证成功")
	h.hooks.set(func(k *hooks) { k.byPhone = nil })
	c.send("/bill")
	c.expect("分享我的手机号") // still not linked
}

// TestACancellationAnsweredNotCancelledIsNotToldDone: the core answers the
// cancellation 200 but with the booking still scheduled (or another
// booking): the customer is not promised "no debit".
func TestACancellationAnsweredNotCancelledIsNotToldDone(t *testing.T) {
	for _, tc := range []struct {
		name string
		bend func(r *supportbot.ScheduledRepayment)
	}{
		{"still scheduled", func(r *supportbot.ScheduledRepayment) { r.Status = supportbot.ScheduledScheduled }},
		{"another booking", func(r *supportbot.ScheduledRepayment) { r.ID = "S3" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fixture())
			c := h.chat(100, "zh")
			c.identify(phoneZhang)
			h.hooks.set(func(k *hooks) {
				k.cancel = func(_ context.Context, _, _, id string) (*supportbot.ScheduledRepayment, error) {
					r := &supportbot.ScheduledRepayment{ID: id, CustomerID: "C1", PlanID: "P1", Period: 7, Amount: 24992, CardID: "K1",
						RunAt: time.Date(2026, 12, 14, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledCancelled}
					tc.bend(r)
					return r, nil
				}
			})
			c.send("/cancel_schedule")
			c.press("Redmi K70 第 7 期")
			c.press("取消这笔预约还款")
			c.reject("已取消预约还款", "不会扣款")
			if e := h.audit("cancel_scheduled"); len(e) != 0 {
				t.Errorf("cancel_scheduled audited %+v on an answer that is not a cancellation", e)
			}
		})
	}
}

// TestACancellationRefusedWithoutAReasonIsToldSo: the core refuses a
// cancellation with no reason, a reason the contract does not name, or as a
// booking it no longer has. The customer was told "runs within 2 hours" (it
// runs in three weeks) or "this button has expired" (it had just been
// pressed); now what the core said, that nothing changed, a person one tap
// away, and the refusal audited with the core's code.
func TestACancellationRefusedWithoutAReasonIsToldSo(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *supportbot.CoreError
		want string
	}{
		{"no reason", &supportbot.CoreError{Status: 409, Code: supportbot.CoreNotCancellable}, "系统没有接受这次取消"},
		{"another reason", &supportbot.CoreError{Status: 409, Code: supportbot.CoreNotCancellable, Reason: "frozen_by_risk"}, "系统没有接受这次取消"},
		{"invalid request", &supportbot.CoreError{Status: 400, Code: supportbot.CoreInvalidRequest}, "系统没有接受这次取消"},
		{"not found", &supportbot.CoreError{Status: 404, Code: supportbot.CoreScheduledNotFound}, "已经找不到这笔预约还款"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fixture())
			c := h.chat(100, "zh")
			c.identify(phoneZhang)
			h.hooks.set(func(k *hooks) {
				k.cancel = func(context.Context, string, string, string) (*supportbot.ScheduledRepayment, error) {
					return nil, tc.err
				}
			})
			c.send("/cancel_schedule")
			c.press("Redmi K70 第 7 期")
			c.press("取消这笔预约还款")
			c.expect(tc.want)
			c.button("转人工")
			c.reject("2 小时内", "按钮已过期", "已取消预约还款")
			if e := h.audit("cancel_scheduled_refused"); len(e) != 1 || e[0].Details["code"] != string(tc.err.Code) {
				t.Errorf("cancel_scheduled_refused audited %+v, want once with code %s", e, tc.err.Code)
			}
		})
	}
}

// TestAClosureRequestAnsweredNotSubmittedIsNotToldSubmitted: the core
// answers the closure request 201 but not as the contract's submitted
// request: rejected, without the expected dates, or with them reversed.
// The customer is not told "submitted" (nor "between  and "): the outcome
// is unknown and asked again by key; once the core answers right, it is
// told once (found by an outside probe).
func TestAClosureRequestAnsweredNotSubmittedIsNotToldSubmitted(t *testing.T) {
	f := moneyFlows[slices.IndexFunc(moneyFlows, func(f moneyFlow) bool { return f.kind == supportbot.ActionClosure })]
	for _, tc := range []struct {
		name string
		bend func(r *supportbot.ClosureRequest)
	}{
		{"rejected", func(r *supportbot.ClosureRequest) { r.Status, r.Reason = supportbot.ClosureRejected, "风控拒绝" }},
		{"no dates", func(r *supportbot.ClosureRequest) { r.ExpectedFrom, r.ExpectedTo = "", "" }},
		{"dates reversed", func(r *supportbot.ClosureRequest) { r.ExpectedFrom, r.ExpectedTo = r.ExpectedTo, r.ExpectedFrom }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, c, ev := f.begin(t)
			h.hooks.set(func(k *hooks) {
				k.closure = func(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error) {
					r, err := k.Core.RequestClosure(ctx, key, customerID)
					if r != nil {
						x := *r
						tc.bend(&x)
						r = &x
					}
					return r, err
				}
			})
			c.event(ev)
			c.expect(f.slow)
			c.reject(f.done, "between  and ")
			a := h.actions()[0]
			if got := h.action(a.Key).State; got != supportbot.ActionUnknown {
				t.Errorf("the action is %s, want unknown", got)
			}
			if e := h.audit(f.audit); len(e) != 0 {
				t.Errorf("%s audited %+v", f.audit, e)
			}
			h.hooks.set(func(k *hooks) { k.closure = nil })
			h.advance(time.Minute)
			h.drain()
			c.inbox()
			if n := strings.Count(c.text(), f.done); n != 1 {
				t.Errorf("told %q %d times, want once:\n%s", f.done, n, c.text())
			}
		})
	}
}

// TestASecondTapIsNotLeftSayingUnderWay: the customer taps confirm again
// while the payment is under way and is told so in a new message, the last
// in the chat. The outcome takes the place of the quote, as always, and that
// last message no longer says "under way" but where the outcome is.
func TestASecondTapIsNotLeftSayingUnderWay(t *testing.T) {
	h, c := session(t, fixture(), phoneWang, "/repay")
	confirm := c.button("确认还款").Data
	failRepay(h, errDown)
	c.pressData(confirm)
	c.expect("比平时慢一些")
	c.pressData(confirm) // the second tap
	c.expect("正在处理中，不会重复扣款")
	failRepay(h, nil)
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.expect("提前还款成功", "这笔还款已有结果，见上方消息")
	screen := c.text()
	for _, r := range c.last {
		switch {
		case strings.Contains(r.Text, "提前还款成功") && r.Edit == 0 && r.EditStep == "":
			t.Errorf("the outcome came as a new message, not in the quote's place:\n%s", screen)
		case strings.Contains(r.Text, "见上方") && r.Track == "":
			t.Errorf("'see above' came as a new message, not in place of 'under way':\n%s", screen)
		}
	}
}

// TestAnOutcomeIsToldWhenTheReadAfterItIsRefused: the repayment goes
// through; the plans read that only adds to the outcome message is refused
// once (a proxy's 404 page during a deploy). The outcome is still told, and
// audited, once — not dropped with the step.
func TestAnOutcomeIsToldWhenTheReadAfterItIsRefused(t *testing.T) {
	h, c := session(t, fixture(), phoneWang, "/repay")
	refused := &supportbot.CoreError{Status: 404, Code: "http_404", Message: "Not Found"}
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			rep, err := k.Core.Repay(ctx, key, r)
			k.set(func(k *hooks) {
				k.plans = func(context.Context, string) ([]supportbot.Plan, error) { return nil, refused }
			})
			return rep, err
		}
	})
	c.press("确认还款")
	h.drain()
	c.inbox()
	if shown := strings.Join(c.seen, "\n"); !strings.Contains(shown, "提前还款成功") {
		t.Errorf("the outcome was never shown:\n%s", shown)
	}
	if n := len(h.audit("early_repayment")); n != 1 {
		t.Errorf("early_repayment audit entries = %d, want 1", n)
	}
}

// TestALostRefusalIsFoundByTheKey: the core refused the repayment (the quote
// had expired) but the answer was lost; asked by its key, the core replays
// the refusal. Nothing was taken: the customer is told so and gets a new
// quote, instead of "it takes longer" for ever.
func TestALostRefusalIsFoundByTheKey(t *testing.T) {
	h, c := session(t, fixture(), phoneWang, "/repay")
	expired := &supportbot.CoreError{Status: 409, Code: supportbot.CoreQuoteExpired, Message: "quote expired"}
	failRepay(h, errDown) // the answer was lost
	h.hooks.set(func(k *hooks) {
		k.repayment = func(context.Context, string) (*supportbot.Repayment, error) { return nil, expired }
	})
	c.press("确认还款")
	c.expect("比平时慢一些")
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.expect("报价已经失效（以还款系统的判断为准），没有扣款", "确认还款")
	if n := len(h.repayments("C3")); n != 0 {
		t.Errorf("the ledger has %d repayments, want none", n)
	}
	if a := h.actions()[0]; h.action(a.Key).State != supportbot.ActionRefused {
		t.Errorf("the action is %s, want refused", h.action(a.Key).State)
	}
}

// TestALookupRefusedForItsOwnSakeIsNotARefusedPayment: the core charged the
// quote, the answer was lost, and the lookup by key is refused with a code
// about the lookup itself (a malformed path, a key it does not take), not
// one a charge is refused with. That proves nothing was refused: the charge
// is sent again with its key, the core answers it with the repayment made,
// and the customer is told it was paid (found by an outside probe: it was
// told "nothing was taken").
func TestALookupRefusedForItsOwnSakeIsNotARefusedPayment(t *testing.T) {
	for _, code := range []supportbot.CoreCode{supportbot.CoreInvalidRequest, "idempotency_key_invalid", "idempotency_key_missing"} {
		t.Run(string(code), func(t *testing.T) {
			h, c := session(t, fixture(), phoneWang, "/repay")
			h.hooks.set(func(k *hooks) {
				k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
					if _, err := k.Core.Repay(ctx, key, r); err != nil {
						return nil, err
					}
					k.set(func(k *hooks) { k.repay = nil })
					return nil, errDown // executed, the answer lost
				}
				k.repayment = func(context.Context, string) (*supportbot.Repayment, error) {
					return nil, &supportbot.CoreError{Status: 400, Code: code, Message: "bad key"}
				}
			})
			c.press("确认还款")
			c.expect("比平时慢一些")
			h.advance(time.Minute)
			h.drain()
			c.inbox()
			c.expect("提前还款成功")
			c.reject("没有扣款")
			r := h.paid("C3")
			if a := h.action(r.Key); a.State != supportbot.ActionSucceeded {
				t.Errorf("the action is %s, want succeeded", a.State)
			}
			if e := h.audit("payment_refused"); len(e) != 0 {
				t.Errorf("payment_refused audited %+v for a payment the core made", e)
			}
		})
	}
}

// TestAnActionTheCoreKeepsAnsweringWrongGoesToAPerson: a core that answers
// a charge with another amount again and again leaves the outcome unknown;
// after a few tries a person is asked to look: the customer is told so (and
// not to pay again) once, and the staff chat gets a ticket whose topic names
// the key to look up. Once the core answers right, the outcome is told.
func TestAnActionTheCoreKeepsAnsweringWrongGoesToAPerson(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	answerOtherAmounts(h)
	c.press("确认还款")
	c.expect("比平时慢一些")
	for range 6 {
		h.advance(11 * time.Minute)
		h.drain()
	}
	c.inbox()
	if n := strings.Count(c.text(), "我已请同事核实"); n != 1 {
		t.Errorf("told %d times that a person will look, want once:\n%s", n, c.text())
	}
	c.expect("不要重复操作")
	c.reject("提前还款成功")
	a := h.actions()[0]
	staff := texts(h.staff())
	for _, want := range []string{"#T", "机器人转交", "还款 " + a.Repay.Amount.String(), a.Key} {
		if !strings.Contains(staff, want) {
			t.Errorf("the staff chat lacks %q:\n%s", want, staff)
		}
	}
	if strings.Contains(staff, "直接要求转人工客服") {
		t.Errorf("the card says the customer asked for a person:\n%s", staff)
	}
	if _, err := h.db.OpenTicket(context.Background(), 100); err != nil {
		t.Errorf("no open ticket for the stuck payment: %v", err)
	}
	h.hooks.set(func(k *hooks) { k.repay, k.repayment = nil, nil })
	h.advance(11 * time.Minute)
	h.drain()
	c.inbox()
	c.expect("提前还款成功", a.Repay.Amount.String())
}

// TestAnActionUnansweredForAnHourGoesToThePersonAlreadyThere: a core that
// does not answer a charge for an hour: the customer, already talking to a
// person, hears that this person was told; the alert goes into the topic of
// their ticket, and no second ticket is opened.
func TestAnActionUnansweredForAnHourGoesToThePersonAlreadyThere(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "en")
	c.identify(phoneWang)
	c.send("/lang en")
	c.send("/repay")
	failRepay(h, errDown)
	c.press("Confirm")
	c.expect("taking longer than usual")
	c.send("/agent")
	h.staff()
	topic := h.topic(100)
	first, err := h.db.OpenTicket(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		h.advance(11 * time.Minute)
		h.drain()
	}
	if c.inbox(); strings.Contains(c.text(), "has been told") {
		t.Errorf("handed to a person before the hour was up:\n%s", c.text())
	}
	for range 3 {
		h.advance(11 * time.Minute)
		h.drain()
	}
	c.inbox()
	if n := strings.Count(c.text(), "The colleague looking after your chat has been told"); n != 1 {
		t.Errorf("told %d times, want once:\n%s", n, c.text())
	}
	var alert *supportbot.Reply
	for _, r := range h.staff() {
		if strings.Contains(r.Text, "机器人转交") {
			alert = &r
		}
	}
	if alert == nil || alert.TicketID != first.ID {
		t.Fatalf("no alert in the topic (%d) of ticket %d: %+v", topic, first.ID, alert)
	}
	if tk, err := h.db.OpenTicket(context.Background(), 100); err != nil || tk.ID != first.ID {
		t.Errorf("open ticket = %+v, %v; want the first one, %d", tk, err, first.ID)
	}
}

// contractKey reports whether key is an Idempotency-Key the core takes:
// 1–255 printable ASCII, not starting or ending with a space, not starting
// with a quote (CORE_API.md).
func contractKey(key string) bool {
	if key == "" || len(key) > 255 || key[0] == ' ' || key[0] == '"' || key[len(key)-1] == ' ' {
		return false
	}
	for i := 0; i < len(key); i++ {
		if key[i] < ' ' || key[i] > '~' {
			return false
		}
	}
	return true
}

// TestQuoteIDsOfAnyShapeArePaid: the contract does not bound a quote's id;
// a core whose ids are long or not ASCII is paid all the same — under a key
// the core takes, one per quote (found by an outside probe: the key was the
// id, refused before it was sent, and the payment hung as "slower than
// usual").
func TestQuoteIDsOfAnyShapeArePaid(t *testing.T) {
	for name, prefix := range map[string]string{"not ASCII": "报价-", "long": strings.Repeat("q", 250)} {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t, fixture())
			c := h.chat(100, "zh")
			c.identify(phoneWang)
			var keys []string
			h.hooks.set(func(k *hooks) {
				k.quote = func(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
					q, err := k.Core.Quote(ctx, key, r)
					if q != nil {
						q.ID = prefix + q.ID
					}
					return q, err
				}
				ours := func(r *supportbot.Repayment, err error) (*supportbot.Repayment, error) {
					if r != nil {
						r.QuoteID = prefix + r.QuoteID
					}
					return r, err
				}
				k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
					k.mu.Lock()
					keys = append(keys, key)
					k.mu.Unlock()
					if !contractKey(key) {
						return nil, &supportbot.CoreError{Status: 400, Code: "idempotency_key_invalid", Message: "bad key"}
					}
					r.QuoteID = strings.TrimPrefix(r.QuoteID, prefix)
					return ours(k.Core.Repay(ctx, key, r))
				}
				k.repayment = func(ctx context.Context, key string) (*supportbot.Repayment, error) {
					return ours(k.Core.Repayment(ctx, key))
				}
			})
			c.send("/repay")
			c.press("确认还款")
			c.expect("提前还款成功")
			h.hooks.mu.Lock()
			defer h.hooks.mu.Unlock()
			if len(keys) == 0 || !contractKey(keys[0]) || strings.Contains(keys[0], prefix) {
				t.Errorf("charged under keys %q; want one the core takes", keys)
			}
		})
	}
}

// TestAReleasedActionIsToldToTheCustomerAndTheTopic: a charge the core never
// answers goes to a person after an hour; once the core's people confirm
// that nothing was done under its key, an operator releases it
// (ReleaseAction): the customer is told nothing was taken, the topic that
// was asked to look gets the release and its reason, and the plan is paid
// again under a new key.
func TestAReleasedActionIsToldToTheCustomerAndTheTopic(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneWang)
	c.send("/repay")
	down := func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
		return nil, fmt.Errorf("core: %w", supportbot.ErrCoreUnavailable)
	}
	h.hooks.set(func(k *hooks) {
		k.repay = down
		k.repayment = func(ctx context.Context, key string) (*supportbot.Repayment, error) {
			return nil, fmt.Errorf("core: %w", supportbot.ErrCoreUnavailable)
		}
	})
	c.press("确认还款")
	c.expect("比平时慢一些")
	for range 7 {
		h.advance(11 * time.Minute)
		h.drain()
	}
	c.inbox()
	c.expect("我已请同事核实")
	h.staff()
	a := h.actions()[0]
	release := func() error {
		return h.db.Update(context.Background(), func(tx *store.Tx) error {
			_, err := flows.ReleaseAction(context.Background(), tx, a.Key, "核心确认未收到该请求", tx.Now())
			return err
		})
	}
	// Claimed by an instance, its attempt may be under way: not released
	// until the claim has run out for longer than an attempt lasts.
	h.advance(11 * time.Minute) // its next try is due
	if claimed, err := h.db.ClaimActions(context.Background(), "another-instance", h.clock(), time.Minute, 10); err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v, %v", claimed, err)
	}
	if err := release(); err == nil || !strings.Contains(err.Error(), "being tried right now") {
		t.Errorf("release of a claimed action: %v, want it refused", err)
	}
	h.advance(time.Minute + 10*time.Second) // the claim ran out 10 s ago: an attempt may still be answered
	if err := release(); err == nil || !strings.Contains(err.Error(), "being tried right now") {
		t.Errorf("release 10 s after the claim ran out: %v, want it refused", err)
	}
	h.advance(time.Minute)
	if err := release(); err != nil {
		t.Fatal(err)
	}
	if err := release(); err == nil || !strings.Contains(err.Error(), "settled already: failed") {
		t.Errorf("a second release: %v, want settled already", err)
	}
	h.drain()
	c.inbox()
	c.expect("经同事与分期系统核实", "没有成功，没有扣款", "可以重新还款")
	c.reject("转人工")
	staff := texts(h.staff())
	for _, want := range []string{"运维已将客户的还款", a.Key, "核心确认未收到该请求"} {
		if !strings.Contains(staff, want) {
			t.Errorf("the topic lacks %q:\n%s", want, staff)
		}
	}
	h.hooks.set(func(k *hooks) { k.repay, k.repayment = nil, nil })
	c.send("/end") // still queued for the person asked to look
	c.send("/repay")
	c.press("确认还款")
	c.expect("提前还款成功")
	if r := h.paid("C3"); r.Key == a.Key {
		t.Errorf("paid under the released key %s", r.Key)
	}

	// The core's people were wrong: the core says the released charge was
	// made after all. The customer, told to pay again, and did, hears it —
	// it was paid, a person checks the double charge; the topic is asked to.
	h.staff()
	h.coreEvent(supportbot.CoreEvent{ID: "evt_late", Type: supportbot.EventRepaymentSucceeded, CreatedAt: h.clock(),
		Repayment: &supportbot.Repayment{ID: "RP-LATE", Key: a.Key, QuoteID: a.Repay.QuoteID, CustomerID: "C3", PlanID: a.PlanID,
			CardID: a.Repay.CardID, Amount: a.Repay.Amount, Status: supportbot.RepaymentSucceeded}})
	c.inbox()
	c.expect("更正", a.Repay.Amount.String(), "已经成功扣款", "多扣的钱会退回", "同事")
	staff = texts(h.staff())
	for _, want := range []string{"更正", a.Key, "核心确认未收到该请求", "退款"} {
		if !strings.Contains(staff, want) {
			t.Errorf("the topic lacks %q:\n%s", want, staff)
		}
	}
	if got := h.audit("action_corrected"); len(got) != 1 {
		t.Errorf("audit action_corrected: %v", got)
	}
	if got, _ := h.db.Action(context.Background(), a.Key); got.State != supportbot.ActionSucceeded {
		t.Errorf("the released action is %s after the core said succeeded", got.State)
	}
	// Said again, the event changes nothing.
	h.coreEvent(supportbot.CoreEvent{ID: "evt_late2", Type: supportbot.EventRepaymentSucceeded, CreatedAt: h.clock(),
		Repayment: &supportbot.Repayment{ID: "RP-LATE", Key: a.Key, QuoteID: a.Repay.QuoteID, CustomerID: "C3", PlanID: a.PlanID,
			CardID: a.Repay.CardID, Amount: a.Repay.Amount, Status: supportbot.RepaymentSucceeded}})
	c.inbox()
	c.reject("更正")
	if got := h.audit("action_corrected"); len(got) != 1 {
		t.Errorf("audit action_corrected after the event again: %d entries", len(got))
	}
}

// TestACorrectionLeavesTheStepInFront: the core says a released repayment
// succeeded while the customer is at a quote: the correction is told, and
// the staff chat asked to check, without a hand-off that would drop the
// quote (a review: a correction took the chat to the queue).
func TestACorrectionLeavesTheStepInFront(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	ctx := context.Background()
	a := &supportbot.Action{Key: "repay:Q-OLD", ChatID: c.id, CustomerID: "C1", Kind: supportbot.ActionRepay, Flow: "repay", PlanID: "P1",
		Product: "Redmi K70", Card: "招商银行 **** 6789", Repay: &supportbot.RepaymentRequest{QuoteID: "Q-OLD", CardID: "K1", Amount: 176140}}
	if err := h.db.Update(ctx, func(tx *store.Tx) error { return tx.CreateAction(ctx, a, "", time.Time{}) }); err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.ClaimActions(ctx, "i1", h.clock(), time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	if err := h.db.RetryAction(ctx, a.Key, "i1", supportbot.ActionUnknown, h.clock().Add(time.Hour), supportbot.ActionOutcome{}); err != nil {
		t.Fatal(err)
	}
	h.advance(5 * time.Minute)
	if err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := flows.ReleaseAction(ctx, tx, a.Key, "核心确认未收到", tx.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	h.drain()
	c.inbox()
	c.expect("没有成功，没有扣款")
	c.send("/repay")
	c.send("K70那个")
	confirm := c.button("确认还款").Data
	h.staff()
	h.coreEvent(supportbot.CoreEvent{ID: "evt_after_all", Type: supportbot.EventRepaymentSucceeded, CreatedAt: h.clock(),
		Repayment: &supportbot.Repayment{ID: "RP-OLD", Key: a.Key, QuoteID: "Q-OLD", CustomerID: "C1", PlanID: "P1", CardID: "K1",
			Amount: 176140, Status: supportbot.RepaymentSucceeded}})
	c.inbox()
	c.expect("更正", "已经成功扣款", "办完手头的操作后发 /agent")
	c.reject("已为你转接人工客服")
	if c.on(confirm) == 0 {
		t.Error("the quote in front of the customer was dropped")
	}
	if staff := texts(h.staff()); !strings.Contains(staff, "C1") || !strings.Contains(staff, a.Key) || !strings.Contains(staff, "未为其转人工客服") {
		t.Errorf("the staff chat was not asked to check:\n%s", staff)
	}
}

// TestACancellationAskedAfterIsNotLeftSayingUnderWay: asked after while a
// booking's cancellation (or a closure request) waited for the core, the
// "still under way" message stayed the last in the chat once it was done,
// the outcome only an edit above it (a fault probe): it says where the
// outcome is.
func TestACancellationAskedAfterIsNotLeftSayingUnderWay(t *testing.T) {
	h, c := faqSession(t, 1099)
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	h.hooks.set(func(k *hooks) {
		k.cancel = func(context.Context, string, string, string) (*supportbot.ScheduledRepayment, error) {
			return nil, errDown
		}
	})
	ok := c.button("取消这笔预约还款").Data
	c.send("确认")
	c.send("取消了吗")
	c.expect("正在取消中")
	c.pressData(ok) // its button tapped again (a Telegram probe: that "under way" stayed)
	c.expect("正在取消中")
	if c.last[len(c.last)-1].Track == "" {
		t.Errorf("a second tap's 'under way' is not tracked, to be edited by the outcome: %+v", c.last)
	}
	h.hooks.set(func(k *hooks) { k.cancel = nil })
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.expect("已取消", "这笔预约还款的取消已有结果，见上方消息")
	for _, r := range c.last {
		if strings.Contains(r.Text, "见上方") && r.Track == "" {
			t.Errorf("'see above' came as a new message, not in place of 'under way':\n%s", c.text())
		}
	}
}

// TestALateOutcomeIsAlsoANewMessage: a payment's outcome a minute after
// "比平时慢一些…会马上通知你" came as an edit of that message alone, and
// Telegram notifies of no edit (a fault probe): the outcome takes its
// place, and a new message says it is there.
func TestALateOutcomeIsAlsoANewMessage(t *testing.T) {
	h, c := session(t, fixture(), phoneWang, "/repay")
	confirm := c.button("确认还款").Data
	failRepay(h, errDown)
	c.pressData(confirm)
	c.expect("比平时慢一些")
	failRepay(h, nil)
	h.advance(time.Minute)
	h.drain()
	c.inbox()
	c.expect("提前还款成功", "这笔还款已有结果，见上方消息")
	if !slices.ContainsFunc(c.last, func(r supportbot.Reply) bool {
		return strings.Contains(r.Text, "见上方") && r.Edit == 0 && r.EditStep == "" && r.Track == ""
	}) {
		t.Errorf("no new message tells the late outcome:\n%s", c.text())
	}
}
