package console_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"supportbot"
	"supportbot/console"
	"supportbot/demo"
	"supportbot/embedcore"
	"supportbot/flows"
	"supportbot/importer"
	"supportbot/locale"
	"supportbot/store"
	"supportbot/store/storetest"
)

// stateStore adapts the store's write transactions to the engine's.
type stateStore struct{ *store.DB }

func (s stateStore) Update(ctx context.Context, fn func(flows.Tx) error) error {
	return s.DB.Update(ctx, func(tx *store.Tx) error { return fn(tx) })
}

// embeddedEvents are the events the embedded core owes the bot.
type embeddedEvents struct{ db *store.DB }

func (e embeddedEvents) PendingCoreEvents(ctx context.Context, limit int) ([]supportbot.CoreEvent, error) {
	return e.db.PendingCoreEvents(ctx, limit)
}

func (e embeddedEvents) CoreEventDelivered(ctx context.Context, id string) error {
	return e.db.Update(ctx, func(tx *store.Tx) error { return tx.CoreEventDelivered(ctx, id) })
}

// knowsNothing is a classifier without a knowledge base: free text is not
// what this test is about.
type knowsNothing struct{}

func (knowsNothing) Classify(string) flows.Classification { return flows.Classification{Kind: "none"} }
func (knowsNothing) Answer(string, supportbot.Lang) (string, string, bool) {
	return "", "", false
}
func (knowsNothing) Title(id string, _ supportbot.Lang) string { return id }
func (knowsNothing) AnsweredBy(string) string                  { return "" }

// The console on the real engine, the embedded core and the demo data, as
// "supportbot" without a token runs it, with piped input.
func TestConsoleOnTheEngine(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, loc)
	clock := func() time.Time { return now }
	ctx := context.Background()
	db, _ := storetest.Open(t)
	db.Now = clock
	data, err := importer.Parse(demo.DataAt(now, loc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, data); err != nil {
		t.Fatal(err)
	}
	cat, err := locale.Load()
	if err != nil {
		t.Fatal(err)
	}
	refs, err := supportbot.NewChatRefs([]byte("a test deployment's 32-byte key!"))
	if err != nil {
		t.Fatal(err)
	}
	eng := flows.New(flows.Config{Store: stateStore{db}, Core: embedcore.New(db, loc, clock), Catalog: cat,
		Classifier: knowsNothing{}, Answers: knowsNothing{}, Location: loc, Now: clock, Hotline: "400-100-5678",
		CoreEvents: embeddedEvents{db}, ChatRefs: refs})

	input := strings.Join([]string{
		"/bill",                      // not identified yet: asked to share a phone
		"1",                          // the share button: the console says how
		"/contact_of 99 13900139000", // someone else's contact: refused
		"/contact 13800138000",       // 张伟, typed as people in China write it
		"1",                          // the first button of 张伟's bills
	}, "\n")
	var out bytes.Buffer
	c := &console.Chat{Handler: eng, Outbox: db, In: strings.NewReader(input), Out: &out, UserID: 1,
		OnError: func(err error) { t.Errorf("step failed: %v", err) }}
	if err := c.Run(ctx, ""); err != nil {
		t.Fatalf("Run: %v", err)
	}
	transcript := out.String()
	turns := strings.Split(strings.TrimPrefix(transcript, "> "), "\n> ")
	if len(turns) != 5 {
		t.Fatalf("%d turns, want 5:\n%s", len(turns), transcript)
	}
	for i, want := range [][]string{
		{firstLine(cat.T(supportbot.LangZH, "identify.ask")), "[1] 📱 分享我的手机号 (/contact PHONE)"},
		{"type /contact PHONE"},
		{cat.T(supportbot.LangZH, "identify.not_own")},
		{cat.T(supportbot.LangZH, "identify.done", "name", "张伟"), "Redmi K70"}, // and the bills asked for
		{"Redmi K70", "还款计划", "主菜单"},                                           // its repayment plan
	} {
		for _, w := range want {
			if !strings.Contains(turns[i], w) {
				t.Errorf("turn %d lacks %q:\n%s", i+1, w, turns[i])
			}
		}
	}
	if msgs, err := db.ChatMessages(ctx, 1); err != nil || len(msgs) != 0 {
		t.Errorf("%d printed messages left in the outbox (%v)", len(msgs), err)
	}
	if t.Failed() {
		t.Logf("transcript:\n%s", transcript)
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return line
}
