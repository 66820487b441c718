package flows

import (
	"context"
	"strconv"
	"time"

	"supportbot"
)

// Events of the core system (POSTed to /core/events, or emitted by the
// embedded core). CoreEvent takes one: in one transaction it records its id
// (a redelivery changes nothing), settles the money action it concerns, keeps
// what concerns the customer (message center, audit) once, and puts an event
// in the inbox of each of the customer's chats, whose steps tell them.

// CoreEvent takes one core event; when it returns nil the event is
// committed (the caller may acknowledge it).
func (e *Engine) CoreEvent(ctx context.Context, ev supportbot.CoreEvent) error {
	now := e.cfg.Now()
	err := e.st.Update(ctx, func(tx Tx) error {
		fresh, err := tx.SeenEvent(ctx, ev.ID)
		if err != nil || !fresh {
			return err
		}
		if subject := eventSubject(ev); subject != "" && !ev.CreatedAt.IsZero() {
			// A booking debited is done for good: the core's created_at is
			// in seconds, and a debit that failed and succeeded on a retry
			// within one is not told "failed" after "paid".
			final := ev.Type == supportbot.EventScheduledRepaymentSucceeded ||
				ev.Type == supportbot.EventClosureRequestDecided && ev.Closure != nil && ev.Closure.Status != supportbot.ClosureSubmitted
			latest, err := tx.LatestEvent(ctx, subject, ev.CreatedAt, final)
			if err != nil {
				return err
			}
			if !latest {
				// A newer event about it was told: this one would undo it.
				e.log.Warn("core event older than one taken about the same subject", "event", ev.ID, "type", ev.Type)
				return nil
			}
		}
		switch ev.Type {
		case supportbot.EventRepaymentSucceeded, supportbot.EventRepaymentFailed:
			return e.repaymentEvent(ctx, tx, ev, now)
		}
		if s := ev.Scheduled; s != nil && s.PlanID != "" {
			// The contract's Scheduled names its plan, not its customer:
			// the customer is the one whose plans the bot read it among —
			// also over a customer the event names otherwise (a money
			// probe: another customer's message center got it, the plan's
			// owner nothing).
			owner, err := tx.PlanOwner(ctx, s.PlanID)
			if err != nil && supportbot.ErrorCode(err) != supportbot.ENOTFOUND {
				return err
			}
			if owner != "" && s.CustomerID != "" && owner != s.CustomerID {
				e.log.Error("core event names another customer than its plan's", "event", ev.ID, "type", ev.Type)
			}
			if owner != "" || s.CustomerID == "" {
				routed := *s
				routed.CustomerID = owner
				ev.Scheduled = &routed
			}
		}
		customer, ok := eventCustomer(ev)
		if !ok {
			e.log.Warn("core event names no customer the bot can route", "event", ev.ID, "type", ev.Type)
			return nil
		}
		if err := e.keepEvent(ctx, tx, ev, customer); err != nil {
			return err
		}
		chats, err := tx.CustomerConversations(ctx, customer)
		if err != nil {
			return err
		}
		var evs []supportbot.Event
		for _, c := range chats {
			core := ev
			evs = append(evs, supportbot.Event{ChatID: c.ChatID, Kind: supportbot.EventCore, Core: &core, Time: now,
				Source: "e:" + ev.ID + ":" + strconv.FormatInt(c.ChatID, 10)})
		}
		_, err = tx.PutEvents(ctx, evs)
		return err
	})
	if err != nil {
		return err
	}
	e.poke()
	return nil
}

// repaymentEvent settles the processing repayment an event tells of; a
// repayment the bot did not make (no action with its key) is not its to tell.
func (e *Engine) repaymentEvent(ctx context.Context, tx Tx, ev supportbot.CoreEvent, now time.Time) error {
	r := ev.Repayment
	if r == nil || r.Key == "" {
		return nil
	}
	a, err := tx.Action(ctx, r.Key)
	if supportbot.ErrorCode(err) == supportbot.ENOTFOUND {
		e.log.Warn("repayment event for a key the bot did not use", "event", ev.ID)
		return nil
	} else if err != nil {
		return err
	}
	if why := foreignRepayment(r, a); why != "" {
		// Not told: the action waits, and is asked about by its key.
		e.log.Error("repayment event does not match the repayment asked", "event", ev.ID, "why", why)
		return nil
	}
	state := repaymentState(r)
	switch {
	case (ev.Type == supportbot.EventRepaymentSucceeded) != (state == supportbot.ActionSucceeded):
		// "repayment.failed" of a repayment that says succeeded (or the
		// other way round): which is true is not the bot's to guess. Not
		// told: the action waits, and is asked about by its key.
		e.log.Error("repayment event's type contradicts its repayment's status", "event", ev.ID, "type", ev.Type, "status", r.Status)
		return nil
	case state == supportbot.ActionProcessing:
		return nil
	case a.State == supportbot.ActionFailed && a.Outcome.Released != "" && state == supportbot.ActionSucceeded:
		// Released on an operator's word that nothing was taken, and the
		// core now says it was: the core is the source of truth. The
		// customer, told to pay again, and a person are told (correction).
		return e.correctReleased(ctx, tx, a, r, now)
	case !a.State.Open() && a.State != state:
		// Settled already, otherwise: the customer was told that; a person
		// must look at it.
		e.log.Error("repayment event contradicts the outcome told", "event", ev.ID, "told", a.State, "event_state", state)
		return nil
	}
	if ok, err := settle(ctx, tx, a, "", state, supportbot.ActionOutcome{Repayment: r}, now); err != nil || ok {
		return err
	}
	// Settled meanwhile: on PostgreSQL a release committed while this
	// waited for the action's row (read before it, unlocked). Read again:
	// a release the core contradicts is corrected, not dropped as told.
	if a, err = tx.Action(ctx, r.Key); err != nil {
		return err
	}
	if a.State == supportbot.ActionFailed && a.Outcome.Released != "" && state == supportbot.ActionSucceeded {
		return e.correctReleased(ctx, tx, a, r, now)
	}
	return nil
}

// correctReleased settles as succeeded a repayment an operator released
// that the core says succeeded, audits it, and puts the correction in the
// inbox of the chat that confirmed it.
func (e *Engine) correctReleased(ctx context.Context, tx Tx, a *supportbot.Action, r *supportbot.Repayment, now time.Time) error {
	out := a.Outcome
	out.Repayment = r
	if ok, err := tx.CorrectAction(ctx, a.Key, out); err != nil || !ok {
		return err
	}
	// For the operators too: the release was wrong, a charge may be twice.
	e.log.Error("a released repayment succeeded after all: the customer is told, a person asked to check a double charge",
		"key", a.Key, "customer", a.CustomerID, "amount_fen", int64(r.Amount))
	err := tx.AppendAudit(ctx, supportbot.AuditEntry{Action: "action_corrected", CustomerID: a.CustomerID, ChatID: a.ChatID,
		Details: map[string]any{"key": a.Key, "kind": string(a.Kind), "amount_fen": int64(r.Amount), "released": a.Outcome.Released}})
	if err != nil {
		return err
	}
	_, err = tx.PutEvents(ctx, []supportbot.Event{{ChatID: a.ChatID, Kind: supportbot.EventSettled, Data: a.Key,
		Source: "a:" + a.Key + correctedSuffix, Time: now}})
	return err
}

// correctedSuffix ends the source of the inbox event of a correction.
const correctedSuffix = ":corrected"

// eventSubject is what an event tells the state of — a scheduled
// repayment, a customer, a closure request — of which only the latest
// state is told; "" for an event whose order does not matter (a repayment
// settles its action once; each overdue bill is reminded once).
func eventSubject(ev supportbot.CoreEvent) string {
	switch {
	case ev.Type == supportbot.EventCustomerUpdated && ev.Customer != nil:
		return "customer:" + ev.Customer.ID
	case (ev.Type == supportbot.EventScheduledRepaymentSucceeded || ev.Type == supportbot.EventScheduledRepaymentFailed) && ev.Scheduled != nil:
		return "scheduled:" + ev.Scheduled.ID
	case ev.Type == supportbot.EventClosureRequestDecided && ev.Closure != nil:
		return "closure:" + ev.Closure.Reference
	}
	return ""
}

// eventCustomer is the customer an event concerns.
func eventCustomer(ev supportbot.CoreEvent) (string, bool) {
	switch {
	case ev.Customer != nil:
		return ev.Customer.ID, ev.Customer.ID != ""
	case ev.Scheduled != nil:
		return ev.Scheduled.CustomerID, ev.Scheduled.CustomerID != ""
	case ev.Bill != nil:
		return ev.Bill.CustomerID, ev.Bill.CustomerID != ""
	case ev.Closure != nil:
		return ev.Closure.CustomerID, ev.Closure.CustomerID != ""
	}
	return "", false
}

// keepEvent keeps, once per customer, what an event leaves in the message
// center and the audit log.
func (e *Engine) keepEvent(ctx context.Context, tx Tx, ev supportbot.CoreEvent, customer string) error {
	var n *supportbot.Notice
	audit := supportbot.AuditEntry{CustomerID: customer, Details: map[string]any{"event": ev.ID}}
	switch ev.Type {
	case supportbot.EventClosureRequestDecided:
		r := ev.Closure
		kind := "closure_" + r.Status
		if r.Status == supportbot.ClosureRejected && r.Reason == "" { // the core gave no reason
			kind = "closure_rejected_plain"
		}
		reason, _ := supportbot.MaskSecrets(r.Reason) // a card or ID number in the core's words: told masked
		n = &supportbot.Notice{Kind: kind, Params: map[string]string{"reference": r.Reference, "reason": reason}}
		audit.Action = "closure_status"
		audit.Details["reference"], audit.Details["status"], audit.Details["reason"] = r.Reference, r.Status, supportbot.MaskLongNumbers(r.Reason)
	case supportbot.EventScheduledRepaymentSucceeded, supportbot.EventScheduledRepaymentFailed:
		r := ev.Scheduled
		kind := "scheduled_done"
		if ev.Type == supportbot.EventScheduledRepaymentFailed {
			kind = "scheduled_failed"
		}
		n = &supportbot.Notice{Kind: kind, Params: map[string]string{"period": strconv.Itoa(r.Period), "amount": money(r.Amount)}}
		audit.Action = kind
		audit.Details["scheduled_id"], audit.Details["amount_fen"] = r.ID, int64(r.Amount)
	case supportbot.EventCustomerUpdated:
		audit.Action = "customer_updated"
	default:
		return nil
	}
	if n != nil {
		n.CustomerID = customer
		if err := tx.AddNotice(ctx, *n); err != nil {
			return err
		}
	}
	return tx.AppendAudit(ctx, audit)
}

// coreEvent is a chat's step for a core event concerning its customer.
func (e *Engine) coreEvent(s *Step) error {
	s.records = true // what the core tells is kept
	ev := s.ev.Core
	if ev == nil {
		return nil
	}
	if customer, _ := eventCustomer(*ev); customer != s.conv.CustomerID {
		return nil // the chat was unlinked (or relinked) since
	}
	if ev.Type == supportbot.EventCustomerUpdated {
		c := ev.Customer
		if s.conv.LinkedPhone != "" && c.Phone != s.conv.LinkedPhone {
			// The phone on file changed: whoever has this chat may no longer
			// be the customer. They identify again — if it is still so: the
			// core retries an event for days, in no order, and one older
			// than the link would unlink a customer who identified with the
			// phone on file now. The core's answer decides (customer
			// unlinks on a changed phone); without one, the event does.
			if _, err := s.customer(); err != nil && supportbot.ErrorCode(err) != supportbot.EFORBIDDEN {
				s.unlink("phone_changed")
			}
			return nil
		}
		if !s.conv.LangChosen && s.conv.Flow == "" && (c.Language == supportbot.LangZH || c.Language == supportbot.LangEN) {
			// Outside a step only: a quote on screen in one language is not
			// confirmed in the other. Mid-step the chat keeps its language;
			// the one on file counts again once they write in it.
			s.conv.Lang = c.Language
		}
		return nil
	}
	// What follows is the customer's own (their bills, their closure): told
	// only to a chat linked through the phone on file now — one whose phone
	// the core changed, its customer.updated not come yet, is unlinked and
	// told to identify again, never shown the notice.
	if _, err := s.customer(); supportbot.ErrorCode(err) == supportbot.EFORBIDDEN {
		return nil
	} else if err != nil {
		return err
	}
	switch ev.Type {
	case supportbot.EventClosureRequestDecided:
		s.reply(supportbot.Reply{Text: s.e.ClosureUpdate(s.conv.Lang, ev.Closure),
			Buttons: [][]supportbot.Button{{s.menuBtn(s.T("menu.messages"), "messages")}}})
	case supportbot.EventScheduledRepaymentSucceeded, supportbot.EventScheduledRepaymentFailed:
		r := ev.Scheduled
		p, err := s.plan(r.PlanID)
		switch {
		case err != nil:
			// Told once the core answers (the step is tried again): whether
			// the plan is still theirs, and its name, are the core's.
			return err
		case p == nil:
			// The core does not list the plan as this customer's (the
			// event was routed by a plan seen under them before): not
			// theirs to hear of.
			s.e.log.Warn("scheduled repayment event about a plan the customer no longer has", "event", ev.ID)
			return nil
		}
		product := p.Product
		b, ok := billOf(p, r.Period)
		args := []any{"product", product, "period", r.Period, "amount", money(r.Amount), "date", s.day(b.DueDate)}
		pay := []supportbot.Button{s.menuBtn(s.T("remind.btn_pay"), "pay:"+r.PlanID)}
		if ev.Type == supportbot.EventScheduledRepaymentSucceeded {
			if ok && b.Status == supportbot.BillUnpaid && r.Amount < b.Due() {
				// Booked for less than the period: debited, and the period
				// still open — not a "done" to rest on (the quote says
				// what is left).
				short := "sched_event.done_short"
				if b.Overdue(s.today) { // its due date past: "by the due date" is no more
					short = "sched_event.done_short_overdue"
				}
				s.say(s.T("sched_event.done", args...)+"\n"+s.T(short, args...), pay,
					[]supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill")})
				return nil
			}
			s.say(s.T("sched_event.done", args...), []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill")})
			return nil
		}
		if ok && b.Status != supportbot.BillUnpaid {
			// Paid since (the event waited for the core, or came late):
			// "failed, pay now" is no longer true.
			s.e.log.Info("scheduled repayment failure of a period paid since, not told", "event", ev.ID)
			return nil
		}
		key := "sched_event.failed"
		if ok && b.Overdue(s.today) { // "pay by the due date" is past: it is late already
			key = "sched_event.failed_overdue"
		}
		s.say(s.T(key, args...), pay, []supportbot.Button{s.humanBtn()})
	case supportbot.EventBillOverdue:
		return overdueEvent(s, ev.Bill)
	}
	return nil
}

// overdueEvent is the overdue reminder of a customer who asked for
// reminders, sent once to each of their chats linked through the phone on
// file (the reminder job records the same one, and so do the customer's
// other chats' steps for this event: whichever is first tells them all).
// Not at night nor before the reminders' hour: the job tells a bill that
// fell due yesterday at that hour.
func overdueEvent(s *Step, ref *supportbot.BillRef) error {
	if h := s.now.In(s.e.cfg.Location).Hour(); h < s.e.reminderHour() || h >= quietFrom {
		return nil
	}
	on, err := s.e.st.Reminders(s.ctx, s.conv.CustomerID)
	if err != nil || !on {
		return err
	}
	c, err := s.customer()
	if err != nil {
		return err
	}
	p, err := s.plan(ref.PlanID)
	if err != nil || p == nil {
		return err
	}
	b, ok := billOf(p, ref.Period)
	if !ok || b.Status != supportbot.BillUnpaid {
		return nil
	}
	var card *supportbot.Card
	if p.AutoRepay {
		cards, err := s.cards()
		if err != nil {
			return err
		}
		card = defaultCard(cards)
	}
	customer, phone, today := s.conv.CustomerID, c.Phone, s.today
	s.do(func(ctx context.Context, tx Tx) error {
		fresh, err := tx.RecordReminder(ctx, customer, p.ID, b.Period, kindOverdue)
		if err != nil || !fresh {
			return err
		}
		chats, err := tx.CustomerConversations(ctx, customer)
		if err != nil {
			return err
		}
		for _, c := range chats {
			if c.LinkedPhone == "" || c.LinkedPhone == phone {
				s.late = append(s.late, s.e.reminder(c, kindOverdue, p, b, card, nil, today))
			}
		}
		return nil
	})
	return nil
}
