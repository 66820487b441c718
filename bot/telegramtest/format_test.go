package telegramtest_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot/bot/telegramtest"
)

type ent = telegramtest.Entity

func TestHTMLAccepted(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	for _, tc := range []struct {
		name, html, text string
		ents             []ent
	}{
		{"bold amount", "Total: <b>¥1,249.63</b>", "Total: ¥1,249.63",
			[]ent{{Type: "bold", Offset: 7, Length: 9}}},
		{"nested and code", "<b>bold <i>both</i></b> <code>A-1</code>", "bold both A-1",
			[]ent{{Type: "bold", Offset: 0, Length: 9}, {Type: "italic", Offset: 5, Length: 4}, {Type: "code", Offset: 10, Length: 3}}},
		{"synonyms", "<strong>a</strong><em>b</em><ins>c</ins><del>d</del><strike>e</strike><s>f</s><u>g</u>", "abcdefg",
			[]ent{{Type: "bold", Offset: 0, Length: 1}, {Type: "italic", Offset: 1, Length: 1}, {Type: "underline", Offset: 2, Length: 1},
				{Type: "strikethrough", Offset: 3, Length: 1}, {Type: "strikethrough", Offset: 4, Length: 1},
				{Type: "strikethrough", Offset: 5, Length: 1}, {Type: "underline", Offset: 6, Length: 1}}},
		{"emoji counts two UTF-16 units", "😀 <b>x</b>", "😀 x", []ent{{Type: "bold", Offset: 3, Length: 1}}},
		{"CJK counts one", "订单 <code>A1</code> 已付", "订单 A1 已付", []ent{{Type: "code", Offset: 3, Length: 2}}},
		{"emoji inside", "<i>👍🏽ok</i>", "👍🏽ok", []ent{{Type: "italic", Offset: 0, Length: 6}}},
		{"entities", "&lt;Bob&gt; &amp; &quot;x&quot; &#65;&#x42;&#X43; &#128512;", `<Bob> & "x" ABC 😀`, nil},
		{"bare > is text", "a > b", "a > b", nil},
		{"link", `<a href="https://example.com">site</a>`, "site",
			[]ent{{Type: "text_link", Offset: 0, Length: 4, URL: "https://example.com/"}}},
		{"link with escaped query", `<a href="https://e.com/p?a=1&amp;b=2">x</a>`, "x",
			[]ent{{Type: "text_link", Offset: 0, Length: 1, URL: "https://e.com/p?a=1&b=2"}}},
		{"mention", `<a href="tg://user?id=42">Ann</a>`, "Ann", []ent{{Type: "text_mention", Offset: 0, Length: 3, UserID: 42}}},
		{"pre with language", `<pre><code class="language-go">x := 1</code></pre>`, "x := 1",
			[]ent{{Type: "pre", Offset: 0, Length: 6, Language: "go"}}},
		{"plain pre", "<pre>a\n b</pre>", "a\n b", []ent{{Type: "pre", Offset: 0, Length: 4}}},
		{"spoilers", `<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>`, "ab",
			[]ent{{Type: "spoiler", Offset: 0, Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}}},
		{"quotes", "<blockquote>q</blockquote>\n<blockquote expandable>long</blockquote>", "q\nlong",
			[]ent{{Type: "blockquote", Offset: 0, Length: 1}, {Type: "expandable_blockquote", Offset: 2, Length: 4}}},
		{"custom emoji", `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍",
			[]ent{{Type: "custom_emoji", Offset: 0, Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{"nothing inside code", "<code><b>x</b></code>", "x", []ent{{Type: "code", Offset: 0, Length: 1}}},
		{"empty tags vanish", "<b></b>x", "x", nil},
		{"upper-case start tag", "<B>x</b>", "x", []ent{{Type: "bold", Offset: 0, Length: 1}}},
		{"spaces in tags", "<b >x</b >", "x", []ent{{Type: "bold", Offset: 0, Length: 1}}},
		{"4096 after parsing", "<b>" + strings.Repeat("я", 4096) + "</b>", strings.Repeat("я", 4096),
			[]ent{{Type: "bold", Offset: 0, Length: 4096}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := tgbotapi.NewMessage(42, tc.html)
			msg.ParseMode = tgbotapi.ModeHTML
			got, err := bot.Send(msg)
			if err != nil {
				t.Fatalf("send %q: %v", tc.html, err)
			}
			if got.Text != tc.text {
				t.Errorf("returned text = %q, want %q", got.Text, tc.text)
			}
			if len(got.Entities) != len(tc.ents) {
				t.Errorf("returned entities = %+v, want %d", got.Entities, len(tc.ents))
			}
			sent := srv.Sent()
			last := sent[len(sent)-1]
			if last.Text != tc.html || last.Plain != tc.text {
				t.Errorf("stored Text/Plain = %q/%q, want %q/%q", last.Text, last.Plain, tc.html, tc.text)
			}
			if !slices.Equal(last.Entities, tc.ents) {
				t.Errorf("stored entities = %+v, want %+v", last.Entities, tc.ents)
			}
		})
	}
}

func TestHTMLRejected(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	for _, tc := range []struct{ html, desc string }{
		{"AT&T", `Character '&' at byte offset 2 must be escaped as "&amp;"`},
		{"a &foo; b", `Character '&' at byte offset 2 must be escaped as "&amp;"`},
		{"&#0;", `Character '&' at byte offset 0 must be escaped as "&amp;"`},
		{"a < b", `Unsupported start tag "" at byte offset 2`},
		{"1 <2>", `Unsupported start tag "2" at byte offset 2`},
		{"1 <2", `Unclosed start tag at byte offset 2`},
		{"a <", `Unclosed start tag at byte offset 2`},
		{"<foo>x</foo>", `Unsupported start tag "foo" at byte offset 0`},
		{"<br/>x", `Unsupported start tag "br/" at byte offset 0`},
		{"<b>x", `Can't find end tag corresponding to start tag "b"`},
		{"<b><i>x</b></i>", `Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"x</b>", `Unexpected end tag at byte offset 1`},
		{"<b>x</b", `Unclosed end tag at byte offset 4`},
		{`<b class="x">y</b>`, `Unsupported attribute "class" in the tag "b" at byte offset 0`},
		{`<a title="t" href="https://e.com">y</a>`, `Unsupported attribute "title" in the tag "a" at byte offset 0`},
		{`<span>x</span>`, `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{`<span class="big">x</span>`, `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{`<a href="https://e.com/?a=1&b=2">x</a>`, `Character '&' at byte offset 27 must be escaped as "&amp;"`},
		{`<a href>x</a>`, `Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0`},
		{`<tg-emoji emoji-id="abc">👍</tg-emoji>`, `Invalid custom emoji identifier specified`},
	} {
		t.Run(tc.html, func(t *testing.T) {
			msg := tgbotapi.NewMessage(42, tc.html)
			msg.ParseMode = tgbotapi.ModeHTML
			_, err := bot.Send(msg)
			wantAPIError(t, err, 400, "Bad Request: can't parse entities: "+tc.desc)
		})
	}
	if n := len(srv.Sent()); n != 0 {
		t.Errorf("rejected messages were stored: %d", n)
	}

	long := tgbotapi.NewMessage(42, "<b>"+strings.Repeat("я", 4097)+"</b>")
	long.ParseMode = tgbotapi.ModeHTML
	_, err := bot.Send(long)
	wantAPIError(t, err, 400, "Bad Request: message is too long")
	empty := tgbotapi.NewMessage(42, "<b> </b>")
	empty.ParseMode = tgbotapi.ModeHTML
	_, err = bot.Send(empty)
	wantAPIError(t, err, 400, "Bad Request: message text is empty")
	caption := tgbotapi.NewPhoto(42, tgbotapi.FileID("AgAC"))
	caption.Caption, caption.ParseMode = "<i>"+strings.Repeat("x", 1025)+"</i>", tgbotapi.ModeHTML
	_, err = bot.Send(caption)
	wantAPIError(t, err, 400, "Bad Request: message caption is too long")
}

func TestHTMLEscapedDynamicValues(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	// What a template does with names full of markup characters: html.EscapeString.
	name := `<Ann & "Bob"> *_ 'x' 😀`
	escaped := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(name)
	msg := tgbotapi.NewMessage(42, fmt.Sprintf("Hi <b>%s</b>, you owe <b>¥12.35</b>", escaped))
	msg.ParseMode = tgbotapi.ModeHTML
	if _, err := bot.Send(msg); err != nil {
		t.Fatal(err)
	}
	m := srv.SentTo(42)[0]
	if got, want := m.Styled("bold"), []string{name, "¥12.35"}; !slices.Equal(got, want) {
		t.Errorf("bold parts = %q, want %q", got, want)
	}
	if want := "Hi " + name + ", you owe ¥12.35"; m.Plain != want {
		t.Errorf("plain = %q, want %q", m.Plain, want)
	}
}

func TestMarkdownV2(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	for _, tc := range []struct {
		md, text, desc string
		ents           []ent
	}{
		{md: `*bold* _it_ __u__ ~s~ ||sp|| \.`, text: "bold it u s sp .", ents: []ent{
			{Type: "bold", Offset: 0, Length: 4}, {Type: "italic", Offset: 5, Length: 2}, {Type: "underline", Offset: 8, Length: 1},
			{Type: "strikethrough", Offset: 10, Length: 1}, {Type: "spoiler", Offset: 12, Length: 2}}},
		{md: "`a.b` [site](https://e.com/x\\)y)", text: "a.b site", ents: []ent{
			{Type: "code", Offset: 0, Length: 3}, {Type: "text_link", Offset: 4, Length: 4, URL: "https://e.com/x)y"}}},
		{md: "```go\nx := 1\n```", text: "x := 1\n", ents: []ent{{Type: "pre", Offset: 0, Length: 7, Language: "go"}}},
		{md: "😀 *x*", text: "😀 x", ents: []ent{{Type: "bold", Offset: 3, Length: 1}}},
		{md: ">quoted\n>more\nafter", text: "quoted\nmore\nafter", ents: []ent{{Type: "blockquote", Offset: 0, Length: 11}}},
		{md: "Order 1.5", desc: `Character '.' is reserved and must be escaped with the preceding '\'`},
		{md: "*open", desc: "Can't find end of Bold entity at byte offset 0"},
		{md: "a _b", desc: "Can't find end of Italic entity at byte offset 2"},
		{md: "[x](https://e.com", desc: "Can't find end of a URL at byte offset 4"},
	} {
		t.Run(tc.md, func(t *testing.T) {
			msg := tgbotapi.NewMessage(42, tc.md)
			msg.ParseMode = tgbotapi.ModeMarkdownV2
			_, err := bot.Send(msg)
			if tc.desc != "" {
				wantAPIError(t, err, 400, "Bad Request: can't parse entities: "+tc.desc)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sent := srv.Sent()
			last := sent[len(sent)-1]
			if last.Plain != tc.text || !slices.Equal(last.Entities, tc.ents) {
				t.Errorf("got %q %+v, want %q %+v", last.Plain, last.Entities, tc.text, tc.ents)
			}
		})
	}
}

func TestExplicitEntities(t *testing.T) {
	srv := telegramtest.Start(t)
	bot := srv.Bot(t)
	msg := tgbotapi.NewMessage(42, "pay 12.35 now")
	msg.Entities = []tgbotapi.MessageEntity{{Type: "bold", Offset: 4, Length: 5}}
	if _, err := bot.Send(msg); err != nil {
		t.Fatal(err)
	}
	if got := srv.SentTo(42)[0].Styled("bold"); !slices.Equal(got, []string{"12.35"}) {
		t.Errorf("bold = %q, want [12.35]", got)
	}
}
