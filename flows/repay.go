package flows

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"supportbot"
)

// quoteTTL is how long an early-repayment quote can be confirmed.
const quoteTTL = 15 * time.Minute

// Early repayment: choose a plan → quote → confirm → paid, exactly once. The
// quote id is the payment's idempotency key; the confirm button carries it.
func repayFlow() *spec {
	return &spec{
		name:          "repay",
		needsCustomer: true,
		initial:       "idle",
		events: fsm.Events{
			{Name: "choose", Src: []string{"idle"}, Dst: "choosing"},
			{Name: "quote", Src: []string{"idle", "choosing", "quoted"}, Dst: "quoted"},
			{Name: "pay", Src: []string{"quoted"}, Dst: "paid"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_choosing": func(_ ctxT, e *fsm.Event) { e.Err = askPlan(s) },
				// after_, not enter_: a new quote from "quoted" is a self-transition.
				"after_quote": func(_ ctxT, e *fsm.Event) { e.Err = showQuote(s, e.Args[0].(*supportbot.Plan), argString(e.Args, 1)) },
				"enter_paid":  func(_ ctxT, e *fsm.Event) { e.Err = paid(s, e.Args[0].(*supportbot.Payment)) },
			}
		},
		start:  startRepay,
		handle: handleRepay,
		stale:  staleRepay,
	}
}

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

func startRepay(s *Step, planID string) error {
	open, err := openPlans(s)
	if err != nil {
		return err
	}
	for i := range open {
		if open[i].ID == planID {
			return s.fire("repay", "quote", &open[i])
		}
	}
	switch len(open) {
	case 0:
		s.say(s.T("repay.nothing"), []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill")}, []supportbot.Button{s.menuBtn(s.T("menu.close"), "close")})
		return nil
	case 1:
		return s.fire("repay", "quote", &open[0])
	}
	return s.fire("repay", "choose")
}

func askPlan(s *Step) error {
	open, err := openPlans(s)
	if err != nil {
		return err
	}
	var rows [][]supportbot.Button
	for i, p := range open {
		label := fmt.Sprintf("%d. %s · %s", i+1, p.Product, money(p.Remaining()))
		rows = append(rows, []supportbot.Button{s.btn(label, "plan:"+p.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(s.T("repay.choose"), rows...)
	return nil
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

// showQuote computes a fresh quote for p and asks to confirm it. note, if
// set, says why the customer sees a new quote.
func showQuote(s *Step, p *supportbot.Plan, note string) error {
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	if len(cards) == 0 {
		s.finish()
		s.say(s.T("repay.no_card"), []supportbot.Button{s.humanBtn()})
		return nil
	}
	card := cards[0]
	for _, c := range cards {
		if c.ID == s.conv.Slots["card"] {
			card = c
		}
	}
	q := supportbot.ComputePayoff(*p, s.today)
	qid := newQuoteID()
	expires := s.now.Add(quoteTTL)
	s.conv.Slots = map[string]string{
		"plan": p.ID, "quote": qid, "amount": strconv.FormatInt(int64(q.Total), 10),
		"card": card.ID, "expires": strconv.FormatInt(expires.Unix(), 10), "fp": fingerprint(p),
	}
	var lines []string
	if note != "" {
		lines = append(lines, s.T(note, "amount", money(q.Total)), "")
	}
	lines = append(lines,
		s.T("repay.quote_header", "product", p.Product, "order", p.OrderNo),
		s.T("repay.quote_principal", "amount", money(q.Principal)))
	if q.DueFees > 0 {
		lines = append(lines, s.T("repay.quote_fees", "amount", money(q.DueFees)))
	}
	if q.LateFees > 0 {
		lines = append(lines, s.T("repay.quote_late_fees", "amount", money(q.LateFees)))
	}
	lines = append(lines,
		s.T("repay.quote_prepay_fee", "rate", rate(q.PrepayRateBP), "base", money(q.NotDue), "amount", money(q.PrepayFee)),
		s.T("repay.quote_total", "amount", money(q.Total)),
		s.T("repay.quote_card", "card", card.Masked()),
		s.T("repay.quote_valid", "time", expires.In(s.e.cfg.Location).Format("15:04")))
	rows := [][]supportbot.Button{{s.btn(s.T("repay.btn_confirm", "amount", money(q.Total)), "ok:"+qid)}}
	if len(cards) > 1 {
		rows = append(rows, []supportbot.Button{s.btn(s.T("repay.btn_card"), "cards")})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

// rate formats basis points as a percentage: 150 → 1.50%.
func rate(bp int64) string { return fmt.Sprintf("%d.%02d%%", bp/100, bp%100) }

func newQuoteID() string { return "Q" + strings.ToUpper(randomToken(7)) }

func handleRepay(s *Step, action string) (bool, error) {
	if action == "" { // free text
		return repayText(s)
	}
	verb, arg, _ := strings.Cut(action, ":")
	switch verb {
	case "plan":
		return true, quotePlan(s, arg, "")
	case "ok":
		return true, confirmRepay(s, arg)
	case "cards":
		return true, chooseCard(s)
	case "card":
		s.conv.Slots["card"] = arg
		return true, quotePlan(s, s.conv.Slots["plan"], "")
	}
	return false, nil
}

// repayText accepts typed answers: a plan's number while choosing, "确认" or
// "yes" on a quote.
func repayText(s *Step) (bool, error) {
	text := strings.ToLower(strings.TrimSpace(s.ev.Text))
	switch s.conv.State {
	case "choosing":
		if n, err := strconv.Atoi(text); err == nil {
			open, err := openPlans(s)
			if err != nil {
				return true, err
			}
			if n >= 1 && n <= len(open) {
				return true, s.fire("repay", "quote", &open[n-1])
			}
		}
	case "quoted":
		if confirmWords[text] {
			return true, confirmRepay(s, s.conv.Slots["quote"])
		}
	}
	return false, nil
}

var confirmWords = map[string]bool{"确认": true, "确定": true, "是": true, "好": true, "yes": true, "y": true, "confirm": true, "ok": true}

// quotePlan quotes one of the customer's open plans.
func quotePlan(s *Step, planID, note string) error {
	p, err := s.tx.Plan(s.ctx, s.conv.CustomerID, planID)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		s.say(s.T("button.expired"), s.menuRows()...)
		return nil
	} else if err != nil {
		return err
	}
	if !p.Open() {
		s.finish()
		s.say(s.T("repay.already_settled", "product", p.Product), s.menuRows()...)
		return nil
	}
	return s.fire("repay", "quote", p, note)
}

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

// confirmRepay pays the quote qid, if it is still the current, unexpired and
// accurate quote; otherwise it re-quotes with the reason.
func confirmRepay(s *Step, qid string) error {
	slots := s.conv.Slots
	if qid == "" || qid != slots["quote"] {
		s.say(s.T("button.expired"), s.menuRows()...)
		return nil
	}
	p, err := s.tx.Plan(s.ctx, s.conv.CustomerID, slots["plan"])
	if err != nil {
		return err
	}
	if !p.Open() {
		s.finish()
		s.say(s.T("repay.already_settled", "product", p.Product), s.menuRows()...)
		return nil
	}
	expires, _ := strconv.ParseInt(slots["expires"], 10, 64)
	if s.now.Unix() > expires {
		return s.fire("repay", "quote", p, "repay.expired")
	}
	q := supportbot.ComputePayoff(*p, s.today)
	if fingerprint(p) != slots["fp"] || strconv.FormatInt(int64(q.Total), 10) != slots["amount"] {
		return s.fire("repay", "quote", p, "repay.changed")
	}
	card, err := customerCard(s, slots["card"])
	if err != nil {
		return err
	}
	if card == nil {
		return s.fire("repay", "quote", p, "repay.changed")
	}
	err = s.e.cfg.Payments.Charge(s.ctx, Charge{Key: qid, CustomerID: s.conv.CustomerID, PlanID: p.ID, Card: *card, Amount: q.Total})
	if supportbot.ErrorCode(err) == EDECLINED {
		return declined(s, card)
	} else if err != nil {
		return err
	}
	pay := &supportbot.Payment{Key: qid, Kind: "early_repayment", CustomerID: s.conv.CustomerID, PlanID: p.ID, CardID: card.ID, Amount: q.Total}
	if err := s.tx.RecordPayment(s.ctx, pay); supportbot.ErrorCode(err) == supportbot.ECONFLICT {
		_, err := staleRepay(s, "ok:"+qid)
		return err
	} else if err != nil {
		return err
	}
	if _, err := s.tx.PayBills(s.ctx, s.conv.CustomerID, p.ID); err != nil {
		return err
	}
	cancelled, err := s.tx.CancelPlanSchedules(s.ctx, s.conv.CustomerID, p.ID)
	if err != nil {
		return err
	}
	if err := s.audit("early_repayment", map[string]any{
		"plan_id": p.ID, "amount_fen": int64(q.Total), "quote_id": qid, "card_id": card.ID,
		"prepay_fee_fen": int64(q.PrepayFee), "cancelled_scheduled": cancelled,
	}); err != nil {
		return err
	}
	if err := s.notice("early_repayment", map[string]string{
		"product": p.Product, "amount": money(q.Total), "card": card.Masked(), "reference": qid,
	}); err != nil {
		return err
	}
	slots["product"], slots["card_masked"], slots["cancelled"] = p.Product, card.Masked(), strconv.Itoa(len(cancelled))
	return s.fire("repay", "pay", pay)
}

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

// declined tells the bank said no; nothing changed, the quote stands.
func declined(s *Step, card *supportbot.Card) error {
	if err := s.audit("payment_declined", map[string]any{"plan_id": s.conv.Slots["plan"], "card_id": card.ID,
		"amount_fen": s.conv.Slots["amount"], "quote_id": s.conv.Slots["quote"]}); err != nil {
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

func paid(s *Step, pay *supportbot.Payment) error {
	slots := s.conv.Slots
	s.finish()
	text := s.T("repay.done", "product", slots["product"], "amount", money(pay.Amount), "card", slots["card_masked"], "reference", pay.Key)
	if slots["cancelled"] != "0" {
		text += "\n" + s.T("repay.done_cancelled", "count", slots["cancelled"])
	}
	open, err := openPlans(s)
	if err != nil {
		return err
	}
	rows := [][]supportbot.Button{{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.messages"), "messages")}}
	if len(open) == 0 {
		text += "\n\n" + s.T("repay.all_settled")
		rows = append([][]supportbot.Button{{s.menuBtn(s.T("menu.close"), "close")}}, rows...)
	}
	s.say(text, rows...)
	return nil
}

// staleRepay answers an old confirm button: if its quote was paid, say so
// (never pay again); otherwise it is merely expired.
func staleRepay(s *Step, action string) (bool, error) {
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
