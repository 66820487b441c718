package bot

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"supportbot"
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
		`{"update_id":0,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"A"},"text":"first"}}`,
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
		if ev.Source != supportbot.UpdateSource(ev.UpdateID) {
			t.Fatalf("Source %q of update %d", ev.Source, ev.UpdateID)
		}
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
		{"aaaaaaaaaaaaaaa", 10, []string{"aaaaaaaaaa", "aaaaa"}},         // no line break: cut hard
		{"😀😀😀😀😀😀", 4, []string{"😀😀", "😀😀", "😀😀"}},                        // two UTF-16 units each
		{"ab😀", 3, []string{"ab", "😀"}},                                  // a surrogate pair is never cut
		{"aaaa\n\n\nbbbb", 5, []string{"aaaa", "bbbb"}},                  // blank lines at the cut go
		{strings.Repeat("a", 10), 10, []string{strings.Repeat("a", 10)}}, // exactly the limit
		// a tag open at the cut is closed, and opened again in the next piece
		{"<b>x</b>\n<pre>1111\n2222\n3333</pre>", 10, []string{"<b>x</b>\n<pre>1111</pre>", "<pre>2222\n3333</pre>"}},
		{"<a href=\"x\"><b>aaaaaaaaaa\nbbbbbbbbbb</b></a>", 15, []string{`<a href="x"><b>aaaaaaaaaa</b></a>`, `<a href="x"><b>bbbbbbbbbb</b></a>`}},
		{"<pre>1111\n2222</pre>", 5, []string{"<pre>1111</pre>", "<pre>2222</pre>"}},     // nothing visible left: no empty piece
		{"<pre>\nAAAA\nBBBB</pre>", 5, []string{"<pre>\nAAAA</pre>", "<pre>BBBB</pre>"}}, // no piece of tags alone
		// what shows is counted: a tag nothing, an entity one
		{"&lt;&lt;&lt;", 2, []string{"&lt;&lt;", "&lt;"}},
		{"<b>" + strings.Repeat("a", 10) + "</b>", 10, []string{"<b>" + strings.Repeat("a", 10) + "</b>"}},
	} {
		if got := splitText(tt.text, tt.limit); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("splitText(%q, %d) = %q, want %q", tt.text, tt.limit, got, tt.want)
		}
	}
}

// TestDecodeUpdate: what each kind of update becomes, and which are ignored.
func TestDecodeUpdate(t *testing.T) {
	const from = `"from":{"id":5,"first_name":"Ann","language_code":"ru"}`
	private := `"chat":{"id":5,"type":"private"}`
	for _, tt := range []struct {
		name     string
		raw      string
		ok       bool
		want     supportbot.Event // Kind, Text, Args, Data, Phone, ContactUserID, ThreadID compared
		callback string
	}{
		{"text", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"text":"hello"}}`,
			true, supportbot.Event{Kind: supportbot.EventText, Text: "hello"}, ""},
		{"command with bot name and args", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"text":"/pay@test_bot  12 3 "}}`,
			true, supportbot.Event{Kind: supportbot.EventCommand, Text: "pay", Args: "12 3"}, ""},
		{"command with newline args", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"text":"/lang\nen"}}`,
			true, supportbot.Event{Kind: supportbot.EventCommand, Text: "lang", Args: "en"}, ""},
		{"lone slash is text", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"text":"/"}}`,
			true, supportbot.Event{Kind: supportbot.EventText, Text: "/"}, ""},
		{"own contact", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"contact":{"phone_number":"8613800138000","first_name":"Ann","user_id":5}}}`,
			true, supportbot.Event{Kind: supportbot.EventContact, Phone: "8613800138000", ContactUserID: 5}, ""},
		{"someone else's contact keeps its owner", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"contact":{"phone_number":"+8613800138000","first_name":"Bo","user_id":77}}}`,
			true, supportbot.Event{Kind: supportbot.EventContact, Phone: "+8613800138000", ContactUserID: 77}, ""},
		{"photo with caption", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"photo":[{"file_id":"a","file_unique_id":"a","width":1,"height":1}],"caption":"receipt"}}`,
			true, supportbot.Event{Kind: supportbot.EventMedia, Text: "receipt"}, ""},
		// a dice or a poll is something a person sent: answered, not dropped
		{"dice", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"dice":{"emoji":"🎲","value":3}}}`,
			true, supportbot.Event{Kind: supportbot.EventMedia}, ""},
		{"poll", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"poll":{"id":"1","question":"q","options":[{"text":"a","voter_count":0}],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}}`,
			true, supportbot.Event{Kind: supportbot.EventMedia}, ""},
		// newer than the library: a shared story, paid media
		{"story", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"story":{"chat":{"id":9,"type":"private"},"id":4}}}`,
			true, supportbot.Event{Kind: supportbot.EventMedia}, ""},
		{"paid media", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"paid_media":{"star_count":5,"paid_media":[]}}}`,
			true, supportbot.Event{Kind: supportbot.EventMedia}, ""},
		{"checklist", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"checklist":{"title":"t","tasks":[{"id":1,"text":"a"}]}}}`,
			true, supportbot.Event{Kind: supportbot.EventMedia}, ""},
		{"users shared", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"users_shared":{"request_id":1,"users":[{"user_id":9}]}}}`,
			true, supportbot.Event{Kind: supportbot.EventMedia}, ""},
		{"button", `{"update_id":10,"callback_query":{"id":"q1",` + from + `,"message":{"message_id":3,"date":1,` + private + `},"chat_instance":"1","data":"m:bill"}}`,
			true, supportbot.Event{Kind: supportbot.EventButton, Data: "m:bill"}, "q1"},
		{"button without its message is answered, not handled", `{"update_id":10,"callback_query":{"id":"q2",` + from + `,"chat_instance":"1","data":"m:bill"}}`,
			false, supportbot.Event{}, "q2"},
		{"button in a group is the server's to accept", `{"update_id":10,"callback_query":{"id":"q3",` + from + `,"message":{"message_id":3,"date":1,"chat":{"id":-100,"type":"supergroup"}},"chat_instance":"1","data":"x"}}`,
			true, supportbot.Event{Kind: supportbot.EventButton, Data: "x"}, "q3"},
		{"button keeps its label", `{"update_id":10,"callback_query":{"id":"q4",` + from + `,"message":{"message_id":3,"date":1,` + private + `,"reply_markup":{"inline_keyboard":[[{"text":"💰 提前还款","callback_data":"m:repay"}]]}},"chat_instance":"1","data":"m:repay"}}`,
			true, supportbot.Event{Kind: supportbot.EventButton, Data: "m:repay", Text: "💰 提前还款"}, "q4"},
		{"topic message keeps its thread", `{"update_id":10,"message":{"message_id":3,"date":1,"chat":{"id":-100,"type":"supergroup","is_forum":true},` + from + `,"text":"hi","message_thread_id":7,"is_topic_message":true,` +
			`"reply_to_message":{"message_id":7,"date":1,"chat":{"id":-100,"type":"supergroup","is_forum":true},"from":{"id":6,"is_bot":true,"first_name":"B"},"forum_topic_created":{"name":"🟡 #T4 Ann","icon_color":1}}}}`,
			true, supportbot.Event{Kind: supportbot.EventText, Text: "hi"}, ""},
		{"a bot's message", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,"from":{"id":6,"is_bot":true,"first_name":"B"},"text":"hi"}}`,
			false, supportbot.Event{}, ""},
		{"service message", `{"update_id":10,"message":{"message_id":3,"date":1,` + private + `,` + from + `,"new_chat_title":"x"}}`,
			false, supportbot.Event{}, ""},
		{"a private chat with a group's id (forged)", `{"update_id":10,"message":{"message_id":3,"date":1,"chat":{"id":-100777,"type":"private"},"from":{"id":-100777,"first_name":"Ann"},"text":"/queue"}}`,
			false, supportbot.Event{}, ""},
		{"a button in a private chat with a group's id (forged)", `{"update_id":10,"callback_query":{"id":"q9","from":{"id":-100777,"first_name":"Ann"},"message":{"message_id":1,"date":1,"chat":{"id":-100777,"type":"private"}},"chat_instance":"1","data":"d:take:1.0"}}`,
			false, supportbot.Event{}, "q9"},
		{"channel post", `{"update_id":10,"channel_post":{"message_id":3,"date":1,"chat":{"id":-1009,"type":"channel"},"text":"x"}}`,
			false, supportbot.Event{}, ""},
		{"edit", `{"update_id":10,"edited_message":{"message_id":3,"date":1,"edit_date":2,` + private + `,` + from + `,"text":"x"}}`,
			true, supportbot.Event{Kind: supportbot.EventEdit, Text: "x"}, ""},
		{"edited caption", `{"update_id":10,"edited_message":{"message_id":3,"date":1,"edit_date":2,` + private + `,` + from + `,"photo":[{"file_id":"a","file_unique_id":"a","width":1,"height":1}],"caption":"new"}}`,
			true, supportbot.Event{Kind: supportbot.EventEdit, Text: "new"}, ""},
		{"blocked", `{"update_id":10,"my_chat_member":{` + private + `,` + from + `,"date":1,"old_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"B"},"status":"member"},"new_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"B"},"status":"kicked","until_date":0}}}`,
			true, supportbot.Event{Kind: supportbot.EventMember, Data: "kicked"}, ""},
		{"unblocked", `{"update_id":10,"my_chat_member":{` + private + `,` + from + `,"date":1,"old_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"B"},"status":"kicked"},"new_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"B"},"status":"member"}}}`,
			true, supportbot.Event{Kind: supportbot.EventMember, Data: "member"}, ""},
		{"blocked by another user (forged)", `{"update_id":10,"my_chat_member":{` + private + `,"from":{"id":4242,"first_name":"Eve"},"date":1,"old_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"B"},"status":"member"},"new_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"B"},"status":"kicked","until_date":0}}}`,
			false, supportbot.Event{}, ""},
		{"the bot's rights in a group changed", `{"update_id":10,"my_chat_member":{"chat":{"id":-100,"type":"supergroup"},` + from + `,"date":1,"old_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"B"},"status":"member"},"new_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"B"},"status":"administrator"}}}`,
			false, supportbot.Event{}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := decodeUpdate(json.RawMessage(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if in.ok != tt.ok || in.callback != tt.callback {
				t.Fatalf("ok %v callback %q, want %v %q", in.ok, in.callback, tt.ok, tt.callback)
			}
			if !tt.ok {
				return
			}
			ev, w := in.event, tt.want
			if ev.Kind != w.Kind || ev.Text != w.Text || ev.Args != w.Args || ev.Data != w.Data || ev.Phone != w.Phone || ev.ContactUserID != w.ContactUserID {
				t.Errorf("event = %+v, want %+v", ev, w)
			}
			if ev.UpdateID != 10 || ev.Source != "u:10" || ev.UserID != 5 || ev.FirstName != "Ann" || ev.LanguageCode != "ru" || ev.Time.IsZero() {
				t.Errorf("event = %+v, want update 10 from Ann (ru) with a time", ev)
			}
			if in.update.Message != nil && (ev.MessageID != 3 || ev.ChatID != in.update.Message.Chat.ID) {
				t.Errorf("message id %d chat %d", ev.MessageID, ev.ChatID)
			}
			if tt.name == "topic message keeps its thread" && (in.threadID != 7 || in.topic != topicMade{name: "🟡 #T4 Ann", by: 6}) {
				t.Errorf("thread %d made as %+v, want 7 named as made by 6", in.threadID, in.topic)
			}
		})
	}
}

// An update's Source is "u:<update_id>" whatever the id, 0 included (issue
// 15.8): the inbox deduplicates redeliveries by it.
func TestDecodeUpdateSource(t *testing.T) {
	for _, id := range []int64{0, 1, 100000001, 1<<31 - 1} {
		raw := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"A"},"text":"x"}}`, id)
		in, err := decodeUpdate(json.RawMessage(raw))
		if err != nil || !in.ok {
			t.Fatalf("update %d: ok %v err %v", id, in.ok, err)
		}
		if want := "u:" + strconv.FormatInt(id, 10); in.event.Source != want || in.event.UpdateID != id {
			t.Errorf("update %d: Source %q UpdateID %d, want %s", id, in.event.Source, in.event.UpdateID, want)
		}
	}
}

// A forged update longer than Telegram allows is clipped on a rune boundary.
func TestDecodeUpdateClipsText(t *testing.T) {
	long := strings.Repeat("字", maxText+10)
	for _, text := range []string{long, "/start " + long} {
		b, _ := json.Marshal(text)
		raw := `{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"A"},"text":` + string(b) + `}}`
		in, err := decodeUpdate(json.RawMessage(raw))
		if err != nil || !in.ok {
			t.Fatalf("ok %v err %v", in.ok, err)
		}
		for _, s := range []string{in.event.Text, in.event.Args} {
			if n := utf8.RuneCountInString(s); n > maxText || !utf8.ValidString(s) {
				t.Errorf("%d characters (valid %v) passed through", n, utf8.ValidString(s))
			}
		}
	}
}

// TestDecodeUpdateDropsDirectionControls: a first name holding U+202E
// (right-to-left override) would read on an agent's card and topic name
// as another name, and a text or a caption (a probe: relayed to the topic
// as is) as other words; the direction controls are dropped, the rest kept.
func TestDecodeUpdateDropsDirectionControls(t *testing.T) {
	raw := `{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"Eve \u202etsinimda\u2066x\u2069"},"text":"退款 \u202e0.01 元"}}`
	in, err := decodeUpdate(json.RawMessage(raw))
	if err != nil || !in.ok {
		t.Fatalf("ok %v err %v", in.ok, err)
	}
	if got, want := in.event.FirstName, "Eve tsinimdax"; got != want {
		t.Errorf("first name %q, want %q", got, want)
	}
	if got, want := in.event.Text, "退款 0.01 元"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	raw = `{"update_id":2,"message":{"message_id":2,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"Eve"},"photo":[{"file_id":"p","file_unique_id":"p","width":1,"height":1}],"caption":"\u202eabc"}}`
	if in, err = decodeUpdate(json.RawMessage(raw)); err != nil || in.event.Text != "abc" {
		t.Errorf("caption %q (%v), want \"abc\"", in.event.Text, err)
	}
}

// TestKeyboardParts: a keyboard of up to 100 buttons is one; more are cut
// row by row into keyboards of at most 100; an empty first row is a row.
func TestKeyboardParts(t *testing.T) {
	row := func(n int) []supportbot.Button { return make([]supportbot.Button, n) }
	rows := func(n, width int) [][]supportbot.Button {
		var out [][]supportbot.Button
		for range n {
			out = append(out, row(width))
		}
		return out
	}
	count := func(parts [][][]supportbot.Button) (sizes []int) {
		for _, p := range parts {
			n := 0
			for _, r := range p {
				n += len(r)
			}
			sizes = append(sizes, n)
		}
		return sizes
	}
	for _, tt := range []struct {
		rows [][]supportbot.Button
		want []int
	}{
		{nil, nil},
		{rows(50, 2), []int{100}},
		{rows(41, 3), []int{99, 24}},
		{append([][]supportbot.Button{row(0)}, rows(3, 1)...), []int{3}},
	} {
		if got := count(keyboardParts(tt.rows)); !slices.Equal(got, tt.want) {
			t.Errorf("keyboardParts(%d rows) = %v buttons a part, want %v", len(tt.rows), got, tt.want)
		}
	}
}

// A reply names the message it replies to; a forwarded message says so,
// in Bot API 7's forward_origin as in the older forward_date.
func TestDecodeReplyAndForward(t *testing.T) {
	const head = `{"update_id":10,"message":{"message_id":3,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"Ann"},"text":"确认"`
	for _, tt := range []struct {
		name      string
		raw       string
		replyTo   int64
		forwarded bool
	}{
		{"plain", head + `}}`, 0, false},
		{"reply", head + `,"reply_to_message":{"message_id":2,"date":1,"chat":{"id":5,"type":"private"},"text":"报价"}}}`, 2, false},
		{"forward_origin", head + `,"forward_origin":{"type":"user","date":1,"sender_user":{"id":9,"first_name":"Bo"}}}}`, 0, true},
		{"hidden sender", head + `,"forward_origin":{"type":"hidden_user","date":1,"sender_user_name":"Bo"}}}`, 0, true},
		{"forward_date", head + `,"forward_date":1,"forward_from":{"id":9,"first_name":"Bo"}}}`, 0, true},
		{"via an inline bot", head + `,"via_bot":{"id":8,"is_bot":true,"first_name":"Inline","username":"inline_bot"}}}`, 0, true},
		// What Telegram never puts on a person's own private message (a
		// probe's "确认" with each of them paid a quote).
		{"an automatic forward", head + `,"is_automatic_forward":true}}`, 0, true},
		{"a chat as the sender", head + `,"sender_chat":{"id":-1009,"type":"channel","title":"News"}}}`, 0, true},
		{"a business account's", head + `,"business_connection_id":"bc1"}}`, 0, true},
		{"a new message with an edit date", head + `,"edit_date":2}}`, 0, true},
		{"a reply to another chat's message", head + `,"external_reply":{"origin":{"type":"user","date":1,"sender_user":{"id":9,"first_name":"Bo"}},"chat":{"id":77,"type":"private"},"message_id":4}}}`, 0, false},
	} {
		in, err := decodeUpdate(json.RawMessage(tt.raw))
		if err != nil {
			t.Fatal(err)
		}
		if in.event.ReplyTo != tt.replyTo || in.event.Forwarded != tt.forwarded {
			t.Errorf("%s: reply to %d, forwarded %v; want %d, %v", tt.name, in.event.ReplyTo, in.event.Forwarded, tt.replyTo, tt.forwarded)
		}
		if elsewhere := strings.Contains(tt.raw, "external_reply"); in.event.RepliedElsewhere != elsewhere {
			t.Errorf("%s: replied elsewhere %v, want %v", tt.name, in.event.RepliedElsewhere, elsewhere)
		}
	}
}

// A forwarded "/end" is text, someone's words, not the sender's command (a
// probe ended a hand-off with one, and opened a ticket with "/agent").
func TestDecodeAForwardedCommandIsText(t *testing.T) {
	raw := `{"update_id":11,"message":{"message_id":4,"date":1,"chat":{"id":5,"type":"private"},"from":{"id":5,"first_name":"Ann"},` +
		`"text":"/end","forward_origin":{"type":"user","date":1,"sender_user":{"id":9,"first_name":"Bo"}}}}`
	in, err := decodeUpdate(json.RawMessage(raw))
	if err != nil {
		t.Fatal(err)
	}
	if e := in.event; e.Kind != supportbot.EventText || e.Text != "/end" || !e.Forwarded {
		t.Errorf("forwarded /end: %+v, want forwarded text", e)
	}
}
