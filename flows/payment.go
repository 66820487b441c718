package flows

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"supportbot"
)

// What the flows that move money (early repayment, paying a bill) share:
// a quote with an id that is the payment's idempotency key, valid for
// quoteTTL and only for the bills it was computed from (fingerprint); the card
// to charge; the charge itself with its declined and already-paid answers.
//
// A quoting flow keeps its quote in the slots "plan", "quote", "amount" (fen),
// "card", "expires" (Unix seconds) and "fp"; its quote step offers buttons
// "ok:<quote>" (confirm), "cards" (choose a card) and "card:<id>".

// quoteTTL is how long a quote can be confirmed.
const quoteTTL = 15 * time.Minute

// confirmWords confirm a step when typed.
var confirmWords = map[string]bool{"确认": true, "确定": true, "是": true, "好": true, "yes": true, "y": true, "confirm": true, "ok": true}

func argString(args []any, i int) string {
	if i < len(args) {
		s, _ := args[i].(string)
		return s
	}
	return ""
}

func openPlans(s *Step) ([]supportbot.Plan, error) {
	plans, err := s.tx.Plans(s.ctx, s.conv.CustomerID)
	if err != nil {
		return nil, err
	}
	var open []supportbot.Plan
	for _, p := range plans {
		if p.Open() {
			open = append(open, p)
		}
	}
	return open, nil
}

// fingerprint identifies the unpaid state of a plan: a quote is only good for
// the bills it was computed from.
func fingerprint(p *supportbot.Plan) string {
	h := sha256.New()
	for _, b := range p.Bills {
		fmt.Fprintf(h, "%d|%s|%d|%d|%d|%s;", b.Period, b.DueDate, b.Principal, b.Fee, b.LateFee, b.Status)
	}
	fmt.Fprintf(h, "%d", p.PrepayFeeRateBP)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// newQuoteID is a quote's id and its payment's idempotency key: 100 random
// bits, so keys never collide across customers (it fits in a button).
func newQuoteID() string { return "Q" + strings.ToUpper(randomToken(20)) }

// quoteCard is the card a quote charges: the one chosen in the slots if the
// customer still has it, else the default (Cards lists it first).
func quoteCard(s *Step, cards []supportbot.Card) supportbot.Card {
	card := cards[0]
	for _, c := range cards {
		if c.ID == s.conv.Slots["card"] {
			card = c
		}
	}
	return card
}

// newQuote starts a quote of plan p for amount on card: it replaces the slots
// and returns the quote id and when it expires. extra slots are kept with it.
func newQuote(s *Step, p *supportbot.Plan, amount supportbot.Money, card supportbot.Card, extra ...string) (string, time.Time) {
	qid := newQuoteID()
	expires := s.now.Add(quoteTTL)
	s.conv.Slots = map[string]string{
		"plan": p.ID, "quote": qid, "amount": strconv.FormatInt(int64(amount), 10),
		"card": card.ID, "expires": strconv.FormatInt(expires.Unix(), 10), "fp": fingerprint(p),
	}
	for i := 0; i+1 < len(extra); i += 2 {
		s.conv.Slots[extra[i]] = extra[i+1]
	}
	return qid, expires
}

// quoteExpired reports whether the quote in the slots is past its time.
func quoteExpired(s *Step) bool {
	expires, _ := strconv.ParseInt(s.conv.Slots["expires"], 10, 64)
	return s.now.Unix() > expires
}

// quoteChanged reports whether p or the amount is not what was quoted.
func quoteChanged(s *Step, p *supportbot.Plan, amount supportbot.Money) bool {
	return fingerprint(p) != s.conv.Slots["fp"] || strconv.FormatInt(int64(amount), 10) != s.conv.Slots["amount"]
}

// validUntil is the time a quote expires, as the customer reads it.
func validUntil(s *Step, t time.Time) string { return t.In(s.e.cfg.Location).Format("15:04") }

func customerCard(s *Step, id string) (*supportbot.Card, error) {
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return nil, err
	}
	for _, c := range cards {
		if c.ID == id {
			return &c, nil
		}
	}
	return nil, nil
}

// chooseCard offers the customer's cards for the quote; "card:<id>" re-quotes.
func chooseCard(s *Step) error {
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	var rows [][]supportbot.Button
	for _, c := range cards {
		rows = append(rows, []supportbot.Button{s.btn(c.Masked(), "card:"+c.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn()})
	s.say(s.T("repay.choose_card"), rows...)
	return nil
}

// chargeQuote charges the quote in the slots once: the quote id is the
// gateway's idempotency key and the payment's, so a repeat never pays twice.
// ok is false when it has answered the customer instead: the bank declined
// (nothing changed) or the quote was paid already.
func chargeQuote(s *Step, kind string, p *supportbot.Plan, card *supportbot.Card, amount supportbot.Money) (pay *supportbot.Payment, ok bool, err error) {
	qid := s.conv.Slots["quote"]
	// The key is checked before the gateway hears of it: a used key is never
	// charged again (the transaction holds the only writer, so the check stands).
	if _, err := s.tx.Payment(s.ctx, qid); err == nil {
		if answered, err := staleQuote(s, "ok:"+qid); answered || err != nil {
			return nil, false, err
		}
		s.say(s.T("button.expired"), s.menuRows()...)
		return nil, false, nil
	} else if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		return nil, false, err
	}
	err = s.e.cfg.Payments.Charge(s.ctx, Charge{Key: qid, CustomerID: s.conv.CustomerID, PlanID: p.ID, Card: *card, Amount: amount})
	if supportbot.ErrorCode(err) == EDECLINED {
		return nil, false, declined(s, kind, card)
	} else if err != nil {
		return nil, false, err
	}
	pay = &supportbot.Payment{Key: qid, Kind: kind, CustomerID: s.conv.CustomerID, PlanID: p.ID, CardID: card.ID, Amount: amount}
	if err := s.tx.RecordPayment(s.ctx, pay); err != nil {
		return nil, false, err
	}
	return pay, true, nil
}

// declined tells the bank said no; nothing changed, the quote stands, and the
// customer can pick another card, check this one, or ask a human.
func declined(s *Step, kind string, card *supportbot.Card) error {
	amount, _ := strconv.ParseInt(s.conv.Slots["amount"], 10, 64)
	if err := s.audit("payment_declined", map[string]any{"kind": kind, "plan_id": s.conv.Slots["plan"], "card_id": card.ID,
		"amount_fen": amount, "quote_id": s.conv.Slots["quote"]}); err != nil {
		return err
	}
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	var rows [][]supportbot.Button
	for _, c := range cards {
		if c.ID != card.ID {
			rows = append(rows, []supportbot.Button{s.btn(s.T("repay.btn_use_card", "card", c.Masked()), "card:"+c.ID)})
		}
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(s.T("repay.declined", "card", card.Masked()), rows...)
	return nil
}

// staleQuote answers an old confirm button: if its quote was paid, say so
// (never pay again); otherwise it is merely expired.
func staleQuote(s *Step, action string) (bool, error) {
	qid, ok := strings.CutPrefix(action, "ok:")
	if !ok || s.conv.CustomerID == "" {
		return false, nil
	}
	pay, err := s.tx.Payment(s.ctx, qid)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND || (err == nil && pay.CustomerID != s.conv.CustomerID) {
		return false, nil
	} else if err != nil {
		return true, err
	}
	s.say(s.T("repay.already_paid", "amount", money(pay.Amount), "time", when(s, pay.CreatedAt), "reference", pay.Key),
		[]supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.messages"), "messages")})
	return true, nil
}

// quoteOwnPlan quotes, in flow ("repay" or "pay"), one of the customer's open
// plans; a plan of someone else's, or one already settled, quotes nothing.
func quoteOwnPlan(s *Step, flow, planID, note string) error {
	p, err := ownPlan(s, planID)
	if p == nil || err != nil {
		return err
	}
	if !p.Open() {
		s.finish()
		s.say(s.T("repay.already_settled", "product", p.Product), s.menuRows()...)
		return nil
	}
	return s.fire(flow, "quote", p, note)
}

// quoteAction takes a button of a quoting flow (repay, pay): a plan chosen,
// the quote confirmed, another card asked for or chosen.
func quoteAction(s *Step, flow, action string, confirm func(*Step, string) error) (bool, error) {
	verb, arg, _ := strings.Cut(action, ":")
	switch verb {
	case "plan":
		return true, quoteOwnPlan(s, flow, arg, "")
	case "ok":
		return true, confirm(s, arg)
	case "cards":
		return true, chooseCard(s)
	case "card":
		s.conv.Slots["card"] = arg
		return true, quoteOwnPlan(s, flow, s.conv.Slots["plan"], "")
	}
	return false, nil
}

// quoteText accepts typed answers in a quoting flow: a plan's number or order
// number while choosing, "确认" or "yes" on a quote. A card number is refused
// anywhere.
func quoteText(s *Step, flow string, confirm func(*Step, string) error) (bool, error) {
	if s.ev.Kind != supportbot.EventText {
		return false, nil
	}
	text := strings.ToLower(strings.TrimSpace(s.ev.Text))
	switch s.conv.State {
	case "choosing":
		open, err := openPlans(s)
		if err != nil {
			return true, err
		}
		n, err := strconv.Atoi(text)
		for i := range open {
			if (err == nil && n == i+1) || text == open[i].OrderNo {
				return true, s.fire(flow, "quote", &open[i])
			}
		}
	case "quoted":
		if confirmWords[text] {
			return true, confirm(s, s.conv.Slots["quote"])
		}
	}
	return guardCardNumber(s)
}

// quotedPlan is the plan of the quote qid being confirmed; nil (with the
// customer answered) when qid is not the current quote or the plan is gone.
func quotedPlan(s *Step, qid string) (*supportbot.Plan, error) {
	if qid == "" || qid != s.conv.Slots["quote"] {
		s.say(s.T("button.expired"), s.menuRows()...)
		return nil, nil
	}
	p, err := ownPlan(s, s.conv.Slots["plan"])
	if p == nil && err == nil {
		s.finish()
	}
	return p, err
}

// ownPlan is one of the customer's plans; nil, with "expired" said, when the
// id names no plan of theirs (a forged or stale button).
func ownPlan(s *Step, planID string) (*supportbot.Plan, error) {
	p, err := s.tx.Plan(s.ctx, s.conv.CustomerID, planID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		s.say(s.T("button.expired"), s.menuRows()...)
		return nil, nil
	}
	return p, err
}
