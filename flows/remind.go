package flows

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/looplab/fsm"

	"supportbot"
)

// Due-date reminders. A customer opts in with /remind (or the button after a
// bill lookup); the periodic job (Notify) then tells them ReminderDays before
// each due date, and on the day a bill becomes overdue, through the outbox.
//
// Each reminder goes out once: a row keyed by customer, plan, period and kind
// is written in the transaction that queues it. It goes out from ReminderHour
// local time on its day; a job that runs late may still send it until the
// same hour the next day, but never between 21:00 and 09:00 (it waits for the
// morning) — after that it is dropped, not sent late. A customer none of
// whose chats the bot can reach gets nothing, and nothing is recorded: if
// they come back while the reminder is still due, it goes out then.

const (
	quietFrom = 21 // no reminder goes out from 21:00…
	quietTo   = 9  // …to 09:00, support time

	kindOverdue = "overdue"
)

func remindFlow() *spec {
	return &spec{
		name:          "remind",
		needsCustomer: true,
		initial:       "idle",
		events:        fsm.Events{{Name: "set", Src: []string{"idle"}, Dst: "set"}},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{"enter_set": func(_ ctxT, e *fsm.Event) { e.Err = setReminders(s, argString(e.Args, 0)) }}
		},
		start: func(s *Step, arg string) error { return s.fire("remind", "set", arg) },
	}
}

// setReminders switches reminders: /remind toggles, "on" and "off" (the
// buttons) set; anything else only says how they are.
func setReminders(s *Step, arg string) error {
	s.finish()
	on, err := s.e.st.Reminders(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	s.slots.Topic = &lastStep{Flow: "remind", At: s.now} // "turn them off" next is theirs (remindFollowUp)
	want := on
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "":
		want = !on
	case "on", "开", "开启", "打开":
		want = true
	case "off", "关", "关闭":
		want = false
	case keepReminders, askReminders:
	}
	if want != on {
		id := s.conv.CustomerID
		s.do(func(ctx context.Context, tx Tx) error {
			_, err := tx.SetReminders(ctx, id, want)
			return err
		})
		action := "reminders_off"
		if want {
			action = "reminders_on"
		}
		s.audit(action, nil)
	}
	menu := []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("btn.menu"), "menu")}
	if arg == askReminders { // "are my reminders on?", "提醒会不会半夜发": how they are, and when they come
		days, hour := dayList(s.conv.Lang, s.e.reminderDaysBefore()), fmt.Sprintf("%02d", s.e.reminderHour())
		quiet := []any{"days", days, "hour", hour, "from", fmt.Sprintf("%02d:00", quietFrom), "to", fmt.Sprintf("%02d:00", quietTo)}
		asked, more := strings.ToLower(s.ev.Text), ""
		if dueDaySaid.MatchString(asked) {
			more += "\n" + s.T("remind.no_due_day")
		}
		if reminderChannelAsked.MatchString(asked) {
			more += "\n" + s.T("remind.channel")
		}
		row := []supportbot.Button{s.remindBtn(!on)}
		if reminderMissed.MatchString(asked) {
			more += "\n" + s.T("remind.missed")
			row = append(row, s.humanBtn())
		}
		if on {
			s.say(s.T("remind.now_on")+"\n"+s.T("remind.when", quiet...)+more, row, menu)
			return nil
		}
		s.say(s.T("remind.now_off")+"\n"+s.T("remind.when_on", quiet...)+more, row, menu)
		return nil
	}
	if !want {
		s.say(s.T("remind.off"), []supportbot.Button{s.remindBtn(true)}, menu)
		return nil
	}
	text := s.T("remind.on", "days", dayList(s.conv.Lang, s.e.reminderDaysBefore()), "hour", fmt.Sprintf("%02d", s.e.reminderHour()))
	if n, ok := daysAsked(s.ev.Text); dueDaySaid.MatchString(strings.ToLower(s.ev.Text)) {
		// "remind me on the due date itself": not a day of theirs, said so
		// rather than taken as granted (a probe).
		text += "\n" + s.T("remind.no_due_day")
	} else if arg == keepReminders {
		text += "\n" + s.T("remind.all_or_none")
	} else if ok && !slices.Contains(s.e.reminderDaysBefore(), n) {
		// "remind me 2 days before": the days are the service's, said so
		// rather than taken as granted.
		text += "\n" + s.T("remind.days_fixed", "asked", n)
	} else if ok && len(s.e.reminderDaysBefore()) > 1 && containsAny(strings.ToLower(s.ev.Text), "only", "just", "只要", "只需要", "只在", "就行") {
		// "remind me the day before only": one of the days, not the others.
		text += "\n" + s.T("remind.all_or_none")
	}
	if dueAsked.MatchString(strings.ToLower(s.ev.Text)) {
		// "提醒我一下还款日": reminders on, and the day asked for (a probe
		// got them turned on, the date never said)
		open, err := s.openPlans()
		if err != nil {
			return err
		}
		for _, p := range open {
			if next, ok := nextNotOverdue(p, s.today); ok {
				text += "\n" + s.T("remind.next_due", "product", p.Product, "date", s.day(next.DueDate), "amount", money(next.Amount()))
			}
		}
	}
	s.say(text, []supportbot.Button{s.remindBtn(false)}, menu)
	return nil
}

// remindFollowUp switches reminders by a bare "on" or "off" right after
// they were answered ("reminders" then "turn them off", "提醒" then "关掉
// 吧": a probe got "can't answer"). Only the very next message.
func (s *Step) remindFollowUp(text string) (bool, error) {
	if t := s.topicJustBefore(); t == nil || t.Flow != "remind" {
		return false, nil
	}
	w := bare(text)
	if utf8.RuneCountInString(w) > 16 || asks(text) {
		return false, nil
	}
	m := bareSwitch.FindStringSubmatch(w)
	if m == nil {
		return false, nil
	}
	s.conv.Misses = 0
	if m[1] != "" { // the first alternative's group: on
		return true, s.startFlow("remind", "on")
	}
	return true, s.startFlow("remind", "off")
}

// bareSwitch is a switch said of what was just talked about: on (its
// first group) or off.
var bareSwitch = regexp.MustCompile(`^(?:(?:那|好|好的|ok|okay|then|please|pls)[,， ]*)?((?:帮我)?(?:打开|开启|开一下|开吧|开了吧|开)|turn (?:it|them) (?:back )?on|switch (?:it|them) on)(?:吧|一下)?$|` +
	`^(?:(?:那|好|好的|ok|okay|then|please|pls)[,， ]*)?(?:帮我)?(?:关掉|关闭|关了|关上|关|不要了|取消)(?:吧|一下|它|掉)?$|^(?:ok |okay |then |please )?(?:turn|switch) (?:it|them) off(?: please)?$`)

// dueAsked names the due date as what to be told ("提醒我一下还款日",
// "remind me when my bill is due").
var dueAsked = regexp.MustCompile(`还款日|哪天还|几号还|什么时候还|\bwhen (?:my |the )?(?:bill|payment|installment) is due\b|\bdue date\b`)

// dueDaySaid names the due date itself as a reminder's day ("还款当天提醒",
// "remind me on the due date itself").
var dueDaySaid = regexp.MustCompile(`(?:还款|到期)日?当天|当天提醒|\bon the (?:due date|day (?:it'?s|its|it is) due)\b|\bdue date itself\b|\bsame day\b`)

// asksReminderTimes is a question about when the reminders come ("提醒几点
// 发", "what time do reminders come", "还款日当天会提醒吗"), or a reminder
// on the due date itself asked for ("能不能只在还款当天提醒"), which there is
// not: how they are, and when (a probe: "contact support", or turned on
// as if granted).
func asksReminderTimes(text string) bool {
	l := strings.ToLower(text)
	return containsAny(l, "提醒", "remind") && (dueDaySaid.MatchString(l) && remindArg(text) != "off" || remindArg(text) == askReminders &&
		(containsAny(l, "几点", "什么时候", "啥时候", "啥时", "几时", "哪天", "几天", "time", "when", "what day", "which day", "how many days", "how often") ||
			reminderChannelAsked.MatchString(l) || reminderMissed.MatchString(l)))
}

// reminderChannelAsked asks how a reminder comes ("提醒是发短信吗", "will
// the reminder be a text or an email?"): in this chat, and nowhere else (a
// probe: unsure).
var reminderChannelAsked = regexp.MustCompile(`短信|电话|邮件|邮箱|微信|怎么提醒|通过什么|什么方式|哪里提醒|在哪提醒|\b(?:sms|texts?|e-?mails?|calls?|phone|whatsapp)\b|\bhow (?:do|will|would) (?:you|i get|i be)\b`)

// reminderMissed says a reminder did not come ("为什么没提醒我就逾期了",
// "you never reminded me and now I'm late"): how they are now, and a
// person for what happened (a probe: unsure).
var reminderMissed = regexp.MustCompile(`(?:没|没有)(?:给我)?(?:发)?(?:过)?提醒|(?:为啥|为什么|怎么)不提醒我|没收到(?:任何)?提醒|\b(?:didn'?t|did not)(?: even)? (?:remind|get (?:a |any )?reminders?|send (?:me )?(?:a |any )?reminders?)|\bnever (?:reminded|got (?:a |any )?reminders?|sent (?:me )?(?:a |any )?reminders?)|\bno reminders? (?:came|come|was sent|arrived)`)

// daysAsked reads the days before a due date a customer names ("2 days
// before", "the 3-day reminder", "the day before", "提前两天", "前一天");
// "3 days ago" is none.
func daysAsked(text string) (int, bool) {
	t := strings.ToLower(text)
	if dayBefore.MatchString(t) {
		return 1, true
	}
	m := daysBefore.FindStringSubmatch(t)
	if m == nil {
		return 0, false
	}
	n := m[1] + m[2] + m[3]
	if d, err := strconv.Atoi(n); err == nil {
		return d, true
	}
	return countWords[n], true
}

// asksRemindersOfDays is a short message about the reminders of some days
// before a due date ("提前2天提醒我", "不需要提前3天的提醒", "3天前的提醒就不用
// 发了", "remind me 2 days before"): the reminders, not a guess of the FAQ's
// (a probe: unsure, and two in a row offered a person). Not a question.
func asksRemindersOfDays(text string) bool {
	t := strings.ToLower(text)
	_, days := daysAsked(t)
	return days && containsAny(t, "提醒", "remind", "通知", "notif") && utf8.RuneCountInString(t) <= 30 && !asks(text)
}

var countWords = map[string]int{"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

var (
	daysBefore = regexp.MustCompile(`(?:提前|前)\s*([0-9]{1,2}|[一二两三四五六七])\s*天|([0-9]{1,2}|[一二两三四五六七])\s*天前的?提醒|\b([0-9]{1,2}|one|two|three|four|five|six|seven)(?:\s*days?\s*(?:before|ahead|early|in advance|prior)|[- ]days?[- ](?:reminders?|notices?|alerts?|one)\b)`)
	dayBefore  = regexp.MustCompile(`\bthe day before\b|\ba day (?:before|ahead|early|in advance|prior)\b|前一天|提前一天`)
)

// typedArg is what the words that start flow name ask of it, "" for
// nothing particular.
func typedArg(name, text string) string {
	switch name {
	case "remind":
		return remindArg(clauseOf(text, "提醒", "remind"))
	case "autopay":
		return autopayArg(clauseOf(text, "自动", "auto"))
	case "bill":
		if asksThisMonth(text) && kindsSaid(text) == 0 { // "这个月手机要还多少": that plan's, as the bill says (a probe)
			return askedMonth
		}
	}
	return ""
}

// clauseOf is the clause of text that speaks of one of words ("关掉自动还款，
// 还有提醒打开": the reminders' is "还有提醒打开"), so that a switch said of
// one thing is not read as said of another (a probe: the reminders were
// offered off); text itself when no clause or every one does.
func clauseOf(text string, words ...string) string {
	l := strings.ToLower(text)
	for _, j := range []string{" and ", " also ", " then ", "然后", "顺便", "还有", "另外", "再把", "再帮我"} {
		l = strings.ReplaceAll(l, j, "\n")
	}
	parts := strings.FieldsFunc(l, func(r rune) bool { return strings.ContainsRune("\n，,。.;；!！?？、", r) })
	var of []string
	for _, p := range parts {
		if containsAny(p, words...) {
			of = append(of, p)
		}
	}
	if len(of) != 1 || len(parts) < 2 {
		return text
	}
	return of[0]
}

// remindArg: asking for reminders to stop sets them off, any other request
// about them sets them on — never the toggle of /remind. Stopping the
// reminders of one day ("don't remind me 3 days before") changes nothing:
// the days are the service's, all or none (keepReminders).
func remindArg(text string) string {
	t := strings.ToLower(text)
	if reminderMissed.MatchString(t) { // "you never reminded me": how they are, not a switch (a probe turned them on)
		return askReminders
	}
	if _, days := daysAsked(t); !days && asksAboutReminders(t) { // one day's, asked: all or none, below
		return askReminders
	}
	if strings.Contains(t, "forget") || strings.Contains(t, "忘") || keepsOn.MatchString(t) { // "don't let me forget", 别忘了提醒我, "don't stop reminding me"
		return "on"
	}
	for _, w := range []string{"stop", "off", "don't", "dont", "do not", "no more", "no remind", "disable", "cancel", "unsubscribe",
		"不要", "不需要", "别再", "别提醒", "别发", "关掉", "关闭", "关了", "取消", "停止", "不用", "不想", "退订", "停掉",
		"别老", "别总", "别天天", "别一直", "甭", "烦死", "烦不烦", "不提醒", "不再提醒"} { // "别老给我发提醒了烦死了" turned them on (a probe)
		if strings.Contains(t, w) {
			// "don't remind me 3 days before" is one day's; "不要再提醒我了，
			// 提前三天和前一天的都不要", "stop all reminders, including the
			// one the day before" are all of them.
			// So is one occasion: "dont remind me to pay tomorrow", "这次不用
			// 提醒了" (a review: they turned all off).
			_, days := daysAsked(t)
			once := containsAny(t, "tomorrow", "this time", "明天", "这次", "这回") &&
				!containsAny(t, "from", "starting", "onward", "forever", "开始", "起", "以后", "之后", "今后") // "from tomorrow on" is for good
			if (days || once) && !containsAny(t, "all", "any", "no more", "anymore", "全部", "都不", "不要再", "不用再", "别再") {
				return keepReminders
			}
			return "off"
		}
	}
	return "on"
}

// keepsOn is a stop refused: "don't stop reminding me", "do not turn off
// reminders", "别关掉还款提醒", "不要关闭提醒" keep them on.
var keepsOn = regexp.MustCompile(`\b(?:don'?t|dont|do not|never)\s+(?:stop|turn off|switch off|disable|cancel|unsubscribe)|` +
	`(?:别|不要|不用|不许)(?:关掉|关闭|关了|关|取消|停止|停掉|停|退订)`)

// asksAboutReminders is a question about the reminders — whether they are
// on, when they come ("are my reminders on?", "我的还款提醒开着吗", "提醒会
// 不会半夜发", "reminder是什么时候发 几点") — not a request to set them (a
// probe: each turned them on). A switch said ("关掉还款提醒，几点都发烦死了",
// "stop reminding me, I know when to pay", "remind me when my bill is due")
// or a request put as a question ("can you turn them off?", "不要再提醒我了
// 好吗") is the request (a review).
func asksAboutReminders(t string) bool {
	t = strings.ReplaceAll(t, "请问", "")
	if switchStateAsked.MatchString(t) || reminderChannelAsked.MatchString(t) { // "提醒关了没", "是不是关了", "are they off?", "提醒是短信还是电话": asked, not switched (a probe)
		return true
	}
	if containsAny(t, "can you", "could you", "would you", "can u", "pls", "please", "帮我", "给我", "请", "好吗", "行吗",
		"可以吗", "好不好", "行不行", "能不能", "能否", "可否", "麻烦",
		"stop", "turn off", "turn on", "switch off", "switch on", "disable", "enable", "unsubscribe", "no more",
		"关掉", "关闭", "关了", "开启", "打开", "取消", "别再", "不要再", "别提醒", "不用提醒", "不要提醒", "停止", "退订") ||
		strings.HasPrefix(t, "remind me") || strings.HasPrefix(t, "提醒我") {
		return false
	}
	return asks(t) || containsAny(t, "什么时候", "啥时候", "啥时", "几时", "几点", "哪天", "几天", "when", "what time", "how many days", "how often")
}

// stopsReminding is a short message that says plainly not to remind any
// more ("以后不用提醒了", "别再提醒我了", "stop reminding me"), whatever the
// FAQ makes of it (a probe: "以后不用提醒了" read as a phone-number question).
func stopsReminding(text string) bool {
	t := strings.ToLower(text)
	return utf8.RuneCountInString(t) <= 14 && stopReminding.MatchString(t)
}

var stopReminding = regexp.MustCompile(`(?:不用|别|甭|不要|不需要)(?:再|老|总)?(?:给我)?(?:发)?提醒|\bstop remind|` +
	`提醒(?:短信|消息)?就?(?:别|不用|不要|甭)再?(?:给我)?发|^(?:以后|那就|那)?不再?(?:用|要)?提醒(?:我)?了`) // "提醒别发了 烦死了": a probe got a person

// stopsMessages asks the bot's messages stopped, naming no reminder ("stop
// sending me messages", "unsubscribe"): what it sends unasked are the
// reminders (a probe: unsure, "can't answer").
var stopsMessages = regexp.MustCompile(`^(?:please |pls |plz )?(?:stop|quit) (?:sending|texting|messaging) me(?: (?:messages|texts|these|this|anything))?(?: please| pls| plz)?[.!]*$|` +
	`^(?:please |pls )?unsubscribe(?: me)?(?: please| pls)?[.!]*$|^(?:别|不要|不用)再?(?:给我)?发(?:消息|短信)了?[。!！]*$`)

// setRemindersAsked sets the reminders as text asks, for the customer
// themselves; at a quote, beside it, which stays.
func (s *Step) setRemindersAsked(text string) error {
	if other, err := s.forSomeoneElse(text); err != nil || other {
		return err
	}
	s.conv.Misses = 0
	if s.conv.Flow != "" && waitsForYes(s.conv.State) {
		return s.beside("remind", remindArg(text))
	}
	return s.startBeside(text, "remind", remindArg(text)) // "开启还款提醒并且开自动还款": the other offered
}

// switchesReminders is a request to turn the reminders on or off put as
// a question ("不要再提醒我了好吗", "关掉提醒可以吗", "could you stop the
// reminders?"): a switch said, and no how, where or why asked.
func switchesReminders(text string) bool {
	t := strings.ToLower(text)
	if asks(text) && !politeAsk.MatchString(t) { // "关了提醒还会发吗": a question, not a polite request (a review)
		return false
	}
	return utf8.RuneCountInString(t) <= 40 && !asksAboutReminders(t) &&
		containsAny(t, "提醒", "remind", "通知", "notif", "alert") &&
		(reminderSwitch.MatchString(t) || strings.HasPrefix(t, "提醒我") || strings.HasPrefix(t, "remind me")) &&
		!containsAny(t, howWhereWhy...)
}

// howWhereWhy ask how, where or why: about a setting, not a switch of it.
var howWhereWhy = []string{"怎么", "如何", "怎样", "在哪", "哪里", "为什么", "为啥", "how", "where", "why"}

// politeAsk is a request put as a question: a "好吗" after it, a "can
// you", "能不能" or "麻烦" before it.
var politeAsk = regexp.MustCompile(`(?:好吗|行吗|可以吗|好不好|行不行|可以不)[?？。!！~]*$|^(?:能不能|可不可以|可以|麻烦|请)|^(?:can|could|would) (?:you|u)\b|\bplease\b|\bpls\b`)

var reminderSwitch = regexp.MustCompile(`关掉|关闭|关了|开启|打开|开一下|取消|别再|不要再|不用再|别提醒|不用提醒|不要提醒|不再?提醒了|停止|停掉|退订|别老|别总|甭|别发|不要发|不用发|` +
	`\b(?:stop|turn (?:on|off)|switch (?:on|off)|disable|enable|unsubscribe|no more)\b|` +
	// "i dont want reminders", "i don't want any more reminders": the
	// guide on turning them on, or "not sure" (an English probe)
	`\b(?:don'?t|dont|do not) (?:want|need)(?: any)?(?: more)? (?:the |these |those |your |any )?(?:reminders?|notifications?|alerts?)` +
	`(?: (?:any ?more|please|pls|thanks|thank you))?[\s.!~]*$`) // not "…reminders at night", "…alerts from my bank": the guide (a regression run)

// switchStateAsked asks whether a switch is on or off: "关了没", "关闭了没
// 有", "是不是关了", "开着吗", "are my reminders off?", "still on?".
var switchStateAsked = regexp.MustCompile(`(?:[开关](?:闭|掉|启|通)?|取消|停)了(?:没|吗|么|没有)|是不是[开关]|[开关]着(?:吗|没|的吗|还是)|有没有[开关]|` +
	`^(?:did|have|has) (?:you|it|they|the)\b|` +
	`^(?:are|is)\b.*\b(?:on|off)\s*\??$|\b(?:still|already) (?:on|off)\b.*\?`)

// askReminders is remindArg's answer to a question about the reminders:
// how they are and when they come, nothing changed.
const askReminders = "ask"

// keepReminders is remindArg's answer to a request to stop one day's
// reminders: they stay as they are, and the customer is told why.
const keepReminders = "keep"

// remindOffer puts the opt-in button below rows for a customer who has not
// asked for reminders (bill replies offer it).
func (s *Step) remindOffer(rows [][]supportbot.Button) ([][]supportbot.Button, error) {
	on, err := s.e.st.Reminders(s.ctx, s.conv.CustomerID)
	if err != nil || on {
		return rows, err
	}
	return append(rows, []supportbot.Button{s.remindBtn(true)}), nil
}

// remindSwitch is the button that turns the customer's reminders the
// other way from how they are (on says which), labelled with what it does.
func (s *Step) remindSwitch() (supportbot.Button, bool, error) {
	on, err := s.e.st.Reminders(s.ctx, s.conv.CustomerID)
	return s.remindBtn(!on), on, err
}

// remindBtn is the button that turns the reminders on, or off, labelled
// with what it does.
func (s *Step) remindBtn(on bool) supportbot.Button {
	if on {
		return s.menuBtn(s.T("remind.btn_on"), "remind:on")
	}
	return s.menuBtn(s.T("remind.btn_off"), "remind:off")
}

// dayList renders 3, 1 as "3、1" or "3 and 1".
func dayList(lang supportbot.Lang, days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	if lang != supportbot.LangEN {
		return strings.Join(parts, "、")
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func (e *Engine) reminderDaysBefore() []int {
	if len(e.cfg.ReminderDays) == 0 {
		return []int{3, 1}
	}
	return e.cfg.ReminderDays
}

func (e *Engine) reminderHour() int {
	if e.cfg.ReminderHour <= 0 {
		return 10
	}
	return e.cfg.ReminderHour
}

// reminderKind is one reminder of a bill: its name and the day it is for,
// relative to the due date.
type reminderKind struct {
	name   string
	offset int // the due date is the reminder's day plus offset
}

func (e *Engine) reminderKinds() []reminderKind {
	var kinds []reminderKind
	for _, n := range e.reminderDaysBefore() {
		kinds = append(kinds, reminderKind{name: "due_" + strconv.Itoa(n), offset: n})
	}
	return append(kinds, reminderKind{name: kindOverdue, offset: -1})
}

// reminderDays are the days whose reminders may go out at now: today's from
// ReminderHour on, and yesterday's until they are a day late; none between
// 21:00 and 09:00.
func (e *Engine) reminderDays(now time.Time) []supportbot.Date {
	loc := e.cfg.Location
	if h := now.In(loc).Hour(); h < quietTo || h >= quietFrom {
		return nil
	}
	today := supportbot.DateOf(now, loc)
	var days []supportbot.Date
	for _, d := range []supportbot.Date{today, today.AddDays(-1)} {
		y, m, day := d.Time(loc).Date()
		moment := time.Date(y, m, day, e.reminderHour(), 0, 0, 0, loc)
		if !now.Before(moment) && now.Sub(moment) < 24*time.Hour {
			days = append(days, d)
		}
	}
	return days
}

// remindDue is the job of due-date reminders: a day's subscribers are each
// looked at once (their plans read from the core, outside any transaction),
// and what they are owed is queued with the reminders recorded and the
// subscriber marked checked, in one transaction per subscriber. The pass
// costs what the subscribers do, not the customer base.
func (e *Engine) remindDue(ctx context.Context, now time.Time) (int, error) {
	today := supportbot.DateOf(now, e.cfg.Location)
	queued := 0
	for _, day := range e.reminderDays(now) {
		// A subscriber whose plans cannot be read now is tried again at the
		// next pass; the rest of the day's subscribers are not held up.
		skip := map[string]bool{}
		for ctx.Err() == nil {
			ids, err := e.st.ReminderCustomers(ctx, day, 50+len(skip))
			if err != nil {
				return queued, err
			}
			fresh := 0
			for _, id := range ids {
				if skip[id] {
					continue
				}
				fresh++
				n, err := e.remindCustomer(ctx, id, day, today)
				if err != nil {
					if !errors.Is(err, errNoCurrentChat) {
						e.log.Warn("reminders of a customer", "err", err)
					}
					skip[id] = true
					continue
				}
				queued += n
			}
			if fresh == 0 {
				break
			}
		}
	}
	return queued, ctx.Err()
}

// remindCustomer queues the reminders one subscriber is owed for day.
func (e *Engine) remindCustomer(ctx context.Context, customerID string, day, today supportbot.Date) (int, error) {
	plans, err := e.core.Plans(ctx, customerID)
	if ce := refusal(err); ce != nil && ce.NotFound() {
		plans, err = nil, nil // gone from the core: nothing to remind of
	} else if err != nil {
		return 0, err
	}
	var cards []supportbot.Card
	if slices.ContainsFunc(plans, func(p supportbot.Plan) bool { return p.AutoRepay && p.Open() }) {
		if cards, err = e.core.Cards(ctx, customerID); err != nil {
			return 0, err
		}
	}
	type due struct {
		p      *supportbot.Plan
		b      supportbot.Bill
		kind   string
		booked *booking
	}
	var owed []due
	ahead := false // a reminder before a due date: a booking may pay it
	for i := range plans {
		p := &plans[i]
		for _, k := range e.reminderKinds() {
			for _, b := range p.Bills {
				if b.DueDate == day.AddDays(k.offset) && b.Status == supportbot.BillUnpaid && b.Overdue(today) == (k.name == kindOverdue) {
					owed = append(owed, due{p: p, b: b, kind: k.name})
					ahead = ahead || k.name != kindOverdue
				}
			}
		}
	}
	if ahead {
		sched, err := e.core.Scheduled(ctx, customerID)
		if err != nil {
			return 0, err
		}
		for i, d := range owed {
			r, ok := scheduledFor(d.p.ID, d.b.Period, sched)
			if !ok || d.kind == kindOverdue || r.RunAt.Before(e.cfg.Now().Add(-supportbot.StaleBooking)) {
				continue // none, or one stale (its time a day gone): it did not pay it
			}
			if cards == nil {
				if cards, err = e.core.Cards(ctx, customerID); err != nil {
					return 0, err
				}
			}
			owed[i].booked = &booking{run: r.RunAt, amount: r.Amount}
			if j := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.ID == r.CardID }); j >= 0 {
				owed[i].booked.card = &cards[j]
			}
		}
	}
	// A chat identified through a phone that is no longer the customer's
	// (the core changed it, and its event has not come yet) is not told.
	phone := ""
	if len(owed) > 0 {
		c, err := e.core.Customer(ctx, customerID)
		if err != nil {
			return 0, err
		}
		phone = c.Phone
	}
	ids := make([]string, len(plans))
	for i, p := range plans {
		ids[i] = p.ID
	}
	n := 0
	err = e.st.Update(ctx, func(tx Tx) error {
		n = 0
		// The plans read are the customer's, as a step's read records them:
		// a plan bought after they last asked anything is routed to them
		// when its booking's event comes (a probe: it was dropped).
		if err := tx.KnowPlans(ctx, customerID, ids); err != nil {
			return err
		}
		chats, err := tx.CustomerConversations(ctx, customerID)
		if err != nil {
			return err
		}
		if len(chats) == 0 {
			return nil // unreachable: not recorded, see the top of the file
		}
		if len(owed) > 0 {
			chats = slices.DeleteFunc(chats, func(c supportbot.Conversation) bool { return c.LinkedPhone != "" && c.LinkedPhone != phone })
			if len(chats) == 0 {
				return errNoCurrentChat // nothing recorded: told when a chat of the phone on file is linked
			}
		}
		var out []supportbot.Reply
		for _, d := range owed {
			if fresh, err := tx.RecordReminder(ctx, customerID, d.p.ID, d.b.Period, d.kind); err != nil {
				return err
			} else if !fresh {
				continue
			}
			var card *supportbot.Card
			if d.p.AutoRepay {
				card = defaultCard(cards)
			}
			for _, c := range chats {
				out = append(out, e.reminder(c, d.kind, d.p, d.b, card, d.booked, today))
			}
		}
		n = len(out)
		if err := tx.Enqueue(ctx, out); err != nil {
			return err
		}
		return tx.ReminderChecked(ctx, customerID, day)
	})
	return n, err
}

// errNoCurrentChat: every chat of the customer was identified through a
// phone they no longer have; the reminder waits (tried again next pass).
var errNoCurrentChat = errors.New("no chat linked through the customer's phone on file")

// booking is a scheduled repayment booked to pay a bill: when it runs, and
// on which card (nil when the customer has it no more).
type booking struct {
	run    time.Time
	amount supportbot.Money
	card   *supportbot.Card
}

// reminder renders one reminder for one chat. card is the card auto-repayment
// debits (nil when the plan has it off, or no card is bound); booked, the
// scheduled repayment that pays the bill, if one does.
func (e *Engine) reminder(c supportbot.Conversation, kind string, p *supportbot.Plan, b supportbot.Bill, card *supportbot.Card,
	booked *booking, today supportbot.Date) supportbot.Reply {
	t := func(key string, args ...any) string { return e.cfg.Catalog.T(c.Lang, key, args...) }
	args := []any{"product", p.Product, "order", p.OrderNo, "period", b.Period, "date", b.DueDate.Format(c.Lang),
		"amount", money(b.Principal + b.Fee + b.LateFee), "late_fee", money(b.LateFee)}
	pay := []supportbot.Button{menuButton(t("remind.btn_pay"), "pay", p.ID)}
	bill := []supportbot.Button{menuButton(t("menu.bill"), "bill", "")}
	debits := card != nil && !card.Frozen
	var lines []string
	var rows [][]supportbot.Button
	switch {
	case kind == kindOverdue:
		lines = append(lines, t("remind.overdue", args...))
		if b.LateFee > 0 {
			lines = append(lines, t("remind.late_fee", args...))
		}
		if p.AutoRepay {
			lines = append(lines, t("remind.autopay_failed"))
		}
		rows = [][]supportbot.Button{pay, bill}
	case p.AutoRepay && debits:
		lines = append(lines, t("remind.autopay", append(args, "card", card.Masked())...))
		rows = [][]supportbot.Button{bill}
		if earlierOverdue(p, today) { // the debit pays this period, not the one left overdue
			lines = append(lines, t("remind.earlier_overdue"))
			rows = [][]supportbot.Button{pay, bill}
		}
	default:
		when := t("remind.in_days", "days", today.DaysUntil(b.DueDate))
		switch today.DaysUntil(b.DueDate) {
		case 0:
			when = t("remind.today")
		case 1:
			when = t("remind.tomorrow")
		}
		run := ""
		if booked != nil {
			run = supportbot.DateOf(booked.run, e.cfg.Location).Format(c.Lang) + " " + booked.run.In(e.cfg.Location).Format("15:04")
		}
		switch {
		case booked != nil && supportbot.DateOf(booked.run, e.cfg.Location) > b.DueDate:
			// Booked to run after the due date: the period is late before
			// it runs (a late fee, a late record) — not "nothing to do".
			lines = append(lines, t("remind.due", append(args, "when", when)...), t("remind.booked_after_due", "run", run))
			rows = [][]supportbot.Button{pay, bill}
		case booked != nil && booked.card != nil && !booked.card.Frozen && booked.amount < b.Amount():
			// Booked for less than the period costs: the rest is the
			// customer's to pay.
			lines = append(lines, t("remind.due", append(args, "when", when)...),
				t("remind.booked_short", "run", run, "booked", money(booked.amount), "short", money(b.Amount()-booked.amount)))
			rows = [][]supportbot.Button{pay, bill}
		case booked != nil && booked.card != nil && !booked.card.Frozen:
			// Booked: nothing to do by hand for it — the way to pay stays
			// only for an earlier period left overdue.
			lines = append(lines, t("remind.booked", append(args, "when", when, "run", run, "card", booked.card.Masked())...))
			rows = [][]supportbot.Button{bill}
			if earlierOverdue(p, today) {
				lines = append(lines, t("remind.earlier_overdue"))
				rows = [][]supportbot.Button{pay, bill}
			}
		case booked != nil:
			lines = append(lines, t("remind.due", append(args, "when", when)...), t("remind.booked_frozen", "run", run))
			rows = [][]supportbot.Button{pay, bill}
		default:
			lines = append(lines, t("remind.due", append(args, "when", when)...))
			if p.AutoRepay {
				lines = append(lines, t("remind.autopay_no_card"))
			}
			rows = [][]supportbot.Button{pay, bill}
		}
	}
	lines = append(lines, t("remind.footer"))
	return supportbot.Reply{ChatID: c.ChatID, Text: strings.Join(lines, "\n"), Buttons: rows}
}

// earlierOverdue reports whether p has a period left overdue: a booking or
// an auto-repayment of the next one does not pay it.
func earlierOverdue(p *supportbot.Plan, today supportbot.Date) bool {
	return slices.ContainsFunc(p.Bills, func(o supportbot.Bill) bool { return o.Overdue(today) })
}

// menuButton is a button that starts a flow, for messages no step sends (a
// job's or an event's); an argument too long for a button is left out.
func menuButton(label, flow, arg string) supportbot.Button {
	data, err := Callback{Kind: CallbackMenu, Flow: flow, Arg: arg, Keep: true}.Encode()
	if err != nil {
		data, _ = Callback{Kind: CallbackMenu, Flow: flow, Keep: true}.Encode()
	}
	return supportbot.Button{Text: label, Data: data}
}
