package store

import (
	"reflect"
	"testing"
)

func TestInlineLimits(t *testing.T) {
	for _, c := range []struct {
		q        string
		args     []any
		wantQ    string
		wantArgs []any
	}{
		{"SELECT a FROM t WHERE b = ?", []any{1}, "SELECT a FROM t WHERE b = ?", []any{1}},
		{"SELECT a FROM t WHERE b = ? LIMIT ?", []any{"x", 50}, "SELECT a FROM t WHERE b = ? LIMIT 50", []any{"x"}},
		{"DELETE FROM t WHERE id IN (SELECT id FROM t WHERE at < ? LIMIT ?) AND c = ?", []any{int64(7), int64(500), "c"},
			"DELETE FROM t WHERE id IN (SELECT id FROM t WHERE at < ? LIMIT 500) AND c = ?", []any{int64(7), "c"}},
		{"SELECT a FROM (SELECT a FROM t LIMIT ?) WHERE a > ? LIMIT ?", []any{3, 0, -1},
			"SELECT a FROM (SELECT a FROM t LIMIT 3) WHERE a > ? LIMIT -1", []any{0}},
		// Not an integer: left to the driver as it was.
		{"SELECT a FROM t LIMIT ?", []any{"5"}, "SELECT a FROM t LIMIT ?", []any{"5"}},
		// Too few or too many arguments: the driver reports it as before.
		{"SELECT a FROM t WHERE b = ? LIMIT ?", []any{1}, "SELECT a FROM t WHERE b = ? LIMIT ?", []any{1}},
		{"SELECT a FROM t LIMIT ?", []any{1, 2}, "SELECT a FROM t LIMIT 1", []any{2}},
	} {
		q, args := inlineLimits(c.q, c.args)
		if q != c.wantQ || !reflect.DeepEqual(args, c.wantArgs) {
			t.Errorf("inlineLimits(%q, %v) = %q, %v; want %q, %v", c.q, c.args, q, args, c.wantQ, c.wantArgs)
		}
	}
}
