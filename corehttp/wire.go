package corehttp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"supportbot"
)

// The contract's JSON, by hand, and its translation into the domain types.
// Decoding checks what the domain relies on: ids present, money within
// bounds, known statuses where money decisions depend on them, a quote that
// adds up. A customer, scheduled repayment, closure request or repayment
// (what the events carry) also needs every field the contract marks
// required; one required but nullable reads absent as null. Fields the
// contract may add later are ignored.

// fen is an amount of one plan, bill, quote or repayment: an integer within
// 0..MaxPlanMoney. The bounds are checked as it is decoded, so no amount out
// of them reaches the domain; set tells a missing field from a zero.
type fen struct {
	v   supportbot.Money
	set bool
}

func (f *fen) UnmarshalJSON(b []byte) error {
	var n int64 // rejects fractions, exponents and what overflows int64
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	if n < 0 || supportbot.Money(n) > supportbot.MaxPlanMoney {
		return fmt.Errorf("amount %d fen out of bounds", n)
	}
	f.v, f.set = supportbot.Money(n), true
	return nil
}

// instant is an RFC 3339 time; null is the zero time. RFC 3339 allows "t"
// and "z" in lower case, which Go's layout does not read.
type instant struct{ t time.Time }

func (i *instant) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.Parse(time.RFC3339Nano, strings.ToUpper(s))
	if err != nil {
		return fmt.Errorf("not an RFC 3339 time: %q", s)
	}
	i.t = t
	return nil
}

// date is a YYYY-MM-DD date.
type date struct{ d supportbot.Date }

func (d *date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := supportbot.ParseDate(s)
	if err != nil {
		return err
	}
	d.d = v
	return nil
}

// orNil is s, or nil when it is empty: an empty list on the wire is the same
// as none in the domain.
func orNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// str is a nullable string; null is "".
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

type wireCustomer struct {
	ID             string  `json:"id"`
	Name           *string `json:"name"`
	Phone          string  `json:"phone"`
	Language       string  `json:"language"`
	PendingRefunds *int    `json:"pending_refunds"`
}

func (w *wireCustomer) domain() (*supportbot.Customer, error) {
	switch {
	case w.ID == "":
		return nil, errors.New("customer without id")
	case w.Name == nil || w.Phone == "" || w.Language == "":
		// Without its phone a customer.updated would unlink every chat.
		return nil, fmt.Errorf("customer %s: a field is missing", w.ID)
	case w.PendingRefunds == nil || *w.PendingRefunds < 0:
		return nil, fmt.Errorf("customer %s: pending_refunds missing or negative", w.ID)
	}
	return &supportbot.Customer{
		ID:             w.ID,
		Name:           *w.Name,
		Phone:          domainPhone(w.Phone),
		Language:       supportbot.ParseLang(w.Language),
		PendingRefunds: *w.PendingRefunds,
		// IDCardLast4 stays empty: the core keeps ID-card data to itself.
	}, nil
}

// domainPhone and wirePhone: the domain holds phones as E.164, as the
// contract does; they pass through.
func domainPhone(e164 string) string { return e164 }

func wirePhone(phone string) string { return phone }

type wirePlan struct {
	ID              string     `json:"id"`
	OrderNo         string     `json:"order_no"`
	Product         string     `json:"product"`
	Partner         string     `json:"partner"`
	Principal       fen        `json:"principal_fen"`
	Periods         int        `json:"periods"`
	PrepayFeeRateBP int64      `json:"prepay_fee_rate_bp"`
	AutoRepay       *bool      `json:"auto_repay"`
	Bills           []wireBill `json:"bills"`
}

type wireBill struct {
	Period    int    `json:"period"`
	DueDate   date   `json:"due_date"`
	Principal fen    `json:"principal_fen"`
	Fee       fen    `json:"fee_fen"`
	LateFee   fen    `json:"late_fee_fen"`
	Status    string `json:"status"`
}

func (w *wirePlan) domain(customerID string) (supportbot.Plan, error) {
	p := supportbot.Plan{
		ID: w.ID, CustomerID: customerID, OrderNo: w.OrderNo, Product: w.Product,
		Partner: w.Partner, Principal: w.Principal.v, Periods: w.Periods,
		PrepayFeeRateBP: w.PrepayFeeRateBP, AutoRepay: w.AutoRepay != nil && *w.AutoRepay,
	}
	switch {
	case w.ID == "":
		return p, errors.New("plan without id")
	case !w.Principal.set:
		return p, fmt.Errorf("plan %s: principal_fen missing", w.ID)
	case w.PrepayFeeRateBP < 0:
		return p, fmt.Errorf("plan %s: prepay_fee_rate_bp %d is negative", w.ID, w.PrepayFeeRateBP)
	case w.AutoRepay == nil:
		return p, fmt.Errorf("plan %s: auto_repay missing", w.ID)
	case w.Periods < 1 || len(w.Bills) != w.Periods:
		// "Every period of the plan": a plan without its bills (or some
		// of them) would be told settled, or owing less than it does (a
		// core probe: "另有 1 笔分期已结清" of a plan owing ¥4,020).
		return p, fmt.Errorf("plan %s: %d bills for %d periods", w.ID, len(w.Bills), w.Periods)
	}
	seen := make([]bool, w.Periods+1)
	for _, b := range w.Bills {
		if b.Period < 1 || b.Period > w.Periods || seen[b.Period] {
			return p, fmt.Errorf("plan %s: bill period %d is not one of its %d periods, once", w.ID, b.Period, w.Periods)
		}
		seen[b.Period] = true
	}
	var amounts []supportbot.Money
	for _, b := range w.Bills {
		if b.DueDate.d == "" || !b.Principal.set || !b.Fee.set || !b.LateFee.set {
			return p, fmt.Errorf("plan %s: bill %d: a field is missing", w.ID, b.Period)
		}
		if b.Status != supportbot.BillPaid && b.Status != supportbot.BillUnpaid {
			return p, fmt.Errorf("plan %s: bill %d: unknown status %q", w.ID, b.Period, b.Status)
		}
		p.Bills = append(p.Bills, supportbot.Bill{
			PlanID: w.ID, Period: b.Period, DueDate: b.DueDate.d, Principal: b.Principal.v,
			Fee: b.Fee.v, LateFee: b.LateFee.v, Status: b.Status,
		})
		amounts = append(amounts, b.Principal.v, b.Fee.v, b.LateFee.v)
	}
	// Every amount of one plan is bounded, what its bills add up to included.
	if sum, err := supportbot.SumMoney(amounts...); err != nil || sum > supportbot.MaxPlanMoney {
		return p, fmt.Errorf("plan %s: its bills add up to more than %d fen", w.ID, supportbot.MaxPlanMoney)
	}
	slices.SortStableFunc(p.Bills, func(a, b supportbot.Bill) int { return a.Period - b.Period })
	return p, nil
}

type wireCard struct {
	ID      string `json:"id"`
	Bank    string `json:"bank"`
	Last4   string `json:"last4"`
	Default bool   `json:"default"`
	Status  string `json:"status"`
}

func (w *wireCard) domain() (supportbot.Card, error) {
	if w.ID == "" {
		return supportbot.Card{}, errors.New("card without id")
	}
	// A status the contract does not know yet is not one to debit. The
	// contract's last4 is four digits; more (a whole card number) are cut
	// to the last four rather than shown, and the card is still usable.
	return supportbot.Card{ID: w.ID, Bank: w.Bank, Last4: lastDigits(w.Last4, 4), Default: w.Default, Frozen: w.Status != "active"}, nil
}

// lastDigits is the last n digits of s (fewer if s has fewer).
func lastDigits(s string, n int) string {
	var d []byte
	for i := len(s) - 1; i >= 0 && len(d) < n; i-- {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	slices.Reverse(d)
	return string(d)
}

func cardsDomain(ws []wireCard) ([]supportbot.Card, error) {
	cards := make([]supportbot.Card, 0, len(ws))
	for i := range ws {
		c, err := ws[i].domain()
		if err != nil {
			return nil, err
		}
		cards = append(cards, c)
	}
	// The flows list the default card first.
	slices.SortStableFunc(cards, func(a, b supportbot.Card) int {
		switch {
		case a.Default == b.Default:
			return 0
		case a.Default:
			return -1
		}
		return 1
	})
	return cards, nil
}

type wireScheduled struct {
	ID                   string  `json:"id"`
	CustomerID           string  `json:"customer_id"` // not in the contract; taken when present (events)
	PlanID               string  `json:"plan_id"`
	Period               int     `json:"period"`
	Amount               fen     `json:"amount_fen"`
	CardID               string  `json:"card_id"`
	RunAt                instant `json:"run_at"`
	Status               string  `json:"status"`
	Cancellable          *bool   `json:"cancellable"`
	NotCancellableReason *string `json:"not_cancellable_reason"`
}

func (w *wireScheduled) domain(customerID string) (*supportbot.ScheduledRepayment, error) {
	switch {
	case w.ID == "":
		return nil, errors.New("scheduled repayment without id")
	case w.PlanID == "" || w.CardID == "" || !w.Amount.set || w.RunAt.t.IsZero() || w.Cancellable == nil || w.Status == "":
		return nil, fmt.Errorf("scheduled repayment %s: a field is missing", w.ID)
	case w.Period < 1:
		return nil, fmt.Errorf("scheduled repayment %s: period %d", w.ID, w.Period)
	}
	if customerID == "" {
		customerID = w.CustomerID
	}
	r := &supportbot.ScheduledRepayment{
		ID: w.ID, CustomerID: customerID, PlanID: w.PlanID, Period: w.Period, Amount: w.Amount.v,
		CardID: w.CardID, RunAt: w.RunAt.t, Status: w.Status, Cancellable: *w.Cancellable,
	}
	if !r.Cancellable {
		r.NotCancellable = supportbot.NotCancellableReason(str(w.NotCancellableReason))
	}
	return r, nil
}

type wireClosure struct {
	Ref          string  `json:"ref"`
	CustomerID   string  `json:"customer_id"`
	Status       string  `json:"status"`
	Reason       *string `json:"reason"`
	ExpectedFrom date    `json:"expected_from"`
	ExpectedTo   date    `json:"expected_to"`
	CreatedAt    instant `json:"created_at"`
	DecidedAt    instant `json:"decided_at"`
}

func (w *wireClosure) domain() (*supportbot.ClosureRequest, error) {
	if w.Ref == "" || w.CustomerID == "" || w.Status == "" || w.CreatedAt.t.IsZero() ||
		w.ExpectedFrom.d == "" || w.ExpectedTo.d == "" {
		return nil, fmt.Errorf("closure request %q: a field is missing", w.Ref)
	}
	switch w.Status {
	case supportbot.ClosureSubmitted, supportbot.ClosureCompleted, supportbot.ClosureRejected:
	default: // not the contract's: never rendered as a status
		return nil, fmt.Errorf("closure request %q: unknown status %q", w.Ref, w.Status)
	}
	r := &supportbot.ClosureRequest{
		Reference: w.Ref, CustomerID: w.CustomerID, Status: w.Status, Reason: str(w.Reason),
		CreatedAt: w.CreatedAt.t, ExpectedFrom: w.ExpectedFrom.d, ExpectedTo: w.ExpectedTo.d,
		DecidedAt: w.DecidedAt.t,
	}
	return r, nil
}

type wireQuoteRequest struct {
	CustomerID string `json:"customer_id"`
	PlanID     string `json:"plan_id"`
	Kind       string `json:"kind"`
	Periods    []int  `json:"periods,omitempty"`
}

type wireQuote struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id"`
	PlanID     string `json:"plan_id"`
	Kind       string `json:"kind"`
	Periods    []int  `json:"periods"`
	Amount     fen    `json:"amount_fen"`
	Parts      *struct {
		Principal fen `json:"principal_fen"`
		Fees      fen `json:"fees_fen"`
		LateFees  fen `json:"late_fees_fen"`
		PrepayFee fen `json:"prepay_fee_fen"`
	} `json:"parts"`
	Excluded  []int   `json:"excluded_periods"`
	ExpiresAt instant `json:"expires_at"`
}

func (w *wireQuote) domain(req supportbot.QuoteRequest) (*supportbot.Quote, error) {
	switch {
	case w.ID == "":
		return nil, errors.New("quote without id")
	case !w.Amount.set || w.Parts == nil || !w.Parts.Principal.set || !w.Parts.Fees.set ||
		!w.Parts.LateFees.set || !w.Parts.PrepayFee.set || w.ExpiresAt.t.IsZero():
		return nil, fmt.Errorf("quote %s: a field is missing", w.ID)
	case w.Kind != string(supportbot.QuotePayoff) && w.Kind != string(supportbot.QuoteBill):
		return nil, fmt.Errorf("quote %s: unknown kind %q", w.ID, w.Kind)
	case w.Kind != string(req.Kind):
		return nil, fmt.Errorf("quote %s is a %s quote, %s asked", w.ID, w.Kind, req.Kind)
	case w.CustomerID != req.CustomerID || w.PlanID != req.PlanID:
		return nil, fmt.Errorf("quote %s is for customer %s plan %s, asked for %s %s",
			w.ID, w.CustomerID, w.PlanID, req.CustomerID, req.PlanID)
	}
	q := &supportbot.Quote{
		ID: w.ID, CustomerID: w.CustomerID, PlanID: w.PlanID, Kind: supportbot.QuoteKind(w.Kind),
		Periods: orNil(w.Periods), Amount: w.Amount.v, Excluded: orNil(w.Excluded), ExpiresAt: w.ExpiresAt.t,
		Parts: supportbot.QuoteParts{Principal: w.Parts.Principal.v, Fees: w.Parts.Fees.v,
			LateFees: w.Parts.LateFees.v, PrepayFee: w.Parts.PrepayFee.v},
	}
	// A quote is shown to the customer part by part and then charged whole:
	// parts that do not add up to the amount must never reach them.
	if sum, err := q.Parts.Sum(); err != nil || sum != q.Amount {
		return nil, fmt.Errorf("quote %s: parts add up to %d fen, amount is %d fen", w.ID, sum, q.Amount)
	}
	return q, nil
}

type wireRepaymentRequest struct {
	QuoteID string           `json:"quote_id"`
	CardID  string           `json:"card_id"`
	Amount  supportbot.Money `json:"amount_fen"`
}

type wireRepayment struct {
	ID                    string   `json:"id"`
	Key                   string   `json:"idempotency_key"`
	QuoteID               string   `json:"quote_id"`
	CustomerID            string   `json:"customer_id"`
	PlanID                string   `json:"plan_id"`
	CardID                string   `json:"card_id"`
	Amount                fen      `json:"amount_fen"`
	Periods               []int    `json:"periods"`
	Status                string   `json:"status"`
	DeclineReason         *string  `json:"decline_reason"`
	CancelledScheduledIDs []string `json:"cancelled_scheduled_ids"`
	CreatedAt             instant  `json:"created_at"`
	SettledAt             instant  `json:"settled_at"`
}

// domain checks the repayment; key, when not "", is the key it must have
// been made with.
func (w *wireRepayment) domain(key string) (*supportbot.Repayment, error) {
	switch st := supportbot.RepaymentStatus(w.Status); {
	case w.ID == "":
		return nil, errors.New("repayment without id")
	case !w.Amount.set || w.Key == "" || w.QuoteID == "" || w.CustomerID == "" || w.PlanID == "" ||
		w.CardID == "" || w.Periods == nil || w.CancelledScheduledIDs == nil || w.CreatedAt.t.IsZero():
		return nil, fmt.Errorf("repayment %s: a field is missing", w.ID)
	case st != supportbot.RepaymentSucceeded && st != supportbot.RepaymentProcessing &&
		st != supportbot.RepaymentDeclined && st != supportbot.RepaymentFailed:
		// What it means for the customer's money is not known: never guess.
		return nil, fmt.Errorf("repayment %s: unknown status %q", w.ID, w.Status)
	case key != "" && w.Key != key:
		return nil, fmt.Errorf("repayment %s was made with another idempotency key", w.ID)
	}
	return &supportbot.Repayment{
		ID: w.ID, Key: w.Key, QuoteID: w.QuoteID, CustomerID: w.CustomerID, PlanID: w.PlanID,
		CardID: w.CardID, Amount: w.Amount.v, Periods: orNil(w.Periods),
		Status: supportbot.RepaymentStatus(w.Status), DeclineReason: str(w.DeclineReason),
		CancelledScheduledIDs: orNil(w.CancelledScheduledIDs), CreatedAt: w.CreatedAt.t, SettledAt: w.SettledAt.t,
	}, nil
}

type wireError struct {
	Error struct {
		Code           string       `json:"code"`
		Message        string       `json:"message"`
		Reason         string       `json:"reason"`
		Reasons        []string     `json:"reasons"`
		ClosureRequest *wireClosure `json:"closure_request"`
	} `json:"error"`
}

// coreError is the refusal a 4xx answer carries. An answer without the
// contract's error body (a proxy's page) gets the code http_<status>, which
// no flow acts on: a 404 from a wrong CORE_URL is not "no such repayment".
func coreError(a answer) *supportbot.CoreError {
	ce := &supportbot.CoreError{Status: a.status}
	var w wireError
	if json.Unmarshal(a.body, &w) != nil || w.Error.Code == "" {
		ce.Code = supportbot.CoreCode(fmt.Sprintf("http_%d", a.status))
		ce.Message = http.StatusText(a.status)
		return ce
	}
	ce.Code, ce.Message = supportbot.CoreCode(w.Error.Code), w.Error.Message
	ce.Reason = supportbot.NotCancellableReason(w.Error.Reason)
	for _, r := range w.Error.Reasons {
		ce.Reasons = append(ce.Reasons, supportbot.NotEligibleReason(r))
	}
	if w.Error.ClosureRequest != nil {
		if r, err := w.Error.ClosureRequest.domain(); err == nil {
			ce.Closure = r
		}
	}
	return ce
}

// errorCodeSuffix is " <code>" of an error body, for messages; "" without one.
func errorCodeSuffix(body []byte) string {
	var w wireError
	if json.Unmarshal(body, &w) != nil || w.Error.Code == "" {
		return ""
	}
	return " " + w.Error.Code
}

// decodeJSON decodes an answer's body into v.
func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value")
	}
	return nil
}

func errMissing(field string) error { return fmt.Errorf("%s missing", field) }

func errAmount(got, want supportbot.Money) error {
	return fmt.Errorf("repayment of %d fen, asked for %d fen", got, want)
}
