package supportbot

import (
	"fmt"
	"time"
)

// BusinessHours is the daily window in which agents answer, in the support
// timezone, e.g. 09:00-21:00.
type BusinessHours struct {
	Open, Close time.Duration // since midnight
}

// ParseBusinessHours parses "HH:MM-HH:MM" (the window must not be empty).
func ParseBusinessHours(s string) (BusinessHours, error) {
	var oh, om, ch, cm int
	var tail string
	if n, _ := fmt.Sscanf(s+"|", "%d:%d-%d:%d%s", &oh, &om, &ch, &cm, &tail); n != 5 || tail != "|" {
		return BusinessHours{}, fmt.Errorf("want HH:MM-HH:MM, got %q", s)
	}
	if oh < 0 || oh > 24 || ch < 0 || ch > 24 || om < 0 || om > 59 || cm < 0 || cm > 59 {
		return BusinessHours{}, fmt.Errorf("time out of range in %q", s)
	}
	h := BusinessHours{
		Open:  time.Duration(oh)*time.Hour + time.Duration(om)*time.Minute,
		Close: time.Duration(ch)*time.Hour + time.Duration(cm)*time.Minute,
	}
	if h.Close <= h.Open || h.Close > 24*time.Hour {
		return BusinessHours{}, fmt.Errorf("closing time must follow opening time in %q", s)
	}
	return h, nil
}

func (h BusinessHours) String() string {
	f := func(d time.Duration) string { return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60) }
	return f(h.Open) + "-" + f(h.Close)
}

// Contains reports whether t falls within the hours, in loc.
func (h BusinessHours) Contains(t time.Time, loc *time.Location) bool {
	t = t.In(loc)
	since := t.Sub(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc))
	return since >= h.Open && since < h.Close
}

// NextOpen is when agents are next available from t: t itself when open.
func (h BusinessHours) NextOpen(t time.Time, loc *time.Location) time.Time {
	if h.Contains(t, loc) {
		return t
	}
	t = t.In(loc)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	if open := day.Add(h.Open); t.Before(open) {
		return open
	}
	return day.AddDate(0, 0, 1).Add(h.Open)
}
