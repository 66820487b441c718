package flows

import "github.com/looplab/fsm"

// Agent hands the chat to a person. Without a staff chat it gives the hotline
// and hours instead of a dead end.
func agentFlow() *spec {
	return &spec{
		name:    "agent",
		initial: "idle",
		events:  fsm.Events{{Name: "request", Src: []string{"idle"}, Dst: "referred"}},
		callbacks: func(s *Step) fsm.Callbacks {
			return fsm.Callbacks{"enter_referred": func(_ ctxT, _ *fsm.Event) {
				s.finish()
				s.say(s.T("agent.hotline", "hotline", s.e.cfg.Hotline, "hours", s.e.cfg.Hours), s.menuRows()...)
			}}
		},
		start: func(s *Step, _ string) error { return s.fire("agent", "request") },
	}
}
