package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"supportbot"
	"supportbot/console"
)

// recorder answers every event with two buttons and a contact keyboard, and
// keeps the events.
type recorder struct{ events []supportbot.Event }

func (r *recorder) Handle(_ context.Context, ev supportbot.Event) ([]supportbot.Reply, error) {
	r.events = append(r.events, ev)
	return []supportbot.Reply{
		{Text: "pick one", Buttons: [][]supportbot.Button{{{Text: "Bills", Data: "m:bill"}, {Text: "Repay", Data: "m:repay"}}}},
		{Text: "or share", AskContact: "Share my number", Keyboard: []string{"Cancel"}},
	}, nil
}

func TestConsoleTurnsLinesIntoEvents(t *testing.T) {
	r := &recorder{}
	var out bytes.Buffer
	in := strings.NewReader("/start\n2\n4\n/contact +86 138 0013 8000\n/contact_of 99 13800138000\nhello there\n3\n")
	c := &console.Chat{Handler: r, In: in, Out: &out, UserID: 1}
	if err := c.Run(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	want := []supportbot.Event{
		{Kind: supportbot.EventCommand, Text: "start"},
		{Kind: supportbot.EventButton, Data: "m:repay"}, // option 2
		{Kind: supportbot.EventText, Text: "Cancel"},    // option 4: a keyboard button sends its text
		{Kind: supportbot.EventContact, Phone: "+86 138 0013 8000", ContactUserID: 1},
		{Kind: supportbot.EventContact, Phone: "13800138000", ContactUserID: 99},
		{Kind: supportbot.EventText, Text: "hello there"},
	}
	if len(r.events) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(r.events), len(want), r.events)
	}
	for i, w := range want {
		g := r.events[i]
		if g.Kind != w.Kind || g.Text != w.Text || g.Data != w.Data || g.Phone != w.Phone || g.ContactUserID != w.ContactUserID || g.ChatID != 1 {
			t.Errorf("event %d = %+v, want %+v", i, g, w)
		}
	}
	// Option 3 is the contact button: it explains how to share instead.
	if !strings.Contains(out.String(), "[1] Bills  [2] Repay") || !strings.Contains(out.String(), "type /contact PHONE") {
		t.Errorf("output:\n%s", out.String())
	}
}
