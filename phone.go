package supportbot

import "strings"

// NormalizePhone reads a mainland China mobile number in import data as
// E.164, so that "+86 138-0013-8000", "8613800138000" and "13800138000" are
// one number, +8613800138000. It returns "" when phone is not such a number.
func NormalizePhone(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')' || r == '.':
		default:
			return ""
		}
	}
	d := b.String()
	international := strings.HasPrefix(strings.TrimLeft(phone, " ("), "+")
	switch {
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	case international: // +1 415…: another country's number
		return ""
	}
	if len(d) != 11 || d[0] != '1' {
		return ""
	}
	return "+86" + d
}

// ContactPhone reads the phone number of a shared Telegram contact, which is
// always international (country code first, with or without "+"), as E.164:
// "13852345678" is +1 385 234 5678, not a mainland number. false when it is
// not a phone number.
func ContactPhone(phone string) (string, bool) {
	var b strings.Builder
	for _, r := range phone {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' || r == '-' || r == ' ' || r == '(' || r == ')' || r == '.':
		default:
			return "", false
		}
	}
	d := strings.TrimPrefix(b.String(), "00")
	if len(d) < 8 || len(d) > 15 || d[0] == '0' {
		return "", false
	}
	return "+" + d, true
}
