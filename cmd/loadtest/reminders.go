package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"supportbot"
	"supportbot/embedcore"
	"supportbot/flows"
	"supportbot/locale"
	"supportbot/store"
)

// reminderReport is what the reminder passes measured.
type reminderReport struct {
	customers int
	passes    []reminderPass
	subscribe []*phaseReport
}

// reminderPass is one pass of the periodic jobs at a reminder hour.
type reminderPass struct {
	subscribers int
	daysBefore  int           // the reminder's day: this many days before the due date
	took        time.Duration // the pass, every periodic job (due reminders are all it finds to do)
	quiet       time.Duration // the same jobs at 08:00 that day, when no reminder may go out
	queued      int           // reminders queued by the pass
}

// measureReminders makes subscribers in steps (-reminders S1,S2…): each step
// runs the bot while fresh customers identify, look up their bill and turn
// reminders on from its button; then, with the bot stopped, one pass of the
// engine's periodic jobs runs in-process on the same database at 10:30 of a
// day a reminder is due for everyone (the generated customers share a due
// date), on a clock set to that day, and is timed. Its cost must follow the
// subscribers, not the customers in the database.
func (e *env) measureReminders(ctx context.Context) (*reminderReport, error) {
	rep := &reminderReport{customers: e.o.customers}
	counts := e.o.reminders
	days := make([]int, len(counts)) // the engine's REMINDER_DAYS: one fresh day a pass
	for i := range counts {
		days[i] = len(counts) - i
	}
	have := 0
	for i, want := range counts {
		need := want - have
		from := int(e.cursor.Load())
		if from+need > len(e.order) {
			return nil, fmt.Errorf("-reminders: %d more subscribers, but only %d customers are left unused: use more -customers", need, len(e.order)-from)
		}
		e.cursor.Add(int64(need))
		sub := &subset{order: e.order[from : from+need]}
		r, err := e.runSubscribe(ctx, sub, fmt.Sprintf("subscribe %d", want))
		if err != nil {
			return nil, err
		}
		rep.subscribe = append(rep.subscribe, r)
		have = want
		due := e.pop.dueDate().Time(e.pop.loc)
		day := due.AddDate(0, 0, -days[i])
		at := func(h, m int) time.Time {
			return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, e.pop.loc)
		}
		p := reminderPass{subscribers: want, daysBefore: days[i]}
		if p.quiet, _, err = e.jobsPass(ctx, at(8, 0), days); err != nil {
			return nil, err
		}
		if p.took, p.queued, err = e.jobsPass(ctx, at(10, 30), days); err != nil {
			return nil, err
		}
		fmt.Fprintf(e.log, "reminder pass with %d subscribers: %v, %d reminders queued\n", want, p.took.Round(time.Millisecond), p.queued)
		rep.passes = append(rep.passes, p)
	}
	return rep, nil
}

// subset is a part of the population's order.
type subset struct{ order []int32 }

// runSubscribe runs the bot while the customers of sub subscribe.
func (e *env) runSubscribe(ctx context.Context, sub *subset, name string) (*phaseReport, error) {
	saved := e.order
	e.order = sub.order
	defer func() { e.order = saved }()
	cursor := e.cursor.Load()
	e.cursor.Store(0)
	defer e.cursor.Store(cursor)
	d := e.o.duration
	e.o.duration = 10 * time.Minute // until every one of them has subscribed
	defer func() { e.o.duration = d }()
	return e.runPhase(ctx, phase{name: name, backend: onSQLite, instances: 1, script: subscribeScript, subscribing: true},
		min(e.o.concurrency, len(sub.order)), 0)
}

// jobsPass runs the engine's periodic jobs once, in this process, on the
// SQLite database at the moment at, and returns how long it took and how
// many messages it queued.
func (e *env) jobsPass(ctx context.Context, at time.Time, days []int) (time.Duration, int, error) {
	db, err := store.Open(ctx, store.Config{Path: e.sqlite})
	if err != nil {
		return 0, 0, err
	}
	defer db.Close()
	clock := func() time.Time { return at }
	db.Now = clock
	catalog, err := locale.Load()
	if err != nil {
		return 0, 0, err
	}
	fresh := make([]byte, supportbot.ChatRefKeySize)
	rand.Read(fresh)
	key, err := db.Secret(ctx, "chat_ref", fresh) // the deployment's, as cmd/supportbot wires it
	if err != nil {
		return 0, 0, err
	}
	refs, err := supportbot.NewChatRefs(key)
	if err != nil {
		return 0, 0, err
	}
	engine := flows.New(flows.Config{
		Store: stateStore{db}, Core: embedcore.New(db, e.pop.loc, clock), Catalog: catalog,
		Location: e.pop.loc, Now: clock, ReminderDays: days, ReminderHour: 10, ChatRefs: refs,
	})
	t0 := time.Now()
	n, err := engine.Notify(ctx)
	return time.Since(t0), n, err
}

// stateStore is the database as the engine sees its own state (as
// cmd/supportbot wires it).
type stateStore struct{ *store.DB }

func (s stateStore) Update(ctx context.Context, fn func(flows.Tx) error) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error { return fn(tx) })
}

var _ flows.Store = stateStore{}
