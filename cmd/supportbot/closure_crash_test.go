package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"supportbot/corehttp/coretest"
)

// closureRefRE finds the closure request references a customer is shown.
var closureRefRE = regexp.MustCompile(`CR-\d{8}-\d{4}`)

// TestCrashKillDuringClosureRequest: a settled customer asks to close the
// account, passes the identity check, and the bot is killed with SIGKILL
// while the core's createClosureRequest call is in flight — once before the
// core executed it, once after (the answer lost). The next life submits it
// again under the same key: the core holds one request per customer, the
// customer is told that one reference (and only it), and it is audited
// once.
func TestCrashKillDuringClosureRequest(t *testing.T) {
	if coreOverHTTP() {
		t.Skip("always over the HTTP core: the HTTP core's pass would run it again")
	}
	a := newApp(t, true)
	a.setClock(time.Now()) // the bot runs in child processes, on the real clock
	vars := maps.Clone(a.env)
	vars[childEnv] = "1"
	vars["LISTEN_ADDR"] = freeAddr(t)
	fake := a.core.fake
	a.core.deliverTo(vars["LISTEN_ADDR"])

	scenarios := []struct {
		name     string
		fault    coretest.Fault
		executed bool // the core executes the call the kill interrupts
	}{
		{"killed before the core executed the request", coretest.Slow(4 * time.Second), false},
		{"killed after the core executed the request, before the answer", coretest.SlowExecuted(4 * time.Second), true},
	}
	type settled struct{ id, phone, last4 string }
	var people []settled
	var customers []map[string]any
	paidOn := time.Now().In(shanghai).AddDate(0, -2, 0).Format("2006-01-02")
	for i := range scenarios {
		p := settled{fmt.Sprintf("K%02d", i+1), fmt.Sprintf("1370000%04d", i+1), fmt.Sprintf("%04d", 2460+i)}
		people = append(people, p)
		customers = append(customers, map[string]any{
			"id": p.id, "name": fmt.Sprintf("注销%d", i+1), "phone": p.phone, "id_card_last4": p.last4, "language": "zh", "pending_refunds": 0,
			"cards": []map[string]any{{"id": "K1", "bank": "招商银行", "last4": "6789", "default": true}},
			"plans": []map[string]any{{"id": "KP" + p.id, "order_no": "88" + p.phone, "product": "小米手环", "partner": "小米分期",
				"principal_fen": 29900, "periods": 1, "prepay_fee_rate_bp": 0,
				"bills": []map[string]any{{"period": 1, "due_date": paidOn, "principal_fen": 29900, "fee_fen": 0, "late_fee_fen": 0, "status": "paid"}}}},
		})
	}
	body, err := json.Marshal(map[string]any{"customers": customers})
	if err != nil {
		t.Fatal(err)
	}
	dataset := filepath.Join(t.TempDir(), "settled.json")
	if err := os.WriteFile(dataset, body, 0o600); err != nil {
		t.Fatal(err)
	}
	a.runCore("import", dataset)

	env := childEnvironment(vars)
	var logs strings.Builder
	bot := startChild(t, env)
	life := 0
	reap := func(how string) {
		fmt.Fprintf(&logs, "--- life %d (%s): %v\n%s", life, how, bot.err, bot.out.String())
		life++
	}
	alive := func() {
		select {
		case <-bot.done:
			reap("exited by itself")
			t.Fatalf("the bot exited by itself (life %d):\n%s", life-1, logs.String())
		default:
		}
	}
	defer func() {
		if t.Failed() {
			t.Logf("bot output:\n%s", logs.String())
		}
	}()

	chatters := make([]*chatter, len(people))
	for i, sc := range scenarios {
		p := people[i]
		c := newChatter(a.srv, 770001+int64(i), "zh")
		chatters[i] = c
		must := func(_ shown, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", sc.name, err)
			}
		}
		c.send("/close_account")
		must(c.wait("分享我的手机号"))
		c.shareContact("86" + p.phone)
		check, err := c.wait("确定要继续吗")
		must(check, err)
		goOn, ok := button(check.SentMessage, "继续注销")
		if !ok {
			t.Fatalf("%s: no 继续注销 button:\n%s", sc.name, c.transcript())
		}
		c.press(check, goOn)
		must(c.wait("身份证号码最后 4 位"))
		fake.Inject(coretest.OpCreateClosureRequest, 1, sc.fault)
		c.send(p.last4)
		must(c.wait("正在提交注销申请"))
		if _, ok := awaitInFlight(fake, coretest.OpCreateClosureRequest, nil, time.Second, waitTimeout, alive); !ok {
			t.Fatalf("%s: no createClosureRequest call in flight", sc.name)
		}
		if err := bot.stop(syscall.SIGKILL, 10*time.Second); err != nil && !strings.Contains(err.Error(), "killed") {
			t.Fatalf("kill: %v", err)
		}
		reap("SIGKILL, " + sc.name)
		bot = startChild(t, env)
		must(c.wait("注销申请已提交"))
	}
	if err := bot.stop(syscall.SIGTERM, 20*time.Second); err != nil {
		t.Errorf("the bot did not stop cleanly on SIGTERM: %v", err)
	}
	reap("SIGTERM")

	ctx := context.Background()
	keys := map[string]int{} // calls per key: the one the kill cut, then the next life's
	for _, call := range fake.Calls() {
		if call.Op == coretest.OpCreateClosureRequest {
			keys[call.Key]++
			t.Logf("createClosureRequest %s: %d fault=%v", call.Key, call.Status, call.Fault)
		}
	}
	if len(keys) != len(people) {
		t.Errorf("createClosureRequest was called under %d keys, want one per customer (%d): %v", len(keys), len(people), keys)
	}
	for key, calls := range keys {
		if calls < 2 {
			t.Errorf("closure request %s was asked %d times; the kill should have cut one call and the next life asked again", key, calls)
		}
		if n := fake.Executed(coretest.OpCreateClosureRequest, key); n != 1 {
			t.Errorf("the core executed closure request %s %d times, want 1", key, n)
		}
	}
	if d := fake.Doubled(); len(d) > 0 {
		t.Errorf("the fake core executed twice: %v", d)
	}
	for i, p := range people {
		list, err := a.coreDB().CoreView().ClosureRequests(ctx, p.id)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 {
			t.Errorf("%s: the core holds %d closure requests of %s, want 1: %+v", scenarios[i].name, len(list), p.id, list)
			continue
		}
		told := map[string]bool{}
		for _, ref := range closureRefRE.FindAllString(chatters[i].transcript(), -1) {
			told[ref] = true
		}
		if len(told) != 1 || !told[list[0].Reference] {
			t.Errorf("%s: the customer was shown references %v; their request is %s:\n%s",
				scenarios[i].name, told, list[0].Reference, chatters[i].transcript())
		}
		if n := len(a.audit(p.id, "closure_request")); n != 1 {
			t.Errorf("%s: %d closure_request audit entries, want 1", scenarios[i].name, n)
		}
		if n := strings.Count(chatters[i].transcript(), "注销申请已提交"); n != 1 {
			t.Errorf("%s: told %d times that the request was submitted, want once:\n%s", scenarios[i].name, n, chatters[i].transcript())
		}
	}
}
