package flows_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"supportbot"
)

// FuzzEngine: no text, command or button data, in any order after a linked
// chat's start, panics the engine, fails a step or leaves the chat without
// an answer; and nothing the customer typed is kept unmasked.
func FuzzEngine(f *testing.F) {
	for _, seed := range []struct{ kind, text string }{
		{"text", "我的账单"}, {"command", "repay"}, {"button", "s:abcdef:repay:ok:QXXXX"}, {"button", "m:repay:P2"},
		{"button", "v:sched:P1"}, {"button", "l:en"}, {"button", "s:::"}, {"command", "lang"}, {"text", "确认"},
		{"button", "m:close"}, {"command", "cancel_schedule"}, {"text", "1"}, {"button", "x"}, {"command", "closure_status"},
		{"text", "6222 0212 3456 7890 123"}, {"command", "pay"}, {"button", "m:pay:P4"}, {"button", "s:zzzzzz:cancel:ok:S9"},
	} {
		f.Add(seed.kind, seed.text)
	}
	h := newHarness(f, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	f.Fuzz(func(t *testing.T, kind, text string) {
		ev := supportbot.Event{ChatID: 100, UserID: 100, Kind: supportbot.EventKind(kind), Text: text, Data: text,
			Source: fmt.Sprintf("fuzz:%d", h.source.Add(1))}
		if err := h.eng.Submit(context.Background(), ev); err != nil {
			t.Fatalf("submit %s %q: %v", kind, text, err)
		}
		if err := h.eng.Drain(context.Background()); err != nil {
			t.Fatalf("%s %q: %v", kind, text, err)
		}
		if failed := h.failedSteps(); len(failed) > 0 {
			t.Fatalf("%s %q: steps failed: %v", kind, text, failed)
		}
		// (not h.take: the harness's helpers mark the F, not this T)
		msgs, err := h.db.ChatMessages(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		var replies []supportbot.Reply
		for _, m := range msgs {
			replies = append(replies, m.Reply)
			if err := h.db.MarkSent(context.Background(), m.ID); err != nil {
				t.Fatal(err)
			}
		}
		switch ev.Kind {
		case supportbot.EventText, supportbot.EventCommand, supportbot.EventButton:
			if len(replies) == 0 {
				t.Errorf("%s %q: no answer", kind, text)
			}
		}
		if _, secret := supportbot.MaskSecrets(text); secret && len(text) > 0 {
			conv, err := h.db.Conversation(context.Background(), 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range conv.Transcript.Lines() {
				if strings.Contains(l.Text, strings.TrimSpace(text)) {
					t.Errorf("%s %q: kept unmasked in the transcript: %q", kind, text, l.Text)
				}
			}
		}
	})
}
