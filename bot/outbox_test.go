package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
	"supportbot/store"
)

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "bot.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// runWithOutbox runs the adapter sending from db's outbox, fast limits.
func runWithOutbox(t *testing.T, srv *telegramtest.Server, db *store.DB) context.CancelFunc {
	t.Helper()
	b, err := bot.New(bot.Config{Token: srv.Token(), Endpoint: srv.Endpoint(), PollTimeout: time.Second, Outbox: db,
		Limits: bot.Limits{PerSecond: 1000, PerChat: 200, PerChatBurst: 50, PerGroupMinute: 6000}}, &echo{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { b.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return cancel
}

func enqueue(t *testing.T, db *store.DB, chats, each int) {
	t.Helper()
	var replies []supportbot.Reply
	for i := 1; i <= each; i++ {
		for c := 1; c <= chats; c++ {
			replies = append(replies, supportbot.Reply{ChatID: int64(1000 + c), Text: fmt.Sprintf("m%d", i)})
		}
	}
	if err := db.Enqueue(context.Background(), replies); err != nil {
		t.Fatal(err)
	}
}

// inOrder checks that chat got m1..mN exactly once each, in order.
func inOrder(t *testing.T, srv *telegramtest.Server, chat int64, n int) {
	t.Helper()
	msgs := srv.WaitFor(t, chat, n, 20*time.Second)
	if len(msgs) != n {
		t.Fatalf("chat %d got %d messages, want %d", chat, len(msgs), n)
	}
	for i, m := range msgs {
		if want := fmt.Sprintf("m%d", i+1); m.Text != want {
			t.Fatalf("chat %d message %d = %q, want %q (duplicated or out of order)", chat, i, m.Text, want)
		}
	}
}

func TestOutboxSurvivesRateLimitsAndBadGateways(t *testing.T) {
	srv := telegramtest.Start(t)
	db := openStore(t)
	srv.InjectFaults("sendMessage", 15, telegramtest.BadGateway())
	srv.InjectFaults("sendMessage", 5, telegramtest.RateLimit(1))
	enqueue(t, db, 10, 5)
	runWithOutbox(t, srv, db)
	for c := 1; c <= 10; c++ {
		inOrder(t, srv, int64(1000+c), 5)
	}
	waitDepth(t, db, 0)
}

func TestOutboxSendsWhatACrashLeftBehind(t *testing.T) {
	srv := telegramtest.Start(t)
	db := openStore(t)
	enqueue(t, db, 3, 4) // committed before the process "died": nothing was sent
	if n := len(srv.Sent()); n != 0 {
		t.Fatal("sent before the bot ran")
	}
	runWithOutbox(t, srv, db)
	for c := 1; c <= 3; c++ {
		inOrder(t, srv, int64(1000+c), 4)
	}
}

func TestOutboxGivesUpOnBlockedChatsOnly(t *testing.T) {
	srv := telegramtest.Start(t)
	db := openStore(t)
	srv.SetBlocked(1001, true)
	enqueue(t, db, 2, 3)
	runWithOutbox(t, srv, db)
	inOrder(t, srv, 1002, 3)
	waitDepth(t, db, 0)
	if n := len(srv.SentTo(1001)); n != 0 {
		t.Errorf("blocked chat got %d messages", n)
	}
	if n := srv.Calls("sendMessage"); n > 4 {
		t.Errorf("sendMessage called %d times: a blocked chat should be given up after one try", n)
	}
}

func waitDepth(t *testing.T, db *store.DB, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := db.OutboxDepth(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox depth %d, want %d", n, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
