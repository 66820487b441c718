package telegramtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultToken is the bot token a Server accepts unless WithToken is given.
const DefaultToken = "123456:TEST"

// MaxInlineButtons is how many buttons one inline keyboard may have in all;
// Telegram answers more with 400 REPLY_MARKUP_TOO_LONG.
const MaxInlineButtons = 100

// ErrClosed is returned by waits that end because the Server was closed.
var ErrClosed = errors.New("telegramtest: server closed")

// Server is a fake Telegram Bot API server on 127.0.0.1. Its methods are safe
// for concurrent use.
type Server struct {
	token string
	srv   *httptest.Server
	done  chan struct{}
	once  sync.Once
	seq   atomic.Int64 // file ids, callback query ids

	mu            sync.Mutex
	notify        chan struct{} // closed and replaced on every state change
	clock         func() time.Time
	bot           wUser
	latency       time.Duration
	faults        []*faultRule
	calls         map[string]int
	nextUpd       int64
	perPoll       int // most updates a getUpdates answer holds (0: its limit)
	offset        int64
	pending       []Update
	pollGen       int64
	allowed       []string        // allowed_updates as last set; nil = Telegram's default
	msgIDs        map[int64]int64 // last message id per chat
	msgs          map[msgKey]*msgRec
	updMsgs       map[int64]msgKey // message carried by a user's message update
	sent          []*SentMessage
	users         map[int64]User
	blocked       map[int64]bool
	missing       map[int64]bool
	topics        map[msgKey]*Topic
	topicSeq      []*Topic
	queries       map[string]*query // callback queries by id
	answers       []CallbackAnswer
	commands      []BotCommand // the last list setMyCommands set, whatever its scope
	commandSets   map[commandSet][]BotCommand
	webhook       Webhook
	limits        RateLimits
	groupSends    map[int64][]time.Time // recent messages per supergroup, for RateLimits
	allSends      []time.Time
	throttled     int
	groupSeq      int64 // media_group_id
	userReactions map[reactionKey][]string
}

type msgKey struct{ chat, id int64 }

// msgRec is a message the server knows; sent is nil for users' and service messages.
type msgRec struct {
	wire      *wMessage
	sent      *SentMessage
	ents      []Entity  // of the text or caption
	versions  []Version // the original, then one per edit
	reactions []string  // set by the bot with setMessageReaction
}

// record appends the message's current state to its history.
func (r *msgRec) record(by string, at time.Time) {
	r.versions = append(r.versions, Version{Text: r.visible(), Entities: slices.Clone(r.ents),
		InlineKeyboard: inlineOf(r.wire.ReplyMarkup), Date: at, By: by})
}

// visible is the text or caption the recipient sees.
func (r *msgRec) visible() string {
	if r.wire.Text != "" {
		return r.wire.Text
	}
	return r.wire.Caption
}

// query is a callback query sent to the bot.
type query struct {
	answered bool
	msg      msgKey
	data     string
}

// Update is a queued update: its update_id and the JSON delivered to the bot.
type Update struct {
	ID   int64
	JSON json.RawMessage
}

// Option configures a Server.
type Option func(*Server)

// WithToken sets the accepted token; a numeric prefix before ':' becomes the bot's user id.
func WithToken(token string) Option {
	return func(s *Server) {
		s.token = token
		if id, err := strconv.ParseInt(strings.Split(token, ":")[0], 10, 64); err == nil {
			s.bot.ID = id
		}
	}
}

// WithBotUsername sets the username getMe reports (default "test_bot").
func WithBotUsername(name string) Option { return func(s *Server) { s.bot.UserName = name } }

// WithFirstUpdateID sets the update_id of the first update (default 100000001).
func WithFirstUpdateID(id int64) Option { return func(s *Server) { s.nextUpd = id } }

// WithUpdatesPerPoll answers each getUpdates with at most n updates,
// whatever its limit: Telegram gives what has arrived, so the items of an
// album sent item by item may come in separate answers.
func WithUpdatesPerPoll(n int) Option { return func(s *Server) { s.perPoll = n } }

// WithClock makes the server read the time from now: message dates, edit
// history and the rate limits. Tests of the limits use it to be deterministic.
func WithClock(now func() time.Time) Option { return func(s *Server) { s.clock = now } }

// WithAllowedUpdates presets the bot's allowed_updates, as if an earlier run of
// the bot had set them (Telegram keeps the setting between calls and restarts).
func WithAllowedUpdates(kinds ...string) Option {
	return func(s *Server) { s.allowed = normalizeKinds(kinds) }
}

// WithRateLimits enforces Telegram's flood limits (off by default).
func WithRateLimits(l RateLimits) Option { return func(s *Server) { s.limits = l } }

// New starts a Server. Close it when done.
func New(opts ...Option) *Server {
	s := &Server{
		token:         DefaultToken,
		done:          make(chan struct{}),
		notify:        make(chan struct{}),
		clock:         time.Now,
		bot:           wUser{ID: 123456, IsBot: true, FirstName: "Test Bot", UserName: "test_bot"},
		calls:         map[string]int{},
		nextUpd:       100000001,
		msgIDs:        map[int64]int64{},
		msgs:          map[msgKey]*msgRec{},
		updMsgs:       map[int64]msgKey{},
		users:         map[int64]User{},
		blocked:       map[int64]bool{},
		missing:       map[int64]bool{},
		topics:        map[msgKey]*Topic{},
		queries:       map[string]*query{},
		commandSets:   map[commandSet][]BotCommand{},
		groupSends:    map[int64][]time.Time{},
		userReactions: map[reactionKey][]string{},
	}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(s)
	return s
}

// Close ends pending long polls and stops the HTTP server. It is idempotent.
func (s *Server) Close() {
	s.once.Do(func() {
		close(s.done)
		s.srv.Close()
	})
}

// URL is the server's base URL, e.g. http://127.0.0.1:PORT.
func (s *Server) URL() string { return s.srv.URL }

// Endpoint is the tgbotapi endpoint format string: URL + "/bot%s/%s".
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// Token is the token the server accepts.
func (s *Server) Token() string { return s.token }

// SetLatency delays every response by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// now is the server's clock; s.mu need not be held.
func (s *Server) now() time.Time { return s.clock() }

// SetBlocked marks a chat as having blocked the bot (403 on sends and edits)
// without telling the bot; Block and Unblock also queue my_chat_member.
func (s *Server) SetBlocked(chatID int64, blocked bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = blocked
}

// SetMissing makes every method naming chatID fail with "chat not found".
func (s *Server) SetMissing(chatID int64, missing bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.missing[chatID] = missing
}

// Fault is an injected failure. The zero Fault with a Delay only slows a call.
type Fault struct {
	Status     int           // HTTP status to answer: 429 and 4xx/500 get JSON, 502–504 an HTML page
	RetryAfter int           // seconds, reported as parameters.retry_after (429)
	Delay      time.Duration // wait before answering
	Processed  bool          // carry the call out anyway; only the answer is replaced
	Drop       bool          // close the connection without answering
	// Description replaces the error's description (4xx and 500), as in
	// Blocked and ThreadNotFound.
	Description string
	// MigrateTo is reported as parameters.migrate_to_chat_id (Migrated).
	MigrateTo int64
	// Page answers 200 with this HTML in place of Telegram's answer, as a
	// proxy or a captive portal would.
	Page string
}

// Blocked is a 403 "Forbidden: bot was blocked by the user", as Telegram
// answers a send to a user who blocked the bot (Block also makes it happen,
// for every send to that user).
func Blocked() Fault {
	return Fault{Status: 403, Description: "Forbidden: bot was blocked by the user"}
}

// Migrated is Telegram refusing a message to a group upgraded to a
// supergroup, naming the supergroup's id.
func Migrated(to int64) Fault {
	return Fault{Status: 400, Description: "Bad Request: group chat was upgraded to a supergroup chat", MigrateTo: to}
}

// ThreadNotFound is a 400 "Bad Request: message thread not found", as
// Telegram answers a send into a forum topic that was deleted (DeleteTopic
// also makes it happen).
func ThreadNotFound() Fault {
	return Fault{Status: 400, Description: "Bad Request: message thread not found"}
}

// RateLimit is a 429 "Too Many Requests: retry after N".
func RateLimit(retryAfter int) Fault { return Fault{Status: 429, RetryAfter: retryAfter} }

// BadGateway is a 502 with an HTML body, as Telegram's front end sends.
func BadGateway() Fault { return Fault{Status: 502} }

// ServerError is a JSON 500 "Internal Server Error".
func ServerError() Fault { return Fault{Status: 500} }

// Delay answers normally after d.
func Delay(d time.Duration) Fault { return Fault{Delay: d} }

// ConnReset drops the connection without an answer.
func ConnReset() Fault { return Fault{Drop: true} }

type faultRule struct {
	method string
	n      int
	f      Fault
}

// InjectFaults makes the next n calls of method ("" = any method; case-insensitive)
// fail with f. n < 0 means until ClearFaults. Rules apply in the order injected.
func (s *Server) InjectFaults(method string, n int, f Fault) {
	if n == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{strings.ToLower(method), n, f})
}

// ClearFaults removes all injected faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) takeFault(method string) (Fault, bool) {
	for i, r := range s.faults {
		if r.method != "" && r.method != method {
			continue
		}
		if r.n > 0 {
			if r.n--; r.n == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return r.f, true
	}
	return Fault{}, false
}

// apiError is an ok:false answer.
type apiError struct {
	code       int
	desc       string
	retryAfter int
	migrateTo  int64
}

func bad(desc string) *apiError { return &apiError{code: 400, desc: "Bad Request: " + desc} }

// rawJSON is a result that is written verbatim (it may be invalid JSON on purpose).
type rawJSON []byte

// ServeHTTP implements the Bot API at /bot<token>/<method>.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || method == "" {
		writeError(w, &apiError{code: 404, desc: "Not Found"})
		return
	}
	method = strings.ToLower(method)
	s.mu.Lock()
	s.calls[method]++
	delay := s.latency
	f, faulty := s.takeFault(method)
	s.mu.Unlock()
	fails := faulty && (f.Status != 0 || f.Drop || f.Page != "")
	if !s.sleep(r.Context(), delay+f.Delay) {
		return
	}
	if fails && !f.Processed {
		writeFault(w, f)
		return
	}
	var res any
	a, err := s.parseArgs(r)
	if token != s.token {
		err = &apiError{code: 401, desc: "Unauthorized"}
	}
	if err == nil {
		res, err = s.call(r.Context(), method, a)
	}
	switch {
	case fails:
		writeFault(w, f)
	case err != nil:
		writeError(w, err)
	default:
		b, ok := res.(rawJSON)
		if !ok {
			b, _ = json.Marshal(res)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(append(append([]byte(`{"ok":true,"result":`), b...), '}'))
	}
}

func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.done:
	}
	return false
}

func writeError(w http.ResponseWriter, e *apiError) {
	body := map[string]any{"ok": false, "error_code": e.code, "description": e.desc}
	switch {
	case e.retryAfter > 0:
		body["parameters"] = map[string]int{"retry_after": e.retryAfter}
	case e.migrateTo != 0:
		body["parameters"] = map[string]int64{"migrate_to_chat_id": e.migrateTo}
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.code)
	w.Write(b)
}

func writeFault(w http.ResponseWriter, f Fault) {
	switch {
	case f.Drop:
		panic(http.ErrAbortHandler) // net/http closes the connection, logs nothing
	case f.Page != "":
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(f.Page))
	case f.Status == 429:
		writeError(w, &apiError{code: 429, desc: fmt.Sprintf("Too Many Requests: retry after %d", f.RetryAfter), retryAfter: f.RetryAfter})
	case f.Status >= 502 && f.Status <= 504:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(f.Status)
		fmt.Fprintf(w, "<html><body>%d %s</body></html>", f.Status, http.StatusText(f.Status))
	case f.Description != "":
		writeError(w, &apiError{code: f.Status, desc: f.Description, migrateTo: f.MigrateTo})
	default:
		writeError(w, &apiError{code: f.Status, desc: http.StatusText(f.Status)})
	}
}

// args are a request's parameters as strings; JSON values other than strings keep
// their JSON text, so reply_markup is JSON whatever the body encoding.
type args struct {
	v   map[string]string
	err *apiError // first parse error
}

func (s *Server) parseArgs(r *http.Request) (*args, *apiError) {
	a := &args{v: map[string]string{}}
	for k, v := range r.URL.Query() {
		a.v[k] = v[0]
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil && err.Error() != "EOF" {
			return nil, bad("can't parse JSON object")
		}
		for k, v := range m {
			a.v[k] = jsonString(v)
		}
	case "multipart/form-data":
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, bad("can't parse multipart/form-data")
		}
		for k, v := range r.MultipartForm.Value {
			a.v[k] = v[0]
		}
		for k, fh := range r.MultipartForm.File { // an upload becomes a fresh file_id
			a.v[k] = fmt.Sprintf("upload-%d-%s", s.seq.Add(1), fh[0].Filename)
		}
	default:
		if err := r.ParseForm(); err != nil {
			return nil, bad("can't parse form")
		}
		for k, v := range r.PostForm {
			a.v[k] = v[0]
		}
	}
	return a, nil
}

func jsonString(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	if string(v) == "null" {
		return ""
	}
	return string(v)
}

func (a *args) str(k string) string { return a.v[k] }

func (a *args) has(k string) bool { _, ok := a.v[k]; return ok }

func (a *args) bool(k string) bool { return a.v[k] == "true" || a.v[k] == "1" }

func (a *args) int(k string) int64 {
	v := a.v[k]
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(v, 64); ferr == nil {
			return int64(f)
		}
		if a.err == nil {
			a.err = bad("invalid " + k + " specified")
		}
	}
	return n
}

// changed wakes every waiter; s.mu must be held.
func (s *Server) changed() {
	close(s.notify)
	s.notify = make(chan struct{})
}

// waitUntil blocks until cond (called with s.mu held) is true.
func (s *Server) waitUntil(ctx context.Context, cond func() bool) error {
	for {
		s.mu.Lock()
		ok, ch := cond(), s.notify
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-s.done:
			return ErrClosed
		}
	}
}
