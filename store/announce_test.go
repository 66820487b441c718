package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func announcementText(t testing.TB, db *store.DB, lang supportbot.Lang) string {
	t.Helper()
	text, err := db.AnnouncementText(context.Background(), lang)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

func TestAnnouncementLifecycle(t *testing.T) {
	ctx := context.Background()
	db, c, _ := open(t)
	if got := announcementText(t, db, supportbot.LangZH); got != "" {
		t.Fatalf("no announcement yet, got %q", got)
	}
	for _, bad := range []struct {
		zh, en string
		until  time.Time
	}{
		{"", "en", t0.Add(time.Hour)},
		{"中文", " ", t0.Add(time.Hour)},
		{"中文", "en", t0},
		{strings.Repeat("长", store.MaxAnnouncement+1), "en", t0.Add(time.Hour)},
	} {
		if _, _, err := db.SetAnnouncement(ctx, bad.zh, bad.en, bad.until, false); supportbot.ErrorCode(err) != supportbot.EINVALID {
			t.Errorf("SetAnnouncement(%.10q, %q, %v): err = %v, want EINVALID", bad.zh, bad.en, bad.until, err)
		}
	}
	first, _, err := db.SetAnnouncement(ctx, " 甲 ", "A", t0.Add(time.Hour), false)
	if err != nil {
		t.Fatal(err)
	}
	if got := announcementText(t, db, supportbot.LangZH); got != "甲" {
		t.Errorf("text %q, want the trimmed 甲", got)
	}
	second, _, err := db.SetAnnouncement(ctx, "乙", "B", t0.Add(2*time.Hour), false)
	if err != nil || second == first {
		t.Fatalf("second announcement %d, %v", second, err)
	}
	if zh, en := announcementText(t, db, supportbot.LangZH), announcementText(t, db, supportbot.LangEN); zh != "乙" || en != "B" {
		t.Errorf("texts %q, %q; want the replacement 乙, B", zh, en)
	}
	c.Set(t0.Add(2*time.Hour - time.Millisecond))
	if got := announcementText(t, db, supportbot.LangEN); got != "B" {
		t.Errorf("a millisecond before it ends: %q", got)
	}
	c.Set(t0.Add(2 * time.Hour))
	if got := announcementText(t, db, supportbot.LangZH); got != "" {
		t.Errorf("expired, still %q", got)
	}
	c.Set(t0)
	if cleared, err := db.ClearAnnouncement(ctx); err != nil || !cleared {
		t.Fatalf("ClearAnnouncement = %v, %v; want true", cleared, err)
	}
	if cleared, err := db.ClearAnnouncement(ctx); err != nil || cleared {
		t.Errorf("a second ClearAnnouncement = %v, %v; want false", cleared, err)
	}
	if got := announcementText(t, db, supportbot.LangZH); got != "" {
		t.Errorf("cleared, still %q", got)
	}
	entries, err := db.Audit(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, ","); got != "announcement_set,announcement_set,announcement_clear" {
		t.Errorf("audit %s", got)
	}
}

func TestAnnouncementRecipientsInBatches(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	link(t, db, 10, "C01", supportbot.LangZH)
	link(t, db, 11, "C01", supportbot.LangEN)
	link(t, db, 20, "C02", supportbot.LangZH)
	link(t, db, 30, "C03", supportbot.LangZH)
	link(t, db, 40, "", supportbot.LangZH)
	unreachable(t, db, 30)

	next := func(limit int) (int64, []int64) {
		t.Helper()
		var id int64
		var chats []int64
		update(t, db, func(tx *store.Tx) error {
			var list []supportbot.Conversation
			var err error
			id, chats = 0, nil
			if id, list, err = tx.AnnouncementRecipients(ctx, limit); err != nil || id == 0 {
				return err
			}
			for _, c := range list {
				chats = append(chats, c.ChatID)
				if c.CustomerID == "" {
					t.Errorf("recipient %d has no customer", c.ChatID)
				}
			}
			return tx.AnnouncementQueued(ctx, id, chats, len(chats) < limit)
		})
		return id, chats
	}
	if id, _ := next(2); id != 0 {
		t.Errorf("no announcement, yet recipients of %d", id)
	}
	if _, _, err := db.SetAnnouncement(ctx, "甲", "A", t0.Add(time.Hour), false); err != nil {
		t.Fatal(err)
	}
	if id, _ := next(2); id != 0 {
		t.Errorf("not a broadcast, yet recipients of %d", id)
	}
	broadcast, _, err := db.SetAnnouncement(ctx, "乙", "B", t0.Add(time.Hour), true)
	if err != nil {
		t.Fatal(err)
	}
	_, all := next(2)
	// The same texts set again halfway (the command run twice, its end
	// moved): the same announcement, and its broadcast goes on to those not
	// sent it yet — nobody twice (a probe: everyone got it again).
	again, kept, err := db.SetAnnouncement(ctx, " 乙", "B ", t0.Add(3*time.Hour), true)
	if err != nil || !kept || again != broadcast {
		t.Fatalf("set again: %d, kept %v, %v; want %d kept", again, kept, err, broadcast)
	}
	for range 4 {
		_, chats := next(2)
		all = append(all, chats...)
	}
	if len(all) != 3 || all[0] != 10 || all[1] != 11 || all[2] != 20 {
		t.Errorf("broadcast went to %v, want [10 11 20]", all)
	}
	if id, _ := next(2); id != 0 {
		t.Errorf("finished broadcast still has recipients (announcement %d)", id)
	}
	if _, kept, err := db.SetAnnouncement(ctx, "乙", "B", t0.Add(4*time.Hour), true); err != nil || !kept {
		t.Fatalf("set once more: kept %v, %v", kept, err)
	}
	if id, _ := next(2); id != 0 {
		t.Errorf("a finished broadcast set again has recipients (announcement %d)", id)
	}
	if id, kept, err := db.SetAnnouncement(ctx, "乙（更正）", "B (corrected)", t0.Add(4*time.Hour), true); err != nil || kept || id == broadcast {
		t.Errorf("other texts: %d, kept %v, %v; want a new announcement", id, kept, err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error { return tx.AnnouncementQueued(ctx, broadcast, []int64{10}, false) })
	wantCode(t, "queuing a chat twice", err, supportbot.ECONFLICT)
}
