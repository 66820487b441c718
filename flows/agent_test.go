package flows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"supportbot"
)

func TestWithoutStaffChatTheTicketIsRecordedAndTheHotlineGiven(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.send("/agent")
	c.expect("400-100-5678", "09:00-21:00")
	tx, err := h.db.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	tk, err := tx.LastTicket(context.Background(), 100)
	if err != nil || tk.Status != supportbot.TicketReferred {
		t.Fatalf("ticket = %+v, %v; want one referred", tk, err)
	}
}

// staffReplies are the replies of a Notify run or step addressed to the staff chat.
func staffReplies(replies []supportbot.Reply, staff int64) []string {
	var out []string
	for _, r := range replies {
		if r.ChatID == staff {
			out = append(out, r.Text)
		}
	}
	return out
}

func TestHandoffQueueAfterHoursAndReminder(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	h.advance(12 * time.Hour) // 22:00: agents are away
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	replies := c.send("talk to a human")
	c.expect("number 1", "they will answer from Nov 22, 2026 09:00", "/end")
	card := strings.Join(staffReplies(replies, -100), "\n")
	if !strings.Contains(card, "张伟（C1）✅") || replies[0].TicketID == 0 && !strings.Contains(card, "#T1") {
		t.Errorf("card:\n%s", card)
	}
	c.send("/bill")
	if len(c.last) != 1 || c.last[0].ChatID != -100 || c.last[0].Text != "👤 /bill" {
		t.Errorf("while handed off /bill should go to the agent: %+v", c.last)
	}

	// Nobody answers: no reminder at night, one 5 minutes into business hours.
	h.advance(6 * time.Hour) // 04:00
	if n, _ := h.eng.Notify(context.Background()); n != 0 {
		t.Errorf("reminded at night: %d messages", n)
	}
	h.advance(5*time.Hour + 6*time.Minute) // 09:06
	if n, _ := h.eng.Notify(context.Background()); n != 2 {
		t.Errorf("Notify queued %d messages, want a reminder in the topic and a word to the customer", n)
	}
	if n, _ := h.eng.Notify(context.Background()); n != 0 {
		t.Errorf("reminded twice")
	}
	c.send("/end")
	c.expect("back with the bot")
	c.send("/bill")
	c.expect("Remaining")
}

func TestACustomerWhoseTicketVanishedIsBackWithTheBot(t *testing.T) {
	h := newHarness(t, fixture())
	h.agentChat = -100
	h.open()
	c := h.chat(100, "en")
	c.identify(phoneZhang)
	c.send("/agent")
	tx, err := h.db.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tk, err := tx.OpenTicket(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	tk.Status = supportbot.TicketClosed // closed behind the bot's back
	if err := tx.UpdateTicket(context.Background(), tk); err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	c.send("/bill")
	c.expect("Remaining") // answered, not swallowed
}
