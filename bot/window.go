package bot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// chatLimit paces the messages to one chat.
type chatLimit interface {
	Allow() bool
	AllowN(at time.Time, n int) bool
	// Delay is how long until the next message may go.
	Delay() time.Duration
	Wait(ctx context.Context) error
}

// bucket is a private chat's limit: a rate with short bursts.
type bucket struct{ *rate.Limiter }

func (b bucket) Delay() time.Duration {
	r := b.Reserve()
	defer r.Cancel()
	return r.Delay()
}

// window is a group's limit as Telegram states it: at most n messages in
// any minute. A token bucket cannot say that without pacing every message
// (one each 3 s), which keeps a quiet staff chat's first messages waiting;
// a window lets them go at once and holds back only the 21st. margin
// widens the window by what a request may take to reach Telegram, so
// Telegram never counts 21 in its own minute.
type window struct {
	n      int
	per    time.Duration
	margin time.Duration
	mu     sync.Mutex
	sent   []time.Time
}

func newWindow(perMinute float64) *window {
	return &window{n: max(1, int(perMinute)), per: time.Minute, margin: time.Second}
}

// expire drops what left the window by now; w.mu must be held.
func (w *window) expire(now time.Time) {
	i := 0
	for i < len(w.sent) && !w.sent[i].After(now.Add(-w.per-w.margin)) {
		i++
	}
	w.sent = w.sent[i:]
}

func (w *window) Allow() bool { return w.AllowN(time.Now(), 1) }

func (w *window) AllowN(at time.Time, n int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.expire(at)
	if len(w.sent)+n > w.n {
		return false
	}
	for range n {
		w.sent = append(w.sent, at)
	}
	return true
}

func (w *window) Delay() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	w.expire(now)
	if len(w.sent) < w.n {
		return 0
	}
	return w.sent[len(w.sent)-w.n].Add(w.per + w.margin).Sub(now)
}

func (w *window) Wait(ctx context.Context) error {
	for !w.Allow() {
		t := time.NewTimer(max(w.Delay(), time.Millisecond))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}
