package supportbot

import "strings"

// NormalizePhone reduces a mainland China mobile number to its 11 digits, so that
// "+86 138-0013-8000", "8613800138000" and "13800138000" are one number. It
// returns "" when phone is not such a number.
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
	return d
}
