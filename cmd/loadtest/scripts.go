package main

import (
	"fmt"
	"strings"
)

// What the bot says, in Chinese (locale/zh), that the scripts recognise.
const (
	faqQuestion = "提前还款要手续费吗"
	menuAgain   = "还有什么可以帮你？"
)

// supportScript is a customer's visit: identify by sharing their own contact,
// look up the bill, ask an FAQ question, get an early repayment quote (picking
// the plan if asked) and confirm it. Every reply is checked: the amounts must
// be the customer's.
func supportScript(c *customer) error {
	p := c.p
	_, err := c.shareContact(func(m reply) verdict {
		switch {
		case strings.Contains(m.text, "验证成功，"+p.name):
			return more
		case m.text == menuAgain:
			return last
		}
		return unexpected
	})
	if err != nil {
		return err
	}
	remaining := p.remaining.String()
	_, err = c.say("/bill", func(m reply) verdict {
		switch {
		case strings.Contains(m.text, "合计待还 "+remaining):
			return more
		case strings.Contains(m.text, p.product) && strings.Contains(m.text, "剩余待还 "+remaining):
			return more
		case strings.Contains(m.text, "点「查看还款计划」"):
			return last
		}
		return unexpected
	})
	if err != nil {
		return err
	}
	_, err = c.say(faqQuestion, func(m reply) verdict {
		if strings.Contains(m.text, "手续费") && hasButton(m, "m:repay") {
			return last
		}
		return unexpected
	})
	if err != nil {
		return err
	}
	quote := "合计应付：" + p.payoff.String()
	isQuote := func(m reply) verdict {
		if strings.Contains(m.text, quote) && buttonData(m, "确认还款") != "" {
			return last
		}
		return unexpected
	}
	q, err := c.say("/repay", func(m reply) verdict {
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
		if q, err = c.press(q, data, isQuote); err != nil {
			return err
		}
	}
	_, err = c.press(q, buttonData(q, "确认还款"), func(m reply) verdict {
		switch {
		case strings.Contains(m.text, "正在从") && strings.Contains(m.text, p.payoff.String()):
			return more // the money action is under way
		case strings.Contains(m.text, "提前还款成功") && strings.Contains(m.text, p.payoff.String()):
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
	if _, err := c.shareContact(echoed(c.p.phone)); err != nil {
		return err
	}
	for _, text := range []string{"/bill", faqQuestion} {
		if _, err := c.say(text, echoed(text)); err != nil {
			return err
		}
	}
	q, err := c.say("/repay", echoed("/repay"))
	if err != nil {
		return err
	}
	_, err = c.press(q, "echo:confirm", echoed("echo:confirm"))
	return err
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
