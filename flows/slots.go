package flows

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"supportbot"
)

// slots is what a flow collected so far, typed; it is saved with the
// conversation (as JSON) and read back at the next step.
type slots struct {
	// Identify: the flow (and its argument) to resume once identified, and
	// the words that asked for it ("给笔记本开自动还款": the laptop's).
	Next     string `json:"next,omitempty"`
	NextArg  string `json:"next_arg,omitempty"`
	NextText string `json:"next_text,omitempty"`
	// Quoting flows: the plan, the quote shown, the card chosen.
	Plan  string     `json:"plan,omitempty"`
	Quote *quoteSlot `json:"quote,omitempty"`
	Card  string     `json:"card,omitempty"`
	// Cancel: the scheduled repayment; autopay: the switch asked for.
	Scheduled string `json:"scheduled,omitempty"`
	On        bool   `json:"on,omitempty"`
	// Action is the key of the money action this flow confirmed; Still,
	// that the customer was told again that it is under way (a second tap),
	// in a message the outcome edits too; StillMore, how many more times
	// (a third tap and on), each in a message the outcome edits.
	Action    string `json:"action,omitempty"`
	Still     bool   `json:"still,omitempty"`
	StillMore int    `json:"still_more,omitempty"`
	// Older is the oldest entry the message center's page shows, with more
	// behind it.
	Older int64 `json:"older,omitempty"`
	// Kind is the kind of device the request named when several plans are
	// of it ("pay off the tablet" with two): a pick the list is told by
	// ("the cheaper one") is among those.
	Kind string `json:"kind,omitempty"`
	// Choices are ids too long for a button, named by index ("#2").
	Choices []string `json:"choices,omitempty"`
	// Aside: another question was answered while the step waited for its
	// confirmation. A bare "确认" or "yes" typed next may answer that, and
	// moves nothing: the step is asked again first.
	Aside bool `json:"aside,omitempty"`
	// Left: the customer ended the chat with a person themselves (/end):
	// what they write at the rating was meant for the bot, not the agent.
	Left bool `json:"left,omitempty"`
	// Last is the money step the chat was at before this one (followUp).
	Last *lastStep `json:"last,omitempty"`
	// Topic is the plan the step talked about (payItAsked, the next
	// step's topicBefore).
	Topic *lastStep `json:"topic,omitempty"`
	// Masked is when a relayed line was last said masked (warnMasked).
	Masked time.Time `json:"masked,omitzero"`
}

// kept are the slots that outlive a step: what a follow-up follows.
func (sl slots) kept() slots { return slots{Last: sl.Last, Topic: sl.Topic} }

// quoteSlot is the quote the customer is looking at.
type quoteSlot struct {
	ID       string                `json:"id"`
	Kind     supportbot.QuoteKind  `json:"kind"`
	Amount   supportbot.Money      `json:"amount"`
	Parts    supportbot.QuoteParts `json:"parts"`
	Periods  []int                 `json:"periods,omitempty"`
	Excluded []int                 `json:"excluded,omitempty"`
	Expires  time.Time             `json:"expires"`
	Card     string                `json:"card"`
}

func (s *Step) loadSlots() error {
	s.slots = slots{}
	if len(s.conv.Slots) == 0 {
		return nil
	}
	if err := json.Unmarshal(s.conv.Slots, &s.slots); err != nil {
		return fmt.Errorf("slots: %w", err)
	}
	// The plan talked about is the next message's to point back to, and
	// no later one's: this step sets it again, or it is gone.
	s.topicBefore, s.slots.Topic = s.slots.Topic, nil
	return nil
}

func (s *Step) saveSlots() error {
	b, err := json.Marshal(s.slots)
	if err != nil {
		return err
	}
	s.conv.Slots = b
	return nil
}

// choice is id as a button argument: itself when it fits, else its index
// among the step's choices ("#2").
func (s *Step) choice(id string) string {
	if len(id) <= 24 {
		return id
	}
	for i, c := range s.slots.Choices {
		if c == id {
			return "#" + strconv.Itoa(i)
		}
	}
	s.slots.Choices = append(s.slots.Choices, id)
	return "#" + strconv.Itoa(len(s.slots.Choices)-1)
}

// chosen is the id a button argument names.
func (s *Step) chosen(arg string) string {
	if len(arg) < 2 || arg[0] != '#' {
		return arg
	}
	i, err := strconv.Atoi(arg[1:])
	if err != nil || i < 0 || i >= len(s.slots.Choices) {
		return ""
	}
	return s.slots.Choices[i]
}
