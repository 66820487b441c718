package flows

import (
	"strconv"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"supportbot"
	"supportbot/locale"
)

// Messages shows the customer's message center: the confirmations of what they
// did (cancellations, repayments, closure requests).
func messagesFlow() *spec {
	return &spec{
		name:          "messages",
		needsCustomer: true,
		initial:       "idle",
		events:        fsm.Events{{Name: "show", Src: []string{"idle"}, Dst: "shown"}},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{"enter_shown": func(_ ctxT, e *fsm.Event) { e.Err = showMessages(s) }}
		},
		start: func(s *Step, _ string) error { return s.fire("messages", "show") },
	}
}

// noticesShown is how many of the latest notices the message center shows.
const noticesShown = 10

func showMessages(s *Step) error {
	defer s.finish()
	list, err := s.e.st.Notices(s.ctx, s.conv.CustomerID, noticesShown)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		s.say(s.T("messages.none"), s.next(s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...) // a confirmation missing: a person to ask
		return nil
	}
	header := "messages.header"
	if len(list) == noticesShown { // there may be older ones
		header = "messages.header_latest"
	}
	lines := []string{s.T(header, "n", noticesShown)}
	for _, n := range list {
		args := make([]any, 0, 2*len(n.Params)+2)
		for k, v := range n.Params {
			var arg any = v
			if key, ok := strings.CutPrefix(v, "@"); ok { // a message key, rendered in the reader's language
				arg = locale.HTML(s.T(key))
			} else if k == "periods" { // "1, 2, 3" as kept: read in the reader's language
				ps := parsePeriods(v)
				arg = periodList(s, ps)
				args = append(args, "n", len(ps))
			} else if t, err := time.Parse(time.RFC3339, v); err == nil { // an instant: as of now, in the reader's language
				arg = when(s, t)
			} else if d, err := supportbot.ParseDate(v); err == nil {
				arg = d.Format(s.conv.Lang)
			}
			args = append(args, k, arg)
		}
		lines = append(lines, "• "+when(s, n.Time)+"\n  "+s.T("notice."+n.Kind, args...))
	}
	s.say(strings.Join(lines, "\n"), s.next(s.menuBtn(s.T("menu.bill"), "bill"), s.humanBtn())...) // a confirmation to ask about
	return nil
}

// parsePeriods reads periods kept as periodsKey wrote them ("1, 2, 3").
func parsePeriods(v string) []int {
	var ps []int
	for _, f := range strings.Split(v, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
			ps = append(ps, n)
		}
	}
	return ps
}
