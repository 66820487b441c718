package supportbot

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// MaskLongNumbers keeps the last 4 digits of each number of 7 digits or
// more in s, grouped or not, full-width too ("13800138000", "138-0013-8000"
// and "6222 0212 3456 7890" are "****8000", "****8000", "****7890"), but for
// a date (8 digits from 19 or 20, or written with separators — and a time
// after it): text that must not show a phone, ID or card number whole,
// whatever it is — a Telegram name, an export's value quoted in a fault.
func MaskLongNumbers(s string) string {
	return longNumber.ReplaceAllStringFunc(s, func(run string) string {
		if dateLead.MatchString(run) {
			return run // "2026-12-15 09:00"
		}
		digits := []rune(strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return r
			}
			return -1
		}, run))
		if d := string(digits); len(digits) == 8 && (strings.HasPrefix(d, "19") || strings.HasPrefix(d, "20")) {
			return run // "20261215"
		}
		return "****" + string(digits[len(digits)-4:])
	})
}

// longNumber is a number of 7 digits or more, its groups apart by up to
// two of what people put between them (spaces, dashes, dots, full-width too).
var longNumber = regexp.MustCompile(`[0-9０-９](?:[ \x{00A0}\x{3000}_＿\-－‐‑‒–—.．·/／]{0,2}[0-9０-９]){6,}`)

// dateLead is a date written with separators at the start of a run, the
// year first or last ("2026-12-15 09:00", "15/07/2026").
var dateLead = regexp.MustCompile(`^(?:(?:19|20)[0-9]{2}[-./．／][0-9]{1,2}[-./．／][0-9]{1,2}|[0-9]{1,2}[-./．／][0-9]{1,2}[-./．／](?:19|20)[0-9]{2}$)`)

// MaskedSecret matches what MaskSecrets leaves of a number: "****" and its
// last 4 digits, or "****" alone for an ID number.
var MaskedSecret = regexp.MustCompile(`\*{4}(?:[0-9]{4})?`)

// MaskSecrets masks what a customer should never have typed: bank card
// numbers and resident ID numbers. A card number is 15 to 19 digits (longer
// than any phone number or order number; 15 whatever the check: a card
// mistyped by a digit, or an ID card of the first generation), or 14 digits
// that pass the Luhn check (not 13: a tenth of the mall's 13-digit order
// numbers pass it, and no card issued here has 13 digits); an ID number is
// 17 digits and an X, or 18 digits (valid or not: a mistyped one is still
// personal). Digits may be grouped as people
// type them (or name files) — with up to 3 spaces (also full-width or
// no-break ones), line breaks, dashes (en and em dashes too), dots, slashes
// or underscores between groups of three digits or more (so dates and
// amounts stay apart) — and full-width digits count; numbers typed one after another
// ("卡 6222021234567890 110101199001011234", an order number before a
// card's groups) are each told apart. Commas, 、, zero-width spaces, tildes,
// asterisks and more than 3 spaces may group them too, and a number may be
// typed digit by digit or in pairs, one space apart ("6 2 2 2 0 2 1 2 …"),
// but only a card's number that passes its check, and not a list of round
// amounts ("5000，5000，5000，5000"); a number spelled in Chinese digits
// (六二二二零二一二…) of a card's or an ID's length is one too. A card
// number becomes "****" and its last 4 digits; an ID number "****" alone —
// its last 4 characters are what closing the account asks to prove who the
// customer is, and an agent reading a relay must not have them. found
// reports whether anything was masked. A number right after "+" is a phone
// number and is left alone, as are shorter numbers that fail the check
// (order numbers, amounts).
func MaskSecrets(text string) (masked string, found bool) {
	text, found = maskSpelled(text)
	if !strings.ContainsFunc(text, unicode.IsDigit) {
		return text, found
	}
	rs := []rune(text)
	var b strings.Builder
	i := 0
	for i < len(rs) {
		if digit(rs[i]) < 0 || i > 0 && (rs[i-1] == '+' || rs[i-1] == '＋' || digit(rs[i-1]) >= 0) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		// A run: groups of digits with one separator between them, and
		// perhaps a final X (the check character of an ID number).
		var groups []digitGroup
		j := i
		for {
			g := digitGroup{start: j}
			for j < len(rs) && digit(rs[j]) >= 0 {
				g.ds = append(g.ds, byte('0'+digit(rs[j])))
				j++
			}
			g.end = j
			groups = append(groups, g)
			k := j // the separator: up to 6 characters ("6222 - 0212", four spaces, a line break)
			for k < len(rs) && k-j < 6 && groupSeparator(rs[k]) {
				k++
			}
			if k > j && k < len(rs) && digit(rs[k]) >= 0 {
				j = k
				continue
			}
			break
		}
		x := j < len(rs) && (rs[j] == 'X' || rs[j] == 'x' || rs[j] == 'Ｘ' || rs[j] == 'ｘ')
		masked, tookX := maskRun(&b, rs, groups, x)
		found = found || masked
		if tookX {
			j++ // the X went with the ID number
		}
		i = j
	}
	return b.String(), found
}

// spelledSecret is a number spelled in Chinese digits, perhaps a space, a
// dash or a dot between them (not a comma: "…九零，一共还了多少"), and an X.
var spelledSecret = regexp.MustCompile(`[零〇一二三四五六七八九幺两](?:[ \x{3000}\-－.．]?[零〇一二三四五六七八九幺两]){13,}[xXｘＸ]?`)

// spelledDigits are the Chinese digits' values.
var spelledDigits = map[rune]byte{'零': '0', '〇': '0', '一': '1', '幺': '1', '二': '2', '两': '2', '三': '3', '四': '4',
	'五': '5', '六': '6', '七': '7', '八': '8', '九': '9'}

// maskSpelled masks the numbers spelled in Chinese digits that have a card's
// or an ID's length (secretDigits).
func maskSpelled(text string) (string, bool) {
	found := false
	text = spelledSecret.ReplaceAllStringFunc(text, func(run string) string {
		var ds []byte
		for _, r := range run {
			if d, ok := spelledDigits[r]; ok {
				ds = append(ds, d)
			}
		}
		x := strings.ContainsAny(run, "xXｘＸ")
		if secretDigits(ds, x) == 0 || strings.ContainsAny(run, " \u3000-－.．") && !(cardPrefix.Match(ds) && luhn(ds)) {
			return run // spaced, a card's only: "一三八零零一三八零零零 八八八八" is a phone and more
		}
		found = true
		return maskedAs(ds, x)
	})
	return text, found
}

// maskedAs is what is left of a card's or an ID's number (x: an X ends it):
// "****" and a card's last 4 digits, or "****" alone for an ID's length, 18
// characters (a card of 18 digits too: it cannot be told from an ID).
func maskedAs(ds []byte, x bool) string {
	if len(ds) == 18 || len(ds) == 17 && x {
		return "****"
	}
	return "****" + string(ds[len(ds)-4:])
}

// digitGroup is digits typed together: ds, at runes [start, end).
type digitGroup struct {
	ds         []byte
	start, end int
}

// groupSeparator reports whether r may sit between two groups of one number
// (up to 6 of them: "6222 - 0212", a line break and spaces).
func groupSeparator(r rune) bool {
	switch r {
	case ' ', '\u00a0', '\u3000', '\t', '\n', '\r', '-', '－', '‐', '‑', '‒', '–', '—', '.', '．', '·', '・', '•',
		'/', '／', '_', '＿', ',', '，', '、', '~', '～', '*', '＊', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff':
		return true
	}
	return false
}

// wideSeparator reports a separator that is more than the one space, dash,
// dot or underscore that may stand between a number's groups anywhere:
// several characters, a line break, a slash, another dash.
func wideSeparator(sep []rune) bool {
	if len(sep) != 1 {
		return true
	}
	switch sep[0] {
	case ' ', '\u00a0', '\u3000', '-', '－', '.', '．', '_', '＿':
		return false
	}
	return true
}

// shapedAsSecret reports groups written as a card number is (fours, the
// last of at most 4, and a card's first digit: 3 to 6) or an ID number (6,
// 8 and 4, or 3 and the X).
func shapedAsSecret(groups []digitGroup, ds []byte, x bool) bool {
	return idGrouped(groups, x) ||
		len(groups) >= 4 && len(groups[0].ds) == 4 && typedAsOne(groups, x) && ds[0] >= '3' && ds[0] <= '6'
}

// idGrouped reports groups of an ID number's 6, 8 and 4 digits (or 3 and the X).
func idGrouped(groups []digitGroup, x bool) bool {
	if len(groups) != 3 || len(groups[0].ds) != 6 || len(groups[1].ds) != 8 {
		return false
	}
	return len(groups[2].ds) == 4 || x && len(groups[2].ds) == 3
}

// looseSeparator reports a separator people put between a list's items as
// often as between a card's groups: a comma, 、, a tilde, an asterisk, a
// zero-width space, or more than 3 characters.
func looseSeparator(sep []rune) bool {
	return len(sep) > 3 || slices.ContainsFunc(sep, func(r rune) bool { return strings.ContainsRune(",，、~～*＊\u200b\u200c\u200d\u2060\ufeff", r) })
}

// checkedCard reports digits that may be a card joined across loose
// separators: a card's first digits (cardPrefix), its check passed, not
// every group a round amount, and no group twice ("4999，4999，4999，4999",
// "3299、3305、3299、3305": a list).
func checkedCard(groups []digitGroup, ds []byte) bool {
	round, twice := true, false
	for i, g := range groups {
		round = round && len(g.ds) >= 3 && strings.HasSuffix(string(g.ds), "00")
		twice = twice || len(g.ds) >= 3 && slices.ContainsFunc(groups[:i], func(h digitGroup) bool { return string(h.ds) == string(g.ds) })
	}
	return cardPrefix.Match(ds) && luhn(ds) && !round && !twice
}

// cardPrefix is how the cards issued here begin: UnionPay's 62, Visa's 4,
// Mastercard's 51–55, American Express's 34 and 37, JCB's 35 — not a price
// list's 3299 or 5999.
var cardPrefix = regexp.MustCompile(`^(?:62|4|5[1-5]|3[457])`)

// fileSeparator is how file names group digits; such groups are a number
// only when grouped as cards and IDs are (cardGrouped).
func fileSeparator(r rune) bool { return r == '_' || r == '＿' }

// cardGrouped reports groups grouped as a card's number is (4-4-4-4, and a
// last group of at most 4) or an ID's (6-8-4, or 6-8-3 and the X): typed
// as one (typedAsOne), in more than one group, of 4s or an ID's.
func cardGrouped(groups []digitGroup, x bool) bool {
	return len(groups) > 1 && typedAsOne(groups, x) && (len(groups[0].ds) == 4 || len(groups[1].ds) == 8)
}

// maskRun writes a run of digit groups with each card or ID number in it
// masked (x: an X follows the run). A stretch of groups may be one number
// when it has a card's or an ID's length, its groups are of three digits or
// more (a date's or an amount's shorter ones keep them apart; or all of one
// or two digits, one space apart, and a card that passes its check) and none of
// them is a number of 13 digits or more by itself; a group in no number is
// written as typed. The run is cut into the most numbers, then the most
// grouped the way such numbers are typed (6222 0212 3456 7890, 110101
// 19900101 123X: an order number or a phone before them is not part of
// them), then masking the most digits. It reports whether it masked any,
// and whether the X went with an ID number.
func maskRun(b *strings.Builder, rs []rune, groups []digitGroup, x bool) (found, tookX bool) {
	n := len(groups)
	// best[k] is the score of the best cut of groups[k:], take[k] how many
	// groups its first number takes (0: groups[k] is written as typed).
	best, take := make([]int, n+1), make([]int, n+1)
	for k := n - 1; k >= 0; k-- {
		best[k] = best[k+1]
		var ds []byte
		underscored, extended, loose := false, false, false
		short := len(groups[k].ds) < 3 // digit by digit, or in pairs: all of one length, one space apart
		for m := k; m < n && len(ds) <= 19; m++ {
			if m > k && (short && (len(groups[m].ds) != len(groups[k].ds) || string(rs[groups[m-1].end:groups[m].start]) != " ") ||
				!short && (len(groups[m].ds) < 3 || len(groups[m-1].ds) < 3) || len(groups[m].ds) >= 13 || len(groups[k].ds) >= 13) {
				break
			}
			if m > k {
				sep := rs[groups[m-1].end:groups[m].start]
				underscored = underscored || fileSeparator(sep[0])
				extended = extended || wideSeparator(sep)
				loose = loose || looseSeparator(sep)
			}
			ds = append(ds, groups[m].ds...)
			digits := secretDigits(ds, x && m == n-1)
			if digits == 0 || underscored && !cardGrouped(groups[k:m+1], x && m == n-1) ||
				extended && !shapedAsSecret(groups[k:m+1], ds, x && m == n-1) ||
				(loose || short) && !checkedCard(groups[k:m+1], ds) {
				// An underscore joins a card's 4s or an ID's 6-8-4 only: a
				// camera's file name (IMG_20241202_150203) is a date. A wider
				// separator (" / ", a line break) joins them only as a card's
				// or an ID's are written: lists of phones, dates and amounts
				// stay as typed. Commas, several spaces, digits one by one or
				// in pairs join only a card that passes its check and is not
				// a list of round amounts ("5000，5000，5000，5000", "09 12
				// 15 18 21 24 27 30").
				continue
			}
			score := 1000 + digits + best[m+1]
			if typedAsOne(groups[k:m+1], x && m == n-1) {
				score += 100
			}
			if score > best[k] {
				best[k], take[k] = score, m-k+1
			}
		}
	}
	for k := 0; k < n; {
		if k > 0 {
			b.WriteString(string(rs[groups[k-1].end:groups[k].start])) // the separator
		}
		t := take[k]
		if t == 0 {
			b.WriteString(string(rs[groups[k].start:groups[k].end]))
			k++
			continue
		}
		var ds []byte
		for _, g := range groups[k : k+t] {
			ds = append(ds, g.ds...)
		}
		k += t
		found = true
		tookX = len(ds) == 17 && x && k == n
		b.WriteString(maskedAs(ds, tookX))
	}
	return found, tookX
}

// secretDigits is how many characters ds is as a card or ID number (x: an
// X follows it, the check character of an ID), 0 when it is neither.
func secretDigits(ds []byte, x bool) int {
	switch {
	case len(ds) == 17 && x:
		return 18
	case len(ds) >= 15 && len(ds) <= 19, len(ds) == 14 && luhn(ds):
		// 15 digits whatever the check: an ID card of the first
		// generation, or a card number mistyped by a digit (a probe
		// relayed "6222 0212 3456 789" to the agent).
		return len(ds)
	}
	return 0
}

// typedAsOne reports whether groups are grouped as one card or ID number is
// typed: one group; groups of one length but the last, which is no longer
// (6222 0212 3456 7890 123); or an ID's 6, 8 and 4 (or 3 and the X).
func typedAsOne(groups []digitGroup, x bool) bool {
	if idGrouped(groups, x) {
		return true
	}
	first := len(groups[0].ds)
	for _, g := range groups[:len(groups)-1] {
		if len(g.ds) != first {
			return false
		}
	}
	return len(groups[len(groups)-1].ds) <= first
}

// digit is r's value as a decimal digit (ASCII, full-width, or any other
// script's: Arabic-Indic, mathematical bold…), or -1.
func digit(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	case r < 0x660 || !unicode.IsDigit(r):
		return -1
	}
	// Unicode's decimal digits come in runs of ten, zero first.
	for _, g := range unicode.Digit.R16 {
		if lo, hi := rune(g.Lo), rune(g.Hi); r >= lo && r <= hi && g.Stride == 1 {
			return int(r-lo) % 10
		}
	}
	for _, g := range unicode.Digit.R32 {
		if lo, hi := rune(g.Lo), rune(g.Hi); r >= lo && r <= hi && g.Stride == 1 {
			return int(r-lo) % 10
		}
	}
	return -1
}

// luhn reports whether the digits pass the Luhn check of card numbers.
func luhn(ds []byte) bool {
	sum := 0
	for i := len(ds) - 1; i >= 0; i-- {
		d := int(ds[i] - '0')
		if (len(ds)-1-i)%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// BidiControl reports a character that overrides the direction of the text
// after it (an embedding, override or isolate; not a mark): a name holding
// U+202E reads, on an agent's card, as another name.
func BidiControl(r rune) bool { return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 }

// WithoutBidi is s without its direction controls (BidiControl).
func WithoutBidi(s string) string {
	if !strings.ContainsFunc(s, BidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if BidiControl(r) {
			return -1
		}
		return r
	}, s)
}
