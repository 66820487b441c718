package flows

import "testing"

// TestMoneyAnswerOf: what a typed answer says to a step that moves money —
// only a confirm word, said and not asked, moves it; a yes, a question
// about confirming or a yes that names paying is told how; anything else
// (a question of its own, a "no") is not an answer to the step.
func TestMoneyAnswerOf(t *testing.T) {
	for text, want := range map[string]moneyAnswer{
		"确认": confirmsMoney, "確定": confirmsMoney, "confirm": confirmsMoney, " 确认！": confirmsMoney,
		"确认?": acknowledges, "确定？": acknowledges, "confirmed?": acknowledges, "confirmed": acknowledges, "ok": acknowledges,
		"好的": acknowledges, "没问题": acknowledges, "确认吗": acknowledges, "好的确认": acknowledges, "is it confirmed": acknowledges,
		"yes please pay it": acknowledges, "OK扣吧": acknowledges, "好的 还吧": acknowledges,
		"不确认": notAnAnswer, "先别确认我再想想": notAnAnswer, "好像已经还了": notAnAnswer, "好像扣了两次": notAnAnswer,
		"可以用信用卡还吗": notAnAnswer, "ok cancel": notAnAnswer, "提前还款要手续费吗": notAnAnswer,
	} {
		if got := moneyAnswerOf(text); got != want {
			t.Errorf("moneyAnswerOf(%q) = %d, want %d", text, got, want)
		}
	}
}
