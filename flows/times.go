package flows

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// relativeDay reads "today" (0), "tomorrow" (1) or the day after (2) in
// text.
func relativeDay(text string) (int, bool) {
	switch {
	case containsAny(text, "大后天"):
		return 3, true
	case containsAny(text, "后天", "day after tomorrow"):
		return 2, true
	case containsAny(text, "今天", "今日", "today"):
		return 0, true
	case containsAny(text, "明天", "明日", "tomorrow") || slices.ContainsFunc(dayShort[1:], func(w string) bool { return wordsIn(text, w) }):
		return 1, true
	case wordsIn(text, dayShort[0]):
		return 0, true
	}
	return 0, false
}

// dayShort are today and tomorrow as typed in a hurry: "tdy" first.
var dayShort = []string{"tdy", "tmrw", "tmr", "tmw", "2moro", "2morrow", "tmrrw"}

// daysAhead is the day text names relative to today: relativeDay's, or a
// day of the week (weekdayAhead).
func daysAhead(text string, today time.Time) (int, bool) {
	if n, ok := relativeDay(text); ok {
		return n, true
	}
	return weekdayAhead(text, today)
}

// weekdayAhead is how many days from today the day of the week text names
// is: "周一", "星期一", "礼拜一" the coming one (today's if today is one),
// "这周一"/"本周一" this week's (Monday first; it may have gone by),
// "下周一" next week's and "下下周一" the week's after, "上周一" last
// week's; "monday", "on monday", "this monday" the coming one, "next
// monday" the first after today, "last monday" the one gone by. How often
// ("每周一", "一周一次", "every monday", "on mondays") names no day. A
// probe: "下周一那个" at the bookings' list was not read.
func weekdayAhead(text string, today time.Time) (int, bool) {
	for _, at := range weekdayZH.FindAllStringSubmatchIndex(text, -1) {
		m := func(i int) string {
			if at[2*i] < 0 {
				return ""
			}
			return text[at[2*i]:at[2*i+1]]
		}
		if everyWeek(text[:at[0]], text[at[1]:]) {
			continue // "每周一", "一周一次", "周一到周五": how often, no day
		}
		wd := slices.Index(weekdayNamesZH, m(2))
		if wd < 0 {
			wd = 0 // 日 and 天 both name Sunday
		}
		from := mondayFirst(today.Weekday())
		switch {
		case strings.HasPrefix(m(1), "下"):
			return 7*strings.Count(m(1), "下") - from + mondayFirst(time.Weekday(wd)), true
		case strings.HasPrefix(m(1), "上"):
			return mondayFirst(time.Weekday(wd)) - from - 7, true
		case m(1) != "":
			return mondayFirst(time.Weekday(wd)) - from, true
		}
		return (wd - int(today.Weekday()) + 7) % 7, true
	}
	if m := weekdayEN.FindStringSubmatch(text); m != nil && !strings.HasSuffix(m[2], "s") && !strings.Contains(text, "every "+m[2]) {
		wd := slices.Index(weekdayNamesEN, m[2])
		n := (wd - int(today.Weekday()) + 7) % 7
		switch m[1] {
		case "next":
			if n == 0 {
				n = 7
			}
		case "last": // "last monday": the one gone by
			n -= 7
		}
		return n, true
	}
	return 0, false
}

// everyWeek reports a day of the week said of how often, between before
// and after it: "每周一", "一周一次", "周一到周五", "周一至周五" — or no day
// at all: "这周一共" is this week, all told.
func everyWeek(before, after string) bool {
	return strings.HasSuffix(before, "每") || strings.HasSuffix(before, "一") || strings.HasSuffix(before, "每个") ||
		strings.HasSuffix(before, "到") || strings.HasSuffix(before, "至") ||
		strings.HasPrefix(after, "次") || strings.HasPrefix(after, "共") || strings.HasPrefix(after, "到") || strings.HasPrefix(after, "至") || strings.HasPrefix(after, "~") || strings.HasPrefix(after, "-")
}

// mondayFirst is a weekday's place in a week that starts on Monday.
func mondayFirst(d time.Weekday) int { return (int(d) + 6) % 7 }

var (
	weekdayNamesZH = []string{"日", "一", "二", "三", "四", "五", "六"}
	weekdayNamesEN = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}
	weekdayZH      = regexp.MustCompile(`(下+个?|这个?|本|上个?)?(?:周|星期|礼拜)([一二三四五六日天])`)
	weekdayEN      = regexp.MustCompile(`\b(?:(next|this|on|last)\s+)?(sundays?|mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?)\b`)
)

// hourSaid reads a time of day text names — "9点", "晚上7点", "下午三点半",
// "19:05", "9am", "7 pm" — as the hour (0–23) and the minute (-1 when none
// is said). "一点" alone is not read ("晚一点的那个" is the later one).
func hourSaid(text string) (hour, minute int, ok bool) {
	for _, m := range hourZH.FindAllStringSubmatch(text, -1) {
		if m[2] == "一" && m[1] == "" {
			continue
		}
		h, err := strconv.Atoi(m[2])
		if err != nil {
			h = chineseNumber(m[2])
		}
		minute = -1
		switch {
		case m[3] == "半":
			minute = 30
		case m[3] != "":
			minute, _ = strconv.Atoi(m[3])
		}
		if h < 12 && containsAny(m[1], "下午", "晚上", "傍晚", "夜里") || h < 5 && m[1] == "中午" {
			h += 12
		}
		return h, minute, h <= 23 && minute < 60
	}
	for _, m := range hourEN.FindAllStringSubmatch(text, -1) {
		if m[2] == "" && m[3] == "" {
			continue // a number alone is no time
		}
		h, _ := strconv.Atoi(m[1])
		minute = -1
		if m[2] != "" {
			minute, _ = strconv.Atoi(m[2])
		}
		switch strings.ReplaceAll(m[3], ".", "") {
		case "pm":
			if h < 12 {
				h += 12
			}
		case "am":
			if h == 12 {
				h = 0
			}
		}
		return h, minute, h <= 23 && minute < 60
	}
	return 0, 0, false
}

var (
	hourZH = regexp.MustCompile(`(早上|上午|中午|下午|晚上|傍晚|夜里|凌晨)?\s*([0-9]{1,2}|[一二两三四五六七八九十]{1,3})\s*[点點](?:\s*(半|[0-9]{1,2})\s*分?)?`)
	hourEN = regexp.MustCompile(`\b([0-9]{1,2})(?::([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.|o'?clock)?(?:[^0-9a-z]|$)`)
)
