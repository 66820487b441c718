package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

// enqueue queues one message per text to chat (thread 0), at the clock's now.
func enqueue(t testing.TB, db *store.DB, chat int64, texts ...string) {
	t.Helper()
	var rs []supportbot.Reply
	for _, s := range texts {
		rs = append(rs, supportbot.Reply{ChatID: chat, Text: s})
	}
	if err := db.Enqueue(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
}

func texts(msgs []supportbot.OutboxMessage) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Reply.Text)
	}
	return out
}

func ids(msgs []supportbot.OutboxMessage) []int64 {
	var out []int64
	for _, m := range msgs {
		out = append(out, m.ID)
	}
	return out
}

func due(t testing.TB, db *store.DB, now time.Time, limit int) []supportbot.OutboxMessage {
	t.Helper()
	msgs, err := db.DueMessages(context.Background(), now, limit)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestEnqueueKeepsTheReply(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	r := supportbot.Reply{ChatID: -1001, ThreadID: 77, Text: "你好", Buttons: [][]supportbot.Button{{{Text: "OK", Data: "ok"}}},
		TicketID: 5, TopicName: "#5", CopyFromChat: 9, CopyFromMessage: 10}
	update(t, db, func(tx *store.Tx) error { return tx.Enqueue(ctx, []supportbot.Reply{r}) })
	msgs := due(t, db, t0, 10)
	if len(msgs) != 1 || msgs[0].Attempts != 0 {
		t.Fatalf("due = %+v, want the one message", msgs)
	}
	if got := msgs[0].Reply; !reflect.DeepEqual(got, r) {
		t.Errorf("reply = %+v, want %+v", got, r)
	}
	if n, err := db.OutboxDepth(ctx); err != nil || n != 1 {
		t.Errorf("depth = %d, %v; want 1", n, err)
	}
	// Not due before it was queued.
	if msgs := due(t, db, t0.Add(-time.Millisecond), 10); len(msgs) != 0 {
		t.Errorf("due before it was queued: %+v", msgs)
	}
}

func TestDueMessagesInOrder(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	enqueue(t, db, 1, "a1", "a2")
	c.Add(time.Millisecond)
	enqueue(t, db, 2, "b1")
	enqueue(t, db, 1, "a3")
	if got := texts(due(t, db, c.Now(), 10)); !slices.Equal(got, []string{"a1", "a2", "b1", "a3"}) {
		t.Errorf("due = %v, want oldest first", got)
	}
	if got := texts(due(t, db, c.Now(), 2)); !slices.Equal(got, []string{"a1", "a2"}) {
		t.Errorf("due, limit 2 = %v", got)
	}
	// Sent messages are done.
	msgs := due(t, db, c.Now(), 10)
	if err := db.MarkSent(ctx, msgs[0].ID, msgs[2].ID); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx); err != nil {
		t.Errorf("MarkSent of nothing: %v", err)
	}
	if got := texts(due(t, db, c.Now(), 10)); !slices.Equal(got, []string{"a2", "a3"}) {
		t.Errorf("due after sending a1, b1 = %v", got)
	}
	if n, _ := db.OutboxDepth(ctx); n != 2 {
		t.Errorf("depth %d, want 2", n)
	}
}

// TestDueMessagesHoldBackOnlyThePostponedChat: a message waiting for a retry
// holds back the later messages of its chat and topic, and nothing else.
func TestDueMessagesHoldBackOnlyThePostponedChat(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	if err := db.Enqueue(ctx, []supportbot.Reply{
		{ChatID: 1, Text: "a1"}, {ChatID: 1, Text: "a2"},
		{ChatID: 1, ThreadID: 9, Text: "topic"},
		{ChatID: 2, Text: "b1"},
	}); err != nil {
		t.Fatal(err)
	}
	first := due(t, db, t0, 10)[0]
	if err := db.RetryLater(ctx, first.ID, t0.Add(time.Minute), "429"); err != nil {
		t.Fatal(err)
	}
	if got := texts(due(t, db, t0.Add(time.Second), 10)); !slices.Equal(got, []string{"topic", "b1"}) {
		t.Errorf("due while a1 waits = %v, want the topic and chat 2 only", got)
	}
	msgs := due(t, db, t0.Add(time.Minute), 10)
	if got := texts(msgs); !slices.Equal(got, []string{"a1", "a2", "topic", "b1"}) {
		t.Errorf("due when a1 is due again = %v", got)
	}
	if msgs[0].Attempts != 1 {
		t.Errorf("a1 attempts = %d, want 1", msgs[0].Attempts)
	}
}

// TestDueMessagesDoNotLetOneChatCrowdOutTheRest: at most 20 of one chat (and
// topic) at a time.
func TestDueMessagesDoNotLetOneChatCrowdOutTheRest(t *testing.T) {
	db, _, _ := open(t)
	var backlog []string
	for i := range 100 {
		backlog = append(backlog, fmt.Sprint("relay ", i))
	}
	enqueue(t, db, -100, backlog...)
	enqueue(t, db, 7, "your reply")
	msgs := due(t, db, t0.Add(time.Hour), 30)
	if len(msgs) != 21 || msgs[20].Reply.ChatID != 7 {
		t.Errorf("got %d messages, the last to chat %d: want 20 of the backlog and the customer's reply", len(msgs), msgs[len(msgs)-1].Reply.ChatID)
	}
}

func TestMarkFailed(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	link(t, db, 1, "C1", supportbot.LangZH)
	link(t, db, 2, "C1", supportbot.LangZH)
	enqueue(t, db, 1, "a1", "a2", "a3")
	enqueue(t, db, 2, "b1", "b2")
	msgs := due(t, db, t0, 10)

	// A message Telegram refuses: given up alone.
	if err := db.MarkFailed(ctx, msgs[3].ID, "Bad Request: message is too long", false); err != nil {
		t.Fatal(err)
	}
	if got := texts(due(t, db, t0, 10)); !slices.Equal(got, []string{"a1", "a2", "a3", "b2"}) {
		t.Errorf("due after b1 failed = %v", got)
	}
	// The chat is gone: everything queued to it is given up, and it is unreachable.
	if err := db.MarkFailed(ctx, msgs[0].ID, "Forbidden: bot was blocked by the user", true); err != nil {
		t.Fatal(err)
	}
	if got := texts(due(t, db, t0, 10)); !slices.Equal(got, []string{"b2"}) {
		t.Errorf("due after chat 1 was gone = %v", got)
	}
	convs, err := db.CustomerConversations(ctx, "C1")
	if err != nil || len(convs) != 1 || convs[0].ChatID != 2 {
		t.Errorf("reachable chats of C1 = %+v, %v; want chat 2 only", convs, err)
	}
	if err := db.MarkFailed(ctx, 9999, "x", false); err == nil {
		t.Error("MarkFailed of an unknown message succeeded")
	}
	// Saving the conversation makes the chat reachable again.
	link(t, db, 1, "C1", supportbot.LangZH)
	if convs, _ := db.CustomerConversations(ctx, "C1"); len(convs) != 2 {
		t.Errorf("reachable chats after chat 1 spoke again = %+v", convs)
	}
}

func TestChatMessages(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	enqueue(t, db, 1, "a1", "a2")
	enqueue(t, db, 2, "b1")
	msgs, err := db.ChatMessages(ctx, 1)
	if err != nil || !slices.Equal(texts(msgs), []string{"a1", "a2"}) {
		t.Fatalf("messages of chat 1 = %v, %v", texts(msgs), err)
	}
	if err := db.MarkSent(ctx, msgs[0].ID); err != nil {
		t.Fatal(err)
	}
	if msgs, _ := db.ChatMessages(ctx, 1); !slices.Equal(texts(msgs), []string{"a2"}) {
		t.Errorf("after sending a1: %v", texts(msgs))
	}
	if msgs, _ := db.ChatMessages(ctx, 3); len(msgs) != 0 {
		t.Errorf("messages of a chat with none: %v", msgs)
	}
}

func claim(t testing.TB, db *store.DB, owner string, now time.Time, limit int) []supportbot.OutboxMessage {
	t.Helper()
	msgs, err := db.ClaimMessages(context.Background(), owner, now, time.Minute, limit)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func TestClaimMessages(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	if _, err := db.ClaimMessages(ctx, "", t0, time.Minute, 10); supportbot.ErrorCode(err) != supportbot.EINVALID {
		t.Errorf("claiming without an owner: %v, want EINVALID", err)
	}
	if got := claim(t, db, "i1", t0, 10); len(got) != 0 {
		t.Errorf("claimed from an empty outbox: %v", got)
	}
	if err := db.Enqueue(ctx, []supportbot.Reply{
		{ChatID: 1, Text: "a1"}, {ChatID: 1, Text: "a2"}, {ChatID: 1, ThreadID: 9, Text: "t1"}, {ChatID: 2, Text: "b1"},
	}); err != nil {
		t.Fatal(err)
	}
	mine := claim(t, db, "i1", t0, 10)
	if got := texts(mine); !slices.Equal(got, []string{"a1", "a2", "t1", "b1"}) {
		t.Fatalf("i1 claimed %v, want everything, oldest first", got)
	}
	// Claimed: not again, neither by i1 nor by i2, until the lease runs out.
	if got := claim(t, db, "i1", t0.Add(time.Second), 10); len(got) != 0 {
		t.Errorf("i1 claimed its own messages again: %v", texts(got))
	}
	if got := claim(t, db, "i2", t0.Add(time.Minute), 10); len(got) != 0 {
		t.Errorf("i2 claimed while the lease lasts: %v", texts(got))
	}
	// MarkSent ends a claim; a claim that ran out is taken over (i1 died).
	if err := db.MarkSent(ctx, mine[0].ID); err != nil {
		t.Fatal(err)
	}
	taken := claim(t, db, "i2", t0.Add(time.Minute+time.Millisecond), 10)
	if got := texts(taken); !slices.Equal(got, []string{"a2", "t1", "b1"}) {
		t.Errorf("i2 took over %v, want a2, t1, b1", got)
	}
	if taken[0].Attempts != 0 {
		t.Errorf("a2 attempts = %d, want 0 (a claim is not an attempt)", taken[0].Attempts)
	}
	// Still in the outbox for DueMessages (the sender of today).
	if got := texts(due(t, db, t0.Add(time.Hour), 10)); !slices.Equal(got, []string{"a2", "t1", "b1"}) {
		t.Errorf("due = %v", got)
	}
}

// TestClaimMessagesKeepChatOrder: a message is never claimed while an earlier
// one of its chat and topic is postponed or held by a claim, whose ever.
func TestClaimMessagesKeepChatOrder(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	enqueue(t, db, 1, "a1", "a2", "a3")
	enqueue(t, db, 2, "b1", "b2")

	// i1 takes the first of each chat only (limit 2: fair, one of each).
	first := claim(t, db, "i1", t0, 2)
	if got := texts(first); !slices.Equal(got, []string{"a1", "b1"}) {
		t.Fatalf("i1 claimed %v, want a1, b1", got)
	}
	// i2 may take nothing: a1 and b1 are i1's, and go first.
	if got := claim(t, db, "i2", t0, 10); len(got) != 0 {
		t.Errorf("i2 claimed %v behind i1's messages", texts(got))
	}
	// Nor i1 itself: a claim holds back what is behind it whoever holds
	// it (its owner may have lost track of it: a commit whose answer a
	// broken connection lost), until it ends or runs out.
	if got := claim(t, db, "i1", t0, 10); len(got) != 0 {
		t.Errorf("i1 claimed %v behind its own claims on a1 and b1", texts(got))
	}

	// a1 fails and is postponed: i1's claims on a2 and a3 end with it, and
	// nobody takes them before a1 is due again and taken.
	if err := db.RetryLater(ctx, first[0].ID, t0.Add(time.Second), "429"); err != nil {
		t.Fatal(err)
	}
	if got := claim(t, db, "i2", t0.Add(500*time.Millisecond), 10); len(got) != 0 {
		t.Errorf("i2 claimed %v while a1 waits", texts(got))
	}
	again := claim(t, db, "i2", t0.Add(time.Second), 10)
	if got := texts(again); !slices.Equal(got, []string{"a1", "a2", "a3"}) {
		t.Errorf("i2 claimed %v when a1 was due again, want a1, a2, a3", got)
	}
	if again[0].Attempts != 1 {
		t.Errorf("a1 attempts = %d, want 1", again[0].Attempts)
	}
	// A message given up ends the claims behind it too.
	if err := db.MarkFailed(ctx, again[0].ID, "Bad Request", false); err != nil {
		t.Fatal(err)
	}
	if got := texts(claim(t, db, "i3", t0.Add(time.Second), 10)); !slices.Equal(got, []string{"a2", "a3"}) {
		t.Errorf("i3 claimed %v after a1 was given up, want a2, a3", got)
	}
}

// TestClaimMessagesAreFair: at most 20 of one chat per call, and the first
// of every chat before the second of any.
func TestClaimMessagesAreFair(t *testing.T) {
	db, _, _ := open(t)
	var backlog []string
	for i := range 50 {
		backlog = append(backlog, fmt.Sprint("relay ", i))
	}
	enqueue(t, db, -100, backlog...)
	enqueue(t, db, 7, "c1", "c2")
	enqueue(t, db, 8, "d1")
	got := claim(t, db, "i1", t0, 100)
	var staff int
	for _, m := range got {
		if m.Reply.ChatID == -100 {
			staff++
		}
	}
	if staff != 20 || len(got) != 23 {
		t.Errorf("claimed %d, %d of the backlog; want 20 of it and the 3 others", len(got), staff)
	}
	// With a small limit, every chat gets its first message.
	db2, _, _ := open(t)
	enqueue(t, db2, -100, backlog...)
	enqueue(t, db2, 7, "c1", "c2")
	enqueue(t, db2, 8, "d1")
	if got := texts(claim(t, db2, "i1", t0, 4)); !slices.Equal(got, []string{"relay 0", "relay 1", "c1", "d1"}) {
		t.Errorf("claimed with limit 4: %v, want each chat's first, then the next", got)
	}
	// Topics of one chat share the chat's 20, one after the other.
	db3, _, _ := open(t)
	var rs []supportbot.Reply
	for i := range 30 {
		rs = append(rs, supportbot.Reply{ChatID: -100, ThreadID: int64(1 + i%3), Text: fmt.Sprint(i)})
	}
	if err := db3.Enqueue(context.Background(), rs); err != nil {
		t.Fatal(err)
	}
	perTopic := map[int64]int{}
	for _, m := range claim(t, db3, "i1", t0, 100) {
		perTopic[m.Reply.ThreadID]++
	}
	if perTopic[1]+perTopic[2]+perTopic[3] != 20 || perTopic[1] < 6 || perTopic[2] < 6 || perTopic[3] < 6 {
		t.Errorf("claimed per topic %v, want 20 shared fairly", perTopic)
	}
}

// TestClaimMessagesConcurrently: instances claiming at once never get the
// same message, and never a message while an earlier one of its chat is
// pending in another's hands.
func TestClaimMessagesConcurrently(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c), reopen(t, cfg, c)}
	const chats, each = 12, 15
	var rs []supportbot.Reply
	for i := range each {
		for chat := range int64(chats) {
			rs = append(rs, supportbot.Reply{ChatID: chat + 1, Text: fmt.Sprint(i)})
		}
	}
	if err := db.Enqueue(ctx, rs); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	claimedBy := map[int64]string{}
	// Six workers (two per instance) claim a few at a time and "send" them
	// in order, until the outbox is empty.
	errs := parallel(6, func(w int) error {
		owner := fmt.Sprint("i", w)
		d := dbs[w%len(dbs)]
		for {
			msgs, err := d.ClaimMessages(ctx, owner, t0, time.Hour, 7)
			if err != nil {
				return err
			}
			if len(msgs) == 0 {
				if n, err := d.OutboxDepth(ctx); err != nil || n == 0 {
					return err
				}
				time.Sleep(time.Millisecond) // held by others: they will send them
				continue
			}
			mine := map[int64]bool{}
			last := map[int64]int64{}
			mu.Lock()
			for _, m := range msgs {
				if prev, ok := claimedBy[m.ID]; ok {
					mu.Unlock()
					return fmt.Errorf("message %d claimed by %s and %s", m.ID, prev, owner)
				}
				claimedBy[m.ID] = owner
				mine[m.ID] = true
				last[m.Reply.ChatID] = max(last[m.Reply.ChatID], m.ID)
			}
			mu.Unlock()
			// Whatever is still pending before them in their chats is ours:
			// nobody else may send it meanwhile.
			for chat, upTo := range last {
				pending, err := d.ChatMessages(ctx, chat)
				if err != nil {
					return err
				}
				for _, p := range pending {
					if p.ID < upTo && !mine[p.ID] {
						return fmt.Errorf("%s claimed up to message %d of chat %d while %d was pending elsewhere", owner, upTo, chat, p.ID)
					}
				}
			}
			for _, m := range msgs {
				if err := d.MarkSent(ctx, m.ID); err != nil {
					return err
				}
			}
		}
	})
	noErrors(t, "worker", errs)
	if len(claimedBy) != chats*each {
		t.Errorf("%d messages claimed, want %d", len(claimedBy), chats*each)
	}
}

// TestClaimMessagesNeverOvertakeAnotherOwner: whatever the interleaving,
// while one owner holds a chat's message, another claims nothing later of
// that chat.
func TestClaimMessagesNeverOvertakeAnotherOwner(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	other := reopen(t, cfg, c)
	for chat := range int64(8) {
		enqueue(t, db, chat+1, "m1", "m2", "m3", "m4")
	}
	got := make([][]supportbot.OutboxMessage, 2)
	errs := parallel(2, func(i int) (err error) {
		got[i], err = []*store.DB{db, other}[i].ClaimMessages(ctx, fmt.Sprint("i", i), t0, time.Hour, 100)
		return err
	})
	noErrors(t, "claim", errs)
	owner := map[int64]int{}
	for i, msgs := range got {
		for _, m := range msgs {
			if o, ok := owner[m.Reply.ChatID]; ok && o != i {
				t.Errorf("chat %d split between two owners", m.Reply.ChatID)
			}
			owner[m.Reply.ChatID] = i
		}
	}
	if n := len(got[0]) + len(got[1]); n != 32 {
		t.Errorf("%d messages claimed, want all 32 (one instance took them first)", n)
	}
}
