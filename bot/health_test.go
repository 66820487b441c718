package bot_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
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

// TestAPollThatKeepsFailingIsNotHealthy: getUpdates answered 409 (another
// process polls with the token and takes half the updates) for longer than
// a blip: Receiving says so, for /healthz; once updates come again, it is
// well again.
func TestAPollThatKeepsFailingIsNotHealthy(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64 // how far the bot's clock is ahead
	r := newRig(t, func(c *bot.Config) {
		c.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	})
	r.srv.InjectFaults("getUpdates", 3, telegramtest.Fault{Status: 409,
		Description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"})
	stop := r.run(t)
	defer stop()
	deadline := time.Now().Add(10 * time.Second)
	for r.srv.Calls("getUpdates") < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := r.bot.Receiving(); err != nil {
		t.Errorf("Receiving after a moment of 409s: %v, want nil (a blip)", err)
	}
	skew.Store(int64(3 * time.Minute))
	if err := r.bot.Receiving(); err == nil || !strings.Contains(err.Error(), "Conflict") {
		t.Errorf("Receiving after minutes of 409s: %v, want the Conflict named", err)
	}
	r.echo()
	r.srv.SendText(alice, "hello")
	r.srv.WaitFor(t, alice.ID, 1, 30*time.Second) // polled again
	if err := r.bot.Receiving(); err != nil {
		t.Errorf("Receiving once updates come again: %v", err)
	}
}
