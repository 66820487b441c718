package bot

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeUpdate: no update, however malformed, panics the decoder, and
// what reaches the engine is bounded.
func FuzzDecodeUpdate(f *testing.F) {
	for _, seed := range []string{
		`{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"A","language_code":"en"},"text":"/start","entities":[{"type":"bot_command","offset":0,"length":6}]}}`,
		`{"update_id":2,"callback_query":{"id":"q","from":{"id":5,"first_name":"A"},"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"}},"data":"s:abc:repay:ok:Q1"}}`,
		`{"update_id":3,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"A"},"contact":{"phone_number":"+8613800138000","first_name":"A","user_id":5}}}`,
		`{"update_id":4,"message":{"message_id":1,"date":1,"chat":{"id":-100,"type":"supergroup"},"from":{"id":5,"first_name":"A"},"text":"hi","message_thread_id":7,"is_topic_message":true}}`,
		`{"update_id":5,"callback_query":{"id":"q","from":{"id":5},"data":"x"}}`,
		`{"update_id":6,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"/x","entities":[{"type":"bot_command","offset":0,"length":99}]}}`,
		`{"update_id":7}`, `{}`, `[]`, `null`, `{"message":null}`, `{"message":{"chat":null}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		in, err := decodeUpdate(json.RawMessage(raw))
		if err != nil || !in.ok {
			return
		}
		ev := in.event
		for _, s := range []string{ev.Text, ev.Args} {
			if utf8.RuneCountInString(s) > maxText {
				t.Fatalf("event text of %d characters passed through", utf8.RuneCountInString(s))
			}
		}
		_ = in.private()
	})
}

func TestSplitText(t *testing.T) {
	for _, tt := range []struct {
		text  string
		limit int
		want  []string
	}{
		{"short", 10, []string{"short"}},
		{"aaaa\nbbbb\ncccc", 10, []string{"aaaa\nbbbb", "cccc"}},
		{"aaaaaaaaaaaaaaa", 10, []string{"aaaaaaaaaa", "aaaaa"}}, // no line break: cut hard
		{"😀😀😀😀😀😀", 4, []string{"😀😀", "😀😀", "😀😀"}},                // two UTF-16 units each
	} {
		if got := splitText(tt.text, tt.limit); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitText(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
		}
	}
}
