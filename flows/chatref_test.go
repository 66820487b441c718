package flows_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/flows"
	"supportbot/store"
)

// unkeyedRef is how earlier versions named a chat: a hash of its id that
// anyone can compute for every Telegram user id.
func unkeyedRef(chatID int64) string {
	sum := sha256.Sum256([]byte("chat:" + strconv.FormatInt(chatID, 10)))
	return hex.EncodeToString(sum[:6])
}

func TestStepLogNamesTheChatByItsKeyedReference(t *testing.T) {
	h := newHarness(t, fixture())
	h.logs = &syncBuffer{}
	h.open()
	c := h.chat(7301234567, "zh") // a Telegram user id
	c.identify(phoneZhang)
	c.send("/bill")

	logs := h.logs.String()
	want := "chat=" + h.refs.Of(c.id)
	step := regexp.MustCompile(`(?m)^.* msg=step .*$`).FindAllString(logs, -1)
	if len(step) == 0 {
		t.Fatalf("no step log lines:\n%s", logs)
	}
	for _, line := range step {
		if !strings.Contains(line, want+" ") {
			t.Errorf("step log line does not name the chat %s: %s", want, line)
		}
	}
	for _, leak := range []string{strconv.FormatInt(c.id, 10), unkeyedRef(c.id)} {
		if strings.Contains(logs, leak) {
			t.Errorf("the log carries %s, which names the chat to anyone:\n%s", leak, logs)
		}
	}
}

// TestMoneyActionKeysNameTheChatByItsKeyedReference: the idempotency keys of
// a cancellation and a closure request are logged and sent to the core; they
// name the chat as the logs do.
func TestMoneyActionKeysNameTheChatByItsKeyedReference(t *testing.T) {
	h := newHarness(t, fixture())
	zhang := h.chat(7301234567, "zh")
	zhang.identify(phoneZhang)
	zhang.send("/cancel_schedule")
	zhang.press("Redmi K70 第 7 期")
	zhang.press("取消这笔预约还款")
	zhang.expect("已取消预约还款")

	bob := h.chat(7301234568, "en")
	bob.identify(phoneBob)
	bob.send("/close_account")
	bob.press("Go on")
	bob.send("4321")
	bob.expect("Closure request submitted")

	want := map[supportbot.ActionKind]string{
		supportbot.ActionCancel:  "cancel:" + h.refs.Of(zhang.id) + ":",
		supportbot.ActionClosure: "closure:" + h.refs.Of(bob.id) + ":",
	}
	seen := map[supportbot.ActionKind]bool{}
	for _, a := range h.actions() {
		prefix, ok := want[a.Kind]
		if !ok {
			continue
		}
		seen[a.Kind] = true
		if !strings.HasPrefix(a.Key, prefix) {
			t.Errorf("%s key %q; want it to start %q", a.Kind, a.Key, prefix)
		}
		for _, leak := range []string{strconv.FormatInt(a.ChatID, 10), unkeyedRef(a.ChatID)} {
			if strings.Contains(a.Key, leak) {
				t.Errorf("%s key %q carries %s, which names the chat to anyone", a.Kind, a.Key, leak)
			}
		}
		if err := supportbot.CheckIdempotencyKey(a.Key); err != nil {
			t.Errorf("%s key %q: %v", a.Kind, a.Key, err)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("actions seen %v, want a cancellation and a closure request", seen)
	}
}

// TestOldConfirmFindsACancellationKeyedBeforeTheUpgrade: a cancellation
// confirmed under a version that named the chat by the unkeyed hash of its
// id, and not yet answered, is still found by its old confirm button: the
// customer hears it is under way, not that the button expired.
func TestOldConfirmFindsACancellationKeyedBeforeTheUpgrade(t *testing.T) {
	h, c := session(t, fixture(), phoneZhang, "/cancel_schedule")
	c.press("Redmi K70 第 7 期")
	ok := c.button("取消这笔预约还款").Data
	cb, err := flows.DecodeCallback(ok)
	if err != nil {
		t.Fatal(err)
	}
	// What the earlier version committed on that press: the action, held
	// by its worker (which is waiting for the core).
	old := &supportbot.Action{Key: "cancel:" + unkeyedRef(c.id) + ":" + cb.Nonce + ":" + cb.Arg, ChatID: c.id,
		CustomerID: "C1", Kind: supportbot.ActionCancel, Scheduled: cb.Arg, Flow: "cancel"}
	if err := h.db.Update(context.Background(), func(tx *store.Tx) error {
		return tx.CreateAction(context.Background(), old, "before-the-upgrade", h.clock().Add(time.Hour))
	}); err != nil {
		t.Fatal(err)
	}
	c.send("/bill") // the confirm step is over: its button is old
	c.pressData(ok)
	c.expect("正在取消中")
	c.reject("已过期", "已取消预约还款")
	if n := len(h.actions()); n != 1 {
		t.Errorf("%d money actions, want the one confirmed before the upgrade", n)
	}
}
