package supportbot_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"supportbot"
)

// TestDebitingIsTheOneRule: "the bank is already debiting this period" —
// processing, or scheduled and running within the cut-off — decides what
// cancel refuses and what pay, payoff and closure leave out.
func TestDebitingIsTheOneRule(t *testing.T) {
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name     string
		status   string
		runIn    time.Duration
		debiting bool
		refusal  supportbot.NotCancellableReason
	}{
		{"scheduled far ahead", supportbot.ScheduledScheduled, 10 * 24 * time.Hour, false, ""},
		{"scheduled just outside the cut-off", supportbot.ScheduledScheduled, supportbot.DebitCutoff + time.Minute, false, ""},
		{"scheduled at the cut-off", supportbot.ScheduledScheduled, supportbot.DebitCutoff, false, ""},
		{"scheduled just inside the cut-off", supportbot.ScheduledScheduled, supportbot.DebitCutoff - time.Second, true, supportbot.NotCancellableTooLate},
		{"scheduled within the hour", supportbot.ScheduledScheduled, time.Hour, true, supportbot.NotCancellableTooLate},
		{"scheduled and overdue to run", supportbot.ScheduledScheduled, -time.Hour, true, supportbot.NotCancellableTooLate},
		{"scheduled, its time a day gone (stale: no debit under way)", supportbot.ScheduledScheduled, -supportbot.StaleBooking - time.Minute, false, ""},
		{"processing, far ahead", supportbot.ScheduledProcessing, 10 * 24 * time.Hour, true, supportbot.NotCancellableProcessing},
		{"done", supportbot.ScheduledDone, time.Hour, false, supportbot.NotCancellableDone},
		{"cancelled", supportbot.ScheduledCancelled, time.Hour, false, supportbot.NotCancellableCancelled},
		{"failed", supportbot.ScheduledFailed, time.Hour, false, supportbot.NotCancellableFailed},
	} {
		r := supportbot.ScheduledRepayment{ID: "S1", PlanID: "P1", Period: 3, Status: c.status, RunAt: now.Add(c.runIn)}
		if got := r.Debiting(now); got != c.debiting {
			t.Errorf("%s: Debiting = %v, want %v", c.name, got, c.debiting)
		}
		if got := r.CancelRefusal(now); got != c.refusal {
			t.Errorf("%s: CancelRefusal = %q, want %q", c.name, got, c.refusal)
		}
		want := map[int]bool{}
		if c.debiting {
			want[3] = true
		}
		other := supportbot.ScheduledRepayment{PlanID: "P2", Period: 4, Status: supportbot.ScheduledProcessing}
		if got := supportbot.DebitingPeriods("P1", []supportbot.ScheduledRepayment{r, other}, now); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: DebitingPeriods = %v, want %v", c.name, got, want)
		}
	}
}

// TestMoneyIsBounded: sums never wrap; amounts outside 0..MaxMoney are
// refused, and so is a payoff over bills that cannot be meant.
func TestMoneyIsBounded(t *testing.T) {
	for _, c := range []struct {
		parts []supportbot.Money
		want  supportbot.Money
		ok    bool
	}{
		{nil, 0, true},
		{[]supportbot.Money{24992, 1200}, 26192, true},
		{[]supportbot.Money{supportbot.MaxMoney}, supportbot.MaxMoney, true},
		{[]supportbot.Money{supportbot.MaxMoney, 1}, 0, false},
		{[]supportbot.Money{math.MaxInt64, 1}, 0, false},
		{[]supportbot.Money{math.MaxInt64 / 2, math.MaxInt64 / 2, 2}, 0, false},
		{[]supportbot.Money{-1, 100}, 0, false},
		{[]supportbot.Money{math.MinInt64}, 0, false},
	} {
		got, err := supportbot.SumMoney(c.parts...)
		if c.ok && (err != nil || got != c.want) || !c.ok && !errors.Is(err, supportbot.ErrMoneyBounds) {
			t.Errorf("SumMoney(%v) = %v, %v; want %v (ok %v)", c.parts, got, err, c.want, c.ok)
		}
	}
	huge := supportbot.Plan{ID: "P1", Periods: 2, PrepayFeeRateBP: 150, Bills: []supportbot.Bill{
		{PlanID: "P1", Period: 1, DueDate: "2026-11-15", Principal: 100, Fee: math.MaxInt64 - 50, Status: supportbot.BillUnpaid},
		{PlanID: "P1", Period: 2, DueDate: "2026-12-15", Principal: 100, Status: supportbot.BillUnpaid},
	}}
	if q, err := supportbot.ComputePayoff(huge, "2026-11-21"); !errors.Is(err, supportbot.ErrMoneyBounds) {
		t.Errorf("payoff of a fee near the int64 maximum = %+v, %v; want ErrMoneyBounds", q, err)
	}
}

// A transcript keeps the last TranscriptLines lines, whatever they hold
// (line breaks, quotes), and reads the JSON array it was once stored as.
func TestTranscript(t *testing.T) {
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	var tr supportbot.Transcript
	var want []supportbot.Line
	for i := range supportbot.TranscriptLines + 3 {
		l := supportbot.Line{Time: t0.Add(time.Duration(i) * time.Second), From: "customer", Text: fmt.Sprintf("第%d行\n\"引号\" ]\\", i)}
		tr.Append(l)
		want = append(want, l)
	}
	want = want[len(want)-supportbot.TranscriptLines:]
	if got := tr.Lines(); !reflect.DeepEqual(got, want) {
		t.Errorf("lines = %+v\nwant %+v", got, want)
	}
	again, err := supportbot.ParseTranscript(tr.String())
	if err != nil || !reflect.DeepEqual(again.Lines(), want) {
		t.Errorf("stored and read again: %+v, %v", again.Lines(), err)
	}
	old, err := json.Marshal(want[:2])
	if err != nil {
		t.Fatal(err)
	}
	if got, err := supportbot.ParseTranscript(string(old)); err != nil || !reflect.DeepEqual(got.Lines(), want[:2]) {
		t.Errorf("the old JSON array: %+v, %v", got.Lines(), err)
	}
	for _, empty := range []string{"", "[]"} {
		if got, err := supportbot.ParseTranscript(empty); err != nil || len(got.Lines()) != 0 || got.String() != "" {
			t.Errorf("%q: %+v, %v", empty, got, err)
		}
	}
	if _, err := supportbot.ParseTranscript("[{"); err == nil {
		t.Error("a broken array read without an error")
	}
}
