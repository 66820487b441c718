package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The bot keeps the closure identity check's attempt count and its lock
// (the core only compares): per customer, not per chat.

// ClosureLock is the customer's failed identity checks for closure since the
// last success, and the time closure is locked until. A lock that has run out
// counts as none: 0 and the zero time.
func (db *DB) ClosureLock(ctx context.Context, customerID string) (failures int, lockedUntil time.Time, err error) {
	return closureLock(ctx, db.read(), customerID, db.Now())
}

func closureLock(ctx context.Context, r reader, customerID string, now time.Time, lock ...string) (int, time.Time, error) {
	var failures int
	var until time.Time
	err := r.queryRow(ctx, `SELECT failures, locked_until FROM closure_locks WHERE customer_id = ?`+strings.Join(lock, ""), customerID).
		Scan(&failures, nullTime{&until})
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, fmt.Errorf("find closure lock: %w", err)
	}
	if until.IsZero() {
		return failures, time.Time{}, nil
	}
	if !until.After(now) {
		return 0, time.Time{}, nil // expired: a fresh set of tries
	}
	return failures, until, nil
}

// RecordClosureFailure counts one failed identity check; the lockAfter-th
// failure in a row locks closure for lockFor from now. It returns the
// failures so far and the lock's end (zero while not locked). While closure
// is locked it counts nothing and returns the lock as it stands. The count
// is read and written in the transaction: two chats of one customer failing
// at once both count.
func (tx *Tx) RecordClosureFailure(ctx context.Context, customerID string, lockAfter int, lockFor time.Duration) (int, time.Time, error) {
	// The row exists and is locked before it is read: concurrent failures of
	// one customer are counted one after the other.
	if _, err := tx.exec(ctx, `INSERT INTO closure_locks (customer_id, failures, updated_at) VALUES (?, 0, ?)
		ON CONFLICT (customer_id) DO NOTHING`, customerID, ms(tx.now)); err != nil {
		return 0, time.Time{}, fmt.Errorf("record closure failure: %w", err)
	}
	failures, lockedUntil, err := closureLock(ctx, tx, customerID, tx.now, tx.d.forUpdate)
	if err != nil || !lockedUntil.IsZero() {
		return failures, lockedUntil, err
	}
	failures++
	var until any
	if failures >= lockAfter {
		lockedUntil = tx.now.Add(lockFor).Truncate(time.Millisecond)
		until = ms(lockedUntil)
	}
	_, err = tx.exec(ctx, `
		INSERT INTO closure_locks (customer_id, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (customer_id) DO UPDATE SET
			failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
		customerID, failures, until, ms(tx.now))
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("record closure failure: %w", err)
	}
	return failures, lockedUntil, nil
}

// ResetClosureFailures forgets the customer's failed identity checks, after a
// successful one.
func (tx *Tx) ResetClosureFailures(ctx context.Context, customerID string) error {
	if _, err := tx.exec(ctx, `DELETE FROM closure_locks WHERE customer_id = ?`, customerID); err != nil {
		return fmt.Errorf("reset closure failures: %w", err)
	}
	return nil
}
