package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
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
	pop         population
	order       []int32       // the population's indices in the order customers come
	cursor      *atomic.Int64 // next place in order, shared by the phases that use up customers
	concurrency int
	duration    time.Duration // stop starting steps after this
	target      int64         // or after this many updates (0: no target)
	reuse       bool          // cycle through people; else stop when they run out
	timeout     time.Duration // for the last reply of a step
	think       time.Duration // mean pause between steps (exponential); 0: none
	seed        uint64
	script      script
	afterStep   func(stepKind) // called when a customer's step got its last reply
}

// result is what a phase measured.
type result struct {
	name        string
	start       time.Time
	stop        time.Time // when customers stopped starting steps
	end         time.Time // when the last step in flight finished
	steps       []stepRecord
	concurrency int
	issued      int         // steps customers started (answered or not)
	completions []time.Time // when each script run to the end did, in order
	scenarios   int64       // scripts run to the end
	exhausted   bool        // ran out of customers before the duration
	errors      int64
	errSamples  []string
}

// stepRecord is one customer step: an update the customer sent and the
// bot's replies to it, up to the last.
type stepRecord struct {
	kind    stepKind
	first   bool // the customer's first step: a customer the bot has not seen in this run
	done    time.Time
	latency time.Duration
	news    int // new messages the customer received during the step
	edits   int // edits of the customer's messages during the step
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
	nsteps   int // steps taken so far
}

type verdict int

const (
	unexpected verdict = iota
	more               // an expected reply before the last one
	last               // the step's last reply
)

// step pushes one update and waits for the replies to it, up to the one
// match calls last; the latency is from the push to that reply's delivery.
func (c *customer) step(kind stepKind, what string, push func(), match func(reply) verdict) (reply, error) {
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
	rec := stepRecord{kind: kind, first: c.nsteps == 0}
	c.nsteps++
	t0 := time.Now()
	push()
	timer := time.NewTimer(c.d.timeout)
	defer timer.Stop()
	for {
		select {
		case m := <-c.ch:
			if m.edit {
				rec.edits++
			} else {
				rec.news++
			}
			if m.dup { // counted by the tap; the customer reads on
				continue
			}
			switch match(m) {
			case more:
				continue
			case last:
				rec.done, rec.latency = m.at, m.at.Sub(t0)
				*c.steps = append(*c.steps, rec)
				if c.d.afterStep != nil {
					c.d.afterStep(kind)
				}
				return m, nil
			}
			return m, fmt.Errorf("%s: unexpected reply %q (%s; expected remaining %v, payoff %v)", what, clip(m.text, 160), m.method, c.p.remaining, c.p.payoff)
		case <-timer.C:
			return reply{}, fmt.Errorf("%s: no (last) reply within %v", what, c.d.timeout)
		}
	}
}

func (c *customer) say(kind stepKind, text string, match func(reply) verdict) (reply, error) {
	return c.step(kind, text, func() { c.d.tap.fake.SendText(c.user, text) }, match)
}

func (c *customer) press(kind stepKind, m reply, data string, match func(reply) verdict) (reply, error) {
	return c.step(kind, "press "+data, func() { c.d.tap.fake.PressButton(c.user, m.message(), data) }, match)
}

func (c *customer) shareContact(match func(reply) verdict) (reply, error) {
	return c.step(stepIdentify, "share contact", func() { c.d.tap.fake.ShareContact(c.user, c.p.phone, c.user.ID) }, match)
}

// run runs the phase and returns what it measured.
func (d *drive) run(ctx context.Context) *result {
	res := &result{name: d.name, start: time.Now(), concurrency: d.concurrency}
	deadline := res.start.Add(d.duration)
	var issued, scenarios, nerr atomic.Int64
	var exhausted, stopFlag atomic.Bool
	var stopOnce sync.Once
	stopped := func() bool {
		if stopFlag.Load() {
			return true
		}
		if ctx.Err() != nil || time.Now().After(deadline) || d.target > 0 && issued.Load() >= d.target {
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
				i := int(d.cursor.Add(1) - 1)
				if i >= len(d.order) {
					if !d.reuse {
						// No customer left: this one stops; those in
						// the middle of their script finish it.
						exhausted.Store(true)
						stopOnce.Do(func() { res.stop = time.Now() })
						break
					}
					i %= len(d.order)
				}
				p := d.pop.persona(int(d.order[i]))
				c := &customer{d: d, p: p, ch: ch, rng: rng, steps: &perWorker[w], stopped: stopped, deadline: deadline, issued: &issued,
					user: telegramtest.User{ID: p.userID, FirstName: p.name, LanguageCode: "zh"}}
				d.tap.register(p.userID, ch)
				err := d.script(c)
				switch {
				case err == nil:
					scenarios.Add(1)
					mu.Lock()
					res.completions = append(res.completions, time.Now())
					mu.Unlock()
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
	res.issued = int(issued.Load())
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

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ⏎ ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
