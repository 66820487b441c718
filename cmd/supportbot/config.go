package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"supportbot"
)

// Config is the bot's configuration, from the environment and .env.
type Config struct {
	Token         string
	APIEndpoint   string // format string: token, then method
	DatabasePath  string
	AgentChatID   int64
	AgentUserIDs  []int64
	WebhookURL    string
	WebhookSecret string
	ListenAddr    string
	Location      *time.Location
	Hours         supportbot.BusinessHours
	Hotline       string
	LogLevel      slog.Level
	LogFormat     string
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
		Token:         get("TELEGRAM_BOT_TOKEN", ""),
		APIEndpoint:   get("TELEGRAM_API_ENDPOINT", "https://api.telegram.org/bot%s/%s"),
		DatabasePath:  get("DATABASE_PATH", "data/supportbot.db"),
		WebhookURL:    get("WEBHOOK_URL", ""),
		WebhookSecret: get("WEBHOOK_SECRET", ""),
		ListenAddr:    get("LISTEN_ADDR", ":8080"),
		Hotline:       get("SUPPORT_HOTLINE", "400-100-5678"),
		LogFormat:     get("LOG_FORMAT", "text"),
	}
	var err error
	if n := strings.Count(c.APIEndpoint, "%s"); n != 2 {
		return c, fmt.Errorf("TELEGRAM_API_ENDPOINT: want a format with two %%s (token, method), like http://127.0.0.1:8081/bot%%s/%%s; got %q", c.APIEndpoint)
	}
	if v := get("AGENT_CHAT_ID", ""); v != "" {
		if c.AgentChatID, err = strconv.ParseInt(v, 10, 64); err != nil {
			return c, fmt.Errorf("AGENT_CHAT_ID: not a chat id: %q", v)
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
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return c, fmt.Errorf("WEBHOOK_URL: not an http(s) URL: %q", c.WebhookURL)
		}
		if c.WebhookSecret == "" {
			return c, fmt.Errorf("WEBHOOK_SECRET: required when WEBHOOK_URL is set")
		}
	}
	if c.WebhookSecret != "" && !validSecret(c.WebhookSecret) {
		return c, fmt.Errorf("WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and - only")
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
	return c, nil
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
