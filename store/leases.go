package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Leases let several instances share work through the database: a chat's
// inbox is handled by one instance at a time (its turn), a periodic job runs
// on one instance at a time. A lease is taken when free or run out, renewed
// by its holder, and runs out by itself when the holder dies.

// Leases are taken for one owner (an instance of the bot) for a while.
type Leases struct {
	db    *DB
	owner string
	ttl   time.Duration
}

// Leases returns the lease book of owner; a lease lasts ttl unless renewed.
func (db *DB) Leases(owner string, ttl time.Duration) *Leases {
	return &Leases{db: db, owner: owner, ttl: ttl}
}

// TakeTurn claims a chat's inbox (or renews this owner's claim); false when
// another owner holds it.
func (l *Leases) TakeTurn(ctx context.Context, chatID int64) (bool, error) {
	return l.take(ctx, `chat_leases`, `chat_id`, chatID, l.ttl)
}

// GiveTurn gives a chat's inbox back.
func (l *Leases) GiveTurn(ctx context.Context, chatID int64) error {
	return l.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM chat_leases WHERE chat_id = ? AND owner = ?`, chatID, l.owner)
		return err
	})
}

// TakeJob claims a periodic job for lease (or renews this owner's claim).
func (l *Leases) TakeJob(ctx context.Context, name string, lease time.Duration) (bool, error) {
	return l.take(ctx, `job_leases`, `name`, name, lease)
}

// GiveJob gives a job's lease back, if this owner holds it.
func (l *Leases) GiveJob(ctx context.Context, name string) error {
	return l.db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `DELETE FROM job_leases WHERE name = ? AND owner = ?`, name, l.owner)
		return err
	})
}

func (l *Leases) take(ctx context.Context, table, key string, id any, ttl time.Duration) (bool, error) {
	var ok bool
	err := l.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `INSERT INTO `+table+` (`+key+`, owner, until) VALUES (?, ?, ?)
			ON CONFLICT (`+key+`) DO UPDATE SET owner = excluded.owner, until = excluded.until
			WHERE `+table+`.until < ? OR `+table+`.owner = excluded.owner`,
			id, l.owner, ms(tx.now.Add(ttl)), ms(tx.now))
		if err != nil {
			if name, ok := id.(string); ok { // a job's name; a chat's id is a person's, and stays out of logs (a probe)
				return fmt.Errorf("take lease %s %s: %w", table, name, err)
			}
			return fmt.Errorf("take lease %s: %w", table, err)
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

// LiveJobs are the names of the job leases beginning with prefix that some
// owner holds now (not run out).
func (db *DB) LiveJobs(ctx context.Context, prefix string) ([]string, error) {
	rows, err := db.read().query(ctx, `SELECT name FROM job_leases WHERE until > ? ORDER BY name`, ms(db.Now()))
	if err != nil {
		return nil, fmt.Errorf("live jobs: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, err
		}
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	return names, rows.Err()
}
