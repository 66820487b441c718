package store

import (
	"context"
	"fmt"
	"math"
	"time"

	"supportbot"
)

// TakeTokens takes up to want tokens from the named token bucket, which
// every instance of the bot shares: it holds at most burst tokens and
// refills at rate tokens a second; a bucket never used before is full. It
// returns how many it took (0 to want: as many as there were) and, when that
// is fewer than want, how long until the missing ones (at most burst) will
// have refilled; 0 when it took them all. EINVALID for a rate, burst or
// want that is not positive.
//
// The bucket's row is read and written in one transaction, locked on
// PostgreSQL (SELECT … FOR UPDATE), so that instances taking tokens at once
// never take more than the bucket holds. now is the caller's clock; a clock
// behind the one that last took tokens refills nothing.
func (db *DB) TakeTokens(ctx context.Context, bucket string, rate float64, burst, want int, now time.Time) (got int, wait time.Duration, err error) {
	if !(rate > 0) || burst <= 0 || want <= 0 {
		return 0, 0, supportbot.Errorf(supportbot.EINVALID, "bucket %s: rate %v, burst %d and want %d must be positive", bucket, rate, burst, want)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		got, wait = 0, 0
		if _, err := tx.exec(ctx, `INSERT INTO rate_buckets (name, tokens, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO NOTHING`, bucket, float64(burst), ms(now)); err != nil {
			return fmt.Errorf("rate bucket %s: %w", bucket, err)
		}
		var tokens float64
		var at int64
		if err := tx.queryRow(ctx, `SELECT tokens, updated_at FROM rate_buckets WHERE name = ?`+tx.d.forUpdate, bucket).
			Scan(&tokens, &at); err != nil {
			return fmt.Errorf("rate bucket %s: %w", bucket, err)
		}
		if t := ms(now); t > at {
			tokens += float64(t-at) / 1000 * rate
			at = t
		}
		tokens = math.Min(tokens, float64(burst))
		// A hair of slack: 0.1 s at 10/s is one token, not 0.9999999.
		got = min(want, int(math.Floor(tokens+1e-9)))
		tokens = math.Max(tokens-float64(got), 0)
		if got < want {
			missing := float64(min(want-got, burst)) - tokens
			// Less a hair, as above: 1/3 missing at 1/3 a second is 1 s, not 1.001.
			wait = time.Duration(math.Ceil(missing/rate*1000-1e-6)) * time.Millisecond
		}
		if _, err := tx.exec(ctx, `UPDATE rate_buckets SET tokens = ?, updated_at = ? WHERE name = ?`, tokens, at, bucket); err != nil {
			return fmt.Errorf("rate bucket %s: %w", bucket, err)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return got, wait, nil
}
