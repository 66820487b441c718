// Command loadtest measures the bot's throughput, latency, memory and
// messages per customer step against a floor: an echo bot on the same
// adapter, fake Bot API server and dispatcher, driven by the same simulated
// customers in the same run.
//
// It builds cmd/supportbot, streams generated customers into `supportbot
// import`, runs the bot as a child process against telegramtest (with the
// sending limits raised through SEND_LIMITS) and drives concurrent customers
// through identify → /bill → an FAQ question → /repay → confirm, taken from
// the population in random order. One run is several phases, each against a
// fresh bot process and fake server:
//
//   - bot: back to back (no pause between a customer's steps), one SQLite instance;
//   - pg×N (-database postgres, -instances N): the same, N instances on one
//     PostgreSQL in webhook mode behind a round-robin front (front.go);
//   - echo: the echo bot (this binary, re-run with -echo-child), back to back;
//   - paced: customers pausing -think between steps (a customer's pace);
//   - core: with -core-latency, the bot on the HTTP core (corehttp →
//     coretest → embedcore) with that latency added, paced, beside the
//     embedded core paced;
//   - reminders (-reminders S1,S2): customers subscribe to due-date
//     reminders, and one pass of the periodic jobs is timed in-process at S1
//     and at S2 subscribers (reminders.go).
//
// The last line of the report is
//
//	updates_per_s=… echo_updates_per_s=… ratio=… p50_ms=… p99_ms=… paced_p50_ms=… paced_p99_ms=… new_per_step=… edits_per_step=… conv_new_per_step=… rss_mb=… errors=…
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
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
	_ "time/tzdata" // the support timezone on machines without a zoneinfo database
)

type options struct {
	customers   int
	concurrency int
	duration    time.Duration
	think       time.Duration
	paced       bool
	echo        bool
	random      bool
	seed        uint64
	bin         string
	limits      string
	timeout     time.Duration
	perf        string
	perfGraph   string
	keep        bool
	dir         string
	instances   int
	database    string
	postgresURL string
	coreLatency time.Duration
	reminders   []int
	loadStart   string // the machine's load average when the run started
	only        string // -phases: a comma-separated subset of sqlite, pg, echo, b2b, paced
}

func main() {
	var o options
	var reminders string
	flag.IntVar(&o.customers, "customers", 30000, "customers to generate and import (each simulated customer is a fresh one; 1000000 works: the data is streamed)")
	flag.IntVar(&o.concurrency, "concurrency", 1000, "simulated customers at once")
	flag.DurationVar(&o.duration, "duration", 20*time.Second, "measuring time of each phase")
	flag.DurationVar(&o.think, "think", 2*time.Second, "mean pause of a customer between steps in the paced phases (exponential)")
	flag.BoolVar(&o.paced, "paced", true, "also measure at a customer's pace (-think between steps)")
	flag.BoolVar(&o.echo, "echo", true, "also measure the echo-bot floor")
	flag.BoolVar(&o.random, "random", true, "take customers in random order (false: import order)")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the generated customers and of their order")
	flag.StringVar(&o.bin, "bot", "", "a built supportbot binary (default: go build ./cmd/supportbot)")
	flag.StringVar(&o.limits, "limits", "100000,1000,1000,6000", "SEND_LIMITS for the bot: global/s,per-chat/s,burst,group/min")
	flag.DurationVar(&o.timeout, "timeout", 15*time.Second, "longest wait for the last reply of a step")
	flag.StringVar(&o.perf, "perf", "", "record a CPU profile (perf record -g) of the bot process in the first phase that is not the echo bot (with -phases: any) into this file, and print its top functions")
	flag.StringVar(&o.perfGraph, "perf-callgraph", "fp", "perf's --call-graph: fp (cheap; C frames of SQLite lose their Go callers) or dwarf (whole stacks, large files: keep -duration short)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (database) and the PostgreSQL schema")
	flag.StringVar(&o.dir, "dir", "", "where the temporary directory and the database go (default: the system's temp dir)")
	flag.IntVar(&o.instances, "instances", 1, "bot instances of the PostgreSQL phase (webhook mode behind a round-robin front)")
	flag.StringVar(&o.database, "database", "sqlite", "sqlite, or postgres: add phases with -instances bots on PostgreSQL beside the SQLite ones")
	flag.StringVar(&o.postgresURL, "postgres-url", os.Getenv("LOADTEST_POSTGRES_URL"), "PostgreSQL for -database postgres (a schema of its own is created in it); default $LOADTEST_POSTGRES_URL")
	flag.DurationVar(&o.coreLatency, "core-latency", 0, "run the paced phase on the embedded core and on the HTTP core (coretest over embedcore) with this latency added to every core call")
	flag.StringVar(&reminders, "reminders", "", "S1,S2: time one reminder pass with S1 and with S2 subscribers (default 1000,5000 from 100000 customers on)")
	flag.StringVar(&o.only, "phases", "", "run only the phases that are all of these (comma-separated: sqlite, pg, echo, b2b, paced), e.g. pg,b2b; default all")
	echoChild := flag.Bool("echo-child", false, "internal: run as the echo bot (TELEGRAM_BOT_TOKEN, TELEGRAM_API_ENDPOINT)")
	flag.Parse()
	set := map[string]bool{}
	flag.Visit(func(f *flag.Flag) { set[f.Name] = true })

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if *echoChild {
		err = runEcho(ctx)
	} else {
		if reminders == "" && o.customers >= 100000 {
			reminders = "1000,5000"
		}
		if o.reminders, err = parseCounts(reminders); err == nil {
			err = run(ctx, o, set, os.Stdout, os.Stderr)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

// parseCounts reads "1000,5000": increasing positive counts.
func parseCounts(s string) ([]int, error) {
	if s == "" || s == "0" {
		return nil, nil
	}
	var n []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v <= 0 || len(n) > 0 && v <= n[len(n)-1] {
			return nil, fmt.Errorf("-reminders: want increasing subscriber counts like 1000,5000, got %q", s)
		}
		n = append(n, v)
	}
	return n, nil
}

// backend is where a phase's bot keeps its state and finds the core.
type backend int

const (
	onSQLite   backend = iota // one instance, long polling, embedded core
	onPostgres                // N instances, webhook, embedded core over PostgreSQL
	onHTTPCore                // one instance on SQLite, the core over HTTP (coretest over embedcore)
	onEcho                    // the echo bot
)

// phase is one measurement: a fresh fake server, fresh bot processes, a load.
type phase struct {
	name      string
	backend   backend
	instances int
	think     time.Duration
	script    script
	// subscribing: the phase's customers turn reminders on, and the
	// reminders of the pass before (to customers of earlier phases) are
	// delivered meanwhile: not an error.
	subscribing bool
}

// matches reports whether the phase is every one of the comma-separated
// words: sqlite, pg, echo (its backend), b2b or paced (its pace).
func (ph phase) matches(words string) bool {
	for _, w := range strings.Split(words, ",") {
		var ok bool
		switch strings.TrimSpace(w) {
		case "sqlite":
			ok = ph.backend == onSQLite || ph.backend == onHTTPCore
		case "pg", "postgres":
			ok = ph.backend == onPostgres
		case "echo":
			ok = ph.backend == onEcho
		case "b2b":
			ok = ph.think == 0
		case "paced":
			ok = ph.think > 0
		}
		if !ok {
			return false
		}
	}
	return true
}

// phaseReport is one phase's figures.
type phaseReport struct {
	phase
	res       *result
	sum       summary
	rss       int64 // peak resident set: the largest instance's
	rssSum    int64 // all instances' peaks added
	errors    int64
	conns     int64
	coldStart time.Duration
	cpu       time.Duration // the bot processes' CPU time, user + system
	idle      float64       // share of a core the bots used before the load, with no traffic; -1 unknown
	selfCPU   time.Duration // ours (the fake server, the front and the customers) during the drive
	news      int64         // new messages and edits the fake server answered, whatever chat
	edits     int64
	coreCalls []stepCalls // the HTTP core's requests of each step of one customer alone
	notes     []string
}

// env is what the phases share: the binary, the databases, the population.
type env struct {
	o        options
	bin      string
	dir      string
	sqlite   string // the SQLite database's path
	pgURL    string // the PostgreSQL schema's URL, when there is one
	pop      population
	order    []int32
	cursor   atomic.Int64 // next customer in order: bot phases use each customer once
	coreDB   string       // the HTTP core's own SQLite database (embedcore behind coretest)
	log      io.Writer
	profiled bool
}

func run(ctx context.Context, o options, set map[string]bool, out, log io.Writer) error {
	if o.coreLatency > 0 && !set["concurrency"] {
		// 32 workers of a bot, each step waiting on the core for a few
		// round trips: a thousand customers would only measure a queue.
		o.concurrency = min(100, o.customers)
	}
	if o.customers < 1 || o.concurrency < 1 || o.duration <= 0 {
		return errors.New("-customers, -concurrency and -duration must be positive")
	}
	if o.concurrency > o.customers {
		return fmt.Errorf("-concurrency %d exceeds -customers %d: each simulated customer is a customer of its own", o.concurrency, o.customers)
	}
	switch o.database {
	case "sqlite":
		if o.instances != 1 {
			return errors.New("-instances: several instances need -database postgres (one SQLite file has one bot)")
		}
	case "postgres":
		if o.postgresURL == "" {
			return errors.New("-database postgres needs -postgres-url or LOADTEST_POSTGRES_URL")
		}
		if o.instances < 1 {
			return errors.New("-instances must be positive")
		}
	default:
		return fmt.Errorf("-database: sqlite or postgres, not %q", o.database)
	}
	o.loadStart = loadAverage()
	dir, err := os.MkdirTemp(o.dir, "supportbot-loadtest-")
	if err != nil {
		return err
	}
	if o.keep {
		fmt.Fprintln(log, "keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	e := &env{o: o, dir: dir, log: log, sqlite: filepath.Join(dir, "bot.db")}
	e.bin = o.bin
	if e.bin == "" {
		e.bin = filepath.Join(dir, "supportbot")
		fmt.Fprintln(log, "building cmd/supportbot…")
		if err := build(ctx, e.bin); err != nil {
			return err
		}
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	e.pop = newPopulation(o.customers, o.seed, time.Now(), loc)
	e.order = e.pop.order(o.random)

	imports := []importRecord{}
	imp, err := e.importInto(ctx, "SQLite", "DATABASE_PATH", e.sqlite)
	if err != nil {
		return err
	}
	imp.size = fileSize(e.sqlite) + fileSize(e.sqlite+"-wal")
	imports = append(imports, imp)
	if o.database == "postgres" {
		url, drop, err := createSchema(ctx, o.postgresURL, o.keep, log)
		if err != nil {
			return err
		}
		defer drop()
		e.pgURL = url
		imp, err := e.importInto(ctx, "PostgreSQL", "DATABASE_URL", url)
		if err != nil {
			return err
		}
		imports = append(imports, imp)
	}
	if o.coreLatency > 0 {
		e.coreDB = filepath.Join(dir, "core.db")
		imp, err := e.importInto(ctx, "the HTTP core's SQLite", "DATABASE_PATH", e.coreDB)
		if err != nil {
			return err
		}
		imports = append(imports, imp)
	}

	var phases []phase
	pg := fmt.Sprintf("pg×%d", o.instances)
	if o.coreLatency > 0 {
		phases = []phase{
			{name: "embedded core, paced", backend: onSQLite, instances: 1, think: o.think, script: supportScript},
			{name: fmt.Sprintf("HTTP core +%v, paced", o.coreLatency), backend: onHTTPCore, instances: 1, think: o.think, script: supportScript},
		}
	} else {
		phases = append(phases, phase{name: "bot", backend: onSQLite, instances: 1, script: supportScript})
		if e.pgURL != "" {
			phases = append(phases, phase{name: pg, backend: onPostgres, instances: o.instances, script: supportScript})
		}
		if o.echo {
			phases = append(phases, phase{name: "echo", backend: onEcho, instances: 1, script: echoScript})
		}
		if o.paced {
			phases = append(phases, phase{name: "bot paced", backend: onSQLite, instances: 1, think: o.think, script: supportScript})
			if e.pgURL != "" {
				phases = append(phases, phase{name: pg + " paced", backend: onPostgres, instances: o.instances, think: o.think, script: supportScript})
			}
		}
	}
	if o.only != "" {
		var kept []phase
		for _, ph := range phases {
			if ph.matches(o.only) {
				kept = append(kept, ph)
			}
		}
		if len(kept) == 0 {
			return fmt.Errorf("-phases %s: no phase of this run is all of that", o.only)
		}
		phases = kept
	}
	var reports []*phaseReport
	for _, ph := range phases {
		r, err := e.runPhase(ctx, ph, o.concurrency, 0)
		if err != nil {
			return err
		}
		reports = append(reports, r)
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	var rem *reminderReport
	if len(o.reminders) > 0 {
		if rem, err = e.measureReminders(ctx); err != nil {
			return err
		}
	}
	report(out, o, imports, reports, rem)
	if o.perf != "" && e.profiled {
		if err := perfTop(out, o.perf, 15); err != nil {
			fmt.Fprintln(log, "perf report:", err)
		}
	}
	return nil
}

// importRecord is how one import went.
type importRecord struct {
	into string
	took time.Duration
	size int64 // SQLite: the database's size after it
	rss  int64 // the import process's peak resident set
}

// importInto streams the population into `supportbot import` on the
// database env names: the export is written as it is read, never held.
func (e *env) importInto(ctx context.Context, into string, kv ...string) (importRecord, error) {
	t0 := time.Now()
	cmd := exec.CommandContext(ctx, e.bin, "import", "/dev/stdin")
	cmd.Dir, cmd.Env = e.dir, botEnv(append(kv, "LOG_LEVEL", "error")...)
	w, err := cmd.StdinPipe()
	if err != nil {
		return importRecord{}, err
	}
	var outBuf lockedBuffer
	cmd.Stdout = &outBuf
	cmd.Stderr = io.MultiWriter(&outBuf, prefixWriter{e.log, "  import: "})
	if err := cmd.Start(); err != nil {
		return importRecord{}, err
	}
	werr := make(chan error, 1)
	go func() {
		err := e.pop.write(w)
		w.Close()
		werr <- err
	}()
	err = cmd.Wait()
	if err2 := <-werr; err == nil && err2 != nil {
		err = err2
	}
	if err != nil {
		return importRecord{}, fmt.Errorf("supportbot import into %s: %v\n%s", into, err, clip(outBuf.String(), 2000))
	}
	r := importRecord{into: into, took: time.Since(t0)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.rss = ru.Maxrss * 1024 // kB on Linux
	}
	fmt.Fprintf(e.log, "imported %d customers into %s in %v, peak RSS %.0f MB\n", e.o.customers, into, r.took.Round(time.Millisecond), float64(r.rss)/mb)
	return r, nil
}

// prefixWriter writes to w with a prefix before each write (a line, from a
// child's progress output).
type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p prefixWriter) Write(b []byte) (int, error) {
	fmt.Fprintf(p.w, "%s%s", p.prefix, b)
	return len(b), nil
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

// logLevel is the bot's LOG_LEVEL: error, unless LOADTEST_BOT_LOG_LEVEL says.
func logLevel() string {
	if l := os.Getenv("LOADTEST_BOT_LOG_LEVEL"); l != "" {
		return l
	}
	return "error"
}
