package main

import (
	"slices"
	"time"
)

// stepKind is what a customer step does; the report breaks figures down by it.
type stepKind uint8

const (
	stepIdentify stepKind = iota // share one's contact
	stepBill                     // /bill
	stepFAQ                      // a question the FAQ answers
	stepRepay                    // /repay
	stepPickPlan                 // press the plan to repay (when asked)
	stepConfirm                  // press "confirm" on the quote
	stepRemindOn                 // press "turn reminders on"
	stepEcho                     // anything, to the echo bot
	nStepKinds
)

var stepNames = [nStepKinds]string{"identify", "bill", "faq", "repay", "pick plan", "confirm", "remind on", "echo"}

func (k stepKind) String() string { return stepNames[k] }

// conversational are the steps issue 18's target counts: identify → bill → FAQ.
func (k stepKind) conversational() bool {
	return k == stepIdentify || k == stepBill || k == stepFAQ
}

// latencies are a set of step latencies.
type latencies struct {
	n                  int
	p50, p90, p99, max time.Duration
}

func quantiles(lat []time.Duration) latencies {
	l := latencies{n: len(lat)}
	if len(lat) == 0 {
		return l
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	l.p50, l.p90, l.p99, l.max = q(0.50), q(0.90), q(0.99), lat[len(lat)-1]
	return l
}

// kindStats are the figures of one kind of step over a whole phase.
type kindStats struct {
	steps       int
	news, edits int
	lat         latencies
}

func (k kindStats) newsPerStep() float64  { return ratioOf(k.news, k.steps) }
func (k kindStats) editsPerStep() float64 { return ratioOf(k.edits, k.steps) }

func ratioOf(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// summary is a phase's figures. Throughput and latency are over its steady
// part (see steadyFrom) to the moment customers stopped starting new steps. Messages per
// step and the breakdown by kind are over every completed step.
type summary struct {
	updates       int     // answered in the whole phase
	steadyUpdates int     // answered in the steady window
	window        float64 // seconds
	perSecond     float64
	lat           latencies // steady window, every kind
	first         latencies // a customer's first step, whole phase: the bot has not seen them in this run
	kinds         [nStepKinds]kindStats
	news, edits   int // over completed steps, as the customers counted them
	convSteps     int // identify, bill and FAQ steps
	convNews      int // their new messages
}

func (r *result) summarize() summary {
	s := summary{updates: len(r.steps)}
	stop := r.stop
	if stop.IsZero() {
		stop = r.end
	}
	from := r.steadyFrom(stop)
	var lat, first []time.Duration
	var byKind [nStepKinds][]time.Duration
	for _, st := range r.steps {
		if !st.done.Before(from) && !st.done.After(stop) {
			lat = append(lat, st.latency)
		}
		if st.first {
			first = append(first, st.latency)
		}
		byKind[st.kind] = append(byKind[st.kind], st.latency)
		k := &s.kinds[st.kind]
		k.steps++
		k.news += st.news
		k.edits += st.edits
		s.news += st.news
		s.edits += st.edits
		if st.kind.conversational() {
			s.convSteps++
			s.convNews += st.news
		}
	}
	for k := range byKind {
		s.kinds[k].lat = quantiles(byKind[k])
	}
	s.steadyUpdates = len(lat)
	s.window = stop.Sub(from).Seconds()
	if s.window > 0 {
		s.perSecond = float64(len(lat)) / s.window
	}
	s.lat = quantiles(lat)
	s.first = quantiles(first)
	return s
}

// steadyFrom is where a phase's steady part begins: a sixth of the way in
// (every customer has started, caches are warm) or, if later, when as many
// scripts have run to the end as there are customers at once: before that,
// the mix of steps leans to the first ones of a script (cheap lookups) and
// the expensive ones (a confirmed repayment) are yet to come. Never later
// than half way.
func (r *result) steadyFrom(stop time.Time) time.Time {
	from := r.start.Add(stop.Sub(r.start) / 6)
	if r.concurrency > 0 && len(r.completions) >= r.concurrency {
		if t := r.completions[r.concurrency-1]; t.After(from) {
			from = t
		}
	}
	if half := r.start.Add(stop.Sub(r.start) / 2); from.After(half) {
		from = half
	}
	return from
}
