package flows_test

import (
	"context"
	"testing"

	"supportbot"
)

// FuzzEngine: no text, command or button data, in any order after a linked
// chat's start, panics the engine or fails a step.
func FuzzEngine(f *testing.F) {
	for _, seed := range []struct{ kind, text string }{
		{"text", "我的账单"}, {"command", "repay"}, {"button", "s:abcdef:repay:ok:QXXXX"}, {"button", "m:repay:P2"},
		{"button", "v:sched:P1"}, {"button", "l:en"}, {"button", "s:::"}, {"command", "lang"}, {"text", "确认"},
		{"button", "m:close"}, {"command", "cancel_schedule"}, {"text", "1"}, {"button", "x"}, {"command", "closure_status"},
	} {
		f.Add(seed.kind, seed.text)
	}
	h := newHarness(f, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	f.Fuzz(func(t *testing.T, kind, text string) {
		ev := supportbot.Event{ChatID: 100, UserID: 100, Kind: supportbot.EventKind(kind), Text: text, Data: text}
		if _, err := h.eng.Handle(context.Background(), ev); err != nil {
			t.Fatalf("%s %q: %v", kind, text, err)
		}
	})
}
