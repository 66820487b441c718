package corehttp

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"supportbot"
)

// The flows' core boundary (flows.Core), one method per operation of the
// contract.

// CustomerByPhone finds the customer with an E.164 phone.
func (c *Client) CustomerByPhone(ctx context.Context, phone string) (*supportbot.Customer, error) {
	var cu *supportbot.Customer
	err := c.do(ctx, c.get(OpLookupCustomer, "/customers/lookup?phone="+url.QueryEscape(wirePhone(phone))),
		func(b []byte) (err error) { cu, err = decodeCustomer(b); return err })
	return cu, err
}

// Customer reads a customer.
func (c *Client) Customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	if err := need("customer id", id); err != nil {
		return nil, err
	}
	var cu *supportbot.Customer
	err := c.do(ctx, c.get(OpGetCustomer, "/customers/"+url.PathEscape(id)),
		func(b []byte) (err error) { cu, err = decodeCustomer(b); return err })
	return cu, err
}

func decodeCustomer(b []byte) (*supportbot.Customer, error) {
	var w wireCustomer
	if err := decodeJSON(b, &w); err != nil {
		return nil, err
	}
	return w.domain()
}

// Plans lists the customer's plans, open and settled, each with its bills in
// period order.
func (c *Client) Plans(ctx context.Context, customerID string) ([]supportbot.Plan, error) {
	if err := need("customer id", customerID); err != nil {
		return nil, err
	}
	var plans []supportbot.Plan
	err := c.do(ctx, c.get(OpListPlans, "/customers/"+url.PathEscape(customerID)+"/plans"), func(b []byte) error {
		var w struct {
			Plans *[]wirePlan `json:"plans"`
		}
		if err := decodeJSON(b, &w); err != nil {
			return err
		}
		if w.Plans == nil {
			return errMissing("plans")
		}
		plans = make([]supportbot.Plan, 0, len(*w.Plans))
		for i := range *w.Plans {
			p, err := (*w.Plans)[i].domain(customerID)
			if err != nil {
				return err
			}
			plans = append(plans, p)
		}
		return nil
	})
	return plans, err
}

// Cards lists the customer's cards, the default first.
func (c *Client) Cards(ctx context.Context, customerID string) ([]supportbot.Card, error) {
	if err := need("customer id", customerID); err != nil {
		return nil, err
	}
	var cards []supportbot.Card
	err := c.do(ctx, c.get(OpListCards, "/customers/"+url.PathEscape(customerID)+"/cards"),
		func(b []byte) (err error) { cards, err = decodeCards(b); return err })
	return cards, err
}

func decodeCards(b []byte) ([]supportbot.Card, error) {
	var w struct {
		Cards *[]wireCard `json:"cards"`
	}
	if err := decodeJSON(b, &w); err != nil {
		return nil, err
	}
	if w.Cards == nil {
		return nil, errMissing("cards")
	}
	return cardsDomain(*w.Cards)
}

// Scheduled lists the customer's scheduled repayments, soonest first.
func (c *Client) Scheduled(ctx context.Context, customerID string) ([]supportbot.ScheduledRepayment, error) {
	if err := need("customer id", customerID); err != nil {
		return nil, err
	}
	var list []supportbot.ScheduledRepayment
	err := c.do(ctx, c.get(OpListScheduled, "/customers/"+url.PathEscape(customerID)+"/scheduled-repayments"), func(b []byte) error {
		var w struct {
			Scheduled *[]wireScheduled `json:"scheduled_repayments"`
		}
		if err := decodeJSON(b, &w); err != nil {
			return err
		}
		if w.Scheduled == nil {
			return errMissing("scheduled_repayments")
		}
		list = make([]supportbot.ScheduledRepayment, 0, len(*w.Scheduled))
		for i := range *w.Scheduled {
			r, err := (*w.Scheduled)[i].domain(customerID)
			if err != nil {
				return err
			}
			list = append(list, *r)
		}
		slices.SortStableFunc(list, func(a, b supportbot.ScheduledRepayment) int { return a.RunAt.Compare(b.RunAt) })
		return nil
	})
	return list, err
}

// ClosureRequests lists the customer's closure requests, newest first.
func (c *Client) ClosureRequests(ctx context.Context, customerID string) ([]supportbot.ClosureRequest, error) {
	if err := need("customer id", customerID); err != nil {
		return nil, err
	}
	var list []supportbot.ClosureRequest
	err := c.do(ctx, c.get(OpListClosureRequests, "/closure-requests?customer_id="+url.QueryEscape(customerID)), func(b []byte) error {
		var w struct {
			Requests *[]wireClosure `json:"closure_requests"`
		}
		if err := decodeJSON(b, &w); err != nil {
			return err
		}
		if w.Requests == nil {
			return errMissing("closure_requests")
		}
		list = make([]supportbot.ClosureRequest, 0, len(*w.Requests))
		for i := range *w.Requests {
			r, err := (*w.Requests)[i].domain()
			if err != nil {
				return err
			}
			if r.CustomerID != customerID {
				return fmt.Errorf("closure_requests[%d]: another customer's", i)
			}
			list = append(list, *r)
		}
		slices.SortStableFunc(list, func(a, b supportbot.ClosureRequest) int { return b.CreatedAt.Compare(a.CreatedAt) })
		return nil
	})
	return list, err
}

// Quote asks the core what paying the plan costs now. A quote whose parts do
// not add up to its amount is an invalid answer, never a quote.
func (c *Client) Quote(ctx context.Context, key string, r supportbot.QuoteRequest) (*supportbot.Quote, error) {
	if err := need("customer id", r.CustomerID); err != nil {
		return nil, err
	}
	if err := need("plan id", r.PlanID); err != nil {
		return nil, err
	}
	cl, err := c.send(OpCreateQuote, http.MethodPost, "/quotes", key, c.reads, wireQuoteRequest{
		CustomerID: r.CustomerID, PlanID: r.PlanID, Kind: string(r.Kind), Periods: r.Periods})
	if err != nil {
		return nil, err
	}
	var q *supportbot.Quote
	err = c.do(ctx, cl, func(b []byte) error {
		var w wireQuote
		if err := decodeJSON(b, &w); err != nil {
			return err
		}
		q, err = w.domain(r)
		return err
	})
	return q, err
}

// Repay charges a quote to a card. A declined card is a Repayment with status
// declined; processing settles later by event (or Repayment).
func (c *Client) Repay(ctx context.Context, key string, r supportbot.RepaymentRequest) (*supportbot.Repayment, error) {
	if err := need("quote id", r.QuoteID); err != nil {
		return nil, err
	}
	if err := need("card id", r.CardID); err != nil {
		return nil, err
	}
	if r.Amount < 0 || r.Amount > supportbot.MaxPlanMoney {
		return nil, supportbot.ErrMoneyBounds
	}
	cl, err := c.send(OpCreateRepayment, http.MethodPost, "/repayments", key, c.actions,
		wireRepaymentRequest{QuoteID: r.QuoteID, CardID: r.CardID, Amount: r.Amount})
	if err != nil {
		return nil, err
	}
	var rp *supportbot.Repayment
	err = c.do(ctx, cl, func(b []byte) error {
		var err error
		if rp, err = decodeRepayment(b, key); err == nil && rp.Amount != r.Amount {
			return errAmount(rp.Amount, r.Amount)
		}
		return err
	})
	return rp, err
}

// Repayment finds what was executed under key: a CoreError with NotFound()
// when nothing was (sending it again is safe).
func (c *Client) Repayment(ctx context.Context, key string) (*supportbot.Repayment, error) {
	if err := supportbot.CheckIdempotencyKey(key); err != nil {
		return nil, err
	}
	var rp *supportbot.Repayment
	err := c.do(ctx, c.get(OpGetRepayment, "/repayments/"+url.PathEscape(key)),
		func(b []byte) (err error) { rp, err = decodeRepayment(b, key); return err })
	return rp, err
}

func decodeRepayment(b []byte, key string) (*supportbot.Repayment, error) {
	var w wireRepayment
	if err := decodeJSON(b, &w); err != nil {
		return nil, err
	}
	return w.domain(key)
}

// CancelScheduled cancels one of the customer's scheduled repayments.
func (c *Client) CancelScheduled(ctx context.Context, key, customerID, scheduledID string) (*supportbot.ScheduledRepayment, error) {
	if err := need("customer id", customerID); err != nil {
		return nil, err
	}
	if err := need("scheduled repayment id", scheduledID); err != nil {
		return nil, err
	}
	cl, err := c.send(OpCancelScheduled, http.MethodPost, "/scheduled-repayments/"+url.PathEscape(scheduledID)+"/cancel",
		key, c.actions, struct {
			CustomerID string `json:"customer_id"`
		}{customerID})
	if err != nil {
		return nil, err
	}
	var r *supportbot.ScheduledRepayment
	err = c.do(ctx, cl, func(b []byte) error {
		var w wireScheduled
		if err := decodeJSON(b, &w); err != nil {
			return err
		}
		r, err = w.domain(customerID)
		return err
	})
	return r, err
}

// SetAutoRepay switches a plan's auto-repayment and returns the plan.
func (c *Client) SetAutoRepay(ctx context.Context, key, customerID, planID string, on bool) (*supportbot.Plan, error) {
	if err := need("customer id", customerID); err != nil {
		return nil, err
	}
	if err := need("plan id", planID); err != nil {
		return nil, err
	}
	cl, err := c.send(OpSetAutoRepay, http.MethodPut, "/plans/"+url.PathEscape(planID)+"/auto-repay", key, c.actions,
		struct {
			CustomerID string `json:"customer_id"`
			Enabled    bool   `json:"enabled"`
		}{customerID, on})
	if err != nil {
		return nil, err
	}
	var p supportbot.Plan
	err = c.do(ctx, cl, func(b []byte) error {
		var w wirePlan
		if err := decodeJSON(b, &w); err != nil {
			return err
		}
		p, err = w.domain(customerID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// SetDefaultCard makes a card the default and returns all the customer's
// cards, the default first.
func (c *Client) SetDefaultCard(ctx context.Context, key, customerID, cardID string) ([]supportbot.Card, error) {
	if err := need("customer id", customerID); err != nil {
		return nil, err
	}
	if err := need("card id", cardID); err != nil {
		return nil, err
	}
	cl, err := c.send(OpSetDefaultCard, http.MethodPut, "/customers/"+url.PathEscape(customerID)+"/default-card",
		key, c.actions, struct {
			CardID string `json:"card_id"`
		}{cardID})
	if err != nil {
		return nil, err
	}
	var cards []supportbot.Card
	err = c.do(ctx, cl, func(b []byte) (err error) { cards, err = decodeCards(b); return err })
	return cards, err
}

// CheckIdentity asks the core whether last4 are the last characters of the
// customer's ID card. key is optional ("" sends none): the check changes
// nothing.
func (c *Client) CheckIdentity(ctx context.Context, key, customerID, last4 string) (bool, error) {
	if err := need("customer id", customerID); err != nil {
		return false, err
	}
	path := "/customers/" + url.PathEscape(customerID) + "/identity-checks"
	body := struct {
		Last4 string `json:"id_card_last4"`
	}{last4}
	var cl call
	var err error
	if key == "" {
		cl, err = c.sendNoKey(OpCheckIdentity, http.MethodPost, path, c.reads, body)
	} else {
		cl, err = c.send(OpCheckIdentity, http.MethodPost, path, key, c.reads, body)
	}
	if err != nil {
		return false, err
	}
	var match bool
	err = c.do(ctx, cl, func(b []byte) error {
		var w struct {
			Match *bool `json:"match"`
		}
		if err := decodeJSON(b, &w); err != nil {
			return err
		}
		if w.Match == nil {
			return errMissing("match")
		}
		match = *w.Match
		return nil
	})
	return match, err
}

// RequestClosure submits a closure request for the customer.
func (c *Client) RequestClosure(ctx context.Context, key, customerID string) (*supportbot.ClosureRequest, error) {
	if err := need("customer id", customerID); err != nil {
		return nil, err
	}
	cl, err := c.send(OpCreateClosureRequest, http.MethodPost, "/closure-requests", key, c.actions,
		struct {
			CustomerID string `json:"customer_id"`
		}{customerID})
	if err != nil {
		return nil, err
	}
	var r *supportbot.ClosureRequest
	err = c.do(ctx, cl, func(b []byte) error {
		var w wireClosure
		if err := decodeJSON(b, &w); err != nil {
			return err
		}
		r, err = w.domain()
		return err
	})
	return r, err
}

func (c *Client) get(op, path string) call {
	return call{op: op, method: http.MethodGet, path: path, policy: c.reads}
}

// send is a call that changes something: it carries the caller's key, and
// the same body on every try.
func (c *Client) send(op, method, path, key string, p Policy, body any) (call, error) {
	if err := supportbot.CheckIdempotencyKey(key); err != nil {
		return call{}, err
	}
	cl, err := c.sendNoKey(op, method, path, p, body)
	cl.key = key
	return cl, err
}

func (c *Client) sendNoKey(op, method, path string, p Policy, body any) (call, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return call{}, err
	}
	return call{op: op, method: method, path: path, body: b, policy: p}, nil
}

func need(what, v string) error {
	if v == "" {
		return supportbot.Errorf(supportbot.EINVALID, "%s is empty", what)
	}
	return nil
}
