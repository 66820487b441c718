package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"supportbot"
	"supportbot/bot"
)

// child is a bot running as a process of its own, so that its memory is its own.
type child struct {
	cmd     *exec.Cmd
	started time.Time
	stderr  *lockedBuffer
	done    chan error
}

// botEnv is the environment of a child bot: ours without anything the bot
// reads, plus kv.
func botEnv(kv ...string) []string {
	var env []string
	for _, e := range os.Environ() {
		k, _, _ := strings.Cut(e, "=")
		switch {
		case strings.HasPrefix(k, "TELEGRAM_"), strings.HasPrefix(k, "AGENT_"), strings.HasPrefix(k, "WEBHOOK_"),
			strings.HasPrefix(k, "SUPPORT_"), strings.HasPrefix(k, "LOG_"), strings.HasPrefix(k, "CORE_"),
			strings.HasPrefix(k, "REMINDER_"), strings.HasPrefix(k, "DATABASE_"),
			k == "LISTEN_ADDR", k == "BUSINESS_HOURS", k == "SEND_LIMITS":
			continue
		}
		env = append(env, e)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		env = append(env, kv[i]+"="+kv[i+1])
	}
	return env
}

// startChild runs bin with args in dir (where no .env is), logging to a buffer.
func startChild(bin, dir string, env []string, args ...string) (*child, error) {
	c := &child{cmd: exec.Command(bin, args...), stderr: &lockedBuffer{}, done: make(chan error, 1)}
	c.cmd.Dir, c.cmd.Env = dir, env
	c.cmd.Stdout, c.cmd.Stderr = c.stderr, c.stderr
	c.started = time.Now()
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { c.done <- c.cmd.Wait() }()
	return c, nil
}

// waitPoll waits for the bot's first getUpdates (or, in webhook mode, until
// it answers /healthz on healthURL after its setWebhook) and returns how long
// the bot took to get there from its start.
func (c *child) waitPoll(t *tap, healthURL string, minHooks int64, timeout time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if healthURL != "" {
			if t.hooks.Load() >= minHooks && healthy(healthURL) {
				return time.Since(c.started), nil
			}
		} else if at := t.firstPoll.Load(); at != 0 {
			return time.Unix(0, at).Sub(c.started), nil
		}
		select {
		case err := <-c.done:
			return 0, fmt.Errorf("bot exited before polling: %v\n%s", err, c.stderr.String())
		case <-time.After(time.Millisecond):
		}
	}
	return 0, fmt.Errorf("bot did not call getUpdates (or answer %s) within %v\n%s", healthURL, timeout, c.stderr.String())
}

func healthy(url string) bool {
	resp, err := healthClient.Get(url)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

var healthClient = &http.Client{Timeout: time.Second}

// peakRSS is the process's peak resident set (VmHWM), in bytes.
func (c *child) peakRSS() (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb * 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", c.cmd.Process.Pid)
}

// cpuTime is the CPU time the process used so far (user + system), from
// /proc/PID/stat, in clock ticks of 10 ms.
func (c *child) cpuTime() (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may hold spaces: count from after its ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", c.cmd.Process.Pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", c.cmd.Process.Pid, len(f))
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad utime/stime", c.cmd.Process.Pid)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

// stop asks the bot to shut down (SIGTERM) and waits for it.
func (c *child) stop(timeout time.Duration) error {
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		if err != nil {
			return fmt.Errorf("bot exited with %v", err)
		}
		return nil
	case <-time.After(timeout):
		c.cmd.Process.Kill()
		<-c.done
		return fmt.Errorf("bot did not stop within %v; killed", timeout)
	}
}

// errorLines are the lines the bot logged (it runs with LOG_LEVEL=error).
func (c *child) errorLines() []string {
	var lines []string
	for _, l := range strings.Split(c.stderr.String(), "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// echoHandler is the floor: it answers every update with what it carried,
// through an outbox in memory — no database, no flow — and the same sender.
type echoHandler struct {
	mu      sync.Mutex
	seq     int64
	pending []supportbot.OutboxMessage
	wake    func()
}

func (h *echoHandler) Submit(_ context.Context, evs ...supportbot.Event) error {
	h.mu.Lock()
	for _, ev := range evs {
		text := ev.Text
		switch ev.Kind {
		case supportbot.EventCommand:
			text = strings.TrimSpace("/" + ev.Text + " " + ev.Args)
		case supportbot.EventContact:
			text = ev.Phone
		case supportbot.EventButton:
			text = ev.Data
		}
		if text == "" {
			text = "?"
		}
		h.seq++
		h.pending = append(h.pending, supportbot.OutboxMessage{ID: h.seq, Reply: supportbot.Reply{ChatID: ev.ChatID, Text: text}})
	}
	h.mu.Unlock()
	if h.wake != nil {
		h.wake()
	}
	return nil
}

func (h *echoHandler) DueMessages(_ context.Context, _ time.Time, limit int) ([]supportbot.OutboxMessage, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := min(limit, len(h.pending))
	return append([]supportbot.OutboxMessage(nil), h.pending[:n]...), nil
}

func (h *echoHandler) MarkSent(_ context.Context, ids ...int64) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	done := map[int64]bool{}
	for _, id := range ids {
		done[id] = true
	}
	kept := h.pending[:0]
	for _, m := range h.pending {
		if !done[m.ID] {
			kept = append(kept, m)
		}
	}
	h.pending = kept
	return nil
}

func (h *echoHandler) RetryLater(context.Context, int64, time.Time, string) error { return nil }

func (h *echoHandler) MarkFailed(ctx context.Context, id int64, _ string, _ bool) error {
	return h.MarkSent(ctx, id)
}

func (h *echoHandler) TicketTopic(context.Context, int64) (int64, error)          { return 0, nil }
func (h *echoHandler) SetTicketTopic(context.Context, int64, int64) error         { return nil }
func (h *echoHandler) StepMessage(context.Context, int64, string) (int64, error)  { return 0, nil }
func (h *echoHandler) SetStepMessage(context.Context, int64, string, int64) error { return nil }

// runEcho is the echo bot's process: the same adapter (bot.New, its poll loop
// and dispatcher) with the echo handler and direct sends (no outbox).
func runEcho(ctx context.Context) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	h := &echoHandler{}
	// No database to keep a secret in, and nothing to match across
	// restarts: a key of this process's own.
	key := make([]byte, supportbot.ChatRefKeySize)
	rand.Read(key)
	refs, err := supportbot.NewChatRefs(key)
	if err != nil {
		return err
	}
	srv, err := bot.New(ctx, bot.Config{
		Token:    os.Getenv("TELEGRAM_BOT_TOKEN"),
		Endpoint: os.Getenv("TELEGRAM_API_ENDPOINT"),
		Logger:   logger,
		Outbox:   h,
		Limits:   bot.Limits{PerSecond: 100000, PerChat: 1000, PerChatBurst: 1000, PerGroupMinute: 6000},
		ChatRefs: refs,
	}, h)
	if err != nil {
		return err
	}
	h.wake = srv.Wake
	return srv.Run(ctx)
}
