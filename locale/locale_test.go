package locale_test

import (
	"strings"
	"testing"

	"supportbot"
	"supportbot/locale"
)

func TestCataloguesAgree(t *testing.T) {
	c, err := locale.Load() // fails if a key or placeholder is missing in one language
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range c.Keys() {
		for _, lang := range []supportbot.Lang{supportbot.LangZH, supportbot.LangEN} {
			if strings.TrimSpace(c.T(lang, k)) == "" {
				t.Errorf("%s/%s is empty", lang, k)
			}
		}
	}
}

func TestRenderFillsPlaceholders(t *testing.T) {
	c, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.T(supportbot.LangEN, "identify.done", "name", "Bob"), "✅ Verified. Hello, Bob!"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := c.T(supportbot.LangZH, "identify.done", "name", "张伟"), "✅ 验证成功，张伟，你好！"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := c.T(supportbot.LangEN, "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key renders %q", got)
	}
}

// Banks and financing partners are named in English in English messages,
// in the data's own words otherwise.
func TestNamesInEnglish(t *testing.T) {
	for _, tt := range []struct {
		lang       supportbot.Lang
		name, want string
	}{
		{supportbot.LangEN, "招商银行 **** 6789", "China Merchants Bank **** 6789"},
		{supportbot.LangEN, "中国农业银行 **** 5555", "Agricultural Bank of China **** 5555"},
		{supportbot.LangEN, "中国银行 **** 1234", "Bank of China **** 1234"},
		{supportbot.LangEN, "招联金融", "Merchants Union Consumer Finance"},
		{supportbot.LangEN, "HSBC China **** 9012", "HSBC China **** 9012"},
		{supportbot.LangEN, "某某村镇银行 **** 1111", "某某村镇银行 **** 1111"}, // unknown: as it is
		{supportbot.LangZH, "招商银行 **** 6789", "招商银行 **** 6789"},
	} {
		if got := locale.NameIn(tt.lang, tt.name); got != tt.want {
			t.Errorf("NameIn(%s, %q) = %q, want %q", tt.lang, tt.name, got, tt.want)
		}
	}
}
