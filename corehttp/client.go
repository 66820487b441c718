package corehttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"supportbot"
)

// The operations of the contract, by their operationId: the op of logs and
// metrics.
const (
	OpLookupCustomer          = "lookupCustomer"
	OpGetCustomer             = "getCustomer"
	OpListPlans               = "listPlans"
	OpListCards               = "listCards"
	OpListScheduled           = "listScheduledRepayments"
	OpListClosureRequests     = "listClosureRequests"
	OpCreateQuote             = "createQuote"
	OpCreateRepayment         = "createRepayment"
	OpGetRepayment            = "getRepaymentByKey"
	OpCancelScheduled         = "cancelScheduledRepayment"
	OpSetAutoRepay            = "setAutoRepay"
	OpSetDefaultCard          = "setDefaultCard"
	OpCheckIdentity           = "checkIdentity"
	OpCreateClosureRequest    = "createClosureRequest"
	defaultMaxResponseBytes   = 4 << 20
	defaultMaxIdleConnsPerHst = 64
)

// Outcomes reported to Metrics.
const (
	OutcomeOK          = "ok"          // a 2xx answer that passed the checks
	OutcomeRefused     = "refused"     // a 4xx: a *supportbot.CoreError
	OutcomeUnavailable = "unavailable" // no final answer in time: ErrCoreUnavailable
	OutcomeInvalid     = "invalid"     // an answer that breaks the contract: ErrInvalidAnswer
)

// ErrInvalidAnswer is in the chain of the error for an answer that breaks the
// contract: undecodable, a missing field, money out of bounds, a quote whose
// parts do not add up. It is neither a refusal nor "unavailable": for an action
// the core may have executed it, so the outcome is unknown and must not be
// guessed (reconcile by key, or hand it to a person).
var ErrInvalidAnswer = supportbot.ErrCoreBadAnswer

// Metrics observes every call: its op, its outcome (OutcomeOK …) and how long
// it took, retries and waits included.
type Metrics interface {
	CoreCall(op, outcome string, d time.Duration)
}

// Policy is how long one call may take and how often it is tried.
type Policy struct {
	AttemptTimeout time.Duration // one request and its answer
	Attempts       int           // tries in all, the first included
	Deadline       time.Duration // the whole call, waits included (the caller's ctx may end it sooner)
	MinBackoff     time.Duration // the first wait between tries, jittered; doubled each time
	MaxBackoff     time.Duration
}

// DefaultReads is the policy of reads, quotes and identity checks: a customer
// is waiting for the answer, so they fail within seconds and the bot says so.
func DefaultReads() Policy {
	return Policy{AttemptTimeout: 2 * time.Second, Attempts: 3, Deadline: 5 * time.Second,
		MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}
}

// DefaultActions is the policy of the actions that change the customer's
// account (repay, cancel, auto-repay, default card, closure). They run in the
// background after the customer confirmed, so they may take longer; what
// stays unknown after it is retried later with the same key.
func DefaultActions() Policy {
	return Policy{AttemptTimeout: 10 * time.Second, Attempts: 5, Deadline: 30 * time.Second,
		MinBackoff: 250 * time.Millisecond, MaxBackoff: 4 * time.Second}
}

func (p Policy) withDefaults(d Policy) Policy {
	if p.AttemptTimeout <= 0 {
		p.AttemptTimeout = d.AttemptTimeout
	}
	if p.Attempts <= 0 {
		p.Attempts = d.Attempts
	}
	if p.Deadline <= 0 {
		p.Deadline = d.Deadline
	}
	if p.MinBackoff <= 0 {
		p.MinBackoff = d.MinBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = max(d.MaxBackoff, p.MinBackoff)
	}
	return p
}

// Config configures a Client. Zero fields take the defaults named.
type Config struct {
	BaseURL string // CORE_URL, e.g. https://core.internal/v1; paths are appended to it
	Token   string // CORE_TOKEN, sent as a bearer token; never logged

	// HTTPClient sends the requests (default: one with its own pooled
	// transport). Its redirects are not followed: the client works on a copy.
	HTTPClient *http.Client
	// Reads is the policy of the GETs, quotes and identity checks (default
	// DefaultReads()); Actions of repayments, cancellations, auto-repay,
	// default card and closure requests (default DefaultActions()). A zero
	// field of either takes its default.
	Reads   Policy
	Actions Policy
	Logger  *slog.Logger
	Metrics Metrics // optional
	// MaxResponseBytes bounds an answer's body (default 4 MiB).
	MaxResponseBytes int64
	// Sleep waits between tries (default: a timer); tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Client speaks the core's HTTP API (CORE_API.md) for the flows. It is safe
// for concurrent use.
type Client struct {
	base    string // no trailing slash
	token   string
	hc      *http.Client
	reads   Policy
	actions Policy
	log     *slog.Logger
	metrics Metrics
	maxBody int64
	sleep   func(context.Context, time.Duration) error
}

// New checks cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.BaseURL)
	switch {
	case err != nil:
		return nil, fmt.Errorf("core base URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		return nil, fmt.Errorf("core base URL %q: want an absolute http(s) URL", u.Redacted())
	case u.User != nil:
		return nil, errors.New("core base URL: credentials in the URL; use the token")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("core base URL %q: no query or fragment allowed", u.Redacted())
	}
	if err := checkToken(cfg.Token); err != nil {
		return nil, err
	}
	c := &Client{
		base:    strings.TrimRight(u.String(), "/"),
		token:   cfg.Token,
		reads:   cfg.Reads.withDefaults(DefaultReads()),
		actions: cfg.Actions.withDefaults(DefaultActions()),
		log:     cfg.Logger,
		metrics: cfg.Metrics,
		maxBody: cfg.MaxResponseBytes,
		sleep:   cfg.Sleep,
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	c.log = c.log.With("component", "corehttp")
	if c.maxBody <= 0 {
		c.maxBody = defaultMaxResponseBytes
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	} else {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = defaultMaxIdleConnsPerHst
		hc.Transport = tr
	}
	// A redirect is a misconfigured CORE_URL, not an answer: following it
	// would turn a POST into a GET, or send the token elsewhere.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.hc = &hc
	return c, nil
}

// checkToken refuses a token that cannot be sent as a header value, without
// repeating it.
func checkToken(t string) error {
	if t == "" {
		return errors.New("core token is empty")
	}
	for i := 0; i < len(t); i++ {
		if t[i] <= ' ' || t[i] > '~' {
			return fmt.Errorf("core token: character %d is not printable ASCII", i+1)
		}
	}
	return nil
}

// call is one operation: what to send, and how long to keep trying.
type call struct {
	op     string
	method string
	path   string // escaped, with its query; appended to the base URL
	key    string // Idempotency-Key; "" sends none
	body   []byte // JSON; nil for none
	policy Policy
}

// answer is an HTTP answer read whole.
type answer struct {
	status     int
	retryAfter string
	body       []byte
}

// do runs cl until it gets a final answer, and decodes a 2xx answer with
// decode. The error is a *supportbot.CoreError for a 4xx, wraps
// ErrCoreUnavailable when no final answer came in time, and wraps
// ErrInvalidAnswer when the answer breaks the contract.
func (c *Client) do(ctx context.Context, cl call, decode func([]byte) error) (err error) {
	start := time.Now()
	defer func() {
		if c.metrics != nil {
			c.metrics.CoreCall(cl.op, outcomeOf(err), time.Since(start))
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, cl.policy.Deadline)
	defer cancel()
	var last string         // why the last try did not give a final answer
	var asked time.Duration // the last answer's Retry-After
	attempt := 0
	for {
		attempt++
		a, terr := c.attempt(ctx, cl)
		var wait time.Duration
		asked = 0
		switch {
		case terr != nil:
			last = c.redact(terr.Error())
		case a.status >= 200 && a.status < 300:
			if derr := decode(a.body); derr != nil {
				return fmt.Errorf("core %s: %w: %w", cl.op, ErrInvalidAnswer, derr)
			}
			c.log.Debug("core call", "op", cl.op, "status", a.status, "attempts", attempt, "duration", time.Since(start))
			return nil
		case retryable(a.status):
			last = fmt.Sprintf("HTTP %d%s", a.status, errorCodeSuffix(a.body))
			if d, ok := parseRetryAfter(a.retryAfter, time.Now()); ok {
				wait, asked = d, d
				last += fmt.Sprintf(" (Retry-After %s)", a.retryAfter)
			}
		case a.status >= 400 && a.status < 500:
			return fmt.Errorf("core %s: %w", cl.op, coreError(a))
		default: // 1xx, 3xx: not an answer of the contract
			return fmt.Errorf("core %s: %w: HTTP %d", cl.op, ErrInvalidAnswer, a.status)
		}
		if ctx.Err() != nil {
			break
		}
		if attempt >= cl.policy.Attempts {
			last += fmt.Sprintf("; gave up after %d attempts", attempt)
			break
		}
		if wait == 0 {
			wait = backoff(cl.policy, attempt)
		}
		if dl, ok := ctx.Deadline(); ok && wait >= time.Until(dl) {
			// The core asked for more time than the call has left: retrying
			// sooner would go against its Retry-After, waiting could not help.
			last += fmt.Sprintf("; next try in %s is past the call's deadline", wait.Round(time.Millisecond))
			break
		}
		c.log.Warn("core call not answered, retrying", "op", cl.op, "key", cl.key, "attempt", attempt, "cause", last, "wait", wait)
		if c.sleep(ctx, wait) != nil {
			break
		}
	}
	// Whoever sends it again later waits as long as the core asked.
	var later silent
	if asked > 0 {
		later.err = &supportbot.CoreRetryAfter{After: asked}
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("core %s: %w after %d attempts: %s: %w%w", cl.op, supportbot.ErrCoreUnavailable, attempt, last, cerr, later)
	}
	return fmt.Errorf("core %s: %w: %s%w", cl.op, supportbot.ErrCoreUnavailable, last, later)
}

// silent puts err (if any) in an error's chain without adding to its
// message, which says it already.
type silent struct{ err error }

func (s silent) Error() string { return "" }
func (s silent) Unwrap() error { return s.err }

// attempt sends cl once and reads the whole answer within the attempt timeout.
// Its error is a transport error (no answer, or a broken one), without the
// URL: a lookup's URL holds the customer's phone.
func (c *Client) attempt(ctx context.Context, cl call) (answer, error) {
	ctx, cancel := context.WithTimeout(ctx, cl.policy.AttemptTimeout)
	defer cancel()
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, c.base+cl.path, body)
	if err != nil {
		return answer{}, fmt.Errorf("build request: %w", stripURL(err))
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.key != "" {
		req.Header.Set("Idempotency-Key", cl.key)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return answer{}, stripURL(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return answer{}, fmt.Errorf("read answer (HTTP %d): %w", resp.StatusCode, stripURL(err))
	}
	if int64(len(b)) > c.maxBody {
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return answer{}, fmt.Errorf("answer (HTTP %d) larger than %d bytes", resp.StatusCode, c.maxBody)
		}
		b = b[:c.maxBody] // an error answer: its code is at the start
	}
	return answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: b}, nil
}

// redact removes the token from a message, should any layer ever echo it.
func (c *Client) redact(s string) string {
	return strings.ReplaceAll(s, c.token, "[redacted]")
}

// stripURL drops the URL of a *url.Error: the cause stays, the phone of a
// lookup's query does not travel up into logs.
func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}

// retryable reports whether an HTTP status is not final: the core (or a proxy
// in front of it) did not give the request's answer. 408 is a proxy's "you
// were too slow to send it": the core never saw the request.
func retryable(status int) bool {
	return status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout
}

func outcomeOf(err error) string {
	switch {
	case err == nil:
		return OutcomeOK
	case errors.Is(err, supportbot.ErrCoreUnavailable):
		return OutcomeUnavailable
	case errors.Is(err, ErrInvalidAnswer):
		return OutcomeInvalid
	case supportbot.CoreErrorOf(err) != nil:
		return OutcomeRefused
	}
	return OutcomeInvalid
}

// parseRetryAfter reads Retry-After: seconds (the contract), or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(min(n, int64(24*time.Hour/time.Second))) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// backoff is the wait after the n-th try: exponential, with half of it random
// so that many chats retrying together do not stampede.
func backoff(p Policy, n int) time.Duration {
	d := p.MinBackoff
	for i := 1; i < n && d < p.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.MaxBackoff)
	return d/2 + rand.N(d/2+1)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
