package flows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"supportbot"
)

// cancelCutoff: a scheduled repayment running sooner than this is already with
// the bank and cannot be cancelled.
const cancelCutoff = 2 * time.Hour

// dueSoonDays: cancelling a repayment whose bill is due this soon earns a warning.
const dueSoonDays = 3

// Cancel a scheduled repayment: list → choose → confirm → cancelled, once.
func cancelFlow() *spec {
	return &spec{
		name:          "cancel",
		needsCustomer: true,
		initial:       "idle",
		events: fsm.Events{
			{Name: "list", Src: []string{"idle"}, Dst: "choosing"},
			{Name: "pick", Src: []string{"choosing", "confirming"}, Dst: "confirming"},
			{Name: "confirm", Src: []string{"confirming"}, Dst: "cancelled"},
		},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{
				"enter_choosing":  func(_ ctxT, e *fsm.Event) { e.Err = listScheduled(s) },
				"after_pick":      func(_ ctxT, e *fsm.Event) { e.Err = askCancel(s, e.Args[0].(*scheduledView)) },
				"enter_cancelled": func(_ ctxT, e *fsm.Event) { e.Err = cancelled(s, e.Args[0].(*scheduledView)) },
			}
		},
		start:  func(s *Step, _ string) error { return s.fire("cancel", "list") },
		handle: handleCancel,
		stale:  staleCancel,
	}
}

// scheduledView is a scheduled repayment with what the customer needs to see.
type scheduledView struct {
	supportbot.ScheduledRepayment
	Product string
	Card    string
	DueDate supportbot.Date // of the bill it pays; "" if unknown
	BillDue bool            // that bill is unpaid
}

func (v *scheduledView) line(s *Step) string {
	return s.T("cancel.item", "product", v.Product, "period", v.Period, "amount", money(v.Amount), "card", v.Card,
		"time", when(s, v.RunAt))
}

// dueSoon reports whether the bill it pays is unpaid and due within 3 days.
func (v *scheduledView) dueSoon(today supportbot.Date) bool {
	return v.BillDue && v.DueDate != "" && today.DaysUntil(v.DueDate) <= dueSoonDays
}

// refusal is why v cannot be cancelled now, as a message key, or "".
func (v *scheduledView) refusal(now time.Time) string {
	switch {
	case v.Status == supportbot.ScheduledProcessing:
		return "cancel.refuse_processing"
	case v.Status == supportbot.ScheduledDone:
		return "cancel.refuse_done"
	case v.Status == supportbot.ScheduledCancelled:
		return "cancel.refuse_cancelled"
	case v.RunAt.Sub(now) < cancelCutoff:
		return "cancel.refuse_soon"
	}
	return ""
}

func when(s *Step, t time.Time) string {
	return supportbot.DateOf(t, s.e.cfg.Location).Format(s.conv.Lang) + " " + t.In(s.e.cfg.Location).Format("15:04")
}

// scheduledViews lists the customer's scheduled repayments with their plans'
// products, cards and bills.
func scheduledViews(s *Step) ([]*scheduledView, error) {
	list, err := s.tx.Scheduled(s.ctx, s.conv.CustomerID)
	if err != nil {
		return nil, err
	}
	plans, err := s.tx.Plans(s.ctx, s.conv.CustomerID)
	if err != nil {
		return nil, err
	}
	cards, err := s.tx.Cards(s.ctx, s.conv.CustomerID)
	if err != nil {
		return nil, err
	}
	views := make([]*scheduledView, 0, len(list))
	for _, r := range list {
		v := &scheduledView{ScheduledRepayment: r, Card: r.CardID}
		for _, c := range cards {
			if c.ID == r.CardID {
				v.Card = c.Masked()
			}
		}
		for _, p := range plans {
			if p.ID != r.PlanID {
				continue
			}
			v.Product = p.Product
			for _, b := range p.Bills {
				if b.Period == r.Period {
					v.DueDate, v.BillDue = b.DueDate, b.Status == supportbot.BillUnpaid
				}
			}
		}
		views = append(views, v)
	}
	return views, nil
}

// active are the ones still ahead: scheduled or processing.
func active(views []*scheduledView) []*scheduledView {
	var out []*scheduledView
	for _, v := range views {
		if v.Status == supportbot.ScheduledScheduled || v.Status == supportbot.ScheduledProcessing {
			out = append(out, v)
		}
	}
	return out
}

func listScheduled(s *Step) error {
	views, err := scheduledViews(s)
	if err != nil {
		return err
	}
	list := active(views)
	if len(list) == 0 {
		s.finish()
		s.say(s.T("cancel.none"), []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill")}, []supportbot.Button{s.menuBtn(s.T("btn.menu"), "menu")})
		return nil
	}
	lines := []string{s.T("cancel.header")}
	var rows [][]supportbot.Button
	for i, v := range list {
		line := fmt.Sprintf("%d. %s", i+1, v.line(s))
		if key := v.refusal(s.now); key != "" {
			line += "\n   " + s.T(key+"_short")
		}
		lines = append(lines, line)
		rows = append(rows, []supportbot.Button{s.btn(s.T("cancel.btn_pick", "n", i+1, "product", v.Product, "period", v.Period), "pick:"+v.ID)})
	}
	rows = append(rows, []supportbot.Button{s.cancelBtn(), s.humanBtn()})
	s.say(strings.Join(lines, "\n"), rows...)
	return nil
}

func handleCancel(s *Step, action string) (bool, error) {
	verb, id, _ := strings.Cut(action, ":")
	if action == "" { // typed: a number while choosing, 确认 while confirming
		text := strings.ToLower(strings.TrimSpace(s.ev.Text))
		switch {
		case s.conv.State == "choosing":
			n, err := strconv.Atoi(text)
			if err != nil {
				return false, nil
			}
			views, err := scheduledViews(s)
			if err != nil {
				return true, err
			}
			list := active(views)
			if n < 1 || n > len(list) {
				return false, nil
			}
			verb, id = "pick", list[n-1].ID
		case s.conv.State == "confirming" && confirmWords[text]:
			verb, id = "ok", s.conv.Slots["scheduled"]
		default:
			return false, nil
		}
	}
	v, err := findScheduled(s, id)
	if err != nil {
		return true, err
	}
	if v == nil {
		s.say(s.T("button.expired"), s.menuRows()...)
		return true, nil
	}
	switch verb {
	case "pick":
		return true, s.fire("cancel", "pick", v)
	case "ok":
		if id != s.conv.Slots["scheduled"] {
			s.say(s.T("button.expired"), s.menuRows()...)
			return true, nil
		}
		if key := v.refusal(s.now); key != "" {
			s.finish()
			return true, refuse(s, v, key)
		}
		return true, s.fire("cancel", "confirm", v)
	}
	return false, nil
}

// findScheduled finds one of the customer's own scheduled repayments.
func findScheduled(s *Step, id string) (*scheduledView, error) {
	views, err := scheduledViews(s)
	if err != nil {
		return nil, err
	}
	for _, v := range views {
		if v.ID == id {
			return v, nil
		}
	}
	return nil, nil
}

// refuse says why v cannot be cancelled, and keeps the refusal in the audit
// log and the message center: the customer may want to show it to an agent.
func refuse(s *Step, v *scheduledView, key string) error {
	reason := strings.TrimPrefix(key, "cancel.refuse_")
	if err := s.audit("cancel_scheduled_refused", map[string]any{
		"scheduled_id": v.ID, "plan_id": v.PlanID, "amount_fen": int64(v.Amount), "reason": reason,
	}); err != nil {
		return err
	}
	if err := s.notice("cancel_refused", map[string]string{
		"product": v.Product, "period": strconv.Itoa(v.Period), "amount": money(v.Amount), "reason": "@" + key + "_short",
	}); err != nil {
		return err
	}
	text := v.line(s) + "\n\n" + s.T(key)
	s.say(text, []supportbot.Button{s.humanBtn()}, []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("btn.menu"), "menu")})
	return nil
}

func askCancel(s *Step, v *scheduledView) error {
	if key := v.refusal(s.now); key != "" {
		s.finish()
		return refuse(s, v, key)
	}
	s.conv.Slots["scheduled"] = v.ID
	lines := []string{s.T("cancel.confirm"), v.line(s)}
	if v.dueSoon(s.today) {
		lines = append(lines, "", s.T("cancel.warn_due", "date", v.DueDate.Format(s.conv.Lang)))
	}
	lines = append(lines, "", s.T("cancel.free"))
	s.say(strings.Join(lines, "\n"),
		[]supportbot.Button{s.btn(s.T("cancel.btn_confirm"), "ok:"+v.ID)},
		[]supportbot.Button{{Text: s.T("cancel.btn_keep"), Data: "x"}, s.humanBtn()})
	return nil
}

func cancelled(s *Step, v *scheduledView) error {
	s.finish()
	ok, err := s.tx.CancelScheduled(s.ctx, s.conv.CustomerID, v.ID)
	if err != nil {
		return err
	}
	if !ok { // changed under us since the list was read
		s.say(s.T("button.expired"), s.menuRows()...)
		return nil
	}
	if err := s.audit("cancel_scheduled", map[string]any{
		"scheduled_id": v.ID, "plan_id": v.PlanID, "period": v.Period, "amount_fen": int64(v.Amount),
	}); err != nil {
		return err
	}
	if err := s.notice("cancel_scheduled", map[string]string{
		"product": v.Product, "period": strconv.Itoa(v.Period), "amount": money(v.Amount), "time": when(s, v.RunAt),
	}); err != nil {
		return err
	}
	text := s.T("cancel.done", "line", v.line(s))
	if v.dueSoon(s.today) {
		text += "\n\n" + s.T("cancel.warn_due", "date", v.DueDate.Format(s.conv.Lang))
	}
	s.say(text, []supportbot.Button{s.menuBtn(s.T("menu.bill"), "bill"), s.menuBtn(s.T("menu.messages"), "messages")})
	return nil
}

// staleCancel answers an old confirm button of a repayment already cancelled.
func staleCancel(s *Step, action string) (bool, error) {
	id, ok := strings.CutPrefix(action, "ok:")
	if !ok || s.conv.CustomerID == "" {
		return false, nil
	}
	v, err := findScheduled(s, id)
	if err != nil || v == nil || v.Status != supportbot.ScheduledCancelled {
		return err != nil, err
	}
	s.say(s.T("cancel.already", "line", v.line(s)), []supportbot.Button{s.menuBtn(s.T("menu.messages"), "messages")})
	return true, nil
}
