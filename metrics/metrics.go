// Package metrics counts what the bot does, for Prometheus. Its *Metrics
// satisfies the small metrics interfaces that bot/ and flows/ declare; it
// knows nothing of either.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"supportbot"
)

// Metrics holds the bot's collectors in a registry of its own (no globals).
type Metrics struct {
	reg        *prometheus.Registry
	updates    *prometheus.CounterVec
	latency    prometheus.Histogram
	flows      *prometheus.CounterVec
	faq        *prometheus.CounterVec
	actions    *prometheus.CounterVec
	sent       prometheus.Counter
	sendErrors *prometheus.CounterVec
	firstReply prometheus.Histogram
	steps      *prometheus.HistogramVec
	stepFails  *prometheus.CounterVec
	money      *prometheus.CounterVec
	core       *prometheus.HistogramVec
	coreErrors *prometheus.CounterVec
	handoffs   prometheus.Counter
	ratings    *prometheus.CounterVec
}

// Gauges read, when scraped, what the database holds now; a nil one is not
// reported.
type Gauges struct {
	Outbox  func(context.Context) (int, error) // messages waiting to be sent
	Inbox   func(context.Context) (int, error) // events waiting to be handled
	Tickets func(context.Context) (int, error) // open hand-offs
	Waiting func(context.Context) (int, error) // open hand-offs no agent has claimed
	Actions func(context.Context) (map[supportbot.ActionState]int, error)
}

// New registers every collector.
func New(g Gauges) *Metrics {
	depth, tickets, actions, inbox := g.Outbox, g.Tickets, g.Actions, g.Inbox
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.updates = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_updates_total", Help: "Updates handled, by kind (text, command, button, contact, media, ignored)."}, []string{"kind"})
	m.latency = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "supportbot_update_duration_seconds", Help: "Time to handle one update, store transaction included.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}})
	m.flows = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_flow_events_total", Help: "Flows started, completed and abandoned, by flow."}, []string{"flow", "event"})
	m.faq = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_faq_total", Help: "Free-text questions by outcome: answered, flow, unsure, missed."}, []string{"outcome"})
	m.actions = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_actions_total", Help: "Audited actions (money moved, schedules cancelled, closures…), by action."}, []string{"action"})
	m.sent = prometheus.NewCounter(prometheus.CounterOpts{Name: "supportbot_messages_sent_total", Help: "Messages delivered to Telegram."})
	m.sendErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_send_errors_total", Help: "Failed sends to Telegram, by error code (0: network or non-JSON answer)."}, []string{"code"})
	m.firstReply = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "supportbot_handoff_first_reply_seconds", Help: "From hand-off to the first agent reply.",
		Buckets: prometheus.ExponentialBuckets(15, 2, 10)})
	m.steps = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "supportbot_step_duration_seconds", Help: "Time to handle one event of a chat (core calls and transaction), by event kind.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"kind"})
	m.stepFails = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_step_failures_total", Help: "Steps that failed (tried again, or given up with an apology), by event kind."}, []string{"kind"})
	m.money = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_money_action_attempts_total", Help: "Money action attempts against the core, by kind and the state they left it in."},
		[]string{"kind", "state"})
	m.core = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "supportbot_core_request_duration_seconds", Help: "Calls to the core system, by operation, retries included.",
		Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"op"})
	m.coreErrors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_core_errors_total", Help: "Core calls without a result, by operation and outcome (refused, unavailable, invalid)."},
		[]string{"op", "outcome"})
	m.handoffs = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "supportbot_handoffs_total", Help: "Hand-offs to a person (tickets opened)."})
	m.ratings = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "supportbot_ratings_total", Help: "Customers' ratings of closed hand-offs, by rating (1-5)."}, []string{"rating"})
	m.reg.MustRegister(m.updates, m.latency, m.flows, m.faq, m.actions, m.sent, m.sendErrors, m.firstReply,
		m.steps, m.stepFails, m.money, m.core, m.coreErrors, m.handoffs, m.ratings,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, g := range []struct {
		name, help string
		read       func(context.Context) (int, error)
	}{
		{"supportbot_outbox_depth", "Messages waiting in the outbox.", depth},
		{"supportbot_handoffs_open", "Tickets waiting for or with an agent.", tickets},
		{"supportbot_inbox_depth", "Events waiting to be handled.", inbox},
		{"supportbot_handoffs_waiting", "Tickets waiting for an agent to take them.", g.Waiting},
	} {
		if g.read == nil {
			continue
		}
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: g.name, Help: g.help}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			n, err := g.read(ctx)
			if err != nil {
				return -1
			}
			return float64(n)
		}))
	}
	if actions != nil {
		for _, st := range []supportbot.ActionState{supportbot.ActionPending, supportbot.ActionUnknown, supportbot.ActionProcessing} {
			m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "supportbot_money_actions_open",
				Help: "Money actions waiting for an outcome, by state.", ConstLabels: prometheus.Labels{"state": string(st)}},
				func() float64 {
					ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
					defer cancel()
					n, err := actions(ctx)
					if err != nil {
						return -1
					}
					return float64(n[st])
				}))
		}
	}
	return m
}

// Handoff counts one ticket opened.
func (m *Metrics) Handoff() { m.handoffs.Inc() }

// Rating counts one customer's rating of a hand-off.
func (m *Metrics) Rating(n int) { m.ratings.WithLabelValues(strconv.Itoa(n)).Inc() }

// Step counts one handled event of a chat.
func (m *Metrics) Step(kind string, d time.Duration, failed bool) {
	m.steps.WithLabelValues(kind).Observe(d.Seconds())
	if failed {
		m.stepFails.WithLabelValues(kind).Inc()
	}
}

// MoneyAction counts one attempt at a money action.
func (m *Metrics) MoneyAction(kind, state string) { m.money.WithLabelValues(kind, state).Inc() }

// CoreCall counts one call to the core system.
func (m *Metrics) CoreCall(op, outcome string, d time.Duration) {
	m.core.WithLabelValues(op).Observe(d.Seconds())
	if outcome != "ok" {
		m.coreErrors.WithLabelValues(op, outcome).Inc()
	}
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler { return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}) }

// Update counts one handled update and its duration.
func (m *Metrics) Update(kind string, d time.Duration) {
	m.updates.WithLabelValues(kind).Inc()
	m.latency.Observe(d.Seconds())
}

// Flow counts a flow event: started, completed or abandoned.
func (m *Metrics) Flow(flow, event string) { m.flows.WithLabelValues(flow, event).Inc() }

// FAQ counts a free-text outcome.
func (m *Metrics) FAQ(outcome string) { m.faq.WithLabelValues(outcome).Inc() }

// Action counts an audited action.
func (m *Metrics) Action(action string) { m.actions.WithLabelValues(action).Inc() }

// Sent counts a delivered message.
func (m *Metrics) Sent() { m.sent.Inc() }

// SendError counts a failed send by its Telegram error code.
func (m *Metrics) SendError(code int) { m.sendErrors.WithLabelValues(strconv.Itoa(code)).Inc() }

// FirstReply observes the wait for an agent's first reply.
func (m *Metrics) FirstReply(d time.Duration) { m.firstReply.Observe(d.Seconds()) }
