package bot

import (
	"testing"
	"time"
)

// The staff chat's limiter keeps to Telegram's 20 messages per minute in
// every minute, the first included: a sender that takes every token it is
// given never meets a 429 of the group limit (which would postpone every
// ticket behind it).
func TestGroupLimiterKeepsToTwentyAMinute(t *testing.T) {
	s := newSender(&Server{}, nil, DefaultLimits, 1)
	lim := s.chatLimiter(-100777)
	start := time.Now()
	var sent []time.Time
	for d := time.Duration(0); d < 5*time.Minute; d += 100 * time.Millisecond {
		if at := start.Add(d); lim.AllowN(at, 1) {
			sent = append(sent, at)
		}
	}
	for i := range sent {
		n := 0
		for _, at := range sent[i:] {
			if at.Sub(sent[i]) < time.Minute {
				n++
			}
		}
		if n > int(DefaultLimits.PerGroupMinute) {
			t.Fatalf("%d messages in the minute from %v, want at most %v", n, sent[i].Sub(start), DefaultLimits.PerGroupMinute)
		}
	}
	if n := len(sent); n < 95 {
		t.Errorf("%d messages in 5 minutes, want about 100", n)
	}
}

// The same for the bot as a whole: at most 30 messages in any second.
func TestGlobalLimiterKeepsToThirtyASecond(t *testing.T) {
	s := newSender(&Server{}, nil, DefaultLimits, 1)
	start := time.Now()
	var sent []time.Time
	for d := time.Duration(0); d < 5*time.Second; d += time.Millisecond {
		if at := start.Add(d); s.global.AllowN(at, 1) {
			sent = append(sent, at)
		}
	}
	for i := range sent {
		n := 0
		for _, at := range sent[i:] {
			if at.Sub(sent[i]) < time.Second {
				n++
			}
		}
		if n > int(DefaultLimits.PerSecond) {
			t.Fatalf("%d messages in the second from %v, want at most %v", n, sent[i].Sub(start), DefaultLimits.PerSecond)
		}
	}
	if n := len(sent); n < 145 {
		t.Errorf("%d messages in 5 seconds, want about 150", n)
	}
}
