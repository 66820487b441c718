package main

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"supportbot/bot/telegramtest"
)

// tap serves the fake Bot API server's handler on a listener of its own and
// sees every answer: each delivered message goes straight to the simulated
// customer waiting for it (telegramtest.WaitSent and SentTo scan every
// message sent so far, which a thousand waiters cannot afford), and the
// first getUpdates marks the end of the bot's start.
type tap struct {
	fake *telegramtest.Server
	http *http.Server
	url  string

	firstPoll atomic.Int64 // unix nanoseconds of the first getUpdates
	conns     atomic.Int64 // TCP connections the bot opened
	requests  atomic.Int64
	failed    atomic.Int64 // sendMessage answered ok:false
	stray     atomic.Int64 // messages to chats nobody was waiting on
	dups      atomic.Int64 // the same text twice in a row to one chat

	mu    sync.RWMutex
	chats map[int64]chan reply

	lastMu sync.Mutex
	last   map[int64]string // the last text sent to each chat
}

// reply is a message the bot sent, as the fake server recorded it.
type reply struct {
	at      time.Time
	chatID  int64
	msgID   int64
	date    int64
	text    string
	buttons []telegramtest.Button
	dup     bool // the same text as the chat's previous message
}

// message is the reply as telegramtest knows it, for pressing its buttons.
func (r reply) message() telegramtest.SentMessage {
	return telegramtest.SentMessage{Method: "sendMessage", ChatID: r.chatID, MessageID: r.msgID,
		Text: r.text, Date: time.Unix(r.date, 0)}
}

func newTap() (*tap, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &tap{fake: telegramtest.New(), url: "http://" + ln.Addr().String(),
		chats: map[int64]chan reply{}, last: map[int64]string{}}
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

func (t *tap) register(chatID int64, ch chan reply) {
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
	if method == "getupdates" {
		t.firstPoll.CompareAndSwap(0, time.Now().UnixNano())
	}
	if method != "sendmessage" {
		t.fake.ServeHTTP(w, r)
		return
	}
	cw := &captureWriter{ResponseWriter: w}
	t.fake.ServeHTTP(cw, r)
	at := time.Now()
	var resp struct {
		OK     bool `json:"ok"`
		Result struct {
			MessageID int64  `json:"message_id"`
			Date      int64  `json:"date"`
			Text      string `json:"text"`
			Chat      struct {
				ID int64 `json:"id"`
			} `json:"chat"`
			Markup struct {
				Inline [][]telegramtest.Button `json:"inline_keyboard"`
			} `json:"reply_markup"`
		} `json:"result"`
	}
	if json.Unmarshal(cw.buf.Bytes(), &resp) != nil || !resp.OK {
		t.failed.Add(1)
		return
	}
	m := reply{at: at, chatID: resp.Result.Chat.ID, msgID: resp.Result.MessageID, date: resp.Result.Date, text: resp.Result.Text}
	for _, row := range resp.Result.Markup.Inline {
		m.buttons = append(m.buttons, row...)
	}
	t.lastMu.Lock()
	m.dup = t.last[m.chatID] == m.text
	t.last[m.chatID] = m.text
	t.lastMu.Unlock()
	if m.dup {
		t.dups.Add(1) // an error of its own; the customer skips it
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
