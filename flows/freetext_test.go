package flows_test

import (
	"slices"
	"testing"

	"supportbot"
	"supportbot/flows"
)

func TestFreeTextAnswersStartsFlowsOrAdmitsNotKnowing(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	c.send("提前还款要手续费吗") // confident FAQ
	c.expect("ANSWER(early-repayment-fee,en)", "Early repayment", "Talk to a person")

	c.send("怎么还款") // weak: two closest topics offered
	c.expect("not sure which one", "TITLE(early-repayment)", "TITLE(manual-repayment)", "Talk to a person")

	c.send("what's the weather") // second miss in a row: a human, proactively
	c.expect("Would you like to talk to a person", "Talk to a person")
	if !slices.Equal(h.missed, []string{"怎么还款", "what's the weather"}) {
		t.Errorf("misses recorded = %q", h.missed)
	}

	c.send("my bill") // a flow intent about my data: identify first
	c.expect("Share my phone number")
}

func TestHumanWordsAndMediaNeverDeadEnd(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("转人工")
	c.expect("400-100-5678", "09:00-21:00")
	c.event(eventMedia())
	c.expect("只能看懂文字", "转人工")
	c.send("/nosuchcommand")
	c.expect("没有这个命令", "转人工")
}

// TestEveryRelatedFlowButtonHasALabel: an FAQ answer's related flow is a
// button whose label comes from the catalogue, never a raw key.
func TestEveryRelatedFlowButtonHasALabel(t *testing.T) {
	h := newHarness(t, fixture())
	for intent, flow := range flows.Intents() {
		for _, lang := range []supportbot.Lang{supportbot.LangZH, supportbot.LangEN} {
			if got := h.cat.T(lang, "menu."+flow); got == "menu."+flow {
				t.Errorf("intent %s: flow %s has no menu.%s label in %s", intent, flow, flow, lang)
			}
		}
	}
}

func TestSmallTalkIsAnsweredNotCountedAsAMiss(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("你好！")
	c.expect("你好！我是分期客服助手", "我的账单")
	c.send("谢谢")
	c.expect("不客气")
	c.send("分期")
	c.expect("请选择", "提前还款", "我的账单")
	c.reject("分享我的手机号") // not a flow started on a guess
	c.send("今天天气怎么样")
	c.expect("暂时回答不了") // the first miss, not the second
	c.reject("要不要转人工")
	if len(h.missed) != 1 {
		t.Errorf("misses recorded = %q, want only the weather", h.missed)
	}
}
