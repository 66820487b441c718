package supportbot

import "strings"

// MaskSecrets masks what a customer should never have typed: bank card
// numbers and resident ID numbers. A card number is 16 to 19 digits (longer
// than any phone number or order number), or 13 to 15 digits that pass the
// Luhn check; an ID number is 17 digits and an X, or 18 digits (valid or
// not: a mistyped one is still personal). Digits may be grouped as people
// type them — with a space (also a full-width or no-break one), a dash or a
// dot between groups — and full-width digits count; numbers typed one after
// another ("卡 6222021234567890 110101199001011234") are each masked. Each
// becomes "****" and its last 4 characters; found reports whether anything
// was masked. A number right after "+" is a phone number and is left alone,
// as are shorter numbers that fail the check (order numbers, amounts).
func MaskSecrets(text string) (masked string, found bool) {
	if !strings.ContainsAny(text, "0123456789０１２３４５６７８９") {
		return text, false
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
			if j+1 < len(rs) && groupSeparator(rs[j]) && digit(rs[j+1]) >= 0 {
				j++
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

// digitGroup is digits typed together: ds, at runes [start, end).
type digitGroup struct {
	ds         []byte
	start, end int
}

// groupSeparator reports whether r may sit between two groups of one number.
func groupSeparator(r rune) bool {
	switch r {
	case ' ', '\u00a0', '\u3000', '-', '－', '.', '．':
		return true
	}
	return false
}

// maskRun writes a run of digit groups, each number in it masked: from the
// first group on, the longest stretch of groups that makes a card or ID
// number (x: an X follows the run) is masked; a group that starts none is
// written as typed, separator and all. It reports whether it masked any,
// and whether the X went with an ID number.
func maskRun(b *strings.Builder, rs []rune, groups []digitGroup, x bool) (found, tookX bool) {
	k := 0
	for k < len(groups) {
		n, masked, withX := 0, "", false
		var ds []byte
		for m := k; m < len(groups) && len(ds) <= 19; m++ {
			ds = append(ds, groups[m].ds...)
			last := m == len(groups)-1
			switch {
			case len(ds) == 17 && x && last:
				n, masked, withX = m-k+1, "****"+string(ds[14:])+"X", true
			case len(ds) >= 16 && len(ds) <= 19, len(ds) >= 13 && len(ds) <= 15 && luhn(ds):
				n, masked, withX = m-k+1, "****"+string(ds[len(ds)-4:]), false
			}
		}
		if k > 0 {
			b.WriteString(string(rs[groups[k-1].end:groups[k].start])) // the separator
		}
		if n == 0 {
			b.WriteString(string(rs[groups[k].start:groups[k].end]))
			k++
			continue
		}
		b.WriteString(masked)
		found, tookX = true, withX
		k += n
	}
	return found, tookX
}

// digit is r's value as a decimal digit (ASCII or full-width), or -1.
func digit(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
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
