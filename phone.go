package supportbot

import "strings"

// Phones are kept, compared and sent to the core system in E.164:
// "+8613800138000", "+13852345678". A number arrives in one of two ways, and
// each has its own reading:
//
//   - ContactPhone: a contact shared on Telegram. Its number is always
//     international (country code first, "+" optional), never domestic:
//     "13852345678" is +1 385 234 5678, a US number, not the mainland
//     number 138 5234 5678 — reading it as mainland would show a stranger
//     someone else's bills.
//   - ImportPhone: the core system's export, which may also hold the
//     mainland's domestic forms (13800138000, 86 13800138000, 0086…).

// ContactPhone returns the E.164 form of the phone number of a contact shared
// on Telegram, or "" when it is not a valid number. The digits are the
// country code and the number, with or without a leading "+"; spaces,
// dashes, dots and parentheses are ignored.
func ContactPhone(raw string) string {
	_, digits, ok := phoneDigits(raw) // with or without "+": international
	if !ok {
		return ""
	}
	return e164(digits)
}

// ImportPhone returns the E.164 form of a phone number in the core system's
// export, or "" when it is not a valid number. An international number starts
// with "+" or "00"; without either, it must be a mainland China mobile number,
// domestic (13800138000) or with its country code (8613800138000). Spaces,
// dashes, dots and parentheses are ignored.
func ImportPhone(raw string) string {
	plus, digits, ok := phoneDigits(raw)
	switch {
	case !ok:
		return ""
	case plus:
	case strings.HasPrefix(digits, "00"):
		digits = digits[2:]
	case len(digits) == 11 && digits[0] == '1':
		digits = "86" + digits
	case len(digits) == 13 && strings.HasPrefix(digits, "86"):
	default: // another country's number needs its "+" or "00"
		return ""
	}
	return e164(digits)
}

// maxPhoneInput bounds what is read as a phone number, separators included.
const maxPhoneInput = 32

// phoneDigits strips the separators people write in phone numbers. It
// reports whether the number starts with "+" (perhaps after "("), and fails
// on letters, a "+" anywhere else, or input too long to be a phone number.
func phoneDigits(raw string) (plus bool, digits string, ok bool) {
	if len(raw) > maxPhoneInput {
		return false, "", false
	}
	var b strings.Builder
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+':
			if plus || b.Len() > 0 {
				return false, "", false
			}
			plus = true
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		default:
			return false, "", false
		}
	}
	return plus, b.String(), b.Len() > 0
}

// e164 checks international digits (country code first, no "+") and returns
// them as E.164, or "". E.164 allows at most 15 digits; a country code is
// 1 to 3 digits and none starts with 0; the national number has at least 4.
// Where the numbering plan is well known the national number must fit it:
// every number of the countries customers are likely to have is checked.
func e164(digits string) string {
	if len(digits) > 15 {
		return ""
	}
	cc := countryCode(digits)
	if cc == "" {
		return ""
	}
	national := digits[len(cc):]
	if len(national) < 4 {
		return ""
	}
	if fits, known := nationalPlans[cc]; known && !fits(national) {
		return ""
	}
	return "+" + digits
}

// countryCode is the ITU country calling code that digits start with, or ""
// when they start with none. Codes are prefix-free, so at most one matches.
func countryCode(digits string) string {
	for n := 1; n <= 3 && n <= len(digits); n++ {
		if countryCodes[digits[:n]] {
			return digits[:n]
		}
	}
	return ""
}

// nationalPlans checks the national number of the countries whose plans are
// simple and whose numbers a customer of a mainland service likely has.
var nationalPlans = map[string]func(string) bool{
	// Mainland China: mobile numbers only, 1[3-9] and 9 more digits — a
	// customer identifies with the number they receive SMS on.
	"86": func(n string) bool { return len(n) == 11 && n[0] == '1' && n[1] >= '3' },
	// NANP (US, Canada, the Caribbean): NXX NXX XXXX, N from 2 to 9.
	"1":   func(n string) bool { return len(n) == 10 && n[0] >= '2' && n[3] >= '2' },
	"7":   length(10),    // Russia, Kazakhstan
	"44":  length(9, 10), // United Kingdom
	"81":  length(9, 10), // Japan
	"82":  length(8, 10), // South Korea
	"65":  length(8),     // Singapore
	"60":  length(8, 10), // Malaysia
	"61":  length(9),     // Australia
	"852": length(8),     // Hong Kong
	"853": length(8),     // Macau
	"886": length(8, 9),  // Taiwan
}

// plannedPhone reports international digits (country code first) of a
// country whose numbering plan is known, fitting it.
func plannedPhone(digits string) bool {
	cc := countryCode(digits)
	fits, known := nationalPlans[cc]
	return known && fits(digits[len(cc):])
}

func length(lengths ...int) func(string) bool {
	return func(n string) bool {
		for _, l := range lengths {
			if len(n) == l {
				return true
			}
		}
		return false
	}
}

// countryCodes are the assigned ITU-T E.164 country calling codes.
var countryCodes = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(`1 7
		20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58
		60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98
		211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234
		235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254
		255 256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299
		350 351 352 353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 379
		380 381 382 383 385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508
		509 590 591 592 593 594 595 596 597 598 599 670 672 673 674 675 676 677 678 679
		680 681 682 683 685 686 687 688 689 690 691 692 800 808 850 852 853 855 856 870
		878 880 881 882 883 886 888 960 961 962 963 964 965 966 967 968 970 971 972 973
		974 975 976 977 979 992 993 994 995 996 998`) {
		m[c] = true
	}
	return m
}()

// MaskPhone hides the middle of a phone number for logs and agent cards: the
// country code and the last 4 digits stay, and of a long national number its
// first 3 ("+86 138****8000"); at least 4 digits are always hidden. The full
// number never leaves the store.
func MaskPhone(phone string) string {
	_, digits, ok := phoneDigits(phone)
	if !ok {
		return "****"
	}
	prefix := ""
	if strings.HasPrefix(phone, "+") {
		if cc := countryCode(digits); cc != "" {
			prefix, digits = "+"+cc+" ", digits[len(cc):]
		}
	}
	n := len(digits)
	last := min(4, max(0, n-4))
	first := min(3, max(0, n-last-4))
	return prefix + digits[:first] + strings.Repeat("*", n-first-last) + digits[n-last:]
}
