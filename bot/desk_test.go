package bot_test

// The adapter's part of the agent desk (issue 21): tracked replies edited
// in place, reactions that cost the staff chat nothing, topics renamed,
// reopened and made again with a fresh card, refusals told, albums kept
// whole, edits and blocks taken in.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
)

// tracker is an in-memory bot.Tracker.
type tracker struct {
	mu  sync.Mutex
	ids map[string]int64
}

func newTracker() *tracker { return &tracker{ids: map[string]int64{}} }

func (k *tracker) TrackedMessage(_ context.Context, chatID int64, track string) (int64, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.ids[fmt.Sprint(chatID, "/", track)], nil
}

func (k *tracker) SetTrackedMessage(_ context.Context, chatID int64, track string, id int64) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.ids[fmt.Sprint(chatID, "/", track)] = id
	return nil
}

var _ bot.Tracker = (*tracker)(nil)

// A customer's burst is one post in the topic, edited as it grows; an
// agent's reply to the customer is tracked so that the agent's correction
// edits the customer's copy.
func TestTrackedRepliesAreEditedInPlace(t *testing.T) {
	t.Parallel()
	k := newTracker()
	r := newRig(t, func(c *bot.Config) { c.Tracker = k })
	r.out.addTicket(1, r.srv.CreateTopic(staff, "#T1"))
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 1, Text: "👤 在吗", Track: "c1.1"},
		supportbot.Reply{ChatID: alice.ID, Text: "👩‍💼 王丽：100 元", Track: "a7"})
	r.run(t)
	r.out.waitDepth(t, 0)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 1, Text: "👤 在吗\n👤 我的账单不对", Track: "c1.1"},
		supportbot.Reply{ChatID: alice.ID, Text: "👩‍💼 王丽：12.35 元", Track: "a7"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	posts := r.srv.SentTo(staff)
	if len(posts) != 1 || posts[0].Text != "👤 在吗\n👤 我的账单不对" || posts[0].Edits != 1 {
		t.Errorf("staff chat = %+v; want one post, edited once to hold both lines", posts)
	}
	copies := r.srv.SentTo(alice.ID)
	if len(copies) != 1 || copies[0].Text != "👩‍💼 王丽：12.35 元" {
		t.Errorf("customer's chat = %+v; want the one reply, corrected", copies)
	}
	// A post that can no longer be edited (deleted) is made anew.
	if _, err := r.srv.Bot(t).MakeRequest("deleteMessage", map[string]string{"chat_id": fmt.Sprint(staff),
		"message_id": fmt.Sprint(posts[0].MessageID)}); err != nil {
		t.Fatal(err)
	}
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 1, Text: "👤 在吗\n👤 我的账单不对\n👤 ?", Track: "c1.1"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	if posts := r.srv.SentTo(staff); len(posts) != 2 || posts[1].Text != "👤 在吗\n👤 我的账单不对\n👤 ?" {
		t.Errorf("after the post was deleted: %+v", posts)
	}
}

// An agent's reply taken back (/unsend) is deleted from the customer's
// chat and forgotten: a later correction of it is not sent anew.
func TestAWithdrawnReplyIsDeleted(t *testing.T) {
	t.Parallel()
	k := newTracker()
	r := newRig(t, func(c *bot.Config) { c.Tracker = k })
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "👩‍💼 王丽：甲先生的回执", Track: "a7"})
	r.run(t)
	r.out.waitDepth(t, 0)
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Track: "a7", Withdraw: true})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	copies := r.srv.SentTo(alice.ID)
	if len(copies) != 1 || !copies[0].Deleted {
		t.Errorf("customer's chat = %+v; want the reply deleted", copies)
	}
	if id, _ := k.TrackedMessage(context.Background(), alice.ID, "a7"); id != 0 {
		t.Errorf("the withdrawn reply is still tracked as message %d", id)
	}
}

// Acknowledging an agent's command with a reaction costs the staff chat's
// budget nothing: with room for one message a minute, ten reactions and a
// post all go out at once.
func TestReactionsDoNotSpendTheGroupsBudget(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) {
		c.Limits = bot.Limits{PerSecond: 1000, PerChat: 200, PerChatBurst: 1, PerGroupMinute: 1}
	}, telegramtest.WithRateLimits(telegramtest.RateLimits{GroupPerMinute: 1}))
	topic := r.srv.CreateTopic(staff, "#T1")
	var cmds []int64
	for i := range 10 {
		m, _ := r.srv.MessageOf(r.srv.SendGroupText(staff, topic, telegramtest.User{ID: 9001, FirstName: "王丽"}, fmt.Sprint("/note ", i)))
		cmds = append(cmds, m.MessageID)
		r.out.enqueue(supportbot.Reply{ChatID: staff, ThreadID: topic, React: m.MessageID, Reaction: "✍"})
	}
	r.out.enqueue(supportbot.Reply{ChatID: staff, ThreadID: topic, Text: "the one post of the minute"})
	r.run(t)
	r.out.waitDepth(t, 0)
	for _, id := range cmds {
		if got := r.srv.Reactions(staff, id); len(got) != 1 || got[0] != "✍" {
			t.Errorf("message %d reactions = %q, want ✍", id, got)
		}
	}
	if n := len(r.srv.SentTo(staff)); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
	if n := r.srv.Throttled(); n != 0 {
		t.Errorf("%d calls answered 429", n)
	}
}

// A ticket's topic is renamed and reopened as its state changes; renaming a
// topic an agent deleted makes nothing, and the next message makes it again,
// named and carded afresh by TopicCard, the card first.
func TestTopicsRenamedReopenedAndMadeAgainWithACard(t *testing.T) {
	t.Parallel()
	var cards sync.Map
	r := newRig(t, func(c *bot.Config) {
		c.TopicCard = func(_ context.Context, ticket int64) (bot.TopicCard, error) {
			cards.Store(ticket, true)
			return bot.TopicCard{Name: "🟢 #T5 张伟 · 王丽", Icon: "5373251851074415873", Text: "🆕 工单 #T5 (card again)"}, nil
		}
	})
	r.out.addTicket(5, 0)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 5, TopicName: "🟡 #T5 张伟", TopicIcon: "5377316857231450742", Text: "🆕 工单 #T5"},
		supportbot.Reply{ChatID: staff, TicketID: 5, EditTopic: true, TopicName: "🟢 #T5 张伟 · 王丽", TopicIcon: "5373251851074415873"},
		supportbot.Reply{ChatID: staff, TicketID: 5, EditTopic: true, TopicName: "🟢 #T5 张伟 · 王丽", TopicIcon: "5373251851074415873"}, // no change: fine
		supportbot.Reply{ChatID: staff, TicketID: 5, CloseTopic: true},
		supportbot.Reply{ChatID: staff, TicketID: 5, ReopenTopic: true})
	r.run(t)
	r.out.waitDepth(t, 0)
	topic := r.out.topic(5)
	tp, _ := r.srv.Topic(staff, topic)
	if tp.Name != "🟢 #T5 张伟 · 王丽" || tp.IconCustomEmojiID != "5373251851074415873" || tp.Closed {
		t.Errorf("topic = %+v; want renamed, its icon changed, open again", tp)
	}
	if _, ok := cards.Load(int64(5)); ok {
		t.Error("TopicCard asked for a ticket whose card made the topic")
	}

	r.srv.DeleteTopic(staff, topic)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 5, EditTopic: true, TopicName: "⛔ #T5 张伟"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	if n := len(r.srv.Topics()); n != 1 {
		t.Fatalf("%d topics after renaming a deleted one, want 1 (nothing made)", n)
	}
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 5, Text: "👤 hello?", Track: "c5.1"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	again := r.out.topic(5)
	tp, _ = r.srv.Topic(staff, again)
	if again == topic || tp.Name != "🟢 #T5 张伟 · 王丽" || tp.IconCustomEmojiID != "5373251851074415873" {
		t.Errorf("topic made again = %+v (was %d)", tp, topic)
	}
	var in []string
	for _, m := range r.srv.SentTo(staff) {
		if m.ThreadID == again {
			in = append(in, m.Text)
		}
	}
	if len(in) != 2 || in[0] != "🆕 工单 #T5 (card again)" || in[1] != "👤 hello?" {
		t.Errorf("the new topic holds %q; want the fresh card, then the message", in)
	}
}

// An open ticket's topic an admin closed by hand is opened again by the next
// message, which goes into it: one topic, no card again — also when the
// first reopen goes unanswered (a 502: tried again); a topic the bot may
// not reopen is made again.
func TestTopicClosedByHandIsReopenedForTheNextMessage(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.out.addTicket(6, 0)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 6, TopicName: "🟡 #T6 张伟", Text: "🆕 工单 #T6"})
	r.run(t)
	r.out.waitDepth(t, 0)
	topic := r.out.topic(6)
	if !r.srv.CloseTopic(staff, topic) {
		t.Fatalf("topic %d not open", topic)
	}
	r.srv.InjectFaults("reopenForumTopic", 1, telegramtest.BadGateway())
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 6, Text: "👤 还在吗？"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	if again := r.out.topic(6); again != topic || len(r.srv.Topics()) != 1 {
		t.Fatalf("the ticket moved to topic %d (was %d), %d topics; want the same one reopened", again, topic, len(r.srv.Topics()))
	}
	if tp, _ := r.srv.Topic(staff, topic); tp.Closed {
		t.Error("the topic is still closed")
	}
	msgs := r.srv.SentTo(staff)
	if last := msgs[len(msgs)-1]; last.ThreadID != topic || last.Text != "👤 还在吗？" || len(msgs) != 2 {
		t.Errorf("%d posts, the last %q in thread %d; want the message in topic %d", len(msgs), last.Text, last.ThreadID, topic)
	}

	// Reopening refused (the bot lost the right to manage topics): a new topic.
	r.srv.CloseTopic(staff, topic)
	r.srv.InjectFaults("reopenForumTopic", 1, telegramtest.Fault{Status: 400, Description: "Bad Request: CHAT_ADMIN_REQUIRED"})
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 6, Text: "👤 人呢"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	if again := r.out.topic(6); again == topic || again == 0 {
		t.Errorf("topic %d after a refused reopen (was %d); want a new one", again, topic)
	}
}

// A reply the customer will never get is told to whoever listens, with why;
// one to a chat that is merely slow is not.
func TestUndeliveredRepliesAreTold(t *testing.T) {
	t.Parallel()
	type told struct {
		m   supportbot.OutboxMessage
		why string
	}
	got := make(chan told, 10)
	r := newRig(t, func(c *bot.Config) {
		c.Undelivered = func(_ context.Context, m supportbot.OutboxMessage, why string) { got <- told{m, why} }
	})
	bob := telegramtest.User{ID: 502, FirstName: "Bob"}
	r.srv.SendText(alice, "hi")
	r.srv.Block(alice.ID)
	r.srv.SetMissing(bob.ID, true)
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "👩‍💼 王丽：hello", Track: "a7"},
		supportbot.Reply{ChatID: bob.ID, Text: "hello"},
		supportbot.Reply{ChatID: 503, Text: "<b>broken"}) // Telegram refuses the message itself
	r.run(t)
	r.out.waitDepth(t, 0)
	whys := map[int64]string{}
	for range 3 {
		select {
		case tl := <-got:
			whys[tl.m.Reply.ChatID] = tl.why
			if tl.m.Reply.ChatID == alice.ID && tl.m.Reply.Track != "a7" {
				t.Errorf("told %+v, want the reply with its track", tl.m)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("told of %d refusals, want 3: %v", len(whys), whys)
		}
	}
	want := map[int64]string{alice.ID: supportbot.UndeliveredBlocked, bob.ID: supportbot.UndeliveredGone, 503: supportbot.UndeliveredRejected}
	for chat, why := range want {
		if whys[chat] != why {
			t.Errorf("chat %d: told %q, want %q", chat, whys[chat], why)
		}
	}
}

// An album stays an album: the adapter gathers its items into one event,
// and a reply that copies several messages copies them as one album.
func TestAlbumsStayAlbums(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.out.addTicket(8, r.srv.CreateTopic(staff, "#T8"))
	r.run(t)
	ids, err := r.srv.SendAlbum(alice.ID, 0, alice, telegramtest.Media{FileID: "p1", Caption: "receipts"},
		telegramtest.Media{FileID: "p2"}, telegramtest.Media{FileID: "p3"})
	if err != nil {
		t.Fatal(err)
	}
	evs := r.h.waitEvents(t, 1)
	time.Sleep(100 * time.Millisecond) // nothing else comes
	evs = r.h.events()
	first, _ := r.srv.MessageOf(ids[0])
	if len(evs) != 1 || evs[0].Kind != supportbot.EventMedia || len(evs[0].Album) != 3 || evs[0].Album[0] != first.MessageID ||
		evs[0].Text != "receipts" {
		t.Fatalf("events = %+v; want one media event for the album of 3", evs)
	}
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 8, CopyFromChat: alice.ID, CopyMessages: evs[0].Album})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	copies := r.srv.SentTo(staff)
	if len(copies) != 3 || copies[0].MediaGroupID == "" || copies[0].MediaGroupID != copies[2].MediaGroupID || copies[1].FileID != "p2" {
		t.Errorf("copies = %+v; want one album of the three photos", copies)
	}
}

// Agents' edits and button presses in the staff chat reach the engine with
// their topic; a stranger's do not. Customers' edits and blocks reach it.
func TestEditsButtonsAndBlocksReachTheEngine(t *testing.T) {
	t.Parallel()
	wang := telegramtest.User{ID: 9001, FirstName: "王丽", UserName: "wangli"}
	r := newRig(t, func(c *bot.Config) { c.AgentChatID, c.AgentIDs = staff, []int64{wang.ID} })
	r.run(t)
	topic := r.srv.CreateTopic(staff, "#T1")
	stranger := telegramtest.User{ID: 666, FirstName: "Mallory"}
	agentMsg, _ := r.srv.MessageOf(r.srv.SendGroupText(staff, topic, wang, "100 元"))
	strangerMsg, _ := r.srv.MessageOf(r.srv.SendGroupText(staff, topic, stranger, "x"))
	custMsg, _ := r.srv.MessageOf(r.srv.SendText(alice, "在吗"))
	r.h.waitEvents(t, 3)
	if _, err := r.srv.EditText(wang, staff, agentMsg.MessageID, "12.35 元"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.srv.EditText(stranger, staff, strangerMsg.MessageID, "y"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.srv.EditText(alice, alice.ID, custMsg.MessageID, "在吗？"); err != nil {
		t.Fatal(err)
	}
	// A confirm button the bot posted in the topic, pressed by the agent.
	if err := r.bot.Send(context.Background(), supportbot.Reply{ChatID: staff, ThreadID: topic, Text: "接手？",
		Buttons: [][]supportbot.Button{{{Text: "接手", Data: "d:take:1:7"}}}}); err != nil {
		t.Fatal(err)
	}
	prompt := r.srv.SentTo(staff)[0]
	r.srv.PressButton(stranger, prompt, "d:take:1:7")
	r.srv.PressButton(wang, prompt, "d:take:1:7")
	r.srv.Block(alice.ID)
	r.srv.Unblock(alice.ID)
	evs := r.h.waitEvents(t, 8)
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, fmt.Sprintf("%s:%d:%d:%s%s", ev.Kind, ev.ChatID, ev.ThreadID, ev.Text, ev.Data))
		if ev.UserID == stranger.ID && (ev.Kind != supportbot.EventText || !ev.Unlisted) {
			t.Errorf("a stranger's doing reached the engine unmarked: %+v", ev) // only a new message, marked
		}
	}
	evs = slices.DeleteFunc(evs, func(ev supportbot.Event) bool { return ev.Unlisted })
	want := []string{
		fmt.Sprintf("text:%d:%d:100 元", staff, topic),
		fmt.Sprintf("text:%d:%d:x", staff, topic),
		fmt.Sprintf("text:%d:0:在吗", alice.ID),
		fmt.Sprintf("edit:%d:%d:12.35 元", staff, topic),
		fmt.Sprintf("edit:%d:0:在吗？", alice.ID),
		fmt.Sprintf("button:%d:%d:接手d:take:1:7", staff, topic),
		fmt.Sprintf("member:%d:0:kicked", alice.ID),
		fmt.Sprintf("member:%d:0:member", alice.ID),
	}
	if strings.Join(kinds, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(kinds, "\n"), strings.Join(want, "\n"))
	}
	if evs[2].MessageID != agentMsg.MessageID || evs[0].Username != "wangli" {
		t.Errorf("the agent's edit names message %d (want %d), username %q", evs[2].MessageID, agentMsg.MessageID, evs[0].Username)
	}
	if err := waitAnswered(r.srv); err != nil {
		t.Errorf("button presses left spinning %v: %v", r.srv.UnansweredCallbacks(), err)
	}
}

// A customer's message goes before an answer to an agent's command when
// both wait for the staff chat's budget (here one message a minute).
func TestCustomersMessagesGoBeforeCommandAnswers(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) {
		c.Limits = bot.Limits{PerSecond: 1000, PerChat: 200, PerChatBurst: 1, PerGroupMinute: 1}
	})
	topic := r.srv.CreateTopic(staff, "#T1")
	r.out.addTicket(1, topic)
	r.out.enqueue(supportbot.Reply{ChatID: staff, ThreadID: topic, Text: "queue list"},
		supportbot.Reply{ChatID: staff, TicketID: 1, Text: "👤 customer"})
	r.run(t)
	msgs := r.srv.WaitFor(t, staff, 1, 5*time.Second)
	if msgs[0].Text != "👤 customer" {
		t.Errorf("staff chat got %q first, want the customer's message", msgs[0].Text)
	}
}

// The staff chat's budget is Telegram's: at most 20 messages in any minute,
// each sent as soon as the minute allows — a quiet chat's messages go at
// once, not one every three seconds.
func TestGroupMessagesGoAtOnceWithinTheMinutesBudget(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.Limits = bot.DefaultLimits },
		telegramtest.WithRateLimits(telegramtest.RateLimits{GroupPerMinute: 20}))
	topic := r.srv.CreateTopic(staff, "#T1")
	r.out.addTicket(1, topic)
	for i := range 25 {
		r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 1, Text: fmt.Sprint("👤 ", i)})
	}
	start := time.Now()
	r.run(t)
	r.srv.WaitFor(t, staff, 20, 10*time.Second)
	t.Logf("20 messages in %v", time.Since(start).Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond)
	if n := len(r.srv.SentTo(staff)); n != 20 {
		t.Errorf("%d messages within the first minute, want 20 (the budget)", n)
	}
	if n := r.srv.Throttled(); n != 0 {
		t.Errorf("%d sends answered 429", n)
	}
}

// A ticket's closing note and the close of its topic are one reply: the
// note is posted and the topic closed; a later note (the rating came) edits
// it in the closed topic; a topic an agent closed by hand is opened for the
// note and closed again.
func TestClosingNotesCloseTheTopic(t *testing.T) {
	t.Parallel()
	k := newTracker()
	r := newRig(t, func(c *bot.Config) { c.Tracker = k })
	topic := r.srv.CreateTopic(staff, "#T1")
	r.out.addTicket(1, topic)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 1, Text: "✅ closed", CloseTopic: true, Track: "t1:close1"})
	r.run(t)
	r.out.waitDepth(t, 0)
	if tp, _ := r.srv.Topic(staff, topic); !tp.Closed {
		t.Fatal("the topic was not closed")
	}
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 1, Text: "✅ closed\n⭐ 5", CloseTopic: true, Track: "t1:close1"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	notes := r.srv.SentTo(staff)
	if len(notes) != 1 || notes[0].Text != "✅ closed\n⭐ 5" || notes[0].ThreadID != topic {
		t.Errorf("staff chat = %+v; want the one note, edited to show the rating", notes)
	}
	if tp, _ := r.srv.Topic(staff, topic); !tp.Closed {
		t.Error("the topic is open after the note was edited")
	}

	other := r.srv.CreateTopic(staff, "#T2")
	r.out.addTicket(2, other)
	if _, err := r.srv.Bot(t).MakeRequest("closeForumTopic", map[string]string{"chat_id": fmt.Sprint(staff),
		"message_thread_id": fmt.Sprint(other)}); err != nil {
		t.Fatal(err)
	}
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 2, Text: "ℹ️ the customer left", CloseTopic: true, Track: "t2:close1"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	tp, _ := r.srv.Topic(staff, other)
	msgs := r.srv.SentTo(staff)
	if !tp.Closed || len(msgs) != 2 || msgs[1].ThreadID != other || msgs[1].Text != "ℹ️ the customer left" {
		t.Errorf("topic %+v, staff chat %+v; want the note in it and the topic closed again", tp, msgs)
	}
}

// A reply too long for one message goes in two; corrected, the correction
// goes where the reply begins and the rest of the old text goes — a probe
// found the first part still holding the old words (a wrong figure near
// the start of a long explanation survived its correction).
func TestALongTrackedReplyIsCorrectedWhole(t *testing.T) {
	t.Parallel()
	k := newTracker()
	r := newRig(t, func(c *bot.Config) { c.Tracker = k })
	long := "👩‍💼 王丽：应还 100 元。" + strings.Repeat("说明", 2100)
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: long, Track: "a9"})
	r.run(t)
	r.out.waitDepth(t, 0)
	if got := r.srv.SentTo(alice.ID); len(got) != 2 || !strings.Contains(got[0].Text, "100 元") {
		t.Fatalf("the long reply: %s, want two messages", briefly(got))
	}
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "👩‍💼 王丽：应还 12.35 元", Track: "a9"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	got := r.srv.SentTo(alice.ID)
	if len(got) != 2 || got[0].Text != "👩‍💼 王丽：应还 12.35 元" || !got[1].Deleted {
		t.Errorf("corrected: %s; want the first message corrected and the second gone", briefly(got))
	}
	// Corrected again: the one message it is now.
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "👩‍💼 王丽：应还 12.36 元", Track: "a9"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	if got := r.srv.SentTo(alice.ID); len(got) != 2 || got[0].Text != "👩‍💼 王丽：应还 12.36 元" {
		t.Errorf("corrected again: %s", briefly(got))
	}
	// A correction itself over the limit is said anew, and the old one goes.
	r.out.enqueue(supportbot.Reply{ChatID: alice.ID, Text: "👩‍💼 王丽：应还 12.37 元。" + strings.Repeat("说明", 2100), Track: "a9"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	if got := r.srv.SentTo(alice.ID); len(got) != 4 || !got[0].Deleted || !strings.Contains(got[2].Text, "12.37 元") {
		t.Errorf("corrected with a long text: %s", briefly(got))
	}
}

// briefly shows messages by the start of their text, edits and deletion.
func briefly(ms []telegramtest.SentMessage) string {
	var b strings.Builder
	for _, m := range ms {
		text := []rune(m.Text)
		fmt.Fprintf(&b, "[%q… edits %d deleted %v] ", string(text[:min(len(text), 24)]), m.Edits, m.Deleted)
	}
	return b.String()
}

// A topic made while the database is away is kept once it is back: the
// ticket's next message goes into it, not into a second topic (a probe on
// PostgreSQL: a second, empty "#T1" after the topic's record failed).
func TestATopicMadeWhileTheDatabaseIsAwayIsKept(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.out.addTicket(7, 0)
	var fails atomic.Int32
	fails.Store(3)
	r.out.TopicErr = func() error {
		if fails.Add(-1) >= 0 {
			return errors.New("database unreachable")
		}
		return nil
	}
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 7, TopicName: "🟡 #T7 张伟", Text: "🆕 工单 #T7"})
	r.run(t)
	r.out.waitDepth(t, 0)
	r.out.enqueue(supportbot.Reply{ChatID: staff, TicketID: 7, Text: "👤 在吗"})
	r.bot.Wake()
	r.out.waitDepth(t, 0)
	if n := len(r.srv.Topics()); n != 1 {
		t.Fatalf("%d topics for one ticket, want 1", n)
	}
	topic := r.out.topic(7)
	for _, m := range r.srv.SentTo(staff) {
		if m.ThreadID != topic {
			t.Errorf("%q went to thread %d, want the ticket's topic %d", m.Text, m.ThreadID, topic)
		}
	}
}
