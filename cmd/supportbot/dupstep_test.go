package main

import (
	"testing"
	"time"

	"supportbot/bot/telegramtest"
)

// TestAStepSentTwiceLeavesNoLiveCopy: Telegram takes a message with a
// step's buttons but its answer is lost (a 502), so the bot sends it again:
// the chat shows the step twice. The customer goes on from the first copy;
// the second loses its buttons with the step (found by the crash test of
// bill payments and cancellations, where a kill did the same).
func TestAStepSentTwiceLeavesNoLiveCopy(t *testing.T) {
	a := MustRunMain(t)
	c := a.customer(7311, "zh")
	c.say("/cancel_schedule", "分享我的手机号")
	a.srv.InjectFaults("sendMessage", 1, telegramtest.Fault{Status: 502, Processed: true})
	msgs := c.share("8613800138000", "你的预约还款")
	msgs = c.press(msgs, "第 7 期", "要取消这笔预约还款吗")
	c.press(msgs, "取消这笔预约还款", "已取消预约还款")
	deadline := time.Now().Add(5 * time.Second)
	for {
		bad := liveSteps(a.srv, a.botDB(), c.user.ID)
		if bad == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s\nthe chat:\n%s", bad, a.chatText(c.user.ID, 0))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
