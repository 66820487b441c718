package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// pollLimit is how many updates a getUpdates asks for.
const pollLimit = 100

func (s *Server) getUpdates(offset int64, limit int) ([]json.RawMessage, error) {
	p := tgbotapi.Params{}
	p.AddNonZero64("offset", offset)
	p.AddNonZero("limit", limit)
	p.AddNonZero("timeout", int(s.cfg.PollTimeout/time.Second))
	p.AddInterface("allowed_updates", allowedUpdates)
	resp, err := s.api.MakeRequest("getUpdates", p)
	if err != nil {
		if unreadable(err) {
			return nil, errUnreadable{err}
		}
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(resp.Result, &raws); err != nil {
		return nil, errUnreadable{err}
	}
	return raws, nil
}

// errUnreadable is a getUpdates answer that came whole but is not JSON: an
// update in it is corrupt, and Telegram gives the same answer until the
// offset passes it.
type errUnreadable struct{ err error }

func (e errUnreadable) Error() string { return "unreadable updates: " + e.err.Error() }
func (e errUnreadable) Unwrap() error { return e.err }

// unreadable: err is the JSON decoder's. An answer cut off on the way
// looks the same as one whose update is cut off, so it is only a suspicion
// here: firstUnreadable reads the answer whole before skipping anything.
func unreadable(err error) bool {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return errors.As(err, &syntax) || errors.As(err, &typ) || errors.Is(err, io.ErrUnexpectedEOF)
}

// unreadableRecovery gets polling past a corrupt update. The batch that
// holds it is read again one update at a time, so every readable update
// before it is handled; when the unreadable one is first, it is skipped
// (with a log line), as the webhook skips a malformed one. Otherwise the
// corrupt update would stop every chat until Telegram dropped it a day later.
type unreadableRecovery struct {
	single int // polls left at limit 1
}

// limit is the next getUpdates' limit.
func (r *unreadableRecovery) limit() int {
	if r.single > 0 {
		return 1
	}
	return pollLimit
}

// polled counts a poll that was read.
func (r *unreadableRecovery) polled() {
	if r.single > 0 {
		r.single--
	}
}

// unreadableAt takes an unreadable answer at offset. It returns the offset
// to ask at next and true when that is worth doing at once: the batch read
// again one at a time, or past the corrupt update; false waits as for any
// failed poll.
func (s *Server) unreadableAt(r *unreadableRecovery, offset int64) (int64, bool) {
	if r.single == 0 {
		r.single = pollLimit
		s.log.Warn("unreadable getUpdates answer: reading one update at a time")
		return offset, true
	}
	if last := s.lastTaken(); offset == 0 && last > 0 {
		// Blind at start (offset 0), where an unreadable update shows no
		// id to step past: every update up to the last one taken was
		// taken, so asking from the one after it skips nothing.
		s.log.Warn("unreadable getUpdates answer at start: asking from after the last update taken", "offset", last+1)
		return last + 1, true
	}
	id, ok := s.firstUnreadable(offset)
	if !ok {
		return 0, false
	}
	s.log.Error("unreadable update skipped", "update_id", id)
	r.single = 0
	return id + 1, true
}

// telegramsUpdates is how Telegram's answer to getUpdates begins.
var telegramsUpdates = regexp.MustCompile(`^\s*\{\s*"ok"\s*:\s*true\s*,\s*"result"\s*:\s*\[`)

// updateIDAt finds the update_id Telegram writes first in each update.
var updateIDAt = regexp.MustCompile(`\{\s*"update_id"\s*:\s*(\d+)`)

// firstUnreadable asks for the one update at offset and, when its answer
// is again whole but not JSON, returns the id to skip: the one written in
// it, or offset itself (ids are given in order, so nothing readable is
// below it). At offset 0 with no id in sight it cannot tell, and says so.
func (s *Server) firstUnreadable(offset int64) (int64, bool) {
	endpoint := s.cfg.Endpoint
	if endpoint == "" {
		endpoint = tgbotapi.APIEndpoint
	}
	allowed, _ := json.Marshal(allowedUpdates)
	form := url.Values{"offset": {strconv.FormatInt(offset, 10)}, "limit": {"1"}, "allowed_updates": {string(allowed)}}
	req, err := http.NewRequest(http.MethodPost, fmt.Sprintf(endpoint, s.cfg.Token, "getUpdates"), strings.NewReader(form.Encode()))
	if err != nil {
		return 0, false
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.api.Client.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		return 0, false
	}
	var answer struct {
		Result []json.RawMessage `json:"result"`
	}
	if json.Unmarshal(body, &answer) == nil {
		return 0, false // readable this time
	}
	if !telegramsUpdates.Match(body) {
		return 0, false // not Telegram's answer (a proxy's page): nothing to skip
	}
	for _, m := range updateIDAt.FindAllSubmatch(body, -1) {
		if id, err := strconv.ParseInt(string(m[1]), 10, 64); err == nil && id >= offset {
			return id, true
		}
	}
	if offset > 0 {
		return offset, true
	}
	s.log.Error("an unreadable update with no id is first in line: getUpdates is stuck until Telegram drops it")
	return 0, false
}

// lastTaken is the id of the last update taken in, while Telegram still
// numbers updates on from it: taken within a day (Telegram keeps updates a
// day, and picks new ids at random only after a week without any). 0 when
// not known.
func (s *Server) lastTaken() int64 {
	if s.cfg.LastUpdate == nil {
		return 0
	}
	id, at, err := s.cfg.LastUpdate(context.Background())
	if err != nil || id <= 0 || s.cfg.Now().Sub(at) > 24*time.Hour {
		return 0
	}
	return id
}
