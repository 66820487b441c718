package flows

import (
	"context"
	"time"
)

// Periodic jobs: what people must be told without having asked — tickets
// nobody answered, due-date reminders (remind.go), broadcast announcements
// (announce.go). Each job decides what to tell whom and commits it with the
// outbox messages, so a crash before the commit repeats it and after it the
// outbox delivers. With several instances each job runs on one at a time.

// job is one periodic job: it returns how many messages it queued.
type job struct {
	name string
	run  func(ctx context.Context, now time.Time) (int, error)
}

func (e *Engine) jobs() []job {
	return []job{
		{"core-events", e.takeCoreEvents},
		{"ticket-reminders", e.remindTickets},
		{"queue-positions", e.tellQueues},
		{"due-reminders", e.remindDue},
		{"broadcast", e.broadcastAnnouncement},
	}
}

// jobEvery is the jobs' cadence; jobLease outlives a slow run.
const (
	jobEvery = 2 * time.Second
	jobLease = time.Minute
)

func (e *Engine) runJobs(ctx context.Context) {
	tick := time.NewTicker(jobEvery)
	defer tick.Stop()
	for ctx.Err() == nil {
		if n, err := e.Notify(ctx); err != nil && ctx.Err() == nil {
			e.log.Error("periodic jobs", "err", err)
		} else if n > 0 {
			e.log.Info("notifications queued", "messages", n)
			e.cfg.Wake()
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		}
	}
	e.giveJobs(ctx)
}

// giveJobs gives back, as the instance stops, the jobs it had claimed
// (none runs now): another instance runs them at its next tick, not once
// the claims run out (a PostgreSQL probe: a minute without core events
// and reminders after a graceful stop).
func (e *Engine) giveJobs(ctx context.Context) {
	if e.cfg.Jobs == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	for _, j := range e.jobs() {
		if err := e.cfg.Jobs.GiveJob(ctx, j.name); err != nil {
			e.log.Warn("give back a job's claim", "job", j.name, "err", err)
		}
	}
}

// Notify runs every periodic job once (each on one instance at a time) and
// returns how many messages they queued.
func (e *Engine) Notify(ctx context.Context) (int, error) {
	now := e.cfg.Now()
	total := 0
	var first error
	for _, j := range e.jobs() {
		if e.cfg.Jobs != nil {
			ok, err := e.cfg.Jobs.TakeJob(ctx, j.name, jobLease)
			if err != nil || !ok {
				if first == nil {
					first = err
				}
				continue
			}
		}
		n, err := j.run(ctx, now)
		total += n
		if err != nil && first == nil {
			first = err
		}
	}
	return total, first
}
