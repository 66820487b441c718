package telegramtest

import (
	"fmt"
	"strings"
)

// checkText validates text (or a caption) for its parse_mode and returns what the
// recipient sees. Limits count UTF-16 code units of the parsed text.
func checkText(text, mode string, limit int, caption bool) (string, *apiError) {
	var plain, perr string
	switch strings.ToLower(mode) {
	case "":
		plain = text
	case "html":
		plain, perr = parseHTML(text)
	case "markdownv2":
		plain, perr = parseMarkdownV2(text)
	case "markdown":
		plain, perr = parseMarkdown(text)
	default:
		return "", bad("unsupported parse_mode")
	}
	switch {
	case perr != "":
		return "", bad("can't parse entities: " + perr)
	case strings.TrimSpace(plain) == "" && !caption:
		return "", bad("message text is empty")
	case utf16Len(plain) > limit && caption:
		return "", bad("message caption is too long")
	case utf16Len(plain) > limit:
		return "", bad("message is too long")
	}
	return plain, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

func parseHTML(s string) (string, string) {
	var out strings.Builder
	var open []string
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", fmt.Sprintf("Unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+j]
			if name, end := strings.CutPrefix(tag, "/"); end {
				name = strings.ToLower(strings.TrimSpace(name))
				if len(open) == 0 {
					return "", fmt.Sprintf("Unexpected end tag at byte offset %d", i)
				}
				if last := open[len(open)-1]; name != last {
					return "", fmt.Sprintf("Unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, last, name)
				}
				open = open[:len(open)-1]
			} else {
				name, _, _ = strings.Cut(tag, " ")
				if name = strings.ToLower(name); !strings.Contains(" b strong i em u ins s strike del a code pre span tg-spoiler tg-emoji blockquote ", " "+name+" ") {
					return "", fmt.Sprintf("Unsupported start tag \"%s\" at byte offset %d", name, i)
				}
				open = append(open, name)
			}
			i += j
		case '&':
			j := strings.IndexByte(s[i:], ';')
			var r rune
			if j > 0 {
				switch e := s[i+1 : i+j]; {
				case e == "lt", e == "gt", e == "amp", e == "quot":
					r = rune(map[string]byte{"lt": '<', "gt": '>', "amp": '&', "quot": '"'}[e])
				case strings.HasPrefix(e, "#x"):
					fmt.Sscanf(e[2:], "%x", &r)
				case strings.HasPrefix(e, "#"):
					fmt.Sscanf(e[1:], "%d", &r)
				}
			}
			if r == 0 {
				out.WriteByte(c)
				continue
			}
			out.WriteRune(r)
			i += j
		default:
			out.WriteByte(c)
		}
	}
	if len(open) > 0 {
		return "", fmt.Sprintf("Can't find end tag corresponding to start tag \"%s\"", open[len(open)-1])
	}
	return out.String(), ""
}

// parseMarkdownV2 checks escaping and entity balance (approximately) and strips markup.
func parseMarkdownV2(s string) (string, string) {
	var out strings.Builder
	var count, last [256]int
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 < len(s) {
				i++
				out.WriteByte(s[i])
			}
		case c == '`':
			fence := s[i : i+1]
			if strings.HasPrefix(s[i:], "```") {
				fence = "```"
			}
			end := strings.Index(s[i+len(fence):], fence)
			if end < 0 {
				return "", fmt.Sprintf("Can't find end of %s entity at byte offset %d", map[bool]string{true: "Pre", false: "Code"}[len(fence) == 3], i)
			}
			body := s[i+len(fence) : i+len(fence)+end]
			if nl := strings.IndexByte(body, '\n'); len(fence) == 3 && nl >= 0 && !strings.ContainsAny(body[:nl], " \t") {
				body = body[nl+1:] // language tag
			}
			out.WriteString(strings.NewReplacer("\\`", "`", "\\\\", "\\").Replace(body))
			i += 2*len(fence) + end - 1
		case c == ']' && i+1 < len(s) && s[i+1] == '(':
			end := strings.IndexByte(s[i:], ')')
			if end < 0 {
				return "", fmt.Sprintf("Can't find end of a URL at byte offset %d", i+1)
			}
			i += end
		case c == '|' && i+1 < len(s) && s[i+1] == '|', strings.IndexByte("*_~[", c) >= 0:
			count[c]++
			last[c] = i
			if c == '|' {
				i++
			}
		case c == '>' && (i == 0 || s[i-1] == '\n'): // block quote
		case strings.IndexByte("_*[]()~`>#+-=|{}.!", c) >= 0:
			return "", fmt.Sprintf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
		default:
			out.WriteByte(c)
		}
	}
	for _, e := range []struct {
		c    byte
		name string
	}{{'*', "Bold"}, {'_', "Italic"}, {'~', "Strikethrough"}, {'|', "Spoiler"}} {
		if count[e.c]%2 == 1 {
			return "", fmt.Sprintf("Can't find end of %s entity at byte offset %d", e.name, last[e.c])
		}
	}
	return out.String(), ""
}

// parseMarkdown handles legacy Markdown, where an unpaired _ * or ` is an error.
func parseMarkdown(s string) (string, string) {
	var out strings.Builder
	open, at := byte(0), 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && open == 0 && i+1 < len(s) && strings.IndexByte("_*`[", s[i+1]) >= 0:
			i++
			out.WriteByte(s[i])
		case open == 0 && strings.IndexByte("_*`", c) >= 0:
			open, at = c, i
		case open != 0 && c == open:
			open = 0
		case open == 0 && c == '[':
			j := strings.Index(s[i:], "](")
			k := -1
			if j > 0 {
				k = strings.IndexByte(s[i+j:], ')')
			}
			if k < 0 {
				return "", fmt.Sprintf("Can't find end of the entity starting at byte offset %d", i)
			}
			out.WriteString(s[i+1 : i+j])
			i += j + k
		default:
			out.WriteByte(c)
		}
	}
	if open != 0 {
		return "", fmt.Sprintf("Can't find end of the entity starting at byte offset %d", at)
	}
	return out.String(), ""
}
