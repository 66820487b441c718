package locale

import (
	"embed"
	"fmt"
	"html"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"supportbot"
)

//go:embed zh/*.yaml en/*.yaml
var files embed.FS

// Messages are Telegram HTML (parse_mode HTML): a catalogue text may use
// <b>, <i>, <code>, <pre> and friends, and every value filled into it is
// escaped unless it is HTML already — the customer's name, a product, an
// FAQ answer can hold '<' or '&' and must never break a message.

// HTML is text that is HTML already (a rendered message, a line built of
// rendered messages): filled into a template as it is.
type HTML string

// Catalog renders messages by key.
type Catalog struct {
	msgs map[supportbot.Lang]map[string]string
}

// Load reads the embedded catalogues and checks that both languages have the
// same keys with the same placeholders, so no customer ever sees a raw key.
func Load() (*Catalog, error) {
	c := &Catalog{msgs: map[supportbot.Lang]map[string]string{}}
	for _, lang := range []supportbot.Lang{supportbot.LangZH, supportbot.LangEN} {
		// One file per area (core, closure, …), so each flow keeps its texts.
		names, err := fs.Glob(files, string(lang)+"/*.yaml")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, name := range names {
			body, err := files.ReadFile(name)
			if err != nil {
				return nil, err
			}
			part := map[string]string{}
			if err := yaml.Unmarshal(body, &part); err != nil {
				return nil, fmt.Errorf("locale %s: %w", name, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("locale %s: key %s defined twice", name, k)
				}
				m[k] = v
			}
		}
		c.msgs[lang] = m
	}
	if err := c.check(); err != nil {
		return nil, err
	}
	return c, nil
}

// placeholder is {name}, or {name|one|other}: the English plural of a count
// (one when the count is 1, other otherwise).
var placeholder = regexp.MustCompile(`\{([a-z_0-9]+)(\|[^{}|]*\|[^{}|]*)?\}`)

func (c *Catalog) check() error {
	zh, en := c.msgs[supportbot.LangZH], c.msgs[supportbot.LangEN]
	var faults []string
	for k, v := range zh {
		w, ok := en[k]
		if !ok {
			faults = append(faults, "en lacks "+k)
			continue
		}
		if a, b := placeholders(v), placeholders(w); a != b {
			faults = append(faults, fmt.Sprintf("%s: zh has %s, en has %s", k, a, b))
		}
	}
	for k := range en {
		if _, ok := zh[k]; !ok {
			faults = append(faults, "zh lacks "+k)
		}
	}
	if len(faults) > 0 {
		sort.Strings(faults)
		return fmt.Errorf("locale catalogues differ: %s", strings.Join(faults, "; "))
	}
	return nil
}

// placeholders are the names a text fills, as a comparable string.
func placeholders(s string) string {
	var p []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if m[2] == "" { // a plural form is not a value of its own
			p = append(p, m[1])
		}
	}
	sort.Strings(p)
	return strings.Join(slices.Compact(p), ",")
}

// Has reports whether key exists.
func (c *Catalog) Has(key string) bool {
	_, ok := c.msgs[supportbot.LangZH][key]
	return ok
}

// Keys lists every key.
func (c *Catalog) Keys() []string {
	keys := make([]string, 0, len(c.msgs[supportbot.LangZH]))
	for k := range c.msgs[supportbot.LangZH] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// T renders key in lang as Telegram HTML; args are name, value pairs filling
// {name} — escaped, unless the value is HTML — and choosing {name|one|other}.
// An unknown key renders as itself (the catalogue test keeps that from
// happening).
func (c *Catalog) T(lang supportbot.Lang, key string, args ...any) string {
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs[supportbot.LangZH]
	}
	s, ok := m[key]
	if !ok {
		return html.EscapeString(key)
	}
	s = strings.TrimRight(s, "\n")
	if len(args) == 0 && !strings.Contains(s, "{") {
		return s
	}
	vals := make(map[string]any, len(args)/2)
	for i := 0; i+1 < len(args); i += 2 {
		k, v := fmt.Sprint(args[i]), args[i+1]
		if name, ok := v.(string); ok && namedArgs[k] {
			v = NameIn(lang, name)
		}
		vals[k] = v
	}
	return placeholder.ReplaceAllStringFunc(s, func(ph string) string {
		sm := placeholder.FindStringSubmatch(ph)
		v, ok := vals[sm[1]]
		if !ok {
			return ph
		}
		if sm[2] != "" {
			forms := strings.Split(sm[2][1:], "|")
			if fmt.Sprint(v) == "1" {
				return forms[0]
			}
			return forms[1]
		}
		return Escape(v)
	})
}

// Escape renders a value for an HTML message: HTML as it is, anything else
// as text with <, > and & escaped.
func Escape(v any) string {
	if h, ok := v.(HTML); ok {
		return string(h)
	}
	return escaper.Replace(fmt.Sprint(v))
}

// escaper escapes what Telegram's HTML needs escaped, and nothing else.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Plain is a rendered message as plain text (a button's label, a topic's
// name, a transcript line): the tags dropped, the entities read back.
func Plain(h string) string {
	if !strings.ContainsAny(h, "<&") {
		return h
	}
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return html.UnescapeString(b.String())
}
