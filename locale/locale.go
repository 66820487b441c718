package locale

import (
	"embed"
	"fmt"
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

var placeholder = regexp.MustCompile(`\{[a-z_0-9]+\}`)

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

func placeholders(s string) string {
	p := placeholder.FindAllString(s, -1)
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

// T renders key in lang; args are name, value pairs filling {name}. An unknown
// key renders as itself (the catalogue test keeps that from happening).
func (c *Catalog) T(lang supportbot.Lang, key string, args ...any) string {
	m, ok := c.msgs[lang]
	if !ok {
		m = c.msgs[supportbot.LangZH]
	}
	s, ok := m[key]
	if !ok {
		return key
	}
	if len(args) == 0 {
		return strings.TrimRight(s, "\n")
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.TrimRight(strings.NewReplacer(pairs...).Replace(s), "\n")
}
