package supportbot

import "strings"

// MaskSecrets masks what a customer should never have typed: bank card
// numbers and resident ID numbers. A card number is 16 to 19 digits (longer
// than any phone number or order number), or 13 to 15 digits that pass the
// Luhn check; an ID number is 17 digits and an X, or 18 digits (valid or
// not: a mistyped one is still personal). Digits may be grouped with single
// spaces or dashes, and full-width digits count. Each becomes "****" and its
// last 4 characters; found reports whether anything was masked. A number
// right after "+" is a phone number and is left alone, as are shorter
// numbers that fail the check (order numbers, amounts).
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
		// A run: digits with single separators between them, and perhaps a
		// final X (the check character of an ID number).
		var ds []byte
		end, j := i, i
		for j < len(rs) {
			if d := digit(rs[j]); d >= 0 {
				ds = append(ds, byte('0'+d))
				j++
				end = j
				continue
			}
			if (rs[j] == ' ' || rs[j] == '-') && j+1 < len(rs) && digit(rs[j+1]) >= 0 && len(ds) > 0 {
				j++
				continue
			}
			break
		}
		x := end < len(rs) && (rs[end] == 'X' || rs[end] == 'x' || rs[end] == 'Ｘ' || rs[end] == 'ｘ')
		switch {
		case len(ds) == 17 && x:
			b.WriteString("****" + string(ds[14:]) + "X")
			end++
			found = true
		case len(ds) >= 16 && len(ds) <= 19, len(ds) >= 13 && len(ds) <= 15 && luhn(ds):
			b.WriteString("****" + string(ds[len(ds)-4:]))
			found = true
		default:
			b.WriteString(string(rs[i:end]))
		}
		i = end
	}
	return b.String(), found
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
