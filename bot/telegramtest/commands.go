package telegramtest

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BotCommand is an entry of setMyCommands.
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// CommandScope is a BotCommandScope; the zero value is the default scope.
type CommandScope struct {
	Type   string // default, all_private_chats, all_group_chats, all_chat_administrators, chat, chat_administrators, chat_member
	ChatID int64  // chat, chat_administrators, chat_member
	UserID int64  // chat_member
}

// commandSet names one list of commands: Telegram keeps one per scope and
// language.
type commandSet struct {
	scope CommandScope
	lang  string
}

// commandKey reads scope and language_code as setMyCommands, getMyCommands
// and deleteMyCommands take them.
func commandKey(a *args) (commandSet, *apiError) {
	k := commandSet{scope: CommandScope{Type: "default"}, lang: a.str("language_code")}
	if k.lang != "" && (len(k.lang) != 2 || strings.Trim(strings.ToLower(k.lang), "abcdefghijklmnopqrstuvwxyz") != "") {
		return k, bad("invalid language code specified")
	}
	raw := a.str("scope")
	if raw == "" {
		return k, nil
	}
	var w struct {
		Type   *string         `json:"type"`
		ChatID json.RawMessage `json:"chat_id"`
		UserID json.RawMessage `json:"user_id"`
	}
	if json.Unmarshal([]byte(raw), &w) != nil {
		return k, bad("can't parse BotCommandScope JSON object")
	}
	if w.Type == nil {
		return k, bad(`can't parse BotCommandScope: Can't find field "type"`)
	}
	k.scope.Type = *w.Type
	switch k.scope.Type {
	case "default", "all_private_chats", "all_group_chats", "all_chat_administrators":
		return k, nil
	case "chat", "chat_administrators", "chat_member":
	default:
		return k, bad("can't parse BotCommandScope: Unsupported type specified")
	}
	id, err := strconv.ParseInt(strings.Trim(string(w.ChatID), `"`), 10, 64)
	if len(w.ChatID) == 0 {
		return k, bad(`can't parse BotCommandScope: Can't find field "chat_id"`)
	}
	if err != nil || id == 0 {
		return k, bad("chat not found")
	}
	k.scope.ChatID = id
	if k.scope.Type == "chat_member" {
		uid, err := strconv.ParseInt(strings.Trim(string(w.UserID), `"`), 10, 64)
		if err != nil || uid <= 0 {
			return k, bad("can't parse BotCommandScope: Invalid user_id specified")
		}
		k.scope.UserID = uid
	}
	return k, nil
}

func (s *Server) setCommands(a *args) (any, *apiError) {
	var cmds []BotCommand
	if json.Unmarshal([]byte(a.str("commands")), &cmds) != nil {
		return nil, bad("can't parse commands JSON object")
	}
	for _, c := range cmds {
		if !validCommand(c.Command) {
			return nil, bad("BOT_COMMAND_INVALID")
		}
		if c.Description == "" || utf8.RuneCountInString(c.Description) > 256 {
			return nil, bad("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	k, err := commandKey(a)
	if err != nil {
		return nil, err
	}
	if len(cmds) == 0 {
		delete(s.commandSets, k) // an empty list deletes, as deleteMyCommands
	} else {
		s.commandSets[k] = cmds
	}
	s.commands = cmds
	return true, nil
}

func validCommand(c string) bool {
	return c != "" && len(c) <= 32 && strings.Trim(c, "abcdefghijklmnopqrstuvwxyz0123456789_") == ""
}

// Commands returns the list of the last setMyCommands call, whatever its scope
// and language; CommandsFor tells them apart.
func (s *Server) Commands() []BotCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]BotCommand(nil), s.commands...)
}

// CommandsFor returns the commands set for exactly scope and lang (language
// code, "" = all languages), as getMyCommands answers; the zero scope is the
// default scope.
func (s *Server) CommandsFor(scope CommandScope, lang string) []BotCommand {
	if scope.Type == "" {
		scope.Type = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commandSets[commandSet{scope, lang}])
}

// VisibleCommands returns the command menu a user who is not an administrator
// sees in chatID (their private chat: chatID == userID), with their client in
// language lang, by Telegram's documented order of lookups: the narrowest
// scope first, each with lang before "".
func (s *Server) VisibleCommands(chatID, userID int64, lang string) []BotCommand {
	scopes := []CommandScope{{Type: "chat", ChatID: chatID}, {Type: "all_private_chats"}, {Type: "default"}}
	if chatID < 0 {
		scopes = []CommandScope{{Type: "chat_member", ChatID: chatID, UserID: userID}, {Type: "chat", ChatID: chatID},
			{Type: "all_group_chats"}, {Type: "default"}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sc := range scopes {
		for _, l := range []string{lang, ""} {
			if cmds, ok := s.commandSets[commandSet{sc, l}]; ok {
				return slices.Clone(cmds)
			}
		}
	}
	return nil
}
