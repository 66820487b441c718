package locale

import (
	"strings"

	"supportbot"
)

// The data names banks and financing partners as they call themselves, in
// Chinese for most; an English message names them in English (a probe:
// "Card: 建设银行 **** 4321", "Order … · 招联金融" to English customers).
// The longer name of two that start alike comes first.
var englishNames = [][2]string{
	{"中国邮政储蓄银行", "Postal Savings Bank of China"}, {"邮政储蓄银行", "Postal Savings Bank of China"}, {"邮储银行", "Postal Savings Bank of China"},
	{"中国工商银行", "ICBC"}, {"工商银行", "ICBC"}, {"中国建设银行", "China Construction Bank"}, {"建设银行", "China Construction Bank"},
	{"中国农业银行", "Agricultural Bank of China"}, {"农业银行", "Agricultural Bank of China"}, {"中国银行", "Bank of China"},
	{"招商银行", "China Merchants Bank"}, {"交通银行", "Bank of Communications"}, {"汇丰银行", "HSBC"}, {"浦发银行", "SPDB"},
	{"中信银行", "China CITIC Bank"}, {"民生银行", "China Minsheng Bank"}, {"光大银行", "China Everbright Bank"},
	{"兴业银行", "Industrial Bank"}, {"平安银行", "Ping An Bank"}, {"广发银行", "China Guangfa Bank"}, {"华夏银行", "Hua Xia Bank"},
	{"小米分期", "Xiaomi Installments"}, {"招联金融", "Merchants Union Consumer Finance"}, {"中银消费金融", "BOC Consumer Finance"},
	{"马上消费金融", "Mashang Consumer Finance"}, {"兴业消费金融", "CIB Consumer Finance"},
}

// NameIn is a bank's or financing partner's name — alone, or a card as
// shown ("招商银行 **** 6789") — in lang: a known Chinese name becomes its
// English one in English; anything else is left as it is.
func NameIn(lang supportbot.Lang, name string) string {
	if lang != supportbot.LangEN {
		return name
	}
	for _, n := range englishNames {
		if rest, ok := strings.CutPrefix(name, n[0]); ok {
			return n[1] + rest
		}
	}
	return name
}

// namedArgs are the placeholders whose values are such names.
var namedArgs = map[string]bool{"card": true, "current": true, "partner": true, "bank": true}
