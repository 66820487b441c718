package flows

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"supportbot/locale"
)

// What the flows that move money (early repayment, paying a bill) share: a
// quote from the core, shown with its parts and the card, confirmed with a
// button that carries the quote's id; confirming commits a money action
// (pending) keyed by that quote, which the worker executes against the core
// after the commit. The outcome comes back as an event of the chat
// (settledPayment). A quote is only ever charged once: one quote, one key
// (the next one only after the first was declined or refused: quoteKey).

// repayKey is the idempotency key of the repayment of a quote: the same
// confirm, however often it is tapped or delivered, is one key.
func repayKey(quoteID string) string { return idempotencyKey("repay:" + quoteID) }

// maxQuoteAttempts bounds the confirms of one quote id (quoteKey).
const maxQuoteAttempts = 20

// quoteKey is the key a confirm of quote qid takes, and the action under
// it if there is one the customer must be told of instead. A core may
// quote the same id again while it is valid — nothing in the contract
// says a quote is new at every POST /quotes, and a decline does not use it
// up: "换一张卡重试" after a decline, confirmed, sent the first confirm's key
// again, which the core answers with that decline replayed (or, another
// card, idempotency_key_reused), while the step said "⏳ working on it"
// for good (a core probe). So a quote whose key was declined, refused or
// failed takes the next attempt's key ("repay-2:Q"…); one paid or being
// paid under it is told, never charged again.
func quoteKey(s *Step, qid string) (string, *supportbot.Action, error) {
	for n := 1; n <= maxQuoteAttempts; n++ {
		key := repayKey(qid)
		if n > 1 {
			// Its own prefix: "repay:Q:2" would be the first key of a
			// quote whose id is "Q:2".
			key = idempotencyKey("repay-" + strconv.Itoa(n) + ":" + qid)
		}
		a, err := s.e.st.Action(s.ctx, key)
		switch {
		case supportbot.ErrorCode(err) == supportbot.ENOTFOUND:
			return key, nil, nil
		case err != nil:
			return "", nil, err
		case a.State == supportbot.ActionSucceeded || a.State.Open() || a.CustomerID != s.conv.CustomerID:
			return key, a, nil
		}
	}
	return "", nil, fmt.Errorf("quote %s confirmed %d times: %w", qid, maxQuoteAttempts, supportbot.ErrCoreBadAnswer)
}

// idempotencyKey is key as the core takes it (CheckIdempotencyKey). The
// core's ids are not bound to that (a quote id may be long, or not ASCII):
// such a key is sent as its prefix and a SHA-256 of the whole — still one
// key per quote, the same on every retry.
func idempotencyKey(key string) string {
	if supportbot.CheckIdempotencyKey(key) == nil {
		return key
	}
	prefix, _, _ := strings.Cut(key, ":")
	sum := sha256.Sum256([]byte(key))
	return prefix + ":sha256:" + hex.EncodeToString(sum[:])
}

func argString(args []any, i int) string {
	if i < len(args) {
		s, _ := args[i].(string)
		return s
	}
	return ""
}

// quoteKinds are the quoting flows and what they ask the core for.
var quoteKinds = map[string]supportbot.QuoteKind{"repay": supportbot.QuotePayoff, "pay": supportbot.QuoteBill}

// usableCards are the cards a payment can use: the default first, frozen
// ones left out (the bank declines every debit on them).
func usableCards(cards []supportbot.Card) []supportbot.Card {
	var out []supportbot.Card
	for _, c := range cards {
		if !c.Frozen {
			out = append(out, c)
		}
	}
	return out
}

// quoteCard is the card a quote charges: the one chosen in the slots, or
// kept from the quote this one replaces, if it is still usable, else the
// first usable one (the default, if it is).
func quoteCard(s *Step, usable []supportbot.Card, declined string) supportbot.Card {
	for _, id := range []string{s.slots.Card, s.cardKept} {
		for _, c := range usable {
			if id != "" && c.ID == id {
				return c
			}
		}
	}
	for _, c := range usable {
		if c.ID != declined {
			return c
		}
	}
	return usable[0]
}

// declinedCard is the card the bank declined the plan's latest payment on,
// in the last half hour: "换一张卡重试" then quotes another card, when there
// is one (a money probe: the declined card was quoted again, to be
// declined again on a confirm made in trust).
func declinedCard(s *Step, planID string) (string, error) {
	list, err := repaymentsOf(s, planID, "", s.now.Add(-askedAfter))
	if err != nil || len(list) == 0 || list[0].State != supportbot.ActionDeclined || list[0].Repay == nil {
		return "", err
	}
	return list[0].Repay.CardID, nil
}

// getQuote asks the core to price plan p for flow, and shows the quote for
// confirmation. note, if set, says why the customer sees a new quote.
func getQuote(s *Step, flow string, p *supportbot.Plan, note string) error {
	if busy, err := planBusy(s, p, ""); busy || err != nil {
		return err
	}
	cards, err := s.cards()
	if err != nil {
		return err
	}
	usable := usableCards(cards)
	if len(usable) == 0 {
		s.finish()
		text := s.T("repay.no_card")
		if len(cards) > 0 {
			text = s.T("repay.only_frozen")
		}
		// What it comes to, all the same: a probe whose cards were all
		// frozen never learned what their payoff was. A quote asks for no
		// card; not offered to confirm, there being none to pay with.
		kind := quoteKinds[flow]
		if q, err := s.e.core.Quote(s.ctx, s.key("quote"), supportbot.QuoteRequest{CustomerID: s.conv.CustomerID, PlanID: p.ID, Kind: kind}); err == nil && q != nil && q.Amount > 0 {
			text = s.T("repay.owed_"+string(kind), "product", p.Product, "amount", money(q.Amount)) + "\n" + text
		}
		s.say(text+"\n\n"+s.T("cards.bind_howto"), []supportbot.Button{s.humanBtn(), s.menuBtn(s.T("btn.menu"), "menu")})
		return nil
	}
	declined, err := declinedCard(s, p.ID)
	if err != nil {
		return err
	}
	card := quoteCard(s, usable, declined)
	kind := quoteKinds[flow]
	req := supportbot.QuoteRequest{CustomerID: s.conv.CustomerID, PlanID: p.ID, Kind: kind}
	var debited []int // the rule's periods, being debited, when another is asked for by name
	if kind == supportbot.QuoteBill && !(s.ev.Kind == supportbot.EventText && overdueNamed(strings.ToLower(s.ev.Text))) {
		// (The overdue one asked for by name, "pay the overdue one", is
		// the one being debited: nothing to pay again, not another period.)
		if req.Periods, debited, err = dueBeyondDebits(s, *p); err != nil {
			return err
		}
	}
	q, err := s.e.core.Quote(s.ctx, s.key("quote"), req)
	if ce := refusal(err); ce != nil {
		s.finish()
		if ce.Code == supportbot.CoreNothingToPay {
			return nothingToPay(s, flow, p)
		}
		if ce.NotFound() {
			s.expired()
			return nil
		}
		return err
	} else if err != nil {
		return err
	}
	if nothing, err := quotesNothing(s, q, p); err != nil || nothing {
		// Every period asked for is being debited: a core may say so as a
		// quote of nothing with them left out rather than 409
		// nothing_to_pay — both read the contract (a core probe was told
		// the quote was wrong). Nothing to pay, the debit said.
		if err == nil {
			s.finish()
			err = nothingToPay(s, flow, p)
		}
		return err
	}
	err = checkQuote(q, p, req, s.now, s.e.cfg.Location)
	if err == nil {
		err = quotesNoDebiting(s, q, p)
	}
	if err == nil && len(q.Excluded) == 0 {
		q.Excluded = debited // said above the quote as left out, as the rule's own quote would
	}
	if err != nil {
		// The core's figures cannot be right: say so, charge nothing, and
		// leave a way on (try again, or a person).
		s.e.log.Error("refused a wrong quote", "chat", s.e.chatRef(s.conv.ChatID), "err", err)
		s.finish()
		s.say(s.T("repay.quote_wrong"), []supportbot.Button{s.menuBtn(s.T("repay.btn_again"), flow+":"+p.ID), s.humanBtn()},
			[]supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
		return nil
	}
	var replaced string // the plan of a quote this one replaces: "whats the fee on the laptop", "提前结清笔记本" at the phone's
	left := s.quoteLeft
	if s.slots.Quote != nil {
		left = s.slots.Plan
	}
	if left != "" && left != p.ID {
		if prev, err := s.plan(left); err == nil && prev != nil {
			replaced = prev.Product
		}
	}
	if l := strings.ToLower(s.ev.Text); replaced != "" && s.ev.Kind == supportbot.EventText && containsAny(l, "多少", "几多", "how much", "what's", "whats", "what is") {
		// "hold on, how much is the laptop payoff?" at the watch's quote:
		// answered with the laptop's quote — a confirm next may be meant for
		// the watch, so it is asked again, naming the laptop (a probe: it
		// paid the laptop).
		s.askedAside = true
		s.slots.Aside = true
	}
	s.slots.Plan, s.slots.Card = p.ID, card.ID
	s.slots.Quote = &quoteSlot{ID: q.ID, Kind: q.Kind, Amount: q.Amount, Parts: q.Parts, Periods: q.Periods, Excluded: q.Excluded,
		Expires: q.ExpiresAt, Card: card.ID}

	var lines []string
	if note != "" {
		lines = append(lines, s.T(note, "amount", money(q.Amount)), "")
	}
	paid, err := paidJustNow(s, p, q)
	if err != nil {
		return err
	}
	lines = append(append(lines, paid...), quoteBreakdown(s, flow, p, q)...)
	if replaced != "" {
		lines = append(lines, s.T("repay.quote_replaces", "product", replaced))
	}
	lines = append(lines, s.T("repay.quote_card", "card", card.Masked()))
	if frozen := len(cards) - len(usable); frozen > 0 {
		lines = append(lines, s.T("repay.frozen_left_out", "count", frozen))
	}
	lines = append(lines, s.T("repay.quote_valid", "minutes", int((q.ExpiresAt.Sub(s.now)+30*time.Second)/time.Minute), "time", validUntil(s, q.ExpiresAt)))
	rows := [][]supportbot.Button{{s.btn(s.T("repay.btn_confirm", "amount", money(q.Amount)), "ok", q.ID)}}
	if len(usable) > 1 {
		rows = append(rows, []supportbot.Button{s.btn(s.T("repay.btn_card"), "cards")})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return s.appendAnnouncement()
}

// dueBeyondDebits are the periods a bill asks for by name when every
// period the bill rule pays is being debited already (an overdue one, its
// booking running) and one more falls due today or is due already: that
// one, which the rule would leave unpayable until the debit settles (an
// English probe: "nothing to pay again", a period due today and no booking
// on it). nil otherwise: the rule's periods, asked as the default.
// It also returns the rule's periods then, being debited.
func dueBeyondDebits(s *Step, p supportbot.Plan) (periods, debited []int, err error) {
	sched, err := s.scheduled()
	if err != nil {
		return nil, nil, err
	}
	busy := supportbot.DebitingPeriods(p.ID, sched, s.now)
	rule := billPeriods(p, s.today)
	if len(rule) == 0 || slices.ContainsFunc(rule, func(n int) bool { return !busy[n] }) {
		return nil, nil, nil
	}
	for _, b := range p.Bills {
		if b.Status == supportbot.BillUnpaid && !busy[b.Period] && !slices.Contains(rule, b.Period) && b.DueDate <= s.today {
			return []int{b.Period}, rule, nil
		}
	}
	return nil, nil, nil
}

// paidJustNow says, above a bill's quote of periods not due yet, which of
// the plan's periods were paid here in the last half hour, and when: the
// quote is the next period's (a probe: a bill's "还这期" tapped again after
// paying it quoted the next period, 18 days early, without a word).
func paidJustNow(s *Step, p *supportbot.Plan, q *supportbot.Quote) ([]string, error) {
	if q.Kind != supportbot.QuoteBill || slices.ContainsFunc(q.Periods, func(n int) bool {
		b, ok := billOf(p, n)
		return !ok || b.DueDate <= s.today
	}) {
		return nil, nil
	}
	a, err := paidHereLately(s, p)
	if a == nil || err != nil {
		return nil, err
	}
	periods := a.Outcome.Repayment.Periods
	return []string{s.T("pay.paid_just_now", "product", p.Product, "periods", periodList(s, periods), "n", len(periods),
		"time", when(s, a.SettledAt)), ""}, nil
}

// paidHereLately is the latest payment of p made here in the last half
// hour, if any.
func paidHereLately(s *Step, p *supportbot.Plan) (*supportbot.Action, error) {
	list, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, s.now.Add(-askedAfter))
	if err != nil {
		return nil, err
	}
	for i, a := range list { // the latest first
		if a.PlanID == p.ID && a.State == supportbot.ActionSucceeded && a.Outcome.Repayment != nil && s.now.Sub(a.SettledAt) <= askedAfter {
			return &list[i], nil
		}
	}
	return nil, nil
}

// quoteBreakdown is what a quote pays and what it is made of, up to its
// total (and, paying off, the total compared with the plan as scheduled).
func quoteBreakdown(s *Step, flow string, p *supportbot.Plan, q *supportbot.Quote) []string {
	var lines []string
	if flow == "repay" {
		lines = payoffLines(s, p, q)
	} else {
		lines = billLines(s, p, q)
	}
	lines = append(append(append(lines, leftOut(s, p, q)...), askedBeyond(s, p, q)...), s.T("repay.quote_total", "amount", money(q.Amount)))
	if flow == "repay" {
		// The two figures a customer compares: what the plan would cost as
		// scheduled, and the fees that paying off today saves.
		if remaining := scheduledCost(p, q); remaining != q.Amount {
			lines = append(lines, s.T("repay.quote_remaining", "remaining", money(remaining)))
			if remaining < q.Amount { // both bounded: the difference is too
				// The prepayment fee over the fees it waives: paying
				// off costs more than paying as scheduled (a probe's last
				// period, ¥6.00 more), said rather than left to compare.
				if late := countOverdue(*p, s.today); late > 0 {
					// /pay pays the overdue periods, not "the current one
					// alone" (an English probe).
					lines = append(lines, s.T("repay.quote_costs_more_overdue", "more", money(q.Amount-remaining), "count", late))
				} else {
					lines = append(lines, s.T("repay.quote_costs_more", "more", money(q.Amount-remaining)))
				}
			}
		}
		if waived := waivedFees(p, q, s.today); waived > 0 {
			lines = append(lines, s.T("repay.quote_waived", "amount", money(waived)))
		}
		// Overdue periods a booking is debiting are left out of the quote,
		// and cannot be paid alone either (a probe was offered 「只还逾期
		// 的」 and refused).
		if n := countOverdue(*p, s.today) - overdueLeftOut(p, q, s.today); n == 1 {
			// "把欠的全还了" from a customer overdue may mean the overdue
			// bill: how to pay that alone, beside the payoff (a probe).
			lines = append(lines, s.T("repay.overdue_only"))
		} else if n > 1 { // not "that period alone" of several (an audit)
			lines = append(lines, s.T("repay.overdue_only_all", "count", n))
		}
	} else if n := len(q.Periods); n > 1 {
		// A bill of several periods (overdue ones) pays them together:
		// said, not left for "只还第4期" to find out (an audit: all three
		// quoted without a word).
		lines = append(lines, s.T("pay.periods_together", "count", n))
	}
	return lines
}

// onePeriodOfSeveral asks to pay one period of a bill's several ("只还第4
// 期", "能不能只还一期", "just the oldest overdue one", "can i pay just one").
var onePeriodOfSeveral = regexp.MustCompile(`只(?:还|付|交)(?:第?\s*[0-9一二三四五六七八九十]+\s*期|一期|其中一期|最早的?|最老的?)|只还一部分|先还一期|` +
	`\b(?:just|only) (?:the )?(?:oldest|first|earliest|one)\b|\bpay (?:just|only) (?:one|period [0-9]+)\b|\bonly period [0-9]+\b|` +
	`\b(?:just|only) pay (?:the )?(?:period [0-9]+|one period|one of them|the oldest|the first)\b`) // "only pay period 3" (a probe: how to confirm the three)

// countOverdue is how many of the plan's periods are overdue today.
func countOverdue(p supportbot.Plan, today supportbot.Date) int {
	n := 0
	for _, b := range p.Bills {
		if b.Overdue(today) {
			n++
		}
	}
	return n
}

// leftOut says which periods a quote leaves out because a booking is
// debiting them now, if any — and, for a booking short of its period, what
// the customer is still to pay of it once the debit is done.
func leftOut(s *Step, p *supportbot.Plan, q *supportbot.Quote) []string {
	if len(q.Excluded) == 0 {
		return nil
	}
	busy := func(periods []int) string {
		return s.T("pay.busy_left_out", "periods", periodList(s, periods), "n", len(periods))
	}
	sched, err := s.scheduled()
	if err != nil {
		return []string{busy(q.Excluded)} // the core's own exclusion stands; the shortfall is /bill's to say
	}
	// A booking about to run is not being debited yet: when it runs is
	// said (a probe: "正在扣款中" two hours before its time).
	var lines []string
	var debiting []int
	for _, n := range q.Excluded {
		if at, soon := debitingSoon(p.ID, n, sched, s.now); soon {
			lines = append(lines, s.T("pay.soon_left_out", "period", n, "when", when(s, at)))
		} else {
			debiting = append(debiting, n)
		}
	}
	if len(debiting) > 0 {
		lines = append([]string{busy(debiting)}, lines...)
	}
	cards, err := s.cards()
	for _, b := range p.Bills {
		if !slices.Contains(q.Excluded, b.Period) {
			continue
		}
		if err == nil && debitingFrozen(s, *p, b, cards, sched) != "" {
			// Left out, and bound to fail: paid by hand after (a probe's
			// payoff said nothing of it).
			lines = append(lines, s.T("pay.left_out_frozen", "period", b.Period))
			continue
		}
		if short := debitingShort(p.ID, b, sched, s.now); short > 0 {
			lines = append(lines, s.T("pay.left_out_short", "period", b.Period, "booked", money(b.Due()-short), "short", money(short)))
		}
	}
	return lines
}

// askedBeyond says, under a bill's quote, which periods the words that
// asked for it named but it does not pay ("把逾期的和这个月的都还了", "还12
// 月的", "把这期和下期一起还了"): bills are paid period by period, the
// earliest first, and the rest can be paid once this one is (a probe: the
// overdue period alone was quoted and paid, the other not a word).
func askedBeyond(s *Step, p *supportbot.Plan, q *supportbot.Quote) []string {
	if q.Kind != supportbot.QuoteBill || s.ev.Kind != supportbot.EventText || len(q.Periods) == 0 {
		return nil
	}
	l := s.asked(strings.ToLower(inDigits(s.ev.Text))) // not what is put off: "…，下期的不用管", "…，剩下的下个月再说"
	last := slices.Max(q.Periods)
	current, _ := nextNotOverdue(*p, s.today) // "这期": the one not overdue yet
	month, monthSaid := monthNamed(l, s.today)
	if nextOneSaid.MatchString(l) && !periodNamed.MatchString(l) {
		// "那下期呢" right after paying a period: the next one is this
		// quote's, not the one after it (a probe was told "你说的第 7 期
		// 不在这笔里" above period 6's quote) — but next month is a month
		// ("那下个月呢": this month's period quoted, January's said apart).
		if a, err := paidHereLately(s, p); err == nil && a != nil && slices.Max(a.Outcome.Repayment.Periods) < q.Periods[0] &&
			nextAfter(p, slices.Max(a.Outcome.Repayment.Periods)) == q.Periods[0] {
			return nil
		}
	}
	var asked []int
	for _, b := range p.Bills {
		if b.Status != supportbot.BillUnpaid || slices.Contains(q.Periods, b.Period) || slices.Contains(q.Excluded, b.Period) {
			continue
		}
		if firstNumber(periodSaid, l) == b.Period || monthSaid && strings.HasPrefix(string(b.DueDate), month) ||
			periodNamed.MatchString(l) && b.Period == current.Period || nextPeriodSaid.MatchString(l) && b.Period == nextAfter(p, last) {
			asked = append(asked, b.Period)
		}
	}
	if len(asked) == 0 {
		return nil
	}
	key := "pay.asked_beyond"
	if len(asked) == 1 && asked[0] == current.Period && periodNamed.MatchString(l) && firstNumber(periodSaid, l) != current.Period && !monthSaid {
		// "还本期账单" (the menu's words) with a period overdue: this
		// period by its name, not "the period 5 you said" (a probe).
		key = "pay.asked_beyond_current"
	}
	return []string{s.T(key, "quoted", periodList(s, q.Periods), "asked", periodList(s, asked), "n", len(asked))}
}

// beyondAtQuote says, at a bill's quote, which periods asked for too it does
// not pay ("顺便把下个月的也还了", "第5期也一起还"): bills go period by period,
// the quote waiting (a probe got how to confirm alone, and a 确认 paid the
// one period without a word of the other).
func beyondAtQuote(s *Step, text string) (bool, error) {
	l := strings.ToLower(inDigits(text))
	_, monthSaid := monthNamed(l, s.today)
	if s.conv.Flow != "pay" || s.slots.Quote == nil || !nextPeriodNamed.MatchString(l) && !periodSaid.MatchString(l) && !monthSaid ||
		!paySaid(l) && !nextAsked.MatchString(l) || zhNotPaying.MatchString(l) || negation.MatchString(l) || // "那下期呢" too (a probe: unsure)
		describesAPlan(l) || asksPayoff(l) { // "贵的那个我下个月也要提前还": another plan, later (a replay)
		return false, nil
	}
	p, q, err := shownQuote(s)
	if p == nil || err != nil {
		return err != nil, err
	}
	lines := askedBeyond(s, p, q)
	if len(lines) == 0 {
		return false, nil
	}
	s.say(strings.Join(lines, "\n") + "\n" + s.confirmHow())
	return true, nil
}

// laterLeftOutAtQuote answers, at a bill's quote, the next period said
// not to be paid ("下期不用还", "下个月的先不还", "not next month's"):
// the quote pays only its own periods, and waits (a probe: taken as a no
// to the quote itself). With no unpaid period after the quote's, or this
// period said too ("这期和下期都不还了"), the no is the quote's.
func laterLeftOutAtQuote(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	no := zhNotPaying.MatchString(l) || negation.MatchString(l) || deferred.MatchString(l)
	thisToo := periodNamed.MatchString(l) || containsAny(l, "都", "全", "两期", "this one", "both", "either", "neither", "none", "any") // "这期和下期都不还了"
	if s.conv.Flow != "pay" || s.slots.Quote == nil || !nextPeriodNamed.MatchString(l) || !no || thisToo || describesAPlan(l) {
		return false, nil
	}
	p, q, err := shownQuote(s)
	if p == nil || err != nil || q.Kind != supportbot.QuoteBill || len(q.Periods) == 0 || nextAfter(p, slices.Max(q.Periods)) == 0 {
		return err != nil, err
	}
	s.say(s.T("pay.later_left_out", "quoted", periodList(s, q.Periods), "n", len(q.Periods)) + "\n" + s.confirmHow())
	return true, nil
}

// nextPeriodNamed names the period after this one as a thing ("下个月的",
// "下期"), not when ("下个月也要还").
var nextPeriodNamed = regexp.MustCompile(`下一?期|下个?月(?:的|那期|那笔)|\bnext (?:period|month's|installment|bill)\b`)

// nextPeriodSaid names the period after this one ("下期", "下个月的", "next
// month's").
var nextPeriodSaid = regexp.MustCompile(`下一?期|下个?月|\bnext (?:period|month|installment|bill)\b`)

// nextOneSaid names the next period, not a month ("下期", "下一期", "the
// next one").
var nextOneSaid = regexp.MustCompile(`下一?期|\bnext (?:period|installment|bill|one)\b`)

// nextAfter is the first unpaid period of p after period n, 0 for none.
func nextAfter(p *supportbot.Plan, n int) int {
	for _, b := range p.Bills {
		if b.Period > n && b.Status == supportbot.BillUnpaid {
			return b.Period
		}
	}
	return 0
}

// explainQuote answers a question about the quote in front of the customer
// ("为什么是5074不是4999", "那12号那笔预约会自动取消吗"): what it is made of
// and which bookings it cancels, as quoted, then how to confirm it. A quote
// kept from before its parts were (an older version's) is not taken apart.
func explainQuote(s *Step, flow, text string) (bool, error) {
	p, q, err := shownQuote(s)
	if p == nil || err != nil {
		return err != nil, err
	}
	lines := append([]string{s.T("repay.quote_explained")}, quoteBreakdown(s, flow, p, q)...)
	if asksAboutBooking(text) && len(cancelledBookings(s, p, q)) == 0 && len(q.Excluded) == 0 {
		lines = append(lines, s.T("repay.quote_cancels_none"))
	}
	var rows [][]supportbot.Button
	if doubtsQuote(text) { // a person checks it, if the parts do not settle it
		lines = append(lines, s.T("repay.quote_doubted"))
		rows = [][]supportbot.Button{{s.humanBtn()}}
	}
	s.say(strings.Join(lines, "\n")+"\n\n"+s.quoteConfirmHow(q.Amount), rows...)
	return true, nil
}

// doubtsQuote is a short message that doubts the quote's amount, naming
// nothing else — "金额不对吧", "这有问题吧", "this looks wrong": a probe got
// the guide to double charges, or a hand-off, not the quote's parts. A
// card's trouble ("这张卡有问题") is not the quote's, nor is a correction
// that asks for something ("不对 是要还清全部").
func doubtsQuote(text string) bool {
	l := strings.ToLower(text)
	return utf8.RuneCountInString(l) <= 30 && quoteDoubt.MatchString(l) &&
		!containsAny(l, "卡", "还", "结清", "付", "要", "想", "应该", "card", "pay", "settle", "want", "should", "meant",
			// leaving, or another plan: not the amount doubted (a review: "不对 取消", "wrong one")
			"取消", "返回", "不是", "算了", "换", "另", "别的", "cancel", "back", "one", "plan", "other", "not this", "another", "leave", "stop", "exit")
}

var quoteDoubt = regexp.MustCompile(`不对|有问题|有误|错了吧|算错|不太对|不正确|\bwrong\b|not right|incorrect|\bmistake\b|doesn'?t (?:look|seem) right`)

// chargedOnce answers "会扣两次吗" at a quote: it is charged once, and
// what it does about the bookings of its plan — cancels those of the
// periods it pays, leaves out those being debited — as quoted.
func chargedOnce(s *Step) error {
	lines := []string{s.T("repay.quote_once")}
	p, q, err := shownQuote(s)
	if err != nil {
		return err
	}
	if p != nil {
		lines = append(append(lines, cancelledBookings(s, p, q)...), leftOut(s, p, q)...)
	}
	s.say(strings.Join(lines, "\n") + "\n" + s.quoteConfirmHow(s.slots.Quote.Amount))
	return nil
}

// shownQuote is the quote the customer is looking at, and its plan; nil
// when its plan is gone, or the quote was kept before its parts were (an
// older version's).
func shownQuote(s *Step) (*supportbot.Plan, *supportbot.Quote, error) {
	qs := s.slots.Quote
	if sum, err := qs.Parts.Sum(); err != nil || sum != qs.Amount {
		return nil, nil, nil
	}
	plans, err := s.plans()
	if err != nil {
		return nil, nil, err
	}
	i := slices.IndexFunc(plans, func(p supportbot.Plan) bool { return p.ID == s.slots.Plan })
	if i < 0 {
		return nil, nil, nil
	}
	return &plans[i], &supportbot.Quote{ID: qs.ID, CustomerID: s.conv.CustomerID, PlanID: s.slots.Plan, Kind: qs.Kind,
		Periods: qs.Periods, Amount: qs.Amount, Parts: qs.Parts, Excluded: qs.Excluded, ExpiresAt: qs.Expires}, nil
}

// quotesNoDebiting refuses a quote that pays a period the bot reads as
// being debited by its booking (processing, or within DebitCutoff): paying
// it would debit that period twice, and the quote would say its booking is
// cancelled (a money probe: a core quoting such a period was shown, "不会
// 重复扣款", and charged on confirm).
func quotesNoDebiting(s *Step, q *supportbot.Quote, p *supportbot.Plan) error {
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	debiting := supportbot.DebitingPeriods(p.ID, sched, s.now)
	if i := slices.IndexFunc(q.Periods, func(n int) bool { return debiting[n] }); i >= 0 {
		return supportbot.Errorf(supportbot.EINTERNAL, "core quote %s pays period %d, which its booking is debiting", q.ID, q.Periods[i])
	}
	return nil
}

// checkQuote refuses a quote of plan p that cannot be right: another plan's
// or kind than asked, money out of bounds, parts that do not add up to the
// amount, or that are not what the periods it lists cost (a bill pays each
// of them in full; a payoff pays their whole principal). It is never shown,
// let alone charged. Nor is one that expires within quoteMinLife of now: it
// could not be confirmed in time, and quoting again would only bring
// another like it.
func checkQuote(q *supportbot.Quote, p *supportbot.Plan, req supportbot.QuoteRequest, now time.Time, loc *time.Location) error {
	kind := req.Kind
	sum, err := q.Parts.Sum()
	switch {
	case q.PlanID != p.ID:
		return supportbot.Errorf(supportbot.EINTERNAL, "core quoted plan %s for %s", q.PlanID, p.ID)
	case q.Kind != kind:
		return supportbot.Errorf(supportbot.EINTERNAL, "core quote %s is a %s quote, %s asked", q.ID, q.Kind, kind)
	case err != nil || sum != q.Amount || q.Amount <= 0 || q.Amount > supportbot.MaxPlanMoney:
		return supportbot.Errorf(supportbot.EINTERNAL, "core quote %s: amount %d is not the sum of its parts or out of bounds", q.ID, q.Amount)
	case q.ExpiresAt.IsZero():
		return supportbot.Errorf(supportbot.EINTERNAL, "core quote %s has no expiry", q.ID)
	case !q.ExpiresAt.After(now.Add(quoteMinLife)) || q.ExpiresAt.After(now.Add(quoteMaxLife)):
		return supportbot.Errorf(supportbot.EINTERNAL, "core quote %s expires at %s, now is %s", q.ID, q.ExpiresAt, now)
	}
	cost, err := periodsCost(p, q.Periods)
	switch {
	case err != nil:
		return supportbot.Errorf(supportbot.EINTERNAL, "core quote %s: %v", q.ID, err)
	case q.Kind == supportbot.QuoteBill && q.Parts != cost:
		return supportbot.Errorf(supportbot.EINTERNAL, "core bill quote %s: parts %+v, its periods %v cost %+v", q.ID, q.Parts, q.Periods, cost)
	case q.Kind == supportbot.QuoteBill && len(req.Periods) > 0:
		if !slices.Equal(q.Periods, req.Periods) {
			return supportbot.Errorf(supportbot.EINTERNAL, "core bill quote %s: periods %v, %v asked", q.ID, q.Periods, req.Periods)
		}
		return nil
	case q.Kind == supportbot.QuoteBill:
		return checkBill(q, p, now, loc)
	case q.Kind == supportbot.QuotePayoff:
		return checkPayoff(q, p, now, loc)
	}
	return nil
}

// checkBill holds a bill quote to the bill rule (CORE_API.md): the overdue
// periods or, none overdue, the earliest unpaid one — those a running debit
// leaves out listed apart — as of the core's today, which may be a few
// minutes off the bot's around midnight. A bill that pays periods not yet
// due is a payoff sold as a bill (a probe's core quoted periods 6–12).
func checkBill(q *supportbot.Quote, p *supportbot.Plan, now time.Time, loc *time.Location) error {
	listed := append(slices.Clone(q.Periods), q.Excluded...)
	slices.Sort(listed)
	for _, at := range []time.Time{now, now.Add(-5 * time.Minute), now.Add(5 * time.Minute)} {
		if slices.Equal(listed, billPeriods(*p, supportbot.DateOf(at, loc))) {
			return nil
		}
	}
	return supportbot.Errorf(supportbot.EINTERNAL, "core bill quote %s: periods %v and left out %v are not the due periods of plan %s",
		q.ID, q.Periods, q.Excluded, p.ID)
}

// billPeriods are the periods a bill of p pays on today, in order: the
// overdue ones or, none overdue, the earliest unpaid one.
func billPeriods(p supportbot.Plan, today supportbot.Date) []int {
	if due := overduePeriods(p, today); len(due) > 0 {
		return due
	}
	if next, ok := p.NextDue(); ok {
		return []int{next.Period}
	}
	return nil
}

// checkPayoff holds a payoff quote to the payoff rule (DESIGN.md): it pays
// every unpaid period but those a running debit leaves out, its principal
// is the rule's over those periods and no fee is more than the rule's — as
// of the core's today, which may be a few minutes off the bot's around
// midnight.
func checkPayoff(q *supportbot.Quote, p *supportbot.Plan, now time.Time, loc *time.Location) error {
	for _, b := range p.Bills {
		in, out := slices.Contains(q.Periods, b.Period), slices.Contains(q.Excluded, b.Period)
		if b.Status == supportbot.BillUnpaid && in == out || b.Status != supportbot.BillUnpaid && out {
			return supportbot.Errorf(supportbot.EINTERNAL, "core payoff quote %s: periods %v and left out %v are not the unpaid periods of plan %s",
				q.ID, q.Periods, q.Excluded, p.ID)
		}
	}
	for _, at := range []time.Time{now, now.Add(-5 * time.Minute), now.Add(5 * time.Minute)} {
		want, err := supportbot.PayoffParts(*p, q.Periods, supportbot.DateOf(at, loc))
		// The principal is the rule's; a fee may be less (waived, a
		// promotion: the customer's gain), never more.
		if err == nil && q.Parts.Principal == want.Principal && q.Parts.Fees <= want.Fees &&
			q.Parts.LateFees <= want.LateFees && q.Parts.PrepayFee <= want.PrepayFee {
			return nil
		}
	}
	return supportbot.Errorf(supportbot.EINTERNAL, "core payoff quote %s: parts %+v are not the payoff rule's over periods %v", q.ID, q.Parts, q.Periods)
}

// quoteMinLife is how long a quote must still be valid when it arrives;
// quoteMaxLife how long it may be (the contract's 15 minutes, and a clock
// a few minutes off): a quote valid for days would be confirmed at prices
// long gone.
const quoteMinLife, quoteMaxLife = time.Minute, 20 * time.Minute

// periodsCost is what the periods a quote of p lists cost in full, part by
// part (no prepayment fee); an error when there are none, or one is not an
// unpaid period of p or is listed twice.
func periodsCost(p *supportbot.Plan, periods []int) (supportbot.QuoteParts, error) {
	if len(periods) == 0 {
		return supportbot.QuoteParts{}, errors.New("no periods")
	}
	bills := make([]supportbot.Bill, len(periods))
	for i, n := range periods {
		b, ok := billOf(p, n)
		if !ok || b.Status != supportbot.BillUnpaid || slices.Contains(periods[:i], n) {
			return supportbot.QuoteParts{}, fmt.Errorf("period %d is not an unpaid period of plan %s, or is listed twice", n, p.ID)
		}
		bills[i] = b
	}
	return supportbot.BillsCost(bills...)
}

// payoffLines are an early repayment quote's lines.
func payoffLines(s *Step, p *supportbot.Plan, q *supportbot.Quote) []string {
	lines := []string{
		s.T("repay.quote_header", "product", p.Product, "order", p.OrderNo),
		s.T("repay.quote_principal", "amount", money(q.Parts.Principal)),
	}
	if q.Parts.Fees > 0 {
		lines = append(lines, s.T("repay.quote_fees", "amount", money(q.Parts.Fees)))
	}
	if q.Parts.LateFees > 0 {
		lines = append(lines, s.T("repay.quote_late_fees", "amount", money(q.Parts.LateFees)))
	}
	notDue := supportbot.Money(0)
	for _, b := range p.Bills {
		if b.Status == supportbot.BillUnpaid && b.DueDate > s.today && slices.Contains(q.Periods, b.Period) {
			notDue += b.Principal
		}
	}
	if p.PrepayFeeRateBP > 0 || q.Parts.PrepayFee > 0 {
		lines = append(lines, s.T("repay.quote_prepay_fee", "rate", rate(p.PrepayFeeRateBP), "base", money(notDue), "amount", money(q.Parts.PrepayFee)))
	} else {
		lines = append(lines, s.T("repay.quote_no_prepay_fee"))
	}
	return append(lines, cancelledBookings(s, p, q)...)
}

// cancelledBookings say which scheduled repayments of the periods a quote
// pays the payment cancels: the customer is not charged for them twice.
func cancelledBookings(s *Step, p *supportbot.Plan, q *supportbot.Quote) []string {
	var lines []string
	sched, _ := s.scheduled()
	for _, r := range sched {
		if r.PlanID == p.ID && r.Status == supportbot.ScheduledScheduled && slices.Contains(q.Periods, r.Period) && !r.Debiting(s.now) {
			lines = append(lines, s.T("pay.quote_cancels", "period", r.Period, "time", when(s, r.RunAt)))
		}
	}
	return lines
}

// scheduledCost is what the periods a payoff quote pays would cost as
// scheduled, each with its fee and late fee (periods left out of the quote,
// a debit already running for them, are not compared); the quote's own
// amount, which is not said, when the sum is out of bounds.
func scheduledCost(p *supportbot.Plan, q *supportbot.Quote) supportbot.Money {
	var amounts []supportbot.Money
	for _, b := range p.Bills {
		if b.Status == supportbot.BillUnpaid && slices.Contains(q.Periods, b.Period) {
			amounts = append(amounts, b.Principal, b.Fee, b.LateFee)
		}
	}
	sum, err := supportbot.SumMoney(amounts...)
	if err != nil {
		return q.Amount
	}
	return sum
}

// waivedFees are the fees of the periods a payoff quote pays that fall due
// after today: paying off waives them. 0 when the sum is out of bounds (it
// is only said, never charged).
func waivedFees(p *supportbot.Plan, q *supportbot.Quote, today supportbot.Date) supportbot.Money {
	var fees []supportbot.Money
	for _, b := range p.Bills {
		if b.Status == supportbot.BillUnpaid && b.DueDate > today && slices.Contains(q.Periods, b.Period) {
			fees = append(fees, b.Fee)
		}
	}
	sum, err := supportbot.SumMoney(fees...)
	if err != nil {
		return 0
	}
	return sum
}

// billLines are a bill quote's lines: each period paid.
func billLines(s *Step, p *supportbot.Plan, q *supportbot.Quote) []string {
	overdue := false
	for _, n := range q.Periods {
		if b, ok := billOf(p, n); ok && b.Overdue(s.today) {
			overdue = true
		}
	}
	header := "pay.quote_current"
	if overdue {
		header = "pay.quote_overdue"
	}
	lines := []string{s.T(header, "product", p.Product, "order", p.OrderNo)}
	for _, n := range q.Periods {
		b, ok := billOf(p, n)
		if !ok {
			continue
		}
		key := "pay.period"
		switch {
		case b.Overdue(s.today):
			key = "pay.period_overdue"
		case b.LateFee > 0:
			key = "pay.period_late"
		}
		lines = append(lines, s.T(key, "period", b.Period, "date", s.day(b.DueDate), "principal", money(b.Principal),
			"fee", money(b.Fee), "late_fee", money(b.LateFee), "amount", money(b.Principal+b.Fee+b.LateFee)))
	}
	return append(lines, cancelledBookings(s, p, q)...)
}

func billOf(p *supportbot.Plan, period int) (supportbot.Bill, bool) {
	for _, b := range p.Bills {
		if b.Period == period {
			return b, true
		}
	}
	return supportbot.Bill{}, false
}

// quotesNothing reports a quote of nothing whose periods are all left out
// as being debited — by the bookings the bot reads running, not only as the
// core says: a quote of nothing leaving out a period no booking debits is
// a wrong quote (checkQuote refuses it).
func quotesNothing(s *Step, q *supportbot.Quote, p *supportbot.Plan) (bool, error) {
	if q.PlanID != p.ID || q.Amount != 0 || len(q.Periods) != 0 || len(q.Excluded) == 0 {
		return false, nil
	}
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	debiting := supportbot.DebitingPeriods(p.ID, sched, s.now)
	return !slices.ContainsFunc(q.Excluded, func(n int) bool { return !debiting[n] }), nil
}

// nothingToPay says why there is nothing to pay on p now: it is paid off,
// nothing is due yet, or the bank is debiting what is due. Unless a
// payment was confirmed just before, it is kept as the last step, on p:
// "那笔记本呢" next asks the same of the laptop (probes: unsure after the
// phone's debit was said, also when the laptop's quote came first and "不
// 对 是手机" turned to the phone); after a payment, what follows stays
// that payment's.
func nothingToPay(s *Step, flow string, p *supportbot.Plan) error {
	if last := s.recent(false); followable[flow] && (last == nil || !last.Done) {
		s.slots.Last = &lastStep{Flow: flow, Plan: p.ID, At: s.now}
	}
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("btn.menu"), "menu")}}
	if !p.Open() {
		s.say(s.T("repay.already_settled", "product", p.Product), rows...)
		return nil
	}
	sched, err := s.scheduled()
	if err != nil {
		return err
	}
	var busy []int
	for n := range supportbot.DebitingPeriods(p.ID, sched, s.now) {
		busy = append(busy, n)
	}
	slices.Sort(busy)
	if len(busy) > 0 {
		text := s.T("pay.busy", "product", p.Product, "periods", periodList(s, busy), "n", len(busy))
		if at, ok := debitingSoon(p.ID, busy[0], sched, s.now); ok && soonOnly(p.ID, sched, s.now) {
			text = s.T("pay.busy_soon", "product", p.Product, "periods", periodList(s, busy), "n", len(busy), "when", when(s, at))
		}
		for _, b := range p.Bills {
			if short := debitingShort(p.ID, b, sched, s.now); slices.Contains(busy, b.Period) && b.Status == supportbot.BillUnpaid && short > 0 {
				text = s.T("pay.busy_short", "product", p.Product, "period", b.Period, "booked", money(b.Due()-short), "short", money(short))
			}
		}
		cards, err := s.cards()
		if err != nil {
			return err
		}
		for _, b := range p.Bills {
			if frozen := debitingFrozen(s, *p, b, cards, sched); frozen != "" && slices.Contains(busy, b.Period) && b.Status == supportbot.BillUnpaid {
				// Not "nothing to pay again": the debit will fail, and
				// only then can the period be paid (the core leaves it
				// out until the debit is over).
				s.say(s.T("pay.busy_frozen", "product", p.Product, "period", b.Period)+"\n"+frozen,
					[]supportbot.Button{s.humanBtn()}, rows[0])
				return nil
			}
		}
		s.say(text, rows...)
		return nil
	}
	s.say(s.T("pay.nothing_due", "product", p.Product), rows...)
	return nil
}

// rate formats basis points as a percentage: 150 → 1.50%.
func rate(bp int64) string {
	return strconv.FormatInt(bp/100, 10) + "." + strconv.FormatInt(bp%100/10, 10) + strconv.FormatInt(bp%10, 10) + "%"
}

// periodsKey is the periods as notices keep them: "6, 7".
func periodsKey(ps []int) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = strconv.Itoa(p)
	}
	return strings.Join(parts, ", ")
}

// periodList is the periods as the customer reads them: 6、7、8 or 6, 7
// and 8 (templates say "period" or "periods" by the count, n).
func periodList(s *Step, ps []int) string {
	if s.conv.Lang != supportbot.LangEN {
		return strings.ReplaceAll(periodsKey(ps), ", ", "、")
	}
	if len(ps) < 2 {
		return periodsKey(ps)
	}
	return periodsKey(ps[:len(ps)-1]) + " and " + strconv.Itoa(ps[len(ps)-1])
}

// validUntil is the time a quote expires, as the customer reads it.
func validUntil(s *Step, t time.Time) string { return t.In(s.e.cfg.Location).Format("15:04") }

// chooseCard offers the customer's usable cards for the quote; frozen ones
// are listed without a button, saying why.
func chooseCard(s *Step) error {
	cards, err := s.cards()
	if err != nil {
		return err
	}
	lines := []string{s.T("repay.choose_card")}
	var rows [][]supportbot.Button
	names := cardNames(s.conv.Lang, cards)
	for i, c := range cards {
		if c.Frozen {
			lines = append(lines, s.T("repay.card_frozen_line", "card", names[i]))
			continue
		}
		rows = append(rows, []supportbot.Button{s.btn(names[i], "card", c.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

// confirmPayment takes the confirm button (or a typed yes) of the quote qid:
// if it is still the quote shown, unexpired, and its card still usable, it
// commits the money action and says the payment is under way.
func confirmPayment(s *Step, flow, qid string) error {
	q := s.slots.Quote
	if q == nil || qid == "" || qid != q.ID {
		if answered, err := staleQuote(s, action{Name: "ok", Arg: qid}); answered || err != nil {
			return err
		}
		s.expired()
		return nil
	}
	if s.slots.Action != "" { // confirmed already: a double tap
		return paymentUnderWay(s, s.slots.Action)
	}
	p, err := s.plan(s.slots.Plan)
	if err != nil {
		return err
	}
	if p == nil {
		s.finish()
		s.expired()
		return nil
	}
	key, used, err := quoteKey(s, q.ID)
	if err != nil {
		return err
	} else if used != nil {
		s.finish()
		if used.CustomerID != s.conv.CustomerID {
			s.expired() // another customer's key: never told of, never charged
			return nil
		}
		return tellAction(s, used)
	}
	if busy, err := planBusy(s, p, key); busy || err != nil {
		return err
	}
	if s.now.After(q.Expires) {
		return s.fire(flow, "quote", p, "repay.expired")
	}
	card, err := s.card(q.Card)
	if err != nil {
		return err
	}
	if card == nil { // gone from the account since the quote
		return s.fire(flow, "quote", p, "repay.card_gone")
	}
	if card.Frozen {
		return s.fire(flow, "quote", p, "repay.card_frozen_now")
	}
	a := &supportbot.Action{Key: key, ChatID: s.conv.ChatID, CustomerID: s.conv.CustomerID, Kind: supportbot.ActionRepay,
		Repay: &supportbot.RepaymentRequest{QuoteID: q.ID, CardID: card.ID, Amount: q.Amount},
		Flow:  flow, PlanID: p.ID, Product: p.Product, Card: card.Masked(), Periods: q.Periods, MessageID: s.target}
	s.startAction(a)
	return s.fire(flow, "pay", a)
}

// workingNonce names the "working on it" message of action key, so that the
// outcome can edit it even when its message id was not known (a typed
// confirmation sends it as a new message).
func workingNonce(key string) string { return "w:" + key }

// sayWorking says that action a is under way; the outcome edits this message.
func (s *Step) sayWorking(a *supportbot.Action, text string) {
	s.reply(supportbot.Reply{Text: text, Nonce: workingNonce(a.Key)})
}

// maxStillTold bounds the "still under way" messages of one action the
// outcome edits (a customer tapping on and on gets plain ones after).
const maxStillTold = 10

// walletNamed reports a payment wallet named (WeChat Pay, Alipay): the bot
// pays with a bound card only.
func walletNamed(text string) bool {
	return containsAny(strings.ToLower(text), "微信", "支付宝", "wechat", "alipay", "weixin", "zhifubao")
}

// sayStill tells that the chat's action is still under way (text) in a
// message its outcome edits (stillTrack, outcomeOf): the last thing on
// the screen is not left saying "under way" once it is done (a fault probe
// saw it so after a cancellation and a closure request).
func (s *Step) sayStill(text string, rows ...[]supportbot.Button) {
	if s.slots.Action == "" || s.slots.StillMore >= maxStillTold {
		s.say(text, rows...)
		return
	}
	if s.slots.Still {
		s.slots.StillMore++
	}
	s.slots.Still = true
	s.reply(supportbot.Reply{Text: text, Buttons: rows, Track: stillTrack(s.slots.Action, s.slots.StillMore)})
}

// sendAll adds replies in order.
func (s *Step) sendAll(replies []supportbot.Reply) {
	for _, r := range replies {
		s.reply(r)
	}
}

// stillTrack names the message that told a second tap of action key that
// it is still under way (n 0), or a later tap (n 1, 2…); the outcome edits
// them too — tracked, not as a step: the store keeps one step message a
// chat, and a second tap's overwrote the first's, left saying "under way"
// (a Telegram probe).
func stillTrack(key string, n int) string {
	if n == 0 {
		return "s:" + key
	}
	return "s:" + key + ":" + strconv.Itoa(n)
}

// outcomeOf makes the step's first reply the outcome of a: the "working on
// it" message, which is the message the confirmation was on unless that
// could not be edited (the sender then sent it anew, and knows it by its
// nonce) or there was none (a typed confirmation). It returns what is to
// follow the outcome (key: what it says), read before the step is
// finished, which forgets the slots:
//   - the messages sayStill left, edited to say where the outcome is (a
//     fault probe saw "⏳ …正在…中" stay the last on the screen);
//   - or, the outcome late (lateOutcome), a new message saying so:
//     Telegram notifies of a message, not of an edit (a fault probe: a
//     result 80–90 s after "比平时慢一些…会马上通知你" came as an edit alone).
func (s *Step) outcomeOf(a *supportbot.Action, key string) []supportbot.Reply {
	s.target, s.targetStep = a.MessageID, workingNonce(a.Key)
	if a.State.Open() {
		return nil
	}
	if s.slots.Action == a.Key && s.slots.Still {
		var edits []supportbot.Reply
		for n := 0; n <= s.slots.StillMore; n++ {
			edits = append(edits, supportbot.Reply{Track: stillTrack(a.Key, n), Text: s.T(key)})
		}
		return edits
	}
	if !a.CreatedAt.IsZero() && s.now.Sub(a.CreatedAt) >= lateOutcome {
		return []supportbot.Reply{{Text: s.T(key)}}
	}
	return nil
}

// lateOutcome is how long after its confirm an outcome is late: the
// customer has likely left the chat, and an edit notifies no one.
const lateOutcome = 30 * time.Second

// startAction commits a money action with the step, claimed by this
// instance: the worker executes it right after the commit, without a
// claim of its own.
func (s *Step) startAction(a *supportbot.Action) {
	s.slots.Action = a.Key
	s.do(func(ctx context.Context, tx Tx) error {
		if a.Kind == supportbot.ActionRepay {
			// planBusy read before the transaction: a repayment of the
			// plan confirmed meanwhile in another of the customer's chats
			// fails this step, which is tried again and told it is busy.
			busy, err := tx.RepaymentUnderWay(ctx, a.CustomerID, a.PlanID, a.Key)
			if err != nil {
				return err
			}
			if busy {
				return errPlanBusy
			}
		}
		err := tx.CreateAction(ctx, a, s.e.cfg.Instance, s.now.Add(actionLease))
		if supportbot.ErrorCode(err) == supportbot.ECONFLICT {
			// The same confirm, delivered again: one action — unless
			// another chat of the customer confirmed the same quote (a
			// core may give it to both) at this moment: this step is
			// tried again, and told of that one (quoteKey).
			if other, err := tx.Action(ctx, a.Key); err == nil && other.ChatID != a.ChatID {
				return errPlanBusy
			}
			return nil
		} else if err == nil {
			s.created = append(s.created, *a)
		}
		return err
	})
}

// errPlanBusy fails a step that would start a repayment of a plan another
// repayment was started on since the step read it: its second try says so.
var errPlanBusy = supportbot.Errorf(supportbot.ECONFLICT, "a repayment of the plan was started meanwhile")

// paying tells the customer the payment is under way.
func paying(s *Step, a *supportbot.Action) {
	s.sayWorking(a, s.T("repay.paying", "amount", money(a.Repay.Amount), "card", a.Card))
}

// paymentUnderWay answers a confirm of a payment already confirmed.
func paymentUnderWay(s *Step, key string) error {
	a, err := s.e.st.Action(s.ctx, key)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		s.say(s.T("repay.paying_still"))
		return nil
	} else if err != nil {
		return err
	}
	return tellAction(s, a)
}

// reference is the one the customer was given for a payment (and the
// message center keeps): the core's repayment id, not the bot's key.
func reference(a *supportbot.Action) string {
	if r := a.Outcome.Repayment; r != nil && r.ID != "" {
		return r.ID
	}
	return a.Key
}

// tellAction says where a money action of the customer's stands.
func tellAction(s *Step, a *supportbot.Action) error {
	rows := [][]supportbot.Button{s.billAndMessages()}
	switch a.State {
	case supportbot.ActionSucceeded:
		s.say(s.T("repay.already_paid", "amount", money(a.Repay.Amount), "time", when(s, a.SettledAt), "reference", reference(a)), rows...)
	case supportbot.ActionPending, supportbot.ActionUnknown, supportbot.ActionProcessing:
		if s.slots.Action == a.Key { // the outcome edits it (settledPayment)
			s.sayStill(s.T("repay.paying_still"), rows...)
			return nil
		}
		s.say(s.T("repay.paying_still"), rows...)
	default:
		return nil
	}
	return nil
}

// otherCardBtn starts the declined payment a again, to be paid with
// another card.
func otherCardBtn(s *Step, a *supportbot.Action) supportbot.Button {
	return s.menuBtn(s.T("repay.btn_other_card"), a.Flow+":"+a.PlanID)
}

// lastPayment answers "扣了吗" with no flow open (the flow ended when the
// payment settled): the outcome of the customer's newest repayment, if it
// was confirmed within askedAfter or still waits for its outcome. It
// reports whether it answered.
func lastPayment(s *Step, text string) (bool, error) {
	if s.conv.CustomerID == "" || !asksIfPaid(text) {
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed { // "did my wife's payment go through?"
		return told, err
	}
	list, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, s.now.Add(-askedAfter))
	if err != nil {
		return false, err
	}
	named, err := planNamed(s, text) // "招联那边还款了没": that plan's, not another's debit (a probe)
	if err != nil {
		return false, err
	}
	whose := named
	if whose == nil { // "笔记本还完了吗" just after its payoff: that payment, not the phone's booking too (a walk)
		if whose, err = settledNamed(s, text); err != nil {
			return false, err
		}
	}
	if whose != nil {
		list = slices.DeleteFunc(list, func(a supportbot.Action) bool { return a.PlanID != whose.ID })
	}
	if len(list) == 0 && notConfirmed.MatchString(strings.ToLower(text)) {
		// "我刚才点了提前还款但是我没点确认那钱扣了没有": nothing is debited
		// without a confirm (an audit got only the debits to come);
		// what the bank is debiting meanwhile, if anything.
		s.say(s.T("repay.unconfirmed_nothing"), s.billAndMessages())
		_, err := bookingsDebiting(s, named)
		return true, err
	}
	if named == nil && len(list) == 0 {
		// "我的耳机还完了吗": a plan paid off already, or a kind of device
		// none of theirs is (a probe got "no recent payment", or another
		// plan's debit).
		if told, err := settledOrNoneNamed(s, text); told || err != nil {
			return told, err
		}
	}
	if len(list) == 0 {
		if told, err := bookingsDebiting(s, named); told || err != nil {
			if err != nil || named != nil {
				return told, err
			}
			return true, s.appendOverdue()
		}
		if told, err := bookingsDone(s, named); told || err != nil { // "did today's payment go through?" after a booking ran
			return told, err
		}
		if named != nil {
			return true, planStatus(s, *named)
		}
		if _, err := latestPaymentNotice(s); err != nil {
			return true, err
		}
		return true, s.appendOverdue()
	}
	a := &list[0]
	rows := [][]supportbot.Button{s.billAndMessages()}
	switch a.State {
	case supportbot.ActionSucceeded:
		s.say(s.T("repay.last_paid", "amount", money(a.Repay.Amount), "time", when(s, a.SettledAt), "reference", reference(a)), rows...)
	case supportbot.ActionDeclined:
		s.say(s.T("repay.last_declined", "amount", money(a.Repay.Amount), "time", when(s, a.CreatedAt), "card", a.Card),
			append([][]supportbot.Button{{otherCardBtn(s, a)}}, rows...)...)
	case supportbot.ActionPending, supportbot.ActionUnknown, supportbot.ActionProcessing:
		s.say(s.T("repay.paying_still"), rows...)
	default: // refused or failed: the FAQ says what to do
		return false, nil
	}
	_, err = bookingsDebiting(s, whose) // and what is being debited meanwhile, if anything
	return true, err
}

// ofKindsSaid are the places in plans of the one plan of each kind of
// device t names, nil when a kind named is none's or several's.
func ofKindsSaid(t string, plans []supportbot.Plan) []int {
	var found []int
	for _, kind := range kindsNamed(t) {
		i := onlyOne(len(plans), func(i int) bool { return kindShown(plans[i].Product) == kind })
		if i == 0 {
			return nil
		}
		if !slices.Contains(found, i-1) {
			found = append(found, i-1)
		}
	}
	slices.Sort(found)
	return found
}

// notConfirmed says the customer did not confirm ("我没点确认", "i didn't
// confirm").
var notConfirmed = regexp.MustCompile(`(?:没|没有|还没|并没有)(?:点|按|回复)?(?:确认|确定)|\b(?:didn'?t|did not|never|haven'?t|have not) (?:press |tap |hit |click )?confirm(?:ed)?\b|\bwithout confirming\b`)

// settledOrNoneNamed answers whether a plan was paid when the words name
// one paid off already (it is), or a kind of device none of the customer's
// plans is; it reports whether it answered.
func settledOrNoneNamed(s *Step, text string) (bool, error) {
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	t := bare(text)
	closed := slices.DeleteFunc(slices.Clone(plans), supportbot.Plan.Open)
	if i, _ := namedIn(t, closed); i > 0 {
		s.say(s.T("repay.already_settled", "product", closed[i-1].Product), s.billAndMessages())
		return true, nil
	}
	// "pad那个还完了吧 扫地机呢": each kind said the one plan of it, all paid
	// off (a regression run: two kinds named read as none).
	if found := ofKindsSaid(t, plans); len(found) > 1 && !slices.ContainsFunc(found, func(i int) bool { return plans[i].Open() }) {
		lines := make([]string, len(found))
		for j, i := range found {
			lines[j] = s.T("repay.already_settled", "product", plans[i].Product)
		}
		s.say(strings.Join(lines, "\n"), s.billAndMessages())
		return true, nil
	}
	kind, word := kindSaid(t)
	if kind >= 0 && !slices.ContainsFunc(plans, ofKind(kind)) {
		s.say(s.T("plans.kind_none", "kind", word), s.billAndMessages())
		return true, nil
	}
	return false, nil
}

// billAndMessages are the buttons under a payment's status: the bill and
// the message center, where its outcome is kept.
func (s *Step) billAndMessages() []supportbot.Button {
	return []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.messages"), "messages")}
}

// planStatus answers whether a plan named has been paid, with nothing paid
// here lately and nothing of it being debited: where the plan stands, as the
// bill says it.
func planStatus(s *Step, p supportbot.Plan) error {
	text, _, err := planStanding(s, p)
	if err != nil {
		return err
	}
	s.say(text, s.billAndMessages())
	return nil
}

// planStanding is where a plan stands, as the bill says it, and whether a
// period of it is overdue.
func planStanding(s *Step, p supportbot.Plan) (string, bool, error) {
	cards, err := s.cards()
	if err != nil {
		return "", false, err
	}
	sched, err := s.scheduled()
	if err != nil {
		return "", false, err
	}
	text, late := planSummary(s, p, cards, sched)
	return text, late, nil
}

// appendOverdue adds the customer's overdue bills, if any, to the last
// reply: "我今天还了 还算逾期吗", "did it go through? am i still overdue"
// with no payment seen got that alone, the question dropped (an audit).
func (s *Step) appendOverdue() error {
	late, err := s.overdueNow()
	if err != nil || len(late) == 0 || len(s.out) == 0 {
		return err
	}
	s.out[len(s.out)-1].Text += "\n\n" + s.T("repay.still_overdue") + "\n" + strings.Join(late, "\n")
	return nil
}

// latestPaymentNotice answers "did my payment go through?" with no payment
// made here in the last half hour and nothing being debited: the latest
// payment the message center has, or that there is none — not an unsure
// guess at double charges (a probe).
func latestPaymentNotice(s *Step) (bool, error) {
	if err := sayLatestNotice(s, append(slices.Clip(paymentNotices), "scheduled_failed"), "repay.none_recent_last", "repay.none_recent"); err != nil {
		return true, err
	}
	// The bookings still ahead, said: "I paid already, why is there still
	// a scheduled payment?" was told none was being debited, where one was
	// to run the next day (a probe).
	views, err := scheduledViews(s)
	if err != nil {
		return true, err
	}
	plans, err := s.plans()
	if err != nil {
		return true, err
	}
	cards, err := s.cards()
	if err != nil {
		return true, err
	}
	var ahead []string
	for _, v := range active(views) {
		if v.Status == supportbot.ScheduledScheduled && v.RunAt.After(s.now) {
			ahead = append(ahead, v.line(s)+keptNote(s, v.ScheduledRepayment, plans, cards))
		}
	}
	if len(ahead) > 0 && len(s.out) > 0 {
		s.out[len(s.out)-1].Text += "\n\n" + s.T("repay.bookings_ahead") + "\n" + strings.Join(ahead, "\n")
	}
	return true, nil
}

// sayLatestNotice says the latest of the customer's notices of kinds with
// key (its time and text), or noneKey when the message center has none.
func sayLatestNotice(s *Step, kinds []string, key, noneKey string) error {
	list, err := s.e.st.Notices(s.ctx, s.conv.CustomerID, 0, noticesShown)
	if err != nil {
		return err
	}
	rows := s.billAndMessages()
	if i := slices.IndexFunc(list, func(n supportbot.Notice) bool { return slices.Contains(kinds, n.Kind) }); i >= 0 {
		s.say(s.T(key, "time", when(s, list[i].Time), "notice", noticeText(s, list[i])), rows)
		return nil
	}
	s.say(s.T(noneKey), rows)
	return nil
}

// lastDebitAsked answers "最近一次扣款是什么时候", "when was my last payment":
// the latest payment the message center has, or that there is none (a
// probe: the bill, without the answer). It reports whether it answered.
func lastDebitAsked(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || !lastDebitSaid.MatchString(l) || !asks(text) && !containsAny(l, "什么时候", "哪天", "几号", "多少", "when", "how much", "what did") ||
		(whenPaidOff.MatchString(l) || thisTheLast.MatchString(l)) && !containsAny(l, " was ", " did ", " were ", "went") { // "when is my last payment", "is this the last payment?": the final one (an audit, a probe: "no repayment yet")
		return false, nil
	}
	if proceed, told, err := s.ownAsked(text); !proceed {
		return told, err
	}
	s.conv.Misses = 0
	return true, sayLatestNotice(s, paymentNotices, "repay.last_record", "repay.no_record")
}

// lastDebitSaid names the latest payment or debit ("最近一次扣款", "上次还款",
// "my last payment").
var lastDebitSaid = regexp.MustCompile(`(?:最近一次|最近一笔|上一次|上次|最后一次)的?(?:扣款|还款|付款|扣钱)|\b(?:last|latest|most recent) (?:payment|debit|repayment|charge)\b|` +
	// "我刚才付了多少", "what did i just pay" (a probe: unsure)
	`(?:刚才|刚刚|方才)(?:我)?(?:付|还|扣|交)了(?:多少|什么|哪笔|哪个)|\b(?:what|how much) did (?:i|you) just (?:pay|charge|take)\b`)

// bookingsDebiting answers "今天的钱扣了没有" with the customer's scheduled
// repayments being debited now, if any — of the plan named, if one is.
// One short of its period, or from a frozen card, says what it leaves to
// pay by hand, and the end no "不用再手动还" (a probe: ¥200.00 of ¥404.91).
func bookingsDebiting(s *Step, named *supportbot.Plan) (bool, error) {
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	cards, err := s.cards()
	if err != nil {
		return false, err
	}
	end := "repay.booking_debiting_end"
	return sayBookings(s, named, func(r supportbot.ScheduledRepayment) bool { return r.Debiting(s.now) },
		func(r supportbot.ScheduledRepayment) string {
			key := "repay.booking_debiting"
			if r.Status == supportbot.ScheduledScheduled && r.RunAt.After(s.now) {
				key = "repay.booking_soon" // with the bank, not debited yet (a probe: "正在扣款中" an hour before)
			}
			line := s.T(key, "product", productOf(plans, r.PlanID), "period", r.Period, "amount", money(r.Amount), "time", when(s, r.RunAt))
			if b, ok := periodOf(plans, r.PlanID, r.Period); ok && b.Status == supportbot.BillUnpaid {
				if g := gapOf(s, r, b, cards); g == gapShort || g == gapCard {
					line += gapNote(s, g, r, b)
					end = "repay.booking_debiting_end_gap"
				}
			}
			return line
		}, &end)
}

// bookingsDone answers whether a payment went through with the customer's
// bookings that ran in the last days — of the plan named, if one is (an
// audit: "did today's payment go through?" after a booking took ¥541.58
// that morning was told no recent repayment was found).
func bookingsDone(s *Step, named *supportbot.Plan) (bool, error) {
	plans, err := s.plans()
	if err != nil {
		return false, err
	}
	return sayBookings(s, named, func(r supportbot.ScheduledRepayment) bool { return ranLately(s, r) },
		func(r supportbot.ScheduledRepayment) string {
			return s.T("repay.booking_done", "product", productOf(plans, r.PlanID), "period", r.Period, "amount", money(r.Amount), "time", when(s, r.RunAt))
		}, nil)
}

// sayBookings says, a line each, the customer's bookings that keep holds
// for — of the plan named, if one is — then the line of the key *end, if
// any, as it stands once every line is made; it reports whether there
// were any.
func sayBookings(s *Step, named *supportbot.Plan, keep func(supportbot.ScheduledRepayment) bool, line func(supportbot.ScheduledRepayment) string, end *string) (bool, error) {
	sched, err := s.scheduled()
	if err != nil {
		return false, err
	}
	sched = slices.DeleteFunc(slices.Clone(sched), func(r supportbot.ScheduledRepayment) bool {
		return !keep(r) || named != nil && r.PlanID != named.ID
	})
	if len(sched) == 0 {
		return false, nil
	}
	lines := make([]string, 0, len(sched)+1)
	for _, r := range sched {
		lines = append(lines, line(r))
	}
	if end != nil {
		lines = append(lines, s.T(*end))
	}
	s.say(strings.Join(lines, "\n"), s.billAndMessages())
	return true, nil
}

// askedAfter is how long after confirming a payment "扣了吗" is about it.
const askedAfter = 30 * time.Minute

// staleQuote answers an old confirm button: if its quote was paid or is
// being paid, say so (never pay again); otherwise it is merely expired.
func staleQuote(s *Step, a action) (bool, error) {
	if a.Name != "ok" || a.Arg == "" {
		return false, nil
	}
	_, act, err := quoteKey(s, a.Arg)
	if err != nil {
		return true, err
	}
	if act == nil || act.CustomerID != s.conv.CustomerID {
		return false, nil // declined or refused, or never confirmed: nothing was paid, the button is just old
	}
	return true, tellAction(s, act)
}

// quoteAction takes a button of a quoting flow: a plan chosen, the quote
// confirmed, another card asked for or chosen.
func quoteAction(s *Step, flow string, a action) (bool, error) {
	switch a.Name {
	case "plan":
		return true, quoteOwnPlan(s, flow, a.Arg, "")
	case "ok":
		return true, confirmPayment(s, flow, a.Arg)
	case "cards":
		return true, chooseCard(s)
	case "card":
		s.slots.Card = a.Arg
		return true, quoteOwnPlan(s, flow, s.slots.Plan, "")
	}
	return false, nil
}

// quoteOwnPlan quotes one of the customer's open plans; a plan of someone
// else's quotes nothing.
func quoteOwnPlan(s *Step, flow, planID, note string) error {
	p, err := s.plan(planID)
	if err != nil {
		return err
	}
	if p == nil {
		s.expired()
		return nil
	}
	if !p.Open() {
		s.finish()
		s.say(s.T("repay.already_settled", "product", p.Product), s.next(s.menuBtn(s.T("menu.bill"), "bill"))...)
		return nil
	}
	return s.fire(flow, "quote", p, note)
}

// quoteText accepts typed answers in a quoting flow: a plan's number or order
// number while choosing, "确认" or "yes" on a quote.
func quoteText(s *Step, flow string) (bool, error) {
	if s.ev.Kind != supportbot.EventText {
		return false, nil
	}
	text := strings.ToLower(strings.TrimSpace(s.ev.Text))
	switch s.conv.State {
	case "choosing":
		if flow == "repay" && sumFollowUp.MatchString(text) {
			return true, askPlan(s) // "那一共是多少": the list again, what paying off all costs above it
		}
		if flow == "pay" && paysAllBills(text) {
			// "pay all my bills" at this list: one at a time, from it (a
			// replay: the payoffs' list, and its "1" quoted a payoff).
			s.say(s.T("pay.one_at_a_time"))
			return true, nil
		}
		if flow == "pay" && asksPayoff(text) && !asks(text) {
			// "pay off the phone due today" at the bills' list: the
			// payoff, not the bill picked by the words (a probe's 确认 paid
			// the bill, nothing said).
			s.finish()
			return true, s.startFlow("repay", "")
		}
		open, err := s.openPlans()
		if err != nil {
			return true, err
		}
		names := make([]string, len(open))
		partners := make([]string, len(open))
		for i, p := range open {
			names[i], partners[i] = p.Product, p.Partner
			if text == strings.ToLower(p.OrderNo) {
				return true, s.fire(flow, "quote", &open[i])
			}
		}
		if i := orderEndSaid(text, open); i > 0 { // "订单尾号7812的" (a probe: the mall's order desk)
			return true, s.fire(flow, "quote", &open[i-1])
		}
		if m := bareOrderEnd.FindStringSubmatch(text); m != nil {
			// "0013", as the list shows two of a name apart (an English probe: "can't answer")
			if i := onlyOne(len(open), func(i int) bool { return strings.HasSuffix(open[i].OrderNo, m[1]) }); i > 0 {
				return true, s.fire(flow, "quote", &open[i-1])
			}
		}
		if i := listChoice(text, len(open), names); i > 0 {
			return true, s.fire(flow, "quote", &open[i-1])
		}
		if named := namesNamed(bare(text), names); len(named) == 1 { // a name typed whole, a word of it in others too ("pro")
			return true, s.fire(flow, "quote", &open[named[0]-1])
		}
		if i := partnerChoice(bare(text), partners, true); i > 0 { // "招联那个"
			return true, s.fire(flow, "quote", &open[i-1])
		}
		if i := partnerSaid(bare(text), open); i > 0 { // "Merchants Union", as the English list shows it
			return true, s.fire(flow, "quote", &open[i-1])
		}
		if i := overdueSaid(text, open, s.today); i > 0 { // "逾期的那个", "the overdue one"
			return true, s.fire(flow, "quote", &open[i-1])
		}
		if notThisOne.MatchString(bare(text)) { // "不是手机 是笔记本", "the laptop not the phone", "not the phone"
			if i := planSaid(bare(text), open); i > 0 {
				return true, s.fire(flow, "quote", &open[i-1])
			}
		}
		if meant := afterCorrection(bare(text)); meant != bare(text) {
			if i := listChoice(meant, len(open), names); i > 0 {
				return true, s.fire(flow, "quote", &open[i-1]) // "笔记本 不对 手机": the one named last
			}
		}
		shown, err := shownAmounts(s, flow, open)
		if err != nil {
			return true, err
		}
		if kind, _ := kindSaid(cmp.Or(kindOnly(bare(text)), s.slots.Kind)); kind >= 0 && (cheapPick.MatchString(bare(text)) || dearPick.MatchString(bare(text))) {
			// "the cheaper one" after "pay off the tablet", "the cheaper
			// tablet": among the plans of that kind.
			for i := range shown {
				switch {
				case kindShown(open[i].Product) == kind:
				case cheapPick.MatchString(bare(text)):
					shown[i] = supportbot.MaxMoney
				default:
					shown[i] = -1
				}
			}
		}
		if i := amountPick(bare(text), shown); i > 0 { // "4999的", "便宜的那个"
			return true, s.fire(flow, "quote", &open[i-1])
		}
		if soonestPick.MatchString(strings.ToLower(text)) {
			// "the one due first", "先到期的那个" at the list (a probe: unsure,
			// or the reminders' guide): as outside a list.
			if p, err := describedPlan(s, flow, open, text); err != nil || p != nil {
				if err != nil {
					return true, err
				}
				return true, s.fire(flow, "quote", p)
			}
		}
		// "都要", "both": one at a time; "上面那个", "that one": which (a
		// probe: a guard against prompt injection, or "can't answer", and
		// the list gone).
		switch w := bare(text); {
		case bothPick.MatchString(w):
			s.say(s.T("pay.one_at_a_time"))
			return true, nil
		case vaguePick.MatchString(w):
			s.say(s.T("step.pick_first"))
			return true, nil
		}
		if p, err := planPickedApart(s, text); !asks(text) && (err != nil || p != nil) { // "新的那台", "12月20号那台": of two of a name — not "will autopay take it on the 1st?" (a regression run)
			if err != nil {
				return true, err
			}
			return true, s.fire(flow, "quote", p)
		}
		if tails := sameNameNamed(bare(text), open); len(tails) > 1 {
			// "小米15" with two Xiaomi 15 plans: which, by its order's end
			// (an audit: the mall's products desk, the list gone).
			s.say(s.T("pay.several_of_name", "orders", strings.Join(tails, s.listSep())))
			return true, nil
		}
		if kind, word := kindSaid(bare(text)); kind >= 0 && pickFiller.Replace(strings.Replace(bare(text), word, "", 1)) == "" {
			// "手机那个" with two phones: which one is for the list to say.
			ofKind := slices.IndexFunc(open, func(p supportbot.Plan) bool { return kindShown(p.Product) == kind })
			if ofKind >= 0 && slices.ContainsFunc(open[ofKind+1:], func(p supportbot.Plan) bool { return kindShown(p.Product) == kind }) {
				s.say(s.T("pay.several_of_kind"))
				return true, nil
			}
		}
	case "quoted":
		own := billConfirms
		if flow == "repay" {
			own = payoffConfirms
		}
		if s.slots.Quote == nil {
			break
		}
		if l := strings.ToLower(text); thisTheLast.MatchString(l) || flow == "repay" && payoffEndsAsked.MatchString(l) {
			// "这次还完就全部结清了吗", "so after this it's fully paid?" at a
			// payoff's quote: yes, said (a probe: the quote dropped for
			// "要的，没还的分期不会自己免掉", untrue of it) — at a bill's,
			// whether this period is the last.
			if err := lastPeriodAnswer(s, s.slots.Plan, text); err != nil {
				return true, err
			}
			s.say(s.confirmHow())
			return true, nil
		}
		if saysPaidAlready(text) && !asks(text) {
			// "wait i already paid it in the app yesterday": told the bill
			// still says unpaid, and not to confirm yet (an English probe:
			// unsure, the quote live).
			s.say(s.confirmHow())
			return true, nil
		}
		if k := s.e.cfg.Classifier.Classify(text); doubtsQuote(text) && (s.personAskedWithWhy(text) || k.Kind == "flow" && k.Confident && intents[k.ID] == "agent" &&
			containsAny(strings.ToLower(text), "客服", "人工", "真人", "human", "person", "agent", "representative", "operator")) && !declinesAgent(text) {
			// "金额不对 帮我找个真人", "wrong amount. human please", "不对 找客
			// 服": the person asked for, the quote closed and said so (a
			// probe: the quote explained again, still live under "请点…确认
			// 还款").
			return true, s.startFlow("agent", "")
		}
		if told, err := alsoAtQuote(s, text); told || err != nil {
			return told, err
		}
		answer := moneyAnswerOf(text, own)
		if answer == acknowledges {
			// "确认 用5555那张", "confirm with card 5555": a yes to another
			// card than the quote's — the quote again on it (or why it
			// cannot be), never a payment from the card quoted. (A confirm
			// word alone names no card.)
			if named, err := quoteOnCardSaid(s, flow, text); named || err != nil {
				return true, err
			}
		}
		switch {
		case answer == confirmsMoney:
			return true, confirmPayment(s, flow, s.slots.Quote.ID)
		case answer == acknowledges:
			// "确认还笔记本" at the phone's quote, "确认第二个", "confirm the
			// second one" (its place in the list): that plan's quote, to
			// confirm in its turn — never a confirmation of this one.
			p, err := openPlanSaid(s, text)
			if err == nil && p == nil {
				p, err = openPlanAt(s, text)
			}
			if err != nil {
				return true, err
			}
			return true, quotePlanSaid(s, flow, p)
		case asksIfPaid(text) && containsAny(text, "账单", "这个月", "本月", "这期", "上期", "上个月", "bill", "this month", "last month", "period"):
			// "我这个月的账单还了没" at a payoff quote: about the bill, which
			// says, beside the quote.
			return true, s.beside("bill", "")
		case asksIfPaid(text): // "扣了吗", "did it go through": not yet
			s.say(s.quoteConfirmHow(s.slots.Quote.Amount))
			return true, nil
		case flow == "pay" && onePeriodOfSeveral.MatchString(text) && len(s.slots.Quote.Periods) > 1:
			// "只还第4期", "just the oldest overdue one" at a bill of several
			// overdue periods: they are paid together (an audit was told to
			// confirm all three, without a word).
			s.say(s.T("pay.periods_together", "count", len(s.slots.Quote.Periods)) + "\n" + s.quoteConfirmHow(s.slots.Quote.Amount))
			return true, nil
		case lateOnDayAsked.MatchString(text) && flow == "pay" && containsAny(text, "逾期", "滞纳金", "late", "overdue"):
			// "is there a late fee if i pay tonight?" at a bill's quote: in
			// time or not, from the bills, the quote staying (an audit: the
			// quote's parts, its fee read as a late fee).
			if told, err := lateIfPaidOn(s, s.ev.Text); told || err != nil {
				if err == nil {
					s.say(s.confirmHow())
				}
				return told, err
			}
		case asksWhichCard(s, text) && containsAny(strings.ToLower(text), "预约", "booking", "booked", "scheduled", "autopay", "auto-pay", "自动还款", "自动扣款"):
			// "手机的预约是哪张卡" at a quote: the booking's or auto-repayment's
			// card, not the quote's (a probe: told the quote's).
			if told, err := debitsAhead(s, s.ev.Text); told || err != nil {
				if err == nil {
					s.say(s.confirmHow())
				}
				return told, err
			}
		case asksWhichCard(s, text): // "which card will this come out of": the quote's, which stays
			s.say(s.T("repay.card_quoted", "card", quotedCard(s)) + "\n" + s.confirmHow())
			return true, nil
		case asksQuoteFee(text): // "有手续费吗", "is there a fee for the phone one?": the quote's parts say
			p, err := openPlanSaid(s, text)
			if err != nil || p != nil && p.ID != s.slots.Plan {
				if err != nil {
					return true, err
				}
				return true, quotePlanSaid(s, flow, p)
			}
			if told, err := explainQuote(s, flow, text); told || err != nil {
				return told, err
			}
		case asksAboutQuote(text) || flow == "repay" && comparesPayingNow(text): // "为什么是5074不是4999", "那笔预约会取消吗", "划算吗"
			if told, err := explainQuote(s, flow, text); told || err != nil {
				return told, err
			}
		case periodsAhead.MatchString(inDigits(text)) && !containsAny(text, "逾期", "overdue", "late"): // "pay 2 periods": not several at once (an audit: how to confirm the one)
			s.say(s.T("pay.periods_ahead") + "\n" + s.confirmHow())
			return true, nil
		case goAheadAndPay.MatchString(bare(text)): // "yes please go ahead and pay": how to confirm
			s.say(s.quoteConfirmHow(s.slots.Quote.Amount))
			return true, nil
		case asksTwice(text): // about this quote, not a charge already made
			return true, chargedOnce(s)
		case correctionPick.MatchString(bare(text)):
			// "no the other one", "不是这个 另一个", "第二个", "搞错了 应该是第
			// 二个" at the phone's quote: the other plan (of two), or the one
			// at that place in the list (a probe: a no, the quote dropped).
			if p, err := otherOrPlacedPlan(s, text); err != nil || p != nil {
				if err != nil {
					return true, err
				}
				return true, quotePlanSaid(s, flow, p)
			}
			return true, chooseAnother(s, flow)
		case kindFollowUp(text) || notThisOne.MatchString(text) || corrects(text):
			// "那笔记本那个呢", "是笔记本的 不是手机", "错了 我要还的是RedmiBook"
			// at the phone's quote: that plan's, in this flow
			p, err := openPlanSaid(s, text)
			if last := lastClause(text); err == nil && p == nil && last != text {
				// "hmm actually nvm the laptop, do the vacuum": the plan of the
				// last clause, the one turned from named before it (a probe:
				// unsure, the laptop's quote left).
				p, err = openPlanSaid(s, last)
			}
			if err != nil || p != nil {
				if err != nil {
					return true, err
				}
				return true, quotePlanSaid(s, flow, p)
			}
			if p, err := planPickedApart(s, text); err != nil || p != nil {
				if err != nil {
					return true, err
				}
				return true, quotePlanSaid(s, flow, p)
			}
			if told, err := kindNoneAtQuote(s, text); told || err != nil {
				return told, err
			}
			if doubtsQuote(text) { // "金额不对吧": no plan named
				return explainQuote(s, flow, text)
			}
			switch l := strings.ToLower(text); {
			case containsAny(l, "取消", "返回", "cancel", "go back"):
				return true, s.declineStep() // "不对 取消", "no thats wrong, go back": left (a review)
			case containsAny(l, "不是这个", "不是这笔", "wrong one", "wrong plan", "not this one", "not that one"):
				// "wrong one" with two plans: the other one's quote
				if p, err := otherPlan(s, s.slots.Plan); err != nil || p != nil {
					if err != nil {
						return true, err
					}
					return true, quotePlanSaid(s, flow, p)
				}
				return true, chooseAnother(s, flow)
			}
		case doubtsQuote(text): // "这有问题吧"
			return explainQuote(s, flow, text)
		case shortRequest(text) && !declines(text):
			return quoteOnCardSaid(s, flow, text)
		}
	case "paying":
		// "confirmed?", "扣了吗", "did it go through?": it is under way.
		if (moneyAnswerOf(text, payoffConfirms) != notAnAnswer || asksAboutIt(text)) && s.slots.Action != "" {
			return true, paymentUnderWay(s, s.slots.Action)
		}
	}
	return false, nil
}

// asksWhichCard reports a question of which card a step would debit
// ("which card will this come out of", "用哪张卡扣", "what card is it on"):
// at a quote the card list came instead of the answer, and the quote was
// gone (a probe). A card named, by its bank or its digits, or one asked to
// be switched to ("换一张卡，哪张卡可以用？", "用工商那张卡，扣哪张我都行",
// "which card can I switch to?") is a request for a card instead (a review).
func asksWhichCard(s *Step, text string) bool {
	l := strings.ToLower(text)
	return whichCard.MatchString(l) && bankIn(l, s.conv.Lang) == "" && !fourDigits.MatchString(l) &&
		!containsAny(l, "换", "别的", "其他", "其它", "另", "信用卡", "都行", "都可以", "都能",
			"switch", "change", "other", "another", "instead", "credit", "can i use", "can i pay with")
}

var (
	whichCard = regexp.MustCompile(`\b(?:which|what) (?:bank )?card\b|\bcome out of\b|\bcharged? (?:to|from) (?:which|what)\b|` +
		`哪张卡|哪个卡|哪一张卡|什么卡|哪张银行卡|从哪.{0,4}扣|扣哪|` + defaultAsked) // "wait which one is default" at a quote (a probe: unsure)
	fourDigits = regexp.MustCompile(`[0-9]{4}`)
)

// defaultAsked asks which card is the default ("现在默认是哪张", "which one
// is default").
const defaultAsked = `默认(?:的)?(?:卡|还款卡)?是哪(?:张|个)|哪张是默认|\bwhich (?:one|card) is (?:my |the )?default\b`

// quotedCard is the card of the quote in front of the customer, as shown.
func quotedCard(s *Step) string {
	cards, err := s.cards()
	if err == nil {
		if i := slices.IndexFunc(cards, func(c supportbot.Card) bool { return c.ID == s.slots.Quote.Card }); i >= 0 {
			return cards[i].Masked()
		}
	}
	return s.slots.Quote.Card
}

// shortRequest is a message short enough to be only a card named: 20
// characters, or 10 words of English within 60 ("pay with the CMB card
// instead please"; Chinese has no spaces to count words by).
func shortRequest(text string) bool {
	n := utf8.RuneCountInString(text)
	return n <= 20 || n <= 60 && len(strings.Fields(text)) <= 10 && !hasHan(text)
}

// cardAsked takes a card named in the request that just quoted a payment
// ("pay the overdue one with my icbc card"): the quote came on the default
// card, with a frozen ICBC card left unsaid (a probe). As at the quote:
// the quote again on that card, or why it cannot be.
func (s *Step) cardAsked(text string) error {
	if s.conv.State != "quoted" || s.slots.Quote == nil || s.conv.Flow != "pay" && s.conv.Flow != "repay" {
		return nil
	}
	cards, err := s.cards()
	if err != nil {
		return err
	}
	if cardChoice(bare(text), cards) == 0 && bankIn(strings.ToLower(text), s.conv.Lang) == "" && !cardEndSaid.MatchString(strings.ToLower(text)) {
		return nil
	}
	said := len(s.out)
	if _, err := quoteOnCardSaid(s, s.conv.Flow, text); err != nil {
		return err
	}
	if slices.ContainsFunc(s.out[said:], func(r supportbot.Reply) bool { return hasStepButton(r.Buttons) }) {
		// Quoted again on the card named: the quote on the default card
		// goes (a probe saw both, and the first one's button paid from the
		// card of the second).
		s.out = slices.Concat(slices.DeleteFunc(slices.Clone(s.out[:said]), func(r supportbot.Reply) bool { return hasStepButton(r.Buttons) }), s.out[said:])
	}
	return nil
}

// quoteOnCardSaid takes a card named at a quote ("用建行的卡", "8888那张",
// "用工商那张卡扣行吗"): the quote again on that card, or why it cannot be.
func quoteOnCardSaid(s *Step, flow, text string) (bool, error) {
	cards, err := s.cards()
	if err != nil {
		return true, err
	}
	if m := refusalThenCard.FindStringSubmatch(strings.ToLower(text)); m != nil && cardChoice(bare(m[1]), cards) > 0 {
		text = m[1] // "not hsbc, china merchants": the card after the one refused (an audit: "you have no China Merchants Bank card", and a confirm paid from HSBC)
	}
	n := cardChoice(bare(text), cards)
	current := quotedCard(s)
	if keepsCard(text) { // "不要换卡": the card quoted, as it is
		s.say(s.T("repay.card_quoted", "card", current) + "\n" + s.confirmHow())
		return true, nil
	}
	if n == 0 || refusesCard(text) {
		return otherCardAsked(s, flow, text, cards, current)
	}
	switch {
	case cards[n-1].ID == s.slots.Quote.Card: // "pay with 4321", the quote's own
		s.say(s.T("repay.card_quoted", "card", cards[n-1].Masked()) + "\n" + s.confirmHow())
		return true, nil
	case cards[n-1].Frozen:
		said := s.T("repay.card_frozen_said", "card", cards[n-1].Masked(), "current", current)
		if answer, _, ok := s.e.cfg.Answers.Answer("frozen-card", s.conv.Lang); ok && asksAboutFrozen(strings.ToLower(text)) {
			// "why is my icbc card frozen?": the guide's why and what to
			// do first, the quote staying (an English probe: only that it
			// cannot pay).
			said = s.fill(answer) + "\n\n" + said
			s.say(said, []supportbot.Button{s.humanBtn()}) // "still stuck? tap below for a person"
			return true, nil
		}
		s.say(said)
		return true, nil
	}
	s.slots.Card = cards[n-1].ID
	return true, quoteOwnPlan(s, flow, s.slots.Plan, "")
}

// partPayoffOf is the plan a part of a payoff is asked of — the one open
// plan, or the one the words name — or nil: none asked of a payoff, or
// several to choose from (a list, not a confirm).
func partPayoffOf(s *Step, flow, planID string, open []supportbot.Plan) *supportbot.Plan {
	if flow != "repay" || planID != "" {
		return nil
	}
	if len(open) == 1 {
		return &open[0]
	}
	if i, _ := namedIn(bare(s.ev.Text), open); i > 0 {
		return &open[i-1]
	}
	return nil
}

// otherCardWords ask for a card other than the one meant ("别的卡",
// "another card").
var otherCardWords = []string{"别的卡", "另一张", "另外一张", "另外的卡", "其他卡", "其它卡", "其他的卡", "other card", "another card", "different card"}

// onlyCardSaid leads a payment asked for with another card ("我要还逾期的
// 用别的卡") by a customer who has one card to pay with: there is no other,
// said above the quote on it (an audit: quoted on the one card asked not
// to be used, without a word).
func onlyCardSaid(s *Step) error {
	l := strings.ToLower(s.ev.Text)
	if s.ev.Kind != supportbot.EventText || !containsAny(l, otherCardWords...) && !containsAny(l, "换张卡", "换一张卡") {
		return nil
	}
	cards, err := s.cards()
	if err != nil {
		return err
	}
	if usable := usableCards(cards); len(usable) == 1 {
		s.lead = s.T("pay.only_card", "card", locale.NameIn(s.conv.Lang, usable[0].Masked()))
	}
	return nil
}

// otherCardAsked takes a card asked for at a quote that is none of the
// customer's ("use card 6666", "use the bank of china card") or not named ("换一张卡", "use my other
// card"): the one other card that can pay quotes again on it; otherwise
// the customer's cards are listed, and the quote stays as it was — never
// the card list in its place, where the 确认 after would find nothing.
func otherCardAsked(s *Step, flow, text string, cards []supportbot.Card, current string) (bool, error) {
	l := strings.ToLower(text)
	last4 := cardDigits.FindStringSubmatch(l)
	if !containsAny(l, "card", "卡", "尾号", "那张", "这张", "ending", "ends in") || refusesCard(text) {
		last4 = nil // "pay 1000": an amount, not a card; "不要用6789那张": not the one wanted
	}
	other := refusesCard(text) || containsAny(l, otherCardWords...) || containsAny(l, "换一张", "换张", "换卡", "switch card", "change card") ||
		containsAny(l, "other one") && !followUpEn.MatchString(l) // "and the other one?": the other plan (a probe's quote moved to the other card)
	bank := ""
	if last4 == nil && !other {
		// "use the bank of china card", "用中行的卡": a bank none of theirs is of.
		if bank = bankIn(l, s.conv.Lang); bank == "" && !cardInWords.MatchString(l) {
			return false, nil
		}
	}
	// "use the xyz card": a card in words the bot cannot place — which,
	// from their cards, the quote staying (an audit: the card list in its
	// place, and a yes after it changed the default card).
	unplaced := last4 == nil && !other && bank == ""
	var others []supportbot.Card
	for _, c := range usableCards(cards) {
		if c.ID != s.slots.Quote.Card {
			others = append(others, c)
		}
	}
	if last4 == nil && bank == "" && !unplaced && len(others) == 1 {
		s.slots.Card = others[0].ID
		return true, quoteOwnPlan(s, flow, s.slots.Plan, "")
	}
	list := make([]string, len(cards))
	for i, c := range cards {
		list[i] = locale.NameIn(s.conv.Lang, c.Masked())
		if c.Frozen {
			list[i] += s.T("repay.card_frozen_mark")
		}
	}
	key := "repay.card_which"
	ofBank := slices.ContainsFunc(cards, func(c supportbot.Card) bool { return bankSaid(l, c.Bank) || bankSaid(l, zhBankOf(c.Bank)) })
	switch {
	case last4 != nil:
		key = "repay.card_none"
	case bank != "" && ofBank:
		// "用招商的卡" with two 招商 cards: which, by its digits (an audit
		// was told it had no 招商 card, both listed under it).
		key = "repay.card_which"
	case bank != "":
		key = "repay.card_bank_none"
	case unplaced:
	case len(others) == 0:
		key = "repay.card_no_other"
	}
	args := []any{"cards", strings.Join(list, s.listSep()), "current", current}
	if last4 != nil {
		args = append(args, "last4", last4[1])
	}
	if bank != "" {
		args = append(args, "bank", bank)
	}
	s.say(s.T(key, args...) + "\n" + s.confirmHow())
	return true, nil
}

// keepsCard reports a message keeping the card quoted ("不要换卡", "don't
// change the card").
func keepsCard(text string) bool {
	l := strings.ToLower(text)
	return containsAny(l, "不要换", "别换", "不换", "不用换", "don't change", "dont change", "don't switch", "dont switch", "keep the card", "keep this card") &&
		containsAny(l, "卡", "card")
}

// refusesCard reports a card named not to be used ("不用招行的卡", "不要用
// 6789那张", "don't use the CMB card"): another one is wanted — not a
// question ("为什么不用默认卡？", "why not the default card?").
func refusesCard(text string) bool {
	return !asks(text) && cardRefused.MatchString(strings.ToLower(text))
}

var cardRefused = regexp.MustCompile(`(?:不用|不要用|别用|不要|别|不想用)[^，,。;；换]{0,8}(?:卡|那张)|` +
	`\b(?:don'?t|do not)\s+(?:use|pay with|charge)\s+(?:the\s+|my\s+)?[a-z0-9]*\s*card\b`)

// cardInWords asks for a card by words ("use the sc card", "pay with my
// visa card", "用渣打的卡").
var cardInWords = regexp.MustCompile(`^(?:ok |okay |then |so )?(?:use|pay with|charge|try)\s+(?:the|my)\s+[a-z]{2,16}\s+card\b|^(?:那|那就)?用[^，。？?\s]{1,6}的?卡(?:吧|还|付)?$`)

// refusalThenCard is a card refused and another named after it ("not
// hsbc, china merchants", "不要汇丰 用招行", "not the boc card, use ccb"):
// the words after the refusal.
var refusalThenCard = regexp.MustCompile(`^(?:no[,，]?\s*)?(?:not|don'?t use|dont use|不要用?|不用|别用)\s*(?:the\s+|my\s+)?[^,，;；。\s]{1,20}(?:\s+(?:card|bank))?(?:的?卡)?\s*[,，;；\s]\s*(?:(?:use|用|换成|换)\s*)?(?:the\s+|my\s+)?(.+)$`)

// cardDigits is a card's last 4 digits said as a card's ("card 6666",
// "6666那张", "尾号6666"): 4 digits standing alone.
// cardEndSaid names a card by its last 4 digits in so many words ("用尾号
// 1234的卡", "with my card ending 1234"): one none of theirs is said so
// under the quote (a probe: quoted on the default card without a word).
var cardEndSaid = regexp.MustCompile(`(?:尾号|后四位|ending(?: in)?|ends? in|last (?:4|four)(?: digits)?)\s*(?:是|为|:)?\s*[0-9]{4}|[0-9]{4}\s*(?:的卡|那张|这张)`)

var cardDigits = regexp.MustCompile(`(?:^|[^0-9])([0-9]{4})(?:[^0-9]|$)`)

// settledPayment tells the customer the outcome of a payment of flow: paid,
// declined, refused by the core (a new quote is made when it went stale), or
// still under way.
func settledPayment(s *Step, a *supportbot.Action, paid func(*Step, *supportbot.Action) error) error {
	here := s.conv.Flow == a.Flow && s.slots.Action == a.Key // the chat still waits for it
	if here {
		// The "working on it" message becomes the outcome; told again
		// meanwhile that it is under way (a second tap, and more), those
		// messages, the last in the chat, no longer say so.
		defer s.sendAll(s.outcomeOf(a, "repay.settled_above"))
	}
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("btn.menu"), "menu")}}
	amount := money(a.Repay.Amount)
	switch a.State {
	case supportbot.ActionSucceeded:
		if here {
			s.finish()
		}
		key := "agent.paid_elsewhere_bill"
		if a.Flow == "repay" {
			key = "agent.paid_elsewhere_payoff"
		}
		s.tellOtherDesks(s.staffT(key, "user", s.conv.ChatID, "product", a.Product, "amount", money(a.Outcome.Repayment.Amount), "card", a.Card))
		return paid(s, a)
	case supportbot.ActionProcessing:
		s.say(s.T("repay.processing", "amount", amount))
		return nil
	case supportbot.ActionPending, supportbot.ActionUnknown:
		s.say(s.T("repay.slow", "amount", amount))
		return nil
	case supportbot.ActionDeclined:
		s.audit("payment_declined", map[string]any{"plan_id": a.PlanID, "amount_fen": int64(a.Repay.Amount), "card_id": a.Repay.CardID,
			"quote_id": a.Repay.QuoteID, "reason": declineReason(a)})
		if here {
			s.finish()
		}
		s.say(s.T("repay.declined", "card", a.Card), []supportbot.Button{otherCardBtn(s, a)},
			[]supportbot.Button{s.humanBtn(), s.menuBtn(s.T("btn.menu"), "menu")})
		return nil
	case supportbot.ActionFailed:
		s.audit("payment_failed", map[string]any{"plan_id": a.PlanID, "amount_fen": int64(a.Repay.Amount), "quote_id": a.Repay.QuoteID})
		if here {
			s.finish()
		}
		if a.Outcome.Released != "" {
			// Checked by a person (ReleaseAction), who is often with the
			// customer already: not "try later, or a person".
			s.say(s.T("repay.released", "amount", amount), []supportbot.Button{s.menuBtn(s.T("repay.btn_again"), a.Flow+":"+a.PlanID)}, rows[0])
			return nil
		}
		s.say(s.T("repay.failed", "amount", amount), []supportbot.Button{s.humanBtn()}, rows[0])
		return nil
	}
	// Refused: nothing was taken.
	code := supportbot.CoreCode("")
	if a.Outcome.Refusal != nil {
		code = a.Outcome.Refusal.Code
	}
	s.audit("payment_refused", map[string]any{"plan_id": a.PlanID, "amount_fen": int64(a.Repay.Amount), "quote_id": a.Repay.QuoteID,
		"code": string(code)})
	note := "repay.changed"
	switch code {
	case supportbot.CoreQuoteExpired:
		note = "repay.expired"
		if a.CreatedAt.IsZero() || s.now.Sub(a.CreatedAt) < quoteValid {
			note = "repay.expired_core" // the core's clock: not "after 15 minutes" (a fault probe: refused 8 s after its quote)
		}
	case supportbot.CoreCardFrozen:
		note = "repay.card_frozen_now"
	}
	p, err := s.plan(a.PlanID)
	if err = extra(err); err != nil { // unread: told, without a new quote
		return err
	}
	if p != nil && !p.Open() {
		// Paid off meanwhile — from another chat, another channel: nothing
		// is left to quote again (a probe was offered a new quote, which
		// said "paid off already").
		if here {
			s.slots.Action = ""
			s.finish()
		}
		s.say(s.T("repay.not_paid_settled", "amount", amount, "product", p.Product), rows...)
		return nil
	}
	if !here {
		s.say(s.T("repay.not_paid", "amount", amount), []supportbot.Button{s.menuBtn(s.T("repay.btn_again"), a.Flow+":"+a.PlanID)}, rows[0])
		return nil
	}
	s.slots.Action = ""
	if p == nil {
		s.finish()
		s.say(s.T("repay.not_paid", "amount", amount), rows...)
		return nil
	}
	if code == supportbot.CoreQuoteStale {
		// Stale because another payment of the plan went through (a second
		// confirm while the first was slow): that one counts, and the next
		// period is not quoted in its place.
		others, err := repaymentsOf(s, a.PlanID, a.Key, a.CreatedAt.Add(-stuckAfter))
		if err != nil {
			return err
		}
		quoted := a.CreatedAt.Add(-quoteValid) // at the earliest
		if q := s.slots.Quote; q != nil && !q.Expires.IsZero() {
			quoted = q.Expires.Add(-quoteValid) // when it was
		}
		if i := slices.IndexFunc(others, func(o supportbot.Action) bool {
			return o.State == supportbot.ActionSucceeded && !o.SettledAt.Before(quoted) && !o.CreatedAt.After(a.CreatedAt)
		}); i >= 0 {
			s.finish()
			s.say(s.T("repay.other_counted", "amount", amount, "other", money(others[i].Repay.Amount)), rows...)
			return nil
		}
	}
	if code == supportbot.CoreCardFrozen {
		s.slots.Card = ""
	}
	return s.fire(a.Flow, "quote", p, note)
}

// planBusy tells the customer, and reports, that plan p has a repayment
// other than key still waiting for its outcome, from any of their chats:
// the plan is neither quoted nor paid meanwhile — the core may not know of
// that one yet, and a second payment would pay the same bill twice.
func planBusy(s *Step, p *supportbot.Plan, key string) (bool, error) {
	list, err := repaymentsUnderWay(s)
	if err != nil {
		return false, err
	}
	i := slices.IndexFunc(list, func(a supportbot.Action) bool { return a.PlanID == p.ID && a.Key != key })
	if i < 0 {
		return false, nil
	}
	s.finish()
	s.say(s.T("repay.plan_busy", "amount", money(list[i].Repay.Amount), "product", p.Product, "time", when(s, list[i].CreatedAt)),
		[]supportbot.Button{s.menuBtn(s.T("menu.messages"), "messages"), s.humanBtn()}, []supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
	return true, nil
}

// repaymentsUnderWay lists the customer's repayments, from any of their
// chats, confirmed and still waiting for their outcome.
func repaymentsUnderWay(s *Step) ([]supportbot.Action, error) {
	list, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, s.now)
	return slices.DeleteFunc(list, func(a supportbot.Action) bool { return !a.State.Open() || a.Repay == nil }), err
}

// repaymentsOf lists the customer's repayments of a plan, other than key,
// that wait for their outcome or were confirmed since since.
func repaymentsOf(s *Step, planID, key string, since time.Time) ([]supportbot.Action, error) {
	list, err := s.e.st.CustomerRepayments(s.ctx, s.conv.CustomerID, since)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(list, func(a supportbot.Action) bool { return a.Key == key || a.PlanID != planID }), nil
}

// quoteValid is how long the core keeps a quote (CORE_API.md: 15 minutes).
const quoteValid = 15 * time.Minute

// declineReason is the core's reason for a declined repayment, for the
// audit: free text that may name the customer, its long numbers masked (a
// probe's audit kept a phone and a card number whole).
func declineReason(a *supportbot.Action) string {
	if r := a.Outcome.Repayment; r != nil {
		return supportbot.MaskLongNumbers(r.DeclineReason)
	}
	return ""
}

// paymentFlow is the shape the bill payment and the early repayment share:
// choose a plan (ask) → quote (the core's) → confirm → paying (a money
// action) → paid, exactly once. nothing answers a customer with no open
// plan; paid tells a settled payment.
func paymentFlow(name string, ask func(*Step) error, nothing func(*Step), paid func(*Step, *supportbot.Action) error) *spec {
	return &spec{
		name:          name,
		needsCustomer: true,
		reads:         []coreRead{readPlans, readCards, readScheduled},
		initial:       "idle",
		events: fsm.Events{
			{Name: "choose", Src: []string{"idle", "quoted"}, Dst: "choosing"}, // quoted: "no, the other one" of three
			{Name: "quote", Src: []string{"idle", "choosing", "quoted", "paying"}, Dst: "quoted"},
			{Name: "pay", Src: []string{"quoted"}, Dst: "paying"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_choosing": func(_ ctxT, e *fsm.Event) { e.Err = ask(s) },
				// after_, not enter_: a new quote from "quoted" is a self-transition.
				"after_quote": func(_ ctxT, e *fsm.Event) {
					e.Err = getQuote(s, name, e.Args[0].(*supportbot.Plan), argString(e.Args, 1))
				},
				"enter_paying": func(_ ctxT, e *fsm.Event) { paying(s, e.Args[0].(*supportbot.Action)) },
			}
		},
		start: func(s *Step, planID string) error { return startPayment(s, name, planID, nothing) },
		handle: func(s *Step, a action) (bool, error) {
			if a.Name == "" { // free text
				return quoteText(s, name)
			}
			return quoteAction(s, name, a)
		},
		stale:   staleQuote,
		settled: func(s *Step, a *supportbot.Action) error { return settledPayment(s, a, paid) },
	}
}

// shortfallSaid answers an amount that is what a booking leaves of its
// period ("还5.25", "我想把差的5.25补上": what /bill said to pay after a
// short debit — a probe got "can't answer"): bills are paid whole, so the
// rest is paid once the debit under way is done, or the period now, its
// booking cancelled. It reports whether it answered.
func shortfallSaid(s *Step, open []supportbot.Plan, said supportbot.Money) (bool, error) {
	if said <= 0 {
		return false, nil
	}
	shorts, err := shortBookings(s, open)
	if err != nil {
		return false, err
	}
	for _, sb := range shorts {
		p, b, r := sb.plan, sb.bill, sb.booking
		if b.Due()-r.Amount != said {
			continue
		}
		s.finish()
		args := []any{"amount", money(said), "product", p.Product, "period", b.Period, "booked", money(r.Amount), "due", money(b.Due())}
		if r.Debiting(s.now) {
			s.say(s.T("pay.shortfall_debiting", args...), s.next(s.menuBtn(s.T("menu.bill"), "bill"))...)
		} else {
			s.say(s.T("pay.shortfall_booked", args...), s.next(s.menuBtn(s.T("menu.pay"), "pay"), s.menuBtn(s.T("menu.bill"), "bill"))...)
		}
		return true, nil
	}
	return false, nil
}

// shortBooking is an unpaid period whose booking is for less than it.
type shortBooking struct {
	plan    supportbot.Plan
	bill    supportbot.Bill
	booking supportbot.ScheduledRepayment
}

// shortBookings are the periods of open that their bookings leave short.
func shortBookings(s *Step, open []supportbot.Plan) ([]shortBooking, error) {
	sched, err := s.scheduled()
	if err != nil {
		return nil, err
	}
	var shorts []shortBooking
	for _, p := range open {
		for _, b := range p.Bills {
			if r, ok := scheduledFor(p.ID, b.Period, sched); ok && b.Status == supportbot.BillUnpaid && r.Amount < b.Due() {
				shorts = append(shorts, shortBooking{p, b, r})
			}
		}
	}
	return shorts, nil
}

// shortfallWords name what a booking leaves of its period ("差额", "the
// rest", "what the booking doesn't cover").
var shortfallWords = regexp.MustCompile(`差额|差的(?:钱|部分|那部分)?|不够的(?:部分|钱)|剩下的(?:部分|钱)|\b(?:the )?(?:rest|difference|remainder|shortfall)\b|\b(?:doesn'?t|does not|won'?t|will not) cover\b|\bnot covered\b`)

// shortfallAsked answers a payment of what a booking leaves of its period,
// asked outside a step ("can i just pay the 248.58 that the booking doesnt
// cover", "我想先把差额补上": an English probe got the ways to pay): the
// amount typed, or the rest said in words when one booking leaves one.
func shortfallAsked(s *Step, text string) (bool, error) {
	l := strings.ToLower(text)
	if s.conv.CustomerID == "" || s.conv.Flow != "" || !shortfallWords.MatchString(l) || !containsAny(l, "预约", "booking", "scheduled", "booked", "autopay") && !amountInText.MatchString(l) {
		return false, nil
	}
	open, err := s.openPlans()
	if err != nil {
		return false, err
	}
	if m := amountInText.FindStringSubmatch(l); m != nil {
		if said, ok := typedMoney(m[1], m[2]); ok {
			return shortfallSaid(s, open, said)
		}
		return false, nil
	}
	shorts, err := shortBookings(s, open)
	if err != nil || len(shorts) != 1 {
		return false, err
	}
	return shortfallSaid(s, open, shorts[0].bill.Due()-shorts[0].booking.Amount)
}

// startPayment quotes the plan the customer named, or their only open one,
// or lets them choose.
func startPayment(s *Step, flow, planID string, nothing func(*Step)) error {
	open, err := s.openPlans()
	if err != nil {
		return err
	}
	if err := onlyCardSaid(s); err != nil {
		return err
	}
	if l := strings.ToLower(s.ev.Text); s.ev.Kind == supportbot.EventText && (amountSaid.MatchString(l) || partSaid.MatchString(l)) {
		other, i, said, err := amountNamed(s, flow, open, l)
		if err != nil {
			return err
		}
		if told, err := shortfallSaid(s, open, said); i == 0 && (told || err != nil) {
			return err
		}
		if j := planSaid(bare(amountInText.ReplaceAllString(l, " ")), open); i > 0 && j > 0 && j != i && planID == "" {
			// "还 1249.63 元 笔记本": the phone's amount, the laptop named —
			// which is for the customer to say (a probe was quoted the
			// phone's payoff, and a 确认 paid it).
			s.say(s.T("pay.amount_of_other", "amount", money(said), "plan", open[i-1].Product, "named", open[j-1].Product))
			return s.fire(flow, "choose")
		}
		if i > 0 && other == "repay" && flow == "pay" && (paysPeriodOnly(l) || overdueNamed(l) || periodNamed.MatchString(l)) {
			// "还5328.91 只还逾期的", "pay 1332.68 for this period": the
			// payoff's amount, a bill asked in words — the bill, the amount
			// said to be the payoff's (a probe paid the payoff).
			s.say(s.T("pay.amount_is_payoff", "amount", money(said), "plan", open[i-1].Product))
			other = flow
			if planID == "" {
				planID = open[i-1].ID
			}
		}
		if i > 0 && other != flow && (planID == "" || namesID(planID, open[i-1].ID)) {
			// "pay 1332.68" (a plan's remaining), "还5074.17" (its payoff)
			// asked as a bill, or "提前还款 499.91" (a bill) as a payoff:
			// the payment that costs that, of that plan (a probe: told a
			// part cannot be paid, and quoted one period).
			return s.startFlow(other, open[i-1].ID)
		}
		if i > 0 && planID == "" {
			// "还499.91": what a plan owes now, to the fen — that plan,
			// and nothing to say of parts (a probe: "can't pay a part");
			// said without its late fee, the quote says it is added.
			planID = open[i-1].ID
			if sched, err := s.scheduled(); err == nil && other == "pay" {
				p := open[i-1]
				busy := supportbot.DebitingPeriods(p.ID, sched, s.now)
				due, _, _ := dueNow(p, s.today, busy)
				if late := lateFeesDue(p, s.today, busy); late > 0 && said == due-late {
					s.say(s.T("pay.late_fee_added", "amount", money(said), "late", money(late), "total", money(due)))
				}
			}
		} else if p := partPayoffOf(s, flow, planID, open); i == 0 && p != nil {
			// "我想提前还5000 剩下的继续分期" with one plan, "平板我想先提前还
			// 1000" naming one: not a part, and not the whole plan's payoff
			// quoted in its place (an audit: ¥16,150.02 one tap away) — the
			// two ways there are, a tap each.
			s.finish()
			s.say(s.T("pay.whole_only"), s.next(s.menuBtn(s.T("pay.btn_bill"), "pay:"+p.ID), s.menuBtn(s.T("menu.repay"), "repay:"+p.ID))...)
			return nil
		} else if i == 0 {
			// "提前还款500块": a payment here is a whole period, or the
			// whole rest of a plan — said before the list or quote, not
			// left to guess.
			s.say(s.T("pay.whole_only"))
		}
	}
	for i := range open {
		if namesID(planID, open[i].ID) {
			return s.fire(flow, "quote", &open[i])
		}
	}
	if planID != "" && (s.ev.Kind == supportbot.EventButton || s.ev.Kind == supportbot.EventContact) {
		// A plan's button — pressed now, or before identifying — names that
		// plan or none: another is never quoted in its place (a paid-off
		// plan's old button quoted the customer's other plan; another
		// customer's, pressed before this one identified, this one's).
		p, err := s.plan(planID)
		if err != nil {
			return err
		}
		if p != nil { // theirs, not open any more
			s.finish()
			return nothingToPay(s, flow, p)
		}
		s.lead = s.T("button.not_theirs") // and their own to choose from
		if len(open) == 0 {
			nothing(s)
			return nil
		}
		return s.fire(flow, "choose")
	}
	if len(open) == 0 {
		nothing(s)
		return nil
	}
	if planID == "" && s.ev.Kind == supportbot.EventText {
		if p, err := settledNamed(s, s.ev.Text); err != nil || p != nil {
			if err != nil {
				return err
			}
			s.finish()
			return nothingToPay(s, flow, p)
		}
		if word := kindNotTheirs(bare(s.asked(strings.ToLower(s.ev.Text))), open); word != "" {
			// "pay off my laptop" from a customer whose one plan is a
			// tablet: their plans to choose from, never the tablet's quote
			// in its place (a probe).
			s.say(s.T("pay.kind_not_theirs", "kind", word))
			return s.fire(flow, "choose")
		}
	}
	if len(open) == 1 {
		return s.fire(flow, "quote", &open[0])
	}
	if planID == "" && s.ev.Kind == supportbot.EventText {
		// A plan put off in a clause of its own is not the one asked: "先把
		// 逾期的还了 耳机那个下次再说" (a replay quoted the earbuds).
		asked := s.asked(strings.ToLower(s.ev.Text))
		if l := asked; overdueNamed(l) && severalJoined.MatchString(l) {
			// "pay all overdue and the buds": two plans' bills, one at a
			// time from the list (an English probe got the buds' alone,
			// the overdue phone dropped without a word).
			overdue := slices.ContainsFunc(open, func(p supportbot.Plan) bool {
				return slices.ContainsFunc(p.Bills, func(b supportbot.Bill) bool { return b.Overdue(s.today) })
			})
			// (With several overdue, "pay the overdue ones and the tv" too: a
			// probe paid the tv, both overdue plans dropped without a word.)
			if i, j := overdueSaid(l, open, s.today), planSaid(bare(asked), open); j > 0 && (i > 0 && i != j || i == 0 && overdue) {
				if err := s.fire(flow, "choose"); err != nil {
					return err
				}
				s.say(s.T("pay.one_at_a_time"))
				return nil
			}
		}
		// "我要repay laptop", "提前还招联那笔": the plan said with the request.
		if i := planSaid(bare(asked), open); i > 0 {
			return s.fire(flow, "quote", &open[i-1])
		}
		// "逾期的帮我还掉": the one plan overdue, its bill.
		if l := asked; flow == "pay" && overdueNamed(l) {
			if i := overdueSaid(l, open, s.today); i > 0 {
				return s.fire(flow, "quote", &open[i-1])
			}
		}
		// "订单5240823567812提前还款": the plan of that order of theirs.
		if id, err := s.ownOrderNamed(s.ev.Text); err != nil || id != "" {
			if err != nil {
				return err
			}
			return startPayment(s, flow, id, nothing)
		}
		if p, err := describedPlan(s, flow, open, s.ev.Text); err != nil || p != nil {
			if err != nil {
				return err
			}
			return s.fire(flow, "quote", p) // "帮我还下15号到期的那个", "pay the cheaper one"
		}
		if names := productsOf(open); kindsSaid(channelWords.Replace(bare(s.ev.Text))) > 1 || severalNamed(bare(s.ev.Text), names) {
			// "把手环和净化器都结清": the list, and that it is one at a time
			// (a regression run: the list alone).
			if err := s.fire(flow, "choose"); err != nil {
				return err
			}
			s.say(s.T("pay.one_at_a_time"))
			return nil
		}
		if kind, word := kindSaid(bare(s.ev.Text)); kind >= 0 && onlyPlan(open, ofKind(kind)) == nil && slices.ContainsFunc(open, ofKind(kind)) {
			// "pay off the tablet" with two tablets: which of them — "the
			// cheaper one" next is the cheaper tablet (a probe paid the
			// router, the cheapest of all).
			if err := s.fire(flow, "choose"); err != nil {
				return err
			}
			s.slots.Kind = word
			s.say(s.T("pay.several_of_kind"))
			return nil
		}
	}
	return s.fire(flow, "choose")
}

// productsOf are the products of plans, in their order.
func productsOf(plans []supportbot.Plan) []string {
	names := make([]string, len(plans))
	for i, p := range plans {
		names[i] = p.Product
	}
	return names
}

// afterCorrection is what follows the last correction in a pick ("笔记本 不
// 对 手机", "the laptop, no, the phone"): the one meant; t itself without
// one.
// lastClause is the last of t's clauses (after its last comma, 、 or "。").
func lastClause(t string) string {
	if i := strings.LastIndexAny(t, ",，、。;；"); i >= 0 && strings.TrimSpace(t[i+1:]) != "" {
		_, size := utf8.DecodeRuneInString(t[i:])
		return strings.TrimSpace(t[i+size:])
	}
	return t
}

func afterCorrection(t string) string {
	if loc := correctionMark.FindAllStringIndex(t, -1); len(loc) > 0 {
		return strings.TrimSpace(t[loc[len(loc)-1][1]:])
	}
	return t
}

var correctionMark = regexp.MustCompile(`不对|不是|错了|说错了|\bno\b,?|\bsorry\b,?|\bi mean\b|\bactually\b`)

var (
	// bothPick is every item asked at a list to pick one from.
	bothPick = regexp.MustCompile(`^(?:那|那就|还是|算了)?(?:把|给我把)?(?:两个|两笔|三个|三笔|全部|所有|都)(?:逾期的?|的)?(?:都)?(?:要|还|选|付|吧)?(?:了|吧)?$|` +
		`^(?:(?:actually|ok|okay|just|then|well|no)[, ]+)*(?:(?:pay )?(?:both|all|all three|all 3|all of them|both of them|all of it|everything|them all)|pay (?:them|it) all)(?: please| pls)?$`) // "all three" (an audit: "can't answer"); "actually pay both", "把两个逾期的都还了" (a money probe)
	// vaguePick is an item pointed at without saying which.
	vaguePick = regexp.MustCompile(`^(?:上面的?|这个|那个|这笔|那笔|上面)(?:那个|这个|那笔)?(?:吧)?$|^(?:that|this|that one|this one|it|the one above)(?: please| pls)?$`)
	// cheapPick and dearPick point at the item of the least or the most.
	cheapPick = regexp.MustCompile(`^(?:金额)?(?:便宜|少|小|低)(?:一点|些)?的?(?:那个|那笔|这个)?$|^(?:the )?(?:cheaper|cheapest|smaller|smallest|lower|lowest)(?: one)?$`)
	dearPick  = regexp.MustCompile(`^(?:金额)?(?:贵|多|大|高)(?:一点|些)?的?(?:那个|那笔|这个)?$|^(?:the )?(?:more expensive|most expensive|bigger|biggest|larger|largest|higher|highest)(?: one)?$`)
	// amountPicked is an amount typed as a pick ("4999的", "¥1,499.54").
	amountPicked = regexp.MustCompile(`^[¥￥]?([0-9][0-9,]*)(?:\.([0-9]{1,2}))?\s*(?:元|块)?的?(?:那个|那笔|这个| one)?$`)
)

// shownAmounts are the amounts the list of open plans shows on its
// buttons: what is left of each (a payoff's), or what each owes now (a
// bill's: dueNow).
func shownAmounts(s *Step, flow string, open []supportbot.Plan) ([]supportbot.Money, error) {
	sched, err := s.scheduled()
	if err != nil {
		return nil, err
	}
	shown := make([]supportbot.Money, len(open))
	for i, p := range open {
		if flow == "repay" {
			shown[i] = p.Remaining()
		} else {
			shown[i], _, _ = dueNow(p, s.today, supportbot.DebitingPeriods(p.ID, sched, s.now))
		}
	}
	return shown, nil
}

// kindOnly is the word of the one kind of device t names, "" for none.
func kindOnly(t string) string {
	if kind, word := kindSaid(t); kind >= 0 && kindsSaid(t) == 1 {
		return word
	}
	return ""
}

// amountPick is the one item of a list picked by the amount its button
// shows (shown) — typed ("4999的": its whole yuan, or to the fen), or as
// the least or the most ("便宜的那个", "the bigger one") — or 0.
func amountPick(t string, shown []supportbot.Money) int {
	if len(shown) < 2 {
		return 0
	}
	switch {
	case cheapPick.MatchString(t):
		return onlyOne(len(shown), func(i int) bool { return shown[i] == slices.Min(shown) })
	case dearPick.MatchString(t):
		return onlyOne(len(shown), func(i int) bool { return shown[i] == slices.Max(shown) })
	}
	m := amountPicked.FindStringSubmatch(t)
	if m == nil {
		return 0
	}
	said, ok := typedMoney(m[1], m[2])
	if !ok || said < 1000 { // a place in the list, not an amount
		return 0
	}
	return onlyOne(len(shown), func(i int) bool {
		if m[2] == "" { // whole yuan: "4999的" for ¥4,999.18
			return shown[i]/100 == said/100
		}
		return shown[i] == said
	})
}

// amountNamed is the payment ("pay" a bill, "repay" a payoff) and the
// place of the one plan of open that text's amount names to the fen as
// what that payment of that plan costs — flow's first: a bill due now, or
// for a payoff the plan's remaining (its button's amount) or its payoff
// today, with the periods being debited or without; 0 for none or several.
func amountNamed(s *Step, flow string, open []supportbot.Plan, l string) (string, int, supportbot.Money, error) {
	m := amountInText.FindStringSubmatch(l)
	if m == nil {
		return "", 0, 0, nil
	}
	said, ok := typedMoney(m[1], m[2])
	if !ok {
		return "", 0, 0, nil
	}
	sched, err := s.scheduled()
	if err != nil {
		return "", 0, 0, err
	}
	costs := func(payment string, p supportbot.Plan) []supportbot.Money {
		debiting := supportbot.DebitingPeriods(p.ID, sched, s.now)
		if payment == "pay" {
			due, _, _ := dueNow(p, s.today, debiting)
			if late := lateFeesDue(p, s.today, debiting); late > 0 {
				// The period's amount as the bill lists it, its late fee
				// apart: "pay 604.25" of a ¥616.25 bill (an English probe
				// was told a part cannot be paid).
				return []supportbot.Money{due, due - late}
			}
			return []supportbot.Money{due}
		}
		list := []supportbot.Money{p.Remaining()}
		if all, err := supportbot.ComputePayoff(p, s.today); err == nil {
			list = append(list, all.Total)
		}
		var rest []int
		for _, b := range p.Bills {
			if b.Status == supportbot.BillUnpaid && !debiting[b.Period] {
				rest = append(rest, b.Period)
			}
		}
		if parts, err := supportbot.PayoffParts(p, rest, s.today); err == nil {
			if sum, err := parts.Sum(); err == nil {
				list = append(list, sum)
			}
		}
		return list
	}
	payments := []string{flow, "repay"}
	if flow == "repay" {
		payments[1] = "pay"
	}
	for _, payment := range payments {
		if i := onlyOne(len(open), func(i int) bool { return slices.Contains(costs(payment, open[i]), said) }); i > 0 {
			return payment, i, said, nil
		}
	}
	return "", 0, said, nil
}

// amountInText is an amount in a message, its fen too ("499.91", "¥4,020").
var amountInText = regexp.MustCompile(`([0-9][0-9,]*)(?:\.([0-9]{1,2}))?`)

// typedMoney is an amount as typed — its whole yuan (commas between
// thousands) and its fen, if any — in fen; false for none of ours (more
// than MaxMoney).
func typedMoney(yuan, fen string) (supportbot.Money, bool) {
	y, err := strconv.ParseInt(strings.ReplaceAll(yuan, ",", ""), 10, 64)
	if err != nil || y > int64(supportbot.MaxMoney)/100 {
		return 0, false
	}
	f, _ := strconv.ParseInt((fen + "00")[:2], 10, 64)
	return supportbot.Money(y*100 + f), true
}

// overdueSaid is the place (from 1) of the one plan with an overdue bill
// when text names the overdue one; 0 for none, several, or not said.
func overdueSaid(text string, open []supportbot.Plan, today supportbot.Date) int {
	if !containsAny(text, "逾期", "overdue", "late one", "past due") || containsAny(text, notOverdue...) { // "逾期的那个", "the overdue one"
		return 0
	}
	return onlyOne(len(open), func(i int) bool {
		return slices.ContainsFunc(open[i].Bills, func(b supportbot.Bill) bool { return b.Overdue(today) })
	})
}

// chooseAnother answers "no, the other one" at a quote with more than one
// other plan: which, from the list — nothing paid (an English probe got the
// guard against prompt injection, the quote dropped without a word). With
// one plan open, how to go on with its quote.
func chooseAnother(s *Step, flow string) error {
	open, err := s.openPlans()
	if err != nil || len(open) < 2 {
		if err == nil {
			s.say(s.confirmHow())
		}
		return err
	}
	return s.fire(flow, "choose")
}

// quotePlanSaid answers a plan named at a quote: another plan's quote, or
// — the plan quoted, or none — how to confirm the quote in front of them.
func quotePlanSaid(s *Step, flow string, p *supportbot.Plan) error {
	if p != nil && p.ID != s.slots.Plan {
		if other := otherQuoteAsked(flow, afterCorrection(s.ev.Text)); other != "" {
			return s.startFlow(other, p.ID) // "不对 是提前还手机" at the laptop's bill: the phone's payoff (a probe: its bill)
		}
		return s.fire(flow, "quote", p)
	}
	if other := otherQuoteAsked(flow, s.ev.Text); other != "" {
		// "no i want to pay off the earbuds completely" at the earbuds'
		// bill: their payoff (an English probe was told to confirm the
		// bill, and a confirm paid it).
		return s.startFlow(other, s.slots.Plan)
	}
	s.say(s.quoteConfirmHow(s.slots.Quote.Amount))
	return nil
}

// openPlanSaid is the one open plan text names, nil for none or several.
func openPlanSaid(s *Step, text string) (*supportbot.Plan, error) {
	if p, err := settledNamed(s, text); err != nil || p != nil {
		return nil, err // "AirPods & 充电盒 还剩几期", paid off, beside a bundle with it in its name: not the bundle (a probe)
	}
	open, err := s.openPlans()
	if err != nil {
		return nil, err
	}
	if i := planSaid(bare(text), open); i > 0 {
		return &open[i-1], nil
	}
	return nil, nil
}

// partnerSaid is the one open plan whose financing partner t names by its
// own words ("招联" of 招联金融, "中银" of 中银消费金融; not 小米 of 小米分期,
// which names the devices too), 0 for none or several.
func partnerSaid(t string, open []supportbot.Plan) int {
	return onlyOne(len(open), func(i int) bool {
		stem := open[i].Partner
		for _, generic := range []string{"消费金融", "金融", "分期", "银行"} {
			stem = strings.TrimSuffix(stem, generic)
		}
		if utf8.RuneCountInString(stem) >= 2 && stem != "小米" && strings.Contains(t, strings.ToLower(stem)) {
			return true
		}
		// The name an English list shows ("Merchants Union" of Merchants
		// Union Consumer Finance; an English probe was unsure), its own
		// words: not Xiaomi, nor the generic "Consumer Finance".
		en := strings.ToLower(locale.NameIn(supportbot.LangEN, open[i].Partner))
		for _, generic := range []string{" consumer finance", " installments", " finance"} {
			en = strings.TrimSuffix(en, generic)
		}
		return en != strings.ToLower(open[i].Partner) && len(en) >= 4 && en != "xiaomi" && wordsIn(t, en)
	})
}

// openPlanAt is the open plan a confirmation names by its place in the
// list ("确认还第二个", "确认 2", "confirm the second one"), nil for none.
func openPlanAt(s *Step, text string) (*supportbot.Plan, error) {
	rest := strings.TrimSpace(confirmLead.ReplaceAllString(bare(text), ""))
	n := ordinal(rest)
	if n == 0 {
		return nil, nil
	}
	open, err := s.openPlans()
	if err != nil || n > len(open) {
		return nil, err
	}
	return &open[n-1], nil
}

// otherOrPlacedPlan is the plan a correction at a quote names by its
// place in the list ("第二个", "the second one") or as the other one of
// two — the plan quoted itself when it names that; nil for none.
func otherOrPlacedPlan(s *Step, text string) (*supportbot.Plan, error) {
	m := correctionPick.FindStringSubmatch(bare(text))
	if m == nil {
		return nil, nil
	}
	if m[2] != "" { // the other one — of its kind, when one is said ("另一个手机" with three phones: of the two others, none picked)
		if kind, _ := kindSaid(m[2]); kind >= 0 {
			return otherOfKind(s, s.slots.Plan, kind)
		}
		return otherPlan(s, s.slots.Plan)
	}
	open, err := s.openPlans()
	if err != nil {
		return nil, err
	}
	n := ordinal(m[1])
	if lastPick[m[1]] {
		n = len(open)
	}
	if n > 0 && n <= len(open) {
		return &open[n-1], nil
	}
	return nil, nil
}

// planPickedApart is the one open plan a correction tells apart by what
// is not its name — its order number's end ("订单尾号0052的"), the day its
// next bill is due ("12月20号那台"), or being the newer or the older one
// ("新的那台", "the older one", by the day its first bill was due) — as
// plans of one name are told apart (an audit: two "Xiaomi 15" plans, "不对
// 是新的那台" at one's quote read as its amount doubted, and a 确认 after it
// paid the plan refused); nil for none.
func planPickedApart(s *Step, text string) (*supportbot.Plan, error) {
	l := strings.ToLower(text)
	if containsAny(l, "卡", "card") {
		return nil, nil // "不对 用新的卡": a card
	}
	open, err := s.openPlans()
	if err != nil || len(open) < 2 {
		return nil, err
	}
	if i := orderEndSaid(l, open); i > 0 {
		return &open[i-1], nil
	}
	pick := func(fits func(p supportbot.Plan) bool) *supportbot.Plan { return onlyPlan(open, fits) }
	if day := firstNumber(daySaid, inDigits(l)); day > 0 {
		return pick(func(p supportbot.Plan) bool {
			next, ok := p.NextDue()
			return ok && next.DueDate.Time(s.e.cfg.Location).Day() == day
		}), nil
	}
	if n, ok := relativeDay(l); ok && dueOne.MatchString(l) {
		// "不对 我说的是明天到期那个", "the one due today" (an audit: read
		// as the amount doubted, and a 确认 paid the plan refused).
		return pick(func(p supportbot.Plan) bool {
			next, ok := p.NextDue()
			return ok && next.DueDate == s.today.AddDays(n)
		}), nil
	}
	if i := overdueSaid(l, open, s.today); i > 0 && overdueNamed(l) {
		return &open[i-1], nil // "不对 我要还逾期的"
	}
	first := func(p supportbot.Plan) supportbot.Date {
		if len(p.Bills) == 0 {
			return ""
		}
		return p.Bills[0].DueDate
	}
	latest, earliest := first(open[0]), first(open[0])
	for _, p := range open {
		latest, earliest = max(latest, first(p)), min(earliest, first(p))
	}
	switch {
	case newerPick.MatchString(l):
		return pick(func(p supportbot.Plan) bool { return first(p) == latest }), nil
	case olderPick.MatchString(l):
		return pick(func(p supportbot.Plan) bool { return first(p) == earliest }), nil
	}
	return nil, nil
}

// alsoAnother: another plan asked too, not instead ("and the note 14
// too", "手机的也一起还", "also the earbuds").
var alsoAnother = regexp.MustCompile(`\b(?:too|also|as well|and then|plus|both)\b|也|一起|一块|顺便|同时|加上|^还有`)

// alsoAtQuote answers another plan asked too at a quote: one at a time —
// this quote first, the other next — the quote staying (a probe: "and the
// note 14 too" at the overdue laptop's bill replaced it with the Note's,
// "手机的也一起还" with the phone's payoff, and a 确认 paid that alone, the
// overdue bill dropped).
func alsoAtQuote(s *Step, text string) (bool, error) {
	if !alsoAnother.MatchString(text) || correctionPick.MatchString(bare(text)) || notAskedToPay(text) ||
		containsAny(strings.ToLower(text), "到期", "due", "question") {
		return false, nil // a question or another request with 也 in it ("笔记本的手续费也是0吗", "还有笔记本的预约帮我取消": a replay)
	}
	p, err := planNamed(s, s.ev.Text)
	if err == nil && p == nil && otherOneSaid.MatchString(text) {
		p, err = otherPlan(s, s.slots.Plan) // "the other one too"
	}
	if err != nil || p == nil || p.ID == s.slots.Plan {
		return false, err
	}
	s.say(s.T("pay.one_at_a_time_quote", "product", p.Product) + "\n" + s.confirmHow())
	return true, nil
}

// describedPlan is the one open plan a request describes by what is not
// its name, as a list's pick would — the day its next bill is due ("帮我还
// 下15号到期的那个", "pay the one due on the 14th"), being due first ("还最
// 早到期那个"), newer or older, the least or the most ("pay the cheaper
// one") — nil for none or several (a multi-turn probe: unsure, or the list
// again). A question ("15号那笔扣了吗") describes nothing to pay.
func describedPlan(s *Step, flow string, open []supportbot.Plan, text string) (*supportbot.Plan, error) {
	l := strings.ToLower(text)
	if len(open) < 2 || asks(text) || notPayingNow.MatchString(l) || overdueNamed(l) || severalJoined.MatchString(l) || containsAny(l, "多少", "一共", "how much", "total") ||
		planSaid(bare(text), open) > 0 {
		return nil, nil // the overdue one, two plans, a sum, a plan by name: their own readers'
	}
	if !requestOnly(l) {
		// "客服上次说贵的那个可以提前还", "先还15号那笔还是21号那笔": the list,
		// to pick from — but "贵的那个先放着 先还便宜的那个" is the cheaper one's
		clause, ok := requestClause(l)
		if !ok {
			return nil, nil
		}
		l, text = clause, clause
	}
	if days := daySaid.FindAllStringSubmatch(inDigits(l), -1); len(days) > 1 && strings.Join(days[0][1:], "") != strings.Join(days[1][1:], "") {
		return nil, nil // "15号那笔12号帮我还": which and when — not told apart here (a replay paid the 15th's at once)
	}
	pick := func(fits func(p supportbot.Plan) bool) *supportbot.Plan { return onlyPlan(open, fits) }
	if soonestPick.MatchString(l) {
		first := func(p supportbot.Plan) supportbot.Date {
			next, _ := p.NextDue()
			return next.DueDate
		}
		soonest := first(open[0])
		for _, p := range open {
			soonest = min(soonest, first(p))
		}
		return pick(func(p supportbot.Plan) bool { return first(p) == soonest }), nil
	}
	if m := cheapOrDear.FindStringSubmatch(l); m != nil {
		shown, err := shownAmounts(s, flow, open)
		if err != nil {
			return nil, err
		}
		word := "便宜的"
		if m[2] != "" || m[4] != "" {
			word = "贵的"
		}
		if i := amountPick(word, shown); i > 0 {
			return &open[i-1], nil
		}
		return nil, nil
	}
	if m := roughAmount.FindStringSubmatch(l); m != nil {
		// "四千多那个提前还了", "还一千多那个": the one plan whose amount as
		// the list shows it, or what is left of it, is in that range.
		low, span := roughYuan(m)
		if low > 0 {
			shown, err := shownAmounts(s, flow, open)
			if err != nil {
				return nil, err
			}
			in := func(m supportbot.Money) bool { return int64(m)/100 >= low && int64(m)/100 < low+span }
			return pick(func(p supportbot.Plan) bool { // what the list shows, or what is left of it
				i := slices.IndexFunc(open, func(o supportbot.Plan) bool { return o.ID == p.ID })
				return in(shown[i]) || in(p.Remaining())
			}), nil
		}
	}
	if firstNumber(daySaid, inDigits(l)) > 0 && !describedDay.MatchString(l) {
		return nil, nil // "我15号再还": when, not which
	}
	return planPickedApart(s, text)
}

// roughAmount is an amount said roughly: "四千多", "4000多", "4千多",
// "三百多块"; roughYuan its range in yuan (low, and how far above it).
var roughAmount = regexp.MustCompile(`(?:^|[^0-9.])([0-9]+|[一二两三四五六七八九])(千|百|万)?多(?:块|元)?(?:的|那)`)

func roughYuan(m []string) (low, span int64) {
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		n = int64(strings.Index("一二三四五六七八九", m[1])/3 + 1)
		if m[1] == "两" {
			n = 2
		}
	}
	unit := map[string]int64{"千": 1000, "百": 100, "万": 10000}[m[2]]
	switch {
	case unit > 0:
		return n * unit, unit
	case n >= 10:
		span = 1
		for k := n; k%10 == 0; k /= 10 {
			span *= 10
		}
		return n, span
	}
	return 0, 0
}

var (
	// soonestPick is the plan due first.
	soonestPick = regexp.MustCompile(`最早到期|最先到期|先到期的|最近到期|最快到期|马上到期的|\bdue (?:first|soonest|next)\b|\b(?:earliest|soonest|next) due\b`)
	// cheapOrDear is the plan of the least (1, 3) or the most (2, 4).
	cheapOrDear = regexp.MustCompile(`(便宜|金额少|金额小)的?那(?:个|笔)|(贵|金额大|金额多)的?那(?:个|笔)|\b(cheaper|cheapest|smaller|smallest) one\b|\b(more expensive|most expensive|bigger|biggest|larger|largest) one\b`)
	// describedDay: a day said of a plan, not when to pay.
	describedDay = regexp.MustCompile(`到期|还款日|那个|那笔|那台|那部|的那|\bdue\b|\bone\b`)
)

// onlyPlan is the one plan of open that fits, nil for none or several.
func onlyPlan(open []supportbot.Plan, fits func(supportbot.Plan) bool) *supportbot.Plan {
	if i := onlyOne(len(open), func(i int) bool { return fits(open[i]) }); i > 0 {
		return &open[i-1]
	}
	return nil
}

// listSep is what separates the items of a list in a sentence.
func (s *Step) listSep() string {
	if s.conv.Lang == supportbot.LangEN {
		return ", "
	}
	return "、"
}

// sameNameNamed is the ends of the order numbers of the plans of open
// that share the one name t names ("小米15" of two "Xiaomi 15" plans); nil
// when it names no name that several plans have.
// bareOrderEnd is an order number's last 4 digits typed alone at a list.
var bareOrderEnd = regexp.MustCompile(`^(?:…|\.\.\.|the )?([0-9]{4})(?: one)?(?:的|那个|那笔|的那个)?$`)

// listName is a plan's name in a list of plans to pick from, escaped: its
// order number's end beside it when another of the list has its name (two
// "Xiaomi Smart Band 9" read the same: an English probe could not tell
// which, and the end the bot asked for was not understood).
func listName(p supportbot.Plan, list []supportbot.Plan) string {
	name := locale.Escape(p.Product)
	if slices.ContainsFunc(list, func(o supportbot.Plan) bool { return o.ID != p.ID && o.Product == p.Product }) {
		name += " (…" + locale.Escape(p.OrderNo[max(0, len(p.OrderNo)-4):]) + ")"
	}
	return name
}

func sameNameNamed(t string, open []supportbot.Plan) []string {
	var distinct []string
	for _, p := range open {
		if !slices.Contains(distinct, p.Product) {
			distinct = append(distinct, p.Product)
		}
	}
	i := nameChoice(t, distinct)
	if i == 0 {
		return nil
	}
	var tails []string
	for _, p := range open {
		if p.Product == distinct[i-1] {
			tails = append(tails, p.OrderNo[max(0, len(p.OrderNo)-4):])
		}
	}
	return tails
}

// newerPick and olderPick name the plan bought later or earlier.
var (
	// dueOne names a plan by when it falls due ("明天到期那个", "the one due today").
	dueOne = regexp.MustCompile(`到期|还款日|要还的?那|扣的?那|\bdue\b|` +
		`(?:今天|明天|后天)的(?:账单|那笔|那期)|\b(?:today|tomorrow)['’]?s (?:bill|payment|installment|one)\b`) // "pay today's bill" (a probe: the list of both)
	newerPick = regexp.MustCompile(`(?:新|后|最近|刚)买的|新的?那(?:台|部|个|笔)|新的(?:一台|一部|手机|电脑|平板)|\bnew(?:er|est)? one\b|\bthe new(?:er|est)? (?:phone|laptop|tablet|plan|order)\b`)
	olderPick = regexp.MustCompile(`(?:早|先|以前|之前|最早)买的|(?:老|旧)的?那(?:台|部|个|笔)|(?:老|旧)的(?:一台|一部|手机|电脑|平板)|\bold(?:er|est)? one\b|\bthe old(?:er|est)? (?:phone|laptop|tablet|plan|order)\b`)
)

// otherPlan is the one open plan other than plan (the one quoted, the one
// just paid off), nil when there are more or none.
func otherPlan(s *Step, plan string) (*supportbot.Plan, error) {
	open, err := s.openPlans()
	if err != nil {
		return nil, err
	}
	others := slices.DeleteFunc(slices.Clone(open), func(p supportbot.Plan) bool { return p.ID == plan })
	if len(others) != 1 {
		return nil, nil
	}
	return &others[0], nil
}

// correctionPick is a correction at a quote and nothing else: a place in
// the list (first group: "第二个", "the second one", "#2") or the other one
// (second group), after "no", "不是这个", "搞错了 应该是" or the like — not
// "the other one can wait", "另一笔已经还了", a bare "2" (a review).
var correctionPick = regexp.MustCompile(`^(?:(?:no|nope|nah|sorry|actually|wait)[,，]?\s*|(?:不是这个|不对|错了|搞错了|弄错了)[,，]?\s*)?(?:应该是|我要的是|我说的是|是)?` +
	`(?:(第[0-9一二三四五六七八九十]{1,2}(?:个|笔|项)?|the (?:first|second|third|fourth|last|1st|2nd|3rd|4th) one|#[0-9]|number [0-9])|` +
	`(the other one|the other plan|the other (?:laptop|phone|tablet|pad|watch|band|tv|earbuds|buds)|(?:另一个|另外一个|另一笔|另外一笔|另外那个|另外那笔|另一台|另外一台|另一部|另外一部)(?:手机|笔记本|电脑|平板|手表|手环|电视|耳机)?))(?:吧|please|pls)?$`)

// confirmLead is a confirmation's words before what it names: "确认还",
// "确认", "confirm (paying)".
var confirmLead = regexp.MustCompile(`^(?:确认|确定|confirm)\s*(?:还|支付|付|pay(?:ing)?\s*(?:for\s*)?)?\s*`)

// planNamed is the open plan whose name or kind text names, whatever it
// says of it ("笔记本不提前还" names the laptop; openPlanSaid reads a plan
// left out as the other one).
func planNamed(s *Step, text string) (*supportbot.Plan, error) {
	if p, err := settledNamed(s, text); err != nil || p != nil {
		return nil, err // "is my watch paid off": the watch, not the band open of its kind
	}
	open, err := s.openPlans()
	if err != nil {
		return nil, err
	}
	if i, _ := namedIn(bare(text), open); i > 0 {
		return &open[i-1], nil
	}
	return nil, nil
}

// settledNamed is the plan paid off already that text names by the words
// of its product, nil for none: one open plan of the same kind of device is
// not it ("pay the xiaomi watch s4", "is my watch paid off" with the watch
// paid off and a band still open — an English probe got the band's payoff
// quote, and its "3 of 6 periods paid").
func settledNamed(s *Step, text string) (*supportbot.Plan, error) {
	plans, err := s.plans()
	if err != nil {
		return nil, err
	}
	// Its order number ("提前还清订单5241107000703": a probe got the list of
	// the others, not a word of this one).
	runs := digitRun.FindAllString(text, 4)
	if i := onlyOne(len(plans), func(i int) bool { return plans[i].OrderNo != "" && slices.Contains(runs, plans[i].OrderNo) }); i > 0 {
		if plans[i-1].Open() {
			return nil, nil
		}
		return &plans[i-1], nil
	}
	t, names := bare(text), productsOf(plans)
	i := nameChoice(t, names)
	if named := namesNamed(t, names); i == 0 && len(named) == 1 {
		i = named[0] // "xiaomi watch s4": a word of both names, and two of the watch's alone
	}
	if kind, _ := kindSaid(t); i == 0 && kind >= 0 && kindsSaid(t) == 1 {
		// "还笔记本这期" with the laptop paid off and a phone open: the one
		// plan of that kind (a walk: "你的分期里没有「笔记本」", and the
		// phone's schedule for "笔记本还剩几期")
		i = onlyOne(len(plans), func(j int) bool { return kindShown(plans[j].Product) == kind })
	}
	if i > 0 && !plans[i-1].Open() {
		return &plans[i-1], nil
	}
	return nil, nil
}

// kindNoneAtQuote answers a correction at a quote to a kind of device
// none of the customer's open plans is ("no, the laptop" from the owner of
// a tablet: an English probe got the devices' after-sales answer): the
// plan of it paid off, or none of that kind, and the quote waiting.
func kindNoneAtQuote(s *Step, text string) (bool, error) {
	p, err := settledNamed(s, text)
	if err != nil {
		return false, err
	}
	if p != nil {
		s.say(s.T("repay.already_settled", "product", p.Product) + "\n" + s.confirmHow())
		return true, nil
	}
	kind, word := kindSaid(bare(text))
	if kind < 0 || kindsSaid(bare(text)) != 1 {
		return false, nil
	}
	plans, err := s.plans()
	if err != nil || slices.ContainsFunc(plans, ofKind(kind)) {
		return false, err
	}
	s.say(s.T("pay.kind_none_at_quote", "kind", word) + "\n" + s.confirmHow())
	return true, nil
}

// otherOfKind is the one open plan of kind other than planID ("另一个手机"),
// nil for none or several.
func otherOfKind(s *Step, planID string, kind int) (*supportbot.Plan, error) {
	open, err := s.openPlans()
	if err != nil {
		return nil, err
	}
	return onlyPlan(open, func(p supportbot.Plan) bool { return p.ID != planID && ofKind(kind)(p) }), nil
}

// otherPlanLeft is the plan a refusal at a quote leaves out when it is not
// the plan quoted — nor is the quoted one named too ("笔记本和手机都不提前还",
// "笔记本也不还": both are left, and the step is declined).
func otherPlanLeft(s *Step, text string) (*supportbot.Plan, error) {
	p, err := planNamed(s, text)
	if err != nil || p == nil || p.ID == s.slots.Plan {
		return nil, err
	}
	quoted, err := s.plan(s.slots.Plan)
	if err != nil || quoted == nil {
		return nil, err
	}
	t := bare(text)
	named := nameChoice(t, []string{quoted.Product}) > 0
	if k := kindShown(quoted.Product); k >= 0 {
		named = named || containsAny(t, deviceKinds[k].said...)
	}
	if named || containsAny(t, "都", "也", "both", "all", "either", "neither", "too") {
		return nil, nil
	}
	return p, nil
}

// corrects reports a message correcting what was asked ("错了 我要还的是
// RedmiBook", "no I meant the Redmi Book"): the plan it names is meant.
func corrects(text string) bool {
	l := strings.ToLower(text)
	if kind, _ := kindSaid(bare(text)); kind >= 0 && (containsAny(l, "还是", "rather", "instead") || correctionLead.MatchString(l)) {
		return true // "算了还是手机吧", "the laptop instead", "no wait, the phone" (an audit) — a card instead is not a plan (a probe)
	}
	if correctionLead.MatchString(l) && namesPlanApart(l) {
		return true // "no, the newer one", "no the order ending 0052": one of two of a name (an audit)
	}
	return containsAny(l, "错了", "不对", "我要还的是", "我说的是", "我要的是", "我是说", "actually", "i meant", "i mean", "wrong one") ||
		strings.HasPrefix(l, "算了") && containsAny(l, "还", "结清") // "算了 先还K80吧": that plan (an audit: a no, the K80 lost)
}

// correctionLead opens a message with a no that corrects ("no wait, the
// phone").
var correctionLead = regexp.MustCompile(`^(?:no|nope|nah|wait|oops|sorry)\b`)

// partSaid is a part of an amount asked to be paid ("pay only half of this
// month's bill", "先还一半", "pay part of it").
var partSaid = regexp.MustCompile(`\bhalf\b|\bpart of\b|\ba part\b|\bpartly\b|\bpartial\b|\bsome of (?:it|the)\b|一半|一部分|部分金额|先还点|还一点|` +
	`分(?:两|2|几|三|3)次(?:还|付|交|扣)|\b(?:in|into) (?:two|2|several|three|3) (?:payments|parts|goes|installments)\b`) // "能分两次还吗" (a probe: "it is charged once")

// amountSaid is a sum of money typed with its unit ("500块", "¥500",
// "500 yuan", "rmb 500", "100 dollars"), or as what to pay (amountToPay).
var amountSaid = regexp.MustCompile(`[0-9][0-9,.]*\s*(?:块|元|yuan|rmb|cny|dollars?|bucks)|[¥￥$]\s*[0-9]|\b(?:rmb|cny)\s*[0-9]|` +
	amountToPay.String())

// amountToPay is an amount said as what to pay ("pay 300", "pay 100 rmb",
// "我要还300") — not periods or a day ("还3期", "pay on the 15").
var amountToPay = regexp.MustCompile(`\b(?:pay|repay)\s+(?:back\s+)?(?:[¥￥$]\s*|(?:rmb|cny)\s*)?` + typedAmount +
	`(?:\s*(?:yuan|rmb|cny|dollars?|bucks|块|元))?(?:\s*$|\s*[.!,]|\s+(?:now|today|please|first)\b)|` +
	`(?:还|付|交)(?:款|钱)?\s*[¥￥]?` + typedAmount + `(?:\s*$|[^0-9.期号日个天月份年点%分秒])|` +
	`(?:差的|差额|差价|剩下的)\s*[¥￥]?` + typedAmount + `\s*(?:块|元)?\s*(?:补上|补齐|补了|还上|还了|付了)|\bpay (?:the (?:rest|difference|shortfall|remaining) (?:of )?)[¥￥]?` + typedAmount)

// typedAmount is an amount of two digits or more, its thousands with
// commas or not, its fen or not ("300", "3,045.00", "499.91"), or one digit
// with its fen ("5.25": a shortfall to pay, a probe got "can't answer").
const typedAmount = `(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{2,})(?:\.[0-9]{1,2})?|[0-9]\.[0-9]{1,2})`

// paysAnAmount is a request to pay an amount ("pay 100", "我要还300"), or
// a question whether an amount in figures may be paid ("我先还500行不行",
// "还604.25可以吗": a probe got unsure) — not of another day, nor with a
// waiver asked; not one paid already, refunded, a fee or a limit, nor a
// trouble ("I can't pay 300").
func paysAnAmount(text string) bool {
	l := strings.ToLower(text)
	if !(amountToPay.MatchString(l) || partSaid.MatchString(l) && containsAny(l, "pay", "还", "付")) || payoffWords(text) ||
		containsAny(l, "already", "paid", "已经", "已", "refund", "退", "can't", "cant", "cannot", "不起", "不了", "不上", "fee", "手续费",
			"limit", "额度", "charged",
			// a trouble around a payment of that amount, not a request (a review: "还款499.91扣了两次" was quoted to pay again)
			"两次", "重复", "多扣", "失败", "不足", "没成功", "不成功", "到账", "记录", "冻结", "提示", "报错", "错误", "为什么", "为啥", "怎么", "扣了", "没扣",
			"declined", "failed", "fail", "error", "twice", "double", "why", "where", "record", "history", "frozen", "insufficient", "didn't", "didnt", "not go") {
		return false
	}
	return !asks(text) || amountToPay.MatchString(l) &&
		!containsAny(l, "明天", "后天", "下周", "以后", "改天", "过几天", "tomorrow", "later", "next week", "instead", // another day's: not a payment now
			"免", "waive") // a waiver asked: the late fee's answer
}

// payoffWords ask for an early payoff rather than a bill ("提前还款500块").
func payoffWords(text string) bool {
	return containsAny(strings.ToLower(text), "提前", "结清", "还清", "pay off", "payoff", "early", "settle")
}

// notThisOne is a plan named to be left out of a payment ("not the laptop",
// "i dont want to pay off the laptop", "不是手机", "笔记本先不还"): what is
// left names the one meant. Only words of paying leave a plan out: "手机
// 不要自动扣款" names the phone.
var notThisOne = func() *regexp.Regexp {
	var kinds []string
	for _, k := range deviceKinds {
		kinds = append(kinds, k.said...)
	}
	slices.SortFunc(kinds, func(a, b string) int { return len(b) - len(a) }) // 平板电脑 before 电脑
	kind := `(?:` + strings.Join(kinds, "|") + `)`
	return regexp.MustCompile(`\b(?:not|except|but not|instead of|rather than|other than|(?:don'?t|do not)(?: want to)? (?:pay|repay)(?: off)?|` +
		`not paying(?: off)?)\s+(?:for\s+)?(?:the\s+|my\s+|that\s+)?(?:[a-z0-9]+\s+)?` + kind + `(?:\s+one)?|` +
		`(?:不是|不还|别还|先不还|除了|不用还)(?:那个|那笔|这个)?` + kind + `|` +
		kind + `(?:那个|那笔|这个|的)?我?(?:先不还|不还|不想还|不用还|先不结清|不结清|以后再还|不急|放一放|放放|先放着|先放一放|先不提前还|不提前还|以后再说|先不管)`)
}()

// planSaid is the one plan of open a request names — by words of its
// product, the kind of device it is, or its financing partner — or 0.
func planSaid(t string, open []supportbot.Plan) int {
	left := notThisOne.FindString(t)
	t = notThisOne.ReplaceAllString(t, " ") // "the phone, not the laptop": the phone
	if i, decided := namedIn(t, open); decided {
		return i
	}
	partners := make([]string, len(open))
	for i, p := range open {
		partners[i] = p.Partner
	}
	if i := partnerChoice(t, partners, false); i > 0 {
		return i
	}
	// "not the phone" and nothing else: the one plan of another kind.
	if kind, _ := kindSaid(left); left != "" && kind >= 0 {
		return onlyOne(len(open), func(i int) bool { return kindShown(open[i].Product) != kind })
	}
	return 0
}

// kindNotTheirs is the word a request names a kind of device by when none
// of open is of that kind (nor named by its product's words, nor of a kind
// the bot cannot tell): "laptop" from a customer whose plans are a phone
// and a tablet. "" otherwise — "not the laptop" included.
func kindNotTheirs(t string, open []supportbot.Plan) string {
	kind, word := kindSaid(channelWords.Replace(t))
	if kind < 0 || notThisOne.MatchString(t) {
		return ""
	}
	names := productsOf(open)
	if nameChoice(t, names) > 0 || slices.ContainsFunc(names, func(n string) bool { k := kindShown(n); return k == kind || k < 0 }) {
		return ""
	}
	return strings.TrimSpace(word) // " band"
}

// channelWords name a device as what the customer writes from or a number,
// not a plan: "I'm on my mobile", "my phone number is the same", "用手机银行".
var channelWords = strings.NewReplacer("phone number", " ", "mobile number", " ", "mobile banking", " ", "mobile app", " ",
	"on my phone", " ", "on my mobile", " ", "from my phone", " ", "from my mobile", " ", "on my laptop", " ", "on my computer", " ",
	"手机号", " ", "手机银行", " ", "用手机", " ", "手机上", " ", "电脑上", " ", "用电脑", " ")

// severalNamed reports text that names two or more of the plans by their
// names, or one by its name and another by its kind, joined ("手环和净化器",
// "手机跟净化器都结清", "the k70 and the redmibook").
func severalNamed(t string, names []string) bool {
	if !severalJoined.MatchString(t) {
		return false
	}
	named := namesNamed(mallWords.Replace(t), names)
	if kind, _ := kindSaid(channelWords.Replace(t)); kind >= 0 {
		if i := onlyOne(len(names), func(i int) bool { return kindShown(names[i]) == kind }); i > 0 && !slices.Contains(named, i) {
			named = append(named, i)
		}
	}
	return len(named) > 1
}

// severalJoined joins things named: 和, 跟, 还有, "and", "both"…
var severalJoined = regexp.MustCompile(`和|跟|与|以及|、|\band\b|&|\bboth\b|\bplus\b`)

// mallWords name the mall or an account, not a product ("小米商城", "xiaomi
// account").
var mallWords = strings.NewReplacer("小米商城", " ", "小米账号", " ", "小米账户", " ", "xiaomi mall", " ", "mi mall", " ", "xiaomi account", " ", "mi account", " ")

// namedIn is the one plan of open whose product words or device kind t
// names (0 for none or several); decided reports that t named either,
// whether or not one plan fits.
func namedIn(t string, open []supportbot.Plan) (i int, decided bool) {
	names := productsOf(open)
	if kindsSaid(channelWords.Replace(t)) > 1 {
		return 0, true // "笔记本这期还了，手机的提前结清": two plans, which one is for the list to say (a probe quoted one)
	}
	if severalNamed(t, names) {
		return 0, true // "把手环和净化器都结清": two plans, one at a time from the list (an audit quoted the band alone)
	}
	if i := nameChoice(t, names); i > 0 {
		return i, true // a name typed whole too: "Redmi Note 14 Pro+ 5G" beside a Redmi K70 (a replay: "redmi" in both, neither)
	}
	if i := partnerSaid(t, open); i > 0 { // "招联那边还款了没": the plan 招联金融 finances (a probe answered another's)
		return i, true
	}
	if kind, _ := kindSaid(t); kind >= 0 {
		return onlyOne(len(names), func(i int) bool { return kindShown(names[i]) == kind }), true
	}
	return 0, false
}

// overdueLeftOut is how many overdue periods of p the quote leaves out: a
// booking is debiting them.
func overdueLeftOut(p *supportbot.Plan, q *supportbot.Quote, today supportbot.Date) int {
	k := 0
	for _, n := range q.Excluded {
		if b, ok := billOf(p, n); ok && b.Overdue(today) {
			k++
		}
	}
	return k
}
