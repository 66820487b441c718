package bot_test

import (
	"testing"
	"time"

	"supportbot"
)

// TestOutboxEditsInPlace: a reply that edits a message replaces its text and
// keyboard; one that names a step's message edits the message the sender
// recorded for it; a strip takes a left step's keyboard off; a message that
// can no longer be edited is said in a new message. Nothing is said twice.
func TestOutboxEditsInPlace(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.run(t)
	quote := supportbot.Reply{ChatID: 1001, Text: "<b>Quote</b> ¥3,045.00",
		Buttons: [][]supportbot.Button{{{Text: "Confirm", Data: "s:n1:repay:ok"}}}, Nonce: "n1"}
	r.out.enqueue(quote)
	first := r.srv.WaitFor(t, 1001, 1, 10*time.Second)[0]

	// The confirm pressed: the quote becomes "working on it", recorded for
	// the action; the outcome edits that message by its step.
	r.out.enqueue(supportbot.Reply{ChatID: 1001, Text: "⏳ Charging", Edit: first.MessageID, Nonce: "w:repay:q1"})
	r.out.enqueue(supportbot.Reply{ChatID: 1001, Text: "✅ Paid", EditStep: "w:repay:q1",
		Buttons: [][]supportbot.Button{{{Text: "My bills", Data: "M:bill"}}}})
	r.out.waitDepth(t, 0)
	m, ok := r.srv.Message(1001, first.MessageID)
	if !ok || m.Text != "✅ Paid" || m.Edits != 2 || len(m.InlineKeyboard) != 1 || m.InlineKeyboard[0][0].Text != "My bills" {
		t.Errorf("the quote message is now %+v, want the outcome after two edits, with its new keyboard", m)
	}
	if n := len(r.srv.SentTo(1001)); n != 1 {
		t.Errorf("%d messages sent, want 1: the rest are edits", n)
	}

	// A step left by typing: its keyboard goes, nothing new is said.
	r.out.enqueue(supportbot.Reply{ChatID: 1001, Text: "Pick one", Nonce: "n2",
		Buttons: [][]supportbot.Button{{{Text: "A", Data: "s:n2:cancel:pick:a"}}}})
	r.out.waitDepth(t, 0)
	r.out.enqueue(supportbot.Reply{ChatID: 1001, Strip: "n2"})
	r.out.waitDepth(t, 0)
	if live := r.srv.LiveKeyboards(1001); len(live) != 1 || live[0].MessageID != first.MessageID {
		t.Errorf("live keyboards %+v, want only the outcome's", live)
	}

	// An edit of a message Telegram will not edit any more (or an unknown
	// step) is said anew.
	r.out.enqueue(supportbot.Reply{ChatID: 1001, Text: "again", Edit: 999999},
		supportbot.Reply{ChatID: 1001, Text: "unknown step", EditStep: "w:never"})
	r.out.waitDepth(t, 0)
	sent := r.srv.SentTo(1001)
	if len(sent) != 4 || sent[2].Text != "again" || sent[3].Text != "unknown step" {
		t.Errorf("sent %+v, want the two last replies as new messages", sent)
	}

	// The pressed quote could not be edited: "working on it" was said in a
	// new message, and the outcome — naming both the pressed message and
	// the step — edits that one, not the old quote (a probe: "⏳ Charging"
	// stayed below "✅ Paid").
	r.out.enqueue(supportbot.Reply{ChatID: 1001, Text: "⏳ Charging again", Edit: 999998, Nonce: "w:repay:q2"})
	r.out.waitDepth(t, 0)
	working := r.srv.SentTo(1001)[4]
	r.out.enqueue(supportbot.Reply{ChatID: 1001, Text: "✅ Paid again", Edit: first.MessageID, EditStep: "w:repay:q2"})
	r.out.waitDepth(t, 0)
	if m, _ := r.srv.Message(1001, working.MessageID); m.Text != "✅ Paid again" {
		t.Errorf("the working message is %q, want the outcome", m.Text)
	}
	if m, _ := r.srv.Message(1001, first.MessageID); m.Text != "✅ Paid" {
		t.Errorf("the old message became %q, want it left", m.Text)
	}
}
