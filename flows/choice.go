package flows

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
	if i := nameChoice(t, names); i > 0 {
		return i
	}
	return kindChoice(t, names)
}

// deviceKinds are the kinds of device a customer names a plan by ("手机那个",
// "the laptop"): the words they say, and the words of a product name that
// show the kind. A name that shows none is a phone's ("Redmi K70").
var deviceKinds = []deviceKind{
	{said: []string{"笔记本", "电脑", "laptop", "notebook"}, shown: []string{"book", "笔记本", "laptop"}},
	{said: []string{"平板", "tablet", "pad"}, shown: []string{"pad", "平板", "tablet"}},
	{said: []string{"手表", "手环", "watch"}, shown: []string{"watch", "band", "手表", "手环"}},
	{said: []string{"电视", "tv"}, shown: []string{"tv", "电视"}},
	{said: []string{"耳机", "earbuds", "headphones"}, shown: []string{"buds", "耳机", "headphone"}},
	{said: nil, shown: []string{"音箱", "speaker", "路由", "router", "相机", "camera", "空调", "冰箱", "洗衣机", "净化器", "扫地", "vacuum"}},
	{said: []string{"手机", "phone", "mobile"}}, // last: a name that shows no other kind
}

type deviceKind struct{ said, shown []string }

// isSaid and isShown report whether a text says the kind, and a product
// name shows it (the kind that lists no words is every other name's).
func (k deviceKind) isSaid(t string) bool {
	return slices.ContainsFunc(k.said, func(w string) bool { return strings.Contains(t, w) })
}

func (k deviceKind) isShown(name string) bool {
	return k.shown == nil || slices.ContainsFunc(k.shown, func(w string) bool { return strings.Contains(name, w) })
}

// kindChoice is the one item of the kind of device a short text names, 0
// when it names none, or the list has none or several of that kind.
func kindChoice(t string, names []string) int {
	if utf8.RuneCountInString(t) > 12 || strings.Contains(t, "手机号") || strings.Contains(t, "phone number") {
		return 0
	}
	said := slices.IndexFunc(deviceKinds, func(k deviceKind) bool { return k.isSaid(t) })
	if said < 0 {
		return 0
	}
	found := 0
	for i, name := range names {
		name = strings.ToLower(name)
		kind := slices.IndexFunc(deviceKinds, func(k deviceKind) bool { return k.isShown(name) })
		if kind != said {
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
	enWords   = map[string]int{"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
		"eighth": 8, "ninth": 9, "tenth": 10}
)

// ordinal is the position a typed pick names, 0 for none.
func ordinal(t string) int {
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
	w := strings.TrimPrefix(t, "the ")
	w = strings.TrimSuffix(strings.TrimSuffix(w, " please"), " one")
	return enWords[w]
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
	}
	return 0
}

// nameChoice is the one item whose name has a word of the typed text in it
// — letters and digits, three or more ("book", "k70"), or two Chinese
// characters side by side ("电视") — 0 when none or several have.
func nameChoice(t string, names []string) int {
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
	found := 0
	for i, name := range names {
		name = strings.ToLower(name)
		for _, w := range words {
			if !strings.Contains(name, w) {
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
