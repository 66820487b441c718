package flows

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/looplab/fsm"

	"supportbot"
)

// Identify links a chat to a customer by the phone number of the Telegram
// account itself: only a contact whose user id is the sender's is accepted.
func identifyFlow() *spec {
	return &spec{
		name:    "identify",
		initial: "idle",
		events: fsm.Events{
			{Name: "ask", Src: []string{"idle", "asking"}, Dst: "asking"},
			// typed: a phone number typed before anything asked for it.
			{Name: "typed", Src: []string{"idle", "asking"}, Dst: "asking"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				// after_, not enter_: asking again is a self-transition.
				"after_ask":   func(_ ctxT, _ *fsm.Event) { askContact(s, "identify.ask") },
				"after_typed": func(_ ctxT, _ *fsm.Event) { askContact(s, "identify.use_button") },
			}
		},
		start: func(s *Step, _ string) error { return startIdentify(s, "", "") },
		handle: func(s *Step, _ action) (bool, error) {
			if s.ev.Kind != supportbot.EventText {
				return false, nil
			}
			text := strings.TrimSpace(s.ev.Text)
			if s.wantsOut(text) || s.wantsHuman(text) {
				return false, nil
			}
			// A typed number proves nothing about who is typing. A
			// question of ours the bot answers without knowing who asks
			// (is there interest, how to bind a card), or another request,
			// is taken as anywhere else: identifying still waits for the
			// contact. Other words — "why my phone?" reads to the
			// classifier like changing one's phone — are told what the
			// step waits for, and the way out.
			if phoneLike(text) {
				askContact(s, "identify.use_button")
				return true, nil
			}
			if asksHowToShare(text) {
				askContact(s, "identify.how_share")
				return true, nil
			}
			if c := s.e.cfg.Classifier.Classify(text); c.Confident && (c.Kind == "faq" || c.Kind == "flow" || asideOfOurs(c)) {
				return false, nil
			}
			askContact(s, "identify.press_button")
			return true, nil
		},
	}
}

// asksHowToShare reports a question about the step itself: how to share
// the contact, where the button is ("how do i share contact", "按钮在哪").
func asksHowToShare(text string) bool {
	t := strings.ToLower(text)
	about := containsAny(t, "share", "分享", "button", "按钮", "contact", "联系人", "名片", "verify", "验证")
	how := containsAny(t, "how", "where", "can't", "cant", "don't see", "dont see", "not see", "怎么", "如何", "在哪", "哪里", "找不到", "看不到", "没看到", "没有")
	return about && how && utf8.RuneCountInString(t) <= 40
}

// asksHowToConfirm reports a question about how to go on at a step that
// waits for a yes: how to press, where the button is ("怎么按", "我不会按
// 怎么确认啊", "按钮在哪", "how do i confirm": an elderly customer got
// "can't answer" and the FAQ's suggestions, stuck at a quote — a probe).
//
// The whole message must be of that shape, its filler words aside: "金额弄
// 错了怎么办", "怎么这么贵 一点都不划算", "怎么确认提前还款后不再扣了" are
// questions of their own (a regression run).
func asksHowToConfirm(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	if howToConfirmEN.MatchString(t) {
		return true
	}
	said := containsAny(t, "怎么", "咋", "如何", "哪", "按钮", "不会", "不知道", "找不到", "看不到", "没看到")
	rest := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			return -1
		}
		return r
	}, confirmFillers.Replace(t))
	return said && rest != "" && howToConfirmZH.MatchString(rest)
}

var (
	// confirmFillers are the words around a how-to ("我不会按 怎么确认啊").
	confirmFillers = strings.NewReplacer("请问", "", "我", "", "不会", "", "不知道", "", "到底", "", "该", "", "要", "",
		"这个", "", "那个", "", "呢", "", "啊", "", "呀", "", "吗", "", "嘛", "", "哦", "", "额", "", "呃", "", "的", "")
	howToConfirmZH = regexp.MustCompile(`^(?:(?:怎么|咋|如何)?(?:按|点|确认|确定|弄|操作)(?:哪里|哪儿|哪个|在哪里|在哪儿|在哪|哪)?|` +
		`按钮(?:在哪里|在哪儿|在哪)?|(?:找不到|看不到|没看到)按钮)+$`)
	howToConfirmEN = regexp.MustCompile(`^(?:(?:so |but |ok |and )?(?:how (?:do|can|should) i|how to|where (?:do|should) i|i (?:don'?t|do not) know how to) ` +
		`(?:confirm|tap|press|click)(?: it| this| that| here| the button)?|where(?: is|'s) the (?:confirm )?button|which button)\s*\??$`)
)

// asideOfOurs reports a question the bot answers with where to go (an
// order's delivery, a return, a product's price): answered while the
// contact is awaited, like a question of ours. Not a phone number change —
// "why my phone?" reads like one — nor small talk.
func asideOfOurs(c Classification) bool {
	return c.Kind == "out_of_scope" && c.ID != "oos-phone-number" && c.ID != "oos-chitchat" && c.ID != "oos-injection"
}

// startIdentify asks for the contact and remembers which flow to resume.
func startIdentify(s *Step, next, arg string) error {
	if err := s.fire("identify", "ask"); err != nil {
		return err
	}
	s.slots.Next, s.slots.NextArg = next, arg
	if s.ev.Kind == supportbot.EventText {
		s.slots.NextText = maskPhones(s.ev.Text) // kept until identified: no phone in it (a privacy probe)
	}
	return nil
}

// maskPhones hides the mobile numbers in text but their last 4 digits;
// the rest (a request's plan, amount or order) stays as typed.
func maskPhones(text string) string {
	return mobileTyped.ReplaceAllStringFunc(text, func(m string) string {
		start := strings.IndexFunc(m, func(r rune) bool { return r == '+' || r >= '0' && r <= '9' })
		end := strings.LastIndexFunc(m, func(r rune) bool { return r >= '0' && r <= '9' }) + 1
		return m[:start] + "****" + m[end-4:end] + m[end:]
	})
}

func askContact(s *Step, key string) {
	s.reply(supportbot.Reply{
		Text:       s.T(key),
		AskContact: s.T("btn.share_contact"),
		Keyboard:   []string{s.T("btn.cancel"), s.T("btn.human")},
	})
}

// linkContact takes a shared contact, in the Identify flow or out of it.
func linkContact(s *Step) error {
	ev := s.ev
	if ev.ContactUserID == 0 || ev.ContactUserID != ev.UserID {
		s.audit("identify_refused", map[string]any{"reason": "not_own_contact"})
		if s.conv.Flow != "identify" && s.conv.CustomerID != "" {
			// Already verified: refused, and nothing else changes — a step
			// waiting for a yes says it still waits; another one waiting
			// for words (the closure's ID check) is left, as the menu says
			// (a probe: behind the menu, a 确认 paid the quote, "4321"
			// sent the closure).
			if waitsForYes(s.conv.State) {
				s.say(s.T("identify.not_own_step") + "\n" + s.confirmHow())
				return nil
			}
			left := ""
			if s.conv.Flow != "" && !underWay(s.conv.State) {
				left = s.stepLeft()
				s.leave()
			}
			if left != "" {
				s.say(left)
			}
			s.menu("identify.not_own_verified")
			return nil
		}
		if s.conv.Flow != "identify" {
			s.say(s.T("identify.not_own"))
			return s.fire("identify", "ask")
		}
		askContact(s, "identify.not_own")
		return nil
	}
	// A shared contact's number is always international: country code first.
	phone := supportbot.ContactPhone(ev.Phone)
	var c *supportbot.Customer
	if phone != "" {
		var err error
		if c, err = s.customerOfPhone(phone); err != nil {
			return err
		}
	}
	if c == nil {
		unlinked := ""
		if s.conv.CustomerID != "" {
			// The account's own number is now no customer's: the link made
			// through the number on file no longer holds (a number given up
			// and reused, an account handed on) — not theirs to read.
			s.audit("unlink", map[string]any{"reason": "contact_unknown"})
			s.endTicketUnverified()
			s.forgetCustomer()
			unlinked = s.T("identify.unlinked_unknown") + "\n"
		}
		s.audit("identify_unknown", map[string]any{"phone": supportbot.MaskPhone(phone)})
		s.finish()
		// One message: the contact keyboard is one-time (Telegram hides it
		// once used), so the answer can carry the way on.
		s.say(unlinked+s.T("identify.unknown")+"\n"+s.T("identify.unknown_help"), s.next(s.humanBtn())...)
		return nil
	}
	next, arg, asked := s.slots.Next, s.slots.NextArg, s.slots.NextText
	if s.conv.Flow != "identify" {
		next, arg, asked = "", "", ""
	}
	if s.conv.CustomerID != "" && s.conv.CustomerID != c.ID {
		s.forgetCustomer() // another customer's contact, shared in a linked chat: not theirs to read
	}
	s.linkTo(c)
	// Their plans, known from now on: the core's events about a plan's
	// scheduled repayments are routed by it (a core that does not answer
	// now is asked again by the next step that reads them).
	s.plans()
	s.audit("identify", nil)
	left := s.stepLeft() // a contact shared at a quote: the quote is closed, and said so (a probe)
	s.finish()
	// One message: "verified" and what was asked for (or the menu).
	s.lead = s.T("identify.done", "name", c.Name)
	if left != "" {
		s.lead = left + "\n\n" + s.lead
	}
	if next != "" {
		if asked != "" {
			// The flow starts on the words that asked for it, as if typed
			// now: a plan they name is that plan (a probe: "我要提前还款笔
			// 记本" quoted the one phone of a customer with no laptop).
			s.ev.Kind, s.ev.Text = supportbot.EventText, asked
		}
		return s.startFlow(next, arg)
	}
	s.menu("menu.again")
	return nil
}

// customerOfPhone is the customer whose phone on file is phone, nil for
// none.
func (s *Step) customerOfPhone(phone string) (*supportbot.Customer, error) {
	c, err := s.e.core.CustomerByPhone(s.ctx, phone)
	if ce := refusal(err); ce != nil && ce.NotFound() {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if c.Phone != phone {
		// Someone else's record for this number: never linked, never shown.
		return nil, fmt.Errorf("a phone lookup answered with a customer of another phone: %w", supportbot.ErrCoreBadAnswer)
	}
	return c, nil
}

// linkTo links the chat to c, proven by the phone: other chats linked
// through it are told, and the customer's language on file counts.
func (s *Step) linkTo(c *supportbot.Customer) {
	s.conv.CustomerID, s.conv.LinkedPhone = c.ID, c.Phone
	s.claimPhone(c)
	s.core.known(c)
	if !s.conv.LangChosen && (c.Language == supportbot.LangZH || c.Language == supportbot.LangEN) {
		s.conv.Lang = c.Language
	}
}

// wantsOut reports whether typed text asks to leave the flow (取消, the
// keyboard's cancel button).
func (s *Step) wantsOut(text string) bool {
	text = strings.TrimSpace(text)
	if cancelWords[noLeads.Replace(bare(text))] && s.conv.Flow != "cancel" {
		// "算了还是取消吧" at a payment's quote (a probe) — and at turning
		// auto-repayment off: 取消 backs out, as in any app (a probe turned
		// it off on 取消); at a booking's cancellation, 取消 is the step.
		return true
	}
	return cancelWords[bare(text)] || text == s.T("btn.cancel")
}

// wantsHuman reports whether typed text asks for a person.
func (s *Step) wantsHuman(text string) bool {
	text = strings.TrimSpace(text)
	t := strings.ToLower(text)
	return t == "转人工" || t == "人工" || t == "人工客服" || t == "talk to a human" || t == "human" || t == "agent" ||
		text == s.T("btn.human")
}

// phoneLike reports text with a run of 7 or more digits (spaces and dashes
// between them allowed): a phone number typed instead of shared.
func phoneLike(text string) bool {
	n := 0
	for _, r := range text {
		switch {
		case unicode.IsDigit(r):
			if n++; n >= 7 {
				return true
			}
		case r == ' ' || r == '-' || r == '+' || r == '(' || r == ')':
		default:
			n = 0
		}
	}
	return false
}

// claimPhone tells every other chat linked to c through the phone this
// chat's account just proved that another account proved it: Telegram
// gives a number to one account at a time, so the older one has lost it —
// moved to a new account by the customer, or given up and handed by the
// carrier to someone else, who is now linked. An isolation probe saw two
// accounts linked to one customer without a word to either. The older
// chat is told (phoneClaimed), each in its own step.
func (s *Step) claimPhone(c *supportbot.Customer) {
	chat, now := s.conv.ChatID, s.now
	s.do(func(ctx context.Context, tx Tx) error {
		chats, err := tx.CustomerConversations(ctx, c.ID)
		if err != nil {
			return err
		}
		var evs []supportbot.Event
		for _, o := range chats {
			if o.ChatID != chat && o.LinkedPhone == c.Phone {
				evs = append(evs, supportbot.Event{ChatID: o.ChatID, Kind: supportbot.EventPhoneClaimed, Phone: c.Phone, Data: c.ID, ContactUserID: chat, Time: now,
					Source: "claimed:" + strconv.FormatInt(chat, 10) + ":" + strconv.FormatInt(o.ChatID, 10) + ":" + strconv.FormatInt(now.UnixNano(), 10)})
			}
		}
		_, err = tx.PutEvents(ctx, evs)
		return err
	})
}

// phoneClaimed tells a chat still linked through the phone another account
// proved that it was, audited: the real customer learns at once if it was
// not them, with a person a tap away. The chat stays linked — which of the
// two is the customer is not the bot's to tell; a person can end either
// link (the desk's ticket, the core's phone on file).
func phoneClaimed(s *Step) {
	if s.conv.CustomerID != s.ev.Data || s.conv.LinkedPhone != s.ev.Phone || s.conv.LinkedPhone == "" {
		return // unlinked or relinked since
	}
	s.audit("phone_claimed_elsewhere", map[string]any{"phone": supportbot.MaskPhone(s.ev.Phone)})
	s.say(s.T("identify.claimed_elsewhere"), s.next(s.humanBtn())...)
	if s.conv.Flow != "agent" {
		return
	}
	// With a person: the agent, who may be talking with the real customer,
	// is told in the ticket's topic too (a desk probe: only the customer
	// was), the customer's next line below it.
	staff, chat, by := s.e.cfg.AgentChatID, s.conv.ChatID, s.ev.ContactUserID
	s.do(func(ctx context.Context, tx Tx) error {
		t, err := tx.OpenTicket(ctx, chat)
		if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		t.Relay.Closed = true
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return err
		}
		s.late = append(s.late, supportbot.Reply{ChatID: staff, TicketID: t.ID, Text: s.staffT("agent.phone_claimed", "user", by)})
		return nil
	})
}
