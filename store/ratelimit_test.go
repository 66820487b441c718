package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
)

func TestTakeTokens(t *testing.T) {
	ctx := context.Background()
	db, _, _ := open(t)
	take := func(bucket string, rate float64, burst, want int, now time.Time) (int, time.Duration) {
		t.Helper()
		got, wait, err := db.TakeTokens(ctx, bucket, rate, burst, want, now)
		if err != nil {
			t.Fatal(err)
		}
		return got, wait
	}
	check := func(what string, got int, wait time.Duration, wantGot int, wantWait time.Duration) {
		t.Helper()
		if got != wantGot || wait != wantWait {
			t.Errorf("%s: got %d tokens, wait %v; want %d, %v", what, got, wait, wantGot, wantWait)
		}
	}
	// The global bucket: 30 a second, 30 at once.
	got, wait := take("global", 30, 30, 20, t0)
	check("20 of a full bucket", got, wait, 20, 0)
	got, wait = take("global", 30, 30, 20, t0)
	check("20 more", got, wait, 10, 334*time.Millisecond) // 10 missing at 30/s: 333.3 ms
	got, wait = take("global", 30, 30, 1, t0)
	check("one more", got, wait, 0, 34*time.Millisecond)
	got, wait = take("global", 30, 30, 5, t0.Add(100*time.Millisecond))
	check("after 100 ms", got, wait, 3, 67*time.Millisecond)
	// Refilled at most to the burst.
	got, wait = take("global", 30, 30, 100, t0.Add(time.Hour))
	check("a long while later", got, wait, 30, time.Second) // 70 missing, but at most 30 at once: 1 s
	// A group's bucket: 20 a minute.
	got, _ = take("chat:-100", 20.0/60, 20, 25, t0)
	if got != 20 {
		t.Errorf("group: got %d, want its burst of 20", got)
	}
	got, wait = take("chat:-100", 20.0/60, 20, 1, t0.Add(2*time.Second))
	check("group, 2 s later", got, wait, 0, time.Second)
	got, wait = take("chat:-100", 20.0/60, 20, 1, t0.Add(3*time.Second))
	check("group, 3 s later", got, wait, 1, 0)
	// A clock behind the last taker refills nothing, and moves nothing back.
	got, wait = take("chat:-100", 20.0/60, 20, 1, t0)
	check("group, an instance whose clock is behind", got, wait, 0, 3*time.Second)
	for _, bad := range []struct {
		rate        float64
		burst, want int
	}{{0, 1, 1}, {1, 0, 1}, {1, 1, 0}, {-1, 1, 1}} {
		if _, _, err := db.TakeTokens(ctx, "x", bad.rate, bad.burst, bad.want, t0); supportbot.ErrorCode(err) != supportbot.EINVALID {
			t.Errorf("rate %v burst %d want %d: %v, want EINVALID", bad.rate, bad.burst, bad.want, err)
		}
	}
}

// TestTakeTokensConcurrently: instances taking tokens from one bucket at
// once never take more than it holds.
func TestTakeTokensConcurrently(t *testing.T) {
	ctx := context.Background()
	db, c, cfg := open(t)
	dbs := []*store.DB{db, reopen(t, cfg, c)}
	const rate, burst = 30, 30
	var taken atomic.Int64
	takeAll := func(now time.Time) {
		t.Helper()
		errs := parallel(8, func(w int) error {
			d := dbs[w%2]
			for range 12 {
				got, _, err := d.TakeTokens(ctx, "global", rate, burst, 1+w%3, now)
				if err != nil {
					return err
				}
				taken.Add(int64(got))
			}
			return nil
		})
		noErrors(t, "taker", errs)
	}
	// The clock stands still: exactly the burst, whoever asks.
	takeAll(t0)
	if n := taken.Load(); n != burst {
		t.Errorf("%d tokens taken from a full bucket, want %d", n, burst)
	}
	// Half a second later: what refilled, and not a token more.
	taken.Store(0)
	takeAll(t0.Add(500 * time.Millisecond))
	if n := taken.Load(); n != rate/2 {
		t.Errorf("%d tokens taken after 0.5 s, want %d", n, rate/2)
	}
	// Buckets are separate.
	if got, _, err := db.TakeTokens(ctx, fmt.Sprint("chat:", 1), 1, 3, 5, t0); err != nil || got != 3 {
		t.Errorf("another bucket: %d, %v; want 3", got, err)
	}
}
