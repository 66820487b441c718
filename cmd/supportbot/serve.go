package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/corehttp"
	"supportbot/store"
)

// retention is how long processed update ids and sent messages are kept.
const retention = 7 * 24 * time.Hour

// runTelegram runs the bot on Telegram: long polling, or webhook mode when
// WEBHOOK_URL is set, with /healthz and /metrics on LISTEN_ADDR either way.
func (m *Main) runTelegram(ctx context.Context) error {
	met := m.Metrics
	limits := m.Limits // tests set them; otherwise SEND_LIMITS, or Telegram's
	if limits == (bot.Limits{}) {
		limits = m.Config.Limits
	}
	var shared bot.SharedOutbox
	if m.DB.Dialect() == "postgres" {
		if err := m.checkSettings(ctx); err != nil {
			return err
		}
		defer m.giveJob(ctx, settingsLease, m.ownSettingsJob()) // stopped: its settings bind no one
		// Several instances may send from this outbox: each claims what it
		// sends, and Telegram's limits are buckets in the database.
		shared = m.DB
	}
	srv, err := bot.New(ctx, bot.Config{
		Shared:     shared,
		Instance:   m.Engine.Instance(),
		Token:      m.Config.Token,
		Endpoint:   m.Config.APIEndpoint,
		Commands:   botCommands(),
		Logger:     m.Logger,
		Outbox:     m.DB,
		LastUpdate: m.DB.LastUpdateTaken,
		Limits:     limits,
		Metrics:    met,
		// Only listed agents act in the staff chat.
		AgentChatID: m.Config.AgentChatID,
		AgentIDs:    m.Config.AgentUserIDs,
		Now:         m.Now,
		ChatRefs:    m.ChatRefs, // the engine's: one chat, one name in the log
		GaveUp: func(ctx context.Context, r supportbot.Reply) {
			if err := m.Engine.StaffUnreachable(ctx, r.TicketID); err != nil {
				m.Logger.Error("end unreachable ticket", "ticket", r.TicketID, "err", err)
			}
		},
		// The desk: tracked posts edited in place, a fresh card in a topic
		// made again, refused replies told to the agent.
		Tracker: m.DB,
		TopicCard: func(ctx context.Context, ticketID int64) (bot.TopicCard, error) {
			name, icon, card, err := m.Engine.TicketCard(ctx, ticketID)
			return bot.TopicCard{Name: name, Icon: icon, Text: card}, err
		},
		Undelivered: func(ctx context.Context, msg supportbot.OutboxMessage, why string) {
			if err := m.Engine.Undelivered(ctx, msg, why); err != nil {
				m.Logger.Error("tell an undelivered reply", "err", err)
			}
		},
	}, m.Engine)
	if err != nil {
		return err
	}
	m.mu.Lock()
	m.Bot = srv
	m.mu.Unlock()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		// Writes, not a read: a database another process holds locked
		// answers reads while every update waits and fails.
		pctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		if err := m.DB.Writable(pctx); err != nil {
			http.Error(w, "database takes no writes", http.StatusServiceUnavailable)
			return
		}
		if err := srv.Receiving(); err != nil {
			http.Error(w, "not receiving Telegram's updates: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("GET /metrics", met.Handler())
	if m.Config.CoreURL != "" {
		// The core's events: signed, committed before the 2xx.
		events, err := corehttp.NewEventHandler(corehttp.EventsConfig{Secret: m.Config.CoreEventsSecret, Sink: m.Engine,
			Logger: m.Logger.With("component", "core-events")})
		if err != nil {
			return err
		}
		mux.Handle("/core/events", events)
	}
	mode := "long polling"
	var handler http.Handler = mux
	if m.Config.WebhookURL != "" {
		u, _ := url.Parse(m.Config.WebhookURL) // validated by LoadConfig
		path, hook := webhookPath(u), srv.WebhookHandler(m.Config.WebhookSecret)
		handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == path { // exactly: not a mux pattern
				hook.ServeHTTP(w, r)
				return
			}
			mux.ServeHTTP(w, r)
		})
		mode = "webhook"
	}
	// A request whose body never completes is not held open: reads and
	// writes are bounded, and idle keep-alive connections closed.
	httpSrv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	var wg sync.WaitGroup
	defer wg.Wait()
	ln, err := net.Listen("tcp", m.Config.ListenAddr)
	switch {
	case err != nil && (mode == "webhook" || m.Config.CoreURL != ""):
		// Telegram's updates or the core's events come in through it.
		return fmt.Errorf("LISTEN_ADDR: %w", err)
	case err != nil:
		// Polling needs no listener: customers are still served, only
		// /healthz and /metrics are missing, and the log says so.
		m.Logger.Error("LISTEN_ADDR unavailable: running without /healthz and /metrics", "addr", m.Config.ListenAddr, "err", err)
	default:
		m.mu.Lock()
		m.addr = ln.Addr().String()
		m.mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				m.Logger.Error("http server", "err", err)
			}
		}()
	}
	wg.Add(2)
	go func() {
		defer wg.Done()
		m.background(ctx)
	}()
	go func() {
		defer wg.Done()
		m.Engine.Run(ctx) // the inbox, the money actions, the periodic jobs
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		httpSrv.Shutdown(sctx) // finishes webhook requests in flight
	}()
	m.Logger.Info("bot started", "username", srv.Username(), "mode", mode, "listen", m.listening())
	if m.Config.DemoHotline {
		m.Logger.Warn("SUPPORT_HOTLINE is not set: customers no agent can take are told the demo's number " + m.Config.Hotline + "; set the service's own")
	}
	if mode == "webhook" {
		// Stop taking webhook requests first, so the sender's final flush
		// includes the replies of the ones in flight.
		go func() {
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			httpSrv.Shutdown(sctx)
		}()
		err := srv.Serve(ctx, m.Config.WebhookURL, m.Config.WebhookSecret)
		if m.DB.Dialect() == "postgres" {
			m.giveJob(ctx, settingsLease, m.ownWebhookJob())
		}
		return err
	}
	pollCtx := ctx
	if m.DB.Dialect() == "postgres" {
		// Several instances share PostgreSQL in webhook mode; only one may
		// poll (Telegram gives each update to one getUpdates), and a second
		// one says so instead of stealing updates from the first. Losing
		// the claim stops polling only: the goroutines above keep ctx.
		if pollCtx, err = m.holdPoller(ctx); err != nil {
			if ctx.Err() != nil {
				// Stopped while claiming polling: a stop, not a failure (CI
				// saw "claim polling: context canceled"); a claim that was
				// made as the stop came is given back.
				m.giveJob(ctx, pollerLease, pollerJob)
				return nil
			}
			return err
		}
	}
	return srv.Run(pollCtx)
}

// background prunes what only matters for a while, hourly: once an hour
// for the bot as a whole when several instances share PostgreSQL (the one
// that takes the hour's lease prunes).
func (m *Main) background(ctx context.Context) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	lastPrune := time.Time{}
	var leases *store.Leases
	if m.DB.Dialect() == "postgres" {
		leases = m.DB.Leases(m.Engine.Instance(), time.Hour)
	}
	for {
		if leases != nil {
			m.keepSettings(ctx)
		}
		if time.Since(lastPrune) > time.Hour && m.takeJob(ctx, leases, "prune", time.Hour) {
			lastPrune = time.Now()
			if n, err := m.DB.Prune(ctx, m.Now().Add(-retention)); err != nil && ctx.Err() == nil {
				m.Logger.Error("prune", "err", err)
			} else if n > 0 {
				m.Logger.Info("pruned", "rows", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// settingsLease is how long an instance's settings stay on record unless
// renewed (background renews them every minute).
const settingsLease = 3 * time.Minute

// settingsJob names, as a job lease, the settings that decide "today", money
// and time for every instance on one database: the support time zone (a
// payoff's fees of periods due today), business hours and reminders.
func (m *Main) settingsJob() string {
	days := make([]string, len(m.Config.ReminderDays))
	for i, d := range m.Config.ReminderDays {
		days[i] = strconv.Itoa(d)
	}
	return fmt.Sprintf("settings: SUPPORT_TIMEZONE=%s BUSINESS_HOURS=%s REMINDER_DAYS=%s REMINDER_HOUR=%d",
		m.Config.Location, m.Config.Hours, strings.Join(days, ","), m.Config.ReminderHour)
}

// ownSettingsJob is this instance's record of its settings: each instance
// keeps its own, and gives it back as it stops (R12a F2: one record shared
// by the instances of the same settings outlived a graceful stop of every
// one, and a restart with new settings was refused for up to
// settingsLease).
func (m *Main) ownSettingsJob() string {
	return m.settingsJob() + settingsOwner + m.Engine.Instance()
}

// settingsOwner parts a settings record's settings from the instance that
// keeps it.
const settingsOwner = " instance="

// checkSettings refuses to start an instance on PostgreSQL whose settings
// differ from those of an instance running on the same database (two
// instances would quote the same plan differently and keep different
// hours), and records its own. Changing them means stopping every instance:
// a stopped one gives its record back (one that died: it runs out within
// settingsLease).
func (m *Main) checkSettings(ctx context.Context) error {
	own := m.settingsJob()
	live, err := m.DB.LiveJobs(ctx, "settings: ")
	if err != nil {
		return err
	}
	for _, other := range live {
		if other, _, _ = strings.Cut(other, settingsOwner); other != own {
			return fmt.Errorf("another instance on this database runs with %s; this one has %s: every instance must have the same "+
				"(to change them, stop every instance; the settings of one that did not stop cleanly are forgotten within %v)",
				strings.TrimPrefix(other, "settings: "), strings.TrimPrefix(own, "settings: "), settingsLease)
		}
	}
	// One mode for all: a poller takes down the webhook the others are
	// served by (Telegram answers its getUpdates 409 while one is set), and
	// a webhook set beside a poller is taken down by it.
	if m.Config.WebhookURL == "" {
		if hooks, err := m.DB.LiveJobs(ctx, webhookJob); err != nil {
			return err
		} else if len(hooks) > 0 {
			return fmt.Errorf("instances on this database run in webhook mode: polling would take their webhook down; set WEBHOOK_URL "+
				"and WEBHOOK_SECRET here too (to switch to polling, stop every instance; their mode is forgotten within %v)", settingsLease)
		}
	} else if pollers, err := m.DB.LiveJobs(ctx, pollerJob); err != nil {
		return err
	} else if len(pollers) > 0 {
		return fmt.Errorf("an instance on this database polls Telegram: it would take this one's webhook down; stop it, or run it "+
			"with WEBHOOK_URL too (a stopped poller's claim runs out within %v)", pollerLease)
	}
	m.keepSettings(ctx)
	return nil
}

// webhookJob and pollerJob name the records of the mode instances run in:
// each webhook instance keeps its own (webhookJob and its name), one
// instance polls. A graceful stop gives its record back, so that the
// operator may restart it in the other mode at once.
const (
	webhookJob = "mode: webhook"
	pollerJob  = "poller"
)

// ownWebhookJob is this instance's webhook record.
func (m *Main) ownWebhookJob() string { return webhookJob + " " + m.Engine.Instance() }

// keepSettings renews this instance's settings record.
func (m *Main) keepSettings(ctx context.Context) {
	jobs := []string{m.ownSettingsJob()}
	if m.Config.WebhookURL != "" {
		jobs = append(jobs, m.ownWebhookJob())
	}
	for _, job := range jobs {
		if _, err := m.DB.Leases(m.Engine.Instance(), settingsLease).TakeJob(ctx, job, settingsLease); err != nil && ctx.Err() == nil {
			m.Logger.Warn("record the settings", "job", job, "err", err)
		}
	}
}

// giveJob gives back this instance's lease on a job as it stops.
func (m *Main) giveJob(ctx context.Context, lease time.Duration, name string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := m.DB.Leases(m.Engine.Instance(), lease).GiveJob(ctx, name); err != nil {
		m.Logger.Warn("give back a job's lease", "job", name, "err", err)
	}
}

// takeJob claims a periodic job for lease; true when there is no one to
// share it with (leases nil).
func (m *Main) takeJob(ctx context.Context, leases *store.Leases, name string, lease time.Duration) bool {
	if leases == nil {
		return true
	}
	ok, err := leases.TakeJob(ctx, name, lease)
	if err != nil && ctx.Err() == nil {
		m.Logger.Warn("claim a periodic job", "job", name, "err", err)
	}
	return ok
}

// listening is the HTTP server's address once it listens.
func (m *Main) listening() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.addr
}

// pollerLease is how long the polling instance's claim lasts unless renewed.
const pollerLease = 30 * time.Second

// holdPoller claims polling for this instance and keeps the claim while it
// runs; the context it returns ends if the claim is lost. A second instance
// is refused: several instances run in webhook mode.
func (m *Main) holdPoller(ctx context.Context) (context.Context, error) {
	leases := m.DB.Leases(m.Engine.Instance(), pollerLease)
	// A claim left by a poller that died runs out within pollerLease: wait
	// that long before refusing (a restart after a crash is not a second
	// instance).
	deadline := time.Now().Add(pollerLease + 5*time.Second)
	for {
		ok, err := leases.TakeJob(ctx, pollerJob, pollerLease)
		if err != nil {
			return nil, fmt.Errorf("claim polling: %w", err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return nil, errors.New("another instance is polling this bot on the same database: only one instance may poll; run several instances in webhook mode (WEBHOOK_URL)")
		}
		m.Logger.Warn("another instance holds polling; waiting for its claim to run out")
		if !sleepCtx(ctx, 2*time.Second) {
			return nil, ctx.Err()
		}
	}
	pctx, cancel := context.WithCancel(ctx)
	go func() {
		defer m.giveJob(ctx, pollerLease, pollerJob)
		defer cancel()
		tick := time.NewTicker(pollerLease / 3)
		defer tick.Stop()
		for {
			select {
			case <-pctx.Done():
				return
			case <-tick.C:
			}
			if ok, err := leases.TakeJob(pctx, pollerJob, pollerLease); err == nil && !ok {
				m.Logger.Error("another instance took over polling; this one stops polling")
				return
			} else if err != nil {
				m.Logger.Warn("renew the polling claim", "err", err)
			}
		}
	}()
	return pctx, nil
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
