package flows_test

import "testing"

// A probe's customers asked sums of their own bills in so many words and
// were told "not sure": what a list just shown comes to, what is overdue in
// all, what paying off everything costs, the principal and the fees left.
// 张伟 on 2026-11-21: the K70's period 6 overdue (¥249.92 + ¥12.00 late),
// the Xiaomi Book's period 3 due today (¥1,000 + ¥5 fee), 1.5 % to prepay.

func TestTheSumOfAListJustShownIsSaid(t *testing.T) {
	_, c := faqSession(t, 1129)
	c.send("这个月要还多少")
	c.expect("¥1,266.92")
	c.send("一共多少")
	c.expect("以上一共 <b>¥1,266.92</b>（2 笔账单）")
	c.send("/bill")
	c.send("那一共多少")
	c.expect("你 2 笔进行中的分期合计待还 <b>¥5,781.40</b>")
}

func TestTheSumOfWhatIsOverdueIsSaid(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Bills[1].Status = "unpaid" // the Xiaomi Book's period 2 overdue too
	_, c := faqSessionOn(t, data, 1130, phoneZhang)
	c.send("一共逾期多少钱")
	c.expect("逾期合计 <b>¥1,266.92</b>（含滞纳金）", "Redmi K70", "Xiaomi Book")
	c.send("逾期的一共要还多少")
	c.expect("逾期合计 <b>¥1,266.92</b>")
	// Asked with a lead, or each named and then summed (a probe: the bills'
	// list to pay from).
	for _, q := range []string{"我想问下我现在逾期了多少钱", "手机逾期那期多少 笔记本逾期那期多少 加起来多少", "在吗 我逾期了多少钱啊"} {
		c.send(q)
		c.expect("逾期合计 <b>¥1,266.92</b>")
		c.reject("要还哪一笔")
	}
	// Everything asked paid next: their bills, one at a time — not every
	// plan paid off (a probe: the payoffs' list).
	c.send("帮我都还了吧")
	c.expect("要还哪一笔分期的账单", "一次还一笔")
	c.reject("要提前结清哪一笔分期")
	// Each plan asked whether overdue, then the total (a probe: unsure).
	_, o := faqSessionOn(t, data, 1197, phoneZhang)
	o.send("手机逾期了吗")
	o.send("那笔记本呢")
	o.send("一共多少")
	o.expect("以上一共 <b>¥1,266.92</b>（2 笔账单）")
	o.send("手机逾期了吗") // one plan asked: its own, not every plan's (a replay)
	o.send("一共多少")
	o.expect("以上一共 <b>¥261.92</b>（1 笔账单）")
	o.send("在吗 我逾期了多少钱啊")
	o.send("都还了") // paid, said: not "pay them all"
	o.reject("要还哪一笔分期的账单")
	_, e := faqSessionEn(t, 1198)
	e.send("how much is due by the 16th")
	e.send("pay everything")
	e.expect("Which plan's bill do you want to pay?")
	e.reject("pay off early")
}

func TestWhatPayingOffEverythingCostsIsSummed(t *testing.T) {
	_, c := faqSession(t, 1131)
	c.send("全部提前还清要多少钱")
	// Each as its quote prices it, the period a booking is debiting left
	// out: the K70's ¥1,749.40 principal and ¥12.00 late fee but its
	// period 8 (being debited); the Xiaomi Book's ¥3,000 not due and 1.5 %
	// of it, its period 3 (debited within the hour) apart.
	c.expect("按今天算一共 <b>¥4,556.48</b>", "Redmi K70：¥1,511.48（另有 ¥249.92 正由预约还款扣款，不计入）", "Xiaomi Book：¥3,045.00（另有 ¥1,005.00 正由预约还款扣款，不计入）", "要提前结清哪一笔分期")
	c.send("那一共是多少")
	c.expect("按今天算一共 <b>¥4,556.48</b>")
	c.send("2")
	c.expect("合计应付：<b>¥3,045.00</b>") // the Xiaomi Book's own quote, as summed
	// A plan just looked at, pointed back at (a probe: the plans to pick
	// from).
	_, p := faqSession(t, 1187)
	p.send("/bill")
	p.send("2")
	p.expect("Xiaomi Book</b>（订单号", "还款计划")
	p.send("那它提前还清要多少")
	p.expect("提前结清报价</b>：Xiaomi Book")
	_, e := faqSessionEn(t, 1182)
	e.send("what's the total if i pay off both plans today") // an English probe: unsure
	e.expect("<b>¥4,556.48</b>")
}

func TestThePrincipalAndTheFeesLeftAreSaid(t *testing.T) {
	_, c := faqSession(t, 1132)
	c.send("本金还有多少")
	c.expect("Redmi K70：<b>¥1,749.40</b>（7 期未还）", "Xiaomi Book：<b>¥4,000.00</b>（4 期未还）", "合计 <b>¥5,749.40</b>")
	c.send("笔记本的手续费一共还要交多少")
	c.expect("Xiaomi Book：<b>¥20.00</b>（4 期未还）", "提前结清只收已到期各期的手续费")
	c.reject("Redmi K70")
}

// "今天要还多少" then "后天呢" got unsure (a probe): that day's, and what
// the answer listed comes to.
func TestAnotherDayAfterADaysAnswerIsThatDays(t *testing.T) {
	_, c := faqSession(t, 1133)
	c.send("今天要还多少")
	c.expect("Xiaomi Book")
	c.send("一共多少")
	c.expect("以上一共 <b>¥1,266.92</b>（2 笔账单）")
	c.send("今天要还多少")
	c.send("后天呢")
	c.expect("2026年11月23日没有到期的账单；下一次到期是 2026年12月15日")
	c.send("那15号呢")
	c.expect("2026年12月15日到期的账单", "Redmi K70")
	_, e := faqSessionEn(t, 1205)
	e.send("whats due on the 14th")
	e.expect("Dec 14, 2026")
	e.send("and the 15th?") // unsure (an English probe)
	e.expect("Dec 15, 2026")
	e.send("what about the 20th?")
	e.expect("Dec 20, 2026")
}

// "1月18号电视要还多少" got the TV's card, its next period a month before
// (a probe): that plan's bill due that day.
func TestADaysBillOfAPlanNamed(t *testing.T) {
	_, c := faqSession(t, 1142)
	c.send("12月21号笔记本要还多少")
	c.expect("2026年12月21日到期的账单", "「Xiaomi Book」第 4 期")
	c.reject("Redmi K70")
	c.send("15号信用卡要还多少")
	c.reject("到期的账单")
}

// A replay of the probes: "那一共多少" after "我逾期了吗" got what is left on
// every plan, not what is overdue; "is anything being taken from my card
// today?" the day's bills, a debit under way left out; "所有账单都帮我还了"
// at the bills' list the payoffs' list.
func TestFollowUpsOfTheReplay(t *testing.T) {
	_, c := faqSession(t, 1146)
	c.send("我逾期了吗")
	c.send("那一共多少")
	c.expect("以上一共 <b>¥261.92</b>（1 笔账单）")
	c.send("/pay")
	c.send("所有账单都帮我还了")
	c.expect("一次还一笔")
	c.reject("提前结清")
	_, e := faqSessionEn(t, 1147)
	e.send("is anything being taken from my card today?")
	e.expect("Redmi K70", "period 8")
}

// More of the replay's: "今天要还吗", "what will be debited automatically",
// "一共多少" after the debits to come, "how many periods am i overdue" got
// unsure or the auto-repayment how-to.
func TestMoreAsksOfTheReplay(t *testing.T) {
	_, c := faqSession(t, 1149)
	c.send("今天要还吗")
	c.expect("Xiaomi Book")
	c.send("哪笔会自动扣")
	c.expect("接下来会自动扣款的")
	c.send("一共多少")
	c.expect("以上一共 <b>¥1,504.84</b>（3 笔账单）")
	_, e := faqSessionEn(t, 1150)
	e.send("what will be debited automatically")
	e.expect("Redmi K70")
	e.reject("turn on")
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	b := h.chat(1151, "en")
	b.identify(phoneBob)
	b.send("how many periods am i overdue")
	b.expect("paid off")
}

// "K70提前还款多少钱" from a customer of several plans got the payoff rule
// (a probe): the K70's payoff quote, nothing paid.
func TestAPayoffAskedOfAModelIsItsQuote(t *testing.T) {
	_, c := faqSession(t, 1157)
	c.send("K70提前还款多少钱")
	c.expect("提前结清报价", "Redmi K70")
	_, e := faqSessionEn(t, 1158)
	e.send("how much to pay off the K70")
	e.expect("Payoff quote", "Redmi K70")
}

// "手机和笔记本这期分别多少" then "一共呢" got the overview, then unsure (a
// probe): each plan's bill, and what they come to.
func TestEachThenTheirSum(t *testing.T) {
	_, c := faqSession(t, 1160)
	c.send("手机和笔记本这期分别多少")
	c.expect("Redmi K70 第 6 期", "Xiaomi Book 第 3 期")
	c.send("一共呢")
	c.expect("以上一共 <b>¥1,266.92</b>（2 笔账单）")
}

// "10号之前我要还多少" got unsure (a probe): every bill due by that day,
// overdue ones first, and their total.
func TestWhatIsDueByADay(t *testing.T) {
	_, c := faqSession(t, 1166)
	c.send("12月16号之前我要还多少")
	c.expect("2026年12月16日之前（含当天）要还 <b>¥1,516.84</b>", "Redmi K70 第 6 期", "Redmi K70 第 7 期", "Xiaomi Book 第 3 期")
	c.reject("Xiaomi Book 第 4 期")
	c.send("一共多少")
	c.expect("以上一共 <b>¥1,516.84</b>（3 笔账单）")
	// Another day, or the month's end, before it next: by then (a probe:
	// "月底之前呢" after "下周三之前需要还多少" got unsure).
	c.send("那我25号之前要自己还多少") // 自己: unsure (a probe)
	c.expect("2026年11月25日之前（含当天）要还 <b>¥1,266.92</b>")
	c.send("25号之前我要还多少")
	c.expect("2026年11月25日之前（含当天）要还 <b>¥1,266.92</b>")
	c.send("月底之前呢")
	c.expect("2026年11月30日之前（含当天）要还 <b>¥1,266.92</b>")
	c.send("那12月20号之前呢")
	c.expect("2026年12月20日之前（含当天）要还 <b>¥1,516.84</b>")
	c.send("下个月底之前呢")
	c.expect("2026年12月31日之前（含当天）要还 <b>¥2,521.84</b>", "Xiaomi Book 第 4 期")
	_, e := faqSessionEn(t, 1177)
	e.send("how much is due by the 16th") // an English probe: the overview
	e.expect("Dec 16, 2026", "<b>¥1,516.84</b>")
	e.send("what do i need to pay this week")
	e.send("and by the end of the month?")
	e.expect("Nov 30, 2026", "<b>¥1,266.92</b>")
	e.send("what about before the 16th?")
	e.expect("Dec 16, 2026", "<b>¥1,516.84</b>")
}
