package store_test

// Benchmarks, not timed assertions: go test -run '^$' -bench . ./store/ (on
// PostgreSQL with the suite's two variables).

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
	"supportbot/store/storetest"
)

func benchDB(b *testing.B) *store.DB {
	b.Helper()
	db, _ := storetest.Open(b)
	return db
}

// benchConversation is a chat in the middle of an early repayment, with a
// full transcript, as the engine loads and saves it on every step.
func benchConversation(chatID int64) *supportbot.Conversation {
	c := &supportbot.Conversation{ChatID: chatID, UserID: chatID, Lang: supportbot.LangZH, CustomerID: "C1",
		LinkedPhone: "+8613800138000", Flow: "repay", State: "quoted", Nonce: "abcdef",
		Slots: []byte(`{"plan":"P1","quote":"QSH6ZM7S","amount":463601,"card":"K1","expires":"2026-11-21T10:15:00Z"}`)}
	for i := range 10 {
		c.Transcript.Append(supportbot.Line{Time: time.Date(2026, 11, 21, 10, 0, i, 0, time.UTC), From: "customer", Text: "提前还款要手续费吗"})
	}
	return c
}

// BenchmarkStep is the store's part of every update: put it in the inbox,
// then one transaction that marks it done, loads and saves the conversation
// and queues a reply (group-committed when steps run at once).
func BenchmarkStep(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	const chats = 1000
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range int64(chats) {
			if err := tx.SaveConversation(ctx, benchConversation(i+1)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	reply := supportbot.Reply{Text: strings.Repeat("合计应付：¥4,636.01 ", 10), Buttons: [][]supportbot.Button{{{Text: "✅ 确认还款", Data: "s:abcdef:repay:ok:QSH6ZM7S"}}}}
	var seq atomic.Int64 // update ids, never used twice
	step := func(chat int64) error {
		i := seq.Add(1)
		if _, err := db.PutEvents(ctx, []supportbot.Event{{Source: fmt.Sprint("u:", i), ChatID: chat, Kind: supportbot.EventText, Text: "确认"}}); err != nil {
			return err
		}
		q, err := db.NextEvent(ctx, chat, time.Now().Add(time.Hour))
		if err != nil {
			return err
		}
		c, err := db.Conversation(ctx, chat)
		if err != nil {
			return err
		}
		return db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.DoneEvent(ctx, q.ID); err != nil {
				return err
			}
			if err := tx.SaveConversation(ctx, c); err != nil {
				return err
			}
			r := reply
			r.ChatID = chat
			return tx.Enqueue(ctx, []supportbot.Reply{r})
		})
	}
	b.Run("serial", func(b *testing.B) {
		i := int64(0)
		for b.Loop() {
			i++
			if err := step(i%chats + 1); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		// Each goroutine steps one chat of its own: a chat's steps run one
		// at a time, several chats' at once (and are committed together).
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			chat := next.Add(1)%chats + 1
			for pb.Next() {
				if err := step(chat); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkOutbox is the sender's bookkeeping: reading (or claiming) the due
// messages with some pending and a day's traffic sent, and MarkSent.
func BenchmarkOutbox(b *testing.B) {
	ctx := context.Background()
	for _, c := range []struct{ pending, sent int }{{10, 0}, {300, 0}, {300, 20_000}} {
		db := benchDB(b)
		fill := func(n int, chat0 int64) {
			var replies []supportbot.Reply
			for i := range n {
				replies = append(replies, supportbot.Reply{ChatID: chat0 + int64(i%1000), Text: strings.Repeat("你好", 40)})
			}
			if err := db.Enqueue(ctx, replies); err != nil {
				b.Fatal(err)
			}
		}
		if c.sent > 0 {
			fill(c.sent, 1)
			for {
				msgs, err := db.DueMessages(ctx, time.Now().Add(time.Hour), 1000)
				if err != nil {
					b.Fatal(err)
				}
				if len(msgs) == 0 {
					break
				}
				if err := db.MarkSent(ctx, ids(msgs)...); err != nil {
					b.Fatal(err)
				}
			}
		}
		fill(c.pending, 1_000_000)
		name := fmt.Sprintf("pending=%d,sent=%d", c.pending, c.sent)
		b.Run("DueMessages/"+name, func(b *testing.B) {
			for b.Loop() {
				msgs, err := db.DueMessages(ctx, time.Now().Add(time.Hour), 500)
				if err != nil || len(msgs) == 0 {
					b.Fatalf("due: %d, %v", len(msgs), err)
				}
			}
		})
		b.Run("ClaimMessages/"+name, func(b *testing.B) {
			// Each round's claims run out before the next: the same work
			// every time.
			now := time.Now().Add(time.Hour)
			for b.Loop() {
				now = now.Add(time.Minute)
				msgs, err := db.ClaimMessages(ctx, "bench", now, time.Second, 500)
				if err != nil || len(msgs) == 0 {
					b.Fatalf("claim: %d, %v", len(msgs), err)
				}
			}
		})
	}
	b.Run("MarkSent", func(b *testing.B) {
		db := benchDB(b)
		var replies []supportbot.Reply
		for i := range 20000 {
			replies = append(replies, supportbot.Reply{ChatID: int64(i + 1), Text: "你好"})
		}
		if err := db.Enqueue(ctx, replies); err != nil {
			b.Fatal(err)
		}
		msgs, err := db.DueMessages(ctx, time.Now().Add(time.Hour), len(replies))
		if err != nil {
			b.Fatal(err)
		}
		i := 0
		for b.Loop() {
			if err := db.MarkSent(ctx, msgs[i%len(msgs)].ID); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkTakeTokens is one shared-limiter round trip per message sent.
func BenchmarkTakeTokens(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	now := time.Now()
	for b.Loop() {
		now = now.Add(time.Second)
		if _, _, err := db.TakeTokens(ctx, "global", 30, 30, 1, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClaimActions is the money worker's poll with nothing due among
// many settled actions.
func BenchmarkClaimActions(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	if err := db.Update(ctx, func(tx *store.Tx) error {
		for i := range 2000 {
			a := repayAction(fmt.Sprint("repay:", i), int64(i))
			if err := tx.CreateAction(ctx, a, "", time.Time{}); err != nil {
				return err
			}
			if _, err := tx.SettleAction(ctx, a.Key, "", supportbot.ActionSucceeded, supportbot.ActionOutcome{}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := db.ClaimActions(ctx, "bench", time.Now(), time.Minute, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPendingChatsFlooded is the inbox's poll with one chat flooded
// (2,000 messages waiting, as a customer pasting a stream of lines can make
// it) beside 100 chats with one each: what the poll reads follows what
// waits first in each chat, not the flood behind it.
func BenchmarkPendingChatsFlooded(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	var evs []supportbot.Event
	for i := range 2000 {
		evs = append(evs, supportbot.Event{Source: fmt.Sprint("flood:", i), ChatID: 1, Kind: supportbot.EventText, Text: "hi"})
	}
	for i := range int64(100) {
		evs = append(evs, supportbot.Event{Source: fmt.Sprint("chat:", i), ChatID: i + 2, Kind: supportbot.EventText, Text: "hi"})
	}
	if _, err := db.PutEvents(ctx, evs); err != nil {
		b.Fatal(err)
	}
	now := time.Now().Add(time.Minute)
	for b.Loop() {
		if chats, err := db.PendingChats(ctx, now, 100); err != nil || len(chats) != 100 {
			b.Fatalf("PendingChats = %d chats, %v; want 100", len(chats), err)
		}
	}
}
