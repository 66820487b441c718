package coretest

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"supportbot"
)

// The contract's JSON as the core writes it, from the domain types. It is
// written here again, not shared with corehttp, so that the client's tests
// check its decoding against an independent encoding.

type jCustomer struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	Phone          string `json:"phone"`
	Language       string `json:"language"`
	PendingRefunds int    `json:"pending_refunds"`
}

func customerJSON(c *supportbot.Customer) jCustomer {
	lang := string(c.Language)
	if lang == "" {
		lang = string(supportbot.LangZH)
	}
	return jCustomer{ID: c.ID, Name: c.Name, Phone: e164(c.Phone), Language: lang, PendingRefunds: c.PendingRefunds}
}

// e164 is the contract's form of a phone: the domain holds it so too.
func e164(phone string) string { return phone }

type jPlan struct {
	ID              string  `json:"id"`
	OrderNo         string  `json:"order_no"`
	Product         string  `json:"product"`
	Partner         string  `json:"partner"`
	PrincipalFen    int64   `json:"principal_fen"`
	Periods         int     `json:"periods"`
	PrepayFeeRateBP int64   `json:"prepay_fee_rate_bp"`
	AutoRepay       bool    `json:"auto_repay"`
	Bills           []jBill `json:"bills"`
}

type jBill struct {
	Period     int    `json:"period"`
	DueDate    string `json:"due_date"`
	Principal  int64  `json:"principal_fen"`
	Fee        int64  `json:"fee_fen"`
	LateFee    int64  `json:"late_fee_fen"`
	BillStatus string `json:"status"`
}

func planJSON(p *supportbot.Plan) jPlan {
	j := jPlan{ID: p.ID, OrderNo: p.OrderNo, Product: p.Product, Partner: p.Partner,
		PrincipalFen: int64(p.Principal), Periods: p.Periods, PrepayFeeRateBP: p.PrepayFeeRateBP,
		AutoRepay: p.AutoRepay, Bills: []jBill{}}
	for _, b := range p.Bills {
		j.Bills = append(j.Bills, jBill{Period: b.Period, DueDate: string(b.DueDate), Principal: int64(b.Principal),
			Fee: int64(b.Fee), LateFee: int64(b.LateFee), BillStatus: b.Status})
	}
	return j
}

type jCard struct {
	ID      string `json:"id"`
	Bank    string `json:"bank"`
	Last4   string `json:"last4"`
	Default bool   `json:"default"`
	Status  string `json:"status"`
}

func cardsJSON(cards []supportbot.Card) map[string][]jCard {
	js := []jCard{}
	for _, c := range cards {
		st := "active"
		if c.Frozen {
			st = "frozen"
		}
		js = append(js, jCard{ID: c.ID, Bank: c.Bank, Last4: c.Last4, Default: c.Default, Status: st})
	}
	return map[string][]jCard{"cards": js}
}

// jScheduled has no customer_id: the contract's Scheduled has none.
type jScheduled struct {
	ID                   string  `json:"id"`
	PlanID               string  `json:"plan_id"`
	Period               int     `json:"period"`
	AmountFen            int64   `json:"amount_fen"`
	CardID               string  `json:"card_id"`
	RunAt                string  `json:"run_at"`
	Status               string  `json:"status"`
	Cancellable          bool    `json:"cancellable"`
	NotCancellableReason *string `json:"not_cancellable_reason,omitempty"`
}

func scheduledJSON(r *supportbot.ScheduledRepayment) jScheduled {
	j := jScheduled{ID: r.ID, PlanID: r.PlanID, Period: r.Period, AmountFen: int64(r.Amount), CardID: r.CardID,
		RunAt: instant(r.RunAt), Status: r.Status, Cancellable: r.Cancellable}
	if !r.Cancellable && r.NotCancellable != "" {
		reason := string(r.NotCancellable)
		j.NotCancellableReason = &reason
	}
	return j
}

type jParts struct {
	Principal int64 `json:"principal_fen"`
	Fees      int64 `json:"fees_fen"`
	LateFees  int64 `json:"late_fees_fen"`
	PrepayFee int64 `json:"prepay_fee_fen"`
}

type jQuote struct {
	ID         string `json:"id"`
	CustomerID string `json:"customer_id"`
	PlanID     string `json:"plan_id"`
	Kind       string `json:"kind"`
	Periods    []int  `json:"periods"`
	AmountFen  int64  `json:"amount_fen"`
	Parts      jParts `json:"parts"`
	Excluded   []int  `json:"excluded_periods"`
	ExpiresAt  string `json:"expires_at"`
}

func quoteJSON(q *supportbot.Quote) jQuote {
	return jQuote{ID: q.ID, CustomerID: q.CustomerID, PlanID: q.PlanID, Kind: string(q.Kind),
		Periods: nonNil(q.Periods), AmountFen: int64(q.Amount), Excluded: nonNil(q.Excluded),
		Parts: jParts{Principal: int64(q.Parts.Principal), Fees: int64(q.Parts.Fees),
			LateFees: int64(q.Parts.LateFees), PrepayFee: int64(q.Parts.PrepayFee)},
		ExpiresAt: instant(q.ExpiresAt)}
}

type jRepayment struct {
	ID                    string   `json:"id"`
	Key                   string   `json:"idempotency_key"`
	QuoteID               string   `json:"quote_id"`
	CustomerID            string   `json:"customer_id"`
	PlanID                string   `json:"plan_id"`
	CardID                string   `json:"card_id"`
	AmountFen             int64    `json:"amount_fen"`
	Periods               []int    `json:"periods"`
	Status                string   `json:"status"`
	DeclineReason         *string  `json:"decline_reason"`
	CancelledScheduledIDs []string `json:"cancelled_scheduled_ids"`
	CreatedAt             string   `json:"created_at"`
	SettledAt             *string  `json:"settled_at"`
}

func repaymentJSON(r *supportbot.Repayment) jRepayment {
	j := jRepayment{ID: r.ID, Key: r.Key, QuoteID: r.QuoteID, CustomerID: r.CustomerID, PlanID: r.PlanID,
		CardID: r.CardID, AmountFen: int64(r.Amount), Periods: nonNil(r.Periods), Status: string(r.Status),
		CancelledScheduledIDs: nonNil(r.CancelledScheduledIDs), CreatedAt: instant(r.CreatedAt)}
	j.DeclineReason = nullable(r.DeclineReason)
	if !r.SettledAt.IsZero() {
		j.SettledAt = nullable(instant(r.SettledAt))
	}
	return j
}

type jClosure struct {
	Ref          string  `json:"ref"`
	CustomerID   string  `json:"customer_id"`
	Status       string  `json:"status"`
	Reason       *string `json:"reason"`
	ExpectedFrom string  `json:"expected_from"`
	ExpectedTo   string  `json:"expected_to"`
	CreatedAt    string  `json:"created_at"`
	DecidedAt    *string `json:"decided_at"`
}

func closureJSON(r *supportbot.ClosureRequest) *jClosure {
	j := &jClosure{Ref: r.Reference, CustomerID: r.CustomerID, Status: r.Status, Reason: nullable(r.Reason),
		ExpectedFrom: string(r.ExpectedFrom), ExpectedTo: string(r.ExpectedTo), CreatedAt: instant(r.CreatedAt)}
	decided := r.DecidedAt
	if !decided.IsZero() {
		j.DecidedAt = nullable(instant(decided))
	}
	return j
}

// jError is the contract's error body.
type jError struct {
	Error jErrorBody `json:"error"`
}

type jErrorBody struct {
	Code           string    `json:"code"`
	Message        string    `json:"message"`
	Reason         string    `json:"reason,omitempty"`
	Reasons        []string  `json:"reasons,omitempty"`
	ClosureRequest *jClosure `json:"closure_request,omitempty"`
}

// errorAnswer turns a backend's error into the contract's answer.
func errorAnswer(err error) answer {
	if ce := supportbot.CoreErrorOf(err); ce != nil {
		body := jErrorBody{Code: string(ce.Code), Message: ce.Message, Reason: string(ce.Reason)}
		if body.Message == "" {
			body.Message = strings.ReplaceAll(string(ce.Code), "_", " ")
		}
		for _, r := range ce.Reasons {
			body.Reasons = append(body.Reasons, string(r))
		}
		if ce.Closure != nil {
			body.ClosureRequest = closureJSON(ce.Closure)
		}
		status := ce.Status
		if status == 0 {
			status = statusOf(ce.Code)
		}
		return jsonAnswer(status, jError{body})
	}
	if errors.Is(err, supportbot.ErrCoreUnavailable) {
		return errAnswer(http.StatusServiceUnavailable, "unavailable", err.Error())
	}
	switch supportbot.ErrorCode(err) {
	case supportbot.ENOTFOUND:
		return errAnswer(http.StatusNotFound, "not_found", supportbot.ErrorMessage(err))
	case supportbot.EINVALID:
		return errAnswer(http.StatusBadRequest, "invalid_request", supportbot.ErrorMessage(err))
	}
	return errAnswer(http.StatusInternalServerError, "internal_error", "internal error")
}

// statusOf is the HTTP status the contract gives a refusal's code.
func statusOf(code supportbot.CoreCode) int {
	switch code {
	case supportbot.CoreCustomerNotFound, supportbot.CorePlanNotFound, supportbot.CoreCardNotFound,
		supportbot.CoreQuoteNotFound, supportbot.CoreRepaymentNotFound, supportbot.CoreScheduledNotFound,
		supportbot.CoreNotFound:
		return http.StatusNotFound
	case supportbot.CoreInvalidRequest, "idempotency_key_missing", "idempotency_key_invalid":
		return http.StatusBadRequest
	case supportbot.CoreKeyReused:
		return http.StatusUnprocessableEntity
	case "unauthorized":
		return http.StatusUnauthorized
	case "rate_limited":
		return http.StatusTooManyRequests
	case "internal_error":
		return http.StatusInternalServerError
	case "unavailable":
		return http.StatusServiceUnavailable
	}
	return http.StatusConflict
}

func errAnswer(status int, code, msg string) answer {
	return jsonAnswer(status, jError{jErrorBody{Code: code, Message: msg}})
}

// instant is the contract's form of a time: RFC 3339 with offset.
func instant(t time.Time) string { return t.Format(time.RFC3339Nano) }

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nonNil makes an absent list [] rather than null on the wire.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
