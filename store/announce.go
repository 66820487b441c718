package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"supportbot"
)

// MaxAnnouncement is the longest announcement text, in characters: it is
// shown as one line in bill replies and quotes.
const MaxAnnouncement = 500

// SetAnnouncement makes a service announcement the active one, replacing any
// other: its text in Chinese and English, shown until until; with broadcast
// the bot also sends it once to every linked chat. It returns the id, and
// kept when the texts are the active announcement's: then that one stays,
// with the new until (and broadcast, if it was not), so that setting it
// again — the same command run twice, an end moved — sends it to nobody a
// second time and does not stop a broadcast under way.
// EINVALID for an empty or too long text, or an until not in the future.
func (db *DB) SetAnnouncement(ctx context.Context, zh, en string, until time.Time, broadcast bool) (id int64, kept bool, err error) {
	zh, en = strings.TrimSpace(zh), strings.TrimSpace(en)
	now := db.Now()
	switch {
	case zh == "" || en == "":
		return 0, false, supportbot.Errorf(supportbot.EINVALID, "the announcement needs a Chinese and an English text")
	case utf8.RuneCountInString(zh) > MaxAnnouncement || utf8.RuneCountInString(en) > MaxAnnouncement:
		return 0, false, supportbot.Errorf(supportbot.EINVALID, "an announcement text has at most %d characters", MaxAnnouncement)
	case !until.After(now):
		return 0, false, supportbot.Errorf(supportbot.EINVALID, "until %s is not in the future", until.Format(time.RFC3339))
	}
	err = db.Update(ctx, func(tx *Tx) error {
		state := 0
		if broadcast {
			state = 1
		}
		same, zh0, en0, state0, ok, err := activeAnnouncement(ctx, tx, tx.now)
		if err != nil {
			return err
		}
		if kept = ok && zh0 == zh && en0 == en; kept {
			id = same
			if state0 > state {
				state = state0 // broadcast, or done broadcasting: it stays so
			}
			if _, err := tx.exec(ctx, `UPDATE announcements SET until = ?, broadcast = ? WHERE id = ?`, ms(until), state, id); err != nil {
				return fmt.Errorf("renew announcement %d: %w", id, err)
			}
			return tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "announcement_set",
				Details: map[string]any{"announcement_id": id, "until": until.Format(time.RFC3339), "broadcast": state > 0, "kept": true}})
		}
		if _, err := tx.clearAnnouncement(ctx); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `
			INSERT INTO announcements (text_zh, text_en, until, broadcast, active, created_at) VALUES (?, ?, ?, ?, TRUE, ?)
			RETURNING id`, zh, en, ms(until), state, ms(tx.now)).Scan(&id); err != nil {
			return fmt.Errorf("insert announcement: %w", err)
		}
		return tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "announcement_set",
			Details: map[string]any{"announcement_id": id, "until": until.Format(time.RFC3339), "broadcast": broadcast}})
	})
	if err != nil {
		return 0, false, fmt.Errorf("set announcement: %w", err)
	}
	return id, kept, nil
}

// ClearAnnouncement ends the active announcement, and its broadcast if it is
// still going; false when there was none.
func (db *DB) ClearAnnouncement(ctx context.Context) (bool, error) {
	var cleared int64
	err := db.Update(ctx, func(tx *Tx) error {
		var err error
		if cleared, err = tx.clearAnnouncement(ctx); err != nil || cleared == 0 {
			return err
		}
		return tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "announcement_clear",
			Details: map[string]any{"announcement_id": cleared}})
	})
	if err != nil {
		return false, fmt.Errorf("clear announcement: %w", err)
	}
	return cleared != 0, nil
}

// clearAnnouncement deactivates the active announcement and returns its id (0
// when there was none).
func (tx *Tx) clearAnnouncement(ctx context.Context) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM announcements WHERE active = TRUE`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("find announcement: %w", err)
	}
	if _, err := tx.exec(ctx, `UPDATE announcements SET active = FALSE, cleared_at = ? WHERE id = ?`,
		ms(tx.now), id); err != nil {
		return 0, fmt.Errorf("clear announcement %d: %w", id, err)
	}
	return id, nil
}

// activeAnnouncement is the announcement in force at now: active and not
// expired. ok is false when there is none.
func activeAnnouncement(ctx context.Context, r reader, now time.Time) (id int64, zh, en string, broadcast int, ok bool, err error) {
	var until time.Time
	err = r.queryRow(ctx, `SELECT id, text_zh, text_en, until, broadcast FROM announcements WHERE active = TRUE`).
		Scan(&id, &zh, &en, msTime{&until}, &broadcast)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", "", 0, false, nil
	} else if err != nil {
		return 0, "", "", 0, false, fmt.Errorf("find announcement: %w", err)
	}
	if !now.Before(until) {
		return 0, "", "", 0, false, nil
	}
	return id, zh, en, broadcast, true, nil
}

// AnnouncementText is the announcement in force in lang; "" when there is
// none (never set, cleared, or expired).
func (db *DB) AnnouncementText(ctx context.Context, lang supportbot.Lang) (string, error) {
	_, zh, en, _, ok, err := activeAnnouncement(ctx, db.read(), db.Now())
	switch {
	case err != nil || !ok:
		return "", err
	case lang == supportbot.LangEN:
		return en, nil
	}
	return zh, nil
}

// AnnouncementRecipients lists, by chat id, up to limit chats that are linked
// to a customer, reachable, and not yet queued the broadcast of the
// announcement in force; it returns the announcement's id, or 0 when no
// broadcast is to be done (none in force, not a broadcast, or finished).
func (tx *Tx) AnnouncementRecipients(ctx context.Context, limit int) (int64, []supportbot.Conversation, error) {
	id, _, _, broadcast, ok, err := activeAnnouncement(ctx, tx, tx.now)
	if err != nil || !ok || broadcast != 1 {
		return 0, nil, err
	}
	rows, err := tx.query(ctx, `
		SELECT c.chat_id, c.lang, c.customer_id FROM conversations c
		WHERE c.customer_id IS NOT NULL AND c.unreachable = FALSE
		  AND NOT EXISTS (SELECT 1 FROM announcement_deliveries d WHERE d.announcement_id = ? AND d.chat_id = c.chat_id)
		ORDER BY c.chat_id LIMIT ?`, id, limit)
	if err != nil {
		return 0, nil, fmt.Errorf("list announcement recipients: %w", err)
	}
	defer rows.Close()
	var list []supportbot.Conversation
	for rows.Next() {
		var c supportbot.Conversation
		var lang string
		if err := rows.Scan(&c.ChatID, &lang, &c.CustomerID); err != nil {
			return 0, nil, err
		}
		c.Lang = supportbot.Lang(lang)
		list = append(list, c)
	}
	return id, list, rows.Err()
}

// AnnouncementQueued records that the announcement's broadcast was queued to
// the chats (a chat recorded before is an error: it would get it twice);
// done marks the broadcast finished, so later runs look no further.
func (tx *Tx) AnnouncementQueued(ctx context.Context, id int64, chatIDs []int64, done bool) error {
	for _, chat := range chatIDs {
		if _, err := tx.exec(ctx, `
			INSERT INTO announcement_deliveries (announcement_id, chat_id, queued_at) VALUES (?, ?, ?)`,
			id, chat, ms(tx.now)); err != nil {
			if tx.d.unique(err) {
				return supportbot.Errorf(supportbot.ECONFLICT, "announcement %d was queued to a chat before", id)
			}
			return fmt.Errorf("record announcement delivery: %w", err)
		}
	}
	if done {
		if _, err := tx.exec(ctx, `UPDATE announcements SET broadcast = 2 WHERE id = ? AND broadcast = 1`, id); err != nil {
			return fmt.Errorf("finish announcement broadcast: %w", err)
		}
	}
	return nil
}
