package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"supportbot/bot/telegramtest"
)

// tap serves the fake Bot API server's handler on a listener of its own and
// sees every answer: each message the bot sends or edits goes straight to the
// simulated customer waiting for it (telegramtest.WaitSent and SentTo scan
// every message sent so far, which a thousand waiters cannot afford), new
// messages and edits are counted apart, and the first getUpdates (or
// setWebhook) marks the end of the bot's start.
type tap struct {
	fake *telegramtest.Server
	http *http.Server
	url  string
	// webhook: setWebhook and deleteWebhook are answered here and not passed
	// on, so the fake keeps serving getUpdates to the loadtest's own
	// round-robin front (front.go), which delivers to the instances.
	webhook bool

	firstPoll  atomic.Int64 // unix nanoseconds of the first getUpdates or setWebhook
	hooks      atomic.Int64 // setWebhook calls
	conns      atomic.Int64 // TCP connections the bot opened
	requests   atomic.Int64
	failed     atomic.Int64 // sends and edits answered ok:false
	stray      atomic.Int64 // messages to chats nobody was waiting on
	dups       atomic.Int64 // a new message with the text of one of the chat's last new messages
	reordered  atomic.Int64 // of which not the one just before: an old message sent again after newer ones
	unchanged  atomic.Int64 // edits refused as "message is not modified": the same edit made twice
	news       atomic.Int64 // new messages: sendMessage, copyMessage, sendMediaGroup's items…
	edits      atomic.Int64 // editMessageText, editMessageReplyMarkup, editMessageCaption
	failSample atomic.Value // string: the first refused send or edit

	mu    sync.RWMutex
	chats map[int64]chan reply

	lastMu sync.Mutex
	last   map[int64][]string // the last new messages' texts in each chat, newest last
	trace  io.Writer          // LOADTEST_TRACE: every captured message, one line each
}

// keptTexts is how many of a chat's last new messages a repeat is looked for
// in: more than any script sends, so a text sent twice is always a duplicate.
const keptTexts = 8

// reply is a message the bot sent or edited, as the fake server answered it.
type reply struct {
	at      time.Time
	method  string // sendMessage, editMessageText, editMessageReplyMarkup…
	edit    bool
	chatID  int64
	msgID   int64
	date    int64
	text    string // as the customer sees it: Telegram answers the parsed text, tags gone, entities decoded
	buttons []telegramtest.Button
	dup     bool // a new message with the text of one the chat had (a duplicate send)
}

// message is the reply as telegramtest knows it, for pressing its buttons.
func (r reply) message() telegramtest.SentMessage {
	return telegramtest.SentMessage{Method: "sendMessage", ChatID: r.chatID, MessageID: r.msgID,
		Text: r.text, Date: time.Unix(r.date, 0)}
}

// Bot API methods that make new messages, and those that edit one.
var (
	newMethods  = map[string]string{"sendmessage": "sendMessage", "copymessage": "copyMessage", "copymessages": "copyMessages", "sendmediagroup": "sendMediaGroup", "sendphoto": "sendPhoto", "senddocument": "sendDocument"}
	editMethods = map[string]string{"editmessagetext": "editMessageText", "editmessagereplymarkup": "editMessageReplyMarkup", "editmessagecaption": "editMessageCaption"}
)

// tapsMade numbers the taps of a run: each fake server's update ids start
// where no earlier one's reach, as Telegram's never repeat (the bot drops an
// update id it has handled before, and the phases share a database).
var tapsMade atomic.Int64

func newTap() (*tap, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	first := tapsMade.Add(1) * 100_000_000
	t := &tap{fake: telegramtest.New(telegramtest.WithFirstUpdateID(first)), url: "http://" + ln.Addr().String(),
		chats: map[int64]chan reply{}, last: map[int64][]string{}}
	t.http = &http.Server{Handler: t, ConnState: func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			t.conns.Add(1)
		}
	}}
	go t.http.Serve(ln)
	return t, nil
}

// endpoint is the TELEGRAM_API_ENDPOINT of the tapped server.
func (t *tap) endpoint() string { return t.url + "/bot%s/%s" }

func (t *tap) close() {
	t.fake.Close() // ends the long poll in flight
	t.http.Close()
}

// register hands the chat's messages to ch from now on: a visit of a
// customer begins. Texts of an earlier visit (the echo phase takes customers
// again) are no duplicates of this one's.
func (t *tap) register(chatID int64, ch chan reply) {
	t.lastMu.Lock()
	delete(t.last, chatID)
	t.lastMu.Unlock()
	t.mu.Lock()
	t.chats[chatID] = ch
	t.mu.Unlock()
}

func (t *tap) unregister(chatID int64) {
	t.mu.Lock()
	delete(t.chats, chatID)
	t.mu.Unlock()
}

func (t *tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t.requests.Add(1)
	method := strings.ToLower(path.Base(r.URL.Path))
	switch method {
	case "getupdates":
		t.firstPoll.CompareAndSwap(0, time.Now().UnixNano())
	case "setwebhook", "deletewebhook":
		if t.webhook {
			if method == "setwebhook" {
				t.hooks.Add(1)
				t.firstPoll.CompareAndSwap(0, time.Now().UnixNano())
			}
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":true,"result":true}`)
			return
		}
	}
	name, isNew := newMethods[method]
	if !isNew {
		name = editMethods[method]
	}
	if name == "" {
		t.fake.ServeHTTP(w, r)
		return
	}
	cw := &captureWriter{ResponseWriter: w}
	t.fake.ServeHTTP(cw, r)
	t.capture(name, isNew, cw.buf.Bytes(), time.Now())
}

// wireMessage is the part of a Bot API Message the customers read.
type wireMessage struct {
	MessageID int64  `json:"message_id"`
	Date      int64  `json:"date"`
	Text      string `json:"text"`
	Caption   string `json:"caption"`
	Chat      struct {
		ID int64 `json:"id"`
	} `json:"chat"`
	Markup struct {
		Inline [][]telegramtest.Button `json:"inline_keyboard"`
	} `json:"reply_markup"`
}

// capture counts a send or an edit the server answered with body and hands
// the message to the customer waiting in its chat.
func (t *tap) capture(method string, isNew bool, body []byte, at time.Time) {
	var resp struct {
		OK     bool            `json:"ok"`
		Result json.RawMessage `json:"result"`
	}
	if json.Unmarshal(body, &resp) != nil || !resp.OK {
		if bytes.Contains(body, []byte("message is not modified")) {
			t.unchanged.Add(1)
		}
		t.failed.Add(1)
		t.failSample.CompareAndSwap(nil, method+": "+clip(string(body), 200))
		return
	}
	var msgs []wireMessage
	switch method {
	case "sendMediaGroup":
		json.Unmarshal(resp.Result, &msgs)
	case "copyMessage", "copyMessages":
		// The answer is a bare MessageId without the chat: counted only.
		var ids []json.RawMessage
		n := 1
		if json.Unmarshal(resp.Result, &ids) == nil {
			n = len(ids)
		}
		t.news.Add(int64(n))
		return
	default:
		var m wireMessage
		if json.Unmarshal(resp.Result, &m) != nil { // `true`: an inline message was edited
			if !isNew {
				t.edits.Add(1)
			}
			return
		}
		msgs = []wireMessage{m}
	}
	for _, wm := range msgs {
		if isNew {
			t.news.Add(1)
		} else {
			t.edits.Add(1)
		}
		m := reply{at: at, method: method, edit: !isNew, chatID: wm.Chat.ID, msgID: wm.MessageID, date: wm.Date, text: wm.Text}
		if m.text == "" {
			m.text = wm.Caption
		}
		for _, row := range wm.Markup.Inline {
			m.buttons = append(m.buttons, row...)
		}
		t.deliver(m)
	}
}

func (t *tap) deliver(m reply) {
	if t.trace != nil {
		t.lastMu.Lock()
		fmt.Fprintf(t.trace, "%s chat=%d msg=%d %s %q buttons=%v\n", m.at.Format("15:04:05.000"), m.chatID, m.msgID, m.method, m.text, m.buttons)
		t.lastMu.Unlock()
	}
	if !m.edit {
		t.lastMu.Lock()
		last := t.last[m.chatID]
		if i := slices.Index(last, m.text); i >= 0 {
			m.dup = true
			t.dups.Add(1) // an error of its own; the customer skips it
			if i != len(last)-1 {
				t.reordered.Add(1)
			}
		}
		if len(last) == keptTexts {
			last = slices.Delete(last, 0, 1)
		}
		t.last[m.chatID] = append(last, m.text)
		t.lastMu.Unlock()
	}
	t.mu.RLock()
	ch := t.chats[m.chatID]
	t.mu.RUnlock()
	if ch == nil {
		if !m.dup {
			t.stray.Add(1)
		}
		return
	}
	select {
	case ch <- m:
	default: // the customer is not reading: far more replies than any step has
		t.stray.Add(1)
	}
}

// captureWriter keeps a copy of the answer.
type captureWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (c *captureWriter) Write(p []byte) (int, error) {
	c.buf.Write(p)
	return c.ResponseWriter.Write(p)
}
