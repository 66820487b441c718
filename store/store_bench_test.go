package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func benchDB(b *testing.B) *store.DB {
	b.Helper()
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// benchConversation is a chat in the middle of an early repayment, with a
// full transcript, as the engine loads and saves it on every update.
func benchConversation(chatID int64) *supportbot.Conversation {
	c := &supportbot.Conversation{ChatID: chatID, UserID: chatID, Lang: supportbot.LangZH, CustomerID: "C1",
		Flow: "repay", State: "quoted", Nonce: "abcdef",
		Slots: map[string]string{"plan": "P1", "quote": "QSH6ZM7S", "amount": "463601", "card": "K1", "expires": "2026-11-21T10:15:00Z"}}
	for i := range 10 {
		c.Transcript = append(c.Transcript, supportbot.Line{Time: time.Date(2026, 11, 21, 10, 0, i, 0, time.UTC), From: "customer", Text: "提前还款要手续费吗"})
	}
	return c
}

// BenchmarkConversationStep is the store's part of every update: an
// immediate transaction that records the update id, loads the conversation,
// saves it and queues one reply, then commits (synchronous=FULL: one fsync).
func BenchmarkConversationStep(b *testing.B) {
	ctx := context.Background()
	db := benchDB(b)
	const chats = 1000
	if _, err := db.Import(ctx, []supportbot.CustomerData{{
		Customer: supportbot.Customer{ID: "C1", Name: "张伟", Phone: "13800138000", IDCardLast4: "123X", Language: supportbot.LangZH},
	}}); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i := range int64(chats) {
		if err := tx.SaveConversation(ctx, benchConversation(i+1)); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	reply := []supportbot.Reply{{Text: strings.Repeat("合计应付：¥4,636.01 ", 10), Buttons: [][]supportbot.Button{{{Text: "✅ 确认还款", Data: "s:abcdef:repay:ok:QSH6ZM7S"}}}}}
	b.Run("load+save", func(b *testing.B) {
		i := int64(0)
		for b.Loop() {
			i++
			tx, err := db.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			c, err := tx.Conversation(ctx, i%chats+1)
			if err != nil {
				b.Fatal(err)
			}
			if err := tx.SaveConversation(ctx, c); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mark+load+save+enqueue", func(b *testing.B) {
		i := int64(0)
		for b.Loop() {
			i++
			tx, err := db.Begin(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.MarkUpdate(ctx, 1_000_000+i); err != nil {
				b.Fatal(err)
			}
			c, err := tx.Conversation(ctx, i%chats+1)
			if err != nil {
				b.Fatal(err)
			}
			if err := tx.SaveConversation(ctx, c); err != nil {
				b.Fatal(err)
			}
			reply[0].ChatID = c.ChatID
			if err := tx.Enqueue(ctx, reply); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOutbox is the sender's bookkeeping per message: the head-of-chat
// query it runs before every round, with some messages pending, and the
// autocommitted MarkSent after every delivery.
func BenchmarkOutbox(b *testing.B) {
	ctx := context.Background()
	for _, c := range []struct{ pending, sent int }{{10, 0}, {300, 0}, {300, 100_000}} {
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
		if c.sent > 0 { // a day of traffic already sent
			fill(c.sent, 1)
			for {
				msgs, err := db.DueMessages(ctx, time.Now().Add(time.Hour), 1000)
				if err != nil {
					b.Fatal(err)
				}
				if len(msgs) == 0 {
					break
				}
				for _, m := range msgs {
					if err := db.MarkSent(ctx, m.ID); err != nil {
						b.Fatal(err)
					}
				}
			}
		}
		fill(c.pending, 1_000_000)
		b.Run(fmt.Sprintf("DueMessages/pending=%d,sent=%d", c.pending, c.sent), func(b *testing.B) {
			for b.Loop() {
				msgs, err := db.DueMessages(ctx, time.Now().Add(time.Hour), 500)
				if err != nil || len(msgs) == 0 {
					b.Fatalf("due: %d, %v", len(msgs), err)
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
