package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"supportbot"
	"supportbot/bot"
)

// Config is the bot's configuration, from the environment and .env.
type Config struct {
	Token        string
	APIEndpoint  string // format string: token, then method
	DatabasePath string
	// DatabaseURL (postgres://…) selects PostgreSQL instead of SQLite.
	DatabaseURL string
	// CoreURL selects the installment core system over HTTP (CORE_API.md);
	// empty: the embedded core over the bot's database.
	CoreURL          string
	CoreToken        string
	CoreEventsSecret string
	AgentChatID      int64
	AgentUserIDs     []int64
	WebhookURL       string
	WebhookSecret    string
	ListenAddr       string
	Location         *time.Location
	Hours            supportbot.BusinessHours
	Hotline          string
	LogLevel         slog.Level
	LogFormat        string
	// ReminderDays and ReminderHour: due-date reminders go out this many days
	// before a due date, from this hour support time (REMINDER_DAYS,
	// REMINDER_HOUR).
	ReminderDays []int
	ReminderHour int
	// DemoHotline is set when SUPPORT_HOTLINE is not: customers are told
	// the demo's number, which a deployment must replace.
	DemoHotline bool
	// Limits are the sending limits, from SEND_LIMITS; zero means
	// bot.DefaultLimits (Telegram's). Only a local test server takes more.
	Limits bot.Limits
}

// LoadConfig reads the configuration through getenv; a bad value is an error
// naming the variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Token:            get("TELEGRAM_BOT_TOKEN", ""),
		APIEndpoint:      get("TELEGRAM_API_ENDPOINT", "https://api.telegram.org/bot%s/%s"),
		DatabasePath:     get("DATABASE_PATH", "data/supportbot.db"),
		DatabaseURL:      get("DATABASE_URL", ""),
		CoreURL:          get("CORE_URL", ""),
		CoreToken:        get("CORE_TOKEN", ""),
		CoreEventsSecret: get("CORE_EVENTS_SECRET", ""),
		WebhookURL:       get("WEBHOOK_URL", ""),
		WebhookSecret:    get("WEBHOOK_SECRET", ""),
		ListenAddr:       get("LISTEN_ADDR", ":8080"),
		Hotline:          get("SUPPORT_HOTLINE", "400-100-5678"),
		LogFormat:        strings.ToLower(get("LOG_FORMAT", "text")),
	}
	c.DemoHotline = get("SUPPORT_HOTLINE", "") == ""
	if strings.ContainsFunc(c.Hotline, unicode.IsControl) { // customers read it in a line of text
		return c, fmt.Errorf("SUPPORT_HOTLINE: want one line, without control characters")
	}
	var err error
	if tokenShaped.MatchString(c.APIEndpoint) {
		// Written into the URL, the token would be in every transport
		// error logged, where the one in TELEGRAM_BOT_TOKEN is scrubbed.
		return c, fmt.Errorf("TELEGRAM_API_ENDPOINT: holds what looks like a bot token: the token goes in TELEGRAM_BOT_TOKEN, the endpoint's first %%s")
	}
	if n := strings.Count(c.APIEndpoint, "%s"); n != 2 {
		return c, fmt.Errorf("TELEGRAM_API_ENDPOINT: want a format with two %%s (token, method), like http://127.0.0.1:8081/bot%%s/%%s; got %q", quotable(c.APIEndpoint))
	}
	if u, err := url.Parse(fmt.Sprintf(c.APIEndpoint, "TOKEN", "getMe")); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return c, fmt.Errorf("TELEGRAM_API_ENDPOINT: not an http(s) URL: %q", quotable(c.APIEndpoint))
	}
	if v := get("AGENT_CHAT_ID", ""); v != "" {
		// A group's id is negative (a supergroup's -100…); a positive id is
		// a person's, whose chat has no topics to hand off into.
		if c.AgentChatID, err = strconv.ParseInt(v, 10, 64); err != nil || c.AgentChatID >= 0 {
			return c, fmt.Errorf("AGENT_CHAT_ID: not a group's chat id (a supergroup's is negative, -100…): %q", v)
		}
	}
	for _, f := range strings.Split(get("AGENT_USER_IDS", ""), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return c, fmt.Errorf("AGENT_USER_IDS: not a user id: %q", f)
		}
		c.AgentUserIDs = append(c.AgentUserIDs, id)
	}
	if len(c.AgentUserIDs) > 0 && c.AgentChatID == 0 {
		return c, fmt.Errorf("AGENT_USER_IDS: set without AGENT_CHAT_ID, the staff group they work in")
	}
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil || !validPort(port) {
		return c, fmt.Errorf("LISTEN_ADDR: want host:port or :port, like :8080; got %q", c.ListenAddr)
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return c, fmt.Errorf("WEBHOOK_URL: not an http(s) URL: %q", c.WebhookURL)
		}
		if p := webhookPath(u); p == "/healthz" || p == "/metrics" || p == "/core/events" {
			return c, fmt.Errorf("WEBHOOK_URL: its path %s is the bot's own; choose another (like /telegram)", p)
		}
		if c.WebhookSecret == "" {
			return c, fmt.Errorf("WEBHOOK_SECRET: required when WEBHOOK_URL is set")
		}
	}
	if c.WebhookSecret != "" && !validSecret(c.WebhookSecret) {
		return c, fmt.Errorf("WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and - only")
	}
	if c.DatabaseURL != "" {
		u, err := url.Parse(c.DatabaseURL)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return c, fmt.Errorf("DATABASE_URL: want postgres://user:password@host:port/database, got a %q URL", schemeOf(c.DatabaseURL))
		}
	}
	if c.CoreURL != "" {
		u, err := url.Parse(c.CoreURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return c, fmt.Errorf("CORE_URL: not an http(s) URL: %q", quotable(c.CoreURL))
		}
		if c.CoreToken == "" {
			return c, fmt.Errorf("CORE_TOKEN: required when CORE_URL is set")
		}
		if c.CoreEventsSecret == "" {
			return c, fmt.Errorf("CORE_EVENTS_SECRET: required when CORE_URL is set (the core signs its events with it)")
		}
	}
	tz := get("SUPPORT_TIMEZONE", "Asia/Shanghai")
	if c.Location, err = time.LoadLocation(tz); err != nil {
		return c, fmt.Errorf("SUPPORT_TIMEZONE: unknown timezone %q", tz)
	}
	if c.Hours, err = supportbot.ParseBusinessHours(get("BUSINESS_HOURS", "09:00-21:00")); err != nil {
		return c, fmt.Errorf("BUSINESS_HOURS: %w", err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(get("LOG_LEVEL", "info"))); err != nil {
		return c, fmt.Errorf("LOG_LEVEL: want debug, info, warn or error: %q", getenv("LOG_LEVEL"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return c, fmt.Errorf("LOG_FORMAT: want text or json: %q", c.LogFormat)
	}
	if c.ReminderDays, err = parseReminderDays(get("REMINDER_DAYS", "3,1")); err != nil {
		return c, fmt.Errorf("REMINDER_DAYS: want days before a due date from 1 to 31, comma-separated, like 3,1: %q", getenv("REMINDER_DAYS"))
	}
	if c.ReminderHour, err = strconv.Atoi(get("REMINDER_HOUR", "10")); err != nil || c.ReminderHour < 9 || c.ReminderHour > 20 {
		return c, fmt.Errorf("REMINDER_HOUR: want an hour from 9 to 20 (nothing is sent 21:00-09:00): %q", getenv("REMINDER_HOUR"))
	}
	if v := get("SEND_LIMITS", ""); v != "" {
		if c.Limits, err = parseLimits(v); err != nil {
			return c, fmt.Errorf("SEND_LIMITS: want global/s,per-chat/s,burst,group/min of positive numbers, like 30,1,5,20: %q", v)
		}
	}
	return c, nil
}

// parseLimits reads "global/s,per-chat/s,burst,group/min", e.g. 3000,100,100,6000.
func parseLimits(s string) (bot.Limits, error) {
	f := strings.Split(s, ",")
	if len(f) != 4 {
		return bot.Limits{}, fmt.Errorf("want 4 fields, got %d", len(f))
	}
	var n [4]float64
	for i, v := range f {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(x > 0) || x > 1e9 {
			return bot.Limits{}, fmt.Errorf("field %d: not a positive number", i+1)
		}
		n[i] = x
	}
	burst, err := strconv.Atoi(strings.TrimSpace(f[2]))
	if err != nil {
		return bot.Limits{}, fmt.Errorf("burst: not a whole number")
	}
	return bot.Limits{PerSecond: n[0], PerChat: n[1], PerChatBurst: burst, PerGroupMinute: n[3]}, nil
}

func validSecret(s string) bool {
	if len(s) > 256 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// parseReminderDays reads "3,1": distinct days from 1 to 31.
func parseReminderDays(s string) ([]int, error) {
	var days []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 31 || slices.Contains(days, n) {
			return nil, fmt.Errorf("bad day %q", f)
		}
		days = append(days, n)
	}
	return days, nil
}

// schemeOf is a URL's scheme, for an error that must not show the rest (it
// may hold a password).
// validPort reports a TCP port number (0 picks a free one).
func validPort(port string) bool {
	n, err := strconv.Atoi(port)
	return err == nil && n >= 0 && n <= 65535
}

// tokenShaped is a Telegram bot token: the bot's id, a colon, the secret.
var tokenShaped = regexp.MustCompile(`[0-9]{6,}:[A-Za-z0-9_-]{20,}`)

// databaseName is the database the configuration names, as a command's
// output names it: PostgreSQL's URL without its password, or the SQLite
// file's path.
func (c Config) databaseName() string {
	if c.DatabaseURL != "" {
		name := quotable(c.DatabaseURL)
		if u, err := url.Parse(c.DatabaseURL); err == nil {
			u.RawQuery = "" // ?password=… is a password too
			name = u.Redacted()
		}
		return name + " (DATABASE_URL)"
	}
	return c.DatabasePath
}

// quotable is a URL as an error may quote it: its password
// ("ftp://svc:hunter2@core") left out.
func quotable(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	if at := strings.LastIndex(raw, "@"); at >= 0 { // not a URL the parser takes: everything before the host goes
		return schemeOf(raw) + "://…@" + raw[at+1:]
	}
	return raw
}

func schemeOf(raw string) string {
	if i := strings.Index(raw, "://"); i > 0 {
		return raw[:i]
	}
	return "non"
}

// webhookPath is the path Telegram posts updates to: WEBHOOK_URL's, "/"
// when it has none. The listener serves it exactly, whatever it holds (a
// probe: "/tg%20hook" or "/tg{" made the start-up panic as mux patterns).
func webhookPath(u *url.URL) string {
	if u.Path == "" {
		return "/"
	}
	return u.Path
}
