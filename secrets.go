package supportbot

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// MaskLongNumbers keeps the last 4 digits of each number of 7 digits or
// more in s, grouped or not, full-width too ("13800138000", "138-0013-8000"
// and "6222 0212 3456 7890" are "****8000", "****8000", "****7890"), but for
// a date (8 digits from 19 or 20, or written with separators — and a time
// after it): text that must not show a phone, ID or card number whole,
// whatever it is — a Telegram name, an export's value quoted in a fault.
func MaskLongNumbers(s string) string {
	if ascii := asciiDigits(s); ascii != s {
		// Digits of another script, or Chinese numerals ("Tom 𝟏𝟓𝟎…",
		// "李 一五零六六…": a probe's names): read as digits, and a number
		// masked as if typed so.
		return MaskLongNumbers(ascii)
	}
	s = commaPhone.ReplaceAllStringFunc(s, func(p string) string { return "****" + p[len(p)-4:] }) // "150,6677,8899"
	return longNumber.ReplaceAllStringFunc(s, func(run string) string {
		if date := dateLead.FindString(run); date != "" {
			return date + MaskLongNumbers(run[len(date):]) // "2026-12-15 09:00"; a phone after it is masked
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
// three of what people put between them (spaces — thin ones too —, dashes,
// dots, slashes, bars, full-width too): not a comma or a colon, which
// stand between numbers ("13800138000，13900139000", "9:00-18:00").
var longNumber = regexp.MustCompile(`[0-9０-９](?:[ \x{00A0}\x{3000}\x{2000}-\x{200B}\x{202F}_＿\-－‐‑‒–—.．·/／|｜。]{0,3}[0-9０-９]){6,}`)

// commaPhone is a mobile number grouped 3-4-4 by commas.
var commaPhone = regexp.MustCompile(`1[3-9][0-9][,，][0-9]{4}[,，][0-9]{4}`)

// asciiDigits is s with another script's digits written in ASCII ones, and
// Chinese numerals too where 7 or more stand together (a name's 一 or 三
// stays as it is).
func asciiDigits(s string) string {
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && spelledDigit(rs[j]) {
			j++
		}
		switch {
		case j-i >= 7:
			for k := i; k < j; k++ {
				rs[k] = rune('0' + digit(rs[k]))
			}
		case j == i && digit(rs[i]) >= 0:
			rs[i] = rune('0' + digit(rs[i]))
		}
		i = max(j, i+1)
	}
	return string(rs)
}

// dateLead is a date written with separators at the start of a run, the
// year first or last ("2026-12-15 09:00", "15/07/2026").
var dateLead = regexp.MustCompile(`^(?:(?:19|20)[0-9]{2}[-./．／][0-9]{1,2}[-./．／][0-9]{1,2}|[0-9]{1,2}[-./．／][0-9]{1,2}[-./．／](?:19|20)[0-9]{2}$)`)

// MaskedSecret matches what MaskSecrets leaves of a number: "****" and its
// last 4 digits, or "****" alone for an ID number.
var MaskedSecret = regexp.MustCompile(`\*{4}(?:[0-9]{4})?`)

// MaskSecrets masks what a customer should never have typed: bank card
// numbers and resident ID numbers. A card number is 15 to 19 digits (longer
// than any phone number or order number), or 14 that pass the Luhn check
// (not 13: a tenth of the mall's 13-digit order numbers pass it, and no card
// issued here has 13 digits); an ID number is 17 digits and an X, or 18
// digits. Digits count in any script, full-width and Chinese numerals
// (六二二二…, 陆贰贰贰…) too, and a number may be typed in groups with
// anything but letters and the signs of a sum between them. Which groups
// make one number is told by what stands between them (sepClass) and what
// the number would be:
//
//   - typed as one — one group, or groups of one length and a last one no
//     longer, or an ID's 6, 8 and 4, apart by a space, a dash or a dot: a
//     number of a card's or an ID's length, unless it is a list ("1099 1099
//     1099 1099") or, failing its check, is neither in a card's fours
//     ("1234 5678 9012 3456") nor a card mistyped ("6222 0212 3456 789",
//     "4555 1234 5678 9012": a card's first digits) nor an ID with a birth
//     date (one group of 15 digits likewise: not a courier's number);
//   - with a wider separator (a line break, a slash, several spaces) only
//     as cards and IDs are grouped (4s, or 6-8-4): lists of phones, dates
//     and amounts stay as typed;
//   - anything else — commas, brackets, bars, 。, uneven groups, digits one
//     by one or in pairs, a group of 13 digits or more after others, an
//     ID's last digit or X apart — only a number that passes its check (a
//     card's first digits and Luhn; an ID's birth date, its check character
//     right or not) and
//     is not a list of round amounts or of one amount again; after a group
//     of 13 digits or more, only an ID's last digits ("5241015123456 101",
//     an order number and an amount, stay as typed).
//
// Numbers typed one after another ("卡 6222021234567890 110101199001011234",
// an order number before a card's groups) are each told apart. A card
// number becomes "****" and its last 4 digits; an ID number "****" alone —
// its last 4 characters are what closing the account asks to prove who the
// customer is, and an agent reading a relay must not have them. found
// reports whether anything was masked. A number of 15 digits or fewer right
// after "+" is a phone number and is left alone, as are shorter numbers that
// fail the check (order numbers, amounts).
func MaskSecrets(text string) (masked string, found bool) {
	if !strings.ContainsFunc(text, func(r rune) bool { return digit(r) >= 0 }) {
		return text, false
	}
	rs := []rune(text)
	var b strings.Builder
	i := 0
	for i < len(rs) {
		if digit(rs[i]) < 0 || i > 0 && digit(rs[i-1]) >= 0 {
			b.WriteRune(rs[i])
			i++
			continue
		}
		groups, j := digitGroups(rs, i)
		x := idCheckAt(rs, j)
		masked, tookX := maskRun(&b, rs, run{groups: groups, x: x > 0, plus: i > 0 && (rs[i-1] == '+' || rs[i-1] == '＋')})
		found = found || masked
		if tookX {
			j += x // the X went with the ID number
		}
		i = j
	}
	return b.String(), found
}

// digitGroups reads the groups of a run from rs[i]: digits of one kind
// (Chinese numerals or not) typed together, and up to 6 separators
// (groupSeparator) between them. It returns them and where the run ends.
func digitGroups(rs []rune, i int) ([]digitGroup, int) {
	var groups []digitGroup
	j := i
	for {
		g := digitGroup{start: j}
		spelled := spelledDigit(rs[j])
		for j < len(rs) && digit(rs[j]) >= 0 && spelledDigit(rs[j]) == spelled {
			g.ds = append(g.ds, byte('0'+digit(rs[j])))
			j++
		}
		g.end = j
		groups = append(groups, g)
		k := j
		for k < len(rs) && k-j < 6 && groupSeparator(rs[k]) {
			k++
		}
		if k == j && !spelled && k+1 < len(rs) && rs[k] == '一' && digit(rs[k+1]) >= 0 && !spelledDigit(rs[k+1]) {
			k++ // "6222一0212一…": 一 typed for a dash
		}
		if k < len(rs) && digit(rs[k]) >= 0 && (k > j || spelledDigit(rs[k]) != spelled) { // "第二6222…", "六二二二0212…"
			j = k
			continue
		}
		return groups, j
	}
}

// idCheckAt is how many runes from rs[j] are an ID number's X — "X", "x",
// "×" or "叉", perhaps after a space, not the start of a word ("Xiaomi") —
// or 0.
func idCheckAt(rs []rune, j int) int {
	n := 0
	if j < len(rs) && (rs[j] == ' ' || rs[j] == '\u3000') {
		n = 1
	}
	if j+n >= len(rs) || !strings.ContainsRune("XxＸｘ×叉", rs[j+n]) {
		return 0
	}
	if j+n+1 < len(rs) && unicode.IsLetter(rs[j+n+1]) && rs[j+n+1] < 0x2e80 {
		return 0
	}
	return n + 1
}

// maskedAs is what is left of a card's or an ID's number (x: an X ends it):
// "****" and a card's last 4 digits, or "****" alone for an ID's length, 18
// characters (a card of 18 digits too: it cannot be told from an ID), or
// the first generation's 15 digits with a birth date that fail a card's
// check (a probe saw "110105491231002" as "****1002": the last 4 are what
// closing the account asks for).
func maskedAs(ds []byte, x bool) string {
	if len(ds) == 18 || len(ds) == 17 && x || len(ds) == 15 && idBorn(ds, false) && !cardChecked(ds) {
		return "****"
	}
	return "****" + string(ds[len(ds)-4:])
}

// digitGroup is digits typed together: ds, at runes [start, end).
type digitGroup struct {
	ds         []byte
	start, end int
}

// groupSeparator reports whether r may sit between two groups of one number:
// a space, a mark or a symbol (up to 6 of them: "6222 - 0212", a line break
// and spaces, "】【"), an invisible one too — not a letter.
func groupSeparator(r rune) bool {
	return (unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.Is(unicode.Cf, r)) && !strings.ContainsRune(sums, r)
}

// sums are the signs of a sum, between amounts, not a card's groups
// ("4999+5299+3999+4599").
const sums = "+＝=＋×÷"

// sepClass is how much a separator says that the groups around it are one
// number; a stretch of groups is as loose as its loosest separator.
type sepClass int

const (
	sepTight sepClass = iota // one space, dash or dot: "6222 0212 3456 7890"
	sepFile                  // an underscore, as file names group dates: "IMG_20241202_150203"
	sepWide                  // several spaces or dashes, a line break, a slash, a long dash
	sepLoose                 // anything else: a comma, 、, a bracket, a bar, 。, more than 3 characters
)

// classOf is sep's class.
func classOf(sep []rune) sepClass {
	all := func(in string) bool {
		return !slices.ContainsFunc(sep, func(r rune) bool { return !strings.ContainsRune(in, r) })
	}
	switch {
	case len(sep) == 1 && all(" \u00a0\u3000-－.．"):
		return sepTight
	case len(sep) == 1 && all("_＿"):
		return sepFile
	case len(sep) > 0 && len(sep) <= 3 && all(wideSeparators), len(sep) > 3 && all(" \u00a0\u3000\t\n\r"):
		return sepWide // "6222 - 0212", "6222\n0212", "6222/0212", "6222    0212"
	}
	return sepLoose // and none: digits of two kinds side by side ("六二二二0212")
}

// wideSeparators may stand between a card's groups as its groups, several
// of them: spaces, line breaks, dashes, slashes, dots.
const wideSeparators = " \u00a0\u3000\t\n\r-－‐‑‒–—/／.．·・•"

// run is a run of digit groups: x, an X follows it; plus, a "+" is before it.
type run struct {
	groups  []digitGroup
	x, plus bool
}

// stretch is groups [k, m] of a run, read as one number would be.
type stretch struct {
	groups    []digitGroup
	ds        []byte
	x         bool     // the X after the run ends it
	class     sepClass // its loosest separator
	odd       bool     // a group of 1–2 digits after longer ones, or of 13 or more beside others
	afterLong bool     // a group after one of 13 digits or more
	spaced    bool     // digits one by one or in pairs, all apart by one same separator
	phoneOK   bool     // right after "+": a phone number when short enough
	tail      bool     // a number typed as one, then its last digit or two apart ("6222 0298 7654 321 4")
}

// secret is how many characters the stretch is as a card or ID number (its
// X too), 0 when it is not one (see MaskSecrets).
func (st stretch) secret() bool {
	if secretDigits(st.ds, st.x) == 0 || st.phoneOK && len(st.ds) <= 15 && !amexAfterPlus(st.ds) {
		return false // "+86 138 0013 8000", "+62 812 3456 78901"
	}
	if len(st.groups) == 1 {
		// 15 digits: a card (mistyped by a digit too) or an ID of the
		// first generation, not a courier's number.
		return len(st.ds) != 15 || cardPrefix.Match(st.ds) || idBorn(st.ds, false)
	}
	// A card's check passed, or an ID's length with a birth date in it (a
	// wrong check character is an ID still, mistyped).
	idLike := len(st.ds) >= 17 && idBorn(st.ds, st.x)
	checked := cardChecked(st.ds) || idLike
	switch {
	case st.tail:
		return true
	case st.afterLong:
		// After a group of 13 digits or more, only an ID's last digits
		// ("11010119900307 1233"): an order number before an amount
		// ("5241015123456 101") is no card.
		return idLike
	case st.spaced, st.odd, st.class == sepLoose:
		// A number beyond doubt, and not a list — or a UnionPay card's
		// shape mistyped by a digit, its fours apart by a comma, 、 or *,
		// or its digits one by one (a probe relayed 15 right digits of
		// "6222,0212,3456,7890" whole): not a price list.
		return (checked || !st.odd && unionPayShaped(st)) && !listed(st.groups)
	case st.class == sepWide:
		return checked || shapedAsSecret(st.groups, st.ds, st.x) && likelySecret(st)
	case st.class == sepFile:
		return cardGrouped(st.groups, st.x) && (checked || likelySecret(st))
	}
	// Typed as one: a card's or an ID's with their first digits, or in a
	// card's fours whatever they begin with ("1234 5678 9012 3456") — not a
	// list ("1099 1099 1099 1099").
	return checked || typedAsOne(st.groups, st.x) && likelySecret(st) ||
		len(st.groups) >= 4 && len(st.groups[0].ds) == 4 && typedAsOne(st.groups, st.x) && !listed(st.groups)
}

// unionPayShaped reports 16 to 19 digits beginning 62, the way UnionPay's
// cards do, in fours (the last no longer), one by one or in pairs — not prices,
// whose groups end in 0, 8 or 9 ("6299，6499，6699，6999").
func unionPayShaped(st stretch) bool {
	if len(st.ds) < 16 || len(st.ds) > 19 || !bytes.HasPrefix(st.ds, []byte("62")) {
		return false
	}
	if st.spaced {
		return len(st.groups[0].ds) <= 2 // one by one, or in pairs
	}
	priced := true
	for _, g := range st.groups {
		last := g.ds[len(g.ds)-1]
		priced = priced && (last == '0' || last == '8' || last == '9')
	}
	return !priced && len(st.groups) > 1 && len(st.groups[0].ds) == 4 && len(st.groups[len(st.groups)-1].ds) >= 3 && typedAsOne(st.groups, false)
}

// amexAfterPlus reports 15 digits after a "+" that are a card passing its
// check (American Express's length) where no known country's plan fits a
// phone: "+371449635398431" (a privacy probe) — a phone is at most 15
// digits in all, a card of 14 or less is rare, and one of 16 or more is no
// phone at all.
func amexAfterPlus(ds []byte) bool {
	return len(ds) == 15 && cardChecked(ds) && !plannedPhone(string(ds))
}

// likelySecret reports a stretch that fails its check but is still what a
// customer means as a card or an ID: not a list, and a card's first digits
// (cardPrefix) or an ID's birth date ("6222 0212 3456 789", "4555 1234 5678
// 9012": a digit missed or mistyped).
func likelySecret(st stretch) bool {
	return !listed(st.groups) && (len(st.ds) >= 15 && cardPrefix.Match(st.ds) || idBorn(st.ds, st.x))
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

// listed reports groups that are a list, not a number's: every group a
// round amount, or one group twice ("5000，5000，5000，5000", "3299、3305、
// 3299、3305", "1099 1099 1099 1099").
func listed(groups []digitGroup) bool {
	round, twice := true, false
	for i, g := range groups {
		round = round && len(g.ds) >= 3 && strings.HasSuffix(string(g.ds), "00")
		twice = twice || len(g.ds) >= 3 && slices.ContainsFunc(groups[:i], func(h digitGroup) bool { return string(h.ds) == string(g.ds) })
	}
	return round || twice
}

// cardChecked reports digits that are a card's beyond doubt: a card's first
// digits (cardPrefix) and its check passed.
func cardChecked(ds []byte) bool {
	return len(ds) >= 14 && len(ds) <= 19 && cardPrefix.Match(ds) && luhn(ds)
}

// cardPrefix is how the cards issued here begin: UnionPay's 62, Visa's 4,
// Mastercard's 51–55, American Express's 34 and 37, JCB's 35 — not a price
// list's 3299 or 5999.
var cardPrefix = regexp.MustCompile(`^(?:62|4|5[1-5]|3[457])`)

// idBorn reports an ID number's length (18 characters, or the first
// generation's 15 digits) with a birth date in it: a region's first digit,
// then a day of the calendar (19xx or 20xx; yymmdd in the first generation's).
func idBorn(ds []byte, x bool) bool {
	if ds[0] == '0' {
		return false
	}
	if len(ds) == 15 {
		_, err := time.Parse("060102", string(ds[6:12]))
		return err == nil
	}
	if !(len(ds) == 18 || len(ds) == 17 && x) {
		return false
	}
	born, err := time.Parse("20060102", string(ds[6:14]))
	return err == nil && born.Year() >= 1900 && born.Year() < 2100
}

// cardGrouped reports groups grouped as a card's number is (4-4-4-4, and a
// last group of at most 4) or an ID's (6-8-4, or 6-8-3 and the X): typed
// as one (typedAsOne), in more than one group, of 4s or an ID's.
func cardGrouped(groups []digitGroup, x bool) bool {
	return len(groups) > 1 && typedAsOne(groups, x) && (len(groups[0].ds) == 4 || len(groups[1].ds) == 8)
}

// maskRun writes a run of digit groups with each card or ID number in it
// masked. A stretch of groups is one number when stretch.secret says so;
// a group in no number is written as typed. The run is cut into the most
// numbers, then the most grouped the way such numbers are typed (6222 0212
// 3456 7890, 110101 19900101 123X: an order number or a phone before them
// is not part of them), then masking the most digits. It reports whether
// it masked any, and whether the X went with an ID number.
func maskRun(b *strings.Builder, rs []rune, r run) (found, tookX bool) {
	groups := r.groups
	n := len(groups)
	// best[k] is the score of the best cut of groups[k:], take[k] how many
	// groups its first number takes (0: groups[k] is written as typed).
	best, take := make([]int, n+1), make([]int, n+1)
	for k := n - 1; k >= 0; k-- {
		best[k] = best[k+1]
		if len(groups[k].ds) >= 20 {
			// No card or ID is this long, but a bank account's number is,
			// and so are two cards typed together: never written out (a
			// probe relayed both whole).
			best[k], take[k] = 1000+len(groups[k].ds)+best[k+1], 1
			continue
		}
		st := stretch{phoneOK: r.plus && k == 0, spaced: len(groups[k].ds) < 3 && k+1 < n && len(groups[k+1].ds) == len(groups[k].ds)}
		st.odd = len(groups[k].ds) < 3 && !st.spaced // "62 22021234567894"
		var firstSep string
		// one: groups[k:m] are a number typed as one; whole: and a card's
		// beyond doubt, which a digit more would only spoil ("6222 0212
		// 3456 7894 12").
		one, whole := false, false
		for m := k; m < n && len(st.ds)+len(groups[m].ds) <= 19; m++ {
			g := groups[m]
			if m > k {
				sep := rs[groups[m-1].end:g.start]
				if m == k+1 {
					firstSep = string(sep)
				}
				if st.spaced && (len(g.ds) != len(groups[k].ds) || string(sep) != firstSep) {
					break // digits one by one or in pairs: all of them so
				}
				st.class = max(st.class, classOf(sep))
				st.odd = st.odd || !st.spaced && len(g.ds) < 3 || len(g.ds) >= 13 || len(groups[k].ds) >= 13
				st.afterLong = st.afterLong || len(groups[m-1].ds) >= 13
				// A card's last digit or two apart, by a space or a few:
				// after a number typed as one that is no whole card, or
				// one the digits make a card of ("62220212345678 94").
				cls, joined := classOf(sep), cardChecked(append(slices.Clip(st.ds), g.ds...))
				st.tail = len(g.ds) <= 2 && (cls == sepTight || cls == sepWide) &&
					(one && (!whole || joined) || joined && typedAsOne(st.groups, false)) &&
					// Not after an ID number: "…071234 一直" is the ID and a
					// word (a probe: masked as a card, "****2341", 3 of the
					// ID's last 4 shown).
					!(len(st.ds) == 18 && idBorn(st.ds, false) && !joined)
			}
			st.groups, st.ds, st.x = groups[k:m+1], append(st.ds, g.ds...), r.x && m == n-1
			one, whole = false, cardChecked(st.ds)
			if !st.secret() {
				continue
			}
			score := 1000 + secretDigits(st.ds, st.x) + best[m+1]
			if one = typedAsOne(st.groups, st.x); one || st.tail {
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
		tookX = len(ds) == 17 && r.x && k == n
		b.WriteString(maskedAs(ds, tookX))
	}
	return found, tookX
}

// secretDigits is how many characters ds is as a card or ID number by its
// length alone (x: an X follows it, the check character of an ID), 0 when
// it is neither: 15 to 19 digits whatever the check (a card mistyped by a
// digit, an ID of the first generation: stretch.secret tells them), 14 that
// pass it, 17 and the X.
func secretDigits(ds []byte, x bool) int {
	switch {
	case len(ds) == 17 && x:
		return 18
	case len(ds) >= 15 && len(ds) <= 19, len(ds) == 14 && luhn(ds):
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

// spelledDigits are the Chinese numerals' values, everyday and financial.
var spelledDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '幺': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6,
	'七': 7, '八': 8, '九': 9, '壹': 1, '贰': 2, '貳': 2, '叁': 3, '參': 3, '肆': 4, '伍': 5, '陆': 6, '陸': 6, '柒': 7, '捌': 8, '玖': 9}

// spelledDigit reports a Chinese numeral.
func spelledDigit(r rune) bool {
	_, ok := spelledDigits[r]
	return ok
}

// digit is r's value as a decimal digit (ASCII, full-width, a Chinese
// numeral, or any other script's: Arabic-Indic, mathematical bold…), or -1.
func digit(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	case r < 0x660:
		return -1
	}
	if d, ok := spelledDigits[r]; ok {
		return d
	}
	if !unicode.IsDigit(r) {
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

// MaskIDTail masks the last characters of an ID number said as such ("身份
// 证后几位是 1231002X", "my ID card ends in 002X"): what closing the account
// asks to prove who the customer is, which an agent reading a relay must
// not have (an isolation probe). Not applied to what the flows read — the
// closure's check is typed so.
func MaskIDTail(text string) string {
	return idTail.ReplaceAllStringFunc(text, func(m string) string {
		loc := idTailDigits.FindStringIndex(m)
		return m[:loc[0]] + "****" + m[loc[1]:]
	})
}

var (
	// idTail is an ID number named, then its tail: after 后, 尾, 末 or
	// "last", "ends", up to 8 digits, an X perhaps last.
	idTail = regexp.MustCompile(`(?i)(?:身份证|证件号|id ?card|id number|identity card)[^0-9]{0,16}?(?:后|尾|末|last|ends?|ending)[^0-9]{0,10}?[0-9]{3,7}[0-9xX×](?:[^0-9a-zA-Z]|$)`)
	// idTailDigits is the tail in idTail's match.
	idTailDigits = regexp.MustCompile(`[0-9]{3,7}[0-9xX×]`)
)

// MaskSplitSecret masks a card or ID number typed across two messages in a
// row ("6222 0212 3456", then "7890 123"), which neither masks alone: the
// end of prev and the start of next, joined, make a number that passes its
// check (a card's first digits and Luhn, or an ID's birth date) — beyond
// doubt, as two messages are. It returns both masked, or as they were and
// false.
func MaskSplitSecret(prev, next string) (string, string, bool) {
	pm, nl := splitTail.FindStringSubmatchIndex(prev), splitHead.FindStringIndex(next)
	if pm == nil || nl == nil {
		return prev, next, false
	}
	pl := pm[2:4] // the digits, not the character before them
	ds := digitsOf(prev[pl[0]:])
	first := len(ds)
	ds = append(ds, digitsOf(next[:nl[1]])...)
	x := strings.ContainsAny(next[:nl[1]], "Xx")
	// A card begun in a group of 13 digits or more is an order number, then
	// an amount ("5241015123456", "101"): not one.
	card := cardChecked(ds) && first <= 12
	if !card && !(len(ds) >= 17 && idBorn(ds, x)) {
		return prev, next, false
	}
	return prev[:pl[0]] + "****", maskedAs(ds, x) + next[nl[1]:], true
}

var (
	// splitTail is the digits a message ends with, in groups apart by a
	// space or a dash: at least 4 (a card's first group).
	splitTail = regexp.MustCompile(`(?:^|[^0-9])([0-9]{4,}(?:[ \-][0-9]+)*)\s*$`)
	// splitHead is the digits a message starts with, grouped likewise, an
	// ID's X perhaps last.
	splitHead = regexp.MustCompile(`^\s*[0-9]+(?:[ \-][0-9]+)*[Xx]?`)
)

// digitsOf is the digits of s, as ASCII bytes.
func digitsOf(s string) []byte {
	var ds []byte
	for _, r := range s {
		if d := digit(r); d >= 0 {
			ds = append(ds, byte('0'+d))
		}
	}
	return ds
}
