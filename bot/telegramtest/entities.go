package telegramtest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entity is a MessageEntity of a text or caption as the recipient sees it:
// Offset and Length count UTF-16 code units of the parsed (plain) text.
type Entity struct {
	// Type is Telegram's entity type: bold, italic, underline, strikethrough,
	// spoiler, code, pre, text_link, text_mention, custom_emoji, blockquote,
	// expandable_blockquote, bot_command.
	Type           string
	Offset, Length int
	URL            string // text_link
	Language       string // pre
	CustomEmojiID  string // custom_emoji
	UserID         int64  // text_mention
}

// EntityText returns the part of text that e covers.
func EntityText(text string, e Entity) string {
	var b strings.Builder
	u := 0
	for _, r := range text {
		if u >= e.Offset+e.Length {
			break
		}
		if u >= e.Offset {
			b.WriteRune(r)
		}
		u += utf16Units(r)
	}
	return b.String()
}

// styled lists the parts of text covered by entities of type typ, in order.
func styled(text string, ents []Entity, typ string) []string {
	var out []string
	for _, e := range ents {
		if e.Type == typ {
			out = append(out, EntityText(text, e))
		}
	}
	return out
}

// formatted is a parsed text: what the recipient sees and its entities.
type formatted struct {
	text string
	ents []Entity
}

// checkText parses text (or a caption) for parse_mode — or takes the explicit
// entities when there is no parse mode, as the Bot API does — and checks the
// limits, which count UTF-16 code units of the parsed text.
func checkText(text, mode, entities string, limit int, caption bool) (formatted, *apiError) {
	if !utf8.ValidString(text) {
		return formatted{}, bad("strings must be encoded in UTF-8")
	}
	var f formatted
	var perr string
	switch strings.ToLower(mode) {
	case "", "none":
		f.text = text
		if entities != "" {
			ents, err := explicitEntities(entities, text)
			if err != nil {
				return formatted{}, err
			}
			f.ents = ents
		}
	case "html":
		f.text, f.ents, perr = parseHTML(text)
	case "markdownv2":
		f.text, f.ents, perr = parseMarkdownV2(text)
	case "markdown":
		f.text, f.ents, perr = parseMarkdown(text)
	default:
		return formatted{}, bad("unsupported parse_mode")
	}
	switch {
	case perr != "":
		return formatted{}, bad("can't parse entities: " + perr)
	case strings.TrimSpace(f.text) == "" && !caption:
		return formatted{}, bad("message text is empty")
	case utf16Len(f.text) > limit && caption:
		return formatted{}, bad("message caption is too long")
	case utf16Len(f.text) > limit:
		return formatted{}, bad("message is too long")
	}
	return f, nil
}

// explicitEntities takes the entities parameter (JSON MessageEntity array).
func explicitEntities(raw, text string) ([]Entity, *apiError) {
	var ws []wEntity
	if json.Unmarshal([]byte(raw), &ws) != nil {
		return nil, bad("can't parse entities JSON object")
	}
	n := utf16Len(text)
	var ents []Entity
	for _, w := range ws {
		if w.Offset < 0 || w.Length <= 0 || w.Offset+w.Length > n {
			continue // Telegram drops entities outside the text
		}
		e := Entity{Type: w.Type, Offset: w.Offset, Length: w.Length, URL: w.URL, Language: w.Language, CustomEmojiID: w.CustomEmojiID}
		if w.User != nil {
			e.UserID = w.User.ID
		}
		ents = append(ents, e)
	}
	sortEntities(ents)
	return ents, nil
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16Units(r)
	}
	return n
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z'
}

// textBuilder accumulates parsed text, counting UTF-16 units as it goes.
type textBuilder struct {
	strings.Builder
	u16 int
}

func (b *textBuilder) rune(r rune) { b.WriteRune(r); b.u16 += utf16Units(r) }

// copyRune copies the UTF-8 sequence at s[i:] and returns its length.
func (b *textBuilder) copyRune(s string, i int) int {
	r, n := utf8.DecodeRuneInString(s[i:])
	b.WriteString(s[i : i+n])
	b.u16 += utf16Units(r)
	return n
}

var htmlTags = map[string]string{
	"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
	"s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "span": "spoiler", "tg-spoiler": "spoiler",
	"a": "text_link", "code": "code", "pre": "pre", "tg-emoji": "custom_emoji", "blockquote": "blockquote",
}

// parseHTML parses Telegram's HTML as tdlib does, and stricter where Telegram
// documents a rule it does not enforce: every '&' must start an entity (&lt;
// &gt; &amp; &quot; &#NNN; &#xHH;) and a tag may carry only the attributes
// Telegram gives a meaning. Error texts are tdlib's where tdlib has them.
func parseHTML(s string) (string, []Entity, string) {
	type open struct {
		tag, arg string
		off, pos int // UTF-16 offset and byte position in the output
	}
	var out textBuilder
	var ents []Entity
	var stack []open
	for i := 0; i < len(s); {
		switch s[i] {
		case '&':
			r, n := htmlEntity(s[i:])
			if n == 0 {
				return "", nil, fmt.Sprintf(`Character '&' at byte offset %d must be escaped as "&amp;"`, i)
			}
			out.rune(r)
			i += n
		case '<':
			begin := i
			if i+1 < len(s) && s[i+1] == '/' {
				if len(stack) == 0 {
					return "", nil, fmt.Sprintf("Unexpected end tag at byte offset %d", begin)
				}
				j := i + 2
				for j < len(s) && !isSpace(s[j]) && s[j] != '>' {
					j++
				}
				name := s[i+2 : j]
				for j < len(s) && isSpace(s[j]) {
					j++
				}
				if j >= len(s) || s[j] != '>' {
					return "", nil, fmt.Sprintf("Unclosed end tag at byte offset %d", begin)
				}
				top := stack[len(stack)-1]
				if name != "" && name != top.tag {
					return "", nil, fmt.Sprintf(`Unmatched end tag at byte offset %d, expected "</%s>", found "</%s>"`, begin, top.tag, name)
				}
				stack = stack[:len(stack)-1]
				i = j + 1
				if out.u16 == top.off {
					continue // empty entities vanish
				}
				e := Entity{Type: htmlTags[top.tag], Offset: top.off, Length: out.u16 - top.off}
				switch top.tag {
				case "tg-emoji":
					if id, err := strconv.ParseInt(top.arg, 10, 64); err != nil || id <= 0 {
						return "", nil, "Invalid custom emoji identifier specified"
					}
					e.CustomEmojiID = top.arg
				case "a":
					url := top.arg
					if url == "" {
						url = out.String()[top.pos:]
					}
					if id, ok := userLink(url); ok {
						e.Type, e.UserID = "text_mention", id
					} else if e.URL, ok = checkLink(url); !ok {
						continue // Telegram drops links it can't use
					}
				case "code", "pre": // <pre><code class="language-x"> is one pre entity
					if n := len(ents); n > 0 && ents[n-1].Offset == e.Offset && ents[n-1].Length == e.Length &&
						(ents[n-1].Type == "code" || ents[n-1].Type == "pre") && ents[n-1].Type != top.tag {
						ents[n-1].Type = "pre"
						if top.arg != "" {
							ents[n-1].Language = top.arg
						}
						continue
					}
					e.Language = top.arg // a code's language counts only inside a pre
				case "blockquote":
					if top.arg == "expandable" {
						e.Type = "expandable_blockquote"
					}
				}
				ents = append(ents, e)
				continue
			}
			tag, arg, next, perr := htmlStartTag(s, i)
			if perr != "" {
				return "", nil, perr
			}
			stack = append(stack, open{tag: tag, arg: arg, off: out.u16, pos: out.Len()})
			i = next
		default:
			i += out.copyRune(s, i)
		}
	}
	if len(stack) > 0 {
		return "", nil, fmt.Sprintf(`Can't find end tag corresponding to start tag "%s"`, stack[len(stack)-1].tag)
	}
	for k := range ents {
		if ents[k].Type == "code" {
			ents[k].Language = ""
		}
	}
	return out.String(), nestEntities(ents), ""
}

// htmlStartTag parses the start tag at s[begin] ('<') and returns its name, its
// meaningful argument and the position after '>'.
func htmlStartTag(s string, begin int) (tag, arg string, next int, perr string) {
	j := begin + 1
	for j < len(s) && !isSpace(s[j]) && s[j] != '>' {
		j++
	}
	if j >= len(s) {
		return "", "", 0, fmt.Sprintf("Unclosed start tag at byte offset %d", begin)
	}
	tag = strings.ToLower(s[begin+1 : j])
	if _, ok := htmlTags[tag]; !ok {
		return "", "", 0, fmt.Sprintf(`Unsupported start tag "%s" at byte offset %d`, tag, begin)
	}
	for {
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return "", "", 0, fmt.Sprintf(`Unclosed start tag "%s" at byte offset %d`, tag, begin)
		}
		if s[j] == '>' {
			break
		}
		nb := j
		for j < len(s) && !isSpace(s[j]) && s[j] != '=' && s[j] != '>' {
			j++
		}
		name := strings.ToLower(s[nb:j])
		if name == "" {
			return "", "", 0, fmt.Sprintf(`Empty attribute name in the tag "%s" at byte offset %d`, tag, begin)
		}
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return "", "", 0, fmt.Sprintf(`Unclosed start tag "%s" at byte offset %d`, tag, begin)
		}
		if s[j] != '=' {
			if tag == "blockquote" && name == "expandable" {
				arg = "expandable"
				continue
			}
			return "", "", 0, fmt.Sprintf(`Expected equal sign in declaration of an attribute of the tag "%s" at byte offset %d`, tag, begin)
		}
		j++
		for j < len(s) && isSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return "", "", 0, fmt.Sprintf(`Unclosed start tag "%s" at byte offset %d`, tag, begin)
		}
		var val string
		if q := s[j]; q != '"' && q != '\'' {
			tb := j
			for j < len(s) && (isAlnum(s[j]) || s[j] == '.' || s[j] == '-') {
				j++
			}
			val = strings.ToLower(s[tb:j])
			if j >= len(s) || !isSpace(s[j]) && s[j] != '>' {
				return "", "", 0, fmt.Sprintf("Unexpected end of name token at byte offset %d", tb)
			}
		} else {
			var vb strings.Builder
			for j++; j < len(s) && s[j] != q; {
				if s[j] == '&' {
					r, n := htmlEntity(s[j:])
					if n == 0 {
						return "", "", 0, fmt.Sprintf(`Character '&' at byte offset %d must be escaped as "&amp;"`, j)
					}
					vb.WriteRune(r)
					j += n
					continue
				}
				vb.WriteByte(s[j])
				j++
			}
			if j >= len(s) {
				return "", "", 0, fmt.Sprintf("Unclosed start tag at byte offset %d", begin)
			}
			j++
			val = vb.String()
		}
		switch {
		case tag == "a" && name == "href", tag == "tg-emoji" && name == "emoji-id":
			arg = val
		case tag == "code" && name == "class" && strings.HasPrefix(val, "language-"):
			arg = val[len("language-"):]
		case tag == "span" && name == "class" && val == "tg-spoiler":
			arg = "spoiler"
		case tag == "span" && name == "class":
			return "", "", 0, fmt.Sprintf(`Tag "span" must have class "tg-spoiler" at byte offset %d`, begin)
		case tag == "blockquote" && name == "expandable":
			arg = "expandable"
		default:
			return "", "", 0, fmt.Sprintf(`Unsupported attribute "%s" in the tag "%s" at byte offset %d`, name, tag, begin)
		}
	}
	if tag == "span" && arg != "spoiler" {
		return "", "", 0, fmt.Sprintf(`Tag "span" must have class "tg-spoiler" at byte offset %d`, begin)
	}
	return tag, arg, j + 1, ""
}

// htmlEntity decodes the character reference at the start of s ('&') and
// returns its length, or 0 if it is not one Telegram supports.
func htmlEntity(s string) (rune, int) {
	if strings.HasPrefix(s, "&#") {
		j, base := 2, 10
		if j < len(s) && s[j]|0x20 == 'x' {
			j, base = 3, 16
		}
		start := j
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || base == 16 && s[j]|0x20 >= 'a' && s[j]|0x20 <= 'f') {
			j++
		}
		if j == start || j >= len(s) || s[j] != ';' {
			return 0, 0
		}
		v, err := strconv.ParseUint(s[start:j], base, 32)
		if err != nil || v == 0 || v > utf8.MaxRune || v >= 0xD800 && v <= 0xDFFF {
			return 0, 0
		}
		return rune(v), j + 1
	}
	for _, e := range [...]struct {
		name string
		r    rune
	}{{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}} {
		if strings.HasPrefix(s, e.name) {
			return e.r, len(e.name)
		}
	}
	return 0, 0
}

// userLink recognises tg://user?id=N, which makes a text_mention.
func userLink(url string) (int64, bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(url), "tg://user?id=")
	if !ok {
		return 0, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	return id, err == nil && id > 0
}

// checkLink validates a link as tdlib does, approximately: tg:// and ton://
// links pass, a link without a scheme gets http://, and an empty path becomes
// "/" — Telegram reports https://example.com as https://example.com/.
func checkLink(link string) (string, bool) {
	link = strings.TrimSpace(link)
	low := strings.ToLower(link)
	if strings.HasPrefix(low, "tg://") || strings.HasPrefix(low, "ton://") {
		return link, len(link) > len("tg://")
	}
	if !strings.Contains(link, "://") {
		link = "http://" + link
	}
	u, err := neturl.Parse(link)
	if err != nil || u.Host == "" || strings.ContainsAny(link, " \t\n") {
		return "", false
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" && s != "ftp" {
		return "", false
	}
	if u.Path == "" && u.RawPath == "" {
		u.Path = "/"
	}
	return u.String(), true
}

// nestEntities sorts entities as Telegram returns them and drops the nestings
// Telegram does not allow (it drops them silently): nothing inside code or pre,
// no blockquote in a blockquote, and links, mentions, custom emoji and code
// not inside each other.
func nestEntities(ents []Entity) []Entity {
	slices.Reverse(ents) // entities close inside out: of two on the same text, the later one is outer
	sortEntities(ents)
	atomic := func(t string) bool {
		return t == "code" || t == "pre" || t == "text_link" || t == "text_mention" || t == "custom_emoji"
	}
	quote := func(t string) bool { return t == "blockquote" || t == "expandable_blockquote" }
	var out []Entity
	for _, e := range ents {
		ok := true
		for _, o := range out {
			if o.Offset > e.Offset || o.Offset+o.Length < e.Offset+e.Length {
				continue // o does not contain e
			}
			if o.Type == "code" || o.Type == "pre" || atomic(o.Type) && atomic(e.Type) || quote(o.Type) && quote(e.Type) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, e)
		}
	}
	return out
}

// sortEntities orders by offset, outer entities first.
func sortEntities(ents []Entity) {
	slices.SortStableFunc(ents, func(a, b Entity) int {
		return cmp.Or(cmp.Compare(a.Offset, b.Offset), cmp.Compare(b.Length, a.Length))
	})
}

// mdv2Names are tdlib's names of MarkdownV2 entities in error messages.
var mdv2Names = map[string]string{
	"bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough", "spoiler": "Spoiler",
	"text_link": "TextUrl", "code": "Code", "pre": "Pre", "custom_emoji": "CustomEmoji",
}

// parseMarkdownV2 follows tdlib's MarkdownV2 parser: every reserved character
// outside an entity must be escaped, inside code and pre only ` and \.
func parseMarkdownV2(s string) (string, []Entity, string) {
	type open struct {
		typ, arg  string
		off, pos  int // UTF-16 offset and byte position in the output
		byteStart int // in the input, for error messages
	}
	var out textBuilder
	var ents []Entity
	var stack []open
	quote := -1 // UTF-16 offset of an open '>' block quote
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		inCode := len(stack) > 0 && (stack[len(stack)-1].typ == "code" || stack[len(stack)-1].typ == "pre")
		if c == '\\' && at(i+1) > 0 && at(i+1) <= 126 {
			i++
			out.rune(rune(s[i]))
			continue
		}
		if c == '\n' && quote >= 0 && at(i+1) != '>' && !inCode {
			ents = append(ents, Entity{Type: "blockquote", Offset: quote, Length: out.u16 - quote})
			quote = -1
		}
		if c == '>' && (i == 0 || s[i-1] == '\n') && !inCode {
			if quote < 0 {
				quote = out.u16
			}
			continue
		}
		reserved := "_*[]()~`>#+-=|{}.!"
		if inCode {
			reserved = "`"
		}
		if strings.IndexByte(reserved, c) < 0 {
			i += out.copyRune(s, i) - 1
			continue
		}
		end := false
		if n := len(stack); n > 0 {
			switch stack[n-1].typ {
			case "bold":
				end = c == '*'
			case "italic":
				end = c == '_' && at(i+1) != '_'
			case "underline":
				end = c == '_' && at(i+1) == '_'
			case "strikethrough":
				end = c == '~'
			case "spoiler":
				end = c == '|' && at(i+1) == '|'
			case "text_link", "custom_emoji":
				end = c == ']'
			case "code":
				end = c == '`'
			case "pre":
				end = c == '`' && at(i+1) == '`' && at(i+2) == '`'
			}
		}
		if !end {
			o := open{off: out.u16, pos: out.Len(), byteStart: i}
			switch c {
			case '_':
				o.typ = "italic"
				if at(i+1) == '_' {
					o.typ = "underline"
					i++
				}
			case '*':
				o.typ = "bold"
			case '~':
				o.typ = "strikethrough"
			case '|':
				if at(i+1) != '|' {
					return "", nil, fmt.Sprintf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
				}
				o.typ = "spoiler"
				i++
			case '[':
				o.typ = "text_link"
			case '`':
				o.typ = "code"
				if at(i+1) == '`' && at(i+2) == '`' {
					o.typ = "pre"
					i += 3
					le := i
					for le < len(s) && !isSpace(s[le]) && s[le] != '`' {
						le++
					}
					if le != i && le < len(s) && s[le] != '`' {
						o.arg = s[i:le]
						i = le
					}
					if at(i) == '\n' || at(i) == '\r' {
						if (at(i+1) == '\n' || at(i+1) == '\r') && at(i) != at(i+1) {
							i += 2
						} else {
							i++
						}
					}
					i--
				}
			case '!':
				if at(i+1) != '[' {
					return "", nil, fmt.Sprintf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
				}
				o.typ = "custom_emoji"
				i++
			default:
				return "", nil, fmt.Sprintf("Character '%c' is reserved and must be escaped with the preceding '\\'", c)
			}
			stack = append(stack, o)
			continue
		}
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		e := Entity{Type: top.typ, Offset: top.off, Length: out.u16 - top.off}
		keep := true
		switch top.typ {
		case "underline", "spoiler":
			i++
		case "pre":
			i += 2
			e.Language = top.arg
		case "text_link", "custom_emoji":
			url := out.String()[top.pos:]
			if at(i+1) == '(' {
				var ub strings.Builder
				j := i + 2
				for j < len(s) && s[j] != ')' {
					if s[j] == '\\' && at(j+1) > 0 && at(j+1) <= 126 {
						ub.WriteByte(s[j+1])
						j += 2
						continue
					}
					ub.WriteByte(s[j])
					j++
				}
				if j >= len(s) {
					return "", nil, fmt.Sprintf("Can't find end of a URL at byte offset %d", i+2)
				}
				url, i = ub.String(), j
			} else if top.typ == "custom_emoji" {
				return "", nil, fmt.Sprintf("Custom emoji entity must contain a tg://emoji URL at byte offset %d", top.byteStart)
			}
			if top.typ == "custom_emoji" {
				id, ok := strings.CutPrefix(url, "tg://emoji?id=")
				if n, err := strconv.ParseInt(id, 10, 64); !ok || err != nil || n <= 0 {
					return "", nil, "Invalid custom emoji identifier specified"
				}
				e.CustomEmojiID = id
			} else if id, ok := userLink(url); ok {
				e.Type, e.UserID = "text_mention", id
			} else {
				e.URL, keep = checkLink(url)
			}
		}
		if keep && e.Length > 0 {
			ents = append(ents, e)
		}
	}
	if n := len(stack); n > 0 {
		return "", nil, fmt.Sprintf("Can't find end of %s entity at byte offset %d", mdv2Names[stack[n-1].typ], stack[n-1].byteStart)
	}
	if quote >= 0 && out.u16 > quote {
		ents = append(ents, Entity{Type: "blockquote", Offset: quote, Length: out.u16 - quote})
	}
	return out.String(), nestEntities(ents), ""
}

// parseMarkdown handles legacy Markdown: _italic_, *bold*, `code`, ```pre```
// and [text](url), not nested; an unpaired marker is an error.
func parseMarkdown(s string) (string, []Entity, string) {
	var out textBuilder
	var ents []Entity
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && strings.IndexByte("_*`[", s[i+1]) >= 0 {
			i++
			out.rune(rune(s[i]))
			continue
		}
		if strings.IndexByte("_*`[", c) < 0 {
			i += out.copyRune(s, i) - 1
			continue
		}
		begin, endc, pre, lang := i, c, false, ""
		if c == '[' {
			endc = ']'
		}
		i++
		if c == '`' && strings.HasPrefix(s[i:], "``") {
			pre = true
			i += 2
			le := i
			for le < len(s) && !isSpace(s[le]) && s[le] != '`' {
				le++
			}
			if le != i && le < len(s) && s[le] != '`' {
				lang, i = s[i:le], le
			}
		}
		off, pos := out.u16, out.Len()
		for i < len(s) && (s[i] != endc || pre && !strings.HasPrefix(s[i:], "```")) {
			i += out.copyRune(s, i)
		}
		if i >= len(s) {
			return "", nil, fmt.Sprintf("Can't find end of the entity starting at byte offset %d", begin)
		}
		e := Entity{Offset: off, Length: out.u16 - off}
		switch {
		case c == '_':
			e.Type = "italic"
		case c == '*':
			e.Type = "bold"
		case pre:
			e.Type, e.Language = "pre", lang
			i += 2
		case c == '`':
			e.Type = "code"
		case c == '[':
			url := out.String()[pos:]
			if strings.HasPrefix(s[i+1:], "(") {
				j := strings.IndexByte(s[i+1:], ')')
				if j < 0 {
					return "", nil, fmt.Sprintf("Can't find end of a URL at byte offset %d", i+2)
				}
				url, i = s[i+2:i+1+j], i+1+j
			}
			var ok bool
			if e.UserID, ok = userLink(url); ok {
				e.Type = "text_mention"
			} else if e.URL, ok = checkLink(url); ok {
				e.Type = "text_link"
			}
		}
		if e.Type != "" && e.Length > 0 {
			ents = append(ents, e)
		}
	}
	sortEntities(ents)
	return out.String(), ents, ""
}

// ParseHTML parses text as the Bot API does for parse_mode HTML: it returns
// the text a user sees, or the error sendMessage would answer with. Tests
// outside a server use it to check a reply before it is ever sent.
func ParseHTML(text string) (string, error) {
	f, err := checkText(text, "HTML", "", 1<<20, true)
	if err != nil {
		return "", errors.New(err.desc)
	}
	return f.text, nil
}
