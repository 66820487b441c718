package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/store"
	"supportbot/store/storetest"
)

func TestNoticeSetArguments(t *testing.T) {
	ok := []struct {
		name string
		args []string
		want noticeSet
	}{
		{"local time, flags first", []string{"--until", "2026-11-22 18:00", "分期暂停", "Paused"},
			noticeSet{zh: "分期暂停", en: "Paused", until: time.Date(2026, 11, 22, 18, 0, 0, 0, shanghai)}},
		{"RFC 3339, broadcast last", []string{"--until=2026-11-22T10:00:00Z", "分期暂停", "Paused", "--broadcast"},
			noticeSet{zh: "分期暂停", en: "Paused", until: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC), broadcast: true}},
		{"single dash, spaces collapsed", []string{"-broadcast", "分期\n暂停", "Paused  for  now", "-until", "2026-11-22 18:00"},
			noticeSet{zh: "分期 暂停", en: "Paused for now", until: time.Date(2026, 11, 22, 18, 0, 0, 0, shanghai), broadcast: true}},
		{"texts after --", []string{"--until", "2026-11-22 18:00", "--", "-50% 手续费", "-50% fee"},
			noticeSet{zh: "-50% 手续费", en: "-50% fee", until: time.Date(2026, 11, 22, 18, 0, 0, 0, shanghai)}},
	}
	for _, tc := range ok {
		got, err := parseNoticeSet(tc.args, shanghai)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got.zh != tc.want.zh || got.en != tc.want.en || !got.until.Equal(tc.want.until) || got.broadcast != tc.want.broadcast {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	bad := []struct {
		args []string
		want string
	}{
		{[]string{"分期暂停", "Paused"}, "--until is required"},
		{[]string{"--until"}, "--until needs a time"},
		{[]string{"--until", "tomorrow", "a", "b"}, `--until "tomorrow"`},
		{[]string{"--until", "2026-11-22 25:00", "a", "b"}, "--until"},
		{[]string{"--until", "2026-11-22 18:00", "--until", "2026-11-23 18:00", "a", "b"}, "given twice"},
		{[]string{"--until", "2026-11-22 18:00", "only one"}, "want two texts"},
		{[]string{"--until", "2026-11-22 18:00", "a", "b", "c"}, "want two texts"},
		{[]string{"--until", "2026-11-22 18:00", "维护中\x1b[2J", "down"}, "control characters"},
		{[]string{"--until", "2026-11-22 18:00", "维护中", "\u202eabc"}, "direction controls"},
		{[]string{"--until", "2026-11-22 18:00", " ", "b"}, "must not be empty"},
		{[]string{"--until", "2026-11-22 18:00", "a", strings.Repeat("b", store.MaxAnnouncement+1)}, "the English text has 501 characters"},
		{[]string{"--until", "2026-11-22 18:00", "a", "b", "--loud"}, "unknown flag --loud"},
		{[]string{"--until", "2026-11-22 18:00", "a", "b", "--broadcast=yes"}, "unknown flag"},
	}
	for _, tc := range bad {
		_, err := parseNoticeSet(tc.args, shanghai)
		var usage usageError
		if !errors.As(err, &usage) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want a usage error saying %q", tc.args, err, tc.want)
		}
	}
}

func TestNoticeSetAndClearCommands(t *testing.T) {
	cfg := storetest.Config(t)
	vars := map[string]string{}
	dbEnv(vars, cfg)
	run := func(args ...string) (string, error) {
		t.Helper()
		var out, errOut bytes.Buffer
		err := Run(context.Background(), args, env(vars), strings.NewReader(""), &out, &errOut)
		return out.String(), err
	}
	text := func() string {
		t.Helper()
		db, err := store.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		zh, err := db.AnnouncementText(context.Background(), supportbot.LangZH)
		if err != nil {
			t.Fatal(err)
		}
		en, err := db.AnnouncementText(context.Background(), supportbot.LangEN)
		if err != nil {
			t.Fatal(err)
		}
		return zh + "|" + en
	}
	var usage usageError
	for _, args := range [][]string{{"notice"}, {"notice", "show"}, {"notice", "clear", "now"}, {"notice", "set", "a", "b"}} {
		if _, err := run(args...); !errors.As(err, &usage) {
			t.Errorf("%q: err = %v, want a usage error", args, err)
		}
	}
	if _, err := run("notice", "set", "--until", "2000-01-01 00:00", "分期暂停", "Paused"); err == nil || !strings.Contains(err.Error(), "not in the future") {
		t.Errorf("a notice that already ended: err = %v", err)
	}
	// A century ahead, a year mistyped (an operator probe: accepted).
	far := time.Now().AddDate(100, 0, 0).In(shanghai).Format("2006-01-02 15:04")
	if _, err := run("notice", "set", "--until", far, "分期暂停", "Paused"); !errors.As(err, &usage) || !strings.Contains(err.Error(), "more than 366 days away") {
		t.Errorf("a notice a century long: err = %v, want a usage error", err)
	}
	if got := text(); got != "|" {
		t.Errorf("after the refused notices the texts are %q, want none", got)
	}
	until := time.Now().Add(48 * time.Hour).In(shanghai).Format("2006-01-02 15:04")
	out, err := run("notice", "set", "--until", until, "分期功能暂停，请在小米金融 App 还款", "Installments paused; repay in the Mi Finance app", "--broadcast")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "active until "+until+" (Asia/Shanghai)") || !strings.Contains(out, "broadcast:") {
		t.Errorf("set said %q", out)
	}
	if got := text(); got != "分期功能暂停，请在小米金融 App 还款|Installments paused; repay in the Mi Finance app" {
		t.Errorf("stored %q", got)
	}
	// The audit keeps the end as the operator said it, in the service's
	// time (an operator probe: UTC beside the command's local time).
	if audit, err := run("audit", "--json"); err != nil || !strings.Contains(audit, `"until":"`+strings.Replace(until, " ", "T", 1)+`:00+08:00"`) {
		t.Errorf("audit of the notice: %v\n%s", err, audit)
	}
	// The same command again: the same notice, sent to nobody twice.
	if again, err := run("notice", "set", "--until", until, "分期功能暂停，请在小米金融 App 还款", "Installments paused; repay in the Mi Finance app", "--broadcast"); err != nil ||
		!strings.Contains(again, "the same texts, now active until "+until) || !strings.Contains(again, "nobody is sent it a second time") {
		t.Errorf("set again: %q, %v", again, err)
	}
	if out, err := run("notice", "set", "--until", until, "新公告", "New notice"); err != nil || strings.Contains(out, "broadcast:") {
		t.Errorf("replace: %q, %v", out, err)
	}
	if got := text(); got != "新公告|New notice" {
		t.Errorf("after replacing, stored %q", got)
	}
	if out, err := run("notice", "clear"); err != nil || !strings.Contains(out, "notice cleared") {
		t.Errorf("clear: %q, %v", out, err)
	}
	if got := text(); got != "|" {
		t.Errorf("after clearing, stored %q", got)
	}
	if out, err := run("notice", "clear"); err != nil || !strings.Contains(out, "no notice was active") {
		t.Errorf("clear again: %q, %v", out, err)
	}
}

func TestReminderConfigNamesTheBadVariable(t *testing.T) {
	c, err := LoadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.ReminderDays) != 2 || c.ReminderDays[0] != 3 || c.ReminderDays[1] != 1 || c.ReminderHour != 10 {
		t.Errorf("defaults: days %v, hour %d; want [3 1], 10", c.ReminderDays, c.ReminderHour)
	}
	c, err = LoadConfig(env(map[string]string{"REMINDER_DAYS": "7, 2,1", "REMINDER_HOUR": "9"}))
	if err != nil || len(c.ReminderDays) != 3 || c.ReminderDays[0] != 7 || c.ReminderHour != 9 {
		t.Errorf("REMINDER_DAYS=7,2,1 REMINDER_HOUR=9: %v, %d, %v", c.ReminderDays, c.ReminderHour, err)
	}
	for _, tc := range []struct{ key, value string }{
		{"REMINDER_DAYS", "0"}, {"REMINDER_DAYS", "3,3"}, {"REMINDER_DAYS", "3,x"}, {"REMINDER_DAYS", "40"}, {"REMINDER_DAYS", ","},
		{"REMINDER_HOUR", "8"}, {"REMINDER_HOUR", "21"}, {"REMINDER_HOUR", "ten"},
	} {
		_, err := LoadConfig(env(map[string]string{tc.key: tc.value}))
		if err == nil || !strings.HasPrefix(err.Error(), tc.key+":") {
			t.Errorf("%s=%q: err = %v, want one naming %s", tc.key, tc.value, err, tc.key)
		}
	}
}
