package metrics_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/metrics"
)

// TestTheDashboardReadsWhatTheBotExports: every metric the supervisors'
// Grafana dashboard (ops/grafana/supportbot-desk.json) queries is one the bot
// exports, so no panel stays empty for a typo or a metric never wired.
func TestTheDashboardReadsWhatTheBotExports(t *testing.T) {
	raw, err := os.ReadFile("../ops/grafana/supportbot-desk.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("dashboard JSON: %v", err)
	}
	n := func(context.Context) (int, error) { return 1, nil }
	m := metrics.New(metrics.Gauges{Outbox: n, Inbox: n, Tickets: n, Waiting: n,
		Actions: func(context.Context) (map[supportbot.ActionState]int, error) { return nil, nil }})
	// One of everything, so that every labelled series exists.
	m.Update("text", time.Millisecond)
	m.Flow("agent", "started")
	m.FAQ("answered")
	m.Action("ticket_close")
	m.Sent()
	m.SendError(429)
	m.FirstReply(time.Minute)
	m.Step("text", time.Millisecond, true)
	m.MoneyAction("repay", "succeeded")
	m.CoreCall("plans", "unavailable", time.Millisecond)
	m.Handoff()
	m.Rating(5)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	exported := map[string]bool{}
	for _, line := range strings.Split(string(body), "\n") {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			exported[strings.Fields(name)[0]] = true
		}
	}
	names := regexp.MustCompile(`supportbot_[a-z_]+`)
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, name := range names.FindAllString(tg.Expr, -1) {
				base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
				if !exported[name] && !exported[base] {
					t.Errorf("panel %q queries %s, which the bot does not export", p.Title, name)
				}
			}
		}
	}
	if len(dash.Panels) == 0 {
		t.Fatal("no panels")
	}
}
