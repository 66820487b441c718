package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"supportbot"
)

// Money actions: committed with the step that confirmed them, executed
// against the core after the commit by their idempotency key, claimed with a
// lease so that one instance at a time executes one (a dead instance's claim
// runs out and another takes the action over, with the same key).

const actionColumns = `key, chat_id, customer_id, kind, request, state, result, attempts, next_at, created_at, settled_at`

func scanAction(row interface{ Scan(...any) error }) (*supportbot.Action, error) {
	var a supportbot.Action
	var kind, request, state, result string
	if err := row.Scan(&a.Key, &a.ChatID, &a.CustomerID, &kind, &request, &state, &result, &a.Attempts,
		msTime{&a.NextAt}, msTime{&a.CreatedAt}, nullTime{&a.SettledAt}); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(request), &a); err != nil {
		return nil, fmt.Errorf("action %s request: %w", a.Key, err)
	}
	a.Kind, a.State = supportbot.ActionKind(kind), supportbot.ActionState(state)
	if result != "" {
		if err := json.Unmarshal([]byte(result), &a.Outcome); err != nil {
			return nil, fmt.Errorf("action %s result: %w", a.Key, err)
		}
	}
	return &a, nil
}

// Action finds a money action by key; ENOTFOUND if none.
func (db *DB) Action(ctx context.Context, key string) (*supportbot.Action, error) {
	return action(ctx, db.read(), key)
}

// Action finds a money action inside the transaction.
func (tx *Tx) Action(ctx context.Context, key string) (*supportbot.Action, error) {
	return action(ctx, tx, key)
}

func action(ctx context.Context, r reader, key string) (*supportbot.Action, error) {
	a, err := scanAction(r.queryRow(ctx, `SELECT `+actionColumns+` FROM actions WHERE key = ?`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("money action not found")
	} else if err != nil {
		return nil, fmt.Errorf("find action: %w", err)
	}
	return a, nil
}

// CreateAction records a new pending money action; ECONFLICT when its key
// was used before (the step confirming it again must not create a second).
// With an owner it is created claimed by owner until until, as ClaimActions
// would claim it: the instance whose step commits it executes it right
// after the commit, without a claim of its own.
func (tx *Tx) CreateAction(ctx context.Context, a *supportbot.Action, owner string, until time.Time) error {
	request, err := json.Marshal(a)
	if err != nil {
		return err
	}
	var leaseUntil int64 // nobody's
	attempts := 0
	if owner != "" {
		leaseUntil, attempts = ms(until), 1 // a claim counts an attempt
	}
	// ON CONFLICT DO NOTHING, not a unique violation: the caller may go on
	// with its step after the ECONFLICT, and on PostgreSQL a failed
	// statement aborts the whole transaction.
	res, err := tx.exec(ctx, `
		INSERT INTO actions (key, chat_id, customer_id, kind, request, state, next_at, created_at, updated_at,
			lease_owner, lease_until, attempts)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		a.Key, a.ChatID, a.CustomerID, string(a.Kind), string(request), string(supportbot.ActionPending), ms(tx.now), ms(tx.now), ms(tx.now),
		owner, leaseUntil, attempts)
	if err != nil {
		return fmt.Errorf("create action: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return supportbot.Errorf(supportbot.ECONFLICT, "money action %s exists", a.Key)
	}
	a.State, a.CreatedAt, a.NextAt, a.Attempts = supportbot.ActionPending, tx.now, tx.now, attempts
	return nil
}

// RepaymentUnderWay reports whether the customer has a repayment of plan,
// other than key, waiting for its outcome. It takes the customer's
// repayment lock first (PostgreSQL): two steps confirming at once, each in
// its own chat, see each other's, and only one repayment of a plan is under
// way at a time.
func (tx *Tx) RepaymentUnderWay(ctx context.Context, customerID, planID, key string) (bool, error) {
	if err := tx.Lock(ctx, "repay:"+customerID); err != nil {
		return false, fmt.Errorf("lock the repayments of customer %s: %w", customerID, err)
	}
	rows, err := tx.query(ctx, `SELECT `+actionColumns+` FROM actions
		WHERE customer_id = ? AND kind = ? AND state IN ('pending', 'unknown', 'processing') AND key <> ?`,
		customerID, string(supportbot.ActionRepay), key)
	if err != nil {
		return false, fmt.Errorf("list the repayments under way of customer %s: %w", customerID, err)
	}
	list, err := scanActions(rows)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(list, func(a supportbot.Action) bool { return a.PlanID == planID }), nil
}

// ClaimActions takes up to limit actions that are due (pending or unknown
// whose next attempt is due, or processing ones due for a reconcile) and not
// claimed by a live lease, and claims them for owner until the lease ends.
func (db *DB) ClaimActions(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]supportbot.Action, error) {
	// Most polls find nothing: ask a reader first, and take the writer (and
	// a place in the group commit) only when there is something to claim.
	var due int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM actions
		WHERE state IN ('pending', 'unknown', 'processing') AND next_at <= ? AND lease_until < ? LIMIT 1) d`,
		ms(now), ms(now)).Scan(&due)
	if err != nil {
		return nil, fmt.Errorf("due actions: %w", err)
	} else if due == 0 {
		return nil, nil
	}
	var list []supportbot.Action
	err = db.Update(ctx, func(tx *Tx) error {
		list = nil
		rows, err := tx.query(ctx, `
			SELECT key FROM actions
			WHERE state IN ('pending', 'unknown', 'processing') AND next_at <= ? AND lease_until < ?
			ORDER BY next_at LIMIT ?`+tx.d.skipLocked, ms(now), ms(now), limit)
		if err != nil {
			return fmt.Errorf("due actions: %w", err)
		}
		var keys []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range keys {
			a, err := scanAction(tx.queryRow(ctx, `
				UPDATE actions SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
				WHERE key = ? AND lease_until < ? RETURNING `+actionColumns,
				owner, ms(now.Add(lease)), k, ms(now)))
			if errors.Is(err, sql.ErrNoRows) {
				continue // taken by another instance meanwhile
			} else if err != nil {
				return fmt.Errorf("claim action %s: %w", k, err)
			}
			list = append(list, *a)
		}
		return nil
	})
	return list, err
}

// ReleaseActions frees every claim on an open action: for a process that
// is the database's only user (SQLite), at start, so that what a killed
// predecessor had claimed is taken up at once rather than when its lease
// runs out. It reports how many claims it freed.
func (db *DB) ReleaseActions(ctx context.Context) (int64, error) {
	var n int64
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE actions SET lease_owner = '', lease_until = 0
			WHERE state IN ('pending', 'unknown', 'processing') AND lease_until > 0`)
		if err != nil {
			return fmt.Errorf("release actions: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// RetryAction records an attempt without a final answer: the action stays
// open in state (unknown or processing), is tried again at next, and its
// lease is released.
func (db *DB) RetryAction(ctx context.Context, key, owner string, state supportbot.ActionState, next time.Time, out supportbot.ActionOutcome) error {
	result, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `
			UPDATE actions SET state = ?, next_at = ?, result = ?, lease_owner = '', lease_until = 0, updated_at = ?
			WHERE key = ? AND lease_owner = ? AND state IN ('pending', 'unknown', 'processing')`,
			string(state), ms(next), string(result), ms(tx.now), key, owner)
		return err
	})
}

// SettleAction records an action's final outcome; false when it was settled
// already (by another instance, or an event that came first). owner, if
// set, must hold the action's lease.
func (tx *Tx) SettleAction(ctx context.Context, key, owner string, state supportbot.ActionState, out supportbot.ActionOutcome) (bool, error) {
	result, err := json.Marshal(out)
	if err != nil {
		return false, err
	}
	query := `UPDATE actions SET state = ?, result = ?, settled_at = ?, updated_at = ?, lease_owner = '', lease_until = 0
		WHERE key = ? AND state IN ('pending', 'unknown', 'processing')`
	args := []any{string(state), string(result), ms(tx.now), ms(tx.now), key}
	if owner != "" {
		query += ` AND lease_owner = ?`
		args = append(args, owner)
	}
	res, err := tx.exec(ctx, query, args...)
	if err != nil {
		return false, fmt.Errorf("settle action %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseAction settles an unknown action (sent, never answered) as failed,
// on a person's word that the core did nothing under its key, if no
// instance has claimed it since quiet (its lease given back, or run out
// before quiet: an attempt may outlive its lease by its timeout); false
// when it is not unknown or is being tried.
func (tx *Tx) ReleaseAction(ctx context.Context, key string, quiet time.Time, out supportbot.ActionOutcome) (bool, error) {
	result, err := json.Marshal(out)
	if err != nil {
		return false, err
	}
	res, err := tx.exec(ctx, `UPDATE actions SET state = ?, result = ?, settled_at = ?, updated_at = ?, lease_owner = '', lease_until = 0
		WHERE key = ? AND state = 'unknown' AND lease_until < ?`,
		string(supportbot.ActionFailed), string(result), ms(tx.now), ms(tx.now), key, ms(quiet))
	if err != nil {
		return false, fmt.Errorf("release action %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// CorrectAction settles as succeeded an action released as failed
// (ReleaseAction) that the core says did take the money after all: the
// core is the source of truth, the release an operator's word. False when
// it is not failed.
func (tx *Tx) CorrectAction(ctx context.Context, key string, out supportbot.ActionOutcome) (bool, error) {
	result, err := json.Marshal(out)
	if err != nil {
		return false, err
	}
	res, err := tx.exec(ctx, `UPDATE actions SET state = ?, result = ?, settled_at = ?, updated_at = ? WHERE key = ? AND state = ?`,
		string(supportbot.ActionSucceeded), string(result), ms(tx.now), ms(tx.now), key, string(supportbot.ActionFailed))
	if err != nil {
		return false, fmt.Errorf("correct action %s: %w", key, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// NoteAction records that the customer was told the action takes longer.
func (tx *Tx) NoteAction(ctx context.Context, key string, out supportbot.ActionOutcome) error {
	result, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `UPDATE actions SET result = ?, updated_at = ? WHERE key = ?`, string(result), ms(tx.now), key)
	return err
}

// Actions lists money actions, newest first, in one state when state is set.
func (db *DB) Actions(ctx context.Context, state supportbot.ActionState, limit int) ([]supportbot.Action, error) {
	rows, err := db.read().query(ctx, `SELECT `+actionColumns+` FROM actions WHERE ? = '' OR state = ?
		ORDER BY created_at DESC LIMIT ?`, string(state), string(state), limit)
	if err != nil {
		return nil, fmt.Errorf("list actions: %w", err)
	}
	return scanActions(rows)
}

// CustomerRepayments lists a customer's repayments that wait for an outcome
// (pending, unknown, processing) or were confirmed since since, newest
// first, from any of their chats.
func (db *DB) CustomerRepayments(ctx context.Context, customerID string, since time.Time) ([]supportbot.Action, error) {
	return db.CustomerActions(ctx, customerID, supportbot.ActionRepay, since)
}

// CustomerActions lists a customer's money actions of a kind that wait for
// an outcome or were confirmed since since, newest first, from any of their
// chats.
func (db *DB) CustomerActions(ctx context.Context, customerID string, kind supportbot.ActionKind, since time.Time) ([]supportbot.Action, error) {
	rows, err := db.read().query(ctx, `SELECT `+actionColumns+` FROM actions
		WHERE customer_id = ? AND kind = ? AND (state IN ('pending', 'unknown', 'processing') OR created_at >= ?)
		ORDER BY created_at DESC LIMIT 100`, customerID, string(kind), ms(since))
	if err != nil {
		return nil, fmt.Errorf("list the %s actions of customer %s: %w", kind, customerID, err)
	}
	return scanActions(rows)
}

func scanActions(rows *sql.Rows) ([]supportbot.Action, error) {
	defer rows.Close()
	var list []supportbot.Action
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, *a)
	}
	return list, rows.Err()
}

// OpenActions counts the actions waiting for an outcome, by state (metrics).
func (db *DB) OpenActions(ctx context.Context) (map[supportbot.ActionState]int, error) {
	rows, err := db.read().query(ctx, `SELECT state, COUNT(*) FROM actions WHERE state IN ('pending', 'unknown', 'processing') GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[supportbot.ActionState]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[supportbot.ActionState(s)] = n
	}
	return out, rows.Err()
}

// ChatActionsOpen reports whether a chat has a money action waiting for an
// outcome (the console waits for it before reading the next line).
func (db *DB) ChatActionsOpen(ctx context.Context, chatID int64) (bool, error) {
	var n int
	err := db.read().queryRow(ctx, `SELECT COUNT(*) FROM actions WHERE chat_id = ? AND state IN ('pending', 'unknown')`, chatID).Scan(&n)
	return n > 0, err
}
