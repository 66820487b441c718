package main

import (
	"fmt"
	"strings"
)

// What the bot says, in Chinese (locale/zh), that the scripts recognise. The
// bot answers in Telegram HTML; the fake server answers each send and edit
// with the text as the customer sees it (tags gone, entities decoded), and
// that is what the scripts read.
const (
	faqQuestion = "提前还款要手续费吗"
	verified    = "验证成功"
)

// A step's last reply is the first expected one that carries an inline
// keyboard: a reply without one is followed by the message that does (the
// next actions are always under the last message of a step). A reply that
// shows an amount must show the customer's amount.

// supportScript is a customer's visit: identify by sharing their own contact,
// look up the bill, ask an FAQ question, get an early repayment quote (picking
// the plan if asked) and confirm it. Every reply is checked: the amounts must
// be the customer's.
func supportScript(c *customer) error {
	p := c.p
	remaining, payoff := p.remaining.String(), p.payoff.String()
	// Any message that states the total owed must state this customer's.
	billOK := func(m reply) error {
		for _, label := range []string{"合计待还 ", "剩余待还 "} {
			if got, ok := amountAfter(m.text, label); ok && got != remaining {
				return fmt.Errorf("%s%s, want %s", label, got, remaining)
			}
		}
		return nil
	}
	_, err := c.shareContact(func(m reply) verdict {
		if !strings.Contains(m.text, verified+"，"+p.name) && !strings.Contains(m.text, "合计待还") {
			return unexpected
		}
		if billOK(m) != nil {
			return unexpected
		}
		return lastIfKeyboard(m)
	})
	if err != nil {
		return err
	}
	sawTotal := false
	_, err = c.say(stepBill, "/bill", func(m reply) verdict {
		if billOK(m) != nil || !strings.Contains(m.text, "待还") && !strings.Contains(m.text, p.product) {
			return unexpected
		}
		if strings.Contains(m.text, "待还 "+remaining) {
			sawTotal = true
		}
		if !sawTotal {
			return more
		}
		return lastIfKeyboard(m)
	})
	if err != nil {
		return err
	}
	_, err = c.say(stepFAQ, faqQuestion, func(m reply) verdict {
		if !strings.Contains(m.text, "手续费") {
			return unexpected
		}
		return lastIfKeyboard(m)
	})
	if err != nil {
		return err
	}
	quote := "合计应付：" + payoff
	isQuote := func(m reply) verdict {
		if strings.Contains(m.text, quote) && buttonData(m, "确认还款") != "" {
			return last
		}
		return unexpected
	}
	q, err := c.say(stepRepay, "/repay", func(m reply) verdict {
		if strings.Contains(m.text, "要提前结清哪一笔分期") {
			return last
		}
		return isQuote(m)
	})
	if err != nil {
		return err
	}
	if !strings.Contains(q.text, quote) { // asked which plan
		data := buttonData(q, p.product)
		if data == "" {
			return fmt.Errorf("/repay: no button for %s", p.product)
		}
		if q, err = c.press(stepPickPlan, q, data, isQuote); err != nil {
			return err
		}
	}
	_, err = c.press(stepConfirm, q, buttonData(q, "确认还款"), func(m reply) verdict {
		switch {
		case strings.Contains(m.text, "正在从") && strings.Contains(m.text, payoff):
			return more // the money action is under way
		case strings.Contains(m.text, "提前还款成功") && strings.Contains(m.text, payoff):
			return last
		}
		return unexpected
	})
	return err
}

// subscribeScript identifies, looks up the bill and turns due-date reminders
// on from the bill's button: a subscriber of the reminder pass.
func subscribeScript(c *customer) error {
	_, err := c.shareContact(func(m reply) verdict {
		if strings.Contains(m.text, verified) || strings.Contains(m.text, "合计待还") {
			return lastIfKeyboard(m)
		}
		return unexpected
	})
	if err != nil {
		return err
	}
	bill, err := c.say(stepBill, "/bill", func(m reply) verdict {
		if strings.Contains(m.text, "待还") {
			return lastIfKeyboard(m)
		}
		return unexpected
	})
	if err != nil {
		return err
	}
	data := buttonData(bill, "提醒")
	if data == "" {
		return fmt.Errorf("/bill: no reminder button in %q", clip(bill.text, 120))
	}
	_, err = c.press(stepRemindOn, bill, data, func(m reply) verdict {
		if strings.Contains(m.text, "提醒") {
			return last
		}
		return unexpected
	})
	return err
}

// echoScript sends the same updates, of the same kinds, to the echo bot.
func echoScript(c *customer) error {
	echoed := func(want string) func(reply) verdict {
		return func(m reply) verdict {
			if m.text == want {
				return last
			}
			return unexpected
		}
	}
	if _, err := c.step(stepEcho, "share contact", func() { c.d.tap.fake.ShareContact(c.user, c.p.phone, c.user.ID) }, echoed(c.p.phone)); err != nil {
		return err
	}
	for _, text := range []string{"/bill", faqQuestion} {
		if _, err := c.say(stepEcho, text, echoed(text)); err != nil {
			return err
		}
	}
	q, err := c.say(stepEcho, "/repay", echoed("/repay"))
	if err != nil {
		return err
	}
	_, err = c.press(stepEcho, q, "echo:confirm", echoed("echo:confirm"))
	return err
}

// lastIfKeyboard: a reply with buttons ends the step, one without is
// followed by more.
func lastIfKeyboard(m reply) verdict {
	if len(m.buttons) > 0 {
		return last
	}
	return more
}

// amountAfter is the amount ("¥1,148.31") that follows label in text.
func amountAfter(text, label string) (string, bool) {
	_, rest, ok := strings.Cut(text, label)
	if !ok {
		return "", false
	}
	end := strings.IndexFunc(rest, func(r rune) bool {
		return !(r == '¥' || r == ',' || r == '.' || r == '-' || r >= '0' && r <= '9')
	})
	if end < 0 {
		end = len(rest)
	}
	return rest[:end], end > 0
}

func hasButton(m reply, data string) bool {
	for _, b := range m.buttons {
		if b.Data == data {
			return true
		}
	}
	return false
}

// buttonData is the callback data of the first button whose label contains label.
func buttonData(m reply, label string) string {
	for _, b := range m.buttons {
		if strings.Contains(b.Text, label) && b.Data != "" {
			return b.Data
		}
	}
	return ""
}
