package main

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// quietHandler keeps a failing dependency from flooding the log: a warning
// or an error logged again within every of the last one let through (the
// same level, message and err) is held back, and the next one let through
// says how many were ("repeated": 59) — none comes to say it when the
// trouble stops. A
// probe's 40-second PostgreSQL outage wrote about 730 ERROR lines across
// three instances — every loop's "read inbox", "read outbox", "claim money
// actions" at each tick — burying when it began and ended. Info and debug
// lines pass as they are: they say what happened, once each.
type quietHandler struct {
	next  slog.Handler
	every time.Duration
	held  *heldLines // shared by the handlers With and WithGroup derive
}

// heldLines is, per level and message, when one was last let through and
// how many have been held back since.
type heldLines struct {
	mu    sync.Mutex
	lines map[heldKey]*heldLine
}

type heldKey struct {
	level slog.Level
	msg   string
	err   string // another error under the same message is its own line
}

type heldLine struct {
	shown time.Time
	held  int
}

// maxHeldLines bounds the lines remembered.
const maxHeldLines = 1024

func newQuietHandler(next slog.Handler, every time.Duration) *quietHandler {
	return &quietHandler{next: next, every: every, held: &heldLines{lines: map[heldKey]*heldLine{}}}
}

func (h *quietHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *quietHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level < slog.LevelWarn {
		return h.next.Handle(ctx, r)
	}
	k := heldKey{level: r.Level, msg: r.Message}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "err" {
			k.err = a.Value.String()
		}
		return a.Key != "err"
	})
	held, ok := h.held.take(k, r.Time, h.every)
	if !ok {
		return nil
	}
	if held > 0 {
		r = r.Clone()
		r.AddAttrs(slog.Int("repeated", held))
	}
	return h.next.Handle(ctx, r)
}

// take reports whether a line of k at t is let through, and how many of
// k were held back before it.
func (l *heldLines) take(k heldKey, t time.Time, every time.Duration) (int, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	line := l.lines[k]
	if line == nil {
		if len(l.lines) >= maxHeldLines {
			clear(l.lines) // errors of many kinds: forgotten, not grown without end
		}
		l.lines[k] = &heldLine{shown: t}
		return 0, true
	}
	if t.Sub(line.shown) < every {
		line.held++
		return 0, false
	}
	held := line.held
	line.shown, line.held = t, 0
	return held, true
}

func (h *quietHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return &quietHandler{next: h.next.WithAttrs(as), every: h.every, held: h.held}
}

func (h *quietHandler) WithGroup(name string) slog.Handler {
	return &quietHandler{next: h.next.WithGroup(name), every: h.every, held: h.held}
}
