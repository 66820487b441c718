// Package console is a chat channel on a terminal: the same engine as on
// Telegram, typed into stdin. Buttons print as numbered options; typing the
// number presses the button. "/contact PHONE" stands in for sharing the
// Telegram contact ("/contact_of USER_ID PHONE" forwards someone else's). It works with piped input and stops at end of input.
package console

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"supportbot"
	"supportbot/locale"
)

// Handler takes events and handles them; flows.Engine is one. Drain handles
// everything waiting (the console waits for each step, and the money actions
// it confirmed, before it reads the next line).
type Handler interface {
	Submit(ctx context.Context, evs ...supportbot.Event) error
	Drain(ctx context.Context) error
}

// Outbox is where the replies wait; the console takes its chat's.
type Outbox interface {
	ChatMessages(ctx context.Context, chatID int64) ([]supportbot.OutboxMessage, error)
	MarkSent(ctx context.Context, ids ...int64) error
}

// Chat is one console conversation.
type Chat struct {
	Handler Handler
	Outbox  Outbox
	In      io.Reader
	Out     io.Writer
	// UserID is the console user's id (also the chat id).
	UserID int64
	// Prompt is printed before each line is read; empty for piped input.
	Prompt string
	// OnError is told about failed steps (the customer sees the apology).
	OnError func(error)

	options []option
	// listed are the places a reply's own text numbers ("1. 中信银行…"):
	// a typed number among them is the place in that list, as on Telegram,
	// unless the option of that number is the same item.
	listed map[int]bool
	seq    int64
}

// listedPlace is a line of a reply's text that numbers a list's item.
var listedPlace = regexp.MustCompile(`(?m)^\s*([0-9]{1,2})\.\s+([^\n]*?)(?:\s+(?:✅|⛔)[^\n]*)?$`)

// option is a numbered choice: an inline button or a keyboard text.
type option struct {
	data, text string
	contact    bool
}

// Run reads lines until end of input or ctx is done. start, if set, is sent
// first (e.g. "/start" for an interactive session).
func (c *Chat) Run(ctx context.Context, start string) error {
	if start != "" {
		c.send(ctx, c.parse(start))
	}
	lines := make(chan string)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(c.In)
		sc.Buffer(make([]byte, 64*1024), 1<<20)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		errc <- sc.Err()
		close(lines)
	}()
	for {
		fmt.Fprint(c.Out, c.Prompt)
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				fmt.Fprintln(c.Out)
				return <-errc
			}
			if strings.TrimSpace(line) == "" {
				continue
			}
			if c.Prompt == "" {
				fmt.Fprintf(c.Out, "> %s\n", line)
			}
			c.send(ctx, c.parse(line))
		}
	}
}

// parse turns a typed line into an event.
func (c *Chat) parse(line string) supportbot.Event {
	line = strings.TrimSpace(line)
	ev := supportbot.Event{ChatID: c.UserID, UserID: c.UserID, FirstName: "Console", Kind: supportbot.EventText, Text: line}
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(c.options) &&
		(!c.listed[n] || strings.HasPrefix(c.options[n-1].text, line+".")) {
		// (A number the reply's own list gives another item — "2. 民生"
		// above a button [2] for 广发 — is typed text, the list's place: a
		// probe set the wrong card as the default.)
		o := c.options[n-1]
		switch {
		case o.contact:
			ev.Text = "" // sharing needs a number: tell how
			fmt.Fprintln(c.Out, "(type /contact PHONE to share a phone number as your Telegram contact)")
			return supportbot.Event{}
		case o.data != "":
			ev.Kind, ev.Data, ev.Text = supportbot.EventButton, o.data, ""
		default:
			ev.Text = o.text
		}
		return ev
	}
	if !strings.HasPrefix(line, "/") {
		return ev
	}
	cmd, args, _ := strings.Cut(line[1:], " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	switch cmd {
	case "contact": // /contact PHONE: sharing one's own Telegram contact
		ev.Kind, ev.Text, ev.Phone, ev.ContactUserID = supportbot.EventContact, "", contactPhone(args), c.UserID
		return ev
	case "contact_of": // /contact_of USER_ID PHONE: forwarding someone else's
		owner, phone, _ := strings.Cut(strings.TrimSpace(args), " ")
		ev.Kind, ev.Text, ev.Phone = supportbot.EventContact, "", contactPhone(phone)
		ev.ContactUserID, _ = strconv.ParseInt(owner, 10, 64)
		return ev
	}
	ev.Kind, ev.Text, ev.Args = supportbot.EventCommand, cmd, strings.TrimSpace(args)
	return ev
}

func (c *Chat) send(ctx context.Context, ev supportbot.Event) {
	if ev.Kind == "" {
		return
	}
	c.seq++
	ev.Source = "console:" + strconv.FormatInt(c.seq, 10) + ":" + strconv.FormatInt(time.Now().UnixNano(), 36)
	err := c.Handler.Submit(ctx, ev)
	if err == nil {
		err = c.Handler.Drain(ctx)
	}
	if err != nil && c.OnError != nil {
		c.OnError(err)
	}
	msgs, err := c.Outbox.ChatMessages(ctx, c.UserID)
	if err != nil {
		if c.OnError != nil {
			c.OnError(err)
		}
		return
	}
	if len(msgs) > 0 {
		c.options = c.options[:0]
		c.listed = map[int]bool{}
	}
	ids := make([]int64, 0, len(msgs))
	for _, m := range msgs {
		c.print(m.Reply)
		ids = append(ids, m.ID)
	}
	if err := c.Outbox.MarkSent(ctx, ids...); err != nil && c.OnError != nil {
		c.OnError(err)
	}
}

func (c *Chat) print(r supportbot.Reply) {
	if r.Text == "" && r.CopyFromMessage == 0 {
		return // a keyboard taken off an earlier message: nothing to read
	}
	// Replies are Telegram HTML: the console shows their text; what Telegram
	// would show by editing an earlier message is marked so.
	mark := "🤖 "
	if r.Edit != 0 || r.EditStep != "" {
		mark = "🤖 ✏️ "
	}
	plain := locale.Plain(r.Text)
	// A list of the reply's own is one to pick from when its items are
	// what its buttons name ("2. 民生银行 **** 2222", "设为默认：民生银行 **** 2222"),
	// not a guide's numbered steps above a button.
	items := map[int]string{}
	for _, m := range listedPlace.FindAllStringSubmatch(plain, -1) {
		n, _ := strconv.Atoi(m[1])
		items[n] = strings.TrimSpace(m[2])
	}
	picks := false
	for _, row := range r.Buttons {
		for _, b := range row {
			for n, item := range items {
				// a button naming the item, or numbered as it is ("2. Show
				// schedule" under "2. 📺 Xiaomi TV": a probe's "2" pressed
				// the first plan's payoff)
				picks = picks || item != "" && strings.Contains(b.Text, item) || strings.HasPrefix(b.Text, strconv.Itoa(n)+". ")
			}
		}
	}
	if picks {
		for n := range items {
			c.listed[n] = true
		}
	}
	fmt.Fprintln(c.Out, mark+strings.ReplaceAll(plain, "\n", "\n   "))
	for _, row := range r.Buttons {
		var cells []string
		for _, b := range row {
			c.options = append(c.options, option{data: b.Data, text: b.Text})
			cells = append(cells, fmt.Sprintf("[%d] %s", len(c.options), b.Text))
		}
		fmt.Fprintln(c.Out, "   "+strings.Join(cells, "  "))
	}
	if r.AskContact != "" {
		c.options = append(c.options, option{contact: true})
		cells := []string{fmt.Sprintf("[%d] %s (/contact PHONE)", len(c.options), r.AskContact)}
		for _, k := range r.Keyboard {
			c.options = append(c.options, option{text: k})
			cells = append(cells, fmt.Sprintf("[%d] %s", len(c.options), k))
		}
		fmt.Fprintln(c.Out, "   "+strings.Join(cells, "  "))
	}
}

// contactPhone is a typed phone as Telegram would share it: international,
// country code first. A mainland number typed the way people in China write
// it (13800138000) gets its +86, as Telegram adds it; anything else is taken
// as typed.
func contactPhone(typed string) string {
	typed = strings.TrimSpace(typed)
	if !strings.HasPrefix(typed, "+") {
		if p := supportbot.ImportPhone(typed); p != "" {
			return p
		}
	}
	return typed
}
