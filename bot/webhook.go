package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxWebhookBody bounds an update's size; Telegram's are far smaller.
const maxWebhookBody = 1 << 20

// Serve is Run for webhook mode: it registers url (with the secret token
// Telegram echoes in every request) and sends from the outbox until ctx is
// done. Updates arrive through WebhookHandler, served by the caller's HTTP
// server.
func (s *Server) Serve(ctx context.Context, url, secret string) error {
	p := tgbotapi.Params{"url": url, "secret_token": secret}
	p.AddNonZero("max_connections", 40)
	p.AddInterface("allowed_updates", allowedUpdates)
	if err := s.retry(ctx, "setWebhook", func() error {
		_, err := s.api.MakeRequest("setWebhook", p)
		return err
	}); err != nil {
		return fmt.Errorf("setWebhook: %s", scrub(err, s.cfg.Token))
	}
	s.setCommands()
	defer s.startSending(ctx)()
	<-ctx.Done()
	return nil
}

// WebhookHandler takes Telegram's webhook requests: a request without the
// right X-Telegram-Bot-Api-Secret-Token is refused (401) before anything is
// read, a body over 1 MB is refused (413), and an update is handled — its
// effects and replies committed — before the 200, so a crash makes Telegram
// redeliver rather than lose it (processed update ids make that harmless).
func (s *Server) WebhookHandler(secret string) http.Handler {
	sem := make(chan struct{}, s.cfg.Workers)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 || secret == "" {
			s.refused(got != "")
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxWebhookBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
			return
		} else if err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		in, err := decodeUpdate(json.RawMessage(body))
		if err != nil {
			// Telegram would redeliver it forever: take it, and say so in the log.
			s.log.Warn("malformed webhook update skipped", "update_id", updateIDOf(body), "err", err)
			w.WriteHeader(http.StatusOK)
			return
		}
		if in.callback != "" {
			s.answerCallback(in.callback)
		}
		if !s.accept(&in) {
			s.metrics.Update("ignored", 0)
			w.WriteHeader(http.StatusOK)
			return
		}
		if in.group != "" && s.albums.later(in.event.ChatID, in.group, in.event.UpdateID, time.Now()) {
			in.event.AlbumItem = true
		}
		select {
		case sem <- struct{}{}: // bounded: under overload Telegram waits and retries
		case <-r.Context().Done():
			return
		}
		defer func() { <-sem }()
		start := time.Now()
		if err := s.submitWithin(r.Context(), in); err != nil {
			// Not committed (the database is down or does not answer):
			// Telegram delivers it again. Committed after all, it is
			// recognised by its update id then.
			s.log.Error("take webhook update", "err", err)
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		s.metrics.Update(string(in.event.Kind), time.Since(start))
		w.WriteHeader(http.StatusOK)
	})
}

// refused counts a webhook request without the right secret and says so in
// the log, once a minute at most: a scanner, or — one carrying another
// secret — Telegram sending with the secret another instance registered
// (instances with different WEBHOOK_SECRETs: the last to start wins, and
// the others refuse every update Telegram sends them, a probe found,
// silently).
func (s *Server) refused(withSecret bool) {
	s.metrics.Update("refused", 0)
	said := &s.refusedSaid[0]
	if withSecret {
		said = &s.refusedSaid[1] // not kept quiet by a scanner's requests
	}
	now := time.Now().Unix()
	if last := said.Load(); now-last < 60 || !said.CompareAndSwap(last, now) {
		return
	}
	if withSecret {
		s.log.Warn("webhook request with another secret token refused (401): does another instance run with another WEBHOOK_SECRET? Every instance must have the same")
		return
	}
	s.log.Warn("webhook request without a secret token refused (401): not from Telegram")
}

// submitWithin hands an update to the handler and waits at most
// CommitTimeout for it to be committed: a database that does not answer (a
// network partition rather than a refused connection) gets Telegram a 503
// in good time, not a request held open until Telegram gives up on it.
func (s *Server) submitWithin(ctx context.Context, in incoming) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.CommitTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.handler.Submit(ctx, in.event) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("not committed within %v: %w", s.cfg.CommitTimeout, ctx.Err())
	}
}

// albumsSeen remembers the album each chat sent an item of last, and the
// update of its first item: Telegram posts an album's items to the webhook
// one request each, at once (and getUpdates may split them between two
// batches), and the items after the first are told apart by it — the first
// one delivered again (its commit failed) is still the first. This
// instance's memory: items another instance took are answered as their own.
type albumsSeen struct {
	mu   sync.Mutex
	last map[int64]albumMark
}

type albumMark struct {
	group string
	first int64 // the update id of the album's first item
	at    time.Time
}

// albumWindow is how long after an item the next of its album is expected.
const albumWindow = time.Minute

// later reports whether update is a later item of album group than the
// first chat sent of it (within albumWindow); a first item is recorded.
func (a *albumsSeen) later(chat int64, group string, update int64, now time.Time) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if m, ok := a.last[chat]; ok && m.group == group && now.Sub(m.at) <= albumWindow {
		return m.first != update
	}
	a.last[chat] = albumMark{group, update, now}
	if len(a.last) > 10_000 { // bounded: marks past the window go
		for c, m := range a.last {
			if now.Sub(m.at) > albumWindow {
				delete(a.last, c)
			}
		}
	}
	return false
}
