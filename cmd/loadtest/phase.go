package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"supportbot/corehttp/coretest"
	"supportbot/embedcore"
	"supportbot/store"
)

const (
	webhookPath   = "/telegram/webhook"
	webhookSecret = "loadtest-webhook-secret"
	eventsSecret  = "loadtest-events-secret"
)

// runPhase starts the phase's bots against a fresh fake server, drives them
// with concurrency customers for the phase's time (or until target updates)
// and stops them.
func (e *env) runPhase(ctx context.Context, ph phase, concurrency int, target int64) (*phaseReport, error) {
	t, err := newTap()
	if err != nil {
		return nil, err
	}
	defer t.close()
	if p := os.Getenv("LOADTEST_TRACE"); p != "" {
		f, err := os.Create(p + "." + strings.ReplaceAll(ph.name, " ", "_"))
		if err == nil {
			defer f.Close()
			t.trace = f
		}
	}
	r := &phaseReport{phase: ph, idle: -1}
	var children []*child
	var fr *front
	stopAll := func() error {
		var first error
		for _, c := range children {
			if err := c.stop(20 * time.Second); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	fail := func(err error) (*phaseReport, error) {
		stopAll()
		return nil, fmt.Errorf("%s: %w", ph.name, err)
	}

	var core *coretest.Server
	if ph.backend == onHTTPCore {
		var closeCore func()
		core, closeCore, err = e.startCore(ctx)
		if err != nil {
			return fail(err)
		}
		defer closeCore()
	}

	t0 := time.Now()
	switch ph.backend {
	case onEcho:
		self, err := os.Executable()
		if err != nil {
			return fail(err)
		}
		c, err := startChild(self, e.dir, botEnv("TELEGRAM_BOT_TOKEN", t.fake.Token(), "TELEGRAM_API_ENDPOINT", t.endpoint()), "-echo-child")
		if err != nil {
			return fail(err)
		}
		children = append(children, c)
		if _, err := c.waitPoll(t, "", 0, 30*time.Second); err != nil {
			return fail(err)
		}
	case onSQLite, onHTTPCore:
		kv := []string{"DATABASE_PATH", e.sqlite}
		if ph.backend == onHTTPCore {
			// The bot's own state in a database of its own; customers
			// and money are the core's.
			kv = []string{"DATABASE_PATH", filepath.Join(e.dir, "bot-httpcore.db"),
				"CORE_URL", core.URL(), "CORE_TOKEN", coretest.DefaultToken, "CORE_EVENTS_SECRET", eventsSecret}
		}
		c, err := startChild(e.bin, e.dir, e.botVars(t, "127.0.0.1:0", kv...))
		if err != nil {
			return fail(err)
		}
		children = append(children, c)
		if _, err := c.waitPoll(t, "", 0, 30*time.Second); err != nil {
			return fail(err)
		}
	case onPostgres:
		// Webhook mode: Telegram lets one instance poll; several take
		// webhook requests behind a load balancer, here the front.
		t.webhook = true
		var targets []string
		for i := range ph.instances {
			addr, err := freeAddr()
			if err != nil {
				return fail(err)
			}
			c, err := startChild(e.bin, e.dir, e.botVars(t, addr, "DATABASE_URL", e.pgURL,
				"WEBHOOK_URL", "http://127.0.0.1"+webhookPath, "WEBHOOK_SECRET", webhookSecret))
			if err != nil {
				return fail(err)
			}
			children = append(children, c)
			if _, err := c.waitPoll(t, "http://"+addr+"/healthz", int64(i+1), 60*time.Second); err != nil {
				return fail(err)
			}
			targets = append(targets, "http://"+addr+webhookPath)
		}
		fr = newFront(t, targets, webhookSecret)
		fr.start(ctx)
		defer fr.stop()
	}
	r.coldStart = time.Since(t0)
	if len(children) == 1 {
		if at := t.firstPoll.Load(); at != 0 && ph.backend != onPostgres {
			r.coldStart = time.Unix(0, at).Sub(children[0].started)
		}
	}
	fmt.Fprintf(e.log, "%s: %d bot process(es) ready %v after the first start; driving %d customers for up to %v\n",
		ph.name, len(children), r.coldStart.Round(time.Millisecond), concurrency, e.o.duration)

	if ph.backend != onEcho && !ph.subscribing {
		r.idle = idleCPU(children, idleFor)
	}
	var perf *exec.Cmd
	if e.o.perf != "" && !e.profiled && ph.backend != onEcho {
		perf = exec.Command("perf", "record", "-F", "499", "--call-graph", e.o.perfGraph, "-p", fmt.Sprint(children[0].cmd.Process.Pid), "-o", e.o.perf)
		perf.Stdout, perf.Stderr = io.Discard, io.Discard
		if err := perf.Start(); err != nil {
			fmt.Fprintln(e.log, "perf:", err)
			perf = nil
		}
	}
	dr := &drive{name: ph.name, tap: t, pop: e.pop, order: e.order, cursor: &e.cursor, concurrency: concurrency,
		duration: e.o.duration, target: target, timeout: e.o.timeout, think: ph.think, seed: e.o.seed, script: ph.script}
	switch ph.backend {
	case onEcho:
		// The echo bot changes nothing: any customers will do.
		dr.reuse, dr.cursor = true, new(atomic.Int64)
	case onHTTPCore:
		// The core and the bot have databases of their own, untouched:
		// the same customers as the embedded phase, from the start.
		dr.cursor = new(atomic.Int64)
	}
	cpu0 := selfCPU()
	res := dr.run(ctx)
	r.selfCPU = selfCPU() - cpu0
	if perf != nil {
		perf.Process.Signal(os.Interrupt)
		perf.Wait()
		e.profiled = true
		fmt.Fprintf(e.log, "perf profile of the bot: perf report -i %s\n", e.o.perf)
	}
	if fr != nil {
		fr.stop()
	}
	if core != nil && ctx.Err() == nil {
		r.coreCalls = e.probeCoreCalls(ctx, t, core, int(dr.cursor.Load()))
	}
	r.res, r.sum = res, res.summarize()
	for _, c := range children {
		rss, err := c.peakRSS()
		if err != nil {
			r.notes = append(r.notes, "peak RSS: "+err.Error())
		}
		r.rssSum += rss
		r.rss = max(r.rss, rss)
	}
	stopErr := stopAll()
	for _, c := range children {
		if ps := c.cmd.ProcessState; ps != nil {
			r.cpu += ps.UserTime() + ps.SystemTime()
		}
	}
	r.conns = t.conns.Load()
	r.news, r.edits = t.news.Load(), t.edits.Load()

	r.errors = res.errors
	add := func(n int64, format string, args ...any) {
		if n > 0 {
			r.errors += n
			r.notes = append(r.notes, fmt.Sprintf(format, args...))
		}
	}
	if p := os.Getenv("LOADTEST_DUMP"); p != "" {
		var all strings.Builder
		for _, c := range children {
			all.WriteString(c.stderr.String())
		}
		os.WriteFile(p+"."+strings.ReplaceAll(ph.name, " ", "_"), []byte(all.String()), 0o600)
	}
	if ph.subscribing {
		if n := t.stray.Load(); n > 0 {
			r.notes = append(r.notes, fmt.Sprintf("%d messages to chats nobody waited on: the reminders the pass before queued", n))
		}
	} else {
		add(t.stray.Load(), "%d replies to no waiting customer", t.stray.Load())
	}
	add(t.dups.Load(), "%d duplicate sends: a new message with the text of one of the chat's last %d (%d of them after newer messages: an old reply sent again out of order)",
		t.dups.Load(), keptTexts, t.reordered.Load())
	if n := t.failed.Load(); n > 0 {
		s, _ := t.failSample.Load().(string)
		add(n, "%d sends or edits refused by the server (%d edits refused as 'message is not modified': the same edit made twice), first: %s", n, t.unchanged.Load(), s)
	}
	if n := len(t.fake.UnansweredCallbacks()); n > 0 {
		add(int64(n), "%d callback queries never answered", n)
	}
	for i, c := range children {
		if lines := c.errorLines(); len(lines) > 0 {
			add(int64(len(lines)), "instance %d: %d lines logged at level error, first: %s", i+1, len(lines), clip(lines[0], 300))
		}
	}
	if fr != nil {
		add(fr.failed.Load(), "%d webhook deliveries failed for good, first: %s", fr.failed.Load(), fr.firstError())
		if n := fr.retried.Load(); n > 0 {
			r.notes = append(r.notes, fmt.Sprintf("%d webhook deliveries retried (non-2xx or connection error), first: %s", n, fr.firstError()))
		}
	}
	if core != nil {
		if d := core.Doubled(); len(d) > 0 {
			add(int64(len(d)), "the core executed %d actions twice: %v", len(d), d[:min(len(d), 3)])
		}
	}
	if stopErr != nil {
		add(1, "shutdown: %v", stopErr)
	}
	if res.exhausted && !ph.subscribing {
		r.notes = append(r.notes, fmt.Sprintf("ran out of customers after %v: use more -customers", res.stop.Sub(res.start).Round(time.Second)))
	}
	return r, nil
}

// botVars is the environment of a bot on t listening on addr.
func (e *env) botVars(t *tap, addr string, kv ...string) []string {
	return botEnv(append([]string{
		"TELEGRAM_BOT_TOKEN", t.fake.Token(),
		"TELEGRAM_API_ENDPOINT", t.endpoint(),
		"LISTEN_ADDR", addr,
		"LOG_LEVEL", logLevel(),
		"SEND_LIMITS", e.o.limits}, kv...)...)
}

// startCore serves the HTTP core: coretest over the embedded core on a
// database of its own, every call delayed by -core-latency.
func (e *env) startCore(ctx context.Context) (*coretest.Server, func(), error) {
	db, err := store.Open(ctx, store.Config{Path: e.coreDB})
	if err != nil {
		return nil, nil, fmt.Errorf("the core's database: %w", err)
	}
	backend := embedcore.New(db, e.pop.loc, time.Now)
	core := coretest.New(backend)
	core.Inject("", -1, coretest.Slow(e.o.coreLatency))
	return core, func() {
		core.Close()
		db.Close()
	}, nil
}

// freeAddr is a 127.0.0.1 address with a port free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// probeCoreCalls runs one more customer alone through the script and counts
// the core's requests of each of its steps, by operation.
func (e *env) probeCoreCalls(ctx context.Context, t *tap, core *coretest.Server, next int) []stepCalls {
	if next >= len(e.order) {
		return nil
	}
	count := func() map[string]int {
		n := map[string]int{}
		for _, c := range core.Calls() {
			n[c.Op]++
		}
		return n
	}
	var out []stepCalls
	before := count()
	dr := &drive{name: "probe", tap: t, pop: e.pop, order: e.order[next : next+1], cursor: new(atomic.Int64), concurrency: 1,
		duration: time.Minute, timeout: e.o.timeout, script: supportScript,
		afterStep: func(k stepKind) {
			now := count()
			sc := stepCalls{kind: k, ops: map[string]int{}}
			for op, n := range now {
				if d := n - before[op]; d > 0 {
					sc.ops[op] = d
				}
			}
			before = now
			out = append(out, sc)
		}}
	if res := dr.run(ctx); res.errors > 0 {
		return append(out, stepCalls{err: strings.Join(res.errSamples, "; ")})
	}
	return out
}

// stepCalls are the core requests one step made, by operation.
type stepCalls struct {
	kind stepKind
	ops  map[string]int
	err  string
}

// idleFor is how long a phase watches its bots with no traffic before it starts.
const idleFor = 2 * time.Second

// idleCPU is the share of a core the processes use together while nobody
// talks to them: what they cost with no work (polling, timers); -1 if unknown.
func idleCPU(children []*child, d time.Duration) float64 {
	sum := func() (time.Duration, bool) {
		var t time.Duration
		for _, c := range children {
			ct, err := c.cpuTime()
			if err != nil {
				return 0, false
			}
			t += ct
		}
		return t, true
	}
	c0, ok0 := sum()
	time.Sleep(d)
	c1, ok1 := sum()
	if !ok0 || !ok1 {
		return -1
	}
	return float64(c1-c0) / float64(d)
}
