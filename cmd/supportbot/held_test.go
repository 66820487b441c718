package main

import (
	"strings"
	"testing"
	"time"

	"supportbot/bot"
	"supportbot/bot/telegramtest"
)

// A customer who wrote while the bot was down gets an answer to each message
// once it is back, though the answers then wait on Telegram's pace for a
// chat: what they sent at their own pace, held up on the way, is not a
// flood, and they are not told to slow down.
func TestMessagesSentWhileDownAreAllAnswered(t *testing.T) {
	a := newApp(t, coreOverHTTP())
	// Telegram dates messages by the bot's clock here, as it does by the
	// same real time in service.
	a.srv = telegramtest.Start(t, telegramtest.WithClock(a.now))
	a.env["TELEGRAM_BOT_TOKEN"], a.env["TELEGRAM_API_ENDPOINT"] = a.srv.Token(), a.srv.Endpoint()
	a.runCore("import", "testdata/customers.json")
	// A chat's replies go out more slowly than the bot makes them, as at
	// Telegram's one a second, but not to keep the test waiting.
	limits := bot.Limits{PerSecond: 1000, PerChat: 5, PerChatBurst: 1, PerGroupMinute: 6000}
	a.startWith(limits)
	c := a.customer(7811, "zh")
	c.say("/repay", "分享我的手机号")
	c.share("8613800138000", "要提前结清哪一笔分期")
	a.stop()

	const sent = 16
	for range sent {
		a.srv.SendText(c.user, "/repay")
	}
	time.Sleep(2 * time.Second) // the bot comes back later than they were sent
	a.startWith(limits)
	deadline := time.Now().Add(20 * time.Second)
	for {
		got := joined(after(history(a.srv, c.user.ID), c.seen))
		if strings.Contains(got, "你发消息的速度超过了我回复的速度") {
			t.Fatalf("told to slow down for messages sent while the bot was down:\n%s", got)
		}
		if n := strings.Count(got, "要提前结清哪一笔分期"); n >= sent {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("%d messages sent while the bot was down got %d answers:\n%s", sent, n, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
