package flows

import (
	"context"
	"time"

	"supportbot"
)

// Operator announcements (`supportbot notice set`): while one is in force it
// is shown, as one 📢 line in the chat's language, at /start, in bill replies
// and in repayment quotes; one set with --broadcast is also sent once to every
// linked chat the bot can reach, by the Notify job below.

// defaultAnnounceBatch is how many chats one Notify run queues a broadcast to:
// at the channel's 2-second cadence about 20 messages a second, under
// Telegram's 30 a second overall, so replies to customers talking to the bot
// meanwhile still find room and do not queue behind the whole broadcast.
const defaultAnnounceBatch = 40

// announcement is the line shown for the announcement in force, "" when none is.
func (s *Step) announcement() (string, error) {
	text, err := s.e.st.AnnouncementText(s.ctx, s.conv.Lang)
	if err != nil || text == "" {
		return "", err
	}
	return s.T("announce.line", "text", text), nil
}

// appendAnnouncement adds the announcement in force to the end of the last
// reply (a bill reply, a quote).
func (s *Step) appendAnnouncement() error {
	line, err := s.announcement()
	if err != nil || line == "" || len(s.out) == 0 {
		return err
	}
	s.out[len(s.out)-1].Text += "\n\n" + line
	return nil
}

// prependAnnouncement puts the announcement in force above the last reply
// (the greeting).
func (s *Step) prependAnnouncement() error {
	line, err := s.announcement()
	if err != nil || line == "" || len(s.out) == 0 {
		return err
	}
	s.out[len(s.out)-1].Text = line + "\n\n" + s.out[len(s.out)-1].Text
	return nil
}

// broadcastAnnouncement is the job of broadcasts: it queues the
// announcement in force to the next batch of linked, reachable chats it has
// not been queued to, and records them in the same transaction, so a restart
// resumes where it stopped and no chat gets it twice. Like reminders it waits
// out the night (21:00-09:00 support time).
func (e *Engine) broadcastAnnouncement(ctx context.Context, now time.Time) (int, error) {
	if h := now.In(e.cfg.Location).Hour(); h < quietTo || h >= quietFrom {
		return 0, nil
	}
	limit := e.cfg.AnnounceBatch
	if limit <= 0 {
		limit = defaultAnnounceBatch
	}
	texts := map[supportbot.Lang]string{}
	for _, lang := range []supportbot.Lang{supportbot.LangZH, supportbot.LangEN} {
		text, err := e.st.AnnouncementText(ctx, lang)
		if err != nil || text == "" {
			return 0, err
		}
		texts[lang] = text
	}
	n := 0
	err := e.st.Update(ctx, func(tx Tx) error {
		n = 0
		id, chats, err := tx.AnnouncementRecipients(ctx, limit)
		if err != nil || id == 0 {
			return err
		}
		out := make([]supportbot.Reply, 0, len(chats))
		ids := make([]int64, 0, len(chats))
		for _, c := range chats {
			t := func(key string, args ...any) string { return e.cfg.Catalog.T(c.Lang, key, args...) }
			out = append(out, supportbot.Reply{ChatID: c.ChatID, Text: t("announce.broadcast", "text", texts[c.Lang]),
				Buttons: [][]supportbot.Button{{menuButton(t("menu.bill"), "bill", ""), menuButton(t("btn.menu"), "menu", "")}}})
			ids = append(ids, c.ChatID)
		}
		n = len(out)
		if err := tx.Enqueue(ctx, out); err != nil {
			return err
		}
		// A short batch was the last one.
		return tx.AnnouncementQueued(ctx, id, ids, len(chats) < limit)
	})
	if supportbot.ErrorCode(err) == supportbot.ECONFLICT {
		// Another instance queued this batch meanwhile (its lease on the job
		// ran out in the middle of a run): nothing was queued twice.
		return 0, nil
	}
	return n, err
}
