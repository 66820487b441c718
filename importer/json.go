package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// This file walks the JSON by hand rather than unmarshalling into structs:
// encoding/json stops at the first fault and says neither where nor which
// field, and an operator fixing a large export needs every fault with its path.

// parser collects faults while the file is read.
type parser struct {
	faults []Fault
}

func (p *parser) fault(path, format string, args ...any) {
	p.faults = append(p.faults, Fault{Path: path, Message: fmt.Sprintf(format, args...)})
}

// syntax reports malformed JSON as one fault with the line and column, which
// is where an operator's editor takes them.
func (p *parser) syntax(data []byte) {
	var v any
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		p.fault("", "malformed JSON: %v", err)
		return
	}
	before := data[:se.Offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(se.Offset) - bytes.LastIndexByte(before, '\n') - 1
	p.fault("", "malformed JSON at line %d, column %d (byte %d): %v", line, col, se.Offset, err)
}

func field(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// kind is the first byte of a JSON value: '{', '[', '"', 't', 'f', 'n' or a
// number's first character.
func kind(raw json.RawMessage) byte {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return 0
	}
	return raw[0]
}

// object is a JSON object read field by field; done reports the fields that
// were never asked for, since the schema is closed.
type object struct {
	p      *parser
	path   string
	fields map[string]json.RawMessage
	used   map[string]bool
}

// object returns raw as an object, or nil after a fault when it is not one.
func (p *parser) object(path string, raw json.RawMessage) *object {
	var fields map[string]json.RawMessage
	if kind(raw) != '{' || json.Unmarshal(raw, &fields) != nil {
		p.fault(path, "must be an object")
		return nil
	}
	return &object{p: p, path: path, fields: fields, used: map[string]bool{}}
}

func (o *object) done() {
	var unknown []string
	for name := range o.fields {
		if !o.used[name] {
			unknown = append(unknown, name)
		}
	}
	sort.Strings(unknown)
	for _, name := range unknown {
		o.p.fault(field(o.path, name), "unknown field")
	}
}

// get returns a field's value; null counts as absent. A required field that
// is absent is a fault.
func (o *object) get(name string, required bool) (json.RawMessage, bool) {
	o.used[name] = true
	raw, ok := o.fields[name]
	if !ok || kind(raw) == 'n' {
		if required {
			o.p.fault(field(o.path, name), "required")
		}
		return nil, false
	}
	return raw, true
}

// str is a string field; a required one must not be blank.
func (o *object) str(name string, required bool) string {
	raw, ok := o.get(name, required)
	if !ok {
		return ""
	}
	s, ok := o.text(name, raw)
	if !ok {
		return ""
	}
	if required && strings.TrimSpace(s) == "" {
		o.p.fault(field(o.path, name), "must not be empty")
		return ""
	}
	return s
}

// idPattern is what an id may be: it travels in 64-byte button data.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// id is a required identifier field.
func (o *object) id() string {
	s := o.str("id", true)
	if s != "" && !idPattern.MatchString(s) {
		o.p.fault(field(o.path, "id"), "must be 1-32 characters of A-Z, a-z, 0-9, _ and -")
		return ""
	}
	return s
}

// count is a non-negative integer field: money in fen, periods, basis points.
// Only an integer literal will do; 249.92 is a yuan amount sent by mistake,
// and rounding it would move money.
func (o *object) count(name string, required bool) (int64, bool) {
	raw, ok := o.get(name, required)
	if !ok {
		return 0, false
	}
	path := field(o.path, name)
	if c := kind(raw); c != '-' && (c < '0' || c > '9') {
		o.p.fault(path, "must be an integer")
		return 0, false
	}
	s := string(bytes.TrimSpace(raw))
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange):
		o.p.fault(path, "out of range: %s", s)
	case err != nil:
		o.p.fault(path, "must be an integer, not %s", s)
	case n < 0:
		o.p.fault(path, "must not be negative")
	default:
		return n, true
	}
	return 0, false
}

func (o *object) boolean(name string) bool {
	raw, ok := o.get(name, false)
	if !ok {
		return false
	}
	switch string(bytes.TrimSpace(raw)) {
	case "true":
		return true
	case "false":
		return false
	}
	o.p.fault(field(o.path, name), "must be true or false")
	return false
}

func (o *object) array(name string, required bool) []json.RawMessage {
	raw, ok := o.get(name, required)
	if !ok {
		return nil
	}
	var items []json.RawMessage
	if kind(raw) != '[' || json.Unmarshal(raw, &items) != nil {
		o.p.fault(field(o.path, name), "must be an array")
		return nil
	}
	return items
}

// oneOf is an enumerated string field; def is its value when absent, "" when
// it is required.
func (o *object) oneOf(name, def string, values ...string) string {
	raw, ok := o.get(name, def == "")
	if !ok {
		return def
	}
	s, ok := o.text(name, raw)
	if !ok {
		return ""
	}
	if !slices.Contains(values, s) {
		o.p.fault(field(o.path, name), "must be one of %s, not %q", strings.Join(values, ", "), s)
		return ""
	}
	return s
}

func (o *object) text(name string, raw json.RawMessage) (string, bool) {
	var s string
	if kind(raw) != '"' || json.Unmarshal(raw, &s) != nil {
		o.p.fault(field(o.path, name), "must be a string")
		return "", false
	}
	return s, true
}
