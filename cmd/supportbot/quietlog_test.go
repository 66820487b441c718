package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// TestARepeatedErrorIsLoggedOnceAWhileWithItsCount: an outage's error, hit
// at every loop tick, is written once per window, the next line saying how
// many were held back; another message, and info lines, pass as they are.
func TestARepeatedErrorIsLoggedOnceAWhileWithItsCount(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(newQuietHandler(slog.NewTextHandler(&buf, nil), 10*time.Second)).With("component", "engine")
	at := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	logAt := func(level slog.Level, msg string, after time.Duration) {
		r := slog.NewRecord(at.Add(after), level, msg, 0)
		err := "connection refused"
		if msg == "step failed" {
			err = "plans exploded " + after.String() // another error each time: each its own line
		}
		r.AddAttrs(slog.String("err", err))
		if err := log.Handler().Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 60 { // six a second for ten seconds
		logAt(slog.LevelError, "read inbox", time.Duration(i)*time.Second/6)
		logAt(slog.LevelInfo, "step", time.Duration(i)*time.Second/6)
	}
	logAt(slog.LevelError, "read outbox", time.Second) // another message: its own
	logAt(slog.LevelError, "step failed", 2*time.Second)
	logAt(slog.LevelError, "step failed", 3*time.Second)
	logAt(slog.LevelError, "read inbox", 10*time.Second)
	logAt(slog.LevelError, "read inbox", 11*time.Second)

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var inbox, outbox, steps []string
	for _, l := range lines {
		switch {
		case strings.Contains(l, `msg="read inbox"`):
			inbox = append(inbox, l)
		case strings.Contains(l, `msg="read outbox"`):
			outbox = append(outbox, l)
		case strings.Contains(l, "msg=step"):
			steps = append(steps, l)
		}
	}
	if len(inbox) != 2 {
		t.Fatalf("%d lines of read inbox, want 2 (the first, and one ten seconds on):\n%s", len(inbox), strings.Join(inbox, "\n"))
	}
	if strings.Contains(inbox[0], "repeated") || !strings.Contains(inbox[1], "repeated=59") {
		t.Errorf("read inbox lines %q, want the second to say repeated=59", inbox)
	}
	if !strings.Contains(inbox[1], "component=engine") || !strings.Contains(inbox[1], `err="connection refused"`) {
		t.Errorf("the line let through lost its attributes: %q", inbox[1])
	}
	if len(outbox) != 1 || len(steps) != 60 {
		t.Errorf("%d read outbox and %d info lines, want 1 and 60", len(outbox), len(steps))
	}
	if n := strings.Count(buf.String(), `msg="step failed"`); n != 2 {
		t.Errorf("%d lines of step failed with two different errors, want 2", n)
	}
}
