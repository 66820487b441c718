package flows

import (
	"context"
	"errors"

	"github.com/looplab/fsm"

	"supportbot"
)

// spec declares a flow: its state machine and how it starts and takes events.
type spec struct {
	name string
	// needsCustomer flows run Identify first and then resume.
	needsCustomer bool
	// reads are what the flow's start reads of the customer: asked of the
	// core together, while the chat's link is checked.
	reads []coreRead
	// initial is the state the machine is built at before the flow starts.
	initial string
	events  fsm.Events
	// callbacks are bound to one step: the machine is rebuilt per event.
	callbacks func(s *Step) fsm.Callbacks
	// start begins the flow; arg comes from the menu button or command.
	start func(s *Step, arg string) error
	// handle takes an event while the chat is in the flow: a button of its
	// current step (a.Name set) or anything else (a.Name ""); false means the
	// event is not for the flow (the router then treats it as a new request).
	handle func(s *Step, a action) (bool, error)
	// stale, if set, answers a button of this flow from an older step.
	stale func(s *Step, a action) (bool, error)
	// settled, if set, tells the customer the outcome of a money action the
	// flow confirmed (an EventSettled of the chat).
	settled func(s *Step, a *supportbot.Action) error
	// keep, if set, is the label key of the button that leaves the flow's
	// confirmation without a change ("不改了"); otherwise it is btn.cancel.
	keep string
}

// action is what a step button asks of its flow: a name, what it acts on,
// and the nonce of the step it was shown with.
type action struct{ Name, Arg, Nonce string }

// errUnexpected is what fire returns for an event the current state does not take.
var errUnexpected = errors.New("event not expected in this state")

// states lists every state the spec's events name.
func (sp *spec) states() map[string]bool {
	m := map[string]bool{sp.initial: true}
	for _, ev := range sp.events {
		m[ev.Dst] = true
		for _, src := range ev.Src {
			m[src] = true
		}
	}
	return m
}

// fire builds the flow's machine at the saved state (or the initial one when
// the chat is elsewhere or the saved name is not a state of this flow), fires
// event and saves the new state unless a callback left the flow.
func (s *Step) fire(name, event string, args ...any) error {
	sp := s.e.flows[name]
	state := s.conv.State
	if s.conv.Flow != sp.name || !sp.states()[state] {
		state = sp.initial
		s.slots = s.slots.kept()
	}
	s.conv.Flow, s.conv.State = sp.name, state
	m := fsm.NewFSM(state, sp.events, sp.callbacks(s))
	err := m.Event(s.ctx, event, args...)
	var (
		noTransition fsm.NoTransitionError
		invalid      fsm.InvalidEventError
		canceled     fsm.CanceledError
	)
	switch {
	case errors.As(err, &noTransition):
		err = noTransition.Err
	case errors.As(err, &invalid):
		return errUnexpected
	case errors.As(err, &canceled):
		err = canceled.Err
	}
	if s.conv.Flow == sp.name {
		s.conv.State = m.Current()
	}
	return err
}

// ctxT shortens callback signatures.
type ctxT = context.Context
