package coretest

import (
	"context"
	"net/http"
	"regexp"

	"supportbot"
)

var phoneE164 = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)

// exec carries out one routed request against the backend.
func (s *Server) exec(ctx context.Context, req *request) answer {
	b := s.backend
	switch req.op {
	case OpLookupCustomer:
		phone := req.query.Get("phone")
		if !phoneE164.MatchString(phone) { // an unencoded + arrives as a space
			return invalid("phone: want E.164, got %q", phone)
		}
		c, err := b.CustomerByPhone(ctx, phone)
		if err != nil {
			return errorAnswer(err)
		}
		return jsonAnswer(http.StatusOK, customerJSON(c))
	case OpGetCustomer:
		c, err := b.Customer(ctx, req.params[0])
		if err != nil {
			return errorAnswer(err)
		}
		return jsonAnswer(http.StatusOK, customerJSON(c))
	case OpListPlans:
		plans, err := b.Plans(ctx, req.params[0])
		if err != nil {
			return errorAnswer(err)
		}
		js := []jPlan{}
		for i := range plans {
			js = append(js, planJSON(&plans[i]))
		}
		return jsonAnswer(http.StatusOK, map[string][]jPlan{"plans": js})
	case OpListCards:
		cards, err := b.Cards(ctx, req.params[0])
		if err != nil {
			return errorAnswer(err)
		}
		return jsonAnswer(http.StatusOK, cardsJSON(cards))
	case OpListScheduled:
		list, err := b.Scheduled(ctx, req.params[0])
		if err != nil {
			return errorAnswer(err)
		}
		js := []jScheduled{}
		for i := range list {
			js = append(js, scheduledJSON(&list[i]))
		}
		return jsonAnswer(http.StatusOK, map[string][]jScheduled{"scheduled_repayments": js})
	case OpListClosureRequests:
		id := req.query.Get("customer_id")
		if id == "" {
			return invalid("customer_id is required")
		}
		list, err := b.ClosureRequests(ctx, id)
		if err != nil {
			return errorAnswer(err)
		}
		js := []*jClosure{}
		for i := range list {
			js = append(js, closureJSON(&list[i]))
		}
		return jsonAnswer(http.StatusOK, map[string][]*jClosure{"closure_requests": js})
	case OpGetRepayment:
		return s.getRepayment(ctx, req.params[0])
	case OpCreateQuote:
		return s.createQuote(ctx, req)
	case OpCreateRepayment:
		return s.createRepayment(ctx, req)
	case OpCancelScheduled:
		var body struct {
			CustomerID *string `json:"customer_id"`
		}
		if err := decode(req.body, &body); err != nil || body.CustomerID == nil || *body.CustomerID == "" {
			return invalid("want {customer_id}")
		}
		r, err := b.CancelScheduled(ctx, req.key, *body.CustomerID, req.params[0])
		s.record(req.op, req.key, err)
		if err != nil {
			return errorAnswer(err)
		}
		return jsonAnswer(http.StatusOK, scheduledJSON(r))
	case OpSetAutoRepay:
		var body struct {
			CustomerID *string `json:"customer_id"`
			Enabled    *bool   `json:"enabled"`
		}
		if err := decode(req.body, &body); err != nil || body.CustomerID == nil || *body.CustomerID == "" || body.Enabled == nil {
			return invalid("want {customer_id, enabled}")
		}
		p, err := b.SetAutoRepay(ctx, req.key, *body.CustomerID, req.params[0], *body.Enabled)
		s.record(req.op, req.key, err)
		if err != nil {
			return errorAnswer(err)
		}
		return jsonAnswer(http.StatusOK, planJSON(p))
	case OpSetDefaultCard:
		var body struct {
			CardID *string `json:"card_id"`
		}
		if err := decode(req.body, &body); err != nil || body.CardID == nil || *body.CardID == "" {
			return invalid("want {card_id}")
		}
		cards, err := b.SetDefaultCard(ctx, req.key, req.params[0], *body.CardID)
		s.record(req.op, req.key, err)
		if err != nil {
			return errorAnswer(err)
		}
		return jsonAnswer(http.StatusOK, cardsJSON(cards))
	case OpCheckIdentity:
		var body struct {
			Last4 *string `json:"id_card_last4"`
		}
		if err := decode(req.body, &body); err != nil || body.Last4 == nil {
			return invalid("want {id_card_last4}")
		}
		ok, err := b.CheckIdentity(ctx, req.key, req.params[0], *body.Last4)
		s.record(req.op, req.key, err)
		if err != nil {
			return errorAnswer(err)
		}
		return jsonAnswer(http.StatusOK, map[string]bool{"match": ok})
	case OpCreateClosureRequest:
		var body struct {
			CustomerID *string `json:"customer_id"`
		}
		if err := decode(req.body, &body); err != nil || body.CustomerID == nil || *body.CustomerID == "" {
			return invalid("want {customer_id}")
		}
		r, err := b.RequestClosure(ctx, req.key, *body.CustomerID)
		s.record(req.op, req.key, err)
		if err != nil {
			return errorAnswer(err)
		}
		return jsonAnswer(http.StatusCreated, closureJSON(r))
	}
	return errAnswer(http.StatusNotFound, "not_found", "no such operation")
}

func (s *Server) createQuote(ctx context.Context, req *request) answer {
	var body struct {
		CustomerID *string `json:"customer_id"`
		PlanID     *string `json:"plan_id"`
		Kind       *string `json:"kind"`
		Periods    []int   `json:"periods"`
	}
	if err := decode(req.body, &body); err != nil || body.CustomerID == nil || body.PlanID == nil || body.Kind == nil {
		return invalid("want {customer_id, plan_id, kind, [periods]}")
	}
	kind := supportbot.QuoteKind(*body.Kind)
	if kind != supportbot.QuotePayoff && kind != supportbot.QuoteBill {
		return invalid("kind: want payoff or bill")
	}
	if body.Periods != nil {
		if kind != supportbot.QuoteBill || len(body.Periods) == 0 {
			return invalid("periods: only with kind bill, and not empty")
		}
		seen := map[int]bool{}
		for _, p := range body.Periods {
			if p < 1 || seen[p] {
				return invalid("periods: each at least 1, no repeats")
			}
			seen[p] = true
		}
	}
	q, err := s.backend.Quote(ctx, req.key, supportbot.QuoteRequest{CustomerID: *body.CustomerID,
		PlanID: *body.PlanID, Kind: kind, Periods: body.Periods})
	s.record(req.op, req.key, err)
	if err != nil {
		return errorAnswer(err)
	}
	s.mu.Lock()
	s.quotes[q.ID] = *q
	s.mu.Unlock()
	return jsonAnswer(http.StatusCreated, quoteJSON(q))
}

func (s *Server) createRepayment(ctx context.Context, req *request) answer {
	var body struct {
		QuoteID *string `json:"quote_id"`
		CardID  *string `json:"card_id"`
		Amount  *int64  `json:"amount_fen"`
	}
	if err := decode(req.body, &body); err != nil || body.QuoteID == nil || body.CardID == nil ||
		body.Amount == nil || *body.Amount < 0 {
		return invalid("want {quote_id, card_id, amount_fen}")
	}
	r := supportbot.RepaymentRequest{QuoteID: *body.QuoteID, CardID: *body.CardID, Amount: supportbot.Money(*body.Amount)}
	if req.processing != nil {
		return jsonAnswer(http.StatusCreated, s.startProcessing(req.key, r, *req.processing))
	}
	rp, err := s.backend.Repay(ctx, req.key, r)
	s.record(req.op, req.key, err)
	if err != nil {
		return errorAnswer(err)
	}
	if rp.Key == "" {
		rp.Key = req.key
	}
	return jsonAnswer(http.StatusCreated, repaymentJSON(rp))
}

// getRepayment answers what the server answered processing (settled or
// not), and what the backend executed otherwise.
func (s *Server) getRepayment(ctx context.Context, key string) answer {
	s.mu.Lock()
	p := s.repayments[key]
	var rp supportbot.Repayment
	if p != nil {
		rp = p.rp
	}
	s.mu.Unlock()
	if p != nil {
		return jsonAnswer(http.StatusOK, repaymentJSON(&rp))
	}
	got, err := s.backend.Repayment(ctx, key)
	if err != nil {
		return errorAnswer(err)
	}
	if got.Key == "" {
		got.Key = key
	}
	return jsonAnswer(http.StatusOK, repaymentJSON(got))
}
