package flows

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"supportbot"
)

// listChoice reads which item of a numbered list of n a customer typed:
// "2", "第二个", "2号", "第2笔", "the second one", "2nd", "#2" — or words
// of exactly one item's name ("xiaomi book", "K70那个", names: one per item,
// in list order). It is 0 for none, or for words more than one item has.
func listChoice(text string, n int, names []string) int {
	t := bare(text)
	if i := ordinal(t); i >= 1 && i <= n {
		return i
	}
	if lastPick[t] && n > 1 { // "最后一个", "the last one"
		return n
	}
	if i := nameChoice(t, names); i > 0 {
		return i
	}
	return kindChoice(t, names)
}

// lastPick names the last item of a list.
var lastPick = map[string]bool{"最后一个": true, "最后那个": true, "最后一笔": true, "最下面那个": true, "下面那个": true, "最后一项": true,
	"the last one": true, "last one": true, "the last": true, "last": true, "the bottom one": true, "bottom one": true}

// partnerChoice reads a plan named by its financing partner ("招联那个" for
// 招联金融): the partner's name — or, when short is set (a pick, not a
// request in a sentence, where 小米 is as likely the brand), its first two
// characters when it is a Chinese name of four — in t, for exactly one item
// of partners (one per item, in list order); 0 otherwise.
func partnerChoice(t string, partners []string, short bool) int {
	return onlyOne(len(partners), func(i int) bool {
		p := strings.ToLower(partners[i])
		// 小米 of 小米分期 names the devices too: "小米电视 S Pro 65 2025款" at the
		// list is no pick of the plan 小米分期 finances (an audit paid it).
		if r := []rune(p); short && len(r) == 4 && unicode.Is(unicode.Han, r[0]) && string(r[:2]) != "小米" && strings.Contains(t, string(r[:2])) {
			return true
		}
		return strings.Contains(t, p)
	})
}

// cardChoice reads a card named by its last 4 digits ("8888那张") or its
// bank ("工商那张", "用建行的卡", "招商银行"): the one card of cards that
// fits, by its place (1-based); 0 for none or several.
func cardChoice(t string, cards []supportbot.Card) int {
	// Its digits first: "招商6666" with two 招商 cards is the one ending in 6666.
	if i := onlyOne(len(cards), func(i int) bool { return strings.Contains(t, cards[i].Last4) }); i > 0 {
		return i
	}
	return onlyOne(len(cards), func(i int) bool {
		return strings.Contains(t, cards[i].Last4) || bankSaid(t, cards[i].Bank) || bankSaid(t, zhBankOf(cards[i].Bank))
	})
}

// zhBankOf is the Chinese name of a bank on file by its English name
// ("China Construction Bank" is 中国建设银行: "用建行的卡" names it), ""
// when it is none the bot knows (a review: such a card was told "not
// yours").
func zhBankOf(bank string) string {
	b, zh, longest := strings.ToLower(bank), "", 0
	for _, k := range knownBanks { // the longest name in it: "Agricultural Bank of China" is not "Bank of China"
		// its name, or another it goes by ("Industrial and Commercial Bank
		// of China" is ICBC, not Bank of China: an audit)
		for _, en := range append([]string{strings.ToLower(k[1])}, banksEN[strings.TrimPrefix(k[0], "中国")]...) {
			if len(en) > longest && strings.Contains(b, en) {
				zh, longest = k[0], len(en)
			}
		}
	}
	return zh
}

// bankSaid reports whether t names bank as people say it: its name, the name
// without 银行 and 中国 ("工商", "建设"), or that name's first character and
// 行 ("工行", "建行", "招行"; 中国银行 is "中行").
func bankSaid(t, bank string) bool {
	bank = strings.ToLower(bank)
	if bank == "" || strings.Contains(t, bank) {
		return bank != ""
	}
	for _, name := range banksEN[strings.TrimPrefix(bank, "中国")] {
		if wordsIn(otherBanksOfChina.Replace(t), name) {
			return true
		}
	}
	if !strings.HasSuffix(bank, "银行") {
		return false
	}
	core := []rune(strings.TrimPrefix(strings.TrimSuffix(bank, "银行"), "中国"))
	switch {
	case len(core) == 0: // 中国银行
		return strings.Contains(t, "中行")
	case len(core) >= 2 && strings.Contains(t, string(core)):
		return true
	}
	// 工行, 建行, 招行, 农行, 交行: the banks called so — not 中信 (中行 is
	// 中国银行), 平安 (平行 is a word), 光大, 民生.
	return strings.ContainsRune("工建招农交", core[0]) && strings.Contains(t, string(core[0])+"行")
}

// knownBanks are the banks a customer may name a card by, in Chinese and
// in English: a card asked for by one of them that none of theirs is of
// is told so.
var knownBanks = [][2]string{{"中国工商银行", "ICBC"}, {"中国建设银行", "China Construction Bank"}, {"招商银行", "China Merchants Bank"},
	{"中国银行", "Bank of China"}, {"中国农业银行", "Agricultural Bank of China"}, {"交通银行", "Bank of Communications"},
	{"中国邮政储蓄银行", "Postal Savings Bank of China"}, {"汇丰银行", "HSBC"}, {"浦发银行", "SPDB"}, {"中信银行", "China CITIC Bank"},
	{"民生银行", "China Minsheng Bank"}, {"光大银行", "China Everbright Bank"}, {"兴业银行", "Industrial Bank"}, {"平安银行", "Ping An Bank"},
	{"渣打银行", "Standard Chartered"}, {"花旗银行", "Citibank"}, {"广发银行", "China Guangfa Bank"}, {"华夏银行", "Hua Xia Bank"},
	{"北京银行", "Bank of Beijing"}, {"上海银行", "Bank of Shanghai"}}

// bankWords matches the names a known bank is called by (bankSaid's ways
// of saying it); bankCore a bank's short name before 卡 ("工商的卡").
var bankWords, bankCore = func() (*regexp.Regexp, *regexp.Regexp) {
	var en, zh, cores []string
	for _, b := range knownBanks {
		zh = append(zh, regexp.QuoteMeta(b[0]), regexp.QuoteMeta(strings.TrimPrefix(b[0], "中国")))
		en = append(en, regexp.QuoteMeta(strings.ToLower(b[1])))
		if core := []rune(strings.TrimPrefix(strings.TrimSuffix(b[0], "银行"), "中国")); len(core) >= 2 {
			cores = append(cores, string(core))
		}
	}
	for bank, names := range banksEN {
		zh = append(zh, regexp.QuoteMeta(bank))
		for _, n := range names {
			en = append(en, regexp.QuoteMeta(n))
		}
	}
	zh = append(zh, "中行", "工行", "建行", "招行", "农行", "交行")
	byLength := func(a, b string) int { return len(b) - len(a) }
	slices.SortFunc(en, byLength)
	slices.SortFunc(zh, byLength)
	return regexp.MustCompile(`\b(?:` + strings.Join(en, "|") + `)\b|` + strings.Join(zh, "|")),
		regexp.MustCompile(`(?:` + strings.Join(cores, "|") + `)(的?卡)`)
}()

// withoutBanks is t without the names of banks in it.
func withoutBanks(t string) string {
	return bankWords.ReplaceAllString(bankCore.ReplaceAllString(t, "$1"), " ")
}

// bankIn is the known bank t names, in lang's name for it; "" for none.
func bankIn(t string, lang supportbot.Lang) string {
	for _, b := range knownBanks {
		if bankSaid(t, b[0]) {
			if lang == supportbot.LangEN {
				return b[1]
			}
			return b[0]
		}
	}
	return ""
}

// banksEN are the English names and initials of banks, by their Chinese
// name without 中国 ("use the ICBC card", "my construction bank one").
var banksEN = map[string][]string{
	"工商银行":                     {"icbc", "industrial and commercial"},
	"建设银行":                     {"ccb", "construction bank"},
	"招商银行":                     {"cmb", "china merchants", "merchants bank"},
	"银行":                       {"boc", "bank of china"}, // 中国银行
	"农业银行":                     {"abc", "agricultural bank"},
	"交通银行":                     {"bocom", "bank of communications"},
	"邮政储蓄银行":                   {"psbc", "postal savings"},
	"邮储银行":                     {"psbc", "postal savings"},
	"hsbc china":               {"hsbc", "汇丰"}, // a bank on file by its English name (a probe: "use the HSBC card" lost the quote)
	"汇丰银行":                     {"hsbc"},
	"浦发银行":                     {"spdb", "pudong development"},
	"中信银行":                     {"citic"},
	"民生银行":                     {"cmbc", "minsheng"},
	"光大银行":                     {"ceb", "everbright"},
	"兴业银行":                     {"cib", "industrial bank"},
	"平安银行":                     {"ping an", "pingan"},
	"渣打银行":                     {"standard chartered", "sc"}, // "use the sc card" (an audit: the card list in the quote's place)
	"standard chartered china": {"standard chartered", "sc", "渣打"},
	"花旗银行":                     {"citibank", "citi"},
	"citibank china":           {"citibank", "citi", "花旗"},
	"广发银行":                     {"cgb", "guangfa"},
	"华夏银行":                     {"hxb", "hua xia"},
	"北京银行":                     {"bank of beijing"},
	"上海银行":                     {"bank of shanghai"},
}

// otherBanksOfChina takes out the English names that end as 中国银行's
// does ("agricultural bank of china" is 农业银行, not "bank of china").
var otherBanksOfChina = strings.NewReplacer("agricultural bank of china", "agricultural bank",
	"industrial and commercial bank of china", "industrial and commercial", "construction bank of china", "construction bank",
	"postal savings bank of china", "postal savings", "development bank of china", "development bank")

// wordsIn reports whether words stand in t as whole words.
func wordsIn(t, words string) bool {
	for i := 0; ; {
		j := strings.Index(t[i:], words)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(words)
		if (start == 0 || !isWordByte(t[start-1])) && (end == len(t) || !isWordByte(t[end])) {
			return true
		}
		i = start + 1
	}
}

func isWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// deviceKinds are the kinds of device a customer names a plan by ("手机那个",
// "the laptop"): the words they say, and the words of a product name that
// show the kind — the first kind whose words a name has is its kind.
var deviceKinds = []deviceKind{
	{said: []string{"笔记本", "电脑", "laptop", "notebook"}, shown: []string{"book", "笔记本", "laptop"}, icon: "💻"},
	{said: []string{"平板电脑", "平板", "tablet", "pad"}, shown: []string{"pad", "平板", "tablet"}, icon: "📱"},
	{said: []string{"手表", "手环", "watch", " band", "smart band", "smartband"}, shown: []string{"watch", "band", "手表", "手环"}, icon: "⌚"},
	{said: []string{"电视", "tv"}, shown: []string{"tv", "电视"}, icon: "📺"},
	{said: []string{"耳机", "earbuds", "earbud", "buds", "headphones", "earphones"}, shown: []string{"buds", "耳机", "headphone"}, icon: "🎧"},
	{said: []string{"充电宝", "移动电源", "power bank", "powerbank"}, shown: []string{"充电宝", "移动电源", "power bank", "powerbank"}, icon: "🔋"},
	{said: []string{"手机充电器", "充电器", "充电头", "charger"}, shown: []string{"充电器", "充电头", "charger"}, icon: "🔌"},
	{said: []string{"音箱", "音响", "speaker"}, shown: []string{"音箱", "音响", "speaker", "sound"}, icon: "🔊"},
	{said: []string{"净化器", "purifier"}, shown: []string{"净化器", "purifier"}, icon: "🌀"},
	// A robot that mops too ("米家扫拖机器人", a probe: "扫地机器人" was told
	// none of theirs is one), and a vacuum cleaner, are asked for as one.
	{said: []string{"扫地机器人", "扫拖机器人", "扫地机", "扫拖机", "拖地机", "洗地机", "吸尘器", "robot vacuum", "vacuum", "mop"}, shown: []string{"扫地", "扫拖", "拖地", "洗地", "吸尘", "vacuum", "mop"}, icon: "🧹"},
	{said: []string{"电动滑板车", "滑板车", "平衡车", "电动车", "scooter"}, shown: []string{"滑板车", "平衡车", "电动车", "scooter"}, icon: "🛴"},
	{said: []string{"显示器", "智能屏", "smart display"}, shown: []string{"显示器", "智能屏", "display", "monitor"}, icon: "🖥"},
	{said: []string{"路由器", "router"}, shown: []string{"路由器", "router"}, icon: "📶"},
	// A brand shows a phone only with a model's number ("Xiaomi 15",
	// "Redmi K80", "Redmi Note 14"): "Xiaomi Smart Display 10" is none (an
	// audit: "pay my phone" quoted and paid it). See phoneModel.
	// A foldable is a phone ("折叠屏那个提前结清" for the MIX Flip: a probe
	// got unsure).
	{said: []string{"折叠屏手机", "折叠手机", "折叠屏", "手机", "foldable", "flip phone", "phone", "mobile"}, shown: []string{"phone", "手机", "galaxy", "huawei", "honor", "oppo", "vivo"}, icon: "📱"},
}

// phoneModel is a phone's name by its brand and model number: "Xiaomi 15",
// "Redmi K80", "Redmi Note 14 5G", "POCO F6", "小米15".
var phoneModel = regexp.MustCompile(`\b(?:xiaomi|redmi|poco)\s+(?:(?:note|mix|civi|turbo|flip|fold)\s+)*[a-z]?[0-9]+[a-z]*\b|(?:小米|红米)\s*[0-9]+`)

// deviceKind is a kind of device: the words a customer names it by, the
// words of a product's name that show it, and its icon in a bill.
type deviceKind struct {
	said, shown []string
	icon        string
}

// productIcon is the icon a plan's product is shown with: its kind's, or a
// shopping bag for a kind the bot cannot tell.
func productIcon(product string) string {
	if k := kindShown(product); k >= 0 {
		return deviceKinds[k].icon
	}
	return "🛍"
}

// kindSaid is the kind of device a text names and the word it names it by
// — the longest such word ("平板电脑" is a tablet) — or -1.
func kindSaid(t string) (int, string) {
	kind, word := -1, ""
	for i, k := range deviceKinds {
		for _, w := range k.said {
			if len(w) > len(word) && strings.Contains(t, w) {
				kind, word = i, w
			}
		}
	}
	return kind, word
}

// kindsSaid is how many kinds of device t names, each word read once: the
// longest first ("平板电脑" is a tablet, not a laptop too; "headphones" no
// phone).
func kindsSaid(t string) int { return len(kindsNamed(t)) }

// kindsNamed are the kinds of device t names (their places in
// deviceKinds), each once, each word read once, the longest first.
func kindsNamed(t string) []int {
	var kinds []int
	for _, w := range kindWords {
		if strings.Contains(t, w.word) {
			if !slices.Contains(kinds, w.kind) {
				kinds = append(kinds, w.kind)
			}
			t = strings.ReplaceAll(t, w.word, " ")
		}
	}
	return kinds
}

// kindWords are the words of deviceKinds, the longest first.
var kindWords = func() []kindWord {
	var words []kindWord
	for i, k := range deviceKinds {
		for _, w := range k.said {
			words = append(words, kindWord{w, i})
		}
	}
	slices.SortStableFunc(words, func(a, b kindWord) int { return len(b.word) - len(a.word) })
	return words
}()

// ofKind reports a plan whose product is of kind (an index in deviceKinds).
func ofKind(kind int) func(supportbot.Plan) bool {
	return func(p supportbot.Plan) bool { return kindShown(p.Product) == kind }
}

// kindWord is a word that names a kind of device (its index in deviceKinds).
type kindWord struct {
	word string
	kind int
}

// kindShown is the kind of device a product name shows, or -1.
func kindShown(name string) int {
	name = strings.ToLower(name)
	if k := slices.IndexFunc(deviceKinds, func(k deviceKind) bool {
		return slices.ContainsFunc(k.shown, func(w string) bool { return strings.Contains(name, w) })
	}); k >= 0 {
		return k
	}
	if phoneModel.MatchString(name) {
		return len(deviceKinds) - 1
	}
	return -1
}

// pickFiller is what may stand beside the kind in a pick ("手机那个", "the
// laptop one"): anything else makes the text a sentence ("换手机了"), not a
// pick.
var pickFiller = strings.NewReplacer("那个", "", "那笔", "", "这个", "", "那一笔", "", "的", "", "吧", "", "选", "", "先", "",
	"the ", "", "my ", "", " one", "", " please", "", " first", "", " ", "")

// followFiller is what may stand beside the kind of device in a follow-up
// asking about another plan ("那笔记本那个呢", "what about the laptop").
var followFiller = strings.NewReplacer("不是这个", "", "不是那个", "", "不是这笔", "", "我说的是", "", "我要的是", "", "不对", "", "换成", "", "改成", "", "是", "",
	"那个", "", "那笔", "", "这个", "", "那", "", "的", "", "呢", "", "还有", "", "，", "", ",", "",
	"what about", "", "how about", "", "actually", "", "i meant", "", "i mean", "", "sorry", "", "wrong one", "", "no ", "",
	"and", "", "the ", "", "my ", "", " one", "", " ", "")

// kindFollowUp reports a short follow-up naming a kind of device and
// nothing else ("笔记本呢", "what about the laptop?").
func kindFollowUp(text string) bool {
	t := bare(text)
	said, word := kindSaid(t)
	return said >= 0 && followFiller.Replace(strings.Replace(t, word, "", 1)) == ""
}

// kindChoice is the one item of the kind of device a pick names, 0 when
// it names none, or the list has none or several of that kind.
func kindChoice(t string, names []string) int {
	said, word := kindSaid(t)
	if said < 0 || pickFiller.Replace(strings.Replace(t, word, "", 1)) != "" {
		return 0
	}
	return onlyOne(len(names), func(i int) bool { return kindShown(names[i]) == said })
}

// onlyOne is the place (1-based) of the one item of n that fits, 0 when
// none or several do: a pick names one item or none.
func onlyOne(n int, fits func(i int) bool) int {
	found := 0
	for i := range n {
		if !fits(i) {
			continue
		}
		if found != 0 {
			return 0
		}
		found = i + 1
	}
	return found
}

var (
	zhOrdinal = regexp.MustCompile(`^(?:选)?第?([0-9]{1,2}|[一二两三四五六七八九十]{1,2})(?:个|笔|项|号|条|种)?(?:吧|的|那个|那笔)?$`)
	enOrdinal = regexp.MustCompile(`^(?:the |no\.? ?|number |#|option )?([0-9]{1,2})(?:st|nd|rd|th)?(?: one)?(?: please| pls)?$`)
)

// ordinal is the position a typed pick names, 0 for none.
func ordinal(t string) int {
	if strings.HasPrefix(t, "第") { // "第二笔呢" (a probe: "can't answer"); "两个呢" may be both
		t = strings.TrimSuffix(strings.TrimSuffix(t, "呢"), "的")
	}
	if m := zhOrdinal.FindStringSubmatch(t); m != nil {
		if n, err := strconv.Atoi(m[1]); err == nil {
			return n
		}
		return chineseNumber(m[1])
	}
	if m := enOrdinal.FindStringSubmatch(t); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	w := strings.TrimPrefix(strings.TrimPrefix(t, "the "), "number ")
	w = strings.TrimSuffix(strings.TrimSuffix(w, " please"), " one")
	if w == "one" {
		return 1
	}
	return numberValue[w] // "second", "two", "the third"
}

// chineseNumber reads 一 to 九十九 as written in a pick; 0 for anything else.
func chineseNumber(s string) int {
	digits := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	rs := []rune(s)
	switch {
	case len(rs) == 1 && rs[0] == '十':
		return 10
	case len(rs) == 1:
		return digits[rs[0]]
	case len(rs) == 2 && rs[0] == '十':
		return 10 + digits[rs[1]]
	case len(rs) == 2 && rs[1] == '十':
		return 10 * digits[rs[0]]
	case len(rs) == 3 && rs[1] == '十' && digits[rs[0]] > 0 && digits[rs[2]] > 0: // 二十五
		return 10*digits[rs[0]] + digits[rs[2]]
	}
	return 0
}

// brandNames are the Chinese names of products named in Latin letters:
// "红米本" is a RedmiBook, "红米" a Redmi, "小米本" a Xiaomi Book (a probe:
// "提前还款 红米本" was not understood — the FAQ reads 红米 as shopping). 小
// 米 alone stays: it is as likely 小米分期, a partner, or the mall.
// Each stands apart from what follows: "红米K80" is "redmi k80" (a probe:
// "redmik80", no word of "Redmi K80", read as none).
var brandNames = strings.NewReplacer("红米本", " redmibook ", "小米本", " xiaomi book ", "红米", " redmi ",
	"苹果手机", " iphone ", "苹果平板", " ipad ", "苹果电脑", " macbook ", "苹果笔记本", " macbook ", "苹果手表", " apple watch ")

// xiaomiModel is 小米 with a model number ("小米15"): a Xiaomi phone, not
// the partner; modelSaid a brand and its model number.
var (
	xiaomiModel = regexp.MustCompile(`小米\s*([0-9]{1,3})`)
	modelSaid   = regexp.MustCompile(`\b(xiaomi|redmi|poco)\s*([0-9]{1,3}[a-z]?)\b`)
	// modelNumber is a model's number said beside a word of its model
	// ("15 pro", "note 14", "k80").
	modelNumber = regexp.MustCompile(`\b(?:xiaomi|redmi|poco|mi|note|pad|book|band|watch|tv|buds|k)\s*([0-9]{1,3}[a-z]?)\b|\b([0-9]{1,3}[a-z]?)\s+(?:pro|max|ultra|plus|lite|mini|se)\b`)
)

// nameChoice is the one item whose name has a word of the typed text in it
// — letters and digits, three or more ("book", "k70"), or two Chinese
// characters side by side ("电视") — 0 when none or several have.
func nameChoice(t string, names []string) int {
	// A name typed whole is that plan, whatever other names hold it ("AirPods
	// & 充电盒" beside a bundle "… 附赠 AirPods & 充电盒 …": a probe quoted
	// and paid the bundle for the earbuds paid off).
	if i := onlyOne(len(names), func(i int) bool {
		n := strings.ToLower(strings.TrimSpace(names[i]))
		return utf8.RuneCountInString(n) >= 4 && strings.Contains(t, n)
	}); i > 0 {
		return i
	}
	if m := sizeSaid.FindStringSubmatch(t); m != nil {
		// "65寸的": the one name with that number in it
		if i := onlyOne(len(names), func(i int) bool {
			return slices.Contains(strings.FieldsFunc(strings.ToLower(names[i]), notAlnum), m[1])
		}); i > 0 {
			return i
		}
	}
	t = brandNames.Replace(xiaomiModel.ReplaceAllString(t, "xiaomi $1"))
	// A brand and its model number ("小米15", "xiaomi 15", "redmi 13") name
	// the one plan of that model, where the brand alone names several (an
	// audit: "不对 是小米15" at the K80's quote was read as the amount
	// doubted, and a 确认 after it paid the K80).
	if m := modelSaid.FindStringSubmatch(t); m != nil {
		sameModel := func(n []string) bool { return n[1] == m[1] && n[2] == m[2] }
		if i := onlyOne(len(names), func(i int) bool {
			return slices.ContainsFunc(modelSaid.FindAllStringSubmatch(strings.ToLower(names[i]), -1), sameModel)
		}); i > 0 {
			return i
		}
	}
	// A kind's word no name has is the kind's to read, not words of a name:
	// "充电宝" is a power bank, not the charger "充电" would name (an audit
	// paid the charger).
	for _, w := range kindWords {
		if strings.Contains(t, w.word) && !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(strings.ToLower(n), w.word) }) {
			t = strings.ReplaceAll(t, w.word, " ")
		}
	}
	// A model's number none of the names has is another model: "pay the 15
	// pro" is not the Redmi Note 13 Pro (an English probe quoted it, "pro"
	// its only word in common).
	for _, at := range modelNumber.FindAllStringSubmatchIndex(t, -1) {
		if rest := t[at[1]:]; len(rest) > 1 && (rest[0] == '.' || rest[0] == ',') && rest[1] >= '0' && rest[1] <= '9' {
			continue // "pay the pad 333.16": an amount
		}
		m := func(i int) string {
			if at[2*i] < 0 {
				return ""
			}
			return t[at[2*i]:at[2*i+1]]
		}
		if num := m(1) + m(2); !slices.ContainsFunc(names, func(n string) bool { return hasNumber(strings.ToLower(n), num) }) {
			return 0
		}
	}
	found := 0
	for i, name := range names {
		name = strings.ToLower(name)
		for _, w := range nameWords(t) {
			if !wordOfName(name, w) {
				continue
			}
			if found != 0 && found != i+1 {
				return 0
			}
			found = i + 1
		}
	}
	return found
}

// sizeSaid is a screen's size in inches ("65寸", "100 inch"): the number
// a TV's name carries ("小米电视 S Pro 65": an audit's "不对 是65寸的" was
// read as the amount doubted).
var sizeSaid = regexp.MustCompile(`([0-9]{2,3})\s*(?:英寸|寸|吋|-?inch(?:es)?\b|")`)

// namesNamed are the items (from 1) the typed text names each by a word
// that is in its name alone — a Chinese pair of characters, or a whole word
// of its name in letters ("not" is no word of "note") — in the order of
// the text ("把手环和净化器都结清" names two).
func namesNamed(t string, names []string) []int {
	lower := make([]string, len(names))
	for i, name := range names {
		lower[i] = strings.ToLower(name)
	}
	var named []int
	for _, w := range nameWords(brandNames.Replace(t)) {
		in := func(i int) bool { return strings.Contains(lower[i], w) }
		if !unicode.Is(unicode.Han, []rune(w)[0]) {
			in = func(i int) bool { return slices.Contains(strings.FieldsFunc(lower[i], notAlnum), w) }
		}
		if i := onlyOne(len(lower), in); i > 0 && !slices.Contains(named, i) {
			named = append(named, i)
		}
	}
	return named
}

// hasNumber reports num in s as a number of its own: not within a longer
// one ("k70" has 70, "2070" does not).
func hasNumber(s, num string) bool {
	for i := strings.Index(s, num); i >= 0; {
		end := i + len(num)
		if (i == 0 || !isDigit(s[i-1])) && (end == len(s) || !isDigit(s[end])) {
			return true
		}
		next := strings.Index(s[i+1:], num)
		if next < 0 {
			return false
		}
		i += next + 1
	}
	return false
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// notAlnum reports a rune that is neither a letter nor a digit.
func notAlnum(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// wordOfName reports a word typed (of nameWords) in a lower-cased name: two
// Chinese characters anywhere in it; a word in letters as one of its words,
// or, four letters or more, the start or end of one ("redmi" of
// "redmibook", "book" of "matebook") — not any letters inside one: "and"
// is no word of "Smart Band 9" (an English probe: "the overdue stuff and
// this month's" was read as the band's month alone); a number anywhere in
// one ("512" of "512gb").
func wordOfName(name, w string) bool {
	first, _ := utf8.DecodeRuneInString(w)
	if unicode.Is(unicode.Han, first) || unicode.IsDigit(first) {
		return strings.Contains(name, w)
	}
	return slices.ContainsFunc(strings.FieldsFunc(name, notAlnum), func(f string) bool {
		return f == w || (len(w) >= 4 || len(w) == 3 && !shortWords[w]) && strings.HasPrefix(f, w) || len(w) >= 4 && strings.HasSuffix(f, w)
	})
}

// shortWords are English words of three letters a sentence has, no
// shortening of a name ("the vac" is the vacuum; "and" no Android).
var shortWords = map[string]bool{"and": true, "the": true, "for": true, "not": true, "can": true, "are": true, "you": true, "all": true,
	"any": true, "how": true, "pay": true, "off": true, "due": true, "now": true, "one": true, "two": true, "new": true, "old": true,
	"too": true, "out": true, "get": true, "got": true, "was": true, "has": true, "had": true, "her": true, "his": true, "its": true,
	"our": true, "who": true, "why": true, "yes": true, "use": true, "see": true, "set": true, "did": true, "may": true, "let": true,
	"but": true, "far": true, "way": true, "day": true, "own": true, "per": true, "fee": true, "bit": true, "lot": true}

// nameWords are the words a name may be typed by: runs of letters and
// digits, three or more, and each two Chinese characters side by side.
func nameWords(t string) []string {
	var words []string
	var run []rune
	han := false
	flush := func() {
		switch {
		case han:
			for i := 0; i+1 < len(run); i++ {
				words = append(words, string(run[i:i+2]))
			}
		case len(run) >= 3:
			words = append(words, string(run))
		}
		run = run[:0]
	}
	for _, r := range t {
		isHan := unicode.Is(unicode.Han, r)
		if !isHan && !unicode.IsLetter(r) && !unicode.IsDigit(r) || len(run) > 0 && isHan != han {
			flush()
		}
		if isHan || unicode.IsLetter(r) || unicode.IsDigit(r) {
			han = isHan
			run = append(run, unicode.ToLower(r))
		}
	}
	flush()
	return words
}
