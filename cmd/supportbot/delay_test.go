package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"supportbot/bot"
	"supportbot/bot/telegramtest"
)

// TestStaffChatDelay measures how late customers' messages reach their
// topics with Telegram's own limits in force, on the fake Bot API (20
// messages a minute into the group, 30 a second in all; sends beyond them
// answered 429) and in the bot (bot.DefaultLimits): five customers handed
// off, two agents answering, each customer writing at a person's pace with
// now and then a burst of three, for SUPPORTBOT_DESK_MINUTES minutes (3 by
// default). It reports the delay from a customer's send to the moment the
// text shows in the staff chat (posted, or edited into a post): a figure
// for the README, not an assertion — a loaded machine must not fail it.
//
//	SUPPORTBOT_DESK_DELAY=1 go test ./cmd/supportbot -run TestStaffChatDelay -v
func TestStaffChatDelay(t *testing.T) {
	if os.Getenv("SUPPORTBOT_DESK_DELAY") == "" {
		t.Skip("takes minutes at Telegram's pace: SUPPORTBOT_DESK_DELAY=1 to measure")
	}
	minutes := 3
	if v, err := strconv.Atoi(os.Getenv("SUPPORTBOT_DESK_MINUTES")); err == nil && v > 0 {
		minutes = v
	}
	// A customer's pause between messages, drawn from [lo, hi).
	lo, hi := 8*time.Second, 40*time.Second
	if v := os.Getenv("SUPPORTBOT_DESK_PACE"); v != "" {
		a, b, _ := strings.Cut(v, "-")
		var err1, err2 error
		if lo, err1 = time.ParseDuration(a); err1 == nil {
			hi, err2 = time.ParseDuration(b)
		}
		if err1 != nil || err2 != nil || hi <= lo {
			t.Fatalf("SUPPORTBOT_DESK_PACE=%q: want like 8s-40s", v)
		}
	}
	seed := faultSeed(t)
	rng := rand.New(rand.NewPCG(seed, seed))
	srv := telegramtest.Start(t, telegramtest.WithRateLimits(telegramtest.RateLimits{GroupPerMinute: 20, GlobalPerSecond: 30}))
	a := &app{t: t, srv: srv, env: map[string]string{
		"TELEGRAM_BOT_TOKEN":    srv.Token(),
		"TELEGRAM_API_ENDPOINT": srv.Endpoint(),
		"DATABASE_PATH":         filepath.Join(t.TempDir(), "bot.db"),
		"LOG_LEVEL":             "error",
		"LISTEN_ADDR":           "127.0.0.1:0",
		"AGENT_CHAT_ID":         "-100777",
		"AGENT_USER_IDS":        "9001,9002",
	}}
	a.run("import", "testdata/customers.json")
	a.startWith(bot.DefaultLimits)

	// Five hand-offs; their cards and topics come first.
	var cs []*customer
	for i := range 5 {
		c := a.customer(int64(7900+i), "zh")
		a.srv.SendText(c.user, "/agent")
		cs = append(cs, c)
	}
	topics := make([]int64, 5)
	for i := range cs {
		topics[i] = a.ticketTopic(i + 1)
	}
	agents := []telegramtest.User{agentWang, agentLi}
	for i, topic := range topics {
		a.agentSays(agents[i%2], topic, "/claim")
	}

	// Who shows when: one watcher over the staff chat.
	var mu sync.Mutex
	sent := map[string]time.Time{}
	seen := map[string]time.Duration{}
	stop := make(chan struct{})
	var watch sync.WaitGroup
	watch.Add(1)
	go func() {
		defer watch.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			now := time.Now()
			msgs := a.srv.Messages(staffChat)
			mu.Lock()
			for token, at := range sent {
				if _, ok := seen[token]; ok {
					continue
				}
				for _, m := range msgs {
					if m.FromBot && strings.Contains(m.Text, token) {
						seen[token] = now.Sub(at)
						break
					}
				}
			}
			mu.Unlock()
		}
	}()

	// Customers write; agents answer some of it after a while.
	end := time.Now().Add(time.Duration(minutes) * time.Minute)
	var wg sync.WaitGroup
	var rngMu sync.Mutex
	rnd := func(lo, hi time.Duration) time.Duration {
		rngMu.Lock()
		defer rngMu.Unlock()
		return lo + time.Duration(rng.Int64N(int64(hi-lo)))
	}
	for i, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for time.Now().Before(end) {
				time.Sleep(rnd(lo, hi))
				burst := 1
				if rnd(0, 10*time.Second) < 2*time.Second { // one time in five, a burst of three
					burst = 3
				}
				for range burst {
					n++
					token := fmt.Sprintf("c%d-m%d", i, n)
					mu.Lock()
					sent[token] = time.Now()
					mu.Unlock()
					a.srv.SendText(c.user, "消息 "+token)
					time.Sleep(rnd(300*time.Millisecond, 1500*time.Millisecond))
				}
				go func() { // an agent reads and answers
					time.Sleep(rnd(5*time.Second, 20*time.Second))
					a.srv.SendGroupText(staffChat, topics[i], agents[i%2], "收到，我看一下")
				}()
			}
		}()
	}
	wg.Wait()
	deadline := time.Now().Add(3 * time.Minute) // what is still on its way
	for {
		mu.Lock()
		done := len(seen) == len(sent)
		mu.Unlock()
		if done || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	close(stop)
	watch.Wait()

	mu.Lock()
	defer mu.Unlock()
	var delays []time.Duration
	for _, d := range seen {
		delays = append(delays, d)
	}
	slices.Sort(delays)
	if len(delays) == 0 {
		t.Fatal("no customer message reached the staff chat")
	}
	at := func(q float64) time.Duration { return delays[min(len(delays)-1, int(q*float64(len(delays))))] }
	posts, staffMsgs, edits, renames := 0, 0, 0, 0
	for _, m := range a.srv.SentTo(staffChat) {
		staffMsgs++
		edits += m.Edits
		if strings.HasPrefix(m.Text, "👤") {
			posts++
		}
	}
	for _, tp := range a.srv.Topics() {
		for _, h := range tp.History {
			if h.Action == "edit" {
				renames++
			}
		}
	}
	t.Logf("staff-chat delay over %d customer messages (%d min, pauses %v-%v, 5 tickets, 2 agents, seed %d): "+
		"p50 %v, p95 %v, max %v; %d never arrived; staff chat: %d messages (%d posts of customer messages), %d edits, "+
		"%d topic renames; %d calls answered 429",
		len(sent), minutes, lo, hi, seed, at(0.5).Round(10*time.Millisecond), at(0.95).Round(10*time.Millisecond),
		delays[len(delays)-1].Round(10*time.Millisecond), len(sent)-len(seen), staffMsgs, posts, edits, renames, a.srv.Throttled())
	if len(seen) != len(sent) {
		t.Errorf("%d of %d customer messages never reached the staff chat", len(sent)-len(seen), len(sent))
	}
}

// startWith runs the bot like start, with the given sending limits.
func (a *app) startWith(limits bot.Limits) {
	a.t.Helper()
	cfg, err := LoadConfig(env(a.env))
	if err != nil {
		a.t.Fatal(err)
	}
	a.logs = &syncBuffer{}
	a.m = &Main{Config: cfg, Stdout: &bytes.Buffer{}, Stderr: a.logs, Now: a.now, Limits: limits}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.m.Run(ctx) }()
	var once sync.Once
	a.stop = func() {
		once.Do(func() {
			cancel()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				a.t.Error("bot did not stop")
			}
			a.m.Close()
		})
	}
	a.t.Cleanup(a.stop)
}
