package store

import (
	"encoding/json"
	"sync"

	"supportbot"
)

// replyCache keeps the decoded replies of outbox messages still pending: an
// outbox payload never changes, and a sender reads a message it is sending
// again in every round until its delivery is recorded. Decoding each once
// took most of the outbox reads' cost (the profile of issue 20). Bounded:
// at max entries it starts afresh (what a chat given up left behind goes).
type replyCache struct {
	mu      sync.Mutex
	replies map[int64]supportbot.Reply
	max     int
}

func newReplyCache(max int) *replyCache {
	return &replyCache{replies: map[int64]supportbot.Reply{}, max: max}
}

// decode is message id's reply from its payload, decoded once.
func (c *replyCache) decode(id int64, payload []byte) (supportbot.Reply, error) {
	c.mu.Lock()
	r, ok := c.replies[id]
	c.mu.Unlock()
	if ok {
		return r, nil
	}
	if err := json.Unmarshal(payload, &r); err != nil {
		return r, err
	}
	c.mu.Lock()
	if len(c.replies) >= c.max {
		c.replies = map[int64]supportbot.Reply{}
	}
	c.replies[id] = r
	c.mu.Unlock()
	return r, nil
}

// forget drops messages that are no longer pending.
func (c *replyCache) forget(ids ...int64) {
	c.mu.Lock()
	for _, id := range ids {
		delete(c.replies, id)
	}
	c.mu.Unlock()
}
