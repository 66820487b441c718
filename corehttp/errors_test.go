package corehttp_test

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"supportbot"
	"supportbot/corehttp"
	"supportbot/corehttp/coretest"
)

// Every refusal of the contract arrives as a CoreError with its details.
func TestRefusals(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()

	_, err := e.client.CancelScheduled(ctx, "c-1", "C1001", "S2")
	if ce := wantCoreError(t, err, 409, supportbot.CoreNotCancellable); ce.Reason != supportbot.NotCancellableTooLate {
		t.Errorf("reason = %q, want too_late", ce.Reason)
	}
	_, err = e.client.CancelScheduled(ctx, "c-2", "C1002", "S3")
	if ce := wantCoreError(t, err, 409, supportbot.CoreNotCancellable); ce.Reason != supportbot.NotCancellableProcessing {
		t.Errorf("reason = %q, want processing", ce.Reason)
	}
	_, err = e.client.CancelScheduled(ctx, "c-3", "C1002", "S1") // another customer's
	if ce := wantCoreError(t, err, 404, supportbot.CoreScheduledNotFound); !ce.NotFound() {
		t.Errorf("NotFound() = false for %s", ce.Code)
	}

	_, err = e.client.RequestClosure(ctx, "cr-1", "C1001")
	ce := wantCoreError(t, err, 409, supportbot.CoreNotEligible)
	same(t, "not_eligible reasons", ce.Reasons, []supportbot.NotEligibleReason{supportbot.NotEligibleUnpaid, supportbot.NotEligibleScheduled})
	_, err = e.client.RequestClosure(ctx, "cr-2", "C1002")
	ce = wantCoreError(t, err, 409, supportbot.CoreAlreadyOpen)
	if ce.Closure == nil {
		t.Fatalf("already_open without the open request")
	}
	same(t, "the open request", *ce.Closure, e.mem.closures[1])

	_, err = e.client.Quote(ctx, "q-0", supportbot.QuoteRequest{CustomerID: "C1001", PlanID: "P2", Kind: supportbot.QuotePayoff})
	wantCoreError(t, err, 409, supportbot.CoreNothingToPay)
	_, err = e.client.Quote(ctx, "q-00", supportbot.QuoteRequest{CustomerID: "C1001", PlanID: "P3", Kind: supportbot.QuotePayoff})
	wantCoreError(t, err, 404, supportbot.CorePlanNotFound)

	q := e.quote(t, "q-1")
	_, err = e.client.Repay(ctx, "p-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K2", Amount: q.Amount})
	wantCoreError(t, err, 409, supportbot.CoreCardFrozen)
	_, err = e.client.Repay(ctx, "p-2", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount - 1})
	wantCoreError(t, err, 409, supportbot.CoreAmountMismatch)
	_, err = e.client.SetDefaultCard(ctx, "d-1", "C1001", "K2")
	wantCoreError(t, err, 409, supportbot.CoreCardFrozen)
	e.mem.advance(16 * time.Minute)
	_, err = e.client.Repay(ctx, "p-3", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount})
	wantCoreError(t, err, 409, supportbot.CoreQuoteExpired)

	_, err = e.client.Customer(ctx, "nobody")
	if ce := wantCoreError(t, err, 404, supportbot.CoreCustomerNotFound); !ce.NotFound() {
		t.Errorf("NotFound() = false for customer_not_found")
	}
	_, err = e.client.Repayment(ctx, "never-sent")
	if ce := wantCoreError(t, err, 404, supportbot.CoreRepaymentNotFound); !ce.NotFound() {
		t.Errorf("NotFound() = false for repayment_not_found")
	}
	// A refused key replays its refusal, and GET says nothing was executed.
	_, err = e.client.Repay(ctx, "p-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K2", Amount: q.Amount})
	wantCoreError(t, err, 409, supportbot.CoreCardFrozen)
	_, err = e.client.Repayment(ctx, "p-1")
	wantCoreError(t, err, 404, supportbot.CoreRepaymentNotFound)

	// The same key for another request.
	_, err = e.client.Repay(ctx, "q-1", supportbot.RepaymentRequest{QuoteID: q.ID, CardID: "K1", Amount: q.Amount})
	wantCoreError(t, err, 422, supportbot.CoreKeyReused)

	for _, op := range []string{coretest.OpCreateRepayment, coretest.OpCancelScheduled, coretest.OpCreateClosureRequest} {
		if n, calls := e.core.Requests(op), len(e.core.Keys(op)); n != calls {
			t.Errorf("%s: %d requests, %d with a key", op, n, calls)
		}
	}
	if n := e.core.Requests(coretest.OpCreateRepayment); n != 5 {
		t.Errorf("%d repayment requests, want 5: a refusal is final, never retried", n)
	}
}

func TestWrongToken(t *testing.T) {
	e := newEnv(t, func(c *corehttp.Config) { c.Token = "not-the-token" })
	_, err := e.client.Customer(t.Context(), "C1001")
	wantCoreError(t, err, 401, "unauthorized")
	if n := e.core.Unauthorized(); n != 1 {
		t.Errorf("the core saw %d requests with a wrong token, want 1 (a 401 is final)", n)
	}
}

// rawCore answers every request with status and body, counting requests.
func rawCore(t *testing.T, status int, body string, header ...string) (*corehttp.Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	s := &sleeps{}
	c, err := corehttp.New(corehttp.Config{BaseURL: srv.URL + "/v1", Token: "tok", Reads: testPolicy, Actions: testPolicy, Sleep: s.sleep})
	if err != nil {
		t.Fatal(err)
	}
	return c, &n
}

// A 4xx without the contract's error body (a proxy's page) is a refusal no
// flow acts on: a 404 of a wrong CORE_URL is not "no such repayment".
func TestForeignErrorPage(t *testing.T) {
	c, n := rawCore(t, 404, "<html>Not Found</html>", "Content-Type", "text/html")
	_, err := c.Repayment(t.Context(), "k")
	ce := wantCoreError(t, err, 404, "http_404")
	if ce.NotFound() {
		t.Errorf("an HTML 404 counts as NotFound(): a lost repayment would be sent again")
	}
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1", n.Load())
	}
}

const validQuote = `{"id":"Q1","customer_id":"C1","plan_id":"P1","kind":"payoff","periods":[1],"amount_fen":%s,
 "parts":{"principal_fen":%s,"fees_fen":0,"late_fees_fen":0,"prepay_fee_fen":%s},"excluded_periods":[],
 "expires_at":"2026-11-21T10:15:00+08:00"%s}`

func TestInvalidAnswersNeverGetThrough(t *testing.T) {
	quoteReq := supportbot.QuoteRequest{CustomerID: "C1", PlanID: "P1", Kind: supportbot.QuotePayoff}
	t.Run("a good quote with an unknown field passes", func(t *testing.T) {
		c, _ := rawCore(t, 201, fmt.Sprintf(validQuote, "1000", "900", "100", `,"new_field":{"x":1}`))
		q, err := c.Quote(t.Context(), "k", quoteReq)
		if err != nil || q.Amount != 1000 || q.Parts.PrepayFee != 100 {
			t.Fatalf("Quote = %+v, %v; want amount 1000 with prepay fee 100", q, err)
		}
		if want := time.Date(2026, 11, 21, 2, 15, 0, 0, time.UTC); !q.ExpiresAt.Equal(want) {
			t.Errorf("expires at %s, want %s", q.ExpiresAt, want)
		}
	})
	max := fmt.Sprint(int64(supportbot.MaxPlanMoney))
	over := fmt.Sprint(int64(supportbot.MaxPlanMoney) + 1)
	for name, body := range map[string]string{
		"parts not adding up":     fmt.Sprintf(validQuote, "1000", "900", "99", ""),
		"amount over the maximum": fmt.Sprintf(validQuote, over, max, "1", ""),
		"a part over the maximum": fmt.Sprintf(validQuote, "1000", over, "0", ""),
		"negative amount":         fmt.Sprintf(validQuote, "-1000", "-1000", "0", ""),
		"fractional amount":       fmt.Sprintf(validQuote, "1000.5", "1000.5", "0", ""),
		"amount as a string":      fmt.Sprintf(validQuote, `"1000"`, "1000", "0", ""),
		"amount overflowing":      fmt.Sprintf(validQuote, "92233720368547758070", "1000", "0", ""),
		"amount missing":          `{"id":"Q1","customer_id":"C1","plan_id":"P1","kind":"payoff","periods":[1],"parts":{"principal_fen":0,"fees_fen":0,"late_fees_fen":0,"prepay_fee_fen":0},"expires_at":"2026-11-21T10:15:00+08:00"}`,
		"parts missing":           `{"id":"Q1","customer_id":"C1","plan_id":"P1","kind":"payoff","periods":[1],"amount_fen":0,"expires_at":"2026-11-21T10:15:00+08:00"}`,
		"another plan's quote":    strings.Replace(fmt.Sprintf(validQuote, "1000", "900", "100", ""), `"P1"`, `"P9"`, 1),
		"unknown kind":            strings.Replace(fmt.Sprintf(validQuote, "1000", "900", "100", ""), `"payoff"`, `"everything"`, 1),
		"another kind than asked": strings.Replace(fmt.Sprintf(validQuote, "1000", "900", "100", ""), `"payoff"`, `"bill"`, 1),
		"bad expiry":              strings.Replace(fmt.Sprintf(validQuote, "1000", "900", "100", ""), `2026-11-21T10:15:00+08:00`, `tomorrow`, 1),
		"truncated":               `{"id":"Q1","customer_id":"C1"`,
		"two values":              fmt.Sprintf(validQuote, "1000", "900", "100", "") + `{}`,
		"empty":                   ``,
	} {
		t.Run(name, func(t *testing.T) {
			c, n := rawCore(t, 201, body)
			q, err := c.Quote(t.Context(), "k", quoteReq)
			wantInvalid(t, err)
			if q != nil {
				t.Errorf("got a quote %+v with the error", q)
			}
			if n.Load() != 1 {
				t.Errorf("%d requests, want 1: an invalid answer is not retried", n.Load())
			}
		})
	}
}

// RFC 3339 (5.6) lets "T" and "Z" be written in lower case, and so the
// contract's date-time does: such an instant is the same instant.
func TestLowerCaseInstants(t *testing.T) {
	body := strings.Replace(fmt.Sprintf(validQuote, "1000", "900", "100", ""), `2026-11-21T10:15:00+08:00`, `2026-11-21t02:15:00z`, 1)
	c, _ := rawCore(t, 201, body)
	q, err := c.Quote(t.Context(), "k", supportbot.QuoteRequest{CustomerID: "C1", PlanID: "P1", Kind: supportbot.QuotePayoff})
	if err != nil {
		t.Fatalf("Quote: %v", err)
	}
	if want := time.Date(2026, 11, 21, 2, 15, 0, 0, time.UTC); !q.ExpiresAt.Equal(want) {
		t.Errorf("expires at %s, want %s", q.ExpiresAt, want)
	}
}

func TestInvalidRepaymentsAndPlans(t *testing.T) {
	rp := `{"id":"R1","idempotency_key":"%s","quote_id":"Q1","customer_id":"C1","plan_id":"P1","card_id":"K1",
 "amount_fen":%s,"periods":[1],"status":"%s","decline_reason":null,"cancelled_scheduled_ids":[],
 "created_at":"2026-11-21T10:00:00+08:00","settled_at":null}`
	req := supportbot.RepaymentRequest{QuoteID: "Q1", CardID: "K1", Amount: 1000}
	c, _ := rawCore(t, 201, fmt.Sprintf(rp, "k", "1000", "processing"))
	got, err := c.Repay(t.Context(), "k", req)
	if err != nil || got.Status != supportbot.RepaymentProcessing || !got.SettledAt.IsZero() || got.DeclineReason != "" {
		t.Errorf("processing repayment = %+v, %v; want processing, no settled_at, no decline reason", got, err)
	}
	for name, body := range map[string]string{
		"unknown status":     fmt.Sprintf(rp, "k", "1000", "reversed"),
		"another key":        fmt.Sprintf(rp, "other", "1000", "succeeded"),
		"another amount":     fmt.Sprintf(rp, "k", "1001", "succeeded"),
		"amount over bounds": fmt.Sprintf(rp, "k", fmt.Sprint(int64(supportbot.MaxPlanMoney)+1), "succeeded"),
	} {
		c, _ := rawCore(t, 201, body)
		_, err := c.Repay(t.Context(), "k", req)
		t.Run(name, func(t *testing.T) { wantInvalid(t, err) })
	}

	plan := `{"plans":[{"id":"P1","order_no":"O","product":"x","partner":"y","principal_fen":100,"periods":1,
 "prepay_fee_rate_bp":0,"auto_repay":false,"bills":[{"period":1,"due_date":"%s","principal_fen":%s,"fee_fen":0,"late_fee_fen":0,"status":"%s"}]}]}`
	for name, body := range map[string]string{
		"bill over bounds":    fmt.Sprintf(plan, "2026-12-01", fmt.Sprint(int64(supportbot.MaxPlanMoney)+1), "unpaid"),
		"bill status unknown": fmt.Sprintf(plan, "2026-12-01", "100", "partly_paid"),
		"bad due date":        fmt.Sprintf(plan, "2026-13-01", "100", "unpaid"),
		"no plans field":      `{"plan":[]}`,
		// A plan without its bills (or some) is not settled: never told so.
		"no bills":    `{"plans":[{"id":"P1","order_no":"O","product":"x","partner":"y","principal_fen":100,"periods":6,"prepay_fee_rate_bp":0,"auto_repay":false}]}`,
		"bills null":  `{"plans":[{"id":"P1","order_no":"O","product":"x","partner":"y","principal_fen":100,"periods":6,"prepay_fee_rate_bp":0,"auto_repay":false,"bills":null}]}`,
		"bills empty": `{"plans":[{"id":"P1","order_no":"O","product":"x","partner":"y","principal_fen":100,"periods":6,"prepay_fee_rate_bp":0,"auto_repay":false,"bills":[]}]}`,
		"no periods":  `{"plans":[{"id":"P1","order_no":"O","product":"x","partner":"y","principal_fen":100,"prepay_fee_rate_bp":0,"auto_repay":false,"bills":[]}]}`,
		"a period twice": `{"plans":[{"id":"P1","order_no":"O","product":"x","partner":"y","principal_fen":200,"periods":2,"prepay_fee_rate_bp":0,"auto_repay":false,
 "bills":[{"period":1,"due_date":"2026-12-01","principal_fen":100,"fee_fen":0,"late_fee_fen":0,"status":"unpaid"},{"period":1,"due_date":"2026-12-01","principal_fen":100,"fee_fen":0,"late_fee_fen":0,"status":"unpaid"}]}]}`,
		"no auto_repay": `{"plans":[{"id":"P1","order_no":"O","product":"x","partner":"y","principal_fen":100,"periods":1,"prepay_fee_rate_bp":0,
 "bills":[{"period":1,"due_date":"2026-12-01","principal_fen":100,"fee_fen":0,"late_fee_fen":0,"status":"unpaid"}]}]}`,
	} {
		c, _ := rawCore(t, 200, body)
		_, err := c.Plans(t.Context(), "C1")
		t.Run(name, func(t *testing.T) { wantInvalid(t, err) })
	}
	// Another customer's closure request in the list of C1's: never shown.
	c, _ = rawCore(t, 200, `{"closure_requests":[{"ref":"CR-20261120-0777","customer_id":"C9","status":"submitted","created_at":"2026-11-20T10:00:00+08:00"}]}`)
	_, err = c.ClosureRequests(t.Context(), "C1")
	t.Run("another customer's closure request", func(t *testing.T) { wantInvalid(t, err) })
	c, _ = rawCore(t, 302, "", "Location", "http://elsewhere.invalid/")
	_, err = c.Plans(t.Context(), "C1")
	t.Run("redirect", func(t *testing.T) { wantInvalid(t, err) })
}

// A card answered with more than its last four digits (a whole number,
// against the contract) never carries more than four into the bot: it is
// shown as the customer's card all the same.
func TestACardNumberIsCutToItsLastFour(t *testing.T) {
	c, _ := rawCore(t, 200, `{"cards":[{"id":"K1","bank":"招商银行","last4":"6225 8802 1234 6789","default":true,"status":"active"},
 {"id":"K2","bank":"工商银行","last4":"8888","default":false,"status":"frozen"}]}`)
	cards, err := c.Cards(t.Context(), "C1")
	if err != nil || len(cards) != 2 {
		t.Fatalf("Cards = %+v, %v", cards, err)
	}
	if got := cards[0].Masked(); got != "招商银行 **** 6789" {
		t.Errorf("a card answered with its whole number shows as %q, want 招商银行 **** 6789", got)
	}
	if got := cards[1].Masked(); got != "工商银行 **** 8888" {
		t.Errorf("a card answered as the contract says shows as %q", got)
	}
}

func wantInvalid(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, corehttp.ErrInvalidAnswer) {
		t.Fatalf("err = %v, want ErrInvalidAnswer", err)
	}
	if errors.Is(err, supportbot.ErrCoreUnavailable) || supportbot.CoreErrorOf(err) != nil {
		t.Errorf("err = %v is also unavailable or a refusal; want only invalid", err)
	}
}

// The token is sent, and never shows in a log line or an error, whatever
// goes wrong; neither does a lookup's phone.
func TestTokenAndPhoneNeverShown(t *testing.T) {
	const token = "sEcReT-t0ken-4f1c9e"
	const phone = "13800138000"
	e := newEnv(t, func(c *corehttp.Config) { c.Token = token })
	e2 := newEnv(t) // another core, for a wrong token
	var errs []error
	for _, f := range []coretest.Fault{coretest.ServerError(), coretest.BadGateway(), coretest.RateLimited(1), coretest.Reset(), coretest.Hang()} {
		e.core.Inject("", -1, f)
		_, err := e.client.CustomerByPhone(t.Context(), phone)
		errs = append(errs, err)
		_, err = e.client.Repay(t.Context(), "k", supportbot.RepaymentRequest{QuoteID: "Q", CardID: "K", Amount: 1})
		errs = append(errs, err)
		e.core.ClearFaults()
	}
	c, err := corehttp.New(corehttp.Config{BaseURL: e2.core.URL(), Token: token,
		Logger: slog.New(slog.NewTextHandler(e.log, &slog.HandlerOptions{Level: slog.LevelDebug})), Sleep: e.sleeps.sleep})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CustomerByPhone(t.Context(), phone) // 401
	errs = append(errs, err)
	e2.core.Close() // connection refused from now on
	_, err = c.CustomerByPhone(t.Context(), phone)
	errs = append(errs, err)
	_, err = corehttp.New(corehttp.Config{BaseURL: "https://core.internal/v1", Token: token + "\n"})
	errs = append(errs, err)

	if e.core.Requests(coretest.OpLookupCustomer) == 0 {
		t.Fatal("no lookup reached the core")
	}
	for _, err := range errs {
		if err == nil {
			t.Errorf("a call through a fault succeeded")
			continue
		}
		if s := err.Error(); strings.Contains(s, token) || strings.Contains(s, phone) {
			t.Errorf("error shows the token or the phone: %s", s)
		}
	}
	logs := e.log.String()
	if !strings.Contains(logs, "retrying") {
		t.Errorf("no retry was logged; the check below proves nothing:\n%s", logs)
	}
	if strings.Contains(logs, token) || strings.Contains(logs, phone) {
		t.Errorf("the logs show the token or the phone:\n%s", logs)
	}
}
