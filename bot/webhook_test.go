package bot_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/bot"
	"supportbot/bot/telegramtest"
)

const secret = "s3cret_token"

// serveWebhook serves the adapter's webhook handler (behind an HTTP server
// configured by config, if set) and runs Serve, which registers it, until
// the test ends.
func (r *rig) serveWebhook(t *testing.T, config func(*http.Server)) *httptest.Server {
	t.Helper()
	hook := httptest.NewUnstartedServer(r.bot.WebhookHandler(secret))
	if config != nil {
		config(hook.Config)
	}
	hook.Start()
	t.Cleanup(hook.Close)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.bot.Serve(ctx, hook.URL+"/hook", secret) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Serve did not stop after cancel")
		}
	})
	deadline := time.Now().Add(5 * time.Second)
	for r.srv.Webhook().URL == "" {
		if time.Now().After(deadline) {
			t.Fatal("the webhook was never set")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return hook
}

// update is a private text update from alice, as JSON.
func update(id int64, text string) []byte {
	return fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":%d,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"first_name":"Alice"},"text":%q}}`,
		id, id+1, text)
}

func TestWebhookRegistersAndTakesUpdates(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.echo()
	r.serveWebhook(t, nil)
	if wh := r.srv.Webhook(); wh.SecretToken != secret || !strings.HasSuffix(wh.URL, "/hook") || wh.MaxConnections == 0 {
		t.Errorf("webhook = %+v", wh)
	}
	if got := strings.Join(r.srv.AllowedUpdates(), ","); got != "callback_query,edited_message,message,my_chat_member" {
		t.Errorf("allowed_updates = %s, want messages, edits, buttons and blocks", got)
	}
	id := r.srv.SendText(alice, "/start")
	ctx := context.Background()
	if err := r.srv.DeliverWebhook(ctx); err != nil {
		t.Fatal(err)
	}
	msgs := r.srv.WaitFor(t, alice.ID, 1, 5*time.Second)
	r.srv.PressButton(alice, msgs[0], msgs[0].Buttons()[0].Data)
	r.srv.SendGroupText(-100123, 0, alice, "a group: taken and ignored")
	r.srv.PushRawUpdate([]byte(`{"message":"malformed: taken and ignored"}`))
	if err := r.srv.DeliverWebhook(ctx); err != nil {
		t.Fatal(err)
	}
	// Which update was skipped is named (a probe: the webhook's line did
	// not say), and nothing of its body.
	if logs := r.logs.String(); !regexp.MustCompile(`malformed webhook update skipped.* update_id=[1-9][0-9]*`).MatchString(logs) ||
		strings.Contains(logs, "taken and ignored") {
		t.Errorf("the malformed update's log line:\n%s", logs)
	}
	r.srv.WaitFor(t, alice.ID, 2, 5*time.Second)
	evs := r.h.events()
	if len(evs) != 2 || evs[0].Source != supportbot.UpdateSource(id) || evs[1].Kind != supportbot.EventButton {
		t.Errorf("events = %+v, want the command and the button", evs)
	}
	if err := waitAnswered(r.srv); err != nil {
		t.Errorf("callback queries left unanswered %v: %v", r.srv.UnansweredCallbacks(), err)
	}
	if n := len(r.srv.Pending()); n != 0 {
		t.Errorf("%d updates left undelivered", n)
	}
}

func TestWebhookRefusesWrongSecretAndMethod(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	hook := r.serveWebhook(t, nil)
	ctx := context.Background()
	for _, s := range []string{"", "wrong", secret + "x"} {
		if status, err := r.srv.PostWebhook(ctx, s, update(1, "forged")); err != nil || status != http.StatusUnauthorized {
			t.Errorf("secret %q: status %d, %v; want 401", s, status, err)
		}
	}
	resp, err := http.Get(hook.URL + "/hook")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
	if n := len(r.h.calls()); n != 0 {
		t.Errorf("Submit called %d times for refused requests", n)
	}
	// Refused silently, an instance started with another WEBHOOK_SECRET
	// made the others refuse every update (a probe): the log says so, once
	// a minute at most.
	if logs := r.logs.String(); strings.Count(logs, "without a secret token refused (401)") != 1 ||
		strings.Count(logs, "another secret token refused (401): does another instance run with another WEBHOOK_SECRET?") != 1 ||
		strings.Contains(logs, secret) {
		t.Errorf("log of the refused requests:\n%s", logs)
	}
}

// An empty secret would make every request without the header pass.
func TestWebhookWithoutSecretRefusesEverything(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	hook := httptest.NewServer(r.bot.WebhookHandler(""))
	defer hook.Close()
	resp, err := http.Post(hook.URL, "application/json", strings.NewReader(string(update(1, "x"))))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d, want 401", resp.StatusCode)
	}
}

func TestWebhookRefusesHugeBodies(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	hook := r.serveWebhook(t, nil)
	big := update(1, strings.Repeat("x", 2<<20))
	if status, err := r.srv.PostWebhook(context.Background(), secret, big); err != nil || status != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MB update: status %d, %v; want 413", status, err)
	}
	// Without a Content-Length (chunked), the body is still read only so far.
	var read atomic.Int64
	body := io.MultiReader(strings.NewReader(`{"update_id":1,"message":{"text":"`), &counting{n: &read, left: 64 << 20})
	req, _ := http.NewRequest(http.MethodPost, hook.URL+"/hook", body)
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("endless chunked body: status %d, want 413", resp.StatusCode)
		}
	}
	if n := read.Load(); n > 8<<20 {
		t.Errorf("the client had to write %d MB before the server gave up", n>>20)
	}
	if n := len(r.h.calls()); n != 0 {
		t.Errorf("Submit called %d times for refused requests", n)
	}
}

// counting yields 'x' bytes, left of them, counting what was read.
type counting struct {
	n    *atomic.Int64
	left int64
}

func (c *counting) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, io.EOF
	}
	n := min(int64(len(p)), c.left)
	for i := range n {
		p[i] = 'x'
	}
	c.left -= n
	c.n.Add(n)
	return int(n), nil
}

// The 200 says the update is committed: not a moment before.
func TestWebhookAnswersOnlyAfterSubmitCommitted(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	release := make(chan struct{})
	r.h.SubmitFunc = func(context.Context, []supportbot.Event) error { <-release; return nil }
	r.serveWebhook(t, nil)
	status := make(chan int, 1)
	go func() {
		s, err := r.srv.PostWebhook(context.Background(), secret, update(7, "slow"))
		if err != nil {
			t.Error(err)
		}
		status <- s
	}()
	select {
	case s := <-status:
		t.Fatalf("answered %d before Submit returned", s)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	if s := <-status; s != http.StatusOK {
		t.Errorf("status %d after the commit, want 200", s)
	}
}

// A Submit that fails answers 503: Telegram keeps the update and delivers it
// again, and it is committed then, with the same Source.
func TestWebhookUnavailableWhenSubmitFails(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	var down atomic.Bool
	down.Store(true)
	r.h.SubmitFunc = func(context.Context, []supportbot.Event) error {
		if down.Load() {
			return errDatabaseDown
		}
		return nil
	}
	r.serveWebhook(t, nil)
	id := r.srv.SendText(alice, "while the database is down")
	if err := r.srv.DeliverWebhook(context.Background()); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("delivery: %v, want a 503", err)
	}
	if p := r.srv.Pending(); len(p) != 1 || p[0].ID != id {
		t.Fatalf("pending = %+v, want the update kept", p)
	}
	down.Store(false)
	if err := r.srv.DeliverWebhook(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := r.h.calls()
	if len(calls) != 2 || calls[0][0].Source != supportbot.UpdateSource(id) || calls[1][0].Source != calls[0][0].Source {
		t.Errorf("Submit calls = %+v, want the same update twice", calls)
	}
	if evs := r.h.events(); len(evs) != 1 {
		t.Errorf("committed %d events, want 1", len(evs))
	}
}

// Issue 15.8: an update with update_id 0 delivered twice is submitted with
// the same Source both times, so the inbox takes it once.
func TestWebhookUpdateZeroDeliveredTwiceHasOneSource(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.serveWebhook(t, nil)
	for range 2 {
		if status, err := r.srv.PostWebhook(context.Background(), secret, update(0, "hello")); err != nil || status != http.StatusOK {
			t.Fatalf("status %d, %v; want 200", status, err)
		}
	}
	evs := r.h.events()
	if len(evs) != 2 {
		t.Fatalf("%d events submitted, want 2", len(evs))
	}
	for i, ev := range evs {
		if ev.Source != "u:0" || ev.Source != supportbot.UpdateSource(0) || ev.UpdateID != 0 {
			t.Errorf("delivery %d: Source %q, UpdateID %d; want u:0", i+1, ev.Source, ev.UpdateID)
		}
	}
}

// A body without an update_id (Telegram always sends one: posted by hand)
// is not taken for update 0: each is known by its content, so two different
// ones are both taken and one posted twice is taken once.
func TestWebhookBodiesWithoutUpdateIDAreToldApart(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.serveWebhook(t, nil)
	unnumbered := func(messageID int, text string) []byte {
		return fmt.Appendf(nil, `{"message":{"message_id":%d,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"first_name":"Alice"},"text":%q}}`,
			messageID, text)
	}
	for _, body := range [][]byte{unnumbered(1, "hello"), unnumbered(2, "my bill"), unnumbered(1, "hello")} {
		if status, err := r.srv.PostWebhook(context.Background(), secret, body); err != nil || status != http.StatusOK {
			t.Fatalf("status %d, %v; want 200", status, err)
		}
	}
	evs := r.h.events()
	if len(evs) != 3 {
		t.Fatalf("%d events submitted, want 3", len(evs))
	}
	if evs[0].Source == evs[1].Source || evs[0].Source != evs[2].Source || evs[0].Source == supportbot.UpdateSource(0) {
		t.Errorf("sources %q %q %q: want two different ones, the repeat the first's, none u:0", evs[0].Source, evs[1].Source, evs[2].Source)
	}
}

// Issue 15.8: a request whose body never completes is not held forever.
// The HTTP server's ReadTimeout (cmd/supportbot: 30 s; 300 ms here) bounds
// the read, and the handler gives up on a body it could not read: no
// Submit, no 200, no worker slot kept.
func TestWebhookBodyThatNeverCompletesIsNotHeld(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(c *bot.Config) { c.Workers = 1 })
	hook := r.serveWebhook(t, func(s *http.Server) { s.ReadTimeout = 300 * time.Millisecond })
	conn, err := net.Dial("tcp", hook.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	partial := update(5, "never ends")
	fmt.Fprintf(conn, "POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: %s\r\nContent-Length: %d\r\n\r\n",
		secret, len(partial)+100)
	conn.Write(partial[:len(partial)/2])
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("an incomplete body was answered 200")
		}
	} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatal("the server still holds the request after 5 s")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the request was held %v", d)
	}
	if n := len(r.h.calls()); n != 0 {
		t.Errorf("Submit called %d times for an incomplete body", n)
	}
	// The one worker slot is free: the next update goes through.
	if status, err := r.srv.PostWebhook(context.Background(), secret, update(6, "next")); err != nil || status != http.StatusOK {
		t.Errorf("next update: status %d, %v; want 200", status, err)
	}
}

// An album comes to the webhook one item a request: the items after the
// first are marked as such (the engine answers an album once), an album
// sent later is an album of its own, and the first item delivered again
// (Telegram retries an update whose commit failed) is still the first.
func TestWebhookMarksTheLaterItemsOfAnAlbum(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	r.serveWebhook(t, nil)
	ctx := context.Background()
	for range 2 {
		if _, err := r.srv.SendAlbum(alice.ID, 0, alice, telegramtest.Media{FileID: "p1"}, telegramtest.Media{FileID: "p2"},
			telegramtest.Media{FileID: "p3"}); err != nil {
			t.Fatal(err)
		}
		if err := r.srv.DeliverWebhook(ctx); err != nil {
			t.Fatal(err)
		}
	}
	evs := r.h.waitEvents(t, 6)
	var marks []bool
	for _, ev := range evs {
		marks = append(marks, ev.AlbumItem)
	}
	if want := []bool{false, true, true, false, true, true}; !slices.Equal(marks, want) {
		t.Errorf("album items marked %v, want %v", marks, want)
	}
	item := func(update, message int64) []byte {
		return fmt.Appendf(nil, `{"update_id":%d,"message":{"message_id":%d,"date":1,"chat":{"id":501,"type":"private"},"from":{"id":501,"first_name":"Alice"},"media_group_id":"g9","photo":[{"file_id":"x","file_unique_id":"x","width":1,"height":1}]}}`,
			update, message)
	}
	for _, body := range [][]byte{item(900, 90), item(900, 90), item(901, 91)} {
		if status, err := r.srv.PostWebhook(ctx, secret, body); err != nil || status != 200 {
			t.Fatalf("webhook answered %d, %v", status, err)
		}
	}
	evs = r.h.waitEvents(t, 9)
	if got := []bool{evs[6].AlbumItem, evs[7].AlbumItem, evs[8].AlbumItem}; !slices.Equal(got, []bool{false, false, true}) {
		t.Errorf("first item, the same again, the second item marked %v; want false, false, true", got)
	}
}
