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
		Misses: 2, Transcript: []supportbot.Line{{Time: t0, From: "customer", Text: "你好"}, {Time: t0, From: "bot", Text: "hi"}}}
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
	if got.CustomerID != "" || got.Flow != "" || string(got.Slots) != "{}" || len(got.Transcript) != 0 || !got.UpdatedAt.Equal(c.Now()) {
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
	if list, err := db.Notices(ctx, "C1", 10); err != nil || len(list) != 0 {
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
	list, err := db.Notices(ctx, "C1", 2)
	if err != nil || len(list) != 2 {
		t.Fatalf("notices = %+v, %v; want the latest 2", list, err)
	}
	if list[0].Kind != "closure_rejected" || list[0].Params["n"] != "2" || !list[0].Time.Equal(t0.Add(2*time.Second)) ||
		list[0].CustomerID != "C1" || list[1].Kind != "cancelled" {
		t.Errorf("notices = %+v, want newest first with their params and times", list)
	}
	if list, _ := db.Notices(ctx, "C2", 10); len(list) != 1 {
		t.Errorf("C2's notices = %+v", list)
	}
}
