package flows_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/faq"
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

	// Unsure once more: a person first, and still the closest topics — a
	// right one is not hidden because the last questions were missed.
	c.send("还款在哪")
	c.expect("Would you like to talk to a person", "Or is it one of these")
	label := func(key string) string { return h.cat.T(supportbot.LangEN, key) }
	if got, want := c.labels(), []string{label("btn.human"), "TITLE(early-repayment)", "TITLE(manual-repayment)", label("btn.menu")}; !slices.Equal(got, want) {
		t.Errorf("buttons after a third miss = %q, want %q", got, want)
	}

	c.send("my bill") // a flow intent about my data: identify first
	c.expect("Share my phone number")
}

// TestAClientLanguageNotOursFollowsWhatIsWritten: users whose Telegram
// is in Russian, Portuguese or no language got Chinese for English
// questions (a probe). Where the client's language is neither of ours,
// the customer's words choose, and stay chosen through an "ok"; a client
// in English or Chinese keeps its language.
func TestAClientLanguageNotOursFollowsWhatIsWritten(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	ru := h.chat(700, "ru")
	ru.send("how can I repay early?")
	ru.expect("Early repayment")
	ru.send("ok")
	ru.reject("还有什么")
	ru.send("/help")
	ru.expect("your bills")
	none := h.chat(701, "")
	none.send("I want to talk to a human")
	none.expect("person")
	pt := h.chat(702, "pt-br")
	pt.send("提前还款要手续费吗")
	pt.expect("手续费")
	en := h.chat(703, "en")
	en.send("提前还款要手续费吗")
	en.expect("fee")
	// What most of it is: English with a product's Chinese name stays English.
	mixed := h.chat(704, "ru")
	mixed.send("how do I repay my 小米 phone early?")
	mixed.reject("提前")
	hi := h.chat(705, "ru") // a greeting is English enough
	hi.send("hi")
	hi.expect("I'm the installment support assistant")
	// Words both languages type are neither's: a Chinese chat stays Chinese
	// through "ok" and a product's name, and one Chinese word is Chinese
	// (a probe: "ok" turned a Chinese chat English, "好" did not turn it back).
	zh := h.chat(706, "ru")
	zh.send("提前还款有手续费吗")
	zh.expect("手续费")
	for _, said := range []string{"ok", "OK", "Redmi K70 呢", "12GB 的那个"} {
		zh.send(said)
		zh.reject("Sorry", "There's", "Is it one of these", "assistant")
	}
	zh.send("thanks, how do I repay early?")
	zh.expect("Early repayment")
	zh.send("好")
	zh.reject("Sorry", "There's", "Is it one of these", "assistant")
}

// TestAPhotosCaptionIsAnswered: a screenshot captioned "我的账单怎么多扣了钱"
// got only "I can read text only" (a probe). Outside a step the caption is
// answered, with a word that the picture was not read; a caption holding a
// card number is masked and its question still answered; at a quote a
// photo captioned 确认 confirms nothing.
func TestAPhotosCaptionIsAnswered(t *testing.T) {
	h, c := faqSession(t, 100)
	c.event(supportbot.Event{Kind: supportbot.EventMedia, Text: "为什么扣了我两次钱"})
	c.expect("图片和文件我看不了", "多扣")
	c.event(supportbot.Event{Kind: supportbot.EventMedia, Text: "/bill"})
	c.expect("剩余待还")
	c.send("/repay")
	c.send("K70那个")
	c.event(supportbot.Event{Kind: supportbot.EventMedia, Text: "确认"})
	c.expect("只能看懂文字", "还没有扣款") // the quote still waits, and says so
	c.reject("消息中心")            // not the whole menu, as if it were over
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments after a photo captioned 确认, want none", n)
	}
}

// TestAForgedPressLeavesTheLiveQuoteOnScreen: a button press with
// unreadable data on a quote edited the quote into "this button has
// expired" — while a typed 确认 still paid it, unseen (a probe). The answer
// comes below it, says the quote still waits, and the quote stays.
func TestAForgedPressLeavesTheLiveQuoteOnScreen(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/repay")
	older := c.button("Redmi K70").Data // the list's, a step before
	c.send("K70那个")
	confirm := c.button("确认还款").Data
	quote := c.on(confirm)
	// The sender records which message shows the step.
	conv, err := h.db.Conversation(context.Background(), c.id)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.db.SetStepMessage(context.Background(), c.id, conv.Nonce, quote); err != nil {
		t.Fatal(err)
	}
	live := confirm[:strings.Index(confirm, ":ok")] // the step's own code, an action it has not (a probe)
	// An older step's press on the quote's message: not "expired, start
	// again" under a quote a typed 确认 still pays (a probe).
	olderOnQuote := older[:strings.Index(older[2:], ":")+2] + confirm[strings.Index(confirm[2:], ":")+2:]
	// A language our buttons never name (a probe: the chooser took the
	// quote's place, and a typed 确认 paid it).
	for _, forged := range []string{"s:zzzz:ok", strings.Replace(confirm, ":ok:", ":ok:x", 1), live + ":bogus", olderOnQuote, "l:xx", "l:"} {
		replies := c.event(supportbot.Event{Kind: supportbot.EventButton, Data: forged, MessageID: quote})
		for _, r := range replies {
			if r.Edit == quote {
				t.Errorf("a press of %q edited the quote: %q", forged, r.Text)
			}
		}
		c.expect("这个按钮无效", "还没有扣款")
	}
	if c.on(confirm) != quote {
		t.Errorf("the quote's confirm button is gone from its message")
	}
}

// TestADeepLinkAndAStickerWhileIdentifying: "/start en" and "/start repay"
// (a deep link's payload) showed the menu in the client's language, and a
// sticker while the contact was awaited got the whole menu (a probe). The
// payload's language or flow is taken; the contact step asks for its
// button again.
func TestADeepLinkAndAStickerWhileIdentifying(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/start en")
	c.expect("English")
	c.send("/start repay")
	c.expect("Share my phone number")
	c.event(supportbot.Event{Kind: supportbot.EventMedia})
	c.expect("Share my phone number")
	c.reject("Message center")
	c.identify(phoneZhang)
	c.expect("Which plan do you want to pay off early")
	z := h.chat(101, "en")
	z.send("/start nonsense")
	z.expect("I'm the installment support assistant")
}

// TestADeepLinkAtAQuote: "/start bill" at a live quote dropped it without
// a word, where /start alone says the step was closed; "/start remind"
// toggled reminders, turning them off for a customer who had them on (a
// probe). A link's flow says the step it closes, and a link sets.
func TestADeepLinkAtAQuote(t *testing.T) {
	_, c := session(t, fixture(), phoneZhang, "/repay")
	c.send("K70那个")
	c.expect("合计应付")
	c.send("/start bill")
	c.expect("你刚才在办理的步骤已经关闭", "剩余待还")
	for range 2 {
		c.send("/start remind")
		c.expect("还款提醒已开启")
		c.reject("还款提醒已关闭")
	}
}

// TestAnEditedMessageIsAnsweredOutsideAStep: a customer who corrected a
// typo by editing got nothing (a probe). With no step waiting the
// corrected words are answered; at a quote an edit moves nothing and the
// customer is told to send it again.
func TestAnEditedMessageIsAnsweredOutsideAStep(t *testing.T) {
	h, c := faqSession(t, 100)
	c.event(supportbot.Event{Kind: supportbot.EventEdit, Text: "提前还款要手续费吗"})
	c.expect("手续费")
	c.event(supportbot.Event{Kind: supportbot.EventEdit, Text: "/bill"}) // edited into a command: run
	c.expect("剩余待还")
	c.send("/repay")
	c.send("K70那个")
	c.event(supportbot.Event{Kind: supportbot.EventEdit, Text: "确认"})
	c.expect("请把它重新发一遍")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments after an edit into 确认, want none", n)
	}
}

// TestAnAnswerHasAShortKeyboard: under an FAQ answer, what it leads to, a
// person and the menu — each once, never the whole menu.
func TestAnAnswerHasAShortKeyboard(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "en")
	label := func(key string) string { return h.cat.T(supportbot.LangEN, key) }
	c.send("提前还款要手续费吗")
	if got, want := c.labels(), []string{label("menu.repay"), label("btn.human"), label("btn.menu")}; !slices.Equal(got, want) {
		t.Errorf("buttons under an answer = %q, want %q", got, want)
	}
	c.send("怎么找人工客服")
	c.expect("ANSWER(contact-support,en) 400-100-5678")
	if got, want := c.labels(), []string{label("btn.human"), label("btn.menu")}; !slices.Equal(got, want) {
		t.Errorf("buttons under the how-to-reach-a-person answer = %q, want %q", got, want)
	}
	// A term explained: the flow it is about, then a person once.
	c.send("预约还款是什么意思")
	if got, want := c.labels(), []string{label("menu.cancel"), label("btn.human"), label("btn.menu")}; !slices.Equal(got, want) {
		t.Errorf("buttons under a term explained = %q, want %q", got, want)
	}
}

func TestHumanWordsAndMediaNeverDeadEnd(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("转人工")
	c.expect("400-100-5678", "09:00-21:00")
	c.event(eventMedia())
	c.expect("只能看懂文字", "转人工")
	item := eventMedia()
	item.AlbumItem = true // the next photo of the same album, taken on its own
	if replies := c.event(item); len(replies) != 0 {
		t.Errorf("an album's later item was answered again: %s", c.text())
	}
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
	for _, hello := range []string{"喂 在吗", "有人吗", "anyone there?"} { // "I can't answer that" (a probe)
		c.send(hello)
		c.expect("我是分期客服助手")
	}
	for _, menu := range []string{"主菜单", "main menu"} { // the button's label typed: a suggestion (a probe)
		c.send(menu)
		c.expect("请选择", "提前还款", "我的账单")
	}
	c.send("谢谢")
	c.expect("不客气")
	c.send("分期")
	c.expect("请选择", "提前还款", "我的账单")
	c.reject("分享我的手机号") // not a flow started on a guess
	c.send("算了")
	c.expect("好的。还有什么可以帮你？", "我的账单") // nothing in front of them: no guess at a topic
	c.reject("我不太确定")
	c.send("确认") // nothing to confirm (a second one after a payment went through)
	c.expect("现在没有需要你确认的操作", "我的账单")
	c.send("今天天气怎么样")
	c.expect("暂时回答不了") // the first miss, not the second
	c.reject("要不要转人工")
	if len(h.missed) != 1 {
		t.Errorf("misses recorded = %q, want only the weather", h.missed)
	}
}

// TestWordsAnswerTheStepInFront: yes, no and never mind, typed in either
// language, answer the step the customer is at: "不用了" at a quote leaves
// it (never an offer to close the account); "好的" or "ok?" at a quote —
// which may mean "I see" — asks for the button or "确认" and moves no money
// (it used to pay), as does "确定？" or "confirmed?" — a question ("are you
// sure?", "did it go through?") — and "确认" pays; at a cancellation likewise.
func TestWordsAnswerTheStepInFront(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	c.expect("合计应付：<b>¥542.33</b>")
	c.send("不用了")
	c.expect("没有扣款")
	c.reject("注销")
	c.send("/repay")
	c.expect("合计应付")
	c.send("算了！")
	c.expect("没有扣款")
	for _, no := range []string{"nvm", "cancel pls", "back pls", "取消吧", "不了谢谢", "wait no", "actually wait no", "hmm no thanks", "等等 先别确认", "等一下，不用了", "呃 算了", "呃 不对", "wait, actually no", "算了还是取消吧", "那就取消吧", "先不用了", "暂时不需要了", "hold off for now", "还是算了", "先不", "下次吧"} { // a no said casually (probes)
		c.send("/repay")
		c.expect("合计应付")
		c.send(no)
		c.expect("没有")
		c.reject("回答不了", "不太确定")
	}
	if got := h.repayments("C6"); len(got) != 0 {
		t.Errorf("a no moved money: %+v", got)
	}
	c.send("/pay")
	for _, ack := range []string{"好的", "ok?", "嗯", "yes", "确定？", "确认?", "confirm?", "confirmed?", "confirmed", "没问题", "好吧", "确认吗", "确认取消", "确认？确认什么", "is it confirmed", "yes please pay it", "OK扣吧", "没问题吧", "这样没问题吧", "这个没问题吗", "金额对吗", "这样可以吗", "is this right?", "looks ok?", "is that correct",
		"一共多少钱", "总共要付多少", "how much in total?", "what's the total"} { // how much, which the quote says (a probe got unsure)
		c.send(ack)
		c.expect("还没有扣款", "请点上方「✅ 确认还款」按钮，或回复「确认」", "¥542.33")
		c.reject("还款成功", "没有需要你确认的操作")
	}
	if got := h.repayments("C6"); len(got) != 0 {
		t.Errorf("an ok at the quote paid %d times, want none", len(got))
	}
	// A yes said politely or casually is still a yes (a probe: "yes pls", "好哒" got
	// FAQ suggestions — one of them closing the account — or "cannot answer").
	for _, ack := range []string{"yes pls", "yes plz", "pls go ahead", "proceed pls", "yup", "okey", "ya", "lets do it", "好哒", "好的谢谢", "是啊"} {
		c.send(ack)
		c.expect("还没有扣款", "¥542.33")
		c.reject("还款成功", "注销", "不太确定")
	}
	c.send("確認")
	c.expect("还款成功", "¥542.33")
	if got := h.repayments("C6"); len(got) != 1 {
		t.Errorf("a typed confirm at the quote paid %d times, want once", len(got))
	}

	e := h.chat(700, "en")
	e.identify(phoneZhang)
	e.send("/lang en")
	e.send("/cancel_schedule")
	e.press("period 7")
	e.expect("?")
	e.send("Never mind")
	e.expect("stays as it is")
	e.send("/cancel_schedule")
	e.press("period 7")
	e.send("no keep it")
	e.expect("stays as it is")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S1 is %s after never mind, want scheduled", got)
	}
	e.send("/cancel_schedule")
	e.press("period 7")
	for _, ack := range []string{"yeah ok", "confirm?", "确定？", "cancel it", "取消它", "确认取消吗？"} {
		e.send(ack)
		e.expect("It is not cancelled yet", "press \"Cancel this repayment\" above or type \"confirm\"")
		if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
			t.Errorf("S1 is %s after %q, want scheduled", got, ack)
		}
	}
	for _, fee := range []string{"how much is the fee?", "取消要收费吗"} { // cancelling's fee: none (an audit got the plan's fees)
		e.send(fee)
		e.expect("Cancelling a scheduled repayment costs nothing.", "It is not cancelled yet")
	}
	e.send("confirm")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledCancelled {
		t.Errorf("S1 is %s after confirm, want cancelled", got)
	}
}

// TestAskingForALanguageOffersTheChoice: "Do you speak English?" in a chat
// the bot answers in Chinese (or 能用中文吗 in English) got the language
// buttons, and "English" typed at them the buttons again, in a loop (a
// probe): one language named is switched to; none, both, or one refused
// ("我看不懂英文") gets the buttons, not an apology for not understanding.
func TestAskingForALanguageOffersTheChoice(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	for _, typed := range []string{"How do I change my language?", "English or Chinese?"} {
		c.send(typed)
		c.expect("Choose a language", "English", "中文")
	}
	c.press("English")
	c.expect("Switched to English")
	c.send("我看不懂英文") // the other one (a review)
	c.expect("已切换为中文")
	c.send("I can't read Chinese, English please")
	c.expect("Switched to English")
	c.send("啥玩意 看不懂") // English pressed by mistake (a probe: a hand-off, in English)
	c.expect("已切换为中文")
	c.reject("connect you")
	c.send("/lang en")
	for typed, want := range map[string]string{"能用中文吗": "已切换为中文", "Do you speak English?": "Switched to English",
		"中文": "已切换为中文", "english please": "Switched to English", "英文": "Switched to English"} {
		c.send(typed)
		c.expect(want)
		c.reject("Choose a language")
	}
}

// TestLangTakesALanguageAsCustomersNameIt: /lang takes codes, tags and the
// languages' names in either language; a language the bot does not speak
// gets the choice (found by an outside probe: /lang 英文 was "not
// supported").
func TestLangTakesALanguageAsCustomersNameIt(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	for _, name := range []string{"英文", "英语", "en-US", "English", "en_GB", "en please", "english pls"} {
		c.send("/lang " + name)
		c.expect("Switched to English")
		c.send("/lang 中文")
		c.expect("已切换为中文")
	}
	for _, name := range []string{"chinese", "zh-CN", "简体中文", "繁體中文", "zh-Hant"} {
		c.send("/lang en")
		c.send("/lang " + name)
		c.expect("已切换为中文")
	}
	c.send("/lang fr")
	c.expect("暂不支持", "English", "中文")
	c.send("/lang fr en") // the first word is the one asked for
	c.expect("暂不支持")
}

// TestWordlessMessagesAreNoMisses: "😀😀😀", "？", "..." counted as questions
// the bot could not answer, and the third brought the offer of a person; at
// a quote "✅" (the button's own mark) was "can't answer that" (a probe). A
// message with no words gets the menu and counts as no miss; at a step
// waiting for a yes, how to confirm.
func TestWordlessMessagesAreNoMisses(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	for _, typed := range []string{"😀😀😀", "？", "...", "❤️‍🔥"} {
		c.send(typed)
		c.expect("还有什么可以帮你")
		c.reject("回答不了", "转人工客服？")
	}
	c.identify(phoneZhang)
	c.send("/repay")
	c.press("Xiaomi Book")
	for _, typed := range []string{"✅", "✔️", "😀"} {
		c.send(typed)
		c.expect("还没有扣款", "确认")
		c.reject("回答不了")
	}
	c.send("❌") // a no, as 👎 is: the step is left
	c.expect("没有扣款")
	c.reject("确认还款")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments", n)
	}
}

// TestPleasantriesAreNotQuestions: "ok thanks bye", 好的谢谢再见 are a
// goodbye, "ok thank you" and "k thx" thanks — not a question the bot failed to answer.
func TestPleasantriesAreNotQuestions(t *testing.T) {
	h := newHarness(t, fixture())
	en, zh := h.chat(100, "en"), h.chat(101, "zh")
	en.send("ok thanks bye")
	en.expect("Goodbye")
	en.send("Ok, thank you!")
	en.expect("welcome")
	en.send("k thx") // "k" is an ok (a probe: "Sorry, I can't answer that one")
	en.expect("welcome")
	zh.send("好的谢谢，再见")
	zh.expect("再见")
	zh.send("ok 谢谢")
	zh.reject("抱歉", "没能帮上忙")
}

// TestSeveralQuestionsGetOneAnswerAndTheOthersOneTapAway: "1.提前还款有没有
// 手续费？2.还款日能改吗？3.注销要多久？" is answered for one question, and
// the two others are buttons under it that show their answers (an outside
// probe: the message got one answer and nothing said the rest were dropped).
func TestSeveralQuestionsGetOneAnswerAndTheOthersOneTapAway(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	c := h.chat(100, "zh")
	c.send("1.提前还款有没有手续费？2.还款日能改吗？3.注销要多久？")
	c.expect("你还问到了下面的问题", "[能否改还款日]", "[注销要多久]")
	c.press("注销要多久")
	c.expect("3–5 个工作日")
}

// TestAStepTakesOnlyItsOwnConfirmation: each step is confirmed by a confirm
// word or its own action named — "确认取消" at a quote paid it, "确认还款" at
// a cancellation cancelled the booking, "确认取消" at auto-repayment turned
// it on (found by a probe of words at steps). Another step's confirmation,
// a "别扣", a "等等" or "扣了吗" while paying move nothing and say so.
func TestAStepTakesOnlyItsOwnConfirmation(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	c.send("确认取消")
	c.expect("还没有扣款")
	for _, wait := range []string{"等等", "等一下，我再想想", "hmm wait", "呃 让我想想",
		"我先跟我老婆商量一下", "let me confirm with my wife first", "i need to check with my bank first"} { // someone to ask first: "can't answer" (a probe)
		c.send(wait)
		c.expect("这一步会等你")
	}
	c.send("别扣")
	c.expect("没有扣款")
	c.reject("还款成功")
	c.send("/pay")
	c.send("好的，确认")
	c.expect("还款成功")
	if n := len(h.repayments("C6")); n != 1 {
		t.Errorf("%d repayments, want the one confirmed", n)
	}

	z := h.chat(700, "zh")
	z.identify(phoneZhang)
	z.send("/cancel_schedule")
	z.press("第 7 期")
	z.send("确认还款")
	z.expect("这笔预约还款还没有取消")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S1 is %s after 确认还款 at its cancellation, want scheduled", got)
	}
	z.send("/autopay")
	z.press("开启 1. Redmi K70")
	z.send("确认取消")
	z.expect("请点上面这一步的按钮确认")
	if h.plan("C1", "P1").AutoRepay {
		t.Error("auto-repayment turned on by 确认取消")
	}
	z.send("确认开启") // the button's label, typed: says what it does
	z.expect("已为「Redmi K70」开启自动还款")
}

// TestDidItGoThroughAfterThePaymentIsAboutIt: once a payment has settled the
// flow is over, and "扣了吗" was answered by the FAQ (double charges, or how
// to check a cancellation). Within half an hour of confirming it, a short
// question whether it went through tells the payment's outcome; a question
// of how or with what to pay, or about paying twice, is still the FAQ's.
func TestDidItGoThroughAfterThePaymentIsAboutIt(t *testing.T) {
	h := newHarness(t, payFixture())
	h.hooks.set(func(k *hooks) {
		k.repay = func(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			if r.CardID != "K5" {
				return k.Core.Repay(ctx, key, r)
			}
			return &supportbot.Repayment{ID: "RDECLINED", Key: key, QuoteID: r.QuoteID, CustomerID: "C5", PlanID: "P6", CardID: r.CardID,
				Amount: r.Amount, Status: supportbot.RepaymentDeclined, DeclineReason: "insufficient_funds"}, nil
		}
	})
	c := h.chat(500, "zh")
	c.send("扣了吗") // not identified: nothing of theirs to tell
	c.reject("扣款成功", "没有成功")
	c.identify(phoneZhao)
	c.send("扣了吗") // no payment yet
	c.reject("扣款成功", "没有成功")
	c.send("/pay")
	c.press("确认还款")
	c.expect("银行拒绝了")
	c.send("扣了吗")
	c.expect("¥303.00 没有成功", "农业银行 **** 5555", "这次没有扣款")
	c.press("换一张卡重试")
	c.press("换一张卡")
	c.press("招商银行 **** 6666")
	c.press("确认还款")
	c.expect("还款成功")
	ref := h.paid("C5").ID
	for _, q := range []string{"扣了吗", "还款成功了没？", "钱扣了没有", "成功了没", "到账了吗", "钱扣走了吗", "全部扣了吗", "账户扣款成功了吗",
		"还了吗 有记录吗", "还款成功了吗 有记录吗"} { // (a regression run: the record asked beside it lost the answer)
		c.send(q)
		c.expect("<b>¥303.00</b> 已经扣款成功", ref)
	}
	for _, q := range []string{"会不会扣两次？", "能用支付宝付吗", "还好吗", "注销成功了吗", "退款到账了吗", "提交成功了吗", "开通成功了吗", "改绑成功了吗",
		// paying off early, its cost, what follows: the FAQ's (a probe: the payment's outcome came instead)
		"提前还完要另外收钱不？", "全部还完了账户还在吗？", "is it free if i pay off early, or charged?",
		// leave to pay a part first, which periods were paid (a probe: "no recent payment" was said)
		"我先把滞纳金还了行吗 本金下个月再还", "我之前都还了哪几期 有记录吗"} {
		c.send(q)
		c.reject("已经扣款成功")
	}
	e := h.chat(501, "en")
	e.identify(phoneZhao) // the customer's other chat
	e.send("/lang en")
	for _, q := range []string{"did it go through?", "did it go thru", "did the payment work?", "payment ok?", "did my payment go through?"} {
		e.send(q)
		e.expect("Your repayment of <b>¥303.00</b>", "went through", ref)
	}
	for _, q := range []string{"can I pay by card?", "did my mom's payment go through?", "我妈的扣款成功了吗"} {
		e.send(q)
		e.reject("went through", "扣款成功")
	}

	h.advance(31 * time.Minute)
	c.send("扣了吗")
	c.reject("已经扣款成功")
}

// "can you reverse the payment" just after paying was read as a payment
// asked for: the next period's quote started, and "did my payment go
// through?" was then answered "nothing has been paid yet" (a probe). A
// payment asked to be undone gets the undo topic and starts nothing.
func TestAPaymentAskedToBeReversedStartsNoOther(t *testing.T) {
	h, c := faqSession(t, 665)
	c.send("/lang en")
	c.send("/pay")
	c.press("Redmi K70")
	c.press("Confirm and pay")
	c.expect("Paid")
	ref := h.paid("C1").ID
	for _, q := range []string{"can you reverse the payment", "undo that payment please", "please refund my payment"} {
		c.send(q)
		c.expect("cannot be undone", "[👤 Talk to a person]")
		c.reject("Confirm and pay")
	}
	c.send("did my payment go through?")
	c.expect("went through", ref)
	// A booking, auto-repayment or a double charge undone is not this (a review).
	for _, q := range []string{"undo my scheduled repayment for tomorrow", "I was charged twice, reverse it", "revert the autopay setting, turn it off"} {
		c.send(q)
		c.reject("cannot be undone")
	}
	// In Chinese too (a probe: "还错了能退吗" got the mall's returns, "点错了
	// 把钱退给我" the payment buttons).
	c.send("/lang zh")
	for _, q := range []string{"还错了能退吗", "点错了 把钱退给我", "刚才的还款能撤回吗", "我要退款 刚才点错了", "refund it please, i paid by mistake"} {
		c.send(q)
		c.expect("这里不能撤回", "[👤 转人工客服]")
		c.reject("退货", "确认还款")
	}
	c.send("预约还款能撤回吗") // a booking: not this
	c.reject("这里不能撤回")
}

// TestAMistypedConfirmOrATwiceQuestionAtAQuoteMovesNothing: "确人" (a typo of
// 确认) at a quote opened a hand-off, as "人" asks for a person, and
// "好的，但是会扣两次吗？" got the FAQ on refunds of double charges. A typo
// is answered with how to confirm, the question with "charged once"; neither
// moves money, and the quote still pays once.
func TestAMistypedConfirmOrATwiceQuestionAtAQuoteMovesNothing(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	for _, typo := range []string{"确人", "确仁", "comfirm", "confrim"} {
		c.send(typo)
		c.expect("还没有扣款", "确认还款")
		c.reject("人工", "还款成功")
	}
	c.send("好的，但是会扣两次吗？")
	c.expect("这笔报价只会扣一次", "还没有扣款")
	c.reject("多扣了", "还款成功")
	if n := len(h.repayments("C6")); n != 0 {
		t.Fatalf("%d repayments before the confirmation", n)
	}
	c.send("确认")
	c.expect("还款成功")
	if n := len(h.repayments("C6")); n != 1 {
		t.Errorf("%d repayments, want the one confirmed", n)
	}

	z := h.chat(700, "zh")
	z.identify(phoneZhang)
	z.send("/cancel_schedule")
	z.press("第 7 期")
	z.send("确人")
	z.expect("这笔预约还款还没有取消")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S1 is %s after 确人 at its cancellation, want scheduled", got)
	}
}

// TestAYesAfterAnAnswerInBetweenIsNotTheStepsYet: a question answered while
// a step waited, then "确认": the 确认 may be for the answer ("确认即可" in
// a how-to) — a probe saw it pay a ¥5,074.17 payoff after "怎么取消预约还款",
// cancel a booking after "提前还款怎么弄", and turn auto-repayment off after
// a question. The step is asked again, and moves on the next 确认 or its
// button.
// TestHowToConfirmIsToldAtTheQuote: an elderly customer at a quote asked
// "怎么按", "我不会按 怎么确认啊", "按钮在哪" and got "can't answer" and the
// FAQ's suggestions — stuck (a probe). Each is told how to go on, the quote
// still waiting, nothing paid.
func TestHowToConfirmIsToldAtTheQuote(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(601, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	for _, ask := range []string{"怎么按", "我不会按 怎么确认啊", "按钮在哪", "咋弄啊"} {
		c.send(ask)
		c.expect("还没有扣款", "确认还款", "回复「确认」")
		c.reject("暂时回答不了")
	}
	if n := len(h.repayments("C6")); n != 0 {
		t.Fatalf("%d repayments, want none", n)
	}
	c.send("确认")
	c.expect("还款成功")
}

func TestAYesAfterAnAnswerInBetweenIsNotTheStepsYet(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	c.send("手续费怎么算")
	c.expect("ANSWER(early-repayment-fee")
	c.send("确认")
	c.expect("刚才回答了别的问题", "还没有扣款", "确认还款")
	if n := len(h.repayments("C6")); n != 0 {
		t.Fatalf("%d repayments after 确认 typed after an answer in between, want none yet", n)
	}
	c.send("确认") // asked again, and said
	c.expect("还款成功")
	if n := len(h.repayments("C6")); n != 1 {
		t.Errorf("%d repayments, want the one confirmed", n)
	}

	z := h.chat(700, "zh")
	z.identify(phoneZhang)
	z.send("/cancel_schedule")
	z.press("第 7 期")
	cancelIt := z.button("取消这笔预约还款").Data
	z.send("手续费")
	z.send("好的，确认")
	z.expect("刚才回答了别的问题", "这笔预约还款还没有取消")
	if got := h.scheduled("C1")["S1"]; got != supportbot.ScheduledScheduled {
		t.Errorf("S1 is %s after 确认 typed after an answer in between, want scheduled", got)
	}
	z.pressData(cancelIt) // the button says what it does: no second asking
	z.expect("已取消预约还款")

	z.send("/autopay")
	z.press("开启 1. Redmi K70")
	z.send("手续费多少")
	z.send("好的")
	z.expect("刚才回答了别的问题", "请点上面这一步的按钮确认")
	if h.plan("C1", "P1").AutoRepay {
		t.Error("auto-repayment turned on by 好的 typed after an answer in between")
	}
	z.send("好的")
	z.expect("已为「Redmi K70」开启自动还款")
}

// TestAYesAfterBeingToldHowGoesThrough: an answer in between, then "扣吧"
// (a go-ahead that is not the step's 确认): the bot says to type 确认 — and
// then refused that 确认 as coming after an answer in between (a probe, in
// both languages). Once the step is in front of the customer again, a yes
// is for it.
func TestAYesAfterBeingToldHowGoesThrough(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(601, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	c.send("手续费怎么算")
	c.expect("ANSWER(early-repayment-fee")
	c.send("扣吧")
	c.expect("还没有扣款")
	if n := len(h.repayments("C6")); n != 0 {
		t.Fatalf("%d repayments after 扣吧, want none yet", n)
	}
	c.send("确认")
	c.expect("还款成功")
	if n := len(h.repayments("C6")); n != 1 {
		t.Errorf("%d repayments, want the one confirmed", n)
	}

	// "proceed" goes on like "continue". A message the bot cannot place
	// at a step may have been a correction ("actually the laptop"): a yes
	// right after it is asked again (a probe saw a how-to said there let
	// the next 确认 pay the plan the customer had just corrected).
	e := h.chat(301, "en")
	e.identify(phoneBob)
	e.send("/close_account")
	e.send("proceed")
	e.expect("last 4 characters of the ID card")
	c.send("/repay") // the customer's one open plan: its quote at once
	c.expect("提前结清报价")
	c.send("flibbertigibbet")
	c.reject("To pay")
	c.send("确认")
	c.expect("刚才回答了别的问题")
	if n := len(h.repayments("C6")); n != 1 {
		t.Errorf("%d repayments, want only the first: a yes after a message not understood is asked again", n)
	}
}

// TestTheBillAskedAtAQuoteKeepsTheQuote: "when is it due?" at a quote
// showed the bill and dropped the quote, so the 确认 after it found
// nothing waiting (a probe, both languages). The bill is shown beside the
// step, which stays, with how to go on below it.
func TestTheBillAskedAtAQuoteKeepsTheQuote(t *testing.T) {
	h, c := faqSession(t, 610)
	c.send("/repay")
	c.press("Redmi K70")
	c.expect("合计应付")
	c.send("这期什么时候到期？")
	c.expect("剩余待还", "还没有扣款")
	c.send("确认")
	c.expect("提前还款成功")
	if n := len(h.repayments("C1")); n != 1 {
		t.Errorf("%d repayments, want the quote kept and confirmed", n)
	}
}

// TestQuestionsAndANoWithARemarkAtAQuote: at a quote "扣了吗" and "did it go
// through" (no question mark) got unrelated FAQ answers; they are told that
// nothing is paid yet. "先不还了 下个月再说" — a no with a remark after it —
// left the quote live; it leaves it, as "先不还了" alone does.
func TestQuestionsAndANoWithARemarkAtAQuote(t *testing.T) {
	h := newHarness(t, payFixture())
	c := h.chat(600, "zh")
	c.identify(phoneQian)
	c.send("/pay")
	c.send("扣了吗")
	c.expect("还没有扣款")
	c.send("/lang en")
	c.send("/pay")
	c.send("did it go through")
	c.expect("Nothing has been paid yet")
	c.send("not now, maybe next month")
	c.expect("nothing was charged")
	c.send("/lang zh")
	c.send("/pay")
	c.send("先不还了 下个月再说")
	c.expect("没有扣款")
	c.send("确认") // the quote was left: nothing to confirm
	c.reject("还款成功")
	if n := len(h.repayments("C6")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
}

// TestAYesToTheOfferOfAPersonGetsOne: after two misses the bot asks "要不要转
// 人工客服？"; "yes please" or "要" then got another miss, or "nothing waits
// for your confirmation". It is a yes to the offer: a person.
func TestAYesToTheOfferOfAPersonGetsOne(t *testing.T) {
	// Casual yeses too, a few ok-words in a row (a probe: "ok sure" looped).
	for _, yes := range []string{"要", "yes please", "好的", "ok", "ok sure", "sure why not", "please do", "yep go ahead", "好的 可以"} {
		h := newHarness(t, fixture())
		c := h.chat(600, "zh")
		c.send("qwerty zxcv")
		c.send("asdf hjkl")
		c.expect("要不要转人工客服")
		c.send(yes)
		c.expect("转接人工客服", "400-100-5678") // no staff chat here: the hotline
		c.reject("没有需要你确认的", "回答不了", "要不要转人工客服")
	}
	for _, yes := range []string{"要", "好的"} { // at a quote too: the offer was the last question
		h := newHarness(t, fixture())
		c := h.chat(602, "zh")
		c.identify(phoneZhang)
		c.send("/repay")
		c.press("Redmi K70")
		c.send("阿斯顿发生的")
		c.send("哈哈哈哈哈哈呵呵")
		c.expect("要不要转人工客服")
		c.send(yes)
		c.expect("转接人工客服")
		c.reject("还没有扣款")
	}
	h := newHarness(t, fixture())
	c := h.chat(601, "zh")
	c.send("qwerty zxcv") // one miss: no offer of a person yet, so no yes to it
	c.send("好的")
	c.reject("转接", "热线")
}

// TestAnOkWithAFillerIsNotAQuestion: "好的那就这样吧" started the early
// repayment picker and "好的继续" got the refund-timing answer (a probe); an
// ok that only says the customer has what they needed gets "anything else?".
func TestAnOkWithAFillerIsNotAQuestion(t *testing.T) {
	_, c := faqSession(t, 600)
	for _, ok := range []string{"好的那就这样吧", "好的继续", "嗯嗯知道了", "ok got it", "明白了，谢谢", "👍", "好的👌",
		"没问题了", "没事了 谢谢", "没有了", "that's all, thanks"} { // "没问题了" handed off: read as "a problem" (a probe)
		c.send(ok)
		c.expect("还有什么可以帮你")
		c.reject("要提前还清哪一笔", "退款", "没有需要你确认的操作", "转接", "热线")
	}
}

// TestAPersonRefusedIsNoHandOff: "我不想转人工 你直接告诉我", "帮我转人工 算了
// 不用了", "I don't want to talk to a human, just answer" were handed off
// (a probe): the negation, or the request taken back, was not read. They
// are told no one is called; a person asked for plainly still is.
func TestAPersonRefusedIsNoHandOff(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.agentChat = -100
	h.open()
	c := h.chat(602, "zh")
	c.identify(phoneZhang)
	for _, said := range []string{"我不想转人工 你直接告诉我", "帮我转人工 算了不用了", "不用找客服了", "I don't want to talk to a human, just answer",
		"no agent please, just tell me"} {
		c.send(said)
		c.expect("不转人工")
		c.reject("/end")
	}
	if staff := h.staff(); len(staff) != 0 {
		t.Errorf("the staff chat got %q; want nothing", texts(staff))
	}
	c.send("我要转人工")
	c.expect("/end")
	c.reject("不转人工")
	e := h.chat(603, "en")
	e.identify(phoneZhang)
	e.send("/lang en")
	e.send("you are not a human, I want a person") // "not" is not a refusal of one
	e.expect("/end")

	// A person refused, or one who spoke before, beside a question: the
	// question is answered, and no one is called (a probe: each handed off).
	f := h.chat(604, "en")
	f.identify(phoneZhang)
	f.send("/lang en")
	for said, want := range map[string]string{
		"no need for a human, how much do i owe":                                     "remaining in all",
		"you dont need to get a person, i just want to know when my next payment is": "remaining in all",
		"i dont want to talk to a person just tell me my bill":                       "remaining in all",
		"ignore the agent thing, show my bill":                                       "remaining in all",
		"your customer service person told me to come here and pay":                  "Which plan's bill",
		"i already talked to a human last week and they said my refund is coming":    "Refunds are processed",
		"what are your customer service hours":                                       "Our hotline",
	} {
		f.send("/menu")
		f.send(said)
		f.expect(want)
		f.reject("/end", "OK, no hand-off")
	}
	f.send("/lang zh")
	f.send("客服让我来这里还款")
	f.expect("要还哪一笔分期的账单")
	// (the three chats share a phone: the 🔐 lines in the topics aside)
	if staff := slices.DeleteFunc(h.staff(), func(r supportbot.Reply) bool { return r.TopicName == "" }); len(staff) != 2 {
		t.Errorf("the staff chat got %d tickets; want the two hand-offs asked for", len(staff))
	}
}

// TestHasTodaysMoneyBeenTakenTellsTheBookingsBeingDebited: with no payment of
// their own, "今天的钱扣了没有" from a customer whose bookings are being
// debited got "not sure which one you mean" (a probe); it tells them.
func TestHasTodaysMoneyBeenTakenTellsTheBookingsBeingDebited(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(600, "zh")
	c.identify(phoneZhang)
	c.send("今天的钱扣了没有啊 我看银行卡还没动静")
	c.expect("「Redmi K70」第 8 期的预约还款 <b>¥249.92</b>", "正在扣款中", "不用再手动还这一期",
		"「Xiaomi Book」第 3 期的预约还款 <b>¥1,005.00</b> 将在 今天 11:00 扣款（2 小时内执行，已无法取消），现在还没有扣") // not started: not "正在扣款中" (a probe)
	c.reject("第 7 期") // booked for later: not being debited
	w := h.chat(601, "zh")
	w.identify(phoneWang) // nothing being debited: not this answer
	w.send("今天的钱扣了没有")
	w.reject("正在扣款中")
	// Questions about undoing a payment or what paying does are the FAQ's,
	// not the bookings being debited (a probe: each got this answer).
	for _, q := range []string{"不小心点了确认还款 能撤回吗 钱还没到账", "提前还了一部分 后面每期会变少吗",
		"提前还了以后每个月还款金额会变吗", "提前还了的话征信上会显示结清吗", "will my credit score change once it's paid?"} {
		c.send(q)
		c.reject("正在扣款中")
	}
}

// TestAPhoneNumberTypedBeforeIdentifyingOffersTheButton: "my number is +86
// 136 0013 6000" before identifying got the "how to change your phone
// number" answer (a probe). It is told a typed number cannot identify them,
// with the contact button; an order number is not a phone number.
func TestAPhoneNumberTypedBeforeIdentifyingOffersTheButton(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(600, "zh")
	for _, typed := range []string{"my number is +86 136 0013 6000", "我手机号13800138000", "138-0013-8000"} {
		c.send(typed)
		c.expect("手动输入的号码无法用于验证", "{")
	}
	c.share(phoneZhang, 600)
	c.expect("验证成功")
	o := h.chat(601, "zh")
	o.send("订单号5241015123456的账单") // the fake classifier: a bill question
	o.reject("手动输入的号码")
	for i, request := range []string{"我换了手机号，新号13912345678怎么改绑", "客服你好我是13800138000的机主 我要投诉"} {
		r := h.chat(int64(602+i), "zh")
		r.send(request) // a request around a number, not the number alone: the FAQ's
		r.reject("手动输入的号码")
	}
}

// TestAYesBeginningWithNoIsAYes: "no problem" at a setting is a yes, not a
// "no" with a remark (a review found the remark rule reading it as "no");
// "不用了，为什么…" at a quote is a no and a question: the quote declined,
// the question answered (a probe: "不用了，我想问下还款日" kept the quote,
// unanswered, and the next 确认 paid it).
func TestAYesBeginningWithNoIsAYes(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(700, "en")
	c.identify(phoneZhang)
	c.send("/lang en")
	c.send("/autopay")
	c.press("Turn on 1. Redmi K70")
	c.send("no problem")
	if !h.plan("C1", "P1").AutoRepay {
		t.Errorf("auto-repayment not turned on by \"no problem\"; got:\n%s", c.text())
	}
	c.send("/lang zh")
	c.send("/repay")
	c.press("Redmi K70")
	c.send("不用了，为什么上个月扣了我两次钱")
	c.expect("这次不还款")
}

// TestALateFeeQuestionShowsTheCustomersOwn: "我逾期了 要交多少滞纳金" got
// only the guide's "the amount is the partner's" while the bot knew the
// customer's (a probe). An identified customer's question about late fees
// or being overdue gets the guide's answer and, below it, their overdue
// periods with each one's late fee, or that none is overdue; a chat not
// identified gets the guide's answer alone.
func TestALateFeeQuestionShowsTheCustomersOwn(t *testing.T) {
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	anon := h.chat(602, "zh")
	anon.send("滞纳金怎么算")
	anon.expect("滞纳金")
	anon.reject("你的账单里逾期的是", "没有逾期的账单")
	c := h.chat(600, "zh")
	c.identify(phoneZhang)
	c.send("我逾期了 要交多少滞纳金")
	c.expect("滞纳金", "你的账单里逾期的是", "Redmi K70", "第 6 期已逾期 6 天（还款日 2026年11月15日）")
	b := h.chat(601, "en")
	b.identify(phoneBob) // paid off
	b.send("/lang en")
	b.send("how much is the late fee")
	b.expect("Nothing of yours is overdue now, so there is no late fee so far")

	// An overdue period whose booking is being debited: not to pay it
	// again, as the bill says (the review).
	data := fixture()
	c3 := customerIn(t, data, "C3")
	c3.Scheduled = append(c3.Scheduled, supportbot.ScheduledRepayment{ID: "S8", CustomerID: "C3", PlanID: "P4", Period: 2,
		Amount: 10000, CardID: "K8", RunAt: start.Add(-time.Hour), Status: supportbot.ScheduledProcessing})
	h2 := newHarness(t, data)
	h2.realFAQ()
	h2.open()
	w := h2.chat(602, "zh")
	w.identify(phoneWang)
	w.send("我逾期了 要交多少滞纳金")
	w.expect("第 2 期已逾期", "不要重复还款")

	// Nothing overdue, asked at a booking's cancellation whether cancelling
	// brings a late fee: not "no late fee" (a probe), but when one would
	// come, and the next due.
	data = fixture()
	c1 := customerIn(t, data, "C1")
	c1.Plans[0].Bills[5].Status = supportbot.BillPaid
	h3 := newHarness(t, data)
	h3.realFAQ()
	h3.open()
	z := h3.chat(603, "zh")
	z.identify(phoneZhang)
	z.send("滞纳金怎么算")
	z.expect("所以现在没有滞纳金；只有过了还款日还没还清", "最近一期：「Xiaomi Book」第 3 期")
	z.reject("不会产生滞纳金。")
	z.send("/cancel_schedule")
	z.press("Redmi K70 第 7 期")
	for _, q := range []string{"如果取消会有滞纳金吗", "取消的话会逾期吗"} { // at the cancellation: its own warning, the step waiting
		z.send(q)
		z.expect("这期账单的还款日是 2026年12月15日", "取消后请在还款日前手动还款", "回复「确认」")
	}
	e := h3.chat(604, "en")
	e.identify(phoneZhang)
	e.send("/lang en")
	e.send("/cancel_schedule")
	e.press("Redmi K70, period 7")
	e.send("will i get a late fee if i cancel?")
	e.expect("This bill's due date is Dec 15, 2026")
	e.reject("Nothing of yours is overdue")
}

// TestTwoQuestionsInOneMessageAreBothServed: "我这个月要还多少 逾期会怎样"
// showed the bill and dropped the second question (a probe). A flow
// started for one question offers the other's answer as a button; a
// topic answered offers the other's flow, once (not again when it is the
// topic's own).
func TestTwoQuestionsInOneMessageAreBothServed(t *testing.T) {
	_, c := faqSession(t, 600)
	c.send("我这个月要还多少 逾期会怎样")
	c.expect("剩余待还", "你还问到了", "[逾期的后果]")
	c.press("逾期的后果")
	c.expect("征信")
	c.send("逾期会上征信吗 我现在要还多少")
	c.expect("征信", "[🧾 还本期账单]")
	if n := strings.Count(c.text(), "🧾 还本期账单"); n != 1 {
		t.Errorf("the pay-bill button shows %d times, want once:\n%s", n, c.text())
	}
	// A second question that leans on the first for its subject ("能改吗":
	// the due date) is served too, though its topic leads to the bill the
	// first started: the bill does not say whether a due date can be
	// changed (a probe: dropped).
	c.send("还款日是几号 能改吗")
	c.expect("剩余待还", "你还问到了", "[能否改还款日]")
	c.press("能否改还款日")
	c.expect("不能")
	c.send("自动还款开了 能关吗") // auto-repayment's switch, not that a plan has none
	c.expect("自动还款")
	c.reject("分期没有「关闭」开关")
}

// TestTwoRequestsJoinedByThenAreBothServed: "帮我还这期再把提醒打开"
// switched the reminders on and dropped the payment (a probe). The first
// request starts; the second is a tap away, its button saying which way it
// switches the reminders as they are (a tap on /remind toggles them).
func TestTwoRequestsJoinedByThenAreBothServed(t *testing.T) {
	h, c := faqSession(t, 600)
	c.send("帮我还这期再把提醒打开")
	c.expect("要还哪一笔分期的账单", "你还问到了", "[🔔 开启还款提醒]")
	if h.reminders("C1") {
		t.Fatal("reminders on before the customer tapped")
	}
	c.press("🔔 开启还款提醒")
	c.expect("还款提醒已开启")
	if !h.reminders("C1") {
		t.Error("reminders still off after the tap")
	}
	c.send("帮我还这期再把提醒关掉") // the way asked, not a toggle of how they are (a review)
	c.expect("要还哪一笔分期的账单", "[🔕 关闭还款提醒]")
	c.press("🔕 关闭还款提醒")
	c.send("帮我还这期再把提醒关掉") // already off: still the way asked, which changes nothing
	c.expect("[🔕 关闭还款提醒]")
	c.reject("开启还款提醒")
	c.send("/lang en")
	c.send("pay this month also turn off reminders")
	c.expect("Due-date reminders are off", "You also asked", "[🧾 Pay a bill]")
	c.send("show my bill and turn on reminders") // the bill offers the reminders itself: not twice
	c.expect("Remind me of due dates")
	if n := strings.Count(c.text(), "Remind me of due dates"); n != 1 {
		t.Errorf("the reminders' button shows %d times, want once:\n%s", n, c.text())
	}
}

// TestARequestBesideACancellationIsOffered: "cancel my booking and pay now
// instead" listed the bookings and dropped the payment (a probe). A flow read
// from the message's words before the classifier offers the rest of the
// message, as one the classifier reads does.
func TestARequestBesideACancellationIsOffered(t *testing.T) {
	_, c := faqSession(t, 690)
	c.send("取消笔记本的预约还款，然后现在就还这期")
	c.expect("Xiaomi Book 第 3 期", "你还问到了", "[🧾 还本期账单]")
	c.reject("取消预约的费用") // a topic of the cancellation itself
	c.send("/lang en")
	c.send("cancel my booking and pay now instead")
	c.expect("Xiaomi Book, period 3", "You also asked", "[🧾 Pay a bill]")
	c.send("/lang zh") // the booking's question again, in Chinese
	c.send("/menu")
	c.send("开自动还款，顺便把14号那笔预约取消") // a switch beside a day's booking (a probe: dropped)
	c.expect("Redmi K70 第 7 期", "你还问到了", "[🔁 自动还款]")
	c.send("/lang en")
	c.send("cancel the laptop repayment") // one request: nothing else offered
	c.expect("Xiaomi Book, period 3")
	c.reject("You also asked")
}

// TestKeepingABookingAtItsCancellationIsANo: "确认不取消", "confirm, dont
// cancel" and "i changed my mind, can u put it back" at "cancel this
// booking?" got the FAQ on undoing a repayment, or "can't answer" (a probe):
// the booking stays, and says so; a question about not cancelling is
// answered.
func TestKeepingABookingAtItsCancellationIsANo(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/cancel_schedule")
	for _, keep := range []string{"确认不取消", "我确认不要取消", "确认一下，别取消啊", "confirm, dont cancel", "wait actually no i changed my mind, can u put it back", "还是保留吧", "还是留着吧"} {
		c.send("/cancel_schedule")
		c.press("Redmi K70 第 7 期")
		c.send(keep)
		c.expect("预约还款保持不变")
		c.reject("不能撤回", "回答不了")
	}
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	c.send("不取消会怎样")
	c.reject("预约还款保持不变")
	// A cancel asked, however it holds a 不 (a review and a probe: each kept the booking).
	for _, cancel := range []string{"要不取消吧", "取消吧，不用保留", "不保留", "我改主意了，还是取消吧", "yes cancel it, dont keep it", "我不得不取消，这个月钱不够"} {
		c.send("/cancel_schedule")
		c.press("Redmi K70 第 7 期")
		c.send(cancel)
		c.reject("预约还款保持不变")
	}
	// Another booking named as a correction is that one's step (a probe:
	// "不对 是手机那个" got unsure, the step left on the booking it was not).
	for _, meant := range []string{"不对 是笔记本那个", "错了，应该是笔记本", "不是这个 是笔记本的", "no, the laptop one"} { // a no naming another: that one (a probe kept the booking)
		c.send("/cancel_schedule")
		c.press("Redmi K70 第 7 期")
		c.send(meant)
		c.expect("Xiaomi Book 第 3 期", "2 小时内执行")
		c.reject("不太确定")
	}
	if got := h.scheduled("C1"); got["S1"] != supportbot.ScheduledScheduled {
		t.Errorf("booking S1 is %q, want still scheduled", got["S1"])
	}
}

// TestThisMonthsAmountComesFirst: "我这个月一共要还多少" led with the whole
// balance (a probe: ¥6,498.72 read as this month's). What is to be paid by
// the month's end comes first, bill by bill, an overdue one with its late
// fee and a booked one said to be paid by its booking; then the bill.
func TestThisMonthsAmountComesFirst(t *testing.T) {
	_, c := faqSession(t, 600)
	for _, asked := range []string{"我这个月一共要还多少", "本月要还几笔 多少钱"} {
		c.send(asked)
		c.expect("📅 本月（11月）要还 <b>¥1,266.92</b>：\n• Redmi K70 第 6 期 ¥261.92（已逾期，含滞纳金",
			"• Xiaomi Book 第 3 期 ¥1,005.00，还款日 2026年11月21日（已预约扣款，无需手动还）", "合计待还 <b>¥5,781.40</b>")
	}
	// An overdue period a booking is debiting says so (a probe's total
	// invited paying it twice).
	data := fixture()
	customerIn(t, data, "C1").Scheduled[2].Period = 6 // S3, processing: the overdue period
	_, o := faqSessionOn(t, data, 601, phoneZhang)
	o.send("我这个月一共要还多少")
	o.expect("• Redmi K70 第 6 期 ¥261.92（已逾期，含滞纳金；还款日 2026年11月15日）（预约还款 ¥249.92 正在扣款，还差 ¥12.00：扣款完成后请手动还上差额）")
	c.send("这个月已经扣了多少") // what was paid (a probe)
	c.reject("📅")
	for _, q := range []string{"除了逾期的 这个月还要还多少", "/lang en", "what's due this month apart from the overdue ones", "/lang zh"} { // an English probe: the overdue ones counted in
		c.send(q)
		if !strings.HasPrefix(q, "/") {
			c.expect("<b>¥1,005.00</b>", "Xiaomi Book")
			c.reject("Redmi K70 第 6 期", "Redmi K70, period 6")
		}
	}
	c.send("这个月要扣的有哪些") // which: this month's (a probe: unsure)
	c.expect("📅 本月（11月）要还 <b>¥1,266.92</b>")
	c.send("这个月手机要还多少") // one plan's month: that plan's alone (probes)
	c.expect("📅 本月（11月）要还 <b>¥261.92</b>：\n• Redmi K70 第 6 期")
	c.reject("• Xiaomi Book 第 3 期 ¥1,005.00，还款日")
	// Another month: its bills (a probe: "下个月要还多少" got the whole balance).
	for _, asked := range []string{"下个月要还多少", "12月份要还多少钱", "下个月几号还款",
		"下个月要还多少 几号扣"} { // its dates too (probes: this month's dates, this month's bookings)
		c.send(asked)
		c.expect("📅 12 月要还 <b>¥1,254.92</b>：\n• Redmi K70 第 7 期 ¥249.92，还款日 2026年12月15日（已预约扣款，无需手动还）",
			"• Xiaomi Book 第 4 期 ¥1,005.00，还款日 2026年12月21日")
	}
	c.send("下下个月要还多少") // the month after next, not next month (a regression run)
	c.expect("📅 2027 年 1 月要还")
	// What is due now and then together: all until that month ends (a probe
	// got the later month's alone, the overdue period left out).
	for _, asked := range []string{"我这个月逾期的那期加下个月的一共要还多少", "how much is the overdue one plus next month's in total"} {
		c.send(asked)
		c.expect("📅 从现在到 12 月底一共要还 <b>¥2,521.84</b>：\n• Redmi K70 第 6 期 ¥261.92（已逾期，含滞纳金",
			"• Xiaomi Book 第 4 期 ¥1,005.00，还款日 2026年12月21日")
	}
	c.send("这个月和下个月分别扣多少") // each apart: not one sum
	c.reject("从现在到")
	// A month gone by this year is next year's, a year said that year's (a
	// regression probe: "9月份要还多少" asked in December said nothing was due).
	for _, asked := range []string{"3月份要还多少", "明年3月要还多少", "2027年3月要还多少"} {
		c.send(asked)
		c.expect("📅 2027 年 3 月要还", "Redmi K70 第 10 期")
	}
	// Another month alone next, in Chinese numerals or without 呢 (a
	// probe: unsure).
	c.send("二月呢")
	c.expect("📅 2027 年 2 月要还", "Redmi K70 第 9 期")
	c.send("那4月")
	c.expect("📅 2027 年 4 月要还", "Redmi K70 第 11 期")
	c.send("/lang en")
	c.send("how much do i need to pay this month")
	c.expect("📅 Due this month (November): <b>¥1,266.92</b>:")
	for _, q := range []string{"what do i owe next month", "do i owe anything next month", "is anything due next month"} { // the last two: whether all is paid, or unsure (an English probe)
		c.send(q)
		c.expect("📅 Due in December: <b>¥1,254.92</b>:")
	}
	c.send("/bill") // the bill alone, as it was
	c.reject("📅")
}

// TestEmojiAtAListKeepsTheStep: "😭😭😭" or "👍" at "要还哪一笔分期的账单？"
// got the menu, the payment silently dropped (a probe). The list still
// waits, and says how to go on.
func TestEmojiAtAListKeepsTheStep(t *testing.T) {
	_, c := faqSession(t, 600)
	c.send("/pay")
	k70 := c.button("Redmi K70").Data
	for _, e := range []string{"😭😭😭", "👍", "..."} {
		c.send(e)
		c.expect("还没有选择：请先点上面列表里的一项")
		c.reject("还有什么可以帮你")
	}
	c.pressData(k70) // the list's button still works
	c.expect("合计应付")
	for _, two := range []string{"２", "2️⃣", "②"} { // its place, in full-width digits, a keycap, circled (probes: "can't answer")
		c.send("/pay")
		c.send(two)
		c.expect("「Xiaomi Book」第 3 期的预约还款")
	}
	c.send("/cards") // a list to look at: a 🙏 is thanks
	c.send("🙏")
	c.reject("还没有选择")
}

// TestAPlanNamedByItsPartner: "招联那边还款了没" was answered with another
// plan's debit (a probe). A plan is named by its financing partner's own
// words too — in a question whether it was paid, and in a request.
func TestAPlanNamedByItsPartner(t *testing.T) {
	_, c := faqSession(t, 600)
	c.send("招联那边还款了没")
	c.expect("「Xiaomi Book」第 3 期的预约还款")
	c.reject("Redmi K70")
	c.send("招联的那笔提前还了")
	c.expect("提前结清报价</b>：Xiaomi Book")
	// Nothing of it paid lately nor being debited: where it stands.
	data := fixture()
	customerIn(t, data, "C1").Scheduled = nil
	z := newHarness(t, data).chat(601, "zh")
	z.identify(phoneZhang)
	z.send("招联那边还款了没")
	z.expect("Xiaomi Book", "招联金融", "下期还款日")
	z.reject("Redmi K70")
}

// TestEachSwitchIsReadFromItsOwnClause: "关掉自动还款，还有提醒打开" offered
// the reminders off — the 关掉 was auto-repayment's — and auto-repayment's
// list instead of its switch-off (a probe). Each switch is read from the
// clause that names its thing.
func TestEachSwitchIsReadFromItsOwnClause(t *testing.T) {
	h, c := faqSession(t, 670)
	c.send("/autopay")
	c.press("开启 1. Redmi K70")
	c.press("确认开启")
	c.send("关掉自动还款，还有提醒打开")
	c.expect("确认关闭「Redmi K70」的自动还款吗", "[🔔 开启还款提醒]")
	c.reject("关闭还款提醒")
	if h.reminders("C1") || !h.plan("C1", "P1").AutoRepay {
		t.Error("a switch moved before its confirmation or tap")
	}
}

// TestAmIOverdueAndMayICloseAreAnsweredForTheCustomer: "我逾期了吗" got a
// list of topics to pick from, and "现在可以注销了吗" the general conditions
// (a probe): the customer's own bill now says yes or no first, and the
// closure's check says what stands in their way.
func TestAmIOverdueAndMayICloseAreAnsweredForTheCustomer(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(600, "zh")
	c.send("我逾期了吗") // not yet identified: once they are, the answer
	c.identify(phoneZhang)
	c.expect("⚠️ 是的，你有逾期未还的账单", "第 6 期已逾期 6 天（还款日 2026年11月15日）")
	for _, ask := range []string{"现在还算逾期吗", "我现在算不算逾期", "那我现在逾期了吗"} { // 算: the same question (a probe got the ways to pay, or a quote); 那 a follow-up's lead
		c.send(ask)
		c.expect("⚠️ 是的，你有逾期未还的账单")
		c.reject("提前结清报价", "最简单")
	}
	for _, ask := range []string{"现在可以注销了吗", "为啥注销不了", "我都还完了 现在可以注销了吗", "为什么不能注销 我都还完了", "我手机已经还清了 为什么不能注销"} { // why not, too (a probe); owing nothing said, before or after, the check says (audits)
		c.send(ask)
		c.expect("暂时还不能注销分期账户", "❌ 未结清的账单：2 笔分期尚未还清")
	}
	b := h.chat(601, "en")
	b.identify(phoneBob) // paid off
	b.send("/lang en")
	for _, ask := range []string{"am I overdue?", "so am i overdue now", "ok am i late then?"} { // a follow-up's lead (an English probe got a bill's quote)
		b.send(ask)
		b.expect("✅ No, nothing of yours is overdue.", "You've paid off 1 installment plan")
		b.reject("Yes,")
	}
	// "Is my account closed?" is asked of their closure request, not
	// answered by starting one (a probe: "我已经还清了 账户是不是注销了").
	b.send("paid it all off - is my account closed?")
	b.expect("You haven't asked to close your account yet")
	b.reject("Do you want to go on")
	c.send("我已经还清了 账户是不是注销了")
	c.expect("你还没有提交过注销申请")
	c.send("我的注销申请呢") // its status, none: not a closure started (an audit)
	c.expect("你还没有提交过注销申请")
	c.reject("继续注销")
}

// TestAnOkOrThanksAtAStepSaysItStillWaits: "OK没问题" or "好的谢谢" at a
// quote got "好的。还有什么可以帮你？", which a customer reads as done, while
// the quote waited unpaid (a probe). The step says it still waits and how
// to go on; "拜拜" leaves it, told nothing was done.
func TestAnOkOrThanksAtAStepSaysItStillWaits(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/repay")
	c.send("K70那个")
	for _, ok := range []string{"OK没问题", "好的谢谢", "好的明白", "👍", "🙏"} {
		c.send(ok)
		c.expect("还没有扣款", "确认")
		c.reject("还有什么可以帮你")
	}
	c.send("/autopay")
	c.press("Redmi K70")
	c.send("好 就这样")
	c.expect("请点上面这一步的按钮确认")
	c.send("拜拜")
	c.expect("什么都没有改动")
	if n := len(h.repayments("C1")); n != 0 || h.plan("C1", "P1").AutoRepay {
		t.Errorf("%d repayments, auto-repayment %v: want nothing done", n, h.plan("C1", "P1").AutoRepay)
	}
}

// TestGoAheadAndNoWordsAtAStep: "扣吧", "do it" at a quote and "对 取消掉",
// "取消" at "cancel this booking?" got unrelated topics or left the step;
// "算了吧 太贵了", "nah too expensive" got fallbacks (a probe). A go-ahead is
// told how to confirm, moving nothing; a no leaves the step.
func TestGoAheadAndNoWordsAtAStep(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/repay")
	c.send("K70那个")
	for _, ahead := range []string{"扣吧", "行 扣吧", "嗯嗯 可以"} {
		c.send(ahead)
		c.expect("还没有扣款", "回复「确认」")
	}
	c.send("算了吧 太贵了")
	c.expect("这次不还款，没有扣款")
	c.send("/repay")
	c.send("确认") // at the list: nothing chosen yet, and it says so
	c.expect("还没有选择")
	c.reject("现在没有需要你确认的操作")
	c.send("K70那个")
	c.send("我不确认")
	c.expect("这次不还款，没有扣款")
	c.send("/cancel_schedule")
	c.press("Redmi K70 第 7 期") // S1, cancellable
	// At a booking's, 取消 is what it does; a no said to the booking is a
	// go-ahead too ("不要了 取消吧" kept it, a probe).
	for _, ahead := range []string{"对 取消掉", "取消", "算了还是取消吧", "不要了 取消吧", "不用了，取消吧", "不保留了", "别扣了"} {
		c.send(ahead)
		c.expect("还没有取消", "回复「确认」")
	}
	c.send("不要了，别取消")
	c.expect("预约还款保持不变")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
	if got := h.scheduled("C1"); got["S1"] != supportbot.ScheduledScheduled {
		t.Errorf("booking S1 is %q, want still scheduled", got["S1"])
	}
	c.send("/lang en")
	c.send("/repay")
	c.send("the K70 one")
	c.send("do it")
	c.expect("Nothing has been paid yet")
	c.send("nah too expensive")
	c.expect("nothing was charged")
}

// TestAFollowUpAtAQuote: at the K70's quote "那笔记本那个呢" got "not
// sure", "确认后能退吗" the way to confirm (read as about confirming), and
// "k" a fallback (a probe). A follow-up naming another plan by its kind is
// that plan's quote, naming the plan quoted is the way to confirm; a
// question whether a confirmed payment can be undone gets the FAQ's answer
// (it cannot); "k" is an ok. Nothing is paid by any of them, and the last
// quote shown is the one a 确认 pays.
func TestAFollowUpAtAQuote(t *testing.T) {
	h, c := faqSession(t, 100)
	c.send("/repay")
	c.send("K70那个")
	c.send("那笔记本那个呢")
	c.expect("Xiaomi Book（订单号")
	c.send("手机呢")
	c.expect("Redmi K70（订单号")
	c.send("手机那个呢")
	c.expect("还没有扣款", "回复「确认」")
	c.reject("订单号")
	for _, undo := range []string{"确认后能退吗", "确认了还能撤销吗", "once confirmed can i cancel it"} {
		c.send(undo)
		c.expect("不能撤回")
		c.reject("回复「确认」")
	}
	c.send("k")
	c.expect("还没有扣款")
	c.send("确认还笔记本") // a confirm word naming another plan: its quote, nothing paid
	c.expect("Xiaomi Book（订单号")
	c.send("手机呢")
	c.expect("Redmi K70（订单号")
	c.send("what about the laptop")
	c.expect("Xiaomi Book（订单号")
	c.send("算了还是手机吧") // a change of mind, "rather the phone" (a probe: "not sure")
	c.expect("Redmi K70（订单号")
	c.send("actually the laptop instead")
	c.expect("Xiaomi Book（订单号")
	c.send("no wait, the phone") // a no that corrects: that plan, not a no (an audit: "OK, no payment", the plan lost)
	c.expect("Redmi K70（订单号")
	c.send("no, the laptop")
	c.expect("Xiaomi Book（订单号")
	c.send("算了 先还K70吧") // a change of mind naming a model (an audit: a no, the plan lost)
	c.expect("Redmi K70（订单号")
	c.send("no the other laptop") // (an audit: the device's repair desk)
	c.expect("Xiaomi Book（订单号")
	if n := len(h.repayments("C1")); n != 0 {
		t.Fatalf("%d repayments, want none before a 确认", n)
	}
	c.send("确认")
	if r := h.repayments("C1"); len(r) != 1 || r[0].PlanID != "P2" {
		t.Errorf("repayments %+v, want one of the Xiaomi Book (P2)", r)
	}
	// "k" at a setting is told how, too: a letter turns nothing on.
	c.send("/autopay")
	c.press("Redmi K70")
	c.send("k")
	if h.plan("C1", "P1").AutoRepay {
		t.Errorf("auto-repayment turned on by \"k\"")
	}
}

// TestAQuestionTheFAQTakesForTheStepsOwnFlowKeepsTheStep: at a bill's
// quote, "这期不是13号才到期吗 现在还会不会亏" was taken for "pay a bill" and
// started the flow again at its plan picker, which the next message did
// again (a probe: a loop). The quote in front of them stays, and they are
// told how to go on.
func TestAQuestionTheFAQTakesForTheStepsOwnFlowKeepsTheStep(t *testing.T) {
	_, c := faqSession(t, 600)
	c.send("/pay")
	c.press("Redmi K70") // overdue
	c.expect("合计应付")
	c.send("这期不是15号才到期吗 现在还会不会亏")
	c.expect("还没有扣款", "回复「确认」")
	c.reject("要还哪一笔分期的账单")
	c.send("确认")
	c.expect("正在从")
	// One that names another plan is for that plan: quoted afresh, and a
	// 确认 pays that one (the review: it kept the first quote, and 确认
	// paid the plan not asked for).
	c.send("/repay")
	c.press("Redmi K70")
	c.send("提前还款Xiaomi Book那笔")
	c.expect("Xiaomi Book", "合计应付", "替换了之前 Redmi K70 的报价")
	c.reject("Redmi K70（订单号")
}

// TestAReminderQuestionOffersItsSwitchOnce: "when will you remind me?" was
// offered "Reminders" and "🔔 Reminders" — the topic and the flow it tells
// of (a probe). It is answered — how they are, when they come — with the
// one switch.
func TestAReminderQuestionOffersItsSwitchOnce(t *testing.T) {
	_, c := faqSession(t, 620)
	c.send("/lang en")
	c.send("when will you remind me?")
	c.expect("Your reminders are off now", "from 10:00", "[🔔 Remind me of due dates]")
	if n := strings.Count(c.text(), "Remind"); n != 1 {
		t.Errorf("%d reminder buttons, want one:\n%s", n, c.text())
	}
}

// TestAFeeAskedAtAQuoteIsTheQuotesFee: "is there a fee for the phone one?"
// and "有手续费吗" at a payoff quote got unsure answers (a probe), though the
// quote lists its prepayment fee. The quote's parts answer; a fee asked
// for another plan quotes that plan; how fees are worked out stays the
// FAQ's.
func TestAFeeAskedAtAQuoteIsTheQuotesFee(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(650, "zh")
	c.identify(phoneZhang)
	c.send("/repay")
	c.press("Xiaomi Book")
	for _, asked := range []string{"有手续费吗", "手续费多少", "whats the fee on the laptop"} {
		c.send(asked)
		c.expect("报价的明细如下", "提前还款手续费", "还没有扣款")
	}
	c.send("手续费怎么算")
	c.expect("ANSWER(early-repayment-fee")
	c.send("how much is the fee for the phone one?")
	c.expect("Redmi K70（订单号")
	c.send("确认") // asked again: it may have been meant for the laptop's (a probe)
	c.expect("要为「Redmi K70」支付")
	c.send("确认")
	c.expect("提前还款成功")
	if r := h.paid("C1"); r.PlanID != "P1" {
		t.Errorf("paid plan %s, want P1 (the phone, quoted last)", r.PlanID)
	}
}

// TestAQuestionAboutAnActionIsAnsweredNotActedOn: an unseen-questions probe
// — questions that suppose an action ("what happens if i cancel…", "这期还
// 款会不会逾期") opened the bookings or a payment; questions about the
// reminders turned them on; "她的那笔" after naming a wife showed the
// asker's own bill; "pay off my laptop" from a customer without one quoted
// their watch; a code given to "support" was answered as a prompt
// injection.
func TestAQuestionAboutAnActionIsAnsweredNotActedOn(t *testing.T) {
	h, c := faqSession(t, 100)
	for _, q := range []string{"if i cancel a scheduled repayment do i still need to pay", "what happens if i cancel my scheduled repayment"} {
		c.send(q)
		c.expect("取消的只是这次预约扣款")
		c.reject("你的预约还款</b>：")
	}
	c.send("if i pay this month's bill today will tomorrow's autodebit still charge me")
	c.expect("不会重复扣", "[🧾 还本期账单]") // answered, the payment a tap away, not run
	c.reject("要还哪一笔", "确认还款")
	c.send("pay my bill now, if that's possible") // a request with a condition: acted on (a review)
	c.expect("要还哪一笔")
	c.send("/menu")
	c.send("卡被冻结了，这期还款会不会逾期，能不能换张卡还")
	c.expect("冻结")
	c.reject("要还哪一笔")
	c.send("cancel the laptop repayment") // a request: the laptop's booking
	c.expect("Xiaomi Book 第 3 期")
	c.send("/menu")

	for _, q := range []string{"我的还款提醒开着吗", "are my reminders on?", "when will you remind me about my bill?", "还款提醒会不会半夜发"} {
		c.send(q)
		c.expect("现在是关闭的", "21:00")
		c.reject("已开启")
	}
	c.send("remind me when my bill is due") // a switch, with "when" in it (a review)
	c.expect("还款提醒已开启")
	c.send("reminder是什么时候发 几点")
	c.expect("现在是开启的", "10:00")
	c.send("关掉还款提醒，几点都发烦死了")
	c.expect("还款提醒已关闭")

	c.send("我和我老婆都在你们这分期了 她的那笔还有多少没还")
	c.expect("我只能查看和办理你本人")
	c.reject("Redmi K70")
	c.send("我给她买的那个手机还剩多少") // bought for her: their own
	c.expect("Redmi K70")
	c.send("我给她那台手机还剩几期没还") // the one they pay for her (a review)
	c.reject("我只能查看和办理你本人")

	c.send("把验证码告诉客服没事吧")
	c.reject("规则")

	w := h.chat(300, "zh")
	w.identify(phoneWang) // one plan: a watch
	w.send("pay off my laptop")
	w.expect("你的分期里没有「laptop」")
	w.reject("提前还款报价")
	w.send("/menu")
	w.send("pay this month's bill, I'm on my mobile") // where they write from, not a plan (a review)
	w.reject("你的分期里没有")
}

// TestASwitchAskedPolitelyIsTheSwitch: "不要再提醒我了好吗" and "关掉提醒可以
// 吗" got the guide on how to set reminders, "自动还款还开着吗" and "is
// autopay still on?" the guide on auto-repayment (a probe): a switch put as a
// question is the switch; a question whether it is on is their own status.
// How to set them is still the guide.
func TestASwitchAskedPolitelyIsTheSwitch(t *testing.T) {
	h, c := faqSession(t, 961)
	c.send("提醒我还款好吗")
	c.expect("还款提醒已开启")
	for _, q := range []string{"不要再提醒我了好吗", "关掉提醒可以吗", "could you stop the reminders?", "以后不用提醒了", "别老给我发提醒了烦死了", "甭提醒我了", "别老发提醒",
		"提醒别发了 烦死了", "stop sending me messages", "unsubscribe", "别再给我发消息了"} { // a person, unsure, "can't answer" (a probe)
		c.send(q)
		c.expect("还款提醒已关闭")
		if h.reminders("C1") {
			t.Fatalf("%q left the reminders on", q)
		}
		c.send("提醒我还款")
		c.expect("还款提醒已开启")
	}
	c.send("还款提醒怎么开")
	c.expect("不想错过还款日")
	c.send("还款前3天提醒我一下") // 还款前 is when, not a lead like 确认之前 (a replay: unsure)
	c.expect("还款提醒已开启")
	c.send("还款提醒怎么关 烦死了") // annoyance beside a question: the question, no hand-off (a probe was handed off)
	c.expect("不想错过还款日")
	c.send("烦死了 转人工")
	c.reject("不想错过还款日")
	// Whether they are off, asked, turned them off (a probe).
	for _, q := range []string{"提醒关了没", "提醒是不是关了", "还款提醒关闭了没有", "are my reminders off?", "还款提醒取消了没", "关了提醒还会发吗", "did you turn off the reminders?"} {
		c.send(q)
		c.reject("还款提醒已关闭")
		if !h.reminders("C1") {
			t.Fatalf("%q turned the reminders off", q)
		}
	}
	for _, q := range []string{"提醒关了没", "提醒是不是关了", "are my reminders off?"} {
		c.send(q)
		c.expect("现在是开启的")
	}

	for _, q := range []string{"自动还款还开着吗？", "is autopay still on?", "自动扣款是开着的吗"} {
		c.send(q)
		c.expect("Redmi K70（订单号", "未开启")
		c.reject("建议开启自动还款")
		c.send("/menu")
	}
	c.send("自动还款怎么开")
	c.expect("建议开启自动还款")
}

// unsureKB is the real FAQ, but reading one text as unsure between given
// topics: what the real model may do with any phrasing.
type unsureKB struct {
	faq.Knowledge
	text        string
	suggestions []string
}

func (k unsureKB) Classify(text string) flows.Classification {
	if text == k.text {
		return flows.Classification{Kind: "faq", ID: k.suggestions[0], Suggestions: k.suggestions}
	}
	return k.Knowledge.Classify(text)
}

// TestAnUnsureAnswerBetweenTwoPayoffTopicsOffersBoth: "提前还清要多少钱",
// read as unsure between the early-repayment topic and its fee, was told
// "这个问题我暂时回答不了" with no suggestion: the topic early-repayment has its
// flow's id, so each topic was taken as "its flow is offered anyway" and
// dropped. Both topics are offered.
func TestAnUnsureAnswerBetweenTwoPayoffTopicsOffersBoth(t *testing.T) {
	h := newHarness(t, fixture())
	index, err := loadFAQ()
	if err != nil {
		t.Fatal(err)
	}
	const asked = "提前还清要多少钱呀"
	h.kb = unsureKB{faq.Knowledge{Index: index}, asked, []string{"early-repayment", "early-repayment-fee"}}
	h.open()
	c := h.chat(660, "zh")
	c.identify(phoneZhang)
	c.send(asked)
	c.reject("暂时回答不了")
	c.expect("[提前还款说明]", "[提前还款手续费]")
}

// TestAnUnsureQuestionOfWhatFollowsOffersTheTopic: "取消了预约还款是不是就不用
// 还了", unsure between the cancel how-to and the cancel flow, was offered
// the cancel list alone — no answer to the misunderstanding the question
// is (a probe). A question of what would follow offers the topic, which
// says the bill stays.
func TestAnUnsureQuestionOfWhatFollowsOffersTheTopic(t *testing.T) {
	h := newHarness(t, fixture())
	index, err := loadFAQ()
	if err != nil {
		t.Fatal(err)
	}
	const asked = "取消了预约还款是不是就不用还了"
	h.kb = unsureKB{faq.Knowledge{Index: index}, asked, []string{"cancel-scheduled-repayment", "cancel-scheduled"}}
	h.open()
	c := h.chat(661, "zh")
	c.identify(phoneZhang)
	c.send(asked)
	c.expect("[如何取消预约还款]")
	c.reject("[🗓 取消预约还款]")
	c.press("如何取消预约还款")
	c.expect("账单本身还在", "还款日前还上")
}

// "还清了手机才是我的吗" asks what paying off means, and was answered with
// the phone's payoff quote and its confirm button (a probe). A question of
// what holds only after something ("…了…才是…吗", "…以后就…吗") is not a
// request to do it.
func TestAQuestionOfWhatHoldsAfterwardsStartsNoQuote(t *testing.T) {
	_, c := faqSession(t, 664)
	for _, asked := range []string{"还清了手机才是我的吗", "还清以后手机就是我的了吗"} {
		c.send(asked)
		c.reject("提前结清报价", "确认还款")
		c.expect("[提前还款说明]")
	}
	// A request said with such a question acts (a review: both were "not sure").
	for _, asked := range []string{"帮我把手机那笔还清了", "我要提前还清笔记本，还完以后就不用再管了吧？", "帮我把笔记本提前还了，还了之后就能注销吗"} {
		c.send(asked)
		c.expect("提前结清报价", "[✅ 确认还款 ")
		c.send("/menu")
	}
}

// TestTheFeeTopicShowsTheCustomersOwnRates: "我的提前还款手续费是多少",
// "what's my prepayment fee", "我的笔记本是谁放款的" got the general rule
// alone — "it depends on the plan" — while the plans' rates and partners
// are on file (a probe). Under the answer: each open plan's rate, or that
// it has none; each one's financing partner.
func TestTheFeeTopicShowsTheCustomersOwnRates(t *testing.T) {
	h, c := faqSession(t, 662)
	c.send("我的提前还款手续费是多少")
	c.expect("你的分期的提前还款手续费", "Xiaomi Book</b>：费率 1.50%", "Redmi K70</b>：不收提前还款手续费", "[💰 提前还款]")
	b := h.chat(663, "en")
	b.identify(phoneBob) // everything paid: no plan to list
	b.send("/lang en")
	b.send("what's my prepayment fee")
	b.reject("Prepayment fees of your plans")
	c.send("李娜的提前还款手续费是多少") // another's: not the asker's rates as if hers
	c.reject("你的分期的提前还款手续费")
	c.send("我的笔记本是谁放款的")
	c.expect("你的分期对应的合作机构", "Redmi K70</b>：小米分期", "Xiaomi Book</b>：招联金融")
}

// TestAQuestionWrappedInCourtesyIsTheQuestion: "你好，在吗？我想问下我手机那个
// 分期还有几期没还 谢谢🙏" was unsure, though "手机还有几期" alone is
// answered (a probe). Greetings, "may I ask" and thanks around a question
// leave the question.
func TestAQuestionWrappedInCourtesyIsTheQuestion(t *testing.T) {
	_, c := faqSession(t, 660)
	c.send("你好，在吗？我想问下我手机那个分期还有几期没还 谢谢🙏")
	c.expect("<b>Redmi K70</b>（订单号", "还款计划")
	c.reject("我不太确定")
	c.send("hi, quick question: when is my next payment due? thanks")
	c.expect("下期还款日")
	c.send("你好") // a greeting alone is still one
	c.expect("你好！")
}

// TestAForwardedCommandIsNotRun: a forwarded "/agent" opened a ticket and a
// forwarded "/repay" would start a payment as the sender's own (a probe):
// someone's words are not run; the sender is told so.
func TestAForwardedCommandIsNotRun(t *testing.T) {
	h, c := faqSession(t, 701)
	for _, cmd := range []string{"/agent", "/repay", "/logout"} {
		c.event(supportbot.Event{Kind: supportbot.EventText, Text: cmd, Forwarded: true})
		c.expect("这是一条转发来的命令")
		c.reject("要提前结清哪一笔", "第 1 位", "已退出")
	}
	if got := h.staff(); len(got) != 0 {
		t.Errorf("a forwarded /agent reached the staff chat: %v", got)
	}
	c.send("/bill") // still identified: the /logout was not run
	c.expect("剩余待还")
}

// TestOneKindOfQuestionGetsItsAnswer: questions a probe found answered as
// another topic, or unsure, each get their own answer (says), never the
// one they got (not); messages near them keep theirs (near: the answer's
// first words, says[0], not given).
func TestOneKindOfQuestionGetsItsAnswer(t *testing.T) {
	for _, tc := range []struct {
		name             string
		asked, says, not []string
		near             []string
	}{{
		// At the mall's checkout, not a return (the returns desk's answer).
		name: "buying on installments",
		asked: []string{"我要用分期买个手机 怎么操作", "I want to buy a phone on installments, how?", "买手机能分期吗",
			"how do i apply for emi on a new tv", "can i get another phone on emi"}, // EMI, as Indian English says it (an audit: the returns desk)
		says: []string{"结算页选择分期付款"},
		not:  []string{"退货、换货和售后"},
		near: []string{"我用分期买的手机这个月要还多少", "注销后还能分期买东西吗"},
	}, {
		// The partner's to issue (the booking debiting today, the payoff's how-to).
		name:  "a certificate of paying",
		asked: []string{"提前还款完能开结清证明吗 要多久", "how do I get a payoff certificate", "分期还完了能开证明吗"},
		says:  []string{"这里开不了结清证明"},
		not:   []string{"预约还款", "大多数分期都支持提前还款"},
		near:  []string{"我刚还了款，证明一下扣了没", "我有还款证明，你们为什么说我逾期"}, // a regression run
	}, {
		// Paying off with auto-repayment on (how to set auto-repayment).
		name:  "a payoff with auto-repayment on",
		asked: []string{"我开了自动还款 还能提前还款吗", "i have autopay on, can i still pay off early?"},
		says:  []string{"大多数分期都支持提前还款"},
		not:   []string{"建议开启自动还款"},
		near:  []string{"自动扣款开了，提前还款要手续费吗"}, // the fee's (a regression run)
	}, {
		// Collection, which no guide covers (the ways to reach support, or unsure).
		name:  "work or family called when late",
		asked: []string{"I am overdue, will you call my employer", "will you call my family if i miss a payment", "逾期了会打电话给我单位吗"},
		says:  []string{"催收怎么进行"},
		near: []string{"网贷逾期了被催收怎么办", "我要找你们领导", // and, from a regression run, reaching one's family or us
			"我联系你们公司客服怎么联系", "我能联系家人帮我还吗", "Can I call your office to pay?", "I need to call my parents first before I pay"},
	}, {
		// Someone may have used their details: a person checks (unsure,
		// offering payment channels).
		name: "a plan never bought",
		asked: []string{"我没买过笔记本 为什么有个笔记本的分期", "I never bought anything on installments, why do I have a plan?",
			// a device named (a probe: the partners' answer, and "no recent repayment")
			"我没买过这个手机 为什么要我还钱", "这个笔记本不是我买的", "I never bought this tablet, why am I being charged?"},
		says: []string{"冒用了你的信息", "转人工客服"},
		near: []string{"我没申请过退款，订单怎么显示退款中"}, // a regression run
	}, {
		// The fee asked of, not the frozen card.
		name:  "a frozen card's late fee",
		asked: []string{"我卡冻结了 所以才逾期的 能不能免滞纳金"},
		says:  []string{"滞纳金"},
		not:   []string{"联系发卡银行挂失"},
	}, {
		// Someone asking for a code, a card's number, an app, a screen or
		// money to a personal or "safe" account (the phone number's topic,
		// unsure, the overdue topic); asking for nothing, no warning.
		name: "a scam",
		asked: []string{
			"a guy on telegram asked for my card number and sms code to fix my account",
			"对方说是小米金融的 让我下载个app共享屏幕 帮我降低利息",
			"a caller wants me to pay my installment to his personal alipay, is that ok?",
			"电话里说不注销会上征信 还要我报验证码 靠谱吗",
		},
		says: []string{"很可能是诈骗", "共享屏幕"},
		near: []string{"有人吗 我忘了密码", "I can't receive the sms code anymore", // and, from a regression run:
			"我打电话给银行查了卡号，怎么绑卡", "客服让我下载小米金融app还款，在哪下载", "Can someone help me, I forgot my PIN",
			"I called support yesterday and they said my card number was wrong", "我在外地，能打电话远程办理注销吗", "你们客服让我改密码，怎么改"},
	}, {
		// Money to move or a link to tap, from a stranger or a text (the
		// overdue topic, unsure, "can't answer": a regression run).
		name: "a scam's link or transfer",
		asked: []string{"陌生人加我微信说我征信有问题，要我转钱", "刚刚收到短信说我的分期要关闭，让我点链接", "someone texted me a link to close my account",
			"i got a text saying my watch payment failed and to pay via a link"}, // (an audit: the failed payment's checklist)
		says: []string{"很可能是诈骗"},
	}, {
		// In English, a card's number asked by a caller, money to a person
		// to waive a late fee (unsure, the hotline, "can't answer": an
		// audit); asking for nothing, no warning.
		name: "a scam, in other words",
		asked: []string{"i got a call from 'xiaomi finance' asking for my card number to verify my account",
			"someone called from xiaomi finance and wants my card number",
			"a guy on wechat says hes xiaomi support and can waive my late fees if i pay him 500",
			"someone on wechat says he works for xiaomi and can cancel my late fee for 200", "有人说交200可以免滞纳金",
			"a guy says he can remove my late fees if i transfer him money first",                      // (a regression run: the late fee's answer)
			"someone on telegram says he is xiaomi support and can lower my laptop fee if i send 100"}, // (an audit: unsure)
		says: []string{"很可能是诈骗"},
		near: []string{"i got a message saying my payment was successful", "can you waive my late fee if i pay today", "我交了200 能免滞纳金吗"},
	}, {
		// A fee to close the account, or a site not Xiaomi's asking for a
		// card or asked whether it is ours (the closure's checks, or unsure
		// offering refund timing: an audit). Xiaomi's own site is no sign.
		name: "a fee to close, a site not ours",
		asked: []string{"i paid everything off last month, now i want to close the account but someone on the phone said i need to pay a closing fee of 200 first, is that right",
			"someone said I must pay a 200 yuan fee to close my account", "有人打电话说注销分期要先交200块保证金", "有人打电话说要帮我注销，让我先交500块",
			"is this your website? xiaomi-fenqi-refund.com asks me to log in with my card", "这个网址 www.mi-fenqi.top 是你们的吗"},
		says: []string{"很可能是诈骗"},
		near: []string{"is www.mi.com your official site?", "我在mi.com上买的手机 这期多少钱", // and Xiaomi's own, other platforms (a regression run)
			"在 account.xiaomi.com 登录可以改手机号吗", "jr.mi.com 是你们的网站吗", "我在 www.mi.com/shop 用卡付款了", "我在 jd.com 登录看到了账单"},
	}, {
		// A courier moving the chat to QQ, a "membership" to cancel, an
		// agent repaying for a cut, a card unfrozen for a fee, a
		// collector's company account, a link to "re-authorize", a fee to
		// unlock a refund, a screen shared, closing through a caller's app
		// (unsure, "can't answer", a guide: audits).
		name: "a scam, in yet other words",
		asked: []string{"快递员打电话说我买的耳机分期有问题 让我加他QQ处理", "有人打电话说我开了分期会员服务 要关掉 不然每月扣钱",
			"有中介说可以帮我代还电视分期 只收5个点", "网上有人能代还分期 收的手续费比你们低 靠谱吗", "一个人说他能让银行给我卡解冻 先交200手续费",
			"催收让我把钱打到一个公司账户 说打过去就不算逾期", "小米金融的人说我的预约还款有问题 要重新授权 发了个链接给我",
			"someone called saying my refund failed and i need to pay a deposit to unlock it",
			"a man says my refund is stuck and i must pay 99 yuan handling fee to release it",
			"the refund guy wants me to share my screen to process it",
			"got a call saying i must close my xiaomi account through their app or my credit will be hurt",
			"someone from merchants union called and said i can reduce my gaming laptop fee if i transfer 2000 to a safe account"},
		says: []string{"很可能是诈骗"},
		near: []string{"可以让家人帮我还吗", "the support agent wants to know my order number", "客服说我的退款3天到账"},
	}, {
		// A code already given away, a call about one's credit record (a
		// probe: unsure, what being overdue costs): the warning, with what
		// to do when a code or a card number is out.
		name:  "a code given away, a credit scare",
		asked: []string{"我把验证码告诉别人了怎么办", "有人打电话说我征信有问题", "收到短信说我的征信异常要修复", "i gave my otp to someone who called"},
		says:  []string{"很可能是诈骗", "冻结（挂失）这张卡"},
		near: []string{"逾期会影响征信吗", "我的验证码收不到", "征信不好会影响注销吗",
			"我逾期了 催收打电话说我信用受影响了 是真的吗", "我给你们打电话说我征信有问题 要怎么修复"}, // a collector of one's own overdue bill, one's own call (a replay)
	}, {
		// Money to a person for a fee waived or cut, a code or a password
		// given to whoever asks, a look-alike site, a card's photo, a QR
		// code to scan, a paid "closure agent", a video call for an
		// "annual review", a deposit or a fee first, a loan moved to a
		// lower rate (a payoff quote one tap from ¥14,590.95, the bill's
		// quote, the cards, unsure: probes).
		name: "a scam, in still other words",
		asked: []string{"a caller offered to cut my tv prepayment fee to zero if i pay 14000 to his account today",
			"a guy offered to waive my tv prepayment fee if i transfer to his account", "someone said if i pay off my tv through his link the fee is waived",
			`someone from "xiaomi finance" dmed me on wechat, says if i pay my overdue to his alipay the late fee is waived`,
			"someone on wechat says pay the overdue to him and the late fee is waived, is it real",
			`got a call from my "university loan office" saying my xiaomi emi is illegal for students and i must transfer the balance to close it`,
			"the bank guy on the phone needs the sms code to unfreeze my card so my xiaomi payment goes through, ok to give?",
			"can i give my otp to the bank guy on the phone", "my friend asked for my account to help me pay, can i give her my password",
			"i got an sms: your installment account is abnormal, click xm-finance.cc to verify or it will be frozen",
			"someone says my due date on the 31st is invalid and i need to reregister via a link",
			"support asked me to send a photo of both sides of my bank card to set the default",
			"有个人让我扫码付333块 说是净化器最后一期的还款码", "有人发了个二维码让我扫 说是还净化器的", "抖音上有人说可以帮我注销分期账户 收50块",
			"网上有代办注销分期的 收费 靠谱吗", "招商银行客服打电话说我两张卡重复绑定 要我把验证码报给他解绑",
			"刚接到电话说我的分期账户要年审 不做会影响征信 让我开视频会议", "马上金融打电话说可以帮我降低手续费 要先交2000保证金",
			"马上消费的人说笔记本的手续费可以降到3% 先转一笔押金", "有人说可以帮我申请滞纳金退还 要我先交个手续费",
			"有人说我电视分期多收了手续费 可以退 让我下个app操作", "有人说我13c最后一期可以免还 只要交99元手续费",
			"有个自称招联金融的加我企业微信 说电视分期利率太高可以转成低息 要我先还清再重新借", "朋友说帮我还电视分期 让我把卡号和身份证发给他",
			// a fee to switch auto-repayment off, to unfreeze a card, to move a booking; "customer service" asking money moved,
			// a code given "or the booking fails", a link in a text (later audits)
			"客服说帮我取消自动还款要先交50块手续费", "有人说帮我关自动还款要交手续费", "客服打电话说我的卡冻结了 可以帮我解冻 要先交200",
			"有人说可以帮我把明天的预约还款延期 收100手续费", "customer service called and asked me to transfer the overdue 687.50 to a safe account",
			"customer service called me and said to transfer my laptop balance to a safe account to avoid a fee",
			"someone called and said my booking tonight will fail unless i give them the code they sent",
			"i got a text saying my installment is overdue click bit.ly/xm-pay to pay now, is it you?"},
		says: []string{"很可能是诈骗"},
		near: []string{"pay the laptop", "可以扫码还款吗", "注销收费吗", "my friend says the app is easy to use", "i forgot my password"},
	}, {
		// Overdue with auto-repayment on: its debit did not go through —
		// the failed debit's checklist and what is overdue (an audit was
		// told to turn auto-repayment on).
		name:  "overdue with auto-repayment on",
		asked: []string{"我开通了自动还款 K70怎么还逾期了", "开了自动还款为什么还逾期", "i have autopay on why am i overdue"},
		says:  []string{"按这个顺序排查", "仍未还、已逾期", "Redmi K70"},
		not:   []string{"建议开启自动还款"},
		near:  []string{"开了自动还款还会逾期吗"},
	}, {
		// Their cards asked, or how to change the default one: the cards
		// (audits: the partners' channels, unsure).
		name: "their cards",
		asked: []string{"我绑的卡是哪个银行的", "how do i change my default card",
			"我的卡是招行的吗", "6789是我的卡吗", "怎么设置默认还款卡"}, // a probe: how to bind one, or unsure
		says: []string{"你绑定的还款银行卡", "招商银行 **** 6789"},
		near: []string{"怎么绑卡"},
	}, {
		// A booking asked removed: the bookings to cancel (an English
		// probe: unsure).
		name:  "a booking removed",
		asked: []string{"how do i remove the booking", "remove my scheduled repayment"},
		says:  []string{"你的预约还款"},
	}, {
		// A period paid before its due date: yes, the bill (an audit got
		// "a part cannot be paid early", and unsure).
		name:  "a period paid early",
		asked: []string{"手机今天能提前还这期吗", "明天到期的今天还可以吗", "这期能提前还吗", "can i pay this month's bill early"},
		says:  []string{"一期不用等到还款日", "[🧾 还这期]"},
		not:   []string{"不能只提前还其中一部分"},
		near:  []string{"能提前还款吗"},
	}, {
		// The customer's installments called a loan ("loans of any kind are
		// not handled here": an audit); another lender's loan keeps that.
		name:  "my installments called a loan",
		asked: []string{"whats the interest on my loan", "is this loan interest free", "what's the interest rate on my loan", "how much interest is on my laptop loan"},
		says:  []string{"分期要付多少费用"},
		not:   []string{"各类贷款"},
		near:  []string{"i have a car loan with another bank"},
	}, {
		// A card lost or stolen: report it, another card for debits (unsure:
		// an audit); a phone lost is not a card.
		name:  "a card lost",
		asked: []string{"i lost my hsbc card", "招行卡丢了怎么办", "my card was stolen"},
		says:  []string{"挂失"},
		near:  []string{"i lost my phone"},
	}, {
		// A bank or the credit report saying the customer is late: what
		// lateness here does, with their own overdue bills (other lenders'
		// loans "not handled here": an audit); a record disputed keeps the
		// credit report's answer.
		name:  "told of being late by a lender",
		asked: []string{"急急急 我明天要办房贷 银行说我有逾期 怎么办", "the bank says I have a late payment on my credit report, is it from you?"},
		says:  []string{"就算逾期", "你的账单里逾期的是"},
		not:   []string{"不在这里处理"},
		near:  []string{"我按时还了 征信上却显示逾期"},
	}, {
		// A caller or a text saying the customer owes or is late: the
		// warning, then their bill (the overdue topic to one who owed
		// nothing: an audit); a record to be undone keeps its answer.
		name: "a caller says you owe",
		asked: []string{"我之前买的那个分期早就还完了 最近老有人打电话说我还有一笔没还清要我赶紧处理 不然上征信 我有点害怕 我到底还欠不欠你们钱",
			"someone called saying i'm overdue and will go to the credit bureau, is that true?", "接到电话说我欠你们钱 要我马上还"},
		says: []string{"很可能是诈骗", "剩余待还"},
		near: []string{"有人说交钱可以把逾期记录删掉 是真的吗"},
	}, {
		// A due day the customer states, checked: the bill with each plan's
		// (the due date's change: an audit, the wrong day let stand).
		name: "a due day checked",
		asked: []string{"我的还款日是每月20号对吧", "还款日是20号吗", "my due date is the 20th, right?",
			"每个月20号还款 对不对", "还款日是今天吗", "今天是不是还款日", "is today my due date?"}, // in other words (an audit: unsure)
		says: []string{"剩余待还", "下期还款日"},
		not:  []string{"在这里不能修改还款日"},
		near: []string{"还款日能改到20号吗"},
	}, {
		// Whether a card of theirs, named, can pay: a frozen one is why not
		// (the ways to pay in general: an audit); a credit card is another
		// question.
		name:  "paying with a frozen card, asked",
		asked: []string{"能用工行卡还吗", "招行卡里没钱 能用工行卡还吗", "can i pay with my icbc card?"},
		says:  []string{"被冻结、挂失", "工商银行 **** 4321"},
		not:   []string{"通常可以选择银行卡、支付宝或微信支付"},
		near:  []string{"工商银行信用卡怎么还款"},
	}, {
		// A relative's death: a person's to handle ("no recent repayment":
		// an audit).
		name: "a relative died",
		asked: []string{"我老伴去世了 他还有一笔分期没还完 我要替他还吗", "my father passed away, do I have to pay his installments?",
			"家里老人过世了 分期还要还吗", "my father passed away, what happens now?"},
		says: []string{"很抱歉听到这个消息", "[👤 转人工客服]"},
		not:  []string{"没有查到你最近的还款记录"},
		near: []string{"my phone died", "这个手机是我去世的父亲送的 坏了能修吗", "我奶奶去年去世了 我想查下我的账单"}, // a device, a gift, their own bill (a regression run)
	}, {
		// Reminders once everything is paid ("no recent repayment": an audit).
		name:  "reminders once paid",
		asked: []string{"我都还完了还会收到提醒吗", "will I still get reminders now that everything is paid"},
		says:  []string{"还款提醒只针对还没还的账单", "你还有 2 笔分期没还完"}, // the premise not taken as true (a regression run)
		not:   []string{"没有查到你最近的还款记录"},
	}, {
		// Whether the overdue period must be paid before a payoff: no, the
		// payoff includes it (unsure: a probe).
		name:  "the overdue one before a payoff",
		asked: []string{"提前还款要先还逾期的吗", "要先把逾期的还了才能结清吗", "do I have to pay the overdue one before paying off?"},
		says:  []string{"提前结清的金额里已经包含逾期那期和它的滞纳金", "[💰 提前还款]"},
	}, {
		// A booking asked to pay another plan: it pays its own period only
		// (the other plan's payoff quote: an audit).
		name:  "a booking moved to another plan",
		asked: []string{"今天那笔我想换成还笔记本那期 可以吗", "把今天要扣的钱换成还笔记本", "switch tomorrow's payment to the laptop", "今天扣的那笔能不能算到笔记本上"},
		says:  []string{"不能改成还别的分期", "[🧾 还本期账单]"},
		not:   []string{"提前结清报价", "合计应付"},
		near:  []string{"扣款卡换成工行卡"},
	}, {
		// How much a day's debit took: what is being debited (an audit got
		// the plan's payoff quote, one tap from paying it all).
		name:  "a debit's amount asked",
		asked: []string{"手机今天扣了多少", "今天扣了多少钱", "how much was taken today"},
		says:  []string{"正在扣款中", "¥249.92"},
		not:   []string{"提前结清报价", "合计应付"},
		near:  []string{"what will be taken next month?"},
	}, {
		// A plan's period asked to be paid: its bill, not the plan's
		// payoff (an audit: the whole plan, its fee included).
		name:  "that period paid",
		asked: []string{"手机那期帮我还掉"},
		says:  []string{"账单</b>：Redmi K70", "合计应付"},
		not:   []string{"提前结清报价"},
	}, {
		// The bill due today asked to be paid: that plan's (its booking
		// runs within 2 hours here), not the payoff's list (an audit).
		name:  "today's period paid",
		asked: []string{"今天到期那笔帮我还掉"},
		says:  []string{"「Xiaomi Book」第 3 期的预约还款将在 今天 11:00 扣款"},
		not:   []string{"要提前结清哪一笔", "要还哪一笔"},
	}, {
		// Whether anything is due today: that day's periods (a quote, one
		// tap from paying, or unsure: two audits).
		name:  "due today, asked",
		asked: []string{"今天要还钱吗", "我今天要还哪个", "今天到期的是哪笔", "is my payment due today", "do i have a payment due today"},
		says:  []string{"今天到期的账单", "「Xiaomi Book」第 3 期"},
		not:   []string{"合计应付"},
	}, {
		// Whether a plan named is overdue: yes or no for it (a quote of
		// every overdue period, or unsure: two audits).
		name:  "a plan overdue, asked",
		asked: []string{"我的手机逾期了吗", "is my phone payment overdue?", "is my last phone payment overdue?"},
		says:  []string{"是的，「Redmi K70」有逾期未还的账单", "第 6 期已逾期"},
		not:   []string{"合计应付", "Xiaomi Book"},
	}, {
		name:  "a plan not overdue, asked",
		asked: []string{"笔记本逾期了吗", "is my laptop overdue?"},
		says:  []string{"没有，「Xiaomi Book」目前没有逾期的账单"},
		not:   []string{"合计应付", "Redmi K70"},
	}, {
		// 分别 ("each") and a what-if of not paying are not a no (an audit:
		// "OK, no payment", with a booking's cancellation a tap away).
		name:  "each, or if not paid",
		asked: []string{"我两个分期分别哪天还", "今天不还的话明天滞纳金多少"},
		not:   []string{"不过账单还在"},
		says:  []string{},
	}, {
		// Each plan's amount or due day: the bill (a regression run: unsure).
		name:  "each plan's, asked",
		asked: []string{"两个分期分别还多少", "我两个分期分别哪天还", "哪个先还", "which one is due first"}, // which first: the mall's products desk (an audit)
		says:  []string{"剩余待还", "Redmi K70", "Xiaomi Book"},
		not:   []string{"不过账单还在"},
	}, {
		// Whether auto-repayment is on: each plan's switch (an audit got how
		// to set it up, never "no, it is off").
		name: "auto-repayment on, asked",
		asked: []string{"我开了自动还款吗", "I thought I had autopay on", "is my autopay on?",
			"do i have any autopay", "which card does autopay use", // the how-to (an English probe)
			"我的自动还款从哪张卡扣", "自动扣款用的是哪张卡"}, // the how-to (a probe)
		says: []string{"每个还款日自动从默认还款卡扣当期应还金额", "Redmi K70"},
		not:  []string{"建议开启自动还款"},
	}, {
		// A late fee asked to be waived, a few days late said: the late
		// fee's answer (an audit: the orders desk — a late parcel — or the
		// prepayment fee's rules).
		name:  "a late fee waived",
		asked: []string{"我只晚了两天 能免滞纳金吗", "I was only 2 days late, can you waive the fee"},
		says:  []string{"滞纳金能不能减免，这里不能承诺"},
		not:   []string{"订单、发货", "提前还款手续费"},
		near:  []string{"提前还款手续费能免吗"},
	}, {
		// Two plans' bills asked for at once: the list, one at a time (an
		// audit quoted one, the other dropped without a word; unsure).
		name:  "two bills asked",
		asked: []string{"pay the phone and the laptop"},
		says:  []string{"要还哪一笔分期的账单", "一次还一笔"},
		not:   []string{"合计应付"},
	}, {
		name:  "two bills asked, in Chinese",
		asked: []string{"帮我把手机和笔记本这期都还了"},
		says:  []string{"要还哪一笔分期的账单", "一次还一笔"},
		not:   []string{"合计应付"},
	}, {
		// Another card asked for by a customer with one to pay with: none,
		// said above the quote (an audit: quoted on it without a word).
		name:  "another card, with one",
		asked: []string{"我要还逾期的 用别的卡"},
		says:  []string{"你只有 招商银行 **** 6789 这一张能用的卡", "合计应付"},
	}, {
		// A closure asked for later, once what stands in the way is done:
		// nothing is queued (an audit got its timing, read as queued).
		name:  "a closure later",
		asked: []string{"ok close it when they are done", "等退款到了再帮我注销"},
		says:  []string{"这里不能预约以后再注销", "[🔒 注销分期账户]"},
		near:  []string{"结清后分期账户会自动注销吗", "do I need to close my account after paying off"},
	}, {
		// A plan's booking asked to be cancelled by its kind: the
		// cancellation (its bookings to choose from here), to confirm (an
		// audit: unsure).
		name:  "a plan's booking cancelled",
		asked: []string{"我想把手机的预约取消了"},
		says:  []string{"你的预约还款", "Redmi K70 第 7 期"},
		near:  []string{"if i pay off the phone will the booking be cancelled"},
	}, {
		// A plan's order number asked: that plan, its number shown (an
		// audit: the mall's orders desk).
		name:  "an order number asked",
		asked: []string{"笔记本的订单号是多少", "what's my order number for the laptop"},
		says:  []string{"Xiaomi Book", "订单号"},
		not:   []string{"订单、发货、物流和发票不归"},
	}, {
		// Where to see the installment details, or what a period costs:
		// the customer's own next periods under it (an audit: where to
		// look only).
		name:  "each period's amount",
		asked: []string{"每期多少钱"},
		says:  []string{"你的分期：", "Xiaomi Book</b>：下一期", "还剩"},
	}, {
		// A payment now beside a booking to stop: the payment first, the
		// cancellation a tap away (an audit: the cancellation alone).
		name:  "pay now and cancel",
		asked: []string{"pay the phone now and cancel the one on the 14th"},
		says:  []string{"账单</b>：Redmi K70", "要取消的预约是别的期的", "[🗓 取消预约还款]"},
	}, {
		// A plan asked after as done, or how much for it: where it stands
		// (a regression run: a payoff quote, the mall's prices).
		name:  "a plan's standing, asked",
		asked: []string{"is the laptop plan all done now", "how much for my laptop"},
		says:  []string{"Xiaomi Book"},
		not:   []string{"提前结清报价", "合计应付", "价格"},
	}, {
		// Whether a plan can be paid at once: early repayment's answer (an
		// audit: "no recent repayment", or "not in the guides" surely).
		name:  "paid at once, asked",
		asked: []string{"能一次还了吗"},
		says:  []string{"[💰 提前还款]"},
		not:   []string{"没有查到你最近的还款记录", "指南里没有说明"},
	}, {
		// A refund asked to be cancelled: refunds are the mall's (an audit
		// got a closure's withdrawal, none asked for).
		name:  "a refund cancelled",
		asked: []string{"my refund is pending can you cancel it so i can close", "退款能取消吗"},
		says:  []string{"退款由小米商城和合作机构处理"},
		not:   []string{"撤回"},
	}, {
		// A booking asked to run another day: it runs when booked; cancel
		// it and pay by the due date (the debits ahead, or "can't
		// answer": an audit).
		name:  "a booking moved to another day",
		asked: []string{"明天那笔能不能推迟到20号扣", "can I push tomorrow's payment to the 20th?", "预约还款能不能晚两天扣", "could you move my scheduled repayment to friday"},
		says:  []string{"这里不能改到别的日子", "/cancel_schedule", "还款日不能改"},
		near:  []string{"这笔钱晚两天到账正常吗", "扣款卡能换成建行卡吗"},
	}, {
		// Someone else paying for the customer: only their own cards pay
		// here, the rest is not in the guides (a quote on the customer's
		// card, the question never answered: an audit); a payment a relative
		// made, asked whether it arrived, is not this.
		name: "someone else pays for me",
		asked: []string{"我妈想帮我还这期 可以吗", "my dad wants to pay my installment for me from his card, is that ok",
			"my sister is paying my installment, her card ends in 5566, can you debit hers tomorrow", "用我老公的卡还可以吗"},
		says: []string{"只会从你自己账户里绑定的银行卡扣款", "[💳 我的银行卡]"},
		not:  []string{"要还哪一笔分期的账单", "合计应付"},
		near: []string{"我老婆帮我还了，到账了吗", "帮我妈还这期"},
	}, {
		// Money sent to "us" by a bank transfer (other lenders' loans "not
		// handled here": an audit): not a channel in the guides, who
		// received it a person checks, with their overdue bills.
		name:  "a transfer to us",
		asked: []string{"我那个逾期的 昨天我已经在手机银行上转账给你们了 转了六百多 怎么还显示逾期", "I transferred the money to your account yesterday, why does it still say overdue?"},
		says:  []string{"银行转账不是指南里列出的还款方式", "你的账单里逾期的是", "[👤 转人工客服]"},
		not:   []string{"不在这里处理"},
		near:  []string{"我让老婆转钱给我 我来还"},
	}, {
		// Paying a few days late (the mall's orders desk, a late delivery:
		// an audit); a parcel late stays the mall's.
		name:  "a few days late",
		asked: []string{"那要是晚两天呢", "要是晚一天还呢", "how about if i pay 2 days late"},
		says:  []string{"就算逾期"},
		not:   []string{"订单、发货"},
		near:  []string{"快递晚两天到呢"},
	}, {
		// Whether the closure's outcome is told (the reminders' answer: an audit).
		name:  "the closure's outcome told",
		asked: []string{"注销成功了会通知我吗", "注销好了怎么知道", "will you let me know when my account is closed?"},
		says:  []string{"这里会发消息告诉你"},
		not:   []string{"还款提醒"},
	}, {
		// What one still can once paid: not the booking debiting today.
		name: "installments after paying off",
		asked: []string{"全部还完了还能再用小米分期买东西吗", "提前还完分期还能开新的分期吗",
			"太感谢了 我都还完了 以后还想用分期怎么弄"}, // not how to stop using them (an audit)
		says: []string{"提前还清不会注销分期账户"},
		not:  []string{"预约还款", "分期没有「关闭」开关"},
		near: []string{"注销以后还能用分期吗", "我以后不想用分期了怎么办"}, // after a closure; a no
	}, {
		// A payment said made, asked whether still overdue: none is seen,
		// and the bill still overdue is shown ("no recent repayment" alone,
		// the question dropped: an audit).
		name:  "paid today, still overdue?",
		asked: []string{"我今天还了 还算逾期吗", "我今天还了还会上吗", "did my payment go through? am i still overdue"},
		near:  []string{"我要不要今天先还了"}, // whether to pay, not whether paid (an audit: "no recent repayment")
		says:  []string{"账单上这些仍未还、已逾期", "第 6 期已逾期 6 天"},
	}, {
		// A device broken, lost or in repair: the plan stays (a probe: the
		// repayment channels' guide, or unsure).
		name:  "a broken device, still paid?",
		asked: []string{"分期买的手表坏了 还要还吗", "手机摔坏了 分期还得还吗"},
		says:  []string{"要还的。", "第 6 期已逾期"},
		not:   []string{"小米金融"},
	}, {
		// A booking asked to be made: not here, and what instead (a probe:
		// "you have no scheduled repayment").
		name:  "a booking made",
		asked: []string{"我想预约下个月25号扣款", "帮我预约一下还款"},
		says:  []string{"这里不能新建预约还款", "[🔁 自动还款]"},
		not:   []string{"你的预约还款"},
		near:  []string{"帮我取消预约还款"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			_, c := faqSession(t, 703)
			for _, q := range tc.asked {
				c.send(q)
				c.expect(tc.says...)
				c.reject(tc.not...)
			}
			for _, q := range tc.near {
				c.send(q)
				c.reject(tc.says[0])
			}
		})
	}
}

// TestAWorryAboutOnesCreditIsAnswered: "我征信会不会有问题" got "can't answer"
// and "征信会不会恢复" the official notices (a probe). A worry about one's
// credit record gets what paying late does to it; a mark to be undone, that
// no one here can, and where reports come from.
func TestAWorryAboutOnesCreditIsAnswered(t *testing.T) {
	_, c := faqSession(t, 702)
	for _, q := range []string{"我征信会不会有问题", "我的征信会不会受影响", "will this hurt my credit score?"} {
		c.send(q)
		c.expect("征信")
		c.reject("回答不了", "不太确定", "官方通知")
	}
	c.send("征信会不会恢复")
	c.expect("不能修改或删除信用记录")
	c.send("注销会影响征信吗") // closing: its own topic
	c.expect("注销")
	c.reject("逾期的后果")
	c.send("能帮我把征信逾期记录删掉吗") // a mark to be undone (a regression run)
	c.expect("不能修改或删除信用记录")
	c.send("取消预约会影响征信吗") // the cancellation's own answer
	c.reject("还款日过后还没还上")
	// Lateness here against a loan or a card to apply for: the guide says it
	// may hurt (a facts audit got "other lenders' loans are not handled
	// here"); another lender's own lateness is not ours.
	for _, q := range []string{"逾期会影响我申请房贷吗", "小米分期逾期影响车贷吗", "will being late affect my mortgage application"} {
		c.send(q)
		c.expect("征信")
		c.reject("都不在这里处理", "not handled here")
	}
	for _, q := range []string{"有没有宽限期 晚一两天可以吗", "还款日当天晚上还算逾期吗 有没有宽限期", "is there a grace period?"} {
		c.send(q) // a grace period: none to count on (a facts audit got the orders' desk, or unsure)
		c.expect("不要指望有宽限期")
	}
	for _, q := range []string{"还款日当天几点之前还不算逾期", "还款日当天还算逾期吗", "what time on the due date do i have to pay by", "8号当天还可以吗", "is paying on the due date itself late?"} {
		c.send(q) // the day counts, its hour is the partner's (a probe: the bills to pay, or unsure)
		c.expect("还款日当天还上，就不算逾期", "指南里没有写")
		c.reject("要还哪一笔")
	}
	for _, q := range []string{"还款日几点扣款", "明天预约的还款，当天晚上12点前取消来得及吗"} {
		c.send(q) // when a debit is made, a booking's cancellation: not the cut-off (a regression run)
		c.reject("还款日当天还上，就不算逾期")
	}
	for _, q := range []string{"退货有宽限期吗", "取消预约有缓冲期吗", "报价的15分钟能宽限一下吗"} {
		c.send(q) // a grace asked of something else (a regression run)
		c.reject("不要指望有宽限期")
	}
	c.send("注销分期账户会影响征信吗 影响以后贷款吗") // a credit record asked of a closure, not lateness (a regression run)
	c.reject("逾期的后果")
	for _, q := range []string{"关闭分期会影响征信吗", "把分期关了会影响征信吗"} {
		c.send(q) // a closure in other words: what it keeps (it got the overdue topic)
		c.expect("注销不是消除征信记录的办法")
		c.reject("逾期的后果")
	}
	c.send("关闭分期自动还款会影响征信吗") // auto-repayment's, not a closure
	c.reject("注销不是消除征信记录的办法")
	c.send("我的小米分期是信用卡分期吗") // ours asked of (a regression run)
	c.reject("不在这里处理")
	for _, q := range []string{"信用卡分期提前还款手续费", "信用卡分期提前还有违约金吗"} {
		c.send(q) // a bank card's installments: the bank's fee, not ours (a facts audit)
		c.expect("不在这里处理")
		c.reject("提前还款手续费 =")
	}
	for _, q := range []string{"我的房贷逾期了会影响征信吗", "花呗逾期会影响房贷吗"} {
		c.send(q)
		c.reject("逾期的后果")
	}
	// Asked whether a loan is still approved after lateness here; "my
	// credit card" is no credit record (it got the overdue topic).
	for _, q := range []string{"在你们这逾期了 银行贷款还能批吗", "逾期了还能办信用卡吗", "if i'm late will i still get a mortgage", "我在你们这逾期会影响我花呗吗"} {
		c.send(q)
		c.expect("征信")
		c.reject("都不在这里处理")
	}
	c.send("can i pay my credit card installment here?")
	c.expect("不在这里处理")
	c.reject("逾期的后果")
}

// TestEnglishCustomersWords: from an English probe — "pay" and a plan named
// is its bill, not its payoff (a "confirm" paid ¥5,074.17 with its fee for
// "i wanna pay my laptop installment"); "pay the phone now" at the list of
// bookings is its bill, not its booking's cancellation; "pay this month and
// next month" is no refusal; "i dont want reminders" turns them off (it got
// the guide to turn them on); "yes please go ahead and pay" at a quote is
// told how to confirm; "yo whats up", "thx a lot", "awesome" are small
// talk, not misses; an overdue period's amount without its late fee ("pay
// 604.25" of ¥616.25) is its bill, the late fee said (not "a part cannot
// be paid"); why a card is frozen, asked at a quote, gets the guide's why
// and what to do, the quote staying (it got only "cannot pay"); "what's
// cheaper, paying monthly or now?" at a quote is the quote's parts (it was
// dropped for the list of bills); "will you report me to the credit
// bureau" is what being overdue means (it got the credit-repair scam
// warning); the partner named as the English list shows it ("Merchants
// Union") picks its plan.
func TestEnglishCustomersWords(t *testing.T) {
	session := func(t *testing.T, phone, lang string) (*harness, *chat) {
		h := newHarness(t, fixture())
		h.realFAQ()
		h.open()
		c := h.chat(100, lang)
		c.identify(phone)
		if lang == "en" {
			c.send("/lang en")
		}
		return h, c
	}
	t.Run("pay names the bill", func(t *testing.T) {
		for text, want := range map[string]string{
			"i wanna pay my redmi installment": "Overdue bill", "pay the redmi": "Overdue bill",
			"pay off the redmi": "Payoff quote", "i want to pay off my redmi early": "Payoff quote",
		} {
			_, c := session(t, phoneZhang, "en")
			c.send(text)
			c.expect(want, "Redmi K70")
		}
	})
	t.Run("tracking payments is their history", func(t *testing.T) {
		// "track" read as the mall's parcel tracking (a probe: "how can i
		// track my payments" got the order desk)
		_, c := session(t, phoneZhang, "en")
		for _, text := range []string{"how can i track my payments", "track my repayments", "can i keep track of my bills here"} {
			c.send(text)
			c.expect("/messages", "Show schedule")
			c.reject("My orders")
		}
		c.send("how do i track my order")
		c.expect("My orders")
	})
	t.Run("turning installments off with nothing owed", func(t *testing.T) {
		// "pay it off early", and its button, to one with nothing to pay (a
		// probe): closing the account is what is left
		_, c := session(t, phoneBob, "en")
		c.send("how do i turn off installments")
		c.expect("all paid off", "[🔒 Close account]")
		c.reject("Early repayment")
		_, z := session(t, phoneZhang, "en") // owing: paying off is the way
		z.send("how do i turn off installments")
		z.expect("Early repayment")
	})
	t.Run("pay instead at the bookings", func(t *testing.T) {
		_, c := session(t, phoneZhang, "en")
		c.send("/cancel_schedule")
		c.expect("Your scheduled repayments")
		c.send("actually i'll just pay the redmi now")
		c.expect("Redmi K70", "Confirm and pay")
		c.reject("Cancel this scheduled repayment?")
	})
	t.Run("two months", func(t *testing.T) {
		_, c := session(t, phoneWang, "en")
		c.send("pay this month and next month")
		c.reject("no payment")
	})
	t.Run("reminders not wanted", func(t *testing.T) {
		for _, text := range []string{"i dont want reminders", "i don't want any more reminders"} {
			_, c := session(t, phoneZhang, "en")
			c.send("/remind")
			c.expect("on")
			c.send(text)
			c.expect("reminders are off")
		}
	})
	t.Run("an overdue period without its late fee", func(t *testing.T) {
		_, c := session(t, phoneZhang, "en")
		c.send("pay 249.92")
		c.expect("late fee of ¥12.00 is added: ¥261.92 in all", "Confirm and pay ¥261.92")
		c.reject("cannot be paid")
	})
	t.Run("why a card is frozen, at a quote", func(t *testing.T) {
		_, c := session(t, phoneWang, "en")
		c.send("/pay")
		c.send("why is my icbc card frozen?")
		c.expect("issuing bank", "is frozen", "The quote above is still on", "Talk to a person")
		c.send("confirm")
		c.expect("Paid")
	})
	t.Run("one card's freeze asked of", func(t *testing.T) {
		// A probe got the checklist alone: the card asked of is said.
		_, c := session(t, phoneWang, "zh")
		c.send("建行卡冻结了吗")
		c.expect("建设银行 **** 8888 没有被冻结", "工商银行 **** 4321 已冻结")
		c.send("中行卡解冻了吗")
		c.expect("你没有绑定中国银行的卡", "建设银行 **** 8888")
		_, c = session(t, phoneZhang, "en")
		c.send("is my cmb card frozen?")
		c.expect("6789 is not frozen")
	})
	t.Run("an alert with the bill", func(t *testing.T) {
		// "alert 账单" turned reminders on, the bill dropped (a probe).
		h, c := faqSession(t, 1073)
		c.send("/lang en")
		c.send("alert: my bill")
		c.expect("open installment plans")
		c.reject("Reminders are on")
		if on, _ := h.db.Reminders(context.Background(), "C1"); on {
			t.Error("reminders turned on")
		}
	})
	t.Run("paying a plan this month", func(t *testing.T) {
		// A probe got the plan's card with no way to pay.
		_, c := faqSession(t, 1072)
		c.send("/lang en")
		c.send("pay the phone this month")
		c.expect("Redmi K70", "Confirm and pay ¥261.92")
	})
	t.Run("a correction to a kind none of the plans is, at a quote", func(t *testing.T) {
		// An English probe got the devices' after-sales answer.
		_, c := session(t, phoneWang, "en")
		c.send("/pay")
		c.send("no, the laptop")
		c.expect("None of your plans is a laptop", "still on", "Confirm")
		c.reject("after-sales")
		c.send("confirm")
		c.expect("Paid")
	})
	t.Run("cheaper now or as scheduled, at a quote", func(t *testing.T) {
		_, c := session(t, phoneZhang, "en")
		c.send("/repay")
		c.press("Xiaomi Book")
		c.expect("Payoff quote")
		c.send("what's cheaper, paying monthly or now?")
		c.expect("what the quote is made of", "Paid as scheduled")
		c.reject("Which plan")
	})
	t.Run("reported to the credit bureau", func(t *testing.T) {
		for _, text := range []string{"will you report me to the credit bureau", "do you report to the PBOC"} {
			_, c := session(t, phoneZhang, "en")
			c.send(text)
			c.expect("overdue")
			c.reject("scam", "repair")
		}
	})
	t.Run("the partner as the English list shows it", func(t *testing.T) {
		_, c := session(t, phoneZhang, "en")
		c.send("/repay")
		c.expect("Which plan do you want to pay off early")
		c.send("the merchants union one")
		c.expect("Payoff quote", "Xiaomi Book")
	})
	// What a regression run found the readers above took too far: none
	// of these starts a payment.
	t.Run("not a payment at the bookings", func(t *testing.T) {
		for _, text := range []string{"don't pay it", "i can't pay it", "pay it on the 20th instead", "i'll pay it in the app",
			"how do i pay it now", "just pay the laptop", "pay the redmi off"} {
			_, c := session(t, phoneZhang, "en")
			c.send("/cancel_schedule")
			c.send(text)
			c.reject("Confirm and pay")
		}
		for _, text := range []string{"我现在还没钱", "马上还不了", "我直接还了，预约还扣吗", "不想直接还"} {
			_, c := session(t, phoneZhang, "zh")
			c.send("/cancel_schedule")
			c.send(text)
			c.reject("确认还款")
		}
	})
	t.Run("not a bill", func(t *testing.T) {
		for text, want := range map[string]string{"pay the redmi fully": "Payoff quote", "pay the redmi in advance": "Payoff quote",
			"pay the redmi, never mind": "", "pay the redmi after payday": ""} {
			_, c := session(t, phoneZhang, "en")
			c.send(text)
			c.reject("Overdue bill")
			if want != "" {
				c.expect(want)
			}
		}
	})
	t.Run("cheaper, at a bill's quote", func(t *testing.T) {
		_, c := session(t, phoneWang, "en")
		c.send("/pay")
		c.send("is it cheaper to pay off early?")
		c.reject("what the quote is made of")
	})
	t.Run("two months, later", func(t *testing.T) {
		_, c := session(t, phoneWang, "en")
		for _, text := range []string{"I'll pay this month and next month later", "pay this month and next month, later",
			"i'll settle this month and next month after payday"} {
			c.send("/pay")
			c.send(text)
			c.expect("no payment")
		}
	})
	t.Run("reminders not wanted at night", func(t *testing.T) {
		_, c := session(t, phoneZhang, "en")
		c.send("/remind")
		c.send("i don't want reminders at night")
		c.reject("reminders are off")
	})
	t.Run("go ahead and pay elsewhere", func(t *testing.T) {
		_, c := session(t, phoneZhang, "en")
		c.send("/cancel_schedule")
		c.press("Redmi K70, period 7")
		c.expect("Cancel this scheduled repayment?")
		c.send("go ahead and pay")
		c.reject(`To cancel`)
	})
	t.Run("small talk", func(t *testing.T) {
		for text, want := range map[string]string{"yo whats up": "Hello", "hey there": "Hello", "thx a lot": "welcome",
			"thank you so much!": "welcome", "awesome": "Anything else"} {
			_, c := session(t, phoneZhang, "en")
			c.send(text)
			c.expect(want)
			c.reject("can't answer", "not sure")
		}
	})
	t.Run("go ahead and pay", func(t *testing.T) {
		_, c := session(t, phoneWang, "en")
		c.send("/pay")
		c.expect("Confirm")
		c.send("yes please go ahead and pay")
		c.expect(`type "confirm"`)
		c.send("confirm")
		c.expect("Paid")
	})
}

// TestPayingInAStoreOrInCashIsNotAnotherLender: "小米之家能还分期吗",
// "可以现金还款吗 去门店还" were told other lenders' loans are not handled
// here (a facts audit). They are told the ways the guides give, all
// online, and that a store or cash is not among them.
func TestPayingInAStoreOrInCashIsNotAnotherLender(t *testing.T) {
	_, c := faqSession(t, 703)
	for _, q := range []string{"小米之家能还分期吗", "可以现金还款吗 去门店还", "can i pay in cash at a store?"} {
		c.send(q)
		c.expect("/pay")
		c.reject("不在这里处理", "not handled here")
	}
	c.send("我在门店买的手机 怎么还款") // bought in a store: how to pay, as before
	c.reject("门店（包括小米之家）和现金还款")
}

// TestALateFeesCapIsTheFeesTopic: "滞纳金有上限吗" got the overdue list (a
// facts audit); the late-fee topic says the partner sets it.
func TestALateFeesCapIsTheFeesTopic(t *testing.T) {
	_, c := faqSession(t, 704)
	c.send("滞纳金有上限吗")
	c.expect("合作机构的规定为准")
	c.reject("逾期的后果")
}

// TestAFrozenCardWithNoOtherSaysSo: a customer whose only card is frozen was
// told to pay with another, choosing it at /pay — which refuses them, every
// card frozen (an audit). With no other card the answer says so, and what
// to do instead.
func TestAFrozenCardWithNoOtherSaysSo(t *testing.T) {
	data := payFixture()
	customerIn(t, data, "C6").Cards[0].Frozen = true // 钱多: one card
	customerIn(t, data, "C5").Cards[0].Frozen = true // 赵敏: another card left
	h := newHarness(t, data)
	h.realFAQ()
	h.open()
	c := h.chat(842, "zh")
	c.identify(phoneQian)
	c.send("我卡被冻结了 怎么办")
	c.expect("交通银行 **** 1010 已冻结", "你也没有其他能用的卡")
	c.reject("发 /pay 时可以选卡")
	z := h.chat(843, "zh")
	z.identify(phoneZhao)
	z.send("我卡被冻结了 怎么办")
	z.expect("农业银行 **** 5555 已冻结", "发 /pay 时可以选卡")
}

// TestAPaymentSaidMadeWhileStillOverdue: "I paid yesterday, why is it still
// overdue" got the failed payment's checklist — "pay before the due date"
// to one long overdue — and "我已经还了逾期的钱 为什么还显示逾期" was unsure
// (an audit). None seen here is said, with what is still overdue and a
// person to check a debit; a payment here still under way says so.
func TestAPaymentSaidMadeWhileStillOverdue(t *testing.T) {
	h, c := faqSession(t, 708)
	for _, q := range []string{"I paid yesterday, why is it still overdue", "我已经还了逾期的钱 为什么还显示逾期"} {
		c.send(q)
		c.expect("这里没有查到你最近在这里的还款", "第 6 期已逾期", "[👤 转人工客服]")
		c.reject("还款日前")
	}
	h.hooks.set(func(k *hooks) { // the core does not answer: the payment stays under way
		k.repay = func(context.Context, string, supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
			return nil, errDown
		}
	})
	c.send("/pay")
	c.press("Redmi K70")
	c.send("确认")
	c.send("我已经还了 为什么还显示逾期")
	c.expect("正在处理中，不会重复扣款")
	c.reject("这里没有查到你最近在这里的还款")
}

// TestWhetherPayingOnADayIsLate: "今天不还的话明天会逾期吗" and "is there a
// late fee if i pay tonight?" (at a bill's quote) got unsure, or the quote's
// parts — its period's fee read as a late fee (two audits). From the bills:
// each plan's next period, late or in time if paid that day.
func TestWhetherPayingOnADayIsLate(t *testing.T) {
	_, c := faqSession(t, 709) // 2026-11-21: the Redmi K70's period 6 overdue; the Xiaomi Book's period 3 due today, booked at 11:00
	for _, q := range []string{"今天不还的话明天会逾期吗", "明天还算逾期吗"} {
		c.send(q)
		c.expect("明天还的话", "「Redmi K70」第 6 期（2026年11月15日到期）已经逾期了", "「Xiaomi Book」第 3 期今天到期，明天才还就已经逾期",
			"已预约 今天 11:00 扣款", "还款日当天还上都不算逾期")
	}
	c.send("/pay")
	c.press("Redmi K70")
	c.send("is there a late fee if i pay tonight?") // at the quote: answered, the quote waiting
	c.expect("今天还的话", "已经逾期了")
	c.send("确认")
	c.expect("还款成功")
	// In English, asked whether it is ok, the day paid being the one after
	// "pay" — not a due date said before it (a probe: unsure).
	for _, q := range []string{"I'll pay on the 23rd, is that ok?", "the bill is due on the 21st, if I pay on the 23rd is that a problem?",
		"今天的账单能不能23号再还"} { // the last: unsure (a probe)
		c.send(q)
		c.expect("11月23日还的话", "「Xiaomi Book」第 3 期今天到期，2026年11月23日才还就已经逾期")
	}
	// The plan named between "pay" and the day, asked what happens (a
	// probe: unsure, or the plan's card).
	for _, q := range []string{"what happens if i pay the laptop tomorrow instead", "I will pay the laptop bill tomorrow, is that ok?", "今天的账单能不能明天再还",
		"今天的能不能拖到明天还", "can i pay today's bill tomorrow"} {
		c.send(q)
		c.expect("明天还的话", "「Xiaomi Book」第 3 期今天到期，明天才还就已经逾期")
	}
	// A month said anywhere is the day's (a replay got this month's 25th).
	for _, q := range []string{"我下个月25号再还会逾期吗", "if I pay on the 25th next month will it be late?"} {
		c.send(q)
		c.expect("2026年12月25日还的话")
	}
	// Asked what if, or how much then, without a word of being late (a
	// probe: unsure, or the overview); a plan named is that plan alone, and
	// each line says what is to pay.
	for _, q := range []string{"what if i pay tomorrow instead", "如果我明天还呢"} {
		c.send(q)
		c.expect("明天还的话", "「Xiaomi Book」第 3 期今天到期，明天才还就已经逾期，除了 ¥1,005.00 还会产生滞纳金")
	}
	c.send("如果我12月10号还手机要还多少")
	c.expect("2026年12月10日还的话", "「Redmi K70」第 7 期2026年12月15日到期，2026年12月10日还不算逾期，应还 ¥249.92") // its period 6 paid above
	c.reject("Xiaomi Book")
	c.send("如果我明天还不上会怎样") // not able to pay: not whether a day is late
	c.reject("明天还的话")
}

// The mall's labels of installment orders — where "待还款订单" is, what
// "即将还款" on an order means — are guide 002's (an FAQ probe got the
// orders' desk); "还清了还显示还款中" is not a question of the label.
func TestTheMallsOrderLabelsAreExplained(t *testing.T) {
	_, c := faqSession(t, 725)
	for _, q := range []string{"待还款订单在哪", "订单上显示即将还款是啥意思"} {
		c.send(q)
		c.expect("「待还款订单」在小米商城 App 的「我的」页里", "「还款中」或「即将还款」")
		c.reject("订单、发货、物流和发票不归分期还款这里处理")
	}
	c.send("/lang en")
	c.send("my order says repayment soon, what does it mean")
	c.expect(`An order marked "repaying" or "repayment soon"`)
	c.send("/lang zh")
	c.send("我都还清了 订单还显示还款中")
	c.reject("「待还款订单」在小米商城 App")
}

// A prepayment fee asked of a plan named, and a debit under way asked to
// be cancelled, are the customer's own (an FAQ probe got unsure for both):
// each plan's fee; the booking being debited, said to be past cancelling.
func TestAPlansFeeAndADebitUnderWayAreTheirOwn(t *testing.T) {
	_, c := faqSession(t, 726)
	c.send("手机那笔提前还款要手续费吗")
	c.expect("<b>Redmi K70</b>：不收提前还款手续费")
	c.reject("不太确定")
	// What it comes to asked: that plan's payoff quote, which prices the
	// fee and says how (a probe: the rule, each plan's rate, the figure a
	// /repay away).
	for _, q := range []string{"笔记本能提前还清吗 要多少手续费", "笔记本提前还款多少钱 手续费怎么算的"} {
		c.send(q)
		c.expect("提前结清报价</b>：Xiaomi Book", "提前还款手续费（费率 1.50%，按未到期本金 ¥3,000.00 计）：¥45.00", "合计应付")
		c.send("返回")
	}
	c.send("/lang en")
	c.send("how much is the fee to pay off the laptop")
	c.expect("Payoff quote</b>: Xiaomi Book")
	c.send("/lang zh")
	c.send("我那笔正在扣款的能取消吗")
	c.expect("Redmi K70 第 8 期", "正在处理中", "无法取消")
	c.reject("不太确定")
}

// A question said against another it is not is the rest ("不是问手续费，是问
// 利息": an FAQ probe got how to pay for "不是问怎么还款 是问还款日过了还能还
// 吗"), and whether a late bill can still be paid is the overdue answer.
func TestWhatIsAskedIsNotWhatItIsSaidNotToBe(t *testing.T) {
	_, c := faqSession(t, 727)
	c.send("不是问怎么还款 是问还款日过了还能还吗")
	c.expect("已经逾期的话请尽快还上")
	c.reject("最简单：发 /pay")
	c.send("不是问提前还款 是问笔记本的手续费") // the rest alone reads as the mall's prices: read whole (a replay)
	c.expect("提前还款是否收手续费")
	c.reject("订单、发货")
	c.send("/lang en")
	c.send("not how to pay, i want to know where to see the due date")
	c.expect("Send /bill here to see each plan")
	c.send("can i still pay after the due date")
	c.expect("If you are overdue, pay as soon as possible")
	c.send("what if I pay after the due date") // a probe: "can't answer"
	c.expect("If you are overdue, pay as soon as possible")
}

// A language asked for with a question after it switches and answers it
// (a probe: "我想用中文 退款什么时候到" switched, the question dropped).
func TestALanguageAskedWithAQuestionAnswersIt(t *testing.T) {
	_, c := faqSession(t, 728)
	c.send("/lang en")
	c.send("我想用中文 退款什么时候到")
	c.expect("已切换为中文。", "退款由小米商城和合作机构处理")
	c.send("english please, how do i turn on autopay")
	c.expect("Switched to English.", "Auto-repayment")
}

// A product whose name holds its own icon is not shown with a second one
// ("📺 小米电视S Pro 85 📺 2025款": a money probe).
func TestAProductsOwnIconIsNotDoubled(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Product = "Redmi K70 📱 2025"
	_, c := faqSessionOn(t, data, 734, phoneZhang)
	c.send("/bill")
	c.expect("<b>Redmi K70 📱 2025</b>", "💻 <b>Xiaomi Book</b>")
	c.reject("📱 <b>Redmi K70")
}

// A booking too close to cancel that runs after its period's due date is
// not "nothing to do": the period is late by then (a money probe: a debit
// at 00:40 the day after was told "no need to pay by hand").
func TestADebitAfterTheDueDateIsSaidToBeLate(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Scheduled[1].RunAt = start.Add(14*time.Hour + 10*time.Minute) // S2: 00:10 the day after P2's due date
	h, c := faqSessionOn(t, data, 735, phoneZhang)
	h.advance(13*time.Hour + 30*time.Minute) // 23:30
	c.send("/bill")
	c.expect("那时已过还款日：这一期可能按逾期处理")
	c.reject("无需手动还款\n")
}

// A booking debiting a period paid already is said to be a possible second
// charge when a double charge is asked about (a money probe: shown as a
// debit to come).
func TestADebitOfAPaidPeriodIsSaidToBeAPossibleSecondCharge(t *testing.T) {
	data := fixture()
	customerIn(t, data, "C1").Plans[0].Bills[7].Status = supportbot.BillPaid // period 8, which S3 is debiting
	_, c := faqSessionOn(t, data, 736, phoneZhang)
	c.send("我的钱是不是会被扣两次")
	c.expect("「Redmi K70」第 8 期", "这一期已经还清了，这笔扣款可能是重复扣款")
}

// "那我要怎么办" right after the scam warning is the warning again, what to
// do and a person (a probe got unsure).
func TestWhatToDoAfterTheScamWarningIsTheWarning(t *testing.T) {
	_, c := faqSession(t, 752)
	c.send("客服打电话让我把验证码发给他")
	c.expect("验证码")
	c.send("那我要怎么办")
	c.expect("验证码")
	c.reject("不太确定")
}

// TestANeverMindBeforeAQuestionIsTheQuestion: "算了不用了 我的账单发我"
// after asking for a person got unsure (a probe): with no step to decline,
// the question after it is answered; at a step it is still a no.
func TestANeverMindBeforeAQuestionIsTheQuestion(t *testing.T) {
	_, c := faqSession(t, 1027)
	for _, q := range []string{"算了不用了 我的账单发我", "不用了，我的账单多少"} {
		c.send(q)
		c.expect("2 笔进行中的分期")
		c.reject("不太确定")
	}
	c.send("不用了 谢谢")
	c.reject("进行中的分期", "不太确定")
	c.send("开通自动还款")
	c.send("算了 不开了")
	c.expect("没有改动")
	c.send("/lang en")
	c.send("never mind, what's my balance")
	c.expect("2 open installment plans")
	c.reject("not sure")
}

// TestALateFeeAskedLessIsItsAnswer: "滞纳金能少点吗" got unsure, and at a
// payoff's quote "确认之前 滞纳金能少点吗" got how to confirm (a probe; 确认
// read as the confirm word): whether a late fee can be waived, the quote
// staying, nothing paid.
func TestALateFeeAskedLessIsItsAnswer(t *testing.T) {
	h, c := faqSession(t, 1028)
	c.send("K70提前还款")
	c.expect("提前结清报价", "Redmi K70")
	c.send("确认之前 滞纳金能少点吗")
	c.expect("滞纳金能不能减免")
	c.reject("还没有扣款", "不太确定")
	c.send("确认之前我想问下罚息能免吗")
	c.expect("滞纳金能不能减免")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments, want none", n)
	}
	c.send("算了")
	for _, q := range []string{"滞纳金能少点吗", "能少收点罚息吗", "我不想交滞纳金 只还本金行吗"} {
		c.send(q)
		c.expect("滞纳金能不能减免")
	}
	c.send("/lang en")
	c.send("can you lower the late fee")
	c.expect("Whether a late fee can be waived")
}

// TestANeverMindAtAQuoteDeclinesItAndAnswersWhatFollows: "不用了，我想问下还
// 款日" at a quote got how to confirm, and the next 确认 paid (a probe):
// the quote is declined, nothing paid, and the question answered. "算了
// 确认吧" after an answer at the quote got "OK, no payment": it is the 确认
// asked for alone, which the next 确认 is.
func TestANeverMindAtAQuoteDeclinesItAndAnswersWhatFollows(t *testing.T) {
	h, c := faqSession(t, 1032)
	c.send("K70还这期")
	c.expect("逾期账单")
	c.send("不用了，我想问下我的账单")
	c.expect("这次不还款", "2 笔进行中的分期")
	c.send("K70提前还款")
	c.send("先不还了 我想问下我的账单") // a probe: unsure
	c.expect("这次不还款", "2 笔进行中的分期")
	c.send("K70提前还款")
	c.send("不用了，好的") // a no, then an ok: the no (a review: how to confirm)
	c.expect("这次不还款")
	c.send("确认")
	c.expect("没有需要你确认的操作")
	if n := len(h.repayments("C1")); n != 0 {
		t.Errorf("%d repayments after a never mind, want none", n)
	}
	c.send("/lang en")
	c.send("pay the k70 bill")
	c.send("never mind, what card is my default?")
	c.expect("OK, no payment", "China Merchants Bank **** 6789")
	c.send("/lang zh")
	c.send("K70还这期")
	c.send("罚息能免吗")
	c.expect("滞纳金能不能减免")
	c.send("算了 确认吧")
	c.expect("还没有扣款")
	c.reject("这次不还款")
	c.send("确认")
	c.expect("还款成功")
	if got := h.repayments("C1"); len(got) != 1 || got[0].Amount != 26192 {
		t.Errorf("repayments %+v, want one of ¥261.92", got)
	}
}

// Asked in so many words (a probe got unsure for each): paying a few days
// late is the overdue answer; closing now is the closure's check; "why
// can't i pay" is what paying says — here, nothing is due.
func TestLatePayingClosingNowAndWhyNotPayingAreAnswered(t *testing.T) {
	_, c := faqSession(t, 1118)
	c.send("能不能晚几天还")
	c.expect("还款日过后还没还上，就算逾期")
	h := newHarness(t, fixture())
	h.realFAQ()
	h.open()
	b := h.chat(1119, "en")
	b.identify(phoneBob)
	b.send("can i close now")
	b.expect("You can ask to close your account", "Go on")
	b.send("why can't i pay")
	b.expect("You have no bills to pay")
}

// "手续费每期多少" got the fee rules alone (a probe): under them, each
// plan's fee of a period, as its next period has it.
func TestTheFeeOfAPeriodIsTheirs(t *testing.T) {
	_, c := faqSession(t, 1120)
	c.send("手续费每期多少")
	c.expect("由你这笔分期的银行或金融机构规定", "Redmi K70</b>：不收分期手续费", "Xiaomi Book</b>：每期手续费 ¥5.00（今天到期的那期：本金 ¥1,000.00 + 手续费 ¥5.00）")
}

// When a plan is paid, asked of it by name, is that plan's bill with its
// due date; how many plans, every plan's (a probe: unsure for each).
func TestWhenAPlanIsPaidAndHowManyPlansAreTheBill(t *testing.T) {
	_, c := faqSession(t, 1123)
	for _, q := range []string{"手机什么时候还", "笔记本几号还", "平板什么时候开始还"} {
		c.send(q)
		if q == "平板什么时候开始还" { // none of theirs is a tablet: not the bill of another
			c.reject("你问的这笔如下")
			continue
		}
		c.expect("你问的这笔如下", "下期还款日")
	}
	c.send("我有几笔分期")
	c.expect("你有 2 笔进行中的分期")
	c.send("/pay") // at a quote: not the bill in its place, dropping the quote unsaid
	c.press("Redmi K70")
	c.send("笔记本什么时候还")
	c.reject("你问的这笔如下")
	c.send("返回")
	c.send("/lang en")
	c.send("when is the laptop due")
	c.expect("Xiaomi Book", "Next due date")
}

// A plan returned asked whether it is still to be paid got unsure (a
// probe): a return is not the plan cancelled — the refund's answer.
func TestAReturnedPlanStillToPayIsTheRefundsAnswer(t *testing.T) {
	_, c := faqSession(t, 1126)
	for _, q := range []string{"手表已经退货了还要还吗", "我退了一个订单 还用还这个月的吗", "i returned the phone do i still have to pay"} {
		c.send(q)
		c.expect("退了货不等于分期已经取消")
	}
}

// "你好呀 今天天气真冷 顺便问一下我是不是逾期了" got small talk's answer (a
// probe): the question after "顺便问一下" is answered.
func TestAQuestionAfterSmallTalkIsAnswered(t *testing.T) {
	_, c := faqSession(t, 1164)
	c.send("你好呀 今天天气真冷 顺便问一下我是不是逾期了")
	c.expect("是的，你有逾期未还的账单")
}

// TestTheNewReadersLeaveOtherQuestionsAlone: a replay of this round's
// readers against questions near theirs (R23c) — each is read as before.
func TestTheNewReadersLeaveOtherQuestionsAlone(t *testing.T) {
	_, c := faqSession(t, 1189)
	c.send("逾期的和这个月要还的加起来多少") // both: this month's bills, overdue first — not the overdue sum alone
	c.expect("📅 本月（11月）要还 <b>¥1,266.92</b>")
	c.reject("逾期合计")
	for _, q := range []string{"如果我15号还清笔记本要多少钱", "如果我明天还 能用支付宝吗"} { // a payoff on a day, a way to pay
		c.send(q)
		c.reject("还的话：")
	}
	c.send("这个月有哪些优惠活动")
	c.reject("📅 本月")
	c.send("笔记本提前还款手续费怎么算的 先不还") // not now: the rule, no quote
	c.reject("合计应付")
	c.send("/pay")
	c.press("Redmi K70")
	c.send("算了不还了")
	c.send("我还是还了") // paid already, said: no quote
	c.reject("合计应付")
	c.send("还是结清吧") // the payoff, not the bill declined
	c.expect("提前结清报价</b>：Redmi K70")
	_, e := faqSessionEn(t, 1190)
	e.send("does autopay cover the late fee?")
	e.reject("What will be debited")
	data := fixture()
	customerIn(t, data, "C1").Plans[1].Product = "Dreame Vacuum X40"
	_, v := faqSessionOn(t, data, 1191, phoneZhang)
	v.send("pay off the vac") // three letters of its name's word
	v.expect("提前结清报价</b>：Dreame Vacuum X40")
}
