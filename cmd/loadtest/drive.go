package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"supportbot/bot/telegramtest"
)

// script is what one simulated customer does, start to end.
type script func(c *customer) error

// drive configures one phase of closed-loop load: concurrency customers, each
// doing its script, then the next customer's, until the phase stops.
type drive struct {
	name        string
	tap         *tap
	people      []persona
	concurrency int
	duration    time.Duration // stop starting steps after this
	target      int64         // or after this many updates (0: no target)
	reuse       bool          // cycle through people; else stop when they run out
	timeout     time.Duration // for the last reply of a step
	think       time.Duration // mean pause between steps (exponential); 0: none
	seed        uint64
	script      script
}

// result is what a phase measured.
type result struct {
	name       string
	start      time.Time
	stop       time.Time // when customers stopped starting steps
	end        time.Time // when the last step in flight finished
	steps      []stepRecord
	scenarios  int64 // scripts run to the end
	exhausted  bool  // ran out of customers before the duration
	errors     int64
	errSamples []string
}

type stepRecord struct {
	done    time.Time
	latency time.Duration
}

var errStopping = errors.New("phase stopping")

// customer is one simulated Telegram user during one script run.
type customer struct {
	d        *drive
	p        persona
	user     telegramtest.User
	ch       chan reply
	rng      *rand.Rand
	steps    *[]stepRecord
	stopped  func() bool
	deadline time.Time
	issued   *atomic.Int64
}

type verdict int

const (
	unexpected verdict = iota
	more               // an expected reply before the last one
	last               // the step's last reply
)

// step pushes one update and waits for the replies to it, up to the one
// match calls last; the latency is from the push to that reply's delivery.
func (c *customer) step(what string, push func(), match func(reply) verdict) (reply, error) {
	if c.stopped() {
		return reply{}, errStopping
	}
	if c.d.think > 0 {
		pause := time.Duration(min(c.rng.ExpFloat64(), 5) * float64(c.d.think))
		select {
		case <-time.After(pause):
		case <-time.After(time.Until(c.deadline)):
		}
		if c.stopped() {
			return reply{}, errStopping
		}
	}
	c.issued.Add(1)
	t0 := time.Now()
	push()
	timer := time.NewTimer(c.d.timeout)
	defer timer.Stop()
	for {
		select {
		case m := <-c.ch:
			if m.dup { // counted by the tap; the customer reads on
				continue
			}
			switch match(m) {
			case more:
				continue
			case last:
				*c.steps = append(*c.steps, stepRecord{done: m.at, latency: m.at.Sub(t0)})
				return m, nil
			}
			return m, fmt.Errorf("%s: unexpected reply %q", what, clip(m.text, 120))
		case <-timer.C:
			return reply{}, fmt.Errorf("%s: no (last) reply within %v", what, c.d.timeout)
		}
	}
}

func (c *customer) say(text string, match func(reply) verdict) (reply, error) {
	return c.step(text, func() { c.d.tap.fake.SendText(c.user, text) }, match)
}

func (c *customer) press(m reply, data string, match func(reply) verdict) (reply, error) {
	return c.step("press "+data, func() { c.d.tap.fake.PressButton(c.user, m.message(), data) }, match)
}

func (c *customer) shareContact(match func(reply) verdict) (reply, error) {
	return c.step("share contact", func() { c.d.tap.fake.ShareContact(c.user, c.p.phone, c.user.ID) }, match)
}

// run runs the phase and returns what it measured.
func (d *drive) run(ctx context.Context) *result {
	res := &result{name: d.name, start: time.Now()}
	deadline := res.start.Add(d.duration)
	var next, issued, scenarios, nerr atomic.Int64
	var exhausted, stopFlag atomic.Bool
	var stopOnce sync.Once
	stopped := func() bool {
		if stopFlag.Load() {
			return true
		}
		if ctx.Err() != nil || time.Now().After(deadline) || d.target > 0 && issued.Load() >= d.target || exhausted.Load() {
			stopOnce.Do(func() { res.stop = time.Now() })
			stopFlag.Store(true)
			return true
		}
		return false
	}

	var mu sync.Mutex
	var wg sync.WaitGroup
	perWorker := make([][]stepRecord, d.concurrency)
	progressDone := make(chan struct{})
	go d.progress(res.start, &issued, &nerr, progressDone)
	for w := range d.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch := make(chan reply, 64)
			rng := rand.New(rand.NewPCG(d.seed, uint64(w)))
			for !stopped() {
				i := int(next.Add(1) - 1)
				if i >= len(d.people) {
					if !d.reuse {
						exhausted.Store(true)
						stopped()
						break
					}
					i %= len(d.people)
				}
				p := d.people[i]
				c := &customer{d: d, p: p, ch: ch, rng: rng, steps: &perWorker[w], stopped: stopped, deadline: deadline, issued: &issued,
					user: telegramtest.User{ID: p.userID, FirstName: p.name, LanguageCode: "zh"}}
				d.tap.register(p.userID, ch)
				err := d.script(c)
				switch {
				case err == nil:
					scenarios.Add(1)
				case errors.Is(err, errStopping):
				default:
					nerr.Add(1)
					mu.Lock()
					if len(res.errSamples) < 10 {
						res.errSamples = append(res.errSamples, fmt.Sprintf("customer %d: %v", p.index, err))
					}
					mu.Unlock()
					// Let late replies of the failed step land here, not as strays.
					time.Sleep(100 * time.Millisecond)
				}
				d.tap.unregister(p.userID)
				for len(ch) > 0 { // replies nobody asked for
					m := <-ch
					if m.dup {
						continue
					}
					nerr.Add(1)
					mu.Lock()
					if len(res.errSamples) < 10 {
						res.errSamples = append(res.errSamples, fmt.Sprintf("customer %d: extra reply %q", p.index, clip(m.text, 120)))
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	close(progressDone)
	res.end = time.Now()
	res.exhausted = exhausted.Load()
	res.scenarios = scenarios.Load()
	res.errors = nerr.Load()
	for _, s := range perWorker {
		res.steps = append(res.steps, s...)
	}
	return res
}

func (d *drive) progress(start time.Time, issued, nerr *atomic.Int64, done chan struct{}) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	prev := int64(0)
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			n := issued.Load()
			fmt.Fprintf(os.Stderr, "  %s %4.0fs: %d updates (%d/s), %d errors\n", d.name, now.Sub(start).Seconds(), n, (n-prev)/5, nerr.Load())
			prev = n
		}
	}
}

// summary is a phase's figures over its steady part: from a sixth of the way
// in (every customer has started, caches are warm) to the moment customers
// stopped starting new steps.
type summary struct {
	updates       int     // answered in the whole phase
	steadyUpdates int     // answered in the steady window
	window        float64 // seconds
	perSecond     float64
	p50, p90, p99 time.Duration
	max           time.Duration
}

func (r *result) summarize() summary {
	s := summary{updates: len(r.steps)}
	stop := r.stop
	if stop.IsZero() {
		stop = r.end
	}
	from := r.start.Add(stop.Sub(r.start) / 6)
	var lat []time.Duration
	for _, st := range r.steps {
		if !st.done.Before(from) && !st.done.After(stop) {
			lat = append(lat, st.latency)
		}
	}
	s.steadyUpdates = len(lat)
	s.window = stop.Sub(from).Seconds()
	if s.window > 0 {
		s.perSecond = float64(len(lat)) / s.window
	}
	if len(lat) > 0 {
		slices.Sort(lat)
		q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		s.p50, s.p90, s.p99, s.max = q(0.50), q(0.90), q(0.99), lat[len(lat)-1]
	}
	return s
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
