package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"supportbot"
)

// Handler takes events into the bot, durably: once Submit returns nil the
// events are committed (and will be handled, in order per chat, whatever
// happens to the process), so the update can be confirmed to Telegram.
// flows.Engine is one.
type Handler interface {
	Submit(ctx context.Context, evs ...supportbot.Event) error
}

// Config configures the adapter.
type Config struct {
	Token    string
	Endpoint string // format string: token, then method
	// PollTimeout is the getUpdates long-poll timeout (default 30 s).
	PollTimeout time.Duration
	// Workers bounds how many webhook requests are taken at once (default 16).
	Workers int
	// Commands are registered with setMyCommands, per language ("" = default).
	Commands map[string][]Command
	Logger   *slog.Logger
	// Outbox is where the handler leaves replies (committed with the step
	// that made them); the server sends from it.
	Outbox Outbox
	// Limits bound the sending rate (DefaultLimits when zero).
	Limits Limits
	// FlushTimeout bounds how long shutdown spends sending what is left.
	FlushTimeout time.Duration
	// Metrics, if set, counts updates and sends.
	Metrics Metrics
	// AgentChatID is the staff supergroup; messages there from AgentIDs reach
	// the handler (with their forum topic), everyone else's are ignored.
	AgentChatID int64
	AgentIDs    []int64
	// GaveUp, if set, is told about a hand-off message the staff chat will
	// never take (the bot was removed, forum topics are off…).
	GaveUp func(ctx context.Context, r supportbot.Reply)
	// Now is the outbox's clock (the store stamps messages with the same
	// one); time.Now when nil.
	Now func() time.Time
	// Shared, if set, is the outbox's side shared with the other instances
	// of the bot (PostgreSQL): this one claims the messages it sends, and
	// Limits are kept in buckets every instance draws from. Nil: this
	// process is the only sender, and the limits are kept in memory.
	Shared SharedOutbox
	// LastUpdate, if set, is the last update taken in (its id and when; 0
	// for none). Polling starts blind, at offset 0; when the update first
	// in line then cannot be read and shows no id, it asks from the one
	// after the last taken — every one before it was taken already.
	LastUpdate func(ctx context.Context) (int64, time.Time, error)
	// Instance names this process in its claims (a random name when empty).
	Instance string
	// CommitTimeout bounds how long a webhook request waits for its update
	// to be committed before it answers 503 (10 s when 0).
	CommitTimeout time.Duration
	// ClaimLease is how long a claim on messages lasts (30 s when 0); a
	// batch being sent is kept claimed (extended every third of it), and
	// the messages an instance that died had claimed are sent by another
	// once its claim runs out.
	ClaimLease time.Duration
	// Tracker, if set, keeps the messages tracked replies made
	// (Reply.Track), so that a later reply with the same Track edits them.
	Tracker Tracker
	// TopicCard, if set, gives the name, icon and context card of a ticket
	// whose topic is made again (an agent deleted it): the new topic gets
	// the customer's name and a fresh card before anything else.
	TopicCard func(ctx context.Context, ticketID int64) (TopicCard, error)
	// Undelivered, if set, is told of a reply to a private chat Telegram
	// refused for good (why: supportbot.UndeliveredBlocked, …Gone,
	// …Rejected), so the agent on the chat hears of it.
	Undelivered func(ctx context.Context, m supportbot.OutboxMessage, why string)
	// ChatRefs name chats in the log (required): the deployment's, so that
	// a chat is named as the engine names it.
	ChatRefs supportbot.ChatRefs
}

// Tracker keeps the message each tracked reply made, per chat.
type Tracker interface {
	// TrackedMessage is 0 when no message is known for the track.
	TrackedMessage(ctx context.Context, chatID int64, track string) (int64, error)
	SetTrackedMessage(ctx context.Context, chatID int64, track string, messageID int64) error
}

// TopicCard is what a ticket's topic starts with: its name and icon (a
// custom emoji id, "" for none) and the context card (HTML).
type TopicCard struct {
	Name, Icon, Text string
}

// Metrics counts what the adapter does.
type Metrics interface {
	Update(kind string, d time.Duration) // one update handled (kind "ignored" for the rest)
	Sent()                               // one message delivered
	SendError(code int)                  // a failed send; 0 for network errors
}

type noMetrics struct{}

func (noMetrics) Update(string, time.Duration) {}
func (noMetrics) Sent()                        {}
func (noMetrics) SendError(int)                {}

// Command is an entry of the command menu Telegram shows.
type Command struct{ Command, Description string }

// Server connects the engine to Telegram.
type Server struct {
	cfg     Config
	api     *tgbotapi.BotAPI
	handler Handler
	log     *slog.Logger
	poll    *pollTransport
	sender  *sender
	metrics Metrics
	// answers makes the answerCallbackQuery calls, each bounded by
	// answerTimeout (the library's requests take no context); answering
	// bounds the calls in flight; answered lets shutdown wait for them.
	answers   *tgbotapi.BotAPI
	answering chan struct{}
	// albums tells a later item of an album from its first, across
	// webhook requests and getUpdates batches.
	albums   *albumsSeen
	answered sync.WaitGroup
	// polling is how getUpdates fares (Receiving).
	polling pollHealth
	// refusedSaid is when a webhook request without the right secret was
	// last logged (unix seconds), without one and with another: each once
	// a minute at most.
	refusedSaid [2]atomic.Int64
}

// pollHealth is since when getUpdates has failed without a break (zero: it
// answers), and its last error.
type pollHealth struct {
	mu    sync.Mutex
	since time.Time
	last  string
}

// pollFailingFor is how long getUpdates may fail before Receiving says so:
// a 409 (another process polls with the token, and takes half the
// updates), a 401 (the token revoked) or a Telegram unreachable.
const pollFailingFor = 2 * time.Minute

// Receiving is nil while updates come in (or may: a webhook, or a poll
// that failed for less than pollFailingFor); otherwise why not, for the
// health check.
func (s *Server) Receiving() error {
	s.polling.mu.Lock()
	defer s.polling.mu.Unlock()
	if s.polling.since.IsZero() || s.cfg.Now().Sub(s.polling.since) < pollFailingFor {
		return nil
	}
	return fmt.Errorf("getUpdates failing since %s: %s", s.polling.since.UTC().Format(time.RFC3339), s.polling.last)
}

// polled records how a getUpdates went.
func (s *Server) polled(err error) {
	s.polling.mu.Lock()
	defer s.polling.mu.Unlock()
	switch {
	case err == nil:
		s.polling.since = time.Time{}
	case s.polling.since.IsZero():
		s.polling.since = s.cfg.Now()
		fallthrough
	default:
		s.polling.last = scrub(err, s.cfg.Token)
	}
}

// answerWithin is how long after a button press its spinner is still worth
// stopping (Telegram refuses an answer to an old query); answerTimeout
// bounds one answerCallbackQuery request.
const (
	answerWithin  = 10 * time.Second
	answerTimeout = 3 * time.Second
)

// ErrUnauthorized is returned by New when Telegram rejects the token.
var ErrUnauthorized = errors.New("TELEGRAM_BOT_TOKEN rejected by Telegram (getMe: 401 Unauthorized)")

// New connects to the Bot API (getMe) and returns the adapter; ctx ending
// (a shutdown) stops the waits of a Telegram that answers 429 or 5xx.
func New(ctx context.Context, cfg Config, h Handler) (*Server, error) {
	if cfg.ChatRefs.IsZero() {
		return nil, errors.New("bot: chat references are required (ChatRefs)")
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = 30 * time.Second
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CommitTimeout <= 0 {
		cfg.CommitTimeout = 10 * time.Second
	}
	if cfg.FlushTimeout <= 0 {
		cfg.FlushTimeout = 5 * time.Second
	}
	// Keep connections to the Bot API alive across many chats at once (Go's
	// default keeps 2 idle per host, and reconnects for the rest).
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	poll := &pollTransport{base: transport, ctx: context.Background()}
	// The library's default client has no timeout; a long poll must outlive
	// its own timeout, by a margin.
	client := &http.Client{Transport: poll, Timeout: cfg.PollTimeout + 10*time.Second}
	// The library's logger is a package variable, read by every client:
	// set it once, not per Server (two Servers made at once would race).
	setLoggerOnce.Do(func() { tgbotapi.SetLogger(discardLogger{}) })
	// getMe: a rejected token fails at once; a 429 or 5xx at start-up is
	// waited out a few times rather than ending the process.
	var api *tgbotapi.BotAPI
	var err error
	for attempt := 1; ; attempt++ {
		api, err = tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.Endpoint, client)
		var te *tgbotapi.Error
		if errors.As(err, &te) && te.Code == http.StatusUnauthorized || err != nil && strings.Contains(err.Error(), "Unauthorized") {
			return nil, ErrUnauthorized
		}
		if err == nil || permanent(err) || attempt == 6 {
			break
		}
		wait := backoff(err, attempt)
		cfg.Logger.Warn("getMe failed, retrying", "attempt", attempt, "retry_in", wait, "err", scrub(err, cfg.Token))
		if !sleep(ctx, wait) {
			return nil, fmt.Errorf("connect to Telegram: %w (last: %s)", ctx.Err(), scrub(err, cfg.Token))
		}
	}
	if err != nil {
		return nil, fmt.Errorf("connect to Telegram: %s", scrub(err, cfg.Token))
	}
	answers := *api // the same bot, with a client that gives up sooner
	answers.Client = &http.Client{Transport: poll, Timeout: answerTimeout}
	s := &Server{cfg: cfg, api: api, handler: h, log: cfg.Logger.With("component", "bot"), poll: poll, metrics: cfg.Metrics,
		answers: &answers, answering: make(chan struct{}, 8), albums: &albumsSeen{last: map[int64]albumMark{}}}
	if s.metrics == nil {
		s.metrics = noMetrics{}
	}
	if cfg.Outbox == nil {
		return nil, errors.New("bot: an outbox is required")
	}
	s.sender = newSender(s, cfg.Outbox, cfg.Limits, 16)
	if cfg.Shared != nil {
		s.sender.shared = cfg.Shared
		s.sender.owner = cfg.Instance
		if s.sender.owner == "" {
			s.sender.owner = fmt.Sprintf("bot-%x", rand.Uint64())
		}
		s.sender.lease = cfg.ClaimLease
		if s.sender.lease <= 0 {
			s.sender.lease = 30 * time.Second
		}
	}
	return s, nil
}

// Username is the bot's @username.
func (s *Server) Username() string { return s.api.Self.UserName }

// Run registers the commands and long-polls until ctx is done. Updates of a
// batch are handled (different chats in parallel, each chat in order) before
// the batch is confirmed, so a crash redelivers rather than loses them.
//
// On shutdown (ctx done) it stops taking updates, lets the batch in hand
// finish, and sends what the outbox can within FlushTimeout.
func (s *Server) Run(ctx context.Context) error {
	s.poll.set(ctx)
	// A webhook left from webhook mode would make getUpdates fail (409);
	// if deleting it fails, polling says so in the log and keeps trying.
	if err := s.retry(ctx, "deleteWebhook", func() error {
		_, err := s.api.Request(tgbotapi.DeleteWebhookConfig{})
		return err
	}); err != nil {
		s.log.Error("deleteWebhook failed", "err", scrub(err, s.cfg.Token))
	}
	s.setCommands()
	defer s.startSending(ctx)()
	var offset int64
	var recovery unreadableRecovery
	failures := 0
	for ctx.Err() == nil {
		raws, err := s.getUpdates(offset, recovery.limit())
		if ctx.Err() == nil {
			s.polled(err)
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if errors.As(err, new(errUnreadable)) {
				if next, now := s.unreadableAt(&recovery, offset); now {
					offset = next
					continue
				}
			}
			failures++
			wait := backoff(err, failures)
			s.log.Warn("getUpdates failed", "err", scrub(err, s.cfg.Token), "retry_in", wait)
			var te *tgbotapi.Error
			if errors.As(err, &te) && te.Code == http.StatusConflict && strings.Contains(te.Message, "webhook") {
				s.api.Request(tgbotapi.DeleteWebhookConfig{}) // a webhook is still set: take it down again
			}
			sleep(ctx, wait)
			continue
		}
		failures = 0
		recovery.polled()
		next, err := s.takeBatch(ctx, raws)
		if err != nil {
			// Not committed (the database is down): the offset stays, and
			// Telegram gives the same updates again.
			s.log.Error("take updates", "err", err)
			sleep(ctx, backoff(err, 3))
			continue
		}
		switch {
		case next > offset:
			offset = next
		case len(raws) > 0 && offset > 0:
			// Nothing in the batch had an id: it is confirmed by stepping
			// past the first in line (ids are given in order).
			s.log.Error("update with no id skipped", "update_id", offset)
			offset++
		}
	}
	return nil
}

// Wake tells the sender that new messages are in the outbox.
func (s *Server) Wake() { s.sender.news.Store(true); s.sender.poke() }

// startSending runs the outbox sender and returns the function that stops
// it and flushes what it can within FlushTimeout.
func (s *Server) startSending(ctx context.Context) (stop func()) {
	sendCtx, stopSending := context.WithCancel(context.WithoutCancel(ctx))
	requests, endRequests := context.WithCancel(context.Background())
	s.poll.setSends(requests)
	done := make(chan struct{})
	go func() { s.sender.run(sendCtx); close(done) }()
	return func() {
		// One budget for the sends under way and the flush: past it a
		// request still waiting for Telegram is abandoned (its message
		// stays pending for the next run).
		deadline := time.Now().Add(s.cfg.FlushTimeout)
		hard := time.AfterFunc(s.cfg.FlushTimeout, endRequests)
		defer func() {
			hard.Stop()
			endRequests()
			s.poll.setSends(nil)
		}()
		stopSending()
		<-done
		s.answered.Wait()
		flushCtx, cancel := context.WithDeadline(context.WithoutCancel(ctx), deadline)
		defer cancel()
		s.sender.flush(flushCtx)
	}
}

func (s *Server) setCommands() {
	for lang, cmds := range s.cfg.Commands {
		list := make([]tgbotapi.BotCommand, len(cmds))
		for i, c := range cmds {
			list[i] = tgbotapi.BotCommand{Command: c.Command, Description: c.Description}
		}
		c := tgbotapi.NewSetMyCommands(list...)
		c.LanguageCode = lang
		if _, err := s.api.Request(c); err != nil {
			s.log.Warn("setMyCommands failed", "lang", lang, "err", scrub(err, s.cfg.Token))
		}
	}
}

// allowedUpdates are the update kinds the bot asks Telegram for: edits are
// relayed while a person is on a chat, and my_chat_member says at once that
// a user blocked or unblocked the bot.
var allowedUpdates = []string{"message", "edited_message", "callback_query", "my_chat_member"}

// takeBatch decodes a getUpdates batch and hands the events to the handler
// in one go; it returns the offset that confirms the batch, once the events
// are committed. Malformed updates and ones the bot ignores are confirmed
// too (with a log line): Telegram would only send them again.
func (s *Server) takeBatch(ctx context.Context, raws []json.RawMessage) (int64, error) {
	var next int64
	var evs []supportbot.Event
	lastGroup := ""
	for _, raw := range raws {
		var head struct {
			UpdateID int64 `json:"update_id"`
		}
		json.Unmarshal(raw, &head)
		if head.UpdateID >= next {
			next = head.UpdateID + 1
		}
		in, err := decodeUpdate(raw)
		if err != nil {
			s.log.Warn("malformed update skipped", "update_id", updateIDOf(raw), "err", err)
			continue
		}
		if in.callback != "" {
			s.answerCallback(in.callback)
		}
		if !s.accept(&in) {
			s.metrics.Update("ignored", 0)
			lastGroup = ""
			continue
		}
		if n := len(evs); n > 0 && in.group != "" && in.group == lastGroup && evs[n-1].ChatID == in.event.ChatID {
			// The next item of an album (Telegram sends one update per
			// item, together): relayed as one album, not one by one.
			prev := &evs[n-1]
			if len(prev.Album) == 0 {
				prev.Album = []int64{prev.MessageID}
			}
			prev.Album = append(prev.Album, in.event.MessageID)
			// Its caption and file name go with the album's, to be masked
			// with them: a card number in any item's keeps the whole album
			// from being copied as it is.
			prev.Text = joinNonEmpty("\n", prev.Text, in.event.Text)
			prev.FileName = joinNonEmpty(" / ", prev.FileName, in.event.FileName)
			continue
		}
		if in.group != "" && s.albums.later(in.event.ChatID, in.group, in.event.UpdateID, time.Now()) {
			in.event.AlbumItem = true // the album's first item came in an earlier batch
		}
		lastGroup = in.group
		evs = append(evs, in.event)
	}
	start := time.Now()
	if err := s.handler.Submit(context.WithoutCancel(ctx), evs...); err != nil {
		return 0, err
	}
	for _, ev := range evs {
		s.metrics.Update(string(ev.Kind), time.Since(start))
	}
	return next, nil
}

// joinNonEmpty joins a and b with sep, leaving out an empty one.
func joinNonEmpty(sep, a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + sep + b
}

// answerCallback stops the button's spinner, in the background (a few
// quick tries, since the client spins until it is answered): taking the
// update in does not wait for it, and the answers of a batch go out
// together.
func (s *Server) answerCallback(id string) {
	s.answered.Add(1)
	// Worth answering for answerWithin from now, the wait for a free slot
	// included: a slow answer does not hold up every later press for long.
	ctx, cancel := context.WithTimeout(context.Background(), answerWithin)
	go func() {
		defer s.answered.Done()
		defer cancel()
		select {
		case s.answering <- struct{}{}:
			defer func() { <-s.answering }()
		case <-ctx.Done():
			s.log.Warn("answerCallbackQuery given up: too late")
			return
		}
		if err := s.retry(ctx, "answerCallbackQuery", func() error {
			_, err := s.answers.Request(tgbotapi.NewCallback(id, ""))
			return err
		}); err != nil {
			s.log.Warn("answerCallbackQuery failed", "err", scrub(err, s.cfg.Token))
		}
	}()
}

// retry calls fn until it succeeds, fails for good, or 6 attempts or ctx run
// out, waiting retry_after or a jittered backoff in between.
func (s *Server) retry(ctx context.Context, what string, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || permanent(err) || attempt == 6 {
			return err
		}
		wait := backoff(err, attempt)
		s.log.Warn(what+" failed, retrying", "attempt", attempt, "retry_in", wait, "err", scrub(err, s.cfg.Token))
		if !sleep(ctx, wait) {
			return err
		}
	}
}

// Send delivers one reply now, retrying 429 (after retry_after), 5xx and
// network errors with backoff; permanent errors (403 blocked, 400 chat not
// found) are returned at once. With an outbox, prefer enqueueing.
func (s *Server) Send(ctx context.Context, r supportbot.Reply) error {
	sent := 0
	return s.retry(ctx, "send", func() (err error) {
		sent, _, err = s.sendParts(ctx, r, sent)
		return err
	})
}

// sendParts makes one attempt at delivering a reply: its text split at
// Telegram's limit (the keyboard goes with the last piece), or a copy of a
// relayed message. It starts at part from (the parts before it were
// delivered by an earlier attempt: sending them again would show them
// twice) and returns how many parts are delivered in all and the id of the
// last message sent.
func (s *Server) sendParts(ctx context.Context, r supportbot.Reply, from int) (int, int64, error) {
	sent, ids, err := s.sendPartsEach(ctx, r, from)
	if err != nil || len(ids) == 0 {
		return sent, 0, err
	}
	return sent, ids[len(ids)-1], nil
}

// sendPartsEach is sendParts with the id of every message this attempt
// sent, in order.
func (s *Server) sendPartsEach(_ context.Context, r supportbot.Reply, from int) (int, []int64, error) {
	if len(r.CopyMessages) > 0 {
		// An album: copied as one, so it stays an album.
		p := tgbotapi.Params{}
		p.AddNonZero64("chat_id", r.ChatID)
		p.AddNonZero64("message_thread_id", r.ThreadID)
		p.AddNonZero64("from_chat_id", r.CopyFromChat)
		if err := p.AddInterface("message_ids", r.CopyMessages); err != nil {
			return 0, nil, err
		}
		if r.HideCaption {
			p["remove_caption"] = "true"
		}
		resp, err := s.api.MakeRequest("copyMessages", p)
		if err != nil {
			return 0, nil, err
		}
		var copies []struct {
			MessageID int64 `json:"message_id"`
		}
		json.Unmarshal(resp.Result, &copies)
		ids := make([]int64, 0, len(copies))
		for _, c := range copies {
			ids = append(ids, c.MessageID) // each taken back by a withdrawal
		}
		return 1, ids, nil
	}
	if r.CopyFromMessage != 0 {
		p := tgbotapi.Params{}
		p.AddNonZero64("chat_id", r.ChatID)
		p.AddNonZero64("message_thread_id", r.ThreadID)
		p.AddNonZero64("from_chat_id", r.CopyFromChat)
		p.AddNonZero64("message_id", r.CopyFromMessage)
		if r.HideCaption {
			p["caption"] = r.Caption // "" removes it
			p["parse_mode"] = "HTML"
		}
		resp, err := s.api.MakeRequest("copyMessage", p)
		if err != nil {
			return 0, nil, err
		}
		return 1, []int64{messageID(resp.Result)}, nil
	}
	parts := splitText(r.Text, messageLimit)
	last := len(parts) - 1 // the part the keyboard goes under
	keyboards := keyboardParts(r.Buttons)
	for range keyboards[min(1, len(keyboards)):] {
		parts = append(parts, "⋯") // a keyboard too big for one message goes on under messages of its own
	}
	var ids []int64
	for i := from; i < len(parts); i++ {
		text := parts[i]
		p := tgbotapi.Params{}
		p.AddNonZero64("chat_id", r.ChatID)
		p.AddNonZero64("message_thread_id", r.ThreadID)
		if i == 0 && r.ReplyTo != 0 {
			p.AddNonZero64("reply_to_message_id", r.ReplyTo)
			p["allow_sending_without_reply"] = "true"
		}
		p["text"] = text
		p["parse_mode"] = "HTML" // every reply is Telegram HTML, its values escaped
		var markup any
		switch {
		case len(keyboards) > 0 && i >= last:
			markup = inlineMarkup(keyboards[i-last])
		case len(keyboards) == 0 && i == last:
			markup = replyMarkup(r)
		}
		if markup != nil {
			if err := p.AddInterface("reply_markup", markup); err != nil {
				return i, ids, err
			}
		}
		resp, err := s.api.MakeRequest("sendMessage", p)
		if err != nil {
			return i, ids, err
		}
		ids = append(ids, messageID(resp.Result))
	}
	return len(parts), ids, nil
}

// editOnce makes one attempt at replacing the text and inline keyboard of
// the message r.Edit (no buttons: the keyboard goes).
func (s *Server) editOnce(_ context.Context, r supportbot.Reply) (int64, error) {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", r.ChatID)
	p.AddNonZero64("message_id", r.Edit)
	p["text"] = r.Text
	p["parse_mode"] = "HTML"
	if len(r.Buttons) > 0 {
		if err := p.AddInterface("reply_markup", replyMarkup(r)); err != nil {
			return 0, err
		}
	}
	_, err := s.api.MakeRequest("editMessageText", p)
	if noText(err) && r.Track != "" && supportbot.TextLen(r.Text) <= supportbot.CaptionLimit {
		// A tracked photo or document (an agent's, its caption corrected):
		// its caption is what changes.
		delete(p, "text")
		p["caption"] = r.Text
		_, err = s.api.MakeRequest("editMessageCaption", p)
	}
	if err != nil && !notModified(err) {
		return 0, err
	}
	return r.Edit, nil
}

// noText reports Telegram refusing editMessageText on a message without
// text (a photo, a document).
func noText(err error) bool {
	var te *tgbotapi.Error
	return errors.As(err, &te) && strings.Contains(strings.ToLower(te.Message), "there is no text in the message to edit")
}

// messageID reads the message_id of a sent message.
func messageID(result json.RawMessage) int64 {
	var m struct {
		MessageID int64 `json:"message_id"`
	}
	json.Unmarshal(result, &m)
	return m.MessageID
}

func replyMarkup(r supportbot.Reply) any {
	switch {
	case len(r.Buttons) > 0:
		return inlineMarkup(r.Buttons)
	case r.AskContact != "":
		rows := [][]tgbotapi.KeyboardButton{{tgbotapi.NewKeyboardButtonContact(r.AskContact)}}
		if len(r.Keyboard) > 0 {
			var row []tgbotapi.KeyboardButton
			for _, k := range r.Keyboard {
				row = append(row, tgbotapi.NewKeyboardButton(k))
			}
			rows = append(rows, row)
		}
		kb := tgbotapi.NewReplyKeyboard(rows...)
		kb.OneTimeKeyboard = true
		return kb
	case r.RemoveKeyboard:
		return tgbotapi.NewRemoveKeyboard(true)
	}
	return nil
}

// maxInlineButtons is how many buttons one inline keyboard may have in all
// (Telegram refuses more: 400 REPLY_MARKUP_TOO_LONG).
const maxInlineButtons = 100

// keyboardParts cuts an inline keyboard, row by row, into keyboards of at
// most maxInlineButtons buttons each: one for a keyboard that fits (as
// nearly all do), none for no buttons.
func keyboardParts(rows [][]supportbot.Button) [][][]supportbot.Button {
	var parts [][][]supportbot.Button
	n := 0
	for _, row := range rows {
		if len(parts) == 0 || n+len(row) > maxInlineButtons {
			parts = append(parts, nil)
			n = 0
		}
		parts[len(parts)-1] = append(parts[len(parts)-1], row)
		n += len(row)
	}
	return parts
}

func inlineMarkup(rows [][]supportbot.Button) tgbotapi.InlineKeyboardMarkup {
	out := make([][]tgbotapi.InlineKeyboardButton, 0, len(rows))
	for _, row := range rows {
		var r []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			r = append(r, tgbotapi.NewInlineKeyboardButtonData(b.Text, b.Data))
		}
		out = append(out, r)
	}
	return tgbotapi.NewInlineKeyboardMarkup(out...)
}

// permanent reports errors that no retry will fix: the chat is gone or the
// request is wrong.
func permanent(err error) bool {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return te.Code == 400 || te.Code == 401 || te.Code == 403 || te.Code == 404
	}
	return false
}

// backoff is how long to wait before attempt+1: Telegram's retry_after for a
// 429, otherwise exponential with jitter, capped at 30 s.
func backoff(err error, attempt int) time.Duration {
	var te *tgbotapi.Error
	if errors.As(err, &te) && te.RetryAfter > 0 {
		return time.Duration(te.RetryAfter) * time.Second
	}
	d := 250 * time.Millisecond << min(attempt-1, 7)
	d = min(d, 30*time.Second)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// scrub removes the token from an error text: transport errors carry the URL,
// and the URL carries the token.
func scrub(err error, token string) string {
	if err == nil {
		return ""
	}
	if token == "" {
		return err.Error()
	}
	return strings.ReplaceAll(err.Error(), token, "<token>")
}

// pollTransport ties the library's requests, which take no context, to the
// bot's life: getUpdates to the run context, so shutdown does not wait for
// a long poll; every other request to the sends context, which shutdown
// ends when its flush budget is spent, so a send Telegram never answers
// does not hold the process past it.
type pollTransport struct {
	base  http.RoundTripper
	mu    sync.Mutex
	ctx   context.Context // getUpdates
	sends context.Context // the rest
}

func (t *pollTransport) set(ctx context.Context) {
	t.mu.Lock()
	t.ctx = ctx
	t.mu.Unlock()
}

func (t *pollTransport) setSends(ctx context.Context) {
	t.mu.Lock()
	t.sends = ctx
	t.mu.Unlock()
}

func (t *pollTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	bound := t.sends
	if strings.HasSuffix(r.URL.Path, "/getUpdates") {
		bound = t.ctx
	}
	t.mu.Unlock()
	if bound == nil || bound.Done() == nil {
		return t.base.RoundTrip(r)
	}
	// Ended by either: the request's own (the client's timeout) or bound,
	// until its answer is read.
	ctx, cancel := context.WithCancel(r.Context())
	unbind := context.AfterFunc(bound, cancel)
	end := func() { unbind(); cancel() }
	resp, err := t.base.RoundTrip(r.WithContext(ctx))
	if err != nil {
		end()
		return nil, err
	}
	resp.Body = &boundBody{ReadCloser: resp.Body, end: end}
	return resp, nil
}

// boundBody ends its request's binding when the answer has been read.
type boundBody struct {
	io.ReadCloser
	end func()
}

func (b *boundBody) Close() error {
	err := b.ReadCloser.Close()
	b.end()
	return err
}

var setLoggerOnce sync.Once

type discardLogger struct{}

func (discardLogger) Println(...any)        {}
func (discardLogger) Printf(string, ...any) {}

// accept reports whether an update goes to the handler: private chats, and
// listed agents' messages, edits and button presses in the staff chat
// (tagged with their topic).
func (s *Server) accept(in *incoming) bool {
	if !in.ok {
		return false
	}
	if in.to != "" && !strings.EqualFold(in.to, s.api.Self.UserName) {
		return false // /bill@OtherBot: a command for another bot, here as in the staff chat (a probe: it ran /bill)
	}
	if in.private() {
		return true
	}
	if s.cfg.AgentChatID == 0 || in.event.ChatID != s.cfg.AgentChatID || in.event.Kind == supportbot.EventMember {
		return false
	}
	if in.event.Kind == supportbot.EventTopicClosed {
		// Whoever closed it (an admin need not be an agent): a fact about
		// the topic, not a command.
		in.event.ThreadID = in.threadID
		return in.threadID != 0
	}
	if !slices.Contains(s.cfg.AgentIDs, in.event.UserID) && !in.event.Anonymous {
		// Not an agent: never relayed, never obeyed — a new message in a
		// topic is let through marked, for the desk to say so on it.
		if in.threadID == 0 || in.event.Kind == supportbot.EventEdit || in.event.Kind == supportbot.EventButton || in.event.UserID == 0 {
			return false
		}
		in.event.Unlisted = true
	}
	in.event.ThreadID = in.threadID
	if in.topic.by == s.api.Self.ID { // a topic the bot made (a ticket's, or a spare of one)
		in.event.TopicName = clip(in.topic.name)
	}
	return true
}
