package flows_test

import (
	"fmt"
	"testing"
	"time"

	"supportbot"
)

// A follow-up naming only another plan asks the same of it: after the
// phone's payoff, "那笔记本呢" is the laptop's payoff quote (a probe's "and
// the phone?" after a payment got "can't answer").
func TestAFollowUpNamingAnotherPlanRepeatsTheLastStep(t *testing.T) {
	h, c := faqSession(t, 720)
	c.send("提前还清K70")
	c.expect("提前结清报价", "Redmi K70")
	c.press("确认还款")
	c.expect("提前还款成功")
	c.send("那笔记本呢")
	c.expect("提前结清报价", "Xiaomi Book")
	c.reject("Redmi K70")
	c.send("算了")
	c.send("笔记本也提前结清") // the step's own verb is no request of its own
	c.expect("提前结清报价", "Xiaomi Book")
	c.send("算了")

	// Its own question is its own: when the laptop is due, not a quote.
	c.send("那笔记本什么时候到期")
	c.reject("提前结清报价")

	// Half an hour on, "and the laptop?" follows nothing any more.
	h.advance(31 * time.Minute)
	c.send("那笔记本呢")
	c.reject("提前结清报价")
}

func TestAFollowUpInEnglishAfterABill(t *testing.T) {
	_, c := faqSession(t, 721)
	c.send("/lang en")
	c.send("pay the k70 bill")
	c.expect("Redmi K70")
	c.press("Confirm")
	c.expect("Paid!")
	// The laptop's bill is its booking's, running within the hour: said,
	// for each way of asking after it.
	for _, words := range []string{"and the laptop?", "the other one too", "what about my xiaomi book", "now the laptop", "also pay the laptop"} {
		c.send(words)
		c.expect(`period 3 of "Xiaomi Book" runs today at 11:00`)
		c.reject("not sure")
	}
}

// A switch of auto-repayment follows too, and at its question a booking's
// cancellation named for another plan is that, not the other plan's switch
// (a probe was asked to turn the laptop's auto-repayment on).
func TestAFollowUpOfAutoRepaymentAndABookingAsked(t *testing.T) {
	_, c := faqSession(t, 723)
	c.send("给K70开通自动还款")
	c.press("确认开启")
	c.expect("已为「Redmi K70」开启自动还款")
	c.send("笔记本也一样")
	c.expect("确认为「Xiaomi Book」开启自动还款吗？")
	c.send("取消K70的预约")
	c.expect("你的预约还款", "Redmi K70 第 7 期")
	c.reject("开启自动还款吗")
}

// "undo that" right after a payment: a confirmed repayment is not taken
// back here — the answer that says so, a person under it (a probe got
// "can't answer"); a booking's "撤销预约" is the booking's.
func TestUndoRightAfterAPayment(t *testing.T) {
	_, c := faqSession(t, 724)
	c.send("/lang en")
	c.send("pay the k70 bill")
	c.press("Confirm")
	c.expect("Paid!")
	c.send("undo that")
	c.expect("cannot be undone here")
	c.reject("not sure")
	c.send("/lang zh")
	c.send("撤销预约")
	c.reject("不能撤回", "cannot be undone")
}

// At a quote, "and the other one?" is the other plan, not the other card
// (a probe's 确认 paid the same plan from a card never picked); "use the
// other one" is still the card.
func TestTheOtherOneAtAQuoteIsThePlanWhenFollowingUp(t *testing.T) {
	data := fixture()
	c1 := customerIn(t, data, "C1")
	c1.Cards = append(c1.Cards, supportbot.Card{ID: "K3", Bank: "建设银行", Last4: "2222"})
	_, c := faqSessionOn(t, data, 741, phoneZhang)
	c.send("/lang en")
	for _, words := range []string{"and the other one?", "what about the other one"} {
		c.send("pay off the laptop")
		c.expect("Payoff quote</b>: Xiaomi Book")
		c.send(words)
		c.expect("Payoff quote</b>: Redmi K70", "China Merchants Bank **** 6789")
		c.reject("China Construction Bank")
		c.send("/menu")
	}
	c.send("pay off the laptop")
	c.send("the other one too") // too: one at a time, this quote first
	c.expect("One at a time", "Redmi K70")
	c.reject("China Construction Bank", "Payoff quote</b>: Redmi K70")
	c.send("/menu")
	c.send("pay off the laptop")
	c.send("use the other one")
	c.expect("Payoff quote</b>: Xiaomi Book", "China Construction Bank **** 2222")
}

// A follow-up naming someone else's thing is not the customer's own (a
// replay: "那我老婆的笔记本呢" got the customer's own laptop's payoff, and a
// 确认 paid it).
func TestAFollowUpAboutSomeoneElsesPlanIsNotTheirOwn(t *testing.T) {
	_, c := faqSession(t, 744)
	c.send("提前还清K70")
	c.press("确认还款")
	c.expect("提前还款成功")
	for _, words := range []string{"那我老婆的笔记本呢", "那李娜的笔记本呢", "那他的笔记本呢", "我妈的笔记本也一样"} {
		c.send(words)
		c.reject("提前结清报价", "确认还款")
	}
	c.send("/lang en")
	for _, words := range []string{"and my wife's laptop?", "and Li Na's laptop?", "and her laptop?", "my mom's laptop too"} {
		c.send(words)
		c.reject("Payoff quote", "Confirm and pay")
	}
	c.send("/lang zh")
	c.send("那张伟的笔记本呢") // their own name: their own
	c.expect("提前结清报价</b>：Xiaomi Book")

	// A thing they bought for someone is theirs (a replay: unsure); one
	// their people bought is not (a replay quoted their own).
	for _, tc := range []struct {
		words string
		own   bool
	}{{"那我给我妈买的笔记本呢", true}, {"and the laptop i bought for my mom?", true},
		{"那我老婆给她妈买的笔记本呢", false}, {"and the laptop my wife bought for her mom", false}} {
		_, b := faqSession(t, 745)
		b.send("提前还清K70")
		b.press("确认还款")
		b.send(tc.words)
		if tc.own {
			b.expect("Xiaomi Book", "¥3,045.00")
		} else {
			b.reject("¥3,045.00")
		}
	}
}

// "undo that" right after auto-repayment was switched asks to switch it
// back (a probe got unsure, or the booking's cancellation guide).
func TestUndoRightAfterAnAutoRepaymentSwitch(t *testing.T) {
	_, c := faqSession(t, 750)
	c.send("给K70开通自动还款")
	c.press("确认开启")
	c.expect("已为「Redmi K70」开启自动还款")
	c.send("撤回刚才的")
	c.expect("确认关闭「Redmi K70」的自动还款吗")
	c.press("确认关闭")
	c.expect("已关闭「Redmi K70」的自动还款")
}

// A bare "pay it" pays the plan just talked about: "笔记本还剩几期" then
// "提前还清吧" is the laptop's payoff, "手机逾期了吗" then "那赶紧帮我还"
// the phone's bill, "还另一个" the other plan's — not the list of every
// plan, nor unsure (a multi-turn probe). Ten minutes on, or with
// another thing said, the words are what they were.
func TestABarePayItPaysThePlanJustTalkedAbout(t *testing.T) {
	h, c := faqSession(t, 721)
	c.send("笔记本还剩几期")
	c.expect("Xiaomi Book", "还款计划")
	c.send("提前还清吧")
	c.expect("提前结清报价", "Xiaomi Book")
	c.reject("Redmi K70")
	c.send("算了")

	c.send("笔记本剩下几期") // said so too (a replay: the overview)
	c.expect("Xiaomi Book", "还款计划")
	c.send("算了")

	c.send("手机逾期了吗")
	c.expect("Redmi K70")
	c.send("那赶紧帮我还")
	c.expect("Redmi K70", "逾期")
	c.reject("提前结清报价", "Xiaomi Book")
	c.send("算了")

	c.send("笔记本还剩几期")
	c.send("还另一个")
	c.expect("Redmi K70")
	c.reject("Xiaomi Book")
	c.send("算了")

	c.send("笔记本还剩几期")
	c.send("还最早到期那个") // a plan of its own description: not "it"
	c.reject("提前结清报价")
	c.send("算了")

	c.send("笔记本还剩几期")
	h.advance(11 * time.Minute)
	c.send("提前还清吧")
	c.expect("要提前结清哪一笔分期")
	c.send("算了")

	c.send("我把这期还了吧") // a suggestion of their own, not a payment made (a replay: unsure)
	c.reject("进行中的分期", "不太确定")
	c.send("算了")
	c.send("笔记本还剩几期")
	c.send("那就提前还了吧") // an order: 了吧 after 那就
	c.expect("提前结清报价", "Xiaomi Book")
	c.send("算了")
	c.send("笔记本还剩几期")
	c.send("帮我提前还了吧") // an order: 了 after 帮我
	c.expect("提前结清报价", "Xiaomi Book")
	c.reject("Redmi K70")
	c.send("算了")
	// Words with 还 that ask nothing paid, and a subject changed in
	// between, are not "it" (a replay quoted each, and a 确认 paid one).
	for _, words := range []string{"还好", "还行吧", "我还了", "我还想想", "这个还要还", "那还好", "嗯 还行", "还吧？",
		// paid, not "pay it" (a replay quoted each, and a 确认 paid one)
		"还上了", "还清了", "嗯 还掉了", "提前还了", "好的 付了", "还了吧", "结清了", "全部还了", "好 全还了 谢谢"} {
		c.send("笔记本还剩几期")
		c.send(words)
		c.reject("确认还款", "提前结清报价")
	}
	c.send("笔记本还剩几期")
	c.send("/bill")
	c.send("我要提前还款")
	c.expect("要提前结清哪一笔分期")
}

func TestABarePayItInEnglish(t *testing.T) {
	_, c := faqSession(t, 722)
	c.send("/lang en")
	c.send("how many periods are left on the laptop")
	c.expect("Xiaomi Book")
	c.send("ok pay it off")
	c.expect("Payoff quote", "Xiaomi Book")
	c.reject("Redmi K70")
	c.send("cancel")
	for _, words := range []string{"clear", "ok clear"} { // no request to pay
		c.send("how many periods are left on the laptop")
		c.send(words)
		c.reject("Payoff quote", "Confirm and pay")
	}
}

// A plan described by what is not its name outside a list — the day its
// next bill is due, being due first, the bigger or the cheaper, roughly
// its amount — is that plan's quote, as the list's pick would be (a multi-turn probe: unsure).
// When to pay ("我15号再还") or a question of it describes nothing to pay.
func TestAPlanDescribedOutsideAListIsQuoted(t *testing.T) {
	_, c := faqSession(t, 723)
	c.send("帮我还下15号到期的那个")
	c.expect("Redmi K70", "逾期")
	c.reject("Xiaomi Book")
	c.send("算了")
	c.send("还最早到期那个")
	c.expect("Redmi K70")
	c.reject("Xiaomi Book")
	c.send("算了")
	c.send("提前还贵的那个")
	c.expect("提前结清报价", "Xiaomi Book")
	c.send("算了")
	c.send("四千多那个帮我提前还了") // roughly its amount (a probe: unsure)
	c.expect("提前结清报价", "Xiaomi Book")
	c.send("算了")
	c.send("那个15号的先还了吧") // 了 after 先…: an order
	c.expect("Redmi K70", "逾期")
	c.reject("Xiaomi Book")
	c.send("算了")
	c.send("还一千多那个") // what is left of it: ¥1,761.40
	c.expect("Redmi K70", "逾期")
	c.reject("Xiaomi Book")
	c.send("算了")
	c.send("我15号再还")
	c.reject("确认还款")
	// The request's own words around it, and another plan put off in a
	// clause of its own (a replay got none quoted once the readers took
	// only a request; "贵的那个先放着 先还便宜的那个" had quoted the dearer).
	for _, words := range []string{"提前还最便宜的那个", "现在就帮我提前还便宜的那个", "谢谢 帮我提前还便宜的那个", "提前还便宜的那个就行",
		"便宜的那个先提前还吧 贵的我再想想", "贵的那个先放着 先提前还便宜的那个", "四千多那个下次再说 先提前还一千多那个"} {
		c.send(words)
		c.expect("提前结清报价", "Redmi K70")
		c.reject("Xiaomi Book")
		c.send("算了")
	}
	c.send("/lang en")
	for _, words := range []string{"pay off the cheaper one asap", "pay off the cheaper one, the bigger one can wait", "pay the one due first"} {
		c.send(words)
		c.expect("Redmi K70", "Confirm")
		c.reject("Xiaomi Book")
		c.send("cancel")
	}
	c.send("pay off the bigger one")
	c.expect("Payoff quote", "Xiaomi Book")
	c.send("cancel")
	c.send("pay the one due on the 15th")
	c.expect("Redmi K70")
	c.reject("Xiaomi Book")
}

// Another plan asked too at a quote is one at a time, the quote staying:
// "and the laptop too" at the overdue phone's bill replaced it with the
// laptop's, "笔记本也一起还" with the laptop's payoff, and a 确认 paid that
// alone, the overdue bill dropped (a probe). Once paid, "那笔记本呢" is the
// laptop's.
func TestAnotherPlanAlsoAskedAtAQuoteIsOneAtATime(t *testing.T) {
	_, c := faqSession(t, 724)
	c.send("还逾期的")
	c.expect("逾期账单", "Redmi K70", "¥261.92")
	for _, also := range []string{"笔记本也一起还", "还有笔记本", "另一个也还"} {
		c.send(also)
		c.expect("一次还一笔", "「那Xiaomi Book呢」")
		c.reject("提前结清报价", "这份报价取代")
	}
	// A question or another request with 也 or 还有 in it is that (a
	// replay: "one at a time" to each).
	for _, words := range []string{"笔记本的手续费也是0吗", "还有笔记本的预约帮我取消", "笔记本也是这张卡扣吗", "顺便问下笔记本什么时候到期",
		"笔记本也还不起了", "我老婆也有一台笔记本在你们这分期", "笔记本我爸也帮我还"} {
		c.send(words)
		c.reject("一次还一笔")
		c.send("返回")
		c.send("还逾期的")
	}
	c.send("确认")
	c.expect("还款成功", "¥261.92")
	c.send("那Xiaomi Book呢")             // as the hint says it (a replay: the name alone was unsure)
	c.expect("「Xiaomi Book」第 3 期的预约还款") // its bill: being debited

	_, e := faqSession(t, 725)
	e.send("/lang en")
	e.send("pay the overdue one")
	e.expect("Redmi K70", "¥261.92")
	e.send("and the laptop too")
	e.expect("One at a time", "Xiaomi Book")
	e.send("confirm")
	e.expect("¥261.92")
	e.reject("¥1,005.00")
}

// A bare "undo" right after a payoff is that payment's answer (a probe:
// unsure); "撤回 恢复预约" right after a booking's cancellation is told it
// cannot be restored, and how the period is paid — now, or by
// auto-repayment (unsure).
func TestUndoRightAfterAPayoffAndACancellation(t *testing.T) {
	_, c := faqSession(t, 726)
	c.send("/lang en")
	c.send("pay off the laptop")
	c.press("Confirm")
	c.send("undo")
	c.expect("cannot be undone here")

	_, z := faqSession(t, 727)
	z.send("/cancel_schedule")
	z.press("Redmi K70 第 7 期")
	z.send("确认")
	z.expect("已取消预约还款")
	for _, undo := range []string{"撤回 恢复预约", "我想重新预约"} {
		z.send(undo)
		z.expect("已经取消了，无法恢复", "[🧾 还本期账单]", "[🔁 自动还款]")
	}
}

// A thing's possessive is no person's: "what about the laptop's fee" after
// the phone's payoff is the laptop's payoff quote, its fee on it (a
// replay: unsure, "laptop's" read as someone's).
func TestAThingsPossessiveIsNoPersons(t *testing.T) {
	_, c := faqSession(t, 728)
	c.send("/lang en")
	c.send("pay off the k70")
	c.press("Confirm")
	c.send("what about the laptop's fee")
	c.expect("Payoff quote</b>: Xiaomi Book", "Prepayment fee")
}

// A plan described in words that are no request to pay it now — another
// request, a later, a payment made, a question — is not quoted (a replay
// quoted each, and a 确认 after "17号那笔预约还款取消掉" paid the bill).
func TestAPlanDescribedInAnotherRequestIsNotQuoted(t *testing.T) {
	_, c := faqSession(t, 730)
	for _, words := range []string{"15号那笔预约还款取消掉", "15号那笔还款提醒关掉", "贵的那个以后再提前还", "15号那笔发了工资再还",
		"我15号那笔还款被扣了两次", "15号那笔上个月还过了", "便宜的那个怎么还", "最早到期那个什么时候还", "贵的那个为什么提前还要收手续费",
		"i will pay the bigger one next week", "how do i pay the cheaper one",
		"最早到期的那个我老婆帮我还了", "15号那笔还款我朋友替我还了", "四千多那个我上周还了", "15号那笔还款短信收到了", "便宜的那个还款卡是哪张",
		"the cheaper one, can my wife pay it for me", "15号那笔我妈帮我还", "我妈帮我还15号那笔", "贵的那个我爸说帮我还",
		// more than a request: another clause, hearsay, a plan for later,
		// a condition, a payment made (a replay quoted each, and a 确认
		// paid several — the plan set aside, first)
		"先还15号那笔还是21号那笔", "15号那笔21号帮我还", "15号那笔我想14号还",
		"客服上次说贵的那个可以提前还", "网上说便宜的那个提前还不划算", "贵的那个提前还划算不", "要是提前还15号那笔 会便宜点",
		"打算明年提前还贵的那个", "15号那笔周五帮我还", "年底再把贵的那个结清", "四千多那个提前还了",
		"pay the bigger one once my bonus arrives", "pay the cheaper one on friday", "i'll pay the bigger one someday",
		"pay off the bigger one eventually", "pay the cheaper one this weekend",
		// the request itself put off, a day to pay on (a replay paid each on 确认)
		"便宜的那个先还吧 还是再想想吧", "帮我还便宜的那个 想想还是算了", "帮我还便宜的那个 下次吧", "pay the cheaper one, actually hold off",
		"15号那笔15号帮我还", "这期12号帮我还", "pay this period on the 12th", "这期到期那天帮我还",
		// paid by someone, or said to be paid by someone (the same)
		"我爸帮我把这期还了", "我自己把这期还了", "我老公帮我把逾期的还上了", "逾期的那笔我妈说她来还",
		// the request put off by a bare "that one" (a replay paid it)
		"帮我还便宜的那个 那个还是下次再说吧", "便宜的那个帮我还了 那笔先放一放", "帮我还15号那笔 那个不急",
		// someone had it paid, or is thought to have; a day to pay on with
		// 还款; a day alone put off (a replay paid each)
		"我让我老公帮我把这期还了", "我叫我妈帮我把逾期的还了", "我老公应该帮我把这期还了吧", "我妈估计把逾期的还了吧",
		"这期帮我20号还款", "帮我还便宜的那个 20号再说吧", "pay the cheaper one, actually that can wait till dec 20",
		// the request itself put off, with no plan described (a replay paid it)
		"帮我还这期 16号再说吧", "帮我还这期 想想还是算了", "pay this month's bill, actually hold off"} {
		c.send(words)
		c.reject("确认还款", "Confirm and pay")
		c.send("/menu")
	}
}

// The overdue one named in words that pay nothing now — paid already,
// later, refused, someone else's doing — is not its quote, alone or with
// auto-repayment asked (a replay quoted each, and a 确认 paid ¥616.25
// after "已经还逾期的了" and "上周还了逾期那笔 帮我开自动还款").
func TestTheOverdueOneSaidPaidOrLaterIsNotQuoted(t *testing.T) {
	_, c := faqSession(t, 731)
	for _, words := range []string{"已经还逾期的了", "我妈昨天还了逾期的那期", "我下周还逾期的", "等发工资还逾期的", "我妈已经帮我还逾期的了",
		"昨天还逾期的那笔了", "不还逾期的 先开自动还款", "上周还了逾期那笔 帮我开自动还款", "我下周还逾期的 先帮我开自动还款",
		"I will pay the overdue one on friday, just turn on autopay for now", "i already paid the overdue one, turn on autopay",
		"逾期的我已经还上了", "逾期那期我刚刚还了", "逾期的我妈说她来还", "逾期的下礼拜还", "逾期的周末还", "还清了", "好的 还清了"} {
		c.send(words)
		c.reject("确认还款", "Confirm and pay")
		c.send("/menu")
	}
	for _, words := range []string{"还逾期的", "先还逾期那期", "先还逾期的 然后帮我开自动还款", "pay the overdue one and turn on autopay",
		"我妈让我赶紧把逾期的还了", "我妈让我把逾期的还了", "15号还的那个帮我还了", // asked of them; a day that describes (a replay: no quote)
		"逾期好几天了 帮我还掉", "先把逾期的还了 然后开自动还款", // the bill, not the payoff, nor the switch alone (a replay)
		"先还逾期的 下期再说",                // something else put off: the request stays
		"我一般每月21号还款 这次帮我把15号那笔还了"} { // how they usually pay is no request (a replay: the overview)
		c.send(words)
		c.expect("Redmi K70", "¥261.92")
		c.send("/menu")
	}
}

// "还逾期的" with nothing overdue is told so, not shown bills to pick
// from without a word (a replay).
func TestPayTheOverdueWithNoneOverdueSaysSo(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Bills[5].Status = supportbot.BillPaid
	_, c := faqSessionOn(t, data, 731, phoneZhang)
	c.send("还逾期的")
	c.expect("没有逾期")
	c.reject("要还哪一笔分期的账单")
}

// A term of the service asked the meaning of — "本期是什么意思", "什么是预约还
// 款", "滞纳金是什么", two in one message or asked apart ("自动还款和预约还款有
// 什么区别"), "what does overdue mean" — is
// explained, with a button to what it is about (a replay got "cannot
// transfer you to a person", unsure or "can't answer"). The customer's own
// amounts asked in the same words are not ("what is my balance").
func TestATermAskedIsExplained(t *testing.T) {
	_, c := faqSession(t, 732)
	for _, q := range [][2]string{{"本期是什么意思", "「本期」是"}, {"什么是预约还款", "「预约还款」是"}, {"滞纳金是什么", "「滞纳金」是"},
		{"逾期是什么意思？", "「逾期」是"}, {"提前还款是什么意思", "「提前还款」"}, {"期数是什么意思", "「期数」是"}, {"还款日是啥意思", "「还款日」是"},
		{"期数是什么意思 还款的事以后再说", "「期数」是"}} { // the rest put off: the term still (a replay: unsure)
		c.send(q[0])
		c.expect(q[1])
		c.reject("无法在线转接", "不太确定", "回答不了")
	}
	c.send("分期是什么意思 息费是啥")
	c.expect("「分期」", "「手续费」")
	c.send("自动还款和预约还款有什么区别") // two asked apart: both (a probe: unsure)
	c.expect("「自动还款」是", "「预约还款」是")
	c.send("手续费跟滞纳金有啥不同")
	c.expect("「手续费」", "「滞纳金」是")
	c.send("什么是预约还款")
	c.expect("[🗓 取消预约还款]")
	for _, q := range []string{"本期多少钱", "我的本金还剩多少"} {
		c.send(q)
		c.reject("「本期」是", "「本金」是")
	}
	c.send("/lang en")
	c.send("what does overdue mean") // the customer is: which of theirs, under it (a replay: the definition alone)
	c.expect("\"Overdue\" means", "Still unpaid and overdue", "Redmi K70")
	for _, q := range [][2]string{{"what is a scheduled repayment", "A \"scheduled repayment\" is"},
		{"what do you mean by principal?", "The \"principal\" is"},
		{"whats the difference between autopay and scheduled repayment", "A \"scheduled repayment\" is"}} {
		c.send(q[0])
		c.expect(q[1])
	}
	for _, q := range []string{"what is my balance", "what is the late fee"} {
		c.send(q)
		c.reject("\"Remaining\" is", "A \"late fee\" is what")
	}
}

// At one plan's bill, another plan said to be paid off later is no payoff
// of this one ("贵的那个我下个月也要提前还" at the cheaper one's bill: a replay
// quoted its payoff, and a 确认 paid ¥1,107.75); a payoff asked instead,
// "不 还是提前全部还了吧", is (it was ignored).
func TestAtABillAnotherPlansLaterPayoffIsNotThisOnes(t *testing.T) {
	_, c := faqSession(t, 733)
	c.send("还逾期的")
	c.expect("逾期账单", "¥261.92")
	c.send("贵的那个我下个月也要提前还")
	c.reject("提前结清报价")
	c.send("不 还是提前全部还了吧")
	c.expect("提前结清报价", "Redmi K70")

	// The plan put off in a clause of its own is not the one asked, nor
	// is "hold off" a payoff (a replay quoted the laptop, and paid a
	// payoff for a bill).
	c.send("/menu")
	c.send("先把逾期的还了 笔记本那个下次再说")
	c.expect("逾期账单", "Redmi K70")
	c.reject("Xiaomi Book")
	c.send("/lang en")
	c.send("pay the cheaper one, hold off on the bigger one")
	c.reject("Payoff quote")
}

// A call about one's credit record asked beside being overdue ("接到电话说我
// 征信有问题 是不是因为逾期") gets the warning and, from a customer who is
// overdue, what is overdue under it (a replay: the warning alone, where the
// build before said she was overdue).
func TestACreditScareAskedOfBeingOverdueSaysWhatIs(t *testing.T) {
	_, c := faqSession(t, 734) // C1: the K70's period 6 overdue
	c.send("接到电话说我征信有问题 是不是因为逾期")
	c.expect("很可能是诈骗", "仍未还、已逾期", "Redmi K70")
	c.send("有人打电话说我征信有问题") // nothing asked of their own: the warning alone
	c.expect("很可能是诈骗")
	c.reject("仍未还、已逾期")
}

// A plan asked to be paid with nothing said of all of it is its bill, as
// "还信用卡" is the card's ("笔记本那个帮我还了": a replay quoted the payoff,
// a 确认 paying the whole plan); paying it off said is the payoff.
func TestAPlanAskedPaidWithNothingOfAllOfItIsItsBill(t *testing.T) {
	_, c := faqSession(t, 736)
	for _, words := range []string{"手机那个帮我还了", "把手机那个还了", "手机帮我还一下", "我想把手机还了", "手机的帮我还掉"} {
		c.send(words)
		c.expect("Redmi K70", "¥261.92")
		c.reject("提前结清")
		c.send("/menu")
	}
	for _, words := range []string{"手机提前还了", "手机的还完吧", "手机那个帮我全部还了", "手机剩下的帮我还了"} {
		c.send(words)
		c.expect("提前结清报价", "Redmi K70")
		c.send("/menu")
	}
}

// A request put off in a clause of its own that names nothing else is no
// request, also where one plan would be quoted at once (a replay: "帮我还这
// 期 16号再说吧" quoted the period, and a 确认 paid it); something else put
// off leaves the request.
func TestARequestPutOffIsNoQuote(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 737, phoneWang) // one plan: a request is quoted at once
	c.send("/lang zh")
	for _, words := range []string{"帮我还这期 16号再说吧", "帮我还这期 想想还是算了", "还这期吧 那个还是下次再说吧", "pay this month's bill, actually hold off",
		"帮我还这期 改天吧", "帮我还这期 改天再还", "改天帮我还这期",
		// told not to, told to pay the asker's, someone said to have paid (a replay paid each)
		"我妈不让我还这期", "我老公不想让我还这期", "我妈不让我把逾期的还了", "我老婆叫我别管了 她把这期还了", "我妈让我帮她还这期", "她把这期还了"} {
		c.send(words)
		c.reject("确认还款", "Confirm and pay")
		c.send("/menu")
	}
	for _, words := range []string{"先还这期 下期再说", "帮我还这期", "帮我还这期 换卡的事以后再说", "这期帮我还了 别的以后再说"} {
		c.send(words)
		c.expect("确认还款", "Xiaomi Watch")
		c.send("/menu")
	}
	c.send("我一般都是提前还的 这次帮我还手表那个") // how they usually pay: not this request (a replay paid the payoff)
	c.expect("确认还款", "Xiaomi Watch")
	c.reject("提前结清")
	c.send("/menu")
	c.send("帮我还这期")
	c.send("剩下的以后再说") // at the quote: the rest put off, the quote stays (it was dropped as a no)
	c.expect("还没有扣款")
	c.reject("不还款")
	// but the quoted thing itself put off is a no (a third replay: a 确认 paid each)
	for _, quote := range []string{"帮我还这期", "帮我提前还清"} {
		for _, off := range []string{"这期的事以后再说", "账单的事以后再说", "手表的事以后再说", "剩下的以后再说", "提前结清的事以后再说"} {
			if quote == "帮我还这期" && (off == "剩下的以后再说" || off == "提前结清的事以后再说") {
				continue // the rest, or paying off, beside a bill: below
			}
			c.send(quote)
			c.send(off)
			c.expect("不还款")
			c.send("确认")
			c.reject("扣款")
		}
	}
	c.send("帮我还这期")
	c.send("提前结清的事以后再说") // paying off put off beside the bill: the bill's quote stays
	c.expect("还没有扣款")
	c.send("/menu")
	c.send("手表那个这期帮我还了 提前结清的事以后再说")
	c.expect("确认还款", "Xiaomi Watch")
	c.send("/menu")
	for _, words := range []string{"我妈让我别急 先把这期还了", "我妈不想让我逾期 让我把这期还了"} { // not told not to pay (a third replay: unsure)
		c.send(words)
		c.expect("确认还款", "Xiaomi Watch")
		c.send("/menu")
	}
}

// A replay's edges of a plan asked paid: paying off said in other words is
// the payoff, "还一次" (once) the bill, "please pay the phone one" the bill
// (it paid the payoff), the rest or the next period put off in a clause of
// its own leaves the request (it got "OK, no payment", and "the period 6
// you said"), and the one plan named by its kind is quoted (unsure).
func TestAPlanAskedPaidAtTheReplaysEdges(t *testing.T) {
	_, c := faqSession(t, 738)
	for _, words := range []string{"手机那个帮我还光", "手机那个一把清了", "手机那个本金帮我还了"} {
		c.send(words)
		c.expect("提前结清报价", "Redmi K70")
		c.send("/menu")
	}
	for _, words := range []string{"手机那个再帮我还一次", "手机那个帮我还了，剩下的下个月再说", "手机那个帮我还了，下期的不用管", "please pay the phone one"} {
		c.send(words)
		c.expect("Redmi K70", "¥261.92")
		c.reject("提前结清", "Payoff quote", "不还款", "不在这笔里")
		c.send("/menu")
	}
	for _, words := range []string{"手机那个怎么还", "手机那个过两天帮我还"} { // paying it, not the goods (the repair and returns desks)
		c.send(words)
		c.expect("Redmi K70", "还款计划")
		c.send("/menu")
	}
	c.send("手机那个怎么退货")
	c.reject("还款计划")
	c.send("K70那个帮我还了 Book那个以后再说") // the other plan put off by a word of its name: no "OK, no payment" (a replay)
	c.reject("不还款")
	_, w := faqSessionOn(t, fixture(), 739, phoneWang) // one plan
	w.send("手表那个帮我还了")
	w.expect("确认还款", "Xiaomi Watch")
	w.send("/menu")
	w.send("手表那个帮我还了，下期的不用管")
	w.expect("确认还款", "Xiaomi Watch")
	w.reject("不在这笔里")
}

// TestAnotherPlanNamedAfterALookIsItsSchedule: "手机还剩几期" or "/bill",
// then "那笔记本呢", got unsure (a probe): the follow-ups of a money step
// only. After one plan looked at, or the bills listed, another named alone
// is that one's schedule; someone else's is not.
func TestAnotherPlanNamedAfterALookIsItsSchedule(t *testing.T) {
	_, c := faqSession(t, 1021)
	c.send("手机还剩几期")
	c.expect("Redmi K70</b>（订单号")
	c.send("那笔记本呢")
	c.expect("Xiaomi Book</b>（订单号", "还款计划")
	c.send("/bill")
	c.send("and the laptop?")
	c.expect("Xiaomi Book</b>（订单号", "还款计划")
	c.send("手机还剩几期")
	c.send("那我老婆的笔记本呢")
	c.reject("还款计划")
}

// TestAnotherPlanNamedAfterNothingToPayIsItsQuote: "笔记本那个帮我还了"
// while its booking is being debited is told so; "那手机呢" next got
// unsure (a probe) — the step said nothing to pay was kept as none.
func TestAnotherPlanNamedAfterNothingToPayIsItsQuote(t *testing.T) {
	_, c := faqSession(t, 1024)
	c.send("笔记本那个帮我还了")
	c.expect("无需重复还款")
	c.reject("确认还款")
	c.send("那手机呢")
	c.expect("Redmi K70", "逾期", "确认还款")
	c.reject("Xiaomi Book")
	c.send("算了")
	// A correction to the other plan after it ("不对 是手机": unsure), and
	// the one before named after a correction turned from it (a probe:
	// unsure, the follow-up kept on the plan corrected away from).
	c.send("笔记本那个帮我还了")
	c.send("不对 是手机")
	c.expect("Redmi K70", "确认还款")
	c.send("K70还这期")
	c.send("不对 是笔记本")
	c.expect("无需重复还款")
	c.send("那手机呢")
	c.expect("Redmi K70", "确认还款")
}

// TestThenPayItAfterAPlansBillIsItsQuote: "手机这期多少" then "好 那还了吧"
// got unsure (a probe): 那 straight before the verb is an order; a 那
// pointing at a thing paid is not ("那个我已经还了吧").
func TestThenPayItAfterAPlansBillIsItsQuote(t *testing.T) {
	_, c := faqSession(t, 1025)
	c.send("手机这期多少")
	c.expect("Redmi K70")
	c.send("好 那还了吧")
	c.expect("Redmi K70", "确认还款")
	c.reject("Xiaomi Book", "不太确定")
	c.send("算了")
	c.send("手机这期多少")
	c.send("那个我已经还了吧")
	c.reject("确认还款")
}

// TestTheNextPeriodAskedAfterABillIsItsQuote: "那下期呢" right after a bill
// was paid got unsure (a probe): the same plan's next bill, quoted; at the
// bill's quote itself, that the next period is not in it.
func TestTheNextPeriodAskedAfterABillIsItsQuote(t *testing.T) {
	_, c := faqSessionOn(t, fixture(), 1039, phoneWang)
	c.send("还这期")
	c.expect("Xiaomi Watch", "第 2 期")
	c.send("那下期呢")
	c.expect("第 3 期不在这笔里", "还没有扣款")
	c.send("确认")
	c.expect("还款成功")
	c.send("那下期呢")
	c.expect("Xiaomi Watch", "第 3 期", "确认还款")
	c.reject("不太确定")
}

// TestTheNextPeriodAfterTheLastIsNone: "那下期呢" right after a plan's last
// bill was paid is told it is paid off — a probe was quoted another plan's
// bill in its place, and the 确认 after it paid that.
func TestTheNextPeriodAfterTheLastIsNone(t *testing.T) {
	data := fixture()
	c3 := customerIn(t, data, "C3")
	c3.Plans = append(c3.Plans, supportbot.Plan{ID: "P9", CustomerID: "C3", OrderNo: "5241000000009", Product: "Redmi Buds 5", Partner: "小米分期",
		Principal: 30000, Periods: 3, Bills: monthly("P9", "2026-12-20", 3, 10000, 10000, 0, 0)})
	_, c := faqSessionOn(t, data, 1056, phoneWang)
	c.send("还手表这期")
	c.expect("Xiaomi Watch", "第 2 期")
	c.send("确认")
	c.send("那下期呢")
	c.expect("Xiaomi Watch", "第 3 期")
	c.send("确认")
	c.expect("还款成功")
	c.send("那下期呢")
	c.expect("已经全部结清")
	c.reject("Redmi Buds", "确认还款")
}

// TestAPlaceInTheBillsWithWhatToDo: "提前还清第二个", "还第二个" right after
// the bills were listed are that plan's payoff and bill (a probe got the
// early-repayment guide, and unsure). The laptop's bill is being debited:
// said so, not quoted again.
func TestAPlaceInTheBillsWithWhatToDo(t *testing.T) {
	for text, want := range map[string]string{
		"提前还清第二个":                "提前结清报价</b>：Xiaomi Book",
		"还第二个":                   "「Xiaomi Book」第 3 期的预约还款将在",
		"pay off the second one": "提前结清报价</b>：Xiaomi Book",
	} {
		_, c := faqSession(t, 1060)
		c.send("/bill")
		c.expect("2. 💻 <b>Xiaomi Book</b>")
		c.send(text)
		c.expect(want)
	}
}

// TestAnotherPlanOfAKind: "另一个手机" at one phone's quote, or after its
// payment, is the one other phone — or, of two others, the list to pick
// from (a probe with three phones got unsure).
func TestAnotherPlanOfAKind(t *testing.T) {
	phone := "8613400134002"
	phones := func(n int) []supportbot.CustomerData {
		names := []string{"Redmi K70", "Xiaomi 14 Ultra", "Xiaomi 13"}
		var plans []supportbot.Plan
		for i := range n {
			id := fmt.Sprintf("P7%d", i)
			plans = append(plans, supportbot.Plan{ID: id, CustomerID: "C7X", OrderNo: fmt.Sprintf("524110100010%d", i), Product: names[i], Partner: "小米分期",
				Principal: 120000, Periods: 12, Bills: monthly(id, "2026-10-20", 12, 10000, 10000, 0, 2)})
		}
		return append(fixture(), supportbot.CustomerData{
			Customer: supportbot.Customer{ID: "C7X", Name: "刘洋", Phone: onFile(phone), IDCardLast4: "7777", Language: "zh"},
			Cards:    []supportbot.Card{{ID: "K7X", Bank: "招商银行", Last4: "1111", Default: true}},
			Plans:    plans,
		})
	}
	_, c := faqSessionOn(t, phones(2), 1061, phone)
	c.send("提前还清 Redmi K70")
	c.send("不对，是另一个手机")
	c.expect("提前结清报价</b>：Xiaomi 14 Ultra")
	_, c = faqSessionOn(t, phones(3), 1062, phone)
	c.send("提前还清 Redmi K70")
	c.send("不对，是另一个手机")
	c.expect("要提前结清哪一笔分期")
	c.reject("不太确定")
	_, c = faqSessionOn(t, phones(3), 1063, phone)
	c.send("提前还清 Redmi K70")
	c.send("确认")
	c.expect("提前还款成功")
	c.send("那另一个手机呢")
	c.expect("要提前结清哪一笔分期")
	c.reject("不太确定")
}

// TestAFollowUpFollowsTheQuestionJustAsked: after the TV's bill was paid,
// "is my tv payment overdue?" then "what about the watch" quoted the
// watch's bill, one tap from paying (an English probe): the follow-up
// repeated the payment, not the question just before it. It asks the same
// of the plan named — whether it is overdue; after a plan's schedule, its
// schedule.
func TestAFollowUpFollowsTheQuestionJustAsked(t *testing.T) {
	_, c := faqSession(t, 1175)
	c.send("/pay")
	c.press("Redmi K70")
	c.send("确认")
	c.expect("还款成功")
	c.send("手机逾期了吗")
	c.expect("没有，「Redmi K70」目前没有逾期")
	c.send("那笔记本呢")
	c.expect("没有，「Xiaomi Book」目前没有逾期")
	c.reject("合计应付")
	c.send("手机还剩几期")
	c.expect("<b>Redmi K70</b>（订单号")
	c.send("那笔记本呢")
	c.expect("<b>Xiaomi Book</b>（订单号")
	c.reject("合计应付")
}

// TestANoToPayingTakenBackQuotesAgain: "算了不还了" at a quote, then "还是还吧",
// got unsure, the quote gone (a probe): the same bill quoted again — one
// payment when confirmed.
func TestANoToPayingTakenBackQuotesAgain(t *testing.T) {
	h, c := faqSession(t, 1178)
	c.send("/pay")
	c.press("Redmi K70")
	c.send("算了不还了")
	c.expect("这次不还款")
	c.send("还是还吧")
	c.expect("Redmi K70", "合计应付：<b>¥261.92</b>")
	c.send("确认")
	c.expect("还款成功")
	c.send("还是还吧") // paid already: not quoted again
	c.reject("合计应付")
	if n := len(h.repayments("C1")); n != 1 {
		t.Fatalf("%d repayments, want 1", n)
	}
	_, e := faqSessionEn(t, 1179)
	e.send("/repay")
	e.press("Xiaomi Book")
	e.send("no, not now")
	e.send("actually pay it after all")
	e.expect("Payoff quote</b>: Xiaomi Book")
}

// TestWhatIsLeftAfterAPayoffIsTheBill: "还有没还完的吗" right after a payoff
// got that payment's outcome, the plan still open unsaid (a probe): what is
// still open.
func TestWhatIsLeftAfterAPayoffIsTheBill(t *testing.T) {
	_, c := faqSession(t, 1185)
	c.send("/repay")
	c.press("Redmi K70")
	c.send("确认")
	c.expect("成功")
	for _, q := range []string{"还有没还完的吗", "还有别的要还吗"} {
		c.send(q)
		c.expect("<b>Xiaomi Book</b>")
	}
	_, e := faqSessionEn(t, 1186)
	e.send("anything else i owe?")
	e.expect("<b>Redmi K70</b>", "<b>Xiaomi Book</b>")
}
