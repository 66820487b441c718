package flows

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/looplab/fsm"

	"supportbot"
	"supportbot/locale"
)

// Auto-repayment (/autopay): each open plan with its auto-repayment on (and
// the card it debits: the default one) or off; switch one → confirm → done.
func autopayFlow() *spec {
	return &spec{
		name:          "autopay",
		needsCustomer: true,
		reads:         []coreRead{readPlans, readCards},
		initial:       "idle",
		events: fsm.Events{
			{Name: "list", Src: []string{"idle"}, Dst: "listed"},
			{Name: "ask", Src: []string{"listed", "confirming"}, Dst: "confirming"},
			{Name: "set", Src: []string{"confirming"}, Dst: "done"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_listed": func(_ ctxT, e *fsm.Event) {
					if len(e.Args) == 0 { // a switch asked for in words: listed only if it names none
						e.Err = listAutopay(s)
					}
				},
				// after_, not enter_: asking about another plan is a self-transition.
				"after_ask": func(_ ctxT, e *fsm.Event) {
					askAutopay(s, e.Args[0].(*supportbot.Plan), e.Args[1].(bool), e.Args[2].(*supportbot.Card))
				},
				"enter_done": func(_ ctxT, e *fsm.Event) {
					e.Err = setAutopay(s, e.Args[0].(*supportbot.Plan), e.Args[1].(bool), e.Args[2].(*supportbot.Card))
				},
			}
		},
		start: func(s *Step, arg string) error {
			if arg == "" {
				return s.fire("autopay", "list")
			}
			// "turn on autopay for my pad": the switch asked for when the
			// words name one plan (or none is on to turn off), else the
			// list — not both, the list's buttons left live beside the
			// question (the harness caught it).
			open, err := s.openPlans()
			if err != nil {
				return err
			}
			if arg == "off" && !anyAutopayOn(open) {
				// None on to turn off: the list, to turn one on, and that said.
				if err := s.fire("autopay", "list"); err != nil || s.conv.State != "listed" {
					return err
				}
				_, err := switchTo(s, strings.ToLower(s.ev.Text), false, false)
				return err
			}
			if err := s.fire("autopay", "list", quietly); err != nil {
				return err
			}
			if asked, err := switchTo(s, strings.ToLower(s.ev.Text), arg == "on", false); asked || err != nil {
				return err
			}
			return listAutopay(s)
		},
		handle: handleAutopay,
		stale:  staleAutopay,
		keep:   "autopay.btn_keep",
	}
}

// anyAutopayOn reports whether any of the plans has auto-repayment on.
func anyAutopayOn(plans []supportbot.Plan) bool {
	return slices.ContainsFunc(plans, func(p supportbot.Plan) bool { return p.AutoRepay })
}

// quietly enters a list state without showing the list.
const quietly = true

// autopayLine is a plan's auto-repayment as bill views show it, or "" when off.
func autopayLine(s *Step, p supportbot.Plan, card *supportbot.Card) string {
	switch {
	case !p.AutoRepay:
		return ""
	case card == nil:
		return s.T("autopay.bill_line_no_card")
	case card.Frozen:
		return s.T("autopay.bill_line_frozen", "card", card.Masked())
	}
	return s.T("autopay.bill_line", "card", card.Masked())
}

func listAutopay(s *Step) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	if len(open) == 0 {
		s.finish()
		s.say(s.T("autopay.none"), []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("btn.menu"), "menu")})
		return nil
	}
	cards, err := s.cards()
	if err != nil {
		return err
	}
	card := defaultCard(cards)
	lines := []string{s.T("autopay.header")}
	var rows [][]supportbot.Button
	for i, p := range open {
		n := strconv.Itoa(i + 1)
		status := s.T("autopay.off")
		if p.AutoRepay {
			status = s.T("autopay.on_no_card")
			if card != nil {
				status = s.T("autopay.on", "card", card.Masked())
			}
		}
		lines = append(lines, s.T("autopay.item", "n", n, "product", p.Product, "order", p.OrderNo, "status", locale.HTML(status)))
		if p.AutoRepay {
			rows = append(rows, []supportbot.Button{s.btn(s.T("autopay.btn_off", "n", n, "product", p.Product), "off", p.ID)})
		} else {
			rows = append(rows, []supportbot.Button{s.btn(s.T("autopay.btn_on", "n", n, "product", p.Product), "on", p.ID)})
		}
	}
	lines = append(lines, "")
	switch {
	case card == nil:
		lines = append(lines, s.T("autopay.footer_no_card"))
	case card.Frozen && len(usableCards(cards)) == 0:
		lines = append(lines, s.T("autopay.footer_frozen_only", "card", card.Masked()))
	case card.Frozen:
		lines = append(lines, s.T("autopay.footer_frozen", "card", card.Masked()))
	default:
		lines = append(lines, s.T("autopay.footer", "card", card.Masked()))
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

// typedSwitch takes a switch typed at the list ("turn on autopay", "开启",
// "关掉笔记本的"): on or off, for the plan named, or for the one plan it
// would change. It is asked for as its button asks; a switch that names no
// plan when several could change is told to pick one.
func typedSwitch(s *Step) (bool, error) {
	text := strings.ToLower(s.ev.Text)
	on, said := switchSaid(text)
	if !said || asks(text) {
		return false, nil
	}
	return switchTo(s, text, on, true)
}

// switchTo asks to switch auto-repayment on or off for the plan text names,
// or the one plan it would change; when it cannot tell which, it says so if
// tell is set, and reports false otherwise.
func switchTo(s *Step, text string, on, tell bool) (bool, error) {
	open, err := s.openPlans()
	if err != nil {
		return true, err
	}
	if !on && !anyAutopayOn(open) {
		// "帮我把自动扣款关了" with none on: said, not "pick one first" (a
		// probe) — nor the list's "turn on" buttons left to answer it. A
		// booking still to run is what "stop the automatic debit" may
		// mean: said, with the way to cancel it (a probe).
		booked, err := s.hasBooking()
		if err != nil || !booked {
			s.say(s.T("autopay.none_on"))
			return true, err
		}
		s.say(s.T("autopay.none_on")+"\n"+s.T("autopay.none_on_booked"), []supportbot.Button{s.menuBtn(s.T("menu.cancel"), "cancel")})
		return true, nil
	}
	names := productsOf(open)
	t := switchPhrases.Replace(text)
	if kindsSaid(bare(t)) > 1 || severalNamed(bare(t), names) {
		// "turn on autopay for the earbuds and the vacuum": the list, each
		// its own switch (a probe: the vacuum's question alone, the
		// earbuds dropped without a word).
		return false, nil
	}
	n := listChoice(t, len(open), names)
	if n == 0 {
		n = planSaid(bare(t), open) // "turn off autopay for the laptop"
	}
	if kind, _ := kindSaid(bare(t)); n == 0 && kind < 0 && nameChoice(bare(t), names) == 0 {
		// No plan named at all: the one plan it would change.
		n = onlyOne(len(open), func(i int) bool { return open[i].AutoRepay != on })
	}
	if n == 0 {
		if tell { // several it could be: the list still waits for a pick
			s.say(s.T("step.pick_first"))
		}
		return tell, nil
	}
	return true, pickAutopay(s, open[n-1].ID, on)
}

// autopayArg is a switch the words that open auto-repayment ask for ("turn
// on autopay for my pad"): "on", "off", or "" (a question, or no switch).
func autopayArg(text string) string {
	l := strings.ToLower(text)
	if on, said := switchSaid(l); said && !asks(l) {
		return map[bool]string{true: "on", false: "off"}[on]
	}
	return ""
}

// asksAutopayState is a question whether auto-repayment is on ("自动还款还
// 开着吗", "自动还款有没有开", "is autopay still on?"), not how to set it.
func asksAutopayState(text string) bool {
	t := strings.ToLower(text)
	return (asks(text) || containsAny(t, "有没有开", "开没开", "关没关")) && autopayState.MatchString(t) &&
		!containsAny(t, howWhereWhy...)
}

var autopayState = regexp.MustCompile(`[开关](?:着|了没|了吗|通了|上了|掉了)|开没开|有没有开|是开|是关|还开|` +
	`^(?:is|are|was)\s+(?:my\s+|the\s+)?(?:autopay|auto[- ]?pay|auto[- ]?repayment|auto[- ]?debit|it)\s+(?:still\s+|already\s+)?(?:on|off|enabled|disabled|active|turned on|turned off|set up)\b`)

// wantsAutopay is auto-repayment asked for in words that name no switch:
// "以后每个月帮我自动扣吧", "每期自动还款吧".
var wantsAutopay = regexp.MustCompile(`(?:以后|每个?月|每期).{0,6}自动(?:扣|还)(?:款|钱)?(?:吧|好了|就行|就好)[。.!！]*$`)

// dropsAutopay is auto-repayment not wanted any more ("不想自动还款了",
// "不要自动扣款了", "I don't want autopay"): a request to turn it off, not
// the FAQ's case for it.
var dropsAutopay = regexp.MustCompile(`(?:不想|不要|不用|别|不需要)(?:再)?(?:用)?自动(?:还款|扣款)|` +
	`自动(?:还款|扣款|扣费)(?:给我|帮我)(?:停|取消|关|撤)|自动(?:还款|扣款|扣费)(?:取消|关闭|关掉|停掉)(?:吧|了吧)?$|` +
	// "把笔记本的自动扣款停一下", "暂停自动还款" (a probe: the list, to turn it on)
	`自动(?:还款|扣款|扣费)(?:先)?(?:停|暂停|关)(?:一下|一段时间|下|掉)|(?:暂停|停掉|停用|停止)(?:我的|.{0,8}的)?自动(?:还款|扣款|扣费)|` +
	`\b(?:stop|pause|suspend|disable|turn off|switch off)\s+(?:the\s+|my\s+)?(?:automatic|auto)[- ]?(?:payments?|repayments?|debits?|deductions?)\b|` +
	`\b(?:stop|no more|don'?t want|do not want|don'?t need)\s+(?:the\s+)?(?:autopay|auto-?pay|auto[- ]repayment)|` +
	`\b(?:don'?t|do not|stop|quit|no more)\s+auto(?:matically|matic)?[- ]?(?:charg|debit|deduct)(?:e|es|ed|ing|s)?\s+(?:me|my account)\b`) // "pls dont auto charge me anymore"; not a card named, nor "i don't autopay"

// switchOn and switchOff are the words of a typed switch, anywhere in a
// message; autopayNames name the setting.
var (
	switchOn     = []string{"turn on", "switch on", "enable", "开启", "打开", "开通", "开一下", "也开", "开自动", "开个自动", "开下自动", "把自动还款开", "把自动扣款开", "开了吧", "开上"}
	switchOff    = []string{"turn off", "switch off", "disable", "关闭", "关掉", "关了", "停用", "关一下", "也关", "停掉", "停了"}
	autopayNames = []string{"auto-repayment", "auto repayment", "autopay", "auto pay", "自动还款", "自动扣款"}
)

// switchPhrases take the words of a switch from around the plan it names
// ("关掉手机的" names 手机, "turn on autopay for the laptop" the laptop).
var switchPhrases = func() *strings.Replacer {
	pairs := []string{" for ", " "}
	for _, w := range slices.Concat(switchOn, switchOff, autopayNames) {
		pairs = append(pairs, w, "")
	}
	return strings.NewReplacer(pairs...)
}()

// elsewhereAsked: words at an auto-repayment question, its own words taken
// out, that are about another matter of a plan — a booking, a bill, a
// payoff, the account.
var elsewhereAsked = regexp.MustCompile(`预约|账单|结清|提前还|这期|本期|注销|\b(booking|scheduled|bill|pay ?off|payoff|pay|close)\b`)

// switchSaid reads "on" or "off" in a typed switch.
func switchSaid(text string) (on, said bool) {
	text = strings.ReplaceAll(text, "离开", "") // "离开自动还款页面": leaving, not turning on
	w := bare(text)
	switch {
	case switchWords[true][w] || containsAny(text, switchOn...):
		return true, true
	case switchWords[false][w] || containsAny(text, switchOff...):
		return false, true
	}
	return false, false
}

// switchWords say to turn auto-repayment on (true) or off (false), typed
// at its confirmation ("关吧" — not the FAQ's "can I turn installments off").
var switchWords = map[bool]map[string]bool{
	true: {"开吧": true, "开启吧": true, "打开吧": true, "开了吧": true, "开启": true, "打开": true, "开": true,
		"turn it on": true, "switch it on": true, "on": true, "turn on": true, "switch on": true, "enable": true, "enable it": true},
	false: {"关吧": true, "关闭吧": true, "关掉吧": true, "关了吧": true, "关掉": true, "关闭": true, "关": true,
		"turn it off": true, "switch it off": true, "off": true, "turn off": true, "switch off": true, "disable": true, "disable it": true},
}

// switchForm is a typed switch as switchWords hold it: without a yes in
// front of it or a "then" after it ("ok turn it on then", "yes turn it on",
// "好的 开吧").
func switchForm(text string) string {
	w := bare(text)
	for _, lead := range []string{"ok ", "okay ", "yes ", "yeah ", "yep ", "sure ", "好的 ", "好的，", "好的", "好 ", "嗯 ", "那就"} {
		w = strings.TrimPrefix(w, lead)
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(w, " then"), " now"))
}

// offLater asks whether auto-repayment, once on, can be turned off ("开了
// 能关吗", "以后还能取消吗", "can i turn it off later").
var offLater = regexp.MustCompile(`(?:能|可以|可不可以|能不能|还能)(?:再|随时)?(?:关|取消|停)(?:掉|了|它)?(?:吗|嘛|么|[?？])|能不能(?:再|随时)?关|关得掉|关得了|` +
	`\bcan (?:i|you|we) (?:turn|switch|shut|stop) (?:it |this |autopay |auto-?repayment )?off\b|\b(?:turn|switch|shut) (?:it )?off later\b|\b(?:cancel|stop) (?:it )?later\b`)

// switchAgain asks whether auto-repayment can be turned on again later
// ("开了以后还能再开吗", "关了还能重新开吗", "can i turn it back on later?");
// off later is offLater's.
var switchAgain = regexp.MustCompile(`(?:还能|能不能|可以|能|可不可以)(?:再|重新)(?:开|打开|开启)|(?:再|重新)(?:开|打开|开启)(?:吗|嘛|么|[?？])|` +
	`\b(?:turn|switch) it (?:back )?on again\b|\bturn it back on\b|\bswitch it back on\b`)

func handleAutopay(s *Step, a action) (bool, error) {
	switch a.Name {
	case "":
		label := s.T("autopay.btn_confirm_off")
		if s.slots.On {
			label = s.T("autopay.btn_confirm_on")
		}
		if s.ev.Kind == supportbot.EventText && s.conv.State == "confirming" {
			text := strings.ToLower(s.ev.Text)
			p, err := openPlanSaid(s, switchPhrases.Replace(text))
			on, switched := switchSaid(text)
			switch {
			case err != nil:
				return true, err
			case p != nil && p.ID != s.slots.Plan && elsewhereAsked.MatchString(switchPhrases.Replace(text)):
				// "取消笔记本的预约" at the phone's: the laptop's booking,
				// for the readers of free text — not the laptop's switch (a
				// probe was asked to turn it on, a 确认 away).
				return false, nil
			case p != nil && p.ID != s.slots.Plan:
				// "开启笔记本的", "actually the laptop" at the phone's: that
				// plan's question, never a yes to this one.
				if !switched {
					on = s.slots.On
				}
				return true, pickAutopay(s, p.ID, on)
			case p != nil && switched && on == s.slots.On && !asks(s.ev.Text):
				return true, confirmAutopay(s, s.slots.Plan, on) // "开启手机的" at the phone's: its own switch, its plan named
			}
		}
		if s.ev.Kind == supportbot.EventText && s.conv.State == "confirming" && (agrees(s.ev.Text) || typedLabel(s.ev.Text, label) ||
			switchWords[s.slots.On][switchForm(s.ev.Text)]) {
			return true, confirmAutopay(s, s.slots.Plan, s.slots.On)
		}
		if s.ev.Kind == supportbot.EventText && s.conv.State == "confirming" && asksWhichCard(s, s.ev.Text) {
			return true, pickAutopay(s, s.slots.Plan, s.slots.On) // the question again: it names the card
		}
		if s.ev.Kind == supportbot.EventText && s.conv.State == "confirming" && s.slots.On && offLater.MatchString(strings.ToLower(s.ev.Text)) &&
			!containsAny(strings.ToLower(s.ev.Text), "分期", "订单", "提醒", "预约", "installment", "plan", "order", "reminder", "booking") {
			// "开了能关吗" at the question to turn it on: yes, whenever (a
			// probe: the installment's own "no off switch", confidently).
			s.say(s.T("autopay.off_later"))
			return true, pickAutopay(s, s.slots.Plan, true)
		}
		if s.ev.Kind == supportbot.EventText && s.conv.State == "confirming" && !s.slots.On && offStopsAsked.MatchString(strings.ToLower(s.ev.Text)) {
			// "wait does this stop tomorrows payment?" at turning it off:
			// yes, auto-repayment's next debit — a booking is not (an
			// audit: "no scheduled repayments", the yes or no never given).
			p, err := s.plan(s.slots.Plan)
			if err != nil {
				return true, err
			}
			if p != nil {
				if told, err := offStops(s, *p); told || err != nil {
					return true, err
				}
			}
		}
		if s.ev.Kind == supportbot.EventText && s.conv.State == "confirming" && switchWords[!s.slots.On][switchForm(s.ev.Text)] {
			return true, s.declineStep() // "turn it off" asked whether to turn it on: left as it is
		}
		if l := strings.ToLower(s.ev.Text); s.ev.Kind == supportbot.EventText && (s.conv.State == "listed" || s.conv.State == "confirming") &&
			switchAgain.MatchString(l) && !containsAny(l, "分期", "订单", "提醒", "预约", "注销", "账户", "installment", "plan", "order", "reminder", "booking", "account") {
			// "开了以后还能再开吗" at the list: yes, whenever (a probe got the
			// closure's guide); the step stays.
			s.say(s.T("autopay.switch_again"))
			return true, nil
		}
		if s.ev.Kind == supportbot.EventText && (s.conv.State == "listed" || s.conv.State == "confirming") {
			if said, err := autopayCardSaid(s, s.ev.Text); said || err != nil {
				return said, err
			}
		}
		if s.ev.Kind == supportbot.EventText && s.conv.State == "listed" {
			if handled, err := typedSwitch(s); handled || err != nil {
				return handled, err
			}
			// Its place in the list typed ("1", "第一个"), as the list asks
			// for: that plan, turned the other way (a probe: "can't answer").
			w := bare(s.ev.Text)
			n, err := strconv.Atoi(w)
			if err != nil {
				n = ordinal(w)
			}
			if open, err := s.openPlans(); err != nil || n > 0 && n <= len(open) {
				if err != nil {
					return true, err
				}
				return true, pickAutopay(s, open[n-1].ID, !open[n-1].AutoRepay)
			}
			// A plan named alone ("笔记本", "actually the phone"): its
			// button, which turns it the other way (a probe: a miss, and
			// two of them offered a person).
			if !kindFollowUp(s.ev.Text) {
				return false, nil
			}
			p, err := openPlanSaid(s, strings.ToLower(s.ev.Text))
			if err != nil || p == nil {
				return err != nil, err
			}
			return true, pickAutopay(s, p.ID, !p.AutoRepay)
		}
		return false, nil
	case "on", "off":
		return true, pickAutopay(s, a.Arg, a.Name == "on")
	case "ok_on", "ok_off":
		if a.Arg != s.slots.Plan || s.slots.On != (a.Name == "ok_on") {
			s.expired()
			return true, nil
		}
		return true, confirmAutopay(s, a.Arg, s.slots.On)
	}
	return false, nil
}

// offStopsAsked asks whether turning auto-repayment off stops a debit
// ("does this stop tomorrow's payment?", "关了明天就不扣了吧").
// offStops says what turning auto-repayment off leaves of a plan's debits:
// an overdue period asked of is none of its to debit; the next period is
// not debited by it any more — unless a booking pays it, which runs (audits:
// "关了以后K80今天还扣吗" got "会" and "the period is not debited, pay it
// yourself" with that period being debited by its booking; "逾期那期还会扣
// 吗" was answered of the next period). It reports whether it told.
func offStops(s *Step, p supportbot.Plan) (bool, error) {
	late := slices.IndexFunc(p.Bills, func(b supportbot.Bill) bool { return b.Overdue(s.today) })
	if late >= 0 && overdueNamed(strings.ToLower(s.ev.Text)) {
		b := p.Bills[late]
		s.say(s.T("autopay.off_overdue", "period", b.Period, "amount", money(b.Due())) + "\n" + s.confirmHow())
		return true, nil
	}
	b, ok := nextNotOverdue(p, s.today)
	if !ok {
		return false, nil
	}
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	key := "autopay.off_stops"
	if slices.ContainsFunc(sched, func(r supportbot.ScheduledRepayment) bool {
		return r.PlanID == p.ID && r.Period == b.Period && (r.Status == supportbot.ScheduledScheduled || r.Status == supportbot.ScheduledProcessing)
	}) {
		key = "autopay.off_booked"
	}
	s.say(s.T(key, "date", s.day(b.DueDate), "period", b.Period, "amount", money(b.Amount())) + "\n" + s.confirmHow())
	return true, nil
}

var offStopsAsked = regexp.MustCompile(`\b(?:does|will|would) (?:this|it|that|turning it off) (?:stop|cancel|prevent)\b|\bso (?:it|they) (?:won'?t|will not) (?:take|charge|debit)\b|` +
	`(?:关了|关掉|关闭)(?:以后|之后|的话)?[^，。？?]{0,8}(?:就)?(?:不扣|不会扣|不再扣|还扣|还会扣)`)

// autopayPlan finds one of the customer's open plans and the card its
// auto-repayment would debit; it answers and returns nil when there is none,
// or when turning on cannot work (no card, a frozen default card).
func autopayPlan(s *Step, planID string, on bool) (*supportbot.Plan, *supportbot.Card, error) {
	p, err := s.plan(planID)
	if err != nil {
		return nil, nil, err
	}
	if p == nil {
		s.expired()
		return nil, nil, nil
	}
	if !p.Open() {
		s.finish()
		s.say(s.T("repay.already_settled", "product", p.Product), []supportbot.Button{s.menuBtn(s.T("menu.autopay"), "autopay")})
		return nil, nil, nil
	}
	cards, err := s.cards()
	if err != nil {
		return nil, nil, err
	}
	card := defaultCard(cards)
	if on && card == nil {
		s.finish()
		s.say(s.T("autopay.no_card")+"\n\n"+s.T("cards.bind_howto"), []supportbot.Button{s.humanBtn()},
			[]supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
		return nil, nil, nil
	}
	if on && card.Frozen {
		s.finish()
		s.say(s.T("autopay.card_frozen", "card", card.Masked()), []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards"), s.humanBtn()})
		return nil, nil, nil
	}
	return p, card, nil
}

func pickAutopay(s *Step, planID string, on bool) error {
	p, card, err := autopayPlan(s, planID, on)
	if p == nil || err != nil {
		return err
	}
	if p.AutoRepay == on {
		s.say(autopayAlready(s, p, on))
		return nil
	}
	return s.fire("autopay", "ask", p, on, card)
}

// autopayCardSaid answers a card named to debit from at the switch ("用建
// 行卡扣", "use my HSBC card"): auto-repayment takes the default card —
// this one, or another, made the default under /cards — and the step
// waits as it was. A probe's "用建行卡扣" at "开启自动还款吗？" was read as a
// payment on that card: the bill's quote replaced the question, and the
// 确认 meant for auto-repayment paid ¥616.25.
func autopayCardSaid(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if !containsAny(l, "卡", "card") && bankIn(l, s.conv.Lang) == "" || !containsAny(l, "用", "扣", "从", "换", "use", "with", "from", "charge", "debit", "switch") ||
		asks(text) || containsAny(l, "哪", "什么", "which", "what") || paysThisPeriod.MatchString(l) || asksPayoff(l) { // "which card does autopay use": the readers'
		return false, nil
	}
	line, err := autopayCardLine(s, l)
	if err != nil || line == "" {
		return false, err
	}
	if s.conv.State != "confirming" {
		s.say(line, []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards")})
		return true, nil
	}
	s.lead = line
	return true, pickAutopay(s, s.slots.Plan, s.slots.On) // the question again, on the card it debits
}

// autopayCardLine says which card auto-repayment debits, to a customer
// who named one in l: the default — this one, or another to be made the
// default first, or a frozen one it cannot use. "" with no card bound.
func autopayCardLine(s *Step, l string) (string, error) {
	cards, err := s.cards()
	if err != nil || len(cards) == 0 {
		return "", err
	}
	def, named := defaultCard(cards), cardChoice(bare(l), cards)
	switch {
	case named > 0 && cards[named-1].Frozen && cards[named-1].ID != def.ID:
		return s.T("autopay.card_named_frozen", "card", def.Masked(), "named", cards[named-1].Masked()), nil
	case named > 0 && cards[named-1].ID != def.ID:
		return s.T("autopay.card_not_default", "card", def.Masked(), "named", cards[named-1].Masked()), nil
	}
	return s.T("autopay.card_is_default", "card", def.Masked()), nil
}

// autopayOnCardAsked turns auto-repayment on, asked with a card to debit
// ("以后自动还款都用建行卡 帮我开一下", "turn on autopay with my hsbc card":
// a probe got unsure — and once this bill's quote on that card, which a
// 确认 paid): the question to turn it on, the card it takes said above.
func (s *Step) autopayOnCardAsked(text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || !containsAny(l, slices.Concat(autopayNames, []string{"auto-pay", "auto repay", "automatic payment"})...) ||
		!containsAny(l, "卡", "card") && bankIn(l, s.conv.Lang) == "" || asks(text) || aboutSomeoneElse(text) {
		return false, nil
	}
	if on, said := switchSaid(l); !said || !on {
		return false, nil
	}
	line, err := autopayCardLine(s, l)
	if err != nil || line == "" {
		return false, err
	}
	s.conv.Misses = 0
	s.lead = line
	return true, s.startFlow("autopay", "on")
}

func autopayAlready(s *Step, p *supportbot.Plan, on bool) string {
	if on {
		return s.T("autopay.already_on", "product", p.Product)
	}
	return s.T("autopay.already_off", "product", p.Product)
}

func askAutopay(s *Step, p *supportbot.Plan, on bool, card *supportbot.Card) {
	op, key, btn := "ok_off", "autopay.confirm_off", "autopay.btn_confirm_off"
	if on {
		op, key, btn = "ok_on", "autopay.confirm_on", "autopay.btn_confirm_on"
	}
	s.slots.Plan, s.slots.On = p.ID, on
	masked := ""
	if card != nil {
		masked = card.Masked()
	}
	s.say(s.T(key, "product", p.Product, "card", masked),
		[]supportbot.Button{s.btn(s.T(btn), op, p.ID)},
		[]supportbot.Button{s.button(s.T("autopay.btn_keep"), Callback{Kind: CallbackLeave, Nonce: s.nonce()}), s.humanBtn()})
}

func confirmAutopay(s *Step, planID string, on bool) error {
	p, card, err := autopayPlan(s, planID, on)
	if p == nil || err != nil {
		return err
	}
	return s.fire("autopay", "set", p, on, card)
}

func setAutopay(s *Step, p *supportbot.Plan, on bool, card *supportbot.Card) error {
	s.finish()
	changed := p.AutoRepay != on
	action, cardID, masked := "autopay_off", "", ""
	if on {
		action = "autopay_on"
	}
	if card != nil {
		cardID, masked = card.ID, card.Masked()
	}
	updated, err := s.e.core.SetAutoRepay(s.ctx, s.key("autopay"), s.conv.CustomerID, p.ID, on)
	if ce := refusal(err); ce != nil && ce.NotFound() {
		s.expired()
		return nil
	}
	if err == nil && changed && (updated == nil || updated.ID != p.ID || updated.AutoRepay != on) {
		err = fmt.Errorf("%w: auto-repayment of %s answered unchanged", supportbot.ErrCoreBadAnswer, p.ID)
	}
	if unavailableErr(err) {
		// The core may have made the change without saying so: what it
		// has now tells, and what cannot be read is told as unconfirmed,
		// never as "nothing was done".
		s.core.forget(s.conv.CustomerID)
		if now, rerr := s.plan(p.ID); rerr != nil || now == nil || now.AutoRepay != on {
			s.unconfirmed(action, s.T("autopay.unconfirmed_"+strings.TrimPrefix(action, "autopay_"), "product", p.Product),
				map[string]any{"plan_id": p.ID, "card_id": cardID}, s.menuBtn(s.T("menu.autopay"), "autopay"))
			return nil
		}
		err = nil // made: this call's doing
	}
	if err != nil {
		return err
	}
	s.core.forget(s.conv.CustomerID)
	if !changed {
		s.say(autopayAlready(s, p, on), []supportbot.Button{s.menuBtn(s.T("menu.autopay"), "autopay")})
		return nil
	}
	s.audit(action, map[string]any{"plan_id": p.ID, "card_id": cardID})
	params := map[string]string{"product": p.Product}
	if on {
		params["card"] = masked
	}
	s.notice(action, params)
	s.records = true // the confirmation of a change stays
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.autopay"), "autopay"), s.menuBtn(s.T("menu.messages"), "messages")},
		{s.humanBtn(), s.menuBtn(s.T("btn.menu"), "menu")}} // a person a tap away (a probe: none was)
	if !on {
		s.say(s.T("autopay.done_off", "product", p.Product), rows...)
		return nil
	}
	text := s.T("autopay.done_on", "product", p.Product, "card", masked)
	// Auto-repayment debits on due dates to come; what is overdue already
	// is still to be paid by hand.
	if total, overdue, _ := dueNow(*p, s.today, nil); overdue {
		late := overduePeriods(*p, s.today)
		text += "\n\n" + s.T("autopay.overdue_hint", "periods", periodList(s, late), "n", len(late), "amount", money(total))
		rows = append([][]supportbot.Button{{s.menuBtn(s.T("pay.btn_bill"), "pay:"+p.ID)}}, rows...)
	}
	s.say(text, rows...)
	return nil
}

// staleAutopay answers an old confirm button whose switch is done already:
// nothing more is done (and nothing audited again).
func staleAutopay(s *Step, a action) (bool, error) {
	if a.Name != "ok_on" && a.Name != "ok_off" {
		return false, nil
	}
	p, err := s.plan(a.Arg)
	if err != nil || p == nil {
		return err != nil, err
	}
	on := a.Name == "ok_on"
	if p.AutoRepay != on {
		return false, nil
	}
	s.say(autopayAlready(s, p, on), []supportbot.Button{s.menuBtn(s.T("menu.autopay"), "autopay")})
	return true, nil
}

// overduePeriods are a plan's overdue periods.
func overduePeriods(p supportbot.Plan, today supportbot.Date) []int {
	var ps []int
	for _, b := range p.Bills {
		if b.Overdue(today) {
			ps = append(ps, b.Period)
		}
	}
	return ps
}
