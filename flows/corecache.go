package flows

import (
	"context"
	"sync"

	"supportbot"
)

// coreCache is the core as one step sees it: each read is asked once, and
// reads the step will need can be started together (prefetch).
type coreCache struct {
	core      Core
	mu        sync.Mutex
	customers map[string]*future[*supportbot.Customer]
	plansOf   map[string]*future[[]supportbot.Plan]
	cardsOf   map[string]*future[[]supportbot.Card]
	schedOf   map[string]*future[[]supportbot.ScheduledRepayment]
	closureOf map[string]*future[[]supportbot.ClosureRequest]
	// down is the error of a read the core did not answer: the step's
	// later reads fail at once with it instead of waiting out the core's
	// retries again (a hand-off while the core is down must still go
	// through within the step's time).
	down error
}

// future is a read under way or done.
type future[T any] struct {
	done chan struct{}
	v    T
	err  error
}

func newCoreCache(c Core) *coreCache {
	return &coreCache{core: c, customers: map[string]*future[*supportbot.Customer]{},
		plansOf: map[string]*future[[]supportbot.Plan]{}, cardsOf: map[string]*future[[]supportbot.Card]{},
		schedOf: map[string]*future[[]supportbot.ScheduledRepayment]{}, closureOf: map[string]*future[[]supportbot.ClosureRequest]{}}
}

// cached is m's read of id: the one under way or done, or load's. A failed
// read is not kept: asked again, it is tried again — unless the core did
// not answer, which holds for the rest of the step.
func cached[T any](c *coreCache, m map[string]*future[T], id string, load func() (T, error)) (T, error) {
	c.mu.Lock()
	if c.down != nil {
		err := c.down
		c.mu.Unlock()
		var zero T
		return zero, err
	}
	f, ok := m[id]
	if !ok {
		f = &future[T]{done: make(chan struct{})}
		m[id] = f
	}
	c.mu.Unlock()
	if ok {
		<-f.done
		return f.v, f.err
	}
	f.v, f.err = load()
	if f.err != nil {
		c.mu.Lock()
		if m[id] == f {
			delete(m, id)
		}
		if unavailableErr(f.err) {
			c.down = f.err
		}
		c.mu.Unlock()
	}
	close(f.done)
	return f.v, f.err
}

func (c *coreCache) customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	return cached(c, c.customers, id, func() (*supportbot.Customer, error) { return c.core.Customer(ctx, id) })
}

func (c *coreCache) plans(ctx context.Context, id string) ([]supportbot.Plan, error) {
	return cached(c, c.plansOf, id, func() ([]supportbot.Plan, error) { return c.core.Plans(ctx, id) })
}

func (c *coreCache) cards(ctx context.Context, id string) ([]supportbot.Card, error) {
	return cached(c, c.cardsOf, id, func() ([]supportbot.Card, error) { return c.core.Cards(ctx, id) })
}

func (c *coreCache) scheduled(ctx context.Context, id string) ([]supportbot.ScheduledRepayment, error) {
	return cached(c, c.schedOf, id, func() ([]supportbot.ScheduledRepayment, error) { return c.core.Scheduled(ctx, id) })
}

func (c *coreCache) closures(ctx context.Context, id string) ([]supportbot.ClosureRequest, error) {
	return cached(c, c.closureOf, id, func() ([]supportbot.ClosureRequest, error) { return c.core.ClosureRequests(ctx, id) })
}

// coreRead names one of the reads a step can prefetch.
type coreRead int

const (
	readCustomer coreRead = iota
	readPlans
	readCards
	readScheduled
)

// prefetch starts reads of customer id in the background; the step's own
// reads then wait for them instead of asking again.
func (c *coreCache) prefetch(ctx context.Context, id string, reads ...coreRead) {
	for _, r := range reads {
		switch r {
		case readCustomer:
			go c.customer(ctx, id)
		case readPlans:
			go c.plans(ctx, id)
		case readCards:
			go c.cards(ctx, id)
		case readScheduled:
			go c.scheduled(ctx, id)
		}
	}
}

// known keeps a customer the step found otherwise (by phone).
func (c *coreCache) known(cu *supportbot.Customer) {
	f := &future[*supportbot.Customer]{done: make(chan struct{}), v: cu}
	close(f.done)
	c.mu.Lock()
	c.customers[cu.ID] = f
	c.mu.Unlock()
}

// forget drops what the step read of a customer: the core changed it.
func (c *coreCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.plansOf, id)
	delete(c.cardsOf, id)
	delete(c.schedOf, id)
	delete(c.closureOf, id)
}
