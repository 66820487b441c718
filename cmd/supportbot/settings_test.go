package main

import (
	"bytes"
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestAnInstanceWithOtherSettingsIsRefused: on PostgreSQL an instance whose
// SUPPORT_TIMEZONE (or hours, or reminders) differ from a running one's
// refuses to start, naming both: the two would quote the same plan
// differently (which fees are due "today") and keep different hours (found
// by an outside probe of several instances). One with the same settings is
// not refused for them.
func TestAnInstanceWithOtherSettingsIsRefused(t *testing.T) {
	a := newApp(t, coreOverHTTP())
	if a.db.URL == "" {
		t.Skip("several instances share PostgreSQL only (SUPPORTBOT_TEST_DATABASE=postgres)")
	}
	a.setClock(time.Now()) // the other instances run on the real clock
	a.start()
	a.addr() // running, its settings recorded
	run := func(vars map[string]string, d time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var out bytes.Buffer
		return Run(ctx, nil, env(vars), strings.NewReader(""), &out, &out)
	}
	other := maps.Clone(a.env)
	other["SUPPORT_TIMEZONE"] = "America/Los_Angeles"
	err := run(other, 20*time.Second)
	if err == nil || !strings.Contains(err.Error(), "another instance on this database runs with SUPPORT_TIMEZONE=Asia/Shanghai") ||
		!strings.Contains(err.Error(), "this one has SUPPORT_TIMEZONE=America/Los_Angeles") {
		t.Errorf("an instance with another time zone: %v, want a refusal naming both", err)
	}
	// The same settings: past that check (it then waits to poll, which only
	// one instance may: stopped after a few seconds).
	if err := run(maps.Clone(a.env), 3*time.Second); err != nil && strings.Contains(err.Error(), "another instance on this database runs with") {
		t.Errorf("an instance with the same settings: %v, want no settings refusal", err)
	}
}

// TestPollingAndWebhookInstancesDoNotMix: on PostgreSQL a polling instance
// started beside webhook instances deleted their webhook (and kept deleting
// it), so they got no more updates while /healthz said ok (found by an
// operator probe). It is refused, naming the fix; so is a webhook instance
// beside a poller.
func TestPollingAndWebhookInstancesDoNotMix(t *testing.T) {
	run := func(vars map[string]string, d time.Duration) error {
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var out bytes.Buffer
		return Run(ctx, nil, env(vars), strings.NewReader(""), &out, &out)
	}
	addr := freeAddr(t)
	hooked := newApp(t, coreOverHTTP(), "WEBHOOK_URL", "http://"+addr+"/telegram/hook", "WEBHOOK_SECRET", "s3cret_token", "LISTEN_ADDR", addr)
	if hooked.db.URL == "" {
		t.Skip("several instances share PostgreSQL only (SUPPORTBOT_TEST_DATABASE=postgres)")
	}
	hooked.setClock(time.Now()) // the other instances run on the real clock
	hooked.start()
	hooked.addr()
	poller := maps.Clone(hooked.env)
	delete(poller, "WEBHOOK_URL")
	delete(poller, "WEBHOOK_SECRET")
	poller["LISTEN_ADDR"] = "127.0.0.1:0"
	if err := run(poller, 20*time.Second); err == nil || !strings.Contains(err.Error(), "run in webhook mode") {
		t.Errorf("a poller beside a webhook instance: %v, want a refusal", err)
	}
	if hooked.srv.Webhook().URL == "" {
		t.Error("the webhook was taken down")
	}

	polling := newApp(t, coreOverHTTP())
	polling.setClock(time.Now())
	polling.start()
	polling.addr() // polling, its claim recorded
	hook := maps.Clone(polling.env)
	hook["WEBHOOK_URL"], hook["WEBHOOK_SECRET"], hook["LISTEN_ADDR"] = "http://127.0.0.1:1/hook", "s3cret_token", "127.0.0.1:0"
	if err := run(hook, 20*time.Second); err == nil || !strings.Contains(err.Error(), "polls Telegram") {
		t.Errorf("a webhook instance beside a poller: %v, want a refusal", err)
	}
}

// TestAStoppedInstanceGivesItsJobsBack: on PostgreSQL a gracefully stopped
// instance kept its claims on the periodic jobs (core events, reminders,
// the queue's positions) until they ran out, a minute in which no other
// instance ran them (a PostgreSQL probe). They are given back as it stops.
func TestAStoppedInstanceGivesItsJobsBack(t *testing.T) {
	a := newApp(t, coreOverHTTP())
	if a.db.URL == "" {
		t.Skip("several instances share PostgreSQL only (SUPPORTBOT_TEST_DATABASE=postgres)")
	}
	a.setClock(time.Now()) // the leases are on the database's clock
	a.start()
	a.addr()
	db := a.botDB()
	periodic := []string{"core-events", "ticket-reminders", "queue-positions", "due-reminders", "broadcast"}
	held := func() []string {
		live, err := db.LiveJobs(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		return slices.DeleteFunc(live, func(name string) bool { return !slices.Contains(periodic, name) })
	}
	for deadline := time.Now().Add(10 * time.Second); len(held()) < len(periodic); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the running instance holds %v, want every periodic job", held())
		}
	}
	if live, err := db.LiveJobs(context.Background(), "settings: "); err != nil || len(live) != 1 {
		t.Fatalf("settings on record %q (%v), want the running instance's", live, err)
	}
	a.stop()
	if got := held(); len(got) != 0 {
		t.Errorf("after a graceful stop the jobs %v are still claimed", got)
	}
	// Its settings are given back too: every instance stopped, one with
	// other settings starts at once (R12a F2: refused for up to three
	// minutes, a restart loop under systemd).
	if live, err := db.LiveJobs(context.Background(), "settings: "); err != nil || len(live) != 0 {
		t.Errorf("after a graceful stop the settings %q (%v) are still on record", live, err)
	}
	other := maps.Clone(a.env)
	other["SUPPORT_TIMEZONE"] = "Europe/London"
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := Run(ctx, nil, env(other), strings.NewReader(""), &out, &out); err != nil && strings.Contains(err.Error(), "another instance on this database runs with") {
		t.Errorf("an instance with other settings after every one stopped: %v, want no refusal", err)
	}
}
