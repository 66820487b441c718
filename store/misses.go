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
	err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `
			INSERT INTO faq_misses (text, count, first_seen, last_seen) VALUES (?, 1, ?, ?)
			ON CONFLICT (text) DO UPDATE SET count = faq_misses.count + 1, last_seen = excluded.last_seen`,
			MaskQuestion(text), ms(tx.now), ms(tx.now))
		return err
	})
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
	rows, err := db.read().query(ctx, `
		SELECT text, count, last_seen FROM faq_misses ORDER BY count DESC, last_seen DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list faq misses: %w", err)
	}
	defer rows.Close()
	var list []Miss
	for rows.Next() {
		var m Miss
		if err := rows.Scan(&m.Text, &m.Count, msTime{&m.LastSeen}); err != nil {
			return nil, err
		}
		list = append(list, m)
	}
	return list, rows.Err()
}
