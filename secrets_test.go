package supportbot_test

import (
	"testing"

	"supportbot"
)

// A privacy probe relayed each of these to the agent whole (or, for an ID,
// with its last 4 characters — the closure's proof of identity): a card
// or an ID number is masked whatever stands between its groups, however
// unevenly grouped, when it passes its check; and lists of amounts, a
// phone beside an amount, or a courier's number stay readable.
func TestMaskSecretsAsProbesTypedThem(t *testing.T) {
	for in, want := range map[string]string{
		// an ID and a word after it that starts with a numeral: the ID,
		// and the word as typed (a probe: "****2341直", 3 of the ID's last
		// 4 shown)
		"我的身份证110101199003071234 一直验证不过":           "我的身份证**** 一直验证不过",
		"身份证 110101199003071234 2张卡都扣了":            "身份证 **** 2张卡都扣了",
		"my id is 110101199003071234 1 more thing": "my id is **** 1 more thing",
		// a UnionPay card mistyped by a digit, its fours apart by a comma,
		// 、, *, 。, or its digits one by one or in pairs (a probe relayed
		// them whole) — not a price list
		"6222,0212,3456,7890":             "****7890",
		"6222、0212、3456、7890":             "****7890",
		"6222*0212*3456*7890":             "****7890",
		"6222。0212。3456。7890":             "****7890",
		"6 2 2 2 0 2 1 2 3 4 5 6 7 8 9 0": "****7890",
		"62 22 02 12 34 56 78 90":         "****7890",
		"6299，6499，6699，6999":             "6299，6499，6699，6999",
		// an ID's X or last digit apart, its date split up, its groups uneven
		"身份证 11010119900307109 X": "身份证 ****",
		"11010119900307123 3":     "****",
		"110101 19900307 123 3":   "****",
		"1101 0119 9003 0712 33":  "****",
		"11010119900307109×":      "****",
		"11010119900307109叉":      "****",
		"11010119900307 1233":     "****",
		"110101-1990-03-07-1233":  "****",
		"110101 1990.03.07 1233":  "****",
		"110101|19900307|1233":    "****",
		"一一零一零一 一九九零零三零七 一二三三":        "****",
		"11010119900307109 Xiaomi 14": "****7109 Xiaomi 14", // an X that starts a word is not the ID's
		// the first generation's 15 digits: "****" alone, as an 18-digit ID (a probe saw its last 4);
		// an Amex number of 15 passing its check keeps its last 4
		"老身份证 110105491231002": "老身份证 ****", "371449635398431": "****8431",
		// 20 digits or more: an account's number, two cards pasted together (a probe)
		"账号 62284804025648900181":              "账号 ****0181",
		"两张卡 62220298765432146222029876543214": "两张卡 ****3214",
		// a card's groups uneven, or one of 13 digits or more
		"622848 0040000123451":      "****3451",
		"62 22021234567894":         "****7894",
		"622-2021234567894":         "****7894",
		"6222\n0212\n34567894":      "****7894",
		"6222/021234/567894":        "****7894",
		"62220212  34567894":        "****7894",
		"622  202  123  456  7894":  "****7894",
		"6228\n4800\n4000\n0123451": "****3451",
		// digits one by one or in pairs, apart by anything the same
		"62-22-02-12-34-56-78-94":                        "****7894",
		"6-2-2-2-0-2-1-2-3-4-5-6-7-8-9-4":                "****7894",
		"6\n2\n2\n2\n0\n2\n1\n2\n3\n4\n5\n6\n7\n8\n9\n4": "****7894",
		// separators that ended the number
		"卡号6222|0212|3456|7894":                "卡号****7894",
		"卡号6222。0212。3456。7894":                "卡号****7894",
		"卡号6222：0212：3456：7894":                "卡号****7894",
		"卡号6222−0212−3456−7894":                "卡号****7894",
		"卡号6222\u20090212\u20093456\u20097894": "卡号****7894",
		"【6222】【0212】【3456】【7894】":             "【****7894】",
		"(6222)0212-3456-7894":                 "(****7894",
		"6222一0212一3456一7894":                  "****7894",
		"工行+6222021234567894":                  "工行+****7894", // not a phone: too long for one
		"手机 +86 138 0013 8000":                 "手机 +86 138 0013 8000",
		"+7 9161234567":                        "+7 9161234567",
		// a card after a "+" no country's plan fits, passing the check: an
		// American Express card, not a Latvian phone (a privacy probe)
		"+371449635398431":    "+****8431",
		"+371 4496 3539 8431": "+****8431",
		// a card's last digit or two apart (a privacy probe: "****4321 4"
		// showed five) — not after a card whole already
		"6222 0298 7654 321 4":   "****3214",
		"卡 6222 0212 3456 789 4": "卡 ****7894",
		"6222 0212 3456 7894 12": "****7894 12",
		// a review's: one group and its last digits apart, by a space or two
		"622202123456789 4":        "****7894",
		"62220212345678 94":        "****7894",
		"6222  0212  3456  789  4": "****7894",
		"卡 6222021234567894 12期":   "卡 ****7894 12期",
		// a phone of up to 14 digits after a "+" stays one, passing a card's check or not
		"+62 812 3456 78901": "+62 812 3456 78901",
		"六二二二，零二一二，三四五六，七八九四":       "****7894",
		"陆贰贰贰零贰壹贰叁肆伍陆柒捌玖肆":          "****7894",
		"6222 零二一二 3456 7894":       "****7894",
		"٦٢٢٢|٠٢١٢|٣٤٥٦|٧٨٩٤":       "****7894",
		"卡号六二二二零二一二三四五六七八九四，一共还了多少": "卡号****7894，一共还了多少",
		"4111 1111 1111 1111":       "****1111", // a card, though a group is there twice
		// typed in a card's fours, whatever they begin with (a regression
		// probe: "1234 5678 9012 3456" was relayed whole) — a list of four
		// card tails too: masked rather than risk a card
		"1234 5678 9012 3456":         "****3456",
		"尾号 7894 8888 1234 5678 这几张卡": "尾号 ****5678 这几张卡",
		// an ID with a wrong check character, grouped unevenly
		"110 105194912310021": "****",
		// cards mistyped by a digit, of any issuer here; one after a Chinese numeral (a review)
		"4555 1234 5678 9012": "****9012",
		"5311-2345-6789-0123": "****0123",
		"455512345678901":     "****8901",
		"第二6222021234567894":  "第二****7894",
		"六二二二0212 3456 7894":  "****7894",
		"6222021234567894一共":  "****7894一共",
		// not cards (each was masked)
		"我这几期分别扣了 1099 1099 1099 1099": "我这几期分别扣了 1099 1099 1099 1099",
		"1200 3400 5600 7800":          "1200 3400 5600 7800",
		"付了 3000 2000 1500 800 元":      "付了 3000 2000 1500 800 元",
		"手机13800138000 3299元没还上":       "手机13800138000 3299元没还上",
		"13800138000 2026年的账单":         "13800138000 2026年的账单",
		"20261205 20270105":            "20261205 20270105",
		"快递单号 773123456789012":         "快递单号 773123456789012",
		"七七三一二三四五六七八九零一二":              "七七三一二三四五六七八九零一二", // a courier's, spelled
		"我还了一万二千三百":                    "我还了一万二千三百",
		// an order number beside an amount or a period, sums (a review)
		"订单5241015123456，2期还了吗":   "订单5241015123456，2期还了吗",
		"订单号5241015123456（1005元）": "订单号5241015123456（1005元）",
		"5241015123456 101":       "5241015123456 101",
		"5241015123456/1005":      "5241015123456/1005",
		"4999+5299+3999+4599":     "4999+5299+3999+4599",
	} {
		got, found := supportbot.MaskSecrets(in)
		if got != want || found != (got != in) {
			t.Errorf("MaskSecrets(%q) = %q, %v; want %q", in, got, found, want)
		}
	}
}

// A Telegram name or an export's value keeps no phone, ID or card number
// whole — after a date too (a probe: "Tom 2026-12-05 13800138000" was
// left as it was), and grouped by bars or wide spaces.
func TestMaskLongNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"Tom 2026-12-05 13800138000":  "Tom 2026-12-05 ****8000",
		"Tom 2026-12-5 138 0013 8000": "Tom 2026-12-5 ****8000",
		"138|0013|8000":               "****8000",
		"138。0013。8000":               "****8000",
		"138   0013   8000":           "****8000",
		"张伟 13800138000":              "张伟 ****8000",
		// other scripts' digits, Chinese numerals, commas of a phone (a probe's names)
		"Tom 𝟏𝟓𝟎𝟔𝟔𝟕𝟕𝟖𝟖𝟗𝟗":   "Tom ****8899",
		"Tom 𝟏𝟓𝟎 𝟔𝟔𝟕𝟕 𝟖𝟖𝟗𝟗": "Tom ****8899",
		"李 一五零六六七七八八九九":     "李 ****8899",
		"Ali ١٥٠٦٦٧٧٨٨٩٩":   "Ali ****8899",
		"Amy 150,6677,8899": "Amy ****8899",
		"张三一":               "张三一",
		"2026-12-15 09:00":  "2026-12-15 09:00",
		"20261215":          "20261215",
		"Amy 1990":          "Amy 1990",
		// not numbers of one (a review)
		"9:00-18:00":              "9:00-18:00",
		"5000，5000，5000，5000":     "5000，5000，5000，5000",
		"¥4000.00 ¥3006.00":       "¥4000.00 ¥3006.00",
		"13800138000，13900139000": "****8000，****9000",
	} {
		if got := supportbot.MaskLongNumbers(in); got != want {
			t.Errorf("MaskLongNumbers(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMaskIDTail: an ID number's tail said as such is masked in a relay
// (a probe: "我的身份证号码后面几位是 1231002X" reached the agent whole).
func TestMaskIDTail(t *testing.T) {
	for in, want := range map[string]string{
		"我的身份证号码后面几位是 1231002X":   "我的身份证号码后面几位是 ****",
		"身份证后四位1234，麻烦查一下":        "身份证后四位****，麻烦查一下",
		"my ID card ends in 002X": "my ID card ends in ****",
		"身份证过期了 2026年12月换的":       "身份证过期了 2026年12月换的", // a year, no tail named
		"订单尾号 3456":               "订单尾号 3456",         // not an ID's
		"身份证后四位是多少 要填吗":           "身份证后四位是多少 要填吗",
	} {
		if got := supportbot.MaskIDTail(in); got != want {
			t.Errorf("MaskIDTail(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMaskSplitSecret: a card or ID number typed across two messages in a
// row is masked in both (a probe: neither was).
func TestMaskSplitSecret(t *testing.T) {
	for _, c := range []struct{ prev, next, wantPrev, wantNext string }{
		{"我的卡号 6222 0212 3456", "7894", "我的卡号 ****", "****7894"},
		{"卡号是6222021234", "567894 麻烦查下", "卡号是****", "****7894 麻烦查下"},
		{"身份证 110101 19900307", "123X", "身份证 ****", "****"},
		{"订单 5241015123456", "101", "订单 5241015123456", "101"}, // an order number and an amount
		{"第7期 249.91", "2026", "第7期 249.91", "2026"},
		{"6222 0212 3456", "7890", "6222 0212 3456", "7890"}, // fails Luhn: not beyond doubt
	} {
		p, n, _ := supportbot.MaskSplitSecret(c.prev, c.next)
		if p != c.wantPrev || n != c.wantNext {
			t.Errorf("MaskSplitSecret(%q, %q) = %q, %q; want %q, %q", c.prev, c.next, p, n, c.wantPrev, c.wantNext)
		}
	}
}
