package coretest

import (
	"fmt"
	"net/http"
	"slices"
)

// Call is one request the server received.
type Call struct {
	Op      string // the operation; "" for a path or method the contract does not have
	Method  string
	Path    string // as sent (escaped), the base path included
	Query   string // as sent (escaped)
	Key     string // the Idempotency-Key header as sent; "" when none
	Body    []byte // as sent
	TokenOK bool   // the bearer token was right
	Status  int    // the status answered; 0 when reset, hung or left unanswered
	Fault   bool   // an injected fault answered (or replaced the answer)
}

func (s *Server) begin(r *http.Request, op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{Op: op, Method: r.Method, Path: r.URL.EscapedPath(),
		Query: r.URL.RawQuery, Key: r.Header.Get("Idempotency-Key")})
	return len(s.calls) - 1
}

func (s *Server) setBody(idx int, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[idx].Body = body
}

func (s *Server) end(idx, status int, fault bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[idx].Status, s.calls[idx].Fault = status, fault
}

// Calls lists every request received, in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// Requests counts the requests of op ("" = all), faulted and refused ones
// included.
func (s *Server) Requests(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if op == "" || c.Op == op {
			n++
		}
	}
	return n
}

// Keys lists the Idempotency-Key of every request of op ("" = all) that had
// one, in order, repeats included.
func (s *Server) Keys(op string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for _, c := range s.calls {
		if (op == "" || c.Op == op) && c.Key != "" {
			keys = append(keys, c.Key)
		}
	}
	return keys
}

// Unauthorized counts the requests with a missing or wrong token.
func (s *Server) Unauthorized() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if !c.TokenOK {
			n++
		}
	}
	return n
}

// Execution is one call of the backend for a request that changes something
// (quotes and identity checks included): the ledger's line.
type Execution struct {
	Op  string
	Key string // "" for an identity check sent without one
	Err error  // the backend's error; nil when it executed
}

func (s *Server) record(op, key string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ledger = append(s.ledger, Execution{Op: op, Key: key, Err: err})
}

// Ledger lists every execution of the backend, in order.
func (s *Server) Ledger() []Execution {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.ledger)
}

// Executed counts how often the backend executed op under key without an
// error: "exactly once" is 1.
func (s *Server) Executed(op, key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, e := range s.ledger {
		if e.Op == op && e.Key == key && e.Err == nil {
			n++
		}
	}
	return n
}

// Doubled lists, as "op key", what the backend executed more than once
// without an error. Quotes and identity checks are left out: they move
// nothing. Empty means no action was doubled.
func (s *Server) Doubled() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := map[string]int{}
	var out []string
	for _, e := range s.ledger {
		if e.Err != nil || e.Op == OpCreateQuote || e.Op == OpCheckIdentity {
			continue
		}
		k := fmt.Sprintf("%s %s", e.Op, e.Key)
		if n[k]++; n[k] == 2 {
			out = append(out, k)
		}
	}
	return out
}
