package telegramtest

import (
	"encoding/json"
	"slices"
)

// StandardReactions are the emoji ReactionTypeEmoji accepts (Bot API docs,
// exactly as listed there: no variation selectors).
func StandardReactions() []string {
	return []string{
		"👍", "👎", "❤", "🔥", "🥰", "👏", "😁", "🤔", "🤯", "😱", "🤬", "😢", "🎉", "🤩", "🤮", "💩", "🙏", "👌",
		"🕊", "🤡", "🥱", "🥴", "😍", "🐳", "❤\u200d🔥", "🌚", "🌭", "💯", "🤣", "⚡", "🍌", "🏆", "💔", "🤨", "😐",
		"🍓", "🍾", "💋", "🖕", "😈", "😴", "😭", "🤓", "👻", "👨\u200d💻", "👀", "🎃", "🙈", "😇", "😨", "🤝", "✍",
		"🤗", "🫡", "🎅", "🎄", "☃", "💅", "🤪", "🗿", "🆒", "💘", "🙉", "🦄", "😘", "💊", "🙊", "😎", "👾",
		"🤷\u200d♂", "🤷", "🤷\u200d♀", "😡",
	}
}

// setReaction implements setMessageReaction (Bot API 7.0). A bot, like a
// non-premium user, sets at most one reaction; none removes its reaction.
func (s *Server) setReaction(a *args) (any, *apiError) {
	r, err := s.message(a, "message to react not found")
	if err != nil {
		return nil, err
	}
	if err := s.blockedErr(r.wire.Chat.ID); err != nil {
		return nil, err
	}
	var emoji []string
	if raw := a.str("reaction"); raw != "" {
		var types []json.RawMessage
		if !json.Valid([]byte(raw)) {
			return nil, bad("can't parse reaction types JSON object")
		}
		if json.Unmarshal([]byte(raw), &types) != nil {
			return nil, bad("expected an Array of ReactionType")
		}
		for _, t := range types {
			var rt struct {
				Type  string  `json:"type"`
				Emoji *string `json:"emoji"`
			}
			if json.Unmarshal(t, &rt) != nil {
				return nil, bad("can't parse ReactionType: expected an Object")
			}
			switch rt.Type {
			case "emoji":
				if rt.Emoji == nil {
					return nil, bad(`can't parse ReactionType: Can't find field "emoji"`)
				}
				if !slices.Contains(StandardReactions(), *rt.Emoji) {
					return nil, bad("REACTION_INVALID")
				}
				emoji = append(emoji, *rt.Emoji)
			case "custom_emoji", "paid":
				return nil, bad("REACTION_INVALID") // not for bots
			default:
				return nil, bad("can't parse ReactionType: invalid reaction type specified")
			}
		}
	}
	if len(emoji) > 1 {
		return nil, bad("REACTIONS_TOO_MANY")
	}
	r.reactions = emoji
	return true, nil
}

// Reactions returns the bot's current reactions to a message (nil if none).
func (s *Server) Reactions(chatID, messageID int64) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.msgs[msgKey{chatID, messageID}]; r != nil {
		return slices.Clone(r.reactions)
	}
	return nil
}
