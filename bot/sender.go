package bot

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"golang.org/x/time/rate"

	"supportbot"
)

// Outbox is where replies wait to be sent; the store implements it.
type Outbox interface {
	// DueMessages lists due pending messages in order, a bounded number of
	// each chat, none behind a postponed one of the same chat.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]supportbot.OutboxMessage, error)
	// MarkSent records deliveries; one call may carry many.
	MarkSent(ctx context.Context, ids ...int64) error
	RetryLater(ctx context.Context, id int64, at time.Time, reason string) error
	// MarkFailed gives up; chatGone also gives up the chat's other messages.
	MarkFailed(ctx context.Context, id int64, reason string, chatGone bool) error
	// TicketTopic is the forum topic of a hand-off ticket, 0 if none yet;
	// SetTicketTopic records it (0: lost, make a new one).
	TicketTopic(ctx context.Context, ticketID int64) (int64, error)
	SetTicketTopic(ctx context.Context, ticketID, topicID int64) error
	// StepMessage is the message that shows step nonce's buttons in a chat
	// (0 if none is known); SetStepMessage records it (0: forget it).
	StepMessage(ctx context.Context, chatID int64, nonce string) (int64, error)
	SetStepMessage(ctx context.Context, chatID int64, nonce string, messageID int64) error
}

// SharedOutbox is what several instances of the bot sending from one outbox
// need besides the Outbox (the store on PostgreSQL): a message is sent by the
// instance that claimed it, and the sending limits are token buckets in the
// database that every instance draws from, so that Telegram's 30 messages a
// second and a group's 20 a minute hold for the bot, not per instance.
type SharedOutbox interface {
	// ClaimMessages takes up to limit due messages for owner until
	// now+lease, oldest first: none a claim holds, and none behind a
	// postponed message of its queue or one a claim holds (owner's own
	// too: one it lost track of must not be overtaken). Marking
	// a message sent, retried or failed ends its claim (and a failure, the
	// owner's claims behind it); a claim that runs out lets another take it.
	ClaimMessages(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]supportbot.OutboxMessage, error)
	// ReleaseMessages gives back owner's claims on messages it will not
	// send now.
	ReleaseMessages(ctx context.Context, owner string, ids ...int64) error
	// ExtendClaims moves owner's claims on ids to until, and says how many
	// it still held.
	ExtendClaims(ctx context.Context, owner string, until time.Time, ids ...int64) (int, error)
	// TakeTokens takes up to want tokens from the named bucket (refilled at
	// rate a second, holding at most burst): how many it took and, when
	// fewer than want, how long until the rest.
	TakeTokens(ctx context.Context, bucket string, rate float64, burst, want int, now time.Time) (int, time.Duration, error)
}

// Limits are Telegram's sending limits (about 30 messages/s overall, 1/s per
// chat with short bursts, 20/min per group); the load test raises them.
type Limits struct {
	PerSecond      float64 // all chats together
	PerChat        float64 // messages per second to one private chat
	PerChatBurst   int     // of a private chat; groups and the bot as a whole have none
	PerGroupMinute float64 // messages per minute to one group
}

// DefaultLimits are Telegram's published limits.
var DefaultLimits = Limits{PerSecond: 30, PerChat: 1, PerChatBurst: 5, PerGroupMinute: 20}

// sender delivers the outbox: in order per chat, many chats at once, within
// the limits, retrying what Telegram asks to retry.
type sender struct {
	srv     *Server
	outbox  Outbox
	limits  Limits
	global  *rate.Limiter // the bot's limit, when it sends alone
	workers int
	wake    chan struct{}
	// news says messages were queued since the last outbox read (Wake);
	// behind, that the last read left some of what it listed unsent (a
	// chat busy, out of budget, a delivery not recorded yet) or failed.
	// With neither, a poke (a delivery finished, deliveries recorded)
	// needs no read: every message listed is on its way. behind belongs to
	// the goroutine that runs the rounds.
	news   atomic.Bool
	behind bool
	marks  chan int64 // delivered ids, marked sent in batches
	// shared, when set, is the outbox other instances send from too: the
	// sender claims what it sends (as owner, for lease) and takes its
	// sending budget from the database's buckets.
	shared SharedOutbox
	owner  string
	lease  time.Duration

	globalMu sync.Mutex // one goroutine takes from the shared bucket at a time
	// globalKept are permits taken from the shared bucket and not used yet,
	// good until globalUntil (a raised limit lets one read take several).
	globalKept  int
	globalUntil time.Time

	mu    sync.Mutex
	chats map[int64]chatLimit
	// notBefore is when a chat's shared bucket said it has a token again:
	// it is not asked before (shared mode).
	notBefore map[int64]time.Time
	// busy holds the chats a goroutine is delivering to, with the id of
	// the last message it holds: a message of the chat listed with an id
	// up to it is in its hands (a chat's messages are read in id order, and
	// the outbox one reads is written by this process alone).
	busy map[chatKey]int64
	// parts holds how many parts of a split message an attempt delivered
	// before it failed: the retry goes on from there.
	parts map[int64]int
	// served orders the keys of one chat that take turns (the staff chat's
	// tickets): the turn each was last given a message in.
	served map[chatKey]uint64
	turn   uint64
	// done holds the ids delivered (or postponed) since before the last
	// outbox read; true once that is committed. A read made before the
	// commit still lists the id, and must not send it again.
	done map[int64]bool
	// setback holds the keys whose delivery stopped short (a failure, or
	// claims given back) during the current round, with the setback's
	// number (setbacks counts them). A claim may have been computed before
	// it was written: it can hold a message whose earlier one, unlisted
	// because this instance held it, is now postponed or free again.
	setback  map[chatKey]uint64
	setbacks uint64
}

// chatKey is where a message goes: a chat, or a forum topic of one.
type chatKey struct{ chat, thread, ticket int64 }

func keyOf(r supportbot.Reply) chatKey { return chatKey{r.ChatID, r.ThreadID, r.TicketID} }

func newSender(srv *Server, out Outbox, l Limits, workers int) *sender {
	return &sender{srv: srv, outbox: out, limits: l, workers: workers,
		notBefore: map[int64]time.Time{},
		// No burst on top of the rate: a full bucket of PerSecond sends
		// twice PerSecond in the first second, and Telegram answers 429.
		global:  rate.NewLimiter(rate.Limit(l.PerSecond), 1),
		wake:    make(chan struct{}, 1),
		marks:   make(chan int64, 1024),
		chats:   map[int64]chatLimit{},
		busy:    map[chatKey]int64{},
		served:  map[chatKey]uint64{},
		parts:   map[int64]int{},
		done:    map[int64]bool{},
		setback: map[chatKey]uint64{},
	}
}

// outboxRead is how many due messages one read of the outbox lists.
const outboxRead = 1000

// poke tells the sender there is something new to send.
func (s *sender) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// chatLimiter is the limiter of one chat (groups have negative ids).
func (s *sender) chatLimiter(chatID int64) chatLimit {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.chats[chatID]
	if !ok {
		if len(s.chats) > 100_000 { // forget idle chats rather than grow without bound
			s.chats = map[int64]chatLimit{}
		}
		if chatID < 0 {
			// At most PerGroupMinute in any minute, each sent as soon as
			// the minute allows (a rate with a burst would send 20+b in
			// the first minute, and Telegram answers the rest 429).
			l = newWindow(s.limits.PerGroupMinute)
		} else {
			l = bucket{rate.NewLimiter(rate.Limit(s.limits.PerChat), max(1, s.limits.PerChatBurst))}
		}
		s.chats[chatID] = l
	}
	return l
}

// Shared sending budget: the buckets every instance draws from.
const (
	bucketAll   = "send:all"
	bucketChat  = "send:chat:"
	bucketGroup = "send:group:"
)

// chatBucket is the shared bucket of a chat with its rate (a second) and
// burst: 1/s with short bursts to a private chat, 20/min and no burst to a
// group (negative ids), as chatLimiter.
func (s *sender) chatBucket(chatID int64) (string, float64, int) {
	if chatID < 0 {
		return bucketGroup + strconv.FormatInt(chatID, 10), s.limits.PerGroupMinute / 60, 1
	}
	return bucketChat + strconv.FormatInt(chatID, 10), s.limits.PerChat, max(1, s.limits.PerChatBurst)
}

// globalBurst is the shared bucket's burst for the bot as a whole: 1 at
// Telegram's 30/s (a bucket of 30 would send 60 in its first second, and
// Telegram would answer 429); more only for the raised limits of a test.
func (s *sender) globalBurst() int { return max(1, int(s.limits.PerSecond/30)) }

// chatBudget takes up to n sending permits of a chat now; when it gives
// fewer, wait is how long until the chat has one again.
func (s *sender) chatBudget(ctx context.Context, chatID int64, n int) (got int, wait time.Duration) {
	if s.shared == nil {
		lim := s.chatLimiter(chatID)
		for got < n && lim.Allow() {
			got++
		}
		if got < n {
			wait = lim.Delay()
		}
		return got, wait
	}
	now := s.srv.cfg.Now()
	s.mu.Lock()
	nb, ok := s.notBefore[chatID]
	s.mu.Unlock()
	if ok && now.Before(nb) {
		return 0, nb.Sub(now) // the bucket was empty: no need to ask before
	}
	bucket, rate, burst := s.chatBucket(chatID)
	got, wait, err := s.shared.TakeTokens(ctx, bucket, rate, burst, n, now)
	if err != nil {
		if ctx.Err() == nil {
			s.srv.log.Error("take sending budget", "chat", s.srv.cfg.ChatRefs.Of(chatID), "err", err)
		}
		return 0, time.Second
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.notBefore) > 100_000 { // forget idle chats rather than grow without bound
		s.notBefore = map[int64]time.Time{}
	}
	if got < n {
		// The bucket holds less than a token now: the next one is at most
		// 1/rate away (wait is until all the missing ones).
		wait = min(wait, time.Duration(float64(time.Second)/rate))
		s.notBefore[chatID] = now.Add(wait)
	} else {
		delete(s.notBefore, chatID)
	}
	return got, wait
}

// globalPermit waits for one sending permit of the bot as a whole; false
// when ctx ends first.
func (s *sender) globalPermit(ctx context.Context) bool {
	if s.shared == nil {
		return s.global.Wait(ctx) == nil
	}
	// One goroutine of the process asks the database at a time; the others
	// wait their turn here rather than all polling the one row.
	s.globalMu.Lock()
	defer s.globalMu.Unlock()
	if now := s.srv.cfg.Now(); s.globalKept > 0 && now.Before(s.globalUntil) {
		s.globalKept--
		return true
	}
	for ctx.Err() == nil {
		// At Telegram's 30/s the bucket holds one permit; a raised limit
		// lets a read take up to 16, kept for a second at most.
		now := s.srv.cfg.Now()
		got, wait, err := s.shared.TakeTokens(ctx, bucketAll, s.limits.PerSecond, s.globalBurst(), min(16, s.globalBurst()), now)
		if err != nil {
			if ctx.Err() == nil {
				s.srv.log.Error("take sending budget", "err", err)
			}
			wait = time.Second
		}
		if got > 0 {
			s.globalKept, s.globalUntil = got-1, now.Add(time.Second)
			return true
		}
		if !sleep(ctx, wait) {
			return false
		}
	}
	return false
}

// release gives back claims on messages this instance will not send now
// (nothing to do when it sends alone).
func (s *sender) release(ctx context.Context, msgs []supportbot.OutboxMessage) {
	if s.shared == nil || len(msgs) == 0 {
		return
	}
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	// Written even while shutting down: another instance takes them at
	// once rather than when the claim runs out.
	err := s.persist(ctx.Err() != nil, func(ctx context.Context) error { return s.shared.ReleaseMessages(ctx, s.owner, ids...) })
	if err != nil {
		s.srv.log.Warn("give back claimed messages", "count", len(ids), "err", err)
	}
}

// claimHold keeps a chat's claimed batch claimed while it is being sent: a
// send may take longer than a claim lasts (a slow Bot API is waited on up to
// the client's timeout), and a claim that runs out mid-send would let
// another instance send the message again.
type claimHold struct {
	s     *sender
	ids   []int64 // the batch's, in order; those from next on are kept
	next  int
	timer *time.Timer
	mu    sync.Mutex
	until time.Time // the claims' end, as last written
	gone  bool      // an extension found a claim taken, or stop was called
}

// keepClaims extends the claims on batch every third of a lease until stop;
// sending alone (no claims) it holds nothing.
func (s *sender) keepClaims(ctx context.Context, batch []supportbot.OutboxMessage, claimedAt time.Time) *claimHold {
	h := &claimHold{s: s, until: claimedAt.Add(s.lease)}
	if s.shared == nil {
		return h
	}
	for _, m := range batch {
		h.ids = append(h.ids, m.ID)
	}
	ctx = context.WithoutCancel(ctx) // a send under way is kept while shutting down
	h.mu.Lock()
	defer h.mu.Unlock()
	// The first extension is due a third of a lease after the claim (the
	// batch may have waited its turn since), at once if that has passed.
	first := max(claimedAt.Add(s.lease/3).Sub(s.srv.cfg.Now()), 0)
	h.timer = time.AfterFunc(first, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if h.gone {
			return
		}
		until := s.srv.cfg.Now().Add(s.lease)
		kept := h.ids[h.next:]
		n, err := s.shared.ExtendClaims(ctx, s.owner, until, kept...)
		switch {
		case err != nil:
			s.srv.log.Warn("extend claims on messages being sent", "count", len(kept), "err", err)
		case n < len(kept):
			// Taken by another instance when its claim ran out (or given
			// up): nothing more of this batch starts.
			h.gone = true
			return
		default:
			h.until = until
		}
		h.timer.Reset(s.lease / 3)
	})
	return h
}

// sending reports whether the batch's i-th message may be sent (the ones
// before it were): false when its claims are no longer sure to last through
// a send, because one was taken or they near their end (the batch waited
// for its turn longer than they were kept).
func (h *claimHold) sending(i int) bool {
	if h.s.shared == nil {
		return true
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next = i
	return !h.gone && !h.s.srv.cfg.Now().After(h.until.Add(-h.s.lease/4))
}

// delivered says the batch's i-th message was delivered: its record ends
// its claim, which is no longer kept (nor missed).
func (h *claimHold) delivered(i int) {
	if h.s.shared == nil {
		return
	}
	h.mu.Lock()
	h.next = i + 1
	h.mu.Unlock()
}

// stop ends the extensions (what is still claimed keeps its last end).
func (h *claimHold) stop() {
	if h.timer == nil {
		return
	}
	h.mu.Lock()
	h.gone = true
	h.mu.Unlock()
	h.timer.Stop()
}

// claimLimit is how many messages one round claims: a few seconds of the
// bot's budget, not the whole outbox (other instances take the rest).
func (s *sender) claimLimit() int { return min(1000, max(100, int(4*s.limits.PerSecond))) }

// run sends until ctx is done.
func (s *sender) run(ctx context.Context) {
	stopMarking := s.startMarking()
	defer stopMarking()
	sem := make(chan struct{}, s.workers)
	var wg sync.WaitGroup
	defer wg.Wait()
	for tick := true; ctx.Err() == nil; {
		// Sending with other instances, what they queue comes without a
		// Wake here: every round reads.
		wait := time.Second
		if news := s.news.Swap(false); news || tick || s.behind || s.shared != nil {
			wait, _ = s.round(ctx, sem, &wg)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-s.wake:
			tick = false
		case <-t.C:
			tick = true
		}
		t.Stop()
	}
}

// startMarking records deliveries in batches: one transaction, one fsync,
// for whatever was delivered meanwhile. stop drains what is left.
func (s *sender) startMarking() (stop func()) {
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		for {
			var ids []int64
			select {
			case id := <-s.marks:
				ids = append(ids, id)
			case <-quit:
				for len(s.marks) > 0 {
					ids = append(ids, <-s.marks)
				}
				s.mark(ids, true)
				return
			}
			for len(ids) < 500 && len(s.marks) > 0 {
				ids = append(ids, <-s.marks)
			}
			s.mark(ids, false)
		}
	}()
	return func() { close(quit); <-done }
}

// mark records delivered messages (see persist): a delivered message left
// pending holds its chat's queue until its claim runs out (a live claim holds
// back what is behind it), and is sent again after.
func (s *sender) mark(ids []int64, shuttingDown bool) {
	if len(ids) == 0 {
		return
	}
	// Written even while shutting down: a sent message must not be sent again
	// after the restart. A failure leaves them pending: sent again (at least once).
	if err := s.persist(shuttingDown, func(ctx context.Context) error { return s.outbox.MarkSent(ctx, ids...) }); err != nil {
		s.srv.log.Error("record sent messages", "count", len(ids), "err", err)
	}
	s.mu.Lock()
	for _, id := range ids {
		s.done[id] = true
	}
	s.mu.Unlock()
	s.poke()
}

// persist writes what became of a message (sent, to retry, given back),
// trying again while the database does not answer — for up to a lease, or a
// second once shutting down. A record that is not written leaves the message
// claimed, and its chat's queue waits for the claim to run out.
func (s *sender) persist(shuttingDown bool, write func(context.Context) error) error {
	patience := max(s.lease, 5*time.Second)
	if shuttingDown {
		patience = time.Second
	}
	deadline := time.Now().Add(patience)
	for wait := 50 * time.Millisecond; ; wait = min(2*wait, 2*time.Second) {
		err := write(context.Background())
		if err == nil || time.Now().Add(wait).After(deadline) {
			return err
		}
		time.Sleep(wait)
	}
}

// round starts delivering, one goroutine per chat, what may be sent now, and
// returns how long to wait before looking again and how many messages it
// read. Sending with other instances, it claims the messages it reads and
// gives back at once the claims it does not start sending.
func (s *sender) round(ctx context.Context, sem chan struct{}, wg *sync.WaitGroup) (time.Duration, int) {
	wait := time.Second
	s.mu.Lock()
	for id, committed := range s.done {
		if committed {
			delete(s.done, id)
		}
	}
	clear(s.setback) // this read comes after them
	since := s.setbacks
	s.mu.Unlock()
	claimedAt := s.srv.cfg.Now()
	var msgs []supportbot.OutboxMessage
	var err error
	if s.shared != nil {
		// Made to its end whatever the shutdown: a claim committed as ctx
		// ends, its answer lost, would hold its messages, unseen, until
		// the lease runs out. What it took is given back below.
		msgs, err = s.shared.ClaimMessages(context.WithoutCancel(ctx), s.owner, claimedAt, s.lease, s.claimLimit())
	} else {
		msgs, err = s.outbox.DueMessages(ctx, claimedAt, outboxRead)
	}
	// owed counts what the read listed that a later read must list again:
	// not started, and not on its way (being delivered, or delivered and
	// being recorded).
	owed := 0
	defer func() { s.behind = err != nil || owed > 0 || len(msgs) == outboxRead }()
	if err != nil {
		if ctx.Err() == nil {
			s.srv.log.Error("read outbox", "err", err)
		}
		return wait, 0
	}
	var unsent []supportbot.OutboxMessage // claimed, and not started
	defer func() { s.release(ctx, unsent) }()
	if ctx.Err() != nil {
		unsent, owed = msgs, len(msgs)
		return wait, len(msgs)
	}
	var order []chatKey
	groups := map[chatKey][]supportbot.OutboxMessage{}
	stale := map[chatKey]bool{}
	s.mu.Lock()
	for _, m := range msgs {
		k := keyOf(m.Reply)
		if committed, seen := s.done[m.ID]; seen {
			// Postponed (or given up) since the cleanup above, maybe after
			// the read: the messages behind it were read as due, but must
			// wait for it. (A delivery recorded meanwhile costs a round.)
			stale[k] = stale[k] || committed
			if committed {
				unsent = append(unsent, m) // due again already: another may take it
				owed++
			}
			// Delivered and not yet recorded: it stays claimed (by this
			// instance) until the record is written.
			continue
		}
		if stale[k] || s.busy[k] != 0 || s.shared != nil && s.setback[k] > since {
			// Shared: an earlier message of the chat, held by this
			// instance when the claim was made and so not listed, may have
			// failed since: it goes first. (A read of the whole outbox
			// lists it, and done tells.)
			unsent = append(unsent, m)
			if m.ID > s.busy[k] {
				owed++
			}
			continue
		}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], m)
	}
	s.mu.Unlock()
	order, shares, wait := s.share(ctx, order, groups, wait)
	for i, k := range order {
		n := shares[k]
		unsent = append(unsent, groups[k][n:]...)
		owed += len(groups[k]) - n
		if n == 0 {
			continue
		}
		batch := groups[k][:n]
		s.mu.Lock()
		s.busy[k] = batch[len(batch)-1].ID
		s.mu.Unlock()
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			s.mu.Lock()
			delete(s.busy, k)
			s.mu.Unlock()
			owed++
			unsent = append(unsent, batch...)
			for _, k := range order[i+1:] {
				unsent = append(unsent, groups[k]...)
			}
			return wait, len(msgs)
		}
		wg.Add(1)
		go func() {
			finished := false
			defer func() {
				s.mu.Lock()
				if !finished {
					s.setbacks++
					s.setback[k] = s.setbacks
					s.news.Store(true) // what it gave back is read again
				}
				delete(s.busy, k)
				s.mu.Unlock()
				<-sem
				wg.Done()
				s.poke()
			}()
			// A claim must not run out while its message is being sent: it
			// is kept while the batch is in hand, and what is left when it
			// was lost (or neared its end before the batch started) goes back.
			hold := s.keepClaims(ctx, batch, claimedAt)
			defer hold.stop()
			for i, m := range batch {
				if !s.globalPermit(ctx) || !hold.sending(i) {
					s.release(ctx, batch[i:])
					return
				}
				if !s.deliver(ctx, m) {
					return // the rest of the chat waits: its order is kept
				}
				hold.delivered(i)
			}
			finished = true
		}()
	}
	return wait, len(msgs)
}

// share says how many of its due messages each key may send now, within its
// chat's budget, and in which order to start them. The keys of one chat
// (the staff chat's tickets) take turns under the chat's budget, one message
// each: a new ticket first (its topic and context card), then the key served
// least recently, so that one busy customer cannot starve the others. wait is
// shortened to when the first chat whose budget ran out has a token again.
func (s *sender) share(ctx context.Context, read []chatKey, groups map[chatKey][]supportbot.OutboxMessage, wait time.Duration) (order []chatKey, shares map[chatKey]int, _ time.Duration) {
	shares = map[chatKey]int{}
	byChat := map[int64][]chatKey{}
	var chats []int64
	for _, k := range read {
		if _, ok := byChat[k.chat]; !ok {
			chats = append(chats, k.chat)
		}
		byChat[k.chat] = append(byChat[k.chat], k)
	}
	for _, chat := range chats {
		all := byChat[chat]
		keys := all
		if len(keys) > 1 {
			// New tickets alone this round: their topic is made and their
			// card posted before the chat's other keys send anything (the
			// keys' goroutines run at once; a relay started beside a new
			// topic would go out while the topic is being made).
			if fresh := s.takeTurns(ctx, keys, groups); fresh > 0 {
				keys = keys[:fresh]
			}
		}
		want := 0 // what costs a message: a reaction does not
		for _, k := range keys {
			for _, m := range groups[k] {
				if !free(m.Reply) {
					want++
				}
			}
		}
		budget, later := s.chatBudget(ctx, chat, want)
		if budget < want {
			wait = min(wait, later)
		}
		for left := true; left; {
			left = false
			for _, k := range keys {
				if shares[k] == len(groups[k]) {
					continue
				}
				if !free(groups[k][shares[k]].Reply) {
					if budget == 0 {
						left = false
						break
					}
					budget--
				}
				if shares[k] == 0 && len(keys) > 1 {
					s.mu.Lock()
					s.turn++
					s.served[k] = s.turn
					s.mu.Unlock()
				}
				shares[k]++
				left = true
			}
		}
		order = append(order, all...) // a key with no share is given back
	}
	return order, shares, wait
}

// takeTurns orders the keys of one chat: new tickets first, then tickets
// before topics' command answers, then the keys served least recently
// (never served first), keeping the read's order among equals. It returns
// how many new tickets lead.
func (s *sender) takeTurns(ctx context.Context, keys []chatKey, groups map[chatKey][]supportbot.OutboxMessage) int {
	fresh := map[chatKey]bool{}
	n := 0
	for _, k := range keys {
		if fresh[k] = s.newTicket(ctx, groups[k][0].Reply); fresh[k] {
			n++
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.served) > 100_000 { // forget idle keys rather than grow without bound
		s.served = map[chatKey]uint64{}
	}
	slices.SortStableFunc(keys, func(a, b chatKey) int {
		if fresh[a] != fresh[b] {
			if fresh[a] {
				return -1
			}
			return 1
		}
		// Customers' messages (a ticket's) go before answers to agents'
		// commands (a topic's).
		if (a.ticket != 0) != (b.ticket != 0) {
			if a.ticket != 0 {
				return -1
			}
			return 1
		}
		return cmp.Compare(s.served[a], s.served[b])
	})
	return n
}

// newTicket reports whether r opens a hand-off: it names the topic to create
// for a ticket that has none yet (its context card).
func (s *sender) newTicket(ctx context.Context, r supportbot.Reply) bool {
	if r.TicketID == 0 || r.TopicName == "" || r.CloseTopic {
		return false
	}
	topic, err := s.outbox.TicketTopic(ctx, r.TicketID)
	return err == nil && topic == 0
}

// deliver makes one attempt and records its outcome; it reports whether the
// message went out.
func (s *sender) deliver(ctx context.Context, m supportbot.OutboxMessage) bool {
	s.mu.Lock()
	from := s.parts[m.ID]
	s.mu.Unlock()
	var sent int
	var err error
	switch r := m.Reply; {
	case r.React != 0:
		err = s.react(ctx, r)
	case r.Withdraw:
		s.withdraw(ctx, r)
	case r.TicketID != 0:
		sent, err = s.deliverToTopic(ctx, r, from)
	case r.Strip != "":
		err = s.strip(ctx, r)
	default:
		sent, err = s.deliverToChat(ctx, r, from)
	}
	s.mu.Lock()
	if err != nil && !permanent(err) && sent > 0 {
		s.parts[m.ID] = sent // the next attempt goes on from there
	} else {
		delete(s.parts, m.ID)
	}
	s.mu.Unlock()
	if err == nil {
		s.srv.metrics.Sent()
		s.mu.Lock()
		s.done[m.ID] = false
		s.mu.Unlock()
		s.marks <- m.ID
		return true
	}
	var spent budgetSpent
	waits := errors.As(err, &spent) // for the chat's budget: not a failure
	if !waits {
		s.srv.metrics.SendError(errorCode(err))
	}
	// Outcomes are written even while shutting down, and tried again while
	// the database does not answer.
	shuttingDown := ctx.Err() != nil
	ctx = context.WithoutCancel(ctx)
	retryAt := func(at time.Time, reason string) error {
		return s.persist(shuttingDown, func(ctx context.Context) error { return s.outbox.RetryLater(ctx, m.ID, at, reason) })
	}
	var rerr error
	switch {
	case waits:
		rerr = retryAt(s.srv.cfg.Now().Add(spent.wait), err.Error())
	case permanent(err) && !errors.Is(err, errTopicLost):
		// A customer's chat that is gone takes none of its other messages;
		// the staff chat refusing the bot for a moment (removed by mistake)
		// fails this message only: its ticket is referred (GaveUp), and the
		// other tickets' messages are tried as they come.
		gone := chatGone(err) && m.Reply.ChatID != s.srv.cfg.AgentChatID
		s.srv.log.Warn("message given up", "chat", s.srv.cfg.ChatRefs.Of(m.Reply.ChatID), "chat_gone", gone, "err", scrub(err, s.srv.cfg.Token))
		if to := migratedTo(err); to != 0 {
			// The staff group was upgraded to a supergroup: only the
			// operator can point the bot at it.
			s.srv.log.Error("the chat was upgraded to a supergroup: set AGENT_CHAT_ID to its new id", "chat", m.Reply.ChatID, "new_chat", to)
		}
		rerr = s.persist(shuttingDown, func(ctx context.Context) error {
			return s.outbox.MarkFailed(ctx, m.ID, scrub(err, s.srv.cfg.Token), gone)
		})
		if rerr == nil && m.Reply.TicketID != 0 && s.srv.cfg.GaveUp != nil && !messageRefused(err) {
			// The staff chat refuses the bot: the customer must not wait on a
			// relay — and the operator is told which chat, which a warning
			// about a hashed chat reference did not say (a desk probe).
			if m.Reply.ChatID == s.srv.cfg.AgentChatID {
				s.srv.log.Error("the staff chat refuses the bot's messages: the hand-off goes to the hotline; check the bot is in AGENT_CHAT_ID with the right to post and manage topics",
					"agent_chat_id", s.srv.cfg.AgentChatID, "err", scrub(err, s.srv.cfg.Token))
			}
			s.srv.cfg.GaveUp(ctx, m.Reply)
		}
		if r := m.Reply; rerr == nil && r.ChatID > 0 && r.Strip == "" && r.React == 0 && s.srv.cfg.Undelivered != nil {
			// A customer did not get it: the agent on the chat must know.
			s.srv.cfg.Undelivered(ctx, m, undelivered(err))
		}
		if r := m.Reply; rerr == nil && r.TicketID != 0 && r.CopyFromChat != 0 && messageRefused(err) && s.srv.cfg.Undelivered != nil {
			// A customer's message Telegram would not copy to the topic
			// (a quiz, a message deleted meanwhile): both sides must know.
			s.srv.cfg.Undelivered(ctx, m, supportbot.UndeliveredNotCopied)
		}
	case errors.Is(err, errTopicLost):
		rerr = retryAt(s.srv.cfg.Now(), err.Error())
	default:
		wait := backoff(err, m.Attempts+1)
		s.srv.log.Warn("send failed, will retry", "chat", s.srv.cfg.ChatRefs.Of(m.Reply.ChatID), "attempt", m.Attempts+1,
			"retry_in", wait, "err", scrub(err, s.srv.cfg.Token))
		rerr = retryAt(s.srv.cfg.Now().Add(wait), scrub(err, s.srv.cfg.Token))
	}
	if rerr != nil {
		s.srv.log.Error("record outbox outcome", "id", m.ID, "err", rerr)
	}
	s.mu.Lock()
	s.done[m.ID] = true
	s.mu.Unlock()
	return false
}

// flush sends what it can until the outbox is empty (sending with other
// instances: until there is nothing left for this one to claim) or ctx ends.
func (s *sender) flush(ctx context.Context) {
	stopMarking := s.startMarking()
	defer stopMarking()
	sem := make(chan struct{}, s.workers)
	var wg sync.WaitGroup
	for ctx.Err() == nil {
		if s.shared == nil {
			msgs, err := s.outbox.DueMessages(ctx, s.srv.cfg.Now(), 1)
			if err != nil || len(msgs) == 0 {
				break
			}
		}
		wait, read := s.round(ctx, sem, &wg)
		wg.Wait()
		if s.shared != nil && read == 0 {
			break
		}
		if !sleep(ctx, min(wait, 50*time.Millisecond)) {
			break
		}
	}
	wg.Wait()
}

// chatGone reports errors meaning the chat will never take a message.
func chatGone(err error) bool {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return false
	}
	msg := strings.ToLower(te.Message)
	return te.Code == 403 || strings.Contains(msg, "chat not found") || strings.Contains(msg, "user is deactivated")
}

// migratedTo is the new id Telegram gives for a group upgraded to a
// supergroup (a message to the old id is refused with it), 0 otherwise.
func migratedTo(err error) int64 {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return te.MigrateToChatID
	}
	return 0
}

// errorCode is Telegram's error code, or 0 for network errors and answers
// that were not JSON (a proxy's 502 page).
func errorCode(err error) int {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// deliverToTopic sends into a ticket's forum topic, creating the topic first
// when the ticket has none, reopening it when an admin closed it by hand, and
// creating it again when Telegram lost it (an agent deleted it, or it cannot
// be reopened): the customer never silently disappears. CloseTopic
// closes it instead. Like sendParts, it starts at part from and returns how
// many parts are delivered.
func (s *sender) deliverToTopic(ctx context.Context, r supportbot.Reply, from int) (int, error) {
	topic, err := s.outbox.TicketTopic(ctx, r.TicketID)
	if err != nil {
		return from, err
	}
	if r.CloseTopic || r.EditTopic || r.ReopenTopic {
		if topic == 0 {
			return 0, nil // nothing to change: a new topic is made as it should be
		}
		if r.CloseTopic && r.Text != "" {
			if err := s.closingNote(ctx, r, topic); err != nil {
				return 0, err
			}
		}
		method := "closeForumTopic"
		p := tgbotapi.Params{}
		p.AddNonZero64("chat_id", r.ChatID)
		p.AddNonZero64("message_thread_id", topic)
		switch {
		case r.EditTopic:
			method = "editForumTopic"
			p["name"] = clipRunes(r.TopicName, 128)
			p["icon_custom_emoji_id"] = r.TopicIcon // "" removes the icon
		case r.ReopenTopic:
			method = "reopenForumTopic"
		}
		_, err := s.srv.api.MakeRequest(method, p)
		if topicLost(err) && !r.CloseTopic {
			// Gone: the next message makes it again, named as it should be.
			return 0, s.outbox.SetTicketTopic(ctx, r.TicketID, 0)
		}
		if topicLost(err) || topicNotModified(err) {
			return 0, nil // closed, named or open already
		}
		if code := errorCode(err); (code == 400 || code == 403) && !r.CloseTopic {
			// Refused for what it asks (an icon Telegram will not take, a
			// right the bot lacks): a name is not worth the conversation,
			// which goes on; a topic that will not open again is made anew
			// by the next message, as a lost one is.
			s.srv.log.Warn("topic change refused", "method", method, "ticket", r.TicketID, "err", scrub(err, s.srv.cfg.Token))
			if r.ReopenTopic {
				return 0, s.outbox.SetTicketTopic(ctx, r.TicketID, 0)
			}
			return 0, nil
		}
		return 0, err
	}
	if topic == 0 {
		from = 0 // parts sent into a lost topic are lost with it
		var err error
		if topic, err = s.makeTopic(ctx, r); err != nil {
			return 0, err
		}
	}
	r.ThreadID = topic
	if r.Track != "" && from == 0 && r.CopyFromMessage == 0 && len(r.CopyMessages) == 0 && fitsOneMessage(r.Text) {
		// A tracked post (a burst of a customer's messages) is edited
		// while it can be; a post gone with its topic is made again, and
		// one grown past a message is sent anew, in parts, rather than
		// refused.
		if edited, err := s.editTracked(ctx, r); edited && err != nil {
			return 0, err // not delivered: the next attempt edits again
		} else if edited {
			return 1, nil
		}
	}
	sent, id, err := s.srv.sendParts(ctx, r, from)
	if topicClosed(err) {
		// An admin closed an open ticket's topic by hand: the customer
		// still writes, so it opens again — the agents keep the history in
		// one place, and a reply written there still reaches the customer.
		// A topic the bot may not reopen (a 400 or 403) is made again,
		// below; a reopen Telegram did not answer is tried again later.
		switch rerr := s.reopenTopic(r.ChatID, topic); {
		case rerr == nil:
			sent, id, err = s.srv.sendParts(ctx, r, sent)
		case errorCode(rerr) != 400 && errorCode(rerr) != 403:
			return sent, rerr
		}
	}
	if topicLost(err) {
		if serr := s.outbox.SetTicketTopic(ctx, r.TicketID, 0); serr != nil {
			return 0, serr
		}
		return 0, errTopicLost
	}
	if err == nil {
		s.track(ctx, r, id)
	}
	return sent, err
}

// errTopicLost makes the sender retry at once, into a new topic.
var errTopicLost = errors.New("forum topic lost; a new one will be made")

// topicLost reports Telegram saying a topic is gone or closed.
func topicLost(err error) bool {
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return false
	}
	msg := strings.ToLower(te.Message)
	return strings.Contains(msg, "thread not found") || strings.Contains(msg, "topic_closed") ||
		strings.Contains(msg, "topic_deleted") || strings.Contains(msg, "topic_id_invalid")
}

// messageRefused reports Telegram refusing one message for what it is (too
// long an edit, a relayed message the customer deleted meanwhile), not the
// chat refusing the bot: a ticket goes on without that message. Any other
// permanent refusal in the staff chat (removed, no rights, no forum) ends
// the ticket for the hotline rather than leave the customer on a relay
// nobody reads.
func messageRefused(err error) bool {
	var te *tgbotapi.Error
	if !errors.As(err, &te) || te.Code != 400 {
		return false
	}
	msg := strings.ToLower(te.Message)
	for _, s := range []string{"message is too long", "caption is too long", "message to copy not found", "message can't be copied",
		"messages can't be forwarded", "message to edit not found", "message can't be edited", "message is not modified",
		"no text in the message", "no caption in the message", "message text is empty", "can't parse entities",
		"message_id_invalid", "document_invalid", "reply_markup_too_long", "button_data_invalid", "wrong file"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// deliverToChat sends a reply, or edits the message it replaces, and
// remembers which message shows its step's buttons.
func (s *sender) deliverToChat(ctx context.Context, r supportbot.Reply, from int) (int, error) {
	var id int64
	var err error
	var sent int
	if r.EditStep != "" {
		// The message to edit is known by its step: look it up — the one
		// its step was sent as, even when Edit names another (the edit of
		// that one failed and a new message said it). None known: Edit, or
		// a new message says it.
		if known, err := s.outbox.StepMessage(ctx, r.ChatID, r.EditStep); err == nil && known != 0 {
			r.Edit = known
		}
	}
	// old are the messages of a tracked reply being corrected, in order:
	// several when it was over Telegram's limit. The correction goes where
	// the reply begins and the rest of the old text goes (a probe: only the
	// last part was edited, the first kept the old words).
	var old []int64
	if r.Edit == 0 && from == 0 && r.CopyFromMessage == 0 && len(r.CopyMessages) == 0 {
		r.Edit = s.tracked(ctx, r) // a tracked message is edited (an agent corrected a reply)
		if r.Edit != 0 {
			old = append(s.trackedParts(ctx, r), r.Edit)
			r.Edit = old[0]
		}
	}
	if r.Edit != 0 && from == 0 && r.AskContact == "" && !r.RemoveKeyboard && fitsOneMessage(r.Text) && len(keyboardParts(r.Buttons)) <= 1 {
		if id, err = s.srv.editOnce(ctx, r); err == nil {
			sent = 1
			if len(old) > 1 {
				s.dropParts(r.ChatID, old[1:])
				s.trackParts(ctx, r, nil)
			}
			if r.Pressed != "" {
				if serr := s.stripCopy(ctx, r); serr != nil { // the answer is delivered all the same
					s.srv.log.Warn("take the keyboard off a copy of the step", "chat", s.srv.cfg.ChatRefs.Of(r.ChatID), "err", scrub(serr, s.srv.cfg.Token))
				}
			}
		} else if uneditable(err) {
			sent, id, err = s.srv.sendParts(ctx, r, 0) // too old, or gone: a new message says it
			if err == nil && len(old) > 0 {
				s.dropParts(r.ChatID, old)
				s.trackParts(ctx, r, nil)
			}
		}
	} else {
		var ids []int64
		sent, ids, err = s.srv.sendPartsEach(ctx, r, from)
		if err == nil && len(ids) > 0 {
			id = ids[len(ids)-1]
			if r.Track != "" && from == 0 {
				s.dropParts(r.ChatID, old) // a correction itself too long: said anew, the old one goes
				s.trackParts(ctx, r, ids[:len(ids)-1])
			}
		}
	}
	if err == nil && r.Nonce != "" && id != 0 {
		if serr := s.outbox.SetStepMessage(ctx, r.ChatID, r.Nonce, id); serr != nil {
			s.srv.log.Warn("record the step's message", "err", serr)
		}
	}
	if err == nil {
		s.track(ctx, r, id)
	}
	return sent, err
}

// strip takes the keyboard off the message of a step the customer left.
func (s *sender) strip(ctx context.Context, r supportbot.Reply) error {
	id, err := s.outbox.StepMessage(ctx, r.ChatID, r.Strip)
	if err != nil || id == 0 {
		return err
	}
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", r.ChatID)
	p.AddNonZero64("message_id", id)
	if _, err := s.srv.api.MakeRequest("editMessageReplyMarkup", p); err != nil && !notModified(err) && !uneditable(err) {
		return err
	}
	return s.outbox.SetStepMessage(ctx, r.ChatID, r.Strip, 0)
}

// stripCopy takes the keyboard off another message that shows the step the
// customer pressed a button of on r.Edit: a copy of it Telegram took twice
// (the answer to the first send was lost), which would keep the buttons of
// a step that is over.
func (s *sender) stripCopy(ctx context.Context, r supportbot.Reply) error {
	id, err := s.outbox.StepMessage(ctx, r.ChatID, r.Pressed)
	if err != nil || id == 0 || id == r.Edit {
		return err
	}
	return s.strip(ctx, supportbot.Reply{ChatID: r.ChatID, Strip: r.Pressed})
}

// notModified is Telegram refusing an edit that changes nothing: it is done.
func notModified(err error) bool { return telegramSays(err, "message is not modified") }

// telegramSays reports whether err is an answer of Telegram's whose
// description contains what (in lower case), whatever its case.
func telegramSays(err error, what string) bool {
	var te *tgbotapi.Error
	return errors.As(err, &te) && strings.Contains(strings.ToLower(te.Message), what)
}

// uneditable is Telegram refusing an edit of a message that cannot be
// edited any more (deleted, too old, not the bot's).
func uneditable(err error) bool {
	var te *tgbotapi.Error
	if !errors.As(err, &te) || te.Code != 400 {
		return false
	}
	msg := strings.ToLower(te.Message)
	return strings.Contains(msg, "message to edit not found") || strings.Contains(msg, "message can't be edited") ||
		strings.Contains(msg, "message_id_invalid") || strings.Contains(msg, "there is no text in the message to edit")
}
