package supportbot_test

import (
	"testing"

	"supportbot"
)

// phoneCases are numbers as they arrive, with what ContactPhone and
// ImportPhone make of them ("" = not a number).
var phoneCases = []struct {
	in, contact, imported string
}{
	// Mainland China. A contact always carries the country code; an export
	// may be domestic.
	{"+8613800138000", "+8613800138000", "+8613800138000"},
	{"8613800138000", "+8613800138000", "+8613800138000"},
	{"+86 138-0013-8000", "+8613800138000", "+8613800138000"},
	{"(+86) 138.0013.8000", "+8613800138000", "+8613800138000"},
	{"0086 138 0013 8000", "", "+8613800138000"},
	{"13800138000", "", "+8613800138000"}, // +1 380 013 8000 is no NANP number (exchange 013)
	{"+86 23800138000", "", ""},           // not a mobile number
	{"+86 1380013800", "", ""},            // 10 digits
	{"+86 138001380001", "", ""},          // 12 digits
	// The US number of issue 15.4: as a contact, never a mainland number.
	{"13852345678", "+13852345678", "+8613852345678"},
	{"+1 385 234 5678", "+13852345678", "+13852345678"},
	{"+1 (415) 555-0100", "+14155550100", "+14155550100"},
	{"14155550100", "+14155550100", "+8614155550100"},
	{"+1 415 555 010", "", ""},                          // 9 digits
	{"+1 015 555 0100", "", ""},                         // area code cannot start with 0
	{"+1 604 555 0199", "+16045550199", "+16045550199"}, // Canada
	// United Kingdom, Hong Kong, Singapore, Japan, Taiwan, Germany.
	{"+44 7911 123456", "+447911123456", "+447911123456"},
	{"447911123456", "+447911123456", ""}, // an export needs + or 00 for it
	{"0044 7911 123456", "", "+447911123456"},
	{"+852 9123 4567", "+85291234567", "+85291234567"},
	{"85291234567", "+85291234567", ""},
	{"+852 9123 456", "", ""},
	{"+65 9123 4567", "+6591234567", "+6591234567"},
	{"6591234567", "+6591234567", ""},
	{"+81 90-1234-5678", "+819012345678", "+819012345678"},
	{"819012345678", "+819012345678", ""},
	{"+886 912 345 678", "+886912345678", "+886912345678"},
	{"+49 151 23456789", "+4915123456789", "+4915123456789"},
	// Not E.164: too long, too short, no such country code, letters.
	{"+49 151 234567890123", "", ""}, // 16 digits
	{"+49 12", "", ""},
	{"+999 1234 5678", "", ""},
	{"+0 1234 5678", "", ""},
	{"+86 138 0013 800O", "", ""},
	{"phone", "", ""},
	{"", "", ""},
	{"+", "", ""},
	{"86+13800138000", "", ""},
	{"++8613800138000", "", ""},
	{"+86 138 0013 8000 ext 1", "", ""},
	{"+86\t13800138000", "", ""},
	{"+8613800138000                                ", "", ""}, // longer than any number is written
}

func TestContactPhone(t *testing.T) {
	for _, c := range phoneCases {
		if got := supportbot.ContactPhone(c.in); got != c.contact {
			t.Errorf("ContactPhone(%q) = %q, want %q", c.in, got, c.contact)
		}
	}
}

func TestImportPhone(t *testing.T) {
	for _, c := range phoneCases {
		if got := supportbot.ImportPhone(c.in); got != c.imported {
			t.Errorf("ImportPhone(%q) = %q, want %q", c.in, got, c.imported)
		}
	}
}

// TestPhonesAreE164: whatever is accepted reads back as itself, so a stored
// number and a shared one compare as strings.
func TestPhonesAreE164(t *testing.T) {
	for _, c := range phoneCases {
		for _, p := range []string{c.contact, c.imported} {
			if p == "" {
				continue
			}
			if again := supportbot.ContactPhone(p); again != p {
				t.Errorf("ContactPhone(%q) = %q, want it unchanged", p, again)
			}
			if again := supportbot.ImportPhone(p); again != p {
				t.Errorf("ImportPhone(%q) = %q, want it unchanged", p, again)
			}
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+8613800138000": "+86 138****8000",
		"+13852345678":   "+1 38****5678",
		"+447911123456":  "+44 79****3456",
		"+85291234567":   "+852 ****4567",
		"+6591234567":    "+65 ****4567",
		"+819012345678":  "+81 90****5678",
		"13800138000":    "138****8000", // stored before E.164
		"+12345":         "+1 ****",
		"":               "****",
		"not a phone":    "****",
	} {
		if got := supportbot.MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
