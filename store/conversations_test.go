package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func TestConversationRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	if _, err := db.Conversation(ctx, 1); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		t.Errorf("a new chat: %v, want ENOTFOUND", err)
	}
	conv := &supportbot.Conversation{ChatID: 1, UserID: 11, Lang: supportbot.LangEN, LangChosen: true, CustomerID: "C1",
		LinkedPhone: "+8613800138000", Flow: "repay", State: "quoted", Slots: json.RawMessage(`{"plan":"P1"}`), Nonce: "n1",
		Misses: 2}
	conv.Transcript.Append(supportbot.Line{Time: t0, From: "customer", Text: "你好"})
	conv.Transcript.Append(supportbot.Line{Time: t0, From: "bot", Text: "hi"})
	update(t, db, func(tx *store.Tx) error { return tx.SaveConversation(ctx, conv) })
	if !conv.UpdatedAt.Equal(t0) {
		t.Errorf("UpdatedAt = %v, want the transaction's time", conv.UpdatedAt)
	}
	got, err := db.Conversation(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, conv) {
		t.Errorf("loaded %+v\nwant   %+v", got, conv)
	}
	// Saving again replaces it; empty slots and transcript are stored empty.
	c.Add(time.Second)
	update(t, db, func(tx *store.Tx) error {
		return tx.SaveConversation(ctx, &supportbot.Conversation{ChatID: 1, Lang: supportbot.LangZH})
	})
	got, err = db.Conversation(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.CustomerID != "" || got.Flow != "" || string(got.Slots) != "{}" || len(got.Transcript.Lines()) != 0 || !got.UpdatedAt.Equal(c.Now()) {
		t.Errorf("replaced conversation = %+v", got)
	}
	update(t, db, func(tx *store.Tx) error {
		if got, err := tx.Conversation(ctx, 1); err != nil || got.Lang != supportbot.LangZH {
			t.Errorf("in a transaction: %+v, %v", got, err)
		}
		if _, err := tx.Conversation(ctx, 2); supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
			t.Errorf("in a transaction, a new chat: %v", err)
		}
		return nil
	})
}

func TestCustomerConversations(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	link(t, db, 30, "C1", supportbot.LangEN)
	link(t, db, 10, "C1", supportbot.LangZH)
	link(t, db, 20, "C2", supportbot.LangZH)
	link(t, db, 40, "C1", supportbot.LangZH)
	link(t, db, 50, "", supportbot.LangZH)
	unreachable(t, db, 40)
	list, err := db.CustomerConversations(ctx, "C1")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ChatID != 10 || list[1].ChatID != 30 || list[1].Lang != supportbot.LangEN || list[0].CustomerID != "C1" {
		t.Errorf("reachable chats of C1 = %+v, want 10 and 30 (40 is unreachable)", list)
	}
	update(t, db, func(tx *store.Tx) error {
		if list, err := tx.CustomerConversations(ctx, "C2"); err != nil || len(list) != 1 {
			t.Errorf("in a transaction: %+v, %v", list, err)
		}
		return nil
	})
	if list, _ := db.CustomerConversations(ctx, "C9"); len(list) != 0 {
		t.Errorf("chats of a customer with none: %+v", list)
	}
}

func TestMarkUnreachableGivesUpTheChatsMessages(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	link(t, db, 1, "C1", supportbot.LangZH)
	enqueue(t, db, 1, "a", "b")
	enqueue(t, db, 2, "c")
	unreachable(t, db, 1)
	if got := texts(due(t, db, t0, 10)); len(got) != 1 || got[0] != "c" {
		t.Errorf("due after chat 1 became unreachable = %v, want chat 2's only", got)
	}
	// The step that hears from the chat again saves it: reachable.
	link(t, db, 1, "C1", supportbot.LangZH)
	if list, _ := db.CustomerConversations(ctx, "C1"); len(list) != 1 {
		t.Errorf("chat 1 still unreachable after it spoke again")
	}
}

func TestNotices(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	if list, err := db.Notices(ctx, "C1", 0, 10); err != nil || len(list) != 0 {
		t.Errorf("notices before any = %+v, %v", list, err)
	}
	for i, kind := range []string{"repaid", "cancelled", "closure_rejected"} {
		update(t, db, func(tx *store.Tx) error {
			return tx.AddNotice(ctx, supportbot.Notice{CustomerID: "C1", Kind: kind, Params: map[string]string{"n": fmt.Sprint(i)}})
		})
		c.Add(time.Second)
	}
	update(t, db, func(tx *store.Tx) error {
		return tx.AddNotice(ctx, supportbot.Notice{CustomerID: "C2", Kind: "repaid"})
	})
	list, err := db.Notices(ctx, "C1", 0, 2)
	if err != nil || len(list) != 2 {
		t.Fatalf("notices = %+v, %v; want the latest 2", list, err)
	}
	if list[0].Kind != "closure_rejected" || list[0].Params["n"] != "2" || !list[0].Time.Equal(t0.Add(2*time.Second)) ||
		list[0].CustomerID != "C1" || list[1].Kind != "cancelled" {
		t.Errorf("notices = %+v, want newest first with their params and times", list)
	}
	if list, _ := db.Notices(ctx, "C2", 0, 10); len(list) != 1 {
		t.Errorf("C2's notices = %+v", list)
	}
	// The ones before an entry: the page after it.
	older, err := db.Notices(ctx, "C1", list[1].ID, 10)
	if err != nil || len(older) != 1 || older[0].Kind != "repaid" {
		t.Errorf("notices before %d = %+v, %v; want the first alone", list[1].ID, older, err)
	}
}

// TestTelegramIDsBeyond32Bits: supergroup chat ids (-100…), user ids and
// topic ids do not fit in 32 bits; every column that holds one is BIGINT.
func TestTelegramIDsBeyond32Bits(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	const group, user, topic = int64(-1001234567890), int64(7_000_000_001), int64(1 << 40)
	update(t, db, func(tx *store.Tx) error {
		if err := tx.SaveConversation(ctx, &supportbot.Conversation{ChatID: user, UserID: user, CustomerID: "C1"}); err != nil {
			return err
		}
		if _, err := tx.PutEvents(ctx, []supportbot.Event{{Source: "u:9000000000", UpdateID: 9_000_000_000, ChatID: group, ThreadID: topic,
			UserID: user, Kind: supportbot.EventText}}); err != nil {
			return err
		}
		if err := tx.Enqueue(ctx, []supportbot.Reply{{ChatID: group, ThreadID: topic, Text: "x"}}); err != nil {
			return err
		}
		tk := &supportbot.Ticket{ChatID: user, Status: supportbot.TicketOpen}
		if err := tx.CreateTicket(ctx, tk); err != nil {
			return err
		}
		tk.TopicID, tk.AgentID = topic, user
		if err := tx.UpdateTicket(ctx, tk); err != nil {
			return err
		}
		if err := tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "x", ChatID: group}); err != nil {
			return err
		}
		if err := tx.CreateAction(ctx, repayAction("repay:big", user), "", time.Time{}); err != nil {
			return err
		}
		return tx.MarkUnreachable(ctx, user, "test")
	})
	if ok, err := db.Leases("i1", time.Minute).TakeTurn(ctx, group); err != nil || !ok {
		t.Errorf("turn of a supergroup: %v, %v", ok, err)
	}
	if q, err := db.NextEvent(ctx, group, t0); err != nil || q.Event.ThreadID != topic || q.Event.UserID != user {
		t.Errorf("event = %+v, %v", q, err)
	}
	if msgs, err := db.ChatMessages(ctx, group); err != nil || len(msgs) != 1 || msgs[0].Reply.ThreadID != topic {
		t.Errorf("messages = %+v, %v", msgs, err)
	}
	if tk, err := db.TicketByTopic(ctx, topic); err != nil || tk.AgentID != user || tk.ChatID != user {
		t.Errorf("ticket = %+v, %v", tk, err)
	}
	if a, err := db.Action(ctx, "repay:big"); err != nil || a.ChatID != user {
		t.Errorf("action = %+v, %v", a, err)
	}
	if c, err := db.Conversation(ctx, user); err != nil || c.UserID != user {
		t.Errorf("conversation = %+v, %v", c, err)
	}
	if audit, err := db.Audit(ctx, ""); err != nil || len(audit) != 1 || audit[0].ChatID != group {
		t.Errorf("audit = %+v, %v", audit, err)
	}
	// Broadcast deliveries keep the chat id too.
	link(t, db, user, "C1", supportbot.LangZH)
	if _, _, err := db.SetAnnouncement(ctx, "甲", "A", t0.Add(time.Hour), true); err != nil {
		t.Fatal(err)
	}
	update(t, db, func(tx *store.Tx) error {
		id, list, err := tx.AnnouncementRecipients(ctx, 10)
		if err != nil || len(list) != 1 || list[0].ChatID != user {
			t.Errorf("recipients = %+v, %v", list, err)
			return err
		}
		return tx.AnnouncementQueued(ctx, id, []int64{user}, true)
	})
}
