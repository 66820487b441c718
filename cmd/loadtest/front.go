package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// frontConnections is how many webhook requests are in flight at once, over
// all instances: Telegram's max_connections, which the bot sets to 40.
const frontConnections = 40

// front plays Telegram's webhook delivery behind a round-robin load
// balancer: it takes the fake server's updates (with getUpdates, which the
// fake serves because the tap keeps the instances' setWebhook from it) and
// POSTs each to the next instance with the secret header, retrying another
// instance when one does not answer 2xx.
type front struct {
	tap     *tap
	targets []string
	secret  string
	client  *http.Client
	next    atomic.Uint64
	sem     chan struct{}
	wg      sync.WaitGroup
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
	retried atomic.Int64
	failed  atomic.Int64
	errMu   sync.Mutex
	err     string // the first failure
}

func newFront(t *tap, targets []string, secret string) *front {
	return &front{tap: t, targets: targets, secret: secret, sem: make(chan struct{}, frontConnections),
		done: make(chan struct{}),
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
			MaxIdleConnsPerHost: frontConnections, MaxConnsPerHost: frontConnections}}}
}

// start delivers updates until stop.
func (f *front) start(ctx context.Context) {
	ctx, f.cancel = context.WithCancel(ctx)
	go f.run(ctx)
}

func (f *front) run(ctx context.Context) {
	defer close(f.done)
	offset := int64(0)
	for ctx.Err() == nil {
		ups, err := f.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() == nil {
				f.fail("getUpdates: " + err.Error())
				time.Sleep(100 * time.Millisecond)
			}
			continue
		}
		for _, u := range ups {
			offset = max(offset, u.ID+1)
			select {
			case f.sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			f.wg.Add(1)
			go func(body []byte) {
				defer f.wg.Done()
				defer func() { <-f.sem }()
				f.deliver(ctx, body)
			}(u.raw)
		}
	}
}

// stop ends the delivery and waits for the requests in flight.
func (f *front) stop() {
	f.once.Do(func() {
		f.cancel()
		<-f.done
		f.wg.Wait()
	})
}

type frontUpdate struct {
	ID  int64 `json:"update_id"`
	raw []byte
}

// getUpdates long-polls the fake server in-process, as Telegram's own queue.
func (f *front) getUpdates(ctx context.Context, offset int64) ([]frontUpdate, error) {
	body := fmt.Sprintf(`{"offset":%d,"limit":100,"timeout":1}`, offset)
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/bot"+f.tap.fake.Token()+"/getUpdates", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	f.tap.fake.ServeHTTP(rec, req)
	var resp struct {
		OK     bool              `json:"ok"`
		Result []json.RawMessage `json:"result"`
		Desc   string            `json:"description"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &resp); err != nil {
		return nil, err
	}
	if !resp.OK {
		return nil, fmt.Errorf("%s", resp.Desc)
	}
	ups := make([]frontUpdate, 0, len(resp.Result))
	for _, raw := range resp.Result {
		var u frontUpdate
		if err := json.Unmarshal(raw, &u); err != nil {
			return nil, err
		}
		u.raw = raw
		ups = append(ups, u)
	}
	return ups, nil
}

// deliver POSTs one update, to the next instance and, when that fails, to
// the ones after it, a few rounds, as Telegram retries.
func (f *front) deliver(ctx context.Context, body []byte) {
	var last string
	for attempt := range 3 * len(f.targets) {
		if attempt > 0 {
			f.retried.Add(1)
			if attempt%len(f.targets) == 0 {
				time.Sleep(200 * time.Millisecond)
			}
		}
		target := f.targets[f.next.Add(1)%uint64(len(f.targets))]
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
		if err != nil {
			f.fail(err.Error())
			return
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", f.secret)
		resp, err := f.client.Do(req)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			last = err.Error()
			f.note(last)
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return
		}
		last = fmt.Sprintf("%s answered %d: %s", target, resp.StatusCode, strings.TrimSpace(string(b)))
		f.note(last)
	}
	f.fail(last)
}

func (f *front) note(err string) {
	f.errMu.Lock()
	if f.err == "" {
		f.err = err
	}
	f.errMu.Unlock()
}

func (f *front) fail(err string) {
	f.failed.Add(1)
	f.note(err)
}

func (f *front) firstError() string {
	f.errMu.Lock()
	defer f.errMu.Unlock()
	return clip(f.err, 200)
}
