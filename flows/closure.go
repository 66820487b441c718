package flows

import (
	"context"
	"crypto/subtle"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/looplab/fsm"

	"supportbot"
)

const (
	// closureTries wrong answers to the identity check in a row lock closure
	// for closureLockFor. Counted per customer, not per chat, by the bot; the
	// core only compares.
	closureTries   = 3
	closureLockFor = 24 * time.Hour
	// A closure request is expected to be done within 3 to 5 business days.
	closureDaysMin = 3
	closureDaysMax = 5
)

// Close the installment account: check the preconditions → explain what
// closure means → verify the last 4 characters of the ID card (the core
// compares) → submit a request (a money action) that the core completes or
// rejects. One open request per customer; asking again shows it.
func closeFlow() *spec {
	return &spec{
		name:          "close",
		needsCustomer: true,
		reads:         []coreRead{readPlans, readScheduled},
		initial:       "idle",
		events: fsm.Events{
			{Name: "check", Src: []string{"idle"}, Dst: "confirming"},
			{Name: "verify", Src: []string{"confirming"}, Dst: "verifying"},
			{Name: "fail", Src: []string{"verifying"}, Dst: "verifying"},
			{Name: "pass", Src: []string{"verifying"}, Dst: "submitting"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_confirming": func(_ ctxT, _ *fsm.Event) { explainClosure(s) },
				"enter_verifying":  func(_ ctxT, e *fsm.Event) { e.Err = askIDCard(s) },
				// after_, not enter_: a wrong answer is a self-transition.
				"after_fail":       func(_ ctxT, _ *fsm.Event) { wrongIDCard(s) },
				"enter_submitting": func(_ ctxT, _ *fsm.Event) { submitClosure(s) },
			}
		},
		start:   startClose,
		handle:  handleClose,
		settled: settledClosure,
	}
}

// closeAsked matches a customer's short question whether they may close
// their account now ("现在可以注销了吗", "can I close my account now"): the
// closure's own check answers it for them, where "注销需要什么条件" is
// answered by the guide.
var closeAsked = regexp.MustCompile(`^(?:那|那我|我|那么)?(?:现在|目前|今天)?(?:能|可以|能不能|可不可以|是否可以|是不是可以|可以不可以)` +
	`(?:申请)?注销(?:了)?(?:我的)?(?:分期)?(?:账户|账号)?(?:了)?(?:吗|么|嘛|没|不|没有)?$` +
	`|^我(?:现在|目前)?(?:满足|符合|达到)(?:了)?注销(?:的)?条件(?:了)?(?:吗|么|没|没有)?$` +
	`|^(?:so |ok |okay |and |then )?(?:can|could|may) i (?:now )?close(?: (?:my |the )?(?:installment )?account)?(?: now| yet)?$` + // "can i close now" (a probe: unsure)
	`|^am i (?:able|allowed|eligible) to close (?:my )?(?:installment )?account(?: now| yet)?$` +
	// why not (a probe: the general conditions, not what stands in their way)
	`|^(?:为什么|为啥|怎么)(?:我)?(?:的)?(?:分期)?(?:账户|账号)?(?:还是|还|一直)?(?:不能|没法|无法|不让我?|不给我?)(?:申请)?注销(?:我的)?(?:分期)?(?:账户|账号)?(?:了)?(?:呢|啊|呀)?$` +
	`|^(?:我的?)?(?:分期)?(?:账户|账号)?(?:为什么|为啥|怎么)(?:我的?)?(?:分期)?(?:账户|账号)?(?:还是|还|一直)?注销不了(?:呢|啊|呀)?$` +
	`|^(?:why|how come) (?:can'?t|cannot|can not|won'?t you let) (?:i|me) close(?: (?:my |the )?(?:installment )?account)?(?: yet| now)?$`)

// asksIfClosed reports a question whether the account is closed already
// ("我已经还清了 账户是不是注销了", "注销了吗", "is my account closed"): the
// customer's closure request answers it (none: not closed), not the start
// of a closure.
func asksIfClosed(text string) bool {
	l := strings.ToLower(text)
	if n := utf8.RuneCountInString(l); n <= 60 && closureProgress.MatchString(l) && !containsAny(l, "撤", "withdraw", "怎么注销", "如何注销", "how to", "how do i", "how can i",
		// another thing's progress, or a closure to come (a review: "我想销户，但退款进度怎么样了")
		"退款", "refund", "征信", "credit", "订单", "order", " if ", "when i", "while", "can i", "will ") {
		return true // "注销进度怎么样了", "whats the status of my closure request", "I applied to close my account last week, any update?"
	} else if n > 40 {
		return false
	}
	if containsAny(l, "怎么", "如何", "可以", "能不能", "能", "how", "can i", "could i") {
		return false
	}
	return containsAny(l, "是不是注销了", "是否注销了", "注销了吗", "注销了没", "注销了么", "注销成功了吗", "注销好了吗", "注销好了没", "注销完了吗",
		"注销完成了吗", "注销完成没") ||
		asks(text) && containsAny(l, "已经注销", "is my account closed", "is the account closed", "account closed", "is it closed")
}

// ownClosure is what an identified customer's question about withdrawing
// or the processing time of a closure gets below the guide's answer: their
// own open request, its reference and dates ("" for other topics, or none).
func (s *Step) ownClosure(topic string) string {
	if topic != "close-account-withdraw" && topic != "close-account-processing-time" {
		return ""
	}
	if r := s.openClosure(); r != nil {
		return s.closureText(r)
	}
	return ""
}

// openClosure is an identified customer's closure request still open, nil
// for none (or none that can be read now).
func (s *Step) openClosure() *supportbot.ClosureRequest {
	if s.conv.CustomerID == "" {
		return nil
	}
	if ok, err := s.linked(); err != nil || !ok {
		return nil
	}
	if r, err := latestClosure(s); err == nil && r != nil && r.Open() {
		return r
	}
	return nil
}

// closureProgress asks how far a closure request has got.
var closureProgress = regexp.MustCompile(`(?:注销|销户|关户).{0,8}(?:进度|到哪|哪一步|办好了|办完了|处理得?怎么样|怎么样了|有结果|结果出来)|` +
	`^(?:我的|那我的)?(?:注销|销户)申请(?:呢|在哪|在哪里|还在吗|有吗)[?？]*$|` + // "我的注销申请呢" (an audit: a closure started, none having been asked)
	`(?:status|progress|update)\b.{0,20}\b(?:closure|closing|close)|(?:closure|closing)\b.{0,20}\b(?:status|progress|update)|` +
	`\b(?:applied|asked|requested|submitted)\b.{0,20}\bclose (?:my |the )?account\b.{0,30}\b(?:any update|any news|status|progress|approved|done yet)\b|` +
	`\bclosure\b.{0,25}\b(?:approved|go through|went through|gone through|done|complete|completed|finished)\b`)

// asksIfCanClose reports a customer asking whether they may close their
// account now.
func asksIfCanClose(text string) bool {
	t := strings.Join(strings.Fields(bare(text)), " ")
	// After owing nothing said ("i dont owe anything so can i close my
	// account now", "都还完了 现在可以注销了吗"): the check, not the closure's
	// "closing does not cancel what you owe" (an audit).
	return closeAsked.MatchString(t) || closeAsked.MatchString(owedNothingSaid.ReplaceAllString(t, "")) ||
		closeAsked.MatchString(strings.TrimSpace(owedNothingAfter.ReplaceAllString(t, ""))) // "为什么不能注销 我都还完了" (an audit: "pay everything off first", a refund the only blocker)
}

// owedNothingAfter closes a message with owing nothing said ("…我都还完了",
// "…, i paid everything").
var owedNothingAfter = regexp.MustCompile(`[,， ]+(?:我?(?:都|全部|已经|全都)*(?:还完|还清|结清)了?(?:啊|呀|的|呢)?|i(?:'ve| have)? paid (?:everything|it all|all)(?: off)?)$`)

// owedNothingSaid opens a message with owing nothing said ("since i've paid
// everything", "nothing owed", "我都还完了"), or a plan paid off ("我手环已经还
// 清了 为什么不能注销": the check names what stands in the way — an audit got
// the rules in general).
var owedNothingSaid = regexp.MustCompile(`^(?:(?:since|now that|as) )?(?:i(?:'ve| have)? (?:paid (?:everything|it all|all)(?: off)?|(?:do ?n'?t|do not) owe (?:anything|any ?thing|a thing)|owe nothing)|nothing(?:'s| is)? owed|everything(?:'s| is) paid(?: off)?)(?: now)?,? (?:so |and |now )?|` +
	`^我?(?:的)?(?:手机|手环|手表|耳机|平板|笔记本|电脑|电视|[a-z0-9]+)?(?:都|全部|已经|全都)*(?:还完|还清|结清)了?(?:所有)?(?:的)?(?:分期)?(?:了)?[,，]? ?(?:那|所以)?`)

// Closure status (/closure_status): the customer's latest closure request.
func closureFlow() *spec {
	return &spec{
		name:          "closure",
		needsCustomer: true,
		initial:       "idle",
		events:        fsm.Events{{Name: "show", Src: []string{"idle"}, Dst: "shown"}},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{"enter_shown": func(_ ctxT, e *fsm.Event) { e.Err = showClosure(s) }}
		},
		start: func(s *Step, _ string) error { return s.fire("closure", "show") },
	}
}

// startClose says why closure cannot go ahead, if it cannot: an open or
// completed request, the identity lock, or unmet preconditions.
func startClose(s *Step, _ string) error {
	if done, err := closureOnFile(s); done || err != nil {
		return err
	}
	if done, err := closureLocked(s); done || err != nil {
		return err
	}
	if done, err := closureBlocked(s); done || err != nil {
		return err
	}
	return s.fire("close", "check")
}

// latestClosure is the customer's newest closure request, nil when none.
func latestClosure(s *Step) (*supportbot.ClosureRequest, error) {
	list, err := s.closures()
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return &list[0], nil
}

// closureOnFile shows the customer's open request (one is enough), or says
// the account is closed already; it reports whether it did.
func closureOnFile(s *Step) (bool, error) {
	r, err := latestClosure(s)
	if err != nil || r == nil {
		return false, err
	}
	switch r.Status {
	case supportbot.ClosureSubmitted:
		s.finish()
		s.say(s.T("closure.exists")+"\n\n"+s.closureText(r),
			[]supportbot.Button{s.menuBtn(s.T("menu.messages"), "messages"), s.humanBtn()})
		return true, nil
	case supportbot.ClosureCompleted:
		s.finish()
		s.say(s.T("closure.already_closed")+"\n\n"+s.closureText(r), []supportbot.Button{s.humanBtn()})
		return true, nil
	}
	return false, nil // rejected: the customer may ask again
}

// closureLocked tells a locked customer until when; it reports whether it did.
func closureLocked(s *Step) (bool, error) {
	_, until, err := s.e.st.ClosureLock(s.ctx, s.conv.CustomerID)
	if err != nil || !until.After(s.now) {
		return false, err
	}
	s.finish()
	s.say(s.T("closure.locked", "time", when(s, until)), []supportbot.Button{s.humanBtn()},
		[]supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
	return true, nil
}

// closureCheck is where the customer stands on each precondition of closure.
type closureCheck struct {
	openPlans   int
	payable     int              // open plans with a period no debit is running for: early repayment can settle them
	owed        supportbot.Money // Plan.Remaining of the open plans
	cancellable int              // scheduled repayments the customer can cancel
	waiting     int              // scheduled or processing ones the bank is already debiting
	paidTwice   int              // of those, ones debiting a period paid already
	refunds     int
	paying      int // repayments confirmed here, waiting for their outcome
}

func (k closureCheck) ok() bool {
	return k.openPlans == 0 && k.cancellable == 0 && k.waiting == 0 && k.refunds == 0
}

func checkClosure(s *Step) (closureCheck, error) {
	var k closureCheck
	c, err := s.customer()
	if err != nil {
		return k, err
	}
	k.refunds = c.PendingRefunds
	open, err := s.openPlans()
	if err != nil {
		return k, err
	}
	sched, err := s.scheduled()
	if err != nil {
		return k, err
	}
	for _, p := range open {
		k.openPlans++
		k.owed += p.Remaining()
		busy := supportbot.DebitingPeriods(p.ID, sched, s.now)
		if slices.ContainsFunc(p.Bills, func(b supportbot.Bill) bool { return b.Status == supportbot.BillUnpaid && !busy[b.Period] }) {
			k.payable++
		}
	}
	views, err := scheduledViews(s)
	if err != nil {
		return k, err
	}
	paying, err := repaymentsUnderWay(s)
	if err != nil {
		return k, err
	}
	k.paying = len(paying)
	for _, v := range active(views) {
		// The cancel flow's rule: the bank is debiting it, or not.
		if v.refusalKey(s.now) != "" {
			k.waiting++
			if v.paidAlready() {
				k.paidTwice++
			}
		} else {
			k.cancellable++
		}
	}
	return k, nil
}

// closureBlocked names every precondition and how it stands, in one message,
// with the flows that fix the unmet ones; it reports whether one is unmet.
func closureBlocked(s *Step) (bool, error) {
	k, err := checkClosure(s)
	if err != nil || k.ok() {
		return false, err
	}
	s.finish()
	s.slots.Last = &lastStep{Flow: "close", At: s.now} // "why not?" next: this check again (whyAfter)
	lines := []string{s.T("closure.blocked")}
	var fixes []supportbot.Button
	switch {
	case k.paying > 0: // a payment waits for its outcome: not another one offered (a money probe)
		lines = append(lines, s.T("closure.check_unpaid_paying", "count", k.openPlans, "amount", money(k.owed)))
	case k.payable > 0:
		lines = append(lines, s.T("closure.check_unpaid", "count", k.openPlans, "amount", money(k.owed)))
		fixes = append(fixes, s.menuBtn(s.T("menu.repay"), "repay"))
	case k.openPlans > 0: // nothing left to pay here: the bank is debiting what is left
		lines = append(lines, s.T("closure.check_unpaid_debiting", "count", k.openPlans, "amount", money(k.owed)))
	default:
		lines = append(lines, s.T("closure.check_unpaid_ok"))
	}
	if k.cancellable+k.waiting == 0 {
		lines = append(lines, s.T("closure.check_scheduled_ok"))
	}
	switch {
	case k.cancellable > 0 && k.payable > 0:
		// Paying off cancels them: cancelling them first, and then not
		// paying off, leaves a bill to fall overdue (a probe: "please cancel
		// it first", its bill due in 2 days).
		lines = append(lines, s.T("closure.check_scheduled_payoff", "count", k.cancellable))
	case k.cancellable > 0:
		lines = append(lines, s.T("closure.check_scheduled", "count", k.cancellable))
		fixes = append(fixes, s.menuBtn(s.T("menu.cancel"), "cancel"))
	}
	if k.waiting > 0 {
		lines = append(lines, s.T("closure.check_processing", "count", k.waiting))
	}
	if k.paidTwice > 0 {
		// Not only to wait out: a possible second charge (a probe was told
		// to wait for what /bill called one).
		lines = append(lines, s.T("debited.booking_paid"))
	}
	if k.refunds > 0 {
		lines = append(lines, s.T("closure.check_refund", "count", k.refunds))
	} else {
		lines = append(lines, s.T("closure.check_refund_ok"))
	}
	lines = append(lines, "", s.T("closure.blocked_footer"))
	var rows [][]supportbot.Button
	if len(fixes) > 0 {
		rows = append(rows, fixes)
	}
	rows = append(rows, []supportbot.Button{s.humanBtn(), s.menuBtn(s.T("btn.menu"), "menu")})
	s.say(strings.Join(lines, "\n"), rows...)
	return true, nil
}

// goOnWords answer "go on?" as its button does, beside the words that
// confirm any step.
var goOnWords = map[string]bool{"继续": true, "下一步": true, "继续注销": true, "go on": true, "continue": true, "proceed": true, "next": true}

func explainClosure(s *Step) {
	s.say(s.T("closure.explain"),
		[]supportbot.Button{s.btn(s.T("closure.btn_go"), "go")},
		[]supportbot.Button{s.cancelBtn(), s.humanBtn()})
}

func handleClose(s *Step, a action) (bool, error) {
	if a.Name == "" {
		if s.ev.Kind != supportbot.EventText {
			return false, nil
		}
		text := strings.TrimSpace(s.ev.Text)
		switch s.conv.State {
		case "confirming":
			if answer := idCardAnswer(text); utf8.RuneCountInString(text) <= 6 && idCardPattern.MatchString(answer) ||
				idAnswerSaid(text, answer) == idAnswered { // "my ID ends in 2468" too
				// The ID answer typed before it was asked: it is kept for
				// nothing, the closure's consequences are to be agreed first.
				s.say(s.T("closure.go_first"))
				return true, nil
			}
			if !agrees(text) && !goOnWords[bare(text)] && !typedLabel(text, s.T("closure.btn_go")) {
				return false, nil
			}
			a.Name = "go"
		case "verifying":
			if s.wantsOut(text) || s.wantsHuman(text) {
				return false, nil
			}
			if s.personAskedWithWhy(text) && !declinesAgent(text) {
				// "我记不清了，找人工帮我": the person asked for, the check
				// closed and said so (a desk probe: the ID asked again).
				return true, s.startFlow("agent", "")
			}
			if lang := langNamed(text); lang != "" && lang == s.conv.Lang {
				// The language it is in already: nothing to switch, the
				// step kept (a replay: closed for no change).
				s.say(s.T("closure.lang_same"), []supportbot.Button{s.cancelBtn(), s.humanBtn()})
				return true, nil
			} else if lang != "" && !strings.ContainsFunc(text, unicode.IsDigit) {
				// "中文" typed at /lang's chooser (an English probe: taken
				// for an answer to the ID, the language kept): switched,
				// no try counted — the step closed, said so, as /lang does.
				return true, s.setLang(string(lang))
			}
			if s.ev.Forwarded {
				// Someone's words passed on, not the customer's answer:
				// a probe's forwarded "2468" submitted the closure. No try
				// is counted.
				s.say(s.T("closure.forwarded_id"), []supportbot.Button{s.cancelBtn(), s.humanBtn()})
				return true, nil
			}
			if (asks(text) || containsAny(strings.ToLower(text), howWhereWhy...) || containsAny(text, "多久", "多长", "几天", "什么")) && !strings.ContainsFunc(text, unicode.IsDigit) {
				// "注销之后还能再开通吗" before the last step: answered, the
				// step still waiting (a probe: only "type the last 4").
				return false, nil
			}
			if s.slots.Aside {
				// The ID typed after a question was answered here ("等下 注
				// 销后还能分期吗", then "2468"): the closure, which cannot be
				// undone, is asked once more — a probe saw it submitted
				// without a word that the step was still open.
				s.slots.Aside = false
				s.say(s.T("closure.id_again"), []supportbot.Button{s.cancelBtn(), s.humanBtn()})
				return true, nil
			}
			return true, checkIDCard(s, text)
		case "submitting":
			s.sayStill(s.T("closure.submitting_still"))
			return true, nil
		default:
			return false, nil
		}
	}
	if a.Name != "go" || s.conv.State != "confirming" {
		return false, nil
	}
	// Another chat of the customer may have locked closure meanwhile.
	if done, err := closureLocked(s); done || err != nil {
		return true, err
	}
	return true, s.fire("close", "verify")
}

func askIDCard(s *Step) error {
	failures, _, err := s.e.st.ClosureLock(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	s.say(s.T("closure.ask_id", "tries", closureTries-failures, "hours", int(closureLockFor.Hours())),
		[]supportbot.Button{s.cancelBtn(), s.humanBtn()})
	return nil
}

// idCardPattern is what the last 4 characters of a resident ID card can be:
// three digits and a check character, a digit or X.
var idCardPattern = regexp.MustCompile(`^[0-9]{3}[0-9X]$`)

// idCardAnswer normalises a typed answer: full-width characters (１２３Ｘ)
// folded to ASCII, spaces dropped, upper case.
func idCardAnswer(text string) string {
	answer := foldID(text)
	if !idCardPattern.MatchString(answer) {
		// Said in a sentence ("身份证后四位是2468", "last 4: 123X"): the one
		// answer in it, if there is exactly one.
		if found := idCardInText.FindAllStringSubmatch(answer, 2); len(found) == 1 {
			return found[0][1]
		}
	}
	return answer
}

// foldID folds full-width characters (１２３Ｘ) to ASCII, drops spaces and
// upper-cases the rest.
func foldID(text string) string {
	var b strings.Builder
	for _, r := range text {
		if r >= 0xFF01 && r <= 0xFF5E { // the full-width forms of ASCII
			r -= 0xFEE0
		}
		if unicode.IsSpace(r) {
			continue
		}
		b.WriteRune(unicode.ToUpper(r))
	}
	return b.String()
}

// idSaid is what a message at the ID step says.
type idSaid int

const (
	idNotAnswered idSaid = iota // no answer, asked, another number, or unsure
	idAnswered                  // the ID's last 4, and nothing else
	idWithdrawn                 // a no, a wait or a cancel, with or without digits
)

// idAnswerSaid reads a message at the ID step, whose answer idCardAnswer
// found: only the 4 characters, alone or with words that say they are the
// ID's ("身份证后四位是2468", "my ID ends in 2468"), are an answer. Anything
// more — a question, a doubt, another number's name ("银行卡", "手机尾号"), a
// no — is not, and is not counted against the customer.
func idAnswerSaid(text, answer string) idSaid {
	l := strings.ToLower(text)
	if containsAny(l, "不注销", "先不", "算了", "取消", "别提交", "别注销", "先别", "别急", "不要", "等等", "等一下", "不确定", "再想想", "改主意",
		"cancel", "don't", "dont", "do not", "wait", "changed my mind", "stop", "not sure") {
		return idWithdrawn
	}
	if !idCardPattern.MatchString(answer) || strings.ContainsAny(text, "?？") || asks(text) {
		return idNotAnswered
	}
	if rest, _ := withoutWords(letters(strings.Replace(foldID(text), answer, "", 1)), idFiller); rest != "" {
		return idNotAnswered
	}
	return idAnswered
}

// idFiller are the words that may come with an ID answer, longest first
// (spaces and punctuation are gone: "myidendsin2468").
var idFiller = []string{"身份证号码", "身份证号", "身份证", "证件号", "最后四位", "最后4位", "后四位", "后4位", "末四位", "末4位",
	"尾号", "号码", "我的", "应该", "是", "为", "的", "了", "哈", "lastfourdigits", "last4digits", "lastfour", "last4",
	"digits", "ending", "endsin", "endswith", "ends", "idcardnumber", "idcard", "idnumber", "myid", "id", "its", "is",
	"are", "my", "the", "thankyou", "thanks", "thx", "please", "谢谢", "谢了", "麻烦", "请"}

// idCardInText finds an answer standing on its own in a sentence: 4
// characters, neither digits nor an X right before or after.
var idCardInText = regexp.MustCompile(`(?:^|[^0-9X])([0-9]{3}[0-9X])(?:$|[^0-9X])`)

// checkIDCard takes an answer to the identity check; the core compares. An
// answer that cannot be the last 4 characters of an ID card is asked again
// without counting.
func checkIDCard(s *Step, text string) error {
	if done, err := closureLocked(s); done || err != nil {
		return err
	}
	answer := idCardAnswer(text)
	switch said := idAnswerSaid(text, answer); {
	case said == idWithdrawn:
		// "先不注销了 2468", "2468 wait, don't submit": a closure is never
		// submitted on a message that takes it back.
		return s.declineStep()
	case said != idAnswered:
		// Not an answer, asked ("是2468吗"), or another number ("银行卡后四位
		// 是1122"): said again, not counted.
		s.say(s.T("closure.id_format"), []supportbot.Button{s.cancelBtn(), s.humanBtn()})
		return nil
	}
	ok, err := s.e.core.CheckIdentity(s.ctx, s.key("identity"), s.conv.CustomerID, answer)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeEq(boolInt(ok), 1) != 1 {
		return s.fire("close", "fail")
	}
	id := s.conv.CustomerID
	s.do(func(ctx context.Context, tx Tx) error { return tx.ResetClosureFailures(ctx, id) })
	return s.fire("close", "pass")
}

func boolInt(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

// wrongIDCard counts a wrong answer in the step's transaction (two chats of
// one customer count one after the other) and says what is left.
func wrongIDCard(s *Step) {
	id, chat := s.conv.CustomerID, s.conv.ChatID
	s.e.metrics.Action("closure_identity_failed")
	s.do(func(ctx context.Context, tx Tx) error {
		failures, until, err := tx.RecordClosureFailure(ctx, id, closureTries, closureLockFor)
		if err != nil {
			return err
		}
		left := max(closureTries-failures, 0)
		// Never the answer itself: it is part of an ID number.
		if err := tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "closure_identity_failed", CustomerID: id, ChatID: chat,
			Details: map[string]any{"failures": failures, "remaining": left}}); err != nil {
			return err
		}
		if until.IsZero() {
			s.late = append(s.late, supportbot.Reply{Text: s.T("closure.id_wrong", "tries", left),
				Buttons: [][]supportbot.Button{{s.cancelBtn(), s.humanBtn()}}})
			return nil
		}
		if err := tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "closure_locked", CustomerID: id, ChatID: chat,
			// locked_until in local time, as the audit's other times (an operator probe read UTC)
			Details: map[string]any{"failures": failures, "locked_until": until.In(s.e.cfg.Location).Format(time.RFC3339)}}); err != nil {
			return err
		}
		s.late = append(s.late, supportbot.Reply{Text: s.T("closure.locked_now", "tries", closureTries, "time", when(s, until)),
			Buttons: [][]supportbot.Button{{s.humanBtn()}, {s.menuBtn(s.T("btn.menu"), "menu")}}})
		// Locked: the flow ends (the conversation is saved after this change).
		s.conv.Flow, s.conv.State, s.conv.Nonce, s.conv.Slots = "", "", "", nil
		return nil
	})
}

// submitClosure commits the closure request as a money action: the core
// checks the preconditions again (another chat or the core itself may have
// changed them) and answers with the reference.
func submitClosure(s *Step) {
	a := &supportbot.Action{Key: "closure:" + s.e.chatRef(s.conv.ChatID) + ":" + s.conv.Nonce + ":" + strconv.FormatInt(s.q.ID, 10),
		ChatID: s.conv.ChatID, CustomerID: s.conv.CustomerID, Kind: supportbot.ActionClosure, Flow: "close"}
	s.startAction(a)
	s.sayWorking(a, s.T("closure.submitting")) // edited into the outcome when it is in
}

// settledClosure tells the customer the outcome of their closure request.
func settledClosure(s *Step, a *supportbot.Action) error {
	if s.conv.Flow == "close" && s.slots.Action == a.Key {
		defer s.sendAll(s.outcomeOf(a, "closure.settled_above"))
		if !a.State.Open() {
			s.finish()
		}
	}
	switch a.State {
	case supportbot.ActionSucceeded:
		r := a.Outcome.Closure
		lang := s.conv.Lang
		if s.conv.Flow == "" {
			s.slots.Last = &lastStep{Flow: "close", At: s.now} // "我后悔了 能撤回吗" next: how to withdraw it (undoAsked)
		}
		s.audit("closure_request", map[string]any{"reference": r.Reference, "expected_from": string(r.ExpectedFrom),
			"expected_to": string(r.ExpectedTo), "key": a.Key})
		s.notice("closure_request", map[string]string{"reference": r.Reference, "from": string(r.ExpectedFrom),
			"to": string(r.ExpectedTo)}) // dates: shown in the reader's language
		s.tellOtherDesks(s.staffT("agent.closure_elsewhere", "user", s.conv.ChatID, "reference", r.Reference))
		s.say(s.T("closure.submitted", "reference", r.Reference, "from", r.ExpectedFrom.Format(lang), "to", r.ExpectedTo.Format(lang),
			"min", closureDaysMin, "max", closureDaysMax),
			[]supportbot.Button{s.menuBtn(s.T("menu.closure"), "closure"), s.menuBtn(s.T("menu.messages"), "messages")})
		return nil
	case supportbot.ActionRefused:
		ce := a.Outcome.Refusal
		details := map[string]any{"key": a.Key}
		if ce != nil {
			details["code"] = string(ce.Code)
			var reasons []string
			for _, r := range ce.Reasons {
				reasons = append(reasons, string(r))
			}
			if len(reasons) > 0 {
				details["reasons"] = strings.Join(reasons, ",")
			}
			if ce.Closure != nil {
				details["reference"] = ce.Closure.Reference // the request already open
			}
		}
		s.audit("closure_refused", details)
		switch {
		case ce != nil && ce.Code == supportbot.CoreAlreadyOpen && ce.Closure != nil:
			s.say(s.T("closure.exists")+"\n\n"+s.closureText(ce.Closure),
				[]supportbot.Button{s.menuBtn(s.T("menu.messages"), "messages"), s.humanBtn()})
			return nil
		case ce != nil && ce.Code == supportbot.CoreNotEligible:
			s.core.forget(s.conv.CustomerID)
			if blocked, err := closureBlocked(s); blocked || extra(err) != nil {
				return extra(err)
			}
			// The core sees a reason the bot does not: say it as the core did.
			var lines []string
			for _, r := range ce.Reasons {
				lines = append(lines, s.T("closure.reason_"+string(r)))
			}
			s.say(s.T("closure.blocked")+"\n"+strings.Join(lines, "\n"), []supportbot.Button{s.humanBtn()})
			return nil
		}
		s.say(s.T("closure.failed"), []supportbot.Button{s.humanBtn()})
		return nil
	case supportbot.ActionPending, supportbot.ActionUnknown, supportbot.ActionProcessing:
		s.say(s.T("closure.slow"))
		return nil
	}
	s.audit("closure_failed", map[string]any{"key": a.Key})
	s.say(s.T("closure.failed"), []supportbot.Button{s.humanBtn()})
	return nil
}

func showClosure(s *Step) error {
	defer s.finish()
	r, err := latestClosure(s)
	if err != nil {
		return err
	}
	if r == nil {
		s.say(s.T("closure.none"), []supportbot.Button{s.menuBtn(s.T("menu.close"), "close")},
			[]supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
		return nil
	}
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.messages"), "messages"), s.humanBtn()}}
	if r.Status == supportbot.ClosureRejected {
		rows = append([][]supportbot.Button{{s.menuBtn(s.T("menu.close"), "close")}}, rows...)
	}
	s.say(s.closureText(r), rows...)
	return nil
}

func (s *Step) closureText(r *supportbot.ClosureRequest) string {
	return closureText(func(key string, args ...any) string { return s.T(key, args...) }, s.conv.Lang, s.e.cfg.Location, r)
}

// closureText describes a request: reference, status, dates.
func closureText(t func(string, ...any) string, lang supportbot.Lang, loc *time.Location, r *supportbot.ClosureRequest) string {
	status := "closure.status_" + r.Status
	if r.Status == supportbot.ClosureRejected && r.Reason == "" { // the core gave none
		status = "closure.status_rejected_plain"
	}
	reason, _ := supportbot.MaskSecrets(r.Reason) // a card or ID number in the core's words (an operator probe)
	lines := []string{t("closure.status_header", "reference", r.Reference), t(status, "reason", reason)}
	if r.Status == supportbot.ClosureCompleted && reason != "" {
		lines = append(lines, t("closure.status_note", "reason", reason))
	}
	lines = append(lines, t("closure.status_submitted_on", "date", supportbot.DateOf(r.CreatedAt, loc).Format(lang)))
	if r.Open() {
		lines = append(lines, t("closure.status_expected", "from", r.ExpectedFrom.Format(lang), "to", r.ExpectedTo.Format(lang)))
	} else if !r.DecidedAt.IsZero() {
		lines = append(lines, t("closure.status_decided_on", "date", supportbot.DateOf(r.DecidedAt, loc).Format(lang)))
	}
	return strings.Join(lines, "\n")
}

// ClosureUpdate renders, in lang, what a customer is told when their closure
// request was decided.
func (e *Engine) ClosureUpdate(lang supportbot.Lang, r *supportbot.ClosureRequest) string {
	t := func(key string, args ...any) string { return e.cfg.Catalog.T(lang, key, args...) }
	return t("closure.update") + "\n\n" + closureText(t, lang, e.cfg.Location, r)
}

// namesClosure reports text that names one of the customer's closure
// requests by its id ("CR-20261205-0001 到哪一步了"): a probe got the mall's
// orders. Read only when the text holds an id-like word.
func (s *Step) namesClosure(text string) (bool, error) {
	words := idWord.FindAllString(text, 3)
	if s.conv.CustomerID == "" || len(words) == 0 {
		return false, nil
	}
	list, err := s.closures()
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(list, func(c supportbot.ClosureRequest) bool {
		return slices.ContainsFunc(words, func(w string) bool { return strings.EqualFold(w, c.Reference) })
	}), nil
}

// idWord is a word of letters and digits, dashes between, that may be an
// id: letters first, then a digit within.
var idWord = regexp.MustCompile(`\b[A-Za-z]{1,8}[-_]?[0-9][0-9A-Za-z_-]{3,}\b`)

// maskIDAnswer hides every digit of a line said at the closure's ID step —
// Arabic, full-width or Chinese, and an X or x beside one: its answer is
// the ID's last 4, which an agent must not read however it was typed (a
// probe: "857 X", "八五七X" and "后四位是 8 5 7 X 吗" reached the staff card
// and the ticket's question as typed).
func maskIDAnswer(line string) string {
	rs := []rune(line)
	isDigit := func(r rune) bool {
		return unicode.IsDigit(r) || strings.ContainsRune("零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖", r)
	}
	// neighbour is the rune next to i on the side of step (±1), past
	// spaces and dashes; 0 at the line's end.
	neighbour := func(i, step int) rune {
		for j := i + step; j >= 0 && j < len(rs); j += step {
			if !unicode.IsSpace(rs[j]) && !strings.ContainsRune("-－_.·", rs[j]) {
				return rs[j]
			}
		}
		return 0
	}
	out := slices.Clone(rs)
	for i, r := range rs {
		if isDigit(r) || strings.ContainsRune("xXｘＸ", r) && (isDigit(neighbour(i, -1)) || isDigit(neighbour(i, 1))) {
			out[i] = '*'
		}
	}
	return string(out)
}
