package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"supportbot"
	"supportbot/store"
)

const noticeUsage = `usage:
  supportbot notice set --until TIME "text zh" "text en" [--broadcast]
      TIME is RFC 3339 (2026-11-22T18:00:00+08:00) or "YYYY-MM-DD HH:MM" in SUPPORT_TIMEZONE
  supportbot notice clear`

// noticeSet is what `notice set` was asked to do.
type noticeSet struct {
	zh, en    string
	until     time.Time
	broadcast bool
}

// runNotice runs `supportbot notice set|clear`: the operator's service notice
// ("the installment feature is down; repay in the finance app"), one at a
// time. The running bot shows it and, with --broadcast, sends it; this
// command only records it.
func runNotice(ctx context.Context, cfg Config, args []string, out io.Writer) error {
	if len(args) == 0 {
		return usageError(noticeUsage)
	}
	var set noticeSet
	switch args[0] {
	case "set":
		var err error
		if set, err = parseNoticeSet(args[1:], cfg.Location); err != nil {
			return err
		}
		if set.until.After(time.Now().AddDate(0, 0, noticeMaxDays)) {
			// "2126-12-07 10:00" for 2026: a notice every customer would see
			// for a century (an operator probe: accepted without a word).
			return usageError(fmt.Sprintf("notice set: --until %s is more than %d days away: a notice shows at /start, in bills and quotes until then — a typo?\n%s",
				set.until.In(cfg.Location).Format("2006-01-02 15:04"), noticeMaxDays, noticeUsage))
		}
	case "clear":
		if len(args) != 1 {
			return usageError("notice clear takes no arguments\n" + noticeUsage)
		}
	default:
		return usageError(noticeUsage)
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "clear" {
		cleared, err := db.ClearAnnouncement(ctx)
		if err != nil {
			return err
		}
		if !cleared {
			fmt.Fprintln(out, "no notice was active")
			return nil
		}
		fmt.Fprintln(out, "notice cleared: no longer shown or broadcast")
		return nil
	}
	id, kept, err := db.SetAnnouncement(ctx, set.zh, set.en, set.until, set.broadcast)
	if supportbot.ErrorCode(err) == supportbot.EINVALID {
		return fmt.Errorf("notice: %s", supportbot.ErrorMessage(err))
	} else if err != nil {
		return err
	}
	until := set.until.In(cfg.Location).Format("2006-01-02 15:04")
	if kept {
		// The same texts again: the same notice, its end moved; whoever
		// was sent it is not sent it again (a probe: a second run
		// broadcast it to everyone twice).
		fmt.Fprintf(out, "notice %d, the same texts, now active until %s (%s); nobody is sent it a second time\n", id, until, cfg.Location)
	} else {
		fmt.Fprintf(out, "notice %d active until %s (%s): shown at /start, in bill replies and repayment quotes; any earlier notice is replaced\n",
			id, until, cfg.Location)
	}
	if set.broadcast {
		fmt.Fprintln(out, "broadcast: the running bot sends it once to every linked chat it can reach, in batches, between 09:00 and 21:00 support time")
	}
	return nil
}

// noticeMaxDays bounds how far ahead a notice may last.
const noticeMaxDays = 366

// parseNoticeSet reads `--until TIME "text zh" "text en" [--broadcast]`, the
// flags before or after the texts; "--" ends the flags (for a text that starts
// with "-"). Runs of white space in a text become one space: it is shown as
// one line.
func parseNoticeSet(args []string, loc *time.Location) (noticeSet, error) {
	var n noticeSet
	bad := func(format string, a ...any) (noticeSet, error) {
		return noticeSet{}, usageError("notice set: " + fmt.Sprintf(format, a...) + "\n" + noticeUsage)
	}
	var texts []string
	until := ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		switch {
		case arg == "--":
			texts = append(texts, args[i+1:]...)
			i = len(args)
		case !strings.HasPrefix(arg, "-") || arg == "-":
			texts = append(texts, arg)
		case name == "broadcast" && !hasValue:
			n.broadcast = true
		case name == "until":
			if until != "" {
				return bad("--until given twice")
			}
			if !hasValue {
				if i+1 == len(args) {
					return bad("--until needs a time")
				}
				i++
				value = args[i]
			}
			if until = strings.TrimSpace(value); until == "" {
				return bad("--until needs a time")
			}
		default:
			return bad("unknown flag %s", arg)
		}
	}
	if until == "" {
		return bad("--until is required")
	}
	t, err := parseNoticeTime(until, loc)
	if err != nil {
		return bad("--until %q: want RFC 3339 or \"YYYY-MM-DD HH:MM\"", until)
	}
	n.until = t
	if len(texts) != 2 {
		return bad("want two texts, Chinese then English; got %d", len(texts))
	}
	n.zh, n.en = strings.Join(strings.Fields(texts[0]), " "), strings.Join(strings.Fields(texts[1]), " ")
	if n.zh == "" || n.en == "" {
		return bad("the Chinese and the English text must not be empty")
	}
	if err := checkCustomerText(n.zh); err != nil {
		return bad("the Chinese text %v", err)
	}
	if err := checkCustomerText(n.en); err != nil {
		return bad("the English text %v", err)
	}
	return n, nil
}

// checkCustomerText refuses an operator's text that reaches customers' chats
// as written (a notice, a closure rejection's reason): control characters
// would end up in the chat (a newline, a terminal escape), and a text over
// store.MaxAnnouncement characters would arrive cut into several messages.
// The error completes a sentence: "the reason " + err.
func checkCustomerText(text string) error {
	if strings.ContainsFunc(text, unicode.IsControl) {
		return errors.New("must not contain control characters (it reaches the customers' chats as written)")
	}
	if strings.ContainsFunc(text, supportbot.BidiControl) {
		return errors.New("must not contain direction controls (U+202A–U+202E, U+2066–U+2069): they make the text read otherwise than it is")
	}
	if n := utf8.RuneCountInString(text); n > store.MaxAnnouncement {
		return fmt.Errorf("has %d characters, more than the %d a customer is sent", n, store.MaxAnnouncement)
	}
	return nil
}

// parseNoticeTime reads RFC 3339, or "YYYY-MM-DD HH:MM" in loc.
func parseNoticeTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.ParseInLocation("2006-01-02 15:04", s, loc)
}
