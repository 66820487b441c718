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
	// reads not yet asked fail at once with it instead of waiting out the
	// core's retries again (a hand-off while the core is down must still go
	// through within the step's time). Reads already asked, answered or
	// not yet, still count: a prefetched read the step does not need
	// failing does not fail the step.
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
func cached[T any](ctx context.Context, c *coreCache, m map[string]*future[T], id string, load func(context.Context, string) (T, error)) (T, error) {
	f, mine, err := ask(c, m, id)
	if err != nil {
		var zero T
		return zero, err
	}
	if mine {
		run(ctx, c, m, id, f, load)
	}
	<-f.done
	return f.v, f.err
}

// ahead starts m's read of id in the background, unless it was asked. The
// read is registered before ahead returns: the step's own read of it, even
// at once, waits for this one.
func ahead[T any](ctx context.Context, c *coreCache, m map[string]*future[T], id string, load func(context.Context, string) (T, error)) {
	if f, mine, _ := ask(c, m, id); mine {
		go run(ctx, c, m, id, f, load)
	}
}

// ask is m's read of id if it was asked, or a new one the caller is to run
// (mine); the core's "down" when it was not asked and the core did not
// answer another read.
func ask[T any](c *coreCache, m map[string]*future[T], id string) (f *future[T], mine bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := m[id]; ok {
		return f, false, nil
	}
	if c.down != nil {
		return nil, false, c.down
	}
	f = &future[T]{done: make(chan struct{})}
	m[id] = f
	return f, true, nil
}

func run[T any](ctx context.Context, c *coreCache, m map[string]*future[T], id string, f *future[T], load func(context.Context, string) (T, error)) {
	f.v, f.err = load(ctx, id)
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
}

func (c *coreCache) customer(ctx context.Context, id string) (*supportbot.Customer, error) {
	return cached(ctx, c, c.customers, id, c.core.Customer)
}

func (c *coreCache) plans(ctx context.Context, id string) ([]supportbot.Plan, error) {
	return cached(ctx, c, c.plansOf, id, c.core.Plans)
}

func (c *coreCache) cards(ctx context.Context, id string) ([]supportbot.Card, error) {
	return cached(ctx, c, c.cardsOf, id, c.core.Cards)
}

func (c *coreCache) scheduled(ctx context.Context, id string) ([]supportbot.ScheduledRepayment, error) {
	return cached(ctx, c, c.schedOf, id, c.core.Scheduled)
}

func (c *coreCache) closures(ctx context.Context, id string) ([]supportbot.ClosureRequest, error) {
	return cached(ctx, c, c.closureOf, id, c.core.ClosureRequests)
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
			ahead(ctx, c, c.customers, id, c.core.Customer)
		case readPlans:
			ahead(ctx, c, c.plansOf, id, c.core.Plans)
		case readCards:
			ahead(ctx, c, c.cardsOf, id, c.core.Cards)
		case readScheduled:
			ahead(ctx, c, c.schedOf, id, c.core.Scheduled)
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
