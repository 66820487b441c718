package flows

import (
	"strings"

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
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				// after_, not enter_: asking again is a self-transition.
				"after_ask": func(_ ctxT, _ *fsm.Event) { askContact(s, "identify.ask") },
			}
		},
		start: func(s *Step, _ string) error { return startIdentify(s, "", "") },
		handle: func(s *Step, _ string) (bool, error) {
			if s.ev.Kind != supportbot.EventText {
				return false, nil
			}
			text := strings.TrimSpace(s.ev.Text)
			if s.wantsOut(text) || s.wantsHuman(text) {
				return false, nil
			}
			// A typed number proves nothing about who is typing.
			askContact(s, "identify.use_button")
			return true, nil
		},
	}
}

// startIdentify asks for the contact and remembers which flow to resume.
func startIdentify(s *Step, next, arg string) error {
	if err := s.fire("identify", "ask"); err != nil {
		return err
	}
	s.conv.Slots["next"], s.conv.Slots["next_arg"] = next, arg
	return nil
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
		if err := s.audit("identify_refused", map[string]any{"reason": "not_own_contact"}); err != nil {
			return err
		}
		if s.conv.Flow != "identify" {
			s.say(s.T("identify.not_own"))
			return s.fire("identify", "ask")
		}
		askContact(s, "identify.not_own")
		return nil
	}
	phone := supportbot.ContactPhone(ev.Phone)
	c, err := s.tx.CustomerByPhone(s.ctx, phone)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND || phone == "" {
		if err := s.audit("identify_unknown", map[string]any{"phone": supportbot.MaskPhone(phone)}); err != nil {
			return err
		}
		s.finish()
		s.reply(supportbot.Reply{Text: s.T("identify.unknown"), RemoveKeyboard: true})
		s.say(s.T("identify.unknown_help"), []supportbot.Button{s.humanBtn()})
		return nil
	} else if err != nil {
		return err
	}
	next, arg := s.conv.Slots["next"], s.conv.Slots["next_arg"]
	if s.conv.Flow != "identify" {
		next, arg = "", ""
	}
	s.conv.CustomerID = c.ID
	if err := s.audit("identify", nil); err != nil {
		return err
	}
	s.finish()
	s.reply(supportbot.Reply{Text: s.T("identify.done", "name", c.Name), RemoveKeyboard: true})
	if next != "" {
		return s.startFlow(next, arg)
	}
	s.menu("menu.again")
	return nil
}

// wantsOut reports whether typed text asks to leave the flow (取消, the
// keyboard's cancel button).
func (s *Step) wantsOut(text string) bool {
	text = strings.TrimSpace(text)
	return cancelWords[strings.ToLower(text)] || text == s.T("btn.cancel")
}

// wantsHuman reports whether typed text asks for a person.
func (s *Step) wantsHuman(text string) bool {
	text = strings.TrimSpace(text)
	t := strings.ToLower(text)
	return t == "转人工" || t == "人工" || t == "人工客服" || t == "talk to a human" || t == "human" || t == "agent" ||
		text == s.T("btn.human")
}
