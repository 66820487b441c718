package supportbot_test

import (
	"testing"
	"time"

	"supportbot"
)

func bill(period int, due string, principal, fee, late supportbot.Money, status string) supportbot.Bill {
	return supportbot.Bill{Period: period, DueDate: supportbot.Date(due), Principal: principal, Fee: fee, LateFee: late, Status: status}
}

func TestComputePayoff(t *testing.T) {
	const today = "2026-11-21"
	paid, unpaid := supportbot.BillPaid, supportbot.BillUnpaid
	tests := []struct {
		name  string
		rate  int64
		bills []supportbot.Bill
		want  supportbot.Payoff
	}{
		{"nothing owed", 150, []supportbot.Bill{bill(1, "2026-10-21", 1000, 10, 0, paid)},
			supportbot.Payoff{PrepayRateBP: 150}},
		{"all future, no rate: principal only, fees waived", 0, []supportbot.Bill{
			bill(1, "2026-12-21", 1000, 10, 0, unpaid), bill(2, "2027-01-21", 1000, 10, 0, unpaid)},
			supportbot.Payoff{Principal: 2000, NotDue: 2000, Total: 2000}},
		{"due today counts as due: its fee is owed, no prepay fee on it", 100, []supportbot.Bill{
			bill(1, today, 1000, 10, 0, unpaid), bill(2, "2026-12-21", 1000, 10, 0, unpaid)},
			supportbot.Payoff{Principal: 2000, DueFees: 10, NotDue: 1000, PrepayFee: 10, PrepayRateBP: 100, Total: 2020}},
		{"overdue: fee and late fee owed; paid periods ignored", 0, []supportbot.Bill{
			bill(1, "2026-09-15", 24992, 0, 0, paid), bill(2, "2026-10-15", 24992, 100, 1200, unpaid),
			bill(3, "2026-11-15", 24992, 100, 300, unpaid), bill(4, "2026-12-15", 24988, 100, 0, unpaid)},
			supportbot.Payoff{Principal: 74972, DueFees: 200, LateFees: 1500, NotDue: 24988, Total: 76672}},
		{"rounding: exactly half a fen rounds up", 50, []supportbot.Bill{bill(1, "2026-12-21", 101, 0, 0, unpaid)},
			// 101 × 50 / 10000 = 0.505 fen → 1 fen
			supportbot.Payoff{Principal: 101, NotDue: 101, PrepayFee: 1, PrepayRateBP: 50, Total: 102}},
		{"rounding: just under half rounds down", 49, []supportbot.Bill{bill(1, "2026-12-21", 101, 0, 0, unpaid)},
			// 101 × 49 / 10000 = 0.4949 fen → 0
			supportbot.Payoff{Principal: 101, NotDue: 101, PrepayFee: 0, PrepayRateBP: 49, Total: 101}},
		{"rounding: 1.5% of 2,999.00", 150, []supportbot.Bill{bill(1, "2026-12-21", 299900, 0, 0, unpaid)},
			// 299900 × 150 / 10000 = 4498.5 → 4499
			supportbot.Payoff{Principal: 299900, NotDue: 299900, PrepayFee: 4499, PrepayRateBP: 150, Total: 304399}},
		{"large amounts do not overflow", 10000, []supportbot.Bill{bill(1, "2026-12-21", 1_000_000_000_00, 0, 0, unpaid)},
			supportbot.Payoff{Principal: 1_000_000_000_00, NotDue: 1_000_000_000_00, PrepayFee: 1_000_000_000_00, PrepayRateBP: 10000, Total: 2_000_000_000_00}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := supportbot.ComputePayoff(supportbot.Plan{PrepayFeeRateBP: tt.rate, Bills: tt.bills}, today)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestMoneyString(t *testing.T) {
	for m, want := range map[supportbot.Money]string{
		0: "¥0.00", 5: "¥0.05", 174944: "¥1,749.44", 100000000: "¥1,000,000.00", -1250: "-¥12.50", 99999: "¥999.99",
	} {
		if got := m.String(); got != want {
			t.Errorf("Money(%d) = %q, want %q", m, got, want)
		}
	}
}

func TestBusinessHours(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	h, err := supportbot.ParseBusinessHours("09:00-21:00")
	if err != nil {
		t.Fatal(err)
	}
	at := func(hh, mm int) time.Time { return time.Date(2026, 11, 21, hh, mm, 0, 0, loc) }
	if !h.Contains(at(9, 0), loc) || h.Contains(at(21, 0), loc) || h.Contains(at(8, 59), loc) {
		t.Error("Contains is wrong at the edges")
	}
	if got := h.NextOpen(at(22, 0), loc); !got.Equal(time.Date(2026, 11, 22, 9, 0, 0, 0, loc)) {
		t.Errorf("NextOpen after closing = %v", got)
	}
	if got := h.NextOpen(at(7, 0), loc); !got.Equal(at(9, 0)) {
		t.Errorf("NextOpen before opening = %v", got)
	}
	for _, bad := range []string{"9-21", "21:00-09:00", "09:00-25:00", "09:00-21:00x", "", "09:60-10:00"} {
		if _, err := supportbot.ParseBusinessHours(bad); err == nil {
			t.Errorf("ParseBusinessHours(%q) accepted", bad)
		}
	}
}

func TestDate(t *testing.T) {
	d := supportbot.Date("2026-11-21")
	if got := d.AddDays(10); got != "2026-12-01" {
		t.Errorf("AddDays = %s", got)
	}
	if got := d.DaysUntil("2026-12-01"); got != 10 {
		t.Errorf("DaysUntil = %d", got)
	}
	if got := d.Format(supportbot.LangEN); got != "Nov 21, 2026" {
		t.Errorf("Format en = %s", got)
	}
	if _, err := supportbot.ParseDate("2026-02-30"); err == nil {
		t.Error("ParseDate accepted Feb 30")
	}
}

func TestMaskNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"卡号6222021234567890123":               "卡号****",
		"我的邮箱 wang.daqian@example.com 宠物猫叫什么": "我的邮箱 ****@example.com 宠物猫叫什么",
		"邮箱wang_1988@qq.com谢谢":                "邮箱****@qq.com谢谢",
		"身份证后四位 123X":                         "身份证后四位 ****",
		"手机 +86 13800138000 谢谢":               "手机 +**** 谢谢",
		"我还了500块":                             "我还了500块",
		"第 3 期":                               "第 3 期",
		// grouped or spelled, as an operator probe typed them
		"我的猫叫139 123 456 78怎么喂": "我的猫叫****怎么喂",
		"电话138-0013-8000":       "电话****",
		"电话一三九一二三四五六七八在哪":       "电话****在哪",
		"还了 1 000 元":            "还了 1 000 元",
		"第一二期":                  "第一二期",
		"号码是一三九 一二三四 五六七八":      "号码是****",
		"幺三八-零零幺三-八零零零":         "****",
		"一三九.一二三四.五六七八":         "****",
		"一三九，一二三四，五六七八":         "****",
		"一二三 四五六":               "一二三 四五六",
		"一个两个三个":                "一个两个三个",
	} {
		if got := supportbot.MaskNumbers(in, 200); got != want {
			t.Errorf("MaskNumbers(%q) = %q, want %q", in, got, want)
		}
	}
}

// Card and ID numbers are masked however they are typed: grouped by spaces
// (full-width too), dashes or dots, or typed one after the other.
func TestMaskSecrets(t *testing.T) {
	for in, want := range map[string]string{
		"卡号 6222 0212 3456 7890 123":              "卡号 ****0123",
		"卡号 6222　0212　3456　7890":                  "卡号 ****7890",
		"卡号6222.0212.3456.7890":                   "卡号****7890",
		"卡号是6222-0212-3456-7890":                  "卡号是****7890",
		"银行卡_6222_0212_3456_7890.jpg":             "银行卡_****7890.jpg",
		"order_2024_11_20.pdf":                    "order_2024_11_20.pdf",
		"PXL_20241202_150203123.jpg":              "PXL_20241202_150203123.jpg",
		"IMG_20241202_150203.jpg":                 "IMG_20241202_150203.jpg",
		"身份证_110101_19491231_002X.pdf":            "身份证_****.pdf",
		"6222021234567890 110101199001011234":     "****7890 ****",
		"身份证 110101 19900307 123X 谢谢":             "身份证 **** 谢谢",
		"11010119900307123x":                      "****",
		"6222 0212 3456 7890 6222 0212 3456 7891": "****7890 ****7891",
		"６２２２０２１２３４５６７８９０":                        "****7890",
		"订单号 5241015123456":                       "订单号 5241015123456",
		"order 5240301987654 refund":              "order 5240301987654 refund", // 13 digits passing Luhn: an order number
		"amex 378282246310005":                    "amex ****0005",
		"银行卡 6222 0212 3456 789":                  "银行卡 ****6789", // 15 digits failing the check: a card mistyped (a probe)
		"老身份证 110101900307123":                    "老身份证 ****",    // an ID card of the first generation: its last 4 are the closure check's
		"还了 1,234.56 元":                           "还了 1,234.56 元",
		"手机 +86 138 0013 8000":                    "手机 +86 138 0013 8000",
		"第 3 期 100 元":                             "第 3 期 100 元",
		"2026-12-02 10:00":                        "2026-12-02 10:00",
		// a number before a card's groups, or after a card, stays itself
		"202401150001 6222 0212 3456 7890": "202401150001 ****7890",
		"13800138000 6222 0212 3456 7890":  "13800138000 ****7890",
		"13800138000 110101 19900101 123X": "13800138000 ****",
		"6222021234567890 100元":            "****7890 100元",
		"6222021234567890 123":             "****7890 123",
		"1.6222021234567890":               "1.****7890",
		// dates and amounts grouped by dots are not numbers of one
		"账单周期 2024.03.15-2024.04.15":           "账单周期 2024.03.15-2024.04.15",
		"还款日 2024.03.15 2024.04.15 2024.05.15": "还款日 2024.03.15 2024.04.15 2024.05.15",
		"还了 1234.56 7890.12 3456.78":           "还了 1234.56 7890.12 3456.78",
		// grouped as people type them, more ways (a probe: each was relayed whole)
		"卡号 6222 - 0212 - 3456 - 7890":     "卡号 ****7890",
		"卡号 6222  0212  3456  7890":        "卡号 ****7890",
		"卡号\n6222\n0212\n3456\n7890":       "卡号\n****7890",
		"card 4111–1111–1111–1111":         "card ****1111",
		"card 4111 — 1111 — 1111 — 1111":   "card ****1111",
		"卡号6222/0212/3456/7890":            "卡号****7890",
		"卡号6222·0212·3456·7890":            "卡号****7890",
		"身份证 110101 - 19900101 - 123X":     "身份证 ****",
		"2026/12/02 - 2026/12/05":          "2026/12/02 - 2026/12/05",
		"第 1 - 3 期 1299 - 200 = 1099":      "第 1 - 3 期 1299 - 200 = 1099",
		"订单 5241015123456 / 5241015999999": "订单 5241015123456 / 5241015999999",
		"13800138000\n13900139000":         "13800138000\n13900139000",
		// lists of phones, dates and amounts (a reviewer: each was masked as a card)
		"138-0013-8000 / 139-0013-9000": "138-0013-8000 / 139-0013-9000",
		"138 0013 8000\n139 0013 9000":  "138 0013 8000\n139 0013 9000",
		"400-800-8888 / 400-100-5678":   "400-800-8888 / 400-100-5678",
		"20261202 - 20261215":           "20261202 - 20261215",
		"20261202\n20261215\n20261230":  "20261202\n20261215\n20261230",
		"1299\n1299\n1299\n1299":        "1299\n1299\n1299\n1299",
		"1299 / 1299 / 1299 / 1299":     "1299 / 1299 / 1299 / 1299",
		"3000/6000/9000/12000":          "3000/6000/9000/12000",
		// more ways people group a card (a probe: each was relayed to the agent whole)
		"卡号 6222，0212，3456，7894":             "卡号 ****7894",
		"卡号6222,0212,3456,7894 扣款失败":         "卡号****7894 扣款失败",
		"6222    0212    3456    7894":       "****7894",
		"6 2 2 2 0 2 1 2 3 4 5 6 7 8 9 4":    "****7894",
		"62 22 02 12 34 56 78 94":            "****7894",
		"6222\u200b0212\u200b3456\u200b7894": "****7894",
		"6222~0212~3456~7894":                "****7894",
		"卡号 六二二二零二一二三四五六七八九零":                "卡号 ****7890",
		"身份证 幺幺零幺零幺幺九九零零三零七幺二三X":             "身份证 ****",
		"还了 1000，2000，3000，4000":             "还了 1000，2000，3000，4000",
		"1 2 3 期":                            "1 2 3 期",
		"一二三四五六七":                            "一二三四五六七",
		"卡号 ٦٢٢٢٠٢١٢٣٤٥٦٧٨٩٠":                "卡号 ****7890", // Arabic-Indic digits
		"卡号 𝟔𝟐𝟐𝟐𝟎𝟐𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗𝟎":                "卡号 ****7890", // mathematical bold
		// lists, not cards (a review: each was masked)
		"这4个月扣款分别是 3299、3305、3299、3305 为什么每个月不一样": "这4个月扣款分别是 3299、3305、3299、3305 为什么每个月不一样",
		"5999，4999，4642，3999":                                  "5999，4999，4642，3999",
		"一三八零零一三八零零零 八八八八":                                     "一三八零零一三八零零零 八八八八",
		"每月 4999，4999，4999，4999 对吗":                            "每月 4999，4999，4999，4999 对吗",
		"滞纳金 12.00 12.00 12.00 12.00 怎么收了这么多次":                 "滞纳金 12.00 12.00 12.00 12.00 怎么收了这么多次",
		"分别还了 3000,4000,5000,6000 元":                           "分别还了 3000,4000,5000,6000 元",
		"我分别还了 5000，5000，5000，5000":                            "我分别还了 5000，5000，5000，5000",
		"这几期 3200、4500、5600、6000 都扣了":                          "这几期 3200、4500、5600、6000 都扣了",
		"扣款日期 11.05 11.12 11.19 11.26 12.03 12.10 12.17 12.24": "扣款日期 11.05 11.12 11.19 11.26 12.03 12.10 12.17 12.24",
		"还了 12.50 13.40 15.20 18.90 11.20 14.60 17.30 19.80":   "还了 12.50 13.40 15.20 18.90 11.20 14.60 17.30 19.80",
		"09 12 15 18 21 24 27 30":                              "09 12 15 18 21 24 27 30",
		"卡号六二二二零二一二三四五六七八九四，一共还了多少":                            "卡号****7894，一共还了多少",
		"卡号六二二二零二一二三四五六七八九零一二三，一二三四是后四位":                       "卡号****0123，一二三四是后四位",
	} {
		got, found := supportbot.MaskSecrets(in)
		if got != want || found != (got != in) {
			t.Errorf("MaskSecrets(%q) = %q, %v; want %q", in, got, found, want)
		}
		if found && !supportbot.MaskedSecret.MatchString(got) {
			t.Errorf("MaskedSecret does not match %q, what MaskSecrets left of %q", got, in)
		}
	}
}

// TextLen counts as Telegram counts its limits: UTF-16 units.
func TestTextLen(t *testing.T) {
	for in, want := range map[string]int{"": 0, "abc": 3, "还款": 2, "😡": 2, "👤 好的😡": 7, "🇨🇳": 4} {
		if got := supportbot.TextLen(in); got != want {
			t.Errorf("TextLen(%q) = %d, want %d", in, got, want)
		}
	}
}
