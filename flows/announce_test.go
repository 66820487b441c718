package flows_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
)

const (
	outageZH = "小米分期功能暂时无法使用，请在小米金融 App 或官网还款。"
	outageEN = "Installments are down for now; please repay in the Mi Finance app or on its website."
)

func (h *harness) announce(until time.Time, broadcast bool) {
	h.t.Helper()
	if _, _, err := h.db.SetAnnouncement(context.Background(), outageZH, outageEN, until, broadcast); err != nil {
		h.t.Fatal(err)
	}
}

// batchEngine is an engine on the harness's database that broadcasts to n
// chats per Notify, so a test sees several rounds.
func (h *harness) batchEngine(n int) *flows.Engine {
	return flows.New(flows.Config{
		Store:         stateStore{h.db, nil},
		Core:          h.hooks,
		Catalog:       h.cat,
		Location:      shanghai,
		Now:           h.clock,
		AnnounceBatch: n,
		ChatRefs:      h.refs,
	})
}

func TestAnnouncementShownWhileInForce(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	c.identify(phoneZhang)
	e := h.chat(300, "en")

	c.send("/start")
	c.reject("📢")
	h.announce(start.Add(2*time.Hour), false)

	c.send("/start")
	c.expect("📢 " + outageZH)
	if !strings.HasPrefix(c.last[len(c.last)-1].Text, "📢 ") {
		t.Errorf("the notice is not above the greeting:\n%s", c.text())
	}
	e.send("/start")
	e.expect("📢 " + outageEN)
	e.reject(outageZH)

	c.send("/bill")
	c.expect("📢 "+outageZH, "Redmi K70")
	if n := strings.Count(c.text(), "📢"); n != 1 {
		t.Errorf("the bill reply shows the notice %d times, want once:\n%s", n, c.text())
	}
	c.press("提前还款")
	c.expect("提前结清报价", "📢 "+outageZH)
	c.send("/cancel")
	c.send("/pay")
	c.press("Redmi K70")
	c.expect("逾期账单", "📢 "+outageZH)
	c.send("/cancel")
	e.identify(phoneBob)
	e.send("/bill")
	e.expect("paid off", "📢 "+outageEN)

	h.advance(2 * time.Hour) // until has passed
	c.send("/start")
	c.reject("📢")
	c.send("/bill")
	c.reject("📢")

	h.announce(h.clock().Add(time.Hour), false)
	c.send("/start")
	c.expect("📢")
	if _, err := h.db.ClearAnnouncement(context.Background()); err != nil {
		t.Fatal(err)
	}
	c.send("/start")
	c.reject("📢")
}

func TestAnnouncementReplacesTheOneBefore(t *testing.T) {
	h := newHarness(t, fixture())
	c := h.chat(100, "zh")
	h.announce(start.Add(time.Hour), false)
	if _, _, err := h.db.SetAnnouncement(context.Background(), "维护已延长", "Maintenance extended", start.Add(3*time.Hour), false); err != nil {
		t.Fatal(err)
	}
	c.send("/start")
	c.expect("📢 维护已延长")
	c.reject(outageZH)
	if _, _, err := h.db.SetAnnouncement(context.Background(), "x", "y", start.Add(-time.Minute), false); supportbot.ErrorCode(err) != supportbot.EINVALID {
		t.Errorf("an announcement that already ended: err = %v, want EINVALID", err)
	}
}

func TestBroadcastQueuedOncePerLinkedChatAcrossRestarts(t *testing.T) {
	h := newHarness(t, fixture())
	for _, l := range []struct {
		chat  int64
		lang  string
		phone string
	}{{100, "zh", phoneZhang}, {101, "zh", phoneZhang}, {300, "en", phoneBob}, {400, "zh", phoneWang}, {500, "zh", phoneLi}} {
		h.chat(l.chat, l.lang).identify(l.phone)
	}
	h.chat(600, "zh").send("/start") // not linked to a customer
	h.block(400)
	h.drainOutbox()

	h.announce(start.Add(24*time.Hour), true)
	eng := h.batchEngine(2)
	if n := h.notify(eng); n != 2 {
		t.Fatalf("first round queued %d, want a batch of 2", n)
	}
	h.open() // a restart midway
	eng = h.batchEngine(2)
	if n := h.notify(eng); n != 2 {
		t.Fatalf("after the restart %d queued, want the next 2", n)
	}
	for i := 0; i < 3; i++ {
		if n := h.notify(eng); n != 0 {
			t.Fatalf("round %d queued %d more, want none", i+3, n)
		}
	}
	msgs := h.drainOutbox()
	got := map[int64]int{}
	for _, m := range msgs {
		got[m.ChatID]++
	}
	want := map[int64]int{100: 1, 101: 1, 300: 1, 500: 1}
	if len(got) != len(want) {
		t.Fatalf("broadcast went to %v, want once each to %v", got, want)
	}
	for chat, n := range want {
		if got[chat] != n {
			t.Errorf("chat %d got it %d times, want %d", chat, got[chat], n)
		}
	}
	for _, m := range msgs {
		wantText := "<b>📢 服务公告</b>\n" + outageZH
		if m.ChatID == 300 {
			wantText = "<b>📢 Service notice</b>\n" + outageEN
		}
		if m.Text != wantText {
			t.Errorf("chat %d got %q, want %q", m.ChatID, m.Text, wantText)
		}
	}
	if n := h.notify(); n != 0 { // the default engine finds it done too
		t.Errorf("%d queued by another engine after the broadcast, want none", n)
	}
}

func TestBroadcastWaitsForTheMorningAndNotAfterUntil(t *testing.T) {
	h := newHarness(t, fixture())
	h.chat(100, "zh").identify(phoneZhang)
	h.drainOutbox()

	h.advance(12 * time.Hour) // 22:00
	h.announce(h.clock().Add(12*time.Hour), true)
	if n := h.notify(); n != 0 {
		t.Fatalf("at 22:00 %d queued, want the broadcast to wait for the morning", n)
	}
	h.advance(11 * time.Hour) // 09:00
	if n := h.notify(); n != 1 {
		t.Fatalf("at 09:00 %d queued, want 1", n)
	}
	h.drainOutbox()

	h.announce(h.clock().Add(time.Minute), true) // a new one, expiring before the job runs
	h.advance(2 * time.Minute)
	if n := h.notify(); n != 0 {
		t.Errorf("an expired announcement was broadcast to %d chats", n)
	}
	h.announce(h.clock().Add(time.Hour), true)
	if _, err := h.db.ClearAnnouncement(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := h.notify(); n != 0 {
		t.Errorf("a cleared announcement was broadcast to %d chats", n)
	}
}
