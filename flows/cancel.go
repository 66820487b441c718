package flows

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"supportbot"
	"supportbot/locale"
)

// dueSoonDays: cancelling a repayment whose bill is due this soon earns a warning.
const dueSoonDays = 3

// cancelItWords ask, at a cancellation, to cancel the booking: answered
// with how to confirm it.
var cancelItWords = map[string]bool{"取消它": true, "取消掉": true, "嗯 取消掉": true, "取消吧": true, "帮我取消": true, "取消这笔": true,
	"cancel it": true, "yes cancel it": true, "please cancel it": true, "cancel this one": true, "取消这个": true,
	"就这个": true, "取消这一笔": true, "cancel that": true, "cancel that one": true, "yes cancel that": true, "this one": true}

// cancelsIt is a go-ahead to cancel the booking in more words ("yes please
// cancel it", "ok cancel the repayment", "好的 帮我取消掉吧").
var cancelsIt = regexp.MustCompile(`^(?:(?:yes|yeah|yep|ok|okay|sure)[ ,]*)?(?:please )?cancel (?:it|this|that|this one|that one|the repayment|` +
	`this repayment|the booking|this booking|the scheduled repayment)(?: please| now)?$|` +
	`^(?:(?:是的?|对|好的?|嗯)[ ，,]*)?(?:请|帮我)?取消(?:它|掉|吧|这笔|这个|这一笔)(?:吧)?$`)

// Cancel a scheduled repayment: list → choose → confirm → cancelling (a money
// action) → cancelled, once. Whether one can still be cancelled is the
// core's cut-off (ScheduledRepayment.Cancellable: not once the bank is
// debiting it — processing, or running within 2 hours).
func cancelFlow() *spec {
	return &spec{
		name:          "cancel",
		needsCustomer: true,
		reads:         []coreRead{readScheduled, readPlans, readCards},
		initial:       "idle",
		events: fsm.Events{
			{Name: "list", Src: []string{"idle"}, Dst: "choosing"},
			{Name: "pick", Src: []string{"choosing", "confirming"}, Dst: "confirming"},
			{Name: "confirm", Src: []string{"confirming"}, Dst: "cancelling"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_choosing": func(_ ctxT, e *fsm.Event) {
					if len(e.Args) == 0 { // one named in the request: picked next, not listed
						e.Err = listScheduled(s)
					}
				},
				"after_pick":       func(_ ctxT, e *fsm.Event) { e.Err = askCancel(s, e.Args[0].(*scheduledView)) },
				"enter_cancelling": func(_ ctxT, e *fsm.Event) { cancelling(s, e.Args[0].(*scheduledView)) },
			}
		},
		start: func(s *Step, _ string) error {
			v, err := bookingAsked(s)
			if err == nil && v == nil {
				err = ranAlreadySaid(s)
			}
			if err != nil || v == nil {
				if err == nil && s.ev.Kind == supportbot.EventText && allBookingsAsked.MatchString(strings.ToLower(s.ev.Text)) {
					if views, err := scheduledViews(s); err == nil && len(active(views)) >= 2 {
						defer s.say(s.T("cancel.one_at_a_time")) // under the list: "帮我把所有预约都取消了"
					}
				}
				return errors.Join(err, s.fire("cancel", "list"))
			}
			if err := s.fire("cancel", "list", v); err != nil {
				return err
			}
			return s.fire("cancel", "pick", v)
		},
		handle:  handleCancel,
		stale:   staleCancel,
		settled: settledCancel,
	}
}

// scheduledView is a scheduled repayment with what the customer needs to see.
type scheduledView struct {
	supportbot.ScheduledRepayment
	Product string
	Card    string
	DueDate supportbot.Date // of the bill it pays; "" if unknown
	BillDue bool            // that bill is unpaid
}

// paidAlready reports a booking still ahead whose period is paid: a
// second charge if it runs.
func (v *scheduledView) paidAlready() bool {
	return v.Live() && v.DueDate != "" && !v.BillDue
}

// paysInstead is the plan a customer at the list of bookings asks to pay
// now instead, in so many words and nothing else ("actually i'll just pay
// the pad now", "pay it now", "算了我直接还平板这期吧"): named, or — "it",
// "this one", nothing — the one plan of the list; nil otherwise. Not a
// refusal, a trouble, a question, a way to pay elsewhere or later, a payoff
// ("don't pay it", "i can't pay it", "i'll pay it in the app", "pay it all
// now", "我现在还没钱", "直接还清": a regression run had each quoted), nor
// a device the customer has none of.
//
// asked reports a payment asked that way whatever the plan: with none
// found, the bills' list is for the customer to pick from — not the
// booking the words' day or device picks (a probe: "now pay today's bill"
// picked today's booking to cancel, and a confirm cancelled it on its due
// date, nothing paid).
func paysInstead(s *Step, text string, list []*scheduledView) (p *supportbot.Plan, asked bool, err error) {
	l := strings.ToLower(strings.TrimSpace(text))
	m := payNowEN.FindStringSubmatch(l)
	for _, re := range []*regexp.Regexp{payNowZH, payPeriodZH, payNamedFirstZH} { // "还冰箱这期": a probe's 确认 cancelled that booking instead
		if m == nil {
			m = re.FindStringSubmatch(l)
		}
	}
	if m == nil || containsAny(l, "app", "wechat", "alipay", "cash", "card", "bank", "微信", "支付宝", "现金", "卡") {
		return nil, false, nil
	}
	open, err := s.openPlans()
	if err != nil {
		return nil, false, err
	}
	obj := strings.TrimSpace(m[1])
	if wordsIn(obj, "off") || slices.ContainsFunc(wholePlanEN, func(w string) bool { return wordsIn(obj, w) }) {
		return nil, false, nil // paying it off: not this bill
	}
	if obj == "today" || obj == "今天" { // "pay today's bill": the one plan due today
		if i := onlyOne(len(open), func(i int) bool {
			b, ok := open[i].NextDue()
			return ok && b.DueDate == s.today
		}); i > 0 {
			return &open[i-1], true, nil
		}
		return nil, true, nil
	}
	if !itself[obj] {
		if i := planSaid(bare(obj), open); i > 0 {
			return &open[i-1], true, nil
		}
		return nil, true, nil // a device none of theirs, or words not a plan's: the bills' list says
	}
	if len(list) == 0 || slices.ContainsFunc(list, func(v *scheduledView) bool { return v.PlanID != list[0].PlanID }) {
		return nil, true, nil // which plan, the words do not say
	}
	if i := slices.IndexFunc(open, func(p supportbot.Plan) bool { return p.ID == list[0].PlanID }); i >= 0 {
		return &open[i], true, nil // the list's one plan: "just pay it now"
	}
	return nil, true, nil
}

// payNowEN and payNowZH are a payment now asked for plainly, its object
// caught: "actually i'll just pay the pad now", "pay for it", "算了我直接还
// 平板这期吧", "那我现在就还这期".
var (
	payNowEN = regexp.MustCompile(`^(?:(?:actually|ok|okay|well|hmm|nah|oh|now|so|then)[,\s]+)*(?:(?:i'?ll|i will|i wanna|i want to|i need to|i'?d rather|let me)\s+)?` +
		`(?:just\s+)?pay\s+(?:for\s+)?(it|this|that|this one|that one|(?:the |my )?[a-z0-9]+(?: [a-z0-9]+)?)?` +
		`(?:'s)?(?:\s+(?:bill|period|installment|now|instead|today|right now|directly|then|this month|this period|manually|myself|by hand))*[\s.!]*$`)
	payNowZH = regexp.MustCompile(`^(?:算了|那|那就|还是|好吧)?[，,\s]*(?:我)?(?:还是)?(?:直接|现在就|马上就?)(?:还|付)(?:一下)?` +
		`([^，,。了没不能可要有在欠起吗呢？?清完掉]{0,10}?)(?:这一?期)?(?:的)?(?:吧|算了)?$`)
	// payNamedFirstZH: the plan first, paying it now last ("那Pro那个我现
	// 在手动还", "那电视这期我现在还": a probe cancelled a booking instead).
	payNamedFirstZH = regexp.MustCompile(`^(?:算了|那|那就|还是|好吧)?[，,\s]*([^，,。了没不能可要有在欠起吗呢？?清完掉我]{1,12}?)(?:那个|那笔|那期|这一?期|的)?\s*(?:我)?(?:现在|直接|马上|自己|手动)+(?:就)?(?:还|付)(?:一下|掉)?(?:吧)?$`)
	// payPeriodZH: a period's payment asked, its plan named ("还冰箱这期",
	// "帮我还小米15这期吧").
	payPeriodZH = regexp.MustCompile(`^(?:我要|我想|帮我|那|先|那我|那我就|我)?(?:手动|自己|直接|现在|先)?(?:还|付)(?:一下)?([^，,。了没不能可要有在欠起吗呢？?清完掉]{1,10}?)(?:的)?(?:这一?期|本期)(?:的?账单)?(?:吧)?$`)
)

// itself is an object that names no plan: the list's own.
var itself = map[string]bool{"": true, "it": true, "this": true, "that": true, "this one": true, "that one": true, "the bill": true,
	"my bill": true, "this bill": true, "这": true, "这个": true}

// bookingNamed reads a booking named by its period ("第7期", "period 7")
// or by the day of the month it runs ("取消14号那个", "on the 14th", "Dec
// 14"; an English ordinal alone only past the list's length: "the 2nd
// one" is its place) or, failing that, its bill is due ("15号的") — the
// one booking that fits, by its place in list; 0 for none or several. said
// reports a period or a day named, whether or not a booking fits.
func bookingNamed(s *Step, text string, list []*scheduledView) (n int, said bool) {
	text = inDigits(withoutOwnPayment(text)) // "period three", "the one on the fourth", "december fourth"
	if notThisBooking.MatchString(text) {
		return 0, true // "not period three, the other one": which is meant, a tap says
	}
	var tries []func(v *scheduledView) bool
	loc := s.e.cfg.Location
	if len(daySaid.FindAllString(text, -1)) > 1 {
		return 0, false // "10号和1月10号的都取消": two named, neither picked alone (a replay cancelled one, the other dropped)
	}
	day := firstNumber(daySaid, text)
	if d := firstNumber(ordinalSaid, text); day == 0 && d > len(list) {
		day = d
	}
	month := 0 // "1月10号那个", "2027年1月10日那个", "jan 10": that month's day (an audit: both bookings on a 10th, "none fits")
	if m := monthDaySaid.FindStringSubmatch(text); m != nil {
		month, _ = strconv.Atoi(m[1])
	} else if m := monthWord.FindStringSubmatch(text); m != nil && day > 0 {
		month = slices.Index(monthWords, m[1][:3]) + 1
	}
	if p := firstNumber(periodSaid, text); p > 0 {
		tries = append(tries, func(v *scheduledView) bool { return v.Period == p })
	} else if day > 0 && month > 0 {
		tries = append(tries, func(v *scheduledView) bool { at := v.RunAt.In(loc); return at.Day() == day && int(at.Month()) == month },
			func(v *scheduledView) bool {
				return v.DueDate != "" && v.DueDate.Time(loc).Day() == day && int(v.DueDate.Time(loc).Month()) == month
			})
	} else if day > 0 {
		tries = append(tries, func(v *scheduledView) bool { return v.RunAt.In(loc).Day() == day },
			func(v *scheduledView) bool { return v.DueDate != "" && v.DueDate.Time(loc).Day() == day })
	}
	if _, day := daysAhead(text, s.now.In(loc)); len(tries) > 0 || !day {
		tries = ofHourSaid(s, text, tries) // "明天9点那个" is bookingRunning's
	}
	return firstFit(list, ofKindSaid(text, tries)), len(tries) > 0
}

// monthDaySaid is a month and its day ("1月10号", "2027年1月10日").
var monthDaySaid = regexp.MustCompile(`(?:^|[^0-9])([0-9]{1,2})\s*月\s*[0-9]{1,2}\s*[日号]`)

// bookingAsked is the one booking the words that open the cancellation
// name — by its period, the day it runs or its bill is due, today or
// tomorrow, or its plan ("取消13号的预约还款", "cancel period 3 of the
// laptop", "取消笔记本的预约") — to go to its confirmation at once rather
// than the list (a probe); nil when they name none or several.
func bookingAsked(s *Step) (*scheduledView, error) {
	if s.ev.Kind != supportbot.EventText {
		return nil, nil
	}
	views, err := scheduledViews(s)
	if err != nil {
		return nil, err
	}
	list := active(views)
	text := strings.ToLower(s.ev.Text)
	n, said := bookingNamed(s, text, list)
	if n == 0 && !said {
		n, said = bookingRunning(s, text, list)
	}
	if n == 0 && !said && debitUnderWaySaid.MatchString(text) {
		// "我那笔正在扣款的能取消吗": the one being debited, if one is
		// (it is told why it cannot be cancelled).
		n = onlyOne(len(list), func(i int) bool { return list[i].Status == supportbot.ScheduledProcessing })
	}
	if n == 0 && !said {
		names := make([]string, len(list))
		for i, v := range list {
			names[i] = v.Product
		}
		// The plan named in the cancellation's own clause: "笔记本提前还清 顺便
		// 取消手机的预约" is the phone's booking (a replay got the laptop's,
		// its longer word read first).
		t := bare(clauseOf(text, "预约", "取消", "cancel", "booking", "scheduled"))
		if i := nameChoice(t, names); i > 0 {
			n = onlyOne(len(list), func(j int) bool { return list[j].PlanID == list[i-1].PlanID })
		} else if kind, _ := kindSaid(t); kind >= 0 {
			n = onlyOne(len(list), func(j int) bool { return kindShown(list[j].Product) == kind })
		}
	}
	if n == 0 {
		return nil, nil
	}
	return list[n-1], nil
}

// bookingPickedOtherwise is the booking of list a pick names in words a
// plan list takes too: its partner ("招联的"), the amount it shows ("499的"),
// the later or earlier ("晚一点的那个", "the earlier one"), or the one not
// of a kind of device ("不是手机的那个") — 0 for none (a probe got guides, or
// "none fits", for each).
func bookingPickedOtherwise(s *Step, text string, list []*scheduledView) (int, error) {
	t := bare(text)
	if len(list) < 2 {
		return 0, nil
	}
	plans, err := s.plans()
	if err != nil {
		return 0, err
	}
	partners := make([]string, len(list))
	amounts := make([]supportbot.Money, len(list))
	for i, v := range list {
		if j := slices.IndexFunc(plans, func(p supportbot.Plan) bool { return p.ID == v.PlanID }); j >= 0 {
			partners[i] = plans[j].Partner
		}
		amounts[i] = v.Amount
	}
	if i := partnerChoice(t, partners, true); i > 0 {
		return i, nil
	}
	if i := amountPick(t, amounts); i > 0 && !laterPick.MatchString(t) && !earlierPick.MatchString(t) {
		return i, nil
	}
	runs := func(later bool) int {
		return onlyOne(len(list), func(i int) bool {
			return !slices.ContainsFunc(list, func(o *scheduledView) bool {
				return later && o.RunAt.After(list[i].RunAt) || !later && o.RunAt.Before(list[i].RunAt)
			})
		})
	}
	switch {
	case laterPick.MatchString(t):
		return runs(true), nil
	case earlierPick.MatchString(t):
		return runs(false), nil
	}
	if left := notThisOne.FindString(t); left != "" {
		if kind, _ := kindSaid(left); kind >= 0 {
			return onlyOne(len(list), func(i int) bool { return kindShown(list[i].Product) != kind }), nil
		}
	}
	if m := notKind.FindStringSubmatch(t); m != nil {
		if kind, _ := kindSaid(m[1]); kind >= 0 {
			return onlyOne(len(list), func(i int) bool { return kindShown(list[i].Product) != kind }), nil
		}
	}
	return 0, nil
}

var (
	// laterPick and earlierPick point at the booking that runs last or
	// first.
	laterPick   = regexp.MustCompile(`^(?:时间)?(?:晚|后|迟)(?:一点|些)?的?(?:那个|那笔|这个)?$|^(?:the )?(?:later|latest)(?: one)?$`)
	earlierPick = regexp.MustCompile(`^(?:时间)?(?:早|近)(?:一点|些)?的?(?:那个|那笔|这个)?$|^(?:the )?(?:earlier|earliest|sooner|soonest)(?: one)?$`)
	// notKind is a booking named by the kind it is not ("不是手机的那个").
	notKind = regexp.MustCompile(`^(?:不是|not the |not my )(.+?)(?:的|那个|那笔| one)*$`)
)

// ofKindSaid narrows tries to the bookings of the kind of device text
// names, if it names one: "phone period 3" is never the laptop's period 3.
func ofKindSaid(text string, tries []func(v *scheduledView) bool) []func(v *scheduledView) bool {
	kind, _ := kindSaid(bare(text))
	if kind < 0 {
		return tries
	}
	narrowed := make([]func(v *scheduledView) bool, len(tries))
	for i, fits := range tries {
		narrowed[i] = func(v *scheduledView) bool { return kindShown(v.Product) == kind && fits(v) }
	}
	return narrowed
}

// allBookingsAsked asks every booking off at once, in the words that open
// the cancellation — not "all" said of something else ("我自己会把所有的账
// 单还清": a regression run).
var allBookingsAsked = regexp.MustCompile(`(?:所有|全部|两个|两笔)的?预约(?:还款)?(?:都|全)?取消|取消(?:掉)?(?:所有|全部)的?预约|` +
	`\bcancel (?:all|both)\b|\bcancel (?:all|both) (?:of )?(?:my |the )?(?:scheduled|bookings?|repayments?)|\ball (?:my |the )?(?:scheduled repayments|bookings)\b`)

// allBookings asks every booking of the list off at once.
var allBookings = regexp.MustCompile(`^(?:把|帮我把|帮我)?(?:两个|两笔|全部|所有|都)(?:的)?(?:预约|预约还款)?(?:都|全)?(?:取消|不要)(?:了|掉|吧)*$|` +
	`^(?:cancel )?(?:both|all|all of them|both of them|everything)(?: of them)?(?: please| pls)?$|^cancel (?:them )?(?:both|all)\b`)

// withoutOwnPayment is text without the clause that says when the
// customer pays by themselves, and what follows it ("取消笔记本的预约，我下午3
// 点自己还", "cancel the laptop booking, I'll pay it myself at 6pm"): its
// day and time are theirs, not a booking's (a review: the laptop's booking
// named was lost to "3点").
func withoutOwnPayment(text string) string {
	var clauses []string
	start := 0
	rs := []rune(text)
	for i, r := range rs {
		if strings.ContainsRune("，,。;；!！?？、", r) || r == ' ' && i > 0 && i+1 < len(rs) && hasHan(string(rs[i-1])) && hasHan(string(rs[i+1])) {
			clauses = append(clauses, string(rs[start:i]))
			start = i + 1
		}
	}
	clauses = append(clauses, string(rs[start:]))
	for i, c := range clauses {
		if !ownPaying.MatchString(c) {
			continue
		}
		if i == 0 {
			return strings.Join(clauses[1:], "，")
		}
		return strings.Join(clauses[:i], "，")
	}
	return text
}

// ownPaying is the customer paying by themselves.
var ownPaying = regexp.MustCompile(`自己(?:去|来)?(?:还|付|交)|\bmyself\b|\bi'?ll pay\b|\bi will pay\b|\bi'?m (?:going to|gonna) pay\b`)

// ofHourSaid narrows tries to the bookings that run at the time of day
// text names ("9点那个", "the 7pm one"), if it names one; with no tries,
// the time alone is the try.
func ofHourSaid(s *Step, text string, tries []func(v *scheduledView) bool) []func(v *scheduledView) bool {
	hour, minute, ok := hourSaid(text)
	if !ok {
		return tries
	}
	at := func(v *scheduledView) bool {
		t := v.RunAt.In(s.e.cfg.Location)
		return t.Hour() == hour && (minute < 0 || t.Minute() == minute)
	}
	if len(tries) == 0 {
		return []func(v *scheduledView) bool{at}
	}
	narrowed := make([]func(v *scheduledView) bool, len(tries))
	for i, fits := range tries {
		narrowed[i] = func(v *scheduledView) bool { return at(v) && fits(v) }
	}
	return narrowed
}

// bookingRunning reads a booking named by the day it runs — today,
// tomorrow, the day after or a day of the week ("今天的", "the one
// tomorrow", "下周一那个") — asked after its place and name, since "the
// xiaomi book one, I'll pay it myself today" names the book. said reports
// such a day named, whether or not a booking fits.
func bookingRunning(s *Step, text string, list []*scheduledView) (n int, said bool) {
	text = withoutOwnPayment(text)
	loc := s.e.cfg.Location
	ahead, ok := daysAhead(text, s.now.In(loc))
	if !ok {
		return 0, false
	}
	day := supportbot.DateOf(s.now.In(loc).AddDate(0, 0, ahead), loc)
	tries := ofHourSaid(s, text, []func(v *scheduledView) bool{func(v *scheduledView) bool { return supportbot.DateOf(v.RunAt, loc) == day }})
	return firstFit(list, ofKindSaid(text, tries)), true
}

// firstFit is the place of the one booking of list the first try that any
// fits fits, 0 when several fit it (no choice either) or none fits any.
func firstFit(list []*scheduledView, tries []func(v *scheduledView) bool) int {
	for _, fits := range tries {
		if slices.ContainsFunc(list, fits) {
			return onlyOne(len(list), func(i int) bool { return fits(list[i]) })
		}
	}
	return 0
}

// cancelsABooking is a request to cancel a scheduled repayment named in
// words the FAQ may take for undoing a payment ("cancel the laptop
// repayment", "取消笔记本的预约还款"): the bookings are listed to pick from.
// A day's or a period's booking to cancel or not to pay ("12月12号那笔不要还
// 了", "取消13号那个", "cancel period 3") too. Not a question
// (how, why, when: the guide), a booking kept, a refund, reminders or
// auto-repayment (a setting).
func cancelsABooking(text string) bool {
	l := strings.ToLower(text)
	named := daySaid.MatchString(l) || periodSaid.MatchString(l) // "取消13号那个", "cancel the one on the 13th", "cancel period 3"
	return (cancelsBooking.MatchString(l) || named && (stopsPaying.MatchString(l) || containsAny(l, "取消", "cancel"))) &&
		!asks(text) && !supposes(text) && !keepsBooking.MatchString(l) &&
		!containsAny(l, "自动还款", "自动扣款", "autopay", "auto-repayment", "auto repayment", "undo", "refund", "already", "fee", "会", "后果", "怎",
			"手续费", "退", "已经", "remind", "提醒", "通知", "短信", "notification", "sms", "card", "卡", "direct",
			// a plan or an order is not a booking ("cancel my 2nd installment plan", "取消13号的订单")
			"plan", "order", "订单",
			// asking how, why, when or where: the guide ("how do i cancel a scheduled payment")
			"如何", "为什么", "什么时候", "哪", "how", "why", "when", "where")
}

// notThisBooking names a booking to leave out ("not period 3", "除了14号那个").
var notThisBooking = regexp.MustCompile(`\bnot (?:the |on the |period |installment |for |[0-9])|\bexcept\b|不是|除了|不要取消`)

// stopsPaying and keepsBooking: "12月12号那笔不要还了" asks a booking off;
// "don't cancel the repayment" keeps it.
var (
	stopsPaying  = regexp.MustCompile(`(?:不要|别|不用|不想|先不|不)(?:提前)?还|不扣`)
	keepsBooking = regexp.MustCompile(`\b(?:don'?t|dont|do not|never|no need to)\s+cancel|(?:不要|别|不用|不想|先不|不)取消`)
)

// saysKeep reports a customer at a booking's cancellation saying to keep it
// ("确认不取消", "别取消啊", "confirm, dont cancel", "keep it scheduled", "i
// changed my mind, can u put it back"): a no to the step, however it is put
// (a probe: the FAQ on undoing a repayment, or "can't answer"). A question
// about not cancelling ("不取消会怎样") is not one.
func saysKeep(text string) bool {
	l := mustCancel.Replace(strings.ToLower(text))
	if dropsKeep.MatchString(l) { // "不用保留了", "don't keep it": a go-ahead (a review)
		return false
	}
	if rest := keepsBooking.ReplaceAllString(l, ""); strings.Contains(rest, "取消") || wordsIn(rest, "cancel") {
		return false // a cancel asked beside it: "要不取消吧", "取消吧，不用保留", "cancel it, i changed my mind"
	}
	return changedMind.MatchString(l) || (keepsBooking.MatchString(l) || keepWords.MatchString(l)) &&
		!asks(text) && !supposes(text) && !containsAny(l, "会怎", "会不会", "后果", "what if", "what happens")
}

// mustCancel are ways to say 取消 that hold a 不 and mean it: "要不取消吧"
// (how about cancelling), "不得不取消" (have to cancel).
var mustCancel = strings.NewReplacer("要不就取消", "取消", "要不还是取消", "取消", "要不取消", "取消", "不得不取消", "取消", "只好取消", "取消")

var (
	changedMind = regexp.MustCompile(`changed? my mind|put it back|改主意|改变主意|还是保留`)
	keepWords   = regexp.MustCompile(`保留|留着|留下|无需取消|甭取消|\bkeep (?:it|the booking|my booking|the payment|it scheduled)\b|\bleave it\b`)
	dropsKeep   = regexp.MustCompile(`(?:不|不用|不要|别|无需|没必要|不必)保留|\b(?:don'?t|dont|do not|no need to) keep\b`)
)

var cancelsBooking = regexp.MustCompile(`\bcancel\b.{0,30}\b(?:repayments?|bookings?|scheduled|debits?)\b|取消.{0,10}预约|` +
	`(?:所有|全部|两个|两笔)的?预约(?:还款)?(?:都|全)?取消|` + // "帮我把所有预约都取消了"
	// "手机那笔预约不要了", "这个预约我不要了" (a probe: "not sure")
	`预约(?:还款|扣款)?(?:我)?(?:不要了|不用了|不需要了|作废)|不要(?:这笔|那笔|这个|那个)?预约|` +
	// "k70的预约取消一下", "那笔预约帮我取消掉" (a probe: unsure)
	`预约(?:还款|扣款)?(?:帮我|给我|麻烦)?(?:取消|撤销)(?:掉|一下|了吧|吧|下)`)

// inDigits writes the English numbers of a period or a day in digits,
// ordinals with their "th": "period three" is "period 3", "the twenty-first"
// "the 21th" (read by its digits). "one" stays a word ("the one on…").
// Chinese numbers of a day, a period or a month likewise: "十三号" is "13号".
func inDigits(text string) string {
	text = hanNumber.ReplaceAllStringFunc(text, func(w string) string { // "十三号", "第三期", "十二月"
		m := hanNumber.FindStringSubmatch(w)
		if n := chineseNumber(m[1]); n > 0 {
			return strconv.Itoa(n) + m[2]
		}
		return w
	})
	return numberWord.ReplaceAllStringFunc(text, func(w string) string {
		m := numberWord.FindStringSubmatch(w)
		n := numberValue[m[2]]
		if m[1] != "" {
			n += numberValue[m[1]]
		}
		if strings.HasSuffix(m[2], "th") || strings.HasSuffix(m[2], "st") || strings.HasSuffix(m[2], "nd") || m[2] == "third" {
			return strconv.Itoa(n) + "th"
		}
		return strconv.Itoa(n)
	})
}

var (
	numberValue = map[string]int{"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
		"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
		"nineteen": 19, "twenty": 20, "thirty": 30, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
		"seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
		"fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30}
	hanNumber  = regexp.MustCompile(`([一二两三四五六七八九十]{1,3})(号|日|期|月)`)
	numberWord = regexp.MustCompile(`\b(?:(twenty|thirty)[- ])?(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|` +
		`fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|first|second|third|fourth|fifth|sixth|seventh|eighth|` +
		`ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)\b`)
)

// firstNumber is the number in the first group of re that matched in text
// (0 for none).
func firstNumber(re *regexp.Regexp, text string) int {
	for i, g := range re.FindStringSubmatch(text) {
		if n, err := strconv.Atoi(g); i > 0 && err == nil {
			return n
		}
	}
	return 0
}

const monthEN = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|` +
	`oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`

var (
	periodSaid = regexp.MustCompile(`第\s*([0-9]{1,2})\s*期|\b(?:period|installment|instalment)\s*(?:no\.?\s*|#\s*)?([0-9]{1,2})\b|` +
		`\b([0-9]{1,2})(?:st|nd|rd|th) (?:period|installment|instalment)\b`)
	daySaid = regexp.MustCompile(`(?:^|[^0-9])([0-9]{1,2})\s*(?:号|日)|\bon (?:the )?([0-9]{1,2})(?:st|nd|rd|th)?\b|` +
		`\b` + monthEN + `\s+([0-9]{1,2})(?:st|nd|rd|th)?\b|\b([0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthEN + `(?:[^a-z]|$)`)
	ordinalSaid = regexp.MustCompile(`\b([0-9]{1,2})(?:st|nd|rd|th)\b`)
)

// line is a booking's line: when it runs, or started (its time past, the
// debit under way).
func (v *scheduledView) line(s *Step) string {
	if !v.RunAt.After(s.now) {
		return v.lineAs(s, "cancel.item_started")
	}
	return v.lineAs(s, "cancel.item")
}

// cancelledLine is a cancelled booking's line: when it was due to run.
func (v *scheduledView) cancelledLine(s *Step) string { return v.lineAs(s, "cancel.item_was") }

func (v *scheduledView) lineAs(s *Step, key string) string {
	return s.T(key, "product", v.Product, "period", v.Period, "amount", money(v.Amount), "card", v.Card,
		"time", when(s, v.RunAt))
}

// dueSoon reports whether the bill it pays is unpaid and due within 3 days.
func (v *scheduledView) dueSoon(today supportbot.Date) bool {
	return v.BillDue && v.DueDate != "" && today.DaysUntil(v.DueDate) <= dueSoonDays
}

// refusalKey is why v cannot be cancelled now, as a message key, or "". The
// core's word counts (Cancellable); the bot's own rule is the same one.
func (v *scheduledView) refusalKey(now time.Time) string {
	reason := v.NotCancellable
	if v.Cancellable {
		reason = ""
	} else if reason == "" {
		reason = v.CancelRefusal(now)
		if reason == "" {
			reason = supportbot.NotCancellableTooLate
		}
	}
	if reason == supportbot.NotCancellableTooLate && !v.RunAt.After(now) {
		return "cancel.refuse_due" // its time has come: not "within 2 hours"
	}
	return refusalKey(reason)
}

func refusalKey(reason supportbot.NotCancellableReason) string {
	switch reason {
	case "":
		return ""
	case supportbot.NotCancellableProcessing:
		return "cancel.refuse_processing"
	case supportbot.NotCancellableDone:
		return "cancel.refuse_done"
	case supportbot.NotCancellableCancelled:
		return "cancel.refuse_cancelled"
	case supportbot.NotCancellableFailed:
		return "cancel.refuse_failed"
	case supportbot.NotCancellableTooLate:
		return "cancel.refuse_soon"
	}
	return "cancel.refuse_other" // a reason the contract does not name: not "within 2 hours"
}

// when is an instant as the customer reads it: 今天 10:30, Dec 15, 2026 at 09:00.
func when(s *Step, t time.Time) string {
	return s.T("day.at", "day", s.day(supportbot.DateOf(t, s.e.cfg.Location)), "time", t.In(s.e.cfg.Location).Format("15:04"))
}

// day is a date as the customer reads it: today and tomorrow by name.
func (s *Step) day(d supportbot.Date) string {
	switch s.today.DaysUntil(d) {
	case 0:
		return s.T("day.today")
	case 1:
		return s.T("day.tomorrow")
	}
	return d.Format(s.conv.Lang)
}

// scheduledViews lists the customer's scheduled repayments with their plans'
// products, cards and bills.
func scheduledViews(s *Step) ([]*scheduledView, error) {
	list, err := s.scheduled()
	if err != nil {
		return nil, err
	}
	plans, err := s.plans()
	if err != nil {
		return nil, err
	}
	cards, err := s.cards()
	if err != nil {
		return nil, err
	}
	views := make([]*scheduledView, 0, len(list))
	for _, r := range list {
		v := &scheduledView{ScheduledRepayment: r, Card: r.CardID}
		for _, c := range cards {
			if c.ID == r.CardID {
				v.Card = c.Masked()
			}
		}
		for _, p := range plans {
			if p.ID != r.PlanID {
				continue
			}
			v.Product = p.Product
			for _, b := range p.Bills {
				if b.Period == r.Period {
					v.DueDate, v.BillDue = b.DueDate, b.Status == supportbot.BillUnpaid
				}
			}
		}
		views = append(views, v)
	}
	return views, nil
}

// note is keptNote of v: its period paid already, or what its debit leaves
// to pay by hand; "" when it pays its period whole and on time.
func (v *scheduledView) note(s *Step) (string, error) {
	plans, err := s.plans()
	if err != nil {
		return "", err
	}
	cards, err := s.cards()
	if err != nil {
		return "", err
	}
	return keptNote(s, v.ScheduledRepayment, plans, cards), nil
}

// active are the ones still ahead: scheduled or processing.
func active(views []*scheduledView) []*scheduledView {
	var out []*scheduledView
	for _, v := range views {
		if v.Live() {
			out = append(out, v)
		}
	}
	return out
}

func listScheduled(s *Step) error {
	views, err := scheduledViews(s)
	if err != nil {
		return err
	}
	list := active(views)
	if len(list) == 0 {
		s.finish()
		s.say(s.T("cancel.none"), []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill")}, []supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
		return nil
	}
	lines := []string{s.T("cancel.header")}
	var rows [][]supportbot.Button
	for i, v := range list {
		line := fmt.Sprintf("%d. %s", i+1, v.line(s))
		if key := v.refusalKey(s.now); key != "" {
			line += "\n   " + s.T(key+"_short")
		}
		note, err := v.note(s)
		if err != nil {
			return err
		}
		lines = append(lines, line+note)
		rows = append(rows, []supportbot.Button{s.btn(s.T("cancel.btn_pick", "n", i+1, "product", v.Product, "period", v.Period), "pick", v.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

// otherBookingMeant is the one other booking a correction names ("不对 是手
// 机那个", "错了，应该是笔记本", "不是这个 是手机的", "no, the phone one") at a
// booking's confirmation, or nil.
func otherBookingMeant(s *Step, text string) (*scheduledView, error) {
	views, err := scheduledViews(s)
	if err != nil {
		return nil, err
	}
	list := active(views)
	meant := strings.Trim(afterCorrection(bare(text)), " ，,。.!！")
	for _, lead := range []string{"应该是", "我要的是", "我说的是", "是", "要", "选", "i meant", "i mean", "the"} {
		meant = strings.TrimSpace(strings.TrimPrefix(meant, lead))
	}
	names := make([]string, len(list))
	for i, v := range list {
		names[i] = v.Product
	}
	n, _ := bookingNamed(s, meant, list)
	if n == 0 {
		n = listChoice(meant, len(list), names)
	}
	if _, after, ok := strings.Cut(meant, "是"); n == 0 && ok { // "不是这个 是手机的": what follows its 是
		if n, _ = bookingNamed(s, strings.TrimSpace(after), list); n == 0 {
			n = listChoice(strings.TrimSpace(after), len(list), names)
		}
	}
	if n == 0 && len(list) == 2 && otherOne.MatchString(meant) { // "不对 是另一个"
		n = 1 + slices.IndexFunc(list, func(v *scheduledView) bool { return v.ID != s.slots.Scheduled })
	}
	if n == 0 || list[n-1].ID == s.slots.Scheduled {
		return nil, nil
	}
	return list[n-1], nil
}

// debitQuestion asks whether a debit will go ahead ("will tomorrow's one go
// through?", "14号那笔扣得了吗"): not a pick at the bookings' list.
var debitQuestion = regexp.MustCompile(`会扣|还会扣|扣不扣|会不会扣|扣得了|能扣成功|\b(?:go(?:es)? through|go thru|work|be (?:taken|charged|debited))\b`)

// otherOne is the other of two, said alone.
var otherOne = regexp.MustCompile(`^(?:另一个|另外一个|另一笔|另外那个|另外一笔|other one|other)(?:吧|啦)?$`)

func handleCancel(s *Step, a action) (bool, error) {
	verb, id := a.Name, a.Arg
	if verb == "" { // typed: a number while choosing, 确认 while confirming
		text := strings.ToLower(strings.TrimSpace(s.ev.Text))
		switch {
		case s.ev.Kind != supportbot.EventText:
			return false, nil
		case s.conv.State == "choosing":
			views, err := scheduledViews(s)
			if err != nil {
				return true, err
			}
			list := active(views)
			names := make([]string, len(list))
			for i, v := range list {
				names[i] = v.Product
			}
			if asks(s.ev.Text) && (asksDebitAhead(s.ev.Text) || debitQuestion.MatchString(text)) && !containsAny(text, "取消", "cancel", "不扣", "别扣", "不要扣", "don't", "dont", "do not", "stop") {
				// "明天还会扣吗" at the list: what will debit, the list still
				// waiting — not a pick of tomorrow's booking, which a 确认
				// then cancelled (a probe).
				if _, err := sayDebits(s, text); err != nil {
					return true, err
				}
				s.say(s.T("cancel.still_listed"))
				return true, nil
			}
			if allBookings.MatchString(bare(text)) {
				// "两个都取消", "全部取消": one at a time, the list still
				// waiting (a probe: "can't answer").
				s.say(s.T("cancel.one_at_a_time"))
				return true, nil
			}
			if p, asked, err := paysInstead(s, text, list); err != nil || asked {
				// "actually i'll just pay the pad now": its bill, whose
				// payment cancels the booking of that period — not the
				// booking's cancellation picked by the device named (an
				// English probe confirmed it believing they paid).
				if err != nil {
					return true, err
				}
				s.finish()
				if p == nil {
					return true, s.startFlow("pay", "") // which one, the bills' list
				}
				return true, s.startFlow("pay", p.ID)
			}
			if m := correctedTo.FindStringSubmatch(strings.ToLower(strings.TrimSpace(text))); m != nil {
				text = m[1] + m[2] // "不对 是笔记本那个", "no, the laptop one" at the list: that one (a probe: unsure)
			}
			// "取消12号那个", "第7期" first: on this list "2号的" is the day
			// a booking runs more likely than its place.
			if n, err := bookingPickedOtherwise(s, text, list); n > 0 || err != nil {
				if err != nil {
					return true, err
				}
				verb, id = "pick", list[n-1].ID
				break
			}
			n, said := bookingNamed(s, text, list)
			if n == 0 {
				n = listChoice(withoutOwnPayment(text), len(list), names) // "2，我下午自己还": the second
			}
			if n == 0 {
				var day bool
				n, day = bookingRunning(s, text, list)
				said = said || day
			}
			if n == 0 && len(list) == 1 && cancelItWords[bare(text)] {
				n = 1 // "cancel it" with one booking listed: that one, to confirm
			}
			if n == 0 && said {
				// A period or a day no booking of the list (of the device
				// named) fits: the list still waits, and says so — or,
				// one left out ("not period three"), asks for a tap.
				key := "cancel.none_fits"
				if notThisBooking.MatchString(inDigits(text)) {
					key = "step.pick_first"
				}
				s.say(s.T(key))
				return true, nil
			}
			if n == 0 {
				return false, nil
			}
			verb, id = "pick", list[n-1].ID
		case s.conv.State == "confirming" && correctionMark.MatchString(text):
			// "不对 是手机那个" at the laptop's: the booking meant, to
			// confirm (a probe got unsure, the step left on the laptop's).
			n, err := otherBookingMeant(s, text)
			if err != nil {
				return true, err
			}
			if n == nil {
				// A plan named that has no booking ("不对 我是想取消小米15的"):
				// said so, the step waiting (an audit: "can't answer").
				return noBookingOfPlanSaid(s, text)
			}
			verb, id = "pick", n.ID
		case s.conv.State == "confirming" && moneyAnswerOf(text, cancelConfirms) == confirmsMoney:
			verb, id = "ok", s.slots.Scheduled
		case s.conv.State == "confirming" && typedLabel(text, s.T("cancel.btn_keep")):
			// "保留这笔预约还款", the keep button's label typed: kept, as
			// pressed (a probe: an unsure reply offering to cancel).
			return true, s.declineStep()
		case s.conv.State == "confirming" && (moneyAnswerOf(text, cancelConfirms) == acknowledges || cancelItWords[bare(text)] ||
			cancelsIt.MatchString(bare(text)) || typedLabel(text, s.T("cancel.btn_confirm"))):
			// "取消它" says what, but not "confirm": the booking stays until
			// the button or 确认 (the customer must not believe it is gone).
			s.say(s.T("cancel.confirm_how"))
			return true, nil
		case s.conv.State == "confirming" && asksWhichCard(s, text):
			// "扣哪张卡的" at a booking's cancellation: the booking's card,
			// the step waiting (a probe: the cards' list replaced it, and
			// the 确认 after found nothing to confirm).
			views, err := scheduledViews(s)
			if err != nil {
				return true, err
			}
			if i := slices.IndexFunc(views, func(v *scheduledView) bool { return v.ID == s.slots.Scheduled }); i >= 0 {
				s.say(s.T("cancel.card_of_booking", "card", views[i].Card) + "\n" + s.T("cancel.confirm_how"))
				return true, nil
			}
			return false, nil
		case s.conv.State == "confirming" && cancelFeeAsked(text):
			// "how much is the fee?" at a cancellation: cancelling's, which
			// is none (an audit got the plan's fees).
			s.say(s.T("cancel.free") + "\n" + s.T("cancel.confirm_how"))
			return true, nil
		case s.conv.State == "cancelling" && (moneyAnswerOf(text, cancelConfirms) != notAnAnswer || asksAboutIt(text)):
			return true, cancelUnderWay(s)
		default:
			return false, nil
		}
	}
	v, err := findScheduled(s, id)
	if err != nil {
		return true, err
	}
	if v == nil {
		s.expired()
		return true, nil
	}
	switch verb {
	case "pick":
		return true, s.fire("cancel", "pick", v)
	case "ok":
		if id != s.slots.Scheduled {
			s.expired()
			return true, nil
		}
		if key := v.refusalKey(s.now); key != "" {
			s.finish()
			refuse(s, v, key, nil)
			return true, nil
		}
		return true, s.fire("cancel", "confirm", v)
	}
	return false, nil
}

// findScheduled finds one of the customer's own scheduled repayments.
func findScheduled(s *Step, id string) (*scheduledView, error) {
	views, err := scheduledViews(s)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if v.ID == id {
			return v, nil
		}
	}
	return nil, nil
}

// refuse says why v cannot be cancelled, and keeps the refusal in the audit
// log and the message center: the customer may want to show it to an agent.
func refuse(s *Step, v *scheduledView, key string, core *supportbot.CoreError) {
	details := map[string]any{"scheduled_id": v.ID, "plan_id": v.PlanID, "period": v.Period, "reason": strings.TrimPrefix(key, "cancel.refuse_")}
	if core != nil {
		details["code"] = string(core.Code) // what the core answered, beside what the customer was told
	}
	s.audit("cancel_scheduled_refused", details)
	s.notice("cancel_refused", map[string]string{
		"product": v.Product, "period": strconv.Itoa(v.Period), "amount": money(v.Amount), "reason": "@" + key + "_short",
	})
	text := v.line(s) + "\n\n" + s.T(key)
	if v.paidAlready() {
		// Not to be waited out: its period is paid (a probe was told
		// only that the bank had it).
		text += "\n\n" + strings.TrimSpace(s.T("debited.booking_paid"))
	}
	s.say(text, []supportbot.Button{s.humanBtn()}, []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("btn.menu"), "menu")})
}

func askCancel(s *Step, v *scheduledView) error {
	if key := v.refusalKey(s.now); key != "" {
		s.finish()
		refuse(s, v, key, nil)
		return nil
	}
	// Its cancellation confirmed already, still waiting for the core's
	// answer (from this chat or another of theirs): not asked again (a money
	// probe: a second key sent, and two contradicting outcomes told).
	open, err := s.e.st.CustomerActions(s.ctx, s.conv.CustomerID, supportbot.ActionCancel, s.now)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(open, func(a supportbot.Action) bool { return a.Scheduled == v.ID && a.State.Open() }) {
		s.finish()
		s.say(s.T("cancel.still"), []supportbot.Button{s.menuBtn(s.T("menu.messages"), "messages"), s.humanBtn()})
		return nil
	}
	s.slots.Scheduled = v.ID
	note, err := v.note(s) // its card frozen, its period paid: said before keeping it is chosen (a probe)
	if err != nil {
		return err
	}
	lines := []string{s.T("cancel.confirm"), v.line(s) + note}
	if v.dueSoon(s.today) {
		lines = append(lines, "", s.dueWarning("cancel.warn_due", v))
	}
	lines = append(lines, "", s.T("cancel.free"))
	s.say(strings.Join(lines, "\n"),
		[]supportbot.Button{s.btn(s.T("cancel.btn_confirm"), "ok", v.ID)},
		[]supportbot.Button{s.button(s.T("cancel.btn_keep"), Callback{Kind: CallbackLeave, Nonce: s.nonce()}), s.humanBtn()})
	return nil
}

// cancelRisk answers, at a booking's cancellation, a question whether
// cancelling brings a late fee or an overdue ("如果取消会有滞纳金吗", "will i
// get a late fee if i cancel?"): the step's own warning — pay the period by
// its due date, or it is late — and how to go on, the step still waiting
// (a probe: the guide's answer, then "nothing overdue, so no late fee").
// It reports whether it answered.
func cancelRisk(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.Flow != "cancel" || !waitsForYes(s.conv.State) || s.slots.Scheduled == "" || !asks(text) && !containsAny(l, " if ", "如果", "的话") ||
		!containsAny(l, "滞纳金", "逾期", "罚", "征信", "违约", "late", "overdue", "penalt", "credit") {
		return false, nil
	}
	views, err := scheduledViews(s)
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(views, func(v *scheduledView) bool { return v.ID == s.slots.Scheduled })
	if i < 0 || !views[i].BillDue || views[i].DueDate == "" {
		return false, nil
	}
	s.conv.Misses = 0
	s.say(s.dueWarning("cancel.warn_due", views[i]) + "\n" + s.confirmHow())
	return true, nil
}

// cancelKey is the idempotency key of cancelling id from the confirm step
// shown with nonce in the chat named chatRef (as logs name it, not by its
// id): a double tap or a redelivery is the same key.
func cancelKey(chatRef, id, nonce string) string {
	return idempotencyKey("cancel:" + chatRef + ":" + nonce + ":" + id)
}

// oldCancelKeys are the keys earlier versions gave the same cancellation,
// which the actions they stored keep: the chat named by an unkeyed hash of
// its id, and before that by its id.
func oldCancelKeys(chatID int64, id, nonce string) []string {
	sum := sha256.Sum256([]byte("chat:" + strconv.FormatInt(chatID, 10)))
	return []string{cancelKey(hex.EncodeToString(sum[:6]), id, nonce),
		"cancel:" + strconv.FormatInt(chatID, 10) + ":" + nonce + ":" + id}
}

// cancelling commits the cancellation as a money action.
func cancelling(s *Step, v *scheduledView) {
	a := &supportbot.Action{Key: cancelKey(s.e.chatRef(s.conv.ChatID), v.ID, s.conv.Nonce), ChatID: s.conv.ChatID, CustomerID: s.conv.CustomerID,
		Kind: supportbot.ActionCancel, Scheduled: v.ID, Flow: "cancel", PlanID: v.PlanID, Product: v.Product, Card: v.Card,
		Periods: []int{v.Period}, MessageID: s.target}
	s.startAction(a)
	s.sayWorking(a, s.T("cancel.cancelling", "line", locale.HTML(v.line(s))))
}

func cancelUnderWay(s *Step) error {
	s.sayStill(s.T("cancel.still"))
	return nil
}

// settledCancel tells the customer the outcome of a cancellation.
func settledCancel(s *Step, a *supportbot.Action) error {
	if s.conv.Flow == "cancel" && s.slots.Action == a.Key {
		defer s.sendAll(s.outcomeOf(a, "cancel.settled_above"))
		if !a.State.Open() {
			s.finish()
		}
	}
	views, err := scheduledViews(s)
	if err = extra(err); err != nil {
		return err
	}
	v := &scheduledView{ScheduledRepayment: supportbot.ScheduledRepayment{ID: a.Scheduled, PlanID: a.PlanID}, Product: a.Product, Card: a.Card}
	if r := a.Outcome.Scheduled; r != nil {
		v.ScheduledRepayment = *r // what the core answered, should the views be unread
	}
	for _, x := range views {
		if x.ID == a.Scheduled {
			v = x
		}
	}
	rows := s.billAndMessages()
	switch a.State {
	case supportbot.ActionSucceeded:
		s.audit("cancel_scheduled", map[string]any{"scheduled_id": v.ID, "plan_id": v.PlanID, "period": v.Period,
			"amount_fen": int64(v.Amount), "key": a.Key})
		s.notice("cancel_scheduled", map[string]string{"product": v.Product, "period": strconv.Itoa(v.Period),
			"amount": money(v.Amount), "time": v.RunAt.Format(time.RFC3339)})
		s.tellOtherDesks(s.staffT("agent.cancelled_elsewhere", "user", s.conv.ChatID, "product", v.Product, "period", v.Period, "amount", money(v.Amount)))
		text := s.T("cancel.done", "line", locale.HTML(v.cancelledLine(s)))
		if v.dueSoon(s.today) {
			text += "\n\n" + s.dueWarning("cancel.warn_due_done", v)
			// "repay it yourself by then": its bill a tap away (a probe: no
			// way to pay was offered after "cancel … and pay it now").
			s.say(text, []supportbot.Button{s.menuBtn(s.T("menu.pay"), "pay:"+v.PlanID)}, rows)
			return nil
		}
		s.say(text, rows)
	case supportbot.ActionRefused:
		// The core's reason, or what its refusal says: no such booking any
		// more (gone since the list), or a refusal it gives no reason for —
		// never a reason it did not give ("runs within 2 hours").
		key := "cancel.refuse_other"
		if r := a.Outcome.Refusal; r != nil && r.NotFound() {
			key = "cancel.refuse_gone"
		} else if r != nil && r.Reason != "" {
			key = refusalKey(r.Reason)
		}
		refuse(s, v, key, a.Outcome.Refusal)
	case supportbot.ActionPending, supportbot.ActionUnknown, supportbot.ActionProcessing:
		s.say(s.T("cancel.slow"))
	default:
		s.say(s.T("cancel.failed"), []supportbot.Button{s.humanBtn()}, rows)
	}
	return nil
}

// staleCancel answers an old confirm button: the cancellation it confirmed
// is under way or done; nothing more is done.
func staleCancel(s *Step, a action) (bool, error) {
	if a.Name != "ok" {
		return false, nil
	}
	var act *supportbot.Action
	var err error
	// Its key now, then those it had if confirmed before an upgrade.
	keys := append([]string{cancelKey(s.e.chatRef(s.conv.ChatID), a.Arg, a.Nonce)}, oldCancelKeys(s.conv.ChatID, a.Arg, a.Nonce)...)
	for _, key := range keys {
		if act, err = s.e.st.Action(s.ctx, key); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			break
		}
	}
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		v, err := findScheduled(s, a.Arg)
		if err != nil || v == nil || v.Status != supportbot.ScheduledCancelled {
			return err != nil, err
		}
		s.say(s.T("cancel.already", "line", locale.HTML(v.cancelledLine(s))), []supportbot.Button{s.menuBtn(s.T("menu.messages"), "messages")})
		return true, nil
	} else if err != nil {
		return true, err
	}
	if act.State.Open() && s.conv.Flow == "cancel" && s.slots.Action == act.Key {
		s.sayStill(s.T("cancel.still")) // the outcome edits it too
	} else if act.State.Open() {
		s.say(s.T("cancel.still"))
	} else {
		s.say(s.T("cancel.already_done"), []supportbot.Button{s.menuBtn(s.T("menu.messages"), "messages")})
	}
	return true, nil
}

// cancelFeeAsked asks at a cancellation what it costs ("how much is the
// fee?", "取消要钱吗", "有手续费吗") — not a late fee (what a missed
// period costs is another question).
func cancelFeeAsked(text string) bool {
	l := strings.ToLower(text)
	return asks(text) && !containsAny(l, "滞纳金", "逾期", "late", "overdue", "penalty") &&
		(containsAny(l, "手续费", "费用", "收费", "要钱", "收钱", "fee", "charge for", "cost") || wordsIn(l, "charge"))
}

// dueWarning is what cancelling a booking leaves of its bill (key: before
// or after it is done): to pay by hand by the due date — or, with the
// plan on auto-repayment from a card that can pay, that auto-repayment
// debits it then (an audit: told to pay by hand or go overdue, where
// auto-repayment would debit it).
func (s *Step) dueWarning(key string, v *scheduledView) string {
	if v.DueDate != "" && v.DueDate < s.today {
		// Its due date gone by: overdue already, to pay at once — not "by
		// the due date" (an audit was told to pay by a date a month past),
		// nor left to auto-repayment, which debits on due dates only.
		return s.T("cancel.warn_overdue", "date", s.day(v.DueDate))
	}
	if p, err := s.plan(v.PlanID); err == nil && p != nil && p.AutoRepay {
		if cards, err := s.cards(); err == nil {
			if i := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.Default && !c.Frozen }); i >= 0 {
				return s.T("cancel.warn_due_autopay", "date", s.day(v.DueDate), "card", cards[i].Masked())
			}
		}
	}
	return s.T(key, "date", s.day(v.DueDate))
}

// noBookingOfPlanSaid answers a correction at a booking's cancellation
// that names a plan of the customer's with no booking to cancel: it has
// none, and the one shown is still asked about. It reports whether a plan
// was named.
func noBookingOfPlanSaid(s *Step, text string) (bool, error) {
	p, err := planNamed(s, text)
	if err != nil || p == nil {
		return false, err
	}
	views, err := scheduledViews(s)
	if err != nil {
		return true, err
	}
	if slices.ContainsFunc(active(views), func(v *scheduledView) bool { return v.PlanID == p.ID }) {
		return false, nil
	}
	s.say(s.T("cancel.none_of_plan", "product", p.Product) + "\n" + s.T("cancel.confirm_how"))
	return true, nil
}

// ranAlreadySaid leads the list, when the plan named has no booking left
// to cancel but one that ran in the last days ("cancel the phone payment"
// after its booking took the money that morning): that it ran (an audit:
// the list of the other plan's alone, not a word of it).
func ranAlreadySaid(s *Step) error {
	if s.ev.Kind != supportbot.EventText {
		return nil
	}
	p, err := planNamed(s, s.ev.Text)
	if err != nil || p == nil {
		return err
	}
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	if slices.ContainsFunc(sched, func(r supportbot.ScheduledRepayment) bool { return r.PlanID == p.ID && r.Live() }) {
		return nil
	}
	for _, r := range sched {
		if r.PlanID == p.ID && ranLately(s, r) {
			s.lead = s.T("cancel.ran_already", "product", p.Product, "period", r.Period, "amount", money(r.Amount), "time", when(s, r.RunAt))
			return nil
		}
	}
	return nil
}
