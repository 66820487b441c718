package flows

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"supportbot"
	"supportbot/locale"
)

// The button protocol: what an inline button carries back when pressed,
// typed, with one encoder and one decoder. Telegram allows 1-64 bytes.

// CallbackKind says what a button does.
type CallbackKind byte

const (
	// CallbackStep belongs to one step of a flow: pressed while that step is
	// current (its nonce matches) it reaches the flow; later it is stale.
	CallbackStep CallbackKind = 's'
	// CallbackMenu starts a flow (with an optional argument) whenever pressed.
	CallbackMenu CallbackKind = 'm'
	// CallbackView shows a read-only page (a plan's schedule, an FAQ answer);
	// ownership is checked when pressed.
	CallbackView CallbackKind = 'v'
	// CallbackLang sets the language.
	CallbackLang CallbackKind = 'l'
	// CallbackLeave leaves the current flow ("Back"). With a nonce it is
	// the button of that step: pressed later it is stale, like the step's.
	CallbackLeave CallbackKind = 'x'
	// CallbackDesk is an agent's button in the staff chat (take over a
	// ticket, pass it on): Action says what, Arg the ticket and agent.
	CallbackDesk CallbackKind = 'd'
)

// Callback is a button's data.
type Callback struct {
	Kind   CallbackKind
	Nonce  string // CallbackStep: the step it belongs to
	Flow   string // CallbackStep, CallbackMenu: the flow; CallbackView: the view
	Action string // CallbackStep: what the flow is asked to do
	Arg    string // an id (plan, card, schedule, quote…), a language, a rating
	// Keep (CallbackMenu, CallbackView) says the button is under a record —
	// an answer, an outcome, a notice — that stays as it is: what the button
	// shows comes as a new message instead of replacing it.
	Keep bool
}

// Encode renders the data: kind, then the fields in order, ':'-separated,
// the argument last (it may contain ':'). Fields other than the argument
// must not contain ':'; the whole must fit Telegram's 64 bytes.
func (c Callback) Encode() (string, error) {
	var parts []string
	switch c.Kind {
	case CallbackStep:
		parts = []string{"s", c.Nonce, c.Flow, c.Action}
	case CallbackMenu, CallbackView:
		parts = []string{string(c.Kind), c.Flow}
		if c.Keep {
			parts[0] = strings.ToUpper(parts[0])
		}
	case CallbackLang:
		parts = []string{"l"}
	case CallbackLeave:
		parts = []string{"x"}
		if c.Nonce != "" {
			parts = append(parts, c.Nonce)
		}
	case CallbackDesk:
		parts = []string{"d", c.Action}
	default:
		return "", fmt.Errorf("callback kind %q", c.Kind)
	}
	for _, p := range parts[1:] {
		if p == "" || strings.Contains(p, ":") {
			return "", fmt.Errorf("callback field %q is empty or has ':'", p)
		}
	}
	if c.Arg != "" || c.Kind == CallbackLang {
		arg := c.Arg
		if (c.Kind == CallbackMenu || c.Kind == CallbackView) && len(arg) > maxPlainArg {
			arg = argRef(arg) // a plan id of any length still fits
		}
		parts = append(parts, arg)
	}
	out := strings.Join(parts, ":")
	if len(out) > supportbot.MaxButtonData {
		return "", fmt.Errorf("callback data of %d bytes: %q", len(out), out)
	}
	return out, nil
}

// maxPlainArg is the longest argument a menu or view button carries as it
// is; a longer one (the core's ids have no length limit) is carried as its
// argRef, which the flow matches against the customer's own ids.
const maxPlainArg = 40

// argRef is a short digest of a long id: '~' and 16 base64url characters
// (96 bits, so two ids of one customer never share it).
func argRef(id string) string {
	sum := sha256.Sum256([]byte(id))
	return "~" + base64.RawURLEncoding.EncodeToString(sum[:12])
}

// namesID reports whether a button argument names id: the id itself, or
// its argRef when the id was too long to carry.
func namesID(arg, id string) bool {
	return arg == id || len(id) > maxPlainArg && arg == argRef(id)
}

// DecodeCallback parses button data; anything else — forged, truncated, from
// an older protocol — is an error (the customer is told the button expired).
func DecodeCallback(data string) (Callback, error) {
	if data == "" || len(data) > supportbot.MaxButtonData {
		return Callback{}, fmt.Errorf("callback data of %d bytes", len(data))
	}
	kind, rest, _ := strings.Cut(data, ":")
	bad := func() (Callback, error) { return Callback{}, fmt.Errorf("malformed callback data %q", data) }
	switch kind {
	case "s":
		f := strings.SplitN(rest, ":", 4)
		if len(f) < 3 || f[0] == "" || f[1] == "" || f[2] == "" {
			return bad()
		}
		c := Callback{Kind: CallbackStep, Nonce: f[0], Flow: f[1], Action: f[2]}
		if len(f) == 4 {
			c.Arg = f[3]
		}
		return c, nil
	case "m", "v", "M", "V":
		name, arg, _ := strings.Cut(rest, ":")
		if name == "" {
			return bad()
		}
		return Callback{Kind: CallbackKind(strings.ToLower(kind)[0]), Flow: name, Arg: arg, Keep: kind == "M" || kind == "V"}, nil
	case "l":
		return Callback{Kind: CallbackLang, Arg: rest}, nil
	case "x":
		if strings.Contains(rest, ":") {
			return bad()
		}
		return Callback{Kind: CallbackLeave, Nonce: rest}, nil
	case "d":
		action, arg, _ := strings.Cut(rest, ":")
		if action == "" {
			return bad()
		}
		return Callback{Kind: CallbackDesk, Action: action, Arg: arg}, nil
	}
	return bad()
}

// button makes an inline button; a callback that does not encode is a bug in
// the flow, reported in the log, and the button leaves the flow instead.
func (s *Step) button(label string, c Callback) supportbot.Button {
	data, err := c.Encode()
	if err != nil {
		s.e.log.Error("button data", "err", err)
		data, _ = Callback{Kind: CallbackLeave}.Encode()
	}
	// A label is rendered like a message (HTML) but shown as plain text.
	return supportbot.Button{Text: shortLabel(locale.Plain(label)), Data: data}
}

// maxLabel is the most of a button's label kept: Telegram shows a line of a
// phone's width, and a 200-character product name went whole into every
// button naming its plan (a probe).
const maxLabel = 64

// shortLabel cuts a label longer than maxLabel in its middle, where a
// product's name is, keeping its start (the plan's number) and end (its
// amount, its period).
func shortLabel(label string) string {
	r := []rune(label)
	if len(r) <= maxLabel {
		return label
	}
	const tail = 20
	return string(r[:maxLabel-tail-1]) + "…" + string(r[len(r)-tail:])
}

// kept re-encodes the menu and view buttons of rows as buttons under a
// record (Keep); step buttons and anything else stay as they are.
func kept(rows [][]supportbot.Button) [][]supportbot.Button {
	out := make([][]supportbot.Button, len(rows))
	for i, row := range rows {
		out[i] = slices.Clone(row)
		for j, b := range row {
			c, err := DecodeCallback(b.Data)
			if err != nil || c.Kind != CallbackMenu && c.Kind != CallbackView {
				continue
			}
			c.Keep = true
			if data, err := c.Encode(); err == nil {
				out[i][j].Data = data
			}
		}
	}
	return out
}
