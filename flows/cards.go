package flows

import (
	"strconv"
	"strings"

	"github.com/looplab/fsm"

	"supportbot"
)

// Cards (/cards): the bound cards, masked, the default marked and a frozen
// one marked unusable; choose the default → confirm → set. Binding a card is
// done in the app: the bot only says how, and never asks for a card number.
func cardsFlow() *spec {
	return &spec{
		name:          "cards",
		needsCustomer: true,
		initial:       "idle",
		events: fsm.Events{
			{Name: "list", Src: []string{"idle"}, Dst: "listed"},
			{Name: "pick", Src: []string{"listed", "confirming"}, Dst: "confirming"},
			{Name: "set", Src: []string{"confirming"}, Dst: "done"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_listed": func(_ ctxT, e *fsm.Event) { e.Err = listCards(s) },
				// after_, not enter_: picking another card is a self-transition.
				"after_pick": func(_ ctxT, e *fsm.Event) { askDefault(s, e.Args[0].(*supportbot.Card)) },
				"enter_done": func(_ ctxT, e *fsm.Event) { e.Err = setDefault(s, e.Args[0].(*supportbot.Card)) },
			}
		},
		start:  func(s *Step, _ string) error { return s.fire("cards", "list") },
		handle: handleCards,
		stale:  staleCards,
	}
}

// defaultCard is the card payments use unless the customer picks another:
// Cards lists the default first. nil when no card is bound.
func defaultCard(cards []supportbot.Card) *supportbot.Card {
	if len(cards) == 0 {
		return nil
	}
	return &cards[0]
}

func listCards(s *Step) error {
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	if len(cards) == 0 {
		s.finish()
		s.say(s.T("cards.none")+"\n\n"+s.T("cards.bind_howto"), []supportbot.Button{s.humanBtn()},
			[]supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
		return nil
	}
	lines := []string{s.T("cards.header")}
	var rows [][]supportbot.Button
	for i, c := range cards {
		line := strconv.Itoa(i+1) + ". " + c.Masked()
		if c.Default {
			line += " " + s.T("cards.default_mark")
		}
		if c.Frozen {
			line += " " + s.T("cards.frozen_mark")
		}
		lines = append(lines, line)
		if !c.Default && !c.Frozen {
			rows = append(rows, []supportbot.Button{s.btn(s.T("cards.btn_default", "card", c.Masked()), "pick:"+c.ID)})
		}
	}
	lines = append(lines, "", s.T("cards.default_means"), s.T("cards.bind_short"))
	rows = append(rows, []supportbot.Button{s.btn(s.T("cards.btn_bind"), "bind")})
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

func handleCards(s *Step, action string) (bool, error) {
	if action == "" {
		return cardsText(s)
	}
	verb, id, _ := strings.Cut(action, ":")
	switch verb {
	case "bind":
		s.say(s.T("cards.bind_howto"))
		return true, nil
	case "pick":
		return true, pickDefault(s, id)
	case "ok":
		if id != s.conv.Slots["card"] {
			s.say(s.T("button.expired"), s.menuRows()...)
			return true, nil
		}
		return true, confirmDefault(s, id)
	}
	return false, nil
}

// cardsText accepts a card's number in the list and "确认" while confirming.
func cardsText(s *Step) (bool, error) {
	if s.ev.Kind != supportbot.EventText {
		return false, nil
	}
	text := strings.ToLower(strings.TrimSpace(s.ev.Text))
	switch s.conv.State {
	case "listed":
		if n, err := strconv.Atoi(text); err == nil {
			cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
			if err != nil {
				return true, err
			}
			if n >= 1 && n <= len(cards) {
				return true, pickDefault(s, cards[n-1].ID)
			}
		}
	case "confirming":
		if confirmWords[text] {
			return true, confirmDefault(s, s.conv.Slots["card"])
		}
	}
	return guardCardNumber(s)
}

// pickDefault asks to confirm a new default card, if it can be one.
func pickDefault(s *Step, id string) error {
	card, err := customerCard(s, id)
	if err != nil {
		return err
	}
	switch {
	case card == nil:
		s.say(s.T("button.expired"), s.menuRows()...)
	case card.Frozen:
		s.say(s.T("cards.frozen", "card", card.Masked()))
	case card.Default:
		s.say(s.T("cards.already_default", "card", card.Masked()))
	default:
		return s.fire("cards", "pick", card)
	}
	return nil
}

func askDefault(s *Step, card *supportbot.Card) {
	s.conv.Slots["card"] = card.ID
	s.say(s.T("cards.confirm", "card", card.Masked()),
		[]supportbot.Button{s.btn(s.T("cards.btn_confirm"), "ok:"+card.ID)},
		[]supportbot.Button{{Text: s.T("cards.btn_keep"), Data: "x"}, s.humanBtn()})
}

func confirmDefault(s *Step, id string) error {
	card, err := customerCard(s, id)
	if err != nil {
		return err
	}
	if card == nil {
		s.finish()
		s.say(s.T("button.expired"), s.menuRows()...)
		return nil
	}
	return s.fire("cards", "set", card)
}

func setDefault(s *Step, card *supportbot.Card) error {
	s.finish()
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return err
	}
	previous := ""
	if d := defaultCard(cards); d != nil && d.Default {
		previous = d.ID
	}
	changed, err := s.tx.SetDefaultCard(s.ctx, s.conv.CustomerID, card.ID)
	switch supportbot.ErrorCode(err) {
	case "":
	case supportbot.EINVALID: // frozen since it was offered
		s.say(s.T("cards.frozen", "card", card.Masked()), []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards")})
		return nil
	case supportbot.ENOTFOUND:
		s.say(s.T("button.expired"), s.menuRows()...)
		return nil
	default:
		return err
	}
	if !changed {
		s.say(s.T("cards.already_default", "card", card.Masked()), []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards")})
		return nil
	}
	if err := s.audit("default_card", map[string]any{"card_id": card.ID, "previous_card_id": previous}); err != nil {
		return err
	}
	if err := s.notice("default_card", map[string]string{"card": card.Masked()}); err != nil {
		return err
	}
	text := s.T("cards.done", "card", card.Masked())
	plans, err := openPlans(s)
	if err != nil {
		return err
	}
	auto := 0
	for _, p := range plans {
		if p.AutoRepay {
			auto++
		}
	}
	if auto > 0 {
		text += "\n" + s.T("cards.done_autopay", "count", auto)
	}
	s.say(text, []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards"), s.menuBtn(s.T("menu.messages"), "messages")})
	return nil
}

// staleCards answers an old confirm button of a card that is the default
// already: nothing more is done.
func staleCards(s *Step, action string) (bool, error) {
	id, ok := strings.CutPrefix(action, "ok:")
	if !ok || s.conv.CustomerID == "" {
		return false, nil
	}
	card, err := customerCard(s, id)
	if err != nil || card == nil || !card.Default {
		return err != nil, err
	}
	s.say(s.T("cards.already_default", "card", card.Masked()), []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards")})
	return true, nil
}

// cardNumberMin and cardNumberMax bound the length of a bank card number.
const cardNumberMin, cardNumberMax = 13, 19

// cardNumbers are the runs of 13 to 19 digits in text (single spaces or
// dashes between digits allowed, full-width digits read as digits): what
// looks like a full bank card number. A run after "+" is a phone number.
func cardNumbers(text string) []string {
	var found []string
	var run strings.Builder
	sep, phone := false, false // the previous rune was a separator in the run; the run follows "+"
	prev := rune(0)
	flush := func() {
		if n := run.Len(); n >= cardNumberMin && n <= cardNumberMax && !phone {
			found = append(found, run.String())
		}
		run.Reset()
		sep, phone = false, false
	}
	for _, r := range text {
		if r >= '０' && r <= '９' {
			r = '0' + (r - '０')
		}
		switch {
		case r >= '0' && r <= '9':
			if run.Len() == 0 {
				phone = prev == '+' || prev == '＋'
			}
			run.WriteRune(r)
			sep = false
		case (r == ' ' || r == '-') && run.Len() > 0 && !sep:
			sep = true
		default:
			flush()
		}
		prev = r
	}
	flush()
	return found
}

// guardCardNumber answers text that looks like a full card number: the bot
// never needs one, and it should not be shared. An order number of the
// customer's is not a card number. It reports whether it answered.
func guardCardNumber(s *Step) (bool, error) {
	if s.ev.Kind != supportbot.EventText {
		return false, nil
	}
	found := cardNumbers(s.ev.Text)
	if len(found) == 0 {
		return false, nil
	}
	plans, err := s.tx.Plans(s.ctx, s.conv.CustomerID)
	if err != nil {
		return true, err
	}
	orders := map[string]bool{}
	for _, p := range plans {
		orders[p.OrderNo] = true
	}
	for _, n := range found {
		if orders[n] {
			continue
		}
		// The number itself is kept nowhere: not in the audit, not in the slots.
		if err := s.audit("card_number_refused", map[string]any{"flow": s.conv.Flow}); err != nil {
			return true, err
		}
		s.say(s.T("cards.never_share"), []supportbot.Button{s.humanBtn()})
		return true, nil
	}
	return false, nil
}
