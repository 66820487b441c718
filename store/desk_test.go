package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// TestTicketKeepsTheDesksState: what the desk keeps on a ticket comes back
// as it was written, on both databases.
func TestTicketKeepsTheDesksState(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	tk := &supportbot.Ticket{ChatID: 1, Status: supportbot.TicketOpen, Reason: "手续费能便宜点吗", Handle: "Ann @ann",
		CustomerName: "张伟", CameFrom: "repay"}
	createTicket(t, db, tk)
	if !tk.WaitingSince.Equal(t0) {
		t.Errorf("a new ticket waits since %v, want its creation %v", tk.WaitingSince, t0)
	}
	c.Add(time.Minute)
	tk.TopicID, tk.AgentID, tk.AgentName, tk.RepliedBy = 55, 900, "小王", 900
	tk.Reminders, tk.RemindedAt, tk.ToldPosition, tk.ToldAt = 2, c.Now(), 3, c.Now().Add(time.Second)
	tk.WaitingSince, tk.Invite = time.Time{}, supportbot.InviteBlocked
	tk.Relay = supportbot.RelayPost{Seq: 4, Started: c.Now(), Lines: []supportbot.RelayLine{{MessageID: 7, Text: "在吗", Edited: true}}}
	update(t, db, func(tx *store.Tx) error {
		got, err := tx.Ticket(ctx, tk.ID) // read in the transaction that changes it
		if err != nil || got.ID != tk.ID {
			t.Errorf("ticket in the transaction = %+v, %v", got, err)
		}
		return tx.UpdateTicket(ctx, tk)
	})
	got, err := db.Ticket(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	tk.Reminded = true // kept in step with Reminders for older readers
	if !reflect.DeepEqual(got, tk) {
		t.Errorf("ticket = %+v\nwant %+v", got, tk)
	}
}

// TestTrackedReplyHeldBySenderIsKept: a newer reply with the same track does
// not take away one a sender took (it would send it and find no row to record
// it sent): it waits behind it and edits what it made.
func TestTrackedReplyHeldBySenderIsKept(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	put := func(text string) {
		t.Helper()
		if err := db.Enqueue(ctx, []supportbot.Reply{{ChatID: 7, Text: text, Track: "s1"}}); err != nil {
			t.Fatal(err)
		}
	}
	claim := func() []supportbot.OutboxMessage {
		t.Helper()
		msgs, err := db.ClaimMessages(ctx, "i1", c.Now(), time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		return msgs
	}
	put("paying")
	held := claim()
	put("settled")
	if got := claim(); len(got) != 0 {
		t.Errorf("claimed while the older reply is being sent: %v", got)
	}
	if err := db.MarkSent(ctx, held[0].ID); err != nil {
		t.Fatal(err)
	}
	if got, err := store.SentTexts(db, 7); err != nil || !reflect.DeepEqual(got, []string{"paying"}) {
		t.Errorf("recorded sent = %q, %v; want the reply the sender held", got, err)
	}
	if got := claim(); len(got) != 1 || got[0].Reply.Text != "settled" {
		t.Fatalf("claimed after it was sent = %v, want the newer reply (to edit it)", got)
	}

	// A sender that died holding a reply may have sent it: it is sent again
	// once its claim runs out, and the newest reply edits that; a reply
	// nobody took behind it is replaced.
	put("lost")
	c.Add(2 * time.Minute)
	put("newest")
	if got := texts(due(t, db, c.Now(), 10)); !reflect.DeepEqual(got, []string{"settled", "newest"}) {
		t.Errorf("due after the claim ran out = %q, want the one taken, then the newest", got)
	}
}

// TestTrackedRepliesReplaceThePendingOne: a reply with a track replaces a
// pending one of its chat with the same track, keeping everything else.
func TestTrackedRepliesReplaceThePendingOne(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	put := func(rs ...supportbot.Reply) {
		t.Helper()
		if err := db.Enqueue(ctx, rs); err != nil {
			t.Fatal(err)
		}
	}
	put(supportbot.Reply{ChatID: -100, TicketID: 1, Text: "👤 a", Track: "c1.1"},
		supportbot.Reply{ChatID: -100, TicketID: 2, Text: "👤 x", Track: "c2.1"},
		supportbot.Reply{ChatID: 5, Text: "👤 a", Track: "c1.1"}) // another chat: kept
	put(supportbot.Reply{ChatID: -100, TicketID: 1, Text: "👤 a\n👤 b", Track: "c1.1"})
	if got := texts(due(t, db, t0, 10)); !reflect.DeepEqual(got, []string{"👤 x", "👤 a", "👤 a\n👤 b"}) {
		t.Errorf("due = %q; want the pending post replaced by the longer one, the others kept", got)
	}
	// Once sent, a reply is not replaced: the next one edits what it made.
	msgs := due(t, db, t0, 10)
	if err := db.MarkSent(ctx, msgs[2].ID); err != nil {
		t.Fatal(err)
	}
	put(supportbot.Reply{ChatID: -100, TicketID: 1, Text: "👤 a\n👤 b\n👤 c", Track: "c1.1"})
	if got := texts(due(t, db, t0, 10)); !reflect.DeepEqual(got, []string{"👤 x", "👤 a", "👤 a\n👤 b\n👤 c"}) {
		t.Errorf("due after the post was sent = %q", got)
	}

	if id, err := db.TrackedMessage(ctx, -100, "c1.1"); err != nil || id != 0 {
		t.Errorf("tracked message before any = %d, %v", id, err)
	}
	if err := db.SetTrackedMessage(ctx, -100, "c1.1", 41); err != nil {
		t.Fatal(err)
	}
	if err := db.SetTrackedMessage(ctx, -100, "c1.1", 42); err != nil {
		t.Fatal(err)
	}
	if id, err := db.TrackedMessage(ctx, -100, "c1.1"); err != nil || id != 42 {
		t.Errorf("tracked message = %d, %v; want the latest, 42", id, err)
	}
	if id, _ := db.TrackedMessage(ctx, 5, "c1.1"); id != 0 {
		t.Errorf("another chat's track = %d", id)
	}
	// Flows mark a reply relayed before the sender made its message.
	if ok, err := db.Relayed(ctx, 7, "a9"); err != nil || ok {
		t.Errorf("relayed before = %v, %v", ok, err)
	}
	update(t, db, func(tx *store.Tx) error { return tx.TrackReply(ctx, 7, "a9") })
	if ok, _ := db.Relayed(ctx, 7, "a9"); !ok {
		t.Error("a relayed reply is not known")
	}
	if id, _ := db.TrackedMessage(ctx, 7, "a9"); id != 0 {
		t.Errorf("a reply not sent yet has message %d", id)
	}
	if err := db.SetTrackedMessage(ctx, 7, "a9", 5); err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx *store.Tx) error { return tx.TrackReply(ctx, 7, "a9") }) // again: keeps the message
	if id, _ := db.TrackedMessage(ctx, 7, "a9"); id != 5 {
		t.Errorf("tracked message after relaying again = %d, want 5", id)
	}
	if err := db.SetTrackedMessage(ctx, -100, "c1.1", 0); err != nil {
		t.Fatal(err)
	}
	if id, _ := db.TrackedMessage(ctx, -100, "c1.1"); id != 0 {
		t.Errorf("a forgotten track = %d", id)
	}
}

// TestNotesAgentsAndPreviousTickets: what later cards show.
func TestNotesAgentsAndPreviousTickets(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	var tks []*supportbot.Ticket
	for i, who := range []struct {
		chat     int64
		customer string
	}{{1, ""}, {2, "C1"}, {1, "C1"}, {3, "C2"}} {
		tk := &supportbot.Ticket{ChatID: who.chat, CustomerID: who.customer, Status: supportbot.TicketClosed, ClosedAt: c.Now()}
		createTicket(t, db, tk)
		tks = append(tks, tk)
		c.Add(time.Duration(i+1) * time.Minute)
	}
	// Chat 1 as customer C1: its own earlier ticket and C1's from chat 2.
	list, err := db.PreviousTickets(ctx, 1, "C1", tks[3].ID, 5)
	if err != nil || len(list) != 3 || list[0].ID != tks[2].ID || list[1].ID != tks[1].ID || list[2].ID != tks[0].ID {
		t.Errorf("previous tickets of chat 1 / C1 = %+v, %v", list, err)
	}
	// An unidentified chat sees only its own unverified ones — not those
	// of a customer it was linked to before (chat 1 as C1, chat 3 as C2).
	if list, _ := db.PreviousTickets(ctx, 1, "", tks[3].ID+1, 5); len(list) != 1 || list[0].ID != tks[0].ID {
		t.Errorf("previous tickets of chat 1 unidentified = %+v", list)
	}
	if list, _ := db.PreviousTickets(ctx, 3, "", tks[3].ID+1, 5); len(list) != 0 {
		t.Errorf("previous tickets of chat 3 unidentified = %+v, want none (C2's)", list)
	}
	update(t, db, func(tx *store.Tx) error {
		for _, n := range []string{"first", "second"} {
			if err := tx.AddTicketNote(ctx, supportbot.TicketNote{TicketID: tks[0].ID, AgentID: 9, AgentName: "小王", Text: n}); err != nil {
				return err
			}
		}
		return tx.SeeAgent(ctx, supportbot.Agent{ID: 9, Name: "小王", Username: "wang"})
	})
	notes, err := db.TicketNotes(ctx, tks[0].ID)
	if err != nil || len(notes) != 2 || notes[0].Text != "first" || notes[1].AgentName != "小王" || !notes[0].CreatedAt.Equal(c.Now()) {
		t.Errorf("notes = %+v, %v", notes, err)
	}
	update(t, db, func(tx *store.Tx) error { return tx.SeeAgent(ctx, supportbot.Agent{ID: 9, Name: "王丽"}) })
	if agents, err := db.Agents(ctx); err != nil || len(agents) != 1 || agents[0].Name != "王丽" {
		t.Errorf("agents = %+v, %v; want the latest name", agents, err)
	}
}

// TestUnreachableIsWhatTheStepSaves: a step saves the chat reachable or not
// as it read it; only the chat's own message (the step says so) clears it.
func TestUnreachableIsWhatTheStepSaves(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	link(t, db, 1, "C1", supportbot.LangZH)
	unreachable(t, db, 1)
	conv, err := db.Conversation(ctx, 1)
	if err != nil || !conv.Unreachable {
		t.Fatalf("conversation = %+v, %v; want unreachable", conv, err)
	}
	update(t, db, func(tx *store.Tx) error { return tx.SaveConversation(ctx, conv) }) // an agent's doing
	if conv, _ := db.Conversation(ctx, 1); !conv.Unreachable {
		t.Error("saving the conversation as read made it reachable")
	}
	conv.Unreachable = false
	update(t, db, func(tx *store.Tx) error { return tx.SaveConversation(ctx, conv) })
	if conv, _ := db.Conversation(ctx, 1); conv.Unreachable {
		t.Error("still unreachable")
	}
}

// TestWaitingAndQueuedTickets: the SLA job's and the queue's lists.
func TestWaitingAndQueuedTickets(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	var tks []*supportbot.Ticket
	for chat := range int64(3) {
		tk := &supportbot.Ticket{ChatID: chat + 1, Status: supportbot.TicketOpen}
		createTicket(t, db, tk)
		tks = append(tks, tk)
		c.Add(time.Minute)
	}
	tks[0].Reminders = 3 // reminded: still waiting for an answer
	tks[1].AgentID, tks[1].FirstReplyAt = 9, c.Now()
	update(t, db, func(tx *store.Tx) error {
		for _, tk := range tks[:2] {
			if err := tx.UpdateTicket(ctx, tk); err != nil {
				return err
			}
		}
		return nil
	})
	if list, err := db.WaitingForAnswer(ctx, c.Now()); err != nil || len(list) != 2 || list[0].ID != tks[0].ID || list[1].ID != tks[2].ID {
		t.Errorf("waiting for an answer = %+v, %v; want tickets 1 and 3", list, err)
	}
	if list, err := db.QueuedTickets(ctx); err != nil || len(list) != 2 || list[0].ID != tks[0].ID || list[1].ID != tks[2].ID {
		t.Errorf("queued = %+v, %v; want tickets 1 and 3", list, err)
	}
	// The first one's customer blocked the bot: they keep no one waiting.
	blocked := &supportbot.Conversation{ChatID: 1, Lang: supportbot.LangZH, Unreachable: true}
	update(t, db, func(tx *store.Tx) error { return tx.SaveConversation(ctx, blocked) })
	if list, err := db.QueuedTickets(ctx); err != nil || len(list) != 1 || list[0].ID != tks[2].ID {
		t.Errorf("queued with the first chat blocked = %+v, %v; want ticket 3", list, err)
	}
}
