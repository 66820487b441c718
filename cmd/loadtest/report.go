package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"
)

func report(w io.Writer, o options, imports []importRecord, phases []*phaseReport, rem *reminderReport) {
	order := "random order"
	if !o.random {
		order = "import order"
	}
	fmt.Fprintf(w, "\nsupportbot load test: %d customers (%s), %d at once, %v a phase, seed %d, %d CPUs\n",
		o.customers, order, firstBot(phases).res.concurrency, o.duration, o.seed, runtime.NumCPU())
	fmt.Fprintf(w, "machine load average (1 min) at the start %s, at the end %s: the machine is shared, figures move with it\n", o.loadStart, loadAverage())
	fmt.Fprintf(w, "send limits RAISED for the test: SEND_LIMITS=%s (Telegram's are 30/s overall, 1/s per chat)\n", o.limits)
	for _, imp := range imports {
		fmt.Fprintf(w, "import into %s (streamed, supportbot import): %v, %.0f customers/s, peak RSS of the import %.0f MB", imp.into,
			imp.took.Round(time.Millisecond), float64(o.customers)/imp.took.Seconds(), float64(imp.rss)/mb)
		if imp.size > 0 {
			fmt.Fprintf(w, ", database %.1f MB", float64(imp.size)/mb)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\n%-26s %5s %9s %8s %8s %8s %8s %15s %8s %8s %8s %7s %7s %6s\n", "phase", "think", "updates/s",
		"p50 ms", "p90 ms", "p99 ms", "max ms", "1st step p50/99", "new/step", "edit/step", "RSS MB", "CPU s", "CPU/upd", "errors")
	for _, r := range phases {
		s := r.sum
		rss := fmt.Sprintf("%.0f", float64(r.rss)/mb)
		if r.instances > 1 {
			rss = fmt.Sprintf("%.0f×%d", float64(r.rssSum)/mb/float64(r.instances), r.instances)
		}
		cpuPer := "-"
		if s.updates > 0 {
			cpuPer = fmt.Sprintf("%.2fms", ms(r.cpu)/float64(s.updates))
		}
		fmt.Fprintf(w, "%-26s %5s %9.0f %8.1f %8.1f %8.1f %8.1f %15s %8.2f %8.2f %8s %7.1f %7s %6d\n", r.name, short(r.think),
			s.perSecond, ms(s.lat.p50), ms(s.lat.p90), ms(s.lat.p99), ms(s.lat.max),
			fmt.Sprintf("%.1f/%.1f", ms(s.first.p50), ms(s.first.p99)),
			ratioOf(s.news, s.updates), ratioOf(s.edits, s.updates), rss, r.cpu.Seconds(), cpuPer, r.errors)
	}
	fmt.Fprintln(w, "(updates/s and p50…max over the steady part of a phase; latency is from an update's push to the step's last reply;")
	fmt.Fprintln(w, " 1st step: a customer's first update, the bot has not seen them in this run; new/edit per step as the customers received them;")
	fmt.Fprintln(w, " RSS: peak resident set of the bot process, per instance; CPU: the bot processes' whole life, and per update answered:")
	fmt.Fprintln(w, " CPU time is less moved by a busy machine than throughput is)")
	for _, r := range phases {
		var lines []string
		res := r.res
		idle := ""
		if r.idle >= 0 && r.backend != onEcho {
			idle = fmt.Sprintf("; idle before the load (no traffic, %v): %.0f %% of a core", idleFor, 100*r.idle)
		}
		lines = append(lines, fmt.Sprintf("%d updates answered, %d scripts completed, in %.1fs; steady window %.1fs; cold start %v; CPU of the fake server, front and customers %.1fs; %d TCP connections to the Bot API%s",
			r.sum.updates, res.scenarios, res.end.Sub(res.start).Seconds(), r.sum.window, r.coldStart.Round(time.Millisecond), r.selfCPU.Seconds(), r.conns, idle))
		for _, e := range res.errSamples {
			lines = append(lines, "error: "+e)
		}
		for _, n := range r.notes {
			lines = append(lines, "note: "+n)
		}
		if len(r.coreCalls) > 0 {
			var parts []string
			for _, sc := range r.coreCalls {
				if sc.err != "" {
					parts = append(parts, "probe failed: "+sc.err)
					continue
				}
				ops := make([]string, 0, len(sc.ops))
				for op, n := range sc.ops {
					ops = append(ops, fmt.Sprintf("%s×%d", op, n))
				}
				sort.Strings(ops)
				parts = append(parts, fmt.Sprintf("%s: %s", sc.kind, strings.Join(ops, " ")))
			}
			lines = append(lines, "core requests per step (one customer alone): "+strings.Join(parts, "; "))
		}
		fmt.Fprintf(w, "%s:\n", r.name)
		for _, l := range lines {
			fmt.Fprintf(w, "       %s\n", l)
		}
	}

	for _, r := range phases {
		if r.backend == onEcho {
			continue
		}
		messagesPerStep(w, r)
	}
	if rem != nil {
		fmt.Fprintf(w, "\nreminder pass (one pass of the periodic jobs at 10:30 on a day every subscriber has a reminder due; %d customers in the database):\n", rem.customers)
		fmt.Fprintf(w, "  %11s %10s %9s %14s %16s\n", "subscribers", "pass ms", "queued", "µs/subscriber", "quiet pass ms")
		for _, p := range rem.passes {
			fmt.Fprintf(w, "  %11d %10.1f %9d %14.0f %16.1f\n", p.subscribers, ms(p.took), p.queued,
				float64(p.took.Microseconds())/float64(max(p.subscribers, 1)), ms(p.quiet))
		}
		fmt.Fprintln(w, "  (quiet pass: the same jobs at 08:00, when no reminder may go out; subscribers made by customers who identified, looked up their bill and tapped its reminder button:)")
		for _, s := range rem.subscribe {
			fmt.Fprintf(w, "  %s: %d steps at %.0f/s, p99 %.1f ms, errors %d", s.name, s.sum.updates, s.sum.perSecond, ms(s.sum.lat.p99), s.errors)
			for _, n := range s.notes {
				fmt.Fprintf(w, "; %s", n)
			}
			for _, e := range s.res.errSamples {
				fmt.Fprintf(w, "; error: %s", e)
			}
			fmt.Fprintln(w)
		}
	}

	// The last line, for scripts.
	bot := firstBot(phases)
	var echo, paced *phaseReport
	var errs int64
	for _, r := range phases {
		errs += r.errors
		if r.backend == onEcho && echo == nil {
			echo = r
		}
		if r.think > 0 && paced == nil {
			paced = r
		}
	}
	echoRate, ratio := "-", "-"
	if echo != nil && echo.sum.perSecond > 0 && bot.backend != onEcho {
		echoRate, ratio = fmt.Sprintf("%.0f", echo.sum.perSecond), fmt.Sprintf("%.2f", bot.sum.perSecond/echo.sum.perSecond)
	}
	pacedP50, pacedP99 := "-", "-"
	if paced != nil {
		pacedP50, pacedP99 = fmt.Sprintf("%.1f", ms(paced.sum.lat.p50)), fmt.Sprintf("%.1f", ms(paced.sum.lat.p99))
	}
	fmt.Fprintf(w, "\nupdates_per_s=%.0f echo_updates_per_s=%s ratio=%s p50_ms=%.1f p99_ms=%.1f paced_p50_ms=%s paced_p99_ms=%s new_per_step=%.2f edits_per_step=%.2f conv_new_per_step=%.2f rss_mb=%.1f errors=%d\n",
		bot.sum.perSecond, echoRate, ratio, ms(bot.sum.lat.p50), ms(bot.sum.lat.p99), pacedP50, pacedP99,
		ratioOf(bot.sum.news, bot.sum.updates), ratioOf(bot.sum.edits, bot.sum.updates), ratioOf(bot.sum.convNews, bot.sum.convSteps),
		float64(bot.rss)/mb, errs)
}

// messagesPerStep prints how many new messages and edits each kind of step
// brought, and the figure issue 18 targets.
func messagesPerStep(w io.Writer, r *phaseReport) {
	s := r.sum
	verdict := "ok"
	conv := ratioOf(s.convNews, s.convSteps)
	if conv > 1.2 {
		verdict = "MISSED"
	}
	fmt.Fprintf(w, "\nmessages per customer step, %s: %.2f new + %.2f edits over %d completed steps; identify → bill → FAQ %.2f new per step (target ≤ 1.2: %s)\n",
		r.name, ratioOf(s.news, s.updates), ratioOf(s.edits, s.updates), s.updates, conv, verdict)
	fmt.Fprintf(w, "  (the fake server answered %d new messages and %d edits in the phase, whatever chat and step: %.2f new + %.2f edits per step issued)\n",
		r.news, r.edits, ratioOf(int(r.news), r.res.issued), ratioOf(int(r.edits), r.res.issued))
	fmt.Fprintf(w, "  %-10s %7s %9s %10s %8s %8s %8s\n", "step", "steps", "new/step", "edits/step", "p50 ms", "p90 ms", "p99 ms")
	for k, ks := range s.kinds {
		if ks.steps == 0 {
			continue
		}
		fmt.Fprintf(w, "  %-10s %7d %9.2f %10.2f %8.1f %8.1f %8.1f\n", stepKind(k), ks.steps, ks.newsPerStep(), ks.editsPerStep(),
			ms(ks.lat.p50), ms(ks.lat.p90), ms(ks.lat.p99))
	}
}

// firstBot is the first phase that is not the echo bot.
func firstBot(phases []*phaseReport) *phaseReport {
	for _, r := range phases {
		if r.backend != onEcho {
			return r
		}
	}
	return phases[0]
}

func short(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	return d.String()
}

// loadAverage is the machine's 1-minute load average, "?" if unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}
