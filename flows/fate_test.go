package flows_test

import (
	"testing"
	"time"

	"supportbot"
)

// TestWhyABookingWasCancelledSaysWhatTheBotKnows: "为什么我的预约被取消了"
// and a booking failed on a frozen card got "not sure" (an audit). Each
// booking cancelled or failed lately is told with who or what cancelled it,
// as far as the bot knows — the customer here, a frozen card, the core
// without a reason — and whether its period is still to pay.
func TestWhyABookingWasCancelledSaysWhatTheBotKnows(t *testing.T) {
	_, c := session(t, fixture(), phoneZhang, "/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.pressData(c.button("取消这笔预约还款").Data)
	c.expect("已取消预约还款")
	c.send("为什么我的预约被取消了")
	c.expect("「Redmi K70」第 7 期的预约还款 <b>¥249.92</b>（原定 2026年12月14日 09:00）", "是你在 今天",
		"这一期还没还：<b>¥249.92</b>，还款日 2026年12月15日")

	data := fixture()
	zhang := customerIn(t, data, "C1")
	zhang.Scheduled = append(zhang.Scheduled,
		supportbot.ScheduledRepayment{ID: "S4", CustomerID: "C1", PlanID: "P1", Period: 6, Amount: 24992, CardID: "K2",
			RunAt: time.Date(2026, 11, 14, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledCancelled},
		supportbot.ScheduledRepayment{ID: "S5", CustomerID: "C1", PlanID: "P2", Period: 2, Amount: 100500, CardID: "K1",
			RunAt: time.Date(2026, 10, 20, 9, 0, 0, 0, shanghai), Status: supportbot.ScheduledFailed})
	for _, ask := range []string{"我的预约还款怎么没扣", "why was my scheduled payment cancelled"} {
		_, c := session(t, data, phoneZhang, ask)
		c.expect("「Redmi K70」第 6 期的预约还款 <b>¥249.92</b>（原定 2026年11月14日 09:00）",
			"扣款卡 工商银行 **** 4321 已冻结", "这一期现在已逾期（还款日 2026年11月15日），应还 <b>¥261.92</b>",
			"「Xiaomi Book」第 2 期的预约还款 <b>¥1,005.00</b>", "❌ 扣款失败：银行没有扣成功")
		c.reject("是你在", "第 7 期")
	}

	_, c = session(t, fixture(), phoneWang, "why did my scheduled payment fail")
	c.expect("你最近的预约还款没有被取消，也没有扣款失败的")
	for _, ask := range []string{"如果我还了这期 预约会被取消吗", "怎么取消预约还款", "预约取消了吗"} {
		_, c := session(t, data, phoneZhang, ask)
		c.reject("的预约还款 <b>", "你最近的预约还款没有被取消")
	}
}
