package importer

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"supportbot"
)

// The decoder reads one customer at a time into a tree of values, then walks
// the tree field by field: encoding/json into structs would stop at the first
// fault and say neither where nor which field, and an operator fixing a large
// export needs every fault with its path.

// path is where a value is in the file: customers[2].plans[0].bills[3]. It is
// a chain of parents, turned into text only for a fault or a key.
type path struct {
	parent *path
	name   string // a member's name; "" for an array element
	index  int
}

func (p *path) String() string {
	if p == nil {
		return ""
	}
	var parts []*path
	for q := p; q != nil; q = q.parent {
		parts = append(parts, q)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		q := parts[i]
		switch {
		case q.name == "":
			fmt.Fprintf(&b, "[%d]", q.index)
		case b.Len() > 0:
			b.WriteString(".")
			fallthrough
		default:
			b.WriteString(supportbot.MaskLongNumbers(q.name)) // a phone number for a key
		}
	}
	return b.String()
}

func (p *path) field(name string) *path { return &path{parent: p, name: name} }

// value is one JSON value of a customer. Its path is kept in it, so that the
// tree costs one allocation per value.
type value struct {
	at     path
	kind   byte   // '{', '[', '"', '0' (a number), 't', 'f', 'n'
	text   string // a string's contents or a number's literal
	long   bool   // text was cut at the scanner's limit
	cut    bool   // an object with more than maxFields members: the rest were not kept
	fields []member
	items  []*value
}

type member struct {
	name string
	v    *value
}

// Limits of the tree of one customer, beyond the per-field limits of the
// schema: what a file may use to make the importer allocate.
const (
	maxDepth          = 16      // customers[0].plans[0].bills[0] is depth 6
	maxFields         = 64      // members of one object
	maxCustomerValues = 100_000 // JSON values of one customer
	maxCustomerText   = 1 << 20 // bytes of text of one customer
	maxString         = 4 << 10 // bytes kept of one string; no field may be that long
	maxKey            = 64      // bytes kept of a member name
)

// value reads the next value, a member name or an element of parent. With
// keep false (an unknown field, a duplicate key, a customer over its budget)
// the value is read, checked for syntax and dropped, and value returns nil.
// It returns nil too when the input cannot be read on.
func (d *Decoder) value(parent *path, name string, index, depth int, keep bool) *value {
	s := d.s
	c, ok := s.space()
	if !ok {
		s.unexpected(c, ok, "looking for beginning of value")
		return nil
	}
	var v *value
	if keep = keep && d.spend(); keep {
		v = &value{at: path{parent: parent, name: name, index: index}}
	}
	at := func() *path { // the value's path, also when it is not kept
		if v != nil {
			return &v.at
		}
		return &path{parent: parent, name: name, index: index}
	}
	if depth > maxDepth {
		d.fatal(at(), "nested deeper than %d levels", maxDepth)
		return nil
	}
	switch {
	case c == '{':
		d.object(v, at, depth, keep)
	case c == '[':
		d.array(v, at, depth, keep)
	case c == '"':
		limit := 0
		if keep {
			limit = maxString
		}
		text, long := s.str(limit)
		if keep {
			v.kind, v.text, v.long = '"', text, long
			d.text -= len(text)
		}
	case c == '-' || c >= '0' && c <= '9':
		text, long := s.number()
		if keep {
			v.kind, v.text, v.long = '0', text, long
		}
	case c == 't' || c == 'f' || c == 'n':
		word := "null"
		if c == 't' {
			word = "true"
		} else if c == 'f' {
			word = "false"
		}
		if s.literal(word) && keep {
			v.kind = c
		}
	default:
		s.unexpected(c, true, "looking for beginning of value")
	}
	if d.broken() || !keep {
		return nil
	}
	return v
}

// spend counts one value against the customer's budget, and reports whether
// it may be kept. The first value over the budget is a fault of the customer;
// the rest of it is read and dropped.
func (d *Decoder) spend() bool {
	if d.over {
		return false
	}
	d.values--
	if d.values >= 0 && d.text >= 0 {
		return true
	}
	d.over = true
	d.fault(d.customerAt, "more than %d values or %s of text: a customer may not be that large", maxCustomerValues, formatBytes(maxCustomerText))
	return false
}

func (d *Decoder) object(v *value, at func() *path, depth int, keep bool) {
	s := d.s
	s.read() // {
	c, ok := s.space()
	if ok && c == '}' {
		s.read()
		if v != nil {
			v.kind = '{'
		}
		return
	}
	if v != nil {
		v.fields = make([]member, 0, 8)
	}
	for i := 0; ; i++ {
		if !ok || c != '"' {
			s.unexpected(c, ok, "looking for beginning of object key string")
			return
		}
		name := s.key()
		if !s.expect(':', "after object key") {
			return
		}
		keepField := keep
		if keep {
			switch {
			case i == maxFields:
				d.fault(at(), "more than %d fields", maxFields)
				keepField, v.cut = false, true
			case i > maxFields:
				keepField = false
			case slices.ContainsFunc(v.fields, func(m member) bool { return m.name == name }):
				d.fault(at().field(name), "duplicate key")
				keepField = false
			}
		}
		var fv *value
		if keepField {
			fv = d.value(&v.at, name, 0, depth+1, true)
		} else {
			fv = d.value(at(), name, 0, depth+1, false)
		}
		if d.broken() {
			return
		}
		if fv != nil {
			v.fields = append(v.fields, member{name, fv})
		}
		c, ok = s.space()
		switch {
		case ok && c == ',':
			s.read()
			c, ok = s.space()
		case ok && c == '}':
			s.read()
			if v != nil {
				v.kind = '{'
			}
			return
		default:
			s.unexpected(c, ok, "after object key:value pair")
			return
		}
	}
}

func (d *Decoder) array(v *value, at func() *path, depth int, keep bool) {
	s := d.s
	s.read() // [
	c, ok := s.space()
	if ok && c == ']' {
		s.read()
		if v != nil {
			v.kind = '['
		}
		return
	}
	for i := 0; ; i++ {
		var item *value
		if keep {
			item = d.value(&v.at, "", i, depth+1, true)
		} else {
			item = d.value(at(), "", i, depth+1, false)
		}
		if d.broken() {
			return
		}
		if item != nil {
			v.items = append(v.items, item)
		}
		c, ok = s.space()
		switch {
		case ok && c == ',':
			s.read()
		case ok && c == ']':
			s.read()
			if v != nil {
				v.kind = '['
			}
			return
		default:
			s.unexpected(c, ok, "after array element")
			return
		}
	}
}

// object is a JSON object read field by field; done reports the fields that
// were never asked for, since the schema is closed.
type object struct {
	d    *Decoder
	v    *value
	path *path
	used []bool
}

// asObject returns v as an object, or nil after a fault when it is not one.
func (d *Decoder) asObject(v *value) *object {
	if v.kind != '{' {
		d.fault(&v.at, "must be an object")
		return nil
	}
	return &object{d: d, v: v, path: &v.at, used: make([]bool, len(v.fields))}
}

func (o *object) fault(name, format string, args ...any) {
	o.d.fault(o.path.field(name), format, args...)
}

func (o *object) done() {
	var unknown []string
	for i, m := range o.v.fields {
		if !o.used[i] {
			unknown = append(unknown, m.name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		o.fault(name, "unknown field")
	}
}

// has reports whether the object has the field, null included.
func (o *object) has(name string) bool {
	return slices.ContainsFunc(o.v.fields, func(m member) bool { return m.name == name })
}

// get returns a field's value; null counts as absent. A required field that
// is absent is a fault.
func (o *object) get(name string, required bool) (*value, bool) {
	for i, m := range o.v.fields {
		if m.name == name {
			o.used[i] = true
			if m.v.kind != 'n' {
				return m.v, true
			}
			break
		}
	}
	if required && !o.v.cut { // a field not kept past the object's fault may be there
		o.fault(name, "required")
	}
	return nil, false
}

// str is a string field of at most max characters; a required one must not
// be blank. Control characters are refused: the text reaches chats, agent
// cards and terminals.
func (o *object) str(name string, required bool, max int) string {
	v, ok := o.get(name, required)
	if !ok {
		return ""
	}
	s, ok := o.text(name, v)
	switch {
	case !ok:
		return ""
	case v.long || utf8.RuneCountInString(s) > max:
		o.fault(name, "longer than %d characters", max)
		return ""
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f }):
		o.fault(name, "must not contain control characters (line breaks, tabs…)")
		return ""
	case strings.ContainsFunc(s, supportbot.BidiControl):
		o.fault(name, "must not contain direction controls (U+202A–U+202E, U+2066–U+2069): they make a name read otherwise than it is")
		return ""
	case strings.ContainsRune(s, utf8.RuneError):
		// Bytes that are not UTF-8 (a GBK export), a lone surrogate escape,
		// or U+FFFD itself: text garbled on the way, never a name.
		o.fault(name, "is not UTF-8 text: save the export as UTF-8 (a GBK or Big5 file reads as this)")
		return ""
	case required && strings.TrimSpace(s) == "":
		o.fault(name, "must not be empty")
		return ""
	}
	return s
}

// idPattern is what an id may be: it travels in 64-byte button data.
const idPattern = "1-32 characters of A-Z, a-z, 0-9, _ and -"

func validID(s string) bool {
	if len(s) < 1 || len(s) > 32 {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// ref is a required identifier field: the object's id, or the id of another
// object it points to.
func (o *object) ref(name string) string {
	s := o.str(name, true, maxString)
	if s != "" && !validID(s) {
		o.fault(name, "must be %s", idPattern)
		return ""
	}
	return s
}

// count is a non-negative integer field: periods, basis points, refunds.
func (o *object) count(name string, required bool) (int64, bool) {
	v, ok := o.get(name, required)
	if !ok {
		return 0, false
	}
	return o.integer(name, v, "")
}

var moneyBound = fmt.Sprintf("; an amount is at most %d fen (%v)", int64(supportbot.MaxPlanMoney), supportbot.MaxPlanMoney)

// money is an amount in fen, within 0..MaxPlanMoney: no amount of one plan
// can mean more, and sums of bounded amounts cannot wrap.
func (o *object) money(name string, required bool) (supportbot.Money, bool) {
	v, ok := o.get(name, required)
	if !ok {
		return 0, false
	}
	n, ok := o.integer(name, v, moneyBound)
	if ok && n > int64(supportbot.MaxPlanMoney) {
		o.fault(name, "out of range: %s%s", outOfRange(strconv.FormatInt(n, 10)), moneyBound)
		return 0, false
	}
	return supportbot.Money(n), ok
}

// integer reads a non-negative integer. Only an integer literal will do:
// 249.92 is a yuan amount sent by mistake, and rounding it would move money.
// bound ends the message of a number beyond int64.
func (o *object) integer(name string, v *value, bound string) (int64, bool) {
	if v.kind != '0' {
		o.fault(name, "must be an integer")
		return 0, false
	}
	n, err := strconv.ParseInt(v.text, 10, 64)
	switch {
	case v.long || errors.Is(err, strconv.ErrRange):
		if strings.HasPrefix(v.text, "-") && !strings.ContainsAny(v.text, ".eE") {
			o.fault(name, "must not be negative")
		} else {
			o.fault(name, "out of range: %s%s", outOfRange(v.text), bound)
		}
	case err != nil:
		o.fault(name, "must be an integer, not %s", maskDigits(v.text))
	case n < 0:
		o.fault(name, "must not be negative")
	default:
		return n, true
	}
	return 0, false
}

func (o *object) boolean(name string) bool {
	v, ok := o.get(name, false)
	if !ok {
		return false
	}
	switch v.kind {
	case 't':
		return true
	case 'f':
		return false
	}
	o.fault(name, "must be true or false")
	return false
}

// array is an array field of at most max items, each of which must be an
// object.
func (o *object) array(name string, required bool, max int, what string) []*object {
	v, ok := o.get(name, required)
	if !ok {
		return nil
	}
	if v.kind != '[' {
		o.fault(name, "must be an array")
		return nil
	}
	if len(v.items) > max {
		o.fault(name, "more than %d %s", max, what)
	}
	out := make([]*object, len(v.items))
	for i, item := range v.items {
		out[i] = o.d.asObject(item)
	}
	return out
}

// oneOf is an enumerated string field; def is its value when absent, "" when
// it is required.
func (o *object) oneOf(name, def string, values ...string) string {
	v, ok := o.get(name, def == "")
	if !ok {
		return def
	}
	s, ok := o.text(name, v)
	if !ok {
		return ""
	}
	if !slices.Contains(values, s) {
		o.fault(name, "must be one of %s, not %s", strings.Join(values, ", "), quoteText(s))
		return ""
	}
	return s
}

func (o *object) text(name string, v *value) (string, bool) {
	if v.kind != '"' {
		o.fault(name, "must be a string")
		return "", false
	}
	return v.text, true
}

// quote is s quoted for a fault message, cut short: a fault names the value,
// it does not repeat a megabyte of it.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return strconv.Quote(s)
	}
	return strconv.Quote(string([]rune(s)[:max])) + "…"
}

// quoteText is a string value quoted for a fault message: a phone or ID
// number in the wrong field stays out of it too (faults end up in logs).
func quoteText(s string) string { return quote(supportbot.MaskLongNumbers(s)) }

// outOfRange is a number too large, as a fault says it: its digits counted
// and the last 4 shown, since a phone or card number in an amount's place
// is a likely mistake ("an 11-digit number, ****8000").
func outOfRange(literal string) string {
	digits := strings.TrimLeft(literal, "+-")
	if len(digits) < 7 || strings.ContainsAny(digits, ".eE") {
		return quote(literal)
	}
	n, article := strconv.Itoa(len(digits)), "a"
	if n[0] == '8' || n == "11" || n == "18" {
		article = "an"
	}
	return fmt.Sprintf("%s %s-digit number (****%s)", article, n, digits[len(digits)-4:])
}

// maskDigits keeps the last 4 digits of each run of 7 digits or more, and
// whatever is between runs: a number literal's point stays ("****4567.5").
func maskDigits(s string) string {
	return longDigits.ReplaceAllStringFunc(s, func(run string) string { return "****" + run[len(run)-4:] })
}

var longDigits = regexp.MustCompile(`[0-9]{7,}`)
