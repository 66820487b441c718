package telegramtest

import (
	"fmt"
	"time"
)

// RateLimits are Telegram's flood limits, enforced on sends and edits when
// set: beyond them a call answers 429 "Too Many Requests: retry after N" with
// parameters.retry_after, and is not carried out. Zero fields are off.
type RateLimits struct {
	// GroupPerMinute caps messages (sends, copies, album items and edits)
	// into one supergroup per sliding minute; Telegram allows about 20.
	GroupPerMinute int
	// GlobalPerSecond caps messages of the whole bot per sliding second;
	// Telegram allows about 30.
	GlobalPerSecond int
}

// SetRateLimits changes the enforced flood limits; the zero RateLimits turns
// them off. Messages sent before count towards the new limits.
func (s *Server) SetRateLimits(l RateLimits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
}

// Throttled counts the calls the rate limits answered with 429.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.throttled
}

// throttle admits n messages into chat now or answers 429; admitted messages
// count from now on. s.mu must be held.
func (s *Server) throttle(chat int64, n int) *apiError {
	now := s.now()
	wait := 0
	if l := s.limits.GlobalPerSecond; l > 0 {
		s.allSends = recent(s.allSends, now, time.Second)
		wait = max(wait, retryAfter(s.allSends, n, l, now, time.Second))
	}
	if l := s.limits.GroupPerMinute; l > 0 && chat < 0 {
		s.groupSends[chat] = recent(s.groupSends[chat], now, time.Minute)
		wait = max(wait, retryAfter(s.groupSends[chat], n, l, now, time.Minute))
	}
	if wait > 0 {
		s.throttled++
		return &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", wait), retryAfter: wait}
	}
	for range n {
		if s.limits.GlobalPerSecond > 0 {
			s.allSends = append(s.allSends, now)
		}
		if s.limits.GroupPerMinute > 0 && chat < 0 {
			s.groupSends[chat] = append(s.groupSends[chat], now)
		}
	}
	return nil
}

// recent drops the times older than window before now.
func recent(ts []time.Time, now time.Time, window time.Duration) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-window)) {
		i++
	}
	return ts[i:]
}

// retryAfter is how many whole seconds until n more fit under limit (0: now).
func retryAfter(ts []time.Time, n, limit int, now time.Time, window time.Duration) int {
	over := len(ts) + n - limit
	if over <= 0 {
		return 0
	}
	until := window // n alone exceeds the limit: say a full window
	if over <= len(ts) {
		until = ts[over-1].Add(window).Sub(now)
	}
	return max(1, int((until+time.Second-1)/time.Second))
}
