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

// Cards (/cards): the bound cards, masked, the default marked and a frozen
// one marked unusable; choose the default → confirm → set. Binding a card is
// done in the app: the bot only says how, and never asks for a card number.
func cardsFlow() *spec {
	return &spec{
		name:          "cards",
		needsCustomer: true,
		reads:         []coreRead{readCards, readPlans},
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
		start: func(s *Step, _ string) error {
			if err := s.fire("cards", "list"); err != nil || s.conv.State != "listed" || s.ev.Kind != supportbot.EventText {
				return err
			}
			// "把建行卡设成默认卡": that card's confirmation under the list (an
			// audit got the list alone, and its 确认 did nothing).
			if l := strings.ToLower(s.ev.Text); (containsAny(l, "默认", "default") && containsAny(l, "设", "改", "换", "用", "make", "set", "switch", "change", "use") || debitCardChanged.MatchString(l)) &&
				!asks(s.ev.Text) && !containsAny(l, howWhereWhy...) && !containsAny(l, "哪张", "哪个", "which") {
				named, err := cardNamed(s, l)
				if err != nil {
					return err
				}
				if !named {
					if _, err := otherOrNoBank(s, l); err != nil {
						return err
					}
				}
			}
			return nil
		},
		handle: handleCards,
		stale:  staleCards,
		keep:   "cards.btn_keep",
	}
}

// debitCardChanged asks the debits made from another card ("换成招行卡扣
// 款", "switch autopay to my icbc card"): the default card changed, as a
// debit takes it (a probe: unsure, or a payment's plans).
var debitCardChanged = regexp.MustCompile(`(?:换成|改成|改用|换用|以后用|以后都用|每次都用|都用)[^，。？?]{0,10}卡(?:来)?(?:自动)?(?:扣款|扣钱|扣)|` +
	`换(?:一张|张|个|别的|其他的?)?(?:银行)?卡(?:来)?(?:还款|还钱|扣款|扣)|` + // "我想换卡还款 招行卡没钱了" (a probe: unsure)
	`\b(?:switch|change|move|set)\b[^.?!]{0,20}\b(?:autopay|auto-pay|auto repayment|debits?|automatic payments?)\b[^.?!]{0,10}\bto\b`)

// defaultCard is the card payments use unless the customer picks another:
// Cards lists the default first. nil when no card is bound.
func defaultCard(cards []supportbot.Card) *supportbot.Card {
	if len(cards) == 0 {
		return nil
	}
	return &cards[0]
}

func listCards(s *Step) error {
	cards, err := s.cards()
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
	names := cardNames(s.conv.Lang, cards)
	for i, c := range cards {
		line := strconv.Itoa(i+1) + ". " + locale.Escape(locale.NameIn(s.conv.Lang, c.Masked()))
		if c.Default {
			line += " " + s.T("cards.default_mark")
		}
		if c.Frozen {
			line += " " + s.T("cards.frozen_mark")
		}
		lines = append(lines, line)
		if !c.Default && !c.Frozen {
			rows = append(rows, []supportbot.Button{s.btn(s.T("cards.btn_default", "card", names[i]), "pick", c.ID)})
		}
	}
	lines = append(lines, "", s.T("cards.default_means"))
	if d := defaultCard(cards); d != nil && d.Frozen {
		// What a payment here would use instead, and that auto-repayment fails.
		if usable := usableCards(cards); len(usable) > 0 {
			lines = append(lines, s.T("cards.default_frozen", "card", usable[0].Masked()))
		} else {
			lines = append(lines, s.T("cards.all_frozen"))
		}
	}
	lines = append(lines, s.T("cards.bind_short"))
	rows = append(rows, []supportbot.Button{s.btn(s.T("cards.btn_bind"), "bind")})
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

func handleCards(s *Step, a action) (bool, error) {
	switch a.Name {
	case "":
		return cardsText(s)
	case "bind": // the list becomes the how-to: the way back, a person
		s.finish()
		s.say(s.T("cards.bind_howto"), s.next(s.menuBtn(s.T("menu.cards"), "cards"), s.humanBtn())...)
		return true, nil
	case "pick":
		return true, pickDefault(s, a.Arg)
	case "ok":
		if a.Arg != s.slots.Card {
			s.expired()
			return true, nil
		}
		return true, confirmDefault(s, a.Arg)
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
		cards, err := s.cards()
		if err != nil {
			return true, err
		}
		if n, err := strconv.Atoi(text); err == nil && n >= 1 && n <= len(cards) {
			return true, pickDefault(s, cards[n-1].ID)
		}
		if unbindsACard(text) { // "remove my icbc card": not a pick to make it the default
			s.say(s.T("cards.unbind_short"))
			return true, nil
		}
		if paysThisPeriod.MatchString(text) || (payFirst.MatchString(text) || asksPayoff(text) || containsAny(text, "这期", "本期", "当期", "this period")) && !containsAny(text, "默认", "default") {
			// "用招商的卡还这期", "这期用招行卡扣吧", "提前还款用建行卡": a payment on that card,
			// for the readers of free text — not a change of the default
			// card (a probe was asked to make it the default, a 确认 away).
			return false, nil
		}
		if !asks(text) && !containsAny(text, howWhereWhy...) && !containsAny(text, "哪张", "哪个", "which") { // "8888那张设成默认", "用建行的"; not "工行卡为什么冻结了", "默认的是哪张"
			if named, err := cardNamed(s, text); named || err != nil {
				return true, err
			}
			return otherOrNoBank(s, text)
		}
	case "confirming":
		if correctionMark.MatchString(text) { // "不对 我要民生的": that card's (an audit: the hotline, the step dropped)
			if named, err := cardNamed(s, text); named || err != nil {
				return true, err
			}
			if otherOneSaid.MatchString(text) {
				// "no, the other one": the other card, when one other can
				// be made the default (a probe got the prompt-injection
				// notice); more: the list again.
				cards, err := s.cards()
				if err != nil {
					return true, err
				}
				other := slices.DeleteFunc(usableCards(cards), func(c supportbot.Card) bool { return c.ID == s.slots.Card })
				if len(other) == 1 {
					return true, pickDefault(s, other[0].ID)
				}
				return true, s.startFlow("cards", "")
			}
		}
		if agrees(text) || typedLabel(text, s.T("cards.btn_confirm")) {
			return true, confirmDefault(s, s.slots.Card)
		}
	}
	return false, nil
}

// cardNamed takes a card text names by its bank or last 4 digits: its
// confirmation, or — a bank two of the cards are of ("招商银行" with two 招商
// cards: an audit got the other platforms' answer) — which of them. It
// reports whether the text named one.
func cardNamed(s *Step, text string) (bool, error) {
	cards, err := s.cards()
	if err != nil {
		return false, err
	}
	t := bare(text)
	if n := cardChoice(t, cards); n > 0 {
		return true, pickDefault(s, cards[n-1].ID)
	}
	var ofBank []string
	for _, c := range cards {
		if !strings.Contains(t, c.Last4) && (bankSaid(t, c.Bank) || bankSaid(t, zhBankOf(c.Bank))) {
			ofBank = append(ofBank, locale.NameIn(s.conv.Lang, c.Masked()))
		}
	}
	if len(ofBank) < 2 {
		return false, nil
	}
	s.say(s.T("cards.which_of_bank", "cards", strings.Join(ofBank, s.listSep())))
	return true, nil
}

// otherOrNoBank answers, at the cards' list, "the other one" — the one
// other card (its confirmation, or why it cannot be the default), or that
// there is none — and a bank none of the cards is of ("use Bank of China":
// a probe got the partners' channels, and unsure). It reports whether it
// answered.
func otherOrNoBank(s *Step, t string) (bool, error) {
	if otherOneSaid.MatchString(t) || containsAny(t, "另一张", "另外一张", "other card") {
		cards, err := s.cards()
		if err != nil {
			return false, err
		}
		others := slices.DeleteFunc(slices.Clone(cards), func(c supportbot.Card) bool { return c.Default })
		switch len(others) {
		case 0:
			s.say(s.T("cards.no_other"))
			return true, nil
		case 1:
			return true, pickDefault(s, others[0].ID)
		}
		return false, nil
	}
	if bank := bankIn(t, s.conv.Lang); bank != "" && !anyCardOf(s, t) {
		s.say(s.T("cards.bank_none", "bank", bank)) // "我想换成招行卡扣款" with no 招行 card: said, under the list (a probe: the list alone)
		return true, nil
	}
	return false, nil
}

// anyCardOf reports a card of the customer's of a bank t names.
func anyCardOf(s *Step, t string) bool {
	cards, err := s.cards()
	return err == nil && slices.ContainsFunc(cards, func(c supportbot.Card) bool {
		return bankSaid(t, strings.ToLower(c.Bank)) || bankSaid(t, zhBankOf(c.Bank))
	})
}

// pickDefault asks to confirm a new default card, if it can be one.
func pickDefault(s *Step, id string) error {
	card, err := s.card(id)
	if err != nil {
		return err
	}
	switch {
	case card == nil:
		s.expired()
	case card.Frozen: // the list above stays; a person a tap away (a probe: no button at all)
		s.say(s.T("cards.frozen", "card", card.Masked()), []supportbot.Button{s.humanBtn()})
	case card.Default:
		s.say(s.T("cards.already_default", "card", card.Masked()))
	default:
		return s.fire("cards", "pick", card)
	}
	return nil
}

func askDefault(s *Step, card *supportbot.Card) {
	s.slots.Card = card.ID
	s.say(s.T("cards.confirm", "card", card.Masked()),
		[]supportbot.Button{s.btn(s.T("cards.btn_confirm"), "ok", card.ID)},
		[]supportbot.Button{s.button(s.T("cards.btn_keep"), Callback{Kind: CallbackLeave, Nonce: s.nonce()}), s.humanBtn()})
}

func confirmDefault(s *Step, id string) error {
	card, err := s.card(id)
	if err != nil {
		return err
	}
	if card == nil {
		s.finish()
		s.expired()
		return nil
	}
	return s.fire("cards", "set", card)
}

func setDefault(s *Step, card *supportbot.Card) error {
	s.finish()
	cards, err := s.cards()
	if err != nil {
		return err
	}
	previous := ""
	if d := defaultCard(cards); d != nil && d.Default {
		previous = d.ID
	}
	changed := previous != card.ID
	details := map[string]any{"card_id": card.ID, "previous_card_id": previous}
	updated, err := s.e.core.SetDefaultCard(s.ctx, s.key("default-card"), s.conv.CustomerID, card.ID)
	if err == nil && changed && !isDefault(updated, card.ID) {
		err = fmt.Errorf("%w: default card answered as not %s", supportbot.ErrCoreBadAnswer, card.ID)
	}
	switch ce := refusal(err); {
	case ce != nil && ce.Code == supportbot.CoreCardFrozen: // frozen since it was offered
		s.say(s.T("cards.frozen", "card", card.Masked()), []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards")})
		return nil
	case ce != nil && ce.NotFound():
		s.expired()
		return nil
	case unavailableErr(err):
		// Made or not, the core did not say: what it has now tells (see setAutopay).
		s.core.forget(s.conv.CustomerID)
		if now, rerr := s.cards(); rerr != nil || !isDefault(now, card.ID) {
			s.unconfirmed("default_card", s.T("cards.unconfirmed", "card", card.Masked()), details, s.menuBtn(s.T("menu.cards"), "cards"))
			return nil
		}
	case err != nil:
		return err
	}
	s.core.forget(s.conv.CustomerID)
	if !changed {
		s.say(s.T("cards.already_default", "card", card.Masked()), []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards")})
		return nil
	}
	s.audit("default_card", details)
	s.notice("default_card", map[string]string{"card": card.Masked()})
	s.records = true // the confirmation of a change stays
	text := s.T("cards.done", "card", card.Masked())
	plans, err := s.openPlans()
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

// isDefault reports whether cards, as the core lists them, have this one as
// the default.
func isDefault(cards []supportbot.Card, id string) bool {
	d := defaultCard(cards)
	return d != nil && d.ID == id && d.Default
}

// staleCards answers an old confirm button of a card that is the default
// already: nothing more is done.
func staleCards(s *Step, a action) (bool, error) {
	if a.Name != "ok" {
		return false, nil
	}
	card, err := s.card(a.Arg)
	if err != nil || card == nil || !card.Default {
		return err != nil, err
	}
	s.say(s.T("cards.already_default", "card", card.Masked()), []supportbot.Button{s.menuBtn(s.T("menu.cards"), "cards")})
	return true, nil
}

// cardNames are cards as their buttons name them: the masked number, and
// the card's place in the list when another card reads the same (two cards
// of one bank ending in the same 4 digits), in lang.
func cardNames(lang supportbot.Lang, cards []supportbot.Card) []string {
	seen := map[string]int{}
	for _, c := range cards {
		seen[c.Masked()]++
	}
	names := make([]string, len(cards))
	for i, c := range cards {
		names[i] = locale.NameIn(lang, c.Masked())
		if seen[c.Masked()] > 1 {
			names[i] = strconv.Itoa(i+1) + ". " + names[i]
		}
	}
	return names
}
