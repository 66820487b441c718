package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"supportbot"
)

const closureColumns = `reference, customer_id, status, reason, created_at, expected_from, expected_to, updated_at`

// OpenClosureRequest finds the customer's request still awaiting a decision;
// ENOTFOUND if there is none.
func (tx *Tx) OpenClosureRequest(ctx context.Context, customerID string) (*supportbot.ClosureRequest, error) {
	return tx.findClosure(ctx, `customer_id = ? AND status = 'submitted'`, customerID)
}

// LatestClosureRequest finds the customer's most recent request, whatever its
// status; ENOTFOUND if they never asked.
func (tx *Tx) LatestClosureRequest(ctx context.Context, customerID string) (*supportbot.ClosureRequest, error) {
	// (day, seq) is the order of submission; created_at as text is not.
	return tx.findClosure(ctx, `customer_id = ? ORDER BY day DESC, seq DESC LIMIT 1`, customerID)
}

func (tx *Tx) findClosure(ctx context.Context, where string, args ...any) (*supportbot.ClosureRequest, error) {
	var r supportbot.ClosureRequest
	var created, updated, from, to string
	err := tx.tx.QueryRowContext(ctx, `SELECT `+closureColumns+` FROM closure_requests WHERE `+where, args...).
		Scan(&r.Reference, &r.CustomerID, &r.Status, &r.Reason, &created, &from, &to, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("closure request not found")
	} else if err != nil {
		return nil, fmt.Errorf("find closure request: %w", err)
	}
	r.ExpectedFrom, r.ExpectedTo = supportbot.Date(from), supportbot.Date(to)
	if r.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if r.UpdatedAt, err = parseTime(updated); err != nil {
		return nil, err
	}
	return &r, nil
}

// CreateClosureRequest submits a closure request for the customer, expected
// to be done between from and to. Its reference is CR-YYYYMMDD-NNNN: today
// (the date in the support timezone) and the next number of that day's
// sequence, allocated in this transaction, so two requests never share one.
//
// It returns ECONFLICT when the customer already has an open request,
// ENOTFOUND when there is no such customer and EINVALID for a bad date.
func (tx *Tx) CreateClosureRequest(ctx context.Context, customerID string, today, from, to supportbot.Date) (*supportbot.ClosureRequest, error) {
	for _, d := range []supportbot.Date{today, from, to} {
		if _, err := supportbot.ParseDate(string(d)); err != nil {
			return nil, err
		}
	}
	if from > to {
		return nil, supportbot.Errorf(supportbot.EINVALID, "expected dates %s after %s", from, to)
	}
	if open, err := tx.OpenClosureRequest(ctx, customerID); err == nil {
		return nil, supportbot.Errorf(supportbot.ECONFLICT, "customer %s already has open closure request %s", customerID, open.Reference)
	} else if supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
		return nil, err
	}
	var seq int
	err := tx.tx.QueryRowContext(ctx, `
		INSERT INTO closure_sequences (day, last_seq) VALUES (?, 1)
		ON CONFLICT (day) DO UPDATE SET last_seq = closure_sequences.last_seq + 1
		RETURNING last_seq`, string(today)).Scan(&seq)
	if err != nil {
		return nil, fmt.Errorf("allocate closure reference: %w", err)
	}
	r := &supportbot.ClosureRequest{
		Reference:  fmt.Sprintf("CR-%s-%04d", strings.ReplaceAll(string(today), "-", ""), seq),
		CustomerID: customerID, Status: supportbot.ClosureSubmitted,
		CreatedAt: tx.now, UpdatedAt: tx.now, ExpectedFrom: from, ExpectedTo: to,
	}
	_, err = tx.tx.ExecContext(ctx, `
		INSERT INTO closure_requests (`+closureColumns+`, day, seq)
		VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?)`,
		r.Reference, r.CustomerID, r.Status, formatTime(r.CreatedAt), string(from), string(to),
		formatTime(r.UpdatedAt), string(today), seq)
	switch {
	case constraintCode(err) == sqlite3.ErrConstraintForeignKey:
		return nil, notFound("customer %s not found", customerID)
	case isConstraint(err):
		// Only reachable when another writer got in between: the partial
		// unique index keeps one open request, the keys keep references unique.
		return nil, supportbot.Errorf(supportbot.ECONFLICT, "closure request of %s conflicts with another", customerID)
	case err != nil:
		return nil, fmt.Errorf("create closure request: %w", err)
	}
	return r, nil
}

// constraintCode is the extended code of a SQLite constraint violation, or 0.
func constraintCode(err error) sqlite3.ErrNoExtended {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		return se.ExtendedCode
	}
	return 0
}

// ClosureLock is the customer's failed identity checks for closure since the
// last success, and the time closure is locked until. A lock that has run out
// counts as none: it returns 0 and the zero time, as for a customer who never
// failed.
func (tx *Tx) ClosureLock(ctx context.Context, customerID string) (failures int, lockedUntil time.Time, err error) {
	return tx.closureLock(ctx, customerID)
}

func (tx *Tx) closureLock(ctx context.Context, customerID string) (int, time.Time, error) {
	var failures int
	var until string
	err := tx.tx.QueryRowContext(ctx, `
		SELECT failures, locked_until FROM closure_locks WHERE customer_id = ?`, customerID).Scan(&failures, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, nil
	} else if err != nil {
		return 0, time.Time{}, fmt.Errorf("find closure lock: %w", err)
	}
	if until == "" {
		return failures, time.Time{}, nil
	}
	t, err := parseTime(until)
	if err != nil {
		return 0, time.Time{}, err
	}
	if !t.After(tx.now) {
		return 0, time.Time{}, nil // expired: a fresh set of tries
	}
	return failures, t, nil
}

// RecordClosureFailure counts one failed identity check for closure; the
// lockAfter-th failure in a row locks closure for lockFor from now. It returns
// the failures so far and the lock's end (zero while not locked). While
// closure is locked it counts nothing and returns the lock as it stands.
func (tx *Tx) RecordClosureFailure(ctx context.Context, customerID string, lockAfter int, lockFor time.Duration) (failures int, lockedUntil time.Time, err error) {
	failures, lockedUntil, err = tx.closureLock(ctx, customerID)
	if err != nil || !lockedUntil.IsZero() {
		return failures, lockedUntil, err
	}
	failures++
	until := ""
	if failures >= lockAfter {
		lockedUntil = tx.now.Add(lockFor)
		until = formatTime(lockedUntil)
	}
	_, err = tx.tx.ExecContext(ctx, `
		INSERT INTO closure_locks (customer_id, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (customer_id) DO UPDATE SET
			failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
		customerID, failures, until, formatTime(tx.now))
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("record closure failure: %w", err)
	}
	return failures, lockedUntil, nil
}

// ResetClosureFailures forgets the customer's failed identity checks, after a
// successful one.
func (tx *Tx) ResetClosureFailures(ctx context.Context, customerID string) error {
	if _, err := tx.tx.ExecContext(ctx, `DELETE FROM closure_locks WHERE customer_id = ?`, customerID); err != nil {
		return fmt.Errorf("reset closure failures: %w", err)
	}
	return nil
}

// SetClosureStatus records a support agent's decision on a submitted closure
// request: completed, or rejected with a reason (an optional note on
// completion). In the same transaction it appends a closure_status audit
// entry, adds a message-center entry for the customer (kind closure_completed
// or closure_rejected) and flags the request for notification. It returns the
// request as updated and the chats linked to its customer, for the caller to
// notify; the text is the caller's business.
//
// It returns EINVALID for another status or a rejection without a reason,
// ENOTFOUND for an unknown reference and ECONFLICT when the request was
// already decided.
func (db *DB) SetClosureStatus(ctx context.Context, ref, status, reason string) (*supportbot.ClosureRequest, []int64, error) {
	var r *supportbot.ClosureRequest
	var chats []int64
	err := db.update(ctx, func(tx *Tx) error {
		var err error
		if r, err = tx.SetClosureStatus(ctx, ref, status, reason); err != nil {
			return err
		}
		chats, err = tx.customerChats(ctx, r.CustomerID)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("set closure status: %w", err)
	}
	return r, chats, nil
}

// SetClosureStatus is DB.SetClosureStatus inside a transaction (an agent's
// /closure command in the staff chat).
func (tx *Tx) SetClosureStatus(ctx context.Context, ref, status, reason string) (*supportbot.ClosureRequest, error) {
	ref, reason = strings.ToUpper(strings.TrimSpace(ref)), strings.TrimSpace(reason)
	switch {
	case status != supportbot.ClosureCompleted && status != supportbot.ClosureRejected:
		return nil, supportbot.Errorf(supportbot.EINVALID, "status %q: want %s or %s", status, supportbot.ClosureCompleted, supportbot.ClosureRejected)
	case status == supportbot.ClosureRejected && reason == "":
		return nil, supportbot.Errorf(supportbot.EINVALID, "a rejection needs a reason the customer can act on")
	}
	r, err := tx.findClosure(ctx, `reference = ?`, ref)
	if err != nil {
		return nil, err
	}
	if !r.Open() {
		return nil, supportbot.Errorf(supportbot.ECONFLICT, "closure request %s is already %s", ref, r.Status)
	}
	res, err := tx.tx.ExecContext(ctx, `
		UPDATE closure_requests SET status = ?, reason = ?, updated_at = ?, notify = 1
		WHERE reference = ? AND status = 'submitted'`, status, reason, formatTime(tx.now), ref)
	if err != nil {
		return nil, fmt.Errorf("update closure request %s: %w", ref, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, err
	} else if n != 1 {
		return nil, supportbot.Errorf(supportbot.ECONFLICT, "closure request %s changed meanwhile", ref)
	}
	r.Status, r.Reason, r.UpdatedAt = status, reason, tx.now
	if err := tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "closure_status", CustomerID: r.CustomerID,
		Details: map[string]any{"reference": ref, "status": status, "reason": reason}}); err != nil {
		return nil, err
	}
	if err := tx.AddNotice(ctx, supportbot.Notice{CustomerID: r.CustomerID, Kind: "closure_" + status,
		Params: map[string]string{"reference": ref, "reason": reason}}); err != nil {
		return nil, err
	}
	return r, nil
}

// customerChats lists the chats linked to a customer.
func (tx *Tx) customerChats(ctx context.Context, customerID string) ([]int64, error) {
	rows, err := tx.tx.QueryContext(ctx, `
		SELECT chat_id FROM conversations WHERE customer_id = ? ORDER BY chat_id`, customerID)
	if err != nil {
		return nil, fmt.Errorf("list chats of customer: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// ClosureNotices lists the decided requests whose customer has not been told.
func (tx *Tx) ClosureNotices(ctx context.Context) ([]supportbot.ClosureRequest, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT reference FROM closure_requests WHERE notify = 1 ORDER BY updated_at`)
	if err != nil {
		return nil, fmt.Errorf("list closure notices: %w", err)
	}
	var refs []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			rows.Close()
			return nil, err
		}
		refs = append(refs, ref)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	list := make([]supportbot.ClosureRequest, 0, len(refs))
	for _, ref := range refs {
		r, err := tx.findClosure(ctx, `reference = ?`, ref)
		if err != nil {
			return nil, err
		}
		list = append(list, *r)
	}
	return list, nil
}

// ClosureNotified clears a request's notification flag.
func (tx *Tx) ClosureNotified(ctx context.Context, ref string) error {
	_, err := tx.tx.ExecContext(ctx, `UPDATE closure_requests SET notify = 0 WHERE reference = ?`, ref)
	return err
}
