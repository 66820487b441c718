// Command loadtest measures the bot's throughput, latency and memory against
// a floor: an echo bot on the same adapter, fake Bot API server and
// dispatcher, driven by the same simulated customers in the same run.
//
// It builds cmd/supportbot, imports generated customers with `supportbot
// import`, runs the bot as a child process against telegramtest (with the
// sending limits raised through SEND_LIMITS), drives concurrent customers
// through identify → /bill → an FAQ question → /repay → confirm, then does the
// same with the echo bot (this binary, re-run with -echo-child). The last line
// of the report is
//
//	updates_per_s=… echo_updates_per_s=… ratio=… p50_ms=… p99_ms=… rss_mb=… errors=…
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the support timezone on machines without a zoneinfo database
)

type options struct {
	customers   int
	concurrency int
	duration    time.Duration
	echo        bool
	seed        uint64
	bin         string
	limits      string
	timeout     time.Duration
	think       time.Duration
	perf        string
	keep        bool
	dir         string
}

func main() {
	var o options
	flag.IntVar(&o.customers, "customers", 10000, "customers to generate and import")
	flag.IntVar(&o.concurrency, "concurrency", 1000, "simulated customers at once")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "measuring time, split between the bot and the echo floor")
	flag.BoolVar(&o.echo, "echo", true, "also measure the echo-bot floor")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the generated customers")
	flag.StringVar(&o.bin, "bot", "", "a built supportbot binary (default: go build ./cmd/supportbot)")
	flag.StringVar(&o.limits, "limits", "100000,1000,1000,6000", "SEND_LIMITS for the bot: global/s,per-chat/s,burst,group/min")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Second, "longest wait for the last reply of a step")
	flag.DurationVar(&o.think, "think", 0, "mean pause of a customer between steps (exponential); 0 = none, closed loop")
	flag.StringVar(&o.perf, "perf", "", "record a CPU profile of the bot process with perf into this file")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (database, data file)")
	flag.StringVar(&o.dir, "dir", "", "where the temporary directory and the database go (default: the system's temp dir)")
	echoChild := flag.Bool("echo-child", false, "internal: run as the echo bot (TELEGRAM_BOT_TOKEN, TELEGRAM_API_ENDPOINT)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if *echoChild {
		err = runEcho(ctx)
	} else {
		err = run(ctx, o, os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// phaseReport is one bot's figures.
type phaseReport struct {
	res       *result
	sum       summary
	rss       int64
	errors    int64
	conns     int64
	coldStart time.Duration
	dbFile    int64
	dbWAL     int64
	cpu       time.Duration // the bot process's CPU time, user + system
	selfCPU   time.Duration // ours (the fake server and the customers) during the drive
	notes     []string
}

func run(ctx context.Context, o options, out, log io.Writer) error {
	if o.customers < 1 || o.concurrency < 1 || o.duration <= 0 {
		return errors.New("-customers, -concurrency and -duration must be positive")
	}
	if o.concurrency > o.customers {
		return fmt.Errorf("-concurrency %d exceeds -customers %d: each simulated customer is a customer of its own", o.concurrency, o.customers)
	}
	dir, err := os.MkdirTemp(o.dir, "supportbot-loadtest-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(log, "keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	bin := o.bin
	if bin == "" {
		bin = filepath.Join(dir, "supportbot")
		fmt.Fprintln(log, "building cmd/supportbot…")
		if err := build(ctx, bin); err != nil {
			return err
		}
	}

	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	data, people, err := generate(o.customers, o.seed, time.Now(), loc)
	if err != nil {
		return err
	}
	file, dbPath := filepath.Join(dir, "customers.json"), filepath.Join(dir, "bot.db")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return err
	}
	t0 := time.Now()
	imp := exec.CommandContext(ctx, bin, "import", file)
	imp.Dir, imp.Env = dir, botEnv("DATABASE_PATH", dbPath, "LOG_LEVEL", "error")
	if b, err := imp.CombinedOutput(); err != nil {
		return fmt.Errorf("supportbot import: %v\n%s", err, b)
	}
	importTime := time.Since(t0)
	importSize := fileSize(dbPath) + fileSize(dbPath+"-wal")
	fmt.Fprintf(log, "imported %d customers in %v\n", o.customers, importTime.Round(time.Millisecond))

	phase := o.duration
	if o.echo {
		phase = o.duration / 2
	}
	ours, err := runPhase(ctx, o, "bot", phase, 0, people, dir, func(t *tap) (*child, error) {
		return startChild(bin, dir, botEnv(
			"TELEGRAM_BOT_TOKEN", t.fake.Token(),
			"TELEGRAM_API_ENDPOINT", t.endpoint(),
			"DATABASE_PATH", dbPath,
			"LISTEN_ADDR", "127.0.0.1:0",
			"LOG_LEVEL", logLevel(),
			"SEND_LIMITS", o.limits))
	}, supportScript, dbPath, log)
	if err != nil {
		return err
	}
	var floor *phaseReport
	if o.echo {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		// The same number of updates the bot answered, or the same time.
		floor, err = runPhase(ctx, o, "echo", phase, int64(ours.sum.updates), people, dir, func(t *tap) (*child, error) {
			return startChild(self, dir, botEnv("TELEGRAM_BOT_TOKEN", t.fake.Token(), "TELEGRAM_API_ENDPOINT", t.endpoint()), "-echo-child")
		}, echoScript, "", log)
		if err != nil {
			return err
		}
	}
	report(out, o, importTime, importSize, ours, floor)
	return nil
}

// build compiles cmd/supportbot of the module we are in.
func build(ctx context.Context, bin string) error {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(gomod)) == "" || strings.TrimSpace(string(gomod)) == os.DevNull {
		return fmt.Errorf("run loadtest inside the supportbot module (go env GOMOD: %v)", err)
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/supportbot")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(gomod)))
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/supportbot: %v\n%s", err, b)
	}
	return nil
}

// runPhase starts a bot against a fresh fake server, drives it and stops it.
func runPhase(ctx context.Context, o options, name string, d time.Duration, target int64, people []persona, dir string,
	start func(*tap) (*child, error), sc script, dbPath string, log io.Writer) (*phaseReport, error) {
	t, err := newTap()
	if err != nil {
		return nil, err
	}
	defer t.close()
	ch, err := start(t)
	if err != nil {
		return nil, err
	}
	cold, err := ch.waitPoll(t, 30*time.Second)
	if err != nil {
		ch.stop(5 * time.Second)
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(log, "%s: polling %v after its start; driving %d customers for up to %v\n", name, cold.Round(time.Millisecond), o.concurrency, d)
	var perf *exec.Cmd
	if o.perf != "" && name == "bot" {
		perf = exec.Command("perf", "record", "-F", "499", "-g", "-p", fmt.Sprint(ch.cmd.Process.Pid), "-o", o.perf)
		perf.Stdout, perf.Stderr = io.Discard, io.Discard
		if err := perf.Start(); err != nil {
			fmt.Fprintln(log, "perf:", err)
			perf = nil
		}
	}
	dr := &drive{name: name, tap: t, people: people, concurrency: o.concurrency, duration: d, target: target,
		reuse: name == "echo", timeout: o.timeout, think: o.think, seed: o.seed, script: sc}
	cpu0 := selfCPU()
	res := dr.run(ctx)
	cpu1 := selfCPU()
	if perf != nil {
		perf.Process.Signal(os.Interrupt)
		perf.Wait()
		fmt.Fprintf(log, "perf profile of the bot: perf report -i %s\n", o.perf)
	}
	r := &phaseReport{res: res, sum: res.summarize(), coldStart: cold, selfCPU: cpu1 - cpu0}
	r.rss, err = ch.peakRSS()
	if err != nil {
		r.notes = append(r.notes, "peak RSS: "+err.Error())
	}
	if dbPath != "" {
		r.dbFile, r.dbWAL = fileSize(dbPath), fileSize(dbPath+"-wal")
	}
	stopErr := ch.stop(20 * time.Second)
	if ps := ch.cmd.ProcessState; ps != nil {
		r.cpu = ps.UserTime() + ps.SystemTime()
	}
	r.conns = t.conns.Load()

	r.errors = res.errors
	add := func(n int64, format string, args ...any) {
		if n > 0 {
			r.errors += n
			r.notes = append(r.notes, fmt.Sprintf(format, args...))
		}
	}
	if p := os.Getenv("LOADTEST_DUMP"); p != "" {
		os.WriteFile(p, []byte(ch.stderr.String()), 0o600)
	}
	add(t.stray.Load(), "%d replies to no waiting customer", t.stray.Load())
	add(t.dups.Load(), "%d messages delivered twice in a row to the same chat (duplicate sends)", t.dups.Load())
	add(t.failed.Load(), "%d sendMessage calls refused by the server", t.failed.Load())
	if n := len(t.fake.UnansweredCallbacks()); n > 0 {
		add(int64(n), "%d callback queries never answered", n)
	}
	if lines := ch.errorLines(); len(lines) > 0 {
		add(int64(len(lines)), "%d lines logged at level error, first: %s", len(lines), clip(lines[0], 300))
	}
	if stopErr != nil {
		add(1, "shutdown: %v", stopErr)
	}
	if res.exhausted {
		r.notes = append(r.notes, fmt.Sprintf("ran out of customers after %v: use more -customers", res.stop.Sub(res.start).Round(time.Second)))
	}
	return r, nil
}

// selfCPU is this process's CPU time so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return st.Size()
}

const mb = 1 << 20

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func report(w io.Writer, o options, importTime time.Duration, importSize int64, ours, floor *phaseReport) {
	fmt.Fprintf(w, "\nsupportbot load test: %d customers, %d at once, %v", o.customers, o.concurrency, o.duration)
	if floor != nil {
		fmt.Fprintf(w, " (half for the bot, half for the echo floor)")
	}
	fmt.Fprintf(w, ", think %v, seed %d\n", o.think, o.seed)
	fmt.Fprintf(w, "send limits RAISED for the test: SEND_LIMITS=%s (Telegram's are 30/s overall, 1/s per chat)\n", o.limits)
	fmt.Fprintf(w, "import (supportbot import): %v, database %.1f MB\n", importTime.Round(time.Millisecond), float64(importSize)/mb)
	line := func(name string, r *phaseReport) {
		s, res := r.sum, r.res
		fmt.Fprintf(w, "%-5s %d updates answered, %d scripts completed, in %.1fs; steady %.1fs: %.0f updates/s\n",
			name+":", s.updates, res.scenarios, res.end.Sub(res.start).Seconds(), s.window, s.perSecond)
		fmt.Fprintf(w, "       update-to-last-reply latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
			ms(s.p50), ms(s.p90), ms(s.p99), ms(s.max))
		fmt.Fprintf(w, "       peak RSS %.1f MB; CPU %.1fs (bot process, whole life) + %.1fs (fake server and customers); %d TCP connections opened to the Bot API; errors %d\n",
			float64(r.rss)/mb, r.cpu.Seconds(), r.selfCPU.Seconds(), r.conns, r.errors)
		if r.dbFile > 0 {
			fmt.Fprintf(w, "       database at the end %.1f MB (file %.1f MB + wal %.1f MB)\n",
				float64(r.dbFile+r.dbWAL)/mb, float64(r.dbFile)/mb, float64(r.dbWAL)/mb)
		}
		for _, e := range res.errSamples {
			fmt.Fprintf(w, "       error: %s\n", e)
		}
		for _, n := range r.notes {
			fmt.Fprintf(w, "       note: %s\n", n)
		}
	}
	line("bot", ours)
	if floor != nil {
		line("echo", floor)
	}
	fmt.Fprintf(w, "cold_start_ms=%.0f (binary start to first getUpdates, %d customers in the database)\n", ms(ours.coldStart), o.customers)

	echoRate, ratio := "-", "-"
	r := 0.0
	if floor != nil && floor.sum.perSecond > 0 {
		r = ours.sum.perSecond / floor.sum.perSecond
		echoRate, ratio = fmt.Sprintf("%.0f", floor.sum.perSecond), fmt.Sprintf("%.2f", r)
	}
	check := func(ok bool) string {
		if ok {
			return "ok"
		}
		return "MISSED"
	}
	fmt.Fprintf(w, "targets: ratio ≥ 0.50 %s; p99 < 50 ms %s; peak RSS < 150 MB %s; errors = 0 %s; cold start < 1 s %s\n",
		map[bool]string{true: check(r >= 0.5), false: "-"}[floor != nil], check(ours.sum.p99 < 50*time.Millisecond),
		check(ours.rss < 150*mb), check(ours.errors == 0), check(ours.coldStart < time.Second))
	errs := ours.errors
	if floor != nil {
		errs += floor.errors
	}
	fmt.Fprintf(w, "updates_per_s=%.0f echo_updates_per_s=%s ratio=%s p50_ms=%.1f p99_ms=%.1f rss_mb=%.1f errors=%d\n",
		ours.sum.perSecond, echoRate, ratio, ms(ours.sum.p50), ms(ours.sum.p99), float64(ours.rss)/mb, errs)
}

// logLevel is the bot's LOG_LEVEL: error, unless LOADTEST_BOT_LOG_LEVEL says.
func logLevel() string {
	if l := os.Getenv("LOADTEST_BOT_LOG_LEVEL"); l != "" {
		return l
	}
	return "error"
}
