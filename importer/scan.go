package importer

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file reads JSON from a stream one byte at a time, by hand rather than
// with encoding/json: the decoder must never hold more than one customer,
// must see a duplicate key (encoding/json keeps the last one silently), must
// stop storing a string at a limit however long the string is, and must say
// where each fault is.

// scanner reads JSON tokens and keeps the position of the next byte for
// syntax errors, which are where an operator's editor takes them.
type scanner struct {
	r         *bufio.Reader
	off       int64 // offset of the next byte
	line      int64 // line of the next byte, from 1
	lineStart int64 // offset of the first byte of that line
	max       int64 // the input may have this many bytes; 0 = any
	err       error // sticky: *syntaxError, *tooLargeError or a read error
	buf       []byte
}

// syntaxError is malformed JSON at a position (line and column from 1, byte
// offset from 1, as editors count).
type syntaxError struct {
	msg             string
	line, col, byte int64
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("malformed JSON at line %d, column %d (byte %d): %s", e.line, e.col, e.byte, e.msg)
}

// tooLargeError is input beyond Limits.MaxFileBytes.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("the file is larger than %s, the limit of an import (importer.Limits.MaxFileBytes)", formatBytes(e.limit))
}

// formatBytes renders n as an operator reads it: 4 GiB, 512 KiB, 100 bytes.
func formatBytes(n int64) string {
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}

func newScanner(r io.Reader, limit int64) *scanner {
	size := 64 << 10
	if b, ok := r.(interface{ Len() int }); ok { // a document in memory: no need for more
		size = min(size, max(b.Len(), 16))
	}
	return &scanner{r: bufio.NewReaderSize(r, size), line: 1, max: limit}
}

// syntax records malformed JSON at the next byte, unless an error came first.
func (s *scanner) syntax(format string, args ...any) {
	if s.err == nil {
		s.err = &syntaxError{msg: fmt.Sprintf(format, args...), line: s.line, col: s.off - s.lineStart + 1, byte: s.off + 1}
	}
}

// unexpected records the byte c at the next position as the syntax error.
func (s *scanner) unexpected(c byte, ok bool, context string) {
	if !ok {
		s.syntax("unexpected end of JSON input")
		return
	}
	s.syntax("invalid character %s %s", quoteChar(c), context)
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(c) + "'"
	}
	q := strconv.Quote(string(c))
	return "'" + q[1:len(q)-1] + "'"
}

// peek returns the next byte without consuming it; false at the end of the
// input or after an error.
func (s *scanner) peek() (byte, bool) {
	if s.err != nil {
		return 0, false
	}
	b, err := s.r.Peek(1)
	if err != nil {
		if !errors.Is(err, io.EOF) {
			s.err = err
		}
		return 0, false
	}
	return b[0], true
}

// read consumes the next byte.
func (s *scanner) read() (byte, bool) {
	if s.err != nil {
		return 0, false
	}
	c, err := s.r.ReadByte()
	if err != nil {
		if !errors.Is(err, io.EOF) {
			s.err = err
		}
		return 0, false
	}
	s.off++
	if s.max > 0 && s.off > s.max {
		s.err = &tooLargeError{limit: s.max}
		return 0, false
	}
	return c, true
}

// skipBOM reads past a UTF-8 byte order mark at the start of the file
// (Windows tools write one; JSON does not allow it, but it carries nothing).
func (s *scanner) skipBOM() {
	if b, err := s.r.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		s.r.Discard(3)
		s.off += 3
		s.lineStart = s.off
	}
}

// space consumes white space and returns the byte after it, unconsumed.
func (s *scanner) space() (byte, bool) {
	for {
		c, ok := s.peek()
		if !ok {
			return 0, false
		}
		switch c {
		case '\n':
			s.read()
			s.line, s.lineStart = s.line+1, s.off
		case ' ', '\t', '\r':
			s.read()
		default:
			return c, true
		}
	}
}

// expect consumes the byte want after white space, or records what came
// instead.
func (s *scanner) expect(want byte, context string) bool {
	c, ok := s.space()
	if ok && c == want {
		s.read()
		return true
	}
	s.unexpected(c, ok, context)
	return false
}

// str reads a string literal, the opening quote next. It keeps at most max
// bytes of it and reports whether there was more: the rest is read, checked
// and dropped, so a 100 MB product name costs no memory.
func (s *scanner) str(max int) (string, bool) {
	b, long := s.strBytes(max)
	text := string(b)
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	return text, long
}

// key reads a member name: one of the schema's names costs no allocation.
func (s *scanner) key() string {
	b, long := s.strBytes(maxKey)
	if name, ok := schemaNames[string(b)]; ok && !long {
		return name
	}
	name := strings.ToValidUTF8(string(b), "\uFFFD")
	if long {
		name += "…"
	}
	return name
}

var schemaNames = func() map[string]string {
	m := map[string]string{}
	for _, n := range strings.Fields(`customers id name phone id_card_last4 language pending_refunds cards
		plans scheduled_repayments bank last4 default status order_no product partner principal_fen periods
		prepay_fee_rate_bp auto_repay bills period due_date fee_fen late_fee_fen plan_id amount_fen card_id run_at`) {
		m[n] = n
	}
	return m
}()

// strBytes reads a string literal into s.buf, valid until the next read.
func (s *scanner) strBytes(max int) ([]byte, bool) {
	s.read() // the opening quote
	s.buf = s.buf[:0]
	long := false
	for {
		c, ok := s.read()
		switch {
		case !ok:
			s.unexpected(0, false, "")
			return nil, false
		case c == '"':
			return s.buf, long
		case c < 0x20:
			s.off--
			s.unexpected(c, true, "in string literal")
			return nil, false
		case c != '\\':
			if len(s.buf) < max {
				s.buf = append(s.buf, c)
			} else {
				long = true
			}
			continue
		}
		var r rune
		switch c, ok = s.read(); c {
		case '"', '\\', '/':
			r = rune(c)
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 't':
			r = '\t'
		case 'u':
			if r, ok = s.hex4(); !ok {
				return nil, false
			}
			if utf16.IsSurrogate(r) {
				// The second half must follow as another \u escape.
				if c, _ := s.peek(); c != '\\' {
					r = utf8.RuneError
					break
				}
				s.read()
				if c, ok := s.read(); !ok || c != 'u' {
					if ok {
						s.off--
					}
					s.unexpected(c, ok, "in string escape code")
					return nil, false
				}
				r2, ok := s.hex4()
				if !ok {
					return nil, false
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
					if len(s.buf)+8 <= max {
						s.buf = utf8.AppendRune(s.buf, utf8.RuneError)
					}
					r = r2
					if utf16.IsSurrogate(r) {
						r = utf8.RuneError
					}
				}
			}
		default:
			if ok {
				s.off--
			}
			s.unexpected(c, ok, "in string escape code")
			return nil, false
		}
		if len(s.buf)+utf8.RuneLen(r) <= max {
			s.buf = utf8.AppendRune(s.buf, r)
		} else {
			long = true
		}
	}
}

func (s *scanner) hex4() (rune, bool) {
	var r rune
	for range 4 {
		c, ok := s.read()
		switch {
		case ok && c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case ok && c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case ok && c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			if ok {
				s.off--
			}
			s.unexpected(c, ok, "in \\u hexadecimal character escape")
			return 0, false
		}
	}
	return r, true
}

// maxNumber is the longest number literal kept; a longer one is out of any
// range the file may use.
const maxNumber = 64

// number reads a number literal (JSON's grammar), its first byte next. It
// keeps at most maxNumber bytes and reports whether there were more.
func (s *scanner) number() (string, bool) {
	s.buf = s.buf[:0]
	long := false
	take := func() {
		c, _ := s.read()
		if len(s.buf) < maxNumber {
			s.buf = append(s.buf, c)
		} else {
			long = true
		}
	}
	digits := func() bool {
		c, ok := s.peek()
		if !ok || c < '0' || c > '9' {
			s.unexpected(c, ok, "in numeric literal")
			return false
		}
		for ok && c >= '0' && c <= '9' {
			take()
			c, ok = s.peek()
		}
		return true
	}
	if c, _ := s.peek(); c == '-' {
		take()
	}
	if c, ok := s.peek(); ok && c == '0' {
		take()
	} else if !digits() {
		return "", false
	}
	if c, _ := s.peek(); c == '.' {
		take()
		if !digits() {
			return "", false
		}
	}
	if c, _ := s.peek(); c == 'e' || c == 'E' {
		take()
		if c, _ := s.peek(); c == '+' || c == '-' {
			take()
		}
		if !digits() {
			return "", false
		}
	}
	return string(s.buf), long
}

// literal reads true, false or null, its first byte next.
func (s *scanner) literal(word string) bool {
	for i := range len(word) {
		c, ok := s.peek()
		if !ok || c != word[i] {
			s.unexpected(c, ok, "in literal "+word+" (expecting "+quoteChar(word[i])+")")
			return false
		}
		s.read()
	}
	return true
}

// end checks that nothing but white space follows the top-level value.
func (s *scanner) end() {
	if c, ok := s.space(); ok {
		s.unexpected(c, true, "after top-level value")
	}
}
