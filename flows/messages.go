package flows

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"supportbot"
	"supportbot/locale"
)

// Messages shows the customer's message center: the confirmations of what they
// did (cancellations, repayments, closure requests).
func messagesFlow() *spec {
	return &spec{
		name:          "messages",
		needsCustomer: true,
		initial:       "idle",
		events:        fsm.Events{{Name: "show", Src: []string{"idle"}, Dst: "shown"}},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{"enter_shown": func(_ ctxT, e *fsm.Event) { e.Err = showMessages(s, argString(e.Args, 0)) }}
		},
		start:  func(s *Step, arg string) error { return s.fire("messages", "show", arg) },
		handle: handleMessages,
	}
}

// handleMessages takes the older button's label, or words for it, typed
// at a page with older entries behind it ("更早的消息", "more"): the next
// older page (a probe: typed, it was "no records").
func handleMessages(s *Step, a action) (bool, error) {
	if a.Name != "" || s.ev.Kind != supportbot.EventText || s.slots.Older == 0 {
		return false, nil
	}
	if t := bare(s.ev.Text); !typedLabel(t, s.T("messages.btn_older")) && !olderWords[t] {
		return false, nil
	}
	return true, showMessages(s, "before:"+strconv.FormatInt(s.slots.Older, 10))
}

// olderWords ask for a page of older entries.
var olderWords = map[string]bool{"更早的消息": true, "更早的": true, "更早": true, "更早的记录": true, "之前的消息": true, "之前的": true,
	"以前的消息": true, "以前的": true, "再往前": true, "往前翻": true, "还有吗": true, "还有呢": true, "更多": true, "更多消息": true, "下一页": true,
	"继续": true, "older": true, "older messages": true, "older ones": true, "earlier": true, "earlier messages": true, "more": true,
	"more messages": true, "show more": true, "see more": true, "next page": true, "next": true}

// noticesShown is how many notices the message center shows at a time.
const noticesShown = 10

// showMessages shows the latest notices, or — before (an entry's id, from
// the "older" button) — the ones before that one; with more behind them,
// a button shows the next older ones (a probe: a payment's confirmation,
// pushed out by ten switches, could not be read again).
func showMessages(s *Step, before string) error {
	from, _ := strconv.ParseInt(strings.TrimPrefix(before, "before:"), 10, 64)
	list, err := s.e.st.Notices(s.ctx, s.conv.CustomerID, from, noticesShown+1)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		s.finish()
		s.say(s.T("messages.none"), s.next(s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...) // a confirmation missing: a person to ask
		return nil
	}
	more := len(list) > noticesShown
	list = list[:min(len(list), noticesShown)]
	header := "messages.header"
	switch {
	case from > 0:
		header = "messages.header_older"
	case more:
		header = "messages.header_latest"
	}
	lines := []string{s.T(header, "n", len(list))}
	for _, n := range list {
		lines = append(lines, "• "+when(s, n.Time)+"\n  "+string(noticeText(s, n)))
	}
	btns := []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn()} // a confirmation to ask about
	s.finish()
	if more {
		s.conv.Flow, s.conv.State = "messages", "shown" // the older page may be asked for in words
		s.slots.Older = list[len(list)-1].ID
		btns = append([]supportbot.Button{s.menuBtn(s.T("messages.btn_older"), "messages:before:"+strconv.FormatInt(list[len(list)-1].ID, 10))}, btns...)
	}
	s.say(strings.Join(lines, "\n"), s.next(btns...)...)
	return nil
}

// noticeText is a notice as the message center shows it, in the reader's
// language: HTML, to put into another text as it is.
func noticeText(s *Step, n supportbot.Notice) locale.HTML {
	args := make([]any, 0, 2*len(n.Params)+2)
	for k, v := range n.Params {
		var arg any = v
		if key, ok := strings.CutPrefix(v, "@"); ok { // a message key, rendered in the reader's language
			arg = locale.HTML(s.T(key))
		} else if k == "periods" { // "1, 2, 3" as kept: read in the reader's language
			ps := parsePeriods(v)
			arg = periodList(s, ps)
			args = append(args, "n", len(ps))
		} else if t, err := time.Parse(time.RFC3339, v); err == nil { // an instant: as of now, in the reader's language
			arg = when(s, t)
		} else if d, err := supportbot.ParseDate(v); err == nil {
			arg = d.Format(s.conv.Lang)
		}
		args = append(args, k, arg)
	}
	return locale.HTML(s.T("notice."+n.Kind, args...))
}

// alreadyDone answers a "never mind" said just after the thing was done
// ("算了不还了" after the payment went through, "算了 不关了" after
// auto-repayment was turned off, "我不想注销了" after the closure request was
// submitted, "不取消了" after a booking was cancelled): what was done, and
// how to go back if one can — never "nothing was paid" (a probe). kinds
// are the notices of that thing; false when none came in the last half hour.
func (s *Step) alreadyDone(kinds ...string) (bool, error) {
	if s.conv.CustomerID == "" {
		return false, nil
	}
	if slices.Contains(kinds, paymentNotices[0]) { // not settled yet: under way
		list, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, s.now.Add(-askedAfter))
		if err != nil {
			return false, err
		}
		if len(list) > 0 && list[0].State.Open() {
			s.say(s.T("decline.under_way"), s.next(s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...)
			return true, nil
		}
	}
	list, err := s.e.st.Notices(s.ctx, s.conv.CustomerID, 0, 1)
	if err != nil || len(list) == 0 || s.now.Sub(list[0].Time) > askedAfter || !slices.Contains(kinds, list[0].Kind) {
		return false, err
	}
	n := list[0]
	done := noticeText(s, n)
	switch n.Kind {
	case "autopay_on", "autopay_off":
		s.say(s.T("decline.done_switch", "done", done), s.next(s.menuBtn(s.T("menu.autopay"), "autopay"), s.humanBtn())...)
	case "closure_request":
		s.say(s.T("decline.done_closure", "done", done), s.next(s.humanBtn(), s.menuBtn(s.T("menu.closure"), "closure"))...)
	case "cancel_scheduled":
		s.say(s.T("decline.done_cancel", "done", done), s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.menuBtn(s.T("menu.autopay"), "autopay"))...)
	default:
		s.say(s.T("decline.done_paid", "done", done), s.next(s.menuBtn(s.T("menu.messages"), "messages"), s.humanBtn())...)
	}
	return true, nil
}

// paymentNotices are the notices of money paid: by the customer here, or
// by a booking's debit.
var paymentNotices = []string{"repay_bill", "early_repayment", "scheduled_done"}

// doneKinds are the notices of what a refusal would take back.
func (r refused) doneKinds() []string {
	switch r {
	case refusesPaying:
		return paymentNotices
	case refusesClosing:
		return []string{"closure_request"}
	case refusesSwitch:
		return []string{"autopay_on", "autopay_off"}
	}
	return nil
}

// parsePeriods reads periods kept as periodsKey wrote them ("1, 2, 3").
func parsePeriods(v string) []int {
	var ps []int
	for _, f := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			ps = append(ps, n)
		}
	}
	return ps
}

// lastDone answers "好了吗", "搞定了没", "did it work?", "取消了吗", "is it
// cancelled?" — whether what was just done went through, the thing not
// named (a probe: "can't answer", or the cancellation guide): a payment
// still under way says so; else the message center's latest entry of the
// last half hour, or that nothing was done here in it. It reports whether
// it answered.
func lastDone(s *Step, text string) (bool, error) {
	if s.conv.CustomerID == "" || !asksIfDone(text) {
		return false, nil
	}
	if ok, err := s.linked(); err != nil || !ok {
		return false, err
	}
	if s.conv.Flow != "" && waitsForYes(s.conv.State) { // at a quote or a confirmation: not done yet
		s.say(s.confirmHow())
		return true, nil
	}
	rows := s.billAndMessages()
	repayments, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, s.now.Add(-askedAfter))
	if err != nil {
		return false, err
	}
	if len(repayments) > 0 && repayments[0].State.Open() {
		s.say(s.T("repay.paying_still"), rows)
		return true, nil
	}
	list, err := s.e.st.Notices(s.ctx, s.conv.CustomerID, 0, 1)
	if err != nil {
		return false, err
	}
	if len(list) == 0 || s.now.Sub(list[0].Time) > askedAfter {
		s.say(s.T("done.none"), rows)
		return true, nil
	}
	s.say(s.T("done.latest", "time", when(s, list[0].Time), "notice", noticeText(s, list[0])), rows)
	return true, nil
}

// asksIfDone is a short question whether what was just done went
// through, naming nothing else.
func asksIfDone(text string) bool {
	return doneAsked.MatchString(strings.TrimRight(bare(strings.ToLower(text)), "?？!！。.~ "))
}

var doneAsked = regexp.MustCompile(`^(?:(?:那|所以|请问|那个|ok|好的)\s*)?(?:(?:刚才|刚刚|刚)(?:的|那笔|那个|这笔)?(?:还款|扣款|操作|取消)?\s*)?(?:(?:现在)?(?:好了|弄好了|办好了|搞定了|完成了|成功了|取消了|取消成功了|关掉了|开通了|开好了)(?:吗|没|没有|嘛|了吗)|` +
	`(?:did (?:it|that) (?:work|go through)|is it (?:done|cancell?ed|through)|was it (?:cancell?ed|done)|all done|done|worked|did it cancel|is that done))$`)
