// Package supportbot holds the domain of the installment support bot: customers,
// plans, bills, money, the channel-neutral events and replies that flow between the
// chat channels and the conversation engine, and the error vocabulary.
//
// It depends on the standard library only; every other package speaks in its types.
package supportbot

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Lang is a conversation language. Chinese is the default.
type Lang string

const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// ParseLang maps a Telegram language_code (or any BCP 47 tag) to a supported
// language: English for "en…", Chinese for everything else.
func ParseLang(code string) Lang {
	if strings.HasPrefix(strings.ToLower(code), "en") {
		return LangEN
	}
	return LangZH
}

// Money is an amount in fen (分), the smallest unit of the yuan. Never a float.
type Money int64

// MaxPlanMoney bounds every amount of one plan: ¥10,000,000 is more than any
// installment plan of an electronics mall means, and far from int64's limits,
// so sums of bounded amounts cannot wrap.
const MaxPlanMoney Money = 10_000_000_00

// MaxMoney bounds any sum the bot computes (a customer's plans together).
const MaxMoney Money = 1_000 * MaxPlanMoney

// ErrMoneyBounds is returned for an amount or a sum outside 0..MaxMoney.
var ErrMoneyBounds = Errorf(EINVALID, "amount out of bounds")

// SumMoney adds amounts, each and the sum within 0..MaxMoney; anything else
// is ErrMoneyBounds, never a wrapped or negative total.
func SumMoney(parts ...Money) (Money, error) {
	var sum Money
	for _, m := range parts {
		if m < 0 || m > MaxMoney || sum > MaxMoney-m {
			return 0, ErrMoneyBounds
		}
		sum += m
	}
	return sum, nil
}

// String formats m as the customer sees it: ¥1,749.44.
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	yuan, fen := v/100, v%100
	digits := fmt.Sprint(yuan)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s¥%s.%02d", sign, b.String(), fen)
}

// Date is a calendar date, "2006-01-02", in the support timezone. Its string
// order is its time order.
type Date string

const dateLayout = "2006-01-02"

// ParseDate checks that s is a valid YYYY-MM-DD date.
func ParseDate(s string) (Date, error) {
	if _, err := time.Parse(dateLayout, s); err != nil {
		return "", Errorf(EINVALID, "not a date: %q", s)
	}
	return Date(s), nil
}

// DateOf is the calendar date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	return Date(t.In(loc).Format(dateLayout))
}

// Time is midnight at the start of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	t, _ := time.ParseInLocation(dateLayout, string(d), loc)
	return t
}

// AddDays is d moved by n days.
func (d Date) AddDays(n int) Date {
	return Date(d.Time(time.UTC).AddDate(0, 0, n).Format(dateLayout))
}

// DaysUntil is the number of days from d to other (negative when other is earlier).
func (d Date) DaysUntil(other Date) int {
	return int(other.Time(time.UTC).Sub(d.Time(time.UTC)).Hours() / 24)
}

// Format renders d the way lang expects: 2026年12月15日 or Dec 15, 2026.
func (d Date) Format(lang Lang) string {
	t := d.Time(time.UTC)
	if t.IsZero() {
		return string(d)
	}
	if lang == LangEN {
		return t.Format("Jan 2, 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// ChatRefKeySize is the size of the secret chat references are keyed with.
const ChatRefKeySize = 32

// ChatRefs names chats in logs and idempotency keys without their ids. A
// chat id is a Telegram user id, about ten digits: an unkeyed hash of it is
// undone by hashing them all. A reference is the HMAC-SHA256 of "chat:<id>"
// under a secret of the deployment, cut to 6 bytes (12 hex digits): the same
// chat has the same reference wherever the same secret is used, and nobody
// without the secret can tell which chat it is.
//
// The zero value has no key; Of panics on it rather than name a chat by a
// hash anyone can undo. Packages that take a ChatRefs refuse the zero value.
type ChatRefs struct{ key []byte }

// NewChatRefs keys references with key, ChatRefKeySize random bytes.
func NewChatRefs(key []byte) (ChatRefs, error) {
	if len(key) != ChatRefKeySize {
		return ChatRefs{}, Errorf(EINVALID, "chat reference key of %d bytes, want %d", len(key), ChatRefKeySize)
	}
	return ChatRefs{key: bytes.Clone(key)}, nil
}

// IsZero reports whether r has no key.
func (r ChatRefs) IsZero() bool { return r.key == nil }

// Of is the reference of chatID.
func (r ChatRefs) Of(chatID int64) string {
	if r.IsZero() {
		panic("supportbot: ChatRefs without a key")
	}
	m := hmac.New(sha256.New, r.key)
	m.Write(strconv.AppendInt([]byte("chat:"), chatID, 10))
	return hex.EncodeToString(m.Sum(nil)[:6])
}

// String shows that r is keyed, never the key: a ChatRefs printed or logged
// by mistake does not give the secret away.
func (r ChatRefs) String() string {
	if r.IsZero() {
		return "ChatRefs(no key)"
	}
	return "ChatRefs(keyed)"
}

// GoString is String, for %#v.
func (r ChatRefs) GoString() string { return r.String() }

// numberRun matches what could be a phone, card or ID number, or the end of
// one (digits, full-width digits, a final X).
var numberRun = regexp.MustCompile(`[0-9０-９]{3,}[xXｘＸ]|[0-9０-９]{4,}[0-9０-９xXｘＸ]*`)

// groupedRun is digits in groups joined by a space (full-width or
// no-break too), a dash or a dot ("139 123 456 78", "138-0013-8000"); spelledRun, a number spelled in Chinese digits
// (一三九一二三四五六七八, or grouped by a space, dash, dot or comma: 一三九 一二三四 五六七八).
var (
	groupedRun = regexp.MustCompile(`[0-9０-９]+(?:[ \-－.．\x{3000}\x{00A0}][0-9０-９]+)+[xXｘＸ]?`)
	spelledRun = regexp.MustCompile(`[零〇一二三四五六七八九幺两]+(?:[ \-－.．，、\x{3000}\x{00A0}]?[零〇一二三四五六七八九幺两]+)*`)
)

// emailName is the name of an e-mail address, and its @.
var emailName = regexp.MustCompile(`[A-Za-z0-9._%+\-]+[@＠]((?:[A-Za-z0-9\-]+[.。])+[A-Za-z]{2,})`)

// MaskNumbers hides digit runs in a customer's text before it is kept
// (transcripts, unanswered questions) and cuts it to max characters: runs
// of 4 digits or more, digits grouped by spaces, dashes or dots that make 11
// or more (a phone, a card; not a date, nor an amount), and numbers of 7 or more spelled in
// Chinese digits (grouped as digits are, too); and the name of an e-mail
// address, which tells who wrote as a phone does ("****@example.com": an
// operator probe found addresses whole in faq misses).
func MaskNumbers(text string, max int) string {
	text = emailName.ReplaceAllString(text, "****@$1")
	text = groupedRun.ReplaceAllStringFunc(text, func(run string) string {
		n := 0
		for _, r := range run {
			if digit(r) >= 0 {
				n++
			}
		}
		if n >= 11 {
			return "****"
		}
		return run
	})
	text = spelledRun.ReplaceAllStringFunc(text, func(run string) string {
		n := 0
		for _, r := range run {
			if !unicode.IsSpace(r) && !strings.ContainsRune("-－.．，、", r) {
				n++
			}
		}
		if n >= 7 {
			return "****"
		}
		return run
	})
	text = numberRun.ReplaceAllString(text, "****")
	if r := []rune(text); len(r) > max {
		text = string(r[:max]) + "…"
	}
	return text
}
