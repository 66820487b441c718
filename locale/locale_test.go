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
