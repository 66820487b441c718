package flows_test

import (
	"testing"
)

func TestBillsToTheFen(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.send("/bill")
	// P1: periods 6-12 unpaid: 6×249.92 + 249.88 + late fee 12.00 = 1,761.40
	// P2: periods 3-6: 4×(1,000.00 + 5.00) = 4,020.00
	c.expect("2 笔进行中的分期，合计待还 <b>¥5,781.40</b>",
		"Redmi K70", "订单号 <code>5241015123456</code> · 小米分期", "已还 5/12 期 · 每期 ¥249.92",
		"第 6 期已逾期（还款日 2026年11月15日）：应还 <b>¥249.92</b>，另有滞纳金 ¥12.00",
		"下期还款日 2026年12月15日，应还 <b>¥249.92</b>", "剩余待还 ¥1,761.40",
		"已还 2/6 期 · 每期 ¥1,005.00", "下期还款日 2026年11月21日，应还 <b>¥1,005.00</b>", "剩余待还 ¥4,020.00",
		"逾期", "征信")
	c.press("查看还款计划")
	c.expect("<b>Redmi K70</b>（订单号 <code>5241015123456</code>）还款计划", "12. 2027年5月15日", "¥249.88", "⚠️ 已逾期，滞纳金 ¥12.00")
}

func TestBillsInEnglish(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/lang en") // 张伟's language on file is Chinese
	c.send("my bill")
	c.expect("2 open installment plans, <b>¥5,781.40</b> remaining", "Period 6 is overdue (due date Nov 15, 2026): <b>¥249.92</b>, plus a late fee of ¥12.00",
		"Next due date Dec 15, 2026: <b>¥249.92</b>", "credit bureau")
}

func TestBillsOfASettledCustomer(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(300, "en")
	c.identify(phoneBob)
	c.send("/bill")
	c.expect("You've paid off 1 installment plan; nothing is due")
	c.reject("overdue")
}

func TestScheduleOfSomeoneElsesPlanShowsNothing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	c.pressData("v:sched:P4") // 王芳's plan
	c.expect("按钮已过期")
	c.reject("Xiaomi Watch")
}

func TestRestartKeepsTheConversation(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/bill")
	h.open() // a new engine on the same database
	c.share(phoneZhang, 100)
	c.expect("验证成功", "Redmi K70") // Identify still knew where it was going
}
