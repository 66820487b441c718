package locale_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot"
	"supportbot/bot/telegramtest"
	"supportbot/locale"
)

// What a customer's name, a product or an FAQ answer can hold: everything
// Telegram's HTML and Markdown care about, quotes, Chinese and an emoji.
const nasty = `<b>&"客户"*_😀</i>&amp;'`

var langs = []supportbot.Lang{supportbot.LangZH, supportbot.LangEN}

func load(t *testing.T) *locale.Catalog {
	t.Helper()
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// raw is a text as the catalogue has it: rendered without arguments, every
// placeholder stays as written.
func raw(c *locale.Catalog, lang supportbot.Lang, key string) string { return c.T(lang, key) }

var placeholderRE = regexp.MustCompile(`\{([a-z_0-9]+)(\|[^{}|]*\|[^{}|]*)?\}`)

// names are the placeholders of a text, values and plural choices alike.
func names(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholderRE.FindAllStringSubmatch(s, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// TestEveryTextIsValidTelegramHTML renders every key in both languages with
// every placeholder filled with hostile text (and with counts 1 and 2, for the
// plural forms), and checks that Telegram would accept the result with
// parse_mode HTML: known tags, balanced, every '&' an entity, no bare '<' or
// '>'; and that the hostile text comes out escaped, exactly as typed.
func TestEveryTextIsValidTelegramHTML(t *testing.T) {
	c := load(t)
	for _, k := range c.Keys() {
		for _, lang := range langs {
			ns := names(raw(c, lang, k))
			for _, fill := range []string{nasty, "1", "2"} {
				var args []any
				for _, n := range ns {
					args = append(args, n, fill)
				}
				got := c.T(lang, k, args...)
				if err := checkHTML(got); err != nil {
					t.Errorf("%s/%s with %q: %v\n%s", lang, k, fill, err, got)
					continue
				}
				if strings.Contains(got, "{") && placeholderRE.MatchString(got) {
					t.Errorf("%s/%s: a placeholder was left unfilled: %s", lang, k, got)
				}
				if fill == nasty && len(ns) > 0 && !strings.Contains(locale.Plain(got), nasty) {
					t.Errorf("%s/%s: the value does not read back as typed: %q", lang, k, locale.Plain(got))
				}
			}
		}
	}
}

// allowedTags are the tags Telegram's HTML parse mode takes that the
// catalogues may use.
var allowedTags = map[string]bool{"b": true, "i": true, "u": true, "s": true, "code": true, "pre": true,
	"a": true, "blockquote": true, "tg-spoiler": true}

var entityRE = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});`)

// checkHTML is Telegram's HTML parse mode, as far as the catalogues need it.
func checkHTML(s string) error {
	var stack []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '&':
			m := entityRE.FindString(s[i:])
			if m == "" {
				return fmt.Errorf("bare '&' at byte %d", i)
			}
			i += len(m)
		case '>':
			return fmt.Errorf("bare '>' at byte %d", i)
		case '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return fmt.Errorf("bare '<' at byte %d", i)
			}
			tag := s[i+1 : i+end]
			i += end + 1
			if name, ok := strings.CutPrefix(tag, "/"); ok {
				if len(stack) == 0 || stack[len(stack)-1] != name {
					return fmt.Errorf("unbalanced </%s> (open: %v)", name, stack)
				}
				stack = stack[:len(stack)-1]
				continue
			}
			name, attrs, _ := strings.Cut(tag, " ")
			if !allowedTags[name] {
				return fmt.Errorf("tag <%s> is not one Telegram takes (or a bare '<')", tag)
			}
			switch {
			case name == "a" && !regexp.MustCompile(`^href="[^"<>&]+"$`).MatchString(attrs):
				return fmt.Errorf("<a> needs one href: <%s>", tag)
			case name != "a" && attrs != "":
				return fmt.Errorf("<%s> takes no attributes here", tag)
			}
			if n := len(stack); n > 0 && (stack[n-1] == "code" || stack[n-1] == "pre") {
				return fmt.Errorf("<%s> inside <%s>", name, stack[n-1])
			}
			stack = append(stack, name)
		default:
			i++
		}
	}
	if len(stack) > 0 {
		return fmt.Errorf("unclosed %v", stack)
	}
	if strings.TrimSpace(locale.Plain(s)) == "" {
		return fmt.Errorf("empty message")
	}
	return nil
}

func TestCheckHTMLCatchesWhatTelegramRefuses(t *testing.T) {
	for _, bad := range []string{"a < b", "a > b", "R&D", "<b>x", "x</b>", "<b><i>x</b></i>", "<span>x</span>",
		"<code><b>x</b></code>", "<a>x</a>", "&nbsp;"} {
		if checkHTML(bad) == nil {
			t.Errorf("checkHTML accepts %q", bad)
		}
	}
	for _, good := range []string{"a &lt; b &amp;&gt; &quot;c&quot; &#128512;", "<b>¥1.00</b> <code>CR-1</code>",
		"<b><i>x</i></b>", `<a href="https://example.com">x</a>`} {
		if err := checkHTML(good); err != nil {
			t.Errorf("checkHTML refuses %q: %v", good, err)
		}
	}
}

// labels are keys shown as button labels (plain text: the bot drops tags).
func isLabel(k string) bool {
	return strings.HasPrefix(k, "btn.") || strings.Contains(k, ".btn_") ||
		strings.HasPrefix(k, "menu.") && k != "menu.greeting" && k != "menu.again"
}

// nested are texts the code renders and then fills into another text as a
// plain value (escaped again): {line}, {status}, {when}, {time}, a notice's
// {reason}, a button's part. They must hold no markup and nothing to escape.
var nested = []string{"cancel.item", "cancel.item_started", "day.at", "autopay.on", "autopay.on_no_card", "autopay.off", "remind.in_days",
	"remind.today", "remind.tomorrow", "day.today", "day.tomorrow", "pay.plan_current", "pay.plan_overdue",
	"pay.plan_busy", "cancel.refuse_processing_short", "cancel.refuse_done_short", "cancel.refuse_cancelled_short",
	"cancel.refuse_soon_short", "cancel.refuse_failed_short", "cards.default_mark", "cards.frozen_mark"}

// TestLabelsArePlainAndShort: button labels carry no HTML and fit a button.
func TestLabelsArePlainAndShort(t *testing.T) {
	c := load(t)
	plain := map[string]bool{}
	for _, k := range nested {
		if !c.Has(k) {
			t.Errorf("nested text %s is not in the catalogue", k)
		}
		plain[k] = true
	}
	for _, k := range c.Keys() {
		if !isLabel(k) && !plain[k] {
			continue
		}
		for _, lang := range langs {
			s := raw(c, lang, k)
			if strings.ContainsAny(s, "<>&") {
				t.Errorf("%s/%s is shown as plain text but holds markup or '&': %q", lang, k, s)
			}
			if !isLabel(k) {
				continue
			}
			bare := placeholderRE.ReplaceAllString(s, "")
			han, all := 0, 0
			for _, r := range bare {
				all++
				if unicode.Is(unicode.Han, r) {
					han++
				}
			}
			if lang == supportbot.LangZH && han > 20 || all > 30 {
				t.Errorf("%s/%s is too long for a button: %q", lang, k, s)
			}
		}
	}
}

// TestLeavingAndCancellingAreDifferentWords: "返回"/"Back" leaves a step;
// only the cancel flow's action (and the menu entry that starts it) says
// cancel.
func TestLeavingAndCancellingAreDifferentWords(t *testing.T) {
	c := load(t)
	if got := c.T(supportbot.LangZH, "btn.cancel"); got != "返回" {
		t.Errorf("zh btn.cancel = %q, want 返回", got)
	}
	if got := c.T(supportbot.LangEN, "btn.cancel"); got != "Back" {
		t.Errorf("en btn.cancel = %q, want Back", got)
	}
	if got := c.T(supportbot.LangZH, "cancel.btn_confirm"); !strings.Contains(got, "取消这笔预约还款") {
		t.Errorf("zh cancel.btn_confirm = %q", got)
	}
	if got := c.T(supportbot.LangEN, "cancel.btn_confirm"); !strings.Contains(got, "Cancel this repayment") {
		t.Errorf("en cancel.btn_confirm = %q", got)
	}
	for _, k := range c.Keys() {
		if !isLabel(k) || k == "cancel.btn_confirm" || k == "menu.cancel" {
			continue
		}
		for _, lang := range langs {
			if s := raw(c, lang, k); strings.Contains(s, "取消") || strings.Contains(strings.ToLower(s), "cancel") {
				t.Errorf("%s/%s says cancel but is not the cancel action: %q", lang, k, s)
			}
		}
	}
}

// halfWidth is the ASCII punctuation Chinese text writes full-width.
var halfWidth = regexp.MustCompile(`[,:;?!()"]|[^0-9]\.`)

// zhExempt are spans where ASCII punctuation is right in Chinese text: codes,
// commands, numbers, times and amounts.
var zhExempt = []*regexp.Regexp{
	regexp.MustCompile(`<code>.*?</code>`),
	regexp.MustCompile(`<[^>]*>`),
	regexp.MustCompile(`/[a-z_]+`),
	regexp.MustCompile(`[0-9][.,:][0-9]`),
}

// TestChineseUsesFullWidthPunctuation: ，。：；？！（）「」 in every zh text,
// ASCII only inside numbers, times, amounts, commands and codes.
func TestChineseUsesFullWidthPunctuation(t *testing.T) {
	c := load(t)
	for _, k := range c.Keys() {
		s := placeholderRE.ReplaceAllString(raw(c, supportbot.LangZH, k), "0")
		for _, re := range zhExempt {
			s = re.ReplaceAllString(s, " ")
		}
		if m := halfWidth.FindString(s); m != "" {
			t.Errorf("zh/%s has half-width %q: %s", k, m, raw(c, supportbot.LangZH, k))
		}
		// and the other way round: no Chinese punctuation in English text
		if en := raw(c, supportbot.LangEN, k); strings.ContainsAny(en, "，。：；？！（）「」") {
			t.Errorf("en/%s has full-width punctuation: %s", k, en)
		}
	}
}

// counts are the placeholders that hold a number of things; in English each
// must choose its noun with a plural form ({count|plan|plans}) in its text.
// "periods" is a count in these keys only (elsewhere it is a list: "6, 7").
// ("hours" is a count only in closure.ask_id; elsewhere it is business hours.)
var counts = map[string]bool{"count": true, "settled": true, "tries": true, "minutes": true, "days": true, "rating": true}
var countIn = map[string][]string{"bill.progress": {"periods"}, "closure.ask_id": {"hours"}}

// notNouns are counts followed by no noun of their own in English, so no
// plural form: "{min}–{max} business days" is a range, never one day.
var notNouns = map[string][]string{"closure.submitted": {"min", "max"}}

func TestEnglishCountsUsePluralForms(t *testing.T) {
	c := load(t)
	for _, k := range c.Keys() {
		en := raw(c, supportbot.LangEN, k)
		if strings.Contains(en, "(s)") {
			t.Errorf("en/%s writes a plural as (s): %s", k, en)
		}
		for _, n := range names(en) {
			if !counts[n] && !contains(countIn[k], n) {
				continue
			}
			if !strings.Contains(en, "{"+n+"|") {
				t.Errorf("en/%s: the count {%s} has no plural form: %s", k, n, en)
			}
		}
		// a placeholder right before a plural noun is a count this test knows
		for _, m := range regexp.MustCompile(`\{([a-z_]+)\} ([a-z]+)`).FindAllStringSubmatch(en, -1) {
			n, word := m[1], m[2]
			verb := contains([]string{"is", "was", "has", "does", "this", "plus"}, word)
			if strings.HasSuffix(word, "s") && !verb && !counts[n] && !contains(countIn[k], n) && !contains(notNouns[k], n) {
				t.Errorf("en/%s: {%s} %s — a count? add it to counts, with a plural form", k, n, word)
			}
		}
	}
	for _, tc := range []struct {
		key  string
		args []any
		want string
	}{
		{"bill.header", []any{"count", 1, "total", "¥1.00"}, "1 open installment plan,"},
		{"bill.header", []any{"count", 2, "total", "¥1.00"}, "2 open installment plans,"},
		{"repay.done_cancelled", []any{"count", 1}, "1 scheduled repayment of this plan was cancelled"},
		{"repay.done_cancelled", []any{"count", 3}, "3 scheduled repayments of this plan were cancelled"},
		{"closure.ask_id", []any{"tries", 1, "hours", 24}, "You have 1 try left"},
		{"closure.id_wrong", []any{"tries", 2}, "You have 2 tries left"},
		{"remind.on", []any{"days", "3 and 1", "hour", "09"}, "3 and 1 days before"},
		{"remind.on", []any{"days", "1", "hour", "09"}, "1 day before"},
		{"bill.settled_count", []any{"settled", 1}, "1 other plan is paid off"},
	} {
		if got := c.T(supportbot.LangEN, tc.key, tc.args...); !strings.Contains(got, tc.want) {
			t.Errorf("%s %v = %q, want it to contain %q", tc.key, tc.args, got, tc.want)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestOneTermPerConcept keeps the glossary: scheduled repayment (never a
// booking), auto-repayment, a person / 人工客服; no claim the data does not
// support (late fees are a flat fee per period; fees are waived only where
// the code knows there are some).
func TestOneTermPerConcept(t *testing.T) {
	c := load(t)
	enBanned := []string{"booking", "appointment", "auto-repay ", "auto-repay.", "auto-repay)", "auto-repay\"",
		"auto-repay,", "auto-repay;", "a human", "accrue", "daily", "every day"}
	zhBanned := []string{"每天", "按日", "预订", "约定"}
	for _, k := range c.Keys() {
		en, zh := strings.ToLower(raw(c, supportbot.LangEN, k)), raw(c, supportbot.LangZH, k)
		for _, b := range enBanned {
			if strings.Contains(en, b) {
				t.Errorf("en/%s says %q: %s", k, b, en)
			}
		}
		for _, b := range zhBanned {
			if strings.Contains(zh, b) {
				t.Errorf("zh/%s says %q: %s", k, b, zh)
			}
		}
		if i := strings.Index(zh, "转人工"); i >= 0 && !strings.HasPrefix(zh[i:], "转人工客服") {
			t.Errorf("zh/%s: the term is 转人工客服: %s", k, zh)
		}
		if k != "repay.quote_waived" && (strings.Contains(en, "waive") || strings.Contains(zh, "免除") || strings.Contains(zh, "免收")) {
			t.Errorf("%s claims fees are waived; only repay.quote_waived may, shown when some are: %s", k, en)
		}
	}
}

// TestEveryTextPassesTheFakeBotAPI sends every text, filled with hostile
// values, through the repository's fake Bot API with parse_mode HTML: it must
// be accepted, and the customer must read exactly what Plain says (the
// values as typed, no tag or entity showing).
func TestEveryTextPassesTheFakeBotAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the fake Bot API")
	}
	c := load(t)
	bot := telegramtest.Start(t).Bot(t)
	for _, k := range c.Keys() {
		for _, lang := range langs {
			var args []any
			for _, n := range names(raw(c, lang, k)) {
				args = append(args, n, nasty)
			}
			text := c.T(lang, k, args...)
			msg := tgbotapi.NewMessage(42, text)
			msg.ParseMode = tgbotapi.ModeHTML
			got, err := bot.Send(msg)
			if err != nil {
				t.Errorf("%s/%s refused: %v\n%s", lang, k, err, text)
				continue
			}
			if want := locale.Plain(text); got.Text != want {
				t.Errorf("%s/%s reads %q, want %q", lang, k, got.Text, want)
			}
		}
	}
}
