package bot_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
)

// A database that does not answer at all (a network partition, not a
// refused connection) gets Telegram a 503 within CommitTimeout: the update
// is not confirmed, and is committed once when it is delivered again.
func TestWebhookUnavailableWhenSubmitHangs(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.CommitTimeout = 300 * time.Millisecond })
	release := make(chan struct{})
	var calls atomic.Int32
	r.h.SubmitFunc = func(ctx context.Context, _ []supportbot.Event) error {
		if calls.Add(1) == 1 {
			select { // the database never answers this one
			case <-release:
			case <-ctx.Done():
			}
			return ctx.Err()
		}
		return nil
	}
	defer close(release)
	r.serveWebhook(t, nil)
	id := r.srv.SendText(alice, "while the database hangs")
	start := time.Now()
	err := r.srv.DeliverWebhook(context.Background())
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("delivery: %v, want a 503", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the webhook answered after %v, want about the 300 ms CommitTimeout", d)
	}
	if p := r.srv.Pending(); len(p) != 1 || p[0].ID != id {
		t.Fatalf("pending = %+v, want the update kept for redelivery", p)
	}
	if err := r.srv.DeliverWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}
	if evs := r.h.events(); len(evs) != 1 || evs[0].Source != supportbot.UpdateSource(id) {
		t.Errorf("committed %+v, want the update once", evs)
	}
}
