package store

import (
	"context"
	"fmt"
	"time"

	"supportbot"
)

// MaskQuestion hides digit runs (phones, ID and card numbers) in a question
// before it is kept, and bounds its length.
func MaskQuestion(text string) string {
	return supportbot.MaskNumbers(text, 200)
}

// RecordMiss counts an unanswered question, masked.
func (db *DB) RecordMiss(ctx context.Context, text string) error {
	now := formatTime(db.Now())
	_, err := db.db.ExecContext(ctx, `
		INSERT INTO faq_misses (text, count, first_seen, last_seen) VALUES (?, 1, ?, ?)
		ON CONFLICT (text) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen`,
		MaskQuestion(text), now, now)
	if err != nil {
		return fmt.Errorf("record faq miss: %w", err)
	}
	return nil
}

// Miss is an unanswered question and how often it was asked.
type Miss struct {
	Text     string
	Count    int
	LastSeen time.Time
}

// Misses lists the most frequent unanswered questions.
func (db *DB) Misses(ctx context.Context, limit int) ([]Miss, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT text, count, last_seen FROM faq_misses ORDER BY count DESC, last_seen DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list faq misses: %w", err)
	}
	defer rows.Close()
	var list []Miss
	for rows.Next() {
		var m Miss
		var last string
		if err := rows.Scan(&m.Text, &m.Count, &last); err != nil {
			return nil, err
		}
		if m.LastSeen, err = parseTime(last); err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, rows.Err()
}
