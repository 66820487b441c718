package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigDefaults(t *testing.T) {
	c, err := LoadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabasePath != "data/supportbot.db" || c.Location.String() != "Asia/Shanghai" || c.Hours.String() != "09:00-21:00" ||
		!strings.HasPrefix(c.APIEndpoint, "https://api.telegram.org/") {
		t.Errorf("defaults: %+v", c)
	}
}

func TestConfigNamesTheBadVariable(t *testing.T) {
	for _, tt := range []struct{ key, value string }{
		{"AGENT_CHAT_ID", "staff"},
		{"AGENT_USER_IDS", "1,two"},
		{"BUSINESS_HOURS", "9am-9pm"},
		{"BUSINESS_HOURS", "21:00-09:00"},
		{"SUPPORT_TIMEZONE", "Mars/Olympus"},
		{"LOG_LEVEL", "loud"},
		{"LOG_FORMAT", "xml"},
		{"TELEGRAM_API_ENDPOINT", "http://127.0.0.1:8081/"},
		{"TELEGRAM_API_ENDPOINT", "127.0.0.1:1/bot%s/%s"}, // no scheme: not retried as if Telegram were down
		{"TELEGRAM_API_ENDPOINT", "ftp://x/bot%s/%s"},
		{"AGENT_CHAT_ID", "5001"},  // a person's chat: no topics to hand off into
		{"AGENT_USER_IDS", "9001"}, // agents with no staff group
		{"LISTEN_ADDR", "notaport"},
		{"LISTEN_ADDR", ":99999"},
		{"WEBHOOK_URL", "not a url"},
		{"WEBHOOK_URL", "https://bot.example.com/metrics"}, // the bot's own paths
		{"WEBHOOK_URL", "https://bot.example.com/core/events"},
		{"SUPPORT_HOTLINE", "400-100\n5678"}, // customers read it (an operator's probe)
	} {
		_, err := LoadConfig(env(map[string]string{tt.key: tt.value}))
		if err == nil || !strings.HasPrefix(err.Error(), tt.key+":") {
			t.Errorf("%s=%q: error %v, want one naming %s", tt.key, tt.value, err, tt.key)
		}
	}
	if c, err := LoadConfig(env(map[string]string{"LOG_FORMAT": "JSON"})); err != nil || c.LogFormat != "json" {
		t.Errorf("LOG_FORMAT=JSON: %v, %q (LOG_LEVEL=DEBUG is taken; so is this)", err, c.LogFormat)
	}
	_, err := LoadConfig(env(map[string]string{"WEBHOOK_URL": "https://bot.example.com/hook"}))
	if err == nil || !strings.Contains(err.Error(), "WEBHOOK_SECRET") {
		t.Errorf("webhook without secret: %v", err)
	}
}

// TestConfigOfTheCore: CORE_URL needs CORE_TOKEN and CORE_EVENTS_SECRET;
// each error names its variable, and a bad DATABASE_URL does not show its
// password.
func TestConfigOfTheCore(t *testing.T) {
	for _, tt := range []struct {
		vars map[string]string
		key  string
	}{
		{map[string]string{"CORE_URL": "core.internal/v1", "CORE_TOKEN": "t", "CORE_EVENTS_SECRET": "s"}, "CORE_URL"},
		{map[string]string{"CORE_URL": "ftp://core.internal/v1", "CORE_TOKEN": "t", "CORE_EVENTS_SECRET": "s"}, "CORE_URL"},
		{map[string]string{"CORE_URL": "https://core.internal/v1", "CORE_EVENTS_SECRET": "s"}, "CORE_TOKEN"},
		{map[string]string{"CORE_URL": "https://core.internal/v1", "CORE_TOKEN": "t"}, "CORE_EVENTS_SECRET"},
		{map[string]string{"DATABASE_URL": "mysql://bot:hunter2@db/bot"}, "DATABASE_URL"},
		// an operator's probe: a password in CORE_URL, a token in the endpoint, were quoted
		{map[string]string{"CORE_URL": "ftp://svc:hunter2@core.internal/v1", "CORE_TOKEN": "t", "CORE_EVENTS_SECRET": "s"}, "CORE_URL"},
		{map[string]string{"TELEGRAM_API_ENDPOINT": "https://api.telegram.org/bot123456:AAHhunter2hunter2hunter2xx/%s/%s"}, "TELEGRAM_API_ENDPOINT"},
		{map[string]string{"TELEGRAM_API_ENDPOINT": "https://api.telegram.org/bot123456:AAHhunter2hunter2hunter2xx/%s"}, "TELEGRAM_API_ENDPOINT"},
	} {
		_, err := LoadConfig(env(tt.vars))
		if err == nil || !strings.HasPrefix(err.Error(), tt.key+":") {
			t.Errorf("%v: error %v, want one naming %s", tt.vars, err, tt.key)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
	c, err := LoadConfig(env(map[string]string{"CORE_URL": "https://core.internal/v1", "CORE_TOKEN": "t", "CORE_EVENTS_SECRET": "s",
		"DATABASE_URL": "postgres://bot@db:5432/bot"}))
	if err != nil || c.CoreURL != "https://core.internal/v1" || c.CoreToken != "t" || c.CoreEventsSecret != "s" || c.DatabaseURL == "" {
		t.Errorf("a core and PostgreSQL: %+v, %v", c, err)
	}
}

func TestConfigParsesAgents(t *testing.T) {
	c, err := LoadConfig(env(map[string]string{"AGENT_CHAT_ID": "-1001234", "AGENT_USER_IDS": " 11, 22 ,"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.AgentChatID != -1001234 || len(c.AgentUserIDs) != 2 || c.AgentUserIDs[1] != 22 {
		t.Errorf("got %+v", c)
	}
}

// TestABrokenDotEnvStopsStartUp: a .env that cannot be parsed was ignored
// whole, and the bot started on another database, without its token. It is
// an error now; no .env at all is fine.
func TestABrokenDotEnvStopsStartUp(t *testing.T) {
	t.Chdir(t.TempDir())
	if _, _, err := environ(); err != nil {
		t.Fatalf("no .env: %v, want none", err)
	}
	if err := os.WriteFile(".env", []byte("DATABASE_PATH=/tmp/x.db\nTELEGRAM_BOT_TOKEN=\"123:SECRETSECRET\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := environ(); err == nil || !strings.HasPrefix(err.Error(), ".env:") || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("a .env with an unterminated quote: %v, want an error naming .env, without the value", err)
	}
	// An operator's probe: a single quote let the value through, and lines
	// that are not NAME=value were variables of strange names, the token
	// silently missing.
	for _, line := range []string{"TELEGRAM_BOT_TOKEN='123:SECRETSECRET", "TELEGRAM BOT TOKEN=123:SECRETSECRET",
		"TOKEN 123:SECRETSECRET", "123:SECRETSECRET"} {
		if err := os.WriteFile(".env", []byte("DATABASE_PATH=/tmp/x.db\n"+line+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, err := environ()
		if err == nil || !strings.HasPrefix(err.Error(), ".env:") || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "123") {
			t.Errorf(".env line %q: %v, want an error naming .env, without the value", line, err)
		}
	}
	// The line is named (a probe: "foo bar", an unterminated quote: no line).
	for src, want := range map[string]string{"A=1\nfoo bar\n": ".env: line 2 ", "A=1\n# note\n\nC=\"unterminated\nD=2\n": ".env: line 4 "} {
		if err := os.WriteFile(".env", []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := environ(); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf(".env %q: %v, want an error starting %q", src, err, want)
		}
	}
	if err := os.WriteFile(".env", []byte("\uFEFFDATABASE_PATH=/tmp/bom.db\n"), 0o600); err != nil { // saved on Windows
		t.Fatal(err)
	}
	if get, _, err := environ(); err != nil || get("DATABASE_PATH") != "/tmp/bom.db" && os.Getenv("DATABASE_PATH") == "" {
		t.Errorf("a .env with a byte-order mark: %v", err)
	}
	if err := os.WriteFile(".env", []byte("DATABASE_PATH=/tmp/x.db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if get, _, err := environ(); err != nil || get("DATABASE_PATH") != "/tmp/x.db" && os.Getenv("DATABASE_PATH") == "" {
		t.Errorf("a good .env: %v", err)
	}
}

// TestADotEnvNameNoSettingReadsIsWarnedOf: TELEGRAM_TOKEN typed for
// TELEGRAM_BOT_TOKEN was ignored without a word, and the bot started as the
// console chat on the demo data (an operator probe). Names no setting reads
// are said on stderr; the settings' own are not.
func TestADotEnvNameNoSettingReadsIsWarnedOf(t *testing.T) {
	t.Chdir(t.TempDir())
	src := "TELEGRAM_TOKEN=123:abc\nDATABASE_PATH=/tmp/x.db\nSUPPORT_HOTLINE=400-1\nAGENT_CHAT_ID=-100123\nREMINDER_HOUR=10\nGOGC=50\n"
	if err := os.WriteFile(".env", []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	get, dotenv, err := environ()
	if err != nil {
		t.Fatal(err)
	}
	var w strings.Builder
	warnUnread(&w, get, dotenv)
	if got := w.String(); !strings.Contains(got, ".env sets GOGC,") || !strings.Contains(got, ".env sets TELEGRAM_TOKEN,") ||
		strings.Count(got, "\n") != 2 || strings.Contains(got, "abc") {
		t.Errorf("warned:\n%s\nwant GOGC and TELEGRAM_TOKEN named (GOGC is read from the environment only), nothing else, no value", got)
	}
}

// TestNoTokenAndNoInputIsAnError: a service without its token (stdin
// /dev/null, as systemd gives it) loaded the demo customers into its
// database as the console chat, and ended at once to be restarted for ever
// (an operator probe). It is an error now, and no database is made.
func TestNoTokenAndNoInputIsAnError(t *testing.T) {
	dir := t.TempDir()
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	var out bytes.Buffer
	path := dir + "/live.db"
	err = Run(context.Background(), nil, env(map[string]string{"DATABASE_PATH": path}), null, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "TELEGRAM_BOT_TOKEN is not set") {
		t.Errorf("no token, stdin /dev/null: %v, want an error naming the token", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the database was made: %v", err)
	}
}

// TestAnUnsetHotlineIsWarnedOf: customers no agent can take are told
// SUPPORT_HOTLINE; left unset it is the demo's made-up number, and the
// operator is warned at start — not when it is set.
func TestAnUnsetHotlineIsWarnedOf(t *testing.T) {
	const warning = "SUPPORT_HOTLINE is not set"
	unset := MustRunMain(t, "LOG_LEVEL", "warn")
	deadline := time.Now().Add(60 * time.Second) // a start-up, not a speed: a loaded CI machine took over 5 s
	for !strings.Contains(unset.logs.String(), warning) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(unset.logs.String(), warning) {
		t.Errorf("no warning of the demo's hotline:\n%s", unset.logs.String())
	}
	set := MustRunMain(t, "LOG_LEVEL", "warn", "SUPPORT_HOTLINE", "95188")
	c := set.customer(7801, "zh")
	c.say("/agent", "95188") // no staff chat: the hotline, the one set
	if strings.Contains(set.logs.String(), warning) {
		t.Errorf("warned of the hotline although it is set:\n%s", set.logs.String())
	}
}

// TestTheDatabaseIsNamedWithoutItsPassword: a command names the database
// it is about — PostgreSQL's URL without a password, in its user part or
// its query (a review: "?password=…" was printed as it was).
func TestTheDatabaseIsNamedWithoutItsPassword(t *testing.T) {
	for url, want := range map[string]string{
		"postgres://sb:hunter2@db.internal:5432/sb?sslmode=require": "postgres://sb:xxxxx@db.internal:5432/sb (DATABASE_URL)",
		"postgres://sb@db.internal/sb?password=hunter2":             "postgres://sb@db.internal/sb (DATABASE_URL)",
	} {
		if got := (Config{DatabaseURL: url}).databaseName(); got != want {
			t.Errorf("databaseName(%s) = %s, want %s", url, got, want)
		}
	}
	if got := (Config{DatabasePath: "data/supportbot.db"}).databaseName(); got != "data/supportbot.db" {
		t.Errorf("databaseName of a SQLite file = %s", got)
	}
}
